/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The board hooks an amplink remote firmware needs: where shared memory is, how to
 * kick the host and how to learn that the host kicked us. Each BSP implements
 * them; on a real SoC they map to an IPI/mailbox peripheral.
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

#endif
