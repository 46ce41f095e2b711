/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cli_audit.h - the shared front and end of the audit subcommands (scan,
 * compare, report): their options, loading the inventory, and the common
 * end (host userspace). The audit library (auditcli/lib/) returns errors;
 * these print them and map them to the CLI's exit bits.
 */
#ifndef THINHV_CLI_AUDIT_H
#define THINHV_CLI_AUDIT_H

#include <stdbool.h>

struct audit_src;
struct audit_inv;
struct audit_findings;

struct cli_audit_opts {
	const char *record, *replay, *baseline, *pci_ids;
	bool json, html;
	const char *evidence, *ak, *nonce; /* report only */
};

/* Parses argv; returns 0, 1 for --help printed, or -1 on bad usage. */
int cli_audit_parse(int argc, char **argv, struct cli_audit_opts *o,
		    bool report, const char *usage);

/* Opens the source and gathers; returns CLI exit bits on error. */
int cli_audit_load(const struct cli_audit_opts *o, struct audit_src **src,
		   struct audit_inv *inv);

/*
 * The common end of scan/compare/report: the --baseline diff (when baseline
 * is set; to stderr when stdout carries JSON/HTML), flush, free, and close
 * the source (writing a --record manifest). Returns CLI exit bits.
 */
int cli_audit_finish(const struct cli_audit_opts *o, const char *baseline,
		     struct audit_src *src, struct audit_inv *inv,
		     struct audit_findings *fs);

#endif /* THINHV_CLI_AUDIT_H */
