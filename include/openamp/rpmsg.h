/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The RPMsg API: endpoints, addresses, the name service and every send
 * variant, independent of the transport underneath (rpmsg_virtio.h supplies
 * one). Names, constants and the starred members of struct rpmsg_endpoint and
 * struct rpmsg_device follow the standard OpenAMP API; members prefixed
 * amplink_ are this implementation's own.
 */
#ifndef OPENAMP_RPMSG_H
#define OPENAMP_RPMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <amplink/config.h>
#include <metal/atomic.h>
#include <metal/compiler.h>
#include <metal/condition.h>
#include <metal/list.h>
#include <metal/mutex.h>
#include <metal/utilities.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Sizes and reserved addresses (wire facts, see SPEC.md). */
#define RPMSG_NAME_SIZE		 (32)
#define RPMSG_ADDR_BMP_SIZE	 (128)
#define RPMSG_NS_EPT_ADDR	 (0x35)
#define RPMSG_RESERVED_ADDRESSES (1024)
#define RPMSG_ADDR_ANY		 0xFFFFFFFF

/* Error codes: every call returns RPMSG_SUCCESS or one of these. */
#define RPMSG_SUCCESS	    0
#define RPMSG_ERROR_BASE    -2000
#define RPMSG_ERR_NO_MEM    (RPMSG_ERROR_BASE - 1)
#define RPMSG_ERR_NO_BUFF   (RPMSG_ERROR_BASE - 2)
#define RPMSG_ERR_PARAM	    (RPMSG_ERROR_BASE - 3)
#define RPMSG_ERR_DEV_STATE (RPMSG_ERROR_BASE - 4)
#define RPMSG_ERR_BUFF_SIZE (RPMSG_ERROR_BASE - 5)
#define RPMSG_ERR_INIT	    (RPMSG_ERROR_BASE - 6)
#define RPMSG_ERR_ADDR	    (RPMSG_ERROR_BASE - 7)
#define RPMSG_ERR_PERM	    (RPMSG_ERROR_BASE - 8)
#define RPMSG_EOPNOTSUPP    (RPMSG_ERROR_BASE - 9)

struct rpmsg_endpoint;
struct rpmsg_device;

/* Receive callback: data is valid during the call only (see rpmsg_hold_rx_buffer). */
typedef int (*rpmsg_ept_cb)(struct rpmsg_endpoint *ept, void *data, size_t len, uint32_t src,
			    void *priv);
/* Called when the endpoint is finally released. */
typedef void (*rpmsg_ept_release_cb)(struct rpmsg_endpoint *ept);
/* Called when the peer's name service announces that the bound service went away. */
typedef void (*rpmsg_ns_unbind_cb)(struct rpmsg_endpoint *ept);
/* Called when the peer announces a service no local endpoint is waiting for. */
typedef void (*rpmsg_ns_bind_cb)(struct rpmsg_device *rdev, const char *name, uint32_t dest);

/* Per-endpoint statistics (amplink; zero when AMPLINK_CFG_STATS is 0). */
struct amplink_rpmsg_ept_stats {
	uint64_t tx_msgs;  /* messages sent from this endpoint */
	uint64_t tx_bytes; /* payload bytes sent */
	uint64_t rx_msgs;  /* messages delivered to its callback */
	uint64_t rx_bytes; /* payload bytes delivered */
	uint64_t tx_waits; /* sends that had to wait for a buffer */
};

/*
 * An endpoint: a local address bound to a receive callback. The application
 * owns the memory; it must stay valid until rpmsg_destroy_ept returns.
 */
struct rpmsg_endpoint {
	char name[RPMSG_NAME_SIZE];	 /* ★ service name, NUL-terminated ("" = none) */
	struct rpmsg_device *rdev;	 /* ★ the device it lives on */
	uint32_t addr;			 /* ★ local address */
	uint32_t dest_addr;		 /* ★ default destination (ANY until bound) */
	uint32_t refcnt;		 /* callbacks running + 1 while registered */
	rpmsg_ept_release_cb release_cb; /* optional, called when fully released */
	rpmsg_ept_cb cb;		 /* receive callback */
	rpmsg_ns_unbind_cb ns_unbind_cb; /* peer's service went away */
	struct metal_list node;		 /* ★ in rdev->endpoints */
	void *priv;			 /* ★ application data */
	/* amplink private state: */
	struct rpmsg_endpoint *amplink_fixed_next; /* chain of fixed-address endpoints */
	uint32_t amplink_flags;			   /* AMPLINK_EPT_F_* (rpmsg_internal.h) */
#if AMPLINK_CFG_STATS
	struct amplink_rpmsg_ept_stats amplink_stats;
#endif
};

/* Transport operations behind an rpmsg_device. */
struct rpmsg_device_ops {
	int (*send_offchannel_raw)(struct rpmsg_device *rdev, uint32_t src, uint32_t dst,
				   const void *data, int len, int wait);
	void (*hold_rx_buffer)(struct rpmsg_device *rdev, void *rxbuf);
	void (*release_rx_buffer)(struct rpmsg_device *rdev, void *rxbuf);
	void *(*get_tx_payload_buffer)(struct rpmsg_device *rdev, uint32_t *len, int wait);
	int (*send_offchannel_nocopy)(struct rpmsg_device *rdev, uint32_t src, uint32_t dst,
				      const void *data, int len);
	int (*release_tx_buffer)(struct rpmsg_device *rdev, void *txbuf);
	int (*get_rx_buffer_size)(struct rpmsg_device *rdev);
	int (*get_tx_buffer_size)(struct rpmsg_device *rdev);
	/* amplink: send from @ept's context waiting at most timeout_us (0 = no wait). */
	int (*amplink_send)(struct rpmsg_device *rdev, struct rpmsg_endpoint *ept, uint32_t src,
			    uint32_t dst, const void *data, int len, uint32_t timeout_us);
	/* amplink: nocopy send accounted to @ept. */
	int (*amplink_send_nocopy)(struct rpmsg_device *rdev, struct rpmsg_endpoint *ept,
				   uint32_t src, uint32_t dst, const void *data, int len);
};

/*
 * An RPMsg device: the endpoint registry and the name service of one link.
 * Endpoints in the dynamic range 1024 .. 1024+AMPLINK_CFG_MAX_ENDPOINTS-1
 * are found through a direct index; fixed addresses through a short chain.
 */
/* amplink private: what a receive dispatcher remembers of its last endpoint. */
struct amplink_rpmsg_ept_ref {
	struct rpmsg_endpoint *ept; /* referenced endpoint, or NULL */
	unsigned int gen;	    /* registry generation when it was looked up */
	bool bound;		    /* its dest_addr was set then */
};

struct rpmsg_device {
	struct metal_list endpoints;   /* every registered endpoint */
	struct rpmsg_endpoint ns_ept;  /* the name-service endpoint (address 53) */
	unsigned int bitnext;	       /* unused, kept for API familiarity */
	metal_mutex_t lock;	       /* endpoint registry and reference counts */
	rpmsg_ns_bind_cb ns_bind_cb;   /* unknown service announced */
	rpmsg_ns_bind_cb ns_unbind_cb; /* unknown service withdrawn */
	struct rpmsg_device_ops ops;   /* ★ transport */
	bool support_ns;	       /* name service negotiated */
	/* amplink private state: */
	struct metal_condition amplink_ept_cv; /* a callback finished (refcnt dropped) */
	struct rpmsg_endpoint *amplink_fixed;  /* fixed-address endpoints */
	struct rpmsg_endpoint *amplink_dyn[AMPLINK_CFG_MAX_ENDPOINTS]; /* direct index */
	atomic_uint amplink_ept_gen; /* bumped when an endpoint leaves the registry */
	/* endpoint whose reference an idle receive dispatcher keeps (see rpmsg_ept_park) */
	atomic_uintptr_t amplink_parked; /* a struct rpmsg_endpoint * (C and C++ alike) */
};

/*
 * rpmsg_send_offchannel_raw - send @len bytes from @data with source @src to
 * @dst through @ept's device. @wait non-zero: block up to 15 s for a TX
 * buffer; zero: fail at once. May be called from a receive callback.
 * Returns the number of bytes sent, or RPMSG_ERR_PARAM, RPMSG_ERR_BUFF_SIZE
 * (payload larger than a buffer: never truncated), RPMSG_ERR_NO_BUFF,
 * RPMSG_ERR_DEV_STATE (device not ready or peer gone).
 */
int rpmsg_send_offchannel_raw(struct rpmsg_endpoint *ept, uint32_t src, uint32_t dst,
			      const void *data, int len, int wait);

/* rpmsg_send - send to ept->dest_addr from ept->addr, blocking. Returns as above. */
static inline int rpmsg_send(struct rpmsg_endpoint *ept, const void *data, int len)
{
	if (!ept)
		return RPMSG_ERR_PARAM;
	return rpmsg_send_offchannel_raw(ept, ept->addr, ept->dest_addr, data, len, true);
}

/* rpmsg_sendto - send to @dst from ept->addr, blocking. Returns as above. */
static inline int rpmsg_sendto(struct rpmsg_endpoint *ept, const void *data, int len, uint32_t dst)
{
	if (!ept)
		return RPMSG_ERR_PARAM;
	return rpmsg_send_offchannel_raw(ept, ept->addr, dst, data, len, true);
}

/* rpmsg_send_offchannel - send from @src to @dst, blocking. Returns as above. */
static inline int rpmsg_send_offchannel(struct rpmsg_endpoint *ept, uint32_t src, uint32_t dst,
					const void *data, int len)
{
	return rpmsg_send_offchannel_raw(ept, src, dst, data, len, true);
}

/* rpmsg_trysend - like rpmsg_send but RPMSG_ERR_NO_BUFF at once when no buffer is free. */
static inline int rpmsg_trysend(struct rpmsg_endpoint *ept, const void *data, int len)
{
	if (!ept)
		return RPMSG_ERR_PARAM;
	return rpmsg_send_offchannel_raw(ept, ept->addr, ept->dest_addr, data, len, false);
}

/* rpmsg_trysendto - like rpmsg_sendto without waiting. */
static inline int rpmsg_trysendto(struct rpmsg_endpoint *ept, const void *data, int len,
				  uint32_t dst)
{
	if (!ept)
		return RPMSG_ERR_PARAM;
	return rpmsg_send_offchannel_raw(ept, ept->addr, dst, data, len, false);
}

/* rpmsg_trysend_offchannel - like rpmsg_send_offchannel without waiting. */
static inline int rpmsg_trysend_offchannel(struct rpmsg_endpoint *ept, uint32_t src, uint32_t dst,
					   const void *data, int len)
{
	return rpmsg_send_offchannel_raw(ept, src, dst, data, len, false);
}

/*
 * rpmsg_hold_rx_buffer - keep the buffer @rxbuf (the data pointer a receive
 * callback got) after the callback returns. Call from the callback only.
 */
void rpmsg_hold_rx_buffer(struct rpmsg_endpoint *ept, void *rxbuf);

/* rpmsg_release_rx_buffer - give back a buffer kept with rpmsg_hold_rx_buffer. Any thread. */
void rpmsg_release_rx_buffer(struct rpmsg_endpoint *ept, void *rxbuf);

/*
 * rpmsg_get_tx_payload_buffer - take a TX buffer to fill in place; *@len gets
 * its payload capacity. @wait non-zero: block up to 15 s. The buffer must be
 * sent with a *_nocopy call or returned with rpmsg_release_tx_buffer.
 * Returns the payload pointer, or NULL.
 */
void *rpmsg_get_tx_payload_buffer(struct rpmsg_endpoint *ept, uint32_t *len, int wait);

/*
 * rpmsg_release_tx_buffer - give back an unsent buffer from
 * rpmsg_get_tx_payload_buffer. Returns RPMSG_SUCCESS or RPMSG_ERR_PARAM.
 */
int rpmsg_release_tx_buffer(struct rpmsg_endpoint *ept, void *txbuf);

/*
 * rpmsg_send_offchannel_nocopy - send a buffer from rpmsg_get_tx_payload_buffer
 * filled with @len bytes, from @src to @dst. Never waits. On success the buffer
 * belongs to the stack again; on error it is still the caller's.
 * Returns @len, or a negative RPMSG_ERR_*.
 */
int rpmsg_send_offchannel_nocopy(struct rpmsg_endpoint *ept, uint32_t src, uint32_t dst,
				 const void *data, int len);

/* rpmsg_sendto_nocopy - nocopy send from ept->addr to @dst. Returns as above. */
static inline int rpmsg_sendto_nocopy(struct rpmsg_endpoint *ept, const void *data, int len,
				      uint32_t dst)
{
	if (!ept)
		return RPMSG_ERR_PARAM;
	return rpmsg_send_offchannel_nocopy(ept, ept->addr, dst, data, len);
}

/* rpmsg_send_nocopy - nocopy send to ept->dest_addr. Returns as above. */
static inline int rpmsg_send_nocopy(struct rpmsg_endpoint *ept, const void *data, int len)
{
	if (!ept)
		return RPMSG_ERR_PARAM;
	return rpmsg_send_offchannel_nocopy(ept, ept->addr, ept->dest_addr, data, len);
}

/* rpmsg_get_tx_buffer_size - payload capacity of a TX buffer, or a negative error. */
int rpmsg_get_tx_buffer_size(struct rpmsg_endpoint *ept);

/* rpmsg_get_rx_buffer_size - payload capacity of an RX buffer, or a negative error. */
int rpmsg_get_rx_buffer_size(struct rpmsg_endpoint *ept);

/*
 * rpmsg_create_ept - register @ept on @rdev at address @src (RPMSG_ADDR_ANY:
 * the lowest free address >= 1024) with default destination @dest. If @name
 * is not empty, the name service is on and @dest is RPMSG_ADDR_ANY, the
 * endpoint is announced to the peer (NS CREATE). Any thread; not from an
 * interrupt. rpmsg_create_ept does not touch ept->priv (set it before, so a
 * message arriving at once finds it). Returns RPMSG_SUCCESS, RPMSG_ERR_PARAM
 * (also for a name of RPMSG_NAME_SIZE characters or more: never truncated),
 * RPMSG_ERR_ADDR (address in use or none free), or the announcement's send
 * error (the endpoint is then not registered).
 */
int rpmsg_create_ept(struct rpmsg_endpoint *ept, struct rpmsg_device *rdev, const char *name,
		     uint32_t src, uint32_t dest, rpmsg_ept_cb cb, rpmsg_ns_unbind_cb ns_unbind_cb);

/*
 * rpmsg_destroy_ept - announce NS DESTROY for an announced endpoint and
 * unregister it. From another thread it waits until a running callback of
 * this endpoint returns; from inside that callback it does not wait. After it
 * returns, the stack no longer touches @ept. Bare metal (one thread plus
 * interrupts) never waits: if an interrupt handler destroys an endpoint whose
 * callback it interrupted, the memory must stay valid until that callback
 * returns.
 */
void rpmsg_destroy_ept(struct rpmsg_endpoint *ept);

/* is_rpmsg_ept_ready - non-zero when both addresses are set (neither is ANY). */
static inline unsigned int is_rpmsg_ept_ready(struct rpmsg_endpoint *ept)
{
	return ept && ept->rdev && ept->dest_addr != RPMSG_ADDR_ANY && ept->addr != RPMSG_ADDR_ANY;
}

#ifdef __cplusplus
}
#endif

#endif /* OPENAMP_RPMSG_H */
