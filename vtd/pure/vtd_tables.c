// SPDX-License-Identifier: GPL-2.0-only
/*
 * vtd_tables.c - VT-d legacy-mode root and context tables (pure C: kernel
 * process context and host unit tests). VT-d spec rev 4.1 sec. 9.1-9.3.
 * Only buses with a device get a context table; a devfn without an entry
 * faults (reason 2), which is the fail-closed default of the hardware.
 */
#include "thinhv/compat.h"
#include "thinhv/iommu.h"
#include "thinhv/hw/vtd_regs.h"

int vtd_agaw_for_levels(uint8_t levels, uint8_t *aw)
{
	switch (levels) {
	case 3: /* 39-bit */
	case 4: /* 48-bit */
	case 5: /* 57-bit */
		*aw = (uint8_t)(levels - 2);
		return 0;
	default:
		return -EINVAL;
	}
}

int vtd_tables_init(struct vtd_tables *t, const struct iommu_mem *mem)
{
	void *va;
	int rc;

	memset(t, 0, sizeof(*t));
	if (!mem || !mem->alloc || !mem->virt)
		return -EINVAL;
	t->mem = *mem;
	rc = mem->alloc(mem->ctx, &t->root_pa, &va);
	if (rc)
		return rc;
	t->root = va;
	t->tables = 1;
	return 0;
}

static uint64_t *context_table(struct vtd_tables *t, uint8_t bus, bool make)
{
	uint64_t *re = &t->root[2 * bus];
	uint64_t pa;
	void *va;

	if (*re & VTD_ROOT_P)
		return t->mem.virt(t->mem.ctx, *re & VTD_ROOT_CTP_MASK);
	if (!make || t->mem.alloc(t->mem.ctx, &pa, &va))
		return NULL;
	t->tables++;
	re[1] = 0;
	/* The context table is zeroed before the present root entry. */
	re[0] = (pa & VTD_ROOT_CTP_MASK) | VTD_ROOT_P;
	return va;
}

int vtd_set_context(struct vtd_tables *t, uint8_t bus, uint8_t devfn,
		    const struct iommu_domain *d)
{
	uint64_t *ctx, lo, hi;
	uint8_t aw;

	if (!t->root || !d || !d->has_pt || !d->did)
		return -EINVAL;
	if (vtd_agaw_for_levels(d->pt.levels, &aw))
		return -EINVAL;
	ctx = context_table(t, bus, true);
	if (!ctx)
		return -ENOMEM;
	lo = (d->pt.root_pa & VTD_CTX_LO_SLPTPTR_MASK) | VTD_CTX_LO_TT_SL |
	     VTD_CTX_LO_P;
	hi = VTD_CTX_HI_AW(aw) | VTD_CTX_HI_DID(d->did);
	/* High word first: the entry becomes usable with P in the low word. */
	ctx[2 * devfn + 1] = hi;
	ctx[2 * devfn] = lo;
	return 0;
}

int vtd_get_context(const struct vtd_tables *t, uint8_t bus, uint8_t devfn,
		    uint64_t *lo, uint64_t *hi)
{
	const uint64_t *ctx;
	uint64_t re = t->root[2 * bus];

	if (!(re & VTD_ROOT_P))
		return -ENOENT;
	ctx = t->mem.virt(t->mem.ctx, re & VTD_ROOT_CTP_MASK);
	if (!ctx || !(ctx[2 * devfn] & VTD_CTX_LO_P))
		return -ENOENT;
	*lo = ctx[2 * devfn];
	*hi = ctx[2 * devfn + 1];
	return 0;
}

int vtd_tables_from_plan(struct vtd_tables *t, const struct iommu_plan *p,
			 const struct iommu_dev *devs, uint32_t ndevs,
			 uint16_t segment)
{
	for (uint32_t i = 0; i < ndevs; i++) {
		const struct pol_dev_id *id = &devs[i].id;
		int rc;

		if (id->segment != segment)
			continue;
		if (devs[i].domain >= p->ndom || id->device > 31 ||
		    id->function > 7)
			return -EINVAL;
		rc = vtd_set_context(t, id->bus,
				     (uint8_t)(id->device << 3 | id->function),
				     &p->dom[devs[i].domain]);
		if (rc)
			return rc;
	}
	return 0;
}
