/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private parts of the proxy's Linux host server: the per-remote state (root
 * directory, table of open files and directories, console descriptors) and
 * the path resolution that keeps every request inside the proxy root.
 */
#ifndef AMPLINK_SRC_SERVICES_PROXY_HOST_H
#define AMPLINK_SRC_SERVICES_PROXY_HOST_H

/*
 * Permission bits a remote may ask for when it creates a file or directory:
 * the host user's own bits only. What the proxy creates is private to the user
 * running the host (the remote is not trusted to make files others can read).
 */
#define PROXY_HOST_MODE_MASK 0700u

#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

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
	bool no_openat2; /* walk: the kernel lacks openat2, or the test hook asked */
	struct proxy_host_file files[AMPLINK_PROXY_HOST_MAX_FILES];
};

/* A request path, checked and resolved beneath the root. */
struct proxy_host_path {
	int dirfd;			       /* its parent directory (the caller closes it) */
	char name[AMPLINK_PROXY_NAME_MAX + 1]; /* the last component, "" = the root */
	char rel[AMPLINK_PROXY_MAX_PATH + 1];  /* the whole path, normalised, "" = the root */
};

/*
 * proxy_host_resolve - check the request path @path (@len bytes, not
 * terminated), normalise it into @p and open its parent directory beneath
 * the root (inside symlinks followed with openat2, none by the walk).
 * Returns 0 (@p->dirfd open), -EINVAL (NUL byte, empty, too long), -EACCES
 * (absolute, "..", escapes the root) or another negative errno.
 */
int proxy_host_resolve(struct amplink_proxy_host *h, const uint8_t *path, uint32_t len,
		       struct proxy_host_path *p);

/*
 * proxy_host_open - open the resolved path @p with host @flags (and @mode
 * when creating): with openat2 the whole path from the root, following a
 * symlink only while it stays beneath the root; else the last name in
 * @p->dirfd with O_NOFOLLOW. Returns an fd or a negative errno (-EACCES for
 * a way out of the root, or any symlink when walking).
 */
int proxy_host_open(struct amplink_proxy_host *h, const struct proxy_host_path *p, int flags,
		    mode_t mode);

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

/* proxy_host_handler - the server's request handler of a host (server handler contract). */
int32_t proxy_host_handler(struct amplink_proxy_server *s, uint16_t op, const uint8_t *in,
			   uint32_t in_len, uint8_t *out, uint32_t cap, uint32_t *out_len);

/* proxy_host_gone - the server's @gone hook of a host: close every file of the remote. */
void proxy_host_gone(struct amplink_proxy_server *s);

/* proxy_host_slot_new - record @fd / @dir as a new handle. Returns it or -EMFILE. */
int proxy_host_slot_new(struct amplink_proxy_host *h, int fd, DIR *dir);

/* proxy_host_slot_get - the open entry of @handle of the right kind, or NULL. */
struct proxy_host_file *proxy_host_slot_get(struct amplink_proxy_host *h, uint32_t handle,
					    bool dir);

/* proxy_host_slot_close - close @f and free its entry. */
void proxy_host_slot_close(struct proxy_host_file *f);

#endif
