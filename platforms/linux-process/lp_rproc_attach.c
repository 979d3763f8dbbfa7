/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Attach and detach for the Linux-process backend: a remote started on its
 * own connects to the default socket of its name (amplink_lp_listen /
 * amplink_lp_accept); detaching destroys the host side of the link and
 * leaves the process running (it sees the host leave).
 */
#include <errno.h>

#include <amplink/remoteproc.h>
#include <metal/log.h>

#include "lp_rproc_private.h"

int amplink_lpr_attach(struct amplink_lpr *r, int timeout_ms)
{
	int ret;

	if (!r)
		return -EINVAL;
	if (r->attached || r->lp || r->rproc.state != RPROC_OFFLINE)
		return -AMPLINK_RPROC_ERR_STATE;
	ret = lpr_link_create(r, 0);
	if (ret)
		return ret;
	ret = amplink_lp_listen(r->lp, NULL);
	if (!ret)
		ret = amplink_lp_accept(r->lp, timeout_ms);
	if (!ret)
		ret = amplink_remoteproc_attach(&r->rproc);
	if (ret) {
		amplink_lp_destroy(r->lp);
		r->lp = NULL;
		return ret;
	}
	r->attached = true;
	r->fw[0] = '\0';
	metal_info("lpr: %s: attached\n", r->name);
	return 0;
}

int amplink_lpr_detach(struct amplink_lpr *r)
{
	int ret = 0;

	if (!r || !r->attached)
		return -AMPLINK_RPROC_ERR_STATE;
	lpr_link_down(r);
	if (r->rproc.state == RPROC_RUNNING) {
		ret = amplink_remoteproc_detach(&r->rproc);
	} else {
		remoteproc_stop(&r->rproc);
		remoteproc_shutdown(&r->rproc);
	}
	r->attached = false;
	return ret;
}
