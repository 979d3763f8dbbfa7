/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Processor hints for spin-wait loops: metal_cpu_yield() tells the core it is
 * spinning (x86 pause, Arm yield, RISC-V pause or nop) and does nothing else.
 */
#ifndef METAL_CPU_H
#define METAL_CPU_H

/*
 * metal_cpu_yield - spin-loop hint. Any context, never blocks.
 */
static inline void metal_cpu_yield(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__asm__ volatile("pause" ::: "memory");
#elif defined(__aarch64__) || defined(__ARM_ARCH)
	__asm__ volatile("yield" ::: "memory");
#elif defined(__riscv) && defined(__riscv_zihintpause)
	__asm__ volatile("pause" ::: "memory");
#elif defined(__riscv)
	__asm__ volatile("nop" ::: "memory");
#else
	__asm__ volatile("" ::: "memory");
#endif
}

#endif /* METAL_CPU_H */
