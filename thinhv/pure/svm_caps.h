/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * svm_caps.h - AMD SVM launch decisions (pure C: kernel process context and
 * host unit tests). svm.c reads CPUID and the MSRs into struct svm_facts;
 * whether thinhv may launch, and the errno and reason when it may not, are
 * decided here from those values alone, so every refusal is unit-tested,
 * including those no lab emulator can produce (VM_CR.SVMDIS: QEMU 7.2 does
 * not model VM_CR).
 */
#ifndef THINHV_SVM_CAPS_H
#define THINHV_SVM_CAPS_H

#include "thinhv/compat.h"
#include "thinhv/hw/x86_regs.h"

/* Raw inputs, as read on the loading CPU. */
struct svm_facts {
	uint32_t vendor[3];  /* CPUID 0: EBX, EDX, ECX */
	uint32_t cpuid1_ecx; /* CPUID 1 ECX (bit 31: a hypervisor runs) */
	uint32_t ext_ecx;    /* CPUID 0x80000001 ECX (bit 2: SVM) */
	uint32_t svm_edx;    /* CPUID 0x8000000A EDX (NPT, NRIP save) */
	uint64_t vm_cr;	     /* MSR VM_CR (SVMDIS, LOCK) */
};

enum svm_refusal {
	SVM_OK = 0,
	SVM_NOT_AMD,  /* -ENODEV */
	SVM_NO_SVM,   /* -ENODEV */
	SVM_NESTED,   /* -EBUSY: CPUID.1:ECX[31] without allow_nested */
	SVM_NO_NPT,   /* -EOPNOTSUPP */
	SVM_DISABLED, /* -EACCES: VM_CR.SVMDIS (firmware) */
	SVM_BUSY,     /* -EBUSY: EFER.SVME already set on a CPU */
};

/*
 * An AMD CPU with SVM (vendor and CPUID 0x80000001 ECX[2]): only then do
 * CPUID 0x8000000A and MSR VM_CR exist, so svm.c reads them only then.
 */
bool svm_facts_have_svm(const struct svm_facts *f);

/*
 * May thinhv launch on this CPU model? 0, or -errno with *why set; the
 * checks run in the order of enum svm_refusal, so the first missing piece
 * is the one reported.
 */
int svm_launch_decide(const struct svm_facts *f, bool allow_nested,
		      enum svm_refusal *why);

/* Per CPU, right before launch: EFER and VM_CR as that CPU reads them. */
int svm_cpu_decide(uint64_t efer, uint64_t vm_cr, enum svm_refusal *why);

/* One line for dmesg and status, e.g. "SVM disabled by firmware". */
const char *svm_refusal_text(enum svm_refusal why);

#endif
