/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * svm_asm.S - SVM launch, host-mode VMRUN loop, devirtualization and the
 * host IDT stubs (kernel IPI context -> host mode -> guest).
 * Stack switching code: objtool is told to skip this file (Kbuild).
 * Offsets: thinhv/host/svm.h (SVMC_*) and include/thinhv/hw/svm_regs.h (SVM_VMCB_*).
 */
#include <linux/linkage.h>
#include "thinhv/host/svm_offsets.h"
#include "thinhv/hw/x86_regs.h"

	.text

/*
 * int svm_launch_asm(struct svm_cpu *c)   (IRQs off, EFER.SVME set, VMCB
 * filled except RIP/RSP/RFLAGS/RAX)
 * Records the resume point as the guest's RIP/RSP, switches to the private
 * host CR3/GDT/IDT and stack, and enters the VMRUN loop. The OS continues
 * at .Lguest_resume as a guest, where RAX = 0 (VMCB RAX), or natively with
 * RAX = -errno when the first VMRUN failed (see svm_exit_handler).
 */
SYM_FUNC_START(svm_launch_asm)
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	SVMC_VMCB(%rdi), %rax
	movq	%rsp, SVM_VMCB_RSP(%rax)
	leaq	.Lguest_resume(%rip), %rcx
	movq	%rcx, SVM_VMCB_RIP(%rax)
	pushfq
	popq	%rcx
	movq	%rcx, SVM_VMCB_RFLAGS(%rax)
	movq	$0, SVM_VMCB_RAX(%rax)
	/*
	 * GIF = 0 before leaving the OS's CR3 and IDT: IRQs are already off,
	 * but an NMI (watchdog, perf) taken between the CR3 switch and VMRUN
	 * would run the OS's handler on a page table that does not map it: a
	 * host-mode triple fault. VMRUN sets GIF again for the guest; the
	 * failure path sets it with STGI.
	 */
	clgi
	/* host context: nothing the OS can reach after launch */
	movq	SVMC_HOST_CR3(%rdi), %rcx
	movq	%rcx, %cr3
	lgdt	SVMC_HOST_GDTR(%rdi)
	lidt	SVMC_HOST_IDTR(%rdi)
	movq	SVMC_HOST_RSP(%rdi), %rsp
	jmp	svm_host_loop
.Lguest_resume:
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
SYM_FUNC_END(svm_launch_asm)

/*
 * Host mode. Stack on entry: 0(%rsp) = VMCB PA, 8(%rsp) = struct svm_cpu *.
 * GIF is 0 outside VMRUN: no interrupts or NMIs reach host mode.
 */
SYM_CODE_START_LOCAL(svm_host_loop)
.Lvmrun:
	movq	(%rsp), %rax
	vmrun	%rax
	/* #VMEXIT: guest GPRs live except RAX/RSP (in the VMCB) */
	subq	$8, %rsp		/* keeps the call 16-byte aligned */
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
	subq	$8, %rsp		/* rax slot: struct hv_gprs at %rsp */
	movq	%rsp, %rsi
	movq	136(%rsp), %rdi		/* struct svm_cpu * */
	call	svm_exit_handler
	testl	%eax, %eax
	jnz	.Lleave
	addq	$8, %rsp
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
	addq	$8, %rsp
	jmp	.Lvmrun

/*
 * Devirtualize: svm_exit_handler filled the SVMC_D_* frame. Restore the
 * OS's control state, set GIF (before EFER.SVME goes away), flush the TLB,
 * and resume the OS natively at d_rip with d_rflags on its own stack.
 */
.Lleave:
	movq	136(%rsp), %rdi
	movq	SVMC_D_CR4(%rdi), %rax
	movq	%rax, %cr4
	movq	SVMC_D_CR3(%rdi), %rax
	movq	%rax, %cr3
	lgdt	SVMC_D_GDTR(%rdi)
	lidt	SVMC_D_IDTR(%rdi)
	stgi
	movl	$X86_MSR_EFER, %ecx
	movq	SVMC_D_EFER(%rdi), %rax
	movq	%rax, %rdx
	shrq	$32, %rdx
	wrmsr
	/* drop every TLB entry, global and all PCIDs, host ones included */
	movq	%cr4, %rax
	movq	%rax, %rcx
	btrq	$X86_CR4F_PGE_SHIFT, %rcx
	movq	%rcx, %cr4
	movq	%rax, %cr4
	/* OS stack: [rsp] = rflags, [rsp+8] = rip (kernel: no red zone) */
	movq	SVMC_D_RSP(%rdi), %rax
	subq	$16, %rax
	movq	SVMC_D_RIP(%rdi), %rcx
	movq	%rcx, 8(%rax)
	movq	SVMC_D_RFLAGS(%rdi), %rcx
	movq	%rcx, (%rax)
	movq	%rax, %rsp
	movq	SVMC_D_GPRS+8(%rdi), %rbx
	movq	SVMC_D_GPRS+16(%rdi), %rcx
	movq	SVMC_D_GPRS+24(%rdi), %rdx
	movq	SVMC_D_GPRS+32(%rdi), %rsi
	movq	SVMC_D_GPRS+48(%rdi), %rbp
	movq	SVMC_D_GPRS+56(%rdi), %r8
	movq	SVMC_D_GPRS+64(%rdi), %r9
	movq	SVMC_D_GPRS+72(%rdi), %r10
	movq	SVMC_D_GPRS+80(%rdi), %r11
	movq	SVMC_D_GPRS+88(%rdi), %r12
	movq	SVMC_D_GPRS+96(%rdi), %r13
	movq	SVMC_D_GPRS+104(%rdi), %r14
	movq	SVMC_D_GPRS+112(%rdi), %r15
	movq	SVMC_D_GPRS+0(%rdi), %rax
	movq	SVMC_D_GPRS+40(%rdi), %rdi
	popfq
	ret
SYM_CODE_END(svm_host_loop)

/*
 * Host IDT: one 16-byte stub per exception vector 0..31 (vectors 32..255
 * use vector 31's). Each pushes a dummy error code where the CPU pushes
 * none, then the vector, and reports through svm_host_fault (no return).
 */
	.align 16
SYM_CODE_START(svm_host_idt_stubs)
	vector = 0
	.rept 32
	.align 16
	.if (vector == 8) || ((vector >= 10) && (vector <= 14)) || (vector == 17) || (vector == 21) || (vector == 29) || (vector == 30)
	.else
	pushq	$0
	.endif
	pushq	$vector
	jmp	svm_host_fault_common
	vector = vector + 1
	.endr
SYM_CODE_END(svm_host_idt_stubs)

SYM_CODE_START_LOCAL(svm_host_fault_common)
	movq	(%rsp), %rdi
	leaq	8(%rsp), %rsi
	andq	$-16, %rsp
	call	svm_host_fault
	ud2
SYM_CODE_END(svm_host_fault_common)
