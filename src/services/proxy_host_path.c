/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Path resolution of the proxy's host server: a path from the remote is
 * checked (no NUL byte, not absolute, no "..", bounded length: -EACCES or
 * -EINVAL, as issue 8 asks, never -ENAMETOOLONG), split into
 * directories and a last name, and opened beneath the proxy root. With
 * openat2(RESOLVE_BENEATH) the kernel follows a symlink that stays inside the
 * root and refuses one that leads out (EXDEV, answered -EACCES). Where the
 * kernel lacks openat2 the path is walked one component at a time with
 * O_NOFOLLOW, which refuses every symlink, inside ones too.
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

/*
 * Open @rel (a terminated relative path, "" = root) beneath the root with
 * openat2, host @flags and @mode. A kernel without openat2 is remembered, so
 * every later path is walked. Returns an fd, -ENOSYS or a negative errno.
 */
static int proxy_openat2(struct amplink_proxy_host *h, const char *rel, int flags, mode_t mode)
{
	struct open_how how;
	long fd;

	if (h->no_openat2)
		return -ENOSYS;
	memset(&how, 0, sizeof(how));
	how.flags = (uint64_t)(flags | O_CLOEXEC);
	how.mode = (flags & O_CREAT) ? mode : 0;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	fd = syscall(SYS_openat2, h->root_fd, rel[0] ? rel : ".", &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS) {
		h->no_openat2 = true;
		return -ENOSYS;
	}
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

int proxy_host_resolve(struct amplink_proxy_host *h, const uint8_t *path, uint32_t len,
		       struct proxy_host_path *p)
{
	char *last, none[1] = "";
	int ret;

	if (len == 0 || memchr(path, '\0', len))
		return -EINVAL;
	if (len > AMPLINK_PROXY_MAX_PATH)
		return -EINVAL;
	memcpy(p->rel, path, len);
	p->rel[len] = '\0';
	ret = proxy_check_components(p->rel);
	if (ret)
		return ret;
	proxy_normalise(p->rel);
	last = strrchr(p->rel, '/');
	strcpy(p->name, last ? last + 1 : p->rel);
	if (last)
		*last = '\0';
	ret = proxy_openat2(h, last ? p->rel : "", O_PATH | O_DIRECTORY, 0);
	if (ret == -ENOSYS)
		ret = proxy_open_dirs_walk(h, last ? p->rel : none);
	if (last)
		*last = '/';
	if (ret < 0)
		return ret;
	p->dirfd = ret;
	return 0;
}

int proxy_host_open(struct amplink_proxy_host *h, const struct proxy_host_path *p, int flags,
		    mode_t mode)
{
	const char *n = p->name[0] ? p->name : ".";
	int fd = proxy_openat2(h, p->rel, flags, mode);

	if (fd != -ENOSYS)
		return fd;
	fd = openat(p->dirfd, n, flags | O_NOFOLLOW | O_CLOEXEC, mode);
	return fd < 0 ? proxy_host_at_errno(p->dirfd, n, errno) : fd;
}
