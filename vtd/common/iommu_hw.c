// SPDX-License-Identifier: GPL-2.0-only
/*
 * iommu_hw.c - the only MMIO, volatile and cache-control accesses of the
 * IOMMU drivers (kernel, process context), and the kernel's struct iommu_acc
 * over them for the protocols (vtd/host/{vtd,amdvi}_proto.c). Every wait
 * is bounded.
 */
#include <linux/io.h>
#include <linux/delay.h>
#include <asm/cacheflush.h>
#include "vtd/common/iommu_drv.h"

void __iomem *iommu_hw_map(uint64_t base, uint64_t size)
{
	return ioremap(base, size);
}

void iommu_hw_unmap(void __iomem *regs)
{
	if (regs)
		iounmap(regs);
}

static void __iomem *reg(void __iomem *regs, uint32_t off)
{
	return (uint8_t __iomem *)regs + off;
}

uint32_t iommu_rd32(void __iomem *regs, uint32_t off)
{
	return readl(reg(regs, off));
}

uint64_t iommu_rd64(void __iomem *regs, uint32_t off)
{
	return readq(reg(regs, off));
}

void iommu_wr32(void __iomem *regs, uint32_t off, uint32_t val)
{
	writel(val, reg(regs, off));
}

void iommu_wr64(void __iomem *regs, uint32_t off, uint64_t val)
{
	writeq(val, reg(regs, off));
}

void iommu_hw_flush(const void *va, size_t len)
{
	clflush_cache_range((void *)va, (unsigned int)len);
	wmb();
}

/* ---- struct iommu_acc for the protocols (ctx: the hv_iommu_unit) ---- */

static void __iomem *acc_regs(const struct iommu_acc *a)
{
	return ((const struct hv_iommu_unit *)a->ctx)->regs;
}

static uint32_t acc_rd32(const struct iommu_acc *a, uint32_t off)
{
	return iommu_rd32(acc_regs(a), off);
}

static uint64_t acc_rd64(const struct iommu_acc *a, uint32_t off)
{
	return iommu_rd64(acc_regs(a), off);
}

static void acc_wr32(const struct iommu_acc *a, uint32_t off, uint32_t v)
{
	iommu_wr32(acc_regs(a), off, v);
}

static void acc_wr64(const struct iommu_acc *a, uint32_t off, uint64_t v)
{
	iommu_wr64(acc_regs(a), off, v);
}

static int acc_wait(const struct iommu_acc *a, const struct iommu_wait *w)
{
	unsigned int waited = 0;
	int met;

	while (!(met = iommu_wait_met(a, w))) {
		if (waited >= HV_IOMMU_WAIT_US)
			return -ETIMEDOUT;
		udelay(10);
		waited += 10;
	}
	return met < 0 ? met : 0;
}

static void acc_flush(const struct iommu_acc *a, const void *va, size_t len)
{
	iommu_hw_flush(va, len);
}

static void acc_fence(const struct iommu_acc *a)
{
	wmb();
}

static void acc_log(const struct iommu_acc *a, const char *what, uint64_t v)
{
	const struct hv_iommu_unit *u = a->ctx;

	pr_err("thinhv: iommu unit %#llx: %s %#llx\n", u->base, what, v);
}

void iommu_hw_acc_init(struct hv_iommu_unit *u)
{
	u->acc.ctx = u;
	u->acc.rd32 = acc_rd32;
	u->acc.rd64 = acc_rd64;
	u->acc.wr32 = acc_wr32;
	u->acc.wr64 = acc_wr64;
	u->acc.wait = acc_wait;
	u->acc.flush = acc_flush;
	u->acc.fence = acc_fence;
	u->acc.log = acc_log;
}
