// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_hv_pt.c - nested page-table builder: identity maps with the largest
 * leaves, splits only around protected ranges and memory-type changes,
 * 4/5 levels, x86 (NPT) and EPT formats, allocation failures.
 */
#include <stdlib.h>

#include "unit.h"
#include "thinhv/compat.h"
#include "thinhv/hv_abi.h"
#include "thinhv/pure/hv_memtype.h"
#include "thinhv/pure/hv_pt.h"

#define ARENA_PAGES 512
#define FAKE_PA_BASE 0x7700000000ull

struct arena {
	uint8_t (*pages)[4096];
	uint32_t used, fail_at; /* fail the fail_at-th allocation (1-based) */
};

static int arena_alloc(void *ctx, uint64_t *pa, void **va)
{
	struct arena *a = ctx;

	if (a->fail_at && a->used + 1 == a->fail_at)
		return -ENOMEM;
	if (a->used >= ARENA_PAGES)
		return -ENOMEM;
	memset(a->pages[a->used], 0, 4096);
	*va = a->pages[a->used];
	*pa = FAKE_PA_BASE + 4096ull * a->used;
	a->used++;
	return 0;
}

static void *arena_virt(void *ctx, uint64_t pa)
{
	struct arena *a = ctx;
	uint64_t i = (pa - FAKE_PA_BASE) / 4096;

	if (pa < FAKE_PA_BASE || i >= a->used)
		return NULL;
	return a->pages[i];
}

static struct arena ar;
static struct hv_pt_format fmt;
static struct hv_pt pt;
static struct hv_range store[32];
static struct hv_ranges prot;

static int setup(void)
{
	ar.pages = aligned_alloc(4096, (size_t)ARENA_PAGES * 4096);
	return ar.pages ? 0 : -1;
}

static int teardown(void)
{
	free(ar.pages);
	return 0;
}

/* Linux's PAT: WB WC UC- UC WB WP UC- WT */
#define LINUX_PAT 0x0407050600070106ull

static void start(enum hv_pt_kind kind, unsigned int levels, uint8_t maxleaf)
{
	struct hv_pt_mem mem = { &ar, arena_alloc, arena_virt };

	ar.used = 0;
	ar.fail_at = 0;
	if (kind == HV_PT_X86) {
		CU_ASSERT_EQUAL_FATAL(
		    hv_pt_format_x86(&fmt, LINUX_PAT, true, true, maxleaf), 0);
	} else {
		hv_pt_format_ept(&fmt, maxleaf);
	}
	CU_ASSERT_EQUAL_FATAL(hv_pt_init(&pt, &fmt, &mem, levels), 0);
	hv_ranges_init(&prot, store, 32);
}

static void expect(uint64_t addr, int rc, uint32_t acc, unsigned int level)
{
	struct hv_pt_leaf lf;

	CU_ASSERT_EQUAL(hv_pt_lookup(&pt, addr, &lf), rc);
	if (rc)
		return;
	CU_ASSERT_EQUAL(lf.pa, addr); /* identity */
	CU_ASSERT_EQUAL(lf.access, acc);
	CU_ASSERT_EQUAL(lf.level, level);
}

static void test_plain_identity_uses_1g(void)
{
	start(HV_PT_X86, 4, 3);
	CU_ASSERT_EQUAL(hv_pt_identity(&pt, 8ull << 30, NULL, NULL, NULL), 0);
	/* root + one PDPT for 8 GiB of 1 GiB leaves */
	CU_ASSERT_EQUAL(pt.tables, 2);
	expect(0, 0, HV_ACC_RWX, 3);
	expect((7ull << 30) + 0x1234, 0, HV_ACC_RWX, 3);
	expect(8ull << 30, -ENOENT, 0, 0);
	/* NPT entries carry U/S at every level (nested walks are user) */
	CU_ASSERT_TRUE(pt.root[0] & 4);
}

static void test_split_only_around_protected(void)
{
	uint64_t bad = 0;

	start(HV_PT_X86, 4, 3);
	CU_ASSERT_EQUAL(
	    hv_ranges_add(&prot, 0x40201000, 0x2000, HV_ACC_NONE, 0), 0);
	CU_ASSERT_EQUAL(
	    hv_ranges_add(&prot, 0x40600000, 0x1000, HV_ACC_R | HV_ACC_X, 1),
	    0);
	CU_ASSERT_EQUAL(hv_pt_identity(&pt, 4ull << 30, &prot, NULL, NULL), 0);
	/* root, PDPT, one PD for the 2nd GiB, two PTs */
	CU_ASSERT_EQUAL(pt.tables, 5);
	expect(0x0, 0, HV_ACC_RWX, 3);
	expect(0x40000000, 0, HV_ACC_RWX, 2);
	expect(0x40200000, 0, HV_ACC_RWX, 1);
	expect(0x40201000, -ENOENT, 0, 0);
	expect(0x40202fff, -ENOENT, 0, 0);
	expect(0x40203000, 0, HV_ACC_RWX, 1);
	expect(0x40400000, 0, HV_ACC_RWX, 2);
	expect(0x40600000, 0, HV_ACC_R | HV_ACC_X, 1);
	expect(0x40601000, 0, HV_ACC_RWX, 1);
	expect(0x80000000, 0, HV_ACC_RWX, 3);
	CU_ASSERT_EQUAL(hv_pt_check_protected(&pt, &prot, 4ull << 30, &bad), 0);
	/* a hand-made hole in the invariant is found */
	{
		uint64_t *pdpt = arena_virt(&ar, pt.root[0] & ~0xfffull);

		pdpt[1] = 0x40000000ull | 0x87 | 0x20; /* 1G RW leaf again */
		CU_ASSERT_EQUAL(
		    hv_pt_check_protected(&pt, &prot, 4ull << 30, &bad),
		    -EACCES);
		CU_ASSERT_EQUAL(bad, 0x40201000);
	}
}

static void test_no_access_block_needs_no_split(void)
{
	start(HV_PT_X86, 4, 3);
	CU_ASSERT_EQUAL(hv_ranges_add(&prot, 0x40000000, 0x40000000, 0, 0), 0);
	CU_ASSERT_EQUAL(hv_pt_identity(&pt, 2ull << 30, &prot, NULL, NULL), 0);
	CU_ASSERT_EQUAL(pt.tables, 2);
	expect(0x40000000, -ENOENT, 0, 0);
	expect(0x3fffffff, 0, HV_ACC_RWX, 3);
}

static void test_five_levels_and_2m_only(void)
{
	start(HV_PT_X86, 5, 2);
	CU_ASSERT_EQUAL(hv_pt_identity(&pt, 1ull << 30, NULL, NULL, NULL), 0);
	/* PML5, PML4, PDPT, PD */
	CU_ASSERT_EQUAL(pt.tables, 4);
	expect(0x3fe00000, 0, HV_ACC_RWX, 2);
	/* > 256 TiB needs 5 levels; 4 levels refuse it */
	start(HV_PT_X86, 4, 3);
	CU_ASSERT_EQUAL(
	    hv_pt_identity(&pt, (1ull << 48) + 4096, NULL, NULL, NULL),
	    -EINVAL);
	CU_ASSERT_EQUAL(hv_pt_identity(&pt, 0x1234, NULL, NULL, NULL), -EINVAL);
}

/* MTRRs like SeaBIOS on q35: WB default, UC hole 2G..4G, fixed ranges. */
static struct hv_mtrr_state mtrr;

static void seabios_mtrrs(void)
{
	memset(&mtrr, 0, sizeof(mtrr));
	mtrr.def_type = X86_MTRR_DEF_E | X86_MTRR_DEF_FE | HV_MT_WB;
	mtrr.nvar = 8;
	mtrr.phys_bits = 40;
	mtrr.fixed_supported = true;
	mtrr.var_base[0] = 0x80000000ull | HV_MT_UC;
	mtrr.var_mask[0] =
	    (0xffffffffffull & ~0x7fffffffull) | X86_MTRR_PHYSMASK_VALID;
	memset(mtrr.fixed, HV_MT_WB, sizeof(mtrr.fixed));
	mtrr.fixed[2] = 0; /* A0000-BFFFF: VGA, UC */
}

static void test_memtypes_follow_mtrrs(void)
{
	struct hv_pt_leaf lf;

	seabios_mtrrs();
	start(HV_PT_X86, 4, 3);
	CU_ASSERT_EQUAL(
	    hv_pt_identity(&pt, 8ull << 30, NULL, hv_mtrr_memtype_cb, &mtrr),
	    0);
	CU_ASSERT_EQUAL(hv_pt_lookup(&pt, 0xa0000, &lf), 0);
	CU_ASSERT_EQUAL(lf.memtype, HV_MT_UC);
	CU_ASSERT_EQUAL(lf.level, 1);
	CU_ASSERT_EQUAL(hv_pt_lookup(&pt, 0x9f000, &lf), 0);
	CU_ASSERT_EQUAL(lf.memtype, HV_MT_WB);
	CU_ASSERT_EQUAL(hv_pt_lookup(&pt, 0x200000, &lf), 0);
	CU_ASSERT_EQUAL(lf.memtype, HV_MT_WB);
	CU_ASSERT_EQUAL(lf.level, 2);
	CU_ASSERT_EQUAL(hv_pt_lookup(&pt, 0xfebf0000, &lf), 0);
	CU_ASSERT_EQUAL(lf.memtype, HV_MT_UC); /* MMIO stays uncached */
	CU_ASSERT_EQUAL(lf.level, 3);
	CU_ASSERT_EQUAL(hv_pt_lookup(&pt, 0x100000000ull, &lf), 0);
	CU_ASSERT_EQUAL(lf.memtype, HV_MT_WB);
	/* UC leaves use PCD|PWT (Linux PAT index 3) */
	CU_ASSERT_EQUAL(
	    ((uint64_t *)arena_virt(&ar, pt.root[0] & ~0xfffull))[3] & 0x18,
	    0x18);
}

static void test_ept_format(void)
{
	struct hv_pt_leaf lf;

	seabios_mtrrs();
	start(HV_PT_EPT, 4, 3);
	CU_ASSERT_EQUAL(hv_ranges_add(&prot, 0x1000, 0x1000, HV_ACC_R, 0), 0);
	CU_ASSERT_EQUAL(
	    hv_pt_identity(&pt, 4ull << 30, &prot, hv_mtrr_memtype_cb, &mtrr),
	    0);
	CU_ASSERT_EQUAL(hv_pt_lookup(&pt, 0x1000, &lf), 0);
	CU_ASSERT_EQUAL(lf.access, HV_ACC_R);
	CU_ASSERT_EQUAL(hv_pt_lookup(&pt, 0xc0000000ull, &lf), 0);
	CU_ASSERT_EQUAL(lf.memtype, HV_MT_UC);
	CU_ASSERT_EQUAL(lf.access, HV_ACC_RWX);
	/* EPT memory type sits in bits 5:3 of the leaf: WB = 6 */
	CU_ASSERT_EQUAL(hv_pt_lookup(&pt, 0x40000000ull, &lf), 0);
	CU_ASSERT_EQUAL(lf.memtype, HV_MT_WB);
	CU_ASSERT_EQUAL(lf.level, 3);
}

static void test_host_map(void)
{
	struct hv_pt_leaf lf;
	uint64_t va = 0xffffffffc0123000ull;

	start(HV_PT_X86, 5, 3);
	CU_ASSERT_EQUAL(
	    hv_pt_map(&pt, va, 0x5000, 0x3000, HV_ACC_R | HV_ACC_X, HV_MT_WB),
	    0);
	CU_ASSERT_EQUAL(hv_pt_lookup(&pt, va + 0x2010, &lf), 0);
	CU_ASSERT_EQUAL(lf.pa, 0x7010);
	CU_ASSERT_EQUAL(lf.access, HV_ACC_R | HV_ACC_X);
	/* remapping elsewhere is a conflict; the same mapping is fine */
	CU_ASSERT_EQUAL(hv_pt_map(&pt, va, 0x9000, 0x1000, HV_ACC_R, HV_MT_WB),
			-EEXIST);
	CU_ASSERT_EQUAL(
	    hv_pt_map(&pt, va, 0x5000, 0x1000, HV_ACC_R | HV_ACC_X, HV_MT_WB),
	    0);
	CU_ASSERT_EQUAL(
	    hv_pt_map(&pt, va + 1, 0x5000, 0x1000, HV_ACC_R, HV_MT_WB),
	    -EINVAL);
	/* host tables must not be user pages (SMEP/SMAP) */
	CU_ASSERT_EQUAL(hv_pt_format_x86(&fmt, LINUX_PAT, false, true, 3), 0);
	CU_ASSERT_EQUAL(
	    hv_pt_format_x86(&fmt, 0x0606060606060606ull, false, true, 3),
	    -ENOENT);
}

static void test_alloc_failure_each_step(void)
{
	uint32_t n, total;
	int rc;

	start(HV_PT_X86, 4, 3);
	CU_ASSERT_EQUAL(hv_ranges_add(&prot, 0x40201000, 0x2000, 0, 0), 0);
	CU_ASSERT_EQUAL(hv_pt_identity(&pt, 4ull << 30, &prot, NULL, NULL), 0);
	total = ar.used;
	for (n = 2; n <= total; n++) {
		struct hv_pt_mem mem = { &ar, arena_alloc, arena_virt };

		ar.used = 0;
		ar.fail_at = n;
		CU_ASSERT_EQUAL_FATAL(hv_pt_init(&pt, &fmt, &mem, 4), 0);
		rc = hv_pt_identity(&pt, 4ull << 30, &prot, NULL, NULL);
		CU_ASSERT_EQUAL(rc, -ENOMEM);
	}
}

UNIT_SUITE(hv_pt, setup, teardown, UNIT_TEST(test_plain_identity_uses_1g),
	   UNIT_TEST(test_split_only_around_protected),
	   UNIT_TEST(test_no_access_block_needs_no_split),
	   UNIT_TEST(test_five_levels_and_2m_only),
	   UNIT_TEST(test_memtypes_follow_mtrrs), UNIT_TEST(test_ept_format),
	   UNIT_TEST(test_host_map), UNIT_TEST(test_alloc_failure_each_step))
