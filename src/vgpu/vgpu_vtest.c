/* vgpu_vtest.c: the vtest server. Framing as Mesa 22.3 and virglrenderer
 * 0.10.4 speak it (../shared/notes/vtest.md): two-word headers [length,
 * command], the odd length forms of CREATE_RENDERER, GET_CAPS and the
 * TRANSFER_PUT variants, shared-memory resources handed out as memfds, and
 * synchronous execution (BUSY_WAIT always answers "not busy"). Every length
 * is checked before anything is allocated or read; a client that breaks the
 * protocol is dropped with a log line and the server goes on. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "tessera.h"
#include "jit/jit_format.h"
#include "jit/jit_llvm.h"
#include "vgpu/vgpu_capture.h"
#include "vgpu/vgpu_caps.h"
#include "vgpu/vgpu_vtest.h"

/* vtest command ids */
enum {
   VT_GET_CAPS = 1,
   VT_RESOURCE_CREATE = 2,
   VT_RESOURCE_UNREF = 3,
   VT_TRANSFER_GET = 4,
   VT_TRANSFER_PUT = 5,
   VT_SUBMIT_CMD = 6,
   VT_RESOURCE_BUSY_WAIT = 7,
   VT_CREATE_RENDERER = 8,
   VT_GET_CAPS2 = 9,
   VT_PING_PROTOCOL_VERSION = 10,
   VT_PROTOCOL_VERSION = 11,
   VT_RESOURCE_CREATE2 = 12,
   VT_TRANSFER_GET2 = 13,
   VT_TRANSFER_PUT2 = 14,
};

#define VT_MAX_NAME        1024           /* CREATE_RENDERER name bytes */
#define VT_MAX_SUBMIT_DW   (16u << 20)    /* 64 MiB of commands in one SUBMIT_CMD */
#define VT_MAX_TRANSFER    (256u << 20)   /* inline transfer bytes */
#define VT_MAX_BACKING     (1ull << 31)   /* shared memory of one resource */
#define VT_CTX             1              /* each client has one context in its own renderer */

/* A resource's shared memory (RESOURCE_CREATE2). */
struct vt_res {
   uint32_t handle;
   void *mem;                    /* mmap of the memfd, unmapped on unref */
   size_t size;
};

/* One connected client; lives on its thread's stack. */
struct vt_client {
   int fd;
   unsigned id;
   const struct vgpu_vtest_options *opts;
   struct tessera_renderer *r;
   int have_renderer;
   uint32_t version;
   char name[64];
   struct vt_res *res;           /* shared-memory resources */
   size_t nres, res_cap;
   uint32_t (*fmts)[2];          /* handle -> bytes per pixel, for recording transfers */
   size_t nfmts, fmts_cap;
   struct vgpu_capture *cap;     /* the session's capture, when recording */
   uint64_t commands, submits, submit_bytes, transfer_bytes;
   char why[512];                /* why the client was dropped */
};

static int vt_fail(struct vt_client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int vt_fail(struct vt_client *c, const char *fmt, ...)
{
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(c->why, sizeof(c->why), fmt, ap);
   va_end(ap);
   return -1;
}

static int read_full(int fd, void *buf, size_t n)
{
   uint8_t *p = buf;
   while (n) {
      ssize_t got = recv(fd, p, n, 0);
      if (got == 0)
         return -1;
      if (got < 0) {
         if (errno == EINTR)
            continue;
         return -1;
      }
      p += got;
      n -= (size_t)got;
   }
   return 0;
}

static int write_full(int fd, const void *buf, size_t n)
{
   const uint8_t *p = buf;
   while (n) {
      ssize_t put = send(fd, p, n, MSG_NOSIGNAL);
      if (put < 0) {
         if (errno == EINTR)
            continue;
         return -1;
      }
      p += put;
      n -= (size_t)put;
   }
   return 0;
}

/* Discard n bytes the client sent (a message we refuse but must skip). */
static int skip_bytes(int fd, uint64_t n)
{
   uint8_t buf[4096];
   while (n) {
      size_t k = n < sizeof(buf) ? (size_t)n : sizeof(buf);
      if (read_full(fd, buf, k))
         return -1;
      n -= k;
   }
   return 0;
}

static int reply(struct vt_client *c, uint32_t cmd, const uint32_t *payload, uint32_t ndw)
{
   uint32_t hdr[2] = { ndw, cmd };
   if (write_full(c->fd, hdr, sizeof(hdr)) || (ndw && write_full(c->fd, payload, (size_t)ndw * 4)))
      return vt_fail(c, "write to client failed: %s", strerror(errno));
   return 0;
}

/* Send one byte carrying fd (SCM_RIGHTS), as the reference server does. */
static int send_fd(struct vt_client *c, int memfd)
{
   char byte = 0;
   struct iovec iov = { &byte, 1 };
   union {
      struct cmsghdr h;
      char buf[CMSG_SPACE(sizeof(int))];
   } u;
   struct msghdr msg;
   memset(&msg, 0, sizeof(msg));
   memset(&u, 0, sizeof(u));
   msg.msg_iov = &iov;
   msg.msg_iovlen = 1;
   msg.msg_control = u.buf;
   msg.msg_controllen = sizeof(u.buf);
   struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
   cm->cmsg_level = SOL_SOCKET;
   cm->cmsg_type = SCM_RIGHTS;
   cm->cmsg_len = CMSG_LEN(sizeof(int));
   memcpy(CMSG_DATA(cm), &memfd, sizeof(int));
   while (sendmsg(c->fd, &msg, MSG_NOSIGNAL) < 0) {
      if (errno != EINTR)
         return vt_fail(c, "sending a resource fd failed: %s", strerror(errno));
   }
   return 0;
}

static struct vt_res *find_res(struct vt_client *c, uint32_t handle)
{
   for (size_t i = 0; i < c->nres; i++)
      if (c->res[i].handle == handle)
         return &c->res[i];
   return NULL;
}

static void drop_res(struct vt_client *c, uint32_t handle)
{
   struct vt_res *r = find_res(c, handle);
   tessera_resource_detach_backing(c->r, handle);
   if (r) {
      munmap(r->mem, r->size);
      *r = c->res[--c->nres];
   }
}

static uint32_t res_bpp(struct vt_client *c, uint32_t handle)
{
   for (size_t i = 0; i < c->nfmts; i++)
      if (c->fmts[i][0] == handle)
         return c->fmts[i][1];
   return 0;
}

/* Record what a transfer left in the resource: the box, read back tightly packed. */
static void record_write(struct vt_client *c, uint32_t handle, uint32_t level, const struct tessera_box *box)
{
   uint32_t bpp = res_bpp(c, handle);
   uint64_t size = (uint64_t)box->w * box->h * box->d * bpp;
   if (!c->cap || !bpp || size == 0 || size > VGPU_CAPTURE_MAX_RECORD)
      return;
   uint8_t *data = malloc((size_t)size);
   if (!data)
      return;
   if (tessera_resource_read(c->r, VT_CTX, handle, level, box, 0, 0, data, (size_t)size) == 0) {
      uint32_t head[8] = { handle, level, box->x, box->y, box->z, box->w, box->h, box->d };
      vgpu_capture_record(c->cap, VGPU_REC_WRITE, head, sizeof(head), data, (size_t)size);
   }
   free(data);
}

static void record_frame(struct vt_client *c, uint32_t handle, uint32_t level, const struct tessera_box *box)
{
   uint32_t head[8] = { handle, level, box->x, box->y, box->z, box->w, box->h, box->d };
   vgpu_capture_record(c->cap, VGPU_REC_FRAME, head, sizeof(head), NULL, 0);
}

static int ctx_error(struct vt_client *c, const char *what)
{
   const char *e = tessera_context_error(c->r, VT_CTX);
   return vt_fail(c, "%s: %s", what, e ? e : "refused");
}

static int cmd_create_renderer(struct vt_client *c, uint32_t len)
{
   if (c->have_renderer)
      return vt_fail(c, "CREATE_RENDERER sent twice");
   if (len > VT_MAX_NAME)
      return vt_fail(c, "CREATE_RENDERER name of %u bytes is too long", len);
   char name[VT_MAX_NAME + 1];
   if (read_full(c->fd, name, len))
      return vt_fail(c, "disconnected in CREATE_RENDERER");
   name[len] = 0;
   snprintf(c->name, sizeof(c->name), "%.63s", name);
   struct tessera_renderer_options o = { c->opts->threads };
   if (tessera_renderer_create(&o, &c->r) || tessera_context_create(c->r, VT_CTX, c->name))
      return vt_fail(c, "cannot create a renderer");
   c->have_renderer = 1;
   if (c->opts->record_dir) {
      char err[256];
      c->cap = vgpu_capture_open(c->opts->record_dir, c->id, c->opts->level, err, sizeof(err));
      if (!c->cap)
         fprintf(stderr, "tessera serve: client %u: not recording: %s\n", c->id, err);
   }
   return 0;
}

static int cmd_resource_create(struct vt_client *c, const uint32_t *a, int with_memory)
{
   struct tessera_resource_args args = { a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], 0 };
   if (tessera_resource_create(c->r, &args) || tessera_context_attach_resource(c->r, VT_CTX, a[0]))
      return vt_fail(c, "RESOURCE_CREATE of handle %u (target %u, format %u, %ux%ux%u) refused", a[0], a[1], a[2],
                     a[4], a[5], a[6]);
   uint32_t args_rec[11];
   memcpy(args_rec, a, sizeof(args_rec));
   if (!with_memory)
      args_rec[10] = 0;
   vgpu_capture_record(c->cap, VGPU_REC_RESOURCE_CREATE, args_rec, sizeof(args_rec), NULL, 0);
   const struct jit_format_desc *fd = jit_format_get(a[2]);
   if (c->nfmts == c->fmts_cap) {
      size_t cap = c->fmts_cap ? c->fmts_cap * 2 : 64;
      uint32_t(*n)[2] = realloc(c->fmts, cap * sizeof(*n));
      if (!n)
         return vt_fail(c, "out of memory");
      c->fmts = n;
      c->fmts_cap = cap;
   }
   c->fmts[c->nfmts][0] = a[0];
   c->fmts[c->nfmts][1] = a[1] == 0 ? 1 : fd ? fd->block_bytes : 0;
   c->nfmts++;
   if (!with_memory || a[10] == 0)
      return 0;
   size_t need = tessera_resource_backing_size(c->r, a[0]);
   size_t size = a[10] > need ? a[10] : need;
   if (size > VT_MAX_BACKING)
      return vt_fail(c, "RESOURCE_CREATE2 of %zu bytes is too large", size);
   int memfd = memfd_create("tessera-resource", MFD_CLOEXEC);
   if (memfd < 0)
      return vt_fail(c, "memfd_create failed: %s", strerror(errno));
   void *mem = MAP_FAILED;
   if (ftruncate(memfd, (off_t)size) == 0)
      mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
   if (mem == MAP_FAILED) {
      close(memfd);
      return vt_fail(c, "cannot map %zu bytes of shared memory", size);
   }
   if (c->nres == c->res_cap) {
      size_t cap = c->res_cap ? c->res_cap * 2 : 64;
      struct vt_res *n = realloc(c->res, cap * sizeof(*n));
      if (!n) {
         munmap(mem, size);
         close(memfd);
         return vt_fail(c, "out of memory");
      }
      c->res = n;
      c->res_cap = cap;
   }
   c->res[c->nres++] = (struct vt_res){ a[0], mem, size };
   tessera_resource_attach_backing(c->r, a[0], mem, size);
   int ret = send_fd(c, memfd);
   close(memfd);
   return ret;
}

/* TRANSFER_GET2 / PUT2: the data lives in the resource's shared memory, at
 * offset, in the resource's own layout. */
static int cmd_transfer2(struct vt_client *c, const uint32_t *a, int put)
{
   uint32_t handle = a[0], level = a[1];
   struct vt_res *r = find_res(c, handle);
   size_t lvl_off;
   uint32_t stride, layer_stride;
   if (!r || tessera_resource_level_layout(c->r, handle, level, &lvl_off, &stride, &layer_stride))
      return vt_fail(c, "TRANSFER_%s2 on resource %u: no shared memory or no level %u", put ? "PUT" : "GET",
                     handle, level);
   uint32_t offset = a[9];
   if (offset > r->size)
      return vt_fail(c, "TRANSFER_%s2 offset %u is past the %zu-byte resource memory", put ? "PUT" : "GET", offset,
                     r->size);
   struct tessera_box box = { a[2], a[3], a[4], a[5], a[6], a[7] };
   uint8_t *p = (uint8_t *)r->mem + offset;
   size_t avail = r->size - offset;
   int ret = put ? tessera_resource_write(c->r, VT_CTX, handle, level, &box, stride, layer_stride, p, avail)
                 : tessera_resource_read(c->r, VT_CTX, handle, level, &box, stride, layer_stride, p, avail);
   c->transfer_bytes += a[8];
   if (ret)
      return ctx_error(c, put ? "TRANSFER_PUT2" : "TRANSFER_GET2");
   if (put)
      record_write(c, handle, level, &box);
   else
      record_frame(c, handle, level, &box);
   return 0;
}

/* TRANSFER_GET / PUT (protocol 0): the data travels inline. */
static int cmd_transfer(struct vt_client *c, const uint32_t *a, int put)
{
   uint32_t handle = a[0], level = a[1], stride = a[2], layer_stride = a[3], size = a[10];
   if (size > VT_MAX_TRANSFER)
      return vt_fail(c, "TRANSFER of %u bytes is too large", size);
   uint8_t *buf = malloc(size ? size : 1);
   if (!buf)
      return vt_fail(c, "out of memory");
   struct tessera_box box = { a[4], a[5], a[6], a[7], a[8], a[9] };
   int ret = 0;
   if (put) {
      if (read_full(c->fd, buf, size))
         ret = vt_fail(c, "disconnected in TRANSFER_PUT data");
      else if (tessera_resource_write(c->r, VT_CTX, handle, level, &box, stride, layer_stride, buf, size))
         ret = ctx_error(c, "TRANSFER_PUT");
      else
         record_write(c, handle, level, &box);
   } else {
      memset(buf, 0, size);
      if (tessera_resource_read(c->r, VT_CTX, handle, level, &box, stride, layer_stride, buf, size))
         ret = ctx_error(c, "TRANSFER_GET");
      else if (write_full(c->fd, buf, size))
         ret = vt_fail(c, "write to client failed");
      else
         record_frame(c, handle, level, &box);
   }
   c->transfer_bytes += size;
   free(buf);
   return ret;
}

static int cmd_submit(struct vt_client *c, uint32_t len)
{
   if (len > VT_MAX_SUBMIT_DW)
      return vt_fail(c, "SUBMIT_CMD of %u dwords is too large", len);
   uint32_t *words = malloc((size_t)(len ? len : 1) * 4);
   if (!words)
      return vt_fail(c, "out of memory for %u dwords", len);
   int ret = read_full(c->fd, words, (size_t)len * 4) ? vt_fail(c, "disconnected in SUBMIT_CMD") : 0;
   if (!ret)
      vgpu_capture_record(c->cap, VGPU_REC_SUBMIT, words, (size_t)len * 4, NULL, 0);
   if (!ret && tessera_submit(c->r, VT_CTX, words, len))
      ret = ctx_error(c, "SUBMIT_CMD");
   c->submits++;
   c->submit_bytes += (uint64_t)len * 4;
   free(words);
   return ret;
}

/* Read exactly n payload dwords of a fixed-size command, refusing other lengths. */
static int fixed(struct vt_client *c, const char *name, uint32_t len, uint32_t n, uint32_t *out)
{
   if (len != n)
      return vt_fail(c, "%s with %u dwords (expected %u)", name, len, n);
   if (read_full(c->fd, out, (size_t)n * 4))
      return vt_fail(c, "disconnected in %s", name);
   return 0;
}

static int handle_message(struct vt_client *c, uint32_t len, uint32_t cmd)
{
   uint32_t a[16];
   c->commands++;
   if (cmd == VT_CREATE_RENDERER)
      return cmd_create_renderer(c, len);
   if (!c->have_renderer)
      return vt_fail(c, "command %u before CREATE_RENDERER", cmd);
   switch (cmd) {
   case VT_PING_PROTOCOL_VERSION:
      if (len && skip_bytes(c->fd, (uint64_t)len * 4))
         return vt_fail(c, "disconnected");
      return reply(c, VT_PING_PROTOCOL_VERSION, NULL, 0);
   case VT_PROTOCOL_VERSION: {
      if (fixed(c, "PROTOCOL_VERSION", len, 1, a))
         return -1;
      c->version = a[0] >= VGPU_VTEST_MAX_VERSION ? VGPU_VTEST_MAX_VERSION : 0; /* version 1 is deprecated */
      return reply(c, VT_PROTOCOL_VERSION, &c->version, 1);
   }
   case VT_RESOURCE_BUSY_WAIT: {
      if (fixed(c, "RESOURCE_BUSY_WAIT", len, 2, a))
         return -1;
      uint32_t busy = 0; /* every submit has completed when it returns */
      return reply(c, VT_RESOURCE_BUSY_WAIT, &busy, 1);
   }
   case VT_GET_CAPS:
   case VT_GET_CAPS2: {
      if (len && skip_bytes(c->fd, (uint64_t)len * 4))
         return vt_fail(c, "disconnected");
      uint32_t caps[VGPU_CAPS_V1_SIZE / 4 + 2];
      if (vgpu_caps_fill(c->opts->level, caps + 2))
         return vt_fail(c, "unknown capability level '%s'", c->opts->level);
      caps[0] = VGPU_CAPS_V1_SIZE + 1; /* the reference server's length form: bytes + 1 */
      caps[1] = cmd == VT_GET_CAPS2 ? 2 : 1;
      if (write_full(c->fd, caps, sizeof(caps)))
         return vt_fail(c, "write to client failed");
      return 0;
   }
   case VT_RESOURCE_CREATE:
      return fixed(c, "RESOURCE_CREATE", len, 10, a) ? -1 : cmd_resource_create(c, a, 0);
   case VT_RESOURCE_CREATE2:
      return fixed(c, "RESOURCE_CREATE2", len, 11, a) ? -1 : cmd_resource_create(c, a, 1);
   case VT_RESOURCE_UNREF:
      if (fixed(c, "RESOURCE_UNREF", len, 1, a))
         return -1;
      drop_res(c, a[0]);
      tessera_resource_unref(c->r, a[0]);
      vgpu_capture_record(c->cap, VGPU_REC_RESOURCE_UNREF, a, 4, NULL, 0);
      for (size_t i = 0; i < c->nfmts; i++)
         if (c->fmts[i][0] == a[0]) {
            c->nfmts--;
            memcpy(c->fmts[i], c->fmts[c->nfmts], sizeof(c->fmts[i]));
            break;
         }
      return 0;
   case VT_TRANSFER_GET:
      return fixed(c, "TRANSFER_GET", len, 11, a) ? -1 : cmd_transfer(c, a, 0);
   case VT_TRANSFER_PUT:
      /* length is 11 + ceil(size / 4) but the data that follows is unpadded */
      if (len < 11 || read_full(c->fd, a, 44))
         return vt_fail(c, "bad TRANSFER_PUT");
      if ((uint64_t)len != 11 + ((uint64_t)a[10] + 3) / 4)
         return vt_fail(c, "TRANSFER_PUT length %u does not match its %u data bytes", len, a[10]);
      return cmd_transfer(c, a, 1);
   case VT_TRANSFER_GET2:
      return fixed(c, "TRANSFER_GET2", len, 10, a) ? -1 : cmd_transfer2(c, a, 0);
   case VT_TRANSFER_PUT2:
      /* length is 10 + ceil(size / 4), but only 10 dwords follow */
      if (len < 10 || read_full(c->fd, a, 40))
         return vt_fail(c, "bad TRANSFER_PUT2");
      return cmd_transfer2(c, a, 1);
   case VT_SUBMIT_CMD:
      return cmd_submit(c, len);
   default:
      return vt_fail(c, "unknown vtest command %u (length %u)", cmd, len);
   }
}

void vgpu_vtest_serve_fd(const struct vgpu_vtest_options *opts, int fd, unsigned client_id)
{
   struct vt_client c;
   memset(&c, 0, sizeof(c));
   c.fd = fd;
   c.id = client_id;
   c.opts = opts;
   snprintf(c.name, sizeof(c.name), "?");
   for (;;) {
      uint32_t hdr[2];
      if (read_full(fd, hdr, sizeof(hdr))) {
         snprintf(c.why, sizeof(c.why), "disconnected");
         break;
      }
      if (handle_message(&c, hdr[0], hdr[1]))
         break;
   }
   fprintf(stderr, "tessera serve: client %u (%s) ended: %s\n", c.id, c.name, c.why);
   if (opts->stats)
      fprintf(stderr,
              "tessera serve: client %u: %llu commands, %llu submits (%llu bytes), %llu bytes transferred\n", c.id,
              (unsigned long long)c.commands, (unsigned long long)c.submits, (unsigned long long)c.submit_bytes,
              (unsigned long long)c.transfer_bytes);
   if (opts->stats) {
      fprintf(stderr, "tessera serve: ");
      jit_cache_stats_print(stderr);
   }
   for (size_t i = 0; i < c.nres; i++)
      munmap(c.res[i].mem, c.res[i].size);
   free(c.res);
   free(c.fmts);
   if (c.cap) {
      fprintf(stderr, "tessera serve: client %u: recorded %s\n", c.id, vgpu_capture_path(c.cap));
      vgpu_capture_close(c.cap);
   }
   if (c.r)
      tessera_renderer_destroy(c.r);
   close(fd);
}

struct vt_thread_arg {
   const struct vgpu_vtest_options *opts;
   int fd;
   unsigned id;
};

/* Client threads still running, so that the server can let the ones whose
 * client has gone finish (close captures, free renderers) before it returns. */
static pthread_mutex_t clients_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t clients_done = PTHREAD_COND_INITIALIZER;
static unsigned clients_running;

static void *client_thread(void *p)
{
   struct vt_thread_arg a = *(struct vt_thread_arg *)p;
   free(p);
   vgpu_vtest_serve_fd(a.opts, a.fd, a.id);
   pthread_mutex_lock(&clients_lock);
   clients_running--;
   pthread_cond_broadcast(&clients_done);
   pthread_mutex_unlock(&clients_lock);
   return NULL;
}

/* Wait up to `seconds` for every client thread to end (a client still
 * connected keeps its thread; the process exit ends it). */
static void wait_clients(unsigned seconds)
{
   struct timespec until;
   clock_gettime(CLOCK_REALTIME, &until);
   until.tv_sec += seconds;
   pthread_mutex_lock(&clients_lock);
   while (clients_running && pthread_cond_timedwait(&clients_done, &clients_lock, &until) == 0)
      ;
   pthread_mutex_unlock(&clients_lock);
}

int vgpu_vtest_serve(const struct vgpu_vtest_options *opts, volatile sig_atomic_t *stop)
{
   const char *path = opts->socket_path ? opts->socket_path : VGPU_VTEST_DEFAULT_SOCKET;
   uint32_t probe[VGPU_CAPS_V1_SIZE / 4];
   if (vgpu_caps_fill(opts->level, probe)) {
      fprintf(stderr, "tessera serve: unknown level '%s' (levels: %s)\n", opts->level, vgpu_caps_levels());
      return -1;
   }
   struct sockaddr_un un;
   memset(&un, 0, sizeof(un));
   un.sun_family = AF_UNIX;
   if (strlen(path) >= sizeof(un.sun_path)) {
      fprintf(stderr, "tessera serve: socket path '%s' is too long\n", path);
      return -1;
   }
   strcpy(un.sun_path, path);
   int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
   if (sock < 0) {
      fprintf(stderr, "tessera serve: socket: %s\n", strerror(errno));
      return -1;
   }
   struct stat st;
   if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
      unlink(path); /* a stale socket from an earlier server */
   if (bind(sock, (struct sockaddr *)&un, sizeof(un)) < 0 || listen(sock, 16) < 0) {
      fprintf(stderr, "tessera serve: cannot listen on %s: %s\n", path, strerror(errno));
      close(sock);
      return -1;
   }
   fprintf(stderr, "tessera serve: listening on %s (level %s)\n", path, opts->level);
   unsigned next_id = 1;
   while (!*stop) {
      int fd = accept4(sock, NULL, NULL, SOCK_CLOEXEC);
      if (fd < 0) {
         if (errno == EINTR || errno == ECONNABORTED)
            continue;
         fprintf(stderr, "tessera serve: accept: %s\n", strerror(errno));
         break;
      }
      struct vt_thread_arg *a = malloc(sizeof(*a));
      pthread_t t;
      if (!a) {
         close(fd);
         continue;
      }
      *a = (struct vt_thread_arg){ opts, fd, next_id++ };
      pthread_mutex_lock(&clients_lock);
      clients_running++;
      pthread_mutex_unlock(&clients_lock);
      if (pthread_create(&t, NULL, client_thread, a) != 0) {
         fprintf(stderr, "tessera serve: cannot start a client thread\n");
         pthread_mutex_lock(&clients_lock);
         clients_running--;
         pthread_mutex_unlock(&clients_lock);
         close(fd);
         free(a);
         continue;
      }
      pthread_detach(t);
   }
   close(sock);
   unlink(path);
   wait_clients(5);
   return 0;
}
