// SPDX-License-Identifier: GPL-2.0-only
/*
 * pol_compile.c - policy model to canonical blob, the policy digest, and
 * blob back to policy XML (host userspace).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "policy/lib/pol_internal.h"

#define HOFF(f) offsetof(struct pol_blob_header, f)
#define ROFF(f) offsetof(struct pol_blob_rule, f)
#define WOFF(f) offsetof(struct pol_blob_window, f)

/* One blob rule before encoding, with where it came from. */
struct crule {
	struct pol_rule_info info;
	unsigned int src;
	const struct pol_src_window *wins; /* the source rule's, sorted */
	unsigned int nwins;
};

static int crule_cmp(const void *a, const void *b)
{
	const struct crule *x = a, *y = b;

	return pol_rule_cmp(&x->info, &y->info);
}

static void put_rule(uint8_t *p, const struct pol_rule_info *r)
{
	memcpy(p, r->name, POL_NAME_LEN);
	hv_put_le32(p + ROFF(match), r->match);
	hv_put_le16(p + ROFF(segment), r->id.segment);
	p[ROFF(bus)] = r->id.bus;
	p[ROFF(device)] = r->id.device;
	p[ROFF(function)] = r->id.function;
	p[ROFF(class_code)] = r->id.class_code;
	p[ROFF(subclass)] = r->id.subclass;
	p[ROFF(prog_if)] = r->id.prog_if;
	hv_put_le16(p + ROFF(vendor), r->id.vendor);
	hv_put_le16(p + ROFF(device_id), r->id.device_id);
	hv_put_le16(p + ROFF(subvendor), r->id.subvendor);
	hv_put_le16(p + ROFF(subdevice), r->id.subdevice);
	hv_put_le16(p + ROFF(action), r->action);
	hv_put_le16(p + ROFF(specificity), r->specificity);
	hv_put_le32(p + ROFF(win_first), r->win_first);
	hv_put_le32(p + ROFF(win_count), r->win_count);
}

/*
 * Canonical windows: sorted (the front end sorted and refused overlaps),
 * adjacent ranges with equal access merged. Writes to out (may be NULL to
 * count) and returns the count.
 */
static unsigned int canon_windows(const struct pol_src_window *w,
				  unsigned int n, uint8_t *out)
{
	unsigned int cnt = 0;

	for (unsigned int i = 0; i < n;) {
		uint64_t base = w[i].base, end = w[i].base + w[i].size;
		uint32_t flags = w[i].flags;

		for (i++; i < n && w[i].base == end && w[i].flags == flags; i++)
			end += w[i].size;
		if (out) {
			uint8_t *p = out + (size_t)cnt * POL_WINDOW_SIZE;

			memset(p, 0, POL_WINDOW_SIZE);
			hv_put_le64(p + WOFF(base), base);
			hv_put_le64(p + WOFF(size), end - base);
			hv_put_le32(p + WOFF(flags), flags);
		}
		cnt++;
	}
	return cnt;
}

/* Zero every value the match leaves wildcard (canonical form). */
static void clear_wildcards(struct pol_rule_info *r)
{
	struct pol_dev_id z;

	memset(&z, 0, sizeof(z));
#define KEEP(flag, field)                      \
	do {                                   \
		if (r->match & (flag))         \
			z.field = r->id.field; \
	} while (0)
	KEEP(POL_M_SEGMENT, segment);
	KEEP(POL_M_BUS, bus);
	KEEP(POL_M_DEVICE, device);
	KEEP(POL_M_FUNCTION, function);
	KEEP(POL_M_VENDOR, vendor);
	KEEP(POL_M_DEVICE_ID, device_id);
	KEEP(POL_M_SUBVENDOR, subvendor);
	KEEP(POL_M_SUBDEVICE, subdevice);
	KEEP(POL_M_CLASS, class_code);
	KEEP(POL_M_SUBCLASS, subclass);
	KEEP(POL_M_PROG_IF, prog_if);
#undef KEEP
	r->id = z;
}

static void describe_dev(char *buf, size_t len, const struct pol_rule_info *a,
			 const struct pol_rule_info *b)
{
	/* A device both rules match: the union of their fixed fields. */
	struct pol_rule_info u = *a;
	char bdf[16];

	u.match |= b->match;
#define TAKE(flag, field)                                        \
	do {                                                     \
		if (!(a->match & (flag)) && (b->match & (flag))) \
			u.id.field = b->id.field;                \
	} while (0)
	TAKE(POL_M_SEGMENT, segment);
	TAKE(POL_M_BUS, bus);
	TAKE(POL_M_DEVICE, device);
	TAKE(POL_M_FUNCTION, function);
	TAKE(POL_M_VENDOR, vendor);
	TAKE(POL_M_DEVICE_ID, device_id);
	TAKE(POL_M_SUBVENDOR, subvendor);
	TAKE(POL_M_SUBDEVICE, subdevice);
	TAKE(POL_M_CLASS, class_code);
	TAKE(POL_M_SUBCLASS, subclass);
	TAKE(POL_M_PROG_IF, prog_if);
#undef TAKE
	pol_fmt_bdf(bdf, sizeof(bdf), &u.id);
	snprintf(buf, len, "e.g. %s%s%04x:%04x class %02x%02x%02x",
		 (u.match & POL_M_LOCATION) ? bdf : "",
		 (u.match & POL_M_LOCATION) ? " " : "", u.id.vendor,
		 u.id.device_id, u.id.class_code, u.id.subclass, u.id.prog_if);
}

static int add_crule(struct crule **v, unsigned int *n, unsigned int *cap,
		     const struct crule *c)
{
	if (*n == *cap) {
		unsigned int ncap = *cap ? *cap * 2 : 16;
		struct crule *nv = realloc(*v, ncap * sizeof(**v));

		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = ncap;
	}
	(*v)[(*n)++] = *c;
	return 0;
}

/* Source rules to blob rules, expanding host-only matches by inventory. */
static int expand_rules(const struct pol_policy *p,
			const struct pol_inventory *inv, struct crule **out,
			unsigned int *nout, struct pol_err *e)
{
	struct crule *v = NULL, c;
	unsigned int n = 0, cap = 0;
	int ret;

	for (unsigned int i = 0; i < p->nrules; i++) {
		const struct pol_src_rule *r = &p->rules[i];

		memset(&c, 0, sizeof(c));
		memcpy(c.info.name, r->name, POL_NAME_LEN);
		c.info.match = r->match;
		c.info.id = r->id;
		c.info.action = r->action;
		c.src = i;
		c.wins = r->wins;
		c.nwins = r->nwins;
		if (!pol_src_rule_host_only(r)) {
			clear_wildcards(&c.info);
			c.info.specificity = pol_specificity(c.info.match);
			if (add_crule(&v, &n, &cap, &c))
				goto nomem;
			continue;
		}
		if (!inv) {
			pol_errf(
			    e,
			    "%s:%d: rule '%s': matches on external/"
			    "behind/driver, which the hypervisor cannot "
			    "see; compile with --inventory FILE to resolve "
			    "it to exact device addresses, or match by "
			    "bdf/id/class",
			    p->file, r->line, r->name);
			free(v);
			return -EINVAL;
		}
		/*
		 * Resolved to one exact-device rule per device present now
		 * ("name.BB-DD.F"). A device that appears later (hot plug)
		 * gets none of these rules: it falls to the default, which
		 * is the fail-closed direction for a deny default.
		 */
		for (unsigned int d = 0; d < inv->ndevs; d++) {
			const struct pol_inv_dev *dev = &inv->devs[d];
			struct crule x = c;
			int len;

			if (!pol_rule_matches(&c.info, &dev->id) ||
			    !pol_inv_host_match(inv, dev, r))
				continue;
			/*
			 * Pin the address and the vendor:device found there:
			 * another device put into that slot later does not
			 * inherit the grant.
			 */
			x.info.match |=
			    POL_M_LOCATION | POL_M_VENDOR | POL_M_DEVICE_ID;
			x.info.id.vendor = dev->id.vendor;
			x.info.id.device_id = dev->id.device_id;
			x.info.id.segment = dev->id.segment;
			x.info.id.bus = dev->id.bus;
			x.info.id.device = dev->id.device;
			x.info.id.function = dev->id.function;
			clear_wildcards(&x.info);
			x.info.specificity = pol_specificity(x.info.match);
			memset(x.info.name, 0, POL_NAME_LEN);
			if (dev->id.segment)
				len =
				    snprintf(x.info.name, POL_NAME_LEN,
					     "%s.%04x-%02x-%02x.%x", r->name,
					     dev->id.segment, dev->id.bus,
					     dev->id.device, dev->id.function);
			else
				len = snprintf(x.info.name, POL_NAME_LEN,
					       "%s.%02x-%02x.%x", r->name,
					       dev->id.bus, dev->id.device,
					       dev->id.function);
			if (len < 0 || len >= POL_NAME_LEN) {
				pol_errf(e,
					 "%s:%d: rule '%s': name too long to "
					 "add the device suffix '.BB-DD.F' "
					 "(keep host-only rule names under %d "
					 "characters)",
					 p->file, r->line, r->name,
					 POL_NAME_LEN - 9);
				free(v);
				return -EINVAL;
			}
			memset(x.info.name + len, 0,
			       POL_NAME_LEN - (size_t)len);
			if (add_crule(&v, &n, &cap, &x))
				goto nomem;
		}
	}
	if (n > POL_MAX_RULES) {
		pol_errf(e, "%s: %u rules after expansion (limit %d)", p->file,
			 n, POL_MAX_RULES);
		free(v);
		return -E2BIG;
	}
	*out = v;
	*nout = n;
	return 0;
nomem:
	ret = -ENOMEM;
	pol_errf(e, "out of memory");
	free(v);
	return ret;
}

int pol_compile(const struct pol_policy *p, const struct pol_inventory *inv,
		struct pol_compiled *out, struct pol_err *e)
{
	struct crule *cr = NULL;
	unsigned int n = 0, nwin = 0, w, dwin;
	struct pol_blob_view view;
	struct pol_blob_err berr;
	uint8_t *b = NULL;
	size_t len;
	int ret;

	memset(out, 0, sizeof(*out));
	e->msg[0] = '\0';
	ret = expand_rules(p, inv, &cr, &n, e);
	if (ret)
		return ret;
	qsort(cr, n, sizeof(*cr), crule_cmp);

	/* Most specific wins; equal specificity that can overlap is an error. */
	for (unsigned int i = 0; i < n; i++)
		for (unsigned int j = i + 1;
		     j < n && cr[j].info.specificity == cr[i].info.specificity;
		     j++) {
			const struct crule *x = &cr[i], *y = &cr[j];
			char ex[96];

			if (!pol_rules_overlap(&x->info, &y->info))
				continue;
			/* Name them in file order: easier to find. */
			if (p->rules[x->src].line > p->rules[y->src].line) {
				x = &cr[j];
				y = &cr[i];
			}
			describe_dev(ex, sizeof(ex), &x->info, &y->info);
			pol_errf(e,
				 "%s:%d: rule '%s' and %s:%d: rule '%s' have "
				 "equal specificity %u and can match the same "
				 "device (%s); make one more specific",
				 p->file, p->rules[x->src].line, x->info.name,
				 p->file, p->rules[y->src].line, y->info.name,
				 x->info.specificity, ex);
			ret = -EINVAL;
			goto fail;
		}

	for (unsigned int i = 0; i < n; i++) {
		cr[i].info.win_first = nwin;
		cr[i].info.win_count =
		    cr[i].info.action == POL_ACTION_WINDOW
			? canon_windows(cr[i].wins, cr[i].nwins, NULL)
			: 0;
		nwin += cr[i].info.win_count;
	}
	dwin = p->default_action == POL_ACTION_WINDOW
		   ? canon_windows(p->dwins, p->ndwins, NULL)
		   : 0;
	if (nwin + dwin > POL_MAX_WINDOWS) {
		pol_errf(e, "%s: %u windows (limit %d)", p->file, nwin + dwin,
			 POL_MAX_WINDOWS);
		ret = -E2BIG;
		goto fail;
	}
	len = POL_HEADER_SIZE + (size_t)n * POL_RULE_SIZE +
	      (size_t)(nwin + dwin) * POL_WINDOW_SIZE;
	b = calloc(1, len);
	out->src = calloc(n ? n : 1, sizeof(*out->src));
	if (!b || !out->src) {
		pol_errf(e, "out of memory");
		ret = -ENOMEM;
		goto fail;
	}
	hv_put_le64(b + HOFF(magic), POL_MAGIC);
	hv_put_le32(b + HOFF(version), POL_VERSION);
	hv_put_le32(b + HOFF(header_size), POL_HEADER_SIZE);
	hv_put_le32(b + HOFF(total_size), (uint32_t)len);
	hv_put_le32(b + HOFF(rule_count), n);
	hv_put_le32(b + HOFF(rule_size), POL_RULE_SIZE);
	hv_put_le32(b + HOFF(window_count), nwin + dwin);
	hv_put_le32(b + HOFF(window_size), POL_WINDOW_SIZE);
	hv_put_le32(b + HOFF(rules_offset), POL_HEADER_SIZE);
	hv_put_le32(b + HOFF(windows_offset),
		    POL_HEADER_SIZE + n * POL_RULE_SIZE);
	hv_put_le16(b + HOFF(default_action), p->default_action);
	hv_put_le32(b + HOFF(default_win_first), nwin);
	hv_put_le32(b + HOFF(default_win_count), dwin);
	w = POL_HEADER_SIZE + n * POL_RULE_SIZE;
	for (unsigned int i = 0; i < n; i++) {
		put_rule(b + POL_HEADER_SIZE + (size_t)i * POL_RULE_SIZE,
			 &cr[i].info);
		if (cr[i].info.win_count)
			canon_windows(cr[i].wins, cr[i].nwins,
				      b + w +
					  (size_t)cr[i].info.win_first *
					      POL_WINDOW_SIZE);
		out->src[i] = cr[i].src;
	}
	if (dwin)
		canon_windows(p->dwins, p->ndwins,
			      b + w + (size_t)nwin * POL_WINDOW_SIZE);

	/* Never hand out a blob the hypervisor's validator would refuse. */
	ret = pol_blob_decode(b, len, &view, &berr);
	if (ret) {
		pol_errf(e,
			 "%s: internal error: compiled blob fails validation "
			 "at offset %u: %s",
			 p->file, berr.offset, berr.what);
		goto fail;
	}
	free(cr);
	out->blob = b;
	out->len = len;
	out->nrules = n;
	return 0;
fail:
	free(cr);
	free(b);
	free(out->src);
	out->src = NULL;
	return ret;
}

void pol_compiled_free(struct pol_compiled *c)
{
	free(c->blob);
	free(c->src);
	memset(c, 0, sizeof(*c));
}

int pol_digest_hex(const uint8_t *blob, size_t len, char hex[POL_DIGEST_HEX])
{
	unsigned char d[crypto_hash_sha256_BYTES];

	if (sodium_init() < 0)
		return -EIO;
	if (crypto_hash_sha256(d, blob, len))
		return -EIO;
	sodium_bin2hex(hex, POL_DIGEST_HEX, d, sizeof(d));
	return 0;
}

static void write_action(FILE *f, const struct pol_blob_view *v,
			 uint16_t action, uint32_t first, uint32_t count,
			 const char *ind)
{
	struct pol_window_info w;

	if (action != POL_ACTION_WINDOW) {
		fprintf(f, "%s<%s/>\n", ind, pol_action_name(action));
		return;
	}
	fprintf(f, "%s<window>\n", ind);
	for (uint32_t i = first; i < first + count; i++) {
		if (pol_window_get(v, i, &w))
			break;
		fprintf(f,
			"%s  <range base=\"0x%llx\" size=\"0x%llx\" "
			"access=\"%s\"/>\n",
			ind, (unsigned long long)w.base,
			(unsigned long long)w.size,
			(w.flags & POL_WIN_WRITE) ? "rw" : "ro");
	}
	fprintf(f, "%s</window>\n", ind);
}

static void part(FILE *f, bool present, unsigned int width, unsigned int v)
{
	if (present)
		fprintf(f, "%0*x", (int)width, v);
	else
		fputc('*', f);
}

static void write_match(FILE *f, const struct pol_rule_info *r)
{
	uint32_t m = r->match;

	fprintf(f, "    <match");
	if (m & POL_M_LOCATION) {
		fprintf(f, " bdf=\"");
		part(f, m & POL_M_SEGMENT, 4, r->id.segment);
		fputc(':', f);
		part(f, m & POL_M_BUS, 2, r->id.bus);
		fputc(':', f);
		part(f, m & POL_M_DEVICE, 2, r->id.device);
		fputc('.', f);
		part(f, m & POL_M_FUNCTION, 1, r->id.function);
		fputc('"', f);
	}
	if (m & POL_M_IDS) {
		fprintf(f, " id=\"");
		part(f, m & POL_M_VENDOR, 4, r->id.vendor);
		fputc(':', f);
		part(f, m & POL_M_DEVICE_ID, 4, r->id.device_id);
		if (m & (POL_M_SUBVENDOR | POL_M_SUBDEVICE)) {
			fputc(':', f);
			part(f, m & POL_M_SUBVENDOR, 4, r->id.subvendor);
			fputc(':', f);
			part(f, m & POL_M_SUBDEVICE, 4, r->id.subdevice);
		}
		fputc('"', f);
	}
	if (m & POL_M_CLASSES) {
		fprintf(f, " class=\"");
		part(f, m & POL_M_CLASS, 2, r->id.class_code);
		if (m & (POL_M_SUBCLASS | POL_M_PROG_IF)) {
			fputc(':', f);
			part(f, m & POL_M_SUBCLASS, 2, r->id.subclass);
		}
		if (m & POL_M_PROG_IF) {
			fputc(':', f);
			part(f, true, 2, r->id.prog_if);
		}
		fputc('"', f);
	}
	fprintf(f, "/>\n");
}

int pol_blob_write_xml(FILE *f, const struct pol_blob_view *v,
		       const char *digest)
{
	struct pol_rule_info r;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	if (digest)
		fprintf(f, "<!-- policy digest sha256:%s, %u bytes -->\n",
			digest, v->size);
	fprintf(f, "<!-- decoded from a compiled thinhv policy blob: rules in "
		   "canonical order (most specific first) -->\n"
		   "<policy version=\"1\">\n");
	for (uint32_t i = 0; i < v->rule_count; i++) {
		if (pol_rule_get(v, i, &r))
			return -ERANGE;
		fprintf(f, "  <rule name=\"%.*s\"> <!-- specificity %u -->\n",
			POL_NAME_LEN, r.name, r.specificity);
		write_match(f, &r);
		write_action(f, v, r.action, r.win_first, r.win_count, "    ");
		fprintf(f, "  </rule>\n");
	}
	fprintf(f, "  <default>\n");
	write_action(f, v, v->default_action, v->default_win_first,
		     v->default_win_count, "    ");
	fprintf(f, "  </default>\n</policy>\n");
	return ferror(f) ? -EIO : 0;
}
