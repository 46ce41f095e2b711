// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_attest.c - `thinhv attest`: quote the boot PCRs and the thinhv PCR
 * with qualifying data SHA-256(nonce || canonical report) and write the
 * evidence bundle (host userspace; needs the TPM). A context and four
 * phases: parse, gather, act (quote), report (write the bundle).
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>

#include "auditcli/cmd/cli.h"
#include "attest/lib/att.h"
#include "thinhv/thinhv_ioctl.h"

#ifndef THINHV_VERSION
#define THINHV_VERSION "0.0-dev"
#endif

#define FW_LOG_PATH "/sys/kernel/security/tpm0/binary_bios_measurements"
#define LOG_MAX (8u << 20)

static void attest_usage(FILE *f)
{
	fprintf(f,
		"usage: thinhv attest --nonce HEX -o EVIDENCE --report FILE "
		"[--thinhv-log FILE]\n"
		"                     [--firmware-log FILE|none] [--tcti T]\n"
		"  --report        JSON isolation report; its canonical form "
		"(docs/evidence.md)\n"
		"                  is what the quote binds and the bundle "
		"carries\n"
		"  --thinhv-log    TCG event log of PCR %d (default: read from "
		"thinhv.ko\n"
		"                  through " THINHV_DEV ")\n"
		"  --firmware-log  default %s when readable\n",
		ATT_THINHV_PCR, FW_LOG_PATH);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * One `thinhv attest` run: the options (parse), what is read from files,
 * thinhv.ko and the TPM (gather), the quote (act) and the bundle
 * (report). attest_free() releases it all whatever phase stopped.
 */
struct attest_cmd {
	int exit; /* the exit status when a phase stops the run */
	/* parse */
	const char *nonce_hex, *out, *report_path, *log_path, *fw_path, *tcti;
	uint8_t *nonce;
	size_t nonce_len;
	/* gather */
	uint8_t *raw, *report, *log, *fw, *ak;
	size_t raw_len, report_len, log_len, fw_len, ak_len;
	struct att_tpm *tpm;
	/* act */
	uint8_t *quote, *sig, *pcrbuf;
	size_t quote_len, sig_len, pcr_len;
	struct att_pcr_values pcrs;
	/* report */
	uint8_t *bundle;
	size_t bundle_len;
};

/* A phase returns 0 to go on, or this: stop the run with exit_status. */
static int attest_stop(struct attest_cmd *a, int exit_status)
{
	a->exit = exit_status;
	return -1;
}

static int attest_parse(struct attest_cmd *a, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "nonce", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "report", required_argument, NULL, 'r' },
		{ "thinhv-log", required_argument, NULL, 'l' },
		{ "firmware-log", required_argument, NULL, 'f' },
		{ "tcti", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			a->nonce_hex = optarg;
			break;
		case 'o':
			a->out = optarg;
			break;
		case 'r':
			a->report_path = optarg;
			break;
		case 'l':
			a->log_path = optarg;
			break;
		case 'f':
			a->fw_path = optarg;
			break;
		case 't':
			a->tcti = optarg;
			break;
		case 'h':
			attest_usage(stdout);
			return attest_stop(a, CLI_EXIT_OK);
		default:
			attest_usage(stderr);
			return attest_stop(a, CLI_EXIT_ERROR);
		}
	}
	if (!a->nonce_hex || !a->out || optind != argc) {
		attest_usage(stderr);
		return attest_stop(a, CLI_EXIT_ERROR);
	}
	if (sodium_init() < 0)
		return attest_stop(a, CLI_EXIT_ERROR);
	if (att_hex_decode(a->nonce_hex, &a->nonce, &a->nonce_len) ||
	    a->nonce_len < 8 || a->nonce_len > 64) {
		cli_err("attest: --nonce must be 8..64 bytes of hex");
		return attest_stop(a, CLI_EXIT_ERROR);
	}
	if (!a->report_path) {
		cli_err("attest: --report is required (the isolation report "
			"the quote binds; docs/evidence.md)");
		return attest_stop(a, CLI_EXIT_ERROR);
	}
	if (!a->fw_path) {
		/* Absent on machines without a firmware log: not an error. */
		if (access(FW_LOG_PATH, R_OK) == 0)
			a->fw_path = FW_LOG_PATH;
	} else if (!strcmp(a->fw_path, "none")) {
		a->fw_path = NULL;
	}
	return 0;
}

/* The report (canonical), thinhv's log, the firmware log, the TPM's AK. */
static int attest_gather(struct attest_cmd *a)
{
	struct att_err err = { 0, NULL };
	int rc;

	rc = att_read_file(a->report_path, 1u << 20, &a->raw, &a->raw_len);
	if (rc) {
		cli_err("attest: %s: %s", a->report_path, strerror(-rc));
		return attest_stop(a, CLI_EXIT_ERROR);
	}
	/* The quote binds the canonical bytes, which the bundle carries. */
	rc = att_report_canonicalize(a->raw, a->raw_len, &a->report,
				     &a->report_len, &err);
	if (rc) {
		cli_err("attest: %s: byte %zu: %s", a->report_path, err.offset,
			err.what ? err.what : strerror(-rc));
		return attest_stop(a, CLI_EXIT_ERROR);
	}
	if (a->log_path) {
		rc = att_read_file(a->log_path, LOG_MAX, &a->log, &a->log_len);
	} else {
		a->log_path = THINHV_DEV;
		rc = att_hv_log_read(&a->log, &a->log_len);
	}
	if (rc) {
		cli_err("attest: %s: %s%s", a->log_path, strerror(-rc),
			rc == -ENOENT ? " (is thinhv.ko loaded?)" : "");
		return attest_stop(a, CLI_EXIT_ERROR);
	}
	if (att_log_parse(a->log, a->log_len, NULL, NULL, NULL, &err)) {
		cli_err("attest: %s: byte %zu: %s", a->log_path, err.offset,
			err.what);
		return attest_stop(a, CLI_EXIT_ERROR);
	}
	if (a->fw_path) {
		rc = att_read_file(a->fw_path, LOG_MAX, &a->fw, &a->fw_len);
		if (rc) {
			cli_err("attest: %s: %s", a->fw_path, strerror(-rc));
			return attest_stop(a, CLI_EXIT_ERROR);
		}
		if (a->fw_len == 0) {
			free(a->fw);
			a->fw = NULL;
		}
	}
	if (att_tpm_open(&a->tpm, a->tcti)) {
		cli_err("attest: cannot open the TPM");
		return attest_stop(a, CLI_EXIT_ERROR);
	}
	if (att_tpm_ak_public(a->tpm, &a->ak, &a->ak_len)) {
		cli_err("attest: cannot derive the AK");
		return attest_stop(a, CLI_EXIT_ERROR);
	}
	return 0;
}

/* Quote with qualifying data SHA-256(nonce || canonical report). */
static int attest_act(struct attest_cmd *a)
{
	uint8_t qual[32];
	double t0;

	att_qualifying_data(a->nonce, a->nonce_len, a->report, a->report_len,
			    qual);
	t0 = now_ms();
	if (att_tpm_quote(a->tpm, ATT_QUOTE_PCR_MASK, qual, sizeof(qual),
			  &a->quote, &a->quote_len, &a->sig, &a->sig_len,
			  &a->pcrs)) {
		cli_err("attest: quote failed");
		return attest_stop(a, CLI_EXIT_ERROR);
	}
	if (getenv("THINHV_ATT_TIMING"))
		fprintf(stderr, "thinhv: attest: quote+pcr read %.2f ms\n",
			now_ms() - t0);
	if (att_pcrs_encode(&a->pcrs, &a->pcrbuf, &a->pcr_len))
		return attest_stop(a, CLI_EXIT_ERROR);
	return 0;
}

static void attest_part(struct att_evidence *ev, enum att_part type,
			const uint8_t *p, size_t len)
{
	ev->part[type].p = p;
	ev->part[type].len = len;
	ev->part[type].present = 1;
}

/* The evidence bundle (docs/evidence.md), written to -o. */
static int attest_report(struct attest_cmd *a)
{
	struct att_evidence ev;
	char creator[64];
	int rc;

	memset(&ev, 0, sizeof(ev));
	attest_part(&ev, ATT_PART_QUOTE, a->quote, a->quote_len);
	attest_part(&ev, ATT_PART_SIGNATURE, a->sig, a->sig_len);
	attest_part(&ev, ATT_PART_PCRS, a->pcrbuf, a->pcr_len);
	attest_part(&ev, ATT_PART_AK_PUBLIC, a->ak, a->ak_len);
	attest_part(&ev, ATT_PART_THINHV_LOG, a->log, a->log_len);
	if (a->fw)
		attest_part(&ev, ATT_PART_FW_LOG, a->fw, a->fw_len);
	attest_part(&ev, ATT_PART_REPORT, a->report, a->report_len);
	attest_part(&ev, ATT_PART_NONCE, a->nonce, a->nonce_len);
	snprintf(creator, sizeof(creator), "thinhv %s", THINHV_VERSION);
	attest_part(&ev, ATT_PART_CREATOR, (const uint8_t *)creator,
		    strlen(creator));
	if (att_evidence_build(&ev, &a->bundle, &a->bundle_len)) {
		cli_err("attest: building the bundle failed");
		return attest_stop(a, CLI_EXIT_ERROR);
	}
	rc = att_write_file(a->out, a->bundle, a->bundle_len);
	if (rc) {
		cli_err("attest: %s: %s", a->out, strerror(-rc));
		return attest_stop(a, CLI_EXIT_ERROR);
	}
	printf("evidence: %s (%zu bytes, firmware log %s)\n", a->out,
	       a->bundle_len, a->fw ? "included" : "absent");
	return 0;
}

/* The one cleanup ladder, in reverse order of acquisition. */
static void attest_free(struct attest_cmd *a)
{
	free(a->bundle);
	free(a->pcrbuf);
	free(a->sig);
	free(a->quote);
	att_tpm_close(a->tpm);
	free(a->ak);
	free(a->fw);
	free(a->log);
	free(a->report);
	free(a->raw);
	free(a->nonce);
}

static int cmd_attest(int argc, char **argv)
{
	struct attest_cmd a;

	memset(&a, 0, sizeof(a));
	a.exit = CLI_EXIT_ERROR;
	if (!attest_parse(&a, argc, argv) && !attest_gather(&a) &&
	    !attest_act(&a) && !attest_report(&a))
		a.exit = CLI_EXIT_OK;
	attest_free(&a);
	return a.exit;
}

CLI_COMMAND(attest, "attest",
	    "quote thinhv's measurements into an evidence bundle", cmd_attest)
