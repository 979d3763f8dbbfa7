/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The test device model behind a trapping metal_io_region: decodes register
 * offsets of the virtio-mmio layout version 2 on its own (from the virtio 1.x
 * specification, not from the transport's header) and plays the device.
 */
#include <string.h>

#include <metal/utilities.h>

#include "mmio_model.h"

/* Offsets, written out again here so the test does not trust the header. */
enum {
	R_MAGIC = 0x000,
	R_VERSION = 0x004,
	R_DEVICE_ID = 0x008,
	R_VENDOR_ID = 0x00c,
	R_DEV_FEAT = 0x010,
	R_DEV_FEAT_SEL = 0x014,
	R_DRV_FEAT = 0x020,
	R_DRV_FEAT_SEL = 0x024,
	R_QUEUE_SEL = 0x030,
	R_QUEUE_NUM_MAX = 0x034,
	R_QUEUE_NUM = 0x038,
	R_QUEUE_READY = 0x044,
	R_QUEUE_NOTIFY = 0x050,
	R_INT_STATUS = 0x060,
	R_INT_ACK = 0x064,
	R_STATUS = 0x070,
	R_DESC_LO = 0x080,
	R_DESC_HI = 0x084,
	R_DRIVER_LO = 0x090,
	R_DRIVER_HI = 0x094,
	R_DEVICE_LO = 0x0a0,
	R_DEVICE_HI = 0x0a4,
	R_GENERATION = 0x0fc,
	R_CONFIG = 0x100,
};

static struct mmio_model *model_of(struct metal_io_region *io)
{
	return metal_container_of(io, struct mmio_model, io);
}

static struct model_queue *model_cur_queue(struct mmio_model *m)
{
	return m->queue_sel < MODEL_MAX_QUEUES ? &m->q[m->queue_sel] : NULL;
}

static void model_set_half(uint64_t *v, int high, uint32_t half)
{
	if (high)
		*v = (*v & 0xffffffffull) | ((uint64_t)half << 32);
	else
		*v = (*v & ~0xffffffffull) | half;
}

static uint64_t model_read_config(struct mmio_model *m, unsigned long off, int width)
{
	uint64_t v = 0;
	int i;

	if (m->gen_bumps) {
		m->gen_bumps--;
		m->generation++;
	}
	for (i = 0; i < width; i++) {
		if (off + (unsigned long)i < MODEL_CONFIG_SIZE)
			v |= (uint64_t)m->config[off + (unsigned long)i] << (8 * i);
	}
	return v;
}

static uint32_t model_read_queue_reg(struct mmio_model *m, unsigned long off)
{
	struct model_queue *q = model_cur_queue(m);

	if (!q)
		return 0;
	switch (off) {
	case R_QUEUE_NUM_MAX:
		return q->num_max;
	case R_QUEUE_READY:
		return q->ready;
	default:
		return 0;
	}
}

static uint64_t model_read(struct metal_io_region *io, unsigned long off, memory_order order,
			   int width)
{
	struct mmio_model *m = model_of(io);

	(void)order;
	m->reads++;
	if (off >= R_CONFIG)
		return model_read_config(m, off - R_CONFIG, width);
	if (width != 4)
		m->bad_width++;
	switch (off) {
	case R_MAGIC:
		return m->magic;
	case R_VERSION:
		return m->version;
	case R_DEVICE_ID:
		return m->device_id;
	case R_VENDOR_ID:
		return m->vendor_id;
	case R_DEV_FEAT:
		return m->dev_features_sel == 0	  ? (uint32_t)m->device_features
		       : m->dev_features_sel == 1 ? (uint32_t)(m->device_features >> 32)
						  : 0;
	case R_INT_STATUS:
		return m->int_status;
	case R_STATUS:
		return m->status;
	case R_GENERATION:
		return m->generation;
	default:
		return model_read_queue_reg(m, off);
	}
}

static void model_reset(struct mmio_model *m)
{
	unsigned int i;

	m->resets++;
	if (m->never_reset)
		return;
	m->status = 0;
	m->driver_features = 0;
	m->int_status = 0;
	for (i = 0; i < MODEL_MAX_QUEUES; i++) {
		m->q[i].ready = 0;
		m->q[i].num = 0;
		m->q[i].desc = m->q[i].driver = m->q[i].device = 0;
	}
}

static void model_write_status(struct mmio_model *m, uint32_t v)
{
	if (v == 0) {
		model_reset(m);
		return;
	}
	/* FEATURES_OK only for a subset of what was offered. */
	if ((v & 0x08) && (m->refuse_features_ok || (m->driver_features & ~m->device_features)))
		v &= ~0x08u;
	m->status = v;
}

static void model_write_queue_reg(struct mmio_model *m, unsigned long off, uint32_t v)
{
	struct model_queue *q = model_cur_queue(m);

	if (!q)
		return;
	switch (off) {
	case R_QUEUE_NUM:
		q->num = v;
		break;
	case R_QUEUE_READY:
		q->ready = v;
		break;
	case R_DESC_LO:
	case R_DESC_HI:
		model_set_half(&q->desc, off == R_DESC_HI, v);
		break;
	case R_DRIVER_LO:
	case R_DRIVER_HI:
		model_set_half(&q->driver, off == R_DRIVER_HI, v);
		break;
	case R_DEVICE_LO:
	case R_DEVICE_HI:
		model_set_half(&q->device, off == R_DEVICE_HI, v);
		break;
	default:
		break;
	}
}

static void model_write(struct metal_io_region *io, unsigned long off, uint64_t value,
			memory_order order, int width)
{
	struct mmio_model *m = model_of(io);
	uint32_t v = (uint32_t)value;

	(void)order;
	m->writes++;
	if (off >= R_CONFIG) {
		int i;

		for (i = 0; i < width; i++)
			if (off - R_CONFIG + (unsigned long)i < MODEL_CONFIG_SIZE)
				m->config[off - R_CONFIG + (unsigned long)i] =
					(uint8_t)(value >> (8 * i));
		m->config_writes[width & 7]++;
		return;
	}
	if (width != 4)
		m->bad_width++;
	switch (off) {
	case R_DEV_FEAT_SEL:
		m->dev_features_sel = v;
		break;
	case R_DRV_FEAT_SEL:
		m->drv_features_sel = v;
		break;
	case R_DRV_FEAT:
		if (m->drv_features_sel < 2)
			model_set_half(&m->driver_features, (int)m->drv_features_sel, v);
		break;
	case R_QUEUE_SEL:
		m->queue_sel = v;
		break;
	case R_QUEUE_NOTIFY:
		m->notify_total++;
		if (v < MODEL_MAX_QUEUES) {
			m->q[v].notifies++;
			if (m->on_notify)
				m->on_notify(m, v);
		}
		break;
	case R_INT_ACK:
		m->acks++;
		m->last_ack = v;
		m->int_status &= ~v;
		break;
	case R_STATUS:
		model_write_status(m, v);
		break;
	default:
		model_write_queue_reg(m, off, v);
		break;
	}
}

void model_init(struct mmio_model *m, uint32_t device_id, uint64_t features)
{
	static const struct metal_io_ops ops = {
		.read = model_read,
		.write = model_write,
	};
	unsigned int i;

	memset(m, 0, sizeof(*m));
	m->magic = 0x74726976u;
	m->version = 2;
	m->device_id = device_id;
	m->vendor_id = 0x414d504cu;
	m->device_features = features;
	for (i = 0; i < MODEL_MAX_QUEUES; i++)
		m->q[i].num_max = 256;
	metal_io_init(&m->io, m->window, NULL, sizeof(m->window), (unsigned int)-1, 0, &ops);
}
