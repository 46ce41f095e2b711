// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit_base.c - `--baseline OLD.json`: a small bounded JSON reader (the old
 * document is untrusted input: depth and size limits, errors name the byte
 * offset) and the diff of devices, platform and findings against the
 * current scan (host userspace).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditcli/lib/audit.h"

#define JMAX_DEPTH 64
#define JMAX_SIZE (16u << 20)

enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	int type;
	char *s; /* string / number text / "true" "false" */
	char **keys;
	struct jv *kids;
	int n, cap;
};

struct jp {
	const char *b;
	size_t len, pos;
	char *err;
	size_t errlen;
};

static int jfail(struct jp *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int jfail(struct jp *p, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(p->err, p->errlen, "byte %zu: ", p->pos);

	va_start(ap, fmt);
	if (n > 0 && (size_t)n < p->errlen)
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static void jfree(struct jv *v)
{
	for (int i = 0; i < v->n; i++) {
		jfree(&v->kids[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->kids);
	free(v->keys);
	free(v->s);
	memset(v, 0, sizeof(*v));
}

static void ws(struct jp *p)
{
	while (p->pos < p->len && strchr(" \t\r\n", p->b[p->pos]))
		p->pos++;
}

static int jstring(struct jp *p, char **out)
{
	size_t cap = 32, n = 0;
	char *s = malloc(cap);

	if (!s)
		return -ENOMEM;
	p->pos++; /* opening quote */
	for (;;) {
		char c;

		if (p->pos >= p->len) {
			free(s);
			return jfail(p, "unterminated string");
		}
		c = p->b[p->pos++];
		if (c == '"')
			break;
		if ((unsigned char)c < 0x20) {
			free(s);
			return jfail(p, "control character in string");
		}
		if (c == '\\') {
			if (p->pos >= p->len) {
				free(s);
				return jfail(p, "unterminated escape");
			}
			c = p->b[p->pos++];
			switch (c) {
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			case 'r':
				c = '\r';
				break;
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			case 'u': {
				unsigned int u;

				if (p->pos + 4 > p->len ||
				    sscanf(p->b + p->pos, "%4x", &u) != 1) {
					free(s);
					return jfail(p, "bad \\u escape");
				}
				p->pos += 4;
				/* Only compared for equality: keep ASCII,
				 * fold the rest to '?'. */
				c = u < 0x80 ? (char)u : '?';
				break;
			}
			case '"':
			case '\\':
			case '/':
				break;
			default:
				free(s);
				return jfail(p, "bad escape '\\%c'", c);
			}
		}
		if (n + 1 >= cap) {
			char *ns = realloc(s, cap * 2);

			if (!ns) {
				free(s);
				return -ENOMEM;
			}
			s = ns;
			cap *= 2;
		}
		s[n++] = c;
	}
	s[n] = '\0';
	*out = s;
	return 0;
}

static int jvalue(struct jp *p, struct jv *v, int depth);

static int jadd(struct jv *v, struct jv *kid, char *key)
{
	if (v->n == v->cap) {
		int nc = v->cap ? v->cap * 2 : 8;
		struct jv *nk = realloc(v->kids, (size_t)nc * sizeof(*nk));

		if (!nk)
			return -ENOMEM;
		v->kids = nk;
		if (v->type == J_OBJ) {
			char **nkeys =
			    realloc(v->keys, (size_t)nc * sizeof(*nkeys));

			if (!nkeys)
				return -ENOMEM;
			v->keys = nkeys;
		}
		v->cap = nc;
	}
	v->kids[v->n] = *kid;
	if (v->type == J_OBJ)
		v->keys[v->n] = key;
	v->n++;
	return 0;
}

static int jcontainer(struct jp *p, struct jv *v, int depth, bool obj)
{
	char close = obj ? '}' : ']';

	v->type = obj ? J_OBJ : J_ARR;
	p->pos++;
	ws(p);
	if (p->pos < p->len && p->b[p->pos] == close) {
		p->pos++;
		return 0;
	}
	for (;;) {
		struct jv kid = { 0 };
		char *key = NULL;
		int rc;

		ws(p);
		if (obj) {
			if (p->pos >= p->len || p->b[p->pos] != '"')
				return jfail(p, "expected a string key");
			rc = jstring(p, &key);
			if (rc)
				return rc;
			ws(p);
			if (p->pos >= p->len || p->b[p->pos] != ':') {
				free(key);
				return jfail(p, "expected ':'");
			}
			p->pos++;
		}
		rc = jvalue(p, &kid, depth + 1);
		if (!rc)
			rc = jadd(v, &kid, key);
		if (rc) {
			jfree(&kid);
			free(key);
			return rc;
		}
		ws(p);
		if (p->pos < p->len && p->b[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->b[p->pos] == close) {
			p->pos++;
			return 0;
		}
		return jfail(p, "expected ',' or '%c'", close);
	}
}

static int jvalue(struct jp *p, struct jv *v, int depth)
{
	static const char *const lits[] = { "true", "false", "null" };
	char c;

	memset(v, 0, sizeof(*v));
	if (depth > JMAX_DEPTH)
		return jfail(p, "nesting deeper than %d", JMAX_DEPTH);
	ws(p);
	if (p->pos >= p->len)
		return jfail(p, "unexpected end of document");
	c = p->b[p->pos];
	if (c == '{' || c == '[')
		return jcontainer(p, v, depth, c == '{');
	if (c == '"') {
		v->type = J_STR;
		return jstring(p, &v->s);
	}
	for (size_t i = 0; i < 3; i++) {
		size_t l = strlen(lits[i]);

		if (p->len - p->pos >= l &&
		    !memcmp(p->b + p->pos, lits[i], l)) {
			v->type = i == 2 ? J_NULL : J_BOOL;
			v->s = strdup(lits[i]);
			p->pos += l;
			return v->s ? 0 : -ENOMEM;
		}
	}
	if (c == '-' || (c >= '0' && c <= '9')) {
		size_t st = p->pos;

		while (p->pos < p->len &&
		       strchr("+-0123456789.eE", p->b[p->pos]))
			p->pos++;
		v->type = J_NUM;
		v->s = strndup(p->b + st, p->pos - st);
		return v->s ? 0 : -ENOMEM;
	}
	return jfail(p, "unexpected character '%c'", c);
}

static const struct jv *jget(const struct jv *o, const char *key)
{
	if (!o || o->type != J_OBJ)
		return NULL;
	for (int i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return &o->kids[i];
	return NULL;
}

/* Scalar at a dotted path as text ("" when absent). */
static const char *jtext(const struct jv *o, const char *path)
{
	char part[64];
	const char *dot;

	while ((dot = strchr(path, '.')) && o) {
		size_t l = (size_t)(dot - path);

		if (l >= sizeof(part))
			return "";
		memcpy(part, path, l);
		part[l] = '\0';
		o = jget(o, part);
		path = dot + 1;
	}
	o = jget(o, path);
	return o && o->s ? o->s : "";
}

/* ------------------------------------------------------------- the diff */

static const char *tri_text(int v)
{
	return v < 0 ? "null" : v ? "true" : "false";
}

static void dev_fields(const struct audit_dev *d, const char **names,
		       char vals[][64], int *n)
{
	int i = 0;

	names[i] = "driver";
	snprintf(vals[i++], 64, "%s", d->driver);
	names[i] = "bus_master";
	snprintf(vals[i++], 64, "%s", d->bus_master ? "true" : "false");
	names[i] = "iommu_group";
	if (d->iommu_group < 0)
		snprintf(vals[i++], 64, "null");
	else
		snprintf(vals[i++], 64, "%d", d->iommu_group);
	names[i] = "domain_type";
	snprintf(vals[i++], 64, "%s", d->domain_type);
	names[i] = "ats.enabled";
	snprintf(vals[i++], 64, "%s", tri_text(d->ats_en));
	names[i] = "external";
	snprintf(vals[i++], 64, "%s", tri_text(d->external));
	names[i] = "dma_reach.kind";
	snprintf(vals[i++], 64, "%s", audit_reach_name(d->reach));
	*n = i;
}

int audit_baseline_diff(const char *old_path, const struct audit_inv *inv,
			const struct audit_findings *fs, FILE *f, char *err,
			size_t errlen)
{
	FILE *in = fopen(old_path, "re");
	struct jp p = { 0 };
	struct jv root;
	const struct jv *odevs, *ofind;
	const char *schema;
	char *buf;
	size_t n;
	int changes = 0, rc;

	if (!in) {
		snprintf(err, errlen, "%s: %s", old_path, strerror(errno));
		return -errno;
	}
	buf = malloc(JMAX_SIZE + 1);
	if (!buf) {
		fclose(in);
		return -ENOMEM;
	}
	n = fread(buf, 1, JMAX_SIZE + 1, in);
	fclose(in);
	if (n > JMAX_SIZE) {
		snprintf(err, errlen, "%s: larger than %u bytes", old_path,
			 JMAX_SIZE);
		free(buf);
		return -EFBIG;
	}
	p.b = buf;
	p.len = n;
	p.err = err;
	p.errlen = errlen;
	rc = jvalue(&p, &root, 0);
	if (!rc) {
		ws(&p);
		if (p.pos != p.len)
			rc = jfail(&p, "trailing data after the document");
	}
	free(buf);
	if (rc) {
		/* Prefix the file name to the byte-offset message. */
		char tmp[512];

		snprintf(tmp, sizeof(tmp), "%s: %s", old_path, err);
		snprintf(err, errlen, "%s", tmp);
		jfree(&root);
		return rc;
	}
	schema = jtext(&root, "schema");
	odevs = jget(&root, "devices");
	ofind = jget(&root, "findings");
	if ((strcmp(schema, "thinhv-scan-v1") &&
	     strcmp(schema, "thinhv-report-v1")) ||
	    !odevs || odevs->type != J_ARR || !ofind || ofind->type != J_ARR) {
		snprintf(err, errlen,
			 "%s: not a thinhv-scan-v1 or thinhv-report-v1 "
			 "document (schema '%s')",
			 old_path, schema);
		jfree(&root);
		return -EINVAL;
	}

	fprintf(f, "\nChanges since %s\n", old_path);
	for (const char *const *k =
		 (const char *const[]){ "platform.iommu.translation",
					"platform.iommu.owner", NULL };
	     *k; k++) {
		const char *ov = jtext(&root, *k);
		const char *nv = strstr(*k, "owner") ? inv->plat.owner
						     : inv->plat.translation;

		if (strcmp(ov, nv)) {
			fprintf(f, "  ~ %s: %s -> %s\n", *k + 9, ov, nv);
			changes++;
		}
	}
	/* Devices: removed, added, changed. */
	for (int i = 0; i < odevs->n; i++) {
		const char *bdf = jtext(&odevs->kids[i], "bdf");
		bool found = false;

		for (int k = 0; k < inv->ndevs && !found; k++)
			found = !strcmp(inv->devs[k].bdf, bdf);
		if (!found) {
			fprintf(f, "  - device %s %s:%s removed\n", bdf,
				jtext(&odevs->kids[i], "vendor_id"),
				jtext(&odevs->kids[i], "device_id"));
			changes++;
		}
	}
	for (int k = 0; k < inv->ndevs; k++) {
		const struct audit_dev *d = &inv->devs[k];
		const struct jv *od = NULL;
		const char *names[8];
		char vals[8][64];
		int nf;

		for (int i = 0; i < odevs->n && !od; i++)
			if (!strcmp(jtext(&odevs->kids[i], "bdf"), d->bdf))
				od = &odevs->kids[i];
		if (!od) {
			fprintf(f, "  + device %s %04x:%04x added\n", d->bdf,
				d->vendor, d->device);
			changes++;
			continue;
		}
		dev_fields(d, names, vals, &nf);
		for (int q = 0; q < nf; q++) {
			const char *ov = jtext(od, names[q]);

			if (strcmp(ov, vals[q])) {
				fprintf(f, "  ~ device %s %s: %s -> %s\n",
					d->bdf, names[q], ov[0] ? ov : "\"\"",
					vals[q][0] ? vals[q] : "\"\"");
				changes++;
			}
		}
	}
	/* Findings keyed by (id, subject). */
	for (int i = 0; i < ofind->n; i++) {
		const struct jv *of = &ofind->kids[i];
		bool found = false;

		for (int k = 0; k < fs->n && !found; k++)
			found = !strcmp(fs->f[k].id, jtext(of, "id")) &&
				!strcmp(fs->f[k].subject, jtext(of, "subject"));
		if (!found) {
			fprintf(f, "  - resolved %s %s %s\n", jtext(of, "id"),
				jtext(of, "subject"), jtext(of, "title"));
			changes++;
		}
	}
	for (int k = 0; k < fs->n; k++) {
		bool found = false;

		for (int i = 0; i < ofind->n && !found; i++)
			found = !strcmp(fs->f[k].id,
					jtext(&ofind->kids[i], "id")) &&
				!strcmp(fs->f[k].subject,
					jtext(&ofind->kids[i], "subject"));
		if (!found) {
			fprintf(f, "  + new %s %s %s %s\n",
				audit_sev_name(fs->f[k].sev), fs->f[k].id,
				fs->f[k].subject, fs->f[k].title);
			changes++;
		}
	}
	fprintf(f, "  %d change(s)\n", changes);
	jfree(&root);
	return 0;
}
