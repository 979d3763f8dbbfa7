/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The board hooks an amplink remote firmware needs: where shared memory is, how to
 * kick the host and how to learn that the host kicked us, a console, and a fault
 * report. Each BSP implements the memory, idle and console hooks; the firmware
 * runtime (runtime/mailbox.c) implements the notification and fault hooks over a
 * mailbox in shared memory. On a real SoC the notification hooks map to an
 * IPI/mailbox peripheral and only they change.
 */
#ifndef AMPLINK_FIRMWARE_BOARD_H
#define AMPLINK_FIRMWARE_BOARD_H

#include <stdint.h>

/* Physical (= device) address and size of the memory shared with the host. */
uintptr_t board_shm_base(void);
uint32_t board_shm_size(void);

/* Tells the host that vring/notify id `id` has news. Always returns 0. */
int board_notify_host(void *priv, uint32_t id);

/*
 * Returns nonzero once for each batch of kicks the host sent since the last
 * call; never blocks.
 */
int board_host_kicked(void);

/* Idles the core until something may have changed (WFE/WFI or a short spin). */
void board_idle(void);

/* Writes a NUL-terminated string to the board's console; polls, any context. */
void board_console_write(const char *s);

/*
 * Called by the BSP's fault handler with the exception number and the faulting
 * PC: records them where the host sees them. Must not fault itself.
 */
void board_fault_report(uint32_t cause, uint32_t pc);

#endif
