/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The resource-table virtio transport: feature negotiation (dfeatures /
 * gfeatures), the status handshake (the driver writes, the device reads and
 * may only raise NEEDS_RESET), config space bounds, vring placement checks,
 * and malformed vdev entries refused.
 */
#include "check.h"
#include "vq_fixture.h"

static struct fx f;

static struct virtio_device *mk(unsigned int role)
{
	return rproc_virtio_create_vdev(role, 5, f.vdev_rsc, &f.rsc_io, &f, fx_notify_from_driver,
					NULL);
}

static void base(void)
{
	memset(&f, 0, sizeof(f));
	fx_cur = &f;
	fx_setup_regions(&f);
	fx_build_rsc(&f, 0x3 | VIRTIO_RING_F_EVENT_IDX);
	fx_errors = 0;
}

static void done(void)
{
	fx_teardown(&f);
}

static void test_features(void)
{
	struct virtio_device *drv, *dev;
	uint32_t feat = 0, final = 0;

	base();
	drv = mk(VIRTIO_DEV_DRIVER);
	dev = mk(VIRTIO_DEV_DEVICE);
	REQUIRE(drv && dev);
	CHECK_EQ_INT(virtio_get_devid(drv), VIRTIO_ID_RPMSG);
	CHECK_EQ_INT(drv->vrings_num, 2);
	CHECK_EQ_INT(virtio_get_features(drv, &feat), 0);
	CHECK_EQ_INT(feat, 0x3 | VIRTIO_RING_F_EVENT_IDX);
	CHECK_EQ_INT(virtio_negotiate_features(drv, 0x1 | VIRTIO_RING_F_EVENT_IDX | 0x100, &final),
		     0);
	CHECK_EQ_INT(final, 0x1 | VIRTIO_RING_F_EVENT_IDX);
	CHECK_EQ_INT(f.vdev_rsc->gfeatures, 0x1 | VIRTIO_RING_F_EVENT_IDX);
	CHECK(virtio_has_feature(drv, 0) && !virtio_has_feature(drv, 1));
	CHECK(virtio_has_feature(drv, 29));
	CHECK(!virtio_has_feature(drv, 64));
	/* The device sees what the driver accepted. */
	CHECK_EQ_INT(virtio_get_features(dev, &feat), 0);
	CHECK_EQ_INT(feat, 0x1 | VIRTIO_RING_F_EVENT_IDX);
	CHECK_EQ_INT(virtio_negotiate_features(dev, 0xffffffffu, &final), 0);
	CHECK_EQ_INT(final, 0x1 | VIRTIO_RING_F_EVENT_IDX);
	CHECK(virtio_has_feature(dev, 29));
	/* The device offers through set_features (dfeatures). */
	CHECK_EQ_INT(virtio_set_features(dev, 0x7), 0);
	CHECK_EQ_INT(f.vdev_rsc->dfeatures, 0x7);
	rproc_virtio_remove_vdev(drv);
	rproc_virtio_remove_vdev(dev);
	done();
}

static void test_status(void)
{
	struct virtio_device *drv, *dev;
	uint8_t st = 0xff;

	base();
	drv = mk(VIRTIO_DEV_DRIVER);
	dev = mk(VIRTIO_DEV_DEVICE);
	REQUIRE(drv && dev);
	CHECK_EQ_INT(virtio_get_status(dev, &st), 0);
	CHECK_EQ_INT(st, 0);
	CHECK_EQ_INT(amplink_rproc_virtio_wait_remote_ready(dev, 1000), -ETIMEDOUT);
	CHECK_EQ_INT(amplink_rproc_virtio_wait_remote_ready(drv, 0), 0);
	virtio_set_status(drv, VIRTIO_CONFIG_STATUS_ACK | VIRTIO_CONFIG_STATUS_DRIVER);
	CHECK_EQ_INT(f.vdev_rsc->status, 3);
	virtio_set_status(drv, 3 | VIRTIO_CONFIG_FEATURES_OK | VIRTIO_CONFIG_STATUS_DRIVER_OK);
	CHECK_EQ_INT(virtio_get_status(dev, &st), 0);
	CHECK_EQ_INT(st, 0x0f);
	CHECK_EQ_INT(amplink_rproc_virtio_wait_remote_ready(dev, 0), 0);
	rproc_virtio_wait_remote_ready(dev); /* returns at once */
	/* The device may not clear or set anything but NEEDS_RESET. */
	virtio_set_status(dev, 0);
	CHECK_EQ_INT(f.vdev_rsc->status, 0x0f);
	virtio_set_status(dev, VIRTIO_CONFIG_STATUS_FAILED | VIRTIO_CONFIG_STATUS_NEEDS_RESET);
	CHECK_EQ_INT(f.vdev_rsc->status, 0x4f);
	CHECK_EQ_INT(virtio_reset_device(drv), 0);
	CHECK_EQ_INT(f.vdev_rsc->status, 0);
	CHECK_EQ_INT(virtio_get_status(NULL, &st), -EINVAL);
	rproc_virtio_remove_vdev(drv);
	rproc_virtio_remove_vdev(dev);
	done();
}

static void test_config(void)
{
	struct virtio_device *drv, *dev;
	unsigned char cfg[16], back[16];
	unsigned char *raw;

	base();
	drv = mk(VIRTIO_DEV_DRIVER);
	dev = mk(VIRTIO_DEV_DEVICE);
	REQUIRE(drv && dev);
	raw = (unsigned char *)f.vdev_rsc + 28 + 2 * 20;
	for (int i = 0; i < 16; i++)
		cfg[i] = (unsigned char)(0x40 + i);
	CHECK_EQ_INT(virtio_write_config(dev, 0, cfg, 16), 0);
	CHECK_MEM_EQ(raw, cfg, 16);
	memset(back, 0, sizeof(back));
	CHECK_EQ_INT(virtio_read_config(drv, 4, back, 8), 0);
	CHECK_MEM_EQ(back, cfg + 4, 8);
	/* Out of bounds: nothing read or written, logged. */
	memset(back, 0xee, sizeof(back));
	CHECK_EQ_INT(virtio_read_config(drv, 12, back, 8), 0);
	CHECK_EQ_INT(back[0], 0xee);
	CHECK_EQ_INT(virtio_write_config(drv, 16, cfg, 1), 0);
	CHECK_EQ_INT(virtio_read_config(drv, 0xfffffff0u, back, 0x20), 0);
	CHECK_EQ_INT(back[0], 0xee);
	CHECK_EQ_INT(raw[16], 0); /* byte after the config space untouched */
	CHECK_EQ_INT(fx_errors, 3);
	CHECK_EQ_INT(virtio_read_config(drv, 0, back, -1), -EINVAL);
	rproc_virtio_remove_vdev(drv);
	rproc_virtio_remove_vdev(dev);
	done();
}

static void test_init_vring(void)
{
	struct virtio_device *drv;

	base();
	drv = mk(VIRTIO_DEV_DRIVER);
	REQUIRE(drv);
	CHECK_EQ_INT(rproc_virtio_init_vring(drv, 2, 1, f.mem, &f.io, FX_NUM, 4096), -EINVAL);
	CHECK_EQ_INT(rproc_virtio_init_vring(drv, 0, 1, NULL, &f.io, FX_NUM, 4096), -EINVAL);
	CHECK_EQ_INT(rproc_virtio_init_vring(drv, 0, 1, f.mem, &f.io, 48, 4096), -EINVAL);
	CHECK_EQ_INT(rproc_virtio_init_vring(drv, 0, 1, f.mem, &f.io, FX_NUM * 2, 4096), -EINVAL);
	CHECK_EQ_INT(rproc_virtio_init_vring(drv, 0, 1, f.mem, &f.io, FX_NUM, 100), -EINVAL);
	CHECK_EQ_INT(rproc_virtio_init_vring(drv, 0, 1, f.mem, &f.io, FX_NUM / 2, 64), 0);
	CHECK_EQ_INT(drv->vrings_info[0].info.num_descs, FX_NUM / 2);
	/* Queues cannot be created before every vring is placed. */
	CHECK(virtio_create_virtqueues(drv, 0, 2, NULL, NULL, NULL) != 0);
	rproc_virtio_remove_vdev(drv);
	done();
}

/* Build, break one thing, expect NULL for both roles. */
static void expect_refused(const char *what)
{
	struct virtio_device *d;

	for (unsigned int role = 0; role < 2; role++) {
		d = mk(role);
		if (d) {
			fprintf(stderr, "accepted: %s\n", what);
			rproc_virtio_remove_vdev(d);
		}
		CHECK(d == NULL);
	}
}

static void test_malformed(void)
{
	base();
	f.vdev_rsc->type = RSC_CARVEOUT;
	expect_refused("wrong type");
	fx_build_rsc(&f, 0);
	f.vdev_rsc->num_of_vrings = 0;
	expect_refused("no vrings");
	fx_build_rsc(&f, 0);
	f.vdev_rsc->num_of_vrings = 200;
	expect_refused("too many vrings");
	fx_build_rsc(&f, 0);
	f.vdev_rsc->config_len = 4096;
	expect_refused("config beyond the region");
	fx_build_rsc(&f, 0);
	f.vdev_rsc->config_len = 0xfffffff0u;
	expect_refused("config length wraps");
	fx_build_rsc(&f, 0);
	f.vdev_rsc->vring[1].num = 48;
	expect_refused("vring size not a power of two");
	fx_build_rsc(&f, 0);
	f.vdev_rsc->vring[0].num = 0;
	expect_refused("vring size 0");
	fx_build_rsc(&f, 0);
	f.vdev_rsc->vring[0].align = 3;
	expect_refused("vring align not a power of two");
	fx_build_rsc(&f, 0);
	CHECK(rproc_virtio_create_vdev(VIRTIO_DEV_DRIVER, 5, f.mem, &f.rsc_io, &f, NULL, NULL) ==
	      NULL); /* entry outside its region */
	CHECK(rproc_virtio_create_vdev(7, 5, f.vdev_rsc, &f.rsc_io, &f, NULL, NULL) == NULL);
	/* An entry whose vrings run past the end of the region. */
	{
		unsigned char *end = f.rsc + 4096 - 40;

		memcpy(end, f.vdev_rsc, 40);
		CHECK(rproc_virtio_create_vdev(VIRTIO_DEV_DEVICE, 5, end, &f.rsc_io, &f, NULL,
					       NULL) == NULL);
		CHECK(rproc_virtio_create_vdev(VIRTIO_DEV_DEVICE, 5, f.rsc + 4096 - 8, &f.rsc_io,
					       &f, NULL, NULL) == NULL);
	}
	/* The intact entry is accepted. */
	{
		struct virtio_device *d = mk(VIRTIO_DEV_DEVICE);

		CHECK(d != NULL);
		rproc_virtio_remove_vdev(d);
	}
	done();
}

int main(void)
{
	fx_metal_init();
	RUN(test_features);
	RUN(test_status);
	RUN(test_config);
	RUN(test_init_vring);
	RUN(test_malformed);
	metal_finish();
	return check_summary();
}
