// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_policy_xml.c - policy XML front end and the `thinhv policy` command:
 * malformed inputs (precise file:line errors, exit code 4), golden
 * compile -> show -> compile, digest stability, inventories and `check`
 * (host unit tests; the CLI is the binary named by THINHV_CLI).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "policy/lib/pol_internal.h"

static char tmpdir[64];

static int suite_init(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/thinhv-poltest.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int suite_cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void src_path(char *buf, size_t len, const char *rel)
{
	snprintf(buf, len, "%s/%s", unit_srcdir(), rel);
}

/*
 * Run the CLI with args (a shell fragment); capture stdout and stderr
 * (merged when merge is set, else stdout only). Returns the exit status,
 * or -1 when the CLI is unavailable.
 */
static int run_cli(const char *args, char **out, bool merge)
{
	const char *cli = getenv("THINHV_CLI");
	char cmd[2048];
	size_t cap = 4096, n = 0;
	char *buf;
	FILE *p;
	int st;

	*out = NULL;
	if (!cli || !*cli) {
		CU_FAIL("THINHV_CLI not set (run through `make unit`)");
		return -1;
	}
	snprintf(cmd, sizeof(cmd), "cd '%s' && '%s' %s %s", unit_srcdir(), cli,
		 args, merge ? "2>&1" : "2>/dev/null");
	p = popen(cmd, "r");
	if (!p)
		return -1;
	buf = malloc(cap);
	for (;;) {
		size_t r;

		if (n + 1 >= cap) {
			char *nb = realloc(buf, cap * 2);

			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		r = fread(buf + n, 1, cap - n - 1, p);
		if (r == 0)
			break;
		n += r;
	}
	buf[n] = '\0';
	st = pclose(p);
	*out = buf;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *slurp(const char *path, size_t *len)
{
	struct pol_err e = { { 0 } };
	char *buf = NULL;

	if (pol_read_file(path, 4 << 20, &buf, len, &e)) {
		fprintf(stderr, "\n%s\n", e.msg);
		return NULL;
	}
	return buf;
}

/* Every file in tests/data/policy/bad fails where EXPECT says, both in
 * the library and through the CLI (exit 4 = malformed input). */
static void test_bad_inputs(void)
{
	char path[512], line[512];
	unsigned int checked = 0;
	FILE *f;

	src_path(path, sizeof(path), "tests/data/policy/bad/EXPECT");
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	while (fgets(line, sizeof(line), f)) {
		char *file, *ln, *text, *save = NULL, want[600], args[700];
		struct pol_err e = { { 0 } };
		struct pol_policy p;
		struct pol_compiled c;
		char *out;
		int ret, st;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		file = strtok_r(line, "|", &save);
		ln = strtok_r(NULL, "|", &save);
		text = strtok_r(NULL, "", &save);
		CU_ASSERT_FATAL(file && ln && text);
		snprintf(path, sizeof(path), "tests/data/policy/bad/%s", file);
		snprintf(want, sizeof(want), "%s:%s: ", path, ln);

		/* Library: message names file:line and says what. */
		{
			char full[600];

			src_path(full, sizeof(full), path);
			ret = pol_xml_load(full, &p, &e);
			if (!ret) {
				ret = pol_compile(&p, NULL, &c, &e);
				pol_policy_free(&p);
				if (!ret)
					pol_compiled_free(&c);
			}
		}
		CU_ASSERT_NOT_EQUAL(ret, 0);
		if (!strstr(e.msg, text) || !strstr(e.msg, want)) {
			fprintf(stderr, "\n%s: want '%s' + '%s', got '%s'\n",
				file, want, text, e.msg);
			CU_FAIL("imprecise error");
		}

		/* CLI: same message on stderr, exit code 4, no blob. */
		snprintf(args, sizeof(args),
			 "policy compile '%s' -o '%s/bad.blob'", path, tmpdir);
		st = run_cli(args, &out, true);
		CU_ASSERT_EQUAL(st, 4);
		if (out && (!strstr(out, want) || !strstr(out, text))) {
			fprintf(stderr, "\nCLI %s: got '%s'\n", file, out);
			CU_FAIL("CLI error imprecise");
		}
		free(out);
		snprintf(args, sizeof(args), "%s/bad.blob", tmpdir);
		CU_ASSERT_NOT_EQUAL(access(args, F_OK), 0);
		checked++;
	}
	fclose(f);
	CU_ASSERT(checked >= 20);
}

static void test_size_limit(void)
{
	char path[128], args[256], *out;
	FILE *f;
	int st;

	/* A comment padding a valid policy past 1 MiB. */
	snprintf(path, sizeof(path), "%s/huge.xml", tmpdir);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "<policy version=\"1\"><!--");
	for (int i = 0; i < POL_XML_MAX_BYTES / 64 + 1; i++)
		fprintf(f, "%064d", i);
	fprintf(f, "--><default><deny/></default></policy>\n");
	fclose(f);
	snprintf(args, sizeof(args), "policy digest '%s'", path);
	st = run_cli(args, &out, true);
	CU_ASSERT_EQUAL(st, 4);
	CU_ASSERT_PTR_NOT_NULL(out ? strstr(out, "limit") : NULL);
	free(out);
}

static void test_usage_errors(void)
{
	char *out;

	CU_ASSERT_EQUAL(run_cli("policy", &out, true), 4);
	free(out);
	CU_ASSERT_EQUAL(run_cli("policy frobnicate x", &out, true), 4);
	free(out);
	/* compile without -o */
	CU_ASSERT_EQUAL(
	    run_cli("policy compile policy/examples/lab.xml", &out, true), 4);
	free(out);
	CU_ASSERT_EQUAL(run_cli("policy digest /nonexistent.xml", &out, true),
			4);
	CU_ASSERT_PTR_NOT_NULL(out ? strstr(out, "/nonexistent.xml") : NULL);
	free(out);
}

/*
 * Golden: `show` of each example equals the recorded output (which pins
 * the digest, so any change of the blob format shows up), and the shown
 * XML compiles back to the identical blob.
 */
static void golden_one(const char *name, const char *src, const char *inv)
{
	char args[1024], gpath[512], b1[256], b2[256], shown[256], *out;
	char *golden, *x, *y;
	size_t glen, l1, l2;
	int st;

	snprintf(args, sizeof(args), "policy show '%s' %s%s", src,
		 inv ? "--inventory " : "", inv ? inv : "");
	st = run_cli(args, &out, false);
	CU_ASSERT_EQUAL(st, 0);
	if (!out)
		return;
	snprintf(gpath, sizeof(gpath), "%s/tests/data/policy/golden/%s",
		 unit_srcdir(), name);
	golden = slurp(gpath, &glen);
	CU_ASSERT_PTR_NOT_NULL(golden);
	if (golden && strcmp(golden, out)) {
		fprintf(stderr, "\n%s differs from the output:\n%s\n", gpath,
			out);
		CU_FAIL("golden show output differs");
	}
	free(golden);

	snprintf(b1, sizeof(b1), "%s/%s.1.blob", tmpdir, name);
	snprintf(b2, sizeof(b2), "%s/%s.2.blob", tmpdir, name);
	snprintf(shown, sizeof(shown), "%s/%s", tmpdir, name);
	{
		FILE *f = fopen(shown, "w");

		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		fputs(out, f);
		fclose(f);
	}
	free(out);
	snprintf(args, sizeof(args), "policy compile '%s' -o '%s' %s%s", src,
		 b1, inv ? "--inventory " : "", inv ? inv : "");
	CU_ASSERT_EQUAL(run_cli(args, &out, true), 0);
	free(out);
	/* The shown form is self-contained: no inventory needed any more. */
	snprintf(args, sizeof(args), "policy compile '%s' -o '%s'", shown, b2);
	CU_ASSERT_EQUAL(run_cli(args, &out, true), 0);
	free(out);
	x = slurp(b1, &l1);
	y = slurp(b2, &l2);
	CU_ASSERT(x && y && l1 == l2 && !memcmp(x, y, l1));
	free(x);
	free(y);
}

static void test_golden_roundtrip(void)
{
	golden_one("lab.shown.xml", "policy/examples/lab.xml", NULL);
	golden_one("server.shown.xml", "policy/examples/server.xml", NULL);
	golden_one("laptop.shown.xml", "policy/examples/laptop.xml", NULL);
	golden_one("external.shown.xml", "tests/data/policy/external.xml",
		   "tests/data/policy/laptop.inv");
}

static void digest_of(const char *file, char hex[POL_DIGEST_HEX])
{
	char args[512], *out;

	hex[0] = '\0';
	snprintf(args, sizeof(args), "policy digest '%s'", file);
	CU_ASSERT_EQUAL(run_cli(args, &out, false), 0);
	if (out && strlen(out) >= 64) {
		memcpy(hex, out, 64);
		hex[64] = '\0';
	}
	free(out);
}

static void test_digest_stability(void)
{
	char a[POL_DIGEST_HEX], b[POL_DIGEST_HEX], c[POL_DIGEST_HEX];
	char d[POL_DIGEST_HEX], blob[256], args[512], *out;
	struct pol_err e = { { 0 } };
	struct pol_policy p;
	struct pol_compiled comp;
	char path[512], lib[POL_DIGEST_HEX];

	digest_of("policy/examples/lab.xml", a);
	digest_of("tests/data/policy/lab-reformatted.xml", b);
	digest_of("tests/data/policy/lab-changed-range.xml", c);
	CU_ASSERT_EQUAL(strlen(a), 64);
	CU_ASSERT_STRING_EQUAL(a, b);	  /* same meaning, same digest */
	CU_ASSERT_STRING_NOT_EQUAL(a, c); /* one page more: different */

	/* The digest of the blob is the digest of the policy. */
	snprintf(blob, sizeof(blob), "%s/lab.blob", tmpdir);
	snprintf(args, sizeof(args),
		 "policy compile policy/examples/lab.xml -o '%s'", blob);
	CU_ASSERT_EQUAL(run_cli(args, &out, true), 0);
	free(out);
	digest_of(blob, d);
	CU_ASSERT_STRING_EQUAL(a, d);

	/* And the library agrees with the CLI (SHA-256 of the blob). */
	src_path(path, sizeof(path), "policy/examples/lab.xml");
	CU_ASSERT_EQUAL_FATAL(pol_xml_load(path, &p, &e), 0);
	CU_ASSERT_EQUAL_FATAL(pol_compile(&p, NULL, &comp, &e), 0);
	CU_ASSERT_EQUAL(pol_digest_hex(comp.blob, comp.len, lib), 0);
	CU_ASSERT_STRING_EQUAL(lib, a);
	pol_compiled_free(&comp);
	pol_policy_free(&p);
}

static void test_corrupt_blob_cli(void)
{
	char blob[256], args[512], *out, *b;
	size_t len;
	FILE *f;

	snprintf(blob, sizeof(blob), "%s/corrupt.blob", tmpdir);
	snprintf(args, sizeof(args),
		 "policy compile policy/examples/server.xml -o '%s'", blob);
	CU_ASSERT_EQUAL(run_cli(args, &out, true), 0);
	free(out);
	b = slurp(blob, &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	/* Default action (header offset 44) set to 0: refused, offset named. */
	b[44] = 0;
	b[45] = 0;
	f = fopen(blob, "w");
	fwrite(b, 1, len, f);
	fclose(f);
	free(b);
	snprintf(args, sizeof(args), "policy show '%s'", blob);
	CU_ASSERT_EQUAL(run_cli(args, &out, true), 4);
	CU_ASSERT_PTR_NOT_NULL(out ? strstr(out, "byte offset 44") : NULL);
	free(out);
}

static void test_check_inventory(void)
{
	char *out;
	int st;

	st = run_cli("policy check policy/examples/lab.xml --inventory "
		     "tests/data/policy/lab.inv",
		     &out, true);
	/* Warnings (exit 1): default devices, unused rules, RAM overlap. */
	CU_ASSERT_EQUAL(st, 1);
	if (!out)
		return;
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out, "0000:00:04.0 1234:11e8 class 00ff00 -> rule "
			"'edu-a' (policy/examples/lab.xml:12): window: "
			"0x2000000-0x2ffffff rw"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0000:00:05.0 1234:11e8 class "
					   "00ff00 -> rule 'edu-b'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "edu B: no DMA at all"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "0000:00:02.0 1af4:1000 class "
					   "020000 virtio-pci -> rule 'bus0'"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out, "device 0000:01:00.0 (1af4:1044) matches no rule "
			"and falls to the default (deny)"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out, "lab.xml:26: rule 'edu-other' applies to no "
			"device"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out, "rule 'edu-a': window 0x2000000-0x2ffffff "
			"overlaps System RAM 0x100000-0x7ffdffff"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "protected ranges are removed"));
	free(out);

	/* Clean case: server policy on a matching two-device inventory. */
	{
		char inv[256], args[512];
		FILE *f;

		snprintf(inv, sizeof(inv), "%s/server.inv", tmpdir);
		f = fopen(inv, "w");
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		fprintf(f, "thinhv-inventory 1\n"
			   "device 0000:3b:00.0 8086:1563 8086:0001 020000\n"
			   "device 0000:3b:00.1 8086:1563 8086:0001 020000\n"
			   "device 0000:5e:00.0 144d:a808 144d:a801 010802\n");
		fclose(f);
		snprintf(args, sizeof(args),
			 "policy check policy/examples/server.xml "
			 "--inventory '%s'",
			 inv);
		st = run_cli(args, &out, true);
		CU_ASSERT_EQUAL(st, 0);
		CU_ASSERT_PTR_NOT_NULL(out ? strstr(out, "memory map: unknown")
					   : NULL);
		free(out);
	}
}

static void test_inventory_host_only(void)
{
	struct pol_err e = { { 0 } };
	struct pol_inventory inv;
	struct pol_policy p;
	struct pol_compiled c;
	struct pol_blob_view v;
	struct pol_rule_info r;
	char path[512];
	int i;

	src_path(path, sizeof(path), "tests/data/policy/laptop.inv");
	CU_ASSERT_EQUAL_FATAL(pol_inventory_load(path, &inv, &e), 0);
	src_path(path, sizeof(path), "tests/data/policy/external.xml");
	CU_ASSERT_EQUAL_FATAL(pol_xml_load(path, &p, &e), 0);
	/* Without an inventory: refused, never widened. */
	CU_ASSERT_NOT_EQUAL(pol_compile(&p, NULL, &c, &e), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg, "external.xml:4: rule 'dock'"));
	CU_ASSERT_EQUAL_FATAL(pol_compile(&p, &inv, &c, &e), 0);
	CU_ASSERT_EQUAL_FATAL(pol_blob_decode(c.blob, c.len, &v, NULL), 0);
	/* behind= resolved through two bridge levels. */
	i = pol_match(&v, &inv.devs[9].id); /* 21:00.0 dock NIC */
	CU_ASSERT_FATAL(i >= 0);
	pol_rule_get(&v, (uint32_t)i, &r);
	CU_ASSERT_STRING_EQUAL(r.name, "dock.21-00.0");
	/* external+driver+class (1036) beats behind (1024). */
	i = pol_match(&v, &inv.devs[10].id); /* 22:00.0 external NVMe */
	CU_ASSERT_FATAL(i >= 0);
	pol_rule_get(&v, (uint32_t)i, &r);
	CU_ASSERT_STRING_EQUAL(r.name, "ext-nvme.22-00.0");
	/* Internal NVMe (driver nvme, not external) is not ext-nvme. */
	i = pol_match(&v, &inv.devs[7].id);
	CU_ASSERT_FATAL(i >= 0);
	pol_rule_get(&v, (uint32_t)i, &r);
	CU_ASSERT_STRING_EQUAL(r.name, "internal-nvme");
	/* A device hot-plugged later at a new address: the default. */
	{
		struct pol_dev_id later = inv.devs[10].id;

		later.bus = 0x23;
		CU_ASSERT_EQUAL(pol_match(&v, &later), POL_RULE_DEFAULT);
		/* Another device swapped into the dock NIC's slot: default. */
		later = inv.devs[9].id;
		later.device_id ^= 1;
		CU_ASSERT_EQUAL(pol_match(&v, &later), POL_RULE_DEFAULT);
	}
	pol_compiled_free(&c);
	pol_policy_free(&p);
	pol_inventory_free(&inv);
}

static void test_inventory_errors(void)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "device 0000:00:01.0 8086:1234 - 020000\n",
		  "t.inv:1: not a thinhv inventory" },
		{ "thinhv-inventory 1\ndevice 0000:00:20.0 8086:1234 - "
		  "020000\n",
		  "t.inv:2: bad device address" },
		{ "thinhv-inventory 1\n\n# c\ndevice 0000:00:01.0 8086 - 02\n",
		  "t.inv:4: bad ids" },
		{ "thinhv-inventory 1\ndevice 0000:00:01.0 8086:1234 - 0200\n",
		  "t.inv:2: bad class" },
		{ "thinhv-inventory 1\ndevice 0000:00:01.0 8086:1234 - 020000 "
		  "colour=red\n",
		  "t.inv:2: unknown device attribute 'colour=red'" },
		{ "thinhv-inventory 1\ndevice 0000:00:01.0 8086:1234 - 020000\n"
		  "device 0000:00:01.0 8086:1234 - 020000\n",
		  "t.inv:3: device 0000:00:01.0 already listed at line 2" },
		{ "thinhv-inventory 1\nram 0x2000-0x1000\n",
		  "t.inv:2: bad ram range" },
		{ "thinhv-inventory 1\nram 0x1000-0xffffffffffffffffff\n",
		  "t.inv:2: bad ram range" },
		{ "thinhv-inventory 1\nbus 0\n", "t.inv:2: unknown record" },
	};
	struct pol_err e;
	struct pol_inventory inv;

	for (size_t i = 0; i < HV_ARRAY_SIZE(cases); i++) {
		memset(&e, 0, sizeof(e));
		CU_ASSERT_NOT_EQUAL(pol_inventory_parse(cases[i].text,
							strlen(cases[i].text),
							"t.inv", &inv, &e),
				    0);
		if (!strstr(e.msg, cases[i].want)) {
			fprintf(stderr, "\nwant '%s' got '%s'\n", cases[i].want,
				e.msg);
			CU_FAIL("inventory error imprecise");
		}
	}
}

/* This host, recorded and read back: the live gatherer writes what the
 * parser accepts, and `check` runs on it. */
static void test_live_inventory_roundtrip(void)
{
	struct pol_err e = { { 0 } };
	struct pol_inventory live, rec;
	char path[256], args[512], *out;
	int st;

	snprintf(path, sizeof(path), "%s/host.inv", tmpdir);
	snprintf(args, sizeof(args), "policy inventory -o '%s'", path);
	CU_ASSERT_EQUAL_FATAL(run_cli(args, &out, true), 0);
	free(out);
	CU_ASSERT_EQUAL_FATAL(pol_inventory_load(path, &rec, &e), 0);
	CU_ASSERT_EQUAL_FATAL(pol_inventory_live(&live, &e), 0);
	CU_ASSERT_EQUAL(rec.ndevs, live.ndevs);
	CU_ASSERT_EQUAL(rec.nram, live.nram);
	for (unsigned int i = 0; i < rec.ndevs && i < live.ndevs; i++) {
		CU_ASSERT(!memcmp(&rec.devs[i].id, &live.devs[i].id,
				  sizeof(rec.devs[i].id)));
		CU_ASSERT_STRING_EQUAL(rec.devs[i].driver, live.devs[i].driver);
		CU_ASSERT_EQUAL(rec.devs[i].external, live.devs[i].external);
	}
	pol_inventory_free(&rec);
	pol_inventory_free(&live);
	snprintf(args, sizeof(args),
		 "policy check policy/examples/server.xml --inventory '%s'",
		 path);
	st = run_cli(args, &out, true);
	CU_ASSERT(st == 0 || st == 1);
	free(out);
}

static void test_parse_size(void)
{
	uint64_t v;

	CU_ASSERT(!pol_parse_size("64M", &v) && v == 64ULL << 20);
	CU_ASSERT(!pol_parse_size("0x1000", &v) && v == 0x1000);
	CU_ASSERT(!pol_parse_size("4096", &v) && v == 4096);
	CU_ASSERT(!pol_parse_size("1T", &v) && v == 1ULL << 40);
	CU_ASSERT(!pol_parse_size("0xffffffffffffffff", &v) && v == ~0ULL);
	CU_ASSERT_EQUAL(pol_parse_size("0x10000000000000000", &v), -ERANGE);
	CU_ASSERT_EQUAL(pol_parse_size("16777216T", &v), -ERANGE);
	CU_ASSERT_EQUAL(pol_parse_size("", &v), -EINVAL);
	CU_ASSERT_EQUAL(pol_parse_size("12Q", &v), -EINVAL);
	CU_ASSERT_EQUAL(pol_parse_size("1MM", &v), -EINVAL);
	CU_ASSERT_EQUAL(pol_parse_size("0x", &v), -EINVAL);
}

UNIT_SUITE(policy_xml, suite_init, suite_cleanup, UNIT_TEST(test_bad_inputs),
	   UNIT_TEST(test_size_limit), UNIT_TEST(test_usage_errors),
	   UNIT_TEST(test_golden_roundtrip), UNIT_TEST(test_digest_stability),
	   UNIT_TEST(test_corrupt_blob_cli), UNIT_TEST(test_check_inventory),
	   UNIT_TEST(test_inventory_host_only),
	   UNIT_TEST(test_inventory_errors),
	   UNIT_TEST(test_live_inventory_roundtrip), UNIT_TEST(test_parse_size))
