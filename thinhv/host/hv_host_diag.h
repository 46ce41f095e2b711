/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv_host_diag.h - last-resort diagnostics for HOST MODE / VMX ROOT MODE
 * (svm_host.c, vmx_host.c): a bounded COM1 writer and the machine stop.
 * Static and self-contained on purpose: host-mode objects may call nothing
 * outside themselves, so each includes its own copy of this code.
 */
#ifndef THINHV_HV_HOST_DIAG_H
#define THINHV_HV_HOST_DIAG_H

#include "thinhv/compat.h"

#define HV_COM1 0x3f8
#define HV_UART_LSR 5
#define HV_UART_LSR_THRE 0x20

static inline uint8_t hv_diag_inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void hv_diag_outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

/* Best effort, bounded: the OS's serial driver may be mid-transmit. */
static void serial_putc(char ch)
{
	unsigned int spin;

	for (spin = 0; spin < 100000; spin++)
		if (hv_diag_inb(HV_COM1 + HV_UART_LSR) & HV_UART_LSR_THRE)
			break;
	hv_diag_outb(HV_COM1, (uint8_t)ch);
}

static void serial_puts(const char *s)
{
	while (*s)
		serial_putc(*s++);
}

static void serial_hex(uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	int i;

	serial_puts("0x");
	for (i = 60; i >= 0; i -= 4)
		serial_putc(digits[(v >> i) & 0xf]);
}

/*
 * Stop the machine: nothing in host mode can recover, and resuming the OS
 * after an unexplained exit would be a silent security decision. An empty
 * IDT turns the next exception into a shutdown (triple fault), which the
 * lab sees as a reset and real hardware as a reboot.
 */
static void __attribute__((noreturn, unused)) host_stop(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) none = { 0, 0 };

	asm volatile("lidt %0\n\tint3" ::"m"(none));
	for (;;)
		asm volatile("cli; hlt");
}

#endif /* THINHV_HV_HOST_DIAG_H */
