/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv_kern.h - thinhv core <-> backend and core <-> other components inside
 * thinhv.ko (kernel, process context unless a comment says otherwise).
 * Core code never includes a vendor header: backends plug in through
 * struct hv_cpu_ops; the IOMMU and attestation pieces through the launch
 * hooks below.
 */
#ifndef THINHV_HV_KERN_H
#define THINHV_HV_KERN_H

#include <linux/types.h>

#include "thinhv/hv_abi.h"
#include "thinhv/host/hv_exit.h"
#include "thinhv/pure/hv_pt.h"
#include "thinhv/host/hv_ranges.h"

struct hv_launch;

/*
 * One backend per CPU vendor. Host-mode exit handling is the backend's own
 * (its VMRUN/VMLAUNCH loop calls hv_exit_decide()); ops are only called
 * from kernel context.
 */
struct hv_cpu_ops {
	const char *name;
	u32 backend_id; /* THINHV_BACKEND_* */
	/* Global checks on the calling CPU: 0 or -errno, having logged why. */
	int (*probe)(void);
	/* The same per CPU, in IPI context (IRQs off). */
	int (*probe_cpu)(void);
	unsigned int percpu_pages; /* pool pages per CPU */
	/* Shared structures from the pool (MSR/IO maps); kernel context. */
	int (*setup)(struct hv_launch *l);
	/* Per-CPU structures before launch; kernel context. */
	int (*cpu_init)(struct hv_launch *l, unsigned int cpu, void *area,
			u64 area_pa);
	/* On the CPU, IRQs off: 0 when the OS now runs as a guest. */
	int (*launch)(void *area);
	/* On the CPU, IRQs off, virtualized: leave; 0 when native again. */
	int (*devirt)(void *area);
	/* Guest side: issue a hypercall (see hv_abi.h). Returns RAX. */
	s64 (*hypercall)(u32 fn, u64 *rbx, u64 *rcx, u64 *rdx);
	/*
	 * Optional: entry format and depth of the nested page table (VMX:
	 * EPT, 4 levels whatever the OS's paging depth). NULL: the host's
	 * long-mode format at the OS's depth, as AMD NPT walks it.
	 */
	int (*npt_format)(struct hv_pt_format *fmt, unsigned int *levels);
};

extern const struct hv_cpu_ops svm_cpu_ops;
extern const struct hv_cpu_ops vmx_cpu_ops;

/* Module parameter allow_nested: launch even under another hypervisor. */
extern bool hv_allow_nested;

/* Everything a launch owns; lives in module data (visible to the OS). */
struct hv_launch {
	const struct hv_cpu_ops *ops;
	/* One physically contiguous pool: every byte of it is protected. */
	void *pool;
	u64 pool_pa;
	size_t pool_size;
	size_t pool_used;
	struct hv_host *host; /* in the pool */
	struct hv_pt npt;     /* nested table (pages from the pool) */
	struct hv_pt hostpt;  /* private host page table (pool) */
	struct hv_pt_format npt_fmt, host_fmt;
	unsigned int levels; /* 4 or 5, the OS's paging depth */
	u64 map_limit;
	void **cpu_area; /* [nr_cpu_ids], pool */
	u64 *cpu_area_pa;
	u64 *launch_ns; /* [nr_cpu_ids] */
	int *cpu_rc;	/* [nr_cpu_ids], written by each CPU */
	bool *cpu_virt; /* [nr_cpu_ids] */
	u64 idt_pa;	/* host IDT page */
	void *idt;
	bool want_canary; /* lab: protect one extra page with a pattern */
	void *canary;
	u64 canary_pa;
	const void *policy; /* policy blob (in kernel memory), may be NULL */
	size_t policy_len;
};

/* Pool allocation (kernel context, before launch): a zeroed page. */
int hv_pool_page(struct hv_launch *l, u64 *pa, void **va);
int hv_pool_pages(struct hv_launch *l, unsigned int n, u64 *pa, void **va);

/*
 * Protect [base, base+len) with `access` (HV_ACC_*) for the OS, kind
 * THINHV_RANGE_*. Only between hv_launch_prepare and the NPT build, i.e.
 * from the hooks below. 0 or -errno.
 */
int hv_protect(struct hv_launch *l, u64 base, u64 len, u32 access, u32 kind);

/*
 * Refuse the OS's config-space writes to PCI function seg:bus:devfn (the
 * IOMMU's own) from launch on: port I/O 0xCF8/0xCFC emulated in host mode
 * (SVM only; -EOPNOTSUPP elsewhere), its ECAM page read-only (MCFG, AMD MSR
 * C001_0058). Same window as hv_protect(): from hv_hook_iommu_prepare.
 */
int hv_pcicfg_guard(struct hv_launch *l, u16 seg, u8 bus, u8 devfn);

/*
 * Launch hooks (weak defaults do nothing and return 0; the owning component
 * defines the strong symbol in its own file):
 *  hv_hook_iommu_prepare  after all hypervisor memory is allocated and
 *      registered, before the nested page table is built: build IOMMU tables
 *      from the pool (hv_pool_page), hv_protect() them (THINHV_RANGE_IOMMU)
 *      and the IOMMU's MMIO pages (HV_ACC_NONE, THINHV_RANGE_MMIO).
 *  hv_hook_measure  after the tables are built, before any CPU is
 *      virtualized: measure image and policy (att_kern.h).
 *  hv_hook_iommu_enable  after every CPU is virtualized: enable translation
 *      and read the status back; an error devirtualizes everything.
 *  hv_hook_teardown  after every CPU is native again (never under lock).
 */
int hv_hook_iommu_prepare(struct hv_launch *l);
int hv_hook_measure(struct hv_launch *l);
int hv_hook_iommu_enable(struct hv_launch *l);
void hv_hook_teardown(struct hv_launch *l);

/* Core API used by hv_main.c / hv_dev.c. */
int hv_launch_all(struct hv_launch *l, const struct hv_cpu_ops *ops, bool lock);
int hv_devirt_all(struct hv_launch *l);
void hv_launch_free(struct hv_launch *l);
s64 hv_hypercall(struct hv_launch *l, u32 fn, u64 *rbx, u64 *rcx, u64 *rdx);
bool hv_cpu_virtualized(void); /* CPUID signature seen on this CPU */
/* Lab: the canary page still holds its pattern (call when native). */
bool hv_canary_intact(const struct hv_launch *l);
const struct hv_cpu_ops *hv_select_backend(void);

/* Snapshot of the protected ranges for /dev/thinhv (kernel-side copy). */
extern struct hv_range hv_ranges_shadow[HV_MAX_RANGES];
extern u32 hv_ranges_shadow_n;

#endif /* THINHV_HV_KERN_H */
