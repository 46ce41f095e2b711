/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv_pcicfg.h - guard of the IOMMU's own PCI function against config-space
 * writes by the OS (pure C: host mode, kernel context and host unit tests).
 * Port I/O configuration mechanism #1 (0xCF8 address latch, 0xCFC-0xCFF
 * data) is emulated against a hypervisor-held shadow of the latch; the ECAM
 * (MMCONFIG) page of each guarded function is made read-only in the nested
 * page table from the ACPI MCFG table (hv_mcfg_ecam_page).
 * PCI Local Bus spec 3.0 sec. 3.2.2.3.2 (mechanism #1); PCI Firmware spec
 * 3.2 sec. 4.1.2 (MCFG); AMD BKDG "IO space: CF8/CFC, EnableCf8ExtCfg".
 */
#ifndef THINHV_HV_PCICFG_H
#define THINHV_HV_PCICFG_H

#include "thinhv/compat.h"

#define HV_PCICFG_ADDR_PORT 0xcf8u /* CONFIG_ADDRESS (dword accesses only) */
#define HV_PCICFG_DATA_PORT 0xcfcu /* CONFIG_DATA, 0xcfc..0xcff */
#define HV_PCICFG_PORT_END 0xd00u  /* one past the last port of the window */
#define HV_PCICFG_ADDR_EN (1u << 31)
#define HV_PCICFG_ADDR_BUS(a) (((a) >> 16) & 0xffu)
#define HV_PCICFG_ADDR_DEVFN(a) (((a) >> 8) & 0xffu)
/* register: bits 7:2, plus AMD's extended bits 27:24 = register 11:8 */
#define HV_PCICFG_ADDR_REG(a) (((a)&0xfcu) | (((a) >> 16) & 0xf00u))

#define HV_PCICFG_MAX_GUARDS 8
/* Bounded wait for the host-mode lock (pause iterations, ~100 ms). */
#define HV_PCICFG_LOCK_SPINS (1u << 22)

/* A guarded PCI function (segment, bus, device << 3 | function). */
struct hv_pcicfg_fn {
	uint16_t segment;
	uint8_t bus;
	uint8_t devfn;
};

/*
 * Lives in struct hv_host (protected pool). `latch` is the OS's view of
 * CONFIG_ADDRESS: the OS never reaches the real 0xCF8 while virtualized.
 * `lock` serializes the real latch + data access across CPUs in host mode;
 * the guard list is written only before launch.
 */
struct hv_pcicfg {
	uint32_t lock;	/* 0 free, 1 held (host mode only) */
	uint32_t latch; /* shadow CONFIG_ADDRESS */
	uint32_t nguards;
	uint32_t pad;
	struct hv_pcicfg_fn guard[HV_PCICFG_MAX_GUARDS];
};

/* One intercepted IN/OUT, decoded by the backend. */
struct hv_io {
	uint16_t port;
	uint8_t size;	     /* 1, 2 or 4 */
	uint8_t in;	     /* 1: IN (read), 0: OUT (write) */
	uint8_t str;	     /* INS/OUTS */
	uint8_t rep;	     /* REP prefix */
	uint8_t lock_failed; /* backend could not take the lock in time */
	uint8_t pad;
	uint32_t value;	   /* OUT: value written; IN: value to return */
	uint32_t cfg_addr; /* out (HV_PCIO_CONFIG): write to 0xCF8 first */
};

/* What the backend does with one access (hv_pcicfg_decide). */
enum hv_pcio_verdict {
	HV_PCIO_EMULATED = 1, /* latch access, done in the shadow (IN: value) */
	HV_PCIO_NATIVE,	      /* perform the same IN/OUT on the real port */
	HV_PCIO_CONFIG,	      /* OUT cfg_addr to 0xCF8, then the real IN/OUT */
	HV_PCIO_REFUSED,      /* write dropped / read returns all ones */
	HV_PCIO_FAULT,	      /* string or REP I/O on the window: #GP */
	HV_PCIO_UNEXPECTED,   /* port outside the window: intercept bug */
};

void hv_pcicfg_init(struct hv_pcicfg *p);

/* Add a function to guard (kernel context, before launch). 0, -ENOSPC. */
int hv_pcicfg_add_guard(struct hv_pcicfg *p, uint16_t segment, uint8_t bus,
			uint8_t devfn);

bool hv_pcicfg_guarded(const struct hv_pcicfg *p, uint16_t segment, uint8_t bus,
		       uint8_t devfn);

/*
 * Decide one intercepted access; the caller holds p->lock (or set
 * io->lock_failed) from before this call until the real I/O is done, so
 * the address written to 0xCF8 is the one that was checked.
 */
enum hv_pcio_verdict hv_pcicfg_decide(struct hv_pcicfg *p, struct hv_io *io);

/* The low `size` bytes of an OUT's source register. */
uint32_t hv_io_out_value(uint64_t rax, uint8_t size);
/* RAX after an IN of `size` bytes (a dword IN zero-extends, as in 64-bit). */
uint64_t hv_io_in_merge(uint64_t rax, uint8_t size, uint32_t v);

/* Host-mode spin lock: compiler builtins and PAUSE only, bounded. */
static inline bool hv_pcicfg_lock(struct hv_pcicfg *p)
{
	uint32_t i;

	for (i = 0; i < HV_PCICFG_LOCK_SPINS; i++) {
		if (!__atomic_exchange_n(&p->lock, 1u, __ATOMIC_ACQUIRE))
			return true;
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#endif
	}
	return false;
}

static inline void hv_pcicfg_unlock(struct hv_pcicfg *p)
{
	__atomic_store_n(&p->lock, 0u, __ATOMIC_RELEASE);
}

/*
 * The 4 KiB ECAM page of segment:bus:devfn from an ACPI MCFG table (hostile
 * input: every length checked). 0 and *pa set; -ENOENT when no entry
 * covers it; -EINVAL for a malformed table (*bad_off = offending byte).
 */
int hv_mcfg_ecam_page(const uint8_t *tbl, size_t len, uint16_t segment,
		      uint8_t bus, uint8_t devfn, uint64_t *pa,
		      size_t *bad_off);

#endif /* THINHV_HV_PCICFG_H */
