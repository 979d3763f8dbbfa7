/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Proxy services: a remote uses the host's files and console through a small,
 * versioned request/response protocol over one rpmsg endpoint named
 * AMPLINK_PROXY_SERVICE_NAME. This header holds the wire constants (see
 * docs/proxy.md), the message layer shared by both sides (framing,
 * fragmentation, reassembly, error-code mapping), the remote's client API and
 * the generic server that dispatches complete requests to a handler.
 */
#ifndef AMPLINK_PROXY_H
#define AMPLINK_PROXY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <metal/condition.h>
#include <metal/mutex.h>
#include <openamp/rpmsg.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AMPLINK_PROXY_SERVICE_NAME "amplink-proxy"
#define AMPLINK_PROXY_VERSION	   1u
#define AMPLINK_PROXY_HDR_SIZE	   20u

/* Largest reassembled payload of one message (both directions). */
#ifndef AMPLINK_PROXY_MAX_PAYLOAD
#define AMPLINK_PROXY_MAX_PAYLOAD 4096u
#endif
/* Requests one client may have in flight at once. */
#ifndef AMPLINK_PROXY_MAX_INFLIGHT
#define AMPLINK_PROXY_MAX_INFLIGHT 4u
#endif
/* Files and directories one remote may hold open on the host. */
#ifndef AMPLINK_PROXY_HOST_MAX_FILES
#define AMPLINK_PROXY_HOST_MAX_FILES 16u
#endif
/* Largest data chunk one READ/WRITE request carries (calls split larger ones). */
#define AMPLINK_PROXY_MAX_DATA (AMPLINK_PROXY_MAX_PAYLOAD - 16u)
/* Longest path accepted (bytes, without a terminator). */
#define AMPLINK_PROXY_MAX_PATH 1024u
/* Longest directory entry name returned by readdir. */
#define AMPLINK_PROXY_NAME_MAX 255u

/* Message kinds. */
#define AMPLINK_PROXY_KIND_REQ 1u
#define AMPLINK_PROXY_KIND_RSP 2u
/*
 * Sent once by a host that cannot announce its endpoint (e.g. a Linux
 * /dev/rpmsgN): op, id, status, total and offset 0, no payload. The client
 * accepts it silently; the rpmsg layer has bound its endpoint to the sender.
 */
#define AMPLINK_PROXY_KIND_HELLO 3u

/* Opcodes. */
enum amplink_proxy_op {
	AMPLINK_PROXY_OP_OPEN = 1,
	AMPLINK_PROXY_OP_CLOSE = 2,
	AMPLINK_PROXY_OP_READ = 3,
	AMPLINK_PROXY_OP_WRITE = 4,
	AMPLINK_PROXY_OP_LSEEK = 5,
	AMPLINK_PROXY_OP_FSTAT = 6,
	AMPLINK_PROXY_OP_UNLINK = 7,
	AMPLINK_PROXY_OP_MKDIR = 8,
	AMPLINK_PROXY_OP_OPENDIR = 9,
	AMPLINK_PROXY_OP_READDIR = 10,
	AMPLINK_PROXY_OP_CLOSEDIR = 11,
	AMPLINK_PROXY_OP_CONSOLE_WRITE = 12,
	AMPLINK_PROXY_OP_CONSOLE_READ = 13,
	AMPLINK_PROXY_OP_COUNT /* first invalid opcode */
};

/* Open flags on the wire (mapped to the host's own by the server). */
#define AMPLINK_PROXY_O_RDONLY	0x0u
#define AMPLINK_PROXY_O_WRONLY	0x1u
#define AMPLINK_PROXY_O_RDWR	0x2u
#define AMPLINK_PROXY_O_ACCMODE 0x3u
#define AMPLINK_PROXY_O_CREAT	0x10u
#define AMPLINK_PROXY_O_EXCL	0x20u
#define AMPLINK_PROXY_O_TRUNC	0x40u
#define AMPLINK_PROXY_O_APPEND	0x80u
#define AMPLINK_PROXY_O_ALL	0xf3u

/* lseek whence on the wire. */
#define AMPLINK_PROXY_SEEK_SET 0u
#define AMPLINK_PROXY_SEEK_CUR 1u
#define AMPLINK_PROXY_SEEK_END 2u

/* File types on the wire (fstat, readdir). */
#define AMPLINK_PROXY_T_OTHER 0u
#define AMPLINK_PROXY_T_REG   1u
#define AMPLINK_PROXY_T_DIR   2u
#define AMPLINK_PROXY_T_CHR   3u

/* Console streams. */
#define AMPLINK_PROXY_STDIN  0u
#define AMPLINK_PROXY_STDOUT 1u
#define AMPLINK_PROXY_STDERR 2u

/* Wire error numbers (a negative status is minus one of these). */
enum amplink_proxy_wire_err {
	AMPLINK_PROXY_WE_PERM = 1,
	AMPLINK_PROXY_WE_NOENT = 2,
	AMPLINK_PROXY_WE_IO = 3,
	AMPLINK_PROXY_WE_BADF = 4,
	AMPLINK_PROXY_WE_NOMEM = 5,
	AMPLINK_PROXY_WE_ACCES = 6,
	AMPLINK_PROXY_WE_EXIST = 7,
	AMPLINK_PROXY_WE_NOTDIR = 8,
	AMPLINK_PROXY_WE_ISDIR = 9,
	AMPLINK_PROXY_WE_INVAL = 10,
	AMPLINK_PROXY_WE_MFILE = 11,
	AMPLINK_PROXY_WE_FBIG = 12,
	AMPLINK_PROXY_WE_NOSPC = 13,
	AMPLINK_PROXY_WE_NAMETOOLONG = 14,
	AMPLINK_PROXY_WE_NOTEMPTY = 15,
	AMPLINK_PROXY_WE_NOSYS = 16,
	AMPLINK_PROXY_WE_TIMEDOUT = 17,
	AMPLINK_PROXY_WE_AGAIN = 18,
	AMPLINK_PROXY_WE_LOOP = 19,
	AMPLINK_PROXY_WE_OVERFLOW = 20,
	AMPLINK_PROXY_WE_ROFS = 21,
	AMPLINK_PROXY_WE_SPIPE = 22,
};

/* Decoded message header. */
struct amplink_proxy_hdr {
	uint8_t version;
	uint8_t kind;
	uint16_t op;
	uint32_t id;
	int32_t status;	 /* responses: >= 0 result, < 0 minus a wire error */
	uint32_t total;	 /* payload bytes of the whole message */
	uint32_t offset; /* where this fragment's bytes go in the payload */
};

/* Counters of one side (all messages it received or dropped). */
struct amplink_proxy_stats {
	uint32_t rx_msgs;     /* complete messages accepted */
	uint32_t tx_msgs;     /* complete messages sent */
	uint32_t bad;	      /* dropped: malformed header, length, opcode, kind */
	uint32_t unsolicited; /* dropped: a response nobody waits for */
	uint32_t timeouts;    /* calls that gave up waiting */
};

/* Reassembly of one message arriving in fragments. */
struct amplink_proxy_rx {
	struct amplink_proxy_hdr hdr; /* of the message being assembled */
	uint8_t *buf;		      /* where the payload goes */
	uint32_t cap;		      /* bytes at buf */
	uint32_t filled;	      /* bytes received so far */
	bool active;		      /* a message is partly received */
};

/*
 * amplink_proxy_hdr_parse - decode and check the header of a received
 * fragment of @len bytes at @data: version, kind, opcode, total <= @max_total,
 * fragment inside total. Any context. Returns the fragment's payload length
 * (>= 0) or -EINVAL (caller counts, logs and drops).
 */
int amplink_proxy_hdr_parse(const void *data, size_t len, uint32_t max_total,
			    struct amplink_proxy_hdr *h);

/* amplink_proxy_hdr_write - encode @h into 20 bytes at @out. Any context. */
void amplink_proxy_hdr_write(void *out, const struct amplink_proxy_hdr *h);

/*
 * amplink_proxy_send - send one message (@h->total is set from the parts)
 * whose payload is @a (@alen bytes) followed by @b (@blen bytes) to @dst,
 * split into as many fragments as the TX buffer size needs. The caller holds
 * whatever lock keeps other messages of this endpoint from interleaving.
 * Returns 0 or a negative RPMSG_ERR_* / errno value.
 */
int amplink_proxy_send(struct rpmsg_endpoint *ept, uint32_t dst, struct amplink_proxy_hdr *h,
		       const void *a, uint32_t alen, const void *b, uint32_t blen);

/*
 * Sends one message through a transport that is not an rpmsg endpoint of this
 * library (e.g. a write to Linux's /dev/rpmsgN): the 20-byte header @hdr
 * followed by @len payload bytes at @data (NULL when @len is 0), as ONE
 * message. Returns 0 or a negative errno.
 */
typedef int (*amplink_proxy_io_send_fn)(void *ctx, const void *hdr, const void *data, uint32_t len);

/*
 * amplink_proxy_send_io - send the message with header @h and payload
 * @data/@len through @send, in fragments of at most @mtu bytes each (header
 * included; @mtu > AMPLINK_PROXY_HDR_SIZE). The caller keeps other messages
 * from interleaving. Returns 0, -EINVAL, -EMSGSIZE or @send's error.
 */
int amplink_proxy_send_io(amplink_proxy_io_send_fn send, void *ctx, uint32_t mtu,
			  struct amplink_proxy_hdr *h, const void *data, uint32_t len);

/*
 * amplink_proxy_err_to_wire - map a negative local errno to a negative wire
 * status (unknown ones become -AMPLINK_PROXY_WE_IO). Any context.
 */
int32_t amplink_proxy_err_to_wire(int err);

/*
 * amplink_proxy_err_from_wire - map a negative wire status to a negative
 * local errno (unknown ones become -EIO); values >= 0 pass through.
 */
int amplink_proxy_err_from_wire(int32_t status);

/* Little-endian field access used by the message bodies. */
uint32_t amplink_proxy_get32(const uint8_t *p);
uint64_t amplink_proxy_get64(const uint8_t *p);
void amplink_proxy_put32(uint8_t *p, uint32_t v);
void amplink_proxy_put64(uint8_t *p, uint64_t v);

/* ---- client (remote side) ---- */

/*
 * Wait hook of a client: called while a call waits for its reply, it should
 * deliver incoming messages (or sleep up to @slice_us while another thread
 * does). Returns 0, or a negative value to abandon the wait.
 */
typedef int (*amplink_proxy_wait_fn)(void *arg, uint32_t slice_us);

/* One call waiting for its reply. */
struct amplink_proxy_slot {
	uint32_t id;
	bool busy; /* a call owns the slot */
	bool done; /* its reply arrived */
	int32_t status;
	uint8_t *out; /* where the reply payload goes */
	uint32_t out_cap;
	uint32_t out_len;
	uint32_t filled;
};

/* A client: one endpoint, its calls in flight and the reassembly state. */
struct amplink_proxy_client {
	struct rpmsg_endpoint ept;
	metal_mutex_t lock;	   /* slots, rx and stats */
	metal_mutex_t tx_lock;	   /* one message at a time on the wire */
	struct metal_condition cv; /* a reply arrived (no wait hook) */
	struct amplink_proxy_slot slots[AMPLINK_PROXY_MAX_INFLIGHT];
	struct amplink_proxy_slot *rx_slot; /* slot receiving a fragmented reply */
	uint32_t rx_id;
	uint32_t skip_id; /* the rest of this dropped reply is ignored too */
	bool skipping;
	uint32_t next_id;
	uint32_t timeout_ms;
	amplink_proxy_wait_fn wait;
	void *wait_arg;
	struct amplink_proxy_stats stats;
	bool up;
};

/*
 * amplink_proxy_client_init - create the client's endpoint on @rdev under the
 * service name (announced to the host, which binds its server to it). @wait
 * (may be NULL: then another thread must be delivering messages and the call
 * sleeps in slices) runs while a call waits. Default timeout 5000 ms.
 * Returns 0 or a negative error.
 */
int amplink_proxy_client_init(struct amplink_proxy_client *c, struct rpmsg_device *rdev,
			      amplink_proxy_wait_fn wait, void *wait_arg);

/*
 * amplink_proxy_client_init_at - amplink_proxy_client_init with the endpoint
 * at the fixed local address @addr (RPMSG_ADDR_ANY: any), for hosts that
 * reach the client without the name service (e.g. Linux's rpmsg_ctrl
 * RPMSG_CREATE_DEV_IOCTL with dst @addr); such a host sends HELLO first.
 * Returns 0 or a negative error (e.g. the address is taken).
 */
int amplink_proxy_client_init_at(struct amplink_proxy_client *c, struct rpmsg_device *rdev,
				 uint32_t addr, amplink_proxy_wait_fn wait, void *wait_arg);

/* amplink_proxy_client_deinit - destroy the endpoint. No call may be in flight. */
void amplink_proxy_client_deinit(struct amplink_proxy_client *c);

/* amplink_proxy_client_set_timeout - per-call reply timeout in ms. */
void amplink_proxy_client_set_timeout(struct amplink_proxy_client *c, uint32_t ms);

/*
 * amplink_proxy_call - send request @op with payload @a/@alen + @b/@blen and
 * wait for its reply (payload copied to @out, at most @out_cap bytes; the
 * length to *@out_len when non-NULL). Thread-safe: up to
 * AMPLINK_PROXY_MAX_INFLIGHT calls are in flight at once, more wait for a free
 * slot. Returns the reply status (>= 0) or a negative local errno
 * (-ETIMEDOUT, -ENOTCONN before the host bound, -EAGAIN no slot freed in
 * time, -EMSGSIZE, mapped server errors).
 */
int amplink_proxy_call(struct amplink_proxy_client *c, uint16_t op, const void *a, uint32_t alen,
		       const void *b, uint32_t blen, void *out, uint32_t out_cap,
		       uint32_t *out_len);

/* File and console calls: POSIX-like, returning a negative errno on failure. */
struct amplink_proxy_stat {
	uint64_t size;
	uint32_t type; /* AMPLINK_PROXY_T_* */
	uint32_t mode; /* permission bits (0777) */
	uint64_t mtime;
};

struct amplink_proxy_dirent {
	uint32_t type;
	char name[AMPLINK_PROXY_NAME_MAX + 1];
};

int amplink_proxy_open(struct amplink_proxy_client *c, const char *path, uint32_t flags,
		       uint32_t mode);
int amplink_proxy_close(struct amplink_proxy_client *c, int fd);
long amplink_proxy_read(struct amplink_proxy_client *c, int fd, void *buf, size_t len);
long amplink_proxy_write(struct amplink_proxy_client *c, int fd, const void *buf, size_t len);
long long amplink_proxy_lseek(struct amplink_proxy_client *c, int fd, long long off,
			      uint32_t whence);
int amplink_proxy_fstat(struct amplink_proxy_client *c, int fd, struct amplink_proxy_stat *st);
int amplink_proxy_unlink(struct amplink_proxy_client *c, const char *path);
int amplink_proxy_mkdir(struct amplink_proxy_client *c, const char *path, uint32_t mode);
int amplink_proxy_opendir(struct amplink_proxy_client *c, const char *path);
/* Returns 1 with *@de filled, 0 at the end, or a negative errno. */
int amplink_proxy_readdir(struct amplink_proxy_client *c, int dd, struct amplink_proxy_dirent *de);
int amplink_proxy_closedir(struct amplink_proxy_client *c, int dd);
long amplink_proxy_console_write(struct amplink_proxy_client *c, uint32_t stream, const void *buf,
				 size_t len);
long amplink_proxy_console_read(struct amplink_proxy_client *c, void *buf, size_t len);

/*
 * amplink_proxy_newlib_attach - route newlib's system calls (_open, _read,
 * _write, _close, _lseek, _fstat, _isatty) through @c (NULL: detach; calls
 * then fail with EBADF/EIO, console writes are dropped). Only in arm-none-eabi
 * builds (src/services/proxy_newlib.c). Call before the first printf/fopen;
 * not thread-safe against those calls.
 */
void amplink_proxy_newlib_attach(struct amplink_proxy_client *c);

/* ---- server (host side, portable dispatch) ---- */

struct amplink_proxy_server;

/*
 * Request handler: serve opcode @op with payload @in/@in_len, write up to
 * @out_cap reply bytes to @out and their count to *@out_len. Returns the
 * status (>= 0) or a negative local errno (mapped to the wire by the server).
 */
typedef int32_t (*amplink_proxy_handler_fn)(struct amplink_proxy_server *s, uint16_t op,
					    const uint8_t *in, uint32_t in_len, uint8_t *out,
					    uint32_t out_cap, uint32_t *out_len);

/* Called when the remote's endpoint goes away (close its files). */
typedef void (*amplink_proxy_gone_fn)(struct amplink_proxy_server *s);

struct amplink_proxy_server {
	struct rpmsg_endpoint ept; /* rpmsg binding (amplink_proxy_server_start) */
	amplink_proxy_handler_fn handler;
	amplink_proxy_gone_fn gone;
	void *priv;
	/* How replies leave and how the binding ends (set by the transport binding). */
	int (*reply)(struct amplink_proxy_server *s, struct amplink_proxy_hdr *h, const void *data,
		     uint32_t len);
	void (*unbind)(struct amplink_proxy_server *s);
	amplink_proxy_io_send_fn io_send; /* I/O binding (amplink_proxy_server_attach_io) */
	void *io_ctx;
	uint32_t io_mtu;
	struct amplink_proxy_rx rx;
	uint8_t rx_buf[AMPLINK_PROXY_MAX_PAYLOAD];
	uint8_t out[AMPLINK_PROXY_MAX_PAYLOAD];
	struct amplink_proxy_stats stats;
	bool up;
};

/*
 * amplink_proxy_server_start - create the server's endpoint on @rdev bound to
 * the remote's announced address @dest (call it from the ns_bind callback
 * when the name is AMPLINK_PROXY_SERVICE_NAME). Requests are served in the
 * receive callback. Returns 0 or a negative error.
 */
int amplink_proxy_server_start(struct amplink_proxy_server *s, struct rpmsg_device *rdev,
			       uint32_t dest, amplink_proxy_handler_fn handler,
			       amplink_proxy_gone_fn gone, void *priv);

/*
 * amplink_proxy_server_attach_io - serve requests fed through
 * amplink_proxy_server_receive and send replies through @send (messages of at
 * most @mtu bytes), for a host that reaches the remote through something
 * other than an rpmsg device of this library. Sends the HELLO message first
 * (the remote's endpoint binds to the sender). Returns 0, -EINVAL, or
 * @send's error (then not attached).
 */
int amplink_proxy_server_attach_io(struct amplink_proxy_server *s, amplink_proxy_io_send_fn send,
				   void *ctx, uint32_t mtu, amplink_proxy_handler_fn handler,
				   amplink_proxy_gone_fn gone, void *priv);

/*
 * amplink_proxy_server_receive - take one received message (@len bytes at
 * @data, untrusted): check it, reassemble fragments, serve a complete request
 * and send its reply. The caller serialises calls (one receive path). The
 * rpmsg binding calls it from its endpoint callback. Returns 0 (taken),
 * -EINVAL (dropped, counted in stats.bad, logged) or -ENOTCONN (not attached).
 */
int amplink_proxy_server_receive(struct amplink_proxy_server *s, const void *data, size_t len);

/*
 * amplink_proxy_server_stop - end the binding (destroy the endpoint, or
 * forget the I/O callback) and call @gone if still up.
 */
void amplink_proxy_server_stop(struct amplink_proxy_server *s);

/* ---- host file and console service (Linux builds only) ---- */

struct amplink_proxy_host;

/*
 * amplink_proxy_host_create - a host service serving the directory @root
 * (the remote sees only that tree) and the console on the given descriptors
 * (-1: console output discarded / input at end). Returns 0 and *@out, or a
 * negative errno.
 */
int amplink_proxy_host_create(const char *root, int con_out, int con_err, int con_in,
			      struct amplink_proxy_host **out);

/*
 * amplink_proxy_host_attach - start serving the remote proxy endpoint
 * announced at @dest on @rdev (call from the ns_bind callback). Returns 0 or
 * a negative error.
 */
int amplink_proxy_host_attach(struct amplink_proxy_host *h, struct rpmsg_device *rdev,
			      uint32_t dest);

/*
 * amplink_proxy_host_attach_io - start serving a remote reached through a
 * transport of the caller's (e.g. Linux's /dev/rpmsgN in a guest): sends
 * HELLO through @send, then replies to what amplink_proxy_host_receive is
 * given (messages of at most @mtu bytes). Returns 0, -EBUSY (already
 * attached), -EINVAL or @send's error.
 */
int amplink_proxy_host_attach_io(struct amplink_proxy_host *h, amplink_proxy_io_send_fn send,
				 void *ctx, uint32_t mtu);

/*
 * amplink_proxy_host_receive - serve one message received from the remote
 * (after amplink_proxy_host_attach_io). One thread at a time. Returns 0,
 * -EINVAL (dropped and counted) or -ENOTCONN (not attached).
 */
int amplink_proxy_host_receive(struct amplink_proxy_host *h, const void *data, size_t len);

/* amplink_proxy_host_detach - stop serving and close every file of the remote. */
void amplink_proxy_host_detach(struct amplink_proxy_host *h);

/* amplink_proxy_host_destroy - detach if needed and free @h. */
void amplink_proxy_host_destroy(struct amplink_proxy_host *h);

/*
 * amplink_proxy_host_attached - true while @h serves a remote endpoint (false
 * after a detach or once the remote withdrew its endpoint).
 */
bool amplink_proxy_host_attached(const struct amplink_proxy_host *h);

/* amplink_proxy_host_open_count - files and directories the remote holds open. */
int amplink_proxy_host_open_count(const struct amplink_proxy_host *h);

/* amplink_proxy_host_stats - the server's counters (valid while @h lives). */
const struct amplink_proxy_stats *amplink_proxy_host_stats(const struct amplink_proxy_host *h);

/* amplink_proxy_host_set_walk - test hook: resolve paths without openat2. */
void amplink_proxy_host_set_walk(struct amplink_proxy_host *h, bool walk);

#ifdef __cplusplus
}
#endif

#endif /* AMPLINK_PROXY_H */
