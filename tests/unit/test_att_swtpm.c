// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_att_swtpm.c - end-to-end attestation against a swtpm this suite
 * starts and stops (host userspace). With no hypervisor on the host, the
 * suite plays the kernel's part: it extends PCR 12 in every bank with
 * tpm2_pcrextend and writes the matching event log with the pure encoder,
 * plus a small firmware log for PCRs 0-7. Then it drives the real `thinhv`
 * binary ($THINHV_CLI) and the stock tools (tpm2_checkquote, tpm2_eventlog,
 * tpm2_makecredential) and tampers with the evidence.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sodium.h>

#include "unit.h"
#include "attest/lib/att.h"
#include "thinhv/tcg_log.h"

static char dir[] = "/tmp/thinhv-att-XXXXXX";
static char tcti[192];
static const char *cli;
static pid_t swtpm_pid = -1;
static int ready;
static uint8_t pcr12[32];     /* expected SHA-256 PCR 12 after launch */
static uint8_t fw_pcr[8][32]; /* expected PCRs 0-7 */
static uint8_t meas[3][32];   /* SHA-256 of hypervisor, policy, state */
static const char nonce[] = "6e6f6e63652d666f722d74657374732d31";

/* Run a shell command; its stdout+stderr (truncated) in out, exit status
 * returned (-1 when it did not exit normally). */
static int run(char *out, size_t outlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int run(char *out, size_t outlen, const char *fmt, ...)
{
	char cmd[4096];
	size_t n = 0;
	va_list ap;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd) - 8, fmt, ap);
	va_end(ap);
	strcat(cmd, " 2>&1");
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (out && outlen) {
		n = fread(out, 1, outlen - 1, p);
		out[n] = '\0';
	}
	{
		char sink[512];

		while (fread(sink, 1, sizeof(sink), p) > 0)
			;
	}
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * swtpm on a UNIX socket in the suite's private directory: nothing listens
 * on a network port (no check-then-bind race, no other local user can
 * connect), and the TCTI is one thinhv accepts without
 * THINHV_TCTI_ALLOW_NETWORK. swtpm_setup's local CA keeps its state and
 * signing key under the suite's directory (its own --config), not in the
 * runner's home or /var/lib/swtpm-localca.
 */
static int start_swtpm(void)
{
	char state[128], srv[160], ctrl[160], logf[160], sock[128];
	struct stat st;

	snprintf(sock, sizeof(sock), "%s/tpm.sock", dir);
	/* Manufacture the TPM like a vendor would: EK certificate from a
	 * local CA whose key lives in the suite's directory, all four PCR
	 * banks active. */
	if (run(NULL, 0,
		"cd %s && mkdir -p localca && "
		"printf 'create_certs_tool = /usr/bin/swtpm_localca\\n"
		"create_certs_tool_config = %s/localca.conf\\n"
		"create_certs_tool_options = %s/localca.options\\n' "
		"> setup.conf && "
		"printf 'statedir = %s/localca\\nsigningkey = "
		"%s/localca/signkey.pem\\nissuercert = "
		"%s/localca/issuercert.pem\\ncertserial = "
		"%s/localca/certserial\\n' > localca.conf && "
		"printf -- '--platform-manufacturer thinhv-test\\n"
		"--platform-version 2.1\\n--platform-model QEMU\\n' "
		"> localca.options && "
		"swtpm_setup --tpm2 --config %s/setup.conf --tpmstate %s "
		"--create-ek-cert --pcr-banks sha1,sha256,sha384,sha512 "
		"--overwrite",
		dir, dir, dir, dir, dir, dir, dir, dir, dir))
		return -1;
	snprintf(state, sizeof(state), "dir=%s", dir);
	snprintf(srv, sizeof(srv), "type=unixio,path=%s", sock);
	snprintf(ctrl, sizeof(ctrl), "type=unixio,path=%s.ctrl", sock);
	snprintf(logf, sizeof(logf), "%s/swtpm.out", dir);
	swtpm_pid = fork();
	if (swtpm_pid < 0)
		return -1;
	if (swtpm_pid == 0) {
		int fd = open(logf, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		/* if the runner dies, swtpm goes with it */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execlp("swtpm", "swtpm", "socket", "--tpm2", "--server", srv,
		       "--ctrl", ctrl, "--flags", "not-need-init,startup-clear",
		       "--tpmstate", state, (char *)NULL);
		_exit(127);
	}
	/* bounded wait for the server socket: 10 s */
	for (int i = 0; i < 200; i++) {
		int wst;

		if (waitpid(swtpm_pid, &wst, WNOHANG) == swtpm_pid) {
			swtpm_pid = -1;
			return -1;
		}
		if (!stat(sock, &st) && S_ISSOCK(st.st_mode)) {
			snprintf(tcti, sizeof(tcti), "swtpm:path=%s", sock);
			setenv("TPM2TOOLS_TCTI", tcti, 1);
			setenv("THINHV_TCTI", tcti, 1);
			return 0;
		}
		usleep(50000);
	}
	return -1;
}

static void stop_swtpm(void)
{
	if (swtpm_pid > 0) {
		kill(swtpm_pid, SIGTERM);
		waitpid(swtpm_pid, NULL, 0);
	}
	swtpm_pid = -1;
}

static int write_file(const char *name, const void *p, size_t n)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return att_write_file(path, p, n);
}

static void hexs(const uint8_t *p, size_t n, char *out)
{
	sodium_bin2hex(out, 2 * n + 1, p, n);
}

static void extend_expect(uint8_t pcr[32], const uint8_t d[32])
{
	uint8_t tmp[64];

	memcpy(tmp, pcr, 32);
	memcpy(tmp + 32, d, 32);
	crypto_hash_sha256(pcr, tmp, 64);
}

/* The measured bytes of the launch: hypervisor, policy, isolation state. */
static const char *const launch_data[3] = {
	"thinhv hypervisor image (test stand-in)",
	"thinhv policy blob (test stand-in)",
	"devices:0000:00:02.0=dom1;ranges:0x1000-0x1fff",
};

/* The thinhv log as the "kernel" keeps it: launch, then runtime swaps. */
static uint8_t thinhv_buf[8192];
static struct att_log thinhv_log;

/*
 * What thinhv.ko does for one measurement, in every bank swtpm has
 * allocated: extend PCR 12, then log the record. sha256 (may be NULL)
 * gets the SHA-256 digest.
 */
static int measure(uint32_t tag, const char *data, uint8_t *sha256)
{
	static const char *const md[4] = { "SHA1", "SHA256", "SHA384",
					   "SHA512" };
	static const char *const tname[4] = { "sha1", "sha256", "sha384",
					      "sha512" };
	uint8_t d[4][64];
	const uint8_t *dp[4] = { d[0], d[1], d[2], d[3] };
	char cmd[1024], out[512], hx[4][129];

	for (int b = 0; b < 4; b++) {
		unsigned int dl = 0;

		if (!EVP_Digest(data, strlen(data), d[b], &dl,
				EVP_get_digestbyname(md[b]), NULL) ||
		    dl != thinhv_log.banks[b].size)
			return -1;
		hexs(d[b], dl, hx[b]);
	}
	snprintf(cmd, sizeof(cmd), "tpm2_pcrextend %d:%s=%s,%s=%s,%s=%s,%s=%s",
		 ATT_THINHV_PCR, tname[0], hx[0], tname[1], hx[1], tname[2],
		 hx[2], tname[3], hx[3]);
	if (run(out, sizeof(out), "%s", cmd)) {
		fprintf(stderr, "\n%s: %s\n", cmd, out);
		return -1;
	}
	if (att_log_append_tag(&thinhv_log, tag, dp))
		return -1;
	extend_expect(pcr12, d[1]);
	if (sha256)
		memcpy(sha256, d[1], 32);
	return 0;
}

/* What thinhv.ko does at launch. */
static int simulate_launch(void)
{
	static const struct att_bank banks[4] = {
		{ ATT_ALG_SHA1, 20 },
		{ ATT_ALG_SHA256, 32 },
		{ ATT_ALG_SHA384, 48 },
		{ ATT_ALG_SHA512, 64 },
	};
	static const uint32_t tags[3] = { ATT_TAG_HYPERVISOR, ATT_TAG_POLICY,
					  ATT_TAG_ISOLATION };

	if (att_log_init(&thinhv_log, thinhv_buf, sizeof(thinhv_buf), banks, 4))
		return -1;
	memset(pcr12, 0, sizeof(pcr12));
	for (int i = 0; i < 3; i++)
		if (measure(tags[i], launch_data[i], meas[i]))
			return -1;
	return write_file("thinhv.log", thinhv_buf, thinhv_log.len);
}

/* A SHA-256-only firmware log for PCRs 0-7, extended to match. */
static int simulate_firmware(void)
{
	const struct att_bank b = { ATT_ALG_SHA256, 32 };
	uint8_t buf[4096], d[32], sl[17];
	const uint8_t *dp[1] = { d };
	struct att_log log;
	char hx[65], out[512];

	if (att_log_init(&log, buf, sizeof(buf), &b, 1))
		return -1;
	memcpy(sl, "StartupLocality", 16);
	sl[16] = 0; /* swtpm starts at locality 0 */
	memset(d, 0, sizeof(d));
	if (att_log_append(&log, 0, TCG_EV_NO_ACTION, dp, sl, sizeof(sl)))
		return -1;
	memset(fw_pcr, 0, sizeof(fw_pcr));
	for (int pcr = 0; pcr < 8; pcr++) {
		uint32_t sep = 0;

		crypto_hash_sha256(d, (const uint8_t *)&pcr, sizeof(pcr));
		hexs(d, 32, hx);
		if (run(out, sizeof(out), "tpm2_pcrextend %d:sha256=%s", pcr,
			hx))
			return -1;
		if (att_log_append(&log, (uint32_t)pcr, TCG_EV_POST_CODE, dp,
				   "fw", 2))
			return -1;
		extend_expect(fw_pcr[pcr], d);
		crypto_hash_sha256(d, (const uint8_t *)&sep, sizeof(sep));
		hexs(d, 32, hx);
		if (run(out, sizeof(out), "tpm2_pcrextend %d:sha256=%s", pcr,
			hx))
			return -1;
		if (att_log_append(&log, (uint32_t)pcr, TCG_EV_SEPARATOR, dp,
				   &sep, sizeof(sep)))
			return -1;
		extend_expect(fw_pcr[pcr], d);
	}
	return write_file("firmware.log", buf, log.len);
}

static int write_reference_state(const char *name, const uint8_t *policy,
				 const uint8_t *isolation)
{
	char text[2048], h[65];
	size_t n = 0;

	hexs(meas[0], 32, h);
	n += (size_t)snprintf(text + n, sizeof(text) - n,
			      "# test reference\nhypervisor sha256:%s\n", h);
	hexs(policy, 32, h);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "policy sha256:%s\n",
			      h);
	hexs(isolation, 32, h);
	n += (size_t)snprintf(text + n, sizeof(text) - n,
			      "isolation-state sha256:%s\n", h);
	for (int i = 0; i < 8; i++) {
		hexs(fw_pcr[i], 32, h);
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "pcr%d sha256:%s\n", i, h);
	}
	return write_file(name, text, n);
}

static int write_reference(const char *name, const uint8_t *policy)
{
	return write_reference_state(name, policy, meas[2]);
}

static int suite_cleanup(void);

/* CUnit skips cleanup when init fails: stop swtpm on that path too. */
static int init_failed(void)
{
	suite_cleanup();
	return -1;
}

static int suite_init(void)
{
	char out[2048], report[256], h[65];

	if (sodium_init() < 0)
		return -1;
	/* tss2-mu logs every refusal of the byte-flip test otherwise */
	setenv("TSS2_LOG", "all+none", 0);
	cli = getenv("THINHV_CLI");
	if (!cli || !mkdtemp(dir)) {
		fprintf(stderr, "att_swtpm: THINHV_CLI unset or no tmp dir\n");
		return -1;
	}
	if (start_swtpm()) {
		char log[1024] = "";

		run(log, sizeof(log), "cat %s/swtpm.out", dir);
		fprintf(stderr,
			"att_swtpm: cannot start swtpm (installed by "
			"scripts/deps.sh): %s\n",
			log);
		return init_failed();
	}
	if (simulate_firmware() || simulate_launch())
		return init_failed();
	/* the report states the isolation digest the "kernel" measured */
	hexs(meas[2], 32, h);
	snprintf(report, sizeof(report),
		 "{\"devices\":[{\"bdf\":\"0000:00:02.0\",\"domain\":1}],"
		 "\"enforcing\":true,\"" ATT_REPORT_ISO_KEY "\":\"%s\","
		 "\"version\":1}",
		 h);
	if (write_file("report.json", report, strlen(report)) ||
	    write_reference("ref.txt", meas[1]))
		return init_failed();
	if (run(out, sizeof(out),
		"cd %s && %s ak create -o ak.pub --pem ak.pem --ek ek.pub "
		"--ek-pem ek.pem",
		dir, cli) ||
	    run(out, sizeof(out),
		"cd %s && %s attest --nonce %s -o ev.bin --report report.json "
		"--thinhv-log thinhv.log --firmware-log firmware.log",
		dir, cli, nonce)) {
		fprintf(stderr, "att_swtpm: setup failed: %s\n", out);
		return init_failed();
	}
	ready = 1;
	return 0;
}

static int suite_cleanup(void)
{
	stop_swtpm();
	/* THINHV_TEST_KEEP=1 keeps the evidence for inspection */
	if (strchr(dir, 'X') == NULL && !getenv("THINHV_TEST_KEEP"))
		run(NULL, 0, "rm -rf %s", dir);
	return 0;
}

/* Verify BUNDLE in dir; returns the exit status, output in out. */
static int verify(char *out, size_t outlen, const char *bundle,
		  const char *extra)
{
	return run(out, outlen,
		   "cd %s && %s verify %s --ak ak.pub --nonce %s %s", dir, cli,
		   bundle, nonce, extra ? extra : "");
}

/* --check-verdict VERDICT against BUNDLE and NONCE; the exit status. */
static int check_verdict(char *out, size_t outlen, const char *verdict,
			 const char *pk, const char *bundle, const char *n)
{
	return run(out, outlen,
		   "cd %s && %s verify %s --nonce %s --check-verdict %s "
		   "--pubkey %s",
		   dir, cli, bundle, n, verdict, pk);
}

static int check_is(const char *out, const char *name, const char *status)
{
	char want[64];
	const char *p;

	snprintf(want, sizeof(want), "check %s ", name);
	p = strstr(out, want);
	if (!p)
		return 0;
	p += strlen(want);
	while (*p == ' ')
		p++;
	return !strncmp(p, status, strlen(status));
}

static void test_verify_passes(void)
{
	char out[8192];
	int rc;

	CU_ASSERT_FATAL(ready);
	rc = verify(out, sizeof(out), "ev.bin", "--reference ref.txt");
	if (rc != 0)
		fprintf(stderr, "\n%s\n", out);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(strstr(out, "\nverdict: PASS\n") != NULL);
	CU_ASSERT(check_is(out, "thinhv-log", "PASS"));
	CU_ASSERT(check_is(out, "firmware-log", "PASS"));
	CU_ASSERT(check_is(out, "policy-digest", "PASS"));
	CU_ASSERT(check_is(out, "reference-pcrs", "PASS"));
	CU_ASSERT(check_is(out, "runtime-policy", "PASS"));
	CU_ASSERT(strstr(out, "no runtime policy change") != NULL);
	/* PEM AK works too, with a warning: its attributes are unknown */
	rc = run(out, sizeof(out),
		 "cd %s && %s verify ev.bin --ak ak.pem --nonce %s "
		 "--reference ref.txt",
		 dir, cli, nonce);
	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT(check_is(out, "ak-attributes", "WARN"));
	CU_ASSERT(strstr(out, "\nverdict: PASS\n") != NULL);
	/* no reference: pass with skipped checks -> exit 1 */
	CU_ASSERT_EQUAL(verify(out, sizeof(out), "ev.bin", NULL), 1);
	CU_ASSERT(check_is(out, "hypervisor-digest", "SKIP"));
	/* a pretty-printed report is quoted in canonical form */
	CU_ASSERT_EQUAL(
	    run(out, sizeof(out),
		"cd %s && printf '{\\n \"version\": 1,\\n "
		"\"enforcing\": true }\\n' > pretty.json && %s "
		"attest --nonce %s -o ev-pretty.bin --report "
		"pretty.json --thinhv-log thinhv.log --firmware-log "
		"firmware.log && %s verify ev-pretty.bin --extract "
		"xp && cat xp/report.json",
		dir, cli, nonce, cli),
	    0);
	CU_ASSERT(strstr(out, "{\"enforcing\":true,\"version\":1}") != NULL);
	/* it states no isolation digest: that check is skipped (exit 1) */
	CU_ASSERT_EQUAL(
	    verify(out, sizeof(out), "ev-pretty.bin", "--reference ref.txt"),
	    1);
	CU_ASSERT(check_is(out, "report-isolation", "SKIP"));
	CU_ASSERT(strstr(out, "\nverdict: PASS\n") != NULL);
}

/* The suite leaves nothing behind: the EK's CA key is in its directory,
 * and the TPM is reached over a UNIX socket, never a TCP port. */
static void test_swtpm_private(void)
{
	char p[256];
	struct stat st;

	CU_ASSERT_FATAL(ready);
	snprintf(p, sizeof(p), "%s/localca/signkey.pem", dir);
	CU_ASSERT_EQUAL(stat(p, &st), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(tcti, "swtpm:path="));
}

static void test_stock_checkquote(void)
{
	char out[4096];

	CU_ASSERT_FATAL(ready);
	CU_ASSERT_EQUAL_FATAL(run(out, sizeof(out),
				  "cd %s && %s verify ev.bin --extract x "
				  "--nonce %s",
				  dir, cli, nonce),
			      0);
	CU_ASSERT_EQUAL(run(out, sizeof(out),
			    "cd %s/x && tpm2_checkquote -u ak.pem -m quote.msg "
			    "-s quote.sig -f pcrs.tpm2-tools -g sha256 -q "
			    "$(cat qualification.hex)",
			    dir),
			0);
	/* the AK as TPM2B_PUBLIC, as `thinhv ak create` exported it */
	CU_ASSERT_EQUAL(run(out, sizeof(out),
			    "cd %s/x && tpm2_checkquote -u ../ak.pub -m "
			    "quote.msg -s quote.sig -f pcrs.tpm2-tools -g "
			    "sha256 -q $(cat qualification.hex)",
			    dir),
			0);
	/* and it really checks: another nonce is refused */
	CU_ASSERT_NOT_EQUAL(run(out, sizeof(out),
				"cd %s/x && tpm2_checkquote -u ak.pem -m "
				"quote.msg -s quote.sig -f pcrs.tpm2-tools -g "
				"sha256 -q 00112233",
				dir),
			    0);
}

static void test_stock_eventlog(void)
{
	char out[16384], want[80], h[65], *p;

	CU_ASSERT_FATAL(ready);
	CU_ASSERT_EQUAL(
	    run(out, sizeof(out), "tpm2_eventlog %s/x/thinhv.log", dir), 0);
	CU_ASSERT(strstr(out, "Spec ID Event03") != NULL);
	/* tpm2_eventlog's own replay of the SHA-256 bank of PCR 12 ... */
	hexs(pcr12, 32, h);
	snprintf(want, sizeof(want), "12 : 0x%s", h);
	for (p = out; *p; p++)
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
	p = strstr(out, "sha256:");
	while (p && strstr(p + 1, "sha256:"))
		p = strstr(p + 1, "sha256:"); /* the final pcrs: section */
	if (!p || !strstr(p, want))
		fprintf(stderr, "\nwant '%s' in:\n%s\n", want, out);
	CU_ASSERT(p && strstr(p, want) != NULL);
	/* ... equals the quoted PCR 12 read back from the TPM */
	CU_ASSERT_EQUAL(
	    run(out, sizeof(out), "tpm2_pcrread sha256:%d", ATT_THINHV_PCR), 0);
	for (p = out; *p; p++)
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
	CU_ASSERT(strstr(out, h) != NULL);
	CU_ASSERT_EQUAL(
	    run(out, sizeof(out), "tpm2_eventlog %s/x/firmware.log", dir), 0);
}

static void test_credential(void)
{
	char out[2048];

	CU_ASSERT_FATAL(ready);
	CU_ASSERT_EQUAL(run(out, sizeof(out),
			    "cd %s && echo 00112233445566778899aabbccddeeff | "
			    "%s ak make-credential --ek ek.pub --ak ak.pub "
			    "--secret-file - -o cred.bin",
			    dir, cli),
			0);
	/* the secret never travels in argv, where every user can read it */
	CU_ASSERT_EQUAL(run(out, sizeof(out),
			    "cd %s && %s ak make-credential --ek ek.pub --ak "
			    "ak.pub --secret 00112233445566778899aabbccddeeff "
			    "-o cred9.bin",
			    dir, cli),
			4);
	CU_ASSERT(strstr(out, "--secret-file") != NULL);
	CU_ASSERT_EQUAL(
	    run(out, sizeof(out), "cd %s && %s ak activate cred.bin", dir, cli),
	    0);
	CU_ASSERT(strstr(out, "00112233445566778899aabbccddeeff") != NULL);
	/* independent implementation: tpm2-tools in software (-T none) */
	CU_ASSERT_EQUAL(run(out, sizeof(out),
			    "cd %s && printf 'sixteen-byte-sec' > sec.bin && "
			    "tpm2_makecredential -T none -u ek.pem -G rsa -s "
			    "sec.bin -n $(%s ak name ak.pub | cut -d' ' -f2) "
			    "-o cred2.bin",
			    dir, cli),
			0);
	CU_ASSERT_EQUAL(run(out, sizeof(out),
			    "cd %s && %s ak activate cred2.bin -o sec.out && "
			    "cmp sec.bin sec.out && "
			    "test \"$(stat -c %%a sec.out)\" = 600",
			    dir, cli),
			0);
	/* the recovered secret is private and never overwrites a file */
	CU_ASSERT_EQUAL(run(out, sizeof(out),
			    "cd %s && %s ak activate cred2.bin -o sec.out", dir,
			    cli),
			4);
	CU_ASSERT(strstr(out, "exists") != NULL);
	/* a credential for another key's name is refused by the TPM */
	CU_ASSERT_EQUAL(run(out, sizeof(out),
			    "cd %s && tpm2_makecredential -T none -u ek.pem -G "
			    "rsa -s sec.bin -n $(%s ak name ek.pub | cut -d' ' "
			    "-f2) -o cred3.bin",
			    dir, cli),
			0);
	CU_ASSERT_EQUAL(run(out, sizeof(out),
			    "cd %s && %s ak activate cred3.bin", dir, cli),
			2);
	/* a non-restricted or foreign key is not certified */
	CU_ASSERT_EQUAL(run(out, sizeof(out),
			    "cd %s && echo 00112233445566778899aabbccddeeff > "
			    "secret.hex && %s ak make-credential --ek ek.pub "
			    "--ak ek.pub --secret-file secret.hex -o cred4.bin",
			    dir, cli),
			4);
}

/* The EK the credential exchange uses is the one the vendor certified. */
static void test_ek_cert(void)
{
	char out[2048], path[256], why[256];
	struct att_key *ek = NULL;
	const uint8_t *p;
	uint8_t *der = NULL;
	size_t len = 0;
	X509 *cert = NULL, *issuer = NULL;
	FILE *f;

	CU_ASSERT_FATAL(ready);
	CU_ASSERT_EQUAL_FATAL(run(out, sizeof(out),
				  "cd %s && %s ak create --ek-cert ek.der", dir,
				  cli),
			      0);
	snprintf(path, sizeof(path), "%s/ek.der", dir);
	CU_ASSERT_EQUAL_FATAL(att_read_file(path, 1 << 16, &der, &len), 0);
	p = der;
	cert = d2i_X509(NULL, &p, (long)len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(cert);
	snprintf(path, sizeof(path), "%s/ek.pem", dir);
	CU_ASSERT_EQUAL_FATAL(att_key_load(path, &ek, why, sizeof(why)), 0);
	CU_ASSERT_EQUAL(EVP_PKEY_eq(X509_get0_pubkey(cert), att_key_pkey(ek)),
			1);
	/* signed by the suite's own swtpm-localca issuer */
	snprintf(path, sizeof(path), "%s/localca/issuercert.pem", dir);
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	issuer = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(issuer);
	if (issuer)
		CU_ASSERT_EQUAL(X509_verify(cert, X509_get0_pubkey(issuer)), 1);
	X509_free(issuer);
	X509_free(cert);
	free(der);
	att_key_free(ek);
	/* no reachable TPM: an error, nothing written */
	CU_ASSERT_EQUAL(run(out, sizeof(out),
			    "%s ak create --ek-cert /dev/null "
			    "--tcti swtpm:host=127.0.0.1,port=1",
			    cli),
			4);
}

/* Replace part type of ev.bin with data and write it as name. */
static int rebuild(const char *name, unsigned int type, const uint8_t *data,
		   size_t len)
{
	char path[256];
	uint8_t *buf, *nb;
	size_t blen, nlen;
	struct att_evidence ev;
	struct att_err err = { 0, NULL };
	int rc;

	snprintf(path, sizeof(path), "%s/ev.bin", dir);
	if (att_read_file(path, 1 << 24, &buf, &blen))
		return -1;
	rc = att_evidence_parse(buf, blen, &ev, &err);
	if (!rc) {
		ev.part[type].p = data;
		ev.part[type].len = len;
		ev.part[type].present = true;
		rc = att_evidence_build(&ev, &nb, &nlen);
		if (!rc) {
			rc = write_file(name, nb, nlen);
			free(nb);
		}
	}
	free(buf);
	return rc;
}

static int read_part(const char *file, uint8_t **p, size_t *n)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/x/%s", dir, file);
	return att_read_file(path, 1 << 24, p, n);
}

struct rec_offsets {
	unsigned int n;
	size_t rec[4];
	size_t sha256[4];
	const uint8_t *base;
};

static int rec_cb(void *ctx, const struct att_event *ev)
{
	struct rec_offsets *ro = ctx;
	const uint8_t *d = att_event_digest(ev, ATT_ALG_SHA256);

	if (ro->n >= 4 || !d)
		return -EINVAL;
	/* digests point into the parsed buffer */
	ro->rec[ro->n] = ev->offset;
	ro->sha256[ro->n] = (size_t)(d - ro->base);
	ro->n++;
	return 0;
}

static void expect_fail(const char *bundle, const char *extra,
			const char *check)
{
	char out[8192];
	int rc = verify(out, sizeof(out), bundle, extra);

	if (rc != 2 || !check_is(out, check, "FAIL"))
		fprintf(stderr, "\n%s: want %s FAIL, rc %d:\n%s\n", bundle,
			check, rc, out);
	CU_ASSERT_EQUAL(rc, 2);
	CU_ASSERT(check_is(out, check, "FAIL"));
	CU_ASSERT(strstr(out, "\nverdict: FAIL\n") != NULL);
}

static int write_other_key(const char *name)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	char path[256];
	FILE *f;
	int ok;

	if (!k)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ok = f && PEM_write_PUBKEY(f, k);
	if (f)
		fclose(f);
	EVP_PKEY_free(k);
	return ok ? 0 : -1;
}

static void test_adversarial(void)
{
	static const char other_nonce[] = "0102030405060708090a";
	char out[8192], ref2[2048];
	uint8_t *p, pol[32];
	size_t n;
	int rc;

	CU_ASSERT_FATAL(ready);
	/* replayed evidence: the auditor's fresh nonce differs */
	rc = run(out, sizeof(out),
		 "cd %s && %s verify ev.bin --ak ak.pub --nonce %s", dir, cli,
		 other_nonce);
	CU_ASSERT_EQUAL(rc, 2);
	CU_ASSERT(check_is(out, "nonce", "FAIL"));
	CU_ASSERT(check_is(out, "signature", "PASS"));

	/* tampered report (still canonical JSON) */
	{
		static const char r[] = "{\"devices\":[],\"enforcing\":true,"
					"\"version\":1}";

		CU_ASSERT_EQUAL_FATAL(rebuild("ev-report.bin", ATT_PART_REPORT,
					      (const uint8_t *)r, strlen(r)),
				      0);
		expect_fail("ev-report.bin", NULL, "nonce");
	}
	/* tampered event log: one bit of the policy's SHA-256 digest */
	CU_ASSERT_EQUAL_FATAL(read_part("thinhv.log", &p, &n), 0);
	{
		struct rec_offsets ro = { .base = p };
		struct att_err err = { 0, NULL };

		CU_ASSERT_EQUAL_FATAL(
		    att_log_parse(p, n, NULL, rec_cb, &ro, &err), 0);
		CU_ASSERT_EQUAL_FATAL(ro.n, 3);
		p[ro.sha256[1]] ^= 1;
		CU_ASSERT_EQUAL_FATAL(
		    rebuild("ev-log.bin", ATT_PART_THINHV_LOG, p, n), 0);
		expect_fail("ev-log.bin", NULL, "thinhv-log");
		p[ro.sha256[1]] ^= 1;
		/* a log whose last record (isolation state) is dropped */
		CU_ASSERT_EQUAL_FATAL(
		    rebuild("ev-short.bin", ATT_PART_THINHV_LOG, p, ro.rec[2]),
		    0);
		expect_fail("ev-short.bin", NULL, "thinhv-log");
	}
	free(p);
	/* tampered PCR value */
	CU_ASSERT_EQUAL_FATAL(read_part("pcrs.thinhv", &p, &n), 0);
	p[n - 1] ^= 0x80;
	CU_ASSERT_EQUAL_FATAL(rebuild("ev-pcr.bin", ATT_PART_PCRS, p, n), 0);
	expect_fail("ev-pcr.bin", NULL, "pcr-digest");
	free(p);
	/* tampered firmware log */
	CU_ASSERT_EQUAL_FATAL(read_part("firmware.log", &p, &n), 0);
	p[n - 10] ^= 1;
	CU_ASSERT_EQUAL_FATAL(rebuild("ev-fw.bin", ATT_PART_FW_LOG, p, n), 0);
	expect_fail("ev-fw.bin", NULL, "firmware-log");
	free(p);

	/* a report, quoted honestly, that lies about the isolation state */
	{
		char lie[256];

		snprintf(lie, sizeof(lie),
			 "{\"enforcing\":true,\"" ATT_REPORT_ISO_KEY
			 "\":\"%064d\",\"version\":1}",
			 7);
		CU_ASSERT_EQUAL_FATAL(write_file("lie.json", lie, strlen(lie)),
				      0);
		CU_ASSERT_EQUAL_FATAL(run(out, sizeof(out),
					  "cd %s && %s attest --nonce %s -o "
					  "ev-lie.bin --report lie.json "
					  "--thinhv-log thinhv.log "
					  "--firmware-log firmware.log",
					  dir, cli, nonce),
				      0);
		expect_fail("ev-lie.bin", "--reference ref.txt",
			    "report-isolation");
	}

	/* wrong AK: a fresh P-256 key that never saw the TPM */
	CU_ASSERT_EQUAL_FATAL(write_other_key("other.pem"), 0);
	rc = run(out, sizeof(out),
		 "cd %s && %s verify ev.bin --ak other.pem --nonce %s", dir,
		 cli, nonce);
	CU_ASSERT_EQUAL(rc, 2);
	CU_ASSERT(check_is(out, "ak", "FAIL"));
	CU_ASSERT(check_is(out, "signature", "FAIL"));

	/* different policy than the reference */
	memcpy(pol, meas[1], 32);
	pol[0] ^= 0xff;
	CU_ASSERT_EQUAL_FATAL(write_reference("ref-other.txt", pol), 0);
	expect_fail("ev.bin", "--reference ref-other.txt", "policy-digest");
	/* bad reference file is an auditor error, with file:line */
	snprintf(ref2, sizeof(ref2), "policy sha256:12\n");
	write_file("ref-bad.txt", ref2, strlen(ref2));
	rc = verify(out, sizeof(out), "ev.bin", "--reference ref-bad.txt");
	CU_ASSERT_EQUAL(rc, 4);
	CU_ASSERT(strstr(out, "ref-bad.txt:1:") != NULL);

	/* truncated and garbage bundles */
	CU_ASSERT_EQUAL(run(out, sizeof(out),
			    "cd %s && head -c 300 ev.bin > ev-trunc.bin && "
			    "head -c 10 ev.bin > ev-tiny.bin && head -c 4096 "
			    "/dev/urandom > ev-garbage.bin && : > ev-empty.bin",
			    dir),
			0);
	expect_fail("ev-trunc.bin", NULL, "bundle");
	expect_fail("ev-tiny.bin", NULL, "bundle");
	expect_fail("ev-garbage.bin", NULL, "bundle");
	expect_fail("ev-empty.bin", NULL, "bundle");
	rc = verify(out, sizeof(out), "ev-trunc.bin", NULL);
	CU_ASSERT(strstr(out, "byte offset") != NULL);
}

static void test_signed_verdict(void)
{
	char out[8192], pk[128];
	int rc;

	CU_ASSERT_FATAL(ready);
	CU_ASSERT_EQUAL_FATAL(run(pk, sizeof(pk),
				  "cd %s && %s verify --gen-sign-key sign.key",
				  dir, cli),
			      0);
	pk[strcspn(pk, "\n")] = '\0';
	CU_ASSERT_EQUAL(verify(out, sizeof(out), "ev.bin",
			       "--reference ref.txt --sign-key sign.key -o "
			       "verdict.txt"),
			0);
	CU_ASSERT(strstr(out, "ed25519-signature: ") != NULL);
	CU_ASSERT_EQUAL(
	    check_verdict(out, sizeof(out), "verdict.txt", pk, "ev.bin", nonce),
	    0);
	CU_ASSERT(strstr(out, "verdict-signature: PASS") != NULL);
	CU_ASSERT(strstr(out, "verdict-evidence: PASS") != NULL);
	CU_ASSERT(strstr(out, "verdict-nonce: PASS") != NULL);
	/* flip the verdict line: signature no longer verifies */
	rc = run(out, sizeof(out),
		 "cd %s && sed 's/^check bundle  *PASS/check bundle FAIL/' "
		 "verdict.txt > verdict2.txt",
		 dir);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	rc = check_verdict(out, sizeof(out), "verdict2.txt", pk, "ev.bin",
			   nonce);
	CU_ASSERT_EQUAL(rc, 2);
	CU_ASSERT(strstr(out, "verdict-signature: FAIL") != NULL);
}

/*
 * A signed PASS counts only for the bundle and the nonce it was signed
 * for: replaying an old verdict (another bundle, an earlier nonce) to the
 * auditor is refused, with the reason.
 */
static void test_signed_verdict_binding(void)
{
	static const char other_nonce[] = "0102030405060708090a";
	char out[8192], pk[128], upper[sizeof(nonce)];
	int rc;

	CU_ASSERT_FATAL(ready);
	CU_ASSERT_EQUAL_FATAL(run(pk, sizeof(pk),
				  "cd %s && %s verify --gen-sign-key bind.key",
				  dir, cli),
			      0);
	pk[strcspn(pk, "\n")] = '\0';
	/* a PASS (with a skipped check) signed for another bundle */
	CU_ASSERT_EQUAL_FATAL(verify(out, sizeof(out), "ev-pretty.bin",
				     "--reference ref.txt --sign-key bind.key "
				     "-o verdict-pretty.txt"),
			      1);
	CU_ASSERT_EQUAL(check_verdict(out, sizeof(out), "verdict-pretty.txt",
				      pk, "ev-pretty.bin", nonce),
			0);
	rc = check_verdict(out, sizeof(out), "verdict-pretty.txt", pk, "ev.bin",
			   nonce);
	if (rc != 2)
		fprintf(stderr, "\n%s\n", out);
	CU_ASSERT_EQUAL(rc, 2);
	CU_ASSERT(strstr(out, "verdict-signature: PASS") != NULL);
	CU_ASSERT(strstr(out, "verdict-evidence: FAIL  signed for the bundle "
			      "with SHA-256 ") != NULL);
	CU_ASSERT(strstr(out, "verdict-nonce: PASS") != NULL);
	/* the right bundle, but the auditor's nonce is a fresh one */
	rc = check_verdict(out, sizeof(out), "verdict-pretty.txt", pk,
			   "ev-pretty.bin", other_nonce);
	CU_ASSERT_EQUAL(rc, 2);
	CU_ASSERT(strstr(out, "verdict-evidence: PASS") != NULL);
	CU_ASSERT(strstr(out, "verdict-nonce: FAIL  signed for nonce ") !=
		  NULL);
	/* the nonce is compared as bytes, not as the hex the user typed */
	for (size_t i = 0; i < sizeof(nonce); i++)
		upper[i] = (char)(nonce[i] >= 'a' && nonce[i] <= 'f'
				      ? nonce[i] - 'a' + 'A'
				      : nonce[i]);
	CU_ASSERT_EQUAL(check_verdict(out, sizeof(out), "verdict-pretty.txt",
				      pk, "ev-pretty.bin", upper),
			0);
	/* the binding cannot be left out */
	CU_ASSERT_EQUAL(run(out, sizeof(out),
			    "cd %s && %s verify --check-verdict "
			    "verdict-pretty.txt --pubkey %s",
			    dir, cli, pk),
			4);
	CU_ASSERT_EQUAL(run(out, sizeof(out),
			    "cd %s && %s verify ev-pretty.bin --check-verdict "
			    "verdict-pretty.txt --pubkey %s",
			    dir, cli, pk),
			4);
	/* bound and signed, but the verdict it carries is FAIL */
	CU_ASSERT_EQUAL_FATAL(run(out, sizeof(out),
				  "cd %s && %s verify ev.bin --ak ak.pub "
				  "--nonce %s --sign-key bind.key -o "
				  "verdict-fail.txt",
				  dir, cli, other_nonce),
			      2);
	rc = check_verdict(out, sizeof(out), "verdict-fail.txt", pk, "ev.bin",
			   other_nonce);
	CU_ASSERT_EQUAL(rc, 2);
	CU_ASSERT(strstr(out, "verdict-nonce: PASS") != NULL);
	CU_ASSERT(strstr(out, "signed-verdict: FAIL") != NULL);
}

/* Byte maps of a log part: must[i] = covered by the SHA-256 replay (a
 * flip must fail), other[i] = a digest of another bank (not quoted). */
struct log_map {
	const uint8_t *base;
	uint8_t must[8192];
	uint8_t other[8192];
};

static int log_map_cb(void *ctx, const struct att_event *ev)
{
	struct log_map *m = ctx;

	for (uint32_t i = 0; i < ev->ndigests; i++) {
		size_t off = (size_t)(ev->d[i].digest - m->base);

		if (off + ev->d[i].size > sizeof(m->must))
			return -E2BIG;
		if (ev->d[i].alg != ATT_ALG_SHA256)
			memset(m->other + off, 1, ev->d[i].size);
		else if (ev->type != TCG_EV_NO_ACTION)
			memset(m->must + off, 1, ev->d[i].size);
	}
	return 0;
}

/*
 * Flip every byte of a good bundle in turn: verification must fail unless
 * the byte is one nothing vouches for (informational parts, firmware event
 * data, Spec ID fields without meaning), and must never crash (ASan).
 */
static void every_byte(const char *bundle, const char *reference)
{
	char path[256], why[256];
	struct att_reference ref;
	struct att_evidence ev;
	struct att_verify_in in;
	struct att_verdict *v = malloc(sizeof(*v));
	struct att_err err = { 0, NULL };
	struct att_key *ak = NULL;
	struct log_map *fw = calloc(1, sizeof(*fw)),
		       *th = calloc(1, sizeof(*th));
	uint8_t *b, *nb = NULL;
	size_t len, nlen = 0, checked = 0, tl, to, fo, fl;

	CU_ASSERT_FATAL(ready && v && fw && th);
	snprintf(path, sizeof(path), "%s/%s", dir, bundle);
	CU_ASSERT_EQUAL_FATAL(att_read_file(path, 1 << 24, &b, &len), 0);
	CU_ASSERT_EQUAL_FATAL(att_evidence_parse(b, len, &ev, &err), 0);
	snprintf(path, sizeof(path), "%s/ak.pub", dir);
	CU_ASSERT_EQUAL_FATAL(att_key_load(path, &ak, why, sizeof(why)), 0);
	snprintf(path, sizeof(path), "%s/%s", dir, reference);
	CU_ASSERT_EQUAL_FATAL(att_reference_load(path, &ref, why, sizeof(why)),
			      0);
	CU_ASSERT_EQUAL_FATAL(att_hex_decode(nonce, &nb, &nlen), 0);
	fo = ev.part[ATT_PART_FW_LOG].offset;
	fl = ev.part[ATT_PART_FW_LOG].len;
	to = ev.part[ATT_PART_THINHV_LOG].offset;
	tl = ev.part[ATT_PART_THINHV_LOG].len;
	fw->base = b + fo;
	th->base = b + to;
	CU_ASSERT_EQUAL_FATAL(
	    att_log_parse(b + fo, fl, NULL, log_map_cb, fw, &err), 0);
	CU_ASSERT_EQUAL_FATAL(
	    att_log_parse(b + to, tl, NULL, log_map_cb, th, &err), 0);

	memset(&in, 0, sizeof(in));
	in.bundle = b;
	in.bundle_len = len;
	in.ak = ak;
	in.nonce = nb;
	in.nonce_len = nlen;
	in.ref = &ref;
	att_verify(&in, v);
	CU_ASSERT_FATAL(v->pass);
	for (size_t i = 0; i < len; i++) {
		bool free_byte = false;

		/* informational parts */
		for (unsigned int t = ATT_PART_NONCE; t <= ATT_PART_CREATOR;
		     t++)
			if (ev.part[t].present && i >= ev.part[t].offset &&
			    i < ev.part[t].offset + ev.part[t].len)
				free_byte = true;
		/* firmware log: only the replayed SHA-256 digests are bound */
		if (i >= fo && i < fo + fl && !fw->must[i - fo])
			free_byte = true;
		/* thinhv log: digests of banks the quote does not cover, and
		 * Spec ID platformClass, specVersionMinor, specErrata */
		if (i >= to && i < to + tl &&
		    (th->other[i - to] ||
		     (i - to >= 48 && (i - to <= 52 || i - to == 54))))
			free_byte = true;
		b[i] ^= 0x01;
		att_verify(&in, v);
		b[i] ^= 0x01;
		if (free_byte)
			continue;
		checked++;
		if (v->pass)
			fprintf(stderr, "\n  byte %zu flipped: still PASS\n",
				i);
		CU_ASSERT(!v->pass);
	}
	CU_ASSERT(checked > len / 3);
	att_verify(&in, v);
	CU_ASSERT(v->pass);
	free(nb);
	free(b);
	free(v);
	free(fw);
	free(th);
	att_key_free(ak);
}

static void test_every_byte(void)
{
	every_byte("ev.bin", "ref.txt");
}

/*
 * A thinhv log (SHA-256 bank only) with these tags, each record's digest
 * derived from its index, written as name. Only the grammar is under
 * test: the verifier refuses it before comparing with the quote.
 */
static int write_tag_log(const char *name, const uint32_t *tags, unsigned int n)
{
	const struct att_bank b = { ATT_ALG_SHA256, 32 };
	uint8_t buf[2048], d[32];
	const uint8_t *dp[1] = { d };
	struct att_log log;

	if (att_log_init(&log, buf, sizeof(buf), &b, 1))
		return -1;
	for (unsigned int i = 0; i < n; i++) {
		crypto_hash_sha256(d, (const uint8_t *)&i, sizeof(i));
		if (att_log_append_tag(&log, tags[i], dp))
			return -1;
	}
	return rebuild(name, ATT_PART_THINHV_LOG, buf, log.len);
}

/* Logs that break HYPERVISOR (POLICY ISOLATION)+ fail thinhv-log, named. */
static void test_swap_grammar(void)
{
	static const struct {
		const char *bundle;
		uint32_t tags[6];
		unsigned int n;
		const char *why;
	} cases[] = {
		{ "ev-g-trailing.bin",
		  { ATT_TAG_HYPERVISOR, ATT_TAG_POLICY, ATT_TAG_ISOLATION,
		    ATT_TAG_POLICY },
		  4,
		  "log ends with a policy that has no isolation state" },
		{ "ev-g-twopol.bin",
		  { ATT_TAG_HYPERVISOR, ATT_TAG_POLICY, ATT_TAG_ISOLATION,
		    ATT_TAG_POLICY, ATT_TAG_POLICY, ATT_TAG_ISOLATION },
		  6,
		  "two policies in a row" },
		{ "ev-g-isofirst.bin",
		  { ATT_TAG_ISOLATION, ATT_TAG_HYPERVISOR, ATT_TAG_POLICY,
		    ATT_TAG_ISOLATION },
		  4,
		  "isolation state measured before the hypervisor" },
		{ "ev-g-hvagain.bin",
		  { ATT_TAG_HYPERVISOR, ATT_TAG_POLICY, ATT_TAG_ISOLATION,
		    ATT_TAG_HYPERVISOR, ATT_TAG_POLICY, ATT_TAG_ISOLATION },
		  6,
		  "hypervisor measured again" },
		{ "ev-g-isoiso.bin",
		  { ATT_TAG_HYPERVISOR, ATT_TAG_POLICY, ATT_TAG_ISOLATION,
		    ATT_TAG_ISOLATION },
		  4,
		  "isolation state measured without a policy before it" },
	};
	char out[8192];

	CU_ASSERT_FATAL(ready);
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		CU_ASSERT_EQUAL_FATAL(
		    write_tag_log(cases[c].bundle, cases[c].tags, cases[c].n),
		    0);
		expect_fail(cases[c].bundle, NULL, "thinhv-log");
		verify(out, sizeof(out), cases[c].bundle, NULL);
		if (!strstr(out, cases[c].why))
			fprintf(stderr, "\n%s: want '%s':\n%s\n",
				cases[c].bundle, cases[c].why, out);
		CU_ASSERT(strstr(out, cases[c].why) != NULL);
		/* the swap count is not established from a refused log */
		CU_ASSERT(check_is(out, "runtime-policy", "SKIP"));
	}
}

/*
 * `thinhv report --json` of a recorded machine with this evidence, checked
 * against its schema (exit 99 if it does not validate); out gets the
 * attestation's "verified=... changes=..." (Python's True/None spelling).
 */
static int report_json(char *out, size_t outlen, const char *bundle)
{
	return run(out, outlen,
		   "cd '%s/tests/data/recordings' && THINHV_PCI_IDS=pci.ids "
		   "THINHV_SRCDIR=tcbtree NO_COLOR=1 %s report --json --replay "
		   "amd-server --evidence %s/%s --ak %s/ak.pub --nonce %s "
		   ">%s/report-out.json; st=$?; python3 "
		   "'%s/schema/validate.py' "
		   "'%s/schema/thinhv-report-v1.schema.json' "
		   "%s/report-out.json >&2 || exit 99; python3 -c 'import "
		   "json,sys; a=json.load(open(sys.argv[1]))[\"attestation\"]; "
		   "print(\"verified=%%s changes=%%s\" %% (a[\"verified\"], "
		   "a[\"runtime_policy_changes\"]))' %s/report-out.json; "
		   "exit $st",
		   unit_srcdir(), cli, dir, bundle, dir, nonce, dir,
		   unit_srcdir(), unit_srcdir(), dir, dir);
}

/*
 * Runtime policy replacement as thinhv.ko measures it: a (policy,
 * isolation state) pair per swap, extended before the swap takes effect.
 * The verdict states the swaps and checks the last pair (the state in
 * force); a rollback is one more pair. Changes the TPM: runs after the
 * tests that re-attest the launch log and before test_extend_after_quote.
 */
static void test_runtime_swap(void)
{
	static const char pol2_data[] = "thinhv policy blob, swapped in "
					"(test stand-in)";
	static const char iso2_data[] =
	    "devices:0000:00:02.0=dom2;ranges:0x1000-0x1fff";
	uint8_t pol2[32], iso2[32], d[32];
	char out[16384], h[65], h1[65], report[256], want[256];
	int rc;

	CU_ASSERT_FATAL(ready);
	/* swap 1: new policy, then the isolation state it gives */
	CU_ASSERT_EQUAL_FATAL(measure(ATT_TAG_POLICY, pol2_data, pol2), 0);
	CU_ASSERT_EQUAL_FATAL(measure(ATT_TAG_ISOLATION, iso2_data, iso2), 0);
	CU_ASSERT_EQUAL_FATAL(
	    write_file("thinhv-swap1.log", thinhv_buf, thinhv_log.len), 0);
	hexs(iso2, 32, h);
	snprintf(report, sizeof(report),
		 "{\"enforcing\":true,\"" ATT_REPORT_ISO_KEY
		 "\":\"%s\",\"version\":1}",
		 h);
	CU_ASSERT_EQUAL_FATAL(
	    write_file("report-swap1.json", report, strlen(report)), 0);
	CU_ASSERT_EQUAL_FATAL(
	    write_reference_state("ref-swap1.txt", pol2, iso2), 0);
	CU_ASSERT_EQUAL_FATAL(run(out, sizeof(out),
				  "cd %s && %s attest --nonce %s -o "
				  "ev-swap1.bin --report report-swap1.json "
				  "--thinhv-log thinhv-swap1.log "
				  "--firmware-log firmware.log",
				  dir, cli, nonce),
			      0);
	rc = verify(out, sizeof(out), "ev-swap1.bin",
		    "--reference ref-swap1.txt");
	if (rc != 0)
		fprintf(stderr, "\n%s\n", out);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(strstr(out, "\nverdict: PASS\n") != NULL);
	CU_ASSERT(check_is(out, "thinhv-log", "PASS"));
	CU_ASSERT(strstr(out, "5 measurements replay") != NULL);
	hexs(pol2, 32, h);
	snprintf(want, sizeof(want),
		 "1 runtime policy change after launch; current policy %s", h);
	CU_ASSERT(check_is(out, "runtime-policy", "PASS"));
	CU_ASSERT(strstr(out, want) != NULL);
	CU_ASSERT(check_is(out, "policy-digest", "PASS"));
	CU_ASSERT(check_is(out, "isolation-digest", "PASS"));
	CU_ASSERT(check_is(out, "report-isolation", "PASS"));
	/* the launch reference no longer describes the policy in force */
	expect_fail("ev-swap1.bin", "--reference ref.txt", "policy-digest");
	verify(out, sizeof(out), "ev-swap1.bin", "--reference ref.txt");
	CU_ASSERT(check_is(out, "isolation-digest", "FAIL"));
	CU_ASSERT(check_is(out, "hypervisor-digest", "PASS"));
	/* a report stating the launch isolation state is stale now */
	CU_ASSERT_EQUAL_FATAL(run(out, sizeof(out),
				  "cd %s && %s attest --nonce %s -o "
				  "ev-swap1-stale.bin --report report.json "
				  "--thinhv-log thinhv-swap1.log "
				  "--firmware-log firmware.log",
				  dir, cli, nonce),
			      0);
	expect_fail("ev-swap1-stale.bin", NULL, "report-isolation");

	/* --expect-policy: the current policy, bare or sha256:-prefixed */
	snprintf(want, sizeof(want), "--expect-policy %s", h);
	rc = verify(out, sizeof(out), "ev-swap1.bin", want);
	CU_ASSERT_EQUAL(rc, 1); /* no reference file: other checks skip */
	CU_ASSERT(check_is(out, "policy-digest", "PASS"));
	CU_ASSERT(strstr(out, "\nverdict: PASS\n") != NULL);
	snprintf(want, sizeof(want),
		 "--expect-policy sha256:%s --reference ref-swap1.txt", h);
	CU_ASSERT_EQUAL(verify(out, sizeof(out), "ev-swap1.bin", want), 0);
	hexs(meas[1], 32, h1);
	snprintf(want, sizeof(want), "--expect-policy %s", h1);
	expect_fail("ev-swap1.bin", want, "policy-digest");
	/* auditor input errors: contradicts the reference, not a digest */
	snprintf(want, sizeof(want), "--expect-policy %s --reference ref.txt",
		 h);
	CU_ASSERT_EQUAL(verify(out, sizeof(out), "ev-swap1.bin", want), 4);
	CU_ASSERT(strstr(out, "differs from the reference") != NULL);
	CU_ASSERT_EQUAL(
	    verify(out, sizeof(out), "ev-swap1.bin", "--expect-policy 12ab"),
	    4);
	snprintf(want, sizeof(want), "--expect-policy %.63sg", h);
	CU_ASSERT_EQUAL(verify(out, sizeof(out), "ev-swap1.bin", want), 4);

	/* swap 2 rolls back: the launch bytes measured again */
	CU_ASSERT_EQUAL_FATAL(measure(ATT_TAG_POLICY, launch_data[1], d), 0);
	CU_ASSERT(memcmp(d, meas[1], 32) == 0);
	CU_ASSERT_EQUAL_FATAL(measure(ATT_TAG_ISOLATION, launch_data[2], NULL),
			      0);
	CU_ASSERT_EQUAL_FATAL(
	    write_file("thinhv-swap2.log", thinhv_buf, thinhv_log.len), 0);
	CU_ASSERT_EQUAL_FATAL(run(out, sizeof(out),
				  "cd %s && %s attest --nonce %s -o "
				  "ev-swap2.bin --report report.json "
				  "--thinhv-log thinhv-swap2.log "
				  "--firmware-log firmware.log",
				  dir, cli, nonce),
			      0);
	rc = verify(out, sizeof(out), "ev-swap2.bin", "--reference ref.txt");
	if (rc != 0)
		fprintf(stderr, "\n%s\n", out);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT(strstr(out, "7 measurements replay") != NULL);
	snprintf(want, sizeof(want),
		 "2 runtime policy changes after launch; current policy %s",
		 h1);
	CU_ASSERT(strstr(out, want) != NULL);
	CU_ASSERT(check_is(out, "report-isolation", "PASS"));
	/* the swap-1 evidence is the swap-1 state, and stays so */
	CU_ASSERT_EQUAL(verify(out, sizeof(out), "ev-swap1.bin",
			       "--reference ref-swap1.txt"),
			0);
	/* a log that stops before the rollback no longer replays */
	CU_ASSERT_EQUAL_FATAL(run(out, sizeof(out),
				  "cd %s && %s attest --nonce %s -o "
				  "ev-swap-cut.bin --report report-swap1.json "
				  "--thinhv-log thinhv-swap1.log "
				  "--firmware-log firmware.log",
				  dir, cli, nonce),
			      0);
	expect_fail("ev-swap-cut.bin", NULL, "thinhv-log");

	/* every bit of a swapped bundle is still vouched for */
	every_byte("ev-swap2.bin", "ref.txt");

	/* report --json: the count, and null when the log is refused */
	CU_ASSERT_EQUAL_FATAL(
	    run(out, sizeof(out),
		"cd '%s/tests/data/recordings' && THINHV_PCI_IDS=pci.ids "
		"THINHV_SRCDIR=tcbtree %s scan --json --replay amd-server "
		">%s/scan.json; cd %s && %s attest --nonce %s -o ev-scan.bin "
		"--report scan.json --thinhv-log thinhv-swap2.log "
		"--firmware-log firmware.log",
		unit_srcdir(), cli, dir, dir, cli, nonce),
	    0);
	/* (the recorded machine's findings set exit bits 1 and 2) */
	rc = report_json(out, sizeof(out), "ev-scan.bin");
	CU_ASSERT(rc != 99 && !(rc & 4));
	CU_ASSERT(strstr(out, "verified=True changes=2\n") != NULL);
	rc = report_json(out, sizeof(out), "ev-g-trailing.bin");
	CU_ASSERT(rc != 99 && !(rc & 4));
	CU_ASSERT(strstr(out, "verified=False changes=None\n") != NULL);
}

/* Last: changes the TPM. A PCR 12 extend nobody logged is caught. */
static void test_extend_after_quote(void)
{
	char out[8192];

	CU_ASSERT_FATAL(ready);
	CU_ASSERT_EQUAL_FATAL(run(out, sizeof(out),
				  "tpm2_pcrextend %d:sha256=%064d",
				  ATT_THINHV_PCR, 1),
			      0);
	/* the old bundle is still the old, consistent state */
	CU_ASSERT_EQUAL(
	    verify(out, sizeof(out), "ev.bin", "--reference ref.txt"), 0);
	CU_ASSERT_EQUAL_FATAL(run(out, sizeof(out),
				  "cd %s && %s attest --nonce %s -o ev2.bin "
				  "--report report.json --thinhv-log "
				  "thinhv.log --firmware-log firmware.log",
				  dir, cli, nonce),
			      0);
	expect_fail("ev2.bin", "--reference ref.txt", "thinhv-log");
	/* no transient objects or sessions were left behind */
	CU_ASSERT_EQUAL(run(out, sizeof(out),
			    "tpm2_getcap handles-transient; tpm2_getcap "
			    "handles-loaded-session"),
			0);
	CU_ASSERT(strstr(out, "0x80") == NULL);
	CU_ASSERT(strstr(out, "0x02") == NULL && strstr(out, "0x03") == NULL);
}

UNIT_SUITE(att_swtpm, suite_init, suite_cleanup, UNIT_TEST(test_verify_passes),
	   UNIT_TEST(test_swtpm_private), UNIT_TEST(test_stock_checkquote),
	   UNIT_TEST(test_stock_eventlog), UNIT_TEST(test_credential),
	   UNIT_TEST(test_ek_cert), UNIT_TEST(test_adversarial),
	   UNIT_TEST(test_signed_verdict),
	   UNIT_TEST(test_signed_verdict_binding), UNIT_TEST(test_every_byte),
	   UNIT_TEST(test_swap_grammar), UNIT_TEST(test_runtime_swap),
	   UNIT_TEST(test_extend_after_quote))
