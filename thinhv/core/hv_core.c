// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_core.c - arch-neutral launch and teardown of thinhv (kernel process
 * context; the per-CPU parts in IPI context with IRQs off): the protected
 * pool, protected ranges, nested and host page tables, the rendezvous that
 * virtualizes every online CPU, devirtualization, guest-side hypercalls;
 * and the component registry (hv_component.h): the core calls the
 * components the module entry handed it, and relays between them.
 */
#include <linux/kernel.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/vmalloc.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/pgtable.h>
#include <asm/processor.h>

#include "thinhv/thinhv_ioctl.h"
#include "thinhv/core/hv_component.h"
#include "thinhv/core/hv_kern.h"
#include "thinhv/pure/hv_memtype.h"

/* Page-table pages reserved in the pool for NPT + host page table. */
#define HV_PT_POOL_PAGES 96
#define HV_RENDEZVOUS_US (2 * USEC_PER_SEC)

struct hv_range hv_ranges_shadow[HV_MAX_RANGES];
u32 hv_ranges_shadow_n;
bool hv_allow_nested;

int hv_pool_pages(struct hv_launch *l, unsigned int n, u64 *pa, void **va)
{
	size_t len = (size_t)n * PAGE_SIZE;

	if (!n || len > l->pool_size - l->pool_used) {
		pr_err("thinhv: hypervisor pool exhausted (%zu of %zu bytes "
		       "used)\n",
		       l->pool_used, l->pool_size);
		return -ENOMEM;
	}
	*va = l->pool + l->pool_used;
	*pa = l->pool_pa + l->pool_used;
	l->pool_used += len;
	memset(*va, 0, len);
	return 0;
}

int hv_pool_page(struct hv_launch *l, u64 *pa, void **va)
{
	return hv_pool_pages(l, 1, pa, va);
}

static int pt_alloc(void *ctx, uint64_t *pa, void **va)
{
	return hv_pool_page(ctx, pa, va);
}

static void *pt_virt(void *ctx, uint64_t pa)
{
	struct hv_launch *l = ctx;

	if (pa < l->pool_pa || pa >= l->pool_pa + l->pool_used)
		return NULL;
	return l->pool + (pa - l->pool_pa);
}

int hv_protect(struct hv_launch *l, u64 base, u64 len, u32 access, u32 kind)
{
	int rc = hv_ranges_add(&l->host->ranges, base, len, access, kind);

	if (rc)
		pr_err("thinhv: cannot protect [%#llx, +%#llx): %d\n", base,
		       len, rc);
	return rc;
}

int hv_host_map(struct hv_launch *l, const void *va, u64 pa, u64 len,
		u32 access, u32 memtype)
{
	int rc = hv_pt_map(&l->hostpt, (u64)va, pa, PAGE_ALIGN(len), access,
			   memtype);

	if (rc)
		pr_err("thinhv: host mapping of %#llx (+%#llx) failed: %d\n",
		       pa, len, rc);
	return rc;
}

int hv_host_service(struct hv_launch *l, u32 first, u32 last,
		    hv_host_call_fn call, void *ctx)
{
	struct hv_host *h = l->host;
	u32 i;

	if (!call || first <= HV_HC_DEVIRT || last > HV_HC_MAX ||
	    first > last) {
		pr_err("thinhv: refused: hypercall service [%u, %u] is not a "
		       "component's range (%u..%u)\n",
		       first, last, HV_HC_DEVIRT + 1, HV_HC_MAX);
		return -EINVAL;
	}
	for (i = 0; i < h->nsvc; i++) {
		if (first <= h->svc[i].last && h->svc[i].first <= last) {
			pr_err("thinhv: refused: hypercalls [%u, %u] already "
			       "served\n",
			       first, last);
			return -EEXIST;
		}
	}
	if (h->nsvc >= HV_MAX_SERVICES) {
		pr_err("thinhv: refused: more than %u hypercall services\n",
		       HV_MAX_SERVICES);
		return -ENOSPC;
	}
	h->svc[h->nsvc].first = first;
	h->svc[h->nsvc].last = last;
	h->svc[h->nsvc].call = call;
	h->svc[h->nsvc].ctx = ctx;
	h->nsvc++;
	return 0;
}

const struct hv_ranges *hv_host_ranges(const struct hv_launch *l)
{
	return &l->host->ranges;
}

/* ---- components (hv_component.h) ---- */

enum hv_phase {
	HV_PHASE_PREPARE,
	HV_PHASE_READY,
	HV_PHASE_LAUNCHED,
	HV_PHASE_CHANGED,
};

static const char *const hv_phase_name[] = {
	[HV_PHASE_PREPARE] = "prepare",
	[HV_PHASE_READY] = "ready",
	[HV_PHASE_LAUNCHED] = "launched",
	[HV_PHASE_CHANGED] = "state change",
};

static int (*phase_op(const struct hv_component *c,
		      enum hv_phase p))(struct hv_launch *)
{
	switch (p) {
	case HV_PHASE_PREPARE:
		return c->prepare;
	case HV_PHASE_READY:
		return c->ready;
	case HV_PHASE_LAUNCHED:
		return c->launched;
	case HV_PHASE_CHANGED:
		return c->state_changed;
	}
	return NULL;
}

/* Every component's op for phase p in order; the first error stops. */
static int run_phase(struct hv_launch *l, enum hv_phase p)
{
	unsigned int i;
	int rc;

	for (i = 0; i < l->ncomp; i++) {
		int (*op)(struct hv_launch * l) = phase_op(l->comp[i], p);

		if (!op)
			continue;
		rc = op(l);
		if (rc) {
			pr_err("thinhv: %s: %s failed (%d)\n", l->comp[i]->name,
			       hv_phase_name[p], rc);
			return rc;
		}
	}
	return 0;
}

void hv_measured_state_put(struct hv_measured_state *st)
{
	kfree(st->dev);
	memset(st, 0, sizeof(*st));
}

static int gather_state(struct hv_launch *l, struct hv_measured_state *st)
{
	unsigned int i;
	int rc;

	for (i = 0; i < l->ncomp; i++) {
		const void *had = st->policy;

		if (!l->comp[i]->measured_state)
			continue;
		rc = l->comp[i]->measured_state(l, st);
		if (!rc && had && st->policy != had) {
			pr_err("thinhv: %s: a second enforced policy\n",
			       l->comp[i]->name);
			rc = -EINVAL;
		}
		if (rc)
			return rc;
	}
	return 0;
}

int hv_measured_state_get(struct hv_launch *l, struct hv_measured_state *st)
{
	u32 need;
	int rc;

	/* First how many devices, then the devices themselves. */
	memset(st, 0, sizeof(*st));
	rc = gather_state(l, st);
	if (rc)
		return rc;
	need = st->ndev;
	memset(st, 0, sizeof(*st));
	st->dev = kcalloc(max_t(u32, need, 1), sizeof(*st->dev), GFP_KERNEL);
	if (!st->dev)
		return -ENOMEM;
	st->dev_cap = need;
	st->range = hv_ranges_shadow;
	st->nrange = hv_ranges_shadow_n;
	rc = gather_state(l, st);
	if (rc)
		hv_measured_state_put(st);
	return rc;
}

int hv_state_changed(struct hv_launch *l)
{
	return run_phase(l, HV_PHASE_CHANGED);
}

void hv_components_teardown(struct hv_launch *l)
{
	unsigned int i;

	for (i = l->ncomp; i-- > 0;)
		if (l->comp[i]->teardown)
			l->comp[i]->teardown(l);
}

bool hv_cpu_virtualized(void)
{
	u32 a, b, c, d;

	cpuid(HV_CPUID_BASE, &a, &b, &c, &d);
	return b == HV_CPUID_SIG_EBX && c == HV_CPUID_SIG_ECX &&
	       d == HV_CPUID_SIG_EDX;
}

/* The module's text and read-only data: RO+X for the OS, mapped in host. */
static void module_ro(void **base, size_t *len)
{
	*base = THIS_MODULE->core_layout.base;
	*len = THIS_MODULE->core_layout.ro_size;
}

static int protect_module(struct hv_launch *l)
{
	void *base;
	size_t len, off;
	int rc;

	module_ro(&base, &len);
	for (off = 0; off < len; off += PAGE_SIZE) {
		u64 pa = (u64)vmalloc_to_pfn((u8 *)base + off) << PAGE_SHIFT;

		rc = hv_protect(l, pa, PAGE_SIZE, HV_ACC_R | HV_ACC_X,
				THINHV_RANGE_HV_CODE);
		if (rc)
			return rc;
		rc = hv_host_map(l, (u8 *)base + off, pa, PAGE_SIZE,
				 HV_ACC_R | HV_ACC_X, HV_MT_WB);
		if (rc)
			return rc;
	}
	return 0;
}

static u8 canary_byte(unsigned int i)
{
	return (u8)(i * 7 + 0x5a);
}

/*
 * Lab aid (test_canary=1): one page outside the pool, filled with a known
 * pattern and protected with no access (THINHV_RANGE_TEST), so scenarios
 * can attack it and the module can prove on unload it is unchanged.
 */
static int add_canary(struct hv_launch *l)
{
	unsigned int i;
	u8 *p;

	l->canary = (void *)__get_free_page(GFP_KERNEL);
	if (!l->canary)
		return -ENOMEM;
	l->canary_pa = virt_to_phys(l->canary);
	for (i = 0, p = l->canary; i < PAGE_SIZE; i++)
		p[i] = canary_byte(i);
	pr_info("thinhv: test canary page at %#llx\n", l->canary_pa);
	return hv_protect(l, l->canary_pa, PAGE_SIZE, HV_ACC_NONE,
			  THINHV_RANGE_TEST);
}

bool hv_canary_intact(const struct hv_launch *l)
{
	const u8 *p = l->canary;
	unsigned int i;

	for (i = 0; i < PAGE_SIZE; i++)
		if (p[i] != canary_byte(i))
			return false;
	return true;
}

/* Highest physical address of RAM or any device range (the iomem tree
 * holds both), at least 4 GiB, 1 GiB aligned. */
static u64 phys_limit(void)
{
	struct resource *r;
	u64 end = 4ull << 30;

	/*
	 * resource_lock is not exported: the top level of the iomem tree only
	 * changes on memory/PCI hotplug, which a launch does not race with in
	 * practice; a range added later beyond the limit is refused by NPT.
	 */
	for (r = READ_ONCE(iomem_resource.child); r; r = READ_ONCE(r->sibling))
		if (r->end + 1 > end)
			end = r->end + 1;
	return ALIGN(end, 1ull << 30);
}

static void read_mtrrs(struct hv_mtrr_state *m)
{
	u64 cap = 0;
	u32 i;

	memset(m, 0, sizeof(*m));
	m->phys_bits = boot_cpu_data.x86_phys_bits;
	if (!boot_cpu_has(X86_FEATURE_MTRR)) {
		/* no MTRRs: the architecture says everything is UC */
		return;
	}
	rdmsrl(X86_MSR_MTRRCAP, cap);
	rdmsrl(X86_MSR_MTRR_DEF_TYPE, m->def_type);
	m->nvar = min_t(u32, cap & X86_MTRRCAP_VCNT_MASK, HV_MTRR_MAX_VAR);
	m->fixed_supported = !!(cap & X86_MTRRCAP_FIX);
	for (i = 0; i < m->nvar; i++) {
		rdmsrl(X86_MSR_MTRR_PHYSBASE0 + 2 * i, m->var_base[i]);
		rdmsrl(X86_MSR_MTRR_PHYSMASK0 + 2 * i, m->var_mask[i]);
	}
	if (m->fixed_supported) {
		rdmsrl(X86_MSR_MTRR_FIX64K_00000, m->fixed[0]);
		rdmsrl(X86_MSR_MTRR_FIX16K_80000, m->fixed[1]);
		rdmsrl(X86_MSR_MTRR_FIX16K_A0000, m->fixed[2]);
		for (i = 0; i < 8; i++)
			rdmsrl(X86_MSR_MTRR_FIX4K_C0000 + i, m->fixed[3 + i]);
	}
}

static struct hv_mtrr_state hv_mtrr;

static int build_tables(struct hv_launch *l)
{
	u64 pat;
	bool gb = boot_cpu_has(X86_FEATURE_GBPAGES);
	bool nx = boot_cpu_has(X86_FEATURE_NX);
	struct hv_pt_mem mem = { l, pt_alloc, pt_virt };
	unsigned int npt_levels = l->levels;
	int rc;

	rdmsrl(X86_MSR_PAT, pat);
	if (l->ops->npt_format)
		rc = l->ops->npt_format(&l->npt_fmt, &npt_levels);
	else
		rc = hv_pt_format_x86(&l->npt_fmt, pat, true, nx, gb ? 3 : 2);
	if (!rc)
		rc = hv_pt_format_x86(&l->host_fmt, pat, false, nx, 1);
	if (rc) {
		pr_err("thinhv: refused: PAT %#llx has no WB and UC entries\n",
		       pat);
		return -EINVAL;
	}
	rc = hv_pt_init(&l->npt, &l->npt_fmt, &mem, npt_levels);
	if (!rc)
		rc = hv_pt_init(&l->hostpt, &l->host_fmt, &mem, l->levels);
	return rc;
}

static int fill_npt(struct hv_launch *l)
{
	u64 bad = 0;
	int rc;

	read_mtrrs(&hv_mtrr);
	l->map_limit = phys_limit();
	l->host->map_limit = l->map_limit;
	rc = hv_pt_identity(&l->npt, l->map_limit, &l->host->ranges,
			    hv_mtrr_memtype_cb, &hv_mtrr);
	if (rc) {
		pr_err("thinhv: nested page table build failed: %d\n", rc);
		return rc;
	}
	/* Invariant: no guest mapping covers a protected range. */
	rc = hv_pt_check_protected(&l->npt, &l->host->ranges, l->map_limit,
				   &bad);
	if (rc) {
		pr_err(
		    "thinhv: refused: nested table exposes protected %#llx\n",
		    bad);
		return rc;
	}
	return 0;
}

struct hv_rendezvous {
	struct hv_launch *l;
	atomic_t arrived;
	unsigned int expected;
};

static void launch_one(void *arg)
{
	struct hv_rendezvous *rv = arg;
	struct hv_launch *l = rv->l;
	unsigned int cpu = smp_processor_id(), us;
	u64 t0;
	int rc;

	/* Every CPU waits here with IRQs off until all have arrived. */
	atomic_inc(&rv->arrived);
	for (us = 0; atomic_read(&rv->arrived) < rv->expected; us++) {
		if (us >= HV_RENDEZVOUS_US) {
			l->cpu_rc[cpu] = -ETIMEDOUT;
			return;
		}
		udelay(1);
	}
	if (!l->cpu_area[cpu]) {
		l->cpu_rc[cpu] = -ENODEV;
		return;
	}
	t0 = ktime_get_ns();
	rc = l->ops->launch(l->cpu_area[cpu]);
	l->launch_ns[cpu] = ktime_get_ns() - t0;
	l->cpu_rc[cpu] = rc;
	l->cpu_virt[cpu] = rc == 0;
}

static void devirt_one(void *arg)
{
	struct hv_launch *l = arg;
	unsigned int cpu = smp_processor_id();
	int rc;

	if (!l->cpu_virt[cpu])
		return;
	rc = l->ops->devirt(l->cpu_area[cpu]);
	l->cpu_rc[cpu] = rc;
	if (rc == 0 && !hv_cpu_virtualized())
		l->cpu_virt[cpu] = false;
}

static void probe_one(void *arg)
{
	struct hv_launch *l = arg;
	unsigned int cpu = smp_processor_id();

	l->cpu_rc[cpu] = hv_cpu_virtualized() ? -EEXIST : l->ops->probe_cpu();
}

/* Devirtualize every CPU still virtualized; 0 when all are native. */
int hv_devirt_all(struct hv_launch *l)
{
	unsigned int cpu;
	int rc = 0;

	if (!l->cpu_virt)
		return 0;
	on_each_cpu(devirt_one, l, 1);
	for_each_possible_cpu(cpu) {
		if (l->cpu_virt[cpu]) {
			pr_err("thinhv: cpu%u still virtualized (%d)\n", cpu,
			       l->cpu_rc[cpu]);
			rc = rc ? rc : (l->cpu_rc[cpu] ? l->cpu_rc[cpu] : -EIO);
		}
	}
	return rc;
}

/* Frees everything; only valid when no CPU is virtualized. */
void hv_launch_free(struct hv_launch *l)
{
	unsigned int cpu;

	if (l->cpu_virt)
		for_each_possible_cpu(cpu)
			if (l->cpu_virt[cpu]) {
				pr_err("thinhv: leaking hypervisor memory: "
				       "cpu%u is still virtualized\n",
				       cpu);
				return;
			}
	if (l->pool)
		free_pages_exact(l->pool, l->pool_size);
	if (l->canary)
		free_page((unsigned long)l->canary);
	kfree(l->cpu_area);
	kfree(l->cpu_area_pa);
	kfree(l->launch_ns);
	kfree(l->cpu_rc);
	kfree(l->cpu_virt);
	memset(l, 0, sizeof(*l));
}

static int alloc_arrays(struct hv_launch *l)
{
	unsigned int n = nr_cpu_ids;

	l->cpu_area = kcalloc(n, sizeof(*l->cpu_area), GFP_KERNEL);
	l->cpu_area_pa = kcalloc(n, sizeof(*l->cpu_area_pa), GFP_KERNEL);
	l->launch_ns = kcalloc(n, sizeof(*l->launch_ns), GFP_KERNEL);
	l->cpu_rc = kcalloc(n, sizeof(*l->cpu_rc), GFP_KERNEL);
	l->cpu_virt = kcalloc(n, sizeof(*l->cpu_virt), GFP_KERNEL);
	if (!l->cpu_area || !l->cpu_area_pa || !l->launch_ns || !l->cpu_rc ||
	    !l->cpu_virt)
		return -ENOMEM;
	return 0;
}

static int alloc_pool(struct hv_launch *l)
{
	size_t host_bytes =
	    sizeof(struct hv_host) + nr_cpu_ids * sizeof(struct hv_host_cpu);
	unsigned int i;
	size_t pages = DIV_ROUND_UP(host_bytes, PAGE_SIZE) + 8 /* backend */ +
		       num_online_cpus() * l->ops->percpu_pages +
		       HV_PT_POOL_PAGES;
	void *hp;
	u64 hpa;
	int rc;

	for (i = 0; i < l->ncomp; i++)
		pages += l->comp[i]->pool_pages;
	l->pool_size = pages * PAGE_SIZE;
	l->pool = alloc_pages_exact(l->pool_size, GFP_KERNEL | __GFP_ZERO);
	if (!l->pool) {
		pr_err("thinhv: cannot allocate %zu KiB of contiguous memory\n",
		       l->pool_size / 1024);
		return -ENOMEM;
	}
	l->pool_pa = virt_to_phys(l->pool);
	rc = hv_pool_pages(l, DIV_ROUND_UP(host_bytes, PAGE_SIZE), &hpa, &hp);
	if (rc)
		return rc;
	l->host = hp;
	l->host->ncpus = nr_cpu_ids;
	l->host->cpu = (void *)((u8 *)hp + sizeof(struct hv_host));
	l->host->if_flags = HV_IF_NESTED_PAGING;
	hv_ranges_init(&l->host->ranges, l->host->range_store, HV_MAX_RANGES);
	return 0;
}

int hv_launch_all(struct hv_launch *l, const struct hv_cpu_ops *ops,
		  const struct hv_component *const *comp, unsigned int ncomp,
		  bool lock)
{
	struct hv_rendezvous rv;
	unsigned int cpu, nvirt = 0;
	u64 t0 = ktime_get_ns(), maxns = 0;
	int rc;

	l->ops = ops;
	l->comp = comp;
	l->ncomp = ncomp;
	rc = ops->probe();
	if (rc)
		return rc;
	rc = alloc_arrays(l);
	if (rc)
		goto fail;

	cpus_read_lock();
	on_each_cpu(probe_one, l, 1);
	for_each_online_cpu(cpu) {
		rc = l->cpu_rc[cpu];
		if (rc == -EEXIST) {
			pr_err("thinhv: refused: cpu%u already runs thinhv\n",
			       cpu);
			rc = -EBUSY;
		} else if (rc == -EBUSY) {
			/* The backend's own line names the bit (EFER.SVME,
			 * CR4.VMXE); this one is vendor-neutral. */
			pr_err("thinhv: refused: cpu%u is already in use by "
			       "another hypervisor (%s)\n",
			       cpu, l->ops->name);
		} else if (rc) {
			pr_err("thinhv: refused: cpu%u: %s unusable (%d)\n",
			       cpu, l->ops->name, rc);
		}
		if (rc)
			goto unlock;
	}

	l->levels = pgtable_l5_enabled() ? 5 : 4;
	rc = alloc_pool(l);
	if (!rc)
		rc = build_tables(l);
	if (!rc)
		rc = ops->setup(l);
	if (rc)
		goto unlock;
	for_each_online_cpu(cpu) {
		rc = hv_pool_pages(l, ops->percpu_pages, &l->cpu_area_pa[cpu],
				   &l->cpu_area[cpu]);
		if (rc)
			goto unlock;
	}
	l->host->locked = lock;

	/* Everything the hypervisor owns, then the components', then the
	 * nested table. */
	rc = hv_protect(l, l->pool_pa, l->pool_size, HV_ACC_NONE,
			THINHV_RANGE_HV_MEM);
	if (!rc)
		rc = protect_module(l);
	if (!rc)
		rc = hv_host_map(l, l->pool, l->pool_pa, l->pool_size,
				 HV_ACC_R | HV_ACC_W, HV_MT_WB);
	if (!rc && l->want_canary)
		rc = add_canary(l);
	if (!rc)
		rc = run_phase(l, HV_PHASE_PREPARE);
	if (!rc)
		rc = fill_npt(l);
	if (rc)
		goto unlock;
	for_each_online_cpu(cpu) {
		rc = ops->cpu_init(l, cpu, l->cpu_area[cpu],
				   l->cpu_area_pa[cpu]);
		if (rc)
			goto unlock;
		l->host->cpu[cpu].index = cpu;
	}
	hv_ranges_shadow_n = l->host->ranges.n;
	memcpy(hv_ranges_shadow, l->host->range_store,
	       sizeof(hv_ranges_shadow[0]) * hv_ranges_shadow_n);
	rc = run_phase(l, HV_PHASE_READY);
	if (rc) {
		pr_err("thinhv: refused: measurement failed (%d)\n", rc);
		goto unlock;
	}

	/* From here the pool is out of reach for every virtualized CPU. */
	rv.l = l;
	atomic_set(&rv.arrived, 0);
	rv.expected = num_online_cpus();
	on_each_cpu(launch_one, &rv, 1);
	for_each_online_cpu(cpu) {
		if (l->cpu_virt[cpu]) {
			nvirt++;
			maxns = max(maxns, l->launch_ns[cpu]);
			continue;
		}
		pr_err("thinhv: cpu%u launch failed: %d\n", cpu,
		       l->cpu_rc[cpu]);
		rc = rc ? rc : (l->cpu_rc[cpu] ? l->cpu_rc[cpu] : -EIO);
	}
	if (!rc)
		rc = run_phase(l, HV_PHASE_LAUNCHED);
	if (rc) {
		if (hv_devirt_all(l) == 0)
			goto unlock;
		cpus_read_unlock();
		return rc; /* memory stays: some CPU still uses it */
	}
	cpus_read_unlock();
	pr_info("thinhv: virtualized %u CPUs in %llu us (slowest CPU %llu us), "
		"%u-level NPT, %zu KiB hypervisor memory, %u protected ranges, "
		"map limit %#llx%s\n",
		nvirt, (ktime_get_ns() - t0) / 1000, maxns / 1000, l->levels,
		l->pool_size / 1024, hv_ranges_shadow_n, l->map_limit,
		lock ? ", locked" : "");
	return 0;

unlock:
	cpus_read_unlock();
fail:
	hv_launch_free(l);
	return rc;
}

s64 hv_hypercall(struct hv_launch *l, u32 fn, u64 *rbx, u64 *rcx, u64 *rdx)
{
	return l->ops->hypercall(fn, rbx, rcx, rdx);
}
