/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The lean profile's split ring, device role only (vring_split_lean.c): the
 * few operations a minimal remote needs on a struct virtqueue whose ring the
 * host placed. A chain is always one descriptor: chained and indirect
 * descriptors are refused. Any violation by the peer breaks the queue for
 * good (vq_broken, NEEDS_RESET raised in the device status, one log line).
 *
 * Concurrency: none. All calls on one queue come from one execution context.
 */
#ifndef AMPLINK_VRING_SPLIT_LEAN_H
#define AMPLINK_VRING_SPLIT_LEAN_H

#include <stdint.h>
#include <openamp/virtqueue.h>

/*
 * vring_lean_attach - point @vq at the split ring of @num entries (a power of
 * two) at @va with used-ring alignment @align, and reset the private indices.
 * The ring memory is not touched. Start-up only.
 */
static inline void vring_lean_attach(struct virtqueue *vq, void *va, unsigned int num,
				     unsigned int align)
{
	vring_init(&vq->vq_ring, num, va, align);
	vq->vq_nentries = (uint16_t)num;
	vq->vq_available_idx = 0;
	vq->vq_used_prod_idx = 0;
	vq->vq_queued_cnt = 0;
	vq->vq_broken = false;
}

/*
 * vring_lean_peek - the next buffer the driver made available, validated
 * (index distance, head range, no chain or indirect flag, buffer inside
 * vq->shm_io, which must pass vring_check_is_flat()), without taking it. *@head and *@len get its
 * descriptor index and length. Returns the buffer, or NULL when none is available or the queue is
 * broken (a bad entry breaks it).
 */
void *vring_lean_peek(struct virtqueue *vq, uint16_t *head, uint32_t *len);

/*
 * vring_lean_put - take the entry vring_lean_peek returned last and give it
 * back as used with @len bytes written. Call virtqueue_kick() afterwards (once
 * per batch).
 */
void vring_lean_put(struct virtqueue *vq, uint16_t head, uint32_t len);

/*
 * virtio_lean_wait_ready - device role: wait (metal_sleep_usec polls) until
 * the driver set DRIVER_OK in @vdev's status. Implemented by the lean
 * transport (remoteproc_virtio_lean.c) next to the status accessors.
 * Start-up only. Returns 0, -ENODEV when the driver set FAILED, or -EINVAL.
 */
int virtio_lean_wait_ready(struct virtio_device *vdev);

#endif /* AMPLINK_VRING_SPLIT_LEAN_H */
