// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_acpi.c - `thinhv acpi [--json|--fields] [FILE...]`: decode DMAR and
 * IVRS tables with the shared decoder (vtd/acpi_*.c) (host userspace).
 * Without FILE, reads /sys/firmware/acpi/tables/{DMAR,IVRS}.
 * --fields prints "OFFSET NAME VALUE" lines, the normalized form that
 * tests/acpi/iasl_fields.py compares against `iasl -d`.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditcli/cmd/cli.h"
#include "auditcli/lib/audit.h"
#include "thinhv/acpi.h"

#define SYSFS_TABLES "/sys/firmware/acpi/tables"
#define ACPI_MAX_FILE (16u << 20) /* far above any real DMAR/IVRS */

enum out_mode { OUT_TEXT, OUT_JSON, OUT_FIELDS };

struct acpi_out {
	enum out_mode mode;
	const uint8_t *buf; /* the table, for acpi_ivhd_preferred() */
	size_t len;
	FILE *f;
	const char *name;
	struct audit_json *j;
	unsigned int errors, warnings;
	struct acpi_diag *diags;
	size_t ndiag, cap;
	bool records_open; /* JSON "records" array opened */
};

/* ---------------------------------------------------------- formatting */

/*
 * Bytes of a decoded string up to the first NUL, quoted; printable ASCII
 * verbatim (as iasl prints it), anything else as \xHH.
 */
static void put_cstr(FILE *f, const char *s, size_t max)
{
	fputc('"', f);
	for (size_t i = 0; i < max && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* The same as a bounded, printable C string for text/JSON. */
static void safe_str(char *dst, size_t dstsz, const char *s, size_t max)
{
	size_t o = 0;

	for (size_t i = 0; i < max && s[i] && o + 5 < dstsz; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(dst + o, dstsz - o, "\\x%02x", c);
		else
			dst[o++] = (char)c;
	}
	dst[o] = '\0';
}

static void fld_u(struct acpi_out *o, uint32_t off, const char *name,
		  uint64_t v)
{
	fprintf(o->f, "%u %s 0x%llx\n", off, name, (unsigned long long)v);
}

static void fld_s(struct acpi_out *o, uint32_t off, const char *name,
		  const char *s, size_t max)
{
	fprintf(o->f, "%u %s ", off, name);
	put_cstr(o->f, s, max);
	fputc('\n', o->f);
}

static void bdf_str(char *b, size_t n, uint16_t id)
{
	snprintf(b, n, "%02x:%02x.%x", (unsigned int)id >> 8,
		 (unsigned int)(id >> 3) & 0x1fu, (unsigned int)id & 7u);
}

static const char *dmar_rec_name(unsigned int t)
{
	static const char *const n[] = { "DRHD", "RMRR", "ATSR", "RHSA",
					 "ANDD", "SATC", "SIDP" };

	return t < HV_ARRAY_SIZE(n) ? n[t] : "unknown";
}

static const char *scope_name(unsigned int t)
{
	static const char *const n[] = { "?",	       "PCI endpoint",
					 "PCI bridge", "IOAPIC",
					 "HPET",       "ACPI namespace" };

	return t < HV_ARRAY_SIZE(n) ? n[t] : "unknown";
}

static const char *ivhd_entry_name(unsigned int t)
{
	switch (t) {
	case ACPI_IVHD_DEV_PAD4:
		return "pad";
	case ACPI_IVHD_DEV_ALL:
		return "all";
	case ACPI_IVHD_DEV_SELECT:
		return "select";
	case ACPI_IVHD_DEV_RANGE_START:
		return "range start";
	case ACPI_IVHD_DEV_RANGE_END:
		return "range end";
	case ACPI_IVHD_DEV_PAD8:
		return "pad8";
	case ACPI_IVHD_DEV_ALIAS_SELECT:
		return "alias select";
	case ACPI_IVHD_DEV_ALIAS_RANGE:
		return "alias range start";
	case ACPI_IVHD_DEV_EXT_SELECT:
		return "extended select";
	case ACPI_IVHD_DEV_EXT_RANGE:
		return "extended range start";
	case ACPI_IVHD_DEV_SPECIAL:
		return "special";
	case ACPI_IVHD_DEV_ACPI_HID:
		return "ACPI HID";
	}
	return "unknown";
}

static const char *variety_name(unsigned int v)
{
	return v == ACPI_IVHD_SPECIAL_IOAPIC ? "IOAPIC"
	       : v == ACPI_IVHD_SPECIAL_HPET ? "HPET"
					     : "unknown";
}

/* -------------------------------------------------------- diagnostics */

#define DIAG_FMT "%s: offset 0x%x (%u): %s (type 0x%x, value 0x%llx)"

static void on_diag(void *ctx, const struct acpi_diag *d)
{
	struct acpi_out *o = ctx;

	if (d->severity == ACPI_SEV_ERROR) {
		o->errors++;
		cli_err(DIAG_FMT, o->name, d->offset, d->offset,
			acpi_diag_text(d->code), d->type,
			(unsigned long long)d->value);
	} else {
		o->warnings++;
		cli_warn(DIAG_FMT, o->name, d->offset, d->offset,
			 acpi_diag_text(d->code), d->type,
			 (unsigned long long)d->value);
	}
	if (o->ndiag == o->cap) {
		size_t ncap = o->cap ? o->cap * 2 : 16;
		struct acpi_diag *nd = realloc(o->diags, ncap * sizeof(*nd));

		if (!nd)
			return; /* still printed above */
		o->diags = nd;
		o->cap = ncap;
	}
	o->diags[o->ndiag++] = *d;
}

/* ------------------------------------------------------------- header */

static void sdt_header(struct acpi_out *o, const struct acpi_sdt_header *h)
{
	char a[32], b[32], c[32];

	if (o->mode == OUT_FIELDS) {
		fld_s(o, 0, "hdr.signature", h->signature, 4);
		fld_u(o, 4, "hdr.length", h->length);
		fld_u(o, 8, "hdr.revision", h->revision);
		fld_u(o, 9, "hdr.checksum", h->checksum);
		fld_s(o, 10, "hdr.oem_id", h->oem_id, 6);
		fld_s(o, 16, "hdr.oem_table_id", h->oem_table_id, 8);
		fld_u(o, 24, "hdr.oem_revision", h->oem_revision);
		fld_s(o, 28, "hdr.creator_id", h->creator_id, 4);
		fld_u(o, 32, "hdr.creator_revision", h->creator_revision);
		return;
	}
	safe_str(a, sizeof(a), h->oem_id, 6);
	safe_str(b, sizeof(b), h->oem_table_id, 8);
	safe_str(c, sizeof(c), h->creator_id, 4);
	if (o->mode == OUT_JSON) {
		audit_json_str(o->j, "signature", h->signature);
		audit_json_int(o->j, "length", h->length);
		audit_json_int(o->j, "revision", h->revision);
		audit_json_hex(o->j, "checksum", h->checksum);
		audit_json_bool(o->j, "checksum_ok", h->checksum_ok);
		audit_json_str(o->j, "oem_id", a);
		audit_json_str(o->j, "oem_table_id", b);
		audit_json_hex(o->j, "oem_revision", h->oem_revision);
		audit_json_str(o->j, "creator_id", c);
		audit_json_hex(o->j, "creator_revision", h->creator_revision);
		return;
	}
	fprintf(o->f, "%s table %s\n", h->signature, o->name);
	fprintf(o->f, "  %-22s %u bytes%s\n", "length", h->length,
		h->length != h->buffer_len ? " (differs from file size)" : "");
	fprintf(o->f, "  %-22s %u\n", "revision", h->revision);
	fprintf(o->f, "  %-22s 0x%02x (%s)\n", "checksum", h->checksum,
		h->checksum_ok ? "ok" : "BAD");
	fprintf(o->f, "  %-22s \"%s\" \"%s\" revision 0x%x\n", "OEM", a, b,
		h->oem_revision);
	fprintf(o->f, "  %-22s \"%s\" revision 0x%x\n", "creator", c,
		h->creator_revision);
}

static void records_open(struct acpi_out *o)
{
	if (o->mode == OUT_JSON && !o->records_open) {
		audit_json_arr(o->j, "records");
		o->records_open = true;
	}
}

static void flag_list(FILE *f, unsigned int flags, const char *const names[],
		      unsigned int n)
{
	bool any = false;

	for (unsigned int i = 0; i < n; i++) {
		if (!(flags & (1u << i)) || !names[i])
			continue;
		fprintf(f, "%s%s", any ? " " : " ", names[i]);
		any = true;
	}
}

/* --------------------------------------------------------------- DMAR */

static const char *const dmar_flag_names[] = { "INTR_REMAP", "X2APIC_OPT_OUT",
					       "DMA_CTRL_PLATFORM_OPT_IN" };

static int dmar_table(void *ctx, const struct acpi_dmar *t)
{
	struct acpi_out *o = ctx;

	sdt_header(o, &t->hdr);
	if (t->hdr.walk_len < ACPI_DMAR_HEADER_LEN)
		return 0;
	switch (o->mode) {
	case OUT_FIELDS:
		fld_u(o, 36, "dmar.haw", t->host_addr_width);
		fld_u(o, 37, "dmar.flags", t->flags);
		break;
	case OUT_JSON:
		audit_json_int(o->j, "host_address_width",
			       t->host_addr_width + 1);
		audit_json_hex(o->j, "flags", t->flags);
		audit_json_bool(o->j, "intr_remap",
				t->flags & ACPI_DMAR_INTR_REMAP);
		audit_json_bool(o->j, "x2apic_opt_out",
				t->flags & ACPI_DMAR_X2APIC_OPT_OUT);
		audit_json_bool(o->j, "dma_ctrl_platform_opt_in",
				t->flags & ACPI_DMAR_DMA_CTRL_PLATFORM_OPT_IN);
		break;
	case OUT_TEXT:
		fprintf(o->f, "  %-22s %u bits\n", "host address width",
			t->host_addr_width + 1u);
		fprintf(o->f, "  %-22s 0x%02x", "flags", t->flags);
		flag_list(o->f, t->flags, dmar_flag_names,
			  HV_ARRAY_SIZE(dmar_flag_names));
		fputs("\n\n", o->f);
		break;
	}
	return 0;
}

static void rec_fields(struct acpi_out *o, uint32_t off, unsigned int type,
		       unsigned int len)
{
	fld_u(o, off, "dmar.rec.type", type);
	fld_u(o, off + 2, "dmar.rec.length", len);
}

static void scope_path_str(char *b, size_t n, const struct acpi_dmar_scope *s)
{
	size_t o = (size_t)snprintf(b, n, "%02x", s->start_bus);

	for (unsigned int i = 0; i < s->path_count && o + 8 < n; i++)
		o += (size_t)snprintf(b + o, n - o, "%s%02x.%x", i ? "/" : ":",
				      s->path[2 * i], s->path[2 * i + 1]);
}

static void scopes(struct acpi_out *o, const struct acpi_dmar_scopes *v)
{
	struct acpi_dmar_scope s;
	uint32_t cur = 0;
	char path[512];

	if (o->mode == OUT_JSON)
		audit_json_arr(o->j, "scopes");
	while (acpi_dmar_scope_next(v, &cur, &s)) {
		scope_path_str(path, sizeof(path), &s);
		switch (o->mode) {
		case OUT_FIELDS:
			fld_u(o, s.offset, "scope.type", s.type);
			fld_u(o, s.offset + 1, "scope.length", s.length);
			fld_u(o, s.offset + 4, "scope.enum_id", s.enum_id);
			fld_u(o, s.offset + 5, "scope.bus", s.start_bus);
			for (unsigned int i = 0; i < s.path_count; i++)
				fprintf(o->f, "%u scope.path %02x,%02x\n",
					s.offset + 6 + 2 * i, s.path[2 * i],
					s.path[2 * i + 1]);
			break;
		case OUT_JSON:
			audit_json_obj(o->j, NULL);
			audit_json_int(o->j, "offset", s.offset);
			audit_json_int(o->j, "type", s.type);
			audit_json_str(o->j, "kind", scope_name(s.type));
			audit_json_int(o->j, "enumeration_id", s.enum_id);
			audit_json_int(o->j, "start_bus", s.start_bus);
			audit_json_hex(o->j, "flags", s.flags);
			audit_json_arr(o->j, "path");
			for (unsigned int i = 0; i < s.path_count; i++) {
				audit_json_obj(o->j, NULL);
				audit_json_int(o->j, "device", s.path[2 * i]);
				audit_json_int(o->j, "function",
					       s.path[2 * i + 1]);
				audit_json_obj_end(o->j);
			}
			audit_json_arr_end(o->j);
			audit_json_str(o->j, "path_text", path);
			audit_json_obj_end(o->j);
			break;
		case OUT_TEXT:
			fprintf(o->f, "    scope @0x%03x  %-15s ", s.offset,
				scope_name(s.type));
			if (s.type == ACPI_DMAR_SCOPE_IOAPIC ||
			    s.type == ACPI_DMAR_SCOPE_HPET ||
			    s.type == ACPI_DMAR_SCOPE_ACPI_NAMESPACE)
				fprintf(o->f, "id %-3u ", s.enum_id);
			else
				fprintf(o->f, "       ");
			fprintf(o->f, "%s\n", path);
			break;
		}
	}
	if (o->mode == OUT_JSON)
		audit_json_arr_end(o->j);
}

static void rec_begin(struct acpi_out *o, const char *kind, uint32_t off,
		      unsigned int len)
{
	records_open(o);
	if (o->mode == OUT_JSON) {
		audit_json_obj(o->j, NULL);
		audit_json_str(o->j, "type", kind);
		audit_json_int(o->j, "offset", off);
		audit_json_int(o->j, "length", len);
	}
}

static void rec_end(struct acpi_out *o)
{
	if (o->mode == OUT_JSON)
		audit_json_obj_end(o->j);
}

static int on_drhd(void *ctx, const struct acpi_dmar_drhd *r)
{
	struct acpi_out *o = ctx;

	rec_begin(o, "DRHD", r->offset, r->length);
	if (o->mode == OUT_FIELDS) {
		rec_fields(o, r->offset, ACPI_DMAR_TYPE_DRHD, r->length);
		fld_u(o, r->offset + 4, "drhd.flags", r->flags);
		fld_u(o, r->offset + 5, "drhd.size", r->size);
		fld_u(o, r->offset + 6, "drhd.segment", r->segment);
		fld_u(o, r->offset + 8, "drhd.base", r->base);
	} else if (o->mode == OUT_JSON) {
		audit_json_hex(o->j, "flags", r->flags);
		audit_json_bool(o->j, "include_pci_all",
				r->flags & ACPI_DMAR_DRHD_INCLUDE_PCI_ALL);
		audit_json_int(o->j, "segment", r->segment);
		audit_json_hex(o->j, "register_base", r->base);
		audit_json_hex(o->j, "register_size",
			       acpi_dmar_drhd_reg_size(r));
	} else {
		fprintf(o->f,
			"DRHD @0x%03x  remapping unit  base 0x%016llx  "
			"size %llu KiB  segment %u%s\n",
			r->offset, (unsigned long long)r->base,
			(unsigned long long)(acpi_dmar_drhd_reg_size(r) >> 10),
			r->segment,
			r->flags & ACPI_DMAR_DRHD_INCLUDE_PCI_ALL
			    ? "  INCLUDE_PCI_ALL"
			    : "");
		if (r->flags & ACPI_DMAR_DRHD_INCLUDE_PCI_ALL)
			fprintf(o->f,
				"    covers every PCI device of segment %u "
				"not named by another unit\n",
				r->segment);
	}
	scopes(o, &r->scopes);
	rec_end(o);
	return 0;
}

static int on_rmrr(void *ctx, const struct acpi_dmar_rmrr *r)
{
	struct acpi_out *o = ctx;

	rec_begin(o, "RMRR", r->offset, r->length);
	if (o->mode == OUT_FIELDS) {
		rec_fields(o, r->offset, ACPI_DMAR_TYPE_RMRR, r->length);
		fld_u(o, r->offset + 6, "rmrr.segment", r->segment);
		fld_u(o, r->offset + 8, "rmrr.base", r->base);
		fld_u(o, r->offset + 16, "rmrr.limit", r->limit);
	} else if (o->mode == OUT_JSON) {
		audit_json_int(o->j, "segment", r->segment);
		audit_json_hex(o->j, "base", r->base);
		audit_json_hex(o->j, "limit", r->limit);
	} else {
		fprintf(o->f,
			"RMRR @0x%03x  reserved memory 0x%016llx-0x%016llx "
			"(%llu KiB)  segment %u\n",
			r->offset, (unsigned long long)r->base,
			(unsigned long long)r->limit,
			r->limit >= r->base
			    ? (unsigned long long)((r->limit - r->base) / 1024 +
						   (r->limit > r->base ? 1 : 0))
			    : 0ull,
			r->segment);
	}
	scopes(o, &r->scopes);
	rec_end(o);
	return 0;
}

static int on_atsr(void *ctx, const struct acpi_dmar_atsr *r)
{
	struct acpi_out *o = ctx;

	rec_begin(o, "ATSR", r->offset, r->length);
	if (o->mode == OUT_FIELDS) {
		rec_fields(o, r->offset, ACPI_DMAR_TYPE_ATSR, r->length);
		fld_u(o, r->offset + 4, "atsr.flags", r->flags);
		fld_u(o, r->offset + 6, "atsr.segment", r->segment);
	} else if (o->mode == OUT_JSON) {
		audit_json_hex(o->j, "flags", r->flags);
		audit_json_bool(o->j, "all_ports",
				r->flags & ACPI_DMAR_ATSR_ALL_PORTS);
		audit_json_int(o->j, "segment", r->segment);
	} else {
		fprintf(o->f, "ATSR @0x%03x  root-port ATS  segment %u%s\n",
			r->offset, r->segment,
			r->flags & ACPI_DMAR_ATSR_ALL_PORTS ? "  ALL_PORTS"
							    : "");
	}
	scopes(o, &r->scopes);
	rec_end(o);
	return 0;
}

static int on_rhsa(void *ctx, const struct acpi_dmar_rhsa *r)
{
	struct acpi_out *o = ctx;

	rec_begin(o, "RHSA", r->offset, r->length);
	if (o->mode == OUT_FIELDS) {
		rec_fields(o, r->offset, ACPI_DMAR_TYPE_RHSA, r->length);
		fld_u(o, r->offset + 8, "rhsa.base", r->base);
		fld_u(o, r->offset + 16, "rhsa.proximity", r->proximity_domain);
	} else if (o->mode == OUT_JSON) {
		audit_json_hex(o->j, "register_base", r->base);
		audit_json_int(o->j, "proximity_domain", r->proximity_domain);
	} else {
		fprintf(o->f,
			"RHSA @0x%03x  unit 0x%016llx  proximity domain %u\n",
			r->offset, (unsigned long long)r->base,
			r->proximity_domain);
	}
	rec_end(o);
	return 0;
}

static int on_andd(void *ctx, const struct acpi_dmar_andd *r)
{
	struct acpi_out *o = ctx;
	char name[1200];

	safe_str(name, sizeof(name), r->name, r->name_len);
	rec_begin(o, "ANDD", r->offset, r->length);
	if (o->mode == OUT_FIELDS) {
		rec_fields(o, r->offset, ACPI_DMAR_TYPE_ANDD, r->length);
		fld_u(o, r->offset + 7, "andd.devnum", r->device_number);
		fld_s(o, r->offset + 8, "andd.name", r->name, r->name_len);
	} else if (o->mode == OUT_JSON) {
		audit_json_int(o->j, "device_number", r->device_number);
		audit_json_str(o->j, "object_name", name);
	} else {
		fprintf(o->f, "ANDD @0x%03x  ACPI device %u = %s\n", r->offset,
			r->device_number, name);
	}
	rec_end(o);
	return 0;
}

static int on_satc(void *ctx, const struct acpi_dmar_satc *r)
{
	struct acpi_out *o = ctx;
	const char *kind = dmar_rec_name(r->type);

	rec_begin(o, kind, r->offset, r->length);
	if (o->mode == OUT_FIELDS) {
		rec_fields(o, r->offset, r->type, r->length);
		fld_u(o, r->offset + 4, "satc.flags", r->flags);
		fld_u(o, r->offset + 6, "satc.segment", r->segment);
	} else if (o->mode == OUT_JSON) {
		audit_json_hex(o->j, "flags", r->flags);
		if (r->type == ACPI_DMAR_TYPE_SATC)
			audit_json_bool(o->j, "atc_required",
					r->flags & ACPI_DMAR_SATC_ATC_REQUIRED);
		audit_json_int(o->j, "segment", r->segment);
	} else {
		fprintf(o->f, "%s @0x%03x  %s  segment %u%s\n", kind, r->offset,
			r->type == ACPI_DMAR_TYPE_SATC
			    ? "SoC integrated address translation cache"
			    : "SoC integrated device property",
			r->segment,
			r->type == ACPI_DMAR_TYPE_SATC &&
				(r->flags & ACPI_DMAR_SATC_ATC_REQUIRED)
			    ? "  ATC_REQUIRED"
			    : "");
	}
	scopes(o, &r->scopes);
	rec_end(o);
	return 0;
}

static int on_dmar_unknown(void *ctx, uint32_t off, uint32_t type,
			   const uint8_t *rec, uint32_t len)
{
	struct acpi_out *o = ctx;

	rec_begin(o, "unknown", off, len);
	if (o->mode == OUT_FIELDS) {
		rec_fields(o, off, type, len);
	} else if (o->mode == OUT_JSON) {
		audit_json_int(o->j, "record_type", type);
	} else {
		fprintf(o->f,
			"?    @0x%03x  unknown record type %u, %u bytes "
			"(skipped)\n",
			off, type, len);
	}
	rec_end(o);
	return 0;
}

/* --------------------------------------------------------------- IVRS */

static int ivrs_table(void *ctx, const struct acpi_ivrs *t)
{
	struct acpi_out *o = ctx;
	uint32_t iv = t->ivinfo;

	sdt_header(o, &t->hdr);
	if (t->hdr.walk_len < ACPI_IVRS_HEADER_LEN)
		return 0;
	switch (o->mode) {
	case OUT_FIELDS:
		fld_u(o, 36, "ivrs.ivinfo", iv);
		break;
	case OUT_JSON:
		audit_json_hex(o->j, "ivinfo", iv);
		audit_json_bool(o->j, "efr_sup", iv & ACPI_IVINFO_EFR_SUP);
		audit_json_bool(o->j, "dma_guard_opt_in",
				iv & ACPI_IVINFO_DMA_GUARD_OPT_IN);
		audit_json_int(o->j, "gva_size", acpi_ivinfo_gva_size(iv));
		audit_json_int(o->j, "pa_size", acpi_ivinfo_pa_size(iv));
		audit_json_int(o->j, "va_size", acpi_ivinfo_va_size(iv));
		audit_json_bool(o->j, "ht_ats_resv",
				iv & ACPI_IVINFO_HT_ATS_RESV);
		break;
	case OUT_TEXT:
		fprintf(o->f, "  %-22s 0x%08x%s%s%s\n", "IVinfo", iv,
			iv & ACPI_IVINFO_EFR_SUP ? " EFR_SUP" : "",
			iv & ACPI_IVINFO_DMA_GUARD_OPT_IN ? " DMA_GUARD_OPT_IN"
							  : "",
			iv & ACPI_IVINFO_HT_ATS_RESV ? " HT_ATS_RESV" : "");
		fprintf(o->f, "  %-22s %u bits\n", "physical address size",
			acpi_ivinfo_pa_size(iv));
		fprintf(o->f, "  %-22s %u bits\n", "virtual address size",
			acpi_ivinfo_va_size(iv));
		fprintf(o->f, "  %-22s %u%s\n\n", "guest VA size (code)",
			acpi_ivinfo_gva_size(iv),
			acpi_ivinfo_gva_size(iv) == 2 ? " (48 bits)" : "");
		break;
	}
	return 0;
}

static void ivrs_rec_fields(struct acpi_out *o, uint32_t off, unsigned int type,
			    unsigned int flags, unsigned int len,
			    uint16_t devid)
{
	fld_u(o, off, "ivrs.rec.type", type);
	fld_u(o, off + 1, "ivrs.rec.flags", flags);
	fld_u(o, off + 2, "ivrs.rec.length", len);
	fld_u(o, off + 4, "ivrs.rec.devid", devid);
}

static void entry_fields(struct acpi_out *o, const struct acpi_ivhd_entry *e)
{
	uint32_t b = e->offset;

	fld_u(o, b, "entry.type", e->type);
	fld_u(o, b + 1, "entry.devid", e->devid);
	fld_u(o, b + 3, "entry.dte", e->dte);
	switch (e->type) {
	case ACPI_IVHD_DEV_ALIAS_SELECT:
	case ACPI_IVHD_DEV_ALIAS_RANGE:
		fld_u(o, b + 5, "entry.source_devid", e->source_devid);
		break;
	case ACPI_IVHD_DEV_EXT_SELECT:
	case ACPI_IVHD_DEV_EXT_RANGE:
		fld_u(o, b + 4, "entry.ext_dte", e->ext_dte);
		break;
	case ACPI_IVHD_DEV_SPECIAL:
		fld_u(o, b + 4, "entry.handle", e->handle);
		fld_u(o, b + 5, "entry.source_devid", e->source_devid);
		fld_u(o, b + 7, "entry.variety", e->variety);
		break;
	case ACPI_IVHD_DEV_ACPI_HID:
		fld_s(o, b + 4, "entry.hid", e->hid, 8);
		fld_s(o, b + 12, "entry.cid", e->cid, 8);
		fld_u(o, b + 20, "entry.uid_format", e->uid_format);
		fld_u(o, b + 21, "entry.uid_length", e->uid_len);
		if (e->uid_len)
			fld_s(o, b + 22, "entry.uid", (const char *)e->uid,
			      e->uid_len);
		break;
	}
}

static void uid_str(char *b, size_t n, const struct acpi_ivhd_entry *e)
{
	if (e->uid_format == ACPI_IVHD_UID_INTEGER && e->uid_len <= 8) {
		uint64_t v = 0;

		for (unsigned int i = 0; i < e->uid_len; i++)
			v |= (uint64_t)e->uid[i] << (8 * i);
		snprintf(b, n, "%llu", (unsigned long long)v);
	} else {
		safe_str(b, n, (const char *)e->uid, e->uid_len);
	}
}

static void entry_text(struct acpi_out *o, const struct acpi_ivhd_entry *e)
{
	char d[16], s[16], uid[1100];

	bdf_str(d, sizeof(d), e->devid);
	bdf_str(s, sizeof(s), e->source_devid);
	fprintf(o->f, "    entry @0x%03x  %-20s ", e->offset,
		ivhd_entry_name(e->type));
	switch (e->type) {
	case ACPI_IVHD_DEV_PAD4:
	case ACPI_IVHD_DEV_PAD8:
		break;
	case ACPI_IVHD_DEV_ALL:
		fprintf(o->f, "all devices  dte 0x%02x", e->dte);
		break;
	case ACPI_IVHD_DEV_RANGE_END:
		fprintf(o->f, "%s", d);
		break;
	case ACPI_IVHD_DEV_ALIAS_SELECT:
	case ACPI_IVHD_DEV_ALIAS_RANGE:
		fprintf(o->f, "%s  dte 0x%02x  alias %s", d, e->dte, s);
		break;
	case ACPI_IVHD_DEV_EXT_SELECT:
	case ACPI_IVHD_DEV_EXT_RANGE:
		fprintf(o->f, "%s  dte 0x%02x  ext 0x%08x%s", d, e->dte,
			e->ext_dte,
			e->ext_dte & 0x80000000u ? " (ATS disabled)" : "");
		break;
	case ACPI_IVHD_DEV_SPECIAL:
		fprintf(o->f, "%s %u at %s  dte 0x%02x",
			variety_name(e->variety), e->handle, s, e->dte);
		break;
	case ACPI_IVHD_DEV_ACPI_HID: {
		char h[40], c[40];

		safe_str(h, sizeof(h), e->hid, 8);
		safe_str(c, sizeof(c), e->cid, 8);
		uid_str(uid, sizeof(uid), e);
		fprintf(o->f, "%s  HID %s  CID %s  UID %s  dte 0x%02x", d, h, c,
			e->uid_format ? uid : "(none)", e->dte);
		break;
	}
	default:
		if (e->type == ACPI_IVHD_DEV_SELECT ||
		    e->type == ACPI_IVHD_DEV_RANGE_START)
			fprintf(o->f, "%s  dte 0x%02x", d, e->dte);
		else
			fprintf(o->f, "(%u bytes, skipped)", e->length);
		break;
	}
	fputc('\n', o->f);
}

static void entry_json(struct acpi_out *o, const struct acpi_ivhd_entry *e)
{
	audit_json_obj(o->j, NULL);
	audit_json_int(o->j, "offset", e->offset);
	audit_json_hex(o->j, "type", e->type);
	audit_json_str(o->j, "kind", ivhd_entry_name(e->type));
	audit_json_hex(o->j, "devid", e->devid);
	audit_json_hex(o->j, "dte", e->dte);
	switch (e->type) {
	case ACPI_IVHD_DEV_ALIAS_SELECT:
	case ACPI_IVHD_DEV_ALIAS_RANGE:
		audit_json_hex(o->j, "alias_devid", e->source_devid);
		break;
	case ACPI_IVHD_DEV_EXT_SELECT:
	case ACPI_IVHD_DEV_EXT_RANGE:
		audit_json_hex(o->j, "ext_dte", e->ext_dte);
		break;
	case ACPI_IVHD_DEV_SPECIAL:
		audit_json_int(o->j, "handle", e->handle);
		audit_json_hex(o->j, "source_devid", e->source_devid);
		audit_json_str(o->j, "variety", variety_name(e->variety));
		break;
	case ACPI_IVHD_DEV_ACPI_HID: {
		char h[40], c[40], uid[1100];

		safe_str(h, sizeof(h), e->hid, 8);
		safe_str(c, sizeof(c), e->cid, 8);
		uid_str(uid, sizeof(uid), e);
		audit_json_str(o->j, "hid", h);
		audit_json_str(o->j, "cid", c);
		audit_json_int(o->j, "uid_format", e->uid_format);
		audit_json_str(o->j, "uid", uid);
		break;
	}
	}
	audit_json_obj_end(o->j);
}

static void devset_out(struct acpi_out *o, const struct acpi_ivhd_entries *v)
{
	struct acpi_ivhd_devset s;
	uint32_t cur = 0;
	char a[16], b[16], al[16];

	if (o->mode == OUT_JSON)
		audit_json_arr(o->j, "devices");
	else
		fprintf(o->f, "    covers:\n");
	while (acpi_ivhd_devset_next(v, &cur, &s)) {
		static const char *const kind[] = { "range", "all", "special",
						    "acpi_hid" };

		bdf_str(a, sizeof(a), s.first);
		bdf_str(b, sizeof(b), s.last);
		bdf_str(al, sizeof(al), s.alias);
		if (o->mode == OUT_JSON) {
			audit_json_obj(o->j, NULL);
			audit_json_str(o->j, "kind", kind[s.kind]);
			audit_json_hex(o->j, "first", s.first);
			audit_json_hex(o->j, "last", s.last);
			audit_json_hex(o->j, "dte", s.dte);
			if (s.has_alias)
				audit_json_hex(o->j, "alias", s.alias);
			if (s.has_ext)
				audit_json_hex(o->j, "ext_dte", s.ext_dte);
			if (s.kind == ACPI_DEVSET_SPECIAL) {
				audit_json_str(o->j, "variety",
					       variety_name(s.variety));
				audit_json_int(o->j, "handle", s.handle);
			}
			audit_json_obj_end(o->j);
			continue;
		}
		fprintf(o->f, "      %-8s %s", kind[s.kind], a);
		if (s.last != s.first)
			fprintf(o->f, " - %s", b);
		if (s.has_alias)
			fprintf(o->f, "  as %s", al);
		if (s.kind == ACPI_DEVSET_SPECIAL)
			fprintf(o->f, "  (%s %u)", variety_name(s.variety),
				s.handle);
		fputc('\n', o->f);
	}
	if (o->mode == OUT_JSON)
		audit_json_arr_end(o->j);
}

static int on_ivhd(void *ctx, const struct acpi_ivhd *h)
{
	struct acpi_out *o = ctx;
	static const char *const fl[] = { "HtTunEn", "PassPW",	 "ResPassPW",
					  "Isoc",    "IotlbSup", "Coherent",
					  "PrefSup", "PPRSup" };
	struct acpi_ivhd_entry e;
	uint32_t cur = 0;
	char kind[8], dev[16];

	snprintf(kind, sizeof(kind), "IVHD%02x", h->type);
	bdf_str(dev, sizeof(dev), h->iommu_devid);
	rec_begin(o, kind, h->offset, h->length);
	if (o->mode == OUT_FIELDS) {
		ivrs_rec_fields(o, h->offset, h->type, h->flags, h->length,
				h->iommu_devid);
		fld_u(o, h->offset + 6, "ivhd.cap_offset", h->cap_offset);
		fld_u(o, h->offset + 8, "ivhd.base", h->base);
		fld_u(o, h->offset + 16, "ivhd.segment", h->segment);
		fld_u(o, h->offset + 18, "ivhd.info", h->info);
		fld_u(o, h->offset + 20, "ivhd.feature", h->feature);
		if (h->type != ACPI_IVRS_TYPE_IVHD10) {
			fld_u(o, h->offset + 24, "ivhd.efr", h->efr);
			fld_u(o, h->offset + 32, "ivhd.efr2", h->efr2);
		}
		while (acpi_ivhd_entry_next(&h->entries, &cur, &e))
			entry_fields(o, &e);
		return 0;
	}
	if (o->mode == OUT_JSON) {
		audit_json_hex(o->j, "flags", h->flags);
		audit_json_bool(o->j, "preferred",
				acpi_ivhd_preferred(o->buf, o->len, h,
						    ACPI_IVRS_TYPE_IVHD40));
		audit_json_hex(o->j, "iommu_devid", h->iommu_devid);
		audit_json_str(o->j, "iommu_bdf", dev);
		audit_json_hex(o->j, "capability_offset", h->cap_offset);
		audit_json_hex(o->j, "base", h->base);
		audit_json_int(o->j, "segment", h->segment);
		audit_json_hex(o->j, "info", h->info);
		audit_json_hex(o->j,
			       h->type == ACPI_IVRS_TYPE_IVHD10
				   ? "feature_reporting"
				   : "attributes",
			       h->feature);
		if (h->type != ACPI_IVRS_TYPE_IVHD10) {
			audit_json_hex(o->j, "efr", h->efr);
			audit_json_hex(o->j, "efr2", h->efr2);
		}
		audit_json_arr(o->j, "entries");
		while (acpi_ivhd_entry_next(&h->entries, &cur, &e))
			entry_json(o, &e);
		audit_json_arr_end(o->j);
		devset_out(o, &h->entries);
		rec_end(o);
		return 0;
	}
	fprintf(o->f,
		"%s @0x%03x  IOMMU %04x:%s  base 0x%016llx  cap 0x%02x  "
		"MSI %u  unit %u\n",
		kind, h->offset, h->segment, dev, (unsigned long long)h->base,
		h->cap_offset, h->info & 0x1fu, (h->info >> 8) & 0x1fu);
	if (!acpi_ivhd_preferred(o->buf, o->len, h, ACPI_IVRS_TYPE_IVHD40))
		fprintf(o->f, "    (superseded by a higher IVHD type for "
			      "this IOMMU)\n");
	fprintf(o->f, "    flags 0x%02x", h->flags);
	flag_list(o->f, h->flags, fl, HV_ARRAY_SIZE(fl));
	fprintf(o->f, "\n    %s 0x%08x",
		h->type == 0x10 ? "features" : "attributes", h->feature);
	if (h->type != ACPI_IVRS_TYPE_IVHD10)
		fprintf(o->f, "  EFR 0x%016llx  EFR2 0x%016llx",
			(unsigned long long)h->efr,
			(unsigned long long)h->efr2);
	fputc('\n', o->f);
	while (acpi_ivhd_entry_next(&h->entries, &cur, &e))
		entry_text(o, &e);
	devset_out(o, &h->entries);
	return 0;
}

static int on_ivmd(void *ctx, const struct acpi_ivmd *m)
{
	struct acpi_out *o = ctx;
	char kind[8], a[16], b[16];

	snprintf(kind, sizeof(kind), "IVMD%02x", m->type);
	bdf_str(a, sizeof(a), m->first_devid);
	bdf_str(b, sizeof(b), m->last_devid);
	rec_begin(o, kind, m->offset, m->length);
	if (o->mode == OUT_FIELDS) {
		ivrs_rec_fields(o, m->offset, m->type, m->flags, m->length,
				m->devid);
		fld_u(o, m->offset + 6, "ivmd.aux", m->aux);
		fld_u(o, m->offset + 16, "ivmd.start", m->start);
		fld_u(o, m->offset + 24, "ivmd.length", m->mem_len);
	} else if (o->mode == OUT_JSON) {
		audit_json_hex(o->j, "flags", m->flags);
		audit_json_bool(o->j, "unity", m->flags & ACPI_IVMD_UNITY);
		audit_json_bool(o->j, "read", m->flags & ACPI_IVMD_IR);
		audit_json_bool(o->j, "write", m->flags & ACPI_IVMD_IW);
		audit_json_bool(o->j, "exclusion",
				m->flags & ACPI_IVMD_EXCLUSION);
		audit_json_hex(o->j, "first_devid", m->first_devid);
		audit_json_hex(o->j, "last_devid", m->last_devid);
		audit_json_hex(o->j, "start", m->start);
		audit_json_hex(o->j, "mem_length", m->mem_len);
		rec_end(o);
	} else {
		fprintf(o->f,
			"%s @0x%03x  memory 0x%016llx +0x%llx  flags "
			"0x%02x%s%s%s%s\n",
			kind, m->offset, (unsigned long long)m->start,
			(unsigned long long)m->mem_len, m->flags,
			m->flags & ACPI_IVMD_UNITY ? " UNITY" : "",
			m->flags & ACPI_IVMD_IR ? " IR" : "",
			m->flags & ACPI_IVMD_IW ? " IW" : "",
			m->flags & ACPI_IVMD_EXCLUSION ? " EXCLUSION" : "");
		if (m->type == ACPI_IVRS_TYPE_IVMD_ALL)
			fprintf(o->f, "    for all devices\n");
		else if (m->first_devid == m->last_devid)
			fprintf(o->f, "    for %s\n", a);
		else
			fprintf(o->f, "    for %s - %s\n", a, b);
	}
	return 0;
}

static int on_ivrs_unknown(void *ctx, uint32_t off, uint32_t type,
			   const uint8_t *rec, uint32_t len)
{
	struct acpi_out *o = ctx;

	rec_begin(o, "unknown", off, len);
	if (o->mode == OUT_FIELDS) {
		fld_u(o, off, "ivrs.rec.type", type);
		fld_u(o, off + 1, "ivrs.rec.flags", rec[1]);
		fld_u(o, off + 2, "ivrs.rec.length", len);
		if (len >= 6)
			fld_u(o, off + 4, "ivrs.rec.devid", hv_le16(rec + 4));
	} else if (o->mode == OUT_JSON) {
		audit_json_hex(o->j, "record_type", type);
	} else {
		fprintf(o->f,
			"?    @0x%03x  unknown subtable type 0x%02x, %u bytes "
			"(skipped)\n",
			off, type, len);
	}
	rec_end(o);
	return 0;
}

/* ------------------------------------------------------------ driver */

static int read_file(const char *path, uint8_t **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		return -errno;
	for (;;) {
		size_t r;

		if (n == cap) {
			uint8_t *nb;

			if (cap >= ACPI_MAX_FILE) {
				free(b);
				fclose(f);
				return -EFBIG;
			}
			cap = cap ? cap * 2 : 4096;
			nb = realloc(b, cap);
			if (!nb) {
				free(b);
				fclose(f);
				return -ENOMEM;
			}
			b = nb;
		}
		r = fread(b + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno ? errno : EIO;

		free(b);
		fclose(f);
		return -e;
	}
	fclose(f);
	*buf = b;
	*len = n;
	return 0;
}

/* Decode one table; returns a CLI_EXIT_* mask. */
static int decode_one(struct acpi_out *o, const uint8_t *buf, size_t len)
{
	struct acpi_dmar_visitor dv = {
		.ctx = o,
		.table = dmar_table,
		.drhd = on_drhd,
		.rmrr = on_rmrr,
		.atsr = on_atsr,
		.rhsa = on_rhsa,
		.andd = on_andd,
		.satc = on_satc,
		.unknown = on_dmar_unknown,
		.diag = on_diag,
	};
	struct acpi_ivrs_visitor iv = {
		.ctx = o,
		.table = ivrs_table,
		.ivhd = on_ivhd,
		.ivmd = on_ivmd,
		.unknown = on_ivrs_unknown,
		.diag = on_diag,
	};
	enum acpi_table_kind k = acpi_table_identify(buf, len);
	int rc;

	if (k == ACPI_TABLE_UNKNOWN) {
		cli_err("%s: not a DMAR or IVRS table (signature at offset 0)",
			o->name);
		return CLI_EXIT_ERROR;
	}
	if (o->mode == OUT_JSON) {
		audit_json_obj(o->j, NULL);
		audit_json_str(o->j, "file", o->name);
	}
	rc = k == ACPI_TABLE_DMAR ? acpi_dmar_parse(buf, len, &dv)
				  : acpi_ivrs_parse(buf, len, &iv);
	if (o->mode == OUT_JSON) {
		records_open(o); /* "records": [] even when none decoded */
		audit_json_arr_end(o->j);
		o->records_open = false;
		audit_json_arr(o->j, "diagnostics");
		for (size_t i = 0; i < o->ndiag; i++) {
			const struct acpi_diag *d = &o->diags[i];

			audit_json_obj(o->j, NULL);
			audit_json_str(o->j, "severity",
				       acpi_severity_name(d->severity));
			audit_json_int(o->j, "offset", d->offset);
			audit_json_str(o->j, "message",
				       acpi_diag_text(d->code));
			audit_json_hex(o->j, "type", d->type);
			audit_json_hex(o->j, "value", d->value);
			audit_json_obj_end(o->j);
		}
		audit_json_arr_end(o->j);
		/* Consumers must not treat a partial decode as the platform. */
		audit_json_bool(o->j, "complete", rc >= 0 && !o->errors);
		audit_json_int(o->j, "errors", o->errors);
		audit_json_int(o->j, "warnings", o->warnings);
		audit_json_obj_end(o->j);
	} else if (o->mode == OUT_TEXT) {
		fprintf(o->f, "\n%s: %u error(s), %u warning(s)\n\n", o->name,
			o->errors, o->warnings);
	}
	if (rc < 0 || o->errors)
		return CLI_EXIT_ERROR | (o->warnings ? CLI_EXIT_WARN : 0);
	return o->warnings ? CLI_EXIT_WARN : CLI_EXIT_OK;
}

/* Text goes through the sanitizer: OEM IDs and names are firmware's. */
static FILE *acpi_text;

static int decode_path(enum out_mode mode, struct audit_json *j,
		       const char *path, bool from_sysfs)
{
	struct acpi_out o = {
		.mode = mode, .f = acpi_text, .name = path, .j = j
	};
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc = read_file(path, &buf, &len), ex;

	if (rc) {
		if (from_sysfs && (rc == -EACCES || rc == -EPERM))
			cli_err("%s: %s (the ACPI tables are readable by root "
				"only: run with sudo)",
				path, strerror(-rc));
		else
			cli_err("%s: cannot read: %s", path, strerror(-rc));
		return CLI_EXIT_ERROR;
	}
	o.buf = buf;
	o.len = len;
	ex = decode_one(&o, buf, len);
	free(o.diags);
	free(buf);
	return ex;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: thinhv acpi [--json | --fields] [FILE...]\n"
		"Decode DMAR (Intel VT-d) and IVRS (AMD-Vi) ACPI tables.\n"
		"Without FILE: " SYSFS_TABLES "/DMAR and /IVRS.\n"
		"  --json     machine-readable output\n"
		"  --fields   normalized 'OFFSET NAME VALUE' lines (tests)\n"
		"Diagnostics go to stderr with their byte offset. Exit: 0 ok, "
		"1 warnings, 4 malformed/unreadable.\n");
}

static int cmd_acpi(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "fields", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum out_mode mode = OUT_TEXT;
	struct audit_json j;
	int c, ex = CLI_EXIT_OK, found = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jFh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			mode = OUT_JSON;
			break;
		case 'F':
			mode = OUT_FIELDS;
			break;
		case 'h':
			usage(stdout);
			return CLI_EXIT_OK;
		default:
			usage(stderr);
			return CLI_EXIT_ERROR;
		}
	}
	acpi_text = mode == OUT_JSON ? stdout : audit_text_open(stdout);
	if (!acpi_text)
		return CLI_EXIT_ERROR;
	if (mode == OUT_JSON) {
		audit_json_begin(&j, stdout);
		audit_json_arr(&j, "tables");
	}
	if (optind < argc) {
		for (int i = optind; i < argc; i++)
			ex |= decode_path(mode, &j, argv[i], false);
	} else {
		static const char *const sys[] = { SYSFS_TABLES "/DMAR",
						   SYSFS_TABLES "/IVRS" };

		for (size_t i = 0; i < HV_ARRAY_SIZE(sys); i++) {
			FILE *probe = fopen(sys[i], "rb");

			if (!probe && errno == ENOENT)
				continue;
			if (probe)
				fclose(probe);
			found++;
			ex |= decode_path(mode, &j, sys[i], true);
		}
		if (!found) {
			cli_warn("no DMAR or IVRS table in " SYSFS_TABLES
				 ": the firmware reports no IOMMU (or it is "
				 "disabled in the firmware setup)");
			ex |= CLI_EXIT_WARN;
		}
	}
	if (mode == OUT_JSON) {
		audit_json_arr_end(&j);
		audit_json_end(&j);
	}
	if (acpi_text != stdout && audit_text_close(acpi_text))
		ex |= CLI_EXIT_ERROR;
	return ex;
}

CLI_COMMAND(acpi, "acpi", "decode DMAR / IVRS ACPI tables (file or sysfs)",
	    cmd_acpi)
