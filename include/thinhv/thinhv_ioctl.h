/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * thinhv_ioctl.h - uapi of /dev/thinhv (kernel module and userspace).
 * Every argument struct starts with {size, abi}: the caller sets size to
 * sizeof(struct) and abi to THINHV_IOCTL_ABI; the module refuses any other
 * size or ABI with -EINVAL, reserved fields must be zero, and unknown
 * commands get -ENOTTY. Fixed-width little-endian fields, explicit padding.
 */
#ifndef THINHV_IOCTL_H
#define THINHV_IOCTL_H

#ifdef __KERNEL__
#include <linux/ioctl.h>
#include <linux/types.h>
#else
#include <linux/ioctl.h>
#include <linux/types.h>
#endif

#define THINHV_IOCTL_ABI 1u
#define THINHV_DEV "/dev/thinhv"
#define THINHV_IOC_MAGIC 0xB7
#define THINHV_MAX_COUNTERS 16 /* >= HV_CNT_MAX of hv_abi.h */

struct thinhv_version {
	__u32 size;
	__u32 abi;
	__u32 hv_abi;	/* HV_ABI_VERSION of the running hypervisor */
	__u32 backend;	/* THINHV_BACKEND_* */
	char build[48]; /* module version string, NUL-terminated */
};

#define THINHV_BACKEND_NONE 0u
#define THINHV_BACKEND_SVM 1u
#define THINHV_BACKEND_VMX 2u

struct thinhv_state {
	__u32 size;
	__u32 abi;
	__u32 launched;	     /* 1 once every online CPU is virtualized */
	__u32 locked;	     /* lock=1: unload and devirtualize refused */
	__u32 ncpus;	     /* CPUs under the hypervisor */
	__u32 nranges;	     /* protected ranges */
	__u32 paging_levels; /* 4 or 5: nested page-table depth */
	__u32 reserved;
	__u64 footprint; /* bytes of hypervisor-owned memory */
	__u64 denials;	 /* refused accesses, all CPUs */
	__u64 exits;	 /* exits, all CPUs */
};

/* Per-CPU state: in: cpu; out: the rest. */
struct thinhv_cpu {
	__u32 size;
	__u32 abi;
	__u32 cpu;	 /* OS CPU number */
	__u32 state;	 /* THINHV_CPU_* */
	__u64 launch_ns; /* time this CPU took to launch */
	__u32 ncounters; /* valid entries of counters[] (HV_CNT_MAX) */
	__u32 reserved;
	__u64 counters[THINHV_MAX_COUNTERS]; /* indexed by enum hv_counter */
};

#define THINHV_CPU_NATIVE 0u
#define THINHV_CPU_VIRT 1u
#define THINHV_CPU_OFFLINE 2u

/* Protected range by index: in: index; out: the rest (-ENOENT past end). */
struct thinhv_range {
	__u32 size;
	__u32 abi;
	__u32 index;
	__u32 count; /* number of ranges */
	__u64 base;  /* physical address */
	__u64 len;
	__u32 access; /* HV_ACC_* the OS still has (0: none) */
	__u32 kind;   /* THINHV_RANGE_* */
};

#define THINHV_RANGE_HV_MEM 0u	/* hypervisor data, stacks, tables */
#define THINHV_RANGE_HV_CODE 1u /* hypervisor code and read-only data */
#define THINHV_RANGE_MMIO 2u	/* device registers the OS may not touch */
#define THINHV_RANGE_IOMMU 3u	/* IOMMU tables and logs */
#define THINHV_RANGE_TEST 4u	/* added by a test hook */

/*
 * The in-kernel TCG event log of the launch measurements (crypto-agile,
 * include/thinhv/tcg_log.h). in: cap, buf (user pointer); out: len. When
 * cap < len the call fails with ENOSPC and len says the size needed.
 */
struct thinhv_mlog {
	__u32 size;
	__u32 abi;
	__u32 cap; /* bytes at buf */
	__u32 len; /* out: log length */
	__u64 buf; /* user pointer */
	__u32 reserved;
	__u32 pad;
};

/*
 * Replace the enforced DMA policy at run time (compiled blob, see
 * policy_blob.h). in: blob (user pointer), len (<= 1 MiB); out: generation
 * (swaps so far), and when the hypervisor refused the new tables, why
 * (IOMMU_BAD_* of iommu_host.h) and where. Errors: EPERM locked (lock=1),
 * ENODEV no policy enforced, EINVAL blob or tables refused (nothing
 * changed), EBUSY another swap/drain in progress, EIO switched with a
 * warning (see dmesg).
 */
struct thinhv_policy_swap {
	__u32 size;
	__u32 abi;
	__u64 blob; /* user pointer */
	__u32 len;
	__u32 why;	  /* out */
	__u64 generation; /* out */
	__u64 where;	  /* out */
};

/*
 * One recorded DMA fault (VT-d fault record / AMD-Vi event), oldest kept
 * first. in: seq (0-based, ever increasing); out: total recorded, dropped
 * (overwritten before read), and the record. ENOENT: seq is past the end
 * or was overwritten; ENODEV: no DMA policy enforced. Draining the
 * hardware happens first (host mode, HV_HC_IOMMU_DRAIN).
 */
struct thinhv_iommu_fault {
	__u32 size;
	__u32 abi;
	__u64 seq;
	__u64 total;   /* out */
	__u64 dropped; /* out */
	__u64 time_ns; /* out: CLOCK_MONOTONIC when drained */
	__u64 addr;    /* out: DMA address (page on VT-d) */
	__u16 segment; /* out */
	__u16 sid;     /* out: bus << 8 | dev << 3 | fn */
	__u8 src;      /* out: 1 VT-d, 2 AMD-Vi */
	__u8 reason;   /* out: VT-d fault reason / AMD-Vi event code */
	__u8 write;    /* out */
	__u8 unit;     /* out */
	__u16 flags;   /* out: AMD-Vi event flags */
	__u16 domain;  /* out: AMD-Vi domain id */
	__u32 pad;
};

#define THINHV_IOC_VERSION _IOWR(THINHV_IOC_MAGIC, 1, struct thinhv_version)
#define THINHV_IOC_STATE _IOWR(THINHV_IOC_MAGIC, 2, struct thinhv_state)
#define THINHV_IOC_CPU _IOWR(THINHV_IOC_MAGIC, 3, struct thinhv_cpu)
#define THINHV_IOC_RANGE _IOWR(THINHV_IOC_MAGIC, 4, struct thinhv_range)
#define THINHV_IOC_MEASURE_LOG _IOWR(THINHV_IOC_MAGIC, 5, struct thinhv_mlog)
#define THINHV_IOC_POLICY_SWAP \
	_IOWR(THINHV_IOC_MAGIC, 6, struct thinhv_policy_swap)
#define THINHV_IOC_IOMMU_FAULT \
	_IOWR(THINHV_IOC_MAGIC, 7, struct thinhv_iommu_fault)

#endif /* THINHV_IOCTL_H */
