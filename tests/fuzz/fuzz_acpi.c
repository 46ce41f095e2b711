// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_acpi.c - libFuzzer harness for the DMAR/IVRS decoders (host
 * userspace, `make fuzz`). The first input byte picks the table kind and
 * whether the declared length is forced to the real size (so mutations
 * reach the records instead of dying at the length check); the rest is
 * the table. Every view the decoder hands out is walked and must stay
 * inside the buffer; any violation aborts.
 */
#include <stdlib.h>
#include <string.h>

#include "thinhv/acpi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz {
	const uint8_t *buf;
	size_t len;
};

static void inside(const struct fz *f, const void *p, size_t n)
{
	const uint8_t *b = p;

	if (n && (b < f->buf || b + n > f->buf + f->len))
		abort();
}

static void scopes(const struct fz *f, const struct acpi_dmar_scopes *v)
{
	struct acpi_dmar_scope s;
	uint32_t cur = 0, n = 0;

	while (acpi_dmar_scope_next(v, &cur, &s)) {
		inside(f, f->buf + s.offset, s.length);
		inside(f, s.path, 2u * s.path_count);
		n++;
	}
	if (n != v->count)
		abort();
}

static int v_drhd(void *ctx, const struct acpi_dmar_drhd *r)
{
	scopes(ctx, &r->scopes);
	return 0;
}

static int v_rmrr(void *ctx, const struct acpi_dmar_rmrr *r)
{
	scopes(ctx, &r->scopes);
	return 0;
}

static int v_atsr(void *ctx, const struct acpi_dmar_atsr *r)
{
	scopes(ctx, &r->scopes);
	return 0;
}

static int v_satc(void *ctx, const struct acpi_dmar_satc *r)
{
	scopes(ctx, &r->scopes);
	return 0;
}

static int v_andd(void *ctx, const struct acpi_dmar_andd *r)
{
	inside(ctx, r->name, r->name_len);
	return 0;
}

static int v_ivhd(void *ctx, const struct acpi_ivhd *h)
{
	const struct fz *f = ctx;
	struct acpi_ivhd_entry e;
	struct acpi_ivhd_devset d;
	uint32_t cur = 0, n = 0;

	inside(f, f->buf + h->offset, h->length);
	while (acpi_ivhd_entry_next(&h->entries, &cur, &e)) {
		inside(f, f->buf + e.offset, e.length);
		if (e.type == ACPI_IVHD_DEV_ACPI_HID)
			inside(f, e.uid, e.uid_len);
		n++;
	}
	if (n != h->entries.count)
		abort();
	cur = 0;
	while (acpi_ivhd_devset_next(&h->entries, &cur, &d))
		if (d.first > d.last)
			abort();
	return 0;
}

static int v_unknown(void *ctx, uint32_t off, uint32_t type, const uint8_t *rec,
		     uint32_t len)
{
	inside(ctx, rec, len);
	return 0;
}

static void v_diag(void *ctx, const struct acpi_diag *d)
{
	const struct fz *f = ctx;

	if (d->offset > f->len || !acpi_diag_text(d->code))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f;
	uint8_t *t;
	struct acpi_dmar_visitor dv = {
		.drhd = v_drhd,
		.rmrr = v_rmrr,
		.atsr = v_atsr,
		.andd = v_andd,
		.satc = v_satc,
		.unknown = v_unknown,
		.diag = v_diag,
	};
	struct acpi_ivrs_visitor iv = {
		.ivhd = v_ivhd,
		.unknown = v_unknown,
		.diag = v_diag,
	};
	int rc;

	if (size < 1)
		return 0;
	/* An exact-size copy so ASan sees any read past the end. */
	t = malloc(size - 1 ? size - 1 : 1);
	if (!t)
		return 0;
	memcpy(t, data + 1, size - 1);
	f.buf = t;
	f.len = size - 1;
	dv.ctx = iv.ctx = &f;
	if (f.len >= 4)
		memcpy(t, data[0] & 1 ? "IVRS" : "DMAR", 4);
	if (f.len >= 8 && (data[0] & 2))
		hv_put_le32(t + 4, (uint32_t)f.len);
	rc = data[0] & 1 ? acpi_ivrs_parse(t, f.len, &iv)
			 : acpi_dmar_parse(t, f.len, &dv);
	if (rc != 0 && rc != -EINVAL && rc != -ENODATA)
		abort();
	free(t);
	return 0;
}
