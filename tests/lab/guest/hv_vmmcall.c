// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_vmmcall.c - lab guest probe (static, guest userspace): executes
 * VMMCALL with a valid thinhv hypercall in RAX from user mode. thinhv must
 * answer #UD (SIGILL), as hardware without a hypervisor does. Exit 0 and
 * "sigill" when that happened; 1 when the call returned.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "thinhv/hv_abi.h"

static sigjmp_buf env;

static void on_sigill(int sig)
{
	siglongjmp(env, sig);
}

int main(void)
{
	struct sigaction sa;
	unsigned long rax = hv_hc_rax(HV_HC_VERSION), rbx = 0, rcx = 0, rdx = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigill;
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	switch (sigsetjmp(env, 1)) {
	case 0:
		break;
	case SIGILL:
		printf("sigill\n");
		return 0;
	default:
		printf("sigsegv (expected #UD, got a fault)\n");
		return 1;
	}
	__asm__ volatile("vmmcall"
			 : "+a"(rax), "+b"(rbx), "+c"(rcx), "+d"(rdx)
			 :
			 : "memory");
	printf("vmmcall returned rax=%#lx rbx=%#lx\n", rax, rbx);
	return 1;
}
