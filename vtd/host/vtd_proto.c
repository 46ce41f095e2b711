// SPDX-License-Identifier: GPL-2.0-only
/*
 * vtd_proto.c - the Intel VT-d register protocols, written once against
 * struct iommu_acc (iommu_proto.h): global invalidation (registers or
 * queued, with a wait descriptor), write-buffer flush, root switch, QI
 * enable, fault-record drain. Runs in kernel context at load time and in
 * HOST MODE after launch (THINHV_HOST_OBJS): it calls only the accessor.
 *
 * When a flush or barrier is required (VT-d spec rev 4.1):
 * - ECAP.C (sec. 11.4.3) says whether the unit snoops its walks of the
 *   root, context and second-level paging structures. With C = 0 every
 *   line of those tables written by a CPU is flushed (clflush) before the
 *   unit may fetch them, i.e. before SRTP and before the invalidation that
 *   makes a changed entry live (sec. 6.1, 6.5). With C = 1 a store barrier
 *   is enough. Both cases: vtd_tables_visible().
 * - CAP.RWBF (sec. 6.8): the write buffer is flushed (GCMD.WBF, wait for
 *   GSTS.WBFS to clear) after the tables are written and before the unit
 *   may use them. On a swap translation is already on, so the unit may walk
 *   the new root as soon as SRTP completes: WBF comes before SRTP.
 * - Root or context entry change (sec. 6.5.3, 11.4.5 SRTP): context cache
 *   first, then the IOTLB (the IOTLB may be refilled from stale context
 *   entries otherwise), global granularity, with drain of reads and writes.
 * - With QIE set the register-based interface must not be used (sec. 6.5.2):
 *   descriptors go to the queue, then an invalidation wait descriptor with
 *   status write; the queue is done when the status word holds its number.
 *   ECAP.C does not name the queue, and the status write is coherent; the
 *   written descriptors are still flushed when C = 0 (a stale descriptor
 *   would be a stale translation, and it is three lines), always followed
 *   by a barrier before IQT moves.
 * - Fault records are registers (sec. 11.4.14): nothing to flush; F and
 *   FSTS.PFO are write-1-to-clear.
 */
#include "thinhv/iommu_proto.h"
#include "thinhv/hw/vtd_regs.h"

static void say(const struct iommu_acc *a, const char *what, uint64_t v)
{
	if (a->log)
		a->log(a, what, v);
}

static int wait_reg(const struct iommu_acc *a, uint32_t off, bool wide,
		    uint64_t mask, uint64_t want)
{
	struct iommu_wait w = { 0 };

	w.off = off;
	w.wide = wide;
	w.mask = mask;
	w.want = want;
	return a->wait(a, &w);
}

/* Write GCMD from the persistent enables in GSTS plus or minus one bit. */
static void gcmd_write(const struct iommu_acc *a, uint32_t bit, bool set)
{
	uint32_t sts = a->rd32(a, VTD_REG_GSTS) & VTD_GSTS_PERSIST;

	a->wr32(a, VTD_REG_GCMD, set ? sts | bit : sts & ~bit);
}

int vtd_gcmd(const struct iommu_acc *a, uint32_t bit, bool set)
{
	int rc;

	gcmd_write(a, bit, set);
	rc = wait_reg(a, VTD_REG_GSTS, false, bit, set ? bit : 0);
	if (rc)
		say(a, "GCMD timed out (GSTS)", a->rd32(a, VTD_REG_GSTS));
	return rc;
}

/* One-shot commands: SRTP's status sets on completion, WBF's clears. */
static int gcmd_oneshot(const struct iommu_acc *a, uint32_t bit)
{
	int rc;

	gcmd_write(a, bit, true);
	rc = wait_reg(a, VTD_REG_GSTS, false, bit,
		      bit == VTD_GCMD_WBF ? 0 : bit);
	if (rc)
		say(a, "one-shot GCMD timed out (GSTS)",
		    a->rd32(a, VTD_REG_GSTS));
	return rc;
}

void vtd_tables_visible(const struct iommu_acc *a, const struct iommu_proto *p,
			const void *va, size_t len)
{
	if (!vtd_ecap_c(p->ecap))
		a->flush(a, va, len);
	else
		a->fence(a);
}

/*
 * Queued: descriptors, then a wait descriptor storing a fresh sequence
 * number. Every submission waits for its own completion, so the queue is
 * empty when the next starts; a unit that never finished (a timeout
 * before) leaves too little room and is refused, never overrun.
 */
static int qi_submit(const struct iommu_acc *a, struct iommu_proto *p,
		     const uint64_t (*d)[2], uint32_t n)
{
	uint32_t head, room, seq, i;
	struct iommu_wait w = { 0 };
	int rc;

	head = (uint32_t)VTD_IQ_PTR_GET(a->rd64(a, VTD_REG_IQH));
	room = (head + VTD_IQ_ENTRIES - p->iq_tail - 1) % VTD_IQ_ENTRIES;
	if (room < n + 1) {
		say(a, "invalidation queue full (IQH)", head);
		return -EBUSY;
	}
	seq = ++p->iq_seq;
	for (i = 0; i <= n; i++) {
		uint64_t *slot = &p->iq[2 * p->iq_tail];

		slot[0] = i < n ? d[i][0] : VTD_DESC_WAIT(seq);
		slot[1] = i < n ? d[i][1] : p->iq_status_pa;
		if (!vtd_ecap_c(p->ecap))
			a->flush(a, slot, 16);
		p->iq_tail = (p->iq_tail + 1) % VTD_IQ_ENTRIES;
	}
	a->fence(a);
	a->wr64(a, VTD_REG_IQT, VTD_IQ_PTR(p->iq_tail));
	w.mem = p->iq_status;
	w.mask = 0xffffffffu;
	w.want = seq;
	w.err_off = VTD_REG_FSTS;
	w.err_mask = VTD_FSTS_IQE;
	rc = a->wait(a, &w);
	if (rc)
		say(a,
		    rc == -EIO ? "invalidation queue error (IQH)"
			       : "invalidation wait timed out (IQH)",
		    a->rd64(a, VTD_REG_IQH));
	return rc;
}

int vtd_inval_global(const struct iommu_acc *a, struct iommu_proto *p)
{
	static const uint64_t d[2][2] = { { VTD_DESC_CC_GLOBAL, 0 },
					  { VTD_DESC_IOTLB_GLOBAL, 0 } };
	uint32_t iotlb = p->iro + VTD_IOTLB_OFF;
	int rc;

	if (p->qi_on)
		return qi_submit(a, p, d, 2);
	a->wr64(a, VTD_REG_CCMD, VTD_CCMD_ICC | VTD_CCMD_CIRG_GLOBAL);
	rc = wait_reg(a, VTD_REG_CCMD, true, VTD_CCMD_ICC, 0);
	if (rc) {
		say(a, "context invalidation timed out (CCMD)",
		    a->rd64(a, VTD_REG_CCMD));
		return rc;
	}
	a->wr64(a, iotlb,
		VTD_IOTLB_IVT | VTD_IOTLB_IIRG_GLOBAL | VTD_IOTLB_DR |
		    VTD_IOTLB_DW);
	rc = wait_reg(a, iotlb, true, VTD_IOTLB_IVT, 0);
	if (rc)
		say(a, "IOTLB invalidation timed out (IOTLB)",
		    a->rd64(a, iotlb));
	return rc;
}

int vtd_switch_root(const struct iommu_acc *a, struct iommu_proto *p,
		    uint64_t root_pa, const void *va, size_t len)
{
	int rc;

	vtd_tables_visible(a, p, va, len);
	if (vtd_cap_rwbf(p->cap)) {
		rc = gcmd_oneshot(a, VTD_GCMD_WBF);
		if (rc)
			return rc;
	}
	a->wr64(a, VTD_REG_RTADDR, root_pa | VTD_RTADDR_TTM_LEGACY);
	rc = gcmd_oneshot(a, VTD_GCMD_SRTP);
	if (rc)
		return rc;
	return vtd_inval_global(a, p);
}

int vtd_qi_enable(const struct iommu_acc *a, struct iommu_proto *p)
{
	int rc;

	p->iq_tail = 0;
	a->wr64(a, VTD_REG_IQT, 0);
	a->wr64(a, VTD_REG_IQA, p->iq_pa); /* QS 0: 256 entries, 128-bit */
	rc = vtd_gcmd(a, VTD_GCMD_QIE, true);
	if (!rc)
		p->qi_on = 1;
	return rc;
}

void vtd_faults_clear(const struct iommu_acc *a, const struct iommu_proto *p)
{
	uint32_t i;

	for (i = 0; i < p->nfr; i++)
		a->wr32(a, p->fro + 16 * i + VTD_FRCD_F_OFF, VTD_FRCD_F_DW);
	a->wr32(a, VTD_REG_FSTS, VTD_FSTS_PFO | VTD_FSTS_IQE);
}

uint32_t vtd_fault_drain(const struct iommu_acc *a, const struct iommu_proto *p,
			 bool clear, iommu_rec_fn rec, void *ctx,
			 bool *overflow)
{
	uint32_t fsts = a->rd32(a, VTD_REG_FSTS), idx, i, n = 0;

	*overflow = false;
	if ((fsts & VTD_FSTS_PPF) && p->nfr) {
		idx = VTD_FSTS_FRI(fsts);
		for (i = 0; i < p->nfr; i++) {
			uint32_t off = p->fro + 16 * ((idx + i) % p->nfr);
			uint64_t hi = a->rd64(a, off + 8), lo = a->rd64(a, off);

			if (!(hi & VTD_FRCD_HI_F))
				continue;
			rec(ctx, lo, hi);
			n++;
			if (clear)
				a->wr32(a, off + VTD_FRCD_F_OFF, VTD_FRCD_F_DW);
		}
	}
	if ((fsts & VTD_FSTS_PFO) && clear) {
		a->wr32(a, VTD_REG_FSTS, VTD_FSTS_PFO);
		*overflow = true;
	}
	return n;
}
