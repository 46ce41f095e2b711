/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * svm_hw.h - the CPU instructions the SVM backend needs, as always-inline
 * wrappers (kernel process/IPI context AND host mode). Only svm.c and
 * svm_host.c include it: inline asm lives here and in svm_asm.S, nowhere
 * else. Nothing here touches %gs or calls out, so host mode may use it.
 */
#ifndef THINHV_SVM_HW_H
#define THINHV_SVM_HW_H

#include "thinhv/compat.h"

struct svm_dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static __always_inline uint64_t svm_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static __always_inline void svm_wrmsr(uint32_t msr, uint64_t v)
{
	asm volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v),
		     "d"((uint32_t)(v >> 32))
		     : "memory");
}

static __always_inline void svm_cpuid(uint32_t leaf, uint32_t sub,
				      uint32_t r[4])
{
	asm volatile("cpuid"
		     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
		     : "a"(leaf), "c"(sub));
}

#define SVM_READ_CR(n)                                        \
	static __always_inline uint64_t svm_read_cr##n(void)  \
	{                                                     \
		uint64_t v;                                   \
		asm volatile("mov %%cr" #n ", %0" : "=r"(v)); \
		return v;                                     \
	}
SVM_READ_CR(0)
SVM_READ_CR(2)
SVM_READ_CR(3)
SVM_READ_CR(4)

static __always_inline uint64_t svm_read_dr7(void)
{
	uint64_t v;

	asm volatile("mov %%dr7, %0" : "=r"(v));
	return v;
}

static __always_inline uint64_t svm_read_dr6(void)
{
	uint64_t v;

	asm volatile("mov %%dr6, %0" : "=r"(v));
	return v;
}

static __always_inline uint64_t svm_read_rflags(void)
{
	uint64_t v;

	asm volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

static __always_inline void svm_sgdt(struct svm_dtr *d)
{
	asm volatile("sgdt %0" : "=m"(*d));
}

static __always_inline void svm_sidt(struct svm_dtr *d)
{
	asm volatile("sidt %0" : "=m"(*d));
}

#define SVM_READ_SEG(name, insn)                              \
	static __always_inline uint16_t svm_read_##name(void) \
	{                                                     \
		uint16_t v;                                   \
		asm volatile(insn " %0" : "=r"(v));           \
		return v;                                     \
	}
SVM_READ_SEG(cs, "mov %%cs,")
SVM_READ_SEG(ss, "mov %%ss,")
SVM_READ_SEG(ds, "mov %%ds,")
SVM_READ_SEG(es, "mov %%es,")
SVM_READ_SEG(fs, "mov %%fs,")
SVM_READ_SEG(gs, "mov %%gs,")
SVM_READ_SEG(tr, "str")
SVM_READ_SEG(ldtr, "sldt")

/* LAR: access rights of a selector; 0 for a null/unusable selector. */
static __always_inline uint32_t svm_lar(uint16_t sel)
{
	uint32_t ar = 0;

	asm volatile("lar %1, %0\n\tjz 1f\n\txor %0, %0\n1:"
		     : "+r"(ar)
		     : "r"((uint32_t)sel)
		     : "cc");
	return ar;
}

static __always_inline uint32_t svm_lsl(uint16_t sel)
{
	uint32_t lim = 0;

	asm volatile("lsl %1, %0\n\tjz 1f\n\txor %0, %0\n1:"
		     : "+r"(lim)
		     : "r"((uint32_t)sel)
		     : "cc");
	return lim;
}

static __always_inline void svm_vmmcall(uint64_t *rax, uint64_t *rbx,
					uint64_t *rcx, uint64_t *rdx)
{
	asm volatile("vmmcall"
		     : "+a"(*rax), "+b"(*rbx), "+c"(*rcx), "+d"(*rdx)
		     :
		     : "memory");
}

static __always_inline void svm_outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static __always_inline uint8_t svm_inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static __always_inline void svm_outw(uint16_t port, uint16_t v)
{
	asm volatile("outw %0, %1" ::"a"(v), "Nd"(port));
}

static __always_inline uint16_t svm_inw(uint16_t port)
{
	uint16_t v;

	asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static __always_inline void svm_outl(uint16_t port, uint32_t v)
{
	asm volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}

static __always_inline uint32_t svm_inl(uint16_t port)
{
	uint32_t v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#endif /* THINHV_SVM_HW_H */
