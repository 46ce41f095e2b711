// SPDX-License-Identifier: GPL-2.0-only
/*
 * att_tpm.c - the TPM boundary of attestation (host userspace, tpm2-tss
 * ESAPI). Every Esys_* call goes through ESYS() -> tpm_call(), which logs
 * the call name and the decoded TSS return code; every transient object and
 * session is flushed on every path through one cleanup ladder per function.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <tss2/tss2_esys.h>
#include <tss2/tss2_mu.h>
#include <tss2/tss2_rc.h>
#include <tss2/tss2_tctildr.h>

#include "thinhv/compat.h"
#include "attest/lib/att.h"
#include "attest/lib/att_tcti.h"

struct att_tpm {
	TSS2_TCTI_CONTEXT *tcti;
	ESYS_CONTEXT *esys;
};

static int tpm_call(const char *call, TSS2_RC rc)
{
	const char *trace = getenv("THINHV_TPM_TRACE");

	if (rc != TSS2_RC_SUCCESS) {
		fprintf(stderr, "thinhv: tpm: %s failed: 0x%08x %s\n", call,
			(unsigned int)rc, Tss2_RC_Decode(rc));
		return -EIO;
	}
	if (trace && *trace)
		fprintf(stderr, "thinhv: tpm: %s: %s\n", call,
			Tss2_RC_Decode(rc));
	return 0;
}

/* The one way this file calls into ESAPI. */
#define ESYS(fn, ...) tpm_call(#fn, fn(__VA_ARGS__))

static void flush(struct att_tpm *t, ESYS_TR *h)
{
	if (*h != ESYS_TR_NONE)
		ESYS(Esys_FlushContext, t->esys, *h);
	*h = ESYS_TR_NONE;
}

int att_tpm_open(struct att_tpm **out, const char *tcti)
{
	struct att_tpm *t;
	char why[384];
	int rc;

	*out = NULL;
	rc = att_tcti_choose(tcti, &tcti, why, sizeof(why));
	if (rc) {
		fprintf(stderr, "thinhv: %s\n", why);
		return rc;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	rc = tpm_call("Tss2_TctiLdr_Initialize",
		      Tss2_TctiLdr_Initialize(tcti, &t->tcti));
	if (rc)
		goto err_free;
	rc = ESYS(Esys_Initialize, &t->esys, t->tcti, NULL);
	if (rc)
		goto err_tcti;
	*out = t;
	return 0;

err_tcti:
	Tss2_TctiLdr_Finalize(&t->tcti);
err_free:
	free(t);
	return rc;
}

void att_tpm_close(struct att_tpm *t)
{
	if (!t)
		return;
	if (t->esys)
		Esys_Finalize(&t->esys);
	if (t->tcti)
		Tss2_TctiLdr_Finalize(&t->tcti);
	free(t);
}

/* TCG EK Credential Profile 2.0, B.3.3 template L-1: RSA 2048 EK. */
static const uint8_t ek_policy[32] = {
	0x83, 0x71, 0x97, 0x67, 0x44, 0x84, 0xb3, 0xf8, 0x1a, 0x90, 0xcc,
	0x8d, 0x46, 0xa5, 0xd7, 0x24, 0xfd, 0x52, 0xd7, 0x6e, 0x06, 0x52,
	0x0b, 0x64, 0xf2, 0xa1, 0xda, 0x1b, 0x33, 0x14, 0x69, 0xaa,
};

static void ek_template(TPM2B_PUBLIC *p)
{
	memset(p, 0, sizeof(*p));
	p->publicArea.type = TPM2_ALG_RSA;
	p->publicArea.nameAlg = TPM2_ALG_SHA256;
	p->publicArea.objectAttributes =
	    TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT |
	    TPMA_OBJECT_SENSITIVEDATAORIGIN | TPMA_OBJECT_ADMINWITHPOLICY |
	    TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_DECRYPT;
	p->publicArea.authPolicy.size = sizeof(ek_policy);
	memcpy(p->publicArea.authPolicy.buffer, ek_policy, sizeof(ek_policy));
	p->publicArea.parameters.rsaDetail.symmetric.algorithm = TPM2_ALG_AES;
	p->publicArea.parameters.rsaDetail.symmetric.keyBits.aes = 128;
	p->publicArea.parameters.rsaDetail.symmetric.mode.aes = TPM2_ALG_CFB;
	p->publicArea.parameters.rsaDetail.scheme.scheme = TPM2_ALG_NULL;
	p->publicArea.parameters.rsaDetail.keyBits = 2048;
	p->publicArea.parameters.rsaDetail.exponent = 0;
	p->publicArea.unique.rsa.size = 256; /* zeros, as the profile says */
}

/* The AK: ECC P-256, restricted signing with ECDSA/SHA-256. */
static void ak_template(TPM2B_PUBLIC *p)
{
	memset(p, 0, sizeof(*p));
	p->publicArea.type = TPM2_ALG_ECC;
	p->publicArea.nameAlg = TPM2_ALG_SHA256;
	p->publicArea.objectAttributes =
	    TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT |
	    TPMA_OBJECT_SENSITIVEDATAORIGIN | TPMA_OBJECT_USERWITHAUTH |
	    TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_SIGN_ENCRYPT;
	p->publicArea.parameters.eccDetail.symmetric.algorithm = TPM2_ALG_NULL;
	p->publicArea.parameters.eccDetail.scheme.scheme = TPM2_ALG_ECDSA;
	p->publicArea.parameters.eccDetail.scheme.details.ecdsa.hashAlg =
	    TPM2_ALG_SHA256;
	p->publicArea.parameters.eccDetail.curveID = TPM2_ECC_NIST_P256;
	p->publicArea.parameters.eccDetail.kdf.scheme = TPM2_ALG_NULL;
}

/* CreatePrimary under the endorsement hierarchy (empty hierarchy auth). */
static int create_primary(struct att_tpm *t, const TPM2B_PUBLIC *tmpl,
			  ESYS_TR *h, TPM2B_PUBLIC **pub)
{
	TPM2B_SENSITIVE_CREATE sens;
	TPM2B_DATA outside;
	TPML_PCR_SELECTION creation_pcr;
	TPM2B_CREATION_DATA *cdata = NULL;
	TPM2B_DIGEST *chash = NULL;
	TPMT_TK_CREATION *ticket = NULL;
	int rc;

	memset(&sens, 0, sizeof(sens));
	memset(&outside, 0, sizeof(outside));
	memset(&creation_pcr, 0, sizeof(creation_pcr));
	*h = ESYS_TR_NONE;
	rc = ESYS(Esys_CreatePrimary, t->esys, ESYS_TR_RH_ENDORSEMENT,
		  ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &sens, tmpl,
		  &outside, &creation_pcr, h, pub, &cdata, &chash, &ticket);
	Esys_Free(cdata);
	Esys_Free(chash);
	Esys_Free(ticket);
	if (rc)
		*h = ESYS_TR_NONE;
	return rc;
}

static int marshal_public(const TPM2B_PUBLIC *pub, uint8_t **out, size_t *len)
{
	uint8_t *buf = malloc(sizeof(TPM2B_PUBLIC));
	size_t off = 0;
	int rc;

	if (!buf)
		return -ENOMEM;
	rc = tpm_call(
	    "Tss2_MU_TPM2B_PUBLIC_Marshal",
	    Tss2_MU_TPM2B_PUBLIC_Marshal(pub, buf, sizeof(TPM2B_PUBLIC), &off));
	if (rc) {
		free(buf);
		return rc;
	}
	*out = buf;
	*len = off;
	return 0;
}

static int primary_public(struct att_tpm *t, void (*tmpl_fn)(TPM2B_PUBLIC *),
			  uint8_t **out, size_t *len)
{
	TPM2B_PUBLIC tmpl, *pub = NULL;
	ESYS_TR h = ESYS_TR_NONE;
	int rc;

	tmpl_fn(&tmpl);
	rc = create_primary(t, &tmpl, &h, &pub);
	if (!rc)
		rc = marshal_public(pub, out, len);
	Esys_Free(pub);
	flush(t, &h);
	return rc;
}

int att_tpm_ak_public(struct att_tpm *t, uint8_t **pub, size_t *pub_len)
{
	return primary_public(t, ak_template, pub, pub_len);
}

int att_tpm_ek_public(struct att_tpm *t, uint8_t **pub, size_t *pub_len)
{
	return primary_public(t, ek_template, pub, pub_len);
}

/* TCG EK Credential Profile 2.0, 2.2.1.4: NV index of the RSA-2048 EK
 * certificate (template L-1, the EK att_tpm_ek_public() derives). */
#define EK_CERT_NV_RSA 0x01c00002u
#define NV_CHUNK 512u

int att_tpm_ek_cert(struct att_tpm *t, uint8_t **cert, size_t *cert_len)
{
	TPM2B_NV_PUBLIC *pub = NULL;
	TPM2B_NAME *name = NULL;
	ESYS_TR nv = ESYS_TR_NONE;
	uint8_t *buf = NULL;
	uint16_t size, off = 0;
	int rc;

	*cert = NULL;
	rc = ESYS(Esys_TR_FromTPMPublic, t->esys, EK_CERT_NV_RSA, ESYS_TR_NONE,
		  ESYS_TR_NONE, ESYS_TR_NONE, &nv);
	if (rc)
		return -ENOENT; /* no EK certificate provisioned */
	rc = ESYS(Esys_NV_ReadPublic, t->esys, nv, ESYS_TR_NONE, ESYS_TR_NONE,
		  ESYS_TR_NONE, &pub, &name);
	if (rc)
		goto out;
	size = pub->nvPublic.dataSize;
	if (size == 0) {
		rc = -ENOENT;
		goto out;
	}
	buf = malloc(size);
	if (!buf) {
		rc = -ENOMEM;
		goto out;
	}
	/* The index is AUTHREAD with an empty auth (EK profile 2.2.1.5). */
	while (off < size) {
		TPM2B_MAX_NV_BUFFER *data = NULL;
		uint16_t n = (uint16_t)(size - off > (int)NV_CHUNK
					    ? NV_CHUNK
					    : (unsigned int)(size - off));

		rc = ESYS(Esys_NV_Read, t->esys, nv, nv, ESYS_TR_PASSWORD,
			  ESYS_TR_NONE, ESYS_TR_NONE, n, off, &data);
		if (!rc && data->size != n)
			rc = -EIO;
		if (!rc)
			memcpy(buf + off, data->buffer, n);
		Esys_Free(data);
		if (rc)
			goto out;
		off += n;
	}
	*cert = buf;
	*cert_len = size;
	buf = NULL;
out:
	free(buf);
	Esys_Free(pub);
	Esys_Free(name);
	/* an NV index is not a transient object: release the ESYS_TR only */
	if (nv != ESYS_TR_NONE)
		ESYS(Esys_TR_Close, t->esys, &nv);
	return rc;
}

static void selection_sha256(uint32_t mask, TPML_PCR_SELECTION *sel)
{
	memset(sel, 0, sizeof(*sel));
	sel->count = 1;
	sel->pcrSelections[0].hash = TPM2_ALG_SHA256;
	sel->pcrSelections[0].sizeofSelect = 3;
	sel->pcrSelections[0].pcrSelect[0] = (uint8_t)mask;
	sel->pcrSelections[0].pcrSelect[1] = (uint8_t)(mask >> 8);
	sel->pcrSelections[0].pcrSelect[2] = (uint8_t)(mask >> 16);
}

/* PCR_Read returns at most 8 digests per call: loop until all are read. */
static int pcr_read(struct att_tpm *t, uint32_t mask, struct att_pcr_values *pv)
{
	uint32_t want = mask, got = 0;
	int rounds = 0;

	memset(pv, 0, sizeof(*pv));
	pv->alg = ATT_ALG_SHA256;
	pv->size = ATT_SHA256_SIZE;
	while (want && rounds++ < ATT_NUM_PCRS) {
		TPML_PCR_SELECTION sel, *sel_out = NULL;
		TPML_DIGEST *vals = NULL;
		uint32_t counter, read_mask, i, v = 0;
		int rc;

		selection_sha256(want, &sel);
		rc = ESYS(Esys_PCR_Read, t->esys, ESYS_TR_NONE, ESYS_TR_NONE,
			  ESYS_TR_NONE, &sel, &counter, &sel_out, &vals);
		if (rc)
			return rc;
		read_mask = 0;
		if (sel_out->count == 1 &&
		    sel_out->pcrSelections[0].hash == TPM2_ALG_SHA256)
			for (i = 0; i < 3; i++)
				read_mask |= (uint32_t)sel_out->pcrSelections[0]
						 .pcrSelect[i]
					     << (8 * i);
		read_mask &= want;
		for (i = 0; i < ATT_NUM_PCRS && !rc; i++) {
			if (!(read_mask & (1u << i)))
				continue;
			if (v >= vals->count ||
			    vals->digests[v].size != ATT_SHA256_SIZE) {
				rc = -EIO;
				break;
			}
			memcpy(pv->value[i], vals->digests[v].buffer,
			       ATT_SHA256_SIZE);
			v++;
		}
		Esys_Free(sel_out);
		Esys_Free(vals);
		if (rc)
			return rc;
		if (!read_mask)
			return -EIO; /* bank not allocated: nothing read */
		want &= ~read_mask;
		got |= read_mask;
	}
	if (want)
		return -EIO;
	/* compact into ascending index order */
	for (uint32_t i = 0; i < ATT_NUM_PCRS; i++) {
		if (!(got & (1u << i)))
			continue;
		pv->index[pv->count] = i;
		if (pv->count != i)
			memcpy(pv->value[pv->count], pv->value[i],
			       ATT_SHA256_SIZE);
		pv->count++;
	}
	return 0;
}

/* Does the quote's pcrDigest equal SHA-256 of the values we read? */
static bool quote_matches(const TPM2B_ATTEST *q,
			  const struct att_pcr_values *pv)
{
	TPMS_ATTEST a;
	size_t off = 0;
	uint8_t d[32];
	crypto_hash_sha256_state st;

	if (Tss2_MU_TPMS_ATTEST_Unmarshal(q->attestationData, q->size, &off,
					  &a) != TSS2_RC_SUCCESS)
		return false;
	crypto_hash_sha256_init(&st);
	for (uint32_t i = 0; i < pv->count; i++)
		crypto_hash_sha256_update(&st, pv->value[i], pv->size);
	crypto_hash_sha256_final(&st, d);
	return a.attested.quote.pcrDigest.size == 32 &&
	       !memcmp(a.attested.quote.pcrDigest.buffer, d, 32);
}

int att_tpm_quote(struct att_tpm *t, uint32_t mask, const uint8_t *qual,
		  size_t qual_len, uint8_t **attest, size_t *attest_len,
		  uint8_t **sig, size_t *sig_len, struct att_pcr_values *pcrs)
{
	TPM2B_PUBLIC tmpl, *pub = NULL;
	TPM2B_ATTEST *quoted = NULL;
	TPMT_SIGNATURE *signature = NULL;
	TPMT_SIG_SCHEME scheme;
	TPML_PCR_SELECTION sel;
	TPM2B_DATA qd;
	ESYS_TR ak = ESYS_TR_NONE;
	uint8_t *sbuf = NULL, *abuf = NULL;
	size_t off = 0;
	int rc, tries;

	*attest = *sig = NULL;
	if (qual_len > sizeof(qd.buffer) || mask == 0 ||
	    mask >= (1u << ATT_NUM_PCRS))
		return -EINVAL;
	memset(&qd, 0, sizeof(qd));
	qd.size = (UINT16)qual_len;
	memcpy(qd.buffer, qual, qual_len);
	memset(&scheme, 0, sizeof(scheme));
	scheme.scheme = TPM2_ALG_NULL; /* the AK's own scheme */
	selection_sha256(mask, &sel);

	ak_template(&tmpl);
	rc = create_primary(t, &tmpl, &ak, &pub);
	if (rc)
		goto out;
	/* The values may change between the read and the quote: retry. */
	for (tries = 0; tries < 3; tries++) {
		Esys_Free(quoted);
		Esys_Free(signature);
		quoted = NULL;
		signature = NULL;
		rc = pcr_read(t, mask, pcrs);
		if (rc)
			goto out;
		rc = ESYS(Esys_Quote, t->esys, ak, ESYS_TR_PASSWORD,
			  ESYS_TR_NONE, ESYS_TR_NONE, &qd, &scheme, &sel,
			  &quoted, &signature);
		if (rc)
			goto out;
		if (quote_matches(quoted, pcrs))
			break;
	}
	if (tries == 3) {
		fprintf(stderr, "thinhv: tpm: PCRs kept changing during the "
				"quote\n");
		rc = -EAGAIN;
		goto out;
	}
	abuf = malloc(quoted->size);
	sbuf = malloc(sizeof(TPMT_SIGNATURE));
	if (!abuf || !sbuf) {
		rc = -ENOMEM;
		goto out;
	}
	memcpy(abuf, quoted->attestationData, quoted->size);
	rc = tpm_call("Tss2_MU_TPMT_SIGNATURE_Marshal",
		      Tss2_MU_TPMT_SIGNATURE_Marshal(
			  signature, sbuf, sizeof(TPMT_SIGNATURE), &off));
	if (rc)
		goto out;
	*attest = abuf;
	*attest_len = quoted->size;
	*sig = sbuf;
	*sig_len = off;
	abuf = sbuf = NULL;
out:
	free(abuf);
	free(sbuf);
	Esys_Free(quoted);
	Esys_Free(signature);
	Esys_Free(pub);
	flush(t, &ak);
	return rc;
}

/*
 * Credential file, as tpm2_makecredential writes it: big-endian u32 magic
 * 0xBADCC0DE, u32 version 1, then TPM2B_ID_OBJECT and TPM2B_ENCRYPTED_SECRET
 * as marshalled TPM2B structures.
 */
#define CRED_MAGIC 0xBADCC0DEu
#define CRED_VERSION 1u

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}

int att_tpm_make_credential(struct att_tpm *t, const uint8_t *ek_pub,
			    size_t ek_len, const uint8_t *ak_name,
			    size_t name_len, const uint8_t *secret,
			    size_t secret_len, uint8_t **cred, size_t *cred_len)
{
	TPM2B_PUBLIC ek;
	TPM2B_DIGEST credential;
	TPM2B_NAME name;
	TPM2B_ID_OBJECT *blob = NULL;
	TPM2B_ENCRYPTED_SECRET *seed = NULL;
	ESYS_TR h = ESYS_TR_NONE;
	size_t off = 0, cap;
	uint8_t *buf = NULL;
	int rc;

	*cred = NULL;
	memset(&ek, 0, sizeof(ek));
	if (Tss2_MU_TPM2B_PUBLIC_Unmarshal(ek_pub, ek_len, &off, &ek) !=
		TSS2_RC_SUCCESS ||
	    off != ek_len) {
		fprintf(stderr, "thinhv: EK public is not a TPM2B_PUBLIC\n");
		return -EINVAL;
	}
	/* Activation only works if the EK really is a storage-type key. */
	if (!(ek.publicArea.objectAttributes & TPMA_OBJECT_RESTRICTED) ||
	    !(ek.publicArea.objectAttributes & TPMA_OBJECT_DECRYPT)) {
		fprintf(stderr, "thinhv: EK is not a restricted decryption "
				"key\n");
		return -EINVAL;
	}
	if (secret_len == 0 || secret_len > sizeof(credential.buffer) ||
	    name_len == 0 || name_len > sizeof(name.name))
		return -EINVAL;
	credential.size = (UINT16)secret_len;
	memcpy(credential.buffer, secret, secret_len);
	name.size = (UINT16)name_len;
	memcpy(name.name, ak_name, name_len);

	rc = ESYS(Esys_LoadExternal, t->esys, ESYS_TR_NONE, ESYS_TR_NONE,
		  ESYS_TR_NONE, NULL, &ek, ESYS_TR_RH_NULL, &h);
	if (rc) {
		h = ESYS_TR_NONE;
		goto out;
	}
	rc = ESYS(Esys_MakeCredential, t->esys, h, ESYS_TR_NONE, ESYS_TR_NONE,
		  ESYS_TR_NONE, &credential, &name, &blob, &seed);
	if (rc)
		goto out;
	cap = 8 + sizeof(*blob) + sizeof(*seed);
	buf = malloc(cap);
	if (!buf) {
		rc = -ENOMEM;
		goto out;
	}
	put_be32(buf, CRED_MAGIC);
	put_be32(buf + 4, CRED_VERSION);
	off = 8;
	rc = tpm_call("Tss2_MU_TPM2B_ID_OBJECT_Marshal",
		      Tss2_MU_TPM2B_ID_OBJECT_Marshal(blob, buf, cap, &off));
	if (!rc)
		rc = tpm_call("Tss2_MU_TPM2B_ENCRYPTED_SECRET_Marshal",
			      Tss2_MU_TPM2B_ENCRYPTED_SECRET_Marshal(
				  seed, buf, cap, &off));
	if (rc)
		goto out;
	*cred = buf;
	*cred_len = off;
	buf = NULL;
out:
	free(buf);
	Esys_Free(blob);
	Esys_Free(seed);
	flush(t, &h);
	return rc;
}

int att_tpm_activate(struct att_tpm *t, const uint8_t *cred, size_t cred_len,
		     uint8_t **secret, size_t *secret_len)
{
	TPM2B_ID_OBJECT blob;
	TPM2B_ENCRYPTED_SECRET seed;
	TPM2B_PUBLIC tmpl, *pub = NULL;
	TPM2B_DIGEST *cert = NULL;
	TPM2B_TIMEOUT *timeout = NULL;
	TPMT_TK_AUTH *ticket = NULL;
	TPMT_SYM_DEF sym;
	ESYS_TR ek = ESYS_TR_NONE, ak = ESYS_TR_NONE, sess = ESYS_TR_NONE;
	size_t off = 8;
	int rc;

	*secret = NULL;
	memset(&blob, 0, sizeof(blob));
	memset(&seed, 0, sizeof(seed));
	if (cred_len < 8 || get_be32(cred) != CRED_MAGIC ||
	    get_be32(cred + 4) != CRED_VERSION) {
		fprintf(stderr, "thinhv: credential: bad header at offset 0 "
				"(want magic 0xBADCC0DE version 1)\n");
		return -EINVAL;
	}
	if (Tss2_MU_TPM2B_ID_OBJECT_Unmarshal(cred, cred_len, &off, &blob) !=
		TSS2_RC_SUCCESS ||
	    Tss2_MU_TPM2B_ENCRYPTED_SECRET_Unmarshal(
		cred, cred_len, &off, &seed) != TSS2_RC_SUCCESS ||
	    off != cred_len) {
		fprintf(stderr,
			"thinhv: credential: malformed near offset %zu\n", off);
		return -EINVAL;
	}

	ek_template(&tmpl);
	rc = create_primary(t, &tmpl, &ek, &pub);
	Esys_Free(pub);
	pub = NULL;
	if (rc)
		goto out;
	ak_template(&tmpl);
	rc = create_primary(t, &tmpl, &ak, &pub);
	Esys_Free(pub);
	if (rc)
		goto out;
	/* The EK's policy is PolicySecret(TPM_RH_ENDORSEMENT). */
	memset(&sym, 0, sizeof(sym));
	sym.algorithm = TPM2_ALG_NULL;
	rc = ESYS(Esys_StartAuthSession, t->esys, ESYS_TR_NONE, ESYS_TR_NONE,
		  ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, NULL,
		  TPM2_SE_POLICY, &sym, TPM2_ALG_SHA256, &sess);
	if (rc) {
		sess = ESYS_TR_NONE;
		goto out;
	}
	rc = ESYS(Esys_PolicySecret, t->esys, ESYS_TR_RH_ENDORSEMENT, sess,
		  ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, NULL, NULL,
		  NULL, 0, &timeout, &ticket);
	Esys_Free(timeout);
	Esys_Free(ticket);
	if (rc)
		goto out;
	rc = ESYS(Esys_ActivateCredential, t->esys, ak, ek, ESYS_TR_PASSWORD,
		  sess, ESYS_TR_NONE, &blob, &seed, &cert);
	if (rc)
		goto out;
	*secret = malloc(cert->size ? cert->size : 1);
	if (!*secret) {
		rc = -ENOMEM;
		goto out;
	}
	memcpy(*secret, cert->buffer, cert->size);
	*secret_len = cert->size;
out:
	if (cert)
		sodium_memzero(cert->buffer, cert->size);
	Esys_Free(cert);
	flush(t, &sess);
	flush(t, &ak);
	flush(t, &ek);
	return rc;
}
