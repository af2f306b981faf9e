/* vgpu_decode.c: decodes a virgl command buffer into state-tracker calls.
 * Every header's length is checked against the words left before its
 * payload is read, and every command checks its own payload length; the
 * first bad command fails the context with a message naming the command,
 * and the rest of the buffer is dropped. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state/st_context.h"
#include "jit/jit_llvm.h"
#include "vgpu/vgpu_decode.h"
#include "vgpu/vgpu_protocol.h"

static const char *const ccmd_names[VGPU_CCMD_COUNT] = {
   "NOP", "CREATE_OBJECT", "BIND_OBJECT", "DESTROY_OBJECT", "SET_VIEWPORT_STATE", "SET_FRAMEBUFFER_STATE",
   "SET_VERTEX_BUFFERS", "CLEAR", "DRAW_VBO", "RESOURCE_INLINE_WRITE", "SET_SAMPLER_VIEWS", "SET_INDEX_BUFFER",
   "SET_CONSTANT_BUFFER", "SET_STENCIL_REF", "SET_BLEND_COLOR", "SET_SCISSOR_STATE", "BLIT",
   "RESOURCE_COPY_REGION", "BIND_SAMPLER_STATES", "BEGIN_QUERY", "END_QUERY", "GET_QUERY_RESULT",
   "SET_POLYGON_STIPPLE", "SET_CLIP_STATE", "SET_SAMPLE_MASK", "SET_STREAMOUT_TARGETS", "SET_RENDER_CONDITION",
   "SET_UNIFORM_BUFFER", "SET_SUB_CTX", "CREATE_SUB_CTX", "DESTROY_SUB_CTX", "BIND_SHADER", "SET_TESS_STATE",
   "SET_MIN_SAMPLES", "SET_SHADER_BUFFERS", "SET_SHADER_IMAGES", "MEMORY_BARRIER", "LAUNCH_GRID",
   "SET_FRAMEBUFFER_STATE_NO_ATTACH", "TEXTURE_BARRIER", "SET_ATOMIC_BUFFERS", "SET_DEBUG_FLAGS",
   "GET_QUERY_RESULT_QBO", "TRANSFER3D", "END_TRANSFERS", "COPY_TRANSFER3D", "SET_TWEAKS", "CLEAR_TEXTURE",
   "PIPE_RESOURCE_CREATE", "PIPE_RESOURCE_SET_TYPE", "GET_MEMORY_INFO", "SEND_STRING_MARKER",
};
_Static_assert(sizeof(ccmd_names) / sizeof(ccmd_names[0]) == VGPU_CCMD_COUNT, "command names match the enum");

static const char *const object_names[VGPU_OBJECT_COUNT] = {
   "NULL", "BLEND", "RASTERIZER", "DSA", "SHADER", "VERTEX_ELEMENTS", "SAMPLER_VIEW", "SAMPLER_STATE",
   "SURFACE", "QUERY", "STREAMOUT_TARGET", "MSAA_SURFACE",
};

const char *vgpu_ccmd_name(unsigned cmd)
{
   return cmd < VGPU_CCMD_COUNT ? ccmd_names[cmd] : "?";
}

const char *vgpu_object_name(unsigned type)
{
   return type < VGPU_OBJECT_COUNT ? object_names[type] : "?";
}

static float wf(uint32_t w)
{
   float f;
   memcpy(&f, &w, 4);
   return f;
}

/* Payload length checks, naming the command. */
static int need_len(struct st_context *ctx, const char *cmd, uint32_t len, uint32_t min)
{
   if (len < min)
      return st_error(ctx, "%s: payload of %u dwords is shorter than the %u it needs", cmd, len, min);
   return 0;
}

static int stage_index(struct st_context *ctx, const char *cmd, uint32_t stage, int *out)
{
   if (stage == PIPE_SHADER_VERTEX || stage == PIPE_SHADER_FRAGMENT) {
      *out = (int)stage;
      return 0;
   }
   return st_error(ctx, "%s: shader stage %u is not supported", cmd, stage);
}

/* ---- CREATE_OBJECT ------------------------------------------------------------------------- */

static int create_blend(struct st_context *ctx, const uint32_t *p, uint32_t len)
{
   if (need_len(ctx, "CREATE_OBJECT(BLEND)", len, 4))
      return -1;
   struct st_object *o = st_object_new(ctx, ST_OBJ_BLEND, p[0]);
   if (!o)
      return -1;
   struct jit_blend_key *b = &o->u.blend;
   int independent = p[1] & 1;
   b->logicop_enable = (p[1] >> 1) & 1;
   b->dither = (p[1] >> 2) & 1;
   b->alpha_to_coverage = (p[1] >> 3) & 1;
   b->alpha_to_one = (p[1] >> 4) & 1;
   b->logicop_func = p[2] & 0xf;
   uint32_t nrt = len - 3 < JIT_MAX_CBUFS ? len - 3 : JIT_MAX_CBUFS;
   for (uint32_t i = 0; i < JIT_MAX_CBUFS; i++) {
      uint32_t w = (i < nrt && (independent || i == 0)) ? p[3 + i] : p[3];
      struct jit_blend_rt_key *rt = &b->rt[i];
      rt->blend_enable = w & 1;
      rt->rgb_func = (w >> 1) & 7;
      rt->rgb_src_factor = (w >> 4) & 0x1f;
      rt->rgb_dst_factor = (w >> 9) & 0x1f;
      rt->alpha_func = (w >> 14) & 7;
      rt->alpha_src_factor = (w >> 17) & 0x1f;
      rt->alpha_dst_factor = (w >> 22) & 0x1f;
      rt->colormask = (w >> 27) & 0xf;
      if (rt->rgb_func > PIPE_BLEND_MAX || rt->alpha_func > PIPE_BLEND_MAX) {
         st_object_unref(o);
         return st_error(ctx, "CREATE_OBJECT(BLEND) handle %u: bad blend function", p[0]);
      }
   }
   return st_object_insert(ctx, "CREATE_OBJECT", o);
}

static int create_dsa(struct st_context *ctx, const uint32_t *p, uint32_t len)
{
   if (need_len(ctx, "CREATE_OBJECT(DSA)", len, 5))
      return -1;
   struct st_object *o = st_object_new(ctx, ST_OBJ_DSA, p[0]);
   if (!o)
      return -1;
   struct st_dsa *d = &o->u.dsa;
   d->depth_enabled = p[1] & 1;
   d->depth_writemask = (p[1] >> 1) & 1;
   d->depth_func = (p[1] >> 2) & 7;
   d->alpha_enabled = (p[1] >> 8) & 1;
   d->alpha_func = (p[1] >> 9) & 7;
   for (int i = 0; i < 2; i++) {
      uint32_t w = p[2 + i];
      struct jit_stencil_key *s = &d->stencil[i];
      s->enabled = w & 1;
      s->func = (w >> 1) & 7;
      s->fail_op = (w >> 4) & 7;
      s->zpass_op = (w >> 7) & 7;
      s->zfail_op = (w >> 10) & 7;
      s->valuemask = (w >> 13) & 0xff;
      s->writemask = (w >> 21) & 0xff;
   }
   d->alpha_ref = wf(p[4]);
   return st_object_insert(ctx, "CREATE_OBJECT", o);
}

static int create_rasterizer(struct st_context *ctx, const uint32_t *p, uint32_t len)
{
   if (need_len(ctx, "CREATE_OBJECT(RASTERIZER)", len, 9))
      return -1;
   struct st_object *o = st_object_new(ctx, ST_OBJ_RASTERIZER, p[0]);
   if (!o)
      return -1;
   struct st_rasterizer *r = &o->u.rast;
   uint32_t s0 = p[1];
   r->flatshade = s0 & 1;
   r->depth_clip = (s0 >> 1) & 1;
   r->clip_halfz = (s0 >> 2) & 1;
   r->rasterizer_discard = (s0 >> 3) & 1;
   r->flatshade_first = (s0 >> 4) & 1;
   r->cull_face = (s0 >> 8) & 3;
   r->fill_front = (s0 >> 10) & 3;
   r->fill_back = (s0 >> 12) & 3;
   r->scissor = (s0 >> 14) & 1;
   r->front_ccw = (s0 >> 15) & 1;
   r->point_size_per_vertex = (s0 >> 24) & 1;
   r->half_pixel_center = (s0 >> 29) & 1;
   r->bottom_edge_rule = (s0 >> 30) & 1;
   r->point_size = wf(p[2]);
   r->line_width = wf(p[5]);
   r->offset_tri = (s0 >> 20) & 1;
   r->poly_stipple_enable = (s0 >> 22) & 1;
   r->offset_units = wf(p[6]);
   r->offset_scale = wf(p[7]);
   r->offset_clamp = wf(p[8]);
   return st_object_insert(ctx, "CREATE_OBJECT", o);
}

/* TESSERA_DEBUG=tgsi: print every shader's text as it arrives (read once). */
static int debug_tgsi(void)
{
   static int flag = -1;
   if (flag < 0) {
      const char *d = getenv("TESSERA_DEBUG");
      flag = d && strstr(d, "tgsi") ? 1 : 0;
   }
   return flag;
}

static int finish_shader(struct st_context *ctx, uint32_t handle, uint32_t stage, const char *text, size_t len)
{
   char err[256];
   if (debug_tgsi())
      fprintf(stderr, "tessera: context %u shader %u:\n%.*s\n", ctx->id, handle, (int)strnlen(text, len), text);
   struct jit_shader *sh;
   if (jit_tgsi_parse(text, len, stage, &sh, err, sizeof(err)))
      return st_error(ctx, "CREATE_OBJECT(SHADER) handle %u: %s", handle, err);
   struct st_object *o = st_object_new(ctx, ST_OBJ_SHADER, handle);
   if (!o) {
      jit_shader_free(sh);
      return -1;
   }
   sh->native = jit_code_get(text, len, stage); /* compiles in the background; NULL: interpreter only */
   o->u.shader = sh;
   return st_object_insert(ctx, "CREATE_OBJECT", o);
}

static int create_shader(struct st_context *ctx, const uint32_t *p, uint32_t len)
{
   const char *cmd = "CREATE_OBJECT(SHADER)";
   if (need_len(ctx, cmd, len, VGPU_SHADER_HDR_SIZE))
      return -1;
   uint32_t handle = p[0], stage = p[1], offlen = p[2], nso = p[4];
   uint32_t hdr = VGPU_SHADER_HDR_SIZE + (nso ? 2 * nso + 4 : 0);
   if (nso > 4 || len < hdr)
      return st_error(ctx, "%s handle %u: bad stream-output header (%u outputs)", cmd, handle, nso);
   if (nso)
      return st_error(ctx, "%s handle %u: stream output is not supported", cmd, handle);
   if (stage != PIPE_SHADER_VERTEX && stage != PIPE_SHADER_FRAGMENT)
      return st_error(ctx, "%s handle %u: shader stage %u is not supported", cmd, handle, stage);
   const char *data = (const char *)(p + hdr);
   size_t bytes = (size_t)(len - hdr) * 4;
   struct st_pending_shader *ps = &ctx->pending;
   if (!(offlen & VGPU_SHADER_OFFLEN_CONT)) {
      uint32_t total = offlen & 0x7fffffffu;
      if (ps->text) {
         uint32_t open_handle = ps->handle;
         free(ps->text);
         memset(ps, 0, sizeof(*ps));
         return st_error(ctx, "%s handle %u: new shader while shader %u is incomplete", cmd, handle, open_handle);
      }
      if (total == 0 || total > ST_MAX_SHADER_BYTES)
         return st_error(ctx, "%s handle %u: text length %u is out of range", cmd, handle, total);
      if (total <= bytes)
         return finish_shader(ctx, handle, stage, data, total);
      ps->text = malloc(total);
      if (!ps->text)
         return st_error(ctx, "%s handle %u: out of memory", cmd, handle);
      memcpy(ps->text, data, bytes);
      ps->handle = handle;
      ps->stage = stage;
      ps->total = total;
      ps->filled = (uint32_t)bytes;
      return 0;
   }
   uint32_t off = offlen & 0x7fffffffu;
   if (!ps->text || ps->handle != handle || ps->stage != stage || off != ps->filled)
      return st_error(ctx, "%s handle %u: continuation at offset %u does not follow a first packet", cmd, handle,
                      off);
   size_t n = bytes < (size_t)(ps->total - ps->filled) ? bytes : (size_t)(ps->total - ps->filled);
   memcpy(ps->text + ps->filled, data, n);
   ps->filled += (uint32_t)n;
   if (ps->filled < ps->total)
      return 0;
   char *text = ps->text;
   uint32_t total = ps->total;
   memset(ps, 0, sizeof(*ps));
   int ret = finish_shader(ctx, handle, stage, text, total);
   free(text);
   return ret;
}

static int create_vertex_elements(struct st_context *ctx, const uint32_t *p, uint32_t len)
{
   const char *cmd = "CREATE_OBJECT(VERTEX_ELEMENTS)";
   if (need_len(ctx, cmd, len, 1))
      return -1;
   uint32_t n = (len - 1) / 4;
   if ((len - 1) % 4 || n > JIT_MAX_VERTEX_ELEMENTS)
      return st_error(ctx, "%s handle %u: bad element count (%u dwords)", cmd, p[0], len);
   struct st_object *o = st_object_new(ctx, ST_OBJ_VERTEX_ELEMENTS, p[0]);
   if (!o)
      return -1;
   o->u.ve.count = n;
   for (uint32_t i = 0; i < n; i++) {
      struct jit_vertex_element *e = &o->u.ve.el[i];
      e->src_offset = p[1 + i * 4];
      e->instance_divisor = p[2 + i * 4];
      e->vertex_buffer_index = p[3 + i * 4];
      e->src_format = p[4 + i * 4];
      const struct jit_format_desc *fd = jit_format_get(e->src_format);
      if (!fd || !fd->vertex || e->vertex_buffer_index >= JIT_MAX_VERTEX_BUFFERS) {
         uint32_t f = e->src_format, vb = e->vertex_buffer_index;
         st_object_unref(o);
         return st_error(ctx, "%s handle %u: element %u has %s (format %u, buffer %u)", cmd, p[0], i,
                         !fd || !fd->vertex ? "an unsupported vertex format" : "a bad buffer index", f, vb);
      }
   }
   return st_object_insert(ctx, "CREATE_OBJECT", o);
}

static int create_sampler_view(struct st_context *ctx, const uint32_t *p, uint32_t len)
{
   const char *cmd = "CREATE_OBJECT(SAMPLER_VIEW)";
   if (need_len(ctx, cmd, len, 6))
      return -1;
   struct st_resource *res = st_ctx_resource(ctx, cmd, p[1]);
   if (!res)
      return -1;
   uint32_t format = p[2] & 0xffffff, target = p[2] >> 24;
   const struct jit_format_desc *fd = jit_format_get(format);
   if (res->target == PIPE_BUFFER)
      return st_error(ctx, "%s handle %u: buffer textures are not supported", cmd, p[0]);
   if (!fd || !fd->sampleable || fd->block_bytes != res->bpp)
      return st_error(ctx, "%s handle %u: format %u cannot view resource %u", cmd, p[0], format, p[1]);
   if (target == PIPE_BUFFER || target > PIPE_TEXTURE_CUBE_ARRAY)
      target = res->target;
   uint32_t first_layer = p[3] & 0xffff, last_layer = p[3] >> 16;
   uint32_t first_level = p[4] & 0xff, last_level = (p[4] >> 8) & 0xff;
   if (first_level > last_level || last_level > res->last_level || first_layer > last_layer ||
       last_layer >= res->layers)
      return st_error(ctx, "%s handle %u: levels %u..%u / layers %u..%u outside resource %u", cmd, p[0],
                      first_level, last_level, first_layer, last_layer, p[1]);
   struct st_object *o = st_object_new(ctx, ST_OBJ_SAMPLER_VIEW, p[0]);
   if (!o)
      return -1;
   struct st_sampler_view *v = &o->u.view;
   v->res = st_resource_ref(res);
   v->format = format;
   v->target = target;
   v->first_level = first_level;
   v->last_level = last_level;
   v->first_layer = first_layer;
   v->last_layer = last_layer;
   for (int i = 0; i < 4; i++) {
      uint32_t s = (p[5] >> (3 * i)) & 7;
      v->swizzle[i] = (uint8_t)(s > 5 ? 4 : s); /* PIPE_SWIZZLE: 0..3 RGBA, 4 zero, 5 one */
   }
   return st_object_insert(ctx, "CREATE_OBJECT", o);
}

static int create_sampler_state(struct st_context *ctx, const uint32_t *p, uint32_t len)
{
   if (need_len(ctx, "CREATE_OBJECT(SAMPLER_STATE)", len, 9))
      return -1;
   struct st_object *o = st_object_new(ctx, ST_OBJ_SAMPLER_STATE, p[0]);
   if (!o)
      return -1;
   struct jit_sampler *s = &o->u.sampler;
   uint32_t w = p[1];
   s->wrap_s = w & 7;
   s->wrap_t = (w >> 3) & 7;
   s->wrap_r = (w >> 6) & 7;
   s->min_img_filter = (w >> 9) & 3;
   s->min_mip_filter = (w >> 11) & 3;
   s->mag_img_filter = (w >> 13) & 3;
   s->compare_mode = (w >> 15) & 1;
   s->compare_func = (w >> 16) & 7;
   s->seamless_cube_map = (w >> 19) & 1;
   s->normalized_coords = 1;
   s->lod_bias = wf(p[2]);
   s->min_lod = wf(p[3]);
   s->max_lod = wf(p[4]);
   if (!(s->min_lod == s->min_lod))
      s->min_lod = 0.0f;
   if (!(s->max_lod == s->max_lod))
      s->max_lod = 1000.0f;
   for (int i = 0; i < 4; i++)
      s->border_color[i] = wf(p[5 + i]);
   if (s->min_img_filter > 1 || s->mag_img_filter > 1 || s->min_mip_filter > 2) {
      st_object_unref(o);
      return st_error(ctx, "CREATE_OBJECT(SAMPLER_STATE) handle %u: bad filter", p[0]);
   }
   return st_object_insert(ctx, "CREATE_OBJECT", o);
}

static int create_surface(struct st_context *ctx, const uint32_t *p, uint32_t len)
{
   const char *cmd = "CREATE_OBJECT(SURFACE)";
   if (need_len(ctx, cmd, len, 5))
      return -1;
   struct st_resource *res = st_ctx_resource(ctx, cmd, p[1]);
   if (!res)
      return -1;
   const struct jit_format_desc *fd = jit_format_get(p[2]);
   if (res->target == PIPE_BUFFER || !fd || !fd->renderable || fd->block_bytes != res->bpp)
      return st_error(ctx, "%s handle %u: format %u cannot render to resource %u", cmd, p[0], p[2], p[1]);
   uint32_t level = p[3], first = p[4] & 0xffff, last = p[4] >> 16;
   if (level > res->last_level || first > last || last >= st_level_depth(res, level))
      return st_error(ctx, "%s handle %u: level %u / layers %u..%u outside resource %u", cmd, p[0], level, first,
                      last, p[1]);
   struct st_object *o = st_object_new(ctx, ST_OBJ_SURFACE, p[0]);
   if (!o)
      return -1;
   o->u.surface.res = st_resource_ref(res);
   o->u.surface.format = p[2];
   o->u.surface.level = level;
   o->u.surface.first_layer = first;
   o->u.surface.last_layer = last;
   return st_object_insert(ctx, "CREATE_OBJECT", o);
}

static int cmd_create_object(struct st_context *ctx, uint32_t obj, const uint32_t *p, uint32_t len)
{
   switch (obj) {
   case VGPU_OBJECT_BLEND: return create_blend(ctx, p, len);
   case VGPU_OBJECT_DSA: return create_dsa(ctx, p, len);
   case VGPU_OBJECT_RASTERIZER: return create_rasterizer(ctx, p, len);
   case VGPU_OBJECT_SHADER: return create_shader(ctx, p, len);
   case VGPU_OBJECT_VERTEX_ELEMENTS: return create_vertex_elements(ctx, p, len);
   case VGPU_OBJECT_SAMPLER_VIEW: return create_sampler_view(ctx, p, len);
   case VGPU_OBJECT_SAMPLER_STATE: return create_sampler_state(ctx, p, len);
   case VGPU_OBJECT_SURFACE: return create_surface(ctx, p, len);
   default:
      return st_error(ctx, "CREATE_OBJECT: object type %u (%s) is not supported", obj, vgpu_object_name(obj));
   }
}

/* ---- state setting ---------------------------------------------------------------------------- */

static int cmd_bind_shader(struct st_context *ctx, const uint32_t *p, uint32_t len)
{
   int stage = 0;
   if (need_len(ctx, "BIND_SHADER", len, 2))
      return -1;
   if (p[0] == 0 && p[1] > PIPE_SHADER_FRAGMENT && p[1] < PIPE_SHADER_TYPES)
      return 0; /* unbinding a stage Tessera does not run (Mesa unbinds them all) */
   if (stage_index(ctx, "BIND_SHADER", p[1], &stage))
      return -1;
   struct st_object *o = NULL;
   if (p[0]) {
      o = st_object_lookup(ctx, "BIND_SHADER", ST_OBJ_SHADER, p[0]);
      if (!o)
         return -1;
      if (o->u.shader->stage != p[1])
         return st_error(ctx, "BIND_SHADER: shader %u is not a %s shader", p[0], stage ? "fragment" : "vertex");
   }
   st_bind_slot(stage == 0 ? &ctx->cur->vs : &ctx->cur->fs, o);
   return 0;
}

static int cmd_set_framebuffer(struct st_context *ctx, const uint32_t *p, uint32_t len)
{
   const char *cmd = "SET_FRAMEBUFFER_STATE";
   if (need_len(ctx, cmd, len, 2))
      return -1;
   uint32_t n = p[0];
   if (n > JIT_MAX_CBUFS || len < n + 2)
      return st_error(ctx, "%s: %u color buffers do not fit %u dwords (limit %u)", cmd, n, len, JIT_MAX_CBUFS);
   struct st_object *z = NULL, *c[JIT_MAX_CBUFS] = { 0 };
   if (p[1] && !(z = st_object_lookup(ctx, cmd, ST_OBJ_SURFACE, p[1])))
      return -1;
   if (z && !jit_format_get(z->u.surface.format)->has_depth && !jit_format_get(z->u.surface.format)->has_stencil)
      return st_error(ctx, "%s: surface %u is not a depth/stencil surface", cmd, p[1]);
   for (uint32_t i = 0; i < n; i++) {
      if (p[2 + i] && !(c[i] = st_object_lookup(ctx, cmd, ST_OBJ_SURFACE, p[2 + i])))
         return -1;
      if (c[i] && jit_format_get(c[i]->u.surface.format)->kind >= JIT_FORMAT_KIND_DEPTH)
         return st_error(ctx, "%s: surface %u is not a color surface", cmd, p[2 + i]);
   }
   struct st_sub_ctx *sub = ctx->cur;
   st_bind_slot(&sub->zsurf, z);
   for (uint32_t i = 0; i < JIT_MAX_CBUFS; i++)
      st_bind_slot(&sub->cbufs[i], i < n ? c[i] : NULL);
   sub->nr_cbufs = n;
   return 0;
}

static int cmd_set_viewport(struct st_context *ctx, const uint32_t *p, uint32_t len)
{
   if (need_len(ctx, "SET_VIEWPORT_STATE", len, 1))
      return -1;
   if ((len - 1) % 6 || p[0] >= 16)
      return st_error(ctx, "SET_VIEWPORT_STATE: bad length %u or start slot %u", len, p[0]);
   if (p[0] == 0 && len >= 7) { /* one viewport: slot 0 */
      for (int i = 0; i < 3; i++) {
         ctx->cur->vp_scale[i] = wf(p[1 + i]);
         ctx->cur->vp_translate[i] = wf(p[4 + i]);
      }
   }
   return 0;
}

static int cmd_set_vertex_buffers(struct st_context *ctx, const uint32_t *p, uint32_t len)
{
   const char *cmd = "SET_VERTEX_BUFFERS";
   if (len % 3 || len / 3 > JIT_MAX_VERTEX_BUFFERS)
      return st_error(ctx, "%s: bad length %u (3 dwords per buffer, at most %u buffers)", cmd, len,
                      JIT_MAX_VERTEX_BUFFERS);
   uint32_t n = len / 3;
   struct st_resource *res[JIT_MAX_VERTEX_BUFFERS] = { 0 };
   for (uint32_t i = 0; i < n; i++)
      if (p[i * 3 + 2] && !(res[i] = st_ctx_resource(ctx, cmd, p[i * 3 + 2])))
         return -1;
   struct st_sub_ctx *sub = ctx->cur;
   for (uint32_t i = 0; i < JIT_MAX_VERTEX_BUFFERS; i++) {
      struct st_resource *old = sub->vbufs[i].res;
      sub->vbufs[i].res = i < n ? st_resource_ref(res[i]) : NULL;
      sub->vbufs[i].stride = i < n ? p[i * 3] : 0;
      sub->vbufs[i].offset = i < n ? p[i * 3 + 1] : 0;
      st_resource_unref(old);
   }
   sub->num_vbufs = n;
   return 0;
}

static int cmd_set_index_buffer(struct st_context *ctx, const uint32_t *p, uint32_t len)
{
   const char *cmd = "SET_INDEX_BUFFER";
   if (need_len(ctx, cmd, len, 1))
      return -1;
   struct st_sub_ctx *sub = ctx->cur;
   struct st_resource *res = NULL;
   if (p[0]) {
      if (need_len(ctx, cmd, len, 3))
         return -1;
      if (p[1] != 1 && p[1] != 2 && p[1] != 4)
         return st_error(ctx, "%s: index size %u is not 1, 2 or 4", cmd, p[1]);
      if (p[2] % p[1])
         return st_error(ctx, "%s: offset %u is not a multiple of the index size", cmd, p[2]);
      if (!(res = st_ctx_resource(ctx, cmd, p[0])))
         return -1;
      sub->ib_size = p[1];
      sub->ib_offset = p[2];
   }
   struct st_resource *old = sub->ib;
   sub->ib = st_resource_ref(res);
   st_resource_unref(old);
   return 0;
}

static int cmd_set_constant_buffer(struct st_context *ctx, const uint32_t *p, uint32_t len)
{
   const char *cmd = "SET_CONSTANT_BUFFER";
   int stage = 0;
   if (need_len(ctx, cmd, len, 2))
      return -1;
   if (p[0] >= PIPE_SHADER_TYPES)
      return st_error(ctx, "%s: shader stage %u does not exist", cmd, p[0]);
   if (p[0] > PIPE_SHADER_FRAGMENT)
      return 0; /* stages Tessera does not run: nothing reads them */
   if (stage_index(ctx, cmd, p[0], &stage))
      return -1;
   if (p[1] >= JIT_MAX_CONST_BUFS)
      return st_error(ctx, "%s: buffer index %u is out of range", cmd, p[1]);
   uint32_t nfloats = len - 2, count = (nfloats + 3) / 4;
   if (count > JIT_MAX_CONSTS)
      return st_error(ctx, "%s: %u constants exceed the limit of %u", cmd, count, JIT_MAX_CONSTS);
   struct st_cbuf *cb = &ctx->cur->consts[stage][p[1]];
   float *data = NULL;
   if (count) {
      data = calloc(count * 4, sizeof(float));
      if (!data)
         return st_error(ctx, "%s: out of memory", cmd);
      memcpy(data, p + 2, (size_t)nfloats * 4);
   }
   free(cb->data);
   cb->data = data;
   cb->count = count;
   return 0;
}

static int cmd_set_views_or_samplers(struct st_context *ctx, int samplers, const uint32_t *p, uint32_t len)
{
   const char *cmd = samplers ? "BIND_SAMPLER_STATES" : "SET_SAMPLER_VIEWS";
   int stage = 0;
   if (need_len(ctx, cmd, len, 2))
      return -1;
   if (p[0] >= PIPE_SHADER_TYPES)
      return st_error(ctx, "%s: shader stage %u does not exist", cmd, p[0]);
   if (p[0] > PIPE_SHADER_FRAGMENT)
      return 0;
   if (stage_index(ctx, cmd, p[0], &stage))
      return -1;
   uint32_t start = p[1], n = len - 2;
   if (start > JIT_MAX_SAMPLERS || n > JIT_MAX_SAMPLERS - start)
      return st_error(ctx, "%s: slots %u..%u exceed the limit of %u", cmd, start, start + n, JIT_MAX_SAMPLERS);
   struct st_object *objs[JIT_MAX_SAMPLERS] = { 0 };
   for (uint32_t i = 0; i < n; i++)
      if (p[2 + i] && !(objs[i] = st_object_lookup(ctx, cmd, samplers ? ST_OBJ_SAMPLER_STATE : ST_OBJ_SAMPLER_VIEW,
                                                   p[2 + i])))
         return -1;
   struct st_object **slots = samplers ? ctx->cur->samplers[stage] : ctx->cur->views[stage];
   for (uint32_t i = 0; i < n; i++)
      st_bind_slot(&slots[start + i], objs[i]);
   if (!samplers) /* Gallium: views past the new ones are unbound */
      for (uint32_t i = start + n; i < JIT_MAX_SAMPLERS; i++)
         st_bind_slot(&slots[i], NULL);
   return 0;
}

static int cmd_set_scissor(struct st_context *ctx, const uint32_t *p, uint32_t len)
{
   if (need_len(ctx, "SET_SCISSOR_STATE", len, 1))
      return -1;
   if ((len - 1) % 2 || p[0] >= 16)
      return st_error(ctx, "SET_SCISSOR_STATE: bad length %u or start slot %u", len, p[0]);
   if (p[0] == 0 && len >= 3) {
      struct rs_scissor *s = &ctx->cur->scissor;
      s->minx = (int32_t)(p[1] & 0xffff);
      s->miny = (int32_t)(p[1] >> 16);
      s->maxx = (int32_t)(p[2] & 0xffff);
      s->maxy = (int32_t)(p[2] >> 16);
   }
   return 0;
}

static int cmd_inline_write(struct st_context *ctx, const uint32_t *p, uint32_t len)
{
   const char *cmd = "RESOURCE_INLINE_WRITE";
   if (need_len(ctx, cmd, len, VGPU_INLINE_WRITE_HDR))
      return -1;
   struct st_resource *res = st_ctx_resource(ctx, cmd, p[0]);
   if (!res)
      return -1;
   char err[256];
   if (st_resource_copy_box(res, p[1], p[5], p[6], p[7], p[8], p[9], p[10], (uint8_t *)(uintptr_t)(p + 11),
                            (size_t)(len - 11) * 4, p[3], p[4], 1, err, sizeof(err)))
      return st_error(ctx, "%s to resource %u: %s", cmd, p[0], err);
   return 0;
}

static int cmd_transfer3d(struct st_context *ctx, const uint32_t *p, uint32_t len)
{
   const char *cmd = "TRANSFER3D";
   if (need_len(ctx, cmd, len, VGPU_TRANSFER3D_SIZE))
      return -1;
   struct st_resource *res = st_ctx_resource(ctx, cmd, p[0]);
   if (!res)
      return -1;
   uint32_t offset = p[11], dir = p[12];
   if (dir != VGPU_TRANSFER_TO_HOST && dir != VGPU_TRANSFER_FROM_HOST)
      return st_error(ctx, "%s: bad direction %u", cmd, dir);
   if (!res->backing)
      return st_error(ctx, "%s: resource %u has no backing memory", cmd, p[0]);
   if (offset > res->backing_size)
      return st_error(ctx, "%s: offset %u is past the %zu-byte backing of resource %u", cmd, offset,
                      res->backing_size, p[0]);
   char err[256];
   if (st_resource_copy_box(res, p[1], p[5], p[6], p[7], p[8], p[9], p[10], res->backing + offset,
                            res->backing_size - offset, p[3], p[4], dir == VGPU_TRANSFER_TO_HOST, err, sizeof(err)))
      return st_error(ctx, "%s resource %u: %s", cmd, p[0], err);
   return 0;
}

static int cmd_copy_region(struct st_context *ctx, const uint32_t *p, uint32_t len)
{
   const char *cmd = "RESOURCE_COPY_REGION";
   if (need_len(ctx, cmd, len, 13))
      return -1;
   struct st_resource *dst = st_ctx_resource(ctx, cmd, p[0]), *src = dst ? st_ctx_resource(ctx, cmd, p[5]) : NULL;
   if (!dst || !src)
      return -1;
   if (dst->bpp != src->bpp)
      return st_error(ctx, "%s: resources %u and %u have different pixel sizes", cmd, p[0], p[5]);
   uint32_t w = p[10], h = p[11], d = p[12];
   uint64_t bytes = (uint64_t)w * h * d * src->bpp;
   if (bytes > src->size || bytes > dst->size) /* no box inside both resources is larger */
      return st_error(ctx, "%s: box %ux%ux%u is larger than resource %u or %u", cmd, w, h, d, p[5], p[0]);
   uint8_t *tmp = malloc(bytes ? (size_t)bytes : 1);
   if (!tmp)
      return st_error(ctx, "%s: out of memory", cmd);
   char err[256];
   int ret = st_resource_copy_box(src, p[6], p[7], p[8], p[9], w, h, d, tmp, (size_t)bytes, 0, 0, 0, err,
                                  sizeof(err));
   if (!ret)
      ret = st_resource_copy_box(dst, p[1], p[2], p[3], p[4], w, h, d, tmp, (size_t)bytes, 0, 0, 1, err,
                                 sizeof(err));
   free(tmp);
   return ret ? st_error(ctx, "%s from %u to %u: %s", cmd, p[5], p[0], err) : 0;
}

/* Pointer to pixel (x, y, z) of a level, or NULL outside it. */
static uint8_t *level_pixel(struct st_resource *res, uint32_t level, int64_t x, int64_t y, int64_t z)
{
   if (level > res->last_level || x < 0 || y < 0 || z < 0 || x >= st_level_width(res, level) ||
       y >= st_level_height(res, level) || z >= st_level_depth(res, level))
      return NULL;
   uint64_t off = (uint64_t)res->level_offset[level] + (uint64_t)z * res->img_stride[level] +
                  (uint64_t)y * res->row_stride[level] + (uint64_t)x * res->bpp;
   return off + res->bpp <= res->size ? res->data + off : NULL;
}

/* BLIT: scaled copies between formats, nearest sampling (a linear filter
 * request is served with nearest as well); color through RGBA float, depth
 * and stencil through their own bits; the write mask and scissor apply. */
static int cmd_blit(struct st_context *ctx, const uint32_t *p, uint32_t len)
{
   const char *cmd = "BLIT";
   if (need_len(ctx, cmd, len, 21))
      return -1;
   uint32_t mask = p[0] & 0xff, scissor = (p[0] >> 10) & 1;
   struct st_resource *dst = st_ctx_resource(ctx, cmd, p[3]), *src = dst ? st_ctx_resource(ctx, cmd, p[12]) : NULL;
   if (!dst || !src)
      return -1;
   uint32_t dfmt = p[5], sfmt = p[14];
   const struct jit_format_desc *dd = jit_format_get(dfmt), *sd = jit_format_get(sfmt);
   if (!dd || !sd || dd->block_bytes != dst->bpp || sd->block_bytes != src->bpp)
      return st_error(ctx, "%s: formats %u -> %u do not fit resources %u -> %u", cmd, sfmt, dfmt, p[12], p[3]);
   int32_t dx0 = (int32_t)p[6], dy0 = (int32_t)p[7], dz0 = (int32_t)p[8];
   int32_t dw = (int32_t)p[9], dh = (int32_t)p[10], ddp = (int32_t)p[11];
   int32_t sx0 = (int32_t)p[15], sy0 = (int32_t)p[16], sz0 = (int32_t)p[17];
   int32_t sw = (int32_t)p[18], sh = (int32_t)p[19], sdp = (int32_t)p[20];
   if (dw <= 0 || dh <= 0 || ddp <= 0 || dw > ST_MAX_TEXTURE_SIZE || dh > ST_MAX_TEXTURE_SIZE ||
       ddp > ST_MAX_ARRAY_LAYERS || sw == 0 || sh == 0 || sdp == 0 || sw < -ST_MAX_TEXTURE_SIZE ||
       sw > ST_MAX_TEXTURE_SIZE || sh < -ST_MAX_TEXTURE_SIZE || sh > ST_MAX_TEXTURE_SIZE)
      return st_error(ctx, "%s: box sizes %dx%dx%d <- %dx%dx%d are out of range", cmd, dw, dh, ddp, sw, sh, sdp);
   int32_t smin_x = (int32_t)(p[1] & 0xffff), smin_y = (int32_t)(p[1] >> 16);
   int32_t smax_x = (int32_t)(p[2] & 0xffff), smax_y = (int32_t)(p[2] >> 16);
   if (p[4] > dst->last_level || p[13] > src->last_level)
      return st_error(ctx, "%s: level %u of resource %u or level %u of resource %u does not exist", cmd, p[4], p[3],
                      p[13], p[12]);
   /* clip the destination box to the destination level first: the work of
    * one BLIT is bounded by the pixels it can write, not by the box it names */
   int64_t lw = st_level_width(dst, p[4]), lh = st_level_height(dst, p[4]), ld = st_level_depth(dst, p[4]);
   if (dst->target == PIPE_BUFFER)
      lh = ld = 1;
   int32_t x0 = dx0 < 0 ? (int32_t)(dx0 > -dw ? -dx0 : dw) : 0, x1 = (int32_t)(lw - dx0 < dw ? lw - dx0 : dw);
   int32_t y0 = dy0 < 0 ? (int32_t)(dy0 > -dh ? -dy0 : dh) : 0, y1 = (int32_t)(lh - dy0 < dh ? lh - dy0 : dh);
   int32_t z0 = dz0 < 0 ? (int32_t)(dz0 > -ddp ? -dz0 : ddp) : 0, z1 = (int32_t)(ld - dz0 < ddp ? ld - dz0 : ddp);
   for (int32_t z = z0; z < z1; z++) {
      int64_t sz = sz0 + (int64_t)((z + 0.5) * sdp / ddp);
      for (int32_t y = y0; y < y1; y++) {
         int64_t sy = sy0 + (int64_t)floor((y + 0.5) * sh / dh);
         for (int32_t x = x0; x < x1; x++) {
            int64_t tx = (int64_t)dx0 + x, ty = (int64_t)dy0 + y;
            if (scissor && (tx < smin_x || tx >= smax_x || ty < smin_y || ty >= smax_y))
               continue;
            int64_t sx = sx0 + (int64_t)floor((x + 0.5) * sw / dw);
            uint8_t *d = level_pixel(dst, p[4], tx, ty, (int64_t)dz0 + z), *s = level_pixel(src, p[13], sx, sy, sz);
            if (!d || !s)
               continue; /* outside either level: nothing to copy (as GL clips blits) */
            if (dd->kind == JIT_FORMAT_KIND_DEPTH || dd->kind == JIT_FORMAT_KIND_STENCIL) {
               if ((mask & 0x10) && dd->has_depth && sd->has_depth)
                  jit_format_pack_z(dfmt, jit_format_unpack_z(sfmt, s), d);
               if ((mask & 0x20) && dd->has_stencil && sd->has_stencil)
                  jit_format_pack_s(dfmt, jit_format_unpack_s(sfmt, s), d);
               continue;
            }
            if (!(mask & 0xf))
               continue;
            float c[4], old[4];
            jit_format_unpack_rgba(sfmt, s, c);
            if ((mask & 0xf) != 0xf) {
               jit_format_unpack_rgba(dfmt, d, old);
               for (int k = 0; k < 4; k++)
                  if (!(mask & (1u << k)))
                     c[k] = old[k];
            }
            jit_format_pack_rgba(dfmt, c, d);
         }
      }
   }
   return 0;
}

static int cmd_draw_vbo(struct st_context *ctx, const uint32_t *p, uint32_t len)
{
   if (need_len(ctx, "DRAW_VBO", len, VGPU_DRAW_VBO_SIZE))
      return -1;
   if (len >= 20 && p[14])
      return st_error(ctx, "DRAW_VBO: indirect draws are not supported");
   if (p[11])
      return st_error(ctx, "DRAW_VBO: draws counted from stream output are not supported");
   struct st_draw_args a = {
      .start = p[0], .count = p[1], .mode = p[2], .indexed = p[3], .instance_count = p[4],
      .index_bias = (int32_t)p[5], .start_instance = p[6], .primitive_restart = p[7], .restart_index = p[8],
      .min_index = p[9], .max_index = p[10],
   };
   return st_draw(ctx, &a);
}

static int cmd_clear(struct st_context *ctx, const uint32_t *p, uint32_t len)
{
   if (need_len(ctx, "CLEAR", len, VGPU_CLEAR_SIZE))
      return -1;
   float color[4];
   memcpy(color, p + 1, sizeof(color));
   uint64_t dbits = (uint64_t)p[5] | (uint64_t)p[6] << 32;
   double depth;
   memcpy(&depth, &dbits, 8);
   return st_clear(ctx, p[0], color, depth, p[7]);
}

/* SET_SHADER_BUFFERS / SET_SHADER_IMAGES / SET_ATOMIC_BUFFERS: GL 2.x has
 * no such bindings; unbinding (no elements, or every resource handle 0) is
 * accepted, anything bound is unsupported. Layout: hdr dwords, then el
 * dwords per element whose dword res_at is the resource handle. */
static int cmd_unbind_only(struct st_context *ctx, uint32_t cmd, const uint32_t *p, uint32_t len, uint32_t hdr,
                           uint32_t el, uint32_t res_at)
{
   const char *name = vgpu_ccmd_name(cmd);
   if (need_len(ctx, name, len, hdr))
      return -1;
   if ((len - hdr) % el)
      return st_error(ctx, "%s: payload of %u dwords is not %u + %u per element", name, len, hdr, el);
   for (uint32_t i = hdr + res_at; i < len; i += el)
      if (p[i])
         return st_error(ctx, "%s: binding resource %u is not supported", name, p[i]);
   return 0;
}

/* ---- dispatch ------------------------------------------------------------------------------------ */

static int dispatch(struct st_context *ctx, uint32_t cmd, uint32_t obj, const uint32_t *p, uint32_t len)
{
   struct st_sub_ctx *sub = ctx->cur;
   switch (cmd) {
   case VGPU_CCMD_NOP:
      return 0;
   case VGPU_CCMD_CREATE_OBJECT:
      return cmd_create_object(ctx, obj, p, len);
   case VGPU_CCMD_BIND_OBJECT:
      if (need_len(ctx, "BIND_OBJECT", len, 1))
         return -1;
      return st_object_bind(ctx, obj, p[0]);
   case VGPU_CCMD_DESTROY_OBJECT:
      if (need_len(ctx, "DESTROY_OBJECT", len, 1))
         return -1;
      return st_object_destroy(ctx, obj, p[0]);
   case VGPU_CCMD_BIND_SHADER:
      return cmd_bind_shader(ctx, p, len);
   case VGPU_CCMD_SET_VIEWPORT_STATE:
      return cmd_set_viewport(ctx, p, len);
   case VGPU_CCMD_SET_FRAMEBUFFER_STATE:
      return cmd_set_framebuffer(ctx, p, len);
   case VGPU_CCMD_SET_VERTEX_BUFFERS:
      return cmd_set_vertex_buffers(ctx, p, len);
   case VGPU_CCMD_SET_INDEX_BUFFER:
      return cmd_set_index_buffer(ctx, p, len);
   case VGPU_CCMD_SET_CONSTANT_BUFFER:
      return cmd_set_constant_buffer(ctx, p, len);
   case VGPU_CCMD_SET_SAMPLER_VIEWS:
      return cmd_set_views_or_samplers(ctx, 0, p, len);
   case VGPU_CCMD_BIND_SAMPLER_STATES:
      return cmd_set_views_or_samplers(ctx, 1, p, len);
   case VGPU_CCMD_SET_SCISSOR_STATE:
      return cmd_set_scissor(ctx, p, len);
   case VGPU_CCMD_SET_STENCIL_REF:
      if (need_len(ctx, "SET_STENCIL_REF", len, 1))
         return -1;
      sub->stencil_ref[0] = p[0] & 0xff;
      sub->stencil_ref[1] = (p[0] >> 8) & 0xff;
      return 0;
   case VGPU_CCMD_SET_BLEND_COLOR:
      if (need_len(ctx, "SET_BLEND_COLOR", len, 4))
         return -1;
      memcpy(sub->blend_color, p, sizeof(sub->blend_color));
      return 0;
   case VGPU_CCMD_CLEAR:
      return cmd_clear(ctx, p, len);
   case VGPU_CCMD_DRAW_VBO:
      return cmd_draw_vbo(ctx, p, len);
   case VGPU_CCMD_RESOURCE_INLINE_WRITE:
      return cmd_inline_write(ctx, p, len);
   case VGPU_CCMD_TRANSFER3D:
      return cmd_transfer3d(ctx, p, len);
   case VGPU_CCMD_RESOURCE_COPY_REGION:
      return cmd_copy_region(ctx, p, len);
   case VGPU_CCMD_BLIT:
      return cmd_blit(ctx, p, len);
   case VGPU_CCMD_CREATE_SUB_CTX:
   case VGPU_CCMD_SET_SUB_CTX:
   case VGPU_CCMD_DESTROY_SUB_CTX:
      if (need_len(ctx, vgpu_ccmd_name(cmd), len, 1))
         return -1;
      return cmd == VGPU_CCMD_CREATE_SUB_CTX ? st_sub_ctx_create(ctx, p[0])
           : cmd == VGPU_CCMD_SET_SUB_CTX ? st_sub_ctx_set(ctx, p[0])
                                          : st_sub_ctx_destroy(ctx, p[0]);
   case VGPU_CCMD_SET_POLYGON_STIPPLE:
      if (need_len(ctx, "SET_POLYGON_STIPPLE", len, 32))
         return -1;
      memcpy(sub->poly_stipple, p, sizeof(sub->poly_stipple));
      return 0;
   case VGPU_CCMD_SET_STREAMOUT_TARGETS:
      for (uint32_t i = 1; i < len; i++)
         if (p[i])
            return st_error(ctx, "SET_STREAMOUT_TARGETS: stream output is not supported");
      return 0;
   case VGPU_CCMD_SET_SHADER_BUFFERS:
      return cmd_unbind_only(ctx, cmd, p, len, 2, 3, 2);
   case VGPU_CCMD_SET_SHADER_IMAGES:
      return cmd_unbind_only(ctx, cmd, p, len, 2, 5, 4);
   case VGPU_CCMD_SET_ATOMIC_BUFFERS:
      return cmd_unbind_only(ctx, cmd, p, len, 1, 3, 2);
   /* accepted without effect: state Tessera's GL 2.x level does not use */
   case VGPU_CCMD_END_TRANSFERS:
   case VGPU_CCMD_SET_SAMPLE_MASK:    /* single-sampled rendering only */
   case VGPU_CCMD_SET_MIN_SAMPLES:
   case VGPU_CCMD_SET_CLIP_STATE:     /* user clip planes are not implemented (documented) */
   case VGPU_CCMD_MEMORY_BARRIER:     /* every command completes before the next one */
   case VGPU_CCMD_TEXTURE_BARRIER:
   case VGPU_CCMD_SET_TESS_STATE:
   case VGPU_CCMD_SET_DEBUG_FLAGS:
   case VGPU_CCMD_SET_TWEAKS:
   case VGPU_CCMD_SEND_STRING_MARKER:
      return 0;
   default:
      return st_error(ctx, "unsupported command %u (%s)", cmd, vgpu_ccmd_name(cmd));
   }
}

/* Commands that may run while draws and clears wait in the context's scene
 * (st_flush): they only bind or create state, and st_draw snapshots or
 * references what a queued draw reads. Anything else may read or write
 * resource memory, or free what a queued draw uses: it flushes first. */
static int keeps_scene(uint32_t cmd)
{
   switch (cmd) {
   case VGPU_CCMD_NOP:
   case VGPU_CCMD_CREATE_OBJECT:
   case VGPU_CCMD_BIND_OBJECT:
   case VGPU_CCMD_BIND_SHADER:
   case VGPU_CCMD_SET_VIEWPORT_STATE:
   case VGPU_CCMD_SET_FRAMEBUFFER_STATE:
   case VGPU_CCMD_SET_VERTEX_BUFFERS:
   case VGPU_CCMD_SET_INDEX_BUFFER:
   case VGPU_CCMD_SET_CONSTANT_BUFFER:
   case VGPU_CCMD_SET_SAMPLER_VIEWS:
   case VGPU_CCMD_BIND_SAMPLER_STATES:
   case VGPU_CCMD_SET_SCISSOR_STATE:
   case VGPU_CCMD_SET_STENCIL_REF:
   case VGPU_CCMD_SET_BLEND_COLOR:
   case VGPU_CCMD_SET_POLYGON_STIPPLE:
   case VGPU_CCMD_CLEAR:
   case VGPU_CCMD_DRAW_VBO:
      return 1;
   default:
      return 0;
   }
}

static int decode_commands(struct st_context *ctx, const uint32_t *words, size_t ndw)
{
   size_t i = 0;
   while (i < ndw) {
      uint32_t h = words[i];
      uint32_t cmd = VGPU_CMD_OPCODE(h), obj = VGPU_CMD_OBJECT(h), len = VGPU_CMD_LENGTH(h);
      if ((size_t)len > ndw - i - 1)
         return st_error(ctx, "%s at dword %zu: length %u exceeds the %zu dwords left in the buffer",
                         vgpu_ccmd_name(cmd), i, len, ndw - i - 1);
      if (!keeps_scene(cmd))
         st_flush(ctx);
      if (dispatch(ctx, cmd, obj, words + i + 1, len)) {
         if (!ctx->failed)
            st_error(ctx, "%s at dword %zu failed", vgpu_ccmd_name(cmd), i);
         return -1;
      }
      i += 1 + (size_t)len;
   }
   return 0;
}

int vgpu_decode_submit(struct st_context *ctx, const uint32_t *words, size_t ndw)
{
   if (ctx->failed)
      return -1;
   int r = decode_commands(ctx, words, ndw);
   st_flush(ctx); /* what the buffer drew is in its targets when the submit returns, error or not */
   return r;
}
