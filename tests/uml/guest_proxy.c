/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The proxy's host side inside the User-Mode Linux guest (static, from the
 * initramfs; mode "proxy"). amplink's vhost-user backend, run with
 * `serve --proxy-demo`, is the remote: it announces "amplink-proxy", and the
 * kernel creates an rpmsg device for it with no driver. This program binds
 * Linux's rpmsg_chrdev driver to that device (driver_override), opens the
 * /dev/rpmsgN it creates, serves PX_ROOT with amplink's proxy host code
 * through amplink_proxy_host_attach_io (HELLO first: the kernel does not
 * announce the char device's address) until the remote says it is done, then
 * checks what the remote did. Mode "ctrl" (argument; `serve --no-ns
 * --proxy-demo`): nothing is announced; the channel to the client's fixed
 * address comes from /dev/rpmsg_ctrl0 (RPMSG_CREATE_DEV_IOCTL "rpmsg-raw"),
 * the path that never makes the kernel handle an announcement. Output: "CHECK <name> PASS|FAIL
 * <detail>" lines and "GUEST DONE pass=N fail=M", judged by uml_test.sh.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/rpmsg.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <amplink/proxy.h>
#include <metal/log.h>

#include "guest_check.h"

#define PX_DIR	   "/tmp/px"
#define PX_ROOT	   PX_DIR "/root"
#define PX_CONSOLE "/tmp/px-console.txt"
#define PX_SYSDEV  "/sys/bus/rpmsg/devices"
#define PX_ADDR	   0x402u      /* the client's fixed address (amplink serve --proxy-demo) */
#define PX_ANY	   0xffffffffu /* RPMSG_ADDR_ANY */
#define PX_MTU	   496u	       /* Linux's 512-byte rpmsg buffers minus their 16-byte header */
#define PX_WAIT_MS 12000
/* What the remote writes (examples/proxy_demo_steps.c) and prints. */
#define PX_TEXT "Written by the remote through the proxy.\n"

/* The proxy host code logs through metal_log: print it on the console. */
void amplink_log_emit(enum metal_log_level level, const char *format, ...)
{
	va_list ap;

	printf("LOG %d ", (int)level);
	va_start(ap, format);
	vprintf(format, ap);
	va_end(ap);
	fflush(stdout);
}

static long px_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void px_nap(void)
{
	struct timespec ts = {0, 50 * 1000000L};

	nanosleep(&ts, NULL);
}

/* Read up to @cap - 1 bytes of @path into @buf (terminated). Returns the length or -1. */
static long px_slurp(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	long n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, cap - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

/* Write @text to the sysfs attribute @path. Returns 0 or -errno. */
static int px_sysfs_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* First entry of directory @dir whose name contains @part, into @out. Returns 0 or -1. */
static int px_find_entry(const char *dir, const char *part, char *out, size_t cap)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int ret = -1;

	while (d && (e = readdir(d)) != NULL) {
		if (strstr(e->d_name, part) && strlen(e->d_name) < cap) {
			strcpy(out, e->d_name);
			ret = 0;
			break;
		}
	}
	if (d)
		closedir(d);
	return ret;
}

/* Wait for the rpmsg device whose name contains @part (e.g. virtio0.amplink-proxy.-1.A). */
static int px_find_channel(const char *part, char *name, size_t cap)
{
	long end = px_ms() + PX_WAIT_MS;

	while (px_ms() < end) {
		if (px_find_entry(PX_SYSDEV, part, name, cap) == 0)
			return 0;
		px_nap();
	}
	return -1;
}

/*
 * Mode "ctrl": no announcement; ask the kernel for a "rpmsg-raw" channel to
 * the client's fixed address through /dev/rpmsg_ctrl0 (rpmsg_chrdev takes it
 * by name). Returns the control fd (kept open) or -1.
 */
static int px_ctrl_channel(char *name, size_t cap)
{
	struct rpmsg_endpoint_info info = {.name = "rpmsg-raw", .src = PX_ANY, .dst = PX_ADDR};
	char part[64];
	long end = px_ms() + PX_WAIT_MS;
	int ctrl = -1, r = -1;

	while (ctrl < 0 && px_ms() < end) {
		ctrl = open("/dev/rpmsg_ctrl0", O_RDWR | O_CLOEXEC);
		if (ctrl < 0)
			px_nap();
	}
	if (ctrl >= 0)
		r = ioctl(ctrl, RPMSG_CREATE_DEV_IOCTL, &info);
	snprintf(part, sizeof(part), ".rpmsg-raw.-1.%u", PX_ADDR);
	check("proxy_channel", r == 0 && px_find_channel(part, name, cap) == 0,
	      "ctrl fd %d, RPMSG_CREATE_DEV_IOCTL %d, device %s", ctrl, r, name);
	return ctrl;
}

/*
 * Bind rpmsg_chrdev to @chan (with @override; else check it took the channel
 * by name) and open the /dev/rpmsgN it creates. Returns the fd or -1.
 */
static int px_open_chrdev(const char *chan, bool override, char *node, size_t cap)
{
	char path[256], ent[64];
	long end;
	int r1 = 0, r2 = 0, fd;

	if (override) {
		snprintf(path, sizeof(path), PX_SYSDEV "/%s/driver_override", chan);
		r1 = px_sysfs_write(path, "rpmsg_chrdev");
		r2 = px_sysfs_write("/sys/bus/rpmsg/drivers/rpmsg_chrdev/bind", chan);
	} else {
		snprintf(path, sizeof(path), PX_SYSDEV "/%s/driver", chan);
		r1 = access(path, F_OK) ? -errno : 0;
	}
	check("proxy_bind", r1 == 0 && r2 == 0, "%s %d, bind %d",
	      override ? "driver_override" : "driver by name", r1, r2);
	snprintf(path, sizeof(path), PX_SYSDEV "/%s/rpmsg", chan);
	for (end = px_ms() + PX_WAIT_MS; px_ms() < end; px_nap()) {
		if (px_find_entry(path, "rpmsg", ent, sizeof(ent)) != 0)
			continue;
		snprintf(node, cap, "/dev/%s", ent);
		fd = open(node, O_RDWR | O_CLOEXEC);
		if (fd >= 0)
			return fd;
	}
	return -1;
}

/* The host's I/O callback: one message = one write of header + payload. */
static int px_send(void *ctx, const void *hdr, const void *data, uint32_t len)
{
	struct iovec iov[2] = {{(void *)hdr, AMPLINK_PROXY_HDR_SIZE}, {(void *)data, len}};
	ssize_t w;

	do {
		w = writev(*(int *)ctx, iov, len ? 2 : 1);
	} while (w < 0 && errno == EINTR);
	return w < 0 ? -errno : 0;
}

/* Feed what the remote sends to the host until its last console line or the deadline. */
static int px_serve(struct amplink_proxy_host *h, int fd)
{
	static char con[8192];
	uint8_t buf[512];
	long end = px_ms() + PX_WAIT_MS;

	while (px_ms() < end) {
		struct pollfd p = {fd, POLLIN, 0};
		ssize_t n;

		if (poll(&p, 1, 100) < 0 && errno != EINTR)
			return -errno;
		if (p.revents & (POLLERR | POLLHUP))
			return -EPIPE;
		if (p.revents & POLLIN) {
			n = read(fd, buf, sizeof(buf));
			if (n < 0 && errno != EINTR && errno != EAGAIN)
				return -errno;
			if (n > 0)
				(void)amplink_proxy_host_receive(h, buf, (size_t)n);
			continue;
		}
		if (px_slurp(PX_CONSOLE, con, sizeof(con)) > 0 && strstr(con, "proxy-serve: done"))
			return 0;
	}
	return -ETIMEDOUT;
}

/* Whether @dir holds exactly the @nwant names @want (any order). */
static int px_dir_is(const char *dir, const char *const *want, int nwant)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0, i, ok = 1;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		int known = 0;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		for (i = 0; i < nwant; i++)
			known |= !strcmp(e->d_name, want[i]);
		if (!known) {
			printf("unexpected entry %s/%s\n", dir, e->d_name);
			ok = 0;
		}
		n++;
	}
	closedir(d);
	return ok && n == nwant;
}

/* What the remote did, seen from the guest. */
static void px_judge(const struct amplink_proxy_host *h, int served)
{
	static const char *const in_root[] = {"seed.txt", "demo.txt"};
	static const char *const in_dir[] = {"root"};
	static char con[8192];
	char file[256];
	struct stat sb = {0};
	long n;

	check("proxy_served", served == 0, "status %d, %u requests, %u replies", served,
	      h ? amplink_proxy_host_stats(h)->rx_msgs : 0,
	      h ? amplink_proxy_host_stats(h)->tx_msgs : 0);
	n = px_slurp(PX_ROOT "/demo.txt", file, sizeof(file));
	check("proxy_file", n == (long)strlen(PX_TEXT) && !strcmp(file, PX_TEXT),
	      "demo.txt %ld bytes", n);
	if (stat(PX_ROOT "/demo.txt", &sb) != 0)
		sb.st_mode = 0;
	check("proxy_file_mode", (sb.st_mode & 0777) == 0600, "mode %o (0644 asked, 0600 kept)",
	      (unsigned int)(sb.st_mode & 0777));
	check("proxy_confined",
	      px_dir_is(PX_ROOT, in_root, 2) && px_dir_is(PX_DIR, in_dir, 1) &&
		      access("/tmp/outside.txt", F_OK) != 0,
	      "root holds seed.txt and demo.txt, nothing beside it");
	px_slurp(PX_CONSOLE, con, sizeof(con));
	check("proxy_console",
	      strstr(con, "proxy_demo: wrote and read back demo.txt\n") &&
		      strstr(con, "proxy_demo: directory:\n") && strstr(con, "  seed.txt\n") &&
		      strstr(con, "  demo.txt\n") && strstr(con, "proxy_demo: ok\n"),
	      "%zu bytes of console text", strlen(con));
	check("proxy_remote_pass", strstr(con, "proxy-serve: done PASS\n") != NULL,
	      "the remote's own verdict");
	check("proxy_clean",
	      h && amplink_proxy_host_stats(h)->bad == 0 && amplink_proxy_host_open_count(h) == 0,
	      "bad %u, files left open %d", h ? amplink_proxy_host_stats(h)->bad : 0,
	      h ? amplink_proxy_host_open_count(h) : -1);
	printf("CONSOLE-BEGIN\n%sCONSOLE-END\n", con);
}

/* The served tree: PX_ROOT with one file of the guest's, and the console file. */
static int px_prepare(void)
{
	int fd, con;

	if ((mkdir(PX_DIR, 0700) && errno != EEXIST) || (mkdir(PX_ROOT, 0700) && errno != EEXIST))
		return -1;
	fd = open(PX_ROOT "/seed.txt", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, "seed\n", 5) != 5)
		return -1;
	close(fd);
	umask(0);
	con = open(PX_CONSOLE, O_RDWR | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
	return con;
}

int main(int argc, char **argv)
{
	struct amplink_proxy_host *h = NULL;
	char chan[128] = "", node[96] = "";
	bool ctrl_mode = argc > 1 && !strcmp(argv[1], "ctrl");
	int con, ctrl = -1, fd = -1, r = -1, served = -1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	con = px_prepare();
	if (con >= 0 && ctrl_mode) {
		ctrl = px_ctrl_channel(chan, sizeof(chan));
		if (chan[0])
			fd = px_open_chrdev(chan, false, node, sizeof(node));
	} else if (con >= 0 &&
		   px_find_channel("." AMPLINK_PROXY_SERVICE_NAME ".", chan, sizeof(chan)) == 0) {
		check("proxy_channel", 1, "%s", chan);
		fd = px_open_chrdev(chan, true, node, sizeof(node));
	} else {
		check("proxy_channel", 0, "no amplink-proxy device in " PX_SYSDEV);
	}
	check("proxy_chrdev", fd >= 0, "%s", fd >= 0 ? node : "no /dev/rpmsgN");
	if (fd >= 0 && amplink_proxy_host_create(PX_ROOT, con, con, -1, &h) == 0)
		r = amplink_proxy_host_attach_io(h, px_send, &fd, PX_MTU);
	if (fd >= 0)
		check("proxy_hello", r == 0, "attach_io %d", r);
	if (r == 0)
		served = px_serve(h, fd);
	px_judge(h, served);
	amplink_proxy_host_destroy(h);
	if (fd >= 0)
		close(fd);
	if (ctrl >= 0)
		close(ctrl);
	printf("GUEST DONE pass=%d fail=%d\n", n_pass, n_fail);
	return n_fail ? 1 : 0;
}
