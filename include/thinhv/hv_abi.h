/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv_abi.h - the guest-visible ABI of the thinhv hypervisor (both sides):
 * CPUID leaves 0x40000000.. and the VMMCALL/VMCALL hypercall interface.
 * Frozen once released; additions bump HV_ABI_VERSION and keep old calls.
 */
#ifndef THINHV_HV_ABI_H
#define THINHV_HV_ABI_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif

#define HV_ABI_VERSION 1u

/*
 * CPUID 0x40000000: EAX = highest hypervisor leaf, EBX:ECX:EDX = signature
 * "thinhv" padded with NULs (as bytes, in register order EBX, ECX, EDX).
 */
#define HV_CPUID_BASE 0x40000000u
#define HV_CPUID_SIG_EBX 0x6e696874u /* "thin" */
#define HV_CPUID_SIG_ECX 0x00007668u /* "hv\0\0" */
#define HV_CPUID_SIG_EDX 0x00000000u
/*
 * CPUID 0x40000001 (interface leaf): EAX = HV_ABI_VERSION, EBX = index of
 * the hypervisor's per-CPU state that answered (the OS's CPU number at
 * launch), ECX = HV_IF_* flags, EDX = HV_HC_MAGIC (the hypercall tag).
 */
#define HV_CPUID_IF 0x40000001u
#define HV_CPUID_MAX HV_CPUID_IF
#define HV_IF_LOCKED (1u << 0)	      /* lock=1: devirtualize/unload refused */
#define HV_IF_NESTED_PAGING (1u << 1) /* NPT/EPT enforces protected ranges */

/*
 * Hypercall: VMMCALL (AMD) / VMCALL (Intel) from CPL 0 only (CPL > 0 gets
 * #UD, as on a machine without a hypervisor).
 *   in:  RAX = HV_HC_MAGIC | function, RBX, RCX, RDX = arguments
 *   out: RAX = 0 or a negative HV_E* status, RBX, RCX, RDX = results
 * Arguments a function does not use must be zero (-HV_EINVAL otherwise), so
 * later versions can give them a meaning without ambiguity.
 */
#define HV_HC_MAGIC 0x74680000u /* "th" in bits 31:16 */
#define HV_HC_MAGIC_MASK 0xffff0000u
#define HV_HC_FN_MASK 0x0000ffffu

/* -> RBX = HV_ABI_VERSION, RCX = number of CPUs under the hypervisor. */
#define HV_HC_VERSION 1u
/* -> RBX = HV_IF_* flags, RCX = total refused accesses, RDX = total exits. */
#define HV_HC_STATUS 2u
/* RBX = CPU index, RCX = HV_CNT_* -> RBX = counter value. */
#define HV_HC_COUNTER 3u
/* RBX = CPU index -> RBX = guest-physical address, RCX = guest RIP,
 * RDX = (sequence << 8) | HV_ACC_* of the last refused access on that CPU. */
#define HV_HC_LAST_DENIAL 4u
/* Set the lock until reboot (one way; no arguments). */
#define HV_HC_LOCK 5u
/*
 * Leave the hypervisor on the calling CPU: returns 0 to the caller running
 * natively; -HV_EPERM when locked (the CPU stays virtualized).
 */
#define HV_HC_DEVIRT 6u
/*
 * DMA tables (vtd/host/iommu_host.c). SWAP: copy the tables the OS staged into
 * the spare protected pool, check them (every device entry explicit, no
 * pointer outside the copy, no protected range reachable), switch the
 * IOMMU to them and invalidate; -HV_EPERM when locked, -HV_EINVAL when the
 * check refused them (nothing changed), -HV_EAGAIN when staged entries
 * changed during the switch (those devices were denied), -HV_EBUSY when
 * another CPU is in an IOMMU call. -> RBX = generation, RCX = reason
 * (IOMMU_BAD_*), RDX = where. DRAIN: one fault record / event, oldest
 * first -> RBX, RCX = the raw record, RDX = unit | source << 8 (1 VT-d,
 * 2 AMD-Vi; 0: nothing queued) | still queued << 16. STATE -> RBX =
 * generation, RCX = refused swaps | pool in use << 32, RDX = records
 * dropped | hardware
 * overflows << 32. All take no arguments.
 */
#define HV_HC_IOMMU_SWAP 7u
#define HV_HC_IOMMU_DRAIN 8u
#define HV_HC_IOMMU_STATE 9u
#define HV_HC_MAX 9u

/* Status codes (returned negated in RAX). */
#define HV_EPERM 1
#define HV_EINVAL 22
#define HV_ENOSYS 38
#define HV_ERANGE 34
#define HV_ENOENT 2
#define HV_EAGAIN 11
#define HV_EBUSY 16
#define HV_ENODEV 19
#define HV_ETIMEDOUT 110

/*
 * Register packing, written once for both ends (the guest side in the
 * module and the lab modules, host mode in hv_exit.c and the components'
 * services): pure C, no state.
 */

/* Guest side: RAX of a call to function fn (only the low 16 bits count). */
static inline uint64_t hv_hc_rax(uint32_t fn)
{
	return HV_HC_MAGIC | (fn & HV_HC_FN_MASK);
}

/*
 * Host side: the function RAX names, or 0 (no function: -HV_ENOSYS) when it
 * is not a thinhv call: a foreign tag in bits 31:16 or any of bits 63:32 set.
 */
static inline uint32_t hv_hc_fn(uint64_t rax)
{
	if ((rax >> 32) || ((uint32_t)rax & HV_HC_MAGIC_MASK) != HV_HC_MAGIC)
		return 0;
	return (uint32_t)rax & HV_HC_FN_MASK;
}

/* Host side: RAX on return for 0 or a positive HV_E* code. */
static inline uint64_t hv_hc_status(int err)
{
	return (uint64_t)(int64_t)-err;
}

/* Guest side: RAX on return as 0 or a negative HV_E* code. */
static inline int64_t hv_hc_result(uint64_t rax)
{
	return (int64_t)rax;
}

/* Two 32-bit results in one register: lo in bits 31:0, hi in 63:32. */
static inline uint64_t hv_hc_pair(uint32_t lo, uint32_t hi)
{
	return (uint64_t)hi << 32 | lo;
}

static inline uint32_t hv_hc_lo32(uint64_t reg)
{
	return (uint32_t)reg;
}

static inline uint32_t hv_hc_hi32(uint64_t reg)
{
	return (uint32_t)(reg >> 32);
}

/*
 * HV_HC_LAST_DENIAL's RDX: bits 7:0 = HV_ACC_* of the refused access, bits
 * 63:8 = its sequence number on that CPU (0: nothing refused yet).
 */
#define HV_DENIAL_ACC_MASK 0xffu
#define HV_DENIAL_SEQ_SHIFT 8

static inline uint64_t hv_denial_pack(uint64_t seq, uint32_t acc)
{
	return seq << HV_DENIAL_SEQ_SHIFT | (acc & HV_DENIAL_ACC_MASK);
}

static inline uint64_t hv_denial_seq(uint64_t rdx)
{
	return rdx >> HV_DENIAL_SEQ_SHIFT;
}

static inline uint32_t hv_denial_acc(uint64_t rdx)
{
	return (uint32_t)rdx & HV_DENIAL_ACC_MASK;
}

/*
 * HV_HC_IOMMU_DRAIN's RDX: bits 7:0 = unit, 15:8 = source (0: nothing
 * queued, else IOMMU_HOST_VTD or IOMMU_HOST_AMDVI of iommu_host.h), 47:16 =
 * records still queued after this one.
 */

static inline uint64_t hv_drain_pack(uint32_t unit, uint32_t src, uint32_t left)
{
	return (uint64_t)(unit & 0xff) | (uint64_t)(src & 0xff) << 8 |
	       (uint64_t)left << 16;
}

static inline uint32_t hv_drain_unit(uint64_t rdx)
{
	return (uint32_t)rdx & 0xff;
}

static inline uint32_t hv_drain_src(uint64_t rdx)
{
	return (uint32_t)(rdx >> 8) & 0xff;
}

static inline uint32_t hv_drain_left(uint64_t rdx)
{
	return (uint32_t)(rdx >> 16);
}

/* Access kinds (also used by the protected-range registry). */
#define HV_ACC_R 1u
#define HV_ACC_W 2u
#define HV_ACC_X 4u
#define HV_ACC_RWX 7u
#define HV_ACC_NONE 0u

/* Per-CPU counters, by exit reason and by decision. */
enum hv_counter {
	HV_CNT_EXITS = 0, /* every exit */
	HV_CNT_CPUID,
	HV_CNT_HYPERCALL,
	HV_CNT_MSR,
	HV_CNT_NPF,	    /* nested/EPT faults */
	HV_CNT_VIRT_INSN,   /* VMRUN/VMLOAD/.../INVLPGA, VMXON... -> #UD */
	HV_CNT_DENY_MEM,    /* refused accesses to protected memory */
	HV_CNT_DENY_MSR,    /* refused MSR writes (EFER.SVME, HSAVE, VM_CR) */
	HV_CNT_DENY_HC,	    /* refused or malformed hypercalls */
	HV_CNT_REINJECT,    /* events re-delivered after an exit */
	HV_CNT_FATAL,	    /* unexpected exit: the machine is stopped */
	HV_CNT_IO,	    /* intercepted IN/OUT (PCI config ports, SVM) */
	HV_CNT_DENY_PCICFG, /* refused config writes to a guarded function */
	HV_CNT_MAX
};

#endif /* THINHV_HV_ABI_H */
