/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A remote that announces several services on one rpmsg device:
 * "rpmsg-raw" echoes, "amplink-upper" answers with the message in ASCII upper
 * case, "amplink-sum" answers with the 32-bit little-endian sum of the bytes.
 * It shows the host's name service binding more than one channel.
 */
#include <stdint.h>
#include <openamp/rpmsg.h>

#include "remote.h"

#define MULTI_MAX 512

static struct rpmsg_endpoint multi_ept[3];

static int multi_echo_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src,
			 void *priv)
{
	(void)priv;
	rpmsg_sendto(ept, data, (int)len, src);
	return RPMSG_SUCCESS;
}

static int multi_upper_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src,
			  void *priv)
{
	static char out[MULTI_MAX];
	const char *in = data;
	size_t i;

	(void)priv;
	if (len > sizeof(out))
		len = sizeof(out);
	for (i = 0; i < len; i++)
		out[i] = (in[i] >= 'a' && in[i] <= 'z') ? (char)(in[i] - 'a' + 'A') : in[i];
	rpmsg_sendto(ept, out, (int)len, src);
	return RPMSG_SUCCESS;
}

static int multi_sum_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src,
			void *priv)
{
	const unsigned char *in = data;
	unsigned char out[4];
	uint32_t sum = 0;
	size_t i;

	(void)priv;
	for (i = 0; i < len; i++)
		sum += in[i];
	for (i = 0; i < 4; i++)
		out[i] = (unsigned char)(sum >> (8 * i));
	rpmsg_sendto(ept, out, 4, src);
	return RPMSG_SUCCESS;
}

int main(void)
{
	static const char *const names[3] = {"rpmsg-raw", "amplink-upper", "amplink-sum"};
	static const rpmsg_ept_cb cbs[3] = {multi_echo_cb, multi_upper_cb, multi_sum_cb};
	struct rpmsg_device *rdev = remote_start("multi");
	unsigned int i;

	if (!rdev)
		return 1;
	for (i = 0; i < 3; i++)
		if (rpmsg_create_ept(&multi_ept[i], rdev, names[i], RPMSG_ADDR_ANY, RPMSG_ADDR_ANY,
				     cbs[i], NULL) != 0)
			return 2;
	remote_run();
	return 0;
}
