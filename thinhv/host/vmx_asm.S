/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vmx_asm.S - VMX launch, the VM-exit entry (VMX root mode), the VMRESUME
 * loop, devirtualization and the host IDT stubs (kernel IPI context ->
 * VMX root mode -> guest). Stack switching code: objtool skips this file
 * (Kbuild). Offsets and field encodings: thinhv/host/vmx.h (VMXC_*, VMXA_*).
 */
#include <linux/linkage.h>
#include "thinhv/host/vmx.h"

	.text

/*
 * int vmx_launch_asm(struct vmx_cpu *c)   (IRQs off, VMXON done, VMCS
 * current and filled except guest RSP/RIP/RFLAGS)
 * Records the resume point as the guest's RIP/RSP and runs VMLAUNCH. On
 * success the OS continues at .Lvmx_resume as a guest with EAX = 0 (the
 * registers VMLAUNCH left alone). Returns 1 when VMLAUNCH itself failed
 * (VMfailValid/VMfailInvalid: the caller reads the VM-instruction error),
 * or -EIO when the entry failed on guest state (the host handler then
 * devirtualized straight back to .Lvmx_resume).
 */
SYM_FUNC_START(vmx_launch_asm)
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	$VMXA_GUEST_RSP, %rax
	vmwrite	%rsp, %rax
	jbe	.Lvmx_fail
	movq	$VMXA_GUEST_RIP, %rax
	leaq	.Lvmx_resume(%rip), %rcx
	vmwrite	%rcx, %rax
	jbe	.Lvmx_fail
	movq	$VMXA_GUEST_RFLAGS, %rax
	pushfq
	popq	%rcx
	vmwrite	%rcx, %rax
	jbe	.Lvmx_fail
	xorl	%eax, %eax
	vmlaunch
.Lvmx_fail:
	movl	$1, %eax
.Lvmx_resume:
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	/*
	 * Plain ret, not the kernel's RET macro: under CONFIG_RETHUNK RET
	 * jumps to __x86_return_thunk in kernel text, and this object is on
	 * the host-mode list that scripts/check-host holds to referencing
	 * nothing outside itself (svm_launch_asm does the same). This return
	 * runs once per CPU at launch, in the OS's context.
	 */
	ret
SYM_FUNC_END(vmx_launch_asm)

/*
 * VM exit: RSP = host stack top - 16, [rsp] = struct vmx_cpu *. Guest GPRs
 * other than RSP are live. RFLAGS.IF = 0: no interrupts in root mode; an
 * NMI goes to the host IDT (vmx_nmi_stub) and is re-injected later.
 */
SYM_CODE_START(vmx_exit_entry)
	pushq	%r15
	pushq	%r14
	pushq	%r13
	pushq	%r12
	pushq	%r11
	pushq	%r10
	pushq	%r9
	pushq	%r8
	pushq	%rbp
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%rbx
	pushq	%rax
	movq	%rsp, %rsi		/* struct hv_gprs * */
	movq	120(%rsp), %rdi		/* struct vmx_cpu * */
	subq	$8, %rsp		/* 16-byte aligned call */
	call	vmx_exit_handler
	addq	$8, %rsp
	testl	%eax, %eax
	jnz	.Lvmx_leave
	popq	%rax
	popq	%rbx
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
	popq	%rbp
	popq	%r8
	popq	%r9
	popq	%r10
	popq	%r11
	popq	%r12
	popq	%r13
	popq	%r14
	popq	%r15
	vmresume
	/* VMRESUME failed: report and stop (never returns) */
	movq	(%rsp), %rdi
	andq	$-16, %rsp
	call	vmx_resume_failed
	ud2

/*
 * Devirtualize: vmx_exit_handler has left VMX operation and restored the
 * OS's control registers, descriptor tables, segments and MSRs, and filled
 * the VMXC_D_* frame. IRETQ returns to the OS natively on its own stack.
 */
.Lvmx_leave:
	movq	120(%rsp), %rdi
	pushq	VMXC_D_SS(%rdi)
	pushq	VMXC_D_RSP(%rdi)
	pushq	VMXC_D_RFLAGS(%rdi)
	pushq	VMXC_D_CS(%rdi)
	pushq	VMXC_D_RIP(%rdi)
	movq	VMXC_D_GPRS+8(%rdi), %rbx
	movq	VMXC_D_GPRS+16(%rdi), %rcx
	movq	VMXC_D_GPRS+24(%rdi), %rdx
	movq	VMXC_D_GPRS+32(%rdi), %rsi
	movq	VMXC_D_GPRS+48(%rdi), %rbp
	movq	VMXC_D_GPRS+56(%rdi), %r8
	movq	VMXC_D_GPRS+64(%rdi), %r9
	movq	VMXC_D_GPRS+72(%rdi), %r10
	movq	VMXC_D_GPRS+80(%rdi), %r11
	movq	VMXC_D_GPRS+88(%rdi), %r12
	movq	VMXC_D_GPRS+96(%rdi), %r13
	movq	VMXC_D_GPRS+104(%rdi), %r14
	movq	VMXC_D_GPRS+112(%rdi), %r15
	movq	VMXC_D_GPRS+0(%rdi), %rax
	movq	VMXC_D_GPRS+40(%rdi), %rdi
	iretq
SYM_CODE_END(vmx_exit_entry)

/*
 * NMI in root mode (IDT vector 2, IST1): the private TSS's IST1 is the NMI
 * stack top - 16 and [top - 8] holds the struct vmx_cpu *. Mark the NMI
 * pending for re-injection into the OS and return (IRETQ re-opens NMIs).
 */
SYM_CODE_START(vmx_nmi_stub)
	pushq	%rax
	movq	56(%rsp), %rax
	movl	$1, VMXC_NMI_PENDING(%rax)
	popq	%rax
	iretq
SYM_CODE_END(vmx_nmi_stub)

/*
 * Host IDT: one 16-byte stub per exception vector 0..31 (vectors 32..255
 * use vector 31's; vector 2 is routed to vmx_nmi_stub by vmx.c). Each
 * pushes a dummy error code where the CPU pushes none, then the vector,
 * and reports through vmx_host_fault (no return).
 */
	.align 16
SYM_CODE_START(vmx_host_idt_stubs)
	vector = 0
	.rept 32
	.align 16
	.if (vector == 8) || ((vector >= 10) && (vector <= 14)) || (vector == 17) || (vector == 21) || (vector == 29) || (vector == 30)
	.else
	pushq	$0
	.endif
	pushq	$vector
	jmp	vmx_host_fault_common
	vector = vector + 1
	.endr
SYM_CODE_END(vmx_host_idt_stubs)

SYM_CODE_START_LOCAL(vmx_host_fault_common)
	movq	(%rsp), %rdi
	leaq	8(%rsp), %rsi
	andq	$-16, %rsp
	call	vmx_host_fault
	ud2
SYM_CODE_END(vmx_host_fault_common)
