/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mps2-an386 board hooks: the shared PSRAM, an idle that yields, and the console
 * on the CMSDK APB UART0 (polled transmit only).
 */
#include "board.h"

#define UART0_BASE   0x40004000u
#define UART_DATA    (*(volatile uint32_t *)(UART0_BASE + 0x000u))
#define UART_STATE   (*(volatile uint32_t *)(UART0_BASE + 0x004u))
#define UART_CTRL    (*(volatile uint32_t *)(UART0_BASE + 0x008u))
#define UART_BAUDDIV (*(volatile uint32_t *)(UART0_BASE + 0x010u))
#define UART_TX_FULL 0x1u
#define UART_TX_EN   0x1u

uintptr_t board_shm_base(void)
{
	return 0x21000000u;
}

uint32_t board_shm_size(void)
{
	return 0x01000000u;
}

void board_idle(void)
{
	/* QEMU gives no event for host writes: spin politely. */
	__asm__ volatile("yield");
}

static void board_uart_putc(char c)
{
	while (UART_STATE & UART_TX_FULL)
		;
	UART_DATA = (uint32_t)(unsigned char)c;
}

void board_console_write(const char *s)
{
	if (!(UART_CTRL & UART_TX_EN)) {
		UART_BAUDDIV = 16u;
		UART_CTRL = UART_TX_EN;
	}
	for (; *s; s++) {
		if (*s == '\n')
			board_uart_putc('\r');
		board_uart_putc(*s);
	}
}
