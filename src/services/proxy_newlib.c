/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Retargeting of newlib's system calls onto the proxy client (bare-metal
 * remotes built with arm-none-eabi and newlib): after
 * amplink_proxy_newlib_attach(client), printf/fopen on the remote use the
 * host's console and files. Descriptors 0-2 are the console; a host file
 * handle h is descriptor h + 3. Flags and modes are mapped from newlib's
 * <fcntl.h>/<sys/stat.h> to the wire, never passed raw. This object defines
 * _open, _close, _read, _write, _lseek, _fstat and _isatty, so it must not be
 * linked together with another implementation of them (libnosys is fine: its
 * definitions are only used when no other object provides them).
 * AMPLINK_PROXY_NEWLIB_NAME lets a host test build the same code under other
 * names.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <amplink/proxy.h>

#ifndef AMPLINK_PROXY_NEWLIB_NAME
#define AMPLINK_PROXY_NEWLIB_NAME(n) n
#endif

#define PROXY_FD0 3 /* first descriptor of a host file */

static struct amplink_proxy_client *proxy_nl_client;

void amplink_proxy_newlib_attach(struct amplink_proxy_client *c)
{
	proxy_nl_client = c;
}

/* The usual system-call return: @ret when >= 0, else errno = -@ret and -1. */
static long proxy_nl_ret(long ret)
{
	if (ret >= 0)
		return ret;
	errno = (int)-ret;
	return -1;
}

/* Wire open flags of newlib @flags. */
static uint32_t proxy_nl_flags(int flags)
{
	uint32_t w;

	switch (flags & O_ACCMODE) {
	case O_WRONLY:
		w = AMPLINK_PROXY_O_WRONLY;
		break;
	case O_RDWR:
		w = AMPLINK_PROXY_O_RDWR;
		break;
	default:
		w = AMPLINK_PROXY_O_RDONLY;
		break;
	}
	w |= (flags & O_CREAT) ? AMPLINK_PROXY_O_CREAT : 0u;
	w |= (flags & O_EXCL) ? AMPLINK_PROXY_O_EXCL : 0u;
	w |= (flags & O_TRUNC) ? AMPLINK_PROXY_O_TRUNC : 0u;
	w |= (flags & O_APPEND) ? AMPLINK_PROXY_O_APPEND : 0u;
	return w;
}

int AMPLINK_PROXY_NEWLIB_NAME(_open)(const char *path, int flags, int mode);
int AMPLINK_PROXY_NEWLIB_NAME(_open)(const char *path, int flags, int mode)
{
	long ret = -EIO;

	if (proxy_nl_client)
		ret = amplink_proxy_open(proxy_nl_client, path, proxy_nl_flags(flags),
					 (uint32_t)mode & 0777u);
	return (int)proxy_nl_ret(ret < 0 ? ret : ret + PROXY_FD0);
}

int AMPLINK_PROXY_NEWLIB_NAME(_close)(int fd);
int AMPLINK_PROXY_NEWLIB_NAME(_close)(int fd)
{
	if (fd >= 0 && fd < PROXY_FD0)
		return 0;
	if (!proxy_nl_client || fd < 0)
		return (int)proxy_nl_ret(-EBADF);
	return (int)proxy_nl_ret(amplink_proxy_close(proxy_nl_client, fd - PROXY_FD0));
}

int AMPLINK_PROXY_NEWLIB_NAME(_read)(int fd, char *buf, int len);
int AMPLINK_PROXY_NEWLIB_NAME(_read)(int fd, char *buf, int len)
{
	if (!proxy_nl_client || fd < 0 || len < 0)
		return (int)proxy_nl_ret(fd < 0 ? -EBADF : -EIO);
	if (fd == STDIN_FILENO)
		return (int)proxy_nl_ret(
			amplink_proxy_console_read(proxy_nl_client, buf, (size_t)len));
	if (fd < PROXY_FD0)
		return (int)proxy_nl_ret(-EBADF);
	return (int)proxy_nl_ret(
		amplink_proxy_read(proxy_nl_client, fd - PROXY_FD0, buf, (size_t)len));
}

int AMPLINK_PROXY_NEWLIB_NAME(_write)(int fd, const char *buf, int len);
int AMPLINK_PROXY_NEWLIB_NAME(_write)(int fd, const char *buf, int len)
{
	if (fd < 0 || len < 0)
		return (int)proxy_nl_ret(-EBADF);
	if (fd == STDOUT_FILENO || fd == STDERR_FILENO) {
		if (!proxy_nl_client)
			return len; /* no console yet: dropped */
		return (int)proxy_nl_ret(amplink_proxy_console_write(
			proxy_nl_client,
			fd == STDOUT_FILENO ? AMPLINK_PROXY_STDOUT : AMPLINK_PROXY_STDERR, buf,
			(size_t)len));
	}
	if (!proxy_nl_client || fd < PROXY_FD0)
		return (int)proxy_nl_ret(-EBADF);
	return (int)proxy_nl_ret(
		amplink_proxy_write(proxy_nl_client, fd - PROXY_FD0, buf, (size_t)len));
}

int AMPLINK_PROXY_NEWLIB_NAME(_lseek)(int fd, int off, int whence);
int AMPLINK_PROXY_NEWLIB_NAME(_lseek)(int fd, int off, int whence)
{
	uint32_t w = whence == SEEK_CUR	  ? AMPLINK_PROXY_SEEK_CUR
		     : whence == SEEK_END ? AMPLINK_PROXY_SEEK_END
					  : AMPLINK_PROXY_SEEK_SET;
	long long ret;

	if (fd >= 0 && fd < PROXY_FD0)
		return (int)proxy_nl_ret(-ESPIPE);
	if (!proxy_nl_client || fd < 0)
		return (int)proxy_nl_ret(-EBADF);
	if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END)
		return (int)proxy_nl_ret(-EINVAL);
	ret = amplink_proxy_lseek(proxy_nl_client, fd - PROXY_FD0, off, w);
	if (ret > 0x7fffffffLL)
		return (int)proxy_nl_ret(-EOVERFLOW);
	return (int)proxy_nl_ret((long)ret);
}

int AMPLINK_PROXY_NEWLIB_NAME(_fstat)(int fd, struct stat *st);
int AMPLINK_PROXY_NEWLIB_NAME(_fstat)(int fd, struct stat *st)
{
	struct amplink_proxy_stat ps;
	int ret;

	if (!st || fd < 0)
		return (int)proxy_nl_ret(-EBADF);
	if (fd < PROXY_FD0) {
		st->st_mode = S_IFCHR;
		return 0;
	}
	if (!proxy_nl_client)
		return (int)proxy_nl_ret(-EBADF);
	ret = amplink_proxy_fstat(proxy_nl_client, fd - PROXY_FD0, &ps);
	if (ret < 0)
		return (int)proxy_nl_ret(ret);
	st->st_size = (off_t)ps.size;
	st->st_mode = (mode_t)(ps.mode | (ps.type == AMPLINK_PROXY_T_DIR   ? S_IFDIR
					  : ps.type == AMPLINK_PROXY_T_CHR ? S_IFCHR
									   : S_IFREG));
	return 0;
}

int AMPLINK_PROXY_NEWLIB_NAME(_isatty)(int fd);
int AMPLINK_PROXY_NEWLIB_NAME(_isatty)(int fd)
{
	if (fd >= 0 && fd < PROXY_FD0)
		return 1;
	errno = ENOTTY;
	return 0;
}
