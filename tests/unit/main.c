// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c - the one CUnit runner for host unit tests (host userspace).
 * Usage: unit_tests [SUITE...]   (no argument: every suite)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <CUnit/Basic.h>

#include "unit.h"

static struct unit_suite *suites;

void unit_register(struct unit_suite *s)
{
	struct unit_suite **pp = &suites;

	/* Keep suites sorted by name so runs are stable whatever the link order. */
	while (*pp && strcmp((*pp)->name, s->name) < 0)
		pp = &(*pp)->next;
	s->next = *pp;
	*pp = s;
}

const char *unit_srcdir(void)
{
	const char *d = getenv("THINHV_SRCDIR");

	return d && *d ? d : ".";
}

const char *unit_cli(void)
{
	const char *c = getenv("THINHV_CLI");

	return c && *c ? c : "build/thinhv";
}

int unit_sh(const char *cmd)
{
	int st = system(cmd);

	if (st == -1)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

double unit_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int wanted(const char *name, int argc, char **argv)
{
	if (argc <= 1)
		return 1;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int failed;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (struct unit_suite *s = suites; s; s = s->next) {
		CU_pSuite cs;

		if (!wanted(s->name, argc, argv))
			continue;
		cs = CU_add_suite(s->name, s->init, s->cleanup);
		if (!cs)
			return 2;
		for (const struct unit_test *t = s->tests; t->name; t++)
			if (!CU_add_test(cs, t->name, t->fn))
				return 2;
	}
	CU_basic_set_mode(CU_BRM_NORMAL);
	CU_basic_run_tests();
	failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
