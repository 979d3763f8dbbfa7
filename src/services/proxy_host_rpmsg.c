/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The proxy's Linux host service on an rpmsg device of this library: attach
 * to the remote's announced proxy endpoint (the server's rpmsg binding). Kept
 * apart from proxy_host.c so a host that reaches the remote another way
 * (a Linux guest's /dev/rpmsgN) links without the rpmsg stack.
 */
#include <errno.h>

#include "services/proxy_host.h"

int amplink_proxy_host_attach(struct amplink_proxy_host *h, struct rpmsg_device *rdev,
			      uint32_t dest)
{
	if (!h)
		return -EINVAL;
	if (h->srv.up)
		return -EBUSY;
	return amplink_proxy_server_start(&h->srv, rdev, dest, proxy_host_handler, proxy_host_gone,
					  h);
}
