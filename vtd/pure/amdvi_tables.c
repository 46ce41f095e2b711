// SPDX-License-Identifier: GPL-2.0-only
/*
 * amdvi_tables.c - AMD-Vi device table entries (pure C: kernel process
 * context and host unit tests). AMD IOMMU spec rev 3.x sec. 2.2.2.
 * A zeroed DTE means "no translation, full access", so every entry is
 * written: deny is V=1, TV=1, Mode=0, IR=IW=0 (translation disabled, no
 * access); window and identity point at I/O page tables.
 */
#include "thinhv/compat.h"
#include "thinhv/iommu.h"
#include "thinhv/hw/amdvi_regs.h"

static void dte_deny(uint64_t *dte, uint16_t did)
{
	dte[3] = 0;
	dte[2] = 0;
	dte[1] = AMDVI_DTE1_DOMAIN(did);
	dte[0] = AMDVI_DTE0_V | AMDVI_DTE0_TV | AMDVI_DTE0_MODE(0);
}

void amdvi_devtab_deny_all(uint64_t *devtab, uint32_t entries)
{
	for (uint32_t i = 0; i < entries; i++)
		dte_deny(&devtab[AMDVI_DTE_WORDS * i], 0);
}

int amdvi_set_dte(uint64_t *devtab, uint32_t entries, uint16_t devid,
		  const struct iommu_domain *d)
{
	uint64_t *dte;

	if (devid >= entries || !d)
		return -EINVAL;
	dte = &devtab[AMDVI_DTE_WORDS * devid];
	if ((d->action == POL_ACTION_DENY && !d->unity) || !d->has_pt) {
		dte_deny(dte, d->did);
		return 0;
	}
	if (d->pt.fmt != IOMMU_PT_AMDVI || d->pt.levels < 3 || d->pt.levels > 6)
		return -EINVAL;
	dte[3] = 0;
	dte[2] = 0;
	dte[1] = AMDVI_DTE1_DOMAIN(d->did);
	/* IR/IW on the DTE gate every access; the leaves narrow it. */
	dte[0] = (d->pt.root_pa & AMDVI_DTE0_PTR_MASK) |
		 AMDVI_DTE0_MODE(d->pt.levels) | AMDVI_DTE0_IR | AMDVI_DTE0_IW |
		 AMDVI_DTE0_TV | AMDVI_DTE0_V;
	return 0;
}

int amdvi_devtab_from_plan(uint64_t *devtab, uint32_t entries,
			   const struct iommu_plan *p,
			   const struct iommu_dev *devs, uint32_t ndevs)
{
	for (uint32_t i = 0; i < ndevs; i++) {
		const struct pol_dev_id *id = &devs[i].id;
		uint16_t devid;
		int rc;

		if (devs[i].domain >= p->ndom || id->device > 31 ||
		    id->function > 7)
			return -EINVAL;
		devid =
		    (uint16_t)(id->bus << 8 | id->device << 3 | id->function);
		rc = amdvi_set_dte(devtab, entries, devid,
				   &p->dom[devs[i].domain]);
		if (rc)
			return rc;
	}
	return 0;
}

int amdvi_dte_lookup(const uint64_t *devtab, uint32_t entries, uint16_t devid,
		     const struct iommu_plan *p, uint64_t addr, uint32_t *perm)
{
	const uint64_t *dte;
	uint64_t pa;
	uint8_t level;

	*perm = 0;
	if (devid >= entries)
		return -ENOENT;
	dte = &devtab[AMDVI_DTE_WORDS * devid];
	if (!(dte[0] & AMDVI_DTE0_V) || !(dte[0] & AMDVI_DTE0_TV)) {
		/* Hardware would pass this device through: report it. */
		*perm = IOMMU_PERM_RW;
		return 0;
	}
	if (AMDVI_DTE0_MODE_GET(dte[0]) == 0) {
		if (dte[0] & AMDVI_DTE0_IR)
			*perm |= IOMMU_PERM_R;
		if (dte[0] & AMDVI_DTE0_IW)
			*perm |= IOMMU_PERM_W;
		return *perm ? 0 : -ENOENT;
	}
	for (uint32_t i = 0; i < p->ndom; i++) {
		const struct iommu_domain *d = &p->dom[i];

		if (d->has_pt &&
		    d->pt.root_pa == (dte[0] & AMDVI_DTE0_PTR_MASK)) {
			int rc =
			    iommu_pt_lookup(&d->pt, addr, &pa, perm, &level);

			if (rc)
				return rc;
			if (!(dte[0] & AMDVI_DTE0_IR))
				*perm &= ~IOMMU_PERM_R;
			if (!(dte[0] & AMDVI_DTE0_IW))
				*perm &= ~IOMMU_PERM_W;
			return *perm ? 0 : -ENOENT;
		}
	}
	return -ENOENT;
}
