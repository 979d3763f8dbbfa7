/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Boot stub for mps2-an386, loaded by QEMU (-kernel) at address 0 where the core
 * reads its reset vector. The real image is written into the shared PSRAM by the
 * host's remoteproc while the core is held paused; when released, the stub first
 * rewrites every word of the image's code area from the guest side (QEMU does not
 * see host writes through the shared file and could otherwise run code it
 * translated from an earlier image), then points VTOR at the image's vector table
 * and enters it with the image's own stack pointer.
 */
#include <stdint.h>

#define IMAGE_BASE 0x21000000u
#define IMAGE_CODE 0x00100000u /* the code area of the image's link script */
#define SCB_VTOR   (*(volatile uint32_t *)0xE000ED08u)

void boot_reset(void);

__attribute__((section(".vectors"), used)) static void (*const boot_vectors[2])(void) = {
	(void (*)(void))0x20001000u, /* stack in the private SSRAM2 */
	boot_reset,
};

void boot_reset(void)
{
	volatile uint32_t *p = (volatile uint32_t *)IMAGE_BASE;
	const volatile uint32_t *vt = (const volatile uint32_t *)IMAGE_BASE;
	uint32_t i;

	for (i = 0; i < IMAGE_CODE / 4u; i++)
		p[i] = p[i];
	__asm__ volatile("dsb\n\tisb" ::: "memory");
	SCB_VTOR = IMAGE_BASE;
	__asm__ volatile("msr msp, %0\n\t"
			 "bx %1\n\t" ::"r"(vt[0]),
			 "r"(vt[1]));
	for (;;)
		;
}
