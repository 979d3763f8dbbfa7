/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RPMsg name service (address 53): announcing local endpoints to the peer
 * (NS CREATE / DESTROY, every byte of the message defined) and handling the
 * peer's announcements (bind a waiting local endpoint, or call ns_bind_cb;
 * call the unbind callback on DESTROY). Malformed messages are dropped,
 * logged and counted, never acted on.
 */
#include <amplink/libc.h>
#include <amplink/rpmsg.h>
#include <metal/log.h>

#include "rpmsg/rpmsg_virtio_internal.h"

#if AMPLINK_CFG_NS

/* Count a malformed NS message on a virtio device (the only transport here). */
static void rpmsg_ns_count_bad(struct rpmsg_device *rdev)
{
#if AMPLINK_CFG_STATS
	struct rpmsg_virtio_device *rvdev = rpmsg_virtio_of(rdev);
	unsigned int fl = rpmsg_vlock(&rvdev->amplink_rx_lock);

	rvdev->amplink_stats.drop_bad_ns++;
	rpmsg_vunlock(&rvdev->amplink_rx_lock, fl);
#else
	(void)rdev;
#endif
}

int rpmsg_ns_announce(struct rpmsg_endpoint *ept, uint32_t flags)
{
	struct rpmsg_ns_msg msg;

	memset(&msg, 0, sizeof(msg));
	memcpy(msg.name, ept->name, strnlen(ept->name, RPMSG_NAME_SIZE - 1));
	msg.addr = ept->addr;
	msg.flags = flags;
	return rpmsg_send_offchannel_raw(ept, ept->addr, RPMSG_NS_EPT_ADDR, &msg, sizeof(msg),
					 true);
}

/* Peer announced @name at @addr. */
static void rpmsg_ns_create(struct rpmsg_device *rdev, const char *name, uint32_t addr)
{
	unsigned int fl;
	struct rpmsg_endpoint *ept = rpmsg_ept_find_by_name(rdev, name, addr, 1);

	if (ept) {
		fl = rpmsg_vlock(&rdev->lock);
		if (ept->dest_addr == RPMSG_ADDR_ANY)
			ept->dest_addr = addr;
		rpmsg_vunlock(&rdev->lock, fl);
		rpmsg_ept_put(ept);
	} else if (rdev->ns_bind_cb) {
		rdev->ns_bind_cb(rdev, name, addr);
	}
}

/* Peer withdrew @name at @addr: the bound endpoint's unbind callback runs. */
static void rpmsg_ns_destroy(struct rpmsg_device *rdev, const char *name, uint32_t addr)
{
	struct rpmsg_endpoint *ept = rpmsg_ept_find_by_name(rdev, name, addr, 0);

	if (!ept) {
		if (rdev->ns_unbind_cb)
			rdev->ns_unbind_cb(rdev, name, addr);
		return;
	}
	rpmsg_ept_call_unbind(ept);
}

/* Receive callback of the name-service endpoint. */
static int rpmsg_ns_cb(struct rpmsg_endpoint *ns_ept, void *data, size_t len, uint32_t src,
		       void *priv)
{
	struct rpmsg_device *rdev = ns_ept->rdev;
	struct rpmsg_ns_msg msg;

	(void)src;
	(void)priv;
	if (len != sizeof(msg)) {
		metal_err("rpmsg: NS message of %u bytes dropped\r\n", (unsigned int)len);
		rpmsg_ns_count_bad(rdev);
		return RPMSG_SUCCESS;
	}
	memcpy(&msg, data, sizeof(msg)); /* one snapshot of peer memory */
	if (strnlen(msg.name, RPMSG_NAME_SIZE) == RPMSG_NAME_SIZE || msg.name[0] == '\0' ||
	    msg.flags > RPMSG_NS_DESTROY || msg.addr == RPMSG_ADDR_ANY) {
		metal_err("rpmsg: malformed NS message dropped\r\n");
		rpmsg_ns_count_bad(rdev);
		return RPMSG_SUCCESS;
	}
	if (msg.flags == RPMSG_NS_CREATE)
		rpmsg_ns_create(rdev, msg.name, msg.addr);
	else
		rpmsg_ns_destroy(rdev, msg.name, msg.addr);
	return RPMSG_SUCCESS;
}

int rpmsg_ns_init(struct rpmsg_device *rdev)
{
	struct rpmsg_endpoint *ns = &rdev->ns_ept;

	memset(ns, 0, sizeof(*ns));
	memcpy(ns->name, "NS", 3);
	ns->addr = RPMSG_NS_EPT_ADDR;
	ns->dest_addr = RPMSG_NS_EPT_ADDR;
	ns->cb = rpmsg_ns_cb;
	return rpmsg_register_endpoint(rdev, ns);
}

#endif /* AMPLINK_CFG_NS */
