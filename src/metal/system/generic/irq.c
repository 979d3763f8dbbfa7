/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Bare-metal port of interrupts: a static table of AMPLINK_CFG_MAX_IRQS
 * handlers indexed by irq number. The board's vector calls
 * amplink_irq_isr(irq); the table is changed with interrupts masked.
 */
#include <stddef.h>
#include <amplink/config.h>
#include <metal/atomic.h>
#include <metal/compiler.h>
#include <metal/errno.h>
#include <metal/irq.h>
#include <metal/log.h>

struct amplink_irq_entry {
	metal_irq_handler handler;
	void *arg;
	atomic_int enabled;
};

static struct amplink_irq_entry amplink_irq_table[AMPLINK_CFG_MAX_IRQS];

metal_weak void amplink_irq_board_enable(unsigned int irq, int enable)
{
	(void)irq;
	(void)enable;
}

int metal_irq_register(int irq, metal_irq_handler irq_handler, void *arg)
{
	unsigned int flags;
	int ret = 0;

	if (irq < 0 || irq >= AMPLINK_CFG_MAX_IRQS || irq_handler == NULL) {
		metal_err("irq: cannot register irq %d\n", irq);
		return -EINVAL;
	}
	flags = metal_irq_save_disable();
	if (amplink_irq_table[irq].handler) {
		ret = -EBUSY;
	} else {
		amplink_irq_table[irq].handler = irq_handler;
		amplink_irq_table[irq].arg = arg;
		atomic_store(&amplink_irq_table[irq].enabled, 1);
	}
	metal_irq_restore_enable(flags);
	if (ret == 0)
		amplink_irq_board_enable((unsigned int)irq, 1);
	return ret;
}

void metal_irq_unregister(int irq)
{
	unsigned int flags;

	if (irq < 0 || irq >= AMPLINK_CFG_MAX_IRQS)
		return;
	amplink_irq_board_enable((unsigned int)irq, 0);
	flags = metal_irq_save_disable();
	amplink_irq_table[irq].handler = NULL;
	amplink_irq_table[irq].arg = NULL;
	atomic_store(&amplink_irq_table[irq].enabled, 0);
	metal_irq_restore_enable(flags);
}

void metal_irq_enable(unsigned int vector)
{
	if (vector >= AMPLINK_CFG_MAX_IRQS)
		return;
	atomic_store(&amplink_irq_table[vector].enabled, 1);
	amplink_irq_board_enable(vector, 1);
}

void metal_irq_disable(unsigned int vector)
{
	if (vector >= AMPLINK_CFG_MAX_IRQS)
		return;
	amplink_irq_board_enable(vector, 0);
	atomic_store(&amplink_irq_table[vector].enabled, 0);
}

void amplink_irq_isr(int irq)
{
	metal_irq_handler handler;

	if (irq < 0 || irq >= AMPLINK_CFG_MAX_IRQS) {
		metal_err("irq: spurious irq %d\n", irq);
		return;
	}
	handler = amplink_irq_table[irq].handler;
	if (handler && atomic_load(&amplink_irq_table[irq].enabled))
		(void)handler(irq, amplink_irq_table[irq].arg);
}
