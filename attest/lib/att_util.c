// SPDX-License-Identifier: GPL-2.0-only
/*
 * att_util.c - small helpers for attestation in host userspace: libsodium
 * hash callback, bounded file I/O, strict hex decoding.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "attest/lib/att.h"
#include "attest/lib/att_file.h"

int att_sodium_hash2(void *hctx, uint16_t alg, const uint8_t *a, size_t alen,
		     const uint8_t *b, size_t blen, uint8_t *out)
{
	crypto_hash_sha256_state st;

	(void)hctx;
	if (alg != ATT_ALG_SHA256)
		return -EOPNOTSUPP;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, a, alen);
	crypto_hash_sha256_update(&st, b, blen);
	crypto_hash_sha256_final(&st, out);
	return 0;
}

int att_read_file(const char *path, size_t max, uint8_t **out, size_t *len)
{
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;
	int fd, rc = 0;

	*out = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* Read until EOF: sysfs/securityfs files report size 0 in stat. */
	for (;;) {
		ssize_t r;

		if (n == cap) {
			uint8_t *nb;

			if (cap >= max + 1) {
				rc = -EFBIG;
				break;
			}
			cap = cap ? cap * 2 : 4096;
			if (cap > max + 1)
				cap = max + 1;
			nb = realloc(buf, cap);
			if (!nb) {
				rc = -ENOMEM;
				break;
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			rc = -EFBIG;
			break;
		}
	}
	close(fd);
	if (rc) {
		free(buf);
		return rc;
	}
	if (!buf) {
		buf = malloc(1); /* empty file: valid, non-NULL pointer */
		if (!buf)
			return -ENOMEM;
	}
	*out = buf;
	*len = n;
	return 0;
}

/* Public outputs: no symlink followed, no device or foreign file written. */
int att_write_file(const char *path, const void *buf, size_t len)
{
	return att_file_write_at(AT_FDCWD, path, buf, len, 0);
}

int att_hex_decode(const char *hex, uint8_t **out, size_t *len)
{
	size_t n = strlen(hex), bin_len = 0;
	const char *end = NULL;
	uint8_t *buf;

	*out = NULL;
	*len = 0;
	if (n == 0 || n % 2)
		return -EINVAL;
	buf = malloc(n / 2);
	if (!buf)
		return -ENOMEM;
	if (sodium_hex2bin(buf, n / 2, hex, n, NULL, &bin_len, &end) ||
	    bin_len != n / 2 || (end && *end)) {
		free(buf);
		return -EINVAL;
	}
	*out = buf;
	*len = bin_len;
	return 0;
}
