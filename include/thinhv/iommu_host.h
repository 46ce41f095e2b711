/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iommu_host.h - the IOMMU work the hypervisor does in HOST MODE after
 * launch (vtd/host/iommu_host.c): drain fault records / the event log, and
 * switch to a new set of DMA tables that the OS staged, after checking
 * them. Pure C compiled with the host-mode flags (no kernel calls, no %gs);
 * also built into the host unit tests.
 *
 * Why the OS builds and the hypervisor checks: the builders (policy match,
 * domain plan, page tables) are the largest part of the DMA code; running
 * them in host mode would put all of it in the hypervisor's trusted base.
 * Host mode instead copies the staged tables into protected memory and
 * verifies the one property it guarantees whatever the policy says: every
 * device has an explicit entry, every pointer stays inside the copied
 * tables, and no device can reach a protected range (the hypervisor, its
 * tables, the IOMMU's own tables and registers). Which windows a device
 * gets is the OS's choice (it is measured, and lock=1 forbids swaps).
 */
#ifndef THINHV_IOMMU_HOST_H
#define THINHV_IOMMU_HOST_H

#include "thinhv/compat.h"
#include "thinhv/hv_ranges.h"
#include "thinhv/iommu_proto.h"

#define IOMMU_HOST_MAX_UNITS 8
#define IOMMU_HOST_RING 64
#define IOMMU_HOST_POOL_MAX 512u /* pages per table pool */
#define IOMMU_HOST_PAGE 4096u

enum iommu_host_kind {
	IOMMU_HOST_NONE = 0,
	IOMMU_HOST_VTD = 1,
	IOMMU_HOST_AMDVI = 2,
};

/* Staging header: page 0 of the staging area, written by the OS. */
#define IOMMU_STAGE_MAGIC 0x47545348u /* "HSTG" */
#define IOMMU_STAGE_VERSION 1u
struct iommu_stage_hdr {
	uint32_t magic, version;
	uint32_t npages; /* table pages after reserved */
	uint32_t pool;	 /* target pool: 0 or 1 */
	uint32_t root_page[IOMMU_HOST_MAX_UNITS]; /* VT-d: root per unit */
};

struct iommu_host_unit {
	volatile uint8_t *regs; /* register window (host mapping, UC) */
	uint16_t segment;
	uint16_t pad;
	uint32_t root_page; /* VT-d: root table page in the active pool */
	uint64_t *devtab;   /* AMD-Vi: the live device table */
	/* CAP/ECAP (EFR), QI queue, command ring, event log: the kernel's
	 * state at launch, host mode's alone after (vtd_proto.c,
	 * amdvi_proto.c). */
	struct iommu_proto proto;
	uint64_t hw_overflow;
};

/* One raw record: VT-d fault record (lo, hi) or AMD-Vi event (16 bytes). */
struct iommu_host_rec {
	uint64_t lo, hi;
	uint32_t unit, src; /* src: IOMMU_HOST_VTD / _AMDVI */
};

/* Everything host mode trusts; lives in protected memory. */
struct iommu_host {
	uint32_t kind, nunits;
	uint32_t lock; /* one swap/drain at a time, across CPUs */
	uint8_t levels, max_leaf;
	uint16_t pad;
	uint64_t tsc_per_ms; /* bounded waits */
	struct iommu_host_unit unit[IOMMU_HOST_MAX_UNITS];
	/* Two table pools of pool_pages each; the first `reserved` pages of
	 * each are never swapped (AMD-Vi rings live there in pool 0). */
	uint64_t pool_pa[2];
	uint8_t *pool_va[2];
	uint32_t pool_pages, reserved, active;
	uint32_t pad2;
	const uint8_t *stage;	      /* OS-writable: read, never trusted */
	const uint64_t *stage_devtab; /* AMD-Vi staged device table */
	const struct hv_ranges *prot; /* no device may reach these */
	uint64_t generation;	      /* successful swaps */
	uint64_t refused;	      /* swaps refused by the checks */
	uint64_t last_bad;	      /* where the last refusal looked */
	uint32_t last_why;	      /* IOMMU_BAD_* of the last refusal */
	uint32_t rhead, rcount;
	uint64_t dropped; /* records lost because the ring was full */
	struct iommu_host_rec ring[IOMMU_HOST_RING];
	uint8_t memo[IOMMU_HOST_POOL_MAX]; /* check: what each page is */
	uint64_t didmap[65536 / 64];	   /* AMD-Vi: ids to invalidate */
	uint64_t devmap[65536 / 64];	   /* AMD-Vi: entries rewritten */
};

/* Why a staged set of tables was refused (iommu_host.last_why). */
enum iommu_bad {
	IOMMU_BAD_NONE = 0,
	IOMMU_BAD_HEADER,    /* magic/version/sizes/target pool */
	IOMMU_BAD_POINTER,   /* a table pointer outside the copied pages */
	IOMMU_BAD_REUSE,     /* a page used at two levels / as two kinds */
	IOMMU_BAD_BITS,	     /* reserved or unsupported bits set */
	IOMMU_BAD_LEAF,	     /* superpage not allowed / misaligned */
	IOMMU_BAD_PROTECTED, /* a leaf reaches a protected range */
	IOMMU_BAD_ENTRY,     /* passthrough/invalid device entry */
	IOMMU_BAD_DOMAIN,    /* domain id 0 on a translated entry */
	IOMMU_BAD_LEVELS,    /* paging depth differs from the unit's */
	IOMMU_BAD_MAX,
};
const char *iommu_bad_text(uint32_t why);

/*
 * Checker over one copied pool (pure; host mode and unit tests).
 * memo must hold n bytes, zeroed by iommu_check_begin().
 */
struct iommu_check {
	const uint8_t *va; /* the pool (already copied: immutable to the OS) */
	uint64_t pa;	   /* its physical base */
	uint32_t first, n; /* pages [first, first+n) may hold tables */
	uint8_t fmt;	   /* IOMMU_PT_VTD / IOMMU_PT_AMDVI (iommu.h) */
	uint8_t levels, max_leaf;
	const struct hv_ranges *prot;
	uint8_t *memo;
	uint32_t why;	 /* out: IOMMU_BAD_* */
	uint64_t bad;	 /* out: the offending entry's address or value */
	uint64_t leaves; /* out: leaf entries seen */
};
void iommu_check_begin(struct iommu_check *c);
/* An I/O page table rooted at root_pa (levels deep). 0 or -EINVAL. */
int iommu_check_pt(struct iommu_check *c, uint64_t root_pa);
/* A VT-d legacy root table and every context table it names. */
int iommu_check_vtd_root(struct iommu_check *c, uint64_t root_pa);
/* One AMD-Vi device table entry (4 words). */
int iommu_check_dte(struct iommu_check *c, const uint64_t dte[4]);

/* Host-mode services (hypercalls). Return 0 or a negative errno. */
int iommu_host_swap(struct iommu_host *ih);
/* One record, oldest first; -ENOENT when none. *left = still queued. */
int iommu_host_drain(struct iommu_host *ih, struct iommu_host_rec *r,
		     uint32_t *left);

/*
 * The component's hypercall service (vtd/host/iommu_hcall.c): an
 * hv_host_call_fn (thinhv/host/hv_exit.h) with ctx = the iommu_host.
 */
struct hv_host;
struct hv_gprs;
int iommu_host_call(void *ctx, const struct hv_host *h, uint32_t fn,
		    struct hv_gprs *g);

#endif /* THINHV_IOMMU_HOST_H */
