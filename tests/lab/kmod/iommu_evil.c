// SPDX-License-Identifier: GPL-2.0-only
/*
 * iommu_evil.c - lab-only module (guest kernel): plays a compromised kernel
 * that stages its own DMA tables in thinhv's swap stage (OS memory) and
 * calls HV_HC_IOMMU_SWAP straight from CPL 0, bypassing thinhv.ko:
 *   insmod iommu_evil.ko kind=vtd|amdvi stage=PA devtab=PA spare=0|1
 *          pool=PA(of the spare pool) reserved=N levels=N sid=BDF target=PA
 * One device (sid) gets a table mapping exactly the 4 KiB page at target,
 * read-write; every other device nothing. With target inside a protected
 * range the hypervisor must refuse (IOMMU_BAD_PROTECTED); with target in
 * ordinary memory it must accept, and the device then reaches the page
 * (proves the hand-built tables are what the hardware walks).
 * Prints "iommu_evil: rax=<signed> gen=N why=N where=PA"; rmmod it after.
 * Only load it while thinhv runs (VMMCALL is #UD otherwise).
 */
#include <linux/io.h>
#include <linux/module.h>
#include <linux/string.h>

#include "thinhv/hv_abi.h"
#include "thinhv/iommu_host.h"

static char *kind = "vtd";
module_param(kind, charp, 0444);
static unsigned long long stage, devtab, pool, target;
module_param(stage, ullong, 0444);
module_param(devtab, ullong, 0444);
module_param(pool, ullong, 0444);
module_param(target, ullong, 0444);
static uint reserved = 1, levels = 4, sid = 0x28, spare = 1;
module_param(spare, uint, 0444);
module_param(reserved, uint, 0444);
module_param(levels, uint, 0444);
module_param(sid, uint, 0444);

#define PG 4096ull
#define A_PTR 0x000ffffffffff000ull

static u64 *page(u8 *st, uint i)
{
	return (u64 *)(st + (u64)(reserved + i) * PG);
}

static u64 pa_of(uint i)
{
	return pool + (u64)(reserved + i) * PG;
}

static uint idx(u64 a, uint level)
{
	return (a >> (12 + 9 * (level - 1))) & 511;
}

/* Pages 0.. of the table chain: level `levels` first, level 1 last. */
static void chain(u8 *st, uint first, bool amd)
{
	uint l, p;

	for (l = levels, p = first; l >= 1; l--, p++) {
		u64 *t = page(st, p);

		if (l > 1)
			t[idx(target, l)] = amd ? pa_of(p + 1) | 1 |
						      ((u64)(l - 1) << 9) |
						      (3ull << 61)
						: pa_of(p + 1) | 3;
		else
			t[idx(target, 1)] =
			    amd ? (target & A_PTR) | 1 | (3ull << 61)
				: (target & A_PTR) | 3;
	}
}

static int __init iommu_evil_init(void)
{
	bool amd = !strcmp(kind, "amdvi");
	struct iommu_stage_hdr *h;
	u64 a, b = 0, c = 0, d = 0;
	u8 *st;
	uint i, npages;

	if (!stage || !pool || levels < 3 || levels > 4 || (amd && !devtab))
		return -EINVAL;
	st = phys_to_virt(stage);
	npages = amd ? levels : 2 + levels;
	memset(st, 0, (reserved + npages) * PG);
	if (amd) {
		u64 *dt = phys_to_virt(devtab);

		for (i = 0; i < 65536; i++) {
			dt[4 * i + 3] = dt[4 * i + 2] = dt[4 * i + 1] = 0;
			dt[4 * i] = 3; /* V, TV, mode 0: no access */
		}
		chain(st, 0, true);
		dt[4 * sid + 1] = 1; /* domain 1 */
		dt[4 * sid] = pa_of(0) | 3 | ((u64)levels << 9) | (3ull << 61);
	} else {
		u64 *root = page(st, 0), *ctx = page(st, 1);

		root[2 * (sid >> 8)] = pa_of(1) | 1;
		ctx[2 * (sid & 0xff)] = pa_of(2) | 1;
		ctx[2 * (sid & 0xff) + 1] = (levels - 2) | (1u << 8);
		chain(st, 2, false);
	}
	h = (struct iommu_stage_hdr *)st;
	h->magic = IOMMU_STAGE_MAGIC;
	h->version = IOMMU_STAGE_VERSION;
	h->npages = npages;
	h->pool = spare;
	h->root_page[0] = reserved; /* VT-d: page 0 of the chain */
	a = hv_hc_rax(HV_HC_IOMMU_SWAP);
	asm volatile("vmmcall"
		     : "+a"(a), "+b"(b), "+c"(c), "+d"(d)
		     :
		     : "memory");
	pr_info("iommu_evil: rax=%lld gen=%llu why=%llu where=%#llx\n",
		hv_hc_result(a), b, c, d);
	/* Stay loaded (rmmod it): a failing init makes busybox insmod try
	 * a second load, which would issue the hypercall twice. */
	return 0;
}

static void __exit iommu_evil_exit(void)
{
}

module_init(iommu_evil_init);
module_exit(iommu_evil_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("thinhv lab: hostile DMA tables staged from CPL 0");
