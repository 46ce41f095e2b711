/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vmx_regs.h - Intel VMX register catalogue (both sides: kernel, host mode,
 * host unit tests). Intel SDM vol. 3C (order no. 326019-081US, Sept 2023):
 * ch. 25 (VMCS), ch. 26-28 (entry/exit), ch. 29.3 (EPT), app. A (capability
 * MSRs), app. B (field encodings), app. C (exit reasons).
 * Values only: no code, no types beyond integer constants.
 */
#ifndef THINHV_VMX_REGS_H
#define THINHV_VMX_REGS_H

/* CR0/CR4, XCR0, EFER, CPUID 1 and 7 bits, architectural MSRs. */
#include "thinhv/hw/x86_regs.h"

/* ---- CPUID ---------------------------------------------------------- */
#define VMX_CPUID1_ECX_VMX (1u << 5) /* CPUID.1:ECX.VMX */
#define VMX_CPUID1_ECX_SMX (1u << 6)

/*
 * ---- MSRs (SDM vol. 4 table 2-2, app. A) ----------------------------
 * Architectural ones (FEATURE_CONTROL, EFER, PAT, ...): x86_regs.h.
 */
#define VMX_MSR_SMM_MONITOR_CTL 0x0000009bu

#define VMX_MSR_BASIC 0x00000480u
#define VMX_BASIC_REVISION_MASK 0x7fffffffull /* bits 30:0 */
#define VMX_BASIC_SIZE_SHIFT 32		      /* bits 44:32: VMXON/VMCS bytes */
#define VMX_BASIC_SIZE_MASK 0x1fffull
#define VMX_BASIC_ADDR32 (1ull << 48) /* structures below 4 GiB only */
#define VMX_BASIC_DUAL_MONITOR (1ull << 49)
#define VMX_BASIC_MEMTYPE_SHIFT 50 /* bits 53:50: VMCS memory type */
#define VMX_BASIC_MEMTYPE_MASK 0xfull
#define VMX_BASIC_INOUT_INFO (1ull << 54)
#define VMX_BASIC_TRUE_CTLS_MSRS (1ull << 55) /* TRUE_* MSRs exist */
#define VMX_BASIC_NO_ERRCODE_CHECK (1ull << 56)
#define VMX_MSR_PINBASED_CTLS 0x00000481u
#define VMX_MSR_PROCBASED_CTLS 0x00000482u
#define VMX_MSR_EXIT_CTLS 0x00000483u
#define VMX_MSR_ENTRY_CTLS 0x00000484u
#define VMX_MSR_MISC 0x00000485u
#define VMX_MSR_CR0_FIXED0 0x00000486u /* 1: bit must be 1 */
#define VMX_MSR_CR0_FIXED1 0x00000487u /* 0: bit must be 0 */
#define VMX_MSR_CR4_FIXED0 0x00000488u
#define VMX_MSR_CR4_FIXED1 0x00000489u
#define VMX_MSR_VMCS_ENUM 0x0000048au
#define VMX_MSR_PROCBASED_CTLS2 0x0000048bu
#define VMX_MSR_EPT_VPID_CAP 0x0000048cu
#define VMX_MSR_TRUE_PINBASED_CTLS 0x0000048du
#define VMX_MSR_TRUE_PROCBASED_CTLS 0x0000048eu
#define VMX_MSR_TRUE_EXIT_CTLS 0x0000048fu
#define VMX_MSR_TRUE_ENTRY_CTLS 0x00000490u
#define VMX_MSR_VMFUNC 0x00000491u
#define VMX_MSR_PROCBASED_CTLS3 0x00000492u
#define VMX_MSR_FIRST 0x00000480u /* capability MSR block, read-only */
#define VMX_MSR_LAST 0x00000492u

/*
 * Control capability MSRs (app. A.3-A.5): bits 31:0 are the allowed
 * 0-settings (a 1 there forces the control to 1), bits 63:32 the allowed
 * 1-settings (a 0 there forces the control to 0).
 */
#define VMX_CTL_MUST_BE_1(cap) ((uint32_t)(cap))
#define VMX_CTL_MAY_BE_1(cap) ((uint32_t)((cap) >> 32))

/* IA32_VMX_EPT_VPID_CAP (app. A.10) */
#define VMX_EPT_EXEC_ONLY (1ull << 0)
#define VMX_EPT_WALK_4 (1ull << 6) /* page-walk length 4 */
#define VMX_EPT_WALK_5 (1ull << 7)
#define VMX_EPT_MT_UC (1ull << 8)  /* EPT paging structures may be UC */
#define VMX_EPT_MT_WB (1ull << 14) /* ... or WB */
#define VMX_EPT_2M (1ull << 16)
#define VMX_EPT_1G (1ull << 17)
#define VMX_EPT_INVEPT (1ull << 20)
#define VMX_EPT_AD (1ull << 21)
#define VMX_EPT_INVEPT_SINGLE (1ull << 25)
#define VMX_EPT_INVEPT_ALL (1ull << 26)
#define VMX_VPID_INVVPID (1ull << 32)
#define VMX_VPID_INVVPID_ADDR (1ull << 40)
#define VMX_VPID_INVVPID_SINGLE (1ull << 41)
#define VMX_VPID_INVVPID_ALL (1ull << 42)
#define VMX_VPID_INVVPID_SINGLE_NG (1ull << 43) /* retaining globals */

/* INVEPT / INVVPID types (SDM vol. 3C 31.3, instruction reference) */
#define VMX_INVEPT_SINGLE 1u
#define VMX_INVEPT_ALL 2u
#define VMX_INVVPID_ADDR 0u
#define VMX_INVVPID_SINGLE 1u
#define VMX_INVVPID_ALL 2u

/* EPT pointer (25.6.11) */
#define VMX_EPTP_WB 6ull      /* bits 2:0: memory type of the walk */
#define VMX_EPTP_WALK_SHIFT 3 /* bits 5:3: page-walk length - 1 */
#define VMX_EPTP_AD (1ull << 6)

/* ---- Pin-based VM-execution controls (25.6.1) ------------------------ */
#define VMX_PIN_EXT_INT_EXIT (1u << 0)
#define VMX_PIN_NMI_EXIT (1u << 3)
#define VMX_PIN_VIRTUAL_NMI (1u << 5)
#define VMX_PIN_PREEMPT_TIMER (1u << 6)
#define VMX_PIN_POSTED_INT (1u << 7)

/* ---- Primary processor-based VM-execution controls (25.6.2) ---------- */
#define VMX_PROC_INT_WINDOW (1u << 2)
#define VMX_PROC_TSC_OFFSET (1u << 3)
#define VMX_PROC_HLT_EXIT (1u << 7)
#define VMX_PROC_INVLPG_EXIT (1u << 9)
#define VMX_PROC_MWAIT_EXIT (1u << 10)
#define VMX_PROC_RDPMC_EXIT (1u << 11)
#define VMX_PROC_RDTSC_EXIT (1u << 12)
#define VMX_PROC_CR3_LOAD_EXIT (1u << 15)
#define VMX_PROC_CR3_STORE_EXIT (1u << 16)
#define VMX_PROC_TERTIARY (1u << 17)
#define VMX_PROC_CR8_LOAD_EXIT (1u << 19)
#define VMX_PROC_CR8_STORE_EXIT (1u << 20)
#define VMX_PROC_TPR_SHADOW (1u << 21)
#define VMX_PROC_NMI_WINDOW (1u << 22)
#define VMX_PROC_MOV_DR_EXIT (1u << 23)
#define VMX_PROC_UNCOND_IO_EXIT (1u << 24)
#define VMX_PROC_IO_BITMAPS (1u << 25)
#define VMX_PROC_MTF (1u << 27)
#define VMX_PROC_MSR_BITMAPS (1u << 28)
#define VMX_PROC_MONITOR_EXIT (1u << 29)
#define VMX_PROC_PAUSE_EXIT (1u << 30)
#define VMX_PROC_SECONDARY (1u << 31)

/* ---- Secondary processor-based VM-execution controls (25.6.2) -------- */
#define VMX_PROC2_VIRT_APIC_ACCESS (1u << 0)
#define VMX_PROC2_EPT (1u << 1)
#define VMX_PROC2_DESC_TABLE_EXIT (1u << 2)
#define VMX_PROC2_RDTSCP (1u << 3) /* 0: RDTSCP raises #UD */
#define VMX_PROC2_VIRT_X2APIC (1u << 4)
#define VMX_PROC2_VPID (1u << 5)
#define VMX_PROC2_WBINVD_EXIT (1u << 6)
#define VMX_PROC2_UNRESTRICTED (1u << 7)
#define VMX_PROC2_APIC_REG_VIRT (1u << 8)
#define VMX_PROC2_VIRT_INT_DELIVERY (1u << 9)
#define VMX_PROC2_PAUSE_LOOP_EXIT (1u << 10)
#define VMX_PROC2_RDRAND_EXIT (1u << 11)
#define VMX_PROC2_INVPCID (1u << 12) /* 0: INVPCID raises #UD */
#define VMX_PROC2_VMFUNC (1u << 13)
#define VMX_PROC2_VMCS_SHADOW (1u << 14)
#define VMX_PROC2_ENCLS_EXIT (1u << 15)
#define VMX_PROC2_RDSEED_EXIT (1u << 16)
#define VMX_PROC2_PML (1u << 17)
#define VMX_PROC2_EPT_VE (1u << 18)
#define VMX_PROC2_CONCEAL_PT (1u << 19)
#define VMX_PROC2_XSAVES (1u << 20) /* 0: XSAVES/XRSTORS raise #UD */
#define VMX_PROC2_MODE_BASED_EPT (1u << 22)
#define VMX_PROC2_SPP (1u << 23)
#define VMX_PROC2_PT_GPA (1u << 24)
#define VMX_PROC2_TSC_SCALING (1u << 25)
#define VMX_PROC2_USER_WAIT_PAUSE (1u << 26) /* 0: TPAUSE/UMWAIT #UD */
#define VMX_PROC2_ENCLV_EXIT (1u << 28)

/* ---- VM-exit controls (25.7.1) --------------------------------------- */
#define VMX_EXIT_SAVE_DEBUG (1u << 2)
#define VMX_EXIT_HOST_ADDR64 (1u << 9)
#define VMX_EXIT_LOAD_PERF_GLOBAL (1u << 12)
#define VMX_EXIT_ACK_INT (1u << 15)
#define VMX_EXIT_SAVE_PAT (1u << 18)
#define VMX_EXIT_LOAD_PAT (1u << 19)
#define VMX_EXIT_SAVE_EFER (1u << 20)
#define VMX_EXIT_LOAD_EFER (1u << 21)
#define VMX_EXIT_SAVE_PREEMPT (1u << 22)
#define VMX_EXIT_CLEAR_BNDCFGS (1u << 23)
#define VMX_EXIT_CONCEAL_PT (1u << 24)
#define VMX_EXIT_CLEAR_RTIT_CTL (1u << 25)
#define VMX_EXIT_LOAD_CET (1u << 28)
#define VMX_EXIT_LOAD_PKRS (1u << 29)

/* ---- VM-entry controls (25.8.1) -------------------------------------- */
#define VMX_ENTRY_LOAD_DEBUG (1u << 2)
#define VMX_ENTRY_IA32E_GUEST (1u << 9)
#define VMX_ENTRY_SMM (1u << 10)
#define VMX_ENTRY_DEACT_DUAL_MONITOR (1u << 11)
#define VMX_ENTRY_LOAD_PERF_GLOBAL (1u << 13)
#define VMX_ENTRY_LOAD_PAT (1u << 14)
#define VMX_ENTRY_LOAD_EFER (1u << 15)
#define VMX_ENTRY_LOAD_BNDCFGS (1u << 16)
#define VMX_ENTRY_CONCEAL_PT (1u << 17)
#define VMX_ENTRY_LOAD_RTIT_CTL (1u << 18)
#define VMX_ENTRY_LOAD_CET (1u << 20)

/* ---- VMCS field encodings (app. B) ----------------------------------- */
/* 16-bit */
#define VMCS_VPID 0x0000u
#define VMCS_GUEST_ES_SEL 0x0800u
#define VMCS_GUEST_CS_SEL 0x0802u
#define VMCS_GUEST_SS_SEL 0x0804u
#define VMCS_GUEST_DS_SEL 0x0806u
#define VMCS_GUEST_FS_SEL 0x0808u
#define VMCS_GUEST_GS_SEL 0x080au
#define VMCS_GUEST_LDTR_SEL 0x080cu
#define VMCS_GUEST_TR_SEL 0x080eu
#define VMCS_HOST_ES_SEL 0x0c00u
#define VMCS_HOST_CS_SEL 0x0c02u
#define VMCS_HOST_SS_SEL 0x0c04u
#define VMCS_HOST_DS_SEL 0x0c06u
#define VMCS_HOST_FS_SEL 0x0c08u
#define VMCS_HOST_GS_SEL 0x0c0au
#define VMCS_HOST_TR_SEL 0x0c0cu
/* 64-bit control */
#define VMCS_IO_BITMAP_A 0x2000u
#define VMCS_IO_BITMAP_B 0x2002u
#define VMCS_MSR_BITMAP 0x2004u
#define VMCS_EXIT_MSR_STORE_ADDR 0x2006u
#define VMCS_EXIT_MSR_LOAD_ADDR 0x2008u
#define VMCS_ENTRY_MSR_LOAD_ADDR 0x200au
#define VMCS_TSC_OFFSET 0x2010u
#define VMCS_EPT_POINTER 0x201au
#define VMCS_XSS_EXIT_BITMAP 0x202cu
/* 64-bit read-only */
#define VMCS_GUEST_PHYS_ADDR 0x2400u
/* 64-bit guest */
#define VMCS_LINK_POINTER 0x2800u
#define VMCS_GUEST_DEBUGCTL 0x2802u
#define VMCS_GUEST_PAT 0x2804u
#define VMCS_GUEST_EFER 0x2806u
#define VMCS_GUEST_PERF_GLOBAL_CTRL 0x2808u
/* 64-bit host */
#define VMCS_HOST_PAT 0x2c00u
#define VMCS_HOST_EFER 0x2c02u
/* 32-bit control */
#define VMCS_PIN_CTLS 0x4000u
#define VMCS_PROC_CTLS 0x4002u
#define VMCS_EXCEPTION_BITMAP 0x4004u
#define VMCS_PF_EC_MASK 0x4006u
#define VMCS_PF_EC_MATCH 0x4008u
#define VMCS_CR3_TARGET_COUNT 0x400au
#define VMCS_EXIT_CTLS 0x400cu
#define VMCS_EXIT_MSR_STORE_COUNT 0x400eu
#define VMCS_EXIT_MSR_LOAD_COUNT 0x4010u
#define VMCS_ENTRY_CTLS 0x4012u
#define VMCS_ENTRY_MSR_LOAD_COUNT 0x4014u
#define VMCS_ENTRY_INTR_INFO 0x4016u
#define VMCS_ENTRY_EXCEPTION_EC 0x4018u
#define VMCS_ENTRY_INSTR_LEN 0x401au
#define VMCS_TPR_THRESHOLD 0x401cu
#define VMCS_PROC_CTLS2 0x401eu
/* 32-bit read-only */
#define VMCS_INSTR_ERROR 0x4400u
#define VMCS_EXIT_REASON 0x4402u
#define VMCS_EXIT_INTR_INFO 0x4404u
#define VMCS_EXIT_INTR_EC 0x4406u
#define VMCS_IDT_VECTORING_INFO 0x4408u
#define VMCS_IDT_VECTORING_EC 0x440au
#define VMCS_EXIT_INSTR_LEN 0x440cu
#define VMCS_EXIT_INSTR_INFO 0x440eu
/* 32-bit guest */
#define VMCS_GUEST_ES_LIMIT 0x4800u
#define VMCS_GUEST_CS_LIMIT 0x4802u
#define VMCS_GUEST_SS_LIMIT 0x4804u
#define VMCS_GUEST_DS_LIMIT 0x4806u
#define VMCS_GUEST_FS_LIMIT 0x4808u
#define VMCS_GUEST_GS_LIMIT 0x480au
#define VMCS_GUEST_LDTR_LIMIT 0x480cu
#define VMCS_GUEST_TR_LIMIT 0x480eu
#define VMCS_GUEST_GDTR_LIMIT 0x4810u
#define VMCS_GUEST_IDTR_LIMIT 0x4812u
#define VMCS_GUEST_ES_AR 0x4814u
#define VMCS_GUEST_CS_AR 0x4816u
#define VMCS_GUEST_SS_AR 0x4818u
#define VMCS_GUEST_DS_AR 0x481au
#define VMCS_GUEST_FS_AR 0x481cu
#define VMCS_GUEST_GS_AR 0x481eu
#define VMCS_GUEST_LDTR_AR 0x4820u
#define VMCS_GUEST_TR_AR 0x4822u
#define VMCS_GUEST_INTERRUPTIBILITY 0x4824u
#define VMCS_GUEST_ACTIVITY 0x4826u
#define VMCS_GUEST_SYSENTER_CS 0x482au
/* 32-bit host */
#define VMCS_HOST_SYSENTER_CS 0x4c00u
/* natural-width control */
#define VMCS_CR0_MASK 0x6000u
#define VMCS_CR4_MASK 0x6002u
#define VMCS_CR0_SHADOW 0x6004u
#define VMCS_CR4_SHADOW 0x6006u
/* natural-width read-only */
#define VMCS_EXIT_QUALIFICATION 0x6400u
#define VMCS_GUEST_LINEAR_ADDR 0x640au
/* natural-width guest */
#define VMCS_GUEST_CR0 0x6800u
#define VMCS_GUEST_CR3 0x6802u
#define VMCS_GUEST_CR4 0x6804u
#define VMCS_GUEST_ES_BASE 0x6806u
#define VMCS_GUEST_CS_BASE 0x6808u
#define VMCS_GUEST_SS_BASE 0x680au
#define VMCS_GUEST_DS_BASE 0x680cu
#define VMCS_GUEST_FS_BASE 0x680eu
#define VMCS_GUEST_GS_BASE 0x6810u
#define VMCS_GUEST_LDTR_BASE 0x6812u
#define VMCS_GUEST_TR_BASE 0x6814u
#define VMCS_GUEST_GDTR_BASE 0x6816u
#define VMCS_GUEST_IDTR_BASE 0x6818u
#define VMCS_GUEST_DR7 0x681au
#define VMCS_GUEST_RSP 0x681cu
#define VMCS_GUEST_RIP 0x681eu
#define VMCS_GUEST_RFLAGS 0x6820u
#define VMCS_GUEST_PENDING_DBG 0x6822u
#define VMCS_GUEST_SYSENTER_ESP 0x6824u
#define VMCS_GUEST_SYSENTER_EIP 0x6826u
/* natural-width host */
#define VMCS_HOST_CR0 0x6c00u
#define VMCS_HOST_CR3 0x6c02u
#define VMCS_HOST_CR4 0x6c04u
#define VMCS_HOST_FS_BASE 0x6c06u
#define VMCS_HOST_GS_BASE 0x6c08u
#define VMCS_HOST_TR_BASE 0x6c0au
#define VMCS_HOST_GDTR_BASE 0x6c0cu
#define VMCS_HOST_IDTR_BASE 0x6c0eu
#define VMCS_HOST_SYSENTER_ESP 0x6c10u
#define VMCS_HOST_SYSENTER_EIP 0x6c12u
#define VMCS_HOST_RSP 0x6c14u
#define VMCS_HOST_RIP 0x6c16u

/* ---- Segment access rights in the VMCS (25.4.1, table 25-2) ---------- */
#define VMX_AR_TYPE 0xfu
#define VMX_AR_S (1u << 4) /* code/data (not system) */
#define VMX_AR_DPL_POS 5
#define VMX_AR_P (1u << 7)
#define VMX_AR_AVL (1u << 12)
#define VMX_AR_L (1u << 13)
#define VMX_AR_DB (1u << 14)
#define VMX_AR_G (1u << 15)
#define VMX_AR_UNUSABLE (1u << 16)
#define VMX_AR_TYPE_TSS64_BUSY 0xbu
#define VMX_AR_TYPE_TSS64_AVAIL 0x9u
#define VMX_AR_TYPE_LDT_SYS 0x2u

/* ---- Guest interruptibility / activity (25.4.2) ---------------------- */
#define VMX_INTR_STI_BLOCK (1u << 0)
#define VMX_INTR_MOVSS_BLOCK (1u << 1)
#define VMX_INTR_NMI_BLOCK (1u << 3)
#define VMX_ACTIVITY_ACTIVE 0u

/* ---- Interruption information (entry 25.8.3, exit 25.9.2) ------------ */
#define VMX_INTR_VECTOR_MASK 0xffu
#define VMX_INTR_TYPE_SHIFT 8
#define VMX_INTR_TYPE_EXT 0u
#define VMX_INTR_TYPE_NMI 2u
#define VMX_INTR_TYPE_HW_EXC 3u
#define VMX_INTR_TYPE_SW_INT 4u
#define VMX_INTR_TYPE_PRIV_SW_EXC 5u
#define VMX_INTR_TYPE_SW_EXC 6u
#define VMX_INTR_DELIVER_EC (1u << 11)
#define VMX_INTR_VALID (1u << 31)

/* ---- Exit reasons (app. C); bit 31 of the field: entry failure -------- */
#define VMX_EXIT_REASON_MASK 0xffffu
#define VMX_EXIT_ENTRY_FAIL (1u << 31)
#define VMX_R_EXCEPTION_NMI 0
#define VMX_R_EXT_INT 1
#define VMX_R_TRIPLE_FAULT 2
#define VMX_R_INIT 3
#define VMX_R_SIPI 4
#define VMX_R_IO_SMI 5
#define VMX_R_OTHER_SMI 6
#define VMX_R_INT_WINDOW 7
#define VMX_R_NMI_WINDOW 8
#define VMX_R_TASK_SWITCH 9
#define VMX_R_CPUID 10
#define VMX_R_GETSEC 11
#define VMX_R_HLT 12
#define VMX_R_INVD 13
#define VMX_R_INVLPG 14
#define VMX_R_RDPMC 15
#define VMX_R_RDTSC 16
#define VMX_R_RSM 17
#define VMX_R_VMCALL 18
#define VMX_R_VMCLEAR 19
#define VMX_R_VMLAUNCH 20
#define VMX_R_VMPTRLD 21
#define VMX_R_VMPTRST 22
#define VMX_R_VMREAD 23
#define VMX_R_VMRESUME 24
#define VMX_R_VMWRITE 25
#define VMX_R_VMXOFF 26
#define VMX_R_VMXON 27
#define VMX_R_CR_ACCESS 28
#define VMX_R_DR_ACCESS 29
#define VMX_R_IO 30
#define VMX_R_RDMSR 31
#define VMX_R_WRMSR 32
#define VMX_R_INVALID_GUEST_STATE 33
#define VMX_R_MSR_LOAD_FAIL 34
#define VMX_R_MWAIT 36
#define VMX_R_MTF 37
#define VMX_R_MONITOR 39
#define VMX_R_PAUSE 40
#define VMX_R_MCE_DURING_ENTRY 41
#define VMX_R_TPR_BELOW 43
#define VMX_R_APIC_ACCESS 44
#define VMX_R_VIRT_EOI 45
#define VMX_R_GDTR_IDTR 46
#define VMX_R_LDTR_TR 47
#define VMX_R_EPT_VIOLATION 48
#define VMX_R_EPT_MISCONFIG 49
#define VMX_R_INVEPT 50
#define VMX_R_RDTSCP 51
#define VMX_R_PREEMPT_TIMER 52
#define VMX_R_INVVPID 53
#define VMX_R_WBINVD 54
#define VMX_R_XSETBV 55
#define VMX_R_APIC_WRITE 56
#define VMX_R_RDRAND 57
#define VMX_R_INVPCID 58
#define VMX_R_VMFUNC 59
#define VMX_R_ENCLS 60
#define VMX_R_RDSEED 61
#define VMX_R_PML_FULL 62
#define VMX_R_XSAVES 63
#define VMX_R_XRSTORS 64
#define VMX_R_UMWAIT 67
#define VMX_R_TPAUSE 68

/* ---- Exit qualifications (27.2.1) ------------------------------------ */
/* EPT violation (table 28-7) */
#define VMX_EPTV_READ (1ull << 0)
#define VMX_EPTV_WRITE (1ull << 1)
#define VMX_EPTV_FETCH (1ull << 2)
#define VMX_EPTV_NMI_UNBLOCK (1ull << 12)
/* Control-register access (table 28-3) */
#define VMX_CRQ_CR_MASK 0xfull
#define VMX_CRQ_TYPE_SHIFT 4
#define VMX_CRQ_TYPE_MASK 3ull
#define VMX_CRQ_TYPE_MOV_TO 0ull
#define VMX_CRQ_GPR_SHIFT 8
#define VMX_CRQ_GPR_MASK 0xfull

/* MSR bitmap (25.6.9): one 4 KiB page, four 1 KiB quarters. */
#define VMX_MSRBM_READ_LOW 0x000u  /* MSRs 0x00000000-0x00001fff */
#define VMX_MSRBM_READ_HIGH 0x400u /* MSRs 0xc0000000-0xc0001fff */
#define VMX_MSRBM_WRITE_LOW 0x800u
#define VMX_MSRBM_WRITE_HIGH 0xc00u

/* VM-instruction error numbers (31.4) worth naming in logs. */
#define VMX_ERR_ENTRY_BAD_CTL 7
#define VMX_ERR_ENTRY_BAD_HOST 8
#define VMX_ERR_VMXON_IN_ROOT 15

#endif /* THINHV_VMX_REGS_H */
