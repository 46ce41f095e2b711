// SPDX-License-Identifier: GPL-2.0-only
/*
 * vtd_drv.c - Intel VT-d driver of thinhv.ko (kernel, process context):
 * finds the remapping units in the DMAR table, takes them over in legacy
 * mode, programs root/context tables built by vtd/pure/vtd_tables.c, invalidates
 * (queued invalidation where the unit has it, else register-based),
 * enables translation and drains fault records.
 * The register protocols (invalidation, root switch, QI, fault drain) are
 * vtd/host/vtd_proto.c's, over this unit's accessor (iommu_hw.c).
 * VT-d spec rev 4.1 sections 6.5 (invalidation), 10.4 (registers), 11.4.
 */
#include <linux/kernel.h>
#include "vtd/common/iommu_drv.h"
#include "thinhv/hw/vtd_regs.h"
#include "thinhv/acpi.h"
#include "thinhv/thinhv_ioctl.h"

struct dmar_walk {
	struct hv_iommu *io;
	int err;
	uint32_t rmrr;
};

static int drhd_cb(void *ctx, const struct acpi_dmar_drhd *d)
{
	struct dmar_walk *w = ctx;
	struct hv_iommu_unit *u;

	if (w->io->nunits >= HV_IOMMU_MAX_UNITS) {
		pr_err("thinhv: vt-d: more than %u remapping units\n",
		       HV_IOMMU_MAX_UNITS);
		return -E2BIG;
	}
	u = &w->io->unit[w->io->nunits++];
	u->base = d->base;
	u->size = acpi_dmar_drhd_reg_size(d);
	u->segment = d->segment;
	return 0;
}

static int secbus_cb(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev,
		     uint8_t fn, uint8_t *secbus)
{
	return hv_iommu_pci_read8(seg, bus, (uint8_t)(dev << 3 | fn), 0x19,
				  secbus);
}

/*
 * RMRR: unity-map [base, limit] for exactly the devices its scopes name
 * (endpoints, or everything below a bridge). A scope that does not
 * resolve (device absent) names nobody.
 */
static int rmrr_cb(void *ctx, const struct acpi_dmar_rmrr *r)
{
	struct dmar_walk *w = ctx;
	struct acpi_dmar_scope sc;
	uint32_t cur = 0;
	int rc;

	w->rmrr++;
	while (acpi_dmar_scope_next(&r->scopes, &cur, &sc)) {
		uint16_t bdf, first, last;
		uint8_t sec = 0, sub = 0;

		if (sc.type != ACPI_DMAR_SCOPE_PCI_ENDPOINT &&
		    sc.type != ACPI_DMAR_SCOPE_PCI_SUBHIERARCHY)
			continue;
		if (acpi_dmar_scope_resolve(&sc, r->segment, secbus_cb, NULL,
					    &bdf)) {
			pr_info("thinhv: vt-d: RMRR [%#llx-%#llx]: scope at "
				"%#x names no present device\n",
				r->base, r->limit, sc.offset);
			continue;
		}
		first = last = bdf;
		if (sc.type == ACPI_DMAR_SCOPE_PCI_SUBHIERARCHY) {
			if (hv_iommu_pci_read8(r->segment, bdf >> 8, bdf & 0xff,
					       0x19, &sec) ||
			    hv_iommu_pci_read8(r->segment, bdf >> 8, bdf & 0xff,
					       0x1a, &sub) ||
			    sub < sec)
				continue;
			first = (uint16_t)(sec << 8);
			last = (uint16_t)(sub << 8 | 0xff);
		}
		rc = hv_iommu_add_unity(w->io, r->segment, first, last, r->base,
					r->limit - r->base + 1, IOMMU_PERM_RW,
					"vt-d RMRR");
		if (rc)
			return rc;
	}
	return 0;
}

static void dmar_diag(void *ctx, const struct acpi_diag *d)
{
	if (d->severity >= ACPI_SEV_WARN)
		pr_warn("thinhv: DMAR offset %#x: %s\n", d->offset,
			acpi_diag_text(d->code));
}

static int vtd_probe(struct hv_iommu *io)
{
	struct dmar_walk w = { io, 0, 0 };
	struct acpi_dmar_visitor v = { 0 };
	const uint8_t *t;
	size_t tlen = 0;
	uint64_t ram_top = 0;
	uint32_t i;
	int rc;

	for (i = 0; i < io->nram; i++)
		ram_top = max(ram_top, io->ram[i].base + io->ram[i].len);
	t = hv_iommu_get_table("DMAR", &tlen);
	if (!t)
		return -ENODEV;
	v.ctx = &w;
	v.drhd = drhd_cb;
	v.rmrr = rmrr_cb;
	v.diag = dmar_diag;
	rc = acpi_dmar_parse(t, tlen, &v);
	hv_iommu_put_table(t);
	if (rc) {
		/* A partial table is not a description of the platform. */
		pr_err("thinhv: vt-d: DMAR table unusable (%d)\n", rc);
		return rc == -ENODATA ? -ENODEV : rc;
	}
	if (!io->nunits)
		return -ENODEV;
	for (i = 0; i < io->nunits; i++) {
		struct hv_iommu_unit *u = &io->unit[i];
		struct iommu_proto *p = &u->proto;
		uint32_t gsts, sagaw, sllps;

		rc = hv_iommu_map_unit(io, u);
		if (rc)
			return rc;
		p->cap = iommu_rd64(u->regs, VTD_REG_CAP);
		p->ecap = iommu_rd64(u->regs, VTD_REG_ECAP);
		gsts = iommu_rd32(u->regs, VTD_REG_GSTS);
		pr_info("thinhv: vt-d unit %u at %#llx: VER %#x CAP %#llx "
			"ECAP %#llx GSTS %#x\n",
			i, u->base, iommu_rd32(u->regs, VTD_REG_VER), p->cap,
			p->ecap, gsts);
		if (gsts & (VTD_GCMD_TE | VTD_GCMD_IRE | VTD_GCMD_QIE)) {
			pr_err("thinhv: refused: the OS already uses VT-d unit "
			       "%#llx (GSTS %#x): boot with intel_iommu=off\n",
			       u->base, gsts);
			return -EBUSY;
		}
		sagaw = vtd_cap_sagaw(p->cap);
		/* 3-level (39-bit) when RAM fits, else 4-level (48-bit). */
		if ((sagaw & VTD_CAP_SAGAW_39) && ram_top <= (1ull << 39))
			u->levels = 3;
		else if (sagaw & VTD_CAP_SAGAW_48)
			u->levels = 4;
		else if (sagaw & VTD_CAP_SAGAW_39)
			u->levels = 3;
		else {
			pr_err("thinhv: vt-d %#llx: no 3- or 4-level support "
			       "(SAGAW %#x)\n",
			       u->base, sagaw);
			return -EOPNOTSUPP;
		}
		sllps = vtd_cap_sllps(p->cap);
		u->max_leaf = (sllps & VTD_CAP_SLLPS_1G)   ? 3
			      : (sllps & VTD_CAP_SLLPS_2M) ? 2
							   : 1;
		p->nfr = vtd_cap_nfr(p->cap);
		p->fro = vtd_cap_fro(p->cap);
		p->iro = vtd_ecap_iro(p->ecap);
		if (p->fro + 16 * p->nfr > u->size || p->iro + 16 > u->size) {
			pr_err("thinhv: vt-d %#llx: register offsets beyond "
			       "the register set\n",
			       u->base);
			return -EINVAL;
		}
		if (i && (u->levels != io->unit[0].levels)) {
			pr_err("thinhv: vt-d: units disagree on paging "
			       "depth\n");
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

/*
 * Root/context tables come from the pool at enable. Units with queued
 * invalidation get their queue and a status word here, first in the pool
 * (pages a runtime swap never reuses).
 */
static int vtd_alloc(struct hv_iommu *io)
{
	uint32_t i;
	void *va;
	int rc;

	for (i = 0; i < io->nunits; i++) {
		struct iommu_proto *p = &io->unit[i].proto;

		if (!vtd_ecap_qi(p->ecap))
			continue;
		rc = hv_iommu_pool_alloc(io, &p->iq_pa, &va);
		if (rc)
			return rc;
		p->iq = va;
		rc = hv_iommu_pool_alloc(io, &p->iq_status_pa, &va);
		if (rc)
			return rc;
		p->iq_status = va;
	}
	return 0;
}

static int vtd_enable_unit(struct hv_iommu *io, struct hv_iommu_unit *u)
{
	struct iommu_mem mem = { io, hv_iommu_pool_alloc, hv_iommu_pool_virt };
	int rc;

	rc = vtd_tables_init(&u->vt, &mem);
	if (!rc)
		rc = vtd_tables_from_plan(&u->vt, io->plan, io->devs, io->ndevs,
					  u->segment);
	if (rc)
		return rc;
	iommu_wr32(u->regs, VTD_REG_FECTL, VTD_FECTL_IM);
	vtd_faults_clear(&u->acc, &u->proto);
	/* Queued invalidation where the unit has it, else the registers. */
	if (u->proto.iq) {
		rc = vtd_qi_enable(&u->acc, &u->proto);
		if (rc)
			return rc;
	}
	/* Tables visible, root set, caches invalidated (vtd_proto.c). */
	rc = vtd_switch_root(&u->acc, &u->proto, u->vt.root_pa, io->pool_va,
			     (size_t)io->pool_used * PAGE_SIZE);
	if (rc)
		return rc;
	rc = vtd_gcmd(&u->acc, VTD_GCMD_TE, true);
	if (rc)
		return rc;
	u->enabled = true;
	return 0;
}

static int vtd_enable(struct hv_iommu *io)
{
	uint32_t i;
	int rc;

	for (i = 0; i < io->nunits; i++) {
		rc = vtd_enable_unit(io, &io->unit[i]);
		if (rc)
			return rc;
	}
	/* Verify: every unit reports translation on. */
	for (i = 0; i < io->nunits; i++)
		if (!(iommu_rd32(io->unit[i].regs, VTD_REG_GSTS) & VTD_GCMD_TE))
			return -EIO;
	return 0;
}

struct vtd_drain_ctx {
	struct hv_iommu *io;
	struct hv_iommu_unit *u;
	uint32_t unit;
	bool ro;
};

static void vtd_record(void *ctx, uint64_t lo, uint64_t hi)
{
	struct vtd_drain_ctx *c = ctx;
	struct iommu_fault f;

	if (vtd_fault_decode(lo, hi, &f))
		return;
	if (c->ro && lo == c->u->last_lo && hi == c->u->last_hi)
		return; /* seen; cannot clear it */
	c->u->last_lo = lo;
	c->u->last_hi = hi;
	f.segment = c->u->segment;
	f.unit = (uint8_t)c->unit;
	hv_iommu_record(c->io, &f);
}

/* Called with io->lock held; after launch registers are read-only. */
static void vtd_drain(struct hv_iommu *io)
{
	struct vtd_drain_ctx c = { io, NULL, 0, READ_ONCE(hv_iommu_launched) };
	bool overflow;

	for (c.unit = 0; c.unit < io->nunits; c.unit++) {
		c.u = &io->unit[c.unit];
		if (!c.u->regs || !c.u->enabled)
			continue;
		vtd_fault_drain(&c.u->acc, &c.u->proto, !c.ro, vtd_record, &c,
				&overflow);
		if (overflow)
			c.u->hw_overflow++;
	}
}

static void vtd_disable(struct hv_iommu *io)
{
	uint32_t i;

	for (i = 0; i < io->nunits; i++) {
		struct hv_iommu_unit *u = &io->unit[i];

		if (u->regs && u->enabled && !READ_ONCE(hv_iommu_launched)) {
			/* Last faults first, then translation off. */
			vtd_drain(io);
			if (vtd_gcmd(&u->acc, VTD_GCMD_TE, false) == 0)
				u->enabled = false;
		}
		/* The queue goes with translation (the OS may use the
		 * registers again after us). */
		if (u->regs && u->proto.qi_on &&
		    !READ_ONCE(hv_iommu_launched) &&
		    vtd_gcmd(&u->acc, VTD_GCMD_QIE, false) == 0)
			u->proto.qi_on = 0;
		if (u->proto.qi_on)
			io->pool = io->pool2 = NULL; /* queue still read */
		if (u->enabled) {
			/* Tables stay in use: leak them rather than free. */
			pr_err("thinhv: vt-d %#llx: translation still on: "
			       "table memory leaked\n",
			       u->base);
			io->pool = io->pool2 = NULL;
		}
		iommu_hw_unmap(u->regs);
		u->regs = NULL;
	}
}

const struct iommu_ops vtd_iommu_ops = {
	.name = "vt-d",
	.probe = vtd_probe,
	.alloc = vtd_alloc,
	.enable = vtd_enable,
	.drain = vtd_drain,
	.disable = vtd_disable,
};
