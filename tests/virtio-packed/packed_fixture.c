/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The packed-ring test fixture (see packed_fixture.h).
 */
#include <string.h>

#include "packed_fixture.h"

static void pf_drv_notify(struct virtqueue *vq)
{
	((struct pf *)vq->priv)->drv_kicks++;
}

static void pf_dev_notify(struct virtqueue *vq)
{
	((struct pf *)vq->priv)->dev_kicks++;
}

static struct virtqueue *pf_make(struct pf *f, struct virtio_device *vdev, const char *name,
				 void (*notify)(struct virtqueue *vq))
{
	struct virtqueue *vq = virtqueue_allocate(f->num);

	if (!vq)
		return NULL;
	if (virtqueue_create(vdev, 0, name, &f->info, NULL, notify, vq) != 0) {
		virtqueue_free(vq);
		return NULL;
	}
	virtqueue_set_shmem_io(vq, &f->io);
	vq->priv = f;
	return vq;
}

int pf_setup(struct pf *f, uint8_t *mem, size_t size, unsigned int num, uint64_t features,
	     int roles)
{
	uint64_t all = features | (1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_F_RING_PACKED);

	memset(f, 0, sizeof(*f));
	f->mem = mem;
	f->size = size;
	f->phys = PF_PHYS;
	f->num = num;
	metal_io_init(&f->io, mem, &f->phys, size, (unsigned int)-1, 0, NULL);
	f->info.vaddr = mem;
	f->info.num_descs = (uint16_t)num;
	f->info.align = 16;
	f->drv_vdev.role = VIRTIO_DEV_DRIVER;
	f->drv_vdev.features = all;
	f->dev_vdev.role = VIRTIO_DEV_DEVICE;
	f->dev_vdev.features = all;
	if (roles & 1) {
		f->drv = pf_make(f, &f->drv_vdev, "pdrv", pf_drv_notify);
		if (!f->drv)
			return -1;
	}
	if (roles & 2) {
		f->dev = pf_make(f, &f->dev_vdev, "pdev", pf_dev_notify);
		if (!f->dev)
			return -1;
	}
	return 0;
}

void pf_teardown(struct pf *f)
{
	virtqueue_free(f->drv);
	virtqueue_free(f->dev);
	f->drv = f->dev = NULL;
}

uint8_t *pf_buf(struct pf *f, unsigned int i)
{
	return f->mem + PF_BUF_OFF + (size_t)i * PF_BUF_SIZE;
}

uint64_t pf_da(struct pf *f, const void *p)
{
	return f->phys + (uint64_t)((const uint8_t *)p - f->mem);
}
