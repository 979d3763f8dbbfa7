/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Lean profile (AMPLINK_CFG_LEAN_DEVICE): RPMsg over virtio in the remote
 * role, served directly: bring-up on the device the lean transport built,
 * endpoints in a small table indexed by dynamic address (1024 ..
 * 1024 + AMPLINK_CFG_MAX_ENDPOINTS - 1), name-service announcements with the
 * wire bytes Linux expects, copying sends that wait for a host buffer, and
 * the receive dispatch. No locks: every call, and the receive callbacks, run
 * in one execution context (the firmware's main loop). Messages the host
 * sends to the name-service address or to an unknown address are dropped.
 */
#include <amplink/libc.h>
#include <metal/errno.h>
#include <metal/log.h>
#include <metal/sleep.h>
#include <openamp/rpmsg_virtio.h>

#include "rpmsg/rpmsg_internal.h"
#include "virtio/vring_check.h"
#include "virtio/vring_split_lean.h"

#define RPMSG_LEAN_HDR ((uint32_t)sizeof(struct rpmsg_hdr))
/* A blocking send polls for a host buffer this often, for up to 15 s. */
#define RPMSG_LEAN_POLL_US  100u
#define RPMSG_LEAN_WAIT_US  15000000u
#define RPMSG_LEAN_F_NS_BIT (1u << VIRTIO_RPMSG_F_NS)

static struct rpmsg_virtio_device *rpmsg_lean_of(struct rpmsg_device *rdev)
{
	return metal_container_of(rdev, struct rpmsg_virtio_device, rdev);
}

/* The table slot of dynamic address @addr (>= AMPLINK_CFG_MAX_ENDPOINTS when outside). */
static uint32_t rpmsg_lean_slot(uint32_t addr)
{
	return addr - RPMSG_RESERVED_ADDRESSES;
}

int rpmsg_send_offchannel_raw(struct rpmsg_endpoint *ept, uint32_t src, uint32_t dst,
			      const void *data, int len, int wait)
{
	uint32_t polls = wait ? RPMSG_LEAN_WAIT_US / RPMSG_LEAN_POLL_US : 0;
	struct virtqueue *vq;
	struct rpmsg_hdr *hdr;
	uint16_t head;
	uint32_t size;

	if (!ept || !ept->rdev || !data || len < 0 || src == RPMSG_ADDR_ANY ||
	    dst == RPMSG_ADDR_ANY)
		return RPMSG_ERR_PARAM;
	vq = rpmsg_lean_of(ept->rdev)->svq;
	while (!(hdr = vring_lean_peek(vq, &head, &size))) {
		if (vq->vq_broken)
			return RPMSG_ERR_DEV_STATE;
		if (polls-- == 0)
			return RPMSG_ERR_NO_BUFF;
		metal_sleep_usec(RPMSG_LEAN_POLL_US);
	}
	if (size < RPMSG_LEAN_HDR || (uint32_t)len > size - RPMSG_LEAN_HDR || len > UINT16_MAX)
		return RPMSG_ERR_BUFF_SIZE; /* the buffer stays available */
	hdr->src = src;
	hdr->dst = dst;
	hdr->reserved = 0;
	hdr->len = (uint16_t)len;
	hdr->flags = 0;
	memcpy(hdr + 1, data, (size_t)len);
	BUFFER_FLUSH(hdr, RPMSG_LEAN_HDR + (uint32_t)len);
	vring_lean_put(vq, head, RPMSG_LEAN_HDR + (uint32_t)len);
	virtqueue_kick(vq);
	return len;
}

/* Sends NS @flags (CREATE / DESTROY) for @ept. Returns a send result. */
static int rpmsg_lean_ns(struct rpmsg_endpoint *ept, uint32_t flags)
{
	struct rpmsg_ns_msg ns;

	memcpy(ns.name, ept->name, sizeof(ns.name));
	ns.addr = ept->addr;
	ns.flags = flags;
	return rpmsg_send_offchannel_raw(ept, ept->addr, RPMSG_NS_EPT_ADDR, &ns, (int)sizeof(ns),
					 1);
}

/*
 * Copies @name (NULL: none) into @ept->name, zero-padded as it goes on the
 * wire. Returns its length, or RPMSG_NAME_SIZE when it does not fit.
 */
static unsigned int rpmsg_lean_set_name(struct rpmsg_endpoint *ept, const char *name)
{
	unsigned int i, n = RPMSG_NAME_SIZE;

	for (i = 0; i < RPMSG_NAME_SIZE; i++) {
		char c = name && i < n ? name[i] : '\0';

		if (!c && i < n)
			n = i;
		ept->name[i] = c;
	}
	return n;
}

int rpmsg_create_ept(struct rpmsg_endpoint *ept, struct rpmsg_device *rdev, const char *name,
		     uint32_t src, uint32_t dest, rpmsg_ept_cb cb, rpmsg_ns_unbind_cb ns_unbind_cb)
{
	uint32_t slot = 0;
	unsigned int nlen;
	int ret;

	if (!ept || !rdev)
		return RPMSG_ERR_PARAM;
	if (src == RPMSG_ADDR_ANY) {
		while (slot < AMPLINK_CFG_MAX_ENDPOINTS && rdev->amplink_dyn[slot])
			slot++;
	} else {
		slot = rpmsg_lean_slot(src);
	}
	if (slot >= AMPLINK_CFG_MAX_ENDPOINTS || rdev->amplink_dyn[slot])
		return RPMSG_ERR_ADDR;
	nlen = rpmsg_lean_set_name(ept, name);
	if (nlen == RPMSG_NAME_SIZE)
		return RPMSG_ERR_PARAM;
	ept->rdev = rdev;
	ept->addr = slot + RPMSG_RESERVED_ADDRESSES;
	ept->dest_addr = dest;
	ept->cb = cb;
	ept->ns_unbind_cb = ns_unbind_cb;
	ept->refcnt = 1;
	ept->amplink_flags = AMPLINK_EPT_F_REGISTERED;
	if (AMPLINK_CFG_NS && rdev->support_ns && nlen && dest == RPMSG_ADDR_ANY) {
		ret = rpmsg_lean_ns(ept, RPMSG_NS_CREATE);
		if (ret < 0) {
			ept->rdev = NULL;
			return ret;
		}
		ept->amplink_flags |= AMPLINK_EPT_F_ANNOUNCED;
	}
	rdev->amplink_dyn[slot] = ept;
	return RPMSG_SUCCESS;
}

void rpmsg_destroy_ept(struct rpmsg_endpoint *ept)
{
	struct rpmsg_device *rdev;
	uint32_t slot;

	if (!ept || !ept->rdev)
		return;
	rdev = ept->rdev;
	if (ept->amplink_flags & AMPLINK_EPT_F_ANNOUNCED)
		(void)rpmsg_lean_ns(ept, RPMSG_NS_DESTROY);
	slot = rpmsg_lean_slot(ept->addr);
	if (slot < AMPLINK_CFG_MAX_ENDPOINTS && rdev->amplink_dyn[slot] == ept)
		rdev->amplink_dyn[slot] = NULL;
	ept->rdev = NULL;
	ept->amplink_flags = 0;
}

/* Delivers the message in @buf (@size bytes, from the host) or drops it. */
static void rpmsg_lean_deliver(struct rpmsg_device *rdev, uint8_t *buf, uint32_t size)
{
	struct rpmsg_endpoint *ept;
	struct rpmsg_hdr hdr;
	uint32_t slot;

	if (size < RPMSG_LEAN_HDR) {
		metal_err("rpmsg: %u-byte buffer dropped\n", (unsigned)size);
		return;
	}
	BUFFER_INVALIDATE(buf, size);
	memcpy(&hdr, buf, sizeof(hdr)); /* read once, then checked */
	if (hdr.len > size - RPMSG_LEAN_HDR) {
		metal_err("rpmsg: header len %u beyond its buffer, dropped\n", hdr.len);
		return;
	}
	slot = rpmsg_lean_slot(hdr.dst);
	ept = slot < AMPLINK_CFG_MAX_ENDPOINTS ? rdev->amplink_dyn[slot] : NULL;
	if (!ept || !ept->cb) {
		metal_err("rpmsg: no endpoint at 0x%x, dropped\n", (unsigned)hdr.dst);
		return;
	}
	if (ept->dest_addr == RPMSG_ADDR_ANY)
		ept->dest_addr = hdr.src;
	ept->cb(ept, buf + RPMSG_LEAN_HDR, hdr.len, hdr.src, ept->priv);
}

/* Receive queue callback: deliver every message the host sent, then kick once. */
static void rpmsg_lean_rx(struct virtqueue *vq)
{
	struct rpmsg_virtio_device *rvdev = vq->priv;
	uint16_t head;
	uint32_t size;
	uint8_t *buf;

	while ((buf = vring_lean_peek(vq, &head, &size)) != NULL) {
		rpmsg_lean_deliver(&rvdev->rdev, buf, size);
		vring_lean_put(vq, head, 0);
	}
	virtqueue_kick(vq);
}

int rpmsg_init_vdev(struct rpmsg_virtio_device *rvdev, struct virtio_device *vdev,
		    rpmsg_ns_bind_cb ns_bind_cb, struct metal_io_region *shm_io,
		    struct rpmsg_virtio_shm_pool *shpool)
{
	uint32_t features = 0;
	struct virtqueue *rvq, *svq;
	int ret;

	(void)shpool; /* the remote owns no buffers */
	/* the lean transport makes device-role vdevs only */
	if (!rvdev || !vdev || !vring_check_is_flat(shm_io) || ns_bind_cb || vdev->vrings_num < 2)
		return RPMSG_ERR_PARAM;
	ret = virtio_lean_wait_ready(vdev);
	if (ret)
		return ret == -ENODEV ? RPMSG_ERR_DEV_STATE : RPMSG_ERR_INIT;
	/* accepted features the lean device never offers cannot be honoured */
	rvq = vdev->vrings_info[1].vq;
	svq = vdev->vrings_info[0].vq;
	if (virtio_get_features(vdev, &features) || (features & ~RPMSG_LEAN_F_NS_BIT) ||
	    !rvq->vq_ring.avail || !svq->vq_ring.avail)
		return RPMSG_ERR_INIT;
	for (ret = 0; ret < AMPLINK_CFG_MAX_ENDPOINTS; ret++)
		rvdev->rdev.amplink_dyn[ret] = NULL;
	vdev->features = features;
	vdev->priv = rvdev;
	rvdev->vdev = vdev;
	rvdev->shbuf_io = shm_io;
	rvdev->rvq = rvq;
	rvdev->svq = svq;
	rvq->shm_io = shm_io;
	svq->shm_io = shm_io;
	rvq->priv = rvdev;
	rvq->callback = rpmsg_lean_rx;
	rvdev->rdev.support_ns = (features & RPMSG_LEAN_F_NS_BIT) != 0;
	return RPMSG_SUCCESS;
}
