// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_policy_blob.c - policy matching, precedence and the blob validator
 * fed truncated, garbage and overflowing blobs (host unit tests).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "policy/lib/policy.h"

#define HOFF(f) offsetof(struct pol_blob_header, f)
#define ROFF(f) offsetof(struct pol_blob_rule, f)
#define WOFF(f) offsetof(struct pol_blob_window, f)

/* Compile a policy given as text; CU-fails and returns -1 on error. */
static int compile_str(const char *xml, struct pol_compiled *c)
{
	struct pol_err e = { { 0 } };
	struct pol_policy p;
	int ret;

	ret = pol_xml_parse(xml, strlen(xml), "t.xml", &p, &e);
	if (!ret) {
		ret = pol_compile(&p, NULL, c, &e);
		pol_policy_free(&p);
	}
	if (ret)
		fprintf(stderr, "\ncompile failed: %s\n", e.msg);
	CU_ASSERT_EQUAL(ret, 0);
	return ret ? -1 : 0;
}

static const char lab_xml[] =
    "<policy version=\"1\">\n"
    "<rule name=\"edu-a\"><match bdf=\"0000:00:04.0\" id=\"1234:11e8\"/>"
    "<window><range base=\"0x2000000\" size=\"16M\" access=\"rw\"/>"
    "</window></rule>\n"
    "<rule name=\"edu-b\"><match bdf=\"0000:00:05.0\" id=\"1234:11e8\"/>"
    "<deny/></rule>\n"
    "<rule name=\"edu-other\"><match bdf=\"0000:00:*.*\" "
    "id=\"1234:11e8\"/><deny/></rule>\n"
    "<rule name=\"bus0\"><match bdf=\"0000:00:*.*\"/><identity/></rule>\n"
    "<rule name=\"storage\"><match class=\"01\"/><identity/></rule>\n"
    "<rule name=\"ahci\"><match class=\"01:06:01\"/><window>"
    "<range base=\"1M\" size=\"1M\" access=\"ro\"/></window></rule>\n"
    "<default><deny/></default>\n"
    "</policy>\n";

static struct pol_dev_id dev(unsigned int bus, unsigned int d, unsigned int fn,
			     uint16_t ven, uint16_t did, uint32_t cls)
{
	struct pol_dev_id x;

	memset(&x, 0, sizeof(x));
	x.bus = (uint8_t)bus;
	x.device = (uint8_t)d;
	x.function = (uint8_t)fn;
	x.vendor = ven;
	x.device_id = did;
	x.class_code = (uint8_t)(cls >> 16);
	x.subclass = (uint8_t)(cls >> 8);
	x.prog_if = (uint8_t)cls;
	return x;
}

static const char *matched_name(const struct pol_blob_view *v,
				const struct pol_dev_id *d, char *buf)
{
	struct pol_rule_info r;
	int i = pol_match(v, d);

	if (i == POL_RULE_DEFAULT)
		return "<default>";
	CU_ASSERT_EQUAL_FATAL(pol_rule_get(v, (uint32_t)i, &r), 0);
	memcpy(buf, r.name, POL_NAME_LEN);
	return buf;
}

static void test_specificity_tiers(void)
{
	CU_ASSERT_EQUAL(pol_specificity(0), 0);
	CU_ASSERT_EQUAL(pol_specificity(POL_M_LOCATION), 4 * 256);
	CU_ASSERT_EQUAL(pol_specificity(POL_M_VENDOR | POL_M_DEVICE_ID), 64);
	CU_ASSERT_EQUAL(pol_specificity(POL_M_CLASS | POL_M_SUBCLASS), 8);
	/* One location field outranks every id and class field together. */
	CU_ASSERT(pol_specificity(POL_M_BUS) >
		  pol_specificity(POL_M_IDS | POL_M_CLASSES));
	CU_ASSERT(pol_specificity(POL_M_SUBDEVICE) >
		  pol_specificity(POL_M_CLASSES));
}

static void test_overlap(void)
{
	struct pol_rule_info a, b;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.match = POL_M_VENDOR;
	a.id.vendor = 0x8086;
	b.match = POL_M_DEVICE_ID;
	b.id.device_id = 0x1234;
	CU_ASSERT(pol_rules_overlap(&a, &b)); /* 8086:1234 fits both */
	b.match |= POL_M_VENDOR;
	b.id.vendor = 0x10de;
	CU_ASSERT(!pol_rules_overlap(&a, &b)); /* vendors differ */
	b.id.vendor = 0x8086;
	CU_ASSERT(pol_rules_overlap(&a, &b));
}

static void test_match_precedence(void)
{
	struct pol_compiled c;
	struct pol_blob_view v;
	struct pol_dev_id d;
	char nb[POL_NAME_LEN];
	uint16_t act;
	uint32_t first, count;
	struct pol_window_info w;

	if (compile_str(lab_xml, &c))
		return;
	CU_ASSERT_EQUAL_FATAL(pol_blob_decode(c.blob, c.len, &v, NULL), 0);

	d = dev(0, 4, 0, 0x1234, 0x11e8, 0x00ff00);
	CU_ASSERT_STRING_EQUAL(matched_name(&v, &d, nb), "edu-a");
	pol_verdict(&v, pol_match(&v, &d), &act, &first, &count);
	CU_ASSERT_EQUAL(act, POL_ACTION_WINDOW);
	CU_ASSERT_EQUAL(count, 1);
	CU_ASSERT_EQUAL(pol_window_get(&v, first, &w), 0);
	CU_ASSERT_EQUAL(w.base, 0x2000000);
	CU_ASSERT_EQUAL(w.size, 16 << 20);
	CU_ASSERT_EQUAL(w.flags, POL_WIN_READ | POL_WIN_WRITE);

	d = dev(0, 5, 0, 0x1234, 0x11e8, 0x00ff00);
	CU_ASSERT_STRING_EQUAL(matched_name(&v, &d, nb), "edu-b");
	/* edu elsewhere on bus 0: bdf+id (576) beats bus 0 alone (512). */
	d = dev(0, 6, 0, 0x1234, 0x11e8, 0x00ff00);
	CU_ASSERT_STRING_EQUAL(matched_name(&v, &d, nb), "edu-other");
	/* Same address as edu A but another device: A's rule needs the id. */
	d = dev(0, 4, 0, 0x1af4, 0x1000, 0x020000);
	CU_ASSERT_STRING_EQUAL(matched_name(&v, &d, nb), "bus0");
	/* Storage on bus 0: location (512) beats class (4). */
	d = dev(0, 3, 0, 0x1af4, 0x1001, 0x010000);
	CU_ASSERT_STRING_EQUAL(matched_name(&v, &d, nb), "bus0");
	d = dev(1, 0, 0, 0x1af4, 0x1001, 0x010000);
	CU_ASSERT_STRING_EQUAL(matched_name(&v, &d, nb), "storage");
	/* class:subclass:prog-if (12) beats class (4). */
	d = dev(1, 0, 0, 0x8086, 0x2922, 0x010601);
	CU_ASSERT_STRING_EQUAL(matched_name(&v, &d, nb), "ahci");
	/* Nothing matches: the default (deny). */
	d = dev(2, 0, 0, 0x1234, 0x11e8, 0x00ff00);
	CU_ASSERT_STRING_EQUAL(matched_name(&v, &d, nb), "<default>");
	pol_verdict(&v, POL_RULE_DEFAULT, &act, &first, &count);
	CU_ASSERT_EQUAL(act, POL_ACTION_DENY);
	CU_ASSERT_EQUAL(count, 0);
	/* Another segment: bdf rules with segment 0000 no longer apply. */
	d = dev(0, 4, 0, 0x1234, 0x11e8, 0x00ff00);
	d.segment = 1;
	CU_ASSERT_STRING_EQUAL(matched_name(&v, &d, nb), "<default>");
	/* Misuse fails closed. */
	CU_ASSERT_NOT_EQUAL(pol_verdict(&v, 9999, &act, &first, &count), 0);
	CU_ASSERT_EQUAL(act, POL_ACTION_DENY);
	pol_compiled_free(&c);
}

static void test_tie_is_error(void)
{
	static const char xml[] =
	    "<policy version=\"1\">\n"
	    "<rule name=\"a\"><match class=\"02\"/><identity/></rule>\n"
	    "<rule name=\"b\"><match class=\"*:00\"/><deny/></rule>\n"
	    "<default><deny/></default></policy>\n";
	static const char ok[] =
	    "<policy version=\"1\">\n"
	    "<rule name=\"a\"><match class=\"02\"/><identity/></rule>\n"
	    "<rule name=\"b\"><match class=\"03\"/><deny/></rule>\n"
	    "<default><deny/></default></policy>\n";
	struct pol_err e = { { 0 } };
	struct pol_policy p;
	struct pol_compiled c;

	CU_ASSERT_EQUAL_FATAL(pol_xml_parse(xml, strlen(xml), "t.xml", &p, &e),
			      0);
	CU_ASSERT_NOT_EQUAL(pol_compile(&p, NULL, &c, &e), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(e.msg,
				      "t.xml:2: rule 'a' and t.xml:3: "
				      "rule 'b' have equal specificity"));
	pol_policy_free(&p);
	/* Same specificity but disjoint values: fine. */
	if (!compile_str(ok, &c))
		pol_compiled_free(&c);
}

/* A forged blob with a tie (not producible by the compiler) is refused by
 * the validator itself: the kernel does not trust the compiler. */
static void test_validator_refuses_tie(void)
{
	static const char ok[] =
	    "<policy version=\"1\">\n"
	    "<rule name=\"a\"><match class=\"02\"/><identity/></rule>\n"
	    "<rule name=\"b\"><match class=\"03\"/><deny/></rule>\n"
	    "<default><deny/></default></policy>\n";
	struct pol_compiled c;
	struct pol_blob_view v;
	struct pol_blob_err err = { 0, NULL };

	if (compile_str(ok, &c))
		return;
	CU_ASSERT_EQUAL(pol_blob_decode(c.blob, c.len, &v, &err), 0);
	/* Rule b (second) now also says class 02. */
	c.blob[POL_HEADER_SIZE + POL_RULE_SIZE + ROFF(class_code)] = 0x02;
	CU_ASSERT_NOT_EQUAL(pol_blob_decode(c.blob, c.len, &v, &err), 0);
	CU_ASSERT_EQUAL(err.offset, POL_HEADER_SIZE + POL_RULE_SIZE);
	CU_ASSERT_PTR_NOT_NULL(err.what ? strstr(err.what, "equal specificity")
					: NULL);
	pol_compiled_free(&c);
}

static void test_window_merge_canonical(void)
{
	/* Split, unsorted, adjacent ranges compile to one window. */
	static const char a[] =
	    "<policy version=\"1\"><rule name=\"x\"><match bdf=\"00:01.0\"/>"
	    "<window><range base=\"0x3000\" size=\"4K\" access=\"rw\"/>"
	    "<range base=\"0x1000\" size=\"8K\" access=\"rw\"/>"
	    "<range base=\"0x4000\" size=\"4K\" access=\"ro\"/></window>"
	    "</rule><default><deny/></default></policy>";
	static const char b[] =
	    "<policy version=\"1\"><rule name=\"x\"><match bdf=\"00:01.0\"/>"
	    "<window><range base=\"4K\" size=\"12K\" access=\"rw\"/>"
	    "<range base=\"16K\" size=\"4K\" access=\"ro\"/></window>"
	    "</rule><default><deny/></default></policy>";
	struct pol_compiled ca, cb;

	if (compile_str(a, &ca))
		return;
	if (!compile_str(b, &cb)) {
		CU_ASSERT_EQUAL(ca.len, cb.len);
		CU_ASSERT(ca.len == cb.len &&
			  !memcmp(ca.blob, cb.blob, ca.len));
		pol_compiled_free(&cb);
	}
	pol_compiled_free(&ca);
}

/* ---- validator: hostile blobs ------------------------------------------- */

static uint8_t *lab_blob(size_t *len)
{
	struct pol_compiled c;
	uint8_t *b;

	if (compile_str(lab_xml, &c))
		return NULL;
	b = malloc(c.len);
	if (b)
		memcpy(b, c.blob, c.len);
	*len = c.len;
	pol_compiled_free(&c);
	return b;
}

/* Decode a copy patched by fn; expect rejection at the given offset. */
static void expect_reject(const uint8_t *orig, size_t len,
			  void (*fn)(uint8_t *b), long want_off,
			  const char *want)
{
	uint8_t *b = malloc(len);
	struct pol_blob_view v;
	struct pol_blob_err err = { 0, NULL };

	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	memcpy(b, orig, len);
	fn(b);
	CU_ASSERT_NOT_EQUAL(pol_blob_decode(b, len, &v, &err), 0);
	CU_ASSERT_PTR_NOT_NULL(err.what);
	if (err.what && want && !strstr(err.what, want)) {
		fprintf(stderr, "\nwanted '%s', got '%s' at %u\n", want,
			err.what, err.offset);
		CU_FAIL("wrong validator message");
	}
	if (want_off >= 0)
		CU_ASSERT_EQUAL(err.offset, (uint32_t)want_off);
	free(b);
}

#define R0 POL_HEADER_SIZE /* first rule */
#define R1 (POL_HEADER_SIZE + POL_RULE_SIZE)

static size_t g_len;
static uint32_t g_woff; /* first window of the test blob */

static void m_magic(uint8_t *b)
{
	b[0] ^= 1;
}
static void m_version(uint8_t *b)
{
	hv_put_le32(b + HOFF(version), 2);
}
static void m_total(uint8_t *b)
{
	hv_put_le32(b + HOFF(total_size), (uint32_t)g_len - 1);
}
static void m_rules_huge(uint8_t *b)
{
	hv_put_le32(b + HOFF(rule_count), 0xffffffffU);
}
static void m_rules_overflow(uint8_t *b)
{
	/* Fits the limit, but 1024 rules cannot fit this blob. */
	hv_put_le32(b + HOFF(rule_count), POL_MAX_RULES);
}
static void m_windows_huge(uint8_t *b)
{
	hv_put_le32(b + HOFF(window_count), 0x0aaaaaabU);
}
static void m_woff(uint8_t *b)
{
	hv_put_le32(b + HOFF(windows_offset), 0xfffffff0U);
}
static void m_default_zero(uint8_t *b)
{
	hv_put_le16(b + HOFF(default_action), 0);
}
static void m_header_flags(uint8_t *b)
{
	hv_put_le32(b + HOFF(flags), 1);
}
static void m_header_reserved(uint8_t *b)
{
	hv_put_le32(b + HOFF(reserved1), 0x80000000U);
}
static void m_action_zero(uint8_t *b)
{
	hv_put_le16(b + R1 + ROFF(action), 0);
}
static void m_action_unknown(uint8_t *b)
{
	hv_put_le16(b + R1 + ROFF(action), 7);
}
static void m_name_unterminated(uint8_t *b)
{
	memset(b + R0, 'a', POL_NAME_LEN);
}
static void m_name_padding(uint8_t *b)
{
	b[R0 + POL_NAME_LEN - 1] = 'x';
}
static void m_name_chars(uint8_t *b)
{
	b[R0] = ' ';
}
static void m_match_unknown(uint8_t *b)
{
	hv_put_le32(b + R0 + ROFF(match),
		    hv_le32(b + R0 + ROFF(match)) | (1U << 20));
}
static void m_match_none(uint8_t *b)
{
	hv_put_le32(b + R0 + ROFF(match), 0);
}
static void m_wildcard_value(uint8_t *b)
{
	/* Rule 0 (edu-a) has no class: a class value is non-canonical. */
	b[R0 + ROFF(class_code)] = 2;
}
static void m_device_range(uint8_t *b)
{
	b[R0 + ROFF(device)] = 32;
}
static void m_specificity(uint8_t *b)
{
	hv_put_le16(b + R0 + ROFF(specificity), 0xffff);
}
static void m_rule_reserved(uint8_t *b)
{
	b[R0 + ROFF(reserved) + 15] = 1;
}
static void m_swap_rules(uint8_t *b)
{
	uint8_t t[POL_RULE_SIZE];

	/* Rules 2 and 3 (both no windows): only the order changes. */
	memcpy(t, b + R0 + 2 * POL_RULE_SIZE, POL_RULE_SIZE);
	memcpy(b + R0 + 2 * POL_RULE_SIZE, b + R0 + 3 * POL_RULE_SIZE,
	       POL_RULE_SIZE);
	memcpy(b + R0 + 3 * POL_RULE_SIZE, t, POL_RULE_SIZE);
}
static void m_win_count(uint8_t *b)
{
	hv_put_le32(b + R0 + ROFF(win_count), 0xffffffffU);
}
static void m_win_unaligned(uint8_t *b)
{
	hv_put_le64(b + g_woff + WOFF(base), 0x2000800);
}
static void m_win_zero(uint8_t *b)
{
	hv_put_le64(b + g_woff + WOFF(size), 0);
}
static void m_win_wrap(uint8_t *b)
{
	hv_put_le64(b + g_woff + WOFF(base), 0xfffffffffffff000ULL);
	hv_put_le64(b + g_woff + WOFF(size), 0x2000);
}
static void m_win_above(uint8_t *b)
{
	hv_put_le64(b + g_woff + WOFF(base), POL_PHYS_LIMIT - 0x1000);
	hv_put_le64(b + g_woff + WOFF(size), 0x2000);
}
static void m_win_flags(uint8_t *b)
{
	hv_put_le32(b + g_woff + WOFF(flags), POL_WIN_WRITE);
}
static void m_win_reserved(uint8_t *b)
{
	hv_put_le32(b + g_woff + WOFF(reserved), 1);
}

static void test_validator_mutations(void)
{
	uint8_t *b;
	size_t len;
	struct pol_blob_view v;
	struct pol_rule_info r;

	b = lab_blob(&len);
	if (!b)
		return;
	g_len = len;
	CU_ASSERT_EQUAL_FATAL(pol_blob_decode(b, len, &v, NULL), 0);
	/* Rule 0 must be edu-a (the window rule) for the window mutations. */
	CU_ASSERT_EQUAL_FATAL(pol_rule_get(&v, 0, &r), 0);
	CU_ASSERT_STRING_EQUAL_FATAL(r.name, "edu-a");
	g_woff = POL_HEADER_SIZE + v.rule_count * POL_RULE_SIZE;

	expect_reject(b, len, m_magic, 0, "magic");
	expect_reject(b, len, m_version, HOFF(version), "version");
	expect_reject(b, len, m_total, HOFF(total_size), "total size");
	expect_reject(b, len, m_rules_huge, HOFF(rule_count), "too many");
	expect_reject(b, len, m_rules_overflow, HOFF(rule_count),
		      "past the blob");
	expect_reject(b, len, m_windows_huge, HOFF(window_count), "too many");
	expect_reject(b, len, m_woff, HOFF(windows_offset), "windows");
	expect_reject(b, len, m_default_zero, HOFF(default_action),
		      "default action");
	expect_reject(b, len, m_header_flags, HOFF(flags), "flags");
	expect_reject(b, len, m_header_reserved, -1, "reserved");
	expect_reject(b, len, m_action_zero, R1 + ROFF(action), "action");
	expect_reject(b, len, m_action_unknown, R1 + ROFF(action), "action");
	expect_reject(b, len, m_name_unterminated, R0, "NUL");
	expect_reject(b, len, m_name_padding, -1, "padding");
	expect_reject(b, len, m_name_chars, R0, "name");
	expect_reject(b, len, m_match_unknown, R0 + ROFF(match), "unknown");
	expect_reject(b, len, m_match_none, R0 + ROFF(match), "every device");
	expect_reject(b, len, m_wildcard_value, R0 + ROFF(match), "wildcard");
	expect_reject(b, len, m_device_range, R0 + ROFF(device), "> 31");
	expect_reject(b, len, m_specificity, R0 + ROFF(specificity),
		      "specificity");
	expect_reject(b, len, m_rule_reserved, R0 + ROFF(reserved), "reserved");
	expect_reject(b, len, m_swap_rules, R0 + 3 * POL_RULE_SIZE, "order");
	expect_reject(b, len, m_win_count, R0 + ROFF(win_count), "window");
	expect_reject(b, len, m_win_unaligned, g_woff, "aligned");
	expect_reject(b, len, m_win_zero, g_woff + 8, "size");
	expect_reject(b, len, m_win_wrap, g_woff + 8, "wraps");
	expect_reject(b, len, m_win_above, g_woff + 8, "2^52");
	expect_reject(b, len, m_win_flags, g_woff + 16, "flags");
	expect_reject(b, len, m_win_reserved, g_woff + 20, "reserved");
	free(b);
}

static void test_validator_truncated_and_garbage(void)
{
	struct pol_blob_view v;
	struct pol_blob_err err;
	uint8_t *b, *junk;
	size_t len;
	unsigned int seed = 12345, accepted = 0;

	b = lab_blob(&len);
	if (!b)
		return;
	/* Every proper prefix is refused (and read in bounds under ASan). */
	for (size_t n = 0; n < len; n++) {
		uint8_t *t = malloc(n ? n : 1);

		memcpy(t, b, n);
		CU_ASSERT_NOT_EQUAL(pol_blob_decode(t, n, &v, &err), 0);
		free(t);
	}
	/* One byte more is refused too: the length is exact. */
	junk = calloc(1, len + 1);
	memcpy(junk, b, len);
	CU_ASSERT_NOT_EQUAL(pol_blob_decode(junk, len + 1, &v, &err), 0);
	/* A zeroed blob is never "allow": it is not a blob at all. */
	memset(junk, 0, len + 1);
	CU_ASSERT_NOT_EQUAL(pol_blob_decode(junk, len, &v, &err), 0);
	/* Valid header, zeroed body: refused (actions 0 are invalid). */
	memcpy(junk, b, POL_HEADER_SIZE);
	CU_ASSERT_NOT_EQUAL(pol_blob_decode(junk, len, &v, &err), 0);
	free(junk);

	/* Every single-bit flip: no crash; whatever passes must match. */
	for (size_t off = 0; off < len; off++) {
		for (unsigned int bit = 0; bit < 8; bit++) {
			struct pol_dev_id d = dev(0, 4, 0, 0x1234, 0x11e8, 0);

			b[off] ^= (uint8_t)(1U << bit);
			if (!pol_blob_decode(b, len, &v, &err)) {
				accepted++;
				(void)pol_match(&v, &d);
			}
			b[off] ^= (uint8_t)(1U << bit);
		}
	}
	/* Most flips must be caught; some (a window base) stay valid. */
	CU_ASSERT(accepted < len * 8 / 4);
	/* Random garbage with a valid magic: refused. */
	for (unsigned int i = 0; i < 2000; i++) {
		size_t n = (size_t)(rand_r(&seed) % 600);
		uint8_t *g = malloc(n + 8);

		for (size_t k = 0; k < n + 8; k++)
			g[k] = (uint8_t)rand_r(&seed);
		hv_put_le64(g, POL_MAGIC);
		CU_ASSERT_NOT_EQUAL(pol_blob_decode(g, n + 8, &v, &err), 0);
		free(g);
	}
	CU_ASSERT_NOT_EQUAL(pol_blob_decode(NULL, 0, &v, &err), 0);
	free(b);
}

UNIT_SUITE(policy_blob, NULL, NULL, UNIT_TEST(test_specificity_tiers),
	   UNIT_TEST(test_overlap), UNIT_TEST(test_match_precedence),
	   UNIT_TEST(test_tie_is_error), UNIT_TEST(test_validator_refuses_tie),
	   UNIT_TEST(test_window_merge_canonical),
	   UNIT_TEST(test_validator_mutations),
	   UNIT_TEST(test_validator_truncated_and_garbage))
