// SPDX-License-Identifier: GPL-2.0-only
/*
 * iommu_kmod.c - DMA enforcement inside thinhv.ko (kernel, process
 * context): the component the core calls (thinhv/core/hv_component.h), the policy
 * hand-over, device and RAM discovery, the table-page pool, the fault ring
 * and the read-only status files. Vendor work goes through iommu_ops.
 *
 * After launch the IOMMU register pages are read-only for the OS and the
 * tables/logs are unreachable (protected ranges): everything that writes
 * registers happens in the prepare op, before any CPU is virtualized, or
 * in teardown, after every CPU is native again. Draining fault records
 * after launch is therefore read-only here (see docs/iommu-integration.md).
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/pci.h>
#include <linux/ioport.h>
#include <linux/acpi.h>
#include <linux/kernel_read_file.h>
#include <linux/vmalloc.h>
#include <linux/ktime.h>
#include <asm/tsc.h>

#include "thinhv/core/hv_component.h"
#include "thinhv/core/hv_kern.h"
#include "thinhv/iommu_host.h"
#include "thinhv/thinhv_ioctl.h"
#include "thinhv/tcg_log.h"
#include "vtd/common/iommu_drv.h"
#include "thinhv/pure/hv_memtype.h"

static char *dma_policy;
module_param(dma_policy, charp, 0444);
MODULE_PARM_DESC(dma_policy,
		 "path of the compiled DMA policy blob (thinhv policy compile) "
		 "enforced by the IOMMU at launch");

static DEFINE_MUTEX(hv_iommu_lock); /* g_io lifetime */
static struct hv_iommu *g_io;
/* Set once CPUs run virtualized: IOMMU registers are read-only then. */
bool hv_iommu_launched;

#define POL_MAX_BYTES (1u << 20)

int hv_iommu_pool_alloc(void *ctx, uint64_t *pa, void **va)
{
	struct hv_iommu *io = ctx;

	if (io->pool_used >= io->pool_pages)
		return -ENOMEM;
	*va = io->pool_va + (size_t)io->pool_used * PAGE_SIZE;
	*pa = io->pool_pa + (uint64_t)io->pool_used * PAGE_SIZE;
	memset(*va, 0, PAGE_SIZE);
	io->pool_used++;
	return 0;
}

void *hv_iommu_pool_virt(void *ctx, uint64_t pa)
{
	struct hv_iommu *io = ctx;

	if (pa < io->pool_pa ||
	    pa >= io->pool_pa + (uint64_t)io->pool_used * PAGE_SIZE)
		return NULL;
	return io->pool_va + (pa - io->pool_pa);
}

int hv_iommu_add_region(struct hv_iommu *io, uint64_t base, uint64_t len,
			uint32_t kind)
{
	if (io->nregions >= HV_IOMMU_MAX_REGIONS)
		return -ENOSPC;
	io->region[io->nregions].base = base;
	io->region[io->nregions].len = len;
	io->region[io->nregions].kind = kind;
	io->nregions++;
	return 0;
}

int hv_iommu_map_unit(struct hv_iommu *io, struct hv_iommu_unit *u)
{
	u->regs = iommu_hw_map(u->base, u->size);
	if (!u->regs)
		return -ENOMEM;
	iommu_hw_acc_init(u);
	return hv_iommu_add_region(io, u->base, u->size, THINHV_RANGE_MMIO);
}

int hv_iommu_add_unity(struct hv_iommu *io, uint16_t segment, uint16_t first,
		       uint16_t last, uint64_t base, uint64_t len,
		       uint32_t perm, const char *what)
{
	struct iommu_unity *u;
	uint64_t b = ALIGN_DOWN(base, PAGE_SIZE);
	uint64_t e = ALIGN(base + len, PAGE_SIZE);

	if (!len || base + len < base || e < b)
		return -EINVAL;
	if (io->nunity >= HV_IOMMU_MAX_UNITY) {
		pr_err("thinhv: more than %u firmware unity ranges\n",
		       HV_IOMMU_MAX_UNITY);
		return -E2BIG;
	}
	u = &io->unity[io->nunity++];
	u->segment = segment;
	u->first_sid = first;
	u->last_sid = last;
	u->base = b;
	u->len = e - b;
	u->perm = perm;
	pr_info("thinhv: %s [%#llx-%#llx] %s kept for source ids "
		"%04x:%04x-%04x: permanent DMA window\n",
		what, b, e - 1, perm & IOMMU_PERM_W ? "rw" : "ro", segment,
		first, last);
	return 0;
}

int hv_iommu_pci_read8(uint16_t seg, uint8_t bus, uint8_t devfn, int where,
		       uint8_t *val)
{
	struct pci_dev *pdev = pci_get_domain_bus_and_slot(seg, bus, devfn);
	int rc;

	if (!pdev)
		return -ENODEV;
	rc = pci_read_config_byte(pdev, where, val);
	pci_dev_put(pdev);
	return rc ? -EIO : 0;
}

void hv_iommu_record(struct hv_iommu *io, struct iommu_fault *f)
{
	f->time_ns = ktime_get_ns();
	iommu_ring_push(&io->ring, f);
	if (f->src == IOMMU_FAULT_VTD)
		pr_warn_ratelimited(
		    "thinhv: DMA blocked: %04x:%02x:%02x.%u %s %#llx: %s "
		    "(VT-d reason %#x)\n",
		    f->segment, f->sid >> 8, (f->sid >> 3) & 31, f->sid & 7,
		    f->write ? "write" : "read", f->addr,
		    vtd_fault_reason_text(f->reason), f->reason);
	else
		pr_warn_ratelimited(
		    "thinhv: DMA event: %04x:%02x:%02x.%u %s %#llx: %s "
		    "(AMD-Vi event %#x flags %#x)\n",
		    f->segment, f->sid >> 8, (f->sid >> 3) & 31, f->sid & 7,
		    f->write ? "write" : "read", f->addr,
		    amdvi_event_text(f->reason), f->reason, f->flags);
}

/* ---- discovery ---- */

static int add_alias(struct hv_iommu *io, uint16_t seg, uint16_t own,
		     uint16_t alias, uint32_t dev)
{
	if (alias == own)
		return 0;
	if (io->nalias >= HV_IOMMU_MAX_ALIAS) {
		pr_err("thinhv: more than %u requester-id aliases: refused\n",
		       HV_IOMMU_MAX_ALIAS);
		return -E2BIG;
	}
	io->alias[io->nalias].segment = seg;
	io->alias[io->nalias].sid = alias;
	io->alias[io->nalias].dev = dev;
	io->nalias++;
	return 0;
}

/*
 * Every requester id the device's DMA may carry besides its own, walking
 * up to the root as the bridges rewrite it (PCIe ports keep it; a
 * PCIe-to-PCI bridge uses (secondary bus, devfn 0); a conventional or
 * PCI-to-PCIe bridge its own id), plus the quirk aliases Linux recorded.
 * (Linux's pci_for_each_dma_alias() is not exported to modules.)
 */
static int collect_aliases(struct hv_iommu *io, struct pci_dev *pdev,
			   uint32_t dev)
{
	uint16_t seg = (uint16_t)pci_domain_nr(pdev->bus),
		 own = pci_dev_id(pdev);
	struct pci_bus *bus;
	unsigned int fn;
	int rc = 0;

	for (fn = 0; pdev->dma_alias_mask && fn < 256 && !rc; fn++)
		if (test_bit(fn, pdev->dma_alias_mask))
			rc = add_alias(io, seg, own,
				       PCI_DEVID(pdev->bus->number, fn), dev);
	for (bus = pdev->bus; !pci_is_root_bus(bus) && !rc; bus = bus->parent) {
		struct pci_dev *br = bus->self;

		if (!br)
			continue;
		if (pci_is_pcie(br)) {
			switch (pci_pcie_type(br)) {
			case PCI_EXP_TYPE_PCI_BRIDGE:
				rc = add_alias(
				    io, seg, own,
				    PCI_DEVID(br->subordinate->number, 0), dev);
				break;
			case PCI_EXP_TYPE_PCIE_BRIDGE:
				rc = add_alias(io, seg, own, pci_dev_id(br),
					       dev);
				break;
			default: /* ports and switches keep the id */
				break;
			}
		} else {
			rc = add_alias(io, seg, own, pci_dev_id(br), dev);
		}
	}
	return rc;
}

static int collect_devices(struct hv_iommu *io)
{
	struct pci_dev *pdev = NULL;
	uint32_t n = 0;

	io->devs = kcalloc(HV_IOMMU_MAX_DEVS, sizeof(*io->devs), GFP_KERNEL);
	if (!io->devs)
		return -ENOMEM;
	for_each_pci_dev(pdev) {
		struct pol_dev_id *id;

		if (n >= HV_IOMMU_MAX_DEVS) {
			pci_dev_put(pdev);
			pr_err("thinhv: more than %u PCI functions: refused\n",
			       HV_IOMMU_MAX_DEVS);
			return -E2BIG;
		}
		id = &io->devs[n].id;
		id->segment = (uint16_t)pci_domain_nr(pdev->bus);
		id->bus = pdev->bus->number;
		id->device = PCI_SLOT(pdev->devfn);
		id->function = PCI_FUNC(pdev->devfn);
		id->vendor = pdev->vendor;
		id->device_id = pdev->device;
		id->subvendor = pdev->subsystem_vendor;
		id->subdevice = pdev->subsystem_device;
		id->class_code = (uint8_t)(pdev->class >> 16);
		id->subclass = (uint8_t)(pdev->class >> 8);
		id->prog_if = (uint8_t)pdev->class;
		if (collect_aliases(io, pdev, n)) {
			pci_dev_put(pdev);
			return -E2BIG;
		}
		n++;
	}
	io->ndevs = io->nreal = n;
	return 0;
}

/* After a plan: alias ids get their users' domain, or deny on conflict. */
static int apply_aliases(struct hv_iommu *io, const struct iommu_plan *plan,
			 struct iommu_dev *devs, uint32_t *ndevs, bool log)
{
	uint32_t i, conflicts = 0;
	int rc;

	*ndevs = io->nreal;
	rc = iommu_plan_aliases(plan, devs, ndevs, HV_IOMMU_MAX_DEVS, io->alias,
				io->nalias, &conflicts);
	if (rc) {
		pr_err("thinhv: requester-id aliases: %d\n", rc);
		return rc;
	}
	io->alias_conflicts = conflicts;
	for (i = 0; log && i < *ndevs; i++) {
		const struct pol_dev_id *d = &devs[i].id;

		if (devs[i].rule == IOMMU_RULE_ALIAS_CONFLICT)
			pr_warn("thinhv: requester id %04x:%02x:%02x.%u is "
				"shared (bridge alias) by devices with "
				"different DMA policies: denied\n",
				d->segment, d->bus, d->device, d->function);
		else if (devs[i].rule == IOMMU_RULE_ALIAS)
			pr_info(
			    "thinhv: requester id %04x:%02x:%02x.%u "
			    "(bridge alias) -> %s\n",
			    d->segment, d->bus, d->device, d->function,
			    pol_action_name(plan->dom[devs[i].domain].action));
	}
	return 0;
}

static int ram_cb(struct resource *r, void *arg)
{
	struct hv_iommu *io = arg;

	if (io->nram >= HV_IOMMU_MAX_RAM)
		return -ENOSPC;
	io->ram[io->nram].base = r->start;
	io->ram[io->nram].len = r->end - r->start + 1;
	io->nram++;
	return 0;
}

static int collect_ram(struct hv_iommu *io)
{
	int rc = walk_iomem_res_desc(IORES_DESC_NONE,
				     IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, 0,
				     -1, io, ram_cb);

	if (rc == -ENOSPC)
		pr_err("thinhv: more than %u System RAM ranges\n",
		       HV_IOMMU_MAX_RAM);
	return rc < 0 && rc != -EINVAL ? rc : 0;
}

/* ---- policy ---- */

static int load_policy(struct hv_iommu *io, const void *blob, size_t len)
{
	struct pol_blob_err err = { 0, NULL };
	int rc;

	/* Our own copy: validated and used from here, never re-read. */
	io->blob = kmemdup(blob, len, GFP_KERNEL);
	if (!io->blob)
		return -ENOMEM;
	io->blob_len = len;
	rc = pol_blob_decode(io->blob, len, &io->pol, &err);
	if (rc)
		pr_err("thinhv: policy refused: byte %u: %s\n", err.offset,
		       err.what ? err.what : "invalid");
	return rc;
}

static int read_policy_file(struct hv_iommu *io, const char *path)
{
	void *buf = NULL;
	size_t fsize = 0;
	ssize_t n;
	int rc;

	n = kernel_read_file_from_path(path, 0, &buf, POL_MAX_BYTES, &fsize,
				       READING_POLICY);
	if (n < 0) {
		pr_err("thinhv: cannot read policy %s: %zd\n", path, n);
		return (int)n;
	}
	rc = load_policy(io, buf, (size_t)n);
	vfree(buf);
	return rc;
}

/* ---- lifetime ---- */

static void free_io(struct hv_iommu *io)
{
	if (!io)
		return;
	if (io->pool)
		__free_pages(io->pool, HV_IOMMU_POOL_ORDER);
	if (io->pool2)
		__free_pages(io->pool2, HV_IOMMU_POOL_ORDER);
	if (io->stage_pages)
		__free_pages(io->stage_pages, HV_IOMMU_POOL_ORDER);
	if (io->stage_dt_pages)
		__free_pages(io->stage_dt_pages, HV_IOMMU_DEVTAB_ORDER);
	kfree(io->plan);
	kfree(io->devs);
	kfree(io->blob);
	kfree(io);
}

static void poll_fn(struct work_struct *w)
{
	struct hv_iommu *io = container_of(w, struct hv_iommu, poll.work);

	hv_iommu_poll();
	schedule_delayed_work(&io->poll, HZ / 10);
}

/*
 * For runtime swaps: a second table pool (protected like the first), and
 * the OS-writable stage the new tables are built in (host mode copies and
 * checks them; never trusted). AMD-Vi also stages a whole device table.
 */
static int alloc_swap(struct hv_iommu *io)
{
	io->reserved = max_t(u32, 1, io->pool_used);
	io->pool2 = alloc_pages(GFP_KERNEL | __GFP_ZERO, HV_IOMMU_POOL_ORDER);
	io->stage_pages =
	    alloc_pages(GFP_KERNEL | __GFP_ZERO, HV_IOMMU_POOL_ORDER);
	if (!io->pool2 || !io->stage_pages)
		return -ENOMEM;
	io->pool2_va = page_address(io->pool2);
	io->pool2_pa = page_to_phys(io->pool2);
	io->stage = page_address(io->stage_pages);
	if (io->ops == &amdvi_iommu_ops) {
		io->stage_dt_pages =
		    alloc_pages(GFP_KERNEL | __GFP_ZERO, HV_IOMMU_DEVTAB_ORDER);
		if (!io->stage_dt_pages)
			return -ENOMEM;
		io->stage_devtab = page_address(io->stage_dt_pages);
	}
	return hv_iommu_add_region(io, io->pool2_pa,
				   (uint64_t)io->pool_pages * PAGE_SIZE,
				   THINHV_RANGE_IOMMU);
}

static int host_map(struct hv_launch *l, const void *va, u64 pa, u64 len,
		    u32 acc, u32 mt)
{
	int rc = hv_host_map(l, va, pa, len, acc, mt);

	if (rc)
		pr_err("thinhv: host mapping of IOMMU memory %#llx failed: "
		       "%d\n",
		       pa, rc);
	return rc;
}

/*
 * The host-mode view (iommu_host.h), after enable and before launch: state
 * in the hypervisor's pool, and the registers, both pools, the stage (read
 * only) and the AMD-Vi device tables mapped in the private host page table.
 */
static int host_setup(struct hv_iommu *io, struct hv_launch *l)
{
	u64 bytes = (u64)io->pool_pages * PAGE_SIZE, pa;
	struct iommu_host *ih;
	void *va;
	uint32_t i;
	int rc;

	rc = hv_pool_pages(l, DIV_ROUND_UP(sizeof(*ih), PAGE_SIZE), &pa, &va);
	if (rc) {
		pr_err("thinhv: no hypervisor memory for the IOMMU state\n");
		return rc;
	}
	ih = va;
	ih->kind =
	    io->ops == &vtd_iommu_ops ? IOMMU_HOST_VTD : IOMMU_HOST_AMDVI;
	ih->nunits = io->nunits;
	ih->levels = io->unit[0].levels;
	ih->max_leaf = io->unit[0].max_leaf;
	for (i = 1; i < io->nunits; i++)
		ih->max_leaf = min(ih->max_leaf, io->unit[i].max_leaf);
	ih->tsc_per_ms = max_t(u64, tsc_khz, 1000);
	ih->pool_pa[0] = io->pool_pa;
	ih->pool_va[0] = io->pool_va;
	ih->pool_pa[1] = io->pool2_pa;
	ih->pool_va[1] = io->pool2_va;
	ih->pool_pages = io->pool_pages;
	ih->reserved = io->reserved;
	ih->stage = io->stage;
	ih->stage_devtab = io->stage_devtab;
	ih->prot = hv_host_ranges(l);
	rc = host_map(l, io->pool_va, io->pool_pa, bytes, HV_ACC_R | HV_ACC_W,
		      HV_MT_WB);
	if (!rc)
		rc = host_map(l, io->pool2_va, io->pool2_pa, bytes,
			      HV_ACC_R | HV_ACC_W, HV_MT_WB);
	if (!rc)
		rc = host_map(l, io->stage, page_to_phys(io->stage_pages),
			      bytes, HV_ACC_R, HV_MT_WB);
	if (!rc && io->stage_devtab)
		rc = host_map(l, io->stage_devtab,
			      page_to_phys(io->stage_dt_pages),
			      AMDVI_DEVTAB_BYTES, HV_ACC_R, HV_MT_WB);
	for (i = 0; i < io->nunits && !rc; i++) {
		struct hv_iommu_unit *u = &io->unit[i];
		struct iommu_host_unit *hu = &ih->unit[i];

		rc = host_map(l, (const void __force *)u->regs, u->base,
			      u->size, HV_ACC_R | HV_ACC_W, HV_MT_UC);
		if (!rc && u->devtab)
			rc = host_map(l, u->devtab, u->devtab_pa,
				      AMDVI_DEVTAB_BYTES, HV_ACC_R | HV_ACC_W,
				      HV_MT_WB);
		hu->regs = (volatile uint8_t __force *)u->regs;
		hu->segment = u->segment;
		hu->devtab = u->devtab;
		hu->root_page =
		    (uint32_t)((u->vt.root_pa - io->pool_pa) >> PAGE_SHIFT);
		/* Queue, ring, sequence numbers: host mode's from here on. */
		hu->proto = u->proto;
	}
	/* Host mode serves the DMA hypercalls with this state. */
	if (!rc)
		rc = hv_host_service(l, HV_HC_IOMMU_SWAP, HV_HC_IOMMU_STATE,
				     iommu_host_call, ih);
	if (rc)
		return rc;
	io->host = ih;
	io->l = l;
	return 0;
}

static void plan_input(struct hv_iommu *io, struct iommu_plan_in *in,
		       const struct pol_blob_view *pol, struct iommu_dev *devs,
		       const struct hv_range *prot, uint32_t nprot)
{
	uint32_t i;

	memset(in, 0, sizeof(*in));
	in->pol = pol;
	in->devs = devs;
	in->ndevs = io->nreal;
	in->ram = io->ram;
	in->nram = io->nram;
	in->prot = prot;
	in->nprot = nprot;
	in->unity = io->unity;
	in->nunity = io->nunity;
	in->fmt = io->ops == &vtd_iommu_ops ? IOMMU_PT_VTD : IOMMU_PT_AMDVI;
	in->levels = io->unit[0].levels;
	in->max_leaf_level = io->unit[0].max_leaf;
	for (i = 1; i < io->nunits; i++)
		in->max_leaf_level =
		    min(in->max_leaf_level, io->unit[i].max_leaf);
	in->deny_needs_pt = in->fmt == IOMMU_PT_VTD;
}

/* Prepare + enable (before any CPU is virtualized). */
static int iommu_bringup(struct hv_iommu *io, struct hv_launch *l)
{
	const struct hv_ranges *prot = hv_host_ranges(l);
	struct iommu_plan_in in;
	uint32_t i;
	int rc;

	rc = collect_ram(io);
	if (!rc)
		rc = io->ops->probe(io);
	if (!rc)
		rc = collect_devices(io);
	if (!rc && io->ops == &amdvi_iommu_ops)
		rc = amdvi_guard_config(io, l);
	if (rc)
		return rc;
	io->pool = alloc_pages(GFP_KERNEL | __GFP_ZERO, HV_IOMMU_POOL_ORDER);
	if (!io->pool) {
		pr_err("thinhv: cannot allocate the IOMMU table pool\n");
		return -ENOMEM;
	}
	io->pool_va = page_address(io->pool);
	io->pool_pa = page_to_phys(io->pool);
	io->pool_pages = 1u << HV_IOMMU_POOL_ORDER;
	rc = hv_iommu_add_region(io, io->pool_pa,
				 (uint64_t)io->pool_pages * PAGE_SIZE,
				 THINHV_RANGE_IOMMU);
	if (!rc)
		rc = io->ops->alloc(io);
	if (!rc)
		rc = alloc_swap(io);
	if (rc)
		return rc;
	/* Protect before building: identity maps must leave all of it out. */
	for (i = 0; i < io->nregions && !rc; i++)
		rc = hv_protect(l, io->region[i].base, io->region[i].len,
				io->region[i].kind == THINHV_RANGE_MMIO
				    ? HV_ACC_R
				    : HV_ACC_NONE,
				io->region[i].kind);
	if (rc)
		return rc;
	io->plan = kzalloc(sizeof(*io->plan), GFP_KERNEL);
	if (!io->plan)
		return -ENOMEM;
	plan_input(io, &in, &io->pol, io->devs, prot->r, prot->n);
	in.mem.ctx = io;
	in.mem.alloc = hv_iommu_pool_alloc;
	in.mem.virt = hv_iommu_pool_virt;
	rc = iommu_plan_build(&in, io->plan);
	if (rc) {
		pr_err("thinhv: building DMA domains failed: %d%s\n", rc,
		       rc == -ERANGE ? " (a window lies beyond the IOMMU's "
				       "address width)"
				     : "");
		return rc;
	}
	rc = apply_aliases(io, io->plan, io->devs, &io->ndevs, true);
	if (rc)
		return rc;
	if (io->plan->clipped)
		pr_info("thinhv: %llu KiB of windows/RAM left out of DMA "
			"reach: protected\n",
			io->plan->clipped >> 10);
	for (i = 0; i < io->ndevs; i++) {
		const struct pol_dev_id *d = &io->devs[i].id;
		const struct iommu_domain *dm =
		    &io->plan->dom[io->devs[i].domain];

		pr_info("thinhv: dma %04x:%02x:%02x.%u [%04x:%04x] -> %s "
			"(domain %u)\n",
			d->segment, d->bus, d->device, d->function, d->vendor,
			d->device_id, pol_action_name(dm->action), dm->did);
	}
	rc = io->ops->enable(io);
	if (!rc)
		rc = host_setup(io, l);
	if (rc)
		return rc;
	pr_info("thinhv: %s: DMA remapping enabled on %u unit(s), %u "
		"domains, %u table pages\n",
		io->ops->name, io->nunits, io->plan->ndom, io->pool_used);
	return 0;
}

const uint8_t *hv_iommu_get_table(const char *sig, size_t *len)
{
	struct acpi_table_header *t;

	if (ACPI_FAILURE(acpi_get_table((char *)sig, 0, &t)))
		return NULL;
	*len = t->length;
	return (const uint8_t *)t;
}

void hv_iommu_put_table(const uint8_t *table)
{
	if (table)
		acpi_put_table((struct acpi_table_header *)table);
}

static const struct iommu_ops *pick_ops(void)
{
	struct acpi_table_header *t;

	if (ACPI_SUCCESS(acpi_get_table(ACPI_SIG_DMAR, 0, &t))) {
		acpi_put_table(t);
		return &vtd_iommu_ops;
	}
	if (ACPI_SUCCESS(acpi_get_table(ACPI_SIG_IVRS, 0, &t))) {
		acpi_put_table(t);
		return &amdvi_iommu_ops;
	}
	return NULL;
}

static int iommu_prepare(struct hv_launch *l)
{
	struct hv_iommu *io;
	int rc;

	if (!l->policy && !dma_policy) {
		pr_warn("thinhv: no DMA policy given (dma_policy=): the IOMMU "
			"is NOT enforced\n");
		return 0;
	}
	io = kzalloc(sizeof(*io), GFP_KERNEL);
	if (!io)
		return -ENOMEM;
	spin_lock_init(&io->lock);
	iommu_ring_init(&io->ring, io->ring_slots, HV_IOMMU_RING);
	INIT_DELAYED_WORK(&io->poll, poll_fn);
	io->ops = pick_ops();
	if (!io->ops) {
		pr_err("thinhv: refused: a DMA policy was given but the "
		       "firmware describes no IOMMU (no DMAR, no IVRS)\n");
		kfree(io);
		return -ENODEV;
	}
	rc = l->policy ? load_policy(io, l->policy, l->policy_len)
		       : read_policy_file(io, dma_policy);
	if (!rc)
		rc = iommu_bringup(io, l);
	if (rc) {
		pr_err("thinhv: refused: DMA enforcement failed (%d)\n", rc);
		io->ops->disable(io);
		free_io(io);
		return rc;
	}
	mutex_lock(&hv_iommu_lock);
	g_io = io;
	mutex_unlock(&hv_iommu_lock);
	return 0;
}

static int iommu_launched(struct hv_launch *l)
{
	struct hv_iommu *io;

	mutex_lock(&hv_iommu_lock);
	io = g_io;
	WRITE_ONCE(hv_iommu_launched, true);
	if (io) {
		io->polling = true;
		schedule_delayed_work(&io->poll, HZ / 10);
	}
	mutex_unlock(&hv_iommu_lock);
	return 0;
}

/*
 * A hypercall from OS context, only while this CPU is virtualized: unload
 * devirtualizes every CPU (IPI, IRQs off) before the teardown hook stops
 * the poller, and VMMCALL on a native CPU is #UD. With IRQs off here the
 * devirtualize IPI cannot land between the check and the call.
 */
static s64 iommu_hc(struct hv_launch *l, u32 fn, u64 *b, u64 *c, u64 *d)
{
	unsigned long flags;
	s64 rc = -HV_ENODEV;

	local_irq_save(flags);
	if (hv_cpu_virtualized())
		rc = hv_hypercall(l, fn, b, c, d);
	local_irq_restore(flags);
	return rc;
}

/*
 * After launch the fault registers / event log are the hypervisor's: host
 * mode reads and clears them (HV_HC_IOMMU_DRAIN) and hands the raw
 * records over one by one; they are decoded and logged here.
 */
static void drain_host(struct hv_iommu *io)
{
	uint32_t n;

	for (n = 0; n < IOMMU_HOST_RING; n++) {
		u64 b = 0, c = 0, d = 0;
		uint32_t unit, src;
		struct iommu_fault f;
		uint8_t ev[16];
		int rc;

		if (iommu_hc(io->l, HV_HC_IOMMU_DRAIN, &b, &c, &d))
			return;
		unit = hv_drain_unit(d);
		src = hv_drain_src(d);
		if (!src || unit >= io->nunits)
			return;
		memset(&f, 0, sizeof(f));
		if (src == IOMMU_HOST_VTD) {
			rc = vtd_fault_decode(b, c, &f);
		} else {
			hv_put_le64(ev, b);
			hv_put_le64(ev + 8, c);
			rc = amdvi_event_decode(ev, &f);
		}
		if (rc)
			continue;
		f.segment = io->unit[unit].segment;
		f.unit = (uint8_t)unit;
		hv_iommu_record(io, &f);
	}
}

void hv_iommu_poll(void)
{
	unsigned long flags;

	mutex_lock(&hv_iommu_lock);
	if (g_io) {
		spin_lock_irqsave(&g_io->lock, flags);
		if (READ_ONCE(hv_iommu_launched) && g_io->host)
			drain_host(g_io);
		else
			g_io->ops->drain(g_io);
		spin_unlock_irqrestore(&g_io->lock, flags);
	}
	mutex_unlock(&hv_iommu_lock);
}

static void iommu_teardown(struct hv_launch *l)
{
	struct hv_iommu *io;

	mutex_lock(&hv_iommu_lock);
	io = g_io;
	g_io = NULL;
	mutex_unlock(&hv_iommu_lock);
	if (io && io->polling)
		cancel_delayed_work_sync(&io->poll);
	/* Every CPU is native again: registers are writable. */
	WRITE_ONCE(hv_iommu_launched, false);
	if (!io)
		return;
	io->ops->disable(io);
	pr_info("thinhv: %s: DMA remapping disabled\n", io->ops->name);
	free_io(io);
}

int hv_iommu_fault_get(uint64_t seq, struct iommu_fault *f, uint64_t *total,
		       uint64_t *dropped)
{
	unsigned long flags;
	int rc = -ENODEV;

	mutex_lock(&hv_iommu_lock);
	if (g_io) {
		spin_lock_irqsave(&g_io->lock, flags);
		rc = iommu_ring_get(&g_io->ring, seq, f);
		*total = g_io->ring.total;
		*dropped = g_io->ring.dropped;
		spin_unlock_irqrestore(&g_io->lock, flags);
	}
	mutex_unlock(&hv_iommu_lock);
	return rc;
}

static uint32_t iso_key(const struct att_iso_device *d)
{
	return (uint32_t)d->segment << 16 | (uint32_t)d->bus << 8 | d->devfn;
}

/*
 * measured_state: the validated in-kernel copy of the enforced policy
 * (the bytes enforced, not the caller's) and every device's domain,
 * appended at st->dev[st->ndev] in ascending (segment, bus, devfn) order
 * (with st->dev NULL: only counted). Nothing when no policy is enforced.
 */
static int iommu_measured_state(struct hv_launch *l,
				struct hv_measured_state *st)
{
	struct att_iso_device *out = st->dev ? st->dev + st->ndev : NULL;
	uint32_t i, k, cnt = 0;
	int rc = 0;

	mutex_lock(&hv_iommu_lock);
	if (!g_io || !g_io->plan)
		goto out;
	if (g_io->blob) {
		st->policy = g_io->blob;
		st->policy_len = g_io->blob_len;
	}
	if (!out) {
		st->ndev += g_io->ndevs;
		goto out;
	}
	if (g_io->ndevs > st->dev_cap - st->ndev) {
		rc = -ENOSPC;
		goto out;
	}
	for (i = 0; i < g_io->ndevs; i++) {
		const struct pol_dev_id *id = &g_io->devs[i].id;
		const struct iommu_domain *d =
		    &g_io->plan->dom[g_io->devs[i].domain];
		struct att_iso_device e;

		e.segment = id->segment;
		e.bus = id->bus;
		e.devfn = (uint8_t)(id->device << 3 | id->function);
		e.domain = d->did;
		e.flags =
		    d->action | (d->unity ? HV_IOMMU_ISO_UNITY : 0) |
		    (g_io->devs[i].rule <= IOMMU_RULE_ALIAS ? HV_IOMMU_ISO_ALIAS
							    : 0);
		/* Insertion sort: the encoding wants ascending, unique keys. */
		for (k = cnt; k > 0 && iso_key(&out[k - 1]) > iso_key(&e); k--)
			out[k] = out[k - 1];
		if (k > 0 && iso_key(&out[k - 1]) == iso_key(&e)) {
			rc = -EINVAL; /* the same function twice: refuse */
			goto out;
		}
		out[k] = e;
		cnt++;
	}
	st->ndev += cnt;
out:
	mutex_unlock(&hv_iommu_lock);
	return rc;
}

/* pool_pages: its host-mode state (struct iommu_host) and the host
 * page-table pages its mappings take. */
const struct hv_component hv_iommu_component = {
	.name = "iommu",
	.pool_pages = 24,
	.prepare = iommu_prepare,
	.launched = iommu_launched,
	.teardown = iommu_teardown,
	.measured_state = iommu_measured_state,
};

/* ---- read-only status files under /sys/module/thinhv/parameters ---- */

static int faults_get(char *buf, const struct kernel_param *kp)
{
	uint64_t total = 0, dropped = 0, seq, first;
	struct iommu_fault f;
	int len = 0;

	hv_iommu_poll();
	if (hv_iommu_fault_get(0, &f, &total, &dropped) == -ENODEV)
		return scnprintf(buf, PAGE_SIZE, "iommu off\n");
	len += scnprintf(buf + len, PAGE_SIZE - len,
			 "faults %llu dropped %llu\n", total, dropped);
	first = total > 32 ? total - 32 : 0;
	for (seq = first; seq < total; seq++) {
		uint64_t t, d;

		if (hv_iommu_fault_get(seq, &f, &t, &d))
			continue;
		len += scnprintf(
		    buf + len, PAGE_SIZE - len,
		    "%llu %llu %04x:%02x:%02x.%u %s %#llx %s %#x\n", seq,
		    f.time_ns, f.segment, f.sid >> 8, (f.sid >> 3) & 31,
		    f.sid & 7, f.write ? "write" : "read", f.addr,
		    f.src == IOMMU_FAULT_VTD ? "vtd" : "amdvi", f.reason);
	}
	return len;
}

static int status_get(char *buf, const struct kernel_param *kp)
{
	int len = 0;
	uint32_t i;

	mutex_lock(&hv_iommu_lock);
	if (!g_io) {
		mutex_unlock(&hv_iommu_lock);
		return scnprintf(buf, PAGE_SIZE, "iommu off\n");
	}
	len += scnprintf(buf + len, PAGE_SIZE - len,
			 "iommu %s units %u domains %u table_pages %u "
			 "launched %d\n",
			 g_io->ops->name, g_io->nunits, g_io->plan->ndom,
			 g_io->pool_used, READ_ONCE(hv_iommu_launched));
	len += scnprintf(buf + len, PAGE_SIZE - len,
			 "aliases %u ids %u conflicts %u\n", g_io->nalias,
			 g_io->ndevs - g_io->nreal, g_io->alias_conflicts);
	if (g_io->host && READ_ONCE(hv_iommu_launched)) {
		u64 b = 0, c = 0, d = 0;

		if (!iommu_hc(g_io->l, HV_HC_IOMMU_STATE, &b, &c, &d))
			len += scnprintf(
			    buf + len, PAGE_SIZE - len,
			    "swap generation %llu refused %u dropped %u "
			    "overflow %u active %u stage %#llx pools %#llx "
			    "%#llx reserved %u levels %u devtab %#llx\n",
			    b, hv_hc_lo32(c), hv_hc_lo32(d), hv_hc_hi32(d),
			    hv_hc_hi32(c) & 1,
			    (u64)page_to_phys(g_io->stage_pages), g_io->pool_pa,
			    g_io->pool2_pa, g_io->reserved,
			    g_io->unit[0].levels,
			    g_io->stage_dt_pages
				? (u64)page_to_phys(g_io->stage_dt_pages)
				: 0ull);
	}
	for (i = 0; i < g_io->nunits; i++)
		len += scnprintf(
		    buf + len, PAGE_SIZE - len,
		    "unit %u base %#llx enabled %d overflow %llu qi %d\n", i,
		    g_io->unit[i].base, g_io->unit[i].enabled,
		    g_io->unit[i].hw_overflow, g_io->unit[i].proto.qi_on);
	for (i = 0; i < g_io->nregions; i++)
		len += scnprintf(
		    buf + len, PAGE_SIZE - len, "region %#llx %#llx %s\n",
		    g_io->region[i].base, g_io->region[i].len,
		    g_io->region[i].kind == THINHV_RANGE_MMIO ? "mmio"
							      : "tables");
	for (i = 0; i < g_io->ndevs && len < PAGE_SIZE - 80; i++) {
		const struct pol_dev_id *d = &g_io->devs[i].id;
		const struct iommu_domain *dm =
		    &g_io->plan->dom[g_io->devs[i].domain];

		bool appended = g_io->devs[i].rule == IOMMU_RULE_ALIAS ||
				(i >= g_io->nreal);
		bool conflict = g_io->devs[i].rule == IOMMU_RULE_ALIAS_CONFLICT;

		len += scnprintf(buf + len, PAGE_SIZE - len,
				 "%s %04x:%02x:%02x.%u %s domain %u%s\n",
				 appended ? "alias" : "dev", d->segment, d->bus,
				 d->device, d->function,
				 pol_action_name(dm->action), dm->did,
				 conflict ? " conflict" : "");
		if (conflict && !appended)
			len += scnprintf(buf + len, PAGE_SIZE - len,
					 "alias %04x:%02x:%02x.%u deny domain "
					 "%u conflict\n",
					 d->segment, d->bus, d->device,
					 d->function, dm->did);
	}
	mutex_unlock(&hv_iommu_lock);
	return len;
}

static const struct kernel_param_ops faults_ops = { .get = faults_get };
static const struct kernel_param_ops status_ops = { .get = status_get };
module_param_cb(iommu_faults, &faults_ops, NULL, 0400);
MODULE_PARM_DESC(iommu_faults, "DMA faults recorded (read-only)");
module_param_cb(iommu_status, &status_ops, NULL, 0400);
MODULE_PARM_DESC(iommu_status, "DMA enforcement state (read-only)");

/* ---- runtime policy replacement ---- */

static DEFINE_MUTEX(hv_iommu_swap_lock);

/* Install (blob, pol, plan, devs) as g_io's current state; old out. */
static void swap_state(struct hv_iommu *io, uint8_t **blob, size_t *len,
		       struct pol_blob_view *pol, struct iommu_plan **plan,
		       struct iommu_dev **devs)
{
	mutex_lock(&hv_iommu_lock);
	swap(io->blob, *blob);
	swap(io->blob_len, *len);
	swap(io->pol, *pol);
	swap(io->plan, *plan);
	swap(io->devs, *devs);
	mutex_unlock(&hv_iommu_lock);
}

/* Build the new tables into the stage for the spare pool. */
static int stage_tables(struct hv_iommu *io, const struct pol_blob_view *pol,
			struct iommu_plan *plan, struct iommu_dev *devs)
{
	uint32_t spare = io->active ^ 1u, i;
	uint64_t spare_pa = spare ? io->pool2_pa : io->pool_pa;
	struct iommu_stage st = { io->stage, spare_pa, io->reserved,
				  io->pool_pages, 0 };
	struct iommu_stage_hdr *hdr = (struct iommu_stage_hdr *)io->stage;
	struct iommu_plan_in in;
	uint32_t n;
	int rc;

	memset(io->stage, 0, PAGE_SIZE);
	plan_input(io, &in, pol, devs, hv_ranges_shadow, hv_ranges_shadow_n);
	in.mem.ctx = &st;
	in.mem.alloc = iommu_stage_alloc;
	in.mem.virt = iommu_stage_virt;
	rc = iommu_plan_build(&in, plan);
	if (rc) {
		pr_err("thinhv: policy swap: building DMA domains failed: %d\n",
		       rc);
		return rc;
	}
	rc = apply_aliases(io, plan, devs, &n, true);
	if (rc)
		return rc;
	if (n != io->ndevs) /* the same topology: the same alias ids */
		return -EINVAL;
	if (io->ops == &vtd_iommu_ops) {
		for (i = 0; i < io->nunits; i++) {
			struct vtd_tables vt;

			rc = vtd_tables_init(&vt, &in.mem);
			if (!rc)
				rc = vtd_tables_from_plan(&vt, plan, devs,
							  io->ndevs,
							  io->unit[i].segment);
			if (rc)
				return rc;
			hdr->root_page[i] =
			    (uint32_t)((vt.root_pa - spare_pa) >> PAGE_SHIFT);
		}
	} else {
		amdvi_devtab_deny_all(io->stage_devtab, AMDVI_DEVTAB_ENTRIES);
		rc = amdvi_devtab_from_plan(io->stage_devtab,
					    AMDVI_DEVTAB_ENTRIES, plan, devs,
					    io->ndevs);
		if (rc)
			return rc;
	}
	hdr->magic = IOMMU_STAGE_MAGIC;
	hdr->version = IOMMU_STAGE_VERSION;
	hdr->npages = st.used;
	hdr->pool = spare;
	return 0;
}

int hv_iommu_swap(struct hv_launch *l, const void *blob, size_t len,
		  uint64_t *generation, uint32_t *why, uint64_t *where)
{
	struct pol_blob_err err = { 0, NULL };
	struct pol_blob_view pol;
	struct iommu_plan *plan = NULL;
	struct iommu_dev *devs = NULL;
	uint8_t *copy = NULL;
	struct hv_iommu *io;
	u64 b = 0, c = 0, d = 0;
	s64 hrc;
	int rc;

	*why = 0;
	*where = 0;
	mutex_lock(&hv_iommu_swap_lock);
	mutex_lock(&hv_iommu_lock);
	io = g_io;
	mutex_unlock(&hv_iommu_lock);
	rc = -ENODEV;
	if (!io || !io->host || !READ_ONCE(hv_iommu_launched))
		goto out;
	/* Our own copy, validated and used from here (never re-read). */
	rc = -ENOMEM;
	copy = kmemdup(blob, len, GFP_KERNEL);
	plan = kzalloc(sizeof(*plan), GFP_KERNEL);
	devs = kcalloc(HV_IOMMU_MAX_DEVS, sizeof(*devs), GFP_KERNEL);
	if (!copy || !plan || !devs)
		goto out;
	memcpy(devs, io->devs, io->nreal * sizeof(*devs));
	rc = pol_blob_decode(copy, len, &pol, &err);
	if (rc) {
		pr_err("thinhv: policy swap refused: byte %u: %s\n", err.offset,
		       err.what ? err.what : "invalid");
		goto out;
	}
	/* The pool in use is the hypervisor's word, not ours. */
	if (iommu_hc(l, HV_HC_IOMMU_STATE, &b, &c, &d)) {
		rc = -EIO;
		goto out;
	}
	io->active = hv_hc_hi32(c) & 1;
	b = c = d = 0;
	rc = stage_tables(io, &pol, plan, devs);
	if (rc)
		goto out;
	/* Measured before it takes effect; the current state is always the
	 * log's last (policy, isolation) pair. */
	swap_state(io, &copy, &len, &pol, &plan, &devs);
	rc = hv_state_changed(l);
	if (rc) {
		pr_err("thinhv: policy swap refused: measurement failed (%d)\n",
		       rc);
		swap_state(io, &copy, &len, &pol, &plan, &devs);
		goto out;
	}
	hrc = iommu_hc(l, HV_HC_IOMMU_SWAP, &b, &c, &d);
	*generation = b;
	if (hrc == 0 || hrc == -HV_EAGAIN || hrc == -HV_ETIMEDOUT) {
		/* The new tables are live (EAGAIN: entries that changed while
		 * being switched were denied; ETIMEDOUT: an invalidation did
		 * not complete in time): report, keep the new state. */
		io->generation = b;
		rc = 0;
		if (hrc) {
			pr_err("thinhv: policy swap: %s\n",
			       hrc == -HV_EAGAIN ? "staged entries changed "
						   "during the switch: denied"
						 : "invalidation timed out");
			rc = -EIO;
		}
		pr_info("thinhv: DMA policy replaced (generation %llu, %u "
			"domains)\n",
			b, io->plan->ndom);
		goto out;
	}
	/* Not switched: back to the old state, measured again. */
	swap_state(io, &copy, &len, &pol, &plan, &devs);
	if (hv_state_changed(l))
		pr_err("thinhv: policy swap: re-measuring the old policy "
		       "failed: the log's last pair is not in force\n");
	*why = (uint32_t)c;
	*where = d;
	if (hrc == -HV_EPERM) {
		pr_err("thinhv: policy swap refused: locked (lock=1)\n");
		rc = -EPERM;
	} else if (hrc == -HV_EINVAL) {
		pr_err("thinhv: policy swap refused by the hypervisor: %s "
		       "(%#llx)\n",
		       iommu_bad_text((uint32_t)c), d);
		rc = -EINVAL;
	} else {
		pr_err("thinhv: policy swap failed: hypercall %lld\n", hrc);
		rc = hrc == -HV_EBUSY ? -EBUSY : -EIO;
	}
out:
	mutex_unlock(&hv_iommu_swap_lock);
	kfree(copy);
	kfree(plan);
	kfree(devs);
	return rc;
}
