// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_attest.c - `thinhv attest`: quote the boot PCRs and the thinhv PCR
 * with qualifying data SHA-256(nonce || canonical report) and write the
 * evidence bundle (host userspace; needs the TPM).
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

static int cmd_attest(int argc, char **argv)
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
	const char *nonce_hex = NULL, *out = NULL, *report_path = NULL,
		   *log_path = NULL, *fw_path = NULL, *tcti = NULL;
	uint8_t *nonce = NULL, *report = NULL, *raw = NULL, *log = NULL,
		*fw = NULL, *ak = NULL, *quote = NULL, *sig = NULL,
		*pcrbuf = NULL, *bundle = NULL;
	size_t nonce_len = 0, report_len = 0, raw_len = 0, log_len = 0,
	       fw_len = 0, ak_len = 0, quote_len = 0, sig_len = 0, pcr_len = 0,
	       bundle_len = 0;
	struct att_pcr_values pcrs;
	struct att_evidence ev;
	struct att_err err = { 0, NULL };
	struct att_tpm *t = NULL;
	char creator[64];
	uint8_t qual[32];
	double t0;
	int c, rc, ret = CLI_EXIT_ERROR;

	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			nonce_hex = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'r':
			report_path = optarg;
			break;
		case 'l':
			log_path = optarg;
			break;
		case 'f':
			fw_path = optarg;
			break;
		case 't':
			tcti = optarg;
			break;
		case 'h':
			attest_usage(stdout);
			return CLI_EXIT_OK;
		default:
			attest_usage(stderr);
			return CLI_EXIT_ERROR;
		}
	}
	if (!nonce_hex || !out || optind != argc) {
		attest_usage(stderr);
		return CLI_EXIT_ERROR;
	}
	if (sodium_init() < 0)
		return CLI_EXIT_ERROR;
	if (att_hex_decode(nonce_hex, &nonce, &nonce_len) || nonce_len < 8 ||
	    nonce_len > 64) {
		cli_err("attest: --nonce must be 8..64 bytes of hex");
		goto out;
	}
	if (!report_path) {
		cli_err("attest: --report is required (the isolation report "
			"the quote binds; docs/evidence.md)");
		goto out;
	}
	rc = att_read_file(report_path, 1u << 20, &raw, &raw_len);
	if (rc) {
		cli_err("attest: %s: %s", report_path, strerror(-rc));
		goto out;
	}
	/* The quote binds the canonical bytes, which the bundle carries. */
	rc = att_report_canonicalize(raw, raw_len, &report, &report_len, &err);
	if (rc) {
		cli_err("attest: %s: byte %zu: %s", report_path, err.offset,
			err.what ? err.what : strerror(-rc));
		goto out;
	}
	if (log_path) {
		rc = att_read_file(log_path, LOG_MAX, &log, &log_len);
	} else {
		log_path = THINHV_DEV;
		rc = att_hv_log_read(&log, &log_len);
	}
	if (rc) {
		cli_err("attest: %s: %s%s", log_path, strerror(-rc),
			rc == -ENOENT ? " (is thinhv.ko loaded?)" : "");
		goto out;
	}
	if (att_log_parse(log, log_len, NULL, NULL, NULL, &err)) {
		cli_err("attest: %s: byte %zu: %s", log_path, err.offset,
			err.what);
		goto out;
	}
	if (!fw_path) {
		/* Absent on machines without a firmware log: not an error. */
		if (access(FW_LOG_PATH, R_OK) == 0)
			fw_path = FW_LOG_PATH;
	} else if (!strcmp(fw_path, "none")) {
		fw_path = NULL;
	}
	if (fw_path) {
		rc = att_read_file(fw_path, LOG_MAX, &fw, &fw_len);
		if (rc) {
			cli_err("attest: %s: %s", fw_path, strerror(-rc));
			goto out;
		}
		if (fw_len == 0) {
			free(fw);
			fw = NULL;
		}
	}

	att_qualifying_data(nonce, nonce_len, report, report_len, qual);
	if (att_tpm_open(&t, tcti)) {
		cli_err("attest: cannot open the TPM");
		goto out;
	}
	if (att_tpm_ak_public(t, &ak, &ak_len)) {
		cli_err("attest: cannot derive the AK");
		goto out;
	}
	t0 = now_ms();
	if (att_tpm_quote(t, ATT_QUOTE_PCR_MASK, qual, sizeof(qual), &quote,
			  &quote_len, &sig, &sig_len, &pcrs)) {
		cli_err("attest: quote failed");
		goto out;
	}
	if (getenv("THINHV_ATT_TIMING"))
		fprintf(stderr, "thinhv: attest: quote+pcr read %.2f ms\n",
			now_ms() - t0);
	if (att_pcrs_encode(&pcrs, &pcrbuf, &pcr_len))
		goto out;

	memset(&ev, 0, sizeof(ev));
#define PART(type, ptr, n)                 \
	do {                               \
		ev.part[type].p = (ptr);   \
		ev.part[type].len = (n);   \
		ev.part[type].present = 1; \
	} while (0)
	PART(ATT_PART_QUOTE, quote, quote_len);
	PART(ATT_PART_SIGNATURE, sig, sig_len);
	PART(ATT_PART_PCRS, pcrbuf, pcr_len);
	PART(ATT_PART_AK_PUBLIC, ak, ak_len);
	PART(ATT_PART_THINHV_LOG, log, log_len);
	if (fw)
		PART(ATT_PART_FW_LOG, fw, fw_len);
	PART(ATT_PART_REPORT, report, report_len);
	PART(ATT_PART_NONCE, nonce, nonce_len);
	snprintf(creator, sizeof(creator), "thinhv %s", THINHV_VERSION);
	PART(ATT_PART_CREATOR, (const uint8_t *)creator, strlen(creator));
#undef PART
	if (att_evidence_build(&ev, &bundle, &bundle_len)) {
		cli_err("attest: building the bundle failed");
		goto out;
	}
	rc = att_write_file(out, bundle, bundle_len);
	if (rc) {
		cli_err("attest: %s: %s", out, strerror(-rc));
		goto out;
	}
	printf("evidence: %s (%zu bytes, firmware log %s)\n", out, bundle_len,
	       fw ? "included" : "absent");
	ret = CLI_EXIT_OK;
out:
	free(nonce);
	free(report);
	free(raw);
	free(log);
	free(fw);
	free(ak);
	free(quote);
	free(sig);
	free(pcrbuf);
	free(bundle);
	att_tpm_close(t);
	return ret;
}

CLI_COMMAND(attest, "attest",
	    "quote thinhv's measurements into an evidence bundle", cmd_attest)
