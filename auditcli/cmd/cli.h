/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cli.h - the `thinhv` command's subcommand table and exit-code convention
 * (host userspace). One source file per subcommand registers itself with
 * CLI_COMMAND(); main.c dispatches.
 */
#ifndef THINHV_CLI_H
#define THINHV_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Exit status: a frozen bitmask so pipelines can gate on it.
 *   0  everything checked passed
 *   1  warnings (findings of low/medium severity)
 *   2  failures (a security check failed, a verification did not pass)
 *   4  errors (bad usage, unreadable or malformed input, a tool error)
 */
#define CLI_EXIT_OK 0
#define CLI_EXIT_WARN 1
#define CLI_EXIT_FAIL 2
#define CLI_EXIT_ERROR 4

struct cli_command {
	const char *name;
	const char *summary;
	/* argv[0] is the subcommand name; returns a CLI_EXIT_* bitmask. */
	int (*run)(int argc, char **argv);
	struct cli_command *next;
};

void cli_register(struct cli_command *c);

/* The `thinhv NAME --help` text (cli_usage.c), or NULL. */
const char *cli_usage(const char *name);

/* Print "thinhv: <fmt>" to stderr (one place for diagnostics). */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* True when colour may be used on this stream (a tty and NO_COLOR unset). */
bool cli_colour(FILE *f);

#define CLI_COMMAND(id, cname, csummary, crun)                                \
	static struct cli_command id##_cmd = { cname, csummary, crun, NULL }; \
	__attribute__((constructor)) static void id##_cmd_register(void)      \
	{                                                                     \
		cli_register(&id##_cmd);                                      \
	}

#endif /* THINHV_CLI_H */
