// SPDX-License-Identifier: GPL-2.0-only
/*
 * att_crypto.c - public keys and quote signatures (host userspace).
 * OpenSSL libcrypto is used only here, and only for what libsodium lacks:
 * building ECDSA P-256 / RSA public keys and checking their signatures.
 * Key and signature bytes are hostile input (they come from evidence files).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <sodium.h>
#include <tss2/tss2_mu.h>

#include "attest/lib/att.h"
#include "attest/lib/att_file.h"

struct att_key {
	EVP_PKEY *pkey;
	bool have_tpm;
	TPMT_PUBLIC tpm; /* valid when have_tpm */
	char desc[64];
};

void att_key_free(struct att_key *k)
{
	if (!k)
		return;
	EVP_PKEY_free(k->pkey);
	free(k);
}

static EVP_PKEY *pkey_from_params(const char *type, OSSL_PARAM_BLD *bld)
{
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;

	if (!params)
		return NULL;
	ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	if (!ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		pkey = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return pkey;
}

static EVP_PKEY *ecc_pkey(const TPMT_PUBLIC *p)
{
	const TPMS_ECC_POINT *pt = &p->unique.ecc;
	OSSL_PARAM_BLD *bld;
	EVP_PKEY *pkey = NULL;
	uint8_t point[1 + 2 * 32];

	if (p->parameters.eccDetail.curveID != TPM2_ECC_NIST_P256 ||
	    pt->x.size != 32 || pt->y.size != 32)
		return NULL;
	point[0] = 0x04; /* uncompressed SEC1 point */
	memcpy(point + 1, pt->x.buffer, 32);
	memcpy(point + 33, pt->y.buffer, 32);
	bld = OSSL_PARAM_BLD_new();
	if (!bld)
		return NULL;
	if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					    "prime256v1", 0) &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
					     point, sizeof(point)))
		pkey = pkey_from_params("EC", bld);
	OSSL_PARAM_BLD_free(bld);
	return pkey;
}

static EVP_PKEY *rsa_pkey(const TPMT_PUBLIC *p)
{
	uint32_t exp = p->parameters.rsaDetail.exponent;
	BIGNUM *n = NULL, *e = NULL;
	OSSL_PARAM_BLD *bld = NULL;
	EVP_PKEY *pkey = NULL;

	if (p->unique.rsa.size < 256 || p->unique.rsa.size > 512 ||
	    p->parameters.rsaDetail.keyBits != p->unique.rsa.size * 8)
		return NULL;
	n = BN_bin2bn(p->unique.rsa.buffer, p->unique.rsa.size, NULL);
	e = BN_new();
	bld = OSSL_PARAM_BLD_new();
	if (!n || !e || !bld || !BN_set_word(e, exp ? exp : 65537))
		goto out;
	if (OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
		pkey = pkey_from_params("RSA", bld);
out:
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return pkey;
}

int att_key_from_tpm2b(const uint8_t *buf, size_t len, struct att_key **out,
		       struct att_err *err)
{
	TPM2B_PUBLIC pub;
	struct att_key *k;
	size_t off = 0;

	*out = NULL;
	memset(&pub, 0, sizeof(pub));
	if (Tss2_MU_TPM2B_PUBLIC_Unmarshal(buf, len, &off, &pub) !=
	    TSS2_RC_SUCCESS) {
		err->offset = off;
		err->what = "not a TPM2B_PUBLIC";
		return -EINVAL;
	}
	if (off != len) {
		err->offset = off;
		err->what = "trailing bytes after the TPM2B_PUBLIC";
		return -EINVAL;
	}
	k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	k->have_tpm = true;
	k->tpm = pub.publicArea;
	if (pub.publicArea.type == TPM2_ALG_ECC) {
		k->pkey = ecc_pkey(&pub.publicArea);
		snprintf(k->desc, sizeof(k->desc), "ECC NIST P-256 (TPM)");
	} else if (pub.publicArea.type == TPM2_ALG_RSA) {
		k->pkey = rsa_pkey(&pub.publicArea);
		snprintf(k->desc, sizeof(k->desc), "RSA-%u (TPM)",
			 pub.publicArea.parameters.rsaDetail.keyBits);
	}
	if (!k->pkey) {
		att_key_free(k);
		err->offset = 2;
		err->what = "unsupported key (want ECC P-256 or RSA 2048-4096)";
		return -EINVAL;
	}
	*out = k;
	return 0;
}

int att_key_load(const char *path, struct att_key **out, char *why,
		 size_t whylen)
{
	struct att_err err = { 0, NULL };
	struct att_key *k;
	uint8_t *buf;
	size_t len;
	BIO *bio;
	int rc;

	*out = NULL;
	rc = att_read_file(path, 1 << 16, &buf, &len);
	if (rc) {
		snprintf(why, whylen, "%s: cannot read: %s", path,
			 strerror(-rc));
		return rc;
	}
	if (len > 10 && !memcmp(buf, "-----BEGIN", 10)) {
		k = calloc(1, sizeof(*k));
		bio = BIO_new_mem_buf(buf, (int)len);
		if (k && bio)
			k->pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
		BIO_free(bio);
		free(buf);
		if (!k || !k->pkey) {
			att_key_free(k);
			snprintf(why, whylen, "%s: not a PEM public key", path);
			return -EINVAL;
		}
		snprintf(k->desc, sizeof(k->desc), "%s (PEM)",
			 EVP_PKEY_get0_type_name(k->pkey));
		*out = k;
		return 0;
	}
	rc = att_key_from_tpm2b(buf, len, &k, &err);
	free(buf);
	if (rc) {
		snprintf(why, whylen, "%s: offset %zu: %s", path, err.offset,
			 err.what ? err.what : "invalid");
		return rc;
	}
	*out = k;
	return 0;
}

bool att_key_equal(const struct att_key *a, const struct att_key *b)
{
	return a && b && EVP_PKEY_eq(a->pkey, b->pkey) == 1;
}

EVP_PKEY *att_key_pkey(const struct att_key *k)
{
	return k->pkey;
}

const char *att_key_describe(const struct att_key *k)
{
	return k->desc;
}

int att_key_name(const struct att_key *k, uint8_t *name, size_t *len)
{
	uint8_t buf[sizeof(TPMT_PUBLIC)];
	size_t off = 0;

	if (!k->have_tpm)
		return -ENOENT;
	if (k->tpm.nameAlg != TPM2_ALG_SHA256 || *len < 34)
		return -EOPNOTSUPP;
	if (Tss2_MU_TPMT_PUBLIC_Marshal(&k->tpm, buf, sizeof(buf), &off) !=
	    TSS2_RC_SUCCESS)
		return -EINVAL;
	/* TPM 2.0 Part 1, 16: Name = nameAlg (big-endian) || H(TPMT_PUBLIC) */
	name[0] = (uint8_t)(TPM2_ALG_SHA256 >> 8);
	name[1] = (uint8_t)TPM2_ALG_SHA256;
	crypto_hash_sha256(name + 2, buf, off);
	*len = 34;
	return 0;
}

int att_key_check_ak_attributes(const struct att_key *k, char *why,
				size_t whylen)
{
	const TPMA_OBJECT need =
	    TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT |
	    TPMA_OBJECT_SENSITIVEDATAORIGIN | TPMA_OBJECT_RESTRICTED |
	    TPMA_OBJECT_SIGN_ENCRYPT;

	if (!k->have_tpm) {
		snprintf(why, whylen, "PEM key: TPM attributes unknown");
		return -ENOENT;
	}
	if ((k->tpm.objectAttributes & need) != need ||
	    (k->tpm.objectAttributes & TPMA_OBJECT_DECRYPT)) {
		snprintf(why, whylen,
			 "attributes 0x%08x are not those of a restricted "
			 "signing key that never left the TPM",
			 (unsigned int)k->tpm.objectAttributes);
		return -EINVAL;
	}
	return 0;
}

int att_key_write_pem_at(const struct att_key *k, int dirfd, const char *name)
{
	int fd = att_file_open_at(dirfd, name, 0), ok;
	FILE *f;

	if (fd < 0)
		return fd;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -ENOMEM;
	}
	ok = PEM_write_PUBKEY(f, k->pkey);
	if (fclose(f) || !ok)
		return -EIO;
	return 0;
}

int att_key_write_pem(const struct att_key *k, const char *path)
{
	return att_key_write_pem_at(k, AT_FDCWD, path);
}

static const EVP_MD *md_for(TPMI_ALG_HASH alg)
{
	switch (alg) {
	case TPM2_ALG_SHA256:
		return EVP_sha256();
	case TPM2_ALG_SHA384:
		return EVP_sha384();
	case TPM2_ALG_SHA512:
		return EVP_sha512();
	}
	return NULL; /* SHA-1 quotes are refused */
}

/* DER ECDSA-Sig-Value from the TPM's raw (r, s). */
static int ecdsa_der(const TPMS_SIGNATURE_ECC *e, uint8_t **der, int *dlen)
{
	ECDSA_SIG *s = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(e->signatureR.buffer, e->signatureR.size, NULL);
	BIGNUM *sv = BN_bin2bn(e->signatureS.buffer, e->signatureS.size, NULL);

	*der = NULL;
	if (!s || !r || !sv || !ECDSA_SIG_set0(s, r, sv)) {
		ECDSA_SIG_free(s);
		BN_free(r);
		BN_free(sv);
		return -ENOMEM;
	}
	*dlen = i2d_ECDSA_SIG(s, der);
	ECDSA_SIG_free(s);
	return *dlen > 0 ? 0 : -ENOMEM;
}

int att_sig_verify(const struct att_key *k, const uint8_t *sigbuf,
		   size_t sig_len, const uint8_t *msg, size_t msg_len,
		   char *why, size_t whylen)
{
	TPMT_SIGNATURE sig;
	EVP_PKEY_CTX *ctx = NULL;
	const EVP_MD *md;
	uint8_t digest[EVP_MAX_MD_SIZE], *der = NULL;
	unsigned int dlen = 0;
	const uint8_t *s;
	size_t off = 0, slen;
	int derlen = 0, rc = -EINVAL, pad = 0, ktype;

	memset(&sig, 0, sizeof(sig));
	if (Tss2_MU_TPMT_SIGNATURE_Unmarshal(sigbuf, sig_len, &off, &sig) !=
		TSS2_RC_SUCCESS ||
	    off != sig_len) {
		snprintf(why, whylen,
			 "signature part is not a TPMT_SIGNATURE (offset %zu)",
			 off);
		return -EINVAL;
	}
	ktype = EVP_PKEY_get_base_id(k->pkey);
	switch (sig.sigAlg) {
	case TPM2_ALG_ECDSA:
		if (ktype != EVP_PKEY_EC)
			goto mismatch;
		md = md_for(sig.signature.ecdsa.hash);
		if (md && ecdsa_der(&sig.signature.ecdsa, &der, &derlen))
			return -ENOMEM;
		s = der;
		slen = (size_t)derlen;
		break;
	case TPM2_ALG_RSASSA:
	case TPM2_ALG_RSAPSS:
		if (ktype != EVP_PKEY_RSA)
			goto mismatch;
		md = md_for(sig.signature.rsassa.hash);
		s = sig.signature.rsassa.sig.buffer;
		slen = sig.signature.rsassa.sig.size;
		pad = sig.sigAlg == TPM2_ALG_RSASSA ? RSA_PKCS1_PADDING
						    : RSA_PKCS1_PSS_PADDING;
		break;
	default:
		snprintf(why, whylen, "signature algorithm 0x%04x unsupported",
			 sig.sigAlg);
		return -EINVAL;
	}
	if (!md) {
		snprintf(why, whylen,
			 "signature hash unsupported (want "
			 "SHA-256/384/512)");
		goto out;
	}
	if (!EVP_Digest(msg, msg_len, digest, &dlen, md, NULL))
		goto crypto_err;
	ctx = EVP_PKEY_CTX_new(k->pkey, NULL);
	if (!ctx || EVP_PKEY_verify_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_signature_md(ctx, md) <= 0)
		goto crypto_err;
	if (pad && EVP_PKEY_CTX_set_rsa_padding(ctx, pad) <= 0)
		goto crypto_err;
	if (pad == RSA_PKCS1_PSS_PADDING &&
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_AUTO) <= 0)
		goto crypto_err;
	if (EVP_PKEY_verify(ctx, s, slen, digest, dlen) == 1) {
		snprintf(why, whylen, "%s over the quote verifies with %s",
			 sig.sigAlg == TPM2_ALG_ECDSA ? "ECDSA" : "RSA",
			 k->desc);
		rc = 0;
	} else {
		snprintf(why, whylen, "signature does not verify with %s",
			 k->desc);
	}
	goto out;
mismatch:
	snprintf(why, whylen,
		 "signature algorithm 0x%04x does not match the "
		 "AK type",
		 sig.sigAlg);
	return -EINVAL;
crypto_err:
	snprintf(why, whylen, "libcrypto could not set up the verification");
out:
	EVP_PKEY_CTX_free(ctx);
	OPENSSL_free(der);
	return rc;
}
