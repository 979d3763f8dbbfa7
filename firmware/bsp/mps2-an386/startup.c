/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Start-up for an amplink remote on mps2-an386 (Cortex-M4): the vector table,
 * the reset handler and the fault handler. The image is loaded by the host's
 * remoteproc (data in place, bss zero-filled by the loader), so start-up only
 * clears .bss again (a reset without a reload must not see stale state), points
 * VTOR at this table and calls main(). A fault is reported through
 * board_fault_report (the host sees it in shared memory) and parks the core.
 */
#include <stdint.h>
#include "board.h"

extern uint32_t __stack_top;
extern uint32_t __bss_start, __bss_end;

int main(void);
void amplink_reset_handler(void);
void amplink_fault_handler(void);
void amplink_fault_frame(const uint32_t *frame, uint32_t ipsr);

#define SCB_VTOR (*(volatile uint32_t *)0xE000ED08u)

/* Called from amplink_fault_handler with the stacked frame (PC is word 6). */
void amplink_fault_frame(const uint32_t *frame, uint32_t ipsr)
{
	uintptr_t f = (uintptr_t)frame;
	uint32_t pc = 0;

	/* read the frame only when it lies in our RAM: a wild SP must not fault again */
	if (f >= board_shm_base() && f + 32u <= board_shm_base() + board_shm_size())
		pc = frame[6];
	board_fault_report(ipsr & 0x1ffu, pc);
	for (;;)
		__asm__ volatile("wfi");
}

/* Any fault or unexpected exception: hand MSP and IPSR to amplink_fault_frame. */
__attribute__((naked)) void amplink_fault_handler(void)
{
	__asm__ volatile("mrs r0, msp\n\t"
			 "mrs r1, ipsr\n\t"
			 "b amplink_fault_frame\n\t");
}

__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
	(void (*)(void)) & __stack_top,
	amplink_reset_handler,
	amplink_fault_handler, /* NMI */
	amplink_fault_handler, /* HardFault */
	amplink_fault_handler, /* MemManage */
	amplink_fault_handler, /* BusFault */
	amplink_fault_handler, /* UsageFault */
	0,
	0,
	0,
	0,
	amplink_fault_handler, /* SVCall */
	amplink_fault_handler, /* DebugMon */
	0,
	amplink_fault_handler, /* PendSV */
	amplink_fault_handler, /* SysTick */
};

void amplink_reset_handler(void)
{
	for (volatile uint32_t *p = &__bss_start; p < &__bss_end; p++)
		*p = 0;
	SCB_VTOR = (uint32_t)(uintptr_t)vectors;
	main();
	amplink_fault_handler();
}
