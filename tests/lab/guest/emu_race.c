// SPDX-License-Identifier: GPL-2.0-only
/*
 * emu_race.c - lab guest load generator (static, guest userspace) for the
 * QEMU 7.2 TCG race behind the soak's host-mode faults (docs/lab.md):
 *   emu_race cpuid SECONDS    CPUID(0) in a loop: one #VMEXIT and VMRUN per
 *                             iteration under thinhv
 *   emu_race fxrstor SECONDS  FXSAVE once, then FXRSTOR of that image in a
 *                             loop: each one makes QEMU clear IGNNE in the
 *                             *first* vCPU's hflags2 (cpu_set_fpus() ->
 *                             cpu_clear_ignne()), a non-atomic update from
 *                             this vCPU's thread
 * Each checks its own work (CPUID(0) answers the same every time; the FPU
 * control word survives) and prints "emu_race KIND n=N errs=E".
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void cpuid0(uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(0), "c"(0));
}

int main(int argc, char **argv)
{
	static uint8_t img[512] __attribute__((aligned(16)));
	uint64_t n = 0, errs = 0;
	double end;

	if (argc != 3 ||
	    (strcmp(argv[1], "cpuid") && strcmp(argv[1], "fxrstor"))) {
		fprintf(stderr, "usage: emu_race cpuid|fxrstor SECONDS\n");
		return 2;
	}
	end = now() + atof(argv[2]);
	if (!strcmp(argv[1], "cpuid")) {
		uint32_t first[4], r[4];

		cpuid0(first);
		do {
			for (int i = 0; i < 1000; i++, n++) {
				cpuid0(r);
				errs += memcmp(r, first, sizeof(r)) != 0;
			}
		} while (now() < end);
	} else {
		uint16_t cw;

		__asm__ volatile("fxsave %0" : "=m"(img));
		do {
			for (int i = 0; i < 1000; i++, n++) {
				__asm__ volatile("fxrstor %0" ::"m"(img));
				__asm__ volatile("fnstcw %0" : "=m"(cw));
				errs += cw != *(uint16_t *)img;
			}
		} while (now() < end);
	}
	printf("emu_race %s n=%llu errs=%llu\n", argv[1], (unsigned long long)n,
	       (unsigned long long)errs);
	return errs != 0;
}
