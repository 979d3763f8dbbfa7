/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The remoteproc lifecycle state machine: init (OFFLINE), config (READY),
 * start (RUNNING), stop (STOPPED), shutdown (OFFLINE), remove; and the
 * amplink extensions around it: attach to / detach from a remote that is
 * already running, crash reporting (ERROR), recovery with the same firmware,
 * the expected-machine setting and the Linux sysfs name of the state.
 * Every public call takes the remoteproc lock; out-of-order calls are refused
 * with -AMPLINK_RPROC_ERR_STATE and one log line.
 */
#include <openamp/remoteproc.h>

#include <amplink/libc.h>
#include <amplink/remoteproc.h>
#include <metal/log.h>
#include <metal/utilities.h>
#include <openamp/remoteproc_virtio.h>

#include "remoteproc/rproc_lifecycle.h"

static const char *const rproc_state_names[RPROC_LAST] = {
	[RPROC_OFFLINE] = "OFFLINE", [RPROC_CONFIGURED] = "CONFIGURED", [RPROC_READY] = "READY",
	[RPROC_RUNNING] = "RUNNING", [RPROC_SUSPENDED] = "SUSPENDED",	[RPROC_ERROR] = "ERROR",
	[RPROC_STOPPED] = "STOPPED",
};

static int rproc_refuse(const struct remoteproc *rproc, const char *call)
{
	metal_err("remoteproc: %s refused in state %s", call,
		  rproc->state < RPROC_LAST ? rproc_state_names[rproc->state] : "?");
	return -AMPLINK_RPROC_ERR_STATE;
}

static int rproc_is_active(const struct remoteproc *rproc)
{
	return rproc->state == RPROC_RUNNING || rproc->state == RPROC_SUSPENDED ||
	       rproc->state == RPROC_ERROR;
}

struct remoteproc *remoteproc_init(struct remoteproc *rproc, const struct remoteproc_ops *ops,
				   void *priv)
{
	if (!rproc || !ops)
		return NULL;
	memset(rproc, 0, sizeof(*rproc));
	metal_mutex_init(&rproc->lock);
	metal_list_init(&rproc->mems);
	metal_list_init(&rproc->vdevs);
	rproc->ops = ops;
	rproc->priv = priv;
	rproc->state = RPROC_OFFLINE;
	if (ops->init && !ops->init(rproc, ops, priv)) {
		metal_err("remoteproc: platform init failed");
		metal_mutex_deinit(&rproc->lock);
		return NULL;
	}
	return rproc;
}

int remoteproc_remove(struct remoteproc *rproc)
{
	if (!rproc)
		return -RPROC_EINVAL;
	metal_mutex_acquire(&rproc->lock);
	if (rproc_is_active(rproc) || !metal_list_is_empty(&rproc->vdevs)) {
		metal_mutex_release(&rproc->lock);
		metal_err("remoteproc: remove while active or with virtio devices: shut it "
			  "down first");
		return -RPROC_EAGAIN;
	}
	if (rproc->ops->remove)
		rproc->ops->remove(rproc);
	rproc_forget_rsc(rproc);
	rproc->state = RPROC_OFFLINE;
	metal_mutex_release(&rproc->lock);
	metal_mutex_deinit(&rproc->lock);
	return 0;
}

int rproc_config_locked(struct remoteproc *rproc, void *data)
{
	int ret;

	if (rproc->state != RPROC_OFFLINE)
		return rproc_refuse(rproc, "config");
	if (rproc->ops->config) {
		ret = rproc->ops->config(rproc, data);
		if (ret) {
			metal_err("remoteproc: platform config failed (%d)", ret);
			return ret;
		}
	}
	rproc->amplink.config_data = data;
	rproc->amplink.flags &= ~AMPLINK_RPROC_F_DETACHED;
	rproc->state = RPROC_READY;
	return 0;
}

int remoteproc_config(struct remoteproc *rproc, void *data)
{
	int ret;

	if (!rproc)
		return -RPROC_EINVAL;
	metal_mutex_acquire(&rproc->lock);
	ret = rproc_config_locked(rproc, data);
	metal_mutex_release(&rproc->lock);
	return ret;
}

int rproc_start_locked(struct remoteproc *rproc)
{
	int ret;

	if (rproc->state != RPROC_READY && rproc->state != RPROC_STOPPED)
		return rproc_refuse(rproc, "start");
	if (rproc->ops->start) {
		ret = rproc->ops->start(rproc);
		if (ret) {
			metal_err("remoteproc: platform start failed (%d)", ret);
			return ret;
		}
	}
	rproc->amplink.flags &= ~(AMPLINK_RPROC_F_ATTACHED | AMPLINK_RPROC_F_DETACHED);
	rproc->state = RPROC_RUNNING;
	return 0;
}

int remoteproc_start(struct remoteproc *rproc)
{
	int ret;

	if (!rproc)
		return -RPROC_EINVAL;
	metal_mutex_acquire(&rproc->lock);
	ret = rproc_start_locked(rproc);
	metal_mutex_release(&rproc->lock);
	return ret;
}

static int rproc_stop_locked(struct remoteproc *rproc)
{
	int ret;

	if (!rproc_is_active(rproc))
		return 0;
	if (rproc->ops->stop) {
		ret = rproc->ops->stop(rproc);
		if (ret) {
			metal_err("remoteproc: platform stop failed (%d)", ret);
			return ret;
		}
	}
	rproc->amplink.flags &= ~AMPLINK_RPROC_F_ATTACHED;
	rproc->state = RPROC_STOPPED;
	return 0;
}

int remoteproc_stop(struct remoteproc *rproc)
{
	int ret;

	if (!rproc)
		return -RPROC_EINVAL;
	metal_mutex_acquire(&rproc->lock);
	ret = rproc_stop_locked(rproc);
	metal_mutex_release(&rproc->lock);
	return ret;
}

static void rproc_remove_vdevs(struct remoteproc *rproc)
{
	struct remoteproc_virtio *rpvdev;
	struct metal_list *node, *tmp;

	metal_list_for_each_safe(&rproc->vdevs, tmp, node)
	{
		rpvdev = metal_container_of(node, struct remoteproc_virtio, node);
		metal_list_del(node);
		rproc_virtio_remove_vdev(&rpvdev->vdev);
	}
}

int remoteproc_shutdown(struct remoteproc *rproc)
{
	int ret = 0;

	if (!rproc)
		return -RPROC_EINVAL;
	metal_mutex_acquire(&rproc->lock);
	if (rproc->state != RPROC_OFFLINE) {
		ret = rproc_stop_locked(rproc);
		if (!ret && rproc->ops->shutdown)
			ret = rproc->ops->shutdown(rproc);
		if (!ret) {
			rproc_remove_vdevs(rproc);
			rproc_forget_rsc(rproc);
			rproc->bootaddr = 0;
			rproc->amplink.flags &= ~AMPLINK_RPROC_F_ATTACHED;
			rproc->state = RPROC_OFFLINE;
		}
	}
	metal_mutex_release(&rproc->lock);
	return ret;
}

int amplink_remoteproc_set_machine(struct remoteproc *rproc, unsigned int machine)
{
	if (!rproc)
		return -RPROC_EINVAL;
	rproc->amplink.machine = machine;
	return 0;
}

int amplink_remoteproc_attach(struct remoteproc *rproc)
{
	int ret = 0;

	if (!rproc)
		return -RPROC_EINVAL;
	metal_mutex_acquire(&rproc->lock);
	if (rproc->state != RPROC_OFFLINE && rproc->state != RPROC_READY) {
		ret = rproc_refuse(rproc, "attach");
	} else {
		rproc->amplink.flags &= ~AMPLINK_RPROC_F_DETACHED;
		rproc->amplink.flags |= AMPLINK_RPROC_F_ATTACHED;
		rproc->state = RPROC_RUNNING;
	}
	metal_mutex_release(&rproc->lock);
	return ret;
}

int amplink_remoteproc_detach(struct remoteproc *rproc)
{
	int ret = 0;

	if (!rproc)
		return -RPROC_EINVAL;
	metal_mutex_acquire(&rproc->lock);
	if (rproc->state != RPROC_RUNNING) {
		ret = rproc_refuse(rproc, "detach");
	} else if (!metal_list_is_empty(&rproc->vdevs)) {
		metal_err("remoteproc: detach refused: remove the virtio devices first");
		ret = -RPROC_EAGAIN;
	} else {
		rproc_forget_rsc(rproc);
		rproc->amplink.flags &= ~AMPLINK_RPROC_F_ATTACHED;
		rproc->amplink.flags |= AMPLINK_RPROC_F_DETACHED;
		rproc->state = RPROC_OFFLINE;
	}
	metal_mutex_release(&rproc->lock);
	return ret;
}

int amplink_remoteproc_crashed(struct remoteproc *rproc)
{
	int ret;

	if (!rproc)
		return -RPROC_EINVAL;
	metal_mutex_acquire(&rproc->lock);
	if (rproc->state != RPROC_RUNNING && rproc->state != RPROC_SUSPENDED) {
		ret = rproc_refuse(rproc, "crash report");
	} else {
		rproc->state = RPROC_ERROR;
		ret = (rproc->amplink.flags & AMPLINK_RPROC_F_RECOVERY) ? 1 : 0;
		metal_err("remoteproc: remote crashed (recovery %s)", ret ? "enabled" : "disabled");
	}
	metal_mutex_release(&rproc->lock);
	return ret;
}

int amplink_remoteproc_set_recovery(struct remoteproc *rproc, int enabled)
{
	if (!rproc)
		return -RPROC_EINVAL;
	metal_mutex_acquire(&rproc->lock);
	if (enabled)
		rproc->amplink.flags |= AMPLINK_RPROC_F_RECOVERY;
	else
		rproc->amplink.flags &= ~AMPLINK_RPROC_F_RECOVERY;
	metal_mutex_release(&rproc->lock);
	return 0;
}

static int rproc_recover_locked(struct remoteproc *rproc)
{
	struct remoteproc_amplink *ext = &rproc->amplink;
	int ret;

	if (rproc->state != RPROC_ERROR)
		return rproc_refuse(rproc, "recover");
	if (!(ext->flags & AMPLINK_RPROC_F_RECOVERY) || !ext->store_ops || !ext->fw_name[0]) {
		metal_err("remoteproc: recovery disabled or no firmware recorded");
		return -RPROC_EINVAL;
	}
	if (!metal_list_is_empty(&rproc->vdevs)) {
		metal_err("remoteproc: recover refused: remove the virtio devices first");
		return -RPROC_EAGAIN;
	}
	ret = rproc->ops->stop ? rproc->ops->stop(rproc) : 0;
	if (!ret) {
		rproc_forget_rsc(rproc);
		rproc->state = RPROC_OFFLINE;
		ret = rproc_config_locked(rproc, ext->config_data);
	}
	if (!ret)
		ret = rproc_load_locked(rproc, ext->fw_name, ext->store, ext->store_ops, NULL);
	if (!ret)
		ret = rproc_start_locked(rproc);
	if (ret) {
		metal_err("remoteproc: recovery failed (%d)", ret);
		rproc->state = RPROC_ERROR;
		return ret;
	}
	metal_info("remoteproc: recovered, firmware %s restarted", ext->fw_name);
	return 0;
}

int amplink_remoteproc_recover(struct remoteproc *rproc)
{
	int ret;

	if (!rproc)
		return -RPROC_EINVAL;
	metal_mutex_acquire(&rproc->lock);
	ret = rproc_recover_locked(rproc);
	metal_mutex_release(&rproc->lock);
	return ret;
}

const char *amplink_remoteproc_state_name(const struct remoteproc *rproc)
{
	if (!rproc)
		return "invalid";
	switch (rproc->state) {
	case RPROC_OFFLINE:
		if (rproc->amplink.flags & AMPLINK_RPROC_F_DETACHED)
			return "detached";
		return "offline";
	case RPROC_CONFIGURED:
	case RPROC_READY:
	case RPROC_STOPPED:
		return "offline";
	case RPROC_RUNNING:
		if (rproc->amplink.flags & AMPLINK_RPROC_F_ATTACHED)
			return "attached";
		return "running";
	case RPROC_SUSPENDED:
		return "suspended";
	case RPROC_ERROR:
		return "crashed";
	default:
		return "invalid";
	}
}
