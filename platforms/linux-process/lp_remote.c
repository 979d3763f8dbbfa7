/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The remote side of the Linux two-process transport: attaching to a host's
 * region from inherited fds (fork, exec + AMPLINK_LP_ENV_FDS) or from a
 * host's UNIX socket, validating the region, and bringing up the
 * device-role rpmsg device.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <metal/log.h>
#include <metal/shmem.h>

#include "lp_private.h"

/* How long a connecting remote waits for the host to accept it. */
#define LP_CONNECT_WAIT_S 30

/* Map the region behind lp->shm_fd and validate it. */
static int lp_remote_map(struct amplink_lp *lp)
{
	struct stat st;
	int ret, seals;

	if (fstat(lp->shm_fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode) || st.st_size < (off_t)(LP_CTRL_SIZE + LP_RSC_SIZE) ||
	    st.st_size > (off_t)LP_MAX_REGION)
		return -EPROTO;
	/* A region the host could still shrink would make our accesses fault. */
	seals = fcntl(lp->shm_fd, F_GET_SEALS);
	if (seals < 0 || !(seals & F_SEAL_SHRINK)) {
		metal_err("amplink-lp: shared region refused: not sealed against shrinking\n");
		return -EPROTO;
	}
	lp->shm_size = (size_t)st.st_size;
	ret = amplink_shmem_map_fd(lp->shm_fd, lp->shm_size, &lp->io);
	if (ret < 0) {
		lp->io = NULL;
		return ret;
	}
	return lp_layout_check(lp);
}

/*
 * lp_remote_build() - become the remote on @fds = {region, eventfd to the
 * remote, eventfd to the host, life line}; @lp owns them from now on, also
 * on failure (lp_side_free closes them). Returns 0 or a negative errno.
 */
int lp_remote_build(struct amplink_lp *lp, const int *fds)
{
	int ret;

	lp->shm_fd = fds[0];
	lp->efd[LP_DB_TO_REMOTE] = fds[1];
	lp->efd[LP_DB_TO_HOST] = fds[2];
	lp->lifeline = fds[3];
	ret = lp_remote_map(lp);
	if (ret < 0)
		return ret;
	lp->db_in = &lp->ctrl->db[LP_DB_TO_REMOTE];
	lp->db_out = &lp->ctrl->db[LP_DB_TO_HOST];
	lp->efd_in = lp->efd[LP_DB_TO_REMOTE];
	lp->efd_out = lp->efd[LP_DB_TO_HOST];
	fcntl(lp->efd_in, F_SETFL, O_NONBLOCK);
	fcntl(lp->efd_out, F_SETFL, O_NONBLOCK);
	if (atomic_load(&lp->ctrl->host_state) != LP_STATE_ATTACHED)
		return -EPIPE;
	/* Differs from the doorbell: the first amplink_lp_process() looks at the rings. */
	lp->seen_seq = atomic_load(&lp->db_in->seq) - 1U;
	atomic_store(&lp->ctrl->remote_state, LP_STATE_ATTACHED);
	return lp_vdev_start(lp);
}

/* Allocate a remote side, build it on @fds, hand it out. */
static int lp_remote_new(const struct amplink_lp_config *cfg, const int *fds,
			 struct amplink_lp **out)
{
	struct amplink_lp *lp = lp_side_alloc(VIRTIO_DEV_DEVICE, cfg);
	int ret;

	if (!lp) {
		for (int i = 0; i < 4; i++)
			close(fds[i]);
		return -EINVAL;
	}
	ret = lp_remote_build(lp, fds);
	if (ret < 0) {
		lp_side_free(lp);
		return ret;
	}
	*out = lp;
	return 0;
}

/* The process behind the socket must run as our user. Returns 0 or -EPERM (logged). */
static int lp_remote_check_host(int s)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || cred.uid != geteuid()) {
		metal_err("amplink-lp: the host behind the socket is not of our user\n");
		return -EPERM;
	}
	return 0;
}

int amplink_lp_remote_connect(const char *sock_path, const struct amplink_lp_config *cfg,
			      struct amplink_lp **out)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct timeval tv = {.tv_sec = LP_CONNECT_WAIT_S};
	int fds[4], s, ret;

	if (!sock_path || !out || strlen(sock_path) >= sizeof(sa.sun_path))
		return -EINVAL;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ret = -errno;
		close(s);
		return ret;
	}
	ret = lp_remote_check_host(s);
	if (ret == 0)
		ret = lp_socket_recv_fds(s, fds, 3);
	if (ret < 0) {
		close(s);
		return ret == -EAGAIN ? -ETIMEDOUT : ret;
	}
	fds[3] = s;
	return lp_remote_new(cfg, fds, out);
}

/* Parse "a,b,c,d": four distinct open descriptors. Returns 0 or -EINVAL. */
static int lp_parse_fds(const char *s, int *fds)
{
	char *end;

	for (int i = 0; i < 4; i++) {
		long v = strtol(s, &end, 10);
		if (end == s || v < 0 || v > 65535 || *end != (i == 3 ? '\0' : ','))
			return -EINVAL;
		fds[i] = (int)v;
		for (int j = 0; j < i; j++) {
			if (fds[j] == fds[i])
				return -EINVAL;
		}
		if (fcntl(fds[i], F_GETFD) < 0)
			return -EBADF;
		s = end + 1;
	}
	return 0;
}

int amplink_lp_remote_open(const struct amplink_lp_config *cfg, struct amplink_lp **out)
{
	const char *env = getenv(AMPLINK_LP_ENV_FDS);
	int fds[4], ret;

	if (!out)
		return -EINVAL;
	if (!env)
		return -ENOENT;
	ret = lp_parse_fds(env, fds);
	unsetenv(AMPLINK_LP_ENV_FDS);
	if (ret < 0)
		return ret;
	/* Our own children must not inherit them. */
	for (int i = 0; i < 4; i++)
		fcntl(fds[i], F_SETFD, FD_CLOEXEC);
	return lp_remote_new(cfg, fds, out);
}
