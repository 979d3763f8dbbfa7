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
/* (struct remoteproc, remoteproc_ops, remoteproc_* functions: to come.)   */

#ifdef __cplusplus
}
#endif

#endif /* OPENAMP_REMOTEPROC_H */
