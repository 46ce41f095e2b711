// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_hv_exit.c - exit dispatch and hypercall validation driven by a mock
 * backend: a fake CPU that feeds exits to hv_exit_decide() and applies the
 * actions to its own register file, like svm_host.c does with a VMCB.
 * Also MTRR/PAT memory-type decisions.
 */
#include "unit.h"
#include "thinhv/compat.h"
#include "thinhv/hv_abi.h"
#include "thinhv/host/hv_exit.h"
#include "thinhv/pure/hv_memtype.h"

struct mock_cpu {
	struct hv_gprs g;
	uint64_t rip, efer;
	uint32_t cpl;
	int injected; /* vector or -1 */
	bool native;  /* devirtualized */
	bool stopped; /* fatal */
};

static struct hv_host host;
static struct hv_host_cpu hcpu[2];
static struct mock_cpu cpu0;

static int setup(void)
{
	memset(&host, 0, sizeof(host));
	memset(hcpu, 0, sizeof(hcpu));
	host.ncpus = 2;
	host.cpu = hcpu;
	hcpu[0].index = 0;
	hcpu[1].index = 1;
	host.if_flags = HV_IF_NESTED_PAGING;
	host.efer_keep = X86_EFER_SVME;
	host.map_limit = 8ull << 30;
	hv_ranges_init(&host.ranges, host.range_store, HV_MAX_RANGES);
	hv_ranges_add(&host.ranges, 0x1000000, 0x100000, HV_ACC_NONE, 0);
	hv_ranges_add(&host.ranges, 0x2000000, 0x10000, HV_ACC_R | HV_ACC_X, 1);
	memset(&cpu0, 0, sizeof(cpu0));
	cpu0.rip = 0x1000;
	cpu0.efer = 0x1d01; /* SCE LME LMA NXE SVME */
	cpu0.injected = -1;
	return 0;
}

/* The mock backend: one exit, actions applied like a real backend. */
static uint32_t run_exit(struct mock_cpu *c, uint32_t idx, struct hv_exit *e,
			 unsigned int insn_len)
{
	uint32_t act;

	e->cpl = c->cpl;
	e->rip = c->rip;
	c->injected = -1;
	act = hv_exit_decide(&host, idx, e, &c->g);
	if (act & HV_ACT_FATAL) {
		c->stopped = true;
		return act;
	}
	if (act & HV_ACT_SET_CPUID) {
		c->g.rax = e->cpuid[0];
		c->g.rbx = e->cpuid[1];
		c->g.rcx = e->cpuid[2];
		c->g.rdx = e->cpuid[3];
	}
	if (act & HV_ACT_SET_MSR)
		c->efer = e->msr_new;
	if (act & HV_ACT_ADVANCE)
		c->rip += insn_len;
	if (act & HV_ACT_INJECT_UD)
		c->injected = 6;
	if (act & HV_ACT_INJECT_GP)
		c->injected = 13;
	if (act & HV_ACT_DEVIRT)
		c->native = true;
	return act;
}

/*
 * CPUID leaf/subleaf on h->cpu[idx], answered natively with `native`, the
 * guest's CR4 = cr4; returns the ECX the guest gets.
 */
static uint32_t cpuid_cr4(uint32_t idx, uint32_t leaf, uint32_t subleaf,
			  const uint32_t native[4], uint64_t cr4)
{
	struct hv_exit e;

	memset(&e, 0, sizeof(e));
	e.reason = HV_EXIT_CPUID;
	e.cpuid_in_eax = leaf;
	e.cpuid_in_ecx = subleaf;
	e.guest_cr4 = cr4;
	memcpy(e.cpuid, native, sizeof(e.cpuid));
	cpu0.g.rax = leaf;
	run_exit(&cpu0, idx, &e, 2);
	return (uint32_t)cpu0.g.rcx;
}

static void cpuid(uint32_t idx, uint32_t leaf, const uint32_t native[4])
{
	cpuid_cr4(idx, leaf, 0, native, 0);
}

static uint32_t hcall(uint32_t fn, uint64_t b, uint64_t c, uint64_t d)
{
	struct hv_exit e;

	memset(&e, 0, sizeof(e));
	e.reason = HV_EXIT_HYPERCALL;
	cpu0.g.rax = hv_hc_rax(fn);
	cpu0.g.rbx = b;
	cpu0.g.rcx = c;
	cpu0.g.rdx = d;
	return run_exit(&cpu0, 0, &e, 3);
}

static void test_cpuid_signature_per_cpu(void)
{
	static const uint32_t zero[4], leaf1[4] = { 0x800f11, 0, 0x20, 0 };
	char sig[13];

	setup();
	cpuid(0, HV_CPUID_BASE, zero);
	CU_ASSERT_EQUAL(cpu0.g.rax, HV_CPUID_MAX);
	memcpy(sig, &cpu0.g.rbx, 4);
	memcpy(sig + 4, &cpu0.g.rcx, 4);
	memcpy(sig + 8, &cpu0.g.rdx, 4);
	sig[12] = 0;
	CU_ASSERT_STRING_EQUAL(sig, "thinhv");
	CU_ASSERT_EQUAL(cpu0.rip, 0x1002);
	cpuid(1, HV_CPUID_IF, zero);
	CU_ASSERT_EQUAL(cpu0.g.rax, HV_ABI_VERSION);
	CU_ASSERT_EQUAL(cpu0.g.rbx, 1); /* answered by CPU 1's state */
	CU_ASSERT_EQUAL(cpu0.g.rcx, HV_IF_NESTED_PAGING);
	cpuid(0, 1, leaf1);
	CU_ASSERT_EQUAL(cpu0.g.rcx, 0x80000000u); /* hypervisor bit, no VMX */
	CU_ASSERT_EQUAL(hcpu[0].cnt[HV_CNT_CPUID], 2);
	CU_ASSERT_EQUAL(hcpu[1].cnt[HV_CNT_CPUID], 1);
}

/*
 * CPUID is answered in host mode, whose CR4 is not the guest's: the bits
 * that mirror CR4 (1:ECX.OSXSAVE, 7.0:ECX.OSPKE) follow the guest's CR4,
 * both ways, and nothing else changes.
 */
static void test_cpuid_mirrors_guest_cr4(void)
{
	/* leaf 1 as a host with CR4.OSXSAVE set reports it (no VMX bit) */
	static const uint32_t leaf1[4] = { 0x50654, 0x12345678, 0x7ffaf3df,
					   0xbfebfbff };
	static const uint32_t leaf7[4] = { 0, 0, 0x11, 0 }; /* OSPKE + bit 0 */
	static const uint32_t leafd[4] = { 0, 0, 0xffffffffu, 0 };
	const uint32_t osxsave = 1u << 27, hv = 1u << 31;
	const uint64_t cr4_osxsave = 1ull << 18, cr4_pke = 1ull << 22;

	setup();
	CU_ASSERT_EQUAL(cpuid_cr4(0, 1, 0, leaf1, 0x3306f0),
			(0x7ffaf3dfu & ~osxsave) | hv);
	CU_ASSERT_EQUAL(cpu0.g.rax, 0x50654u);
	CU_ASSERT_EQUAL(cpu0.g.rbx, 0x12345678u);
	CU_ASSERT_EQUAL(cpu0.g.rdx, 0xbfebfbffu);
	CU_ASSERT_EQUAL(cpuid_cr4(0, 1, 0, leaf1, 0x3306f0 | cr4_osxsave),
			0x7ffaf3dfu | hv);
	/* a host without OSXSAVE, a guest with it: the guest's view wins */
	{
		uint32_t off[4] = { 0, 0, 0x7ffaf3dfu & ~osxsave, 0 };

		CU_ASSERT_EQUAL(cpuid_cr4(0, 1, 0, off, cr4_osxsave),
				0x7ffaf3dfu | hv);
	}
	CU_ASSERT_EQUAL(cpuid_cr4(0, 7, 0, leaf7, 0), 0x1u);
	CU_ASSERT_EQUAL(cpuid_cr4(0, 7, 0, leaf7, cr4_pke), 0x11u);
	CU_ASSERT_EQUAL(
	    cpuid_cr4(0, 7, 0, (const uint32_t[4]){ 0, 0, 1, 0 }, cr4_pke),
	    0x11u);
	/* other subleaves and leaves: untouched whatever CR4 says */
	CU_ASSERT_EQUAL(cpuid_cr4(0, 7, 1, leaf7, 0), 0x11u);
	CU_ASSERT_EQUAL(cpuid_cr4(0, 0xd, 0, leafd, 0), 0xffffffffu);
}

static void test_hypercalls_validated(void)
{
	setup();
	hcall(HV_HC_VERSION, 0, 0, 0);
	CU_ASSERT_EQUAL(cpu0.g.rax, 0);
	CU_ASSERT_EQUAL(cpu0.g.rbx, HV_ABI_VERSION);
	CU_ASSERT_EQUAL(cpu0.g.rcx, 2);
	CU_ASSERT_EQUAL(cpu0.rip, 0x1003);
	/* unused arguments must be zero */
	hcall(HV_HC_VERSION, 1, 0, 0);
	CU_ASSERT_EQUAL((int64_t)cpu0.g.rax, -HV_EINVAL);
	/* range checks on the CPU index and counter id */
	hcall(HV_HC_COUNTER, 2, 0, 0);
	CU_ASSERT_EQUAL((int64_t)cpu0.g.rax, -HV_ERANGE);
	hcall(HV_HC_COUNTER, 0, HV_CNT_MAX, 0);
	CU_ASSERT_EQUAL((int64_t)cpu0.g.rax, -HV_ERANGE);
	hcall(HV_HC_COUNTER, 0, HV_CNT_HYPERCALL, 0);
	CU_ASSERT_EQUAL(cpu0.g.rax, 0);
	CU_ASSERT_EQUAL(cpu0.g.rbx, 5); /* this one included */
	/* unknown function and foreign magic */
	hcall(0x777, 0, 0, 0);
	CU_ASSERT_EQUAL((int64_t)cpu0.g.rax, -HV_ENOSYS);
	{
		struct hv_exit e;

		memset(&e, 0, sizeof(e));
		e.reason = HV_EXIT_HYPERCALL;
		cpu0.g.rax = 0x12340000u | HV_HC_VERSION;
		cpu0.g.rbx = cpu0.g.rcx = cpu0.g.rdx = 0;
		run_exit(&cpu0, 0, &e, 3);
		CU_ASSERT_EQUAL((int64_t)cpu0.g.rax, -HV_ENOSYS);
	}
	CU_ASSERT_EQUAL(hcpu[0].cnt[HV_CNT_DENY_HC], 5);
	/* user mode: #UD, RIP not advanced, nothing returned */
	cpu0.cpl = 3;
	cpu0.rip = 0x5000;
	hcall(HV_HC_DEVIRT, 0, 0, 0);
	CU_ASSERT_EQUAL(cpu0.injected, 6);
	CU_ASSERT_EQUAL(cpu0.rip, 0x5000);
	CU_ASSERT_FALSE(cpu0.native);
}

/* The packing helpers of hv_abi.h both ends use: each field survives. */
static void test_hypercall_packing(void)
{
	uint64_t r;

	CU_ASSERT_EQUAL(hv_hc_rax(HV_HC_STATUS), 0x74680002ull);
	CU_ASSERT_EQUAL(hv_hc_fn(hv_hc_rax(HV_HC_STATUS)), HV_HC_STATUS);
	CU_ASSERT_EQUAL(hv_hc_fn(hv_hc_rax(HV_HC_MAX)), HV_HC_MAX);
	/* only 16 bits of function: a wider one cannot change the tag */
	CU_ASSERT_EQUAL(hv_hc_rax(0x10005u), hv_hc_rax(5));
	/* foreign tag, a bit above 31, no tag at all: no function */
	CU_ASSERT_EQUAL(hv_hc_fn(0x12340001ull), 0);
	CU_ASSERT_EQUAL(hv_hc_fn(hv_hc_rax(1) | 1ull << 32), 0);
	CU_ASSERT_EQUAL(hv_hc_fn(hv_hc_rax(1) | 1ull << 63), 0);
	CU_ASSERT_EQUAL(hv_hc_fn(1), 0);
	/* status: 0 stays 0, an error comes back negated */
	CU_ASSERT_EQUAL(hv_hc_status(0), 0);
	CU_ASSERT_EQUAL(hv_hc_result(hv_hc_status(HV_EPERM)), -HV_EPERM);
	CU_ASSERT_EQUAL(hv_hc_result(hv_hc_status(HV_ETIMEDOUT)),
			-HV_ETIMEDOUT);
	/* two 32-bit halves */
	r = hv_hc_pair(0xdeadbeefu, 0x80000001u);
	CU_ASSERT_EQUAL(r, 0x80000001deadbeefull);
	CU_ASSERT_EQUAL(hv_hc_lo32(r), 0xdeadbeefu);
	CU_ASSERT_EQUAL(hv_hc_hi32(r), 0x80000001u);
	/* last denial: sequence above the access kind, kind masked */
	r = hv_denial_pack(0x123456789abull, HV_ACC_X);
	CU_ASSERT_EQUAL(r, (0x123456789abull << 8) | HV_ACC_X);
	CU_ASSERT_EQUAL(hv_denial_seq(r), 0x123456789abull);
	CU_ASSERT_EQUAL(hv_denial_acc(r), HV_ACC_X);
	CU_ASSERT_EQUAL(hv_denial_seq(hv_denial_pack(7, 0x1ff)), 7);
	CU_ASSERT_EQUAL(hv_denial_acc(hv_denial_pack(7, 0x1ff)), 0xff);
	/* IOMMU drain: unit, source, records left */
	r = hv_drain_pack(3, 2, 0xfffffffeu);
	CU_ASSERT_EQUAL(r, 3ull | 2ull << 8 | 0xfffffffeull << 16);
	CU_ASSERT_EQUAL(hv_drain_unit(r), 3);
	CU_ASSERT_EQUAL(hv_drain_src(r), 2);
	CU_ASSERT_EQUAL(hv_drain_left(r), 0xfffffffeu);
	r = hv_drain_pack(0x1ff, 0x101, 0);
	CU_ASSERT_EQUAL(hv_drain_unit(r), 0xff);
	CU_ASSERT_EQUAL(hv_drain_src(r), 1);
	CU_ASSERT_EQUAL(hv_drain_left(r), 0);
}

/* The exit decision refuses a RAX that is not a thinhv call. */
static void test_hypercall_malformed_rax(void)
{
	static const uint64_t bad[] = {
		0x74680001ull | 1ull << 32, /* bits 63:32 not zero */
		0x74680001ull | 1ull << 63, 0x74690001ull, /* tag off by one */
		0x00000001ull,				   /* no tag */
	};
	struct hv_exit e;
	uint32_t i;

	setup();
	for (i = 0; i < HV_ARRAY_SIZE(bad); i++) {
		memset(&e, 0, sizeof(e));
		e.reason = HV_EXIT_HYPERCALL;
		cpu0.g.rax = bad[i];
		cpu0.g.rbx = cpu0.g.rcx = cpu0.g.rdx = 0;
		run_exit(&cpu0, 0, &e, 3);
		CU_ASSERT_EQUAL((int64_t)cpu0.g.rax, -HV_ENOSYS);
		CU_ASSERT_EQUAL(cpu0.g.rbx, 0); /* VERSION did not answer */
	}
	CU_ASSERT_EQUAL(hcpu[0].cnt[HV_CNT_DENY_HC], HV_ARRAY_SIZE(bad));
	/* the same call well formed answers; a non-zero unused one refuses */
	hcall(HV_HC_VERSION, 0, 0, 0);
	CU_ASSERT_EQUAL(cpu0.g.rax, 0);
	CU_ASSERT_EQUAL(cpu0.g.rbx, HV_ABI_VERSION);
	hcall(HV_HC_VERSION, 0, 0, 1ull << 40);
	CU_ASSERT_EQUAL((int64_t)cpu0.g.rax, -HV_EINVAL);
	hcall(HV_HC_LAST_DENIAL, 0, 1, 0);
	CU_ASSERT_EQUAL((int64_t)cpu0.g.rax, -HV_EINVAL);
	CU_ASSERT_EQUAL(hcpu[0].cnt[HV_CNT_DENY_HC], HV_ARRAY_SIZE(bad) + 2);
}

static void test_lock_refuses_devirt(void)
{
	setup();
	hcall(HV_HC_DEVIRT, 0, 0, 1);
	CU_ASSERT_EQUAL((int64_t)cpu0.g.rax, -HV_EINVAL);
	CU_ASSERT_FALSE(cpu0.native);
	hcall(HV_HC_LOCK, 0, 0, 0);
	CU_ASSERT_EQUAL(cpu0.g.rax, 0);
	hcall(HV_HC_DEVIRT, 0, 0, 0);
	CU_ASSERT_EQUAL((int64_t)cpu0.g.rax, -HV_EPERM);
	CU_ASSERT_FALSE(cpu0.native);
	hcall(HV_HC_STATUS, 0, 0, 0);
	CU_ASSERT_EQUAL(cpu0.g.rbx, HV_IF_NESTED_PAGING | HV_IF_LOCKED);
	host.locked = 0;
	hcall(HV_HC_DEVIRT, 0, 0, 0);
	CU_ASSERT_EQUAL(cpu0.g.rax, 0);
	CU_ASSERT_TRUE(cpu0.native);
}

static void npf(uint64_t gpa, uint32_t acc)
{
	struct hv_exit e;

	memset(&e, 0, sizeof(e));
	e.reason = HV_EXIT_NPF;
	e.gpa = gpa;
	e.npf_access = acc;
	run_exit(&cpu0, 0, &e, 0);
}

static void test_npf_refused_and_recorded(void)
{
	setup();
	cpu0.rip = 0xffffffffc0001234ull;
	npf(0x1000010, HV_ACC_R);
	CU_ASSERT_EQUAL(cpu0.injected, 13);
	CU_ASSERT_EQUAL(cpu0.rip, 0xffffffffc0001234ull);
	npf(0x2000000, HV_ACC_W); /* write to read-only code */
	CU_ASSERT_EQUAL(cpu0.injected, 13);
	CU_ASSERT_EQUAL(hcpu[0].cnt[HV_CNT_DENY_MEM], 2);
	hcall(HV_HC_LAST_DENIAL, 0, 0, 0);
	CU_ASSERT_EQUAL(cpu0.g.rbx, 0x2000000);
	CU_ASSERT_EQUAL(cpu0.g.rcx, 0xffffffffc0001234ull);
	CU_ASSERT_EQUAL(cpu0.g.rdx, (2u << 8) | HV_ACC_W);
	CU_ASSERT_EQUAL(hv_denial_seq(cpu0.g.rdx), 2);
	CU_ASSERT_EQUAL(hv_denial_acc(cpu0.g.rdx), HV_ACC_W);
	npf(9ull << 30, HV_ACC_R); /* beyond the map */
	CU_ASSERT_EQUAL(cpu0.injected, 13);
	CU_ASSERT_FALSE(cpu0.stopped);
	/* a fault the tables should not produce is fatal, never ignored */
	npf(0x2000000, HV_ACC_R);
	CU_ASSERT_TRUE(cpu0.stopped);
	cpu0.stopped = false;
	npf(0x5000, HV_ACC_W);
	CU_ASSERT_TRUE(cpu0.stopped);
	CU_ASSERT_EQUAL(hcpu[0].cnt[HV_CNT_FATAL], 2);
}

static uint32_t wrmsr(enum hv_msr_kind k, uint64_t v)
{
	struct hv_exit e;

	memset(&e, 0, sizeof(e));
	e.reason = HV_EXIT_MSR_WRITE;
	e.msr_kind = k;
	e.msr_old = cpu0.efer;
	e.msr_new = v;
	return run_exit(&cpu0, 0, &e, 2);
}

static void test_msr_policy(void)
{
	setup();
	wrmsr(HV_MSR_EFER, cpu0.efer & ~X86_EFER_SVME);
	CU_ASSERT_EQUAL(cpu0.injected, 13);
	CU_ASSERT_EQUAL(cpu0.efer, 0x1d01);
	wrmsr(HV_MSR_EFER, cpu0.efer & ~X86_EFER_LME);
	CU_ASSERT_EQUAL(cpu0.injected, 13);
	wrmsr(HV_MSR_EFER, cpu0.efer | (1ull << 40));
	CU_ASSERT_EQUAL(cpu0.injected, 13);
	wrmsr(HV_MSR_EFER, cpu0.efer & ~X86_EFER_NXE);
	CU_ASSERT_EQUAL(cpu0.injected, -1);
	CU_ASSERT_EQUAL(cpu0.efer, 0x1501);
	wrmsr(HV_MSR_VIRT_CTL, 0);
	CU_ASSERT_EQUAL(cpu0.injected, 13);
	CU_ASSERT_EQUAL(hcpu[0].cnt[HV_CNT_DENY_MSR], 4);
	wrmsr(HV_MSR_OTHER, 0);
	CU_ASSERT_TRUE(cpu0.stopped);
}

static void test_every_other_exit_fatal(void)
{
	static const enum hv_exit_reason r[] = { HV_EXIT_SHUTDOWN,
						 HV_EXIT_INIT,
						 HV_EXIT_INVALID,
						 HV_EXIT_UNKNOWN,
						 0,
						 999 };
	unsigned int i;

	setup();
	for (i = 0; i < HV_ARRAY_SIZE(r); i++) {
		struct hv_exit e;

		memset(&e, 0, sizeof(e));
		e.reason = r[i];
		CU_ASSERT_TRUE(hv_exit_decide(&host, 0, &e, &cpu0.g) &
			       HV_ACT_FATAL);
	}
	{
		struct hv_exit e;

		memset(&e, 0, sizeof(e));
		e.reason = HV_EXIT_VIRT_INSN;
		CU_ASSERT_EQUAL(hv_exit_decide(&host, 0, &e, &cpu0.g),
				HV_ACT_INJECT_UD);
		CU_ASSERT_EQUAL(hv_exit_decide(&host, 2, &e, &cpu0.g),
				HV_ACT_FATAL);
	}
}

static void test_mtrr_blocks(void)
{
	struct hv_mtrr_state m;
	uint8_t t = 0xee;

	memset(&m, 0, sizeof(m));
	m.phys_bits = 40;
	m.nvar = 2;
	/* MTRRs disabled: everything UC */
	CU_ASSERT_EQUAL(hv_mtrr_block_type(&m, 0, 1ull << 30, &t), 0);
	CU_ASSERT_EQUAL(t, HV_MT_UC);
	m.def_type = X86_MTRR_DEF_E | HV_MT_WB;
	/* 256 MiB UC at 3.75G and an overlapping WT: UC wins, WT vs WB */
	m.var_base[0] = 0xf0000000ull | HV_MT_UC;
	m.var_mask[0] =
	    (0xffffffffffull & ~0xfffffffull) | X86_MTRR_PHYSMASK_VALID;
	m.var_base[1] = 0xc0000000ull | HV_MT_WT;
	m.var_mask[1] =
	    (0xffffffffffull & ~0x3fffffffull) | X86_MTRR_PHYSMASK_VALID;
	CU_ASSERT_EQUAL(hv_mtrr_block_type(&m, 0xc0000000ull, 1ull << 30, &t),
			-EAGAIN);
	CU_ASSERT_EQUAL(hv_mtrr_block_type(&m, 0xc0000000ull, 1ull << 28, &t),
			0);
	CU_ASSERT_EQUAL(t, HV_MT_WT);
	CU_ASSERT_EQUAL(hv_mtrr_block_type(&m, 0xf0000000ull, 1ull << 28, &t),
			0);
	CU_ASSERT_EQUAL(t, HV_MT_UC);
	CU_ASSERT_EQUAL(hv_mtrr_block_type(&m, 0x80000000ull, 1ull << 30, &t),
			0);
	CU_ASSERT_EQUAL(t, HV_MT_WB);
	/* malformed blocks */
	CU_ASSERT_EQUAL(hv_mtrr_block_type(&m, 0x1000, 0x3000, &t), -EINVAL);
	CU_ASSERT_EQUAL(hv_mtrr_block_type(&m, 0x1000, 0x2000, &t), -EINVAL);
	/* PAT lookup */
	CU_ASSERT_EQUAL(hv_pat_index(0x0407050600070106ull, HV_MT_UC), 3);
	CU_ASSERT_EQUAL(hv_pat_index(0x0407050600070106ull, HV_MT_WB), 0);
	CU_ASSERT_EQUAL(hv_pat_index(0x0407050600070106ull, HV_MT_WT), -ENOENT);
}

UNIT_SUITE(hv_exit, NULL, NULL, UNIT_TEST(test_cpuid_signature_per_cpu),
	   UNIT_TEST(test_cpuid_mirrors_guest_cr4),
	   UNIT_TEST(test_hypercalls_validated),
	   UNIT_TEST(test_hypercall_packing),
	   UNIT_TEST(test_hypercall_malformed_rax),
	   UNIT_TEST(test_lock_refuses_devirt),
	   UNIT_TEST(test_npf_refused_and_recorded), UNIT_TEST(test_msr_policy),
	   UNIT_TEST(test_every_other_exit_fatal), UNIT_TEST(test_mtrr_blocks))
