// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_report.c - `thinhv report`: one document an auditor files: scan,
 * hypervisor status, findings, the I/O-model comparison and (when
 * evidence is given) the attestation verdict (host userspace).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "auditcli/lib/audit.h"
#include "auditcli/cmd/cli.h"
#include "auditcli/cmd/cli_audit.h"
#include "attest/lib/att.h"

static const char report_usage[] =
    "usage: thinhv report [--json | --html] [--replay DIR | --record DIR]\n"
    "                     [--baseline OLD.json] [--pci-ids FILE]\n"
    "                     [--evidence EVIDENCE --ak AK.pub --nonce HEX]\n"
    "  scan + status + findings + comparison (+ attestation verdict).\n"
    "  Exit status: 1 warnings, 2 failures (incl. an attestation that\n"
    "  was asked for and did not verify), 4 errors.\n";

/*
 * Attestation verdict through attest/'s offline verifier (att_verify(),
 * docs/evidence.md). Verification starts from "not verified": only a
 * verdict whose every check passed sets verified. Unreadable auditor
 * input (evidence, AK, nonce) is an error (exit bit 4), a failed
 * verification a failure (bit 2), skipped/warned checks a warning (bit 1).
 */
struct report_att {
	bool requested;
	bool verified;
	char verdict[200];
	struct att_verdict v;
};

static const char *att_status_name(enum att_status st)
{
	switch (st) {
	case ATT_PASS:
		return "pass";
	case ATT_WARN:
		return "warn";
	case ATT_SKIP:
		return "skip";
	default:
		return "fail";
	}
}

/*
 * The attested report must be this machine's scan: canonical(`thinhv scan
 * --json` now) == the bundle's report part, byte for byte. Otherwise the
 * quote speaks about some other state than the one this document shows.
 */
static void check_report_binding(const uint8_t *bundle, size_t bundle_len,
				 const struct audit_inv *inv,
				 const struct audit_findings *fs,
				 struct att_verdict *v, bool *match)
{
	struct att_evidence ev;
	struct att_err aerr = { 0, NULL };
	struct att_check *c;
	struct audit_json j;
	char *scan = NULL;
	size_t scan_len = 0, canon_len = 0;
	uint8_t *canon = NULL;
	FILE *m;

	*match = false;
	if (v->n >= ATT_MAX_CHECKS)
		return;
	c = &v->check[v->n++];
	c->name = "report-is-this-scan";
	c->status = ATT_FAIL;
	if (att_evidence_parse(bundle, bundle_len, &ev, &aerr) ||
	    !ev.part[ATT_PART_REPORT].present) {
		snprintf(c->detail, sizeof(c->detail),
			 "no report in the bundle to compare");
		return;
	}
	m = open_memstream(&scan, &scan_len);
	if (!m) {
		snprintf(c->detail, sizeof(c->detail), "out of memory");
		return;
	}
	audit_json_begin(&j, m);
	audit_json_str(&j, "schema", "thinhv-scan-v1");
	audit_json_scan_body(&j, inv, fs);
	audit_json_end(&j);
	if (fclose(m) ||
	    att_report_canonicalize((const uint8_t *)scan, scan_len, &canon,
				    &canon_len, &aerr)) {
		snprintf(c->detail, sizeof(c->detail),
			 "this scan has no canonical form: %s",
			 aerr.what ? aerr.what : "?");
	} else if (canon_len == ev.part[ATT_PART_REPORT].len &&
		   !memcmp(canon, ev.part[ATT_PART_REPORT].p, canon_len)) {
		c->status = ATT_PASS;
		*match = true;
		snprintf(c->detail, sizeof(c->detail),
			 "the attested report is this scan (%zu canonical "
			 "bytes)",
			 canon_len);
	} else {
		snprintf(c->detail, sizeof(c->detail),
			 "the attested report (%zu bytes) is not this scan "
			 "(%zu canonical bytes): attest `thinhv scan --json` "
			 "of the same machine state",
			 ev.part[ATT_PART_REPORT].len, canon_len);
	}
	free(scan);
	free(canon);
}

static int attest_verdict(const struct cli_audit_opts *o, struct report_att *a,
			  const struct audit_inv *inv,
			  const struct audit_findings *fs)
{
	struct att_verify_in in;
	struct att_key *ak = NULL;
	uint8_t *bundle = NULL, *nonce = NULL;
	size_t bundle_len = 0, nonce_len = 0;
	char why[320];
	int rc, ret = CLI_EXIT_ERROR;
	bool warned = false, bound = false;

	memset(a, 0, sizeof(*a));
	if (!o->evidence && !o->ak && !o->nonce) {
		snprintf(a->verdict, sizeof(a->verdict),
			 "no evidence given (--evidence --ak --nonce)");
		return 0;
	}
	if (!o->evidence || !o->ak || !o->nonce) {
		cli_err("report: --evidence, --ak and --nonce go together");
		return CLI_EXIT_ERROR;
	}
	if (sodium_init() < 0)
		return CLI_EXIT_ERROR;
	if (att_hex_decode(o->nonce, &nonce, &nonce_len) || nonce_len < 8 ||
	    nonce_len > 64) {
		cli_err("report: --nonce must be 8..64 bytes of hex");
		goto out;
	}
	rc =
	    att_read_file(o->evidence, ATT_EVID_MAX_SIZE, &bundle, &bundle_len);
	if (rc) {
		cli_err("report: --evidence %s: %s", o->evidence,
			strerror(-rc));
		goto out;
	}
	if (att_key_load(o->ak, &ak, why, sizeof(why))) {
		cli_err("report: --ak %s", why);
		goto out;
	}
	memset(&in, 0, sizeof(in));
	in.bundle = bundle;
	in.bundle_len = bundle_len;
	in.ak = ak;
	in.nonce = nonce;
	in.nonce_len = nonce_len;
	att_verify(&in, &a->v);
	check_report_binding(bundle, bundle_len, inv, fs, &a->v, &bound);
	a->requested = true;
	/* Both: the quote verifies, and it is about what this shows. */
	a->verified = a->v.pass && bound;
	for (unsigned int i = 0; i < a->v.n && i < ATT_MAX_CHECKS; i++) {
		const struct att_check *c = &a->v.check[i];

		if (c->status == ATT_WARN || c->status == ATT_SKIP)
			warned = true;
		if (!a->verified && c->status == ATT_FAIL && !a->verdict[0])
			snprintf(a->verdict, sizeof(a->verdict),
				 "FAIL: %s: %.150s", c->name, c->detail);
	}
	if (a->verified)
		snprintf(a->verdict, sizeof(a->verdict), "PASS%s",
			 warned ? " (some checks skipped or warned)" : "");
	else if (!a->verdict[0])
		snprintf(a->verdict, sizeof(a->verdict), "FAIL");
	ret = a->verified ? (warned ? CLI_EXIT_WARN : CLI_EXIT_OK)
			  : CLI_EXIT_FAIL;
out:
	att_key_free(ak);
	free(bundle);
	free(nonce);
	return ret;
}

static void status_text(const struct audit_inv *inv, FILE *f)
{
	const struct audit_platform *p = &inv->plat;

	fprintf(f, "\nthinhv status\n  %s\n", p->thinhv_status);
	if (p->thinhv_status_read)
		fprintf(f, "  fault log: not reported by /dev/thinhv ABI 1\n");
}

static void attestation_text(const struct report_att *att, int rc, FILE *f)
{
	fprintf(f, "\nAttestation\n  %s\n", att->verdict);
	for (unsigned int i = 0; i < att->v.n && i < ATT_MAX_CHECKS; i++)
		fprintf(f, "  check %-18s %-4s %s\n", att->v.check[i].name,
			att_status_name(att->v.check[i].status),
			att->v.check[i].detail);
	fprintf(f, "\nExit status %d (1 warnings, 2 failures, 4 errors)\n", rc);
}

static int report_run(int argc, char **argv)
{
	struct cli_audit_opts o;
	struct audit_src *src = NULL;
	struct audit_inv inv;
	struct audit_findings fs;
	struct report_att att;
	int rc, arc;

	rc = cli_audit_parse(argc, argv, &o, true, report_usage);
	if (rc)
		return rc > 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
	if ((o.evidence || o.ak || o.nonce) &&
	    !(o.evidence && o.ak && o.nonce)) {
		cli_err("report: --evidence, --ak and --nonce go together");
		return CLI_EXIT_ERROR;
	}
	rc = cli_audit_load(&o, &src, &inv);
	if (rc)
		return rc;
	audit_findings_eval(&inv, &fs);
	arc = attest_verdict(&o, &att, &inv, &fs);
	if (arc & CLI_EXIT_ERROR) {
		audit_findings_free(&fs);
		audit_inv_free(&inv);
		audit_src_close(src);
		return arc;
	}
	rc = audit_findings_exit(&fs) | arc;

	if (o.json) {
		struct audit_json j;

		audit_json_begin(&j, stdout);
		audit_json_str(&j, "schema", "thinhv-report-v1");
		audit_json_scan_body(&j, &inv, &fs);
		audit_json_obj(&j, "status");
		audit_json_bool(&j, "loaded", inv.plat.thinhv_loaded);
		audit_json_str(&j, "text", inv.plat.thinhv_status);
		audit_json_obj_end(&j);
		audit_json_compare_body(&j, &inv);
		audit_json_obj(&j, "attestation");
		audit_json_bool(&j, "requested", att.requested);
		audit_json_bool(&j, "verified", att.verified);
		audit_json_str(&j, "verdict", att.verdict);
		/* null: no evidence, or its log did not verify */
		if (att.requested && att.v.policy_changes >= 0)
			audit_json_int(&j, "runtime_policy_changes",
				       att.v.policy_changes);
		else
			audit_json_null(&j, "runtime_policy_changes");
		audit_json_arr(&j, "checks");
		for (unsigned int i = 0; i < att.v.n && i < ATT_MAX_CHECKS;
		     i++) {
			audit_json_obj(&j, NULL);
			audit_json_str(&j, "name", att.v.check[i].name);
			audit_json_str(&j, "status",
				       att_status_name(att.v.check[i].status));
			audit_json_str(&j, "detail", att.v.check[i].detail);
			audit_json_obj_end(&j);
		}
		audit_json_arr_end(&j);
		audit_json_obj_end(&j);
		audit_json_int(&j, "exit_status", rc);
		audit_json_end(&j);
	} else if (o.html) {
		char *tail = NULL;
		size_t tlen = 0;
		FILE *m = open_memstream(&tail, &tlen);

		if (m) {
			status_text(&inv, m);
			attestation_text(&att, rc, m);
			if (fclose(m)) {
				free(tail);
				tail = NULL;
			}
		}
		audit_html(&inv, &fs, stdout, "thinhv report", true,
			   "thinhv status and attestation",
			   tail ? tail : "(out of memory)");
		free(tail);
	} else {
		/* names from sysfs, a recording or a bundle: made printable */
		FILE *t = audit_text_open(stdout);
		bool colour = cli_colour(stdout);

		if (t) {
			fprintf(t, "thinhv report\n=============\n\n");
			audit_print_scan_text(&inv, &fs, t, colour);
			status_text(&inv, t);
			fputc('\n', t);
			audit_print_compare_text(&inv, t, colour);
			attestation_text(&att, rc, t);
		}
		if (!t || audit_text_close(t))
			rc |= CLI_EXIT_ERROR;
	}
	rc |= cli_audit_finish(&o, o.baseline, src, &inv, &fs);
	return rc;
}

CLI_COMMAND(report, "report",
	    "scan + status + findings + comparison (+ attestation verdict)",
	    report_run)
