/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Linux-process remoteproc backend's ops and its lifecycle API: create,
 * load (remoteproc_config + remoteproc_load through the file store), start,
 * stop, check for a process that ended, recover, trace, destroy.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <amplink/remoteproc.h>
#include <metal/log.h>

#include "lp_rproc_private.h"

static struct remoteproc *lpr_op_init(struct remoteproc *rproc, const struct remoteproc_ops *ops,
				      void *arg)
{
	(void)ops;
	(void)arg;
	return rproc;
}

static int lpr_op_config(struct remoteproc *rproc, void *data)
{
	struct amplink_lpr *r = rproc->priv;

	(void)data;
	lpr_segs_free(r);
	lpr_window_reset(r);
	return 0;
}

static int lpr_op_start(struct remoteproc *rproc)
{
	return lpr_proc_start(rproc->priv);
}

static int lpr_op_stop(struct remoteproc *rproc)
{
	return lpr_proc_stop(rproc->priv);
}

static int lpr_op_shutdown(struct remoteproc *rproc)
{
	(void)rproc;
	return 0;
}

const struct remoteproc_ops lpr_ops = {
	.init = lpr_op_init,
	.mmap = lpr_mmap,
	.config = lpr_op_config,
	.start = lpr_op_start,
	.stop = lpr_op_stop,
	.shutdown = lpr_op_shutdown,
};

void amplink_lpr_config_init(struct amplink_lpr_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->wait_mode = AMPLINK_LP_WAIT_BLOCKING;
}

int amplink_lpr_create(const struct amplink_lpr_config *cfg, struct amplink_lpr **out)
{
	struct amplink_lpr *r;
	const char *name = cfg && cfg->name ? cfg->name : "remote";
	int ret;

	if (!out || strlen(name) >= LPR_NAME_MAX || strchr(name, '/'))
		return -EINVAL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	if (cfg)
		r->cfg = *cfg;
	else
		amplink_lpr_config_init(&r->cfg);
	strcpy(r->name, name);
	r->cfg.name = r->name;
	r->win_fd = -1;
	r->store.owner = r;
	if (!remoteproc_init(&r->rproc, &lpr_ops, r)) {
		free(r);
		return -ENOMEM;
	}
	ret = lpr_window_open(r);
	if (ret) {
		remoteproc_remove(&r->rproc);
		free(r);
		return ret;
	}
	*out = r;
	return 0;
}

/* How long a remote that left the link may take to exit before it counts as crashed. */
#define LPR_EXIT_GRACE_MS 2000

/* After a load: the table must exist, fit the window and carry an rpmsg vdev. */
static int lpr_check_loaded(struct amplink_lpr *r)
{
	if (!r->rproc.rsc_table || r->rproc.rsc_len == 0) {
		metal_err("lpr: %s: %s has no .resource_table section", r->name, r->fw);
		return -ENODATA;
	}
	if (r->rproc.rsc_len > AMPLINK_LPR_TABLE_MAX) {
		metal_err("lpr: %s: resource table of %zu bytes is too large", r->name,
			  r->rproc.rsc_len);
		return -E2BIG;
	}
	if (lpr_find_rpmsg_vdev(r->rproc.rsc_table, r->rproc.rsc_len, &r->vring_num)) {
		metal_err("lpr: %s: the resource table has no rpmsg vdev with two equal vrings",
			  r->name);
		return -ENOMSG;
	}
	return 0;
}

int amplink_lpr_load(struct amplink_lpr *r, const char *firmware)
{
	int ret;

	if (!r || !firmware)
		return -EINVAL;
	if (r->attached || (r->rproc.state != RPROC_OFFLINE && r->rproc.state != RPROC_READY))
		return AMPLINK_LPR_RPROC_ERR(AMPLINK_RPROC_ERR_STATE);
	if (!realpath(firmware, r->fw) || access(r->fw, R_OK | X_OK) < 0)
		return -errno;
	if (r->rproc.state == RPROC_OFFLINE) {
		ret = remoteproc_config(&r->rproc, NULL);
		if (ret)
			return ret < 0 ? AMPLINK_LPR_RPROC_ERR(-ret) : ret;
	} else {
		lpr_op_config(&r->rproc, NULL);
	}
	ret = remoteproc_load(&r->rproc, r->fw, &r->store, &lpr_store_ops, NULL);
	if (ret)
		return AMPLINK_LPR_RPROC_ERR(-ret);
	return lpr_check_loaded(r);
}

int amplink_lpr_start(struct amplink_lpr *r)
{
	if (!r)
		return -EINVAL;
	if (r->rproc.state != RPROC_READY && r->rproc.state != RPROC_STOPPED)
		return AMPLINK_LPR_RPROC_ERR(AMPLINK_RPROC_ERR_STATE);
	return remoteproc_start(&r->rproc);
}

int amplink_lpr_stop(struct amplink_lpr *r)
{
	int ret;

	if (!r)
		return -EINVAL;
	if (r->attached)
		return -EOPNOTSUPP;
	ret = remoteproc_stop(&r->rproc);
	if (!ret)
		ret = remoteproc_shutdown(&r->rproc);
	return ret;
}

/* An attached remote's link died: crashed (nothing to restart). */
static int lpr_check_attached(struct amplink_lpr *r)
{
	if (r->rproc.state == RPROC_RUNNING && r->lp && !amplink_lp_peer_alive(r->lp))
		amplink_remoteproc_crashed(&r->rproc);
	return (int)r->rproc.state;
}

int amplink_lpr_check(struct amplink_lpr *r)
{
	int status;

	if (!r)
		return -EINVAL;
	if (r->attached)
		return lpr_check_attached(r);
	if (r->rproc.state != RPROC_RUNNING || !r->lp)
		return (int)r->rproc.state;
	if (amplink_lp_wait_remote(r->lp, 0, &status) != 0) {
		if (amplink_lp_peer_alive(r->lp))
			return RPROC_RUNNING;
		/* It left the link: give it a moment to exit, else call it a crash. */
		if (amplink_lp_wait_remote(r->lp, LPR_EXIT_GRACE_MS, &status) == 0)
			lpr_note_exit(r, status);
	} else {
		lpr_note_exit(r, status);
	}
	if (r->exit.valid && !r->exit.signal && r->exit.code == 0) {
		metal_info("lpr: %s: pid %d exited with status 0\n", r->name, (int)r->pid);
		amplink_lpr_stop(r);
	} else {
		amplink_remoteproc_crashed(&r->rproc);
	}
	return (int)r->rproc.state;
}

int amplink_lpr_set_recovery(struct amplink_lpr *r, int enabled)
{
	return r ? amplink_remoteproc_set_recovery(&r->rproc, enabled) : -EINVAL;
}

int amplink_lpr_recover(struct amplink_lpr *r)
{
	int ret;

	if (!r || r->attached)
		return -EINVAL;
	ret = amplink_remoteproc_recover(&r->rproc);
	if (!ret)
		r->restarts++;
	return ret;
}

void amplink_lpr_destroy(struct amplink_lpr *r)
{
	if (!r)
		return;
	if (r->attached)
		amplink_lpr_detach(r);
	else if (r->rproc.state != RPROC_OFFLINE)
		amplink_lpr_stop(r);
	lpr_link_down(r);
	if (r->rproc.state != RPROC_OFFLINE)
		remoteproc_shutdown(&r->rproc);
	lpr_segs_free(r);
	lpr_window_close(r);
	remoteproc_remove(&r->rproc);
	free(r->store.data);
	free(r);
}

long amplink_lpr_trace_read(struct amplink_lpr *r, char *buf, size_t len)
{
	void *ring;
	size_t rlen;

	if (!r || !buf || len == 0)
		return -EINVAL;
	if (!r->win || lpr_window_trace(r->win, AMPLINK_LPR_WINDOW_SIZE, &ring, &rlen))
		return -ENOENT;
	return lpr_trace_copy(ring, rlen, buf, len);
}

struct remoteproc *amplink_lpr_remoteproc(struct amplink_lpr *r)
{
	return &r->rproc;
}

struct amplink_lp *amplink_lpr_link(struct amplink_lpr *r)
{
	return r->lp;
}

pid_t amplink_lpr_pid(const struct amplink_lpr *r)
{
	return r->pid;
}

void *amplink_lpr_priv(const struct amplink_lpr *r)
{
	return r->cfg.priv;
}

const char *amplink_lpr_firmware(const struct amplink_lpr *r)
{
	return r->fw;
}

unsigned int amplink_lpr_restarts(const struct amplink_lpr *r)
{
	return r->restarts;
}

void amplink_lpr_exit_info(const struct amplink_lpr *r, struct amplink_lpr_exit *out)
{
	*out = r->exit;
}
