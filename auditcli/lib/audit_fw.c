// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit_fw.c - the audit's summary of the ACPI DMAR and IVRS tables, built
 * on the shared decoder (include/thinhv/acpi.h, vtd/acpi_*.c): units and
 * their scope, permanent DMA windows (RMRR/IVMD), pre-boot protection
 * flags, and every decoder diagnostic with its byte offset (host
 * userspace).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "auditcli/lib/audit.h"
#include "thinhv/acpi.h"
#include "thinhv/compat.h"

struct fw_ctx {
	struct audit_fw *fw;
	const struct audit_inv *inv; /* bridges, to resolve scope paths */
	uint16_t segment;
};

static void cat(char *dst, size_t dlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void cat(char *dst, size_t dlen, const char *fmt, ...)
{
	size_t n = strlen(dst);
	va_list ap;

	if (n + 1 >= dlen)
		return;
	va_start(ap, fmt);
	vsnprintf(dst + n, dlen - n, fmt, ap);
	va_end(ap);
}

/* AMD device ids (and resolved DMAR scopes) are bus << 8 | dev << 3 | fn. */
static void devid_text(char *b, size_t n, unsigned int devid)
{
	snprintf(b, n, "%02x:%02x.%u", (devid >> 8) & 0xffu,
		 (devid >> 3) & 0x1fu, devid & 7u);
}

static void on_diag(void *vctx, const struct acpi_diag *d)
{
	struct fw_ctx *c = vctx;
	struct audit_fw *fw = c->fw;

	if (d->severity == ACPI_SEV_ERROR && d->code == ACPI_D_BAD_CHECKSUM) {
		/* Firmware ships bad checksums; Linux warns and goes on. */
		cat(fw->note, sizeof(fw->note), "%sbad checksum",
		    fw->note[0] ? "; " : "");
		return;
	}
	if (d->severity == ACPI_SEV_ERROR) {
		if (!fw->error[0])
			snprintf(fw->error, sizeof(fw->error),
				 "offset %u: %s (type 0x%x, value 0x%llx)",
				 d->offset, acpi_diag_text(d->code), d->type,
				 (unsigned long long)d->value);
		fw->nerrors++;
		return;
	}
	if (d->severity == ACPI_SEV_WARN)
		cat(fw->note, sizeof(fw->note), "%soffset %u: %s",
		    fw->note[0] ? "; " : "", d->offset,
		    acpi_diag_text(d->code));
}

static int read_secbus(void *vctx, uint16_t seg, uint8_t bus, uint8_t dev,
		       uint8_t fn, uint8_t *secbus)
{
	const struct fw_ctx *c = vctx;

	for (int i = 0; c->inv && i < c->inv->ndevs; i++) {
		const struct audit_dev *d = &c->inv->devs[i];

		if (d->seg == seg && d->bus == bus && d->dev == dev &&
		    d->fn == fn && d->is_bridge) {
			*secbus = d->sec_bus;
			return 0;
		}
	}
	return -ENOENT;
}

static void scopes_text(struct fw_ctx *c, const struct acpi_dmar_scopes *s,
			uint16_t segment, char *out, size_t outlen)
{
	static const char *const kinds[] = { "?",      "endpoint", "bridge",
					     "ioapic", "hpet",	   "acpi" };
	struct acpi_dmar_scope sc;
	uint32_t cur = 0;

	out[0] = '\0';
	while (acpi_dmar_scope_next(s, &cur, &sc)) {
		char id[16];
		uint16_t bdf;

		if (!sc.path_count)
			continue;
		if (acpi_dmar_scope_resolve(&sc, segment, read_secbus, c,
					    &bdf) == 0)
			devid_text(id, sizeof(id), bdf);
		else /* a bridge on the path is not on this machine */
			snprintf(id, sizeof(id), "%02x:%02x.%u+%u",
				 sc.start_bus, sc.path[0] & 0x1f,
				 sc.path[1] & 7u, sc.path_count - 1u);
		cat(out, outlen, "%s%s %s", out[0] ? ", " : "",
		    sc.type < HV_ARRAY_SIZE(kinds) ? kinds[sc.type] : "type?",
		    id);
	}
}

static int dmar_table(void *vctx, const struct acpi_dmar *t)
{
	struct audit_fw *fw = ((struct fw_ctx *)vctx)->fw;

	fw->haw = (uint8_t)(t->host_addr_width + 1);
	fw->flags = t->flags;
	fw->intr_remap = t->flags & ACPI_DMAR_INTR_REMAP;
	fw->x2apic_opt_out = t->flags & ACPI_DMAR_X2APIC_OPT_OUT;
	fw->dma_opt_in = t->flags & ACPI_DMAR_DMA_CTRL_PLATFORM_OPT_IN;
	fw->revision = t->hdr.revision;
	snprintf(fw->oem, sizeof(fw->oem), "%s", t->hdr.oem_id);
	return 0;
}

static int dmar_drhd(void *vctx, const struct acpi_dmar_drhd *r)
{
	struct fw_ctx *c = vctx;
	struct audit_fw_unit *u;

	if (c->fw->nunits >= (int)HV_ARRAY_SIZE(c->fw->units))
		return 0;
	u = &c->fw->units[c->fw->nunits++];
	snprintf(u->kind, sizeof(u->kind), "DRHD");
	u->include_all = r->flags & ACPI_DMAR_DRHD_INCLUDE_PCI_ALL;
	u->segment = r->segment;
	u->base = r->base;
	scopes_text(c, &r->scopes, r->segment, u->scope, sizeof(u->scope));
	return 0;
}

static int dmar_rmrr(void *vctx, const struct acpi_dmar_rmrr *r)
{
	struct fw_ctx *c = vctx;
	struct audit_fw_window *w;

	if (c->fw->nwindows >= (int)HV_ARRAY_SIZE(c->fw->windows))
		return 0;
	w = &c->fw->windows[c->fw->nwindows++];
	snprintf(w->kind, sizeof(w->kind), "RMRR");
	w->start = r->base;
	w->end = r->limit;
	scopes_text(c, &r->scopes, r->segment, w->scope, sizeof(w->scope));
	return 0;
}

static int dmar_atsr(void *vctx, const struct acpi_dmar_atsr *r)
{
	(void)r;
	((struct fw_ctx *)vctx)->fw->natsr++;
	return 0;
}

static int on_unknown(void *vctx, uint32_t offset, uint32_t type,
		      const uint8_t *rec, uint32_t len)
{
	struct audit_fw *fw = ((struct fw_ctx *)vctx)->fw;

	(void)rec;
	(void)len;
	/* Skipped by length, as the specs ask for reserved types; said so. */
	cat(fw->note, sizeof(fw->note),
	    "%sskipped unknown type 0x%x at offset %u", fw->note[0] ? "; " : "",
	    type, offset);
	return 0;
}

static int ivrs_table(void *vctx, const struct acpi_ivrs *t)
{
	struct audit_fw *fw = ((struct fw_ctx *)vctx)->fw;

	fw->ivinfo = t->ivinfo;
	fw->dma_opt_in = t->ivinfo & ACPI_IVINFO_DMA_GUARD_OPT_IN;
	fw->revision = t->hdr.revision;
	snprintf(fw->oem, sizeof(fw->oem), "%s", t->hdr.oem_id);
	return 0;
}

/*
 * One IOMMU is usually described by several IVHD types (10h, 11h, 40h):
 * keep one unit per (segment, IOMMU device id), from the highest type, as
 * the spec asks system software to do.
 */
static int ivrs_ivhd(void *vctx, const struct acpi_ivhd *h)
{
	struct fw_ctx *c = vctx;
	struct audit_fw *fw = c->fw;
	struct audit_fw_unit *u = NULL;
	struct acpi_ivhd_devset ds;
	uint32_t cur = 0;
	int nsets = 0;
	bool all = false;
	char id[16];

	for (int i = 0; i < fw->nunits; i++)
		if (fw->units[i].segment == h->segment &&
		    fw->units[i].devid == h->iommu_devid) {
			if (fw->units[i].type > h->type)
				return 0;
			u = &fw->units[i];
		}
	if (!u) {
		if (fw->nunits >= (int)HV_ARRAY_SIZE(fw->units))
			return 0;
		u = &fw->units[fw->nunits++];
	}
	memset(u, 0, sizeof(*u));
	snprintf(u->kind, sizeof(u->kind), "IVHD");
	u->type = h->type;
	u->devid = h->iommu_devid;
	u->base = h->base;
	u->segment = h->segment;
	while (acpi_ivhd_devset_next(&h->entries, &cur, &ds)) {
		all |= ds.kind == ACPI_DEVSET_ALL;
		nsets++;
	}
	u->include_all = all;
	devid_text(id, sizeof(id), h->iommu_devid);
	snprintf(u->scope, sizeof(u->scope), "iommu %s (type %02xh), %s", id,
		 h->type, all ? "all devices" : "");
	if (!all)
		cat(u->scope, sizeof(u->scope), "%d device set(s)", nsets);
	return 0;
}

static int ivrs_ivmd(void *vctx, const struct acpi_ivmd *m)
{
	struct audit_fw *fw = ((struct fw_ctx *)vctx)->fw;
	struct audit_fw_window *w;
	char a[16], b[16];

	if (!m->mem_len || fw->nwindows >= (int)HV_ARRAY_SIZE(fw->windows))
		return 0;
	w = &fw->windows[fw->nwindows++];
	snprintf(w->kind, sizeof(w->kind), "IVMD");
	w->start = m->start;
	w->end = m->start + m->mem_len - 1;
	devid_text(a, sizeof(a), m->first_devid);
	devid_text(b, sizeof(b), m->last_devid);
	if (m->type == ACPI_IVRS_TYPE_IVMD_ALL)
		snprintf(w->scope, sizeof(w->scope), "all devices");
	else if (m->first_devid == m->last_devid)
		snprintf(w->scope, sizeof(w->scope), "endpoint %s", a);
	else if (m->first_devid < m->last_devid)
		snprintf(w->scope, sizeof(w->scope), "range from %s to %s", a,
			 b);
	else
		snprintf(w->scope, sizeof(w->scope), "no device (reversed)");
	return 0;
}

int audit_fw_decode(const char *name, const uint8_t *t, size_t len,
		    const struct audit_inv *inv, struct audit_fw *fw, char *err,
		    size_t errlen)
{
	struct fw_ctx c = { fw, inv, 0 };
	int rc;

	memset(fw, 0, sizeof(*fw));
	snprintf(fw->table, sizeof(fw->table), "%s", name);
	fw->length = (uint32_t)len;
	if (!strcmp(name, "DMAR")) {
		struct acpi_dmar_visitor v = { 0 };

		v.ctx = &c;
		v.table = dmar_table;
		v.drhd = dmar_drhd;
		v.rmrr = dmar_rmrr;
		v.atsr = dmar_atsr;
		v.unknown = on_unknown;
		v.diag = on_diag;
		rc = acpi_dmar_parse(t, len, &v);
	} else {
		struct acpi_ivrs_visitor v = { 0 };

		v.ctx = &c;
		v.table = ivrs_table;
		v.ivhd = ivrs_ivhd;
		v.ivmd = ivrs_ivmd;
		v.unknown = on_unknown;
		v.diag = on_diag;
		rc = acpi_ivrs_parse(t, len, &v);
	}
	if (rc == -ENODATA) {
		snprintf(err, errlen,
			 "offset 0: not a %s table (%zu bytes, too short or "
			 "wrong signature)",
			 name, len);
		return -EINVAL;
	}
	/* -EINVAL with only a bad checksum is not a broken table. */
	if (rc && rc != -EINVAL) {
		snprintf(err, errlen, "decoder error %d", rc);
		return -EINVAL;
	}
	return 0;
}
