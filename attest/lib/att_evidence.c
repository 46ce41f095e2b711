// SPDX-License-Identifier: GPL-2.0-only
/*
 * att_evidence.c - the evidence bundle: a versioned type-length-value
 * container, and the PCR-values part (host userspace). Parsing treats the
 * bundle as hostile; errors name the byte offset. Layout: docs/evidence.md.
 */
#include <stdlib.h>
#include <string.h>

#include "thinhv/compat.h"
#include "attest/lib/att.h"

static const char *const part_names[ATT_PART_MAX + 1] = {
	[ATT_PART_QUOTE] = "quote",
	[ATT_PART_SIGNATURE] = "signature",
	[ATT_PART_PCRS] = "pcr-values",
	[ATT_PART_AK_PUBLIC] = "ak-public",
	[ATT_PART_THINHV_LOG] = "thinhv-log",
	[ATT_PART_FW_LOG] = "firmware-log",
	[ATT_PART_REPORT] = "report",
	[ATT_PART_NONCE] = "nonce",
	[ATT_PART_CREATOR] = "creator",
};

/* Parts a bundle must carry; the rest are optional. */
static const unsigned int required_parts[] = {
	ATT_PART_QUOTE,	    ATT_PART_SIGNATURE,	 ATT_PART_PCRS,
	ATT_PART_AK_PUBLIC, ATT_PART_THINHV_LOG, ATT_PART_REPORT,
};

const char *att_part_name(unsigned int type)
{
	if (type == 0 || type > ATT_PART_MAX)
		return "unknown";
	return part_names[type];
}

static int fail(struct att_err *err, size_t off, const char *what)
{
	if (err) {
		err->offset = off;
		err->what = what;
	}
	return -EINVAL;
}

int att_evidence_parse(const uint8_t *buf, size_t len, struct att_evidence *ev,
		       struct att_err *err)
{
	uint32_t count, i;
	size_t off;

	memset(ev, 0, sizeof(*ev));
	if (!buf || len < ATT_EVID_HDR_SIZE)
		return fail(err, 0, "shorter than the 16-byte bundle header");
	if (len > ATT_EVID_MAX_SIZE)
		return fail(err, 0, "bundle larger than 64 MiB");
	if (memcmp(buf, ATT_EVID_MAGIC, 8))
		return fail(err, 0, "bad magic (not a thinhv evidence bundle)");
	if (hv_le16(buf + 8) != ATT_EVID_VERSION)
		return fail(err, 8, "unsupported bundle version");
	if (hv_le16(buf + 10) != ATT_EVID_HDR_SIZE)
		return fail(err, 10, "unexpected header size");
	count = hv_le32(buf + 12);
	if (count == 0 || count > ATT_PART_MAX)
		return fail(err, 12, "record count out of range");

	off = ATT_EVID_HDR_SIZE;
	for (i = 0; i < count; i++) {
		uint16_t type, flags;
		uint32_t rlen;

		if (!hv_fits(off, ATT_EVID_REC_HDR, len))
			return fail(err, off, "truncated record header");
		type = hv_le16(buf + off);
		flags = hv_le16(buf + off + 2);
		rlen = hv_le32(buf + off + 4);
		if (type == 0 || type > ATT_PART_MAX)
			return fail(err, off, "unknown record type");
		if (flags)
			return fail(err, off + 2, "reserved flags set");
		if (ev->part[type].present)
			return fail(err, off, "record type repeated");
		if (rlen == 0)
			return fail(err, off + 4, "zero-length record");
		if (rlen > ATT_EVID_MAX_PART)
			return fail(err, off + 4, "record larger than 16 MiB");
		if (!hv_fits(off + ATT_EVID_REC_HDR, rlen, len))
			return fail(err, off + 4, "record runs past the end");
		ev->part[type].present = true;
		ev->part[type].p = buf + off + ATT_EVID_REC_HDR;
		ev->part[type].len = rlen;
		ev->part[type].offset = off + ATT_EVID_REC_HDR;
		off += ATT_EVID_REC_HDR + (size_t)rlen;
	}
	if (off != len)
		return fail(err, off, "trailing bytes after the last record");
	for (i = 0; i < HV_ARRAY_SIZE(required_parts); i++)
		if (!ev->part[required_parts[i]].present)
			return fail(err, len, "a required part is missing");
	return 0;
}

int att_evidence_build(const struct att_evidence *ev, uint8_t **out,
		       size_t *len)
{
	size_t total = ATT_EVID_HDR_SIZE, off;
	uint32_t count = 0;
	unsigned int t;
	uint8_t *buf;

	for (t = 1; t <= ATT_PART_MAX; t++) {
		if (!ev->part[t].present)
			continue;
		if (ev->part[t].len == 0 || ev->part[t].len > ATT_EVID_MAX_PART)
			return -EINVAL;
		total += ATT_EVID_REC_HDR + ev->part[t].len;
		count++;
	}
	if (total > ATT_EVID_MAX_SIZE)
		return -EFBIG;
	buf = malloc(total);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, ATT_EVID_MAGIC, 8);
	hv_put_le16(buf + 8, ATT_EVID_VERSION);
	hv_put_le16(buf + 10, ATT_EVID_HDR_SIZE);
	hv_put_le32(buf + 12, count);
	off = ATT_EVID_HDR_SIZE;
	for (t = 1; t <= ATT_PART_MAX; t++) {
		if (!ev->part[t].present)
			continue;
		hv_put_le16(buf + off, (uint16_t)t);
		hv_put_le16(buf + off + 2, 0);
		hv_put_le32(buf + off + 4, (uint32_t)ev->part[t].len);
		memcpy(buf + off + ATT_EVID_REC_HDR, ev->part[t].p,
		       ev->part[t].len);
		off += ATT_EVID_REC_HDR + ev->part[t].len;
	}
	*out = buf;
	*len = total;
	return 0;
}

int att_pcrs_parse(const uint8_t *buf, size_t len, struct att_pcr_values *pv,
		   struct att_err *err)
{
	uint32_t i, count;
	uint16_t size;
	size_t off = 8;

	memset(pv, 0, sizeof(*pv));
	if (len < 8)
		return fail(err, 0, "PCR values shorter than their header");
	pv->alg = hv_le16(buf);
	size = hv_le16(buf + 2);
	count = hv_le32(buf + 4);
	if (att_alg_size(pv->alg) == 0 || size != att_alg_size(pv->alg))
		return fail(err, 0, "unknown PCR bank or wrong digest size");
	if (count == 0 || count > ATT_NUM_PCRS)
		return fail(err, 4, "PCR count out of range");
	pv->size = size;
	for (i = 0; i < count; i++) {
		uint32_t idx;

		if (!hv_fits(off, 4 + (size_t)size, len))
			return fail(err, off, "truncated PCR value");
		idx = hv_le32(buf + off);
		if (idx >= ATT_NUM_PCRS)
			return fail(err, off, "PCR index out of range");
		if (i && idx <= pv->index[i - 1])
			return fail(err, off, "PCR indices not ascending");
		pv->index[i] = idx;
		memcpy(pv->value[i], buf + off + 4, size);
		off += 4 + (size_t)size;
	}
	if (off != len)
		return fail(err, off, "trailing bytes after the PCR values");
	pv->count = count;
	return 0;
}

int att_pcrs_encode(const struct att_pcr_values *pv, uint8_t **out, size_t *len)
{
	size_t total = 8 + (size_t)pv->count * (4 + pv->size), off = 8;
	uint8_t *buf;
	uint32_t i;

	if (pv->count == 0 || pv->count > ATT_NUM_PCRS || pv->size == 0 ||
	    pv->size > ATT_MAX_DIGEST)
		return -EINVAL;
	buf = malloc(total);
	if (!buf)
		return -ENOMEM;
	hv_put_le16(buf, pv->alg);
	hv_put_le16(buf + 2, pv->size);
	hv_put_le32(buf + 4, pv->count);
	for (i = 0; i < pv->count; i++) {
		hv_put_le32(buf + off, pv->index[i]);
		memcpy(buf + off + 4, pv->value[i], pv->size);
		off += 4 + pv->size;
	}
	*out = buf;
	*len = total;
	return 0;
}

const uint8_t *att_pcrs_get(const struct att_pcr_values *pv, uint32_t idx)
{
	uint32_t i;

	for (i = 0; i < pv->count; i++)
		if (pv->index[i] == idx)
			return pv->value[i];
	return NULL;
}
