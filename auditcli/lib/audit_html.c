// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit_html.c - one self-contained HTML page (no scripts, no external
 * resources) with an SVG of every device's DMA reach drawn over the
 * physical memory map from /proc/iomem (host userspace).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditcli/lib/audit.h"

#define SVG_W 900
#define ROW_H 22
#define LABEL_W 150

static void esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\n':
		case '\t':
			fputc(*s, f);
			break;
		default:
			if ((unsigned char)*s < 0x20 ||
			    (unsigned char)*s >= 0x7f)
				fputc('?', f);
			else
				fputc(*s, f);
		}
	}
}

/*
 * Address space spans 12 orders of magnitude, so segments get a width that
 * grows with log2 of their size: small MMIO holes stay visible next to GiBs
 * of RAM. Exact addresses are in each segment's tooltip.
 */
static void seg_layout(const struct audit_platform *p, double *x, double *w)
{
	double tot = 0, pos = LABEL_W;

	for (int i = 0; i < p->nmem; i++) {
		uint64_t sz = p->mem[i].end - p->mem[i].start;

		/* integer log2, no libm needed */
		w[i] = (sz ? 64 - __builtin_clzll(sz) : 0) + 4.0;
		tot += w[i];
	}
	for (int i = 0; i < p->nmem; i++) {
		w[i] = w[i] * (SVG_W - LABEL_W - 10) / (tot > 0 ? tot : 1);
		x[i] = pos;
		pos += w[i];
	}
}

static bool window_hits(const struct audit_platform *p,
			const struct audit_dev *d, const struct audit_range *r)
{
	for (int i = 0; i < p->nfw; i++)
		for (int k = 0; k < p->fw[i].nwindows; k++) {
			const struct audit_fw_window *w = &p->fw[i].windows[k];

			if ((strstr(w->scope, d->bdf + 5) ||
			     !strcmp(w->scope, "all devices")) &&
			    w->start <= r->end && w->end >= r->start)
				return true;
		}
	return false;
}

static const char *seg_colour(const struct audit_platform *p,
			      const struct audit_dev *d,
			      const struct audit_range *r, const char **why)
{
	bool ram = !strcmp(r->what, "System RAM");

	if (!d) {
		*why = r->what;
		return ram ? "#9bc59d" : "#d0d0d0";
	}
	if (window_hits(p, d, r)) {
		*why = "permanent firmware window (RMRR/IVMD) in this range";
		return "#e69500";
	}
	if (!ram) {
		*why = "not RAM";
		return "#eeeeee";
	}
	switch (d->reach) {
	case AUDIT_REACH_ALL_RAM:
		*why = "reachable: every byte";
		return "#d62728";
	case AUDIT_REACH_MAPPED:
		*why = "only pages the OS driver maps";
		return "#f2d16b";
	case AUDIT_REACH_POLICY:
		*why = "as thinhv's policy grants";
		return "#8fb8de";
	default:
		*why = "not reachable";
		return "#eeeeee";
	}
}

static void svg_row(FILE *f, const struct audit_platform *p,
		    const struct audit_dev *d, int y, const double *x,
		    const double *w)
{
	fprintf(f, "<text x=\"4\" y=\"%d\" font-size=\"12\">", y + 15);
	esc(f, d ? d->bdf : "memory map");
	fputs("</text>\n", f);
	for (int i = 0; i < p->nmem; i++) {
		const char *why;
		const char *c = seg_colour(p, d, &p->mem[i], &why);

		fprintf(
		    f,
		    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
		    "fill=\"%s\" stroke=\"#ffffff\"><title>",
		    x[i], y, w[i], ROW_H - 4, c);
		fprintf(f, "0x%llx-0x%llx ",
			(unsigned long long)p->mem[i].start,
			(unsigned long long)p->mem[i].end);
		esc(f, p->mem[i].what);
		fputs(": ", f);
		esc(f, why);
		fputs("</title></rect>\n", f);
	}
}

/* One row marking the segments that hold thinhv-protected ranges. */
static void svg_hv_row(FILE *f, const struct audit_platform *p, int y,
		       const double *x, const double *w)
{
	fprintf(f,
		"<text x=\"4\" y=\"%d\" font-size=\"12\">thinhv "
		"protected</text>\n",
		y + 15);
	for (int i = 0; i < p->nmem; i++) {
		const struct audit_range *m = &p->mem[i];
		int hits = 0;

		for (int k = 0; k < p->nhv_ranges; k++)
			hits += p->hv_ranges[k].start <= m->end &&
				p->hv_ranges[k].end >= m->start;
		fprintf(
		    f,
		    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
		    "fill=\"%s\" stroke=\"#ffffff\"><title>0x%llx-0x%llx: "
		    "%d protected range(s)</title></rect>\n",
		    x[i], y, w[i], ROW_H - 4, hits ? "#7b3fa0" : "#eeeeee",
		    (unsigned long long)m->start, (unsigned long long)m->end,
		    hits);
	}
}

static void svg(FILE *f, const struct audit_inv *inv)
{
	const struct audit_platform *p = &inv->plat;
	double *x, *w;
	int rows = 1 + (p->nhv_ranges > 0), y = 4;

	if (!p->nmem || p->mem_addresses_hidden) {
		fputs("<p>Memory map not available (/proc/iomem needs root); "
		      "reach is shown in the device table only.</p>\n",
		      f);
		return;
	}
	x = calloc((size_t)p->nmem, sizeof(*x));
	w = calloc((size_t)p->nmem, sizeof(*w));
	if (!x || !w) {
		free(x);
		free(w);
		return;
	}
	seg_layout(p, x, w);
	for (int i = 0; i < inv->ndevs; i++)
		rows += audit_dev_is_master(&inv->devs[i]);
	fprintf(f,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" role=\"img\" aria-label=\"DMA reach over the "
		"physical memory map\">\n",
		SVG_W, rows * ROW_H + 8);
	svg_row(f, p, NULL, y, x, w);
	if (p->nhv_ranges) {
		y += ROW_H;
		svg_hv_row(f, p, y, x, w);
	}
	for (int i = 0; i < inv->ndevs; i++) {
		if (!audit_dev_is_master(&inv->devs[i]))
			continue;
		y += ROW_H;
		svg_row(f, p, &inv->devs[i], y, x, w);
	}
	fputs("</svg>\n<p class=\"legend\"><span style=\"background:#d62728\">"
	      "&nbsp;&nbsp;</span> all of it reachable "
	      "<span style=\"background:#f2d16b\">&nbsp;&nbsp;</span> only "
	      "driver-mapped pages <span style=\"background:#8fb8de\">"
	      "&nbsp;&nbsp;</span> thinhv policy "
	      "<span style=\"background:#e69500\">&nbsp;&nbsp;</span> "
	      "permanent firmware window <span style=\"background:#7b3fa0\">"
	      "&nbsp;&nbsp;</span> holds thinhv-protected memory. Segment "
	      "widths grow with log2 of "
	      "their size; hover for addresses.</p>\n",
	      f);
	free(x);
	free(w);
}

static void pre_block(FILE *f, const char *title,
		      void (*fn)(const struct audit_inv *, FILE *, bool),
		      const struct audit_inv *inv)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return;
	fn(inv, m, false);
	fclose(m);
	fprintf(f, "<h2>%s</h2>\n<pre>", title);
	esc(f, buf);
	fputs("</pre>\n", f);
	free(buf);
}

static void scan_text(const struct audit_inv *inv, FILE *f, bool colour)
{
	audit_print_scan_text(inv, NULL, f, colour);
}

void audit_html(const struct audit_inv *inv, const struct audit_findings *fs,
		FILE *f, const char *title, bool with_compare,
		const char *extra_title, const char *extra)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
	      "charset=\"utf-8\"><title>",
	      f);
	esc(f, title);
	fputs("</title>\n<style>body{font-family:sans-serif;margin:2em}"
	      "table{border-collapse:collapse}td,th{border:1px solid #bbb;"
	      "padding:2px 6px;text-align:left;vertical-align:top}"
	      ".high{background:#f8d0d0}.medium{background:#fbeccb}"
	      ".low{background:#e3f1f6}pre{background:#f6f6f6;padding:8px}"
	      "</style></head><body>\n<h1>",
	      f);
	esc(f, title);
	fputs(": ", f);
	esc(f, inv->label);
	fputs("</h1>\n<h2>DMA reach over the physical memory map</h2>\n", f);
	svg(f, inv);
	fprintf(f,
		"<h2>Findings (%d)</h2>\n<table><tr><th>severity</th>"
		"<th>id</th><th>subject</th><th>finding</th><th>evidence"
		"</th><th>remediation</th></tr>\n",
		fs->n);
	for (int i = 0; i < fs->n; i++) {
		const struct audit_finding *x = &fs->f[i];

		fprintf(f, "<tr class=\"%s\"><td>%s</td><td>",
			audit_sev_name(x->sev), audit_sev_name(x->sev));
		esc(f, x->id);
		fputs("</td><td>", f);
		esc(f, x->subject);
		fputs("</td><td>", f);
		esc(f, x->title);
		fputs("</td><td>", f);
		esc(f, x->evidence);
		fputs("</td><td>", f);
		esc(f, x->remediation);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
	pre_block(f, "Inventory", scan_text, inv);
	if (with_compare)
		pre_block(f, "I/O models compared", audit_print_compare_text,
			  inv);
	if (extra) {
		fputs("<h2>", f);
		esc(f, extra_title ? extra_title : "");
		fputs("</h2>\n<pre>", f);
		esc(f, extra);
		fputs("</pre>\n", f);
	}
	fputs("</body></html>\n", f);
}
