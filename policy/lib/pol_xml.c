// SPDX-License-Identifier: GPL-2.0-only
/*
 * pol_xml.c - policy XML front end (host userspace): reads a policy file as
 * hostile input with libxml2 (no network, no DTD, no entities), validates it
 * against the embedded XSD, then checks its meaning, naming file:line and
 * the rule in every error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include "policy/lib/pol_internal.h"

void pol_errf(struct pol_err *e, const char *fmt, ...)
{
	va_list ap;

	if (!e || e->msg[0])
		return;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

int pol_read_file(const char *path, size_t max, char **buf, size_t *len,
		  struct pol_err *e)
{
	char *b = NULL;
	size_t n = 0;
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;

		pol_errf(e, "%s: cannot open: %s", path, strerror(err));
		return -err;
	}
	b = malloc(max + 1);
	if (!b) {
		close(fd);
		pol_errf(e, "%s: out of memory", path);
		return -ENOMEM;
	}
	/* Read one byte past the limit to tell "exactly max" from "more". */
	for (;;) {
		r = read(fd, b + n, max + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int err = errno;

			pol_errf(e, "%s: read error: %s", path, strerror(err));
			free(b);
			close(fd);
			return -err;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			pol_errf(e, "%s: larger than the %zu-byte limit", path,
				 max);
			free(b);
			close(fd);
			return -EFBIG;
		}
	}
	close(fd);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

int pol_parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0, mul = 1;
	unsigned int base = 10, digits = 0;
	const char *p = s;

	if (!s || !*s)
		return -EINVAL;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (; *p; p++) {
		unsigned int d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned int)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned int)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned int)(*p - 'A' + 10);
		else
			break;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
		digits++;
	}
	if (!digits)
		return -EINVAL;
	switch (*p) {
	case '\0':
		break;
	case 'K':
		mul = 1ULL << 10;
		break;
	case 'M':
		mul = 1ULL << 20;
		break;
	case 'G':
		mul = 1ULL << 30;
		break;
	case 'T':
		mul = 1ULL << 40;
		break;
	default:
		return -EINVAL;
	}
	if (*p && p[1])
		return -EINVAL;
	if (v > UINT64_MAX / mul)
		return -ERANGE;
	*out = v * mul;
	return 0;
}

/* ---- libxml2 diagnostics ------------------------------------------------ */

struct xml_ctx {
	const char *file;
	struct pol_err *e;
};

static const char *rule_name_of(xmlNodePtr n, char *buf, size_t len)
{
	for (; n; n = n->parent) {
		xmlChar *name;

		if (n->type != XML_ELEMENT_NODE ||
		    xmlStrcmp(n->name, BAD_CAST "rule"))
			continue;
		name = xmlGetProp(n, BAD_CAST "name");
		snprintf(buf, len, "%s", name ? (const char *)name : "?");
		xmlFree(name);
		return buf;
	}
	return NULL;
}

static void xml_error(void *user, xmlErrorPtr err)
{
	struct xml_ctx *c = user;
	char rule[64], msg[POL_ERR_MAX];
	const char *rn = NULL;
	size_t n;

	if (!c || !err || c->e->msg[0])
		return;
	snprintf(msg, sizeof(msg), "%s", err->message ? err->message : "?");
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	if (err->node)
		rn = rule_name_of(err->node, rule, sizeof(rule));
	if (rn)
		pol_errf(c->e, "%s:%d: rule '%s': %s", c->file, err->line, rn,
			 msg);
	else
		pol_errf(c->e, "%s:%d: %s", c->file, err->line, msg);
}

static void xml_generic_silent(void *user, const char *fmt, ...)
{
}

static xmlSchemaPtr load_schema(struct xml_ctx *c)
{
	/* Parsed once; the schema is read-only afterwards. */
	static xmlSchemaPtr schema;
	xmlSchemaParserCtxtPtr pc;
	size_t len;
	const char *xsd;

	if (schema)
		return schema;
	xsd = pol_xsd_text(&len);
	pc = xmlSchemaNewMemParserCtxt(xsd, (int)len);
	if (!pc)
		return NULL;
	schema = xmlSchemaParse(pc);
	xmlSchemaFreeParserCtxt(pc);
	if (!schema)
		pol_errf(c->e,
			 "internal error: embedded policy schema invalid");
	return schema;
}

static int line_at(const char *buf, size_t off)
{
	int line = 1;

	for (size_t i = 0; i < off; i++)
		if (buf[i] == '\n')
			line++;
	return line;
}

static const char *find_bytes(const char *buf, size_t len, const char *pat)
{
	size_t pl = strlen(pat);

	for (size_t i = 0; i + pl <= len; i++)
		if (!memcmp(buf + i, pat, pl))
			return buf + i;
	return NULL;
}

/* ---- semantic pass ---------------------------------------------------- */

struct sem {
	const char *file;
	struct pol_err *e;
	struct pol_policy *p;
};

#define SEM_ERR(s, line, rule, ...) sem_err(s, line, rule, __VA_ARGS__)

static int sem_err(struct sem *s, int line, const char *rule, const char *fmt,
		   ...) __attribute__((format(printf, 4, 5)));

static int sem_err(struct sem *s, int line, const char *rule, const char *fmt,
		   ...)
{
	char msg[POL_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (rule)
		pol_errf(s->e, "%s:%d: rule '%s': %s", s->file, line, rule,
			 msg);
	else
		pol_errf(s->e, "%s:%d: %s", s->file, line, msg);
	return -EINVAL;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * One match component: exactly `digits` hex digits, or "*" (wildcard).
 * Advances *pp. Returns 1 for a value, 0 for a wildcard, -1 on error.
 */
static int parse_part(const char **pp, unsigned int digits, uint32_t *v)
{
	const char *p = *pp;

	if (*p == '*') {
		*pp = p + 1;
		return 0;
	}
	*v = 0;
	for (unsigned int i = 0; i < digits; i++) {
		int h = hexval(p[i]);

		if (h < 0)
			return -1;
		*v = (*v << 4) | (uint32_t)h;
	}
	*pp = p + digits;
	return 1;
}

static int expect(const char **pp, char c)
{
	if (**pp != c)
		return -1;
	(*pp)++;
	return 0;
}

/* [SSSS:]BB:DD.F with wildcards; an omitted segment means 0000. */
static int parse_bdf(const char *s, uint32_t *match, struct pol_dev_id *id,
		     bool exact)
{
	const char *p = s, *colon2;
	uint32_t v = 0;
	int r;

	colon2 = strchr(s, ':');
	if (colon2 && strchr(colon2 + 1, ':')) {
		r = parse_part(&p, 4, &v);
		if (r < 0 || expect(&p, ':'))
			return -1;
		if (r) {
			*match |= POL_M_SEGMENT;
			id->segment = (uint16_t)v;
		}
	} else {
		*match |= POL_M_SEGMENT;
		id->segment = 0;
	}
	r = parse_part(&p, 2, &v);
	if (r < 0 || expect(&p, ':'))
		return -1;
	if (r) {
		*match |= POL_M_BUS;
		id->bus = (uint8_t)v;
	}
	r = parse_part(&p, 2, &v);
	if (r < 0 || expect(&p, '.'))
		return -1;
	if (r) {
		if (v > 31)
			return -2;
		*match |= POL_M_DEVICE;
		id->device = (uint8_t)v;
	}
	r = parse_part(&p, 1, &v);
	if (r < 0 || *p)
		return -1;
	if (r) {
		if (v > 7)
			return -2;
		*match |= POL_M_FUNCTION;
		id->function = (uint8_t)v;
	}
	if (exact && (*match & POL_M_LOCATION) != POL_M_LOCATION)
		return -1;
	return 0;
}

static int parse_ids(const char *s, uint32_t *match, struct pol_dev_id *id)
{
	static const uint32_t flags[4] = { POL_M_VENDOR, POL_M_DEVICE_ID,
					   POL_M_SUBVENDOR, POL_M_SUBDEVICE };
	uint16_t *dst[4] = { &id->vendor, &id->device_id, &id->subvendor,
			     &id->subdevice };
	const char *p = s;

	for (unsigned int i = 0; i < 4; i++) {
		uint32_t v = 0;
		int r;

		if (i == 2 && !*p)
			return 0; /* vendor:device only */
		if (i > 0 && expect(&p, ':'))
			return -1;
		r = parse_part(&p, 4, &v);
		if (r < 0)
			return -1;
		if (r) {
			*match |= flags[i];
			*dst[i] = (uint16_t)v;
		}
	}
	return *p ? -1 : 0;
}

static int parse_class(const char *s, uint32_t *match, struct pol_dev_id *id)
{
	static const uint32_t flags[3] = { POL_M_CLASS, POL_M_SUBCLASS,
					   POL_M_PROG_IF };
	uint8_t *dst[3] = { &id->class_code, &id->subclass, &id->prog_if };
	const char *p = s;

	for (unsigned int i = 0; i < 3; i++) {
		uint32_t v = 0;
		int r;

		if (i > 0) {
			if (!*p)
				return 0;
			if (expect(&p, ':'))
				return -1;
		}
		r = parse_part(&p, 2, &v);
		if (r < 0)
			return -1;
		if (r) {
			*match |= flags[i];
			*dst[i] = (uint8_t)v;
		}
	}
	return *p ? -1 : 0;
}

static char *prop(xmlNodePtr n, const char *name)
{
	return (char *)xmlGetProp(n, BAD_CAST name);
}

/* Element text with runs of whitespace collapsed (for one-line reports). */
static char *text_dup(xmlNodePtr n)
{
	xmlChar *t = xmlNodeGetContent(n);
	char *d = t ? strdup((const char *)t) : NULL, *w = d;
	bool space = true;

	xmlFree(t);
	for (const char *r = d; r && *r; r++) {
		if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
			if (!space)
				*w++ = ' ';
			space = true;
		} else {
			*w++ = *r;
			space = false;
		}
	}
	if (w && w > d && w[-1] == ' ')
		w--;
	if (w)
		*w = '\0';
	return d;
}

static int range_cmp(const void *a, const void *b)
{
	const struct pol_src_window *x = a, *y = b;

	if (x->base != y->base)
		return x->base < y->base ? -1 : 1;
	return x->line - y->line;
}

/* The action element (deny|identity|window) at n. */
static int sem_action(struct sem *s, xmlNodePtr n, const char *rule,
		      uint16_t *action, struct pol_src_window **wins,
		      unsigned int *nwins)
{
	unsigned int count = 0, i = 0;
	struct pol_src_window *w;

	*wins = NULL;
	*nwins = 0;
	if (!xmlStrcmp(n->name, BAD_CAST "deny")) {
		*action = POL_ACTION_DENY;
		return 0;
	}
	if (!xmlStrcmp(n->name, BAD_CAST "identity")) {
		*action = POL_ACTION_IDENTITY;
		return 0;
	}
	if (xmlStrcmp(n->name, BAD_CAST "window"))
		return SEM_ERR(s, (int)xmlGetLineNo(n), rule,
			       "unknown action <%s>", (const char *)n->name);
	*action = POL_ACTION_WINDOW;
	for (xmlNodePtr c = xmlFirstElementChild(n); c;
	     c = xmlNextElementSibling(c))
		count++;
	if (count == 0 || count > POL_MAX_WINDOWS_PER_RULE)
		return SEM_ERR(s, (int)xmlGetLineNo(n), rule,
			       "a window needs 1 to %d ranges",
			       POL_MAX_WINDOWS_PER_RULE);
	w = calloc(count, sizeof(*w));
	if (!w)
		return SEM_ERR(s, (int)xmlGetLineNo(n), rule, "out of memory");
	*wins = w;
	for (xmlNodePtr c = xmlFirstElementChild(n); c;
	     c = xmlNextElementSibling(c), i++) {
		char *b = prop(c, "base"), *sz = prop(c, "size");
		char *acc = prop(c, "access");
		int line = (int)xmlGetLineNo(c), rb, rs;

		w[i].line = line;
		rb = pol_parse_size(b, &w[i].base);
		rs = pol_parse_size(sz, &w[i].size);
		w[i].flags = POL_WIN_READ;
		if (acc && !strcmp(acc, "rw"))
			w[i].flags |= POL_WIN_WRITE;
		if (rb)
			SEM_ERR(s, line, rule, "range base '%s' %s", b ? b : "",
				rb == -ERANGE ? "overflows 64 bits"
					      : "is not a number");
		else if (rs)
			SEM_ERR(s, line, rule, "range size '%s' %s",
				sz ? sz : "",
				rs == -ERANGE ? "overflows 64 bits"
					      : "is not a number");
		else if (!HV_IS_ALIGNED(w[i].base, POL_PAGE_SIZE))
			SEM_ERR(s, line, rule,
				"range base 0x%llx is not 4 KiB aligned",
				(unsigned long long)w[i].base);
		else if (w[i].size == 0)
			SEM_ERR(s, line, rule, "range size is zero");
		else if (!HV_IS_ALIGNED(w[i].size, POL_PAGE_SIZE))
			SEM_ERR(s, line, rule,
				"range size 0x%llx is not a multiple of 4 KiB",
				(unsigned long long)w[i].size);
		else if (!hv_fits(w[i].base, w[i].size, POL_PHYS_LIMIT))
			SEM_ERR(s, line, rule,
				"range 0x%llx+0x%llx ends above the 52-bit "
				"physical address limit",
				(unsigned long long)w[i].base,
				(unsigned long long)w[i].size);
		xmlFree(b);
		xmlFree(sz);
		xmlFree(acc);
		if (s->e->msg[0])
			return -EINVAL;
	}
	*nwins = count;
	qsort(w, count, sizeof(*w), range_cmp);
	for (i = 1; i < count; i++)
		if (w[i].base < w[i - 1].base + w[i - 1].size)
			return SEM_ERR(s, w[i].line, rule,
				       "range overlaps the range at line %d",
				       w[i - 1].line);
	return 0;
}

static int sem_match(struct sem *s, xmlNodePtr m, struct pol_src_rule *r)
{
	int line = (int)xmlGetLineNo(m), ret = 0;
	char *bdf = prop(m, "bdf"), *id = prop(m, "id");
	char *cls = prop(m, "class"), *ext = prop(m, "external");
	char *behind = prop(m, "behind"), *drv = prop(m, "driver");

	r->external = POL_EXT_ANY;
	if (!bdf && !id && !cls && !ext && !behind && !drv) {
		ret = SEM_ERR(s, line, r->name,
			      "<match> has no attribute (use <default> for "
			      "devices no rule names)");
		goto out;
	}
	if (bdf) {
		int b = parse_bdf(bdf, &r->match, &r->id, false);

		if (b)
			ret = SEM_ERR(s, line, r->name, "bad bdf '%s'%s", bdf,
				      b == -2 ? ": device > 1f or function > 7"
					      : "");
	}
	if (!ret && id && parse_ids(id, &r->match, &r->id))
		ret = SEM_ERR(s, line, r->name, "bad id '%s'", id);
	if (!ret && cls && parse_class(cls, &r->match, &r->id))
		ret = SEM_ERR(s, line, r->name, "bad class '%s'", cls);
	if (!ret && behind) {
		uint32_t bm = 0;

		if (parse_bdf(behind, &bm, &r->behind, true))
			ret = SEM_ERR(s, line, r->name,
				      "bad behind '%s' (need an exact bridge "
				      "address)",
				      behind);
		r->has_behind = true;
	}
	if (!ret && ext) {
		/* xs:boolean collapses whitespace: do the same, and never
		 * read an unexpected spelling as "false" (that widens). */
		char v[8] = "";
		const char *a = ext;
		size_t n;

		while (*a == ' ' || *a == '\t' || *a == '\n' || *a == '\r')
			a++;
		n = strcspn(a, " \t\n\r");
		if (n < sizeof(v))
			memcpy(v, a, n);
		if (!strcmp(v, "true") || !strcmp(v, "1"))
			r->external = 1;
		else if (!strcmp(v, "false") || !strcmp(v, "0"))
			r->external = 0;
		else
			ret =
			    SEM_ERR(s, line, r->name, "bad external '%s'", ext);
	}
	if (!ret && drv) {
		r->driver = strdup(drv);
		if (!r->driver)
			ret = SEM_ERR(s, line, r->name, "out of memory");
	}
	/*
	 * All-wildcard values ("*:*:*.*", "*:*") leave nothing for the
	 * hypervisor to match: refuse, as the rule would silently catch
	 * every device. (A segment implied by an omitted "SSSS:" counts as
	 * fixing nothing here; an explicit one selects a whole segment.)
	 */
	if (!ret && !pol_src_rule_host_only(r) &&
	    (r->match == 0 || (r->match == POL_M_SEGMENT && bdf &&
			       !strchr(strchr(bdf, ':') + 1, ':'))))
		ret = SEM_ERR(s, line, r->name,
			      "match fixes no field; every device would "
			      "match (use <default>)");
out:
	xmlFree(bdf);
	xmlFree(id);
	xmlFree(cls);
	xmlFree(ext);
	xmlFree(behind);
	xmlFree(drv);
	return ret;
}

static int sem_rule(struct sem *s, xmlNodePtr n, struct pol_src_rule *r)
{
	char *name = prop(n, "name");
	xmlNodePtr c = xmlFirstElementChild(n);
	int ret;

	r->line = (int)xmlGetLineNo(n);
	r->external = POL_EXT_ANY;
	if (!name || !pol_name_valid(name, strlen(name))) {
		ret = SEM_ERR(s, r->line, NULL, "bad rule name '%s'",
			      name ? name : "");
		xmlFree(name);
		return ret;
	}
	snprintf(r->name, sizeof(r->name), "%s", name);
	xmlFree(name);
	if (c && !xmlStrcmp(c->name, BAD_CAST "description")) {
		r->description = text_dup(c);
		c = xmlNextElementSibling(c);
	}
	if (!c || xmlStrcmp(c->name, BAD_CAST "match"))
		return SEM_ERR(s, r->line, r->name, "missing <match>");
	ret = sem_match(s, c, r);
	if (ret)
		return ret;
	c = xmlNextElementSibling(c);
	if (!c)
		return SEM_ERR(s, r->line, r->name, "missing action");
	return sem_action(s, c, r->name, &r->action, &r->wins, &r->nwins);
}

static int sem_policy(struct sem *s, xmlNodePtr root)
{
	struct pol_policy *p = s->p;
	unsigned int n = 0;
	xmlNodePtr c;
	int ret;

	for (c = xmlFirstElementChild(root); c; c = xmlNextElementSibling(c))
		if (!xmlStrcmp(c->name, BAD_CAST "rule"))
			n++;
	if (n > POL_MAX_RULES)
		return SEM_ERR(s, (int)xmlGetLineNo(root), NULL,
			       "more than %d rules", POL_MAX_RULES);
	p->rules = calloc(n ? n : 1, sizeof(*p->rules));
	if (!p->rules)
		return SEM_ERR(s, 0, NULL, "out of memory");
	for (c = xmlFirstElementChild(root); c; c = xmlNextElementSibling(c)) {
		if (!xmlStrcmp(c->name, BAD_CAST "description")) {
			p->description = text_dup(c);
		} else if (!xmlStrcmp(c->name, BAD_CAST "rule")) {
			struct pol_src_rule *r = &p->rules[p->nrules++];

			ret = sem_rule(s, c, r);
			if (ret)
				return ret;
			for (unsigned int i = 0; i + 1 < p->nrules; i++)
				if (!strcmp(p->rules[i].name, r->name))
					return SEM_ERR(
					    s, r->line, r->name,
					    "name already used at line %d",
					    p->rules[i].line);
		} else if (!xmlStrcmp(c->name, BAD_CAST "default")) {
			xmlNodePtr a = xmlFirstElementChild(c);

			p->default_line = (int)xmlGetLineNo(c);
			if (!a)
				return SEM_ERR(s, p->default_line, NULL,
					       "<default> needs an action");
			ret = sem_action(s, a, NULL, &p->default_action,
					 &p->dwins, &p->ndwins);
			if (ret)
				return ret;
		} else {
			return SEM_ERR(s, (int)xmlGetLineNo(c), NULL,
				       "unknown element <%s>",
				       (const char *)c->name);
		}
	}
	if (!p->default_action)
		return SEM_ERR(s, (int)xmlGetLineNo(root), NULL,
			       "missing <default>");
	return 0;
}

int pol_xml_parse(const char *buf, size_t len, const char *name,
		  struct pol_policy *out, struct pol_err *e)
{
	struct xml_ctx xc = { name ? name : "<policy>", e };
	struct sem s = { xc.file, e, out };
	xmlParserCtxtPtr pctx = NULL;
	xmlSchemaValidCtxtPtr vctx = NULL;
	xmlSchemaPtr schema;
	xmlDocPtr doc = NULL;
	const char *bad;
	int ret = -EINVAL;

	memset(out, 0, sizeof(*out));
	e->msg[0] = '\0';
	if (len > POL_XML_MAX_BYTES) {
		pol_errf(e, "%s: larger than the %d-byte limit", xc.file,
			 POL_XML_MAX_BYTES);
		return -EFBIG;
	}
	if (len == 0) {
		pol_errf(e, "%s:1: empty policy", xc.file);
		return -EINVAL;
	}
	/*
	 * No document type declarations at all: they are the only way to
	 * define entities or pull in external files, and a policy needs none.
	 */
	/*
	 * UTF-8 only (forced below too): a UTF-16/32 or EBCDIC document could
	 * otherwise hide a DOCTYPE from the byte scan that follows. Every
	 * other encoding of ASCII markup contains NUL bytes or is garbage
	 * when read as UTF-8.
	 */
	bad = memchr(buf, '\0', len);
	if (bad) {
		pol_errf(e,
			 "%s:%d: NUL byte at offset %zu (a policy is UTF-8 "
			 "text)",
			 xc.file, line_at(buf, (size_t)(bad - buf)),
			 (size_t)(bad - buf));
		return -EINVAL;
	}
	bad = find_bytes(buf, len, "<!DOCTYPE");
	if (!bad)
		bad = find_bytes(buf, len, "<!ENTITY");
	if (bad) {
		pol_errf(e,
			 "%s:%d: DOCTYPE/ENTITY declarations are not allowed",
			 xc.file, line_at(buf, (size_t)(bad - buf)));
		return -EINVAL;
	}
	out->file = strdup(xc.file);
	if (!out->file) {
		pol_errf(e, "%s: out of memory", xc.file);
		return -ENOMEM;
	}

	xmlSetStructuredErrorFunc(&xc, xml_error);
	xmlSetGenericErrorFunc(NULL, xml_generic_silent);
	pctx = xmlNewParserCtxt();
	if (!pctx) {
		pol_errf(e, "%s: out of memory", xc.file);
		ret = -ENOMEM;
		goto out;
	}
	/* NONET; deliberately no NOENT, DTDLOAD, DTDATTR, XINCLUDE, HUGE. */
	doc = xmlCtxtReadMemory(pctx, buf, (int)len, xc.file, "UTF-8",
				XML_PARSE_NONET | XML_PARSE_NOCDATA);
	if (!doc || !pctx->wellFormed) {
		pol_errf(e, "%s: not well-formed XML", xc.file);
		goto out;
	}
	if (doc->intSubset || doc->extSubset) {
		pol_errf(e, "%s: DOCTYPE declarations are not allowed",
			 xc.file);
		goto out;
	}
	schema = load_schema(&xc);
	if (!schema)
		goto out;
	vctx = xmlSchemaNewValidCtxt(schema);
	if (!vctx) {
		pol_errf(e, "%s: out of memory", xc.file);
		goto out;
	}
	xmlSchemaSetValidStructuredErrors(vctx, xml_error, &xc);
	if (xmlSchemaValidateDoc(vctx, doc) != 0) {
		pol_errf(e, "%s: does not follow the policy schema", xc.file);
		goto out;
	}
	ret = sem_policy(&s, xmlDocGetRootElement(doc));
out:
	if (vctx)
		xmlSchemaFreeValidCtxt(vctx);
	if (doc)
		xmlFreeDoc(doc);
	if (pctx)
		xmlFreeParserCtxt(pctx);
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlSetGenericErrorFunc(NULL, NULL);
	if (ret) {
		if (!e->msg[0])
			pol_errf(e, "%s: invalid policy", xc.file);
		pol_policy_free(out);
	}
	return ret;
}

int pol_xml_load(const char *path, struct pol_policy *out, struct pol_err *e)
{
	char *buf;
	size_t len;
	int ret;

	memset(out, 0, sizeof(*out));
	e->msg[0] = '\0';
	ret = pol_read_file(path, POL_XML_MAX_BYTES, &buf, &len, e);
	if (ret)
		return ret;
	ret = pol_xml_parse(buf, len, path, out, e);
	free(buf);
	return ret;
}

void pol_policy_free(struct pol_policy *p)
{
	for (unsigned int i = 0; p->rules && i < p->nrules; i++) {
		free(p->rules[i].description);
		free(p->rules[i].driver);
		free(p->rules[i].wins);
	}
	free(p->rules);
	free(p->dwins);
	free(p->description);
	free(p->file);
	memset(p, 0, sizeof(*p));
}
