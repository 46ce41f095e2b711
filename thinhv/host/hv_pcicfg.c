// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_pcicfg.c - decisions for the OS's PCI configuration accesses to the
 * functions thinhv guards (the AMD IOMMU's own function), pure C. Runs in
 * HOST MODE (svm_host.c, guest GS base live: calls nothing, no globals),
 * in kernel context (guard list, MCFG lookup before launch) and in the host
 * unit tests (tests/unit/test_pcicfg.c).
 */
#include "thinhv/compat.h"
#include "thinhv/host/hv_pcicfg.h"

/* ACPI MCFG: 36-byte header, 8 reserved, then 16-byte allocation entries. */
#define MCFG_HDR_LEN 36u
#define MCFG_ENTRIES 44u
#define MCFG_ENTRY_LEN 16u
#define MCFG_E_BASE 0u
#define MCFG_E_SEGMENT 8u
#define MCFG_E_BUS_START 10u
#define MCFG_E_BUS_END 11u
#define ECAM_BUS_SHIFT 20
#define ECAM_DEVFN_SHIFT 12

void hv_pcicfg_init(struct hv_pcicfg *p)
{
	*p = (struct hv_pcicfg){ 0 };
}

int hv_pcicfg_add_guard(struct hv_pcicfg *p, uint16_t segment, uint8_t bus,
			uint8_t devfn)
{
	struct hv_pcicfg_fn *f;

	if (hv_pcicfg_guarded(p, segment, bus, devfn))
		return 0;
	if (p->nguards >= HV_PCICFG_MAX_GUARDS)
		return -ENOSPC;
	f = &p->guard[p->nguards];
	f->segment = segment;
	f->bus = bus;
	f->devfn = devfn;
	p->nguards++;
	return 0;
}

bool hv_pcicfg_guarded(const struct hv_pcicfg *p, uint16_t segment, uint8_t bus,
		       uint8_t devfn)
{
	uint32_t i, n = p->nguards;

	if (n > HV_PCICFG_MAX_GUARDS)
		n = HV_PCICFG_MAX_GUARDS;
	for (i = 0; i < n; i++)
		if (p->guard[i].segment == segment && p->guard[i].bus == bus &&
		    p->guard[i].devfn == devfn)
			return true;
	return false;
}

static enum hv_pcio_verdict refuse(struct hv_io *io)
{
	if (io->in)
		io->value = 0xffffffffu; /* what a master abort reads */
	return HV_PCIO_REFUSED;
}

enum hv_pcio_verdict hv_pcicfg_decide(struct hv_pcicfg *p, struct hv_io *io)
{
	uint32_t first = io->port, end = first + io->size, addr;

	io->cfg_addr = 0;
	if (io->size != 1 && io->size != 2 && io->size != 4)
		return HV_PCIO_UNEXPECTED;
	if (end <= HV_PCICFG_ADDR_PORT || first >= HV_PCICFG_PORT_END)
		return HV_PCIO_UNEXPECTED;
	/* INS/OUTS would need the guest's memory: Linux never uses them here. */
	if (io->str || io->rep)
		return HV_PCIO_FAULT;

	/* Only a dword at 0xCF8 is CONFIG_ADDRESS: keep it in the shadow. */
	if (first == HV_PCICFG_ADDR_PORT && io->size == 4) {
		if (io->in)
			io->value =
			    __atomic_load_n(&p->latch, __ATOMIC_RELAXED);
		else
			__atomic_store_n(&p->latch, io->value,
					 __ATOMIC_RELAXED);
		return HV_PCIO_EMULATED;
	}
	/*
	 * Other accesses below 0xCFC are ordinary I/O (0xCF9 is the reset
	 * control register on AMD FCH and Intel chipsets): pass them on.
	 */
	if (end <= HV_PCICFG_DATA_PORT)
		return HV_PCIO_NATIVE;
	/* Straddling into or out of CONFIG_DATA: no hardware meaning. */
	if (first < HV_PCICFG_DATA_PORT || end > HV_PCICFG_PORT_END)
		return refuse(io);
	if (io->lock_failed)
		return refuse(io);
	/* One snapshot: the address checked is the address used. */
	addr = __atomic_load_n(&p->latch, __ATOMIC_RELAXED);
	if (!io->in && (addr & HV_PCICFG_ADDR_EN) &&
	    hv_pcicfg_guarded(p, 0, (uint8_t)HV_PCICFG_ADDR_BUS(addr),
			      (uint8_t)HV_PCICFG_ADDR_DEVFN(addr)))
		return refuse(io);
	io->cfg_addr = addr;
	return HV_PCIO_CONFIG;
}

uint32_t hv_io_out_value(uint64_t rax, uint8_t size)
{
	switch (size) {
	case 1:
		return (uint32_t)(rax & 0xffu);
	case 2:
		return (uint32_t)(rax & 0xffffu);
	default:
		return (uint32_t)rax;
	}
}

uint64_t hv_io_in_merge(uint64_t rax, uint8_t size, uint32_t v)
{
	switch (size) {
	case 1:
		return (rax & ~0xffull) | (v & 0xffu);
	case 2:
		return (rax & ~0xffffull) | (v & 0xffffu);
	default:
		return v; /* a 32-bit destination zero-extends */
	}
}

int hv_mcfg_ecam_page(const uint8_t *tbl, size_t len, uint16_t segment,
		      uint8_t bus, uint8_t devfn, uint64_t *pa, size_t *bad_off)
{
	uint64_t page = 0;
	bool found = false;
	uint32_t tlen;
	size_t off;

	*bad_off = 0;
	if (!tbl || len < MCFG_HDR_LEN)
		return -EINVAL;
	if (tbl[0] != 'M' || tbl[1] != 'C' || tbl[2] != 'F' || tbl[3] != 'G')
		return -EINVAL;
	tlen = hv_le32(tbl + 4);
	if (tlen < MCFG_ENTRIES || tlen > len) {
		*bad_off = 4;
		return -EINVAL;
	}
	if ((tlen - MCFG_ENTRIES) % MCFG_ENTRY_LEN) {
		*bad_off = 4; /* a partial allocation entry */
		return -EINVAL;
	}
	for (off = MCFG_ENTRIES; off + MCFG_ENTRY_LEN <= tlen;
	     off += MCFG_ENTRY_LEN) {
		const uint8_t *e = tbl + off;
		uint64_t base = hv_le64(e + MCFG_E_BASE);
		uint8_t start = e[MCFG_E_BUS_START], last = e[MCFG_E_BUS_END];

		if (start > last || (base & ((1ull << ECAM_BUS_SHIFT) - 1))) {
			*bad_off = off;
			return -EINVAL;
		}
		/* The whole window, bus 0-based, must not wrap. */
		if (base + (((uint64_t)last + 1) << ECAM_BUS_SHIFT) < base) {
			*bad_off = off;
			return -EINVAL;
		}
		/* Every entry is checked, not only up to the match. */
		if (found || hv_le16(e + MCFG_E_SEGMENT) != segment ||
		    bus < start || bus > last)
			continue;
		/* The base address corresponds to bus 0 (PCI FW 4.1.2). */
		page = base + ((uint64_t)bus << ECAM_BUS_SHIFT) +
		       ((uint64_t)devfn << ECAM_DEVFN_SHIFT);
		found = true;
	}
	if (!found)
		return -ENOENT;
	*pa = page;
	return 0;
}
