// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_scan.c - `thinhv scan`: PCI inventory, platform DMA protection and
 * findings, as text, JSON or HTML; --record/--replay; --baseline diff
 * (host userspace).
 */
#include <stdio.h>
#include <string.h>

#include "auditcli/lib/audit.h"
#include "auditcli/cmd/cli.h"
#include "auditcli/cmd/cli_audit.h"

static const char scan_usage[] =
    "usage: thinhv scan [--json | --html] [--record DIR | --replay DIR]\n"
    "                   [--baseline OLD.json] [--pci-ids FILE]\n"
    "  Inventory every PCI device and the platform's DMA protection,\n"
    "  then report findings. Exit status: 1 warnings, 2 failures,\n"
    "  4 errors (bitmask). Without root: config space beyond 64 bytes,\n"
    "  DMAR/IVRS and /proc/iomem addresses are not visible (said so).\n";

static int scan_run(int argc, char **argv)
{
	struct cli_audit_opts o;
	struct audit_src *src = NULL;
	struct audit_inv inv;
	struct audit_findings fs;
	int rc;

	rc = cli_audit_parse(argc, argv, &o, false, scan_usage);
	if (rc)
		return rc > 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
	rc = cli_audit_load(&o, &src, &inv);
	if (rc)
		return rc;
	audit_findings_eval(&inv, &fs);
	rc = audit_findings_exit(&fs);

	if (o.json) {
		struct audit_json j;

		audit_json_begin(&j, stdout);
		audit_json_str(&j, "schema", "thinhv-scan-v1");
		audit_json_scan_body(&j, &inv, &fs);
		audit_json_end(&j);
	} else if (o.html) {
		audit_html(&inv, &fs, stdout, "thinhv scan", false, NULL, NULL);
	} else {
		/* names from sysfs or a recording: made printable */
		FILE *t = audit_text_open(stdout);

		if (t)
			audit_print_scan_text(&inv, &fs, t, cli_colour(stdout));
		if (!t || audit_text_close(t))
			rc |= CLI_EXIT_ERROR;
	}
	rc |= cli_audit_finish(&o, o.baseline, src, &inv, &fs);
	return rc;
}

CLI_COMMAND(scan, "scan", "inventory PCI devices and DMA protection, findings",
	    scan_run)
