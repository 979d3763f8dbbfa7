/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One side of a Linux two-process link, whichever its role: allocation and
 * naming, the event loop entry points (process, poll fd, wait mode), the
 * getters, and detaching (destroy).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <metal/alloc.h>
#include <metal/shmem.h>
#include <openamp/remoteproc.h>
#include <openamp/remoteproc_virtio.h>

#include "lp_private.h"

void amplink_lp_config_init(struct amplink_lp_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->vring_num = AMPLINK_LP_DEFAULT_VRING_NUM;
	cfg->wait_mode = AMPLINK_LP_WAIT_BLOCKING;
	cfg->spin_us = AMPLINK_LP_DEFAULT_SPIN_US;
}

static int lp_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

/* A name is used in file names: letters, digits, '.', '_', '-'; not starting with '.'. */
static int lp_name_ok(const char *name, size_t max)
{
	size_t i, n = strnlen(name, max);

	if (n == 0 || n >= max || name[0] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		if (!lp_char_ok(name[i]))
			return 0;
	}
	return 1;
}

/* "amplink-<user>-<pid>", with characters unfit for a file name replaced. */
static void lp_default_name(char *buf, size_t len)
{
	char pwbuf[1024], user[32];
	struct passwd pw, *res = NULL;
	size_t i;

	if (getpwuid_r(geteuid(), &pw, pwbuf, sizeof(pwbuf), &res) == 0 && res)
		snprintf(user, sizeof(user), "%s", res->pw_name);
	else
		snprintf(user, sizeof(user), "%u", (unsigned int)geteuid());
	for (i = 0; user[i]; i++) {
		if (!lp_char_ok(user[i]))
			user[i] = '_';
	}
	snprintf(buf, len, "amplink-%s-%ld", user, (long)getpid());
}

int amplink_lp_default_socket_path(const char *name, char *buf, size_t len)
{
	char defname[64];
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	int n;

	if (!name) {
		lp_default_name(defname, sizeof(defname));
		name = defname;
	}
	if (!lp_name_ok(name, 64))
		return -EINVAL;
	if (xdg && xdg[0] == '/')
		n = snprintf(buf, len, "%s/amplink/%s.sock", xdg, name);
	else
		n = snprintf(buf, len, "/tmp/amplink-%u/%s.sock", (unsigned int)geteuid(), name);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/*
 * lp_side_alloc() - a zeroed side for @role with @cfg (NULL = defaults) and
 * every fd at -1. Returns it, or NULL (bad name, no memory).
 */
struct amplink_lp *lp_side_alloc(unsigned int role, const struct amplink_lp_config *cfg)
{
	struct amplink_lp *lp;

	if (cfg && cfg->name && !lp_name_ok(cfg->name, sizeof(lp->name)))
		return NULL;
	lp = metal_allocate_memory(sizeof(*lp));
	if (!lp)
		return NULL;
	memset(lp, 0, sizeof(*lp));
	if (cfg)
		lp->cfg = *cfg;
	else
		amplink_lp_config_init(&lp->cfg);
	if (lp->cfg.name)
		snprintf(lp->name, sizeof(lp->name), "%s", lp->cfg.name);
	else
		lp_default_name(lp->name, sizeof(lp->name));
	lp->cfg.name = lp->name;
	lp->role = role;
	lp->shm_fd = lp->efd[0] = lp->efd[1] = lp->efd_in = lp->efd_out = -1;
	lp->lifeline = lp->listen_fd = lp->poll_fd = -1;
	if (amplink_lp_set_wait_mode(lp, lp->cfg.wait_mode, lp->cfg.spin_us) < 0) {
		metal_free_memory(lp);
		return NULL;
	}
	return lp;
}

static void lp_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* lp_side_free() - release everything of @lp without talking to the peer. */
void lp_side_free(struct amplink_lp *lp)
{
	lp_vdev_stop(lp);
	if (lp->listen_fd >= 0 && lp->sock_path[0])
		unlink(lp->sock_path);
	lp_close(&lp->listen_fd);
	lp_close(&lp->lifeline);
	lp_close(&lp->poll_fd);
	lp_close(&lp->efd[0]);
	lp_close(&lp->efd[1]);
	lp_close(&lp->shm_fd);
	if (lp->io)
		amplink_shmem_close(lp->io);
	metal_free_memory(lp);
}

void amplink_lp_destroy(struct amplink_lp *lp)
{
	_Atomic uint32_t *mine;

	if (!lp)
		return;
	if (lp->rpmsg_up)
		lp_peer_check(lp);
	lp_vdev_stop(lp);
	if (lp->ctrl && lp->db_out) {
		mine = lp->role == VIRTIO_DEV_DRIVER ? &lp->ctrl->host_state
						     : &lp->ctrl->remote_state;
		atomic_store(mine, LP_STATE_GONE);
		lp_doorbell_ring(lp);
	}
	lp_side_free(lp);
}

struct rpmsg_device *amplink_lp_rpmsg_device(struct amplink_lp *lp)
{
	return &lp->rvdev.rdev;
}

void *amplink_lp_priv(const struct amplink_lp *lp)
{
	return lp->cfg.priv;
}

int amplink_lp_set_wait_mode(struct amplink_lp *lp, enum amplink_lp_wait_mode mode,
			     unsigned int spin_us)
{
	if (mode != AMPLINK_LP_WAIT_BLOCKING && mode != AMPLINK_LP_WAIT_POLL &&
	    mode != AMPLINK_LP_WAIT_ADAPTIVE)
		return -EINVAL;
	atomic_store(&lp->spin_us, spin_us ? spin_us : AMPLINK_LP_DEFAULT_SPIN_US);
	atomic_store(&lp->mode, (int)mode);
	return 0;
}

int amplink_lp_peer_alive(struct amplink_lp *lp)
{
	return lp_peer_check(lp);
}

/* lp_poll_add() - add @fd to the poll set if there is one. Returns 0 or -errno. */
int lp_poll_add(struct amplink_lp *lp, int fd)
{
	struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP};

	if (lp->poll_fd < 0 || fd < 0)
		return 0;
	ev.data.fd = fd;
	return epoll_ctl(lp->poll_fd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

int amplink_lp_poll_fd(struct amplink_lp *lp)
{
	int ret;

	if (lp->poll_fd >= 0)
		return lp->poll_fd;
	if (!lp->db_in)
		return -ENOTCONN;
	lp->poll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (lp->poll_fd < 0)
		return -errno;
	ret = lp_poll_add(lp, lp->efd_in);
	if (ret == 0)
		ret = lp_poll_add(lp, lp->lifeline);
	if (ret < 0) {
		lp_close(&lp->poll_fd);
		return ret;
	}
	lp_doorbell_arm_fd(lp);
	return lp->poll_fd;
}

/* Nothing rang: is the peer still there? Cheap unless the poll fd woke us. */
static int lp_idle_check(struct amplink_lp *lp)
{
	if (lp->poll_fd >= 0)
		return lp_peer_check(lp) ? 0 : -EPIPE;
	return lp_peer_said_bye(lp) ? -EPIPE : 0;
}

int amplink_lp_process(struct amplink_lp *lp, int timeout_ms)
{
	uint32_t seq;
	int ret;

	if (atomic_load(&lp->gone))
		return -EPIPE;
	if (!lp->rpmsg_up)
		return -ENOTCONN;
	if (lp->poll_fd >= 0)
		lp_doorbell_drain_fd(lp);
	seq = atomic_load(&lp->db_in->seq);
	if (seq == lp->seen_seq) {
		if (timeout_ms == 0)
			return lp_idle_check(lp);
		ret = lp_doorbell_wait(lp, lp->seen_seq, lp_deadline_ns(timeout_ms));
		if (ret <= 0)
			return ret;
		seq = atomic_load(&lp->db_in->seq);
	}
	lp->seen_seq = seq;
	lp_vdev_notified(lp);
	lp_peer_said_bye(lp);
	return 1;
}
