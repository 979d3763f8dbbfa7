/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtio device model: a struct virtio_device, the dispatch table a
 * transport (resource table, virtio-mmio, vhost-user) fills in, status and
 * feature constants, device IDs, and the virtio_* wrappers the upper layers
 * call so they never depend on a particular transport.
 */
#ifndef OPENAMP_VIRTIO_H
#define OPENAMP_VIRTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <metal/assert.h>
#include <metal/log.h>
#include <openamp/virtqueue.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Roles: the driver owns the buffers (host), the device uses them (remote). */
#define VIRTIO_DEV_DRIVER 0UL
#define VIRTIO_DEV_DEVICE 1UL

#define VIRTIO_ROLE_IS_DRIVER(vdev) ((vdev)->role == VIRTIO_DEV_DRIVER)
#define VIRTIO_ROLE_IS_DEVICE(vdev) ((vdev)->role == VIRTIO_DEV_DEVICE)

#define VIRTIO_ENABLED(option) (option == 1)

#define VIRTIO_ASSERT(_exp, _msg)                                                                  \
	do {                                                                                       \
		if (!(_exp)) {                                                                     \
			metal_log(METAL_LOG_EMERGENCY, "%s: %s", __func__, _msg);                  \
			metal_assert(_exp);                                                        \
		}                                                                                  \
	} while (0)

/* Device status bits. */
#define VIRTIO_CONFIG_STATUS_RESET	 0x00
#define VIRTIO_CONFIG_STATUS_ACK	 0x01
#define VIRTIO_CONFIG_STATUS_DRIVER	 0x02
#define VIRTIO_CONFIG_STATUS_DRIVER_OK	 0x04
#define VIRTIO_CONFIG_FEATURES_OK	 0x08
#define VIRTIO_CONFIG_STATUS_NEEDS_RESET 0x40
#define VIRTIO_CONFIG_STATUS_FAILED	 0x80

/* Device IDs. */
#define VIRTIO_ID_NETWORK	 1UL
#define VIRTIO_ID_BLOCK		 2UL
#define VIRTIO_ID_CONSOLE	 3UL
#define VIRTIO_ID_ENTROPY	 4UL
#define VIRTIO_ID_BALLOON	 5UL
#define VIRTIO_ID_IOMEMORY	 6UL
#define VIRTIO_ID_RPMSG		 7UL
#define VIRTIO_ID_SCSI		 8UL
#define VIRTIO_ID_9P		 9UL
#define VIRTIO_ID_MAC80211_WLAN	 10UL
#define VIRTIO_ID_RPROC_SERIAL	 11UL
#define VIRTIO_ID_CAIF		 12UL
#define VIRTIO_ID_MEMORY_BALLOON 13UL
#define VIRTIO_ID_GPU		 16UL
#define VIRTIO_ID_CLOCK		 17UL
#define VIRTIO_ID_INPUT		 18UL
#define VIRTIO_ID_VSOCK		 19UL
#define VIRTIO_ID_CRYPTO	 20UL
#define VIRTIO_ID_SIGNAL_DIST	 21UL
#define VIRTIO_ID_PSTORE	 22UL
#define VIRTIO_ID_IOMMU		 23UL
#define VIRTIO_ID_MEM		 24UL
#define VIRTIO_ID_SOUND		 25UL
#define VIRTIO_ID_FS		 26UL
#define VIRTIO_ID_PMEM		 27UL
#define VIRTIO_ID_RPMB		 28UL
#define VIRTIO_ID_MAC80211_HWSIM 29UL
#define VIRTIO_ID_VIDEO_ENCODER	 30UL
#define VIRTIO_ID_VIDEO_DECODER	 31UL
#define VIRTIO_ID_SCMI		 32UL
#define VIRTIO_ID_NITRO_SEC_MOD	 33UL
#define VIRTIO_ID_I2C_ADAPTER	 34UL
#define VIRTIO_ID_WATCHDOG	 35UL
#define VIRTIO_ID_CAN		 36UL
#define VIRTIO_ID_PARAM_SERV	 38UL
#define VIRTIO_ID_AUDIO_POLICY	 39UL
#define VIRTIO_ID_BT		 40UL
#define VIRTIO_ID_GPIO		 41UL
#define VIRTIO_ID_RDMA		 42UL
#define VIRTIO_DEV_ANY_ID	 -1UL

/* Transport feature bits (the device-independent range 28..31 in word 0). */
#define VIRTIO_F_NOTIFY_ON_EMPTY (1 << 24)
#define VIRTIO_F_ANY_LAYOUT	 (1 << 27)
#define VIRTIO_F_BAD_FEATURE	 (1 << 30)
#define VIRTIO_TRANSPORT_F_START 28
#define VIRTIO_TRANSPORT_F_END	 32
/* Feature bit numbers above 31, for virtio_has_feature() on 'features'. */
#define VIRTIO_F_VERSION_1	 32
#define VIRTIO_F_ACCESS_PLATFORM 33
#define VIRTIO_F_RING_PACKED	 34

#define VIRTIO_MMIO_VRING_ALIGNMENT 4096

struct virtio_device;

/* Called by a transport when the peer reset the device. */
typedef void (*virtio_dev_reset_cb)(struct virtio_device *vdev);

/* Identification of a device. */
struct virtio_device_id {
	uint32_t device;
	uint32_t vendor;
	uint32_t version;
};

/* Where a vring lives before its virtqueue exists. */
struct vring_alloc_info {
	void *vaddr;	    /* ring memory, as this side sees it */
	uint32_t align;	    /* used ring alignment, a power of two */
	uint16_t num_descs; /* entries, a power of two */
	uint16_t pad;
};

/* One vring of a device: its placement, its queue, its notify id. */
struct virtio_vring_info {
	struct virtqueue *vq;
	struct vring_alloc_info info;
	uint32_t notifyid;
	struct metal_io_region *io; /* region holding the ring memory */
};

/* Named feature (for dumps). */
struct virtio_feature_desc {
	uint32_t vfd_val;
	const char *vfd_str;
};

/* Optional allocator for buffers of a device (transport-specific). */
struct virtio_memory_ops {
	void *(*alloc)(struct virtio_device *dev, size_t size, size_t align);
	void (*free)(struct virtio_device *dev, void *buf);
};

/*
 * What a transport supplies. Members may be NULL where noted in virtio.c:
 * the wrappers then return -ENOSYS or fall back to a generic implementation.
 */
struct virtio_dispatch {
	int (*create_virtqueues)(struct virtio_device *vdev, unsigned int flags, unsigned int nvqs,
				 const char *names[], vq_callback callbacks[],
				 void *callback_args[]);
	void (*delete_virtqueues)(struct virtio_device *vdev);
	uint8_t (*get_status)(struct virtio_device *dev);
	void (*set_status)(struct virtio_device *dev, uint8_t status);
	uint32_t (*get_features)(struct virtio_device *dev);
	void (*set_features)(struct virtio_device *dev, uint32_t feature);
	uint32_t (*negotiate_features)(struct virtio_device *dev, uint32_t features);
	void (*read_config)(struct virtio_device *dev, uint32_t offset, void *dst, int length);
	void (*write_config)(struct virtio_device *dev, uint32_t offset, void *src, int length);
	void (*reset_device)(struct virtio_device *dev);
	void (*notify)(struct virtqueue *vq);
};

/* A virtio device, driver or device side. */
struct virtio_device {
	uint32_t notifyid;		       /* the device's own notify id */
	struct virtio_device_id id;	       /* what it is */
	uint64_t features;		       /* negotiated features */
	unsigned int role;		       /* VIRTIO_DEV_DRIVER or VIRTIO_DEV_DEVICE */
	virtio_dev_reset_cb reset_cb;	       /* peer reset notification */
	const struct virtio_dispatch *func;    /* the transport */
	void *priv;			       /* the transport's or user's data */
	unsigned int vrings_num;	       /* entries in vrings_info */
	struct virtio_vring_info *vrings_info; /* the vrings */
	const struct virtio_memory_ops *mmops; /* optional buffer allocator */
};

/*
 * virtio_get_devid - the device ID (VIRTIO_ID_*) of @vdev.
 * Returns the ID, or 0 when @vdev is NULL.
 */
uint32_t virtio_get_devid(const struct virtio_device *vdev);

/*
 * virtio_get_status / virtio_set_status - read or write the device status
 * byte through the transport. Not interrupt-safe on transports that sleep.
 * Returns 0, or -EINVAL / -ENXIO (no such operation).
 */
int virtio_get_status(struct virtio_device *vdev, uint8_t *status);
int virtio_set_status(struct virtio_device *vdev, uint8_t status);

/*
 * virtio_get_features - the features visible to this side (driver: offered
 * by the device; device: accepted by the driver).
 * Returns 0 or a negative errno.
 */
int virtio_get_features(struct virtio_device *vdev, uint32_t *features);

/*
 * virtio_set_features - write this side's feature word (driver: accepted;
 * device: offered) and remember it in vdev->features.
 * Returns 0 or a negative errno.
 */
int virtio_set_features(struct virtio_device *vdev, uint32_t features);

/*
 * virtio_negotiate_features - intersect @features with the peer's and store
 * the result in vdev->features (and @final_features when not NULL).
 * Returns 0 or a negative errno.
 */
int virtio_negotiate_features(struct virtio_device *vdev, uint32_t features,
			      uint32_t *final_features);

/*
 * virtio_read_config / virtio_write_config - copy @len bytes of the device
 * configuration space at @offset. The transport bounds-checks.
 * Returns 0 or a negative errno.
 */
int virtio_read_config(struct virtio_device *vdev, uint32_t offset, void *dst, int len);
int virtio_write_config(struct virtio_device *vdev, uint32_t offset, void *src, int len);

/*
 * virtio_reset_device - reset the device through the transport.
 * Returns 0 or a negative errno.
 */
int virtio_reset_device(struct virtio_device *vdev);

/*
 * virtio_create_virtqueues - create @nvqs virtqueues on the vrings already
 * placed in vdev->vrings_info (the transport's op when it has one, else the
 * generic path: the driver role zeroes and lays out each ring). Start-up only.
 * Returns 0 or a negative error (ERROR_VQUEUE_INVLD_PARAM, -EINVAL...).
 */
int virtio_create_virtqueues(struct virtio_device *vdev, unsigned int flags, unsigned int nvqs,
			     const char *names[], vq_callback callbacks[], void *callback_args[]);

/* virtio_delete_virtqueues - undo virtio_create_virtqueues (the queues stay allocated). */
void virtio_delete_virtqueues(struct virtio_device *vdev);

/*
 * virtio_alloc_buf / virtio_free_buf - a buffer from the device's memory ops.
 * Returns 0, -ENOMEM, or -ENXIO when the device has no memory ops.
 */
int virtio_alloc_buf(struct virtio_device *vdev, void **buf, size_t size, size_t align);
int virtio_free_buf(struct virtio_device *vdev, void *buf);

/*
 * virtio_has_feature - whether @feature_bit (a bit number, 0..63) is in the
 * negotiated features.
 */
bool virtio_has_feature(struct virtio_device *vdev, unsigned int feature_bit);

#ifdef __cplusplus
}
#endif

#endif /* OPENAMP_VIRTIO_H */
