// SPDX-License-Identifier: GPL-2.0-only
/*
 * edu.c - lab guest tool (static, guest userspace, root): drives QEMU's `edu`
 * PCI device (1234:11e8) as a DMA engine, the attacker and victim of the DMA
 * tests, and reads/writes physical memory through /dev/mem to check what a
 * DMA did.  Register layout: QEMU docs/specs/edu.rst.
 *
 *   edu list                              BDFs of edu devices
 *   edu ident BDF                         identification + liveness check
 *   edu dma BDF to-dev ADDR LEN [OFF]     RAM/IOVA ADDR -> device buffer
 *   edu dma BDF to-ram ADDR LEN [OFF]     device buffer -> RAM/IOVA ADDR
 *   edu roundtrip BDF [LEN]               pattern page -> device -> 2nd page,
 *                                         compared (bus address = physical)
 *   edu mem fill PHYS LEN BYTE            /dev/mem (reserved RAM only)
 *   edu mem hash PHYS LEN                 FNV-1a 64 of the bytes
 *   edu mem dump PHYS LEN                 hex
 * Exit: 0 ok, 1 the operation failed or timed out, 2 usage.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
#define EDU_REG_IDENT 0x00
#define EDU_REG_LIVE 0x04
#define EDU_REG_DMA_SRC 0x80
#define EDU_REG_DMA_DST 0x88
#define EDU_REG_DMA_CNT 0x90
#define EDU_REG_DMA_CMD 0x98
#define EDU_DMA_START 0x1
#define EDU_DMA_TO_RAM 0x2
#define EDU_BUF_BASE 0x40000
/* QEMU 7.2 aborts on a 4096-byte transfer (off-by-one range check). */
#define EDU_BUF_MAX 4095
#define EDU_TIMEOUT_MS 3000

static const char *sysdev = "/sys/bus/pci/devices";

static int read_hex_file(const char *path, unsigned long *v)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "%lx", v) == 1;
	fclose(f);
	return ok ? 0 : -1;
}

static int is_edu(const char *bdf)
{
	char p[512];
	unsigned long ven, dev;

	snprintf(p, sizeof(p), "%s/%s/vendor", sysdev, bdf);
	if (read_hex_file(p, &ven))
		return 0;
	snprintf(p, sizeof(p), "%s/%s/device", sysdev, bdf);
	if (read_hex_file(p, &dev))
		return 0;
	return ven == EDU_VENDOR && dev == EDU_DEVICE;
}

static int cmd_list(void)
{
	struct dirent **ents;
	int n = scandir(sysdev, &ents, NULL, alphasort);

	if (n < 0) {
		perror("edu: scandir");
		return 1;
	}
	for (int i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.' && is_edu(ents[i]->d_name))
			printf("%s\n", ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
	return 0;
}

/* Enable memory decoding and bus mastering (PCI COMMAND bits 1 and 2). */
static int enable_device(const char *bdf)
{
	char p[512];
	uint16_t cmd;
	int fd;

	snprintf(p, sizeof(p), "%s/%s/config", sysdev, bdf);
	fd = open(p, O_RDWR);
	if (fd < 0 || pread(fd, &cmd, 2, 4) != 2) {
		fprintf(stderr, "edu: %s: cannot read config: %s\n", bdf,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if ((cmd & 0x6) != 0x6) {
		cmd |= 0x6;
		if (pwrite(fd, &cmd, 2, 4) != 2) {
			fprintf(stderr, "edu: %s: cannot write command: %s\n",
				bdf, strerror(errno));
			close(fd);
			return -1;
		}
	}
	close(fd);
	return 0;
}

static volatile uint8_t *map_bar(const char *bdf)
{
	char p[512];
	void *m;
	int fd;

	if (!is_edu(bdf)) {
		fprintf(stderr, "edu: %s is not an edu device (1234:11e8)\n",
			bdf);
		return NULL;
	}
	if (enable_device(bdf))
		return NULL;
	snprintf(p, sizeof(p), "%s/%s/resource0", sysdev, bdf);
	fd = open(p, O_RDWR | O_SYNC);
	if (fd < 0) {
		fprintf(stderr, "edu: %s: %s\n", p, strerror(errno));
		return NULL;
	}
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (m == MAP_FAILED) {
		fprintf(stderr, "edu: mmap %s: %s\n", p, strerror(errno));
		return NULL;
	}
	return m;
}

static uint32_t rd32(volatile uint8_t *bar, unsigned int off)
{
	return *(volatile uint32_t *)(bar + off);
}

static void wr32(volatile uint8_t *bar, unsigned int off, uint32_t v)
{
	*(volatile uint32_t *)(bar + off) = v;
}

static void wr64(volatile uint8_t *bar, unsigned int off, uint64_t v)
{
	*(volatile uint64_t *)(bar + off) = v;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* One transfer; bounded wait for the run bit to clear. */
static int edu_dma(volatile uint8_t *bar, int to_ram, uint64_t addr,
		   uint32_t len, uint32_t off)
{
	uint64_t t0;

	if (len == 0 || len > EDU_BUF_MAX || off > EDU_BUF_MAX - len) {
		fprintf(stderr,
			"edu: length %u at offset %u exceeds the %d-byte"
			" device buffer\n",
			len, off, EDU_BUF_MAX);
		return -1;
	}
	if (rd32(bar, EDU_REG_DMA_CMD) & EDU_DMA_START) {
		fprintf(stderr, "edu: a transfer is already running\n");
		return -1;
	}
	if (to_ram) {
		wr64(bar, EDU_REG_DMA_SRC, EDU_BUF_BASE + off);
		wr64(bar, EDU_REG_DMA_DST, addr);
	} else {
		wr64(bar, EDU_REG_DMA_SRC, addr);
		wr64(bar, EDU_REG_DMA_DST, EDU_BUF_BASE + off);
	}
	wr64(bar, EDU_REG_DMA_CNT, len);
	wr32(bar, EDU_REG_DMA_CMD,
	     EDU_DMA_START | (to_ram ? EDU_DMA_TO_RAM : 0));
	t0 = now_ms();
	while (rd32(bar, EDU_REG_DMA_CMD) & EDU_DMA_START) {
		if (now_ms() - t0 > EDU_TIMEOUT_MS) {
			fprintf(stderr, "edu: DMA did not complete in %d ms\n",
				EDU_TIMEOUT_MS);
			return -1;
		}
		usleep(1000);
	}
	return 0;
}

static uint64_t virt_to_phys(void *v)
{
	uint64_t ent;
	long pg = sysconf(_SC_PAGESIZE);
	int fd = open("/proc/self/pagemap", O_RDONLY);
	off_t off = (off_t)((uintptr_t)v / (uintptr_t)pg) * 8;

	if (fd < 0)
		return 0;
	if (pread(fd, &ent, 8, off) != 8)
		ent = 0;
	close(fd);
	if (!(ent & (1ull << 63)) || !(ent & ((1ull << 55) - 1)))
		return 0;
	return (ent & ((1ull << 55) - 1)) * (uint64_t)pg +
	       ((uintptr_t)v % (uintptr_t)pg);
}

static int cmd_roundtrip(const char *bdf, uint32_t len)
{
	volatile uint8_t *bar = map_bar(bdf);
	uint8_t *a, *b;
	uint64_t pa, pb;

	if (!bar)
		return 1;
	a = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_LOCKED, -1,
		 0);
	if (a == MAP_FAILED) {
		perror("edu: mmap");
		return 1;
	}
	b = a + 4096;
	srand((unsigned int)now_ms());
	for (uint32_t i = 0; i < len; i++) {
		a[i] = (uint8_t)rand();
		b[i] = (uint8_t)~a[i];
	}
	pa = virt_to_phys(a);
	pb = virt_to_phys(b);
	if (!pa || !pb) {
		fprintf(stderr, "edu: no physical address (run as root)\n");
		return 1;
	}
	if (edu_dma(bar, 0, pa, len, 0) || edu_dma(bar, 1, pb, len, 0))
		return 1;
	if (memcmp(a, b, len)) {
		fprintf(stderr,
			"edu: roundtrip mismatch (src %#" PRIx64
			" dst %#" PRIx64 ")\n",
			pa, pb);
		return 1;
	}
	printf("roundtrip ok: %u bytes %#" PRIx64 " -> device -> %#" PRIx64
	       "\n",
	       len, pa, pb);
	return 0;
}

static int cmd_ident(const char *bdf)
{
	volatile uint8_t *bar = map_bar(bdf);
	uint32_t id, live;

	if (!bar)
		return 1;
	id = rd32(bar, EDU_REG_IDENT);
	wr32(bar, EDU_REG_LIVE, 0x12345678);
	live = rd32(bar, EDU_REG_LIVE);
	printf("ident %08x liveness %s\n", id,
	       live == ~0x12345678u ? "ok" : "BAD");
	return (id & 0xff) == 0xed && live == ~0x12345678u ? 0 : 1;
}

static uint8_t *map_phys(uint64_t phys, uint64_t len, int write, void **base,
			 size_t *maplen)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint64_t start = phys & ~(uint64_t)(pg - 1);
	int fd = open("/dev/mem", (write ? O_RDWR : O_RDONLY) | O_SYNC);
	void *m;

	if (fd < 0) {
		perror("edu: /dev/mem");
		return NULL;
	}
	*maplen = (size_t)(phys - start + len);
	m = mmap(NULL, *maplen, PROT_READ | (write ? PROT_WRITE : 0),
		 MAP_SHARED, fd, (off_t)start);
	close(fd);
	if (m == MAP_FAILED) {
		fprintf(stderr, "edu: mmap /dev/mem at %#" PRIx64 ": %s\n",
			phys, strerror(errno));
		return NULL;
	}
	*base = m;
	return (uint8_t *)m + (phys - start);
}

static int cmd_mem(int argc, char **argv)
{
	uint64_t phys, len, h = 0xcbf29ce484222325ull;
	void *base;
	size_t maplen;
	uint8_t *p;
	int write;

	if (argc < 3)
		return 2;
	phys = strtoull(argv[1], NULL, 0);
	len = strtoull(argv[2], NULL, 0);
	write = !strcmp(argv[0], "fill");
	if (len == 0 || len > (64u << 20))
		return 2;
	p = map_phys(phys, len, write, &base, &maplen);
	if (!p)
		return 1;
	if (write) {
		if (argc < 4)
			return 2;
		memset(p, (int)strtoul(argv[3], NULL, 0), len);
	} else if (!strcmp(argv[0], "hash")) {
		for (uint64_t i = 0; i < len; i++)
			h = (h ^ p[i]) * 0x100000001b3ull;
		printf("%016" PRIx64 "\n", h);
	} else if (!strcmp(argv[0], "dump")) {
		for (uint64_t i = 0; i < len; i++)
			printf("%02x%s", p[i], (i % 32 == 31) ? "\n" : "");
		if (len % 32)
			printf("\n");
	} else {
		return 2;
	}
	munmap(base, maplen);
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: edu list | ident BDF | roundtrip BDF [LEN] |\n"
		"       dma BDF to-dev|to-ram ADDR LEN [OFF] |\n"
		"       mem fill PHYS LEN BYTE | mem hash|dump PHYS LEN\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "list"))
		return cmd_list();
	if (!strcmp(argv[1], "ident") && argc == 3)
		return cmd_ident(argv[2]);
	if (!strcmp(argv[1], "roundtrip") && argc >= 3)
		return cmd_roundtrip(
		    argv[2],
		    argc > 3 ? (uint32_t)strtoul(argv[3], NULL, 0) : 256);
	if (!strcmp(argv[1], "mem") && argc >= 3) {
		int rc = cmd_mem(argc - 2, argv + 2);

		return rc == 2 ? usage() : rc;
	}
	if (!strcmp(argv[1], "dma") && argc >= 6) {
		volatile uint8_t *bar = map_bar(argv[2]);
		int to_ram = !strcmp(argv[3], "to-ram");

		if (!to_ram && strcmp(argv[3], "to-dev"))
			return usage();
		if (!bar)
			return 1;
		return edu_dma(bar, to_ram, strtoull(argv[4], NULL, 0),
			       (uint32_t)strtoul(argv[5], NULL, 0),
			       argc > 6 ? (uint32_t)strtoul(argv[6], NULL, 0)
					: 0)
			   ? 1
			   : 0;
	}
	return usage();
}
