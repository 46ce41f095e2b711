// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm_hold.c - lab guest probe (static, guest userspace): makes KVM turn on
 * the CPU's virtualization (Linux 6.1 enables it on every CPU when the first
 * VM is created) and holds it for a while.
 *   kvm_hold SECONDS   -> "kvm_hold: vm created" then sleeps SECONDS, or
 *                         "kvm_hold: create failed: <errno text>" (exit 1)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

int main(int argc, char **argv)
{
	int kvm, vm;

	if (argc != 2) {
		fprintf(stderr, "usage: kvm_hold SECONDS\n");
		return 2;
	}
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		printf("kvm_hold: open /dev/kvm failed: %s\n", strerror(errno));
		return 1;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		printf("kvm_hold: create failed: %s\n", strerror(errno));
		return 1;
	}
	printf("kvm_hold: vm created\n");
	fflush(stdout);
	sleep((unsigned int)atoi(argv[1]));
	close(vm);
	close(kvm);
	return 0;
}
