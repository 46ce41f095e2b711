/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * compat.h - the only header shared pure C may include.
 * Builds in the kernel module (Kbuild) and in host userspace (CLI, tests).
 * Pure code must not touch hardware, allocate on its own, or use libc beyond
 * what is declared here.
 */
#ifndef THINHV_COMPAT_H
#define THINHV_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/stddef.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>
#endif

#define HV_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define HV_ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a)-1))
#define HV_ALIGN_UP(x, a) HV_ALIGN_DOWN((x) + (uint64_t)(a)-1, (a))
#define HV_IS_ALIGNED(x, a) (((x) & ((uint64_t)(a)-1)) == 0)

/* Little-endian loads from byte buffers (hostile input: no unaligned casts). */
static inline uint16_t hv_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t hv_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
	       ((uint32_t)p[3] << 24);
}

static inline uint64_t hv_le64(const uint8_t *p)
{
	return (uint64_t)hv_le32(p) | ((uint64_t)hv_le32(p + 4) << 32);
}

static inline void hv_put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void hv_put_le32(uint8_t *p, uint32_t v)
{
	hv_put_le16(p, (uint16_t)v);
	hv_put_le16(p + 2, (uint16_t)(v >> 16));
}

static inline void hv_put_le64(uint8_t *p, uint64_t v)
{
	hv_put_le32(p, (uint32_t)v);
	hv_put_le32(p + 4, (uint32_t)(v >> 32));
}

/* Overflow-safe "does [off, off+len) fit in a container of size total". */
static inline bool hv_fits(uint64_t off, uint64_t len, uint64_t total)
{
	return off <= total && len <= total - off;
}

#endif /* THINHV_COMPAT_H */
