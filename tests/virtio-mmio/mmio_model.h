/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A virtio-mmio device model for the tests: a register file (layout version
 * 2) behind a metal_io_region whose ops table traps every read and write.
 * Its identification registers, feature set, queue limits and config space
 * are plain fields the test sets, including hostile values; it records what
 * the driver wrote (features, queue addresses, notifications, acks).
 */
#ifndef AMPLINK_TESTS_MMIO_MODEL_H
#define AMPLINK_TESTS_MMIO_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <metal/io.h>

#define MODEL_MAX_QUEUES  4
#define MODEL_CONFIG_SIZE 64
#define MODEL_WINDOW_SIZE (0x100 + MODEL_CONFIG_SIZE)

struct model_queue {
	uint32_t num_max;
	uint32_t num;
	uint32_t ready;
	uint64_t desc, driver, device;
	unsigned int notifies;
};

struct mmio_model {
	struct metal_io_region io;
	uint8_t window[MODEL_WINDOW_SIZE]; /* backing for metal_io_virt only */

	/* Identification (the test may make them hostile). */
	uint32_t magic, version, device_id, vendor_id;
	uint64_t device_features;

	/* State the driver drives. */
	uint32_t dev_features_sel, drv_features_sel;
	uint64_t driver_features;
	uint32_t queue_sel;
	struct model_queue q[MODEL_MAX_QUEUES];
	uint32_t status;
	uint32_t int_status;
	uint32_t generation;
	uint8_t config[MODEL_CONFIG_SIZE];

	/* Misbehaviour switches. */
	bool refuse_features_ok; /* drop FEATURES_OK whatever the driver wrote */
	bool never_reset;	 /* Status never reads back 0 */
	unsigned int gen_bumps;	 /* bump generation on this many config reads */

	/* Optional: called after a QueueNotify write for queue @q (< MODEL_MAX_QUEUES). */
	void (*on_notify)(struct mmio_model *m, unsigned int q);
	void *user;

	/* Observations. */
	unsigned int resets, acks, last_ack, reads, writes, bad_width;
	unsigned int notify_total;
	unsigned int config_writes[8]; /* config-space writes by access width */
};

/* Sets up a well-behaved device (id @device_id, features @features). */
void model_init(struct mmio_model *m, uint32_t device_id, uint64_t features);

#endif
