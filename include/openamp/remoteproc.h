/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Remote processor framework. This first part holds the resource table: the
 * packed structures of the ".resource_table" section (header, carveout,
 * devmem, trace, vdev and its vrings, vendor entries), their type numbers
 * and address constants, byte for byte as the remoteproc standard lays them
 * out (little-endian). The lifecycle API (struct remoteproc, remoteproc_*)
 * follows in its own section below.
 */
#ifndef OPENAMP_REMOTEPROC_H
#define OPENAMP_REMOTEPROC_H

#include <stdint.h>
#include <metal/compiler.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ==== Resource table ================================================== */

#define RSC_NOTIFY_ID_ANY   0xFFFFFFFFU
#define FW_RSC_U32_ADDR_ANY 0xFFFFFFFFUL
#define FW_RSC_U64_ADDR_ANY 0xFFFFFFFFFFFFFFFFUL
#define RPROC_MAX_NAME_LEN  32

/* Entry types. */
enum fw_resource_type {
	RSC_CARVEOUT = 0,
	RSC_DEVMEM = 1,
	RSC_TRACE = 2,
	RSC_VDEV = 3,
	RSC_LAST = 4,
	RSC_VENDOR_START = 128,
	RSC_VENDOR_END = 512,
};

/* Table header: ver (1), num entries, reserved, then num offsets. */
METAL_PACKED_BEGIN
struct resource_table {
	uint32_t ver;
	uint32_t num;
	uint32_t reserved[2];
	uint32_t offset[];
} METAL_PACKED_END;

/* Common start of every entry. */
METAL_PACKED_BEGIN
struct fw_rsc_hdr {
	uint32_t type;
	uint8_t data[];
} METAL_PACKED_END;

/* Physically contiguous memory the host allocates for the remote. */
METAL_PACKED_BEGIN
struct fw_rsc_carveout {
	uint32_t type;
	uint32_t da;
	uint32_t pa;
	uint32_t len;
	uint32_t flags;
	uint32_t reserved;
	uint8_t name[RPROC_MAX_NAME_LEN];
} METAL_PACKED_END;

/* A device memory range to map for the remote. */
METAL_PACKED_BEGIN
struct fw_rsc_devmem {
	uint32_t type;
	uint32_t da;
	uint32_t pa;
	uint32_t len;
	uint32_t flags;
	uint32_t reserved;
	uint8_t name[RPROC_MAX_NAME_LEN];
} METAL_PACKED_END;

/* The remote's trace (log) buffer. */
METAL_PACKED_BEGIN
struct fw_rsc_trace {
	uint32_t type;
	uint32_t da;
	uint32_t len;
	uint32_t reserved;
	uint8_t name[RPROC_MAX_NAME_LEN];
} METAL_PACKED_END;

/* One vring of a vdev entry. */
METAL_PACKED_BEGIN
struct fw_rsc_vdev_vring {
	uint32_t da;
	uint32_t align;
	uint32_t num;
	uint32_t notifyid;
	uint32_t reserved; /* the physical address (pa) on newer hosts */
} METAL_PACKED_END;

/* A virtio device: fixed part, vrings, then config_len bytes of config space. */
METAL_PACKED_BEGIN
struct fw_rsc_vdev {
	uint32_t type;
	uint32_t id;
	uint32_t notifyid;
	uint32_t dfeatures;
	uint32_t gfeatures;
	uint32_t config_len;
	uint8_t status;
	uint8_t num_of_vrings;
	uint8_t reserved[2];
	struct fw_rsc_vdev_vring vring[];
} METAL_PACKED_END;

/* A vendor-specific entry (types RSC_VENDOR_START..RSC_VENDOR_END). */
METAL_PACKED_BEGIN
struct fw_rsc_vendor {
	uint32_t type;
	uint32_t len;
} METAL_PACKED_END;

/* ==== Remote processor lifecycle ====================================== */
/* ---- remoteproc lifecycle (remoteproc core engineer) ----------------- */

#include <stddef.h>
#include <metal/io.h>
#include <metal/list.h>
#include <metal/mutex.h>
#include <metal/sys.h>

#define RPROC_EBASE		      0
#define RPROC_ENOMEM		      (RPROC_EBASE + 1)
#define RPROC_EINVAL		      (RPROC_EBASE + 2)
#define RPROC_ENODEV		      (RPROC_EBASE + 3)
#define RPROC_EAGAIN		      (RPROC_EBASE + 4)
#define RPROC_ERR_RSC_TAB_TRUNC	      (RPROC_EBASE + 5)
#define RPROC_ERR_RSC_TAB_VER	      (RPROC_EBASE + 6)
#define RPROC_ERR_RSC_TAB_RSVD	      (RPROC_EBASE + 7)
#define RPROC_ERR_RSC_TAB_VDEV_NRINGS (RPROC_EBASE + 9)
#define RPROC_ERR_RSC_TAB_NP	      (RPROC_EBASE + 10)
#define RPROC_ERR_RSC_TAB_NS	      (RPROC_EBASE + 11)
#define RPROC_ERR_LOADER_STATE	      (RPROC_EBASE + 12)
#define RPROC_EMAX		      (RPROC_EBASE + 16)
#define RPROC_EPTR		      (void *)(-1)
#define RPROC_EOF		      (void *)(-1)

/* Error pointers: a negative error code carried in a pointer value. */
static inline long RPROC_PTR_ERR(const void *ptr)
{
	return (long)(uintptr_t)ptr;
}

static inline int RPROC_IS_ERR(const void *ptr)
{
	return (uintptr_t)ptr >= (uintptr_t)(-4095L);
}

static inline void *RPROC_ERR_PTR(long error)
{
	return (void *)(uintptr_t)error;
}

/* Remote processor states (Linux sysfs names in amplink_remoteproc_state_name). */
enum remoteproc_state {
	RPROC_OFFLINE = 0,    /* powered off, not configured */
	RPROC_CONFIGURED = 1, /* configured, not ready to load */
	RPROC_READY = 2,      /* ready to load / start */
	RPROC_RUNNING = 3,    /* running */
	RPROC_SUSPENDED = 4,  /* suspended by the host */
	RPROC_ERROR = 5,      /* crashed or failed */
	RPROC_STOPPED = 6,    /* stopped, image still in memory */
	RPROC_LAST = 7,
};

struct remoteproc;
struct image_store_ops;
struct loader_ops;
struct virtio_device;

/* A memory region of the remote: device address, physical address, io. */
struct remoteproc_mem {
	metal_phys_addr_t da;
	metal_phys_addr_t pa;
	size_t size;
	char name[RPROC_MAX_NAME_LEN];
	struct metal_io_region *io;
	struct metal_list node;
};

/* What a platform provides. Only the ops a platform needs are non-NULL. */
struct remoteproc_ops {
	struct remoteproc *(*init)(struct remoteproc *rproc, const struct remoteproc_ops *ops,
				   void *arg);
	void (*remove)(struct remoteproc *rproc);
	void *(*mmap)(struct remoteproc *rproc, metal_phys_addr_t *pa, metal_phys_addr_t *da,
		      size_t size, unsigned int attribute, struct metal_io_region **io);
	int (*handle_rsc)(struct remoteproc *rproc, void *rsc, size_t len);
	int (*config)(struct remoteproc *rproc, void *data);
	int (*start)(struct remoteproc *rproc);
	int (*stop)(struct remoteproc *rproc);
	int (*shutdown)(struct remoteproc *rproc);
	int (*notify)(struct remoteproc *rproc, uint32_t id);
	struct remoteproc_mem *(*get_mem)(struct remoteproc *rproc, const char *name,
					  metal_phys_addr_t pa, metal_phys_addr_t da, void *va,
					  size_t size, struct remoteproc_mem *buf);
};

#ifndef AMPLINK_RPROC_FW_NAME_MAX
#define AMPLINK_RPROC_FW_NAME_MAX 128 /* longest firmware path kept for recovery */
#endif

/* amplink bookkeeping inside struct remoteproc (not part of the standard API). */
struct remoteproc_amplink {
	unsigned int machine; /* expected e_machine, 0 = any */
	unsigned int flags;   /* AMPLINK_RPROC_F_* (remoteproc.c) */
	void *config_data;    /* last remoteproc_config data, for recovery */
	void *store;	      /* last image store, for recovery */
	const struct image_store_ops *store_ops;
	char fw_name[AMPLINK_RPROC_FW_NAME_MAX];
	void *rsc_copy; /* parsed table while a load runs */
	size_t rsc_copy_len;
	size_t rsc_have;		   /* bytes of it collected (noblock) */
	size_t rsc_off;			   /* its file offset (noblock) */
	metal_phys_addr_t rsc_da;	   /* where the loaded image keeps the table */
	int load_phase;			   /* remoteproc_load_noblock progress */
	struct metal_io_region rsc_io_own; /* maps a table given outside known memory */
};

/* A remote processor. */
struct remoteproc {
	metal_mutex_t lock;
	void *rsc_table;
	size_t rsc_len;
	struct metal_io_region *rsc_io;
	struct metal_list mems;
	struct metal_list vdevs;
	unsigned long bitmap;
	const struct remoteproc_ops *ops;
	metal_phys_addr_t bootaddr;
	const struct loader_ops *loader;
	unsigned int state;
	void *priv;
	struct remoteproc_amplink amplink;
};

/**
 * remoteproc_init - initialize a remoteproc instance
 * @rproc: storage for the instance
 * @ops: platform operations (init is called with @priv)
 * @priv: platform data passed to ops->init
 *
 * Thread context. Returns @rproc (state RPROC_OFFLINE) or NULL on failure.
 */
struct remoteproc *remoteproc_init(struct remoteproc *rproc, const struct remoteproc_ops *ops,
				   void *priv);

/**
 * remoteproc_remove - release a remoteproc instance
 * @rproc: instance not running (OFFLINE, READY or STOPPED), no virtio device
 *
 * Calls ops->remove. Returns 0, -RPROC_EINVAL (NULL) or -RPROC_EAGAIN when
 * the remote is running, suspended or crashed, or has virtio devices.
 */
int remoteproc_remove(struct remoteproc *rproc);

/**
 * remoteproc_init_mem - fill in a memory descriptor
 * @mem: descriptor; @name: up to RPROC_MAX_NAME_LEN-1 characters (or NULL)
 * @pa, @da, @size: its physical and device address and size
 * @io: the io region that maps it
 */
void remoteproc_init_mem(struct remoteproc_mem *mem, const char *name, metal_phys_addr_t pa,
			 metal_phys_addr_t da, size_t size, struct metal_io_region *io);

/**
 * remoteproc_add_mem - make a memory region known to @rproc
 *
 * Takes the rproc lock. The descriptor must stay valid until removal.
 */
void remoteproc_add_mem(struct remoteproc *rproc, struct remoteproc_mem *mem);

/* remoteproc_get_io_with_name - io region of the memory named @name, or NULL. */
struct metal_io_region *remoteproc_get_io_with_name(struct remoteproc *rproc, const char *name);

/* remoteproc_get_io_with_pa - io region holding physical address @pa, or NULL. */
struct metal_io_region *remoteproc_get_io_with_pa(struct remoteproc *rproc, metal_phys_addr_t pa);

/*
 * remoteproc_get_io_with_da - io region holding device address @da, or NULL;
 * *offset receives the offset of @da in that region.
 */
struct metal_io_region *remoteproc_get_io_with_da(struct remoteproc *rproc, metal_phys_addr_t da,
						  unsigned long *offset);

/* remoteproc_get_io_with_va - io region holding virtual address @va, or NULL. */
struct metal_io_region *remoteproc_get_io_with_va(struct remoteproc *rproc, void *va);

/**
 * remoteproc_mmap - map remote memory into the host's address space
 * @pa, @da: in/out addresses (NULL or METAL_BAD_PHYS = unknown, filled in)
 * @size: bytes that must all lie in one region
 * @attribute: platform-defined attributes
 * @io: out: the io region (may be NULL)
 *
 * Looks in the known memories first, then asks ops->mmap. Takes no lock
 * (lifecycle calls run it under the rproc lock; the mmap op may call
 * remoteproc_add_mem). Returns the virtual address of the start, or NULL.
 */
void *remoteproc_mmap(struct remoteproc *rproc, metal_phys_addr_t *pa, metal_phys_addr_t *da,
		      size_t size, unsigned int attribute, struct metal_io_region **io);

/**
 * remoteproc_set_rsc_table - use a resource table already in memory
 * @rsc_table: the table, inside memory known to @rproc (or any memory)
 * @rsc_size: its size
 *
 * Validates and parses it (handle_rsc_table). Takes the rproc lock.
 * Returns 0 or a negative error.
 */
int remoteproc_set_rsc_table(struct remoteproc *rproc, struct resource_table *rsc_table,
			     size_t rsc_size);

/**
 * remoteproc_config - configure the remote (RPROC_OFFLINE -> RPROC_READY)
 *
 * Calls ops->config(rproc, data). Takes the rproc lock.
 * Returns 0 or a negative error (-AMPLINK_RPROC_ERR_STATE when not offline).
 */
int remoteproc_config(struct remoteproc *rproc, void *data);

/**
 * remoteproc_start - start the remote (RPROC_READY or STOPPED -> RUNNING)
 *
 * Returns 0 or a negative error.
 */
int remoteproc_start(struct remoteproc *rproc);

/**
 * remoteproc_stop - stop a running, suspended or crashed remote (-> STOPPED)
 *
 * Returns 0 (also when already stopped/offline) or a negative error.
 */
int remoteproc_stop(struct remoteproc *rproc);

/**
 * remoteproc_shutdown - stop the remote and release what load set up
 *
 * Stops it if needed, calls ops->shutdown, removes the virtio devices still
 * created from the table (deinitialize rpmsg on them first) and forgets the
 * resource table. State afterwards: RPROC_OFFLINE. Returns 0 or a negative
 * error (the platform's; the state is then unchanged).
 */
int remoteproc_shutdown(struct remoteproc *rproc);

/**
 * remoteproc_load - load a firmware image (state must be RPROC_READY)
 * @path: image name for @store_ops->open
 * @store, @store_ops: where the image is read from
 * @img_info: NULL, or receives the loader's image information (the caller
 *            then releases it with rproc->loader->release)
 *
 * Refused with -RPROC_EAGAIN while virtio devices made from the current
 * table exist. Validates all headers, parses the resource table, places every segment,
 * zero-fills the rest of each segment, copies the parsed table into the
 * loaded image and sets rproc->bootaddr. May sleep (store and platform ops).
 * Returns 0 or a negative error; on error nothing is left mapped as table.
 */
int remoteproc_load(struct remoteproc *rproc, const char *path, void *store,
		    const struct image_store_ops *store_ops, void **img_info);

/**
 * remoteproc_load_noblock - load an image step by step through a window
 * @img_data, @offset, @len: the bytes the previous call asked for (or the
 *             image's first bytes on the first call, with *img_info NULL)
 * @img_info: in/out loader state (NULL at the first call)
 * @pa, @io: out: where to copy the next data; METAL_BAD_PHYS / NULL when the
 *           next bytes are to be passed in @img_data on the next call
 * @noffset, @nlen: out: file offset and length of the next bytes
 * @nmlen: out: memory size of the segment (fill [nlen, nmlen) with @padding)
 * @padding: out: fill byte
 *
 * Loading is complete when it returns 0 with *nlen == 0 and *nmlen == 0;
 * rproc->bootaddr is then set and *img_info released (set to NULL). A caller
 * that knows the image length may pass it with amplink_elf_set_image_len
 * after the first call, for the beyond-end-of-file checks.
 * Returns 0 or a negative error (the image information is released).
 */
int remoteproc_load_noblock(struct remoteproc *rproc, const void *img_data, size_t offset,
			    size_t len, void **img_info, metal_phys_addr_t *pa,
			    struct metal_io_region **io, size_t *noffset, size_t *nlen,
			    size_t *nmlen, unsigned char *padding);

/**
 * remoteproc_allocate_id - reserve a notification id in [@start, @end)
 * @end: RSC_NOTIFY_ID_ANY for "up to the bitmap's size"
 *
 * Returns the id, or RSC_NOTIFY_ID_ANY when none is free.
 */
unsigned int remoteproc_allocate_id(struct remoteproc *rproc, unsigned int start, unsigned int end);

/**
 * remoteproc_create_virtio - create a virtio device from vdev entry @vdev_id
 * @role: VIRTIO_DEV_DRIVER (host) or VIRTIO_DEV_DEVICE (remote)
 * @rst_cb: reset callback passed to the virtio layer
 *
 * For the host, vrings whose da is FW_RSC_U32_ADDR_ANY are allocated through
 * the mmap op and their addresses written back into the table.
 * Returns the device, or NULL.
 */
struct virtio_device *remoteproc_create_virtio(struct remoteproc *rproc, int vdev_id,
					       unsigned int role,
					       void (*rst_cb)(struct virtio_device *vdev));

/* remoteproc_remove_virtio - destroy a device from remoteproc_create_virtio. */
void remoteproc_remove_virtio(struct remoteproc *rproc, struct virtio_device *vdev);

/**
 * remoteproc_get_notification - a kick with id @notifyid arrived
 *
 * Runs the callbacks of the matching vrings of every virtio device
 * (RSC_NOTIFY_ID_ANY: all). Takes no lock (it may run where the kick is
 * delivered); it must not run concurrently with remoteproc_create_virtio or
 * remoteproc_remove_virtio. Returns 0 when some vring matched, else a
 * negative error.
 */
int remoteproc_get_notification(struct remoteproc *rproc, uint32_t notifyid);
/* ---- end of remoteproc lifecycle ------------------------------------- */

#ifdef __cplusplus
}
#endif

#endif /* OPENAMP_REMOTEPROC_H */
