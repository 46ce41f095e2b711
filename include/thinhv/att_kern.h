/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * att_kern.h - measured launch API of thinhv.ko (kernel, process context).
 * The core calls it at launch: att_measure_init() once, then att_measure()
 * for the hypervisor image and the policy blob BEFORE any CPU is virtualized,
 * and for the canonical isolation state AFTER translation is enabled and
 * read back. Each call hashes the bytes in every PCR bank the TPM has
 * allocated, extends ATT_THINHV_PCR (include/thinhv/tcg_log.h) and appends a
 * TCG_PCR_EVENT2 to an in-kernel crypto-agile log that /dev/thinhv exports
 * with att_measure_log_copy().
 *
 * Fail closed: with require_tpm, a missing TPM, a TPM 1.2, or any extend or
 * log failure makes the call return -errno and the launch must be refused;
 * att_measure_reason() then says which. Without require_tpm (the
 * require_tpm=0 module parameter) a missing TPM is tolerated: events are
 * still logged (att_measure_reason() keeps saying "no TPM found"), but
 * nothing is extended, so no quote will ever match that log.
 *
 * The isolation state is measured as the bytes att_isolation_encode()
 * (tcg_log.h) produces from the enforced device domains and protected
 * ranges, so a verifier holding the same lists can recompute its digest.
 *
 * What is measured must be stable to be comparable with reference values:
 * hash the bytes as they were built (e.g. the module's .text before
 * relocation is not available at runtime; prefer a build-time digest of the
 * image or the unrelocated sections), and the in-kernel policy copy the
 * hypervisor actually enforces (never user memory).
 */
#ifndef THINHV_ATT_KERN_H
#define THINHV_ATT_KERN_H

#ifdef __KERNEL__
#include <linux/mutex.h>
#include <linux/types.h>

#include "thinhv/tcg_log.h"

struct tpm_chip;
struct crypto_shash;

/* Room for the Spec ID header and a few dozen measurements. */
#define ATT_KLOG_SIZE (16 * 1024)

struct att_measure {
	struct mutex lock; /* serializes measure/copy; held across the extend */
	struct tpm_chip *chip; /* referenced; NULL when no TPM (and allowed) */
	bool require_tpm;
	u32 nbanks;
	struct {
		u16 tpm_alg; /* TPM_ALG_ID of the bank */
		u16 size;
		struct crypto_shash
		    *tfm; /* NULL: no kernel hash for this alg */
	} bank[ATT_MAX_BANKS];
	struct att_log log;
	u8 *buf; /* ATT_KLOG_SIZE bytes, vmalloc'd */
	bool
	    failed; /* a measurement failed: the log no longer tracks the PCR */
	char reason[160];
};

/*
 * Find the default TPM, check it is TPM 2.0, allocate a hash for each
 * allocated bank and start the event log. Returns 0 or -errno
 * (-ENODEV: no TPM and require_tpm; -EOPNOTSUPP: TPM 1.2 or no SHA-256 bank;
 * -ENOMEM). On error nothing needs freeing; on success call att_measure_fini.
 */
int att_measure_init(struct att_measure *m, bool require_tpm);

/*
 * Measure len bytes at data as tag (ATT_TAG_HYPERVISOR, ATT_TAG_POLICY,
 * ATT_TAG_ISOLATION): extend ATT_THINHV_PCR in every bank, then log it.
 * Banks whose hash the kernel lacks (e.g. SM3) get the SHA-256 digest,
 * truncated or zero-padded to the bank size, both in the extend and in the
 * log, so the log always replays to what was extended; verifiers use the
 * SHA-256 bank. After the first failure every later call fails too
 * (-EIO), since the log would no longer describe the PCR.
 */
int att_measure(struct att_measure *m, u32 tag, const void *data, size_t len);

/*
 * Copy the log into dst (cap bytes). Returns the log length; -ENOSPC (and
 * nothing copied) when cap is too small, so callers can size a buffer with
 * cap = 0.
 */
ssize_t att_measure_log_copy(struct att_measure *m, void *dst, size_t cap);

/* Why the last call failed ("" when nothing failed). */
const char *att_measure_reason(const struct att_measure *m);

void att_measure_fini(struct att_measure *m);

#endif /* __KERNEL__ */
#endif /* THINHV_ATT_KERN_H */
