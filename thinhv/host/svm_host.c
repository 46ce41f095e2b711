// SPDX-License-Identifier: GPL-2.0-only
/*
 * svm_host.c - SVM #VMEXIT handling in HOST MODE (GIF=0, private CR3, GDT
 * and IDT, the guest's GS base live). Rules for this file (enforced by its
 * Kbuild flags; check with `nm -u thinhv/svm_host.o`):
 * no stack protector, no tracing, no retpoline/return thunks, no calls
 * outside svm_host.o/hv_exit.o/hv_ranges.o/hv_pcicfg.o, no kernel headers,
 * no %gs.
 * It reads only the protected pool (struct svm_cpu, VMCB, struct hv_host).
 */
#include "thinhv/compat.h"
#include "thinhv/hv_abi.h"
#include "thinhv/host/hv_exit.h"
#include "thinhv/host/hv_host_diag.h"
#include "thinhv/host/svm.h"
#include "thinhv/host/svm_hw.h"
#include "thinhv/hw/svm_regs.h"

/*
 * Detail lines after a FATAL line ("thinhv:  ...", not counted as a second
 * FATAL by the soak): this CPU's VMCB as it is now and its last exits. An
 * EVENTINJ holding the host fault's own vector as an exception without the
 * V bit means the emulator delivered the host-mode fault as a guest event
 * (QEMU records an event in EVENTINJ only in guest mode); see docs/lab.md.
 */
static void report_cpu(struct svm_cpu *c, uint64_t rsp)
{
	struct svm_vmcb *v = c->vmcb;
	uint64_t i, n = c->hist_n;

	serial_puts("thinhv:  cpu ");
	serial_hex(c->index);
	serial_puts(" exits ");
	serial_hex(n);
	serial_puts(" host rsp ");
	serial_hex(rsp);
	serial_puts(" stack top ");
	serial_hex((uint64_t)c->stack_top);
	/* VMRUN saves the host state where VM_HSAVE_PA says */
	serial_puts("\nthinhv:  vmcb pa ");
	serial_hex(c->vmcb_pa);
	serial_puts(" hsave pa ");
	serial_hex(c->hsave_pa);
	serial_puts(" VM_HSAVE_PA ");
	serial_hex(svm_rdmsr(SVM_MSR_VM_HSAVE_PA));
	serial_puts("\nthinhv:  vmcb exit ");
	serial_hex(v->ctl.exit_code);
	serial_puts(" rip ");
	serial_hex(v->save.rip);
	serial_puts(" rsp ");
	serial_hex(v->save.rsp);
	serial_puts(" cr3 ");
	serial_hex(v->save.cr3);
	serial_puts(" idtr ");
	serial_hex(v->save.idtr.base);
	serial_puts(" exitintinfo ");
	serial_hex(v->ctl.exit_int_info);
	serial_puts(" eventinj ");
	serial_hex(v->ctl.event_inj);
	serial_puts("\n");
	for (i = n > SVM_HIST ? n - SVM_HIST : 0; i < n; i++) {
		const struct svm_exit_rec *r = &c->hist[i % SVM_HIST];

		serial_puts("thinhv:  exit ");
		serial_hex(i + 1);
		serial_puts(" code ");
		serial_hex(r->code);
		serial_puts(" info1 ");
		serial_hex(r->info1);
		serial_puts(" info2 ");
		serial_hex(r->info2);
		serial_puts(" rip ");
		serial_hex(r->rip);
		serial_puts(" exitintinfo ");
		serial_hex(r->int_info);
		serial_puts(" injected ");
		serial_hex(r->inj);
		serial_puts("\n");
	}
}

/*
 * The CPU whose host stack holds rsp. The host GDT is this CPU's own page
 * in its area (svm.h: VMCB, host save, svm_cpu, GDT, stack), so SGDT names
 * the area; it is believed only if rsp lies in that area's stack, and
 * nothing is read before that check (an unmapped read here would fault
 * again inside the fault report).
 */
static struct svm_cpu *fault_cpu(uint64_t rsp)
{
	struct svm_dtr gdt;
	struct svm_cpu *c;
	uint64_t area;

	svm_sgdt(&gdt);
	if (gdt.base & (SVM_AREA_PAGE - 1))
		return NULL;
	area = gdt.base - SVM_AREA_GDT * SVM_AREA_PAGE;
	if (rsp <= area + SVM_AREA_STACK * SVM_AREA_PAGE ||
	    rsp > area + SVM_AREA_PAGES * SVM_AREA_PAGE)
		return NULL;
	c = (struct svm_cpu *)(area + SVM_AREA_CPU * SVM_AREA_PAGE);
	return c->host_gdtr.base == gdt.base ? c : NULL;
}

/* frame: error code, RIP, CS, RFLAGS, RSP, SS (as the CPU pushed them). */
void svm_host_fault(uint64_t vector, uint64_t *frame)
{
	struct svm_cpu *c;

	serial_puts("\nthinhv: FATAL host-mode exception vector ");
	serial_hex(vector);
	serial_puts(" error ");
	serial_hex(frame[0]);
	serial_puts(" rip ");
	serial_hex(frame[1]);
	serial_puts(" cr2 ");
	serial_hex(svm_read_cr2());
	serial_puts("\nthinhv:  cs ");
	serial_hex(frame[2]);
	serial_puts(" rflags ");
	serial_hex(frame[3]);
	serial_puts(" rsp ");
	serial_hex(frame[4]);
	serial_puts("\n");
	c = fault_cpu(frame[4]);
	if (c)
		report_cpu(c, frame[4]);
	else
		serial_puts("thinhv:  cpu unknown: rsp is in no host stack\n");
	host_stop();
}

static void __attribute__((noreturn))
host_fatal(struct svm_cpu *c, const char *why)
{
	struct svm_vmcb *v = c->vmcb;

	serial_puts("\nthinhv: FATAL cpu ");
	serial_hex(c->index);
	serial_puts(" ");
	serial_puts(why);
	serial_puts(" exit ");
	serial_hex(v->ctl.exit_code);
	serial_puts(" info1 ");
	serial_hex(v->ctl.exit_info1);
	serial_puts(" info2 ");
	serial_hex(v->ctl.exit_info2);
	serial_puts(" rip ");
	serial_hex(v->save.rip);
	serial_puts("\n");
	report_cpu(c, (uint64_t)__builtin_frame_address(0));
	host_stop();
}

/*
 * Guest state equal to this CPU's own host state (RSP at the host stack's
 * VMCB slot, the host IDT and GDT) comes from no guest. QEMU 7.2's
 * multi-threaded TCG produces it on CPU 0 when another vCPU's FXRSTOR puts
 * the nested-paging bit back into CPU 0's hflags2 after a #VMEXIT (docs/
 * lab.md, "QEMU's hflags2 race"): host mode then faults under nested
 * paging and QEMU saves the host state as guest state. Stop at the first
 * such exit, whose report names it.
 */
static bool guest_is_host(const struct svm_cpu *c)
{
	const struct svm_vmcb *v = c->vmcb;

	return v->save.rsp == c->host_rsp &&
	       v->save.idtr.base == c->host_idtr.base &&
	       v->save.gdtr.base == c->host_gdtr.base;
}

/*
 * The exit code, with VMEXIT_INVALID (-1) also recognised as QEMU 7.2
 * stores it: 0x00000000ffffffff (its cpu_vmexit takes a 32-bit code).
 */
static uint64_t exit_code(const struct svm_vmcb *v)
{
	uint64_t code = v->ctl.exit_code;

	return code == 0xffffffffull ? SVM_EXIT_INVALID : code;
}

static enum hv_exit_reason decode(struct svm_cpu *c, struct hv_exit *e,
				  const struct hv_gprs *g)
{
	struct svm_vmcb *v = c->vmcb;
	uint64_t code = exit_code(v);

	switch (code) {
	case SVM_EXIT_CPUID:
		e->cpuid_in_eax = (uint32_t)g->rax;
		e->cpuid_in_ecx = (uint32_t)g->rcx;
		svm_cpuid(e->cpuid_in_eax, e->cpuid_in_ecx, e->cpuid);
		e->guest_cr4 = v->save.cr4;
		return HV_EXIT_CPUID;
	case SVM_EXIT_VMMCALL:
		return HV_EXIT_HYPERCALL;
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
	case SVM_EXIT_SKINIT:
	case SVM_EXIT_INVLPGA:
		return HV_EXIT_VIRT_INSN;
	case SVM_EXIT_MSR:
		if (v->ctl.exit_info1 != 1)
			return HV_EXIT_UNKNOWN; /* reads are not intercepted */
		e->msr_new =
		    ((g->rdx & 0xffffffffull) << 32) | (g->rax & 0xffffffffull);
		switch ((uint32_t)g->rcx) {
		case X86_MSR_EFER:
			e->msr_kind = HV_MSR_EFER;
			e->msr_old = v->save.efer;
			break;
		case SVM_MSR_VM_HSAVE_PA:
		case SVM_MSR_VM_CR:
			e->msr_kind = HV_MSR_VIRT_CTL;
			break;
		case SVM_MSR_MMIO_CFG_BASE:
			e->msr_kind = HV_MSR_ECAM_BASE;
			break;
		default:
			e->msr_kind = HV_MSR_OTHER;
			break;
		}
		return HV_EXIT_MSR_WRITE;
	case SVM_EXIT_NPF:
		e->gpa = v->ctl.exit_info2;
		if (v->ctl.exit_info1 & SVM_NPF_ID)
			e->npf_access = HV_ACC_X;
		else if (v->ctl.exit_info1 & SVM_NPF_W)
			e->npf_access = HV_ACC_W;
		else
			e->npf_access = HV_ACC_R;
		if (v->ctl.exit_info1 & SVM_NPF_RSV)
			return HV_EXIT_UNKNOWN; /* malformed table: fatal */
		return HV_EXIT_NPF;
	case SVM_EXIT_IOIO: {
		uint64_t i1 = v->ctl.exit_info1;

		e->io.port = SVM_IOIO_PORT(i1);
		e->io.size = (i1 & SVM_IOIO_SZ32)   ? 4
			     : (i1 & SVM_IOIO_SZ16) ? 2
			     : (i1 & SVM_IOIO_SZ8)  ? 1
						    : 0;
		e->io.in = !!(i1 & SVM_IOIO_IN);
		e->io.str = !!(i1 & SVM_IOIO_STR);
		e->io.rep = !!(i1 & SVM_IOIO_REP);
		e->io.value =
		    e->io.in ? 0 : hv_io_out_value(g->rax, e->io.size);
		return HV_EXIT_IO;
	}
	case SVM_EXIT_SHUTDOWN:
		return HV_EXIT_SHUTDOWN;
	case SVM_EXIT_INIT:
		return HV_EXIT_INIT;
	case SVM_EXIT_INVALID:
		return HV_EXIT_INVALID;
	default:
		return HV_EXIT_UNKNOWN;
	}
}

static uint64_t insn_len(struct svm_cpu *c)
{
	switch (c->vmcb->ctl.exit_code) {
	case SVM_EXIT_CPUID:
		return SVM_LEN_CPUID;
	case SVM_EXIT_VMMCALL:
		return SVM_LEN_VMMCALL;
	case SVM_EXIT_MSR:
		return SVM_LEN_WRMSR;
	case SVM_EXIT_IOIO:
		/* EXITINFO2 holds the next RIP even without NRIP save. */
		return c->vmcb->ctl.exit_info2 - c->vmcb->save.rip;
	default:
		return 0;
	}
}

/*
 * Carry out a decided PCI config port access; p->lock is held for
 * HV_PCIO_CONFIG, so 0xCF8 and the data access are one unit.
 */
static void port_io(struct hv_exit *e, struct hv_gprs *g)
{
	struct hv_io *io = &e->io;
	uint32_t val = io->value;

	if (e->io_verdict == HV_PCIO_CONFIG)
		svm_outl(HV_PCICFG_ADDR_PORT, io->cfg_addr);
	switch (e->io_verdict) {
	case HV_PCIO_CONFIG:
	case HV_PCIO_NATIVE:
		if (io->in)
			val = io->size == 4   ? svm_inl(io->port)
			      : io->size == 2 ? svm_inw(io->port)
					      : svm_inb(io->port);
		else if (io->size == 4)
			svm_outl(io->port, val);
		else if (io->size == 2)
			svm_outw(io->port, (uint16_t)val);
		else
			svm_outb(io->port, (uint8_t)val);
		break;
	default: /* HV_PCIO_EMULATED, HV_PCIO_REFUSED: io->value says */
		break;
	}
	if (io->in)
		g->rax = hv_io_in_merge(g->rax, io->size, val);
}

static void inject(struct svm_vmcb *v, uint32_t vector, bool errcode)
{
	uint64_t ev = SVM_EVT_V | SVM_EVT_TYPE_EXCEPTION | vector;

	if (errcode)
		ev |= SVM_EVT_EV; /* error code 0 in bits 63:32 */
	v->ctl.event_inj = ev;
}

static void fill_devirt(struct svm_cpu *c, const struct hv_gprs *g)
{
	struct svm_vmcb *v = c->vmcb;

	c->d_cr3 = v->save.cr3;
	c->d_cr4 = v->save.cr4;
	c->d_rip = v->save.rip;
	c->d_rsp = v->save.rsp;
	c->d_rflags = v->save.rflags;
	c->d_efer = v->save.efer & ~X86_EFER_SVME;
	c->d_gdtr.limit = (uint16_t)v->save.gdtr.limit;
	c->d_gdtr.base = v->save.gdtr.base;
	c->d_idtr.limit = (uint16_t)v->save.idtr.limit;
	c->d_idtr.base = v->save.idtr.base;
	c->d_gprs.rax = g->rax;
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
}

int svm_exit_handler(struct svm_cpu *c, struct hv_gprs *g)
{
	struct svm_vmcb *v = c->vmcb;
	struct svm_exit_rec *rec = &c->hist[c->hist_n++ % SVM_HIST];
	struct hv_exit e;
	uint64_t pending = v->ctl.exit_int_info;
	bool locked = false;
	uint32_t act;

	rec->code = v->ctl.exit_code;
	rec->info1 = v->ctl.exit_info1;
	rec->info2 = v->ctl.exit_info2;
	rec->rip = v->save.rip;
	rec->int_info = pending;
	rec->inj = 0;
	if (guest_is_host(c)) {
		/* a nested fault on the host's own page table: host mode ran
		 * with nested paging on, which only the CPU can have done */
		if (v->ctl.exit_code == SVM_EXIT_NPF &&
		    (v->ctl.exit_info2 & ~0xfffull) == c->host_cr3)
			serial_puts(
			    "\nthinhv: host mode ran under nested paging "
			    "(an emulator fault, not the guest: docs/"
			    "lab.md, QEMU's hflags2 race)");
		host_fatal(c, "guest state is this CPU's host state");
	}
	g->rax = v->save.rax;
	v->ctl.event_inj = 0;
	v->ctl.tlb_ctl = SVM_TLB_FLUSH_NONE;

	/* The first VMRUN was refused: go back to the loader natively. */
	if (exit_code(v) == SVM_EXIT_INVALID && v->save.rip &&
	    c->host->cpu[c->index].cnt[HV_CNT_EXITS] == 0) {
		g->rax = (uint64_t)(int64_t)-5; /* -EIO */
		fill_devirt(c, g);
		return 1;
	}

	e.reason = HV_EXIT_UNKNOWN;
	e.raw = v->ctl.exit_code;
	e.cpl = v->save.cpl;
	e.rip = v->save.rip;
	e.cpuid_in_eax = 0;
	e.cpuid_in_ecx = 0;
	e.cpuid[0] = e.cpuid[1] = e.cpuid[2] = e.cpuid[3] = 0;
	e.msr_kind = HV_MSR_OTHER;
	e.msr_old = 0;
	e.msr_new = 0;
	e.gpa = 0;
	e.npf_access = 0;
	e.io = (struct hv_io){ 0 };
	e.io_verdict = 0;
	e.reason = decode(c, &e, g);

	/* Config port I/O: checked and performed under one lock hold. */
	if (e.reason == HV_EXIT_IO) {
		locked = hv_pcicfg_lock(&c->host->pcicfg);
		e.io.lock_failed = !locked;
	}
	act = hv_exit_decide(c->host, c->index, &e, g);
	if (act & HV_ACT_IO)
		port_io(&e, g);
	if (locked)
		hv_pcicfg_unlock(&c->host->pcicfg);
	if (act & HV_ACT_FATAL)
		host_fatal(c, "unexpected exit");

	if (act & HV_ACT_SET_CPUID) {
		g->rax = e.cpuid[0];
		g->rbx = e.cpuid[1];
		g->rcx = e.cpuid[2];
		g->rdx = e.cpuid[3];
	}
	if (act & HV_ACT_SET_MSR)
		v->save.efer = e.msr_new | X86_EFER_SVME;
	if (act & HV_ACT_ADVANCE) {
		if (c->nrips && v->ctl.next_rip)
			v->save.rip = v->ctl.next_rip;
		else
			v->save.rip += insn_len(c);
	}
	if (act & HV_ACT_INJECT_UD)
		inject(v, SVM_VEC_UD, false);
	else if (act & HV_ACT_INJECT_GP)
		inject(v, SVM_VEC_GP, true);
	else if (pending & SVM_EVT_V) {
		/* an event was being delivered when we exited: deliver it */
		c->host->cpu[c->index].cnt[HV_CNT_REINJECT]++;
		v->ctl.event_inj = pending;
	}
	if (act & HV_ACT_DEVIRT) {
		fill_devirt(c, g);
		return 1;
	}
	v->save.rax = g->rax;
	rec->inj = v->ctl.event_inj;
	return 0;
}
