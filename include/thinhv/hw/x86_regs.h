/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * x86_regs.h - architectural (non-vendor) x86 register catalogue: MSR
 * numbers, EFER, CR0, CR4, RFLAGS, XCR0, MTRR and PAT fields, CPUID leaves
 * and feature bits (kernel, host mode, host unit tests; MSR numbers and
 * *_SHIFT values are plain integers, usable from assembly).
 * Intel SDM (order no. 325462-081US, Sept 2023): vol. 1 ch. 13 (XSAVE),
 * vol. 2A CPUID, vol. 3A ch. 2.5 (control registers), ch. 12 (MTRR, PAT),
 * vol. 4 table 2-2 (MSRs). AMD APM vol. 2 rev. 3.41: ch. 3.1 (CR0, CR4,
 * EFER, RFLAGS), ch. 7.7-7.8 (MTRR, PAT); vol. 3 rev. 3.35 app. E (CPUID).
 * Vendor extensions (SVM, VMX) stay in svm_regs.h and vmx_regs.h.
 * Control-register bits are X86_CR0F_* / X86_CR4F_* (F: flag): the kernel's
 * headers own X86_CR0_* / X86_CR4_* and both are seen in kernel context.
 * Values only: no code, no types.
 */
#ifndef THINHV_X86_REGS_H
#define THINHV_X86_REGS_H

/* ---- MSRs ------------------------------------------------------------ */
#define X86_MSR_FEATURE_CONTROL 0x0000003a /* Intel: VMX enable, lock */
#define X86_FC_LOCK (1ull << 0)		   /* write-once until reset */
#define X86_FC_VMX_IN_SMX (1ull << 1)
#define X86_FC_VMX_OUTSIDE_SMX (1ull << 2)
#define X86_MSR_MTRRCAP 0x000000fe
#define X86_MTRRCAP_VCNT_MASK 0xffull /* variable ranges */
#define X86_MTRRCAP_FIX (1ull << 8)   /* fixed ranges supported */
#define X86_MTRRCAP_WC (1ull << 10)
#define X86_MSR_SYSENTER_CS 0x00000174
#define X86_MSR_SYSENTER_ESP 0x00000175
#define X86_MSR_SYSENTER_EIP 0x00000176
#define X86_MSR_DEBUGCTL 0x000001d9
/* variable ranges: PHYSBASEn = PHYSBASE0 + 2n, PHYSMASKn = PHYSMASK0 + 2n */
#define X86_MSR_MTRR_PHYSBASE0 0x00000200
#define X86_MSR_MTRR_PHYSMASK0 0x00000201
#define X86_MTRR_PHYSMASK_VALID (1ull << 11)
#define X86_MSR_MTRR_FIX64K_00000 0x00000250
#define X86_MSR_MTRR_FIX16K_80000 0x00000258
#define X86_MSR_MTRR_FIX16K_A0000 0x00000259
#define X86_MSR_MTRR_FIX4K_C0000 0x00000268 /* .. 0x26f: 8 registers */
#define X86_MSR_PAT 0x00000277
#define X86_MSR_MTRR_DEF_TYPE 0x000002ff
#define X86_MTRR_DEF_TYPE_MASK 0xffull /* default memory type */
#define X86_MTRR_DEF_FE (1ull << 10)   /* fixed ranges enabled */
#define X86_MTRR_DEF_E (1ull << 11)    /* MTRRs enabled */
#define X86_MSR_EFER 0xc0000080
#define X86_MSR_STAR 0xc0000081
#define X86_MSR_LSTAR 0xc0000082
#define X86_MSR_CSTAR 0xc0000083
#define X86_MSR_SFMASK 0xc0000084
#define X86_MSR_FS_BASE 0xc0000100
#define X86_MSR_GS_BASE 0xc0000101
#define X86_MSR_KERNEL_GS_BASE 0xc0000102

/* ---- EFER (APM vol. 2 3.1.7) ------------------------------------------ */
#define X86_EFER_SCE (1ull << 0) /* SYSCALL */
#define X86_EFER_LME (1ull << 8)
#define X86_EFER_LMA (1ull << 10)
#define X86_EFER_NXE (1ull << 11)
#define X86_EFER_SVME (1ull << 12) /* AMD: SVM enable */
#define X86_EFER_LMSLE (1ull << 13)
#define X86_EFER_FFXSR (1ull << 14)
#define X86_EFER_TCE (1ull << 15)
#define X86_EFER_AUTOIBRS (1ull << 21)

/* ---- CR0 / CR4 (SDM vol. 3A 2.5) -------------------------------------- */
#define X86_CR0F_PE (1ull << 0)
#define X86_CR0F_MP (1ull << 1)
#define X86_CR0F_EM (1ull << 2)
#define X86_CR0F_TS (1ull << 3)
#define X86_CR0F_ET (1ull << 4)
#define X86_CR0F_NE (1ull << 5)
#define X86_CR0F_WP (1ull << 16)
#define X86_CR0F_AM (1ull << 18)
#define X86_CR0F_NW (1ull << 29)
#define X86_CR0F_CD (1ull << 30)
#define X86_CR0F_PG (1ull << 31)

#define X86_CR4F_VME (1ull << 0)
#define X86_CR4F_PVI (1ull << 1)
#define X86_CR4F_TSD (1ull << 2)
#define X86_CR4F_DE (1ull << 3)
#define X86_CR4F_PSE (1ull << 4)
#define X86_CR4F_PAE (1ull << 5)
#define X86_CR4F_MCE (1ull << 6)
#define X86_CR4F_PGE_SHIFT 7 /* global pages (btr in svm_asm.S) */
#define X86_CR4F_PGE (1ull << X86_CR4F_PGE_SHIFT)
#define X86_CR4F_PCE (1ull << 8)
#define X86_CR4F_OSFXSR (1ull << 9)
#define X86_CR4F_OSXMMEXCPT (1ull << 10)
#define X86_CR4F_UMIP (1ull << 11)
#define X86_CR4F_LA57 (1ull << 12) /* 5-level paging */
#define X86_CR4F_VMXE (1ull << 13) /* Intel: VMX enable */
#define X86_CR4F_SMXE (1ull << 14)
#define X86_CR4F_FSGSBASE (1ull << 16)
#define X86_CR4F_PCIDE (1ull << 17)
#define X86_CR4F_OSXSAVE (1ull << 18)
#define X86_CR4F_SMEP (1ull << 20)
#define X86_CR4F_SMAP (1ull << 21)
#define X86_CR4F_PKE (1ull << 22)
#define X86_CR4F_CET (1ull << 23)

/* ---- RFLAGS (SDM vol. 1 3.4.3) ---------------------------------------- */
#define X86_RFLAGS_CF (1ull << 0)
#define X86_RFLAGS_FIXED (1ull << 1) /* reads as 1 */
#define X86_RFLAGS_PF (1ull << 2)
#define X86_RFLAGS_AF (1ull << 4)
#define X86_RFLAGS_ZF (1ull << 6)
#define X86_RFLAGS_SF (1ull << 7)
#define X86_RFLAGS_TF (1ull << 8)
#define X86_RFLAGS_IF (1ull << 9)
#define X86_RFLAGS_DF (1ull << 10)
#define X86_RFLAGS_OF (1ull << 11)
#define X86_RFLAGS_IOPL_SHIFT 12
#define X86_RFLAGS_IOPL_MASK (3ull << X86_RFLAGS_IOPL_SHIFT)
#define X86_RFLAGS_NT (1ull << 14)
#define X86_RFLAGS_RF (1ull << 16)
#define X86_RFLAGS_VM (1ull << 17)
#define X86_RFLAGS_AC (1ull << 18)
#define X86_RFLAGS_VIF (1ull << 19)
#define X86_RFLAGS_VIP (1ull << 20)
#define X86_RFLAGS_ID (1ull << 21)

/* ---- XCR0 (SDM vol. 1 13.3) ------------------------------------------- */
#define X86_XCR0_X87 (1ull << 0)
#define X86_XCR0_SSE (1ull << 1)
#define X86_XCR0_AVX (1ull << 2)
#define X86_XCR0_BNDREGS (1ull << 3)
#define X86_XCR0_BNDCSR (1ull << 4)
#define X86_XCR0_OPMASK (1ull << 5)
#define X86_XCR0_ZMM_HI256 (1ull << 6)
#define X86_XCR0_HI16_ZMM (1ull << 7)
#define X86_XCR0_PKRU (1ull << 9)
#define X86_XCR0_AMX_CFG (1ull << 17)
#define X86_XCR0_AMX_DATA (1ull << 18)

/* ---- CPUID leaves and feature bits ------------------------------------ */
#define X86_CPUID_VENDOR 0x00000000u	  /* EAX max leaf, EBX:EDX:ECX vendor */
#define X86_CPUID_FEATURES 0x00000001u	  /* ECX, EDX feature flags */
#define X86_CPUID1_ECX_XSAVE (1u << 26)	  /* XSETBV/XGETBV, CR4.OSXSAVE */
#define X86_CPUID1_ECX_OSXSAVE (1u << 27) /* copy of CR4.OSXSAVE */
#define X86_CPUID1_ECX_HYPERVISOR (1u << 31) /* a hypervisor runs */
#define X86_CPUID1_EDX_MTRR (1u << 12)
#define X86_CPUID1_EDX_PAT (1u << 16)
#define X86_CPUID_FEATURES7 0x00000007u /* subleaf 0 in ECX */
#define X86_CPUID7_EBX_SMEP (1u << 7)
#define X86_CPUID7_EBX_SMAP (1u << 20)
#define X86_CPUID7_ECX_PKU (1u << 3)   /* protection keys */
#define X86_CPUID7_ECX_OSPKE (1u << 4) /* copy of CR4.PKE */
#define X86_CPUID7_ECX_LA57 (1u << 16) /* 5-level paging */
#define X86_CPUID_XSAVE 0x0000000du    /* subleaf 0: XCR0 mask, sizes */
#define X86_CPUID_EXT_MAX 0x80000000u  /* EAX: highest extended leaf */
#define X86_CPUID_EXT_FEATURES 0x80000001u
#define X86_CPUID81_EDX_NX (1u << 20)
#define X86_CPUID81_EDX_PDPE1GB (1u << 26) /* 1 GiB pages */
#define X86_CPUID81_EDX_LM (1u << 29)
#define X86_CPUID_ADDR_SIZES 0x80000008u /* EAX 7:0 MAXPHYADDR */

#endif /* THINHV_X86_REGS_H */
