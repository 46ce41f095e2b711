// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_exit.c - arch-neutral exit decisions and hypercall validation (pure C).
 * Runs in HOST MODE (called from svm_host.c with the guest's GS base live):
 * it calls nothing but the host-mode hypercall services components
 * registered in struct hv_host (protected memory), uses no per-CPU data
 * and no stack protector; the Kbuild fragment compiles it with the
 * host-mode flags. Also built into the host unit tests, where a mock
 * backend drives it.
 */
#include "thinhv/compat.h"
#include "thinhv/hv_abi.h"
#include "thinhv/host/hv_exit.h"
/* both vendors' CPUID bits: the CPUID policy hides either extension */
#include "thinhv/hw/svm_regs.h"
#include "thinhv/hw/vmx_regs.h"

/* EFER bits the OS legitimately toggles at run time. */
#define EFER_GUEST_MUTABLE                                             \
	(X86_EFER_SCE | X86_EFER_NXE | X86_EFER_FFXSR | X86_EFER_TCE | \
	 X86_EFER_AUTOIBRS | X86_EFER_LMSLE)

static void cpuid_policy(const struct hv_host *h, uint32_t cpu,
			 struct hv_exit *e)
{
	uint32_t leaf = e->cpuid_in_eax, *r = e->cpuid;

	if (leaf >= HV_CPUID_BASE && leaf <= HV_CPUID_BASE + 0xff) {
		r[0] = r[1] = r[2] = r[3] = 0;
		if (leaf == HV_CPUID_BASE) {
			r[0] = HV_CPUID_MAX;
			r[1] = HV_CPUID_SIG_EBX;
			r[2] = HV_CPUID_SIG_ECX;
			r[3] = HV_CPUID_SIG_EDX;
		} else if (leaf == HV_CPUID_IF) {
			r[0] = HV_ABI_VERSION;
			r[1] = h->cpu[cpu].index;
			r[2] = h->if_flags | (h->locked ? HV_IF_LOCKED : 0);
			r[3] = HV_HC_MAGIC;
		}
		return;
	}
	if (leaf == X86_CPUID_FEATURES) {
		/* Announce ourselves; hide VT-x: the OS cannot nest. */
		r[2] |= X86_CPUID1_ECX_HYPERVISOR;
		r[2] &= ~VMX_CPUID1_ECX_VMX;
		/*
		 * The answer came from host mode: OSXSAVE mirrors the host's
		 * CR4, the guest must see its own, or its libc picks XSAVE/AVX
		 * paths that #UD (or misses them).
		 */
		r[2] &= ~X86_CPUID1_ECX_OSXSAVE;
		if (e->guest_cr4 & X86_CR4F_OSXSAVE)
			r[2] |= X86_CPUID1_ECX_OSXSAVE;
	} else if (leaf == X86_CPUID_FEATURES7 && e->cpuid_in_ecx == 0) {
		r[2] &= ~X86_CPUID7_ECX_OSPKE;
		if (e->guest_cr4 & X86_CR4F_PKE)
			r[2] |= X86_CPUID7_ECX_OSPKE;
	} else if (leaf == X86_CPUID_EXT_FEATURES) {
		r[2] &= ~SVM_CPUID_ECX_SVM;
	} else if (leaf == SVM_CPUID_FEATURES) {
		r[0] = r[1] = r[2] = r[3] = 0;
	}
}

static uint64_t sum_counter(const struct hv_host *h, enum hv_counter c)
{
	uint64_t s = 0;
	uint32_t i;

	for (i = 0; i < h->ncpus; i++)
		s += h->cpu[i].cnt[c];
	return s;
}

/*
 * A component's hypercall: the service registered for fn (protected
 * memory, written before launch) or, for a component function nobody
 * serves (no IOMMU enforced), HV_ENODEV. 0 or a positive HV_E* code.
 */
static int serve(struct hv_host *h, uint32_t fn, struct hv_gprs *g)
{
	uint32_t i;

	for (i = 0; i < h->nsvc && i < HV_MAX_SERVICES; i++)
		if (fn >= h->svc[i].first && fn <= h->svc[i].last)
			return h->svc[i].call(h->svc[i].ctx, h, fn, g);
	return fn > HV_HC_DEVIRT && fn <= HV_HC_MAX ? HV_ENODEV : HV_ENOSYS;
}

static uint32_t hypercall(struct hv_host *h, uint32_t cpu, struct hv_exit *e,
			  struct hv_gprs *g)
{
	struct hv_host_cpu *c = &h->cpu[cpu];
	uint32_t fn = hv_hc_fn(g->rax); /* 0 when not ours: unknown */
	int err = 0;

	if (e->cpl != 0) {
		/* As on bare metal: VMMCALL/VMCALL from user mode is #UD. */
		c->cnt[HV_CNT_DENY_HC]++;
		return HV_ACT_INJECT_UD;
	}

	switch (fn) {
	case HV_HC_VERSION:
		if (g->rbx || g->rcx || g->rdx) {
			err = HV_EINVAL;
			break;
		}
		g->rbx = HV_ABI_VERSION;
		g->rcx = h->ncpus;
		break;
	case HV_HC_STATUS:
		if (g->rbx || g->rcx || g->rdx) {
			err = HV_EINVAL;
			break;
		}
		g->rbx = h->if_flags | (h->locked ? HV_IF_LOCKED : 0);
		g->rcx = sum_counter(h, HV_CNT_DENY_MEM);
		g->rdx = sum_counter(h, HV_CNT_EXITS);
		break;
	case HV_HC_COUNTER:
		if (g->rdx) {
			err = HV_EINVAL;
			break;
		}
		if (g->rbx >= h->ncpus || g->rcx >= HV_CNT_MAX) {
			err = HV_ERANGE;
			break;
		}
		g->rbx = h->cpu[g->rbx].cnt[g->rcx];
		break;
	case HV_HC_LAST_DENIAL: {
		const struct hv_host_cpu *d;

		if (g->rcx || g->rdx) {
			err = HV_EINVAL;
			break;
		}
		if (g->rbx >= h->ncpus) {
			err = HV_ERANGE;
			break;
		}
		d = &h->cpu[g->rbx];
		g->rbx = d->deny_gpa;
		g->rcx = d->deny_rip;
		g->rdx = hv_denial_pack(d->deny_seq, d->deny_acc);
		break;
	}
	case HV_HC_LOCK:
		if (g->rbx || g->rcx || g->rdx) {
			err = HV_EINVAL;
			break;
		}
		h->locked = 1;
		break;
	case HV_HC_DEVIRT:
		if (g->rbx || g->rcx || g->rdx) {
			err = HV_EINVAL;
			break;
		}
		if (h->locked) {
			err = HV_EPERM;
			break;
		}
		g->rax = 0;
		return HV_ACT_ADVANCE | HV_ACT_DEVIRT;
	default:
		err = serve(h, fn, g);
		break;
	}
	if (err) {
		c->cnt[HV_CNT_DENY_HC]++;
		g->rax = hv_hc_status(err);
	} else {
		g->rax = 0;
	}
	return HV_ACT_ADVANCE;
}

static uint32_t deny_mem(struct hv_host_cpu *c, const struct hv_exit *e)
{
	c->cnt[HV_CNT_DENY_MEM]++;
	c->deny_gpa = e->gpa;
	c->deny_rip = e->rip;
	c->deny_acc = e->npf_access;
	c->deny_seq++;
	/* #GP, not #PF: see LAB.md (a #PF on a present kernel mapping loops). */
	return HV_ACT_INJECT_GP;
}

static uint32_t nested_fault(struct hv_host *h, struct hv_host_cpu *c,
			     const struct hv_exit *e)
{
	const struct hv_range *r = hv_ranges_find(&h->ranges, e->gpa);

	if (r) {
		if (e->npf_access & ~r->access)
			return deny_mem(c, e);
		return HV_ACT_FATAL; /* allowed access faulted: tables broken */
	}
	if (e->gpa >= h->map_limit)
		return deny_mem(c, e); /* beyond every RAM and device range */
	return HV_ACT_FATAL;
}

static uint32_t msr_write(struct hv_host_cpu *c, const struct hv_host *h,
			  struct hv_exit *e)
{
	uint64_t changed = e->msr_old ^ e->msr_new;

	switch (e->msr_kind) {
	case HV_MSR_EFER:
		if ((changed & ~(uint64_t)EFER_GUEST_MUTABLE) ||
		    (changed & h->efer_keep))
			break; /* clearing SVME, toggling LME/reserved bits */
		return HV_ACT_SET_MSR | HV_ACT_ADVANCE;
	case HV_MSR_VIRT_CTL:
	case HV_MSR_ECAM_BASE: /* would move ECAM off its read-only pages */
		break;
	default:
		return HV_ACT_FATAL;
	}
	c->cnt[HV_CNT_DENY_MSR]++;
	return HV_ACT_INJECT_GP;
}

/* IN/OUT on the PCI configuration ports (hv_pcicfg.h). */
static uint32_t port_io(struct hv_host *h, struct hv_host_cpu *c,
			struct hv_exit *e)
{
	enum hv_pcio_verdict v = hv_pcicfg_decide(&h->pcicfg, &e->io);

	e->io_verdict = v;
	switch (v) {
	case HV_PCIO_EMULATED:
	case HV_PCIO_NATIVE:
	case HV_PCIO_CONFIG:
		return HV_ACT_IO | HV_ACT_ADVANCE;
	case HV_PCIO_REFUSED:
		/* skipped as if done: the OS sees an ignored write */
		c->cnt[HV_CNT_DENY_PCICFG]++;
		return HV_ACT_IO | HV_ACT_ADVANCE;
	case HV_PCIO_FAULT:
		c->cnt[HV_CNT_DENY_PCICFG]++;
		return HV_ACT_INJECT_GP;
	default:
		return HV_ACT_FATAL; /* a port we never asked for */
	}
}

uint32_t hv_exit_decide(struct hv_host *h, uint32_t cpu, struct hv_exit *e,
			struct hv_gprs *g)
{
	struct hv_host_cpu *c;
	uint32_t act;

	if (cpu >= h->ncpus)
		return HV_ACT_FATAL;
	c = &h->cpu[cpu];
	c->cnt[HV_CNT_EXITS]++;

	switch (e->reason) {
	case HV_EXIT_CPUID:
		c->cnt[HV_CNT_CPUID]++;
		cpuid_policy(h, cpu, e);
		return HV_ACT_SET_CPUID | HV_ACT_ADVANCE;
	case HV_EXIT_HYPERCALL:
		c->cnt[HV_CNT_HYPERCALL]++;
		return hypercall(h, cpu, e, g);
	case HV_EXIT_VIRT_INSN:
		c->cnt[HV_CNT_VIRT_INSN]++;
		return HV_ACT_INJECT_UD;
	case HV_EXIT_MSR_WRITE:
		c->cnt[HV_CNT_MSR]++;
		return msr_write(c, h, e);
	case HV_EXIT_NPF:
		c->cnt[HV_CNT_NPF]++;
		act = nested_fault(h, c, e);
		break;
	case HV_EXIT_IO:
		c->cnt[HV_CNT_IO]++;
		act = port_io(h, c, e);
		break;
	default:
		act = HV_ACT_FATAL;
		break;
	}
	if (act & HV_ACT_FATAL)
		c->cnt[HV_CNT_FATAL]++;
	return act;
}
