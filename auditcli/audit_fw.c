// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit_fw.c - summary decode of the ACPI DMAR (Intel VT-d spec rev 4.1,
 * chapter 8) and IVRS (AMD IOMMU spec rev 3.08, section 5) tables for the
 * audit (host userspace). Only what the audit reports: units and their
 * scope, reserved-memory windows (RMRR/IVMD), opt-in flags. This is the
 * seam where the shared decoder (include/thinhv/acpi.h) plugs in when it
 * lands; the table is hostile input: every length is checked against its
 * container and errors name the byte offset.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "thinhv/compat.h"

#define ACPI_HDR_LEN 36
#define DMAR_HDR_LEN 48
#define IVRS_HDR_LEN 48

/* DMAR flags (VT-d 8.1) */
#define DMAR_F_INTR_REMAP 0x01
#define DMAR_F_X2APIC_OPT_OUT 0x02
#define DMAR_F_DMA_CTRL_OPT_IN 0x04

/* IVinfo (AMD IOMMU 5.2.1): bit 1 "DMA remap support" (pre-boot DMA
 * protection opt-in as used by Linux and Windows Kernel DMA Protection). */
#define IVINFO_DMA_REMAP 0x02

static void ferr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void ferr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

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

/* DMAR device scopes (VT-d 8.3.1): type, length, 2 rsvd, enum id, start bus,
 * then (device, function) path pairs. */
static int dmar_scopes(const uint8_t *t, size_t off, size_t end, char *out,
		       size_t outlen, char *err, size_t errlen)
{
	static const char *const kinds[] = { "?",      "endpoint", "bridge",
					     "ioapic", "hpet",	   "acpi" };

	out[0] = '\0';
	while (off < end) {
		uint8_t type, len, bus;

		if (!hv_fits(off, 6, end)) {
			ferr(err, errlen,
			     "offset %zu: device scope header runs past its "
			     "record",
			     off);
			return -EINVAL;
		}
		type = t[off];
		len = t[off + 1];
		bus = t[off + 5];
		if (len < 6 || (len - 6) % 2 || !hv_fits(off, len, end)) {
			ferr(err, errlen,
			     "offset %zu: device scope length %u invalid", off,
			     len);
			return -EINVAL;
		}
		if (out[0])
			cat(out, outlen, ", ");
		if (len >= 8)
			cat(out, outlen, "%s %02x:%02x.%u",
			    type < HV_ARRAY_SIZE(kinds) ? kinds[type] : "type?",
			    bus, t[off + 6] & 0x1f, t[off + 7] & 7);
		if (len > 8)
			cat(out, outlen, "(+%u hops)", (len - 8) / 2);
		off += len;
	}
	return 0;
}

static int decode_dmar(const uint8_t *t, size_t len, struct audit_fw *fw,
		       char *err, size_t errlen)
{
	size_t off = DMAR_HDR_LEN;

	fw->haw = (uint8_t)(t[36] + 1);
	fw->flags = t[37];
	fw->intr_remap = fw->flags & DMAR_F_INTR_REMAP;
	fw->x2apic_opt_out = fw->flags & DMAR_F_X2APIC_OPT_OUT;
	fw->dma_opt_in = fw->flags & DMAR_F_DMA_CTRL_OPT_IN;
	while (off < len) {
		uint16_t type, rlen;

		if (!hv_fits(off, 4, len)) {
			ferr(err, errlen,
			     "offset %zu: record header runs past table end "
			     "(%zu)",
			     off, len);
			return -EINVAL;
		}
		type = hv_le16(t + off);
		rlen = hv_le16(t + off + 2);
		if (rlen < 4 || !hv_fits(off, rlen, len)) {
			ferr(err, errlen,
			     "offset %zu: record type %u length %u runs past "
			     "table end (%zu) or is too short",
			     off, type, rlen, len);
			return -EINVAL;
		}
		if (type == 0) { /* DRHD */
			struct audit_fw_unit *u;

			if (rlen < 16) {
				ferr(err, errlen,
				     "offset %zu: DRHD length %u < 16", off,
				     rlen);
				return -EINVAL;
			}
			if (fw->nunits < (int)HV_ARRAY_SIZE(fw->units)) {
				u = &fw->units[fw->nunits++];
				snprintf(u->kind, sizeof(u->kind), "DRHD");
				u->include_all = t[off + 4] & 1;
				u->segment = hv_le16(t + off + 6);
				u->base = hv_le64(t + off + 8);
				if (dmar_scopes(t, off + 16, off + rlen,
						u->scope, sizeof(u->scope), err,
						errlen))
					return -EINVAL;
			}
		} else if (type == 1) { /* RMRR */
			struct audit_fw_window *w;

			if (rlen < 24) {
				ferr(err, errlen,
				     "offset %zu: RMRR length %u < 24", off,
				     rlen);
				return -EINVAL;
			}
			if (fw->nwindows < (int)HV_ARRAY_SIZE(fw->windows)) {
				w = &fw->windows[fw->nwindows++];
				snprintf(w->kind, sizeof(w->kind), "RMRR");
				w->start = hv_le64(t + off + 8);
				w->end = hv_le64(t + off + 16);
				if (w->end < w->start) {
					ferr(
					    err, errlen,
					    "offset %zu: RMRR limit below base",
					    off);
					return -EINVAL;
				}
				if (dmar_scopes(t, off + 24, off + rlen,
						w->scope, sizeof(w->scope), err,
						errlen))
					return -EINVAL;
			}
		} else if (type == 2) { /* ATSR */
			fw->natsr++;
		} else if (type > 5) {
			/* Unknown records are skipped by length (VT-d 8.1:
			 * "ignore reserved types"), and said so. */
			cat(fw->note, sizeof(fw->note),
			    "%sskipped unknown record type %u at offset %zu",
			    fw->note[0] ? "; " : "", type, off);
		}
		off += rlen;
	}
	return 0;
}

/* AMD device ids are bus << 8 | dev << 3 | fn (AMD IOMMU spec 5.2). */
static void devid_text(char *b, size_t n, unsigned int devid)
{
	snprintf(b, n, "%02x:%02x.%u", (devid >> 8) & 0xffu,
		 (devid >> 3) & 0x1fu, devid & 7u);
}

static size_t ivhd_entry_len(const uint8_t *t, size_t off, size_t end)
{
	uint8_t type = t[off];

	if (type == 0xf0) { /* ACPI HID: 22 bytes + UID */
		if (!hv_fits(off, 22, end))
			return 0;
		return 22u + t[off + 21];
	}
	if (type >= 0x80)
		return 0; /* no defined size: stop, reported by caller */
	return (size_t)4 << (type >> 6);
}

static int decode_ivhd(const uint8_t *t, size_t off, uint8_t type,
		       uint16_t rlen, struct audit_fw *fw, char *err,
		       size_t errlen)
{
	struct audit_fw_unit *u;
	size_t hdr = type == 0x10 ? 24 : 40, e, end = off + rlen;

	if (rlen < hdr) {
		ferr(err, errlen,
		     "offset %zu: IVHD type 0x%02x length %u < %zu", off, type,
		     rlen, hdr);
		return -EINVAL;
	}
	if (fw->nunits >= (int)HV_ARRAY_SIZE(fw->units))
		return 0;
	u = &fw->units[fw->nunits++];
	snprintf(u->kind, sizeof(u->kind), "IVHD");
	u->base = hv_le64(t + off + 8);
	u->segment = hv_le16(t + off + 16);
	{
		char id[16];

		devid_text(id, sizeof(id), hv_le16(t + off + 4));
		snprintf(u->scope, sizeof(u->scope), "iommu %s", id);
	}
	for (e = off + hdr; e < end;) {
		size_t el = ivhd_entry_len(t, e, end);

		if (!el || !hv_fits(e, el, end)) {
			ferr(err, errlen,
			     "offset %zu: IVHD device entry type 0x%02x has no "
			     "valid length inside its IVHD",
			     e, t[e]);
			return -EINVAL;
		}
		if (t[e] == 1)
			u->include_all = true;
		e += el;
	}
	if (u->include_all)
		cat(u->scope, sizeof(u->scope), ", all devices");
	return 0;
}

static int decode_ivrs(const uint8_t *t, size_t len, struct audit_fw *fw,
		       char *err, size_t errlen)
{
	size_t off = IVRS_HDR_LEN;

	fw->ivinfo = hv_le32(t + 36);
	fw->dma_opt_in = fw->ivinfo & IVINFO_DMA_REMAP;
	while (off < len) {
		uint8_t type;
		uint16_t rlen;

		if (!hv_fits(off, 4, len)) {
			ferr(err, errlen,
			     "offset %zu: block header runs past table end "
			     "(%zu)",
			     off, len);
			return -EINVAL;
		}
		type = t[off];
		rlen = hv_le16(t + off + 2);
		if (rlen < 4 || !hv_fits(off, rlen, len)) {
			ferr(
			    err, errlen,
			    "offset %zu: block type 0x%02x length %u runs past "
			    "table end (%zu) or is too short",
			    off, type, rlen, len);
			return -EINVAL;
		}
		if (type == 0x10 || type == 0x11 || type == 0x40) {
			if (decode_ivhd(t, off, type, rlen, fw, err, errlen))
				return -EINVAL;
		} else if (type >= 0x20 && type <= 0x22) {
			struct audit_fw_window *w;
			uint64_t start, blen;
			uint16_t devid;

			if (rlen < 32) {
				ferr(err, errlen,
				     "offset %zu: IVMD length %u < 32", off,
				     rlen);
				return -EINVAL;
			}
			start = hv_le64(t + off + 16);
			blen = hv_le64(t + off + 24);
			devid = hv_le16(t + off + 4);
			if (!blen || start + blen < start) {
				ferr(err, errlen,
				     "offset %zu: IVMD window length 0x%llx "
				     "invalid",
				     off, (unsigned long long)blen);
				return -EINVAL;
			}
			if (fw->nwindows < (int)HV_ARRAY_SIZE(fw->windows)) {
				w = &fw->windows[fw->nwindows++];
				snprintf(w->kind, sizeof(w->kind), "IVMD");
				w->start = start;
				w->end = start + blen - 1;
				if (type == 0x20)
					snprintf(w->scope, sizeof(w->scope),
						 "all devices");
				else {
					char a[16], b[16];

					devid_text(a, sizeof(a), devid);
					devid_text(b, sizeof(b),
						   hv_le16(t + off + 6));
					if (type == 0x21)
						snprintf(w->scope,
							 sizeof(w->scope),
							 "endpoint %s", a);
					else
						snprintf(w->scope,
							 sizeof(w->scope),
							 "range from %s to %s",
							 a, b);
				}
			}
		} else {
			cat(fw->note, sizeof(fw->note),
			    "%sskipped unknown block type 0x%02x at offset %zu",
			    fw->note[0] ? "; " : "", type, off);
		}
		off += rlen;
	}
	return 0;
}

int audit_fw_decode(const char *name, const uint8_t *t, size_t len,
		    struct audit_fw *fw, char *err, size_t errlen)
{
	uint32_t tlen;
	uint8_t sum = 0;

	memset(fw, 0, sizeof(*fw));
	if (len < 48) {
		ferr(err, errlen,
		     "table is %zu bytes, shorter than the 48-byte "
		     "header",
		     len);
		return -EINVAL;
	}
	if (memcmp(t, name, 4)) {
		ferr(err, errlen, "offset 0: signature '%.4s' is not %s",
		     (const char *)t, name);
		return -EINVAL;
	}
	tlen = hv_le32(t + 4);
	if (tlen != len) {
		ferr(err, errlen,
		     "offset 4: header length %u differs from file size %zu",
		     tlen, len);
		return -EINVAL;
	}
	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + t[i]);
	snprintf(fw->table, sizeof(fw->table), "%s", name);
	fw->length = tlen;
	fw->revision = t[8];
	memcpy(fw->oem, t + 10, 6);
	fw->oem[6] = '\0';
	for (int i = 0; i < 6; i++)
		if (fw->oem[i] < 0x20 || fw->oem[i] > 0x7e)
			fw->oem[i] = fw->oem[i] ? '?' : '\0';
	if (sum)
		/* Firmware ships bad checksums; Linux warns and goes on. */
		snprintf(fw->note, sizeof(fw->note), "bad checksum");
	if (!strcmp(name, "DMAR"))
		return decode_dmar(t, len, fw, err, errlen);
	return decode_ivrs(t, len, fw, err, errlen);
}
