/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test fixture for the virtio tests: one shared-memory block (an io region
 * whose physical addresses differ from its virtual ones), a resource table
 * holding one vdev entry with two vrings, a driver-role and a device-role
 * virtio device built from that same entry over the same rings, notification
 * counters, and a log handler that counts error lines.
 */
#ifndef AMPLINK_TESTS_VQ_FIXTURE_H
#define AMPLINK_TESTS_VQ_FIXTURE_H

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <metal/errno.h>
#include <metal/io.h>
#include <metal/log.h>
#include <metal/sys.h>
#include <openamp/remoteproc.h>
#include <openamp/remoteproc_virtio.h>
#include <openamp/virtio.h>
#include <openamp/virtqueue.h>

#define FX_SHM_SIZE   (1024 * 1024)
#define FX_SHM_PA     0x40000000UL
#define FX_RING_ALIGN 4096
#define FX_NUM	      64
#define FX_RING1_OFF  (64 * 1024)
#define FX_BUF_OFF    (128 * 1024)
#define FX_NOTIFY0    10
#define FX_NOTIFY1    11

struct fx {
	unsigned char *mem;
	metal_phys_addr_t pa;
	struct metal_io_region io;
	unsigned char *rsc; /* resource table block */
	metal_phys_addr_t rsc_pa;
	struct metal_io_region rsc_io;
	struct fw_rsc_vdev *vdev_rsc;
	struct virtio_device *drv;
	struct virtio_device *dev;
	struct virtqueue *dq[2]; /* driver side */
	struct virtqueue *vq[2]; /* device side */
	int kicks[2][2];	 /* [side that was kicked: 0 driver, 1 device][vring] */
	int callbacks[2][2];
};

static struct fx *fx_cur;
static int fx_errors; /* error log lines seen */

static void fx_log(enum metal_log_level level, const char *format, ...)
{
	va_list ap;

	if (level <= METAL_LOG_ERROR)
		fx_errors++;
	if (getenv("FX_VERBOSE")) {
		va_start(ap, format);
		vfprintf(stderr, format, ap);
		va_end(ap);
	}
}

static inline void fx_metal_init(void)
{
	struct metal_init_params p = METAL_INIT_DEFAULTS;

	p.log_handler = fx_log;
	p.log_level = METAL_LOG_DEBUG;
	metal_init(&p);
}

/* notify from the driver side reaches the device and vice versa. */
static int fx_notify_from_driver(void *priv, uint32_t id)
{
	struct fx *f = priv;

	f->kicks[1][id == FX_NOTIFY1]++;
	return 0;
}

static int fx_notify_from_device(void *priv, uint32_t id)
{
	struct fx *f = priv;

	f->kicks[0][id == FX_NOTIFY1]++;
	return 0;
}

static void fx_cb_drv(struct virtqueue *vq)
{
	fx_cur->callbacks[0][vq->vq_queue_index]++;
}

static void fx_cb_dev(struct virtqueue *vq)
{
	fx_cur->callbacks[1][vq->vq_queue_index]++;
}

/* Build the vdev entry (two vrings of FX_NUM, 16 config bytes) in the table. */
static inline void fx_build_rsc(struct fx *f, uint32_t dfeatures)
{
	struct resource_table *t = (struct resource_table *)f->rsc;
	struct fw_rsc_vdev *v;

	memset(f->rsc, 0, 4096);
	t->ver = 1;
	t->num = 1;
	t->offset[0] = 32;
	v = (struct fw_rsc_vdev *)(f->rsc + 32);
	v->type = RSC_VDEV;
	v->id = VIRTIO_ID_RPMSG;
	v->notifyid = 5;
	v->dfeatures = dfeatures;
	v->config_len = 16;
	v->num_of_vrings = 2;
	v->vring[0].da = (uint32_t)FX_SHM_PA;
	v->vring[0].align = FX_RING_ALIGN;
	v->vring[0].num = FX_NUM;
	v->vring[0].notifyid = FX_NOTIFY0;
	v->vring[1].da = (uint32_t)(FX_SHM_PA + FX_RING1_OFF);
	v->vring[1].align = FX_RING_ALIGN;
	v->vring[1].num = FX_NUM;
	v->vring[1].notifyid = FX_NOTIFY1;
	f->vdev_rsc = v;
}

static inline void fx_setup_regions(struct fx *f)
{
	f->mem = aligned_alloc(4096, FX_SHM_SIZE);
	memset(f->mem, 0, FX_SHM_SIZE);
	f->pa = FX_SHM_PA;
	metal_io_init(&f->io, f->mem, &f->pa, FX_SHM_SIZE, (unsigned int)-1, 0, NULL);
	f->rsc = aligned_alloc(4096, 4096);
	f->rsc_pa = 0x50000000UL;
	metal_io_init(&f->rsc_io, f->rsc, &f->rsc_pa, 4096, (unsigned int)-1, 0, NULL);
}

/* Create one side's vdev and (after negotiation) its two virtqueues. */
static inline struct virtio_device *fx_side(struct fx *f, unsigned int role, uint32_t want)
{
	const char *names[2] = {"vq0", "vq1"};
	vq_callback cbs[2];
	struct virtio_device *vd;
	uint32_t final = 0;
	int i;

	vd = rproc_virtio_create_vdev(
		role, 5, f->vdev_rsc, &f->rsc_io, f,
		role == VIRTIO_DEV_DRIVER ? fx_notify_from_driver : fx_notify_from_device, NULL);
	if (!vd)
		return NULL;
	for (i = 0; i < 2; i++) {
		rproc_virtio_init_vring(vd, (unsigned int)i, i ? FX_NOTIFY1 : FX_NOTIFY0,
					f->mem + (i ? FX_RING1_OFF : 0), &f->io, FX_NUM,
					FX_RING_ALIGN);
		cbs[i] = role == VIRTIO_DEV_DRIVER ? fx_cb_drv : fx_cb_dev;
	}
	virtio_negotiate_features(vd, want, &final);
	if (virtio_create_virtqueues(vd, 0, 2, names, cbs, NULL) != 0)
		return NULL;
	return vd;
}

/*
 * Full setup: driver first (zeroes the rings, sets DRIVER_OK), then device.
 * @dfeatures: offered by the device; the driver accepts all of them.
 */
static inline int fx_setup(struct fx *f, uint32_t dfeatures)
{
	memset(f, 0, sizeof(*f));
	fx_cur = f;
	fx_setup_regions(f);
	fx_build_rsc(f, dfeatures);
	f->drv = fx_side(f, VIRTIO_DEV_DRIVER, 0xffffffffu);
	if (!f->drv)
		return -1;
	virtio_set_status(f->drv, VIRTIO_CONFIG_STATUS_ACK | VIRTIO_CONFIG_STATUS_DRIVER |
					  VIRTIO_CONFIG_FEATURES_OK |
					  VIRTIO_CONFIG_STATUS_DRIVER_OK);
	f->dev = fx_side(f, VIRTIO_DEV_DEVICE, 0xffffffffu);
	if (!f->dev)
		return -1;
	for (int i = 0; i < 2; i++) {
		f->dq[i] = f->drv->vrings_info[i].vq;
		f->vq[i] = f->dev->vrings_info[i].vq;
	}
	return 0;
}

static inline void fx_teardown(struct fx *f)
{
	if (f->drv)
		rproc_virtio_remove_vdev(f->drv);
	if (f->dev)
		rproc_virtio_remove_vdev(f->dev);
	free(f->mem);
	free(f->rsc);
}

/* A buffer at byte offset @off of the buffer area. */
static inline void *fx_buf(struct fx *f, size_t off)
{
	return f->mem + FX_BUF_OFF + off;
}

#endif /* AMPLINK_TESTS_VQ_FIXTURE_H */
