// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_ioctl.c - lab guest probe (static, guest userspace): throws malformed
 * arguments at /dev/thinhv and checks each is refused with the documented
 * errno (wrong size or ABI: EINVAL; non-zero outputs: EINVAL; CPU index
 * out of range: ERANGE; range index past the end: ENOENT; bad pointer:
 * EFAULT; unknown command: ENOTTY). Prints one line per case; exit 0 when
 * all behaved.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "thinhv/thinhv_ioctl.h"

static int bad;

static void expect(const char *what, int rc, int want)
{
	int got = rc ? errno : 0;

	printf("%s: %s (want %s)\n", what, got ? strerror(got) : "ok",
	       want ? strerror(want) : "ok");
	if (got != want)
		bad++;
}

int main(void)
{
	struct thinhv_version v;
	struct thinhv_cpu c;
	struct thinhv_range r;
	int fd = open(THINHV_DEV, O_RDWR);

	if (fd < 0) {
		perror(THINHV_DEV);
		return 1;
	}
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	v.abi = THINHV_IOCTL_ABI;
	expect("version ok", ioctl(fd, THINHV_IOC_VERSION, &v), 0);
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v) - 8;
	v.abi = THINHV_IOCTL_ABI;
	expect("version short size", ioctl(fd, THINHV_IOC_VERSION, &v), EINVAL);
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	v.abi = 99;
	expect("version wrong abi", ioctl(fd, THINHV_IOC_VERSION, &v), EINVAL);
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	v.abi = THINHV_IOCTL_ABI;
	v.hv_abi = 1;
	expect("version dirty output", ioctl(fd, THINHV_IOC_VERSION, &v),
	       EINVAL);
	expect("version bad pointer", ioctl(fd, THINHV_IOC_VERSION, (void *)16),
	       EFAULT);
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.abi = THINHV_IOCTL_ABI;
	c.cpu = 100000;
	expect("cpu out of range", ioctl(fd, THINHV_IOC_CPU, &c), ERANGE);
	memset(&r, 0, sizeof(r));
	r.size = sizeof(r);
	r.abi = THINHV_IOCTL_ABI;
	r.index = 100000;
	expect("range past end", ioctl(fd, THINHV_IOC_RANGE, &r), ENOENT);
	expect("unknown command",
	       ioctl(fd, _IOWR(THINHV_IOC_MAGIC, 99, int), &v), ENOTTY);
	expect("foreign command", ioctl(fd, 0x5401, &v), ENOTTY);
	close(fd);
	return bad ? 1 : 0;
}
