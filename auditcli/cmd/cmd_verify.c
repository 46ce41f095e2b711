// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_verify.c - `thinhv verify`: offline verification of an evidence
 * bundle, optional Ed25519-signed verdict, extraction of the parts for
 * stock tools (host userspace; needs no TPM).
 * Exit status (docs/evidence.md): 0 verdict PASS; 1 PASS with checks that
 * were skipped or only warned; 2 verdict FAIL; 4 unusable auditor input.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>
#include <tss2/tss2_mu.h>

#include "auditcli/cmd/cli.h"
#include "attest/lib/att.h"
#include "attest/lib/att_file.h"

#define EVIDENCE_MAX ATT_EVID_MAX_SIZE
#define SIG_PK_TAG "ed25519-public: "
#define SIG_TAG "ed25519-signature: "

static void verify_usage(FILE *f)
{
	fprintf(f,
		"usage: thinhv verify EVIDENCE --ak AK.pub --nonce HEX "
		"[--reference REF]\n"
		"                     [--expect-policy DIGEST] "
		"[--require-firmware-log]\n"
		"                     [--sign-key KEY] [-o VERDICT]\n"
		"       thinhv verify EVIDENCE --extract DIR [--nonce HEX]\n"
		"       thinhv verify --gen-sign-key KEY\n"
		"       thinhv verify --check-verdict VERDICT --pubkey BASE64\n"
		"exit: 0 pass, 1 pass with warnings, 2 fail, 4 error\n");
}

static const char *status_name(enum att_status s)
{
	switch (s) {
	case ATT_PASS:
		return "PASS";
	case ATT_FAIL:
		return "FAIL";
	case ATT_WARN:
		return "WARN";
	case ATT_SKIP:
		return "SKIP";
	}
	return "FAIL";
}

/* The verdict text that is printed and, with --sign-key, signed. */
static char *format_verdict(const struct att_verdict *v, const uint8_t *bundle,
			    size_t bundle_len, const char *nonce_hex,
			    bool *warned)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	uint8_t d[32];
	char dh[65];

	if (!f)
		return NULL;
	crypto_hash_sha256(d, bundle, bundle_len);
	sodium_bin2hex(dh, sizeof(dh), d, sizeof(d));
	*warned = false;
	fprintf(f, "thinhv-verdict: 1\n");
	fprintf(f, "evidence-sha256: %s\n", dh);
	fprintf(f, "nonce: %s\n", nonce_hex);
	for (unsigned int i = 0; i < v->n; i++) {
		fprintf(f, "check %-18s %s  %s\n", v->check[i].name,
			status_name(v->check[i].status), v->check[i].detail);
		if (v->check[i].status == ATT_WARN ||
		    v->check[i].status == ATT_SKIP)
			*warned = true;
	}
	fprintf(f, "verdict: %s\n", v->pass ? "PASS" : "FAIL");
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

static int load_seed(const char *path, uint8_t seed[crypto_sign_SEEDBYTES])
{
	uint8_t *buf, *bin = NULL;
	size_t len, blen = 0;
	int rc = att_read_file(path, 256, &buf, &len);

	if (rc)
		return rc;
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	buf[len] = '\0'; /* att_read_file leaves room: max + 1 */
	rc = att_hex_decode((char *)buf, &bin, &blen);
	sodium_memzero(buf, len);
	free(buf);
	if (!rc && blen != crypto_sign_SEEDBYTES)
		rc = -EINVAL;
	if (!rc)
		memcpy(seed, bin, crypto_sign_SEEDBYTES);
	if (bin)
		sodium_memzero(bin, blen);
	free(bin);
	return rc;
}

/* Append the Ed25519 public key and a signature over everything before. */
static char *sign_verdict(const char *text, const char *key_path)
{
	uint8_t seed[crypto_sign_SEEDBYTES], pk[crypto_sign_PUBLICKEYBYTES],
	    sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
	char pk64[sodium_base64_ENCODED_LEN(crypto_sign_PUBLICKEYBYTES,
					    sodium_base64_VARIANT_ORIGINAL)];
	char sig64[sodium_base64_ENCODED_LEN(crypto_sign_BYTES,
					     sodium_base64_VARIANT_ORIGINAL)];
	char *signed_text = NULL;
	size_t head;

	if (load_seed(key_path, seed)) {
		cli_err("verify: %s: want 32 bytes of hex (an Ed25519 seed)",
			key_path);
		return NULL;
	}
	crypto_sign_seed_keypair(pk, sk, seed);
	sodium_memzero(seed, sizeof(seed));
	sodium_bin2base64(pk64, sizeof(pk64), pk, sizeof(pk),
			  sodium_base64_VARIANT_ORIGINAL);
	/* The signature covers the verdict and the signer's public key line. */
	if (asprintf(&signed_text, "%s" SIG_PK_TAG "%s\n", text, pk64) < 0) {
		sodium_memzero(sk, sizeof(sk));
		return NULL;
	}
	head = strlen(signed_text);
	crypto_sign_detached(sig, NULL, (const uint8_t *)signed_text, head, sk);
	sodium_memzero(sk, sizeof(sk));
	sodium_bin2base64(sig64, sizeof(sig64), sig, sizeof(sig),
			  sodium_base64_VARIANT_ORIGINAL);
	{
		char *all = NULL;

		if (asprintf(&all, "%s" SIG_TAG "%s\n", signed_text, sig64) < 0)
			all = NULL;
		free(signed_text);
		return all;
	}
}

static int gen_sign_key(const char *path)
{
	uint8_t seed[crypto_sign_SEEDBYTES], pk[crypto_sign_PUBLICKEYBYTES],
	    sk[crypto_sign_SECRETKEYBYTES];
	char hexs[2 * crypto_sign_SEEDBYTES + 2];
	char pk64[sodium_base64_ENCODED_LEN(crypto_sign_PUBLICKEYBYTES,
					    sodium_base64_VARIANT_ORIGINAL)];
	mode_t old = umask(077);
	int rc;

	randombytes_buf(seed, sizeof(seed));
	crypto_sign_seed_keypair(pk, sk, seed);
	sodium_bin2hex(hexs, sizeof(hexs), seed, sizeof(seed));
	strcat(hexs, "\n");
	rc = att_write_private(path, hexs, strlen(hexs));
	umask(old);
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(hexs, sizeof(hexs));
	if (rc) {
		cli_err("verify: %s: %s", path, strerror(-rc));
		return CLI_EXIT_ERROR;
	}
	sodium_bin2base64(pk64, sizeof(pk64), pk, sizeof(pk),
			  sodium_base64_VARIANT_ORIGINAL);
	printf("%s\n", pk64);
	return CLI_EXIT_OK;
}

/* Check a signed verdict file against an expected public key. */
static int check_verdict(const char *path, const char *pk64)
{
	uint8_t pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
	uint8_t *buf;
	size_t len, bl = 0;
	char *pkline, *sigline, *end;
	int rc = att_read_file(path, 1 << 20, &buf, &len);

	if (rc) {
		cli_err("verify: %s: %s", path, strerror(-rc));
		return CLI_EXIT_ERROR;
	}
	buf[len] = '\0';
	if (sodium_base642bin(pk, sizeof(pk), pk64, strlen(pk64), NULL, &bl,
			      NULL, sodium_base64_VARIANT_ORIGINAL) ||
	    bl != sizeof(pk)) {
		cli_err("verify: --pubkey is not a base64 Ed25519 key");
		free(buf);
		return CLI_EXIT_ERROR;
	}
	rc = CLI_EXIT_FAIL;
	sigline = strstr((char *)buf, "\n" SIG_TAG);
	pkline = strstr((char *)buf, "\n" SIG_PK_TAG);
	if (!sigline || !pkline || pkline > sigline || memchr(buf, '\0', len)) {
		printf("verdict-signature: FAIL  no signature block\n");
		goto out;
	}
	sigline++;
	end = strchr(sigline, '\n');
	if (!end || end[1] != '\0' ||
	    sodium_base642bin(sig, sizeof(sig), sigline + strlen(SIG_TAG),
			      (size_t)(end - sigline) - strlen(SIG_TAG), NULL,
			      &bl, NULL, sodium_base64_VARIANT_ORIGINAL) ||
	    bl != sizeof(sig)) {
		printf("verdict-signature: FAIL  malformed signature line\n");
		goto out;
	}
	if (crypto_sign_verify_detached(sig, buf,
					(size_t)(sigline - (char *)buf), pk)) {
		printf("verdict-signature: FAIL  does not verify with the "
		       "given key\n");
		goto out;
	}
	printf("verdict-signature: PASS\n");
	rc = strstr((char *)buf, "\nverdict: PASS\n") ? CLI_EXIT_OK
						      : CLI_EXIT_FAIL;
out:
	free(buf);
	return rc;
}

/* Extraction writes into a directory nobody else prepared (att_dir_fresh),
 * each name created new, never through a symlink planted in it. */
static int write_part(int dfd, const char *dir, const char *name, const void *p,
		      size_t len)
{
	int rc = att_file_write_at(dfd, name, p, len, ATT_FILE_EXCL);

	if (rc)
		cli_err("verify: %s/%s: %s", dir, name, strerror(-rc));
	return rc;
}

/*
 * PCR file for `tpm2_checkquote -f`: tpm2-tools writes its in-memory
 * TPML_PCR_SELECTION, a u32 count and count TPML_DIGESTs of at most 8
 * digests each, host-endian (lib/pcr.c). Same structs, same headers here.
 */
struct tpm2_tools_pcrs {
	TPML_PCR_SELECTION sel;
	uint32_t count;
	TPML_DIGEST dig[3];
};

static size_t tpm2_tools_pcrs(const struct att_pcr_values *pv, uint8_t *out)
{
	struct tpm2_tools_pcrs t;
	size_t n = 0;

	memset(&t, 0, sizeof(t));
	t.sel.count = 1;
	t.sel.pcrSelections[0].hash = TPM2_ALG_SHA256;
	t.sel.pcrSelections[0].sizeofSelect = 3;
	for (uint32_t i = 0; i < pv->count; i++) {
		TPML_DIGEST *d = &t.dig[i / 8];

		t.sel.pcrSelections[0].pcrSelect[pv->index[i] / 8] |=
		    (uint8_t)(1u << (pv->index[i] % 8));
		d->digests[d->count].size = pv->size;
		memcpy(d->digests[d->count].buffer, pv->value[i], pv->size);
		d->count++;
		t.count = i / 8 + 1;
	}
	memcpy(out, &t.sel, sizeof(t.sel));
	n += sizeof(t.sel);
	memcpy(out + n, &t.count, sizeof(t.count));
	n += sizeof(t.count);
	memcpy(out + n, t.dig, t.count * sizeof(t.dig[0]));
	return n + t.count * sizeof(t.dig[0]);
}

/* Everything is parsed and computed before the first byte is written. */
static int extract(const uint8_t *bundle, size_t len, const char *dir,
		   const uint8_t *nonce, size_t nonce_len)
{
	static const char *const files[ATT_PART_MAX + 1] = {
		[ATT_PART_QUOTE] = "quote.msg",
		[ATT_PART_SIGNATURE] = "quote.sig",
		[ATT_PART_PCRS] = "pcrs.thinhv",
		[ATT_PART_AK_PUBLIC] = "ak.pub",
		[ATT_PART_THINHV_LOG] = "thinhv.log",
		[ATT_PART_FW_LOG] = "firmware.log",
		[ATT_PART_REPORT] = "report.json",
		[ATT_PART_NONCE] = "nonce.bin",
		[ATT_PART_CREATOR] = "creator.txt",
	};
	static uint8_t pcrbuf[sizeof(struct tpm2_tools_pcrs)];
	struct att_evidence ev;
	struct att_err err = { 0, NULL };
	struct att_pcr_values pv;
	struct att_key *k = NULL;
	size_t pcrlen;
	char qh[65];
	uint8_t qual[32];
	int dfd, rc, ret = CLI_EXIT_ERROR;

	if (att_evidence_parse(bundle, len, &ev, &err)) {
		cli_err("verify: bundle byte %zu: %s", err.offset, err.what);
		return CLI_EXIT_FAIL;
	}
	if (att_pcrs_parse(ev.part[ATT_PART_PCRS].p, ev.part[ATT_PART_PCRS].len,
			   &pv, &err)) {
		cli_err("verify: PCR values unusable for tpm2-tools");
		return CLI_EXIT_FAIL;
	}
	pcrlen = tpm2_tools_pcrs(&pv, pcrbuf);
	if (att_key_from_tpm2b(ev.part[ATT_PART_AK_PUBLIC].p,
			       ev.part[ATT_PART_AK_PUBLIC].len, &k, &err))
		k = NULL; /* no ak.pem; the verifier says why */
	/* -q for tpm2_checkquote: from the auditor's nonce when given. */
	if (!nonce && ev.part[ATT_PART_NONCE].present) {
		nonce = ev.part[ATT_PART_NONCE].p;
		nonce_len = ev.part[ATT_PART_NONCE].len;
	}
	if (nonce) {
		att_qualifying_data(nonce, nonce_len,
				    ev.part[ATT_PART_REPORT].p,
				    ev.part[ATT_PART_REPORT].len, qual);
		sodium_bin2hex(qh, sizeof(qh), qual, sizeof(qual));
	}

	dfd = att_dir_fresh(dir);
	if (dfd < 0) {
		cli_err("verify: --extract %s: %s (wants a new directory, or "
			"an empty one of yours that only you can write)",
			dir, strerror(-dfd));
		att_key_free(k);
		return CLI_EXIT_ERROR;
	}
	for (unsigned int t = 1; t <= ATT_PART_MAX; t++)
		if (ev.part[t].present &&
		    write_part(dfd, dir, files[t], ev.part[t].p,
			       ev.part[t].len))
			goto out;
	if (write_part(dfd, dir, "pcrs.tpm2-tools", pcrbuf, pcrlen))
		goto out;
	if (k && (rc = att_key_write_pem_at(k, dfd, "ak.pem"))) {
		cli_err("verify: %s/ak.pem: %s", dir, strerror(-rc));
		goto out;
	}
	if (nonce && write_part(dfd, dir, "qualification.hex", qh, 64))
		goto out;
	printf("extracted to %s\n", dir);
	ret = CLI_EXIT_OK;
out:
	att_key_free(k);
	close(dfd);
	return ret;
}

/*
 * --expect-policy: the policy that must be in force (the last measured
 * one), as `thinhv policy digest` prints it, bare or "sha256:"-prefixed.
 * It is the reference's policy value; a reference file naming another is
 * a contradiction in the auditor's input.
 */
static int expect_policy(const char *arg, bool have_file,
			 struct att_reference *ref)
{
	uint8_t d[32];
	size_t bl = 0;
	const char *end = NULL;

	if (!strncmp(arg, "sha256:", 7))
		arg += 7;
	if (strlen(arg) != 64 ||
	    sodium_hex2bin(d, sizeof(d), arg, 64, NULL, &bl, &end) ||
	    bl != sizeof(d) || (end && *end)) {
		cli_err("verify: --expect-policy wants 64 hex digits (the "
			"output of `thinhv policy digest`)");
		return -EINVAL;
	}
	if (!have_file)
		memset(ref, 0, sizeof(*ref));
	if (ref->have_policy && sodium_memcmp(ref->policy, d, sizeof(d))) {
		cli_err("verify: --expect-policy differs from the reference "
			"file's policy value");
		return -EINVAL;
	}
	memcpy(ref->policy, d, sizeof(d));
	ref->have_policy = true;
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ak", required_argument, NULL, 'a' },
		{ "nonce", required_argument, NULL, 'n' },
		{ "reference", required_argument, NULL, 'r' },
		{ "expect-policy", required_argument, NULL, 'P' },
		{ "require-firmware-log", no_argument, NULL, 'F' },
		{ "sign-key", required_argument, NULL, 'k' },
		{ "output", required_argument, NULL, 'o' },
		{ "extract", required_argument, NULL, 'x' },
		{ "gen-sign-key", required_argument, NULL, 'g' },
		{ "check-verdict", required_argument, NULL, 'c' },
		{ "pubkey", required_argument, NULL, 'p' },
		{ "bench", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *ak_path = NULL, *nonce_hex = NULL, *ref_path = NULL,
		   *key_path = NULL, *out = NULL, *xdir = NULL,
		   *check_path = NULL, *pubkey = NULL, *want_policy = NULL;
	struct att_reference ref;
	struct att_verify_in in;
	struct att_verdict v;
	struct att_key *ak = NULL;
	uint8_t *bundle = NULL, *nonce = NULL;
	size_t bundle_len = 0, nonce_len = 0;
	char why[320], *text = NULL, *signed_text = NULL;
	bool require_fw = false, warned = false;
	long bench = 0;
	int c, rc, ret = CLI_EXIT_ERROR;

	if (sodium_init() < 0)
		return CLI_EXIT_ERROR;
	/* Hostile bundles make tss2-mu log each refusal; the verdict already
	 * names what failed. An explicit TSS2_LOG wins. */
	setenv("TSS2_LOG", "all+none", 0);
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			ak_path = optarg;
			break;
		case 'n':
			nonce_hex = optarg;
			break;
		case 'r':
			ref_path = optarg;
			break;
		case 'P':
			want_policy = optarg;
			break;
		case 'F':
			require_fw = true;
			break;
		case 'k':
			key_path = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'x':
			xdir = optarg;
			break;
		case 'g':
			return gen_sign_key(optarg);
		case 'c':
			check_path = optarg;
			break;
		case 'p':
			pubkey = optarg;
			break;
		case 'b':
			bench = strtol(optarg, NULL, 10);
			break;
		case 'h':
			verify_usage(stdout);
			return CLI_EXIT_OK;
		default:
			verify_usage(stderr);
			return CLI_EXIT_ERROR;
		}
	}
	if (check_path) {
		if (!pubkey) {
			verify_usage(stderr);
			return CLI_EXIT_ERROR;
		}
		return check_verdict(check_path, pubkey);
	}
	if (optind != argc - 1 || (!xdir && (!ak_path || !nonce_hex))) {
		verify_usage(stderr);
		return CLI_EXIT_ERROR;
	}
	if (nonce_hex && (att_hex_decode(nonce_hex, &nonce, &nonce_len) ||
			  nonce_len < 8 || nonce_len > 64)) {
		cli_err("verify: --nonce must be 8..64 bytes of hex");
		goto out;
	}
	rc = att_read_file(argv[optind], EVIDENCE_MAX, &bundle, &bundle_len);
	if (rc) {
		cli_err("verify: %s: %s", argv[optind], strerror(-rc));
		goto out;
	}
	if (xdir) {
		ret = extract(bundle, bundle_len, xdir, nonce, nonce_len);
		goto out;
	}
	if (att_key_load(ak_path, &ak, why, sizeof(why))) {
		cli_err("verify: --ak %s", why);
		goto out;
	}
	if (ref_path && att_reference_load(ref_path, &ref, why, sizeof(why))) {
		cli_err("verify: --reference %s", why);
		goto out;
	}
	if (want_policy && expect_policy(want_policy, ref_path != NULL, &ref))
		goto out;

	memset(&in, 0, sizeof(in));
	in.bundle = bundle;
	in.bundle_len = bundle_len;
	in.ak = ak;
	in.nonce = nonce;
	in.nonce_len = nonce_len;
	in.ref = ref_path || want_policy ? &ref : NULL;
	in.require_fw_log = require_fw;
	if (bench > 0) {
		double t0 = now_ms();

		for (long i = 0; i < bench; i++)
			att_verify(&in, &v);
		printf("verify: %ld runs, %.3f ms per bundle\n", bench,
		       (now_ms() - t0) / (double)bench);
	}
	att_verify(&in, &v);

	text = format_verdict(&v, bundle, bundle_len, nonce_hex, &warned);
	if (!text)
		goto out;
	if (key_path) {
		signed_text = sign_verdict(text, key_path);
		if (!signed_text)
			goto out;
	}
	fputs(signed_text ? signed_text : text, stdout);
	if (out) {
		const char *s = signed_text ? signed_text : text;

		rc = att_write_file(out, s, strlen(s));
		if (rc) {
			cli_err("verify: %s: %s", out, strerror(-rc));
			goto out;
		}
	}
	ret = v.pass ? (warned ? CLI_EXIT_WARN : CLI_EXIT_OK) : CLI_EXIT_FAIL;
out:
	free(text);
	free(signed_text);
	free(bundle);
	free(nonce);
	att_key_free(ak);
	return ret;
}

CLI_COMMAND(verify, "verify",
	    "verify an evidence bundle offline (no TPM needed)", cmd_verify)
