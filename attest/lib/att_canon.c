// SPDX-License-Identifier: GPL-2.0-only
/*
 * att_canon.c - turns any JSON object text into the canonical report form
 * that quotes bind (host userspace): whitespace dropped, object keys sorted
 * by their encoded bytes, strings re-escaped minimally, integers only.
 * Input is hostile; refusals name the byte offset. The result is checked by
 * att_report_check() before it is returned, so the two can never disagree.
 */
#include <stdlib.h>
#include <string.h>

#include "attest/lib/att.h"

#define CANON_MAX_DEPTH 32
#define CANON_MAX_SIZE (1u << 20)

struct cbuf {
	uint8_t *p;
	size_t len;
	size_t cap;
};

struct cp {
	const uint8_t *p;
	size_t len;
	size_t off;
	struct att_err *err;
};

static int cfail(struct cp *c, size_t off, const char *what)
{
	if (c->err) {
		c->err->offset = off;
		c->err->what = what;
	}
	return -EINVAL;
}

static int put(struct cbuf *b, const void *s, size_t n)
{
	if (n > CANON_MAX_SIZE || b->len > CANON_MAX_SIZE - n)
		return -EFBIG;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		uint8_t *np;

		while (cap < b->len + n)
			cap *= 2;
		np = realloc(b->p, cap);
		if (!np)
			return -ENOMEM;
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	return 0;
}

static int putc_(struct cbuf *b, uint8_t ch)
{
	return put(b, &ch, 1);
}

static void skip_ws(struct cp *c)
{
	while (c->off < c->len &&
	       (c->p[c->off] == ' ' || c->p[c->off] == '\t' ||
		c->p[c->off] == '\n' || c->p[c->off] == '\r'))
		c->off++;
}

static int peekc(const struct cp *c)
{
	return c->off < c->len ? c->p[c->off] : -1;
}

static int hex4(struct cp *c, uint32_t *v)
{
	*v = 0;
	if (c->len - c->off < 4)
		return cfail(c, c->off, "truncated \\u escape");
	for (int i = 0; i < 4; i++) {
		int ch = c->p[c->off + i], d;

		if (ch >= '0' && ch <= '9')
			d = ch - '0';
		else if (ch >= 'a' && ch <= 'f')
			d = ch - 'a' + 10;
		else if (ch >= 'A' && ch <= 'F')
			d = ch - 'A' + 10;
		else
			return cfail(c, c->off + i, "bad hex digit in \\u");
		*v = (*v << 4) | (uint32_t)d;
	}
	c->off += 4;
	return 0;
}

/* Emit code point cp in canonical string form. */
static int emit_cp(struct cbuf *b, uint32_t cp)
{
	static const char hexd[] = "0123456789abcdef";
	uint8_t u[4];

	switch (cp) {
	case '"':
		return put(b, "\\\"", 2);
	case '\\':
		return put(b, "\\\\", 2);
	case '\b':
		return put(b, "\\b", 2);
	case '\f':
		return put(b, "\\f", 2);
	case '\n':
		return put(b, "\\n", 2);
	case '\r':
		return put(b, "\\r", 2);
	case '\t':
		return put(b, "\\t", 2);
	}
	if (cp < 0x20) {
		char e[6] = {
			'\\', 'u', '0', '0', hexd[cp >> 4], hexd[cp & 15]
		};

		return put(b, e, sizeof(e));
	}
	if (cp < 0x80)
		return putc_(b, (uint8_t)cp);
	if (cp < 0x800) {
		u[0] = (uint8_t)(0xc0 | (cp >> 6));
		u[1] = (uint8_t)(0x80 | (cp & 0x3f));
		return put(b, u, 2);
	}
	if (cp < 0x10000) {
		u[0] = (uint8_t)(0xe0 | (cp >> 12));
		u[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (uint8_t)(0x80 | (cp & 0x3f));
		return put(b, u, 3);
	}
	u[0] = (uint8_t)(0xf0 | (cp >> 18));
	u[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
	u[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
	u[3] = (uint8_t)(0x80 | (cp & 0x3f));
	return put(b, u, 4);
}

/* Decode one raw UTF-8 sequence (RFC 3629) at c->off. */
static int utf8_decode(struct cp *c, uint32_t *cp)
{
	uint8_t b0 = c->p[c->off];
	size_t n, at = c->off;

	if (b0 < 0x80) {
		*cp = b0;
		c->off++;
		return 0;
	}
	if ((b0 & 0xe0) == 0xc0) {
		n = 1;
		*cp = b0 & 0x1f;
	} else if ((b0 & 0xf0) == 0xe0) {
		n = 2;
		*cp = b0 & 0x0f;
	} else if ((b0 & 0xf8) == 0xf0) {
		n = 3;
		*cp = b0 & 0x07;
	} else {
		return cfail(c, at, "invalid UTF-8 lead byte");
	}
	if (c->len - c->off <= n)
		return cfail(c, at, "truncated UTF-8 sequence");
	for (size_t i = 1; i <= n; i++) {
		uint8_t cc = c->p[c->off + i];

		if ((cc & 0xc0) != 0x80)
			return cfail(c, at, "invalid UTF-8 continuation byte");
		*cp = (*cp << 6) | (cc & 0x3f);
	}
	if ((n == 1 && *cp < 0x80) || (n == 2 && *cp < 0x800) ||
	    (n == 3 && (*cp < 0x10000 || *cp > 0x10ffff)) ||
	    (*cp >= 0xd800 && *cp <= 0xdfff))
		return cfail(c, at, "overlong or out-of-range UTF-8");
	c->off += n + 1;
	return 0;
}

static int cstring(struct cp *c, struct cbuf *b)
{
	int rc;

	c->off++; /* '"' */
	if ((rc = putc_(b, '"')))
		return rc;
	for (;;) {
		uint32_t cp;
		int ch = peekc(c);

		if (ch < 0)
			return cfail(c, c->off, "unterminated string");
		if (ch == '"')
			break;
		if (ch < 0x20)
			return cfail(c, c->off,
				     "raw control character in a "
				     "string");
		if (ch != '\\') {
			if ((rc = utf8_decode(c, &cp)))
				return rc;
		} else {
			size_t at = c->off;

			c->off++;
			switch (peekc(c)) {
			case '"':
			case '\\':
			case '/':
				cp = (uint32_t)peekc(c);
				break;
			case 'b':
				cp = '\b';
				break;
			case 'f':
				cp = '\f';
				break;
			case 'n':
				cp = '\n';
				break;
			case 'r':
				cp = '\r';
				break;
			case 't':
				cp = '\t';
				break;
			case 'u':
				cp = 0;
				break;
			default:
				return cfail(c, at, "invalid string escape");
			}
			c->off++;
			if (c->p[c->off - 1] == 'u') {
				if ((rc = hex4(c, &cp)))
					return rc;
				if (cp >= 0xdc00 && cp <= 0xdfff)
					return cfail(c, at,
						     "lone low "
						     "surrogate");
				if (cp >= 0xd800 && cp <= 0xdbff) {
					uint32_t lo;

					if (c->len - c->off < 6 ||
					    c->p[c->off] != '\\' ||
					    c->p[c->off + 1] != 'u')
						return cfail(c, at,
							     "lone high "
							     "surrogate");
					c->off += 2;
					if ((rc = hex4(c, &lo)))
						return rc;
					if (lo < 0xdc00 || lo > 0xdfff)
						return cfail(c, at,
							     "bad surrogate "
							     "pair");
					cp = 0x10000 + ((cp - 0xd800) << 10) +
					     (lo - 0xdc00);
				}
			}
		}
		if ((rc = emit_cp(b, cp)))
			return rc;
	}
	c->off++;
	return putc_(b, '"');
}

static int cnumber(struct cp *c, struct cbuf *b)
{
	size_t start = c->off, digits = 0;

	if (peekc(c) == '-')
		c->off++;
	if (peekc(c) == '0') {
		if (c->p[start] == '-')
			return cfail(c, start, "negative zero");
		c->off++;
		digits = 1;
	} else {
		while (peekc(c) >= '0' && peekc(c) <= '9') {
			c->off++;
			digits++;
		}
	}
	if (digits == 0)
		return cfail(c, start, "expected a value");
	if (digits > 19)
		return cfail(c, start, "integer too long");
	if (peekc(c) == '.' || peekc(c) == 'e' || peekc(c) == 'E')
		return cfail(c, start, "only integers are allowed in a report");
	if (peekc(c) >= '0' && peekc(c) <= '9')
		return cfail(c, start, "leading zero");
	return put(b, c->p + start, c->off - start);
}

struct member {
	struct cbuf key; /* canonical key including quotes */
	struct cbuf val;
	size_t off; /* of the key in the input */
};

int att_canon_key_cmp(const uint8_t *a, size_t alen, const uint8_t *b,
		      size_t blen)
{
	int r = memcmp(a, b, alen < blen ? alen : blen);

	if (r)
		return r;
	return alen < blen ? -1 : alen > blen;
}

/* Keys are stored with their quotes: compare what lies between them (the
 * closing quote must not take part: "a!" would sort before "a"). */
static int member_cmp(const void *a, const void *b)
{
	const struct member *x = a, *y = b;

	return att_canon_key_cmp(x->key.p + 1, x->key.len - 2, y->key.p + 1,
				 y->key.len - 2);
}

static int cvalue(struct cp *c, struct cbuf *b, int depth);

static void free_members(struct member *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(m[i].key.p);
		free(m[i].val.p);
	}
	free(m);
}

static int cobject(struct cp *c, struct cbuf *b, int depth)
{
	struct member *m = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	c->off++; /* '{' */
	skip_ws(c);
	if (peekc(c) == '}') {
		c->off++;
		return put(b, "{}", 2);
	}
	for (;;) {
		if (n == cap) {
			struct member *nm;

			cap = cap ? cap * 2 : 8;
			nm = realloc(m, cap * sizeof(*m));
			if (!nm) {
				rc = -ENOMEM;
				goto out;
			}
			m = nm;
		}
		memset(&m[n], 0, sizeof(m[n]));
		n++;
		skip_ws(c);
		if (peekc(c) != '"') {
			rc = cfail(c, c->off, "expected a key string");
			goto out;
		}
		m[n - 1].off = c->off;
		if ((rc = cstring(c, &m[n - 1].key)))
			goto out;
		skip_ws(c);
		if (peekc(c) != ':') {
			rc = cfail(c, c->off, "expected ':'");
			goto out;
		}
		c->off++;
		if ((rc = cvalue(c, &m[n - 1].val, depth + 1)))
			goto out;
		skip_ws(c);
		if (peekc(c) == '}') {
			c->off++;
			break;
		}
		if (peekc(c) != ',') {
			rc = cfail(c, c->off, "expected ',' or '}'");
			goto out;
		}
		c->off++;
	}
	qsort(m, n, sizeof(*m), member_cmp);
	for (size_t i = 0; i < n; i++) {
		if (i && !member_cmp(&m[i - 1], &m[i])) {
			rc = cfail(c,
				   m[i].off > m[i - 1].off ? m[i].off
							   : m[i - 1].off,
				   "duplicate object key");
			goto out;
		}
		if ((rc = putc_(b, i ? ',' : '{')) ||
		    (rc = put(b, m[i].key.p, m[i].key.len)) ||
		    (rc = putc_(b, ':')) ||
		    (rc = put(b, m[i].val.p, m[i].val.len)))
			goto out;
	}
	rc = putc_(b, '}');
out:
	free_members(m, n);
	return rc;
}

static int carray(struct cp *c, struct cbuf *b, int depth)
{
	bool first = true;
	int rc;

	c->off++; /* '[' */
	if ((rc = putc_(b, '[')))
		return rc;
	skip_ws(c);
	if (peekc(c) == ']') {
		c->off++;
		return putc_(b, ']');
	}
	for (;;) {
		if (!first && (rc = putc_(b, ',')))
			return rc;
		first = false;
		if ((rc = cvalue(c, b, depth + 1)))
			return rc;
		skip_ws(c);
		if (peekc(c) == ']') {
			c->off++;
			return putc_(b, ']');
		}
		if (peekc(c) != ',')
			return cfail(c, c->off, "expected ',' or ']'");
		c->off++;
	}
}

static int cliteral(struct cp *c, struct cbuf *b, const char *lit)
{
	size_t n = strlen(lit);

	if (c->len - c->off < n || memcmp(c->p + c->off, lit, n))
		return cfail(c, c->off, "expected a value");
	c->off += n;
	return put(b, lit, n);
}

static int cvalue(struct cp *c, struct cbuf *b, int depth)
{
	if (depth > CANON_MAX_DEPTH)
		return cfail(c, c->off, "nested too deeply");
	skip_ws(c);
	switch (peekc(c)) {
	case '{':
		return cobject(c, b, depth);
	case '[':
		return carray(c, b, depth);
	case '"':
		return cstring(c, b);
	case 't':
		return cliteral(c, b, "true");
	case 'f':
		return cliteral(c, b, "false");
	case 'n':
		return cliteral(c, b, "null");
	case -1:
		return cfail(c, c->off, "unexpected end of report");
	default:
		return cnumber(c, b);
	}
}

int att_report_canonicalize(const uint8_t *in, size_t len, uint8_t **out,
			    size_t *out_len, struct att_err *err)
{
	struct cp c = { in, len, 0, err };
	struct cbuf b = { NULL, 0, 0 };
	int rc;

	*out = NULL;
	*out_len = 0;
	if (!in || len == 0)
		return cfail(&c, 0, "empty report");
	if (len > CANON_MAX_SIZE)
		return cfail(&c, 0, "report larger than 1 MiB");
	skip_ws(&c);
	if (peekc(&c) != '{')
		return cfail(&c, c.off, "report must be a JSON object");
	rc = cvalue(&c, &b, 0);
	if (!rc) {
		skip_ws(&c);
		if (c.off != len)
			rc = cfail(&c, c.off, "bytes after the report object");
	}
	/* fail closed: what we emit must be what the verifier accepts */
	if (!rc && att_report_check(b.p, b.len, NULL))
		rc = cfail(&c, 0, "internal: canonical form not canonical");
	if (rc) {
		free(b.p);
		return rc == -EFBIG ? cfail(&c, 0, "canonical report too large")
				    : rc;
	}
	*out = b.p;
	*out_len = b.len;
	return 0;
}
