/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vmx.h - the VMX backend's per-CPU area (kernel context and VMX root
 * mode). It lives in the protected pool. The first fields are read by
 * vmx_asm.S at the offsets below (checked with _Static_assert in vmx.c).
 */
#ifndef THINHV_VMX_H
#define THINHV_VMX_H

#ifndef __ASSEMBLY__
#include "thinhv/compat.h"
#include "thinhv/host/hv_exit.h"
#include "thinhv/host/vmx_caps.h"
#include "thinhv/host/vmx_hw.h"
#endif

/* Pool pages of one CPU's area, in order. */
#define VMX_AREA_VMXON 0
#define VMX_AREA_VMCS 1
#define VMX_AREA_CPU 2 /* struct vmx_cpu */
#define VMX_AREA_GDT 3 /* private copy of the OS's GDT (host GDTR) */
#define VMX_AREA_TSS 4 /* private TSS (host TR): IST1 = NMI stack */
#define VMX_AREA_NMI_STACK 5
#define VMX_AREA_STACK 6 /* host stack */
#define VMX_STACK_PAGES 4
#define VMX_AREA_PAGES (VMX_AREA_STACK + VMX_STACK_PAGES)

/* Offsets into struct vmx_cpu used by vmx_asm.S */
#define VMXC_D_RIP 0
#define VMXC_D_RSP 8
#define VMXC_D_RFLAGS 16
#define VMXC_D_CS 24
#define VMXC_D_SS 32
#define VMXC_D_GPRS 40 /* struct hv_gprs: rax rbx rcx rdx rsi rdi rbp r8.. */
#define VMXC_NMI_PENDING 160

/* VMCS field encodings vmx_asm.S writes (= VMCS_GUEST_*, checked in vmx.c) */
#define VMXA_GUEST_RSP 0x681c
#define VMXA_GUEST_RIP 0x681e
#define VMXA_GUEST_RFLAGS 0x6820

/* TSS (SDM vol. 3A 8.7): IST1 at byte 36, I/O map base at 102. */
#define VMX_TSS_IST1 36
#define VMX_TSS_IOMAP 102
#define VMX_TSS_LIMIT 0x67

#ifndef __ASSEMBLY__
struct vmx_cpu {
	/* devirtualization frame (host mode fills it, vmx_asm.S consumes) */
	uint64_t d_rip, d_rsp, d_rflags, d_cs, d_ss;
	struct hv_gprs d_gprs;
	uint32_t nmi_pending; /* set by the host NMI stub */
	uint32_t pad0;
	/* not used by asm */
	struct hv_host *host;
	uint32_t index; /* OS CPU number = index into host->cpu */
	uint16_t vpid;	/* 0: VPID not used */
	uint16_t pad1;
	struct vmx_plan plan;
	uint64_t vmxon_pa, vmcs_pa, msr_bitmap_pa, eptp;
	uint64_t host_cr3;
	uint64_t xcr0_supported; /* CPUID 0xD.0 EDX:EAX */
	uint8_t *gdt;		 /* private GDT (host GDTR base) */
	uint8_t *tss;		 /* private TSS (host TR base) */
	uint64_t idt;		 /* host IDT base */
	uint8_t *stack_top;
	uint64_t launch_err;   /* VM-instruction error of a failed launch */
	uint64_t fatal_reason; /* exit reason that stopped the machine */
};

/* vmx_asm.S */
int vmx_launch_asm(struct vmx_cpu *c);
extern const uint8_t vmx_host_idt_stubs[];
#define VMX_IDT_STUB_SIZE 16
/* vmx_host.c: VMX root mode. Returns 0 to resume the guest, 1 to leave. */
int vmx_exit_handler(struct vmx_cpu *c, struct hv_gprs *g);
void vmx_resume_failed(struct vmx_cpu *c);
void vmx_host_fault(uint64_t vector, uint64_t *frame);
#endif /* __ASSEMBLY__ */

#endif /* THINHV_VMX_H */
