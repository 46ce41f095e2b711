/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * acpi_internal.h - helpers shared by the DMAR and IVRS walkers (pure C,
 * kernel module and host userspace). Not part of the public API.
 */
#ifndef THINHV_VTD_ACPI_INTERNAL_H
#define THINHV_VTD_ACPI_INTERNAL_H

#include "thinhv/acpi.h"

/* Walk state: the buffer, how far it may be read, and the report sink. */
struct acpi_walk {
	const uint8_t *buf;
	uint32_t end; /* bytes that may be read: min(declared, buffer) */
	void (*diag)(void *ctx, const struct acpi_diag *d);
	void *ctx;
	uint32_t errors;
	uint32_t warnings;
};

void acpi_report(struct acpi_walk *w, enum acpi_severity sev,
		 enum acpi_diag_code code, uint32_t offset, uint32_t type,
		 uint64_t value);

/*
 * Decode and check the SDT header against 'sig' and the fixed table header
 * size 'min_len'; fills *hdr and sets up *w. Returns 0; -EINVAL when the
 * header was decoded but fewer than min_len bytes may be walked; -ENODATA
 * when there is no header or the signature is wrong.
 */
int acpi_walk_begin(struct acpi_walk *w, const uint8_t *buf, size_t len,
		    const char *sig, uint32_t min_len,
		    struct acpi_sdt_header *hdr);

#endif /* THINHV_VTD_ACPI_INTERNAL_H */
