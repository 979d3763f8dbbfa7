/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Start-up for an amplink remote on QEMU riscv32 virt: trap vector, stack, bss,
 * main. Any trap is a fault here: it is reported through board_fault_report
 * (mcause, mepc) and parks the hart.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	.option push
	.option norelax
	la gp, __global_pointer$
	.option pop
	la sp, __stack_top
	la t0, amplink_trap
	csrw mtvec, t0
	la t0, __bss_start
	la t1, __bss_end
1:	bgeu t0, t1, 2f
	sw zero, 0(t0)
	addi t0, t0, 4
	j 1b
2:	call main
3:	wfi
	j 3b

	.align 4
	.globl amplink_trap
amplink_trap:
	csrr a0, mcause
	csrr a1, mepc
	call board_fault_report
4:	wfi
	j 4b
