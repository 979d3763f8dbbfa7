/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * QEMU riscv32 virt board hooks: RAM shared with the host, an idle hint, and the
 * console on the NS16550A UART at 0x10000000 (polled transmit only).
 */
#include "board.h"

#define UART_THR      (*(volatile uint8_t *)0x10000000u)
#define UART_LSR      (*(volatile uint8_t *)0x10000005u)
#define UART_LSR_THRE 0x20u

uintptr_t board_shm_base(void)
{
	return 0x80000000u;
}

uint32_t board_shm_size(void)
{
	return 0x01000000u;
}

void board_idle(void)
{
	__asm__ volatile("nop");
}

static void board_uart_putc(char c)
{
	while (!(UART_LSR & UART_LSR_THRE))
		;
	UART_THR = (uint8_t)c;
}

void board_console_write(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			board_uart_putc('\r');
		board_uart_putc(*s);
	}
}
