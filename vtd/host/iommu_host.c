// SPDX-License-Identifier: GPL-2.0-only
/*
 * iommu_host.c - IOMMU work in HOST MODE (hypercalls, see iommu_host.h):
 * the staged-table checker, the table switch, and the fault / event drain.
 * The register protocols themselves are vtd_proto.c's and amdvi_proto.c's,
 * over the host-mode accessor below (the host mapping, waits bounded by
 * the TSC). Compiled with the host-mode flags (THINHV_HOST_OBJS in Kbuild):
 * it calls only the host-mode objects, touches only struct iommu_host and
 * what it points to (mapped in the private host page table). Also built
 * into the unit tests.
 * VT-d spec 4.1 sec. 6.5, 9.1, 9.3, 9.8, 10.4; AMD IOMMU 3.x sec. 2.2, 2.4.
 */
#include "thinhv/compat.h"
#include "thinhv/iommu.h"
#include "thinhv/iommu_host.h"
#include "thinhv/hw/vtd_regs.h"
#include "thinhv/hw/amdvi_regs.h"

#define PAGE 4096ull
#define ENTRIES 512u
#define ADDR_MASK 0x000ffffffffff000ull
#define MEMO_ROOT 8  /* VT-d root table */
#define MEMO_CTX 9   /* VT-d context table */
#define WAIT_MS 100u /* every hardware wait */

_Static_assert(sizeof(struct iommu_stage_hdr) % 8 == 0, "header in words");

const char *iommu_bad_text(uint32_t why)
{
	static const char *const text[IOMMU_BAD_MAX] = {
		[IOMMU_BAD_NONE] = "no error",
		[IOMMU_BAD_HEADER] = "bad staging header",
		[IOMMU_BAD_POINTER] = "table pointer outside the staged pages",
		[IOMMU_BAD_REUSE] = "table page used at two levels",
		[IOMMU_BAD_BITS] = "reserved or unsupported bits set",
		[IOMMU_BAD_LEAF] = "superpage not allowed or misaligned",
		[IOMMU_BAD_PROTECTED] = "a device could reach protected memory",
		[IOMMU_BAD_ENTRY] = "device entry would pass DMA through",
		[IOMMU_BAD_DOMAIN] = "translated entry without a domain id",
		[IOMMU_BAD_LEVELS] = "paging depth differs from the unit's",
	};

	return why < IOMMU_BAD_MAX ? text[why] : "unknown";
}

static int bad(struct iommu_check *c, uint32_t why, uint64_t where)
{
	c->why = why;
	c->bad = where;
	return -EINVAL;
}

void iommu_check_begin(struct iommu_check *c)
{
	uint32_t i;

	for (i = 0; i < c->n; i++)
		((volatile uint8_t *)c->memo)[i] = 0;
	c->why = IOMMU_BAD_NONE;
	c->bad = 0;
	c->leaves = 0;
}

/*
 * The page at pa as a table of kind `tag`: NULL when it is outside the
 * staged pages; *seen when it was already checked as that kind. A page is
 * one kind only (no table doubles as another level: no loops, no aliasing).
 */
static const uint64_t *table_at(struct iommu_check *c, uint64_t pa, uint8_t tag,
				bool *seen)
{
	uint64_t lo = c->pa + (uint64_t)c->first * PAGE;
	uint64_t idx;

	*seen = false;
	if ((pa & (PAGE - 1)) || pa < lo || pa - lo >= (uint64_t)c->n * PAGE) {
		bad(c, IOMMU_BAD_POINTER, pa);
		return NULL;
	}
	idx = (pa - lo) / PAGE;
	if (c->memo[idx] && c->memo[idx] != tag) {
		bad(c, IOMMU_BAD_REUSE, pa);
		return NULL;
	}
	*seen = c->memo[idx] == tag;
	c->memo[idx] = tag;
	return (const uint64_t *)(c->va + (pa - c->pa));
}

static uint64_t span_of(uint8_t level)
{
	return PAGE << (9 * (level - 1));
}

static int leaf_ok(struct iommu_check *c, uint64_t e, uint8_t level)
{
	uint64_t span = span_of(level), out = e & ADDR_MASK;

	if (level > c->max_leaf || (out & (span - 1)))
		return bad(c, IOMMU_BAD_LEAF, e);
	if (hv_ranges_overlap(c->prot, out, span))
		return bad(c, IOMMU_BAD_PROTECTED, out);
	c->leaves++;
	return 0;
}

static int walk(struct iommu_check *c, uint64_t pa, uint8_t level)
{
	const uint64_t *t;
	bool seen;
	uint32_t i;
	int rc;

	t = table_at(c, pa, level, &seen);
	if (!t)
		return -EINVAL;
	if (seen)
		return 0; /* the same subtree, already checked at this level */
	for (i = 0; i < ENTRIES; i++) {
		uint64_t e = t[i];
		bool leaf;

		if (!e)
			continue;
		if (c->fmt == IOMMU_PT_VTD) {
			uint64_t ok = ADDR_MASK | VTD_SL_R | VTD_SL_W;

			if (!(e & (VTD_SL_R | VTD_SL_W)))
				return bad(c, IOMMU_BAD_BITS, e);
			leaf = level == 1 || (e & VTD_SL_PS);
			if (leaf && level > 1)
				ok |= VTD_SL_PS;
			if (e & ~ok)
				return bad(c, IOMMU_BAD_BITS, e);
		} else {
			uint64_t ok = ADDR_MASK | AMDVI_PTE_PR |
				      AMDVI_PTE_NEXT(7) | AMDVI_PTE_IR |
				      AMDVI_PTE_IW;
			uint32_t next = (uint32_t)AMDVI_PTE_NEXT_GET(e);

			if (!(e & AMDVI_PTE_PR) || (e & ~ok))
				return bad(c, IOMMU_BAD_BITS, e);
			leaf = next == 0;
			/* No level skipping: next is exactly one down. */
			if (!leaf && (level == 1 || next != level - 1u))
				return bad(c, IOMMU_BAD_BITS, e);
		}
		rc = leaf ? leaf_ok(c, e, level)
			  : walk(c, e & ADDR_MASK, (uint8_t)(level - 1));
		if (rc)
			return rc;
	}
	return 0;
}

int iommu_check_pt(struct iommu_check *c, uint64_t root_pa)
{
	if (c->levels < 3 || c->levels > 5 || c->max_leaf < 1 ||
	    c->max_leaf > 3)
		return bad(c, IOMMU_BAD_LEVELS, c->levels);
	return walk(c, root_pa, c->levels);
}

int iommu_check_vtd_root(struct iommu_check *c, uint64_t root_pa)
{
	const uint64_t *root, *ctx;
	uint64_t aw = (uint64_t)c->levels - 2; /* 1: 39-bit, 2: 48, 3: 57 */
	uint32_t b, d;
	bool seen;
	int rc;

	if (c->fmt != IOMMU_PT_VTD || c->levels < 3 || c->levels > 5)
		return bad(c, IOMMU_BAD_LEVELS, c->levels);
	root = table_at(c, root_pa, MEMO_ROOT, &seen);
	if (!root)
		return -EINVAL;
	for (b = 0; b < 256; b++) {
		uint64_t lo = root[2 * b], hi = root[2 * b + 1];

		if (!lo && !hi)
			continue; /* not present: the bus is blocked */
		if (!(lo & VTD_ROOT_P) || hi ||
		    (lo & ~(VTD_ROOT_CTP_MASK | VTD_ROOT_P)))
			return bad(c, IOMMU_BAD_BITS, lo);
		ctx = table_at(c, lo & VTD_ROOT_CTP_MASK, MEMO_CTX, &seen);
		if (!ctx)
			return -EINVAL;
		if (seen)
			continue;
		for (d = 0; d < 256; d++) {
			uint64_t cl = ctx[2 * d], ch = ctx[2 * d + 1];

			if (!cl && !ch)
				continue; /* not present: blocked, faults */
			/* Present, untranslated requests only (TT=0: no
			 * pass-through, no device TLB), faults reported. */
			if (!(cl & VTD_CTX_LO_P) ||
			    (cl & ~(VTD_CTX_LO_SLPTPTR_MASK | VTD_CTX_LO_P)))
				return bad(c, IOMMU_BAD_ENTRY, cl);
			if ((ch & ~VTD_CTX_HI_AW_DID_MASK) ||
			    VTD_CTX_HI_AW_GET(ch) != aw)
				return bad(c, IOMMU_BAD_BITS, ch);
			if (!VTD_CTX_HI_DID_GET(ch))
				return bad(c, IOMMU_BAD_DOMAIN, ch);
			rc = walk(c, cl & VTD_CTX_LO_SLPTPTR_MASK, c->levels);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int iommu_check_dte(struct iommu_check *c, const uint64_t dte[4])
{
	uint64_t q0 = dte[0];
	uint32_t mode = (uint32_t)AMDVI_DTE0_MODE_GET(q0);

	/* V=0 or TV=0 lets the device through untranslated. */
	if (!(q0 & AMDVI_DTE0_V) || !(q0 & AMDVI_DTE0_TV))
		return bad(c, IOMMU_BAD_ENTRY, q0);
	if (dte[2] || dte[3] || (dte[1] & ~AMDVI_DTE1_DOMAIN(0xffff)))
		return bad(c, IOMMU_BAD_BITS, dte[1] | dte[2] | dte[3]);
	if (mode == 0) {
		/* Translation off: IR/IW would grant all of memory. */
		if (q0 != (AMDVI_DTE0_V | AMDVI_DTE0_TV))
			return bad(c, IOMMU_BAD_ENTRY, q0);
		return 0;
	}
	if (q0 & ~(AMDVI_DTE0_V | AMDVI_DTE0_TV | AMDVI_DTE0_MODE(7) |
		   AMDVI_DTE0_PTR_MASK | AMDVI_DTE0_IR | AMDVI_DTE0_IW))
		return bad(c, IOMMU_BAD_BITS, q0);
	if (mode != c->levels)
		return bad(c, IOMMU_BAD_LEVELS, q0);
	if (!AMDVI_DTE1_DOMAIN_GET(dte[1]))
		return bad(c, IOMMU_BAD_DOMAIN, q0);
	return iommu_check_pt(c, q0 & AMDVI_DTE0_PTR_MASK);
}

/* ---- hardware, host mode ---- */

static inline uint64_t tsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline void relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

static inline void barrier_full(void)
{
	__asm__ __volatile__("mfence" ::: "memory");
}

/* Copy without the compiler's memcpy (host mode has no kernel text). */
static void copy_words(uint64_t *dst, const volatile uint64_t *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = src[i];
}

static void zero_words(uint64_t *dst, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		((volatile uint64_t *)dst)[i] = 0;
}

/* Write the lines back for a walker that does not snoop (iommu_proto.h). */
static void flush_range(const void *va, size_t len)
{
	const uint8_t *p = (const uint8_t *)((uintptr_t)va & ~63ul);
	const uint8_t *end = (const uint8_t *)va + len;

	barrier_full();
	for (; p < end; p += 64)
		__asm__ __volatile__("clflush %0" ::"m"(*p));
	barrier_full();
}

static bool host_trylock(struct iommu_host *ih)
{
	return __atomic_exchange_n(&ih->lock, 1u, __ATOMIC_ACQUIRE) == 0;
}

static void host_unlock(struct iommu_host *ih)
{
	__atomic_store_n(&ih->lock, 0u, __ATOMIC_RELEASE);
}

static void check_init(const struct iommu_host *ih, struct iommu_check *c,
		       uint32_t pool, uint32_t npages, struct iommu_host *mut)
{
	c->va = ih->pool_va[pool];
	c->pa = ih->pool_pa[pool];
	c->first = ih->reserved;
	c->n = npages;
	c->fmt = ih->kind == IOMMU_HOST_VTD ? IOMMU_PT_VTD : IOMMU_PT_AMDVI;
	c->levels = ih->levels;
	c->max_leaf = ih->max_leaf;
	c->prot = ih->prot;
	c->memo = mut->memo;
	iommu_check_begin(c);
}

static void did_mark(struct iommu_host *ih, uint64_t q1)
{
	uint32_t did = AMDVI_DTE1_DOMAIN_GET(q1);

	ih->didmap[did / 64] |= 1ull << (did % 64);
}

/* ---- the host-mode accessor for vtd_proto.c / amdvi_proto.c ---- */

struct host_acc {
	const struct iommu_host *ih;
	struct iommu_host_unit *u;
};

static uint32_t h_rd32(const struct iommu_acc *a, uint32_t off)
{
	const struct host_acc *h = a->ctx;

	return *(volatile const uint32_t *)(h->u->regs + off);
}

static uint64_t h_rd64(const struct iommu_acc *a, uint32_t off)
{
	const struct host_acc *h = a->ctx;

	return *(volatile const uint64_t *)(h->u->regs + off);
}

static void h_wr32(const struct iommu_acc *a, uint32_t off, uint32_t v)
{
	const struct host_acc *h = a->ctx;

	*(volatile uint32_t *)(h->u->regs + off) = v;
}

static void h_wr64(const struct iommu_acc *a, uint32_t off, uint64_t v)
{
	const struct host_acc *h = a->ctx;

	*(volatile uint64_t *)(h->u->regs + off) = v;
}

/* Every hardware wait: WAIT_MS by the TSC. */
static int h_wait(const struct iommu_acc *a, const struct iommu_wait *w)
{
	const struct host_acc *h = a->ctx;
	uint64_t end = tsc() + h->ih->tsc_per_ms * WAIT_MS;
	int met;

	while (!(met = iommu_wait_met(a, w))) {
		if (tsc() > end)
			return -ETIMEDOUT;
		relax();
	}
	return met < 0 ? met : 0;
}

static void h_flush(const struct iommu_acc *a, const void *va, size_t len)
{
	flush_range(va, len);
}

static void h_fence(const struct iommu_acc *a)
{
	barrier_full();
}

/* No log in host mode: a failure is the hypercall's return value. */
static void host_acc(struct iommu_acc *a, struct host_acc *h,
		     const struct iommu_host *ih, struct iommu_host_unit *u)
{
	h->ih = ih;
	h->u = u;
	a->ctx = h;
	a->rd32 = h_rd32;
	a->rd64 = h_rd64;
	a->wr32 = h_wr32;
	a->wr64 = h_wr64;
	a->wait = h_wait;
	a->flush = h_flush;
	a->fence = h_fence;
	a->log = NULL;
}

/* VT-d: point every unit at its new root (vtd_switch_root: tables
 * visible, write buffer, SRTP, context cache then IOTLB). */
static int vtd_switch(struct iommu_host *ih, uint32_t pool,
		      const struct iommu_stage_hdr *hdr)
{
	struct iommu_acc a;
	struct host_acc h;
	uint32_t i;
	int rc;

	for (i = 0; i < ih->nunits; i++) {
		struct iommu_host_unit *u = &ih->unit[i];

		host_acc(&a, &h, ih, u);
		u->root_page = hdr->root_page[i];
		rc = vtd_switch_root(
		    &a, &u->proto,
		    ih->pool_pa[pool] + (uint64_t)hdr->root_page[i] * PAGE,
		    ih->pool_va[pool], (size_t)ih->pool_pages * PAGE);
		if (rc)
			return rc;
	}
	return 0;
}

/*
 * AMD-Vi: write every device table entry that changes, each one checked
 * again as it is read (the staged table stays OS-writable: an entry that
 * changed since the first pass becomes deny), then invalidate.
 */
static int amd_switch(struct iommu_host *ih, struct iommu_check *c,
		      uint32_t pool, uint32_t npages, uint32_t *denied)
{
	struct iommu_acc a;
	struct host_acc h;
	uint32_t i, k;
	int rc = 0;

	for (i = 0; i < HV_ARRAY_SIZE(ih->didmap); i++) {
		((volatile uint64_t *)ih->didmap)[i] = 0;
		((volatile uint64_t *)ih->devmap)[i] = 0;
	}
	*denied = 0;
	for (k = 0; k < ih->nunits; k++) {
		struct iommu_host_unit *u = &ih->unit[k];

		for (i = 0; i < AMDVI_DEVTAB_ENTRIES; i++) {
			uint64_t e[4], *live = &u->devtab[4 * i];

			copy_words(e, ih->stage_devtab + 4 * i, 4);
			if (iommu_check_dte(c, e)) {
				e[0] = AMDVI_DTE0_V | AMDVI_DTE0_TV;
				e[1] = e[2] = e[3] = 0;
				(*denied)++;
			}
			if (e[0] == live[0] && e[1] == live[1] &&
			    e[2] == live[2] && e[3] == live[3])
				continue;
			did_mark(ih, live[1]);
			did_mark(ih, e[1]);
			ih->devmap[i / 64] |= 1ull << (i % 64);
			/* Domain first, then the word that makes it live. */
			((volatile uint64_t *)live)[3] = e[3];
			((volatile uint64_t *)live)[2] = e[2];
			((volatile uint64_t *)live)[1] = e[1];
			((volatile uint64_t *)live)[0] = e[0];
		}
		host_acc(&a, &h, ih, u);
		amdvi_tables_visible(&a, u->devtab, AMDVI_DEVTAB_BYTES);
	}
	/* The page tables the new entries point at (the copied pages). */
	host_acc(&a, &h, ih, &ih->unit[0]);
	amdvi_tables_visible(&a, ih->pool_va[pool] + ih->reserved * PAGE,
			     (size_t)npages * PAGE);
	for (k = 0; k < ih->nunits && !rc; k++) {
		host_acc(&a, &h, ih, &ih->unit[k]);
		rc =
		    amdvi_inval(&a, &ih->unit[k].proto, ih->devmap, ih->didmap);
	}
	return rc;
}

int iommu_host_swap(struct iommu_host *ih)
{
	struct iommu_stage_hdr hdr;
	struct iommu_check c;
	uint32_t pool, i, denied = 0;
	int rc;

	if (!ih || ih->kind == IOMMU_HOST_NONE)
		return -ENODEV;
	if (!host_trylock(ih))
		return -EBUSY;
	/* Our own copy of the header: read once. */
	copy_words((uint64_t *)&hdr, (const volatile uint64_t *)ih->stage,
		   sizeof(hdr) / 8);
	pool = ih->active ^ 1u;
	rc = -EINVAL;
	ih->last_why = IOMMU_BAD_HEADER;
	ih->last_bad = 0;
	if (hdr.magic != IOMMU_STAGE_MAGIC ||
	    hdr.version != IOMMU_STAGE_VERSION || hdr.pool != pool ||
	    !hdr.npages || hdr.npages > ih->pool_pages - ih->reserved)
		goto refused;
	/* Copy the staged pages into the spare (protected) pool: from here
	 * on the OS cannot change what is checked and used. */
	copy_words((uint64_t *)(ih->pool_va[pool] + ih->reserved * PAGE),
		   (const volatile uint64_t *)(ih->stage + ih->reserved * PAGE),
		   (size_t)hdr.npages * PAGE / 8);
	zero_words((uint64_t *)(ih->pool_va[pool] +
				(ih->reserved + hdr.npages) * PAGE),
		   (size_t)(ih->pool_pages - ih->reserved - hdr.npages) * PAGE /
		       8);
	check_init(ih, &c, pool, hdr.npages, ih);
	if (ih->kind == IOMMU_HOST_VTD) {
		for (i = 0; i < ih->nunits; i++) {
			rc = iommu_check_vtd_root(
			    &c, ih->pool_pa[pool] +
				    (uint64_t)hdr.root_page[i] * PAGE);
			if (rc)
				goto bad;
		}
		rc = vtd_switch(ih, pool, &hdr);
	} else {
		/* First pass: the whole staged table must pass. */
		for (i = 0; i < AMDVI_DEVTAB_ENTRIES; i++) {
			uint64_t e[4];

			copy_words(e, ih->stage_devtab + 4 * i, 4);
			rc = iommu_check_dte(&c, e);
			if (rc)
				goto bad;
		}
		rc = amd_switch(ih, &c, pool, hdr.npages, &denied);
	}
	/* Past the switch the new pool is live, even after a timeout. */
	ih->active = pool;
	ih->generation++;
	ih->last_why = denied ? IOMMU_BAD_ENTRY : IOMMU_BAD_NONE;
	host_unlock(ih);
	return rc ? rc : denied ? -EAGAIN : 0;
bad:
	ih->last_why = c.why;
	ih->last_bad = c.bad;
refused:
	ih->refused++;
	host_unlock(ih);
	return -EINVAL;
}

/* ---- fault records and events ---- */

static void ring_push(struct iommu_host *ih, uint64_t lo, uint64_t hi,
		      uint32_t unit, uint32_t src)
{
	struct iommu_host_rec *r;

	if (ih->rcount >= IOMMU_HOST_RING) {
		ih->dropped++;
		return;
	}
	r = &ih->ring[(ih->rhead + ih->rcount) % IOMMU_HOST_RING];
	r->lo = lo;
	r->hi = hi;
	r->unit = unit;
	r->src = src;
	ih->rcount++;
}

struct host_drain {
	struct iommu_host *ih;
	uint32_t unit;
};

static void host_rec(void *ctx, uint64_t lo, uint64_t hi)
{
	struct host_drain *d = ctx;

	ring_push(d->ih, lo, hi, d->unit, d->ih->kind);
}

/* Fault records (VT-d) or events (AMD-Vi) of unit k into the ring. */
static void collect(struct iommu_host *ih, uint32_t k)
{
	struct host_drain d = { ih, k };
	struct iommu_host_unit *u = &ih->unit[k];
	struct iommu_acc a;
	struct host_acc h;
	bool overflow;

	host_acc(&a, &h, ih, u);
	if (ih->kind == IOMMU_HOST_VTD)
		vtd_fault_drain(&a, &u->proto, true, host_rec, &d, &overflow);
	else
		amdvi_event_drain(&a, &u->proto, host_rec, &d, &overflow);
	if (overflow)
		u->hw_overflow++;
}

int iommu_host_drain(struct iommu_host *ih, struct iommu_host_rec *r,
		     uint32_t *left)
{
	uint32_t k;

	if (!ih || ih->kind == IOMMU_HOST_NONE)
		return -ENODEV;
	if (!host_trylock(ih))
		return -EBUSY;
	if (!ih->rcount)
		for (k = 0; k < ih->nunits; k++)
			collect(ih, k);
	if (!ih->rcount) {
		*left = 0;
		host_unlock(ih);
		return -ENOENT;
	}
	r->lo = ih->ring[ih->rhead].lo;
	r->hi = ih->ring[ih->rhead].hi;
	r->unit = ih->ring[ih->rhead].unit;
	r->src = ih->ring[ih->rhead].src;
	ih->rhead = (ih->rhead + 1) % IOMMU_HOST_RING;
	ih->rcount--;
	*left = ih->rcount;
	host_unlock(ih);
	return 0;
}
