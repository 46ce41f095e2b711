// SPDX-License-Identifier: GPL-2.0-only
/* core.c - fixture for the thinhv line count (10 lines). */
#include "thinhv/fixture.h"

int fixture_core(int x);

int fixture_core(int x)
{
	return x + FIXTURE_ONE;
}
