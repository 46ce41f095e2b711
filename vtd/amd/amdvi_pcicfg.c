// SPDX-License-Identifier: GPL-2.0-only
/*
 * amdvi_pcicfg.c - AMD-Vi side of the PCI config-space guard (kernel,
 * process context, from the prepare hook): every AMD IOMMU is also a PCI
 * function whose capability block holds its register base and whose command
 * register and MSI capability steer it; the OS must not write any of them
 * once thinhv owns the unit (AMD IOMMU spec 3.x sec. 3.2, "IOMMU
 * capability block"). VT-d has no such function: its registers are placed
 * by the chipset, not by PCI config writes the OS could make.
 */
#include <linux/kernel.h>
#include "thinhv/core/hv_kern.h"
#include "vtd/common/iommu_drv.h"

int amdvi_guard_config(struct hv_iommu *io, struct hv_launch *l)
{
	uint32_t i;
	int rc;

	for (i = 0; i < io->nunits; i++) {
		const struct hv_iommu_unit *u = &io->unit[i];

		rc = hv_pcicfg_guard(l, u->segment, (u8)(u->devid >> 8),
				     (u8)u->devid);
		if (rc)
			return rc;
	}
	return 0;
}
