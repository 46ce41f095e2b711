// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_measure.c - the measurement component (kernel process context,
 * thinhv/core/hv_component.h): before any CPU is virtualized (its ready
 * op) and after every runtime change another component reports to the
 * core (its state_changed op), measures into the TPM through attest/'s
 * att_measure (include/thinhv/att_kern.h) what the core gathers from every
 * component; and exports the in-kernel event log to /dev/thinhv.
 * What is measured as ATT_TAG_HYPERVISOR is an identity descriptor of the
 * module build and launch configuration (version, srcversion = digest of
 * the module's sources computed at build time, backend, ABI, nested paging
 * depth, lock), not the relocated text: module text differs per load
 * address, so its digest could never match a reference value.
 * ATT_TAG_POLICY covers the enforced in-kernel copy of the policy blob;
 * ATT_TAG_ISOLATION the canonical isolation state (tcg_log.h): every
 * device's IOMMU domain and every protected range, measured once
 * translation is on and every range is registered.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "attest/kernel/hv_measure.h"
#include "thinhv/att_kern.h"
#include "thinhv/tcg_log.h"
#include "thinhv/thinhv_ioctl.h"
#include "thinhv/core/hv_component.h"
#include "thinhv/core/hv_kern.h"

/* Fail closed: an unmeasured launch is an explicit choice (require_tpm=0). */
static bool require_tpm = true;
module_param(require_tpm, bool, 0444);
MODULE_PARM_DESC(require_tpm,
		 "1 (default): refuse to launch without a TPM 2.0 to measure "
		 "into; 0: launch unmeasured");

static struct att_measure hv_att;
static bool hv_att_ready;

/* The policy as enforced: the enforcing component's validated copy. */
static int measure_policy(const struct hv_measured_state *st)
{
	if (!st->policy)
		return 0; /* no policy enforced: nothing to claim */
	return att_measure(&hv_att, ATT_TAG_POLICY, st->policy, st->policy_len);
}

static int measure_isolation(const struct hv_measured_state *st)
{
	struct att_iso_range *rng;
	size_t need, len;
	u8 *buf = NULL;
	u32 i;
	int rc;

	rng = kcalloc(max_t(u32, st->nrange, 1), sizeof(*rng), GFP_KERNEL);
	if (!rng)
		return -ENOMEM;
	for (i = 0; i < st->nrange; i++) {
		rng[i].base = st->range[i].base;
		rng[i].len = st->range[i].len;
		rng[i].kind = st->range[i].kind;
		rng[i].access = st->range[i].access;
	}
	need = att_isolation_size(st->ndev, st->nrange);
	rc = -EOVERFLOW;
	if (!need)
		goto out;
	buf = kvmalloc(need, GFP_KERNEL);
	rc = -ENOMEM;
	if (!buf)
		goto out;
	rc = att_isolation_encode(st->dev, st->ndev, rng, st->nrange, buf, need,
				  &len);
	if (!rc)
		rc = att_measure(&hv_att, ATT_TAG_ISOLATION, buf, len);
	if (!rc)
		pr_info("thinhv: measured isolation state: %u devices, %u "
			"protected ranges\n",
			st->ndev, st->nrange);
out:
	kvfree(buf);
	kfree(rng);
	return rc;
}

/* The policy and the isolation state, as one (policy, isolation) pair. */
static int measure_state(struct hv_launch *l)
{
	struct hv_measured_state st;
	int rc = hv_measured_state_get(l, &st);

	if (rc)
		return rc;
	rc = measure_policy(&st);
	if (!rc)
		rc = measure_isolation(&st);
	hv_measured_state_put(&st);
	return rc;
}

/* ready: every range registered, no CPU virtualized yet. */
static int measure_launch(struct hv_launch *l)
{
	char *desc;
	int rc;

	if (!hv_att_ready) {
		rc = att_measure_init(&hv_att, require_tpm);
		if (rc) {
			pr_err("thinhv: refused: measurement unavailable: %s "
			       "(%d); require_tpm=0 launches unmeasured\n",
			       att_measure_reason(&hv_att), rc);
			return rc;
		}
		hv_att_ready = true;
	}
	desc = kasprintf(
	    GFP_KERNEL,
	    "thinhv %s srcversion %s backend %s hv_abi %u npt %u-level lock %u",
	    THIS_MODULE->version ? THIS_MODULE->version : "dev",
	    THIS_MODULE->srcversion ? THIS_MODULE->srcversion : "none",
	    l->ops->name, HV_ABI_VERSION, l->levels, l->host->locked);
	if (!desc)
		return -ENOMEM;
	rc = att_measure(&hv_att, ATT_TAG_HYPERVISOR, desc, strlen(desc));
	kfree(desc);
	if (!rc)
		rc = measure_state(l);
	if (rc)
		pr_err("thinhv: measurement failed: %s (%d)\n",
		       att_measure_reason(&hv_att), rc);
	return rc;
}

/*
 * state_changed: a component changed what it enforces at runtime (a DMA
 * policy swap): the policy and the isolation state again, as one more
 * (policy, isolation) pair. The ranges are the core's kernel-side copy
 * (identical to the protected registry, taken before launch).
 */
static int measure_change(struct hv_launch *l)
{
	int rc;

	if (!hv_att_ready)
		return -ENODEV;
	rc = measure_state(l);
	if (rc)
		pr_err("thinhv: measurement failed: %s (%d)\n",
		       att_measure_reason(&hv_att), rc);
	return rc;
}

const struct hv_component hv_measure_component = {
	.name = "measurement",
	.ready = measure_launch,
	.state_changed = measure_change,
};

void hv_measure_fini(void)
{
	if (hv_att_ready)
		att_measure_fini(&hv_att);
	hv_att_ready = false;
}

int hv_measure_log_ioctl(void __user *u)
{
	struct thinhv_mlog m;
	ssize_t n;
	void *buf;

	if (copy_from_user(&m, u, sizeof(m)))
		return -EFAULT;
	if (m.size != sizeof(m) || m.abi != THINHV_IOCTL_ABI || m.len ||
	    m.reserved)
		return -EINVAL;
	if (!hv_att_ready)
		return -ENODEV;
	buf = kvmalloc(ATT_KLOG_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	n = att_measure_log_copy(&hv_att, buf, ATT_KLOG_SIZE);
	if (n < 0) {
		kvfree(buf);
		return (int)n;
	}
	m.len = (u32)n;
	if (m.cap < n) {
		kvfree(buf);
		/* tell the caller the size it needs */
		return copy_to_user(u, &m, sizeof(m)) ? -EFAULT : -ENOSPC;
	}
	if (copy_to_user(u64_to_user_ptr(m.buf), buf, n) ||
	    copy_to_user(u, &m, sizeof(m))) {
		kvfree(buf);
		return -EFAULT;
	}
	kvfree(buf);
	return 0;
}
