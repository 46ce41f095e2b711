/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * policy.h - host-side policy model: XML front end, device inventories,
 * compiler to the blob of include/thinhv/policy_blob.h, digest and decoder
 * back to XML (host userspace only; the kernel sees only the blob).
 */
#ifndef THINHV_POLICY_H
#define THINHV_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "thinhv/policy_blob.h"

#define POL_XML_MAX_BYTES (1024 * 1024) /* larger policy files are refused */
#define POL_DESC_MAX 1024
#define POL_DRIVER_MAX 64
#define POL_ERR_MAX 512
#define POL_DIGEST_HEX 65 /* 64 hex digits + NUL */

/* First error of an operation, already formatted ("file:line: ..."). */
struct pol_err {
	char msg[POL_ERR_MAX];
};

struct pol_src_window {
	uint64_t base, size;
	uint32_t flags; /* POL_WIN_* */
	int line;
};

/* Tri-state for the host-only "external" attribute. */
#define POL_EXT_ANY (-1)

struct pol_src_rule {
	char name[POL_NAME_LEN];
	char *description; /* NULL when absent */
	int line;
	/* Fields the hypervisor can match (match flags + values). */
	uint32_t match;
	struct pol_dev_id id;
	/* Host-only attributes, resolved against an inventory. */
	int external; /* POL_EXT_ANY, 0 or 1 */
	char *driver; /* NULL: any */
	bool has_behind;
	struct pol_dev_id behind; /* segment/bus/device/function of a bridge */
	uint16_t action;
	struct pol_src_window *wins;
	unsigned int nwins;
};

struct pol_policy {
	char *file; /* name used in messages */
	char *description;
	struct pol_src_rule *rules;
	unsigned int nrules;
	int default_line;
	uint16_t default_action;
	struct pol_src_window *dwins;
	unsigned int ndwins;
};

static inline bool pol_src_rule_host_only(const struct pol_src_rule *r)
{
	return r->external != POL_EXT_ANY || r->driver || r->has_behind;
}

/* --- pol_xml.c --------------------------------------------------------- */
/* Parse and validate (XSD, then semantics). 0, or -errno with e->msg set. */
int pol_xml_parse(const char *buf, size_t len, const char *name,
		  struct pol_policy *out, struct pol_err *e);
int pol_xml_load(const char *path, struct pol_policy *out, struct pol_err *e);
void pol_policy_free(struct pol_policy *p);
/* Parse "16M", "0x1000", "4096": 0 or -EINVAL/-ERANGE. */
int pol_parse_size(const char *s, uint64_t *out);

/* --- pol_inventory.c --------------------------------------------------- */
struct pol_inv_dev {
	struct pol_dev_id id;
	bool external;
	char driver[POL_DRIVER_MAX]; /* "" when no driver is bound */
	bool has_parent;
	struct pol_dev_id parent; /* upstream bridge (location fields) */
	int line; /* in the inventory file; 0 for live devices */
};

struct pol_mem_range {
	uint64_t base, end; /* inclusive end, as in /proc/iomem */
};

struct pol_inventory {
	char source[256]; /* file name or "this host" */
	struct pol_inv_dev *devs;
	unsigned int ndevs;
	bool have_ram; /* the memory map is known */
	struct pol_mem_range *ram;
	unsigned int nram;
};

int pol_inventory_parse(const char *buf, size_t len, const char *name,
			struct pol_inventory *inv, struct pol_err *e);
int pol_inventory_load(const char *path, struct pol_inventory *inv,
		       struct pol_err *e);
/* This host: libpci for devices, sysfs for driver/parent/external,
 * /proc/iomem for System RAM (unknown when addresses are hidden). */
int pol_inventory_live(struct pol_inventory *inv, struct pol_err *e);
int pol_inventory_write(FILE *f, const struct pol_inventory *inv);
void pol_inventory_free(struct pol_inventory *inv);
/* Host-only attributes of r satisfied by device d (walks bridge parents). */
bool pol_inv_host_match(const struct pol_inventory *inv,
			const struct pol_inv_dev *d,
			const struct pol_src_rule *r);

/* --- pol_compile.c ----------------------------------------------------- */
struct pol_compiled {
	uint8_t *blob;
	size_t len;
	/* For each blob rule (canonical order): index of its source rule. */
	unsigned int *src;
	unsigned int nrules;
};

/*
 * Compile p into a canonical blob. Rules using host-only attributes need
 * inv (they become one exact-address rule per matching device); without it
 * they are an error. The result is re-validated with pol_blob_decode().
 */
int pol_compile(const struct pol_policy *p, const struct pol_inventory *inv,
		struct pol_compiled *out, struct pol_err *e);
void pol_compiled_free(struct pol_compiled *c);
/* SHA-256 (libsodium) of a blob as lowercase hex. */
int pol_digest_hex(const uint8_t *blob, size_t len, char hex[POL_DIGEST_HEX]);
/* Write a validated blob as a policy XML that compiles back to it
 * (digest, when given, goes into a comment). */
int pol_blob_write_xml(FILE *f, const struct pol_blob_view *v,
		       const char *digest);
/* "0000:00:04.0" into buf (at least 13 bytes). */
void pol_fmt_bdf(char *buf, size_t len, const struct pol_dev_id *d);

#endif /* THINHV_POLICY_H */
