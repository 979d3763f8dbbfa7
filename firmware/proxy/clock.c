/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A real clock for the proxy image: metal_get_timestamp from the 100 Hz
 * counter of the mps2 FPGA I/O block (CLK100HZ at 0x40028014, counting
 * QEMU's virtual time). It replaces the bare-metal port's weak software
 * clock, so the proxy client's reply timeout (5 s) and rpmsg's send waits are
 * real time here. Resolution 10 ms, enough for timeouts; it wraps after 497
 * days.
 */
#include <stdint.h>

#include <metal/time.h>

#define PFW_FPGAIO_CLK100HZ (*(volatile uint32_t *)0x40028014u)

unsigned long long metal_get_timestamp(void)
{
	return (unsigned long long)PFW_FPGAIO_CLK100HZ * 10000000ull;
}
