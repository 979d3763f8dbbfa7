/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The minimal amplink remote: a Linux-compatible RPMsg echo in the device role.
 * The runtime brings up the rpmsg vdev of its resource table once the host set
 * DRIVER_OK; this image announces the "rpmsg-raw" service through the name
 * service and echoes every message back to its sender. Static allocation, no
 * heap, no libc beyond what the bare-metal port provides. This image is also
 * the footprint benchmark.
 */
#include <openamp/rpmsg.h>

#include "remote.h"

static struct rpmsg_endpoint echo_ept;

static int echo_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)priv;
	rpmsg_sendto(ept, data, (int)len, src);
	return RPMSG_SUCCESS;
}

int main(void)
{
	struct rpmsg_device *rdev = remote_start("echo");

	if (!rdev)
		return 1;
	if (rpmsg_create_ept(&echo_ept, rdev, "rpmsg-raw", RPMSG_ADDR_ANY, RPMSG_ADDR_ANY, echo_cb,
			     NULL) != 0)
		return 2;
	remote_run();
	return 0;
}
