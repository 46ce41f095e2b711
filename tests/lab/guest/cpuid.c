// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpuid.c - lab guest probe (static, guest userspace): executes CPUID on a
 * chosen CPU and prints the four registers, so scenarios can read what the CPU
 * (or the hypervisor under it) reports.
 *   cpuid LEAF [SUBLEAF] [--cpu N]      -> "eax ebx ecx edx" in hex
 *   cpuid --vendor LEAF [--cpu N]       -> ebx,ecx,edx as a 12-char string
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static int usage(void)
{
	fprintf(stderr, "usage: cpuid [--vendor] LEAF [SUBLEAF] [--cpu N]\n");
	return 2;
}

int main(int argc, char **argv)
{
	uint32_t r[4], leaf = 0, sub = 0;
	int cpu = -1, nargs = 0, vendor = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--cpu") && i + 1 < argc) {
			cpu = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--vendor")) {
			vendor = 1;
		} else if (nargs == 0) {
			leaf = (uint32_t)strtoul(argv[i], NULL, 0);
			nargs++;
		} else if (nargs == 1) {
			sub = (uint32_t)strtoul(argv[i], NULL, 0);
			nargs++;
		} else {
			return usage();
		}
	}
	if (!nargs)
		return usage();
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			perror("cpuid: sched_setaffinity");
			return 1;
		}
	}
	cpuid(leaf, sub, r);
	if (vendor) {
		char s[13];

		/* Leaf 0 spells the vendor in EBX,EDX,ECX; the hypervisor
		 * leaf 0x40000000 in EBX,ECX,EDX. */
		memcpy(s, &r[1], 4);
		memcpy(s + 4, leaf == 0 ? &r[3] : &r[2], 4);
		memcpy(s + 8, leaf == 0 ? &r[2] : &r[3], 4);
		s[12] = 0;
		for (int i = 0; i < 12; i++)
			if (s[i] < 0x20 || s[i] > 0x7e)
				s[i] = s[i] ? '?' : 0;
		printf("%s\n", s);
	} else {
		printf("%08x %08x %08x %08x\n", r[0], r[1], r[2], r[3]);
	}
	return 0;
}
