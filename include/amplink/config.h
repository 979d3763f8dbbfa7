/*
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * amplink compile-time configuration.
 *
 * Every option lives here with its default, what it enables and what it
 * costs. A CMake build writes the chosen values into <amplink/config_build.h>
 * (mirrors of the AMPLINK_* CMake options); a build that does not use CMake
 * may define any AMPLINK_CFG_* macro on the compiler command line instead.
 * Anything left undefined gets the default below.
 */
#ifndef AMPLINK_CONFIG_H
#define AMPLINK_CONFIG_H

#if defined(__has_include)
#if __has_include(<amplink/config_build.h>)
#include <amplink/config_build.h>
#endif
#endif

/*
 * Operating-system port of the metal layer: AMPLINK_SYSTEM_LINUX (user space)
 * or AMPLINK_SYSTEM_GENERIC (bare metal). Chosen from the compiler's target
 * when not given.
 */
#if !defined(AMPLINK_SYSTEM_LINUX) && !defined(AMPLINK_SYSTEM_GENERIC)
#if defined(__linux__)
#define AMPLINK_SYSTEM_LINUX 1
#else
#define AMPLINK_SYSTEM_GENERIC 1
#endif
#endif

/*
 * Size in bytes of one RPMsg buffer (16-byte header + payload). Linux's
 * virtio_rpmsg_bus uses 512: keep it for wire compatibility with Linux.
 */
#ifndef AMPLINK_CFG_BUFFER_SIZE
#define AMPLINK_CFG_BUFFER_SIZE 512
#endif

/*
 * Upper bound on the buffers a host (driver role) allocates for one rpmsg
 * device, both directions together. Linux uses min(512, 2 * vring size).
 * Cost: AMPLINK_CFG_BUFFER_SIZE bytes of shared memory per buffer.
 */
#ifndef AMPLINK_CFG_BUFFER_COUNT
#define AMPLINK_CFG_BUFFER_COUNT 512
#endif

/*
 * Roles compiled in. The driver role (host: owns the buffers) and the device
 * role (remote: uses what the host posted). A remote-only firmware sets
 * AMPLINK_CFG_ROLE_DRIVER to 0 and saves the driver-side code.
 */
#ifndef AMPLINK_CFG_ROLE_DRIVER
#define AMPLINK_CFG_ROLE_DRIVER 1
#endif
#ifndef AMPLINK_CFG_ROLE_DEVICE
#define AMPLINK_CFG_ROLE_DEVICE 1
#endif

/*
 * Lean device profile: 1 = the standard calls a minimal Linux-compatible remote
 * makes (rproc_virtio_create_vdev / _init_vring / _wait_remote_ready /
 * _notified, rpmsg_init_vdev, rpmsg_create_ept / _destroy_ept,
 * rpmsg_send_offchannel_raw and the send / trysend wrappers) are served by a
 * small direct implementation (the *_lean.c files of src/): one vdev, device role, split
 * ring without chains or indirect tables, no dispatch tables, no locks (one
 * execution context), endpoints only at the dynamic addresses 1024 ..
 * 1024 + AMPLINK_CFG_MAX_ENDPOINTS - 1. Every peer-input check of the full path
 * stays. Everything else of the rpmsg / virtio / remoteproc API is absent and
 * fails to link (docs/bare-metal.md, "Lean profile"). Bare-metal builds only.
 * Saves about 6 KB of text on Cortex-M4 (docs/performance.md).
 */
#ifndef AMPLINK_CFG_LEAN_DEVICE
#define AMPLINK_CFG_LEAN_DEVICE 0
#endif

/*
 * Static allocation: 1 = no malloc is linked; objects come from fixed pools
 * sized by the AMPLINK_CFG_MAX_* options below. Default: dynamic on Linux,
 * static on bare metal.
 */
#ifndef AMPLINK_CFG_STATIC_ALLOC
#if defined(AMPLINK_SYSTEM_LINUX)
#define AMPLINK_CFG_STATIC_ALLOC 0
#else
#define AMPLINK_CFG_STATIC_ALLOC 1
#endif
#endif

/*
 * Static pools (used when AMPLINK_CFG_STATIC_ALLOC is 1). A vring larger than
 * AMPLINK_CFG_MAX_VRING_NUM is refused; each pooled virtqueue costs about
 * 20 bytes of RAM per descriptor (10 KB for 2 queues of 256): a firmware
 * whose resource table declares small vrings sets it to their size.
 */
#ifndef AMPLINK_CFG_MAX_VDEVS
#define AMPLINK_CFG_MAX_VDEVS 1 /* virtio devices */
#endif
#ifndef AMPLINK_CFG_MAX_VQS
#define AMPLINK_CFG_MAX_VQS 2 /* virtqueues */
#endif
#ifndef AMPLINK_CFG_MAX_VRING_NUM
#define AMPLINK_CFG_MAX_VRING_NUM 256 /* descriptors per virtqueue */
#endif

/*
 * Split-ring features VIRTIO_RING_F_EVENT_IDX (notification suppression by
 * index) and VIRTIO_RING_F_INDIRECT_DESC (indirect descriptor tables). 0 =
 * compiled out: a device that negotiated the feature then fails virtqueue
 * creation, and an indirect descriptor from the peer breaks the queue as
 * before. Cost when 1: about 100 (EVENT_IDX) and 200 (INDIRECT_DESC) bytes of
 * text on Cortex-M4. Default: 1 on Linux, 0 on bare metal.
 */
#ifndef AMPLINK_CFG_EVENT_IDX
#if defined(AMPLINK_SYSTEM_LINUX)
#define AMPLINK_CFG_EVENT_IDX 1
#else
#define AMPLINK_CFG_EVENT_IDX 0
#endif
#endif
#ifndef AMPLINK_CFG_INDIRECT_DESC
#if defined(AMPLINK_SYSTEM_LINUX)
#define AMPLINK_CFG_INDIRECT_DESC 1
#else
#define AMPLINK_CFG_INDIRECT_DESC 0
#endif
#endif

/*
 * Endpoints per rpmsg device with a dynamic address (RPMSG_ADDR_ANY), looked
 * up in O(1) through a direct index for 1024 .. 1024+N-1; endpoints at fixed
 * addresses are not counted. Cost: one pointer of RAM per slot in every
 * rpmsg device (4 KB at 1024 on a 32-bit target). Default: 1024 on Linux, 8
 * on bare metal.
 */
#ifndef AMPLINK_CFG_MAX_ENDPOINTS
#if defined(AMPLINK_SYSTEM_LINUX)
#define AMPLINK_CFG_MAX_ENDPOINTS 1024
#else
#define AMPLINK_CFG_MAX_ENDPOINTS 8
#endif
#endif

/*
 * Zero-copy API: rpmsg_get_tx_payload_buffer / rpmsg_send*_nocopy /
 * rpmsg_release_tx_buffer and rpmsg_hold_rx_buffer / rpmsg_release_rx_buffer.
 * 0 = compiled out: those calls fail with RPMSG_EOPNOTSUPP (NULL for the
 * buffer getter). Cost when 1: about 1 KB of text on Cortex-M4.
 */
#ifndef AMPLINK_CFG_RPMSG_ZERO_COPY
#define AMPLINK_CFG_RPMSG_ZERO_COPY 1
#endif

/*
 * Device role: TX buffers taken with rpmsg_get_tx_payload_buffer and given
 * back unsent are kept in a private stash (never in shared memory) until
 * reused. Capacity of that stash per device. Cost: 12 bytes of RAM per entry
 * on a 32-bit target.
 */
#ifndef AMPLINK_CFG_RPMSG_TX_STASH
#define AMPLINK_CFG_RPMSG_TX_STASH 8
#endif

/*
 * Capacity of the private receive backlog in messages (rpmsg_virtio_backlog.c):
 * what a sender waiting for a buffer inside a dispatch may copy out of the
 * receive ring so that the peer can go on. 0 disables it (then two peers that
 * both send from callbacks with every buffer used can stall until the send
 * times out) and removes its code. Dynamic builds allocate entries on demand;
 * static builds embed a pool of this many buffer-sized entries in each device
 * (cost: about AMPLINK_CFG_BUFFER_SIZE + 32 bytes of RAM per entry). Default:
 * 1024 with dynamic allocation, 0 with static allocation.
 */
#ifndef AMPLINK_CFG_RPMSG_BACKLOG_MAX
#if AMPLINK_CFG_STATIC_ALLOC
#define AMPLINK_CFG_RPMSG_BACKLOG_MAX 0
#else
#define AMPLINK_CFG_RPMSG_BACKLOG_MAX 1024
#endif
#endif

/*
 * remoteproc ELF loader limits: program headers, section headers and bytes of
 * section names an image may declare (more is refused as absurd). With static
 * allocation they also size the loader's static tables: phdrs * 56 +
 * shdrs * 64 + shstrtab bytes of RAM (2.4 KB with the static defaults).
 */
#ifndef AMPLINK_CFG_ELF_MAX_PHDRS
#if AMPLINK_CFG_STATIC_ALLOC
#define AMPLINK_CFG_ELF_MAX_PHDRS 16
#else
#define AMPLINK_CFG_ELF_MAX_PHDRS 128
#endif
#endif
#ifndef AMPLINK_CFG_ELF_MAX_SHDRS
#if AMPLINK_CFG_STATIC_ALLOC
#define AMPLINK_CFG_ELF_MAX_SHDRS 48
#else
#define AMPLINK_CFG_ELF_MAX_SHDRS 1024
#endif
#endif
#ifndef AMPLINK_CFG_ELF_MAX_SHSTRTAB
#if AMPLINK_CFG_STATIC_ALLOC
#define AMPLINK_CFG_ELF_MAX_SHSTRTAB 512
#else
#define AMPLINK_CFG_ELF_MAX_SHSTRTAB 65536
#endif
#endif

/*
 * Largest resource table remoteproc accepts (bytes); it is copied while
 * parsed, into a static buffer of this size with static allocation.
 */
#ifndef AMPLINK_CFG_RSC_TABLE_MAX
#if AMPLINK_CFG_STATIC_ALLOC
#define AMPLINK_CFG_RSC_TABLE_MAX 1024
#else
#define AMPLINK_CFG_RSC_TABLE_MAX 65536
#endif
#endif

/*
 * virtio-mmio transport: queues one transport instance holds (cost: about
 * 40 bytes per queue in struct amplink_virtio_mmio), and the bound on retried
 * register reads (configuration generation changes, reset completion polls).
 */
#ifndef AMPLINK_CFG_MMIO_MAX_VQS
#define AMPLINK_CFG_MMIO_MAX_VQS AMPLINK_CFG_MAX_VQS
#endif
#ifndef AMPLINK_CFG_MMIO_RETRIES
#define AMPLINK_CFG_MMIO_RETRIES 64
#endif

/*
 * Packed virtqueue format (VIRTIO_F_RING_PACKED). 0 = only the split format
 * is linked: a device that negotiated RING_PACKED then fails virtqueue
 * creation. Cost when 1: about 1.8 KB of text on Cortex-M4, linked through
 * the format table even when the peer never offers it. Default: 1 on Linux,
 * 0 on bare metal.
 */
#ifndef AMPLINK_CFG_PACKED_RING
#if defined(AMPLINK_SYSTEM_LINUX)
#define AMPLINK_CFG_PACKED_RING 1
#else
#define AMPLINK_CFG_PACKED_RING 0
#endif
#endif

/*
 * Cache maintenance (metal_cache_flush/invalidate) around shared-memory
 * accesses. 0 = memory is coherent (Linux user space, QEMU): the calls compile
 * to nothing. 1 = call the port's cache hooks.
 */
#ifndef AMPLINK_CFG_CACHE_MAINT
#define AMPLINK_CFG_CACHE_MAINT 0
#endif

/*
 * Statistics counters per device and per endpoint (messages and bytes each
 * way, drops by reason, buffer waits). Cost: a few counters per object and an
 * increment per message.
 */
#ifndef AMPLINK_CFG_STATS
#define AMPLINK_CFG_STATS 1
#endif

/*
 * Name service (VIRTIO_RPMSG_F_NS): announcements on endpoint create/destroy
 * and the bind/unbind callbacks.
 */
#ifndef AMPLINK_CFG_NS
#define AMPLINK_CFG_NS 1
#endif

/*
 * Log level compiled in: messages above it are removed at compile time
 * (0 = EMERGENCY .. 7 = DEBUG, the metal_log_level values). -1 removes all
 * logging code, which a footprint-critical firmware wants.
 */
#ifndef AMPLINK_CFG_LOG_LEVEL
#define AMPLINK_CFG_LOG_LEVEL 7
#endif

/*
 * Maximum interrupt lines the bare-metal port's irq table holds, and the
 * maximum file descriptors the Linux port's event loop watches.
 */
#ifndef AMPLINK_CFG_MAX_IRQS
#if defined(AMPLINK_SYSTEM_LINUX)
#define AMPLINK_CFG_MAX_IRQS 64
#else
#define AMPLINK_CFG_MAX_IRQS 8
#endif
#endif

#endif /* AMPLINK_CONFIG_H */
