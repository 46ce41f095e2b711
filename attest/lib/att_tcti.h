/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * att_tcti.h - choosing the TPM connection (host userspace): an explicit
 * device by default, no network TCTI unless ATT_TCTI_ALLOW_ENV=1.
 */
#ifndef THINHV_ATT_TCTI_H
#define THINHV_ATT_TCTI_H

#include <stdbool.h>
#include <stddef.h>

#define ATT_TCTI_ALLOW_ENV "THINHV_TCTI_ALLOW_NETWORK"

/* 0 when tcti ("name:conf") reaches a local TPM (device, tabrmd, a
 * simulator on a UNIX socket) or allow_network; else -EPERM and why. */
int att_tcti_check(const char *tcti, bool allow_network, char *why,
		   size_t whylen);
/* "device:/dev/tpmrm0", or "device:/dev/tpm0" when there is no tpmrm0. */
const char *att_tcti_default(void);
/* --tcti, else $THINHV_TCTI, else $TPM2TOOLS_TCTI, else the device;
 * checked with att_tcti_check (network allowed by the environment). */
int att_tcti_choose(const char *arg, const char **out, char *why,
		    size_t whylen);

#endif
