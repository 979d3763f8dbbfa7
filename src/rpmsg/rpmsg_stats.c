/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Read-out of the RPMsg statistics counters (per device and per endpoint).
 * Each counter is updated under the lock of the path that counts it (TX
 * lock or RX lock; an endpoint's receive counters under the RX lock of its
 * device); a read-out takes the same
 * locks, one at a time, so every value is consistent on 32-bit CPUs too.
 */
#include <amplink/libc.h>
#include <amplink/rpmsg.h>

#include "rpmsg/rpmsg_virtio_internal.h"

int amplink_rpmsg_virtio_get_stats(struct rpmsg_virtio_device *rvdev,
				   struct amplink_rpmsg_stats *out)
{
	if (!rvdev || !out)
		return RPMSG_ERR_PARAM;
	memset(out, 0, sizeof(*out));
#if AMPLINK_CFG_STATS
	{
		const struct amplink_rpmsg_stats *s = &rvdev->amplink_stats;
		unsigned int fl = rpmsg_vlock(&rvdev->amplink_tx_lock);

		out->tx_msgs = s->tx_msgs;
		out->tx_bytes = s->tx_bytes;
		out->tx_waits = s->tx_waits;
		out->tx_timeouts = s->tx_timeouts;
		rpmsg_vunlock(&rvdev->amplink_tx_lock, fl);
		fl = rpmsg_vlock(&rvdev->amplink_rx_lock);
		out->rx_msgs = s->rx_msgs;
		out->rx_bytes = s->rx_bytes;
		out->drop_bad_len = s->drop_bad_len;
		out->drop_no_ept = s->drop_no_ept;
		out->drop_bad_ns = s->drop_bad_ns;
		out->backlog_copies = s->backlog_copies;
		rpmsg_vunlock(&rvdev->amplink_rx_lock, fl);
	}
	return RPMSG_SUCCESS;
#else
	return RPMSG_EOPNOTSUPP;
#endif
}

int amplink_rpmsg_ept_get_stats(struct rpmsg_endpoint *ept, struct amplink_rpmsg_ept_stats *out)
{
	if (!ept || !out || !ept->rdev)
		return RPMSG_ERR_PARAM;
	memset(out, 0, sizeof(*out));
#if AMPLINK_CFG_STATS
	{
		struct rpmsg_device *rdev = ept->rdev;
		struct rpmsg_virtio_device *rvdev = rpmsg_virtio_of(rdev);
		unsigned int fl;

		fl = rpmsg_vlock(&rvdev->amplink_rx_lock);
		out->rx_msgs = ept->amplink_stats.rx_msgs;
		out->rx_bytes = ept->amplink_stats.rx_bytes;
		rpmsg_vunlock(&rvdev->amplink_rx_lock, fl);
		fl = rpmsg_vlock(&rvdev->amplink_tx_lock);
		out->tx_msgs = ept->amplink_stats.tx_msgs;
		out->tx_bytes = ept->amplink_stats.tx_bytes;
		out->tx_waits = ept->amplink_stats.tx_waits;
		rpmsg_vunlock(&rvdev->amplink_tx_lock, fl);
	}
	return RPMSG_SUCCESS;
#else
	return RPMSG_EOPNOTSUPP;
#endif
}
