/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv_pt.h - page-table builder for nested paging (AMD NPT, Intel EPT) and
 * the hypervisor's private host page table (pure C: kernel process context
 * and host unit tests). One builder, parameterized by entry format:
 *   HV_PT_X86  long-mode format (host paging; NPT = host format with U=1),
 *              AMD APM vol. 2 sec. 5.3-5.4 and 15.25
 *   HV_PT_EPT  Intel SDM vol. 3 sec. 29.3.2 (EPT entries)
 * 4- or 5-level; 1 GiB / 2 MiB / 4 KiB leaves. Tables come from a caller
 * callback ("a zeroed 4 KiB page: physical + virtual address").
 */
#ifndef THINHV_HV_PT_H
#define THINHV_HV_PT_H

#include "thinhv/compat.h"
#include "thinhv/hv_ranges.h"

enum hv_pt_kind {
	HV_PT_X86 = 1,
	HV_PT_EPT = 2,
};

struct hv_pt_format {
	enum hv_pt_kind kind;
	uint8_t max_leaf_level; /* 1: 4K only, 2: +2M, 3: +1G */
	bool user; /* X86: set U/S (nested walks are user accesses) */
	bool nx;   /* X86: NX usable (EFER.NXE) */
	/* X86: PAT index (0..7) per memory type (HV_MT_*), 0xff: none. */
	uint8_t pat_index[8];
};

struct hv_pt_mem {
	void *ctx;
	/* Zeroed 4 KiB page: 0 and *pa, *va; or -ENOMEM. */
	int (*alloc)(void *ctx, uint64_t *pa, void **va);
	/* Virtual address of a table page this builder allocated. */
	void *(*virt)(void *ctx, uint64_t pa);
};

struct hv_pt {
	const struct hv_pt_format *fmt;
	struct hv_pt_mem mem;
	unsigned int levels; /* 4 or 5 */
	uint64_t root_pa;
	uint64_t *root;
	uint32_t tables; /* table pages allocated */
};

/* Memory type of an aligned block: 0 (uniform), -EAGAIN (mixed: split). */
typedef int (*hv_memtype_fn)(void *ctx, uint64_t base, uint64_t len,
			     uint8_t *type);

int hv_pt_init(struct hv_pt *pt, const struct hv_pt_format *fmt,
	       const struct hv_pt_mem *mem, unsigned int levels);

/*
 * Identity-map guest-physical [0, limit) (limit 4 KiB aligned) with the
 * largest leaves the format allows; a block is split only where protected
 * ranges (prot, may be NULL) or memory types (memtype, may be NULL: WB)
 * change inside it. Protected pages get the range's access (none: not
 * present). Fills an empty table (call once, after hv_pt_init).
 */
int hv_pt_identity(struct hv_pt *pt, uint64_t limit,
		   const struct hv_ranges *prot, hv_memtype_fn memtype,
		   void *mtctx);

/* Map [va, va+len) to [pa, ...) with 4 KiB leaves; -EEXIST on conflict. */
int hv_pt_map(struct hv_pt *pt, uint64_t va, uint64_t pa, uint64_t len,
	      uint32_t access, uint8_t memtype);

/* Translate addr: 0 and the leaf's result, or -ENOENT (not present). */
struct hv_pt_leaf {
	uint64_t pa;	 /* translated address of addr */
	uint32_t access; /* HV_ACC_* */
	uint8_t memtype; /* HV_MT_* */
	uint8_t level;	 /* 1 = 4K, 2 = 2M, 3 = 1G */
};
int hv_pt_lookup(const struct hv_pt *pt, uint64_t addr,
		 struct hv_pt_leaf *leaf);

/*
 * Invariant check: every page of every protected range grants no access
 * beyond the range's (walks the table). 0, or -EACCES and *bad = address.
 */
int hv_pt_check_protected(const struct hv_pt *pt, const struct hv_ranges *prot,
			  uint64_t limit, uint64_t *bad);

/* Fill fmt->pat_index from a PAT MSR value (X86); -ENOENT without WB+UC. */
int hv_pt_format_x86(struct hv_pt_format *fmt, uint64_t pat, bool user, bool nx,
		     uint8_t max_leaf_level);
void hv_pt_format_ept(struct hv_pt_format *fmt, uint8_t max_leaf_level);

#endif /* THINHV_HV_PT_H */
