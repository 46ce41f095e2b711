/* SPDX-License-Identifier: GPL-2.0-only */
/* hv_main.h - module-wide state of thinhv.ko (kernel process context). */
#ifndef THINHV_HV_MAIN_H
#define THINHV_HV_MAIN_H

#include <linux/mutex.h>

#include "thinhv/core/hv_kern.h"

extern struct mutex hv_lock; /* launch state, /dev/thinhv, denial log */
extern struct hv_launch hv_launch_state;
extern bool hv_launched;

int hv_dev_register(void);
void hv_dev_unregister(void);

/* The CPU backends hv_main.c chooses from (thinhv/svm, thinhv/vmx). */
extern const struct hv_cpu_ops svm_cpu_ops;
extern const struct hv_cpu_ops vmx_cpu_ops;

#endif /* THINHV_HV_MAIN_H */
