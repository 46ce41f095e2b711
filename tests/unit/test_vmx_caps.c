// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_vmx_caps.c - VT-x capability decisions against recorded capability
 * MSRs of real CPUs and Bochs (tests/data/vmx, one .txt per CPU; host userspace), plus
 * the refusal paths, feature-control locking, segment conversion, XSETBV
 * validation, MSR bitmap and EPTP encoding.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "thinhv/compat.h"
#include "thinhv/hw/vmx_regs.h"
#include "thinhv/host/vmx_caps.h"

/* ---- recorded data ---------------------------------------------------- */

enum {
	F_CPUID,
	F_FC,
	F_BASIC,
	F_PIN,
	F_PROC,
	F_EXIT,
	F_ENTRY,
	F_TPIN,
	F_TPROC,
	F_TEXIT,
	F_TENTRY,
	F_PROC2,
	F_EPT,
	F_MISC,
	F_CR0F0,
	F_CR0F1,
	F_CR4F0,
	F_CR4F1,
	F_COUNT
};

static const char *const field_names[F_COUNT] = {
	"cpuid1_ecx", "feature_control",
	"basic",      "pin",
	"proc",	      "exit",
	"entry",      "true_pin",
	"true_proc",  "true_exit",
	"true_entry", "proc2",
	"ept_vpid",   "misc",
	"cr0_fixed0", "cr0_fixed1",
	"cr4_fixed0", "cr4_fixed1",
};

enum {
	E_PLAN,
	E_PIN,
	E_PROC,
	E_PROC2,
	E_EXIT,
	E_ENTRY,
	E_REFUSE_PROC,
	E_LEAF,
	E_INVEPT,
	E_VPID,
	E_COUNT
};

static const char *const expect_names[E_COUNT] = {
	"expect_plan",	      "expect_pin",	     "expect_proc",
	"expect_proc2",	      "expect_exit",	     "expect_entry",
	"expect_refuse_proc", "expect_ept_max_leaf", "expect_invept",
	"expect_vpid",
};

struct recording {
	char name[128];
	uint64_t v[F_COUNT];
	bool have[F_COUNT];
	uint64_t e[E_COUNT];
	bool want[E_COUNT];
	char plan[64];
};

static int plan_errno(const char *s)
{
	if (!strcmp(s, "ok"))
		return 0;
	if (!strcmp(s, "ENODEV"))
		return -ENODEV;
	if (!strcmp(s, "EPERM"))
		return -EPERM;
	if (!strcmp(s, "EOPNOTSUPP"))
		return -EOPNOTSUPP;
	if (!strcmp(s, "EINVAL"))
		return -EINVAL;
	return 1; /* unknown word: the test fails */
}

/* Parse one recording; a malformed line fails the test with file:line. */
static bool load(const char *path, struct recording *r)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int lineno = 0;

	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", strrchr(path, '/') + 1);
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		char key[64], val[64];
		char *hash = strchr(line, '#'), *end;
		int i, n;

		lineno++;
		if (hash)
			*hash = 0;
		n = sscanf(line, "%63s %63s", key, val);
		if (n <= 0)
			continue;
		if (n != 2) {
			fprintf(stderr, "%s:%d: want 'key value'\n", path,
				lineno);
			fclose(f);
			return false;
		}
		if (!strcmp(key, "expect_plan")) {
			snprintf(r->plan, sizeof(r->plan), "%s", val);
			r->want[E_PLAN] = true;
			continue;
		}
		for (i = 0; i < F_COUNT; i++) {
			if (!strcmp(key, field_names[i])) {
				r->v[i] = strtoull(val, &end, 0);
				r->have[i] = !*end;
				break;
			}
		}
		if (i < F_COUNT) {
			if (!r->have[i]) {
				fprintf(stderr, "%s:%d: bad number\n", path,
					lineno);
				fclose(f);
				return false;
			}
			continue;
		}
		for (i = 1; i < E_COUNT; i++) {
			if (!strcmp(key, expect_names[i])) {
				r->e[i] = strtoull(val, &end, 0);
				r->want[i] = !*end;
				break;
			}
		}
		if (i == E_COUNT || !r->want[i]) {
			fprintf(stderr,
				"%s:%d: unknown key or bad value '%s'\n", path,
				lineno, key);
			fclose(f);
			return false;
		}
	}
	fclose(f);
	return true;
}

#define MAX_REC 32
static struct recording recs[MAX_REC];
static int nrecs;

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct recording *)a)->name,
		      ((const struct recording *)b)->name);
}

static int suite_init(void)
{
	char dir[1024], path[1400];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/tests/data/vmx", unit_srcdir());
	d = opendir(dir);
	if (!d)
		return -1;
	nrecs = 0;
	while ((de = readdir(d)) && nrecs < MAX_REC) {
		size_t l = strlen(de->d_name);

		if (l < 5 || strcmp(de->d_name + l - 4, ".txt"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (!load(path, &recs[nrecs])) {
			closedir(d);
			return -1;
		}
		nrecs++;
	}
	closedir(d);
	qsort(recs, (size_t)nrecs, sizeof(recs[0]), by_name);
	return 0;
}

static uint64_t ctl_cap(const struct recording *r, int plain, int tru, bool *ok)
{
	*ok = true;
	if (r->have[tru])
		return r->v[tru];
	if (r->have[plain])
		return r->v[plain];
	*ok = false;
	return 0;
}

/* Every recording parses, names its source, and has something to check. */
static void test_recordings_present(void)
{
	int i, j, checks;

	CU_ASSERT(nrecs >= 7); /* 6 real CPU recordings + Bochs */
	for (i = 0; i < nrecs; i++) {
		checks = 0;
		for (j = 0; j < E_COUNT; j++)
			checks += recs[i].want[j];
		if (!checks)
			fprintf(stderr, "%s: no expectations\n", recs[i].name);
		CU_ASSERT(checks > 0);
	}
}

/*
 * Each recorded control MSR: the computed word equals the hand-derived
 * expectation, and is valid under the MSR (what VM entry checks).
 */
static void test_recorded_controls(void)
{
	static const struct {
		enum vmx_ctl k;
		int plain, tru, expect;
	} map[] = {
		{ VMX_CTL_PIN, F_PIN, F_TPIN, E_PIN },
		{ VMX_CTL_PROC, F_PROC, F_TPROC, E_PROC },
		{ VMX_CTL_PROC2, F_PROC2, F_PROC2, E_PROC2 },
		{ VMX_CTL_EXIT, F_EXIT, F_TEXIT, E_EXIT },
		{ VMX_CTL_ENTRY, F_ENTRY, F_TENTRY, E_ENTRY },
	};
	int i, checked = 0;
	size_t j;

	for (i = 0; i < nrecs; i++) {
		const struct recording *r = &recs[i];

		for (j = 0; j < HV_ARRAY_SIZE(map); j++) {
			struct vmx_refusal why = { 0 };
			uint32_t out = 0;
			bool ok;
			uint64_t cap =
			    ctl_cap(r, map[j].plain, map[j].tru, &ok);
			int rc;

			if (!ok || !r->want[map[j].expect])
				continue;
			rc = vmx_plan_ctl(map[j].k, cap, &out, &why);
			if (rc || out != (uint32_t)r->e[map[j].expect])
				fprintf(stderr,
					"%s: control %d rc %d got %#x want "
					"%#llx (%s: %s)\n",
					r->name, (int)map[j].k, rc, out,
					(unsigned long long)r->e[map[j].expect],
					why.what ? why.what : "-",
					why.why ? why.why : "-");
			CU_ASSERT_EQUAL(rc, 0);
			CU_ASSERT_EQUAL(out, (uint32_t)r->e[map[j].expect]);
			CU_ASSERT(vmx_ctl_valid(cap, out));
			checked++;
		}
	}
	CU_ASSERT(checked >= 15);
}

/* Non-TRUE primary controls that force CR3 exits are refused, naming them. */
static void test_recorded_refusals(void)
{
	int i, checked = 0;

	for (i = 0; i < nrecs; i++) {
		const struct recording *r = &recs[i];
		struct vmx_refusal why = { 0 };
		uint32_t out = 0;
		int rc;

		if (!r->want[E_REFUSE_PROC] || !r->have[F_PROC])
			continue;
		rc = vmx_plan_ctl(VMX_CTL_PROC, r->v[F_PROC], &out, &why);
		CU_ASSERT_EQUAL(rc, -EOPNOTSUPP);
		CU_ASSERT_EQUAL(why.bits, r->e[E_REFUSE_PROC]);
		CU_ASSERT_PTR_NOT_NULL(why.what);
		CU_ASSERT_PTR_NOT_NULL(why.why);
		checked++;
	}
	CU_ASSERT(checked >= 1);
}

/* Complete recordings: the whole plan, EPT and VPID decisions included. */
static void test_recorded_plans(void)
{
	int i, checked = 0;

	for (i = 0; i < nrecs; i++) {
		const struct recording *r = &recs[i];
		struct vmx_cap_msrs m;
		struct vmx_plan p;
		struct vmx_refusal why;
		int rc;

		if (!r->want[E_PLAN])
			continue;
		memset(&m, 0, sizeof(m));
		m.cpuid1_ecx = (uint32_t)r->v[F_CPUID];
		m.feature_control = r->v[F_FC];
		m.basic = r->v[F_BASIC];
		m.pin = r->v[F_PIN];
		m.proc = r->v[F_PROC];
		m.exit = r->v[F_EXIT];
		m.entry = r->v[F_ENTRY];
		m.true_pin = r->v[F_TPIN];
		m.true_proc = r->v[F_TPROC];
		m.true_exit = r->v[F_TEXIT];
		m.true_entry = r->v[F_TENTRY];
		m.proc2 = r->v[F_PROC2];
		m.ept_vpid = r->v[F_EPT];
		m.misc = r->v[F_MISC];
		m.cr0_fixed0 = r->v[F_CR0F0];
		m.cr0_fixed1 = r->v[F_CR0F1];
		m.cr4_fixed0 = r->v[F_CR4F0];
		m.cr4_fixed1 = r->v[F_CR4F1];
		rc = vmx_caps_plan(&m, &p, &why);
		if (rc != plan_errno(r->plan))
			fprintf(stderr, "%s: plan rc %d (%s: %s %#llx)\n",
				r->name, rc, why.what ? why.what : "-",
				why.why ? why.why : "-",
				(unsigned long long)why.bits);
		CU_ASSERT_EQUAL(rc, plan_errno(r->plan));
		checked++;
		if (rc)
			continue;
		CU_ASSERT(p.proc & VMX_PROC_SECONDARY);
		CU_ASSERT(p.proc2 & VMX_PROC2_EPT);
		CU_ASSERT(vmx_ctl_valid(
		    m.basic & VMX_BASIC_TRUE_CTLS_MSRS ? m.true_pin : m.pin,
		    p.pin));
		CU_ASSERT(vmx_ctl_valid(m.proc2, p.proc2));
		if (r->want[E_LEAF])
			CU_ASSERT_EQUAL(p.ept_max_leaf, r->e[E_LEAF]);
		if (r->want[E_INVEPT])
			CU_ASSERT_EQUAL(p.invept_type, r->e[E_INVEPT]);
		if (r->want[E_VPID])
			CU_ASSERT_EQUAL(p.vpid, r->e[E_VPID] != 0);
		CU_ASSERT_EQUAL(p.vmcs_size,
				(uint32_t)((m.basic >> 32) & 0x1fff));
	}
	CU_ASSERT(checked >= 1); /* bochs-skylake-x.txt */
}

/* ---- synthetic: one change away from a good CPU -------------------------- */

/* A consistent modern CPU (values from vbox-issue224 + SDM-typical rest). */
static void good_cpu(struct vmx_cap_msrs *m)
{
	memset(m, 0, sizeof(*m));
	m->cpuid1_ecx = VMX_CPUID1_ECX_VMX;
	m->feature_control = X86_FC_LOCK | X86_FC_VMX_OUTSIDE_SMX;
	m->basic = 0x00da040000000004ull;
	m->true_pin = 0x7f00000016ull;
	m->true_proc = 0xfff9fffe04006172ull;
	m->true_exit = 0x1ffffff00036dfbull;
	m->true_entry = 0x3ffff000011fbull;
	m->proc2 = 0x0000000200000000ull |
		   ((uint64_t)(VMX_PROC2_EPT | VMX_PROC2_VPID |
			       VMX_PROC2_RDTSCP | VMX_PROC2_XSAVES)
		    << 32);
	m->ept_vpid = 0xf0106734141ull;
	m->cr0_fixed0 = 0x80000021;
	m->cr0_fixed1 = 0xffffffff;
	m->cr4_fixed0 = 0x2000;
	m->cr4_fixed1 = 0x3767ff;
}

static void test_plan_good_and_refusals(void)
{
	struct vmx_cap_msrs m;
	struct vmx_plan p;
	struct vmx_refusal why;

	good_cpu(&m);
	CU_ASSERT_EQUAL_FATAL(vmx_caps_plan(&m, &p, &why), 0);
	CU_ASSERT_EQUAL(p.proc2, VMX_PROC2_EPT | VMX_PROC2_VPID |
				     VMX_PROC2_RDTSCP | VMX_PROC2_XSAVES);
	CU_ASSERT_EQUAL(p.revision, 4);
	CU_ASSERT_EQUAL(p.vmcs_size, 1024);
	CU_ASSERT(p.true_ctls);
	CU_ASSERT_EQUAL(p.ept_max_leaf, 3);
	CU_ASSERT_EQUAL(p.invvpid_type, VMX_INVVPID_SINGLE);

	good_cpu(&m);
	m.cpuid1_ecx = 0;
	CU_ASSERT_EQUAL(vmx_caps_plan(&m, &p, &why), -ENODEV);
	CU_ASSERT_STRING_EQUAL(why.why, "no VMX");

	good_cpu(&m);
	m.feature_control = X86_FC_LOCK;
	CU_ASSERT_EQUAL(vmx_caps_plan(&m, &p, &why), -EPERM);
	CU_ASSERT_STRING_EQUAL(why.what, "IA32_FEATURE_CONTROL");

	/* Unlocked: the plan is fine (the backend locks it enabled). */
	good_cpu(&m);
	m.feature_control = 0;
	CU_ASSERT_EQUAL(vmx_caps_plan(&m, &p, &why), 0);

	/* No EPT among the allowed secondary controls. */
	good_cpu(&m);
	m.proc2 &= ~((uint64_t)VMX_PROC2_EPT << 32);
	CU_ASSERT_EQUAL(vmx_caps_plan(&m, &p, &why), -EOPNOTSUPP);
	CU_ASSERT_EQUAL(why.bits, VMX_PROC2_EPT);
	CU_ASSERT_STRING_EQUAL(why.why, "required control cannot be set");

	/* EPT without WB paging structures. */
	good_cpu(&m);
	m.ept_vpid &= ~VMX_EPT_MT_WB;
	CU_ASSERT_EQUAL(vmx_caps_plan(&m, &p, &why), -EOPNOTSUPP);
	CU_ASSERT_EQUAL(why.bits, VMX_EPT_MT_WB);

	/* INVEPT without any usable type. */
	good_cpu(&m);
	m.ept_vpid &= ~(VMX_EPT_INVEPT_SINGLE | VMX_EPT_INVEPT_ALL);
	CU_ASSERT_EQUAL(vmx_caps_plan(&m, &p, &why), -EOPNOTSUPP);

	/* Only all-context INVEPT, no 1G, no INVVPID: degrade, don't refuse. */
	good_cpu(&m);
	m.ept_vpid &= ~(VMX_EPT_INVEPT_SINGLE | VMX_EPT_1G | VMX_VPID_INVVPID);
	CU_ASSERT_EQUAL_FATAL(vmx_caps_plan(&m, &p, &why), 0);
	CU_ASSERT_EQUAL(p.invept_type, VMX_INVEPT_ALL);
	CU_ASSERT_EQUAL(p.ept_max_leaf, 2);
	CU_ASSERT(!p.vpid);
	CU_ASSERT_EQUAL(p.proc2 & VMX_PROC2_VPID, 0);

	/* A CPU forcing HLT exiting (we don't handle it) is refused. */
	good_cpu(&m);
	m.true_proc |= VMX_PROC_HLT_EXIT;
	CU_ASSERT_EQUAL(vmx_caps_plan(&m, &p, &why), -EOPNOTSUPP);
	CU_ASSERT_EQUAL(why.bits, VMX_PROC_HLT_EXIT);
	CU_ASSERT_STRING_EQUAL(why.why,
			       "CPU forces a control thinhv does not handle");

	/* Without TRUE controls the plain MSR (forcing CR3 exits) is used. */
	good_cpu(&m);
	m.basic &= ~VMX_BASIC_TRUE_CTLS_MSRS;
	m.pin = m.true_pin;
	m.proc = 0xfff9fffe0401e172ull;
	m.exit = m.true_exit;
	m.entry = m.true_entry;
	CU_ASSERT_EQUAL(vmx_caps_plan(&m, &p, &why), -EOPNOTSUPP);
	CU_ASSERT_EQUAL(why.bits,
			VMX_PROC_CR3_LOAD_EXIT | VMX_PROC_CR3_STORE_EXIT);

	/* Exit controls lacking "load EFER". */
	good_cpu(&m);
	m.true_exit &= ~((uint64_t)VMX_EXIT_LOAD_EFER << 32);
	CU_ASSERT_EQUAL(vmx_caps_plan(&m, &p, &why), -EOPNOTSUPP);
	CU_ASSERT_STRING_EQUAL(why.what, "VM-exit controls");

	/* Malformed: VMCS size 0, UC VMCS, a CR bit fixed both ways. */
	good_cpu(&m);
	m.basic &= ~(0x1fffull << 32);
	CU_ASSERT_EQUAL(vmx_caps_plan(&m, &p, &why), -EINVAL);
	good_cpu(&m);
	m.basic &= ~(0xfull << 50);
	CU_ASSERT_EQUAL(vmx_caps_plan(&m, &p, &why), -EOPNOTSUPP);
	good_cpu(&m);
	m.cr4_fixed1 &= ~0x2000ull;
	CU_ASSERT_EQUAL(vmx_caps_plan(&m, &p, &why), -EINVAL);
}

static void test_ctl_compute_rules(void)
{
	uint32_t out = 0, bad = 0;

	/* must-be-1 kept, wanted added, optional only where allowed */
	CU_ASSERT_EQUAL(
	    vmx_ctl_compute(0x000000ff00000011ull, 0x2, 0x104, 0, &out, &bad),
	    0);
	CU_ASSERT_EQUAL(out, 0x17);
	/* wanted but not allowed to be 1 */
	CU_ASSERT_EQUAL(
	    vmx_ctl_compute(0x000000ff00000011ull, 0x100, 0, 0, &out, &bad),
	    -EOPNOTSUPP);
	CU_ASSERT_EQUAL(bad, 0x100);
	/* forced to 1 but forbidden */
	CU_ASSERT_EQUAL(
	    vmx_ctl_compute(0x000000ff00000011ull, 0, 0, 0x10, &out, &bad),
	    -EOPNOTSUPP);
	CU_ASSERT_EQUAL(bad, 0x10);
	/* MSR says bit must be 1 and may not be 1 */
	CU_ASSERT_EQUAL(
	    vmx_ctl_compute(0x0000000e00000001ull, 0, 0, 0, &out, &bad),
	    -EINVAL);
	/* contradictory request */
	CU_ASSERT_EQUAL(vmx_ctl_compute(~0ull, 1, 0, 1, &out, &bad), -EINVAL);
	CU_ASSERT(vmx_ctl_valid(0x000000ff00000011ull, 0x11));
	CU_ASSERT(!vmx_ctl_valid(0x000000ff00000011ull, 0x01));
	CU_ASSERT(!vmx_ctl_valid(0x000000ff00000011ull, 0x111));
}

static void test_feature_control(void)
{
	uint64_t nv = 0;

	CU_ASSERT_EQUAL(vmx_feature_control(0x5, &nv), 0);
	CU_ASSERT_EQUAL(vmx_feature_control(0x1, &nv), -EPERM);
	CU_ASSERT_EQUAL(vmx_feature_control(0x3, &nv), -EPERM); /* SMX only */
	CU_ASSERT_EQUAL(vmx_feature_control(0x0, &nv), 1);
	CU_ASSERT_EQUAL(nv, 0x5);
	/* other bits (e.g. SGX enable, bit 18) survive the lock write */
	CU_ASSERT_EQUAL(vmx_feature_control(1ull << 18, &nv), 1);
	CU_ASSERT_EQUAL(nv, (1ull << 18) | 0x5);
}

static void test_segments(void)
{
	/* Linux's GDT: KERNEL_CS 0xa09b, KERNEL_DS 0xc093, TSS at 0x40. */
	static const uint8_t kcs[8] = { 0xff, 0xff, 0, 0, 0, 0x9b, 0xaf, 0 };
	static const uint8_t kds[8] = { 0xff, 0xff, 0, 0, 0, 0x93, 0xcf, 0 };
	/* unaccessed user data segment: "accessed" is set for the VMCS */
	static const uint8_t uds[8] = { 0xff, 0xff, 0, 0, 0, 0xf2, 0xcf, 0 };
	/* 64-bit busy TSS, base 0xfffffe0000003000, limit 0x4087 */
	static const uint8_t tss[16] = { 0x87, 0x40, 0x00, 0x30, 0x00, 0x8b,
					 0x00, 0x00, 0x00, 0xfe, 0xff, 0xff,
					 0xff, 0xff, 0x00, 0x00 };
	static const uint8_t absent[8] = { 0xff, 0xff, 0, 0, 0, 0x1b, 0xaf, 0 };
	struct vmx_seg s;

	CU_ASSERT_EQUAL(vmx_seg_from_desc(0x10, kcs, 8, &s), 0);
	CU_ASSERT_EQUAL(s.ar, 0xa09b);
	CU_ASSERT_EQUAL(s.limit, 0xffffffff);
	CU_ASSERT_EQUAL(s.base, 0);
	CU_ASSERT_EQUAL(vmx_seg_from_desc(0x18, kds, 8, &s), 0);
	CU_ASSERT_EQUAL(s.ar, 0xc093);
	CU_ASSERT_EQUAL(vmx_seg_from_desc(0x2b, uds, 8, &s), 0);
	CU_ASSERT_EQUAL(s.ar, 0xc0f3);
	CU_ASSERT_EQUAL(s.sel, 0x2b);
	CU_ASSERT_EQUAL(vmx_seg_from_desc(0x40, tss, 16, &s), 0);
	CU_ASSERT_EQUAL(s.ar, 0x8b);
	CU_ASSERT_EQUAL(s.limit, 0x4087);
	CU_ASSERT_EQUAL(s.base, 0xfffffe0000003000ull);
	/* truncated system descriptor, not-present segment */
	CU_ASSERT_EQUAL(vmx_seg_from_desc(0x40, tss, 8, &s), -EINVAL);
	CU_ASSERT_EQUAL(vmx_seg_from_desc(0x10, absent, 8, &s), -EINVAL);
	CU_ASSERT_EQUAL(vmx_seg_from_desc(0x10, kcs, 7, &s), -EINVAL);
	/* null selectors (any RPL) are unusable, whatever the bytes say */
	CU_ASSERT_EQUAL(vmx_seg_from_desc(0x3, kcs, 8, &s), 0);
	CU_ASSERT_EQUAL(s.ar, VMX_AR_UNUSABLE);
	CU_ASSERT_EQUAL(s.sel, 3);
}

static void test_xsetbv(void)
{
	const uint64_t sup = 0xe7; /* x87 SSE AVX + AVX-512 */

	CU_ASSERT(vmx_xsetbv_ok(0, 0, 0x7, sup));
	CU_ASSERT(vmx_xsetbv_ok(0, 0, 0xe7, sup));
	CU_ASSERT(vmx_xsetbv_ok(0, 0, 0x1, sup));
	CU_ASSERT(!vmx_xsetbv_ok(3, 0, 0x7, sup));  /* CPL 3 */
	CU_ASSERT(!vmx_xsetbv_ok(0, 1, 0x7, sup));  /* XCR1 */
	CU_ASSERT(!vmx_xsetbv_ok(0, 0, 0x6, sup));  /* x87 clear */
	CU_ASSERT(!vmx_xsetbv_ok(0, 0, 0x5, sup));  /* AVX without SSE */
	CU_ASSERT(!vmx_xsetbv_ok(0, 0, 0x27, sup)); /* partial AVX-512 */
	CU_ASSERT(!vmx_xsetbv_ok(0, 0, 0xe3, sup)); /* AVX-512 w/o AVX */
	CU_ASSERT(!vmx_xsetbv_ok(0, 0, 0x1f, sup)); /* MPX not supported */
	CU_ASSERT(vmx_xsetbv_ok(0, 0, 0x1f, 0x1f));
	CU_ASSERT(!vmx_xsetbv_ok(0, 0, 0x0f, 0x1f)); /* half of MPX */
	CU_ASSERT(!vmx_xsetbv_ok(0, 0, 1ull << 63, ~0ull));
}

static void test_msr_bitmap(void)
{
	static uint8_t bm[4096];
	int i, set = 0;

	memset(bm, 0, sizeof(bm));
	CU_ASSERT_EQUAL(vmx_msr_bitmap_set(bm, X86_MSR_FEATURE_CONTROL, true),
			0);
	CU_ASSERT_EQUAL(vmx_msr_bitmap_set(bm, X86_MSR_EFER, true), 0);
	CU_ASSERT_EQUAL(vmx_msr_bitmap_set(bm, 0x40000000u, true), -ERANGE);
	/* byte positions from SDM 25.6.9 */
	CU_ASSERT_EQUAL(bm[0x800 + 0x3a / 8], 1u << (0x3a % 8));
	CU_ASSERT_EQUAL(bm[0xc00 + 0x80 / 8], 1u);
	CU_ASSERT(vmx_msr_bitmap_test(bm, X86_MSR_EFER, true));
	CU_ASSERT(!vmx_msr_bitmap_test(bm, X86_MSR_EFER, false));
	CU_ASSERT(!vmx_msr_bitmap_test(bm, X86_MSR_PAT, true));
	CU_ASSERT(vmx_msr_bitmap_test(bm, 0x40000000u, false)); /* outside */
	for (i = 0; i < 4096; i++)
		set += __builtin_popcount(bm[i]);
	CU_ASSERT_EQUAL(set, 2);
}

static void test_eptp(void)
{
	CU_ASSERT_EQUAL(vmx_eptp(0x12345000ull, 4), 0x1234501eull);
	CU_ASSERT_EQUAL(vmx_eptp(0x12345000ull, 5), 0x12345026ull);
	CU_ASSERT_EQUAL(vmx_eptp(0xfff0012345fffull, 4), 0xfff001234501eull);
}

UNIT_SUITE(vmx_caps, suite_init, NULL, UNIT_TEST(test_recordings_present),
	   UNIT_TEST(test_recorded_controls), UNIT_TEST(test_recorded_refusals),
	   UNIT_TEST(test_recorded_plans),
	   UNIT_TEST(test_plan_good_and_refusals),
	   UNIT_TEST(test_ctl_compute_rules), UNIT_TEST(test_feature_control),
	   UNIT_TEST(test_segments), UNIT_TEST(test_xsetbv),
	   UNIT_TEST(test_msr_bitmap), UNIT_TEST(test_eptp))
