/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * acpi.h - decoded-structure API for the DMAR (Intel VT-d) and IVRS (AMD-Vi)
 * ACPI tables. Pure C shared by the kernel module and host userspace.
 *
 * References: Intel VT-d spec rev 4.1 chapter 8 (DMAR); AMD I/O
 * Virtualization Technology (IOMMU) spec rev 3.x section 5.2 (IVRS).
 *
 * Model
 * -----
 * The table is hostile input. acpi_dmar_parse() / acpi_ivrs_parse() walk a
 * caller-owned buffer once, check every length against its container, and
 * hand each decoded record to a caller-supplied visitor callback, in table
 * order. Nothing is allocated and nothing is copied out of the buffer except
 * fixed-size fields; variable parts (device scopes, IVHD device entries,
 * ANDD names, ACPI HID UIDs) are exposed as bounds-checked views into the
 * caller's buffer, which must therefore outlive the records (copy what you
 * keep). Stack use is a few hundred bytes, so the walkers run on a kernel
 * stack.
 *
 * Problems are reported through the visitor's diag() callback as
 * struct acpi_diag {severity, code, byte offset from the table start, type,
 * value}; acpi_diag_text() gives the fixed English text. The core never
 * formats strings (no printf in the kernel build); the caller prints e.g.
 * "offset 0x30: record has zero length".
 *
 * Fail-closed contract
 * --------------------
 *  - A record is handed to the visitor only if its fixed part lies entirely
 *    inside the table. A zero-length, too-short or overrunning record stops
 *    the walk (the next record's position cannot be trusted): an ERROR diag
 *    names its offset and the parser returns -EINVAL.
 *  - Unknown record types are skipped using their length and reported as
 *    WARN (the walk continues); unknown IVHD device entries are skipped when
 *    their length class is known, else the rest of that IVHD is dropped
 *    (ERROR, -EINVAL).
 *  - Inside a record, the view of scopes / device entries covers only the
 *    prefix that validated; a bad scope or entry is reported (ERROR) and
 *    the view stops before it, so a consumer that requires completeness
 *    must check the return code (or count ERROR diags): never treat a
 *    partial table as a complete description of the platform.
 *  - A bad checksum is reported (WARN, ACPI_D_BAD_CHECKSUM: real firmware
 *    ships them and the OS uses such tables) and does not stop decoding;
 *    hdr.checksum_ok tells the verdict. A table longer than the buffer is
 *    an ERROR and is decoded only as far as the buffer goes.
 *  - table() is called once the 36-byte header is readable and the
 *    signature matches, even if the rest is unusable (for reporting).
 *
 * Return values: 0 = the table decoded without ERROR diags (WARNs may have
 * been reported); -EINVAL = at least one ERROR diag; -ENODATA = buffer too
 * short for an ACPI header or wrong signature; any negative value returned
 * by a visitor callback aborts the walk and is returned unchanged.
 *
 * Consumers
 * ---------
 *  - VT-d driver: drhd() gives each unit's register base
 *    (acpi_dmar_drhd_reg_size() for the size of its register set), segment
 *    and INCLUDE_PCI_ALL; iterate drhd->scopes with acpi_dmar_scope_next()
 *    and resolve a scope's path to a bus/dev/fn with
 *    acpi_dmar_scope_resolve() (the caller supplies the config-space read of
 *    a bridge's secondary bus). The INCLUDE_PCI_ALL unit of a segment covers
 *    every device not named by another unit of that segment (it must be the
 *    last DRHD of its segment; ACPI_D_DRHD_ALL_NOT_LAST warns otherwise).
 *    acpi_dmar_find_unit() answers "which unit translates seg:bdf" with
 *    that rule applied. rmrr() gives unity-mapped ranges; whether one
 *    applies to a device is acpi_dmar_scopes_match(&rmrr->scopes, ...).
 *  - AMD-Vi driver: ivhd() gives each IOMMU (its PCI device id, capability
 *    offset, MMIO base, segment, EFR image); acpi_ivhd_devset_next() turns
 *    the device entries into resolved device-id ranges with their DTE
 *    settings, aliases and special (IOAPIC/HPET) and ACPI-HID devices.
 *    One IOMMU is usually described several times (types 10h, 11h, 40h);
 *    use the highest type the driver understands for a given
 *    (segment, iommu_devid) and ignore the others (this is what the spec
 *    asks of system software): acpi_ivhd_preferred() says which.
 *    acpi_ivrs_find_iommu() answers "which IOMMU translates seg:devid, with
 *    which DTE setting / alias". ivmd() gives the IVMD memory ranges with
 *    the device ids they apply to (acpi_ivmd_applies()).
 *
 * Not here: walking PCI config space. Helpers that need the topology take
 * struct acpi_pci_ops (bridge secondary/subordinate bus reads).
 *  - Audit CLI: all of the above plus the table flags and IVinfo.
 */
#ifndef THINHV_ACPI_H
#define THINHV_ACPI_H

#include "thinhv/compat.h"

/* ---- common ---------------------------------------------------------- */

#define ACPI_SDT_HEADER_LEN 36u

enum acpi_table_kind {
	ACPI_TABLE_UNKNOWN = 0,
	ACPI_TABLE_DMAR,
	ACPI_TABLE_IVRS,
};

/* The 36-byte System Description Table header (ACPI 6.5 section 5.2.6). */
struct acpi_sdt_header {
	char signature[5]; /* NUL-terminated copies of the raw bytes */
	uint32_t length;   /* as declared by the table */
	uint8_t revision;
	uint8_t checksum; /* the byte stored at offset 9 */
	char oem_id[7];
	char oem_table_id[9];
	uint32_t oem_revision;
	char creator_id[5];
	uint32_t creator_revision;
	/* Verdicts computed by the parser. */
	uint32_t buffer_len; /* bytes the caller handed in */
	uint32_t walk_len;   /* bytes decoded: min(length, buffer_len) */
	bool checksum_ok;    /* bytes [0, length) sum to 0 mod 256 */
};

enum acpi_severity {
	ACPI_SEV_INFO = 0,
	ACPI_SEV_WARN = 1,
	ACPI_SEV_ERROR = 2,
};

/* Diagnostic codes. Texts (acpi_diag_text) are part of the CLI's output. */
enum acpi_diag_code {
	ACPI_D_TABLE_TRUNCATED = 1, /* buffer shorter than the ACPI header */
	ACPI_D_BAD_SIGNATURE,	    /* not the table the parser was asked for */
	ACPI_D_LENGTH_EXCEEDS_BUFFER, /* declared length > bytes available */
	ACPI_D_TRAILING_BYTES,	      /* buffer longer than declared length */
	ACPI_D_LENGTH_TOO_SMALL,      /* declared length < fixed table header */
	ACPI_D_BAD_CHECKSUM,	      /* value = byte sum */
	ACPI_D_REC_HEADER_TRUNCATED,  /* not enough bytes left for a record */
	ACPI_D_REC_ZERO_LENGTH,
	ACPI_D_REC_OVERRUN,	       /* value = declared record length */
	ACPI_D_REC_TOO_SHORT,	       /* shorter than its type's fixed part */
	ACPI_D_REC_UNKNOWN_TYPE,       /* skipped; type = record type */
	ACPI_D_SCOPE_TRUNCATED,	       /* < 2 bytes left in the record */
	ACPI_D_SCOPE_BAD_LENGTH,       /* < 6, odd path, value = length */
	ACPI_D_SCOPE_OVERRUN,	       /* runs past its record */
	ACPI_D_SCOPE_UNKNOWN_TYPE,     /* kept in the view; type = scope type */
	ACPI_D_SCOPE_NO_PATH,	       /* a scope with no path entry */
	ACPI_D_ANDD_NAME_UNTERMINATED, /* object name lacks a NUL */
	ACPI_D_RMRR_BAD_RANGE,	       /* limit < base or not 4 KiB granular */
	ACPI_D_DRHD_ALL_NOT_LAST,    /* INCLUDE_PCI_ALL unit not last in seg */
	ACPI_D_ENTRY_OVERRUN,	     /* IVHD device entry runs past its IVHD */
	ACPI_D_ENTRY_UNKNOWN_TYPE,   /* skipped by its length class */
	ACPI_D_ENTRY_UNKNOWN_LENGTH, /* variable-length type we cannot size */
	ACPI_D_RANGE_END_WITHOUT_START, /* type 4 with no open range */
	ACPI_D_RANGE_START_WITHOUT_END, /* a range never closed */
	ACPI_D_RANGE_REVERSED,		/* end device id < start device id */
	ACPI_D_HID_BAD_UID,		/* UID format/length inconsistent */
	ACPI_D_IVMD_BAD_RANGE, /* start+length wraps, or 22h end < start */
	ACPI_D_CODE_MAX
};

struct acpi_diag {
	enum acpi_severity severity;
	enum acpi_diag_code code;
	uint32_t offset; /* byte offset from the start of the table */
	uint32_t type;	 /* record / scope / entry type, when meaningful */
	uint64_t value;	 /* code-specific (a length, a sum, ...) */
};

/* Fixed text for a diag code ("record has zero length", ...). */
const char *acpi_diag_text(enum acpi_diag_code code);
const char *acpi_severity_name(enum acpi_severity sev);

/* DMAR / IVRS / unknown from the first four bytes (len may be < 4). */
enum acpi_table_kind acpi_table_identify(const uint8_t *buf, size_t len);

/* ---- DMAR (VT-d spec chapter 8) ------------------------------------- */

#define ACPI_DMAR_HEADER_LEN 48u

/* DMAR table flags (offset 37). */
#define ACPI_DMAR_INTR_REMAP 0x01
#define ACPI_DMAR_X2APIC_OPT_OUT 0x02
#define ACPI_DMAR_DMA_CTRL_PLATFORM_OPT_IN 0x04

/* Remapping structure types. */
enum acpi_dmar_type {
	ACPI_DMAR_TYPE_DRHD = 0,
	ACPI_DMAR_TYPE_RMRR = 1,
	ACPI_DMAR_TYPE_ATSR = 2,
	ACPI_DMAR_TYPE_RHSA = 3,
	ACPI_DMAR_TYPE_ANDD = 4,
	ACPI_DMAR_TYPE_SATC = 5,
	ACPI_DMAR_TYPE_SIDP = 6, /* SoC Integrated Device Property, rev 4.1 */
};

/* Device scope types (section 8.3.1). */
enum acpi_dmar_scope_type {
	ACPI_DMAR_SCOPE_PCI_ENDPOINT = 1,
	ACPI_DMAR_SCOPE_PCI_SUBHIERARCHY = 2,
	ACPI_DMAR_SCOPE_IOAPIC = 3,
	ACPI_DMAR_SCOPE_HPET = 4,
	ACPI_DMAR_SCOPE_ACPI_NAMESPACE = 5,
};

#define ACPI_DMAR_DRHD_INCLUDE_PCI_ALL 0x01
#define ACPI_DMAR_ATSR_ALL_PORTS 0x01
#define ACPI_DMAR_SATC_ATC_REQUIRED 0x01

/* Table-level fields, passed to visitor->table() before any record. */
struct acpi_dmar {
	struct acpi_sdt_header hdr;
	uint8_t host_addr_width; /* raw: DMA address width is this + 1 bits */
	uint8_t flags;		 /* ACPI_DMAR_INTR_REMAP | ... */
};

/*
 * View of the device scopes of one record: only the validated prefix.
 * Iterate with acpi_dmar_scope_next(); 'count' scopes are in the view.
 */
struct acpi_dmar_scopes {
	const uint8_t *table;
	uint32_t off; /* table offset of the first scope */
	uint32_t len; /* validated bytes */
	uint32_t count;
};

struct acpi_dmar_scope {
	uint32_t offset; /* table offset of this scope */
	uint8_t type;	 /* enum acpi_dmar_scope_type (or unknown) */
	uint8_t length;
	uint8_t flags;	 /* byte 2: scope flags (rev 4.1, used by SIDP) */
	uint8_t enum_id; /* IOAPIC id, HPET number, ANDD device number */
	uint8_t start_bus;
	uint8_t path_count;  /* number of (device, function) pairs */
	const uint8_t *path; /* path_count pairs: path[2i]=dev, [2i+1]=fn */
};

/* DRHD: one remapping unit. */
struct acpi_dmar_drhd {
	uint32_t offset;
	uint16_t length;
	uint8_t flags; /* ACPI_DMAR_DRHD_INCLUDE_PCI_ALL */
	uint8_t size;  /* bits 3:0: register set is 2^N 4 KiB pages */
	uint16_t segment;
	uint64_t base; /* register base address */
	struct acpi_dmar_scopes scopes;
};

/* RMRR: memory the firmware keeps DMA-reachable for the scoped devices. */
struct acpi_dmar_rmrr {
	uint32_t offset;
	uint16_t length;
	uint16_t segment;
	uint64_t base;
	uint64_t limit; /* inclusive */
	struct acpi_dmar_scopes scopes;
};

struct acpi_dmar_atsr {
	uint32_t offset;
	uint16_t length;
	uint8_t flags; /* ACPI_DMAR_ATSR_ALL_PORTS */
	uint16_t segment;
	struct acpi_dmar_scopes scopes;
};

struct acpi_dmar_rhsa {
	uint32_t offset;
	uint16_t length;
	uint64_t base; /* register base of the DRHD this applies to */
	uint32_t proximity_domain;
};

struct acpi_dmar_andd {
	uint32_t offset;
	uint16_t length;
	uint8_t device_number; /* matches an ACPI_NAMESPACE scope's enum_id */
	const char *name;      /* into the table; name_len bytes, no NUL */
	uint16_t name_len;
};

/* SATC (type 5) and SIDP (type 6) share their layout. */
struct acpi_dmar_satc {
	uint32_t offset;
	uint16_t type; /* ACPI_DMAR_TYPE_SATC or ACPI_DMAR_TYPE_SIDP */
	uint16_t length;
	uint8_t flags; /* SATC: ACPI_DMAR_SATC_ATC_REQUIRED; SIDP: 0 */
	uint16_t segment;
	struct acpi_dmar_scopes scopes;
};

/*
 * Callbacks; any may be NULL. A callback returning < 0 aborts the walk
 * with that value.
 */
struct acpi_dmar_visitor {
	void *ctx;
	int (*table)(void *ctx, const struct acpi_dmar *t);
	int (*drhd)(void *ctx, const struct acpi_dmar_drhd *r);
	int (*rmrr)(void *ctx, const struct acpi_dmar_rmrr *r);
	int (*atsr)(void *ctx, const struct acpi_dmar_atsr *r);
	int (*rhsa)(void *ctx, const struct acpi_dmar_rhsa *r);
	int (*andd)(void *ctx, const struct acpi_dmar_andd *r);
	int (*satc)(void *ctx, const struct acpi_dmar_satc *r); /* 5 and 6 */
	/* A record of unknown type: 'rec' points at its 'len' bytes. */
	int (*unknown)(void *ctx, uint32_t offset, uint32_t type,
		       const uint8_t *rec, uint32_t len);
	void (*diag)(void *ctx, const struct acpi_diag *d);
};

int acpi_dmar_parse(const uint8_t *buf, size_t len,
		    const struct acpi_dmar_visitor *v);

/*
 * Next scope of a view. *cursor starts at 0. Returns false at the end.
 * Only validated bytes are in a view, so this cannot fail otherwise.
 */
bool acpi_dmar_scope_next(const struct acpi_dmar_scopes *s, uint32_t *cursor,
			  struct acpi_dmar_scope *out);

/* Size in bytes of a DRHD's register set (4 KiB << size[3:0]). */
static inline uint64_t acpi_dmar_drhd_reg_size(const struct acpi_dmar_drhd *d)
{
	return 4096ull << (d->size & 0x0f);
}

/*
 * Resolve a scope's path (section 8.3.1.1) to the bus/device/function of
 * its final element: the first pair is on start_bus; for each further pair
 * the caller's read_secondary_bus(ctx, segment, bus, dev, fn, &secbus) reads
 * the secondary bus number of the bridge named so far (config offset 0x19)
 * and returns 0 or a negative errno. Returns 0 and *bdf = bus<<8|dev<<3|fn,
 * -EINVAL for an empty path or dev > 31 / fn > 7, or the callback's error.
 */
int acpi_dmar_scope_resolve(const struct acpi_dmar_scope *s, uint16_t segment,
			    int (*read_secondary_bus)(void *ctx, uint16_t seg,
						      uint8_t bus, uint8_t dev,
						      uint8_t fn,
						      uint8_t *secbus),
			    void *ctx, uint16_t *bdf);

/*
 * PCI topology the caller knows (config space): the secondary and
 * subordinate bus numbers of the bridge at seg:bus:dev.fn (config offsets
 * 0x19 and 0x1a). Returns 0 or a negative errno (e.g. -ENODEV when there
 * is no bridge there).
 */
struct acpi_pci_ops {
	void *ctx;
	int (*bridge_buses)(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev,
			    uint8_t fn, uint8_t *secondary,
			    uint8_t *subordinate);
};

/*
 * Does a scope view name PCI function seg:bdf? An endpoint scope matches
 * its resolved function; a sub-hierarchy scope matches the bridge and every
 * bus behind it (secondary..subordinate). IOAPIC, HPET and ACPI namespace
 * scopes name no PCI requester and never match. 'segment' is the record's
 * segment. Returns 1 (match), 0 (no match) or the callback's negative
 * errno (fail closed: the caller must not guess).
 */
int acpi_dmar_scopes_match(const struct acpi_dmar_scopes *v, uint16_t segment,
			   uint16_t seg, uint16_t bdf,
			   const struct acpi_pci_ops *pci);

/*
 * The remapping unit that translates DMA from seg:bdf: the first DRHD of
 * that segment whose scopes match, else the segment's INCLUDE_PCI_ALL unit.
 * Returns 0 and *out; -ENOENT if no unit covers it (DMA from it is not
 * remapped at all: report it); -EINVAL if the table has errors (a partial
 * table cannot say which unit covers a device); or a callback error.
 */
int acpi_dmar_find_unit(const uint8_t *buf, size_t len, uint16_t seg,
			uint16_t bdf, const struct acpi_pci_ops *pci,
			struct acpi_dmar_drhd *out);

/* ---- IVRS (AMD IOMMU spec section 5.2) ------------------------------ */

#define ACPI_IVRS_HEADER_LEN 48u

/* IVinfo (offset 36) fields. */
#define ACPI_IVINFO_EFR_SUP 0x00000001u
#define ACPI_IVINFO_DMA_GUARD_OPT_IN 0x00000002u
#define ACPI_IVINFO_HT_ATS_RESV 0x00400000u
static inline uint8_t acpi_ivinfo_gva_size(uint32_t ivinfo)
{
	return (ivinfo >> 5) & 0x7; /* 010b = 48 bits */
}
static inline uint8_t acpi_ivinfo_pa_size(uint32_t ivinfo)
{
	return (ivinfo >> 8) & 0x7f;
}
static inline uint8_t acpi_ivinfo_va_size(uint32_t ivinfo)
{
	return (ivinfo >> 15) & 0x7f;
}

enum acpi_ivrs_type {
	ACPI_IVRS_TYPE_IVHD10 = 0x10,
	ACPI_IVRS_TYPE_IVHD11 = 0x11,
	ACPI_IVRS_TYPE_IVHD40 = 0x40,
	ACPI_IVRS_TYPE_IVMD_ALL = 0x20,
	ACPI_IVRS_TYPE_IVMD_SELECT = 0x21,
	ACPI_IVRS_TYPE_IVMD_RANGE = 0x22,
};

/* IVHD flags (byte 1). */
#define ACPI_IVHD_HT_TUN_EN 0x01
#define ACPI_IVHD_PASS_PW 0x02
#define ACPI_IVHD_RES_PASS_PW 0x04
#define ACPI_IVHD_ISOC 0x08
#define ACPI_IVHD_IOTLB_SUP 0x10
#define ACPI_IVHD_COHERENT 0x20
#define ACPI_IVHD_PREF_SUP 0x40
#define ACPI_IVHD_PPR_SUP 0x80

/* IVHD device entry types. Length class = type bits 7:6 (spec table). */
enum acpi_ivhd_entry_type {
	ACPI_IVHD_DEV_PAD4 = 0x00,
	ACPI_IVHD_DEV_ALL = 0x01,
	ACPI_IVHD_DEV_SELECT = 0x02,
	ACPI_IVHD_DEV_RANGE_START = 0x03,
	ACPI_IVHD_DEV_RANGE_END = 0x04,
	ACPI_IVHD_DEV_PAD8 = 0x40,
	ACPI_IVHD_DEV_ALIAS_SELECT = 0x42,
	ACPI_IVHD_DEV_ALIAS_RANGE = 0x43,
	ACPI_IVHD_DEV_EXT_SELECT = 0x46,
	ACPI_IVHD_DEV_EXT_RANGE = 0x47,
	ACPI_IVHD_DEV_SPECIAL = 0x48,
	ACPI_IVHD_DEV_ACPI_HID = 0xf0,
};

enum acpi_ivhd_variety {
	ACPI_IVHD_SPECIAL_IOAPIC = 1,
	ACPI_IVHD_SPECIAL_HPET = 2,
};

enum acpi_ivhd_uid_format {
	ACPI_IVHD_UID_NONE = 0,
	ACPI_IVHD_UID_INTEGER = 1,
	ACPI_IVHD_UID_STRING = 2,
};

/* View of an IVHD's device entries: the validated prefix only. */
struct acpi_ivhd_entries {
	const uint8_t *table;
	uint32_t off;
	uint32_t len;
	uint32_t count;
};

struct acpi_ivhd_entry {
	uint32_t offset;
	uint8_t type;
	uint8_t length; /* 4, 8, 16, 32 or 22 + UID length */
	uint16_t devid; /* bytes 1-2 (reserved for 0x48) */
	uint8_t dte;	/* bytes 3: DTE setting */
	/* 0x42/0x43: alias; 0x48: the IOAPIC/HPET's own (source) device id */
	uint16_t source_devid;
	uint32_t ext_dte; /* 0x46/0x47 */
	uint8_t handle;	  /* 0x48: IOAPIC id or HPET number */
	uint8_t variety;  /* 0x48: enum acpi_ivhd_variety */
	/* 0xF0 */
	char hid[9]; /* NUL-terminated copy of the 8 raw bytes */
	char cid[9];
	uint8_t uid_format; /* enum acpi_ivhd_uid_format */
	uint8_t uid_len;
	const uint8_t *uid; /* uid_len bytes into the table */
};

struct acpi_ivhd {
	uint32_t offset;
	uint8_t type;  /* 0x10, 0x11, 0x40 */
	uint8_t flags; /* ACPI_IVHD_* */
	uint16_t length;
	uint16_t iommu_devid; /* the IOMMU's own PCI function */
	uint16_t cap_offset;  /* its capability block in config space */
	uint64_t base;	      /* MMIO register base */
	uint16_t segment;
	uint16_t info; /* IOMMU info: MSI number [4:0], UnitID [12:8] */
	/* 10h: IOMMU Feature Reporting; 11h/40h: IOMMU Attributes. */
	uint32_t feature;
	uint64_t efr;  /* 11h/40h: EFR register image */
	uint64_t efr2; /* 11h/40h: EFR2 image (was reserved) */
	struct acpi_ivhd_entries entries;
};

/* IVMD flags (byte 1). */
#define ACPI_IVMD_UNITY 0x01
#define ACPI_IVMD_IR 0x02
#define ACPI_IVMD_IW 0x04
#define ACPI_IVMD_EXCLUSION 0x08

struct acpi_ivmd {
	uint32_t offset;
	uint8_t type;  /* 0x20 all, 0x21 select, 0x22 range */
	uint8_t flags; /* ACPI_IVMD_* */
	uint16_t length;
	uint16_t devid; /* byte 4-5 */
	uint16_t aux;	/* byte 6-7: 22h end of range, else aux data */
	uint64_t start;
	uint64_t mem_len;
	/*
	 * Resolved device ids the range applies to (inclusive); first > last
	 * (a reversed 22h range, reported) means it names no device.
	 */
	uint16_t first_devid;
	uint16_t last_devid;
};

struct acpi_ivrs {
	struct acpi_sdt_header hdr;
	uint32_t ivinfo;
};

struct acpi_ivrs_visitor {
	void *ctx;
	int (*table)(void *ctx, const struct acpi_ivrs *t);
	int (*ivhd)(void *ctx, const struct acpi_ivhd *h);
	int (*ivmd)(void *ctx, const struct acpi_ivmd *m);
	/* A subtable of unknown type: 'rec' points at its 'len' bytes. */
	int (*unknown)(void *ctx, uint32_t offset, uint32_t type,
		       const uint8_t *rec, uint32_t len);
	void (*diag)(void *ctx, const struct acpi_diag *d);
};

int acpi_ivrs_parse(const uint8_t *buf, size_t len,
		    const struct acpi_ivrs_visitor *v);

/*
 * True if h is the IVHD system software should use for its IOMMU: the
 * highest type <= max_type (0x10 < 0x11 < 0x40) among the IVHDs of the
 * same (segment, iommu_devid) in buf. A driver understanding all three
 * passes ACPI_IVRS_TYPE_IVHD40. Re-walks the table (no allocation).
 */
bool acpi_ivhd_preferred(const uint8_t *buf, size_t len,
			 const struct acpi_ivhd *h, uint8_t max_type);

/* Next device entry of a view; *cursor starts at 0. */
bool acpi_ivhd_entry_next(const struct acpi_ivhd_entries *e, uint32_t *cursor,
			  struct acpi_ivhd_entry *out);

/*
 * A set of device ids one IVHD covers, resolved from its entries:
 * select (one id), start..end ranges, "all" (0..0xffff), special devices
 * (the IOAPIC/HPET's source device id) and ACPI HID devices.
 */
enum acpi_devset_kind {
	ACPI_DEVSET_RANGE = 0, /* select, range, alias, extended */
	ACPI_DEVSET_ALL,       /* type 1 */
	ACPI_DEVSET_SPECIAL,   /* type 0x48 */
	ACPI_DEVSET_ACPI_HID,  /* type 0xF0 */
};

struct acpi_ivhd_devset {
	uint32_t offset; /* of the entry that opened it */
	enum acpi_devset_kind kind;
	uint16_t first;
	uint16_t last; /* inclusive */
	uint8_t dte;
	bool has_alias;
	uint16_t alias; /* requests appear with this device id */
	bool has_ext;
	uint32_t ext_dte;
	uint8_t handle;	 /* SPECIAL */
	uint8_t variety; /* SPECIAL */
};

/*
 * Next resolved device set of a view; *cursor starts at 0. A range start
 * not closed by an end entry, or an end with no start, yields nothing (the
 * parser reported it). Pad entries and unknown types yield nothing.
 */
bool acpi_ivhd_devset_next(const struct acpi_ivhd_entries *e, uint32_t *cursor,
			   struct acpi_ivhd_devset *out);

/*
 * The IOMMU that translates DMA from seg:devid: among the IVHDs system
 * software would use (acpi_ivhd_preferred() with max_type), the first whose
 * resolved device sets include devid. *set receives the last matching set
 * of that IVHD (entries are applied in order, so a later select overrides
 * the DTE setting / alias of an earlier range or "all"). Returns 0, -ENOENT
 * if no IOMMU covers it, or -EINVAL if the table has errors.
 */
int acpi_ivrs_find_iommu(const uint8_t *buf, size_t len, uint16_t seg,
			 uint16_t devid, uint8_t max_type, struct acpi_ivhd *h,
			 struct acpi_ivhd_devset *set);

/* Does an IVMD block apply to devid (its segment is that of the IVHDs)? */
static inline bool acpi_ivmd_applies(const struct acpi_ivmd *m, uint16_t devid)
{
	return m->first_devid <= devid && devid <= m->last_devid;
}

#endif /* THINHV_ACPI_H */
