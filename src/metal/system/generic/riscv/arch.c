/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RISC-V arch bits of the bare-metal port (machine mode): interrupt masking
 * through mstatus.MIE and the condition wait hook (WFI, which wakes on a
 * pending interrupt even with MIE clear). Restoring sets MIE only if it was
 * set, leaving the other mstatus fields alone. All weak.
 */
#include <metal/compiler.h>
#include <metal/condition.h>
#include <metal/irq.h>

#if defined(__riscv)

#define AMPLINK_MSTATUS_MIE 0x8u

metal_weak unsigned int metal_irq_save_disable(void)
{
	unsigned long mstatus;

	__asm__ volatile("csrrc %0, mstatus, %1"
			 : "=r"(mstatus)
			 : "i"(AMPLINK_MSTATUS_MIE)
			 : "memory");
	return (unsigned int)(mstatus & AMPLINK_MSTATUS_MIE);
}

metal_weak void metal_irq_restore_enable(unsigned int flags)
{
	if (flags & AMPLINK_MSTATUS_MIE)
		__asm__ volatile("csrs mstatus, %0" : : "i"(AMPLINK_MSTATUS_MIE) : "memory");
}

metal_weak void amplink_wait_for_event(void)
{
	__asm__ volatile("wfi" : : : "memory");
}

#endif
