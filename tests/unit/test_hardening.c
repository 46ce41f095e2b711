// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_hardening.c - the `thinhv` binary runs as root on hostile input: it
 * must be built with a stack protector, fortified libc calls, as PIE and
 * with full RELRO (host userspace; reads the ELF with readelf/nm).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "unit.h"

/* Exit status of "TOOL CLI | grep -q PATTERN": 0 when the pattern is there. */
static int elf_has(const char *tool, const char *pattern)
{
	char cmd[1024];
	int st;

	snprintf(cmd, sizeof(cmd), "%s '%s' 2>/dev/null | grep -Eq '%s'", tool,
		 unit_cli(), pattern);
	st = system(cmd);
	return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_cli_hardened(void)
{
	/* full RELRO: a GNU_RELRO segment and immediate binding */
	CU_ASSERT_EQUAL(elf_has("readelf -lW", "GNU_RELRO"), 0);
	CU_ASSERT_EQUAL(elf_has("readelf -dW", "BIND_NOW|FLAGS_1.*NOW"), 0);
	/* PIE */
	CU_ASSERT_EQUAL(elf_has("readelf -hW", "Type: +DYN"), 0);
	/* -fstack-protector-strong */
	CU_ASSERT_EQUAL(elf_has("nm -D", "__stack_chk_fail"), 0);
	/* _FORTIFY_SOURCE (not in the sanitizer build: ASan replaces it) */
	if (!strstr(unit_cli(), "/san/"))
		CU_ASSERT_EQUAL(elf_has("nm -D", "__[a-z]+_chk"), 0);
}

UNIT_SUITE(hardening, NULL, NULL, UNIT_TEST(test_cli_hardened))
