/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Path resolution of the proxy's host server: a path from the remote is
 * checked (no NUL byte, not absolute, no "..", bounded length: -EACCES or
 * -EINVAL, as issue 8 asks, never -ENAMETOOLONG), split into
 * directories and a last name, and the directories are opened beneath the
 * proxy root with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) or, where
 * the kernel lacks openat2, one component at a time with O_NOFOLLOW.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <metal/log.h>

#include "services/proxy_host.h"

int proxy_host_errno(int err)
{
	if (err == EXDEV || err == ELOOP)
		return -EACCES; /* the kernel refused a way out of the root */
	return -err;
}

/* Open @dirs (a terminated relative path, "" = root) beneath the root with openat2. */
static int proxy_open_dirs_openat2(struct amplink_proxy_host *h, const char *dirs)
{
	struct open_how how;
	long fd;

	memset(&how, 0, sizeof(how));
	how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	fd = syscall(SYS_openat2, h->root_fd, dirs[0] ? dirs : ".", &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS)
		return -ENOSYS;
	return fd < 0 ? proxy_host_errno(errno) : (int)fd;
}

int proxy_host_at_errno(int dirfd, const char *comp, int err)
{
	struct stat st;

	if (err == ENOTDIR && fstatat(dirfd, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(st.st_mode))
		return -EACCES;
	return proxy_host_errno(err);
}

/* Open @dirs one component at a time, never following a symlink. */
static int proxy_open_dirs_walk(struct amplink_proxy_host *h, char *dirs)
{
	int cur = openat(h->root_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	char *comp = dirs, *slash;

	while (cur >= 0 && *comp) {
		int next;

		slash = strchr(comp, '/');
		if (slash)
			*slash = '\0';
		next = openat(cur, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0)
			next = proxy_host_at_errno(cur, comp, errno);
		close(cur);
		if (slash)
			*slash = '/';
		cur = next;
		comp = slash ? slash + 1 : comp + strlen(comp);
	}
	return cur;
}

/* Check each component of @p; returns 0 or the refusal. */
static int proxy_check_components(const char *p)
{
	const char *c = p;

	if (p[0] == '/')
		return -EACCES;
	while (*c) {
		size_t n = strcspn(c, "/");

		if (n == 2 && c[0] == '.' && c[1] == '.')
			return -EACCES;
		if (n > AMPLINK_PROXY_NAME_MAX)
			return -EINVAL;
		c += n;
		if (*c == '/')
			c++;
	}
	return 0;
}

/* Drop "." and empty components of @p in place ("a/./b//c" -> "a/b/c"). */
static void proxy_normalise(char *p)
{
	char *r = p, *w = p;

	while (*r) {
		size_t n = strcspn(r, "/");

		if (!(n == 0 || (n == 1 && r[0] == '.'))) {
			if (w != p)
				*w++ = '/';
			memmove(w, r, n);
			w += n;
		}
		r += n;
		if (*r == '/')
			r++;
	}
	*w = '\0';
}

int proxy_host_resolve(struct amplink_proxy_host *h, const uint8_t *path, uint32_t len, int *dirfd,
		       char name[AMPLINK_PROXY_NAME_MAX + 1])
{
	char buf[AMPLINK_PROXY_MAX_PATH + 1];
	char *last;
	int ret;

	if (len == 0 || memchr(path, '\0', len))
		return -EINVAL;
	if (len > AMPLINK_PROXY_MAX_PATH)
		return -EINVAL;
	memcpy(buf, path, len);
	buf[len] = '\0';
	ret = proxy_check_components(buf);
	if (ret)
		return ret;
	proxy_normalise(buf);
	last = strrchr(buf, '/');
	if (last) {
		*last = '\0';
		strcpy(name, last + 1);
	} else {
		strcpy(name, buf);
		buf[0] = '\0';
	}
	ret = h->no_openat2 ? -ENOSYS : proxy_open_dirs_openat2(h, buf);
	if (ret == -ENOSYS)
		ret = proxy_open_dirs_walk(h, buf);
	if (ret < 0)
		return ret;
	*dirfd = ret;
	return 0;
}
