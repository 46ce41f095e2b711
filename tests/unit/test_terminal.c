// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_terminal.c - untrusted strings never reach the terminal raw (host
 * userspace): a driver name in a recording, a path in an error message and
 * the sanitizer itself (issue 19 item 3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "auditcli/lib/audit.h"

static char tdir[] = "/tmp/thinhv-term-XXXXXX";

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		char *nb;
		size_t r;

		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 65536;
			nb = realloc(b, cap);
			if (!nb)
				break;
			b = nb;
		}
		r = fread(b + n, 1, cap - n - 1, f);
		if (!r)
			break;
		n += r;
	}
	fclose(f);
	if (b)
		b[n] = '\0';
	return b;
}

static int term_init(void)
{
	char cmd[1024];

	if (!mkdtemp(tdir))
		return -1;
	/* intel-server with one driver name that erases the line above */
	snprintf(cmd, sizeof(cmd),
		 "cp -a '%s/tests/data/recordings/intel-server' '%s/rec' && "
		 "ln -sfn \"../../../bus/pci/drivers/nv$(printf "
		 "'\\033[1A\\033[2K\\r\\302\\233')\" "
		 "'%s/rec/root/sys/bus/pci/devices/0000:02:00.0/driver'",
		 unit_srcdir(), tdir, tdir);
	return unit_sh(cmd) ? -1 : 0;
}

static int term_cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tdir);
	return unit_sh(cmd) ? -1 : 0;
}

/* The crafted driver name shows up escaped; no raw ESC or C1 CSI. */
static void test_scan_text_escapes_driver(void)
{
	char cmd[1024], out[256];
	char *o;

	snprintf(out, sizeof(out), "%s/scan.txt", tdir);
	snprintf(cmd, sizeof(cmd),
		 "cd '%s/tests/data/recordings' && THINHV_PCI_IDS=pci.ids "
		 "NO_COLOR=1 '%s' scan --replay '%s/rec' >'%s' 2>/dev/null",
		 unit_srcdir(), unit_cli(), tdir, out);
	CU_ASSERT_TRUE(unit_sh(cmd) < 8); /* a verdict, not an error or crash */
	o = slurp(out);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_PTR_NULL(strchr(o, '\033'));
	CU_ASSERT_PTR_NULL(strchr(o, '\r'));
	CU_ASSERT_PTR_NULL(strstr(o, "\302\233"));
	CU_ASSERT_PTR_NOT_NULL(strstr(o, "nv\\x1b[1A\\x1b[2K\\x0d\\xc2\\x9b"));
	free(o);
	/* JSON keeps the real bytes, escaped the JSON way */
	snprintf(cmd, sizeof(cmd),
		 "cd '%s/tests/data/recordings' && THINHV_PCI_IDS=pci.ids "
		 "'%s' scan --json --replay '%s/rec' >'%s' 2>/dev/null",
		 unit_srcdir(), unit_cli(), tdir, out);
	CU_ASSERT_TRUE(unit_sh(cmd) < 8);
	o = slurp(out);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o);
	CU_ASSERT_PTR_NOT_NULL(strstr(o, "nv\\u001b[1A\\u001b[2K"));
	free(o);
}

/* Error messages quote what the user gave: made printable too. */
static void test_error_message_escaped(void)
{
	char cmd[1024], err[256];
	char *e;

	snprintf(err, sizeof(err), "%s/err.txt", tdir);
	snprintf(cmd, sizeof(cmd),
		 "'%s' scan --replay \"%s/$(printf 'no\\033]0;owned\\007')\" "
		 ">/dev/null 2>'%s'",
		 unit_cli(), tdir, err);
	CU_ASSERT_EQUAL(unit_sh(cmd), 4);
	e = slurp(err);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_PTR_NULL(strchr(e, '\033'));
	CU_ASSERT_PTR_NULL(strchr(e, '\007'));
	CU_ASSERT_PTR_NOT_NULL(strstr(e, "no\\x1b]0;owned\\x07"));
	free(e);
}

static void expect(const char *in, size_t n, const char *want)
{
	char out[256];

	audit_printable(in, n, out, sizeof(out));
	if (strcmp(out, want))
		fprintf(stderr, "\n  printable(%zu bytes) = '%s', want '%s'\n",
			n, out, want);
	CU_ASSERT_STRING_EQUAL(out, want);
}

/* The rules, byte by byte. */
static void test_printable_rules(void)
{
	char small[8];

	expect("plain\ttext\n", 11, "plain\ttext\n");
	expect("\033[2J", 4, "\\x1b[2J");
	expect("a\0b", 3, "a\\x00b");
	expect("\177", 1, "\\x7f");
	/* valid UTF-8 passes whole: no mojibake */
	expect("caf\303\251 \346\227\245 \360\237\230\200", 14,
	       "caf\303\251 \346\227\245 \360\237\230\200");
	/* C1 CSI, an overlong slash, a surrogate, a lone continuation */
	expect("\302\233", 2, "\\xc2\\x9b");
	expect("\300\257", 2, "\\xc0\\xaf");
	expect("\355\240\200", 3, "\\xed\\xa0\\x80");
	expect("\200x", 2, "\\x80x");
	/* a truncated sequence, then ASCII */
	expect("\346\227x", 3, "\\xe6\\x97x");
	expect("\346\227", 2, "\\xe6\\x97");
	/* right-to-left override reorders what is read */
	expect("a\342\200\256b", 5, "a\\u202eb");
	/* truncated to fit, always terminated */
	CU_ASSERT_EQUAL(
	    audit_printable("\033\033\033", 3, small, sizeof(small)), 7u);
	CU_ASSERT_EQUAL(small[7], '\0');
}

UNIT_SUITE(terminal, term_init, term_cleanup,
	   UNIT_TEST(test_scan_text_escapes_driver),
	   UNIT_TEST(test_error_message_escaped),
	   UNIT_TEST(test_printable_rules))
