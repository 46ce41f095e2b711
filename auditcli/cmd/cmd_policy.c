// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_policy.c - `thinhv policy check|compile|show|digest|inventory|apply`:
 * write, review and compile per-device DMA policies, and replace the one
 * the running hypervisor enforces (host userspace).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "auditcli/cmd/cli.h"
#include "attest/lib/att.h"
#include "attest/lib/att_file.h"
#include "thinhv/iommu_host.h"
#include "thinhv/thinhv_ioctl.h"
#include "policy/lib/pol_internal.h"

#define BLOB_MAX_BYTES (1024 * 1024)

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: thinhv policy check POLICY [--inventory FILE]\n"
	    "       thinhv policy compile POLICY -o BLOB [--inventory FILE]\n"
	    "       thinhv policy show BLOB|POLICY [--inventory FILE]\n"
	    "       thinhv policy digest POLICY|BLOB [--inventory FILE]\n"
	    "       thinhv policy inventory [-o FILE]\n"
	    "       thinhv policy apply POLICY|BLOB [--inventory FILE]\n"
	    "         replace the DMA policy the running hypervisor enforces\n"
	    "         (refused when loaded with lock=1; measured first)\n"
	    "POLICY is XML (policy/thinhv-policy.xsd); FILE is a recorded\n"
	    "inventory (docs/policy.md); without it `check` reads this "
	    "host.\n");
}

struct opts {
	const char *input;
	const char *output;
	const char *inventory;
};

static int parse_opts(int argc, char **argv, struct opts *o, bool need_input)
{
	static const struct option lo[] = {
		{ "inventory", required_argument, NULL, 'i' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	optind = 1;
	while ((c = getopt_long(argc, argv, "i:o:h", lo, NULL)) != -1) {
		switch (c) {
		case 'i':
			o->inventory = optarg;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			usage(stderr);
			return -1;
		}
	}
	if (need_input) {
		if (optind != argc - 1) {
			usage(stderr);
			return -1;
		}
		o->input = argv[optind];
	} else if (optind != argc) {
		usage(stderr);
		return -1;
	}
	return 0;
}

static int load_inventory(const struct opts *o, struct pol_inventory *inv,
			  bool live_default)
{
	struct pol_err e = { { 0 } };
	int ret;

	if (o->inventory)
		ret = pol_inventory_load(o->inventory, inv, &e);
	else if (live_default)
		ret = pol_inventory_live(inv, &e);
	else
		return 1; /* no inventory */
	if (ret)
		cli_err("%s", e.msg);
	return ret;
}

/*
 * Compile an XML policy file, or read and validate a blob. On success
 * blob and len hold a validated blob (caller frees).
 */
static int load_any(const char *path, const struct pol_inventory *inv,
		    uint8_t **blob, size_t *len)
{
	struct pol_err e = { { 0 } };
	struct pol_blob_view v;
	struct pol_blob_err be;
	char *buf;
	size_t n;

	if (pol_read_file(path, BLOB_MAX_BYTES, &buf, &n, &e)) {
		cli_err("%s", e.msg);
		return -EINVAL;
	}
	if (n >= 8 && hv_le64((const uint8_t *)buf) == POL_MAGIC) {
		if (pol_blob_decode(buf, n, &v, &be)) {
			cli_err("%s: invalid policy blob at byte offset %u: %s",
				path, be.offset, be.what);
			free(buf);
			return -EINVAL;
		}
		*blob = (uint8_t *)buf;
		*len = n;
		return 0;
	} else {
		struct pol_policy p;
		struct pol_compiled c;
		int ret;

		ret = pol_xml_parse(buf, n, path, &p, &e);
		free(buf);
		if (!ret) {
			ret = pol_compile(&p, inv, &c, &e);
			pol_policy_free(&p);
		}
		if (ret) {
			cli_err("%s", e.msg);
			return ret;
		}
		*blob = c.blob;
		*len = c.len;
		free(c.src);
		return 0;
	}
}

/*
 * The input of compile/show/digest/apply: an XML policy (compiled against
 * --inventory when given) or a blob, validated; with hex, its digest too.
 * 0, or -1 having said why.
 */
static int load_input(const struct opts *o, uint8_t **blob, size_t *len,
		      char *hex)
{
	struct pol_inventory inv;
	int r, have_inv = load_inventory(o, &inv, false);

	if (have_inv < 0)
		return -1;
	r = load_any(o->input, have_inv == 0 ? &inv : NULL, blob, len);
	if (have_inv == 0)
		pol_inventory_free(&inv);
	if (r)
		return -1;
	if (hex && pol_digest_hex(*blob, *len, hex)) {
		cli_err("libsodium: SHA-256 failed");
		free(*blob);
		return -1;
	}
	return 0;
}

static int cmd_compile(int argc, char **argv)
{
	struct opts o;
	uint8_t *blob;
	size_t len;
	int r;

	r = parse_opts(argc, argv, &o, true);
	if (r)
		return r > 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
	if (!o.output) {
		cli_err("compile needs -o BLOB");
		return CLI_EXIT_ERROR;
	}
	if (load_input(&o, &blob, &len, NULL))
		return CLI_EXIT_ERROR;
	r = att_write_file(o.output, blob, len); /* no planted symlink */
	if (r) {
		cli_err("%s: cannot write: %s", o.output, strerror(-r));
		free(blob);
		return CLI_EXIT_ERROR;
	}
	free(blob);
	return CLI_EXIT_OK;
}

static int cmd_show_digest(int argc, char **argv, bool show)
{
	struct pol_blob_view v;
	char hex[POL_DIGEST_HEX];
	struct opts o;
	uint8_t *blob;
	size_t len;
	int r;

	r = parse_opts(argc, argv, &o, true);
	if (r)
		return r > 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
	if (load_input(&o, &blob, &len, hex))
		return CLI_EXIT_ERROR;
	if (!show) {
		printf("%s  %s\n", hex, o.input);
	} else {
		/* load_any() validated it; decode again for the view. */
		pol_blob_decode(blob, len, &v, NULL);
		pol_blob_write_xml(stdout, &v, hex);
	}
	free(blob);
	return CLI_EXIT_OK;
}

static void print_action(const struct pol_blob_view *v, uint16_t action,
			 uint32_t first, uint32_t count,
			 const struct pol_inventory *inv)
{
	struct pol_window_info w;
	uint64_t total = 0;

	switch (action) {
	case POL_ACTION_DENY:
		printf("deny (no DMA)\n");
		return;
	case POL_ACTION_IDENTITY:
		for (unsigned int i = 0; inv->have_ram && i < inv->nram; i++)
			total += inv->ram[i].end - inv->ram[i].base + 1;
		if (inv->have_ram)
			printf("identity: all RAM 1:1 (%u System RAM ranges, "
			       "%llu MiB) minus hypervisor-protected ranges\n",
			       inv->nram, (unsigned long long)(total >> 20));
		else
			printf("identity: all RAM 1:1 minus "
			       "hypervisor-protected ranges\n");
		return;
	}
	printf("window:");
	for (uint32_t i = first; i < first + count; i++)
		if (!pol_window_get(v, i, &w))
			printf(" 0x%llx-0x%llx %s", (unsigned long long)w.base,
			       (unsigned long long)(w.base + w.size - 1),
			       (w.flags & POL_WIN_WRITE) ? "rw" : "ro");
	printf("\n");
}

/* Windows of one rule (or the default) against System RAM. */
static int ram_warnings(const struct pol_blob_view *v, const char *who,
			uint32_t first, uint32_t count,
			const struct pol_inventory *inv)
{
	struct pol_window_info w;
	int warns = 0;

	for (uint32_t i = first; i < first + count; i++) {
		if (pol_window_get(v, i, &w))
			continue;
		for (unsigned int j = 0; j < inv->nram; j++) {
			uint64_t last = w.base + w.size - 1;

			if (w.base > inv->ram[j].end || last < inv->ram[j].base)
				continue;
			cli_warn("%s: window 0x%llx-0x%llx overlaps System "
				 "RAM 0x%llx-0x%llx that the OS allocates "
				 "from; reserve it (memmap=, reserved-memory) "
				 "or the device can reach OS data",
				 who, (unsigned long long)w.base,
				 (unsigned long long)last,
				 (unsigned long long)inv->ram[j].base,
				 (unsigned long long)inv->ram[j].end);
			warns++;
		}
	}
	return warns;
}

static int cmd_check(int argc, char **argv)
{
	struct pol_err e = { { 0 } };
	struct pol_inventory inv;
	struct pol_policy p;
	struct pol_compiled c;
	struct pol_blob_view v;
	char hex[POL_DIGEST_HEX], bdf[16], who[160];
	unsigned int *hits = NULL;
	struct opts o;
	int r, warns = 0, ret = CLI_EXIT_ERROR;

	r = parse_opts(argc, argv, &o, true);
	if (r)
		return r > 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
	/* Keep report lines and warnings (stderr) in order on a terminal. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pol_xml_load(o.input, &p, &e)) {
		cli_err("%s", e.msg);
		return CLI_EXIT_ERROR;
	}
	if (load_inventory(&o, &inv, true)) {
		pol_policy_free(&p);
		return CLI_EXIT_ERROR;
	}
	/* Check exactly what would be enforced: compile, then pol_match(). */
	if (pol_compile(&p, &inv, &c, &e)) {
		cli_err("%s", e.msg);
		goto out_inv;
	}
	pol_blob_decode(c.blob, c.len, &v, NULL);
	pol_digest_hex(c.blob, c.len, hex);
	hits = calloc(p.nrules ? p.nrules : 1, sizeof(*hits));
	if (!hits) {
		cli_err("out of memory");
		goto out;
	}
	printf("policy %s: %u rules (%u compiled), default %s\n", o.input,
	       p.nrules, c.nrules, pol_action_name(p.default_action));
	printf("digest sha256:%s (with this inventory)\n", hex);
	printf("devices: %s, %u found; memory map: %s\n", inv.source, inv.ndevs,
	       inv.have_ram ? "known" : "unknown");
	printf(
	    "note: the hypervisor's own protected ranges are removed from "
	    "every domain at enforcement time, whatever the policy says\n\n");

	for (unsigned int i = 0; i < inv.ndevs; i++) {
		const struct pol_inv_dev *d = &inv.devs[i];
		int rule = pol_match(&v, &d->id);
		uint16_t action;
		uint32_t first, count;

		pol_verdict(&v, rule, &action, &first, &count);
		pol_fmt_bdf(bdf, sizeof(bdf), &d->id);
		printf("%s %04x:%04x class %02x%02x%02x%s%s%s -> ", bdf,
		       d->id.vendor, d->id.device_id, d->id.class_code,
		       d->id.subclass, d->id.prog_if, d->driver[0] ? " " : "",
		       d->driver, d->external ? " external" : "");
		if (rule == POL_RULE_DEFAULT) {
			printf("default: ");
		} else {
			const struct pol_src_rule *sr = &p.rules[c.src[rule]];
			struct pol_rule_info ri;

			pol_rule_get(&v, (uint32_t)rule, &ri);
			hits[c.src[rule]]++;
			printf("rule '%.*s' (%s:%d): ", POL_NAME_LEN, ri.name,
			       o.input, sr->line);
		}
		print_action(&v, action, first, count, &inv);
		if (rule != POL_RULE_DEFAULT &&
		    p.rules[c.src[rule]].description)
			printf("    %s\n", p.rules[c.src[rule]].description);
		if (rule == POL_RULE_DEFAULT) {
			cli_warn("device %s (%04x:%04x) matches no rule and "
				 "falls to the default (%s)",
				 bdf, d->id.vendor, d->id.device_id,
				 pol_action_name(action));
			warns++;
		}
	}
	for (unsigned int i = 0; i < p.nrules; i++) {
		if (!hits[i]) {
			cli_warn("%s:%d: rule '%s' applies to no device of %s",
				 o.input, p.rules[i].line, p.rules[i].name,
				 inv.source);
			warns++;
		}
	}
	if (inv.have_ram) {
		for (uint32_t i = 0; i < v.rule_count; i++) {
			struct pol_rule_info ri;

			pol_rule_get(&v, i, &ri);
			snprintf(who, sizeof(who), "%s:%d: rule '%.*s'",
				 o.input, p.rules[c.src[i]].line, POL_NAME_LEN,
				 ri.name);
			warns += ram_warnings(&v, who, ri.win_first,
					      ri.win_count, &inv);
		}
		snprintf(who, sizeof(who), "%s:%d: default", o.input,
			 p.default_line);
		warns += ram_warnings(&v, who, v.default_win_first,
				      v.default_win_count, &inv);
	} else {
		printf("\nnote: memory map unknown (no 'ram' lines, or "
		       "/proc/iomem hidden): windows not checked against "
		       "System RAM\n");
	}
	printf("\n%d warning(s)\n", warns);
	ret = warns ? CLI_EXIT_WARN : CLI_EXIT_OK;
out:
	free(hits);
	pol_compiled_free(&c);
out_inv:
	pol_inventory_free(&inv);
	pol_policy_free(&p);
	return ret;
}

static int cmd_inventory(int argc, char **argv)
{
	struct pol_err e = { { 0 } };
	struct pol_inventory inv;
	struct opts o;
	FILE *f = stdout;
	int r;

	r = parse_opts(argc, argv, &o, false);
	if (r)
		return r > 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
	if (pol_inventory_live(&inv, &e)) {
		cli_err("%s", e.msg);
		return CLI_EXIT_ERROR;
	}
	if (o.output) {
		/* no planted symlink, device or foreign file (att_file.c) */
		int fd = att_file_open_at(AT_FDCWD, o.output, 0);

		f = fd < 0 ? NULL : fdopen(fd, "w");
		if (!f) {
			cli_err("%s: cannot write: %s", o.output,
				strerror(fd < 0 ? -fd : errno));
			if (fd >= 0)
				close(fd);
			pol_inventory_free(&inv);
			return CLI_EXIT_ERROR;
		}
	}
	r = pol_inventory_write(f, &inv);
	if (f != stdout && fclose(f))
		r = -EIO;
	pol_inventory_free(&inv);
	if (r) {
		cli_err("write error");
		return CLI_EXIT_ERROR;
	}
	return CLI_EXIT_OK;
}

/* Hand a compiled policy to the running hypervisor (THINHV_IOC_POLICY_SWAP). */
static int cmd_apply(int argc, char **argv)
{
	struct thinhv_policy_swap sw;
	char hex[POL_DIGEST_HEX];
	struct opts o;
	uint8_t *blob;
	size_t len;
	int r, fd, err;

	r = parse_opts(argc, argv, &o, true);
	if (r)
		return r > 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
	if (load_input(&o, &blob, &len, hex))
		return CLI_EXIT_ERROR;
	fd = open(THINHV_DEV, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		cli_err("%s: %s%s", THINHV_DEV, strerror(errno),
			errno == ENOENT ? " (is thinhv.ko loaded?)" : "");
		free(blob);
		return CLI_EXIT_ERROR;
	}
	memset(&sw, 0, sizeof(sw));
	sw.size = sizeof(sw);
	sw.abi = THINHV_IOCTL_ABI;
	sw.blob = (uint64_t)(uintptr_t)blob;
	sw.len = (uint32_t)len;
	r = ioctl(fd, THINHV_IOC_POLICY_SWAP, &sw);
	err = errno;
	close(fd);
	free(blob);
	if (r == 0) {
		printf(
		    "policy applied: %s\ndigest sha256:%s\ngeneration %llu\n",
		    o.input, hex, (unsigned long long)sw.generation);
		return CLI_EXIT_OK;
	}
	switch (err) {
	case EPERM:
		cli_err("%s: refused: the hypervisor is locked (lock=1): the "
			"DMA policy is fixed until reboot",
			o.input);
		break;
	case ENODEV:
		cli_err("%s: refused: thinhv enforces no DMA policy (loaded "
			"without dma_policy=, or not launched)",
			o.input);
		break;
	case EINVAL:
		if (sw.why)
			cli_err("%s: refused by the hypervisor: %s (at %#llx); "
				"the old policy stays in force",
				o.input, iommu_bad_text(sw.why),
				(unsigned long long)sw.where);
		else
			cli_err("%s: refused by the module (see dmesg); the "
				"old policy stays in force",
				o.input);
		break;
	case EIO:
		cli_err("%s: applied with a warning (see dmesg), generation "
			"%llu",
			o.input, (unsigned long long)sw.generation);
		return CLI_EXIT_WARN;
	default:
		cli_err("%s: %s", THINHV_DEV, strerror(err));
		break;
	}
	return CLI_EXIT_FAIL;
}

static int policy_main(int argc, char **argv)
{
	const char *sub;

	if (argc < 2) {
		usage(stderr);
		return CLI_EXIT_ERROR;
	}
	sub = argv[1];
	argc--;
	argv++;
	if (!strcmp(sub, "check"))
		return cmd_check(argc, argv);
	if (!strcmp(sub, "compile"))
		return cmd_compile(argc, argv);
	if (!strcmp(sub, "show"))
		return cmd_show_digest(argc, argv, true);
	if (!strcmp(sub, "digest"))
		return cmd_show_digest(argc, argv, false);
	if (!strcmp(sub, "inventory"))
		return cmd_inventory(argc, argv);
	if (!strcmp(sub, "apply"))
		return cmd_apply(argc, argv);
	if (!strcmp(sub, "-h") || !strcmp(sub, "--help") ||
	    !strcmp(sub, "help")) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	cli_err("policy: unknown subcommand '%s'", sub);
	usage(stderr);
	return CLI_EXIT_ERROR;
}

CLI_COMMAND(policy, "policy",
	    "check, compile, show and digest per-device DMA policies",
	    policy_main)
