/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Peer liveness for the Linux two-process transport. A peer is gone when it
 * said so in the control block (clean detach), when the life-line socket
 * hangs up (the peer process ended, however it ended), or, for a child of
 * the host, when waitpid() reports its exit. The first time any of these is
 * seen the rpmsg device is marked gone, which makes blocked senders return
 * RPMSG_ERR_DEV_STATE.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <amplink/rpmsg.h>
#include <metal/log.h>

#include "lp_private.h"

/* lp_peer_mark_gone() - record the peer's departure once. Any thread. */
void lp_peer_mark_gone(struct amplink_lp *lp)
{
	if (atomic_exchange(&lp->gone, true))
		return;
	metal_info("amplink-lp: %s: peer gone\n", lp->name);
	if (lp->rpmsg_up)
		amplink_rpmsg_virtio_set_peer_gone(&lp->rvdev);
}

/*
 * lp_peer_child_exited() - host: reap the remote if it is our child and has
 * exited (status kept in lp). Returns 1 if it has exited (or was reaped by
 * someone else), 0 otherwise.
 */
int lp_peer_child_exited(struct amplink_lp *lp)
{
	int status;
	pid_t r;

	if (lp->attach != LP_ATTACH_CHILD || lp->child <= 0)
		return 0;
	if (lp->child_reaped)
		return 1;
	r = waitpid(lp->child, &status, WNOHANG);
	if (r == lp->child) {
		lp->child_status = status;
		lp->child_reaped = true;
		return 1;
	}
	/* ECHILD: somebody else reaped it; it is gone all the same. */
	return r < 0 && errno == ECHILD;
}

/* Has the life line hung up? (No data is ever sent on it after attach.) */
static int lp_lifeline_down(struct amplink_lp *lp)
{
	struct pollfd p = {.fd = lp->lifeline, .events = POLLIN};
	char c;

	if (lp->lifeline < 0)
		return 0;
	if (poll(&p, 1, 0) <= 0)
		return 0;
	if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
		return 1;
	/* Readable: end of file means the peer closed; stray bytes are dropped. */
	return recv(lp->lifeline, &c, 1, MSG_DONTWAIT) == 0;
}

static int lp_peer_left(struct amplink_lp *lp)
{
	_Atomic uint32_t *state;

	if (!lp->ctrl)
		return 0;
	state = lp->role == VIRTIO_DEV_DRIVER ? &lp->ctrl->remote_state : &lp->ctrl->host_state;
	return atomic_load(state) == LP_STATE_GONE;
}

/*
 * lp_peer_said_bye() - the cheap check: did the peer mark itself gone in the
 * control block? Marks the device gone if so. Returns 1 gone, 0 not (yet).
 */
int lp_peer_said_bye(struct amplink_lp *lp)
{
	if (atomic_load(&lp->gone))
		return 1;
	if (!lp_peer_left(lp))
		return 0;
	lp_peer_mark_gone(lp);
	return 1;
}

/*
 * lp_peer_check() - look at every sign of the peer's death now (a few
 * syscalls). Any thread. Returns 1 alive (or not attached yet), 0 gone.
 */
int lp_peer_check(struct amplink_lp *lp)
{
	if (atomic_load(&lp->gone))
		return 0;
	if (lp_peer_left(lp) || lp_lifeline_down(lp) || lp_peer_child_exited(lp)) {
		lp_peer_mark_gone(lp);
		return 0;
	}
	return 1;
}
