/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The cooperative peer of the two-process tests: an echo endpoint that sends
 * every message back to its source (from the receive callback, blocking), and
 * a sink that checks sequence-numbered messages arrive complete and in order.
 * The tester on the other side halts and resumes it through control words,
 * so that it knows when the responder consumes nothing.
 */
#include <stdio.h>
#include <string.h>

#include "twoproc.h"

struct tp_resp {
	struct rpmsg_endpoint echo;
	struct rpmsg_endpoint sink;
	int sink_count;
	int sink_bad;
	int echo_bad;
};

static struct tp_resp tp_rs;

void tp_seq_fill(void *buf, size_t len, uint32_t seq)
{
	memcpy(buf, &seq, sizeof(seq));
	tp_fill((unsigned char *)buf + sizeof(seq), len - sizeof(seq), seq);
}

int tp_seq_check(const void *buf, size_t len, uint32_t seq)
{
	uint32_t got;

	if (len < sizeof(seq))
		return -1;
	memcpy(&got, buf, sizeof(got));
	if (got != seq)
		return -1;
	return tp_check((const unsigned char *)buf + sizeof(seq), len - sizeof(seq), seq);
}

static int tp_echo_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	int ret = rpmsg_sendto(ept, data, (int)len, src);

	(void)priv;
	if (ret != (int)len) {
		fprintf(stderr, "responder: echo of %zu bytes to 0x%x: %d\n", len, src, ret);
		tp_rs.echo_bad++;
	}
	return RPMSG_SUCCESS;
}

static int tp_sink_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)ept;
	(void)src;
	(void)priv;
	if (tp_seq_check(data, len, (uint32_t)tp_rs.sink_count) != 0) {
		fprintf(stderr, "responder: sink message %d (%zu bytes) is wrong\n",
			tp_rs.sink_count, len);
		tp_rs.sink_bad++;
	}
	tp_rs.sink_count++;
	return RPMSG_SUCCESS;
}

/* Handle one control word. Returns 1 to go on, 0 to quit, -1 on error. */
static int tp_responder_cmd(struct tp_link *l, uint32_t cmd, int *running)
{
	switch (cmd) {
	case TP_CMD_HALT:
		*running = 0;
		return tp_ctl_send(l, TP_CMD_HALTED) == 0 ? 1 : -1;
	case TP_CMD_RUN:
		*running = 1;
		return 1;
	case TP_CMD_COUNT:
		if (tp_ctl_send(l, (uint32_t)tp_rs.sink_count) ||
		    tp_ctl_send(l, (uint32_t)tp_rs.sink_bad) ||
		    tp_ctl_send(l, (uint32_t)tp_rs.echo_bad))
			return -1;
		return 1;
	case TP_CMD_QUIT:
		return 0;
	default:
		fprintf(stderr, "responder: unknown control word 0x%x\n", cmd);
		return -1;
	}
}

int tp_responder(struct tp_link *l)
{
	struct rpmsg_device *rdev = tp_rdev(l);
	int running = 1, ret;
	uint32_t cmd;

	memset(&tp_rs, 0, sizeof(tp_rs));
	if (rpmsg_create_ept(&tp_rs.echo, rdev, "", TP_ECHO_ADDR, RPMSG_ADDR_ANY, tp_echo_cb,
			     NULL) != RPMSG_SUCCESS ||
	    rpmsg_create_ept(&tp_rs.sink, rdev, "", TP_SINK_ADDR, RPMSG_ADDR_ANY, tp_sink_cb,
			     NULL) != RPMSG_SUCCESS)
		return 30;
	if (tp_ctl_send(l, TP_CMD_READY) < 0)
		return 31;
	do {
		if (tp_ctl_recv(l, &cmd, TP_ALARM_S * 1000, running) < 0)
			return 32;
		ret = tp_responder_cmd(l, cmd, &running);
	} while (ret > 0);
	rpmsg_destroy_ept(&tp_rs.echo);
	rpmsg_destroy_ept(&tp_rs.sink);
	if (ret < 0)
		return 33;
	return tp_rs.sink_bad || tp_rs.echo_bad ? 34 : 0;
}

int tp_remote_responder(struct tp_link *l, void *arg)
{
	(void)arg;
	return tp_responder(l);
}
