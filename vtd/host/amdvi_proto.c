// SPDX-License-Identifier: GPL-2.0-only
/*
 * amdvi_proto.c - the AMD-Vi command-buffer and event-log protocols,
 * written once against struct iommu_acc (iommu_proto.h): command
 * submission into the ring, COMPLETION_WAIT with a store and its bounded
 * wait, device-table-entry and page invalidation, event-log drain. Runs in
 * kernel context at load time and in HOST MODE after launch
 * (THINHV_HOST_OBJS): it calls only the accessor.
 *
 * When a flush or a wait is required (AMD IOMMU spec 48882 rev 3.x):
 * - thinhv never sets Control.Coherent (sec. 3.4.3) and AMD-Vi reports no
 *   page-walk coherency capability, so every structure the unit reads from
 *   memory is written back before the unit may read it: device table and
 *   I/O page tables before the invalidation that makes them live, each
 *   command before the tail moves past it (amdvi_tables_visible()). Always,
 *   not per capability; a flushed line costs little next to an invalidation.
 * - The ring (sec. 2.4, 3.4.11) is full when the tail would reach the head;
 *   submission waits for room, bounded. Commands reach the unit only when
 *   CMD_TAIL moves, after the command's lines are visible.
 * - COMPLETION_WAIT (sec. 2.4.1) completes only after every earlier command
 *   has; its store writes the sequence number we then wait for (bounded).
 * - A device table entry change (sec. 2.4.2, 2.4.3): INVALIDATE_DEVTAB_ENTRY
 *   for the entry, then INVALIDATE_IOMMU_PAGES (all addresses, PDE too) for
 *   the old and the new domain. A COMPLETION_WAIT between the two groups
 *   keeps a walk through a still-cached old entry from refilling pages after
 *   they were invalidated (the spec orders only around COMPLETION_WAIT).
 *   INVALIDATE_IOMMU_ALL replaces both where EFR.IA says it exists.
 *   INVALIDATE_INTERRUPT_TABLE is not needed: thinhv's entries never set
 *   DTE.IV (the checker refuses interrupt fields), nothing is remapped.
 * - Event log (sec. 2.5, 3.4.12): entries between head and tail; the head
 *   register moves once after all were read. EventOverflow in the status
 *   register is write-1-to-clear.
 */
#include "thinhv/iommu_proto.h"
#include "thinhv/hw/amdvi_regs.h"

/* A COMPLETION_WAIT every so many commands: the ring (256) never fills. */
#define AMDVI_SYNC_EVERY 128u

static void say(const struct iommu_acc *a, const char *what, uint64_t v)
{
	if (a->log)
		a->log(a, what, v);
}

void amdvi_tables_visible(const struct iommu_acc *a, const void *va, size_t len)
{
	a->flush(a, va, len);
}

int amdvi_cmd(const struct iommu_acc *a, struct iommu_proto *p, uint64_t w0,
	      uint64_t w1)
{
	uint32_t next = (p->cmd_tail + AMDVI_CMD_SIZE) % AMDVI_RING_BYTES;
	struct iommu_wait w = { 0 };
	uint64_t *slot;
	int rc;

	/* Room: the head is not where the tail would go. */
	w.off = AMDVI_REG_CMD_HEAD;
	w.wide = 1;
	w.mask = AMDVI_PTR_MASK;
	w.want = next;
	w.until_ne = 1;
	rc = a->wait(a, &w);
	if (rc) {
		say(a, "command buffer full (CMD_HEAD)",
		    a->rd64(a, AMDVI_REG_CMD_HEAD));
		return rc;
	}
	slot = (uint64_t *)(p->cmdbuf + p->cmd_tail);
	slot[0] = w0;
	slot[1] = w1;
	amdvi_tables_visible(a, slot, AMDVI_CMD_SIZE);
	p->cmd_tail = next;
	a->wr64(a, AMDVI_REG_CMD_TAIL, next);
	return 0;
}

int amdvi_completion_wait(const struct iommu_acc *a, struct iommu_proto *p)
{
	uint64_t seq = ++p->cw_seq;
	struct iommu_wait w = { 0 };
	int rc;

	rc = amdvi_cmd(a, p,
		       (p->cw_pa & AMDVI_CW_ADDR_MASK) | AMDVI_CW_STORE |
			   AMDVI_CMD_OP(AMDVI_CMD_COMPLETION_WAIT),
		       seq);
	if (rc)
		return rc;
	w.mem = p->cw_sem;
	w.wide = 1;
	w.mask = ~0ull;
	w.want = seq;
	rc = a->wait(a, &w);
	if (rc)
		say(a, "COMPLETION_WAIT timed out (CMD_HEAD)",
		    a->rd64(a, AMDVI_REG_CMD_HEAD));
	return rc;
}

/* One command, with a COMPLETION_WAIT after every AMDVI_SYNC_EVERY. */
static int cmd_counted(const struct iommu_acc *a, struct iommu_proto *p,
		       uint64_t w0, uint64_t w1, uint32_t *n)
{
	int rc = amdvi_cmd(a, p, w0, w1);

	if (!rc && ++*n % AMDVI_SYNC_EVERY == 0)
		rc = amdvi_completion_wait(a, p);
	return rc;
}

static bool map_has(const uint64_t *map, uint32_t i)
{
	return (map[i / 64] >> (i % 64)) & 1;
}

int amdvi_inval(const struct iommu_acc *a, struct iommu_proto *p,
		const uint64_t *devmap, const uint64_t *didmap)
{
	uint32_t i, n = 0;
	int rc = 0;

	if (amdvi_efr_ia(p->ecap)) {
		rc = amdvi_cmd(a, p, AMDVI_CMD_OP(AMDVI_CMD_INV_IOMMU_ALL), 0);
		return rc ? rc : amdvi_completion_wait(a, p);
	}
	for (i = 0; i < 65536 && !rc; i++)
		if (map_has(devmap, i))
			rc = cmd_counted(
			    a, p, i | AMDVI_CMD_OP(AMDVI_CMD_INV_DEVTAB_ENTRY),
			    0, &n);
	if (!rc && n)
		rc = amdvi_completion_wait(a, p);
	for (i = 0; i < 65536 && !rc; i++)
		if (map_has(didmap, i))
			rc = cmd_counted(
			    a, p,
			    AMDVI_INV_DOMAIN(i) |
				AMDVI_CMD_OP(AMDVI_CMD_INV_IOMMU_PAGES),
			    AMDVI_INV_ALL_ADDR | AMDVI_INV_PDE | AMDVI_INV_S,
			    &n);
	return rc ? rc : amdvi_completion_wait(a, p);
}

uint32_t amdvi_event_drain(const struct iommu_acc *a,
			   const struct iommu_proto *p, iommu_rec_fn rec,
			   void *ctx, bool *overflow)
{
	uint32_t head, tail, n = 0;

	*overflow = false;
	if (a->rd64(a, AMDVI_REG_STATUS) & AMDVI_STS_EVT_OVERFLOW) {
		a->wr64(a, AMDVI_REG_STATUS, AMDVI_STS_EVT_OVERFLOW);
		*overflow = true;
	}
	head = (uint32_t)(a->rd64(a, AMDVI_REG_EVT_HEAD) & AMDVI_PTR_MASK);
	tail = (uint32_t)(a->rd64(a, AMDVI_REG_EVT_TAIL) & AMDVI_PTR_MASK);
	/* A hostile or broken head/tail cannot walk outside the log. */
	while (head != tail && head < AMDVI_RING_BYTES &&
	       n < AMDVI_RING_BYTES / AMDVI_EVT_SIZE) {
		uint64_t *ev = (uint64_t *)(p->evtlog + head);

		rec(ctx, ev[0], ev[1]);
		ev[0] = 0;
		ev[1] = 0;
		n++;
		head = (head + AMDVI_EVT_SIZE) % AMDVI_RING_BYTES;
	}
	a->wr64(a, AMDVI_REG_EVT_HEAD, head);
	return n;
}
