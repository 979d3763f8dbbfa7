/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One remote under QEMU as a single object, for a program (the amplink tool, an
 * example, a test) that wants "boot this firmware and give me its rpmsg
 * device": the backend, the remoteproc, the rpmsg device in the driver role
 * with its buffers in the shared RAM, and stop/recover that take rpmsg down
 * and up around the remoteproc calls.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <amplink/remoteproc.h>
#include <metal/log.h>
#include <openamp/remoteproc_virtio.h>
#include <openamp/rpmsg_virtio.h>

#include "qemu_private.h"

#define QEMU_REMOTE_POOL 0x10000u /* 2 x 16 buffers of 512 bytes, with room */

struct amplink_qemu_remote {
	struct amplink_qemu *q;
	struct remoteproc rproc;
	struct amplink_qemu_store store;
	struct virtio_device *vdev;
	struct rpmsg_virtio_device rvdev;
	struct rpmsg_virtio_shm_pool pool;
	rpmsg_ns_bind_cb ns_bind;
	char boot_stub[512]; /* found next to the firmware when none was configured */
};

/*
 * An mps2 board needs the boot stub at address 0. When the configuration names
 * none, use boot-<machine>.elf from the firmware's directory, if it is there.
 */
static void qemu_remote_find_stub(struct amplink_qemu_remote *r, const char *firmware)
{
	const char *slash = strrchr(firmware, '/');
	int dir = slash ? (int)(slash - firmware) : 1;

	if (r->q->cfg.boot_stub || strncmp(r->q->cfg.machine, "mps2", 4) != 0)
		return;
	snprintf(r->boot_stub, sizeof(r->boot_stub), "%.*s/boot-%s.elf", dir,
		 slash ? firmware : ".", r->q->cfg.machine);
	if (access(r->boot_stub, R_OK) == 0)
		r->q->cfg.boot_stub = r->boot_stub;
	else
		metal_warn("qemu: no boot stub configured and %s not found", r->boot_stub);
}

int amplink_qemu_remote_create(const struct amplink_qemu_config *cfg, unsigned int machine,
			       struct amplink_qemu_remote **out)
{
	struct amplink_qemu_remote *r = calloc(1, sizeof(*r));

	if (!r || !out) {
		free(r);
		return -RPROC_ENOMEM;
	}
	r->q = amplink_qemu_create(cfg);
	if (!r->q || !remoteproc_init(&r->rproc, amplink_qemu_rproc_ops(), r->q)) {
		amplink_qemu_destroy(r->q);
		free(r);
		return -RPROC_ENOMEM;
	}
	amplink_remoteproc_set_machine(&r->rproc, machine);
	*out = r;
	return 0;
}

static void qemu_remote_rpmsg_down(struct amplink_qemu_remote *r)
{
	if (!r->vdev)
		return;
	rpmsg_deinit_vdev(&r->rvdev);
	remoteproc_remove_virtio(&r->rproc, r->vdev);
	r->vdev = NULL;
}

static int qemu_remote_rpmsg_up(struct amplink_qemu_remote *r)
{
	metal_phys_addr_t pa = METAL_BAD_PHYS, da = METAL_BAD_PHYS;
	struct metal_io_region *io = NULL;
	void *shbuf;

	r->vdev = remoteproc_create_virtio(&r->rproc, 0, VIRTIO_DEV_DRIVER, NULL);
	if (!r->vdev)
		return -RPROC_ENODEV;
	shbuf = remoteproc_mmap(&r->rproc, &pa, &da, QEMU_REMOTE_POOL, 0, &io);
	if (shbuf) {
		rpmsg_virtio_init_shm_pool(&r->pool, shbuf, QEMU_REMOTE_POOL);
		if (rpmsg_init_vdev(&r->rvdev, r->vdev, r->ns_bind, io, &r->pool) == 0)
			return 0;
	}
	remoteproc_remove_virtio(&r->rproc, r->vdev);
	r->vdev = NULL;
	return -RPROC_ENOMEM;
}

int amplink_qemu_remote_boot(struct amplink_qemu_remote *r, const char *firmware,
			     rpmsg_ns_bind_cb ns_bind)
{
	int ret;

	if (!r || !firmware)
		return -RPROC_EINVAL;
	qemu_remote_find_stub(r, firmware);
	qemu_remote_rpmsg_down(r);
	if (r->rproc.state == RPROC_RUNNING || r->rproc.state == RPROC_ERROR)
		remoteproc_stop(&r->rproc);
	if (r->rproc.state != RPROC_OFFLINE)
		remoteproc_shutdown(&r->rproc);
	ret = remoteproc_config(&r->rproc, NULL);
	if (!ret)
		ret = remoteproc_load(&r->rproc, firmware, &r->store, amplink_qemu_store_ops(),
				      NULL);
	if (!ret)
		ret = remoteproc_start(&r->rproc);
	r->ns_bind = ns_bind;
	if (!ret)
		ret = qemu_remote_rpmsg_up(r);
	return ret;
}

int amplink_qemu_remote_recover(struct amplink_qemu_remote *r)
{
	int ret;

	if (!r)
		return -RPROC_EINVAL;
	qemu_remote_rpmsg_down(r);
	ret = amplink_remoteproc_recover(&r->rproc);
	return ret ? ret : qemu_remote_rpmsg_up(r);
}

int amplink_qemu_remote_stop(struct amplink_qemu_remote *r)
{
	if (!r)
		return -RPROC_EINVAL;
	qemu_remote_rpmsg_down(r);
	if (r->rproc.state == RPROC_OFFLINE)
		return 0;
	return remoteproc_shutdown(&r->rproc);
}

struct remoteproc *amplink_qemu_remote_rproc(struct amplink_qemu_remote *r)
{
	return r ? &r->rproc : NULL;
}

struct rpmsg_device *amplink_qemu_remote_rpmsg(struct amplink_qemu_remote *r)
{
	return r && r->vdev ? rpmsg_virtio_get_rpmsg_device(&r->rvdev) : NULL;
}

void amplink_qemu_remote_destroy(struct amplink_qemu_remote *r)
{
	if (!r)
		return;
	amplink_qemu_remote_stop(r);
	remoteproc_remove(&r->rproc);
	amplink_qemu_destroy(r->q);
	free(r);
}
