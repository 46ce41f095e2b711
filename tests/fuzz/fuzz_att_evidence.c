// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_att_evidence.c - libFuzzer harness for the evidence bundle as
 * `thinhv verify` reads it from a dishonest operator (host userspace,
 * `make fuzz`): the container parser, every part parser, and the whole
 * offline verifier with the bundle's own AK as the trusted key.
 * A bundle that parses must rebuild to the same parts, and a verdict must
 * never be PASS unless every check passed.
 */
#include <stdlib.h>
#include <string.h>

#include "attest/lib/att.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* tss2-mu logs every refusal of a hostile structure: as `verify` does,
 * keep it quiet (the verdict names what failed). */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	setenv("TSS2_LOG", "all+none", 0);
	return 0;
}

static void same_parts(const struct att_evidence *a,
		       const struct att_evidence *b)
{
	for (unsigned int t = 1; t <= ATT_PART_MAX; t++)
		if (a->part[t].present != b->part[t].present ||
		    a->part[t].len != b->part[t].len ||
		    (a->part[t].len &&
		     memcmp(a->part[t].p, b->part[t].p, a->part[t].len)))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t nonce[16] = "fuzz-nonce-16by";
	struct att_err err = { 0, NULL };
	struct att_evidence ev, again;
	struct att_pcr_values pv;
	struct att_measurements m;
	struct att_verify_in in;
	struct att_verdict v;
	struct att_key *ak = NULL;
	uint8_t *built = NULL;
	size_t blen = 0;
	bool all_pass = true;

	if (att_evidence_parse(data, size, &ev, &err))
		return 0;
	if (att_evidence_build(&ev, &built, &blen))
		abort();
	if (att_evidence_parse(built, blen, &again, &err))
		abort(); /* what we build we must read back */
	same_parts(&ev, &again);
	free(built);

	if (ev.part[ATT_PART_PCRS].present)
		(void)att_pcrs_parse(ev.part[ATT_PART_PCRS].p,
				     ev.part[ATT_PART_PCRS].len, &pv, &err);
	if (ev.part[ATT_PART_REPORT].present)
		(void)att_report_check(ev.part[ATT_PART_REPORT].p,
				       ev.part[ATT_PART_REPORT].len, &err);
	if (ev.part[ATT_PART_THINHV_LOG].present)
		(void)att_thinhv_measurements(ev.part[ATT_PART_THINHV_LOG].p,
					      ev.part[ATT_PART_THINHV_LOG].len,
					      &m, &err);
	if (ev.part[ATT_PART_AK_PUBLIC].present &&
	    att_key_from_tpm2b(ev.part[ATT_PART_AK_PUBLIC].p,
			       ev.part[ATT_PART_AK_PUBLIC].len, &ak, &err))
		ak = NULL;

	memset(&in, 0, sizeof(in));
	in.bundle = data;
	in.bundle_len = size;
	in.ak = ak;
	/* the bundle's own nonce, so a mutated real bundle gets past the
	 * nonce check into the quote, PCR and log checks */
	in.nonce = nonce;
	in.nonce_len = sizeof(nonce);
	if (ev.part[ATT_PART_NONCE].present &&
	    ev.part[ATT_PART_NONCE].len >= 8 &&
	    ev.part[ATT_PART_NONCE].len <= 64) {
		in.nonce = ev.part[ATT_PART_NONCE].p;
		in.nonce_len = ev.part[ATT_PART_NONCE].len;
	}
	if (ak) {
		att_verify(&in, &v);
		for (unsigned int i = 0; i < v.n; i++)
			all_pass &= v.check[i].status != ATT_FAIL;
		if (v.pass && !all_pass)
			abort(); /* a PASS verdict with a failed check */
		att_key_free(ak);
	}
	return 0;
}
