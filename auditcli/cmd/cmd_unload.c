// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_unload.c - `thinhv unload`: return every CPU to native and unload
 * thinhv.ko unless it was loaded with lock=1, saying which in one line
 * (host userspace, root; thinhv.service's ExecStop).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "auditcli/cmd/cli.h"
#include "thinhv/compat.h"
#include "thinhv/thinhv_ioctl.h"

/* thinhv's lock state: 0 unlocked, 1 locked, or -errno (-ENOENT: the
 * module is not loaded). */
static int thinhv_locked(void)
{
	struct thinhv_state s;
	int fd, r;

	fd = open(THINHV_DEV, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	memset(&s, 0, sizeof(s));
	s.size = sizeof(s);
	s.abi = THINHV_IOCTL_ABI;
	r = ioctl(fd, THINHV_IOC_STATE, &s) ? -errno : !!s.locked;
	close(fd);
	return r;
}

static int cmd_unload(int argc, char **argv)
{
	int r;

	if (argc > 1) {
		cli_err("unload: unexpected argument '%s' (usage: thinhv "
			"unload)",
			argv[1]);
		return CLI_EXIT_ERROR;
	}
	r = thinhv_locked();
	if (r == -ENOENT) {
		printf("thinhv: not loaded\n");
		return CLI_EXIT_OK;
	}
	if (r < 0) {
		printf("thinhv: not unloaded: %s: %s\n", THINHV_DEV,
		       strerror(-r));
		return CLI_EXIT_ERROR;
	}
	if (r) {
		printf("thinhv: not unloaded: loaded with lock=1, enforced "
		       "until reboot\n");
		return CLI_EXIT_FAIL;
	}
	if (syscall(SYS_delete_module, "thinhv", O_NONBLOCK)) {
		printf("thinhv: not unloaded: %s\n", strerror(errno));
		return CLI_EXIT_FAIL;
	}
	printf("thinhv: unloaded; device DMA is no longer confined by "
	       "thinhv\n");
	return CLI_EXIT_OK;
}

CLI_COMMAND(unload, "unload", "unload thinhv unless it is locked", cmd_unload)
