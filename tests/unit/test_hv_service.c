// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_hv_service.c - host-mode hypercall services (host userspace): the
 * dispatch in hv_exit.c calls the service a component registered in
 * struct hv_host for its functions, answers HV_ENODEV for a component's
 * function nobody serves and HV_ENOSYS beyond; and the IOMMU's service
 * (vtd/host/iommu_hcall.c) checks its arguments, the lock and packs STATE.
 */
#include "unit.h"
#include "thinhv/compat.h"
#include "thinhv/hv_abi.h"
#include "thinhv/iommu_host.h"
#include "thinhv/host/hv_exit.h"

static struct hv_host host;
static struct hv_host_cpu hcpu[1];
static struct hv_gprs regs;

/* A fake component service: records what it was called with. */
static struct {
	void *ctx;
	const struct hv_host *h;
	uint32_t fn, calls;
} seen;

static int fake_call(void *ctx, const struct hv_host *h, uint32_t fn,
		     struct hv_gprs *g)
{
	seen.ctx = ctx;
	seen.h = h;
	seen.fn = fn;
	seen.calls++;
	g->rbx = 0x1234;
	return fn == HV_HC_IOMMU_STATE ? HV_EBUSY : 0;
}

static void setup(void)
{
	memset(&host, 0, sizeof(host));
	memset(hcpu, 0, sizeof(hcpu));
	memset(&seen, 0, sizeof(seen));
	host.ncpus = 1;
	host.cpu = hcpu;
	hv_ranges_init(&host.ranges, host.range_store, HV_MAX_RANGES);
}

/* One hypercall from ring 0; returns the signed status in RAX. */
static int64_t hcall(uint32_t fn, uint64_t b, uint64_t c, uint64_t d)
{
	struct hv_exit e;
	uint32_t act;

	memset(&e, 0, sizeof(e));
	e.reason = HV_EXIT_HYPERCALL;
	regs.rax = hv_hc_rax(fn);
	regs.rbx = b;
	regs.rcx = c;
	regs.rdx = d;
	act = hv_exit_decide(&host, 0, &e, &regs);
	CU_ASSERT_EQUAL(act, HV_ACT_ADVANCE);
	return (int64_t)regs.rax;
}

static void test_dispatch_to_service(void)
{
	int ctx_token;

	setup();
	/* nobody serves the IOMMU functions: ENODEV, as without an IOMMU */
	CU_ASSERT_EQUAL(hcall(HV_HC_IOMMU_SWAP, 0, 0, 0), -HV_ENODEV);
	CU_ASSERT_EQUAL(hcall(HV_HC_IOMMU_STATE, 0, 0, 0), -HV_ENODEV);
	CU_ASSERT_EQUAL(hcall(HV_HC_MAX + 1, 0, 0, 0), -HV_ENOSYS);
	CU_ASSERT_EQUAL(hcpu[0].cnt[HV_CNT_DENY_HC], 3);
	host.svc[0].first = HV_HC_IOMMU_DRAIN;
	host.svc[0].last = HV_HC_IOMMU_STATE;
	host.svc[0].call = fake_call;
	host.svc[0].ctx = &ctx_token;
	host.nsvc = 1;
	CU_ASSERT_EQUAL(hcall(HV_HC_IOMMU_DRAIN, 0, 0, 0), 0);
	CU_ASSERT_EQUAL(seen.calls, 1);
	CU_ASSERT_PTR_EQUAL(seen.ctx, &ctx_token);
	CU_ASSERT_PTR_EQUAL(seen.h, &host);
	CU_ASSERT_EQUAL(seen.fn, HV_HC_IOMMU_DRAIN);
	CU_ASSERT_EQUAL(regs.rbx, 0x1234);
	/* the service's error comes back negated and counted */
	CU_ASSERT_EQUAL(hcall(HV_HC_IOMMU_STATE, 0, 0, 0), -HV_EBUSY);
	CU_ASSERT_EQUAL(seen.calls, 2);
	CU_ASSERT_EQUAL(hcpu[0].cnt[HV_CNT_DENY_HC], 4);
	/* outside its range: not called */
	CU_ASSERT_EQUAL(hcall(HV_HC_IOMMU_SWAP, 0, 0, 0), -HV_ENODEV);
	CU_ASSERT_EQUAL(seen.calls, 2);
	/* the core's own functions never reach a service */
	CU_ASSERT_EQUAL(hcall(HV_HC_VERSION, 0, 0, 0), 0);
	CU_ASSERT_EQUAL(regs.rbx, HV_ABI_VERSION);
	CU_ASSERT_EQUAL(seen.calls, 2);
	/* a count beyond the table is not trusted */
	host.nsvc = HV_MAX_SERVICES + 5;
	CU_ASSERT_EQUAL(hcall(HV_HC_IOMMU_DRAIN, 0, 0, 0), 0);
	CU_ASSERT_EQUAL(seen.calls, 3);
}

static void test_iommu_service(void)
{
	static struct iommu_host ih;
	struct hv_gprs g;

	setup();
	memset(&ih, 0, sizeof(ih));
	ih.generation = 7;
	ih.refused = 0x100000003ull; /* only the low 32 bits are reported */
	ih.active = 1;
	ih.dropped = 5;
	ih.nunits = 2;
	ih.unit[0].hw_overflow = 1;
	ih.unit[1].hw_overflow = 2;
	memset(&g, 0, sizeof(g));
	CU_ASSERT_EQUAL(iommu_host_call(&ih, &host, HV_HC_IOMMU_STATE, &g), 0);
	CU_ASSERT_EQUAL(g.rbx, 7);
	CU_ASSERT_EQUAL(g.rcx, 3ull | 1ull << 32);
	CU_ASSERT_EQUAL(g.rdx, 5ull | 3ull << 32);
	/* arguments must be zero */
	memset(&g, 0, sizeof(g));
	g.rcx = 1;
	CU_ASSERT_EQUAL(iommu_host_call(&ih, &host, HV_HC_IOMMU_STATE, &g),
			HV_EINVAL);
	/* the host code's -errno comes back as HV_E* (no unit kind set) */
	memset(&g, 0, sizeof(g));
	CU_ASSERT_EQUAL(iommu_host_call(&ih, &host, HV_HC_IOMMU_DRAIN, &g),
			HV_ENODEV);
	/* lock=1 freezes the policy: no swap, generation untouched */
	host.locked = 1;
	memset(&g, 0, sizeof(g));
	CU_ASSERT_EQUAL(iommu_host_call(&ih, &host, HV_HC_IOMMU_SWAP, &g),
			HV_EPERM);
	CU_ASSERT_EQUAL(ih.generation, 7);
	/* no state, or a function it does not serve */
	memset(&g, 0, sizeof(g));
	CU_ASSERT_EQUAL(iommu_host_call(NULL, &host, HV_HC_IOMMU_STATE, &g),
			HV_ENODEV);
	CU_ASSERT_EQUAL(iommu_host_call(&ih, &host, HV_HC_VERSION, &g),
			HV_ENOSYS);
}

UNIT_SUITE(hv_service, NULL, NULL,
	   { "dispatch to a registered service", test_dispatch_to_service },
	   { "IOMMU hypercall service", test_iommu_service })
