// SPDX-License-Identifier: GPL-2.0-only
/*
 * iommu_fault.c - decoding of VT-d fault records and AMD-Vi event-log
 * entries, and the fault ring they are drained into (pure C: kernel, host
 * unit tests, CLI). Record words come from hardware or from a test, so
 * every field is extracted with masks and unknown codes are reported, not
 * guessed.
 */
#include "thinhv/compat.h"
#include "thinhv/iommu.h"
#include "thinhv/hw/vtd_regs.h"
#include "thinhv/hw/amdvi_regs.h"

int vtd_fault_decode(uint64_t lo, uint64_t hi, struct iommu_fault *f)
{
	memset(f, 0, sizeof(*f));
	if (!(hi & VTD_FRCD_HI_F))
		return -ENOENT;
	f->src = IOMMU_FAULT_VTD;
	f->addr = VTD_FRCD_LO_FI(lo);
	f->sid = (uint16_t)VTD_FRCD_HI_SID(hi);
	f->reason = (uint8_t)VTD_FRCD_HI_FR(hi);
	/* T: 0 = write request, 1 = read request (sec. 11.4.14). */
	f->write = (hi & VTD_FRCD_HI_T) ? 0 : 1;
	return 0;
}

const char *vtd_fault_reason_text(uint8_t reason)
{
	switch (reason) {
	case VTD_FR_ROOT_NOT_PRESENT:
		return "root entry not present";
	case VTD_FR_CTX_NOT_PRESENT:
		return "context entry not present";
	case VTD_FR_CTX_INVALID:
		return "invalid context entry";
	case VTD_FR_BEYOND_AGAW:
		return "address beyond the domain's address width";
	case VTD_FR_WRITE:
		return "write to a page without write permission";
	case VTD_FR_READ:
		return "read of a page without read permission";
	case VTD_FR_SL_ACCESS:
		return "error reading a second-level table";
	case VTD_FR_ROOT_ADDR:
		return "root table address invalid";
	case VTD_FR_CTX_ADDR:
		return "context table address invalid";
	case VTD_FR_ROOT_RSVD:
		return "reserved bit set in root entry";
	case VTD_FR_CTX_RSVD:
		return "reserved bit set in context entry";
	case VTD_FR_SL_RSVD:
		return "reserved bit set in second-level entry";
	case VTD_FR_TT_BLOCKED:
		return "translation type blocked";
	default:
		return "unknown fault reason";
	}
}

int amdvi_event_decode(const uint8_t ev[16], struct iommu_fault *f)
{
	uint32_t d0 = hv_le32(ev), d1 = hv_le32(ev + 4);
	uint64_t addr = hv_le64(ev + 8);
	uint8_t code = (uint8_t)(d1 >> 28);

	memset(f, 0, sizeof(*f));
	f->src = IOMMU_FAULT_AMDVI;
	f->reason = code;
	f->sid = (uint16_t)d0;
	if (!d0 && !d1 && !addr)
		return -ENOENT;
	switch (code) {
	case AMDVI_EVT_IO_PAGE_FAULT:
	case AMDVI_EVT_ILLEGAL_DTE:
	case AMDVI_EVT_DEVTAB_HW_ERROR:
	case AMDVI_EVT_PAGETAB_HW_ERROR:
	case AMDVI_EVT_INVALID_DEV_REQ:
		/* DeviceID in dword 0, flags in dword 1 bits 27:16. */
		f->flags = (uint16_t)((d1 >> 16) & 0xfff);
		f->write = (f->flags & AMDVI_EVF_RW) ? 1 : 0;
		f->addr = addr;
		/* Page faults carry the domain (GN=0) in dword 1 15:0. */
		if (code == AMDVI_EVT_IO_PAGE_FAULT &&
		    !(f->flags & AMDVI_EVF_GN))
			f->domain = (uint16_t)d1;
		return 0;
	case AMDVI_EVT_ILLEGAL_CMD:
	case AMDVI_EVT_CMD_HW_ERROR:
		/* No device: the address is the command's. */
		f->sid = 0;
		f->addr = addr;
		return 0;
	case AMDVI_EVT_IOTLB_INV_TIMEOUT:
		f->addr = addr;
		return 0;
	default:
		return -EPROTO;
	}
}

const char *amdvi_event_text(uint8_t code)
{
	switch (code) {
	case AMDVI_EVT_ILLEGAL_DTE:
		return "illegal device table entry";
	case AMDVI_EVT_IO_PAGE_FAULT:
		return "I/O page fault";
	case AMDVI_EVT_DEVTAB_HW_ERROR:
		return "device table hardware error";
	case AMDVI_EVT_PAGETAB_HW_ERROR:
		return "page table hardware error";
	case AMDVI_EVT_ILLEGAL_CMD:
		return "illegal command";
	case AMDVI_EVT_CMD_HW_ERROR:
		return "command hardware error";
	case AMDVI_EVT_IOTLB_INV_TIMEOUT:
		return "IOTLB invalidation timeout";
	case AMDVI_EVT_INVALID_DEV_REQ:
		return "invalid device request";
	default:
		return "unknown event";
	}
}

void iommu_ring_init(struct iommu_fault_ring *r, struct iommu_fault *slots,
		     uint32_t cap)
{
	memset(r, 0, sizeof(*r));
	r->slot = slots;
	r->cap = cap;
}

void iommu_ring_push(struct iommu_fault_ring *r, const struct iommu_fault *f)
{
	if (!r->cap) {
		r->total++;
		r->dropped++;
		return;
	}
	/* Overwriting an unread record is counted, never silent. */
	if (r->total >= r->cap && r->total - r->cap >= r->read)
		r->dropped++;
	r->slot[r->total % r->cap] = *f;
	r->total++;
}

int iommu_ring_get(const struct iommu_fault_ring *r, uint64_t seq,
		   struct iommu_fault *f)
{
	if (seq >= r->total || !r->cap || r->total - seq > r->cap)
		return -ENOENT;
	*f = r->slot[seq % r->cap];
	return 0;
}
