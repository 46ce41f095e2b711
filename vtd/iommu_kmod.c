// SPDX-License-Identifier: GPL-2.0-only
/*
 * iommu_kmod.c - DMA enforcement inside thinhv.ko (kernel, process
 * context): the launch hooks the core calls (thinhv/hv_kern.h), the policy
 * hand-over, device and RAM discovery, the table-page pool, the fault ring
 * and the read-only status files. Vendor work goes through iommu_ops.
 *
 * After launch the IOMMU register pages are read-only for the OS and the
 * tables/logs are unreachable (protected ranges): everything that writes
 * registers happens in the prepare hook, before any CPU is virtualized, or
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

#include "thinhv/hv_kern.h"
#include "thinhv/thinhv_ioctl.h"
#include "thinhv/tcg_log.h"
#include "vtd/iommu_drv.h"

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

static int collect_devices(struct hv_iommu *io)
{
	struct pci_dev *pdev = NULL;
	uint32_t n = 0;

	io->devs = kcalloc(HV_IOMMU_MAX_DEVS, sizeof(*io->devs), GFP_KERNEL);
	if (!io->devs)
		return -ENOMEM;
	for_each_pci_dev(pdev)
	{
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
		n++;
	}
	io->ndevs = n;
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

/* Prepare + enable (before any CPU is virtualized). */
static int iommu_bringup(struct hv_iommu *io, struct hv_launch *l)
{
	const struct hv_ranges *prot = &l->host->ranges;
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
	memset(&in, 0, sizeof(in));
	in.pol = &io->pol;
	in.devs = io->devs;
	in.ndevs = io->ndevs;
	in.ram = io->ram;
	in.nram = io->nram;
	in.prot = prot->r;
	in.nprot = prot->n;
	in.unity = io->unity;
	in.nunity = io->nunity;
	in.fmt = io->ops == &vtd_iommu_ops ? IOMMU_PT_VTD : IOMMU_PT_AMDVI;
	in.levels = io->unit[0].levels;
	in.max_leaf_level = io->unit[0].max_leaf;
	for (i = 1; i < io->nunits; i++)
		in.max_leaf_level =
		    min(in.max_leaf_level, io->unit[i].max_leaf);
	in.deny_needs_pt = in.fmt == IOMMU_PT_VTD;
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

int hv_hook_iommu_prepare(struct hv_launch *l)
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

int hv_hook_iommu_enable(struct hv_launch *l)
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

void hv_iommu_poll(void)
{
	unsigned long flags;

	mutex_lock(&hv_iommu_lock);
	if (g_io) {
		spin_lock_irqsave(&g_io->lock, flags);
		g_io->ops->drain(g_io);
		spin_unlock_irqrestore(&g_io->lock, flags);
	}
	mutex_unlock(&hv_iommu_lock);
}

void hv_hook_teardown(struct hv_launch *l)
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

int hv_iommu_policy_blob(const void **blob, size_t *len)
{
	int rc = -ENOENT;

	mutex_lock(&hv_iommu_lock);
	if (g_io && g_io->blob) {
		*blob = g_io->blob;
		*len = g_io->blob_len;
		rc = 0;
	}
	mutex_unlock(&hv_iommu_lock);
	return rc;
}

int hv_iommu_iso_devices(struct att_iso_device *out, uint32_t cap, uint32_t *n)
{
	uint32_t i, k, cnt = 0;
	int rc = 0;

	mutex_lock(&hv_iommu_lock);
	if (!g_io || !g_io->plan) {
		*n = 0;
		goto out;
	}
	*n = g_io->ndevs;
	if (g_io->ndevs > cap) {
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
		e.flags = d->action | (d->unity ? HV_IOMMU_ISO_UNITY : 0);
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
out:
	mutex_unlock(&hv_iommu_lock);
	return rc;
}

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
	for (i = 0; i < g_io->nunits; i++)
		len +=
		    scnprintf(buf + len, PAGE_SIZE - len,
			      "unit %u base %#llx enabled %d overflow %llu\n",
			      i, g_io->unit[i].base, g_io->unit[i].enabled,
			      g_io->unit[i].hw_overflow);
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

		len += scnprintf(buf + len, PAGE_SIZE - len,
				 "dev %04x:%02x:%02x.%u %s domain %u\n",
				 d->segment, d->bus, d->device, d->function,
				 pol_action_name(dm->action), dm->did);
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
