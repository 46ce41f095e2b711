// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit_src.c - the one input source of the audit: live files, live files
 * recorded into DIR/root/<path>, or a replay of such a recording
 * (host userspace). Format: docs/audit.md "Recording format".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <linux/openat2.h>

#include "auditcli/lib/audit.h"
#include "attest/lib/att_file.h"

/* A directory with more entries is not sysfs (PCI: 65536 functions per
 * segment); a recording that has one is refused. */
#define SRC_MAX_ENTRIES 65536

struct audit_src {
	int rootfd;	    /* "/" live, DIR/root replay */
	int recfd;	    /* DIR/root when recording, else -1 */
	int dirfd;	    /* DIR when recording, else -1 */
	char dir[PATH_MAX]; /* record or replay directory */
	bool replay, record;
	bool privileged;
	char label[128];
};

static void seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Paths are absolute ("/sys/..."); under a root fd they are relative. */
static const char *rel(const char *path)
{
	while (*path == '/')
		path++;
	return *path ? path : ".";
}

/*
 * A recording is untrusted: resolve every path beneath DIR/root and never
 * through a symlink, so a crafted recording cannot make replay read other
 * files of the auditor's machine. Live reads follow sysfs symlinks normally.
 */
static int src_open(struct audit_src *s, const char *path, int flags)
{
	if (s->replay) {
		struct open_how how = { 0 };
		long fd;

		/* O_NONBLOCK: a FIFO in a recording must not hang replay
		 * (openat2 refuses it with O_PATH, which opens nothing). */
		if (!(flags & O_PATH))
			flags |= O_NONBLOCK;
		how.flags = (uint64_t)flags | O_CLOEXEC;
		how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
			      RESOLVE_NO_MAGICLINKS;
		fd = syscall(SYS_openat2, s->rootfd, rel(path), &how,
			     sizeof(how));
		if (fd >= 0 || errno != ENOSYS)
			return (int)fd;
		/* Kernels before 5.6: refuse a symlink in the last step only. */
		return openat(s->rootfd, rel(path),
			      flags | O_CLOEXEC | O_NOFOLLOW);
	}
	return openat(s->rootfd, rel(path), flags | O_CLOEXEC);
}

static int mkdirs_at(int dfd, const char *relpath, bool last_too)
{
	char tmp[PATH_MAX];
	size_t n = strlen(relpath);

	if (n >= sizeof(tmp))
		return -ENAMETOOLONG;
	memcpy(tmp, relpath, n + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdirat(dfd, tmp, 0700) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (last_too && mkdirat(dfd, tmp, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

static void rec_write(struct audit_src *s, const char *path, const char *buf,
		      size_t len)
{
	int fd;

	if (mkdirs_at(s->recfd, rel(path), false))
		return;
	/* 0600: a privileged recording holds root-only data */
	fd =
	    openat(s->recfd, rel(path),
		   O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return;
	while (len) {
		ssize_t w = write(fd, buf, len);

		if (w <= 0)
			break;
		buf += w;
		len -= (size_t)w;
	}
	close(fd);
}

/* The manifest of an untrusted recording: a regular file, not a link. */
static FILE *open_manifest(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	FILE *f;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	f = fdopen(fd, "r");
	if (!f)
		close(fd);
	return f;
}

static int parse_manifest(struct audit_src *s, char *err, size_t errlen)
{
	char path[PATH_MAX + 32], line[256];
	FILE *f;
	int lineno = 0, rc = 0;
	bool have_priv = false;

	snprintf(path, sizeof(path), "%s/%s", s->dir, AUDIT_REC_MANIFEST);
	f = open_manifest(path);
	if (!f) {
		seterr(err, errlen,
		       "%s: not a thinhv recording (cannot open %s: %s)",
		       s->dir, AUDIT_REC_MANIFEST, strerror(errno));
		return -EINVAL;
	}
	while (fgets(line, sizeof(line), f)) {
		char *v;
		size_t n = strlen(line);

		lineno++;
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		else if (!feof(f)) {
			seterr(err, errlen, "%s:%d: line too long", path,
			       lineno);
			rc = -EINVAL;
			break;
		}
		if (lineno == 1) {
			int ver;
			char extra;

			if (sscanf(line, "thinhv-recording %d%c", &ver,
				   &extra) != 1) {
				seterr(err, errlen,
				       "%s:1: expected 'thinhv-recording %d'",
				       path, AUDIT_REC_VERSION);
				rc = -EINVAL;
				break;
			}
			if (ver != AUDIT_REC_VERSION) {
				seterr(err, errlen,
				       "%s:1: recording format version %d not "
				       "supported (this thinhv reads %d)",
				       path, ver, AUDIT_REC_VERSION);
				rc = -EINVAL;
				break;
			}
			continue;
		}
		if (!n || line[0] == '#')
			continue;
		v = strstr(line, ": ");
		if (!v) {
			seterr(err, errlen, "%s:%d: expected 'key: value'",
			       path, lineno);
			rc = -EINVAL;
			break;
		}
		*v = '\0';
		v += 2;
		if (!strcmp(line, "label")) {
			snprintf(s->label, sizeof(s->label), "%s", v);
		} else if (!strcmp(line, "privileged")) {
			if (strcmp(v, "yes") && strcmp(v, "no")) {
				seterr(err, errlen,
				       "%s:%d: privileged must be yes or no",
				       path, lineno);
				rc = -EINVAL;
				break;
			}
			s->privileged = !strcmp(v, "yes");
			have_priv = true;
		} else if (strcmp(line, "kernel") && strcmp(line, "recorded") &&
			   strcmp(line, "tool") && strcmp(line, "note")) {
			seterr(err, errlen, "%s:%d: unknown key '%s'", path,
			       lineno, line);
			rc = -EINVAL;
			break;
		}
	}
	if (!rc && lineno == 0) {
		seterr(err, errlen, "%s: empty manifest", path);
		rc = -EINVAL;
	}
	if (!rc && !have_priv) {
		seterr(err, errlen, "%s: missing 'privileged: yes|no'", path);
		rc = -EINVAL;
	}
	fclose(f);
	return rc;
}

int audit_src_open(struct audit_src **out, const char *record_dir,
		   const char *replay_dir, char *err, size_t errlen)
{
	struct audit_src *s = calloc(1, sizeof(*s));
	char root[PATH_MAX + 8];
	int rc;

	if (!s)
		return -ENOMEM;
	s->recfd = -1;
	s->rootfd = -1;
	s->dirfd = -1;
	if (record_dir && replay_dir) {
		seterr(err, errlen, "--record and --replay exclude each other");
		free(s);
		return -EINVAL;
	}
	if (replay_dir) {
		s->replay = true;
		snprintf(s->dir, sizeof(s->dir), "%s", replay_dir);
		rc = parse_manifest(s, err, errlen);
		if (rc)
			goto fail;
		snprintf(root, sizeof(root), "%s/root", s->dir);
		/* DIR/root -> / would replay the auditor's own machine */
		s->rootfd =
		    open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (s->rootfd < 0) {
			seterr(err, errlen, "%s: malformed recording: %s", root,
			       strerror(errno));
			rc = -EINVAL;
			goto fail;
		}
		if (!s->label[0])
			snprintf(s->label, sizeof(s->label), "recording");
		*out = s;
		return 0;
	}
	s->privileged = geteuid() == 0;
	snprintf(s->label, sizeof(s->label), "live");
	s->rootfd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->rootfd < 0) {
		rc = -errno;
		goto fail;
	}
	if (record_dir) {
		s->record = true;
		snprintf(s->dir, sizeof(s->dir), "%s", record_dir);
		snprintf(root, sizeof(root), "%s/root", record_dir);
		/* A directory nobody else prepared or can write: 0700. */
		s->dirfd = att_dir_fresh(record_dir);
		if (s->dirfd < 0) {
			rc = s->dirfd;
			seterr(err, errlen,
			       "--record %s: %s (wants a new directory, or an "
			       "empty one of yours that only you can write)",
			       record_dir, strerror(-rc));
			goto fail;
		}
		if (mkdirat(s->dirfd, "root", 0700)) {
			rc = -errno;
			seterr(err, errlen, "%s: %s", root, strerror(errno));
			goto fail;
		}
		s->recfd =
		    openat(s->dirfd, "root",
			   O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (s->recfd < 0) {
			seterr(err, errlen, "%s: %s", root, strerror(errno));
			rc = -errno;
			goto fail;
		}
	}
	*out = s;
	return 0;
fail:
	if (s->rootfd >= 0)
		close(s->rootfd);
	if (s->dirfd >= 0)
		close(s->dirfd);
	free(s);
	return rc;
}

int audit_src_close(struct audit_src *s)
{
	int rc = 0;

	if (!s)
		return 0;
	if (s->record) {
		char host[64] = "host", when[32] = "";
		struct utsname u;
		time_t now = time(NULL);
		struct tm tm;
		FILE *f;

		gethostname(host, sizeof(host) - 1);
		if (gmtime_r(&now, &tm))
			strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		int fd = att_file_open_at(s->dirfd, AUDIT_REC_MANIFEST,
					  ATT_FILE_PRIVATE | ATT_FILE_EXCL);

		f = fd < 0 ? NULL : fdopen(fd, "w");
		if (!f) {
			rc = fd < 0 ? fd : -errno;
			if (fd >= 0)
				close(fd);
		} else {
			fprintf(f, "thinhv-recording %d\n", AUDIT_REC_VERSION);
			fprintf(f, "label: %s\n", host);
			fprintf(f, "privileged: %s\n",
				s->privileged ? "yes" : "no");
			if (!uname(&u))
				fprintf(f, "kernel: %s %s\n", u.sysname,
					u.release);
			fprintf(f, "recorded: %s\n", when);
			if (fclose(f))
				rc = -errno;
		}
		close(s->recfd);
		close(s->dirfd);
	}
	close(s->rootfd);
	free(s);
	return rc;
}

bool audit_src_replaying(const struct audit_src *s)
{
	return s->replay;
}

const char *audit_src_label(const struct audit_src *s)
{
	return s->label;
}

bool audit_src_privileged(const struct audit_src *s)
{
	return s->privileged;
}

const char *audit_src_where(struct audit_src *s, const char *path, char *buf,
			    size_t buflen)
{
	if (s->replay)
		snprintf(buf, buflen, "%s/root%s", s->dir, path);
	else
		snprintf(buf, buflen, "%s", path);
	return buf;
}

int audit_src_read(struct audit_src *s, const char *path, size_t max,
		   char **buf, size_t *len)
{
	int fd = src_open(s, path, O_RDONLY);
	char *b;
	size_t n = 0;
	struct stat st;

	*buf = NULL;
	*len = 0;
	if (fd < 0) {
		int e = -errno;

		/* Permission is denied at open() for root-only files. */
		if (s->record && (e == -EACCES || e == -EPERM))
			rec_write(s, path, AUDIT_REC_UNREADABLE,
				  strlen(AUDIT_REC_UNREADABLE));
		return e;
	}
	if (fstat(fd, &st)) {
		int e = -errno;

		close(fd);
		return e;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return -EISDIR;
	}
	/* A recording holds regular files only (FIFOs, devices: refused). */
	if (s->replay && !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	b = malloc(max + 1);
	if (!b) {
		close(fd);
		return -ENOMEM;
	}
	while (n < max) {
		ssize_t r = read(fd, b + n, max - n);

		if (r < 0) {
			int e;

			if (errno == EINTR)
				continue;
			/* sysfs attributes can refuse reads (EIO, EACCES). */
			e = -errno;
			close(fd);
			free(b);
			if (s->record && (e == -EACCES || e == -EPERM))
				rec_write(s, path, AUDIT_REC_UNREADABLE,
					  strlen(AUDIT_REC_UNREADABLE));
			return e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	b[n] = '\0';
	if (s->replay && n == strlen(AUDIT_REC_UNREADABLE) &&
	    !memcmp(b, AUDIT_REC_UNREADABLE, n)) {
		free(b);
		return -EACCES;
	}
	if (s->record)
		rec_write(s, path, b, n);
	*buf = b;
	*len = n;
	return 0;
}

int audit_src_readlink(struct audit_src *s, const char *path, char *out,
		       size_t outlen)
{
	char parent[PATH_MAX];
	const char *slash = strrchr(path, '/');
	ssize_t n;
	int dfd;

	if (!slash || !slash[1] || (size_t)(slash - path) >= sizeof(parent))
		return -EINVAL;
	memcpy(parent, path, (size_t)(slash - path));
	parent[slash - path] = '\0';
	dfd = src_open(s, parent[0] ? parent : "/", O_RDONLY | O_DIRECTORY);
	if (dfd < 0)
		return -errno;
	n = readlinkat(dfd, slash + 1, out, outlen - 1);
	if (n < 0) {
		int e = -errno;

		close(dfd);
		return e;
	}
	close(dfd);
	out[n] = '\0';
	if (s->record && !mkdirs_at(s->recfd, rel(path), false)) {
		unlinkat(s->recfd, rel(path), 0);
		if (symlinkat(out, s->recfd, rel(path)))
			return 0; /* a recording miss is not a scan error */
	}
	return 0;
}

static int cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int audit_src_list(struct audit_src *s, const char *path, char ***names,
		   size_t *n)
{
	int fd = src_open(s, path, O_RDONLY | O_DIRECTORY);
	DIR *d;
	struct dirent *e;
	char **v = NULL;
	size_t cnt = 0, cap = 0;

	*names = NULL;
	*n = 0;
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -ENOMEM;
	}
	while ((e = readdir(d))) {
		/* Dot entries never occur in sysfs; a recording uses .keep
		 * to keep an empty directory in version control. */
		if (e->d_name[0] == '.')
			continue;
		if (cnt >= SRC_MAX_ENTRIES) {
			closedir(d);
			audit_strv_free(v, cnt);
			return -E2BIG;
		}
		if (cnt == cap) {
			size_t nc = cap ? cap * 2 : 16;
			char **nv = realloc(v, nc * sizeof(*v));

			if (!nv)
				goto nomem;
			v = nv;
			cap = nc;
		}
		v[cnt] = strdup(e->d_name);
		if (!v[cnt])
			goto nomem;
		cnt++;
	}
	closedir(d);
	if (cnt)
		qsort(v, cnt, sizeof(*v), cmpstr);
	if (s->record && !mkdirs_at(s->recfd, rel(path), true)) {
		char keep[PATH_MAX];

		snprintf(keep, sizeof(keep), "%s/.keep", path);
		rec_write(s, keep, "", 0);
	}
	*names = v;
	*n = cnt;
	return 0;
nomem:
	closedir(d);
	audit_strv_free(v, cnt);
	return -ENOMEM;
}

int audit_src_synth(struct audit_src *s, const char *path,
		    int (*produce)(char **buf, size_t *len), char **buf,
		    size_t *len)
{
	int rc;

	if (s->replay)
		return audit_src_read(s, path, 1 << 20, buf, len);
	*buf = NULL;
	*len = 0;
	rc = produce(buf, len);
	if (!rc && s->record)
		rec_write(s, path, *buf, *len);
	return rc;
}

bool audit_src_exists(struct audit_src *s, const char *path)
{
	int fd = src_open(s, path, O_PATH);

	if (fd < 0)
		return false;
	close(fd);
	/* Device nodes are recorded as empty marker files. */
	if (s->record)
		rec_write(s, path, "", 0);
	return true;
}

void audit_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
