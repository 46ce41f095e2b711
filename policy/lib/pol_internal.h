/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pol_internal.h - helpers shared by the policy component's host sources
 * (host userspace only).
 */
#ifndef THINHV_POL_INTERNAL_H
#define THINHV_POL_INTERNAL_H

#include <stddef.h>

#include "policy/lib/policy.h"

/* The embedded XML Schema text (not NUL-terminated in the count). */
const char *pol_xsd_text(size_t *len);
/* Format into e->msg (first error wins unless e->msg is empty). */
void pol_errf(struct pol_err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Read a whole file of at most max bytes (NUL-terminated copy). */
int pol_read_file(const char *path, size_t max, char **buf, size_t *len,
		  struct pol_err *e);

#endif /* THINHV_POL_INTERNAL_H */
