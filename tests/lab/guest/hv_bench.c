// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_bench.c - lab guest micro-benchmarks (static, guest userspace):
 *   hv_bench cpuid N        median TSC cycles of one CPUID(0) round trip
 *   hv_bench work MB PASSES  wall-clock ms of a CPU+memory workload
 *                           (read-modify-write over MB MiB, PASSES times)
 * Prints "cpuid_cycles=..." or "work_ms=... checksum=...". Under thinhv,
 * "work" also prints "exits=N" and "hypercalls=N": the exits of the CPU it
 * ran on during the workload, read with THINHV_IOC_CPU from inside this
 * process (no process start-up CPUIDs counted), minus the reading's own
 * hypercalls (measured by two back-to-back readings).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "thinhv/thinhv_ioctl.h"

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int bench_cpuid(long n)
{
	uint64_t *t = calloc((size_t)n, sizeof(*t));

	if (!t)
		return 1;
	for (long i = 0; i < n; i++) {
		uint32_t a = 0, b, c = 0, d;
		uint64_t t0 = rdtsc();

		__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
		t[i] = rdtsc() - t0;
	}
	qsort(t, (size_t)n, sizeof(*t), cmp_u64);
	printf("cpuid_cycles=%llu\n", (unsigned long long)t[n / 2]);
	free(t);
	return 0;
}

/* cnt[0] = exits, cnt[1] = hypercalls of `cpu`; -1 without thinhv */
static int read_exits(int fd, int cpu, unsigned long long cnt[2])
{
	struct thinhv_cpu c;

	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.abi = THINHV_IOCTL_ABI;
	c.cpu = (unsigned int)cpu;
	if (fd < 0 || ioctl(fd, THINHV_IOC_CPU, &c) ||
	    c.state != THINHV_CPU_VIRT)
		return -1;
	cnt[0] = c.counters[0];
	cnt[1] = c.counters[2];
	return 0;
}

static int bench_work(long mb, long passes)
{
	int fd = open(THINHV_DEV, O_RDONLY), cpu = sched_getcpu(), virt;
	unsigned long long e0[2], e1[2], e2[2];
	size_t n = (size_t)mb * 1024 * 1024 / sizeof(uint64_t);
	uint64_t *a = malloc(n * sizeof(*a)), sum = 0;
	struct timespec t0, t1;

	if (!a)
		return 1;
	for (size_t i = 0; i < n; i++)
		a[i] = i;
	virt = read_exits(fd, cpu, e0) == 0 && read_exits(fd, cpu, e1) == 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long p = 0; p < passes; p++)
		for (size_t i = 0; i < n; i += 8) {
			a[i] = a[i] * 6364136223846793005ull + (uint64_t)p;
			sum += a[i] >> 7;
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (virt && read_exits(fd, cpu, e2) == 0)
		printf("exits=%lld hypercalls=%lld\n",
		       (long long)(e2[0] - e1[0]) - (long long)(e1[0] - e0[0]),
		       (long long)(e2[1] - e1[1]) - (long long)(e1[1] - e0[1]));
	if (fd >= 0)
		close(fd);
	printf("work_ms=%lld checksum=%llx\n",
	       (long long)((t1.tv_sec - t0.tv_sec) * 1000 +
			   (t1.tv_nsec - t0.tv_nsec) / 1000000),
	       (unsigned long long)sum);
	free(a);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "cpuid"))
		return bench_cpuid(atol(argv[2]) > 0 ? atol(argv[2]) : 1);
	if (argc == 4 && !strcmp(argv[1], "work"))
		return bench_work(atol(argv[2]) > 0 ? atol(argv[2]) : 1,
				  atol(argv[3]) > 0 ? atol(argv[3]) : 1);
	fprintf(stderr, "usage: hv_bench cpuid N | work MB PASSES\n");
	return 2;
}
