/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * att_file.h - how the CLI creates files (host userspace): never through a
 * planted symlink, never onto a device or a hard-linked file, private
 * material 0600 and never over an existing file.
 */
#ifndef THINHV_ATT_FILE_H
#define THINHV_ATT_FILE_H

#include <stddef.h>

/* att_file_open_at/att_file_write_at flags */
#define ATT_FILE_PRIVATE 0x1u /* mode 0600 (else 0644) */
#define ATT_FILE_EXCL 0x2u    /* refuse an existing name (-EEXIST) */

/*
 * Open name (relative to dirfd, or AT_FDCWD) for writing. The last
 * component is never followed when it is a symlink (-ELOOP); an existing
 * name must be a regular file with one link, owned by the caller, and is
 * truncated (and made 0600 with ATT_FILE_PRIVATE). Returns an fd or a
 * negative errno.
 */
int att_file_open_at(int dirfd, const char *name, unsigned int flags);
int att_file_write_at(int dirfd, const char *name, const void *buf, size_t len,
		      unsigned int flags);

/* Private material (keys, secrets): 0600, never over an existing file. */
int att_write_private(const char *path, const void *buf, size_t len);

/*
 * A directory to write into that nobody else prepared: created 0700, or an
 * existing empty directory owned by the caller and writable by nobody
 * else (refused otherwise: -EEXIST, -ENOTEMPTY, -EPERM). Returns an
 * O_DIRECTORY fd or a negative errno.
 */
int att_dir_fresh(const char *path);

/* PEM of a public key (att.h's struct att_key) under the same rules. */
struct att_key;
int att_key_write_pem_at(const struct att_key *k, int dirfd, const char *name);

#endif
