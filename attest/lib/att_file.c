// SPDX-License-Identifier: GPL-2.0-only
/*
 * att_file.c - file creation for the CLI (host userspace). The CLI runs as
 * root on directories a hostile operator may have prepared (an extraction
 * target, a recording, a shared /tmp): no planted symlink is followed, no
 * device or hard-linked file is written, keys are never overwritten.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attest/lib/att_file.h"

/* An existing name may be replaced only if it is our own plain file. */
static int check_replaceable(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	if (st.st_nlink != 1 || st.st_uid != geteuid())
		return -EPERM;
	return 0;
}

int att_file_open_at(int dirfd, const char *name, unsigned int flags)
{
	mode_t mode = flags & ATT_FILE_PRIVATE ? 0600 : 0644;
	struct stat st;
	int fd, rc;

	fd = openat(dirfd, name,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd >= 0)
		return fd;
	if (errno != EEXIST || (flags & ATT_FILE_EXCL))
		return -errno;
	/* Look before opening: opening a device or FIFO has side effects. */
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return -errno;
	if (S_ISLNK(st.st_mode))
		return -ELOOP;
	if (!S_ISREG(st.st_mode))
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	fd =
	    openat(dirfd, name, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = check_replaceable(fd);
	if (!rc && (flags & ATT_FILE_PRIVATE) && fchmod(fd, 0600))
		rc = -errno;
	if (!rc && ftruncate(fd, 0))
		rc = -errno;
	if (rc) {
		close(fd);
		return rc;
	}
	return fd;
}

int att_file_write_at(int dirfd, const char *name, const void *buf, size_t len,
		      unsigned int flags)
{
	const uint8_t *p = buf;
	int fd = att_file_open_at(dirfd, name, flags), rc = 0;

	if (fd < 0)
		return fd;
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		p += w;
		len -= (size_t)w;
	}
	if (close(fd) && !rc)
		rc = -errno;
	return rc;
}

int att_write_private(const char *path, const void *buf, size_t len)
{
	return att_file_write_at(AT_FDCWD, path, buf, len,
				 ATT_FILE_PRIVATE | ATT_FILE_EXCL);
}

static int dir_is_empty(int fd)
{
	int dup_fd = dup(fd), rc = 0;
	struct dirent *e;
	DIR *d;

	if (dup_fd < 0)
		return -errno;
	d = fdopendir(dup_fd);
	if (!d) {
		rc = -errno;
		close(dup_fd);
		return rc;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			rc = -ENOTEMPTY;
			break;
		}
	closedir(d);
	return rc;
}

int att_dir_fresh(const char *path)
{
	struct stat st;
	int fd, rc;

	if (mkdir(path, 0700) && errno != EEXIST)
		return -errno;
	/* O_NOFOLLOW: a symlink named DIR is refused, not entered. */
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOTDIR ? -EEXIST : -errno;
	if (fstat(fd, &st)) {
		rc = -errno;
	} else if (st.st_uid != geteuid() || (st.st_mode & 022)) {
		rc = -EPERM;
	} else {
		rc = dir_is_empty(fd);
	}
	if (rc) {
		close(fd);
		return rc;
	}
	return fd;
}
