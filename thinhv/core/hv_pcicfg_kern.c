// SPDX-License-Identifier: GPL-2.0-only
/*
 * hv_pcicfg_kern.c - kernel side of the PCI config-space guard (process
 * context, before launch): records the functions to guard for host mode and
 * makes their ECAM (MMCONFIG) pages read-only in the nested page table. The
 * port I/O side (0xCF8/0xCFC) is emulated in host mode (hv_pcicfg.c,
 * svm_host.c).
 */
#include <linux/kernel.h>
#include <linux/acpi.h>
#include <asm/msr.h>
#include <asm/processor.h>

#include "thinhv/thinhv_ioctl.h"
#include "thinhv/core/hv_kern.h"
#include "thinhv/host/hv_pcicfg.h"

/* AMD MMIO_CFG_BASE_ADDR (BKDG fam10h+ MSR C001_0058): the ECAM window. */
#define AMD_MSR_MMIO_CFG_BASE 0xc0010058u
#define AMD_MMIO_CFG_EN (1ull << 0)
#define AMD_MMIO_CFG_BUSRANGE(v) (((v) >> 2) & 0xfu) /* 2^n buses */
#define AMD_MMIO_CFG_BASE_MASK 0x0000fffffff00000ull /* bits 47:20 */

static int protect_ecam(struct hv_launch *l, u64 pa, const char *src)
{
	int rc = hv_protect(l, pa, PAGE_SIZE, HV_ACC_R, THINHV_RANGE_MMIO);

	if (!rc)
		pr_info("thinhv: pcicfg: ECAM page %#llx (%s) read-only for "
			"the OS\n",
			pa, src);
	return rc;
}

/* The firmware's MCFG: where the OS is told ECAM lives. */
static int guard_mcfg(struct hv_launch *l, u16 seg, u8 bus, u8 devfn, u64 *pa)
{
	struct acpi_table_header *t;
	size_t bad = 0;
	int rc;

	*pa = 0;
	if (ACPI_FAILURE(acpi_get_table(ACPI_SIG_MCFG, 0, &t)))
		return -ENOENT;
	rc = hv_mcfg_ecam_page((const u8 *)t, t->length, seg, bus, devfn, pa,
			       &bad);
	acpi_put_table(t);
	if (rc == -EINVAL) {
		pr_err("thinhv: refused: ACPI MCFG malformed at byte offset "
		       "%zu: the ECAM window of the IOMMU function cannot be "
		       "located\n",
		       bad);
		return rc;
	}
	if (rc)
		return rc;
	return protect_ecam(l, *pa, "MCFG");
}

/*
 * The chipset's own ECAM decode on AMD (it may differ from, or exist
 * without, MCFG). An unreadable MSR (emulators) means no such window.
 */
static int guard_amd_msr(struct hv_launch *l, u16 seg, u8 bus, u8 devfn,
			 u64 mcfg_pa)
{
	u64 v, pa;

	if (boot_cpu_data.x86_vendor != X86_VENDOR_AMD &&
	    boot_cpu_data.x86_vendor != X86_VENDOR_HYGON)
		return 0;
	if (rdmsrl_safe(AMD_MSR_MMIO_CFG_BASE, &v) || !(v & AMD_MMIO_CFG_EN))
		return 0;
	if (seg != 0 || bus >= (1u << AMD_MMIO_CFG_BUSRANGE(v)))
		return 0;
	pa = (v & AMD_MMIO_CFG_BASE_MASK) + ((u64)bus << 20) +
	     ((u64)devfn << 12);
	if (pa == mcfg_pa)
		return 0;
	return protect_ecam(l, pa, "MSR C001_0058");
}

int hv_pcicfg_guard(struct hv_launch *l, u16 seg, u8 bus, u8 devfn)
{
	u64 mcfg_pa = 0;
	int rc;

	/*
	 * Only the SVM backend intercepts 0xCF8/0xCFC (IOPM); under VMX the
	 * port path would stay open, so refuse rather than half-guard.
	 */
	if (l->ops->backend_id != THINHV_BACKEND_SVM) {
		pr_err("thinhv: refused: the %s backend cannot guard PCI "
		       "config port I/O for %04x:%02x:%02x.%u\n",
		       l->ops->name, seg, bus, devfn >> 3, devfn & 7);
		return -EOPNOTSUPP;
	}
	rc = hv_pcicfg_add_guard(&l->host->pcicfg, seg, bus, devfn);
	if (rc) {
		pr_err("thinhv: refused: more than %u PCI functions to guard\n",
		       HV_PCICFG_MAX_GUARDS);
		return rc;
	}
	rc = guard_mcfg(l, seg, bus, devfn, &mcfg_pa);
	if (rc == -ENOENT) {
		pr_info("thinhv: pcicfg: no MCFG entry for %04x:%02x: ECAM "
			"not described by firmware\n",
			seg, bus);
		rc = 0;
	}
	if (!rc)
		rc = guard_amd_msr(l, seg, bus, devfn, mcfg_pa);
	if (rc)
		return rc;
	pr_info("thinhv: pcicfg: config writes to %04x:%02x:%02x.%u refused "
		"(port I/O emulated%s)\n",
		seg, bus, devfn >> 3, devfn & 7,
		seg ? "; segment has no port I/O path" : "");
	return 0;
}
