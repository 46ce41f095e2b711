// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_acpi.c - DMAR/IVRS decoder tests (host userspace): hand-made tables
 * with every record type, malformed tables with the diagnostic and offset
 * they must produce, every prefix of every corpus table (no out-of-bounds
 * read under ASan), and structural invariants over ../shared/acpi-corpus.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "thinhv/acpi.h"

#define MAX_DIAGS 64
#define MAX_RECS 64

/* ---------------------------------------------------------- helpers */

static uint8_t *load(const char *rel, size_t *len)
{
	char path[4096];
	FILE *f;
	uint8_t *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", unit_srcdir(), rel);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Everything a visitor saw, copied out (views stay valid with the buffer). */
struct seen {
	struct acpi_dmar dmar;
	struct acpi_ivrs ivrs;
	struct acpi_diag diags[MAX_DIAGS];
	unsigned int ndiag;
	struct acpi_dmar_drhd drhd[MAX_RECS];
	unsigned int ndrhd;
	struct acpi_dmar_rmrr rmrr[MAX_RECS];
	unsigned int nrmrr;
	struct acpi_dmar_atsr atsr;
	struct acpi_dmar_rhsa rhsa;
	struct acpi_dmar_andd andd;
	struct acpi_dmar_satc satc;
	unsigned int natsr, nrhsa, nandd, nsatc, nunknown;
	struct acpi_ivhd ivhd[MAX_RECS];
	unsigned int nivhd;
	struct acpi_ivmd ivmd[MAX_RECS];
	unsigned int nivmd;
	int abort_with; /* a visitor returns this when non-zero */
};

static void s_diag(void *ctx, const struct acpi_diag *d)
{
	struct seen *s = ctx;

	if (s->ndiag < MAX_DIAGS)
		s->diags[s->ndiag++] = *d;
}

static int s_dmar(void *ctx, const struct acpi_dmar *t)
{
	((struct seen *)ctx)->dmar = *t;
	return 0;
}

static int s_drhd(void *ctx, const struct acpi_dmar_drhd *r)
{
	struct seen *s = ctx;

	if (s->ndrhd < MAX_RECS)
		s->drhd[s->ndrhd++] = *r;
	return s->abort_with;
}

static int s_rmrr(void *ctx, const struct acpi_dmar_rmrr *r)
{
	struct seen *s = ctx;

	if (s->nrmrr < MAX_RECS)
		s->rmrr[s->nrmrr++] = *r;
	return 0;
}

static int s_atsr(void *ctx, const struct acpi_dmar_atsr *r)
{
	struct seen *s = ctx;

	s->atsr = *r;
	s->natsr++;
	return 0;
}

static int s_rhsa(void *ctx, const struct acpi_dmar_rhsa *r)
{
	struct seen *s = ctx;

	s->rhsa = *r;
	s->nrhsa++;
	return 0;
}

static int s_andd(void *ctx, const struct acpi_dmar_andd *r)
{
	struct seen *s = ctx;

	s->andd = *r;
	s->nandd++;
	return 0;
}

static int s_satc(void *ctx, const struct acpi_dmar_satc *r)
{
	struct seen *s = ctx;

	s->satc = *r;
	s->nsatc++;
	return 0;
}

static int s_unknown(void *ctx, uint32_t off, uint32_t type, const uint8_t *rec,
		     uint32_t len)
{
	((struct seen *)ctx)->nunknown++;
	return 0;
}

static int s_ivrs(void *ctx, const struct acpi_ivrs *t)
{
	((struct seen *)ctx)->ivrs = *t;
	return 0;
}

static int s_ivhd(void *ctx, const struct acpi_ivhd *h)
{
	struct seen *s = ctx;

	if (s->nivhd < MAX_RECS)
		s->ivhd[s->nivhd++] = *h;
	return s->abort_with;
}

static int s_ivmd(void *ctx, const struct acpi_ivmd *m)
{
	struct seen *s = ctx;

	if (s->nivmd < MAX_RECS)
		s->ivmd[s->nivmd++] = *m;
	return 0;
}

static int parse(const uint8_t *buf, size_t len, struct seen *s)
{
	struct acpi_dmar_visitor dv = {
		.ctx = s,
		.table = s_dmar,
		.drhd = s_drhd,
		.rmrr = s_rmrr,
		.atsr = s_atsr,
		.rhsa = s_rhsa,
		.andd = s_andd,
		.satc = s_satc,
		.unknown = s_unknown,
		.diag = s_diag,
	};
	struct acpi_ivrs_visitor iv = {
		.ctx = s,
		.table = s_ivrs,
		.ivhd = s_ivhd,
		.ivmd = s_ivmd,
		.unknown = s_unknown,
		.diag = s_diag,
	};

	if (acpi_table_identify(buf, len) == ACPI_TABLE_IVRS)
		return acpi_ivrs_parse(buf, len, &iv);
	return acpi_dmar_parse(buf, len, &dv);
}

static const struct acpi_diag *
find_diag(const struct seen *s, enum acpi_diag_code code, uint32_t offset)
{
	for (unsigned int i = 0; i < s->ndiag; i++)
		if (s->diags[i].code == code && s->diags[i].offset == offset)
			return &s->diags[i];
	return NULL;
}

/* ------------------------------------------------------------- DMAR */

static void test_dmar_all_types(void)
{
	struct seen *s = calloc(1, sizeof(*s));
	struct acpi_dmar_scope sc;
	uint32_t cur = 0;
	size_t len;
	uint8_t *buf = load("tests/data/acpi/dmar_all_types.dat", &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	CU_ASSERT_EQUAL(parse(buf, len, s), 0);
	CU_ASSERT_EQUAL(s->ndiag, 0);
	CU_ASSERT_TRUE(s->dmar.hdr.checksum_ok);
	CU_ASSERT_STRING_EQUAL(s->dmar.hdr.oem_id, "THINHV");
	CU_ASSERT_EQUAL(s->dmar.host_addr_width, 38);
	CU_ASSERT_EQUAL(s->dmar.flags, ACPI_DMAR_INTR_REMAP |
					   ACPI_DMAR_X2APIC_OPT_OUT |
					   ACPI_DMAR_DMA_CTRL_PLATFORM_OPT_IN);

	CU_ASSERT_EQUAL_FATAL(s->ndrhd, 2);
	CU_ASSERT_EQUAL(s->drhd[0].offset, 48);
	CU_ASSERT_EQUAL(s->drhd[0].base, 0xfed90000ull);
	CU_ASSERT_EQUAL(acpi_dmar_drhd_reg_size(&s->drhd[0]), 8192);
	CU_ASSERT_FALSE(s->drhd[0].flags & ACPI_DMAR_DRHD_INCLUDE_PCI_ALL);
	CU_ASSERT_EQUAL(s->drhd[0].scopes.count, 3);
	CU_ASSERT_TRUE(acpi_dmar_scope_next(&s->drhd[0].scopes, &cur, &sc));
	CU_ASSERT_EQUAL(sc.type, ACPI_DMAR_SCOPE_PCI_ENDPOINT);
	CU_ASSERT_EQUAL(sc.offset, 64);
	CU_ASSERT_EQUAL(sc.path_count, 1);
	CU_ASSERT_EQUAL(sc.path[0], 2);
	CU_ASSERT_TRUE(acpi_dmar_scope_next(&s->drhd[0].scopes, &cur, &sc));
	CU_ASSERT_EQUAL(sc.type, ACPI_DMAR_SCOPE_PCI_SUBHIERARCHY);
	CU_ASSERT_EQUAL(sc.path_count, 2);
	CU_ASSERT_EQUAL(sc.path[0], 0x1c);
	CU_ASSERT_TRUE(acpi_dmar_scope_next(&s->drhd[0].scopes, &cur, &sc));
	CU_ASSERT_EQUAL(sc.type, ACPI_DMAR_SCOPE_ACPI_NAMESPACE);
	CU_ASSERT_EQUAL(sc.enum_id, 7);
	CU_ASSERT_FALSE(acpi_dmar_scope_next(&s->drhd[0].scopes, &cur, &sc));

	CU_ASSERT_TRUE(s->drhd[1].flags & ACPI_DMAR_DRHD_INCLUDE_PCI_ALL);
	CU_ASSERT_EQUAL(s->drhd[1].base, 0xfed91000ull);
	CU_ASSERT_EQUAL(acpi_dmar_drhd_reg_size(&s->drhd[1]), 4096);
	cur = 0;
	CU_ASSERT_TRUE(acpi_dmar_scope_next(&s->drhd[1].scopes, &cur, &sc));
	CU_ASSERT_EQUAL(sc.type, ACPI_DMAR_SCOPE_IOAPIC);
	CU_ASSERT_EQUAL(sc.enum_id, 2);
	CU_ASSERT_EQUAL(sc.start_bus, 0xf0);
	CU_ASSERT_TRUE(acpi_dmar_scope_next(&s->drhd[1].scopes, &cur, &sc));
	CU_ASSERT_EQUAL(sc.type, ACPI_DMAR_SCOPE_HPET);

	CU_ASSERT_EQUAL_FATAL(s->nrmrr, 1);
	CU_ASSERT_EQUAL(s->rmrr[0].base, 0x7c000000ull);
	CU_ASSERT_EQUAL(s->rmrr[0].limit, 0x7c7fffffull);
	CU_ASSERT_EQUAL(s->rmrr[0].scopes.count, 1);
	CU_ASSERT_EQUAL(s->natsr, 1);
	CU_ASSERT_TRUE(s->atsr.flags & ACPI_DMAR_ATSR_ALL_PORTS);
	CU_ASSERT_EQUAL(s->atsr.scopes.count, 0);
	CU_ASSERT_EQUAL(s->nrhsa, 1);
	CU_ASSERT_EQUAL(s->rhsa.base, 0xfed91000ull);
	CU_ASSERT_EQUAL(s->rhsa.proximity_domain, 1);
	CU_ASSERT_EQUAL(s->nandd, 1);
	CU_ASSERT_EQUAL(s->andd.device_number, 7);
	CU_ASSERT_EQUAL(s->andd.name_len, 14);
	CU_ASSERT_EQUAL(memcmp(s->andd.name, "\\_SB.PCI0.I2C1", 14), 0);
	CU_ASSERT_EQUAL(s->nsatc, 1);
	CU_ASSERT_EQUAL(s->satc.type, ACPI_DMAR_TYPE_SATC);
	CU_ASSERT_TRUE(s->satc.flags & ACPI_DMAR_SATC_ATC_REQUIRED);
	CU_ASSERT_EQUAL(s->satc.scopes.count, 1);
	free(buf);
	free(s);
}

struct malformed_case {
	const char *file;
	int rc;
	enum acpi_diag_code code;
	uint32_t offset;
	enum acpi_severity sev;
};

static const struct malformed_case malformed[] = {
	{ "dmar_zero_length.dat", -EINVAL, ACPI_D_REC_ZERO_LENGTH, 0x48,
	  ACPI_SEV_ERROR },
	{ "dmar_overrun.dat", -EINVAL, ACPI_D_REC_OVERRUN, 0x48,
	  ACPI_SEV_ERROR },
	{ "dmar_bad_checksum.dat", 0, ACPI_D_BAD_CHECKSUM, 9, ACPI_SEV_WARN },
	{ "dmar_truncated_header.dat", -ENODATA, ACPI_D_TABLE_TRUNCATED, 0,
	  ACPI_SEV_ERROR },
	{ "dmar_truncated_table.dat", -EINVAL, ACPI_D_LENGTH_EXCEEDS_BUFFER, 4,
	  ACPI_SEV_ERROR },
	{ "dmar_unknown_type.dat", 0, ACPI_D_REC_UNKNOWN_TYPE, 0x48,
	  ACPI_SEV_WARN },
	{ "dmar_huge_scope.dat", -EINVAL, ACPI_D_SCOPE_OVERRUN, 0x40,
	  ACPI_SEV_ERROR },
	{ "ivrs_zero_length.dat", -EINVAL, ACPI_D_REC_ZERO_LENGTH, 0x30,
	  ACPI_SEV_ERROR },
	{ "ivrs_entry_overrun.dat", -EINVAL, ACPI_D_ENTRY_OVERRUN, 0x50,
	  ACPI_SEV_ERROR },
	{ "ivrs_unknown_entry.dat", -EINVAL, ACPI_D_ENTRY_UNKNOWN_LENGTH, 0x5c,
	  ACPI_SEV_ERROR },
	{ "ivrs_unknown_entry.dat", -EINVAL, ACPI_D_ENTRY_UNKNOWN_TYPE, 0x4c,
	  ACPI_SEV_WARN },
	{ "ivrs_range_errors.dat", 0, ACPI_D_RANGE_END_WITHOUT_START, 0x48,
	  ACPI_SEV_WARN },
	{ "ivrs_range_errors.dat", 0, ACPI_D_RANGE_START_WITHOUT_END, 0x4c,
	  ACPI_SEV_WARN },
	{ "ivrs_range_errors.dat", 0, ACPI_D_RANGE_REVERSED, 0x58,
	  ACPI_SEV_WARN },
	{ "ivrs_unknown_type.dat", 0, ACPI_D_REC_UNKNOWN_TYPE, 0x30,
	  ACPI_SEV_WARN },
};

static void test_malformed_api(void)
{
	for (size_t i = 0; i < HV_ARRAY_SIZE(malformed); i++) {
		const struct malformed_case *c = &malformed[i];
		struct seen *s = calloc(1, sizeof(*s));
		const struct acpi_diag *d;
		char rel[256];
		size_t len;
		uint8_t *buf;
		int rc;

		snprintf(rel, sizeof(rel), "tests/data/acpi/%s", c->file);
		buf = load(rel, &len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
		rc = parse(buf, len, s);
		if (rc != c->rc)
			fprintf(stderr, "\n%s: rc %d, want %d\n", c->file, rc,
				c->rc);
		CU_ASSERT_EQUAL(rc, c->rc);
		d = find_diag(s, c->code, c->offset);
		if (!d)
			fprintf(stderr, "\n%s: no diag '%s' at 0x%x\n", c->file,
				acpi_diag_text(c->code), c->offset);
		CU_ASSERT_PTR_NOT_NULL(d);
		if (d)
			CU_ASSERT_EQUAL(d->severity, c->sev);
		free(buf);
		free(s);
	}
}

/* Decoding continues after an unknown record; stops at a zero length. */
static void test_dmar_continue_and_stop(void)
{
	struct seen *s = calloc(1, sizeof(*s));
	size_t len;
	uint8_t *buf = load("tests/data/acpi/dmar_unknown_type.dat", &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	CU_ASSERT_EQUAL(parse(buf, len, s), 0);
	CU_ASSERT_EQUAL(s->ndrhd, 1);
	CU_ASSERT_EQUAL(s->nunknown, 1);
	CU_ASSERT_EQUAL(s->nrmrr, 1); /* the RMRR after the unknown record */
	free(buf);

	memset(s, 0, sizeof(*s));
	buf = load("tests/data/acpi/dmar_huge_scope.dat", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	CU_ASSERT_EQUAL(parse(buf, len, s), -EINVAL);
	/* The unit is still reported, with an empty (validated) scope view. */
	CU_ASSERT_EQUAL_FATAL(s->ndrhd, 1);
	CU_ASSERT_EQUAL(s->drhd[0].scopes.count, 0);
	CU_ASSERT_EQUAL(s->drhd[0].scopes.len, 0);
	free(buf);

	memset(s, 0, sizeof(*s));
	buf = load("tests/data/acpi/dmar_zero_length.dat", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	CU_ASSERT_EQUAL(parse(buf, len, s), -EINVAL);
	CU_ASSERT_EQUAL(s->ndrhd, 1);
	CU_ASSERT_EQUAL(s->nrmrr, 0);
	free(buf);
	free(s);
}

static void test_visitor_abort(void)
{
	struct seen *s = calloc(1, sizeof(*s));
	size_t len;
	uint8_t *buf = load("tests/data/acpi/dmar_all_types.dat", &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	s->abort_with = -EINTR;
	CU_ASSERT_EQUAL(parse(buf, len, s), -EINTR);
	CU_ASSERT_EQUAL(s->ndrhd, 1);
	CU_ASSERT_EQUAL(s->nrmrr, 0);
	free(buf);
	free(s);
}

/* Wrong signature and NULL buffers are refused, not decoded. */
static void test_signature(void)
{
	struct seen *s = calloc(1, sizeof(*s));
	size_t len;
	uint8_t *buf = load("tests/data/acpi/dmar_all_types.dat", &len);
	struct acpi_ivrs_visitor iv = { .ctx = s, .diag = s_diag };

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	CU_ASSERT_EQUAL(acpi_ivrs_parse(buf, len, &iv), -ENODATA);
	CU_ASSERT_PTR_NOT_NULL(find_diag(s, ACPI_D_BAD_SIGNATURE, 0));
	CU_ASSERT_EQUAL(acpi_ivrs_parse(NULL, 0, &iv), -ENODATA);
	CU_ASSERT_EQUAL(acpi_table_identify(buf, 3), ACPI_TABLE_UNKNOWN);

	/* A declared length of 0: nothing is walked, nothing is "ok". */
	memset(s, 0, sizeof(*s));
	hv_put_le32(buf + 4, 0);
	CU_ASSERT_EQUAL(parse(buf, len, s), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(find_diag(s, ACPI_D_LENGTH_TOO_SMALL, 4));
	CU_ASSERT_FALSE(s->dmar.hdr.checksum_ok);
	CU_ASSERT_EQUAL(s->ndrhd, 0);
	free(buf);
	free(s);
}

/* A fake PCI topology for path resolution: 00:1c.0 bridges to bus 3. */
static int fake_secbus(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev,
		       uint8_t fn, uint8_t *secbus)
{
	(*(int *)ctx)++;
	if (seg == 0 && bus == 0 && dev == 0x1c && fn == 0) {
		*secbus = 3;
		return 0;
	}
	return -ENODEV;
}

static void test_scope_resolve(void)
{
	static const uint8_t two[] = { 0x1c, 0, 0, 0 };
	static const uint8_t bad_bridge[] = { 0x1d, 0, 0, 0 };
	static const uint8_t bad_dev[] = { 0x20, 0 };
	struct acpi_dmar_scope s = { .type = ACPI_DMAR_SCOPE_PCI_ENDPOINT };
	uint16_t bdf = 0;
	int calls = 0;

	s.start_bus = 0;
	s.path = two;
	s.path_count = 1;
	CU_ASSERT_EQUAL(
	    acpi_dmar_scope_resolve(&s, 0, fake_secbus, &calls, &bdf), 0);
	CU_ASSERT_EQUAL(bdf, 0x00e0); /* 00:1c.0 */
	CU_ASSERT_EQUAL(calls, 0);
	s.path_count = 2;
	CU_ASSERT_EQUAL(
	    acpi_dmar_scope_resolve(&s, 0, fake_secbus, &calls, &bdf), 0);
	CU_ASSERT_EQUAL(bdf, 0x0300); /* 03:00.0 behind the bridge */
	CU_ASSERT_EQUAL(calls, 1);
	s.path = bad_bridge;
	CU_ASSERT_EQUAL(
	    acpi_dmar_scope_resolve(&s, 0, fake_secbus, &calls, &bdf), -ENODEV);
	s.path = bad_dev;
	s.path_count = 1;
	CU_ASSERT_EQUAL(
	    acpi_dmar_scope_resolve(&s, 0, fake_secbus, &calls, &bdf), -EINVAL);
	s.path_count = 0;
	CU_ASSERT_EQUAL(
	    acpi_dmar_scope_resolve(&s, 0, fake_secbus, &calls, &bdf), -EINVAL);
}

/*
 * Topology behind dmar_all_types.dat's first unit: 00:1c.0 bridges to
 * buses 3-5, and 03:00.0 (the scope's second path element) to buses 4-5.
 */
static int fake_bridges(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev,
			uint8_t fn, uint8_t *sec, uint8_t *sub)
{
	if (ctx)
		return -EIO; /* a failing config read */
	if (seg == 0 && bus == 0 && dev == 0x1c && fn == 0) {
		*sec = 3;
		*sub = 5;
		return 0;
	}
	if (seg == 0 && bus == 3 && dev == 0 && fn == 0) {
		*sec = 4;
		*sub = 5;
		return 0;
	}
	return -ENODEV;
}

static void test_dmar_find_unit(void)
{
	static const struct {
		uint16_t bdf;
		uint64_t base; /* expected unit */
	} cases[] = {
		{ 0x0010, 0xfed90000 }, /* 00:02.0 endpoint scope */
		{ 0x0300, 0xfed90000 }, /* 03:00.0 the sub-hierarchy bridge */
		{ 0x0400, 0xfed90000 }, /* 04:00.0 behind it */
		{ 0x05ff, 0xfed90000 }, /* 05:1f.7 behind it */
		{ 0x0308, 0xfed91000 }, /* 03:01.0 beside it: INCLUDE_PCI_ALL */
		{ 0x00a9, 0xfed91000 }, /* 00:15.1 namespace scope, not PCI */
		{ 0x00f8, 0xfed91000 }, /* 00:1f.0 */
	};
	struct acpi_pci_ops pci = { .bridge_buses = fake_bridges };
	struct acpi_pci_ops failing = { .ctx = &pci,
					.bridge_buses = fake_bridges };
	struct seen *s = calloc(1, sizeof(*s));
	struct acpi_dmar_drhd u;
	size_t len;
	uint8_t *buf = load("tests/data/acpi/dmar_all_types.dat", &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	for (size_t i = 0; i < HV_ARRAY_SIZE(cases); i++) {
		memset(&u, 0, sizeof(u));
		CU_ASSERT_EQUAL(
		    acpi_dmar_find_unit(buf, len, 0, cases[i].bdf, &pci, &u),
		    0);
		if (u.base != cases[i].base)
			fprintf(stderr, "\nbdf 0x%04x: unit 0x%llx\n",
				cases[i].bdf, (unsigned long long)u.base);
		CU_ASSERT_EQUAL(u.base, cases[i].base);
	}
	/* No unit in segment 1; an unresolvable path or a failing config
	 * read is an error, never a guessed unit. */
	CU_ASSERT_EQUAL(acpi_dmar_find_unit(buf, len, 1, 0x10, &pci, &u),
			-ENOENT);
	CU_ASSERT_EQUAL(acpi_dmar_find_unit(buf, len, 0, 0x400, NULL, &u),
			-EINVAL);
	CU_ASSERT_EQUAL(acpi_dmar_find_unit(buf, len, 0, 0x400, &failing, &u),
			-EIO);

	/* RMRR: the reserved range applies to 00:14.0 only. */
	CU_ASSERT_EQUAL(parse(buf, len, s), 0);
	CU_ASSERT_EQUAL(acpi_dmar_scopes_match(&s->rmrr[0].scopes,
					       s->rmrr[0].segment, 0, 0x00a0,
					       &pci),
			1);
	CU_ASSERT_EQUAL(acpi_dmar_scopes_match(&s->rmrr[0].scopes,
					       s->rmrr[0].segment, 0, 0x00a1,
					       &pci),
			0);
	CU_ASSERT_EQUAL(acpi_dmar_scopes_match(&s->rmrr[0].scopes,
					       s->rmrr[0].segment, 1, 0x00a0,
					       &pci),
			0);
	free(buf);

	/* A table with errors cannot answer. */
	buf = load("tests/data/acpi/dmar_huge_scope.dat", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	CU_ASSERT_EQUAL(acpi_dmar_find_unit(buf, len, 0, 0x10, &pci, &u),
			-EINVAL);
	free(buf);
	free(s);
}

/* ------------------------------------------------------------- IVRS */

static void test_ivrs_all_types(void)
{
	struct seen *s = calloc(1, sizeof(*s));
	struct acpi_ivhd_entry e;
	struct acpi_ivhd_devset d;
	uint32_t cur = 0;
	unsigned int n = 0, hid = 0;
	size_t len;
	uint8_t *buf = load("tests/data/acpi/ivrs_all_types.dat", &len);
	/* Expected resolved sets: kind, first, last, alias (0 = none). */
	static const struct {
		enum acpi_devset_kind kind;
		uint16_t first, last, alias;
	} want[] = {
		{ ACPI_DEVSET_ALL, 0, 0xffff, 0 },
		{ ACPI_DEVSET_RANGE, 0x0010, 0x0010, 0 },
		{ ACPI_DEVSET_RANGE, 0x0100, 0x01ff, 0 },
		{ ACPI_DEVSET_RANGE, 0x0200, 0x0200, 0x0208 },
		{ ACPI_DEVSET_RANGE, 0x0300, 0x03ff, 0x0308 },
		{ ACPI_DEVSET_RANGE, 0x0400, 0x0400, 0 },
		{ ACPI_DEVSET_RANGE, 0x0500, 0x05ff, 0 },
		{ ACPI_DEVSET_SPECIAL, 0x00a0, 0x00a0, 0 },
		{ ACPI_DEVSET_SPECIAL, 0x00a0, 0x00a0, 0 },
		{ ACPI_DEVSET_ACPI_HID, 0x00a5, 0x00a5, 0 },
		{ ACPI_DEVSET_ACPI_HID, 0x00a6, 0x00a6, 0 },
		{ ACPI_DEVSET_ACPI_HID, 0x00a7, 0x00a7, 0 },
	};

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	CU_ASSERT_EQUAL(parse(buf, len, s), 0);
	CU_ASSERT_EQUAL(s->ndiag, 0);
	CU_ASSERT_EQUAL(s->ivrs.ivinfo, 0x00203043u);
	CU_ASSERT_EQUAL(acpi_ivinfo_pa_size(s->ivrs.ivinfo), 48);
	CU_ASSERT_EQUAL(acpi_ivinfo_va_size(s->ivrs.ivinfo), 64);
	CU_ASSERT_EQUAL(acpi_ivinfo_gva_size(s->ivrs.ivinfo), 2);
	CU_ASSERT_TRUE(s->ivrs.ivinfo & ACPI_IVINFO_EFR_SUP);
	CU_ASSERT_TRUE(s->ivrs.ivinfo & ACPI_IVINFO_DMA_GUARD_OPT_IN);
	CU_ASSERT_EQUAL_FATAL(s->nivhd, 3);
	CU_ASSERT_EQUAL(s->ivhd[0].type, 0x10);
	CU_ASSERT_EQUAL(s->ivhd[1].type, 0x11);
	CU_ASSERT_EQUAL(s->ivhd[2].type, 0x40);
	CU_ASSERT_EQUAL(s->ivhd[0].efr, 0);
	CU_ASSERT_EQUAL(s->ivhd[2].efr, 0x246577efa2254afaull);
	CU_ASSERT_EQUAL(s->ivhd[2].base, 0xfd200000ull);
	CU_ASSERT_EQUAL(s->ivhd[2].iommu_devid, 2);
	CU_ASSERT_EQUAL(s->ivhd[2].cap_offset, 0x40);
	CU_ASSERT_EQUAL(s->ivhd[2].info, 0x13);
	CU_ASSERT_EQUAL(s->ivhd[2].entries.count, 17);
	/* One IOMMU described three times: 40h wins, or 11h for an older
	 * driver; never the 10h block. */
	CU_ASSERT_TRUE(acpi_ivhd_preferred(buf, len, &s->ivhd[2], 0x40));
	CU_ASSERT_FALSE(acpi_ivhd_preferred(buf, len, &s->ivhd[1], 0x40));
	CU_ASSERT_FALSE(acpi_ivhd_preferred(buf, len, &s->ivhd[0], 0x40));
	CU_ASSERT_TRUE(acpi_ivhd_preferred(buf, len, &s->ivhd[1], 0x11));
	CU_ASSERT_FALSE(acpi_ivhd_preferred(buf, len, &s->ivhd[2], 0x11));

	while (acpi_ivhd_entry_next(&s->ivhd[2].entries, &cur, &e)) {
		if (e.type == ACPI_IVHD_DEV_EXT_SELECT)
			CU_ASSERT_EQUAL(e.ext_dte, 0x80000000u);
		if (e.type == ACPI_IVHD_DEV_SPECIAL && e.variety == 1) {
			CU_ASSERT_EQUAL(e.handle, 0x21);
			CU_ASSERT_EQUAL(e.source_devid, 0xa0);
			CU_ASSERT_EQUAL(e.dte, 0xd7);
		}
		if (e.type != ACPI_IVHD_DEV_ACPI_HID)
			continue;
		if (hid == 0) {
			CU_ASSERT_STRING_EQUAL(e.hid, "AMDI0020");
			CU_ASSERT_STRING_EQUAL(e.cid, "");
			CU_ASSERT_EQUAL(e.uid_format, ACPI_IVHD_UID_STRING);
			CU_ASSERT_EQUAL(e.uid_len, 9);
			CU_ASSERT_EQUAL(memcmp(e.uid, "\\_SB.FUR0", 9), 0);
			CU_ASSERT_EQUAL(e.length, 31);
		} else if (hid == 1) {
			CU_ASSERT_STRING_EQUAL(e.cid, "PNP0C50");
			CU_ASSERT_EQUAL(e.uid_format, ACPI_IVHD_UID_INTEGER);
			CU_ASSERT_EQUAL(e.uid_len, 2);
			CU_ASSERT_EQUAL(e.uid[0] | e.uid[1] << 8, 513);
		} else {
			CU_ASSERT_EQUAL(e.uid_format, ACPI_IVHD_UID_NONE);
			CU_ASSERT_EQUAL(e.length, 22);
		}
		hid++;
	}
	CU_ASSERT_EQUAL(hid, 3);

	cur = 0;
	while (acpi_ivhd_devset_next(&s->ivhd[2].entries, &cur, &d)) {
		CU_ASSERT_FATAL(n < HV_ARRAY_SIZE(want));
		CU_ASSERT_EQUAL(d.kind, want[n].kind);
		CU_ASSERT_EQUAL(d.first, want[n].first);
		CU_ASSERT_EQUAL(d.last, want[n].last);
		CU_ASSERT_EQUAL(d.has_alias, want[n].alias != 0);
		if (want[n].alias)
			CU_ASSERT_EQUAL(d.alias, want[n].alias);
		n++;
	}
	CU_ASSERT_EQUAL(n, HV_ARRAY_SIZE(want));

	CU_ASSERT_EQUAL_FATAL(s->nivmd, 3);
	CU_ASSERT_EQUAL(s->ivmd[0].first_devid, 0);
	CU_ASSERT_EQUAL(s->ivmd[0].last_devid, 0xffff);
	CU_ASSERT_EQUAL(s->ivmd[1].first_devid, 0x60);
	CU_ASSERT_EQUAL(s->ivmd[1].last_devid, 0x60);
	CU_ASSERT_EQUAL(s->ivmd[1].start, 0x7da00000ull);
	CU_ASSERT_EQUAL(s->ivmd[1].mem_len, 0x1000);
	CU_ASSERT_EQUAL(s->ivmd[2].first_devid, 0x100);
	CU_ASSERT_EQUAL(s->ivmd[2].last_devid, 0x1ff);
	CU_ASSERT_TRUE(s->ivmd[2].flags & ACPI_IVMD_EXCLUSION);
	CU_ASSERT_TRUE(s->ivmd[1].flags & ACPI_IVMD_UNITY);
	free(buf);
	free(s);
}

static void test_ivrs_find_iommu(void)
{
	struct acpi_ivhd h;
	struct acpi_ivhd_devset d;
	size_t len;
	uint8_t *buf = load("tests/data/acpi/ivrs_all_types.dat", &len);
	struct seen *s = calloc(1, sizeof(*s));

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	/* The 40h block answers; a later select overrides "all". */
	CU_ASSERT_EQUAL(acpi_ivrs_find_iommu(buf, len, 0, 0x0200, 0x40, &h, &d),
			0);
	CU_ASSERT_EQUAL(h.type, 0x40);
	CU_ASSERT_TRUE(d.has_alias);
	CU_ASSERT_EQUAL(d.alias, 0x0208);
	CU_ASSERT_EQUAL(acpi_ivrs_find_iommu(buf, len, 0, 0x0150, 0x11, &h, &d),
			0);
	CU_ASSERT_EQUAL(h.type, 0x11);
	CU_ASSERT_EQUAL(d.first, 0x0100);
	CU_ASSERT_EQUAL(d.last, 0x01ff);
	CU_ASSERT_EQUAL(acpi_ivrs_find_iommu(buf, len, 0, 0x4242, 0x40, &h, &d),
			0);
	CU_ASSERT_EQUAL(d.kind, ACPI_DEVSET_ALL);
	CU_ASSERT_EQUAL(acpi_ivrs_find_iommu(buf, len, 1, 0x0010, 0x40, &h, &d),
			-ENOENT);
	CU_ASSERT_EQUAL(parse(buf, len, s), 0);
	CU_ASSERT_TRUE(acpi_ivmd_applies(&s->ivmd[2], 0x0100));
	CU_ASSERT_FALSE(acpi_ivmd_applies(&s->ivmd[2], 0x0200));
	CU_ASSERT_TRUE(acpi_ivmd_applies(&s->ivmd[0], 0xffff));
	free(buf);

	/* Without an "all" entry, an unlisted device has no IOMMU. */
	buf = load("tests/data/acpi/ivrs_range_errors.dat", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	CU_ASSERT_EQUAL(acpi_ivrs_find_iommu(buf, len, 0, 0x0008, 0x40, &h, &d),
			0);
	CU_ASSERT_EQUAL(acpi_ivrs_find_iommu(buf, len, 0, 0x0150, 0x40, &h, &d),
			-ENOENT);
	free(buf);
	buf = load("tests/data/acpi/ivrs_entry_overrun.dat", &len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	CU_ASSERT_EQUAL(acpi_ivrs_find_iommu(buf, len, 0, 0x0010, 0x40, &h, &d),
			-EINVAL);
	free(buf);
	free(s);
}

/* Broken ranges resolve to nothing rather than to a guessed range. */
static void test_ivrs_range_errors_devsets(void)
{
	struct seen *s = calloc(1, sizeof(*s));
	struct acpi_ivhd_devset d;
	uint32_t cur = 0;
	unsigned int n = 0;
	size_t len;
	uint8_t *buf = load("tests/data/acpi/ivrs_range_errors.dat", &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	parse(buf, len, s);
	CU_ASSERT_EQUAL_FATAL(s->nivhd, 1);
	while (acpi_ivhd_devset_next(&s->ivhd[0].entries, &cur, &d)) {
		CU_ASSERT_EQUAL(d.first, 0x0008); /* only the select entry */
		CU_ASSERT_EQUAL(d.last, 0x0008);
		n++;
	}
	CU_ASSERT_EQUAL(n, 1);
	free(buf);
	free(s);
}

/* ------------------------------------------------ robustness / corpus */

/* Structural invariants every decoded table must satisfy. */
static void check_invariants(const uint8_t *buf, size_t len,
			     const struct seen *s, const char *name)
{
	uint32_t end = (uint32_t)(len < 0xffffffffu ? len : 0xffffffffu);
	bool ok = true;

	for (unsigned int i = 0; i < s->ndrhd; i++) {
		const struct acpi_dmar_drhd *r = &s->drhd[i];
		struct acpi_dmar_scope sc;
		uint32_t cur = 0, n = 0;

		ok &= hv_fits(r->offset, r->length, end);
		ok &= r->scopes.off >= r->offset + 16 &&
		      hv_fits(r->scopes.off, r->scopes.len,
			      r->offset + r->length);
		while (acpi_dmar_scope_next(&r->scopes, &cur, &sc)) {
			ok &= hv_fits(sc.offset, sc.length, end);
			n++;
		}
		ok &= n == r->scopes.count;
	}
	for (unsigned int i = 0; i < s->nivhd; i++) {
		const struct acpi_ivhd *h = &s->ivhd[i];
		struct acpi_ivhd_entry e;
		struct acpi_ivhd_devset d;
		uint32_t cur = 0, n = 0;

		ok &= hv_fits(h->offset, h->length, end);
		ok &= hv_fits(h->entries.off, h->entries.len,
			      h->offset + h->length);
		while (acpi_ivhd_entry_next(&h->entries, &cur, &e)) {
			ok &= hv_fits(e.offset, e.length, end);
			if (e.uid_len)
				ok &= e.uid >= buf &&
				      e.uid + e.uid_len <= buf + end;
			n++;
		}
		ok &= n == h->entries.count;
		cur = 0;
		while (acpi_ivhd_devset_next(&h->entries, &cur, &d))
			ok &= d.first <= d.last;
	}
	for (unsigned int i = 0; i < s->nrmrr; i++)
		ok &= hv_fits(s->rmrr[i].offset, s->rmrr[i].length, end);
	if (!ok)
		fprintf(stderr, "\ninvariant broken in %s\n", name);
	CU_ASSERT_TRUE(ok);
}

/*
 * Every prefix of a table, with its declared length left as is (so the
 * decoder must notice the truncation), and every byte replaced by 0x00 and
 * 0xff: the decoder must never read out of bounds (ASan in SAN=1 builds)
 * and always return a defined code.
 */
static void mutate_table(const uint8_t *tab, size_t len, bool flips)
{
	uint8_t *b = malloc(len ? len : 1);
	struct seen *s = malloc(sizeof(*s));

	for (size_t cut = 0; cut <= len; cut++) {
		uint8_t *p = malloc(cut ? cut : 1);
		int rc;

		memcpy(p, tab, cut);
		memset(s, 0, sizeof(*s));
		rc = parse(p, cut, s);
		CU_ASSERT(rc == 0 || rc == -EINVAL || rc == -ENODATA);
		if (cut >= ACPI_SDT_HEADER_LEN && len >= 8 &&
		    cut < hv_le32(tab + 4))
			CU_ASSERT_EQUAL(rc, -EINVAL); /* truncation noticed */
		free(p);
	}
	for (size_t i = 0; flips && i < len; i++) {
		for (int v = 0; v < 2; v++) {
			int rc;

			memcpy(b, tab, len);
			b[i] = v ? 0xff : 0x00;
			memset(s, 0, sizeof(*s));
			rc = parse(b, len, s);
			CU_ASSERT(rc == 0 || rc == -EINVAL || rc == -ENODATA);
			check_invariants(b, len, s, "mutation");
		}
	}
	free(s);
	free(b);
}

static void test_mutations_handmade(void)
{
	static const char *const files[] = {
		"tests/data/acpi/dmar_all_types.dat",
		"tests/data/acpi/ivrs_all_types.dat",
	};

	for (size_t i = 0; i < HV_ARRAY_SIZE(files); i++) {
		size_t len;
		uint8_t *buf = load(files[i], &len);

		CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
		mutate_table(buf, len, true);
		free(buf);
	}
}

static unsigned int corpus_dir(const char *sub, unsigned int *errors)
{
	char dir[4096];
	struct dirent *de;
	unsigned int n = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/../shared/acpi-corpus/%s", unit_srcdir(),
		 sub);
	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char rel[4600];
		struct seen *s;
		size_t len, nl = strlen(de->d_name);
		uint8_t *buf;
		int rc;

		if (nl < 5 || strcmp(de->d_name + nl - 4, ".dat"))
			continue;
		snprintf(rel, sizeof(rel), "../shared/acpi-corpus/%s/%s", sub,
			 de->d_name);
		buf = load(rel, &len);
		CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
		s = calloc(1, sizeof(*s));
		rc = parse(buf, len, s);
		CU_ASSERT(rc == 0 || rc == -EINVAL);
		if (rc)
			(*errors)++;
		if (rc == 0) /* a sound table describes at least one unit */
			CU_ASSERT(s->ndrhd + s->nivhd > 0);
		check_invariants(buf, len, s, de->d_name);
		mutate_table(buf, len, false);
		free(s);
		free(buf);
		n++;
	}
	closedir(d);
	return n;
}

static void test_corpus(void)
{
	unsigned int errors = 0;
	unsigned int nd = corpus_dir("dmar", &errors);
	unsigned int ni = corpus_dir("ivrs", &errors);

	fprintf(stderr,
		"\n  acpi corpus: %u DMAR + %u IVRS tables decoded, "
		"%u with errors ",
		nd, ni, errors);
	/* The corpus is part of the test: its absence is a failure. */
	CU_ASSERT(nd > 0);
	CU_ASSERT(ni > 0);
}

UNIT_SUITE(acpi, NULL, NULL, UNIT_TEST(test_dmar_all_types),
	   UNIT_TEST(test_malformed_api),
	   UNIT_TEST(test_dmar_continue_and_stop),
	   UNIT_TEST(test_visitor_abort), UNIT_TEST(test_signature),
	   UNIT_TEST(test_scope_resolve), UNIT_TEST(test_dmar_find_unit),
	   UNIT_TEST(test_ivrs_all_types), UNIT_TEST(test_ivrs_find_iommu),
	   UNIT_TEST(test_ivrs_range_errors_devsets),
	   UNIT_TEST(test_mutations_handmade), UNIT_TEST(test_corpus))
