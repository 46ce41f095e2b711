// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_memtype.c - MTRR/PAT memory type decisions for nested page tables
 * (pure C: kernel process context and host unit tests).
 */
#include "thinhv/compat.h"
#include "thinhv/pure/hv_memtype.h"

#define FIXED_END 0x100000ull

static bool valid_mtrr_type(uint8_t t)
{
	return t == HV_MT_UC || t == HV_MT_WC || t == HV_MT_WT ||
	       t == HV_MT_WP || t == HV_MT_WB;
}

/* Type of the 4 KiB page at addr < 1 MiB from the fixed-range MTRRs. */
static uint8_t fixed_type(const struct hv_mtrr_state *m, uint64_t addr)
{
	unsigned int reg, byte;

	if (addr < 0x80000) {
		reg = 0;
		byte = (unsigned int)(addr >> 16);
	} else if (addr < 0xc0000) {
		reg = 1 + (unsigned int)((addr - 0x80000) >> 17);
		byte = (unsigned int)(((addr - 0x80000) >> 14) & 7);
	} else {
		reg = 3 + (unsigned int)((addr - 0xc0000) >> 15);
		byte = (unsigned int)(((addr - 0xc0000) >> 12) & 7);
	}
	return (uint8_t)(m->fixed[reg] >> (8 * byte));
}

static uint8_t combine(uint8_t a, uint8_t b)
{
	if (a == b)
		return a;
	if (a == HV_MT_UC || b == HV_MT_UC)
		return HV_MT_UC;
	if ((a == HV_MT_WT && b == HV_MT_WB) ||
	    (a == HV_MT_WB && b == HV_MT_WT))
		return HV_MT_WT;
	return HV_MT_UC; /* undefined combination: fail safe */
}

int hv_mtrr_block_type(const struct hv_mtrr_state *m, uint64_t base,
		       uint64_t len, uint8_t *type)
{
	uint64_t physmask;
	uint8_t t = 0xff;
	uint32_t i, nvar;

	if (len < 4096 || (len & (len - 1)) || (base & (len - 1)) ||
	    m->phys_bits < 32 || m->phys_bits > 52)
		return -EINVAL;
	if (!(m->def_type & X86_MTRR_DEF_E)) {
		*type = HV_MT_UC;
		return 0;
	}
	if (base < FIXED_END && m->fixed_supported &&
	    (m->def_type & X86_MTRR_DEF_FE)) {
		if (len != 4096)
			return -EAGAIN; /* let 4 KiB pages follow the fixed MTRRs */
		t = fixed_type(m, base);
		*type = valid_mtrr_type(t) ? t : HV_MT_UC;
		return 0;
	}
	physmask = ((1ull << m->phys_bits) - 1) & ~0xfffull;
	nvar = m->nvar < HV_MTRR_MAX_VAR ? m->nvar : HV_MTRR_MAX_VAR;
	for (i = 0; i < nvar; i++) {
		uint64_t mask = m->var_mask[i] & physmask;
		uint8_t vt = (uint8_t)m->var_base[i];

		if (!(m->var_mask[i] & X86_MTRR_PHYSMASK_VALID))
			continue;
		if (mask & (len - 1)) {
			/*
			 * The MTRR distinguishes addresses inside the block: it
			 * may cover part of it. Uniform only if it matches none
			 * of the block's addresses, which the high bits decide
			 * when they differ.
			 */
			uint64_t hi = mask & ~(len - 1);

			if ((base & hi) != (m->var_base[i] & hi))
				continue;
			return -EAGAIN;
		}
		if ((base & mask) != (m->var_base[i] & mask))
			continue;
		if (!valid_mtrr_type(vt))
			vt = HV_MT_UC;
		t = t == 0xff ? vt : combine(t, vt);
	}
	if (t == 0xff) {
		t = (uint8_t)m->def_type;
		if (!valid_mtrr_type(t))
			t = HV_MT_UC;
	}
	*type = t;
	return 0;
}

int hv_mtrr_memtype_cb(void *ctx, uint64_t base, uint64_t len, uint8_t *type)
{
	return hv_mtrr_block_type(ctx, base, len, type);
}

int hv_pat_index(uint64_t pat, uint8_t type)
{
	int i;

	for (i = 0; i < 4; i++)
		if (((pat >> (8 * i)) & 7) == type)
			return i;
	return -ENOENT;
}
