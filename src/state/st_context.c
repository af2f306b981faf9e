/* st_context.c: the renderer and its contexts: creation, destruction, the
 * first-error-wins failure state of a context. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state/st_context.h"

int st_context_init_subs(struct st_context *ctx);

int st_error(struct st_context *ctx, const char *fmt, ...)
{
   if (!ctx->failed) {
      va_list ap;
      va_start(ap, fmt);
      vsnprintf(ctx->error, sizeof(ctx->error), fmt, ap);
      va_end(ap);
      ctx->failed = 1;
   }
   return -1;
}

int st_renderer_init(struct st_renderer *r, unsigned threads)
{
   memset(r, 0, sizeof(*r));
   return rs_pool_create(threads, &r->pool);
}

void st_renderer_fini(struct st_renderer *r)
{
   uint32_t it = 0, key;
   void *val;
   while (st_map_next(&r->contexts, &it, &key, &val))
      st_context_destroy(val);
   st_map_free(&r->contexts);
   it = 0;
   while (st_map_next(&r->resources, &it, &key, &val))
      st_resource_unref(val);
   st_map_free(&r->resources);
   rs_pool_destroy(r->pool);
   r->pool = NULL;
}

struct st_context *st_context_create(struct st_renderer *r, uint32_t id, const char *name)
{
   if (id == 0 || st_map_get(&r->contexts, id))
      return NULL;
   struct st_context *ctx = calloc(1, sizeof(*ctx));
   if (!ctx)
      return NULL;
   ctx->id = id;
   ctx->r = r;
   snprintf(ctx->name, sizeof(ctx->name), "%s", name ? name : "");
   if (st_context_init_subs(ctx) || st_map_put(&r->contexts, id, ctx)) {
      st_sub_ctx_free(ctx->subs[0]);
      free(ctx);
      return NULL;
   }
   return ctx;
}

void st_context_destroy(struct st_context *ctx)
{
   if (!ctx)
      return;
   st_map_remove(&ctx->r->contexts, ctx->id);
   st_variants_free(ctx); /* flushes the scene */
   rs_scene_destroy(ctx->scene);
   for (int i = 0; i < ST_MAX_SUB_CTX; i++)
      st_sub_ctx_free(ctx->subs[i]);
   st_map_free(&ctx->attached);
   free(ctx->pending.text);
   free(ctx);
}
