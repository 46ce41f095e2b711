/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * att.h - attestation in host userspace: evidence container, TPM (ESAPI)
 * wrapper, public-key handling and the offline verifier. Formats are
 * documented in docs/evidence.md.
 */
#ifndef THINHV_ATT_H
#define THINHV_ATT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "thinhv/tcg_log.h"

/* ---- helpers (att_util.c) ---- */

/* att_hash2_fn for the replay code: SHA-256 via libsodium, others refused. */
int att_sodium_hash2(void *hctx, uint16_t alg, const uint8_t *a, size_t alen,
		     const uint8_t *b, size_t blen, uint8_t *out);

/* Read a whole file (at most max bytes) into a malloc'd buffer; the buffer
 * always has room for one byte more than *len (for a terminating NUL). */
int att_read_file(const char *path, size_t max, uint8_t **out, size_t *len);
int att_write_file(const char *path, const void *buf, size_t len);

/* Strict hex decode into a malloc'd buffer (even length, [0-9a-fA-F]). */
int att_hex_decode(const char *hex, uint8_t **out, size_t *len);

/* ---- evidence container (att_evidence.c) ---- */

#define ATT_EVID_MAGIC "THVEVID\0"
#define ATT_EVID_VERSION 1
#define ATT_EVID_HDR_SIZE 16
#define ATT_EVID_REC_HDR 8
#define ATT_EVID_MAX_PART (16u << 20) /* 16 MiB per part */
#define ATT_EVID_MAX_SIZE (64u << 20)

enum att_part {
	ATT_PART_QUOTE = 1,	 /* TPMS_ATTEST, marshalled (what was signed) */
	ATT_PART_SIGNATURE = 2,	 /* TPMT_SIGNATURE, marshalled */
	ATT_PART_PCRS = 3,	 /* PCR values, see att_pcr_values */
	ATT_PART_AK_PUBLIC = 4,	 /* TPM2B_PUBLIC, marshalled */
	ATT_PART_THINHV_LOG = 5, /* TCG crypto-agile log of ATT_THINHV_PCR */
	ATT_PART_FW_LOG = 6,	 /* binary_bios_measurements (optional) */
	ATT_PART_REPORT = 7,	 /* canonical isolation report */
	ATT_PART_NONCE = 8,	 /* nonce the attester used (informational) */
	ATT_PART_CREATOR = 9,	 /* "thinhv VERSION" (informational) */
	ATT_PART_MAX = 9,
};

struct att_evidence {
	struct {
		const uint8_t *p;
		size_t len;
		bool present;
		size_t offset; /* of the record's value in the bundle */
	} part[ATT_PART_MAX + 1];
};

const char *att_part_name(unsigned int type);

/* Parse a bundle (hostile input); parts point into buf. */
int att_evidence_parse(const uint8_t *buf, size_t len, struct att_evidence *ev,
		       struct att_err *err);

/* Serialize every present part in type order into a malloc'd buffer. */
int att_evidence_build(const struct att_evidence *ev, uint8_t **out,
		       size_t *len);

/*
 * PCR values part: u16 alg, u16 digest size, u32 count, then count x
 * (u32 PCR index, digest); indices strictly ascending, < 24. Little-endian.
 */
struct att_pcr_values {
	uint16_t alg;
	uint16_t size;
	uint32_t count;
	uint32_t index[ATT_NUM_PCRS];
	uint8_t value[ATT_NUM_PCRS][ATT_MAX_DIGEST];
};

int att_pcrs_parse(const uint8_t *buf, size_t len, struct att_pcr_values *pv,
		   struct att_err *err);
int att_pcrs_encode(const struct att_pcr_values *pv, uint8_t **out,
		    size_t *len);
/* The value of PCR idx, or NULL. */
const uint8_t *att_pcrs_get(const struct att_pcr_values *pv, uint32_t idx);

/* PCRs every thinhv quote covers: boot PCRs 0-7 and ATT_THINHV_PCR. */
#define ATT_QUOTE_PCR_MASK (0xffu | (1u << ATT_THINHV_PCR))

/* ---- TPM access (att_tpm.c, tpm2-tss ESAPI) ---- */

struct att_tpm;

/* tcti: a TCTI config string ("swtpm:host=...,port=...", "device:/dev/tpmrm0");
 * NULL: $THINHV_TCTI, then $TPM2TOOLS_TCTI, then the tctildr default. */
int att_tpm_open(struct att_tpm **t, const char *tcti);
void att_tpm_close(struct att_tpm *t);

/*
 * The attestation key: an ECC P-256 restricted signing key (ECDSA/SHA-256),
 * a primary in the endorsement hierarchy, so the same key is re-derived from
 * the endorsement seed on every call and no key blob is stored. Returns the
 * marshalled TPM2B_PUBLIC (malloc'd) and the key's TPM name.
 */
int att_tpm_ak_public(struct att_tpm *t, uint8_t **pub, size_t *pub_len);

/* The EK from the TCG EK Credential Profile default RSA-2048 template. */
int att_tpm_ek_public(struct att_tpm *t, uint8_t **pub, size_t *pub_len);

/* The DER EK certificate the manufacturer stored for that EK (NV index
 * 0x01c00002); -ENOENT when the TPM has none. */
int att_tpm_ek_cert(struct att_tpm *t, uint8_t **cert, size_t *cert_len);

/*
 * Quote the SHA-256 bank of the PCRs in mask with qualifying data qual;
 * reads the PCR values and retries if they changed around the quote.
 */
int att_tpm_quote(struct att_tpm *t, uint32_t mask, const uint8_t *qual,
		  size_t qual_len, uint8_t **attest, size_t *attest_len,
		  uint8_t **sig, size_t *sig_len, struct att_pcr_values *pcrs);

/*
 * MakeCredential with the EK public (marshalled TPM2B_PUBLIC) loaded
 * into the NULL hierarchy of whatever TPM t is: a public-key operation, so
 * the auditor may use any TPM (or swtpm). Output is the tpm2-tools
 * credential file format (see docs/evidence.md).
 */
int att_tpm_make_credential(struct att_tpm *t, const uint8_t *ek_pub,
			    size_t ek_len, const uint8_t *ak_name,
			    size_t name_len, const uint8_t *secret,
			    size_t secret_len, uint8_t **cred,
			    size_t *cred_len);

/* ActivateCredential with this TPM's EK and AK; the recovered secret. */
int att_tpm_activate(struct att_tpm *t, const uint8_t *cred, size_t cred_len,
		     uint8_t **secret, size_t *secret_len);

/* ---- public keys and signatures (att_crypto.c, OpenSSL libcrypto) ---- */

struct att_key; /* a public key, plus its TPM public area when known */

/* A marshalled TPM2B_PUBLIC (hostile input). */
int att_key_from_tpm2b(const uint8_t *buf, size_t len, struct att_key **k,
		       struct att_err *err);
/* A file holding either PEM (SubjectPublicKeyInfo) or a TPM2B_PUBLIC. */
int att_key_load(const char *path, struct att_key **k, char *why,
		 size_t whylen);
void att_key_free(struct att_key *k);
bool att_key_equal(const struct att_key *a, const struct att_key *b);
/* TPM name (nameAlg || H(TPMT_PUBLIC)); -ENOENT for a PEM-only key. */
int att_key_name(const struct att_key *k, uint8_t *name, size_t *len);
/* -ENOENT for PEM-only keys; 0 when restricted signing fixedTPM. */
int att_key_check_ak_attributes(const struct att_key *k, char *why,
				size_t whylen);
int att_key_write_pem(const struct att_key *k, const char *path);
const char *att_key_describe(const struct att_key *k);
/* The key as an OpenSSL EVP_PKEY (borrowed; owned by k), for callers
 * that check certificates. */
struct evp_pkey_st *att_key_pkey(const struct att_key *k);

/* Verify a marshalled TPMT_SIGNATURE over msg. 0: valid. */
int att_sig_verify(const struct att_key *k, const uint8_t *sig, size_t sig_len,
		   const uint8_t *msg, size_t msg_len, char *why,
		   size_t whylen);

/* ---- canonical report (att_report.c) ---- */

/* 0 when buf is canonical JSON as docs/evidence.md defines it. */
int att_report_check(const uint8_t *buf, size_t len, struct att_err *err);

/*
 * The canonical form of any JSON object text (att_canon.c): whitespace
 * dropped, keys sorted, strings minimally escaped. Refuses duplicate keys,
 * non-integers, -0, invalid UTF-8/escapes/surrogates, depth > 32, > 1 MiB,
 * naming the byte offset. *out is malloc'd and passes att_report_check().
 */
int att_report_canonicalize(const uint8_t *in, size_t len, uint8_t **out,
			    size_t *out_len, struct att_err *err);

/*
 * The one order of object keys, shared by the canonicalizer and the
 * validator: bytewise on the encoded key between its quotes, a prefix
 * before its extensions ("a" < "a " < "a!" < "ab"). <0, 0, >0.
 */
int att_canon_key_cmp(const uint8_t *a, size_t alen, const uint8_t *b,
		      size_t blen);

/*
 * Locate a top-level member of a canonical report: val and vlen span its
 * encoded value (strings include their quotes). -ENOENT when absent,
 * -EINVAL when the report is not canonical.
 */
int att_report_top_value(const uint8_t *buf, size_t len, const char *key,
			 const uint8_t **val, size_t *vlen);

/* Report member a verifier compares with the measured isolation state. */
#define ATT_REPORT_ISO_KEY "isolation_state_sha256"

/* qual = SHA-256(nonce || report) */
void att_qualifying_data(const uint8_t *nonce, size_t nonce_len,
			 const uint8_t *report, size_t report_len,
			 uint8_t qual[32]);

/* ---- verifier (att_verify.c) ---- */

enum att_status { ATT_PASS, ATT_FAIL, ATT_WARN, ATT_SKIP };

#define ATT_MAX_CHECKS 24

struct att_check {
	const char *name;
	enum att_status status;
	char detail[320];
};

struct att_verdict {
	bool pass; /* false until every check passed */
	/* Runtime policy replacements the thinhv log shows; -1 until the log
	 * is well-formed and replays to the quoted PCR. */
	int policy_changes;
	unsigned int n;
	struct att_check check[ATT_MAX_CHECKS];
};

/*
 * The measurements of a thinhv log (docs/evidence.md section 2): the
 * hypervisor, the launch (policy, isolation state) pair, then one pair per
 * runtime policy replacement (or rollback). The last pair is what is in
 * force now.
 */
struct att_measurements {
	uint8_t hypervisor[32];
	uint8_t launch_policy[32], launch_isolation[32];
	uint8_t policy[32], isolation[32]; /* current: the last pair */
	unsigned int changes;		   /* pairs after the launch pair */
};

/*
 * Walk a thinhv log (hostile input) and check its grammar:
 * HYPERVISOR (POLICY ISOLATION)+, every record a thinhv EV_EVENT_TAG in
 * ATT_THINHV_PCR with a SHA-256 digest. 0, or -EINVAL with err (may be
 * NULL) naming the record offset (the log length for a log that ends too
 * early) and the rule broken. Does not replay: the caller compares the PCR.
 */
int att_thinhv_measurements(const uint8_t *log, size_t len,
			    struct att_measurements *m, struct att_err *err);

/* ---- thinhv.ko's live measurement log (att_hvlog.c) ---- */

/*
 * The launch event log through THINHV_DEV (THINHV_IOC_MEASURE_LOG), in a
 * malloc'd buffer; 0 or -errno (-ENOENT: thinhv.ko not loaded, -ENODATA:
 * nothing measured).
 */
int att_hv_log_read(uint8_t **out, size_t *out_len);

/*
 * For a live log that may be mid-swap (no grammar check): *count = records
 * of this thinhv tag in ATT_THINHV_PCR, out (unless NULL) = the SHA-256
 * digest of the last one. 0; -ENOENT when there is none or the last has no
 * SHA-256 digest; -EINVAL for a malformed log.
 */
int att_log_tag_last(const uint8_t *log, size_t len, uint32_t tag,
		     uint8_t out[32], unsigned int *count);
/* The SHA-256 of the last measurement with this ATT_TAG_* (a runtime
 * policy swap measures policy and isolation state again). */
int att_hv_log_digest(const uint8_t *log, size_t len, uint32_t tag,
		      uint8_t out[32]);
/* How many measurements carry this ATT_TAG_*, or -errno (malformed log). */
int att_hv_log_count(const uint8_t *log, size_t len, uint32_t tag);

/* Reference values (file format in docs/evidence.md). */
struct att_reference {
	bool have_hypervisor, have_policy, have_isolation;
	uint8_t hypervisor[32], policy[32], isolation[32];
	uint32_t pcr_mask; /* PCRs with a reference value (SHA-256) */
	uint8_t pcr[ATT_NUM_PCRS][32];
};

int att_reference_load(const char *path, struct att_reference *ref, char *why,
		       size_t whylen);

struct att_verify_in {
	const uint8_t *bundle;
	size_t bundle_len;
	const struct att_key *ak; /* trusted AK */
	const uint8_t *nonce;
	size_t nonce_len;
	const struct att_reference *ref; /* NULL: no reference values */
	bool require_fw_log;
};

/*
 * Runs every check of the verifier's table in order and decides: v->pass
 * is true only if att_verdict_passes(v).
 */
void att_verify(const struct att_verify_in *in, struct att_verdict *v);

/*
 * The decision, fail closed: true only if every check of the table
 * reported, in table order, and each with a status its weight accepts
 * (core: PASS, ak-attributes also WARN; advisory: anything but FAIL). A
 * verdict missing any check, even an advisory one, does not pass.
 */
bool att_verdict_passes(const struct att_verdict *v);

#endif /* THINHV_ATT_H */
