// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_pt.c - format-parameterized page-table builder: NPT, EPT and the
 * hypervisor's private host page table (pure C: kernel process context,
 * host unit tests). Never runs in host mode.
 */
#include "thinhv/compat.h"
#include "thinhv/hv_abi.h"
#include "thinhv/pure/hv_memtype.h"
#include "thinhv/pure/hv_pt.h"

#define ENTRIES 512u

/* Long-mode (and NPT) entry bits, AMD APM vol. 2 sec. 5.4. */
#define X86_P (1ull << 0)
#define X86_RW (1ull << 1)
#define X86_US (1ull << 2)
#define X86_PWT (1ull << 3)
#define X86_PCD (1ull << 4)
#define X86_A (1ull << 5)
#define X86_D (1ull << 6)
#define X86_PS (1ull << 7) /* level 2/3: large leaf */
#define X86_PAT_4K (1ull << 7)
#define X86_PAT_LARGE (1ull << 12)
#define X86_NX (1ull << 63)

/* EPT entry bits, Intel SDM vol. 3 sec. 29.3.2. */
#define EPT_R (1ull << 0)
#define EPT_W (1ull << 1)
#define EPT_X (1ull << 2)
#define EPT_MT_SHIFT 3
#define EPT_MT_MASK (7ull << EPT_MT_SHIFT)
#define EPT_PS (1ull << 7)
#define EPT_A (1ull << 8)
#define EPT_D (1ull << 9)

#define ADDR_MASK 0x000ffffffffff000ull

static uint64_t span_of(unsigned int level)
{
	return 1ull << (12 + 9 * (level - 1));
}

static unsigned int index_of(uint64_t addr, unsigned int level)
{
	return (unsigned int)(addr >> (12 + 9 * (level - 1))) & (ENTRIES - 1);
}

int hv_pt_format_x86(struct hv_pt_format *fmt, uint64_t pat, bool user, bool nx,
		     uint8_t max_leaf_level)
{
	static const uint8_t types[] = { HV_MT_UC, HV_MT_WC, HV_MT_WT,
					 HV_MT_WP, HV_MT_WB, HV_MT_UCMINUS };
	int uc = hv_pat_index(pat, HV_MT_UC), wb = hv_pat_index(pat, HV_MT_WB);
	unsigned int i;

	if (uc < 0 || wb < 0 || max_leaf_level < 1 || max_leaf_level > 3)
		return -ENOENT;
	memset(fmt, 0, sizeof(*fmt));
	fmt->kind = HV_PT_X86;
	fmt->user = user;
	fmt->nx = nx;
	fmt->max_leaf_level = max_leaf_level;
	for (i = 0; i < 8; i++)
		fmt->pat_index[i] = (uint8_t)uc; /* anything unknown: UC */
	for (i = 0; i < HV_ARRAY_SIZE(types); i++) {
		int idx = hv_pat_index(pat, types[i]);

		if (idx >= 0)
			fmt->pat_index[types[i]] = (uint8_t)idx;
	}
	/* Reverse map for lookups: decode from the PAT value itself. */
	return 0;
}

void hv_pt_format_ept(struct hv_pt_format *fmt, uint8_t max_leaf_level)
{
	memset(fmt, 0, sizeof(*fmt));
	fmt->kind = HV_PT_EPT;
	fmt->max_leaf_level = max_leaf_level;
}

static uint64_t table_entry(const struct hv_pt_format *f, uint64_t pa)
{
	if (f->kind == HV_PT_EPT)
		return pa | EPT_R | EPT_W | EPT_X;
	return pa | X86_P | X86_RW | X86_A | (f->user ? X86_US : 0);
}

static uint64_t leaf_entry(const struct hv_pt_format *f, uint64_t pa,
			   unsigned int level, uint32_t acc, uint8_t mt)
{
	uint64_t e;

	if (!(acc & HV_ACC_R))
		return 0; /* no write-only or execute-only mappings */
	if (f->kind == HV_PT_EPT) {
		e = pa | EPT_R | EPT_A | ((uint64_t)(mt & 7) << EPT_MT_SHIFT);
		if (acc & HV_ACC_W)
			e |= EPT_W | EPT_D;
		if (acc & HV_ACC_X)
			e |= EPT_X;
		if (level > 1)
			e |= EPT_PS;
		return e;
	}
	e = pa | X86_P | X86_A | (f->user ? X86_US : 0);
	if (acc & HV_ACC_W)
		e |= X86_RW | X86_D;
	if (!(acc & HV_ACC_X) && f->nx)
		e |= X86_NX;
	{
		uint8_t idx = f->pat_index[mt & 7];

		if (idx & 1)
			e |= X86_PWT;
		if (idx & 2)
			e |= X86_PCD;
		if (idx & 4)
			e |= level > 1 ? X86_PAT_LARGE : X86_PAT_4K;
	}
	if (level > 1)
		e |= X86_PS;
	return e;
}

static bool present(const struct hv_pt_format *f, uint64_t e)
{
	if (f->kind == HV_PT_EPT)
		return (e & (EPT_R | EPT_W | EPT_X)) != 0;
	return (e & X86_P) != 0;
}

static bool is_leaf(const struct hv_pt_format *f, uint64_t e,
		    unsigned int level)
{
	if (level == 1)
		return true;
	if (level > 3)
		return false;
	return (e & (f->kind == HV_PT_EPT ? EPT_PS : X86_PS)) != 0;
}

int hv_pt_init(struct hv_pt *pt, const struct hv_pt_format *fmt,
	       const struct hv_pt_mem *mem, unsigned int levels)
{
	void *va;
	int rc;

	if ((levels != 4 && levels != 5) || !mem->alloc || !mem->virt)
		return -EINVAL;
	memset(pt, 0, sizeof(*pt));
	pt->fmt = fmt;
	pt->mem = *mem;
	pt->levels = levels;
	rc = mem->alloc(mem->ctx, &pt->root_pa, &va);
	if (rc)
		return rc;
	if (!HV_IS_ALIGNED(pt->root_pa, HV_PAGE_SIZE))
		return -EINVAL;
	pt->root = va;
	pt->tables = 1;
	return 0;
}

static int new_table(struct hv_pt *pt, uint64_t *pa, uint64_t **va)
{
	void *v;
	int rc = pt->mem.alloc(pt->mem.ctx, pa, &v);

	if (rc)
		return rc;
	if (!HV_IS_ALIGNED(*pa, HV_PAGE_SIZE) || (*pa & ~ADDR_MASK))
		return -EINVAL;
	*va = v;
	pt->tables++;
	return 0;
}

struct ident_ctx {
	uint64_t limit;
	const struct hv_ranges *prot;
	hv_memtype_fn memtype;
	void *mtctx;
};

static int block_memtype(const struct ident_ctx *c, uint64_t b, uint64_t len,
			 uint8_t *mt)
{
	if (!c->memtype) {
		*mt = HV_MT_WB;
		return 0;
	}
	return c->memtype(c->mtctx, b, len, mt);
}

static int ident_fill(struct hv_pt *pt, const struct ident_ctx *c,
		      uint64_t *table, unsigned int level, uint64_t base)
{
	uint64_t span = span_of(level);
	unsigned int i;

	for (i = 0; i < ENTRIES; i++) {
		uint64_t b = base + (uint64_t)i * span, cpa, *child;
		uint32_t acc = HV_ACC_RWX;
		uint8_t mt;
		int rc;

		if (b >= c->limit)
			break;
		if (level <= pt->fmt->max_leaf_level && b + span <= c->limit &&
		    (!c->prot || hv_ranges_uniform(c->prot, b, span, &acc))) {
			rc = block_memtype(c, b, span, &mt);
			if (rc == 0) {
				table[i] =
				    leaf_entry(pt->fmt, b, level, acc, mt);
				continue;
			}
			if (rc != -EAGAIN)
				return rc;
		}
		if (level == 1)
			return -EINVAL; /* a 4 KiB page must be uniform */
		rc = new_table(pt, &cpa, &child);
		if (rc)
			return rc;
		table[i] = table_entry(pt->fmt, cpa);
		rc = ident_fill(pt, c, child, level - 1, b);
		if (rc)
			return rc;
	}
	return 0;
}

int hv_pt_identity(struct hv_pt *pt, uint64_t limit,
		   const struct hv_ranges *prot, hv_memtype_fn memtype,
		   void *mtctx)
{
	struct ident_ctx c = { limit, prot, memtype, mtctx };

	if (!limit || !HV_IS_ALIGNED(limit, HV_PAGE_SIZE) ||
	    (pt->levels == 4 && limit > (1ull << 48)) || limit > (1ull << 52))
		return -EINVAL;
	return ident_fill(pt, &c, pt->root, pt->levels, 0);
}

static uint64_t *child_of(const struct hv_pt *pt, uint64_t e)
{
	return pt->mem.virt(pt->mem.ctx, e & ADDR_MASK);
}

static int map_page(struct hv_pt *pt, uint64_t va, uint64_t pa, uint32_t acc,
		    uint8_t mt)
{
	uint64_t *t = pt->root, e;
	unsigned int level;

	for (level = pt->levels; level > 1; level--) {
		unsigned int i = index_of(va, level);

		e = t[i];
		if (!present(pt->fmt, e)) {
			uint64_t cpa, *child;
			int rc = new_table(pt, &cpa, &child);

			if (rc)
				return rc;
			t[i] = table_entry(pt->fmt, cpa);
			t = child;
			continue;
		}
		if (is_leaf(pt->fmt, e, level))
			return -EEXIST;
		t = child_of(pt, e);
		if (!t)
			return -EFAULT;
	}
	e = leaf_entry(pt->fmt, pa, 1, acc, mt);
	if (present(pt->fmt, t[index_of(va, 1)]) && t[index_of(va, 1)] != e)
		return -EEXIST;
	t[index_of(va, 1)] = e;
	return 0;
}

int hv_pt_map(struct hv_pt *pt, uint64_t va, uint64_t pa, uint64_t len,
	      uint32_t access, uint8_t memtype)
{
	uint64_t off;

	if (!len || !HV_IS_ALIGNED(va | pa | len, HV_PAGE_SIZE) ||
	    (pa & ~ADDR_MASK) || pa + len < pa || va + len < va ||
	    !(access & HV_ACC_R))
		return -EINVAL;
	for (off = 0; off < len; off += HV_PAGE_SIZE) {
		int rc = map_page(pt, va + off, pa + off, access, memtype);

		if (rc)
			return rc;
	}
	return 0;
}

static uint8_t decode_memtype(const struct hv_pt_format *f, uint64_t e,
			      unsigned int level)
{
	unsigned int idx, t;

	if (f->kind == HV_PT_EPT)
		return (uint8_t)((e & EPT_MT_MASK) >> EPT_MT_SHIFT);
	idx = ((e & X86_PWT) ? 1 : 0) | ((e & X86_PCD) ? 2 : 0) |
	      ((e & (level > 1 ? X86_PAT_LARGE : X86_PAT_4K)) ? 4 : 0);
	for (t = 0; t < 8; t++)
		if (f->pat_index[t] == idx &&
		    (t == HV_MT_UC || t == HV_MT_WB || t == HV_MT_WC ||
		     t == HV_MT_WT || t == HV_MT_WP))
			return (uint8_t)t;
	return HV_MT_UC;
}

int hv_pt_lookup(const struct hv_pt *pt, uint64_t addr, struct hv_pt_leaf *leaf)
{
	const uint64_t *t = pt->root;
	unsigned int level;

	for (level = pt->levels; level >= 1; level--) {
		uint64_t e = t[index_of(addr, level)], span = span_of(level);

		if (!present(pt->fmt, e))
			return -ENOENT;
		if (is_leaf(pt->fmt, e, level)) {
			uint64_t mask = ADDR_MASK & ~(span - 1);

			leaf->pa = (e & mask) | (addr & (span - 1));
			leaf->level = (uint8_t)level;
			leaf->memtype = decode_memtype(pt->fmt, e, level);
			if (pt->fmt->kind == HV_PT_EPT) {
				leaf->access = ((e & EPT_R) ? HV_ACC_R : 0) |
					       ((e & EPT_W) ? HV_ACC_W : 0) |
					       ((e & EPT_X) ? HV_ACC_X : 0);
			} else {
				leaf->access = HV_ACC_R;
				if (e & X86_RW)
					leaf->access |= HV_ACC_W;
				if (!(pt->fmt->nx && (e & X86_NX)))
					leaf->access |= HV_ACC_X;
			}
			return 0;
		}
		t = child_of(pt, e);
		if (!t)
			return -EFAULT;
	}
	return -ENOENT;
}

int hv_pt_check_protected(const struct hv_pt *pt, const struct hv_ranges *prot,
			  uint64_t limit, uint64_t *bad)
{
	uint32_t i;

	for (i = 0; i < prot->n; i++) {
		const struct hv_range *r = &prot->r[i];
		uint64_t a;

		for (a = r->base; a < r->base + r->len && a < limit;
		     a += HV_PAGE_SIZE) {
			struct hv_pt_leaf lf;

			if (hv_pt_lookup(pt, a, &lf))
				continue; /* not present: nothing granted */
			if (lf.access & ~r->access) {
				*bad = a;
				return -EACCES;
			}
		}
	}
	return 0;
}
