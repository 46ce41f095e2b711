// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_recording.c - recordings are untrusted and recording is private
 * (host userspace; drives the CLI; issue 19 item 4): a FIFO does not hang
 * replay, DIR/root cannot point at the auditor's own machine, device
 * counts are bounded, --record makes a fresh 0700 directory of 0600 files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"

static char rdir[] = "/tmp/thinhv-rec-XXXXXX";

/* `thinhv ARGS` in rdir, stderr to rdir/err, at most 20 s (124: hung). */
static int run_cli(const char *args, double *secs)
{
	char cmd[2048];
	double t0 = unit_now();
	int rc;

	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && NO_COLOR=1 THINHV_PCI_IDS='%s/tests/data/"
		 "recordings/pci.ids' timeout 20 '%s' %s >out 2>err",
		 rdir, unit_srcdir(), unit_cli(), args);
	rc = unit_sh(cmd);
	if (secs)
		*secs = unit_now() - t0;
	return rc;
}

static int err_has(const char *what)
{
	char p[256], buf[4096];
	size_t n = 0;
	FILE *f;

	snprintf(p, sizeof(p), "%s/err", rdir);
	f = fopen(p, "r");
	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	if (!strstr(buf, what))
		fprintf(stderr, "\n  want '%s' in stderr: %s", what, buf);
	return strstr(buf, what) != NULL;
}

static int rec_init(void)
{
	char cmd[2048];

	if (!mkdtemp(rdir))
		return -1;
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && R='%s/tests/data/recordings/intel-server' && "
		 /* a FIFO where /proc/cmdline was recorded */
		 "cp -a \"$R\" fifo && rm fifo/root/proc/cmdline && "
		 "mkfifo fifo/root/proc/cmdline && "
		 /* DIR/root is the auditor's own / */
		 "mkdir rootlink && cp \"$R/THINHV-RECORDING\" rootlink/ && "
		 "ln -s / rootlink/root && "
		 /* 4097 PCI functions */
		 "cp -a \"$R\" many && cd many/root/sys/bus/pci/devices && "
		 "awk 'BEGIN { for (i = 0; i < 4097; i++) printf "
		 "\"0000:%%02x:%%02x.%%d\\n\", 16 + int(i / 256), "
		 "int(i / 8) %% 32, i %% 8 }' | xargs mkdir -p",
		 rdir, unit_srcdir());
	return unit_sh(cmd) ? -1 : 0;
}

static int rec_cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", rdir);
	return unit_sh(cmd) ? -1 : 0;
}

static void test_replay_fifo(void)
{
	double secs = 0;
	int rc = run_cli("scan --replay fifo", &secs);

	CU_ASSERT_NOT_EQUAL(rc, 124);
	CU_ASSERT_TRUE(rc < 8);
	CU_ASSERT_TRUE(secs < 10.0);
}

static void test_replay_root_symlink(void)
{
	CU_ASSERT_EQUAL(run_cli("scan --replay rootlink", NULL), 4);
	CU_ASSERT_TRUE(err_has("malformed recording"));
}

static void test_replay_device_count(void)
{
	double secs = 0;

	CU_ASSERT_EQUAL(run_cli("scan --replay many", &secs), 4);
	CU_ASSERT_TRUE(err_has("more than the 4096"));
	CU_ASSERT_TRUE(secs < 5.0);
}

/* --record into a directory someone else prepared: refused, untouched. */
static void test_record_planted_dir(void)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && mkdir -m 0777 planted elsewhere && "
		 "chmod 0777 planted && ln -s ../elsewhere planted/root",
		 rdir);
	CU_ASSERT_EQUAL_FATAL(unit_sh(cmd), 0);
	CU_ASSERT_EQUAL(run_cli("scan --record planted", NULL), 4);
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && test -z \"$(ls -A elsewhere)\" && "
		 "! test -e planted/THINHV-RECORDING",
		 rdir);
	CU_ASSERT_EQUAL(unit_sh(cmd), 0);
}

/* A fresh recording is private: 0700 directories, 0600 files. */
static void test_record_private(void)
{
	char cmd[1024];

	CU_ASSERT_EQUAL(run_cli("scan --record mine", NULL) & 4, 0);
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && test \"$(stat -c %%a mine)\" = 700 && "
		 "test -f mine/THINHV-RECORDING && "
		 "test -z \"$(find mine -type d -perm /077)\" && "
		 "test -z \"$(find mine -type f -perm /077)\"",
		 rdir);
	CU_ASSERT_EQUAL(unit_sh(cmd), 0);
	/* and it replays */
	CU_ASSERT_EQUAL(run_cli("scan --replay mine", NULL) & 4, 0);
	/* a second --record into it: refused, it is not empty */
	CU_ASSERT_EQUAL(run_cli("scan --record mine", NULL), 4);
}

UNIT_SUITE(recording, rec_init, rec_cleanup, UNIT_TEST(test_replay_fifo),
	   UNIT_TEST(test_replay_root_symlink),
	   UNIT_TEST(test_replay_device_count),
	   UNIT_TEST(test_record_planted_dir), UNIT_TEST(test_record_private))
