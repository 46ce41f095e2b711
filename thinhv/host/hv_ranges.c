// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_ranges.c - protected physical range registry (pure C: kernel, host mode,
 * host unit tests). hv_ranges_find/overlap/uniform run in host mode: they
 * only read the array and call nothing.
 */
#include "thinhv/compat.h"
#include "thinhv/hv_abi.h"
#include "thinhv/hv_ranges.h"

void hv_ranges_init(struct hv_ranges *rs, struct hv_range *storage,
		    uint32_t cap)
{
	rs->r = storage;
	rs->n = 0;
	rs->cap = cap;
}

static uint64_t range_end(const struct hv_range *r)
{
	return r->base + r->len;
}

static void insert_at(struct hv_ranges *rs, uint32_t i,
		      const struct hv_range *v)
{
	uint32_t j;

	for (j = rs->n; j > i; j--)
		rs->r[j] = rs->r[j - 1];
	rs->r[i] = *v;
	rs->n++;
}

static void remove_at(struct hv_ranges *rs, uint32_t i)
{
	uint32_t j;

	for (j = i; j + 1 < rs->n; j++)
		rs->r[j] = rs->r[j + 1];
	rs->n--;
}

/* Split the range strictly containing x into [base,x) and [x,end). */
static void split_at(struct hv_ranges *rs, uint64_t x)
{
	uint32_t i;

	for (i = 0; i < rs->n; i++) {
		struct hv_range *r = &rs->r[i];

		if (r->base < x && x < range_end(r)) {
			struct hv_range hi = *r;

			hi.base = x;
			hi.len = range_end(r) - x;
			r->len = x - r->base;
			insert_at(rs, i + 1, &hi);
			return;
		}
	}
}

static void merge_adjacent(struct hv_ranges *rs)
{
	uint32_t i = 0;

	while (i + 1 < rs->n) {
		struct hv_range *a = &rs->r[i], *b = &rs->r[i + 1];

		if (range_end(a) == b->base && a->access == b->access &&
		    a->kind == b->kind) {
			a->len += b->len;
			remove_at(rs, i + 1);
		} else {
			i++;
		}
	}
}

int hv_ranges_add(struct hv_ranges *rs, uint64_t base, uint64_t len,
		  uint32_t access, uint32_t kind)
{
	uint64_t b, e, cur;
	uint32_t i, inside = 0;

	if (!len || (access & ~HV_ACC_RWX))
		return -EINVAL;
	if (base + len < base || base + len > ~(uint64_t)0 - HV_PAGE_SIZE)
		return -ERANGE;
	b = HV_ALIGN_DOWN(base, HV_PAGE_SIZE);
	e = HV_ALIGN_UP(base + len, HV_PAGE_SIZE);

	/* Worst case: two splits plus one new piece per gap. */
	for (i = 0; i < rs->n; i++)
		if (rs->r[i].base < e && range_end(&rs->r[i]) > b)
			inside++;
	if (rs->n + 2 + inside + 1 > rs->cap)
		return -ENOSPC;

	split_at(rs, b);
	split_at(rs, e);

	/* Walk [b, e): tighten covered pieces, fill the gaps with new ones. */
	cur = b;
	i = 0;
	while (cur < e) {
		while (i < rs->n && range_end(&rs->r[i]) <= cur)
			i++;
		if (i < rs->n && rs->r[i].base <= cur) {
			rs->r[i].access &= access;
			cur = range_end(&rs->r[i]);
			i++;
		} else {
			struct hv_range nr;
			uint64_t stop = e;

			if (i < rs->n && rs->r[i].base < e)
				stop = rs->r[i].base;
			nr.base = cur;
			nr.len = stop - cur;
			nr.access = access;
			nr.kind = kind;
			insert_at(rs, i, &nr);
			i++;
			cur = stop;
		}
	}
	merge_adjacent(rs);
	return 0;
}

/* Index of the first range ending above addr (binary search), or n. */
static uint32_t first_ending_after(const struct hv_ranges *rs, uint64_t addr)
{
	uint32_t lo = 0, hi = rs->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (range_end(&rs->r[mid]) <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct hv_range *hv_ranges_find(const struct hv_ranges *rs, uint64_t addr)
{
	uint32_t i = first_ending_after(rs, addr);

	if (i < rs->n && rs->r[i].base <= addr)
		return &rs->r[i];
	return NULL;
}

bool hv_ranges_overlap(const struct hv_ranges *rs, uint64_t base, uint64_t len)
{
	uint32_t i;

	if (!len)
		return false;
	i = first_ending_after(rs, base);
	if (base + len < base)
		return i < rs->n;
	return i < rs->n && rs->r[i].base < base + len;
}

bool hv_ranges_uniform(const struct hv_ranges *rs, uint64_t base, uint64_t len,
		       uint32_t *access)
{
	uint32_t i = first_ending_after(rs, base);
	uint64_t end = base + len;

	if (i >= rs->n || rs->r[i].base >= end) {
		*access = HV_ACC_RWX; /* touches no range */
		return true;
	}
	if (rs->r[i].base <= base && range_end(&rs->r[i]) >= end) {
		*access = rs->r[i].access; /* inside one range */
		return true;
	}
	return false;
}
