// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_status.c - `thinhv status`: the live hypervisor state from /dev/thinhv
 * (host userspace, root). Parse options, gather (ioctls), print.
 * Output: one "key: value" line per fact, then one line per CPU and per
 * protected range, stable for scripts (tests/lab/scenarios/hv_*.sh).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "thinhv/compat.h"
#include "thinhv/hv_abi.h"
#include "thinhv/thinhv_ioctl.h"

static const char *const counter_names[HV_CNT_MAX] = {
	[HV_CNT_EXITS] = "exits",
	[HV_CNT_CPUID] = "cpuid",
	[HV_CNT_HYPERCALL] = "hypercall",
	[HV_CNT_MSR] = "msr",
	[HV_CNT_NPF] = "npf",
	[HV_CNT_VIRT_INSN] = "virt_insn",
	[HV_CNT_DENY_MEM] = "deny_mem",
	[HV_CNT_DENY_MSR] = "deny_msr",
	[HV_CNT_DENY_HC] = "deny_hc",
	[HV_CNT_REINJECT] = "reinject",
	[HV_CNT_FATAL] = "fatal",
};

static const char *const range_kinds[] = { "hv-mem", "hv-code", "mmio", "iommu",
					   "test" };

static const char *backend_name(uint32_t b)
{
	return b == THINHV_BACKEND_SVM	 ? "svm"
	       : b == THINHV_BACKEND_VMX ? "vmx"
					 : "none";
}

static void access_str(uint32_t a, char out[4])
{
	out[0] = (a & HV_ACC_R) ? 'r' : '-';
	out[1] = (a & HV_ACC_W) ? 'w' : '-';
	out[2] = (a & HV_ACC_X) ? 'x' : '-';
	out[3] = 0;
}

#define ARG_INIT(v)                         \
	do {                                \
		memset(&(v), 0, sizeof(v)); \
		(v).size = sizeof(v);       \
		(v).abi = THINHV_IOCTL_ABI; \
	} while (0)

static int print_cpus(int fd)
{
	for (uint32_t cpu = 0; cpu < 4096; cpu++) {
		struct thinhv_cpu c;

		ARG_INIT(c);
		c.cpu = cpu;
		if (ioctl(fd, THINHV_IOC_CPU, &c)) {
			if (errno == ERANGE)
				return 0; /* past the last possible CPU */
			cli_err("%s: THINHV_IOC_CPU cpu %u: %s", THINHV_DEV,
				cpu, strerror(errno));
			return -1;
		}
		if (c.state != THINHV_CPU_VIRT) {
			printf("cpu%u: %s\n", cpu,
			       c.state == THINHV_CPU_OFFLINE ? "offline"
							     : "native");
			continue;
		}
		printf("cpu%u: virtualized launch_us=%llu", cpu,
		       (unsigned long long)(c.launch_ns / 1000));
		for (uint32_t i = 0; i < c.ncounters && i < HV_CNT_MAX; i++)
			printf(" %s=%llu", counter_names[i],
			       (unsigned long long)c.counters[i]);
		printf("\n");
	}
	return 0;
}

static int print_ranges(int fd, uint32_t n)
{
	for (uint32_t i = 0; i < n && i < 4096; i++) {
		struct thinhv_range r;
		char acc[4];

		ARG_INIT(r);
		r.index = i;
		if (ioctl(fd, THINHV_IOC_RANGE, &r)) {
			cli_err("%s: THINHV_IOC_RANGE %u: %s", THINHV_DEV, i,
				strerror(errno));
			return -1;
		}
		access_str(r.access, acc);
		printf("range: %s 0x%llx 0x%llx %s\n",
		       r.kind < HV_ARRAY_SIZE(range_kinds) ? range_kinds[r.kind]
							   : "unknown",
		       (unsigned long long)r.base, (unsigned long long)r.len,
		       acc);
	}
	return 0;
}

static int cmd_status(int argc, char **argv)
{
	struct thinhv_version v;
	struct thinhv_state s;
	int fd, rc = CLI_EXIT_OK;

	if (argc > 1) {
		cli_err("usage: thinhv status");
		return CLI_EXIT_ERROR;
	}
	fd = open(THINHV_DEV, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		cli_err("%s: %s%s", THINHV_DEV, strerror(errno),
			errno == ENOENT ? " (is thinhv.ko loaded?)" : "");
		return CLI_EXIT_ERROR;
	}
	ARG_INIT(v);
	ARG_INIT(s);
	if (ioctl(fd, THINHV_IOC_VERSION, &v) ||
	    ioctl(fd, THINHV_IOC_STATE, &s)) {
		cli_err("%s: %s", THINHV_DEV, strerror(errno));
		close(fd);
		return CLI_EXIT_ERROR;
	}
	v.build[sizeof(v.build) - 1] = 0;
	printf("build: %s\nbackend: %s\nhv_abi: %u\n", v.build,
	       backend_name(v.backend), v.hv_abi);
	printf("launched: %u\nlocked: %u\nncpus: %u\npaging_levels: %u\n"
	       "footprint: %llu\ndenials: %llu\nexits: %llu\n",
	       s.launched, s.locked, s.ncpus, s.paging_levels,
	       (unsigned long long)s.footprint, (unsigned long long)s.denials,
	       (unsigned long long)s.exits);
	if (print_cpus(fd) || print_ranges(fd, s.nranges))
		rc = CLI_EXIT_ERROR;
	close(fd);
	return rc;
}

CLI_COMMAND(status, "status",
	    "live hypervisor state from /dev/thinhv: CPUs, counters, ranges",
	    cmd_status)
