// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit_compare.c - the I/O-model comparison: for each measured device,
 * who programs it, what it can reach and what must be trusted under a
 * driver domain (Xen dom0 / Hyper-V parent), in-hypervisor drivers (VMware
 * ESXi) and thinhv under the OS (host userspace). Sizes of other systems
 * are approximate published figures with their source; thinhv's own size
 * is counted from the source tree at run time.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auditcli/lib/audit.h"

struct tcb_part {
	const char *model; /* "driver-domain", "in-hypervisor", "thinhv" */
	const char *component;
	const char *size; /* approximate published figure */
	const char *source;
};

/*
 * Published figures only, stated as orders of magnitude: they differ by
 * version and configuration and none of them is measured here. The output
 * repeats this caveat; docs/audit.md lists the same sources.
 */
static const struct tcb_part tcb_parts[] = {
	{ "driver-domain", "Xen hypervisor", "~100 kLOC",
	  "Steinberg & Kauer, NOVA: A Microhypervisor-Based Secure "
	  "Virtualization Architecture, EuroSys 2010, Fig. 1" },
	{ "driver-domain", "dom0 / parent-partition OS kernel with drivers",
	  "~200 kLOC minimum (Linux dom0); Windows parent: not published",
	  "same figure (NOVA, EuroSys 2010, Fig. 1); Colp et al., Breaking "
	  "Up is Hard to Do (Xoar), SOSP 2011" },
	{ "driver-domain", "Hyper-V hypervisor", "~100 kLOC",
	  "Steinberg & Kauer, EuroSys 2010, Fig. 1 (closed source, not "
	  "verifiable)" },
	{ "in-hypervisor", "VMware ESXi vmkernel with its drivers",
	  "~200 kLOC (closed source, not verifiable)",
	  "Steinberg & Kauer, EuroSys 2010, Fig. 1" },
	{ "thinhv",
	  "thinhv.ko (hypervisor core, VT-d/AMD-Vi, policy, "
	  "measurement)",
	  NULL, "counted from this source tree at run time" },
	{ "thinhv", "CPU virtualization + IOMMU hardware, firmware DMAR/IVRS",
	  "hardware/firmware", "trusted by every model alike" },
};

static long count_file(const char *path)
{
	FILE *f = fopen(path, "re");
	long n = 0;
	int c;

	if (!f)
		return -1;
	while ((c = getc(f)) != EOF)
		if (c == '\n')
			n++;
	fclose(f);
	return n;
}

static bool is_tree(const char *dir)
{
	char p[PATH_MAX + 16];

	snprintf(p, sizeof(p), "%s/Kbuild", dir);
	return access(p, R_OK) == 0;
}

/* The tree: $THINHV_SRCDIR, or the binary's build/ (or build/san/) parent. */
static bool find_tree(char *dir, size_t len)
{
	const char *env = getenv("THINHV_SRCDIR");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		snprintf(dir, len, "%s", env);
		return is_tree(dir);
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	for (int up = 0; up < 3; up++) {
		char *s = strrchr(exe, '/');

		if (!s)
			return false;
		*s = '\0';
		if (up && is_tree(exe)) {
			snprintf(dir, len, "%s", exe);
			return true;
		}
	}
	return false;
}

/*
 * Physical lines of every kernel object the Kbuild fragments list
 * ("thinhv-y += dir/file.o" -> dir/file.c or .S) plus the shared headers in
 * include/thinhv/ and each component's own headers. Comments and blank
 * lines count: this is what a reviewer has to read.
 */
long audit_count_thinhv_lines(char *where, size_t wherelen)
{
	/* The top-level Kbuild, and the per-folder fragments older trees
	 * (and the test fixture) have. */
	static const char *const frags[] = { "Kbuild", "thinhv/kbuild.mk",
					     "vtd/kbuild.mk",
					     "attest/kbuild.mk",
					     "policy/kbuild.mk" };
	static const char *const hdirs[] = {
		"include/thinhv", "include/thinhv/hw",
		"thinhv",	  "thinhv/core",
		"thinhv/host",	  "thinhv/pure",
		"thinhv/svm",	  "thinhv/vmx",
		"thinhv/module",  "vtd",
		"vtd/acpi",	  "vtd/common",
		"vtd/host",	  "vtd/intel",
		"vtd/amd",	  "vtd/pure",
		"attest",	  "attest/kernel",
		"attest/pure",	  "policy",
		"policy/pure"
	};
	char tree[PATH_MAX], p[PATH_MAX + 64], line[512];
	long total = 0;
	int files = 0;

	if (!find_tree(tree, sizeof(tree))) {
		snprintf(where, wherelen,
			 "source tree not found (set THINHV_SRCDIR)");
		return -1;
	}
	for (size_t i = 0; i < sizeof(frags) / sizeof(frags[0]); i++) {
		FILE *f;

		snprintf(p, sizeof(p), "%s/%s", tree, frags[i]);
		f = fopen(p, "re");
		if (!f)
			continue;
		bool cont = false; /* previous line ended in a backslash */

		while (fgets(line, sizeof(line), f)) {
			char *rest = strstr(line, "+="), *tok, *save = NULL;
			char *objs;
			size_t ll = strlen(line);
			bool was_cont = cont;

			while (ll &&
			       (line[ll - 1] == '\n' || line[ll - 1] == ' '))
				line[--ll] = '\0';
			cont = ll && line[ll - 1] == '\\';
			if (was_cont)
				objs = line; /* whole line holds objects */
			else if ((!strncmp(line, "thinhv-y", 8) ||
				  !strncmp(line, "THINHV_", 7)) &&
				 rest)
				objs = rest + 2;
			else if (!strncmp(line, "THINHV_", 7) &&
				 (rest = strstr(line, ":=")))
				objs = rest + 2;
			else
				continue;
			for (tok = strtok_r(objs, " \t\n\\", &save); tok;
			     tok = strtok_r(NULL, " \t\n\\", &save)) {
				char src[PATH_MAX + 300];
				size_t l = strlen(tok);
				long n;

				if (l < 3 || strcmp(tok + l - 2, ".o") ||
				    strstr(tok, ".."))
					continue;
				snprintf(src, sizeof(src), "%s/%.*s.c", tree,
					 (int)(l - 2), tok);
				n = count_file(src);
				if (n < 0) {
					snprintf(src, sizeof(src), "%s/%.*s.S",
						 tree, (int)(l - 2), tok);
					n = count_file(src);
				}
				if (n >= 0) {
					total += n;
					files++;
				}
			}
		}
		fclose(f);
	}
	/* Headers the module includes. */
	for (size_t i = 0; i < sizeof(hdirs) / sizeof(hdirs[0]); i++) {
		DIR *d;
		struct dirent *e;

		snprintf(p, sizeof(p), "%s/%s", tree, hdirs[i]);
		d = opendir(p);
		if (!d)
			continue;
		while ((e = readdir(d))) {
			size_t l = strlen(e->d_name);
			char h[PATH_MAX + 320];
			long n;

			if (l < 3 || strcmp(e->d_name + l - 2, ".h"))
				continue;
			snprintf(h, sizeof(h), "%s/%s", p, e->d_name);
			n = count_file(h);
			if (n >= 0) {
				total += n;
				files++;
			}
		}
		closedir(d);
	}
	snprintf(where, wherelen,
		 "%d files listed in the Kbuild fragments "
		 "and their headers",
		 files);
	return total;
}

/* ------------------------------------------------------------- models */

#define NPATHS 8

struct model_view {
	const char *model, *title;
	char programs[160];
	char reach[240];
	const char *trust[4];
	char paths[NPATHS][240];
	int npaths;
};

struct measured {
	bool
	    iommu_hw; /* firmware reports a remapping unit, or the OS has one */
	bool ats_on, external, acs_gap, preboot;
	char acs_port[16];
	char windows[200];
};

static void addpath(struct model_view *m, const char *s)
{
	if (m->npaths < NPATHS)
		snprintf(m->paths[m->npaths++], sizeof(m->paths[0]), "%s", s);
}

static bool in_scope(const struct audit_fw_window *w, const struct audit_dev *d)
{
	return !strcmp(w->scope, "all devices") || strstr(w->scope, d->bdf + 5);
}

static void measure(const struct audit_inv *inv, const struct audit_dev *d,
		    struct measured *m)
{
	const struct audit_platform *p = &inv->plat;

	memset(m, 0, sizeof(*m));
	m->iommu_hw = p->nos_units > 0;
	m->preboot = p->nfw > 0;
	for (int i = 0; i < p->nfw; i++) {
		m->iommu_hw = true;
		if (!p->fw[i].dma_opt_in)
			m->preboot = false;
		for (int w = 0; w < p->fw[i].nwindows; w++) {
			const struct audit_fw_window *win =
			    &p->fw[i].windows[w];
			size_t o = strlen(m->windows);

			if (in_scope(win, d))
				snprintf(m->windows + o, sizeof(m->windows) - o,
					 "%s%s 0x%llx-0x%llx", o ? ", " : "",
					 win->kind,
					 (unsigned long long)win->start,
					 (unsigned long long)win->end);
		}
	}
	m->ats_on = d->ats_en == AUDIT_YES;
	m->external = d->external == AUDIT_YES;
	for (int k = 0; k < d->nup; k++) {
		const struct audit_dev *b = &inv->devs[d->up[k]];

		if ((b->pcie_port_type == 4 || b->pcie_port_type == 6) &&
		    (b->acs_cap == AUDIT_NO ||
		     (b->acs_cap == AUDIT_YES &&
		      (b->acs_ctrl & 0x1d) != 0x1d))) {
			m->acs_gap = true;
			snprintf(m->acs_port, sizeof(m->acs_port), "%s",
				 b->bdf + 5);
			break;
		}
	}
}

/* Paths that no software model removes: they come from the device and the
 * platform, so every model lists them. */
static void common_paths(struct model_view *v, const struct measured *m)
{
	char b[240];

	if (m->windows[0]) {
		snprintf(b, sizeof(b), "firmware window always mapped: %s",
			 m->windows);
		addpath(v, b);
	}
	if (m->ats_on)
		addpath(v, "ATS on: translated requests use the device's own "
			   "cache, not the IOMMU tables");
	if (m->acs_gap) {
		snprintf(b, sizeof(b),
			 "peer-to-peer DMA below %s without ACS never reaches "
			 "the IOMMU",
			 m->acs_port);
		addpath(v, b);
	}
	if (m->external)
		addpath(v, "external port: an attached device chooses its own "
			   "requester ID and firmware");
}

static void build_views(const struct audit_inv *inv, const struct audit_dev *d,
			struct model_view v[3])
{
	struct measured m;
	const char *drv = d->driver[0] ? d->driver : "none bound now";

	measure(inv, d, &m);
	memset(v, 0, 3 * sizeof(*v));

	v[0].model = "driver-domain";
	v[0].title = "driver domain (Xen dom0 / Hyper-V parent partition)";
	snprintf(v[0].programs, sizeof(v[0].programs),
		 "the dom0/parent OS kernel's driver (here: %s)", drv);
	snprintf(v[0].reach, sizeof(v[0].reach), "%s",
		 m.iommu_hw ? "all dom0 RAM, not the hypervisor's (Xen's "
			      "default dom0 IOMMU mapping; dom0-iommu=strict "
			      "narrows it to mapped pages)"
			    : "all physical memory, the hypervisor's included "
			      "(no IOMMU on this platform)");
	v[0].trust[0] = "Xen / Hyper-V hypervisor";
	v[0].trust[1] = "dom0 / parent OS kernel and all its drivers";
	v[0].trust[2] = "firmware (DMAR/IVRS, SMM)";
	addpath(&v[0], "a compromised dom0 driver or kernel aims the device "
		       "at any dom0 memory and at guest pages mapped there");
	if (!m.iommu_hw)
		addpath(&v[0], "without an IOMMU the device also reaches the "
			       "hypervisor");
	common_paths(&v[0], &m);

	v[1].model = "in-hypervisor";
	v[1].title = "in-hypervisor drivers (VMware ESXi)";
	snprintf(v[1].programs, sizeof(v[1].programs),
		 "a vmkernel native driver inside the hypervisor");
	snprintf(v[1].reach, sizeof(v[1].reach), "%s",
		 m.iommu_hw ? "host memory the vmkernel driver maps; IOMMU use "
			      "for vmkernel-owned devices is not publicly "
			      "documented"
			    : "all physical memory (no IOMMU on this "
			      "platform)");
	v[1].trust[0] = "vmkernel and every driver linked into it";
	v[1].trust[1] = "firmware (DMAR/IVRS, SMM)";
	addpath(&v[1], "a driver bug is a hypervisor compromise: the device "
		       "is programmed from inside the TCB");
	common_paths(&v[1], &m);

	v[2].model = "thinhv";
	v[2].title = "thinhv under the OS";
	snprintf(v[2].programs, sizeof(v[2].programs),
		 "the unchanged Linux driver (here: %s)", drv);
	if (!m.iommu_hw)
		snprintf(v[2].reach, sizeof(v[2].reach),
			 "all physical memory: there is no IOMMU for thinhv "
			 "to program on this platform");
	else if (inv->plat.thinhv_loaded && !strcmp(inv->plat.owner, "os"))
		snprintf(v[2].reach, sizeof(v[2].reach),
			 "today: whatever the OS maps - thinhv is loaded but "
			 "the OS already owns the IOMMU, so thinhv confines "
			 "nothing");
	else if (inv->plat.thinhv_loaded)
		snprintf(v[2].reach, sizeof(v[2].reach),
			 "the domain thinhv's loaded policy gives it, never "
			 "its %d protected range(s) (per-device domains are "
			 "not reported by /dev/thinhv ABI 1)",
			 inv->plat.nhv_ranges);
	else
		snprintf(v[2].reach, sizeof(v[2].reach),
			 "the domain thinhv's policy gives it (default: OS "
			 "RAM minus thinhv-protected ranges); thinhv is not "
			 "loaded now");
	v[2].trust[0] = "thinhv.ko (lines counted below)";
	v[2].trust[1] = "CPU VMX/SVM and the IOMMU hardware";
	v[2].trust[2] = "firmware (DMAR/IVRS, SMM)";
	v[2].trust[3] = "the policy it enforces (measured into the TPM)";
	addpath(&v[2], "a compromised OS driver aims the device at any memory "
		       "the policy grants (by default the OS's own), never at "
		       "thinhv's");
	addpath(&v[2], m.preboot
			   ? "DMA between boot and thinhv's launch (firmware "
			     "pre-boot protection covers early boot)"
			   : "DMA between boot and thinhv's launch (late "
			     "launch; no firmware pre-boot protection flag)");
	if (!m.iommu_hw)
		addpath(&v[2], "no IOMMU: thinhv cannot confine DMA at all");
	common_paths(&v[2], &m);
}

static bool compared(const struct audit_dev *d)
{
	return audit_dev_is_master(d);
}

void audit_print_compare_text(const struct audit_inv *inv, FILE *f, bool colour)
{
	static const char *const th[] = { "MODEL", "COMPONENT", "SIZE",
					  "SOURCE" };
	struct audit_table t;
	char where[160], lines[64];
	long n = audit_count_thinhv_lines(where, sizeof(where));

	(void)colour;
	fprintf(f, "I/O models for the devices of %s\n", inv->label);
	for (int i = 0; i < inv->ndevs; i++) {
		const struct audit_dev *d = &inv->devs[i];
		struct model_view v[3];

		if (!compared(d))
			continue;
		build_views(inv, d, v);
		fprintf(f, "\n%s  %s [%04x:%04x]  driver %s\n", d->bdf,
			d->class_name, d->vendor, d->device,
			d->driver[0] ? d->driver : "-");
		fprintf(f, "  measured today: %s (%s)\n",
			audit_reach_name(d->reach), d->reach_why);
		for (int k = 0; k < 3; k++) {
			fprintf(f, "  [%s]\n", v[k].title);
			fprintf(f, "    programs it:  %s\n", v[k].programs);
			fprintf(f, "    can reach:    %s\n", v[k].reach);
			fprintf(f, "    must trust:   ");
			for (int q = 0; q < 4 && v[k].trust[q]; q++)
				fprintf(f, "%s%s", q ? "; " : "",
					v[k].trust[q]);
			fputc('\n', f);
			for (int q = 0; q < v[k].npaths; q++)
				fprintf(f, "    %s %s\n",
					q ? "             " : "attack paths:",
					v[k].paths[q]);
		}
	}
	if (n >= 0)
		snprintf(lines, sizeof(lines), "%ld lines", n);
	else
		snprintf(lines, sizeof(lines), "not counted");
	fprintf(f, "\nTrusted code (TCB)\n");
	audit_table_init(&t, 4, th);
	for (size_t i = 0; i < sizeof(tcb_parts) / sizeof(tcb_parts[0]); i++)
		audit_table_add(
		    &t, -1, tcb_parts[i].model, tcb_parts[i].component,
		    tcb_parts[i].size ? tcb_parts[i].size : lines,
		    tcb_parts[i].size ? tcb_parts[i].source : where);
	audit_table_print(&t, f, false);
	audit_table_free(&t);
	fprintf(f, "Sizes of Xen, Hyper-V and ESXi are approximate published "
		   "figures (orders of magnitude, version-dependent), not "
		   "measurements; thinhv's is counted from its source tree.\n");
}

void audit_json_compare_body(struct audit_json *j, const struct audit_inv *inv)
{
	char where[160];
	long n = audit_count_thinhv_lines(where, sizeof(where));

	audit_json_obj(j, "comparison");
	audit_json_obj(j, "thinhv_lines");
	if (n >= 0)
		audit_json_int(j, "count", n);
	else
		audit_json_null(j, "count");
	audit_json_str(j, "how", where);
	audit_json_obj_end(j);
	audit_json_arr(j, "tcb");
	for (size_t i = 0; i < sizeof(tcb_parts) / sizeof(tcb_parts[0]); i++) {
		audit_json_obj(j, NULL);
		audit_json_str(j, "model", tcb_parts[i].model);
		audit_json_str(j, "component", tcb_parts[i].component);
		if (tcb_parts[i].size)
			audit_json_str(j, "size", tcb_parts[i].size);
		else
			audit_json_null(j, "size");
		audit_json_str(j, "source", tcb_parts[i].source);
		audit_json_bool(j, "measured", !tcb_parts[i].size);
		audit_json_obj_end(j);
	}
	audit_json_arr_end(j);
	audit_json_arr(j, "devices");
	for (int i = 0; i < inv->ndevs; i++) {
		const struct audit_dev *d = &inv->devs[i];
		struct model_view v[3];

		if (!compared(d))
			continue;
		build_views(inv, d, v);
		audit_json_obj(j, NULL);
		audit_json_str(j, "bdf", d->bdf);
		audit_json_str(j, "measured_reach", audit_reach_name(d->reach));
		audit_json_arr(j, "models");
		for (int k = 0; k < 3; k++) {
			audit_json_obj(j, NULL);
			audit_json_str(j, "model", v[k].model);
			audit_json_str(j, "programmed_by", v[k].programs);
			audit_json_str(j, "can_reach", v[k].reach);
			audit_json_arr(j, "must_trust");
			for (int q = 0; q < 4 && v[k].trust[q]; q++)
				audit_json_str(j, NULL, v[k].trust[q]);
			audit_json_arr_end(j);
			audit_json_arr(j, "attack_paths");
			for (int q = 0; q < v[k].npaths; q++)
				audit_json_str(j, NULL, v[k].paths[q]);
			audit_json_arr_end(j);
			audit_json_obj_end(j);
		}
		audit_json_arr_end(j);
		audit_json_obj_end(j);
	}
	audit_json_arr_end(j);
	audit_json_obj_end(j);
}
