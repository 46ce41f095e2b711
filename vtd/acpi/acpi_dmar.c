// SPDX-License-Identifier: GPL-2.0-only
/*
 * acpi_dmar.c - DMAR (Intel VT-d DMA Remapping Reporting) table decoder
 * (pure C: kernel module and host userspace). VT-d spec rev 4.1, chapter 8.
 * Every length is checked against its container before a byte is read.
 */
#include "thinhv/compat.h"
#include "thinhv/acpi.h"
#include "vtd/acpi/acpi_internal.h"

#define DMAR_REC_HDR 4u	  /* type(2) length(2) */
#define DMAR_SCOPE_HDR 6u /* type, length, flags, rsvd, enum id, bus */

/* Fixed part of each record type, scopes (if any) follow it. */
#define DRHD_FIXED 16u
#define RMRR_FIXED 24u
#define ATSR_FIXED 8u
#define RHSA_FIXED 20u
#define ANDD_FIXED 8u
#define SATC_FIXED 8u

/* INCLUDE_PCI_ALL units remembered to check "last in its segment". */
#define DMAR_MAX_ALL_UNITS 8

struct dmar_state {
	struct acpi_walk w;
	const struct acpi_dmar_visitor *v;
	uint32_t n_all;
	uint16_t all_segment[DMAR_MAX_ALL_UNITS];
	uint32_t all_offset[DMAR_MAX_ALL_UNITS];
	bool all_reported[DMAR_MAX_ALL_UNITS];
};

/*
 * Validate the device scopes in [off, rec_end) and build the view over the
 * prefix that is sound. Problems are reported; the walk of the table goes
 * on because the record's own length is trustworthy.
 */
static void dmar_scopes(struct dmar_state *st, uint32_t off, uint32_t rec_end,
			struct acpi_dmar_scopes *view)
{
	const uint8_t *b = st->w.buf;
	uint32_t p = off;

	view->table = b;
	view->off = off;
	view->count = 0;
	while (p < rec_end) {
		uint8_t type, slen;

		if (rec_end - p < 2) {
			acpi_report(&st->w, ACPI_SEV_ERROR,
				    ACPI_D_SCOPE_TRUNCATED, p, 0, rec_end - p);
			break;
		}
		type = b[p];
		slen = b[p + 1];
		if (slen < DMAR_SCOPE_HDR || (slen - DMAR_SCOPE_HDR) % 2) {
			acpi_report(&st->w, ACPI_SEV_ERROR,
				    ACPI_D_SCOPE_BAD_LENGTH, p, type, slen);
			break;
		}
		if (slen > rec_end - p) {
			acpi_report(&st->w, ACPI_SEV_ERROR,
				    ACPI_D_SCOPE_OVERRUN, p, type, slen);
			break;
		}
		if (type < ACPI_DMAR_SCOPE_PCI_ENDPOINT ||
		    type > ACPI_DMAR_SCOPE_ACPI_NAMESPACE)
			acpi_report(&st->w, ACPI_SEV_WARN,
				    ACPI_D_SCOPE_UNKNOWN_TYPE, p, type, slen);
		else if (slen == DMAR_SCOPE_HDR)
			acpi_report(&st->w, ACPI_SEV_WARN, ACPI_D_SCOPE_NO_PATH,
				    p, type, slen);
		p += slen;
		view->count++;
	}
	view->len = p - off;
}

bool acpi_dmar_scope_next(const struct acpi_dmar_scopes *s, uint32_t *cursor,
			  struct acpi_dmar_scope *out)
{
	const uint8_t *p;
	uint32_t rest;

	if (!s || !s->table || *cursor >= s->len)
		return false;
	rest = s->len - *cursor;
	p = s->table + s->off + *cursor;
	/* The view holds only validated scopes; re-check defensively. */
	if (rest < DMAR_SCOPE_HDR || p[1] < DMAR_SCOPE_HDR || p[1] > rest)
		return false;
	out->offset = s->off + *cursor;
	out->type = p[0];
	out->length = p[1];
	out->flags = p[2];
	out->enum_id = p[4];
	out->start_bus = p[5];
	out->path_count = (uint8_t)((p[1] - DMAR_SCOPE_HDR) / 2);
	out->path = p + DMAR_SCOPE_HDR;
	*cursor += p[1];
	return true;
}

int acpi_dmar_scope_resolve(const struct acpi_dmar_scope *s, uint16_t segment,
			    int (*read_secondary_bus)(void *ctx, uint16_t seg,
						      uint8_t bus, uint8_t dev,
						      uint8_t fn,
						      uint8_t *secbus),
			    void *ctx, uint16_t *bdf)
{
	uint8_t bus = s->start_bus;

	if (!s->path_count)
		return -EINVAL;
	for (unsigned int i = 0; i < s->path_count; i++) {
		uint8_t dev = s->path[2 * i], fn = s->path[2 * i + 1];
		int rc;

		if (dev > 31 || fn > 7)
			return -EINVAL;
		if (i + 1 == s->path_count) {
			*bdf = (uint16_t)(bus << 8 | dev << 3 | fn);
			return 0;
		}
		/* Every element but the last is a bridge: descend. */
		if (!read_secondary_bus)
			return -EINVAL;
		rc = read_secondary_bus(ctx, segment, bus, dev, fn, &bus);
		if (rc)
			return rc;
	}
	return -EINVAL;
}

static void dmar_note_drhd(struct dmar_state *st,
			   const struct acpi_dmar_drhd *d)
{
	/* A unit after an INCLUDE_PCI_ALL unit of the same segment. */
	for (uint32_t i = 0; i < st->n_all; i++) {
		if (st->all_segment[i] != d->segment || st->all_reported[i])
			continue;
		acpi_report(&st->w, ACPI_SEV_WARN, ACPI_D_DRHD_ALL_NOT_LAST,
			    st->all_offset[i], ACPI_DMAR_TYPE_DRHD, d->segment);
		st->all_reported[i] = true;
	}
	if ((d->flags & ACPI_DMAR_DRHD_INCLUDE_PCI_ALL) &&
	    st->n_all < DMAR_MAX_ALL_UNITS) {
		st->all_segment[st->n_all] = d->segment;
		st->all_offset[st->n_all] = d->offset;
		st->all_reported[st->n_all] = false;
		st->n_all++;
	}
}

static int dmar_record(struct dmar_state *st, uint16_t type, uint32_t off,
		       uint16_t len)
{
	const uint8_t *r = st->w.buf + off;
	const struct acpi_dmar_visitor *v = st->v;
	uint32_t fixed;

	switch (type) {
	case ACPI_DMAR_TYPE_DRHD:
		fixed = DRHD_FIXED;
		break;
	case ACPI_DMAR_TYPE_RMRR:
		fixed = RMRR_FIXED;
		break;
	case ACPI_DMAR_TYPE_ATSR:
		fixed = ATSR_FIXED;
		break;
	case ACPI_DMAR_TYPE_RHSA:
		fixed = RHSA_FIXED;
		break;
	case ACPI_DMAR_TYPE_ANDD:
		fixed = ANDD_FIXED;
		break;
	case ACPI_DMAR_TYPE_SATC:
	case ACPI_DMAR_TYPE_SIDP:
		fixed = SATC_FIXED;
		break;
	default:
		acpi_report(&st->w, ACPI_SEV_WARN, ACPI_D_REC_UNKNOWN_TYPE, off,
			    type, len);
		return v->unknown ? v->unknown(v->ctx, off, type, r, len) : 0;
	}
	if (len < fixed) {
		acpi_report(&st->w, ACPI_SEV_ERROR, ACPI_D_REC_TOO_SHORT, off,
			    type, len);
		return 0;
	}

	switch (type) {
	case ACPI_DMAR_TYPE_DRHD: {
		struct acpi_dmar_drhd d = {
			.offset = off,
			.length = len,
			.flags = r[4],
			.size = r[5],
			.segment = hv_le16(r + 6),
			.base = hv_le64(r + 8),
		};

		dmar_scopes(st, off + fixed, off + len, &d.scopes);
		dmar_note_drhd(st, &d);
		return v->drhd ? v->drhd(v->ctx, &d) : 0;
	}
	case ACPI_DMAR_TYPE_RMRR: {
		struct acpi_dmar_rmrr m = {
			.offset = off,
			.length = len,
			.segment = hv_le16(r + 6),
			.base = hv_le64(r + 8),
			.limit = hv_le64(r + 16),
		};

		if (m.limit < m.base || !HV_IS_ALIGNED(m.base, 4096) ||
		    (m.limit & 0xfff) != 0xfff)
			acpi_report(&st->w, ACPI_SEV_WARN,
				    ACPI_D_RMRR_BAD_RANGE, off, type, m.base);
		dmar_scopes(st, off + fixed, off + len, &m.scopes);
		return v->rmrr ? v->rmrr(v->ctx, &m) : 0;
	}
	case ACPI_DMAR_TYPE_ATSR: {
		struct acpi_dmar_atsr a = {
			.offset = off,
			.length = len,
			.flags = r[4],
			.segment = hv_le16(r + 6),
		};

		dmar_scopes(st, off + fixed, off + len, &a.scopes);
		return v->atsr ? v->atsr(v->ctx, &a) : 0;
	}
	case ACPI_DMAR_TYPE_RHSA: {
		struct acpi_dmar_rhsa h = {
			.offset = off,
			.length = len,
			.base = hv_le64(r + 8),
			.proximity_domain = hv_le32(r + 16),
		};

		return v->rhsa ? v->rhsa(v->ctx, &h) : 0;
	}
	case ACPI_DMAR_TYPE_ANDD: {
		struct acpi_dmar_andd a = {
			.offset = off,
			.length = len,
			.device_number = r[7],
			.name = (const char *)(r + fixed),
		};
		uint32_t room = len - fixed;

		while (a.name_len < room && r[fixed + a.name_len])
			a.name_len++;
		if (a.name_len == room)
			acpi_report(&st->w, ACPI_SEV_WARN,
				    ACPI_D_ANDD_NAME_UNTERMINATED, off + fixed,
				    type, room);
		return v->andd ? v->andd(v->ctx, &a) : 0;
	}
	default: { /* SATC, SIDP */
		struct acpi_dmar_satc s = {
			.offset = off,
			.type = type,
			.length = len,
			.flags = r[4],
			.segment = hv_le16(r + 6),
		};

		dmar_scopes(st, off + fixed, off + len, &s.scopes);
		return v->satc ? v->satc(v->ctx, &s) : 0;
	}
	}
}

int acpi_dmar_parse(const uint8_t *buf, size_t len,
		    const struct acpi_dmar_visitor *v)
{
	struct dmar_state st;
	struct acpi_dmar t;
	uint32_t off;
	int rc;

	memset(&st, 0, sizeof(st));
	st.v = v;
	st.w.diag = v->diag;
	st.w.ctx = v->ctx;
	rc = acpi_walk_begin(&st.w, buf, len, "DMAR", ACPI_DMAR_HEADER_LEN,
			     &t.hdr);
	if (rc == -ENODATA)
		return rc;
	/* Fields past the SDT header only when the walk covers them. */
	t.host_addr_width = st.w.end > 36 ? buf[36] : 0;
	t.flags = st.w.end > 37 ? buf[37] : 0;
	if (v->table) {
		int vrc = v->table(v->ctx, &t);

		if (vrc < 0)
			return vrc;
	}
	if (rc)
		return rc;

	for (off = ACPI_DMAR_HEADER_LEN; off < st.w.end;) {
		uint32_t rest = st.w.end - off;
		uint16_t type, rlen;

		if (rest < DMAR_REC_HDR) {
			acpi_report(&st.w, ACPI_SEV_ERROR,
				    ACPI_D_REC_HEADER_TRUNCATED, off, 0, rest);
			break;
		}
		type = hv_le16(buf + off);
		rlen = hv_le16(buf + off + 2);
		/* The next record's position would be unknown: stop here. */
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
		if (rlen < DMAR_REC_HDR) {
			acpi_report(&st.w, ACPI_SEV_ERROR, ACPI_D_REC_TOO_SHORT,
				    off, type, rlen);
			break;
		}
		rc = dmar_record(&st, type, off, rlen);
		if (rc < 0)
			return rc;
		off += rlen;
	}
	return st.w.errors ? -EINVAL : 0;
}

struct secbus_adapter {
	const struct acpi_pci_ops *pci;
};

static int adapter_secbus(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev,
			  uint8_t fn, uint8_t *secbus)
{
	const struct acpi_pci_ops *pci = ((struct secbus_adapter *)ctx)->pci;
	uint8_t sub;

	return pci->bridge_buses(pci->ctx, seg, bus, dev, fn, secbus, &sub);
}

int acpi_dmar_scopes_match(const struct acpi_dmar_scopes *v, uint16_t segment,
			   uint16_t seg, uint16_t bdf,
			   const struct acpi_pci_ops *pci)
{
	struct secbus_adapter ad = { .pci = pci };
	struct acpi_dmar_scope s;
	uint32_t cur = 0;

	if (segment != seg)
		return 0;
	while (acpi_dmar_scope_next(v, &cur, &s)) {
		uint16_t at;
		uint8_t sec, sub, bus = (uint8_t)(bdf >> 8);
		int rc;

		if (s.type != ACPI_DMAR_SCOPE_PCI_ENDPOINT &&
		    s.type != ACPI_DMAR_SCOPE_PCI_SUBHIERARCHY)
			continue;
		if (!pci || !pci->bridge_buses) {
			/* Single-element paths need no topology. */
			if (s.path_count != 1)
				return -EINVAL;
			rc = acpi_dmar_scope_resolve(&s, segment, NULL, NULL,
						     &at);
		} else {
			rc = acpi_dmar_scope_resolve(&s, segment,
						     adapter_secbus, &ad, &at);
		}
		if (rc)
			return rc;
		if (at == bdf)
			return 1;
		if (s.type != ACPI_DMAR_SCOPE_PCI_SUBHIERARCHY)
			continue;
		if (!pci || !pci->bridge_buses)
			return -EINVAL;
		rc = pci->bridge_buses(pci->ctx, segment, (uint8_t)(at >> 8),
				       (at >> 3) & 0x1f, at & 7, &sec, &sub);
		if (rc)
			return rc;
		if (bus >= sec && bus <= sub)
			return 1;
	}
	return 0;
}

struct find_unit {
	uint16_t seg, bdf;
	const struct acpi_pci_ops *pci;
	bool found, have_all;
	struct acpi_dmar_drhd unit, all;
};

static int find_unit_drhd(void *ctx, const struct acpi_dmar_drhd *d)
{
	struct find_unit *f = ctx;
	int rc;

	if (f->found || d->segment != f->seg)
		return 0;
	if (d->flags & ACPI_DMAR_DRHD_INCLUDE_PCI_ALL) {
		if (!f->have_all) {
			f->all = *d;
			f->have_all = true;
		}
		return 0;
	}
	rc = acpi_dmar_scopes_match(&d->scopes, d->segment, f->seg, f->bdf,
				    f->pci);
	if (rc < 0)
		return rc;
	if (rc) {
		f->unit = *d;
		f->found = true;
	}
	return 0;
}

int acpi_dmar_find_unit(const uint8_t *buf, size_t len, uint16_t seg,
			uint16_t bdf, const struct acpi_pci_ops *pci,
			struct acpi_dmar_drhd *out)
{
	struct find_unit f = { .seg = seg, .bdf = bdf, .pci = pci };
	struct acpi_dmar_visitor v = { .ctx = &f, .drhd = find_unit_drhd };
	int rc = acpi_dmar_parse(buf, len, &v);

	if (rc == -ENODATA)
		return -EINVAL;
	if (rc)
		return rc;
	if (f.found)
		*out = f.unit;
	else if (f.have_all)
		*out = f.all;
	else
		return -ENOENT;
	return 0;
}
