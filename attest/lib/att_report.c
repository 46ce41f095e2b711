// SPDX-License-Identifier: GPL-2.0-only
/*
 * att_report.c - the canonical isolation report and the quote's qualifying
 * data (host userspace). A report is bound to a quote by its exact bytes, so
 * it must have exactly one encoding: canonical JSON as docs/evidence.md
 * defines it (no whitespace, sorted unique keys, integers only, minimal
 * string escapes, valid UTF-8). This is a strict validator, not a
 * normalizer: anything else is refused with the byte offset.
 */
#include <string.h>
#include <sodium.h>

#include "attest/lib/att.h"

#define REPORT_MAX_DEPTH 32
#define REPORT_MAX_SIZE (1u << 20)

struct jp {
	const uint8_t *p;
	size_t len;
	size_t off;
	struct att_err *err;
	const char *want; /* top-level key to locate, or NULL */
	size_t vstart, vend;
	bool found;
};

static int jfail(struct jp *j, const char *what)
{
	if (j->err) {
		j->err->offset = j->off;
		j->err->what = what;
	}
	return -EINVAL;
}

static int peek(const struct jp *j)
{
	return j->off < j->len ? j->p[j->off] : -1;
}

/* One UTF-8 sequence at j->off (RFC 3629: no overlongs, no surrogates). */
static int utf8_char(struct jp *j)
{
	uint8_t c = j->p[j->off];
	uint32_t cp;
	size_t n, i;

	if (c < 0x80) {
		j->off++;
		return 0;
	}
	if ((c & 0xe0) == 0xc0) {
		n = 1;
		cp = c & 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		n = 2;
		cp = c & 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		n = 3;
		cp = c & 0x07;
	} else {
		return jfail(j, "invalid UTF-8 lead byte");
	}
	if (j->len - j->off <= n)
		return jfail(j, "truncated UTF-8 sequence");
	for (i = 1; i <= n; i++) {
		uint8_t cc = j->p[j->off + i];

		if ((cc & 0xc0) != 0x80)
			return jfail(j, "invalid UTF-8 continuation byte");
		cp = (cp << 6) | (cc & 0x3f);
	}
	if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
	    (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return jfail(j, "overlong or out-of-range UTF-8");
	j->off += n + 1;
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1; /* canonical \u escapes are lower-case */
}

/* A string; for keys, start and end delimit the raw bytes between quotes. */
static int jstring(struct jp *j, size_t *start, size_t *end)
{
	if (peek(j) != '"')
		return jfail(j, "expected a string");
	j->off++;
	if (start)
		*start = j->off;
	for (;;) {
		int c = peek(j);

		if (c < 0)
			return jfail(j, "unterminated string");
		if (c == '"')
			break;
		if (c < 0x20)
			return jfail(j, "raw control character in a string");
		if (c == '\\') {
			int e;

			j->off++;
			e = peek(j);
			if (e == '"' || e == '\\' || e == 'b' || e == 'f' ||
			    e == 'n' || e == 'r' || e == 't') {
				j->off++;
				continue;
			}
			if (e != 'u')
				return jfail(j, "non-canonical string escape");
			/* only \u00XX for controls without a short form */
			if (j->len - j->off < 5 || j->p[j->off + 1] != '0' ||
			    j->p[j->off + 2] != '0' ||
			    hexval(j->p[j->off + 3]) < 0 ||
			    hexval(j->p[j->off + 4]) < 0)
				return jfail(j, "non-canonical \\u escape");
			{
				int v = hexval(j->p[j->off + 3]) * 16 +
					hexval(j->p[j->off + 4]);

				if (v >= 0x20 || v == '\b' || v == '\f' ||
				    v == '\n' || v == '\r' || v == '\t')
					return jfail(j, "character needs no "
							"\\u escape");
			}
			j->off += 5;
			continue;
		}
		if (utf8_char(j))
			return -EINVAL;
	}
	if (end)
		*end = j->off;
	j->off++;
	return 0;
}

static int jnumber(struct jp *j)
{
	size_t digits = 0;

	if (peek(j) == '-') {
		j->off++;
		if (peek(j) == '0')
			return jfail(j, "negative zero");
	}
	if (peek(j) == '0') {
		j->off++;
		digits = 1;
	} else {
		while (peek(j) >= '0' && peek(j) <= '9') {
			j->off++;
			digits++;
		}
	}
	if (digits == 0)
		return jfail(j, "expected a value");
	if (digits > 19)
		return jfail(j, "integer too long");
	if (peek(j) == '.' || peek(j) == 'e' || peek(j) == 'E' ||
	    (peek(j) >= '0' && peek(j) <= '9'))
		return jfail(j, "only integers without leading zeros allowed");
	return 0;
}

static int jliteral(struct jp *j, const char *lit)
{
	size_t n = strlen(lit);

	if (j->len - j->off < n || memcmp(j->p + j->off, lit, n))
		return jfail(j, "expected a value");
	j->off += n;
	return 0;
}

static int jvalue(struct jp *j, int depth);

static int jobject(struct jp *j, int depth)
{
	size_t pstart = 0, pend = 0;
	bool first = true;

	j->off++; /* '{' */
	if (peek(j) == '}') {
		j->off++;
		return 0;
	}
	for (;;) {
		size_t kstart, kend, klen;

		if (jstring(j, &kstart, &kend))
			return -EINVAL;
		klen = kend - kstart;
		if (!first && att_canon_key_cmp(j->p + pstart, pend - pstart,
						j->p + kstart, klen) >= 0) {
			j->off = kstart;
			return jfail(j, "object keys not in strictly "
					"ascending byte order");
		}
		first = false;
		pstart = kstart;
		pend = kend;
		if (peek(j) != ':')
			return jfail(j, "expected ':' (no whitespace allowed)");
		j->off++;
		if (jvalue(j, depth + 1))
			return -EINVAL;
		if (depth == 0 && j->want && strlen(j->want) == klen &&
		    !memcmp(j->p + kstart, j->want, klen)) {
			j->found = true;
			j->vstart = kend + 2; /* past '":' */
			j->vend = j->off;
		}
		if (peek(j) == '}') {
			j->off++;
			return 0;
		}
		if (peek(j) != ',')
			return jfail(j, "expected ',' or '}'");
		j->off++;
	}
}

static int jarray(struct jp *j, int depth)
{
	j->off++; /* '[' */
	if (peek(j) == ']') {
		j->off++;
		return 0;
	}
	for (;;) {
		if (jvalue(j, depth + 1))
			return -EINVAL;
		if (peek(j) == ']') {
			j->off++;
			return 0;
		}
		if (peek(j) != ',')
			return jfail(j, "expected ',' or ']'");
		j->off++;
	}
}

static int jvalue(struct jp *j, int depth)
{
	if (depth > REPORT_MAX_DEPTH)
		return jfail(j, "nested too deeply");
	switch (peek(j)) {
	case '{':
		return jobject(j, depth);
	case '[':
		return jarray(j, depth);
	case '"':
		return jstring(j, NULL, NULL);
	case 't':
		return jliteral(j, "true");
	case 'f':
		return jliteral(j, "false");
	case 'n':
		return jliteral(j, "null");
	case -1:
		return jfail(j, "unexpected end of report");
	default:
		return jnumber(j);
	}
}

static int check(struct jp *j);

int att_report_check(const uint8_t *buf, size_t len, struct att_err *err)
{
	struct jp j = { buf, len, 0, err, NULL, 0, 0, false };

	return check(&j);
}

int att_report_top_value(const uint8_t *buf, size_t len, const char *key,
			 const uint8_t **val, size_t *vlen)
{
	struct jp j = { buf, len, 0, NULL, key, 0, 0, false };
	int rc = check(&j);

	if (rc)
		return rc;
	if (!j.found)
		return -ENOENT;
	*val = buf + j.vstart;
	*vlen = j.vend - j.vstart;
	return 0;
}

static int check(struct jp *j)
{
	const uint8_t *buf = j->p;
	size_t len = j->len;

	if (!buf || len == 0)
		return jfail(j, "empty report");
	if (len > REPORT_MAX_SIZE)
		return jfail(j, "report larger than 1 MiB");
	if (peek(j) != '{')
		return jfail(j, "report must be a JSON object");
	if (jvalue(j, 0))
		return -EINVAL;
	if (j->off != len)
		return jfail(j, "bytes after the report object (no trailing "
				"whitespace or newline)");
	return 0;
}

void att_qualifying_data(const uint8_t *nonce, size_t nonce_len,
			 const uint8_t *report, size_t report_len,
			 uint8_t qual[32])
{
	crypto_hash_sha256_state st;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, nonce, nonce_len);
	crypto_hash_sha256_update(&st, report, report_len);
	crypto_hash_sha256_final(&st, qual);
}
