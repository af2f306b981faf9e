/* st_object.c: handle maps, state objects (create/bind/destroy with type
 * checks and reference counts) and sub-contexts. */
#include <stdlib.h>
#include <string.h>

#include "state/st_context.h"
#include "vgpu/vgpu_protocol.h"

#define MAP_DELETED UINT32_MAX

/* ---- handle map -------------------------------------------------------------------- */

static uint32_t map_hash(uint32_t k)
{
   k ^= k >> 16;
   k *= 0x7feb352du;
   k ^= k >> 15;
   return k;
}

void *st_map_get(const struct st_map *m, uint32_t key)
{
   if (!m->cap || key == 0 || key == MAP_DELETED)
      return NULL;
   for (uint32_t i = map_hash(key) & (m->cap - 1), n = 0; n < m->cap; i = (i + 1) & (m->cap - 1), n++) {
      if (m->keys[i] == key)
         return m->vals[i];
      if (m->keys[i] == 0)
         return NULL;
   }
   return NULL;
}

static int map_grow(struct st_map *m)
{
   uint32_t cap = m->cap ? m->cap * 2 : 64;
   if (m->count * 2 < m->cap)
      cap = m->cap; /* only tombstones: rehash at the same size */
   uint32_t *keys = calloc(cap, sizeof(*keys));
   void **vals = calloc(cap, sizeof(*vals));
   if (!keys || !vals) {
      free(keys);
      free(vals);
      return -1;
   }
   for (uint32_t i = 0; i < m->cap; i++) {
      uint32_t k = m->keys[i];
      if (k == 0 || k == MAP_DELETED)
         continue;
      uint32_t j = map_hash(k) & (cap - 1);
      while (keys[j])
         j = (j + 1) & (cap - 1);
      keys[j] = k;
      vals[j] = m->vals[i];
   }
   free(m->keys);
   free(m->vals);
   m->keys = keys;
   m->vals = vals;
   m->cap = cap;
   m->used = m->count;
   return 0;
}

int st_map_put(struct st_map *m, uint32_t key, void *val)
{
   if (key == 0 || key == MAP_DELETED)
      return -1;
   if ((m->used + 1) * 4 >= m->cap * 3 && map_grow(m))
      return -1;
   uint32_t i = map_hash(key) & (m->cap - 1), tomb = UINT32_MAX;
   for (;;) {
      if (m->keys[i] == key) {
         m->vals[i] = val;
         return 0;
      }
      if (m->keys[i] == MAP_DELETED && tomb == UINT32_MAX)
         tomb = i;
      if (m->keys[i] == 0)
         break;
      i = (i + 1) & (m->cap - 1);
   }
   if (tomb != UINT32_MAX) {
      i = tomb;
   } else {
      m->used++;
   }
   m->keys[i] = key;
   m->vals[i] = val;
   m->count++;
   return 0;
}

void *st_map_remove(struct st_map *m, uint32_t key)
{
   if (!m->cap || key == 0 || key == MAP_DELETED)
      return NULL;
   for (uint32_t i = map_hash(key) & (m->cap - 1), n = 0; n < m->cap; i = (i + 1) & (m->cap - 1), n++) {
      if (m->keys[i] == key) {
         void *v = m->vals[i];
         m->keys[i] = MAP_DELETED;
         m->vals[i] = NULL;
         m->count--;
         return v;
      }
      if (m->keys[i] == 0)
         return NULL;
   }
   return NULL;
}

int st_map_next(const struct st_map *m, uint32_t *i, uint32_t *key, void **val)
{
   for (; *i < m->cap; (*i)++) {
      uint32_t k = m->keys[*i];
      if (k != 0 && k != MAP_DELETED) {
         *key = k;
         *val = m->vals[*i];
         (*i)++;
         return 1;
      }
   }
   return 0;
}

void st_map_free(struct st_map *m)
{
   free(m->keys);
   free(m->vals);
   memset(m, 0, sizeof(*m));
}

/* ---- objects ----------------------------------------------------------------------------- */

struct st_object *st_object_ref(struct st_object *o)
{
   if (o)
      o->refcount++;
   return o;
}

void st_object_unref(struct st_object *o)
{
   if (!o || --o->refcount > 0)
      return;
   switch (o->type) {
   case ST_OBJ_SHADER:
      jit_shader_free(o->u.shader);
      break;
   case ST_OBJ_SAMPLER_VIEW:
      st_resource_unref(o->u.view.res);
      break;
   case ST_OBJ_SURFACE:
      st_resource_unref(o->u.surface.res);
      break;
   default:
      break;
   }
   free(o);
}

void st_bind_slot(struct st_object **slot, struct st_object *o)
{
   struct st_object *old = *slot;
   *slot = st_object_ref(o);
   st_object_unref(old);
}

struct st_object *st_object_new(struct st_context *ctx, uint32_t type, uint32_t handle)
{
   struct st_object *o = calloc(1, sizeof(*o));
   if (!o) {
      st_error(ctx, "CREATE_OBJECT(%s) handle %u: out of memory", vgpu_object_name(type), handle);
      return NULL;
   }
   o->type = type;
   o->handle = handle;
   o->refcount = 1;
   o->id = ++ctx->r->next_object_id;
   return o;
}

int st_object_insert(struct st_context *ctx, const char *cmd, struct st_object *o)
{
   struct st_sub_ctx *sub = ctx->cur;
   if (o->handle == 0) {
      uint32_t t = o->type;
      st_object_unref(o);
      return st_error(ctx, "%s(%s): handle 0 is reserved", cmd, vgpu_object_name(t));
   }
   if (st_map_get(&sub->objects, o->handle)) {
      uint32_t h = o->handle, t = o->type;
      st_object_unref(o);
      return st_error(ctx, "%s(%s) handle %u: handle already in use", cmd, vgpu_object_name(t), h);
   }
   if (sub->objects.count >= ST_MAX_OBJECTS || st_map_put(&sub->objects, o->handle, o)) {
      uint32_t h = o->handle, t = o->type;
      st_object_unref(o);
      return st_error(ctx, "%s(%s) handle %u: too many objects", cmd, vgpu_object_name(t), h);
   }
   return 0;
}

struct st_object *st_object_lookup(struct st_context *ctx, const char *cmd, uint32_t type, uint32_t handle)
{
   struct st_object *o = st_map_get(&ctx->cur->objects, handle);
   if (!o) {
      st_error(ctx, "%s: no %s object with handle %u", cmd, vgpu_object_name(type), handle);
      return NULL;
   }
   if (o->type != type) {
      st_error(ctx, "%s: handle %u is a %s object, not %s", cmd, handle, vgpu_object_name(o->type),
               vgpu_object_name(type));
      return NULL;
   }
   return o;
}

int st_object_destroy(struct st_context *ctx, uint32_t type, uint32_t handle)
{
   struct st_object *o = st_object_lookup(ctx, "DESTROY_OBJECT", type, handle);
   if (!o)
      return -1;
   st_map_remove(&ctx->cur->objects, handle);
   st_object_unref(o); /* bindings keep their own references */
   return 0;
}

int st_object_bind(struct st_context *ctx, uint32_t type, uint32_t handle)
{
   struct st_sub_ctx *sub = ctx->cur;
   struct st_object *o = NULL;
   if (handle) {
      o = st_object_lookup(ctx, "BIND_OBJECT", type, handle);
      if (!o)
         return -1;
   }
   switch (type) {
   case ST_OBJ_BLEND: st_bind_slot(&sub->blend, o); return 0;
   case ST_OBJ_DSA: st_bind_slot(&sub->dsa, o); return 0;
   case ST_OBJ_RASTERIZER: st_bind_slot(&sub->rast, o); return 0;
   case ST_OBJ_VERTEX_ELEMENTS: st_bind_slot(&sub->ve, o); return 0;
   default:
      return st_error(ctx, "BIND_OBJECT: objects of type %s cannot be bound this way", vgpu_object_name(type));
   }
}

/* ---- sub-contexts --------------------------------------------------------------------------- */

void st_sub_ctx_free(struct st_sub_ctx *sub)
{
   if (!sub)
      return;
   uint32_t it = 0, key;
   void *val;
   while (st_map_next(&sub->objects, &it, &key, &val))
      st_object_unref(val);
   st_map_free(&sub->objects);
   struct st_object **slots[] = { &sub->blend, &sub->dsa, &sub->rast, &sub->vs, &sub->fs, &sub->ve, &sub->zsurf };
   for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++)
      st_bind_slot(slots[i], NULL);
   for (int s = 0; s < 2; s++)
      for (int i = 0; i < JIT_MAX_SAMPLERS; i++) {
         st_bind_slot(&sub->views[s][i], NULL);
         st_bind_slot(&sub->samplers[s][i], NULL);
      }
   for (int s = 0; s < 2; s++)
      for (int i = 0; i < JIT_MAX_CONST_BUFS; i++)
         free(sub->consts[s][i].data);
   for (int i = 0; i < JIT_MAX_VERTEX_BUFFERS; i++)
      st_resource_unref(sub->vbufs[i].res);
   st_resource_unref(sub->ib);
   for (int i = 0; i < JIT_MAX_CBUFS; i++)
      st_bind_slot(&sub->cbufs[i], NULL);
   free(sub);
}

static struct st_sub_ctx *sub_new(uint32_t id)
{
   struct st_sub_ctx *sub = calloc(1, sizeof(*sub));
   if (!sub)
      return NULL;
   sub->id = id;
   sub->stencil_ref[0] = sub->stencil_ref[1] = 0;
   return sub;
}

int st_sub_ctx_create(struct st_context *ctx, uint32_t id)
{
   if (id >= ST_MAX_SUB_CTX)
      return st_error(ctx, "CREATE_SUB_CTX: id %u is out of range (limit %u)", id, ST_MAX_SUB_CTX);
   if (ctx->subs[id])
      return st_error(ctx, "CREATE_SUB_CTX: sub-context %u already exists", id);
   ctx->subs[id] = sub_new(id);
   if (!ctx->subs[id])
      return st_error(ctx, "CREATE_SUB_CTX: out of memory");
   return 0;
}

int st_sub_ctx_set(struct st_context *ctx, uint32_t id)
{
   if (id >= ST_MAX_SUB_CTX || !ctx->subs[id])
      return st_error(ctx, "SET_SUB_CTX: no sub-context %u", id);
   ctx->cur = ctx->subs[id];
   return 0;
}

int st_sub_ctx_destroy(struct st_context *ctx, uint32_t id)
{
   if (id == 0)
      return st_error(ctx, "DESTROY_SUB_CTX: sub-context 0 cannot be destroyed");
   if (id >= ST_MAX_SUB_CTX || !ctx->subs[id])
      return st_error(ctx, "DESTROY_SUB_CTX: no sub-context %u", id);
   if (ctx->cur == ctx->subs[id])
      ctx->cur = ctx->subs[0];
   st_sub_ctx_free(ctx->subs[id]);
   ctx->subs[id] = NULL;
   return 0;
}

int st_context_init_subs(struct st_context *ctx);
int st_context_init_subs(struct st_context *ctx)
{
   ctx->subs[0] = sub_new(0);
   ctx->cur = ctx->subs[0];
   return ctx->subs[0] ? 0 : -1;
}
