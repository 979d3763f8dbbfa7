/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The transport-independent front of the RPMsg API: argument checks, then a
 * call through the device's ops (struct rpmsg_device_ops). Sends, zero-copy
 * buffers, held RX buffers, buffer sizes and the amplink timed send.
 */
#include <amplink/rpmsg.h>

#include "rpmsg/rpmsg_internal.h"

/* Common checks of every send: Returns RPMSG_SUCCESS or RPMSG_ERR_PARAM. */
static int rpmsg_check_send(struct rpmsg_endpoint *ept, uint32_t src, uint32_t dst,
			    const void *data, int len)
{
	if (!ept || !ept->rdev || !data || len < 0 || src == RPMSG_ADDR_ANY ||
	    dst == RPMSG_ADDR_ANY)
		return RPMSG_ERR_PARAM;
	return RPMSG_SUCCESS;
}

int amplink_rpmsg_send_offchannel_timeout(struct rpmsg_endpoint *ept, uint32_t src, uint32_t dst,
					  const void *data, int len, uint32_t timeout_us)
{
	struct rpmsg_device *rdev;
	int ret = rpmsg_check_send(ept, src, dst, data, len);

	if (ret)
		return ret;
	rdev = ept->rdev;
	if (rdev->ops.amplink_send)
		return rdev->ops.amplink_send(rdev, ept, src, dst, data, len, timeout_us);
	if (rdev->ops.send_offchannel_raw)
		return rdev->ops.send_offchannel_raw(rdev, src, dst, data, len, timeout_us != 0);
	return RPMSG_EOPNOTSUPP;
}

int amplink_rpmsg_send_timeout(struct rpmsg_endpoint *ept, const void *data, int len, uint32_t dst,
			       uint32_t timeout_us)
{
	if (!ept)
		return RPMSG_ERR_PARAM;
	return amplink_rpmsg_send_offchannel_timeout(ept, ept->addr, dst, data, len, timeout_us);
}

int rpmsg_send_offchannel_raw(struct rpmsg_endpoint *ept, uint32_t src, uint32_t dst,
			      const void *data, int len, int wait)
{
	return amplink_rpmsg_send_offchannel_timeout(ept, src, dst, data, len,
						     wait ? AMPLINK_RPMSG_SEND_TIMEOUT_US : 0);
}

int rpmsg_send_offchannel_nocopy(struct rpmsg_endpoint *ept, uint32_t src, uint32_t dst,
				 const void *data, int len)
{
	struct rpmsg_device *rdev;
	int ret = rpmsg_check_send(ept, src, dst, data, len);

	if (ret)
		return ret;
	rdev = ept->rdev;
	if (rdev->ops.amplink_send_nocopy)
		return rdev->ops.amplink_send_nocopy(rdev, ept, src, dst, data, len);
	if (rdev->ops.send_offchannel_nocopy)
		return rdev->ops.send_offchannel_nocopy(rdev, src, dst, data, len);
	return RPMSG_EOPNOTSUPP;
}

void *rpmsg_get_tx_payload_buffer(struct rpmsg_endpoint *ept, uint32_t *len, int wait)
{
	if (!ept || !ept->rdev || !len || !ept->rdev->ops.get_tx_payload_buffer)
		return NULL;
	return ept->rdev->ops.get_tx_payload_buffer(ept->rdev, len, wait);
}

int rpmsg_release_tx_buffer(struct rpmsg_endpoint *ept, void *txbuf)
{
	if (!ept || !ept->rdev || !txbuf)
		return RPMSG_ERR_PARAM;
	if (!ept->rdev->ops.release_tx_buffer)
		return RPMSG_EOPNOTSUPP;
	return ept->rdev->ops.release_tx_buffer(ept->rdev, txbuf);
}

void rpmsg_hold_rx_buffer(struct rpmsg_endpoint *ept, void *rxbuf)
{
	if (ept && ept->rdev && rxbuf && ept->rdev->ops.hold_rx_buffer)
		ept->rdev->ops.hold_rx_buffer(ept->rdev, rxbuf);
}

void rpmsg_release_rx_buffer(struct rpmsg_endpoint *ept, void *rxbuf)
{
	if (ept && ept->rdev && rxbuf && ept->rdev->ops.release_rx_buffer)
		ept->rdev->ops.release_rx_buffer(ept->rdev, rxbuf);
}

int rpmsg_get_tx_buffer_size(struct rpmsg_endpoint *ept)
{
	if (!ept || !ept->rdev)
		return RPMSG_ERR_PARAM;
	if (!ept->rdev->ops.get_tx_buffer_size)
		return RPMSG_EOPNOTSUPP;
	return ept->rdev->ops.get_tx_buffer_size(ept->rdev);
}

int rpmsg_get_rx_buffer_size(struct rpmsg_endpoint *ept)
{
	if (!ept || !ept->rdev)
		return RPMSG_ERR_PARAM;
	if (!ept->rdev->ops.get_rx_buffer_size)
		return RPMSG_EOPNOTSUPP;
	return ept->rdev->ops.get_rx_buffer_size(ept->rdev);
}
