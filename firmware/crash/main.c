/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A remote that can be told to fail, for the host's crash detection: it echoes
 * like the echo image on "rpmsg-raw", except that the message "fault" makes it
 * execute an undefined instruction (a fault the BSP reports in the mailbox) and
 * "hang" makes it spin without beating the heartbeat (only the host's heartbeat
 * watch can notice).
 */
#include <amplink/libc.h>
#include <metal/log.h>
#include <openamp/rpmsg.h>

#include "remote.h"

static struct rpmsg_endpoint crash_ept;

static int crash_is(const void *data, size_t len, const char *word)
{
	return len == strlen(word) && memcmp(data, word, len) == 0;
}

static int crash_cb(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src, void *priv)
{
	(void)priv;
	if (crash_is(data, len, "fault")) {
		metal_log(METAL_LOG_WARNING, "crash: faulting on request");
#if defined(__arm__)
		__asm__ volatile(".inst.n 0xde00"); /* udf #0 */
#else
		__asm__ volatile("unimp");
#endif
	}
	if (crash_is(data, len, "hang")) {
		metal_log(METAL_LOG_WARNING, "crash: hanging on request");
		for (;;)
			__asm__ volatile("" ::: "memory");
	}
	rpmsg_sendto(ept, data, (int)len, src);
	return RPMSG_SUCCESS;
}

int main(void)
{
	struct rpmsg_device *rdev = remote_start("crash");

	if (!rdev)
		return 1;
	if (rpmsg_create_ept(&crash_ept, rdev, "rpmsg-raw", RPMSG_ADDR_ANY, RPMSG_ADDR_ANY,
			     crash_cb, NULL) != 0)
		return 2;
	remote_run();
	return 0;
}
