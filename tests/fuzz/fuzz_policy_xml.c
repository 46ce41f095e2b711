// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_policy_xml.c - libFuzzer harness for the policy XML front end and
 * compiler (host userspace, `make fuzz`). Any input must give a clean
 * error or a blob the hypervisor's validator accepts.
 */
#include <stdio.h>
#include <stdlib.h>

#include "policy/lib/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pol_err e = { { 0 } };
	struct pol_policy p;
	struct pol_compiled c;
	struct pol_blob_view v;
	char hex[POL_DIGEST_HEX];

	if (pol_xml_parse((const char *)data, size, "fuzz.xml", &p, &e)) {
		if (!e.msg[0])
			abort(); /* every refusal must say why */
		return 0;
	}
	if (!pol_compile(&p, NULL, &c, &e)) {
		/* The compiler must only ever emit valid, canonical blobs. */
		if (pol_blob_decode(c.blob, c.len, &v, NULL))
			abort();
		if (pol_digest_hex(c.blob, c.len, hex))
			abort();
		pol_compiled_free(&c);
	} else if (!e.msg[0]) {
		abort();
	}
	pol_policy_free(&p);
	return 0;
}
