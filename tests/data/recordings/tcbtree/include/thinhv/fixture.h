/* SPDX-License-Identifier: GPL-2.0-only */
/* fixture.h - fixture for the thinhv line count (5 lines). */
#ifndef FIXTURE_H
#define FIXTURE_H 1
#define FIXTURE_ONE 1
#endif
