/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-mmio transport, driver side (virtio 1.x, register layout version 2).
 *
 * A struct amplink_virtio_mmio wraps a struct virtio_device whose dispatch
 * table talks to a virtio-mmio register window. Every register access goes
 * through a metal_io_region (metal_io_read32/metal_io_write32), so the window
 * may be real device memory, a trapping model behind an ops table, or memory
 * shared with another process. The device is untrusted: a bad magic value,
 * version, device id, queue size or a device that drops FEATURES_OK is refused
 * with an error and one log line.
 *
 * Typical use:
 *   amplink_virtio_mmio_init(&m, regs_io, shm_io);
 *   amplink_virtio_mmio_negotiate(&m, wanted, &final);
 *   amplink_virtio_mmio_set_vring(&m, 0, va0, 256, 4096); (one per queue)
 *   virtio_create_virtqueues(&m.vdev, 0, 2, names, cbs, args);
 *   virtio_set_status(&m.vdev, ... | VIRTIO_CONFIG_STATUS_DRIVER_OK);
 *   on the device's interrupt: amplink_virtio_mmio_interrupt(&m);
 */
#ifndef OPENAMP_VIRTIO_MMIO_H
#define OPENAMP_VIRTIO_MMIO_H

#include <stdbool.h>
#include <stdint.h>

#include <amplink/config.h>
#include <metal/io.h>
#include <openamp/virtio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Register offsets of the virtio-mmio window (virtio 1.x, section 4.2.2). */
#define VIRTIO_MMIO_MAGIC_VALUE		0x000
#define VIRTIO_MMIO_VERSION		0x004
#define VIRTIO_MMIO_DEVICE_ID		0x008
#define VIRTIO_MMIO_VENDOR_ID		0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES	0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES	0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_QUEUE_SEL		0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX	0x034
#define VIRTIO_MMIO_QUEUE_NUM		0x038
#define VIRTIO_MMIO_QUEUE_READY		0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY	0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS	0x060
#define VIRTIO_MMIO_INTERRUPT_ACK	0x064
#define VIRTIO_MMIO_STATUS		0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW	0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH	0x084
#define VIRTIO_MMIO_QUEUE_AVAIL_LOW	0x090 /* "QueueDriver" */
#define VIRTIO_MMIO_QUEUE_AVAIL_HIGH	0x094
#define VIRTIO_MMIO_QUEUE_USED_LOW	0x0a0 /* "QueueDevice" */
#define VIRTIO_MMIO_QUEUE_USED_HIGH	0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION	0x0fc
#define VIRTIO_MMIO_CONFIG		0x100

/* Values the device must present. */
#define VIRTIO_MMIO_MAGIC	   0x74726976u /* "virt", little-endian */
#define VIRTIO_MMIO_VERSION_MODERN 2u

/* InterruptStatus / InterruptACK bits. */
#define VIRTIO_MMIO_INT_VRING  (1u << 0) /* a used buffer notification */
#define VIRTIO_MMIO_INT_CONFIG (1u << 1) /* the configuration space changed */

/* Queue count and retry bound: AMPLINK_CFG_MMIO_* in <amplink/config.h>. */

struct amplink_virtio_mmio;

/* Called (interrupt context) when the device signals a config change. */
typedef void (*amplink_virtio_mmio_config_cb)(struct amplink_virtio_mmio *mdev);

/*
 * One virtio-mmio device seen from the driver. Embed it; nothing is
 * allocated besides the virtqueues created through virtio_create_virtqueues.
 */
struct amplink_virtio_mmio {
	/* What the upper layers use (role VIRTIO_DEV_DRIVER). */
	struct virtio_device vdev;
	/* The register window, and the memory the rings and buffers live in. */
	struct metal_io_region *regs;
	struct metal_io_region *shm_io;
	/* Offered by the device (read at negotiation). */
	uint64_t device_features;
	/*
	 * Bits >= 32 the 32-bit virtio_* feature calls ask for. init sets
	 * VERSION_1; add (1ULL << VIRTIO_F_RING_PACKED) to use the packed ring.
	 */
	uint64_t transport_features;
	/*
	 * Accepted with FEATURES_OK. The 32-bit virtio_* wrappers leave only the
	 * low word in vdev.features; queue creation restores all 64 bits.
	 */
	uint64_t negotiated_features;
	uint32_t vendor_id;
	uint32_t queue_num_max[AMPLINK_CFG_MMIO_MAX_VQS];
	struct virtio_vring_info vrings[AMPLINK_CFG_MMIO_MAX_VQS];
	/* Optional: run on a configuration-change interrupt. */
	amplink_virtio_mmio_config_cb config_cb;
	/* The device misbehaved (did not reset): refuse work until a reset works. */
	bool broken;
};

/**
 * amplink_virtio_mmio_init() - probe a virtio-mmio register window
 * @mdev:   the transport to fill in (caller-owned storage)
 * @regs:   io region covering the registers (at least 0x100 bytes + config)
 * @shm_io: io region of the shared memory the rings and buffers live in; its
 *          physical addresses are what the device sees
 *
 * Checks MagicValue, Version (must be 2) and DeviceID (0 = no device), then
 * resets the device and sets up @mdev->vdev (role VIRTIO_DEV_DRIVER, dispatch
 * table of this transport). Not thread-safe: call once before any other use.
 * Returns 0, or -EINVAL (bad arguments), -ENODEV (bad magic, no device),
 * -ENOTSUP (version other than 2), -EIO (the device did not reset).
 */
int amplink_virtio_mmio_init(struct amplink_virtio_mmio *mdev, struct metal_io_region *regs,
			     struct metal_io_region *shm_io);

/**
 * amplink_virtio_mmio_negotiate() - the 64-bit feature handshake
 * @mdev:   an initialised transport
 * @wanted: features the driver would like (VERSION_1 is always added)
 * @final:  if not NULL, receives the negotiated set
 *
 * Resets the device, sets ACKNOWLEDGE and DRIVER, reads the device's 64-bit
 * feature set, writes back the intersection, sets FEATURES_OK and checks that
 * the device kept it. The result is stored in @mdev->vdev.features. A device
 * that does not offer VERSION_1 is refused. Caller serialises with every other
 * use of the device. Returns 0, or -EIO (FEATURES_OK refused: FAILED is set),
 * -ENOTSUP (VERSION_1 not offered), -EINVAL.
 */
int amplink_virtio_mmio_negotiate(struct amplink_virtio_mmio *mdev, uint64_t wanted,
				  uint64_t *final);

/**
 * amplink_virtio_mmio_set_vring() - place ring memory for one queue
 * @mdev:  an initialised transport
 * @index: queue index (< AMPLINK_CFG_MMIO_MAX_VQS)
 * @va:    ring memory inside @mdev->shm_io (zeroed by virtio_create_virtqueues):
 *         vring_size(num, align) bytes for the split ring, 16 * num + 8 for
 *         the packed ring (descriptors, then the driver's and the device's
 *         event suppression structures); 16-byte aligned
 * @num:   descriptors: a power of two, <= the device's QueueNumMax
 * @align: ring alignment for the split format (power of two)
 *
 * Reads QueueNumMax for the queue and refuses a device that reports 0 or a
 * value that is not a power of two, or a queue that is already live. Call
 * before virtio_create_virtqueues. Returns 0, or -EINVAL (bad arguments or
 * memory outside shm_io), -ENODEV (queue not offered / bad QueueNumMax),
 * -EBUSY (QueueReady already set).
 */
int amplink_virtio_mmio_set_vring(struct amplink_virtio_mmio *mdev, unsigned int index, void *va,
				  unsigned int num, unsigned int align);

/**
 * amplink_virtio_mmio_read_config() - generation-consistent config read
 * @mdev:   the transport
 * @offset: offset in the device-specific configuration space
 * @dst:    destination
 * @len:    bytes to read
 *
 * Reads with the widest naturally aligned accesses (32/16/8 bits) and retries
 * while ConfigGeneration changes (bounded). Returns 0, or -ERANGE (outside the
 * register window), -EAGAIN (generation never settled), -EINVAL.
 */
int amplink_virtio_mmio_read_config(struct amplink_virtio_mmio *mdev, uint32_t offset, void *dst,
				    int len);

/**
 * amplink_virtio_mmio_write_config() - write the device configuration space
 * @mdev:   the transport
 * @offset: offset in the device-specific configuration space
 * @src:    source bytes
 * @len:    bytes to write
 *
 * Writes with the widest naturally aligned accesses (32/16/8 bits), bytes in
 * little-endian order. Returns 0, or -ERANGE (outside the register window),
 * -EINVAL.
 */
int amplink_virtio_mmio_write_config(struct amplink_virtio_mmio *mdev, uint32_t offset,
				     const void *src, int len);

/**
 * amplink_virtio_mmio_interrupt() - handle the device's interrupt
 * @mdev: the transport
 *
 * Reads InterruptStatus, acknowledges exactly those bits, runs every live
 * queue's callback on a used-buffer notification and config_cb on a config
 * change. Interrupt context; must not race with virtio_delete_virtqueues.
 * Returns the status bits handled (0 = not this device's interrupt).
 */
uint32_t amplink_virtio_mmio_interrupt(struct amplink_virtio_mmio *mdev);

/**
 * amplink_virtio_mmio_irq_handler() - metal_irq_handler wrapper
 * @irq: the interrupt line (unused)
 * @arg: the struct amplink_virtio_mmio
 *
 * Returns METAL_IRQ_HANDLED when the device had something pending, else
 * METAL_IRQ_NOT_HANDLED.
 */
int amplink_virtio_mmio_irq_handler(int irq, void *arg);

#ifdef __cplusplus
}
#endif

#endif /* OPENAMP_VIRTIO_MMIO_H */
