// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_vmx_ept.c - the shared page-table builder in its EPT format, checked
 * entry by entry against the SDM's EPT rules (host userspace): no entry the
 * CPU would call an EPT misconfiguration (SDM vol. 3C 29.3.3.1), leaf memory
 * types from the MTRR callback, protected ranges unmapped or read/execute
 * only, 1 GiB/2 MiB leaves where the plan allows them, and the EPTP.
 */
#include <stdlib.h>

#include "unit.h"
#include "thinhv/compat.h"
#include "thinhv/hv_abi.h"
#include "thinhv/pure/hv_memtype.h"
#include "thinhv/pure/hv_pt.h"
#include "thinhv/host/vmx_caps.h"
#include "thinhv/hw/vmx_regs.h"

#define PAGES 256
#define PA0 0x40000000ull

static uint8_t (*pages)[4096];
static uint32_t used;

static int ept_alloc(void *ctx, uint64_t *pa, void **va)
{
	if (used >= PAGES)
		return -ENOMEM;
	memset(pages[used], 0, 4096);
	*va = pages[used];
	*pa = PA0 + 4096ull * used++;
	return 0;
}

static void *ept_virt(void *ctx, uint64_t pa)
{
	uint64_t i = (pa - PA0) / 4096;

	return pa >= PA0 && i < used ? pages[i] : NULL;
}

static int setup(void)
{
	pages = aligned_alloc(4096, (size_t)PAGES * 4096);
	return pages ? 0 : -1;
}

static int teardown(void)
{
	free(pages);
	return 0;
}

/* 0-3 GiB WB RAM, 3-4 GiB UC (MMIO hole), as variable MTRRs describe it. */
static int memtype(void *ctx, uint64_t base, uint64_t len, uint8_t *t)
{
	const uint64_t hole = 3ull << 30, end = 4ull << 30;

	if (base < hole && base + len > hole)
		return -EAGAIN;
	*t = (base >= hole && base < end) ? HV_MT_UC : HV_MT_WB;
	return 0;
}

struct walk_stats {
	unsigned int bad, leaves[4], tables;
};

/* SDM 29.3.3.1: misconfigured if W without R, reserved bits set, or a
 * leaf memory type of 2, 3 or 7; bit 7 must be 0 in a PML4E. */
static void check_table(const uint64_t *t, unsigned int level,
			struct walk_stats *st)
{
	unsigned int i;

	st->tables++;
	for (i = 0; i < 512; i++) {
		uint64_t e = t[i];
		unsigned int rwx = (unsigned int)(e & 7);

		if (!rwx) {
			if (e)
				st->bad++; /* junk in a not-present entry */
			continue;
		}
		if (rwx == 2 || rwx == 6)
			st->bad++; /* write without read */
		if (e & 0xfff0000000000000ull)
			st->bad++; /* beyond MAXPHYADDR / reserved high bits */
		if (level == 4 && (e & (1ull << 7)))
			st->bad++;
		if (level == 1 || (level <= 3 && (e & (1ull << 7)))) {
			unsigned int mt = (unsigned int)((e >> 3) & 7);
			uint64_t align = 1ull << (12 + 9 * (level - 1));

			if (mt == 2 || mt == 3 || mt == 7)
				st->bad++;
			if ((e & 0x000ffffffffff000ull) & (align - 1))
				st->bad++; /* large leaf address not aligned */
			st->leaves[level]++;
		} else {
			if (e & (7ull << 3))
				st->bad++; /* bits 7:3 reserved in tables */
			check_table(ept_virt(NULL, e & 0x000ffffffffff000ull),
				    level - 1, st);
		}
	}
}

static void build(struct hv_pt *pt, struct hv_pt_format *f, uint8_t leaf,
		  const struct hv_ranges *prot, uint64_t limit)
{
	struct hv_pt_mem mem = { NULL, ept_alloc, ept_virt };

	used = 0;
	hv_pt_format_ept(f, leaf);
	CU_ASSERT_EQUAL_FATAL(hv_pt_init(pt, f, &mem, 4), 0);
	CU_ASSERT_EQUAL_FATAL(hv_pt_identity(pt, limit, prot, memtype, NULL),
			      0);
}

static void test_ept_entries_valid(void)
{
	static struct hv_range store[8];
	struct hv_ranges prot;
	struct hv_pt_format f;
	struct hv_pt pt;
	struct walk_stats st = { 0 };
	struct hv_pt_leaf lf;
	uint64_t bad = 0;

	hv_ranges_init(&prot, store, 8);
	/* hypervisor pool (no access) and code (read/execute) */
	CU_ASSERT_EQUAL(
	    hv_ranges_add(&prot, 0x12345000, 0x3000, HV_ACC_NONE, 0), 0);
	CU_ASSERT_EQUAL(
	    hv_ranges_add(&prot, 0x20000000, 0x2000, HV_ACC_R | HV_ACC_X, 1),
	    0);
	build(&pt, &f, 3, &prot, 8ull << 30);
	check_table(pt.root, 4, &st);
	CU_ASSERT_EQUAL(st.bad, 0);
	CU_ASSERT(st.leaves[3] >= 5); /* 1 GiB leaves away from the ranges */
	CU_ASSERT(st.leaves[2] > 0);
	CU_ASSERT(st.leaves[1] > 0);

	/* protected pages: pool not present, code readable+executable only */
	CU_ASSERT_EQUAL(hv_pt_lookup(&pt, 0x12346000, &lf), -ENOENT);
	CU_ASSERT_EQUAL_FATAL(hv_pt_lookup(&pt, 0x20001000, &lf), 0);
	CU_ASSERT_EQUAL(lf.access, HV_ACC_R | HV_ACC_X);
	CU_ASSERT_EQUAL(lf.level, 1);
	CU_ASSERT_EQUAL(hv_pt_check_protected(&pt, &prot, 8ull << 30, &bad), 0);
	/* memory types: WB RAM, UC hole, WB again above 4 GiB */
	CU_ASSERT_EQUAL_FATAL(hv_pt_lookup(&pt, 0x1000, &lf), 0);
	CU_ASSERT_EQUAL(lf.memtype, HV_MT_WB);
	CU_ASSERT_EQUAL_FATAL(hv_pt_lookup(&pt, 0xfee00000, &lf), 0);
	CU_ASSERT_EQUAL(lf.memtype, HV_MT_UC);
	CU_ASSERT_EQUAL(lf.level, 3);
	CU_ASSERT_EQUAL_FATAL(hv_pt_lookup(&pt, 5ull << 30, &lf), 0);
	CU_ASSERT_EQUAL(lf.memtype, HV_MT_WB);
	CU_ASSERT_EQUAL(lf.access, HV_ACC_RWX);
	CU_ASSERT_EQUAL(lf.pa, 5ull << 30);
}

/* A CPU without 1 GiB EPT pages: the plan's max leaf is 2, honoured. */
static void test_ept_no_1g(void)
{
	struct hv_pt_format f;
	struct hv_pt pt;
	struct walk_stats st = { 0 };

	build(&pt, &f, 2, NULL, 4ull << 30);
	check_table(pt.root, 4, &st);
	CU_ASSERT_EQUAL(st.bad, 0);
	CU_ASSERT_EQUAL(st.leaves[3], 0);
	CU_ASSERT_EQUAL(st.leaves[2], 4 * 512);

	/* the checker itself: a write-only leaf and a UC-minus type (7) are
	 * what the CPU would call misconfigured */
	{
		uint64_t *pdpt = ept_virt(NULL, pt.root[0] & ~0xfffull);
		uint64_t *pd = ept_virt(NULL, pdpt[0] & ~0xfffull);
		uint64_t keep = pd[1];
		struct walk_stats st2 = { 0 };

		pd[1] = (keep & ~7ull) | 2;
		pd[2] |= 7ull << 3;
		check_table(pt.root, 4, &st2);
		CU_ASSERT_EQUAL(st2.bad, 2);
		pd[1] = keep;
	}
}

/* The EPTP thinhv programs names this root, WB, 4 levels (SDM 25.6.11). */
static void test_eptp_for_root(void)
{
	struct hv_pt_format f;
	struct hv_pt pt;
	uint64_t eptp;

	build(&pt, &f, 3, NULL, 1ull << 30);
	eptp = vmx_eptp(pt.root_pa, 4);
	CU_ASSERT_EQUAL(eptp & ~0xfffull, pt.root_pa);
	CU_ASSERT_EQUAL(eptp & 7, VMX_EPTP_WB);
	CU_ASSERT_EQUAL((eptp >> VMX_EPTP_WALK_SHIFT) & 7, 3);
	CU_ASSERT_EQUAL(eptp & VMX_EPTP_AD, 0);
}

UNIT_SUITE(vmx_ept, setup, teardown, UNIT_TEST(test_ept_entries_valid),
	   UNIT_TEST(test_ept_no_1g), UNIT_TEST(test_eptp_for_root))
