/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Layout of the shared region of the Linux two-process transport:
 *
 *   0                 control block (struct lp_ctrl: magic, version, offsets,
 *                     peer states, the two doorbells)
 *   LP_CTRL_SIZE      resource table: one rpmsg vdev with two vrings and
 *                     VIRTIO_RPMSG_F_NS offered, as a firmware declares it
 *   ...               vring 0, vring 1 (each LP_VRING_ALIGN aligned)
 *   pool_offset       min(AMPLINK_CFG_BUFFER_COUNT, 2 * num) buffers of
 *                     RPMSG_BUFFER_SIZE bytes
 *
 * Device addresses are offsets in the region (its io region has physmap
 * {0}). The host writes the layout (lp_layout_host); the remote validates
 * a private copy of everything it will use before trusting any of it
 * (lp_layout_check).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <metal/log.h>
#include <metal/shmem.h>
#include <openamp/remoteproc.h>
#include <openamp/virtio.h>
#include <openamp/virtio_ring.h>

#include "lp_private.h"

/* Offset of the vdev entry inside the table: header + one offset word. */
#define LP_RSC_VDEV_AT ((uint32_t)(sizeof(struct resource_table) + sizeof(uint32_t)))
#define LP_RSC_USED                                                                                \
	(LP_RSC_VDEV_AT + (uint32_t)sizeof(struct fw_rsc_vdev) +                                   \
	 2U * (uint32_t)sizeof(struct fw_rsc_vdev_vring))

static uint32_t lp_align_up(uint32_t v, uint32_t a)
{
	return (v + a - 1U) & ~(a - 1U);
}

static int lp_pow2(uint32_t v)
{
	return v != 0 && (v & (v - 1U)) == 0;
}

/* Write the resource table at the region's rsc offset. */
static void lp_write_rsc(struct amplink_lp *lp)
{
	uint8_t *base = metal_io_virt(lp->io, LP_CTRL_SIZE);
	struct resource_table *rt = (struct resource_table *)base;
	struct fw_rsc_vdev *vd = (struct fw_rsc_vdev *)(base + LP_RSC_VDEV_AT);
	unsigned int i;

	rt->ver = 1;
	rt->num = 1;
	rt->offset[0] = LP_RSC_VDEV_AT;
	vd->type = RSC_VDEV;
	vd->id = VIRTIO_ID_RPMSG;
	vd->notifyid = LP_NOTIFYID_DEV;
	/* EVENT_IDX: a busy stream rings the peer's doorbell once per batch, not per message. */
	vd->dfeatures = (1U << VIRTIO_RPMSG_F_NS) |
			(AMPLINK_CFG_EVENT_IDX ? (uint32_t)VIRTIO_RING_F_EVENT_IDX : 0U);
	vd->gfeatures = 0;
	vd->config_len = 0;
	vd->status = 0;
	vd->num_of_vrings = 2;
	for (i = 0; i < 2; i++) {
		vd->vring[i].da = lp->vring_da[i];
		vd->vring[i].align = lp->vring_align[i];
		vd->vring[i].num = lp->vring_num[i];
		vd->vring[i].notifyid = lp->vring_notifyid[i];
		vd->vring[i].reserved = 0;
	}
}

static void lp_write_ctrl(struct amplink_lp *lp)
{
	struct lp_ctrl *c = lp->ctrl;

	c->magic = LP_MAGIC;
	c->version = LP_VERSION;
	c->region_size = (uint32_t)lp->shm_size;
	c->rsc_offset = LP_CTRL_SIZE;
	c->rsc_size = LP_RSC_USED;
	c->pool_offset = lp->pool_off;
	c->pool_size = lp->pool_size;
	c->host_pid = (uint32_t)getpid();
	atomic_store(&c->remote_state, LP_STATE_ABSENT);
	atomic_store(&c->host_state, LP_STATE_ATTACHED);
}

/*
 * Create the region: a memfd of @size bytes, mode 0600, sealed against
 * shrinking and growing (a peer that could shrink it would make our accesses
 * fault), then mapped through the metal layer.
 */
static int lp_region_create(struct amplink_lp *lp, size_t size)
{
	int fd, ret;

	fd = memfd_create(lp->name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, 0600) < 0 || ftruncate(fd, (off_t)size) < 0 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	ret = amplink_shmem_map_fd(fd, size, &lp->io);
	if (ret < 0) {
		close(fd);
		return ret;
	}
	lp->shm_fd = fd;
	return 0;
}

/*
 * lp_layout_host() - compute the layout for vrings of @num descriptors,
 * create the region (memfd) and write the control block and resource table.
 * Sets lp->shm_fd, io, ctrl and the geometry. Returns 0 or a negative errno.
 */
int lp_layout_host(struct amplink_lp *lp, unsigned int num)
{
	uint32_t vsize, nbufs, off;
	unsigned int i;
	int ret;

	if (!lp_pow2(num) || num < 2 || num > LP_MAX_VRING)
		return -EINVAL;
	vsize = lp_align_up((uint32_t)vring_size(num, LP_VRING_ALIGN), LP_VRING_ALIGN);
	nbufs = 2U * num;
	if (nbufs > AMPLINK_CFG_BUFFER_COUNT)
		nbufs = AMPLINK_CFG_BUFFER_COUNT;
	off = LP_CTRL_SIZE + LP_RSC_SIZE;
	for (i = 0; i < 2; i++) {
		lp->vring_da[i] = off;
		lp->vring_num[i] = num;
		lp->vring_align[i] = LP_VRING_ALIGN;
		lp->vring_notifyid[i] = i == 0 ? LP_NOTIFYID_VQ0 : LP_NOTIFYID_VQ1;
		off += vsize;
	}
	lp->pool_off = off;
	lp->pool_size = nbufs * RPMSG_BUFFER_SIZE;
	lp->shm_size = lp_align_up(off + lp->pool_size, 4096U);
	ret = lp_region_create(lp, lp->shm_size);
	if (ret < 0)
		return ret;
	lp->ctrl = metal_io_virt(lp->io, 0);
	lp->vdev_rsc_off = LP_CTRL_SIZE + LP_RSC_VDEV_AT;
	lp_write_rsc(lp);
	lp_write_ctrl(lp);
	return 0;
}

/* Validate one vring entry of the private table copy; store it in lp. */
static int lp_check_vring(struct amplink_lp *lp, const struct fw_rsc_vdev_vring *vr, unsigned int i,
			  uint32_t low)
{
	uint64_t end;

	if (!lp_pow2(vr->num) || vr->num < 2 || vr->num > LP_MAX_VRING || !lp_pow2(vr->align) ||
	    vr->align < 16 || vr->align > LP_VRING_ALIGN || vr->da % vr->align != 0 ||
	    vr->notifyid == RSC_NOTIFY_ID_ANY)
		return -EPROTO;
	end = (uint64_t)vr->da + (uint64_t)vring_size(vr->num, vr->align);
	if (vr->da < low || end > lp->shm_size)
		return -EPROTO;
	lp->vring_da[i] = vr->da;
	lp->vring_num[i] = vr->num;
	lp->vring_align[i] = vr->align;
	lp->vring_notifyid[i] = vr->notifyid;
	return 0;
}

/* Validate the private copy @rsc (@size bytes) of the table found at @rsc_off. */
static int lp_check_rsc(struct amplink_lp *lp, const uint8_t *rsc, uint32_t size, uint32_t rsc_off)
{
	struct resource_table rt;
	struct fw_rsc_vdev vd;
	struct fw_rsc_vdev_vring vr[2];
	uint32_t at;
	uint64_t end0;
	int ret;

	memcpy(&rt, rsc, sizeof(rt));
	if (rt.ver != 1 || rt.num < 1 || rt.num > (size - sizeof(rt)) / sizeof(uint32_t))
		return -EPROTO;
	memcpy(&at, rsc + sizeof(rt), sizeof(at));
	if (at < sizeof(rt) + rt.num * sizeof(uint32_t) || at % 4 != 0 ||
	    (uint64_t)at + sizeof(vd) + sizeof(vr) > size)
		return -EPROTO;
	memcpy(&vd, rsc + at, sizeof(vd));
	memcpy(vr, rsc + at + sizeof(vd), sizeof(vr));
	if (vd.type != RSC_VDEV || vd.id != VIRTIO_ID_RPMSG || vd.num_of_vrings != 2 ||
	    vd.config_len > size - (at + sizeof(vd) + sizeof(vr)))
		return -EPROTO;
	for (unsigned int i = 0; i < 2; i++) {
		ret = lp_check_vring(lp, &vr[i], i, rsc_off + size);
		if (ret < 0)
			return ret;
	}
	/* The rings must not overlap. */
	end0 = (uint64_t)lp->vring_da[0] + (uint64_t)vring_size(vr[0].num, vr[0].align);
	if (lp->vring_da[1] < end0 &&
	    (uint64_t)lp->vring_da[1] + (uint64_t)vring_size(vr[1].num, vr[1].align) >
		    lp->vring_da[0])
		return -EPROTO;
	if (vr[0].notifyid == vr[1].notifyid)
		return -EPROTO;
	lp->vdev_rsc_off = rsc_off + at;
	return 0;
}

/*
 * lp_layout_check() - remote: validate the control block and the resource
 * table of the mapped region (lp->io, lp->shm_size) and copy the geometry
 * into lp. Nothing is read twice from shared memory. Returns 0 or -EPROTO
 * (logged).
 */
int lp_layout_check(struct amplink_lp *lp)
{
	uint8_t rsc[LP_RSC_SIZE];
	struct lp_ctrl *c = metal_io_virt(lp->io, 0);
	uint32_t magic, version, region, rsc_off, rsc_size;
	int ret;

	if (!c || lp->shm_size < LP_CTRL_SIZE + LP_RSC_SIZE || lp->shm_size > LP_MAX_REGION)
		goto bad;
	magic = *(volatile uint32_t *)&c->magic;
	version = *(volatile uint32_t *)&c->version;
	region = *(volatile uint32_t *)&c->region_size;
	rsc_off = *(volatile uint32_t *)&c->rsc_offset;
	rsc_size = *(volatile uint32_t *)&c->rsc_size;
	if (magic != LP_MAGIC || version != LP_VERSION || region != lp->shm_size ||
	    rsc_off < LP_CTRL_SIZE || rsc_size < LP_RSC_USED || rsc_size > LP_RSC_SIZE ||
	    (uint64_t)rsc_off + rsc_size > lp->shm_size || rsc_off % 8 != 0)
		goto bad;
	memcpy(rsc, metal_io_virt(lp->io, rsc_off), rsc_size);
	ret = lp_check_rsc(lp, rsc, rsc_size, rsc_off);
	if (ret < 0)
		goto bad;
	lp->ctrl = c;
	return 0;
bad:
	metal_err("amplink-lp: shared region rejected: bad control block or resource table\n");
	return -EPROTO;
}
