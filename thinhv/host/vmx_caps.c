// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmx_caps.c - VT-x capability decisions, control computation, segment
 * conversion and small validators (pure C: kernel process context and host
 * unit tests; vmx_xsetbv_ok() and vmx_msr_bitmap_test() also run in VMX
 * root mode, so nothing here calls out or touches %gs).
 * References: Intel SDM vol. 3C app. A (capability MSRs), 24-26, 29.3.
 */
#include "thinhv/compat.h"
#include "thinhv/hw/vmx_regs.h"
#include "thinhv/host/vmx_caps.h"

/*
 * Controls the backend sets (want), sets when the CPU allows (optional),
 * and does not implement (forbid: a CPU forcing one of these to 1 is
 * refused, since the exits or behaviour it brings would go unhandled).
 * Reserved "default1" bits outside these sets are left as the CPU forces.
 */
#define PIN_WANT 0u
#define PIN_OPTIONAL 0u
#define PIN_FORBID                                                       \
	(VMX_PIN_EXT_INT_EXIT | VMX_PIN_NMI_EXIT | VMX_PIN_VIRTUAL_NMI | \
	 VMX_PIN_PREEMPT_TIMER | VMX_PIN_POSTED_INT)

/* No I/O, HLT, RDTSC, CR3 or DR exits: the OS keeps running at full speed. */
#define PROC_WANT (VMX_PROC_MSR_BITMAPS | VMX_PROC_SECONDARY)
#define PROC_OPTIONAL 0u
#define PROC_FORBID                                                            \
	(VMX_PROC_INT_WINDOW | VMX_PROC_HLT_EXIT | VMX_PROC_INVLPG_EXIT |      \
	 VMX_PROC_MWAIT_EXIT | VMX_PROC_RDPMC_EXIT | VMX_PROC_RDTSC_EXIT |     \
	 VMX_PROC_CR3_LOAD_EXIT | VMX_PROC_CR3_STORE_EXIT |                    \
	 VMX_PROC_TERTIARY | VMX_PROC_CR8_LOAD_EXIT |                          \
	 VMX_PROC_CR8_STORE_EXIT | VMX_PROC_TPR_SHADOW | VMX_PROC_NMI_WINDOW | \
	 VMX_PROC_MOV_DR_EXIT | VMX_PROC_UNCOND_IO_EXIT |                      \
	 VMX_PROC_IO_BITMAPS | VMX_PROC_MTF | VMX_PROC_MONITOR_EXIT |          \
	 VMX_PROC_PAUSE_EXIT)

/*
 * RDTSCP, INVPCID, XSAVES and user wait/pause raise #UD in a guest unless
 * their "enable" control is set: set them wherever the CPU has them, or the
 * OS that used them natively would break after launch.
 */
#define PROC2_WANT VMX_PROC2_EPT
#define PROC2_OPTIONAL                                             \
	(VMX_PROC2_RDTSCP | VMX_PROC2_INVPCID | VMX_PROC2_XSAVES | \
	 VMX_PROC2_USER_WAIT_PAUSE | VMX_PROC2_CONCEAL_PT)
#define PROC2_FORBID                                                       \
	(VMX_PROC2_VIRT_APIC_ACCESS | VMX_PROC2_DESC_TABLE_EXIT |          \
	 VMX_PROC2_VIRT_X2APIC | VMX_PROC2_WBINVD_EXIT |                   \
	 VMX_PROC2_APIC_REG_VIRT | VMX_PROC2_VIRT_INT_DELIVERY |           \
	 VMX_PROC2_PAUSE_LOOP_EXIT | VMX_PROC2_RDRAND_EXIT |               \
	 VMX_PROC2_VMFUNC | VMX_PROC2_VMCS_SHADOW | VMX_PROC2_ENCLS_EXIT | \
	 VMX_PROC2_RDSEED_EXIT | VMX_PROC2_PML | VMX_PROC2_EPT_VE |        \
	 VMX_PROC2_MODE_BASED_EPT | VMX_PROC2_SPP | VMX_PROC2_PT_GPA |     \
	 VMX_PROC2_TSC_SCALING | VMX_PROC2_ENCLV_EXIT)

/* Guest EFER/PAT/DEBUGCTL/DR7 move with every transition, so the native
 * values are exact at devirtualization. */
#define EXIT_WANT                                                          \
	(VMX_EXIT_HOST_ADDR64 | VMX_EXIT_SAVE_DEBUG | VMX_EXIT_SAVE_EFER | \
	 VMX_EXIT_LOAD_EFER | VMX_EXIT_SAVE_PAT | VMX_EXIT_LOAD_PAT)
#define EXIT_OPTIONAL VMX_EXIT_CONCEAL_PT
#define EXIT_FORBID                                       \
	(VMX_EXIT_LOAD_PERF_GLOBAL | VMX_EXIT_ACK_INT |   \
	 VMX_EXIT_SAVE_PREEMPT | VMX_EXIT_CLEAR_BNDCFGS | \
	 VMX_EXIT_CLEAR_RTIT_CTL | VMX_EXIT_LOAD_CET | VMX_EXIT_LOAD_PKRS)

#define ENTRY_WANT                                                            \
	(VMX_ENTRY_IA32E_GUEST | VMX_ENTRY_LOAD_DEBUG | VMX_ENTRY_LOAD_EFER | \
	 VMX_ENTRY_LOAD_PAT)
#define ENTRY_OPTIONAL VMX_ENTRY_CONCEAL_PT
#define ENTRY_FORBID                                           \
	(VMX_ENTRY_SMM | VMX_ENTRY_DEACT_DUAL_MONITOR |        \
	 VMX_ENTRY_LOAD_PERF_GLOBAL | VMX_ENTRY_LOAD_BNDCFGS | \
	 VMX_ENTRY_LOAD_RTIT_CTL | VMX_ENTRY_LOAD_CET)

#define VMX_MT_WB 6u

int vmx_ctl_compute(uint64_t cap, uint32_t want, uint32_t optional,
		    uint32_t forbid, uint32_t *out, uint32_t *bad)
{
	uint32_t must1 = VMX_CTL_MUST_BE_1(cap), may1 = VMX_CTL_MAY_BE_1(cap);

	*bad = 0;
	if ((want | optional) & forbid || (want & optional))
		return -EINVAL;
	if (must1 & ~may1) {
		*bad = must1 & ~may1; /* a bit forced both ways */
		return -EINVAL;
	}
	if (want & ~may1) {
		*bad = want & ~may1;
		return -EOPNOTSUPP;
	}
	if (must1 & forbid) {
		*bad = must1 & forbid;
		return -EOPNOTSUPP;
	}
	*out = must1 | want | (optional & may1);
	return 0;
}

bool vmx_ctl_valid(uint64_t cap, uint32_t v)
{
	return (v & VMX_CTL_MUST_BE_1(cap)) == VMX_CTL_MUST_BE_1(cap) &&
	       (v & ~VMX_CTL_MAY_BE_1(cap)) == 0;
}

int vmx_feature_control(uint64_t fc, uint64_t *newval)
{
	if (fc & X86_FC_LOCK) {
		if (!(fc & X86_FC_VMX_OUTSIDE_SMX))
			return -EPERM;
		return 0;
	}
	*newval = fc | X86_FC_LOCK | X86_FC_VMX_OUTSIDE_SMX;
	return 1;
}

static int refuse(struct vmx_refusal *why, const char *what, const char *w,
		  uint64_t bits, int err)
{
	why->what = what;
	why->why = w;
	why->bits = bits;
	return err;
}

static const struct {
	const char *name;
	uint32_t want, optional, forbid;
} ctl_policy[VMX_CTL_COUNT] = {
	[VMX_CTL_PIN] = { "pin-based controls", PIN_WANT, PIN_OPTIONAL,
			  PIN_FORBID },
	[VMX_CTL_PROC] = { "primary processor-based controls", PROC_WANT,
			   PROC_OPTIONAL, PROC_FORBID },
	[VMX_CTL_PROC2] = { "secondary processor-based controls", PROC2_WANT,
			    PROC2_OPTIONAL, PROC2_FORBID | VMX_PROC2_VPID },
	[VMX_CTL_EXIT] = { "VM-exit controls", EXIT_WANT, EXIT_OPTIONAL,
			   EXIT_FORBID },
	[VMX_CTL_ENTRY] = { "VM-entry controls", ENTRY_WANT, ENTRY_OPTIONAL,
			    ENTRY_FORBID },
};

int vmx_plan_ctl(enum vmx_ctl k, uint64_t cap, uint32_t *out,
		 struct vmx_refusal *why)
{
	uint32_t bad;
	const char *what;
	int rc;

	if ((unsigned int)k >= VMX_CTL_COUNT)
		return -EINVAL;
	what = ctl_policy[k].name;
	rc = vmx_ctl_compute(cap, ctl_policy[k].want, ctl_policy[k].optional,
			     ctl_policy[k].forbid, out, &bad);
	if (rc == -EOPNOTSUPP && (ctl_policy[k].want & bad))
		return refuse(why, what, "required control cannot be set", bad,
			      rc);
	if (rc == -EOPNOTSUPP)
		return refuse(why, what,
			      "CPU forces a control thinhv does not handle",
			      bad, rc);
	if (rc)
		return refuse(why, what, "capability MSR contradicts itself",
			      bad, rc);
	return 0;
}

static int plan_ept(const struct vmx_cap_msrs *m, struct vmx_plan *p,
		    struct vmx_refusal *why)
{
	uint64_t c = m->ept_vpid;
	uint64_t need = VMX_EPT_WALK_4 | VMX_EPT_MT_WB | VMX_EPT_INVEPT;

	if ((c & need) != need)
		return refuse(why, "EPT capabilities",
			      "needs 4-level walk, WB tables and INVEPT",
			      need & ~c, -EOPNOTSUPP);
	if (c & VMX_EPT_INVEPT_SINGLE)
		p->invept_type = VMX_INVEPT_SINGLE;
	else if (c & VMX_EPT_INVEPT_ALL)
		p->invept_type = VMX_INVEPT_ALL;
	else
		return refuse(why, "EPT capabilities",
			      "INVEPT has neither single- nor all-context type",
			      VMX_EPT_INVEPT_SINGLE | VMX_EPT_INVEPT_ALL,
			      -EOPNOTSUPP);
	p->ept_levels = 4;
	p->ept_max_leaf = 1;
	if (c & VMX_EPT_2M) {
		p->ept_max_leaf = 2;
		if (c & VMX_EPT_1G)
			p->ept_max_leaf = 3;
	}
	/* VPID is an optimisation: without a usable INVVPID, go without. */
	p->vpid = false;
	if ((VMX_CTL_MAY_BE_1(m->proc2) & VMX_PROC2_VPID) &&
	    (c & VMX_VPID_INVVPID)) {
		if (c & VMX_VPID_INVVPID_SINGLE) {
			p->vpid = true;
			p->invvpid_type = VMX_INVVPID_SINGLE;
		} else if (c & VMX_VPID_INVVPID_ALL) {
			p->vpid = true;
			p->invvpid_type = VMX_INVVPID_ALL;
		}
	}
	if (p->vpid)
		p->proc2 |= VMX_PROC2_VPID;
	return 0;
}

int vmx_caps_plan(const struct vmx_cap_msrs *m, struct vmx_plan *p,
		  struct vmx_refusal *why)
{
	uint64_t pin, proc, exit, entry, size;
	int rc;

	memset(p, 0, sizeof(*p));
	memset(why, 0, sizeof(*why));
	if (!(m->cpuid1_ecx & VMX_CPUID1_ECX_VMX))
		return refuse(why, "CPUID.1:ECX", "no VMX", VMX_CPUID1_ECX_VMX,
			      -ENODEV);
	if ((m->feature_control & X86_FC_LOCK) &&
	    !(m->feature_control & X86_FC_VMX_OUTSIDE_SMX))
		return refuse(why, "IA32_FEATURE_CONTROL",
			      "VMX disabled and locked by firmware",
			      m->feature_control, -EPERM);

	size = (m->basic >> VMX_BASIC_SIZE_SHIFT) & VMX_BASIC_SIZE_MASK;
	if (!size || size > 4096)
		return refuse(why, "IA32_VMX_BASIC", "VMCS size out of range",
			      size, -EINVAL);
	if (((m->basic >> VMX_BASIC_MEMTYPE_SHIFT) & VMX_BASIC_MEMTYPE_MASK) !=
	    VMX_MT_WB)
		return refuse(why, "IA32_VMX_BASIC", "VMCS memory type not WB",
			      m->basic, -EOPNOTSUPP);
	if (m->basic & VMX_BASIC_ADDR32)
		return refuse(why, "IA32_VMX_BASIC",
			      "VMX structures limited to 32-bit addresses",
			      VMX_BASIC_ADDR32, -EOPNOTSUPP);
	p->revision = (uint32_t)(m->basic & VMX_BASIC_REVISION_MASK);
	p->vmcs_size = (uint32_t)size;

	/* SDM A.2: with bit 55 the TRUE_* MSRs are authoritative. */
	p->true_ctls = (m->basic & VMX_BASIC_TRUE_CTLS_MSRS) != 0;
	pin = p->true_ctls ? m->true_pin : m->pin;
	proc = p->true_ctls ? m->true_proc : m->proc;
	exit = p->true_ctls ? m->true_exit : m->exit;
	entry = p->true_ctls ? m->true_entry : m->entry;

	rc = vmx_plan_ctl(VMX_CTL_PIN, pin, &p->pin, why);
	if (!rc)
		rc = vmx_plan_ctl(VMX_CTL_PROC, proc, &p->proc, why);
	if (!rc)
		rc = vmx_plan_ctl(VMX_CTL_PROC2, m->proc2, &p->proc2, why);
	if (!rc)
		rc = vmx_plan_ctl(VMX_CTL_EXIT, exit, &p->exit, why);
	if (!rc)
		rc = vmx_plan_ctl(VMX_CTL_ENTRY, entry, &p->entry, why);
	if (rc)
		return rc;

	if (m->cr0_fixed0 & ~m->cr0_fixed1)
		return refuse(why, "IA32_VMX_CR0_FIXED0/1",
			      "bit fixed to both 0 and 1",
			      m->cr0_fixed0 & ~m->cr0_fixed1, -EINVAL);
	if (m->cr4_fixed0 & ~m->cr4_fixed1)
		return refuse(why, "IA32_VMX_CR4_FIXED0/1",
			      "bit fixed to both 0 and 1",
			      m->cr4_fixed0 & ~m->cr4_fixed1, -EINVAL);
	if (!(m->cr4_fixed1 & X86_CR4F_VMXE))
		return refuse(why, "IA32_VMX_CR4_FIXED1",
			      "CR4.VMXE not allowed", X86_CR4F_VMXE, -EINVAL);
	return plan_ept(m, p, why);
}

bool vmx_cr_fixed_ok(uint64_t v, uint64_t fixed0, uint64_t fixed1)
{
	return (v & fixed0) == fixed0 && (v & ~fixed1) == 0;
}

int vmx_seg_from_desc(uint16_t sel, const uint8_t *desc, size_t avail,
		      struct vmx_seg *seg)
{
	uint32_t raw_limit, ar;
	uint8_t access, flags;

	memset(seg, 0, sizeof(*seg));
	seg->sel = sel;
	if ((sel & ~3u) == 0) {
		/* Null selector (GDT index 0): an unusable segment. */
		seg->ar = VMX_AR_UNUSABLE;
		return 0;
	}
	if (avail < 8)
		return -EINVAL;
	access = desc[5];
	flags = desc[6];
	if (!(access & VMX_AR_P))
		return -EINVAL;
	raw_limit = hv_le16(desc) | ((uint32_t)(flags & 0x0f) << 16);
	seg->limit = (flags & 0x80) ? (raw_limit << 12) | 0xfff : raw_limit;
	seg->base = (uint64_t)hv_le16(desc + 2) | ((uint64_t)desc[4] << 16) |
		    ((uint64_t)desc[7] << 24);
	ar = access | ((uint32_t)(flags & 0xf0) << 8);
	if (access & VMX_AR_S) {
		/* Code/data: the CPU sets "accessed" on load; VM entry
		 * insists on it (SDM 27.3.1.2). */
		ar |= 1u;
	} else {
		/* System descriptors are 16 bytes in long mode (7.2.3). */
		if (avail < 16)
			return -EINVAL;
		seg->base |= (uint64_t)hv_le32(desc + 8) << 32;
	}
	seg->ar = ar;
	return 0;
}

bool vmx_xsetbv_ok(uint32_t cpl, uint32_t ecx, uint64_t value,
		   uint64_t supported)
{
	const uint64_t avx512 =
	    X86_XCR0_OPMASK | X86_XCR0_ZMM_HI256 | X86_XCR0_HI16_ZMM;
	const uint64_t mpx = X86_XCR0_BNDREGS | X86_XCR0_BNDCSR;
	const uint64_t amx = X86_XCR0_AMX_CFG | X86_XCR0_AMX_DATA;

	if (cpl != 0 || ecx != 0)
		return false; /* only XCR0 exists for us */
	if (value & ~supported)
		return false;
	if (!(value & X86_XCR0_X87))
		return false;
	if ((value & X86_XCR0_AVX) && !(value & X86_XCR0_SSE))
		return false;
	if ((value & mpx) && (value & mpx) != mpx)
		return false;
	if ((value & avx512) &&
	    ((value & avx512) != avx512 || !(value & X86_XCR0_AVX)))
		return false;
	if ((value & amx) && (value & amx) != amx)
		return false;
	return true;
}

static int bitmap_pos(uint32_t msr, bool write, uint32_t *byte, uint8_t *bit)
{
	uint32_t base;

	if (msr <= 0x1fffu)
		base = write ? VMX_MSRBM_WRITE_LOW : VMX_MSRBM_READ_LOW;
	else if (msr >= 0xc0000000u && msr <= 0xc0001fffu)
		base = write ? VMX_MSRBM_WRITE_HIGH : VMX_MSRBM_READ_HIGH;
	else
		return -ERANGE;
	*byte = base + ((msr & 0x1fffu) >> 3);
	*bit = (uint8_t)(1u << (msr & 7u));
	return 0;
}

int vmx_msr_bitmap_set(uint8_t *bitmap, uint32_t msr, bool write)
{
	uint32_t byte;
	uint8_t bit;
	int rc = bitmap_pos(msr, write, &byte, &bit);

	if (rc)
		return rc;
	bitmap[byte] |= bit;
	return 0;
}

bool vmx_msr_bitmap_test(const uint8_t *bitmap, uint32_t msr, bool write)
{
	uint32_t byte;
	uint8_t bit;

	if (bitmap_pos(msr, write, &byte, &bit))
		return true;
	return (bitmap[byte] & bit) != 0;
}

uint64_t vmx_eptp(uint64_t root_pa, unsigned int levels)
{
	return (root_pa & 0x000ffffffffff000ull) | VMX_EPTP_WB |
	       ((uint64_t)(levels - 1) << VMX_EPTP_WALK_SHIFT);
}
