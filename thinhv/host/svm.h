/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * svm.h - the SVM backend's per-CPU area (kernel context and host mode).
 * It lives in the protected pool. The first fields are read by svm_asm.S at
 * the offsets below (checked with _Static_assert in svm.c).
 */
#ifndef THINHV_SVM_H
#define THINHV_SVM_H

#include "thinhv/compat.h"
#include "thinhv/host/hv_exit.h"
#include "thinhv/host/svm_hw.h"
#include "thinhv/hw/svm_regs.h"

/* Pool pages of one CPU's area, in order. */
#define SVM_AREA_VMCB 0	 /* VMCB */
#define SVM_AREA_HSAVE 1 /* host save area */
#define SVM_AREA_CPU 2	 /* struct svm_cpu */
#define SVM_AREA_GDT 3	 /* private copy of the OS's GDT */
#define SVM_AREA_STACK 4 /* host stack: 4 pages */
#define SVM_STACK_PAGES 4
#define SVM_AREA_PAGES (SVM_AREA_STACK + SVM_STACK_PAGES)
#define SVM_AREA_PAGE 4096ull /* bytes per area page (x86 PAGE_SIZE) */

/*
 * The last SVM_HIST exits of one CPU, for the host-mode fatal reports: what
 * the CPU did just before an unexplained host-mode fault.
 */
#define SVM_HIST 4
struct svm_exit_rec {
	uint64_t code;	   /* EXITCODE */
	uint64_t info1;	   /* EXITINFO1 */
	uint64_t info2;	   /* EXITINFO2 (the GPA of a nested fault) */
	uint64_t rip;	   /* guest RIP at the exit */
	uint64_t int_info; /* EXITINTINFO: event being delivered */
	uint64_t inj;	   /* EVENTINJ written for the next VMRUN */
};

#include "thinhv/host/svm_offsets.h"

struct svm_cpu {
	uint64_t vmcb_pa;
	struct svm_vmcb *vmcb;
	uint64_t host_cr3;
	uint64_t
	    host_rsp; /* initial host RSP: [rsp] = vmcb_pa, [rsp+8] = this */
	struct svm_dtr host_gdtr;
	uint8_t pad0[6];
	struct svm_dtr host_idtr;
	uint8_t pad1[6];
	/* devirtualization frame, filled in host mode, consumed by asm */
	uint64_t d_cr3, d_cr4, d_rip, d_rsp, d_rflags, d_efer;
	struct svm_dtr d_gdtr;
	uint8_t pad2[6];
	struct svm_dtr d_idtr;
	uint8_t pad3[6];
	struct hv_gprs d_gprs;
	/* not used by asm */
	struct hv_host *host;
	uint32_t index; /* OS CPU number = index into host->cpu */
	uint32_t nrips; /* CPU saves next RIP on #VMEXIT */
	uint64_t hsave_pa;
	uint8_t *stack_top;
	/* exits recorded; the newest is hist[(hist_n - 1) % SVM_HIST] */
	uint64_t hist_n;
	struct svm_exit_rec hist[SVM_HIST];
};

/* svm_asm.S */
int svm_launch_asm(struct svm_cpu *c);
/* svm_host.c: host mode. Returns 0 to resume the guest, 1 to leave. */
int svm_exit_handler(struct svm_cpu *c, struct hv_gprs *g);
void svm_host_fault(uint64_t vector, uint64_t *frame);
/* svm_asm.S: IDT entry stubs for host mode, 16 bytes apart */
extern const uint8_t svm_host_idt_stubs[];
#define SVM_IDT_STUB_SIZE 16

#endif /* THINHV_SVM_H */
