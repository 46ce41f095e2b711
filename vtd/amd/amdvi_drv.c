// SPDX-License-Identifier: GPL-2.0-only
/*
 * amdvi_drv.c - AMD-Vi driver of thinhv.ko (kernel, process context):
 * finds the IOMMUs in the IVRS table, installs a full device table (every
 * entry explicit: deny unless the policy says otherwise), the command buffer
 * and the event log, invalidates through the command buffer with a bounded
 * COMPLETION_WAIT, enables, and drains the event log. The command-ring and
 * event-log protocols are vtd/host/amdvi_proto.c's, over this unit's
 * accessor (iommu_hw.c).
 * AMD IOMMU spec rev 3.x sections 2.2 (tables), 2.4 (commands), 2.5 (events),
 * 3.4 (registers).
 */
#include <linux/kernel.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/io.h>
#include <linux/slab.h>
#include "vtd/common/iommu_drv.h"
#include "thinhv/hw/amdvi_regs.h"
#include "thinhv/acpi.h"
#include "thinhv/thinhv_ioctl.h"

#define DEVTAB_ORDER 9 /* 2 MiB: 65536 entries of 32 bytes */

struct ivrs_walk {
	struct hv_iommu *io;
	uint8_t type[HV_IOMMU_MAX_UNITS];
	uint32_t ivmd;
};

static int ivhd_cb(void *ctx, const struct acpi_ivhd *h)
{
	struct ivrs_walk *w = ctx;
	struct hv_iommu *io = w->io;
	uint32_t i;

	/* One IOMMU is described by several IVHD types: keep the highest. */
	for (i = 0; i < io->nunits; i++) {
		if (io->unit[i].segment == h->segment &&
		    io->unit[i].devid == h->iommu_devid) {
			if (h->type > w->type[i]) {
				w->type[i] = h->type;
				io->unit[i].base = h->base;
			}
			return 0;
		}
	}
	if (io->nunits >= HV_IOMMU_MAX_UNITS)
		return -E2BIG;
	w->type[io->nunits] = h->type;
	io->unit[io->nunits].base = h->base;
	io->unit[io->nunits].size = AMDVI_MMIO_SIZE;
	io->unit[io->nunits].segment = h->segment;
	io->unit[io->nunits].devid = h->iommu_devid;
	io->nunits++;
	return 0;
}

/*
 * IVMD unity (and exclusion) ranges: mapped for the device ids they name,
 * never through the exclusion-range registers (those bypass translation
 * for every device).
 */
static int ivmd_cb(void *ctx, const struct acpi_ivmd *m)
{
	struct ivrs_walk *w = ctx;
	uint32_t perm = 0;

	w->ivmd++;
	if (!(m->flags & (ACPI_IVMD_UNITY | ACPI_IVMD_EXCLUSION)) ||
	    m->first_devid > m->last_devid)
		return 0;
	if (m->flags & ACPI_IVMD_IR)
		perm |= IOMMU_PERM_R;
	if (m->flags & ACPI_IVMD_IW)
		perm |= IOMMU_PERM_W;
	if (m->flags & ACPI_IVMD_EXCLUSION)
		perm = IOMMU_PERM_RW;
	if (!perm)
		return 0;
	return hv_iommu_add_unity(w->io, 0, m->first_devid, m->last_devid,
				  m->start, m->mem_len, perm, "amd-vi IVMD");
}

static void ivrs_diag(void *ctx, const struct acpi_diag *d)
{
	if (d->severity >= ACPI_SEV_WARN)
		pr_warn("thinhv: IVRS offset %#x: %s\n", d->offset,
			acpi_diag_text(d->code));
}

static int amdvi_probe(struct hv_iommu *io)
{
	struct ivrs_walk w;
	struct acpi_ivrs_visitor v = { 0 };
	const uint8_t *t;
	size_t tlen = 0;
	uint32_t i;
	int rc;

	memset(&w, 0, sizeof(w));
	w.io = io;
	t = hv_iommu_get_table("IVRS", &tlen);
	if (!t)
		return -ENODEV;
	v.ctx = &w;
	v.ivhd = ivhd_cb;
	v.ivmd = ivmd_cb;
	v.diag = ivrs_diag;
	rc = acpi_ivrs_parse(t, tlen, &v);
	hv_iommu_put_table(t);
	if (rc) {
		pr_err("thinhv: amd-vi: IVRS table unusable (%d)\n", rc);
		return rc == -ENODATA ? -ENODEV : rc;
	}
	if (!io->nunits)
		return -ENODEV;
	for (i = 0; i < io->nunits; i++) {
		struct hv_iommu_unit *u = &io->unit[i];
		uint64_t ctrl;

		rc = hv_iommu_map_unit(io, u);
		if (rc)
			return rc;
		ctrl = iommu_rd64(u->regs, AMDVI_REG_CONTROL);
		u->proto.ecap = iommu_rd64(u->regs, AMDVI_REG_EFR);
		pr_info("thinhv: amd-vi unit %u (%04x:%02x:%02x.%u) at %#llx: "
			"EFR %#llx control %#llx\n",
			i, u->segment, u->devid >> 8, (u->devid >> 3) & 31,
			u->devid & 7, u->base, u->proto.ecap, ctrl);
		if (ctrl & AMDVI_CTRL_EN) {
			pr_err("thinhv: refused: the OS already uses AMD-Vi "
			       "unit %#llx (control %#llx): boot with "
			       "amd_iommu=off\n",
			       u->base, ctrl);
			return -EBUSY;
		}
		/* 4 levels (48-bit) is supported by every AMD-Vi. */
		u->levels = 4;
		u->max_leaf = 3;
	}
	return 0;
}

static int amdvi_alloc(struct hv_iommu *io)
{
	uint32_t i;
	int rc;

	for (i = 0; i < io->nunits; i++) {
		struct hv_iommu_unit *u = &io->unit[i];
		struct iommu_proto *p = &u->proto;
		void *va;

		u->devtab_pages =
		    alloc_pages(GFP_KERNEL | __GFP_ZERO, DEVTAB_ORDER);
		if (!u->devtab_pages) {
			pr_err("thinhv: amd-vi: cannot allocate a 2 MiB "
			       "device table\n");
			return -ENOMEM;
		}
		u->devtab = page_address(u->devtab_pages);
		u->devtab_pa = page_to_phys(u->devtab_pages);
		rc = hv_iommu_add_region(io, u->devtab_pa, AMDVI_DEVTAB_BYTES,
					 THINHV_RANGE_IOMMU);
		if (!rc)
			rc = hv_iommu_pool_alloc(io, &p->cmd_pa, &va);
		if (rc)
			return rc;
		p->cmdbuf = va;
		rc = hv_iommu_pool_alloc(io, &p->evt_pa, &va);
		if (rc)
			return rc;
		p->evtlog = va;
		rc = hv_iommu_pool_alloc(io, &p->cw_pa, &va);
		if (rc)
			return rc;
		p->cw_sem = va;
	}
	return 0;
}

/* Invalidate every device id of this segment and every planned domain. */
static int amdvi_invalidate(struct hv_iommu *io, struct hv_iommu_unit *u)
{
	uint64_t *devmap, *didmap;
	uint32_t i;
	int rc;

	devmap = kcalloc(2 * 65536 / 64, sizeof(*devmap), GFP_KERNEL);
	if (!devmap)
		return -ENOMEM;
	didmap = devmap + 65536 / 64;
	for (i = 0; i < io->ndevs; i++) {
		const struct pol_dev_id *d = &io->devs[i].id;
		uint32_t devid = d->bus << 8 | d->device << 3 | d->function;

		if (d->segment == u->segment)
			devmap[devid / 64] |= 1ull << (devid % 64);
	}
	for (i = 0; i < io->plan->ndom; i++)
		didmap[io->plan->dom[i].did / 64] |=
		    1ull << (io->plan->dom[i].did % 64);
	rc = amdvi_inval(&u->acc, &u->proto, devmap, didmap);
	kfree(devmap);
	return rc;
}

static int amdvi_enable_unit(struct hv_iommu *io, struct hv_iommu_unit *u)
{
	uint64_t ctrl;
	int rc;

	amdvi_devtab_deny_all(u->devtab, AMDVI_DEVTAB_ENTRIES);
	rc = amdvi_devtab_from_plan(u->devtab, AMDVI_DEVTAB_ENTRIES, io->plan,
				    io->devs, io->ndevs);
	if (rc)
		return rc;
	/* Tables reach memory before the IOMMU may read them. */
	amdvi_tables_visible(&u->acc, u->devtab, AMDVI_DEVTAB_BYTES);
	amdvi_tables_visible(&u->acc, io->pool_va,
			     (size_t)io->pool_used * PAGE_SIZE);

	ctrl = iommu_rd64(u->regs, AMDVI_REG_CONTROL);
	ctrl &= ~(AMDVI_CTRL_EN | AMDVI_CTRL_CMDBUF_EN | AMDVI_CTRL_EVTLOG_EN |
		  AMDVI_CTRL_EVTINT_EN | AMDVI_CTRL_COMWAIT_INT |
		  AMDVI_CTRL_PPR_EN | AMDVI_CTRL_GT_EN);
	iommu_wr64(u->regs, AMDVI_REG_CONTROL, ctrl);
	u->devtab_live = true;
	iommu_wr64(u->regs, AMDVI_REG_DEVTAB,
		   (u->devtab_pa & AMDVI_BASE_MASK) |
		       AMDVI_DEVTAB_SIZE(AMDVI_DEVTAB_BYTES / 4096));
	iommu_wr64(u->regs, AMDVI_REG_CMDBUF,
		   (u->proto.cmd_pa & AMDVI_BASE_MASK) | AMDVI_LEN_256);
	iommu_wr64(u->regs, AMDVI_REG_EVTLOG,
		   (u->proto.evt_pa & AMDVI_BASE_MASK) | AMDVI_LEN_256);
	iommu_wr64(u->regs, AMDVI_REG_CMD_HEAD, 0);
	iommu_wr64(u->regs, AMDVI_REG_CMD_TAIL, 0);
	iommu_wr64(u->regs, AMDVI_REG_EVT_HEAD, 0);
	iommu_wr64(u->regs, AMDVI_REG_EVT_TAIL, 0);
	u->proto.cmd_tail = 0;
	/* No exclusion range: it would bypass translation. */
	iommu_wr64(u->regs, AMDVI_REG_EXCL_BASE, 0);
	iommu_wr64(u->regs, AMDVI_REG_EXCL_LIMIT, 0);
	iommu_wr64(u->regs, AMDVI_REG_STATUS,
		   AMDVI_STS_EVT_OVERFLOW | AMDVI_STS_EVT_INT |
		       AMDVI_STS_COMWAIT_INT);
	/* Commands run only with the IOMMU enabled (QEMU, and the spec). */
	ctrl |= AMDVI_CTRL_EN | AMDVI_CTRL_CMDBUF_EN | AMDVI_CTRL_EVTLOG_EN;
	iommu_wr64(u->regs, AMDVI_REG_CONTROL, ctrl);
	u->enabled = true;
	rc = amdvi_invalidate(io, u);
	if (rc)
		return rc;
	if (!(iommu_rd64(u->regs, AMDVI_REG_CONTROL) & AMDVI_CTRL_EN))
		return -EIO;
	return 0;
}

static int amdvi_enable(struct hv_iommu *io)
{
	uint32_t i;
	int rc;

	for (i = 0; i < io->nunits; i++) {
		rc = amdvi_enable_unit(io, &io->unit[i]);
		if (rc)
			return rc;
	}
	return 0;
}

struct amdvi_drain_ctx {
	struct hv_iommu *io;
	struct hv_iommu_unit *u;
	uint32_t unit;
};

static void amdvi_record(void *ctx, uint64_t lo, uint64_t hi)
{
	struct amdvi_drain_ctx *c = ctx;
	uint8_t ev[AMDVI_EVT_SIZE];
	struct iommu_fault f;

	hv_put_le64(ev, lo);
	hv_put_le64(ev + 8, hi);
	if (amdvi_event_decode(ev, &f) == -ENOENT)
		return;
	f.segment = c->u->segment;
	f.unit = (uint8_t)c->unit;
	hv_iommu_record(c->io, &f);
}

/*
 * Called with io->lock held. The event log lives in protected memory:
 * after launch only host mode reads it (iommu_host_drain), so the OS side
 * then reports the hardware's overflow bit only, once.
 */
static void amdvi_drain(struct hv_iommu *io)
{
	struct amdvi_drain_ctx c = { io, NULL, 0 };
	bool overflow;

	for (c.unit = 0; c.unit < io->nunits; c.unit++) {
		c.u = &io->unit[c.unit];
		if (!c.u->regs || !c.u->enabled)
			continue;
		if (READ_ONCE(hv_iommu_launched)) {
			if ((iommu_rd64(c.u->regs, AMDVI_REG_STATUS) &
			     AMDVI_STS_EVT_OVERFLOW) &&
			    !c.u->last_hi) {
				c.u->hw_overflow++;
				c.u->last_hi = 1;
			}
			continue;
		}
		amdvi_event_drain(&c.u->acc, &c.u->proto, amdvi_record, &c,
				  &overflow);
		if (overflow)
			c.u->hw_overflow++;
	}
}

static void amdvi_disable(struct hv_iommu *io)
{
	uint32_t i;

	for (i = 0; i < io->nunits; i++) {
		struct hv_iommu_unit *u = &io->unit[i];

		if (u->regs && u->enabled && !READ_ONCE(hv_iommu_launched)) {
			amdvi_drain(io);
			iommu_wr64(u->regs, AMDVI_REG_CONTROL,
				   iommu_rd64(u->regs, AMDVI_REG_CONTROL) &
				       ~(AMDVI_CTRL_EN | AMDVI_CTRL_CMDBUF_EN |
					 AMDVI_CTRL_EVTLOG_EN));
			u->enabled = false;
		}
		/*
		 * The device table stays allocated (2 MiB leaked per
		 * launch): QEMU keeps reading it after the IOMMU is disabled
		 * (interrupt remapping), and real units may still hold the
		 * base. Entries are left as the last policy wrote them.
		 */
		if (u->devtab_pages && !u->devtab_live) {
			__free_pages(u->devtab_pages, DEVTAB_ORDER);
			u->devtab_pages = NULL;
		} else if (u->devtab_pages) {
			pr_info("thinhv: amd-vi %#llx: device table at %#llx "
				"kept allocated\n",
				u->base, u->devtab_pa);
		}
		if (u->enabled)
			io->pool = io->pool2 = NULL; /* walked: leak both */
		iommu_hw_unmap(u->regs);
		u->regs = NULL;
	}
}

const struct iommu_ops amdvi_iommu_ops = {
	.name = "amd-vi",
	.probe = amdvi_probe,
	.alloc = amdvi_alloc,
	.enable = amdvi_enable,
	.drain = amdvi_drain,
	.disable = amdvi_disable,
};
