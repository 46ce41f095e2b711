/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv_memtype.h - memory types for nested page tables from MTRR and PAT
 * inputs (pure C: kernel and host unit tests). Intel SDM vol. 3 ch. 12
 * (MTRRs, PAT); AMD APM vol. 2 sec. 7.7-7.8. The kernel reads the MSRs into
 * struct hv_mtrr_state; the decisions here are pure.
 */
#ifndef THINHV_HV_MEMTYPE_H
#define THINHV_HV_MEMTYPE_H

#include "thinhv/compat.h"
#include "thinhv/hw/x86_regs.h"

/* Architectural memory type encodings (MTRR and PAT share them). */
#define HV_MT_UC 0u
#define HV_MT_WC 1u
#define HV_MT_WT 4u
#define HV_MT_WP 5u
#define HV_MT_WB 6u
#define HV_MT_UCMINUS 7u /* PAT only */

#define HV_MTRR_MAX_VAR 16

/* MSR contents, as read (IA32_MTRRCAP, _DEF_TYPE, PHYSBASEn/MASKn, FIXn). */
struct hv_mtrr_state {
	uint64_t def_type; /* IA32_MTRR_DEF_TYPE: bits 7:0 type, 10 FE, 11 E */
	uint32_t nvar; /* IA32_MTRRCAP bits 7:0, capped at HV_MTRR_MAX_VAR */
	uint32_t phys_bits;   /* MAXPHYADDR */
	bool fixed_supported; /* IA32_MTRRCAP bit 8 */
	uint64_t var_base[HV_MTRR_MAX_VAR];
	uint64_t var_mask[HV_MTRR_MAX_VAR]; /* bit 11: valid */
	/* 64K_00000, 16K_80000, 16K_A0000, 4K_C0000 .. 4K_F8000 */
	uint64_t fixed[11];
};

/*
 * Memory type of the naturally aligned block [base, base+len) (len a power
 * of two, >= 4 KiB): 0 and *type when uniform, -EAGAIN when MTRRs give it
 * more than one type (split it), -EINVAL for a malformed block.
 * Overlaps follow the architecture: UC wins, WT beats WB, any other mix is
 * undefined and treated as UC (fail safe). MTRRs disabled: UC.
 */
int hv_mtrr_block_type(const struct hv_mtrr_state *m, uint64_t base,
		       uint64_t len, uint8_t *type);

/* Callback shape for hv_pt_identity() (ctx: const struct hv_mtrr_state *). */
int hv_mtrr_memtype_cb(void *ctx, uint64_t base, uint64_t len, uint8_t *type);

/*
 * PAT index (0..3, reachable with PWT/PCD alone) holding `type` in the PAT
 * MSR value `pat`; -ENOENT when none does.
 */
int hv_pat_index(uint64_t pat, uint8_t type);

#endif /* THINHV_HV_MEMTYPE_H */
