// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_compare.c - `thinhv compare`: the three I/O models (driver domain,
 * in-hypervisor drivers, thinhv) side by side for this host's measured
 * devices (host userspace).
 */
#include <stdio.h>

#include "auditcli/lib/audit.h"
#include "auditcli/cmd/cli.h"
#include "auditcli/cmd/cli_audit.h"

static const char compare_usage[] =
    "usage: thinhv compare [--json | --html] [--replay DIR | --record DIR]\n"
    "                      [--pci-ids FILE]\n"
    "  For every DMA-capable device: who programs it, what it can reach,\n"
    "  what must be trusted and which attack paths remain under a driver\n"
    "  domain (Xen/Hyper-V), in-hypervisor drivers (ESXi) and thinhv.\n"
    "  thinhv's size is counted from the source tree ($THINHV_SRCDIR or\n"
    "  the tree the binary was built in). Exit status as for scan.\n";

static int compare_run(int argc, char **argv)
{
	struct cli_audit_opts o;
	struct audit_src *src = NULL;
	struct audit_inv inv;
	struct audit_findings fs;
	int rc;

	rc = cli_audit_parse(argc, argv, &o, false, compare_usage);
	if (rc)
		return rc > 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
	if (o.baseline) {
		cli_err("compare: --baseline is for scan and report");
		return CLI_EXIT_ERROR;
	}
	rc = cli_audit_load(&o, &src, &inv);
	if (rc)
		return rc;
	audit_findings_eval(&inv, &fs);
	rc = audit_findings_exit(&fs);
	if (o.json) {
		struct audit_json j;

		audit_json_begin(&j, stdout);
		audit_json_str(&j, "schema", "thinhv-compare-v1");
		audit_json_str(&j, "label", inv.label);
		audit_json_compare_body(&j, &inv);
		audit_json_end(&j);
	} else if (o.html) {
		audit_html(&inv, &fs, stdout, "thinhv compare", true, NULL,
			   NULL);
	} else {
		/* names from sysfs or a recording: made printable */
		FILE *t = audit_text_open(stdout);

		if (t)
			audit_print_compare_text(&inv, t, cli_colour(stdout));
		if (!t || audit_text_close(t))
			rc |= CLI_EXIT_ERROR;
	}
	/* compare takes no --baseline: its output is not a scan. */
	rc |= cli_audit_finish(&o, NULL, src, &inv, &fs);
	return rc;
}

CLI_COMMAND(compare, "compare",
	    "driver domain vs in-hypervisor vs thinhv, per device", compare_run)
