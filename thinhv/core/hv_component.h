/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv_component.h - the one interface between the core and the components
 * that ride on a launch (DMA enforcement, measurement) inside thinhv.ko
 * (kernel, process context). The module entry hands the core its table of
 * components (thinhv/module/hv_main.c); the core calls them in that order
 * at fixed points of a launch. A component calls only the core's API
 * (hv_kern.h and below), never another component: what one component
 * needs from another goes through the core (hv_measured_state_get(),
 * hv_state_changed()). docs/layers.md has the picture.
 */
#ifndef THINHV_HV_COMPONENT_H
#define THINHV_HV_COMPONENT_H

#include <linux/types.h>

#include "thinhv/tcg_log.h"
#include "thinhv/hv_ranges.h"

struct hv_launch;

/*
 * What a launch's isolation state is, gathered from every component for
 * the measurement (tcg_log.h att_isolation_encode()). The core fills the
 * protected ranges; a component fills what it enforces.
 */
struct hv_measured_state {
	/* The enforced policy blob (the component's own validated copy,
	 * valid until its teardown), or NULL when none is enforced. */
	const void *policy;
	size_t policy_len;
	/* Device domains: a component appends its devices at dev[ndev] in
	 * ascending key order (segment, bus, devfn), or, when dev is NULL,
	 * only adds how many it has to ndev. -ENOSPC when dev_cap is short. */
	struct att_iso_device *dev;
	u32 ndev, dev_cap;
	/* Every protected range (the core's kernel-side copy). */
	const struct hv_range *range;
	u32 nrange;
};

/*
 * One component. Every op is optional (NULL: nothing to do); each returns
 * 0 or -errno where it returns int.
 */
struct hv_component {
	const char *name;
	/* Pages of the hypervisor's pool its prepare op takes (its host-mode
	 * state and the host page-table pages its hv_host_map() needs). */
	unsigned int pool_pages;
	/*
	 * After the hypervisor's pool is allocated and registered, before the
	 * nested page table is built: build tables from the pool
	 * (hv_pool_page), hv_protect() memory and registers, hv_pcicfg_guard()
	 * functions, hv_host_map() what host mode touches and
	 * hv_host_service() the hypercalls served in host mode. An error
	 * refuses the launch.
	 */
	int (*prepare)(struct hv_launch *l);
	/*
	 * Every range is registered and every table built, no CPU is
	 * virtualized yet (measurement happens here). An error refuses the
	 * launch.
	 */
	int (*ready)(struct hv_launch *l);
	/* After every CPU is virtualized. An error devirtualizes all. */
	int (*launched)(struct hv_launch *l);
	/* After every CPU is native again (never under the core's locks). */
	void (*teardown)(struct hv_launch *l);
	/* Contribute to the measured isolation state (see above). */
	int (*measured_state)(struct hv_launch *l,
			      struct hv_measured_state *st);
	/*
	 * Another component reported a runtime change (hv_state_changed()),
	 * e.g. a DMA policy swap: re-evaluate (re-measure). An error makes
	 * the reporter roll the change back.
	 */
	int (*state_changed)(struct hv_launch *l);
};

/*
 * The isolation state as every component reports it now. st->dev is
 * allocated here; release with hv_measured_state_put(). 0 or -errno.
 */
int hv_measured_state_get(struct hv_launch *l, struct hv_measured_state *st);
void hv_measured_state_put(struct hv_measured_state *st);

/*
 * A component changed what it enforces at runtime: every component's
 * state_changed op runs, in order; the first error is returned (the
 * caller then undoes its change and reports again).
 */
int hv_state_changed(struct hv_launch *l);

/* After a successful launch was devirtualized: every teardown op, in
 * reverse order. */
void hv_components_teardown(struct hv_launch *l);

#endif /* THINHV_HV_COMPONENT_H */
