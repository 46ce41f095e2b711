// SPDX-License-Identifier: GPL-2.0-only
/*
 * att_hvlog.c - the userspace side of thinhv.ko's measurement log: reads
 * the live launch event log through /dev/thinhv and finds the last
 * measurement of a tag in it (host userspace, root). Used by `thinhv
 * attest` (the log goes into the evidence), `thinhv status` and the audit
 * library's scan (the report states the isolation digest the verifier ties
 * to the quote). A runtime policy swap appends a (policy, isolation-state)
 * pair, so the last record of a tag is the one in force; a live log may be
 * mid-swap, so nothing here checks the grammar (att_verify.c does).
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

#include "attest/lib/att.h"
#include "thinhv/tcg_log.h"
#include "thinhv/thinhv_ioctl.h"

#define HV_LOG_MAX (8u << 20)

/*
 * Ask for the size first, then fetch; the log only grows, so retry if it
 * grew between the two calls. The module wants len = 0 on input.
 */
int att_hv_log_read(uint8_t **out, size_t *out_len)
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

struct tag_last {
	uint32_t tag;
	const uint8_t *digest;
	unsigned int count;
};

static int find_tag(void *ctx, const struct att_event *ev)
{
	struct tag_last *f = ctx;
	struct att_err err = { 0, NULL };
	uint32_t tag;

	if (ev->pcr != ATT_THINHV_PCR || att_event_tag(ev, &tag, &err) ||
	    tag != f->tag)
		return 0;
	f->digest = att_event_digest(ev, ATT_ALG_SHA256);
	f->count++;
	return 0;
}

int att_log_tag_last(const uint8_t *log, size_t len, uint32_t tag,
		     uint8_t out[32], unsigned int *count)
{
	struct tag_last f = { tag, NULL, 0 };
	struct att_err err = { 0, NULL };
	int rc = att_log_parse(log, len, NULL, find_tag, &f, &err);

	*count = rc ? 0 : f.count;
	if (rc)
		return rc;
	if (!f.count || !f.digest)
		return -ENOENT;
	if (out)
		memcpy(out, f.digest, 32);
	return 0;
}

/* The last record of this tag; -ENOENT if none or it has no SHA-256. */
int att_hv_log_digest(const uint8_t *log, size_t len, uint32_t tag,
		      uint8_t out[32])
{
	unsigned int n;

	return att_log_tag_last(log, len, tag, out, &n);
}

int att_hv_log_count(const uint8_t *log, size_t len, uint32_t tag)
{
	unsigned int n = 0;
	int rc = att_log_tag_last(log, len, tag, NULL, &n);

	if (rc && rc != -ENOENT)
		return rc;
	return n > INT_MAX ? INT_MAX : (int)n;
}
