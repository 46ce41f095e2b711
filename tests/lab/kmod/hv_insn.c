// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_insn.c - lab-only module (guest kernel): executes, at CPL 0, each SVM
 * instruction and the MSR writes a guest must not perform, and prints the
 * trap each one took:
 *   "hv_insn: vmrun trap=6" (6 = #UD, 13 = #GP, -1 = no trap)
 *   "hv_insn: wrmsr-efer-svme rc=..." (non-zero = refused)
 *   "hv_insn: cpuid-mirror osxsave ok" (cr4_cpuid.h)
 * Without a hypervisor EFER.SVME is clear, so the SVM instructions #UD as
 * well; scenarios tell the two apart by thinhv's counters.
 */
#include <linux/module.h>
#include <asm/asm.h>
#include <asm/msr.h>
#include "cr4_cpuid.h"

/* Runs `insn` with RAX = 0; returns the trap number or -1. */
#define TRY(insn)                                              \
	({                                                     \
		long trap = -1;                                \
		asm volatile("xor %%eax, %%eax\n"              \
			     "1: " insn "\n"                   \
			     "mov $-1, %%rax\n"                \
			     "2:\n" _ASM_EXTABLE_FAULT(1b, 2b) \
			     : "=a"(trap)                      \
			     :                                 \
			     : "rcx", "rdx", "memory");        \
		trap;                                          \
	})

static int __init hv_insn_init(void)
{
	u64 efer, hsave;
	int rc;

	pr_info("hv_insn: vmrun trap=%ld\n", TRY("vmrun %%rax"));
	pr_info("hv_insn: vmload trap=%ld\n", TRY("vmload %%rax"));
	pr_info("hv_insn: vmsave trap=%ld\n", TRY("vmsave %%rax"));
	pr_info("hv_insn: clgi trap=%ld\n", TRY("clgi"));
	pr_info("hv_insn: stgi trap=%ld\n", TRY("stgi"));
	pr_info("hv_insn: invlpga trap=%ld\n", TRY("invlpga %%rax, %%ecx"));
	pr_info("hv_insn: skinit trap=%ld\n", TRY("skinit %%eax"));

	rdmsrl(MSR_EFER, efer);
	rc = wrmsrl_safe(MSR_EFER, efer & ~EFER_SVME);
	pr_info("hv_insn: wrmsr-efer-svme rc=%d (efer %#llx)\n", rc, efer);
	if (rc == 0 && (efer & EFER_SVME))
		wrmsrl(MSR_EFER, efer); /* only reachable when unprotected */
	rdmsrl_safe(MSR_VM_HSAVE_PA, &hsave);
	rc = wrmsrl_safe(MSR_VM_HSAVE_PA, 0x1000);
	pr_info("hv_insn: wrmsr-hsave rc=%d\n", rc);
	if (rc == 0)
		wrmsrl_safe(MSR_VM_HSAVE_PA, hsave);
	rc = wrmsrl_safe(MSR_VM_CR, 0);
	pr_info("hv_insn: wrmsr-vmcr rc=%d\n", rc);
	cr4_cpuid_mirror("hv_insn");
	return -ECANCELED; /* never stay loaded */
}

module_init(hv_insn_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("thinhv lab: refused SVM instructions and MSR writes");
