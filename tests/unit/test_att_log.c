// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_att_log.c - host tests of the pure attestation code: TCG event log
 * encode/parse/replay, evidence container, PCR values, canonical report,
 * reference file (host userspace).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>

#include "unit.h"
#include "attest/lib/att.h"
#include "thinhv/tcg_log.h"

static const struct att_bank banks2[] = {
	{ ATT_ALG_SHA1, 20 },
	{ ATT_ALG_SHA256, 32 },
};

/* Digest of "measured" data per bank: bytes derived from tag and bank. */
static void fake_digest(uint8_t *d, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		d[i] = (uint8_t)(seed * 31 + i);
}

static size_t build_log(uint8_t *buf, size_t cap, struct att_log *log)
{
	static const uint32_t tags[] = { ATT_TAG_HYPERVISOR, ATT_TAG_POLICY,
					 ATT_TAG_ISOLATION };
	uint8_t d1[20], d2[32];
	const uint8_t *dp[2] = { d1, d2 };

	CU_ASSERT_EQUAL_FATAL(att_log_init(log, buf, cap, banks2, 2), 0);
	for (unsigned int i = 0; i < 3; i++) {
		fake_digest(d1, sizeof(d1), (uint8_t)(i + 1));
		fake_digest(d2, sizeof(d2), (uint8_t)(i + 101));
		CU_ASSERT_EQUAL_FATAL(att_log_append_tag(log, tags[i], dp), 0);
	}
	return log->len;
}

/* The Spec ID header, written out by hand from PFP 10.4.5.1. */
static void test_spec_id_bytes(void)
{
	static const uint8_t want[] = {
		0,    0,   0,	0,   3,	  0,   0,   0, /* PCR 0, EV_NO_ACTION */
		0,    0,   0,	0,   0,	  0,   0,   0,	 0,   0,   0,
		0,    0,   0,	0,   0,	  0,   0,   0,	 0,   33,  0,
		0,    0, /* event size: 16+4+4+4+4+1 */
		'S',  'p', 'e', 'c', ' ', 'I', 'D', ' ', 'E', 'v', 'e',
		'n',  't', '0', '3', 0,	  0,   0,   0,	 0, /* platformClass */
		0,    2,   2,	2, /* minor, major, errata, uintn */
		1,    0,   0,	0, /* one algorithm */
		0x0b, 0,   32,	0, /* SHA-256, 32 bytes */
		0,		   /* vendorInfoSize */
	};
	const struct att_bank b = { ATT_ALG_SHA256, 32 };
	struct att_log log;
	uint8_t buf[128];

	CU_ASSERT_EQUAL(att_log_init(&log, buf, sizeof(buf), &b, 1), 0);
	CU_ASSERT_EQUAL(log.len, sizeof(want));
	CU_ASSERT(memcmp(buf, want, sizeof(want)) == 0);
	/* Too small a buffer is refused, not overrun. */
	CU_ASSERT_EQUAL(att_log_init(&log, buf, sizeof(want) - 1, &b, 1),
			-ENOSPC);
}

static int count_cb(void *ctx, const struct att_event *ev)
{
	uint32_t tag = 0;
	struct att_err err = { 0, NULL };
	int *n = ctx;

	CU_ASSERT_EQUAL(ev->pcr, ATT_THINHV_PCR);
	CU_ASSERT_EQUAL(ev->type, TCG_EV_EVENT_TAG);
	CU_ASSERT_EQUAL(ev->ndigests, 2);
	CU_ASSERT_EQUAL(att_event_tag(ev, &tag, &err), 0);
	CU_ASSERT_EQUAL(tag, (uint32_t)(ATT_TAG_HYPERVISOR + *n));
	(*n)++;
	return 0;
}

static void test_roundtrip_replay(void)
{
	uint8_t buf[1024], pcr[32] = { 0 }, d2[32], tmp[64];
	struct att_log_info info;
	struct att_replay rp = { 0 };
	struct att_err err = { 0, NULL };
	struct att_log log;
	size_t len = build_log(buf, sizeof(buf), &log);
	int n = 0;

	CU_ASSERT_EQUAL(att_log_parse(buf, len, &info, count_cb, &n, &err), 0);
	CU_ASSERT_EQUAL(n, 3);
	CU_ASSERT_EQUAL(info.nevents, 3);
	CU_ASSERT_EQUAL(info.nbanks, 2);
	CU_ASSERT_EQUAL(info.startup_locality, -1);

	/* Expected PCR 12 computed independently of the replay code. */
	for (unsigned int i = 0; i < 3; i++) {
		fake_digest(d2, sizeof(d2), (uint8_t)(i + 101));
		memcpy(tmp, pcr, 32);
		memcpy(tmp + 32, d2, 32);
		crypto_hash_sha256(pcr, tmp, 64);
	}
	CU_ASSERT_EQUAL(att_log_replay(buf, len, ATT_ALG_SHA256,
				       att_sodium_hash2, NULL, &rp, &err),
			0);
	CU_ASSERT(memcmp(rp.pcr[ATT_THINHV_PCR], pcr, 32) == 0);
	CU_ASSERT_EQUAL(rp.extended_mask, 1u << ATT_THINHV_PCR);
	/* A bank the log lacks cannot be replayed. */
	CU_ASSERT_EQUAL(att_log_replay(buf, len, ATT_ALG_SHA384,
				       att_sodium_hash2, NULL, &rp, &err),
			-ENOENT);
	/* Changing one SHA-256 digest byte changes the replayed value. */
	buf[len - att_log_record_size(&log, 8 + strlen(ATT_TAG_STR_ISOLATION)) +
	    12 + 22 + 2] ^= 1;
	CU_ASSERT_EQUAL(att_log_replay(buf, len, ATT_ALG_SHA256,
				       att_sodium_hash2, NULL, &rp, &err),
			0);
	CU_ASSERT(memcmp(rp.pcr[ATT_THINHV_PCR], pcr, 32) != 0);
}

static int offsets_cb(void *ctx, const struct att_event *ev)
{
	size_t *offs = ctx;

	offs[offs[0]++ + 1] = ev->offset;
	return 0;
}

/* Every prefix is refused unless it ends on a record boundary. */
static void test_truncation(void)
{
	uint8_t buf[1024];
	struct att_log log;
	struct att_err err = { 0, NULL };
	size_t len = build_log(buf, sizeof(buf), &log);
	size_t offs[8] = { 0 };

	CU_ASSERT_EQUAL_FATAL(
	    att_log_parse(buf, len, NULL, offsets_cb, offs, &err), 0);
	CU_ASSERT_EQUAL_FATAL(offs[0], 3);
	CU_ASSERT_EQUAL(offs[1], 32 + 28 + 2 * 4 + 1); /* after Spec ID */
	for (size_t cut = 0; cut < len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		bool boundary =
		    cut == offs[1] || cut == offs[2] || cut == offs[3];
		int rc;

		memcpy(copy, buf, cut);
		err.offset = (size_t)-1;
		err.what = NULL;
		rc = att_log_parse(copy, cut, NULL, NULL, NULL, &err);
		CU_ASSERT_EQUAL(rc == 0, boundary);
		if (rc) {
			CU_ASSERT(err.what != NULL);
			CU_ASSERT(err.offset <= cut);
		}
		free(copy);
	}
}

static void expect_refused(uint8_t *buf, size_t len, size_t off,
			   const char *what)
{
	struct att_err err = { 0, NULL };

	CU_ASSERT_EQUAL(att_log_parse(buf, len, NULL, NULL, NULL, &err),
			-EINVAL);
	CU_ASSERT_EQUAL(err.offset, off);
	CU_ASSERT_PTR_NOT_NULL_FATAL(err.what);
	if (!strstr(err.what, what))
		fprintf(stderr, "\n  got '%s' want '%s'\n", err.what, what);
	CU_ASSERT(strstr(err.what, what) != NULL);
}

static void test_hostile(void)
{
	uint8_t good[1024], b[1024];
	struct att_log log;
	size_t len = build_log(good, sizeof(good), &log);
	size_t hdr = 32 + 28 + 8 + 1, r0 = hdr;

#define FRESH() memcpy(b, good, len)
	FRESH();
	memcpy(b + 32, "Spec ID Event02", 15);
	expect_refused(b, len, 32, "legacy");
	FRESH();
	hv_put_le32(b + 4, 1);
	expect_refused(b, len, 0, "EV_NO_ACTION");
	FRESH();
	hv_put_le32(b + 28, 0x7fffffff);
	expect_refused(b, len, 28, "past the end");
	FRESH();
	hv_put_le32(b + 32 + 24, 0);
	expect_refused(b, len, 32 + 24, "no algorithm");
	FRESH();
	hv_put_le16(b + 32 + 28 + 4, ATT_ALG_SHA1); /* SHA-1 listed twice */
	hv_put_le16(b + 32 + 28 + 6, 20);
	expect_refused(b, len, 32 + 28 + 4, "twice");
	FRESH();
	hv_put_le16(b + 32 + 28 + 2, 21); /* SHA-1 with 21-byte digests */
	expect_refused(b, len, 32 + 28 + 2, "digest size");
	FRESH();
	hv_put_le32(b + r0, 24);
	expect_refused(b, len, r0, "PCR index");
	FRESH();
	hv_put_le32(b + r0 + 8, 1);
	expect_refused(b, len, r0 + 8, "digest count");
	FRESH();
	hv_put_le16(b + r0 + 12, ATT_ALG_SHA512);
	expect_refused(b, len, r0 + 12, "not in the Spec ID");
	FRESH();
	hv_put_le16(b + r0 + 12 + 22, ATT_ALG_SHA1); /* repeated alg */
	expect_refused(b, len, r0 + 12 + 22, "repeated");
	FRESH();
	hv_put_le32(b + r0 + 12 + 22 + 34, 0xfffffff0u); /* eventSize */
	expect_refused(b, len, r0 + 12 + 22 + 34, "runs past");
	{
		/* A count near 2^32 must not overflow the bounds check. */
		struct att_err err = { 0, NULL };

		FRESH();
		hv_put_le32(b + 32 + 24, 0xffffffffu);
		CU_ASSERT_EQUAL(att_log_parse(b, len, NULL, NULL, NULL, &err),
				-E2BIG);
	}
#undef FRESH
}

static void test_tag_checks(void)
{
	uint8_t data[64];
	struct att_event ev;
	struct att_err err = { 0, NULL };
	uint32_t tag;

	memset(&ev, 0, sizeof(ev));
	ev.type = TCG_EV_EVENT_TAG;
	ev.data = data;
	hv_put_le32(data, ATT_TAG_POLICY);
	hv_put_le32(data + 4, 13);
	memcpy(data + 8, "thinhv:policy", 13);
	ev.data_len = 21;
	CU_ASSERT_EQUAL(att_event_tag(&ev, &tag, &err), 0);
	CU_ASSERT_EQUAL(tag, ATT_TAG_POLICY);
	/* the name of another tag under this ID */
	memcpy(data + 8, "thinhv:hyperv", 13);
	CU_ASSERT_EQUAL(att_event_tag(&ev, &tag, &err), -EINVAL);
	memcpy(data + 8, "thinhv:policy", 13);
	hv_put_le32(data + 4, 12);
	CU_ASSERT_EQUAL(att_event_tag(&ev, &tag, &err), -EINVAL);
	hv_put_le32(data + 4, 13);
	hv_put_le32(data, 0x74680009);
	CU_ASSERT_EQUAL(att_event_tag(&ev, &tag, &err), -EINVAL);
	ev.data_len = 7;
	CU_ASSERT_EQUAL(att_event_tag(&ev, &tag, &err), -EINVAL);
	ev.type = TCG_EV_IPL;
	CU_ASSERT_EQUAL(att_event_tag(&ev, &tag, &err), -EINVAL);
}

/* A firmware-style log: StartupLocality 3 sets PCR 0's initial value. */
static void test_startup_locality(void)
{
	const struct att_bank b = { ATT_ALG_SHA256, 32 };
	uint8_t buf[512], sl[17], d[32], init[32] = { 0 }, tmp[64], want[32];
	const uint8_t *dp[1] = { d };
	struct att_replay rp = { 0 };
	struct att_err err = { 0, NULL };
	struct att_log log;
	static const uint8_t zero[32];

	CU_ASSERT_EQUAL_FATAL(att_log_init(&log, buf, sizeof(buf), &b, 1), 0);
	memcpy(sl, "StartupLocality", 16);
	sl[16] = 3;
	CU_ASSERT_EQUAL(
	    att_log_append(&log, 0, TCG_EV_NO_ACTION, &dp[0], sl, sizeof(sl)),
	    0);
	memset(d, 0xab, sizeof(d));
	CU_ASSERT_EQUAL(att_log_append(&log, 0, TCG_EV_POST_CODE, dp, "x", 1),
			0);
	CU_ASSERT_EQUAL(att_log_replay(buf, log.len, ATT_ALG_SHA256,
				       att_sodium_hash2, NULL, &rp, &err),
			0);
	init[31] = 3;
	memcpy(tmp, init, 32);
	memcpy(tmp + 32, d, 32);
	crypto_hash_sha256(want, tmp, 64);
	CU_ASSERT(memcmp(rp.pcr[0], want, 32) == 0);
	CU_ASSERT(memcmp(rp.pcr[1], zero, 32) == 0);
	/* A second StartupLocality event is refused. */
	CU_ASSERT_EQUAL(
	    att_log_append(&log, 0, TCG_EV_NO_ACTION, dp, sl, sizeof(sl)), 0);
	CU_ASSERT_EQUAL(att_log_replay(buf, log.len, ATT_ALG_SHA256,
				       att_sodium_hash2, NULL, &rp, &err),
			-EINVAL);
}

static void make_bundle(uint8_t **out, size_t *len, bool with_fw)
{
	struct att_evidence ev;

	memset(&ev, 0, sizeof(ev));
	for (unsigned int t = 1; t <= ATT_PART_MAX; t++) {
		if (t == ATT_PART_FW_LOG && !with_fw)
			continue;
		ev.part[t].p = (const uint8_t *)"0123456789abcdef";
		ev.part[t].len = t; /* distinct lengths 1..9 */
		ev.part[t].present = true;
	}
	CU_ASSERT_EQUAL_FATAL(att_evidence_build(&ev, out, len), 0);
}

static void test_evidence_container(void)
{
	struct att_evidence ev;
	struct att_err err = { 0, NULL };
	uint8_t *b, *copy;
	size_t len;

	make_bundle(&b, &len, true);
	CU_ASSERT_EQUAL(len, 16 + 9 * 8 + 45);
	CU_ASSERT_EQUAL(att_evidence_parse(b, len, &ev, &err), 0);
	for (unsigned int t = 1; t <= ATT_PART_MAX; t++) {
		CU_ASSERT(ev.part[t].present);
		CU_ASSERT_EQUAL(ev.part[t].len, t);
	}
	/* Every truncation is refused with an offset inside the input. */
	for (size_t cut = 0; cut < len; cut++) {
		copy = malloc(cut ? cut : 1);
		memcpy(copy, b, cut);
		err.what = NULL;
		CU_ASSERT_EQUAL(att_evidence_parse(copy, cut, &ev, &err),
				-EINVAL);
		CU_ASSERT(err.what && err.offset <= cut);
		free(copy);
	}
	/* trailing byte */
	copy = malloc(len + 1);
	memcpy(copy, b, len);
	copy[len] = 0;
	CU_ASSERT_EQUAL(att_evidence_parse(copy, len + 1, &ev, &err), -EINVAL);
	CU_ASSERT_EQUAL(err.offset, len);
	free(copy);
	/* unknown type, flags, duplicates, zero length */
	b[16] = 0x63;
	CU_ASSERT_EQUAL(att_evidence_parse(b, len, &ev, &err), -EINVAL);
	CU_ASSERT_EQUAL(err.offset, 16);
	b[16] = 1;
	b[18] = 1;
	CU_ASSERT_EQUAL(att_evidence_parse(b, len, &ev, &err), -EINVAL);
	CU_ASSERT_EQUAL(err.offset, 18);
	b[18] = 0;
	b[16 + 9] = 1; /* second record claims type 1 too */
	CU_ASSERT_EQUAL(att_evidence_parse(b, len, &ev, &err), -EINVAL);
	CU_ASSERT_EQUAL(err.offset, 16 + 9);
	CU_ASSERT(strstr(err.what, "repeated") != NULL);
	b[16 + 9] = 2;
	memcpy(b, "THVEVID\1", 8);
	CU_ASSERT_EQUAL(att_evidence_parse(b, len, &ev, &err), -EINVAL);
	CU_ASSERT_EQUAL(err.offset, 0);
	free(b);
	/* no firmware log: still valid (optional) */
	make_bundle(&b, &len, false);
	CU_ASSERT_EQUAL(att_evidence_parse(b, len, &ev, &err), 0);
	CU_ASSERT(!ev.part[ATT_PART_FW_LOG].present);
	free(b);
}

static void test_pcr_values(void)
{
	struct att_pcr_values pv, back;
	struct att_err err = { 0, NULL };
	uint8_t *buf;
	size_t len;

	memset(&pv, 0, sizeof(pv));
	pv.alg = ATT_ALG_SHA256;
	pv.size = 32;
	pv.count = 3;
	pv.index[0] = 0;
	pv.index[1] = 7;
	pv.index[2] = 12;
	memset(pv.value[2], 0x5a, 32);
	CU_ASSERT_EQUAL_FATAL(att_pcrs_encode(&pv, &buf, &len), 0);
	CU_ASSERT_EQUAL(len, 8 + 3 * 36);
	CU_ASSERT_EQUAL(att_pcrs_parse(buf, len, &back, &err), 0);
	CU_ASSERT_EQUAL(back.count, 3);
	CU_ASSERT(att_pcrs_get(&back, 12) &&
		  att_pcrs_get(&back, 12)[31] == 0x5a);
	CU_ASSERT_PTR_NULL(att_pcrs_get(&back, 11));
	hv_put_le32(buf + 8 + 36, 0); /* 0 after 0: not ascending */
	CU_ASSERT_EQUAL(att_pcrs_parse(buf, len, &back, &err), -EINVAL);
	CU_ASSERT_EQUAL(err.offset, 8 + 36);
	hv_put_le32(buf + 8 + 36, 24);
	CU_ASSERT_EQUAL(att_pcrs_parse(buf, len, &back, &err), -EINVAL);
	hv_put_le32(buf + 8 + 36, 7);
	CU_ASSERT_EQUAL(att_pcrs_parse(buf, len - 1, &back, &err), -EINVAL);
	hv_put_le16(buf + 2, 20); /* SHA-256 with 20-byte values */
	CU_ASSERT_EQUAL(att_pcrs_parse(buf, len, &back, &err), -EINVAL);
	free(buf);
}

static void test_report_canonical(void)
{
	static const char *const good[] = {
		"{}",
		"{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"x\"}}",
		"{\"a\":-5,\"ab\":0,\"b\":\"\\n\\u001f\\\"\"}",
		"{\"k\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"}",
	};
	static const struct {
		const char *s;
		size_t off;
	} bad[] = {
		{ "{ }", 1 },
		{ "{\"b\":1,\"a\":2}", 8 },
		{ "{\"a\":1,\"a\":2}", 8 },
		{ "{\"a\":1.5}", 6 },
		{ "{\"a\":01}", 6 },
		{ "{\"a\":-0}", 6 },
		{ "{\"a\":\"\\/\"}", 7 },
		{ "{\"a\":\"\\u0041\"}", 7 },
		{ "{\"a\":\"\xc0\xaf\"}", 6 },
		{ "{\"a\":\"\xed\xa0\x80\"}", 6 },
		{ "{\"a\":1}\n", 7 },
		{ "[1]", 0 },
		{ "{\"a\":tru}", 5 },
		{ "{\"a\":\"x", 7 },
	};
	struct att_err err = { 0, NULL };
	char deep[200];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		int rc = att_report_check((const uint8_t *)good[i],
					  strlen(good[i]), &err);
		if (rc)
			fprintf(stderr, "\n  good[%zu] refused at %zu: %s\n", i,
				err.offset, err.what);
		CU_ASSERT_EQUAL(rc, 0);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.offset = 999;
		CU_ASSERT_EQUAL(att_report_check((const uint8_t *)bad[i].s,
						 strlen(bad[i].s), &err),
				-EINVAL);
		if (err.offset != bad[i].off)
			fprintf(stderr, "\n  bad[%zu] offset %zu want %zu\n", i,
				err.offset, bad[i].off);
		CU_ASSERT_EQUAL(err.offset, bad[i].off);
	}
	/* 40 nested arrays: refused for depth, no stack exhaustion */
	strcpy(deep, "{\"a\":");
	for (int i = 0; i < 40; i++)
		strcat(deep, "[");
	CU_ASSERT_EQUAL(
	    att_report_check((const uint8_t *)deep, strlen(deep), &err),
	    -EINVAL);
	CU_ASSERT(strstr(err.what, "deep") != NULL);
}

static void test_report_canonicalize(void)
{
	static const char pretty[] =
	    "{\n  \"z\": [1, -2, {\"b\": \"\\u00e9\\ud83d\\ude00\\/x\", "
	    "\"a\": null}],\n  \"a\": \"tab\\there\\u0001\",\r\n"
	    "\t\"ab\": {}, \"b\": [ ]\n}\n";
	static const char want[] =
	    "{\"a\":\"tab\\there\\u0001\",\"ab\":{},\"b\":[],\"z\":[1,-2,"
	    "{\"a\":null,\"b\":\"\xc3\xa9\xf0\x9f\x98\x80/x\"}]}";
	static const struct {
		const char *s;
		size_t off;
	} bad[] = {
		{ "{\"a\":1,\"\\u0061\":2}", 7 }, /* same key once decoded */
		{ "{\"a\":1.0}", 5 },
		{ "{\"a\":-0}", 5 },
		{ "{\"a\":01}", 5 },
		{ "{\"a\":\"\\ud800\"}", 6 },
		{ "{\"a\":\"\\udc00\"}", 6 },
		{ "{\"a\":\"\\x\"}", 6 },
		{ "{\"a\":\"\xff\"}", 6 },
		{ "{\"a\":1} x", 8 },
		{ "[]", 0 },
		{ "{\"a\" 1}", 5 },
	};
	struct att_err err = { 0, NULL };
	uint8_t *out = NULL, *again = NULL;
	size_t n = 0, n2 = 0;

	CU_ASSERT_EQUAL_FATAL(att_report_canonicalize((const uint8_t *)pretty,
						      strlen(pretty), &out, &n,
						      &err),
			      0);
	CU_ASSERT_EQUAL(n, strlen(want));
	CU_ASSERT(n == strlen(want) && memcmp(out, want, n) == 0);
	if (n != strlen(want) || memcmp(out, want, n))
		fprintf(stderr, "\n  got %.*s\n", (int)n, out);
	CU_ASSERT_EQUAL(att_report_check(out, n, &err), 0);
	/* canonical input is a fixed point */
	CU_ASSERT_EQUAL(att_report_canonicalize(out, n, &again, &n2, &err), 0);
	CU_ASSERT(n2 == n && again && memcmp(again, out, n) == 0);
	free(out);
	free(again);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.offset = 999;
		CU_ASSERT_EQUAL(
		    att_report_canonicalize((const uint8_t *)bad[i].s,
					    strlen(bad[i].s), &out, &n, &err),
		    -EINVAL);
		CU_ASSERT_PTR_NULL(out);
		if (err.offset != bad[i].off)
			fprintf(stderr,
				"\n  canon bad[%zu] offset %zu want %zu (%s)\n",
				i, err.offset, bad[i].off, err.what);
		CU_ASSERT_EQUAL(err.offset, bad[i].off);
	}
}

/*
 * Keys that extend another by a byte below '"' (' ', '!'): the
 * canonicalizer and the validator must agree on their order, or
 * `thinhv attest` binds a report the verifier calls non-canonical.
 */
static void test_report_key_order_agrees(void)
{
	static const char *const canon[] = {
		"{\"a\":1,\"a \":2,\"a!\":3,\"ab\":4}",
		"{\"k\":{\"x\":1,\"x!\":2}}",
	};
	static const char shuffled[] = "{\"a!\":3,\"ab\":4,\"a \":2,\"a\":1}";
	struct att_err err = { 0, NULL };
	uint8_t *out = NULL;
	size_t n = 0;

	for (size_t i = 0; i < sizeof(canon) / sizeof(canon[0]); i++) {
		size_t len = strlen(canon[i]);

		CU_ASSERT_EQUAL(
		    att_report_check((const uint8_t *)canon[i], len, &err), 0);
		CU_ASSERT_EQUAL_FATAL(
		    att_report_canonicalize((const uint8_t *)canon[i], len,
					    &out, &n, &err),
		    0);
		CU_ASSERT(n == len && !memcmp(out, canon[i], len));
		if (n != len || memcmp(out, canon[i], len))
			fprintf(stderr, "\n  canonical %s became %.*s\n",
				canon[i], (int)n, out);
		free(out);
		out = NULL;
	}
	CU_ASSERT_EQUAL_FATAL(att_report_canonicalize((const uint8_t *)shuffled,
						      strlen(shuffled), &out,
						      &n, &err),
			      0);
	CU_ASSERT(n == strlen(canon[0]) && !memcmp(out, canon[0], n));
	CU_ASSERT_EQUAL(att_report_check(out, n, &err), 0);
	free(out);
	CU_ASSERT(att_canon_key_cmp((const uint8_t *)"a", 1,
				    (const uint8_t *)"a!", 2) < 0);
	CU_ASSERT(att_canon_key_cmp((const uint8_t *)"a!", 2,
				    (const uint8_t *)"a", 1) > 0);
}

static void test_isolation_encoding(void)
{
	static const uint8_t want[] = {
		'T',
		'H',
		'V',
		'I',
		'S',
		'O',
		'0',
		'1',
		2,
		0,
		0,
		0,
		1,
		0,
		0,
		0,
		/* 0000:00:02.0 domain 1 flags 0 */
		0,
		0,
		0,
		0x10,
		1,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		/* 0000:03:00.1 domain 7 flags 5 */
		0,
		0,
		3,
		0x01,
		7,
		0,
		0,
		0,
		5,
		0,
		0,
		0,
		/* [0x1000, +0x2000) kind 3 access 0 */
		0,
		0x10,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
		0x20,
		0,
		0,
		0,
		0,
		0,
		0,
		3,
		0,
		0,
		0,
		0,
		0,
		0,
		0,
	};
	struct att_iso_device dev[2] = { { 0, 0, 0x10, 1, 0 },
					 { 0, 3, 0x01, 7, 5 } };
	struct att_iso_range rng[1] = { { 0x1000, 0x2000, 3, 0 } };
	uint8_t out[128];
	size_t len = 0;

	CU_ASSERT_EQUAL(att_isolation_size(2, 1), sizeof(want));
	CU_ASSERT_EQUAL(
	    att_isolation_encode(dev, 2, rng, 1, out, sizeof(out), &len), 0);
	CU_ASSERT_EQUAL(len, sizeof(want));
	CU_ASSERT(memcmp(out, want, sizeof(want)) == 0);
	CU_ASSERT_EQUAL(
	    att_isolation_encode(dev, 2, rng, 1, out, sizeof(want) - 1, &len),
	    -ENOSPC);
	/* one state, one encoding: unsorted or duplicate input is refused */
	dev[1].bus = 0;
	dev[1].devfn = 0x10;
	CU_ASSERT_EQUAL(
	    att_isolation_encode(dev, 2, rng, 1, out, sizeof(out), &len),
	    -EINVAL);
	dev[1].devfn = 0x08;
	CU_ASSERT_EQUAL(
	    att_isolation_encode(dev, 2, rng, 1, out, sizeof(out), &len),
	    -EINVAL);
	rng[0].len = 0;
	CU_ASSERT_EQUAL(
	    att_isolation_encode(dev, 1, rng, 1, out, sizeof(out), &len),
	    -EINVAL);
	rng[0].base = ~0ull - 4;
	rng[0].len = 16;
	CU_ASSERT_EQUAL(
	    att_isolation_encode(dev, 1, rng, 1, out, sizeof(out), &len),
	    -EINVAL);
	CU_ASSERT_EQUAL(
	    att_isolation_encode(NULL, 0, NULL, 0, out, sizeof(out), &len), 0);
	CU_ASSERT_EQUAL(len, ATT_ISO_HDR_SIZE);
}

static void test_reference_file(void)
{
	char path[] = "/tmp/thinhv-ref-XXXXXX", why[256];
	struct att_reference ref;
	FILE *f;
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	f = fdopen(fd, "w");
	fprintf(f,
		"# reference\n\nhypervisor sha256:%064x\n"
		"policy   sha256:%064d\npcr7 sha256:%064d\n",
		0xab, 0, 7);
	fclose(f);
	CU_ASSERT_EQUAL(att_reference_load(path, &ref, why, sizeof(why)), 0);
	CU_ASSERT(ref.have_hypervisor && ref.have_policy &&
		  !ref.have_isolation);
	CU_ASSERT_EQUAL(ref.hypervisor[31], 0xab);
	CU_ASSERT_EQUAL(ref.pcr_mask, 1u << 7);
	f = fopen(path, "a");
	fprintf(f, "policy sha256:%064d\n", 1); /* repeated on line 6 */
	fclose(f);
	CU_ASSERT_EQUAL(att_reference_load(path, &ref, why, sizeof(why)),
			-EINVAL);
	CU_ASSERT(strstr(why, ":6:") != NULL);
	f = fopen(path, "w");
	fprintf(f, "hypervisor sha256:abc\n");
	fclose(f);
	CU_ASSERT_EQUAL(att_reference_load(path, &ref, why, sizeof(why)),
			-EINVAL);
	CU_ASSERT(strstr(why, ":1:") != NULL);
	unlink(path);
}

/* Real data: SeaBIOS's log replays to the PCRs the guest kernel read. */
static void test_seabios_golden(void)
{
	char path[512], line[256];
	struct att_replay rp = { 0 };
	struct att_log_info info;
	struct att_err err = { 0, NULL };
	uint8_t *log, want[32];
	size_t len, bl;
	unsigned int seen = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/data/attest/seabios-fw.log",
		 unit_srcdir());
	CU_ASSERT_EQUAL_FATAL(att_read_file(path, 1 << 20, &log, &len), 0);
	CU_ASSERT_EQUAL(att_log_parse(log, len, &info, NULL, NULL, &err), 0);
	CU_ASSERT_EQUAL(info.nbanks, 4);
	CU_ASSERT(info.nevents > 8);
	CU_ASSERT_EQUAL(att_log_replay(log, len, ATT_ALG_SHA256,
				       att_sodium_hash2, NULL, &rp, &err),
			0);
	snprintf(path, sizeof(path), "%s/tests/data/attest/seabios-pcrs.txt",
		 unit_srcdir());
	f = fopen(path, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	while (fgets(line, sizeof(line), f)) {
		unsigned int idx;
		char hex[80];

		CU_ASSERT_FATAL(sscanf(line, "%u %79s", &idx, hex) == 2 &&
				idx < 8);
		CU_ASSERT_FATAL(sodium_hex2bin(want, 32, hex, strlen(hex), NULL,
					       &bl, NULL) == 0 &&
				bl == 32);
		CU_ASSERT(memcmp(rp.pcr[idx], want, 32) == 0);
		seen |= 1u << idx;
	}
	fclose(f);
	CU_ASSERT_EQUAL(seen, 0xff);
	/* every truncation of real data is refused or stops on a boundary,
	 * never read past the end (ASan) */
	for (size_t cut = 0; cut < len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);

		memcpy(copy, log, cut);
		if (att_log_parse(copy, cut, NULL, NULL, NULL, &err))
			CU_ASSERT(err.offset <= cut);
		free(copy);
	}
	free(log);
}

static int att_log_init_suite(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

UNIT_SUITE(att_log, att_log_init_suite, NULL, UNIT_TEST(test_spec_id_bytes),
	   UNIT_TEST(test_roundtrip_replay), UNIT_TEST(test_truncation),
	   UNIT_TEST(test_hostile), UNIT_TEST(test_tag_checks),
	   UNIT_TEST(test_startup_locality), UNIT_TEST(test_evidence_container),
	   UNIT_TEST(test_pcr_values), UNIT_TEST(test_report_canonical),
	   UNIT_TEST(test_report_canonicalize),
	   UNIT_TEST(test_report_key_order_agrees),
	   UNIT_TEST(test_isolation_encoding), UNIT_TEST(test_reference_file),
	   UNIT_TEST(test_seabios_golden))
