/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * unit.h - CUnit glue for host unit tests (host userspace).
 * Each tests/unit/test_*.c registers its suites with UNIT_SUITE(); the one
 * runner (tests/unit/main.c) collects them, so adding a test file touches no
 * shared file.
 */
#ifndef THINHV_UNIT_H
#define THINHV_UNIT_H

#include <CUnit/CUnit.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
};

struct unit_suite {
	const char *name;
	int (*init)(void);
	int (*cleanup)(void);
	const struct unit_test *tests;
	struct unit_suite *next;
};

void unit_register(struct unit_suite *s);

/* Directory holding test data (set by the runner from THINHV_SRCDIR). */
const char *unit_srcdir(void);
/* The built `thinhv` binary ($THINHV_CLI, else build/thinhv). */
const char *unit_cli(void);
/* system(cmd): the exit status, 100 + signal when killed, -1 on error. */
int unit_sh(const char *cmd);
/* Monotonic seconds (for the "answers within N s" checks). */
double unit_now(void);

#define UNIT_SUITE(id, init_fn, cleanup_fn, ...)                          \
	static const struct unit_test id##_tests[] = { __VA_ARGS__,       \
						       { NULL, NULL } };  \
	static struct unit_suite id##_suite = { #id, init_fn, cleanup_fn, \
						id##_tests, NULL };       \
	__attribute__((constructor)) static void id##_register(void)      \
	{                                                                 \
		unit_register(&id##_suite);                               \
	}

#define UNIT_TEST(fn)   \
	{               \
#fn, fn \
	}

#endif /* THINHV_UNIT_H */
