// SPDX-License-Identifier: GPL-2.0-only
/*
 * pol_blob.c - decode, validate and match a compiled policy blob (pure C,
 * built into the kernel module and into host userspace). The blob is hostile
 * input: every field is checked before use and any doubt rejects it whole.
 */
#include "thinhv/compat.h"
#include "thinhv/policy_blob.h"

#define HOFF(f) offsetof(struct pol_blob_header, f)
#define ROFF(f) offsetof(struct pol_blob_rule, f)
#define WOFF(f) offsetof(struct pol_blob_window, f)

#define POL_FIELD_COUNT 11 /* POL_M_* bits 0..10 */

static unsigned int popcount32(uint32_t x)
{
	unsigned int n = 0;

	while (x) {
		x &= x - 1;
		n++;
	}
	return n;
}

uint16_t pol_specificity(uint32_t match)
{
	return (uint16_t)(popcount32(match & POL_M_LOCATION) * POL_W_LOCATION +
			  popcount32(match & POL_M_IDS) * POL_W_ID +
			  popcount32(match & POL_M_CLASSES) * POL_W_CLASS);
}

/* Value of one match field (flag is a single POL_M_* bit). */
static uint32_t field_val(const struct pol_dev_id *d, uint32_t flag)
{
	switch (flag) {
	case POL_M_SEGMENT:
		return d->segment;
	case POL_M_BUS:
		return d->bus;
	case POL_M_DEVICE:
		return d->device;
	case POL_M_FUNCTION:
		return d->function;
	case POL_M_VENDOR:
		return d->vendor;
	case POL_M_DEVICE_ID:
		return d->device_id;
	case POL_M_SUBVENDOR:
		return d->subvendor;
	case POL_M_SUBDEVICE:
		return d->subdevice;
	case POL_M_CLASS:
		return d->class_code;
	case POL_M_SUBCLASS:
		return d->subclass;
	case POL_M_PROG_IF:
		return d->prog_if;
	}
	return 0;
}

bool pol_rules_overlap(const struct pol_rule_info *a,
		       const struct pol_rule_info *b)
{
	uint32_t common = a->match & b->match;
	unsigned int i;

	/* Fields are independent: only a field both rules fix can separate. */
	for (i = 0; i < POL_FIELD_COUNT; i++) {
		uint32_t f = 1U << i;

		if ((common & f) &&
		    field_val(&a->id, f) != field_val(&b->id, f))
			return false;
	}
	return true;
}

bool pol_rule_matches(const struct pol_rule_info *r,
		      const struct pol_dev_id *dev)
{
	unsigned int i;

	for (i = 0; i < POL_FIELD_COUNT; i++) {
		uint32_t f = 1U << i;

		if ((r->match & f) && field_val(&r->id, f) != field_val(dev, f))
			return false;
	}
	return true;
}

int pol_rule_cmp(const struct pol_rule_info *a, const struct pol_rule_info *b)
{
	unsigned int i;
	int c;

	if (a->specificity != b->specificity)
		return a->specificity > b->specificity ? -1 : 1;
	/* NUL-padded names: memcmp order is strcmp order. */
	c = memcmp(a->name, b->name, POL_NAME_LEN);
	if (c)
		return c < 0 ? -1 : 1;
	if (a->match != b->match)
		return a->match < b->match ? -1 : 1;
	for (i = 0; i < POL_FIELD_COUNT; i++) {
		uint32_t f = 1U << i;
		uint32_t x = field_val(&a->id, f), y = field_val(&b->id, f);

		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

bool pol_name_valid(const char *name, size_t len)
{
	size_t i;

	if (len == 0 || len >= POL_NAME_LEN)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9');

		if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
			return false;
	}
	return true;
}

const char *pol_action_name(uint16_t action)
{
	switch (action) {
	case POL_ACTION_DENY:
		return "deny";
	case POL_ACTION_WINDOW:
		return "window";
	case POL_ACTION_IDENTITY:
		return "identity";
	}
	return "invalid";
}

static bool action_valid(uint16_t a)
{
	return a == POL_ACTION_DENY || a == POL_ACTION_WINDOW ||
	       a == POL_ACTION_IDENTITY;
}

static int fail(struct pol_blob_err *err, uint64_t off, const char *what)
{
	err->offset = off > 0xffffffffULL ? 0xffffffffU : (uint32_t)off;
	err->what = what;
	return -EINVAL;
}

static void rule_decode(const uint8_t *p, struct pol_rule_info *r)
{
	memcpy(r->name, p, POL_NAME_LEN);
	r->match = hv_le32(p + ROFF(match));
	r->id.segment = hv_le16(p + ROFF(segment));
	r->id.bus = p[ROFF(bus)];
	r->id.device = p[ROFF(device)];
	r->id.function = p[ROFF(function)];
	r->id.class_code = p[ROFF(class_code)];
	r->id.subclass = p[ROFF(subclass)];
	r->id.prog_if = p[ROFF(prog_if)];
	r->id.vendor = hv_le16(p + ROFF(vendor));
	r->id.device_id = hv_le16(p + ROFF(device_id));
	r->id.subvendor = hv_le16(p + ROFF(subvendor));
	r->id.subdevice = hv_le16(p + ROFF(subdevice));
	r->action = hv_le16(p + ROFF(action));
	r->specificity = hv_le16(p + ROFF(specificity));
	r->win_first = hv_le32(p + ROFF(win_first));
	r->win_count = hv_le32(p + ROFF(win_count));
}

static void window_decode(const uint8_t *p, struct pol_window_info *w)
{
	w->base = hv_le64(p + WOFF(base));
	w->size = hv_le64(p + WOFF(size));
	w->flags = hv_le32(p + WOFF(flags));
}

static bool all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Check one rule's bytes at off (already known to fit in the blob). */
static int check_rule(const uint8_t *p, uint64_t off,
		      const struct pol_rule_info *r, struct pol_blob_err *err)
{
	size_t nlen = 0;
	unsigned int i;

	while (nlen < POL_NAME_LEN && p[nlen])
		nlen++;
	if (nlen == POL_NAME_LEN)
		return fail(err, off, "rule name not NUL-terminated");
	if (!all_zero(p + nlen, POL_NAME_LEN - nlen))
		return fail(err, off + nlen, "rule name padding not zero");
	if (!pol_name_valid((const char *)p, nlen))
		return fail(err, off, "rule name has invalid characters");
	if (r->match == 0)
		return fail(err, off + ROFF(match),
			    "rule matches every device");
	if (r->match & ~POL_M_ALL)
		return fail(err, off + ROFF(match), "unknown match flags");
	for (i = 0; i < POL_FIELD_COUNT; i++) {
		uint32_t f = 1U << i;

		if (!(r->match & f) && field_val(&r->id, f))
			return fail(err, off + ROFF(match),
				    "wildcard match field has a nonzero value");
	}
	if (r->id.device > 31)
		return fail(err, off + ROFF(device), "PCI device number > 31");
	if (r->id.function > 7)
		return fail(err, off + ROFF(function), "PCI function > 7");
	if (!action_valid(r->action))
		return fail(err, off + ROFF(action), "unknown rule action");
	if (r->specificity != pol_specificity(r->match))
		return fail(err, off + ROFF(specificity),
			    "specificity does not match the match fields");
	if (!all_zero(p + ROFF(reserved), POL_RULE_SIZE - ROFF(reserved)))
		return fail(err, off + ROFF(reserved),
			    "reserved bytes not zero");
	return 0;
}

/* Windows [first, first+count) of one rule (or the default). */
static int check_windows(const uint8_t *b, uint64_t woff, uint32_t first,
			 uint32_t count, struct pol_blob_err *err)
{
	struct pol_window_info prev = { 0, 0, 0 }, w;
	uint32_t i;

	for (i = first; i < first + count; i++) {
		uint64_t off = woff + (uint64_t)i * POL_WINDOW_SIZE;
		const uint8_t *p = b + off;

		window_decode(p, &w);
		if (!HV_IS_ALIGNED(w.base, POL_PAGE_SIZE))
			return fail(err, off + WOFF(base),
				    "window base not page aligned");
		if (w.size == 0 || !HV_IS_ALIGNED(w.size, POL_PAGE_SIZE))
			return fail(err, off + WOFF(size),
				    "window size zero or not a page multiple");
		if (!hv_fits(w.base, w.size, POL_PHYS_LIMIT))
			return fail(err, off + WOFF(size),
				    "window wraps or ends above 2^52");
		if (w.flags != POL_WIN_READ &&
		    w.flags != (POL_WIN_READ | POL_WIN_WRITE))
			return fail(err, off + WOFF(flags),
				    "unknown window access flags");
		if (hv_le32(p + WOFF(reserved)))
			return fail(err, off + WOFF(reserved),
				    "reserved bytes not zero");
		if (i > first) {
			/* prev.base + prev.size cannot wrap: checked above. */
			uint64_t prev_end = prev.base + prev.size;

			if (w.base < prev_end)
				return fail(err, off + WOFF(base),
					    "windows overlap or are unsorted");
			if (w.base == prev_end && w.flags == prev.flags)
				return fail(
				    err, off + WOFF(base),
				    "adjacent windows with equal access "
				    "not merged");
		}
		prev = w;
	}
	return 0;
}

int pol_blob_decode(const void *buf, size_t len, struct pol_blob_view *v,
		    struct pol_blob_err *err)
{
	struct pol_blob_err dummy;
	const uint8_t *b = buf;
	uint32_t rc, wc, roff, woff, expect_win = 0, i, dfirst, dcount;
	uint16_t daction;
	struct pol_rule_info prev, cur;
	int ret;

	if (!err)
		err = &dummy;
	if (!b || !v)
		return fail(err, 0, "no blob");
	memset(v, 0, sizeof(*v));
	if (len > 0xffffffffULL) {
		fail(err, 0, "blob larger than 4 GiB");
		return -E2BIG;
	}
	if (len < POL_HEADER_SIZE)
		return fail(err, len, "blob shorter than its header");
	if (hv_le64(b + HOFF(magic)) != POL_MAGIC)
		return fail(err, HOFF(magic), "bad magic (not a policy blob)");
	if (hv_le32(b + HOFF(version)) != POL_VERSION)
		return fail(err, HOFF(version), "unsupported blob version");
	if (hv_le32(b + HOFF(header_size)) != POL_HEADER_SIZE)
		return fail(err, HOFF(header_size), "bad header size");
	if (hv_le32(b + HOFF(total_size)) != len)
		return fail(err, HOFF(total_size),
			    "total size does not match the blob length");
	if (hv_le32(b + HOFF(rule_size)) != POL_RULE_SIZE)
		return fail(err, HOFF(rule_size), "bad rule size");
	if (hv_le32(b + HOFF(window_size)) != POL_WINDOW_SIZE)
		return fail(err, HOFF(window_size), "bad window size");
	rc = hv_le32(b + HOFF(rule_count));
	wc = hv_le32(b + HOFF(window_count));
	roff = hv_le32(b + HOFF(rules_offset));
	woff = hv_le32(b + HOFF(windows_offset));
	if (rc > POL_MAX_RULES)
		return fail(err, HOFF(rule_count), "too many rules");
	if (wc > POL_MAX_WINDOWS)
		return fail(err, HOFF(window_count), "too many windows");
	if (roff != POL_HEADER_SIZE)
		return fail(err, HOFF(rules_offset),
			    "rules do not follow the header");
	if (!hv_fits(roff, (uint64_t)rc * POL_RULE_SIZE, len))
		return fail(err, HOFF(rule_count), "rules run past the blob");
	if (woff != (uint64_t)roff + (uint64_t)rc * POL_RULE_SIZE)
		return fail(err, HOFF(windows_offset),
			    "windows do not follow the rules");
	if (!hv_fits(woff, (uint64_t)wc * POL_WINDOW_SIZE, len))
		return fail(err, HOFF(window_count),
			    "windows run past the blob");
	if ((uint64_t)woff + (uint64_t)wc * POL_WINDOW_SIZE != len)
		return fail(err,
			    (uint64_t)woff + (uint64_t)wc * POL_WINDOW_SIZE,
			    "trailing bytes after the windows");
	daction = hv_le16(b + HOFF(default_action));
	if (!action_valid(daction))
		return fail(err, HOFF(default_action),
			    "unknown default action");
	if (hv_le16(b + HOFF(reserved0)) || hv_le32(b + HOFF(reserved1)))
		return fail(err, HOFF(reserved0), "reserved header bytes set");
	if (hv_le32(b + HOFF(flags)))
		return fail(err, HOFF(flags), "unknown header flags");

	for (i = 0; i < rc; i++) {
		uint64_t off = roff + (uint64_t)i * POL_RULE_SIZE;

		rule_decode(b + off, &cur);
		ret = check_rule(b + off, off, &cur, err);
		if (ret)
			return ret;
		/* Windows are laid out rule by rule, in rule order. */
		if (cur.win_first != expect_win)
			return fail(err, off + ROFF(win_first),
				    "rule windows not contiguous");
		if (cur.action == POL_ACTION_WINDOW
			? cur.win_count == 0 ||
			      cur.win_count > POL_MAX_WINDOWS_PER_RULE
			: cur.win_count != 0)
			return fail(err, off + ROFF(win_count),
				    "window count does not fit the action");
		if (!hv_fits(cur.win_first, cur.win_count, wc))
			return fail(err, off + ROFF(win_count),
				    "rule windows past the window table");
		ret = check_windows(b, woff, cur.win_first, cur.win_count, err);
		if (ret)
			return ret;
		expect_win += cur.win_count;
		if (i > 0 && pol_rule_cmp(&prev, &cur) >= 0)
			return fail(err, off,
				    "rules not in canonical order or "
				    "duplicated");
		prev = cur;
	}

	dfirst = hv_le32(b + HOFF(default_win_first));
	dcount = hv_le32(b + HOFF(default_win_count));
	if (dfirst != expect_win)
		return fail(err, HOFF(default_win_first),
			    "default windows do not follow the rule windows");
	if (daction == POL_ACTION_WINDOW
		? dcount == 0 || dcount > POL_MAX_WINDOWS_PER_RULE
		: dcount != 0)
		return fail(err, HOFF(default_win_count),
			    "default window count does not fit the action");
	if (!hv_fits(dfirst, dcount, wc) || dfirst + dcount != wc)
		return fail(err, HOFF(window_count),
			    "window count does not match the rules");
	ret = check_windows(b, woff, dfirst, dcount, err);
	if (ret)
		return ret;

	/*
	 * Most-specific-wins needs a unique winner: two rules of equal
	 * specificity that some device could satisfy both are refused. The
	 * canonical order groups equal specificity together.
	 */
	for (i = 0; i < rc; i++) {
		uint32_t j;

		rule_decode(b + roff + (uint64_t)i * POL_RULE_SIZE, &prev);
		for (j = i + 1; j < rc; j++) {
			uint64_t off = roff + (uint64_t)j * POL_RULE_SIZE;

			rule_decode(b + off, &cur);
			if (cur.specificity != prev.specificity)
				break;
			if (pol_rules_overlap(&prev, &cur))
				return fail(err, off,
					    "two rules of equal specificity "
					    "can match the same device");
		}
	}

	v->buf = b;
	v->size = (uint32_t)len;
	v->rule_count = rc;
	v->window_count = wc;
	v->default_action = daction;
	v->default_win_first = dfirst;
	v->default_win_count = dcount;
	return 0;
}

int pol_rule_get(const struct pol_blob_view *v, uint32_t i,
		 struct pol_rule_info *out)
{
	if (!v->buf || i >= v->rule_count)
		return -ERANGE;
	rule_decode(v->buf + POL_HEADER_SIZE + (uint64_t)i * POL_RULE_SIZE,
		    out);
	return 0;
}

int pol_window_get(const struct pol_blob_view *v, uint32_t i,
		   struct pol_window_info *out)
{
	if (!v->buf || i >= v->window_count)
		return -ERANGE;
	window_decode(v->buf + POL_HEADER_SIZE +
			  (uint64_t)v->rule_count * POL_RULE_SIZE +
			  (uint64_t)i * POL_WINDOW_SIZE,
		      out);
	return 0;
}

int pol_match(const struct pol_blob_view *v, const struct pol_dev_id *dev)
{
	struct pol_rule_info r;
	uint32_t i;

	/* Sorted by specificity, ties impossible: the first match wins. */
	for (i = 0; v->buf && i < v->rule_count; i++) {
		rule_decode(
		    v->buf + POL_HEADER_SIZE + (uint64_t)i * POL_RULE_SIZE, &r);
		if (pol_rule_matches(&r, dev))
			return (int)i;
	}
	return POL_RULE_DEFAULT;
}

int pol_verdict(const struct pol_blob_view *v, int rule, uint16_t *action,
		uint32_t *win_first, uint32_t *win_count)
{
	struct pol_rule_info r;

	/* Fail closed on any misuse: the caller gets deny. */
	*action = POL_ACTION_DENY;
	*win_first = 0;
	*win_count = 0;
	if (!v->buf)
		return -EINVAL;
	if (rule == POL_RULE_DEFAULT) {
		*action = v->default_action;
		*win_first = v->default_win_first;
		*win_count = v->default_win_count;
		return 0;
	}
	if (rule < 0 || pol_rule_get(v, (uint32_t)rule, &r))
		return -ERANGE;
	*action = r.action;
	*win_first = r.win_first;
	*win_count = r.win_count;
	return 0;
}
