// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_svm_caps.c - the SVM backend's launch refusals (host userspace): each
 * missing piece gives its own errno and reason, in a fixed order, including
 * firmware's VM_CR.SVMDIS, which no lab emulator models.
 */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "thinhv/hw/svm_regs.h"
#include "thinhv/pure/svm_caps.h"

/* A Zen CPU as recorded: AuthenticAMD, SVM, NPT + NRIP save, VM_CR 0. */
static struct svm_facts zen(void)
{
	struct svm_facts f = {
		.vendor = { 0x68747541, 0x69746e65, 0x444d4163 },
		.cpuid1_ecx = 0x7ed8320b,
		.ext_ecx = 0x75c237ff,
		.svm_edx = 0x0001bcff,
		.vm_cr = 0,
	};
	return f;
}

static void test_launch_ok(void)
{
	struct svm_facts f = zen();
	enum svm_refusal why = SVM_BUSY;

	CU_ASSERT_EQUAL(svm_launch_decide(&f, false, &why), 0);
	CU_ASSERT_EQUAL(why, SVM_OK);
	CU_ASSERT(svm_facts_have_svm(&f));
	f.ext_ecx &= ~SVM_CPUID_ECX_SVM;
	CU_ASSERT(
	    !svm_facts_have_svm(&f)); /* no leaf 0x8000000A / VM_CR read */
	f = zen();
	f.vendor[1] = 0; /* not "AuthenticAMD": VM_CR may not exist */
	CU_ASSERT(!svm_facts_have_svm(&f));
	f = zen();
	/* VM_CR.LOCK alone (firmware locked SVM *on*) is fine */
	f.vm_cr = SVM_VM_CR_LOCK;
	CU_ASSERT_EQUAL(svm_launch_decide(&f, false, &why), 0);
}

static void test_each_refusal(void)
{
	struct svm_facts f;
	enum svm_refusal why;

	f = zen();
	f.vendor[0] = 0x756e6547; /* GenuineIntel */
	f.vendor[1] = 0x49656e69;
	f.vendor[2] = 0x6c65746e;
	CU_ASSERT_EQUAL(svm_launch_decide(&f, false, &why), -ENODEV);
	CU_ASSERT_EQUAL(why, SVM_NOT_AMD);

	f = zen();
	f.ext_ecx &= ~SVM_CPUID_ECX_SVM;
	CU_ASSERT_EQUAL(svm_launch_decide(&f, false, &why), -ENODEV);
	CU_ASSERT_EQUAL(why, SVM_NO_SVM);

	f = zen();
	f.cpuid1_ecx |= 1u << 31;
	CU_ASSERT_EQUAL(svm_launch_decide(&f, false, &why), -EBUSY);
	CU_ASSERT_EQUAL(why, SVM_NESTED);
	CU_ASSERT_EQUAL(svm_launch_decide(&f, true, &why), 0);

	f = zen();
	f.svm_edx &= ~SVM_CPUID_EDX_NPT;
	CU_ASSERT_EQUAL(svm_launch_decide(&f, false, &why), -EOPNOTSUPP);
	CU_ASSERT_EQUAL(why, SVM_NO_NPT);

	f = zen();
	f.vm_cr = SVM_VM_CR_SVMDIS;
	CU_ASSERT_EQUAL(svm_launch_decide(&f, false, &why), -EACCES);
	CU_ASSERT_EQUAL(why, SVM_DISABLED);
	f.vm_cr |= SVM_VM_CR_LOCK; /* disabled and locked: still -EACCES */
	CU_ASSERT_EQUAL(svm_launch_decide(&f, true, &why), -EACCES);
	CU_ASSERT_STRING_EQUAL(svm_refusal_text(why),
			       "SVM disabled by firmware (VM_CR.SVMDIS)");
}

/* The first missing piece is the one reported. */
static void test_refusal_order(void)
{
	struct svm_facts f = zen();
	enum svm_refusal why;

	f.ext_ecx &= ~SVM_CPUID_ECX_SVM;
	f.svm_edx = 0;
	f.vm_cr = SVM_VM_CR_SVMDIS;
	f.cpuid1_ecx |= 1u << 31;
	CU_ASSERT_EQUAL(svm_launch_decide(&f, false, &why), -ENODEV);
	CU_ASSERT_EQUAL(why, SVM_NO_SVM);
	f.ext_ecx |= SVM_CPUID_ECX_SVM;
	CU_ASSERT_EQUAL(svm_launch_decide(&f, false, &why), -EBUSY);
	CU_ASSERT_EQUAL(why, SVM_NESTED);
	CU_ASSERT_EQUAL(svm_launch_decide(&f, true, &why), -EOPNOTSUPP);
	CU_ASSERT_EQUAL(why, SVM_NO_NPT);
	f.svm_edx = SVM_CPUID_EDX_NPT;
	CU_ASSERT_EQUAL(svm_launch_decide(&f, true, &why), -EACCES);
	CU_ASSERT_EQUAL(why, SVM_DISABLED);
}

static void test_cpu_decide(void)
{
	enum svm_refusal why;

	CU_ASSERT_EQUAL(svm_cpu_decide(0x500, 0, &why), 0); /* LME|LMA */
	CU_ASSERT_EQUAL(svm_cpu_decide(0x500 | X86_EFER_SVME, 0, &why), -EBUSY);
	CU_ASSERT_EQUAL(why, SVM_BUSY);
	CU_ASSERT_EQUAL(svm_cpu_decide(0x500, SVM_VM_CR_SVMDIS, &why), -EACCES);
	CU_ASSERT_EQUAL(why, SVM_DISABLED);
	for (int r = SVM_OK; r <= SVM_BUSY; r++)
		CU_ASSERT(strcmp(svm_refusal_text((enum svm_refusal)r),
				 "unknown") != 0);
}

UNIT_SUITE(svm_caps, NULL, NULL, UNIT_TEST(test_launch_ok),
	   UNIT_TEST(test_each_refusal), UNIT_TEST(test_refusal_order),
	   UNIT_TEST(test_cpu_decide))
