/* vgpu_api.c: the public C API (include/tessera.h) on top of the decoder
 * and the state tracker. Maps internal failures to tessera_status codes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tessera.h"
#include "state/st_context.h"
#include "vgpu/vgpu_decode.h"

struct tessera_renderer {
   struct st_renderer st;
};

int tessera_renderer_create(const struct tessera_renderer_options *opts, struct tessera_renderer **out)
{
   struct tessera_renderer *r = calloc(1, sizeof(*r));
   if (!r)
      return TESSERA_E_NOMEM;
   if (st_renderer_init(&r->st, opts ? opts->threads : 0)) {
      free(r);
      return TESSERA_E_NOMEM;
   }
   *out = r;
   return TESSERA_OK;
}

void tessera_renderer_destroy(struct tessera_renderer *r)
{
   if (!r)
      return;
   st_renderer_fini(&r->st);
   free(r);
}

unsigned tessera_renderer_threads(const struct tessera_renderer *r)
{
   return rs_pool_threads(r->st.pool);
}

static struct st_context *get_ctx(struct tessera_renderer *r, uint32_t ctx_id)
{
   return ctx_id ? st_map_get(&r->st.contexts, ctx_id) : NULL;
}

int tessera_context_create(struct tessera_renderer *r, uint32_t ctx_id, const char *debug_name)
{
   if (ctx_id == 0 || get_ctx(r, ctx_id))
      return TESSERA_E_INVALID;
   return st_context_create(&r->st, ctx_id, debug_name) ? TESSERA_OK : TESSERA_E_NOMEM;
}

void tessera_context_destroy(struct tessera_renderer *r, uint32_t ctx_id)
{
   st_context_destroy(get_ctx(r, ctx_id));
}

const char *tessera_context_error(struct tessera_renderer *r, uint32_t ctx_id)
{
   struct st_context *ctx = get_ctx(r, ctx_id);
   return ctx && ctx->failed ? ctx->error : NULL;
}

int tessera_resource_create(struct tessera_renderer *r, const struct tessera_resource_args *a)
{
   uint32_t args[11] = { a->handle, a->target, a->format, a->bind, a->width, a->height, a->depth,
                         a->array_size, a->last_level, a->nr_samples, a->flags };
   char err[256];
   return st_resource_create(&r->st, args, err, sizeof(err)) ? TESSERA_E_INVALID : TESSERA_OK;
}

void tessera_resource_unref(struct tessera_renderer *r, uint32_t handle)
{
   st_resource_destroy_handle(&r->st, handle);
}

int tessera_resource_attach_backing(struct tessera_renderer *r, uint32_t handle, void *ptr, size_t size)
{
   struct st_resource *res = st_map_get(&r->st.resources, handle);
   if (!res || !ptr)
      return TESSERA_E_NOENT;
   res->backing = ptr;
   res->backing_size = size;
   return TESSERA_OK;
}

void tessera_resource_detach_backing(struct tessera_renderer *r, uint32_t handle)
{
   struct st_resource *res = st_map_get(&r->st.resources, handle);
   if (res) {
      res->backing = NULL;
      res->backing_size = 0;
   }
}

size_t tessera_resource_backing_size(struct tessera_renderer *r, uint32_t handle)
{
   struct st_resource *res = st_map_get(&r->st.resources, handle);
   return res ? res->size : 0;
}

int tessera_resource_level_layout(struct tessera_renderer *r, uint32_t handle, uint32_t level, size_t *offset,
                                  uint32_t *stride, uint32_t *layer_stride)
{
   struct st_resource *res = st_map_get(&r->st.resources, handle);
   if (!res)
      return TESSERA_E_NOENT;
   if (level > res->last_level)
      return TESSERA_E_INVALID;
   *offset = res->level_offset[level];
   *stride = res->row_stride[level];
   *layer_stride = res->img_stride[level];
   return TESSERA_OK;
}

int tessera_context_attach_resource(struct tessera_renderer *r, uint32_t ctx_id, uint32_t handle)
{
   struct st_context *ctx = get_ctx(r, ctx_id);
   if (!ctx || !st_map_get(&r->st.resources, handle))
      return TESSERA_E_NOENT;
   return st_map_put(&ctx->attached, handle, (void *)1) ? TESSERA_E_NOMEM : TESSERA_OK;
}

void tessera_context_detach_resource(struct tessera_renderer *r, uint32_t ctx_id, uint32_t handle)
{
   struct st_context *ctx = get_ctx(r, ctx_id);
   if (ctx)
      st_map_remove(&ctx->attached, handle);
}

static int transfer(struct tessera_renderer *r, uint32_t ctx_id, uint32_t handle, uint32_t level,
                    const struct tessera_box *box, uint32_t stride, uint32_t layer_stride, uint8_t *data, size_t size,
                    int to_res)
{
   const char *cmd = to_res ? "resource write" : "resource read";
   struct st_context *ctx = get_ctx(r, ctx_id);
   if (ctx_id && !ctx)
      return TESSERA_E_NOENT;
   if (ctx && ctx->failed)
      return TESSERA_E_CONTEXT;
   struct st_resource *res = ctx ? st_ctx_resource(ctx, cmd, handle) : st_map_get(&r->st.resources, handle);
   if (!res)
      return ctx ? TESSERA_E_INVALID : TESSERA_E_NOENT;
   char err[256];
   if (!box || !data ||
       st_resource_copy_box(res, level, box->x, box->y, box->z, box->w, box->h, box->d, data, size, stride,
                            layer_stride, to_res, err, sizeof(err))) {
      if (ctx)
         st_error(ctx, "%s of resource %u: %s", cmd, handle, box && data ? err : "no box or data");
      return TESSERA_E_INVALID;
   }
   return TESSERA_OK;
}

int tessera_resource_write(struct tessera_renderer *r, uint32_t ctx_id, uint32_t handle, uint32_t level,
                           const struct tessera_box *box, uint32_t stride, uint32_t layer_stride,
                           const void *data, size_t size)
{
   return transfer(r, ctx_id, handle, level, box, stride, layer_stride, (uint8_t *)(uintptr_t)data, size, 1);
}

int tessera_resource_read(struct tessera_renderer *r, uint32_t ctx_id, uint32_t handle, uint32_t level,
                          const struct tessera_box *box, uint32_t stride, uint32_t layer_stride,
                          void *data, size_t size)
{
   return transfer(r, ctx_id, handle, level, box, stride, layer_stride, data, size, 0);
}

int tessera_submit(struct tessera_renderer *r, uint32_t ctx_id, const uint32_t *words, size_t ndw)
{
   struct st_context *ctx = get_ctx(r, ctx_id);
   if (!ctx)
      return TESSERA_E_NOENT;
   if (ctx->failed)
      return TESSERA_E_CONTEXT;
   if (ndw && !words)
      return TESSERA_E_INVALID;
   return vgpu_decode_submit(ctx, words, ndw) ? TESSERA_E_INVALID : TESSERA_OK;
}

int tessera_wait(struct tessera_renderer *r, uint32_t ctx_id)
{
   struct st_context *ctx = get_ctx(r, ctx_id);
   if (!ctx)
      return TESSERA_E_NOENT;
   return ctx->failed ? TESSERA_E_CONTEXT : TESSERA_OK;
}
