/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iommu.h - DMA enforcement: the pure table builders and fault decoders
 * shared by the VT-d and AMD-Vi drivers (kernel, host unit tests, CLI), and
 * the interface the hypervisor core calls (kernel only, bottom of file).
 *
 * Model
 * -----
 * A "plan" turns (validated policy blob, list of PCI functions, RAM map,
 * protected ranges) into DMA domains: one deny domain, one identity domain
 * shared by every identity device, one domain per window rule (and one for
 * default windows). Each device gets exactly one domain. Domain page tables
 * are identity (IOVA == physical address) radix tables built by one builder
 * for both entry formats (VT-d second-level, AMD-Vi I/O page table), never
 * covering a protected page. The vendor layers then write VT-d root/context
 * entries or AMD-Vi device-table entries pointing at those domains.
 *
 * Memory comes from a caller callback ("zeroed 4 KiB page: physical and
 * virtual address"); nothing here allocates, touches hardware or sleeps.
 */
#ifndef THINHV_IOMMU_H
#define THINHV_IOMMU_H

#include "thinhv/compat.h"
#include "thinhv/policy_blob.h"
#include "thinhv/hv_ranges.h"

#define IOMMU_PAGE_SIZE 4096ull
#define IOMMU_PERM_R 1u /* device may read memory (DMA to the device) */
#define IOMMU_PERM_W 2u /* device may write memory */
#define IOMMU_PERM_RW 3u

/* ---- I/O page tables (vtd/pure/iommu_pt.c) -------------------------------- */

enum iommu_pt_fmt {
	IOMMU_PT_VTD = 1,   /* VT-d 4.1 sec. 9.8 second-level entries */
	IOMMU_PT_AMDVI = 2, /* AMD IOMMU 3.x sec. 2.2.3 I/O page table */
};

struct iommu_mem {
	void *ctx;
	/* A zeroed 4 KiB page: 0 and *pa, *va; or -ENOMEM. */
	int (*alloc)(void *ctx, uint64_t *pa, void **va);
	/* Virtual address of a page this allocator returned. */
	void *(*virt)(void *ctx, uint64_t pa);
};

struct iommu_pt {
	enum iommu_pt_fmt fmt;
	uint8_t levels;		/* 3 (39-bit), 4 (48-bit) or 5 (57-bit) */
	uint8_t max_leaf_level; /* 1: 4 KiB only, 2: +2 MiB, 3: +1 GiB */
	struct iommu_mem mem;
	uint64_t root_pa;
	uint64_t *root;
	uint32_t tables;    /* table pages allocated */
	uint64_t mapped;    /* bytes mapped */
	uint64_t clipped;   /* bytes refused because they are protected */
	uint32_t leaves[4]; /* leaf entries per level (index 1..3) */
};

int iommu_pt_init(struct iommu_pt *pt, enum iommu_pt_fmt fmt, uint8_t levels,
		  uint8_t max_leaf_level, const struct iommu_mem *mem);

/*
 * Identity-map [base, base+len) (4 KiB granular) with perm (IOMMU_PERM_*,
 * nonzero), the largest leaves allowed, leaving out every page of the
 * protected ranges (prot[0..nprot), any order). A page already mapped is
 * -EEXIST (the table is left as it was before the call for that page).
 * -ERANGE if the range exceeds the table's address width.
 */
int iommu_pt_map(struct iommu_pt *pt, uint64_t base, uint64_t len,
		 uint32_t perm, const struct hv_range *prot, uint32_t nprot);

/* As iommu_pt_map; pages already mapped are left as they are. */
int iommu_pt_map_merge(struct iommu_pt *pt, uint64_t base, uint64_t len,
		       uint32_t perm, const struct hv_range *prot,
		       uint32_t nprot);

/* Translate addr: 0 with *pa, *perm, *level, or -ENOENT (no access). */
int iommu_pt_lookup(const struct iommu_pt *pt, uint64_t addr, uint64_t *pa,
		    uint32_t *perm, uint8_t *level);

/* ---- plan: policy + devices -> domains (vtd/pure/iommu_plan.c) ------------ */

#define IOMMU_MAX_DOMAINS 64 /* deny + identity + window rules + default */

/* A PCI function the unit covers (enumerated or named by firmware). */
struct iommu_dev {
	struct pol_dev_id id; /* segment, bus, device, function, ids */
	uint16_t domain;      /* out: index into plan->dom */
	int16_t rule;	      /* out: pol_match() result */
};

struct iommu_domain {
	uint16_t action; /* POL_ACTION_* */
	int rule;	 /* rule index, or POL_RULE_DEFAULT */
	bool unity; /* private: the policy's reach + firmware unity ranges */
	uint16_t unity_sid; /* the device it was made for */
	uint16_t did;	    /* hardware domain id (1-based; 0 unused) */
	bool has_pt;	    /* deny on AMD-Vi needs no table */
	struct iommu_pt pt;
};

/* A RAM range identity devices may reach (before protected ranges). */
struct iommu_ram {
	uint64_t base, len;
};

/*
 * A firmware unity range (VT-d RMRR, AMD-Vi IVMD): memory the firmware
 * keeps DMA-reachable for the devices it names (source ids first..last of
 * a segment). Honoured only for those devices, as a permanent window.
 */
struct iommu_unity {
	uint16_t segment;
	uint16_t first_sid, last_sid; /* inclusive */
	uint64_t base, len;
	uint32_t perm; /* IOMMU_PERM_* */
};

struct iommu_plan_in {
	const struct pol_blob_view *pol;
	struct iommu_dev *devs; /* domain/rule filled in */
	uint32_t ndevs;
	const struct iommu_ram *ram; /* identity reach */
	uint32_t nram;
	const struct hv_range *prot; /* never mapped for any device */
	uint32_t nprot;
	const struct iommu_unity *unity; /* may be NULL */
	uint32_t nunity;
	enum iommu_pt_fmt fmt;
	uint8_t levels, max_leaf_level;
	bool deny_needs_pt; /* VT-d: deny domain gets an empty table */
	struct iommu_mem mem;
};

struct iommu_plan {
	struct iommu_domain dom[IOMMU_MAX_DOMAINS];
	uint32_t ndom;
	uint32_t deny_dom; /* index of the deny domain (always present) */
	uint32_t table_pages;
	uint64_t clipped;    /* bytes of windows/RAM left out as protected */
	uint32_t unity_devs; /* devices that got firmware unity ranges */
};

/*
 * Match every device, create the domains it needs and build their tables.
 * Returns 0, -ENOMEM (allocator), -E2BIG (more domains than
 * IOMMU_MAX_DOMAINS), -EINVAL (bad input). On error the plan is unusable
 * (memory stays with the allocator's owner).
 */
int iommu_plan_build(const struct iommu_plan_in *in, struct iommu_plan *plan);

/*
 * Requester-id aliases (a device behind a PCIe-to-PCI bridge DMAs with
 * (secondary bus, devfn 0); behind a conventional bridge with the bridge's
 * id). The IOMMU sees only the id, so every id a device may use must carry
 * what that device may do, and an id shared by devices with different
 * domains carries nothing (deny): fail closed, never the most permissive.
 * iommu_plan_aliases() runs after iommu_plan_build(): an alias id that is
 * itself an enumerated device keeps its domain only when every device
 * aliasing to it has the same one (else deny, rule IOMMU_RULE_ALIAS_CONFLICT);
 * an alias id nobody owns is appended to devs (rule IOMMU_RULE_ALIAS, or
 * _CONFLICT when its users disagree). *ndevs grows; cap bounds it (-E2BIG).
 */
#define IOMMU_RULE_ALIAS (-0x100)
#define IOMMU_RULE_ALIAS_CONFLICT (-0x101)
struct iommu_alias {
	uint16_t segment;
	uint16_t sid; /* the alias requester id: bus << 8 | devfn */
	uint32_t dev; /* index into devs of the device using it */
};
int iommu_plan_aliases(const struct iommu_plan *p, struct iommu_dev *devs,
		       uint32_t *ndevs, uint32_t cap,
		       const struct iommu_alias *al, uint32_t nal,
		       uint32_t *conflicts);

/*
 * Staging allocator for a runtime swap (iommu_host.h): pages are written
 * at va (OS memory) but carry the physical addresses they will have once
 * host mode copied them into the spare pool: page i of the stage is page i
 * of the pool. Pages [first, cap) are handed out, zeroed.
 */
struct iommu_stage {
	uint8_t *va;
	uint64_t pa; /* physical base of the target (spare) pool */
	uint32_t first, cap, used;
};
int iommu_stage_alloc(void *ctx, uint64_t *pa, void **va);
void *iommu_stage_virt(void *ctx, uint64_t pa);

/* ---- VT-d root/context tables (vtd/pure/vtd_tables.c) --------------------- */

/* Legacy-mode root table: 256 root entries, one context table per bus. */
struct vtd_tables {
	struct iommu_mem mem;
	uint64_t root_pa;
	uint64_t *root; /* 512 words: entry i = words 2i (lo), 2i+1 (hi) */
	uint32_t tables;
};

/* Address-width field of a context entry for 3/4/5-level tables. */
int vtd_agaw_for_levels(uint8_t levels, uint8_t *aw);
int vtd_tables_init(struct vtd_tables *t, const struct iommu_mem *mem);
/* Point bus:devfn at a domain (present, translated, DID, AW, SLPTPTR). */
int vtd_set_context(struct vtd_tables *t, uint8_t bus, uint8_t devfn,
		    const struct iommu_domain *d);
/* Read back: 0 and the entry words, -ENOENT if root or context absent. */
int vtd_get_context(const struct vtd_tables *t, uint8_t bus, uint8_t devfn,
		    uint64_t *lo, uint64_t *hi);
/* Write the context entries of every planned device of one segment. */
int vtd_tables_from_plan(struct vtd_tables *t, const struct iommu_plan *p,
			 const struct iommu_dev *devs, uint32_t ndevs,
			 uint16_t segment);

/* ---- AMD-Vi device table (vtd/pure/amdvi_tables.c) ------------------------ */

#define AMDVI_DTE_WORDS 4
#define AMDVI_DEVTAB_ENTRIES 65536u
#define AMDVI_DEVTAB_BYTES (AMDVI_DEVTAB_ENTRIES * 32u) /* 2 MiB */

/* Every entry made "valid, translated, no access" (never zero). */
void amdvi_devtab_deny_all(uint64_t *devtab, uint32_t entries);
/* DTE of devid for domain d (deny: mode 0, IR=IW=0). */
int amdvi_set_dte(uint64_t *devtab, uint32_t entries, uint16_t devid,
		  const struct iommu_domain *d);
int amdvi_devtab_from_plan(uint64_t *devtab, uint32_t entries,
			   const struct iommu_plan *p,
			   const struct iommu_dev *devs, uint32_t ndevs);
/* Effective access of devid to addr through its DTE: 0 / -ENOENT. */
int amdvi_dte_lookup(const uint64_t *devtab, uint32_t entries, uint16_t devid,
		     const struct iommu_plan *p, uint64_t addr, uint32_t *perm);

/* ---- faults (vtd/pure/iommu_fault.c) -------------------------------------- */

enum iommu_fault_src {
	IOMMU_FAULT_VTD = 1,
	IOMMU_FAULT_AMDVI = 2,
};

struct iommu_fault {
	uint64_t time_ns;
	uint64_t addr; /* faulting DMA address (page on VT-d) */
	uint16_t segment;
	uint16_t sid;	 /* source bus<<8 | dev<<3 | fn */
	uint8_t src;	 /* enum iommu_fault_src */
	uint8_t reason;	 /* VT-d fault reason / AMD-Vi event code */
	uint8_t write;	 /* 1 write, 0 read */
	uint8_t unit;	 /* index of the remapping unit */
	uint16_t flags;	 /* AMD-Vi event flags */
	uint16_t domain; /* AMD-Vi: domain id from the event */
	uint32_t reserved;
};

/*
 * Decode one VT-d fault-recording register (lo = bits 63:0, hi =
 * bits 127:64, spec sec. 11.4.14). -ENOENT when its F bit is clear.
 */
int vtd_fault_decode(uint64_t lo, uint64_t hi, struct iommu_fault *f);
const char *vtd_fault_reason_text(uint8_t reason);

/*
 * Decode one 16-byte AMD-Vi event-log entry (spec sec. 2.5). Returns 0
 * for a known event code, -ENOENT for an all-zero (never written) entry,
 * -EPROTO for an unknown code (f still gets code and raw device id).
 */
int amdvi_event_decode(const uint8_t ev[16], struct iommu_fault *f);
const char *amdvi_event_text(uint8_t code);

/* Fixed-size ring; the oldest record is overwritten and counted. */
struct iommu_fault_ring {
	struct iommu_fault *slot;
	uint32_t cap;	  /* entries in slot[] */
	uint64_t total;	  /* records ever pushed */
	uint64_t dropped; /* overwritten before anyone read them */
	uint64_t read;	  /* records consumed */
};

void iommu_ring_init(struct iommu_fault_ring *r, struct iommu_fault *slots,
		     uint32_t cap);
void iommu_ring_push(struct iommu_fault_ring *r, const struct iommu_fault *f);
/* Record number seq (0-based since init): 0, or -ENOENT (not yet / gone). */
int iommu_ring_get(const struct iommu_fault_ring *r, uint64_t seq,
		   struct iommu_fault *f);

/* ---- what the hypervisor core calls (kernel only) -------------------- */
#ifdef __KERNEL__

/* One per hardware seam, chosen once at probe (STYLE.md rule 1). */
struct hv_iommu;
struct iommu_ops {
	const char *name; /* "vt-d", "amd-vi" */
	/* Find units from ACPI, map registers; -EBUSY if the OS owns one. */
	int (*probe)(struct hv_iommu *io);
	/* Allocate every table, log and queue (nothing enabled yet). */
	int (*alloc)(struct hv_iommu *io);
	/* Write tables from io->plan, program, invalidate, enable, verify. */
	int (*enable)(struct hv_iommu *io);
	/* Drain hardware fault records / events into io->ring. */
	void (*drain)(struct hv_iommu *io);
	/* Disable translation; release what is safe to release. */
	void (*disable)(struct hv_iommu *io);
};

/* Memory and registers to protect (collected by the component's prepare). */
struct hv_iommu_region {
	uint64_t base, len;
	uint32_t kind; /* THINHV_RANGE_IOMMU (tables, logs) or _MMIO */
};

/*
 * The DMA enforcement component (vtd/common/iommu_kmod.c), handed to the
 * core by the module entry (thinhv/core/hv_component.h; see
 * docs/iommu-integration.md):
 *  prepare         copy + validate the policy, find the remapping units,
 *                  refuse if the OS enabled translation, allocate and
 *                  protect every IOMMU page, build the tables so they
 *                  never map a protected range, enable every unit, set up
 *                  the host-mode state and serve HV_HC_IOMMU_* there;
 *  launched        start draining faults (a timer);
 *  teardown        disable and free (after every CPU is native again);
 *  measured_state  the enforced policy blob and every device's domain
 *                  (flags = POL_ACTION_* | HV_IOMMU_ISO_*), for the
 *                  isolation measurement (tcg_log.h).
 */
#define HV_IOMMU_ISO_UNITY 0x100u /* firmware unity ranges were added */
#define HV_IOMMU_ISO_ALIAS 0x200u /* a bridge alias id (or its conflict) */
struct hv_component;
extern const struct hv_component hv_iommu_component;

/* Public calls of the module layer (/dev/thinhv, status files). */
void hv_iommu_poll(void); /* drain faults into the ring */
int hv_iommu_fault_get(uint64_t seq, struct iommu_fault *f, uint64_t *total,
		       uint64_t *dropped);

/*
 * Runtime policy replacement (after launch, hv_lock held): validate the
 * blob, build the new tables in the stage, report the change to the core
 * (hv_state_changed(): it is measured before it takes effect), and ask
 * host mode to check and switch to them (HV_HC_IOMMU_SWAP). 0, -EPERM
 * (locked), -ENODEV (no policy enforced), -EINVAL (blob refused, or the
 * hypervisor refused the tables: *why is IOMMU_BAD_*, *where the
 * offending value) or another -errno.
 */
struct hv_launch;
int hv_iommu_swap(struct hv_launch *l, const void *blob, size_t len,
		  uint64_t *generation, uint32_t *why, uint64_t *where);
#endif

#endif /* THINHV_IOMMU_H */
