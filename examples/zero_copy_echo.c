/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * zero_copy_echo: sending and receiving without intermediate copies. The
 * host writes each message straight into a shared TX buffer
 * (rpmsg_get_tx_payload_buffer + rpmsg_send_nocopy) and checks the answer
 * in place in the RX buffer. The forked remote keeps each received buffer
 * past its callback (rpmsg_hold_rx_buffer), answers from its main loop with
 * a TX buffer filled straight from it (the one copy the protocol needs),
 * then gives the RX buffer back (rpmsg_release_rx_buffer).
 *
 * Exit: 0 every size 1..max echoed intact, 1 usage, 2 setup failed, 3 errors.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include <amplink/linux_process.h>
#include <metal/sys.h>
#include <openamp/rpmsg.h>

#define HELD_MAX 16

/* ---- Remote: hold in the callback, answer from the loop. ---- */

static struct {
	void *data[HELD_MAX];
	size_t len[HELD_MAX];
	uint32_t src[HELD_MAX];
	int count;
	int errors;
} held;

static int remote_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)priv;
	if (held.count == HELD_MAX) { /* cannot keep more: answer with an ordinary copy */
		if (rpmsg_sendto(ept, data, (int)len, src) != (int)len)
			held.errors++;
		return RPMSG_SUCCESS;
	}
	rpmsg_hold_rx_buffer(ept, data);
	held.data[held.count] = data;
	held.len[held.count] = len;
	held.src[held.count] = src;
	held.count++;
	return RPMSG_SUCCESS;
}

static void remote_answer(struct rpmsg_endpoint *ept)
{
	for (int i = 0; i < held.count; i++) {
		uint32_t cap;
		void *tx = rpmsg_get_tx_payload_buffer(ept, &cap, 1);
		if (!tx || cap < held.len[i]) {
			held.errors++;
			if (tx)
				rpmsg_release_tx_buffer(ept, tx);
		} else {
			memcpy(tx, held.data[i], held.len[i]);
			if (rpmsg_sendto_nocopy(ept, tx, (int)held.len[i], held.src[i]) < 0)
				held.errors++;
		}
		rpmsg_release_rx_buffer(ept, held.data[i]);
	}
	held.count = 0;
}

static int remote_main(struct amplink_lp *lp, void *arg)
{
	struct rpmsg_endpoint ept;

	(void)arg;
	if (rpmsg_create_ept(&ept, amplink_lp_rpmsg_device(lp), "zc-echo", RPMSG_ADDR_ANY,
			     RPMSG_ADDR_ANY, remote_cb, NULL) != RPMSG_SUCCESS)
		return 2;
	while (amplink_lp_process(lp, -1) >= 0)
		remote_answer(&ept);
	remote_answer(&ept);
	rpmsg_destroy_ept(&ept);
	return held.errors ? 3 : 0;
}

/* ---- Host: fill in place, check in place. ---- */

static struct {
	uint32_t remote_addr;
	int bound;
	int got;
	int bad;
} hs;

static unsigned char pattern(int len, int i)
{
	return (unsigned char)(len ^ (i * 7));
}

static void host_ns_bind(struct rpmsg_device *rdev, const char *name, uint32_t dest)
{
	(void)rdev;
	if (strcmp(name, "zc-echo") == 0) {
		hs.remote_addr = dest;
		hs.bound = 1;
	}
}

static int host_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	const unsigned char *p = data;

	(void)ept;
	(void)src;
	(void)priv;
	for (size_t i = 0; i < len; i++)
		hs.bad += p[i] != pattern((int)len, (int)i);
	hs.got = (int)len;
	return RPMSG_SUCCESS;
}

static int wait_for(struct amplink_lp *lp, int *flag)
{
	for (int i = 0; i < 100 && !*flag; i++) {
		if (amplink_lp_process(lp, 50) < 0)
			return -1;
	}
	return *flag ? 0 : -1;
}

static int echo_sizes(struct amplink_lp *lp, struct rpmsg_endpoint *ept)
{
	int errors = 0;
	uint32_t cap = 0;

	for (int len = 1;; len++) {
		unsigned char *tx = rpmsg_get_tx_payload_buffer(ept, &cap, 1);
		if (!tx)
			return errors + 1;
		if ((uint32_t)len > cap) {
			rpmsg_release_tx_buffer(ept, tx);
			break;
		}
		for (int i = 0; i < len; i++)
			tx[i] = pattern(len, i);
		hs.got = 0;
		if (rpmsg_send_nocopy(ept, tx, len) != len || wait_for(lp, &hs.got) < 0 ||
		    hs.got != len)
			errors++;
	}
	printf("zero_copy_echo: sizes 1..%u, %d errors, %d bad bytes\n", cap, errors, hs.bad);
	return errors + hs.bad;
}

int main(int argc, char **argv)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	struct amplink_lp_config cfg;
	struct rpmsg_endpoint ept;
	struct amplink_lp *lp;
	int errors, status = -1;
	pid_t pid = -1;

	if (argc > 1) {
		FILE *f = strcmp(argv[1], "--help") == 0 ? stdout : stderr;
		fprintf(f, "usage: zero_copy_echo\nEchoes every size through a forked remote with "
			   "no-copy send and held RX buffers.\n");
		return f == stdout ? 0 : 1;
	}
	params.log_level = METAL_LOG_WARNING;
	if (metal_init(&params) != 0)
		return 2;
	amplink_lp_config_init(&cfg);
	cfg.ns_bind_cb = host_ns_bind;
	if (amplink_lp_host_create(&cfg, &lp) < 0 ||
	    (pid = amplink_lp_start_remote_fn(lp, remote_main, NULL, NULL)) < 0 ||
	    wait_for(lp, &hs.bound) < 0 ||
	    rpmsg_create_ept(&ept, amplink_lp_rpmsg_device(lp), "zc-echo", RPMSG_ADDR_ANY,
			     hs.remote_addr, host_cb, NULL) != RPMSG_SUCCESS) {
		fprintf(stderr, "zero_copy_echo: setup failed\n");
		return 2;
	}
	errors = echo_sizes(lp, &ept);
	rpmsg_destroy_ept(&ept);
	amplink_lp_destroy(lp);
	metal_finish();
	/* The remote ends when it sees us leave. */
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		errors++;
	return errors ? 3 : 0;
}
