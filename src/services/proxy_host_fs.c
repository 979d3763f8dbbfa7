/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The proxy host's file requests: open (wire flags and mode mapped to the
 * host's), close, read, write, lseek, fstat, unlink, mkdir, opendir, readdir
 * and closedir. Every body length is checked against what the opcode needs;
 * paths go through proxy_host_resolve and proxy_host_open, so nothing outside
 * the root is reachable (see proxy_host_path.c for the symlink rule).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <metal/log.h>

#include "services/proxy_host.h"

/* Host open flags of wire flags @w, or -1 when @w has unknown bits. */
static int proxy_map_flags(uint32_t w)
{
	static const int acc[] = {O_RDONLY, O_WRONLY, O_RDWR};
	int f;

	if ((w & ~AMPLINK_PROXY_O_ALL) || (w & AMPLINK_PROXY_O_ACCMODE) == 3u)
		return -1;
	f = acc[w & AMPLINK_PROXY_O_ACCMODE];
	f |= (w & AMPLINK_PROXY_O_CREAT) ? O_CREAT : 0;
	f |= (w & AMPLINK_PROXY_O_EXCL) ? O_EXCL : 0;
	f |= (w & AMPLINK_PROXY_O_TRUNC) ? O_TRUNC : 0;
	f |= (w & AMPLINK_PROXY_O_APPEND) ? O_APPEND : 0;
	return f;
}

/* Resolve a request path, logging a refusal. */
static int proxy_fs_resolve(struct amplink_proxy_host *h, const uint8_t *p, uint32_t n,
			    struct proxy_host_path *path)
{
	int ret = proxy_host_resolve(h, p, n, path);

	if (ret == -EACCES) /* -EINVAL is logged by the dispatcher */
		metal_log(METAL_LOG_WARNING, "proxy host: path leaving the root refused\n");
	return ret;
}

/*
 * Open the resolved path (or the root itself). Opened without blocking, and
 * only a regular file (or a directory when @flags asks for one) is kept: a
 * FIFO or device in the tree can never stall the host.
 */
static int proxy_fs_openat(struct amplink_proxy_host *h, const struct proxy_host_path *p, int flags,
			   mode_t mode)
{
	int fd = proxy_host_open(h, p, flags | O_NONBLOCK, mode);
	struct stat st;

	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) ||
	    fcntl(fd, F_SETFL, flags & O_APPEND) < 0) {
		close(fd);
		metal_log(METAL_LOG_WARNING, "proxy host: not a regular file or directory\n");
		return -EACCES;
	}
	return fd;
}

/* Open a path with host @flags and record it; @dir makes it a directory stream. */
static int32_t proxy_fs_open_path(struct amplink_proxy_host *h, const uint8_t *p, uint32_t n,
				  int flags, mode_t mode, bool dir)
{
	struct proxy_host_path path;
	DIR *d = NULL;
	int fd, ret;

	ret = proxy_fs_resolve(h, p, n, &path);
	if (ret)
		return ret;
	if (!dir && !path.name[0]) {
		close(path.dirfd);
		return -EISDIR;
	}
	fd = proxy_fs_openat(h, &path, flags, mode);
	close(path.dirfd);
	if (fd < 0)
		return fd;
	if (dir && !(d = fdopendir(fd))) {
		ret = -errno;
		close(fd);
		return ret;
	}
	ret = proxy_host_slot_new(h, fd, d);
	if (ret < 0) {
		if (d)
			closedir(d);
		else
			close(fd);
	}
	return ret;
}

static int32_t proxy_fs_open(struct amplink_proxy_host *h, const uint8_t *in, uint32_t n)
{
	int flags;

	if (n < 9)
		return -EINVAL;
	flags = proxy_map_flags(amplink_proxy_get32(in));
	if (flags < 0)
		return -EINVAL;
	return proxy_fs_open_path(h, in + 8, n - 8, flags,
				  (mode_t)(amplink_proxy_get32(in + 4) & PROXY_HOST_MODE_MASK),
				  false);
}

/* unlink or mkdir of a path. */
static int32_t proxy_fs_name_op(struct amplink_proxy_host *h, uint16_t op, const uint8_t *in,
				uint32_t n)
{
	struct proxy_host_path path;
	int ret;

	if (n < 5)
		return -EINVAL;
	ret = proxy_fs_resolve(h, in + 4, n - 4, &path);
	if (ret)
		return ret;
	if (!path.name[0])
		ret = -EACCES;		       /* the root itself */
	else if (op == AMPLINK_PROXY_OP_MKDIR) /* neither follows a last-name symlink */
		ret = mkdirat(path.dirfd, path.name,
			      (mode_t)(amplink_proxy_get32(in) & PROXY_HOST_MODE_MASK));
	else
		ret = unlinkat(path.dirfd, path.name, 0);
	if (ret < 0 && ret != -EACCES)
		ret = proxy_host_errno(errno);
	close(path.dirfd);
	return ret;
}

static int32_t proxy_fs_read(struct proxy_host_file *f, const uint8_t *in, uint8_t *out,
			     uint32_t cap, uint32_t *out_len)
{
	uint32_t want = amplink_proxy_get32(in + 4), done = 0;

	if (want > cap)
		return -EINVAL;
	while (done < want) {
		ssize_t r = read(f->fd, out + done, want - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return done ? (int32_t)done : -errno;
		if (r == 0)
			break;
		done += (uint32_t)r;
	}
	*out_len = done;
	return (int32_t)done;
}

static int32_t proxy_fs_write(struct proxy_host_file *f, const uint8_t *p, uint32_t n)
{
	uint32_t done = 0;

	while (done < n) {
		ssize_t w = write(f->fd, p + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return done ? (int32_t)done : -errno;
		done += (uint32_t)w;
	}
	return (int32_t)done;
}

static int32_t proxy_fs_lseek(struct proxy_host_file *f, const uint8_t *in, uint8_t *out,
			      uint32_t *out_len)
{
	static const int wh[] = {SEEK_SET, SEEK_CUR, SEEK_END};
	uint32_t w = amplink_proxy_get32(in + 12);
	off_t r;

	if (w > AMPLINK_PROXY_SEEK_END)
		return -EINVAL;
	r = lseek(f->fd, (off_t)(int64_t)amplink_proxy_get64(in + 4), wh[w]);
	if (r < 0)
		return -errno;
	amplink_proxy_put64(out, (uint64_t)r);
	*out_len = 8;
	return 0;
}

/* Wire type of a host st_mode / d_type. */
static uint32_t proxy_fs_type(mode_t m)
{
	if (S_ISREG(m))
		return AMPLINK_PROXY_T_REG;
	if (S_ISDIR(m))
		return AMPLINK_PROXY_T_DIR;
	if (S_ISCHR(m))
		return AMPLINK_PROXY_T_CHR;
	return AMPLINK_PROXY_T_OTHER;
}

static int32_t proxy_fs_fstat(struct proxy_host_file *f, uint8_t *out, uint32_t *out_len)
{
	struct stat st;

	if (fstat(f->fd, &st) < 0)
		return -errno;
	amplink_proxy_put64(out, (uint64_t)st.st_size);
	amplink_proxy_put32(out + 8, proxy_fs_type(st.st_mode));
	amplink_proxy_put32(out + 12, (uint32_t)(st.st_mode & 0777u));
	amplink_proxy_put64(out + 16, (uint64_t)st.st_mtime);
	*out_len = 24;
	return 0;
}

static int32_t proxy_fs_readdir(struct proxy_host_file *f, uint8_t *out, uint32_t *out_len)
{
	struct dirent *e;
	struct stat st;
	size_t n;

	do {
		errno = 0;
		e = readdir(f->dir);
	} while (e && (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")));
	if (!e)
		return errno ? -errno : 0;
	n = strnlen(e->d_name, AMPLINK_PROXY_NAME_MAX);
	if (fstatat(dirfd(f->dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		st.st_mode = 0;
	amplink_proxy_put32(out, proxy_fs_type(st.st_mode));
	memcpy(out + 4, e->d_name, n);
	*out_len = (uint32_t)(4 + n);
	return 1;
}

/* Requests on an open handle: exact body sizes, handle of the right kind. */
static int32_t proxy_fs_handle_op(struct amplink_proxy_host *h, uint16_t op, const uint8_t *in,
				  uint32_t n, uint8_t *out, uint32_t cap, uint32_t *out_len)
{
	bool dir = op == AMPLINK_PROXY_OP_READDIR || op == AMPLINK_PROXY_OP_CLOSEDIR;
	uint32_t need = op == AMPLINK_PROXY_OP_READ ? 8 : op == AMPLINK_PROXY_OP_LSEEK ? 16 : 4;
	struct proxy_host_file *f;

	if (op == AMPLINK_PROXY_OP_WRITE ? n < 4 : n != need)
		return -EINVAL;
	f = proxy_host_slot_get(h, amplink_proxy_get32(in), dir);
	if (!f)
		return -EBADF;
	switch (op) {
	case AMPLINK_PROXY_OP_READ:
		return proxy_fs_read(f, in, out, cap, out_len);
	case AMPLINK_PROXY_OP_WRITE:
		return proxy_fs_write(f, in + 4, n - 4);
	case AMPLINK_PROXY_OP_LSEEK:
		return proxy_fs_lseek(f, in, out, out_len);
	case AMPLINK_PROXY_OP_FSTAT:
		return proxy_fs_fstat(f, out, out_len);
	case AMPLINK_PROXY_OP_READDIR:
		return proxy_fs_readdir(f, out, out_len);
	default: /* CLOSE, CLOSEDIR */
		proxy_host_slot_close(f);
		return 0;
	}
}

int32_t proxy_host_fs_op(struct amplink_proxy_host *h, uint16_t op, const uint8_t *in,
			 uint32_t in_len, uint8_t *out, uint32_t cap, uint32_t *out_len)
{
	switch (op) {
	case AMPLINK_PROXY_OP_OPEN:
		return proxy_fs_open(h, in, in_len);
	case AMPLINK_PROXY_OP_OPENDIR:
		if (in_len < 5)
			return -EINVAL;
		return proxy_fs_open_path(h, in + 4, in_len - 4, O_RDONLY | O_DIRECTORY, 0, true);
	case AMPLINK_PROXY_OP_UNLINK:
	case AMPLINK_PROXY_OP_MKDIR:
		return proxy_fs_name_op(h, op, in, in_len);
	default:
		return proxy_fs_handle_op(h, op, in, in_len, out, cap, out_len);
	}
}
