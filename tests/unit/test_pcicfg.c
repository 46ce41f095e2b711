// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_pcicfg.c - the PCI config-space guard (thinhv/host/hv_pcicfg.c) driven
 * through hv_exit_decide() by a mock SVM-like backend over a mock chipset
 * (configuration mechanism #1 with a real address latch, two functions'
 * config space, the 0xCF9 reset register), and the MCFG lookup over
 * well-formed and hostile tables.
 */
#include "unit.h"
#include "thinhv/compat.h"
#include "thinhv/hv_abi.h"
#include "thinhv/host/hv_exit.h"
#include "thinhv/host/hv_pcicfg.h"

#define IOMMU_BDF 0x0008u /* 00:01.0 */
#define EDU_BDF 0x0020u	  /* 00:04.0 */
#define CFG(bus, devfn, reg) \
	(0x80000000u | ((bus) << 16) | ((devfn) << 8) | ((reg)&0xfcu))

/* The mock chipset: what the real hardware would see. */
static struct {
	uint32_t cf8; /* the real CONFIG_ADDRESS */
	uint8_t cfg[2][256];
	uint8_t cf9; /* reset control */
	uint32_t cf8_writes;
} hw;

static struct hv_host host;
static struct hv_host_cpu hcpu[1];
static struct hv_gprs regs;
static uint64_t rip;
static int injected;
static bool stopped;

static uint8_t *hw_fn(uint32_t addr)
{
	if (!(addr & HV_PCICFG_ADDR_EN) || HV_PCICFG_ADDR_BUS(addr) != 0)
		return NULL;
	if (HV_PCICFG_ADDR_DEVFN(addr) == IOMMU_BDF)
		return hw.cfg[0];
	if (HV_PCICFG_ADDR_DEVFN(addr) == EDU_BDF)
		return hw.cfg[1];
	return NULL;
}

static uint32_t hw_in(uint16_t port, uint8_t size)
{
	uint32_t v = 0;
	uint8_t *f;

	if (port == HV_PCICFG_ADDR_PORT && size == 4)
		return hw.cf8;
	if (port == 0xcf9 && size == 1)
		return hw.cf9;
	f = hw_fn(hw.cf8);
	if (port < HV_PCICFG_DATA_PORT || !f)
		return 0xffffffffu;
	for (uint8_t i = 0; i < size; i++)
		v |= (uint32_t)f[(hw.cf8 & 0xfc) + (port & 3) + i] << (8 * i);
	return v;
}

static void hw_out(uint16_t port, uint8_t size, uint32_t v)
{
	uint8_t *f;

	if (port == HV_PCICFG_ADDR_PORT && size == 4) {
		hw.cf8 = v;
		hw.cf8_writes++;
		return;
	}
	if (port == 0xcf9 && size == 1) {
		hw.cf9 = (uint8_t)v;
		return;
	}
	f = hw_fn(hw.cf8);
	if (port < HV_PCICFG_DATA_PORT || !f)
		return;
	for (uint8_t i = 0; i < size; i++)
		f[(hw.cf8 & 0xfc) + (port & 3) + i] = (uint8_t)(v >> (8 * i));
}

/* The mock backend: like svm_host.c for an IOIO exit. */
static uint32_t io_exit(uint16_t port, uint8_t size, bool in, uint32_t val,
			bool str, bool rep, bool lock_fails)
{
	struct hv_exit e;
	bool locked = false;
	uint32_t act, out;

	memset(&e, 0, sizeof(e));
	e.reason = HV_EXIT_IO;
	e.rip = rip;
	e.io.port = port;
	e.io.size = size;
	e.io.in = in;
	e.io.str = str;
	e.io.rep = rep;
	regs.rax = in ? 0x1122334455667788ull : val;
	e.io.value = in ? 0 : hv_io_out_value(regs.rax, size);
	injected = -1;
	if (lock_fails) {
		host.pcicfg.lock = 1; /* another CPU holds it */
		e.io.lock_failed = 1;
	} else {
		locked = hv_pcicfg_lock(&host.pcicfg);
		CU_ASSERT_TRUE(locked);
	}
	act = hv_exit_decide(&host, 0, &e, &regs);
	if (act & HV_ACT_IO) {
		out = e.io.value;
		if (e.io_verdict == HV_PCIO_CONFIG)
			hw_out(HV_PCICFG_ADDR_PORT, 4, e.io.cfg_addr);
		if (e.io_verdict == HV_PCIO_CONFIG ||
		    e.io_verdict == HV_PCIO_NATIVE) {
			if (in)
				out = hw_in(port, size);
			else
				hw_out(port, size, e.io.value);
		}
		if (in)
			regs.rax = hv_io_in_merge(regs.rax, size, out);
	}
	if (locked)
		hv_pcicfg_unlock(&host.pcicfg);
	if (lock_fails)
		host.pcicfg.lock = 0;
	if (act & HV_ACT_FATAL)
		stopped = true;
	if (act & HV_ACT_ADVANCE)
		rip += 1;
	if (act & HV_ACT_INJECT_GP)
		injected = 13;
	return act;
}

static void out_(uint16_t port, uint8_t size, uint32_t v)
{
	io_exit(port, size, false, v, false, false, false);
}

static uint32_t in_(uint16_t port, uint8_t size)
{
	io_exit(port, size, true, 0, false, false, false);
	return (uint32_t)regs.rax;
}

static uint64_t denied(void)
{
	return hcpu[0].cnt[HV_CNT_DENY_PCICFG];
}

static int setup(void)
{
	memset(&hw, 0, sizeof(hw));
	memset(&host, 0, sizeof(host));
	memset(hcpu, 0, sizeof(hcpu));
	host.ncpus = 1;
	host.cpu = hcpu;
	hv_ranges_init(&host.ranges, host.range_store, HV_MAX_RANGES);
	hv_pcicfg_init(&host.pcicfg);
	CU_ASSERT_EQUAL(hv_pcicfg_add_guard(&host.pcicfg, 0, 0, IOMMU_BDF), 0);
	for (int f = 0; f < 2; f++)
		for (int i = 0; i < 256; i++)
			hw.cfg[f][i] = (uint8_t)(i + 0x10 * f);
	rip = 0x1000;
	stopped = false;
	injected = -1;
	return 0;
}

/* CONFIG_ADDRESS lives in the shadow: the real latch is never written. */
static void test_latch_shadow(void)
{
	setup();
	out_(HV_PCICFG_ADDR_PORT, 4, CFG(0, EDU_BDF, 0x3c));
	CU_ASSERT_EQUAL(hw.cf8_writes, 0);
	CU_ASSERT_EQUAL(host.pcicfg.latch, CFG(0, EDU_BDF, 0x3c));
	CU_ASSERT_EQUAL(in_(HV_PCICFG_ADDR_PORT, 4), CFG(0, EDU_BDF, 0x3c));
	CU_ASSERT_EQUAL(regs.rax >> 32, 0); /* dword IN zero-extends */
	CU_ASSERT_EQUAL(rip, 0x1002);
	CU_ASSERT_EQUAL(hcpu[0].cnt[HV_CNT_IO], 2);
	CU_ASSERT_EQUAL(hcpu[0].cnt[HV_CNT_EXITS], 2);
	CU_ASSERT_EQUAL(denied(), 0);
}

/* Reads pass for every function, at each size and byte offset. */
static void test_reads_pass(void)
{
	setup();
	out_(HV_PCICFG_ADDR_PORT, 4, CFG(0, IOMMU_BDF, 0x40));
	CU_ASSERT_EQUAL(in_(HV_PCICFG_DATA_PORT, 4), 0x43424140u);
	CU_ASSERT_EQUAL(hw.cf8, CFG(0, IOMMU_BDF, 0x40));
	CU_ASSERT_EQUAL(in_(0xcfe, 2) & 0xffff, 0x4342u);
	CU_ASSERT_EQUAL(regs.rax, 0x1122334455664342ull); /* AX only */
	CU_ASSERT_EQUAL(in_(0xcfd, 1) & 0xff, 0x41u);
	CU_ASSERT_EQUAL(regs.rax, 0x1122334455667741ull); /* AL only */
	out_(HV_PCICFG_ADDR_PORT, 4, CFG(0, EDU_BDF, 0x3c));
	CU_ASSERT_EQUAL(in_(0xcfc, 1) & 0xff, 0x4cu);
	CU_ASSERT_EQUAL(denied(), 0);
}

/* Writes to the guarded function never reach it; the OS goes on. */
static void test_guarded_writes_refused(void)
{
	uint8_t before[256];

	setup();
	memcpy(before, hw.cfg[0], sizeof(before));
	out_(HV_PCICFG_ADDR_PORT, 4, CFG(0, IOMMU_BDF, 0x04)); /* command */
	out_(HV_PCICFG_DATA_PORT, 2, 0);
	out_(HV_PCICFG_DATA_PORT, 4, 0);
	out_(HV_PCICFG_ADDR_PORT, 4, CFG(0, IOMMU_BDF, 0x44)); /* BAR low */
	out_(0xcfd, 1, 0xff);
	out_(0xcfe, 2, 0xffff);
	CU_ASSERT_EQUAL(memcmp(before, hw.cfg[0], sizeof(before)), 0);
	CU_ASSERT_EQUAL(denied(), 4);
	CU_ASSERT_EQUAL(injected, -1);
	CU_ASSERT_FALSE(stopped);
	CU_ASSERT_EQUAL(rip, 0x1000 + 6); /* every instruction skipped */
	/* AMD extended register bits (27:24) name the same function. */
	out_(HV_PCICFG_ADDR_PORT, 4, CFG(0, IOMMU_BDF, 0x10) | (1u << 24));
	out_(HV_PCICFG_DATA_PORT, 4, 0xdeadbeef);
	CU_ASSERT_EQUAL(memcmp(before, hw.cfg[0], sizeof(before)), 0);
	CU_ASSERT_EQUAL(denied(), 5);
}

/* An ordinary function takes the write, at the right offset and size. */
static void test_other_writes_pass(void)
{
	setup();
	out_(HV_PCICFG_ADDR_PORT, 4, CFG(0, EDU_BDF, 0x3c));
	out_(0xcfc, 1, 0xab);
	CU_ASSERT_EQUAL(hw.cfg[1][0x3c], 0xab);
	CU_ASSERT_EQUAL(hw.cfg[1][0x3d], 0x4d);
	out_(0xcfe, 2, 0x1234);
	CU_ASSERT_EQUAL(hw.cfg[1][0x3e], 0x34);
	CU_ASSERT_EQUAL(hw.cfg[1][0x3f], 0x12);
	out_(HV_PCICFG_ADDR_PORT, 4, CFG(0, EDU_BDF, 0x10));
	out_(HV_PCICFG_DATA_PORT, 4, 0xfebf0000u);
	CU_ASSERT_EQUAL(hw.cfg[1][0x10], 0x00);
	CU_ASSERT_EQUAL(hw.cfg[1][0x13], 0xfe);
	CU_ASSERT_EQUAL(denied(), 0);
	/* the real latch carries the checked address, written just before */
	CU_ASSERT_EQUAL(hw.cf8, CFG(0, EDU_BDF, 0x10));
}

/* The shadow changes between two data accesses: each is checked anew. */
static void test_latch_switch(void)
{
	setup();
	out_(HV_PCICFG_ADDR_PORT, 4, CFG(0, EDU_BDF, 0x04));
	out_(HV_PCICFG_DATA_PORT, 2, 0x0106);
	CU_ASSERT_EQUAL(hw.cfg[1][0x04], 0x06);
	out_(HV_PCICFG_ADDR_PORT, 4, CFG(0, IOMMU_BDF, 0x04));
	out_(HV_PCICFG_DATA_PORT, 2, 0x0106);
	CU_ASSERT_EQUAL(hw.cfg[0][0x04], 0x04);
	CU_ASSERT_EQUAL(denied(), 1);
	/* enable bit clear: not a config cycle, nothing guarded to refuse */
	out_(HV_PCICFG_ADDR_PORT, 4, CFG(0, IOMMU_BDF, 0x04) & ~0x80000000u);
	out_(HV_PCICFG_DATA_PORT, 2, 0);
	CU_ASSERT_EQUAL(hw.cfg[0][0x04], 0x04);
	CU_ASSERT_EQUAL(denied(), 1);
}

/* Non-dword accesses below 0xCFC are ordinary ports (0xCF9 reset). */
static void test_native_ports(void)
{
	setup();
	out_(0xcf9, 1, 0x06);
	CU_ASSERT_EQUAL(hw.cf9, 0x06);
	CU_ASSERT_EQUAL(in_(0xcf9, 1) & 0xff, 0x06);
	out_(HV_PCICFG_ADDR_PORT, 2, 0x1234); /* not CONFIG_ADDRESS */
	CU_ASSERT_EQUAL(host.pcicfg.latch, 0);
	CU_ASSERT_EQUAL(hw.cf8_writes, 0);
	/* straddling from below into 0xCF8 only: still native */
	out_(0xcf7, 2, 0);
	out_(0xcf5, 4, 0);
	CU_ASSERT_EQUAL(denied(), 0);
	CU_ASSERT_FALSE(stopped);
}

/* Accesses straddling CONFIG_DATA's edges have no meaning: refused. */
static void test_straddle_refused(void)
{
	uint8_t before[256];

	setup();
	memcpy(before, hw.cfg[1], sizeof(before));
	out_(HV_PCICFG_ADDR_PORT, 4, CFG(0, EDU_BDF, 0x3c));
	out_(0xcfd, 4, 0);
	out_(0xcfb, 2, 0);
	out_(0xcff, 2, 0);
	CU_ASSERT_EQUAL(memcmp(before, hw.cfg[1], sizeof(before)), 0);
	CU_ASSERT_EQUAL(in_(0xcfe, 4), 0xffffffffu);
	CU_ASSERT_EQUAL(denied(), 4);
	CU_ASSERT_FALSE(stopped);
}

/* INS/OUTS and REP: #GP, nothing performed, counted. */
static void test_string_io_faults(void)
{
	uint32_t act;

	setup();
	act = io_exit(HV_PCICFG_DATA_PORT, 4, false, 0, true, false, false);
	CU_ASSERT_EQUAL(act, HV_ACT_INJECT_GP);
	CU_ASSERT_EQUAL(injected, 13);
	CU_ASSERT_EQUAL(rip, 0x1000); /* not skipped: the fault is precise */
	act = io_exit(HV_PCICFG_ADDR_PORT, 4, true, 0, true, true, false);
	CU_ASSERT_EQUAL(act, HV_ACT_INJECT_GP);
	CU_ASSERT_EQUAL(denied(), 2);
	CU_ASSERT_EQUAL(hw.cf8_writes, 0);
}

/* A port we never intercept, or a size no instruction has: fatal. */
static void test_unexpected_fatal(void)
{
	setup();
	CU_ASSERT_TRUE(io_exit(0x80, 1, false, 0, false, false, false) &
		       HV_ACT_FATAL);
	CU_ASSERT_TRUE(io_exit(0xd00, 4, true, 0, false, false, false) &
		       HV_ACT_FATAL);
	CU_ASSERT_TRUE(io_exit(0xcf4, 4, false, 0, false, false, false) &
		       HV_ACT_FATAL);
	CU_ASSERT_TRUE(io_exit(0xcfc, 3, false, 0, false, false, false) &
		       HV_ACT_FATAL);
	CU_ASSERT_TRUE(io_exit(0xcfc, 0, true, 0, false, false, false) &
		       HV_ACT_FATAL);
	CU_ASSERT_EQUAL(hcpu[0].cnt[HV_CNT_FATAL], 5);
	CU_ASSERT_EQUAL(hw.cf8_writes, 0);
}

/* Without the lock no data access is made (it could race the latch). */
static void test_lock_timeout_refuses(void)
{
	struct hv_pcicfg p;

	setup();
	out_(HV_PCICFG_ADDR_PORT, 4, CFG(0, EDU_BDF, 0x3c));
	io_exit(0xcfc, 1, false, 0x77, false, false, true);
	CU_ASSERT_EQUAL(hw.cfg[1][0x3c], 0x4c);
	io_exit(0xcfc, 4, true, 0, false, false, true);
	CU_ASSERT_EQUAL((uint32_t)regs.rax, 0xffffffffu);
	CU_ASSERT_EQUAL(denied(), 2);
	CU_ASSERT_EQUAL(hw.cf8_writes, 0);
	/* the bounded spin gives up on a lock that is never released */
	hv_pcicfg_init(&p);
	p.lock = 1;
	CU_ASSERT_FALSE(hv_pcicfg_lock(&p));
	p.lock = 0;
	CU_ASSERT_TRUE(hv_pcicfg_lock(&p));
	hv_pcicfg_unlock(&p);
	CU_ASSERT_EQUAL(p.lock, 0);
}

static void test_guard_list(void)
{
	struct hv_pcicfg p;

	hv_pcicfg_init(&p);
	CU_ASSERT_FALSE(hv_pcicfg_guarded(&p, 0, 0, IOMMU_BDF));
	for (uint32_t i = 0; i < HV_PCICFG_MAX_GUARDS; i++)
		CU_ASSERT_EQUAL(hv_pcicfg_add_guard(&p, 0, (uint8_t)i, 8), 0);
	CU_ASSERT_EQUAL(hv_pcicfg_add_guard(&p, 0, 0, 8), 0); /* duplicate */
	CU_ASSERT_EQUAL(p.nguards, HV_PCICFG_MAX_GUARDS);
	CU_ASSERT_EQUAL(hv_pcicfg_add_guard(&p, 0, 0xff, 8), -ENOSPC);
	CU_ASSERT_TRUE(hv_pcicfg_guarded(&p, 0, 7, 8));
	CU_ASSERT_FALSE(hv_pcicfg_guarded(&p, 1, 7, 8));
	CU_ASSERT_FALSE(hv_pcicfg_guarded(&p, 0, 7, 9));
	/* a corrupted count never reads past the array */
	p.nguards = 0xffffffffu;
	CU_ASSERT_FALSE(hv_pcicfg_guarded(&p, 0, 0xee, 8));
}

/* A guarded function on segment 1 is not reachable through port I/O. */
static void test_segment_not_port(void)
{
	setup();
	hv_pcicfg_init(&host.pcicfg);
	hv_pcicfg_add_guard(&host.pcicfg, 1, 0, IOMMU_BDF);
	out_(HV_PCICFG_ADDR_PORT, 4, CFG(0, IOMMU_BDF, 0x04));
	out_(HV_PCICFG_DATA_PORT, 1, 0x00);
	CU_ASSERT_EQUAL(hw.cfg[0][0x04], 0x00);
	CU_ASSERT_EQUAL(denied(), 0);
}

static void test_io_values(void)
{
	CU_ASSERT_EQUAL(hv_io_out_value(0xffffffff12345678ull, 1), 0x78u);
	CU_ASSERT_EQUAL(hv_io_out_value(0xffffffff12345678ull, 2), 0x5678u);
	CU_ASSERT_EQUAL(hv_io_out_value(0xffffffff12345678ull, 4), 0x12345678u);
	CU_ASSERT_EQUAL(hv_io_in_merge(~0ull, 1, 0x1234),
			0xffffffffffffff34ull);
	CU_ASSERT_EQUAL(hv_io_in_merge(~0ull, 2, 0x12345),
			0xffffffffffff2345ull);
	CU_ASSERT_EQUAL(hv_io_in_merge(~0ull, 4, 0x80000001u), 0x80000001ull);
}

/* ---- MCFG ---- */

static size_t mcfg_build(uint8_t *t, uint32_t nent)
{
	size_t len = 44 + 16 * nent;

	memset(t, 0, len);
	memcpy(t, "MCFG", 4);
	hv_put_le32(t + 4, (uint32_t)len);
	return len;
}

static void mcfg_entry(uint8_t *t, uint32_t i, uint64_t base, uint16_t seg,
		       uint8_t start, uint8_t end)
{
	uint8_t *e = t + 44 + 16 * i;

	hv_put_le64(e, base);
	hv_put_le16(e + 8, seg);
	e[10] = start;
	e[11] = end;
}

static void test_mcfg_lookup(void)
{
	uint8_t t[128];
	size_t len = mcfg_build(t, 2), bad = 99;
	uint64_t pa = 0;

	mcfg_entry(t, 0, 0xb0000000ull, 0, 0, 0xff);
	mcfg_entry(t, 1, 0x3000000000ull, 1, 0x10, 0x1f);
	CU_ASSERT_EQUAL(hv_mcfg_ecam_page(t, len, 0, 0, IOMMU_BDF, &pa, &bad),
			0);
	CU_ASSERT_EQUAL(pa, 0xb0008000ull);
	CU_ASSERT_EQUAL(hv_mcfg_ecam_page(t, len, 0, 3, 0xff, &pa, &bad), 0);
	CU_ASSERT_EQUAL(pa, 0xb0000000ull + (3u << 20) + (0xffu << 12));
	/* bus-0 based even when the entry starts later */
	CU_ASSERT_EQUAL(hv_mcfg_ecam_page(t, len, 1, 0x12, 8, &pa, &bad), 0);
	CU_ASSERT_EQUAL(pa, 0x3000000000ull + (0x12u << 20) + 0x8000);
	CU_ASSERT_EQUAL(hv_mcfg_ecam_page(t, len, 1, 0x20, 8, &pa, &bad),
			-ENOENT);
	CU_ASSERT_EQUAL(hv_mcfg_ecam_page(t, len, 2, 0, 8, &pa, &bad), -ENOENT);
	/* no entries at all */
	len = mcfg_build(t, 0);
	CU_ASSERT_EQUAL(hv_mcfg_ecam_page(t, len, 0, 0, 8, &pa, &bad), -ENOENT);
}

static void test_mcfg_hostile(void)
{
	uint8_t t[128];
	size_t len, bad;
	uint64_t pa = 0;

	len = mcfg_build(t, 1);
	mcfg_entry(t, 0, 0xb0000000ull, 0, 0, 0xff);
	/* truncated buffer: header says more than we hold */
	CU_ASSERT_EQUAL(hv_mcfg_ecam_page(t, len - 1, 0, 0, 8, &pa, &bad),
			-EINVAL);
	CU_ASSERT_EQUAL(bad, 4);
	CU_ASSERT_EQUAL(hv_mcfg_ecam_page(t, 20, 0, 0, 8, &pa, &bad), -EINVAL);
	CU_ASSERT_EQUAL(hv_mcfg_ecam_page(NULL, 0, 0, 0, 8, &pa, &bad),
			-EINVAL);
	/* wrong signature */
	t[0] = 'X';
	CU_ASSERT_EQUAL(hv_mcfg_ecam_page(t, len, 0, 0, 8, &pa, &bad), -EINVAL);
	t[0] = 'M';
	/* length shorter than the fixed part, or a partial entry */
	hv_put_le32(t + 4, 40);
	CU_ASSERT_EQUAL(hv_mcfg_ecam_page(t, len, 0, 0, 8, &pa, &bad), -EINVAL);
	CU_ASSERT_EQUAL(bad, 4);
	hv_put_le32(t + 4, (uint32_t)len - 3);
	CU_ASSERT_EQUAL(hv_mcfg_ecam_page(t, len, 0, 0, 8, &pa, &bad), -EINVAL);
	hv_put_le32(t + 4, (uint32_t)len);
	/* start bus after end bus */
	mcfg_entry(t, 0, 0xb0000000ull, 0, 5, 4);
	CU_ASSERT_EQUAL(hv_mcfg_ecam_page(t, len, 0, 4, 8, &pa, &bad), -EINVAL);
	CU_ASSERT_EQUAL(bad, 44);
	/* base not 1 MiB aligned */
	mcfg_entry(t, 0, 0xb0001000ull, 0, 0, 0xff);
	CU_ASSERT_EQUAL(hv_mcfg_ecam_page(t, len, 0, 0, 8, &pa, &bad), -EINVAL);
	CU_ASSERT_EQUAL(bad, 44);
	/* window wraps the address space */
	mcfg_entry(t, 0, 0xfffffffffff00000ull, 0, 0, 0xff);
	CU_ASSERT_EQUAL(hv_mcfg_ecam_page(t, len, 0, 0, 8, &pa, &bad), -EINVAL);
	/* a malformed entry after the matching one is still reported */
	len = mcfg_build(t, 2);
	mcfg_entry(t, 0, 0xb0000000ull, 0, 0, 0xff);
	mcfg_entry(t, 1, 0xc0000000ull, 1, 9, 1);
	pa = 0;
	CU_ASSERT_EQUAL(hv_mcfg_ecam_page(t, len, 0, 0, 8, &pa, &bad), -EINVAL);
	CU_ASSERT_EQUAL(bad, 60);
	CU_ASSERT_EQUAL(pa, 0);
}

UNIT_SUITE(pcicfg, NULL, NULL, UNIT_TEST(test_latch_shadow),
	   UNIT_TEST(test_reads_pass), UNIT_TEST(test_guarded_writes_refused),
	   UNIT_TEST(test_other_writes_pass), UNIT_TEST(test_latch_switch),
	   UNIT_TEST(test_native_ports), UNIT_TEST(test_straddle_refused),
	   UNIT_TEST(test_string_io_faults), UNIT_TEST(test_unexpected_fatal),
	   UNIT_TEST(test_lock_timeout_refuses), UNIT_TEST(test_guard_list),
	   UNIT_TEST(test_segment_not_port), UNIT_TEST(test_io_values),
	   UNIT_TEST(test_mcfg_lookup), UNIT_TEST(test_mcfg_hostile));
