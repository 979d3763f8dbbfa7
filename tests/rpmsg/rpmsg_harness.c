/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The in-process RPMsg test harness (see rpmsg_harness.h): region, resource
 * table, both virtio devices, kick recording, pumps and the raw decoder.
 */
#define _GNU_SOURCE
#include "rpmsg_harness.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <metal/sys.h>
#include <metal/utilities.h>

const struct rpmsg_virtio_config *rh_host_config;
uint32_t rh_ring_features;

double rh_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Kick from side @priv: the other side has a notification pending. */
static int rh_notify(void *priv, uint32_t id)
{
	struct rh_side *s = priv;
	struct rh_side *p = s->peer;

	(void)id;
	atomic_fetch_add(&s->kicks_sent, 1);
	pthread_mutex_lock(&p->mu);
	p->pending = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

uint16_t rh_rd16(const struct rh *h, uint32_t off)
{
	return (uint16_t)(h->mem[off] | (h->mem[off + 1] << 8));
}

uint32_t rh_rd32(const struct rh *h, uint32_t off)
{
	return (uint32_t)rh_rd16(h, off) | ((uint32_t)rh_rd16(h, off + 2) << 16);
}

uint64_t rh_rd64(const struct rh *h, uint32_t off)
{
	return (uint64_t)rh_rd32(h, off) | ((uint64_t)rh_rd32(h, off + 4) << 32);
}

uint32_t rh_vring_off(const struct rh *h, int v)
{
	(void)h;
	return v == 0 ? RH_VRING0_OFF : RH_VRING1_OFF;
}

uint32_t rh_avail_off(const struct rh *h, int v)
{
	return rh_vring_off(h, v) + 16u * h->vring_num;
}

uint32_t rh_used_off(const struct rh *h, int v)
{
	uint32_t end = 16u * h->vring_num + 2u * (3u + h->vring_num);

	return rh_vring_off(h, v) + ((end + RH_ALIGN - 1) & ~(RH_ALIGN - 1));
}

/* Write the resource table: one rpmsg vdev with two vrings. */
static void rh_write_rsc(struct rh *h, bool ns)
{
	uint8_t *p = h->mem + RH_RSC_OFF;
	uint32_t vdev_at = 16 + 4; /* header + one offset */
	struct fw_rsc_vdev *vd = (struct fw_rsc_vdev *)(p + vdev_at);
	uint32_t words[5] = {1, 1, 0, 0, vdev_at};
	int i;

	memcpy(p, words, sizeof(words));
	vd->type = RSC_VDEV;
	vd->id = VIRTIO_ID_RPMSG;
	vd->notifyid = RH_NOTIFY_DEV;
	vd->dfeatures = (ns ? 1u << VIRTIO_RPMSG_F_NS : 0) | rh_ring_features;
	vd->gfeatures = 0;
	vd->config_len = 0;
	vd->status = 0;
	vd->num_of_vrings = 2;
	for (i = 0; i < 2; i++) {
		vd->vring[i].da = rh_vring_off(h, i);
		vd->vring[i].align = RH_ALIGN;
		vd->vring[i].num = h->vring_num;
		vd->vring[i].notifyid = (uint32_t)i;
		vd->vring[i].reserved = 0;
	}
}

/* Build one side's virtio device and place its vrings. */
static int rh_side_vdev(struct rh *h, struct rh_side *s, unsigned int role)
{
	int i;

	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	s->h = h;
	s->vdev = rproc_virtio_create_vdev(role, RH_NOTIFY_DEV, h->mem + RH_RSC_OFF + 20, &h->io, s,
					   rh_notify, NULL);
	if (!s->vdev)
		return -1;
	for (i = 0; i < 2; i++) {
		if (rproc_virtio_init_vring(s->vdev, (unsigned int)i, (unsigned int)i,
					    h->mem + rh_vring_off(h, i), &h->io, h->vring_num,
					    RH_ALIGN))
			return -1;
	}
	return 0;
}

int rh_init(struct rh *h, uint32_t vring_num, bool ns, rpmsg_ns_bind_cb host_bind,
	    rpmsg_ns_bind_cb remote_bind)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	int ret;

	memset(h, 0, sizeof(*h));
	if (metal_init(&params))
		return -1;
	h->vring_num = vring_num;
	h->mem = aligned_alloc(RH_ALIGN, RH_MEM_SIZE);
	if (!h->mem)
		return -1;
	memset(h->mem, 0, RH_MEM_SIZE);
	h->phys0 = 0;
	metal_io_init(&h->io, h->mem, &h->phys0, RH_MEM_SIZE, (unsigned int)-1, 0, NULL);
	rh_write_rsc(h, ns);
	h->host.peer = &h->remote;
	h->remote.peer = &h->host;
	if (rh_side_vdev(h, &h->host, VIRTIO_DEV_DRIVER) ||
	    rh_side_vdev(h, &h->remote, VIRTIO_DEV_DEVICE))
		return -1;
	rpmsg_virtio_init_shm_pool(&h->pool, h->mem + RH_POOL_OFF, RH_MEM_SIZE - RH_POOL_OFF);
	ret = rpmsg_init_vdev_with_config(&h->host.rvdev, h->host.vdev, host_bind, &h->io, &h->pool,
					  rh_host_config);
	if (ret)
		return ret;
	h->host.up = true;
	ret = rpmsg_init_vdev(&h->remote.rvdev, h->remote.vdev, remote_bind, &h->io, NULL);
	if (ret)
		return ret;
	h->remote.up = true;
	return 0;
}

static void rh_side_fini(struct rh_side *s)
{
	if (s->up)
		rpmsg_deinit_vdev(&s->rvdev);
	s->up = false;
	if (s->vdev)
		rproc_virtio_remove_vdev(s->vdev);
	s->vdev = NULL;
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
}

void rh_fini(struct rh *h)
{
	rh_side_fini(&h->remote);
	rh_side_fini(&h->host);
	free(h->mem);
	h->mem = NULL;
	metal_finish();
}

int rh_pump_side(struct rh_side *s)
{
	int had;

	pthread_mutex_lock(&s->mu);
	had = s->pending;
	s->pending = 0;
	pthread_mutex_unlock(&s->mu);
	if (had)
		rproc_virtio_notified(s->vdev, RSC_NOTIFY_ID_ANY);
	return had;
}

int rh_pump(struct rh *h)
{
	int n = 0, i, got;

	for (i = 0; i < 100000; i++) {
		got = rh_pump_side(&h->host) + rh_pump_side(&h->remote);
		if (!got)
			break;
		n += got;
	}
	return n;
}

int rh_wait_and_pump(struct rh_side *s, int timeout_ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += (long)timeout_ms * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&s->mu);
	while (!s->pending) {
		if (pthread_cond_timedwait(&s->cv, &s->mu, &ts) == ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&s->mu);
	return rh_pump_side(s);
}

int rh_wait_cb(struct rpmsg_device *rdev, uint32_t id)
{
	struct rpmsg_virtio_device *rvdev =
		metal_container_of(rdev, struct rpmsg_virtio_device, rdev);
	struct rh_side *s = metal_container_of(rvdev, struct rh_side, rvdev);

	(void)id;
	rh_wait_and_pump(s, 10);
	return 0;
}

int rh_nop_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)ept;
	(void)data;
	(void)len;
	(void)src;
	(void)priv;
	return 0;
}

int rh_exhaust(struct rpmsg_endpoint *ept)
{
	int n = 0;

	while (rpmsg_trysend(ept, "f", 1) == 1 && n < 10000)
		n++;
	return n;
}
