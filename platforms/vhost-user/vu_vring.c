/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The vrings as the frontend sets them up: number of entries, base index,
 * ring addresses (translated and checked against the mapped memory, and
 * checked to form the standard split-ring layout so the virtqueue code can
 * use them), kick/call/error descriptors, enable/disable, and what a kick
 * does (the first kick on vq 0 is the driver's readiness).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <metal/log.h>
#include <openamp/virtqueue.h>

#include "vu_private.h"

/* The vring a message names, or NULL (logged) when the index is out of range. */
static struct vu_vring *vu_vring_of(struct amplink_vhost_user *vu, uint32_t index, const char *what)
{
	if (index >= VU_NUM_VRINGS) {
		metal_log(METAL_LOG_ERROR, "vhost-user: %s for vring %u (have %u)\n", what,
			  (unsigned int)index, VU_NUM_VRINGS);
		return NULL;
	}
	return &vu->vring[index];
}

/* Common checks of a vring-state message. Returns the vring or NULL. */
static struct vu_vring *vu_vring_state(struct amplink_vhost_user *vu, const struct vu_msg *msg,
				       const char *what)
{
	if (msg->hdr.size < sizeof(struct vu_vring_state)) {
		metal_log(METAL_LOG_ERROR, "vhost-user: %s cut short (%u bytes)\n", what,
			  (unsigned int)msg->hdr.size);
		return NULL;
	}
	return vu_vring_of(vu, msg->body.state.index, what);
}

/* Refuse ring changes while the rpmsg device runs on the rings. */
static int vu_vring_busy(const struct amplink_vhost_user *vu, const char *what)
{
	if (!vu->running)
		return 0;
	metal_log(METAL_LOG_ERROR, "vhost-user: %s while the rings run\n", what);
	return -EBUSY;
}

int vu_vring_set_num(struct amplink_vhost_user *vu, const struct vu_msg *msg)
{
	struct vu_vring *vr = vu_vring_state(vu, msg, "SET_VRING_NUM");
	uint32_t num = msg->body.state.num;

	if (!vr)
		return -EINVAL;
	if (vu_vring_busy(vu, "SET_VRING_NUM"))
		return -EBUSY;
	if (num == 0 || num > VU_MAX_RING || (num & (num - 1)) != 0) {
		metal_log(METAL_LOG_ERROR, "vhost-user: vring size %u (power of two up to %u)\n",
			  (unsigned int)num, VU_MAX_RING);
		return -EINVAL;
	}
	vr->num = num;
	vr->ring = NULL; /* the addresses must be given again for this size */
	return 0;
}

int vu_vring_set_base(struct amplink_vhost_user *vu, const struct vu_msg *msg)
{
	struct vu_vring *vr = vu_vring_state(vu, msg, "SET_VRING_BASE");

	if (!vr)
		return -EINVAL;
	if (vu_vring_busy(vu, "SET_VRING_BASE"))
		return -EBUSY;
	if (msg->body.state.num != 0) {
		metal_log(METAL_LOG_ERROR, "vhost-user: vring base %u (only fresh rings: 0)\n",
			  (unsigned int)msg->body.state.num);
		return -EINVAL;
	}
	return 0;
}

/* The used-ring alignment that puts @used right after @avail_end, or 0. */
static uint32_t vu_vring_align(uintptr_t avail_end, uintptr_t used)
{
	uint32_t a;

	for (a = 4; a <= 65536; a <<= 1) {
		if (((avail_end + a - 1) & ~(uintptr_t)(a - 1)) == used)
			return a;
	}
	return 0;
}

int vu_vring_set_addr(struct amplink_vhost_user *vu, const struct vu_msg *msg)
{
	const struct vu_vring_addr *a = &msg->body.addr;
	struct vu_vring *vr;
	uint8_t *desc, *avail, *used;
	uint32_t align;

	if (msg->hdr.size < sizeof(*a) || !(vr = vu_vring_of(vu, a->index, "SET_VRING_ADDR")))
		return -EINVAL;
	if (vu_vring_busy(vu, "SET_VRING_ADDR"))
		return -EBUSY;
	if (!vr->num || !vu->mem) {
		metal_log(METAL_LOG_ERROR, "vhost-user: vring %u address before size or memory\n",
			  (unsigned int)a->index);
		return -EINVAL;
	}
	desc = vu_mem_user_to_virt(vu, a->desc, 16ull * vr->num);
	avail = vu_mem_user_to_virt(vu, a->avail, 6ull + 2ull * vr->num);
	used = vu_mem_user_to_virt(vu, a->used, 6ull + 8ull * vr->num);
	align = (desc && avail && used)
			? vu_vring_align((uintptr_t)(avail + 4 + 2 * vr->num + 2), (uintptr_t)used)
			: 0;
	if (!align || ((uintptr_t)desc & 15) != 0 || avail != desc + 16 * vr->num) {
		metal_log(METAL_LOG_ERROR,
			  "vhost-user: vring %u addresses desc 0x%llx avail 0x%llx used 0x%llx "
			  "outside memory or not one split ring\n",
			  (unsigned int)a->index, (unsigned long long)a->desc,
			  (unsigned long long)a->avail, (unsigned long long)a->used);
		return -EINVAL;
	}
	vr->ring = desc;
	vr->align = align;
	return 0;
}

/*
 * Whether @fd can be a notifier: an eventfd, pipe or socket (a regular file
 * would always poll readable). It is made non-blocking, so a guest that stops
 * reading its call descriptor can never block the backend.
 */
static bool vu_vring_notifier_ok(int fd)
{
	struct stat st;
	int fl;

	if (fstat(fd, &st) || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) || S_ISBLK(st.st_mode))
		return false;
	fl = fcntl(fd, F_GETFL);
	return fl >= 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0;
}

/* Replace *@slot with the descriptor of @msg (or -1 with the no-fd bit). */
static int vu_vring_take_fd(struct vu_msg *msg, int *slot, const char *what)
{
	bool nofd = (msg->body.u64 & VU_VRING_NOFD) != 0;

	if ((nofd && msg->nfds != 0) || (!nofd && msg->nfds != 1) ||
	    (!nofd && !vu_vring_notifier_ok(msg->fds[0]))) {
		metal_log(METAL_LOG_ERROR,
			  "vhost-user: %s with %u descriptors (or not a notifier)\n", what,
			  msg->nfds);
		return -EINVAL;
	}
	if (*slot >= 0)
		close(*slot);
	*slot = nofd ? -1 : msg->fds[0];
	msg->nfds = 0; /* kept */
	return 0;
}

int vu_vring_set_fd(struct amplink_vhost_user *vu, struct vu_msg *msg)
{
	const char *what = msg->hdr.request == VU_SET_VRING_KICK   ? "SET_VRING_KICK"
			   : msg->hdr.request == VU_SET_VRING_CALL ? "SET_VRING_CALL"
								   : "SET_VRING_ERR";
	struct vu_vring *vr;
	int err_fd = -1;

	if (msg->hdr.size < sizeof(uint64_t)) {
		metal_log(METAL_LOG_ERROR, "vhost-user: %s cut short\n", what);
		return -EINVAL;
	}
	vr = vu_vring_of(vu, (uint32_t)(msg->body.u64 & VU_VRING_IDX_MASK), what);
	if (!vr || (msg->body.u64 & ~(uint64_t)(VU_VRING_IDX_MASK | VU_VRING_NOFD)) != 0)
		return -EINVAL;
	if (msg->hdr.request == VU_SET_VRING_KICK)
		return vu_vring_take_fd(msg, &vr->kick_fd, what);
	if (msg->hdr.request == VU_SET_VRING_CALL) {
		struct stat st;
		int ret = vu_vring_take_fd(msg, &vr->call_fd, what);

		vr->call_sigpipe = vr->call_fd >= 0 && fstat(vr->call_fd, &st) == 0 &&
				   (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
		return ret;
	}
	if (vu_vring_take_fd(msg, &err_fd, what))
		return -EINVAL;
	if (err_fd >= 0)
		close(err_fd); /* we never report ring errors that way */
	return 0;
}

int vu_vring_set_enable(struct amplink_vhost_user *vu, const struct vu_msg *msg)
{
	struct vu_vring *vr = vu_vring_state(vu, msg, "SET_VRING_ENABLE");

	if (!vr || msg->body.state.num > 1)
		return -EINVAL;
	if (msg->body.state.num == 0) {
		vu_vdev_stop(vu); /* the guest takes its rings back */
		vr->enabled = false;
		return 0;
	}
	if (!vr->ring) {
		metal_log(METAL_LOG_ERROR, "vhost-user: vring %u enabled before it was set up\n",
			  (unsigned int)msg->body.state.index);
		return -EINVAL;
	}
	vr->enabled = true;
	return 0;
}

void vu_vring_drop_kick(struct amplink_vhost_user *vu, unsigned int index)
{
	metal_log(METAL_LOG_ERROR, "vhost-user: kick descriptor of vring %u hung up\n", index);
	close(vu->vring[index].kick_fd);
	vu->vring[index].kick_fd = -1;
}

void vu_vring_reset(struct amplink_vhost_user *vu)
{
	unsigned int i;

	for (i = 0; i < VU_NUM_VRINGS; i++) {
		struct vu_vring *vr = &vu->vring[i];

		if (vr->kick_fd >= 0)
			close(vr->kick_fd);
		if (vr->call_fd >= 0)
			close(vr->call_fd);
		vr->kick_fd = -1;
		vr->call_fd = -1;
		vr->call_sigpipe = false;
		vr->num = 0;
		vr->ring = NULL;
		vr->align = 0;
		vr->enabled = false;
	}
}

void vu_vring_kick(struct amplink_vhost_user *vu, unsigned int index)
{
	unsigned int i;

	vu->stats.kicks++;
	if (index >= VU_NUM_VRINGS)
		return;
	if (!vu->running) {
		/* There is no DRIVER_OK message: the first kick on vq 0 stands for it. */
		if (index != 0 || !vu->vring[0].enabled || !vu->vring[1].enabled)
			return;
		if (vu_vdev_start(vu))
			return;
		for (i = 0; i < VU_NUM_VRINGS && vu->running; i++)
			virtqueue_notification(vu->vring[i].vq);
		return;
	}
	virtqueue_notification(vu->vring[index].vq);
}
