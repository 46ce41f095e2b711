// SPDX-License-Identifier: GPL-2.0-only
/*
 * att_verify.c - offline verification of a thinhv evidence bundle (host
 * userspace). Trusts only what the auditor supplies (AK, nonce, reference
 * values); every part of the bundle is parsed as hostile input. The verdict
 * starts false and becomes true only when no check failed.
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

static struct att_check *add(struct att_verdict *v, const char *name,
			     enum att_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static struct att_check *add(struct att_verdict *v, const char *name,
			     enum att_status st, const char *fmt, ...)
{
	struct att_check *c;
	va_list ap;

	if (v->n >= ATT_MAX_CHECKS)
		return NULL;
	c = &v->check[v->n++];
	c->name = name;
	c->status = st;
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
	va_end(ap);
	return c;
}

static void hex(const uint8_t *p, size_t n, char *out, size_t outlen)
{
	if (outlen < 2 * n + 1)
		n = (outlen - 1) / 2;
	sodium_bin2hex(out, outlen, p, n);
}

/* Names of every check, in the order they are reported. */
static const char *const check_names[] = {
	"bundle",
	"ak",
	"ak-attributes",
	"signature",
	"quote",
	"report",
	"nonce",
	"pcr-selection",
	"pcr-digest",
	"thinhv-log",
	"runtime-policy",
	"firmware-log",
	"reference-pcrs",
	"hypervisor-digest",
	"policy-digest",
	"isolation-digest",
	"report-isolation",
};

/* check_names[0 .. CORE_CHECKS-1] (bundle .. runtime-policy) must each PASS
 * (ak-attributes may WARN) for the verdict to pass. */
#define CORE_CHECKS 11

/* Report every check not yet listed as not evaluated (it cannot pass). */
static void skip_rest(struct att_verdict *v, const char *why)
{
	for (size_t i = 0; i < sizeof(check_names) / sizeof(check_names[0]);
	     i++) {
		bool seen = false;

		for (unsigned int k = 0; k < v->n; k++)
			if (!strcmp(v->check[k].name, check_names[i]))
				seen = true;
		if (!seen)
			add(v, check_names[i], ATT_SKIP, "not evaluated: %s",
			    why);
	}
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

struct measured {
	struct att_measurements m;
	bool parsed;   /* the log is well-formed and grammatical */
	bool verified; /* ... and replays to the quoted PCR */
};

static void check_thinhv_log(struct att_verdict *v, const uint8_t *log,
			     size_t len, size_t part_off,
			     const struct att_pcr_values *pv,
			     struct measured *m)
{
	struct att_replay rp;
	struct att_err err = { 0, NULL };
	const uint8_t *quoted = att_pcrs_get(pv, ATT_THINHV_PCR);
	char a[65], b[65];
	int rc;

	rc = att_log_replay(log, len, ATT_ALG_SHA256, att_sodium_hash2, NULL,
			    &rp, &err);
	if (rc) {
		add(v, "thinhv-log", ATT_FAIL,
		    "malformed at log offset %zu (bundle offset %zu): %s",
		    err.offset, part_off + err.offset,
		    err.what ? err.what : "invalid");
		return;
	}
	rc = att_thinhv_measurements(log, len, &m->m, &err);
	if (rc) {
		add(v, "thinhv-log", ATT_FAIL,
		    "log offset %zu (bundle offset %zu): %s", err.offset,
		    part_off + err.offset, err.what ? err.what : "invalid");
		return;
	}
	m->parsed = true;
	if (!quoted || sodium_memcmp(rp.pcr[ATT_THINHV_PCR], quoted, 32)) {
		hex(rp.pcr[ATT_THINHV_PCR], 32, a, sizeof(a));
		hex(quoted ? quoted : rp.pcr[0], quoted ? 32 : 0, b, sizeof(b));
		add(v, "thinhv-log", ATT_FAIL,
		    "replay gives PCR %d = %s but the quote has %s",
		    ATT_THINHV_PCR, a, quoted ? b : "(none)");
		return;
	}
	m->verified = true;
	v->policy_changes =
	    m->m.changes > INT_MAX ? INT_MAX : (int)m->m.changes;
	add(v, "thinhv-log", ATT_PASS,
	    "%llu measurements replay to quoted PCR %d (sha256)",
	    3 + 2ULL * m->m.changes, ATT_THINHV_PCR);
}

/*
 * Informational, never a failure: a runtime replacement is legitimate
 * unless the module was loaded with lock=1, which the log does not state.
 * The auditor must see that the policy in force is not the launch one.
 */
static void check_runtime_policy(struct att_verdict *v,
				 const struct measured *m)
{
	char cur[65], first[65];

	if (!m->verified) {
		add(v, "runtime-policy", ATT_SKIP,
		    "not evaluated: the thinhv log did not verify");
		return;
	}
	hex(m->m.policy, 32, cur, sizeof(cur));
	if (!m->m.changes) {
		add(v, "runtime-policy", ATT_PASS,
		    "no runtime policy change: the launch policy %s is in "
		    "force",
		    cur);
		return;
	}
	hex(m->m.launch_policy, 32, first, sizeof(first));
	add(v, "runtime-policy", ATT_PASS,
	    "%u runtime policy change%s after launch; current policy %s "
	    "(launch policy %.16s...)",
	    m->m.changes, m->m.changes == 1 ? "" : "s", cur, first);
}

static void check_fw_log(struct att_verdict *v, const struct att_evidence *ev,
			 const struct att_pcr_values *pv, bool required)
{
	const uint8_t *log = ev->part[ATT_PART_FW_LOG].p;
	size_t len = ev->part[ATT_PART_FW_LOG].len;
	struct att_err err = { 0, NULL };
	struct att_replay rp;
	int rc, i;

	if (!ev->part[ATT_PART_FW_LOG].present) {
		add(v, "firmware-log", required ? ATT_FAIL : ATT_WARN,
		    "no firmware event log in the bundle: PCRs 0-7 are quoted "
		    "but not explained");
		return;
	}
	rc = att_log_replay(log, len, ATT_ALG_SHA256, att_sodium_hash2, NULL,
			    &rp, &err);
	if (rc) {
		add(v, "firmware-log", ATT_FAIL,
		    "malformed at log offset %zu (bundle offset %zu): %s",
		    err.offset, ev->part[ATT_PART_FW_LOG].offset + err.offset,
		    err.what ? err.what : "invalid");
		return;
	}
	if (rp.extended_mask & (1u << ATT_THINHV_PCR)) {
		add(v, "firmware-log", ATT_FAIL,
		    "firmware log extends the thinhv PCR %d", ATT_THINHV_PCR);
		return;
	}
	for (i = 0; i < 8; i++) {
		const uint8_t *q = att_pcrs_get(pv, (uint32_t)i);

		if (!q || sodium_memcmp(rp.pcr[i], q, 32)) {
			add(v, "firmware-log", ATT_FAIL,
			    "replay of PCR %d differs from the quoted value",
			    i);
			return;
		}
	}
	add(v, "firmware-log", ATT_PASS, "replays to quoted PCRs 0-7 (sha256)");
}

static void check_reference(struct att_verdict *v,
			    const struct att_reference *ref,
			    const struct att_pcr_values *pv,
			    const struct measured *m)
{
	/* Policy and isolation state: the last pair, what is in force. */
	const struct {
		const char *check;
		const uint8_t *measured;
		const uint8_t *want;
		bool have;
		bool current;
	} items[] = {
		{ "hypervisor-digest", m->m.hypervisor,
		  ref ? ref->hypervisor : NULL, ref && ref->have_hypervisor,
		  false },
		{ "policy-digest", m->m.policy, ref ? ref->policy : NULL,
		  ref && ref->have_policy, true },
		{ "isolation-digest", m->m.isolation,
		  ref ? ref->isolation : NULL, ref && ref->have_isolation,
		  true },
	};
	char a[65], b[65];

	if (!ref) {
		add(v, "reference-pcrs", ATT_SKIP, "no reference file given");
	} else if (!ref->pcr_mask) {
		add(v, "reference-pcrs", ATT_SKIP,
		    "reference lists no PCR values");
	} else {
		int bad = -1;

		for (int i = 0; i < ATT_NUM_PCRS && bad < 0; i++) {
			const uint8_t *q;

			if (!(ref->pcr_mask & (1u << i)))
				continue;
			q = att_pcrs_get(pv, (uint32_t)i);
			if (!q || sodium_memcmp(q, ref->pcr[i], 32))
				bad = i;
		}
		if (bad >= 0)
			add(v, "reference-pcrs", ATT_FAIL,
			    "quoted PCR %d differs from the reference", bad);
		else
			add(v, "reference-pcrs", ATT_PASS,
			    "quoted PCRs equal the reference values");
	}
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		const char *now =
		    items[i].current && m->m.changes ? "current " : "";

		hex(items[i].measured, 32, a, sizeof(a));
		if (!items[i].have) {
			add(v, items[i].check, ATT_SKIP, "%s; %smeasured %s",
			    ref ? "no reference value"
				: "no reference file given",
			    now, a);
			continue;
		}
		hex(items[i].want, 32, b, sizeof(b));
		if (!m->parsed ||
		    sodium_memcmp(items[i].measured, items[i].want, 32))
			add(v, items[i].check, ATT_FAIL,
			    "%smeasured %s, reference %s", now,
			    m->parsed ? a : "(no valid log)", b);
		else
			add(v, items[i].check, ATT_PASS,
			    "%smeasured %s = reference", now, a);
	}
}

/*
 * A report that states the isolation digest must state the measured one
 * in force (the last pair): this binds what the report says about
 * enforcement to what the TPM saw.
 */
static void check_report_isolation(struct att_verdict *v,
				   const struct att_evidence *ev,
				   const struct measured *m)
{
	const uint8_t *val;
	uint8_t claimed[32];
	size_t vlen, bl = 0;
	char hx[65];

	if (att_report_top_value(ev->part[ATT_PART_REPORT].p,
				 ev->part[ATT_PART_REPORT].len,
				 ATT_REPORT_ISO_KEY, &val, &vlen)) {
		add(v, "report-isolation", ATT_SKIP,
		    "report has no canonical \"%s\"", ATT_REPORT_ISO_KEY);
		return;
	}
	if (vlen != 66 || val[0] != '"' || val[65] != '"' ||
	    sodium_hex2bin(claimed, 32, (const char *)val + 1, 64, NULL, &bl,
			   NULL) ||
	    bl != 32) {
		add(v, "report-isolation", ATT_FAIL,
		    "\"%s\" is not 64 hex digits", ATT_REPORT_ISO_KEY);
		return;
	}
	hex(m->m.isolation, 32, hx, sizeof(hx));
	if (!m->parsed || sodium_memcmp(claimed, m->m.isolation, 32))
		add(v, "report-isolation", ATT_FAIL,
		    "report claims isolation state %.64s, measured %s",
		    (const char *)val + 1, m->parsed ? hx : "(no valid log)");
	else
		add(v, "report-isolation", ATT_PASS,
		    "report's isolation state = %smeasured %s",
		    m->m.changes ? "current " : "", hx);
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

void att_verify(const struct att_verify_in *in, struct att_verdict *v)
{
	struct att_evidence ev;
	struct att_err err = { 0, NULL };
	struct att_key *bak = NULL;
	struct att_pcr_values pv;
	struct measured m;
	TPMS_ATTEST quote;
	char why[256];
	uint8_t qual[32], d[32];
	uint32_t mask = 0, pv_mask = 0;
	size_t off = 0;
	bool sig_ok, quote_ok;
	int rc;

	memset(v, 0, sizeof(*v));
	memset(&m, 0, sizeof(m));
	v->pass = false;
	v->policy_changes = -1;

	rc = att_evidence_parse(in->bundle, in->bundle_len, &ev, &err);
	if (rc) {
		add(v, "bundle", ATT_FAIL, "byte offset %zu: %s", err.offset,
		    err.what);
		skip_rest(v, "bundle is malformed");
		return;
	}
	add(v, "bundle", ATT_PASS, "%zu bytes, version %d, all required parts",
	    in->bundle_len, ATT_EVID_VERSION);

	/* The AK in the bundle is informational; only the auditor's counts. */
	rc = att_key_from_tpm2b(ev.part[ATT_PART_AK_PUBLIC].p,
				ev.part[ATT_PART_AK_PUBLIC].len, &bak, &err);
	if (rc)
		add(v, "ak", ATT_FAIL, "bundle AK (bundle offset %zu): %s",
		    ev.part[ATT_PART_AK_PUBLIC].offset + err.offset, err.what);
	else if (!att_key_equal(bak, in->ak) || !same_name(bak, in->ak))
		add(v, "ak", ATT_FAIL,
		    "bundle AK is not the trusted AK supplied with --ak");
	else
		add(v, "ak", ATT_PASS, "bundle AK equals the trusted %s",
		    att_key_describe(in->ak));
	att_key_free(bak);

	rc = att_key_check_ak_attributes(in->ak, why, sizeof(why));
	add(v, "ak-attributes",
	    rc == 0	    ? ATT_PASS
	    : rc == -ENOENT ? ATT_WARN
			    : ATT_FAIL,
	    "%s",
	    rc == 0 ? "trusted AK is a restricted signing key, fixedTPM" : why);

	rc = att_sig_verify(in->ak, ev.part[ATT_PART_SIGNATURE].p,
			    ev.part[ATT_PART_SIGNATURE].len,
			    ev.part[ATT_PART_QUOTE].p,
			    ev.part[ATT_PART_QUOTE].len, why, sizeof(why));
	sig_ok = rc == 0;
	add(v, "signature", sig_ok ? ATT_PASS : ATT_FAIL, "%s", why);

	memset(&quote, 0, sizeof(quote));
	quote_ok = false;
	if (Tss2_MU_TPMS_ATTEST_Unmarshal(ev.part[ATT_PART_QUOTE].p,
					  ev.part[ATT_PART_QUOTE].len, &off,
					  &quote) != TSS2_RC_SUCCESS ||
	    off != ev.part[ATT_PART_QUOTE].len)
		add(v, "quote", ATT_FAIL,
		    "not a TPMS_ATTEST (bundle offset %zu)",
		    ev.part[ATT_PART_QUOTE].offset + off);
	else if (quote.magic != TPM2_GENERATED_VALUE)
		add(v, "quote", ATT_FAIL, "magic is not TPM_GENERATED_VALUE");
	else if (quote.type != TPM2_ST_ATTEST_QUOTE)
		add(v, "quote", ATT_FAIL,
		    "attestation type 0x%04x is not a "
		    "quote",
		    quote.type);
	else
		quote_ok = true;
	if (quote_ok)
		add(v, "quote", ATT_PASS,
		    "TPM-generated quote, resetCount %u restartCount %u",
		    quote.clockInfo.resetCount, quote.clockInfo.restartCount);

	rc = att_report_check(ev.part[ATT_PART_REPORT].p,
			      ev.part[ATT_PART_REPORT].len, &err);
	if (rc)
		add(v, "report", ATT_FAIL,
		    "not canonical JSON at report offset %zu: %s", err.offset,
		    err.what);
	else
		add(v, "report", ATT_PASS, "canonical JSON, %zu bytes",
		    ev.part[ATT_PART_REPORT].len);

	att_qualifying_data(in->nonce, in->nonce_len,
			    ev.part[ATT_PART_REPORT].p,
			    ev.part[ATT_PART_REPORT].len, qual);
	if (!quote_ok)
		add(v, "nonce", ATT_FAIL, "quote unreadable");
	else if (quote.extraData.size != 32 ||
		 sodium_memcmp(quote.extraData.buffer, qual, 32))
		add(v, "nonce", ATT_FAIL,
		    "qualifying data is not SHA-256(nonce || report): stale "
		    "quote, other nonce or altered report");
	else
		add(v, "nonce", ATT_PASS,
		    "qualifying data = SHA-256(nonce || report)");

	rc = att_pcrs_parse(ev.part[ATT_PART_PCRS].p,
			    ev.part[ATT_PART_PCRS].len, &pv, &err);
	if (!rc && pv.alg != ATT_ALG_SHA256) {
		err.offset = 0;
		err.what = "PCR values are not the SHA-256 bank";
		rc = -EINVAL;
	}
	if (!rc)
		for (uint32_t i = 0; i < pv.count; i++)
			pv_mask |= 1u << pv.index[i];
	if (rc)
		add(v, "pcr-selection", ATT_FAIL,
		    "PCR values malformed at bundle offset %zu: %s",
		    ev.part[ATT_PART_PCRS].offset + err.offset, err.what);
	else if (!quote_ok ||
		 quote_selection(&quote.attested.quote.pcrSelect, &mask))
		add(v, "pcr-selection", ATT_FAIL,
		    "quote does not select one SHA-256 bank");
	else if (mask != ATT_QUOTE_PCR_MASK || pv_mask != mask)
		add(v, "pcr-selection", ATT_FAIL,
		    "quote selects PCR mask 0x%06x, values cover 0x%06x, "
		    "expected 0x%06x",
		    mask, pv_mask, ATT_QUOTE_PCR_MASK);
	else
		add(v, "pcr-selection", ATT_PASS,
		    "sha256 PCRs 0-7 and %d quoted and supplied",
		    ATT_THINHV_PCR);

	if (rc || !quote_ok || mask != ATT_QUOTE_PCR_MASK || pv_mask != mask) {
		skip_rest(v, "PCR values unusable");
		return;
	}
	{
		crypto_hash_sha256_state st;

		crypto_hash_sha256_init(&st);
		for (uint32_t i = 0; i < pv.count; i++)
			crypto_hash_sha256_update(&st, pv.value[i], 32);
		crypto_hash_sha256_final(&st, d);
	}
	if (quote.attested.quote.pcrDigest.size != 32 ||
	    sodium_memcmp(quote.attested.quote.pcrDigest.buffer, d, 32))
		add(v, "pcr-digest", ATT_FAIL,
		    "quoted PCR digest is not SHA-256 of the supplied values");
	else
		add(v, "pcr-digest", ATT_PASS,
		    "quoted PCR digest = SHA-256 of the supplied values");

	check_thinhv_log(v, ev.part[ATT_PART_THINHV_LOG].p,
			 ev.part[ATT_PART_THINHV_LOG].len,
			 ev.part[ATT_PART_THINHV_LOG].offset, &pv, &m);
	check_runtime_policy(v, &m);
	check_fw_log(v, &ev, &pv, in->require_fw_log);
	check_reference(v, in->ref, &pv, &m);
	check_report_isolation(v, &ev, &m);

	/* Fail closed: the verdict is true only if nothing failed and the
	 * core checks are all present and passed. */
	{
		bool ok = v->n > 0;

		for (unsigned int i = 0; i < v->n; i++)
			if (v->check[i].status == ATT_FAIL)
				ok = false;
		for (unsigned int i = 0; i < CORE_CHECKS && ok; i++) {
			bool found = false;

			for (unsigned int k = 0; k < v->n; k++)
				if (!strcmp(v->check[k].name, check_names[i]) &&
				    (v->check[k].status == ATT_PASS ||
				     (i == 2 &&
				      v->check[k].status == ATT_WARN)))
					found = true;
			if (!found)
				ok = false;
		}
		v->pass = ok && sig_ok;
	}
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
