/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv_ranges.h - registry of protected physical ranges (pure C: kernel, host
 * mode and host unit tests; the code is thinhv/host/hv_ranges.c, the types
 * are shared by every layer). Sorted, non-overlapping, 4 KiB granular; each
 * range says which accesses the OS (guest) keeps (HV_ACC_*, 0 = none).
 */
#ifndef THINHV_HV_RANGES_H
#define THINHV_HV_RANGES_H

#include "thinhv/compat.h"

#define HV_PAGE_SIZE 4096ull

struct hv_range {
	uint64_t base;
	uint64_t len;
	uint32_t access; /* HV_ACC_* left to the guest */
	uint32_t kind;	 /* THINHV_RANGE_* (informational) */
};

struct hv_ranges {
	struct hv_range *r; /* caller-provided storage */
	uint32_t n;
	uint32_t cap;
};

void hv_ranges_init(struct hv_ranges *rs, struct hv_range *storage,
		    uint32_t cap);

/*
 * Protect [base, base+len) (widened to 4 KiB pages) leaving the guest only
 * `access`. Where it overlaps an existing range the stricter rule wins
 * (access bits are intersected). Adjacent ranges with equal access and kind
 * merge. Returns 0, -EINVAL (len 0, access has unknown bits), -ERANGE (wraps
 * the address space) or -ENOSPC (registry full; the registry is unchanged).
 */
int hv_ranges_add(struct hv_ranges *rs, uint64_t base, uint64_t len,
		  uint32_t access, uint32_t kind);

/* The range holding addr, or NULL. */
const struct hv_range *hv_ranges_find(const struct hv_ranges *rs,
				      uint64_t addr);

/* True when any byte of [base, base+len) is in a protected range. */
bool hv_ranges_overlap(const struct hv_ranges *rs, uint64_t base, uint64_t len);

/*
 * Access the guest has over all of [base, base+len): returns true and sets
 * *access when it is the same everywhere (HV_ACC_RWX outside every range),
 * false when the block is mixed and must be split.
 */
bool hv_ranges_uniform(const struct hv_ranges *rs, uint64_t base, uint64_t len,
		       uint32_t *access);

#endif /* THINHV_HV_RANGES_H */
