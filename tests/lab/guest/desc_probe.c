// SPDX-License-Identifier: GPL-2.0-only
/*
 * desc_probe.c - lab guest probe (static, guest userspace, root): reports
 * the native state a hypervisor must give back on unload, as seen from one
 * CPU: GDTR and IDTR limits (SGDT/SIDT; the lab guest has no UMIP) and
 * whether port I/O allowed by ioperm() works, which needs TR's limit to
 * cover the TSS I/O bitmap (a VM exit leaves TR's limit at 0x67).
 *   desc_probe [--cpu N]  ->  "gdt_limit=0x7f idt_limit=0xfff io=ok"
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/wait.h>
#include <unistd.h>

struct dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* Port 0x80 (POST code) is harmless to read. */
static const char *io_check(void)
{
	int st = 0;
	pid_t p = fork();

	if (p < 0)
		return "fork-failed";
	if (p == 0) {
		if (ioperm(0x80, 1, 1))
			_exit(2);
		(void)inb(0x80);
		_exit(0);
	}
	if (waitpid(p, &st, 0) != p)
		return "wait-failed";
	if (WIFSIGNALED(st))
		return WTERMSIG(st) == SIGSEGV ? "gp" : "signal";
	return WEXITSTATUS(st) == 0 ? "ok" : "ioperm-failed";
}

int main(int argc, char **argv)
{
	struct dtr g, i;

	if (argc == 3 && !strcmp(argv[1], "--cpu")) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(atoi(argv[2]), &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			perror("desc_probe: sched_setaffinity");
			return 1;
		}
	} else if (argc != 1) {
		fprintf(stderr, "usage: desc_probe [--cpu N]\n");
		return 2;
	}
	__asm__ volatile("sgdt %0" : "=m"(g));
	__asm__ volatile("sidt %0" : "=m"(i));
	printf("gdt_limit=%#x idt_limit=%#x io=%s\n", g.limit, i.limit,
	       io_check());
	return 0;
}
