// SPDX-License-Identifier: GPL-2.0-only
/*
 * pol_inventory.c - the devices and memory map a policy is checked against
 * (host userspace): this host (libpci, sysfs, /proc/iomem) or a recorded
 * inventory file, so tests and offline reviews need no real hardware.
 *
 * Inventory file format (text, one record a line, '#' starts a comment):
 *   thinhv-inventory 1
 *   device SSSS:BB:DD.F VVVV:DDDD SVVV:SDDD|- CCSSPP [driver=NAME]
 *          [external] [parent=SSSS:BB:DD.F]
 *   ram 0xSTART-0xEND        (inclusive end, as /proc/iomem prints it)
 * "parent" is the upstream bridge (for behind=), "external" marks a device
 * on an external-facing or removable port. No "ram" line: memory map unknown.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pci/pci.h>

#include "policy/lib/pol_internal.h"

#define INV_MAX_BYTES (4 * 1024 * 1024)
#define INV_MAX_DEVS 4096
#define INV_MAX_RAM 4096

static int parse_hex(const char *s, unsigned int digits, uint32_t *v)
{
	*v = 0;
	for (unsigned int i = 0; i < digits; i++) {
		char c = s[i];
		uint32_t d;

		if (c >= '0' && c <= '9')
			d = (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (uint32_t)(c - 'A' + 10);
		else
			return -1;
		*v = (*v << 4) | d;
	}
	return 0;
}

/* Exactly SSSS:BB:DD.F */
static int parse_loc(const char *s, struct pol_dev_id *d)
{
	uint32_t seg, bus, dev, fn;

	if (strlen(s) != 12 || s[4] != ':' || s[7] != ':' || s[10] != '.' ||
	    parse_hex(s, 4, &seg) || parse_hex(s + 5, 2, &bus) ||
	    parse_hex(s + 8, 2, &dev) || parse_hex(s + 11, 1, &fn) ||
	    dev > 31 || fn > 7)
		return -1;
	d->segment = (uint16_t)seg;
	d->bus = (uint8_t)bus;
	d->device = (uint8_t)dev;
	d->function = (uint8_t)fn;
	return 0;
}

static int parse_pair(const char *s, uint16_t *a, uint16_t *b)
{
	uint32_t x, y;

	if (strlen(s) != 9 || s[4] != ':' || parse_hex(s, 4, &x) ||
	    parse_hex(s + 5, 4, &y))
		return -1;
	*a = (uint16_t)x;
	*b = (uint16_t)y;
	return 0;
}

static int parse_u64(const char *s, const char *end, uint64_t *v)
{
	char buf[32];
	size_t n = (size_t)(end - s);

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return pol_parse_size(buf, v) ? -1 : 0;
}

static int inv_line(struct pol_inventory *inv, char **tok, int nt, int line,
		    const char *name, struct pol_err *e)
{
	if (!strcmp(tok[0], "device")) {
		struct pol_inv_dev *d;
		uint32_t cls;

		if (nt < 5) {
			pol_errf(e,
				 "%s:%d: device needs BDF, ids, subsystem "
				 "ids and class",
				 name, line);
			return -EINVAL;
		}
		if (inv->ndevs >= INV_MAX_DEVS) {
			pol_errf(e, "%s:%d: more than %d devices", name, line,
				 INV_MAX_DEVS);
			return -E2BIG;
		}
		d = &inv->devs[inv->ndevs];
		memset(d, 0, sizeof(*d));
		d->line = line;
		if (parse_loc(tok[1], &d->id)) {
			pol_errf(e,
				 "%s:%d: bad device address '%s' (need "
				 "SSSS:BB:DD.F)",
				 name, line, tok[1]);
			return -EINVAL;
		}
		if (parse_pair(tok[2], &d->id.vendor, &d->id.device_id)) {
			pol_errf(e, "%s:%d: bad ids '%s' (need VVVV:DDDD)",
				 name, line, tok[2]);
			return -EINVAL;
		}
		if (strcmp(tok[3], "-") &&
		    parse_pair(tok[3], &d->id.subvendor, &d->id.subdevice)) {
			pol_errf(e, "%s:%d: bad subsystem ids '%s'", name, line,
				 tok[3]);
			return -EINVAL;
		}
		if (strlen(tok[4]) != 6 || parse_hex(tok[4], 6, &cls)) {
			pol_errf(e, "%s:%d: bad class '%s' (need CCSSPP)", name,
				 line, tok[4]);
			return -EINVAL;
		}
		d->id.class_code = (uint8_t)(cls >> 16);
		d->id.subclass = (uint8_t)(cls >> 8);
		d->id.prog_if = (uint8_t)cls;
		for (int i = 5; i < nt; i++) {
			if (!strcmp(tok[i], "external")) {
				d->external = true;
			} else if (!strncmp(tok[i], "driver=", 7) &&
				   tok[i][7] &&
				   strlen(tok[i] + 7) < sizeof(d->driver)) {
				strcpy(d->driver, tok[i] + 7);
			} else if (!strncmp(tok[i], "parent=", 7) &&
				   !parse_loc(tok[i] + 7, &d->parent)) {
				d->has_parent = true;
			} else {
				pol_errf(e,
					 "%s:%d: unknown device attribute "
					 "'%s'",
					 name, line, tok[i]);
				return -EINVAL;
			}
		}
		for (unsigned int i = 0; i < inv->ndevs; i++)
			if (inv->devs[i].id.segment == d->id.segment &&
			    inv->devs[i].id.bus == d->id.bus &&
			    inv->devs[i].id.device == d->id.device &&
			    inv->devs[i].id.function == d->id.function) {
				pol_errf(e,
					 "%s:%d: device %s already listed at "
					 "line %d",
					 name, line, tok[1], inv->devs[i].line);
				return -EINVAL;
			}
		inv->ndevs++;
		return 0;
	}
	if (!strcmp(tok[0], "ram")) {
		const char *dash = nt == 2 ? strchr(tok[1], '-') : NULL;
		struct pol_mem_range r;

		if (!dash || parse_u64(tok[1], dash, &r.base) ||
		    parse_u64(dash + 1, dash + strlen(dash), &r.end) ||
		    r.end < r.base) {
			pol_errf(e, "%s:%d: bad ram range (need 0xSTART-0xEND)",
				 name, line);
			return -EINVAL;
		}
		if (inv->nram >= INV_MAX_RAM) {
			pol_errf(e, "%s:%d: more than %d ram ranges", name,
				 line, INV_MAX_RAM);
			return -E2BIG;
		}
		inv->ram[inv->nram++] = r;
		inv->have_ram = true;
		return 0;
	}
	pol_errf(e, "%s:%d: unknown record '%s'", name, line, tok[0]);
	return -EINVAL;
}

int pol_inventory_parse(const char *buf, size_t len, const char *name,
			struct pol_inventory *inv, struct pol_err *e)
{
	char *copy, *save = NULL, *ln;
	bool header = false;
	int line = 0, ret = 0;

	memset(inv, 0, sizeof(*inv));
	e->msg[0] = '\0';
	snprintf(inv->source, sizeof(inv->source), "%s", name);
	if (len > INV_MAX_BYTES || memchr(buf, '\0', len)) {
		pol_errf(e, "%s: too large or contains NUL bytes", name);
		return -EINVAL;
	}
	copy = malloc(len + 1);
	inv->devs = calloc(INV_MAX_DEVS, sizeof(*inv->devs));
	inv->ram = calloc(INV_MAX_RAM, sizeof(*inv->ram));
	if (!copy || !inv->devs || !inv->ram) {
		free(copy);
		pol_inventory_free(inv);
		pol_errf(e, "%s: out of memory", name);
		return -ENOMEM;
	}
	memcpy(copy, buf, len);
	copy[len] = '\0';
	/* strsep keeps empty lines, so line numbers stay true. */
	save = copy;
	while ((ln = strsep(&save, "\n")) != NULL) {
		char *tok[16], *p = ln, *t;
		int nt = 0;

		line++;
		if ((t = strchr(ln, '#')) != NULL)
			*t = '\0';
		while ((t = strsep(&p, " \t\r")) != NULL) {
			if (!*t)
				continue;
			if (nt == (int)HV_ARRAY_SIZE(tok)) {
				pol_errf(e, "%s:%d: too many fields", name,
					 line);
				ret = -EINVAL;
				goto out;
			}
			tok[nt++] = t;
		}
		if (!nt)
			continue;
		if (!header) {
			if (nt != 2 || strcmp(tok[0], "thinhv-inventory") ||
			    strcmp(tok[1], "1")) {
				pol_errf(e,
					 "%s:%d: not a thinhv inventory "
					 "(first line must be "
					 "'thinhv-inventory 1')",
					 name, line);
				ret = -EINVAL;
				goto out;
			}
			header = true;
			continue;
		}
		ret = inv_line(inv, tok, nt, line, name, e);
		if (ret)
			goto out;
	}
	if (!header) {
		pol_errf(e, "%s:1: empty inventory", name);
		ret = -EINVAL;
	}
out:
	free(copy);
	if (ret)
		pol_inventory_free(inv);
	return ret;
}

int pol_inventory_load(const char *path, struct pol_inventory *inv,
		       struct pol_err *e)
{
	char *buf;
	size_t len;
	int ret;

	memset(inv, 0, sizeof(*inv));
	e->msg[0] = '\0';
	ret = pol_read_file(path, INV_MAX_BYTES, &buf, &len, e);
	if (ret)
		return ret;
	ret = pol_inventory_parse(buf, len, path, inv, e);
	free(buf);
	return ret;
}

void pol_inventory_free(struct pol_inventory *inv)
{
	free(inv->devs);
	free(inv->ram);
	inv->devs = NULL;
	inv->ram = NULL;
	inv->ndevs = inv->nram = 0;
}

void pol_fmt_bdf(char *buf, size_t len, const struct pol_dev_id *d)
{
	snprintf(buf, len, "%04x:%02x:%02x.%x", d->segment, d->bus, d->device,
		 d->function);
}

int pol_inventory_write(FILE *f, const struct pol_inventory *inv)
{
	char bdf[16], par[16];

	fprintf(f, "thinhv-inventory 1\n# source: %s\n", inv->source);
	for (unsigned int i = 0; i < inv->ndevs; i++) {
		const struct pol_inv_dev *d = &inv->devs[i];

		pol_fmt_bdf(bdf, sizeof(bdf), &d->id);
		fprintf(f, "device %s %04x:%04x ", bdf, d->id.vendor,
			d->id.device_id);
		if (d->id.subvendor || d->id.subdevice)
			fprintf(f, "%04x:%04x", d->id.subvendor,
				d->id.subdevice);
		else
			fputc('-', f);
		fprintf(f, " %02x%02x%02x", d->id.class_code, d->id.subclass,
			d->id.prog_if);
		if (d->driver[0])
			fprintf(f, " driver=%s", d->driver);
		if (d->external)
			fprintf(f, " external");
		if (d->has_parent) {
			pol_fmt_bdf(par, sizeof(par), &d->parent);
			fprintf(f, " parent=%s", par);
		}
		fputc('\n', f);
	}
	for (unsigned int i = 0; i < inv->nram; i++)
		fprintf(f, "ram 0x%llx-0x%llx\n",
			(unsigned long long)inv->ram[i].base,
			(unsigned long long)inv->ram[i].end);
	return ferror(f) ? -EIO : 0;
}

static bool same_loc(const struct pol_dev_id *a, const struct pol_dev_id *b)
{
	return a->segment == b->segment && a->bus == b->bus &&
	       a->device == b->device && a->function == b->function;
}

bool pol_inv_host_match(const struct pol_inventory *inv,
			const struct pol_inv_dev *d,
			const struct pol_src_rule *r)
{
	if (r->external != POL_EXT_ANY && d->external != (r->external == 1))
		return false;
	if (r->driver && strcmp(d->driver, r->driver))
		return false;
	if (r->has_behind) {
		const struct pol_inv_dev *cur = d;
		bool found = false;

		/* Bounded walk up the bridges: inventories may hold cycles. */
		for (unsigned int step = 0;
		     cur && cur->has_parent && step <= inv->ndevs; step++) {
			const struct pol_inv_dev *next = NULL;

			if (same_loc(&cur->parent, &r->behind)) {
				found = true;
				break;
			}
			for (unsigned int i = 0; i < inv->ndevs; i++)
				if (same_loc(&inv->devs[i].id, &cur->parent))
					next = &inv->devs[i];
			cur = next;
		}
		if (!found)
			return false;
	}
	return true;
}

/* ---- this host ---------------------------------------------------------- */

static bool sysfs_flag(const char *dir, const char *file, const char *want)
{
	char path[PATH_MAX], buf[32];
	FILE *f;
	bool ok = false;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f))
		ok = !strncmp(buf, want, strlen(want));
	fclose(f);
	return ok;
}

/* Driver, parent bridge and external-facing state from sysfs. */
static void sysfs_attrs(struct pol_inv_dev *d)
{
	char dir[64], link[96], real[PATH_MAX], bdf[16], *p;
	ssize_t n;
	size_t dl;

	pol_fmt_bdf(bdf, sizeof(bdf), &d->id);
	snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s", bdf);
	snprintf(link, sizeof(link), "%s/driver", dir);
	n = readlink(link, real, sizeof(real) - 1);
	if (n > 0) {
		real[n] = '\0';
		p = strrchr(real, '/');
		p = p ? p + 1 : real;
		dl = strnlen(p, sizeof(d->driver) - 1);
		memcpy(d->driver, p, dl);
		d->driver[dl] = '\0';
	}
	if (!realpath(dir, real))
		return;
	d->external = sysfs_flag(real, "removable", "removable");
	/* Walk up: .../0000:00:1c.0/0000:03:00.0 */
	while ((p = strrchr(real, '/')) != NULL && p != real) {
		struct pol_dev_id up;

		*p = '\0';
		p = strrchr(real, '/');
		if (!p || parse_loc(p + 1, &up))
			break;
		if (!d->has_parent) {
			d->parent = up;
			d->has_parent = true;
		}
		if (sysfs_flag(real, "external_facing", "1"))
			d->external = true;
	}
}

static int dev_cmp(const void *a, const void *b)
{
	const struct pol_inv_dev *x = a, *y = b;
	uint64_t kx = ((uint64_t)x->id.segment << 16) | (x->id.bus << 8) |
		      (x->id.device << 3) | x->id.function;
	uint64_t ky = ((uint64_t)y->id.segment << 16) | (y->id.bus << 8) |
		      (y->id.device << 3) | y->id.function;

	return kx < ky ? -1 : kx > ky;
}

static void iomem_ram(struct pol_inventory *inv)
{
	FILE *f = fopen("/proc/iomem", "re");
	char line[256];
	bool nonzero = false;

	if (!f)
		return;
	while (inv->nram < INV_MAX_RAM && fgets(line, sizeof(line), f)) {
		unsigned long long a, b;
		char what[128];

		/* Top level only: nested lines are indented. */
		if (line[0] == ' ' ||
		    sscanf(line, "%llx-%llx : %127[^\n]", &a, &b, what) != 3 ||
		    strcmp(what, "System RAM") || b < a)
			continue;
		inv->ram[inv->nram].base = a;
		inv->ram[inv->nram].end = b;
		inv->nram++;
		if (b)
			nonzero = true;
	}
	fclose(f);
	/* Without CAP_SYS_ADMIN the kernel prints zeros: map unknown. */
	inv->have_ram = nonzero;
	if (!nonzero)
		inv->nram = 0;
}

int pol_inventory_live(struct pol_inventory *inv, struct pol_err *e)
{
	struct pci_access *pa;

	memset(inv, 0, sizeof(*inv));
	e->msg[0] = '\0';
	snprintf(inv->source, sizeof(inv->source), "this host");
	inv->devs = calloc(INV_MAX_DEVS, sizeof(*inv->devs));
	inv->ram = calloc(INV_MAX_RAM, sizeof(*inv->ram));
	if (!inv->devs || !inv->ram) {
		pol_inventory_free(inv);
		pol_errf(e, "out of memory");
		return -ENOMEM;
	}
	pa = pci_alloc();
	if (!pa) {
		pol_inventory_free(inv);
		pol_errf(e, "libpci: cannot initialise");
		return -ENODEV;
	}
	pci_init(pa);
	pci_scan_bus(pa);
	for (struct pci_dev *p = pa->devices; p && inv->ndevs < INV_MAX_DEVS;
	     p = p->next) {
		struct pol_inv_dev *d = &inv->devs[inv->ndevs++];

		pci_fill_info(p, PCI_FILL_IDENT | PCI_FILL_CLASS |
				     PCI_FILL_CLASS_EXT | PCI_FILL_SUBSYS);
		d->id.segment = (uint16_t)p->domain;
		d->id.bus = p->bus;
		d->id.device = p->dev;
		d->id.function = p->func;
		d->id.vendor = p->vendor_id;
		d->id.device_id = p->device_id;
		d->id.class_code = (uint8_t)(p->device_class >> 8);
		d->id.subclass = (uint8_t)p->device_class;
		d->id.prog_if = p->prog_if;
		d->id.subvendor = p->subsys_vendor_id;
		d->id.subdevice = p->subsys_id;
		sysfs_attrs(d);
	}
	pci_cleanup(pa);
	qsort(inv->devs, inv->ndevs, sizeof(*inv->devs), dev_cmp);
	iomem_ram(inv);
	return 0;
}
