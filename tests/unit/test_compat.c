// SPDX-License-Identifier: GPL-2.0-only
/* test_compat.c - the byte-order and bounds helpers every parser relies on. */
#include "unit.h"
#include "thinhv/compat.h"

static void test_le_roundtrip(void)
{
	uint8_t b[8];

	hv_put_le64(b, 0x1122334455667788ull);
	CU_ASSERT_EQUAL(b[0], 0x88);
	CU_ASSERT_EQUAL(b[7], 0x11);
	CU_ASSERT_EQUAL(hv_le64(b), 0x1122334455667788ull);
	CU_ASSERT_EQUAL(hv_le32(b + 4), 0x11223344u);
	CU_ASSERT_EQUAL(hv_le16(b), 0x7788);
}

static void test_fits_overflow(void)
{
	CU_ASSERT_TRUE(hv_fits(0, 16, 16));
	CU_ASSERT_FALSE(hv_fits(1, 16, 16));
	CU_ASSERT_FALSE(hv_fits(17, 0, 16));
	/* off + len wraps: must still be refused. */
	CU_ASSERT_FALSE(hv_fits(8, UINT64_MAX, 16));
	CU_ASSERT_FALSE(hv_fits(UINT64_MAX, 2, 16));
}

UNIT_SUITE(compat, NULL, NULL, UNIT_TEST(test_le_roundtrip),
	   UNIT_TEST(test_fits_overflow))
