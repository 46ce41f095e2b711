/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * svm_offsets.h - structure offsets svm_asm.S uses (assembler-safe: only
 * #defines). Checked against the C structs with _Static_assert in svm.c.
 */
#ifndef THINHV_SVM_OFFSETS_H
#define THINHV_SVM_OFFSETS_H

/* Offsets into struct svm_cpu used by svm_asm.S */
#define SVMC_VMCB_PA 0
#define SVMC_VMCB 8
#define SVMC_HOST_CR3 16
#define SVMC_HOST_RSP 24
#define SVMC_HOST_GDTR 32
#define SVMC_HOST_IDTR 48
#define SVMC_D_CR3 64
#define SVMC_D_CR4 72
#define SVMC_D_RIP 80
#define SVMC_D_RSP 88
#define SVMC_D_RFLAGS 96
#define SVMC_D_EFER 104
#define SVMC_D_GDTR 112
#define SVMC_D_IDTR 128
#define SVMC_D_GPRS 144 /* struct hv_gprs: rax rbx rcx rdx rsi rdi rbp r8.. */

/* Offsets used by svm_asm.S (VMCB save area fields) */
#define SVM_VMCB_RIP 0x578
#define SVM_VMCB_RSP 0x5d8
#define SVM_VMCB_RAX 0x5f8
#define SVM_VMCB_RFLAGS 0x570

#endif /* THINHV_SVM_OFFSETS_H */
