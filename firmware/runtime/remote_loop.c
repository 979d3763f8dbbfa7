/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The runtime's main loop, shared by the full (remote.c) and the minimal
 * (remote_min.c) bring-up: deliver the host's kicks to the vdev that
 * remote_start set up, beat the heartbeat, and the sleep that keeps the
 * heartbeat moving while the stack waits.
 */
#include <metal/sleep.h>
#include <openamp/remoteproc_virtio.h>

#include "board.h"
#include "remote.h"

struct virtio_device *remote_vdev;

void remote_run(void)
{
	for (;;) {
		remote_heartbeat();
		if (board_host_kicked())
			rproc_virtio_notified(remote_vdev, RSC_NOTIFY_ID_ANY);
		else
			board_idle();
	}
}

/*
 * metal_sleep_usec - the port's weak sleep, replaced so that waits (for
 * DRIVER_OK, for a host buffer) keep the heartbeat moving. There is no timer:
 * roughly one yield per microsecond. Returns 0.
 */
int metal_sleep_usec(unsigned int usec)
{
	unsigned int i;

	for (i = 0; i < usec; i++) {
		remote_heartbeat();
		board_idle();
	}
	return 0;
}
