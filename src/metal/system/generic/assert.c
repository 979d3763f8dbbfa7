/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bare-metal port of metal_assert's failure path: log, then stop here with
 * interrupts masked so a debugger finds the state intact. Weak: a board may
 * reset instead.
 */
#include <metal/assert.h>
#include <metal/compiler.h>
#include <metal/cpu.h>
#include <metal/irq.h>
#include <metal/log.h>

metal_weak void amplink_assert_failed(const char *cond, const char *file, int line)
{
	metal_log(METAL_LOG_EMERGENCY, "assertion failed: %s at %s:%d\n", cond, file, line);
	(void)metal_irq_save_disable();
	for (;;)
		metal_cpu_yield();
}
