/* vgpu_vtest.h: the vtest protocol server (`tessera serve`): Mesa's virgl
 * driver in vtest mode (GALLIUM_DRIVER=virpipe) connects over a Unix socket
 * and sends the virgl stream; Tessera renders it. */
#ifndef VGPU_VTEST_H
#define VGPU_VTEST_H

#include <signal.h>
#include <stdint.h>

#define VGPU_VTEST_DEFAULT_SOCKET "/tmp/.virgl_test"
#define VGPU_VTEST_MAX_VERSION 2   /* protocol version served (what Mesa 22.3 negotiates) */

struct vgpu_vtest_options {
   const char *socket_path;      /* default VGPU_VTEST_DEFAULT_SOCKET */
   const char *level;            /* capability level (vgpu_caps.h) */
   unsigned threads;             /* rasterizer threads per client; 0 = online cores */
   int stats;                    /* print per-client counters when a client leaves */
   const char *record_dir;       /* write one capture per client session here (NULL = no recording) */
};

/* Serve until *stop becomes nonzero (a signal handler sets it). Each client
 * gets its own thread and its own renderer: vtest resource handles are chosen
 * by each client, so they only need to be unique within it, and one client's
 * failure cannot touch another's objects. Returns 0, or -1 with a message on
 * stderr if the socket cannot be set up. */
int vgpu_vtest_serve(const struct vgpu_vtest_options *opts, volatile sig_atomic_t *stop);

/* Serve one already-connected client on fd until it leaves or misbehaves
 * (used by the server loop and by tests). Closes fd. */
void vgpu_vtest_serve_fd(const struct vgpu_vtest_options *opts, int fd, unsigned client_id);

#endif
