// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit_text.c - the one sanitizer between untrusted strings and a terminal
 * (host userspace). Device and driver names from sysfs or a recording,
 * baseline strings and firmware OEM IDs are attacker-chosen: written raw, an
 * escape sequence can move the cursor and erase a HIGH finding. Every text
 * output goes through a stream that passes printable UTF-8, newline and tab
 * and shows anything else as \xNN (C0/C1 controls, DEL, invalid UTF-8) or
 * \uNNNN (bidirectional overrides that reorder what the auditor reads).
 * The tool's own colours bypass it through audit_text_sgr().
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditcli/lib/audit.h"

typedef void (*tx_emit_fn)(void *ctx, const char *p, size_t n);

struct tx_state {
	uint8_t seq[4];
	unsigned int have, need;
};

static void emit_hex(const uint8_t *b, size_t n, tx_emit_fn emit, void *ctx)
{
	char esc[5];

	for (size_t i = 0; i < n; i++) {
		snprintf(esc, sizeof(esc), "\\x%02x", b[i]);
		emit(ctx, esc, 4);
	}
}

size_t audit_utf8_len(const unsigned char *p, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t c, min;

	if (!n)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, c = p[0] & 0x1fu, min = 0x80;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, c = p[0] & 0x0fu, min = 0x800;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, c = p[0] & 0x07u, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3fu);
	}
	/* overlong forms, UTF-16 surrogates, beyond U+10FFFF */
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* A complete multi-byte sequence: shown as is unless it is not well-formed
 * UTF-8, a C1 control or a bidi override. */
static void tx_complete(struct tx_state *s, tx_emit_fn emit, void *ctx)
{
	uint32_t cp = 0;
	char esc[12];

	if (audit_utf8_len(s->seq, s->have, &cp) != s->have ||
	    (cp >= 0x80 && cp <= 0x9f)) {
		emit_hex(s->seq, s->have, emit, ctx);
	} else if ((cp >= 0x202a && cp <= 0x202e) ||
		   (cp >= 0x2066 && cp <= 0x2069)) {
		snprintf(esc, sizeof(esc), "\\u%04x", (unsigned int)cp);
		emit(ctx, esc, strlen(esc));
	} else {
		emit(ctx, (const char *)s->seq, s->have);
	}
	s->have = s->need = 0;
}

static void tx_flush_partial(struct tx_state *s, tx_emit_fn emit, void *ctx)
{
	emit_hex(s->seq, s->have, emit, ctx);
	s->have = s->need = 0;
}

static void tx_feed(struct tx_state *s, const uint8_t *p, size_t n,
		    tx_emit_fn emit, void *ctx)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[i];

		if (s->need) {
			if ((c & 0xc0) == 0x80) {
				s->seq[s->have++] = c;
				if (--s->need == 0)
					tx_complete(s, emit, ctx);
				continue;
			}
			tx_flush_partial(s, emit, ctx); /* c starts afresh */
		}
		if (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f)) {
			size_t run = 1;

			while (i + run < n && p[i + run] >= 0x20 &&
			       p[i + run] < 0x7f)
				run++;
			emit(ctx, (const char *)p + i, run);
			i += run - 1;
		} else if (c >= 0xc2 && c <= 0xf4) {
			s->seq[0] = c;
			s->have = 1;
			s->need = c < 0xe0 ? 1 : c < 0xf0 ? 2 : 3;
		} else {
			emit_hex(&c, 1, emit, ctx);
		}
	}
}

/* ------------------------------------------------------- string form */

struct tx_buf {
	char *out;
	size_t len, cap; /* cap includes the NUL */
};

static void buf_emit(void *ctx, const char *p, size_t n)
{
	struct tx_buf *b = ctx;

	if (b->len + 1 >= b->cap)
		return;
	if (n > b->cap - 1 - b->len)
		n = b->cap - 1 - b->len;
	memcpy(b->out + b->len, p, n);
	b->len += n;
}

size_t audit_printable(const char *in, size_t n, char *out, size_t outlen)
{
	struct tx_buf b = { out, 0, outlen };
	struct tx_state s = { { 0 }, 0, 0 };

	if (!outlen)
		return 0;
	tx_feed(&s, (const uint8_t *)in, n, buf_emit, &b);
	tx_flush_partial(&s, buf_emit, &b);
	out[b.len] = '\0';
	return b.len;
}

/* ------------------------------------------------------- stream form */

struct tx_stream {
	FILE *under;
	struct tx_state s;
	bool failed;
};

/* The filters now open, so audit_text_sgr can find what lies under one. */
static struct {
	FILE *filter;
	struct tx_stream *ts;
} open_filters[4];

static void stream_emit(void *ctx, const char *p, size_t n)
{
	struct tx_stream *ts = ctx;

	if (fwrite(p, 1, n, ts->under) != n)
		ts->failed = true;
}

static ssize_t tx_write(void *cookie, const char *p, size_t n)
{
	struct tx_stream *ts = cookie;

	tx_feed(&ts->s, (const uint8_t *)p, n, stream_emit, ts);
	if (ts->failed) {
		errno = EIO;
		return -1;
	}
	return (ssize_t)n;
}

static int tx_close(void *cookie)
{
	struct tx_stream *ts = cookie;
	int rc;

	tx_flush_partial(&ts->s, stream_emit, ts);
	rc = ts->failed || fflush(ts->under) ? -1 : 0;
	for (size_t i = 0; i < sizeof(open_filters) / sizeof(open_filters[0]);
	     i++)
		if (open_filters[i].ts == ts)
			open_filters[i].filter = NULL,
			open_filters[i].ts = NULL;
	free(ts);
	return rc;
}

FILE *audit_text_open(FILE *under)
{
	static const cookie_io_functions_t io = { .write = tx_write,
						  .close = tx_close };
	struct tx_stream *ts = calloc(1, sizeof(*ts));
	FILE *f;

	if (!ts)
		return NULL;
	ts->under = under;
	f = fopencookie(ts, "w", io);
	if (!f) {
		free(ts);
		return NULL;
	}
	for (size_t i = 0; i < sizeof(open_filters) / sizeof(open_filters[0]);
	     i++)
		if (!open_filters[i].filter) {
			open_filters[i].filter = f;
			open_filters[i].ts = ts;
			break;
		}
	return f;
}

int audit_text_close(FILE *f)
{
	return fclose(f) ? -EIO : 0;
}

void audit_text_sgr(FILE *f, const char *seq)
{
	for (size_t i = 0; i < sizeof(open_filters) / sizeof(open_filters[0]);
	     i++)
		if (open_filters[i].filter == f) {
			fflush(f);
			fputs(seq, open_filters[i].ts->under);
			return;
		}
	/* not a filter: a memory stream for HTML, never coloured */
	fputs(seq, f);
}
