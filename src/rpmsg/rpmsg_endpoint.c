/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The endpoint registry of an rpmsg device: address allocation, O(1) lookup
 * (a direct index for the dynamic range, a short chain for fixed addresses),
 * reference counts held while a callback runs, and rpmsg_create_ept /
 * rpmsg_destroy_ept with their name-service announcements. All registry state
 * is protected by rdev->lock, which is never held while a callback runs.
 */
#include <amplink/libc.h>
#include <metal/condition.h>
#include <metal/mutex.h>

#include "rpmsg/rpmsg_internal.h"

/* Innermost callback running on this thread (see struct rpmsg_cb_ctx). */
static AMPLINK_RPMSG_TLS struct rpmsg_cb_ctx *rpmsg_cur_ctx;

/* Index of @addr in the direct table, or AMPLINK_CFG_MAX_ENDPOINTS if outside it. */
static uint32_t rpmsg_dyn_index(uint32_t addr)
{
	uint32_t i = addr - RPMSG_RESERVED_ADDRESSES;

	return i < AMPLINK_CFG_MAX_ENDPOINTS ? i : AMPLINK_CFG_MAX_ENDPOINTS;
}

/* Endpoint registered at @addr, or NULL. Caller holds rdev->lock. */
static struct rpmsg_endpoint *rpmsg_lookup(struct rpmsg_device *rdev, uint32_t addr)
{
	uint32_t i = rpmsg_dyn_index(addr);
	struct rpmsg_endpoint *e;

	if (i < AMPLINK_CFG_MAX_ENDPOINTS)
		return rdev->amplink_dyn[i];
	for (e = rdev->amplink_fixed; e; e = e->amplink_fixed_next) {
		if (e->addr == addr)
			return e;
	}
	return NULL;
}

/* Lowest free dynamic address, or RPMSG_ADDR_ANY. Caller holds rdev->lock. */
static uint32_t rpmsg_alloc_addr(struct rpmsg_device *rdev)
{
	uint32_t i;

	for (i = 0; i < AMPLINK_CFG_MAX_ENDPOINTS; i++) {
		if (!rdev->amplink_dyn[i])
			return RPMSG_RESERVED_ADDRESSES + i;
	}
	return RPMSG_ADDR_ANY;
}

void rpmsg_device_init(struct rpmsg_device *rdev)
{
	metal_list_init(&rdev->endpoints);
	metal_mutex_init(&rdev->lock);
	metal_condition_init(&rdev->amplink_ept_cv);
	rdev->amplink_fixed = NULL;
	memset(rdev->amplink_dyn, 0, sizeof(rdev->amplink_dyn));
	atomic_init(&rdev->amplink_ept_gen, 0u);
	atomic_init(&rdev->amplink_parked, (uintptr_t)0);
	rdev->bitnext = 0;
	rdev->support_ns = false;
}

int rpmsg_register_endpoint(struct rpmsg_device *rdev, struct rpmsg_endpoint *ept)
{
	unsigned int fl;
	int ret = RPMSG_SUCCESS;
	uint32_t i;

	fl = rpmsg_vlock(&rdev->lock);
	if (ept->addr == RPMSG_ADDR_ANY)
		ept->addr = rpmsg_alloc_addr(rdev);
	if (ept->addr == RPMSG_ADDR_ANY || rpmsg_lookup(rdev, ept->addr)) {
		ret = RPMSG_ERR_ADDR;
		goto out;
	}
	i = rpmsg_dyn_index(ept->addr);
	if (i < AMPLINK_CFG_MAX_ENDPOINTS) {
		rdev->amplink_dyn[i] = ept;
	} else {
		ept->amplink_fixed_next = rdev->amplink_fixed;
		rdev->amplink_fixed = ept;
	}
	ept->rdev = rdev;
	ept->refcnt = 0;
	ept->amplink_flags = AMPLINK_EPT_F_REGISTERED;
	metal_list_add_tail(&rdev->endpoints, &ept->node);
out:
	rpmsg_vunlock(&rdev->lock, fl);
	return ret;
}

/* Drop one reference; wake a destroyer waiting for the last. Caller holds rdev->lock. */
static void rpmsg_ept_unref_locked(struct rpmsg_device *rdev, struct rpmsg_endpoint *ept)
{
	if (ept->refcnt > 0)
		ept->refcnt--;
	if (ept->refcnt == 0 && (ept->amplink_flags & AMPLINK_EPT_F_DYING))
		metal_condition_broadcast(&rdev->amplink_ept_cv);
}

/* Remove @ept from the lookup structures. Caller holds rdev->lock. */
static void rpmsg_unregister_locked(struct rpmsg_device *rdev, struct rpmsg_endpoint *ept)
{
	uint32_t i = rpmsg_dyn_index(ept->addr);
	struct rpmsg_endpoint **pp, *parked;

	if (i < AMPLINK_CFG_MAX_ENDPOINTS) {
		if (rdev->amplink_dyn[i] == ept)
			rdev->amplink_dyn[i] = NULL;
	} else {
		for (pp = &rdev->amplink_fixed; *pp; pp = &(*pp)->amplink_fixed_next) {
			if (*pp == ept) {
				*pp = ept->amplink_fixed_next;
				break;
			}
		}
	}
	metal_list_del(&ept->node);
	ept->amplink_flags &= ~(AMPLINK_EPT_F_REGISTERED | AMPLINK_EPT_F_ANNOUNCED);
	/*
	 * Receive dispatchers holding a reference look it up again
	 * (rpmsg_ept_ref_reuse); a parked reference is dropped (rpmsg_ept_park).
	 * Both are sequentially consistent, in this order, to pair with the park.
	 */
	atomic_fetch_add(&rdev->amplink_ept_gen, 1u);
	parked = (struct rpmsg_endpoint *)atomic_exchange(&rdev->amplink_parked, (uintptr_t)0);
	if (parked)
		rpmsg_ept_unref_locked(rdev, parked);
}

struct rpmsg_endpoint *rpmsg_ept_swap(struct rpmsg_device *rdev, struct amplink_rpmsg_ept_ref *ref,
				      uint32_t addr, uint32_t src)
{
	struct rpmsg_endpoint *prev = ref->ept;
	struct rpmsg_endpoint *ept;
	unsigned int fl;

	fl = rpmsg_vlock(&rdev->lock);
	ept = rpmsg_lookup(rdev, addr);
	/* Same endpoint as the previous message: its reference carries over. */
	if (prev && prev != ept)
		rpmsg_ept_unref_locked(rdev, prev);
	if (ept) {
		if (ept != prev)
			ept->refcnt++;
		if (ept->dest_addr == RPMSG_ADDR_ANY && src != RPMSG_ADDR_ANY &&
		    ept != &rdev->ns_ept)
			ept->dest_addr = src;
		ref->bound = ept->dest_addr != RPMSG_ADDR_ANY || ept == &rdev->ns_ept;
	}
	ref->ept = ept;
	ref->gen = atomic_load_explicit(&rdev->amplink_ept_gen, memory_order_relaxed);
	rpmsg_vunlock(&rdev->lock, fl);
	return ept;
}

struct rpmsg_endpoint *rpmsg_ept_find_by_name(struct rpmsg_device *rdev, const char *name,
					      uint32_t dest, int unbound_ok)
{
	unsigned int fl;
	struct rpmsg_endpoint *found = NULL;
	struct metal_list *node;

	fl = rpmsg_vlock(&rdev->lock);
	metal_list_for_each(&rdev->endpoints, node)
	{
		struct rpmsg_endpoint *e = metal_container_of(node, struct rpmsg_endpoint, node);

		if (e != &rdev->ns_ept && strncmp(e->name, name, RPMSG_NAME_SIZE) == 0 &&
		    (e->dest_addr == dest || (unbound_ok && e->dest_addr == RPMSG_ADDR_ANY))) {
			found = e;
			found->refcnt++;
			break;
		}
	}
	rpmsg_vunlock(&rdev->lock, fl);
	return found;
}

void rpmsg_ept_park(struct rpmsg_device *rdev, struct amplink_rpmsg_ept_ref *ref)
{
	struct rpmsg_endpoint *ept = ref->ept;

	ref->ept = NULL;
	if (!ept)
		return;
	/*
	 * Park, then look at the generation: an endpoint leaving meanwhile bumps
	 * it before it takes the parked reference (both SEQ_CST), so either it
	 * took ours, or we see the bump and take ours back to drop it.
	 */
	atomic_store(&rdev->amplink_parked, (uintptr_t)ept);
	if (atomic_load(&rdev->amplink_ept_gen) == ref->gen)
		return;
	if (atomic_exchange(&rdev->amplink_parked, (uintptr_t)0) == (uintptr_t)ept)
		rpmsg_ept_put(ept);
}

void rpmsg_ept_unpark(struct rpmsg_device *rdev, struct amplink_rpmsg_ept_ref *ref)
{
	ref->ept = (struct rpmsg_endpoint *)atomic_exchange(&rdev->amplink_parked, (uintptr_t)0);
}

void rpmsg_ept_put(struct rpmsg_endpoint *ept)
{
	struct rpmsg_device *rdev = ept->rdev;
	unsigned int fl;

	fl = rpmsg_vlock(&rdev->lock);
	rpmsg_ept_unref_locked(rdev, ept);
	rpmsg_vunlock(&rdev->lock, fl);
}

/*
 * Run @ept's callback (@unbind: its ns_unbind_cb) inside a context.
 * Returns 1 when the caller still holds its reference, 0 when the callback
 * destroyed the endpoint (the reference went with it).
 */
static int rpmsg_ept_call(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src,
			  int unbind)
{
	struct rpmsg_cb_ctx ctx;

	ctx.ept = ept;
	ctx.outer = rpmsg_cur_ctx;
	ctx.destroyed = 0;
	rpmsg_cur_ctx = &ctx;
	if (unbind) {
		if (ept->ns_unbind_cb)
			ept->ns_unbind_cb(ept);
	} else if (ept->cb) {
		ept->cb(ept, data, len, src, ept->priv);
	}
	rpmsg_cur_ctx = ctx.outer;
	return !ctx.destroyed;
}

int rpmsg_ept_deliver(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src)
{
	return rpmsg_ept_call(ept, data, len, src, 0);
}

void rpmsg_ept_call_unbind(struct rpmsg_endpoint *ept)
{
	if (rpmsg_ept_call(ept, NULL, 0, RPMSG_ADDR_ANY, 1))
		rpmsg_ept_put(ept);
}

/* The context of a callback of @ept running on this thread, or NULL. */
static struct rpmsg_cb_ctx *rpmsg_find_ctx(struct rpmsg_endpoint *ept)
{
	struct rpmsg_cb_ctx *c;

	for (c = rpmsg_cur_ctx; c; c = c->outer) {
		if (c->ept == ept && !c->destroyed)
			return c;
	}
	return NULL;
}

int rpmsg_create_ept(struct rpmsg_endpoint *ept, struct rpmsg_device *rdev, const char *name,
		     uint32_t src, uint32_t dest, rpmsg_ept_cb cb, rpmsg_ns_unbind_cb ns_unbind_cb)
{
	unsigned int fl;
	size_t n = name ? strnlen(name, RPMSG_NAME_SIZE) : 0;
	int ret;

	if (!ept || !rdev || n >= RPMSG_NAME_SIZE)
		return RPMSG_ERR_PARAM;
	memset(ept->name, 0, sizeof(ept->name));
	if (n)
		memcpy(ept->name, name, n);
	ept->addr = src;
	ept->dest_addr = dest;
	ept->cb = cb;
	ept->ns_unbind_cb = ns_unbind_cb;
	ept->release_cb = NULL;
	ept->amplink_fixed_next = NULL;
#if AMPLINK_CFG_STATS
	memset(&ept->amplink_stats, 0, sizeof(ept->amplink_stats));
#endif
	ret = rpmsg_register_endpoint(rdev, ept);
	if (ret)
		return ret;
#if AMPLINK_CFG_NS
	if (rdev->support_ns && n && dest == RPMSG_ADDR_ANY) {
		ret = rpmsg_ns_announce(ept, RPMSG_NS_CREATE);
		if (ret < 0) {
			fl = rpmsg_vlock(&rdev->lock);
			rpmsg_unregister_locked(rdev, ept);
			rpmsg_vunlock(&rdev->lock, fl);
			ept->rdev = NULL;
			return ret;
		}
		fl = rpmsg_vlock(&rdev->lock);
		ept->amplink_flags |= AMPLINK_EPT_F_ANNOUNCED;
		rpmsg_vunlock(&rdev->lock, fl);
	}
#endif
	return RPMSG_SUCCESS;
}

void rpmsg_destroy_ept(struct rpmsg_endpoint *ept)
{
	unsigned int fl;
	struct rpmsg_device *rdev;
	struct rpmsg_cb_ctx *ctx;

	if (!ept || !ept->rdev)
		return;
	rdev = ept->rdev;
#if AMPLINK_CFG_NS
	if ((ept->amplink_flags & AMPLINK_EPT_F_ANNOUNCED) && rdev->support_ns)
		(void)rpmsg_ns_announce(ept, RPMSG_NS_DESTROY);
#endif
	fl = rpmsg_vlock(&rdev->lock);
	if (!(ept->amplink_flags & AMPLINK_EPT_F_REGISTERED)) {
		rpmsg_vunlock(&rdev->lock, fl);
		return;
	}
	rpmsg_unregister_locked(rdev, ept);
	ept->amplink_flags |= AMPLINK_EPT_F_DYING;
	ctx = rpmsg_find_ctx(ept);
	if (ctx) {
		/* Inside its own callback: give up the dispatcher's reference. */
		ctx->destroyed = 1;
		if (ept->refcnt > 0)
			ept->refcnt--;
	}
#if !AMPLINK_RPMSG_IRQSAFE
	while (ept->refcnt > 0)
		metal_condition_wait(&rdev->amplink_ept_cv, &rdev->lock);
#endif
	/*
	 * Bare metal: a callback still running here was interrupted by the
	 * handler calling us; it cannot finish while we wait, so we do not.
	 * The endpoint's memory must stay valid until that callback returns.
	 */
	ept->amplink_flags = 0;
	ept->rdev = NULL;
	rpmsg_vunlock(&rdev->lock, fl);
	if (ept->release_cb)
		ept->release_cb(ept);
}

/*
 * An endpoint that destroy would not remove (its rdev was cleared or
 * overwritten by the application) is unlinked here, so deinit ends.
 */
static void rpmsg_device_forget_stuck(struct rpmsg_device *rdev, struct rpmsg_endpoint *ept)
{
	unsigned int fl = rpmsg_vlock(&rdev->lock);

	if (!metal_list_is_empty(&rdev->endpoints) && rdev->endpoints.next == &ept->node) {
		metal_list_del(&ept->node);
		metal_warn("rpmsg: endpoint %p not destroyable (rdev %p), unlinked\n", (void *)ept,
			   (void *)ept->rdev);
	}
	rpmsg_vunlock(&rdev->lock, fl);
}

void rpmsg_device_deinit(struct rpmsg_device *rdev)
{
	unsigned int fl;
	struct rpmsg_endpoint *ept;

	for (;;) {
		fl = rpmsg_vlock(&rdev->lock);
		ept = metal_list_is_empty(&rdev->endpoints)
			      ? NULL
			      : metal_container_of(rdev->endpoints.next, struct rpmsg_endpoint,
						   node);
		rpmsg_vunlock(&rdev->lock, fl);
		if (!ept)
			break;
		if (ept != &rdev->ns_ept && ept->ns_unbind_cb)
			ept->ns_unbind_cb(ept);
		/* The unbind callback usually destroys it; make sure. */
		rpmsg_destroy_ept(ept);
		rpmsg_device_forget_stuck(rdev, ept);
	}
	metal_mutex_deinit(&rdev->lock);
}
