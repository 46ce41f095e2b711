// SPDX-License-Identifier: GPL-2.0-only
/*
 * tcg_log.c - TCG PC Client crypto-agile event log: encoder, parser and
 * replay (pure C, built into the kernel module and into host userspace).
 * Parsing treats the log as hostile: every length is checked against the end
 * of the buffer before it is used, errors name the byte offset.
 */
#include "thinhv/compat.h"
#include "thinhv/tcg_log.h"

const char *att_tag_name(uint32_t tag_id)
{
	switch (tag_id) {
	case ATT_TAG_HYPERVISOR:
		return ATT_TAG_STR_HYPERVISOR;
	case ATT_TAG_POLICY:
		return ATT_TAG_STR_POLICY;
	case ATT_TAG_ISOLATION:
		return ATT_TAG_STR_ISOLATION;
	}
	return NULL;
}

uint16_t att_alg_size(uint16_t alg)
{
	switch (alg) {
	case ATT_ALG_SHA1:
		return 20;
	case ATT_ALG_SHA256:
	case ATT_ALG_SM3_256:
		return 32;
	case ATT_ALG_SHA384:
		return 48;
	case ATT_ALG_SHA512:
		return 64;
	}
	return 0;
}

static int fail(struct att_err *err, size_t off, const char *what, int rc)
{
	if (err) {
		err->offset = off;
		err->what = what;
	}
	return rc;
}

/* Size of the Spec ID header record for nbanks algorithms, no vendor info. */
static size_t spec_id_size(uint32_t nbanks)
{
	return sizeof(struct tcg_pcr_event_hdr) +
	       sizeof(struct tcg_spec_id_hdr) +
	       nbanks * sizeof(struct tcg_spec_id_alg) + 1;
}

int att_log_init(struct att_log *log, void *buf, size_t cap,
		 const struct att_bank *banks, uint32_t nbanks)
{
	uint8_t *p = buf;
	size_t need, evsize;
	uint32_t i, j;

	if (!log || !buf || !banks || nbanks == 0 || nbanks > ATT_MAX_BANKS)
		return -EINVAL;
	for (i = 0; i < nbanks; i++) {
		if (banks[i].size == 0 || banks[i].size > ATT_MAX_DIGEST)
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (banks[j].alg == banks[i].alg)
				return -EINVAL;
	}
	need = spec_id_size(nbanks);
	if (need > cap)
		return -ENOSPC;
	evsize = need - sizeof(struct tcg_pcr_event_hdr);

	memset(p, 0, need);
	/* TCG_PCR_EVENT: PCR 0, EV_NO_ACTION, zero SHA-1 digest (PFP 10.4.5.1) */
	hv_put_le32(p + 0, 0);
	hv_put_le32(p + 4, TCG_EV_NO_ACTION);
	hv_put_le32(p + 28, (uint32_t)evsize);
	p += sizeof(struct tcg_pcr_event_hdr);

	memcpy(p, TCG_SPEC_ID_SIGNATURE, sizeof(TCG_SPEC_ID_SIGNATURE));
	hv_put_le32(p + 16, 0); /* platformClass: client */
	p[20] = 0;		/* specVersionMinor */
	p[21] = 2;		/* specVersionMajor */
	p[22] = 2;		/* specErrata (PFP 1.05) */
	p[23] = 2;		/* uintnSize: UINT64 */
	hv_put_le32(p + 24, nbanks);
	p += sizeof(struct tcg_spec_id_hdr);
	for (i = 0; i < nbanks; i++) {
		hv_put_le16(p, banks[i].alg);
		hv_put_le16(p + 2, banks[i].size);
		p += sizeof(struct tcg_spec_id_alg);
	}
	*p = 0; /* vendorInfoSize */

	log->buf = buf;
	log->cap = cap;
	log->len = need;
	log->nbanks = nbanks;
	memcpy(log->banks, banks, nbanks * sizeof(*banks));
	return 0;
}

size_t att_log_record_size(const struct att_log *log, uint32_t event_len)
{
	size_t n = sizeof(struct tcg_pcr_event2_hdr) + 4 + event_len;
	uint32_t i;

	for (i = 0; i < log->nbanks; i++)
		n += 2 + log->banks[i].size;
	return n;
}

int att_log_append(struct att_log *log, uint32_t pcr, uint32_t event_type,
		   const uint8_t *const *digests, const void *event,
		   uint32_t event_len)
{
	uint8_t *p;
	size_t need;
	uint32_t i;

	if (!log || !log->buf || !digests || pcr >= ATT_NUM_PCRS ||
	    (event_len && !event))
		return -EINVAL;
	need = att_log_record_size(log, event_len);
	if (!hv_fits(log->len, need, log->cap))
		return -ENOSPC;
	for (i = 0; i < log->nbanks; i++)
		if (!digests[i])
			return -EINVAL;

	p = log->buf + log->len;
	hv_put_le32(p, pcr);
	hv_put_le32(p + 4, event_type);
	hv_put_le32(p + 8, log->nbanks);
	p += sizeof(struct tcg_pcr_event2_hdr);
	for (i = 0; i < log->nbanks; i++) {
		hv_put_le16(p, log->banks[i].alg);
		memcpy(p + 2, digests[i], log->banks[i].size);
		p += 2 + log->banks[i].size;
	}
	hv_put_le32(p, event_len);
	if (event_len)
		memcpy(p + 4, event, event_len);
	log->len += need;
	return 0;
}

int att_log_append_tag(struct att_log *log, uint32_t tag_id,
		       const uint8_t *const *digests)
{
	/* TCG_PCClientTaggedEvent: id, size, tag string (no NUL) */
	uint8_t ev[sizeof(struct tcg_tagged_event_hdr) + 32];
	const char *name = att_tag_name(tag_id);
	size_t n;

	if (!name)
		return -EINVAL;
	n = strlen(name);
	if (n > sizeof(ev) - sizeof(struct tcg_tagged_event_hdr))
		return -EINVAL;
	hv_put_le32(ev, tag_id);
	hv_put_le32(ev + 4, (uint32_t)n);
	memcpy(ev + sizeof(struct tcg_tagged_event_hdr), name, n);
	return att_log_append(
	    log, ATT_THINHV_PCR, TCG_EV_EVENT_TAG, digests, ev,
	    (uint32_t)(sizeof(struct tcg_tagged_event_hdr) + n));
}

/* Parse the leading TCG_PCR_EVENT Spec ID record; returns its total size. */
static int parse_spec_id(const uint8_t *buf, size_t len,
			 struct att_log_info *info, size_t *consumed,
			 struct att_err *err)
{
	const size_t hdr = sizeof(struct tcg_pcr_event_hdr);
	const uint8_t *ev;
	uint32_t evsize, nalg, i, j;
	size_t off;

	if (!hv_fits(0, hdr, len))
		return fail(err, 0, "log shorter than the TCG_PCR_EVENT header",
			    -EINVAL);
	if (hv_le32(buf) != 0 || hv_le32(buf + 4) != TCG_EV_NO_ACTION)
		return fail(err, 0,
			    "first record is not an EV_NO_ACTION in PCR 0 "
			    "(not a TCG event log)",
			    -EINVAL);
	for (i = 0; i < ATT_SHA1_SIZE; i++)
		if (buf[8 + i])
			return fail(err, 8 + i,
				    "Spec ID record digest is not zero",
				    -EINVAL);
	evsize = hv_le32(buf + 28);
	if (!hv_fits(hdr, evsize, len))
		return fail(err, 28, "Spec ID event size runs past the end",
			    -EINVAL);
	ev = buf + hdr;
	if (evsize < sizeof(struct tcg_spec_id_hdr) + 1)
		return fail(err, 28, "Spec ID event too short", -EINVAL);
	if (memcmp(ev, TCG_SPEC_ID_SIGNATURE, sizeof(TCG_SPEC_ID_SIGNATURE)))
		return fail(err, hdr,
			    "no \"Spec ID Event03\" signature (legacy SHA-1 "
			    "log: not crypto-agile)",
			    -EINVAL);
	if (ev[21] != 2)
		return fail(err, hdr + 21, "specVersionMajor is not 2",
			    -EINVAL);
	if (ev[23] != 1 && ev[23] != 2)
		return fail(err, hdr + 23, "uintnSize is neither 1 nor 2",
			    -EINVAL);
	nalg = hv_le32(ev + 24);
	if (nalg == 0)
		return fail(err, hdr + 24, "Spec ID lists no algorithm",
			    -EINVAL);
	if (nalg > ATT_MAX_BANKS)
		return fail(err, hdr + 24, "Spec ID lists too many algorithms",
			    -E2BIG);
	off = sizeof(struct tcg_spec_id_hdr);
	/* algorithms, then the one-byte vendorInfoSize */
	if (!hv_fits(off, (uint64_t)nalg * 4 + 1, evsize))
		return fail(err, hdr + off,
			    "Spec ID algorithm list runs past the event",
			    -EINVAL);
	info->nbanks = nalg;
	info->uintn_size = ev[23];
	for (i = 0; i < nalg; i++, off += 4) {
		uint16_t alg = hv_le16(ev + off);
		uint16_t size = hv_le16(ev + off + 2);
		uint16_t known = att_alg_size(alg);

		if (size == 0 || size > ATT_MAX_DIGEST ||
		    (known && size != known))
			return fail(err, hdr + off + 2,
				    "Spec ID digest size is wrong for its "
				    "algorithm",
				    -EINVAL);
		for (j = 0; j < i; j++)
			if (info->banks[j].alg == alg)
				return fail(err, hdr + off,
					    "Spec ID lists an algorithm twice",
					    -EINVAL);
		info->banks[i].alg = alg;
		info->banks[i].size = size;
	}
	if (!hv_fits(off + 1, ev[off], evsize))
		return fail(err, hdr + off, "vendorInfo runs past the event",
			    -EINVAL);
	*consumed = hdr + evsize;
	return 0;
}

static const struct att_bank *find_bank(const struct att_log_info *info,
					uint16_t alg)
{
	uint32_t i;

	for (i = 0; i < info->nbanks; i++)
		if (info->banks[i].alg == alg)
			return &info->banks[i];
	return NULL;
}

int att_log_parse(const uint8_t *buf, size_t len, struct att_log_info *info,
		  att_event_fn cb, void *ctx, struct att_err *err)
{
	struct att_log_info local;
	struct att_event ev;
	size_t off;
	int rc;

	if (!info)
		info = &local;
	memset(info, 0, sizeof(*info));
	info->startup_locality = -1;
	if (!buf)
		return fail(err, 0, "no log", -EINVAL);
	rc = parse_spec_id(buf, len, info, &off, err);
	if (rc)
		return rc;

	while (off < len) {
		size_t p = off;
		uint32_t i, j, count;

		memset(&ev, 0, sizeof(ev));
		ev.offset = off;
		if (!hv_fits(p, sizeof(struct tcg_pcr_event2_hdr), len))
			return fail(err, p, "truncated TCG_PCR_EVENT2 header",
				    -EINVAL);
		ev.pcr = hv_le32(buf + p);
		ev.type = hv_le32(buf + p + 4);
		count = hv_le32(buf + p + 8);
		if (ev.pcr >= ATT_NUM_PCRS)
			return fail(err, p, "PCR index out of range (>= 24)",
				    -EINVAL);
		if (count == 0 || count != info->nbanks)
			return fail(err, p + 8,
				    "digest count differs from the Spec ID "
				    "algorithm count",
				    -EINVAL);
		p += sizeof(struct tcg_pcr_event2_hdr);
		ev.ndigests = count;
		for (i = 0; i < count; i++) {
			const struct att_bank *b;
			uint16_t alg;

			if (!hv_fits(p, 2, len))
				return fail(err, p,
					    "truncated digest algorithm",
					    -EINVAL);
			alg = hv_le16(buf + p);
			b = find_bank(info, alg);
			if (!b)
				return fail(
				    err, p,
				    "digest algorithm not in the Spec ID "
				    "header",
				    -EINVAL);
			for (j = 0; j < i; j++)
				if (ev.d[j].alg == alg)
					return fail(err, p,
						    "digest algorithm repeated "
						    "in one record",
						    -EINVAL);
			if (!hv_fits(p + 2, b->size, len))
				return fail(err, p + 2, "truncated digest",
					    -EINVAL);
			ev.d[i].alg = alg;
			ev.d[i].size = b->size;
			ev.d[i].digest = buf + p + 2;
			p += 2 + (size_t)b->size;
		}
		if (!hv_fits(p, 4, len))
			return fail(err, p, "truncated eventSize", -EINVAL);
		ev.data_len = hv_le32(buf + p);
		if (!hv_fits(p + 4, ev.data_len, len))
			return fail(err, p, "event data runs past the end",
				    -EINVAL);
		ev.data = buf + p + 4;
		p += 4 + (size_t)ev.data_len;

		if (ev.type == TCG_EV_NO_ACTION && ev.data_len >= 17 &&
		    !memcmp(ev.data, TCG_STARTUP_LOCALITY_SIGNATURE,
			    sizeof(TCG_STARTUP_LOCALITY_SIGNATURE))) {
			if (ev.pcr != 0 || info->startup_locality >= 0 ||
			    info->nevents != 0)
				return fail(err, off,
					    "StartupLocality event not first "
					    "or not for PCR 0",
					    -EINVAL);
			info->startup_locality = ev.data[16];
		}
		info->nevents++;
		if (cb) {
			rc = cb(ctx, &ev);
			if (rc)
				return fail(err, off, "event refused", rc);
		}
		off = p;
	}
	return 0;
}

const uint8_t *att_event_digest(const struct att_event *ev, uint16_t alg)
{
	uint32_t i;

	for (i = 0; i < ev->ndigests && i < ATT_MAX_BANKS; i++)
		if (ev->d[i].alg == alg)
			return ev->d[i].digest;
	return NULL;
}

struct replay_ctx {
	struct att_replay *rp;
	att_hash2_fn hash;
	void *hctx;
	struct att_err *err;
};

static int replay_one(void *ctx, const struct att_event *ev)
{
	struct replay_ctx *rc = ctx;
	struct att_replay *rp = rc->rp;
	uint8_t out[ATT_MAX_DIGEST];
	const uint8_t *d;
	int ret;

	/* EV_NO_ACTION records are informational: never extended (PFP 10.4.1) */
	if (ev->type == TCG_EV_NO_ACTION)
		return 0;
	d = att_event_digest(ev, rp->alg);
	if (!d)
		return -ENOENT;
	ret = rc->hash(rc->hctx, rp->alg, rp->pcr[ev->pcr], rp->size, d,
		       rp->size, out);
	if (ret)
		return ret;
	memcpy(rp->pcr[ev->pcr], out, rp->size);
	rp->extended_mask |= 1u << ev->pcr;
	return 0;
}

int att_log_replay(const uint8_t *buf, size_t len, uint16_t alg,
		   att_hash2_fn hash, void *hctx, struct att_replay *rp,
		   struct att_err *err)
{
	struct att_log_info info;
	struct replay_ctx ctx;
	const struct att_bank *b;
	int rc;

	if (!rp || !hash)
		return -EINVAL;
	memset(rp, 0, sizeof(*rp));
	ctx.rp = rp;
	ctx.hash = hash;
	ctx.hctx = hctx;
	ctx.err = err;
	/* First pass validates the whole structure before anything is used. */
	rc = att_log_parse(buf, len, &info, NULL, NULL, err);
	if (rc)
		return rc;
	b = find_bank(&info, alg);
	if (!b)
		return fail(err, 0, "log has no digests for the requested bank",
			    -ENOENT);
	rp->alg = alg;
	rp->size = b->size;
	if (info.startup_locality >= 0)
		rp->pcr[0][b->size - 1] = (uint8_t)info.startup_locality;
	rc = att_log_parse(buf, len, NULL, replay_one, &ctx, err);
	if (rc == -ENOENT && err)
		err->what = "record lacks a digest for the replayed bank";
	return rc;
}

int att_event_tag(const struct att_event *ev, uint32_t *tag_id,
		  struct att_err *err)
{
	const size_t hsz = sizeof(struct tcg_tagged_event_hdr);
	const char *name;
	uint32_t id, size;

	if (ev->type != TCG_EV_EVENT_TAG)
		return fail(err, ev->offset, "not an EV_EVENT_TAG record",
			    -EINVAL);
	if (ev->data_len < hsz)
		return fail(err, ev->offset, "tagged event data too short",
			    -EINVAL);
	id = hv_le32(ev->data);
	size = hv_le32(ev->data + 4);
	if (size != ev->data_len - hsz)
		return fail(err, ev->offset,
			    "taggedEventDataSize disagrees with eventSize",
			    -EINVAL);
	name = att_tag_name(id);
	if (!name)
		return fail(err, ev->offset, "unknown thinhv tagged event ID",
			    -EINVAL);
	if (strlen(name) != size || memcmp(ev->data + hsz, name, size))
		return fail(err, ev->offset,
			    "tagged event data is not the tag's name", -EINVAL);
	*tag_id = id;
	return 0;
}

size_t att_isolation_size(uint32_t ndevices, uint32_t nranges)
{
	uint64_t n = ATT_ISO_HDR_SIZE + (uint64_t)ndevices * ATT_ISO_DEV_SIZE +
		     (uint64_t)nranges * ATT_ISO_RANGE_SIZE;

	return n > (uint64_t)(size_t)-1 / 2 ? 0 : (size_t)n;
}

static uint32_t dev_key(const struct att_iso_device *d)
{
	return ((uint32_t)d->segment << 16) | ((uint32_t)d->bus << 8) |
	       d->devfn;
}

int att_isolation_encode(const struct att_iso_device *dev, uint32_t ndevices,
			 const struct att_iso_range *rng, uint32_t nranges,
			 uint8_t *out, size_t cap, size_t *len)
{
	size_t need = att_isolation_size(ndevices, nranges), off;
	uint32_t i;

	if (!out || !len || (ndevices && !dev) || (nranges && !rng) || !need)
		return -EINVAL;
	for (i = 0; i < ndevices; i++)
		if (i && dev_key(&dev[i]) <= dev_key(&dev[i - 1]))
			return -EINVAL; /* unsorted or duplicate device */
	for (i = 0; i < nranges; i++) {
		if (rng[i].len == 0 || rng[i].base + rng[i].len < rng[i].base)
			return -EINVAL;
		if (i && (rng[i].base < rng[i - 1].base ||
			  (rng[i].base == rng[i - 1].base &&
			   rng[i].len <= rng[i - 1].len)))
			return -EINVAL; /* unsorted or duplicate range */
	}
	if (need > cap)
		return -ENOSPC;
	memcpy(out, ATT_ISO_MAGIC, 8);
	hv_put_le32(out + 8, ndevices);
	hv_put_le32(out + 12, nranges);
	off = ATT_ISO_HDR_SIZE;
	for (i = 0; i < ndevices; i++, off += ATT_ISO_DEV_SIZE) {
		hv_put_le16(out + off, dev[i].segment);
		out[off + 2] = dev[i].bus;
		out[off + 3] = dev[i].devfn;
		hv_put_le32(out + off + 4, dev[i].domain);
		hv_put_le32(out + off + 8, dev[i].flags);
	}
	for (i = 0; i < nranges; i++, off += ATT_ISO_RANGE_SIZE) {
		hv_put_le64(out + off, rng[i].base);
		hv_put_le64(out + off + 8, rng[i].len);
		hv_put_le32(out + off + 16, rng[i].kind);
		hv_put_le32(out + off + 20, rng[i].access);
	}
	*len = off;
	return 0;
}
