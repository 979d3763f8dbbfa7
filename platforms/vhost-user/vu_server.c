/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The vhost-user backend object: creation (listening socket), attaching a
 * connected frontend, the event loop step (a new connection, a protocol
 * message, a kick eventfd), disconnection (the rpmsg device goes away, the
 * guest memory is unmapped, every descriptor closed) and destruction.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <metal/alloc.h>
#include <metal/log.h>
#include <openamp/virtqueue.h>

#include "vu_private.h"

void amplink_vhost_user_config_init(struct amplink_vhost_user_config *cfg)
{
	if (!cfg)
		return;
	memset(cfg, 0, sizeof(*cfg));
	cfg->device_features = 1ull << VIRTIO_RPMSG_F_NS;
}

static int vu_set_path(struct amplink_vhost_user *vu, const char *path)
{
	size_t n = strlen(path) + 1;
	int fd;

	vu->path = metal_allocate_memory((unsigned int)n);
	if (!vu->path)
		return -ENOMEM;
	memcpy(vu->path, path, n);
	fd = vu_sock_listen(path);
	if (fd < 0) {
		metal_log(METAL_LOG_ERROR, "vhost-user: cannot listen on %s: %s\n", path,
			  strerror(-fd));
		return fd;
	}
	vu->listen_fd = fd;
	return 0;
}

int amplink_vhost_user_create(const struct amplink_vhost_user_config *cfg,
			      struct amplink_vhost_user **out)
{
	struct amplink_vhost_user *vu;
	int ret;

	if (!cfg || !out || (cfg->device_features & (1ull << VU_F_PROTOCOL_FEATURES)))
		return -EINVAL;
	vu = metal_allocate_memory(sizeof(*vu));
	if (!vu)
		return -ENOMEM;
	memset(vu, 0, sizeof(*vu));
	vu->cfg = *cfg;
	vu->cfg.socket_path = NULL;
	vu->listen_fd = -1;
	vu->conn_fd = -1;
	vu->slave_fd = -1;
	metal_mutex_init(&vu->slave_lock);
	ret = vu_vdev_init(vu);
	if (!ret && cfg->socket_path)
		ret = vu_set_path(vu, cfg->socket_path);
	if (ret) {
		amplink_vhost_user_destroy(vu);
		return ret;
	}
	*out = vu;
	return 0;
}

void vu_disconnect(struct amplink_vhost_user *vu)
{
	vu_vdev_stop(vu);
	vu_vring_reset(vu);
	vu_mem_unmap(vu);
	metal_mutex_acquire(&vu->slave_lock);
	if (vu->slave_fd >= 0)
		close(vu->slave_fd);
	vu->slave_fd = -1;
	metal_mutex_release(&vu->slave_lock);
	if (vu->conn_fd >= 0) {
		close(vu->conn_fd);
		metal_log(METAL_LOG_INFO, "vhost-user: frontend disconnected\n");
	}
	vu->conn_fd = -1;
	vu->features = 0;
	vu->features_set = false;
	vu->protocol = 0;
}

int amplink_vhost_user_attach(struct amplink_vhost_user *vu, int fd)
{
	if (!vu || fd < 0)
		return -EINVAL;
	if (vu->conn_fd >= 0)
		return -EBUSY;
	vu->conn_fd = fd;
	vu->stats.connections++;
	return 0;
}

/* Accept a frontend on the listening socket. */
static void vu_accept(struct amplink_vhost_user *vu)
{
	int fd = accept4(vu->listen_fd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0) {
		metal_log(METAL_LOG_WARNING, "vhost-user: accept: %s\n", strerror(errno));
		return;
	}
	(void)amplink_vhost_user_attach(vu, fd);
	metal_log(METAL_LOG_INFO, "vhost-user: frontend connected\n");
}

/* Read and handle one message; a broken protocol ends the connection. */
static void vu_serve_message(struct amplink_vhost_user *vu)
{
	struct vu_msg msg;
	int ret;

	ret = vu_sock_recv(vu->conn_fd, &msg);
	if (ret == 0) {
		ret = vu_request_handle(vu, &msg);
		vu_msg_close_fds(&msg);
	}
	if (ret)
		vu_disconnect(vu);
}

/* Drain the kick eventfd of vring @i and handle the kick. */
static void vu_serve_kick(struct amplink_vhost_user *vu, unsigned int i)
{
	uint64_t n;
	ssize_t r = read(vu->vring[i].kick_fd, &n, sizeof(n));

	if (r > 0)
		vu_vring_kick(vu, i); /* an eventfd gives 8 bytes; a pipe may give fewer */
	else if (r == 0 || (errno != EAGAIN && errno != EINTR))
		vu_vring_drop_kick(vu, i); /* would poll readable forever */
}

int amplink_vhost_user_poll(struct amplink_vhost_user *vu, int timeout_ms)
{
	struct pollfd p[1 + VU_NUM_VRINGS];
	int kick_of[1 + VU_NUM_VRINGS];
	nfds_t n = 0, k;
	unsigned int i;
	int r;

	if (!vu)
		return -EINVAL;
	if (vu->conn_fd < 0 && vu->listen_fd >= 0) {
		p[n].fd = vu->listen_fd;
		kick_of[n++] = -1;
	}
	if (vu->conn_fd >= 0) {
		p[n].fd = vu->conn_fd;
		kick_of[n++] = -1;
	}
	for (i = 0; i < VU_NUM_VRINGS; i++) {
		if (vu->conn_fd >= 0 && vu->vring[i].kick_fd >= 0) {
			p[n].fd = vu->vring[i].kick_fd;
			kick_of[n++] = (int)i;
		}
	}
	for (k = 0; k < n; k++)
		p[k].events = POLLIN;
	r = poll(p, n, timeout_ms);
	if (r < 0)
		return errno == EINTR ? 0 : -errno;
	if (r == 0)
		return 0;
	for (k = 0; k < n; k++) {
		if (kick_of[k] < 0 || vu->vring[kick_of[k]].kick_fd != p[k].fd)
			continue;
		if (p[k].revents & POLLIN)
			vu_serve_kick(vu, (unsigned int)kick_of[k]);
		else if (p[k].revents & (POLLHUP | POLLERR | POLLNVAL))
			vu_vring_drop_kick(vu, (unsigned int)kick_of[k]); /* would spin */
	}
	for (k = 0; k < n; k++) {
		if (kick_of[k] >= 0 || !p[k].revents)
			continue;
		if (p[k].fd == vu->listen_fd)
			vu_accept(vu);
		else if (p[k].fd == vu->conn_fd)
			vu_serve_message(vu);
	}
	return 1;
}

bool amplink_vhost_user_connected(const struct amplink_vhost_user *vu)
{
	return vu && vu->conn_fd >= 0;
}

struct rpmsg_device *amplink_vhost_user_rpmsg(struct amplink_vhost_user *vu)
{
	return vu && vu->running ? &vu->rvdev.rdev : NULL;
}

void amplink_vhost_user_get_stats(const struct amplink_vhost_user *vu,
				  struct amplink_vhost_user_stats *st)
{
	if (!vu || !st)
		return;
	*st = vu->stats;
	st->calls = atomic_load_explicit(&vu->calls, memory_order_relaxed);
}

void amplink_vhost_user_destroy(struct amplink_vhost_user *vu)
{
	unsigned int i;

	if (!vu)
		return;
	vu_disconnect(vu);
	if (vu->listen_fd >= 0) {
		close(vu->listen_fd);
		if (vu->path)
			(void)unlink(vu->path);
	}
	for (i = 0; i < VU_NUM_VRINGS; i++)
		virtqueue_free(vu->vring[i].vq);
	metal_mutex_deinit(&vu->slave_lock);
	metal_free_memory(vu->path);
	metal_free_memory(vu);
}
