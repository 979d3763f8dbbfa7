/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linux port of shared memory: POSIX shm objects opened by name (mode 0600,
 * created if absent), anonymous memfds for platforms that pass the fd to
 * another process, and mapping of an fd received from elsewhere. Each
 * mapping is an io region with phys = offset, released by its close op.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <metal/log.h>
#include <metal/shmem.h>
#include <metal/utilities.h>
#include "metal/port.h"

/* Longest POSIX shm name accepted, including the leading '/'. */
#define AMPLINK_SHMEM_NAME_MAX 255

/* One mapping: the io region handed out, with what is needed to unmap it. */
struct amplink_shmem_map {
	struct metal_io_region io;
	metal_phys_addr_t phys0;
	void *base;
	size_t len;
};

static void amplink_shmem_io_close(struct metal_io_region *io)
{
	struct amplink_shmem_map *map = metal_container_of(io, struct amplink_shmem_map, io);

	munmap(map->base, map->len);
	free(map);
}

/* Maps size bytes of fd read-write into a new region. Returns 0 or -errno. */
static int amplink_shmem_map(int fd, size_t size, struct metal_io_region **io)
{
	static const struct metal_io_ops ops = {.close = amplink_shmem_io_close};
	struct amplink_shmem_map *map;
	void *base;

	if (size == 0 || io == NULL)
		return -EINVAL;
	map = calloc(1, sizeof(*map));
	if (map == NULL)
		return -ENOMEM;
	base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (base == MAP_FAILED) {
		int err = errno;

		free(map);
		metal_err("shmem: mmap of %zu bytes failed (errno %d)\n", size, err);
		return -err;
	}
	map->base = base;
	map->len = size;
	map->phys0 = 0;
	metal_io_init(&map->io, base, &map->phys0, size, (unsigned int)-1, 0, &ops);
	*io = &map->io;
	return 0;
}

/* Grows the object behind fd to at least size bytes. Returns 0 or -errno. */
static int amplink_shmem_grow(int fd, size_t size)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return -errno;
	if ((uintmax_t)st.st_size >= (uintmax_t)size)
		return 0;
	if (ftruncate(fd, (off_t)size) != 0)
		return -errno;
	return 0;
}

int amplink_shmem_sys_open(const char *name, size_t size, struct metal_io_region **io)
{
	char path[AMPLINK_SHMEM_NAME_MAX + 1];
	size_t len;
	int fd, ret;

	if (name == NULL || io == NULL || size == 0)
		return -EINVAL;
	if (name[0] == '/')
		name++;
	len = strnlen(name, AMPLINK_SHMEM_NAME_MAX);
	if (len == 0 || len >= AMPLINK_SHMEM_NAME_MAX || strchr(name, '/') != NULL)
		return -EINVAL;
	path[0] = '/';
	memcpy(path + 1, name, len + 1);
	fd = shm_open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		ret = -errno;
		metal_err("shmem: shm_open %s failed (errno %d)\n", path, -ret);
		return ret;
	}
	ret = amplink_shmem_grow(fd, size);
	if (ret == 0)
		ret = amplink_shmem_map(fd, size, io);
	close(fd);
	return ret;
}

int amplink_shmem_create(const char *name, size_t size, int *fd, struct metal_io_region **io)
{
	int f, ret;

	if (fd == NULL || io == NULL || size == 0)
		return -EINVAL;
	f = memfd_create(name ? name : "amplink", MFD_CLOEXEC);
	if (f < 0)
		return -errno;
	if (fchmod(f, 0600) != 0 || ftruncate(f, (off_t)size) != 0) {
		ret = -errno;
		close(f);
		return ret;
	}
	ret = amplink_shmem_map(f, size, io);
	if (ret < 0) {
		close(f);
		return ret;
	}
	*fd = f;
	return 0;
}

int amplink_shmem_map_fd(int fd, size_t size, struct metal_io_region **io)
{
	struct stat st;

	if (fd < 0 || io == NULL || size == 0)
		return -EINVAL;
	if (fstat(fd, &st) != 0)
		return -errno;
	if ((uintmax_t)st.st_size < (uintmax_t)size) {
		metal_err("shmem: fd %d holds %jd bytes, %zu wanted\n", fd, (intmax_t)st.st_size,
			  size);
		return -EINVAL;
	}
	return amplink_shmem_map(fd, size, io);
}

void amplink_shmem_close(struct metal_io_region *io)
{
	if (io)
		metal_io_finish(io);
}
