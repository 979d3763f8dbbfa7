/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Arch bits of the bare-metal port for a core with no support here (and for
 * host builds of the generic port): a nesting counter instead of interrupt
 * masking and a spin hint instead of sleeping. Right only where no interrupt
 * handler shares data with thread code; a real board supplies these.
 */
#include <metal/compiler.h>
#include <metal/condition.h>
#include <metal/cpu.h>
#include <metal/irq.h>

#if !defined(__riscv) && !(defined(__ARM_ARCH) && !defined(__aarch64__))

static unsigned int amplink_irq_nest;

metal_weak unsigned int metal_irq_save_disable(void)
{
	return amplink_irq_nest++;
}

metal_weak void metal_irq_restore_enable(unsigned int flags)
{
	amplink_irq_nest = flags;
}

metal_weak void amplink_wait_for_event(void)
{
	metal_cpu_yield();
}

#endif
