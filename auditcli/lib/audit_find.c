// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit_find.c - the findings engine: turns the gathered inventory into
 * findings with stable IDs, severity, evidence and remediation (host
 * userspace). The catalogue is documented in docs/audit.md; IDs are never
 * reused or renumbered.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditcli/lib/audit.h"
#include "thinhv/compat.h"

/* ACS control bits Linux requires for isolation (PCIe 5.0 7.7.8.3). */
#define ACS_SV 0x0001
#define ACS_RR 0x0004
#define ACS_CR 0x0008
#define ACS_UF 0x0010
#define ACS_NEEDED (ACS_SV | ACS_RR | ACS_CR | ACS_UF)

/* PCIe device/port types that route peer traffic (PCIe 5.0 7.5.3.2). */
#define PCIE_ROOT_PORT 0x4
#define PCIE_DOWNSTREAM 0x6

/* fwupd HSI attribute IDs (fwupd libfwupd/fwupd-security-attr-private.h).
 * Iommu is "Linux's IOMMU driver found", so under thinhv it reads not found
 * although DMA is confined (docs/audit.md). */
#define HSI_IOMMU "org.fwupd.hsi.Iommu"
#define HSI_PREBOOT_DMA "org.fwupd.hsi.PrebootDma"
#define HSI_TPM20 "org.fwupd.hsi.Tpm.Version20"

const struct audit_catalogue_entry audit_catalogue[] = {
	{ "THV-DMA-001", AUDIT_SEV_HIGH, "Device can DMA to all RAM",
	  "Enable the IOMMU in DMA-translation mode (intel_iommu=on or "
	  "amd_iommu=on, no iommu=pt) or load thinhv with a policy that "
	  "confines this device",
	  HSI_IOMMU },
	{ "THV-IOMMU-001", AUDIT_SEV_HIGH,
	  "IOMMU reported by firmware but DMA translation is off",
	  "Enable VT-d/AMD-Vi in firmware setup and boot with intel_iommu=on "
	  "/ amd_iommu=on (or load thinhv)",
	  HSI_IOMMU },
	{ "THV-IOMMU-002", AUDIT_SEV_HIGH, "No IOMMU reported by firmware",
	  "Enable VT-d/AMD-Vi (\"IOMMU\", \"Directed I/O\") in firmware setup; "
	  "without it no software can confine DMA",
	  HSI_IOMMU },
	{ "THV-IOMMU-003", AUDIT_SEV_HIGH, "Identity (passthrough) DMA domain",
	  "Remove iommu=pt / iommu.passthrough=1 and set the group's type to "
	  "DMA (echo DMA > /sys/kernel/iommu_groups/N/type with the driver "
	  "unbound)",
	  HSI_IOMMU },
	{ "THV-IOMMU-004", AUDIT_SEV_MEDIUM,
	  "Lazy IOTLB invalidation (DMA-FQ / iommu.strict=0)",
	  "Boot with iommu.strict=1 so unmapped pages are invalidated before "
	  "reuse",
	  NULL },
	{ "THV-ATS-001", AUDIT_SEV_HIGH, "ATS enabled on an external device",
	  "Disable ATS for external ports (pci=noats, or the kernel's "
	  "untrusted-device policy) - translated requests bypass the IOMMU "
	  "page tables",
	  NULL },
	{ "THV-ACS-001", AUDIT_SEV_MEDIUM, "Missing ACS on an upstream port",
	  "Use a port with ACS (Source Validation, Request/Completion "
	  "Redirect, Upstream Forwarding) enabled, or treat the devices below "
	  "it as one isolation unit",
	  NULL },
	{ "THV-FW-001", AUDIT_SEV_MEDIUM, "RMRR permanent DMA window",
	  "Check with the vendor whether the RMRR is needed after boot; "
	  "devices in its scope can always reach this range",
	  NULL },
	{ "THV-FW-002", AUDIT_SEV_MEDIUM, "IVMD permanent DMA window",
	  "Check with the vendor whether the IVMD range is needed after boot; "
	  "devices in its scope can always reach this range",
	  NULL },
	{ "THV-FW-003", AUDIT_SEV_MEDIUM, "Pre-boot DMA protection flag absent",
	  "Enable Kernel DMA Protection / DMA protection in firmware setup "
	  "(DMAR DMA_CTRL_PLATFORM_OPT_IN, IVinfo DMA remap support)",
	  HSI_PREBOOT_DMA },
	{ "THV-FW-004", AUDIT_SEV_HIGH, "Malformed DMA firmware table",
	  "Report the table to the firmware vendor; until fixed, the IOMMU "
	  "description is incomplete and neither Linux nor thinhv can be "
	  "assumed to cover every device",
	  NULL },
	{ "THV-HV-001", AUDIT_SEV_HIGH, "Hypervisor memory reachable by DMA",
	  "Load a thinhv policy that gives this device its own domain; "
	  "check that thinhv owns every remapping unit",
	  NULL },
	{ "THV-HV-002", AUDIT_SEV_MEDIUM, "DMA faults recorded",
	  "Read `thinhv status` fault log: a device tried to reach memory its "
	  "policy denies",
	  NULL },
	{ "THV-HV-003", AUDIT_SEV_MEDIUM,
	  "thinhv loaded but its live state was not read",
	  "Run with access to /dev/thinhv (root) and a build that reads its "
	  "status",
	  NULL },
	{ "THV-HV-004", AUDIT_SEV_MEDIUM, "thinhv loaded but not launched",
	  "Launch thinhv with a policy (`thinhv launch POLICY.xml`); until "
	  "then "
	  "nothing is virtualized and nothing is confined by it",
	  NULL },
	{ "THV-TPM-001", AUDIT_SEV_LOW, "No TPM",
	  "Enable the TPM (fTPM/PTT or discrete) in firmware setup; without "
	  "it isolation cannot be attested",
	  HSI_TPM20 },
	{ "THV-AUD-001", AUDIT_SEV_LOW, "Audit incomplete",
	  "Run as root (or record as root and replay) to see everything",
	  NULL },
};

const size_t audit_catalogue_len = HV_ARRAY_SIZE(audit_catalogue);

static const struct audit_catalogue_entry *cat_find(const char *id)
{
	for (size_t i = 0; i < audit_catalogue_len; i++)
		if (!strcmp(audit_catalogue[i].id, id))
			return &audit_catalogue[i];
	return NULL;
}

static void add(struct audit_findings *fs, const char *id, int sev,
		const char *subject, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void add(struct audit_findings *fs, const char *id, int sev,
		const char *subject, const char *fmt, ...)
{
	const struct audit_catalogue_entry *c = cat_find(id);
	struct audit_finding *f;
	va_list ap;

	if (!c)
		abort(); /* programming error: every ID is catalogued */
	if (fs->n == fs->cap) {
		int nc = fs->cap ? fs->cap * 2 : 16;
		struct audit_finding *nf = realloc(fs->f, nc * sizeof(*nf));

		if (!nf)
			return;
		fs->f = nf;
		fs->cap = nc;
	}
	f = &fs->f[fs->n++];
	memset(f, 0, sizeof(*f));
	f->id = c->id;
	f->sev = sev < 0 ? c->sev : sev;
	f->title = c->title;
	f->hsi = c->hsi;
	f->remediation = c->remediation;
	snprintf(f->subject, sizeof(f->subject), "%s", subject);
	va_start(ap, fmt);
	vsnprintf(f->evidence, sizeof(f->evidence), fmt, ap);
	va_end(ap);
}

const char *audit_sev_name(int sev)
{
	static const char *const n[] = { "info", "low", "medium", "high" };

	return sev >= 0 && sev <= AUDIT_SEV_HIGH ? n[sev] : "?";
}

static bool dma_master(const struct audit_dev *d)
{
	return audit_dev_is_master(d);
}

static void eval_devices(const struct audit_inv *inv, struct audit_findings *fs)
{
	const struct audit_platform *p = &inv->plat;

	for (int i = 0; i < inv->ndevs; i++) {
		const struct audit_dev *d = &inv->devs[i];

		if (!dma_master(d))
			continue;
		if (d->reach == AUDIT_REACH_ALL_RAM) {
			char ram[48];

			if (audit_ram_bytes(p))
				snprintf(
				    ram, sizeof(ram), "all %llu MiB of",
				    (unsigned long long)(audit_ram_bytes(p) >>
							 20));
			else
				snprintf(ram, sizeof(ram), "all");
			add(fs, "THV-DMA-001",
			    d->bus_master ? AUDIT_SEV_HIGH : AUDIT_SEV_MEDIUM,
			    d->bdf,
			    "%s %04x:%04x (%s), bus master %s: %s; reaches "
			    "%s System RAM%s",
			    d->class_name, d->vendor, d->device,
			    d->driver[0] ? d->driver : "no driver",
			    d->bus_master ? "on" : "off", d->reach_why, ram,
			    p->mem_addresses_hidden ? " (map hidden)" : "");
			if (p->thinhv_loaded)
				add(fs, "THV-HV-001", -1, d->bdf,
				    "thinhv is loaded but %s", d->reach_why);
		}
		if (d->ats_en == AUDIT_YES && d->external == AUDIT_YES)
			add(fs, "THV-ATS-001", -1, d->bdf,
			    "ATS control enable set; external: %s%s",
			    d->external_why,
			    d->pri_en == AUDIT_YES ? "; PRI enabled" : "");
	}
}

/* One finding per port lacking ACS, naming the masters below it. */
static void eval_acs(const struct audit_inv *inv, struct audit_findings *fs)
{
	for (int b = 0; b < inv->ndevs; b++) {
		const struct audit_dev *br = &inv->devs[b];
		char below[200] = "";
		int nbelow = 0;

		if (!br->is_bridge || br->acs_cap == AUDIT_UNKNOWN)
			continue;
		if (br->pcie_port_type != PCIE_ROOT_PORT &&
		    br->pcie_port_type != PCIE_DOWNSTREAM)
			continue;
		if (br->acs_cap == AUDIT_YES &&
		    (br->acs_ctrl & (br->acs_caps & ACS_NEEDED)) ==
			(br->acs_caps & ACS_NEEDED) &&
		    (br->acs_caps & ACS_NEEDED) == ACS_NEEDED)
			continue;
		for (int i = 0; i < inv->ndevs; i++) {
			const struct audit_dev *d = &inv->devs[i];

			if (!dma_master(d))
				continue;
			for (int k = 0; k < d->nup; k++)
				if (d->up[k] == b) {
					size_t o = strlen(below);

					snprintf(below + o, sizeof(below) - o,
						 "%s%s", nbelow ? " " : "",
						 d->bdf + 5);
					nbelow++;
				}
		}
		if (!nbelow)
			continue;
		if (br->acs_cap == AUDIT_NO)
			add(fs, "THV-ACS-001", -1, br->bdf,
			    "no ACS capability; below it: %s", below);
		else
			add(fs, "THV-ACS-001", -1, br->bdf,
			    "ACS caps 0x%04x ctrl 0x%04x lack SV/RR/CR/UF; "
			    "below it: %s",
			    br->acs_caps, br->acs_ctrl, below);
	}
}

static void eval_platform(const struct audit_inv *inv,
			  struct audit_findings *fs)
{
	const struct audit_platform *p = &inv->plat;
	bool any_fw = false;

	for (int i = 0; i < p->nfw; i++) {
		const struct audit_fw *fw = &p->fw[i];

		any_fw = true;
		if (!fw->length)
			continue; /* present but unreadable */
		for (int w = 0; w < fw->nwindows; w++) {
			const struct audit_fw_window *win = &fw->windows[w];
			char subj[32];

			snprintf(subj, sizeof(subj), "%s %d", win->kind, w);
			add(fs,
			    !strcmp(win->kind, "RMRR") ? "THV-FW-001"
						       : "THV-FW-002",
			    -1, subj, "0x%llx-0x%llx (%llu KiB) for %s",
			    (unsigned long long)win->start,
			    (unsigned long long)win->end,
			    (unsigned long long)((win->end - win->start + 1) >>
						 10),
			    win->scope[0] ? win->scope : "no scope");
		}
		if (fw->nerrors)
			add(fs, "THV-FW-004", -1, fw->table,
			    "%s; %d error(s): the summary above is the decoded "
			    "prefix only",
			    fw->error, fw->nerrors);
		if (!fw->dma_opt_in)
			add(fs, "THV-FW-003", -1, fw->table,
			    !strcmp(fw->table, "DMAR")
				? "DMAR flags 0x%02x: DMA_CTRL_PLATFORM_OPT_IN "
				  "(bit 2) clear"
				: "IVinfo 0x%08x: DMA remap support (bit 1) "
				  "clear",
			    !strcmp(fw->table, "DMAR") ? fw->flags
						       : fw->ivinfo);
	}
	if (!strcmp(p->owner, "none")) {
		if (any_fw)
			add(fs, "THV-IOMMU-001", -1, "platform",
			    "%s present; no IOMMU unit in "
			    "/sys/class/iommu%s%s%s",
			    p->fw[0].table,
			    p->param_intel_iommu[0] ? "; intel_iommu=" : "",
			    p->param_intel_iommu,
			    p->param_amd_iommu[0] ? "; amd_iommu set" : "");
		else if (p->fw_readable)
			add(fs, "THV-IOMMU-002", -1, "platform",
			    "no DMAR or IVRS in /sys/firmware/acpi/tables");
	}
	for (int g = 0; g < p->ngroups; g++) {
		const struct audit_group *gr = &p->groups[g];
		char subj[32];

		snprintf(subj, sizeof(subj), "group %d", gr->id);
		if (!strcmp(gr->type, "identity"))
			add(fs, "THV-IOMMU-003", -1, subj,
			    "type identity, %d device(s)%s%s%s%s", gr->ndevs,
			    p->param_iommu[0] ? "; iommu=" : "", p->param_iommu,
			    p->param_passthrough[0] ? "; iommu.passthrough="
						    : "",
			    p->param_passthrough);
		else if (!strcmp(gr->type, "DMA-FQ"))
			add(fs, "THV-IOMMU-004", -1, subj,
			    "type DMA-FQ (flush queue), %d device(s)",
			    gr->ndevs);
	}
	if (!strcmp(p->param_strict, "0") && !strcmp(p->owner, "os"))
		add(fs, "THV-IOMMU-004", -1, "cmdline", "iommu.strict=0");
	if (p->thinhv_loaded && !p->thinhv_status_read)
		add(fs, "THV-HV-003", -1, "thinhv", "%s", p->thinhv_status);
	if (p->thinhv_status_read && !p->hv.launched)
		add(fs, "THV-HV-004", -1, "thinhv", "%s", p->thinhv_status);
	if (p->thinhv_status_read && p->hv.launched &&
	    !strcmp(p->owner, "os")) {
		uint64_t bytes = 0;

		for (int i = 0; i < p->nhv_ranges; i++)
			bytes +=
			    p->hv_ranges[i].end - p->hv_ranges[i].start + 1;
		add(fs, "THV-HV-001", -1, "platform",
		    "the OS owns the IOMMU (%s): any OS driver can map "
		    "thinhv's "
		    "%d protected range(s), %llu KiB, into its device's domain",
		    p->os_units[0], p->nhv_ranges,
		    (unsigned long long)(bytes >> 10));
	}
	if (p->thinhv_faults > 0)
		add(fs, "THV-HV-002", -1, "thinhv", "%d fault record(s)",
		    p->thinhv_faults);
	if (!p->tpm_present)
		add(fs, "THV-TPM-001", -1, "platform",
		    "no /sys/class/tpm/tpm*, /dev/tpm0 or /dev/tpmrm0");
	for (int i = 0; i < inv->nlimits; i++)
		add(fs, "THV-AUD-001", -1, "audit", "%s", inv->limits[i]);
}

static int cmp_finding(const void *a, const void *b)
{
	const struct audit_finding *x = a, *y = b;
	int c;

	if (x->sev != y->sev)
		return y->sev - x->sev;
	c = strcmp(x->id, y->id);
	if (c)
		return c;
	c = strcmp(x->subject, y->subject);
	if (c)
		return c;
	return strcmp(x->evidence, y->evidence);
}

void audit_findings_eval(const struct audit_inv *inv,
			 struct audit_findings *out)
{
	memset(out, 0, sizeof(*out));
	eval_devices(inv, out);
	eval_acs(inv, out);
	eval_platform(inv, out);
	if (out->n)
		qsort(out->f, (size_t)out->n, sizeof(*out->f), cmp_finding);
}

void audit_findings_free(struct audit_findings *fs)
{
	free(fs->f);
	memset(fs, 0, sizeof(*fs));
}

int audit_findings_exit(const struct audit_findings *fs)
{
	int rc = 0;

	for (int i = 0; i < fs->n; i++) {
		if (fs->f[i].sev == AUDIT_SEV_HIGH)
			rc |= 2;
		else if (fs->f[i].sev != AUDIT_SEV_INFO)
			rc |= 1;
	}
	return rc;
}
