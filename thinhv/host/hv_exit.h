/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv_exit.h - arch-neutral exit decisions (pure C: runs in host mode inside
 * the SVM/VMX exit handlers, and in host unit tests with a mock backend).
 * A backend decodes its exit into struct hv_exit, calls hv_exit_decide(),
 * and applies the returned HV_ACT_* actions. Everything here reads and
 * writes only the structures passed in: no calls, no globals, no %gs.
 */
#ifndef THINHV_HV_EXIT_H
#define THINHV_HV_EXIT_H

#include "thinhv/compat.h"
#include "thinhv/hv_abi.h"
#include "thinhv/hw/x86_regs.h"
#include "thinhv/host/hv_pcicfg.h"
#include "thinhv/hv_ranges.h"

#define HV_MAX_RANGES 128
#define HV_MAX_SERVICES 4

struct hv_host;
struct hv_gprs;

/*
 * A component's host-mode hypercall service (registered with the core's
 * hv_host_service() before launch): serves functions [first, last] of
 * hv_abi.h with ctx, its own state in protected memory. Runs in host mode
 * like the rest of this file: only host-mode code may be called. Returns
 * 0 or a positive HV_E* code; results go in g->rbx/rcx/rdx.
 */
typedef int (*hv_host_call_fn)(void *ctx, const struct hv_host *h, uint32_t fn,
			       struct hv_gprs *g);
struct hv_host_service {
	uint32_t first, last;
	hv_host_call_fn call;
	void *ctx;
};

/* Guest general-purpose registers other than RSP (kept by the backend). */
struct hv_gprs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

/* Host-mode per-CPU record; lives in protected memory. */
struct hv_host_cpu {
	uint64_t cnt[HV_CNT_MAX];
	uint64_t deny_gpa, deny_rip, deny_seq;
	uint32_t deny_acc;
	uint32_t index; /* OS CPU number */
};

/*
 * Host-mode shared state (protected memory): the only data host mode
 * trusts. The OS can neither read nor write it after launch.
 */
struct hv_host {
	uint32_t ncpus;	    /* entries in cpu[] */
	uint32_t locked;    /* one way: 0 -> 1 */
	uint32_t if_flags;  /* HV_IF_* reported by CPUID/STATUS */
	uint32_t efer_keep; /* EFER bits the guest may not change (SVME) */
	uint64_t map_limit; /* nested map covers [0, map_limit) */
	struct hv_ranges ranges;
	struct hv_range range_store[HV_MAX_RANGES];
	struct hv_host_cpu *cpu; /* ncpus entries, protected memory */
	/* Components' hypercalls (hv_abi.h numbers above HV_HC_DEVIRT). */
	struct hv_host_service svc[HV_MAX_SERVICES];
	uint32_t nsvc;
	struct hv_pcicfg pcicfg; /* config-space guard (hv_pcicfg.h) */
};

enum hv_exit_reason {
	HV_EXIT_CPUID = 1,
	HV_EXIT_HYPERCALL,
	HV_EXIT_VIRT_INSN, /* VMRUN/VMLOAD/VMSAVE/STGI/CLGI/SKINIT/INVLPGA */
	HV_EXIT_MSR_WRITE,
	HV_EXIT_NPF,	  /* nested page fault / EPT violation */
	HV_EXIT_SHUTDOWN, /* guest triple fault */
	HV_EXIT_INIT,
	HV_EXIT_INVALID, /* VMRUN refused the guest state */
	HV_EXIT_IO,	 /* IN/OUT on an intercepted port (PCI config) */
	HV_EXIT_UNKNOWN,
};

/* MSRs the decision layer knows about (the backend maps numbers). */
enum hv_msr_kind {
	HV_MSR_OTHER = 0, /* intercepted by mistake: fatal */
	HV_MSR_EFER,
	HV_MSR_VIRT_CTL,  /* VM_HSAVE_PA, VM_CR, FEATURE_CONTROL: refused */
	HV_MSR_ECAM_BASE, /* AMD MMIO_CFG_BASE_ADDR: refused (hv_pcicfg.h) */
};

struct hv_exit {
	enum hv_exit_reason reason;
	uint64_t raw; /* backend exit code, for the fatal report */
	uint32_t cpl;
	uint64_t rip;
	/* CPUID: the native answer for the guest's EAX/ECX, edited in place */
	uint32_t cpuid_in_eax, cpuid_in_ecx;
	uint32_t cpuid[4];
	/*
	 * CPUID: the guest's CR4. The host answers CPUID with its own CR4,
	 * which differs from the guest's as soon as the OS toggles
	 * CR4.OSXSAVE or CR4.PKE after launch (and always in VMX root mode,
	 * vmx.c host_cr4); the bits that mirror them are taken from here.
	 */
	uint64_t guest_cr4;
	/* MSR write */
	enum hv_msr_kind msr_kind;
	uint64_t msr_old, msr_new; /* out: msr_new is what to install */
	/* NPF */
	uint64_t gpa;
	uint32_t npf_access; /* HV_ACC_* attempted */
	/* IN/OUT: decoded access, edited in place (hv_pcicfg.h) */
	struct hv_io io;
	uint32_t io_verdict; /* out: enum hv_pcio_verdict */
};

/* Actions for the backend, applied in this order. */
#define HV_ACT_ADVANCE (1u << 0) /* skip the intercepted instruction */
#define HV_ACT_INJECT_UD (1u << 1)
#define HV_ACT_INJECT_GP (1u << 2) /* #GP(0) */
#define HV_ACT_SET_CPUID (1u << 3) /* eax..edx = e->cpuid[] */
#define HV_ACT_SET_MSR (1u << 4)   /* install e->msr_new */
#define HV_ACT_DEVIRT (1u << 5)	   /* leave the hypervisor on this CPU */
#define HV_ACT_FATAL (1u << 6)	   /* report and stop the machine */
#define HV_ACT_IO (1u << 7)	   /* carry out e->io as e->io_verdict says */

/* Decide what to do with one exit on CPU `cpu` (index into h->cpu). */
uint32_t hv_exit_decide(struct hv_host *h, uint32_t cpu, struct hv_exit *e,
			struct hv_gprs *g);

#endif /* THINHV_HV_EXIT_H */
