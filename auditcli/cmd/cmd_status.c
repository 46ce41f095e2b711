// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_status.c - `thinhv status`: the live hypervisor state from /dev/thinhv
 * (host userspace, root). Parse options, gather (ioctls), print.
 * Output: one "key: value" line per fact, then one line per CPU and per
 * protected range, stable for scripts (tests/lab/scenarios/hv_*.sh).
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "auditcli/cmd/cli.h"
#include "thinhv/compat.h"
#include "thinhv/hv_abi.h"
#include "thinhv/iommu.h"
#include "thinhv/thinhv_ioctl.h"
#include "attest/lib/att.h"
#include "thinhv/tcg_log.h"

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
	[HV_CNT_IO] = "io",
	[HV_CNT_DENY_PCICFG] = "deny_pcicfg",
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

/* What the launch measured into the TPM (PCR 12), from the event log; after
 * runtime policy swaps, the policy and isolation state in force (the last
 * measured) and how many swaps the log records. */
static void print_measurements(void)
{
	static const struct {
		uint32_t tag;
		const char *name;
	} tags[] = { { ATT_TAG_HYPERVISOR, "hypervisor" },
		     { ATT_TAG_POLICY, "policy" },
		     { ATT_TAG_ISOLATION, "isolation-state" } };
	uint8_t *log = NULL, d[32];
	size_t len = 0;
	int rc = att_hv_log_read(&log, &len), npolicy;

	if (rc) {
		printf("measured: none (%s)\n", strerror(-rc));
		return;
	}
	for (size_t i = 0; i < HV_ARRAY_SIZE(tags); i++) {
		printf("measured: %s ", tags[i].name);
		if (att_hv_log_digest(log, len, tags[i].tag, d)) {
			printf("absent\n");
			continue;
		}
		for (int k = 0; k < 32; k++)
			printf("%02x", d[k]);
		printf("\n");
	}
	npolicy = att_hv_log_count(log, len, ATT_TAG_POLICY);
	if (npolicy > 1)
		printf("measured: runtime-policy-changes %d\n", npolicy - 1);
	free(log);
}

/*
 * The IOMMU driver's read-only state files (per-device domains, faults),
 * copied line by line with anything unprintable replaced: module output is
 * still input here. Returns the number of faults recorded, or -1.
 */
static long print_iommu_file(const char *name, const char *prefix)
{
	char path[128], line[256];
	unsigned long long total;
	long faults = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/thinhv/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	for (int n = 0; n < 4096 && fgets(line, sizeof(line), f); n++) {
		line[strcspn(line, "\n")] = 0;
		for (char *c = line; *c; c++)
			if (*c < 0x20 || *c > 0x7e)
				*c = '?';
		if (sscanf(line, "faults %llu", &total) == 1)
			faults = total > (unsigned long long)LONG_MAX
				     ? LONG_MAX
				     : (long)total;
		printf("%s%s\n", prefix, line);
	}
	fclose(f);
	return faults;
}

/*
 * The DMA fault log through THINHV_IOC_IOMMU_FAULT (the hypervisor drains
 * the hardware first): the last 32 records. Returns the number recorded,
 * or -1 when the module predates the ioctl (then the sysfs file is read).
 */
static long print_faults(int fd)
{
	struct thinhv_iommu_fault k;
	unsigned long long total, first;

	ARG_INIT(k);
	if (ioctl(fd, THINHV_IOC_IOMMU_FAULT, &k) && errno != ENOENT) {
		if (errno == ENODEV) {
			printf("fault: iommu off\n");
			return 0;
		}
		return -1;
	}
	total = k.total;
	printf("fault: faults %llu dropped %llu\n", total,
	       (unsigned long long)k.dropped);
	first = total > 32 ? total - 32 : 0;
	for (unsigned long long seq = first; seq < total; seq++) {
		ARG_INIT(k);
		k.seq = seq;
		if (ioctl(fd, THINHV_IOC_IOMMU_FAULT, &k))
			continue; /* overwritten meanwhile */
		printf(
		    "fault: %llu %llu %04x:%02x:%02x.%u %s %#llx %s %#x %s\n",
		    seq, (unsigned long long)k.time_ns, k.segment, k.sid >> 8,
		    (k.sid >> 3) & 31, k.sid & 7, k.write ? "write" : "read",
		    (unsigned long long)k.addr,
		    k.src == IOMMU_FAULT_VTD ? "vtd" : "amdvi", k.reason,
		    k.src == IOMMU_FAULT_VTD ? vtd_fault_reason_text(k.reason)
					     : amdvi_event_text(k.reason));
	}
	return total > (unsigned long long)LONG_MAX ? LONG_MAX : (long)total;
}

static int cmd_status(int argc, char **argv)
{
	struct thinhv_version v;
	struct thinhv_state s;
	int fd, rc = CLI_EXIT_OK;
	long faults;

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
	print_measurements();
	print_iommu_file("iommu_status", "iommu: ");
	/* A recorded DMA fault is a device that tried to escape its domain. */
	faults = print_faults(fd);
	close(fd);
	if (faults < 0)
		faults = print_iommu_file("iommu_faults", "fault: ");
	if (faults > 0)
		rc |= CLI_EXIT_WARN;
	return rc;
}

CLI_COMMAND(status, "status",
	    "live hypervisor state: CPUs, counters, ranges, measurements, "
	    "DMA domains, faults",
	    cmd_status)
