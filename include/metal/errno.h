/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The standard errno names on every system. Where the C library has
 * <errno.h> it is used; freestanding builds get the names with Linux's values
 * (asm-generic/errno-base.h and errno.h), so a negative error code means the
 * same thing on both sides of a link.
 */
#ifndef METAL_ERRNO_H
#define METAL_ERRNO_H

#if defined(__has_include)
#if __has_include(<errno.h>)
#define METAL_HAVE_ERRNO_H 1
#endif
#endif

#if defined(METAL_HAVE_ERRNO_H)
#include <errno.h>
#else
#define EPERM		1
#define ENOENT		2
#define ESRCH		3
#define EINTR		4
#define EIO		5
#define ENXIO		6
#define E2BIG		7
#define ENOEXEC		8
#define EBADF		9
#define ECHILD		10
#define EAGAIN		11
#define ENOMEM		12
#define EACCES		13
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define ENOTDIR		20
#define EISDIR		21
#define EINVAL		22
#define ENFILE		23
#define EMFILE		24
#define ENOTTY		25
#define EFBIG		27
#define ENOSPC		28
#define ESPIPE		29
#define EROFS		30
#define EPIPE		32
#define EDOM		33
#define ERANGE		34
#define EDEADLK		35
#define ENAMETOOLONG	36
#define ENOSYS		38
#define ENOTEMPTY	39
#define ENOMSG		42
#define ENODATA		61
#define ETIME		62
#define EPROTO		71
#define EBADMSG		74
#define EOVERFLOW	75
#define EILSEQ		84
#define EMSGSIZE	90
#define EPROTONOSUPPORT 93
#define EOPNOTSUPP	95
#define ENOTSUP		EOPNOTSUPP
#define EADDRINUSE	98
#define ENOBUFS		105
#define EISCONN		106
#define ENOTCONN	107
#define ESHUTDOWN	108
#define ETIMEDOUT	110
#define ECONNREFUSED	111
#define EALREADY	114
#define EINPROGRESS	115
#define ECANCELED	125
#define EWOULDBLOCK	EAGAIN
#endif

#endif /* METAL_ERRNO_H */
