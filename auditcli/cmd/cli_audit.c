// SPDX-License-Identifier: GPL-2.0-only
/*
 * cli_audit.c - options, loading and the common end shared by the audit
 * subcommands scan, compare and report (host userspace). The audit library
 * returns an error and a message; this prints it and maps it to exit bits.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditcli/lib/audit.h"
#include "auditcli/cmd/cli.h"
#include "auditcli/cmd/cli_audit.h"

int cli_audit_parse(int argc, char **argv, struct cli_audit_opts *o,
		    bool report, const char *usage)
{
	enum { O_REC = 256, O_REP, O_BASE, O_EVID, O_AK, O_NONCE, O_IDS };
	static const struct option lo[] = {
		{ "record", required_argument, NULL, O_REC },
		{ "replay", required_argument, NULL, O_REP },
		{ "baseline", required_argument, NULL, O_BASE },
		{ "json", no_argument, NULL, 'j' },
		{ "html", no_argument, NULL, 'H' },
		{ "pci-ids", required_argument, NULL, O_IDS },
		{ "evidence", required_argument, NULL, O_EVID },
		{ "ak", required_argument, NULL, O_AK },
		{ "nonce", required_argument, NULL, O_NONCE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case O_REC:
			o->record = optarg;
			break;
		case O_REP:
			o->replay = optarg;
			break;
		case O_BASE:
			o->baseline = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'H':
			o->html = true;
			break;
		case O_IDS:
			o->pci_ids = optarg;
			break;
		case O_EVID:
		case O_AK:
		case O_NONCE:
			if (!report) {
				cli_err("%s: option %s is only for 'thinhv "
					"report'",
					argv[0], argv[optind - 1]);
				return -1;
			}
			if (c == O_EVID)
				o->evidence = optarg;
			else if (c == O_AK)
				o->ak = optarg;
			else
				o->nonce = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 1;
		default:
			cli_err("%s: unknown or incomplete option '%s'\n%s",
				argv[0], argv[optind - 1], usage);
			return -1;
		}
	}
	if (optind < argc) {
		cli_err("%s: unexpected argument '%s'", argv[0], argv[optind]);
		return -1;
	}
	if (o->json && o->html) {
		cli_err("%s: --json and --html exclude each other", argv[0]);
		return -1;
	}
	if (o->record && o->replay) {
		cli_err("%s: --record and --replay exclude each other",
			argv[0]);
		return -1;
	}
	return 0;
}

int cli_audit_load(const struct cli_audit_opts *o, struct audit_src **src,
		   struct audit_inv *inv)
{
	char err[768] = "";
	int rc;

	if (o->pci_ids)
		setenv("THINHV_PCI_IDS", o->pci_ids, 1);
	rc = audit_src_open(src, o->record, o->replay, err, sizeof(err));
	if (rc) {
		cli_err("%s", err[0] ? err : strerror(-rc));
		return CLI_EXIT_ERROR;
	}
	rc = audit_gather(*src, inv, err, sizeof(err));
	if (rc) {
		cli_err("%s", err[0] ? err : strerror(-rc));
		audit_inv_free(inv);
		audit_src_close(*src);
		*src = NULL;
		return CLI_EXIT_ERROR;
	}
	return 0;
}

int cli_audit_finish(const struct cli_audit_opts *o, const char *baseline,
		     struct audit_src *src, struct audit_inv *inv,
		     struct audit_findings *fs)
{
	int rc = 0;

	if (baseline) {
		char err[512] = "";
		/* The diff goes to stderr when stdout carries JSON/HTML. */
		FILE *out = o->json || o->html ? stderr : stdout;
		/* baseline strings are untrusted: made printable */
		FILE *t = audit_text_open(out);

		if (!t || audit_baseline_diff(baseline, inv, fs, t, err,
					      sizeof(err))) {
			cli_err("--baseline: %s",
				err[0] ? err : "out of memory");
			rc |= CLI_EXIT_ERROR;
		}
		if (t && audit_text_close(t))
			rc |= CLI_EXIT_ERROR;
	}
	if (fflush(stdout))
		rc |= CLI_EXIT_ERROR;
	audit_findings_free(fs);
	audit_inv_free(inv);
	if (audit_src_close(src)) {
		if (o->record)
			cli_err("--record %s: could not write the manifest",
				o->record);
		rc |= CLI_EXIT_ERROR;
	}
	return rc;
}
