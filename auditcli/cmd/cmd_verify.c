// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_verify.c - `thinhv verify`: offline verification of an evidence
 * bundle, optional Ed25519-signed verdict, extraction of the parts for
 * stock tools (host userspace; needs no TPM).
 * Exit status (docs/evidence.md): 0 verdict PASS; 1 PASS with checks that
 * were skipped or only warned; 2 verdict FAIL; 4 unusable auditor input.
 * A context and four phases: parse, gather, act (verify), report.
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
	fprintf(f, "usage: thinhv verify EVIDENCE --ak AK.pub --nonce HEX "
		   "[--reference REF]\n"
		   "                     [--expect-policy DIGEST] "
		   "[--require-firmware-log]\n"
		   "                     [--sign-key KEY] [-o VERDICT]\n"
		   "       thinhv verify EVIDENCE --extract DIR [--nonce HEX]\n"
		   "       thinhv verify --gen-sign-key KEY\n"
		   "       thinhv verify EVIDENCE --nonce HEX --check-verdict "
		   "VERDICT\n"
		   "                     --pubkey BASE64\n"
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

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && !strcmp(s + n - t, tail);
}

/*
 * The header a verdict starts with (format_verdict): the bundle's SHA-256
 * and the nonce it was verified with. 0, or -EINVAL when malformed.
 */
static int verdict_header(const char *text, uint8_t digest[32], uint8_t **nonce,
			  size_t *nonce_len)
{
	static const char head[] = "thinhv-verdict: 1\nevidence-sha256: ";
	char hexnonce[2 * 64 + 1];
	const char *p, *end = NULL;
	size_t bl = 0, n;

	if (strncmp(text, head, strlen(head)))
		return -EINVAL;
	p = text + strlen(head);
	if (sodium_hex2bin(digest, 32, p, 64, NULL, &bl, &end) || bl != 32 ||
	    end != p + 64 || p[64] != '\n')
		return -EINVAL;
	p += 65;
	if (strncmp(p, "nonce: ", 7))
		return -EINVAL;
	p += 7;
	n = strcspn(p, "\n");
	if (p[n] != '\n' || n >= sizeof(hexnonce))
		return -EINVAL;
	memcpy(hexnonce, p, n);
	hexnonce[n] = '\0';
	return att_hex_decode(hexnonce, nonce, nonce_len) ? -EINVAL : 0;
}

/*
 * A signed verdict speaks about one bundle and one nonce, named in its
 * header; it counts only for the bundle and the nonce the auditor holds
 * now. A PASS signed for another bundle, or for an earlier nonce, is
 * refused, each with its reason. text is the signed verdict up to its
 * public-key line.
 */
static bool verdict_bound(const char *text, const uint8_t *bundle,
			  size_t bundle_len, const uint8_t *nonce,
			  size_t nonce_len)
{
	uint8_t signed_digest[32], digest[32], *signed_nonce = NULL;
	size_t signed_nonce_len = 0;
	char a[65], b[65], x[129], y[129];
	bool ok = true;

	if (verdict_header(text, signed_digest, &signed_nonce,
			   &signed_nonce_len)) {
		printf("verdict-evidence: FAIL  no evidence-sha256 and nonce "
		       "header\n");
		return false;
	}
	crypto_hash_sha256(digest, bundle, bundle_len);
	sodium_bin2hex(b, sizeof(b), digest, sizeof(digest));
	if (sodium_memcmp(signed_digest, digest, sizeof(digest))) {
		sodium_bin2hex(a, sizeof(a), signed_digest,
			       sizeof(signed_digest));
		printf("verdict-evidence: FAIL  signed for the bundle with "
		       "SHA-256 %s, EVIDENCE has %s\n",
		       a, b);
		ok = false;
	} else {
		printf("verdict-evidence: PASS  SHA-256 %s\n", b);
	}
	sodium_bin2hex(y, sizeof(y), nonce, nonce_len);
	if (signed_nonce_len != nonce_len ||
	    sodium_memcmp(signed_nonce, nonce, nonce_len)) {
		sodium_bin2hex(x, sizeof(x), signed_nonce, signed_nonce_len);
		printf("verdict-nonce: FAIL  signed for nonce %s, not --nonce "
		       "%s\n",
		       x, y);
		ok = false;
	} else {
		printf("verdict-nonce: PASS  %s\n", y);
	}
	free(signed_nonce);
	return ok;
}

/*
 * Check a signed verdict file against an expected public key, the bundle
 * it must be about and the auditor's nonce. Exit 0 only if the signature
 * verifies, the verdict is bound to this bundle and nonce, and it is PASS.
 */
static int check_verdict(const char *path, const char *pk64,
			 const uint8_t *bundle, size_t bundle_len,
			 const uint8_t *nonce, size_t nonce_len)
{
	uint8_t pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
	uint8_t *buf;
	size_t len, bl = 0;
	char *pkline, *sigline, *end;
	bool bound, passed;
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
	/* What was signed is trusted from here on; the public-key line ends
	 * the verdict text. */
	pkline[1] = '\0';
	bound =
	    verdict_bound((char *)buf, bundle, bundle_len, nonce, nonce_len);
	/* The verdict line is the last line of the verdict text. */
	passed = ends_with((char *)buf, "\nverdict: PASS\n");
	if (passed)
		printf("signed-verdict: PASS\n");
	else
		printf("signed-verdict: FAIL  the verifier's verdict is not "
		       "PASS\n");
	rc = bound && passed ? CLI_EXIT_OK : CLI_EXIT_FAIL;
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

/* What a `thinhv verify` run does; chosen from the options. */
enum verify_mode {
	VERIFY_BUNDLE,	      /* verify EVIDENCE, print (and sign) a verdict */
	VERIFY_EXTRACT,	      /* --extract DIR */
	VERIFY_GEN_KEY,	      /* --gen-sign-key KEY */
	VERIFY_CHECK_VERDICT, /* EVIDENCE --nonce HEX --check-verdict V --pubkey */
};

/*
 * One `thinhv verify` run: the options (parse), the bundle and the
 * auditor's trusted inputs (gather), the verdict (act), its text,
 * signature and file (report). verify_free() releases it all whatever
 * phase stopped.
 */
struct verify_cmd {
	int exit; /* the exit status when a phase stops the run */
	/* parse */
	enum verify_mode mode;
	const char *bundle_path, *ak_path, *nonce_hex, *ref_path, *key_path,
	    *out, *xdir, *check_path, *pubkey, *want_policy, *gen_key_path;
	bool require_fw;
	long bench;
	uint8_t *nonce;
	size_t nonce_len;
	/* gather */
	uint8_t *bundle;
	size_t bundle_len;
	struct att_key *ak;
	struct att_reference ref;
	bool have_ref;
	/* act */
	struct att_verdict v;
	/* report */
	char *text, *signed_text;
	bool warned;
};

/* A phase returns 0 to go on, or this: stop the run with exit_status. */
static int verify_stop(struct verify_cmd *r, int exit_status)
{
	r->exit = exit_status;
	return -1;
}

static int verify_parse(struct verify_cmd *r, int argc, char **argv)
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
	int c;

	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			r->ak_path = optarg;
			break;
		case 'n':
			r->nonce_hex = optarg;
			break;
		case 'r':
			r->ref_path = optarg;
			break;
		case 'P':
			r->want_policy = optarg;
			break;
		case 'F':
			r->require_fw = true;
			break;
		case 'k':
			r->key_path = optarg;
			break;
		case 'o':
			r->out = optarg;
			break;
		case 'x':
			r->xdir = optarg;
			break;
		case 'g':
			/* Acts at once: what follows it is not read. */
			r->gen_key_path = optarg;
			r->mode = VERIFY_GEN_KEY;
			return 0;
		case 'c':
			r->check_path = optarg;
			break;
		case 'p':
			r->pubkey = optarg;
			break;
		case 'b':
			r->bench = strtol(optarg, NULL, 10);
			break;
		case 'h':
			verify_usage(stdout);
			return verify_stop(r, CLI_EXIT_OK);
		default:
			verify_usage(stderr);
			return verify_stop(r, CLI_EXIT_ERROR);
		}
	}
	r->mode = r->check_path ? VERIFY_CHECK_VERDICT
		  : r->xdir	? VERIFY_EXTRACT
				: VERIFY_BUNDLE;
	/* A signed verdict is checked against the bundle and the nonce it
	 * must be about: neither can be left out. */
	if (optind != argc - 1 ||
	    (r->mode == VERIFY_CHECK_VERDICT &&
	     (!r->pubkey || !r->nonce_hex)) ||
	    (r->mode == VERIFY_BUNDLE && (!r->ak_path || !r->nonce_hex))) {
		verify_usage(stderr);
		return verify_stop(r, CLI_EXIT_ERROR);
	}
	r->bundle_path = argv[optind];
	if (r->nonce_hex &&
	    (att_hex_decode(r->nonce_hex, &r->nonce, &r->nonce_len) ||
	     r->nonce_len < 8 || r->nonce_len > 64)) {
		cli_err("verify: --nonce must be 8..64 bytes of hex");
		return verify_stop(r, CLI_EXIT_ERROR);
	}
	return 0;
}

/* The bundle; for a verdict also the trusted AK and reference values. */
static int verify_gather(struct verify_cmd *r)
{
	char why[320];
	int rc;

	if (r->mode == VERIFY_GEN_KEY)
		return 0;
	rc = att_read_file(r->bundle_path, EVIDENCE_MAX, &r->bundle,
			   &r->bundle_len);
	if (rc) {
		cli_err("verify: %s: %s", r->bundle_path, strerror(-rc));
		return verify_stop(r, CLI_EXIT_ERROR);
	}
	if (r->mode != VERIFY_BUNDLE)
		return 0;
	if (att_key_load(r->ak_path, &r->ak, why, sizeof(why))) {
		cli_err("verify: --ak %s", why);
		return verify_stop(r, CLI_EXIT_ERROR);
	}
	if (r->ref_path &&
	    att_reference_load(r->ref_path, &r->ref, why, sizeof(why))) {
		cli_err("verify: --reference %s", why);
		return verify_stop(r, CLI_EXIT_ERROR);
	}
	if (r->want_policy &&
	    expect_policy(r->want_policy, r->ref_path != NULL, &r->ref))
		return verify_stop(r, CLI_EXIT_ERROR);
	r->have_ref = r->ref_path || r->want_policy;
	return 0;
}

/*
 * The verdict. The other modes are one action each and end the run with
 * their own status.
 */
static int verify_act(struct verify_cmd *r)
{
	struct att_verify_in in;

	switch (r->mode) {
	case VERIFY_GEN_KEY:
		return verify_stop(r, gen_sign_key(r->gen_key_path));
	case VERIFY_CHECK_VERDICT:
		return verify_stop(r, check_verdict(r->check_path, r->pubkey,
						    r->bundle, r->bundle_len,
						    r->nonce, r->nonce_len));
	case VERIFY_EXTRACT:
		return verify_stop(r, extract(r->bundle, r->bundle_len, r->xdir,
					      r->nonce, r->nonce_len));
	case VERIFY_BUNDLE:
		break;
	}
	memset(&in, 0, sizeof(in));
	in.bundle = r->bundle;
	in.bundle_len = r->bundle_len;
	in.ak = r->ak;
	in.nonce = r->nonce;
	in.nonce_len = r->nonce_len;
	in.ref = r->have_ref ? &r->ref : NULL;
	in.require_fw_log = r->require_fw;
	if (r->bench > 0) {
		double t0 = now_ms();

		for (long i = 0; i < r->bench; i++)
			att_verify(&in, &r->v);
		printf("verify: %ld runs, %.3f ms per bundle\n", r->bench,
		       (now_ms() - t0) / (double)r->bench);
	}
	att_verify(&in, &r->v);
	return 0;
}

/* The verdict text on stdout, signed with --sign-key, written to -o. */
static int verify_report(struct verify_cmd *r)
{
	const char *s;
	int rc;

	r->text = format_verdict(&r->v, r->bundle, r->bundle_len, r->nonce_hex,
				 &r->warned);
	if (!r->text)
		return verify_stop(r, CLI_EXIT_ERROR);
	if (r->key_path) {
		r->signed_text = sign_verdict(r->text, r->key_path);
		if (!r->signed_text)
			return verify_stop(r, CLI_EXIT_ERROR);
	}
	s = r->signed_text ? r->signed_text : r->text;
	fputs(s, stdout);
	if (r->out) {
		rc = att_write_file(r->out, s, strlen(s));
		if (rc) {
			cli_err("verify: %s: %s", r->out, strerror(-rc));
			return verify_stop(r, CLI_EXIT_ERROR);
		}
	}
	/* The exit status follows the verdict (docs/evidence.md). */
	r->exit = !r->v.pass  ? CLI_EXIT_FAIL
		  : r->warned ? CLI_EXIT_WARN
			      : CLI_EXIT_OK;
	return 0;
}

/* The one cleanup ladder, in reverse order of acquisition. */
static void verify_free(struct verify_cmd *r)
{
	free(r->signed_text);
	free(r->text);
	att_key_free(r->ak);
	free(r->bundle);
	free(r->nonce);
}

static int cmd_verify(int argc, char **argv)
{
	struct verify_cmd r;

	memset(&r, 0, sizeof(r));
	r.exit = CLI_EXIT_ERROR;
	if (sodium_init() < 0)
		return CLI_EXIT_ERROR;
	/* Hostile bundles make tss2-mu log each refusal; the verdict already
	 * names what failed. An explicit TSS2_LOG wins. */
	setenv("TSS2_LOG", "all+none", 0);
	if (!verify_parse(&r, argc, argv) && !verify_gather(&r) &&
	    !verify_act(&r))
		(void)verify_report(&r); /* sets r.exit either way */
	verify_free(&r);
	return r.exit;
}

CLI_COMMAND(verify, "verify",
	    "verify an evidence bundle offline (no TPM needed)", cmd_verify)
