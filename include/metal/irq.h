/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interrupts. On bare metal an irq is a vector number below
 * AMPLINK_CFG_MAX_IRQS; the board's vector calls amplink_irq_isr(irq). On
 * Linux an irq is a file descriptor (eventfd, pipe, socket) watched by an
 * epoll set; the application runs handlers with amplink_irq_dispatch() or
 * polls amplink_irq_poll_fd() in its own loop; a forked child starts with no
 * irq registered. metal_irq_save_disable holds off handlers (interrupts on
 * bare metal, a recursive lock on Linux) and nests.
 */
#ifndef METAL_IRQ_H
#define METAL_IRQ_H

#include <amplink/config.h>

#ifdef __cplusplus
extern "C" {
#endif

#define METAL_IRQ_NOT_HANDLED 0
#define METAL_IRQ_HANDLED     1

/* An interrupt handler: returns METAL_IRQ_HANDLED or METAL_IRQ_NOT_HANDLED. */
typedef int (*metal_irq_handler)(int irq, void *arg);

/*
 * metal_irq_register - run irq_handler(irq, arg) when irq fires; the irq
 * starts enabled. A handler may (un)register irqs, its own included. Returns
 * 0, -EINVAL (bad irq or NULL handler), -EBUSY (irq already has a handler),
 * -ENOSPC (table full) or a negative errno from the port.
 */
int metal_irq_register(int irq, metal_irq_handler irq_handler, void *arg);

/*
 * metal_irq_unregister - forget irq's handler. On Linux, once it returns the
 * handler is not running in another thread (it may be the caller).
 */
void metal_irq_unregister(int irq);

/* metal_irq_enable - let irq's handler run again. */
void metal_irq_enable(unsigned int vector);

/* metal_irq_disable - keep irq's handler from running until enabled. */
void metal_irq_disable(unsigned int vector);

/*
 * metal_irq_save_disable - hold off every handler. Nests. Returns a value to
 * pass to the matching metal_irq_restore_enable.
 */
unsigned int metal_irq_save_disable(void);

/* metal_irq_restore_enable - undo the matching metal_irq_save_disable. */
void metal_irq_restore_enable(unsigned int flags);

#if defined(AMPLINK_SYSTEM_LINUX)
/*
 * amplink_irq_dispatch - wait up to timeout_ms (-1 forever, 0 poll) for a
 * registered fd to become readable and run the handlers of those that are
 * (each under the irq lock). Call from one thread at a time. Returns the
 * number of handlers run, 0 on timeout, or a negative errno.
 */
int amplink_irq_dispatch(int timeout_ms);

/*
 * amplink_irq_poll_fd - Returns an fd that is readable when
 * amplink_irq_dispatch has work (the epoll fd), or a negative errno. It stays
 * valid until the last metal_finish (with no irq registered) or a fork (in
 * the child).
 */
int amplink_irq_poll_fd(void);
#else
/*
 * amplink_irq_isr - the board's interrupt vector calls this with its irq
 * number; runs the registered handler if enabled. Interrupt context.
 */
void amplink_irq_isr(int irq);

/*
 * amplink_irq_board_enable - board hook: unmask (enable != 0) or mask irq in
 * the interrupt controller (e.g. the NVIC). Called by register/enable (1) and
 * unregister/disable (0). The default (weak) does nothing: the table's own
 * flag already keeps a disabled handler from running.
 */
void amplink_irq_board_enable(unsigned int irq, int enable);
#endif

#ifdef __cplusplus
}
#endif

#endif /* METAL_IRQ_H */
