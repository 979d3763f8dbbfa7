/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The vhost-user socket: the listening UNIX socket, reading one message (its
 * header with the descriptors it carries, then its body, which must follow
 * within VU_PAYLOAD_WAIT_MS) and sending one message. Sizes are checked
 * before anything is read into the message buffer.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <metal/log.h>

#include "vu_private.h"

int vu_sock_listen(const char *path)
{
	struct sockaddr_un sa;
	int fd, err;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	(void)unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 1)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

void vu_msg_close_fds(struct vu_msg *msg)
{
	unsigned int i;

	for (i = 0; i < msg->nfds; i++) {
		if (msg->fds[i] >= 0)
			close(msg->fds[i]);
		msg->fds[i] = -1;
	}
	msg->nfds = 0;
}

/* Keep the descriptors of @mh's SCM_RIGHTS in @msg. Returns 0 or -EPROTO. */
static int vu_sock_take_fds(struct msghdr *mh, struct vu_msg *msg)
{
	struct cmsghdr *c;
	size_t n, i;

	for (c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (msg->nfds < VU_MAX_FDS)
				msg->fds[msg->nfds++] = fd;
			else
				close(fd);
		}
	}
	return (mh->msg_flags & MSG_CTRUNC) ? -EPROTO : 0;
}

/* Read exactly @len body bytes, waiting at most VU_PAYLOAD_WAIT_MS for each part. */
static int vu_sock_read_body(int fd, uint8_t *dst, size_t len)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	size_t got = 0;
	ssize_t r;

	while (got < len) {
		int pr = poll(&p, 1, VU_PAYLOAD_WAIT_MS);

		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			return -ETIMEDOUT;
		r = recv(fd, dst + got, len - got, MSG_DONTWAIT);
		if (r == 0)
			return -EPIPE;
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r < 0)
			return -errno;
		got += (size_t)r;
	}
	return 0;
}

int vu_sock_recv(int fd, struct vu_msg *msg)
{
	union {
		char buf[CMSG_SPACE(VU_MAX_FDS * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = {.iov_base = &msg->hdr, .iov_len = sizeof(msg->hdr)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	ssize_t r;
	int ret;

	msg->nfds = 0;
	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof(ctl.buf);
	do {
		r = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	} while (r < 0 && errno == EINTR);
	if (r == 0)
		return -EPIPE;
	if (r < 0)
		return -errno;
	ret = vu_sock_take_fds(&mh, msg);
	if (!ret && (size_t)r < sizeof(msg->hdr))
		ret = vu_sock_read_body(fd, (uint8_t *)&msg->hdr + r, sizeof(msg->hdr) - (size_t)r);
	if (!ret && msg->hdr.size > VU_MAX_PAYLOAD)
		ret = -EMSGSIZE;
	if (!ret)
		ret = vu_sock_read_body(fd, msg->body.bytes, msg->hdr.size);
	if (ret) {
		metal_log(METAL_LOG_ERROR, "vhost-user: bad message (request %u, size %u): %s\n",
			  (unsigned int)msg->hdr.request, (unsigned int)msg->hdr.size,
			  strerror(-ret));
		vu_msg_close_fds(msg);
	}
	return ret;
}

int vu_sock_send(int fd, uint32_t request, uint32_t flags, const void *body, uint32_t size)
{
	uint8_t buf[sizeof(struct vu_hdr) + 64];
	struct vu_hdr hdr = {.request = request, .flags = flags, .size = size};
	size_t len = sizeof(hdr) + size, off = 0;
	ssize_t r;

	if (size > sizeof(buf) - sizeof(hdr))
		return -EMSGSIZE;
	memcpy(buf, &hdr, sizeof(hdr));
	if (size)
		memcpy(buf + sizeof(hdr), body, size);
	while (off < len) {
		r = send(fd, buf + off, len - off, MSG_NOSIGNAL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -EPIPE;
		off += (size_t)r;
	}
	return 0;
}
