// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_ak.c - `thinhv ak`: the attestation key and its binding to the EK by
 * MakeCredential/ActivateCredential (host userspace).
 *   ak create          derive the AK, export AK and EK public parts
 *   ak name            print a TPM2B_PUBLIC's TPM name (offline)
 *   ak make-credential auditor: wrap a secret to EK for the AK's name
 *   ak activate        host: recover the secret with this TPM's EK + AK
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "auditcli/cmd/cli.h"
#include "attest/lib/att.h"
#include "attest/lib/att_file.h"

static void ak_usage(FILE *f)
{
	fprintf(f,
		"usage: thinhv ak create [--tcti T] [-o AK.pub] [--pem AK.pem] "
		"[--ek EK.pub] [--ek-pem EK.pem]\n"
		"                        [--ek-cert EK.der]\n"
		"       thinhv ak name AK.pub\n"
		"       thinhv ak make-credential --ek EK.pub --ak AK.pub "
		"--secret-file FILE|- -o CRED\n"
		"                        [--tcti T]   (FILE holds the secret "
		"as hex)\n"
		"       thinhv ak activate CRED [-o SECRET] [--tcti T]\n"
		"AK.pub/EK.pub are marshalled TPM2B_PUBLIC; CRED is the "
		"tpm2_makecredential format.\n");
}

static int write_pem_of(const uint8_t *pub, size_t len, const char *path)
{
	struct att_err err = { 0, NULL };
	struct att_key *k;
	int rc = att_key_from_tpm2b(pub, len, &k, &err);

	if (rc)
		return rc;
	rc = att_key_write_pem(k, path);
	att_key_free(k);
	return rc;
}

static void print_name(const char *label, const uint8_t *pub, size_t len)
{
	struct att_err err = { 0, NULL };
	struct att_key *k;
	uint8_t name[64];
	size_t nlen = sizeof(name);
	char hexs[2 * sizeof(name) + 1];

	if (att_key_from_tpm2b(pub, len, &k, &err))
		return;
	if (!att_key_name(k, name, &nlen)) {
		sodium_bin2hex(hexs, sizeof(hexs), name, nlen);
		printf("%s: %s\n", label, hexs);
	}
	att_key_free(k);
}

static int ak_create(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tcti", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "pem", required_argument, NULL, 'p' },
		{ "ek", required_argument, NULL, 'e' },
		{ "ek-pem", required_argument, NULL, 'E' },
		{ "ek-cert", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	const char *tcti = NULL, *out = NULL, *pem = NULL, *ek = NULL,
		   *ekpem = NULL, *ekcert = NULL;
	uint8_t *cert = NULL;
	size_t cert_len = 0;
	struct att_tpm *t = NULL;
	uint8_t *ak_pub = NULL, *ek_pub = NULL;
	size_t ak_len = 0, ek_len = 0;
	int c, rc, ret = CLI_EXIT_ERROR;

	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			tcti = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'p':
			pem = optarg;
			break;
		case 'e':
			ek = optarg;
			break;
		case 'E':
			ekpem = optarg;
			break;
		case 'C':
			ekcert = optarg;
			break;
		default:
			ak_usage(stderr);
			return CLI_EXIT_ERROR;
		}
	}
	if (optind != argc) {
		ak_usage(stderr);
		return CLI_EXIT_ERROR;
	}
	rc = att_tpm_open(&t, tcti);
	if (rc) {
		cli_err("ak create: cannot open the TPM");
		return CLI_EXIT_ERROR;
	}
	if (att_tpm_ak_public(t, &ak_pub, &ak_len)) {
		cli_err("ak create: deriving the AK failed");
		goto out;
	}
	if ((ek || ekpem) && att_tpm_ek_public(t, &ek_pub, &ek_len)) {
		cli_err("ak create: deriving the EK failed");
		goto out;
	}
	if (out && (rc = att_write_file(out, ak_pub, ak_len))) {
		cli_err("ak create: %s: %s", out, strerror(-rc));
		goto out;
	}
	if (pem && (rc = write_pem_of(ak_pub, ak_len, pem))) {
		cli_err("ak create: %s: cannot write PEM", pem);
		goto out;
	}
	if (ek && (rc = att_write_file(ek, ek_pub, ek_len))) {
		cli_err("ak create: %s: %s", ek, strerror(-rc));
		goto out;
	}
	if (ekpem && (rc = write_pem_of(ek_pub, ek_len, ekpem))) {
		cli_err("ak create: %s: cannot write PEM", ekpem);
		goto out;
	}
	if (ekcert) {
		rc = att_tpm_ek_cert(t, &cert, &cert_len);
		if (rc == -ENOENT) {
			cli_err(
			    "ak create: the TPM holds no RSA EK certificate "
			    "(NV 0x01c00002)");
			goto out;
		}
		if (rc || (rc = att_write_file(ekcert, cert, cert_len))) {
			cli_err("ak create: %s: cannot export the EK "
				"certificate",
				ekcert);
			goto out;
		}
	}
	print_name("ak-name", ak_pub, ak_len);
	if (ek_pub)
		print_name("ek-name", ek_pub, ek_len);
	ret = CLI_EXIT_OK;
out:
	free(ak_pub);
	free(ek_pub);
	free(cert);
	att_tpm_close(t);
	return ret;
}

static int ak_name(int argc, char **argv)
{
	uint8_t *buf;
	size_t len;
	int rc;

	if (argc != 2) {
		ak_usage(stderr);
		return CLI_EXIT_ERROR;
	}
	rc = att_read_file(argv[1], 1 << 16, &buf, &len);
	if (rc) {
		cli_err("ak name: %s: %s", argv[1], strerror(-rc));
		return CLI_EXIT_ERROR;
	}
	print_name("name", buf, len);
	free(buf);
	return CLI_EXIT_OK;
}

/* The credential secret: hex in a file or on stdin, never in argv. */
static int read_secret(const char *path, uint8_t **secret, size_t *len)
{
	uint8_t *buf;
	size_t n;
	int rc = att_read_file(path, 256, &buf, &n);

	if (rc)
		return rc;
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0'; /* att_read_file leaves room: max + 1 */
	rc = att_hex_decode((char *)buf, secret, len);
	sodium_memzero(buf, n);
	free(buf);
	if (!rc && (*len < 16 || *len > 64)) {
		sodium_memzero(*secret, *len);
		free(*secret);
		*secret = NULL;
		rc = -EINVAL;
	}
	return rc;
}

static int ak_make_credential(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tcti", required_argument, NULL, 't' },
		{ "ek", required_argument, NULL, 'e' },
		{ "ak", required_argument, NULL, 'a' },
		{ "secret", required_argument, NULL, 'S' },
		{ "secret-file", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *tcti = NULL, *ekf = NULL, *akf = NULL, *sec = NULL,
		   *out = NULL;
	struct att_tpm *t = NULL;
	struct att_key *ak = NULL;
	uint8_t *ek = NULL, *secret = NULL, *cred = NULL;
	uint8_t name[64];
	size_t ek_len = 0, secret_len = 0, cred_len = 0, nlen = sizeof(name);
	char why[256];
	int c, rc, ret = CLI_EXIT_ERROR;

	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			tcti = optarg;
			break;
		case 'e':
			ekf = optarg;
			break;
		case 'a':
			akf = optarg;
			break;
		case 's':
			sec = optarg;
			break;
		case 'S':
			cli_err("ak make-credential: --secret on the command "
				"line is readable by every user (ps, "
				"/proc/PID/cmdline): use --secret-file FILE "
				"or --secret-file - (stdin)");
			return CLI_EXIT_ERROR;
		case 'o':
			out = optarg;
			break;
		default:
			ak_usage(stderr);
			return CLI_EXIT_ERROR;
		}
	}
	if (!ekf || !akf || !sec || !out || optind != argc) {
		ak_usage(stderr);
		return CLI_EXIT_ERROR;
	}
	if (read_secret(strcmp(sec, "-") ? sec : "/dev/stdin", &secret,
			&secret_len)) {
		cli_err("ak make-credential: --secret-file %s must hold 16..64 "
			"bytes of hex",
			sec);
		goto out;
	}
	if (att_key_load(akf, &ak, why, sizeof(why))) {
		cli_err("ak make-credential: %s", why);
		goto out;
	}
	/* Only a restricted, fixedTPM signing key may be certified as an AK:
	 * the name covers the attributes, so this is what gets bound. */
	if (att_key_check_ak_attributes(ak, why, sizeof(why))) {
		cli_err("ak make-credential: %s: %s", akf, why);
		goto out;
	}
	if (att_key_name(ak, name, &nlen)) {
		cli_err("ak make-credential: %s: cannot compute the AK name",
			akf);
		goto out;
	}
	rc = att_read_file(ekf, 1 << 16, &ek, &ek_len);
	if (rc) {
		cli_err("ak make-credential: %s: %s", ekf, strerror(-rc));
		goto out;
	}
	if (att_tpm_open(&t, tcti)) {
		cli_err("ak make-credential: cannot open a TPM (any TPM "
			"works: it only does public-key operations)");
		goto out;
	}
	if (att_tpm_make_credential(t, ek, ek_len, name, nlen, secret,
				    secret_len, &cred, &cred_len)) {
		cli_err("ak make-credential: MakeCredential failed");
		goto out;
	}
	rc = att_write_file(out, cred, cred_len);
	if (rc) {
		cli_err("ak make-credential: %s: %s", out, strerror(-rc));
		goto out;
	}
	ret = CLI_EXIT_OK;
out:
	if (secret)
		sodium_memzero(secret, secret_len);
	free(secret);
	free(ek);
	free(cred);
	att_key_free(ak);
	att_tpm_close(t);
	return ret;
}

static int ak_activate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tcti", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *tcti = NULL, *out = NULL;
	struct att_tpm *t = NULL;
	uint8_t *cred = NULL, *secret = NULL;
	size_t cred_len = 0, secret_len = 0;
	int c, rc, ret = CLI_EXIT_ERROR;

	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			tcti = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		default:
			ak_usage(stderr);
			return CLI_EXIT_ERROR;
		}
	}
	if (optind != argc - 1) {
		ak_usage(stderr);
		return CLI_EXIT_ERROR;
	}
	rc = att_read_file(argv[optind], 1 << 16, &cred, &cred_len);
	if (rc) {
		cli_err("ak activate: %s: %s", argv[optind], strerror(-rc));
		return CLI_EXIT_ERROR;
	}
	if (att_tpm_open(&t, tcti)) {
		cli_err("ak activate: cannot open the TPM");
		goto out;
	}
	if (att_tpm_activate(t, cred, cred_len, &secret, &secret_len)) {
		cli_err("ak activate: ActivateCredential refused: the "
			"credential was not made for this TPM's EK and AK");
		ret = CLI_EXIT_FAIL;
		goto out;
	}
	if (out) {
		rc = att_write_private(out, secret, secret_len);
		if (rc) {
			cli_err("ak activate: %s: %s", out, strerror(-rc));
			goto out;
		}
	} else {
		char *h = malloc(2 * secret_len + 1);

		if (!h)
			goto out;
		sodium_bin2hex(h, 2 * secret_len + 1, secret, secret_len);
		printf("%s\n", h);
		free(h);
	}
	ret = CLI_EXIT_OK;
out:
	if (secret)
		sodium_memzero(secret, secret_len);
	free(secret);
	free(cred);
	att_tpm_close(t);
	return ret;
}

static int cmd_ak(int argc, char **argv)
{
	if (argc < 2) {
		ak_usage(stderr);
		return CLI_EXIT_ERROR;
	}
	if (sodium_init() < 0) {
		cli_err("ak: libsodium init failed");
		return CLI_EXIT_ERROR;
	}
	if (!strcmp(argv[1], "create"))
		return ak_create(argc - 1, argv + 1);
	if (!strcmp(argv[1], "name"))
		return ak_name(argc - 1, argv + 1);
	if (!strcmp(argv[1], "make-credential"))
		return ak_make_credential(argc - 1, argv + 1);
	if (!strcmp(argv[1], "activate"))
		return ak_activate(argc - 1, argv + 1);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		ak_usage(stdout);
		return CLI_EXIT_OK;
	}
	ak_usage(stderr);
	return CLI_EXIT_ERROR;
}

CLI_COMMAND(ak, "ak", "attestation key: create, make-credential, activate",
	    cmd_ak)
