// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c - `thinhv` entry point: dispatches to the registered subcommands
 * (host userspace).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auditcli/cmd/cli.h"
#include "auditcli/lib/audit.h"

#ifndef THINHV_VERSION
#define THINHV_VERSION "0.0-dev"
#endif

static struct cli_command *commands;

void cli_register(struct cli_command *c)
{
	struct cli_command **pp = &commands;

	while (*pp && strcmp((*pp)->name, c->name) < 0)
		pp = &(*pp)->next;
	c->next = *pp;
	*pp = c;
}

/* Messages quote file names and hostile input: made printable. */
static void vmsg(const char *tag, const char *fmt, va_list ap)
{
	char raw[2048], safe[4 * sizeof(raw)];
	int n = vsnprintf(raw, sizeof(raw), fmt, ap);

	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(raw))
		n = sizeof(raw) - 1;
	audit_printable(raw, (size_t)n, safe, sizeof(safe));
	fprintf(stderr, "thinhv: %s%s\n", tag, safe);
}

void cli_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("error: ", fmt, ap);
	va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

bool cli_colour(FILE *f)
{
	const char *nc = getenv("NO_COLOR");

	return isatty(fileno(f)) && !(nc && *nc);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: thinhv COMMAND [ARGS...]\n\ncommands:\n");
	for (struct cli_command *c = commands; c; c = c->next)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fprintf(f,
		"\nexit status: bitmask of 1 warnings, 2 failures, 4 errors\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CLI_EXIT_ERROR;
	}
	/* `thinhv CMD --help` and `thinhv help CMD`: one table, exit 0. */
	if (argc == 3 &&
	    (!strcmp(argv[2], "-h") || !strcmp(argv[2], "--help") ||
	     !strcmp(argv[1], "help"))) {
		const char *u =
		    cli_usage(!strcmp(argv[1], "help") ? argv[2] : argv[1]);

		if (u) {
			fputs(u, stdout);
			return CLI_EXIT_OK;
		}
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("thinhv %s\n", THINHV_VERSION);
		return CLI_EXIT_OK;
	}
	for (struct cli_command *c = commands; c; c = c->next)
		if (!strcmp(c->name, argv[1]))
			return c->run(argc - 1, argv + 1);
	cli_err("unknown command '%s' (try 'thinhv help')", argv[1]);
	return CLI_EXIT_ERROR;
}
