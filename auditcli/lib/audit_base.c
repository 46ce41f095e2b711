// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit_base.c - `--baseline OLD.json`: the old document, read with jansson
 * (it is untrusted input: size and count limits, strict JSON, errors name
 * the byte offset) and the diff of devices, platform and findings against
 * the current scan (host userspace).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>

#include "auditcli/lib/audit.h"

/* A baseline is a scan of one machine (about 1.5 KiB per device): 8 MiB
 * and 65536 devices or findings are beyond any real one, keep parsing
 * under a second and the diff's loops small. */
#define JMAX_SIZE (8u << 20)
#define JMAX_ITEMS 65536u

/* Scalar at a dotted path as text ("" when absent or not a scalar). The
 * text lives in one of a few rotating buffers: valid until 8 more calls. */
static const char *jtext(const json_t *o, const char *path)
{
	static char ring[8][64];
	static unsigned int next;
	char part[64], *buf;
	const char *dot;

	while ((dot = strchr(path, '.')) && o) {
		size_t l = (size_t)(dot - path);

		if (l >= sizeof(part))
			return "";
		memcpy(part, path, l);
		part[l] = '\0';
		o = json_object_get(o, part);
		path = dot + 1;
	}
	o = o ? json_object_get(o, path) : NULL;
	if (!o)
		return "";
	if (json_is_string(o))
		return json_string_value(o);
	buf = ring[next++ % 8];
	if (json_is_integer(o))
		snprintf(buf, 64, "%" JSON_INTEGER_FORMAT,
			 json_integer_value(o));
	else if (json_is_real(o))
		snprintf(buf, 64, "%.17g", json_real_value(o));
	else if (json_is_boolean(o))
		snprintf(buf, 64, "%s", json_is_true(o) ? "true" : "false");
	else if (json_is_null(o))
		snprintf(buf, 64, "null");
	else
		buf[0] = '\0';
	return buf;
}

/*
 * The old document is untrusted: a regular file (a FIFO would hang the
 * read), at most JMAX_SIZE bytes, strict JSON (jansson: valid UTF-8, valid
 * escapes, no \u0000, no duplicate keys), errors located by byte, line and
 * column.
 */
static json_t *load_baseline(const char *path, char *err, size_t errlen,
			     int *rc)
{
	json_error_t je;
	struct stat st;
	json_t *root;
	char *buf;
	ssize_t r;
	size_t n = 0;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		*rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		*rc = -EINVAL;
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	if (st.st_size > (off_t)JMAX_SIZE) {
		*rc = -EFBIG;
		snprintf(err, errlen, "%s: larger than %u bytes", path,
			 JMAX_SIZE);
		close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		*rc = -ENOMEM;
		close(fd);
		return NULL;
	}
	while (n < (size_t)st.st_size &&
	       ((r = read(fd, buf + n, (size_t)st.st_size - n)) > 0 ||
		(r < 0 && errno == EINTR)))
		if (r > 0)
			n += (size_t)r;
	close(fd);
	root = json_loadb(buf, n, JSON_REJECT_DUPLICATES, &je);
	free(buf);
	if (!root) {
		*rc = -EINVAL;
		/* jansson counts bytes read: the offending one is the last */
		snprintf(err, errlen, "%s: byte %d (line %d, column %d): %s",
			 path, je.position > 0 ? je.position - 1 : 0, je.line,
			 je.column, je.text);
		return NULL;
	}
	*rc = 0;
	return root;
}

/* ------------------------------------------------------------- the diff */

static const char *tri_text(int v)
{
	return v < 0 ? "null" : v ? "true" : "false";
}

static void dev_fields(const struct audit_dev *d, const char **names,
		       char vals[][64], int *n)
{
	int i = 0;

	names[i] = "driver";
	snprintf(vals[i++], 64, "%s", d->driver);
	names[i] = "bus_master";
	snprintf(vals[i++], 64, "%s", d->bus_master ? "true" : "false");
	names[i] = "iommu_group";
	if (d->iommu_group < 0)
		snprintf(vals[i++], 64, "null");
	else
		snprintf(vals[i++], 64, "%d", d->iommu_group);
	names[i] = "domain_type";
	snprintf(vals[i++], 64, "%s", d->domain_type);
	names[i] = "ats.enabled";
	snprintf(vals[i++], 64, "%s", tri_text(d->ats_en));
	names[i] = "external";
	snprintf(vals[i++], 64, "%s", tri_text(d->external));
	names[i] = "dma_reach.kind";
	snprintf(vals[i++], 64, "%s", audit_reach_name(d->reach));
	*n = i;
}

int audit_baseline_diff(const char *old_path, const struct audit_inv *inv,
			const struct audit_findings *fs, FILE *f, char *err,
			size_t errlen)
{
	const json_t *odevs, *ofind;
	const char *schema;
	json_t *root;
	int changes = 0, rc;

	root = load_baseline(old_path, err, errlen, &rc);
	if (!root)
		return rc;
	schema = jtext(root, "schema");
	odevs = json_object_get(root, "devices");
	ofind = json_object_get(root, "findings");
	if ((strcmp(schema, "thinhv-scan-v1") &&
	     strcmp(schema, "thinhv-report-v1")) ||
	    !json_is_array(odevs) || !json_is_array(ofind)) {
		snprintf(err, errlen,
			 "%s: not a thinhv-scan-v1 or thinhv-report-v1 "
			 "document (schema '%.64s')",
			 old_path, schema);
		json_decref(root);
		return -EINVAL;
	}
	if (json_array_size(odevs) > JMAX_ITEMS ||
	    json_array_size(ofind) > JMAX_ITEMS) {
		snprintf(err, errlen,
			 "%s: more than %u devices or findings: not a scan "
			 "of one machine",
			 old_path, JMAX_ITEMS);
		json_decref(root);
		return -E2BIG;
	}

	fprintf(f, "\nChanges since %s\n", old_path);
	for (const char *const *k =
		 (const char *const[]){ "platform.iommu.translation",
					"platform.iommu.owner", NULL };
	     *k; k++) {
		const char *ov = jtext(root, *k);
		const char *nv = strstr(*k, "owner") ? inv->plat.owner
						     : inv->plat.translation;

		if (strcmp(ov, nv)) {
			fprintf(f, "  ~ %s: %s -> %s\n", *k + 9, ov, nv);
			changes++;
		}
	}
	/* Devices: removed, added, changed. */
	for (size_t i = 0; i < json_array_size(odevs); i++) {
		const json_t *od = json_array_get(odevs, i);
		const char *bdf = jtext(od, "bdf");
		bool found = false;

		for (int k = 0; k < inv->ndevs && !found; k++)
			found = !strcmp(inv->devs[k].bdf, bdf);
		if (!found) {
			fprintf(f, "  - device %s %s:%s removed\n", bdf,
				jtext(od, "vendor_id"), jtext(od, "device_id"));
			changes++;
		}
	}
	for (int k = 0; k < inv->ndevs; k++) {
		const struct audit_dev *d = &inv->devs[k];
		const json_t *od = NULL;
		const char *names[8];
		char vals[8][64];
		int nf;

		for (size_t i = 0; i < json_array_size(odevs) && !od; i++)
			if (!strcmp(jtext(json_array_get(odevs, i), "bdf"),
				    d->bdf))
				od = json_array_get(odevs, i);
		if (!od) {
			fprintf(f, "  + device %s %04x:%04x added\n", d->bdf,
				d->vendor, d->device);
			changes++;
			continue;
		}
		dev_fields(d, names, vals, &nf);
		for (int q = 0; q < nf; q++) {
			const char *ov = jtext(od, names[q]);

			if (strcmp(ov, vals[q])) {
				fprintf(f, "  ~ device %s %s: %s -> %s\n",
					d->bdf, names[q], ov[0] ? ov : "\"\"",
					vals[q][0] ? vals[q] : "\"\"");
				changes++;
			}
		}
	}
	/* Findings keyed by (id, subject). */
	for (size_t i = 0; i < json_array_size(ofind); i++) {
		const json_t *of = json_array_get(ofind, i);
		bool found = false;

		for (int k = 0; k < fs->n && !found; k++)
			found = !strcmp(fs->f[k].id, jtext(of, "id")) &&
				!strcmp(fs->f[k].subject, jtext(of, "subject"));
		if (!found) {
			fprintf(f, "  - resolved %s %s %s\n", jtext(of, "id"),
				jtext(of, "subject"), jtext(of, "title"));
			changes++;
		}
	}
	for (int k = 0; k < fs->n; k++) {
		bool found = false;

		for (size_t i = 0; i < json_array_size(ofind) && !found; i++)
			found =
			    !strcmp(fs->f[k].id,
				    jtext(json_array_get(ofind, i), "id")) &&
			    !strcmp(fs->f[k].subject,
				    jtext(json_array_get(ofind, i), "subject"));
		if (!found) {
			fprintf(f, "  + new %s %s %s %s\n",
				audit_sev_name(fs->f[k].sev), fs->f[k].id,
				fs->f[k].subject, fs->f[k].title);
			changes++;
		}
	}
	fprintf(f, "  %d change(s)\n", changes);
	json_decref(root);
	return 0;
}
