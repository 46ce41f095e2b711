/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tcg_log.h - thinhv measurement event log: TCG PC Client crypto-agile format
 * (TCG_PCR_EVENT2 records after a "Spec ID Event03" header), encoder and
 * replay. Pure C shared by the kernel module and host userspace.
 *
 * Reference: TCG PC Client Platform Firmware Profile Specification, Family
 * "2.0", Level 00 Revision 1.05: 10.2.1 TCG_PCR_EVENT (the header record),
 * 10.2.2 TCG_PCR_EVENT2, 10.4.5.1 TCG_EfiSpecIdEvent, 9.4.2 EV_EVENT_TAG and
 * TCG_PCClientTaggedEvent, 9.4.5.3 StartupLocality. All integers are
 * little-endian; records are byte-packed (no alignment padding).
 */
#ifndef THINHV_TCG_LOG_H
#define THINHV_TCG_LOG_H

#include "thinhv/compat.h"

/*
 * The PCR thinhv extends. PCRs 0-7 belong to firmware, 8-9 to the OS loader
 * (GRUB, the Linux EFI stub's initrd), 10 to IMA, 11 to systemd-stub and
 * systemd-pcrphase (UKI sections, boot phases; disk unlock policies bind to
 * it), 13 to systemd sysexts, 14 to shim's MOK lists, 15 to systemd's
 * machine-id/volume-key measurements, 16 and 23 are resettable from
 * locality 0 (anyone could reset them and replay a forged history) and 17-22
 * are the DRTM PCRs, extendable only from localities the kernel does not
 * hold after boot. PCR 12 is non-resettable, extendable at locality 0 and
 * only used by systemd-stub (kernel command line overrides, credentials)
 * when the machine boots a unified kernel image; thinhv's targets boot
 * GRUB + kernel. If something else does extend PCR 12, the thinhv log no
 * longer replays to the quoted value and verification fails (closed).
 */
#define ATT_THINHV_PCR 12
#define ATT_NUM_PCRS 24

/* TPM_ALG_ID values (TPM 2.0 Library Part 2, 6.3). */
#define ATT_ALG_SHA1 0x0004
#define ATT_ALG_SHA256 0x000B
#define ATT_ALG_SHA384 0x000C
#define ATT_ALG_SHA512 0x000D
#define ATT_ALG_SM3_256 0x0012

#define ATT_SHA1_SIZE 20
#define ATT_SHA256_SIZE 32
#define ATT_MAX_DIGEST 64 /* SHA-512 */
#define ATT_MAX_BANKS 8	  /* digests per record we accept */

/* Event types (PC Client PFP 10.4.1). */
#define TCG_EV_PREBOOT_CERT 0x00000000
#define TCG_EV_POST_CODE 0x00000001
#define TCG_EV_NO_ACTION 0x00000003
#define TCG_EV_SEPARATOR 0x00000004
#define TCG_EV_ACTION 0x00000005
#define TCG_EV_EVENT_TAG 0x00000006
#define TCG_EV_IPL 0x0000000D

/* The header record is a SHA-1 style TCG_PCR_EVENT (PFP 10.2.1). */
struct tcg_pcr_event_hdr {
	uint8_t pcr_index[4];
	uint8_t event_type[4];
	uint8_t digest[ATT_SHA1_SIZE]; /* all zero for the Spec ID event */
	uint8_t event_size[4];
} __attribute__((packed));
_Static_assert(sizeof(struct tcg_pcr_event_hdr) == 32, "TCG_PCR_EVENT");

/* TCG_EfiSpecIDEvent, fixed part; then numberOfAlgorithms entries of
 * struct tcg_spec_id_alg, then u8 vendorInfoSize and the vendor info. */
struct tcg_spec_id_hdr {
	char signature[16]; /* "Spec ID Event03\0" */
	uint8_t platform_class[4];
	uint8_t spec_version_minor; /* 0 */
	uint8_t spec_version_major; /* 2 */
	uint8_t spec_errata;	    /* 2: PFP 1.05 */
	uint8_t uintn_size;	    /* 1: UINT32, 2: UINT64 */
	uint8_t number_of_algorithms[4];
} __attribute__((packed));
_Static_assert(sizeof(struct tcg_spec_id_hdr) == 28, "TCG_EfiSpecIDEvent");

struct tcg_spec_id_alg {
	uint8_t algorithm_id[2];
	uint8_t digest_size[2];
} __attribute__((packed));
_Static_assert(sizeof(struct tcg_spec_id_alg) == 4, "algorithm size");

#define TCG_SPEC_ID_SIGNATURE "Spec ID Event03" /* 15 chars + NUL = 16 */
#define TCG_STARTUP_LOCALITY_SIGNATURE "StartupLocality" /* + NUL = 16 */

/*
 * TCG_PCR_EVENT2 (PFP 10.2.2): u32 pcrIndex, u32 eventType, TPML_DIGEST_VALUES
 * (u32 count, count x {u16 hashAlg, digest}), u32 eventSize, event.
 * Variable length, so only the leading fixed words have a struct.
 */
struct tcg_pcr_event2_hdr {
	uint8_t pcr_index[4];
	uint8_t event_type[4];
	uint8_t digest_count[4];
} __attribute__((packed));
_Static_assert(sizeof(struct tcg_pcr_event2_hdr) == 12, "TCG_PCR_EVENT2");

/* TCG_PCClientTaggedEvent (PFP 9.4.2): the event data of EV_EVENT_TAG. */
struct tcg_tagged_event_hdr {
	uint8_t tagged_event_id[4];
	uint8_t tagged_event_data_size[4];
} __attribute__((packed));
_Static_assert(sizeof(struct tcg_tagged_event_hdr) == 8, "tagged event");

/*
 * thinhv measurements: EV_EVENT_TAG records in ATT_THINHV_PCR whose tagged
 * event ID names what was measured and whose tagged data is the ASCII tag
 * (no NUL), e.g. "thinhv:policy". The record's digests are the hashes of the
 * measured bytes in each bank. IDs are "th" followed by a sequence number.
 */
enum att_tag {
	ATT_TAG_HYPERVISOR = 0x74680001, /* loaded hypervisor image */
	ATT_TAG_POLICY = 0x74680002,	 /* compiled policy blob */
	ATT_TAG_ISOLATION = 0x74680003,	 /* canonical isolation state */
};

#define ATT_TAG_STR_HYPERVISOR "thinhv:hypervisor"
#define ATT_TAG_STR_POLICY "thinhv:policy"
#define ATT_TAG_STR_ISOLATION "thinhv:isolation-state"

/* The tag string for a known tag ID, NULL for anything else. */
const char *att_tag_name(uint32_t tag_id);

struct att_bank {
	uint16_t alg;
	uint16_t size;
};

/* An event log being written into a caller-owned buffer. */
struct att_log {
	uint8_t *buf;
	size_t len;
	size_t cap;
	uint32_t nbanks;
	struct att_bank banks[ATT_MAX_BANKS];
};

/* Refusals carry a static reason and the byte offset where parsing stopped. */
struct att_err {
	size_t offset;
	const char *what;
};

/*
 * Start a log in buf[0..cap) with the Spec ID header record listing banks
 * (1..ATT_MAX_BANKS distinct algorithms with their digest sizes).
 */
int att_log_init(struct att_log *log, void *buf, size_t cap,
		 const struct att_bank *banks, uint32_t nbanks);

/* Bytes a record with event_len bytes of event data takes in this log. */
size_t att_log_record_size(const struct att_log *log, uint32_t event_len);

/*
 * Append a TCG_PCR_EVENT2. digests[i] is the digest for log->banks[i]
 * (log->banks[i].size bytes). -ENOSPC leaves the log unchanged.
 */
int att_log_append(struct att_log *log, uint32_t pcr, uint32_t event_type,
		   const uint8_t *const *digests, const void *event,
		   uint32_t event_len);

/* Append a thinhv EV_EVENT_TAG record for tag into ATT_THINHV_PCR. */
int att_log_append_tag(struct att_log *log, uint32_t tag_id,
		       const uint8_t *const *digests);

/* One parsed TCG_PCR_EVENT2; pointers point into the parsed buffer. */
struct att_event {
	size_t offset; /* of the record in the log */
	uint32_t pcr;
	uint32_t type;
	uint32_t ndigests;
	struct {
		uint16_t alg;
		uint16_t size;
		const uint8_t *digest;
	} d[ATT_MAX_BANKS];
	const uint8_t *data;
	uint32_t data_len;
};

/* What the Spec ID header announced. */
struct att_log_info {
	uint32_t nbanks;
	struct att_bank banks[ATT_MAX_BANKS];
	uint8_t uintn_size;
	uint32_t nevents;     /* TCG_PCR_EVENT2 records after the header */
	int startup_locality; /* -1 when no StartupLocality event */
};

/* Return 0 to continue, a negative errno to stop the walk with it. */
typedef int (*att_event_fn)(void *ctx, const struct att_event *ev);

/*
 * Walk a crypto-agile log (hostile input). Every record is bounds-checked;
 * a legacy SHA-1-only log, an unknown or repeated algorithm, a digest whose
 * size differs from the header's, a PCR index >= 24 or a record running past
 * the end is refused with -EINVAL (-E2BIG: too many banks) and err filled.
 * cb may be NULL.
 */
int att_log_parse(const uint8_t *buf, size_t len, struct att_log_info *info,
		  att_event_fn cb, void *ctx, struct att_err *err);

/* out = H_alg(a || b); returns 0 or a negative errno (unsupported alg). */
typedef int (*att_hash2_fn)(void *hctx, uint16_t alg, const uint8_t *a,
			    size_t alen, const uint8_t *b, size_t blen,
			    uint8_t *out);

struct att_replay {
	uint16_t alg;
	uint16_t size;
	uint32_t extended_mask; /* bit n: PCR n was extended by some record */
	uint8_t pcr[ATT_NUM_PCRS][ATT_MAX_DIGEST];
};

/*
 * Replay the bank alg of a log into rp (PCRs start at zero; a StartupLocality
 * event sets PCR 0's last byte to the locality; EV_NO_ACTION is never
 * extended). Every record must carry a digest for alg.
 */
int att_log_replay(const uint8_t *buf, size_t len, uint16_t alg,
		   att_hash2_fn hash, void *hctx, struct att_replay *rp,
		   struct att_err *err);

/*
 * Decode a thinhv EV_EVENT_TAG record's event data: the tag ID must be known
 * and the tagged data must be exactly its tag string.
 */
int att_event_tag(const struct att_event *ev, uint32_t *tag_id,
		  struct att_err *err);

/* The digest of alg in ev, or NULL. */
const uint8_t *att_event_digest(const struct att_event *ev, uint16_t alg);

/* Digest size of a known TPM_ALG_ID, 0 when unknown. */
uint16_t att_alg_size(uint16_t alg);

/*
 * Canonical isolation state: the bytes measured as ATT_TAG_ISOLATION, so
 * that a verifier holding the same device/range list can recompute the
 * digest. Layout (little-endian, no padding):
 *   "THVISO01" (8 bytes), u32 ndevices, u32 nranges,
 *   ndevices x { u16 segment, u8 bus, u8 devfn, u32 domain, u32 flags },
 *   nranges  x { u64 base, u64 len, u32 kind, u32 access }.
 * Devices strictly ascending by (segment, bus, devfn), ranges strictly
 * ascending by (base, len), lengths non-zero and base + len not wrapping:
 * unsorted or duplicate input is refused (-EINVAL), never reordered, so one
 * state has exactly one encoding. domain/flags/kind/access are the
 * enforcing code's own values (e.g. THINHV_RANGE_*, HV_ACC_*).
 */
#define ATT_ISO_MAGIC "THVISO01"
#define ATT_ISO_HDR_SIZE 16
#define ATT_ISO_DEV_SIZE 12
#define ATT_ISO_RANGE_SIZE 24

struct att_iso_device {
	uint16_t segment;
	uint8_t bus;
	uint8_t devfn;
	uint32_t domain;
	uint32_t flags;
};

struct att_iso_range {
	uint64_t base;
	uint64_t len;
	uint32_t kind;
	uint32_t access;
};

/* Bytes att_isolation_encode() needs (0 when the counts overflow). */
size_t att_isolation_size(uint32_t ndevices, uint32_t nranges);

/* Encode into out[0..cap); *len = bytes written. -ENOSPC: cap too small. */
int att_isolation_encode(const struct att_iso_device *dev, uint32_t ndevices,
			 const struct att_iso_range *rng, uint32_t nranges,
			 uint8_t *out, size_t cap, size_t *len);

#endif /* THINHV_TCG_LOG_H */
