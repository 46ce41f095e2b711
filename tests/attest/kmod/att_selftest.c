// SPDX-License-Identifier: GPL-2.0-only
/*
 * att_selftest.c - test module for attest/kernel/att_measure.c (kernel, module
 * init; lab guest only, built by tests/attest/kmod-selftest.sh). Measures
 * three known buffers through the real kernel TPM interface, prints the
 * resulting event log as "ATTLOG <hex>" lines for the host to replay, and
 * exports it at /sys/kernel/debug/att_selftest/log (standing in for
 * /dev/thinhv) for `thinhv attest` in the guest.
 */
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>

#include "thinhv/att_kern.h"

static bool require_tpm = true;
module_param(require_tpm, bool, 0444);
MODULE_PARM_DESC(require_tpm, "passed to att_measure_init()");

static const char *const data[3] = {
	"att-selftest hypervisor image",
	"att-selftest policy blob",
	"att-selftest isolation state",
};
static const u32 tags[3] = { ATT_TAG_HYPERVISOR, ATT_TAG_POLICY,
			     ATT_TAG_ISOLATION };

static struct debugfs_blob_wrapper blob;
static struct dentry *dbg_dir;
static u8 *log_copy;

static void dump_log(struct att_measure *m)
{
	ssize_t n = att_measure_log_copy(m, NULL, 0);
	ssize_t i;

	pr_info("ATTSELF copy-empty-buffer rc=%zd\n", n);
	log_copy = kmalloc(ATT_KLOG_SIZE, GFP_KERNEL);
	if (!log_copy)
		return;
	n = att_measure_log_copy(m, log_copy, ATT_KLOG_SIZE);
	pr_info("ATTSELF log-bytes %zd\n", n);
	if (n <= 0)
		return;
	for (i = 0; i < n; i += 32)
		pr_info("ATTLOG %*phN\n", (int)min_t(ssize_t, 32, n - i),
			log_copy + i);
	blob.data = log_copy;
	blob.size = (unsigned long)n;
	dbg_dir = debugfs_create_dir("att_selftest", NULL);
	debugfs_create_blob("log", 0444, dbg_dir, &blob);
}

static int __init att_selftest_init(void)
{
	struct att_measure *m = kzalloc(sizeof(*m), GFP_KERNEL);
	int rc, i;

	if (!m)
		return -ENOMEM;
	rc = att_measure_init(m, require_tpm);
	pr_info("ATTSELF init rc=%d reason=\"%s\"\n", rc,
		att_measure_reason(m));
	if (rc)
		goto out;
	for (i = 0; i < 3; i++) {
		rc = att_measure(m, tags[i], data[i], strlen(data[i]));
		pr_info("ATTSELF measure %d rc=%d reason=\"%s\"\n", i, rc,
			att_measure_reason(m));
	}
	rc = att_measure(m, 0x12345678, data[0], 1);
	pr_info("ATTSELF bad-tag rc=%d\n", rc);
	dump_log(m);
	att_measure_fini(m);
	rc = 0;
out:
	kfree(m);
	pr_info("ATTSELF done\n");
	return 0;
}

static void __exit att_selftest_exit(void)
{
	debugfs_remove_recursive(dbg_dir);
	kfree(log_copy);
}

module_init(att_selftest_init);
module_exit(att_selftest_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("thinhv attest measurement self-test (lab only)");
