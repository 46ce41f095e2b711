// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_audit.c - the audit CLI (scan / compare / report) end to end on
 * recordings: golden text/JSON/HTML outputs compared exactly, every JSON
 * output validated against schema/, malformed recordings rejected with a
 * clear error, record->replay round trip on this host, exit bitmask, the
 * whole ACPI corpus through the DMAR/IVRS summary decoder, and the audit
 * library linked on its own (host userspace).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "attest/lib/att.h"
#include "auditcli/lib/audit.h"

#define SCAN_SCHEMA "thinhv-scan-v1.schema.json"

static char tmpdir[64];

static const char *const recs[] = {
	"host-vm",	     "intel-server",   "amd-server",
	"laptop-tb",	     "intel-unpriv",   "lab-amd-thinhv",
	"lab-intel-os-owns", "malformed-dmar", "lab-amd",
	"lab-intel-iommu",   "lab-amd-hv",
};

/*
 * Runs the CLI in tests/data/recordings with the golden environment;
 * stdout/stderr go to files under tmpdir. Returns the exit status, or 100+
 * signal when it crashed (a crash must never look like a verdict).
 */
static int run_cli(const char *args, const char *out, const char *err)
{
	char cmd[4096];
	int st;

	snprintf(cmd, sizeof(cmd),
		 "cd '%s/tests/data/recordings' && THINHV_PCI_IDS=pci.ids "
		 "THINHV_SRCDIR=tcbtree NO_COLOR=1 '%s' %s >'%s' 2>'%s'",
		 unit_srcdir(), unit_cli(), args, out, err);
	st = system(cmd);
	if (st == -1)
		return -1;
	if (WIFSIGNALED(st))
		return 100 + WTERMSIG(st);
	/* sh reports a signal-killed child as 128+sig */
	return WEXITSTATUS(st);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	b = malloc((size_t)n + 1);
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	if (b) {
		b[n] = '\0';
		if (len)
			*len = (size_t)n;
	}
	return b;
}

static bool same_file(const char *a, const char *b)
{
	size_t la = 0, lb = 0;
	char *x = slurp(a, &la), *y = slurp(b, &lb);
	bool eq = x && y && la == lb && !memcmp(x, y, la);

	if (!eq)
		fprintf(stderr, "\n  golden mismatch: diff -u %s %s\n", b, a);
	free(x);
	free(y);
	return eq;
}

static int init(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/thinhv-audit-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int cleanup(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static int golden_exit(const char *name)
{
	char path[256], line[256];
	FILE *f;
	int rc = -1;

	snprintf(path, sizeof(path), "%s/tests/data/golden/exit-status",
		 unit_srcdir());
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char n[200];
		int v;

		if (sscanf(line, "%199s %d", n, &v) == 2 && !strcmp(n, name))
			rc = v;
	}
	fclose(f);
	return rc;
}

/* name: golden file; args: CLI arguments; stderr_golden: compare stderr. */
static void check_golden(const char *name, const char *args, bool stderr_golden)
{
	char out[256], err[256], gold[256];
	int rc, want = golden_exit(name);

	snprintf(out, sizeof(out), "%s/%s.out", tmpdir, name);
	snprintf(err, sizeof(err), "%s/%s.err", tmpdir, name);
	snprintf(gold, sizeof(gold), "%s/tests/data/golden/%s", unit_srcdir(),
		 name);
	rc = run_cli(args, out, err);
	CU_ASSERT_TRUE(rc >= 0 && rc < 8);
	CU_ASSERT_EQUAL(rc, want);
	if (rc != want)
		fprintf(stderr, "\n  %s: exit %d, golden %d\n", name, rc, want);
	CU_ASSERT_TRUE(same_file(stderr_golden ? err : out, gold));
}

/* The HTML's SVG must be well-formed XML (python3 stdlib parser). */
static bool svg_well_formed(const char *html)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import sys,xml.etree.ElementTree as E;"
		 "s=open(sys.argv[1]).read();"
		 "E.fromstring(s[s.index(\"<svg\"):s.index(\"</svg>\")+6])' "
		 "'%s' 2>/dev/null",
		 html);
	return system(cmd) == 0;
}

static void test_audit_golden_outputs(void)
{
	static const struct {
		const char *suffix, *args;
	} kinds[] = {
		{ "scan.txt", "scan" },
		{ "scan.json", "scan --json" },
		{ "compare.txt", "compare" },
		{ "compare.json", "compare --json" },
		{ "report.txt", "report" },
		{ "report.json", "report --json" },
		{ "scan.html", "scan --html" },
	};

	for (size_t r = 0; r < sizeof(recs) / sizeof(recs[0]); r++)
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			char name[128], args[256];

			snprintf(name, sizeof(name), "%s.%s", recs[r],
				 kinds[k].suffix);
			snprintf(args, sizeof(args), "%s --replay %s",
				 kinds[k].args, recs[r]);
			check_golden(name, args, false);
			if (strstr(name, ".html")) {
				char p[512];

				snprintf(p, sizeof(p), "%s/%s.out", tmpdir,
					 name);
				/* no memory map (non-root, none recorded): no SVG */
				if (strcmp(recs[r], "intel-unpriv") &&
				    strcmp(recs[r], "malformed-dmar"))
					CU_ASSERT_TRUE(svg_well_formed(p));
			}
		}
}

static void test_audit_malformed_recordings(void)
{
	static const char *const bad[] = {
		"bad-caplist", "bad-config-size",   "bad-group-type",
		"bad-iomem",   "bad-manifest",	    "bad-no-manifest",
		"bad-symlink", "bad-thinhv-status", "bad-thinhv-isolation",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char name[128], args[256], err[256], *e;

		snprintf(name, sizeof(name), "%s.err", bad[i]);
		snprintf(args, sizeof(args), "scan --replay %s", bad[i]);
		check_golden(name, args, true);
		CU_ASSERT_EQUAL(golden_exit(name), 4);
		/* The message names the file of the recording that is wrong. */
		snprintf(err, sizeof(err), "%s/%s.err", tmpdir, name);
		e = slurp(err, NULL);
		CU_ASSERT_PTR_NOT_NULL(e);
		if (e)
			CU_ASSERT_PTR_NOT_NULL(strstr(e, bad[i]));
		free(e);
	}
}

static void test_audit_baseline_diff(void)
{
	char out[256], err[256], *e;
	FILE *f;
	int rc;

	/* regen.sh copies the golden to this name; do the same. */
	rc = system("true");
	(void)rc;
	{
		char cmd[4096];

		snprintf(
		    cmd, sizeof(cmd),
		    "cp '%s/tests/data/golden/intel-server.scan.json' "
		    "'%s/tests/data/recordings/intel-server.baseline.json'",
		    unit_srcdir(), unit_srcdir());
		CU_ASSERT_EQUAL(system(cmd), 0);
		check_golden("amd-vs-intel.baseline.txt",
			     "scan --replay amd-server --baseline "
			     "intel-server.baseline.json",
			     false);
		snprintf(cmd, sizeof(cmd),
			 "rm -f '%s/tests/data/recordings/"
			 "intel-server.baseline.json'",
			 unit_srcdir());
		CU_ASSERT_EQUAL(system(cmd), 0);
	}
	/* Same state as the baseline: no change at all. */
	snprintf(out, sizeof(out), "%s/self.out", tmpdir);
	snprintf(err, sizeof(err), "%s/self.err", tmpdir);
	{
		char args[4096];

		snprintf(args, sizeof(args),
			 "scan --replay amd-server --baseline "
			 "'%s/tests/data/golden/amd-server.scan.json'",
			 unit_srcdir());
		rc = run_cli(args, out, err);
		CU_ASSERT_EQUAL(rc, 3);
		e = slurp(out, NULL);
		CU_ASSERT_PTR_NOT_NULL(e);
		if (e)
			CU_ASSERT_PTR_NOT_NULL(strstr(e, "  0 change(s)\n"));
		free(e);
	}
	/* A broken baseline is an error that names the byte offset. */
	{
		char bad[256], args[4096];

		snprintf(bad, sizeof(bad), "%s/bad.json", tmpdir);
		f = fopen(bad, "w");
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		fputs("{\"schema\": \"thinhv-scan-v1\", \"devices\": [}", f);
		fclose(f);
		snprintf(args, sizeof(args),
			 "scan --replay amd-server --baseline '%s'", bad);
		rc = run_cli(args, out, err);
		CU_ASSERT_EQUAL(rc & 4, 4);
		e = slurp(err, NULL);
		CU_ASSERT_PTR_NOT_NULL(e);
		if (e)
			CU_ASSERT_PTR_NOT_NULL(
			    strstr(e, "byte 41 (line 1, column 42): "
				      "unexpected token"));
		free(e);
	}
}

static int validate_to(const char *schema, const char *doc, const char *to)
{
	char cmd[4096];
	int st;

	snprintf(cmd, sizeof(cmd),
		 "python3 '%s/schema/validate.py' '%s/schema/%s' '%s' %s",
		 unit_srcdir(), unit_srcdir(), schema, doc, to);
	st = system(cmd);
	return st == -1 ? -1 : WEXITSTATUS(st);
}

/* Violations are printed (to stderr) when a document should be valid. */
static int validate(const char *schema, const char *doc)
{
	return validate_to(schema, doc, ">&2");
}

static void test_audit_json_schema(void)
{
	static const struct {
		const char *cmd, *schema;
	} docs[] = {
		{ "scan", "thinhv-scan-v1.schema.json" },
		{ "compare", "thinhv-compare-v1.schema.json" },
		{ "report", "thinhv-report-v1.schema.json" },
	};
	char out[256], err[256], args[256], cmd[4096];

	for (size_t r = 0; r < sizeof(recs) / sizeof(recs[0]); r++)
		for (size_t d = 0; d < sizeof(docs) / sizeof(docs[0]); d++) {
			snprintf(out, sizeof(out), "%s/%s.%s.json", tmpdir,
				 recs[r], docs[d].cmd);
			snprintf(err, sizeof(err), "%s/v.err", tmpdir);
			snprintf(args, sizeof(args), "%s --json --replay %s",
				 docs[d].cmd, recs[r]);
			run_cli(args, out, err);
			CU_ASSERT_EQUAL(validate(docs[d].schema, out), 0);
		}
	/* Live output too (whatever this host has). */
	snprintf(out, sizeof(out), "%s/live.json", tmpdir);
	snprintf(cmd, sizeof(cmd), "'%s' report --json >'%s' 2>/dev/null",
		 unit_cli(), out);
	CU_ASSERT_NOT_EQUAL(system(cmd), -1);
	CU_ASSERT_EQUAL(validate("thinhv-report-v1.schema.json", out), 0);

	/* The validator must be able to say no. */
	snprintf(cmd, sizeof(cmd),
		 "sed 's/\"severity\": \"high\"/\"severity\": \"urgent\"/' "
		 "'%s/amd-server.scan.json' >'%s/mut.json'",
		 tmpdir, tmpdir);
	CU_ASSERT_EQUAL(system(cmd), 0);
	snprintf(out, sizeof(out), "%s/mut.json", tmpdir);
	CU_ASSERT_EQUAL(
	    validate_to("thinhv-scan-v1.schema.json", out, ">/dev/null"), 1);
	snprintf(cmd, sizeof(cmd),
		 "sed 's/\"bus_master\": true/\"bus_master\": 1/' "
		 "'%s/amd-server.scan.json' >'%s/mut.json'",
		 tmpdir, tmpdir);
	CU_ASSERT_EQUAL(system(cmd), 0);
	CU_ASSERT_EQUAL(
	    validate_to("thinhv-scan-v1.schema.json", out, ">/dev/null"), 1);
}

static bool output_has(const char *args, const char *needle)
{
	char out[256], err[256], *o;
	bool found;

	snprintf(out, sizeof(out), "%s/has.out", tmpdir);
	snprintf(err, sizeof(err), "%s/has.err", tmpdir);
	run_cli(args, out, err);
	o = slurp(out, NULL);
	found = o && strstr(o, needle);
	free(o);
	return found;
}

/* Expectations written from the recordings' construction (mkrec.py), not
 * from the goldens: what each server shape must be found guilty of. */
static void test_audit_expected_findings(void)
{
	CU_ASSERT_TRUE(output_has("scan --replay amd-server",
				  "high   THV-ATS-001   0000:41:00.0"));
	CU_ASSERT_FALSE(output_has("scan --replay amd-server",
				   "THV-ATS-001   0000:41:00.1"));
	CU_ASSERT_TRUE(output_has("scan --replay amd-server",
				  "medium THV-ACS-001   0000:00:01.1"));
	CU_ASSERT_FALSE(output_has("scan --replay amd-server",
				   "THV-ACS-001   0000:40:01.1"));
	CU_ASSERT_FALSE(output_has("scan --replay amd-server", "THV-FW-003"));
	CU_ASSERT_FALSE(output_has("scan --replay amd-server", "THV-DMA-001"));
	CU_ASSERT_TRUE(output_has("scan --replay intel-server",
				  "high   THV-IOMMU-003 group 6"));
	CU_ASSERT_TRUE(output_has("scan --replay intel-server",
				  "high   THV-DMA-001   0000:01:00.1"));
	CU_ASSERT_TRUE(output_has("scan --replay intel-server",
				  "0x6f5a3000-0x6f5b2fff (64 KiB) for endpoint "
				  "00:14.0"));
	CU_ASSERT_TRUE(output_has("scan --replay intel-server",
				  "medium THV-FW-003    DMAR"));
	CU_ASSERT_TRUE(output_has("scan --replay intel-server",
				  "medium THV-IOMMU-004 group 7"));
	CU_ASSERT_TRUE(output_has("scan --replay laptop-tb",
				  "00:07.0 > 20:00.0 > 21:01.0 > 22:00.0"));
	CU_ASSERT_TRUE(output_has("scan --replay laptop-tb",
				  "medium THV-ACS-001   0000:21:01.0"));
	CU_ASSERT_TRUE(output_has("scan --replay laptop-tb",
				  "high   THV-ATS-001   0000:22:00.0"));
	CU_ASSERT_FALSE(output_has("scan --replay laptop-tb", "THV-FW-003"));
	CU_ASSERT_TRUE(output_has("scan --replay host-vm",
				  "high   THV-IOMMU-002 platform"));
	CU_ASSERT_TRUE(output_has("scan --replay host-vm",
				  "high   THV-DMA-001   0000:00:03.0"));
	CU_ASSERT_TRUE(
	    output_has("scan --replay intel-unpriv",
		       "PCI config space beyond 64 bytes needs root"));
	CU_ASSERT_TRUE(output_has("scan --replay intel-unpriv",
				  "DMAR present but unreadable (needs root)"));
	/* thinhv launched and owning the IOMMU vs the OS owning it. */
	CU_ASSERT_TRUE(
	    output_has("scan --replay lab-amd-thinhv",
		       "launched on 2 CPU(s), 4 protected range(s)"));
	CU_ASSERT_FALSE(
	    output_has("scan --replay lab-amd-thinhv", "THV-HV-001"));
	CU_ASSERT_FALSE(
	    output_has("scan --replay lab-amd-thinhv", "THV-DMA-001"));
	CU_ASSERT_TRUE(output_has("scan --replay lab-intel-os-owns",
				  "high   THV-HV-001    platform"));
	/* Recorded inside the lab: the edu engines, the IOMMU left off. */
	CU_ASSERT_TRUE(output_has("scan --replay lab-amd",
				  "medium THV-DMA-001   0000:00:04.0"));
	CU_ASSERT_TRUE(output_has("scan --replay lab-amd",
				  "high   THV-IOMMU-001 platform"));
	CU_ASSERT_TRUE(output_has("scan --replay lab-intel-iommu",
				  "DMAR   DRHD  0xfed90000"));
	/* Recorded in the lab with the real thinhv.ko loaded (insmod only, no
	 * IOMMU tables yet): the hypervisor is reachable by DMA. */
	CU_ASSERT_TRUE(output_has("scan --replay lab-amd-hv",
				  "no IOMMU tables among them"));
	CU_ASSERT_TRUE(output_has("scan --replay lab-amd-hv",
				  "high   THV-HV-001    0000:00:04.0"));
	/* HTML keeps the text sections' line breaks. */
	CU_ASSERT_TRUE(output_has("report --html --replay lab-amd-thinhv",
				  "<pre>thinhv scan of lab-amd-thinhv-launched "
				  "(recording, privileged)\n\nPlatform\n"));
	CU_ASSERT_TRUE(output_has("report --html --replay lab-amd-thinhv",
				  "<h2>thinhv status and attestation</h2>"));
	/* A broken firmware table is a finding about the machine. */
	CU_ASSERT_TRUE(output_has("scan --replay malformed-dmar",
				  "high   THV-FW-004    DMAR"));
	CU_ASSERT_TRUE(output_has("scan --replay malformed-dmar",
				  "offset 48: record runs past the end"));
	/* thinhv's size is counted: the fixture tree has 19 lines. */
	CU_ASSERT_TRUE(
	    output_has("compare --json --replay amd-server", "\"count\": 19,"));
	CU_ASSERT_TRUE(output_has("compare --replay amd-server", "19 lines"));
}

static void test_audit_exit_bits(void)
{
	char out[256], err[256], ev[256], args[4096];
	FILE *f;

	snprintf(out, sizeof(out), "%s/x.out", tmpdir);
	snprintf(err, sizeof(err), "%s/x.err", tmpdir);
	CU_ASSERT_EQUAL(run_cli("scan --json --html", out, err), 4);
	CU_ASSERT_EQUAL(run_cli("scan --bogus", out, err), 4);
	CU_ASSERT_EQUAL(run_cli("scan --record a --replay b", out, err), 4);
	CU_ASSERT_EQUAL(run_cli("scan --evidence x", out, err), 4);
	CU_ASSERT_EQUAL(run_cli("scan --help", out, err), 0);
	CU_ASSERT_EQUAL(run_cli("report --replay amd-server --evidence "
				"/nonexistent --ak /nonexistent --nonce 00",
				out, err),
			4);
	CU_ASSERT_EQUAL(
	    run_cli("report --replay amd-server --evidence x", out, err), 4);
	/* A nonce that is not 8..64 bytes of hex is an error. */
	CU_ASSERT_EQUAL(run_cli("report --replay amd-server --evidence "
				"pci.ids --ak unrelated-ak.pub.pem --nonce zz",
				out, err),
			4);
	/* An AK that is not a key is an error, not a failed verdict. */
	snprintf(ev, sizeof(ev), "%s/ev.bin", tmpdir);
	f = fopen(ev, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("not an evidence bundle", f);
	fclose(f);
	snprintf(args, sizeof(args),
		 "report --replay intel-unpriv --json --evidence '%s' --ak "
		 "'%s' --nonce 0011223344556677",
		 ev, ev);
	CU_ASSERT_EQUAL(run_cli(args, out, err), 4);
	/* Garbage evidence with a real key: verified by attest/'s verifier,
	 * which must say FAIL (bit 2) on top of the scan's warnings (bit 1). */
	snprintf(args, sizeof(args),
		 "report --replay intel-unpriv --json --evidence '%s' --ak "
		 "unrelated-ak.pub.pem --nonce 0011223344556677",
		 ev);
	CU_ASSERT_EQUAL(run_cli(args, out, err), 1 | 2);
	CU_ASSERT_EQUAL(validate("thinhv-report-v1.schema.json", out), 0);
	{
		char *o = slurp(out, NULL);

		CU_ASSERT_TRUE(o && strstr(o, "\"verified\": false") &&
			       strstr(o, "\"verdict\": \"FAIL") &&
			       strstr(o, "\"status\": \"fail\""));
		free(o);
	}
}

/*
 * The report checks that the attested report is this machine's scan: a
 * bundle carrying canonical(scan of amd-server) binds amd-server and not
 * intel-server. (The bundle has no quote, so the verdict itself fails; the
 * binding check is what is under test.)
 */
static void test_audit_report_binding(void)
{
	char out[256], err[256], ev[256], args[4096], *scan, *o;
	struct att_evidence e;
	struct att_err aerr = { 0, NULL };
	uint8_t *canon = NULL, *bundle = NULL;
	size_t slen = 0, clen = 0, blen = 0;

	snprintf(out, sizeof(out), "%s/b.out", tmpdir);
	snprintf(err, sizeof(err), "%s/b.err", tmpdir);
	snprintf(ev, sizeof(ev), "%s/bound.bin", tmpdir);
	CU_ASSERT_EQUAL(run_cli("scan --json --replay amd-server", out, err),
			3);
	scan = slurp(out, &slen);
	CU_ASSERT_PTR_NOT_NULL_FATAL(scan);
	CU_ASSERT_EQUAL_FATAL(att_report_canonicalize((const uint8_t *)scan,
						      slen, &canon, &clen,
						      &aerr),
			      0);
	memset(&e, 0, sizeof(e));
	/* Every part a bundle must have; only the report is real. */
	for (unsigned int t = 1; t <= ATT_PART_MAX; t++) {
		static const uint8_t junk[4] = { 0xde, 0xad, 0xbe, 0xef };

		e.part[t].p = junk;
		e.part[t].len = sizeof(junk);
		e.part[t].present = true;
	}
	e.part[ATT_PART_REPORT].p = canon;
	e.part[ATT_PART_REPORT].len = clen;
	e.part[ATT_PART_REPORT].present = true;
	CU_ASSERT_EQUAL_FATAL(att_evidence_build(&e, &bundle, &blen), 0);
	CU_ASSERT_EQUAL_FATAL(att_write_file(ev, bundle, blen), 0);

	snprintf(args, sizeof(args),
		 "report --json --replay amd-server --evidence '%s' --ak "
		 "unrelated-ak.pub.pem --nonce 0011223344556677",
		 ev);
	CU_ASSERT_EQUAL(run_cli(args, out, err) & 6, 2);
	o = slurp(out, NULL);
	CU_ASSERT_TRUE(o && strstr(o, "\"name\": \"report-is-this-scan\",\n"
				      "        \"status\": \"pass\""));
	CU_ASSERT_TRUE(o && strstr(o, "\"verified\": false"));

	free(o);
	CU_ASSERT_EQUAL(validate("thinhv-report-v1.schema.json", out), 0);

	snprintf(args, sizeof(args),
		 "report --json --replay intel-server --evidence '%s' --ak "
		 "unrelated-ak.pub.pem --nonce 0011223344556677",
		 ev);
	CU_ASSERT_EQUAL(run_cli(args, out, err) & 6, 2);
	o = slurp(out, NULL);
	CU_ASSERT_TRUE(o && strstr(o, "\"name\": \"report-is-this-scan\",\n"
				      "        \"status\": \"fail\""));
	free(o);
	free(scan);
	free(canon);
	free(bundle);
}

/* Recording this host and replaying it must see the same machine. */
static void test_audit_record_replay_live(void)
{
	char rec[128], cmd[4096], a[256], b[256], *x, *y;
	DIR *d;
	struct dirent *e;
	int n = 0;

	snprintf(rec, sizeof(rec), "%s/rec", tmpdir);
	snprintf(a, sizeof(a), "%s/live.txt", tmpdir);
	snprintf(b, sizeof(b), "%s/replay.txt", tmpdir);
	snprintf(cmd, sizeof(cmd),
		 "NO_COLOR=1 '%s' scan --record '%s' | tail -n +2 >'%s'; "
		 "NO_COLOR=1 '%s' scan --replay '%s' | tail -n +2 >'%s'",
		 unit_cli(), rec, a, unit_cli(), rec, b);
	CU_ASSERT_EQUAL(system(cmd), 0);
	CU_ASSERT_TRUE(same_file(b, a));
	x = slurp(a, NULL);
	CU_ASSERT_PTR_NOT_NULL(x);
	if (x)
		CU_ASSERT_PTR_NOT_NULL(strstr(x, "PCI devices ("));
	free(x);
	/* Every live PCI function has its config space in the recording. */
	d = opendir("/sys/bus/pci/devices");
	while (d && (e = readdir(d))) {
		char p[1024];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/root/sys/bus/pci/devices/%s/config",
			 rec, e->d_name);
		CU_ASSERT_EQUAL(stat(p, &st), 0);
		CU_ASSERT_TRUE(st.st_size == 64 || st.st_size == 256 ||
			       st.st_size == 4096);
		n++;
	}
	if (d)
		closedir(d);
	snprintf(a, sizeof(a), "%s/THINHV-RECORDING", rec);
	y = slurp(a, NULL);
	CU_ASSERT_PTR_NOT_NULL(y);
	if (y)
		CU_ASSERT_EQUAL(strncmp(y, "thinhv-recording 1\n", 19), 0);
	free(y);
	(void)n;
}

/* Every real DMAR/IVRS table of the corpus through the shared decoder in
 * a replay: summarised, or flagged THV-FW-004 with a byte offset; never an
 * input error, never a crash. */
static void test_audit_acpi_corpus(void)
{
	static const char *const kinds[] = { "dmar", "ivrs" };
	int ok = 0, flagged = 0;

	for (size_t k = 0; k < 2; k++) {
		char dir[256];
		DIR *d;
		struct dirent *e;

		snprintf(dir, sizeof(dir), "%s/../shared/acpi-corpus/%s",
			 unit_srcdir(), kinds[k]);
		d = opendir(dir);
		if (!d) {
			fprintf(stderr, "\n  no corpus at %s: skipped\n", dir);
			continue;
		}
		while ((e = readdir(d))) {
			char cmd[4096], out[256], err[256], *m;
			int st, rc;

			if (!strstr(e->d_name, ".dat"))
				continue;
			snprintf(
			    cmd, sizeof(cmd),
			    "r='%s/corpus'; rm -rf \"$r\"; "
			    "mkdir -p \"$r/root/sys/firmware/acpi/tables\" "
			    "\"$r/root/sys/bus/pci/devices\" && "
			    "printf 'thinhv-recording 1\\nprivileged: "
			    "yes\\n' >\"$r/THINHV-RECORDING\" && "
			    "cp '%s/%s' \"$r/root/sys/firmware/acpi/tables/"
			    "%s\"",
			    tmpdir, dir, e->d_name, k ? "IVRS" : "DMAR");
			CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
			snprintf(out, sizeof(out), "%s/c.out", tmpdir);
			snprintf(err, sizeof(err), "%s/c.err", tmpdir);
			snprintf(cmd, sizeof(cmd),
				 "'%s' scan --replay '%s/corpus' >'%s' 2>'%s'",
				 unit_cli(), tmpdir, out, err);
			st = system(cmd);
			CU_ASSERT_FALSE(WIFSIGNALED(st));
			rc = WEXITSTATUS(st);
			CU_ASSERT_TRUE(rc < 4);
			if (rc >= 4)
				fprintf(stderr, "\n  %s: exit %d\n", e->d_name,
					rc);
			m = slurp(out, NULL);
			CU_ASSERT_PTR_NOT_NULL(m);
			if (m && strstr(m, "THV-FW-004")) {
				CU_ASSERT_PTR_NOT_NULL(
				    strstr(m, "MALFORMED: offset "));
				flagged++;
			} else {
				ok++;
			}
			free(m);
		}
		closedir(d);
	}
	fprintf(stderr, "\n  corpus: %d summarised, %d flagged malformed\n", ok,
		flagged);
}

/* Byte-flipped variants of the hand-made DMAR and IVRS (record area
 * only, checksum left stale): never a crash, never an input error. */
static void test_audit_fw_mutations(void)
{
	static const struct {
		const char *rec, *table;
	} src[] = { { "intel-server", "DMAR" }, { "amd-server", "IVRS" } };
	uint32_t x = 0x2545f491; /* xorshift32: the same variants every run */

	for (size_t k = 0; k < 2; k++) {
		char path[512], cmd[4096], out[256], err[256];
		size_t len = 0;
		char *t;

		snprintf(path, sizeof(path),
			 "%s/tests/data/recordings/%s/root/sys/firmware/acpi/"
			 "tables/%s",
			 unit_srcdir(), src[k].rec, src[k].table);
		t = slurp(path, &len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(t);
		CU_ASSERT_TRUE_FATAL(len > 48);
		for (int v = 0; v < 48; v++) {
			char *m = malloc(len);
			FILE *f;
			int st;

			CU_ASSERT_PTR_NOT_NULL_FATAL(m);
			memcpy(m, t, len);
			for (int flips = 0; flips < 1 + v % 4; flips++) {
				x ^= x << 13;
				x ^= x >> 17;
				x ^= x << 5;
				m[48 + x % (len - 48)] ^=
				    (char)(1u << (x >> 29));
			}
			snprintf(
			    cmd, sizeof(cmd),
			    "r='%s/mut'; rm -rf \"$r\"; "
			    "mkdir -p \"$r/root/sys/firmware/acpi/tables\" "
			    "\"$r/root/sys/bus/pci/devices\" && printf "
			    "'thinhv-recording 1\\nprivileged: yes\\n' "
			    ">\"$r/THINHV-RECORDING\"",
			    tmpdir);
			CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
			snprintf(path, sizeof(path),
				 "%s/mut/root/sys/firmware/acpi/tables/%s",
				 tmpdir, src[k].table);
			f = fopen(path, "wb");
			CU_ASSERT_PTR_NOT_NULL_FATAL(f);
			CU_ASSERT_EQUAL(fwrite(m, 1, len, f), len);
			fclose(f);
			free(m);
			snprintf(out, sizeof(out), "%s/m.out", tmpdir);
			snprintf(err, sizeof(err), "%s/m.err", tmpdir);
			snprintf(cmd, sizeof(cmd),
				 "'%s' scan --json --replay '%s/mut' >'%s' "
				 "2>'%s'",
				 unit_cli(), tmpdir, out, err);
			st = system(cmd);
			CU_ASSERT_FALSE(WIFSIGNALED(st));
			CU_ASSERT_TRUE(WEXITSTATUS(st) < 4);
			/* Python start-up is the cost: validate a sample. */
			if (v % 8 == 0)
				CU_ASSERT_EQUAL(validate(SCAN_SCHEMA, out), 0);
		}
		free(t);
	}
}

/*
 * The audit library on its own (build/libaudit.a, no CLI): a recording
 * loads into the same inventory and findings the CLI reports, and a bad
 * recording comes back as an error and a message naming the file and the
 * line or byte, with nothing printed by the library itself.
 */
static void test_audit_library(void)
{
	static const struct {
		const char *rec;
		const char *where; /* what the message must name */
	} bad[] = {
		{ "bad-manifest",
		  "THINHV-RECORDING:1: recording format version" },
		{ "bad-config-size", "0000:01:00.0/config: 17 bytes" },
		{ "no-such-recording", "not a thinhv recording" },
	};
	char dir[4096], err[768], errpath[128];
	struct audit_src *src = NULL;
	struct audit_inv inv;
	struct audit_findings fs;
	char *printed;
	int saved, fd, rc;

	snprintf(dir, sizeof(dir), "%s/tests/data/recordings/amd-server",
		 unit_srcdir());
	CU_ASSERT_EQUAL_FATAL(audit_src_open(&src, NULL, dir, err, sizeof(err)),
			      0);
	CU_ASSERT_TRUE(audit_src_replaying(src));
	CU_ASSERT_EQUAL_FATAL(audit_gather(src, &inv, err, sizeof(err)), 0);
	CU_ASSERT(inv.ndevs > 0);
	audit_findings_eval(&inv, &fs);
	/* scan --replay amd-server exits 3: HIGH and lower findings */
	CU_ASSERT_EQUAL(audit_findings_exit(&fs), 3);
	audit_findings_free(&fs);
	audit_inv_free(&inv);
	CU_ASSERT_EQUAL(audit_src_close(src), 0);

	/* Errors: returned with a message, stderr left to the caller. */
	snprintf(errpath, sizeof(errpath), "%s/lib.err", tmpdir);
	fflush(stderr);
	saved = dup(2);
	fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CU_ASSERT_FATAL(saved >= 0 && fd >= 0);
	dup2(fd, 2);
	close(fd);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(dir, sizeof(dir), "%s/tests/data/recordings/%s",
			 unit_srcdir(), bad[i].rec);
		err[0] = '\0';
		src = NULL;
		rc = audit_src_open(&src, NULL, dir, err, sizeof(err));
		if (!rc) {
			rc = audit_gather(src, &inv, err, sizeof(err));
			if (!rc)
				audit_inv_free(&inv);
			audit_src_close(src);
		}
		CU_ASSERT(rc < 0);
		if (!strstr(err, bad[i].where))
			fprintf(stdout, "\n  %s: '%s'\n", bad[i].rec, err);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, bad[i].where));
	}
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	printed = slurp(errpath, NULL);
	CU_ASSERT_PTR_NOT_NULL(printed);
	if (printed)
		CU_ASSERT_STRING_EQUAL(printed, "");
	free(printed);
}

UNIT_SUITE(audit, init, cleanup, UNIT_TEST(test_audit_golden_outputs),
	   UNIT_TEST(test_audit_malformed_recordings),
	   UNIT_TEST(test_audit_baseline_diff),
	   UNIT_TEST(test_audit_json_schema),
	   UNIT_TEST(test_audit_expected_findings),
	   UNIT_TEST(test_audit_exit_bits),
	   UNIT_TEST(test_audit_report_binding),
	   UNIT_TEST(test_audit_record_replay_live),
	   UNIT_TEST(test_audit_acpi_corpus),
	   UNIT_TEST(test_audit_fw_mutations), UNIT_TEST(test_audit_library))
