// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit_scanout.c - renders the scan inventory and findings as text tables
 * and as the body of the versioned JSON document (schema/) (host
 * userspace). Shared by `thinhv scan` and `thinhv report`.
 */
#include <stdio.h>
#include <string.h>

#include "auditcli/lib/audit.h"

static const char *tri(int v)
{
	return v < 0 ? "?" : v ? "yes" : "no";
}

/* "cap/en" column for ATS, PRI, PASID: "-", "cap", "on", "?". */
static const char *capen(int cap, int en)
{
	if (cap < 0)
		return "?";
	if (!cap)
		return "-";
	return en > 0 ? "on" : "cap";
}

static void acs_text(const struct audit_dev *d, char *b, size_t n)
{
	if (!d->is_bridge || d->acs_cap == AUDIT_NO)
		snprintf(b, n, "%s", d->is_bridge ? "none" : "-");
	else if (d->acs_cap == AUDIT_UNKNOWN)
		snprintf(b, n, "?");
	else
		snprintf(b, n, "%04x/%04x", d->acs_caps, d->acs_ctrl);
}

static void fw_line(const struct audit_fw *fw, char *b, size_t n)
{
	int rmrr = 0;

	if (!fw->length) {
		snprintf(b, n, "%s present, unreadable", fw->table);
		return;
	}
	for (int i = 0; i < fw->nwindows; i++)
		rmrr++;
	snprintf(b, n,
		 "%s rev %u OEM '%s': %d unit(s), %d %s window(s)%s, "
		 "pre-boot DMA protection %s%s%s%s%s",
		 fw->table, fw->revision, fw->oem, fw->nunits, rmrr,
		 !strcmp(fw->table, "DMAR") ? "RMRR" : "IVMD",
		 fw->natsr ? ", ATSR" : "", fw->dma_opt_in ? "yes" : "no",
		 fw->note[0] ? "; " : "", fw->note,
		 fw->nerrors ? "; MALFORMED: " : "", fw->error);
}

static void params_line(const struct audit_platform *p, char *b, size_t n)
{
	b[0] = '\0';
	if (p->param_intel_iommu[0])
		snprintf(b + strlen(b), n - strlen(b), "intel_iommu=%s ",
			 p->param_intel_iommu);
	if (p->param_amd_iommu[0])
		snprintf(b + strlen(b), n - strlen(b), "amd_iommu=%s ",
			 p->param_amd_iommu);
	if (p->param_iommu[0])
		snprintf(b + strlen(b), n - strlen(b), "iommu=%s ",
			 p->param_iommu);
	if (p->param_strict[0])
		snprintf(b + strlen(b), n - strlen(b), "iommu.strict=%s ",
			 p->param_strict);
	if (p->param_passthrough[0])
		snprintf(b + strlen(b), n - strlen(b), "iommu.passthrough=%s ",
			 p->param_passthrough);
	if (!b[0])
		snprintf(b, n, "(none: kernel defaults)");
	else
		b[strlen(b) - 1] = '\0';
}

static void print_platform(const struct audit_inv *inv, FILE *f)
{
	const struct audit_platform *p = &inv->plat;
	char b[512];
	int dma = 0, fq = 0, id = 0, other = 0;
	uint64_t ram = audit_ram_bytes(p);

	fprintf(f, "Platform\n");
	if (!p->nfw)
		fprintf(f, "  firmware tables   %s\n",
			p->fw_readable ? "no DMAR, no IVRS" : "unknown");
	for (int i = 0; i < p->nfw; i++) {
		fw_line(&p->fw[i], b, sizeof(b));
		fprintf(f, "  firmware tables   %s\n", b);
	}
	fprintf(f, "  DMA translation   %s (owner: %s)\n", p->translation,
		p->owner);
	b[0] = '\0';
	for (int i = 0; i < p->nos_units; i++)
		snprintf(b + strlen(b), sizeof(b) - strlen(b), "%s%s",
			 i ? " " : "", p->os_units[i]);
	fprintf(f, "  OS IOMMU units    %s\n", b[0] ? b : "none");
	for (int i = 0; i < p->ngroups; i++) {
		if (!strcmp(p->groups[i].type, "DMA"))
			dma++;
		else if (!strcmp(p->groups[i].type, "DMA-FQ"))
			fq++;
		else if (!strcmp(p->groups[i].type, "identity"))
			id++;
		else
			other++;
	}
	fprintf(f,
		"  IOMMU groups      %d (DMA %d, DMA-FQ %d, identity %d, other "
		"%d)\n",
		p->ngroups, dma, fq, id, other);
	params_line(p, b, sizeof(b));
	fprintf(f, "  kernel params     %s\n", b);
	fprintf(f, "  TPM               %s%s%s%s%s\n",
		p->tpm_present ? "present" : "none",
		p->tpm_version[0] ? ", version " : "", p->tpm_version,
		p->tpm_devs[0] ? ", " : "", p->tpm_devs);
	fprintf(f, "  thinhv            %s\n", p->thinhv_status);
	if (p->thinhv_status_read)
		fprintf(f,
			"                    %llu KiB owned, %llu exits, %llu "
			"denials, %u-level nested paging\n",
			p->hv.footprint >> 10, p->hv.exits, p->hv.denials,
			p->hv.paging_levels);
	for (int i = 0; i < p->nhv_ranges; i++)
		fprintf(f, "    protected       0x%llx-0x%llx %s\n",
			(unsigned long long)p->hv_ranges[i].start,
			(unsigned long long)p->hv_ranges[i].end,
			p->hv_ranges[i].what);
	if (p->mem_addresses_hidden)
		fprintf(f,
			"  System RAM        addresses hidden (needs root)\n");
	else
		fprintf(f, "  System RAM        %llu MiB in the memory map\n",
			(unsigned long long)(ram >> 20));
}

static void print_fw_tables(const struct audit_inv *inv, FILE *f, bool colour)
{
	const struct audit_platform *p = &inv->plat;
	static const char *const uh[] = { "TABLE", "UNIT", "BASE", "SEG",
					  "SCOPE" };
	static const char *const wh[] = { "TABLE", "WINDOW", "START", "END",
					  "SCOPE" };
	struct audit_table t;
	char base[32], seg[8], s2[32];

	audit_table_init(&t, 5, uh);
	for (int i = 0; i < p->nfw; i++)
		for (int u = 0; u < p->fw[i].nunits; u++) {
			const struct audit_fw_unit *un = &p->fw[i].units[u];
			char sc[300];

			snprintf(base, sizeof(base), "0x%llx",
				 (unsigned long long)un->base);
			snprintf(seg, sizeof(seg), "%u", un->segment);
			snprintf(sc, sizeof(sc), "%s%s",
				 un->include_all && !strcmp(un->kind, "DRHD")
				     ? "INCLUDE_PCI_ALL "
				     : "",
				 un->scope);
			audit_table_add(&t, -1, p->fw[i].table, un->kind, base,
					seg, sc);
		}
	if (t.nrow) {
		fprintf(f, "\nRemapping units (firmware)\n");
		audit_table_print(&t, f, colour);
	}
	audit_table_free(&t);
	audit_table_init(&t, 5, wh);
	for (int i = 0; i < p->nfw; i++)
		for (int w = 0; w < p->fw[i].nwindows; w++) {
			const struct audit_fw_window *win =
			    &p->fw[i].windows[w];

			snprintf(base, sizeof(base), "0x%llx",
				 (unsigned long long)win->start);
			snprintf(s2, sizeof(s2), "0x%llx",
				 (unsigned long long)win->end);
			audit_table_add(&t, -1, p->fw[i].table, win->kind, base,
					s2, win->scope);
		}
	if (t.nrow) {
		fprintf(f, "\nPermanent DMA windows (firmware)\n");
		audit_table_print(&t, f, colour);
	}
	audit_table_free(&t);
}

static void print_devices(const struct audit_inv *inv, FILE *f, bool colour)
{
	static const char *const h[] = { "BDF", "ID",	"CLASS", "DRIVER",
					 "BM",	"ATS",	"PRI",	 "PASID",
					 "ACS", "GROUP" };
	static const char *const h2[] = { "BDF", "EXT", "DMA REACH", "PATH",
					  "NAME" };
	struct audit_table t;

	fprintf(f, "\nPCI devices (%d)\n", inv->ndevs);
	audit_table_init(&t, 10, h);
	for (int i = 0; i < inv->ndevs; i++) {
		const struct audit_dev *d = &inv->devs[i];
		char id[16], acs[16], grp[40], cls[40];

		snprintf(id, sizeof(id), "%04x:%04x", d->vendor, d->device);
		snprintf(cls, sizeof(cls), "%.32s", d->class_name);
		acs_text(d, acs, sizeof(acs));
		if (d->iommu_group < 0)
			snprintf(grp, sizeof(grp), "-");
		else
			snprintf(grp, sizeof(grp), "%d %s", d->iommu_group,
				 d->domain_type);
		audit_table_add(
		    &t, -1, d->bdf, id, cls, d->driver[0] ? d->driver : "-",
		    d->bus_master ? "on" : "off", capen(d->ats_cap, d->ats_en),
		    capen(d->pri_cap, d->pri_en),
		    capen(d->pasid_cap, d->pasid_en), acs, grp);
	}
	audit_table_print(&t, f, colour);
	audit_table_free(&t);

	fputc('\n', f);
	audit_table_init(&t, 5, h2);
	for (int i = 0; i < inv->ndevs; i++) {
		const struct audit_dev *d = &inv->devs[i];
		char path[160], name[300], ext[120];

		audit_dev_path(inv, d, path, sizeof(path));
		snprintf(name, sizeof(name), "%.40s %.60s", d->vendor_name,
			 d->device_name);
		snprintf(ext, sizeof(ext), "%s%s%s%s", tri(d->external),
			 d->external_why[0] ? " (" : "", d->external_why,
			 d->external_why[0] ? ")" : "");
		audit_table_add(
		    &t, d->reach == AUDIT_REACH_ALL_RAM ? AUDIT_SEV_HIGH : -1,
		    d->bdf, ext, audit_reach_name(d->reach), path, name);
	}
	audit_table_print(&t, f, colour);
	audit_table_free(&t);
}

void audit_print_findings_text(const struct audit_findings *fs, FILE *f,
			       bool colour)
{
	int cnt[4] = { 0 };

	fprintf(f, "\nFindings (%d)\n", fs->n);
	for (int i = 0; i < fs->n; i++) {
		const struct audit_finding *x = &fs->f[i];
		const char *on = "", *off = "";

		if (colour) {
			on = x->sev == AUDIT_SEV_HIGH	  ? "\033[1;31m"
			     : x->sev == AUDIT_SEV_MEDIUM ? "\033[33m"
							  : "\033[36m";
			off = "\033[0m";
		}
		cnt[x->sev]++;
		if (*on)
			audit_text_sgr(f, on);
		fprintf(f, "%-6s %-13s %-14s %s", audit_sev_name(x->sev), x->id,
			x->subject, x->title);
		if (*off)
			audit_text_sgr(f, off);
		fputc('\n', f);
		fprintf(f, "       evidence: %s\n", x->evidence);
		fprintf(f, "       fix:      %s\n", x->remediation);
		if (x->hsi)
			fprintf(f, "       fwupd:    %s\n", x->hsi);
	}
	fprintf(f, "Summary: %d high, %d medium, %d low, %d info\n",
		cnt[AUDIT_SEV_HIGH], cnt[AUDIT_SEV_MEDIUM], cnt[AUDIT_SEV_LOW],
		cnt[AUDIT_SEV_INFO]);
}

void audit_print_scan_text(const struct audit_inv *inv,
			   const struct audit_findings *fs, FILE *f,
			   bool colour)
{
	fprintf(f, "thinhv scan of %s (%s, %s)\n\n", inv->label,
		!strcmp(inv->label, "live") ? "this machine" : "recording",
		inv->privileged ? "privileged" : "unprivileged");
	print_platform(inv, f);
	print_fw_tables(inv, f, colour);
	print_devices(inv, f, colour);
	if (inv->nlimits) {
		fprintf(f, "\nNot seen\n");
		for (int i = 0; i < inv->nlimits; i++)
			fprintf(f, "  - %s\n", inv->limits[i]);
	}
	if (fs)
		audit_print_findings_text(fs, f, colour);
}

/* ---------------------------------------------------------------- JSON */

static void json_fw(struct audit_json *j, const struct audit_fw *fw)
{
	audit_json_obj(j, NULL);
	audit_json_str(j, "table", fw->table);
	audit_json_bool(j, "readable", fw->length != 0);
	audit_json_int(j, "revision", fw->revision);
	audit_json_str(j, "oem", fw->oem);
	audit_json_bool(j, "dma_protection_opt_in", fw->dma_opt_in);
	if (!strcmp(fw->table, "DMAR")) {
		audit_json_hex(j, "flags", fw->flags);
		audit_json_int(j, "host_address_width", fw->haw);
		audit_json_int(j, "atsr_count", fw->natsr);
	} else {
		audit_json_hex(j, "ivinfo", fw->ivinfo);
	}
	audit_json_str(j, "note", fw->note);
	audit_json_int(j, "errors", fw->nerrors);
	audit_json_str(j, "error", fw->error);
	audit_json_arr(j, "units");
	for (int u = 0; u < fw->nunits; u++) {
		audit_json_obj(j, NULL);
		audit_json_str(j, "kind", fw->units[u].kind);
		audit_json_hex(j, "base", fw->units[u].base);
		audit_json_int(j, "segment", fw->units[u].segment);
		audit_json_bool(j, "include_all", fw->units[u].include_all);
		audit_json_str(j, "scope", fw->units[u].scope);
		audit_json_obj_end(j);
	}
	audit_json_arr_end(j);
	audit_json_arr(j, "windows");
	for (int w = 0; w < fw->nwindows; w++) {
		audit_json_obj(j, NULL);
		audit_json_str(j, "kind", fw->windows[w].kind);
		audit_json_hex(j, "start", fw->windows[w].start);
		audit_json_hex(j, "end", fw->windows[w].end);
		audit_json_str(j, "scope", fw->windows[w].scope);
		audit_json_obj_end(j);
	}
	audit_json_arr_end(j);
	audit_json_obj_end(j);
}

static void json_platform(struct audit_json *j, const struct audit_inv *inv)
{
	const struct audit_platform *p = &inv->plat;

	audit_json_obj(j, "platform");
	audit_json_arr(j, "firmware_tables");
	for (int i = 0; i < p->nfw; i++)
		json_fw(j, &p->fw[i]);
	audit_json_arr_end(j);
	audit_json_obj(j, "iommu");
	audit_json_str(j, "translation", p->translation);
	audit_json_str(j, "owner", p->owner);
	audit_json_arr(j, "os_units");
	for (int i = 0; i < p->nos_units; i++)
		audit_json_str(j, NULL, p->os_units[i]);
	audit_json_arr_end(j);
	audit_json_arr(j, "groups");
	for (int i = 0; i < p->ngroups; i++) {
		audit_json_obj(j, NULL);
		audit_json_int(j, "id", p->groups[i].id);
		audit_json_str(j, "type", p->groups[i].type);
		audit_json_int(j, "devices", p->groups[i].ndevs);
		audit_json_obj_end(j);
	}
	audit_json_arr_end(j);
	audit_json_obj_end(j);
	audit_json_obj(j, "kernel_params");
	audit_json_str(j, "intel_iommu", p->param_intel_iommu);
	audit_json_str(j, "amd_iommu", p->param_amd_iommu);
	audit_json_str(j, "iommu", p->param_iommu);
	audit_json_str(j, "iommu.strict", p->param_strict);
	audit_json_str(j, "iommu.passthrough", p->param_passthrough);
	audit_json_obj_end(j);
	audit_json_obj(j, "tpm");
	audit_json_bool(j, "present", p->tpm_present);
	audit_json_str(j, "version", p->tpm_version);
	audit_json_str(j, "devices", p->tpm_devs);
	audit_json_obj_end(j);
	audit_json_obj(j, "thinhv");
	audit_json_bool(j, "loaded", p->thinhv_loaded);
	audit_json_bool(j, "status_read", p->thinhv_status_read);
	audit_json_str(j, "status", p->thinhv_status);
	if (p->thinhv_status_read) {
		audit_json_str(j, "build", p->hv.build);
		audit_json_str(j, "backend", p->hv.backend);
		audit_json_int(j, "hv_abi", p->hv.hv_abi);
		audit_json_bool(j, "launched", p->hv.launched);
		audit_json_bool(j, "locked", p->hv.locked);
		audit_json_int(j, "cpus", p->hv.ncpus);
		audit_json_int(j, "paging_levels", p->hv.paging_levels);
		audit_json_int(j, "footprint_bytes",
			       (long long)p->hv.footprint);
		audit_json_int(j, "denials", (long long)p->hv.denials);
		audit_json_int(j, "exits", (long long)p->hv.exits);
		audit_json_arr(j, "protected_ranges");
		for (int i = 0; i < p->nhv_ranges; i++) {
			audit_json_obj(j, NULL);
			audit_json_str(j, "kind", p->hv_ranges[i].what);
			audit_json_hex(j, "start", p->hv_ranges[i].start);
			audit_json_hex(j, "end", p->hv_ranges[i].end);
			audit_json_obj_end(j);
		}
		audit_json_arr_end(j);
	}
	if (p->thinhv_faults < 0)
		audit_json_null(j, "faults");
	else
		audit_json_int(j, "faults", p->thinhv_faults);
	audit_json_obj_end(j);
	audit_json_obj(j, "memory_map");
	audit_json_bool(j, "addresses_hidden", p->mem_addresses_hidden);
	audit_json_hex(j, "system_ram_bytes", audit_ram_bytes(p));
	audit_json_arr(j, "ranges");
	for (int i = 0; i < p->nmem; i++) {
		audit_json_obj(j, NULL);
		audit_json_hex(j, "start", p->mem[i].start);
		audit_json_hex(j, "end", p->mem[i].end);
		audit_json_str(j, "type", p->mem[i].what);
		audit_json_obj_end(j);
	}
	audit_json_arr_end(j);
	audit_json_obj_end(j);
	audit_json_obj_end(j);
}

static void json_device(struct audit_json *j, const struct audit_inv *inv,
			const struct audit_dev *d)
{
	char b[16], path[160];

	audit_json_obj(j, NULL);
	audit_json_str(j, "bdf", d->bdf);
	snprintf(b, sizeof(b), "%04x", d->vendor);
	audit_json_str(j, "vendor_id", b);
	snprintf(b, sizeof(b), "%04x", d->device);
	audit_json_str(j, "device_id", b);
	snprintf(b, sizeof(b), "%06x", d->class_code);
	audit_json_str(j, "class", b);
	audit_json_str(j, "vendor", d->vendor_name);
	audit_json_str(j, "device", d->device_name);
	audit_json_str(j, "class_name", d->class_name);
	audit_json_str(j, "driver", d->driver);
	audit_json_bool(j, "bus_master", d->bus_master);
	audit_json_bool(j, "bridge", d->is_bridge);
	audit_json_bool(j, "pcie", d->pcie);
	audit_json_int(j, "config_bytes", (long long)d->cfglen);
	audit_json_obj(j, "ats");
	audit_json_tri(j, "capable", d->ats_cap);
	audit_json_tri(j, "enabled", d->ats_en);
	audit_json_obj_end(j);
	audit_json_obj(j, "pri");
	audit_json_tri(j, "capable", d->pri_cap);
	audit_json_tri(j, "enabled", d->pri_en);
	audit_json_obj_end(j);
	audit_json_obj(j, "pasid");
	audit_json_tri(j, "capable", d->pasid_cap);
	audit_json_tri(j, "enabled", d->pasid_en);
	audit_json_obj_end(j);
	audit_json_obj(j, "acs");
	audit_json_tri(j, "capable", d->acs_cap);
	if (d->acs_cap == AUDIT_YES) {
		audit_json_hex(j, "caps", d->acs_caps);
		audit_json_hex(j, "ctrl", d->acs_ctrl);
	}
	audit_json_obj_end(j);
	audit_json_arr(j, "upstream");
	for (int k = 0; k < d->nup; k++)
		audit_json_str(j, NULL, inv->devs[d->up[k]].bdf);
	audit_json_arr_end(j);
	audit_dev_path(inv, d, path, sizeof(path));
	audit_json_str(j, "path", path);
	if (d->iommu_group < 0)
		audit_json_null(j, "iommu_group");
	else
		audit_json_int(j, "iommu_group", d->iommu_group);
	audit_json_str(j, "domain_type", d->domain_type);
	audit_json_tri(j, "external", d->external);
	audit_json_str(j, "external_reason", d->external_why);
	audit_json_obj(j, "dma_reach");
	audit_json_str(j, "kind", audit_reach_name(d->reach));
	audit_json_str(j, "why", d->reach_why);
	audit_json_obj_end(j);
	audit_json_obj_end(j);
}

void audit_json_scan_body(struct audit_json *j, const struct audit_inv *inv,
			  const struct audit_findings *fs)
{
	int cnt[4] = { 0 };

	audit_json_obj(j, "source");
	audit_json_str(j, "label", inv->label);
	audit_json_bool(j, "privileged", inv->privileged);
	audit_json_arr(j, "not_seen");
	for (int i = 0; i < inv->nlimits; i++)
		audit_json_str(j, NULL, inv->limits[i]);
	audit_json_arr_end(j);
	audit_json_obj_end(j);
	json_platform(j, inv);
	audit_json_arr(j, "devices");
	for (int i = 0; i < inv->ndevs; i++)
		json_device(j, inv, &inv->devs[i]);
	audit_json_arr_end(j);
	audit_json_arr(j, "findings");
	for (int i = 0; i < fs->n; i++) {
		const struct audit_finding *x = &fs->f[i];

		cnt[x->sev]++;
		audit_json_obj(j, NULL);
		audit_json_str(j, "id", x->id);
		audit_json_str(j, "severity", audit_sev_name(x->sev));
		audit_json_str(j, "title", x->title);
		audit_json_str(j, "subject", x->subject);
		audit_json_str(j, "evidence", x->evidence);
		audit_json_str(j, "remediation", x->remediation);
		audit_json_obj_end(j);
	}
	audit_json_arr_end(j);
	/* Top level, where `thinhv verify` looks: the report states the
	 * isolation state measured into the TPM (docs/evidence.md). */
	if (inv->plat.thinhv_status_read && inv->plat.hv.isolation[0])
		audit_json_str(j, "isolation_state_sha256",
			       inv->plat.hv.isolation);
	audit_json_obj(j, "summary");
	audit_json_int(j, "devices", inv->ndevs);
	audit_json_int(j, "high", cnt[AUDIT_SEV_HIGH]);
	audit_json_int(j, "medium", cnt[AUDIT_SEV_MEDIUM]);
	audit_json_int(j, "low", cnt[AUDIT_SEV_LOW]);
	audit_json_int(j, "info", cnt[AUDIT_SEV_INFO]);
	audit_json_int(j, "exit_status", audit_findings_exit(fs));
	audit_json_obj_end(j);
}
