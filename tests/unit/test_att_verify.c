// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_att_verify.c - host tests of the thinhv log grammar the verifier
 * enforces, HYPERVISOR (POLICY ISOLATION)+, where every pair after the
 * launch pair is a runtime policy swap, and of the last-record lookup that
 * `thinhv status` and `thinhv scan` use on a live log, and of the
 * verifier's table of checks and its fail-closed decision (host
 * userspace). The signed end-to-end path is in test_att_swtpm.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "attest/lib/att.h"
#include "thinhv/tcg_log.h"

#define H ATT_TAG_HYPERVISOR
#define P ATT_TAG_POLICY
#define I ATT_TAG_ISOLATION
#define MAX_RECS 16
#define END 0 /* ends a tag list */

static const struct att_bank banks[] = {
	{ ATT_ALG_SHA1, 20 },
	{ ATT_ALG_SHA256, 32 },
};

/* A log built from a list of tags; rec[i] is record i's offset. */
struct tlog {
	uint8_t buf[4096];
	size_t len;
	unsigned int n;
	size_t rec[MAX_RECS];
	size_t rec_end[MAX_RECS];
};

/*
 * The SHA-256 digest a record of this log carries: distinct per record
 * unless the caller asks for a repeat (a rollback measures old bytes).
 */
static void digest_for(uint8_t d[32], uint8_t seed)
{
	for (int i = 0; i < 32; i++)
		d[i] = (uint8_t)(seed * 7 + i * 13 + 1);
}

static void append(struct att_log *log, struct tlog *t, uint32_t pcr,
		   uint32_t tag, uint8_t seed)
{
	uint8_t d1[20], d2[32], ev[64];
	const uint8_t *dp[2] = { d1, d2 };
	const char *name = att_tag_name(tag);
	uint32_t nlen;

	memset(d1, seed, sizeof(d1));
	digest_for(d2, seed);
	CU_ASSERT_FATAL(t->n < MAX_RECS);
	t->rec[t->n] = log->len;
	if (name && pcr == ATT_THINHV_PCR) {
		CU_ASSERT_EQUAL_FATAL(att_log_append_tag(log, tag, dp), 0);
	} else {
		/* by hand: a tag ID the encoder would refuse, or another PCR */
		name = name ? name : "thinhv:unknown";
		nlen = (uint32_t)strlen(name);
		ev[0] = (uint8_t)tag;
		ev[1] = (uint8_t)(tag >> 8);
		ev[2] = (uint8_t)(tag >> 16);
		ev[3] = (uint8_t)(tag >> 24);
		ev[4] = (uint8_t)nlen;
		ev[5] = ev[6] = ev[7] = 0;
		memcpy(ev + 8, name, nlen);
		CU_ASSERT_EQUAL_FATAL(att_log_append(log, pcr, TCG_EV_EVENT_TAG,
						     dp, ev, 8 + nlen),
				      0);
	}
	t->rec_end[t->n] = log->len;
	t->n++;
}

/* tags[] ends with END; seeds[] (or NULL: record index + 1) per record. */
static void build(struct tlog *t, const uint32_t *tags, const uint8_t *seeds)
{
	struct att_log log;

	memset(t, 0, sizeof(*t));
	CU_ASSERT_EQUAL_FATAL(
	    att_log_init(&log, t->buf, sizeof(t->buf), banks, 2), 0);
	for (unsigned int i = 0; tags[i] != END; i++)
		append(&log, t, ATT_THINHV_PCR, tags[i],
		       seeds ? seeds[i] : (uint8_t)(i + 1));
	t->len = log.len;
}

static void expect_digest(const uint8_t *got, uint8_t seed)
{
	uint8_t want[32];

	digest_for(want, seed);
	CU_ASSERT(memcmp(got, want, 32) == 0);
}

static void test_launch_only(void)
{
	static const uint32_t tags[] = { H, P, I, END };
	struct att_measurements m;
	struct att_err err = { 0, NULL };
	struct tlog t;

	build(&t, tags, NULL);
	CU_ASSERT_EQUAL(att_thinhv_measurements(t.buf, t.len, &m, &err), 0);
	CU_ASSERT_EQUAL(m.changes, 0);
	expect_digest(m.hypervisor, 1);
	expect_digest(m.launch_policy, 2);
	expect_digest(m.policy, 2);
	expect_digest(m.launch_isolation, 3);
	expect_digest(m.isolation, 3);
	/* err is optional */
	CU_ASSERT_EQUAL(att_thinhv_measurements(t.buf, t.len, &m, NULL), 0);
	CU_ASSERT_EQUAL(att_thinhv_measurements(t.buf, t.rec[2], &m, NULL),
			-EINVAL);
}

/* One swap, then a second that rolls back to the launch bytes. */
static void test_swaps(void)
{
	static const uint32_t one[] = { H, P, I, P, I, END };
	static const uint32_t two[] = { H, P, I, P, I, P, I, END };
	static const uint8_t seeds[] = { 1, 2, 3, 4, 5, 2, 3 };
	struct att_measurements m;
	struct att_err err = { 0, NULL };
	struct tlog t;

	build(&t, one, NULL);
	CU_ASSERT_EQUAL(att_thinhv_measurements(t.buf, t.len, &m, &err), 0);
	CU_ASSERT_EQUAL(m.changes, 1);
	expect_digest(m.hypervisor, 1);
	expect_digest(m.launch_policy, 2);
	expect_digest(m.launch_isolation, 3);
	expect_digest(m.policy, 4); /* the last pair is the current state */
	expect_digest(m.isolation, 5);

	build(&t, two, seeds);
	CU_ASSERT_EQUAL(att_thinhv_measurements(t.buf, t.len, &m, &err), 0);
	CU_ASSERT_EQUAL(m.changes, 2);
	expect_digest(m.policy, 2);
	expect_digest(m.isolation, 3);
	/* rollback pair equal to the launch pair: still two changes */
	CU_ASSERT(memcmp(m.policy, m.launch_policy, 32) == 0);

	/* the same with a different last pair: current follows it */
	build(&t, two, NULL);
	CU_ASSERT_EQUAL(att_thinhv_measurements(t.buf, t.len, &m, &err), 0);
	CU_ASSERT_EQUAL(m.changes, 2);
	expect_digest(m.policy, 6);
	expect_digest(m.isolation, 7);
	expect_digest(m.launch_policy, 2);
}

/*
 * Every log that breaks the grammar is refused, naming the rule and the
 * offending record's offset (the log's length when it ends too early).
 */
static void test_malformed(void)
{
	static const struct {
		uint32_t tags[10];
		int bad; /* record index, or -1: the end of the log */
		const char *why;
	} cases[] = {
		{ { END }, -1, "log has no measurement" },
		{ { H, END }, -1, "no policy measured" },
		{ { H, P, END }, -1, "policy that has no isolation state" },
		{ { H, P, I, P, END },
		  -1,
		  "policy that has no isolation state" },
		{ { I, H, P, I, END },
		  0,
		  "isolation state measured before the hypervisor" },
		{ { P, H, P, I, END },
		  0,
		  "policy measured before the hypervisor" },
		{ { H, I, P, END },
		  1,
		  "isolation state measured before the launch policy" },
		{ { H, P, P, I, END }, 2, "two policies in a row" },
		{ { H, P, I, P, P, I, END }, 4, "two policies in a row" },
		{ { H, P, I, I, END },
		  3,
		  "isolation state measured without a policy" },
		{ { H, H, P, I, END }, 1, "hypervisor measured again" },
		{ { H, P, I, H, END }, 3, "hypervisor measured again" },
		{ { H, P, I, P, I, H, P, I, END },
		  5,
		  "hypervisor measured again" },
		{ { H, P, I, 0x74680004, END },
		  3,
		  "unknown thinhv tagged event ID" },
	};

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct att_measurements m;
		struct att_err err = { 0, NULL };
		struct tlog t;
		size_t want_off;
		int rc;

		build(&t, cases[c].tags, NULL);
		memset(&m, 0xa5, sizeof(m));
		rc = att_thinhv_measurements(t.buf, t.len, &m, &err);
		want_off = cases[c].bad < 0 ? t.len : t.rec[cases[c].bad];
		if (rc != -EINVAL || err.offset != want_off || !err.what ||
		    !strstr(err.what, cases[c].why))
			fprintf(stderr,
				"\n  case %zu: rc %d offset %zu (want %zu): "
				"%s\n",
				c, rc, err.offset, want_off,
				err.what ? err.what : "(none)");
		CU_ASSERT_EQUAL(rc, -EINVAL);
		CU_ASSERT_EQUAL(err.offset, want_off);
		CU_ASSERT(err.what && strstr(err.what, cases[c].why));
		/* nothing half-parsed is handed back */
		CU_ASSERT_EQUAL(m.changes, 0);
		CU_ASSERT(m.policy[0] == 0 && m.isolation[31] == 0);
	}
}

/* A thinhv record in another PCR, and a record that is no tag at all. */
static void test_foreign_records(void)
{
	struct att_measurements m;
	struct att_err err = { 0, NULL };
	struct att_log log;
	struct tlog t;
	uint8_t d1[20] = { 0 }, d2[32] = { 0 };
	const uint8_t *dp[2] = { d1, d2 };
	size_t off;

	memset(&t, 0, sizeof(t));
	CU_ASSERT_EQUAL_FATAL(
	    att_log_init(&log, t.buf, sizeof(t.buf), banks, 2), 0);
	append(&log, &t, ATT_THINHV_PCR, H, 1);
	append(&log, &t, ATT_THINHV_PCR, P, 2);
	append(&log, &t, ATT_THINHV_PCR, I, 3);
	append(&log, &t, ATT_THINHV_PCR - 1, P, 4);
	append(&log, &t, ATT_THINHV_PCR, I, 5);
	CU_ASSERT_EQUAL(att_thinhv_measurements(t.buf, log.len, &m, &err),
			-EINVAL);
	CU_ASSERT_EQUAL(err.offset, t.rec[3]);
	CU_ASSERT(err.what && strstr(err.what, "other than the thinhv PCR"));

	CU_ASSERT_EQUAL_FATAL(
	    att_log_init(&log, t.buf, sizeof(t.buf), banks, 2), 0);
	t.n = 0;
	append(&log, &t, ATT_THINHV_PCR, H, 1);
	append(&log, &t, ATT_THINHV_PCR, P, 2);
	append(&log, &t, ATT_THINHV_PCR, I, 3);
	off = log.len;
	CU_ASSERT_EQUAL_FATAL(
	    att_log_append(&log, ATT_THINHV_PCR, TCG_EV_ACTION, dp, "swap", 4),
	    0);
	CU_ASSERT_EQUAL(att_thinhv_measurements(t.buf, log.len, &m, &err),
			-EINVAL);
	CU_ASSERT_EQUAL(err.offset, off);
	CU_ASSERT(err.what && strstr(err.what, "not an EV_EVENT_TAG"));
}

/*
 * Every prefix of a two-swap log: valid exactly when it ends right after
 * an isolation record, then with one change fewer per missing pair.
 */
static void test_prefixes(void)
{
	static const uint32_t tags[] = { H, P, I, P, I, P, I, END };
	struct att_measurements m;
	struct tlog t;
	unsigned int valid = 0;

	build(&t, tags, NULL);
	for (size_t n = 0; n <= t.len; n++) {
		struct att_err err = { 0, NULL };
		int want = -1;
		int rc = att_thinhv_measurements(t.buf, n, &m, &err);

		for (unsigned int r = 2; r < t.n; r += 2)
			if (n == t.rec_end[r])
				want = (int)(r / 2) - 1;
		if (want < 0) {
			/* a cut inside a record is a parse error at or
			 * before the cut, one between records a grammar
			 * error at the end */
			CU_ASSERT_EQUAL(rc, -EINVAL);
			CU_ASSERT(err.offset <= n);
			continue;
		}
		valid++;
		CU_ASSERT_EQUAL(rc, 0);
		CU_ASSERT_EQUAL(m.changes, (unsigned int)want);
		expect_digest(m.policy, (uint8_t)(2 * want + 2));
		expect_digest(m.isolation, (uint8_t)(2 * want + 3));
	}
	CU_ASSERT_EQUAL(valid, 3);
}

/* What `thinhv status`/`scan` read from a live log, mid-swap included. */
static void test_tag_last(void)
{
	static const uint32_t swapped[] = { H, P, I, P, I, END };
	static const uint32_t midswap[] = { H, P, I, P, END };
	static const uint32_t launching[] = { H, P, END };
	uint8_t d[32];
	unsigned int n = 99;
	struct tlog t;

	build(&t, swapped, NULL);
	CU_ASSERT_EQUAL(att_log_tag_last(t.buf, t.len, P, d, &n), 0);
	CU_ASSERT_EQUAL(n, 2);
	expect_digest(d, 4);
	CU_ASSERT_EQUAL(att_log_tag_last(t.buf, t.len, I, d, &n), 0);
	CU_ASSERT_EQUAL(n, 2);
	expect_digest(d, 5);
	CU_ASSERT_EQUAL(att_log_tag_last(t.buf, t.len, H, NULL, &n), 0);
	CU_ASSERT_EQUAL(n, 1);

	/* the new policy is measured before its isolation state */
	build(&t, midswap, NULL);
	CU_ASSERT_EQUAL(att_log_tag_last(t.buf, t.len, P, d, &n), 0);
	CU_ASSERT_EQUAL(n, 2);
	expect_digest(d, 4);
	CU_ASSERT_EQUAL(att_log_tag_last(t.buf, t.len, I, d, &n), 0);
	CU_ASSERT_EQUAL(n, 1);
	expect_digest(d, 3);

	build(&t, launching, NULL);
	CU_ASSERT_EQUAL(att_log_tag_last(t.buf, t.len, I, d, &n), -ENOENT);
	CU_ASSERT_EQUAL(n, 0);

	/* a malformed log is an error, not "absent" */
	build(&t, swapped, NULL);
	CU_ASSERT_EQUAL(att_log_tag_last(t.buf, t.len - 1, P, d, &n), -EINVAL);
	CU_ASSERT_EQUAL(n, 0);
}

/*
 * The verifier's table as the verdict reports it: names and order are an
 * interface (signed verdicts, the lab demo); weight is what the decision
 * accepts: core checks PASS (ak-attributes may WARN for a PEM key),
 * advisory ones anything but FAIL.
 */
static const struct {
	const char *name;
	bool core, warn_ok;
} verdict_table[] = {
	{ "bundle", true, false },
	{ "ak", true, false },
	{ "ak-attributes", true, true },
	{ "signature", true, false },
	{ "quote", true, false },
	{ "report", true, false },
	{ "nonce", true, false },
	{ "pcr-selection", true, false },
	{ "pcr-digest", true, false },
	{ "thinhv-log", true, false },
	{ "runtime-policy", true, false },
	{ "firmware-log", false, true },
	{ "reference-pcrs", false, true },
	{ "hypervisor-digest", false, true },
	{ "policy-digest", false, true },
	{ "isolation-digest", false, true },
	{ "report-isolation", false, true },
};

#define NTABLE (sizeof(verdict_table) / sizeof(verdict_table[0]))

/* v with check i marked st; returns whether that verdict passes. */
static bool passes_with(const struct att_verdict *v, struct att_verdict *w,
			unsigned int i, enum att_status st)
{
	*w = *v;
	w->check[i].status = st;
	return att_verdict_passes(w);
}

static void test_verdict_table(void)
{
	static const uint8_t junk[] = "not an evidence bundle";
	struct att_verdict *v = calloc(1, sizeof(*v)),
			   *w = calloc(1, sizeof(*w));
	struct att_verify_in in;

	CU_ASSERT_FATAL(v && w);
	/* A malformed bundle: every check of the table still reports. */
	memset(&in, 0, sizeof(in));
	in.bundle = junk;
	in.bundle_len = sizeof(junk) - 1;
	att_verify(&in, v);
	CU_ASSERT_FALSE(v->pass);
	CU_ASSERT_EQUAL_FATAL(v->n, NTABLE);
	for (unsigned int i = 0; i < NTABLE; i++) {
		CU_ASSERT_STRING_EQUAL(v->check[i].name, verdict_table[i].name);
		CU_ASSERT_EQUAL(v->check[i].status, i ? ATT_SKIP : ATT_FAIL);
		if (i)
			CU_ASSERT_STRING_EQUAL(v->check[i].detail,
					       "not evaluated: bundle is "
					       "malformed");
	}
	CU_ASSERT_FALSE(att_verdict_passes(v));

	/* Every check PASS: the control for what follows. */
	for (unsigned int i = 0; i < NTABLE; i++)
		v->check[i].status = ATT_PASS;
	CU_ASSERT_TRUE(att_verdict_passes(v));

	/* A table entry that did not run, wherever it is, cannot PASS. */
	for (unsigned int i = 0; i < NTABLE; i++) {
		*w = *v;
		memmove(&w->check[i], &w->check[i + 1],
			(NTABLE - i - 1) * sizeof(w->check[0]));
		w->n--;
		CU_ASSERT_FALSE(att_verdict_passes(w));
	}
	/* ... nor one reported in another's place, nor none at all */
	*w = *v;
	w->check[NTABLE - 1] = w->check[NTABLE - 2];
	CU_ASSERT_FALSE(att_verdict_passes(w));
	*w = *v;
	w->n = 0;
	CU_ASSERT_FALSE(att_verdict_passes(w));
	/* a check the table does not have is not silently accepted */
	*w = *v;
	w->check[NTABLE] = w->check[0];
	w->n++;
	CU_ASSERT_FALSE(att_verdict_passes(w));

	/* Weights: what each status of each check does to the verdict. */
	for (unsigned int i = 0; i < NTABLE; i++) {
		CU_ASSERT_FALSE(passes_with(v, w, i, ATT_FAIL));
		CU_ASSERT_FALSE(passes_with(v, w, i, (enum att_status)99));
		CU_ASSERT_EQUAL(passes_with(v, w, i, ATT_WARN),
				verdict_table[i].warn_ok);
		CU_ASSERT_EQUAL(passes_with(v, w, i, ATT_SKIP),
				!verdict_table[i].core);
	}
	free(v);
	free(w);
}

UNIT_SUITE(att_verify, NULL, NULL, UNIT_TEST(test_launch_only),
	   UNIT_TEST(test_swaps), UNIT_TEST(test_malformed),
	   UNIT_TEST(test_foreign_records), UNIT_TEST(test_prefixes),
	   UNIT_TEST(test_tag_last), UNIT_TEST(test_verdict_table))
