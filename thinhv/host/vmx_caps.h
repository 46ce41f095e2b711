/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vmx_caps.h - VT-x capability decisions (pure C: kernel process context,
 * VMX root mode for the few helpers marked so, host unit tests). The kernel
 * reads CPUID and the capability MSRs into struct vmx_cap_msrs; everything
 * here decides from those values alone, so it is tested against recorded
 * MSR dumps of real CPUs and of Bochs (tests/data/vmx/).
 */
#ifndef THINHV_VMX_CAPS_H
#define THINHV_VMX_CAPS_H

#include "thinhv/compat.h"

/* Raw inputs, as read on one CPU. */
struct vmx_cap_msrs {
	uint32_t cpuid1_ecx;
	uint64_t feature_control;
	uint64_t basic;
	uint64_t pin, proc, exit, entry; /* IA32_VMX_*_CTLS */
	uint64_t true_pin, true_proc, true_exit, true_entry;
	uint64_t proc2;	   /* valid when proc allows "secondary controls" */
	uint64_t ept_vpid; /* valid when proc2 allows EPT or VPID */
	uint64_t misc;
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
};

/* What the backend programs, computed once and checked on every CPU. */
struct vmx_plan {
	uint32_t revision;  /* VMCS revision identifier */
	uint32_t vmcs_size; /* bytes of VMXON/VMCS region (<= 4096) */
	uint32_t pin, proc, proc2, exit, entry; /* control values */
	uint8_t ept_levels;			/* 4 */
	uint8_t ept_max_leaf;			/* 1: 4K, 2: +2M, 3: +1G */
	uint8_t invept_type;			/* VMX_INVEPT_* */
	uint8_t invvpid_type; /* VMX_INVVPID_*, valid when vpid */
	bool vpid;
	bool true_ctls; /* computed from the TRUE_* MSRs */
};

/* Why a plan was refused: reason text (static) and the offending bits. */
struct vmx_refusal {
	const char *what; /* e.g. "primary processor-based controls" */
	const char *why;  /* e.g. "wanted control not allowed to be 1" */
	uint64_t bits;
};

/*
 * Compute one control word from its capability MSR value `cap` (allowed
 * 0-settings in bits 31:0, allowed 1-settings in 63:32): every bit of
 * `want` set, `optional` bits set where allowed, bits the CPU forces to 1
 * kept. -EOPNOTSUPP and *bad when a wanted bit may not be 1 or a bit in
 * `forbid` (a control the backend does not implement) is forced to 1;
 * -EINVAL when want/optional/forbid contradict each other.
 */
int vmx_ctl_compute(uint64_t cap, uint32_t want, uint32_t optional,
		    uint32_t forbid, uint32_t *out, uint32_t *bad);

/* The five control words and thinhv's policy for each (vmx_caps.c). */
enum vmx_ctl {
	VMX_CTL_PIN = 0,
	VMX_CTL_PROC,
	VMX_CTL_PROC2, /* without VPID: vmx_caps_plan() adds it */
	VMX_CTL_EXIT,
	VMX_CTL_ENTRY,
	VMX_CTL_COUNT
};

/* vmx_ctl_compute() with thinhv's policy for control word k; *why says
 * what was refused. */
int vmx_plan_ctl(enum vmx_ctl k, uint64_t cap, uint32_t *out,
		 struct vmx_refusal *why);

/* True when control value v is acceptable under cap (VM entry would pass). */
bool vmx_ctl_valid(uint64_t cap, uint32_t v);

/*
 * IA32_FEATURE_CONTROL policy: returns 0 when VMXON outside SMX is already
 * enabled and locked; 1 with *newval when the MSR is unlocked (write newval:
 * lock + enable, keeping other bits); -EPERM when locked without VMX outside
 * SMX (firmware disabled VT-x: refuse).
 */
int vmx_feature_control(uint64_t fc, uint64_t *newval);

/*
 * The whole capability decision: CPUID.VMX, IA32_FEATURE_CONTROL, VMX_BASIC
 * (size, WB VMCS, 64-bit addresses), pin/proc/proc2/exit/entry controls
 * (TRUE_* when VMX_BASIC says so), EPT (4-level walk, WB, INVEPT with a
 * usable type; 2M/1G leaves when present), VPID (used when INVVPID has a
 * usable type). 0 and *plan, or a negative errno and *why:
 *   -ENODEV      no VMX in CPUID
 *   -EPERM       disabled and locked by firmware
 *   -EOPNOTSUPP  a required control or EPT feature is missing
 *   -EINVAL      the capability MSRs contradict each other
 * Feature-control writes are the caller's (vmx_feature_control()); this
 * only checks that they can succeed.
 */
int vmx_caps_plan(const struct vmx_cap_msrs *m, struct vmx_plan *plan,
		  struct vmx_refusal *why);

/* CR0/CR4 in VMX operation: true when v obeys fixed0 (1s) and fixed1 (0s). */
bool vmx_cr_fixed_ok(uint64_t v, uint64_t fixed0, uint64_t fixed1);

/*
 * Segment state for the VMCS from a GDT/LDT descriptor (SDM vol. 3A 3.4.5,
 * 7.2.3 for 16-byte system descriptors; VMCS access rights 25.4.1).
 * desc points at the descriptor bytes (16 needed for system descriptors
 * in long mode, 8 otherwise), avail = bytes readable at desc.
 * A null selector gives an unusable segment. -EINVAL for a descriptor
 * that cannot be live (not present, system descriptor truncated).
 */
struct vmx_seg {
	uint16_t sel;
	uint64_t base;
	uint32_t limit; /* byte granular, as the VMCS wants */
	uint32_t ar;	/* VMX_AR_* */
};
int vmx_seg_from_desc(uint16_t sel, const uint8_t *desc, size_t avail,
		      struct vmx_seg *seg);

/*
 * XSETBV from the guest (SDM vol. 1 13.3, vol. 2 XSETBV): true when
 * XCR[ecx] = value is what real hardware accepts with `supported` (CPUID
 * 0xD.0 EDX:EAX) and the guest at CPL cpl. Otherwise the guest gets #GP.
 */
bool vmx_xsetbv_ok(uint32_t cpl, uint32_t ecx, uint64_t value,
		   uint64_t supported);

/* Set the MSR bitmap bit for msr (read or write exits); -ERANGE if the
 * MSR is outside the two bitmap ranges. bitmap: 4096 bytes. */
int vmx_msr_bitmap_set(uint8_t *bitmap, uint32_t msr, bool write);
/* True when the bitmap makes this access exit (MSRs outside both ranges
 * always exit, SDM 25.6.9). */
bool vmx_msr_bitmap_test(const uint8_t *bitmap, uint32_t msr, bool write);

/* EPT pointer for a root table at pa with `levels` (4 or 5), WB walk. */
uint64_t vmx_eptp(uint64_t root_pa, unsigned int levels);

#endif /* THINHV_VMX_CAPS_H */
