// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmx.c - Intel VMX backend of thinhv: capability checks (decisions in
 * vmx_caps.c), VMXON, VMCS built from the live CPU state, launch and
 * devirtualization (kernel process and IPI context). Root-mode exit
 * handling is in vmx_host.c and vmx_asm.S.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <asm/processor.h>
#include <asm/segment.h>

#include "thinhv/thinhv_ioctl.h"
#include "thinhv/core/hv_kern.h"
#include "thinhv/host/vmx.h"
#include "thinhv/host/vmx_caps.h"
#include "thinhv/hw/vmx_regs.h"

_Static_assert(offsetof(struct vmx_cpu, d_rip) == VMXC_D_RIP, "asm");
_Static_assert(offsetof(struct vmx_cpu, d_rsp) == VMXC_D_RSP, "asm");
_Static_assert(offsetof(struct vmx_cpu, d_rflags) == VMXC_D_RFLAGS, "asm");
_Static_assert(offsetof(struct vmx_cpu, d_cs) == VMXC_D_CS, "asm");
_Static_assert(offsetof(struct vmx_cpu, d_ss) == VMXC_D_SS, "asm");
_Static_assert(offsetof(struct vmx_cpu, d_gprs) == VMXC_D_GPRS, "asm");
_Static_assert(offsetof(struct vmx_cpu, nmi_pending) == VMXC_NMI_PENDING,
	       "asm");
_Static_assert(offsetof(struct hv_gprs, r15) == 112, "asm pushes");
_Static_assert(sizeof(struct vmx_cpu) <= 4096, "one page");
_Static_assert(VMXA_GUEST_RSP == VMCS_GUEST_RSP, "asm");
_Static_assert(VMXA_GUEST_RIP == VMCS_GUEST_RIP, "asm");
_Static_assert(VMXA_GUEST_RFLAGS == VMCS_GUEST_RFLAGS, "asm");

extern const uint8_t vmx_exit_entry[];
extern const uint8_t vmx_nmi_stub[];

/* Decided once in probe (kernel context); copied into every CPU's area. */
static struct vmx_cap_msrs vmx_caps;
static struct vmx_plan vmx_plan;
static u64 vmx_msr_bitmap_pa, vmx_eptp_val, vmx_xcr0_mask;
static void *vmx_idt;

static void read_caps(struct vmx_cap_msrs *m)
{
	u32 r[4];

	memset(m, 0, sizeof(*m));
	vmx_cpuid(1, 0, r);
	m->cpuid1_ecx = r[2];
	if (!(r[2] & VMX_CPUID1_ECX_VMX))
		return; /* the MSRs below would #GP */
	m->feature_control = vmx_rdmsr(X86_MSR_FEATURE_CONTROL);
	m->basic = vmx_rdmsr(VMX_MSR_BASIC);
	m->pin = vmx_rdmsr(VMX_MSR_PINBASED_CTLS);
	m->proc = vmx_rdmsr(VMX_MSR_PROCBASED_CTLS);
	m->exit = vmx_rdmsr(VMX_MSR_EXIT_CTLS);
	m->entry = vmx_rdmsr(VMX_MSR_ENTRY_CTLS);
	m->misc = vmx_rdmsr(VMX_MSR_MISC);
	m->cr0_fixed0 = vmx_rdmsr(VMX_MSR_CR0_FIXED0);
	m->cr0_fixed1 = vmx_rdmsr(VMX_MSR_CR0_FIXED1);
	m->cr4_fixed0 = vmx_rdmsr(VMX_MSR_CR4_FIXED0);
	m->cr4_fixed1 = vmx_rdmsr(VMX_MSR_CR4_FIXED1);
	if (m->basic & VMX_BASIC_TRUE_CTLS_MSRS) {
		m->true_pin = vmx_rdmsr(VMX_MSR_TRUE_PINBASED_CTLS);
		m->true_proc = vmx_rdmsr(VMX_MSR_TRUE_PROCBASED_CTLS);
		m->true_exit = vmx_rdmsr(VMX_MSR_TRUE_EXIT_CTLS);
		m->true_entry = vmx_rdmsr(VMX_MSR_TRUE_ENTRY_CTLS);
	}
	if (VMX_CTL_MAY_BE_1(m->proc) & VMX_PROC_SECONDARY) {
		m->proc2 = vmx_rdmsr(VMX_MSR_PROCBASED_CTLS2);
		if (VMX_CTL_MAY_BE_1(m->proc2) &
		    (VMX_PROC2_EPT | VMX_PROC2_VPID))
			m->ept_vpid = vmx_rdmsr(VMX_MSR_EPT_VPID_CAP);
	}
}

static int vmx_probe(void)
{
	struct vmx_refusal why;
	u32 r[4];
	int rc;

	vmx_cpuid(0, 0, r);
	if (r[1] != 0x756e6547 || r[3] != 0x49656e69 || r[2] != 0x6c65746e) {
		pr_err("thinhv: refused: not an Intel CPU (VMX backend)\n");
		return -ENODEV;
	}
	vmx_cpuid(1, 0, r);
	if ((r[2] & X86_CPUID1_ECX_HYPERVISOR) && !hv_allow_nested) {
		pr_err("thinhv: refused: already running under a hypervisor "
		       "(CPUID.1:ECX[31]); allow_nested=1 overrides for "
		       "emulators\n");
		return -EBUSY;
	}
	read_caps(&vmx_caps);
	/* Every input, so a lab run records the CPU's values (tests/data/vmx/);
	 * short lines: the lab's serial console is slow. */
	pr_info("thinhv: vmx caps cpuid1_ecx=%#x feature_control=%#llx "
		"basic=%#llx misc=%#llx\n",
		vmx_caps.cpuid1_ecx, vmx_caps.feature_control, vmx_caps.basic,
		vmx_caps.misc);
	pr_info(
	    "thinhv: vmx caps pin=%#llx proc=%#llx exit=%#llx entry=%#llx\n",
	    vmx_caps.pin, vmx_caps.proc, vmx_caps.exit, vmx_caps.entry);
	pr_info("thinhv: vmx caps true_pin=%#llx true_proc=%#llx "
		"true_exit=%#llx true_entry=%#llx\n",
		vmx_caps.true_pin, vmx_caps.true_proc, vmx_caps.true_exit,
		vmx_caps.true_entry);
	pr_info("thinhv: vmx caps proc2=%#llx ept_vpid=%#llx\n", vmx_caps.proc2,
		vmx_caps.ept_vpid);
	pr_info("thinhv: vmx caps cr0_fixed0=%#llx cr0_fixed1=%#llx "
		"cr4_fixed0=%#llx cr4_fixed1=%#llx\n",
		vmx_caps.cr0_fixed0, vmx_caps.cr0_fixed1, vmx_caps.cr4_fixed0,
		vmx_caps.cr4_fixed1);
	rc = vmx_caps_plan(&vmx_caps, &vmx_plan, &why);
	if (rc) {
		pr_err("thinhv: refused: %s: %s (bits %#llx)\n", why.what,
		       why.why, why.bits);
		return rc;
	}
	/* XCR0 values the OS may set: what CPUID 0xD.0 says the CPU has. */
	vmx_cpuid(0xd, 0, r);
	vmx_xcr0_mask = ((u64)r[3] << 32) | r[0];
	pr_info("thinhv: VMX rev %u, %s controls pin=%#x proc=%#x proc2=%#x "
		"exit=%#x entry=%#x, EPT %u-level max leaf %s, INVEPT type %u, "
		"VPID %s\n",
		vmx_plan.revision, vmx_plan.true_ctls ? "TRUE" : "plain",
		vmx_plan.pin, vmx_plan.proc, vmx_plan.proc2, vmx_plan.exit,
		vmx_plan.entry, vmx_plan.ept_levels,
		vmx_plan.ept_max_leaf == 3   ? "1G"
		: vmx_plan.ept_max_leaf == 2 ? "2M"
					     : "4K",
		vmx_plan.invept_type, vmx_plan.vpid ? "on" : "off");
	return 0;
}

/* Per CPU, IPI context: nobody else in VMX, firmware lets us in. */
static int vmx_probe_cpu(void)
{
	u64 fc, nv = 0;
	int rc;

	if (vmx_read_cr4() & X86_CR4F_VMXE) {
		/* another hypervisor (e.g. KVM) owns VMX on this CPU */
		pr_err("thinhv: refused: cpu%u: CR4.VMXE already set (another "
		       "VMX user)\n",
		       smp_processor_id());
		return -EBUSY;
	}
	fc = vmx_rdmsr(X86_MSR_FEATURE_CONTROL);
	rc = vmx_feature_control(fc, &nv);
	if (rc < 0) {
		pr_err("thinhv: refused: cpu%u: IA32_FEATURE_CONTROL %#llx: "
		       "VMX disabled and locked by firmware\n",
		       smp_processor_id(), fc);
		return rc;
	}
	if (rc == 1) {
		/* unlocked: lock it with VMX enabled (SDM 24.7) */
		vmx_wrmsr(X86_MSR_FEATURE_CONTROL, nv);
		if (vmx_feature_control(vmx_rdmsr(X86_MSR_FEATURE_CONTROL),
					&nv) != 0)
			return -EPERM;
	}
	/* Every CPU must offer what the plan was computed from. */
	if (vmx_rdmsr(VMX_MSR_BASIC) != vmx_caps.basic)
		return -EINVAL;
	return 0;
}

static int vmx_npt_format(struct hv_pt_format *fmt, unsigned int *levels)
{
	hv_pt_format_ept(fmt, vmx_plan.ept_max_leaf);
	*levels = vmx_plan.ept_levels;
	return 0;
}

static void idt_gate(u8 *idt, unsigned int vec, u64 off, u8 ist)
{
	u8 *g = idt + vec * 16;

	memset(g, 0, 16);
	g[0] = (u8)off;
	g[1] = (u8)(off >> 8);
	g[2] = (u8)__KERNEL_CS;
	g[3] = (u8)(__KERNEL_CS >> 8);
	g[4] = ist;
	g[5] = 0x8e; /* present, DPL 0, 64-bit interrupt gate */
	g[6] = (u8)(off >> 16);
	g[7] = (u8)(off >> 24);
	g[8] = (u8)(off >> 32);
	g[9] = (u8)(off >> 40);
	g[10] = (u8)(off >> 48);
	g[11] = (u8)(off >> 56);
}

static int vmx_setup(struct hv_launch *l)
{
	void *bm;
	u64 idt_pa;
	unsigned int v;
	int rc;

	rc = hv_pool_page(l, &vmx_msr_bitmap_pa, &bm);
	if (rc)
		return rc;
	/*
	 * Only writes that would change the hypervisor's footing exit:
	 * IA32_FEATURE_CONTROL and the VMX capability MSRs (read-only in
	 * hardware; refused with #GP either way). Everything else, and
	 * every read, goes to the hardware directly.
	 */
	rc = vmx_msr_bitmap_set(bm, X86_MSR_FEATURE_CONTROL, true);
	for (v = VMX_MSR_FIRST; !rc && v <= VMX_MSR_LAST; v++)
		rc = vmx_msr_bitmap_set(bm, v, true);
	if (rc)
		return rc;
	rc = hv_pool_page(l, &idt_pa, &vmx_idt);
	if (rc)
		return rc;
	l->idt = vmx_idt;
	l->idt_pa = idt_pa;
	for (v = 0; v < 256; v++) {
		u64 off = (u64)vmx_host_idt_stubs +
			  (v < 32 ? v : 31) * VMX_IDT_STUB_SIZE;

		if (v == 2)
			idt_gate(vmx_idt, v, (u64)vmx_nmi_stub, 1);
		else
			idt_gate(vmx_idt, v, off, 0);
	}
	vmx_eptp_val = vmx_eptp(l->npt.root_pa, vmx_plan.ept_levels);
	return 0;
}

static int vmx_cpu_init(struct hv_launch *l, unsigned int cpu, void *area,
			u64 area_pa)
{
	u8 *a = area;
	struct vmx_cpu *c = (struct vmx_cpu *)(a + VMX_AREA_CPU * PAGE_SIZE);
	u8 *nmi_top = a + (VMX_AREA_NMI_STACK + 1) * PAGE_SIZE;
	u64 *top;

	c->host = l->host;
	c->index = cpu;
	c->plan = vmx_plan;
	c->vpid = vmx_plan.vpid ? (u16)(cpu + 1) : 0;
	c->vmxon_pa = area_pa + VMX_AREA_VMXON * PAGE_SIZE;
	c->vmcs_pa = area_pa + VMX_AREA_VMCS * PAGE_SIZE;
	c->msr_bitmap_pa = vmx_msr_bitmap_pa;
	c->eptp = vmx_eptp_val;
	c->host_cr3 = l->hostpt.root_pa;
	c->xcr0_supported = vmx_xcr0_mask;
	c->gdt = a + VMX_AREA_GDT * PAGE_SIZE;
	c->tss = a + VMX_AREA_TSS * PAGE_SIZE;
	c->idt = (u64)l->idt;
	c->stack_top = a + (VMX_AREA_STACK + VMX_STACK_PAGES) * PAGE_SIZE;
	top = (u64 *)c->stack_top;
	top[-1] = 0;
	top[-2] = (u64)c; /* HOST_RSP = &top[-2]: [rsp] = struct vmx_cpu * */
	/* NMI stack: IST1 = top - 16, [top - 8] = struct vmx_cpu * */
	((u64 *)nmi_top)[-1] = (u64)c;
	*(u64 *)(c->tss + VMX_TSS_IST1) = (u64)(nmi_top - 16);
	*(u16 *)(c->tss + VMX_TSS_IOMAP) = VMX_TSS_LIMIT + 1; /* no I/O map */
	*(u32 *)(a + VMX_AREA_VMXON * PAGE_SIZE) = vmx_plan.revision;
	*(u32 *)(a + VMX_AREA_VMCS * PAGE_SIZE) = vmx_plan.revision;
	return 0;
}

/* Segment register state from the live GDT, in VMCS form. */
static int seg_live(const struct vmx_dtr *gdt, u16 sel, struct vmx_seg *s)
{
	u32 off = sel & ~7u;
	size_t avail;

	if (sel & 4)
		return -EINVAL; /* LDT selectors: Linux never uses them here */
	if (off && off + 8 > (u32)gdt->limit + 1)
		return -EINVAL;
	avail = off ? (size_t)gdt->limit + 1 - off : 0;
	return vmx_seg_from_desc(sel, (const u8 *)gdt->base + off, avail, s);
}

/* VMWRITE, remembering the first field that failed. */
static void w(u32 field, u64 v, int *bad)
{
	if (vmx_vmwrite(field, v) && !*bad)
		*bad = (int)field | 0x10000;
}

#define GUEST_SEG(NAME, s)                                     \
	do {                                                   \
		w(VMCS_GUEST_##NAME##_SEL, (s).sel, &bad);     \
		w(VMCS_GUEST_##NAME##_BASE, (s).base, &bad);   \
		w(VMCS_GUEST_##NAME##_LIMIT, (s).limit, &bad); \
		w(VMCS_GUEST_##NAME##_AR, (s).ar, &bad);       \
	} while (0)

/*
 * Root mode runs with the OS's CR4 at launch, plus OSXSAVE whenever the CPU
 * has XSAVE: the guest's XSETBV exits only when *its* CR4.OSXSAVE is set,
 * which it may set after launch, and vmx_host.c then executes XSETBV in
 * root mode, which would #UD there (a host-mode fault) without it.
 */
static u64 host_cr4(u64 cr4)
{
	if (vmx_caps.cpuid1_ecx & X86_CPUID1_ECX_XSAVE)
		cr4 |= X86_CR4F_OSXSAVE;
	return cr4;
}

/* Guest = this CPU right now (IRQs off); host = the private context. */
static int vmcs_from_live(struct vmx_cpu *c, struct vmx_dtr *gdt)
{
	struct vmx_seg es, cs, ss, ds, fs, gs, tr, ldtr;
	struct vmx_dtr idt;
	u64 cr0 = vmx_read_cr0(), cr4 = vmx_read_cr4();
	int bad = 0, rc;

	vmx_sgdt(gdt);
	vmx_sidt(&idt);
	rc = seg_live(gdt, vmx_read_es(), &es);
	rc = rc ?: seg_live(gdt, vmx_read_cs(), &cs);
	rc = rc ?: seg_live(gdt, vmx_read_ss(), &ss);
	rc = rc ?: seg_live(gdt, vmx_read_ds(), &ds);
	rc = rc ?: seg_live(gdt, vmx_read_fs(), &fs);
	rc = rc ?: seg_live(gdt, vmx_read_gs(), &gs);
	rc = rc ?: seg_live(gdt, vmx_read_tr(), &tr);
	rc = rc ?: seg_live(gdt, vmx_read_ldtr(), &ldtr);
	if (rc)
		return rc;
	/* 64-bit mode: FS/GS bases live in MSRs, the rest are flat. */
	fs.base = vmx_rdmsr(X86_MSR_FS_BASE);
	gs.base = vmx_rdmsr(X86_MSR_GS_BASE);
	if (tr.ar & VMX_AR_UNUSABLE)
		return -EINVAL; /* VM entry requires a usable TR */
	if ((tr.ar & VMX_AR_TYPE) == VMX_AR_TYPE_TSS64_AVAIL)
		tr.ar = (tr.ar & ~VMX_AR_TYPE) | VMX_AR_TYPE_TSS64_BUSY;

	/* controls */
	w(VMCS_PIN_CTLS, c->plan.pin, &bad);
	w(VMCS_PROC_CTLS, c->plan.proc, &bad);
	w(VMCS_PROC_CTLS2, c->plan.proc2, &bad);
	w(VMCS_EXIT_CTLS, c->plan.exit, &bad);
	w(VMCS_ENTRY_CTLS, c->plan.entry, &bad);
	w(VMCS_EXCEPTION_BITMAP, 0, &bad);
	w(VMCS_PF_EC_MASK, 0, &bad);
	w(VMCS_PF_EC_MATCH, 0, &bad);
	w(VMCS_CR3_TARGET_COUNT, 0, &bad);
	w(VMCS_EXIT_MSR_STORE_COUNT, 0, &bad);
	w(VMCS_EXIT_MSR_LOAD_COUNT, 0, &bad);
	w(VMCS_ENTRY_MSR_LOAD_COUNT, 0, &bad);
	w(VMCS_ENTRY_INTR_INFO, 0, &bad);
	w(VMCS_TSC_OFFSET, 0, &bad);
	w(VMCS_MSR_BITMAP, c->msr_bitmap_pa, &bad);
	w(VMCS_EPT_POINTER, c->eptp, &bad);
	if (c->vpid)
		w(VMCS_VPID, c->vpid, &bad);
	if (c->plan.proc2 & VMX_PROC2_XSAVES)
		w(VMCS_XSS_EXIT_BITMAP, 0, &bad);
	/* The OS owns CR0 and CR4 except CR4.VMXE, which reads as 0. */
	w(VMCS_CR0_MASK, 0, &bad);
	w(VMCS_CR0_SHADOW, cr0, &bad);
	w(VMCS_CR4_MASK, X86_CR4F_VMXE, &bad);
	w(VMCS_CR4_SHADOW, cr4 & ~X86_CR4F_VMXE, &bad);

	/* guest state */
	w(VMCS_GUEST_CR0, cr0, &bad);
	w(VMCS_GUEST_CR3, vmx_read_cr3(), &bad);
	w(VMCS_GUEST_CR4, cr4, &bad);
	w(VMCS_GUEST_DR7, vmx_read_dr7(), &bad);
	GUEST_SEG(ES, es);
	GUEST_SEG(CS, cs);
	GUEST_SEG(SS, ss);
	GUEST_SEG(DS, ds);
	GUEST_SEG(FS, fs);
	GUEST_SEG(GS, gs);
	GUEST_SEG(TR, tr);
	GUEST_SEG(LDTR, ldtr);
	w(VMCS_GUEST_GDTR_BASE, gdt->base, &bad);
	w(VMCS_GUEST_GDTR_LIMIT, gdt->limit, &bad);
	w(VMCS_GUEST_IDTR_BASE, idt.base, &bad);
	w(VMCS_GUEST_IDTR_LIMIT, idt.limit, &bad);
	w(VMCS_GUEST_DEBUGCTL, vmx_rdmsr(X86_MSR_DEBUGCTL), &bad);
	w(VMCS_GUEST_PAT, vmx_rdmsr(X86_MSR_PAT), &bad);
	w(VMCS_GUEST_EFER, vmx_rdmsr(X86_MSR_EFER), &bad);
	w(VMCS_GUEST_SYSENTER_CS, vmx_rdmsr(X86_MSR_SYSENTER_CS), &bad);
	w(VMCS_GUEST_SYSENTER_ESP, vmx_rdmsr(X86_MSR_SYSENTER_ESP), &bad);
	w(VMCS_GUEST_SYSENTER_EIP, vmx_rdmsr(X86_MSR_SYSENTER_EIP), &bad);
	w(VMCS_LINK_POINTER, ~0ull, &bad);
	w(VMCS_GUEST_INTERRUPTIBILITY, 0, &bad);
	w(VMCS_GUEST_ACTIVITY, VMX_ACTIVITY_ACTIVE, &bad);
	w(VMCS_GUEST_PENDING_DBG, 0, &bad);
	/* RSP, RIP, RFLAGS: vmx_launch_asm */

	/* host state: private CR3/GDT/TSS/IDT/stack, FS/GS base 0 */
	w(VMCS_HOST_CR0, cr0, &bad);
	w(VMCS_HOST_CR3, c->host_cr3, &bad);
	w(VMCS_HOST_CR4, host_cr4(cr4), &bad);
	w(VMCS_HOST_CS_SEL, cs.sel & ~7u, &bad);
	w(VMCS_HOST_SS_SEL, __KERNEL_DS, &bad);
	w(VMCS_HOST_DS_SEL, 0, &bad);
	w(VMCS_HOST_ES_SEL, 0, &bad);
	w(VMCS_HOST_FS_SEL, 0, &bad);
	w(VMCS_HOST_GS_SEL, 0, &bad);
	w(VMCS_HOST_TR_SEL, tr.sel & ~7u, &bad);
	w(VMCS_HOST_FS_BASE, 0, &bad);
	w(VMCS_HOST_GS_BASE, 0, &bad);
	w(VMCS_HOST_TR_BASE, (u64)c->tss, &bad);
	w(VMCS_HOST_GDTR_BASE, (u64)c->gdt, &bad);
	w(VMCS_HOST_IDTR_BASE, c->idt, &bad);
	w(VMCS_HOST_SYSENTER_CS, vmx_rdmsr(X86_MSR_SYSENTER_CS), &bad);
	w(VMCS_HOST_SYSENTER_ESP, vmx_rdmsr(X86_MSR_SYSENTER_ESP), &bad);
	w(VMCS_HOST_SYSENTER_EIP, vmx_rdmsr(X86_MSR_SYSENTER_EIP), &bad);
	w(VMCS_HOST_PAT, vmx_rdmsr(X86_MSR_PAT), &bad);
	w(VMCS_HOST_EFER, vmx_rdmsr(X86_MSR_EFER), &bad);
	w(VMCS_HOST_RSP, (u64)(c->stack_top - 16), &bad);
	w(VMCS_HOST_RIP, (u64)vmx_exit_entry, &bad);
	if (bad)
		pr_err("thinhv: VMWRITE of field %#x failed\n", bad & 0xffff);
	return bad ? -EIO : 0;
}

static int vmx_launch(void *area)
{
	struct vmx_cpu *c =
	    (struct vmx_cpu *)((u8 *)area + VMX_AREA_CPU * PAGE_SIZE);
	struct vmx_dtr gdt;
	u64 cr4 = vmx_read_cr4();
	int rc;

	if (cr4 & X86_CR4F_VMXE)
		return -EBUSY;
	if (!vmx_cr_fixed_ok(vmx_read_cr0(), vmx_caps.cr0_fixed0,
			     vmx_caps.cr0_fixed1) ||
	    !vmx_cr_fixed_ok(cr4 | X86_CR4F_VMXE, vmx_caps.cr4_fixed0,
			     vmx_caps.cr4_fixed1) ||
	    !vmx_cr_fixed_ok(host_cr4(cr4) | X86_CR4F_VMXE, vmx_caps.cr4_fixed0,
			     vmx_caps.cr4_fixed1))
		return -EINVAL;
	/*
	 * Raw CR4 write, not cr4_set_bits(): the OS's CR4 shadow keeps
	 * VMXE = 0, which is what the guest reads (CR4 read shadow) and
	 * writes back without an exit.
	 */
	vmx_write_cr4(cr4 | X86_CR4F_VMXE);
	if (vmx_vmxon(c->vmxon_pa)) {
		rc = -EIO;
		goto out_cr4;
	}
	if (vmx_vmclear(c->vmcs_pa) || vmx_vmptrld(c->vmcs_pa)) {
		rc = -EIO;
		goto out_off;
	}
	rc = vmcs_from_live(c, &gdt);
	if (rc)
		goto out_clear;
	if (gdt.limit >= PAGE_SIZE) {
		rc = -E2BIG;
		goto out_clear;
	}
	/* host-mode GDT: same selectors, memory the OS cannot reach */
	memcpy(c->gdt, (void *)gdt.base, gdt.limit + 1);
	vmx_invept(c->plan.invept_type, c->eptp);
	if (c->vpid)
		vmx_invvpid(c->plan.invvpid_type == VMX_INVVPID_SINGLE
				? VMX_INVVPID_SINGLE
				: VMX_INVVPID_ALL,
			    c->vpid);

	rc = vmx_launch_asm(c);
	if (rc == 0)
		return 0; /* guest now: the pool is out of reach from here */
	if (rc < 0) {
		/* entry failed on guest state; the host handler went native */
		pr_err("thinhv: cpu%u VM entry failed: exit reason %#llx\n",
		       c->index, c->launch_err);
		return rc;
	}
	c->launch_err = vmx_vmread(VMCS_INSTR_ERROR);
	pr_err("thinhv: cpu%u VMLAUNCH failed: VM-instruction error %llu\n",
	       c->index, c->launch_err);
	rc = -EIO;
out_clear:
	vmx_vmclear(c->vmcs_pa);
out_off:
	vmx_vmxoff();
out_cr4:
	vmx_write_cr4(cr4);
	return rc;
}

static s64 vmx_hypercall(u32 fn, u64 *rbx, u64 *rcx, u64 *rdx)
{
	u64 rax = hv_hc_rax(fn);

	vmx_vmcall(&rax, rbx, rcx, rdx);
	return hv_hc_result(rax);
}

static int vmx_devirt(void *area)
{
	u64 b = 0, c = 0, d = 0;
	s64 rc = vmx_hypercall(HV_HC_DEVIRT, &b, &c, &d);

	if (rc)
		return rc == -HV_EPERM ? -EPERM : -EIO;
	return 0; /* native again: VMXOFF done, CR4.VMXE clear */
}

const struct hv_cpu_ops vmx_cpu_ops = {
	.name = "vmx",
	.backend_id = THINHV_BACKEND_VMX,
	.probe = vmx_probe,
	.probe_cpu = vmx_probe_cpu,
	.percpu_pages = VMX_AREA_PAGES,
	.setup = vmx_setup,
	.cpu_init = vmx_cpu_init,
	.launch = vmx_launch,
	.devirt = vmx_devirt,
	.hypercall = vmx_hypercall,
	.npt_format = vmx_npt_format,
};
