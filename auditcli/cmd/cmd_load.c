// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_load.c - `thinhv load`: compile the configured policy, load
 * thinhv.ko with it and say in one line what is enforced or exactly why not
 * (host userspace, root; thinhv.service's ExecStart). Phases: parse options
 * and thinhv.conf, compile, act (modprobe), report from /dev/thinhv.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attest/lib/att.h"
#include "auditcli/cmd/cli.h"
#include "policy/lib/policy.h"
#include "thinhv/compat.h"
#include "thinhv/thinhv_ioctl.h"

#define LOAD_CONF_DEFAULT "/etc/thinhv/thinhv.conf"
#define LOAD_POLICY_DEFAULT "/etc/thinhv/policy.xml"
#define LOAD_RUN_DIR "/run/thinhv"
#define LOAD_BLOB LOAD_RUN_DIR "/policy.blob"
#define LOAD_PARAMS "/sys/module/thinhv/parameters/"

/* thinhv.conf, after defaults: what `load` hands to the module. */
struct load_conf {
	char policy[512];
	char module[512]; /* a module name for modprobe, or a .ko path */
	int lock;
	int require_tpm;
	int allow_nested;
};

static int conf_bool(const char *v, int *out)
{
	if (!strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "true"))
		*out = 1;
	else if (!strcmp(v, "0") || !strcmp(v, "no") || !strcmp(v, "false"))
		*out = 0;
	else
		return -EINVAL;
	return 0;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
			 e[-1] == '\r'))
		*--e = 0;
	return s;
}

/*
 * "key = value" lines, '#' comments. An unknown key or a bad value is an
 * error naming file and line: a typo in `lock` must not load unlocked.
 */
static int conf_read(const char *path, bool must_exist, struct load_conf *c)
{
	char line[1024];
	unsigned int n = 0;
	FILE *f;
	int rc = 0;

	snprintf(c->policy, sizeof(c->policy), "%s", LOAD_POLICY_DEFAULT);
	snprintf(c->module, sizeof(c->module), "thinhv");
	c->lock = 0;
	c->require_tpm = 1;
	c->allow_nested = 0;
	f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT && !must_exist)
			return 0;
		cli_err("%s: %s", path, strerror(errno));
		return -errno;
	}
	while (fgets(line, sizeof(line), f)) {
		char *k, *v, *eq;

		n++;
		if (!strchr(line, '\n') && !feof(f)) {
			cli_err("%s:%u: line longer than %zu bytes", path, n,
				sizeof(line) - 2);
			rc = -EINVAL;
			break;
		}
		k = trim(line);
		if (!*k || *k == '#')
			continue;
		eq = strchr(k, '=');
		if (!eq) {
			cli_err("%s:%u: expected 'key = value', got '%s'", path,
				n, k);
			rc = -EINVAL;
			break;
		}
		*eq = 0;
		k = trim(k);
		v = trim(eq + 1);
		if (!strcmp(k, "policy") || !strcmp(k, "module")) {
			char *dst =
			    !strcmp(k, "policy") ? c->policy : c->module;

			if (!*v || strlen(v) >= sizeof(c->policy) ||
			    strpbrk(v, " \t")) {
				cli_err("%s:%u: %s: want one path or name "
					"without spaces",
					path, n, k);
				rc = -EINVAL;
				break;
			}
			strcpy(dst, v);
		} else if (!strcmp(k, "lock") || !strcmp(k, "require_tpm") ||
			   !strcmp(k, "allow_nested")) {
			int *dst = !strcmp(k, "lock") ? &c->lock
				   : !strcmp(k, "require_tpm")
				       ? &c->require_tpm
				       : &c->allow_nested;

			if (conf_bool(v, dst)) {
				cli_err("%s:%u: %s: want 0 or 1, got '%s'",
					path, n, k, v);
				rc = -EINVAL;
				break;
			}
		} else {
			cli_err("%s:%u: unknown key '%s' (known: policy, lock, "
				"require_tpm, allow_nested, module)",
				path, n, k);
			rc = -EINVAL;
			break;
		}
	}
	fclose(f);
	return rc;
}

/* Compile the XML policy (against the live inventory when readable) into
 * blob_path; hex gets its measured digest. */
static int compile_policy(const char *xml, const char *blob_path,
			  char hex[POL_DIGEST_HEX])
{
	struct pol_err e = { { 0 } };
	struct pol_inventory inv;
	struct pol_compiled c;
	struct pol_policy p;
	bool have_inv;
	int rc;

	if (pol_xml_load(xml, &p, &e)) {
		cli_err("not enforced: policy %s", e.msg);
		return -EINVAL;
	}
	have_inv = pol_inventory_live(&inv, &e) == 0;
	rc = pol_compile(&p, have_inv ? &inv : NULL, &c, &e);
	pol_policy_free(&p);
	if (have_inv)
		pol_inventory_free(&inv);
	if (rc) {
		cli_err("not enforced: policy %s", e.msg);
		return rc;
	}
	rc = pol_digest_hex(c.blob, c.len, hex);
	if (!rc) {
		/* The one file writer of the CLI: no planted symlink. */
		rc = att_write_file(blob_path, c.blob, c.len);
		if (rc)
			cli_err("not enforced: %s: %s", blob_path,
				strerror(-rc));
	}
	pol_compiled_free(&c);
	return rc;
}

/* Skip what the kernel log holds now; the load's own lines come after. */
static int kmsg_open_at_end(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* The last "thinhv:" kernel message since kmsg_open_at_end(): the
 * module's own reason for refusing. */
static void kmsg_last_thinhv(int fd, char *out, size_t len)
{
	char rec[1024];
	ssize_t n;

	*out = 0;
	if (fd < 0)
		return;
	for (;;) {
		char *msg, *nl;

		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue; /* overwritten record: read on */
		if (n <= 0)
			break;
		rec[n] = 0;
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		nl = strchr(msg, '\n');
		if (nl)
			*nl = 0;
		if (!strncmp(msg, "thinhv: ", 8) && !strstr(msg, " dma 0000"))
			snprintf(out, len, "%s", msg + 8);
	}
}

/* Runs argv, waits; its exit status, or -errno. */
static int run_wait(char *const argv[])
{
	pid_t pid;
	int st;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execv(argv[0], argv);
		fprintf(stderr, "thinhv: error: %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static const char *find_tool(const char *name)
{
	static char path[64];
	static const char *const dirs[] = { "/usr/sbin", "/sbin", "/usr/bin",
					    "/bin" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], name);
		if (!access(path, X_OK))
			return path;
	}
	return NULL;
}

struct load_state {
	bool present; /* /dev/thinhv answered */
	struct thinhv_state s;
	char backend[8];
	char iommu[128];
};

static void read_iommu_line(char *out, size_t len)
{
	FILE *f = fopen(LOAD_PARAMS "iommu_status", "re");

	*out = 0;
	if (!f)
		return;
	if (fgets(out, (int)len, f))
		out[strcspn(out, "\n")] = 0;
	fclose(f);
}

static int state_get(struct load_state *ls)
{
	struct thinhv_version v;
	int fd;

	memset(ls, 0, sizeof(*ls));
	fd = open(THINHV_DEV, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	v.abi = THINHV_IOCTL_ABI;
	ls->s.size = sizeof(ls->s);
	ls->s.abi = THINHV_IOCTL_ABI;
	if (ioctl(fd, THINHV_IOC_VERSION, &v) ||
	    ioctl(fd, THINHV_IOC_STATE, &ls->s)) {
		int e = -errno;

		close(fd);
		return e;
	}
	close(fd);
	ls->present = true;
	snprintf(ls->backend, sizeof(ls->backend), "%s",
		 v.backend == THINHV_BACKEND_SVM   ? "svm"
		 : v.backend == THINHV_BACKEND_VMX ? "vmx"
						   : "none");
	read_iommu_line(ls->iommu, sizeof(ls->iommu));
	return 0;
}

/* The one line: what is enforced, or why not; returns the exit code. */
static int report(const struct load_state *ls, const char *policy,
		  const char *hex)
{
	if (!ls->s.launched) {
		printf("thinhv: not enforced: module loaded but CPUs not "
		       "virtualized\n");
		return CLI_EXIT_FAIL;
	}
	if (strncmp(ls->iommu, "iommu ", 6)) {
		printf("thinhv: not enforced: %u CPUs under thinhv (%s) but "
		       "no IOMMU domain enforced (%s)\n",
		       ls->s.ncpus, ls->backend,
		       *ls->iommu ? ls->iommu : "no iommu_status");
		return CLI_EXIT_FAIL;
	}
	printf("thinhv: enforcing %s%s%.16s%s on %u CPUs (%s, %.*s), %s\n",
	       policy ? policy
		      : "the policy it was loaded with (already "
			"loaded, not reloaded)",
	       hex ? " (sha256 " : "", hex ? hex : "", hex ? "...)" : "",
	       ls->s.ncpus, ls->backend, (int)strcspn(ls->iommu + 6, " "),
	       ls->iommu + 6,
	       ls->s.locked ? "locked until reboot" : "unloadable");
	return CLI_EXIT_OK;
}

static int load_parse(int argc, char **argv, const char **conf,
		      const char **policy, bool *dry)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "policy", required_argument, NULL, 'p' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:p:nh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			*conf = optarg;
			break;
		case 'p':
			*policy = optarg;
			break;
		case 'n':
			*dry = true;
			break;
		case 'h':
			return 1;
		default:
			return -EINVAL;
		}
	}
	if (optind != argc) {
		cli_err("load: unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

static int cmd_load(int argc, char **argv)
{
	const char *conf_path = NULL, *policy = NULL, *tool;
	char hex[POL_DIGEST_HEX], why[512], params[3][32], blob[640];
	char *av[12];
	struct load_state ls;
	struct load_conf c;
	bool dry = false;
	int r, kfd, n = 0;

	memset(&c, 0, sizeof(c));
	r = load_parse(argc, argv, &conf_path, &policy, &dry);
	if (r)
		return r > 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
	if (conf_read(conf_path ? conf_path : LOAD_CONF_DEFAULT, conf_path, &c))
		return CLI_EXIT_ERROR;
	if (!policy)
		policy = c.policy;

	if (!dry && state_get(&ls) == 0) {
		/* Not reloaded: say what the running one enforces. */
		return report(&ls, NULL, NULL);
	}
	snprintf(blob, sizeof(blob), "%s", LOAD_BLOB);
	if (dry) {
		snprintf(blob, sizeof(blob), "%s/thinhv-dry-run.%d.blob",
			 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
			 (int)getpid());
	} else if (mkdir(LOAD_RUN_DIR, 0700) && errno != EEXIST) {
		cli_err("not enforced: %s: %s", LOAD_RUN_DIR, strerror(errno));
		return CLI_EXIT_ERROR;
	}
	if (compile_policy(policy, blob, hex))
		return CLI_EXIT_ERROR;

	/* modprobe NAME or insmod PATH, then the module's parameters. */
	tool = find_tool(strchr(c.module, '/') ? "insmod" : "modprobe");
	if (!tool && !dry) {
		cli_err("not enforced: neither modprobe nor insmod found");
		return CLI_EXIT_ERROR;
	}
	av[n++] = (char *)(tool ? tool : "modprobe");
	av[n++] = c.module;
	av[n] = malloc(strlen(blob) + sizeof("dma_policy="));
	if (!av[n])
		return CLI_EXIT_ERROR;
	sprintf(av[n++], "dma_policy=%s", blob);
	snprintf(params[0], sizeof(params[0]), "lock=%d", c.lock);
	snprintf(params[1], sizeof(params[1]), "require_tpm=%d", c.require_tpm);
	snprintf(params[2], sizeof(params[2]), "allow_nested=%d",
		 c.allow_nested);
	for (int i = 0; i < 3; i++)
		av[n++] = params[i];
	av[n] = NULL;
	if (dry) {
		for (int i = 0; i < n; i++)
			printf("%s%s", i ? " " : "", av[i]);
		printf("\nthinhv: would enforce %s (sha256 %s)\n", policy, hex);
		unlink(blob);
		free(av[2]);
		return CLI_EXIT_OK;
	}

	kfd = kmsg_open_at_end();
	r = run_wait(av);
	free(av[2]);
	kmsg_last_thinhv(kfd, why, sizeof(why));
	if (kfd >= 0)
		close(kfd);
	if (r) {
		printf("thinhv: not enforced: %s %s failed (exit %d)%s%s\n",
		       tool, c.module, r, *why ? ": " : "", why);
		return CLI_EXIT_FAIL;
	}
	r = state_get(&ls);
	if (r) {
		printf("thinhv: not enforced: module loaded but %s: %s\n",
		       THINHV_DEV, strerror(-r));
		return CLI_EXIT_FAIL;
	}
	return report(&ls, policy, hex);
}

CLI_COMMAND(load, "load",
	    "compile the configured policy and load thinhv with it "
	    "(thinhv.service)",
	    cmd_load)
