/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * remoteproc lifecycle against a fake platform: the standard order (init,
 * config, load, start, stop, shutdown, remove), out-of-order calls refused,
 * platform failures, crash -> error -> recovery restarting the same
 * firmware, attach/detach, the sysfs state names, memories and their
 * lookups, notify-id allocation and virtio devices built from the table.
 */
#include <string.h>

#include <amplink/remoteproc.h>
#include <metal/sys.h>
#include <metal/utilities.h>
#include <openamp/remoteproc.h>
#include <openamp/elf_loader.h>
#include <openamp/remoteproc_virtio.h>
#include <openamp/rsc_table_parser.h>
#include <openamp/virtio.h>

#include "check.h"
#include "elf/elf_images.h"

static struct fx_platform fx;
static struct eb_image im;
static struct fx_store st;
static struct rb rsc;

/* init + config + load of the standard image (vrings at ANY). */
static struct remoteproc *loaded(void)
{
	struct remoteproc *rproc = fx_setup(&fx);

	if (!rproc || remoteproc_config(rproc, NULL))
		return NULL;
	ti_rsc(&rsc, NULL);
	ti_image(&im, 0, EM_ARM, &rsc);
	fx_store_init(&st, im.buf, im.len);
	if (remoteproc_load(rproc, "fw.elf", &st, &fx_store_ops, NULL))
		return NULL;
	return rproc;
}

static void test_states_in_order(void)
{
	struct remoteproc *rproc = fx_setup(&fx);

	REQUIRE(rproc == &fx.rproc);
	CHECK_EQ_INT(fx.n_init, 1);
	CHECK_EQ_INT(rproc->state, RPROC_OFFLINE);
	CHECK(strcmp(amplink_remoteproc_state_name(rproc), "offline") == 0);
	CHECK_EQ_INT(remoteproc_config(rproc, &fx), 0);
	CHECK_EQ_INT(rproc->state, RPROC_READY);
	CHECK_EQ_INT(fx.n_config, 1);
	ti_rsc(&rsc, NULL);
	ti_image(&im, 0, EM_ARM, &rsc);
	fx_store_init(&st, im.buf, im.len);
	CHECK_EQ_INT(remoteproc_load(rproc, "fw.elf", &st, &fx_store_ops, NULL), 0);
	CHECK_EQ_INT(rproc->state, RPROC_READY);
	CHECK_EQ_INT(remoteproc_start(rproc), 0);
	CHECK_EQ_INT(rproc->state, RPROC_RUNNING);
	CHECK(strcmp(amplink_remoteproc_state_name(rproc), "running") == 0);
	CHECK_EQ_INT(remoteproc_stop(rproc), 0);
	CHECK_EQ_INT(rproc->state, RPROC_STOPPED);
	CHECK(strcmp(amplink_remoteproc_state_name(rproc), "offline") == 0);
	CHECK_EQ_INT(remoteproc_start(rproc), 0); /* restart of the loaded image */
	CHECK_EQ_INT(remoteproc_shutdown(rproc), 0);
	CHECK_EQ_INT(rproc->state, RPROC_OFFLINE);
	CHECK(rproc->rsc_table == NULL);
	CHECK_EQ_INT(rproc->bitmap, 0);
	CHECK_EQ_INT(fx.n_start, 2);
	CHECK_EQ_INT(fx.n_stop, 2);
	CHECK_EQ_INT(fx.n_shutdown, 1);
	CHECK_EQ_INT(remoteproc_remove(rproc), 0);
	CHECK_EQ_INT(fx.n_remove, 1);
	CHECK_EQ_INT(fx_log_errors, 0);
}

static void test_refused_out_of_order(void)
{
	struct remoteproc *rproc = fx_setup(&fx);

	REQUIRE(rproc);
	CHECK_EQ_INT(remoteproc_start(rproc), -AMPLINK_RPROC_ERR_STATE);
	CHECK_EQ_INT(fx.n_start, 0);
	CHECK_EQ_INT(remoteproc_stop(rproc), 0); /* nothing to stop */
	CHECK_EQ_INT(remoteproc_shutdown(rproc), 0);
	CHECK_EQ_INT(fx.n_stop + fx.n_shutdown, 0);
	CHECK_EQ_INT(remoteproc_config(rproc, NULL), 0);
	CHECK_EQ_INT(remoteproc_config(rproc, NULL), -AMPLINK_RPROC_ERR_STATE);
	CHECK_EQ_INT(fx.n_config, 1);
	CHECK_EQ_INT(remoteproc_start(rproc), 0);
	CHECK_EQ_INT(remoteproc_config(rproc, NULL), -AMPLINK_RPROC_ERR_STATE);
	ti_image(&im, 0, EM_ARM, NULL);
	fx_store_init(&st, im.buf, im.len);
	CHECK_EQ_INT(remoteproc_load(rproc, "fw.elf", &st, &fx_store_ops, NULL),
		     -AMPLINK_RPROC_ERR_STATE);
	CHECK(fx_ram_untouched(&fx));
	CHECK_EQ_INT(remoteproc_start(rproc), -AMPLINK_RPROC_ERR_STATE);
	CHECK_EQ_INT(remoteproc_remove(rproc), -RPROC_EAGAIN);
	CHECK_EQ_INT(fx.n_remove, 0);
	CHECK(fx_log_errors >= 5);
	CHECK_EQ_INT(remoteproc_shutdown(rproc), 0);
	CHECK_EQ_INT(remoteproc_remove(rproc), 0);
	CHECK(remoteproc_init(&fx.rproc, NULL, &fx) == NULL);
	CHECK(remoteproc_init(NULL, &fx_ops, &fx) == NULL);
	CHECK_EQ_INT(remoteproc_start(NULL), -RPROC_EINVAL);
	CHECK_EQ_INT(remoteproc_config(NULL, NULL), -RPROC_EINVAL);
	CHECK_EQ_INT(remoteproc_remove(NULL), -RPROC_EINVAL);
}

static struct remoteproc *failing_init(struct remoteproc *rproc, const struct remoteproc_ops *ops,
				       void *arg)
{
	(void)rproc;
	(void)ops;
	(void)arg;
	return NULL;
}

static void test_platform_failures(void)
{
	struct remoteproc_ops bad_init = fx_ops;
	struct remoteproc *rproc = fx_setup(&fx);

	REQUIRE(rproc);
	fx.fail_config = -RPROC_ENODEV;
	CHECK_EQ_INT(remoteproc_config(rproc, NULL), -RPROC_ENODEV);
	CHECK_EQ_INT(rproc->state, RPROC_OFFLINE);
	fx.fail_config = 0;
	CHECK_EQ_INT(remoteproc_config(rproc, NULL), 0);
	fx.fail_start = -RPROC_EAGAIN;
	CHECK_EQ_INT(remoteproc_start(rproc), -RPROC_EAGAIN);
	CHECK_EQ_INT(rproc->state, RPROC_READY);
	fx.fail_start = 0;
	CHECK_EQ_INT(remoteproc_start(rproc), 0);
	fx.fail_stop = -RPROC_EINVAL;
	CHECK_EQ_INT(remoteproc_stop(rproc), -RPROC_EINVAL);
	CHECK_EQ_INT(rproc->state, RPROC_RUNNING);
	CHECK_EQ_INT(remoteproc_shutdown(rproc), -RPROC_EINVAL);
	CHECK_EQ_INT(rproc->state, RPROC_RUNNING);
	fx.fail_stop = 0;
	CHECK_EQ_INT(remoteproc_shutdown(rproc), 0);
	CHECK_EQ_INT(remoteproc_remove(rproc), 0);
	bad_init.init = failing_init;
	CHECK(remoteproc_init(&fx.rproc, &bad_init, &fx) == NULL);
}

static void test_crash_and_recovery(void)
{
	struct remoteproc *rproc = loaded();

	REQUIRE(rproc);
	CHECK_EQ_INT(amplink_remoteproc_crashed(rproc), -AMPLINK_RPROC_ERR_STATE); /* not running */
	REQUIRE(remoteproc_start(rproc) == 0);
	CHECK_EQ_INT(amplink_remoteproc_crashed(rproc), 0); /* recovery disabled */
	CHECK_EQ_INT(rproc->state, RPROC_ERROR);
	CHECK(strcmp(amplink_remoteproc_state_name(rproc), "crashed") == 0);
	CHECK_EQ_INT(amplink_remoteproc_recover(rproc), -RPROC_EINVAL);
	CHECK_EQ_INT(rproc->state, RPROC_ERROR);
	CHECK_EQ_INT(amplink_remoteproc_set_recovery(rproc, 1), 0);
	memset(fx_ram(&fx, TI_CODE_DA), 0xEE, TI_CODE_MEM); /* the crash trashed memory */
	memset(fx_ram(&fx, TI_RSC_DA), 0xEE, rsc.len);
	CHECK_EQ_INT(amplink_remoteproc_recover(rproc), 0);
	CHECK_EQ_INT(rproc->state, RPROC_RUNNING);
	CHECK(ti_check_loaded(&fx)); /* same firmware loaded again */
	CHECK_EQ_INT(st.n_open, 2);
	CHECK(strcmp(st.path, "fw.elf") == 0);
	CHECK(rproc->rsc_table == fx_ram(&fx, TI_RSC_DA));
	CHECK_EQ_INT(rproc->bitmap, 7); /* notify ids allocated afresh: 0, 1, 2 */
	CHECK_EQ_INT(fx.n_config, 2);
	CHECK_EQ_INT(fx.n_stop, 1);
	CHECK_EQ_INT(fx.n_start, 2);
	/* a second crash, with an image that went bad meanwhile: recovery fails */
	CHECK_EQ_INT(amplink_remoteproc_crashed(rproc), 1);
	im.buf[0] = 0;
	CHECK_EQ_INT(amplink_remoteproc_recover(rproc), -AMPLINK_RPROC_ERR_ELF_MAGIC);
	CHECK_EQ_INT(rproc->state, RPROC_ERROR);
	CHECK_EQ_INT(amplink_remoteproc_recover(NULL), -RPROC_EINVAL);
	CHECK_EQ_INT(remoteproc_shutdown(rproc), 0);
	CHECK_EQ_INT(amplink_remoteproc_recover(rproc), -AMPLINK_RPROC_ERR_STATE);
	CHECK_EQ_INT(remoteproc_remove(rproc), 0);
}

static void test_attach_detach(void)
{
	struct remoteproc *rproc = fx_setup(&fx);
	unsigned char *t = fx_ram(&fx, FX_RAM_DA + 0x3000);
	struct virtio_device *vdev;

	REQUIRE(rproc);
	ti_rsc(&rsc, NULL);
	memcpy(t, rsc.buf, rsc.len); /* the running firmware's table */
	CHECK_EQ_INT(remoteproc_set_rsc_table(rproc, (void *)t, rsc.len), 0);
	CHECK_EQ_INT(amplink_remoteproc_attach(rproc), 0);
	CHECK_EQ_INT(rproc->state, RPROC_RUNNING);
	CHECK(strcmp(amplink_remoteproc_state_name(rproc), "attached") == 0);
	CHECK_EQ_INT(fx.n_start, 0);
	CHECK_EQ_INT(amplink_remoteproc_attach(rproc), -AMPLINK_RPROC_ERR_STATE);
	vdev = remoteproc_create_virtio(rproc, 0, VIRTIO_DEV_DRIVER, NULL);
	REQUIRE(vdev);
	CHECK_EQ_INT(amplink_remoteproc_detach(rproc), -RPROC_EAGAIN);
	CHECK_EQ_INT(remoteproc_set_rsc_table(rproc, (void *)t, rsc.len), -RPROC_EAGAIN);
	remoteproc_remove_virtio(rproc, vdev);
	CHECK_EQ_INT(amplink_remoteproc_detach(rproc), 0);
	CHECK_EQ_INT(rproc->state, RPROC_OFFLINE);
	CHECK(strcmp(amplink_remoteproc_state_name(rproc), "detached") == 0);
	CHECK_EQ_INT(fx.n_stop, 0); /* the remote keeps running */
	CHECK_EQ_INT(amplink_remoteproc_detach(rproc), -AMPLINK_RPROC_ERR_STATE);
	CHECK_EQ_INT(amplink_remoteproc_attach(rproc), 0);
	CHECK_EQ_INT(remoteproc_stop(rproc), 0);
	CHECK_EQ_INT(fx.n_stop, 1);
	CHECK(strcmp(amplink_remoteproc_state_name(rproc), "offline") == 0);
	rproc->state = RPROC_SUSPENDED;
	CHECK(strcmp(amplink_remoteproc_state_name(rproc), "suspended") == 0);
	rproc->state = 42;
	CHECK(strcmp(amplink_remoteproc_state_name(rproc), "invalid") == 0);
	CHECK(strcmp(amplink_remoteproc_state_name(NULL), "invalid") == 0);
	rproc->state = RPROC_STOPPED;
	CHECK_EQ_INT(remoteproc_remove(rproc), 0);
}

static void test_virtio_from_table(void)
{
	struct remoteproc *rproc = loaded();
	struct remoteproc_virtio *rpvdev;
	struct virtio_device *vdev;
	unsigned char *t;
	size_t vd;
	uint32_t da0, da1;

	REQUIRE(rproc);
	t = rproc->rsc_table;
	vd = amplink_rsc_find(t, rproc->rsc_len, RSC_VDEV, 0);
	REQUIRE(vd);
	CHECK(remoteproc_create_virtio(rproc, 1, VIRTIO_DEV_DRIVER, NULL) == NULL);
	memcpy(&da0, t + vd + 48 + 8, 4);
	memcpy(t + vd + 48 + 8, "\x03\0\0\0", 4); /* vring 1 num changed to 3 since parsing */
	CHECK(remoteproc_create_virtio(rproc, 0, VIRTIO_DEV_DRIVER, NULL) == NULL);
	memcpy(t + vd + 48 + 8, &da0, 4);
	CHECK(remoteproc_create_virtio(rproc, 0, VIRTIO_DEV_DEVICE, NULL) == NULL);
	CHECK(metal_list_is_empty(&rproc->vdevs));
	vdev = remoteproc_create_virtio(rproc, 0, VIRTIO_DEV_DRIVER, NULL);
	REQUIRE(vdev);
	CHECK_EQ_INT(vdev->vrings_num, 2);
	memcpy(&da0, t + vd + 28, 4);
	memcpy(&da1, t + vd + 48, 4);
	CHECK(da0 >= FX_POOL_PA && da0 < FX_POOL_PA + FX_POOL_SIZE); /* allocated, written back */
	CHECK(da1 >= FX_POOL_PA && da1 < FX_POOL_PA + FX_POOL_SIZE && da1 != da0);
	CHECK(vdev->vrings_info[0].info.vaddr == fx.pool + (da0 - FX_POOL_PA));
	CHECK_EQ_INT(vdev->vrings_info[1].notifyid, 2);
	rpvdev = metal_container_of(vdev, struct remoteproc_virtio, vdev);
	CHECK_EQ_INT(rpvdev->notify(rpvdev->priv, 2), 0); /* kicks go to ops->notify */
	CHECK_EQ_INT(fx.n_notify, 1);
	CHECK_EQ_INT(fx.last_notify, 2);
	CHECK_EQ_INT(remoteproc_get_notification(rproc, 0), 0); /* the vdev's own id */
	CHECK(remoteproc_get_notification(rproc, 99) != 0);
	CHECK_EQ_INT(remoteproc_load(rproc, "fw.elf", &st, &fx_store_ops, NULL), -RPROC_EAGAIN);
	/* the remote role finds the vrings where the host put them */
	remoteproc_remove_virtio(rproc, vdev);
	vdev = remoteproc_create_virtio(rproc, 0, VIRTIO_DEV_DEVICE, NULL);
	REQUIRE(vdev);
	CHECK(vdev->vrings_info[1].info.vaddr == fx.pool + (da1 - FX_POOL_PA));
	CHECK_EQ_INT(remoteproc_shutdown(rproc), 0); /* removes what is left */
	CHECK(metal_list_is_empty(&rproc->vdevs));
	CHECK_EQ_INT(remoteproc_remove(rproc), 0);
}

static void test_mem_lookups(void)
{
	struct remoteproc *rproc = fx_setup(&fx);
	metal_phys_addr_t pa, da;
	struct metal_io_region *io = NULL;
	unsigned long off = 0;
	void *va;

	REQUIRE(rproc);
	CHECK(remoteproc_get_io_with_name(rproc, "ram") == &fx.ram_io);
	CHECK(remoteproc_get_io_with_name(rproc, "rom") == NULL);
	CHECK(remoteproc_get_io_with_pa(rproc, FX_RAM_PA + 10) == &fx.ram_io);
	CHECK(remoteproc_get_io_with_pa(rproc, FX_RAM_PA + FX_RAM_SIZE) == NULL);
	CHECK(remoteproc_get_io_with_da(rproc, FX_RAM_DA + 0x20, &off) == &fx.ram_io);
	CHECK_EQ_INT(off, 0x20);
	CHECK(remoteproc_get_io_with_da(rproc, FX_RAM_DA - 1, &off) == NULL);
	CHECK(remoteproc_get_io_with_va(rproc, fx.ram + 5) == &fx.ram_io);
	CHECK(remoteproc_get_io_with_va(rproc, &off) == NULL);
	pa = METAL_BAD_PHYS;
	da = FX_RAM_DA + 0x100;
	va = remoteproc_mmap(rproc, &pa, &da, 0x100, 0, &io);
	CHECK(va == fx.ram + 0x100);
	CHECK_EQ_INT(pa, FX_RAM_PA + 0x100);
	CHECK(io == &fx.ram_io);
	da = FX_RAM_DA + FX_RAM_SIZE - 0x10; /* runs past the end */
	pa = METAL_BAD_PHYS;
	CHECK(remoteproc_mmap(rproc, &pa, &da, 0x20, 0, &io) == NULL);
	CHECK_EQ_INT(fx.n_mmap, 1); /* asked the platform, which had nothing */
	pa = METAL_BAD_PHYS;
	da = METAL_BAD_PHYS;
	va = remoteproc_mmap(rproc, &pa, &da, 0x80, 0, &io);
	CHECK(va == fx.pool);
	CHECK_EQ_INT(da, FX_POOL_PA);
	CHECK(remoteproc_get_io_with_pa(rproc, FX_POOL_PA + 4) == &fx.pool_io);
	CHECK(remoteproc_mmap(NULL, &pa, &da, 1, 0, &io) == NULL);
	remoteproc_remove(rproc);
}

static void test_allocate_id(void)
{
	struct remoteproc *rproc = fx_setup(&fx);
	unsigned int bits = (unsigned int)(sizeof(unsigned long) * 8), i;

	REQUIRE(rproc);
	CHECK_EQ_INT(remoteproc_allocate_id(rproc, 0, RSC_NOTIFY_ID_ANY), 0);
	CHECK_EQ_INT(remoteproc_allocate_id(rproc, 0, RSC_NOTIFY_ID_ANY), 1);
	CHECK_EQ_INT(remoteproc_allocate_id(rproc, 1, 2), RSC_NOTIFY_ID_ANY);
	CHECK_EQ_INT(remoteproc_allocate_id(rproc, 5, 6), 5);
	CHECK_EQ_INT(remoteproc_allocate_id(rproc, 6, 3), RSC_NOTIFY_ID_ANY);
	for (i = 3; i < bits; i++)
		remoteproc_allocate_id(rproc, 0, RSC_NOTIFY_ID_ANY);
	CHECK_EQ_INT(remoteproc_allocate_id(rproc, 0, RSC_NOTIFY_ID_ANY), RSC_NOTIFY_ID_ANY);
	CHECK_EQ_INT(remoteproc_allocate_id(NULL, 0, 1), RSC_NOTIFY_ID_ANY);
	remoteproc_remove(rproc);
}

int main(void)
{
	fx_metal_init();
	RUN(test_states_in_order);
	RUN(test_refused_out_of_order);
	RUN(test_platform_failures);
	RUN(test_crash_and_recovery);
	RUN(test_attach_detach);
	RUN(test_virtio_from_table);
	RUN(test_mem_lookups);
	RUN(test_allocate_id);
	metal_finish();
	return check_summary();
}
