// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_main.c - thinhv.ko entry points (kernel, process context): loading
 * virtualizes every online CPU (the running Linux becomes a guest of
 * thinhv); unloading returns every CPU to native, unless lock=1.
 * CPU hotplug is refused while loaded (cpuhp callbacks return -EBUSY): a
 * CPU that is not virtualized could reach hypervisor memory.
 * This is the one place that lists the CPU backends and the components
 * (hv_backends[], hv_components[]) and hands them to the core.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/cpuhotplug.h>
#include <linux/workqueue.h>
#include <asm/processor.h>

#include "attest/kernel/hv_measure.h"
#include "thinhv/core/hv_component.h"
#include "thinhv/core/hv_kern.h"
#include "thinhv/iommu.h"
#include "thinhv/module/hv_main.h"

static bool lock;
module_param(lock, bool, 0444);
MODULE_PARM_DESC(lock, "1: refuse unload and devirtualization until reboot");

static bool test_canary;
module_param(test_canary, bool, 0444);
MODULE_PARM_DESC(test_canary,
		 "lab only: protect a pattern page and check it on unload");

module_param_named(allow_nested, hv_allow_nested, bool, 0444);
MODULE_PARM_DESC(
    allow_nested,
    "1: launch although CPUID reports a hypervisor (emulators, e.g. QEMU TCG)");

DEFINE_MUTEX(hv_lock);
struct hv_launch hv_launch_state;
bool hv_launched;
static bool hv_hotplug_refused;
static int hv_cpuhp_state = -1;
static u64 hv_denials_seen, hv_deny_seq[NR_CPUS];

static void denial_log_fn(struct work_struct *w);
static DECLARE_DELAYED_WORK(denial_log_work, denial_log_fn);

/* One backend per CPU vendor. */
static const struct {
	u8 vendor; /* X86_VENDOR_* */
	const struct hv_cpu_ops *ops;
} hv_backends[] = {
	{ X86_VENDOR_AMD, &svm_cpu_ops },
	{ X86_VENDOR_HYGON, &svm_cpu_ops },
	{ X86_VENDOR_INTEL, &vmx_cpu_ops },
};

/*
 * The components, in the order the core calls them: DMA enforcement
 * prepares its tables first; measurement then covers the policy and the
 * isolation state it reports.
 */
static const struct hv_component *const hv_components[] = {
	&hv_iommu_component,
	&hv_measure_component,
};

static const struct hv_cpu_ops *select_backend(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hv_backends); i++)
		if (boot_cpu_data.x86_vendor == hv_backends[i].vendor)
			return hv_backends[i].ops;
	return NULL;
}

static int hv_cpu_up(unsigned int cpu)
{
	if (!READ_ONCE(hv_hotplug_refused))
		return 0;
	pr_err("thinhv: refusing to bring cpu%u online while the hypervisor "
	       "runs\n",
	       cpu);
	return -EBUSY;
}

static int hv_cpu_down(unsigned int cpu)
{
	if (!READ_ONCE(hv_hotplug_refused))
		return 0;
	pr_err("thinhv: refusing to take cpu%u offline while the hypervisor "
	       "runs\n",
	       cpu);
	return -EBUSY;
}

static const char *const acc_name[] = { "access", "read", "write", "access",
					"execute" };

/* Report refused accesses from the hypervisor's records (rate-limited). */
static void denial_log_fn(struct work_struct *w)
{
	unsigned int cpu;
	u64 b = 0, c = 0, d = 0;

	mutex_lock(&hv_lock);
	if (!hv_launched)
		goto out;
	if (hv_hypercall(&hv_launch_state, HV_HC_STATUS, &b, &c, &d))
		goto resched;
	if (c == hv_denials_seen)
		goto resched;
	hv_denials_seen = c;
	for_each_online_cpu(cpu) {
		u64 gpa = cpu, rip = 0, info = 0;

		if (hv_hypercall(&hv_launch_state, HV_HC_LAST_DENIAL, &gpa,
				 &rip, &info))
			continue;
		if (hv_denial_seq(info) == hv_deny_seq[cpu])
			continue;
		hv_deny_seq[cpu] = hv_denial_seq(info);
		pr_warn_ratelimited(
		    "thinhv: cpu%u: refused %s of protected physical %#llx at "
		    "%pS (%llu refused in total)\n",
		    cpu, acc_name[min_t(u32, hv_denial_acc(info), 4)], gpa,
		    (void *)rip, c);
	}
resched:
	schedule_delayed_work(&denial_log_work, HZ);
out:
	mutex_unlock(&hv_lock);
}

static int __init thinhv_init(void)
{
	const struct hv_cpu_ops *ops = select_backend();
	int rc;

	if (!ops) {
		pr_err("thinhv: refused: no backend for this CPU vendor (SVM "
		       "only so far)\n");
		return -ENODEV;
	}
	if (hv_cpu_virtualized()) {
		pr_err(
		    "thinhv: refused: thinhv already runs on this machine\n");
		return -EBUSY;
	}
	rc = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "thinhv:online",
				       hv_cpu_up, hv_cpu_down);
	if (rc < 0)
		return rc;
	hv_cpuhp_state = rc;
	rc = hv_dev_register();
	if (rc)
		goto err_cpuhp;

	mutex_lock(&hv_lock);
	WRITE_ONCE(hv_hotplug_refused, true);
	hv_launch_state.want_canary = test_canary;
	rc = hv_launch_all(&hv_launch_state, ops, hv_components,
			   ARRAY_SIZE(hv_components), lock);
	if (rc) {
		WRITE_ONCE(hv_hotplug_refused, false);
		mutex_unlock(&hv_lock);
		goto err_dev;
	}
	hv_launched = true;
	mutex_unlock(&hv_lock);
	if (lock) {
		/* the module can never be removed: unload is refused */
		__module_get(THIS_MODULE);
		pr_info("thinhv: locked: unload and devirtualization refused "
			"until reboot\n");
	}
	schedule_delayed_work(&denial_log_work, HZ);
	return 0;

err_dev:
	hv_dev_unregister();
	hv_measure_fini();
err_cpuhp:
	cpuhp_remove_state_nocalls(hv_cpuhp_state);
	return rc;
}

static void __exit thinhv_exit(void)
{
	int rc;

	cancel_delayed_work_sync(&denial_log_work);
	hv_dev_unregister();
	mutex_lock(&hv_lock);
	rc = hv_devirt_all(&hv_launch_state);
	if (rc) {
		/* Some CPU still runs on hypervisor memory: keep it. */
		pr_err("thinhv: devirtualization failed (%d): hypervisor "
		       "memory kept\n",
		       rc);
	} else {
		hv_launched = false;
		if (hv_launch_state.canary)
			pr_info("thinhv: test canary page %s\n",
				hv_canary_intact(&hv_launch_state) ? "intact"
								   : "CHANGED");
		hv_components_teardown(&hv_launch_state);
		hv_launch_free(&hv_launch_state);
		hv_measure_fini();
		pr_info("thinhv: every CPU is native again; unloaded\n");
	}
	WRITE_ONCE(hv_hotplug_refused, false);
	mutex_unlock(&hv_lock);
	cpuhp_remove_state_nocalls(hv_cpuhp_state);
}

module_init(thinhv_init);
module_exit(thinhv_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("thinhv: thin hypervisor for DMA isolation");
MODULE_VERSION("0.1");
