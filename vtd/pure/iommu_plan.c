// SPDX-License-Identifier: GPL-2.0-only
/*
 * iommu_plan.c - from a validated policy and the device list to DMA domains
 * and their identity page tables (pure C: kernel process context, host unit
 * tests, CLI). Every device ends in exactly one domain; a device no rule
 * matches gets the policy default, and anything unexpected is deny.
 */
#include "thinhv/compat.h"
#include "thinhv/iommu.h"

static int new_domain(const struct iommu_plan_in *in, struct iommu_plan *p,
		      uint16_t action, int rule, bool need_pt, uint32_t *out)
{
	struct iommu_domain *d;
	int rc;

	if (p->ndom >= IOMMU_MAX_DOMAINS)
		return -E2BIG;
	d = &p->dom[p->ndom];
	memset(d, 0, sizeof(*d));
	d->action = action;
	d->rule = rule;
	d->did = (uint16_t)(p->ndom + 1);
	if (action != POL_ACTION_DENY || in->deny_needs_pt || need_pt) {
		rc = iommu_pt_init(&d->pt, in->fmt, in->levels,
				   in->max_leaf_level, &in->mem);
		if (rc)
			return rc;
		d->has_pt = true;
	}
	*out = p->ndom++;
	return 0;
}

static int fill_identity(const struct iommu_plan_in *in, struct iommu_domain *d)
{
	for (uint32_t i = 0; i < in->nram; i++) {
		uint64_t b = HV_ALIGN_UP(in->ram[i].base, IOMMU_PAGE_SIZE);
		uint64_t e = HV_ALIGN_DOWN(in->ram[i].base + in->ram[i].len,
					   IOMMU_PAGE_SIZE);
		int rc;

		if (in->ram[i].base + in->ram[i].len < in->ram[i].base)
			return -EINVAL;
		if (e <= b)
			continue;
		rc = iommu_pt_map(&d->pt, b, e - b, IOMMU_PERM_RW, in->prot,
				  in->nprot);
		if (rc)
			return rc;
	}
	return 0;
}

static int fill_windows(const struct iommu_plan_in *in, struct iommu_domain *d,
			uint32_t first, uint32_t count)
{
	for (uint32_t i = 0; i < count; i++) {
		struct pol_window_info w;
		uint32_t perm = 0;
		int rc;

		rc = pol_window_get(in->pol, first + i, &w);
		if (rc)
			return rc;
		if (w.flags & POL_WIN_READ)
			perm |= IOMMU_PERM_R;
		if (w.flags & POL_WIN_WRITE)
			perm |= IOMMU_PERM_W;
		/* A validated blob has READ on every window; be sure anyway. */
		if (!(perm & IOMMU_PERM_R))
			return -EINVAL;
		rc = iommu_pt_map(&d->pt, w.base, w.size, perm, in->prot,
				  in->nprot);
		if (rc)
			return rc;
	}
	return 0;
}

static int domain_for(const struct iommu_plan_in *in, struct iommu_plan *p,
		      uint16_t action, int rule, uint32_t wfirst,
		      uint32_t wcount, uint32_t *out)
{
	int rc;

	for (uint32_t i = 0; i < p->ndom; i++) {
		const struct iommu_domain *d = &p->dom[i];

		/* Deny and identity are shared; window domains per rule;
		 * unity domains belong to one device. */
		if (d->unity)
			continue;
		if (d->action == action &&
		    (action != POL_ACTION_WINDOW || d->rule == rule)) {
			*out = i;
			return 0;
		}
	}
	rc = new_domain(in, p, action, rule, false, out);
	if (rc)
		return rc;
	if (action == POL_ACTION_IDENTITY)
		return fill_identity(in, &p->dom[*out]);
	if (action == POL_ACTION_WINDOW)
		return fill_windows(in, &p->dom[*out], wfirst, wcount);
	return 0;
}

static bool unity_names(const struct iommu_unity *u,
			const struct pol_dev_id *id)
{
	uint16_t sid =
	    (uint16_t)(id->bus << 8 | id->device << 3 | id->function);

	return u->segment == id->segment && u->first_sid <= sid &&
	       sid <= u->last_sid && u->len;
}

/*
 * A device named by firmware unity ranges gets a private domain: what the
 * policy grants it, plus those ranges (pages already mapped keep the
 * policy's permission; protected pages are still left out).
 */
static int unity_domain(const struct iommu_plan_in *in, struct iommu_plan *p,
			const struct iommu_dev *dv, uint16_t action, int rule,
			uint32_t wf, uint32_t wc, uint32_t *out)
{
	struct iommu_domain *d;
	int rc;

	if (action != POL_ACTION_IDENTITY && action != POL_ACTION_WINDOW)
		action = POL_ACTION_DENY;
	rc = new_domain(in, p, action, rule, true, out);
	if (rc)
		return rc;
	d = &p->dom[*out];
	d->unity = true;
	d->unity_sid =
	    (uint16_t)(dv->id.bus << 8 | dv->id.device << 3 | dv->id.function);
	if (action == POL_ACTION_IDENTITY)
		rc = fill_identity(in, d);
	else if (action == POL_ACTION_WINDOW)
		rc = fill_windows(in, d, wf, wc);
	for (uint32_t i = 0; i < in->nunity && !rc; i++) {
		const struct iommu_unity *u = &in->unity[i];

		if (!unity_names(u, &dv->id))
			continue;
		if (!u->perm || (u->perm & ~IOMMU_PERM_RW) ||
		    !HV_IS_ALIGNED(u->base, IOMMU_PAGE_SIZE) ||
		    !HV_IS_ALIGNED(u->len, IOMMU_PAGE_SIZE))
			return -EINVAL;
		rc = iommu_pt_map_merge(&d->pt, u->base, u->len, u->perm,
					in->prot, in->nprot);
	}
	p->unity_devs++;
	return rc;
}

int iommu_plan_build(const struct iommu_plan_in *in, struct iommu_plan *p)
{
	int rc;

	memset(p, 0, sizeof(*p));
	if (!in || !in->pol || !in->pol->buf || (in->ndevs && !in->devs) ||
	    (in->nram && !in->ram) || (in->nprot && !in->prot) ||
	    (in->nunity && !in->unity))
		return -EINVAL;
	/* The deny domain exists even when no device needs it: the target
	 * for anything discovered later. */
	rc = new_domain(in, p, POL_ACTION_DENY, POL_RULE_DEFAULT, false,
			&p->deny_dom);
	if (rc)
		return rc;
	for (uint32_t i = 0; i < in->ndevs; i++) {
		struct iommu_dev *dv = &in->devs[i];
		uint16_t action;
		uint32_t wf, wc, dom;
		int rule = pol_match(in->pol, &dv->id);

		bool named = false;

		if (pol_verdict(in->pol, rule, &action, &wf, &wc))
			action = POL_ACTION_DENY;
		for (uint32_t u = 0; u < in->nunity && !named; u++)
			named = unity_names(&in->unity[u], &dv->id);
		if (named) {
			rc =
			    unity_domain(in, p, dv, action, rule, wf, wc, &dom);
			if (rc)
				return rc;
			dv->rule = (int16_t)rule;
			dv->domain = (uint16_t)dom;
			continue;
		}
		switch (action) {
		case POL_ACTION_IDENTITY:
		case POL_ACTION_WINDOW:
			rc = domain_for(in, p, action, rule, wf, wc, &dom);
			if (rc)
				return rc;
			break;
		default: /* POL_ACTION_DENY and anything unknown */
			dom = p->deny_dom;
			break;
		}
		dv->rule = (int16_t)rule;
		dv->domain = (uint16_t)dom;
	}
	for (uint32_t i = 0; i < p->ndom; i++) {
		if (!p->dom[i].has_pt)
			continue;
		p->table_pages += p->dom[i].pt.tables;
		p->clipped += p->dom[i].pt.clipped;
	}
	return 0;
}

int iommu_stage_alloc(void *ctx, uint64_t *pa, void **va)
{
	struct iommu_stage *st = ctx;
	uint32_t page = st->first + st->used;

	if (page >= st->cap)
		return -ENOMEM;
	*va = st->va + (size_t)page * IOMMU_PAGE_SIZE;
	*pa = st->pa + (uint64_t)page * IOMMU_PAGE_SIZE;
	memset(*va, 0, IOMMU_PAGE_SIZE);
	st->used++;
	return 0;
}

void *iommu_stage_virt(void *ctx, uint64_t pa)
{
	struct iommu_stage *st = ctx;
	uint64_t lo = st->pa + (uint64_t)st->first * IOMMU_PAGE_SIZE;

	if (pa < lo || pa - lo >= (uint64_t)st->used * IOMMU_PAGE_SIZE)
		return NULL;
	return st->va + (pa - st->pa);
}

static uint16_t dev_sid(const struct pol_dev_id *id)
{
	return (uint16_t)(id->bus << 8 | id->device << 3 | id->function);
}

int iommu_plan_aliases(const struct iommu_plan *p, struct iommu_dev *devs,
		       uint32_t *ndevs, uint32_t cap,
		       const struct iommu_alias *al, uint32_t nal,
		       uint32_t *conflicts)
{
	uint32_t real = *ndevs, n = *ndevs, i, j;

	*conflicts = 0;
	for (i = 0; i < nal; i++) {
		const struct iommu_dev *user;
		struct iommu_dev *owner = NULL;

		if (al[i].dev >= real)
			return -EINVAL;
		user = &devs[al[i].dev];
		if (user->id.segment == al[i].segment &&
		    dev_sid(&user->id) == al[i].sid)
			continue; /* its own id */
		for (j = 0; j < n && !owner; j++)
			if (devs[j].id.segment == al[i].segment &&
			    dev_sid(&devs[j].id) == al[i].sid)
				owner = &devs[j];
		if (!owner) {
			if (n >= cap)
				return -E2BIG;
			owner = &devs[n++];
			memset(owner, 0, sizeof(*owner));
			owner->id.segment = al[i].segment;
			owner->id.bus = (uint8_t)(al[i].sid >> 8);
			owner->id.device = (uint8_t)((al[i].sid >> 3) & 31);
			owner->id.function = (uint8_t)(al[i].sid & 7);
			owner->domain = user->domain;
			owner->rule = IOMMU_RULE_ALIAS;
			continue;
		}
		if (owner->domain == user->domain)
			continue;
		/* Two devices, one id, two domains: the id gets nothing. */
		if (owner->rule != IOMMU_RULE_ALIAS_CONFLICT)
			(*conflicts)++;
		owner->domain = (uint16_t)p->deny_dom;
		owner->rule = IOMMU_RULE_ALIAS_CONFLICT;
	}
	*ndevs = n;
	return 0;
}
