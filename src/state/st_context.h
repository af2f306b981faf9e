/* st_context.h: the state tracker (src/state): resources, contexts,
 * sub-contexts, the state objects a client names, and draw validation into
 * raster draw packets. Everything a client can name is looked up here by
 * handle and checked before use. Called by src/vgpu (decoder and API). */
#ifndef ST_CONTEXT_H
#define ST_CONTEXT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "jit/jit_abi.h"
#include "jit/jit_ir.h"
#include "jit/jit_variant.h"
#include "raster/rs_draw.h"
#include "state/st_limits.h"

/* ---- handle maps ------------------------------------------------------------------- */

/* Open-addressing map uint32 key (nonzero) -> pointer. Owned by its container. */
struct st_map {
   uint32_t *keys;               /* 0 = empty, UINT32_MAX = deleted */
   void **vals;
   uint32_t cap;                 /* power of two */
   uint32_t count, used;         /* live entries, live + deleted */
};

void *st_map_get(const struct st_map *m, uint32_t key);
int st_map_put(struct st_map *m, uint32_t key, void *val);
void *st_map_remove(struct st_map *m, uint32_t key);
void st_map_free(struct st_map *m);
/* Iterate: returns the next index with a live entry at or after *i, or 0 at the end. */
int st_map_next(const struct st_map *m, uint32_t *i, uint32_t *key, void **val);

/* ---- resources ---------------------------------------------------------------------- */

/* A resource. Lives in the renderer's table while the client holds its
 * handle; every binding (surface, view, vertex/index buffer) holds a
 * reference, so storage stays valid until the last one is dropped. */
struct st_resource {
   uint32_t handle;
   int refcount;
   uint32_t target, format, bind;
   uint32_t width, height, depth, array_size, last_level, nr_samples;
   uint32_t layers;              /* slices per level: depth (3D), 6*array (cube), array size */
   uint32_t bpp;                 /* bytes per pixel (1 for buffers) */
   uint32_t level_offset[JIT_MAX_LEVELS];
   uint32_t row_stride[JIT_MAX_LEVELS];
   uint32_t img_stride[JIT_MAX_LEVELS];
   uint8_t *data;                /* storage, owned (st_resource.c: storage_alloc) */
   size_t size;
   void *map;                    /* the mapping data lies in, or NULL when data came from calloc */
   size_t map_size;
   uint8_t *backing;             /* guest memory (not owned), same layout */
   size_t backing_size;
};

struct st_resource *st_resource_ref(struct st_resource *res);
void st_resource_unref(struct st_resource *res);
uint32_t st_level_width(const struct st_resource *res, uint32_t level);
uint32_t st_level_height(const struct st_resource *res, uint32_t level);
uint32_t st_level_depth(const struct st_resource *res, uint32_t level); /* slices of that level */

/* ---- objects ---------------------------------------------------------------------------- */

struct st_object;

struct st_surface {
   struct st_resource *res;
   uint32_t format, level, first_layer, last_layer;
};

struct st_sampler_view {
   struct st_resource *res;
   uint32_t format, target;
   uint32_t first_level, last_level, first_layer, last_layer;
   uint8_t swizzle[4];
};

struct st_rasterizer {
   uint8_t flatshade, depth_clip, clip_halfz, rasterizer_discard, flatshade_first;
   uint8_t cull_face, fill_front, fill_back, scissor, front_ccw, point_size_per_vertex;
   uint8_t half_pixel_center, bottom_edge_rule;
   float point_size, line_width;
   uint8_t offset_tri, poly_stipple_enable;
   float offset_units, offset_scale, offset_clamp;
};

struct st_dsa {
   uint8_t depth_enabled, depth_writemask, depth_func;
   uint8_t alpha_enabled, alpha_func;
   float alpha_ref;
   struct jit_stencil_key stencil[2];
};

struct st_vertex_elements {
   uint32_t count;
   struct jit_vertex_element el[JIT_MAX_VERTEX_ELEMENTS];
};

/* A state object a client named. Refcounted: the handle table and every
 * binding hold a reference. */
struct st_object {
   uint32_t type;                /* VGPU_OBJECT_* numbering (enum st_object_type mirrors it) */
   uint32_t handle;
   int refcount;
   uint32_t id;                  /* unique per renderer: variant keys use it, never the pointer */
   union {
      struct jit_blend_key blend;
      struct st_dsa dsa;
      struct st_rasterizer rast;
      struct jit_shader *shader;
      struct st_vertex_elements ve;
      struct st_sampler_view view;
      struct jit_sampler sampler;
      struct st_surface surface;
   } u;
};

enum st_object_type {
   ST_OBJ_BLEND = 1,
   ST_OBJ_RASTERIZER = 2,
   ST_OBJ_DSA = 3,
   ST_OBJ_SHADER = 4,
   ST_OBJ_VERTEX_ELEMENTS = 5,
   ST_OBJ_SAMPLER_VIEW = 6,
   ST_OBJ_SAMPLER_STATE = 7,
   ST_OBJ_SURFACE = 8,
};

struct st_object *st_object_ref(struct st_object *o);
void st_object_unref(struct st_object *o);

/* ---- contexts ---------------------------------------------------------------------------- */

struct st_vbuf {
   struct st_resource *res;      /* reference held */
   uint32_t stride, offset;
};

struct st_cbuf {
   float *data;                  /* owned copy of SET_CONSTANT_BUFFER */
   uint32_t count;               /* vec4 count */
};

/* One sub-context: its own objects and bound state. Owned by its context. */
struct st_sub_ctx {
   uint32_t id;
   struct st_map objects;        /* handle -> st_object (one reference) */
   struct st_object *blend, *dsa, *rast, *vs, *fs, *ve;
   struct st_object *views[2][JIT_MAX_SAMPLERS];     /* [vertex, fragment] */
   struct st_object *samplers[2][JIT_MAX_SAMPLERS];
   struct st_cbuf consts[2][JIT_MAX_CONST_BUFS];
   struct st_vbuf vbufs[JIT_MAX_VERTEX_BUFFERS];
   uint32_t num_vbufs;
   struct st_resource *ib;       /* index buffer, reference held */
   uint32_t ib_size, ib_offset;
   uint32_t nr_cbufs;
   struct st_object *cbufs[JIT_MAX_CBUFS], *zsurf;
   float vp_scale[3], vp_translate[3];
   struct rs_scissor scissor;
   uint32_t stencil_ref[2];
   float blend_color[4];
   uint32_t poly_stipple[32];    /* SET_POLYGON_STIPPLE rows */
};

/* Shader text being assembled from continuation packets. */
struct st_pending_shader {
   uint32_t handle, stage;
   uint32_t total, filled;       /* bytes expected, bytes received */
   char *text;
};

struct st_variant_entry;

struct st_renderer;

/* A context. Owned by the renderer; destroyed with tessera_context_destroy. */
struct st_context {
   uint32_t id;
   struct st_renderer *r;
   char name[64];
   int failed;
   char error[512];
   struct st_map attached;       /* resource handle -> (void *)1 */
   struct st_sub_ctx *subs[ST_MAX_SUB_CTX];
   struct st_sub_ctx *cur;
   struct st_pending_shader pending;
   struct st_variant_entry *variants; /* LRU list, most recent first */
   uint32_t num_variants;
   struct st_variant_stats {
      uint64_t lookups, hits, misses, evictions;
   } stats;
   struct rs_scene *scene;       /* draws and clears not shaded yet (st_flush); created at the first one */
};

/* The renderer: resources, contexts and the raster pool. */
struct st_renderer {
   struct rs_pool *pool;
   struct st_map resources;      /* handle -> st_resource (one reference) */
   struct st_map contexts;       /* id -> st_context */
   uint32_t next_object_id;
};

/* Fail the context with a message (the first error wins). Returns -1. */
int st_error(struct st_context *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int st_renderer_init(struct st_renderer *r, unsigned threads);
void st_renderer_fini(struct st_renderer *r);
struct st_context *st_context_create(struct st_renderer *r, uint32_t id, const char *name);
void st_context_destroy(struct st_context *ctx);

/* Resources (renderer level). err gets a message on failure. */
int st_resource_create(struct st_renderer *r, const uint32_t args[11], char *err, size_t err_size);
void st_resource_destroy_handle(struct st_renderer *r, uint32_t handle);
/* A resource the context may name (attached), or NULL with an error. */
struct st_resource *st_ctx_resource(struct st_context *ctx, const char *cmd, uint32_t handle);
/* Copy a box between storage and a linear buffer (to_res: buf -> resource). */
int st_resource_copy_box(struct st_resource *res, uint32_t level, uint32_t x, uint32_t y, uint32_t z, uint32_t w,
                         uint32_t h, uint32_t d, uint8_t *buf, size_t buf_size, uint32_t stride,
                         uint32_t layer_stride, int to_res, char *err, size_t err_size);

/* Sub-contexts and objects (st_object.c). */
int st_sub_ctx_create(struct st_context *ctx, uint32_t id);
int st_sub_ctx_set(struct st_context *ctx, uint32_t id);
int st_sub_ctx_destroy(struct st_context *ctx, uint32_t id);
void st_sub_ctx_free(struct st_sub_ctx *sub);
int st_object_insert(struct st_context *ctx, const char *cmd, struct st_object *o);
struct st_object *st_object_lookup(struct st_context *ctx, const char *cmd, uint32_t type, uint32_t handle);
int st_object_destroy(struct st_context *ctx, uint32_t type, uint32_t handle);
int st_object_bind(struct st_context *ctx, uint32_t type, uint32_t handle);
struct st_object *st_object_new(struct st_context *ctx, uint32_t type, uint32_t handle);
/* Replace a bound-object slot, taking a reference on o and dropping the old one. */
void st_bind_slot(struct st_object **slot, struct st_object *o);

/* Draws and clears (st_draw.c). */
struct st_draw_args {
   uint32_t start, count, mode, indexed, instance_count;
   int32_t index_bias;
   uint32_t start_instance, primitive_restart, restart_index, min_index, max_index;
};
int st_draw(struct st_context *ctx, const struct st_draw_args *a);
int st_clear(struct st_context *ctx, uint32_t buffers, const float color[4], double depth, uint32_t stencil);
void st_variants_free(struct st_context *ctx);
/* Shade what the context's scene holds (deferred draws and clears). Called
 * before any command that is not a draw, clear or state binding, and at the
 * end of every submitted command buffer: nothing deferred outlives it. */
void st_flush(struct st_context *ctx);

#endif
