/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Start-up for an amplink remote on mps2-an386 (Cortex-M4): the vector table and
 * the reset handler. The image is loaded by the host's remoteproc (data in place,
 * bss zero-filled by the loader), so start-up only clears .bss again (a reset
 * without a reload must not see stale state), points VTOR at this table and
 * calls main().
 */
#include <stdint.h>

extern uint32_t __stack_top;
extern uint32_t __bss_start, __bss_end;

int main(void);
void amplink_reset_handler(void);
void amplink_fault_handler(void);

#define SCB_VTOR (*(volatile uint32_t *)0xE000ED08u)

/* A fault stops the core where a debugger (or the host's heartbeat check) sees it. */
void amplink_fault_handler(void)
{
	for (;;)
		__asm__ volatile("wfi");
}

__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
	(void (*)(void)) & __stack_top, amplink_reset_handler, amplink_fault_handler, /* NMI */
	amplink_fault_handler, /* HardFault */
	amplink_fault_handler, /* MemManage */
	amplink_fault_handler, /* BusFault */
	amplink_fault_handler, /* UsageFault */
};

void amplink_reset_handler(void)
{
	for (volatile uint32_t *p = &__bss_start; p < &__bss_end; p++)
		*p = 0;
	SCB_VTOR = (uint32_t)(uintptr_t)vectors;
	main();
	amplink_fault_handler();
}
