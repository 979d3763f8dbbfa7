/* SPDX-License-Identifier: BSD-3-Clause */
/* QEMU riscv32 virt board hooks: RAM shared with the host, an idle hint. */
#include "board.h"

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
