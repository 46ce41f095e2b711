// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_att_log.c - libFuzzer harness for the thinhv event log as the
 * offline verifier reads it from hostile evidence: parse, SHA-256 replay,
 * the HYPERVISOR (POLICY ISOLATION)+ grammar of runtime policy swaps, and
 * the last-record lookup of `thinhv status` (host userspace, `make fuzz`).
 * A log the grammar accepts must agree with the lookup: one hypervisor,
 * changes + 1 policies and isolation states, the last of each current.
 */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "attest/lib/att.h"
#include "thinhv/tcg_log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void agree(const uint8_t *data, size_t size,
		  const struct att_measurements *m)
{
	uint8_t d[32];
	unsigned int n = 0;

	if (att_log_tag_last(data, size, ATT_TAG_HYPERVISOR, d, &n) || n != 1 ||
	    memcmp(d, m->hypervisor, 32))
		abort();
	if (att_log_tag_last(data, size, ATT_TAG_POLICY, d, &n) ||
	    n != m->changes + 1 || memcmp(d, m->policy, 32))
		abort();
	if (att_log_tag_last(data, size, ATT_TAG_ISOLATION, d, &n) ||
	    n != m->changes + 1 || memcmp(d, m->isolation, 32))
		abort();
	if (!m->changes && (memcmp(m->policy, m->launch_policy, 32) ||
			    memcmp(m->isolation, m->launch_isolation, 32)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct att_measurements m;
	struct att_err err = { 0, NULL };
	struct att_replay rp;
	uint8_t d[32];
	unsigned int n;
	int rc;

	if (sodium_init() < 0)
		abort();
	rc = att_log_replay(data, size, ATT_ALG_SHA256, att_sodium_hash2, NULL,
			    &rp, &err);
	if (rc && (!err.what || err.offset > size))
		abort();
	err.offset = 0;
	err.what = NULL;
	rc = att_thinhv_measurements(data, size, &m, &err);
	if (rc) {
		/* refused: with a reason, inside the log, nothing handed back */
		if (rc > 0 || !err.what || err.offset > size || m.changes)
			abort();
	} else {
		agree(data, size, &m);
	}
	(void)att_log_tag_last(data, size, ATT_TAG_POLICY, d, &n);
	return 0;
}
