// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit_out.c - output helpers of the audit: a streaming JSON writer,
 * aligned text tables (colour only when the caller says the stream is a
 * tty) (host userspace).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditcli/lib/audit.h"

/* ---------------------------------------------------------------- JSON */

static void j_indent(struct audit_json *j)
{
	for (int i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

static void j_string(FILE *f, const char *s)
{
	const unsigned char *end = (const unsigned char *)s + strlen(s);

	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default: {
			/* JSON is UTF-8 and our inputs are not trusted to be:
			 * well-formed sequences pass whole, controls (C0, DEL,
			 * C1) are escaped, each invalid byte becomes U+FFFD. */
			uint32_t cp = 0;
			size_t n = audit_utf8_len(p, (size_t)(end - p), &cp);

			if (!n)
				fputs("\\ufffd", f);
			else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
				fprintf(f, "\\u%04x", (unsigned int)cp);
			else
				fwrite(p, 1, n, f);
			if (n > 1)
				p += n - 1;
		}
		}
	}
	fputc('"', f);
}

static void j_key(struct audit_json *j, const char *key)
{
	if (j->depth > 0) {
		fputs(j->first[j->depth] ? "\n" : ",\n", j->f);
		j->first[j->depth] = false;
		j_indent(j);
	}
	if (key) {
		j_string(j->f, key);
		fputs(": ", j->f);
	}
}

void audit_json_begin(struct audit_json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	fputc('{', f);
	j->depth = 1;
	j->first[1] = true;
}

void audit_json_end(struct audit_json *j)
{
	fputs("\n}\n", j->f);
}

static void j_open(struct audit_json *j, const char *key, char c)
{
	j_key(j, key);
	fputc(c, j->f);
	if (j->depth < 31)
		j->depth++;
	j->first[j->depth] = true;
}

static void j_close(struct audit_json *j, char c)
{
	bool empty = j->first[j->depth];

	j->depth--;
	if (!empty) {
		fputc('\n', j->f);
		j_indent(j);
	}
	fputc(c, j->f);
}

void audit_json_obj(struct audit_json *j, const char *key)
{
	j_open(j, key, '{');
}

void audit_json_obj_end(struct audit_json *j)
{
	j_close(j, '}');
}

void audit_json_arr(struct audit_json *j, const char *key)
{
	j_open(j, key, '[');
}

void audit_json_arr_end(struct audit_json *j)
{
	j_close(j, ']');
}

void audit_json_str(struct audit_json *j, const char *key, const char *v)
{
	j_key(j, key);
	j_string(j->f, v ? v : "");
}

void audit_json_int(struct audit_json *j, const char *key, long long v)
{
	j_key(j, key);
	fprintf(j->f, "%lld", v);
}

void audit_json_bool(struct audit_json *j, const char *key, bool v)
{
	j_key(j, key);
	fputs(v ? "true" : "false", j->f);
}

void audit_json_null(struct audit_json *j, const char *key)
{
	j_key(j, key);
	fputs("null", j->f);
}

void audit_json_hex(struct audit_json *j, const char *key, uint64_t v)
{
	j_key(j, key);
	fprintf(j->f, "\"0x%llx\"", (unsigned long long)v);
}

void audit_json_tri(struct audit_json *j, const char *key, int v)
{
	if (v < 0)
		audit_json_null(j, key);
	else
		audit_json_bool(j, key, v);
}

/* -------------------------------------------------------------- tables */

void audit_table_init(struct audit_table *t, int ncol, const char *const *head)
{
	memset(t, 0, sizeof(*t));
	t->ncol = ncol > AUDIT_TBL_MAXCOL ? AUDIT_TBL_MAXCOL : ncol;
	for (int i = 0; i < t->ncol; i++)
		t->head[i] = head[i];
}

void audit_table_add(struct audit_table *t, int sev, ...)
{
	va_list ap;

	if (t->nrow == t->cap) {
		int nc = t->cap ? t->cap * 2 : 16;
		char **cells =
		    realloc(t->cells, (size_t)nc * t->ncol * sizeof(*cells));
		int *sv;

		if (!cells)
			return;
		t->cells = cells;
		sv = realloc(t->sev, (size_t)nc * sizeof(*sv));
		if (!sv)
			return;
		t->sev = sv;
		t->cap = nc;
	}
	va_start(ap, sev);
	for (int c = 0; c < t->ncol; c++) {
		const char *v = va_arg(ap, const char *);

		t->cells[t->nrow * t->ncol + c] = strdup(v ? v : "");
	}
	va_end(ap);
	t->sev[t->nrow++] = sev;
}

static const char *sev_colour(int sev)
{
	switch (sev) {
	case AUDIT_SEV_HIGH:
		return "\033[1;31m";
	case AUDIT_SEV_MEDIUM:
		return "\033[33m";
	case AUDIT_SEV_LOW:
		return "\033[36m";
	default:
		return "";
	}
}

void audit_table_print(const struct audit_table *t, FILE *f, bool colour)
{
	size_t w[AUDIT_TBL_MAXCOL] = { 0 };

	for (int c = 0; c < t->ncol; c++) {
		w[c] = strlen(t->head[c]);
		for (int r = 0; r < t->nrow; r++) {
			const char *v = t->cells[r * t->ncol + c];
			size_t l = v ? strlen(v) : 0;

			if (l > w[c])
				w[c] = l;
		}
	}
	for (int c = 0; c < t->ncol; c++)
		fprintf(f, "%s%-*s", c ? "  " : "",
			c == t->ncol - 1 ? 0 : (int)w[c], t->head[c]);
	fputc('\n', f);
	for (int r = 0; r < t->nrow; r++) {
		const char *on =
		    colour && t->sev[r] >= 0 ? sev_colour(t->sev[r]) : "";

		if (*on)
			audit_text_sgr(f, on);
		for (int c = 0; c < t->ncol; c++) {
			const char *v = t->cells[r * t->ncol + c];

			fprintf(f, "%s%-*s", c ? "  " : "",
				c == t->ncol - 1 ? 0 : (int)w[c], v ? v : "");
		}
		if (*on)
			audit_text_sgr(f, "\033[0m");
		fputc('\n', f);
	}
}

void audit_table_free(struct audit_table *t)
{
	for (int i = 0; i < t->nrow * t->ncol; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->sev);
	memset(t, 0, sizeof(*t));
}
