// SPDX-License-Identifier: GPL-2.0-only
/*
 * svm.c - AMD SVM backend of thinhv: capability checks, VMCB built from the
 * live CPU state, launch and devirtualization (kernel process and IPI
 * context). Host-mode code is in svm_host.c and svm_asm.S.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/smp.h>
#include <linux/string.h>

#include "thinhv/thinhv_ioctl.h"
#include "thinhv/core/hv_kern.h"
#include "thinhv/host/svm.h"
#include "thinhv/pure/svm_caps.h"

_Static_assert(offsetof(struct svm_cpu, vmcb_pa) == SVMC_VMCB_PA, "asm");
_Static_assert(offsetof(struct svm_cpu, vmcb) == SVMC_VMCB, "asm");
_Static_assert(offsetof(struct svm_cpu, host_cr3) == SVMC_HOST_CR3, "asm");
_Static_assert(offsetof(struct svm_cpu, host_rsp) == SVMC_HOST_RSP, "asm");
_Static_assert(offsetof(struct svm_cpu, host_gdtr) == SVMC_HOST_GDTR, "asm");
_Static_assert(offsetof(struct svm_cpu, host_idtr) == SVMC_HOST_IDTR, "asm");
_Static_assert(offsetof(struct svm_cpu, d_cr3) == SVMC_D_CR3, "asm");
_Static_assert(offsetof(struct svm_cpu, d_cr4) == SVMC_D_CR4, "asm");
_Static_assert(offsetof(struct svm_cpu, d_rip) == SVMC_D_RIP, "asm");
_Static_assert(offsetof(struct svm_cpu, d_rsp) == SVMC_D_RSP, "asm");
_Static_assert(offsetof(struct svm_cpu, d_rflags) == SVMC_D_RFLAGS, "asm");
_Static_assert(offsetof(struct svm_cpu, d_efer) == SVMC_D_EFER, "asm");
_Static_assert(offsetof(struct svm_cpu, d_gdtr) == SVMC_D_GDTR, "asm");
_Static_assert(offsetof(struct svm_cpu, d_idtr) == SVMC_D_IDTR, "asm");
_Static_assert(offsetof(struct svm_cpu, d_gprs) == SVMC_D_GPRS, "asm");
_Static_assert(offsetof(struct hv_gprs, r15) == 112, "asm pushes");
_Static_assert(sizeof(struct svm_cpu) <= 4096, "one page");
_Static_assert(SVM_AREA_PAGE == PAGE_SIZE, "host mode finds its area by it");
_Static_assert(offsetof(struct svm_vmcb, save.rip) == SVM_VMCB_RIP, "asm");
_Static_assert(offsetof(struct svm_vmcb, save.rsp) == SVM_VMCB_RSP, "asm");
_Static_assert(offsetof(struct svm_vmcb, save.rax) == SVM_VMCB_RAX, "asm");
_Static_assert(offsetof(struct svm_vmcb, save.rflags) == SVM_VMCB_RFLAGS,
	       "asm");

static u64 svm_msrpm_pa, svm_iopm_pa, svm_npt_root;
static bool svm_nrips;

static int svm_probe(void)
{
	struct svm_facts f;
	enum svm_refusal why;
	u32 r[4];
	char sig[13];
	int rc;

	svm_cpuid(0, 0, r);
	f.vendor[0] = r[1];
	f.vendor[1] = r[3];
	f.vendor[2] = r[2];
	svm_cpuid(1, 0, r);
	f.cpuid1_ecx = r[2];
	svm_cpuid(X86_CPUID_EXT_FEATURES, 0, r);
	f.ext_ecx = r[2];
	f.svm_edx = 0;
	f.vm_cr = 0;
	/* leaf 0x8000000A and VM_CR exist only where SVM does */
	if (svm_facts_have_svm(&f)) {
		svm_cpuid(SVM_CPUID_FEATURES, 0, r);
		f.svm_edx = r[3];
		f.vm_cr = svm_rdmsr(SVM_MSR_VM_CR);
	}
	sig[0] = 0;
	if (f.cpuid1_ecx & X86_CPUID1_ECX_HYPERVISOR) {
		svm_cpuid(0x40000000, 0, r);
		memcpy(sig, &r[1], 4);
		memcpy(sig + 4, &r[2], 4);
		memcpy(sig + 8, &r[3], 4);
		sig[12] = 0;
	}
	rc = svm_launch_decide(&f, hv_allow_nested, &why);
	if (rc == 0 && sig[0])
		pr_warn(
		    "thinhv: running under hypervisor '%s' (allow_nested=1): "
		    "isolation is only as strong as that hypervisor\n",
		    sig);
	if (why == SVM_NESTED) {
		pr_err("thinhv: refused: %s, signature '%s'; allow_nested=1 "
		       "overrides for emulators\n",
		       svm_refusal_text(why), sig);
	} else if (why == SVM_DISABLED) {
		pr_err("thinhv: refused: %s%s\n", svm_refusal_text(why),
		       (f.vm_cr & SVM_VM_CR_LOCK) ? ", locked" : "");
	} else if (rc) {
		pr_err("thinhv: refused: %s\n", svm_refusal_text(why));
	}
	if (rc)
		return rc;
	svm_nrips = f.svm_edx & SVM_CPUID_EDX_NRIPS;
	pr_info("thinhv: SVM with nested paging, NRIP save %s\n",
		svm_nrips ? "present" : "absent (RIP advanced by length)");
	return 0;
}

static int svm_probe_cpu(void)
{
	enum svm_refusal why;

	return svm_cpu_decide(svm_rdmsr(X86_MSR_EFER), svm_rdmsr(SVM_MSR_VM_CR),
			      &why);
}

static void msrpm_intercept_write(u8 *pm, u32 msr)
{
	u32 base, idx;

	if (msr <= 0x1fff) {
		base = 0;
		idx = msr;
	} else if (msr >= 0xc0000000 && msr <= 0xc0001fff) {
		base = 0x800;
		idx = msr - 0xc0000000;
	} else {
		base = 0x1000;
		idx = msr - 0xc0010000;
	}
	/* two bits per MSR: read at 2*idx, write at 2*idx+1 */
	pm[base + (2 * idx + 1) / 8] |= 1u << ((2 * idx + 1) % 8);
}

/* One bit per port, APM sec. 15.10.1. */
static void iopm_intercept(u8 *pm, u32 first, u32 end)
{
	u32 port;

	for (port = first; port < end; port++)
		pm[port / 8] |= 1u << (port % 8);
}

/* Host IDT: every vector reports and stops (svm_host_fault). */
static int svm_build_idt(struct hv_launch *l)
{
	u16 cs = svm_read_cs();
	u8 *idt;
	int v, rc;

	rc = hv_pool_page(l, &l->idt_pa, &l->idt);
	if (rc)
		return rc;
	idt = l->idt;
	for (v = 0; v < 256; v++) {
		u64 off = (u64)svm_host_idt_stubs +
			  (u64)(v < 32 ? v : 31) * SVM_IDT_STUB_SIZE;
		u8 *g = idt + 16 * v;

		/* 64-bit interrupt gate, DPL 0, present, no IST */
		g[0] = (u8)off;
		g[1] = (u8)(off >> 8);
		g[2] = (u8)cs;
		g[3] = (u8)(cs >> 8);
		g[4] = 0;
		g[5] = 0x8e;
		g[6] = (u8)(off >> 16);
		g[7] = (u8)(off >> 24);
		g[8] = (u8)(off >> 32);
		g[9] = (u8)(off >> 40);
		g[10] = (u8)(off >> 48);
		g[11] = (u8)(off >> 56);
	}
	return 0;
}

static int svm_setup(struct hv_launch *l)
{
	void *pm, *io;
	int rc;

	rc = hv_pool_pages(l, SVM_MSRPM_SIZE / PAGE_SIZE, &svm_msrpm_pa, &pm);
	if (rc)
		return rc;
	rc = hv_pool_pages(l, SVM_IOPM_SIZE / PAGE_SIZE, &svm_iopm_pa, &io);
	if (rc)
		return rc;
	rc = svm_build_idt(l);
	if (rc)
		return rc;
	msrpm_intercept_write(pm, X86_MSR_EFER);
	msrpm_intercept_write(pm, SVM_MSR_VM_HSAVE_PA);
	msrpm_intercept_write(pm, SVM_MSR_VM_CR);
	/* Moving the ECAM window would escape the read-only ECAM pages. */
	msrpm_intercept_write(pm, SVM_MSR_MMIO_CFG_BASE);
	/*
	 * IOPM: only the PCI configuration ports 0xCF8-0xCFF; every other
	 * port stays native. Used only when IOIO_PROT is set (a PCI function
	 * is guarded, hv_pcicfg_guard(): decided in vmcb_from_live()).
	 */
	iopm_intercept(io, HV_PCICFG_ADDR_PORT, HV_PCICFG_PORT_END);
	svm_npt_root = l->npt.root_pa;
	l->host->efer_keep = X86_EFER_SVME;
	return 0;
}

static int svm_cpu_init(struct hv_launch *l, unsigned int cpu, void *area,
			u64 area_pa)
{
	struct svm_cpu *c = (void *)((u8 *)area + SVM_AREA_CPU * PAGE_SIZE);
	u64 *top;

	c->vmcb = (void *)((u8 *)area + SVM_AREA_VMCB * PAGE_SIZE);
	c->vmcb_pa = area_pa + SVM_AREA_VMCB * PAGE_SIZE;
	c->hsave_pa = area_pa + SVM_AREA_HSAVE * PAGE_SIZE;
	c->host = l->host;
	c->index = cpu;
	c->nrips = svm_nrips;
	c->host_cr3 = l->hostpt.root_pa;
	c->host_idtr.base = (u64)l->idt;
	c->host_idtr.limit = 256 * 16 - 1;
	c->host_gdtr.base = (u64)((u8 *)area + SVM_AREA_GDT * PAGE_SIZE);
	c->stack_top =
	    (u8 *)area + (SVM_AREA_STACK + SVM_STACK_PAGES) * PAGE_SIZE;
	top = (u64 *)c->stack_top;
	top[-1] = (u64)c;
	top[-2] = c->vmcb_pa;
	c->host_rsp = (u64)&top[-2];
	return 0;
}

static void seg_load(struct svm_seg *s, u16 sel)
{
	u32 ar = svm_lar(sel);

	s->sel = sel;
	s->attrib = (u16)(((ar >> 8) & 0xff) | ((ar >> 12) & 0xf00));
	s->limit = ar ? svm_lsl(sel) : 0;
	s->base = 0;
}

/* 16-byte system descriptor (TSS, LDT) base from the GDT. */
static u64 sysdesc_base(const struct svm_dtr *gdt, u16 sel)
{
	const u8 *d;
	u64 base;

	if (!(sel & ~7u) || (sel & 4) || (sel | 15) > gdt->limit)
		return 0;
	d = (const u8 *)gdt->base + (sel & ~7u);
	base = d[2] | ((u64)d[3] << 8) | ((u64)d[4] << 16) | ((u64)d[7] << 24);
	base |= (u64)(d[8] | (d[9] << 8) | (d[10] << 16) | ((u32)d[11] << 24))
		<< 32;
	return base;
}

/* Guest state = this CPU's state right now (IRQs off). */
static void vmcb_from_live(struct svm_cpu *c, struct svm_dtr *gdt)
{
	struct svm_vmcb *v = c->vmcb;
	struct svm_dtr idt;

	memset(v, 0, sizeof(*v));
	v->ctl.icpt3 = SVM_ICPT3_CPUID | SVM_ICPT3_MSR | SVM_ICPT3_SHUTDOWN |
		       SVM_ICPT3_INIT | SVM_ICPT3_INVLPGA;
	v->ctl.icpt4 = SVM_ICPT4_VMRUN | SVM_ICPT4_VMMCALL | SVM_ICPT4_VMLOAD |
		       SVM_ICPT4_VMSAVE | SVM_ICPT4_STGI | SVM_ICPT4_CLGI |
		       SVM_ICPT4_SKINIT;
	/* PCI config port I/O only when a function is guarded. */
	if (c->host->pcicfg.nguards)
		v->ctl.icpt3 |= SVM_ICPT3_IOIO;
	v->ctl.iopm_base_pa = svm_iopm_pa;
	v->ctl.msrpm_base_pa = svm_msrpm_pa;
	v->ctl.asid = 1;
	v->ctl.tlb_ctl = SVM_TLB_FLUSH_ALL;
	v->ctl.nested_ctl = SVM_NESTED_NP_ENABLE;
	v->ctl.nested_cr3 = svm_npt_root;

	svm_sgdt(gdt);
	svm_sidt(&idt);
	seg_load(&v->save.es, svm_read_es());
	seg_load(&v->save.cs, svm_read_cs());
	seg_load(&v->save.ss, svm_read_ss());
	seg_load(&v->save.ds, svm_read_ds());
	seg_load(&v->save.fs, svm_read_fs());
	seg_load(&v->save.gs, svm_read_gs());
	seg_load(&v->save.tr, svm_read_tr());
	seg_load(&v->save.ldtr, svm_read_ldtr());
	v->save.fs.base = svm_rdmsr(X86_MSR_FS_BASE);
	v->save.gs.base = svm_rdmsr(X86_MSR_GS_BASE);
	v->save.tr.base = sysdesc_base(gdt, v->save.tr.sel);
	v->save.ldtr.base = sysdesc_base(gdt, v->save.ldtr.sel);
	v->save.gdtr.base = gdt->base;
	v->save.gdtr.limit = gdt->limit;
	v->save.idtr.base = idt.base;
	v->save.idtr.limit = idt.limit;
	v->save.cpl = 0;
	v->save.efer = svm_rdmsr(X86_MSR_EFER);
	v->save.cr0 = svm_read_cr0();
	v->save.cr2 = svm_read_cr2();
	v->save.cr3 = svm_read_cr3();
	v->save.cr4 = svm_read_cr4();
	v->save.dr6 = svm_read_dr6();
	v->save.dr7 = svm_read_dr7();
	v->save.g_pat = svm_rdmsr(X86_MSR_PAT);
	v->save.star = svm_rdmsr(X86_MSR_STAR);
	v->save.lstar = svm_rdmsr(X86_MSR_LSTAR);
	v->save.cstar = svm_rdmsr(X86_MSR_CSTAR);
	v->save.sfmask = svm_rdmsr(X86_MSR_SFMASK);
	v->save.kernel_gs_base = svm_rdmsr(X86_MSR_KERNEL_GS_BASE);
	v->save.sysenter_cs = svm_rdmsr(X86_MSR_SYSENTER_CS);
	v->save.sysenter_esp = svm_rdmsr(X86_MSR_SYSENTER_ESP);
	v->save.sysenter_eip = svm_rdmsr(X86_MSR_SYSENTER_EIP);
	/* RIP, RSP, RFLAGS, RAX: svm_launch_asm */
}

static int svm_launch(void *area)
{
	struct svm_cpu *c = (void *)((u8 *)area + SVM_AREA_CPU * PAGE_SIZE);
	void *gdt_copy = (u8 *)area + SVM_AREA_GDT * PAGE_SIZE;
	struct svm_dtr gdt;
	u64 efer = svm_rdmsr(X86_MSR_EFER);
	int rc;

	if (efer & X86_EFER_SVME)
		return -EBUSY;
	svm_wrmsr(X86_MSR_EFER, efer | X86_EFER_SVME);
	svm_wrmsr(SVM_MSR_VM_HSAVE_PA, c->hsave_pa);
	vmcb_from_live(c, &gdt);
	if (gdt.limit >= PAGE_SIZE) {
		rc = -E2BIG;
		goto undo;
	}
	/* host-mode GDT: same selectors, memory the OS cannot reach */
	memcpy(gdt_copy, (void *)gdt.base, gdt.limit + 1);
	c->host_gdtr.limit = gdt.limit;

	rc = svm_launch_asm(c);
	if (rc == 0)
		return 0; /* guest now: the pool is out of reach from here */
undo:
	svm_wrmsr(SVM_MSR_VM_HSAVE_PA, 0);
	svm_wrmsr(X86_MSR_EFER, efer);
	return rc;
}

static s64 svm_hypercall(u32 fn, u64 *rbx, u64 *rcx, u64 *rdx)
{
	u64 rax = hv_hc_rax(fn);

	svm_vmmcall(&rax, rbx, rcx, rdx);
	return hv_hc_result(rax);
}

static int svm_devirt(void *area)
{
	u64 b = 0, c = 0, d = 0;
	s64 rc = svm_hypercall(HV_HC_DEVIRT, &b, &c, &d);

	if (rc)
		return rc == -HV_EPERM ? -EPERM : -EIO;
	/* native again: SVME was cleared on the way out */
	svm_wrmsr(SVM_MSR_VM_HSAVE_PA, 0);
	return 0;
}

const struct hv_cpu_ops svm_cpu_ops = {
	.name = "svm",
	.backend_id = THINHV_BACKEND_SVM,
	.probe = svm_probe,
	.probe_cpu = svm_probe_cpu,
	.percpu_pages = SVM_AREA_PAGES,
	.setup = svm_setup,
	.cpu_init = svm_cpu_init,
	.launch = svm_launch,
	.devirt = svm_devirt,
	.hypercall = svm_hypercall,
};
