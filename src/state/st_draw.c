/* st_draw.c: turns DRAW_VBO and CLEAR into raster work: validates the bound
 * state, builds the vertex and fragment variant keys (static state only),
 * looks the variants up in the context's LRU cache, fills the per-draw
 * contexts (dynamic values) and the draw packet, and queues it in the
 * context's scene (rs_scene: its tiles are shaded at st_flush, with what it
 * reads held until then) or runs it at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jit/jit_fs_fused.h"
#include "jit/jit_llvm.h"
#include "jit/jit_tex.h"
#include "jit/jit_vs_fused.h"
#include "state/st_context.h"

/* A cached variant. Holds a reference on its shader object so the IR it
 * points to outlives the entry. Capacity ST_MAX_VARIANTS, LRU eviction,
 * counters in ctx->stats. */
struct st_variant_entry {
   struct st_variant_entry *next;
   int is_fs;
   uint32_t shader_id;
   struct st_object *shader;
   union {
      struct jit_fs_variant fs;
      struct jit_vs_variant vs;
   } v;
};

static void variant_entry_free(struct st_variant_entry *e)
{
   jit_code_unref(e->is_fs ? e->v.fs.fused : e->v.vs.fused);
   st_object_unref(e->shader);
   free(e);
}

void st_variants_free(struct st_context *ctx)
{
   st_flush(ctx);
   struct st_variant_entry *e = ctx->variants;
   while (e) {
      struct st_variant_entry *n = e->next;
      variant_entry_free(e);
      e = n;
   }
   ctx->variants = NULL;
   ctx->num_variants = 0;
}

/* Find or make the variant for (shader, key). */
static void *variant_get(struct st_context *ctx, int is_fs, struct st_object *shader, const void *key,
                         size_t key_size)
{
   struct st_variant_entry **pp = &ctx->variants, *e;
   ctx->stats.lookups++;
   for (; (e = *pp) != NULL; pp = &e->next) {
      const void *k = is_fs ? (const void *)&e->v.fs.key : (const void *)&e->v.vs.key;
      if (e->is_fs == is_fs && e->shader_id == shader->id && !memcmp(k, key, key_size)) {
         *pp = e->next; /* move to the front */
         e->next = ctx->variants;
         ctx->variants = e;
         ctx->stats.hits++;
         return is_fs ? (void *)&e->v.fs : (void *)&e->v.vs;
      }
   }
   ctx->stats.misses++;
   e = calloc(1, sizeof(*e));
   if (!e)
      return NULL;
   e->is_fs = is_fs;
   e->shader_id = shader->id;
   e->shader = st_object_ref(shader);
   if (is_fs) {
      memcpy(&e->v.fs.key, key, key_size);
      e->v.fs.shader = shader->u.shader;
      e->v.fs.func = jit_fs_ref_run;
      /* the fused variant compiles in the background (sync mode: at the first draw) */
      if (!jit_fs_fused_unsupported(&e->v.fs.key, e->v.fs.shader))
         e->v.fs.fused = jit_code_get_fs_variant(e->v.fs.shader->native, &e->v.fs.key);
      snprintf(e->v.fs.name, sizeof(e->v.fs.name), "fs_ref_%u", shader->id);
   } else {
      memcpy(&e->v.vs.key, key, key_size);
      e->v.vs.shader = shader->u.shader;
      e->v.vs.func = jit_vs_ref_run; /* the fused variant: asked for by the first large draw (st_draw) */
      snprintf(e->v.vs.name, sizeof(e->v.vs.name), "vs_ref_%u", shader->id);
   }
   e->next = ctx->variants;
   ctx->variants = e;
   if (++ctx->num_variants > ST_MAX_VARIANTS) {
      st_flush(ctx); /* deferred draws point at their variants */
      struct st_variant_entry **last = &ctx->variants;
      while ((*last)->next)
         last = &(*last)->next;
      variant_entry_free(*last);
      *last = NULL;
      ctx->num_variants--;
      ctx->stats.evictions++;
   }
   return is_fs ? (void *)&e->v.fs : (void *)&e->v.vs;
}

/* The bound framebuffer as raster surfaces. Returns -1 if nothing sane is bound. */
static void build_framebuffer(struct st_sub_ctx *sub, struct rs_framebuffer *fb)
{
   memset(fb, 0, sizeof(*fb));
   uint32_t w = UINT32_MAX, h = UINT32_MAX;
   fb->nr_cbufs = sub->nr_cbufs;
   for (uint32_t i = 0; i <= sub->nr_cbufs; i++) {
      struct st_object *o = i < sub->nr_cbufs ? sub->cbufs[i] : sub->zsurf;
      struct rs_surface *s = i < sub->nr_cbufs ? &fb->cbufs[i] : &fb->zsbuf;
      if (!o)
         continue;
      const struct st_surface *sf = &o->u.surface;
      const struct st_resource *res = sf->res;
      s->data = res->data + res->level_offset[sf->level] + (size_t)sf->first_layer * res->img_stride[sf->level];
      s->stride = res->row_stride[sf->level];
      s->format = sf->format;
      s->width = st_level_width(res, sf->level);
      s->height = st_level_height(res, sf->level);
      w = s->width < w ? s->width : w;
      h = s->height < h ? s->height : h;
   }
   fb->width = w == UINT32_MAX ? 0 : w;
   fb->height = h == UINT32_MAX ? 0 : h;
}

/* The view's own fields of a jit_texture: what a sampler key is made of
 * (jit_tex_key_make), and fill_stage's start. */
static void view_fields(const struct st_sampler_view *v, struct jit_texture *t)
{
   t->format = v->format;
   t->target = v->target;
   t->first_level = v->first_level;
   t->last_level = v->last_level;
   t->first_layer = v->first_layer;
   t->last_layer = v->last_layer;
   memcpy(t->swizzle, v->swizzle, sizeof(t->swizzle));
}

/* pick: the units whose compiled sampler variant (jit_texture_pick_variant)
 * the draw's code may call; the others sample with the generic sampler or
 * the fused code's inlined one, and compiling a variant for them would only
 * take a core from the draws. */
static void fill_stage(struct st_sub_ctx *sub, int stage, struct jit_stage_ctx *sc, uint32_t pick)
{
   memset(sc, 0, sizeof(*sc));
   for (int i = 0; i < JIT_MAX_CONST_BUFS; i++) {
      sc->constants[i] = sub->consts[stage][i].data;
      sc->num_constants[i] = sub->consts[stage][i].count;
   }
   for (int i = 0; i < JIT_MAX_SAMPLERS; i++) {
      struct st_object *vo = sub->views[stage][i], *so = sub->samplers[stage][i];
      if (so)
         sc->samplers[i] = so->u.sampler;
      if (!vo)
         continue;
      const struct st_sampler_view *v = &vo->u.view;
      const struct st_resource *res = v->res;
      struct jit_texture *t = &sc->textures[i];
      view_fields(v, t);
      t->data = res->data;
      t->size = res->size;
      t->width = res->width;
      t->height = res->height;
      t->depth = res->depth;
      memcpy(t->level_offset, res->level_offset, sizeof(t->level_offset));
      memcpy(t->row_stride, res->row_stride, sizeof(t->row_stride));
      memcpy(t->img_stride, res->img_stride, sizeof(t->img_stride));
      jit_texture_check_levels(t);
      if (pick >> i & 1)
         jit_texture_pick_variant(t, &sc->samplers[i]);
   }
   sc->num_textures = sc->num_samplers = JIT_MAX_SAMPLERS;
}

/* A draw whose tiles wait in the context's scene (rs_scene): what its
 * fragment side reads until the flush. Allocated by st_draw, freed by
 * pending_release when the scene has shaded it (or drops it). */
struct st_pending_draw {
   struct jit_fs_ctx *fctx;                   /* owned; constants repointed at consts */
   const struct jit_fs_variant *fv;           /* its entry stays: evicting one flushes the scene first */
   const struct jit_shader *fs;
   int fused;                                 /* fv->fused is pinned */
   struct jit_late late_fs, late_fused;       /* fctx->late, fctx->late_fused point here */
   struct st_resource *res[JIT_MAX_CBUFS + 1 + JIT_MAX_SAMPLERS]; /* references: targets, textures */
   unsigned nres;
   float *consts;                             /* the fragment constants as they were at the draw */
};

/* What a stage held for a draw: its watchers of code still compiling, its
 * pinned fused variant (if it got one) and its pinned body (if native). */
static void stage_release(struct jit_late *late, struct jit_late *late_fused, struct jit_code *fused_code,
                          int fused, struct jit_code *body_code, int native)
{
   jit_late_finish(late);
   jit_late_finish(late_fused);
   if (fused)
      jit_code_release(fused_code);
   if (native)
      jit_code_release(body_code);
}

static void pending_release(void *arg)
{
   struct st_pending_draw *p = arg;
   stage_release(p->fctx->late, p->fctx->late_fused, p->fv->fused, p->fused, p->fs->native, p->fctx->native != NULL);
   for (unsigned i = 0; i < p->nres; i++)
      st_resource_unref(p->res[i]);
   free(p->consts);
   free(p->fctx);
   free(p);
}

/* Whether the draw reads a resource it renders to (then it runs at once:
 * its front end and its texels must see the framebuffer as drawn so far). */
static int reads_target(const struct st_sub_ctx *sub, const struct st_resource *ib)
{
   const struct st_resource *t[JIT_MAX_CBUFS + 1];
   unsigned n = 0;
   for (uint32_t i = 0; i <= sub->nr_cbufs && i <= JIT_MAX_CBUFS; i++) {
      const struct st_object *o = i < sub->nr_cbufs ? sub->cbufs[i] : sub->zsurf;
      if (o)
         t[n++] = o->u.surface.res;
   }
   for (unsigned k = 0; k < n; k++) {
      if (t[k] == ib)
         return 1;
      for (int i = 0; i < JIT_MAX_VERTEX_BUFFERS; i++)
         if (sub->vbufs[i].res == t[k])
            return 1;
      for (int st = 0; st < 2; st++)
         for (int i = 0; i < JIT_MAX_SAMPLERS; i++)
            if (sub->views[st][i] && sub->views[st][i]->u.view.res == t[k])
               return 1;
   }
   return 0;
}

/* Whether the draw replaces every pixel it covers in every bound color
 * buffer, whatever was there (rs_draw.opaque). */
static int draw_opaque(const struct jit_fs_variant_key *k, const struct jit_shader *fs,
                       const struct rs_framebuffer *fb)
{
   if (k->depth_enabled || k->stencil[0].enabled || k->stencil[1].enabled || k->alpha_enabled || fs->uses_kill ||
       k->blend.logicop_enable || k->blend.alpha_to_coverage || fb->nr_cbufs == 0)
      return 0;
   for (uint32_t i = 0; i < fb->nr_cbufs; i++)
      if (fb->cbufs[i].data && (k->blend.rt[i].blend_enable || (k->blend.rt[i].colormask & 0xf) != 0xf))
         return 0;
   return 1;
}

/* Queue d in the context's scene: 1 queued (the pending record now owns
 * fctx, the fragment pins and watchers), 0 it runs now, -1 with err. */
static int draw_defer(struct st_context *ctx, struct rs_draw *d, struct jit_fs_ctx *fctx,
                      const struct jit_fs_variant *fv, const struct jit_shader *fs, int fused, char *err,
                      size_t err_size)
{
   struct st_sub_ctx *sub = ctx->cur;
   if (!ctx->scene && rs_scene_create(&ctx->scene))
      return 0;
   size_t nconst = 0;
   for (int i = 0; i < JIT_MAX_CONST_BUFS; i++)
      nconst += (size_t)fctx->stage.num_constants[i] * 4;
   if (nconst * sizeof(float) > ST_DEFER_MAX_CONST_BYTES)
      return 0;
   struct st_pending_draw *p = calloc(1, sizeof(*p));
   if (!p || (nconst && !(p->consts = malloc(nconst * sizeof(float))))) {
      free(p);
      return 0;
   }
   for (uint32_t i = 0; i <= sub->nr_cbufs && i <= JIT_MAX_CBUFS; i++) {
      struct st_object *o = i < sub->nr_cbufs ? sub->cbufs[i] : sub->zsurf;
      if (o)
         p->res[p->nres++] = st_resource_ref(o->u.surface.res);
   }
   for (int i = 0; i < JIT_MAX_SAMPLERS; i++)
      if (sub->views[1][i])
         p->res[p->nres++] = st_resource_ref(sub->views[1][i]->u.view.res);
   p->fctx = fctx;
   p->fv = fv;
   p->fs = fs;
   p->fused = fused;
   int r = rs_scene_draw(ctx->r->pool, ctx->scene, d, pending_release, p, err, err_size);
   if (r != 1) {
      for (unsigned i = 0; i < p->nres; i++)
         st_resource_unref(p->res[i]);
      free(p->consts);
      free(p);
      return r;
   }
   /* queued, its tiles not shaded yet: give it its own constants and watchers */
   float *c = p->consts;
   for (int i = 0; i < JIT_MAX_CONST_BUFS; i++) {
      size_t k = (size_t)fctx->stage.num_constants[i] * 4;
      if (!k)
         continue;
      memcpy(c, fctx->stage.constants[i], k * sizeof(float));
      fctx->stage.constants[i] = c;
      c += k;
   }
   if (fctx->late) {
      p->late_fs = *fctx->late;
      fctx->late = &p->late_fs;
   }
   if (fctx->late_fused) {
      p->late_fused = *fctx->late_fused;
      fctx->late_fused = &p->late_fused;
   }
   return 1;
}

void st_flush(struct st_context *ctx)
{
   if (ctx->scene)
      rs_scene_flush(ctx->r->pool, ctx->scene);
}

int st_draw(struct st_context *ctx, const struct st_draw_args *a)
{
   struct st_sub_ctx *sub = ctx->cur;
   static const struct st_rasterizer default_rast = { .depth_clip = 1, .half_pixel_center = 1,
                                                       .point_size = 1.0f, .line_width = 1.0f };
   if (!sub->vs || !sub->fs)
      return st_error(ctx, "DRAW_VBO: no %s shader bound", sub->vs ? "fragment" : "vertex");
   if (a->mode > PIPE_PRIM_POLYGON)
      return st_error(ctx, "DRAW_VBO: primitive mode %u is not supported", a->mode);
   if (a->instance_count > ST_MAX_INSTANCES)
      return st_error(ctx, "DRAW_VBO: instance count %u exceeds the limit of %u", a->instance_count,
                      ST_MAX_INSTANCES);
   if ((uint64_t)a->count * (a->instance_count ? a->instance_count : 1) > ST_MAX_DRAW_VERTICES)
      return st_error(ctx, "DRAW_VBO: %u vertices x %u instances exceed the limit of %llu per draw", a->count,
                      a->instance_count, (unsigned long long)ST_MAX_DRAW_VERTICES);
   const struct jit_shader *vs = sub->vs->u.shader, *fs = sub->fs->u.shader;
   const struct st_rasterizer *rast = sub->rast ? &sub->rast->u.rast : &default_rast;
   int pos = jit_shader_output(vs, JIT_SEM_POSITION, 0);
   if (pos < 0)
      return st_error(ctx, "DRAW_VBO: the vertex shader writes no POSITION");

   struct rs_draw d;
   memset(&d, 0, sizeof(d));
   if (a->indexed) {
      if (!sub->ib)
         return st_error(ctx, "DRAW_VBO: indexed draw without an index buffer");
      /* As virglrenderer executes it (and Mesa's virgl driver relies on it):
       * the first index is at the index buffer's offset; DRAW_VBO's start
       * is not applied to indexed draws (Mesa already folded it into the
       * offset, or uploaded user indices from start on). */
      uint32_t first = sub->ib_offset;
      uint64_t end = (uint64_t)first + (uint64_t)a->count * sub->ib_size;
      if (end > sub->ib->size)
         return st_error(ctx, "DRAW_VBO: indices [%u, %llu) of %u bytes each exceed index buffer %u of %zu bytes",
                         first / sub->ib_size, (unsigned long long)(end / sub->ib_size), sub->ib_size,
                         sub->ib->handle, sub->ib->size);
      d.index_size = sub->ib_size;
      d.indices = sub->ib->data + first;
   }
   struct rs_framebuffer fb;
   build_framebuffer(sub, &fb);

   /* vertex variant */
   struct jit_vs_variant_key vkey;
   memset(&vkey, 0, sizeof(vkey));
   if (sub->ve) {
      vkey.num_elements = sub->ve->u.ve.count;
      memcpy(vkey.elements, sub->ve->u.ve.el, sizeof(vkey.elements[0]) * vkey.num_elements);
   }
   struct jit_vs_variant *vv = variant_get(ctx, 0, sub->vs, &vkey, sizeof(vkey));

   /* fragment variant */
   struct jit_fs_variant_key fkey;
   memset(&fkey, 0, sizeof(fkey));
   fkey.nr_cbufs = fb.nr_cbufs;
   for (uint32_t i = 0; i < fb.nr_cbufs; i++)
      fkey.cbuf_format[i] = fb.cbufs[i].data ? fb.cbufs[i].format : 0;
   fkey.zs_format = fb.zsbuf.data ? fb.zsbuf.format : 0;
   if (sub->dsa) {
      const struct st_dsa *dsa = &sub->dsa->u.dsa;
      fkey.depth_enabled = dsa->depth_enabled;
      fkey.depth_writemask = dsa->depth_writemask;
      fkey.depth_func = dsa->depth_func;
      fkey.alpha_enabled = dsa->alpha_enabled;
      fkey.alpha_func = dsa->alpha_func;
      fkey.stencil[0] = dsa->stencil[0];
      fkey.stencil[1] = dsa->stencil[1];
   }
   if (sub->blend) {
      fkey.blend = sub->blend->u.blend;
   } else {
      for (int i = 0; i < JIT_MAX_CBUFS; i++)
         fkey.blend.rt[i].colormask = 0xf;
   }
   fkey.depth_clamp = !rast->depth_clip;

   /* linkage: FS inputs from VS outputs by semantic */
   d.fs_num_inputs = fs->num_inputs;
   for (uint32_t i = 0; i < fs->num_inputs; i++) {
      const struct jit_io_decl *in = &fs->inputs[i];
      struct rs_fs_input *ri = &d.fs_inputs[i];
      uint8_t interp = in->color_interp ? (rast->flatshade ? JIT_INTERP_CONSTANT : JIT_INTERP_PERSPECTIVE)
                                        : in->interp;
      if (!in->declared) {
         ri->src = RS_INPUT_DEFAULT;
         interp = JIT_INTERP_CONSTANT;
      } else if (in->semantic == JIT_SEM_POSITION) {
         ri->src = RS_INPUT_POSITION;
         interp = JIT_INTERP_LINEAR;
      } else if (in->semantic == JIT_SEM_FACE) {
         ri->src = RS_INPUT_FACE;
         interp = JIT_INTERP_CONSTANT;
      } else {
         int slot = jit_shader_output(vs, in->semantic, in->semantic_index);
         if (slot < 0 && in->semantic == JIT_SEM_COLOR)
            slot = jit_shader_output(vs, JIT_SEM_BCOLOR, in->semantic_index);
         ri->src = slot >= 0 ? RS_INPUT_VS_OUTPUT : RS_INPUT_DEFAULT;
         ri->vs_slot = slot >= 0 ? (uint16_t)slot : 0;
         if (slot < 0)
            interp = JIT_INTERP_CONSTANT;
      }
      ri->interp = interp;
      fkey.interp[i] = interp;
   }
   /* the static sampling state of the units the fused code inlines the sampler for */
   for (uint32_t i = 0; i < JIT_FS_TEX_KEYS && i < fs->num_samplers; i++) {
      const struct st_object *vo = sub->views[1][i], *so = sub->samplers[1][i];
      if (!vo)
         continue;
      struct jit_texture t;
      memset(&t, 0, sizeof(t));
      view_fields(&vo->u.view, &t);
      struct jit_sampler smp;
      memset(&smp, 0, sizeof(smp));
      if (so)
         smp = so->u.sampler;
      jit_tex_key_make(&t, &smp, &fkey.tex[i]);
   }
   const struct jit_fs_variant *fv = variant_get(ctx, 1, sub->fs, &fkey, sizeof(fkey));
   if (!vv || !fv)
      return st_error(ctx, "DRAW_VBO: out of memory for a variant");

   /* per-draw contexts: dynamic state */
   struct jit_vs_ctx *vctx = malloc(sizeof(*vctx));
   struct jit_fs_ctx *fctx = malloc(sizeof(*fctx));
   if (!vctx || !fctx) {
      free(vctx);
      free(fctx);
      return st_error(ctx, "DRAW_VBO: out of memory");
   }
   memset(vctx, 0, sizeof(*vctx));
   memset(fctx, 0, sizeof(*fctx));
   vctx->variant = vv;
   fill_stage(sub, 0, &vctx->stage, ~0u);
   vctx->start_instance = a->start_instance;
   for (uint32_t i = 0; i < JIT_MAX_VERTEX_BUFFERS; i++) {
      const struct st_vbuf *b = &sub->vbufs[i];
      if (!b->res || b->offset > b->res->size)
         continue;
      vctx->vb[i].data = b->res->data + b->offset;
      vctx->vb[i].size = b->res->size - b->offset;
      vctx->vb[i].stride = b->stride;
   }
   fctx->variant = fv;
   /* a fused variant inlines the samplers of units 0-3 (once its code is ready; a variant compiled for them
    * would mostly arrive after it) */
   uint32_t inlined = fv->fused && jit_fs_fused_inlines_samplers(fs) ? (1u << JIT_FS_TEX_KEYS) - 1 : 0;
   fill_stage(sub, 1, &fctx->stage, ~inlined);
   for (uint32_t i = 0; i < fb.nr_cbufs; i++) {
      fctx->targets.cbuf[i] = fb.cbufs[i].data;
      fctx->targets.cbuf_stride[i] = fb.cbufs[i].stride;
   }
   fctx->targets.zsbuf = fb.zsbuf.data;
   fctx->targets.zsbuf_stride = fb.zsbuf.stride;
   fctx->targets.width = fb.width;
   fctx->targets.height = fb.height;
   fctx->stencil_ref[0] = sub->stencil_ref[0];
   fctx->stencil_ref[1] = sub->stencil_ref[1];
   memcpy(fctx->blend_color, sub->blend_color, sizeof(fctx->blend_color));
   fctx->alpha_ref = sub->dsa ? sub->dsa->u.dsa.alpha_ref : 0.0f;
   float zlo = sub->vp_translate[2] - sub->vp_scale[2], zhi = sub->vp_translate[2] + sub->vp_scale[2];
   fctx->depth_min = zlo < zhi ? zlo : zhi;
   fctx->depth_max = zlo < zhi ? zhi : zlo;

   /* the packet */
   d.mode = a->mode;
   d.start = a->indexed ? 0 : a->start; /* indexed: the index pointer already starts at the first index */
   d.count = a->count;
   d.index_bias = a->indexed ? a->index_bias : 0;
   d.instance_count = a->instance_count;
   d.primitive_restart = a->primitive_restart;
   d.restart_index = a->restart_index;
   d.vs = vv->func;
   d.vs_ctx = vctx;
   d.vs_num_outputs = vs->num_outputs;
   d.pos_slot = (uint32_t)pos;
   d.vs_window = 1; /* jit_vs_ref_run and the fused variant write each vertex's clip flags and window position */
   d.psize_slot = jit_shader_output(vs, JIT_SEM_PSIZE, 0);
   d.fs = fv->func;
   d.fs_ctx = fctx;
   d.fs_blocks = 1; /* jit_fs_ref_run and the fused variants both take blocks */
   d.cull_face = rast->cull_face;
   d.front_ccw = rast->front_ccw;
   d.half_pixel_center = rast->half_pixel_center;
   d.bottom_edge_rule = rast->bottom_edge_rule;
   d.flatshade_first = rast->flatshade_first;
   d.depth_clip = rast->depth_clip;
   d.clip_halfz = rast->clip_halfz;
   d.scissor_enable = rast->scissor;
   d.rasterizer_discard = rast->rasterizer_discard;
   d.point_size_per_vertex = rast->point_size_per_vertex;
   d.fill_front = rast->fill_front;
   d.fill_back = rast->fill_back;
   d.point_size = rast->point_size;
   d.line_width = rast->line_width;
   d.offset_tri = rast->offset_tri;
   d.poly_stipple = rast->poly_stipple_enable ? sub->poly_stipple : NULL;
   d.offset_units = rast->offset_units;
   d.offset_scale = rast->offset_scale;
   d.offset_clamp = rast->offset_clamp;
   /* minimum resolvable difference: one step of a fixed-point depth buffer (2^-24 for float, as llvmpipe) */
   d.depth_mrd = fkey.zs_format == JIT_FORMAT_Z16_UNORM ? 1.0f / 65535.0f : 1.0f / 16777215.0f;
   memcpy(d.viewport_scale, sub->vp_scale, sizeof(d.viewport_scale));
   memcpy(d.viewport_translate, sub->vp_translate, sizeof(d.viewport_translate));
   d.scissor = sub->scissor;
   d.fb = &fb;

   /* native shader code if the JIT has it (pinned for the draw), else the interpreter */
   vctx->native = jit_code_acquire(vs->native);
   fctx->native = jit_code_acquire(fs->native);
   /* the fused fragment variant when it is ready, else the reference around the body */
   jit_fs_func fused = jit_code_acquire_fs(fv->fused);
   if (fused)
      d.fs = fused;
   /* The fused vertex variant only for draws with many vertices: its compile
    * (28-54 ms) is the longest of a shader's, and for a few vertices the
    * body with C fetch around it costs microseconds (the bench's firstframe
    * draws 4 vertices per program: 20 such compiles held up the fragment
    * variants). Once asked for, every later draw of the variant uses it. */
   if (!vv->fused && (uint64_t)a->count * a->instance_count >= ST_VS_FUSED_MIN_VERTICES &&
       !jit_vs_fused_unsupported(&vv->key, vv->shader))
      vv->fused = jit_code_get_vs_variant(vs->native, &vv->key);
   jit_vs_func vfused = jit_code_acquire_vs(vv->fused);
   if (vfused)
      d.vs = vfused;
   /* code still compiling: the reference functions switch to it when it is ready */
   struct jit_late late_vs, late_fs, late_fused, late_vfused;
   vctx->late = vctx->native || vfused ? NULL : jit_late_init(&late_vs, vs->native);
   vctx->late_fused = vfused ? NULL : jit_late_init(&late_vfused, vv->fused);
   fctx->late = fctx->native || fused ? NULL : jit_late_init(&late_fs, fs->native);
   fctx->late_fused = fused ? NULL : jit_late_init(&late_fused, fv->fused);
   d.opaque = (uint8_t)draw_opaque(&fkey, fs, &fb);
   d.writes_zs = fb.zsbuf.data && ((fkey.depth_enabled && fkey.depth_writemask) || fkey.stencil[0].enabled ||
                                   fkey.stencil[1].enabled);
   char err[256];
   int ret = 0, queued = 0;
   if (!reads_target(sub, a->indexed ? sub->ib : NULL))
      queued = draw_defer(ctx, &d, fctx, fv, fs, fused != NULL, err, sizeof(err));
   if (queued == 0) {
      st_flush(ctx);
      ret = rs_draw_run(ctx->r->pool, &d, err, sizeof(err));
   } else if (queued < 0) {
      ret = -1;
   }
   stage_release(vctx->late, vctx->late_fused, vv->fused, vfused != NULL, vs->native, vctx->native != NULL);
   free(vctx);
   if (queued != 1) { /* else the scene's pending record holds the fragment side until the flush */
      stage_release(fctx->late, fctx->late_fused, fv->fused, fused != NULL, fs->native, fctx->native != NULL);
      free(fctx);
   }
   if (ret)
      return st_error(ctx, "DRAW_VBO: %s", err);
   return 0;
}

int st_clear(struct st_context *ctx, uint32_t buffers, const float color[4], double depth, uint32_t stencil)
{
   struct rs_framebuffer fb;
   build_framebuffer(ctx->cur, &fb);
   int r = 0;
   if (ctx->scene || !rs_scene_create(&ctx->scene))
      r = rs_scene_clear(ctx->r->pool, ctx->scene, &fb, buffers, color, depth, stencil);
   if (r == 1)
      return 0;
   st_flush(ctx); /* not queued (a surface larger than the framebuffer, no memory): now, after the rest */
   if (rs_clear(ctx->r->pool, &fb, buffers, color, depth, stencil, NULL))
      return st_error(ctx, "CLEAR: failed");
   return 0;
}
