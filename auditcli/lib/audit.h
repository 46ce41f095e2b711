/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * audit.h - shared model of the audit subcommands (scan, compare, report):
 * the input source (live / record / replay), the gathered inventory, the
 * findings and the output helpers (host userspace).
 */
#ifndef THINHV_AUDIT_H
#define THINHV_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---------------------------------------------------------------- source */

/*
 * Every file the audit reads goes through one source. Live: the real path.
 * Record: the real path, and a copy under DIR/root/<path>. Replay: only
 * DIR/root/<path>. Absence is data too ("no DMAR table"), so -ENOENT is a
 * normal answer, not an error.
 */
struct audit_src;

#define AUDIT_REC_MANIFEST "THINHV-RECORDING"
#define AUDIT_REC_VERSION 1
/* Content of a recorded file the recorder was not allowed to read. */
#define AUDIT_REC_UNREADABLE "thinhv-recording: unreadable (EACCES)\n"

int audit_src_open(struct audit_src **out, const char *record_dir,
		   const char *replay_dir, char *err, size_t errlen);
/* Finishes a recording (manifest) and frees. Returns 0 or -errno. */
int audit_src_close(struct audit_src *s);
bool audit_src_replaying(const struct audit_src *s);
/* The manifest's "label" line when replaying, "live" otherwise. */
const char *audit_src_label(const struct audit_src *s);
/* Real uid 0 at record time (replay: from the manifest). */
bool audit_src_privileged(const struct audit_src *s);

/* Reads at most max bytes (NUL-terminated copy in *buf, caller frees). */
int audit_src_read(struct audit_src *s, const char *path, size_t max,
		   char **buf, size_t *len);
int audit_src_readlink(struct audit_src *s, const char *path, char *out,
		       size_t outlen);
/* Sorted entry names (no . and ..); caller frees with audit_strv_free. */
int audit_src_list(struct audit_src *s, const char *path, char ***names,
		   size_t *n);
bool audit_src_exists(struct audit_src *s, const char *path);
/*
 * An input that is not a file (an ioctl answer): live runs produce() (a
 * malloc'd text), record also stores it at path, replay reads path.
 */
int audit_src_synth(struct audit_src *s, const char *path,
		    int (*produce)(char **buf, size_t *len), char **buf,
		    size_t *len);
/* Where a path really lives (for error messages naming the file). */
const char *audit_src_where(struct audit_src *s, const char *path, char *buf,
			    size_t buflen);
void audit_strv_free(char **v, size_t n);

/* ------------------------------------------------------------- inventory */

#define AUDIT_MAX_UP 16
/* PCI functions one scan audits (a recording with more is refused). */
#define AUDIT_MAX_DEVS 4096

enum audit_xfer { AUDIT_UNKNOWN = -1, AUDIT_NO = 0, AUDIT_YES = 1 };

struct audit_dev {
	char bdf[16]; /* 0000:00:1f.0 */
	unsigned int seg, bus, dev, fn;
	uint16_t vendor, device;
	uint32_t class_code; /* 24-bit */
	uint8_t revision;
	char vendor_name[128], device_name[128], class_name[96];
	char driver[64];
	int iommu_group;      /* -1: none */
	char domain_type[24]; /* "DMA", "DMA-FQ", "identity", "blocked", "" */

	uint8_t cfg[4096];
	size_t cfglen;
	bool caps_readable; /* cfglen >= 256: capability list visible */
	bool ext_readable;  /* cfglen == 4096: extended capabilities visible */

	uint8_t header_type;
	bool multifunction, is_bridge, pcie;
	int pcie_port_type; /* PCIe capability device/port type, -1 */
	uint8_t sec_bus, sub_bus;
	bool bus_master;
	int ats_cap, ats_en, pri_cap, pri_en, pasid_cap,
	    pasid_en; /* audit_xfer */
	int acs_cap;  /* audit_xfer */
	uint16_t acs_caps, acs_ctrl;
	int external; /* audit_xfer */
	char external_why[96];

	int up[AUDIT_MAX_UP]; /* indices of upstream bridges, nearest first */
	int nup;

	/* Derived by audit_reach(). */
	int reach; /* enum audit_reach */
	char reach_why[160];
};

enum audit_reach {
	AUDIT_REACH_ALL_RAM, /* no translation or identity domain */
	AUDIT_REACH_MAPPED,  /* OS IOMMU domain: only what drivers map */
	AUDIT_REACH_POLICY,  /* thinhv domain from its policy */
	AUDIT_REACH_NONE,    /* not a DMA master (no BME possible) / blocked */
};

struct audit_range {
	uint64_t start, end; /* inclusive */
	char what[64];
};

struct audit_fw_unit {
	char kind[8];	/* DRHD / IVHD */
	uint8_t type;	/* IVHD type (10h/11h/40h) */
	uint16_t devid; /* IVHD: the IOMMU's own device id */
	uint64_t base;
	uint16_t segment;
	bool include_all;
	char scope[256];
};

struct audit_fw_window {
	char kind[8]; /* RMRR / IVMD */
	uint64_t start, end;
	char scope[256];
};

struct audit_fw {
	char table[8]; /* "DMAR", "IVRS" or "" */
	uint32_t length;
	uint8_t revision;
	char oem[8];
	uint8_t haw;   /* DMAR host address width (+1) */
	uint8_t flags; /* DMAR flags */
	uint32_t ivinfo;
	bool intr_remap, x2apic_opt_out, dma_opt_in;
	struct audit_fw_unit units[32];
	int nunits;
	struct audit_fw_window windows[32];
	int nwindows;
	int natsr;
	char note[160];	 /* decoder remarks (unknown record types skipped...) */
	char error[160]; /* first ERROR diagnostic, with its byte offset */
	int nerrors;	 /* ERROR diagnostics: the summary is a prefix only */
};

struct audit_group {
	int id;
	char type[24];
	int ndevs;
};

struct audit_platform {
	struct audit_fw fw[2];
	int nfw;
	bool fw_readable; /* tables directory listable and tables readable */
	char os_units[8][32];
	int nos_units;
	struct audit_group groups[256];
	int ngroups;
	char cmdline[1024];
	char param_intel_iommu[32], param_amd_iommu[32], param_iommu[32],
	    param_strict[16], param_passthrough[16];
	char translation[16]; /* "on", "off" */
	char owner[16];	      /* "os", "thinhv", "none" */
	bool tpm_present;
	char tpm_version[8];
	char tpm_devs[64];
	bool thinhv_loaded;
	bool thinhv_status_read; /* /dev/thinhv answered (or was recorded) */
	char thinhv_status[256];
	int thinhv_faults; /* fault records from status, -1 unknown */
	struct {
		char build[48], backend[8];
		unsigned int hv_abi, launched, locked, ncpus, paging_levels;
		unsigned long long footprint, denials, exits;
		char isolation[65]; /* measured isolation-state SHA-256, hex */
	} hv;
	struct audit_range hv_ranges[64]; /* thinhv-protected ranges */
	int nhv_ranges;
	struct audit_range mem[128];
	int nmem;
	bool mem_addresses_hidden; /* unprivileged /proc/iomem shows zeros */
};

struct audit_inv {
	struct audit_dev *devs;
	int ndevs;
	struct audit_platform plat;
	char limits[8][160]; /* what could not be seen and why */
	int nlimits;
	bool privileged;
	char label[128];
};

/* Gathers everything; on malformed input returns -EINVAL with err set. */
int audit_gather(struct audit_src *s, struct audit_inv *inv, char *err,
		 size_t errlen);
void audit_inv_free(struct audit_inv *inv);
/* False for bridges and the IOMMU function: not DMA masters of their own. */
bool audit_dev_is_master(const struct audit_dev *d);
/* Short human names for enum audit_reach. */
const char *audit_reach_name(int reach);
/* The device's bridge chain as text "00:1c.0 > 02:00.0". */
void audit_dev_path(const struct audit_inv *inv, const struct audit_dev *d,
		    char *buf, size_t len);
/* Bytes of "System RAM" in the memory map. */
uint64_t audit_ram_bytes(const struct audit_platform *p);

/* Firmware table decode (DMAR/IVRS summary). Integration seam for the shared
 * ACPI decoder (include/thinhv/acpi.h) once it lands. */
struct audit_inv;
int audit_fw_decode(const char *name, const uint8_t *t, size_t len,
		    const struct audit_inv *inv, struct audit_fw *fw, char *err,
		    size_t errlen);

/* -------------------------------------------------------------- findings */

enum audit_sev {
	AUDIT_SEV_INFO,
	AUDIT_SEV_LOW,
	AUDIT_SEV_MEDIUM,
	AUDIT_SEV_HIGH
};

struct audit_finding {
	const char *id;
	int sev;
	const char *title;
	char subject[32];
	char evidence[320];
	const char *remediation;
	const char *hsi; /* fwupd HSI attribute grading the same, or NULL */
};

struct audit_findings {
	struct audit_finding *f;
	int n, cap;
};

void audit_findings_eval(const struct audit_inv *inv,
			 struct audit_findings *out);
void audit_findings_free(struct audit_findings *fs);
const char *audit_sev_name(int sev);
/* CLI exit bitmask for a set of findings (1 warn, 2 fail). */
int audit_findings_exit(const struct audit_findings *fs);

struct audit_catalogue_entry {
	const char *id;
	int sev;
	const char *title;
	const char *remediation;
	/* The fwupd Host Security ID attribute (`fwupdmgr security`) that
	 * grades the same property, or NULL (docs/audit.md). */
	const char *hsi;
};
extern const struct audit_catalogue_entry audit_catalogue[];
extern const size_t audit_catalogue_len;

/* ---------------------------------------------------------------- output */

struct audit_json {
	FILE *f;
	int depth;
	bool first[32];
	bool want_key;
};

void audit_json_begin(struct audit_json *j, FILE *f);
void audit_json_end(struct audit_json *j);
void audit_json_obj(struct audit_json *j, const char *key);
void audit_json_obj_end(struct audit_json *j);
void audit_json_arr(struct audit_json *j, const char *key);
void audit_json_arr_end(struct audit_json *j);
void audit_json_str(struct audit_json *j, const char *key, const char *v);
void audit_json_int(struct audit_json *j, const char *key, long long v);
void audit_json_bool(struct audit_json *j, const char *key, bool v);
void audit_json_null(struct audit_json *j, const char *key);
void audit_json_hex(struct audit_json *j, const char *key, uint64_t v);
/* -1/0/1 -> null/false/true */
void audit_json_tri(struct audit_json *j, const char *key, int v);

#define AUDIT_TBL_MAXCOL 10
struct audit_table {
	int ncol;
	const char *head[AUDIT_TBL_MAXCOL];
	char **cells; /* nrow * ncol */
	int *sev;     /* per row colour hint, -1 none */
	int nrow, cap;
};

void audit_table_init(struct audit_table *t, int ncol, const char *const *head);
void audit_table_add(struct audit_table *t, int sev, ...);
void audit_table_print(const struct audit_table *t, FILE *f, bool colour);
void audit_table_free(struct audit_table *t);

/* Scan sections, shared by scan and report. */
void audit_print_scan_text(const struct audit_inv *inv,
			   const struct audit_findings *fs, FILE *f,
			   bool colour);
void audit_json_scan_body(struct audit_json *j, const struct audit_inv *inv,
			  const struct audit_findings *fs);
void audit_print_findings_text(const struct audit_findings *fs, FILE *f,
			       bool colour);

/* Comparison of I/O models (cmd_compare.c / audit_compare.c). */
void audit_print_compare_text(const struct audit_inv *inv, FILE *f,
			      bool colour);
void audit_json_compare_body(struct audit_json *j, const struct audit_inv *inv);
/* Lines of thinhv's own kernel sources; -1 when the tree is not found. */
long audit_count_thinhv_lines(char *where, size_t wherelen);

/* HTML with an SVG of each device's DMA reach over the memory map; extra
 * (may be NULL) is plain text shown last under extra_title. */
void audit_html(const struct audit_inv *inv, const struct audit_findings *fs,
		FILE *f, const char *title, bool with_compare,
		const char *extra_title, const char *extra);

/* --baseline OLD.json: prints what changed; returns 0 or -errno. */
int audit_baseline_diff(const char *old_path, const struct audit_inv *inv,
			const struct audit_findings *fs, FILE *f, char *err,
			size_t errlen);

/* ------------------------------------------------- terminal text (audit_text.c) */

/*
 * Text output of untrusted strings goes through a stream that makes it
 * printable: newline, tab and valid UTF-8 pass, other controls and invalid
 * bytes become \xNN, bidi overrides \uNNNN. audit_text_close flushes it
 * (not the stream under it). The tool's own colours go with
 * audit_text_sgr, past the filter.
 */
FILE *audit_text_open(FILE *under);
int audit_text_close(FILE *f);
void audit_text_sgr(FILE *f, const char *seq);
/* The same rules on a string into out (NUL-terminated, truncated to fit);
 * returns the length written. */
size_t audit_printable(const char *in, size_t n, char *out, size_t outlen);
/* Length (1..4) of the well-formed UTF-8 sequence at p, its code point in
 * *cp; 0 when p does not start one (overlong, surrogate, truncated...). */
size_t audit_utf8_len(const unsigned char *p, size_t n, uint32_t *cp);

#endif /* THINHV_AUDIT_H */
