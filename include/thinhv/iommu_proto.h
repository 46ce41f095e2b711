/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iommu_proto.h - the IOMMU hardware protocols, each written once
 * (vtd/host/vtd_proto.c, vtd/host/amdvi_proto.c) against a small accessor.
 * Kernel context supplies one (vtd/common/iommu_hw.c: ioremap, udelay),
 * host mode another (vtd/host/iommu_host.c: its own mapping, the TSC), the
 * unit tests a mock that records every access and can time out
 * (tests/unit/test_iommu_proto.c). Host-safe C: no kernel headers, and the
 * protocol code calls nothing but the accessor.
 */
#ifndef THINHV_IOMMU_PROTO_H
#define THINHV_IOMMU_PROTO_H

#include "thinhv/compat.h"

/*
 * One bounded wait: until (value & mask) == want (or != want with `until_ne`),
 * where value is a register (mem == NULL) or a word the IOMMU writes into
 * memory by DMA. A set err_mask bit in the 32-bit register err_off ends the
 * wait early with -EIO (the hardware gave up, e.g. VT-d FSTS.IQE).
 */
struct iommu_wait {
	const void *mem;
	uint32_t off;
	uint8_t wide; /* 64-bit value */
	uint8_t until_ne;
	uint16_t pad;
	uint64_t mask, want;
	uint32_t err_off, err_mask;
};

struct iommu_acc;
struct iommu_acc {
	void *ctx; /* the supplier's: the unit, its mapping, its clock */
	uint32_t (*rd32)(const struct iommu_acc *a, uint32_t off);
	uint64_t (*rd64)(const struct iommu_acc *a, uint32_t off);
	void (*wr32)(const struct iommu_acc *a, uint32_t off, uint32_t v);
	void (*wr64)(const struct iommu_acc *a, uint32_t off, uint64_t v);
	/* Poll iommu_wait_met() until it is not 0 or the supplier's deadline
	 * passes: 0, -EIO or -ETIMEDOUT. */
	int (*wait)(const struct iommu_acc *a, const struct iommu_wait *w);
	/* Write back [va, va+len) for a walker that does not snoop, then
	 * order it before later stores. */
	void (*flush)(const struct iommu_acc *a, const void *va, size_t len);
	/* Order earlier memory stores before later ones and MMIO writes. */
	void (*fence)(const struct iommu_acc *a);
	/* What failed and the register value that says so; may be NULL. */
	void (*log)(const struct iommu_acc *a, const char *what, uint64_t v);
};

/* One poll of w: 1 met, 0 not yet, -EIO when an error bit is set. */
static inline int iommu_wait_met(const struct iommu_acc *a,
				 const struct iommu_wait *w)
{
	uint64_t v;

	if (w->err_mask && (a->rd32(a, w->err_off) & w->err_mask))
		return -EIO;
	if (w->mem && w->wide)
		v = __atomic_load_n((const uint64_t *)w->mem, __ATOMIC_ACQUIRE);
	else if (w->mem)
		v = __atomic_load_n((const uint32_t *)w->mem, __ATOMIC_ACQUIRE);
	else
		v = w->wide ? a->rd64(a, w->off) : a->rd32(a, w->off);
	return ((v & w->mask) == w->want) != (w->until_ne != 0);
}

/*
 * Per-unit protocol state, one struct embedded in the kernel's
 * struct hv_iommu_unit and in host mode's struct iommu_host_unit (the
 * kernel hands it over at launch; host mode owns it after).
 */
struct iommu_proto {
	uint64_t cap, ecap;	/* VT-d CAP/ECAP; AMD-Vi: ecap = EFR */
	uint32_t nfr, fro, iro; /* VT-d fault records, IOTLB registers */
	uint32_t qi_on;		/* VT-d: QI owns invalidation */
	/* VT-d queued invalidation (ECAP.QI): a 4 KiB queue and the word
	 * the wait descriptor stores its sequence number into. */
	uint64_t *iq;
	uint64_t iq_pa;
	uint32_t *iq_status;
	uint64_t iq_status_pa;
	uint32_t iq_tail, iq_seq;
	/* AMD-Vi: command ring, event log, the COMPLETION_WAIT store word. */
	uint8_t *cmdbuf, *evtlog;
	uint64_t cmd_pa, evt_pa;
	uint64_t *cw_sem;
	uint64_t cw_pa, cw_seq;
	uint32_t cmd_tail, pad;
};

/* A drained record: VT-d fault record (lo, hi) or AMD-Vi event. */
typedef void (*iommu_rec_fn)(void *ctx, uint64_t lo, uint64_t hi);

/* ---- VT-d (vtd/host/vtd_proto.c) ---- */
/* A persistent enable (TE, QIE): set or clear it, wait for GSTS. */
int vtd_gcmd(const struct iommu_acc *a, uint32_t bit, bool set);
/* Make table writes visible to the unit's walker (ECAP.C). */
void vtd_tables_visible(const struct iommu_acc *a, const struct iommu_proto *p,
			const void *va, size_t len);
/* The one sequence for a root or context entry change: the tables in
 * [va, va+len) made visible, write buffer flushed (CAP.RWBF), the unit
 * pointed at root_pa, then global invalidation. */
int vtd_switch_root(const struct iommu_acc *a, struct iommu_proto *p,
		    uint64_t root_pa, const void *va, size_t len);
/* Global context cache then IOTLB: queued when QI is on, else registers. */
int vtd_inval_global(const struct iommu_acc *a, struct iommu_proto *p);
/* Turn on queued invalidation over p->iq (tail 0). */
int vtd_qi_enable(const struct iommu_acc *a, struct iommu_proto *p);
/* Clear every fault record and FSTS.PFO/IQE (before enabling). */
void vtd_faults_clear(const struct iommu_acc *a, const struct iommu_proto *p);
/*
 * Each pending fault record, from FSTS.FRI on, to rec. With clear, each is
 * cleared after rec saw it and an overflow is cleared; read-only otherwise.
 * Returns the records seen; *overflow tells FSTS.PFO was set and cleared.
 */
uint32_t vtd_fault_drain(const struct iommu_acc *a, const struct iommu_proto *p,
			 bool clear, iommu_rec_fn rec, void *ctx,
			 bool *overflow);

/* ---- AMD-Vi (vtd/host/amdvi_proto.c) ---- */
/* Make device table / page table writes visible to the unit. */
void amdvi_tables_visible(const struct iommu_acc *a, const void *va,
			  size_t len);
/* Append one command to the ring (bounded wait while it is full). */
int amdvi_cmd(const struct iommu_acc *a, struct iommu_proto *p, uint64_t w0,
	      uint64_t w1);
/* COMPLETION_WAIT storing a fresh sequence number; bounded wait for it. */
int amdvi_completion_wait(const struct iommu_acc *a, struct iommu_proto *p);
/*
 * Invalidate after device table entries and page tables changed: each
 * device id set in devmap, then all pages of each domain set in didmap
 * (65536-bit maps), then COMPLETION_WAIT; INVALIDATE_IOMMU_ALL instead
 * where EFR.IA says the unit has it.
 */
int amdvi_inval(const struct iommu_acc *a, struct iommu_proto *p,
		const uint64_t *devmap, const uint64_t *didmap);
/* Every event between head and tail to rec (then zeroed); head moved on.
 * Returns the events seen; *overflow: EventOverflow was set and cleared. */
uint32_t amdvi_event_drain(const struct iommu_acc *a,
			   const struct iommu_proto *p, iommu_rec_fn rec,
			   void *ctx, bool *overflow);

#endif /* THINHV_IOMMU_PROTO_H */
