// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmx_insn.c - lab-only module (guest kernel, vmx profile): executes at
 * CPL 0 every VMX instruction, the CR4.VMXE set, the MSR writes and the
 * XSETBV/INVD cases thinhv's VMX backend must refuse or emulate, and
 * prints the trap each took:
 *   "vmx_insn: vmxon trap=6"   (6 = #UD, 13 = #GP, -1 = no trap)
 * Without thinhv CR4.VMXE is clear, so the VMX instructions #UD as well;
 * scenarios tell the two apart by thinhv's counters.
 * With hold_vmxe=1 (no thinhv loaded) it instead sets CR4.VMXE on every
 * CPU and stays loaded until rmmod: a stand-in for another VMX user, which
 * thinhv must refuse to run beside.
 */
#include <linux/module.h>
#include <asm/asm.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include <linux/irqflags.h>
#include <linux/smp.h>
#include "cr4_cpuid.h"
#include "thinhv/hw/x86_regs.h"

static bool hold_vmxe;
module_param(hold_vmxe, bool, 0444);

static void vmxe_set(void *on)
{
	unsigned long cr4 = __read_cr4();

	/* raw write: the OS's CR4 shadow stays as it was */
	cr4 = on ? cr4 | X86_CR4_VMXE : cr4 & ~X86_CR4_VMXE;
	asm volatile("mov %0, %%cr4" ::"r"(cr4));
}

/* Runs `insn` (operands %0.. as given); returns the trap number or -1. */
#define TRY(insn, ...)                                         \
	({                                                     \
		long trap = -1;                                \
		asm volatile("1: " insn "\n"                   \
			     "mov $-1, %%rax\n"                \
			     "2:\n" _ASM_EXTABLE_FAULT(1b, 2b) \
			     : "=a"(trap)                      \
			     : __VA_ARGS__                     \
			     : "memory");                      \
		trap;                                          \
	})

struct desc128 {
	u64 a, b;
};

static u64 xgetbv0(void)
{
	u32 lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((u64)hi << 32) | lo;
}

/* XSETBV ECX:EDX:EAX; prints the trap and XCR0 before and after. */
static void xsetbv_try(const char *name, u32 xcr, u64 val)
{
	u64 before = xgetbv0();
	long t = TRY("xsetbv", "c"(xcr), "a"((u32)val), "d"((u32)(val >> 32)));

	pr_info("vmx_insn: %s trap=%ld xcr0=%#llx now=%#llx\n", name, t, before,
		xgetbv0());
}

/*
 * XSETBV exits unconditionally in VMX non-root mode; thinhv validates the
 * value as the CPU would and executes it in root mode or injects #GP.
 * It needs CR4.OSXSAVE, else it is #UD before any exit. Linux 6.1 turns
 * XSAVE off on Bochs' corei7_skylake_x at boot (its XSAVE consistency
 * check fails there, a WARNING at boot), so when the CPU has XSAVE but
 * the OS left OSXSAVE clear, borrow it: set OSXSAVE with interrupts off,
 * run the cases, put XCR0 and CR4 back (raw CR4 writes: thinhv only
 * intercepts CR4.VMXE). The OS does not use XSAVE then, so changing
 * XCR0 for a moment is harmless; when the OS owns XSAVE only its
 * current value is written back.
 */
static void xsetbv_cases(void)
{
	unsigned long flags, cr4;
	u32 a, b, c, d;
	u64 xcr0, mask;
	bool borrowed;

	if (!(cpuid_ecx(1) & X86_CPUID1_ECX_XSAVE)) {
		pr_info("vmx_insn: xsetbv skipped (no XSAVE in CPUID)\n");
		return;
	}
	cpuid_count(0xd, 0, &a, &b, &c, &d);
	mask = ((u64)d << 32) | a;
	local_irq_save(flags);
	cr4 = __read_cr4();
	borrowed = !(cr4 & X86_CR4_OSXSAVE);
	if (borrowed)
		asm volatile("mov %0, %%cr4" ::"r"(cr4 | X86_CR4_OSXSAVE));
	xcr0 = xgetbv0();
	/* refused as on bare metal: #GP, XCR0 unchanged */
	xsetbv_try("xsetbv-bad", 0, xcr0 & ~X86_XCR0_X87);
	if (mask & X86_XCR0_AVX)
		xsetbv_try("xsetbv-avx-nosse", 0, X86_XCR0_X87 | X86_XCR0_AVX);
	xsetbv_try("xsetbv-reserved", 0, xcr0 | (1ull << 63));
	xsetbv_try("xsetbv-xcr1", 1, xcr0);
	/* allowed: applied by thinhv */
	xsetbv_try("xsetbv-same", 0, xcr0);
	if (borrowed && (mask & X86_XCR0_SSE) && xcr0 == X86_XCR0_X87) {
		xsetbv_try("xsetbv-change", 0, X86_XCR0_X87 | X86_XCR0_SSE);
		xsetbv_try("xsetbv-restore", 0, xcr0);
	}
	if (borrowed)
		asm volatile("mov %0, %%cr4" ::"r"(cr4));
	local_irq_restore(flags);
	pr_info("vmx_insn: xsetbv mask=%#llx os-xsave=%d\n", mask, !borrowed);
}

static int __init vmx_insn_init(void)
{
	u64 pa = 0, field = 0x681e, val = 0;
	struct desc128 d = { 0, 0 };
	unsigned long cr4 = __read_cr4();
	long t;
	int rc;

	if (hold_vmxe) {
		on_each_cpu(vmxe_set, (void *)1, 1);
		pr_info("vmx_insn: holding CR4.VMXE on every CPU\n");
		return 0;
	}

	pr_info("vmx_insn: vmxon trap=%ld\n", TRY("vmxon %1", "m"(pa)));
	pr_info("vmx_insn: vmclear trap=%ld\n", TRY("vmclear %1", "m"(pa)));
	pr_info("vmx_insn: vmptrld trap=%ld\n", TRY("vmptrld %1", "m"(pa)));
	pr_info("vmx_insn: vmptrst trap=%ld\n", TRY("vmptrst %1", "m"(pa)));
	pr_info("vmx_insn: vmread trap=%ld\n",
		TRY("vmread %1, %2", "b"(field), "m"(val)));
	pr_info("vmx_insn: vmwrite trap=%ld\n",
		TRY("vmwrite %1, %2", "b"(val), "S"(field)));
	pr_info("vmx_insn: vmlaunch trap=%ld\n", TRY("vmlaunch", "b"(0)));
	pr_info("vmx_insn: vmresume trap=%ld\n", TRY("vmresume", "b"(0)));
	pr_info("vmx_insn: vmxoff trap=%ld\n", TRY("vmxoff", "b"(0)));
	pr_info("vmx_insn: invept trap=%ld\n",
		TRY("invept %1, %2", "m"(d), "b"(2ul)));
	pr_info("vmx_insn: invvpid trap=%ld\n",
		TRY("invvpid %1, %2", "m"(d), "b"(2ul)));

	/* CR4.VMXE: owned by thinhv; the OS (told "no VMX") gets #GP. */
	t = TRY("mov %1, %%cr4", "b"(cr4 | X86_CR4_VMXE));
	pr_info("vmx_insn: cr4-vmxe trap=%ld\n", t);
	if (t == -1)
		asm volatile("mov %0, %%cr4" ::"r"(cr4)); /* unprotected */

	rc = wrmsrl_safe(MSR_IA32_FEAT_CTL, 0x5);
	pr_info("vmx_insn: wrmsr-feature-control rc=%d\n", rc);
	rc = wrmsrl_safe(MSR_IA32_VMX_BASIC, 0);
	pr_info("vmx_insn: wrmsr-vmx-basic rc=%d\n", rc);

	xsetbv_cases();
	cr4_cpuid_mirror("vmx_insn");
	/* INVD: thinhv turns it into WBINVD, so no store is lost. */
	WRITE_ONCE(val, 0x1234);
	pr_info("vmx_insn: invd trap=%ld val=%#llx\n", TRY("invd", "b"(0)),
		READ_ONCE(val));
	return -ECANCELED; /* never stay loaded */
}

static void __exit vmx_insn_exit(void)
{
	on_each_cpu(vmxe_set, NULL, 1);
}

module_init(vmx_insn_init);
module_exit(vmx_insn_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("thinhv lab: refused VMX instructions, CR4.VMXE, MSRs");
