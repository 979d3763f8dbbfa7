/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Named shared-memory regions. Regions registered with
 * metal_shmem_register_generic are found first by metal_shmem_open; on Linux
 * a name not registered opens (creating if absent) a POSIX shared-memory
 * object, so the same name in two processes maps the same memory. Linux also
 * has fd-based helpers for platforms that pass memory between processes.
 */
#ifndef METAL_SHMEM_H
#define METAL_SHMEM_H

#include <stddef.h>
#include <metal/io.h>
#include <metal/list.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A statically described shared-memory region known by name. */
struct metal_generic_shmem {
	const char *name;
	struct metal_io_region io;
	struct metal_list node;
};

/*
 * metal_shmem_register_generic - make shmem findable by its name. shmem must
 * stay valid until the program ends (there is no unregister). Not
 * thread-safe against concurrent registration. Returns 0, -EINVAL for a NULL
 * shmem/name, -EEXIST when the name is already registered.
 */
int metal_shmem_register_generic(struct metal_generic_shmem *shmem);

/*
 * metal_shmem_open_generic - find a registered region called name that holds
 * at least size bytes. Returns 0 and sets *result, -ENOENT when no region has
 * that name, -ENOMEM when it is smaller than size, -EINVAL for bad arguments.
 */
int metal_shmem_open_generic(const char *name, size_t size, struct metal_io_region **result);

/*
 * metal_shmem_open - open the shared memory called name, at least size bytes:
 * a registered region when there is one; on Linux otherwise the POSIX shm
 * object name (a leading '/' is added if missing; created with mode 0600 if
 * absent and grown to size) mapped read-write, physical address = offset.
 * Release with metal_io_finish(*io). May sleep. Returns 0 or a negative errno.
 */
int metal_shmem_open(const char *name, size_t size, struct metal_io_region **io);

#if defined(AMPLINK_SYSTEM_LINUX)
/*
 * amplink_shmem_create - create anonymous shared memory (memfd; name is only
 * a label), mode 0600, size bytes, mapped read-write. *fd is the caller's to
 * pass to another process and to close; *io has physmap {0} (phys = offset).
 * Returns 0 or a negative errno.
 */
int amplink_shmem_create(const char *name, size_t size, int *fd, struct metal_io_region **io);

/*
 * amplink_shmem_map_fd - map size bytes of fd (received from elsewhere)
 * read-write. The fd stays the caller's. Returns 0, -EINVAL when the object
 * is smaller than size, or a negative errno.
 */
int amplink_shmem_map_fd(int fd, size_t size, struct metal_io_region **io);

/*
 * amplink_shmem_close - unmap and free a region made by amplink_shmem_create,
 * amplink_shmem_map_fd or metal_shmem_open (same as metal_io_finish on it).
 * Does not close any fd.
 */
void amplink_shmem_close(struct metal_io_region *io);
#endif

#ifdef __cplusplus
}
#endif

#endif /* METAL_SHMEM_H */
