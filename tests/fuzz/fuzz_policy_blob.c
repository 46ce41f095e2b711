// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_policy_blob.c - libFuzzer harness for the policy blob decoder and
 * matcher, the code the hypervisor runs on a blob handed in from user
 * space (host userspace, `make fuzz`). A blob that validates must match
 * devices, decode back to XML and recompile to the identical bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/lib/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void roundtrip(const struct pol_blob_view *v, const uint8_t *data,
		      size_t size)
{
	struct pol_err e = { { 0 } };
	struct pol_policy p;
	struct pol_compiled c;
	char *xml = NULL;
	size_t xlen = 0;
	FILE *f = open_memstream(&xml, &xlen);

	if (!f)
		return;
	if (pol_blob_write_xml(f, v, NULL))
		abort();
	fclose(f);
	/* Valid blobs may repeat a rule name (inventory expansion makes
	 * distinct "name.BB-DD.F"; a forged blob may not), which the XML
	 * language refuses; anything that does compile must be identical. */
	if (!pol_xml_parse(xml, xlen, "shown.xml", &p, &e)) {
		if (!pol_compile(&p, NULL, &c, &e)) {
			if (c.len != size || memcmp(c.blob, data, size))
				abort();
			pol_compiled_free(&c);
		}
		pol_policy_free(&p);
	}
	free(xml);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pol_blob_view v;
	struct pol_blob_err err;
	struct pol_rule_info r;
	struct pol_window_info w;
	struct pol_dev_id d;
	uint16_t action;
	uint32_t first, count;

	if (pol_blob_decode(data, size, &v, &err)) {
		if (!err.what || err.offset > size)
			abort();
		return 0;
	}
	for (uint32_t i = 0; i < v.rule_count; i++) {
		if (pol_rule_get(&v, i, &r))
			abort();
		/* The rule's own values must select it or a more specific one. */
		memset(&d, 0, sizeof(d));
		d = r.id;
		int m = pol_match(&v, &d);
		if (m == POL_RULE_DEFAULT || m > (int)i)
			abort();
		if (pol_verdict(&v, m, &action, &first, &count))
			abort();
		for (uint32_t k = first; k < first + count; k++)
			if (pol_window_get(&v, k, &w) || !w.size)
				abort();
	}
	roundtrip(&v, data, size);
	return 0;
}
