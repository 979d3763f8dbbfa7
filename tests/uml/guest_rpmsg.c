/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The program that runs inside the User-Mode Linux guest (static, from the
 * initramfs). It drives Linux's own rpmsg drivers against amplink's
 * vhost-user backend and prints one parsable line per check:
 *   CHECK <name> PASS|FAIL <detail>
 * then "PERF ..." figures and "GUEST DONE pass=N fail=M".
 * Mode "main": channels and endpoints created from the guest through
 * /dev/rpmsg_ctrl0, round trips of every size 1..496, endpoint destruction,
 * the tty console, 10 000 timed round trips. Mode "quick": the same without
 * the timed round trips. Mode "ns": the devices the
 * kernel created from our name-service announcements, and a round trip each.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/rpmsg.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "guest_check.h"

#define ECHO_ADDR    0x400u
#define CONSOLE_ADDR 0x401u
#define MAX_PAYLOAD  496
#define PERF_TRIPS   10000
#define WAIT_MS	     10000

static int with_perf = 1;

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Wait until @path exists (or, with @gone, no longer exists). */
static int wait_path(const char *path, int gone, int ms)
{
	for (; ms > 0; ms -= 20) {
		if ((access(path, F_OK) == 0) != gone)
			return 0;
		sleep_ms(20);
	}
	return -1;
}

/* Bitmap of the /dev/rpmsgN that exist now (N < 64). */
static unsigned long long rpmsg_nodes(void)
{
	unsigned long long set = 0;
	struct dirent *d;
	DIR *dir = opendir("/dev");
	unsigned int n;

	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		if (sscanf(d->d_name, "rpmsg%u", &n) == 1 && n < 64 &&
		    strncmp(d->d_name, "rpmsg_", 6) != 0)
			set |= 1ull << n;
	}
	closedir(dir);
	return set;
}

/* Wait for a /dev/rpmsgN not in @before; returns N or -1. */
static int wait_new_node(unsigned long long before, char *path, size_t len)
{
	int ms, n;

	for (ms = 0; ms < WAIT_MS; ms += 20) {
		unsigned long long now = rpmsg_nodes() & ~before;

		if (now) {
			n = __builtin_ctzll(now);
			snprintf(path, len, "/dev/rpmsg%d", n);
			sleep_ms(50); /* let devtmpfs finish the node */
			return n;
		}
		sleep_ms(20);
	}
	return -1;
}

/* Read exactly @len bytes (one message) within @ms. Returns bytes read or -1. */
static int read_msg(int fd, void *buf, size_t cap, int ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	ssize_t r;

	if (poll(&p, 1, ms) <= 0)
		return -1;
	r = read(fd, buf, cap);
	return r < 0 ? -1 : (int)r;
}

/* One round trip of @len bytes with a pattern that depends on @seed. */
static int round_trip(int fd, size_t len, unsigned int seed)
{
	unsigned char out[MAX_PAYLOAD], in[MAX_PAYLOAD + 16];
	size_t i;

	for (i = 0; i < len; i++)
		out[i] = (unsigned char)(seed * 31u + i * 7u + (i >> 8));
	if (write(fd, out, len) != (ssize_t)len)
		return -1;
	if (read_msg(fd, in, sizeof(in), 3000) != (int)len)
		return -2;
	return memcmp(in, out, len) ? -3 : 0;
}

static int every_size(int fd, const char *name)
{
	size_t len;
	int r, bad = 0;

	for (len = 1; len <= MAX_PAYLOAD; len++) {
		r = round_trip(fd, len, (unsigned int)len);
		if (r) {
			if (!bad)
				printf("# %s: size %zu failed (%d)\n", name, len, r);
			bad++;
		}
	}
	check(name, bad == 0, "%d/%d sizes 1..%d echoed with every byte checked", MAX_PAYLOAD - bad,
	      MAX_PAYLOAD, MAX_PAYLOAD);
	return bad;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void perf(int fd)
{
	static double t[PERF_TRIPS];
	double start = now_us(), total;
	int i, bad = 0;

	for (i = 0; i < PERF_TRIPS; i++) {
		double t0 = now_us();

		if (round_trip(fd, 32, (unsigned int)i))
			bad++;
		t[i] = now_us() - t0;
	}
	total = now_us() - start;
	qsort(t, PERF_TRIPS, sizeof(t[0]), cmp_double);
	printf("PERF rpmsg_roundtrip n=%d size=32 median_us=%.1f p99_us=%.1f max_us=%.1f "
	       "msgs_per_s=%.0f\n",
	       PERF_TRIPS, t[PERF_TRIPS / 2], t[PERF_TRIPS * 99 / 100], t[PERF_TRIPS - 1],
	       PERF_TRIPS / (total / 1e6));
	check("perf_roundtrips", bad == 0, "%d/%d timed round trips correct", PERF_TRIPS - bad,
	      PERF_TRIPS);
}

static int ctrl_ioctl(int ctrl, unsigned long req, const char *name, unsigned int dst)
{
	struct rpmsg_endpoint_info info;

	memset(&info, 0, sizeof(info));
	snprintf(info.name, sizeof(info.name), "%s", name);
	info.src = RPMSG_ADDR_ANY;
	info.dst = dst;
	return ioctl(ctrl, req, &info);
}

/* An endpoint from RPMSG_CREATE_EPT_IOCTL: every size, then DESTROY_EPT. */
static void test_ept(int ctrl)
{
	unsigned long long before = rpmsg_nodes();
	char path[64];
	int fd, r;

	r = ctrl_ioctl(ctrl, RPMSG_CREATE_EPT_IOCTL, "amplink-ept", ECHO_ADDR);
	check("create_ept_ioctl", r == 0, "ioctl returned %d (%s)", r, r ? strerror(errno) : "ok");
	if (r || wait_new_node(before, path, sizeof(path)) < 0) {
		check("ept_node", 0, "no new /dev/rpmsgN");
		return;
	}
	fd = open(path, O_RDWR);
	check("ept_node", fd >= 0, "%s opened", path);
	if (fd < 0)
		return;
	every_size(fd, "ept_sizes");
	r = ioctl(fd, RPMSG_DESTROY_EPT_IOCTL);
	check("destroy_ept_ioctl", r == 0, "ioctl returned %d", r);
	check("destroy_ept_stops_io", write(fd, "x", 1) < 0, "write after destroy fails");
	close(fd);
	check("destroy_ept_node_gone", wait_path(path, 1, WAIT_MS) == 0, "%s removed", path);
}

/* A channel from RPMSG_CREATE_DEV_IOCTL "rpmsg-raw": sizes, timing, release. */
static void test_raw_channel(int ctrl)
{
	unsigned long long before = rpmsg_nodes();
	char path[64];
	int fd, r;

	r = ctrl_ioctl(ctrl, RPMSG_CREATE_DEV_IOCTL, "rpmsg-raw", ECHO_ADDR);
	check("create_dev_raw", r == 0, "ioctl returned %d (%s)", r, r ? strerror(errno) : "ok");
	if (r || wait_new_node(before, path, sizeof(path)) < 0) {
		check("raw_node", 0, "no new /dev/rpmsgN for the channel");
		return;
	}
	fd = open(path, O_RDWR);
	check("raw_node", fd >= 0, "%s opened", path);
	if (fd < 0)
		return;
	every_size(fd, "raw_sizes");
	if (with_perf)
		perf(fd);
	close(fd);
	r = ctrl_ioctl(ctrl, RPMSG_RELEASE_DEV_IOCTL, "rpmsg-raw", ECHO_ADDR);
	check("release_dev_raw", r == 0 && wait_path(path, 1, WAIT_MS) == 0,
	      "release returned %d, node removed", r);
}

/* Write @text to the tty in raw mode and read the same bytes back. */
static void tty_echo(const char *tty, const char *name)
{
	const char *text = "amplink console check: 0123456789 abcdefghijklmnopqrstuvwxyz\n";
	char in[256];
	size_t len = strlen(text), got = 0;
	struct termios tio;
	int fd, r;

	fd = open(tty, O_RDWR | O_NOCTTY);
	if (fd < 0) {
		check(name, 0, "open %s: %s", tty, strerror(errno));
		return;
	}
	tcgetattr(fd, &tio);
	cfmakeraw(&tio);
	tcsetattr(fd, TCSANOW, &tio);
	if (write(fd, text, len) != (ssize_t)len) {
		check(name, 0, "write failed");
		close(fd);
		return;
	}
	while (got < len) {
		r = read_msg(fd, in + got, sizeof(in) - got, 3000);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	check(name, got == len && memcmp(in, text, len) == 0, "%zu/%zu bytes came back through %s",
	      got, len, tty);
	close(fd);
}

static void test_tty_channel(int ctrl)
{
	int r = ctrl_ioctl(ctrl, RPMSG_CREATE_DEV_IOCTL, "rpmsg-tty", CONSOLE_ADDR);

	check("create_dev_tty", r == 0, "ioctl returned %d (%s)", r, r ? strerror(errno) : "ok");
	if (r)
		return;
	if (wait_path("/dev/ttyRPMSG0", 0, WAIT_MS)) {
		check("tty_node", 0, "/dev/ttyRPMSG0 did not appear");
		return;
	}
	sleep_ms(50);
	tty_echo("/dev/ttyRPMSG0", "tty_echo");
}

static void mode_main(void)
{
	int ctrl;

	if (wait_path("/dev/rpmsg_ctrl0", 0, WAIT_MS) ||
	    (ctrl = open("/dev/rpmsg_ctrl0", O_RDWR)) < 0) {
		check("rpmsg_ctrl", 0, "/dev/rpmsg_ctrl0 missing (the device was not probed)");
		return;
	}
	check("rpmsg_ctrl", 1, "/dev/rpmsg_ctrl0 present: the kernel probed the device");
	test_ept(ctrl);
	test_raw_channel(ctrl);
	test_tty_channel(ctrl);
	close(ctrl);
}

/* Announcement mode: the kernel should have made both devices by itself. */
static void mode_ns(void)
{
	int fd, have = wait_path("/dev/rpmsg0", 0, WAIT_MS) == 0;

	check("ns_raw_node", have, "/dev/rpmsg0 %s", have ? "created by the kernel" : "missing");
	if (have && (fd = open("/dev/rpmsg0", O_RDWR)) >= 0) {
		int r = round_trip(fd, 100, 5);

		check("ns_raw_echo", r == 0, "100-byte round trip (%d)", r);
		close(fd);
	}
	have = wait_path("/dev/ttyRPMSG0", 0, WAIT_MS) == 0;
	check("ns_tty_node", have, "/dev/ttyRPMSG0 %s", have ? "created by the kernel" : "missing");
	if (have)
		tty_echo("/dev/ttyRPMSG0", "ns_tty_echo");
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "main";

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("GUEST START mode=%s\n", mode);
	with_perf = strcmp(mode, "quick") != 0;
	if (!strcmp(mode, "ns"))
		mode_ns();
	else
		mode_main();
	printf("GUEST DONE pass=%d fail=%d\n", n_pass, n_fail);
	return n_fail ? 1 : 0;
}
