/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv_kern.h - thinhv core <-> backend and core <-> other components inside
 * thinhv.ko (kernel, process context unless a comment says otherwise).
 * Core code never includes a vendor header: backends plug in through
 * struct hv_cpu_ops; the IOMMU and attestation components through
 * struct hv_component (hv_component.h). The module entry lists both.
 */
#ifndef THINHV_HV_KERN_H
#define THINHV_HV_KERN_H

#include <linux/types.h>

#include "thinhv/hv_abi.h"
#include "thinhv/host/hv_exit.h"
#include "thinhv/pure/hv_pt.h"
#include "thinhv/hv_ranges.h"

struct hv_launch;
struct hv_component;

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

/* Launch even under another hypervisor (module parameter allow_nested). */
extern bool hv_allow_nested;

/* Everything a launch owns; lives in module data (visible to the OS). */
struct hv_launch {
	const struct hv_cpu_ops *ops;
	/* The components, in the order the module entry listed them. */
	const struct hv_component *const *comp;
	unsigned int ncomp;
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
 * THINHV_RANGE_*. Only before the NPT build, i.e. from a component's
 * prepare op. 0 or -errno.
 */
int hv_protect(struct hv_launch *l, u64 base, u64 len, u32 access, u32 kind);

/*
 * Refuse the OS's config-space writes to PCI function seg:bus:devfn (the
 * IOMMU's own) from launch on: port I/O 0xCF8/0xCFC emulated in host mode
 * (SVM only; -EOPNOTSUPP elsewhere), its ECAM page read-only (MCFG, AMD MSR
 * C001_0058). Same window as hv_protect(): from a prepare op.
 */
int hv_pcicfg_guard(struct hv_launch *l, u16 seg, u8 bus, u8 devfn);

/*
 * Map [va, va+len) -> pa (page-rounded) with access HV_ACC_* and memory
 * type HV_MT_* in the hypervisor's private host page table, for memory a
 * component's host-mode code touches. From a prepare op. 0 or -errno.
 */
int hv_host_map(struct hv_launch *l, const void *va, u64 pa, u64 len,
		u32 access, u32 memtype);

/*
 * Serve hypercall functions [first, last] (hv_abi.h, above HV_HC_DEVIRT)
 * in host mode with call(ctx, ...) (hv_exit.h hv_host_call_fn; host-mode
 * code, ctx in the pool). Recorded in the hypervisor's protected state,
 * where hv_exit.c's dispatch finds it. From a prepare op. 0 or -errno.
 */
int hv_host_service(struct hv_launch *l, u32 first, u32 last,
		    hv_host_call_fn call, void *ctx);

/*
 * The protected-range registry in the hypervisor's memory: the kernel may
 * read it until launch; host-mode code may keep the pointer.
 */
const struct hv_ranges *hv_host_ranges(const struct hv_launch *l);

/*
 * Core API used by the module entry (hv_main.c, hv_dev.c). comp: ncomp
 * components, called in that order (teardown in reverse).
 */
int hv_launch_all(struct hv_launch *l, const struct hv_cpu_ops *ops,
		  const struct hv_component *const *comp, unsigned int ncomp,
		  bool lock);
int hv_devirt_all(struct hv_launch *l);
void hv_launch_free(struct hv_launch *l);
s64 hv_hypercall(struct hv_launch *l, u32 fn, u64 *rbx, u64 *rcx, u64 *rdx);
bool hv_cpu_virtualized(void); /* CPUID signature seen on this CPU */
/* Lab: the canary page still holds its pattern (call when native). */
bool hv_canary_intact(const struct hv_launch *l);

/* Snapshot of the protected ranges for /dev/thinhv (kernel-side copy). */
extern struct hv_range hv_ranges_shadow[HV_MAX_RANGES];
extern u32 hv_ranges_shadow_n;

#endif /* THINHV_HV_KERN_H */
