/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vmx_hw.h - the CPU instructions the VMX backend needs, as always-inline
 * wrappers (kernel IPI context AND VMX root/host mode). Only vmx.c and
 * vmx_host.c include it: together with vmx_asm.S this is the only place
 * VMX instructions, MSR/CR access and port I/O of the backend appear.
 * Nothing here touches %gs or calls out, so host mode may use it.
 */
#ifndef THINHV_VMX_HW_H
#define THINHV_VMX_HW_H

#include "thinhv/compat.h"

struct vmx_dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* VMX instructions report failure in CF (VMfailInvalid) or ZF (VMfailValid). */
static __always_inline int vmx_vmxon(uint64_t pa)
{
	uint8_t bad;

	asm volatile("vmxon %1; setna %0"
		     : "=qm"(bad)
		     : "m"(pa)
		     : "cc", "memory");
	return bad ? -EIO : 0;
}

static __always_inline void vmx_vmxoff(void)
{
	asm volatile("vmxoff" ::: "cc", "memory");
}

static __always_inline int vmx_vmclear(uint64_t pa)
{
	uint8_t bad;

	asm volatile("vmclear %1; setna %0"
		     : "=qm"(bad)
		     : "m"(pa)
		     : "cc", "memory");
	return bad ? -EIO : 0;
}

static __always_inline int vmx_vmptrld(uint64_t pa)
{
	uint8_t bad;

	asm volatile("vmptrld %1; setna %0"
		     : "=qm"(bad)
		     : "m"(pa)
		     : "cc", "memory");
	return bad ? -EIO : 0;
}

static __always_inline uint64_t vmx_vmread(uint64_t field)
{
	uint64_t v = 0;

	asm volatile("vmread %1, %0" : "=rm"(v) : "r"(field) : "cc");
	return v;
}

/* Returns nonzero when the write failed (bad field or value). */
static __always_inline int vmx_vmwrite(uint64_t field, uint64_t v)
{
	uint8_t bad;

	asm volatile("vmwrite %2, %1; setna %0"
		     : "=qm"(bad)
		     : "r"(field), "rm"(v)
		     : "cc");
	return bad;
}

struct vmx_inv_desc {
	uint64_t a, b;
};

static __always_inline void vmx_invept(uint64_t type, uint64_t eptp)
{
	struct vmx_inv_desc d = { eptp, 0 };

	asm volatile("invept %0, %1" ::"m"(d), "r"(type) : "cc", "memory");
}

static __always_inline void vmx_invvpid(uint64_t type, uint16_t vpid)
{
	struct vmx_inv_desc d = { vpid, 0 };

	asm volatile("invvpid %0, %1" ::"m"(d), "r"(type) : "cc", "memory");
}

static __always_inline uint64_t vmx_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static __always_inline void vmx_wrmsr(uint32_t msr, uint64_t v)
{
	asm volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v),
		     "d"((uint32_t)(v >> 32))
		     : "memory");
}

static __always_inline void vmx_cpuid(uint32_t leaf, uint32_t sub,
				      uint32_t r[4])
{
	asm volatile("cpuid"
		     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
		     : "a"(leaf), "c"(sub));
}

#define VMX_CR(n)                                                    \
	static __always_inline uint64_t vmx_read_cr##n(void)         \
	{                                                            \
		uint64_t v;                                          \
		asm volatile("mov %%cr" #n ", %0" : "=r"(v));        \
		return v;                                            \
	}                                                            \
	static __always_inline void vmx_write_cr##n(uint64_t v)      \
	{                                                            \
		asm volatile("mov %0, %%cr" #n ::"r"(v) : "memory"); \
	}
VMX_CR(0)
VMX_CR(2)
VMX_CR(3)
VMX_CR(4)

static __always_inline uint64_t vmx_read_dr7(void)
{
	uint64_t v;

	asm volatile("mov %%dr7, %0" : "=r"(v));
	return v;
}

static __always_inline void vmx_write_dr7(uint64_t v)
{
	asm volatile("mov %0, %%dr7" ::"r"(v));
}

static __always_inline void vmx_sgdt(struct vmx_dtr *d)
{
	asm volatile("sgdt %0" : "=m"(*d));
}

static __always_inline void vmx_sidt(struct vmx_dtr *d)
{
	asm volatile("sidt %0" : "=m"(*d));
}

static __always_inline void vmx_lgdt(const struct vmx_dtr *d)
{
	asm volatile("lgdt %0" ::"m"(*d) : "memory");
}

static __always_inline void vmx_lidt(const struct vmx_dtr *d)
{
	asm volatile("lidt %0" ::"m"(*d) : "memory");
}

static __always_inline void vmx_ltr(uint16_t sel)
{
	asm volatile("ltr %0" ::"r"(sel) : "memory");
}

static __always_inline void vmx_lldt(uint16_t sel)
{
	asm volatile("lldt %0" ::"r"(sel) : "memory");
}

#define VMX_SEG(name, insn)                                   \
	static __always_inline uint16_t vmx_read_##name(void) \
	{                                                     \
		uint16_t v;                                   \
		asm volatile(insn " %0" : "=r"(v));           \
		return v;                                     \
	}
VMX_SEG(cs, "mov %%cs,")
VMX_SEG(ss, "mov %%ss,")
VMX_SEG(ds, "mov %%ds,")
VMX_SEG(es, "mov %%es,")
VMX_SEG(fs, "mov %%fs,")
VMX_SEG(gs, "mov %%gs,")
VMX_SEG(tr, "str")
VMX_SEG(ldtr, "sldt")

/* Load data segment registers (host mode, devirtualization only). */
static __always_inline void vmx_load_ds(uint16_t s)
{
	asm volatile("mov %0, %%ds" ::"r"(s));
}

static __always_inline void vmx_load_es(uint16_t s)
{
	asm volatile("mov %0, %%es" ::"r"(s));
}

static __always_inline void vmx_load_fs(uint16_t s)
{
	asm volatile("mov %0, %%fs" ::"r"(s));
}

static __always_inline void vmx_load_gs(uint16_t s)
{
	asm volatile("mov %0, %%gs" ::"r"(s));
}

static __always_inline void vmx_xsetbv(uint32_t xcr, uint64_t v)
{
	asm volatile("xsetbv" ::"c"(xcr), "a"((uint32_t)v),
		     "d"((uint32_t)(v >> 32))
		     : "memory");
}

static __always_inline void vmx_wbinvd(void)
{
	asm volatile("wbinvd" ::: "memory");
}

static __always_inline void vmx_vmcall(uint64_t *rax, uint64_t *rbx,
				       uint64_t *rcx, uint64_t *rdx)
{
	asm volatile("vmcall"
		     : "+a"(*rax), "+b"(*rbx), "+c"(*rcx), "+d"(*rdx)
		     :
		     : "memory");
}

static __always_inline void vmx_outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static __always_inline uint8_t vmx_inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#endif /* THINHV_VMX_HW_H */
