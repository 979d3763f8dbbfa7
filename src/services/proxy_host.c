/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The proxy's Linux host service: lifecycle (create with a root directory,
 * attach to a remote through a caller's I/O callback, detach closing every
 * file; the rpmsg attach is in proxy_host_rpmsg.c), the table
 * of files and directories the remote holds open (bounded per remote), the
 * request handler that sends file requests to proxy_host_fs.c, and the
 * console requests (remote stdout/stderr to host descriptors, stdin from one).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <metal/log.h>
#include <metal/utilities.h>

#include "services/proxy_host.h"

int proxy_host_slot_new(struct amplink_proxy_host *h, int fd, DIR *dir)
{
	unsigned int i;

	for (i = 0; i < AMPLINK_PROXY_HOST_MAX_FILES; i++) {
		if (h->files[i].used)
			continue;
		h->files[i].used = true;
		h->files[i].fd = fd;
		h->files[i].dir = dir;
		return (int)i;
	}
	metal_log(METAL_LOG_WARNING, "proxy host: remote reached %u open files\n",
		  AMPLINK_PROXY_HOST_MAX_FILES);
	return -EMFILE;
}

struct proxy_host_file *proxy_host_slot_get(struct amplink_proxy_host *h, uint32_t handle, bool dir)
{
	struct proxy_host_file *f;

	if (handle >= AMPLINK_PROXY_HOST_MAX_FILES)
		return NULL;
	f = &h->files[handle];
	if (!f->used || (f->dir != NULL) != dir)
		return NULL;
	return f;
}

void proxy_host_slot_close(struct proxy_host_file *f)
{
	if (f->dir)
		closedir(f->dir);
	else
		close(f->fd);
	f->used = false;
	f->dir = NULL;
	f->fd = -1;
}

/* Close everything the remote left open. */
static void proxy_host_close_all(struct amplink_proxy_host *h)
{
	unsigned int i;

	for (i = 0; i < AMPLINK_PROXY_HOST_MAX_FILES; i++)
		if (h->files[i].used)
			proxy_host_slot_close(&h->files[i]);
}

/* Write all of @p to @fd (a console stream). Returns bytes or a negative errno. */
static int32_t proxy_host_con_write(int fd, const uint8_t *p, uint32_t n)
{
	uint32_t done = 0;

	if (fd < 0)
		return (int32_t)n; /* discarded */
	while (done < n) {
		ssize_t w = write(fd, p + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return done ? (int32_t)done : -EIO;
		done += (uint32_t)w;
	}
	return (int32_t)done;
}

static int32_t proxy_host_console(struct amplink_proxy_host *h, uint16_t op, const uint8_t *in,
				  uint32_t in_len, uint8_t *out, uint32_t cap, uint32_t *out_len)
{
	uint32_t stream, want;
	ssize_t r;

	if (in_len < 4)
		return -EINVAL;
	stream = amplink_proxy_get32(in);
	if (op == AMPLINK_PROXY_OP_CONSOLE_WRITE) {
		if (stream != AMPLINK_PROXY_STDOUT && stream != AMPLINK_PROXY_STDERR)
			return -EINVAL;
		return proxy_host_con_write(stream == AMPLINK_PROXY_STDOUT ? h->con_out
									   : h->con_err,
					    in + 4, in_len - 4);
	}
	if (in_len != 8 || stream != AMPLINK_PROXY_STDIN)
		return -EINVAL;
	want = amplink_proxy_get32(in + 4);
	if (want > cap)
		want = cap;
	if (h->con_in < 0 || want == 0)
		return 0;
	do {
		r = read(h->con_in, out, want);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	*out_len = (uint32_t)r;
	return (int32_t)r;
}

int32_t proxy_host_handler(struct amplink_proxy_server *s, uint16_t op, const uint8_t *in,
			   uint32_t in_len, uint8_t *out, uint32_t cap, uint32_t *out_len)
{
	struct amplink_proxy_host *h = metal_container_of(s, struct amplink_proxy_host, srv);
	int32_t ret;

	if (op == AMPLINK_PROXY_OP_CONSOLE_WRITE || op == AMPLINK_PROXY_OP_CONSOLE_READ)
		ret = proxy_host_console(h, op, in, in_len, out, cap, out_len);
	else
		ret = proxy_host_fs_op(h, op, in, in_len, out, cap, out_len);
	if (ret == -EINVAL) /* a body, field or path that does not fit the opcode */
		metal_log(METAL_LOG_WARNING, "proxy host: invalid request (op %u, %u bytes)\n",
			  (unsigned int)op, (unsigned int)in_len);
	return ret;
}

void proxy_host_gone(struct amplink_proxy_server *s)
{
	proxy_host_close_all(metal_container_of(s, struct amplink_proxy_host, srv));
}

int amplink_proxy_host_create(const char *root, int con_out, int con_err, int con_in,
			      struct amplink_proxy_host **out)
{
	struct amplink_proxy_host *h;
	unsigned int i;

	if (!root || !out)
		return -EINVAL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (h->root_fd < 0) {
		int err = -errno;

		free(h);
		return err;
	}
	for (i = 0; i < AMPLINK_PROXY_HOST_MAX_FILES; i++)
		h->files[i].fd = -1;
	h->con_out = con_out;
	h->con_err = con_err;
	h->con_in = con_in;
	*out = h;
	return 0;
}

int amplink_proxy_host_attach_io(struct amplink_proxy_host *h, amplink_proxy_io_send_fn send,
				 void *ctx, uint32_t mtu)
{
	if (!h)
		return -EINVAL;
	if (h->srv.up)
		return -EBUSY;
	return amplink_proxy_server_attach_io(&h->srv, send, ctx, mtu, proxy_host_handler,
					      proxy_host_gone, h);
}

int amplink_proxy_host_receive(struct amplink_proxy_host *h, const void *data, size_t len)
{
	return h ? amplink_proxy_server_receive(&h->srv, data, len) : -EINVAL;
}

void amplink_proxy_host_detach(struct amplink_proxy_host *h)
{
	if (!h)
		return;
	amplink_proxy_server_stop(&h->srv);
	proxy_host_close_all(h);
}

void amplink_proxy_host_destroy(struct amplink_proxy_host *h)
{
	if (!h)
		return;
	amplink_proxy_host_detach(h);
	close(h->root_fd);
	free(h);
}

bool amplink_proxy_host_attached(const struct amplink_proxy_host *h)
{
	return h && h->srv.up;
}

int amplink_proxy_host_open_count(const struct amplink_proxy_host *h)
{
	unsigned int i;
	int n = 0;

	for (i = 0; h && i < AMPLINK_PROXY_HOST_MAX_FILES; i++)
		n += h->files[i].used;
	return n;
}

const struct amplink_proxy_stats *amplink_proxy_host_stats(const struct amplink_proxy_host *h)
{
	return h ? &h->srv.stats : NULL;
}

void amplink_proxy_host_set_walk(struct amplink_proxy_host *h, bool walk)
{
	if (h)
		h->no_openat2 = walk;
}
