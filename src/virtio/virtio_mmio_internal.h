/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private glue between the two halves of the virtio-mmio transport:
 * virtio_mmio.c (probe, status, features, config, interrupt) and
 * virtio_mmio_queue.c (ring placement, queue activation, notification).
 */
#ifndef AMPLINK_VIRTIO_MMIO_INTERNAL_H
#define AMPLINK_VIRTIO_MMIO_INTERNAL_H

#include <openamp/virtio_mmio.h>

/* The transport that embeds @vdev. */
struct amplink_virtio_mmio *virtio_mmio_from_vdev(struct virtio_device *vdev);

/* 32-bit register access through the window's io region. */
uint32_t virtio_mmio_read(struct amplink_virtio_mmio *mdev, unsigned long reg);
void virtio_mmio_write(struct amplink_virtio_mmio *mdev, unsigned long reg, uint32_t value);

/* struct virtio_dispatch members implemented in virtio_mmio_queue.c. */
int virtio_mmio_create_virtqueues(struct virtio_device *vdev, unsigned int flags, unsigned int nvqs,
				  const char *names[], vq_callback callbacks[],
				  void *callback_args[]);
void virtio_mmio_delete_virtqueues(struct virtio_device *vdev);
void virtio_mmio_notify(struct virtqueue *vq);

#endif
