/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private parts of the proxy's Linux host server: the per-remote state (root
 * directory, table of open files and directories, console descriptors) and
 * the path resolution that keeps every request inside the proxy root.
 */
#ifndef AMPLINK_SRC_SERVICES_PROXY_HOST_H
#define AMPLINK_SRC_SERVICES_PROXY_HOST_H

#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>

#include <amplink/proxy.h>

/* One open file (fd >= 0, dir NULL) or directory (dir != NULL). */
struct proxy_host_file {
	int fd;
	DIR *dir;
	bool used;
};

struct amplink_proxy_host {
	struct amplink_proxy_server srv;
	int root_fd;
	int con_out, con_err, con_in;
	bool no_openat2; /* test hook: resolve by walking even where openat2 exists */
	struct proxy_host_file files[AMPLINK_PROXY_HOST_MAX_FILES];
};

/*
 * proxy_host_resolve - check the request path @path (@len bytes, not
 * terminated) and open its parent directory beneath the root without
 * following any symlink out of it. On success *@dirfd is the parent (the
 * caller closes it) and @name holds the last component ("" = the root
 * itself). Returns 0, -EINVAL (NUL byte, empty, too long), -EACCES
 * (absolute, "..", escapes the root) or another negative errno.
 */
int proxy_host_resolve(struct amplink_proxy_host *h, const uint8_t *path, uint32_t len, int *dirfd,
		       char name[AMPLINK_PROXY_NAME_MAX + 1]);

/* proxy_host_errno - the negative errno of a failed call, with escapes mapped to -EACCES. */
int proxy_host_errno(int err);

/*
 * proxy_host_at_errno - the negative errno of a failed *at() call on @comp in
 * @dirfd: -EACCES when @comp is a symlink (ENOTDIR from O_DIRECTORY) or the
 * kernel refused an escape, else -@err.
 */
int proxy_host_at_errno(int dirfd, const char *comp, int err);

/* proxy_host_fs_op - serve file request @op (server handler contract). */
int32_t proxy_host_fs_op(struct amplink_proxy_host *h, uint16_t op, const uint8_t *in,
			 uint32_t in_len, uint8_t *out, uint32_t cap, uint32_t *out_len);

/* proxy_host_slot_new - record @fd / @dir as a new handle. Returns it or -EMFILE. */
int proxy_host_slot_new(struct amplink_proxy_host *h, int fd, DIR *dir);

/* proxy_host_slot_get - the open entry of @handle of the right kind, or NULL. */
struct proxy_host_file *proxy_host_slot_get(struct amplink_proxy_host *h, uint32_t handle,
					    bool dir);

/* proxy_host_slot_close - close @f and free its entry. */
void proxy_host_slot_close(struct proxy_host_file *f);

#endif
