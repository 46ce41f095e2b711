// SPDX-License-Identifier: GPL-2.0-only
/*
 * att_measure.c - measured launch: hash, extend the thinhv PCR through the
 * kernel TPM interface, keep the TCG crypto-agile event log (kernel, process
 * context; may sleep).
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tpm.h>
#include <linux/vmalloc.h>
#include <crypto/hash.h>
#include <crypto/hash_info.h>
#include <crypto/sha2.h>

#include "thinhv/att_kern.h"
#include "thinhv/tcg_log.h"

static void set_reason(struct att_measure *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->reason, sizeof(m->reason), fmt, ap);
	va_end(ap);
	pr_err("thinhv: measure: %s\n", m->reason);
}

static void free_banks(struct att_measure *m)
{
	u32 i;

	for (i = 0; i < m->nbanks; i++) {
		if (m->bank[i].tfm)
			crypto_free_shash(m->bank[i].tfm);
		m->bank[i].tfm = NULL;
	}
	m->nbanks = 0;
}

/* One bank per TPM-allocated bank, in the chip's order (tpm_pcr_extend
 * requires digests in exactly that order). */
static int setup_banks(struct att_measure *m)
{
	struct tpm_chip *chip = m->chip;
	bool have_sha256 = false;
	u32 i;

	if (chip->nr_allocated_banks == 0 ||
	    chip->nr_allocated_banks > ATT_MAX_BANKS) {
		set_reason(m, "TPM reports %u PCR banks (1..%u supported)",
			   chip->nr_allocated_banks, ATT_MAX_BANKS);
		return -EOPNOTSUPP;
	}
	for (i = 0; i < chip->nr_allocated_banks; i++) {
		const struct tpm_bank_info *b = &chip->allocated_banks[i];
		struct crypto_shash *tfm = NULL;

		if (b->digest_size == 0 || b->digest_size > ATT_MAX_DIGEST) {
			set_reason(m, "TPM bank 0x%04x has digest size %u",
				   b->alg_id, b->digest_size);
			return -EOPNOTSUPP;
		}
		if (b->alg_id == ATT_ALG_SHA256)
			have_sha256 = true;
		/* SHA-256 is computed with lib/crypto; others via shash. */
		if (b->alg_id != ATT_ALG_SHA256 &&
		    b->crypto_id < HASH_ALGO__LAST) {
			tfm = crypto_alloc_shash(hash_algo_name[b->crypto_id],
						 0, 0);
			if (IS_ERR(tfm))
				tfm = NULL; /* falls back to padded SHA-256 */
			else if (crypto_shash_digestsize(tfm) !=
				 b->digest_size) {
				crypto_free_shash(tfm);
				tfm = NULL;
			}
		}
		m->bank[i].tpm_alg = b->alg_id;
		m->bank[i].size = b->digest_size;
		m->bank[i].tfm = tfm;
		m->nbanks = i + 1;
	}
	if (!have_sha256) {
		set_reason(m, "TPM has no SHA-256 PCR bank allocated");
		return -EOPNOTSUPP;
	}
	return 0;
}

int att_measure_init(struct att_measure *m, bool require_tpm)
{
	struct att_bank banks[ATT_MAX_BANKS];
	u32 i;
	int rc;

	memset(m, 0, sizeof(*m));
	mutex_init(&m->lock);
	m->require_tpm = require_tpm;

	m->chip = tpm_default_chip();
	if (!m->chip) {
		set_reason(m, "no TPM found");
		if (require_tpm)
			return -ENODEV;
		/* Log SHA-256 only; nothing will be extended. */
		m->nbanks = 1;
		m->bank[0].tpm_alg = ATT_ALG_SHA256;
		m->bank[0].size = SHA256_DIGEST_SIZE;
	} else if (!tpm_is_tpm2(m->chip)) {
		set_reason(m, "TPM 1.2 found; thinhv needs TPM 2.0");
		rc = -EOPNOTSUPP;
		goto err_chip;
	} else {
		rc = setup_banks(m);
		if (rc)
			goto err_banks;
	}

	m->buf = vzalloc(ATT_KLOG_SIZE);
	if (!m->buf) {
		set_reason(m, "cannot allocate the event log");
		rc = -ENOMEM;
		goto err_banks;
	}
	for (i = 0; i < m->nbanks; i++) {
		banks[i].alg = m->bank[i].tpm_alg;
		banks[i].size = m->bank[i].size;
	}
	rc = att_log_init(&m->log, m->buf, ATT_KLOG_SIZE, banks, m->nbanks);
	if (rc) {
		set_reason(m, "event log init failed (%d)", rc);
		goto err_buf;
	}
	if (m->chip)
		m->reason[0] = '\0';
	return 0;

err_buf:
	vfree(m->buf);
	m->buf = NULL;
err_banks:
	free_banks(m);
err_chip:
	if (m->chip)
		put_device(&m->chip->dev);
	m->chip = NULL;
	return rc;
}

static int bank_digest(struct att_measure *m, u32 i, const void *data,
		       size_t len, const u8 *sha256d, u8 *out)
{
	u16 size = m->bank[i].size;

	if (m->bank[i].tpm_alg == ATT_ALG_SHA256) {
		memcpy(out, sha256d, SHA256_DIGEST_SIZE);
		return 0;
	}
	if (m->bank[i].tfm)
		return crypto_shash_tfm_digest(m->bank[i].tfm, data, len, out);
	/* No kernel hash for this bank: SHA-256, truncated or zero-padded. */
	memset(out, 0, size);
	memcpy(out, sha256d, min_t(u16, size, SHA256_DIGEST_SIZE));
	return 0;
}

int att_measure(struct att_measure *m, u32 tag, const void *data, size_t len)
{
	u8 d[ATT_MAX_BANKS][ATT_MAX_DIGEST];
	const u8 *dp[ATT_MAX_BANKS];
	struct tpm_digest *td = NULL;
	u8 sha256d[SHA256_DIGEST_SIZE];
	const char *name = att_tag_name(tag);
	u32 i;
	int rc;

	if (!name || (!data && len))
		return -EINVAL;
	mutex_lock(&m->lock);
	if (!m->buf) {
		rc = -ENODEV;
		goto out;
	}
	if (m->failed) {
		rc = -EIO;
		goto out; /* keep the first failure's reason */
	}
	if (att_log_record_size(&m->log, 8 + (u32)strlen(name)) >
	    m->log.cap - m->log.len) {
		set_reason(m, "%s: event log full", name);
		rc = -ENOSPC;
		goto fail;
	}

	sha256(data, len, sha256d);
	for (i = 0; i < m->nbanks; i++) {
		rc = bank_digest(m, i, data, len, sha256d, d[i]);
		if (rc) {
			set_reason(m, "%s: hashing bank 0x%04x failed (%d)",
				   name, m->bank[i].tpm_alg, rc);
			goto fail;
		}
		dp[i] = d[i];
	}

	if (m->chip) {
		td = kcalloc(m->nbanks, sizeof(*td), GFP_KERNEL);
		if (!td) {
			set_reason(m, "%s: out of memory", name);
			rc = -ENOMEM;
			goto fail;
		}
		for (i = 0; i < m->nbanks; i++) {
			td[i].alg_id = m->bank[i].tpm_alg;
			memcpy(td[i].digest, d[i], m->bank[i].size);
		}
		/* Extend first: a logged event must never lack its extend. */
		rc = tpm_pcr_extend(m->chip, ATT_THINHV_PCR, td);
		if (rc) {
			set_reason(
			    m, "%s: TPM2_PCR_Extend of PCR %d failed (%s %d)",
			    name, ATT_THINHV_PCR, rc > 0 ? "TPM rc" : "errno",
			    rc);
			rc = rc > 0 ? -EIO : rc;
			goto fail;
		}
	}
	rc = att_log_append_tag(&m->log, tag, dp);
	if (rc) {
		set_reason(m, "%s: extended but could not be logged (%d)", name,
			   rc);
		goto fail;
	}
	pr_info("thinhv: measured %s into PCR %d (sha256 %*phN)\n", name,
		ATT_THINHV_PCR, 8, sha256d);
	rc = 0;
	goto out;
fail:
	m->failed = true;
out:
	kfree(td);
	mutex_unlock(&m->lock);
	return rc;
}

ssize_t att_measure_log_copy(struct att_measure *m, void *dst, size_t cap)
{
	ssize_t n;

	mutex_lock(&m->lock);
	if (!m->buf) {
		n = -ENODEV;
	} else if (cap < m->log.len) {
		n = -ENOSPC;
	} else {
		memcpy(dst, m->buf, m->log.len);
		n = (ssize_t)m->log.len;
	}
	mutex_unlock(&m->lock);
	return n;
}

const char *att_measure_reason(const struct att_measure *m)
{
	return m->reason;
}

void att_measure_fini(struct att_measure *m)
{
	mutex_lock(&m->lock);
	free_banks(m);
	vfree(m->buf);
	m->buf = NULL;
	if (m->chip)
		put_device(&m->chip->dev);
	m->chip = NULL;
	mutex_unlock(&m->lock);
}
