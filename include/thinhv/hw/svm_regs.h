/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * svm_regs.h - AMD SVM register catalogue: VMCB layout, intercept bits, exit
 * codes, MSRs, CPUID feature bits (kernel and host mode).
 * AMD64 Architecture Programmer's Manual vol. 2, rev. 3.41: ch. 15 (SVM),
 * appendix B (VMCB layout), appendix C (SVM intercept exit codes).
 */
#ifndef THINHV_SVM_REGS_H
#define THINHV_SVM_REGS_H

#include "thinhv/compat.h"
#include "thinhv/hw/x86_regs.h"

/* CPUID (leaf X86_CPUID_EXT_FEATURES and the SVM leaf) */
#define SVM_CPUID_ECX_SVM (1u << 2) /* SVM supported */
#define SVM_CPUID_FEATURES 0x8000000au
#define SVM_CPUID_EDX_NPT (1u << 0)   /* nested paging */
#define SVM_CPUID_EDX_NRIPS (1u << 3) /* next-RIP saved on #VMEXIT */
#define SVM_CPUID_EDX_VGIF (1u << 16)

/* MSRs (architectural ones, EFER.SVME included: x86_regs.h) */
#define SVM_MSR_VM_CR 0xc0010114u
#define SVM_VM_CR_LOCK (1ull << 3)   /* SVMDIS is locked */
#define SVM_VM_CR_SVMDIS (1ull << 4) /* SVM disabled by firmware */
#define SVM_MSR_VM_HSAVE_PA 0xc0010117u
#define SVM_MSR_MMIO_CFG_BASE 0xc0010058u /* ECAM window (fam10h+) */

/* MSR permission map (2 bits per MSR: read, write), APM sec. 15.11 */
#define SVM_MSRPM_SIZE 8192u
#define SVM_IOPM_SIZE 12288u

/* Intercept vector 3 (VMCB 0x00c) */
#define SVM_ICPT3_INTR (1u << 0)
#define SVM_ICPT3_NMI (1u << 1)
#define SVM_ICPT3_INIT (1u << 3)
#define SVM_ICPT3_CPUID (1u << 18)
#define SVM_ICPT3_INVLPGA (1u << 26)
#define SVM_ICPT3_IOIO (1u << 27)
#define SVM_ICPT3_MSR (1u << 28)
#define SVM_ICPT3_SHUTDOWN (1u << 31)
/* Intercept vector 4 (VMCB 0x010) */
#define SVM_ICPT4_VMRUN (1u << 0) /* must be set or VMRUN fails */
#define SVM_ICPT4_VMMCALL (1u << 1)
#define SVM_ICPT4_VMLOAD (1u << 2)
#define SVM_ICPT4_VMSAVE (1u << 3)
#define SVM_ICPT4_STGI (1u << 4)
#define SVM_ICPT4_CLGI (1u << 5)
#define SVM_ICPT4_SKINIT (1u << 6)

/* Exit codes, APM appendix C */
#define SVM_EXIT_INIT 0x063
#define SVM_EXIT_CPUID 0x072
#define SVM_EXIT_INVLPGA 0x07a
#define SVM_EXIT_MSR 0x07c
#define SVM_EXIT_SHUTDOWN 0x07f
#define SVM_EXIT_VMRUN 0x080
#define SVM_EXIT_VMMCALL 0x081
#define SVM_EXIT_VMLOAD 0x082
#define SVM_EXIT_VMSAVE 0x083
#define SVM_EXIT_STGI 0x084
#define SVM_EXIT_CLGI 0x085
#define SVM_EXIT_SKINIT 0x086
#define SVM_EXIT_IOIO 0x07b
#define SVM_EXIT_NPF 0x400
#define SVM_EXIT_INVALID 0xffffffffffffffffull

/* NPF EXITINFO1 (a #PF-style error code plus walk bits) */
#define SVM_NPF_P (1ull << 0)
#define SVM_NPF_W (1ull << 1)
#define SVM_NPF_U (1ull << 2)
#define SVM_NPF_RSV (1ull << 3)
#define SVM_NPF_ID (1ull << 4)	   /* instruction fetch */
#define SVM_NPF_FINAL (1ull << 32) /* fault on the final guest address */
#define SVM_NPF_WALK (1ull << 33)  /* fault on a guest page-table access */

/* IOIO EXITINFO1, APM sec. 15.10.2 (EXITINFO2 = RIP of the next insn) */
#define SVM_IOIO_IN (1ull << 0)	 /* TYPE: 1 = IN */
#define SVM_IOIO_STR (1ull << 2) /* INS/OUTS */
#define SVM_IOIO_REP (1ull << 3)
#define SVM_IOIO_SZ8 (1ull << 4)
#define SVM_IOIO_SZ16 (1ull << 5)
#define SVM_IOIO_SZ32 (1ull << 6)
#define SVM_IOIO_PORT(i) ((uint16_t)((i) >> 16))

/* EVENTINJ / EXITINTINFO, APM sec. 15.20 */
#define SVM_EVT_VECTOR_MASK 0xffu
#define SVM_EVT_TYPE_EXCEPTION (3u << 8)
#define SVM_EVT_EV (1u << 11) /* error code valid */
#define SVM_EVT_V (1u << 31)
#define SVM_VEC_UD 6
#define SVM_VEC_GP 13

/* VMCB.control.tlb_ctl */
#define SVM_TLB_FLUSH_NONE 0
#define SVM_TLB_FLUSH_ALL 1
/* VMCB.control.nested_ctl */
#define SVM_NESTED_NP_ENABLE (1ull << 0)

/* Instruction lengths when NRIP save is absent (QEMU 7.2: LAB.md) */
#define SVM_LEN_CPUID 2
#define SVM_LEN_VMMCALL 3
#define SVM_LEN_WRMSR 2

struct svm_seg {
	uint16_t sel;
	uint16_t attrib; /* descriptor bits 47:40 -> 7:0, 55:52 -> 11:8 */
	uint32_t limit;
	uint64_t base;
} __attribute__((packed));

struct svm_vmcb_control {
	uint32_t icpt_cr;  /* 0x000 */
	uint32_t icpt_dr;  /* 0x004 */
	uint32_t icpt_exc; /* 0x008 */
	uint32_t icpt3;	   /* 0x00c */
	uint32_t icpt4;	   /* 0x010 */
	uint32_t icpt5;	   /* 0x014 */
	uint8_t rsvd0[0x03c - 0x018];
	uint16_t pause_filter_thresh; /* 0x03c */
	uint16_t pause_filter_count;  /* 0x03e */
	uint64_t iopm_base_pa;	      /* 0x040 */
	uint64_t msrpm_base_pa;	      /* 0x048 */
	uint64_t tsc_offset;	      /* 0x050 */
	uint32_t asid;		      /* 0x058 */
	uint8_t tlb_ctl;	      /* 0x05c */
	uint8_t rsvd1[3];
	uint64_t int_ctl;    /* 0x060: V_TPR, V_IRQ, VGIF, V_INTR_MASKING.. */
	uint64_t int_state;  /* 0x068: bit 0 interrupt shadow */
	uint64_t exit_code;  /* 0x070 */
	uint64_t exit_info1; /* 0x078 */
	uint64_t exit_info2; /* 0x080 */
	uint64_t exit_int_info; /* 0x088 */
	uint64_t nested_ctl;	/* 0x090 */
	uint64_t avic_bar;	/* 0x098 */
	uint64_t ghcb_pa;	/* 0x0a0 */
	uint64_t event_inj;	/* 0x0a8 */
	uint64_t nested_cr3;	/* 0x0b0 */
	uint64_t virt_ext;	/* 0x0b8 */
	uint32_t clean;		/* 0x0c0 */
	uint32_t rsvd2;
	uint64_t next_rip; /* 0x0c8 */
	uint8_t insn_len;  /* 0x0d0 */
	uint8_t insn_bytes[15];
	uint8_t rsvd3[0x400 - 0x0e0];
} __attribute__((packed));

struct svm_vmcb_save {
	struct svm_seg es, cs, ss, ds, fs, gs; /* 0x400.. */
	struct svm_seg gdtr, ldtr, idtr, tr;   /* 0x460.. */
	uint8_t rsvd0[0x0cb - 0x0a0];
	uint8_t cpl; /* 0x4cb */
	uint32_t rsvd1;
	uint64_t efer; /* 0x4d0 */
	uint8_t rsvd2[0x148 - 0x0d8];
	uint64_t cr4; /* 0x548 */
	uint64_t cr3;
	uint64_t cr0;
	uint64_t dr7;
	uint64_t dr6;
	uint64_t rflags;
	uint64_t rip; /* 0x578 */
	uint8_t rsvd3[0x1d8 - 0x180];
	uint64_t rsp; /* 0x5d8 */
	uint64_t s_cet, ssp, isst_addr;
	uint64_t rax; /* 0x5f8 */
	uint64_t star, lstar, cstar, sfmask, kernel_gs_base;
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
	uint64_t cr2; /* 0x640 */
	uint8_t rsvd4[0x268 - 0x248];
	uint64_t g_pat; /* 0x668 */
	uint64_t dbgctl;
	uint8_t rsvd5[0xc00 - 0x278];
} __attribute__((packed));

struct svm_vmcb {
	struct svm_vmcb_control ctl;
	struct svm_vmcb_save save;
} __attribute__((packed));

_Static_assert(sizeof(struct svm_seg) == 16, "VMCB segment");
_Static_assert(sizeof(struct svm_vmcb) == 4096, "VMCB is one page");
_Static_assert(offsetof(struct svm_vmcb, ctl.iopm_base_pa) == 0x040, "iopm");
_Static_assert(offsetof(struct svm_vmcb, ctl.asid) == 0x058, "asid");
_Static_assert(offsetof(struct svm_vmcb, ctl.exit_code) == 0x070, "exitcode");
_Static_assert(offsetof(struct svm_vmcb, ctl.nested_ctl) == 0x090, "np");
_Static_assert(offsetof(struct svm_vmcb, ctl.event_inj) == 0x0a8, "inj");
_Static_assert(offsetof(struct svm_vmcb, ctl.nested_cr3) == 0x0b0, "ncr3");
_Static_assert(offsetof(struct svm_vmcb, ctl.next_rip) == 0x0c8, "nrip");
_Static_assert(offsetof(struct svm_vmcb, save.tr) == 0x490, "tr");
_Static_assert(offsetof(struct svm_vmcb, save.cpl) == 0x4cb, "cpl");
_Static_assert(offsetof(struct svm_vmcb, save.efer) == 0x4d0, "efer");
_Static_assert(offsetof(struct svm_vmcb, save.cr4) == 0x548, "cr4");
_Static_assert(offsetof(struct svm_vmcb, save.rflags) == 0x570, "rflags");
_Static_assert(offsetof(struct svm_vmcb, save.rip) == 0x578, "rip");
_Static_assert(offsetof(struct svm_vmcb, save.rsp) == 0x5d8, "rsp");
_Static_assert(offsetof(struct svm_vmcb, save.rax) == 0x5f8, "rax");
_Static_assert(offsetof(struct svm_vmcb, save.star) == 0x600, "star");
_Static_assert(offsetof(struct svm_vmcb, save.cr2) == 0x640, "cr2");
_Static_assert(offsetof(struct svm_vmcb, save.g_pat) == 0x668, "gpat");

#endif /* THINHV_SVM_REGS_H */
