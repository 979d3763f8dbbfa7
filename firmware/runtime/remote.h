/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The firmware runtime shared by every amplink remote image: the resource table
 * (one rpmsg vdev, a trace buffer, the mailbox), bring-up of the rpmsg device in
 * the device role, and the main loop that delivers the host's kicks and beats
 * the heartbeat. An image calls remote_start, creates its endpoints, then
 * remote_run.
 */
#ifndef AMPLINK_FIRMWARE_REMOTE_H
#define AMPLINK_FIRMWARE_REMOTE_H

#include <amplink/qemu_rproc.h>
#include <openamp/remoteproc.h>
#include <openamp/rpmsg.h>

#define REMOTE_VRING_NUM   16
#define REMOTE_VRING_ALIGN 16
#define REMOTE_VDEV_NOTIFY 2
#define REMOTE_TRACE_SIZE  2048

/* The contract with the host: one rpmsg vdev, a trace buffer and the mailbox. */
METAL_PACKED_BEGIN
struct remote_rsc_table {
	struct resource_table hdr;
	uint32_t offset[3];
	struct fw_rsc_vdev vdev;
	struct fw_rsc_vdev_vring vring[2];
	struct fw_rsc_trace trace;
	struct amplink_rsc_mailbox mailbox;
} METAL_PACKED_END;

extern struct remote_rsc_table resource_table;

/* The trace buffer the table's RSC_TRACE entry points at (a NUL-ended ring). */
extern char remote_trace_buf[REMOTE_TRACE_SIZE];

/*
 * remote_start - bring up the rpmsg device: log the image's name, wait for the
 * host to set DRIVER_OK, set up the vrings it placed and the rpmsg device.
 * Returns the rpmsg device, or NULL (logged).
 */
struct rpmsg_device *remote_start(const char *image_name);

/* The vdev remote_start set up (runtime-private; remote_loop.c delivers kicks to it). */
extern struct virtio_device *remote_vdev;

/* remote_run - serve the host's kicks forever, beating the heartbeat. */
void remote_run(void);

/* remote_mailbox_ready - tell the host the runtime is up (mailbox state READY). */
void remote_mailbox_ready(void);

/* remote_heartbeat - advance the heartbeat word; cheap, call often. */
void remote_heartbeat(void);

/* amplink_log_write - the bare-metal port's log sink: console and trace buffer. */
void amplink_log_write(const char *line);

#endif
