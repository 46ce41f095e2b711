/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vtd_regs.h - Intel VT-d register catalogue and in-memory structure bits
 * (kernel and host). Intel Virtualization Technology for Directed I/O
 * Architecture Specification, rev 4.1: chapter 11 (registers), sections
 * 9.1-9.3 (root/context entries), 9.8 (second-level paging entries),
 * 7.1 (fault reasons).
 */
#ifndef THINHV_VTD_REGS_H
#define THINHV_VTD_REGS_H

#include "thinhv/compat.h"

#define VTD_REG_VER 0x000	   /* version, 32-bit */
#define VTD_REG_CAP 0x008	   /* capabilities, 64-bit (sec. 11.4.2) */
#define VTD_CAP_RWBF (1ull << 4)   /* write-buffer flush required */
#define VTD_CAP_CM (1ull << 7)	   /* caching mode */
#define VTD_CAP_SAGAW_39 (1u << 1) /* SAGAW: 3-level, 39-bit */
#define VTD_CAP_SAGAW_48 (1u << 2) /* SAGAW: 4-level, 48-bit */
#define VTD_CAP_SLLPS_2M (1u << 0) /* SLLPS: 2 MiB leaves */
#define VTD_CAP_SLLPS_1G (1u << 1) /* SLLPS: 1 GiB leaves */
#define VTD_REG_ECAP 0x010	   /* extended capabilities (sec. 11.4.3) */
#define VTD_ECAP_C (1ull << 0)	   /* page walks coherent (snooped) */
#define VTD_ECAP_QI (1ull << 1)	   /* queued invalidation */
#define VTD_ECAP_PT (1ull << 6)	   /* pass-through */
#define VTD_ECAP_SMTS (1ull << 43) /* scalable mode */
#define VTD_ECAP_SLTS (1ull << 46) /* second-level translation (SM) */

/* CAP fields by their spec names. */
static inline uint32_t vtd_cap_nd(uint64_t cap) /* domains: 2^(4+2*ND) */
{
	return (uint32_t)(cap & 0x7);
}

static inline bool vtd_cap_rwbf(uint64_t cap)
{
	return (cap & VTD_CAP_RWBF) != 0;
}

static inline uint32_t vtd_cap_sagaw(uint64_t cap) /* VTD_CAP_SAGAW_* */
{
	return (uint32_t)((cap >> 8) & 0x1f);
}

static inline uint32_t vtd_cap_mgaw(uint64_t cap) /* address width, bits */
{
	return (uint32_t)((cap >> 16) & 0x3f) + 1;
}

static inline uint32_t vtd_cap_fro(uint64_t cap) /* fault regs, bytes */
{
	return (uint32_t)((cap >> 24) & 0x3ff) * 16;
}

static inline uint32_t vtd_cap_sllps(uint64_t cap) /* VTD_CAP_SLLPS_* */
{
	return (uint32_t)((cap >> 34) & 0xf);
}

static inline uint32_t vtd_cap_nfr(uint64_t cap) /* fault records */
{
	return (uint32_t)((cap >> 40) & 0xff) + 1;
}

/* ECAP fields by their spec names. */
static inline bool vtd_ecap_c(uint64_t ecap)
{
	return (ecap & VTD_ECAP_C) != 0;
}

static inline bool vtd_ecap_qi(uint64_t ecap)
{
	return (ecap & VTD_ECAP_QI) != 0;
}

static inline uint32_t vtd_ecap_iro(uint64_t ecap) /* IOTLB regs, bytes */
{
	return (uint32_t)((ecap >> 8) & 0x3ff) * 16;
}

#define VTD_REG_GCMD 0x018	 /* global command, 32-bit */
#define VTD_REG_GSTS 0x01c	 /* global status, 32-bit (same bit layout) */
#define VTD_GCMD_TE (1u << 31)	 /* translation enable */
#define VTD_GCMD_SRTP (1u << 30) /* set root table pointer (one-shot) */
#define VTD_GCMD_SFL (1u << 29)	 /* set fault log (one-shot) */
#define VTD_GCMD_EAFL (1u << 28)
#define VTD_GCMD_WBF (1u << 27)	  /* write buffer flush (one-shot) */
#define VTD_GCMD_QIE (1u << 26)	  /* queued invalidation enable */
#define VTD_GCMD_IRE (1u << 25)	  /* interrupt remapping enable */
#define VTD_GCMD_SIRTP (1u << 24) /* one-shot */
#define VTD_GCMD_CFI (1u << 23)
/* Persistent enables a GCMD write must repeat (one-shot bits excluded). */
#define VTD_GSTS_PERSIST                                            \
	(VTD_GCMD_TE | VTD_GCMD_QIE | VTD_GCMD_IRE | VTD_GCMD_CFI | \
	 VTD_GCMD_EAFL)
#define VTD_REG_RTADDR 0x020 /* root table address, 64-bit */
#define VTD_RTADDR_TTM_LEGACY (0ull << 10)
#define VTD_REG_CCMD 0x028		  /* context command, 64-bit */
#define VTD_CCMD_ICC (1ull << 63)	  /* invalidate (busy while set) */
#define VTD_CCMD_CIRG_GLOBAL (1ull << 61) /* global invalidation */
#define VTD_CCMD_CAIG(v) (((v) >> 59) & 3)
#define VTD_REG_FSTS 0x034     /* fault status, 32-bit */
#define VTD_FSTS_PFO (1u << 0) /* fault overflow (RW1C) */
#define VTD_FSTS_PPF (1u << 1) /* primary pending fault (RO) */
#define VTD_FSTS_IQE (1u << 4) /* invalidation queue error (RW1C) */
#define VTD_FSTS_FRI(s) (((s) >> 8) & 0xff) /* fault record index */
#define VTD_REG_FECTL 0x038		    /* fault event control, 32-bit */
#define VTD_FECTL_IM (1u << 31)		    /* interrupt mask */
#define VTD_REG_IQH 0x080		    /* invalidation queue head */
#define VTD_REG_IQT 0x088		    /* invalidation queue tail */
#define VTD_REG_IQA 0x090		    /* invalidation queue address */
/*
 * Queued invalidation (sec. 6.5.2): one 4 KiB queue of 256 128-bit
 * descriptors (IQA.QS = 0, DW = 0); IQH/IQT hold the index in bits 18:4.
 */
#define VTD_IQ_ENTRIES 256u
#define VTD_IQ_PTR(i) ((uint64_t)(i) << 4)
#define VTD_IQ_PTR_GET(r) (((r) >> 4) & 0x7fff)
/* Context-cache invalidate, global (type 1, G = 01b). */
#define VTD_DESC_CC_GLOBAL (0x1ull | 1ull << 4)
/* IOTLB invalidate, global (type 2, G = 01b), drain writes and reads. */
#define VTD_DESC_IOTLB_GLOBAL (0x2ull | 1ull << 4 | 1ull << 6 | 1ull << 7)
/* Invalidation wait (type 5) writing `data` to the status address. */
#define VTD_DESC_WAIT(data) (0x5ull | 1ull << 5 | (uint64_t)(data) << 32)
/* IOTLB registers at ECAP.IRO: IVA (+0), IOTLB (+8). */
#define VTD_IOTLB_OFF 8
#define VTD_IOTLB_IVT (1ull << 63)	   /* invalidate (busy while set) */
#define VTD_IOTLB_IIRG_GLOBAL (1ull << 60) /* global invalidation */
#define VTD_IOTLB_DR (1ull << 49)	   /* drain reads */
#define VTD_IOTLB_DW (1ull << 48)	   /* drain writes */
#define VTD_IOTLB_IAIG(v) (((v) >> 57) & 3)
/* Fault recording register i at CAP.FRO + 16*i: low and high words. */
#define VTD_FRCD_HI_F (1ull << 63)	       /* fault (RW1C) */
#define VTD_FRCD_F_OFF 12		       /* the dword holding F ... */
#define VTD_FRCD_F_DW (1u << 31)	       /* ... and F in it */
#define VTD_FRCD_HI_T (1ull << 62)	       /* type: 1 read, 0 write */
#define VTD_FRCD_HI_FR(h) (((h) >> 32) & 0xff) /* fault reason */
#define VTD_FRCD_HI_SID(h) ((h)&0xffff)	       /* source id */
#define VTD_FRCD_LO_FI(l) ((l) & ~0xfffull)    /* fault info: page address */

/* Root entry (128-bit, legacy mode), sec. 9.1. */
#define VTD_ROOT_P (1ull << 0)
#define VTD_ROOT_CTP_MASK 0x000ffffffffff000ull
/* Context entry (128-bit, legacy mode), sec. 9.3. */
#define VTD_CTX_LO_P (1ull << 0)
#define VTD_CTX_LO_FPD (1ull << 1)   /* fault processing disable: never set */
#define VTD_CTX_LO_TT_SL (0ull << 2) /* untranslated requests, 2nd level */
#define VTD_CTX_LO_SLPTPTR_MASK 0x000ffffffffff000ull
#define VTD_CTX_HI_AW(aw) ((uint64_t)(aw)&7) /* 1: 39-bit 3-level */
#define VTD_CTX_HI_AW_GET(h) ((h)&7)
#define VTD_CTX_HI_DID(d) ((uint64_t)(d) << 8)
#define VTD_CTX_HI_DID_GET(h) (((h) >> 8) & 0xffff)
#define VTD_CTX_HI_AW_DID_MASK 0xffff07ull /* the bits legacy mode uses */
/* Second-level paging entry, sec. 9.8. */
#define VTD_SL_R (1ull << 0)
#define VTD_SL_W (1ull << 1)
#define VTD_SL_PS (1ull << 7) /* leaf at level 2 (2 MiB) / 3 (1 GiB) */
#define VTD_SL_ADDR_MASK 0x000ffffffffff000ull

/* Fault reasons (sec. 7.1.3, table 26), the ones legacy mode reports. */
#define VTD_FR_ROOT_NOT_PRESENT 0x1
#define VTD_FR_CTX_NOT_PRESENT 0x2
#define VTD_FR_CTX_INVALID 0x3
#define VTD_FR_BEYOND_AGAW 0x4
#define VTD_FR_WRITE 0x5 /* write to a page without W */
#define VTD_FR_READ 0x6	 /* read of a page without R */
#define VTD_FR_SL_ACCESS 0x7
#define VTD_FR_ROOT_ADDR 0x8
#define VTD_FR_CTX_ADDR 0x9
#define VTD_FR_ROOT_RSVD 0xa
#define VTD_FR_CTX_RSVD 0xb
#define VTD_FR_SL_RSVD 0xc
#define VTD_FR_TT_BLOCKED 0xd

#endif /* THINHV_VTD_REGS_H */
