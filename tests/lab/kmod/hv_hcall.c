// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_hcall.c - lab-only module (guest kernel): issues one thinhv hypercall
 * straight from CPL 0, bypassing thinhv.ko, as a compromised kernel would:
 *   insmod hv_hcall.ko fn=N [rbx=..] [rcx=..] [rdx=..]
 * Prints "hv_hcall: fn=N rax=<signed> rbx=.. cpu=C" and never stays loaded.
 * Only load it while thinhv runs (VMMCALL without a hypervisor is #UD).
 */
#include <linux/module.h>
#include <linux/smp.h>

#include "thinhv/hv_abi.h"

static uint fn;
module_param(fn, uint, 0444);
static unsigned long long rbx, rcx, rdx;
module_param(rbx, ullong, 0444);
module_param(rcx, ullong, 0444);
module_param(rdx, ullong, 0444);

static int __init hv_hcall_init(void)
{
	u64 a = hv_hc_rax(fn), b = rbx, c = rcx, d = rdx;
	int cpu = get_cpu();

	asm volatile("vmmcall"
		     : "+a"(a), "+b"(b), "+c"(c), "+d"(d)
		     :
		     : "memory");
	put_cpu();
	pr_info("hv_hcall: fn=%u rax=%lld rbx=%#llx cpu=%d\n", fn,
		hv_hc_result(a), b, cpu);
	return -ECANCELED;
}

module_init(hv_hcall_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("thinhv lab: raw hypercall from CPL 0");
