/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * policy_blob.h - the compiled DMA policy: the binary ABI between the policy
 * compiler (host userspace) and the hypervisor that enforces it (kernel).
 *
 * Layout (all integers little-endian, every offset from the blob start):
 *
 *   struct pol_blob_header   at 0, POL_HEADER_SIZE bytes
 *   struct pol_blob_rule     rule_count entries, at rules_offset
 *   struct pol_blob_window   window_count entries, at windows_offset
 *
 * The format is canonical: one meaning has exactly one encoding (fixed
 * section order, no gaps or trailing bytes, rules and windows sorted,
 * adjacent windows merged, every unused or reserved byte zero). The policy
 * digest is SHA-256 over the whole blob, so it can be computed by the tool
 * and recomputed over the hypervisor's own copy; it is deliberately not
 * stored in the blob (a field cannot cover itself, and a stored digest
 * would be one more thing to trust rather than recompute). The validator
 * (policy/pure/pol_blob.c) rejects every non-canonical blob, so two blobs that
 * validate and differ always mean different things.
 *
 * The structs document the layout and are size-checked below; code reads
 * and writes blobs with hv_le*()/hv_put_le*() at the offsetof() positions,
 * never by casting the buffer (hostile input, no alignment promise).
 */
#ifndef THINHV_POLICY_BLOB_H
#define THINHV_POLICY_BLOB_H

#include "thinhv/compat.h"

/* "THHVPOL1" read as a little-endian 64-bit word. */
#define POL_MAGIC 0x314c4f5056484854ULL
#define POL_VERSION 1

#define POL_NAME_LEN 32 /* rule name, NUL-padded, at most 31 bytes */
#define POL_MAX_RULES 1024
#define POL_MAX_WINDOWS 4096
#define POL_MAX_WINDOWS_PER_RULE 64
#define POL_PAGE_SIZE 4096ULL
/* Windows must lie below this (the architectural 52-bit physical limit). */
#define POL_PHYS_LIMIT (1ULL << 52)

/*
 * Actions. Zero is deliberately not an action: a zeroed or truncated blob
 * can never decode to "allow"; the validator rejects every other value.
 */
#define POL_ACTION_DENY 0x0001	   /* no DMA at all */
#define POL_ACTION_WINDOW 0x0002   /* only the listed windows */
#define POL_ACTION_IDENTITY 0x0003 /* all RAM 1:1 minus protected ranges */

/*
 * Match fields present in a rule (pol_blob_rule.match). A field that is
 * absent is a wildcard and its value bytes must be zero.
 */
#define POL_M_SEGMENT (1U << 0)
#define POL_M_BUS (1U << 1)
#define POL_M_DEVICE (1U << 2)
#define POL_M_FUNCTION (1U << 3)
#define POL_M_VENDOR (1U << 4)
#define POL_M_DEVICE_ID (1U << 5)
#define POL_M_SUBVENDOR (1U << 6)
#define POL_M_SUBDEVICE (1U << 7)
#define POL_M_CLASS (1U << 8)
#define POL_M_SUBCLASS (1U << 9)
#define POL_M_PROG_IF (1U << 10)
#define POL_M_LOCATION \
	(POL_M_SEGMENT | POL_M_BUS | POL_M_DEVICE | POL_M_FUNCTION)
#define POL_M_IDS \
	(POL_M_VENDOR | POL_M_DEVICE_ID | POL_M_SUBVENDOR | POL_M_SUBDEVICE)
#define POL_M_CLASSES (POL_M_CLASS | POL_M_SUBCLASS | POL_M_PROG_IF)
#define POL_M_ALL (POL_M_LOCATION | POL_M_IDS | POL_M_CLASSES)

/*
 * Specificity: the sum of one weight per present field. The tiers are
 * chosen so any location field outweighs all ID fields together, and any ID
 * field outweighs all class fields together (4*32 < 256, 3*4 < 32):
 * "where the device sits" beats "what it is" beats "what kind it is".
 */
#define POL_W_LOCATION 256
#define POL_W_ID 32
#define POL_W_CLASS 4

/* Window access flags; READ is mandatory (no write-only windows). */
#define POL_WIN_READ (1U << 0)
#define POL_WIN_WRITE (1U << 1)

struct pol_blob_header {
	uint64_t magic;	      /* POL_MAGIC */
	uint32_t version;     /* POL_VERSION */
	uint32_t header_size; /* sizeof(struct pol_blob_header) */
	uint32_t total_size;  /* bytes in the whole blob */
	uint32_t rule_count;
	uint32_t rule_size;	    /* sizeof(struct pol_blob_rule) */
	uint32_t window_count;	    /* rule windows, then default windows */
	uint32_t window_size;	    /* sizeof(struct pol_blob_window) */
	uint32_t rules_offset;	    /* == header_size */
	uint32_t windows_offset;    /* == rules_offset + rule_count*rule_size */
	uint16_t default_action;    /* POL_ACTION_* for unmatched devices */
	uint16_t reserved0;	    /* zero */
	uint32_t default_win_first; /* == sum of the rules' win_count */
	uint32_t default_win_count;
	uint32_t flags;	    /* zero: no flags defined in version 1 */
	uint32_t reserved1; /* zero */
};

struct pol_blob_rule {
	char name[POL_NAME_LEN]; /* [A-Za-z0-9._-], NUL-padded */
	uint32_t match;		 /* POL_M_* */
	uint16_t segment;
	uint8_t bus;
	uint8_t device;	  /* 0..31 */
	uint8_t function; /* 0..7 */
	uint8_t class_code;
	uint8_t subclass;
	uint8_t prog_if;
	uint16_t vendor;
	uint16_t device_id;
	uint16_t subvendor;
	uint16_t subdevice;
	uint16_t action;      /* POL_ACTION_* */
	uint16_t specificity; /* pol_specificity(match), checked */
	uint32_t win_first;   /* index of the first window of this rule */
	uint32_t win_count;   /* 0 unless action == POL_ACTION_WINDOW */
	uint32_t reserved[4]; /* zero */
};

struct pol_blob_window {
	uint64_t base;	/* page aligned */
	uint64_t size;	/* page multiple, > 0, base + size <= POL_PHYS_LIMIT */
	uint32_t flags; /* POL_WIN_READ [| POL_WIN_WRITE] */
	uint32_t reserved; /* zero */
};

#define POL_HEADER_SIZE 64
#define POL_RULE_SIZE 80
#define POL_WINDOW_SIZE 24

_Static_assert(sizeof(struct pol_blob_header) == POL_HEADER_SIZE,
	       "policy header size");
_Static_assert(offsetof(struct pol_blob_header, total_size) == 16, "hdr");
_Static_assert(offsetof(struct pol_blob_header, windows_offset) == 40, "hdr");
_Static_assert(offsetof(struct pol_blob_header, default_action) == 44, "hdr");
_Static_assert(offsetof(struct pol_blob_header, default_win_first) == 48,
	       "hdr");
_Static_assert(offsetof(struct pol_blob_header, flags) == 56, "hdr");
_Static_assert(offsetof(struct pol_blob_header, reserved1) == 60, "hdr");
_Static_assert(sizeof(struct pol_blob_rule) == POL_RULE_SIZE,
	       "policy rule size");
_Static_assert(offsetof(struct pol_blob_rule, match) == 32, "rule");
_Static_assert(offsetof(struct pol_blob_rule, segment) == 36, "rule");
_Static_assert(offsetof(struct pol_blob_rule, class_code) == 41, "rule");
_Static_assert(offsetof(struct pol_blob_rule, vendor) == 44, "rule");
_Static_assert(offsetof(struct pol_blob_rule, action) == 52, "rule");
_Static_assert(offsetof(struct pol_blob_rule, win_first) == 56, "rule");
_Static_assert(offsetof(struct pol_blob_rule, reserved) == 64, "rule");
_Static_assert(sizeof(struct pol_blob_window) == POL_WINDOW_SIZE,
	       "policy window size");
_Static_assert(offsetof(struct pol_blob_window, flags) == 16, "window");

/* ---- Decoded, native-endian forms (shared pure C: policy/pure/pol_blob.c) ---- */

/* What the hypervisor reads from a PCI function's configuration space. */
struct pol_dev_id {
	uint16_t segment;
	uint8_t bus, device, function;
	uint16_t vendor, device_id, subvendor, subdevice;
	uint8_t class_code, subclass, prog_if;
};

struct pol_rule_info {
	char name[POL_NAME_LEN];
	uint32_t match;
	struct pol_dev_id id; /* only fields named in match are meaningful */
	uint16_t action;
	uint16_t specificity;
	uint32_t win_first, win_count;
};

struct pol_window_info {
	uint64_t base, size;
	uint32_t flags;
};

/* A validated blob; only pol_blob_decode() fills it. */
struct pol_blob_view {
	const uint8_t *buf;
	uint32_t size;
	uint32_t rule_count;
	uint32_t window_count;
	uint16_t default_action;
	uint32_t default_win_first, default_win_count;
};

/* Why a blob was refused: byte offset into the blob and a fixed message. */
struct pol_blob_err {
	uint32_t offset;
	const char *what;
};

/* pol_match() result for a device no rule matches. */
#define POL_RULE_DEFAULT (-1)

uint16_t pol_specificity(uint32_t match);
/* True when some device could satisfy both rules' match fields. */
bool pol_rules_overlap(const struct pol_rule_info *a,
		       const struct pol_rule_info *b);
/* Canonical rule order: specificity descending, then name, then values. */
int pol_rule_cmp(const struct pol_rule_info *a, const struct pol_rule_info *b);
bool pol_rule_matches(const struct pol_rule_info *r,
		      const struct pol_dev_id *dev);
/* Rule name is 1..31 of [A-Za-z0-9._-], starting alphanumeric. */
bool pol_name_valid(const char *name, size_t len);

/*
 * Validate a blob completely (hostile input) and fill *v. Returns 0, or
 * -EINVAL / -E2BIG with *err naming the byte offset and the problem.
 * The view points into buf: keep buf alive and unchanged while using it.
 */
int pol_blob_decode(const void *buf, size_t len, struct pol_blob_view *v,
		    struct pol_blob_err *err);
/* Decode rule i / window i of a validated view. Return 0 or -ERANGE. */
int pol_rule_get(const struct pol_blob_view *v, uint32_t i,
		 struct pol_rule_info *out);
int pol_window_get(const struct pol_blob_view *v, uint32_t i,
		   struct pol_window_info *out);
/*
 * The most specific rule matching dev: its index, or POL_RULE_DEFAULT.
 * Ties cannot occur in a validated blob (the validator refuses them).
 */
int pol_match(const struct pol_blob_view *v, const struct pol_dev_id *dev);
/* Action and windows for a pol_match() result (rule index or default). */
int pol_verdict(const struct pol_blob_view *v, int rule, uint16_t *action,
		uint32_t *win_first, uint32_t *win_count);
const char *pol_action_name(uint16_t action);

#endif /* THINHV_POLICY_BLOB_H */
