/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cr4_cpuid.h - lab modules only: CPUID.1:ECX.OSXSAVE and CPUID.7.0:ECX.OSPKE
 * are copies of CR4.OSXSAVE and CR4.PKE *of the CPU executing CPUID*. Under
 * thinhv CPUID is answered in host mode, whose CR4 is not the OS's once the
 * OS changes one of those bits. With interrupts off, each bit is flipped,
 * CPUID read, and the bit put back; the module prints one line per bit:
 *   "<tag>: cpuid-mirror osxsave ok" (CPUID followed CR4 both ways)
 *   "<tag>: cpuid-mirror osxsave MISMATCH cr4=0 cpuid=1"
 *   "<tag>: cpuid-mirror pke skipped (no PKU)"
 * Nothing in the window uses XSAVE or protection keys: no interrupt, no
 * schedule, no FPU use.
 */
#ifndef THINHV_LAB_CR4_CPUID_H
#define THINHV_LAB_CR4_CPUID_H

#include <linux/irqflags.h>
#include <linux/printk.h>
#include <asm/processor.h>
#include <asm/special_insns.h>

#include "thinhv/hw/x86_regs.h"

/* The CPUID bit that mirrors a CR4 bit, as this CPU reports it now. */
static inline int cr4_cpuid_bit(u32 leaf, u32 reg_bit)
{
	u32 a = leaf, b, c = 0, d;

	asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return !!(c & reg_bit);
}

static inline void cr4_write_raw(unsigned long v)
{
	asm volatile("mov %0, %%cr4" ::"r"(v) : "memory");
}

static inline void cr4_cpuid_check(const char *tag, const char *name,
				   unsigned long cr4_bit, u32 leaf,
				   u32 cpuid_bit)
{
	unsigned long flags, cr4;
	int got[2], want[2], i;

	local_irq_save(flags);
	cr4 = __read_cr4();
	want[0] = !!(cr4 & cr4_bit);
	got[0] = cr4_cpuid_bit(leaf, cpuid_bit);
	cr4_write_raw(cr4 ^ cr4_bit);
	want[1] = !want[0];
	got[1] = cr4_cpuid_bit(leaf, cpuid_bit);
	cr4_write_raw(cr4);
	local_irq_restore(flags);
	for (i = 0; i < 2; i++) {
		if (got[i] != want[i]) {
			pr_info(
			    "%s: cpuid-mirror %s MISMATCH cr4=%d cpuid=%d\n",
			    tag, name, want[i], got[i]);
			return;
		}
	}
	pr_info("%s: cpuid-mirror %s ok\n", tag, name);
}

/* Features from CPUID itself: Linux may have turned XSAVE off at boot. */
static inline void cr4_cpuid_mirror(const char *tag)
{
	u32 a, b, c, d;

	cpuid_count(X86_CPUID_FEATURES, 0, &a, &b, &c, &d);
	if (c & X86_CPUID1_ECX_XSAVE)
		cr4_cpuid_check(tag, "osxsave", X86_CR4F_OSXSAVE,
				X86_CPUID_FEATURES, X86_CPUID1_ECX_OSXSAVE);
	else
		pr_info("%s: cpuid-mirror osxsave skipped (no XSAVE)\n", tag);
	cpuid_count(X86_CPUID_FEATURES7, 0, &a, &b, &c, &d);
	if (c & X86_CPUID7_ECX_PKU)
		cr4_cpuid_check(tag, "pke", X86_CR4F_PKE, X86_CPUID_FEATURES7,
				X86_CPUID7_ECX_OSPKE);
	else
		pr_info("%s: cpuid-mirror pke skipped (no PKU)\n", tag);
}

#endif
