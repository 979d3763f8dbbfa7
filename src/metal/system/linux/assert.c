/* SPDX-License-Identifier: BSD-3-Clause */
/* Linux port of metal_assert's failure path: log and abort. */
#include <stdlib.h>
#include <metal/assert.h>
#include <metal/log.h>

void amplink_assert_failed(const char *cond, const char *file, int line)
{
	metal_log(METAL_LOG_EMERGENCY, "assertion failed: %s at %s:%d\n", cond, file, line);
	abort();
}
