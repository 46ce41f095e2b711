/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv_measure.h - the measurement component of thinhv.ko (kernel, process
 * context): what the module entry hands the core, and the calls of the
 * module layer (unload, /dev/thinhv).
 */
#ifndef THINHV_HV_MEASURE_H
#define THINHV_HV_MEASURE_H

#include <linux/compiler_types.h>

struct hv_component;

/* Measures the launch (ready) and every reported change (state_changed). */
extern const struct hv_component hv_measure_component;

/* Release the TPM and the log (after teardown, or a refused launch). */
void hv_measure_fini(void);

/* THINHV_IOC_MEASURE_LOG: copy the in-kernel event log out. */
int hv_measure_log_ioctl(void __user *u);

#endif /* THINHV_HV_MEASURE_H */
