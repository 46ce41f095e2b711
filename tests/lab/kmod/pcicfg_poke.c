// SPDX-License-Identifier: GPL-2.0-only
/*
 * pcicfg_poke.c - lab-only module (guest kernel): one access to a PCI
 * function's ECAM (MMCONFIG) space through a fresh uncached mapping, or a
 * write of AMD's ECAM base MSR, so the only thing that can refuse it is the
 * hypervisor (nested page table / MSR intercept).
 *   insmod pcicfg_poke.ko op=read|write pa=0x... [width=1|2|4] [value=0x...]
 *   insmod pcicfg_poke.ko op=msr     (rewrite MSR C001_0058 with its value)
 * Prints "pcicfg_poke: <op> pa=... rc=... value=..." and fails the insmod
 * with -EFAULT when the access was refused (-ECANCELED otherwise: it never
 * stays loaded), so scenarios can test the message and $?.
 */
#include <linux/module.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/uaccess.h>
#include <asm/asm.h>
#include <asm/extable_fixup_types.h>
#include <asm/msr.h>

#define AMD_MSR_MMIO_CFG_BASE 0xc0010058u

static unsigned long long pa;
module_param(pa, ullong, 0444);
static char *op = "read";
module_param(op, charp, 0444);
static unsigned int width = 4;
module_param(width, uint, 0444);
static unsigned int value;
module_param(value, uint, 0444);

/*
 * The store with its own exception-table entry (-EFAULT into rc, no
 * warning): __put_kernel_nofault's uaccess fixup warns on the #GP thinhv
 * injects for a refused write.
 */
static long poke_write(void *p)
{
	long rc = 0;

	/* clang-format off: it would split the %0 operand reference */
	// clang-format off
	switch (width) {
	case 1:
		asm volatile("1: movb %b1, (%2)\n2:\n" _ASM_EXTABLE_TYPE_REG(
				 1b, 2b, EX_TYPE_EFAULT_REG, %0)
			     : "+r"(rc)
			     : "q"((u8)value), "r"(p)
			     : "memory");
		break;
	case 2:
		asm volatile("1: movw %w1, (%2)\n2:\n" _ASM_EXTABLE_TYPE_REG(
				 1b, 2b, EX_TYPE_EFAULT_REG, %0)
			     : "+r"(rc)
			     : "r"((u16)value), "r"(p)
			     : "memory");
		break;
	default:
		asm volatile("1: movl %k1, (%2)\n2:\n" _ASM_EXTABLE_TYPE_REG(
				 1b, 2b, EX_TYPE_EFAULT_REG, %0)
			     : "+r"(rc)
			     : "r"(value), "r"(p)
			     : "memory");
		break;
	}
	// clang-format on
	return rc;
}

static int __init pcicfg_poke_init(void)
{
	void __iomem *map;
	void *p;
	u32 v = 0;
	long rc;

	if (!strcmp(op, "msr")) {
		u64 m = 0;
		int rd = rdmsrl_safe(AMD_MSR_MMIO_CFG_BASE, &m);

		rc = wrmsrl_safe(AMD_MSR_MMIO_CFG_BASE, m);
		pr_info("pcicfg_poke: msr rdrc=%d value=%#llx wrrc=%ld\n", rd,
			m, rc);
		return rc ? -EFAULT : -ECANCELED;
	}
	if ((width != 1 && width != 2 && width != 4) || (pa & (width - 1))) {
		pr_err("pcicfg_poke: pa=%#llx width=%u: bad alignment\n", pa,
		       width);
		return -EINVAL;
	}
	map = ioremap(pa & PAGE_MASK, PAGE_SIZE);
	if (!map)
		return -ENOMEM;
	p = (u8 __force *)map + offset_in_page(pa);
	if (!strcmp(op, "write")) {
		v = value;
		rc = poke_write(p);
	} else {
		rc = copy_from_kernel_nofault(&v, p, width);
	}
	iounmap(map);
	pr_info("pcicfg_poke: %s pa=%#llx width=%u rc=%ld value=%#x\n", op, pa,
		width, rc, v);
	return rc ? -EFAULT : -ECANCELED;
}

module_init(pcicfg_poke_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("thinhv lab: PCI ECAM poke");
