// SPDX-License-Identifier: GPL-2.0-only
/*
 * vtd_drv.c - Intel VT-d driver of thinhv.ko (kernel, process context):
 * finds the remapping units in the DMAR table, takes them over in legacy
 * mode, programs root/context tables built by vtd/pure/vtd_tables.c, invalidates
 * (queued invalidation where the unit has it, else register-based),
 * enables translation and drains fault records.
 * VT-d spec rev 4.1 sections 6.5 (invalidation), 10.4 (registers), 11.4.
 */
#include <linux/kernel.h>
#include <linux/delay.h>
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

/* Issue a GCMD bit, preserving the persistent enables; wait for status. */
static int vtd_gcmd(struct hv_iommu_unit *u, uint32_t bit, bool set,
		    bool oneshot)
{
	uint32_t sts = iommu_rd32(u->regs, VTD_REG_GSTS) & VTD_GSTS_PERSIST;
	uint32_t cmd = set ? sts | bit : sts & ~bit;
	int rc;

	iommu_wr32(u->regs, VTD_REG_GCMD, cmd);
	if (oneshot) /* SRTP, WBF: status sets on completion / WBF clears */
		rc = bit == VTD_GCMD_WBF
			 ? iommu_wait32(u->regs, VTD_REG_GSTS, VTD_GCMD_WBF, 0,
					HV_IOMMU_WAIT_US)
			 : iommu_wait32(u->regs, VTD_REG_GSTS, bit, bit,
					HV_IOMMU_WAIT_US);
	else
		rc = iommu_wait32(u->regs, VTD_REG_GSTS, bit, set ? bit : 0,
				  HV_IOMMU_WAIT_US);
	if (rc)
		pr_err("thinhv: vt-d %#llx: GCMD %#x timed out (GSTS %#x)\n",
		       u->base, bit, iommu_rd32(u->regs, VTD_REG_GSTS));
	return rc;
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
		uint32_t gsts, sagaw, sllps;

		u->regs = iommu_hw_map(u->base, u->size);
		if (!u->regs)
			return -ENOMEM;
		rc = hv_iommu_add_region(io, u->base, u->size,
					 THINHV_RANGE_MMIO);
		if (rc)
			return rc;
		u->cap = iommu_rd64(u->regs, VTD_REG_CAP);
		u->ecap = iommu_rd64(u->regs, VTD_REG_ECAP);
		gsts = iommu_rd32(u->regs, VTD_REG_GSTS);
		pr_info("thinhv: vt-d unit %u at %#llx: VER %#x CAP %#llx "
			"ECAP %#llx GSTS %#x\n",
			i, u->base, iommu_rd32(u->regs, VTD_REG_VER), u->cap,
			u->ecap, gsts);
		if (gsts & (VTD_GCMD_TE | VTD_GCMD_IRE | VTD_GCMD_QIE)) {
			pr_err("thinhv: refused: the OS already uses VT-d unit "
			       "%#llx (GSTS %#x): boot with intel_iommu=off\n",
			       u->base, gsts);
			return -EBUSY;
		}
		sagaw = VTD_CAP_SAGAW(u->cap);
		/* 3-level (39-bit) when RAM fits, else 4-level (48-bit). */
		if ((sagaw & 2) && ram_top <= (1ull << 39))
			u->levels = 3;
		else if (sagaw & 4)
			u->levels = 4;
		else if (sagaw & 2)
			u->levels = 3;
		else {
			pr_err("thinhv: vt-d %#llx: no 3- or 4-level support "
			       "(SAGAW %#x)\n",
			       u->base, sagaw);
			return -EOPNOTSUPP;
		}
		sllps = VTD_CAP_SLLPS(u->cap);
		u->max_leaf = (sllps & 2) ? 3 : (sllps & 1) ? 2 : 1;
		u->nfr = VTD_CAP_NFR(u->cap);
		u->fro = VTD_CAP_FRO(u->cap);
		u->iro = VTD_ECAP_IRO(u->ecap);
		if (u->fro + 16 * u->nfr > u->size || u->iro + 16 > u->size) {
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
		struct hv_iommu_unit *u = &io->unit[i];

		if (!(u->ecap & VTD_ECAP_QI))
			continue;
		rc = hv_iommu_pool_alloc(io, &u->iq_pa, &va);
		if (rc)
			return rc;
		u->iq = va;
		rc = hv_iommu_pool_alloc(io, &u->iq_status_pa, &va);
		if (rc)
			return rc;
		u->iq_status = va;
	}
	return 0;
}

/*
 * Queued invalidation: append descriptors (pairs of words), then a wait
 * descriptor that stores a fresh sequence number; bounded wait for it.
 */
static int vtd_qi(struct hv_iommu_unit *u, const uint64_t (*d)[2], uint32_t n)
{
	uint32_t seq = ++u->iq_seq, i, waited = 0;

	for (i = 0; i <= n; i++) {
		uint64_t *slot = &u->iq[2 * u->iq_tail];

		if (i < n) {
			slot[0] = d[i][0];
			slot[1] = d[i][1];
		} else {
			slot[0] = VTD_DESC_WAIT(seq);
			slot[1] = u->iq_status_pa;
		}
		u->iq_tail = (u->iq_tail + 1) % VTD_IQ_ENTRIES;
	}
	iommu_hw_flush(u->iq, PAGE_SIZE);
	iommu_wr64(u->regs, VTD_REG_IQT, VTD_IQ_PTR(u->iq_tail));
	while (READ_ONCE(*u->iq_status) != seq) {
		if (iommu_rd32(u->regs, VTD_REG_FSTS) & VTD_FSTS_IQE) {
			pr_err("thinhv: vt-d %#llx: invalidation queue error "
			       "(IQH %#llx)\n",
			       u->base, iommu_rd64(u->regs, VTD_REG_IQH));
			return -EIO;
		}
		if (waited >= HV_IOMMU_WAIT_US) {
			pr_err("thinhv: vt-d %#llx: invalidation wait timed "
			       "out\n",
			       u->base);
			return -ETIMEDOUT;
		}
		udelay(10);
		waited += 10;
	}
	return 0;
}

static int vtd_qi_enable(struct hv_iommu_unit *u)
{
	int rc;

	u->iq_tail = 0;
	iommu_wr64(u->regs, VTD_REG_IQT, 0);
	iommu_wr64(u->regs, VTD_REG_IQA, u->iq_pa); /* QS 0, 128-bit */
	rc = vtd_gcmd(u, VTD_GCMD_QIE, true, false);
	if (!rc)
		u->qi_on = true;
	return rc;
}

/* Global context-cache then IOTLB invalidation (sec. 6.5). */
static int vtd_inval_all(struct hv_iommu_unit *u)
{
	static const uint64_t d[2][2] = { { VTD_DESC_CC_GLOBAL, 0 },
					  { VTD_DESC_IOTLB_GLOBAL, 0 } };
	int rc;

	if (u->qi_on)
		return vtd_qi(u, d, 2);
	iommu_wr64(u->regs, VTD_REG_CCMD, VTD_CCMD_ICC | VTD_CCMD_CIRG_GLOBAL);
	rc = iommu_wait64(u->regs, VTD_REG_CCMD, VTD_CCMD_ICC, 0,
			  HV_IOMMU_WAIT_US);
	if (rc) {
		pr_err("thinhv: vt-d %#llx: context invalidation timed out\n",
		       u->base);
		return rc;
	}
	iommu_wr64(u->regs, u->iro + VTD_IOTLB_OFF,
		   VTD_IOTLB_IVT | VTD_IOTLB_IIRG_GLOBAL | VTD_IOTLB_DR |
		       VTD_IOTLB_DW);
	rc = iommu_wait64(u->regs, u->iro + VTD_IOTLB_OFF, VTD_IOTLB_IVT, 0,
			  HV_IOMMU_WAIT_US);
	if (rc)
		pr_err("thinhv: vt-d %#llx: IOTLB invalidation timed out\n",
		       u->base);
	return rc;
}

static void vtd_clear_faults(struct hv_iommu_unit *u)
{
	uint32_t i;

	for (i = 0; i < u->nfr; i++)
		iommu_wr32(u->regs, u->fro + 16 * i + 12, 0x80000000u);
	iommu_wr32(u->regs, VTD_REG_FSTS, VTD_FSTS_PFO | VTD_FSTS_IQE);
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
	/* Table writes reach memory before the unit may walk them. */
	if (!(u->ecap & 1)) /* ECAP.C: page walks not snooped */
		iommu_hw_flush(io->pool_va, (size_t)io->pool_used * PAGE_SIZE);
	else
		wmb();
	iommu_wr32(u->regs, VTD_REG_FECTL, VTD_FECTL_IM);
	vtd_clear_faults(u);
	iommu_wr64(u->regs, VTD_REG_RTADDR,
		   u->vt.root_pa | VTD_RTADDR_TTM_LEGACY);
	rc = vtd_gcmd(u, VTD_GCMD_SRTP, true, true);
	if (!rc && (u->cap & VTD_CAP_RWBF))
		rc = vtd_gcmd(u, VTD_GCMD_WBF, true, true);
	if (rc)
		return rc;
	/* Queued invalidation where the unit has it, else the registers. */
	if (u->iq) {
		rc = vtd_qi_enable(u);
		if (rc)
			return rc;
	}
	rc = vtd_inval_all(u);
	if (rc)
		return rc;
	rc = vtd_gcmd(u, VTD_GCMD_TE, true, false);
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

/* Called with io->lock held; after launch registers are read-only. */
static void vtd_drain(struct hv_iommu *io)
{
	bool ro = READ_ONCE(hv_iommu_launched);
	uint32_t i, k;

	for (i = 0; i < io->nunits; i++) {
		struct hv_iommu_unit *u = &io->unit[i];
		uint32_t fsts;

		if (!u->regs || !u->enabled)
			continue;
		fsts = iommu_rd32(u->regs, VTD_REG_FSTS);
		if (fsts & VTD_FSTS_PPF) {
			uint32_t idx = VTD_FSTS_FRI(fsts);

			for (k = 0; k < u->nfr; k++) {
				uint32_t off =
				    u->fro + 16 * ((idx + k) % u->nfr);
				uint64_t hi = iommu_rd64(u->regs, off + 8);
				uint64_t lo = iommu_rd64(u->regs, off);
				struct iommu_fault f;

				if (vtd_fault_decode(lo, hi, &f))
					continue;
				if (ro && lo == u->last_lo && hi == u->last_hi)
					continue; /* seen; cannot clear it */
				u->last_lo = lo;
				u->last_hi = hi;
				f.segment = u->segment;
				f.unit = (uint8_t)i;
				hv_iommu_record(io, &f);
				if (!ro)
					iommu_wr32(u->regs, off + 12,
						   0x80000000u);
			}
		}
		if ((fsts & VTD_FSTS_PFO) && !ro) {
			u->hw_overflow++;
			iommu_wr32(u->regs, VTD_REG_FSTS, VTD_FSTS_PFO);
		}
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
			if (vtd_gcmd(u, VTD_GCMD_TE, false, false) == 0)
				u->enabled = false;
		}
		/* The queue goes with translation (the OS may use the
		 * registers again after us). */
		if (u->regs && u->qi_on && !READ_ONCE(hv_iommu_launched) &&
		    vtd_gcmd(u, VTD_GCMD_QIE, false, false) == 0)
			u->qi_on = false;
		if (u->qi_on)
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
