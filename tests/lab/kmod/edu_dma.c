// SPDX-License-Identifier: GPL-2.0-only
/*
 * edu_dma.c - lab-only module (guest kernel): drives QEMU's edu device as a
 * real driver would, so the same DMA workload can be timed with no IOMMU,
 * under thinhv and under Linux's own IOMMU (strict or lazy):
 *   insmod edu_dma.ko bdf=0000:00:04.0 [rounds=N] [len=B] [buf=PHYS]
 *   insmod edu_dma.ko idle_ms=MS       (sleep only: the background window)
 * hv=1 (only while thinhv runs) also reads thinhv's exit counters of every
 * CPU by hypercall right before and after the timed part and prints their
 * differences: the hypervisor's work during the DMAs, free of the process
 * start-up that `thinhv status` around an insmod would add.
 * Each round writes a fresh pattern to RAM, DMAs it RAM -> device, DMAs it
 * back device -> a cleared second buffer and compares, so a blocked or
 * redirected DMA is counted as a mismatch, never timed as a success.
 * buf=0 (default) maps both pages per transfer with dma_map_single() and
 * unmaps them after it (the streaming DMA API: what Linux's IOMMU costs);
 * buf=PHYS uses two fixed pages of reserved RAM at PHYS with bus address =
 * physical address (a device confined to a thinhv window).
 * Prints one "edu_dma: ..." line and never stays loaded (-ECANCELED when the
 * run completed; any other error means it could not run).
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/iommu.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <asm/processor.h>

#include "thinhv/hv_abi.h"

/* QEMU docs/specs/edu.rst */
#define EDU_REG_DMA_SRC 0x80
#define EDU_REG_DMA_DST 0x88
#define EDU_REG_DMA_CNT 0x90
#define EDU_REG_DMA_CMD 0x98
#define EDU_DMA_START 0x1
#define EDU_DMA_TO_RAM 0x2
#define EDU_BUF_BASE 0x40000
/* QEMU 7.2 aborts on a 4096-byte transfer (off-by-one range check). */
#define EDU_LEN_MAX 4095
/* edu completes a transfer 100 ms (virtual clock) after the start. */
#define EDU_TIMEOUT_MS 3000

static char *bdf = "0000:00:04.0";
module_param(bdf, charp, 0444);
static uint rounds = 20;
module_param(rounds, uint, 0444);
static uint len = 4000;
module_param(len, uint, 0444);
static unsigned long long buf;
module_param(buf, ullong, 0444);
static uint idle_ms;
module_param(idle_ms, uint, 0444);
static bool hv;
module_param(hv, bool, 0444);

#define EDU_HV_N 5
static const unsigned int edu_hv_ids[] = { HV_CNT_EXITS, HV_CNT_CPUID,
					   HV_CNT_HYPERCALL, HV_CNT_MSR,
					   HV_CNT_NPF };
static const char *const edu_hv_names[] = { "exits", "cpuid", "hypercall",
					    "msr", "npf" };
static_assert(ARRAY_SIZE(edu_hv_ids) == EDU_HV_N);
static_assert(ARRAY_SIZE(edu_hv_names) == EDU_HV_N);

/* thinhv's HV_HC_COUNTER (hv_abi.h): RBX = CPU index, RCX = counter. */
static int edu_hv_counter(unsigned int cpu, unsigned int id, u64 *val)
{
	u64 a = hv_hc_rax(HV_HC_COUNTER), b = cpu, c = id, d = 0;

	if (boot_cpu_data.x86_vendor == X86_VENDOR_INTEL)
		asm volatile("vmcall"
			     : "+a"(a), "+b"(b), "+c"(c), "+d"(d)
			     :
			     : "memory");
	else
		asm volatile("vmmcall"
			     : "+a"(a), "+b"(b), "+c"(c), "+d"(d)
			     :
			     : "memory");
	*val = b;
	return (int)hv_hc_result(a);
}

/* Sum of each counter over the online CPUs; 0 or the hypercall's error. */
static int edu_hv_snapshot(u64 sum[EDU_HV_N])
{
	unsigned int cpu, i;
	u64 v;
	int rc;

	for (i = 0; i < EDU_HV_N; i++) {
		sum[i] = 0;
		for_each_online_cpu(cpu) {
			rc = edu_hv_counter(cpu, edu_hv_ids[i], &v);
			if (rc)
				return rc;
			sum[i] += v;
		}
	}
	return 0;
}

/* " hv_exits=N ..." (the differences), or " hv_error=RC". */
static void edu_hv_format(char *out, size_t n, const u64 before[EDU_HV_N],
			  const u64 after[EDU_HV_N], int rc)
{
	size_t off = 0;
	unsigned int i;

	out[0] = 0;
	if (rc) {
		snprintf(out, n, " hv_error=%d", rc);
		return;
	}
	for (i = 0; i < EDU_HV_N && off < n; i++)
		off += scnprintf(out + off, n - off, " hv_%s=%llu",
				 edu_hv_names[i], after[i] - before[i]);
}

struct edu_run {
	struct pci_dev *pdev;
	u64 clock_ns; /* clock-read cost included in map_ns per DMA */
	void __iomem *bar;
	u8 *src, *dst;
	u64 map_ns, wait_ns;
	uint dmas, mismatches, timeouts, map_errors;
};

/* One transfer, bounded wait for the run bit to clear. */
static int edu_xfer(struct edu_run *r, bool to_ram, dma_addr_t addr)
{
	u64 t0 = ktime_get_ns(), deadline = t0 + EDU_TIMEOUT_MS * NSEC_PER_MSEC;

	if (readl(r->bar + EDU_REG_DMA_CMD) & EDU_DMA_START)
		return -EBUSY;
	writeq(to_ram ? EDU_BUF_BASE : addr, r->bar + EDU_REG_DMA_SRC);
	writeq(to_ram ? addr : EDU_BUF_BASE, r->bar + EDU_REG_DMA_DST);
	writeq(len, r->bar + EDU_REG_DMA_CNT);
	writel(EDU_DMA_START | (to_ram ? EDU_DMA_TO_RAM : 0),
	       r->bar + EDU_REG_DMA_CMD);
	while (readl(r->bar + EDU_REG_DMA_CMD) & EDU_DMA_START) {
		if (ktime_get_ns() > deadline) {
			r->timeouts++;
			return -ETIMEDOUT;
		}
		usleep_range(500, 1000);
	}
	r->wait_ns += ktime_get_ns() - t0;
	r->dmas++;
	return 0;
}

/* Streaming DMA API: map for this one transfer, unmap right after. */
static int edu_xfer_mapped(struct edu_run *r, bool to_ram, void *cpu)
{
	enum dma_data_direction dir = to_ram ? DMA_FROM_DEVICE : DMA_TO_DEVICE;
	dma_addr_t a;
	u64 t0;
	int rc;

	t0 = ktime_get_ns();
	a = dma_map_single(&r->pdev->dev, cpu, len, dir);
	r->map_ns += ktime_get_ns() - t0;
	if (dma_mapping_error(&r->pdev->dev, a)) {
		r->map_errors++;
		return -ENOMEM;
	}
	rc = edu_xfer(r, to_ram, a);
	t0 = ktime_get_ns();
	dma_unmap_single(&r->pdev->dev, a, len, dir);
	r->map_ns += ktime_get_ns() - t0;
	return rc;
}

static void edu_pattern(u8 *p, uint round)
{
	u32 x = 0x9e3779b9u ^ (round * 0x85ebca6bu) ^ (u32)ktime_get_ns();
	uint i;

	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (u8)x;
	}
}

static int edu_round(struct edu_run *r, uint round)
{
	int rc;

	edu_pattern(r->src, round);
	memset(r->dst, 0, len);
	if (buf) {
		rc = edu_xfer(r, false, buf);
		if (!rc)
			rc = edu_xfer(r, true, buf + PAGE_SIZE);
	} else {
		rc = edu_xfer_mapped(r, false, r->src);
		if (!rc)
			rc = edu_xfer_mapped(r, true, r->dst);
	}
	if (!rc && memcmp(r->src, r->dst, len))
		r->mismatches++;
	return rc;
}

static const char *edu_domain_type(struct pci_dev *pdev)
{
	struct iommu_domain *d = iommu_get_domain_for_dev(&pdev->dev);

	if (!d)
		return "none";
	switch (d->type) {
	case IOMMU_DOMAIN_IDENTITY:
		return "identity";
	case IOMMU_DOMAIN_DMA:
		return "DMA";
	case IOMMU_DOMAIN_DMA_FQ:
		return "DMA-FQ";
	default:
		return "other";
	}
}

/*
 * map_ns brackets dma_map_single and dma_unmap_single with two clock reads
 * each, so every DMA adds about two clock-read intervals to it. Under TCG a
 * clock read can cost microseconds: measure the interval (best of 16 runs
 * of 4 back-to-back reads = 3 intervals) and report 2 intervals beside
 * map_ns as its floor.
 */
static u64 edu_clock_floor(void)
{
	u64 t0, t1, best = U64_MAX;
	int i;

	for (i = 0; i < 16; i++) {
		t0 = ktime_get_ns();
		ktime_get_ns();
		ktime_get_ns();
		t1 = ktime_get_ns();
		best = min(best, (t1 - t0) * 2 / 3);
	}
	return best;
}

static int edu_run_all(struct edu_run *r)
{
	u64 t0, total, hv0[EDU_HV_N], hv1[EDU_HV_N];
	char hvs[160] = "";
	int rc = 0, hvrc;
	uint i;

	r->clock_ns = edu_clock_floor();
	hvrc = hv ? edu_hv_snapshot(hv0) : 0;
	t0 = ktime_get_ns();
	for (i = 0; i < rounds && !rc; i++)
		rc = edu_round(r, i);
	total = ktime_get_ns() - t0;
	if (hv) {
		if (!hvrc)
			hvrc = edu_hv_snapshot(hv1);
		edu_hv_format(hvs, sizeof(hvs), hv0, hv1, hvrc);
	}
	pr_info("edu_dma: bdf=%s mode=%s domain=%s rounds=%u len=%u dmas=%u "
		"total_ns=%llu map_ns=%llu clock_ns=%llu wait_ns=%llu "
		"mismatches=%u timeouts=%u map_errors=%u rc=%d%s\n",
		bdf, buf ? "phys" : "dma-api", edu_domain_type(r->pdev), i, len,
		r->dmas, total, r->map_ns, r->clock_ns, r->wait_ns,
		r->mismatches, r->timeouts, r->map_errors, rc, hvs);
	return rc;
}

static int __init edu_dma_init(void)
{
	struct edu_run r = {};
	unsigned int dom, bus, dev, fn;
	int rc;

	if (hv && boot_cpu_data.x86_vendor != X86_VENDOR_INTEL &&
	    boot_cpu_data.x86_vendor != X86_VENDOR_AMD) {
		pr_err("edu_dma: hv=1 needs an Intel or AMD CPU\n");
		return -EINVAL;
	}

	if (idle_ms) {
		u64 t0, hv0[EDU_HV_N], hv1[EDU_HV_N];
		char hvs[160] = "";

		rc = hv ? edu_hv_snapshot(hv0) : 0;
		t0 = ktime_get_ns();
		msleep(idle_ms);
		t0 = ktime_get_ns() - t0;
		if (hv) {
			if (!rc)
				rc = edu_hv_snapshot(hv1);
			edu_hv_format(hvs, sizeof(hvs), hv0, hv1, rc);
		}
		pr_info("edu_dma: idle total_ns=%llu%s\n", t0, hvs);
		return -ECANCELED;
	}
	if (sscanf(bdf, "%x:%x:%x.%x", &dom, &bus, &dev, &fn) != 4 ||
	    dom > 0xffff || bus > 0xff || dev > 31 || fn > 7) {
		pr_err("edu_dma: bdf '%s' is not DDDD:BB:DD.F\n", bdf);
		return -EINVAL;
	}
	if (len == 0 || len > EDU_LEN_MAX || len > PAGE_SIZE) {
		pr_err("edu_dma: len %u outside 1..%u\n", len, EDU_LEN_MAX);
		return -EINVAL;
	}
	if (buf & ~PAGE_MASK) {
		pr_err("edu_dma: buf %#llx is not page-aligned\n", buf);
		return -EINVAL;
	}
	r.pdev = pci_get_domain_bus_and_slot(dom, bus, PCI_DEVFN(dev, fn));
	if (!r.pdev || r.pdev->vendor != 0x1234 || r.pdev->device != 0x11e8) {
		pr_err("edu_dma: %s is not an edu device (1234:11e8)\n", bdf);
		rc = -ENODEV;
		goto out_put;
	}
	rc = pci_enable_device(r.pdev);
	if (rc) {
		pr_err("edu_dma: %s: enable failed (%d)\n", bdf, rc);
		goto out_put;
	}
	pci_set_master(r.pdev);
	rc = dma_set_mask_and_coherent(&r.pdev->dev, DMA_BIT_MASK(64));
	if (rc) {
		pr_err("edu_dma: %s: 64-bit DMA mask refused (%d)\n", bdf, rc);
		goto out_disable;
	}
	r.bar = pci_iomap(r.pdev, 0, PAGE_SIZE);
	if (!r.bar) {
		pr_err("edu_dma: %s: cannot map BAR0\n", bdf);
		rc = -ENOMEM;
		goto out_disable;
	}
	if (buf) {
		/* Reserved RAM (memmap=), not System RAM: memremap, not kmap. */
		r.src = memremap(buf, 2 * PAGE_SIZE, MEMREMAP_WB);
		r.dst = r.src ? r.src + PAGE_SIZE : NULL;
	} else {
		r.src = (u8 *)__get_free_pages(GFP_KERNEL, 1);
		r.dst = r.src ? r.src + PAGE_SIZE : NULL;
	}
	if (!r.src) {
		pr_err("edu_dma: no buffer (buf=%#llx)\n", buf);
		rc = -ENOMEM;
		goto out_unmap;
	}
	edu_run_all(&r);
	if (buf)
		memunmap(r.src);
	else if (r.timeouts)
		/* The device may still write them: never hand them back. */
		pr_warn(
		    "edu_dma: a transfer timed out; its 2 pages are leaked\n");
	else
		free_pages((unsigned long)r.src, 1);
	rc = -ECANCELED; /* the result is the printed line */
out_unmap:
	pci_iounmap(r.pdev, r.bar);
out_disable:
	pci_disable_device(r.pdev);
out_put:
	pci_dev_put(r.pdev);
	return rc;
}

module_init(edu_dma_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("thinhv lab: edu DMA loop through the DMA API or a window");
