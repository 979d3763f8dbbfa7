/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * amplink extensions to the RPMsg API: sends with a caller-chosen timeout,
 * the "peer gone" call a platform makes when the other side died or detached,
 * and statistics per device and per endpoint. The statistics structures are
 * defined in <openamp/rpmsg.h> and <openamp/rpmsg_virtio.h> because the
 * objects embed them.
 */
#ifndef AMPLINK_RPMSG_H
#define AMPLINK_RPMSG_H

#include <stdbool.h>
#include <stdint.h>

#include <openamp/rpmsg.h>
#include <openamp/rpmsg_virtio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The standard blocking send's limit (Linux uses the same), in microseconds. */
#define AMPLINK_RPMSG_SEND_TIMEOUT_US 15000000u

/*
 * amplink_rpmsg_send_timeout - send @len bytes from ept->addr to @dst,
 * waiting at most @timeout_us for a TX buffer (0: do not wait). The wait is
 * woken by the returned buffer (or the platform's wait callback), never by
 * polling. May be called from a receive callback.
 * Returns @len, RPMSG_ERR_NO_BUFF (timed out), RPMSG_ERR_DEV_STATE (peer
 * gone), RPMSG_ERR_BUFF_SIZE, RPMSG_ERR_PARAM.
 */
int amplink_rpmsg_send_timeout(struct rpmsg_endpoint *ept, const void *data, int len, uint32_t dst,
			       uint32_t timeout_us);

/*
 * amplink_rpmsg_send_offchannel_timeout - as amplink_rpmsg_send_timeout with
 * an explicit source address @src. Returns as above.
 */
int amplink_rpmsg_send_offchannel_timeout(struct rpmsg_endpoint *ept, uint32_t src, uint32_t dst,
					  const void *data, int len, uint32_t timeout_us);

/*
 * amplink_rpmsg_virtio_set_peer_gone - the platform learnt that the peer died
 * or detached: mark @rvdev dead, wake every sender waiting for a buffer (they
 * return RPMSG_ERR_DEV_STATE); later sends fail at once and nothing touches
 * the rings again (incoming notifications are ignored). Any thread or
 * interrupt context; idempotent. Only rpmsg_deinit_vdev undoes it.
 */
void amplink_rpmsg_virtio_set_peer_gone(struct rpmsg_virtio_device *rvdev);

/* amplink_rpmsg_virtio_is_peer_gone - true once the device was marked dead. */
bool amplink_rpmsg_virtio_is_peer_gone(struct rpmsg_virtio_device *rvdev);

/*
 * amplink_rpmsg_virtio_get_stats - copy the device's counters into @out.
 * Any thread. Returns RPMSG_SUCCESS, RPMSG_ERR_PARAM, or RPMSG_EOPNOTSUPP
 * when statistics are compiled out (AMPLINK_CFG_STATS 0; @out is zeroed).
 */
int amplink_rpmsg_virtio_get_stats(struct rpmsg_virtio_device *rvdev,
				   struct amplink_rpmsg_stats *out);

/*
 * amplink_rpmsg_ept_get_stats - copy the endpoint's counters into @out.
 * Any thread. Returns as amplink_rpmsg_virtio_get_stats.
 */
int amplink_rpmsg_ept_get_stats(struct rpmsg_endpoint *ept, struct amplink_rpmsg_ept_stats *out);

#ifdef __cplusplus
}
#endif

#endif /* AMPLINK_RPMSG_H */
