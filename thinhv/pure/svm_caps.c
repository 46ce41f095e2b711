// SPDX-License-Identifier: GPL-2.0-only
/*
 * svm_caps.c - AMD SVM launch decisions from recorded CPUID/MSR values (pure
 * C: kernel process context and host unit tests).
 * AMD64 APM vol. 2, rev. 3.41: 15.4 (enabling SVM, VM_CR.SVMDIS), 15.25
 * (nested paging, CPUID 0x8000000A), 15.30.1 (VM_CR).
 */
#include "thinhv/compat.h"
#include "thinhv/hw/svm_regs.h"
#include "thinhv/pure/svm_caps.h"

/* "AuthenticAMD" as CPUID 0 returns it in EBX, EDX, ECX */
#define AMD_EBX 0x68747541u
#define AMD_EDX 0x69746e65u
#define AMD_ECX 0x444d4163u

static int refuse(enum svm_refusal r, enum svm_refusal *why)
{
	*why = r;
	switch (r) {
	case SVM_NOT_AMD:
	case SVM_NO_SVM:
		return -ENODEV;
	case SVM_NESTED:
	case SVM_BUSY:
		return -EBUSY;
	case SVM_NO_NPT:
		return -EOPNOTSUPP;
	case SVM_DISABLED:
		return -EACCES;
	case SVM_OK:
		break;
	}
	return 0;
}

static bool is_amd(const struct svm_facts *f)
{
	return f->vendor[0] == AMD_EBX && f->vendor[1] == AMD_EDX &&
	       f->vendor[2] == AMD_ECX;
}

bool svm_facts_have_svm(const struct svm_facts *f)
{
	return is_amd(f) && (f->ext_ecx & SVM_CPUID_ECX_SVM);
}

int svm_launch_decide(const struct svm_facts *f, bool allow_nested,
		      enum svm_refusal *why)
{
	if (!is_amd(f))
		return refuse(SVM_NOT_AMD, why);
	if (!(f->ext_ecx & SVM_CPUID_ECX_SVM))
		return refuse(SVM_NO_SVM, why);
	if ((f->cpuid1_ecx & X86_CPUID1_ECX_HYPERVISOR) && !allow_nested)
		return refuse(SVM_NESTED, why);
	if (!(f->svm_edx & SVM_CPUID_EDX_NPT))
		return refuse(SVM_NO_NPT, why);
	if (f->vm_cr & SVM_VM_CR_SVMDIS)
		return refuse(SVM_DISABLED, why);
	return refuse(SVM_OK, why);
}

int svm_cpu_decide(uint64_t efer, uint64_t vm_cr, enum svm_refusal *why)
{
	if (efer & X86_EFER_SVME)
		return refuse(SVM_BUSY, why); /* another hypervisor (KVM) */
	if (vm_cr & SVM_VM_CR_SVMDIS)
		return refuse(SVM_DISABLED, why);
	return refuse(SVM_OK, why);
}

const char *svm_refusal_text(enum svm_refusal why)
{
	switch (why) {
	case SVM_OK:
		return "ok";
	case SVM_NOT_AMD:
		return "not an AMD CPU (SVM backend)";
	case SVM_NO_SVM:
		return "CPU has no SVM (CPUID 0x80000001 ECX[2])";
	case SVM_NESTED:
		return "already running under a hypervisor (CPUID.1:ECX[31])";
	case SVM_NO_NPT:
		return "SVM without nested paging (CPUID 0x8000000A EDX[0])";
	case SVM_DISABLED:
		return "SVM disabled by firmware (VM_CR.SVMDIS)";
	case SVM_BUSY:
		return "SVM already in use (EFER.SVME set: another hypervisor)";
	}
	return "unknown";
}
