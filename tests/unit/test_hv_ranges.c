// SPDX-License-Identifier: GPL-2.0-only
/* test_hv_ranges.c - protected-range registry: add, merge, overlap, limits. */
#include "unit.h"
#include "thinhv/compat.h"
#include "thinhv/hv_abi.h"
#include "thinhv/hv_ranges.h"

static struct hv_range store[16];
static struct hv_ranges rs;

static void reset(uint32_t cap)
{
	memset(store, 0xa5, sizeof(store));
	hv_ranges_init(&rs, store, cap);
}

static void test_add_aligns_and_finds(void)
{
	reset(16);
	CU_ASSERT_EQUAL(hv_ranges_add(&rs, 0x1234, 0x10, HV_ACC_NONE, 0), 0);
	CU_ASSERT_EQUAL(rs.n, 1);
	CU_ASSERT_EQUAL(rs.r[0].base, 0x1000);
	CU_ASSERT_EQUAL(rs.r[0].len, 0x1000);
	CU_ASSERT_PTR_NOT_NULL(hv_ranges_find(&rs, 0x1fff));
	CU_ASSERT_PTR_NULL(hv_ranges_find(&rs, 0x2000));
	CU_ASSERT_PTR_NULL(hv_ranges_find(&rs, 0xfff));
	/* a range straddling a page boundary widens to both pages */
	CU_ASSERT_EQUAL(hv_ranges_add(&rs, 0x5ff0, 0x20, HV_ACC_R, 1), 0);
	CU_ASSERT_EQUAL(rs.n, 2);
	CU_ASSERT_EQUAL(rs.r[1].base, 0x5000);
	CU_ASSERT_EQUAL(rs.r[1].len, 0x2000);
}

static void test_merge_adjacent_and_overlap(void)
{
	reset(16);
	CU_ASSERT_EQUAL(hv_ranges_add(&rs, 0x3000, 0x1000, 0, 0), 0);
	CU_ASSERT_EQUAL(hv_ranges_add(&rs, 0x1000, 0x1000, 0, 0), 0);
	CU_ASSERT_EQUAL(hv_ranges_add(&rs, 0x2000, 0x1000, 0, 0), 0);
	CU_ASSERT_EQUAL(rs.n, 1);
	CU_ASSERT_EQUAL(rs.r[0].base, 0x1000);
	CU_ASSERT_EQUAL(rs.r[0].len, 0x3000);
	/* fully overlapping add with the same rule changes nothing */
	CU_ASSERT_EQUAL(hv_ranges_add(&rs, 0x1000, 0x3000, 0, 0), 0);
	CU_ASSERT_EQUAL(rs.n, 1);
	CU_ASSERT_TRUE(hv_ranges_overlap(&rs, 0x0, 0x1001));
	CU_ASSERT_FALSE(hv_ranges_overlap(&rs, 0x0, 0x1000));
	CU_ASSERT_FALSE(hv_ranges_overlap(&rs, 0x4000, 0x1000));
	CU_ASSERT_TRUE(hv_ranges_overlap(&rs, 0x3fff, 1));
	/* a wrapping query overlaps everything above base */
	CU_ASSERT_TRUE(hv_ranges_overlap(&rs, 0x2000, UINT64_MAX));
}

static void test_stricter_rule_wins(void)
{
	reset(16);
	/* read-only code, then a no-access hole in its middle */
	CU_ASSERT_EQUAL(
	    hv_ranges_add(&rs, 0x10000, 0x4000, HV_ACC_R | HV_ACC_X, 1), 0);
	CU_ASSERT_EQUAL(hv_ranges_add(&rs, 0x11000, 0x1000, HV_ACC_NONE, 0), 0);
	CU_ASSERT_EQUAL(rs.n, 3);
	CU_ASSERT_EQUAL(hv_ranges_find(&rs, 0x10000)->access,
			HV_ACC_R | HV_ACC_X);
	CU_ASSERT_EQUAL(hv_ranges_find(&rs, 0x11800)->access, HV_ACC_NONE);
	CU_ASSERT_EQUAL(hv_ranges_find(&rs, 0x12000)->access,
			HV_ACC_R | HV_ACC_X);
	/* a looser rule over a strict one does not loosen it */
	CU_ASSERT_EQUAL(hv_ranges_add(&rs, 0x0, 0x20000, HV_ACC_R, 1), 0);
	CU_ASSERT_EQUAL(hv_ranges_find(&rs, 0x11000)->access, HV_ACC_NONE);
	CU_ASSERT_EQUAL(hv_ranges_find(&rs, 0x10000)->access, HV_ACC_R);
	CU_ASSERT_EQUAL(hv_ranges_find(&rs, 0x0)->access, HV_ACC_R);
	CU_ASSERT_EQUAL(hv_ranges_find(&rs, 0x1f000)->access, HV_ACC_R);
}

static void test_uniform(void)
{
	uint32_t acc = 99;

	reset(16);
	CU_ASSERT_EQUAL(hv_ranges_add(&rs, 0x200000, 0x200000, 0, 0), 0);
	CU_ASSERT_TRUE(hv_ranges_uniform(&rs, 0x0, 0x200000, &acc));
	CU_ASSERT_EQUAL(acc, HV_ACC_RWX);
	CU_ASSERT_TRUE(hv_ranges_uniform(&rs, 0x200000, 0x200000, &acc));
	CU_ASSERT_EQUAL(acc, HV_ACC_NONE);
	CU_ASSERT_FALSE(hv_ranges_uniform(&rs, 0x0, 0x40000000, &acc));
	CU_ASSERT_FALSE(hv_ranges_uniform(&rs, 0x300000, 0x200000, &acc));
}

static void test_bad_input_and_full(void)
{
	uint32_t i;

	reset(4);
	CU_ASSERT_EQUAL(hv_ranges_add(&rs, 0x1000, 0, 0, 0), -EINVAL);
	CU_ASSERT_EQUAL(hv_ranges_add(&rs, 0x1000, 0x1000, 8, 0), -EINVAL);
	CU_ASSERT_EQUAL(hv_ranges_add(&rs, UINT64_MAX - 10, 100, 0, 0),
			-ERANGE);
	CU_ASSERT_EQUAL(hv_ranges_add(&rs, UINT64_MAX - 0x1000, 0x800, 0, 0),
			-ERANGE);
	CU_ASSERT_EQUAL(rs.n, 0);
	/* fill until refused; a refused add leaves the registry unchanged */
	for (i = 0; i < 8; i++)
		if (hv_ranges_add(&rs, 0x10000ull * (i + 1), 0x1000, 0, 0))
			break;
	CU_ASSERT_TRUE(i < 8);
	{
		uint32_t n = rs.n;
		struct hv_range copy[4];

		memcpy(copy, store, sizeof(copy));
		CU_ASSERT_EQUAL(hv_ranges_add(&rs, 0x900000, 0x1000, 0, 0),
				-ENOSPC);
		CU_ASSERT_EQUAL(rs.n, n);
		CU_ASSERT_EQUAL(memcmp(copy, store, sizeof(copy)), 0);
	}
	CU_ASSERT_TRUE(rs.n <= rs.cap);
}

/* Random adds checked against a page bitmap model. */
static void test_random_against_model(void)
{
	static uint8_t model[256];
	uint32_t seed = 12345, round, p;
	struct hv_range big[256];

	hv_ranges_init(&rs, big, 256);
	memset(model, 7, sizeof(model));
	for (round = 0; round < 200; round++) {
		uint32_t start, len, acc;

		seed = seed * 1103515245u + 12345u;
		start = (seed >> 8) % 240;
		len = 1 + (seed >> 20) % 16;
		acc = (seed >> 4) & 7;
		CU_ASSERT_EQUAL_FATAL(
		    hv_ranges_add(&rs, start * 4096ull, len * 4096ull, acc, 0),
		    0);
		for (p = start; p < start + len; p++)
			model[p] &= (uint8_t)acc;
		for (p = 0; p + 1 < rs.n; p++)
			CU_ASSERT_TRUE(rs.r[p].base + rs.r[p].len <=
				       rs.r[p + 1].base);
	}
	for (p = 0; p < 256; p++) {
		const struct hv_range *r = hv_ranges_find(&rs, p * 4096ull);
		uint32_t got = r ? r->access : HV_ACC_RWX;

		CU_ASSERT_EQUAL(got, model[p]);
	}
}

UNIT_SUITE(hv_ranges, NULL, NULL, UNIT_TEST(test_add_aligns_and_finds),
	   UNIT_TEST(test_merge_adjacent_and_overlap),
	   UNIT_TEST(test_stricter_rule_wins), UNIT_TEST(test_uniform),
	   UNIT_TEST(test_bad_input_and_full),
	   UNIT_TEST(test_random_against_model))
