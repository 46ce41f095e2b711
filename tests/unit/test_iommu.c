// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_iommu.c - DMA enforcement tables (VT-d context + second level,
 * AMD-Vi device table + I/O page tables) built from real compiled policies,
 * checked by walking them: windows map exactly what the policy says, no
 * mapping covers a protected page, every covered device has an explicit
 * entry; fault/event decoding; fault ring; table memory for a modelled
 * 1 TiB / 256-device host (host unit tests).
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "policy/lib/policy.h"
#include "thinhv/iommu.h"
#include "thinhv/iommu_host.h"
#include "thinhv/hw/vtd_regs.h"
#include "thinhv/hw/amdvi_regs.h"

#define GiB (1ull << 30)
#define MiB (1ull << 20)

/* ---- mock page allocator: fake physical addresses, fault injection ---- */
#define POOL_PA 0x7700000000ull
struct pool {
	uint8_t *mem;
	uint32_t cap, used;
	uint32_t fail_at; /* 1-based allocation number that fails; 0 never */
	uint32_t calls;
};

static int pool_alloc(void *ctx, uint64_t *pa, void **va)
{
	struct pool *p = ctx;

	p->calls++;
	if ((p->fail_at && p->calls == p->fail_at) || p->used >= p->cap)
		return -ENOMEM;
	*va = p->mem + (size_t)p->used * 4096;
	memset(*va, 0, 4096);
	*pa = POOL_PA + (uint64_t)p->used * 4096;
	p->used++;
	return 0;
}

static void *pool_virt(void *ctx, uint64_t pa)
{
	struct pool *p = ctx;

	if (pa < POOL_PA || pa >= POOL_PA + (uint64_t)p->used * 4096)
		return NULL;
	return p->mem + (pa - POOL_PA);
}

static void pool_init(struct pool *p, uint32_t pages, struct iommu_mem *m)
{
	memset(p, 0, sizeof(*p));
	p->mem = aligned_alloc(4096, (size_t)pages * 4096);
	p->cap = pages;
	m->ctx = p;
	m->alloc = pool_alloc;
	m->virt = pool_virt;
}

static void pool_free(struct pool *p)
{
	free(p->mem);
	p->mem = NULL;
}

/* ---- helpers ---------------------------------------------------------- */
static int compile_xml(const char *xml, struct pol_compiled *c,
		       struct pol_blob_view *v)
{
	struct pol_err e = { { 0 } };
	struct pol_blob_err be;
	struct pol_policy p;
	int rc;

	memset(c, 0, sizeof(*c));
	rc = pol_xml_parse(xml, strlen(xml), "t.xml", &p, &e);
	if (!rc) {
		rc = pol_compile(&p, NULL, c, &e);
		pol_policy_free(&p);
	}
	if (rc)
		fprintf(stderr, "\ncompile: %s\n", e.msg);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	rc = pol_blob_decode(c->blob, c->len, v, &be);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	return rc;
}

static int compile_file(const char *rel, struct pol_compiled *c,
			struct pol_blob_view *v)
{
	char path[1024];
	FILE *f;
	char *buf;
	long n;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", unit_srcdir(), rel);
	f = fopen(path, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	CU_ASSERT_EQUAL_FATAL(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	rc = compile_xml(buf, c, v);
	free(buf);
	return rc;
}

static struct pol_dev_id mkdev(uint8_t bus, uint8_t dev, uint8_t fn,
			       uint16_t ven, uint16_t did, uint8_t cls,
			       uint8_t sub, uint8_t pi)
{
	struct pol_dev_id d;

	memset(&d, 0, sizeof(d));
	d.bus = bus;
	d.device = dev;
	d.function = fn;
	d.vendor = ven;
	d.device_id = did;
	d.subvendor = ven;
	d.subdevice = 0x1100;
	d.class_code = cls;
	d.subclass = sub;
	d.prog_if = pi;
	return d;
}

/* Every page of every protected range is unreachable in pt. */
static void assert_prot_unmapped(const struct iommu_pt *pt,
				 const struct hv_range *prot, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		for (uint64_t a = prot[i].base; a < prot[i].base + prot[i].len;
		     a += 4096) {
			uint64_t pa;
			uint32_t perm;
			uint8_t lvl;

			CU_ASSERT_EQUAL(
			    iommu_pt_lookup(pt, a, &pa, &perm, &lvl), -ENOENT);
		}
}

static uint32_t perm_at(const struct iommu_pt *pt, uint64_t a, uint8_t *lvl)
{
	uint64_t pa = 0;
	uint32_t perm = 0;
	uint8_t l = 0;

	if (iommu_pt_lookup(pt, a, &pa, &perm, &l))
		return 0;
	CU_ASSERT_EQUAL(pa, a); /* identity */
	if (lvl)
		*lvl = l;
	return perm;
}

/* ---- page tables ------------------------------------------------------ */
static const struct hv_range prot4[] = {
	{ 0x1234000, 0x1000, 0, 3 },
	{ 0x40000000, 0x200000, 0, 0 },
	{ 0x80001000, 0x3000, 0, 0 },
	{ 0xfffff000, 0x1000, 0, 2 },
};

static void pt_identity_fmt(enum iommu_pt_fmt fmt)
{
	struct iommu_mem m;
	struct iommu_pt pt;
	struct pool p;
	uint8_t lvl = 0;

	pool_init(&p, 64, &m);
	CU_ASSERT_EQUAL_FATAL(iommu_pt_init(&pt, fmt, 3, 3, &m), 0);
	CU_ASSERT_EQUAL_FATAL(
	    iommu_pt_map(&pt, 0, 4 * GiB, IOMMU_PERM_RW, prot4, 4), 0);
	assert_prot_unmapped(&pt, prot4, 4);
	CU_ASSERT_EQUAL(pt.mapped + pt.clipped, 4 * GiB);
	CU_ASSERT_EQUAL(pt.clipped, 0x1000 + 0x200000 + 0x3000 + 0x1000);
	/* Neighbours of protected pages stay mapped, at 4 KiB. */
	CU_ASSERT_EQUAL(perm_at(&pt, 0x1233000, &lvl), IOMMU_PERM_RW);
	CU_ASSERT_EQUAL(lvl, 1);
	CU_ASSERT_EQUAL(perm_at(&pt, 0x1235000, &lvl), IOMMU_PERM_RW);
	/* The 2 MiB protected block splits its 1 GiB down to 2 MiB. */
	CU_ASSERT_EQUAL(perm_at(&pt, 0x40200000, &lvl), IOMMU_PERM_RW);
	CU_ASSERT_EQUAL(lvl, 2);
	CU_ASSERT_EQUAL(perm_at(&pt, 0xc0000000, &lvl), IOMMU_PERM_RW);
	CU_ASSERT_EQUAL(lvl, 2);
	/* Untouched gigabytes are 1 GiB leaves, read-only as asked. */
	CU_ASSERT_EQUAL(
	    iommu_pt_map(&pt, 4 * GiB, 2 * GiB, IOMMU_PERM_R, prot4, 4), 0);
	CU_ASSERT_EQUAL(perm_at(&pt, 5 * GiB + 0x5000, &lvl), IOMMU_PERM_R);
	CU_ASSERT_EQUAL(lvl, 3);
	/* Beyond the mapped range: nothing. */
	CU_ASSERT_EQUAL(perm_at(&pt, 6 * GiB, NULL), 0);
	/* Overlap refused; beyond 39 bits refused. */
	CU_ASSERT_EQUAL(
	    iommu_pt_map(&pt, 0x2000000, 0x1000, IOMMU_PERM_R, NULL, 0),
	    -EEXIST);
	CU_ASSERT_EQUAL(
	    iommu_pt_map(&pt, 1ull << 39, 0x1000, IOMMU_PERM_R, NULL, 0),
	    -ERANGE);
	CU_ASSERT_EQUAL(iommu_pt_map(&pt, 0x123, 0x1000, IOMMU_PERM_R, NULL, 0),
			-EINVAL);
	CU_ASSERT_EQUAL(iommu_pt_map(&pt, 8 * GiB, 0x1000, 0, NULL, 0),
			-EINVAL);
	/* 1 root + L2 tables for GiB 0, 1, 2, 3 + L1 tables for 3 splits. */
	CU_ASSERT(pt.tables <= 10);
	pool_free(&p);
}

static void test_pt_vtd(void)
{
	pt_identity_fmt(IOMMU_PT_VTD);
}

static void test_pt_amdvi(void)
{
	pt_identity_fmt(IOMMU_PT_AMDVI);
}

static void test_pt_encoding(void)
{
	struct iommu_mem m;
	struct iommu_pt pt;
	struct pool p;

	/* VT-d: read-only 4 KiB leaf = R only, directories R|W. */
	pool_init(&p, 8, &m);
	CU_ASSERT_EQUAL_FATAL(iommu_pt_init(&pt, IOMMU_PT_VTD, 3, 1, &m), 0);
	CU_ASSERT_EQUAL(
	    iommu_pt_map(&pt, 0x5000, 0x1000, IOMMU_PERM_R, NULL, 0), 0);
	{
		uint64_t l3 = pt.root[0], *t2, l2, *t1, l1;

		CU_ASSERT_EQUAL(l3 & 0xfff, VTD_SL_R | VTD_SL_W);
		t2 = pool_virt(&p, l3 & ~0xfffull);
		CU_ASSERT_PTR_NOT_NULL_FATAL(t2);
		l2 = t2[0];
		t1 = pool_virt(&p, l2 & ~0xfffull);
		CU_ASSERT_PTR_NOT_NULL_FATAL(t1);
		l1 = t1[5];
		CU_ASSERT_EQUAL(l1, 0x5000 | VTD_SL_R);
	}
	pool_free(&p);
	/* AMD-Vi: directories carry NextLevel, leaves NextLevel 0 + IR/IW. */
	pool_init(&p, 8, &m);
	CU_ASSERT_EQUAL_FATAL(iommu_pt_init(&pt, IOMMU_PT_AMDVI, 4, 2, &m), 0);
	CU_ASSERT_EQUAL(
	    iommu_pt_map(&pt, 0x200000, 0x200000, IOMMU_PERM_RW, NULL, 0), 0);
	{
		uint64_t l4 = pt.root[0], *t3, *t2;

		CU_ASSERT_EQUAL(AMDVI_PTE_NEXT_GET(l4), 3);
		CU_ASSERT(l4 & AMDVI_PTE_PR);
		t3 = pool_virt(&p, l4 & AMDVI_PTE_ADDR_MASK);
		CU_ASSERT_PTR_NOT_NULL_FATAL(t3);
		CU_ASSERT_EQUAL(AMDVI_PTE_NEXT_GET(t3[0]), 2);
		t2 = pool_virt(&p, t3[0] & AMDVI_PTE_ADDR_MASK);
		CU_ASSERT_PTR_NOT_NULL_FATAL(t2);
		CU_ASSERT_EQUAL(t2[1], 0x200000 | AMDVI_PTE_PR | AMDVI_PTE_IR |
					   AMDVI_PTE_IW);
		CU_ASSERT_EQUAL(t2[0], 0);
		CU_ASSERT_EQUAL(t2[2], 0);
	}
	pool_free(&p);
}

/* Every n-th allocation failing gives -ENOMEM, never a crash. */
static void test_pt_alloc_failure(void)
{
	for (uint32_t n = 1; n <= 6; n++) {
		struct iommu_mem m;
		struct iommu_pt pt;
		struct pool p;
		int rc;

		pool_init(&p, 64, &m);
		p.fail_at = n;
		rc = iommu_pt_init(&pt, IOMMU_PT_VTD, 3, 3, &m);
		if (!rc)
			rc = iommu_pt_map(&pt, 0, 4 * GiB, IOMMU_PERM_RW, prot4,
					  4);
		CU_ASSERT_EQUAL(rc, -ENOMEM);
		pool_free(&p);
	}
}

/* ---- plan from the lab policy ----------------------------------------- */
static const struct iommu_ram lab_ram[] = {
	{ 0x0, 0x9f000 },
	{ 0x100000, 0x1fee0000 - 0x100000 },
};

static const struct hv_range lab_prot[] = {
	{ 0x2400000, 0x3000, 0, 0 },	/* hypervisor page inside A's window */
	{ 0x10000000, 0x200000, 0, 3 }, /* IOMMU tables */
};

enum { D_HOST, D_IOMMU, D_EDU_A, D_EDU_B, D_AHCI, D_EXT, D_EDU_X, NDEV };

static void lab_devs(struct iommu_dev *d)
{
	memset(d, 0, sizeof(*d) * NDEV);
	d[D_HOST].id = mkdev(0, 0, 0, 0x8086, 0x29c0, 6, 0, 0);
	d[D_IOMMU].id = mkdev(0, 1, 0, 0x1022, 0x0000, 8, 6, 0);
	d[D_EDU_A].id = mkdev(0, 4, 0, 0x1234, 0x11e8, 0xff, 0, 0);
	d[D_EDU_B].id = mkdev(0, 5, 0, 0x1234, 0x11e8, 0xff, 0, 0);
	d[D_AHCI].id = mkdev(0, 0x1f, 2, 0x8086, 0x2922, 1, 6, 1);
	d[D_EXT].id = mkdev(3, 0, 0, 0xabcd, 0x0001, 0x0c, 3, 0x30);
	d[D_EDU_X].id = mkdev(0, 9, 0, 0x1234, 0x11e8, 0xff, 0, 0);
}

static void plan_lab_mem(enum iommu_pt_fmt fmt, const char *policy,
			 const struct iommu_mem *mem, struct iommu_dev *devs,
			 struct iommu_plan *plan, struct pol_compiled *c,
			 struct pol_blob_view *v)
{
	struct iommu_plan_in in;

	compile_file(policy, c, v);
	memset(&in, 0, sizeof(in));
	in.mem = *mem;
	lab_devs(devs);
	in.pol = v;
	in.devs = devs;
	in.ndevs = NDEV;
	in.ram = lab_ram;
	in.nram = 2;
	in.prot = lab_prot;
	in.nprot = 2;
	in.fmt = fmt;
	in.levels = fmt == IOMMU_PT_VTD ? 3 : 4;
	in.max_leaf_level = 3;
	in.deny_needs_pt = fmt == IOMMU_PT_VTD;
	CU_ASSERT_EQUAL_FATAL(iommu_plan_build(&in, plan), 0);
}

static void plan_lab(enum iommu_pt_fmt fmt, struct pool *p,
		     struct iommu_dev *devs, struct iommu_plan *plan,
		     struct pol_compiled *c, struct pol_blob_view *v)
{
	struct iommu_mem m;

	pool_init(p, 256, &m);
	plan_lab_mem(fmt, "policy/examples/lab.xml", &m, devs, plan, c, v);
}

/* The window of edu-a in policy/examples/lab.xml. */
#define WIN_BASE 0x2000000ull
#define WIN_SIZE 0x1000000ull

static void test_plan_lab_vtd(void)
{
	struct iommu_dev devs[NDEV];
	struct pol_compiled c;
	struct pol_blob_view v;
	struct iommu_plan plan;
	struct vtd_tables t;
	const struct iommu_pt *a, *b, *ahci;
	struct pool p;

	plan_lab(IOMMU_PT_VTD, &p, devs, &plan, &c, &v);
	/* deny, window(edu-a), identity: three domains. */
	CU_ASSERT_EQUAL(plan.ndom, 3);
	a = &plan.dom[devs[D_EDU_A].domain].pt;
	b = &plan.dom[devs[D_EDU_B].domain].pt;
	ahci = &plan.dom[devs[D_AHCI].domain].pt;
	CU_ASSERT_EQUAL(plan.dom[devs[D_EDU_A].domain].action,
			POL_ACTION_WINDOW);
	CU_ASSERT_EQUAL(devs[D_EDU_B].domain, plan.deny_dom);
	CU_ASSERT_EQUAL(devs[D_EXT].domain, plan.deny_dom);
	CU_ASSERT_EQUAL(devs[D_EDU_X].domain, plan.deny_dom);
	CU_ASSERT_EQUAL(devs[D_EXT].rule, POL_RULE_DEFAULT);
	CU_ASSERT_EQUAL(devs[D_HOST].domain, devs[D_AHCI].domain);
	/* edu A: exactly the window, both directions, minus the protected page. */
	CU_ASSERT_EQUAL(perm_at(a, WIN_BASE, NULL), IOMMU_PERM_RW);
	CU_ASSERT_EQUAL(perm_at(a, WIN_BASE + WIN_SIZE - 4096, NULL),
			IOMMU_PERM_RW);
	CU_ASSERT_EQUAL(perm_at(a, WIN_BASE - 4096, NULL), 0);
	CU_ASSERT_EQUAL(perm_at(a, WIN_BASE + WIN_SIZE, NULL), 0);
	CU_ASSERT_EQUAL(perm_at(a, 0x8000000, NULL), 0);
	CU_ASSERT_EQUAL(perm_at(a, 0x2400000, NULL), 0);
	CU_ASSERT_EQUAL(perm_at(a, 0x2403000, NULL), IOMMU_PERM_RW);
	CU_ASSERT_EQUAL(a->mapped, WIN_SIZE - 0x3000);
	/* edu B: nothing anywhere (the deny table is empty). */
	for (uint64_t x = 0; x < 0x20000000; x += 0x100000)
		CU_ASSERT_EQUAL(perm_at(b, x, NULL), 0);
	/* AHCI: RAM, minus protected, no holes mapped. */
	CU_ASSERT_EQUAL(perm_at(ahci, 0x100000, NULL), IOMMU_PERM_RW);
	CU_ASSERT_EQUAL(perm_at(ahci, 0x9f000, NULL), 0);
	CU_ASSERT_EQUAL(perm_at(ahci, 0x1fee0000, NULL), 0);
	for (uint32_t i = 0; i < plan.ndom; i++)
		assert_prot_unmapped(&plan.dom[i].pt, lab_prot, 2);

	/* Root/context: every device has an explicit present entry. */
	CU_ASSERT_EQUAL_FATAL(vtd_tables_init(&t, &plan.dom[0].pt.mem), 0);
	CU_ASSERT_EQUAL_FATAL(vtd_tables_from_plan(&t, &plan, devs, NDEV, 0),
			      0);
	for (int i = 0; i < NDEV; i++) {
		const struct pol_dev_id *id = &devs[i].id;
		const struct iommu_domain *d = &plan.dom[devs[i].domain];
		uint64_t lo = 0, hi = 0;

		CU_ASSERT_EQUAL(
		    vtd_get_context(&t, id->bus,
				    (uint8_t)(id->device << 3 | id->function),
				    &lo, &hi),
		    0);
		CU_ASSERT_EQUAL(lo & VTD_CTX_LO_SLPTPTR_MASK, d->pt.root_pa);
		CU_ASSERT_EQUAL(lo & 0xfff, VTD_CTX_LO_P);
		CU_ASSERT_EQUAL(hi, VTD_CTX_HI_AW(1) | VTD_CTX_HI_DID(d->did));
	}
	/* Buses without devices have no root entry; unused devfn no entry. */
	{
		uint64_t lo, hi;

		CU_ASSERT_EQUAL(vtd_get_context(&t, 1, 0, &lo, &hi), -ENOENT);
		CU_ASSERT_EQUAL(vtd_get_context(&t, 0, 0x30, &lo, &hi),
				-ENOENT);
		CU_ASSERT_EQUAL(t.tables, 3); /* root + bus 0 + bus 3 */
	}
	pol_compiled_free(&c);
	pool_free(&p);
}

static void test_plan_lab_amdvi(void)
{
	struct iommu_dev devs[NDEV];
	struct pol_compiled c;
	struct pol_blob_view v;
	struct iommu_plan plan;
	uint64_t *devtab;
	struct pool p;
	uint32_t perm;

	plan_lab(IOMMU_PT_AMDVI, &p, devs, &plan, &c, &v);
	CU_ASSERT_FALSE(plan.dom[plan.deny_dom].has_pt);
	devtab = calloc(AMDVI_DEVTAB_ENTRIES, 32);
	CU_ASSERT_PTR_NOT_NULL_FATAL(devtab);
	amdvi_devtab_deny_all(devtab, AMDVI_DEVTAB_ENTRIES);
	CU_ASSERT_EQUAL(amdvi_devtab_from_plan(devtab, AMDVI_DEVTAB_ENTRIES,
					       &plan, devs, NDEV),
			0);
	/* No entry is ever zero (zero = passthrough on AMD-Vi). */
	for (uint32_t i = 0; i < AMDVI_DEVTAB_ENTRIES; i++) {
		uint64_t w = devtab[4 * i];

		if (!(w & AMDVI_DTE0_V) || !(w & AMDVI_DTE0_TV)) {
			CU_FAIL("DTE not valid+translated");
			break;
		}
	}
	/* edu A (devid 0x20): window only; edu B (0x28) nothing. */
	CU_ASSERT_EQUAL(amdvi_dte_lookup(devtab, AMDVI_DEVTAB_ENTRIES, 0x20,
					 &plan, WIN_BASE + 0x1000, &perm),
			0);
	CU_ASSERT_EQUAL(perm, IOMMU_PERM_RW);
	CU_ASSERT_EQUAL(amdvi_dte_lookup(devtab, AMDVI_DEVTAB_ENTRIES, 0x20,
					 &plan, 0x8000000, &perm),
			-ENOENT);
	CU_ASSERT_EQUAL(amdvi_dte_lookup(devtab, AMDVI_DEVTAB_ENTRIES, 0x28,
					 &plan, WIN_BASE, &perm),
			-ENOENT);
	CU_ASSERT_EQUAL(devtab[4 * 0x28] & (AMDVI_DTE0_IR | AMDVI_DTE0_IW |
					    AMDVI_DTE0_MODE(7)),
			0);
	/* AHCI 00:1f.2 (0xfa): identity; protected page refused. */
	CU_ASSERT_EQUAL(amdvi_dte_lookup(devtab, AMDVI_DEVTAB_ENTRIES, 0xfa,
					 &plan, 0x1000000, &perm),
			0);
	CU_ASSERT_EQUAL(amdvi_dte_lookup(devtab, AMDVI_DEVTAB_ENTRIES, 0xfa,
					 &plan, 0x10000000, &perm),
			-ENOENT);
	/* A device nobody enumerated (7:00.0): denied, not passthrough. */
	CU_ASSERT_EQUAL(amdvi_dte_lookup(devtab, AMDVI_DEVTAB_ENTRIES, 0x700,
					 &plan, 0x100000, &perm),
			-ENOENT);
	for (uint32_t i = 0; i < plan.ndom; i++)
		if (plan.dom[i].has_pt)
			assert_prot_unmapped(&plan.dom[i].pt, lab_prot, 2);
	free(devtab);
	pol_compiled_free(&c);
	pool_free(&p);
}

/* Firmware unity ranges (RMRR/IVMD): only for the devices they name. */
static const struct iommu_unity lab_unity[] = {
	{ 0, 0x28, 0x28, 0x1ff00000, 0x10000, IOMMU_PERM_RW }, /* edu B */
	{ 0, 0x20, 0x20, 0x30000000, 0x2000, IOMMU_PERM_R },   /* edu A */
	{ 0, 0x20, 0x20, 0x2000000, 0x1000, IOMMU_PERM_R }, /* in A's window */
	{ 0, 0x20, 0x20, 0x10000000, 0x4000, IOMMU_PERM_RW }, /* protected */
	{ 0, 0x60, 0x6f, 0x50000000, 0x1000, IOMMU_PERM_RW }, /* nobody */
	{ 1, 0x28, 0x28, 0x60000000, 0x1000, IOMMU_PERM_RW }, /* other seg */
};

static void plan_unity(enum iommu_pt_fmt fmt)
{
	struct iommu_dev devs[NDEV];
	struct pol_compiled c;
	struct pol_blob_view v;
	struct iommu_plan plan;
	struct iommu_plan_in in;
	const struct iommu_domain *a, *b;
	struct pool p;

	compile_file("policy/examples/lab.xml", &c, &v);
	memset(&in, 0, sizeof(in));
	pool_init(&p, 256, &in.mem);
	lab_devs(devs);
	in.pol = &v;
	in.devs = devs;
	in.ndevs = NDEV;
	in.ram = lab_ram;
	in.nram = 2;
	in.prot = lab_prot;
	in.nprot = 2;
	in.unity = lab_unity;
	in.nunity = HV_ARRAY_SIZE(lab_unity);
	in.fmt = fmt;
	in.levels = fmt == IOMMU_PT_VTD ? 3 : 4;
	in.max_leaf_level = 3;
	in.deny_needs_pt = fmt == IOMMU_PT_VTD;
	CU_ASSERT_EQUAL_FATAL(iommu_plan_build(&in, &plan), 0);
	CU_ASSERT_EQUAL(plan.unity_devs, 2);
	a = &plan.dom[devs[D_EDU_A].domain];
	b = &plan.dom[devs[D_EDU_B].domain];
	/* Private domains; the other denied edu still shares deny. */
	CU_ASSERT(a->unity && b->unity);
	CU_ASSERT_EQUAL(b->unity_sid, 0x28);
	CU_ASSERT_NOT_EQUAL(devs[D_EDU_B].domain, plan.deny_dom);
	CU_ASSERT_EQUAL(devs[D_EDU_X].domain, plan.deny_dom);
	CU_ASSERT_EQUAL(b->action, POL_ACTION_DENY);
	/* edu B: exactly its unity range. */
	CU_ASSERT_EQUAL(perm_at(&b->pt, 0x1ff00000, NULL), IOMMU_PERM_RW);
	CU_ASSERT_EQUAL(perm_at(&b->pt, 0x1ff0f000, NULL), IOMMU_PERM_RW);
	CU_ASSERT_EQUAL(perm_at(&b->pt, 0x1ff10000, NULL), 0);
	CU_ASSERT_EQUAL(perm_at(&b->pt, WIN_BASE, NULL), 0);
	CU_ASSERT_EQUAL(perm_at(&b->pt, 0x60000000, NULL), 0);
	CU_ASSERT_EQUAL(b->pt.mapped, 0x10000);
	/* edu A: its window as the policy says, plus its own unity range. */
	CU_ASSERT_EQUAL(perm_at(&a->pt, WIN_BASE, NULL), IOMMU_PERM_RW);
	CU_ASSERT_EQUAL(perm_at(&a->pt, 0x30000000, NULL), IOMMU_PERM_R);
	CU_ASSERT_EQUAL(perm_at(&a->pt, 0x30002000, NULL), 0);
	CU_ASSERT_EQUAL(perm_at(&a->pt, 0x1ff00000, NULL), 0);
	CU_ASSERT_EQUAL(perm_at(&a->pt, 0x50000000, NULL), 0);
	/* Firmware cannot open protected memory either. */
	for (uint32_t i = 0; i < plan.ndom; i++)
		if (plan.dom[i].has_pt)
			assert_prot_unmapped(&plan.dom[i].pt, lab_prot, 2);
	if (fmt == IOMMU_PT_AMDVI) {
		uint64_t *devtab = calloc(AMDVI_DEVTAB_ENTRIES, 32);
		uint32_t perm;

		CU_ASSERT_PTR_NOT_NULL_FATAL(devtab);
		amdvi_devtab_deny_all(devtab, AMDVI_DEVTAB_ENTRIES);
		CU_ASSERT_EQUAL(amdvi_devtab_from_plan(devtab,
						       AMDVI_DEVTAB_ENTRIES,
						       &plan, devs, NDEV),
				0);
		CU_ASSERT_EQUAL(AMDVI_DTE0_MODE_GET(devtab[4 * 0x28]), 4);
		CU_ASSERT_EQUAL(amdvi_dte_lookup(devtab, AMDVI_DEVTAB_ENTRIES,
						 0x28, &plan, 0x1ff00000,
						 &perm),
				0);
		CU_ASSERT_EQUAL(perm, IOMMU_PERM_RW);
		CU_ASSERT_EQUAL(amdvi_dte_lookup(devtab, AMDVI_DEVTAB_ENTRIES,
						 0x28, &plan, WIN_BASE, &perm),
				-ENOENT);
		free(devtab);
	}
	pol_compiled_free(&c);
	pool_free(&p);
}

static void test_plan_unity_vtd(void)
{
	plan_unity(IOMMU_PT_VTD);
}

static void test_plan_unity_amdvi(void)
{
	plan_unity(IOMMU_PT_AMDVI);
}

/* A malformed unity range (unaligned) is refused, not rounded. */
static void test_plan_unity_bad(void)
{
	static const struct iommu_unity bad = { 0,	0x28,
						0x28,	0x1ff00800,
						0x1000, IOMMU_PERM_RW };
	struct iommu_dev devs[NDEV];
	struct pol_compiled c;
	struct pol_blob_view v;
	struct iommu_plan plan;
	struct iommu_plan_in in;
	struct pool p;

	compile_file("policy/examples/lab.xml", &c, &v);
	memset(&in, 0, sizeof(in));
	pool_init(&p, 64, &in.mem);
	lab_devs(devs);
	in.pol = &v;
	in.devs = devs;
	in.ndevs = NDEV;
	in.unity = &bad;
	in.nunity = 1;
	in.fmt = IOMMU_PT_VTD;
	in.levels = 3;
	in.max_leaf_level = 3;
	in.deny_needs_pt = true;
	CU_ASSERT_EQUAL(iommu_plan_build(&in, &plan), -EINVAL);
	in.unity = NULL;
	CU_ASSERT_EQUAL(iommu_plan_build(&in, &plan), -EINVAL);
	pol_compiled_free(&c);
	pool_free(&p);
}

/* A read-only window is read-only; a default window applies to strangers. */
static void test_plan_ro_and_default_window(void)
{
	static const char xml[] =
	    "<policy version=\"1\">\n"
	    "<rule name=\"nic\"><match bdf=\"0000:02:00.0\"/><window>"
	    "<range base=\"0x100000\" size=\"64K\" access=\"ro\"/>"
	    "<range base=\"0x200000\" size=\"4K\" access=\"rw\"/>"
	    "</window></rule>\n"
	    "<default><window><range base=\"0x300000\" size=\"8K\" "
	    "access=\"rw\"/></window></default>\n"
	    "</policy>\n";
	struct iommu_dev devs[2];
	struct pol_compiled c;
	struct pol_blob_view v;
	struct iommu_plan plan;
	struct iommu_plan_in in;
	const struct iommu_pt *nic, *other;
	struct pool p;

	compile_xml(xml, &c, &v);
	memset(&in, 0, sizeof(in));
	memset(devs, 0, sizeof(devs));
	pool_init(&p, 64, &in.mem);
	devs[0].id = mkdev(2, 0, 0, 0x8086, 0x10d3, 2, 0, 0);
	devs[1].id = mkdev(2, 0, 1, 0x8086, 0x10d3, 2, 0, 0);
	in.pol = &v;
	in.devs = devs;
	in.ndevs = 2;
	in.fmt = IOMMU_PT_VTD;
	in.levels = 4;
	in.max_leaf_level = 2;
	in.deny_needs_pt = true;
	CU_ASSERT_EQUAL_FATAL(iommu_plan_build(&in, &plan), 0);
	nic = &plan.dom[devs[0].domain].pt;
	other = &plan.dom[devs[1].domain].pt;
	CU_ASSERT_NOT_EQUAL(devs[0].domain, devs[1].domain);
	CU_ASSERT_EQUAL(perm_at(nic, 0x100000, NULL), IOMMU_PERM_R);
	CU_ASSERT_EQUAL(perm_at(nic, 0x10f000, NULL), IOMMU_PERM_R);
	CU_ASSERT_EQUAL(perm_at(nic, 0x110000, NULL), 0);
	CU_ASSERT_EQUAL(perm_at(nic, 0x200000, NULL), IOMMU_PERM_RW);
	CU_ASSERT_EQUAL(perm_at(nic, 0x300000, NULL), 0);
	CU_ASSERT_EQUAL(perm_at(other, 0x300000, NULL), IOMMU_PERM_RW);
	CU_ASSERT_EQUAL(perm_at(other, 0x301000, NULL), IOMMU_PERM_RW);
	CU_ASSERT_EQUAL(perm_at(other, 0x302000, NULL), 0);
	CU_ASSERT_EQUAL(perm_at(other, 0x100000, NULL), 0);
	CU_ASSERT_EQUAL(nic->mapped, 0x10000 + 0x1000);
	pol_compiled_free(&c);
	pool_free(&p);
}

/* A window beyond the table's address width fails closed. */
static void test_plan_window_too_high(void)
{
	static const char xml[] =
	    "<policy version=\"1\">\n"
	    "<rule name=\"gpu\"><match bdf=\"0000:01:00.0\"/><window>"
	    "<range base=\"0x8000000000\" size=\"4K\" access=\"rw\"/>"
	    "</window></rule>\n"
	    "<default><deny/></default>\n"
	    "</policy>\n";
	struct iommu_dev dev;
	struct pol_compiled c;
	struct pol_blob_view v;
	struct iommu_plan plan;
	struct iommu_plan_in in;
	struct pool p;

	compile_xml(xml, &c, &v);
	memset(&in, 0, sizeof(in));
	memset(&dev, 0, sizeof(dev));
	pool_init(&p, 16, &in.mem);
	dev.id = mkdev(1, 0, 0, 0x10de, 0x1234, 3, 0, 0);
	in.pol = &v;
	in.devs = &dev;
	in.ndevs = 1;
	in.fmt = IOMMU_PT_VTD;
	in.levels = 3; /* 39-bit: 512 GiB and up is out of reach */
	in.max_leaf_level = 3;
	in.deny_needs_pt = true;
	CU_ASSERT_EQUAL(iommu_plan_build(&in, &plan), -ERANGE);
	pol_compiled_free(&c);
	pool_free(&p);
}

/* ---- faults ------------------------------------------------------------ */
static void test_vtd_fault_decode(void)
{
	struct iommu_fault f;
	/* 00:04.0 wrote 0x8800123 and found no W: reason 5. */
	uint64_t hi = VTD_FRCD_HI_F | (5ull << 32) | 0x0020;
	uint64_t lo = 0x8800123;

	CU_ASSERT_EQUAL(vtd_fault_decode(lo, hi, &f), 0);
	CU_ASSERT_EQUAL(f.src, IOMMU_FAULT_VTD);
	CU_ASSERT_EQUAL(f.sid, 0x20);
	CU_ASSERT_EQUAL(f.addr, 0x8800000);
	CU_ASSERT_EQUAL(f.reason, VTD_FR_WRITE);
	CU_ASSERT_EQUAL(f.write, 1);
	CU_ASSERT_STRING_EQUAL(vtd_fault_reason_text(f.reason),
			       "write to a page without write permission");
	/* Read request (T=1), reason 6, 00:05.0. */
	hi = VTD_FRCD_HI_F | VTD_FRCD_HI_T | (6ull << 32) | 0x0028;
	CU_ASSERT_EQUAL(vtd_fault_decode(0x2000000, hi, &f), 0);
	CU_ASSERT_EQUAL(f.write, 0);
	CU_ASSERT_EQUAL(f.sid, 0x28);
	CU_ASSERT_EQUAL(f.reason, VTD_FR_READ);
	/* Reserved/unknown reason is decoded and named as unknown. */
	hi = VTD_FRCD_HI_F | (0x7full << 32);
	CU_ASSERT_EQUAL(vtd_fault_decode(0, hi, &f), 0);
	CU_ASSERT_STRING_EQUAL(vtd_fault_reason_text(f.reason),
			       "unknown fault reason");
	/* F clear: no record. */
	CU_ASSERT_EQUAL(vtd_fault_decode(lo, hi & ~VTD_FRCD_HI_F, &f), -ENOENT);
}

static void put_event(uint8_t ev[16], uint32_t d0, uint32_t d1, uint64_t a)
{
	hv_put_le32(ev, d0);
	hv_put_le32(ev + 4, d1);
	hv_put_le64(ev + 8, a);
}

static void test_amdvi_event_decode(void)
{
	struct iommu_fault f;
	uint8_t ev[16];

	/* IO_PAGE_FAULT from 00:05.0, domain 7, write, permission. */
	put_event(ev, 0x0028,
		  (AMDVI_EVT_IO_PAGE_FAULT << 28) |
		      ((AMDVI_EVF_RW | AMDVI_EVF_PE | AMDVI_EVF_PR) << 16) | 7,
		  0x8801000);
	CU_ASSERT_EQUAL(amdvi_event_decode(ev, &f), 0);
	CU_ASSERT_EQUAL(f.src, IOMMU_FAULT_AMDVI);
	CU_ASSERT_EQUAL(f.reason, AMDVI_EVT_IO_PAGE_FAULT);
	CU_ASSERT_EQUAL(f.sid, 0x28);
	CU_ASSERT_EQUAL(f.domain, 7);
	CU_ASSERT_EQUAL(f.write, 1);
	CU_ASSERT_EQUAL(f.addr, 0x8801000);
	CU_ASSERT_EQUAL(f.flags, AMDVI_EVF_RW | AMDVI_EVF_PE | AMDVI_EVF_PR);
	CU_ASSERT_STRING_EQUAL(amdvi_event_text(f.reason), "I/O page fault");
	/* Read fault (RW=0) not present. */
	put_event(ev, 0x0020, AMDVI_EVT_IO_PAGE_FAULT << 28 | 1, 0x1000);
	CU_ASSERT_EQUAL(amdvi_event_decode(ev, &f), 0);
	CU_ASSERT_EQUAL(f.write, 0);
	CU_ASSERT_EQUAL(f.sid, 0x20);
	/* ILLEGAL_DEV_TABLE_ENTRY: device and address. */
	put_event(ev, 0x00fa, AMDVI_EVT_ILLEGAL_DTE << 28, 0xfee00000);
	CU_ASSERT_EQUAL(amdvi_event_decode(ev, &f), 0);
	CU_ASSERT_EQUAL(f.sid, 0xfa);
	CU_ASSERT_STRING_EQUAL(amdvi_event_text(f.reason),
			       "illegal device table entry");
	/* ILLEGAL_COMMAND: no device. */
	put_event(ev, 0x1234, AMDVI_EVT_ILLEGAL_CMD << 28, 0x10000);
	CU_ASSERT_EQUAL(amdvi_event_decode(ev, &f), 0);
	CU_ASSERT_EQUAL(f.sid, 0);
	/* Unknown code, and an empty (never written) slot. */
	put_event(ev, 1, 0xfu << 28, 0);
	CU_ASSERT_EQUAL(amdvi_event_decode(ev, &f), -EPROTO);
	CU_ASSERT_EQUAL(f.reason, 0xf);
	memset(ev, 0, sizeof(ev));
	CU_ASSERT_EQUAL(amdvi_event_decode(ev, &f), -ENOENT);
}

static void test_fault_ring(void)
{
	struct iommu_fault slots[4], f;
	struct iommu_fault_ring r;

	iommu_ring_init(&r, slots, 4);
	CU_ASSERT_EQUAL(iommu_ring_get(&r, 0, &f), -ENOENT);
	for (uint32_t i = 0; i < 6; i++) {
		memset(&f, 0, sizeof(f));
		f.addr = 0x1000 * i;
		iommu_ring_push(&r, &f);
	}
	CU_ASSERT_EQUAL(r.total, 6);
	CU_ASSERT_EQUAL(r.dropped, 2); /* nobody read records 0 and 1 */
	CU_ASSERT_EQUAL(iommu_ring_get(&r, 1, &f), -ENOENT);
	CU_ASSERT_EQUAL(iommu_ring_get(&r, 2, &f), 0);
	CU_ASSERT_EQUAL(f.addr, 0x2000);
	CU_ASSERT_EQUAL(iommu_ring_get(&r, 5, &f), 0);
	CU_ASSERT_EQUAL(f.addr, 0x5000);
	CU_ASSERT_EQUAL(iommu_ring_get(&r, 6, &f), -ENOENT);
	/* Records read in time are not counted as dropped. */
	r.read = 6;
	iommu_ring_push(&r, &f);
	CU_ASSERT_EQUAL(r.dropped, 2);
	/* A zero-capacity ring counts everything as dropped. */
	iommu_ring_init(&r, NULL, 0);
	iommu_ring_push(&r, &f);
	CU_ASSERT_EQUAL(r.dropped, 1);
}

/* ---- table memory: modelled 1 TiB / 256-device host -------------------- */
static const char model_xml[] =
    "<policy version=\"1\">\n"
    "<rule name=\"storage\"><match class=\"01\"/><identity/></rule>\n"
    "<rule name=\"net\"><match class=\"02\"/><identity/></rule>\n"
    "<rule name=\"gpu\"><match class=\"03\"/><window>"
    "<range base=\"0x100000000\" size=\"1G\" access=\"rw\"/>"
    "<range base=\"0x7ff00000\" size=\"1M\" access=\"ro\"/></window></rule>\n"
    "<rule name=\"usb\"><match class=\"0c:03\"/><window>"
    "<range base=\"0x40000000\" size=\"64M\" access=\"rw\"/></window></rule>\n"
    "<default><deny/></default>\n"
    "</policy>\n";

static void model_host(enum iommu_pt_fmt fmt, uint64_t *bytes)
{
	static const uint8_t cls[4][2] = {
		{ 1, 8 }, { 2, 0 }, { 3, 0 }, { 0x0c, 3 }
	};
	struct iommu_ram ram[2] = { { 0, 3 * GiB },
				    { 4 * GiB, 1024 * GiB - 3 * GiB } };
	struct hv_range prot[16];
	struct iommu_dev *devs = calloc(256, sizeof(*devs));
	struct pol_compiled c;
	struct pol_blob_view v;
	struct iommu_plan plan;
	struct iommu_plan_in in;
	struct pool p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(devs);
	compile_xml(model_xml, &c, &v);
	/* Hypervisor memory scattered over RAM (worst case for splitting). */
	for (int i = 0; i < 16; i++) {
		prot[i].base = (uint64_t)i * 60 * GiB + 0x1234000;
		prot[i].len = (i % 4 + 1) * 0x100000;
		prot[i].access = 0;
		prot[i].kind = 0;
	}
	/* 256 devices on 16 buses, 16 each; a quarter of each class. */
	for (int i = 0; i < 256; i++)
		devs[i].id =
		    mkdev((uint8_t)(i / 16), (uint8_t)(i % 16), 0, 0x1000,
			  (uint16_t)i, cls[i % 4][0], cls[i % 4][1], 0);
	memset(&in, 0, sizeof(in));
	pool_init(&p, 1024, &in.mem);
	in.pol = &v;
	in.devs = devs;
	in.ndevs = 256;
	in.ram = ram;
	in.nram = 2;
	in.prot = prot;
	in.nprot = 16;
	in.fmt = fmt;
	in.levels = 4;
	in.max_leaf_level = 3;
	in.deny_needs_pt = fmt == IOMMU_PT_VTD;
	CU_ASSERT_EQUAL_FATAL(iommu_plan_build(&in, &plan), 0);
	for (uint32_t i = 0; i < plan.ndom; i++)
		if (plan.dom[i].has_pt)
			assert_prot_unmapped(&plan.dom[i].pt, prot, 16);
	if (fmt == IOMMU_PT_VTD) {
		struct vtd_tables t;

		CU_ASSERT_EQUAL_FATAL(vtd_tables_init(&t, &in.mem), 0);
		CU_ASSERT_EQUAL_FATAL(
		    vtd_tables_from_plan(&t, &plan, devs, 256, 0), 0);
		CU_ASSERT_EQUAL(t.tables, 17); /* root + 16 buses */
		*bytes = (uint64_t)p.used * 4096;
	} else {
		/* Device table, command buffer and event log besides. */
		*bytes =
		    (uint64_t)p.used * 4096 + AMDVI_DEVTAB_BYTES + 2 * 4096;
	}
	printf("\n    iommu table memory, 1 TiB / 256 devices, %s: %llu KiB "
	       "(%u table pages, %u domains)",
	       fmt == IOMMU_PT_VTD ? "VT-d" : "AMD-Vi",
	       (unsigned long long)(*bytes >> 10), p.used, plan.ndom);
	CU_ASSERT(*bytes < 4 * MiB);
	pol_compiled_free(&c);
	pool_free(&p);
	free(devs);
}

static void test_table_memory_model(void)
{
	uint64_t vtd = 0, amd = 0;

	model_host(IOMMU_PT_VTD, &vtd);
	model_host(IOMMU_PT_AMDVI, &amd);
	CU_ASSERT(vtd > 0 && amd > vtd);
}

/* ---- host-mode checker and swap (vtd/host/iommu_host.c) -------------------- */

static struct hv_ranges lab_prot_set(void)
{
	struct hv_ranges r = { (struct hv_range *)lab_prot, 2, 2 };

	return r;
}

static void check_setup(struct iommu_check *c, struct pool *p,
			enum iommu_pt_fmt fmt, struct hv_ranges *prot,
			uint8_t *memo)
{
	memset(c, 0, sizeof(*c));
	c->va = p->mem;
	c->pa = POOL_PA;
	c->first = 0;
	c->n = p->used;
	c->fmt = (uint8_t)fmt;
	c->levels = fmt == IOMMU_PT_VTD ? 3 : 4;
	c->max_leaf = 3;
	c->prot = prot;
	c->memo = memo;
	iommu_check_begin(c);
}

/* The entry that maps addr at `level` in a table rooted at root_pa. */
static uint64_t *entry_at(struct pool *p, uint64_t root_pa, uint8_t levels,
			  uint64_t addr, uint8_t level)
{
	uint64_t *t = pool_virt(p, root_pa);

	for (uint8_t l = levels; t; l--) {
		uint64_t *e = &t[(addr >> (12 + 9 * (l - 1))) & 511];

		if (l == level)
			return e;
		t = pool_virt(p, *e & 0x000ffffffffff000ull);
	}
	return NULL;
}

/* Flip one word, expect the checker to refuse it for `why`, restore. */
static void expect_refused(struct iommu_check *c, struct pool *p,
			   uint64_t *word, uint64_t val, uint64_t root_pa,
			   const uint64_t *dte, uint32_t why, const char *what)
{
	uint64_t keep = *word;
	int rc;

	*word = val;
	iommu_check_begin(c);
	rc = dte ? iommu_check_dte(c, dte) : iommu_check_vtd_root(c, root_pa);
	if (rc != -EINVAL || c->why != why)
		fprintf(stderr, "\n%s: rc %d why %u (%s), want %u\n", what, rc,
			c->why, iommu_bad_text(c->why), why);
	CU_ASSERT_EQUAL(rc, -EINVAL);
	CU_ASSERT_EQUAL(c->why, why);
	*word = keep;
	iommu_check_begin(c);
	CU_ASSERT_EQUAL(dte ? iommu_check_dte(c, dte)
			    : iommu_check_vtd_root(c, root_pa),
			0);
}

static void test_check_vtd(void)
{
	struct iommu_dev devs[NDEV];
	struct pol_compiled cc;
	struct pol_blob_view v;
	struct iommu_plan plan;
	struct vtd_tables t;
	struct iommu_check c;
	struct hv_ranges prot = lab_prot_set();
	uint8_t memo[256];
	struct pool p;
	uint64_t *ctx, *leaf, a_root;
	uint8_t devfn_a = 4 << 3;

	plan_lab(IOMMU_PT_VTD, &p, devs, &plan, &cc, &v);
	CU_ASSERT_EQUAL_FATAL(vtd_tables_init(&t, &plan.dom[0].pt.mem), 0);
	CU_ASSERT_EQUAL_FATAL(vtd_tables_from_plan(&t, &plan, devs, NDEV, 0),
			      0);
	check_setup(&c, &p, IOMMU_PT_VTD, &prot, memo);
	/* What the real builders produce passes, and every leaf was seen. */
	CU_ASSERT_EQUAL(iommu_check_vtd_root(&c, t.root_pa), 0);
	CU_ASSERT(c.leaves > 0);

	ctx = pool_virt(&p, t.root[0] & VTD_ROOT_CTP_MASK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ctx);
	a_root = ctx[2 * devfn_a] & VTD_CTX_LO_SLPTPTR_MASK;
	CU_ASSERT_EQUAL(a_root, plan.dom[devs[D_EDU_A].domain].pt.root_pa);
	leaf = entry_at(&p, a_root, 3, 0x2404000, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(leaf);
	CU_ASSERT(*leaf & VTD_SL_R);

	expect_refused(&c, &p, leaf, 0x2400000 | VTD_SL_R | VTD_SL_W, t.root_pa,
		       NULL, IOMMU_BAD_PROTECTED, "leaf at a hypervisor page");
	expect_refused(&c, &p, leaf, 0x10000000 | VTD_SL_R, t.root_pa, NULL,
		       IOMMU_BAD_PROTECTED, "leaf at the IOMMU tables");
	expect_refused(&c, &p, leaf, *leaf | (1ull << 11), t.root_pa, NULL,
		       IOMMU_BAD_BITS, "SNP bit");
	expect_refused(&c, &p, leaf, *leaf | VTD_SL_PS, t.root_pa, NULL,
		       IOMMU_BAD_BITS, "PS on a 4 KiB leaf");
	expect_refused(&c, &p, leaf, VTD_SL_ADDR_MASK & ~0ull, t.root_pa, NULL,
		       IOMMU_BAD_BITS, "address without R/W");
	/* A 2 MiB leaf at a misaligned address / beyond max_leaf. */
	{
		uint64_t *l2 = entry_at(&p, a_root, 3, WIN_BASE, 2);

		CU_ASSERT_PTR_NOT_NULL_FATAL(l2);
		expect_refused(&c, &p, l2, 0x3001000 | VTD_SL_PS | VTD_SL_R,
			       t.root_pa, NULL, IOMMU_BAD_LEAF,
			       "misaligned 2 MiB leaf");
		expect_refused(&c, &p, l2, 0x2400000 | VTD_SL_PS | VTD_SL_R,
			       t.root_pa, NULL, IOMMU_BAD_PROTECTED,
			       "2 MiB leaf over a protected page");
		/* A table pointing back at the root: reuse at two levels. */
		expect_refused(&c, &p, l2, a_root | VTD_SL_R, t.root_pa, NULL,
			       IOMMU_BAD_REUSE, "loop to the root");
		expect_refused(&c, &p, l2, (POOL_PA - 4096) | VTD_SL_R,
			       t.root_pa, NULL, IOMMU_BAD_POINTER,
			       "table outside the pool");
	}
	/* Context entries: pass-through, no domain, wrong width, FPD. */
	expect_refused(&c, &p, &ctx[2 * devfn_a], ctx[2 * devfn_a] | (2u << 2),
		       t.root_pa, NULL, IOMMU_BAD_ENTRY, "TT = pass-through");
	expect_refused(&c, &p, &ctx[2 * devfn_a], ctx[2 * devfn_a] | 2,
		       t.root_pa, NULL, IOMMU_BAD_ENTRY, "FPD set");
	expect_refused(&c, &p, &ctx[2 * devfn_a + 1],
		       ctx[2 * devfn_a + 1] & 0xff, t.root_pa, NULL,
		       IOMMU_BAD_DOMAIN, "domain id 0");
	expect_refused(&c, &p, &ctx[2 * devfn_a + 1],
		       (ctx[2 * devfn_a + 1] & ~7ull) | 2, t.root_pa, NULL,
		       IOMMU_BAD_BITS, "4-level width on a 3-level unit");
	expect_refused(&c, &p, &ctx[2 * devfn_a],
		       (POOL_PA + 300 * 4096ull) | VTD_CTX_LO_P, t.root_pa,
		       NULL, IOMMU_BAD_POINTER, "table beyond the copy");
	expect_refused(&c, &p, &ctx[2 * devfn_a], ctx[2 * devfn_a] & ~1ull,
		       t.root_pa, NULL, IOMMU_BAD_ENTRY, "P clear, rest set");
	expect_refused(&c, &p, &t.root[1], 1, t.root_pa, NULL, IOMMU_BAD_BITS,
		       "root entry high word");
	/* The same table at two levels: context table as a page table. */
	expect_refused(&c, &p, &ctx[2 * devfn_a],
		       (t.root[0] & VTD_ROOT_CTP_MASK) | VTD_CTX_LO_P,
		       t.root_pa, NULL, IOMMU_BAD_REUSE,
		       "context table as a page table");
	pol_compiled_free(&cc);
	pool_free(&p);
}

static void test_check_amdvi(void)
{
	struct iommu_dev devs[NDEV];
	struct pol_compiled cc;
	struct pol_blob_view v;
	struct iommu_plan plan;
	struct iommu_check c;
	struct hv_ranges prot = lab_prot_set();
	uint8_t memo[256];
	uint64_t *devtab, *a, *leaf;
	struct pool p;

	plan_lab(IOMMU_PT_AMDVI, &p, devs, &plan, &cc, &v);
	devtab = calloc(AMDVI_DEVTAB_ENTRIES, 32);
	CU_ASSERT_PTR_NOT_NULL_FATAL(devtab);
	amdvi_devtab_deny_all(devtab, AMDVI_DEVTAB_ENTRIES);
	CU_ASSERT_EQUAL_FATAL(amdvi_devtab_from_plan(devtab,
						     AMDVI_DEVTAB_ENTRIES,
						     &plan, devs, NDEV),
			      0);
	check_setup(&c, &p, IOMMU_PT_AMDVI, &prot, memo);
	for (uint32_t i = 0; i < AMDVI_DEVTAB_ENTRIES; i++)
		if (iommu_check_dte(&c, &devtab[4 * i])) {
			CU_FAIL("a built device table entry was refused");
			break;
		}
	CU_ASSERT(c.leaves > 0);
	a = &devtab[4 * 0x20]; /* edu A */
	leaf = entry_at(&p, a[0] & AMDVI_DTE0_PTR_MASK, 4, 0x2404000, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(leaf);
	expect_refused(&c, &p, &a[0], 0, 0, a, IOMMU_BAD_ENTRY,
		       "zero entry = passthrough");
	expect_refused(&c, &p, &a[0], a[0] & ~AMDVI_DTE0_TV, 0, a,
		       IOMMU_BAD_ENTRY, "TV clear");
	expect_refused(&c, &p, &devtab[4 * 0x28],
		       AMDVI_DTE0_V | AMDVI_DTE0_TV | AMDVI_DTE0_IR |
			   AMDVI_DTE0_IW,
		       0, &devtab[4 * 0x28], IOMMU_BAD_ENTRY,
		       "mode 0 with IR/IW = all of memory");
	expect_refused(&c, &p, &a[0],
		       (a[0] & ~AMDVI_DTE0_MODE(7)) | AMDVI_DTE0_MODE(3), 0, a,
		       IOMMU_BAD_LEVELS, "3 levels on a 4-level table");
	expect_refused(&c, &p, &a[1], 0, 0, a, IOMMU_BAD_DOMAIN,
		       "translated without a domain");
	expect_refused(&c, &p, &a[2], 1, 0, a, IOMMU_BAD_BITS,
		       "interrupt remapping bits");
	expect_refused(&c, &p, &a[1], a[1] | (1ull << 32), 0, a, IOMMU_BAD_BITS,
		       "IoCtl/SysMgt bits");
	expect_refused(&c, &p, leaf, 0x10000000 | AMDVI_PTE_PR | AMDVI_PTE_IR,
		       0, a, IOMMU_BAD_PROTECTED, "leaf at the IOMMU tables");
	expect_refused(&c, &p, leaf, *leaf | (1ull << 60), 0, a, IOMMU_BAD_BITS,
		       "FC bit");
	expect_refused(&c, &p, leaf, *leaf & ~AMDVI_PTE_PR, 0, a,
		       IOMMU_BAD_BITS, "not present but not zero");
	{
		uint64_t *top = pool_virt(&p, a[0] & AMDVI_DTE0_PTR_MASK);
		uint64_t *e = &top[0];

		CU_ASSERT_PTR_NOT_NULL_FATAL(top);
		/* Level skipping (next level 1 from level 4). */
		expect_refused(&c, &p, e,
			       (*e & ~AMDVI_PTE_NEXT(7)) | AMDVI_PTE_NEXT(1), 0,
			       a, IOMMU_BAD_BITS, "level skip");
		/* A 512 GiB leaf does not exist. */
		expect_refused(&c, &p, e, AMDVI_PTE_PR | AMDVI_PTE_IR, 0, a,
			       IOMMU_BAD_LEAF, "level-4 leaf");
	}
	free(devtab);
	pol_compiled_free(&cc);
	pool_free(&p);
}

/* A fake VT-d register file; a thread plays the hardware's busy bits. */
struct fake_vtd {
	uint8_t *regs;
	uint32_t iro;
	volatile int stop;
	pthread_t th;
	/* queued invalidation: the queue, the status word, descriptors seen */
	uint64_t *iq;
	volatile uint32_t *status;
	uint32_t head, cc, iotlb, waits, bad;
};

/* Play the invalidation queue: run descriptors from head to IQT. */
static void fake_qi(struct fake_vtd *f)
{
	uint32_t tail = (uint32_t)VTD_IQ_PTR_GET(
	    *(volatile uint64_t *)(f->regs + VTD_REG_IQT));

	while (f->iq && f->head != tail) {
		uint64_t lo = f->iq[2 * f->head];

		if (lo == VTD_DESC_CC_GLOBAL)
			f->cc++;
		else if (lo == VTD_DESC_IOTLB_GLOBAL)
			f->iotlb++;
		else if ((lo & 0xffffffffull) ==
			 (VTD_DESC_WAIT(0) & 0xffffffff)) {
			*f->status = (uint32_t)(lo >> 32);
			f->waits++;
		} else {
			f->bad++;
		}
		f->head = (f->head + 1) % VTD_IQ_ENTRIES;
		*(volatile uint64_t *)(f->regs + VTD_REG_IQH) =
		    VTD_IQ_PTR(f->head);
	}
}

static void *fake_vtd_run(void *arg)
{
	struct fake_vtd *f = arg;

	while (!f->stop) {
		volatile uint64_t *ccmd = (uint64_t *)(f->regs + VTD_REG_CCMD);
		volatile uint64_t *iotlb =
		    (uint64_t *)(f->regs + f->iro + VTD_IOTLB_OFF);

		if (*ccmd & VTD_CCMD_ICC)
			*ccmd &= ~VTD_CCMD_ICC;
		if (*iotlb & VTD_IOTLB_IVT)
			*iotlb &= ~VTD_IOTLB_IVT;
		fake_qi(f);
		sched_yield();
	}
	return NULL;
}

#define SPARE_PA 0x7800000000ull

static void host_vtd_setup(struct iommu_host *ih, struct fake_vtd *f,
			   uint8_t *pools[2], uint8_t *stage,
			   struct hv_ranges *prot)
{
	memset(ih, 0, sizeof(*ih));
	ih->kind = IOMMU_HOST_VTD;
	ih->nunits = 1;
	ih->levels = 3;
	ih->max_leaf = 3;
	ih->tsc_per_ms = 3000000;
	ih->pool_pa[0] = POOL_PA;
	ih->pool_pa[1] = SPARE_PA;
	ih->pool_va[0] = pools[0];
	ih->pool_va[1] = pools[1];
	ih->pool_pages = 256;
	ih->reserved = 1;
	ih->stage = stage;
	ih->prot = prot;
	f->regs = calloc(1, 0x1000);
	f->iro = 0x100;
	ih->unit[0].regs = f->regs;
	ih->unit[0].proto.ecap = VTD_ECAP_C; /* coherent: no flushes needed */
	ih->unit[0].proto.iro = f->iro;
	ih->unit[0].proto.nfr = 2;
	ih->unit[0].proto.fro = 0x200;
	/* Translation on, root pointer status set (one-shot status). */
	*(uint32_t *)(f->regs + VTD_REG_GSTS) = VTD_GCMD_TE | VTD_GCMD_SRTP;
}

/* Build the lab policy's VT-d tables into the stage for pool `pool`. */
static uint64_t stage_vtd(struct iommu_host *ih, uint8_t *stage, uint32_t pool,
			  struct pol_compiled *cc)
{
	struct iommu_dev devs[NDEV];
	struct pol_blob_view v;
	struct iommu_plan plan;
	struct iommu_stage st = { stage, ih->pool_pa[pool], ih->reserved,
				  ih->pool_pages, 0 };
	struct iommu_mem m = { &st, iommu_stage_alloc, iommu_stage_virt };
	struct iommu_stage_hdr *h = (struct iommu_stage_hdr *)stage;
	struct vtd_tables t;

	plan_lab_mem(IOMMU_PT_VTD, "policy/examples/lab.xml", &m, devs, &plan,
		     cc, &v);
	CU_ASSERT_EQUAL_FATAL(vtd_tables_init(&t, &m), 0);
	CU_ASSERT_EQUAL_FATAL(vtd_tables_from_plan(&t, &plan, devs, NDEV, 0),
			      0);
	memset(h, 0, sizeof(*h));
	h->magic = IOMMU_STAGE_MAGIC;
	h->version = IOMMU_STAGE_VERSION;
	h->npages = st.used;
	h->pool = pool;
	h->root_page[0] = (uint32_t)((t.root_pa - ih->pool_pa[pool]) / 4096);
	return t.root_pa;
}

static void test_host_swap_vtd(void)
{
	struct hv_ranges prot = lab_prot_set();
	struct iommu_host *ih = calloc(1, sizeof(*ih));
	uint8_t *pools[2] = { calloc(256, 4096), calloc(256, 4096) };
	uint8_t *stage = calloc(256, 4096);
	struct iommu_stage_hdr *h = (struct iommu_stage_hdr *)stage;
	struct pol_compiled cc;
	struct fake_vtd f = { 0 };
	uint64_t root, *rtaddr;
	uint32_t keep;

	CU_ASSERT_PTR_NOT_NULL_FATAL(ih);
	host_vtd_setup(ih, &f, pools, stage, &prot);
	rtaddr = (uint64_t *)(f.regs + VTD_REG_RTADDR);
	CU_ASSERT_EQUAL_FATAL(pthread_create(&f.th, NULL, fake_vtd_run, &f), 0);
	root = stage_vtd(ih, stage, 1, &cc);

	/* Hostile staging: each refused, nothing written, nothing live. */
	keep = h->magic;
	h->magic ^= 1;
	CU_ASSERT_EQUAL(iommu_host_swap(ih), -EINVAL);
	CU_ASSERT_EQUAL(ih->last_why, IOMMU_BAD_HEADER);
	h->magic = keep;
	h->pool = 0; /* the active pool */
	CU_ASSERT_EQUAL(iommu_host_swap(ih), -EINVAL);
	h->pool = 1;
	keep = h->npages;
	h->npages = 256; /* beyond the pool after the reserved page */
	CU_ASSERT_EQUAL(iommu_host_swap(ih), -EINVAL);
	h->npages = keep;
	{
		/* edu A's window leaf redirected at the hypervisor. */
		uint64_t *r = (uint64_t *)(stage + (root - SPARE_PA));
		uint64_t *ctx =
		    (uint64_t *)(stage +
				 ((r[0] & VTD_ROOT_CTP_MASK) - SPARE_PA));
		uint64_t *l3 = (uint64_t *)(stage + ((ctx[2 * (4 << 3)] &
						      VTD_CTX_LO_SLPTPTR_MASK) -
						     SPARE_PA));
		uint64_t save = l3[0];

		l3[0] = 0x40200000 | VTD_SL_PS | VTD_SL_R | VTD_SL_W;
		CU_ASSERT_EQUAL(iommu_host_swap(ih), -EINVAL);
		CU_ASSERT_EQUAL(ih->last_why, IOMMU_BAD_LEAF); /* misaligned */
		l3[0] = 0 | VTD_SL_PS | VTD_SL_R | VTD_SL_W;
		CU_ASSERT_EQUAL(iommu_host_swap(ih), -EINVAL);
		CU_ASSERT_EQUAL(ih->last_why, IOMMU_BAD_PROTECTED);
		l3[0] = save;
	}
	CU_ASSERT_EQUAL(*rtaddr, 0);
	CU_ASSERT_EQUAL(ih->generation, 0);
	CU_ASSERT_EQUAL(ih->active, 0);
	CU_ASSERT_EQUAL(ih->refused, 5);

	/* The real tables: copied, checked, live, invalidated. */
	CU_ASSERT_EQUAL(iommu_host_swap(ih), 0);
	CU_ASSERT_EQUAL(*rtaddr, root);
	CU_ASSERT_EQUAL(ih->generation, 1);
	CU_ASSERT_EQUAL(ih->active, 1);
	CU_ASSERT_EQUAL(ih->unit[0].root_page, (root - SPARE_PA) / 4096);
	CU_ASSERT_EQUAL(
	    memcmp(pools[1] + 4096, stage + 4096, (size_t)h->npages * 4096), 0);
	CU_ASSERT_EQUAL(*(uint64_t *)(f.regs + VTD_REG_CCMD) & VTD_CCMD_ICC, 0);
	/* Changing the stage afterwards changes nothing live. */
	memset(stage + 4096, 0xff, 4096);
	CU_ASSERT_NOT_EQUAL(memcmp(pools[1] + 4096, stage + 4096, 4096), 0);
	/* The next swap must target the other pool. */
	CU_ASSERT_EQUAL(iommu_host_swap(ih), -EINVAL);
	CU_ASSERT_EQUAL(ih->last_why, IOMMU_BAD_HEADER);
	CU_ASSERT_EQUAL(ih->active, 1);

	/* A stuck unit: bounded wait, reported, never a hang. */
	f.stop = 1;
	pthread_join(f.th, NULL);
	pol_compiled_free(&cc);
	ih->tsc_per_ms = 1000;
	root = stage_vtd(ih, stage, 0, &cc);
	CU_ASSERT_EQUAL(iommu_host_swap(ih), -ETIMEDOUT);
	CU_ASSERT_EQUAL(*rtaddr, root);
	pol_compiled_free(&cc);
	free(f.regs);
	free(pools[0]);
	free(pools[1]);
	free(stage);
	free(ih);
}

static void test_host_drain_vtd(void)
{
	struct hv_ranges prot = lab_prot_set();
	struct iommu_host *ih = calloc(1, sizeof(*ih));
	uint8_t *pools[2] = { NULL, NULL };
	struct fake_vtd f = { 0 };
	struct iommu_host_rec r;
	struct iommu_fault flt;
	uint32_t left = 9;
	uint8_t *fr;

	CU_ASSERT_PTR_NOT_NULL_FATAL(ih);
	host_vtd_setup(ih, &f, pools, NULL, &prot);
	CU_ASSERT_EQUAL(iommu_host_drain(ih, &r, &left), -ENOENT);
	CU_ASSERT_EQUAL(left, 0);
	/* Two pending records (edu B write at 0x3000000, read at 0x5000),
	 * and an overflow. */
	fr = f.regs + 0x200;
	*(uint64_t *)(fr + 0) = 0x3000000;
	*(uint64_t *)(fr + 8) = VTD_FRCD_HI_F | (5ull << 32) | 0x28;
	*(uint64_t *)(fr + 16) = 0x5000;
	*(uint64_t *)(fr + 24) =
	    VTD_FRCD_HI_F | VTD_FRCD_HI_T | (6ull << 32) | 0x28;
	*(uint32_t *)(f.regs + VTD_REG_FSTS) = VTD_FSTS_PPF | VTD_FSTS_PFO;
	CU_ASSERT_EQUAL(iommu_host_drain(ih, &r, &left), 0);
	CU_ASSERT_EQUAL(left, 1);
	CU_ASSERT_EQUAL(r.src, IOMMU_HOST_VTD);
	CU_ASSERT_EQUAL(vtd_fault_decode(r.lo, r.hi, &flt), 0);
	CU_ASSERT_EQUAL(flt.addr, 0x3000000);
	CU_ASSERT_EQUAL(flt.sid, 0x28);
	CU_ASSERT_EQUAL(flt.write, 1);
	/* Host mode cleared it (F is write-1-to-clear at offset 12). */
	CU_ASSERT_EQUAL(*(uint32_t *)(fr + VTD_FRCD_F_OFF), VTD_FRCD_F_DW);
	CU_ASSERT_EQUAL(*(uint32_t *)(f.regs + VTD_REG_FSTS) & VTD_FSTS_PFO,
			VTD_FSTS_PFO); /* the W1C write, as stored */
	CU_ASSERT_EQUAL(ih->unit[0].hw_overflow, 1);
	CU_ASSERT_EQUAL(iommu_host_drain(ih, &r, &left), 0);
	CU_ASSERT_EQUAL(left, 0);
	CU_ASSERT_EQUAL(vtd_fault_decode(r.lo, r.hi, &flt), 0);
	CU_ASSERT_EQUAL(flt.addr, 0x5000);
	CU_ASSERT_EQUAL(flt.write, 0);
	/* More pending records than the ring holds: the rest are counted. */
	ih->unit[0].proto.nfr = 80;
	for (uint32_t i = 0; i < 80; i++) {
		*(uint64_t *)(fr + 16 * i) = 0x1000ull * (i + 1);
		*(uint64_t *)(fr + 16 * i + 8) =
		    VTD_FRCD_HI_F | (5ull << 32) | 0x28;
	}
	*(uint32_t *)(f.regs + VTD_REG_FSTS) = VTD_FSTS_PPF;
	CU_ASSERT_EQUAL(iommu_host_drain(ih, &r, &left), 0);
	CU_ASSERT_EQUAL(left, IOMMU_HOST_RING - 1);
	CU_ASSERT_EQUAL(ih->dropped, 80 - IOMMU_HOST_RING);
	/* Busy: another CPU inside an IOMMU call. */
	ih->lock = 1;
	CU_ASSERT_EQUAL(iommu_host_drain(ih, &r, &left), -EBUSY);
	CU_ASSERT_EQUAL(iommu_host_swap(ih), -EBUSY);
	free(f.regs);
	free(ih);
}

/* The same swap on a unit with queued invalidation on: no register-based
 * invalidation, the descriptors and a wait, bounded. */
static void test_host_swap_vtd_qi(void)
{
	struct hv_ranges prot = lab_prot_set();
	struct iommu_host *ih = calloc(1, sizeof(*ih));
	uint8_t *pools[2] = { calloc(256, 4096), calloc(256, 4096) };
	uint8_t *stage = calloc(256, 4096);
	uint64_t *iq = aligned_alloc(4096, 4096);
	static uint32_t status;
	struct pol_compiled cc;
	struct fake_vtd f = { 0 };
	uint64_t root;

	CU_ASSERT_PTR_NOT_NULL_FATAL(ih);
	host_vtd_setup(ih, &f, pools, stage, &prot);
	memset(iq, 0, 4096);
	f.iq = iq;
	f.status = &status;
	ih->unit[0].proto.iq = iq;
	ih->unit[0].proto.iq_status = &status;
	ih->unit[0].proto.iq_status_pa = 0x7f00001000ull;
	ih->unit[0].proto.qi_on = 1;
	ih->unit[0].proto.iq_tail = 250; /* wraps during the swap */
	f.head = 250;
	*(uint64_t *)(f.regs + VTD_REG_IQT) = VTD_IQ_PTR(250);
	CU_ASSERT_EQUAL_FATAL(pthread_create(&f.th, NULL, fake_vtd_run, &f), 0);
	root = stage_vtd(ih, stage, 1, &cc);
	CU_ASSERT_EQUAL(iommu_host_swap(ih), 0);
	CU_ASSERT_EQUAL(*(uint64_t *)(f.regs + VTD_REG_RTADDR), root);
	f.stop = 1;
	pthread_join(f.th, NULL);
	CU_ASSERT_EQUAL(f.cc, 1);
	CU_ASSERT_EQUAL(f.iotlb, 1);
	CU_ASSERT_EQUAL(f.waits, 1);
	CU_ASSERT_EQUAL(f.bad, 0);
	CU_ASSERT_EQUAL(iq[2 * 252 + 1], 0x7f00001000ull); /* status address */
	CU_ASSERT_EQUAL(ih->unit[0].proto.iq_tail, 253);
	/* Registers untouched: QI owns invalidation. */
	CU_ASSERT_EQUAL(*(uint64_t *)(f.regs + VTD_REG_CCMD), 0);
	CU_ASSERT_EQUAL(*(uint64_t *)(f.regs + f.iro + VTD_IOTLB_OFF), 0);
	/* A queue error is reported, not waited out. */
	pol_compiled_free(&cc);
	root = stage_vtd(ih, stage, 0, &cc);
	*(uint32_t *)(f.regs + VTD_REG_FSTS) = VTD_FSTS_IQE;
	CU_ASSERT_EQUAL(iommu_host_swap(ih), -EIO);
	pol_compiled_free(&cc);
	free(f.regs);
	free(iq);
	free(pools[0]);
	free(pools[1]);
	free(stage);
	free(ih);
}

/* Requester-id aliases: shared ids fail closed, unowned ids get entries. */
static void test_plan_aliases(void)
{
	struct iommu_dev devs[NDEV + 4];
	struct pol_compiled c;
	struct pol_blob_view v;
	struct iommu_plan plan;
	struct vtd_tables t;
	struct pool p;
	uint32_t n = NDEV, conflicts = 9;
	uint64_t lo = 0, hi = 0;
	uint16_t a_dom;
	const struct iommu_alias al[] = {
		{ 0, 0x20, D_EDU_A },  /* its own id: nothing to do */
		{ 0, 0x308, D_EXT },   /* 03:01.0 nobody owns: appended */
		{ 0, 0x308, D_EXT },   /* same again: no change */
		{ 0, 0x20, D_EDU_X },  /* deny device on A's id: conflict */
		{ 0, 0x309, D_AHCI },  /* 03:01.1: identity, appended */
		{ 0, 0x309, D_EDU_B }, /* deny user of it: conflict */
	};

	plan_lab(IOMMU_PT_VTD, &p, devs, &plan, &c, &v);
	a_dom = devs[D_EDU_A].domain;
	CU_ASSERT_NOT_EQUAL(a_dom, plan.deny_dom);
	CU_ASSERT_EQUAL(iommu_plan_aliases(&plan, devs, &n, NDEV + 4, al,
					   HV_ARRAY_SIZE(al), &conflicts),
			0);
	CU_ASSERT_EQUAL(n, NDEV + 2);
	CU_ASSERT_EQUAL(conflicts, 2);
	CU_ASSERT_EQUAL(devs[D_EDU_A].domain, plan.deny_dom);
	CU_ASSERT_EQUAL(devs[D_EDU_A].rule, IOMMU_RULE_ALIAS_CONFLICT);
	CU_ASSERT_EQUAL(devs[NDEV].id.bus, 3);
	CU_ASSERT_EQUAL(devs[NDEV].id.device, 1);
	CU_ASSERT_EQUAL(devs[NDEV].domain, devs[D_EXT].domain);
	CU_ASSERT_EQUAL(devs[NDEV].rule, IOMMU_RULE_ALIAS);
	CU_ASSERT_EQUAL(devs[NDEV + 1].id.function, 1);
	CU_ASSERT_EQUAL(devs[NDEV + 1].domain, plan.deny_dom);
	CU_ASSERT_EQUAL(devs[NDEV + 1].rule, IOMMU_RULE_ALIAS_CONFLICT);
	/* The tables carry the alias ids: 03:01.1 present and denied. */
	CU_ASSERT_EQUAL_FATAL(vtd_tables_init(&t, &plan.dom[0].pt.mem), 0);
	CU_ASSERT_EQUAL_FATAL(vtd_tables_from_plan(&t, &plan, devs, n, 0), 0);
	CU_ASSERT_EQUAL(vtd_get_context(&t, 3, 9, &lo, &hi), 0);
	CU_ASSERT_EQUAL(lo & VTD_CTX_LO_SLPTPTR_MASK,
			plan.dom[plan.deny_dom].pt.root_pa);
	/* No room for an appended id: refused, not silently skipped. */
	n = NDEV;
	lab_devs(devs);
	CU_ASSERT_EQUAL(
	    iommu_plan_aliases(&plan, devs, &n, NDEV, &al[1], 1, &conflicts),
	    -E2BIG);
	n = NDEV;
	CU_ASSERT_EQUAL(iommu_plan_aliases(&plan, devs, &n, NDEV + 4,
					   &(struct iommu_alias){ 0, 1, NDEV },
					   1, &conflicts),
			-EINVAL);
	pol_compiled_free(&c);
	pool_free(&p);
}

UNIT_SUITE(iommu, NULL, NULL, UNIT_TEST(test_pt_vtd), UNIT_TEST(test_pt_amdvi),
	   UNIT_TEST(test_pt_encoding), UNIT_TEST(test_pt_alloc_failure),
	   UNIT_TEST(test_plan_lab_vtd), UNIT_TEST(test_plan_lab_amdvi),
	   UNIT_TEST(test_plan_ro_and_default_window),
	   UNIT_TEST(test_plan_window_too_high), UNIT_TEST(test_plan_unity_vtd),
	   UNIT_TEST(test_plan_unity_amdvi), UNIT_TEST(test_plan_unity_bad),
	   UNIT_TEST(test_vtd_fault_decode), UNIT_TEST(test_amdvi_event_decode),
	   UNIT_TEST(test_fault_ring), UNIT_TEST(test_table_memory_model),
	   UNIT_TEST(test_check_vtd), UNIT_TEST(test_check_amdvi),
	   UNIT_TEST(test_host_swap_vtd), UNIT_TEST(test_host_swap_vtd_qi),
	   UNIT_TEST(test_host_drain_vtd), UNIT_TEST(test_plan_aliases))
