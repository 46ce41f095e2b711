/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * amdvi_regs.h - AMD-Vi (AMD I/O Virtualization Technology) register
 * catalogue and in-memory structure bits (kernel and host). AMD IOMMU
 * Specification, pub. 48882 rev 3.x: sec. 3.4 (MMIO registers), 2.2.2
 * (device table entry), 2.2.3 (I/O page tables), 2.4 (commands),
 * 2.5 (event log).
 */
#ifndef THINHV_AMDVI_REGS_H
#define THINHV_AMDVI_REGS_H

#include "thinhv/compat.h"

#define AMDVI_MMIO_SIZE 0x4000	/* 16 KiB register aperture */
#define AMDVI_REG_DEVTAB 0x0000 /* device table base, 64-bit */
#define AMDVI_DEVTAB_SIZE(pages) ((uint64_t)(pages)-1) /* bits 8:0 */
#define AMDVI_REG_CMDBUF 0x0008			       /* command buffer base */
#define AMDVI_REG_EVTLOG 0x0010			       /* event log base */
#define AMDVI_LEN_256 (8ull << 56) /* ComLen/EventLen: 2^8 entries */
#define AMDVI_RING_BYTES 4096u	   /* a ring of AMDVI_LEN_256 entries */
#define AMDVI_BASE_MASK 0x000ffffffffff000ull
#define AMDVI_REG_CONTROL 0x0018  /* control, 64-bit */
#define AMDVI_CTRL_EN (1ull << 0) /* IommuEn */
#define AMDVI_CTRL_HT_TUN (1ull << 1)
#define AMDVI_CTRL_EVTLOG_EN (1ull << 2)
#define AMDVI_CTRL_EVTINT_EN (1ull << 3)
#define AMDVI_CTRL_COMWAIT_INT (1ull << 4)
#define AMDVI_CTRL_CMDBUF_EN (1ull << 12)
#define AMDVI_CTRL_PPR_EN (1ull << 15)
#define AMDVI_CTRL_GT_EN (1ull << 16)
#define AMDVI_REG_EXCL_BASE 0x0020 /* exclusion range: kept disabled */
#define AMDVI_REG_EXCL_LIMIT 0x0028
#define AMDVI_REG_EFR 0x0030	 /* extended features */
#define AMDVI_EFR_IA (1ull << 6) /* INVALIDATE_IOMMU_ALL supported */
#define AMDVI_REG_CMD_HEAD 0x2000
#define AMDVI_REG_CMD_TAIL 0x2008
#define AMDVI_REG_EVT_HEAD 0x2010
#define AMDVI_REG_EVT_TAIL 0x2018
#define AMDVI_PTR_MASK 0x7fff0ull /* byte offset, bits 18:4 */
#define AMDVI_REG_STATUS 0x2020
#define AMDVI_STS_EVT_OVERFLOW (1ull << 0) /* RW1C */
#define AMDVI_STS_EVT_INT (1ull << 1)	   /* RW1C */
#define AMDVI_STS_COMWAIT_INT (1ull << 2)  /* RW1C */
#define AMDVI_STS_EVT_RUN (1ull << 3)
#define AMDVI_STS_CMD_RUN (1ull << 4)

/* Extended feature register fields by their spec names (sec. 3.4.5). */
static inline bool amdvi_efr_ia(uint64_t efr)
{
	return (efr & AMDVI_EFR_IA) != 0;
}

static inline uint32_t amdvi_efr_hats(uint64_t efr) /* 0: 4 levels, 1: 5 */
{
	return (uint32_t)((efr >> 10) & 3);
}

/* Device table entry, 256 bits as four words (sec. 2.2.2.1). */
#define AMDVI_DTE0_V (1ull << 0)  /* entry valid */
#define AMDVI_DTE0_TV (1ull << 1) /* translation information valid */
#define AMDVI_DTE0_MODE(m) ((uint64_t)(m) << 9) /* paging levels, 0: none */
#define AMDVI_DTE0_MODE_GET(w) (((w) >> 9) & 7)
#define AMDVI_DTE0_PTR_MASK 0x000ffffffffff000ull
#define AMDVI_DTE0_IR (1ull << 61)
#define AMDVI_DTE0_IW (1ull << 62)
#define AMDVI_DTE1_DOMAIN(d) ((uint64_t)(d)&0xffff)
#define AMDVI_DTE1_DOMAIN_GET(w) ((uint32_t)((w)&0xffff))

/* I/O page table entry / page directory entry (sec. 2.2.3). */
#define AMDVI_PTE_PR (1ull << 0)
#define AMDVI_PTE_NEXT(l) ((uint64_t)(l) << 9) /* 0: leaf */
#define AMDVI_PTE_NEXT_GET(w) (((w) >> 9) & 7)
#define AMDVI_PTE_ADDR_MASK 0x000ffffffffff000ull
#define AMDVI_PTE_IR (1ull << 61)
#define AMDVI_PTE_IW (1ull << 62)

/* Commands, 128 bits (sec. 2.4); opcode in bits 63:60 of the first qword. */
#define AMDVI_CMD_SIZE 16
#define AMDVI_CMD_OP(op) ((uint64_t)(op) << 60)
#define AMDVI_CMD_COMPLETION_WAIT 0x1
#define AMDVI_CW_STORE (1ull << 0) /* write data to the store address */
#define AMDVI_CW_ADDR_MASK 0x000ffffffffffff8ull /* store address, 8-aligned */
#define AMDVI_CMD_INV_DEVTAB_ENTRY 0x2		 /* device id in bits 15:0 */
#define AMDVI_CMD_INV_IOMMU_PAGES 0x3		 /* domain id in bits 47:32 */
#define AMDVI_INV_DOMAIN(d) ((uint64_t)(d) << 32)
#define AMDVI_INV_S (1ull << 0)	  /* size: address encodes the range */
#define AMDVI_INV_PDE (1ull << 1) /* also cached directory entries */
#define AMDVI_INV_ALL_ADDR 0x7ffffffffffff000ull
#define AMDVI_CMD_INV_IOMMU_ALL 0x8

/* Event log entries, 128 bits (sec. 2.5); code in bits 63:60. */
#define AMDVI_EVT_SIZE 16
#define AMDVI_EVT_ILLEGAL_DTE 0x1
#define AMDVI_EVT_IO_PAGE_FAULT 0x2
#define AMDVI_EVT_DEVTAB_HW_ERROR 0x3
#define AMDVI_EVT_PAGETAB_HW_ERROR 0x4
#define AMDVI_EVT_ILLEGAL_CMD 0x5
#define AMDVI_EVT_CMD_HW_ERROR 0x6
#define AMDVI_EVT_IOTLB_INV_TIMEOUT 0x7
#define AMDVI_EVT_INVALID_DEV_REQ 0x8
#define AMDVI_EVT_INVALID_PPR_REQ 0x9
#define AMDVI_EVT_EVENT_COUNTER_ZERO 0xa
/* Event flags (bits 27:16 of the second dword, shifted down). */
#define AMDVI_EVF_GN (1u << 0)
#define AMDVI_EVF_NX (1u << 1)
#define AMDVI_EVF_US (1u << 2)
#define AMDVI_EVF_I (1u << 3)
#define AMDVI_EVF_PR (1u << 4) /* page was present */
#define AMDVI_EVF_RW (1u << 5) /* 1: write */
#define AMDVI_EVF_PE (1u << 6) /* permission violation */
#define AMDVI_EVF_RZ (1u << 7) /* reserved bit set */
#define AMDVI_EVF_TR (1u << 8) /* translation request */

#endif /* THINHV_AMDVI_REGS_H */
