// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_main.c - thinhv.ko entry points (kernel, process context).
 * Placeholder until the core lands: loads and unloads, virtualizes nothing.
 */
#include <linux/module.h>
#include <linux/kernel.h>

static int __init thinhv_init(void)
{
	pr_info("thinhv: loaded (core not built yet: nothing virtualized)\n");
	return 0;
}

static void __exit thinhv_exit(void)
{
	pr_info("thinhv: unloaded\n");
}

module_init(thinhv_init);
module_exit(thinhv_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("thinhv: thin hypervisor for DMA isolation");
