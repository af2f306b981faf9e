/* tessera.h: Tessera's public C API, the only header a VMM or tool needs.
 * Shaped like virglrenderer's: a renderer owns resources and contexts; a
 * context executes virgl command buffers. Every function is safe against any
 * input a guest can produce: bad values return an error and, for context
 * calls, fail that context with a message readable by tessera_context_error.
 * A renderer may be used from one thread at a time; it runs its own worker
 * threads internally. */
#ifndef TESSERA_H
#define TESSERA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TESSERA_VERSION_STRING "0.1.0"

/* Status codes: 0 or a negative value. */
enum tessera_status {
   TESSERA_OK = 0,
   TESSERA_E_INVALID = -1,   /* a handle, size, offset, count or opcode is invalid */
   TESSERA_E_NOMEM = -2,
   TESSERA_E_UNSUPPORTED = -3,
   TESSERA_E_CONTEXT = -4,   /* the context has failed earlier; see tessera_context_error */
   TESSERA_E_NOENT = -5,     /* no such context or resource */
};

struct tessera_renderer;

struct tessera_renderer_options {
   unsigned threads;         /* rasterizer worker threads; 0 = one per online core */
};

int tessera_renderer_create(const struct tessera_renderer_options *opts, struct tessera_renderer **out);
void tessera_renderer_destroy(struct tessera_renderer *r);
unsigned tessera_renderer_threads(const struct tessera_renderer *r);

/* Contexts: ctx_id chosen by the caller, nonzero, unique per renderer. */
int tessera_context_create(struct tessera_renderer *r, uint32_t ctx_id, const char *debug_name);
void tessera_context_destroy(struct tessera_renderer *r, uint32_t ctx_id);
/* The first error that failed the context, or NULL if it has none. A failed
 * context refuses further submits until destroyed. */
const char *tessera_context_error(struct tessera_renderer *r, uint32_t ctx_id);

/* Resources, as virgl's RESOURCE_CREATE describes them. handle: nonzero,
 * unique per renderer. */
struct tessera_resource_args {
   uint32_t handle;
   uint32_t target;          /* PIPE_BUFFER, PIPE_TEXTURE_2D, ... */
   uint32_t format;          /* virgl/pipe format number */
   uint32_t bind;            /* VIRGL_BIND_* flags */
   uint32_t width, height, depth;
   uint32_t array_size;
   uint32_t last_level;
   uint32_t nr_samples;
   uint32_t flags;
};

int tessera_resource_create(struct tessera_renderer *r, const struct tessera_resource_args *args);
void tessera_resource_unref(struct tessera_renderer *r, uint32_t handle);
/* Attach a guest-memory backing (the iov of virglrenderer): TRANSFER3D
 * commands copy between it and the resource. The caller keeps the memory
 * valid until detach/unref. size = bytes at ptr. */
int tessera_resource_attach_backing(struct tessera_renderer *r, uint32_t handle, void *ptr, size_t size);
void tessera_resource_detach_backing(struct tessera_renderer *r, uint32_t handle);
/* Size of the layout the backing uses: levels one after another, each
 * slices x rows x width x bytes-per-pixel, no padding. */
size_t tessera_resource_backing_size(struct tessera_renderer *r, uint32_t handle);

/* Where level `level` lies in the backing layout: byte offset, bytes per
 * row, bytes per slice. Returns TESSERA_E_NOENT / TESSERA_E_INVALID. */
int tessera_resource_level_layout(struct tessera_renderer *r, uint32_t handle, uint32_t level, size_t *offset,
                                  uint32_t *stride, uint32_t *layer_stride);

/* A context may only name resources attached to it. */
int tessera_context_attach_resource(struct tessera_renderer *r, uint32_t ctx_id, uint32_t handle);
void tessera_context_detach_resource(struct tessera_renderer *r, uint32_t ctx_id, uint32_t handle);

struct tessera_box {
   uint32_t x, y, z;
   uint32_t w, h, d;
};

/* Write/read a box of one mip level. stride = bytes per row in data (0 =
 * tightly packed), layer_stride = bytes per slice (0 = tightly packed).
 * size = bytes available at data; a box that needs more is refused. For
 * buffers, x and w are bytes. ctx_id names the context to fail on error (0 =
 * none: the error is only returned). */
int tessera_resource_write(struct tessera_renderer *r, uint32_t ctx_id, uint32_t handle, uint32_t level,
                           const struct tessera_box *box, uint32_t stride, uint32_t layer_stride,
                           const void *data, size_t size);
int tessera_resource_read(struct tessera_renderer *r, uint32_t ctx_id, uint32_t handle, uint32_t level,
                          const struct tessera_box *box, uint32_t stride, uint32_t layer_stride,
                          void *data, size_t size);

/* Execute a virgl command buffer (ndw 32-bit words). Commands run in order;
 * the first bad command fails the context and the rest of the buffer is
 * dropped (commands before it stay executed). */
int tessera_submit(struct tessera_renderer *r, uint32_t ctx_id, const uint32_t *words, size_t ndw);
/* Wait until every command submitted to the context has finished. Today's
 * submits execute synchronously, so this only reports the context state. */
int tessera_wait(struct tessera_renderer *r, uint32_t ctx_id);

#ifdef __cplusplus
}
#endif
#endif
