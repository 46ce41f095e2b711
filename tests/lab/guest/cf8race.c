// SPDX-License-Identifier: GPL-2.0-only
/*
 * cf8race.c - lab probe (guest userspace, root): races PCI configuration
 * mechanism #1 across two CPUs. The writer on CPU 0 repeatedly sets
 * CONFIG_ADDRESS to VICTIM's register REG and writes VALUE to CONFIG_DATA;
 * the switcher on CPU 1 keeps setting CONFIG_ADDRESS to TARGET's same
 * register. Natively some of the writer's bytes land in TARGET (the latch
 * is one global register); under thinhv with TARGET guarded they must not.
 *   cf8race VICTIM TARGET REG VALUE SECONDS    (BDFs as bb:dd.f, REG hex)
 * Prints "cf8race: writes N". Exit 0, or 2 on a usage/setup error (named
 * on stderr).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int parse_bdf(const char *s, unsigned int *addr)
{
	unsigned int b, d, f;
	char tail;

	if (sscanf(s, "%x:%x.%x%c", &b, &d, &f, &tail) != 3 || b > 255 ||
	    d > 31 || f > 7)
		return -1;
	*addr = 0x80000000u | b << 16 | d << 11 | f << 8;
	return 0;
}

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	unsigned int victim, target, reg, value, secs;
	unsigned long writes = 0;
	double end;
	pid_t child;
	int st;

	if (argc != 6 || parse_bdf(argv[1], &victim) ||
	    parse_bdf(argv[2], &target)) {
		fprintf(stderr, "usage: cf8race VICTIM TARGET REG VALUE "
				"SECONDS (bb:dd.f, hex REG/VALUE)\n");
		return 2;
	}
	reg = (unsigned int)strtoul(argv[3], NULL, 16);
	value = (unsigned int)strtoul(argv[4], NULL, 16) & 0xff;
	secs = (unsigned int)strtoul(argv[5], NULL, 10);
	if (reg > 0xff || !secs || secs > 60) {
		fprintf(stderr, "cf8race: REG %#x or SECONDS %u out of range\n",
			reg, secs);
		return 2;
	}
	if (ioperm(0xcf8, 8, 1)) {
		fprintf(stderr, "cf8race: ioperm(0xcf8, 8): %s\n",
			strerror(errno));
		return 2;
	}
	end = now() + secs;
	child = fork();
	if (child < 0) {
		fprintf(stderr, "cf8race: fork: %s\n", strerror(errno));
		return 2;
	}
	if (child == 0) {
		if (pin(1))
			_exit(2);
		for (;;)
			outl(target | (reg & 0xfc), 0xcf8);
	}
	if (pin(0)) {
		fprintf(stderr, "cf8race: cannot run on CPU 0\n");
		kill(child, SIGKILL);
		return 2;
	}
	while (now() < end) {
		outl(victim | (reg & 0xfc), 0xcf8);
		outb((unsigned char)value, 0xcfc + (reg & 3));
		writes++;
	}
	kill(child, SIGKILL);
	waitpid(child, &st, 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 2) {
		fprintf(stderr, "cf8race: cannot run on CPU 1\n");
		return 2;
	}
	printf("cf8race: writes %lu\n", writes);
	return 0;
}
