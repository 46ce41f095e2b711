// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_acpi_cli.c - `thinhv acpi` end to end (host userspace): exit codes
 * and the diagnostic text with its byte offset for malformed tables, JSON
 * that parses, and the field-by-field comparison with `iasl -d` over the
 * whole ../shared/acpi-corpus (tests/acpi/iasl_fields.py).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"

/* Run a shell command; returns its exit status, output in *out (malloc). */
static int run(const char *cmd, char **out)
{
	FILE *p = popen(cmd, "r");
	size_t n = 0, cap = 0;
	char *b = NULL;
	int st;

	if (!p)
		return -1;
	for (;;) {
		if (cap - n < 4096) {
			char *nb = realloc(b, cap + 65536);

			if (!nb)
				break;
			b = nb;
			cap += 65536;
		}
		size_t r = fread(b + n, 1, cap - n - 1, p);

		if (!r)
			break;
		n += r;
	}
	if (b)
		b[n] = '\0';
	st = pclose(p);
	*out = b;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

struct cli_case {
	const char *file;
	int exit;
	const char *text; /* must appear in stderr */
};

static const struct cli_case cases[] = {
	{ "dmar_all_types.dat", 0, "0 error(s), 0 warning(s)" },
	{ "ivrs_all_types.dat", 0, "0 error(s), 0 warning(s)" },
	{ "dmar_zero_length.dat", 4,
	  "error: tests/data/acpi/dmar_zero_length.dat: offset 0x48 (72): "
	  "record has zero length" },
	{ "dmar_overrun.dat", 4,
	  "offset 0x48 (72): record runs past the end of the table" },
	{ "dmar_bad_checksum.dat", 1,
	  "warning: tests/data/acpi/dmar_bad_checksum.dat: offset 0x9 (9): "
	  "checksum mismatch" },
	{ "dmar_truncated_header.dat", 4,
	  "offset 0x0 (0): table shorter than the 36-byte ACPI header" },
	{ "dmar_truncated_table.dat", 5,
	  "offset 0x4 (4): declared table length exceeds the bytes available" },
	{ "dmar_unknown_type.dat", 1,
	  "offset 0x48 (72): unknown record type skipped (type 0x7f" },
	{ "dmar_huge_scope.dat", 4,
	  "offset 0x40 (64): device scope runs past the end of its record "
	  "(type 0x1, value 0xfe)" },
	{ "ivrs_zero_length.dat", 4,
	  "offset 0x30 (48): record has zero length" },
	{ "ivrs_entry_overrun.dat", 4,
	  "offset 0x50 (80): device entry runs past the end of its IVHD" },
	{ "ivrs_unknown_entry.dat", 5,
	  "offset 0x5c (92): variable-length device entry of unknown type" },
	{ "ivrs_range_errors.dat", 1,
	  "offset 0x58 (88): device range ends before it starts" },
	{ "ivrs_unknown_type.dat", 1,
	  "offset 0x30 (48): unknown record type skipped (type 0x51" },
};

static void test_cli_diagnostics(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char cmd[8192];
		char *out = NULL;
		int st;

		snprintf(cmd, sizeof(cmd),
			 "cd '%s' && '%s' acpi tests/data/acpi/%s 2>&1",
			 unit_srcdir(), unit_cli(), cases[i].file);
		st = run(cmd, &out);
		if (st != cases[i].exit || !out || !strstr(out, cases[i].text))
			fprintf(stderr,
				"\n%s: exit %d (want %d), want '%s' in:\n%s",
				cases[i].file, st, cases[i].exit, cases[i].text,
				out ? out : "");
		CU_ASSERT_EQUAL(st, cases[i].exit);
		CU_ASSERT_PTR_NOT_NULL(out && strstr(out, cases[i].text));
		free(out);
	}
}

static void test_cli_text_and_json(void)
{
	char cmd[8192];
	char *out = NULL;
	int st;

	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && '%s' acpi tests/data/acpi/ivrs_all_types.dat",
		 unit_srcdir(), unit_cli());
	st = run(cmd, &out);
	CU_ASSERT_EQUAL(st, 0);
	CU_ASSERT_PTR_NOT_NULL(out &&
			       strstr(out, "range    05:00.0 - 05:1f.7"));
	CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "IOAPIC 33 at 00:14.0"));
	CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "UID \\_SB.FUR0"));
	free(out);

	/* JSON of every hand-made table (malformed ones too) must parse. */
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && '%s' acpi --json tests/data/acpi/*.dat 2>/dev/null"
		 " | python3 -c 'import json,sys; t=json.load(sys.stdin)"
		 "[\"tables\"]; print(len(t), t[0][\"records\"][0][\"type\"],"
		 " t[0][\"dma_ctrl_platform_opt_in\"])'",
		 unit_srcdir(), unit_cli());
	st = run(cmd, &out);
	CU_ASSERT_EQUAL(st, 0);
	/* One object per file, also for the truncated header. */
	if (!out || !strstr(out, "DRHD True"))
		fprintf(stderr, "\njson check printed: %s\n", out ? out : "");
	CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "DRHD True"));
	free(out);
}

/* No FILE: this host's /sys/firmware/acpi/tables, whatever it holds. */
static void test_cli_sysfs(void)
{
	bool have = !access("/sys/firmware/acpi/tables/DMAR", F_OK) ||
		    !access("/sys/firmware/acpi/tables/IVRS", F_OK);
	char cmd[4096];
	char *out = NULL;
	int st;

	snprintf(cmd, sizeof(cmd), "'%s' acpi 2>&1", unit_cli());
	st = run(cmd, &out);
	if (have) {
		CU_ASSERT(st >= 0 && st <= 5);
		CU_ASSERT_PTR_NOT_NULL(out && (strstr(out, "DMAR table") ||
					       strstr(out, "IVRS table") ||
					       strstr(out, "run with sudo")));
	} else {
		CU_ASSERT_EQUAL(st, 1);
		CU_ASSERT_PTR_NOT_NULL(
		    out && strstr(out, "no DMAR or IVRS table in "
				       "/sys/firmware/acpi/tables"));
	}
	free(out);
}

/* Field-by-field agreement with iasl over the whole corpus. */
static void test_iasl_corpus(void)
{
	char cmd[8192];
	char *out = NULL;
	int st;

	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && python3 tests/acpi/iasl_fields.py --cli '%s' "
		 "--cache build/acpi-iasl ../shared/acpi-corpus "
		 "tests/data/acpi 2>&1",
		 unit_srcdir(), unit_cli());
	st = run(cmd, &out);
	fprintf(stderr, "\n%s", out ? out : "(no output)\n");
	CU_ASSERT_EQUAL(st, 0);
	CU_ASSERT_PTR_NOT_NULL(out && strstr(out, " 0 mismatches"));
	free(out);
}

UNIT_SUITE(acpi_cli, NULL, NULL, UNIT_TEST(test_cli_diagnostics),
	   UNIT_TEST(test_cli_text_and_json), UNIT_TEST(test_cli_sysfs),
	   UNIT_TEST(test_iasl_corpus))
