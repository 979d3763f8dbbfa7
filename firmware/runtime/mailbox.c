/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The notification and fault hooks over the mailbox entry of the resource table
 * (shared memory): the host increments to_remote to kick us, we increment
 * to_host to kick it, the heartbeat word shows we are alive and a fault is
 * written where the host looks. Each side only writes its own words and
 * remembers the last value it saw of the other's.
 */
#include "board.h"
#include "remote.h"

#define MB_WORD(field) (*(volatile uint32_t *)&resource_table.mailbox.field)

static uint32_t seen_to_remote;

int board_notify_host(void *priv, uint32_t id)
{
	(void)priv;
	(void)id;
	__atomic_thread_fence(__ATOMIC_RELEASE); /* ring contents before the kick */
	MB_WORD(to_host) = MB_WORD(to_host) + 1u;
	return 0;
}

int board_host_kicked(void)
{
	uint32_t now = MB_WORD(to_remote);

	if (now == seen_to_remote)
		return 0;
	seen_to_remote = now;
	__atomic_thread_fence(__ATOMIC_ACQUIRE); /* the kick before the ring contents */
	return 1;
}

void board_fault_report(uint32_t cause, uint32_t pc)
{
	MB_WORD(fault_cause) = cause;
	MB_WORD(fault_pc) = pc;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	MB_WORD(state) = AMPLINK_MAILBOX_FAULT;
}

void remote_mailbox_ready(void)
{
	seen_to_remote = MB_WORD(to_remote);
	MB_WORD(state) = AMPLINK_MAILBOX_READY;
}

void remote_heartbeat(void)
{
	MB_WORD(heartbeat) = MB_WORD(heartbeat) + 1u;
}
