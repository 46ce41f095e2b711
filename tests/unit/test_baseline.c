// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_baseline.c - `--baseline OLD.json` is untrusted input read with
 * jansson, and the JSON writer keeps valid UTF-8 whole (host userspace;
 * drives the CLI; issue 18 item 6 and issue 19 items 3-4).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"

static char bdir[] = "/tmp/thinhv-base-XXXXXX";

static char *slurp(const char *name)
{
	char p[256];
	FILE *f;
	char *b;
	long n;

	snprintf(p, sizeof(p), "%s/%s", bdir, name);
	f = fopen(p, "rb");
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
	if (b)
		b[n] = '\0';
	fclose(f);
	return b;
}

/* scan --replay amd-server --baseline bdir/NAME; stdout to bdir/out, stderr
 * to bdir/err, at most 20 s (a hang is exit 124). Exit status returned. */
static int scan_with(const char *name, double *secs)
{
	char cmd[2048];
	double t0 = unit_now();
	int rc;

	snprintf(cmd, sizeof(cmd),
		 "cd '%s/tests/data/recordings' && THINHV_PCI_IDS=pci.ids "
		 "NO_COLOR=1 timeout 20 '%s' scan --replay amd-server "
		 "--baseline '%s/%s' >'%s/out' 2>'%s/err'",
		 unit_srcdir(), unit_cli(), bdir, name, bdir, bdir);
	rc = unit_sh(cmd);
	if (secs)
		*secs = unit_now() - t0;
	return rc;
}

static int base_init(void)
{
	char cmd[2048];

	if (!mkdtemp(bdir))
		return -1;
	snprintf(
	    cmd, sizeof(cmd),
	    "cd '%s' && G='%s/tests/data/golden/amd-server.scan.json' && "
	    /* a NUL hidden in an escape: must not truncate the string */
	    "sed '0,/\"driver\": \"pcieport\"/s//\"driver\": "
	    "\"pcieport\\\\u0000x\"/' \"$G\" > nul.json && "
	    /* a malformed \\u escape */
	    "sed '0,/\"driver\": \"pcieport\"/s//\"driver\": "
	    "\"\\\\u12G4\"/' \"$G\" > badesc.json && "
	    /* bytes that are not UTF-8 */
	    "sed \"0,/\\\"driver\\\": \\\"pcieport\\\"/s//\\\"driver\\\": "
	    "\\\"$(printf 'pc\\377port')\\\"/\" \"$G\" > notutf8.json && "
	    /* an escape sequence for the terminal, in a valid string */
	    "sed '0,/\"driver\": \"pcieport\"/s//\"driver\": "
	    "\"\\\\u001b[1A\\\\u001b[2Kpcieport\"/' \"$G\" > esc.json && "
	    /* 16 MiB: a device array no machine has */
	    "{ printf '{\"schema\": \"thinhv-scan-v1\", \"findings\": [], "
	    "\"devices\": ['; yes '{\"bdf\": \"0000:00:00.0\"},' | "
	    "head -c 16777216; printf '{}]}'; } > huge.json && "
	    /* 7.5 MiB: under the size limit, 300000 devices */
	    "{ printf '{\"schema\": \"thinhv-scan-v1\", \"findings\": "
	    "[], \"devices\": ['; yes '{\"bdf\": \"0000:00:00.0\"},' | "
	    "head -n 300000 | tr -d '\\n'; printf '{}]}'; } > many.json && "
	    "mkfifo fifo.json",
	    bdir, unit_srcdir());
	return unit_sh(cmd) ? -1 : 0;
}

static int base_cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", bdir);
	return unit_sh(cmd) ? -1 : 0;
}

/* Refused with an error that names the file and the byte. */
static void expect_refused(const char *name, const char *what)
{
	char *e;
	int rc = scan_with(name, NULL);

	CU_ASSERT_EQUAL(rc & 4, 4);
	CU_ASSERT_TRUE(rc < 8);
	e = slurp("err");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	if (!strstr(e, what))
		fprintf(stderr, "\n  %s: want '%s' in: %s", name, what, e);
	CU_ASSERT_PTR_NOT_NULL(strstr(e, name));
	CU_ASSERT_PTR_NOT_NULL(strstr(e, what));
	free(e);
}

static void test_baseline_strict_json(void)
{
	expect_refused("nul.json", "byte ");
	expect_refused("badesc.json", "byte ");
	expect_refused("notutf8.json", "byte ");
}

/* 16 MiB of devices: refused in well under a second. 7.5 MiB of 300000
 * devices: parsed, then refused by count with a message saying so. */
static void test_baseline_huge(void)
{
	double secs = 0;
	char *e;
	int rc = scan_with("huge.json", &secs);

	CU_ASSERT_EQUAL(rc & 4, 4);
	CU_ASSERT_TRUE(secs < 1.0);
	if (secs >= 1.0)
		fprintf(stderr, "\n  huge.json took %.2f s\n", secs);
	e = slurp("err");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_PTR_NOT_NULL(strstr(e, "larger than 8388608 bytes"));
	free(e);
	rc = scan_with("many.json", &secs);
	CU_ASSERT_EQUAL(rc & 4, 4);
	/* about 1 s plain, 4 s under ASan: the bound catches a blow-up */
	CU_ASSERT_TRUE(secs < 10.0);
	if (secs >= 2.0)
		fprintf(stderr, "\n  many.json took %.2f s\n", secs);
	e = slurp("err");
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_PTR_NOT_NULL(strstr(e, "more than 65536 devices"));
	free(e);
}

/* A FIFO as the baseline is refused at once, not read forever. */
static void test_baseline_fifo(void)
{
	double secs = 0;
	int rc = scan_with("fifo.json", &secs);

	CU_ASSERT_NOT_EQUAL(rc, 124);
	CU_ASSERT_EQUAL(rc & 4, 4);
	CU_ASSERT_TRUE(secs < 5.0);
}

/* Strings from the baseline reach the terminal made printable. */
static void test_baseline_diff_printable(void)
{
	char *o;
	int rc = scan_with("esc.json", NULL);

	CU_ASSERT_EQUAL(rc & 4, 0);
	o = slurp("out");
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_PTR_NULL(strchr(o, '\033'));
	CU_ASSERT_PTR_NOT_NULL(strstr(o, "\\x1b[1A\\x1b[2Kpcieport -> "));
	free(o);
}

/* The JSON writer: valid UTF-8 whole, invalid bytes as U+FFFD. */
static void test_json_writer_utf8(void)
{
	char cmd[2048];
	char *o;

	snprintf(cmd, sizeof(cmd),
		 "cp -a '%s/tests/data/recordings/intel-server' '%s/rec' && "
		 "ln -sfn \"../../../bus/pci/drivers/caf$(printf "
		 "'\\303\\251-\\346\\227\\245-\\377-\\302\\233')\" "
		 "'%s/rec/root/sys/bus/pci/devices/0000:02:00.0/driver' && "
		 "cd '%s/tests/data/recordings' && THINHV_PCI_IDS=pci.ids "
		 "'%s' scan --json --replay '%s/rec' >'%s/rec.json' "
		 "2>/dev/null; true",
		 unit_srcdir(), bdir, bdir, unit_srcdir(), unit_cli(), bdir,
		 bdir);
	CU_ASSERT_EQUAL(unit_sh(cmd), 0);
	o = slurp("rec.json");
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_PTR_NOT_NULL(strstr(
	    o, "\"driver\": \"caf\303\251-\346\227\245-\\ufffd-\\u009b\""));
	free(o);
}

UNIT_SUITE(baseline, base_init, base_cleanup,
	   UNIT_TEST(test_baseline_strict_json), UNIT_TEST(test_baseline_huge),
	   UNIT_TEST(test_baseline_fifo),
	   UNIT_TEST(test_baseline_diff_printable),
	   UNIT_TEST(test_json_writer_utf8))
