// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit_inv.c - gathers the audit inventory through the input source: PCI
 * devices (config space from sysfs `config`, names from libpci's pci.ids),
 * IOMMU groups and units, firmware DMAR/IVRS, kernel parameters, TPM,
 * thinhv presence and the physical memory map (host userspace).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <pci/pci.h>

#include "auditcli/lib/audit.h"
#include "thinhv/compat.h"
#include "thinhv/thinhv_ioctl.h"
#include "attest/lib/att.h"
#include "thinhv/tcg_log.h"

#define PCI_DEVS "/sys/bus/pci/devices"

/* PCI config space (PCI Local Bus 3.0 ch. 6, PCIe Base 5.0 ch. 7) */
#define CFG_COMMAND 0x04
#define CFG_CMD_BUS_MASTER 0x0004
#define CFG_STATUS 0x06
#define CFG_STATUS_CAPLIST 0x0010
#define CFG_REVISION 0x08
#define CFG_HEADER_TYPE 0x0e
#define CFG_SEC_BUS 0x19
#define CFG_SUB_BUS 0x1a
#define CFG_CAP_PTR 0x34
#define CAP_ID_PCIE 0x10
#define PCIE_FLAGS 0x02 /* bits 7:4 device/port type, bit 8 slot */
#define PCIE_SLOTCAP 0x14
#define PCIE_SLOTCAP_HPC 0x0040 /* hot-plug capable */
#define EXT_ACS 0x000d
#define EXT_ATS 0x000f
#define EXT_PRI 0x0013
#define EXT_PASID 0x001b
#define ATS_CTRL 0x06
#define ATS_CTRL_EN 0x8000
#define PRI_CTRL 0x04
#define PRI_CTRL_EN 0x0001
#define PASID_CTRL 0x06
#define PASID_CTRL_EN 0x0001
#define ACS_CAP 0x04
#define ACS_CTRL 0x06

static void ierr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void ierr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static void limit(struct audit_inv *inv, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void limit(struct audit_inv *inv, const char *fmt, ...)
{
	va_list ap;

	if (inv->nlimits >= (int)HV_ARRAY_SIZE(inv->limits))
		return;
	va_start(ap, fmt);
	vsnprintf(inv->limits[inv->nlimits++], sizeof(inv->limits[0]), fmt, ap);
	va_end(ap);
}

static const char *errtext(int rc)
{
	if (rc == -ELOOP || rc == -EXDEV)
		return "symbolic link inside the recording refused (replay "
		       "never follows links)";
	if (rc == -E2BIG)
		return "more entries than any sysfs directory has";
	return strerror(-rc);
}

/* Lists a directory; absence is data (-ENOENT), anything else is an error
 * that names the directory. */
static int list_checked(struct audit_src *s, const char *path, char ***names,
			size_t *n, char *err, size_t errlen)
{
	char where[512];
	int rc = audit_src_list(s, path, names, n);

	if (!rc || rc == -ENOENT)
		return rc;
	ierr(err, errlen, "%s: %s",
	     audit_src_where(s, path, where, sizeof(where)), errtext(rc));
	return -EINVAL;
}

static uint16_t cfg16(const struct audit_dev *d, size_t off)
{
	return hv_fits(off, 2, d->cfglen) ? hv_le16(d->cfg + off) : 0;
}

static uint32_t cfg32(const struct audit_dev *d, size_t off)
{
	return hv_fits(off, 4, d->cfglen) ? hv_le32(d->cfg + off) : 0;
}

/* Reads a small sysfs text file, stripping the trailing newline. */
static int read_text(struct audit_src *s, const char *path, char *out,
		     size_t outlen)
{
	char *b;
	size_t n;
	int rc = audit_src_read(s, path, outlen - 1, &b, &n);

	if (rc)
		return rc;
	while (n && (b[n - 1] == '\n' || b[n - 1] == ' '))
		b[--n] = '\0';
	memcpy(out, b, n + 1);
	free(b);
	return 0;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* Walks the capability lists; a malformed list in a recording is an error. */
static int parse_caps(struct audit_dev *d, const char *where, char *err,
		      size_t errlen)
{
	unsigned int off, guard;

	d->pcie_port_type = -1;
	d->ats_cap = d->ats_en = d->pri_cap = d->pri_en = AUDIT_UNKNOWN;
	d->pasid_cap = d->pasid_en = d->acs_cap = AUDIT_UNKNOWN;
	if (!d->caps_readable)
		return 0;
	if (!(cfg16(d, CFG_STATUS) & CFG_STATUS_CAPLIST))
		goto ext;
	off = d->cfg[CFG_CAP_PTR] & 0xfc;
	for (guard = 0; off; guard++) {
		if (off < 0x40 || off > 0xfc || guard > 48) {
			ierr(err, errlen,
			     "%s: capability list broken at config offset "
			     "0x%x%s",
			     where, off, guard > 48 ? " (loop)" : "");
			return -EINVAL;
		}
		if (d->cfg[off] == CAP_ID_PCIE) {
			uint16_t fl = cfg16(d, off + PCIE_FLAGS);

			d->pcie = true;
			d->pcie_port_type = (fl >> 4) & 0xf;
			if ((fl & 0x100) &&
			    (cfg32(d, off + PCIE_SLOTCAP) & PCIE_SLOTCAP_HPC) &&
			    !d->external_why[0])
				snprintf(d->external_why,
					 sizeof(d->external_why),
					 "hot-plug slot");
		}
		off = d->cfg[off + 1] & 0xfc;
	}
ext:
	if (!d->pcie)
		goto done; /* conventional PCI: none of these exist */
	if (!d->ext_readable)
		return 0;
	d->ats_cap = d->pri_cap = d->pasid_cap = d->acs_cap = AUDIT_NO;
	off = 0x100;
	for (guard = 0; off; guard++) {
		uint32_t h;

		if (off < 0x100 || off > 0xffc || guard > 960) {
			ierr(err, errlen,
			     "%s: extended capability list broken at config "
			     "offset 0x%x%s",
			     where, off, guard > 960 ? " (loop)" : "");
			return -EINVAL;
		}
		h = cfg32(d, off);
		if (!h || h == 0xffffffff)
			break;
		switch (h & 0xffff) {
		case EXT_ATS:
			d->ats_cap = AUDIT_YES;
			d->ats_en = !!(cfg16(d, off + ATS_CTRL) & ATS_CTRL_EN);
			break;
		case EXT_PRI:
			d->pri_cap = AUDIT_YES;
			d->pri_en = !!(cfg16(d, off + PRI_CTRL) & PRI_CTRL_EN);
			break;
		case EXT_PASID:
			d->pasid_cap = AUDIT_YES;
			d->pasid_en =
			    !!(cfg16(d, off + PASID_CTRL) & PASID_CTRL_EN);
			break;
		case EXT_ACS:
			d->acs_cap = AUDIT_YES;
			d->acs_caps = cfg16(d, off + ACS_CAP);
			d->acs_ctrl = cfg16(d, off + ACS_CTRL);
			break;
		default:
			break;
		}
		off = (h >> 20) & 0xffc;
	}
done:
	if (d->ats_cap == AUDIT_NO)
		d->ats_en = AUDIT_NO;
	if (d->pri_cap == AUDIT_NO)
		d->pri_en = AUDIT_NO;
	if (d->pasid_cap == AUDIT_NO)
		d->pasid_en = AUDIT_NO;
	if (!d->pcie) {
		d->ats_cap = d->ats_en = d->pri_cap = d->pri_en = AUDIT_NO;
		d->pasid_cap = d->pasid_en = d->acs_cap = AUDIT_NO;
	}
	return 0;
}

static void lookup_names(struct pci_access *pa, struct audit_dev *d)
{
	char *r;

	if (!pa) {
		snprintf(d->vendor_name, sizeof(d->vendor_name), "%04x",
			 d->vendor);
		snprintf(d->device_name, sizeof(d->device_name), "%04x",
			 d->device);
		snprintf(d->class_name, sizeof(d->class_name), "%04x",
			 d->class_code >> 8);
		return;
	}
	r = pci_lookup_name(pa, d->vendor_name, sizeof(d->vendor_name),
			    PCI_LOOKUP_VENDOR | PCI_LOOKUP_NO_HWDB, d->vendor);
	if (!r)
		snprintf(d->vendor_name, sizeof(d->vendor_name), "%04x",
			 d->vendor);
	r = pci_lookup_name(pa, d->device_name, sizeof(d->device_name),
			    PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_HWDB, d->vendor,
			    d->device);
	if (!r)
		snprintf(d->device_name, sizeof(d->device_name), "%04x",
			 d->device);
	r = pci_lookup_name(pa, d->class_name, sizeof(d->class_name),
			    PCI_LOOKUP_CLASS | PCI_LOOKUP_NO_HWDB,
			    d->class_code >> 8);
	if (!r)
		snprintf(d->class_name, sizeof(d->class_name), "%04x",
			 d->class_code >> 8);
}

static void pci_quiet(char *msg, ...)
{
	(void)msg;
}

static __attribute__((noreturn)) void pci_fatal(char *msg, ...)
{
	va_list ap;

	/* libpci's error handler must not return; this only fires for
	 * access methods, which the audit never initialises. */
	va_start(ap, msg);
	fprintf(stderr, "thinhv: error: libpci: ");
	vfprintf(stderr, msg, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(4);
}

static int gather_device(struct audit_src *s, const char *name,
			 struct audit_dev *d, struct pci_access *pa, char *err,
			 size_t errlen)
{
	char path[256], where[512], link[256], txt[64];
	char *cfg;
	size_t len;
	int rc;
	char extra;

	memset(d, 0, sizeof(*d));
	d->iommu_group = -1;
	if (strlen(name) != 12 ||
	    sscanf(name, "%4x:%2x:%2x.%1u%c", &d->seg, &d->bus, &d->dev, &d->fn,
		   &extra) != 4 ||
	    d->dev > 31 || d->fn > 7) {
		ierr(err, errlen, "%s: entry '%s' is not a PCI address",
		     audit_src_where(s, PCI_DEVS, where, sizeof(where)), name);
		return -EINVAL;
	}
	snprintf(d->bdf, sizeof(d->bdf), "%s", name);
	snprintf(path, sizeof(path), PCI_DEVS "/%s/config", name);
	audit_src_where(s, path, where, sizeof(where));
	rc = audit_src_read(s, path, sizeof(d->cfg), &cfg, &len);
	if (rc) {
		ierr(err, errlen, "%s: cannot read config space: %s", where,
		     errtext(rc));
		return -EINVAL;
	}
	if (len != 64 && len != 256 && len != 4096) {
		ierr(err, errlen,
		     "%s: %zu bytes; PCI config space must be 64, 256 or 4096 "
		     "bytes",
		     where, len);
		free(cfg);
		return -EINVAL;
	}
	memcpy(d->cfg, cfg, len);
	free(cfg);
	d->cfglen = len;
	d->caps_readable = len >= 256;
	d->ext_readable = len == 4096;
	d->vendor = hv_le16(d->cfg);
	d->device = hv_le16(d->cfg + 2);
	if (d->vendor == 0xffff || d->vendor == 0) {
		ierr(err, errlen, "%s: offset 0: vendor id 0x%04x is invalid",
		     where, d->vendor);
		return -EINVAL;
	}
	d->revision = d->cfg[CFG_REVISION];
	d->class_code = hv_le32(d->cfg + CFG_REVISION) >> 8;
	d->header_type = d->cfg[CFG_HEADER_TYPE];
	d->multifunction = d->header_type & 0x80;
	d->is_bridge = (d->header_type & 0x7f) == 1;
	if (d->is_bridge) {
		d->sec_bus = d->cfg[CFG_SEC_BUS];
		d->sub_bus = d->cfg[CFG_SUB_BUS];
	}
	d->bus_master = hv_le16(d->cfg + CFG_COMMAND) & CFG_CMD_BUS_MASTER;
	rc = parse_caps(d, where, err, errlen);
	if (rc)
		return rc;

	snprintf(path, sizeof(path), PCI_DEVS "/%s/driver", name);
	if (!audit_src_readlink(s, path, link, sizeof(link)))
		snprintf(d->driver, sizeof(d->driver), "%.63s",
			 base_name(link));
	snprintf(path, sizeof(path), PCI_DEVS "/%s/iommu_group", name);
	if (!audit_src_readlink(s, path, link, sizeof(link))) {
		const char *g = base_name(link);
		char *endp;
		long v = strtol(g, &endp, 10);

		if (!*g || *endp || v < 0 || v > 1000000) {
			ierr(err, errlen,
			     "%s: iommu_group link '%s' does not end in a "
			     "group number",
			     audit_src_where(s, path, where, sizeof(where)),
			     link);
			return -EINVAL;
		}
		d->iommu_group = (int)v;
	}
	snprintf(path, sizeof(path), PCI_DEVS "/%s/removable", name);
	d->external = AUDIT_NO;
	if (!read_text(s, path, txt, sizeof(txt))) {
		if (!strcmp(txt, "removable")) {
			d->external = AUDIT_YES;
			snprintf(d->external_why, sizeof(d->external_why),
				 "sysfs removable (external-facing port)");
		} else if (strcmp(txt, "fixed") && strcmp(txt, "unknown")) {
			ierr(err, errlen,
			     "%s: '%s' is not removable/fixed/unknown",
			     audit_src_where(s, path, where, sizeof(where)),
			     txt);
			return -EINVAL;
		}
	}
	lookup_names(pa, d);
	return 0;
}

/* Upstream bridges from bus numbers: the bridge whose secondary bus is the
 * device's bus, then that bridge's own upstream bridge, and so on. */
static void link_upstream(struct audit_inv *inv)
{
	for (int i = 0; i < inv->ndevs; i++) {
		struct audit_dev *d = &inv->devs[i];
		unsigned int bus = d->bus, seg = d->seg;

		while (d->nup < AUDIT_MAX_UP) {
			int found = -1;

			for (int j = 0; j < inv->ndevs; j++) {
				const struct audit_dev *b = &inv->devs[j];

				if (b->is_bridge && b->seg == seg &&
				    b->sec_bus == bus && b->sec_bus != b->bus &&
				    j != i) {
					found = j;
					break;
				}
			}
			if (found < 0)
				break;
			for (int k = 0; k < d->nup; k++)
				if (d->up[k] == found)
					found = -1; /* loop in bus numbers */
			if (found < 0)
				break;
			d->up[d->nup++] = found;
			bus = inv->devs[found].bus;
		}
		/* Thunderbolt/USB4 bridges upstream mean an external port. */
		for (int k = 0; k < d->nup && d->external != AUDIT_YES; k++) {
			const struct audit_dev *b = &inv->devs[d->up[k]];

			if (strstr(b->device_name, "Thunderbolt") ||
			    strstr(b->device_name, "USB4") ||
			    b->external == AUDIT_YES) {
				d->external = AUDIT_YES;
				snprintf(d->external_why,
					 sizeof(d->external_why),
					 "behind %s (%s)", b->bdf + 5,
					 b->external == AUDIT_YES
					     ? "external-facing"
					     : "Thunderbolt/USB4 bridge");
			}
		}
	}
}

static const char *const domain_types[] = { "DMA", "DMA-FQ", "identity",
					    "blocked", "unmanaged" };

static int gather_groups(struct audit_src *s, struct audit_inv *inv, char *err,
			 size_t errlen)
{
	struct audit_platform *p = &inv->plat;
	char **names, path[256], where[512];
	size_t n;

	int rc = list_checked(s, "/sys/kernel/iommu_groups", &names, &n, err,
			      errlen);

	if (rc)
		return rc == -ENOENT ? 0 : rc;
	for (size_t i = 0; i < n && p->ngroups < (int)HV_ARRAY_SIZE(p->groups);
	     i++) {
		struct audit_group *g = &p->groups[p->ngroups];
		char *endp, **devs;
		size_t nd;
		long v = strtol(names[i], &endp, 10);
		bool ok = false;

		if (!names[i][0] || *endp || v < 0 || v > 1000000) {
			ierr(err, errlen,
			     "%s: entry '%s' is not a group number",
			     audit_src_where(s, "/sys/kernel/iommu_groups",
					     where, sizeof(where)),
			     names[i]);
			audit_strv_free(names, n);
			return -EINVAL;
		}
		g->id = (int)v;
		snprintf(path, sizeof(path), "/sys/kernel/iommu_groups/%s/type",
			 names[i]);
		if (!read_text(s, path, g->type, sizeof(g->type))) {
			for (size_t k = 0; k < HV_ARRAY_SIZE(domain_types); k++)
				ok |= !strcmp(g->type, domain_types[k]);
			if (!ok) {
				ierr(err, errlen,
				     "%s: unknown domain type '%s'",
				     audit_src_where(s, path, where,
						     sizeof(where)),
				     g->type);
				audit_strv_free(names, n);
				return -EINVAL;
			}
		} else {
			snprintf(g->type, sizeof(g->type), "unknown");
		}
		snprintf(path, sizeof(path),
			 "/sys/kernel/iommu_groups/%s/devices", names[i]);
		rc = list_checked(s, path, &devs, &nd, err, errlen);
		if (rc == -EINVAL) {
			audit_strv_free(names, n);
			return rc;
		}
		if (!rc) {
			g->ndevs = (int)nd;
			audit_strv_free(devs, nd);
		}
		p->ngroups++;
	}
	audit_strv_free(names, n);
	for (int i = 0; i < inv->ndevs; i++)
		for (int k = 0; k < p->ngroups; k++)
			if (p->groups[k].id == inv->devs[i].iommu_group)
				snprintf(inv->devs[i].domain_type,
					 sizeof(inv->devs[i].domain_type), "%s",
					 p->groups[k].type);
	return 0;
}

static int gather_fw(struct audit_src *s, struct audit_inv *inv, char *err,
		     size_t errlen)
{
	static const char *const tabs[] = { "DMAR", "IVRS" };
	struct audit_platform *p = &inv->plat;
	char **names, path[128], where[512], ferr_[256];
	size_t n;

	int lrc;

	p->fw_readable = true;
	lrc = list_checked(s, "/sys/firmware/acpi/tables", &names, &n, err,
			   errlen);
	if (lrc == -EINVAL)
		return lrc;
	if (lrc) {
		p->fw_readable = false;
		limit(inv, "/sys/firmware/acpi/tables not listable: no ACPI "
			   "table information");
		return 0;
	}
	for (size_t t = 0; t < HV_ARRAY_SIZE(tabs); t++) {
		bool present = false;
		char *buf;
		size_t len;
		int rc;

		for (size_t i = 0; i < n; i++)
			present |= !strcmp(names[i], tabs[t]);
		if (!present)
			continue;
		snprintf(path, sizeof(path), "/sys/firmware/acpi/tables/%s",
			 tabs[t]);
		rc = audit_src_read(s, path, 1 << 20, &buf, &len);
		if (rc == -EACCES || rc == -EPERM) {
			p->fw_readable = false;
			limit(inv, "%s present but unreadable (needs root)",
			      tabs[t]);
			snprintf(p->fw[p->nfw++].table, 8, "%s", tabs[t]);
			continue;
		}
		if (rc) {
			ierr(err, errlen, "%s: %s",
			     audit_src_where(s, path, where, sizeof(where)),
			     strerror(-rc));
			audit_strv_free(names, n);
			return -EINVAL;
		}
		rc = audit_fw_decode(tabs[t], (const uint8_t *)buf, len, inv,
				     &p->fw[p->nfw], ferr_, sizeof(ferr_));
		free(buf);
		if (rc) {
			ierr(err, errlen, "%s: %s",
			     audit_src_where(s, path, where, sizeof(where)),
			     ferr_);
			audit_strv_free(names, n);
			return -EINVAL;
		}
		p->nfw++;
	}
	audit_strv_free(names, n);
	return 0;
}

/* Value of NAME= in the kernel command line (last one wins, as in Linux). */
static void cmd_param(const char *cmd, const char *name, char *out,
		      size_t outlen)
{
	size_t nl = strlen(name);
	const char *p = cmd;

	out[0] = '\0';
	while (*p) {
		const char *e;

		while (*p == ' ')
			p++;
		if (!strncmp(p, "--", 2) && (p[2] == ' ' || !p[2]))
			break; /* the rest belongs to init */
		e = p;
		while (*e && *e != ' ')
			e++;
		if ((size_t)(e - p) > nl && !strncmp(p, name, nl) &&
		    p[nl] == '=') {
			size_t vl = (size_t)(e - p) - nl - 1;

			if (vl >= outlen)
				vl = outlen - 1;
			memcpy(out, p + nl + 1, vl);
			out[vl] = '\0';
		}
		p = e;
	}
}

static void gather_cmdline(struct audit_src *s, struct audit_inv *inv)
{
	struct audit_platform *p = &inv->plat;

	if (read_text(s, "/proc/cmdline", p->cmdline, sizeof(p->cmdline))) {
		limit(inv, "/proc/cmdline unreadable");
		return;
	}
	for (char *c = p->cmdline; *c; c++)
		if (!isprint((unsigned char)*c))
			*c = '?';
	cmd_param(p->cmdline, "intel_iommu", p->param_intel_iommu,
		  sizeof(p->param_intel_iommu));
	cmd_param(p->cmdline, "amd_iommu", p->param_amd_iommu,
		  sizeof(p->param_amd_iommu));
	cmd_param(p->cmdline, "iommu", p->param_iommu, sizeof(p->param_iommu));
	cmd_param(p->cmdline, "iommu.strict", p->param_strict,
		  sizeof(p->param_strict));
	cmd_param(p->cmdline, "iommu.passthrough", p->param_passthrough,
		  sizeof(p->param_passthrough));
}

static void gather_tpm(struct audit_src *s, struct audit_inv *inv)
{
	struct audit_platform *p = &inv->plat;
	char **names, path[128], v[16];
	size_t n;

	if (!audit_src_list(s, "/sys/class/tpm", &names, &n)) {
		for (size_t i = 0; i < n; i++) {
			if (strncmp(names[i], "tpm", 3) ||
			    !strncmp(names[i], "tpmrm", 5))
				continue;
			p->tpm_present = true;
			snprintf(path, sizeof(path),
				 "/sys/class/tpm/%s/tpm_version_major",
				 names[i]);
			if (!read_text(s, path, v, sizeof(v)) &&
			    !p->tpm_version[0])
				snprintf(p->tpm_version, sizeof(p->tpm_version),
					 "%s",
					 !strcmp(v, "2")   ? "2.0"
					 : !strcmp(v, "1") ? "1.2"
							   : "?");
			break;
		}
		audit_strv_free(names, n);
	}
	if (audit_src_exists(s, "/dev/tpm0")) {
		p->tpm_present = true;
		snprintf(p->tpm_devs, sizeof(p->tpm_devs), "/dev/tpm0");
	}
	if (audit_src_exists(s, "/dev/tpmrm0")) {
		p->tpm_present = true;
		snprintf(p->tpm_devs + strlen(p->tpm_devs),
			 sizeof(p->tpm_devs) - strlen(p->tpm_devs), "%s",
			 p->tpm_devs[0] ? " /dev/tpmrm0" : "/dev/tpmrm0");
	}
}

static int gather_iomem(struct audit_src *s, struct audit_inv *inv, char *err,
			size_t errlen)
{
	struct audit_platform *p = &inv->plat;
	char *buf, *line, *save = NULL, where[512];
	size_t len;
	int lineno = 0;
	bool nonzero = false;

	if (audit_src_read(s, "/proc/iomem", 1 << 20, &buf, &len)) {
		limit(inv, "/proc/iomem unreadable: no memory map");
		return 0;
	}
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long long a, b;
		int consumed = 0;

		lineno++;
		if (line[0] == ' ')
			continue; /* nested entries: only the top level */
		if (sscanf(line, "%llx-%llx : %n", &a, &b, &consumed) != 2 ||
		    !consumed || b < a) {
			ierr(err, errlen, "%s:%d: expected 'start-end : name'",
			     audit_src_where(s, "/proc/iomem", where,
					     sizeof(where)),
			     lineno);
			free(buf);
			return -EINVAL;
		}
		nonzero |= a || b;
		if (p->nmem < (int)HV_ARRAY_SIZE(p->mem)) {
			struct audit_range *r = &p->mem[p->nmem++];

			r->start = a;
			r->end = b;
			snprintf(r->what, sizeof(r->what), "%s",
				 line + consumed);
		}
	}
	free(buf);
	if (p->nmem && !nonzero) {
		p->mem_addresses_hidden = true;
		limit(inv, "/proc/iomem addresses are hidden from non-root");
	}
	return 0;
}

#define HV_STATUS_PATH "/dev/thinhv.status"
#define HV_STATUS_MAGIC "thinhv-status 1"

static const char *const hv_range_kinds[] = { "hv-mem", "hv-code", "mmio",
					      "iommu", "test" };

/*
 * Live /dev/thinhv answer as text (docs/audit.md "thinhv status"), so that
 * --record can keep it and --replay parse the same bytes.
 */
static int hv_status_produce(char **buf, size_t *len)
{
	struct thinhv_version v;
	struct thinhv_state st;
	FILE *f;
	int fd = open(THINHV_DEV, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	v.abi = THINHV_IOCTL_ABI;
	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	st.abi = THINHV_IOCTL_ABI;
	if (ioctl(fd, THINHV_IOC_VERSION, &v) ||
	    ioctl(fd, THINHV_IOC_STATE, &st)) {
		rc = -errno;
		close(fd);
		return rc;
	}
	f = open_memstream(buf, len);
	if (!f) {
		close(fd);
		return -ENOMEM;
	}
	v.build[sizeof(v.build) - 1] = '\0';
	for (char *c = v.build; *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			*c = '?';
	fprintf(f, HV_STATUS_MAGIC "\nbuild: %s\nbackend: %s\nhv_abi: %u\n",
		v.build,
		v.backend == THINHV_BACKEND_SVM	  ? "svm"
		: v.backend == THINHV_BACKEND_VMX ? "vmx"
						  : "none",
		v.hv_abi);
	fprintf(f,
		"launched: %u\nlocked: %u\nncpus: %u\npaging_levels: %u\n"
		"footprint: %llu\ndenials: %llu\nexits: %llu\n",
		st.launched, st.locked, st.ncpus, st.paging_levels,
		(unsigned long long)st.footprint,
		(unsigned long long)st.denials, (unsigned long long)st.exits);
	/* Bounded: the module reports count; never trust it beyond 4096. */
	for (unsigned int i = 0; i < st.nranges && i < 4096; i++) {
		struct thinhv_range r;

		memset(&r, 0, sizeof(r));
		r.size = sizeof(r);
		r.abi = THINHV_IOCTL_ABI;
		r.index = i;
		if (ioctl(fd, THINHV_IOC_RANGE, &r))
			break;
		fprintf(f, "range: %s 0x%llx 0x%llx %u\n",
			r.kind < HV_ARRAY_SIZE(hv_range_kinds)
			    ? hv_range_kinds[r.kind]
			    : "unknown",
			(unsigned long long)r.base, (unsigned long long)r.len,
			r.access);
	}
	close(fd);
	/* The measured isolation state, as the launch event log has it. */
	{
		uint8_t *log = NULL, dig[32];
		size_t loglen = 0;

		if (!att_hv_log_read(&log, &loglen) &&
		    !att_hv_log_digest(log, loglen, ATT_TAG_ISOLATION, dig)) {
			fprintf(f, "isolation_state_sha256: ");
			for (int i = 0; i < 32; i++)
				fprintf(f, "%02x", dig[i]);
			fprintf(f, "\n");
		}
		free(log);
	}
	if (fclose(f))
		return -EIO;
	return 0;
}

static int hv_status_parse(struct audit_src *s, struct audit_platform *p,
			   char *buf, char *err, size_t errlen)
{
	char *line, *save = NULL, where[512];
	int lineno = 0;

	audit_src_where(s, HV_STATUS_PATH, where, sizeof(where));
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char key[32], val[64], kind[16];
		unsigned long long base, len;
		unsigned int acc;
		char extra;

		lineno++;
		if (lineno == 1) {
			if (strcmp(line, HV_STATUS_MAGIC))
				goto bad;
			continue;
		}
		if (sscanf(line, "range: %15s %llx %llx %u%c", kind, &base,
			   &len, &acc, &extra) == 4) {
			struct audit_range *r;

			bool known = !strcmp(kind, "unknown");

			for (size_t k = 0; k < HV_ARRAY_SIZE(hv_range_kinds);
			     k++)
				known |= !strcmp(kind, hv_range_kinds[k]);
			if (!known || !len || base + len < base)
				goto bad;
			if (p->nhv_ranges >= (int)HV_ARRAY_SIZE(p->hv_ranges))
				continue;
			r = &p->hv_ranges[p->nhv_ranges++];
			r->start = base;
			r->end = base + len - 1;
			snprintf(r->what, sizeof(r->what), "%s", kind);
			continue;
		}
		if (!strncmp(line, "build: ", 7)) {
			snprintf(p->hv.build, sizeof(p->hv.build), "%s",
				 line + 7);
			continue;
		}
		if (!strncmp(line, "isolation_state_sha256: ", 24)) {
			const char *h = line + 24;

			if (strlen(h) != 64 ||
			    strspn(h, "0123456789abcdef") != 64)
				goto bad;
			memcpy(p->hv.isolation, h, 65);
			continue;
		}
		if (sscanf(line, "%31[a-z_]: %63s%c", key, val, &extra) != 2)
			goto bad;
		if (strcmp(key, "backend") &&
		    (!val[0] || strspn(val, "0123456789") != strlen(val)))
			goto bad; /* every other key holds a decimal number */
		if (!strcmp(key, "backend"))
			snprintf(p->hv.backend, sizeof(p->hv.backend), "%.7s",
				 val);
		else if (!strcmp(key, "hv_abi"))
			p->hv.hv_abi = (unsigned int)strtoul(val, NULL, 10);
		else if (!strcmp(key, "launched"))
			p->hv.launched = (unsigned int)strtoul(val, NULL, 10);
		else if (!strcmp(key, "locked"))
			p->hv.locked = (unsigned int)strtoul(val, NULL, 10);
		else if (!strcmp(key, "ncpus"))
			p->hv.ncpus = (unsigned int)strtoul(val, NULL, 10);
		else if (!strcmp(key, "paging_levels"))
			p->hv.paging_levels =
			    (unsigned int)strtoul(val, NULL, 10);
		else if (!strcmp(key, "footprint"))
			p->hv.footprint = strtoull(val, NULL, 10);
		else if (!strcmp(key, "denials"))
			p->hv.denials = strtoull(val, NULL, 10);
		else if (!strcmp(key, "exits"))
			p->hv.exits = strtoull(val, NULL, 10);
		else
			goto bad;
	}
	if (lineno == 0)
		goto bad;
	return 0;
bad:
	ierr(err, errlen, "%s:%d: not a thinhv status line", where,
	     lineno ? lineno : 1);
	return -EINVAL;
}

static int gather_thinhv(struct audit_src *s, struct audit_inv *inv, char *err,
			 size_t errlen)
{
	struct audit_platform *p = &inv->plat;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	p->thinhv_loaded = audit_src_exists(s, THINHV_DEV);
	p->thinhv_faults = -1;
	if (!p->thinhv_loaded) {
		snprintf(p->thinhv_status, sizeof(p->thinhv_status),
			 "thinhv not loaded");
		return 0;
	}
	rc = audit_src_synth(s, HV_STATUS_PATH, hv_status_produce, &buf, &len);
	if (rc) {
		free(buf);
		snprintf(
		    p->thinhv_status, sizeof(p->thinhv_status),
		    "/dev/thinhv present but its status was not read: %s%s",
		    strerror(-rc),
		    rc == -EACCES || rc == -EPERM ? " (needs root)" : "");
		return 0;
	}
	rc = hv_status_parse(s, p, buf, err, errlen);
	free(buf);
	if (rc)
		return rc;
	p->thinhv_status_read = true;
	/* The fault log is not in /dev/thinhv ABI 1: stays unknown (-1). */
	snprintf(p->thinhv_status, sizeof(p->thinhv_status),
		 "thinhv %s (%s), %s on %u CPU(s)%s, %d protected range(s)",
		 p->hv.build[0] ? p->hv.build : "?", p->hv.backend,
		 p->hv.launched ? "launched" : "loaded, not launched",
		 p->hv.ncpus, p->hv.locked ? ", locked" : "", p->nhv_ranges);
	return 0;
}

static void decide_platform(struct audit_inv *inv)
{
	struct audit_platform *p = &inv->plat;
	bool hv_iommu = false;

	for (int i = 0; i < p->nhv_ranges; i++)
		hv_iommu |= !strcmp(p->hv_ranges[i].what, "iommu");
	if (p->thinhv_status_read && p->hv.launched && !hv_iommu)
		snprintf(p->thinhv_status + strlen(p->thinhv_status),
			 sizeof(p->thinhv_status) - strlen(p->thinhv_status),
			 "; no IOMMU tables among them: DMA not confined by "
			 "thinhv");

	/*
	 * An OS that enabled translation keeps the IOMMU: thinhv refuses to
	 * take over a unit whose translation is already on. So the OS view
	 * wins when it has units and groups, thinhv or not.
	 */
	if (p->nos_units && p->ngroups) {
		snprintf(p->owner, sizeof(p->owner), "os");
		snprintf(p->translation, sizeof(p->translation), "on");
	} else if (p->thinhv_loaded && p->hv.launched && hv_iommu) {
		/*
		 * /dev/thinhv ABI 1 does not report IOMMU state; IOMMU tables
		 * among thinhv's protected ranges are the evidence that it
		 * programs the IOMMU. Without them, fail closed: nobody
		 * translates.
		 */
		snprintf(p->owner, sizeof(p->owner), "thinhv");
		snprintf(p->translation, sizeof(p->translation), "on");
	} else {
		snprintf(p->owner, sizeof(p->owner), "none");
		snprintf(p->translation, sizeof(p->translation), "off");
	}
}

bool audit_dev_is_master(const struct audit_dev *d)
{
	/* Bridges forward others' DMA; the IOMMU function (class 08 06)
	 * only reads its own tables. */
	return (d->class_code >> 16) != 0x06 && (d->class_code >> 8) != 0x0806;
}

const char *audit_reach_name(int reach)
{
	switch (reach) {
	case AUDIT_REACH_ALL_RAM:
		return "all RAM";
	case AUDIT_REACH_MAPPED:
		return "driver mappings";
	case AUDIT_REACH_POLICY:
		return "thinhv policy";
	default:
		return "none";
	}
}

static void decide_reach(struct audit_inv *inv)
{
	const struct audit_platform *p = &inv->plat;

	for (int i = 0; i < inv->ndevs; i++) {
		struct audit_dev *d = &inv->devs[i];
		char *w = d->reach_why;
		size_t wl = sizeof(d->reach_why);

		if ((d->class_code >> 16) == 0x06) {
			d->reach = AUDIT_REACH_NONE;
			snprintf(w, wl,
				 "bridge: forwards downstream DMA, "
				 "not a master of its own");
		} else if ((d->class_code >> 8) == 0x0806) {
			d->reach = AUDIT_REACH_NONE;
			snprintf(w, wl,
				 "the IOMMU itself (reads its own "
				 "tables)");
		} else if (!strcmp(p->owner, "thinhv")) {
			d->reach = AUDIT_REACH_POLICY;
			snprintf(
			    w, wl,
			    "thinhv owns the IOMMU; per-device domains are "
			    "not reported by /dev/thinhv ABI 1");
		} else if (!strcmp(p->owner, "none")) {
			d->reach = AUDIT_REACH_ALL_RAM;
			snprintf(w, wl, "no DMA translation on this platform");
		} else if (d->iommu_group < 0) {
			d->reach = AUDIT_REACH_ALL_RAM;
			snprintf(w, wl, "in no IOMMU group: not translated");
		} else if (!strcmp(d->domain_type, "identity")) {
			d->reach = AUDIT_REACH_ALL_RAM;
			snprintf(w, wl,
				 "group %d uses an identity "
				 "(passthrough) domain",
				 d->iommu_group);
		} else if (!strcmp(d->domain_type, "blocked")) {
			d->reach = AUDIT_REACH_NONE;
			snprintf(w, wl, "group %d is blocked", d->iommu_group);
		} else {
			d->reach = AUDIT_REACH_MAPPED;
			snprintf(w, wl,
				 "group %d %s domain: only pages the "
				 "driver maps",
				 d->iommu_group,
				 d->domain_type[0] ? d->domain_type : "?");
		}
	}
}

int audit_gather(struct audit_src *s, struct audit_inv *inv, char *err,
		 size_t errlen)
{
	char **names = NULL;
	size_t n = 0;
	struct pci_access *pa;
	int rc;

	memset(inv, 0, sizeof(*inv));
	inv->privileged = audit_src_privileged(s);
	snprintf(inv->label, sizeof(inv->label), "%s", audit_src_label(s));
	rc = list_checked(s, PCI_DEVS, &names, &n, err, errlen);
	if (rc == -EINVAL)
		return rc;
	if (rc)
		limit(inv, "%s absent: no PCI devices seen", PCI_DEVS);
	/* The topology walk compares devices pairwise: bounded. */
	if (n > AUDIT_MAX_DEVS) {
		char where[512];

		ierr(err, errlen,
		     "%s: %zu PCI functions, more than the %d "
		     "thinhv audits",
		     audit_src_where(s, PCI_DEVS, where, sizeof(where)), n,
		     AUDIT_MAX_DEVS);
		audit_strv_free(names, n);
		return -EINVAL;
	}
	inv->devs = calloc(n ? n : 1, sizeof(*inv->devs));
	if (!inv->devs) {
		audit_strv_free(names, n);
		return -ENOMEM;
	}
	pa = pci_alloc();
	if (pa) {
		pa->error = pci_fatal;
		pa->warning = pci_quiet;
		pa->debug = pci_quiet;
		if (getenv("THINHV_PCI_IDS"))
			pci_set_name_list_path(pa, getenv("THINHV_PCI_IDS"), 0);
	}
	for (size_t i = 0; i < n; i++) {
		rc = gather_device(s, names[i], &inv->devs[inv->ndevs], pa, err,
				   errlen);
		if (rc)
			break;
		inv->ndevs++;
	}
	if (pa)
		pci_cleanup(pa);
	audit_strv_free(names, n);
	if (rc)
		return rc;
	for (int i = 0; i < inv->ndevs; i++)
		if (!inv->devs[i].caps_readable) {
			limit(inv, "PCI config space beyond 64 bytes needs "
				   "root: ATS/PRI/PASID/ACS state unknown");
			break;
		}
	link_upstream(inv);

	rc = list_checked(s, "/sys/class/iommu", &names, &n, err, errlen);
	if (rc == -EINVAL)
		return rc;
	if (!rc) {
		for (size_t i = 0;
		     i < n && i < HV_ARRAY_SIZE(inv->plat.os_units); i++)
			snprintf(inv->plat.os_units[inv->plat.nos_units++],
				 sizeof(inv->plat.os_units[0]), "%s", names[i]);
		audit_strv_free(names, n);
	}
	rc = gather_groups(s, inv, err, errlen);
	if (!rc)
		rc = gather_fw(s, inv, err, errlen);
	if (!rc)
		rc = gather_iomem(s, inv, err, errlen);
	if (rc)
		return rc;
	gather_cmdline(s, inv);
	gather_tpm(s, inv);
	rc = gather_thinhv(s, inv, err, errlen);
	if (rc)
		return rc;
	decide_platform(inv);
	decide_reach(inv);
	return 0;
}

void audit_inv_free(struct audit_inv *inv)
{
	free(inv->devs);
	inv->devs = NULL;
	inv->ndevs = 0;
}

void audit_dev_path(const struct audit_inv *inv, const struct audit_dev *d,
		    char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int k = d->nup - 1; k >= 0 && o < len; k--) {
		int w = snprintf(buf + o, len - o, "%s > ",
				 inv->devs[d->up[k]].bdf + 5);

		if (w < 0)
			break;
		o += (size_t)w;
	}
	if (o < len)
		snprintf(buf + o, len - o, "%s", d->bdf + 5);
}

uint64_t audit_ram_bytes(const struct audit_platform *p)
{
	uint64_t t = 0;

	for (int i = 0; i < p->nmem; i++)
		if (!strcmp(p->mem[i].what, "System RAM"))
			t += p->mem[i].end - p->mem[i].start + 1;
	return t;
}
