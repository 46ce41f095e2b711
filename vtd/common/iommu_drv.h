/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iommu_drv.h - state shared by the VT-d and AMD-Vi drivers inside
 * thinhv.ko (kernel only, process context). The core sees only
 * include/thinhv/iommu.h; vendor code sees this.
 */
#ifndef THINHV_IOMMU_DRV_H
#define THINHV_IOMMU_DRV_H

#include <linux/types.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include "thinhv/iommu.h"
#include "thinhv/iommu_host.h"
#include "thinhv/iommu_proto.h"

#define HV_IOMMU_MAX_UNITS 8
#define HV_IOMMU_MAX_DEVS 1024
#define HV_IOMMU_MAX_RAM 64
#define HV_IOMMU_MAX_REGIONS 32
#define HV_IOMMU_MAX_UNITY 32 /* RMRR / IVMD ranges x devices */
#define HV_IOMMU_RING 256
#define HV_IOMMU_MAX_ALIAS 256	/* requester-id aliases (bridges) */
#define HV_IOMMU_POOL_ORDER 8	/* 1 MiB of table pages */
#define HV_IOMMU_DEVTAB_ORDER 9 /* AMD-Vi device table: 2 MiB */
#define HV_IOMMU_WAIT_US 100000 /* every hardware wait: 100 ms */

struct hv_iommu_unit {
	uint64_t base, size; /* register window */
	void __iomem *regs;
	uint16_t segment;
	uint16_t devid; /* AMD-Vi: the IOMMU's own PCI function */
	bool enabled;
	uint8_t levels, max_leaf; /* what this unit can walk */
	/* CAP/ECAP (EFR), queues and rings: what the protocols of
	 * vtd/host/{vtd,amdvi}_proto.c keep; host mode's at launch. */
	struct iommu_proto proto;
	struct iommu_acc acc; /* iommu_hw.c over regs */
	/* VT-d */
	struct vtd_tables vt;
	/* AMD-Vi */
	uint64_t *devtab;
	uint64_t devtab_pa;
	struct page *devtab_pages;
	bool devtab_live;     /* the unit was given its address: never free */
	uint64_t hw_overflow; /* fault/event overflows reported by hardware */
	uint64_t last_lo,
	    last_hi; /* last fault record seen (read-only drain) */
};

struct hv_iommu {
	const struct iommu_ops *ops;
	struct hv_iommu_unit unit[HV_IOMMU_MAX_UNITS];
	uint32_t nunits;
	/* Our copy of the policy (never re-read from the caller). */
	uint8_t *blob;
	size_t blob_len;
	struct pol_blob_view pol;
	struct iommu_dev *devs; /* HV_IOMMU_MAX_DEVS entries */
	uint32_t ndevs;		/* enumerated + alias ids appended */
	uint32_t nreal;		/* enumerated PCI functions */
	struct iommu_alias alias[HV_IOMMU_MAX_ALIAS];
	uint32_t nalias, alias_conflicts;
	struct iommu_ram ram[HV_IOMMU_MAX_RAM];
	uint32_t nram;
	struct iommu_plan *plan;
	/* Firmware unity ranges (RMRR / IVMD), as permanent DMA windows. */
	struct iommu_unity unity[HV_IOMMU_MAX_UNITY];
	uint32_t nunity;
	/* Table pages: one contiguous pool, protected as a whole. */
	struct page *pool;
	uint8_t *pool_va;
	uint64_t pool_pa;
	uint32_t pool_pages, pool_used;
	struct hv_iommu_region region[HV_IOMMU_MAX_REGIONS];
	uint32_t nregions;
	/* Runtime swap (iommu_host.h): a second protected pool, the OS-side
	 * stage the new tables are built in, the host-mode state. */
	struct page *pool2;
	uint8_t *pool2_va;
	uint64_t pool2_pa;
	uint32_t reserved; /* first pages of each pool a swap never uses */
	uint32_t active;   /* pool in use: 0 pool, 1 pool2 */
	struct page *stage_pages, *stage_dt_pages;
	uint8_t *stage;
	uint64_t *stage_devtab;	 /* AMD-Vi */
	struct iommu_host *host; /* in the hypervisor's pool */
	struct hv_launch *l;
	uint64_t generation;
	/* Faults. */
	spinlock_t lock; /* ring and drains */
	struct iommu_fault_ring ring;
	struct iommu_fault ring_slots[HV_IOMMU_RING];
	struct delayed_work poll;
	bool polling;
};

/* Allocator callbacks over the pool (struct iommu_mem for the builders). */
extern const struct iommu_mem hv_iommu_pool_mem_template;
int hv_iommu_pool_alloc(void *ctx, uint64_t *pa, void **va);
void *hv_iommu_pool_virt(void *ctx, uint64_t pa);
/* Record a firmware unity range (aligned outward to 4 KiB). */
int hv_iommu_add_unity(struct hv_iommu *io, uint16_t segment, uint16_t first,
		       uint16_t last, uint64_t base, uint64_t len,
		       uint32_t perm, const char *what);
/* PCI config byte of seg:bus:devfn (for DMAR scope paths). */
int hv_iommu_pci_read8(uint16_t seg, uint8_t bus, uint8_t devfn, int where,
		       uint8_t *val);
int hv_iommu_add_region(struct hv_iommu *io, uint64_t base, uint64_t len,
			uint32_t kind);
/* Map a unit's register window, set up its kernel accessor and register
 * the window as protected MMIO (probe, both drivers). */
int hv_iommu_map_unit(struct hv_iommu *io, struct hv_iommu_unit *u);
void hv_iommu_record(struct hv_iommu *io, struct iommu_fault *f);

/* True while CPUs run virtualized: registers may only be read then. */
extern bool hv_iommu_launched;

/*
 * Firmware table by signature ("DMAR", "IVRS"): its bytes and length, or
 * NULL. Release with hv_iommu_put_table(). (linux/acpi.h and
 * thinhv/acpi.h cannot share a file: the drivers see only these.)
 */
const uint8_t *hv_iommu_get_table(const char *sig, size_t *len);
void hv_iommu_put_table(const uint8_t *table);

extern const struct iommu_ops vtd_iommu_ops;
extern const struct iommu_ops amdvi_iommu_ops;

/* vtd/amd/amdvi_pcicfg.c: refuse OS config writes to each unit's PCI function. */
struct hv_launch;
int amdvi_guard_config(struct hv_iommu *io, struct hv_launch *l);

/* ---- vtd/common/iommu_hw.c: the only MMIO and cache-control accessors ---- */
void __iomem *iommu_hw_map(uint64_t base, uint64_t size);
void iommu_hw_unmap(void __iomem *regs);
uint32_t iommu_rd32(void __iomem *regs, uint32_t off);
uint64_t iommu_rd64(void __iomem *regs, uint32_t off);
void iommu_wr32(void __iomem *regs, uint32_t off, uint32_t val);
void iommu_wr64(void __iomem *regs, uint32_t off, uint64_t val);
/* Make table writes visible to a non-coherent walker, then order. */
void iommu_hw_flush(const void *va, size_t len);
/* u->acc over u->regs: waits bounded by HV_IOMMU_WAIT_US, pr_err log. */
void iommu_hw_acc_init(struct hv_iommu_unit *u);

#endif /* THINHV_IOMMU_DRV_H */
