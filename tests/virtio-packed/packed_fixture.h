/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test fixture for the packed ring: one block of memory (static or shared
 * between processes) seen through a metal_io_region, holding the ring at
 * offset 0 and 256-byte buffers after it; a driver-role and a device-role
 * virtqueue over the same ring with VIRTIO_F_RING_PACKED negotiated; and
 * notification counters.
 */
#ifndef AMPLINK_TESTS_PACKED_FIXTURE_H
#define AMPLINK_TESTS_PACKED_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include <metal/io.h>
#include <openamp/virtio.h>
#include <openamp/virtqueue.h>

#define PF_PHYS	    0x40000000ul
#define PF_BUF_OFF  8192u
#define PF_BUF_SIZE 256u

struct pf {
	uint8_t *mem;
	size_t size;
	metal_phys_addr_t phys;
	struct metal_io_region io;
	unsigned int num;
	struct virtio_device drv_vdev, dev_vdev;
	struct virtqueue *drv, *dev;
	struct vring_alloc_info info;
	unsigned int drv_kicks; /* driver notified the device */
	unsigned int dev_kicks; /* device notified the driver */
};

/*
 * Sets up both queues over @mem (@size bytes) with @num entries; @features
 * are added to VERSION_1 | RING_PACKED. @roles: 1 = driver, 2 = device,
 * 3 = both. Returns 0 or -1.
 */
int pf_setup(struct pf *f, uint8_t *mem, size_t size, unsigned int num, uint64_t features,
	     int roles);
void pf_teardown(struct pf *f);

/* Buffer @i (PF_BUF_SIZE bytes) and the device address of @p. */
uint8_t *pf_buf(struct pf *f, unsigned int i);
uint64_t pf_da(struct pf *f, const void *p);

#endif
