/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * amplink-bench: the in-process host/remote pair (see bench_pair.h): the
 * resource table, both virtio devices over one region, deferred kicks.
 */
#include <stdlib.h>
#include <string.h>

#include <openamp/remoteproc.h>
#include <openamp/virtio_ring.h>

#include "bench_pair.h"

#define BENCH_PAIR_ALIGN    4096u
#define BENCH_PAIR_VDEV_ID  2u	/* vrings are notified as 0 and 1 */
#define BENCH_PAIR_RSC_VDEV 32u /* offset of the vdev entry in the table */

/* Kick from side @priv: only mark the peer pending. */
static int bench_pair_notify(void *priv, uint32_t id)
{
	struct bench_side *s = priv;

	(void)id;
	s->peer->pending = 1;
	return 0;
}

static size_t bench_pair_round(size_t v)
{
	return (v + BENCH_PAIR_ALIGN - 1) & ~(size_t)(BENCH_PAIR_ALIGN - 1);
}

/* Offset of vring @i: the table takes the first page, the vrings follow. */
static size_t bench_pair_vring_off(unsigned int num, int i)
{
	return BENCH_PAIR_ALIGN +
	       (size_t)i * bench_pair_round((size_t)vring_size(num, BENCH_PAIR_ALIGN));
}

/* Write the resource table: one rpmsg vdev offering @features, two vrings, no name service. */
static void bench_pair_write_rsc(struct bench_pair *p, unsigned int num, uint32_t features)
{
	struct resource_table *t = (struct resource_table *)p->mem;
	struct fw_rsc_vdev *vd = (struct fw_rsc_vdev *)(p->mem + BENCH_PAIR_RSC_VDEV);
	int i;

	t->ver = 1;
	t->num = 1;
	t->offset[0] = BENCH_PAIR_RSC_VDEV;
	vd->type = RSC_VDEV;
	vd->id = VIRTIO_ID_RPMSG;
	vd->notifyid = BENCH_PAIR_VDEV_ID;
	vd->dfeatures = features;
	vd->num_of_vrings = 2;
	for (i = 0; i < 2; i++) {
		vd->vring[i].da = (uint32_t)bench_pair_vring_off(num, i);
		vd->vring[i].align = BENCH_PAIR_ALIGN;
		vd->vring[i].num = num;
		vd->vring[i].notifyid = (uint32_t)i;
	}
}

/* Build one side's virtio device in @role and place its vrings. Returns 0 or -1. */
static int bench_pair_side(struct bench_pair *p, struct bench_side *s, unsigned int role,
			   unsigned int num)
{
	unsigned int i;

	s->vdev = rproc_virtio_create_vdev(role, BENCH_PAIR_VDEV_ID, p->mem + BENCH_PAIR_RSC_VDEV,
					   &p->io, s, bench_pair_notify, NULL);
	if (!s->vdev)
		return -1;
	for (i = 0; i < 2; i++) {
		if (rproc_virtio_init_vring(s->vdev, i, i,
					    p->mem + bench_pair_vring_off(num, (int)i), &p->io, num,
					    BENCH_PAIR_ALIGN))
			return -1;
	}
	return 0;
}

int bench_pair_open(struct bench_pair *p, unsigned int vring_num, uint32_t features)
{
	size_t pool_off = bench_pair_vring_off(vring_num, 2);
	size_t pool_size = (size_t)vring_num * 2 * RPMSG_BUFFER_SIZE;

	memset(p, 0, sizeof(*p));
	p->size = pool_off + pool_size;
	p->mem = aligned_alloc(BENCH_PAIR_ALIGN, bench_pair_round(p->size));
	if (!p->mem)
		return -1;
	memset(p->mem, 0, p->size);
	metal_io_init(&p->io, p->mem, &p->phys0, p->size, (unsigned int)-1, 0, NULL);
	bench_pair_write_rsc(p, vring_num, features);
	p->host.peer = &p->remote;
	p->remote.peer = &p->host;
	if (bench_pair_side(p, &p->host, VIRTIO_DEV_DRIVER, vring_num) ||
	    bench_pair_side(p, &p->remote, VIRTIO_DEV_DEVICE, vring_num))
		goto fail;
	rpmsg_virtio_init_shm_pool(&p->pool, p->mem + pool_off, pool_size);
	if (rpmsg_init_vdev(&p->host.rvdev, p->host.vdev, NULL, &p->io, &p->pool))
		goto fail;
	p->host.up = 1;
	if (rpmsg_init_vdev(&p->remote.rvdev, p->remote.vdev, NULL, &p->io, NULL))
		goto fail;
	p->remote.up = 1;
	bench_pair_pump(p);
	return 0;
fail:
	bench_pair_close(p);
	return -1;
}

static void bench_pair_side_close(struct bench_side *s)
{
	if (s->up)
		rpmsg_deinit_vdev(&s->rvdev);
	s->up = 0;
	if (s->vdev)
		rproc_virtio_remove_vdev(s->vdev);
	s->vdev = NULL;
}

void bench_pair_close(struct bench_pair *p)
{
	bench_pair_side_close(&p->remote);
	bench_pair_side_close(&p->host);
	free(p->mem);
	p->mem = NULL;
}

int bench_pair_pump(struct bench_pair *p)
{
	int n = 0, i;

	/* Bounded: a kick answered by a kick cannot loop for ever. */
	for (i = 0; i < 1000 && (p->remote.pending || p->host.pending); i++) {
		if (p->remote.pending) {
			p->remote.pending = 0;
			rproc_virtio_notified(p->remote.vdev, RSC_NOTIFY_ID_ANY);
			n++;
		}
		if (p->host.pending) {
			p->host.pending = 0;
			rproc_virtio_notified(p->host.vdev, RSC_NOTIFY_ID_ANY);
			n++;
		}
	}
	return n;
}
