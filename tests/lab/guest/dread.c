// SPDX-License-Identifier: GPL-2.0-only
/*
 * dread.c - lab guest probe (static, guest userspace, root): times O_DIRECT
 * reads of a block device, so every byte comes from the controller by DMA
 * (no page cache), and hashes what was read so a benchmark cannot time
 * reads that silently returned wrong data.
 *
 *   dread DEV BYTES [BLOCK]      read BYTES from offset 0 in BLOCK chunks
 * Prints "bytes=N ns=N kBps=N fnv=HEX16" (kBps: 1000 bytes per second);
 * ns counts only the read() calls, hashing is outside the timed part.
 * Exit: 0 ok, 1 a read failed or came up short, 2 usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DREAD_ALIGN 4096
#define DREAD_BLOCK_MAX (4u << 20)

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || v == 0)
		return -1;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t total, block = 128 * 1024, done = 0, ns = 0;
	uint64_t h = 0xcbf29ce484222325ull;
	uint8_t *b;
	int fd;

	if (argc < 3 || argc > 4 || parse_size(argv[2], &total) ||
	    (argc == 4 && parse_size(argv[3], &block)) || block % DREAD_ALIGN ||
	    block > DREAD_BLOCK_MAX || total % block) {
		fprintf(stderr,
			"usage: dread DEV BYTES [BLOCK]  (BLOCK a "
			"multiple of 4096 up to 4 MiB dividing BYTES)\n");
		return 2;
	}
	if (posix_memalign((void **)&b, DREAD_ALIGN, block)) {
		fprintf(stderr,
			"dread: no memory for a %" PRIu64 "-byte block\n",
			block);
		return 1;
	}
	fd = open(argv[1], O_RDONLY | O_DIRECT);
	if (fd < 0) {
		fprintf(stderr, "dread: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	while (done < total) {
		uint64_t t0 = now_ns();
		ssize_t n = pread(fd, b, block, (off_t)done);

		ns += now_ns() - t0;
		if (n != (ssize_t)block) {
			fprintf(stderr,
				"dread: %s: read at offset %" PRIu64
				" returned %zd (%s)\n",
				argv[1], done, n,
				n < 0 ? strerror(errno) : "short");
			close(fd);
			return 1;
		}
		for (uint64_t i = 0; i < block; i++)
			h = (h ^ b[i]) * 0x100000001b3ull;
		done += block;
	}
	close(fd);
	free(b);
	printf("bytes=%" PRIu64 " ns=%" PRIu64 " kBps=%" PRIu64
	       " fnv=%016" PRIx64 "\n",
	       done, ns, ns ? done * (uint64_t)1000000 / ns : 0, h);
	return 0;
}
