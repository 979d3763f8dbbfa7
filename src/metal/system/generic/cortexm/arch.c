/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cortex-M arch bits of the bare-metal port: interrupt masking through
 * PRIMASK and the condition wait hook (WFI). All weak: a board or RTOS may
 * supply its own.
 */
#include <metal/compiler.h>
#include <metal/condition.h>
#include <metal/irq.h>

#if defined(__ARM_ARCH) && !defined(__aarch64__)

metal_weak unsigned int metal_irq_save_disable(void)
{
	unsigned int primask;

	__asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask) : : "memory");
	return primask;
}

metal_weak void metal_irq_restore_enable(unsigned int flags)
{
	__asm__ volatile("msr primask, %0" : : "r"(flags) : "memory");
}

metal_weak void amplink_wait_for_event(void)
{
	__asm__ volatile("dsb\n\twfi" : : : "memory");
}

#endif
