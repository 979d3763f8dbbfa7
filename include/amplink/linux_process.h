/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Linux two-process transport: a host (virtio driver, owns the buffers)
 * and a remote (virtio device) in two processes share one memfd region that
 * holds a control block, a resource table with one rpmsg vdev, two vrings and
 * the buffer pool. Each direction has a doorbell in shared memory (sequence
 * counter + sleeper count) with a futex for blocking waits and an eventfd for
 * the application's own poll loop. A remote gets the fds by inheritance
 * (fork, fork+exec) or from a UNIX socket (SCM_RIGHTS). Both sides are built
 * through the standard rproc_virtio_create_vdev + rpmsg_init_vdev path; the
 * application then uses the ordinary <openamp/rpmsg.h> API on
 * amplink_lp_rpmsg_device().
 *
 * Errors are negative errno values. A dead or departed peer gives -EPIPE from
 * amplink_lp_process() and makes blocked and later rpmsg sends fail.
 */
#ifndef AMPLINK_LINUX_PROCESS_H
#define AMPLINK_LINUX_PROCESS_H

#include <stddef.h>
#include <sys/types.h>
#include <openamp/rpmsg.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How a side waits for the peer's notifications. */
enum amplink_lp_wait_mode {
	/* Sleep in the kernel (futex) until the peer rings: 0% CPU when idle. */
	AMPLINK_LP_WAIT_BLOCKING = 0,
	/* Spin on the doorbell with metal_cpu_yield: lowest latency, one core busy. */
	AMPLINK_LP_WAIT_POLL = 1,
	/* Spin for spin_us, then sleep as BLOCKING does. */
	AMPLINK_LP_WAIT_ADAPTIVE = 2,
};

/* Environment variable through which an exec'd remote finds its fds. */
#define AMPLINK_LP_ENV_FDS "AMPLINK_LP_FDS"

/* Default vring size (descriptors per vring) and adaptive spin time. */
#define AMPLINK_LP_DEFAULT_VRING_NUM 256U
#define AMPLINK_LP_DEFAULT_SPIN_US   50U

/* Options of one side; fill with amplink_lp_config_init() first. */
struct amplink_lp_config {
	/* Instance name (memfd label, socket file name); NULL = "amplink-<user>-<pid>". */
	const char *name;
	/* Host only: descriptors per vring, a power of two in 2..1024; 0 = default. */
	unsigned int vring_num;
	/* How amplink_lp_process() and blocked senders wait. */
	enum amplink_lp_wait_mode wait_mode;
	/* ADAPTIVE: how long to spin before sleeping, in microseconds; 0 = default. */
	unsigned int spin_us;
	/* Called for a name-service announcement no local endpoint claims; may be NULL. */
	rpmsg_ns_bind_cb ns_bind_cb;
	/* Application data, returned by amplink_lp_priv(). */
	void *priv;
};

/* One side of a two-process link (opaque). */
struct amplink_lp;

/* Body of a forked remote: returns the child's exit status (0..255). */
typedef int (*amplink_lp_remote_fn)(struct amplink_lp *remote, void *arg);

/*
 * amplink_lp_config_init() - fill @cfg with the defaults (no name, default
 * vring size, BLOCKING, default spin time, no callbacks).
 */
void amplink_lp_config_init(struct amplink_lp_config *cfg);

/*
 * amplink_lp_host_create() - create the host side: the shared region (memfd,
 * mode 0600), its control block and resource table, the eventfds, and the
 * rpmsg device in the driver role (RX buffers posted, DRIVER_OK set).
 * metal_init() must have been called. @cfg may be NULL (defaults).
 * Returns 0 and sets *@lp, or a negative errno (-EINVAL bad config, -ENOMEM).
 */
int amplink_lp_host_create(const struct amplink_lp_config *cfg, struct amplink_lp **lp);

/*
 * amplink_lp_start_remote_fn() - fork a child that attaches as the remote
 * (configured by @remote_cfg, may be NULL), runs @fn(remote, @arg), detaches
 * and exits with @fn's return value. Call once per host, from the thread that
 * owns @host, before other threads exist if possible (fork). Returns the
 * child's pid, or a negative errno (-EBUSY: a remote is already attached).
 */
pid_t amplink_lp_start_remote_fn(struct amplink_lp *host, amplink_lp_remote_fn fn, void *arg,
				 const struct amplink_lp_config *remote_cfg);

/*
 * amplink_lp_start_remote_exec() - fork and exec @path with @argv (argv[0]
 * included, NULL-terminated). The child inherits the region, eventfds and a
 * life-line socket; their numbers are in the environment variable
 * AMPLINK_LP_ENV_FDS, which amplink_lp_remote_open() reads. Returns the
 * child's pid, or a negative errno.
 */
pid_t amplink_lp_start_remote_exec(struct amplink_lp *host, const char *path, char *const argv[]);

/*
 * amplink_lp_listen() - open the UNIX socket through which one unrelated
 * process can attach. @sock_path NULL = the default path for the instance
 * name (see amplink_lp_default_socket_path()); the directory is created with
 * mode 0700 if absent (an existing one must belong to us and not be group- or
 * world-accessible), the socket gets mode 0600. Returns 0 or a negative errno
 * (-EADDRINUSE: a live instance already listens there).
 */
int amplink_lp_listen(struct amplink_lp *host, const char *sock_path);

/* amplink_lp_socket_path() - the path amplink_lp_listen() bound, or NULL. */
const char *amplink_lp_socket_path(const struct amplink_lp *host);

/*
 * amplink_lp_accept() - wait up to @timeout_ms (-1 forever) for a remote to
 * connect to the listening socket, check it runs as our user, hand it the
 * fds (SCM_RIGHTS) and keep the connection as the life line. The listening
 * socket is closed and unlinked afterwards. Returns 0, -ETIMEDOUT, -EBUSY (a
 * remote is already attached) or another negative errno.
 */
int amplink_lp_accept(struct amplink_lp *host, int timeout_ms);

/*
 * amplink_lp_remote_connect() - attach as the remote through the host's
 * socket at @sock_path (the host must run as our user): receive and
 * validate the region, build the rpmsg device in the device role (waits up
 * to 30 s to be accepted, 2 s for the host's DRIVER_OK). Returns 0 and sets
 * *@lp, or a negative errno (-ECONNREFUSED, -EPERM, -ETIMEDOUT, -EPROTO:
 * invalid region or attach message).
 */
int amplink_lp_remote_connect(const char *sock_path, const struct amplink_lp_config *cfg,
			      struct amplink_lp **lp);

/*
 * amplink_lp_remote_open() - attach as the remote of the host that exec'd
 * us, from the fds named in AMPLINK_LP_ENV_FDS (the variable is removed).
 * Returns 0 and sets *@lp, -ENOENT if the variable is not set, or another
 * negative errno.
 */
int amplink_lp_remote_open(const struct amplink_lp_config *cfg, struct amplink_lp **lp);

/*
 * amplink_lp_default_socket_path() - write the default socket path for
 * instance @name (NULL = default name) into @buf: $XDG_RUNTIME_DIR/amplink/
 * <name>.sock, or /tmp/amplink-<uid>/<name>.sock. Returns 0 or -ENAMETOOLONG.
 */
int amplink_lp_default_socket_path(const char *name, char *buf, size_t len);

/* amplink_lp_rpmsg_device() - the rpmsg device of this side (never NULL). */
struct rpmsg_device *amplink_lp_rpmsg_device(struct amplink_lp *lp);

/* amplink_lp_priv() - the priv pointer given in the configuration. */
void *amplink_lp_priv(const struct amplink_lp *lp);

/*
 * amplink_lp_process() - wait up to @timeout_ms (0 = just look, -1 = no
 * limit) in the current wait mode for the peer to ring, then run the rpmsg
 * receive path (endpoint callbacks run in this thread). Call from one thread
 * at a time per side. Returns 1 when notifications were handled, 0 on
 * timeout, -EPIPE once the peer is gone, or another negative errno.
 */
int amplink_lp_process(struct amplink_lp *lp, int timeout_ms);

/*
 * amplink_lp_poll_fd() - a file descriptor that becomes readable when the
 * peer rings or goes away; when it is, call amplink_lp_process(lp, 0). Once
 * asked for, every notification that finds no eventfd write pending costs
 * the peer one write(). Suitable for metal_irq_register(). Once the peer is
 * gone the fd stays readable (hang-up) and amplink_lp_process() returns
 * -EPIPE: stop watching it then. Returns the fd or a negative errno
 * (-ENOTCONN before the region exists).
 */
int amplink_lp_poll_fd(struct amplink_lp *lp);

/*
 * amplink_lp_set_wait_mode() - change how this side waits (takes effect at
 * the next wait). @spin_us: ADAPTIVE spin time, 0 = default. Returns 0 or
 * -EINVAL.
 */
int amplink_lp_set_wait_mode(struct amplink_lp *lp, enum amplink_lp_wait_mode mode,
			     unsigned int spin_us);

/*
 * amplink_lp_peer_alive() - check the peer now (child exit, life-line
 * hang-up, departure flag in the control block). On the first negative
 * answer the rpmsg device is marked gone. Returns 1 alive, 0 gone.
 */
int amplink_lp_peer_alive(struct amplink_lp *lp);

/*
 * amplink_lp_wait_remote() - host: wait up to @timeout_ms (-1 forever) for
 * the forked/exec'd remote to exit and reap it; *@status gets its
 * waitpid() status. Returns 0, -ETIMEDOUT, or -ECHILD (no child).
 */
int amplink_lp_wait_remote(struct amplink_lp *host, int timeout_ms, int *status);

/*
 * amplink_lp_destroy() - detach: tell the peer we leave (it sees -EPIPE),
 * tear down the rpmsg device, unmap the region, close every fd, remove the
 * socket file. A forked/exec'd remote that is still running is not killed
 * (it sees us leave and should end): reap it with amplink_lp_wait_remote()
 * before, or with waitpid() on its pid after.
 * No rpmsg call on this side may run concurrently. @lp may be NULL.
 */
void amplink_lp_destroy(struct amplink_lp *lp);

#ifdef __cplusplus
}
#endif

#endif /* AMPLINK_LINUX_PROCESS_H */
