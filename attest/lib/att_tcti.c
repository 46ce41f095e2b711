// SPDX-License-Identifier: GPL-2.0-only
/*
 * att_tcti.c - which TPM the CLI talks to (host userspace). The TSS's own
 * default falls back to a simulator on localhost:2321 that any local user
 * can run and answer for; thinhv names the device itself and refuses a
 * TCTI that reaches a TPM over the network unless explicitly allowed.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attest/lib/att_tcti.h"

/* Does the key=value config (after "name:") set key? */
static bool conf_has_key(const char *conf, const char *key)
{
	size_t kl = strlen(key);

	while (conf && *conf) {
		if (!strncmp(conf, key, kl) && conf[kl] == '=')
			return true;
		conf = strchr(conf, ',');
		if (conf)
			conf++;
	}
	return false;
}

int att_tcti_check(const char *tcti, bool allow_network, char *why,
		   size_t whylen)
{
	const char *colon = strchr(tcti, ':');
	const char *conf = colon ? colon + 1 : "";
	size_t nl = colon ? (size_t)(colon - tcti) : strlen(tcti);
	char name[64];

	if (nl == 0 || nl >= sizeof(name)) {
		snprintf(why, whylen, "TCTI '%s': no TCTI name before ':'",
			 tcti);
		return -EINVAL;
	}
	memcpy(name, tcti, nl);
	name[nl] = '\0';
	if (!strcmp(name, "device") || !strcmp(name, "tabrmd"))
		return 0;
	/* Simulators are local only on a UNIX socket (path=...). */
	if ((!strcmp(name, "swtpm") || !strcmp(name, "mssim")) &&
	    conf_has_key(conf, "path"))
		return 0;
	if (allow_network)
		return 0;
	snprintf(why, whylen,
		 "TCTI '%s' is not a local TPM device (a TCP simulator or an "
		 "unknown TCTI: whoever listens there answers for the TPM); "
		 "set " ATT_TCTI_ALLOW_ENV "=1 to use it anyway",
		 tcti);
	return -EPERM;
}

const char *att_tcti_default(void)
{
	/* The kernel's resource manager first, the raw device otherwise. */
	if (!access("/dev/tpmrm0", F_OK))
		return "device:/dev/tpmrm0";
	return "device:/dev/tpm0";
}

int att_tcti_choose(const char *arg, const char **out, char *why, size_t whylen)
{
	const char *t = arg, *allow;

	if (!t || !*t)
		t = getenv("THINHV_TCTI");
	if (!t || !*t)
		t = getenv("TPM2TOOLS_TCTI");
	if (!t || !*t)
		t = att_tcti_default();
	allow = getenv(ATT_TCTI_ALLOW_ENV);
	*out = t;
	return att_tcti_check(t, allow && !strcmp(allow, "1"), why, whylen);
}
