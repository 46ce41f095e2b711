// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmxon_probe.c - lab guest probe (static, guest userspace): runs VMX
 * instructions at CPL 3, each in a child process, and prints the signal
 * that ended the child: "vmxon sig=4" (4 = SIGILL from #UD, 0 = none).
 * Under thinhv's VMX backend every VMX instruction exits to the
 * hypervisor, which injects #UD; VMCALL from CPL 3 is #UD by the ABI.
 *   vmxon_probe [NAME...]      (default: all)
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static uint64_t mem;

static void op_vmxon(void)
{
	__asm__ volatile("vmxon %0" ::"m"(mem));
}

static void op_vmptrld(void)
{
	__asm__ volatile("vmptrld %0" ::"m"(mem));
}

static void op_vmlaunch(void)
{
	__asm__ volatile("vmlaunch");
}

static void op_vmxoff(void)
{
	__asm__ volatile("vmxoff");
}

static void op_vmcall(void)
{
	/* thinhv's magic with the VERSION function: still #UD at CPL 3 */
	__asm__ volatile("vmcall" ::"a"(0x74680001u), "b"(0), "c"(0), "d"(0));
}

static const struct {
	const char *name;
	void (*fn)(void);
} ops[] = {
	{ "vmxon", op_vmxon },	     { "vmptrld", op_vmptrld },
	{ "vmlaunch", op_vmlaunch }, { "vmxoff", op_vmxoff },
	{ "vmcall", op_vmcall },
};

static int run(unsigned int i)
{
	int st = 0;
	pid_t p = fork();

	if (p < 0) {
		perror("vmxon_probe: fork");
		return 1;
	}
	if (p == 0) {
		ops[i].fn();
		_exit(0);
	}
	if (waitpid(p, &st, 0) != p) {
		perror("vmxon_probe: waitpid");
		return 1;
	}
	printf("%s sig=%d\n", ops[i].name, WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int i;
	int rc = 0, j;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		int want = argc < 2;

		for (j = 1; j < argc; j++)
			want |= !strcmp(argv[j], ops[i].name);
		if (want)
			rc |= run(i);
	}
	return rc;
}
