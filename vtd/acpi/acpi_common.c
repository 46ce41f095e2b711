// SPDX-License-Identifier: GPL-2.0-only
/*
 * acpi_common.c - ACPI SDT header checks, checksum and diagnostic texts
 * shared by the DMAR and IVRS decoders (pure C: kernel module and host).
 */
#include "thinhv/compat.h"
#include "thinhv/acpi.h"
#include "vtd/acpi/acpi_internal.h"

static const char *const diag_texts[ACPI_D_CODE_MAX] = {
	[ACPI_D_TABLE_TRUNCATED] = "table shorter than the 36-byte ACPI header",
	[ACPI_D_BAD_SIGNATURE] = "unexpected table signature",
	[ACPI_D_LENGTH_EXCEEDS_BUFFER] = "declared table length exceeds the "
					 "bytes available (truncated table)",
	[ACPI_D_TRAILING_BYTES] =
	    "bytes after the declared table length are ignored",
	[ACPI_D_LENGTH_TOO_SMALL] =
	    "declared table length is smaller than the table's fixed header",
	[ACPI_D_BAD_CHECKSUM] = "checksum mismatch (bytes do not sum to zero)",
	[ACPI_D_REC_HEADER_TRUNCATED] =
	    "record header truncated by the end of the table",
	[ACPI_D_REC_ZERO_LENGTH] = "record has zero length",
	[ACPI_D_REC_OVERRUN] = "record runs past the end of the table",
	[ACPI_D_REC_TOO_SHORT] =
	    "record is shorter than the fixed part of its type",
	[ACPI_D_REC_UNKNOWN_TYPE] = "unknown record type skipped",
	[ACPI_D_SCOPE_TRUNCATED] =
	    "device scope header truncated by the end of its record",
	[ACPI_D_SCOPE_BAD_LENGTH] =
	    "device scope length invalid (must be 6 + 2 per path entry)",
	[ACPI_D_SCOPE_OVERRUN] = "device scope runs past the end of its record",
	[ACPI_D_SCOPE_UNKNOWN_TYPE] = "unknown device scope type",
	[ACPI_D_SCOPE_NO_PATH] = "device scope has no path entry",
	[ACPI_D_ANDD_NAME_UNTERMINATED] =
	    "ACPI object name is not NUL-terminated inside its record",
	[ACPI_D_RMRR_BAD_RANGE] =
	    "reserved memory range is empty or not 4 KiB granular",
	[ACPI_D_DRHD_ALL_NOT_LAST] =
	    "INCLUDE_PCI_ALL unit is not the last unit of its segment",
	[ACPI_D_ENTRY_OVERRUN] = "device entry runs past the end of its IVHD",
	[ACPI_D_ENTRY_UNKNOWN_TYPE] = "unknown device entry type skipped",
	[ACPI_D_ENTRY_UNKNOWN_LENGTH] = "variable-length device entry of "
					"unknown type: rest of IVHD dropped",
	[ACPI_D_RANGE_END_WITHOUT_START] =
	    "end-of-range entry without a start-of-range entry",
	[ACPI_D_RANGE_START_WITHOUT_END] =
	    "start-of-range entry never closed by an end-of-range entry",
	[ACPI_D_RANGE_REVERSED] = "device range ends before it starts",
	[ACPI_D_HID_BAD_UID] =
	    "ACPI HID entry has an invalid UID format/length",
	[ACPI_D_IVMD_BAD_RANGE] =
	    "memory definition range wraps or device range is reversed",
};

const char *acpi_diag_text(enum acpi_diag_code code)
{
	if ((unsigned int)code >= ACPI_D_CODE_MAX || !diag_texts[code])
		return "unknown diagnostic";
	return diag_texts[code];
}

const char *acpi_severity_name(enum acpi_severity sev)
{
	switch (sev) {
	case ACPI_SEV_INFO:
		return "info";
	case ACPI_SEV_WARN:
		return "warning";
	case ACPI_SEV_ERROR:
		return "error";
	}
	return "?";
}

enum acpi_table_kind acpi_table_identify(const uint8_t *buf, size_t len)
{
	if (!buf || len < 4)
		return ACPI_TABLE_UNKNOWN;
	if (!memcmp(buf, "DMAR", 4))
		return ACPI_TABLE_DMAR;
	if (!memcmp(buf, "IVRS", 4))
		return ACPI_TABLE_IVRS;
	return ACPI_TABLE_UNKNOWN;
}

void acpi_report(struct acpi_walk *w, enum acpi_severity sev,
		 enum acpi_diag_code code, uint32_t offset, uint32_t type,
		 uint64_t value)
{
	struct acpi_diag d;

	if (sev == ACPI_SEV_ERROR)
		w->errors++;
	else if (sev == ACPI_SEV_WARN)
		w->warnings++;
	if (!w->diag)
		return;
	d.severity = sev;
	d.code = code;
	d.offset = offset;
	d.type = type;
	d.value = value;
	w->diag(w->ctx, &d);
}

static void copy_str(char *dst, const uint8_t *src, size_t n)
{
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int acpi_walk_begin(struct acpi_walk *w, const uint8_t *buf, size_t len,
		    const char *sig, uint32_t min_len,
		    struct acpi_sdt_header *hdr)
{
	uint32_t buflen = len > 0xffffffffu ? 0xffffffffu : (uint32_t)len;
	uint8_t sum = 0;

	memset(hdr, 0, sizeof(*hdr));
	w->buf = buf;
	w->end = 0;
	w->errors = 0;
	w->warnings = 0;
	hdr->buffer_len = buflen;
	if (!buf || buflen < ACPI_SDT_HEADER_LEN) {
		acpi_report(w, ACPI_SEV_ERROR, ACPI_D_TABLE_TRUNCATED, 0, 0,
			    buflen);
		return -ENODATA;
	}
	copy_str(hdr->signature, buf, 4);
	hdr->length = hv_le32(buf + 4);
	hdr->revision = buf[8];
	hdr->checksum = buf[9];
	copy_str(hdr->oem_id, buf + 10, 6);
	copy_str(hdr->oem_table_id, buf + 16, 8);
	hdr->oem_revision = hv_le32(buf + 24);
	copy_str(hdr->creator_id, buf + 28, 4);
	hdr->creator_revision = hv_le32(buf + 32);
	if (memcmp(buf, sig, 4)) {
		acpi_report(w, ACPI_SEV_ERROR, ACPI_D_BAD_SIGNATURE, 0, 0, 0);
		return -ENODATA;
	}

	/* Walk the smaller of what the table claims and what we were given. */
	if (hdr->length > buflen) {
		acpi_report(w, ACPI_SEV_ERROR, ACPI_D_LENGTH_EXCEEDS_BUFFER, 4,
			    0, hdr->length);
		w->end = buflen;
	} else {
		if (hdr->length < buflen)
			acpi_report(w, ACPI_SEV_WARN, ACPI_D_TRAILING_BYTES,
				    hdr->length, 0, buflen - hdr->length);
		w->end = hdr->length;
	}
	hdr->walk_len = w->end;

	for (uint32_t i = 0; i < w->end; i++)
		sum = (uint8_t)(sum + buf[i]);
	/* A truncated table cannot be verified: it is never "ok". */
	hdr->checksum_ok = sum == 0 && hdr->length <= buflen &&
			   hdr->length >= ACPI_SDT_HEADER_LEN;
	/*
	 * Firmware ships bad checksums and the OS uses such tables anyway, so
	 * this is a warning; checksum_ok carries the verdict for consumers.
	 */
	if (sum != 0)
		acpi_report(w, ACPI_SEV_WARN, ACPI_D_BAD_CHECKSUM, 9, 0, sum);

	if (hdr->length < min_len) {
		acpi_report(w, ACPI_SEV_ERROR, ACPI_D_LENGTH_TOO_SMALL, 4, 0,
			    hdr->length);
		return -EINVAL;
	}
	if (w->end < min_len) {
		/* Already reported as LENGTH_EXCEEDS_BUFFER. */
		return -EINVAL;
	}
	return 0;
}
