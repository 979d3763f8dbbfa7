/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The proxy demo image (mps2-an386, newlib): announces the "amplink-proxy"
 * client, routes newlib's system calls through it, then uses plain C library
 * calls against the host: printf to the host's console, fopen/fwrite/fclose a
 * file in the host's served directory, fopen/fread it back and compare, read a
 * file the host put there, list the directory (client opendir/readdir: newlib
 * has no directory calls), check that a path leaving the root is refused, and
 * print one result line ("proxy-fw: PASS" or "proxy-fw: FAIL <step>"), which
 * also goes to the trace buffer. It then keeps serving the host's kicks.
 * Unlike the other images this one links newlib (libc_nano) and has a heap.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <amplink/proxy.h>
#include <metal/log.h>
#include <metal/time.h>
#include <openamp/remoteproc_virtio.h>
#include <openamp/rpmsg_virtio.h>

#include "board.h"
#include "remote.h"

#define PFW_FILE      "fw-out.txt"
#define PFW_HOST_FILE "hello.txt"
#define PFW_LINES     100

void *_sbrk(ptrdiff_t incr); /* heap.c */

static struct amplink_proxy_client pfw_client;
static char pfw_buf[6144];  /* the file as written */
static char pfw_back[6144]; /* as read back */

/*
 * The client's wait hook: deliver the host's kicks (the replies) while a call
 * waits, beating the heartbeat, for at most @slice_us. Returns 0.
 */
static int pfw_wait(void *arg, uint32_t slice_us)
{
	struct virtio_device *vdev = arg;
	unsigned long long end = metal_get_timestamp() + (unsigned long long)slice_us * 1000u;

	do {
		remote_heartbeat();
		if (board_host_kicked()) {
			rproc_virtio_notified(vdev, RSC_NOTIFY_ID_ANY);
			return 0;
		}
		board_idle();
	} while (metal_get_timestamp() < end);
	return 0;
}

/* The file's content: PFW_LINES numbered lines. Returns its length. */
static size_t pfw_content(char *buf, size_t cap)
{
	size_t len = 0;
	int i;

	for (i = 0; i < PFW_LINES; i++) {
		int n = snprintf(buf + len, cap - len,
				 "line %03d: written by the firmware through newlib\n", i);

		if (n < 0 || (size_t)n >= cap - len)
			break;
		len += (size_t)n;
	}
	return len;
}

/* fopen/fwrite/fclose, then fopen/fread/fclose and compare. Returns 0 or -1. */
static int pfw_file_roundtrip(void)
{
	size_t len = pfw_content(pfw_buf, sizeof(pfw_buf)), got;
	FILE *f = fopen(PFW_FILE, "w");

	if (!f || fwrite(pfw_buf, 1, len, f) != len || fclose(f) != 0)
		return -1;
	f = fopen(PFW_FILE, "r");
	if (!f)
		return -1;
	got = fread(pfw_back, 1, sizeof(pfw_back), f);
	fclose(f);
	printf("proxy-fw: wrote %u bytes, read back %u\n", (unsigned)len, (unsigned)got);
	return got == len && memcmp(pfw_buf, pfw_back, len) == 0 ? 0 : -1;
}

/* Reads the host's file and prints it. Returns 0 or -1. */
static int pfw_read_host_file(void)
{
	FILE *f = fopen(PFW_HOST_FILE, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(pfw_back, 1, sizeof(pfw_back) - 1, f);
	fclose(f);
	pfw_back[n] = '\0';
	printf("proxy-fw: host says: %s", pfw_back);
	return n > 0 ? 0 : -1;
}

/* Lists the root; returns 0 when both files were seen, else -1. */
static int pfw_list(void)
{
	static struct amplink_proxy_dirent de;
	int dd = amplink_proxy_opendir(&pfw_client, ".");
	int seen = 0, ret;

	if (dd < 0)
		return -1;
	while ((ret = amplink_proxy_readdir(&pfw_client, dd, &de)) == 1) {
		printf("proxy-fw: entry %s (%s)\n", de.name,
		       de.type == AMPLINK_PROXY_T_DIR ? "dir" : "file");
		if (!strcmp(de.name, PFW_FILE) || !strcmp(de.name, PFW_HOST_FILE))
			seen++;
	}
	amplink_proxy_closedir(&pfw_client, dd);
	return ret == 0 && seen == 2 ? 0 : -1;
}

/* A path out of the served root must be refused (EACCES). Returns 0 or -1. */
static int pfw_escape_refused(void)
{
	FILE *f;

	errno = 0;
	f = fopen("../escaped.txt", "w");
	if (f) {
		fclose(f);
		return -1;
	}
	return errno == EACCES ? 0 : -1;
}

/* Runs every step; returns the name of the first that failed, or NULL. */
static const char *pfw_steps(void)
{
	if (printf("proxy-fw: hello from the firmware through newlib printf\n") <= 0)
		return "printf";
	if (pfw_file_roundtrip())
		return "file";
	if (pfw_read_host_file())
		return "host-file";
	if (pfw_list())
		return "list";
	if (pfw_escape_refused())
		return "escape";
	return NULL;
}

int main(void)
{
	struct rpmsg_device *rdev = remote_start("proxy");
	struct rpmsg_virtio_device *rvdev;
	char *heap0 = _sbrk(0);
	const char *failed;

	if (!rdev)
		return 1;
	rvdev = metal_container_of(rdev, struct rpmsg_virtio_device, rdev);
	if (amplink_proxy_client_init(&pfw_client, rdev, pfw_wait, rvdev->vdev) != 0) {
		metal_err("proxy-fw: client init failed");
		return 2;
	}
	amplink_proxy_newlib_attach(&pfw_client);
	failed = pfw_steps();
	metal_info("proxy-fw: heap used %u bytes", (unsigned)((char *)_sbrk(0) - heap0));
	if (failed) {
		metal_err("proxy-fw: FAIL %s", failed);
		printf("proxy-fw: FAIL %s\n", failed);
	} else {
		metal_info("proxy-fw: PASS");
		printf("proxy-fw: PASS\n");
	}
	fflush(stdout);
	remote_run();
	return 0;
}
