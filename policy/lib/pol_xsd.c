// SPDX-License-Identifier: GPL-2.0-only
/*
 * pol_xsd.c - policy/thinhv-policy.xsd embedded in the tool (host
 * userspace), so validation never depends on a file an attacker could swap.
 * POL_XSD_PATH is set by policy/build.mk (and tests/fuzz/fuzz.mk).
 */
#include <stddef.h>
#include <stdint.h>

#include "policy/lib/pol_internal.h"

#ifndef POL_XSD_PATH
/* Relative to the directory the assembler runs in (the tree top). */
#define POL_XSD_PATH "policy/thinhv-policy.xsd"
#endif

__asm__(".section .rodata\n"
	".balign 16\n"
	".globl pol_xsd_start\n"
	".hidden pol_xsd_start\n"
	"pol_xsd_start:\n"
	".incbin \"" POL_XSD_PATH "\"\n"
	".globl pol_xsd_end\n"
	".hidden pol_xsd_end\n"
	"pol_xsd_end:\n"
	".byte 0\n"
	/* The length, computed by the assembler: no pointer arithmetic
	 * across two C objects. */
	".balign 8\n"
	".globl pol_xsd_size\n"
	".hidden pol_xsd_size\n"
	"pol_xsd_size:\n"
	".quad pol_xsd_end - pol_xsd_start\n"
	".previous\n");

extern const char pol_xsd_start[];
extern const uint64_t pol_xsd_size;

const char *pol_xsd_text(size_t *len)
{
	*len = (size_t)pol_xsd_size;
	return pol_xsd_start;
}
