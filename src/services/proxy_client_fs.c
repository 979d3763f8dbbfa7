/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The proxy client's file and console calls: each builds its request body
 * (little-endian fields, then a path or data), runs amplink_proxy_call and
 * decodes the reply. Reads and writes larger than one request's limit are
 * split into several requests. Bodies: docs/proxy.md.
 */
#include <amplink/libc.h>
#include <amplink/proxy.h>
#include <metal/errno.h>

/* Length of @path if acceptable for a request, else a negative errno. */
static int proxy_path_len(const char *path)
{
	size_t n;

	if (!path)
		return -EINVAL;
	n = strnlen(path, AMPLINK_PROXY_MAX_PATH + 1);
	if (n > AMPLINK_PROXY_MAX_PATH)
		return -EINVAL;
	return (int)n;
}

/* A request of one 32-bit field followed by @path. */
static int proxy_path_call(struct amplink_proxy_client *c, uint16_t op, uint32_t arg,
			   const char *path)
{
	uint8_t a[4];
	int n = proxy_path_len(path);

	if (n < 0)
		return n;
	amplink_proxy_put32(a, arg);
	return amplink_proxy_call(c, op, a, sizeof(a), path, (uint32_t)n, NULL, 0, NULL);
}

/* A request of one 32-bit field and nothing else. */
static int proxy_fd_call(struct amplink_proxy_client *c, uint16_t op, int fd)
{
	uint8_t a[4];

	amplink_proxy_put32(a, (uint32_t)fd);
	return amplink_proxy_call(c, op, a, sizeof(a), NULL, 0, NULL, 0, NULL);
}

int amplink_proxy_open(struct amplink_proxy_client *c, const char *path, uint32_t flags,
		       uint32_t mode)
{
	uint8_t a[8];
	int n = proxy_path_len(path);

	if (n < 0)
		return n;
	amplink_proxy_put32(a, flags);
	amplink_proxy_put32(a + 4, mode);
	return amplink_proxy_call(c, AMPLINK_PROXY_OP_OPEN, a, sizeof(a), path, (uint32_t)n, NULL,
				  0, NULL);
}

int amplink_proxy_close(struct amplink_proxy_client *c, int fd)
{
	return proxy_fd_call(c, AMPLINK_PROXY_OP_CLOSE, fd);
}

/* One READ request of at most AMPLINK_PROXY_MAX_DATA bytes. */
static int proxy_read_chunk(struct amplink_proxy_client *c, uint16_t op, uint32_t first, void *buf,
			    uint32_t n)
{
	uint8_t a[8];
	uint32_t got = 0;
	int ret;

	amplink_proxy_put32(a, first);
	amplink_proxy_put32(a + 4, n);
	ret = amplink_proxy_call(c, op, a, sizeof(a), NULL, 0, buf, n, &got);
	if (ret < 0)
		return ret;
	return (int)got;
}

long amplink_proxy_read(struct amplink_proxy_client *c, int fd, void *buf, size_t len)
{
	uint8_t *p = buf;
	size_t done = 0;

	if (!buf && len)
		return -EINVAL;
	while (done < len) {
		uint32_t n = len - done > AMPLINK_PROXY_MAX_DATA ? AMPLINK_PROXY_MAX_DATA
								 : (uint32_t)(len - done);
		int got = proxy_read_chunk(c, AMPLINK_PROXY_OP_READ, (uint32_t)fd, p + done, n);

		if (got < 0)
			return done ? (long)done : got;
		done += (size_t)got;
		if ((uint32_t)got < n)
			break; /* end of file */
	}
	return (long)done;
}

/* Send @len bytes in WRITE-like requests of op @op with first field @first. */
static long proxy_write_chunks(struct amplink_proxy_client *c, uint16_t op, uint32_t first,
			       const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t done = 0;
	uint8_t a[4];

	if (!buf && len)
		return -EINVAL;
	amplink_proxy_put32(a, first);
	do {
		uint32_t n = len - done > AMPLINK_PROXY_MAX_DATA ? AMPLINK_PROXY_MAX_DATA
								 : (uint32_t)(len - done);
		int ret = amplink_proxy_call(c, op, a, sizeof(a), p + done, n, NULL, 0, NULL);

		if (ret < 0)
			return done ? (long)done : ret;
		done += (size_t)ret;
		if ((uint32_t)ret < n)
			break;
	} while (done < len);
	return (long)done;
}

long amplink_proxy_write(struct amplink_proxy_client *c, int fd, const void *buf, size_t len)
{
	return proxy_write_chunks(c, AMPLINK_PROXY_OP_WRITE, (uint32_t)fd, buf, len);
}

long long amplink_proxy_lseek(struct amplink_proxy_client *c, int fd, long long off,
			      uint32_t whence)
{
	uint8_t a[16], out[8];
	uint32_t got = 0;
	int ret;

	amplink_proxy_put32(a, (uint32_t)fd);
	amplink_proxy_put64(a + 4, (uint64_t)off);
	amplink_proxy_put32(a + 12, whence);
	ret = amplink_proxy_call(c, AMPLINK_PROXY_OP_LSEEK, a, sizeof(a), NULL, 0, out, sizeof(out),
				 &got);
	if (ret < 0)
		return ret;
	if (got != sizeof(out))
		return -EIO;
	return (long long)amplink_proxy_get64(out);
}

int amplink_proxy_fstat(struct amplink_proxy_client *c, int fd, struct amplink_proxy_stat *st)
{
	uint8_t a[4], out[24];
	uint32_t got = 0;
	int ret;

	if (!st)
		return -EINVAL;
	amplink_proxy_put32(a, (uint32_t)fd);
	ret = amplink_proxy_call(c, AMPLINK_PROXY_OP_FSTAT, a, sizeof(a), NULL, 0, out, sizeof(out),
				 &got);
	if (ret < 0)
		return ret;
	if (got != sizeof(out))
		return -EIO;
	st->size = amplink_proxy_get64(out);
	st->type = amplink_proxy_get32(out + 8);
	st->mode = amplink_proxy_get32(out + 12);
	st->mtime = amplink_proxy_get64(out + 16);
	return 0;
}

int amplink_proxy_unlink(struct amplink_proxy_client *c, const char *path)
{
	return proxy_path_call(c, AMPLINK_PROXY_OP_UNLINK, 0, path);
}

int amplink_proxy_mkdir(struct amplink_proxy_client *c, const char *path, uint32_t mode)
{
	return proxy_path_call(c, AMPLINK_PROXY_OP_MKDIR, mode, path);
}

int amplink_proxy_opendir(struct amplink_proxy_client *c, const char *path)
{
	return proxy_path_call(c, AMPLINK_PROXY_OP_OPENDIR, 0, path);
}

int amplink_proxy_readdir(struct amplink_proxy_client *c, int dd, struct amplink_proxy_dirent *de)
{
	uint8_t a[4], out[4 + AMPLINK_PROXY_NAME_MAX];
	uint32_t got = 0;
	int ret;

	if (!de)
		return -EINVAL;
	amplink_proxy_put32(a, (uint32_t)dd);
	ret = amplink_proxy_call(c, AMPLINK_PROXY_OP_READDIR, a, sizeof(a), NULL, 0, out,
				 sizeof(out), &got);
	if (ret <= 0)
		return ret; /* 0: end of the directory */
	if (got < 5)
		return -EIO;
	de->type = amplink_proxy_get32(out);
	memcpy(de->name, out + 4, got - 4);
	de->name[got - 4] = '\0';
	return 1;
}

int amplink_proxy_closedir(struct amplink_proxy_client *c, int dd)
{
	return proxy_fd_call(c, AMPLINK_PROXY_OP_CLOSEDIR, dd);
}

long amplink_proxy_console_write(struct amplink_proxy_client *c, uint32_t stream, const void *buf,
				 size_t len)
{
	return proxy_write_chunks(c, AMPLINK_PROXY_OP_CONSOLE_WRITE, stream, buf, len);
}

long amplink_proxy_console_read(struct amplink_proxy_client *c, void *buf, size_t len)
{
	uint32_t n = len > AMPLINK_PROXY_MAX_DATA ? AMPLINK_PROXY_MAX_DATA : (uint32_t)len;

	if (!buf && len)
		return -EINVAL;
	return proxy_read_chunk(c, AMPLINK_PROXY_OP_CONSOLE_READ, AMPLINK_PROXY_STDIN, buf, n);
}
