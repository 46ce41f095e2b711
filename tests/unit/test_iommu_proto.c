// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_iommu_proto.c - the IOMMU protocols of vtd/host/vtd_proto.c and
 * vtd/host/amdvi_proto.c (host userspace) against a mock accessor that
 * plays the hardware, records every write, wait, flush and fence in
 * order, and can time out: exact register sequences, waits that time out
 * stop the protocol, ring wrap and full rings, drains with overflow, and
 * flushes only where the unit does not snoop.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "thinhv/iommu_proto.h"
#include "thinhv/hw/vtd_regs.h"
#include "thinhv/hw/amdvi_regs.h"

enum op_kind { OP_WR32 = 1, OP_WR64, OP_WAIT, OP_FLUSH, OP_FENCE };

struct op {
	enum op_kind kind;
	uint32_t off;	/* register (writes, register waits) */
	uint64_t val;	/* value written / wait target */
	const void *va; /* flushed range, or the waited-on memory word */
	size_t len;
};

#define MOCK_OPS 2048
#define MOCK_CMDS 512
#define IRO 0x100 /* IOTLB registers at IRO + 8 */
#define FRO 0x200 /* fault records */

struct mock {
	uint8_t regs[0x4000]; /* VT-d at 0, AMD-Vi command/event at 0x2000 */
	struct iommu_proto *p;
	struct op ops[MOCK_OPS];
	uint32_t nops;
	uint32_t waits, fail_wait; /* fail_wait: the n-th wait times out */
	uint32_t logs;
	/* hardware that never finishes: a busy bit, the queue, the ring */
	bool stuck_reg, stuck_qi, stuck_cmd;
	/* what the hardware ran */
	uint64_t desc[64][2];
	uint32_t ndesc;
	uint64_t cmd[MOCK_CMDS][2];
	uint32_t ncmd;
};

static uint32_t *r32(struct mock *m, uint32_t off)
{
	return (uint32_t *)(m->regs + off);
}

static uint64_t *r64(struct mock *m, uint32_t off)
{
	return (uint64_t *)(m->regs + off);
}

static void record(struct mock *m, enum op_kind k, uint32_t off, uint64_t v,
		   const void *va, size_t len)
{
	CU_ASSERT_FATAL(m->nops < MOCK_OPS);
	m->ops[m->nops].kind = k;
	m->ops[m->nops].off = off;
	m->ops[m->nops].val = v;
	m->ops[m->nops].va = va;
	m->ops[m->nops].len = len;
	m->nops++;
}

static uint32_t m_rd32(const struct iommu_acc *a, uint32_t off)
{
	return *r32(a->ctx, off);
}

static uint64_t m_rd64(const struct iommu_acc *a, uint32_t off)
{
	return *r64(a->ctx, off);
}

/* The VT-d GCMD write: persistent enables mirrored, SRTP status set on
 * completion, WBF status clear on completion. */
static void hw_gcmd(struct mock *m, uint32_t v)
{
	uint32_t sts = v & VTD_GSTS_PERSIST;

	if (m->stuck_reg)
		return;
	if (v & VTD_GCMD_SRTP)
		sts |= VTD_GCMD_SRTP;
	*r32(m, VTD_REG_GSTS) = sts;
}

/* The queue from IQH to the new IQT: record, store wait status. */
static void hw_qi(struct mock *m, uint64_t iqt)
{
	uint32_t head = (uint32_t)VTD_IQ_PTR_GET(*r64(m, VTD_REG_IQH));
	uint32_t tail = (uint32_t)VTD_IQ_PTR_GET(iqt);

	if (m->stuck_qi)
		return;
	while (head != tail) {
		const uint64_t *d = &m->p->iq[2 * head];

		CU_ASSERT_FATAL(m->ndesc < 64);
		m->desc[m->ndesc][0] = d[0];
		m->desc[m->ndesc][1] = d[1];
		m->ndesc++;
		if ((d[0] & 0xf) == 5 && d[1] == m->p->iq_status_pa)
			*m->p->iq_status = (uint32_t)(d[0] >> 32);
		head = (head + 1) % VTD_IQ_ENTRIES;
	}
	*r64(m, VTD_REG_IQH) = VTD_IQ_PTR(head);
}

/* The AMD-Vi ring from CMD_HEAD to the new tail: record, run the store. */
static void hw_cmd(struct mock *m, uint64_t tail)
{
	uint32_t head =
	    (uint32_t)(*r64(m, AMDVI_REG_CMD_HEAD) & AMDVI_PTR_MASK);

	if (m->stuck_cmd)
		return;
	while (head != tail) {
		const uint64_t *c = (const uint64_t *)(m->p->cmdbuf + head);

		CU_ASSERT_FATAL(m->ncmd < MOCK_CMDS);
		m->cmd[m->ncmd][0] = c[0];
		m->cmd[m->ncmd][1] = c[1];
		m->ncmd++;
		if ((c[0] >> 60) == AMDVI_CMD_COMPLETION_WAIT &&
		    (c[0] & AMDVI_CW_STORE) &&
		    (c[0] & AMDVI_CW_ADDR_MASK) == m->p->cw_pa)
			*m->p->cw_sem = c[1];
		head = (head + AMDVI_CMD_SIZE) % AMDVI_RING_BYTES;
	}
	*r64(m, AMDVI_REG_CMD_HEAD) = head;
}

static void m_wr32(const struct iommu_acc *a, uint32_t off, uint32_t v)
{
	struct mock *m = a->ctx;

	record(m, OP_WR32, off, v, NULL, 0);
	if (off == VTD_REG_GCMD)
		hw_gcmd(m, v);
	else
		*r32(m, off) = v;
}

static void m_wr64(const struct iommu_acc *a, uint32_t off, uint64_t v)
{
	struct mock *m = a->ctx;

	record(m, OP_WR64, off, v, NULL, 0);
	if ((off == VTD_REG_CCMD || off == IRO + VTD_IOTLB_OFF) &&
	    !m->stuck_reg)
		v &= ~(1ull << 63); /* ICC / IVT: done at once */
	*r64(m, off) = v;
	if (off == VTD_REG_IQT)
		hw_qi(m, v);
	else if (off == AMDVI_REG_CMD_TAIL)
		hw_cmd(m, v);
}

/* The hardware above already ran: one poll decides, or the n-th wait
 * is made to time out. */
static int m_wait(const struct iommu_acc *a, const struct iommu_wait *w)
{
	struct mock *m = a->ctx;
	int met;

	record(m, OP_WAIT, w->off, w->want, w->mem, 0);
	if (++m->waits == m->fail_wait)
		return -ETIMEDOUT;
	met = iommu_wait_met(a, w);
	return met > 0 ? 0 : met < 0 ? met : -ETIMEDOUT;
}

static void m_flush(const struct iommu_acc *a, const void *va, size_t len)
{
	record(a->ctx, OP_FLUSH, 0, 0, va, len);
}

static void m_fence(const struct iommu_acc *a)
{
	record(a->ctx, OP_FENCE, 0, 0, NULL, 0);
}

static void m_log(const struct iommu_acc *a, const char *what, uint64_t v)
{
	struct mock *m = a->ctx;

	CU_ASSERT_PTR_NOT_NULL(what);
	m->logs++;
}

static struct mock *mock_new(struct iommu_acc *a, struct iommu_proto *p)
{
	struct mock *m = calloc(1, sizeof(*m));

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	memset(p, 0, sizeof(*p));
	m->p = p;
	a->ctx = m;
	a->rd32 = m_rd32;
	a->rd64 = m_rd64;
	a->wr32 = m_wr32;
	a->wr64 = m_wr64;
	a->wait = m_wait;
	a->flush = m_flush;
	a->fence = m_fence;
	a->log = m_log;
	return m;
}

/* The recorded operation i is (kind, off, val). */
static void expect(const struct mock *m, uint32_t i, enum op_kind k,
		   uint32_t off, uint64_t val)
{
	CU_ASSERT_FATAL(i < m->nops);
	CU_ASSERT_EQUAL(m->ops[i].kind, k);
	CU_ASSERT_EQUAL(m->ops[i].off, off);
	CU_ASSERT_EQUAL(m->ops[i].val, val);
}

static uint32_t count(const struct mock *m, enum op_kind k)
{
	uint32_t i, n = 0;

	for (i = 0; i < m->nops; i++)
		n += m->ops[i].kind == k;
	return n;
}

#define CCMD_GLOBAL (VTD_CCMD_ICC | VTD_CCMD_CIRG_GLOBAL)
#define IOTLB_GLOBAL \
	(VTD_IOTLB_IVT | VTD_IOTLB_IIRG_GLOBAL | VTD_IOTLB_DR | VTD_IOTLB_DW)

/* ---- VT-d ---- */

static void test_vtd_register_inval(void)
{
	struct iommu_proto p;
	struct iommu_acc a;
	struct mock *m = mock_new(&a, &p);

	p.iro = IRO;
	CU_ASSERT_EQUAL(vtd_inval_global(&a, &p), 0);
	CU_ASSERT_EQUAL(m->nops, 4);
	expect(m, 0, OP_WR64, VTD_REG_CCMD, CCMD_GLOBAL);
	expect(m, 1, OP_WAIT, VTD_REG_CCMD, 0);
	expect(m, 2, OP_WR64, IRO + VTD_IOTLB_OFF, IOTLB_GLOBAL);
	expect(m, 3, OP_WAIT, IRO + VTD_IOTLB_OFF, 0);
	CU_ASSERT_EQUAL(m->logs, 0);

	/* The context cache never finishes: no IOTLB write follows. */
	m->nops = 0;
	m->stuck_reg = true;
	CU_ASSERT_EQUAL(vtd_inval_global(&a, &p), -ETIMEDOUT);
	CU_ASSERT_EQUAL(m->nops, 2);
	expect(m, 1, OP_WAIT, VTD_REG_CCMD, 0);
	CU_ASSERT_EQUAL(m->logs, 1);
	free(m);
}

/* Coherent unit (ECAP.C = 1), no RWBF: a fence, no flush, no WBF. */
static void test_vtd_switch_coherent(void)
{
	static uint8_t tables[3 * 4096];
	struct iommu_proto p;
	struct iommu_acc a;
	struct mock *m = mock_new(&a, &p);

	p.ecap = VTD_ECAP_C;
	p.iro = IRO;
	*r32(m, VTD_REG_GSTS) = VTD_GCMD_TE; /* translation already on */
	CU_ASSERT_EQUAL(
	    vtd_switch_root(&a, &p, 0x7800001000ull, tables, sizeof(tables)),
	    0);
	CU_ASSERT_EQUAL(m->nops, 8);
	expect(m, 0, OP_FENCE, 0, 0);
	expect(m, 1, OP_WR64, VTD_REG_RTADDR, 0x7800001000ull);
	/* SRTP with TE repeated: a GCMD write must not drop enables. */
	expect(m, 2, OP_WR32, VTD_REG_GCMD, VTD_GCMD_TE | VTD_GCMD_SRTP);
	expect(m, 3, OP_WAIT, VTD_REG_GSTS, VTD_GCMD_SRTP);
	expect(m, 4, OP_WR64, VTD_REG_CCMD, CCMD_GLOBAL);
	expect(m, 6, OP_WR64, IRO + VTD_IOTLB_OFF, IOTLB_GLOBAL);
	CU_ASSERT_EQUAL(count(m, OP_FLUSH), 0);
	free(m);
}

/* Non-coherent unit with RWBF: tables flushed, then the write buffer,
 * both before the root pointer moves. */
static void test_vtd_switch_noncoherent_rwbf(void)
{
	static uint8_t tables[3 * 4096];
	struct iommu_proto p;
	struct iommu_acc a;
	struct mock *m = mock_new(&a, &p);

	p.cap = VTD_CAP_RWBF;
	p.iro = IRO;
	*r32(m, VTD_REG_GSTS) = VTD_GCMD_TE;
	CU_ASSERT_EQUAL(
	    vtd_switch_root(&a, &p, 0x7800002000ull, tables, sizeof(tables)),
	    0);
	CU_ASSERT_EQUAL(m->nops, 10);
	expect(m, 0, OP_FLUSH, 0, 0);
	CU_ASSERT_PTR_EQUAL(m->ops[0].va, tables);
	CU_ASSERT_EQUAL(m->ops[0].len, sizeof(tables));
	expect(m, 1, OP_WR32, VTD_REG_GCMD, VTD_GCMD_TE | VTD_GCMD_WBF);
	expect(m, 2, OP_WAIT, VTD_REG_GSTS, 0); /* WBFS clears when done */
	expect(m, 3, OP_WR64, VTD_REG_RTADDR, 0x7800002000ull);
	expect(m, 4, OP_WR32, VTD_REG_GCMD, VTD_GCMD_TE | VTD_GCMD_SRTP);
	expect(m, 6, OP_WR64, VTD_REG_CCMD, CCMD_GLOBAL);
	expect(m, 8, OP_WR64, IRO + VTD_IOTLB_OFF, IOTLB_GLOBAL);

	/* SRTP never completes: no invalidation is issued. */
	m->nops = 0;
	m->waits = 0;
	m->fail_wait = 2; /* WBF passes, SRTP times out */
	CU_ASSERT_EQUAL(
	    vtd_switch_root(&a, &p, 0x7800002000ull, tables, sizeof(tables)),
	    -ETIMEDOUT);
	CU_ASSERT_EQUAL(m->nops, 6);
	expect(m, 5, OP_WAIT, VTD_REG_GSTS, VTD_GCMD_SRTP);
	free(m);
}

static void qi_setup(struct mock *m, struct iommu_proto *p, uint64_t *iq,
		     uint32_t *status, uint32_t at)
{
	memset(iq, 0, 4096);
	p->iq = iq;
	p->iq_pa = 0x7800010000ull;
	p->iq_status = status;
	p->iq_status_pa = 0x7800011000ull;
	p->iq_tail = at;
	p->qi_on = 1;
	p->iro = IRO;
	*r64(m, VTD_REG_IQH) = VTD_IQ_PTR(at); /* empty: head == tail */
	*r64(m, VTD_REG_IQT) = VTD_IQ_PTR(at);
}

/* Queued: context, IOTLB, wait with status write; wraps at the end. */
static void test_vtd_qi_inval_wrap(void)
{
	uint64_t *iq = aligned_alloc(4096, 4096);
	uint32_t status = 0;
	struct iommu_proto p;
	struct iommu_acc a;
	struct mock *m = mock_new(&a, &p);

	CU_ASSERT_PTR_NOT_NULL_FATAL(iq);
	qi_setup(m, &p, iq, &status, 254);
	CU_ASSERT_EQUAL(vtd_inval_global(&a, &p), 0);
	CU_ASSERT_EQUAL(p.iq_tail, 1);
	CU_ASSERT_EQUAL(iq[2 * 254], VTD_DESC_CC_GLOBAL);
	CU_ASSERT_EQUAL(iq[2 * 255], VTD_DESC_IOTLB_GLOBAL);
	CU_ASSERT_EQUAL(iq[0], VTD_DESC_WAIT(1));
	CU_ASSERT_EQUAL(iq[1], p.iq_status_pa);
	CU_ASSERT_EQUAL(status, 1);
	CU_ASSERT_EQUAL(m->ndesc, 3);
	/* Not coherent: each descriptor flushed, then a fence, then IQT. */
	CU_ASSERT_EQUAL(m->nops, 6);
	expect(m, 0, OP_FLUSH, 0, 0);
	CU_ASSERT_PTR_EQUAL(m->ops[0].va, &iq[2 * 254]);
	CU_ASSERT_PTR_EQUAL(m->ops[2].va, &iq[0]);
	expect(m, 3, OP_FENCE, 0, 0);
	expect(m, 4, OP_WR64, VTD_REG_IQT, VTD_IQ_PTR(1));
	expect(m, 5, OP_WAIT, 0, 1);
	CU_ASSERT_PTR_EQUAL(m->ops[5].va, &status);
	/* The registers are not touched while QI owns invalidation. */
	CU_ASSERT_EQUAL(*r64(m, VTD_REG_CCMD), 0);

	/* Coherent: no flush, the same queue. */
	m->nops = 0;
	p.ecap = VTD_ECAP_C;
	CU_ASSERT_EQUAL(vtd_inval_global(&a, &p), 0);
	CU_ASSERT_EQUAL(count(m, OP_FLUSH), 0);
	CU_ASSERT_EQUAL(m->nops, 3);
	CU_ASSERT_EQUAL(status, 2);
	CU_ASSERT_EQUAL(p.iq_tail, 4);
	free(iq);
	free(m);
}

static void test_vtd_qi_fail(void)
{
	uint64_t *iq = aligned_alloc(4096, 4096);
	uint32_t status = 0, tail;
	struct iommu_proto p;
	struct iommu_acc a;
	struct mock *m = mock_new(&a, &p);

	CU_ASSERT_PTR_NOT_NULL_FATAL(iq);
	qi_setup(m, &p, iq, &status, 0);
	p.ecap = VTD_ECAP_C;
	/* The status never comes: bounded, reported. */
	m->stuck_qi = true;
	CU_ASSERT_EQUAL(vtd_inval_global(&a, &p), -ETIMEDOUT);
	CU_ASSERT_EQUAL(m->logs, 1);
	CU_ASSERT_EQUAL(status, 0);
	/* A queue error ends the wait at once. */
	*r32(m, VTD_REG_FSTS) = VTD_FSTS_IQE;
	CU_ASSERT_EQUAL(vtd_inval_global(&a, &p), -EIO);
	*r32(m, VTD_REG_FSTS) = 0;
	/* Unfinished descriptors left too little room between tail and
	 * head: refused, nothing written. */
	*r64(m, VTD_REG_IQH) = VTD_IQ_PTR(p.iq_tail + 2);
	tail = p.iq_tail;
	m->nops = 0;
	CU_ASSERT_EQUAL(vtd_inval_global(&a, &p), -EBUSY);
	CU_ASSERT_EQUAL(m->nops, 0);
	CU_ASSERT_EQUAL(p.iq_tail, tail);
	free(iq);
	free(m);
}

static void test_vtd_qi_enable(void)
{
	struct iommu_proto p;
	struct iommu_acc a;
	struct mock *m = mock_new(&a, &p);

	p.iq_pa = 0x7800010000ull;
	p.iq_tail = 17;
	CU_ASSERT_EQUAL(vtd_qi_enable(&a, &p), 0);
	CU_ASSERT_EQUAL(m->nops, 4);
	expect(m, 0, OP_WR64, VTD_REG_IQT, 0);
	expect(m, 1, OP_WR64, VTD_REG_IQA, 0x7800010000ull);
	expect(m, 2, OP_WR32, VTD_REG_GCMD, VTD_GCMD_QIE);
	expect(m, 3, OP_WAIT, VTD_REG_GSTS, VTD_GCMD_QIE);
	CU_ASSERT_EQUAL(p.qi_on, 1);
	CU_ASSERT_EQUAL(p.iq_tail, 0);
	/* A unit that never reports QIES stays on the registers. */
	memset(&p, 0, sizeof(p));
	*r32(m, VTD_REG_GSTS) = 0;
	m->stuck_reg = true;
	CU_ASSERT_EQUAL(vtd_qi_enable(&a, &p), -ETIMEDOUT);
	CU_ASSERT_EQUAL(p.qi_on, 0);
	free(m);
}

struct seen {
	uint64_t lo[300], hi[300];
	uint32_t n;
};

static void rec(void *ctx, uint64_t lo, uint64_t hi)
{
	struct seen *s = ctx;

	CU_ASSERT_FATAL(s->n < 300);
	s->lo[s->n] = lo;
	s->hi[s->n] = hi;
	s->n++;
}

static void put_record(struct mock *m, uint32_t i, uint64_t addr, bool f)
{
	*r64(m, FRO + 16 * i) = addr;
	*r64(m, FRO + 16 * i + 8) =
	    (f ? VTD_FRCD_HI_F : 0) | (5ull << 32) | 0x28;
}

/* Records from FSTS.FRI on, wrapping; cleared after being seen. */
static void test_vtd_fault_drain(void)
{
	struct iommu_proto p;
	struct iommu_acc a;
	struct mock *m = mock_new(&a, &p);
	struct seen s = { 0 };
	bool ovf = true;

	p.nfr = 4;
	p.fro = FRO;
	put_record(m, 0, 0x3000, true);
	put_record(m, 1, 0x4000, false);
	put_record(m, 2, 0x1000, true);
	put_record(m, 3, 0x2000, true);
	*r32(m, VTD_REG_FSTS) = VTD_FSTS_PPF | VTD_FSTS_PFO | 2u << 8;
	/* Read-only (after launch, the OS side): nothing written. */
	CU_ASSERT_EQUAL(vtd_fault_drain(&a, &p, false, rec, &s, &ovf), 3);
	CU_ASSERT_FALSE(ovf);
	CU_ASSERT_EQUAL(m->nops, 0);
	s.n = 0;
	CU_ASSERT_EQUAL(vtd_fault_drain(&a, &p, true, rec, &s, &ovf), 3);
	CU_ASSERT_EQUAL(s.n, 3);
	CU_ASSERT_EQUAL(s.lo[0], 0x1000);
	CU_ASSERT_EQUAL(s.lo[1], 0x2000);
	CU_ASSERT_EQUAL(s.lo[2], 0x3000);
	CU_ASSERT_TRUE(ovf);
	CU_ASSERT_EQUAL(m->nops, 4);
	expect(m, 0, OP_WR32, FRO + 2 * 16 + VTD_FRCD_F_OFF, VTD_FRCD_F_DW);
	expect(m, 1, OP_WR32, FRO + 3 * 16 + VTD_FRCD_F_OFF, VTD_FRCD_F_DW);
	expect(m, 2, OP_WR32, FRO + 0 * 16 + VTD_FRCD_F_OFF, VTD_FRCD_F_DW);
	expect(m, 3, OP_WR32, VTD_REG_FSTS, VTD_FSTS_PFO);
	/* No pending fault: the records are not even read. */
	m->nops = 0;
	s.n = 0;
	*r32(m, VTD_REG_FSTS) = 0;
	CU_ASSERT_EQUAL(vtd_fault_drain(&a, &p, true, rec, &s, &ovf), 0);
	CU_ASSERT_EQUAL(s.n, 0);
	CU_ASSERT_FALSE(ovf);

	/* Enable-time clear: every record's F, then PFO and IQE. */
	m->nops = 0;
	vtd_faults_clear(&a, &p);
	CU_ASSERT_EQUAL(m->nops, 5);
	expect(m, 3, OP_WR32, FRO + 3 * 16 + VTD_FRCD_F_OFF, VTD_FRCD_F_DW);
	expect(m, 4, OP_WR32, VTD_REG_FSTS, VTD_FSTS_PFO | VTD_FSTS_IQE);
	free(m);
}

/* ---- AMD-Vi ---- */

struct amd_mem {
	uint8_t *cmdbuf, *evtlog;
	uint64_t *sem;
};

static void amd_setup(struct mock *m, struct iommu_proto *p,
		      struct amd_mem *mem, uint32_t at)
{
	mem->cmdbuf = aligned_alloc(4096, 4096);
	mem->evtlog = aligned_alloc(4096, 4096);
	mem->sem = aligned_alloc(4096, 4096);
	CU_ASSERT_FATAL(mem->cmdbuf && mem->evtlog && mem->sem);
	memset(mem->cmdbuf, 0, 4096);
	memset(mem->evtlog, 0, 4096);
	*mem->sem = 0;
	p->cmdbuf = mem->cmdbuf;
	p->evtlog = mem->evtlog;
	p->cw_sem = mem->sem;
	p->cw_pa = 0x7800020000ull;
	p->cmd_tail = at;
	*r64(m, AMDVI_REG_CMD_HEAD) = at;
	*r64(m, AMDVI_REG_CMD_TAIL) = at;
}

static void amd_free(struct amd_mem *mem)
{
	free(mem->cmdbuf);
	free(mem->evtlog);
	free(mem->sem);
}

/* Every command is flushed before the tail moves past it; the tail wraps. */
static void test_amdvi_cmd_wrap(void)
{
	struct amd_mem mem;
	struct iommu_proto p;
	struct iommu_acc a;
	struct mock *m = mock_new(&a, &p);
	uint64_t *slot;

	amd_setup(m, &p, &mem, AMDVI_RING_BYTES - AMDVI_CMD_SIZE);
	slot = (uint64_t *)(mem.cmdbuf + AMDVI_RING_BYTES - AMDVI_CMD_SIZE);
	CU_ASSERT_EQUAL(amdvi_cmd(&a, &p, 0x1111, 0x2222), 0);
	CU_ASSERT_EQUAL(slot[0], 0x1111);
	CU_ASSERT_EQUAL(slot[1], 0x2222);
	CU_ASSERT_EQUAL(p.cmd_tail, 0);
	CU_ASSERT_EQUAL(m->nops, 3);
	expect(m, 0, OP_WAIT, AMDVI_REG_CMD_HEAD, 0); /* head != next (0) */
	expect(m, 1, OP_FLUSH, 0, 0);
	CU_ASSERT_PTR_EQUAL(m->ops[1].va, slot);
	CU_ASSERT_EQUAL(m->ops[1].len, AMDVI_CMD_SIZE);
	expect(m, 2, OP_WR64, AMDVI_REG_CMD_TAIL, 0);
	CU_ASSERT_EQUAL(m->ncmd, 1);
	CU_ASSERT_EQUAL(amdvi_cmd(&a, &p, 0x3333, 0), 0);
	CU_ASSERT_EQUAL(((uint64_t *)mem.cmdbuf)[0], 0x3333);
	CU_ASSERT_EQUAL(p.cmd_tail, AMDVI_CMD_SIZE);
	amd_free(&mem);
	free(m);
}

/* A full ring whose head never moves: bounded, nothing written. */
static void test_amdvi_cmd_full(void)
{
	struct amd_mem mem;
	struct iommu_proto p;
	struct iommu_acc a;
	struct mock *m = mock_new(&a, &p);

	amd_setup(m, &p, &mem, 0x100);
	m->stuck_cmd = true;
	*r64(m, AMDVI_REG_CMD_HEAD) = 0x100 + AMDVI_CMD_SIZE; /* full */
	CU_ASSERT_EQUAL(amdvi_cmd(&a, &p, 0x1111, 0x2222), -ETIMEDOUT);
	CU_ASSERT_EQUAL(m->nops, 1);
	expect(m, 0, OP_WAIT, AMDVI_REG_CMD_HEAD, 0x100 + AMDVI_CMD_SIZE);
	CU_ASSERT_EQUAL(p.cmd_tail, 0x100);
	CU_ASSERT_EQUAL(((uint64_t *)(mem.cmdbuf + 0x100))[0], 0);
	CU_ASSERT_EQUAL(m->logs, 1);
	amd_free(&mem);
	free(m);
}

static void test_amdvi_completion_wait(void)
{
	struct amd_mem mem;
	struct iommu_proto p;
	struct iommu_acc a;
	struct mock *m = mock_new(&a, &p);

	amd_setup(m, &p, &mem, 0);
	CU_ASSERT_EQUAL(amdvi_completion_wait(&a, &p), 0);
	CU_ASSERT_EQUAL(m->ncmd, 1);
	CU_ASSERT_EQUAL(m->cmd[0][0],
			p.cw_pa | AMDVI_CW_STORE |
			    AMDVI_CMD_OP(AMDVI_CMD_COMPLETION_WAIT));
	CU_ASSERT_EQUAL(m->cmd[0][1], 1);
	CU_ASSERT_EQUAL(*mem.sem, 1);
	expect(m, m->nops - 1, OP_WAIT, 0, 1);
	CU_ASSERT_PTR_EQUAL(m->ops[m->nops - 1].va, mem.sem);
	/* The store never lands: -ETIMEDOUT, reported. */
	m->stuck_cmd = true;
	CU_ASSERT_EQUAL(amdvi_completion_wait(&a, &p), -ETIMEDOUT);
	CU_ASSERT_EQUAL(*mem.sem, 1);
	CU_ASSERT_EQUAL(m->logs, 1);
	amd_free(&mem);
	free(m);
}

static uint64_t maps[2][65536 / 64];

static void map_set(uint64_t *map, uint32_t i)
{
	map[i / 64] |= 1ull << (i % 64);
}

#define OPC(c) ((c)[0] >> 60)

/* Entries, a wait, then pages of each domain, then the final wait. */
static void test_amdvi_inval(void)
{
	struct amd_mem mem;
	struct iommu_proto p;
	struct iommu_acc a;
	struct mock *m = mock_new(&a, &p);
	uint32_t i;

	amd_setup(m, &p, &mem, 0);
	memset(maps, 0, sizeof(maps));
	map_set(maps[0], 0x28);
	map_set(maps[0], 0x30);
	map_set(maps[1], 1);
	map_set(maps[1], 2);
	CU_ASSERT_EQUAL(amdvi_inval(&a, &p, maps[0], maps[1]), 0);
	CU_ASSERT_EQUAL(m->ncmd, 6);
	CU_ASSERT_EQUAL(m->cmd[0][0],
			0x28 | AMDVI_CMD_OP(AMDVI_CMD_INV_DEVTAB_ENTRY));
	CU_ASSERT_EQUAL(m->cmd[1][0],
			0x30 | AMDVI_CMD_OP(AMDVI_CMD_INV_DEVTAB_ENTRY));
	CU_ASSERT_EQUAL(OPC(m->cmd[2]), AMDVI_CMD_COMPLETION_WAIT);
	CU_ASSERT_EQUAL(m->cmd[3][0],
			AMDVI_INV_DOMAIN(1) |
			    AMDVI_CMD_OP(AMDVI_CMD_INV_IOMMU_PAGES));
	CU_ASSERT_EQUAL(m->cmd[3][1],
			AMDVI_INV_ALL_ADDR | AMDVI_INV_PDE | AMDVI_INV_S);
	CU_ASSERT_EQUAL(m->cmd[4][0],
			AMDVI_INV_DOMAIN(2) |
			    AMDVI_CMD_OP(AMDVI_CMD_INV_IOMMU_PAGES));
	CU_ASSERT_EQUAL(OPC(m->cmd[5]), AMDVI_CMD_COMPLETION_WAIT);
	CU_ASSERT_EQUAL(*mem.sem, 2);
	/* Every command was flushed before the tail moved. */
	CU_ASSERT_EQUAL(count(m, OP_FLUSH), 6);

	/* A timeout stops the sequence: the third wait (the room check of
	 * the first COMPLETION_WAIT) fails, nothing more is queued. */
	m->ncmd = 0;
	m->waits = 0;
	m->fail_wait = 3;
	CU_ASSERT_EQUAL(amdvi_inval(&a, &p, maps[0], maps[1]), -ETIMEDOUT);
	CU_ASSERT_EQUAL(m->ncmd, 2);
	CU_ASSERT_EQUAL(m->waits, 3);

	/* EFR.IA: one INVALIDATE_IOMMU_ALL and its wait, nothing else. */
	m->ncmd = 0;
	m->fail_wait = 0;
	p.ecap = AMDVI_EFR_IA;
	CU_ASSERT_EQUAL(amdvi_inval(&a, &p, maps[0], maps[1]), 0);
	CU_ASSERT_EQUAL(m->ncmd, 2);
	CU_ASSERT_EQUAL(OPC(m->cmd[0]), AMDVI_CMD_INV_IOMMU_ALL);
	CU_ASSERT_EQUAL(OPC(m->cmd[1]), AMDVI_CMD_COMPLETION_WAIT);

	/* 300 entries: a COMPLETION_WAIT after each 128 commands keeps the
	 * 256-entry ring from filling. */
	p.ecap = 0;
	m->ncmd = 0;
	memset(maps, 0, sizeof(maps));
	for (i = 0; i < 300; i++)
		map_set(maps[0], 0x100 + i);
	CU_ASSERT_EQUAL(amdvi_inval(&a, &p, maps[0], maps[1]), 0);
	CU_ASSERT_EQUAL(m->ncmd, 300 + 2 + 2);
	CU_ASSERT_EQUAL(OPC(m->cmd[128]), AMDVI_CMD_COMPLETION_WAIT);
	CU_ASSERT_EQUAL(OPC(m->cmd[257]), AMDVI_CMD_COMPLETION_WAIT);
	CU_ASSERT_EQUAL(m->cmd[129][0],
			(0x100 + 128) |
			    AMDVI_CMD_OP(AMDVI_CMD_INV_DEVTAB_ENTRY));
	amd_free(&mem);
	free(m);
}

static void put_event(struct amd_mem *mem, uint32_t at, uint64_t lo)
{
	((uint64_t *)(mem->evtlog + at))[0] = lo;
	((uint64_t *)(mem->evtlog + at))[1] = lo + 1;
}

/* Head to tail across the end of the log; zeroed; head moved once. */
static void test_amdvi_event_drain(void)
{
	struct amd_mem mem;
	struct iommu_proto p;
	struct iommu_acc a;
	struct mock *m = mock_new(&a, &p);
	struct seen s = { 0 };
	bool ovf = false;

	amd_setup(m, &p, &mem, 0);
	put_event(&mem, 4064, 0xa0);
	put_event(&mem, 4080, 0xb0);
	put_event(&mem, 0, 0xc0);
	put_event(&mem, 16, 0xd0);
	*r64(m, AMDVI_REG_EVT_HEAD) = 4064;
	*r64(m, AMDVI_REG_EVT_TAIL) = 32;
	*r64(m, AMDVI_REG_STATUS) = AMDVI_STS_EVT_OVERFLOW;
	CU_ASSERT_EQUAL(amdvi_event_drain(&a, &p, rec, &s, &ovf), 4);
	CU_ASSERT_EQUAL(s.n, 4);
	CU_ASSERT_EQUAL(s.lo[0], 0xa0);
	CU_ASSERT_EQUAL(s.hi[0], 0xa1);
	CU_ASSERT_EQUAL(s.lo[3], 0xd0);
	CU_ASSERT_EQUAL(((uint64_t *)(mem.evtlog + 4080))[0], 0);
	CU_ASSERT_TRUE(ovf);
	CU_ASSERT_EQUAL(m->nops, 2);
	expect(m, 0, OP_WR64, AMDVI_REG_STATUS, AMDVI_STS_EVT_OVERFLOW);
	expect(m, 1, OP_WR64, AMDVI_REG_EVT_HEAD, 32);
	/* Empty: head written back unchanged, nothing seen. */
	s.n = 0;
	m->nops = 0;
	*r64(m, AMDVI_REG_STATUS) = 0;
	CU_ASSERT_EQUAL(amdvi_event_drain(&a, &p, rec, &s, &ovf), 0);
	CU_ASSERT_FALSE(ovf);
	CU_ASSERT_EQUAL(s.n, 0);
	/* A head beyond the log (broken hardware): nothing is read. */
	*r64(m, AMDVI_REG_EVT_HEAD) = 0x7000;
	CU_ASSERT_EQUAL(amdvi_event_drain(&a, &p, rec, &s, &ovf), 0);
	CU_ASSERT_EQUAL(s.n, 0);
	amd_free(&mem);
	free(m);
}

/* AMD-Vi flushes whatever the unit reads; VT-d only when ECAP.C = 0. */
static void test_tables_visible(void)
{
	static uint8_t tables[4096];
	struct iommu_proto p;
	struct iommu_acc a;
	struct mock *m = mock_new(&a, &p);

	amdvi_tables_visible(&a, tables, sizeof(tables));
	CU_ASSERT_EQUAL(m->nops, 1);
	expect(m, 0, OP_FLUSH, 0, 0);
	m->nops = 0;
	vtd_tables_visible(&a, &p, tables, sizeof(tables));
	expect(m, 0, OP_FLUSH, 0, 0);
	m->nops = 0;
	p.ecap = VTD_ECAP_C;
	vtd_tables_visible(&a, &p, tables, sizeof(tables));
	CU_ASSERT_EQUAL(m->nops, 1);
	expect(m, 0, OP_FENCE, 0, 0);
	free(m);
}

/* The named CAP/ECAP/EFR accessors decode the spec's fields. */
static void test_named_fields(void)
{
	/* Fields at their spec positions (sec. 11.4.2, 11.4.3): ND 6,
	 * SAGAW 39-bit, MGAW 39, FRO 0x220, SLLPS 2M, NFR 8; QI, IRO 0xf0. */
	uint64_t cap = 6 | 2ull << 8 | 38ull << 16 | 0x22ull << 24 |
		       1ull << 34 | 7ull << 40;
	uint64_t ecap = 0xfull << 8 | VTD_ECAP_QI;

	CU_ASSERT_EQUAL(vtd_cap_nd(cap), 6);
	CU_ASSERT_FALSE(vtd_cap_rwbf(cap));
	CU_ASSERT_EQUAL(vtd_cap_sagaw(cap), VTD_CAP_SAGAW_39);
	CU_ASSERT_EQUAL(vtd_cap_mgaw(cap), 39);
	CU_ASSERT_EQUAL(vtd_cap_fro(cap), 0x220);
	CU_ASSERT_EQUAL(vtd_cap_sllps(cap), VTD_CAP_SLLPS_2M);
	CU_ASSERT_EQUAL(vtd_cap_nfr(cap), 8);
	CU_ASSERT_FALSE(vtd_ecap_c(ecap));
	CU_ASSERT_TRUE(vtd_ecap_qi(ecap));
	CU_ASSERT_EQUAL(vtd_ecap_iro(ecap), 0xf0);
	CU_ASSERT_TRUE(vtd_cap_rwbf(VTD_CAP_RWBF));
	CU_ASSERT_TRUE(vtd_ecap_c(VTD_ECAP_C));
	CU_ASSERT_TRUE(amdvi_efr_ia(AMDVI_EFR_IA));
	CU_ASSERT_FALSE(amdvi_efr_ia(~AMDVI_EFR_IA));
	CU_ASSERT_EQUAL(amdvi_efr_hats(1ull << 10), 1);
}

UNIT_SUITE(iommu_proto, NULL, NULL, UNIT_TEST(test_vtd_register_inval),
	   UNIT_TEST(test_vtd_switch_coherent),
	   UNIT_TEST(test_vtd_switch_noncoherent_rwbf),
	   UNIT_TEST(test_vtd_qi_inval_wrap), UNIT_TEST(test_vtd_qi_fail),
	   UNIT_TEST(test_vtd_qi_enable), UNIT_TEST(test_vtd_fault_drain),
	   UNIT_TEST(test_amdvi_cmd_wrap), UNIT_TEST(test_amdvi_cmd_full),
	   UNIT_TEST(test_amdvi_completion_wait), UNIT_TEST(test_amdvi_inval),
	   UNIT_TEST(test_amdvi_event_drain), UNIT_TEST(test_tables_visible),
	   UNIT_TEST(test_named_fields))
