/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The resource-table virtio transport: a virtio device built from a vdev
 * entry of a remoteproc resource table, for the driver role (host) or the
 * device role (remote). Status, features and config space live in the entry
 * (shared memory, read through its metal_io_region); notifications go
 * through a callback with the vring's notify id.
 */
#ifndef OPENAMP_REMOTEPROC_VIRTIO_H
#define OPENAMP_REMOTEPROC_VIRTIO_H

#include <limits.h>
#include <stdint.h>
#include <metal/cache.h>
#include <metal/io.h>
#include <metal/list.h>
#include <amplink/config.h>
#include <openamp/remoteproc.h>
#include <openamp/virtio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RPROC_MAX_VRING_DESC USHRT_MAX

/* Cache maintenance around resource-table accesses (AMPLINK_CFG_CACHE_MAINT). */
#if AMPLINK_CFG_CACHE_MAINT
#define RSC_TABLE_FLUSH(x, s)	   metal_cache_flush((void *)(x), (unsigned int)(s))
#define RSC_TABLE_INVALIDATE(x, s) metal_cache_invalidate((void *)(x), (unsigned int)(s))
#else
#define RSC_TABLE_FLUSH(x, s)	   ((void)(x), (void)(s))
#define RSC_TABLE_INVALIDATE(x, s) ((void)(x), (void)(s))
#endif

/* Kicks the peer for notify id @id. Returns 0 or a negative error. */
typedef int (*rpvdev_notify_func)(void *priv, uint32_t id);

/* A virtio device whose transport is a resource-table vdev entry. */
struct remoteproc_virtio {
	void *priv;			     /* passed to notify */
	void *vdev_rsc;			     /* the vdev entry (its type word) */
	struct metal_io_region *vdev_rsc_io; /* region holding the entry */
	rpvdev_notify_func notify;
	struct virtio_device vdev;
	struct metal_list node;
	/* amplink: the entry's geometry, validated once at creation. */
	unsigned long rsc_offset; /* offset of the entry in vdev_rsc_io */
	uint32_t config_len;	  /* bytes of config space */
};

/*
 * rproc_virtio_create_vdev - build a virtio device of @role
 * (VIRTIO_DEV_DRIVER or VIRTIO_DEV_DEVICE) from the vdev entry at @rsc
 * inside @rsc_io. The entry is validated (type, vring count, every vring
 * size a power of two, config space and the whole entry inside the region);
 * each vring gets a virtqueue sized from the table. @notify(@priv, id) kicks
 * the peer; @rst_cb is called when the peer resets the device.
 * Start-up context. Returns the device, or NULL (logged) on bad input or
 * no memory.
 */
struct virtio_device *rproc_virtio_create_vdev(unsigned int role, unsigned int notifyid, void *rsc,
					       struct metal_io_region *rsc_io, void *priv,
					       rpvdev_notify_func notify,
					       virtio_dev_reset_cb rst_cb);

/* rproc_virtio_remove_vdev - free a device from rproc_virtio_create_vdev(). */
void rproc_virtio_remove_vdev(struct virtio_device *vdev);

/*
 * rproc_virtio_init_vring - place vring @index at @va (in @io) with
 * @num_descs entries (a power of two, at most the table's) and used-ring
 * alignment @align, notified as @notifyid.
 * Returns 0, or -EINVAL for a bad index/size/alignment.
 */
int rproc_virtio_init_vring(struct virtio_device *vdev, unsigned int index, unsigned int notifyid,
			    void *va, struct metal_io_region *io, unsigned int num_descs,
			    unsigned int align);

/*
 * rproc_virtio_notified - a kick arrived for @notifyid: run that vring's
 * callback (RSC_NOTIFY_ID_ANY: every vring's). Same context rules as the
 * callbacks. Returns 0, or -EINVAL when no vring and not the device has it.
 */
int rproc_virtio_notified(struct virtio_device *vdev, uint32_t notifyid);

/*
 * rproc_virtio_wait_remote_ready - device role: wait until the driver set
 * DRIVER_OK in the status (polls with metal_sleep_usec; start-up only).
 * Returns at once in the driver role.
 */
void rproc_virtio_wait_remote_ready(struct virtio_device *vdev);

/*
 * amplink_rproc_virtio_wait_remote_ready - as rproc_virtio_wait_remote_ready
 * but gives up after about @timeout_us microseconds.
 * Returns 0 when DRIVER_OK is set, -ETIMEDOUT, or -EINVAL.
 */
int amplink_rproc_virtio_wait_remote_ready(struct virtio_device *vdev, unsigned long timeout_us);

#ifdef __cplusplus
}
#endif

#endif /* OPENAMP_REMOTEPROC_VIRTIO_H */
