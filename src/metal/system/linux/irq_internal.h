/* SPDX-License-Identifier: BSD-3-Clause */
/* Linux port: what init.c needs from the irq event loop (irq.c). */
#ifndef AMPLINK_METAL_LINUX_IRQ_INTERNAL_H
#define AMPLINK_METAL_LINUX_IRQ_INTERNAL_H

/*
 * amplink_irq_sys_finish - close the epoll set when no irq is registered
 * (the next register/dispatch opens a new one). Thread context.
 */
void amplink_irq_sys_finish(void);

#endif
