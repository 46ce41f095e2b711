// SPDX-License-Identifier: GPL-2.0-only
/*
 * iommu_pt.c - identity I/O page tables for VT-d second-level and AMD-Vi
 * (pure C: kernel process context and host unit tests). Both formats are
 * 512-entry radix tables, 9 bits per level over 4 KiB pages; only the entry
 * encoding differs. Protected pages are never mapped: a block containing
 * one is split down to 4 KiB and the protected pages stay not-present.
 */
#include "thinhv/compat.h"
#include "thinhv/iommu.h"
#include "thinhv/hw/vtd_regs.h"
#include "thinhv/hw/amdvi_regs.h"

#define PT_ENTRIES 512u
#define ADDR_MASK 0x000ffffffffff000ull

static uint64_t level_span(unsigned int level)
{
	return IOMMU_PAGE_SIZE << (9 * (level - 1));
}

static unsigned int level_index(uint64_t addr, unsigned int level)
{
	return (unsigned int)((addr >> (12 + 9 * (level - 1))) & 511);
}

int iommu_pt_init(struct iommu_pt *pt, enum iommu_pt_fmt fmt, uint8_t levels,
		  uint8_t max_leaf_level, const struct iommu_mem *mem)
{
	void *va;
	int rc;

	memset(pt, 0, sizeof(*pt));
	if ((fmt != IOMMU_PT_VTD && fmt != IOMMU_PT_AMDVI) || levels < 3 ||
	    levels > 5 || max_leaf_level < 1 || max_leaf_level > 3 || !mem ||
	    !mem->alloc || !mem->virt)
		return -EINVAL;
	pt->fmt = fmt;
	pt->levels = levels;
	pt->max_leaf_level = max_leaf_level;
	pt->mem = *mem;
	rc = mem->alloc(mem->ctx, &pt->root_pa, &va);
	if (rc)
		return rc;
	pt->root = va;
	pt->tables = 1;
	return 0;
}

/* Entry pointing at a next-level table (level = the table holding it). */
static uint64_t make_dir(const struct iommu_pt *pt, uint64_t pa,
			 unsigned int level)
{
	/*
	 * Directory entries grant everything; the leaf decides. Both
	 * formats check permissions at every level, so a directory must
	 * not be stricter than any leaf below it.
	 */
	if (pt->fmt == IOMMU_PT_VTD)
		return (pa & ADDR_MASK) | VTD_SL_R | VTD_SL_W;
	return (pa & ADDR_MASK) | AMDVI_PTE_PR | AMDVI_PTE_NEXT(level - 1) |
	       AMDVI_PTE_IR | AMDVI_PTE_IW;
}

static uint64_t make_leaf(const struct iommu_pt *pt, uint64_t pa,
			  unsigned int level, uint32_t perm)
{
	uint64_t e = pa & ADDR_MASK;

	if (pt->fmt == IOMMU_PT_VTD) {
		if (perm & IOMMU_PERM_R)
			e |= VTD_SL_R;
		if (perm & IOMMU_PERM_W)
			e |= VTD_SL_W;
		if (level > 1)
			e |= VTD_SL_PS;
		return e;
	}
	/* AMD-Vi: NextLevel 0 makes any level a leaf of that level's size. */
	e |= AMDVI_PTE_PR | AMDVI_PTE_NEXT(0);
	if (perm & IOMMU_PERM_R)
		e |= AMDVI_PTE_IR;
	if (perm & IOMMU_PERM_W)
		e |= AMDVI_PTE_IW;
	return e;
}

static bool entry_present(const struct iommu_pt *pt, uint64_t e)
{
	if (pt->fmt == IOMMU_PT_VTD)
		return (e & (VTD_SL_R | VTD_SL_W)) != 0;
	return (e & AMDVI_PTE_PR) != 0;
}

static bool entry_is_leaf(const struct iommu_pt *pt, uint64_t e,
			  unsigned int level)
{
	if (level == 1)
		return true;
	if (pt->fmt == IOMMU_PT_VTD)
		return (e & VTD_SL_PS) != 0;
	return AMDVI_PTE_NEXT_GET(e) == 0;
}

static uint32_t entry_perm(const struct iommu_pt *pt, uint64_t e)
{
	uint32_t p = 0;

	if (pt->fmt == IOMMU_PT_VTD) {
		if (e & VTD_SL_R)
			p |= IOMMU_PERM_R;
		if (e & VTD_SL_W)
			p |= IOMMU_PERM_W;
	} else {
		if (e & AMDVI_PTE_IR)
			p |= IOMMU_PERM_R;
		if (e & AMDVI_PTE_IW)
			p |= IOMMU_PERM_W;
	}
	return p;
}

static bool prot_overlap(const struct hv_range *prot, uint32_t nprot,
			 uint64_t base, uint64_t len)
{
	for (uint32_t i = 0; i < nprot; i++) {
		uint64_t pb = prot[i].base, pe = prot[i].base + prot[i].len;

		if (prot[i].len && pb < base + len && base < pe)
			return true;
	}
	return false;
}

struct map_args {
	bool merge; /* leave already-mapped pages alone */
	uint32_t perm;
	const struct hv_range *prot;
	uint32_t nprot;
};

static int map_level(struct iommu_pt *pt, uint64_t *table, unsigned int level,
		     uint64_t base, uint64_t end, const struct map_args *a)
{
	uint64_t span = level_span(level);
	int rc;

	while (base < end) {
		unsigned int idx = level_index(base, level);
		uint64_t blk = HV_ALIGN_DOWN(base, span);
		uint64_t chunk_end = blk + span < end ? blk + span : end;
		uint64_t e = table[idx];

		if (level == 1) {
			/* Lowest level: one page, protected or not. */
			if (prot_overlap(a->prot, a->nprot, base,
					 IOMMU_PAGE_SIZE)) {
				pt->clipped += IOMMU_PAGE_SIZE;
			} else if (entry_present(pt, e)) {
				if (!a->merge)
					return -EEXIST;
			} else {
				table[idx] = make_leaf(pt, base, 1, a->perm);
				pt->leaves[1]++;
				pt->mapped += IOMMU_PAGE_SIZE;
			}
		} else if (!entry_present(pt, e) && base == blk &&
			   chunk_end == blk + span &&
			   level <= pt->max_leaf_level &&
			   !prot_overlap(a->prot, a->nprot, blk, span)) {
			table[idx] = make_leaf(pt, blk, level, a->perm);
			pt->leaves[level]++;
			pt->mapped += span;
		} else {
			uint64_t *next;

			if (entry_present(pt, e) &&
			    entry_is_leaf(pt, e, level)) {
				if (!a->merge)
					return -EEXIST;
				base = chunk_end; /* covered by a larger leaf */
				continue;
			}
			if (!entry_present(pt, e)) {
				uint64_t pa;
				void *va;

				rc = pt->mem.alloc(pt->mem.ctx, &pa, &va);
				if (rc)
					return rc;
				pt->tables++;
				/* Table is zeroed before it becomes reachable. */
				table[idx] = make_dir(pt, pa, level);
				next = va;
			} else {
				next = pt->mem.virt(pt->mem.ctx, e & ADDR_MASK);
				if (!next)
					return -EFAULT;
			}
			rc = map_level(pt, next, level - 1, base, chunk_end, a);
			if (rc)
				return rc;
		}
		base = chunk_end;
	}
	return 0;
}

static int pt_map(struct iommu_pt *pt, uint64_t base, uint64_t len,
		  uint32_t perm, const struct hv_range *prot, uint32_t nprot,
		  bool merge)
{
	struct map_args a = { merge, perm, prot, nprot };
	uint64_t top = level_span(pt->levels) * PT_ENTRIES;

	if (!pt->root || !len || !HV_IS_ALIGNED(base, IOMMU_PAGE_SIZE) ||
	    !HV_IS_ALIGNED(len, IOMMU_PAGE_SIZE) || !perm ||
	    (perm & ~IOMMU_PERM_RW) || (nprot && !prot))
		return -EINVAL;
	if (!hv_fits(base, len, top))
		return -ERANGE;
	return map_level(pt, pt->root, pt->levels, base, base + len, &a);
}

int iommu_pt_lookup(const struct iommu_pt *pt, uint64_t addr, uint64_t *pa,
		    uint32_t *perm, uint8_t *level)
{
	const uint64_t *table = pt->root;
	unsigned int lvl = pt->levels;

	if (!table || addr >= level_span(pt->levels) * PT_ENTRIES)
		return -ENOENT;
	for (;;) {
		uint64_t e = table[level_index(addr, lvl)];

		if (!entry_present(pt, e))
			return -ENOENT;
		if (entry_is_leaf(pt, e, lvl)) {
			uint64_t span = level_span(lvl);

			*pa =
			    (e & ADDR_MASK & ~(span - 1)) | (addr & (span - 1));
			*perm = entry_perm(pt, e);
			*level = (uint8_t)lvl;
			return *perm ? 0 : -ENOENT;
		}
		table = pt->mem.virt(pt->mem.ctx, e & ADDR_MASK);
		if (!table)
			return -EFAULT;
		lvl--;
	}
}

int iommu_pt_map(struct iommu_pt *pt, uint64_t base, uint64_t len,
		 uint32_t perm, const struct hv_range *prot, uint32_t nprot)
{
	return pt_map(pt, base, len, perm, prot, nprot, false);
}

int iommu_pt_map_merge(struct iommu_pt *pt, uint64_t base, uint64_t len,
		       uint32_t perm, const struct hv_range *prot,
		       uint32_t nprot)
{
	return pt_map(pt, base, len, perm, prot, nprot, true);
}
