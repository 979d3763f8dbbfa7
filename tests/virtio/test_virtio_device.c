/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The device model wrappers (virtio.c) against a fake transport: each
 * wrapper reaches the dispatch member, missing members give -ENXIO, bad
 * arguments -EINVAL, the generic negotiation path (get/set only), buffer
 * allocation through the memory ops, and virtio_has_feature on 64 bits.
 */
#include <metal/errno.h>
#include <metal/sys.h>
#include <openamp/virtio.h>
#include "check.h"

static uint8_t fake_status;
static uint32_t fake_dfeatures = 0x0f, fake_gfeatures;
static unsigned char fake_cfg[8];
static int resets, frees;
static char pool[64];

static uint8_t fake_get_status(struct virtio_device *d)
{
	(void)d;
	return fake_status;
}
static void fake_set_status(struct virtio_device *d, uint8_t s)
{
	(void)d;
	fake_status = s;
}
static uint32_t fake_get_features(struct virtio_device *d)
{
	(void)d;
	return fake_dfeatures;
}
static void fake_set_features(struct virtio_device *d, uint32_t f)
{
	(void)d;
	fake_gfeatures = f;
}
static void fake_read_config(struct virtio_device *d, uint32_t off, void *dst, int len)
{
	(void)d;
	memcpy(dst, fake_cfg + off, (size_t)len);
}
static void fake_write_config(struct virtio_device *d, uint32_t off, void *src, int len)
{
	(void)d;
	memcpy(fake_cfg + off, src, (size_t)len);
}
static void fake_reset(struct virtio_device *d)
{
	(void)d;
	resets++;
}
static void *fake_alloc(struct virtio_device *d, size_t size, size_t align)
{
	(void)d;
	(void)align;
	return size <= sizeof(pool) ? pool : NULL;
}
static void fake_free(struct virtio_device *d, void *buf)
{
	(void)d;
	(void)buf;
	frees++;
}

static const struct virtio_dispatch full = {
	.get_status = fake_get_status,
	.set_status = fake_set_status,
	.get_features = fake_get_features,
	.set_features = fake_set_features,
	.read_config = fake_read_config,
	.write_config = fake_write_config,
	.reset_device = fake_reset,
};
static const struct virtio_dispatch empty = {0};
static const struct virtio_memory_ops mm = {fake_alloc, fake_free};

static void test_wrappers(void)
{
	struct virtio_device vd = {0};
	unsigned char b[4] = {1, 2, 3, 4}, back[4] = {0};
	uint32_t feat = 0, final = 0;
	uint8_t st = 0;

	vd.func = &full;
	vd.id.device = 7;
	CHECK_EQ_INT(virtio_get_devid(&vd), 7);
	CHECK_EQ_INT(virtio_get_devid(NULL), 0);
	CHECK_EQ_INT(virtio_set_status(&vd, 0x0f), 0);
	CHECK_EQ_INT(virtio_get_status(&vd, &st), 0);
	CHECK_EQ_INT(st, 0x0f);
	CHECK_EQ_INT(virtio_get_features(&vd, &feat), 0);
	CHECK_EQ_INT(feat, 0x0f);
	/* generic negotiation: features & offered, written back in the driver role */
	CHECK_EQ_INT(virtio_negotiate_features(&vd, 0x05 | 0x100, &final), 0);
	CHECK_EQ_INT(final, 0x05);
	CHECK_EQ_INT(fake_gfeatures, 0x05);
	CHECK(virtio_has_feature(&vd, 0) && virtio_has_feature(&vd, 2));
	CHECK(!virtio_has_feature(&vd, 1) && !virtio_has_feature(&vd, 63));
	vd.features |= 1ULL << VIRTIO_F_VERSION_1;
	CHECK(virtio_has_feature(&vd, VIRTIO_F_VERSION_1));
	CHECK(!virtio_has_feature(&vd, 64) && !virtio_has_feature(NULL, 0));
	CHECK_EQ_INT(virtio_write_config(&vd, 2, b, 4), 0);
	CHECK_EQ_INT(virtio_read_config(&vd, 2, back, 4), 0);
	CHECK_MEM_EQ(back, b, 4);
	CHECK_EQ_INT(virtio_reset_device(&vd), 0);
	CHECK_EQ_INT(resets, 1);
	CHECK_EQ_INT(virtio_set_features(&vd, 0x3), 0);
	/* the low word is replaced; transport-negotiated bits 32+ (VERSION_1) survive */
	CHECK_EQ_INT(vd.features, (1ULL << VIRTIO_F_VERSION_1) | 0x3);
}

static void test_missing_ops(void)
{
	struct virtio_device vd = {0};
	uint32_t feat;
	uint8_t st;
	void *buf = NULL;

	CHECK_EQ_INT(virtio_get_status(&vd, &st), -ENXIO);
	vd.func = &empty;
	CHECK_EQ_INT(virtio_get_status(&vd, &st), -ENXIO);
	CHECK_EQ_INT(virtio_set_status(&vd, 1), -ENXIO);
	CHECK_EQ_INT(virtio_get_features(&vd, &feat), -ENXIO);
	CHECK_EQ_INT(virtio_set_features(&vd, 1), -ENXIO);
	CHECK_EQ_INT(virtio_negotiate_features(&vd, 1, &feat), -ENXIO);
	CHECK_EQ_INT(virtio_read_config(&vd, 0, &feat, 4), -ENXIO);
	CHECK_EQ_INT(virtio_write_config(&vd, 0, &feat, 4), -ENXIO);
	CHECK_EQ_INT(virtio_reset_device(&vd), -ENXIO);
	CHECK_EQ_INT(virtio_alloc_buf(&vd, &buf, 8, 8), -ENXIO);
	CHECK_EQ_INT(virtio_free_buf(&vd, buf), -ENXIO);
	CHECK_EQ_INT(virtio_get_status(NULL, &st), -EINVAL);
	CHECK_EQ_INT(virtio_get_status(&vd, NULL), -EINVAL);
	CHECK_EQ_INT(virtio_read_config(&vd, 0, NULL, 4), -EINVAL);
	CHECK_EQ_INT(virtio_create_virtqueues(NULL, 0, 1, NULL, NULL, NULL), -EINVAL);
	/* no vrings placed: the generic path refuses */
	CHECK(virtio_create_virtqueues(&vd, 0, 1, NULL, NULL, NULL) != 0);
	virtio_delete_virtqueues(&vd);
}

static void test_memory_ops(void)
{
	struct virtio_device vd = {0};
	void *buf = NULL;

	vd.mmops = &mm;
	CHECK_EQ_INT(virtio_alloc_buf(&vd, &buf, 16, 8), 0);
	CHECK(buf == pool);
	CHECK_EQ_INT(virtio_alloc_buf(&vd, &buf, 1000, 8), -ENOMEM);
	CHECK_EQ_INT(virtio_free_buf(&vd, pool), 0);
	CHECK_EQ_INT(frees, 1);
}

static void test_allocation(void)
{
	struct virtqueue *vqs[AMPLINK_CFG_MAX_VQS + 1];
	int i;

	CHECK(virtqueue_allocate(0) == NULL);
	CHECK(virtqueue_allocate(VQ_RING_DESC_CHAIN_END + 1) == NULL);
	for (i = 0; i < AMPLINK_CFG_MAX_VQS; i++) {
		vqs[i] = virtqueue_allocate(4);
		CHECK(vqs[i] != NULL);
		if (vqs[i])
			CHECK_EQ_INT(vqs[i]->vq_alloc_num, 4);
	}
#if AMPLINK_CFG_STATIC_ALLOC
	/* The static pool is exhausted, and too-large queues never fit. */
	CHECK(virtqueue_allocate(4) == NULL);
	virtqueue_free(vqs[0]);
	CHECK(virtqueue_allocate(AMPLINK_CFG_MAX_VRING_NUM + 1) == NULL);
	vqs[0] = virtqueue_allocate(AMPLINK_CFG_MAX_VRING_NUM);
	CHECK(vqs[0] != NULL);
#endif
	for (i = 0; i < AMPLINK_CFG_MAX_VQS; i++)
		virtqueue_free(vqs[i]);
	virtqueue_free(NULL);
}

int main(void)
{
	struct metal_init_params p = METAL_INIT_DEFAULTS;

	metal_init(&p);
	RUN(test_wrappers);
	RUN(test_missing_ops);
	RUN(test_memory_ops);
	RUN(test_allocation);
	metal_finish();
	return check_summary();
}
