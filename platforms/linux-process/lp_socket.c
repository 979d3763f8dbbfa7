/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * UNIX-socket plumbing of the Linux two-process transport: the private
 * socket directory (0700, ours), and handing file descriptors over with
 * SCM_RIGHTS together with a small header that names the protocol.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <metal/log.h>

#include "lp_private.h"

#define LP_MAX_FDS 4

/* What travels with the fds. */
struct lp_hello {
	uint32_t magic;
	uint32_t version;
	uint32_t nfds;
	uint32_t reserved;
};

/*
 * lp_socket_make_dir() - make sure the directory holding @sock_path exists,
 * is a real directory owned by us and open to nobody else (created 0700).
 * Returns 0, -ENAMETOOLONG, -EPERM (exists with the wrong owner or mode) or
 * another negative errno.
 */
int lp_socket_make_dir(const char *sock_path)
{
	char dir[108];
	struct stat st;
	char *slash;

	if (strlen(sock_path) >= sizeof(dir))
		return -ENAMETOOLONG;
	strcpy(dir, sock_path);
	slash = strrchr(dir, '/');
	if (!slash)
		return 0; /* relative name in the current directory: the caller's choice */
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	if (lstat(dir, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 0077) != 0) {
		metal_err("amplink-lp: %s must be a directory of ours with mode 0700\n", dir);
		return -EPERM;
	}
	return 0;
}

/*
 * lp_socket_send_fds() - send @nfds (<= 4) descriptors and the protocol
 * header on @sock. Returns 0 or a negative errno.
 */
int lp_socket_send_fds(int sock, const int *fds, int nfds)
{
	struct lp_hello hello = {LP_MAGIC, LP_VERSION, (uint32_t)nfds, 0};
	union {
		char buf[CMSG_SPACE(sizeof(int) * LP_MAX_FDS)];
		struct cmsghdr align;
	} u;
	struct iovec iov = {.iov_base = &hello, .iov_len = sizeof(hello)};
	struct msghdr msg = {0};
	struct cmsghdr *cm;

	if (nfds < 1 || nfds > LP_MAX_FDS)
		return -EINVAL;
	memset(&u, 0, sizeof(u));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.buf;
	msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
	memcpy(CMSG_DATA(cm), fds, sizeof(int) * (size_t)nfds);
	if (sendmsg(sock, &msg, MSG_NOSIGNAL) != (ssize_t)sizeof(hello))
		return errno ? -errno : -EIO;
	return 0;
}

static void lp_close_cmsg_fds(struct msghdr *msg)
{
	struct cmsghdr *cm;

	for (cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR(msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		size_t n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < n; i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
			close(fd);
		}
	}
}

/* Take exactly @nfds descriptors out of @msg; any other shape closes them all. */
static int lp_take_fds(struct msghdr *msg, int *fds, int nfds)
{
	struct cmsghdr *cm = CMSG_FIRSTHDR(msg);

	if (!cm || CMSG_NXTHDR(msg, cm) || cm->cmsg_level != SOL_SOCKET ||
	    cm->cmsg_type != SCM_RIGHTS || cm->cmsg_len != CMSG_LEN(sizeof(int) * (size_t)nfds) ||
	    (msg->msg_flags & MSG_CTRUNC)) {
		lp_close_cmsg_fds(msg);
		return -EPROTO;
	}
	memcpy(fds, CMSG_DATA(cm), sizeof(int) * (size_t)nfds);
	return 0;
}

/*
 * lp_socket_recv_fds() - receive the protocol header and exactly @nfds
 * descriptors (close-on-exec) from @sock; anything else is refused and
 * every descriptor that came with it closed. Blocks.
 * Returns 0, -EPROTO (logged), -ECONNRESET or another negative errno.
 */
int lp_socket_recv_fds(int sock, int *fds, int nfds)
{
	struct lp_hello hello;
	union {
		char buf[CMSG_SPACE(sizeof(int) * LP_MAX_FDS)];
		struct cmsghdr align;
	} u;
	struct iovec iov = {.iov_base = &hello, .iov_len = sizeof(hello)};
	struct msghdr msg = {0};
	ssize_t n;
	int ret;

	if (nfds < 1 || nfds > LP_MAX_FDS)
		return -EINVAL;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.buf;
	msg.msg_controllen = sizeof(u.buf);
	do {
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -ECONNRESET;
	ret = lp_take_fds(&msg, fds, nfds);
	if (ret == 0 && (n != (ssize_t)sizeof(hello) || hello.magic != LP_MAGIC ||
			 hello.version != LP_VERSION || hello.nfds != (uint32_t)nfds)) {
		for (int i = 0; i < nfds; i++)
			close(fds[i]);
		ret = -EPROTO;
	}
	if (ret < 0)
		metal_err("amplink-lp: malformed attach message refused\n");
	return ret;
}
