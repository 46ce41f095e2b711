// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_dev.c - /dev/thinhv: the versioned ioctl ABI of thinhv_ioctl.h
 * (kernel process context). Live values come from the hypervisor by
 * hypercall; the OS cannot read hypervisor memory itself.
 */
#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "attest/kernel/hv_measure.h"
#include "thinhv/thinhv_ioctl.h"
#include "thinhv/core/hv_kern.h"
#include "thinhv/iommu.h"
#include "thinhv/module/hv_main.h"

_Static_assert(THINHV_MAX_COUNTERS >= HV_CNT_MAX, "counters fit the ABI");
_Static_assert(sizeof(struct thinhv_version) == 64, "uapi size");
_Static_assert(sizeof(struct thinhv_state) == 56, "uapi size");
_Static_assert(sizeof(struct thinhv_cpu) == 160, "uapi size");
_Static_assert(sizeof(struct thinhv_range) == 40, "uapi size");
_Static_assert(sizeof(struct thinhv_mlog) == 32, "uapi size");

/* Copy in and check the {size, abi} header every argument starts with. */
static int arg_in(void *k, size_t size, const void __user *u)
{
	const u32 *hdr = k;

	if (copy_from_user(k, u, size))
		return -EFAULT;
	if (hdr[0] != size || hdr[1] != THINHV_IOCTL_ABI)
		return -EINVAL;
	return 0;
}

static int do_version(void __user *u)
{
	struct thinhv_version v;
	int rc = arg_in(&v, sizeof(v), u);

	if (rc)
		return rc;
	if (memchr_inv(&v.hv_abi, 0, sizeof(v) - 8))
		return -EINVAL; /* outputs must come in zeroed */
	v.hv_abi = HV_ABI_VERSION;
	v.backend = hv_launch_state.ops ? hv_launch_state.ops->backend_id
					: THINHV_BACKEND_NONE;
	strscpy(v.build, THIS_MODULE->version ? THIS_MODULE->version : "dev",
		sizeof(v.build));
	return copy_to_user(u, &v, sizeof(v)) ? -EFAULT : 0;
}

static int do_state(void __user *u)
{
	struct thinhv_state s;
	u64 b = 0, c = 0, d = 0;
	int rc = arg_in(&s, sizeof(s), u);

	if (rc)
		return rc;
	if (memchr_inv(&s.launched, 0, sizeof(s) - 8))
		return -EINVAL;
	mutex_lock(&hv_lock);
	if (hv_launched) {
		s64 r =
		    hv_hypercall(&hv_launch_state, HV_HC_STATUS, &b, &c, &d);

		if (r) {
			mutex_unlock(&hv_lock);
			return -EIO;
		}
		s.launched = 1;
		s.locked = !!(b & HV_IF_LOCKED);
		s.ncpus = num_online_cpus();
		s.nranges = hv_ranges_shadow_n;
		s.paging_levels = hv_launch_state.levels;
		s.footprint = hv_launch_state.pool_size;
		s.denials = c;
		s.exits = d;
	}
	mutex_unlock(&hv_lock);
	return copy_to_user(u, &s, sizeof(s)) ? -EFAULT : 0;
}

static int do_cpu(void __user *u)
{
	struct thinhv_cpu k;
	unsigned int i;
	int rc = arg_in(&k, sizeof(k), u);

	if (rc)
		return rc;
	if (k.state || k.launch_ns || k.ncounters || k.reserved ||
	    memchr_inv(k.counters, 0, sizeof(k.counters)))
		return -EINVAL;
	if (k.cpu >= nr_cpu_ids)
		return -ERANGE;
	mutex_lock(&hv_lock);
	if (!cpu_online(k.cpu)) {
		k.state = THINHV_CPU_OFFLINE;
	} else if (hv_launched && hv_launch_state.cpu_virt[k.cpu]) {
		k.state = THINHV_CPU_VIRT;
		k.launch_ns = hv_launch_state.launch_ns[k.cpu];
		k.ncounters = HV_CNT_MAX;
		for (i = 0; i < HV_CNT_MAX; i++) {
			u64 b = k.cpu, c = i, d = 0;

			if (hv_hypercall(&hv_launch_state, HV_HC_COUNTER, &b,
					 &c, &d)) {
				mutex_unlock(&hv_lock);
				return -EIO;
			}
			k.counters[i] = b;
		}
	}
	mutex_unlock(&hv_lock);
	return copy_to_user(u, &k, sizeof(k)) ? -EFAULT : 0;
}

static int do_range(void __user *u)
{
	struct thinhv_range r;
	int rc = arg_in(&r, sizeof(r), u);

	if (rc)
		return rc;
	if (r.count || r.base || r.len || r.access || r.kind)
		return -EINVAL;
	mutex_lock(&hv_lock);
	r.count = hv_launched ? hv_ranges_shadow_n : 0;
	if (r.index >= r.count) {
		mutex_unlock(&hv_lock);
		return -ENOENT;
	}
	r.base = hv_ranges_shadow[r.index].base;
	r.len = hv_ranges_shadow[r.index].len;
	r.access = hv_ranges_shadow[r.index].access;
	r.kind = hv_ranges_shadow[r.index].kind;
	mutex_unlock(&hv_lock);
	return copy_to_user(u, &r, sizeof(r)) ? -EFAULT : 0;
}

#define HV_SWAP_MAX_BLOB (1u << 20)

static int do_policy_swap(void __user *u)
{
	struct thinhv_policy_swap sw;
	void *blob;
	int rc = arg_in(&sw, sizeof(sw), u);

	if (rc)
		return rc;
	if (sw.why || sw.generation || sw.where)
		return -EINVAL;
	if (!sw.len || sw.len > HV_SWAP_MAX_BLOB)
		return -EINVAL;
	blob = memdup_user(u64_to_user_ptr(sw.blob), sw.len);
	if (IS_ERR(blob))
		return PTR_ERR(blob);
	mutex_lock(&hv_lock);
	if (!hv_launched)
		rc = -ENODEV;
	else
		rc = hv_iommu_swap(&hv_launch_state, blob, sw.len,
				   &sw.generation, &sw.why, &sw.where);
	mutex_unlock(&hv_lock);
	kfree(blob);
	if (copy_to_user(u, &sw, sizeof(sw)))
		return -EFAULT;
	return rc;
}

static int do_iommu_fault(void __user *u)
{
	struct thinhv_iommu_fault k;
	struct iommu_fault f;
	u64 total = 0, dropped = 0, seq;
	int rc = arg_in(&k, sizeof(k), u);

	if (rc)
		return rc;
	seq = k.seq;
	if (memchr_inv(&k.total, 0, sizeof(k) - offsetof(typeof(k), total)))
		return -EINVAL; /* outputs must come in zeroed */
	hv_iommu_poll();
	rc = hv_iommu_fault_get(seq, &f, &total, &dropped);
	k.total = total;
	k.dropped = dropped;
	if (!rc) {
		k.time_ns = f.time_ns;
		k.addr = f.addr;
		k.segment = f.segment;
		k.sid = f.sid;
		k.src = f.src;
		k.reason = f.reason;
		k.write = f.write;
		k.unit = f.unit;
		k.flags = f.flags;
		k.domain = f.domain;
	}
	if (rc && rc != -ENOENT)
		return rc;
	if (copy_to_user(u, &k, sizeof(k)))
		return -EFAULT;
	return rc;
}

static long thinhv_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	void __user *u = (void __user *)arg;

	switch (cmd) {
	case THINHV_IOC_VERSION:
		return do_version(u);
	case THINHV_IOC_STATE:
		return do_state(u);
	case THINHV_IOC_CPU:
		return do_cpu(u);
	case THINHV_IOC_RANGE:
		return do_range(u);
	case THINHV_IOC_MEASURE_LOG:
		return hv_measure_log_ioctl(u);
	case THINHV_IOC_POLICY_SWAP:
		return do_policy_swap(u);
	case THINHV_IOC_IOMMU_FAULT:
		return do_iommu_fault(u);
	default:
		return -ENOTTY;
	}
}

static int thinhv_open(struct inode *i, struct file *f)
{
	return capable(CAP_SYS_ADMIN) ? 0 : -EPERM;
}

static const struct file_operations thinhv_fops = {
	.owner = THIS_MODULE,
	.open = thinhv_open,
	.unlocked_ioctl = thinhv_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice thinhv_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "thinhv",
	.fops = &thinhv_fops,
	.mode = 0600,
};

int hv_dev_register(void)
{
	return misc_register(&thinhv_misc);
}

void hv_dev_unregister(void)
{
	misc_deregister(&thinhv_misc);
}
