// SPDX-License-Identifier: GPL-2.0-only
/*
 * iommu_hw.c - the only MMIO, volatile and cache-control accesses of the
 * IOMMU drivers (kernel, process context). Every wait is bounded.
 */
#include <linux/io.h>
#include <linux/iopoll.h>
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

int iommu_wait32(void __iomem *regs, uint32_t off, uint32_t mask, uint32_t want,
		 unsigned int timeout_us)
{
	uint32_t v;

	return readl_poll_timeout(reg(regs, off), v, (v & mask) == want, 10,
				  timeout_us);
}

int iommu_wait64(void __iomem *regs, uint32_t off, uint64_t mask, uint64_t want,
		 unsigned int timeout_us)
{
	uint64_t v;

	return readq_poll_timeout(reg(regs, off), v, (v & mask) == want, 10,
				  timeout_us);
}

int iommu_wait_mem64(const uint64_t *p, uint64_t want, unsigned int timeout_us)
{
	unsigned int waited = 0;

	/* The IOMMU writes *p by DMA: read it as volatile, fresh each time. */
	while (READ_ONCE(*(const volatile uint64_t *)p) != want) {
		if (waited >= timeout_us)
			return -ETIMEDOUT;
		udelay(10);
		waited += 10;
	}
	return 0;
}

void iommu_hw_flush(const void *va, size_t len)
{
	clflush_cache_range((void *)va, (unsigned int)len);
	wmb();
}
