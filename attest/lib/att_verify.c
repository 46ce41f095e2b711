// SPDX-License-Identifier: GPL-2.0-only
/*
 * att_verify.c - offline verification of a thinhv evidence bundle (host
 * userspace). Trusts only what the auditor supplies (AK, nonce, reference
 * values); every part of the bundle is parsed as hostile input. The checks
 * are one table (checks[] below); the verdict starts false and becomes true
 * only when every check of the table reported a status its weight accepts.
 */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <tss2/tss2_mu.h>

#include "attest/lib/att.h"

/* Fill a check's detail; returns its status so a check ends in one line. */
static enum att_status say(struct att_check *c, enum att_status st,
			   const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum att_status say(struct att_check *c, enum att_status st,
			   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
	va_end(ap);
	return st;
}

static void hex(const uint8_t *p, size_t n, char *out, size_t outlen)
{
	if (outlen < 2 * n + 1)
		n = (outlen - 1) / 2;
	sodium_bin2hex(out, outlen, p, n);
}

/* Where a walk of HYPERVISOR (POLICY ISOLATION)+ stands. */
enum log_state {
	LOG_START,  /* nothing yet: the hypervisor comes first */
	LOG_HV,	    /* hypervisor measured: the launch policy comes next */
	LOG_POLICY, /* a policy measured: its isolation state comes next */
	LOG_PAIR,   /* a pair complete: the log may end, or a swap follows */
};

struct log_walk {
	struct att_measurements *m;
	enum log_state state;
	unsigned int pairs;
	const char *why;
};

static int refuse(struct log_walk *w, const char *why)
{
	w->why = why;
	return -EINVAL;
}

static int walk_hypervisor(struct log_walk *w, const uint8_t *d)
{
	if (w->state != LOG_START)
		return refuse(w, "hypervisor measured again: it is measured "
				 "once, first");
	memcpy(w->m->hypervisor, d, 32);
	w->state = LOG_HV;
	return 0;
}

static int walk_policy(struct log_walk *w, const uint8_t *d)
{
	if (w->state == LOG_START)
		return refuse(w, "policy measured before the hypervisor");
	if (w->state == LOG_POLICY)
		return refuse(w, "two policies in a row: the previous policy "
				 "has no isolation state");
	if (w->state == LOG_HV)
		memcpy(w->m->launch_policy, d, 32);
	memcpy(w->m->policy, d, 32);
	w->state = LOG_POLICY;
	return 0;
}

static int walk_isolation(struct log_walk *w, const uint8_t *d)
{
	if (w->state == LOG_START)
		return refuse(w, "isolation state measured before the "
				 "hypervisor");
	if (w->state == LOG_HV)
		return refuse(w, "isolation state measured before the launch "
				 "policy");
	if (w->state == LOG_PAIR)
		return refuse(w, "isolation state measured without a policy "
				 "before it");
	if (!w->pairs)
		memcpy(w->m->launch_isolation, d, 32);
	memcpy(w->m->isolation, d, 32);
	w->pairs++;
	w->state = LOG_PAIR;
	return 0;
}

/* One record of the thinhv log against the grammar. */
static int walk_measurement(void *ctx, const struct att_event *ev)
{
	struct log_walk *w = ctx;
	struct att_err err = { 0, NULL };
	const uint8_t *d;
	uint32_t tag;

	if (ev->pcr != ATT_THINHV_PCR)
		return refuse(w, "record for a PCR other than the thinhv PCR");
	if (att_event_tag(ev, &tag, &err))
		return refuse(w, err.what);
	d = att_event_digest(ev, ATT_ALG_SHA256);
	if (!d)
		return refuse(w, "no SHA-256 digest");
	switch (tag) {
	case ATT_TAG_HYPERVISOR:
		return walk_hypervisor(w, d);
	case ATT_TAG_POLICY:
		return walk_policy(w, d);
	case ATT_TAG_ISOLATION:
		return walk_isolation(w, d);
	}
	return refuse(w, "tag has no place in the thinhv log");
}

int att_thinhv_measurements(const uint8_t *log, size_t len,
			    struct att_measurements *m, struct att_err *err)
{
	struct log_walk w = { m, LOG_START, 0, NULL };
	struct att_err ignored = { 0, NULL };
	int rc;

	if (!err)
		err = &ignored;
	memset(m, 0, sizeof(*m));
	rc = att_log_parse(log, len, NULL, walk_measurement, &w, err);
	if (rc) {
		if (w.why)
			err->what = w.why; /* the record's offset is kept */
		memset(m, 0, sizeof(*m));
		return rc;
	}
	if (w.state == LOG_PAIR) {
		m->changes = w.pairs - 1;
		return 0;
	}
	err->offset = len;
	err->what = w.state == LOG_START ? "log has no measurement"
		    : w.state == LOG_HV
			? "log ends after the hypervisor: no policy measured"
			: "log ends with a policy that has no isolation "
			  "state after it";
	memset(m, 0, sizeof(*m));
	return -EINVAL;
}

struct measured {
	struct att_measurements m;
	bool parsed;   /* the log is well-formed and grammatical */
	bool verified; /* ... and replays to the quoted PCR */
};

/*
 * What the checks learn for the checks after them. Each check reads only
 * what earlier table entries filled in; a check that needs something an
 * earlier one could not provide fails or skips on its own account.
 */
struct verify_ctx {
	const struct att_verify_in *in;
	struct att_verdict *v;
	struct att_evidence ev;	  /* valid after "bundle" passed */
	TPMS_ATTEST quote;	  /* valid when quote_ok */
	bool quote_ok;		  /* a TPM-generated quote */
	struct att_pcr_values pv; /* valid after "pcr-selection" passed */
	struct measured m;	  /* filled by "thinhv-log" */
};

#define PART(x, type) (&(x)->ev.part[type])

static enum att_status check_bundle(struct verify_ctx *x, struct att_check *c)
{
	struct att_err err = { 0, NULL };

	if (att_evidence_parse(x->in->bundle, x->in->bundle_len, &x->ev, &err))
		return say(c, ATT_FAIL, "byte offset %zu: %s", err.offset,
			   err.what);
	return say(c, ATT_PASS, "%zu bytes, version %d, all required parts",
		   x->in->bundle_len, ATT_EVID_VERSION);
}

/* With a TPM2B_PUBLIC on both sides the whole public area must match (its
 * name covers attributes and policy), not only the key. */
static bool same_name(const struct att_key *a, const struct att_key *b)
{
	uint8_t na[64], nb[64];
	size_t la = sizeof(na), lb = sizeof(nb);
	int ra = att_key_name(a, na, &la), rb = att_key_name(b, nb, &lb);

	if (ra == -ENOENT || rb == -ENOENT)
		return true; /* a PEM key: only the key itself is known */
	return !ra && !rb && la == lb && !sodium_memcmp(na, nb, la);
}

/* The AK in the bundle is informational; only the auditor's counts. */
static enum att_status check_ak(struct verify_ctx *x, struct att_check *c)
{
	struct att_err err = { 0, NULL };
	struct att_key *bak = NULL;
	enum att_status st;

	if (att_key_from_tpm2b(PART(x, ATT_PART_AK_PUBLIC)->p,
			       PART(x, ATT_PART_AK_PUBLIC)->len, &bak, &err))
		return say(c, ATT_FAIL, "bundle AK (bundle offset %zu): %s",
			   PART(x, ATT_PART_AK_PUBLIC)->offset + err.offset,
			   err.what);
	if (!att_key_equal(bak, x->in->ak) || !same_name(bak, x->in->ak))
		st = say(c, ATT_FAIL,
			 "bundle AK is not the trusted AK supplied with --ak");
	else
		st = say(c, ATT_PASS, "bundle AK equals the trusted %s",
			 att_key_describe(x->in->ak));
	att_key_free(bak);
	return st;
}

/* WARN (not FAIL) for a PEM key: its TPM attributes are not known. */
static enum att_status check_ak_attributes(struct verify_ctx *x,
					   struct att_check *c)
{
	char why[256];
	int rc = att_key_check_ak_attributes(x->in->ak, why, sizeof(why));

	if (rc == 0)
		return say(c, ATT_PASS,
			   "trusted AK is a restricted signing key, fixedTPM");
	return say(c, rc == -ENOENT ? ATT_WARN : ATT_FAIL, "%s", why);
}

static enum att_status check_signature(struct verify_ctx *x,
				       struct att_check *c)
{
	char why[256];
	int rc = att_sig_verify(x->in->ak, PART(x, ATT_PART_SIGNATURE)->p,
				PART(x, ATT_PART_SIGNATURE)->len,
				PART(x, ATT_PART_QUOTE)->p,
				PART(x, ATT_PART_QUOTE)->len, why, sizeof(why));

	return say(c, rc == 0 ? ATT_PASS : ATT_FAIL, "%s", why);
}

static enum att_status check_quote(struct verify_ctx *x, struct att_check *c)
{
	TPMS_ATTEST *q = &x->quote;
	size_t off = 0;

	if (Tss2_MU_TPMS_ATTEST_Unmarshal(PART(x, ATT_PART_QUOTE)->p,
					  PART(x, ATT_PART_QUOTE)->len, &off,
					  q) != TSS2_RC_SUCCESS ||
	    off != PART(x, ATT_PART_QUOTE)->len)
		return say(c, ATT_FAIL, "not a TPMS_ATTEST (bundle offset %zu)",
			   PART(x, ATT_PART_QUOTE)->offset + off);
	if (q->magic != TPM2_GENERATED_VALUE)
		return say(c, ATT_FAIL, "magic is not TPM_GENERATED_VALUE");
	if (q->type != TPM2_ST_ATTEST_QUOTE)
		return say(c, ATT_FAIL,
			   "attestation type 0x%04x is not a quote", q->type);
	x->quote_ok = true;
	return say(c, ATT_PASS,
		   "TPM-generated quote, resetCount %u restartCount %u",
		   q->clockInfo.resetCount, q->clockInfo.restartCount);
}

static enum att_status check_report(struct verify_ctx *x, struct att_check *c)
{
	struct att_err err = { 0, NULL };

	if (att_report_check(PART(x, ATT_PART_REPORT)->p,
			     PART(x, ATT_PART_REPORT)->len, &err))
		return say(c, ATT_FAIL,
			   "not canonical JSON at report offset %zu: %s",
			   err.offset, err.what);
	return say(c, ATT_PASS, "canonical JSON, %zu bytes",
		   PART(x, ATT_PART_REPORT)->len);
}

static enum att_status check_nonce(struct verify_ctx *x, struct att_check *c)
{
	uint8_t qual[32];

	att_qualifying_data(x->in->nonce, x->in->nonce_len,
			    PART(x, ATT_PART_REPORT)->p,
			    PART(x, ATT_PART_REPORT)->len, qual);
	if (!x->quote_ok)
		return say(c, ATT_FAIL, "quote unreadable");
	if (x->quote.extraData.size != 32 ||
	    sodium_memcmp(x->quote.extraData.buffer, qual, 32))
		return say(c, ATT_FAIL,
			   "qualifying data is not SHA-256(nonce || report): "
			   "stale quote, other nonce or altered report");
	return say(c, ATT_PASS, "qualifying data = SHA-256(nonce || report)");
}

/* The quote must select exactly the SHA-256 bank of ATT_QUOTE_PCR_MASK. */
static int quote_selection(const TPML_PCR_SELECTION *sel, uint32_t *mask)
{
	const TPMS_PCR_SELECTION *s;

	if (sel->count != 1)
		return -EINVAL;
	s = &sel->pcrSelections[0];
	if (s->hash != TPM2_ALG_SHA256 || s->sizeofSelect < 3 ||
	    s->sizeofSelect > sizeof(s->pcrSelect))
		return -EINVAL;
	*mask = 0;
	for (unsigned int i = 0; i < s->sizeofSelect; i++)
		*mask |= (uint32_t)s->pcrSelect[i] << (8 * i);
	return 0;
}

/* A FAIL here stops the table: nothing after it can use the PCRs. */
static enum att_status check_pcr_selection(struct verify_ctx *x,
					   struct att_check *c)
{
	struct att_err err = { 0, NULL };
	uint32_t mask = 0, pv_mask = 0;
	int rc;

	rc = att_pcrs_parse(PART(x, ATT_PART_PCRS)->p,
			    PART(x, ATT_PART_PCRS)->len, &x->pv, &err);
	if (!rc && x->pv.alg != ATT_ALG_SHA256) {
		err.offset = 0;
		err.what = "PCR values are not the SHA-256 bank";
		rc = -EINVAL;
	}
	if (rc)
		return say(c, ATT_FAIL,
			   "PCR values malformed at bundle offset %zu: %s",
			   PART(x, ATT_PART_PCRS)->offset + err.offset,
			   err.what);
	for (uint32_t i = 0; i < x->pv.count; i++)
		pv_mask |= 1u << x->pv.index[i];
	if (!x->quote_ok ||
	    quote_selection(&x->quote.attested.quote.pcrSelect, &mask))
		return say(c, ATT_FAIL,
			   "quote does not select one SHA-256 bank");
	if (mask != ATT_QUOTE_PCR_MASK || pv_mask != mask)
		return say(c, ATT_FAIL,
			   "quote selects PCR mask 0x%06x, values cover "
			   "0x%06x, expected 0x%06x",
			   mask, pv_mask, ATT_QUOTE_PCR_MASK);
	return say(c, ATT_PASS, "sha256 PCRs 0-7 and %d quoted and supplied",
		   ATT_THINHV_PCR);
}

static enum att_status check_pcr_digest(struct verify_ctx *x,
					struct att_check *c)
{
	const TPM2B_DIGEST *qd = &x->quote.attested.quote.pcrDigest;
	crypto_hash_sha256_state st;
	uint8_t d[32];

	crypto_hash_sha256_init(&st);
	for (uint32_t i = 0; i < x->pv.count; i++)
		crypto_hash_sha256_update(&st, x->pv.value[i], 32);
	crypto_hash_sha256_final(&st, d);
	if (qd->size != 32 || sodium_memcmp(qd->buffer, d, 32))
		return say(c, ATT_FAIL,
			   "quoted PCR digest is not SHA-256 of the supplied "
			   "values");
	return say(c, ATT_PASS,
		   "quoted PCR digest = SHA-256 of the supplied values");
}

static enum att_status check_thinhv_log(struct verify_ctx *x,
					struct att_check *c)
{
	const uint8_t *log = PART(x, ATT_PART_THINHV_LOG)->p;
	size_t len = PART(x, ATT_PART_THINHV_LOG)->len;
	size_t part_off = PART(x, ATT_PART_THINHV_LOG)->offset;
	const uint8_t *quoted = att_pcrs_get(&x->pv, ATT_THINHV_PCR);
	struct measured *m = &x->m;
	struct att_err err = { 0, NULL };
	struct att_replay rp;
	char a[65], b[65];

	if (att_log_replay(log, len, ATT_ALG_SHA256, att_sodium_hash2, NULL,
			   &rp, &err))
		return say(c, ATT_FAIL,
			   "malformed at log offset %zu (bundle offset %zu): "
			   "%s",
			   err.offset, part_off + err.offset,
			   err.what ? err.what : "invalid");
	if (att_thinhv_measurements(log, len, &m->m, &err))
		return say(c, ATT_FAIL,
			   "log offset %zu (bundle offset %zu): %s", err.offset,
			   part_off + err.offset,
			   err.what ? err.what : "invalid");
	m->parsed = true;
	if (!quoted || sodium_memcmp(rp.pcr[ATT_THINHV_PCR], quoted, 32)) {
		hex(rp.pcr[ATT_THINHV_PCR], 32, a, sizeof(a));
		hex(quoted ? quoted : rp.pcr[0], quoted ? 32 : 0, b, sizeof(b));
		return say(c, ATT_FAIL,
			   "replay gives PCR %d = %s but the quote has %s",
			   ATT_THINHV_PCR, a, quoted ? b : "(none)");
	}
	m->verified = true;
	x->v->policy_changes =
	    m->m.changes > INT_MAX ? INT_MAX : (int)m->m.changes;
	return say(c, ATT_PASS,
		   "%llu measurements replay to quoted PCR %d (sha256)",
		   3 + 2ULL * m->m.changes, ATT_THINHV_PCR);
}

/*
 * Informational, never a failure: a runtime replacement is legitimate
 * unless the module was loaded with lock=1, which the log does not state.
 * The auditor must see that the policy in force is not the launch one.
 */
static enum att_status check_runtime_policy(struct verify_ctx *x,
					    struct att_check *c)
{
	const struct measured *m = &x->m;
	char cur[65], first[65];

	if (!m->verified)
		return say(c, ATT_SKIP,
			   "not evaluated: the thinhv log did not verify");
	hex(m->m.policy, 32, cur, sizeof(cur));
	if (!m->m.changes)
		return say(c, ATT_PASS,
			   "no runtime policy change: the launch policy %s is "
			   "in force",
			   cur);
	hex(m->m.launch_policy, 32, first, sizeof(first));
	return say(c, ATT_PASS,
		   "%u runtime policy change%s after launch; current policy "
		   "%s (launch policy %.16s...)",
		   m->m.changes, m->m.changes == 1 ? "" : "s", cur, first);
}

static enum att_status check_fw_log(struct verify_ctx *x, struct att_check *c)
{
	const uint8_t *log = PART(x, ATT_PART_FW_LOG)->p;
	size_t len = PART(x, ATT_PART_FW_LOG)->len;
	struct att_err err = { 0, NULL };
	struct att_replay rp;

	if (!PART(x, ATT_PART_FW_LOG)->present)
		return say(c, x->in->require_fw_log ? ATT_FAIL : ATT_WARN,
			   "no firmware event log in the bundle: PCRs 0-7 are "
			   "quoted but not explained");
	if (att_log_replay(log, len, ATT_ALG_SHA256, att_sodium_hash2, NULL,
			   &rp, &err))
		return say(c, ATT_FAIL,
			   "malformed at log offset %zu (bundle offset %zu): "
			   "%s",
			   err.offset,
			   PART(x, ATT_PART_FW_LOG)->offset + err.offset,
			   err.what ? err.what : "invalid");
	if (rp.extended_mask & (1u << ATT_THINHV_PCR))
		return say(c, ATT_FAIL,
			   "firmware log extends the thinhv PCR %d",
			   ATT_THINHV_PCR);
	for (int i = 0; i < 8; i++) {
		const uint8_t *q = att_pcrs_get(&x->pv, (uint32_t)i);

		if (!q || sodium_memcmp(rp.pcr[i], q, 32))
			return say(c, ATT_FAIL,
				   "replay of PCR %d differs from the quoted "
				   "value",
				   i);
	}
	return say(c, ATT_PASS, "replays to quoted PCRs 0-7 (sha256)");
}

static enum att_status check_reference_pcrs(struct verify_ctx *x,
					    struct att_check *c)
{
	const struct att_reference *ref = x->in->ref;

	if (!ref)
		return say(c, ATT_SKIP, "no reference file given");
	if (!ref->pcr_mask)
		return say(c, ATT_SKIP, "reference lists no PCR values");
	for (int i = 0; i < ATT_NUM_PCRS; i++) {
		const uint8_t *q;

		if (!(ref->pcr_mask & (1u << i)))
			continue;
		q = att_pcrs_get(&x->pv, (uint32_t)i);
		if (!q || sodium_memcmp(q, ref->pcr[i], 32))
			return say(c, ATT_FAIL,
				   "quoted PCR %d differs from the reference",
				   i);
	}
	return say(c, ATT_PASS, "quoted PCRs equal the reference values");
}

/*
 * A measured digest against its reference value. Policy and isolation
 * state are the last pair of the log (current: what is in force).
 */
static enum att_status reference_digest(struct verify_ctx *x,
					struct att_check *c,
					const uint8_t *measured,
					const uint8_t *want, bool have,
					bool current)
{
	const char *now = current && x->m.m.changes ? "current " : "";
	char a[65], b[65];

	hex(measured, 32, a, sizeof(a));
	if (!have)
		return say(c, ATT_SKIP, "%s; %smeasured %s",
			   x->in->ref ? "no reference value"
				      : "no reference file given",
			   now, a);
	hex(want, 32, b, sizeof(b));
	if (!x->m.parsed || sodium_memcmp(measured, want, 32))
		return say(c, ATT_FAIL, "%smeasured %s, reference %s", now,
			   x->m.parsed ? a : "(no valid log)", b);
	return say(c, ATT_PASS, "%smeasured %s = reference", now, a);
}

static enum att_status check_hypervisor_digest(struct verify_ctx *x,
					       struct att_check *c)
{
	const struct att_reference *ref = x->in->ref;

	return reference_digest(x, c, x->m.m.hypervisor,
				ref ? ref->hypervisor : NULL,
				ref && ref->have_hypervisor, false);
}

static enum att_status check_policy_digest(struct verify_ctx *x,
					   struct att_check *c)
{
	const struct att_reference *ref = x->in->ref;

	return reference_digest(x, c, x->m.m.policy, ref ? ref->policy : NULL,
				ref && ref->have_policy, true);
}

static enum att_status check_isolation_digest(struct verify_ctx *x,
					      struct att_check *c)
{
	const struct att_reference *ref = x->in->ref;

	return reference_digest(x, c, x->m.m.isolation,
				ref ? ref->isolation : NULL,
				ref && ref->have_isolation, true);
}

/*
 * A report that states the isolation digest must state the measured one
 * in force (the last pair): this binds what the report says about
 * enforcement to what the TPM saw.
 */
static enum att_status check_report_isolation(struct verify_ctx *x,
					      struct att_check *c)
{
	const struct measured *m = &x->m;
	const uint8_t *val;
	uint8_t claimed[32];
	size_t vlen, bl = 0;
	char hx[65];

	if (att_report_top_value(PART(x, ATT_PART_REPORT)->p,
				 PART(x, ATT_PART_REPORT)->len,
				 ATT_REPORT_ISO_KEY, &val, &vlen))
		return say(c, ATT_SKIP, "report has no canonical \"%s\"",
			   ATT_REPORT_ISO_KEY);
	if (vlen != 66 || val[0] != '"' || val[65] != '"' ||
	    sodium_hex2bin(claimed, 32, (const char *)val + 1, 64, NULL, &bl,
			   NULL) ||
	    bl != 32)
		return say(c, ATT_FAIL, "\"%s\" is not 64 hex digits",
			   ATT_REPORT_ISO_KEY);
	hex(m->m.isolation, 32, hx, sizeof(hx));
	if (!m->parsed || sodium_memcmp(claimed, m->m.isolation, 32))
		return say(c, ATT_FAIL,
			   "report claims isolation state %.64s, measured %s",
			   (const char *)val + 1,
			   m->parsed ? hx : "(no valid log)");
	return say(c, ATT_PASS, "report's isolation state = %smeasured %s",
		   m->m.changes ? "current " : "", hx);
}

/* How a check's status weighs on the verdict. */
enum check_weight {
	CORE,	   /* must PASS */
	CORE_WARN, /* must PASS or WARN (WARN: a fact the input cannot show) */
	ADVISORY,  /* must not FAIL; SKIP and WARN leave the verdict PASS */
};

/*
 * Every check, in the order reported (the verdict's lines; tests and the
 * lab compare them). A check whose "stops" is set and that FAILs leaves
 * every later one SKIP, "not evaluated: <stops>". Adding a check is one
 * line here.
 */
static const struct verify_check {
	const char *name;
	enum check_weight weight;
	enum att_status (*run)(struct verify_ctx *x, struct att_check *c);
	const char *stops;
} checks[] = {
	{ "bundle", CORE, check_bundle, "bundle is malformed" },
	{ "ak", CORE, check_ak, NULL },
	{ "ak-attributes", CORE_WARN, check_ak_attributes, NULL },
	{ "signature", CORE, check_signature, NULL },
	{ "quote", CORE, check_quote, NULL },
	{ "report", CORE, check_report, NULL },
	{ "nonce", CORE, check_nonce, NULL },
	{ "pcr-selection", CORE, check_pcr_selection, "PCR values unusable" },
	{ "pcr-digest", CORE, check_pcr_digest, NULL },
	{ "thinhv-log", CORE, check_thinhv_log, NULL },
	{ "runtime-policy", CORE, check_runtime_policy, NULL },
	{ "firmware-log", ADVISORY, check_fw_log, NULL },
	{ "reference-pcrs", ADVISORY, check_reference_pcrs, NULL },
	{ "hypervisor-digest", ADVISORY, check_hypervisor_digest, NULL },
	{ "policy-digest", ADVISORY, check_policy_digest, NULL },
	{ "isolation-digest", ADVISORY, check_isolation_digest, NULL },
	{ "report-isolation", ADVISORY, check_report_isolation, NULL },
};

#define NCHECKS (sizeof(checks) / sizeof(checks[0]))
_Static_assert(NCHECKS <= ATT_MAX_CHECKS, "ATT_MAX_CHECKS too small");

static bool status_acceptable(enum check_weight w, enum att_status st)
{
	switch (st) {
	case ATT_PASS:
		return true;
	case ATT_WARN:
		return w != CORE;
	case ATT_SKIP:
		return w == ADVISORY;
	case ATT_FAIL:
		return false;
	}
	return false; /* not a status: not a result */
}

bool att_verdict_passes(const struct att_verdict *v)
{
	/* Every entry of the table must have reported, in table order. */
	if (v->n != NCHECKS)
		return false;
	for (size_t i = 0; i < NCHECKS; i++) {
		const struct att_check *c = &v->check[i];

		if (!c->name || strcmp(c->name, checks[i].name) ||
		    !status_acceptable(checks[i].weight, c->status))
			return false;
	}
	return true;
}

void att_verify(const struct att_verify_in *in, struct att_verdict *v)
{
	struct verify_ctx x;
	const char *stopped = NULL;

	memset(v, 0, sizeof(*v));
	v->pass = false;
	v->policy_changes = -1;
	memset(&x, 0, sizeof(x));
	x.in = in;
	x.v = v;
	for (size_t i = 0; i < NCHECKS; i++) {
		struct att_check *c = &v->check[v->n++];

		c->name = checks[i].name;
		if (stopped)
			c->status =
			    say(c, ATT_SKIP, "not evaluated: %s", stopped);
		else
			c->status = checks[i].run(&x, c);
		if (c->status == ATT_FAIL && checks[i].stops)
			stopped = checks[i].stops;
	}
	v->pass = att_verdict_passes(v);
}

static int parse_hex32(const char *s, uint8_t out[32])
{
	size_t bin_len = 0;
	const char *end = NULL;

	if (strncmp(s, "sha256:", 7))
		return -EINVAL;
	s += 7;
	if (strlen(s) != 64)
		return -EINVAL;
	if (sodium_hex2bin(out, 32, s, 64, NULL, &bin_len, &end) ||
	    bin_len != 32 || (end && *end))
		return -EINVAL;
	return 0;
}

int att_reference_load(const char *path, struct att_reference *ref, char *why,
		       size_t whylen)
{
	char line[512];
	unsigned int lineno = 0;
	FILE *f;
	int rc = 0;

	memset(ref, 0, sizeof(*ref));
	f = fopen(path, "r");
	if (!f) {
		snprintf(why, whylen, "%s: cannot open", path);
		return -errno;
	}
	while (fgets(line, sizeof(line), f)) {
		char key[32], val[128], extra[2];
		uint8_t dig[32];
		int n;

		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(why, whylen, "%s:%u: line too long", path,
				 lineno);
			rc = -EINVAL;
			break;
		}
		n = sscanf(line, " %31s %127s %1s", key, val, extra);
		if (n <= 0 || key[0] == '#')
			continue;
		if (n != 2 || parse_hex32(val, dig)) {
			snprintf(
			    why, whylen,
			    "%s:%u: expected 'NAME sha256:<64 hex digits>'",
			    path, lineno);
			rc = -EINVAL;
			break;
		}
		if (!strcmp(key, "hypervisor") && !ref->have_hypervisor) {
			memcpy(ref->hypervisor, dig, 32);
			ref->have_hypervisor = true;
		} else if (!strcmp(key, "policy") && !ref->have_policy) {
			memcpy(ref->policy, dig, 32);
			ref->have_policy = true;
		} else if (!strcmp(key, "isolation-state") &&
			   !ref->have_isolation) {
			memcpy(ref->isolation, dig, 32);
			ref->have_isolation = true;
		} else if (!strncmp(key, "pcr", 3) &&
			   isdigit((unsigned char)key[3])) {
			char *end;
			unsigned long idx = strtoul(key + 3, &end, 10);

			if (*end || idx >= ATT_NUM_PCRS ||
			    (ref->pcr_mask & (1u << idx)) ||
			    (key[3] == '0' && key[4])) {
				snprintf(why, whylen,
					 "%s:%u: bad or repeated PCR '%s'",
					 path, lineno, key);
				rc = -EINVAL;
				break;
			}
			memcpy(ref->pcr[idx], dig, 32);
			ref->pcr_mask |= 1u << idx;
		} else {
			snprintf(why, whylen,
				 "%s:%u: unknown or repeated "
				 "name '%s'",
				 path, lineno, key);
			rc = -EINVAL;
			break;
		}
	}
	fclose(f);
	return rc;
}
