// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_poke.c - lab-only module (guest kernel): reads or writes 8 bytes at a
 * physical address through a fresh writable kernel mapping, so the only
 * thing that can refuse the access is the hypervisor's nested page table.
 *   insmod hv_poke.ko pa=0x... op=read|write [value=0x...]
 * Prints "hv_poke: <op> pa=... rc=... value=..." and fails the insmod with
 * the access's error (-EFAULT when refused), so scenarios can test $?.
 */
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

static unsigned long long pa;
module_param(pa, ullong, 0444);
static char *op = "read";
module_param(op, charp, 0444);
static unsigned long long value = 0x5a5a5a5a5a5a5a5aull;
module_param(value, ullong, 0444);

static int __init hv_poke_init(void)
{
	struct page *pg;
	void *map;
	u64 v = 0;
	long rc;

	if (!pfn_valid(pa >> PAGE_SHIFT) || (pa & 7)) {
		pr_err("hv_poke: pa=%#llx is not 8-byte aligned RAM\n", pa);
		return -EINVAL;
	}
	pg = pfn_to_page(pa >> PAGE_SHIFT);
	map = vmap(&pg, 1, VM_MAP, PAGE_KERNEL);
	if (!map)
		return -ENOMEM;
	if (!strcmp(op, "write")) {
		u64 *dst = (u64 *)((u8 *)map + offset_in_page(pa));

		v = value;
		rc = 0;
		pagefault_disable();
		__put_kernel_nofault(dst, &v, u64, refused);
		goto done;
	refused:
		rc = -EFAULT;
	done:
		pagefault_enable();
	} else {
		rc = copy_from_kernel_nofault(
		    &v, (u8 *)map + offset_in_page(pa), 8);
	}
	vunmap(map);
	pr_info("hv_poke: %s pa=%#llx rc=%ld value=%#llx\n", op, pa, rc, v);
	return rc ? -EFAULT : -ECANCELED; /* never stay loaded */
}

module_init(hv_poke_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("thinhv lab: physical memory poke");
