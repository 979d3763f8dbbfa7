/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private interfaces of the rpmsg layer: the wire header and name-service
 * layouts, endpoint flags, the endpoint registry used by the transports, the
 * "current callback" context that lets rpmsg_destroy_ept know whether it runs
 * inside the endpoint's own callback, and the statistics helpers.
 */
#ifndef AMPLINK_RPMSG_INTERNAL_H
#define AMPLINK_RPMSG_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <amplink/config.h>
#include <metal/compiler.h>
#include <metal/log.h>
#include <metal/mutex.h>
#include <openamp/rpmsg.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "rpmsg wire structures are read in place: little-endian CPUs only"
#endif

/* Wire header in front of every message (16 bytes, little-endian). */
METAL_PACKED_BEGIN
struct rpmsg_hdr {
	uint32_t src;
	uint32_t dst;
	uint32_t reserved;
	uint16_t len;
	uint16_t flags;
} METAL_PACKED_END;

/* Name-service message (40 bytes), sent to RPMSG_NS_EPT_ADDR. */
METAL_PACKED_BEGIN
struct rpmsg_ns_msg {
	char name[RPMSG_NAME_SIZE];
	uint32_t addr;
	uint32_t flags;
} METAL_PACKED_END;

#define RPMSG_NS_CREATE	 0
#define RPMSG_NS_DESTROY 1

/* Endpoint flags (ept->amplink_flags). */
#define AMPLINK_EPT_F_REGISTERED 1u /* in the registry */
#define AMPLINK_EPT_F_ANNOUNCED	 2u /* NS CREATE was sent */
#define AMPLINK_EPT_F_DYING	 4u /* being destroyed: wake the destroyer */

/*
 * Thread-local storage tells "rpmsg_destroy_ept from inside this endpoint's
 * callback" from "from another thread". Hosted (Linux) builds have threads and
 * TLS; bare-metal builds have one thread plus interrupts, where a destroy can
 * never wait anyway, so a plain variable is enough there.
 */
#ifndef AMPLINK_RPMSG_TLS
#if defined(AMPLINK_SYSTEM_LINUX)
#define AMPLINK_RPMSG_TLS _Thread_local
#else
#define AMPLINK_RPMSG_TLS
#endif
#endif

/*
 * Bare metal: the locks (registry, TX, RX) also mask interrupts, so an
 * interrupt handler that runs rpmsg_trysend or the queue callbacks never
 * finds a lock held by the code it interrupted (which could not run to
 * release it). Hosted builds use the mutexes alone.
 */
#ifndef AMPLINK_RPMSG_IRQSAFE
#if defined(AMPLINK_SYSTEM_GENERIC)
#define AMPLINK_RPMSG_IRQSAFE 1
#else
#define AMPLINK_RPMSG_IRQSAFE 0
#endif
#endif

#if AMPLINK_RPMSG_IRQSAFE
#include <metal/irq.h>
#endif

/* rpmsg_vlock - take @m (and mask interrupts on bare metal). Returns what rpmsg_vunlock needs. */
static inline unsigned int rpmsg_vlock(metal_mutex_t *m)
{
	unsigned int flags = 0;

#if AMPLINK_RPMSG_IRQSAFE
	flags = metal_irq_save_disable();
#endif
	metal_mutex_acquire(m);
	return flags;
}

/* rpmsg_vunlock - undo rpmsg_vlock. */
static inline void rpmsg_vunlock(metal_mutex_t *m, unsigned int flags)
{
	metal_mutex_release(m);
#if AMPLINK_RPMSG_IRQSAFE
	metal_irq_restore_enable(flags);
#else
	(void)flags;
#endif
}

/* One running callback: a stack of these per thread (devices may nest). */
struct rpmsg_cb_ctx {
	struct rpmsg_endpoint *ept; /* endpoint whose callback runs */
	struct rpmsg_cb_ctx *outer; /* enclosing callback on this thread */
	int destroyed;		    /* the callback destroyed its own endpoint */
};

/* Statistics helpers: compile to nothing when AMPLINK_CFG_STATS is 0. */
#if AMPLINK_CFG_STATS
#define RPMSG_STAT_ADD(obj, field, n) ((obj)->amplink_stats.field += (uint64_t)(n))
#else
#define RPMSG_STAT_ADD(obj, field, n) ((void)0)
#endif

/*
 * rpmsg_ept_ref_reuse - whether a lookup of @addr for a message from @src
 * would return @ref->ept again with nothing else to do: the same address,
 * no endpoint left the registry since (the generation), no binding needed.
 * Lock-free: @ref->ept is referenced, so it cannot be freed meanwhile; an
 * endpoint leaving concurrently is as if it left just after this message.
 * Returns non-zero when @ref->ept can be used without the registry lock.
 */
static inline int rpmsg_ept_ref_reuse(struct rpmsg_device *rdev,
				      const struct amplink_rpmsg_ept_ref *ref, uint32_t addr,
				      uint32_t src)
{
	return ref->ept && ref->ept->addr == addr && (ref->bound || src == RPMSG_ADDR_ANY) &&
	       atomic_load_explicit(&rdev->amplink_ept_gen, memory_order_acquire) == ref->gen;
}

/*
 * rpmsg_ept_swap - drop the reference in @ref (if any), then look up the
 * endpoint at @addr and take a reference (its callback may run), all under
 * one hold of the registry lock; @ref then describes the new one. If its
 * dest_addr is ANY and @src is not, bind it to @src. Any thread.
 * Returns the endpoint or NULL.
 */
struct rpmsg_endpoint *rpmsg_ept_swap(struct rpmsg_device *rdev, struct amplink_rpmsg_ept_ref *ref,
				      uint32_t addr, uint32_t src);

/*
 * rpmsg_ept_park - a receive dispatcher stops: keep the reference in @ref
 * parked on @rdev instead of dropping it, so the next dispatch to the same
 * endpoint needs no registry lock. An endpoint leaving the registry takes
 * any parked reference away (rpmsg_ept_unpark then finds none). @ref->ept is
 * NULL on return. Caller holds the device's receive lock.
 */
void rpmsg_ept_park(struct rpmsg_device *rdev, struct amplink_rpmsg_ept_ref *ref);

/*
 * rpmsg_ept_unpark - a receive dispatcher starts: take the parked reference
 * back into @ref->ept (NULL if none is parked). Caller holds the device's
 * receive lock.
 */
void rpmsg_ept_unpark(struct rpmsg_device *rdev, struct amplink_rpmsg_ept_ref *ref);

/*
 * rpmsg_ept_deliver - run @ept's callback with the context that makes a
 * destroy from inside it safe. Returns 1 when the caller still holds its
 * reference (drop it with rpmsg_ept_put or rpmsg_ept_swap), 0 when the
 * callback destroyed the endpoint.
 */
int rpmsg_ept_deliver(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src);

/*
 * rpmsg_ept_call_unbind - run @ept's ns_unbind_cb (if any) like a callback
 * (it may destroy the endpoint), then drop the caller's reference.
 */
void rpmsg_ept_call_unbind(struct rpmsg_endpoint *ept);

/*
 * rpmsg_ept_find_by_name - the registered endpoint named @name (compared up
 * to RPMSG_NAME_SIZE) bound to @dest, or (@unbound_ok) not bound yet, with a
 * reference taken, or NULL. Any thread.
 */
struct rpmsg_endpoint *rpmsg_ept_find_by_name(struct rpmsg_device *rdev, const char *name,
					      uint32_t dest, int unbound_ok);

/* rpmsg_ept_put - drop a reference taken by rpmsg_ept_swap / _find_by_name. */
void rpmsg_ept_put(struct rpmsg_endpoint *ept);

/*
 * rpmsg_register_endpoint - add @ept to @rdev's registry at ept->addr
 * (RPMSG_ADDR_ANY: allocate the lowest free dynamic address). Takes rdev->lock.
 * Returns RPMSG_SUCCESS or RPMSG_ERR_ADDR.
 */
int rpmsg_register_endpoint(struct rpmsg_device *rdev, struct rpmsg_endpoint *ept);

/* rpmsg_device_init - initialise the registry of @rdev (no endpoint). */
void rpmsg_device_init(struct rpmsg_device *rdev);

/* rpmsg_device_deinit - destroy every endpoint still registered on @rdev. */
void rpmsg_device_deinit(struct rpmsg_device *rdev);

#if AMPLINK_CFG_NS
/* rpmsg_ns_init - register the name-service endpoint at address 53. Start-up. */
int rpmsg_ns_init(struct rpmsg_device *rdev);

/* rpmsg_ns_announce - send NS CREATE or DESTROY for @ept. Returns a send result. */
int rpmsg_ns_announce(struct rpmsg_endpoint *ept, uint32_t flags);
#endif

#endif /* AMPLINK_RPMSG_INTERNAL_H */
