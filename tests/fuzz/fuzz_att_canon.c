// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_att_canon.c - libFuzzer harness for the canonical report JSON
 * (host userspace, `make fuzz`): the canonicalizer and the validator must
 * be one definition, and both must agree with jansson, an independent
 * parser:
 *   - canonicalize(x) ok  =>  check(out) ok, canonicalize(out) == out,
 *                             jansson parses out;
 *   - check(x) ok         =>  canonicalize(x) == x;
 *   - jansson refuses x   =>  the canonicalizer refuses x too.
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "attest/lib/att.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* jansson as the reference: duplicates refused like ours, NUL allowed in
 * strings (we escape it), integers as reals (we allow 19 digits). */
static bool jansson_parses(const uint8_t *p, size_t n)
{
	json_error_t je;
	json_t *j = json_loadb((const char *)p, n,
			       JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL |
				   JSON_DECODE_INT_AS_REAL,
			       &je);

	if (!j)
		return false;
	json_decref(j);
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct att_err err = { 0, NULL };
	uint8_t *out = NULL, *again = NULL;
	size_t n = 0, n2 = 0;
	int canon = att_report_canonicalize(data, size, &out, &n, &err);

	if (!canon) {
		if (att_report_check(out, n, &err))
			abort(); /* canonical output the validator refuses */
		if (att_report_canonicalize(out, n, &again, &n2, &err) ||
		    n2 != n || memcmp(again, out, n))
			abort(); /* not a fixed point */
		/* jansson cannot hold a NUL inside a key: skip those */
		if (!memmem(out, n, "\\u0000", 6) && !jansson_parses(out, n))
			abort();
		free(again);
	}
	if (!att_report_check(data, size, &err) &&
	    (canon || n != size || memcmp(out, data, size)))
		abort(); /* validated input the canonicalizer changes */
	if (!canon && !memmem(data, size, "\\u0000", 6) &&
	    !jansson_parses(data, size))
		abort(); /* we accept what a strict parser refuses */
	free(out);
	return 0;
}
