/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Doorbell words in shared memory: the notification path of a remote that has no
 * interrupt line from the host (QEMU's emulated boards). The host increments
 * `to_remote` to kick us, we increment `to_host` to kick it; each side remembers
 * the last value it saw. Placed by the linker at the symbol board_doorbell, which
 * the host finds through the image's symbol table.
 */
#include <stdint.h>
#include "board.h"

struct board_doorbell {
	volatile uint32_t to_remote;
	volatile uint32_t to_host;
};

__attribute__((section(".doorbell"), used)) struct board_doorbell board_doorbell;

static uint32_t seen_to_remote;

int board_notify_host(void *priv, uint32_t id)
{
	(void)priv;
	(void)id;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	board_doorbell.to_host = board_doorbell.to_host + 1u;
	return 0;
}

int board_host_kicked(void)
{
	uint32_t now = board_doorbell.to_remote;

	if (now == seen_to_remote)
		return 0;
	seen_to_remote = now;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return 1;
}
