// SPDX-License-Identifier: GPL-2.0-only
/*
 * acpi_ivrs.c - IVRS (AMD I/O Virtualization Reporting Structure) decoder
 * (pure C: kernel module and host userspace). AMD IOMMU spec rev 3.x,
 * section 5.2. Every length is checked against its container.
 */
#include "thinhv/compat.h"
#include "thinhv/acpi.h"
#include "vtd/acpi/acpi_internal.h"

#define IVRS_REC_HDR 4u /* type(1) flags(1) length(2) */
#define IVHD10_FIXED 24u
#define IVHD11_FIXED 40u /* also 40h */
#define IVMD_FIXED 32u
#define HID_FIXED 22u /* ACPI HID entry before its UID */

struct ivrs_state {
	struct acpi_walk w;
	const struct acpi_ivrs_visitor *v;
};

static bool is_range_start(uint8_t t)
{
	return t == ACPI_IVHD_DEV_RANGE_START ||
	       t == ACPI_IVHD_DEV_ALIAS_RANGE || t == ACPI_IVHD_DEV_EXT_RANGE;
}

static bool entry_type_known(uint8_t t)
{
	switch (t) {
	case ACPI_IVHD_DEV_PAD4:
	case ACPI_IVHD_DEV_ALL:
	case ACPI_IVHD_DEV_SELECT:
	case ACPI_IVHD_DEV_RANGE_START:
	case ACPI_IVHD_DEV_RANGE_END:
	case ACPI_IVHD_DEV_PAD8:
	case ACPI_IVHD_DEV_ALIAS_SELECT:
	case ACPI_IVHD_DEV_ALIAS_RANGE:
	case ACPI_IVHD_DEV_EXT_SELECT:
	case ACPI_IVHD_DEV_EXT_RANGE:
	case ACPI_IVHD_DEV_SPECIAL:
	case ACPI_IVHD_DEV_ACPI_HID:
		return true;
	}
	return false;
}

/*
 * Length of the entry at p with 'rest' bytes left in its IVHD; 0 if it
 * cannot be sized. Type bits 7:6 give the class: 00b 4 bytes, 01b 8, 10b 16
 * (all reserved today), 11b variable; of the variable types only F0h (ACPI
 * HID, 22 + UID length) is defined, any other cannot be skipped safely.
 */
static uint32_t entry_length(const uint8_t *p, uint32_t rest, bool *sizeable)
{
	uint8_t t = p[0];

	*sizeable = true;
	if (t < 0xc0)
		return 4u << (t >> 6);
	if (t != ACPI_IVHD_DEV_ACPI_HID) {
		*sizeable = false;
		return 0;
	}
	if (rest < HID_FIXED)
		return HID_FIXED; /* caller reports the overrun */
	return HID_FIXED + p[21];
}

/* Validate the device entries of one IVHD and build the view over them. */
static void ivhd_entries(struct ivrs_state *st, uint32_t off, uint32_t end,
			 struct acpi_ivhd_entries *view)
{
	const uint8_t *b = st->w.buf;
	uint32_t p = off;
	bool open = false;
	uint32_t open_off = 0;
	uint16_t open_dev = 0;

	view->table = b;
	view->off = off;
	view->count = 0;
	while (p < end) {
		uint32_t rest = end - p, elen;
		uint8_t t = b[p];
		bool sizeable;

		elen = entry_length(b + p, rest, &sizeable);
		if (!sizeable) {
			acpi_report(&st->w, ACPI_SEV_ERROR,
				    ACPI_D_ENTRY_UNKNOWN_LENGTH, p, t, rest);
			break;
		}
		if (elen > rest) {
			acpi_report(&st->w, ACPI_SEV_ERROR,
				    ACPI_D_ENTRY_OVERRUN, p, t, elen);
			break;
		}
		if (!entry_type_known(t)) {
			acpi_report(&st->w, ACPI_SEV_WARN,
				    ACPI_D_ENTRY_UNKNOWN_TYPE, p, t, elen);
		} else if (is_range_start(t)) {
			if (open)
				acpi_report(&st->w, ACPI_SEV_WARN,
					    ACPI_D_RANGE_START_WITHOUT_END,
					    open_off, b[open_off], open_dev);
			open = true;
			open_off = p;
			open_dev = hv_le16(b + p + 1);
		} else if (t == ACPI_IVHD_DEV_RANGE_END) {
			uint16_t dev = hv_le16(b + p + 1);

			if (!open)
				acpi_report(&st->w, ACPI_SEV_WARN,
					    ACPI_D_RANGE_END_WITHOUT_START, p,
					    t, dev);
			else if (dev < open_dev)
				acpi_report(&st->w, ACPI_SEV_WARN,
					    ACPI_D_RANGE_REVERSED, p, t, dev);
			open = false;
		} else if (t == ACPI_IVHD_DEV_ACPI_HID) {
			uint8_t fmt = b[p + 20], ulen = b[p + 21];

			if (fmt > ACPI_IVHD_UID_STRING ||
			    (fmt == ACPI_IVHD_UID_NONE && ulen) ||
			    (fmt != ACPI_IVHD_UID_NONE && !ulen))
				acpi_report(&st->w, ACPI_SEV_WARN,
					    ACPI_D_HID_BAD_UID, p, t, fmt);
		}
		p += elen;
		view->count++;
	}
	if (open)
		acpi_report(&st->w, ACPI_SEV_WARN,
			    ACPI_D_RANGE_START_WITHOUT_END, open_off,
			    b[open_off], open_dev);
	view->len = p - off;
}

static void copy8(char *dst, const uint8_t *src)
{
	memcpy(dst, src, 8);
	dst[8] = '\0';
}

bool acpi_ivhd_entry_next(const struct acpi_ivhd_entries *e, uint32_t *cursor,
			  struct acpi_ivhd_entry *out)
{
	const uint8_t *p;
	uint32_t rest, elen;
	bool sizeable;

	if (!e || !e->table || *cursor >= e->len)
		return false;
	rest = e->len - *cursor;
	p = e->table + e->off + *cursor;
	elen = entry_length(p, rest, &sizeable);
	/* The view holds only validated entries; re-check defensively. */
	if (!sizeable || elen > rest || elen < 4)
		return false;
	memset(out, 0, sizeof(*out));
	out->offset = e->off + *cursor;
	out->type = p[0];
	out->length = (uint8_t)elen;
	out->devid = hv_le16(p + 1);
	out->dte = p[3];
	switch (p[0]) {
	case ACPI_IVHD_DEV_ALIAS_SELECT:
	case ACPI_IVHD_DEV_ALIAS_RANGE:
		out->source_devid = hv_le16(p + 5);
		break;
	case ACPI_IVHD_DEV_EXT_SELECT:
	case ACPI_IVHD_DEV_EXT_RANGE:
		out->ext_dte = hv_le32(p + 4);
		break;
	case ACPI_IVHD_DEV_SPECIAL:
		out->handle = p[4];
		out->source_devid = hv_le16(p + 5);
		out->variety = p[7];
		break;
	case ACPI_IVHD_DEV_ACPI_HID:
		copy8(out->hid, p + 4);
		copy8(out->cid, p + 12);
		out->uid_format = p[20];
		out->uid_len = p[21];
		out->uid = p + HID_FIXED;
		break;
	}
	*cursor += elen;
	return true;
}

bool acpi_ivhd_devset_next(const struct acpi_ivhd_entries *e, uint32_t *cursor,
			   struct acpi_ivhd_devset *out)
{
	struct acpi_ivhd_entry en;

	while (acpi_ivhd_entry_next(e, cursor, &en)) {
		memset(out, 0, sizeof(*out));
		out->offset = en.offset;
		out->dte = en.dte;
		out->first = out->last = en.devid;
		switch (en.type) {
		case ACPI_IVHD_DEV_ALL:
			out->kind = ACPI_DEVSET_ALL;
			out->first = 0;
			out->last = 0xffff;
			return true;
		case ACPI_IVHD_DEV_SELECT:
			return true;
		case ACPI_IVHD_DEV_ALIAS_SELECT:
			out->has_alias = true;
			out->alias = en.source_devid;
			return true;
		case ACPI_IVHD_DEV_EXT_SELECT:
			out->has_ext = true;
			out->ext_dte = en.ext_dte;
			return true;
		case ACPI_IVHD_DEV_SPECIAL:
			out->kind = ACPI_DEVSET_SPECIAL;
			out->first = out->last = en.source_devid;
			out->handle = en.handle;
			out->variety = en.variety;
			return true;
		case ACPI_IVHD_DEV_ACPI_HID:
			out->kind = ACPI_DEVSET_ACPI_HID;
			return true;
		case ACPI_IVHD_DEV_RANGE_START:
		case ACPI_IVHD_DEV_ALIAS_RANGE:
		case ACPI_IVHD_DEV_EXT_RANGE: {
			/* Closed by the next end entry, before any new start. */
			uint32_t look = *cursor;
			struct acpi_ivhd_entry end;
			bool closed = false;

			while (acpi_ivhd_entry_next(e, &look, &end)) {
				if (is_range_start(end.type))
					break;
				if (end.type == ACPI_IVHD_DEV_RANGE_END) {
					closed = true;
					break;
				}
			}
			if (!closed || end.devid < en.devid)
				continue; /* reported by the parser */
			out->last = end.devid;
			if (en.type == ACPI_IVHD_DEV_ALIAS_RANGE) {
				out->has_alias = true;
				out->alias = en.source_devid;
			} else if (en.type == ACPI_IVHD_DEV_EXT_RANGE) {
				out->has_ext = true;
				out->ext_dte = en.ext_dte;
			}
			return true;
		}
		default: /* pads, range ends (consumed above), unknown */
			continue;
		}
	}
	return false;
}

static int ivrs_record(struct ivrs_state *st, uint8_t type, uint32_t off,
		       uint16_t len)
{
	const uint8_t *r = st->w.buf + off;
	const struct acpi_ivrs_visitor *v = st->v;

	switch (type) {
	case ACPI_IVRS_TYPE_IVHD10:
	case ACPI_IVRS_TYPE_IVHD11:
	case ACPI_IVRS_TYPE_IVHD40: {
		uint32_t fixed =
		    type == ACPI_IVRS_TYPE_IVHD10 ? IVHD10_FIXED : IVHD11_FIXED;
		struct acpi_ivhd h;

		if (len < fixed) {
			acpi_report(&st->w, ACPI_SEV_ERROR,
				    ACPI_D_REC_TOO_SHORT, off, type, len);
			return 0;
		}
		memset(&h, 0, sizeof(h));
		h.offset = off;
		h.type = type;
		h.flags = r[1];
		h.length = len;
		h.iommu_devid = hv_le16(r + 4);
		h.cap_offset = hv_le16(r + 6);
		h.base = hv_le64(r + 8);
		h.segment = hv_le16(r + 16);
		h.info = hv_le16(r + 18);
		h.feature = hv_le32(r + 20);
		if (type != ACPI_IVRS_TYPE_IVHD10) {
			h.efr = hv_le64(r + 24);
			h.efr2 = hv_le64(r + 32);
		}
		ivhd_entries(st, off + fixed, off + len, &h.entries);
		return v->ivhd ? v->ivhd(v->ctx, &h) : 0;
	}
	case ACPI_IVRS_TYPE_IVMD_ALL:
	case ACPI_IVRS_TYPE_IVMD_SELECT:
	case ACPI_IVRS_TYPE_IVMD_RANGE: {
		struct acpi_ivmd m;

		if (len < IVMD_FIXED) {
			acpi_report(&st->w, ACPI_SEV_ERROR,
				    ACPI_D_REC_TOO_SHORT, off, type, len);
			return 0;
		}
		memset(&m, 0, sizeof(m));
		m.offset = off;
		m.type = type;
		m.flags = r[1];
		m.length = len;
		m.devid = hv_le16(r + 4);
		m.aux = hv_le16(r + 6);
		m.start = hv_le64(r + 16);
		m.mem_len = hv_le64(r + 24);
		if (type == ACPI_IVRS_TYPE_IVMD_ALL) {
			m.first_devid = 0;
			m.last_devid = 0xffff;
		} else {
			m.first_devid = m.devid;
			m.last_devid =
			    type == ACPI_IVRS_TYPE_IVMD_RANGE ? m.aux : m.devid;
		}
		if ((m.mem_len && m.start + (m.mem_len - 1) < m.start) ||
		    m.first_devid > m.last_devid)
			acpi_report(&st->w, ACPI_SEV_WARN,
				    ACPI_D_IVMD_BAD_RANGE, off, type, m.start);
		return v->ivmd ? v->ivmd(v->ctx, &m) : 0;
	}
	default:
		acpi_report(&st->w, ACPI_SEV_WARN, ACPI_D_REC_UNKNOWN_TYPE, off,
			    type, len);
		return v->unknown ? v->unknown(v->ctx, off, type, r, len) : 0;
	}
}

int acpi_ivrs_parse(const uint8_t *buf, size_t len,
		    const struct acpi_ivrs_visitor *v)
{
	struct ivrs_state st;
	struct acpi_ivrs t;
	uint32_t off;
	int rc;

	memset(&st, 0, sizeof(st));
	st.v = v;
	st.w.diag = v->diag;
	st.w.ctx = v->ctx;
	rc = acpi_walk_begin(&st.w, buf, len, "IVRS", ACPI_IVRS_HEADER_LEN,
			     &t.hdr);
	if (rc == -ENODATA)
		return rc;
	t.ivinfo = st.w.end >= 40 ? hv_le32(buf + 36) : 0;
	if (v->table) {
		int vrc = v->table(v->ctx, &t);

		if (vrc < 0)
			return vrc;
	}
	if (rc)
		return rc;

	for (off = ACPI_IVRS_HEADER_LEN; off < st.w.end;) {
		uint32_t rest = st.w.end - off;
		uint8_t type;
		uint16_t rlen;

		if (rest < IVRS_REC_HDR) {
			acpi_report(&st.w, ACPI_SEV_ERROR,
				    ACPI_D_REC_HEADER_TRUNCATED, off, 0, rest);
			break;
		}
		type = buf[off];
		rlen = hv_le16(buf + off + 2);
		/* The next subtable's position would be unknown: stop. */
		if (rlen == 0) {
			acpi_report(&st.w, ACPI_SEV_ERROR,
				    ACPI_D_REC_ZERO_LENGTH, off, type, 0);
			break;
		}
		if (rlen > rest) {
			acpi_report(&st.w, ACPI_SEV_ERROR, ACPI_D_REC_OVERRUN,
				    off, type, rlen);
			break;
		}
		if (rlen < IVRS_REC_HDR) {
			acpi_report(&st.w, ACPI_SEV_ERROR, ACPI_D_REC_TOO_SHORT,
				    off, type, rlen);
			break;
		}
		rc = ivrs_record(&st, type, off, rlen);
		if (rc < 0)
			return rc;
		off += rlen;
	}
	return st.w.errors ? -EINVAL : 0;
}

struct pick {
	uint16_t segment;
	uint16_t iommu_devid;
	uint8_t max_type;
	uint8_t best;
};

static int pick_ivhd(void *ctx, const struct acpi_ivhd *h)
{
	struct pick *p = ctx;

	if (h->segment == p->segment && h->iommu_devid == p->iommu_devid &&
	    h->type <= p->max_type && h->type > p->best)
		p->best = h->type;
	return 0;
}

bool acpi_ivhd_preferred(const uint8_t *buf, size_t len,
			 const struct acpi_ivhd *h, uint8_t max_type)
{
	struct pick p = {
		.segment = h->segment,
		.iommu_devid = h->iommu_devid,
		.max_type = max_type,
	};
	struct acpi_ivrs_visitor v = { .ctx = &p, .ivhd = pick_ivhd };

	if (h->type > max_type)
		return false;
	acpi_ivrs_parse(buf, len, &v);
	return p.best == h->type;
}

struct find_iommu {
	const uint8_t *buf;
	size_t len;
	uint16_t seg, devid;
	uint8_t max_type;
	bool found;
	struct acpi_ivhd *h;
	struct acpi_ivhd_devset *set;
};

static int find_iommu_ivhd(void *ctx, const struct acpi_ivhd *h)
{
	struct find_iommu *f = ctx;
	struct acpi_ivhd_devset d;
	uint32_t cur = 0;
	bool hit = false;

	if (f->found || h->segment != f->seg ||
	    !acpi_ivhd_preferred(f->buf, f->len, h, f->max_type))
		return 0;
	while (acpi_ivhd_devset_next(&h->entries, &cur, &d)) {
		if (d.first <= f->devid && f->devid <= d.last) {
			*f->set = d; /* keep the last one: later overrides */
			hit = true;
		}
	}
	if (hit) {
		*f->h = *h;
		f->found = true;
	}
	return 0;
}

int acpi_ivrs_find_iommu(const uint8_t *buf, size_t len, uint16_t seg,
			 uint16_t devid, uint8_t max_type, struct acpi_ivhd *h,
			 struct acpi_ivhd_devset *set)
{
	struct find_iommu f = {
		.buf = buf,
		.len = len,
		.seg = seg,
		.devid = devid,
		.max_type = max_type,
		.h = h,
		.set = set,
	};
	struct acpi_ivrs_visitor v = { .ctx = &f, .ivhd = find_iommu_ivhd };
	int rc = acpi_ivrs_parse(buf, len, &v);

	if (rc == -ENODATA)
		return -EINVAL;
	if (rc)
		return rc;
	return f.found ? 0 : -ENOENT;
}
