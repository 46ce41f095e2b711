// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_log.c - reads thinhv.ko's launch event log through /dev/thinhv and
 * finds the measured isolation-state digest in it (host userspace, root).
 * Shared by `thinhv attest` (the log goes into the evidence) and `thinhv
 * scan` (the report states the digest the verifier ties to the quote).
 * A runtime policy swap appends a (policy, isolation-state) pair, so the
 * last record of a tag is the one in force.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/types.h>

#include "auditcli/cmd/cli.h"
#include "attest/lib/att.h"
#include "thinhv/tcg_log.h"
#include "thinhv/thinhv_ioctl.h"

#define HV_LOG_MAX (8u << 20)

/*
 * Ask for the size first, then fetch; the log only grows, so retry if it
 * grew between the two calls. The module wants len = 0 on input.
 */
int cli_thinhv_measure_log(uint8_t **out, size_t *out_len)
{
	struct thinhv_mlog m;
	uint8_t *buf = NULL;
	int fd, rc = -EIO;

	fd = open(THINHV_DEV, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (int tries = 0; tries < 3; tries++) {
		memset(&m, 0, sizeof(m));
		m.size = sizeof(m);
		m.abi = THINHV_IOCTL_ABI;
		if (ioctl(fd, THINHV_IOC_MEASURE_LOG, &m) == 0) {
			rc = -ENODATA; /* an empty log: nothing measured */
			break;
		}
		if (errno != ENOSPC || m.len == 0 || m.len > HV_LOG_MAX) {
			rc = -errno;
			break;
		}
		free(buf);
		buf = malloc(m.len);
		if (!buf) {
			rc = -ENOMEM;
			break;
		}
		m.cap = m.len;
		m.len = 0;
		m.buf = (uint64_t)(uintptr_t)buf;
		if (ioctl(fd, THINHV_IOC_MEASURE_LOG, &m) == 0) {
			*out = buf;
			*out_len = m.len;
			buf = NULL;
			rc = 0;
			break;
		}
		rc = -errno;
		if (errno != ENOSPC)
			break;
	}
	free(buf);
	close(fd);
	return rc;
}

/* The last record of this tag; -ENOENT if none or it has no SHA-256. */
int cli_measured_digest(const uint8_t *log, size_t len, uint32_t tag,
			uint8_t out[32])
{
	unsigned int n;

	return att_log_tag_last(log, len, tag, out, &n);
}

int cli_measured_count(const uint8_t *log, size_t len, uint32_t tag)
{
	unsigned int n = 0;
	int rc = att_log_tag_last(log, len, tag, NULL, &n);

	if (rc && rc != -ENOENT)
		return rc;
	return n > INT_MAX ? INT_MAX : (int)n;
}
