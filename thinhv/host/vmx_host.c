// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmx_host.c - VM-exit handling in VMX ROOT MODE (RFLAGS.IF = 0, private
 * CR3, GDT, TSS and IDT; FS/GS base 0). Rules for this file (enforced by
 * its Kbuild flags): no stack protector, no tracing, no retpoline/return
 * thunks, no calls outside vmx_host.o/hv_exit.o/hv_ranges.o/vmx_caps.o,
 * no kernel headers, no %gs, no compiler-generated memset/memcpy (fields
 * are assigned one by one). It reads only the protected pool (struct
 * vmx_cpu, struct hv_host) and the VMCS.
 */
#include "thinhv/compat.h"
#include "thinhv/hv_abi.h"
#include "thinhv/host/hv_exit.h"
#include "thinhv/host/hv_host_diag.h"
#include "thinhv/host/vmx.h"
#include "thinhv/host/vmx_caps.h"
#include "thinhv/host/vmx_hw.h"
#include "thinhv/hw/vmx_regs.h"

#define VEC_NMI 2
#define VEC_UD 6
#define VEC_GP 13

void vmx_host_fault(uint64_t vector, uint64_t *frame)
{
	serial_puts("\nthinhv: FATAL VMX root-mode exception vector ");
	serial_hex(vector);
	serial_puts(" error ");
	serial_hex(frame[0]);
	serial_puts(" rip ");
	serial_hex(frame[1]);
	serial_puts(" cr2 ");
	serial_hex(vmx_read_cr2());
	serial_puts("\n");
	host_stop();
}

static void __attribute__((noreturn))
host_fatal(struct vmx_cpu *c, const char *why, uint64_t reason)
{
	c->fatal_reason = reason;
	serial_puts("\nthinhv: FATAL cpu ");
	serial_hex(c->index);
	serial_puts(" ");
	serial_puts(why);
	serial_puts(" exit-reason ");
	serial_hex(reason);
	serial_puts(" qual ");
	serial_hex(vmx_vmread(VMCS_EXIT_QUALIFICATION));
	serial_puts(" gpa ");
	serial_hex(vmx_vmread(VMCS_GUEST_PHYS_ADDR));
	serial_puts(" rip ");
	serial_hex(vmx_vmread(VMCS_GUEST_RIP));
	serial_puts(" insn-err ");
	serial_hex(vmx_vmread(VMCS_INSTR_ERROR));
	serial_puts("\n");
	host_stop();
}

void vmx_resume_failed(struct vmx_cpu *c)
{
	host_fatal(c, "VMRESUME failed", vmx_vmread(VMCS_EXIT_REASON));
}

static uint32_t guest_cpl(void)
{
	/* CPL is SS.DPL in VMX non-root operation (SDM 27.3.1.2) */
	return (uint32_t)(vmx_vmread(VMCS_GUEST_SS_AR) >> VMX_AR_DPL_POS) & 3u;
}

static void inject(uint32_t vector, bool errcode)
{
	uint32_t info = VMX_INTR_VALID |
			(VMX_INTR_TYPE_HW_EXC << VMX_INTR_TYPE_SHIFT) | vector;

	if (errcode) {
		info |= VMX_INTR_DELIVER_EC;
		vmx_vmwrite(VMCS_ENTRY_EXCEPTION_EC, 0);
	}
	vmx_vmwrite(VMCS_ENTRY_INTR_INFO, info);
}

static void advance(void)
{
	uint64_t rip = vmx_vmread(VMCS_GUEST_RIP);
	uint64_t len = vmx_vmread(VMCS_EXIT_INSTR_LEN);
	uint64_t intr = vmx_vmread(VMCS_GUEST_INTERRUPTIBILITY);

	vmx_vmwrite(VMCS_GUEST_RIP, rip + len);
	/* The instruction completed: STI/MOV SS blocking ends with it. */
	if (intr & (VMX_INTR_STI_BLOCK | VMX_INTR_MOVSS_BLOCK))
		vmx_vmwrite(VMCS_GUEST_INTERRUPTIBILITY,
			    intr & ~(uint64_t)(VMX_INTR_STI_BLOCK |
					       VMX_INTR_MOVSS_BLOCK));
}

/* A private 16-byte TSS descriptor the CPU will accept in LTR (type 9). */
static void put_tss_desc(uint8_t *d, uint64_t base, uint32_t limit)
{
	uint32_t lim = limit;
	uint8_t flags = 0;

	if (lim > 0xfffff) {
		lim >>= 12;
		flags = 0x80; /* G */
	}
	d[0] = (uint8_t)lim;
	d[1] = (uint8_t)(lim >> 8);
	d[2] = (uint8_t)base;
	d[3] = (uint8_t)(base >> 8);
	d[4] = (uint8_t)(base >> 16);
	d[5] = VMX_AR_P | VMX_AR_TYPE_TSS64_AVAIL;
	d[6] = flags | (uint8_t)((lim >> 16) & 0xf);
	d[7] = (uint8_t)(base >> 24);
	d[8] = (uint8_t)(base >> 32);
	d[9] = (uint8_t)(base >> 40);
	d[10] = (uint8_t)(base >> 48);
	d[11] = (uint8_t)(base >> 56);
	d[12] = d[13] = d[14] = d[15] = 0;
}

/*
 * Leave VMX operation on this CPU and put back the OS's native state
 * exactly as the guest had it (SDM 28.5 lists what a VM exit changed):
 * CR0/CR3/CR4, GDTR/IDTR (limits were set to 0xffff), TR (limit 0x67 and
 * our private TSS), LDTR and data segments, FS/GS base, EFER, PAT,
 * DEBUGCTL, SYSENTER MSRs, DR7. vmx_asm.S then IRETs to d_rip.
 */
static void devirt(struct vmx_cpu *c, const struct hv_gprs *g, uint64_t rax)
{
	struct vmx_dtr gdtr, idtr;
	uint64_t cr0 = vmx_vmread(VMCS_GUEST_CR0);
	uint64_t cr3 = vmx_vmread(VMCS_GUEST_CR3);
	uint64_t cr4 = vmx_vmread(VMCS_GUEST_CR4) & ~X86_CR4F_VMXE;
	uint16_t tr = (uint16_t)vmx_vmread(VMCS_GUEST_TR_SEL);
	uint64_t tr_base = vmx_vmread(VMCS_GUEST_TR_BASE);
	uint32_t tr_limit = (uint32_t)vmx_vmread(VMCS_GUEST_TR_LIMIT);
	uint16_t ldtr = (uint16_t)vmx_vmread(VMCS_GUEST_LDTR_SEL);
	uint16_t ds = (uint16_t)vmx_vmread(VMCS_GUEST_DS_SEL);
	uint16_t es = (uint16_t)vmx_vmread(VMCS_GUEST_ES_SEL);
	uint16_t fs = (uint16_t)vmx_vmread(VMCS_GUEST_FS_SEL);
	uint16_t gs = (uint16_t)vmx_vmread(VMCS_GUEST_GS_SEL);
	uint64_t fs_base = vmx_vmread(VMCS_GUEST_FS_BASE);
	uint64_t gs_base = vmx_vmread(VMCS_GUEST_GS_BASE);
	uint64_t efer = vmx_vmread(VMCS_GUEST_EFER);
	uint64_t pat = vmx_vmread(VMCS_GUEST_PAT);
	uint64_t debugctl = vmx_vmread(VMCS_GUEST_DEBUGCTL);
	uint64_t dr7 = vmx_vmread(VMCS_GUEST_DR7);
	uint64_t sysenter_cs = vmx_vmread(VMCS_GUEST_SYSENTER_CS);
	uint64_t sysenter_esp = vmx_vmread(VMCS_GUEST_SYSENTER_ESP);
	uint64_t sysenter_eip = vmx_vmread(VMCS_GUEST_SYSENTER_EIP);

	gdtr.limit = (uint16_t)vmx_vmread(VMCS_GUEST_GDTR_LIMIT);
	gdtr.base = vmx_vmread(VMCS_GUEST_GDTR_BASE);
	idtr.limit = (uint16_t)vmx_vmread(VMCS_GUEST_IDTR_LIMIT);
	idtr.base = vmx_vmread(VMCS_GUEST_IDTR_BASE);
	c->d_rip = vmx_vmread(VMCS_GUEST_RIP);
	c->d_rsp = vmx_vmread(VMCS_GUEST_RSP);
	c->d_rflags = vmx_vmread(VMCS_GUEST_RFLAGS);
	c->d_cs = vmx_vmread(VMCS_GUEST_CS_SEL);
	c->d_ss = vmx_vmread(VMCS_GUEST_SS_SEL);
	c->d_gprs.rax = rax;
	c->d_gprs.rbx = g->rbx;
	c->d_gprs.rcx = g->rcx;
	c->d_gprs.rdx = g->rdx;
	c->d_gprs.rsi = g->rsi;
	c->d_gprs.rdi = g->rdi;
	c->d_gprs.rbp = g->rbp;
	c->d_gprs.r8 = g->r8;
	c->d_gprs.r9 = g->r9;
	c->d_gprs.r10 = g->r10;
	c->d_gprs.r11 = g->r11;
	c->d_gprs.r12 = g->r12;
	c->d_gprs.r13 = g->r13;
	c->d_gprs.r14 = g->r14;
	c->d_gprs.r15 = g->r15;

	/* Drop translations tagged with our EPT/VPID, then leave VMX. */
	vmx_invept(c->plan.invept_type, c->eptp);
	if (c->vpid)
		vmx_invvpid(c->plan.invvpid_type == VMX_INVVPID_SINGLE
				? VMX_INVVPID_SINGLE
				: VMX_INVVPID_ALL,
			    c->vpid);
	vmx_vmclear(c->vmcs_pa);
	vmx_vmxoff();

	vmx_write_cr4(cr4);
	vmx_write_cr0(cr0);
	vmx_write_cr3(cr3);
	/*
	 * TR: the OS's descriptor is marked busy, so LTR on it would fault.
	 * Load the same selector from our private GDT (still current) with
	 * an available-TSS descriptor carrying the OS's base and limit, then
	 * switch GDTR: the hidden TR state is the OS's again, limit included.
	 */
	if ((tr & ~7u) + 16u <= (uint32_t)gdtr.limit + 1u && (tr & ~7u)) {
		put_tss_desc(c->gdt + (tr & ~7u), tr_base, tr_limit);
		vmx_ltr(tr);
	}
	vmx_lgdt(&gdtr);
	vmx_lldt(ldtr);
	vmx_load_ds(ds);
	vmx_load_es(es);
	vmx_load_fs(fs);
	vmx_load_gs(gs);
	vmx_wrmsr(X86_MSR_EFER, efer);
	vmx_wrmsr(X86_MSR_PAT, pat);
	if (debugctl)
		vmx_wrmsr(X86_MSR_DEBUGCTL, debugctl);
	vmx_wrmsr(X86_MSR_SYSENTER_CS, sysenter_cs);
	vmx_wrmsr(X86_MSR_SYSENTER_ESP, sysenter_esp);
	vmx_wrmsr(X86_MSR_SYSENTER_EIP, sysenter_eip);
	vmx_write_dr7(dr7);
	/* Flush everything, global pages and all PCIDs (toggle CR4.PGE). */
	vmx_write_cr4(cr4 ^ (1ull << 7));
	vmx_write_cr4(cr4);
	/* FS/GS base and IDTR last: from here an NMI is the OS's again. */
	vmx_wrmsr(X86_MSR_FS_BASE, fs_base);
	vmx_wrmsr(X86_MSR_GS_BASE, gs_base);
	vmx_lidt(&idtr);
}

static uint32_t access_of(uint64_t qual)
{
	if (qual & VMX_EPTV_FETCH)
		return HV_ACC_X;
	if (qual & VMX_EPTV_WRITE)
		return HV_ACC_W;
	return HV_ACC_R;
}

/* MSRs whose writes the bitmap intercepts (vmx.c sets the same list). */
static enum hv_msr_kind msr_kind(uint32_t msr)
{
	if (msr == X86_MSR_FEATURE_CONTROL ||
	    (msr >= VMX_MSR_FIRST && msr <= VMX_MSR_LAST))
		return HV_MSR_VIRT_CTL;
	return HV_MSR_OTHER;
}

static bool in_bitmap_range(uint32_t msr)
{
	return msr <= 0x1fffu || (msr >= 0xc0000000u && msr <= 0xc0001fffu);
}

/*
 * Exits the shared decision layer knows: fill *e. Returns false for the
 * VMX-only exits handled here (*act set) .
 */
static bool decode(struct vmx_cpu *c, uint32_t reason, struct hv_exit *e,
		   struct hv_gprs *g, uint32_t *act)
{
	struct hv_host_cpu *hc = &c->host->cpu[c->index];
	uint64_t qual;

	switch (reason) {
	case VMX_R_CPUID:
		e->reason = HV_EXIT_CPUID;
		e->cpuid_in_eax = (uint32_t)g->rax;
		e->cpuid_in_ecx = (uint32_t)g->rcx;
		vmx_cpuid(e->cpuid_in_eax, e->cpuid_in_ecx, e->cpuid);
		/* root mode's CR4 differs (OSXSAVE, see vmx.c host_cr4) */
		e->guest_cr4 = vmx_vmread(VMCS_GUEST_CR4);
		return true;
	case VMX_R_VMCALL:
		e->reason = HV_EXIT_HYPERCALL;
		return true;
	case VMX_R_GETSEC:
	case VMX_R_VMCLEAR:
	case VMX_R_VMLAUNCH:
	case VMX_R_VMPTRLD:
	case VMX_R_VMPTRST:
	case VMX_R_VMREAD:
	case VMX_R_VMRESUME:
	case VMX_R_VMWRITE:
	case VMX_R_VMXOFF:
	case VMX_R_VMXON:
	case VMX_R_INVEPT:
	case VMX_R_INVVPID:
	case VMX_R_VMFUNC:
		e->reason = HV_EXIT_VIRT_INSN;
		return true;
	case VMX_R_WRMSR:
		e->reason = HV_EXIT_MSR_WRITE;
		e->msr_kind = msr_kind((uint32_t)g->rcx);
		e->msr_new =
		    ((g->rdx & 0xffffffffull) << 32) | (g->rax & 0xffffffffull);
		if (!in_bitmap_range((uint32_t)g->rcx))
			break; /* always exits: no such MSR here, #GP */
		return true;
	case VMX_R_RDMSR:
		if (!in_bitmap_range((uint32_t)g->rcx))
			break; /* reads in range are never intercepted */
		e->reason = HV_EXIT_UNKNOWN;
		return true;
	case VMX_R_EPT_VIOLATION:
		qual = vmx_vmread(VMCS_EXIT_QUALIFICATION);
		e->reason = HV_EXIT_NPF;
		e->gpa = vmx_vmread(VMCS_GUEST_PHYS_ADDR);
		e->npf_access = access_of(qual);
		/* SDM 28.2.3: an exit during IRET that unblocked NMIs */
		if ((qual & VMX_EPTV_NMI_UNBLOCK) &&
		    !(vmx_vmread(VMCS_IDT_VECTORING_INFO) & VMX_INTR_VALID))
			vmx_vmwrite(VMCS_GUEST_INTERRUPTIBILITY,
				    vmx_vmread(VMCS_GUEST_INTERRUPTIBILITY) |
					VMX_INTR_NMI_BLOCK);
		return true;
	case VMX_R_TRIPLE_FAULT:
		e->reason = HV_EXIT_SHUTDOWN;
		return true;
	case VMX_R_INIT:
		e->reason = HV_EXIT_INIT;
		return true;
	case VMX_R_XSETBV:
		hc->cnt[HV_CNT_EXITS]++;
		if (vmx_xsetbv_ok(guest_cpl(), (uint32_t)g->rcx,
				  ((g->rdx & 0xffffffffull) << 32) |
				      (g->rax & 0xffffffffull),
				  c->xcr0_supported)) {
			vmx_xsetbv((uint32_t)g->rcx,
				   ((g->rdx & 0xffffffffull) << 32) |
				       (g->rax & 0xffffffffull));
			*act = HV_ACT_ADVANCE;
		} else {
			hc->cnt[HV_CNT_DENY_MSR]++;
			*act = HV_ACT_INJECT_GP;
		}
		return false;
	case VMX_R_INVD:
		/* INVD would drop dirty lines, hypervisor data included:
		 * write them back instead (SDM vol. 2 INVD/WBINVD). */
		hc->cnt[HV_CNT_EXITS]++;
		vmx_wbinvd();
		*act = HV_ACT_ADVANCE;
		return false;
	case VMX_R_CR_ACCESS:
		qual = vmx_vmread(VMCS_EXIT_QUALIFICATION);
		/* Only CR4.VMXE is owned by us: the OS setting it (no VMX in
		 * its CPUID) gets #GP, as on a CPU without VMX. */
		if ((qual & VMX_CRQ_CR_MASK) == 4 &&
		    ((qual >> VMX_CRQ_TYPE_SHIFT) & VMX_CRQ_TYPE_MASK) ==
			VMX_CRQ_TYPE_MOV_TO) {
			hc->cnt[HV_CNT_EXITS]++;
			hc->cnt[HV_CNT_VIRT_INSN]++;
			*act = HV_ACT_INJECT_GP;
			return false;
		}
		e->reason = HV_EXIT_UNKNOWN;
		return true;
	default:
		e->reason = HV_EXIT_UNKNOWN;
		return true;
	}
	/* RDMSR/WRMSR of an MSR outside the bitmap: the CPU always exits;
	 * such MSRs do not exist on Intel, so fault as hardware would. */
	hc->cnt[HV_CNT_EXITS]++;
	hc->cnt[HV_CNT_MSR]++;
	*act = HV_ACT_INJECT_GP;
	return false;
}

/* An NMI that hit root mode is delivered once the guest can take it. */
static void deliver_nmi(struct vmx_cpu *c)
{
	uint64_t intr = vmx_vmread(VMCS_GUEST_INTERRUPTIBILITY);

	if (vmx_vmread(VMCS_ENTRY_INTR_INFO) & VMX_INTR_VALID)
		return;
	if (intr &
	    (VMX_INTR_STI_BLOCK | VMX_INTR_MOVSS_BLOCK | VMX_INTR_NMI_BLOCK))
		return; /* stays pending until a later exit */
	c->nmi_pending = 0;
	vmx_vmwrite(VMCS_ENTRY_INTR_INFO,
		    VMX_INTR_VALID |
			(VMX_INTR_TYPE_NMI << VMX_INTR_TYPE_SHIFT) | VEC_NMI);
}

int vmx_exit_handler(struct vmx_cpu *c, struct hv_gprs *g)
{
	uint32_t reason = (uint32_t)vmx_vmread(VMCS_EXIT_REASON);
	uint64_t vectoring = vmx_vmread(VMCS_IDT_VECTORING_INFO);
	struct hv_exit e;
	uint32_t act = 0;

	vmx_vmwrite(VMCS_ENTRY_INTR_INFO, 0);

	/* The first VM entry failed on guest state: return natively. */
	if ((reason & VMX_EXIT_ENTRY_FAIL) &&
	    c->host->cpu[c->index].cnt[HV_CNT_EXITS] == 0) {
		c->launch_err = reason;
		devirt(c, g, (uint64_t)(int64_t)-5); /* -EIO */
		return 1;
	}
	if (reason & VMX_EXIT_ENTRY_FAIL)
		host_fatal(c, "VM entry failed", reason);

	e.reason = HV_EXIT_UNKNOWN;
	e.raw = reason;
	e.cpl = 0;
	e.rip = vmx_vmread(VMCS_GUEST_RIP);
	e.cpuid_in_eax = 0;
	e.cpuid_in_ecx = 0;
	e.cpuid[0] = e.cpuid[1] = e.cpuid[2] = e.cpuid[3] = 0;
	e.msr_kind = HV_MSR_OTHER;
	e.msr_old = 0;
	e.msr_new = 0;
	e.gpa = 0;
	e.npf_access = 0;

	if (decode(c, reason & VMX_EXIT_REASON_MASK, &e, g, &act)) {
		e.cpl = guest_cpl();
		act = hv_exit_decide(c->host, c->index, &e, g);
	}
	if (act & HV_ACT_FATAL) {
		if ((reason & VMX_EXIT_REASON_MASK) == VMX_R_EPT_MISCONFIG)
			host_fatal(c, "EPT misconfiguration", reason);
		if ((reason & VMX_EXIT_REASON_MASK) == VMX_R_TRIPLE_FAULT)
			host_fatal(c, "guest triple fault", reason);
		host_fatal(c, "unexpected exit", reason);
	}
	if (act & HV_ACT_SET_CPUID) {
		g->rax = e.cpuid[0];
		g->rbx = e.cpuid[1];
		g->rcx = e.cpuid[2];
		g->rdx = e.cpuid[3];
	}
	if (act & HV_ACT_SET_MSR)
		host_fatal(c, "MSR write allowed for an intercepted MSR",
			   reason); /* no VMX MSR is ever installed */
	if (act & HV_ACT_ADVANCE)
		advance();
	if (act & HV_ACT_INJECT_UD) {
		inject(VEC_UD, false);
	} else if (act & HV_ACT_INJECT_GP) {
		inject(VEC_GP, true);
	} else if (vectoring & VMX_INTR_VALID) {
		/* An event was being delivered when we exited: deliver it
		 * again (SDM 28.2.4, 27.5.1.1). */
		uint32_t type =
		    (uint32_t)(vectoring >> VMX_INTR_TYPE_SHIFT) & 7u;

		c->host->cpu[c->index].cnt[HV_CNT_REINJECT]++;
		if (vectoring & VMX_INTR_DELIVER_EC)
			vmx_vmwrite(VMCS_ENTRY_EXCEPTION_EC,
				    vmx_vmread(VMCS_IDT_VECTORING_EC));
		if (type == VMX_INTR_TYPE_SW_INT ||
		    type == VMX_INTR_TYPE_PRIV_SW_EXC ||
		    type == VMX_INTR_TYPE_SW_EXC)
			vmx_vmwrite(VMCS_ENTRY_INSTR_LEN,
				    vmx_vmread(VMCS_EXIT_INSTR_LEN));
		vmx_vmwrite(VMCS_ENTRY_INTR_INFO,
			    vectoring & ~(uint64_t)(1u << 12));
	}
	if (act & HV_ACT_DEVIRT) {
		devirt(c, g, g->rax);
		return 1;
	}
	if (c->nmi_pending)
		deliver_nmi(c);
	return 0;
}
