/* SPDX-License-Identifier: BSD-3-Clause */
/* mps2-an386 board hooks: the shared PSRAM and an idle that yields. */
#include "board.h"

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
