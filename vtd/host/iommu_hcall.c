// SPDX-License-Identifier: GPL-2.0-only
/*
 * iommu_hcall.c - the IOMMU component's host-mode hypercall service
 * (HV_HC_IOMMU_SWAP/DRAIN/STATE of hv_abi.h): registered with the core
 * before launch (vtd/common/iommu_kmod.c, hv_host_service()), called by
 * hv_exit.c's hypercall dispatch in HOST MODE with the component's state
 * in protected memory. Pure C built with the host-mode flags; also built
 * into the host unit tests.
 */
#include "thinhv/compat.h"
#include "thinhv/hv_abi.h"
#include "thinhv/iommu_host.h"
#include "thinhv/host/hv_exit.h"

static int hv_status(int rc)
{
	switch (rc) {
	case 0:
		return 0;
	case -ENOENT:
		return HV_ENOENT;
	case -EAGAIN:
		return HV_EAGAIN;
	case -EBUSY:
		return HV_EBUSY;
	case -ENODEV:
		return HV_ENODEV;
	case -ETIMEDOUT:
		return HV_ETIMEDOUT;
	default:
		return HV_EINVAL;
	}
}

int iommu_host_call(void *ctx, const struct hv_host *h, uint32_t fn,
		    struct hv_gprs *g)
{
	struct iommu_host *ih = ctx;
	struct iommu_host_rec r;
	uint32_t left = 0, k;
	uint64_t ovf = 0;
	int rc;

	/* None of the three takes an argument. */
	if (g->rbx || g->rcx || g->rdx)
		return HV_EINVAL;
	if (!ih)
		return HV_ENODEV;
	switch (fn) {
	case HV_HC_IOMMU_SWAP:
		/* lock=1 freezes the DMA policy with the hypervisor. */
		if (h->locked)
			return HV_EPERM;
		rc = iommu_host_swap(ih);
		g->rbx = ih->generation;
		g->rcx = ih->last_why;
		g->rdx = ih->last_bad;
		break;
	case HV_HC_IOMMU_DRAIN:
		rc = iommu_host_drain(ih, &r, &left);
		if (rc == -ENOENT) { /* nothing queued: source 0 */
			g->rbx = g->rcx = g->rdx = 0;
			rc = 0;
		} else if (!rc) {
			g->rbx = r.lo;
			g->rcx = r.hi;
			g->rdx = hv_drain_pack(r.unit, r.src, left);
		}
		break;
	case HV_HC_IOMMU_STATE:
		for (k = 0; k < ih->nunits && k < IOMMU_HOST_MAX_UNITS; k++)
			ovf += ih->unit[k].hw_overflow;
		g->rbx = ih->generation;
		g->rcx = hv_hc_pair((uint32_t)ih->refused, ih->active & 1);
		g->rdx = hv_hc_pair((uint32_t)ih->dropped, (uint32_t)ovf);
		rc = 0;
		break;
	default: /* registered for functions it does not serve */
		return HV_ENOSYS;
	}
	return hv_status(rc);
}
