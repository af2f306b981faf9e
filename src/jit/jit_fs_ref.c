/* jit_fs_ref.c: the reference fragment variant for one 4x4 stamp:
 * interpolation, the interpreter, alpha test, two-sided stencil and depth
 * test, blending with every Gallium factor and equation, color write masks
 * and the stores in the real formats. The scalar twin of the fused JIT
 * fragment function (DESIGN: fused variants). Tests are always "late"
 * (after the shader); results are the same as early tests would give. */
#include <math.h>
#include <string.h>

#include "jit/jit_llvm.h"
#include "jit/jit_variant.h"

/* A compare function from the three ordered relations (all false for NaN). */
static int compare_rel(unsigned func, int lt, int eq, int gt)
{
   switch (func) {
   case PIPE_FUNC_NEVER: return 0;
   case PIPE_FUNC_LESS: return lt;
   case PIPE_FUNC_EQUAL: return eq;
   case PIPE_FUNC_LEQUAL: return lt || eq;
   case PIPE_FUNC_GREATER: return gt;
   case PIPE_FUNC_NOTEQUAL: return !eq;
   case PIPE_FUNC_GEQUAL: return gt || eq;
   default: return 1;
   }
}

int jit_compare(unsigned func, float a, float b)
{
   return compare_rel(func, a < b, a == b, a > b);
}

int jit_compare_u(unsigned func, uint32_t a, uint32_t b)
{
   return compare_rel(func, a < b, a == b, a > b);
}

uint8_t jit_stencil_op(unsigned op, uint8_t s, uint8_t ref)
{
   switch (op) {
   case PIPE_STENCIL_OP_ZERO: return 0;
   case PIPE_STENCIL_OP_REPLACE: return ref;
   case PIPE_STENCIL_OP_INCR: return s == 255 ? 255 : (uint8_t)(s + 1);
   case PIPE_STENCIL_OP_DECR: return s == 0 ? 0 : (uint8_t)(s - 1);
   case PIPE_STENCIL_OP_INCR_WRAP: return (uint8_t)(s + 1);
   case PIPE_STENCIL_OP_DECR_WRAP: return (uint8_t)(s - 1);
   case PIPE_STENCIL_OP_INVERT: return (uint8_t)~s;
   default: return s; /* KEEP */
   }
}

static float blend_factor(unsigned f, int c, const float src[4], const float src1[4], const float dst[4],
                          const float cc[4])
{
   switch (f) {
   case PIPE_BLENDFACTOR_ONE: return 1.0f;
   case PIPE_BLENDFACTOR_SRC_COLOR: return src[c];
   case PIPE_BLENDFACTOR_SRC_ALPHA: return src[3];
   case PIPE_BLENDFACTOR_DST_ALPHA: return dst[3];
   case PIPE_BLENDFACTOR_DST_COLOR: return dst[c];
   case PIPE_BLENDFACTOR_SRC_ALPHA_SATURATE: return c == 3 ? 1.0f : fminf(src[3], 1.0f - dst[3]);
   case PIPE_BLENDFACTOR_CONST_COLOR: return cc[c];
   case PIPE_BLENDFACTOR_CONST_ALPHA: return cc[3];
   case PIPE_BLENDFACTOR_SRC1_COLOR: return src1[c];
   case PIPE_BLENDFACTOR_SRC1_ALPHA: return src1[3];
   case PIPE_BLENDFACTOR_ZERO: return 0.0f;
   case PIPE_BLENDFACTOR_INV_SRC_COLOR: return 1.0f - src[c];
   case PIPE_BLENDFACTOR_INV_SRC_ALPHA: return 1.0f - src[3];
   case PIPE_BLENDFACTOR_INV_DST_ALPHA: return 1.0f - dst[3];
   case PIPE_BLENDFACTOR_INV_DST_COLOR: return 1.0f - dst[c];
   case PIPE_BLENDFACTOR_INV_CONST_COLOR: return 1.0f - cc[c];
   case PIPE_BLENDFACTOR_INV_CONST_ALPHA: return 1.0f - cc[3];
   case PIPE_BLENDFACTOR_INV_SRC1_COLOR: return 1.0f - src1[c];
   case PIPE_BLENDFACTOR_INV_SRC1_ALPHA: return 1.0f - src1[3];
   default: return 0.0f;
   }
}

void jit_blend_rgba(const struct jit_blend_rt_key *rt, const float src[4], const float src1[4],
                    const float dst[4], const float const_color[4], float out[4])
{
   for (int c = 0; c < 4; c++) {
      unsigned func = c < 3 ? rt->rgb_func : rt->alpha_func;
      unsigned sf = c < 3 ? rt->rgb_src_factor : rt->alpha_src_factor;
      unsigned df = c < 3 ? rt->rgb_dst_factor : rt->alpha_dst_factor;
      float s = src[c], d = dst[c];
      switch (func) {
      case PIPE_BLEND_MIN: out[c] = fminf(s, d); continue;
      case PIPE_BLEND_MAX: out[c] = fmaxf(s, d); continue;
      default: break;
      }
      float fs = blend_factor(sf, c, src, src1, dst, const_color);
      float fd = blend_factor(df, c, src, src1, dst, const_color);
      switch (func) {
      case PIPE_BLEND_SUBTRACT: out[c] = s * fs - d * fd; break;
      case PIPE_BLEND_REVERSE_SUBTRACT: out[c] = d * fd - s * fs; break;
      default: out[c] = s * fs + d * fd; break;
      }
   }
}

/* Logic op on raw bits (PIPE_LOGICOP_* numbering = GL's order from CLEAR). */
static uint32_t logic_op(unsigned op, uint32_t s, uint32_t d)
{
   switch (op & 15) {
   case 0: return 0;            /* CLEAR */
   case 1: return ~(s | d);     /* NOR */
   case 2: return ~s & d;       /* AND_INVERTED */
   case 3: return ~s;           /* COPY_INVERTED */
   case 4: return s & ~d;       /* AND_REVERSE */
   case 5: return ~d;           /* INVERT */
   case 6: return s ^ d;        /* XOR */
   case 7: return ~(s & d);     /* NAND */
   case 8: return s & d;        /* AND */
   case 9: return ~(s ^ d);     /* EQUIV */
   case 10: return d;           /* NOOP */
   case 11: return ~s | d;      /* OR_INVERTED */
   case 12: return s;           /* COPY */
   case 13: return s | ~d;      /* OR_REVERSE */
   case 14: return s | d;       /* OR */
   default: return ~0u;         /* SET */
   }
}

/* Depth compares use jit_format_z_quantize: for Z32_FLOAT it gives the bits
 * of the value clamped to [0,1], whose unsigned order is the float order. */
static void write_color(const struct jit_fs_variant *v, const struct jit_fs_ctx *ctx, unsigned rt, uint8_t *px,
                        const float src_in[4], const float src1[4])
{
   uint32_t fmt = v->key.cbuf_format[rt];
   const struct jit_format_desc *d = jit_format_get(fmt);
   const struct jit_blend_rt_key *b = &v->key.blend.rt[rt];
   if (!d)
      return;
   float src[4];
   memcpy(src, src_in, sizeof(src));
   if (d->kind == JIT_FORMAT_KIND_COLOR && !d->is_float)
      for (int c = 0; c < 4; c++) { /* NaN to 0, then clamped (compares: fminf/fmaxf are calls here) */
         float lo = d->is_snorm ? -1.0f : 0.0f, x = src[c] != src[c] ? 0.0f : src[c];
         src[c] = x < lo ? lo : x > 1.0f ? 1.0f : x;
      }
   if (!b->blend_enable && !v->key.blend.logicop_enable && (b->colormask & 0xf) == 0xf) {
      jit_format_pack_rgba(fmt, src, px); /* replaces the pixel: no need of the old one */
      return;
   }
   uint8_t old[16], packed[16];
   memcpy(old, px, d->block_bytes);
   if (d->kind == JIT_FORMAT_KIND_COLOR) {
      int is_float = d->is_float;
      if (b->blend_enable) {
         float dst[4], res[4], cc[4], s1[4];
         jit_format_unpack_rgba(fmt, old, dst);
         memcpy(cc, ctx->blend_color, sizeof(cc));
         memcpy(s1, src1, sizeof(s1));
         if (!is_float)
            for (int c = 0; c < 4; c++) {
               cc[c] = fminf(fmaxf(cc[c], 0.0f), 1.0f);
               s1[c] = fminf(fmaxf(s1[c], 0.0f), 1.0f);
            }
         /* a format without alpha reads destination alpha as 1 */
         jit_blend_rgba(b, src, s1, dst, cc, res);
         memcpy(src, res, sizeof(src));
      }
   }
   jit_format_pack_rgba(fmt, src, packed);
   if (v->key.blend.logicop_enable && !d->is_float) {
      for (unsigned i = 0; i < d->block_bytes; i += 4) {
         uint32_t s = 0, o = 0;
         unsigned n = d->block_bytes - i < 4 ? d->block_bytes - i : 4;
         memcpy(&s, packed + i, n);
         memcpy(&o, old + i, n);
         s = logic_op(v->key.blend.logicop_func, s, o);
         memcpy(packed + i, &s, n);
      }
   }
   unsigned mask = b->colormask & 0xf;
   if (mask == 0xf) {
      memcpy(px, packed, d->block_bytes);
      return;
   }
   /* merge: channels outside the mask keep their old bits exactly */
   float newc[4], oldc[4], merged[4];
   jit_format_unpack_rgba(fmt, packed, newc);
   jit_format_unpack_rgba(fmt, old, oldc);
   for (int c = 0; c < 4; c++)
      merged[c] = (mask & (1u << c)) ? newc[c] : oldc[c];
   jit_format_pack_rgba(fmt, merged, px);
}

typedef float v4sf __attribute__((vector_size(16)));
typedef int32_t v4si __attribute__((vector_size(16)));

/* The common stamp: one 4-byte 8-bit UNORM color buffer replaced by the
 * color, nothing else (no depth, stencil, alpha test, blend, logic op or
 * partial mask): every lane's bytes at once, as write_color stores them
 * (NaN to 0, clamp, x * 255 rounded half to even by adding and taking away
 * 1.5 * 2^23: the build's -ffp-contract=off keeps the multiply and the add
 * apart). */
static void store_unorm8(const struct jit_fs_targets *tg, const uint8_t map[4], const struct jit_fs_stamp *st,
                         const float (*col)[JIT_LANES], uint32_t mask)
{
   uint8_t bytes[4][JIT_LANES];
   for (int i = 0; i < 4; i++) {
      const float *s = col[map[i] < 4 ? map[i] : 0];
      if (map[i] == 4) {
         memset(bytes[i], 255, JIT_LANES);
         continue;
      }
      for (int l = 0; l < JIT_LANES; l += 4) { /* 4 lanes a step (GCC vector extensions, SSE2) */
         v4sf x, one = { 1.0f, 1.0f, 1.0f, 1.0f }, big = { 12582912.0f, 12582912.0f, 12582912.0f, 12582912.0f };
         memcpy(&x, s + l, sizeof(x));
         x = (v4sf)((v4si)x & (x > 0.0f));                /* NaN and negatives to 0 */
         x = (v4sf)(((v4si)x & (x < one)) | ((v4si)one & ~(x < one)));
         v4si r = __builtin_convertvector((x * 255.0f + big) - big, v4si);
         for (int k = 0; k < 4; k++)
            bytes[i][l + k] = (uint8_t)r[k];
      }
   }
   for (int l = 0; l < JIT_LANES; l++) {
      int x = st->x + (int)jit_lane_x((unsigned)l), y = st->y + (int)jit_lane_y((unsigned)l);
      if ((mask & (1u << l)) && x >= 0 && y >= 0 && (uint32_t)x < tg->width && (uint32_t)y < tg->height) {
         uint8_t *p = tg->cbuf[0] + (size_t)y * tg->cbuf_stride[0] + (size_t)x * 4;
         p[0] = bytes[0][l];
         p[1] = bytes[1][l];
         p[2] = bytes[2][l];
         p[3] = bytes[3][l];
      }
   }
}

void jit_fs_ref_run(const struct jit_fs_ctx *ctx, const struct jit_fs_stamp *st)
{
   const struct jit_fs_variant *v = ctx->variant;
   const struct jit_shader *sh = v->shader;
   const struct jit_fs_planes *pl = st->planes;
   /* the fused variant finished compiling during this draw; not for a stamp
    * with fewer planes than inputs, which the fused code hands back to here */
   if (ctx->late_fused && pl->num_inputs >= sh->num_inputs) {
      jit_fs_func fused = (jit_fs_func)jit_late_poll(ctx->late_fused);
      if (fused) {
         fused(ctx, st);
         return;
      }
   }
   if (st->block) {
      struct jit_fs_stamp one = { 0, 0, 0xffff, pl, 0 };
      for (int sy = 0; sy < JIT_FS_BLOCK_SIZE; sy += 4)
         for (int sx = 0; sx < JIT_FS_BLOCK_SIZE; sx += 4) {
            one.x = st->x + sx;
            one.y = st->y + sy;
            jit_fs_ref_run(ctx, &one);
         }
      return;
   }
   struct jit_exec_io io;
   float px[JIT_LANES], py[JIT_LANES], inv_w[JIT_LANES];

   for (int l = 0; l < JIT_LANES; l++) {
      px[l] = (float)(st->x + (int)jit_lane_x((unsigned)l));
      py[l] = (float)(st->y + (int)jit_lane_y((unsigned)l));
      float w = pl->w0 + pl->dwdx * px[l] + pl->dwdy * py[l];
      inv_w[l] = 1.0f / w;
   }
   uint32_t nin = sh->num_inputs < pl->num_inputs ? sh->num_inputs : pl->num_inputs;
   for (uint32_t i = 0; i < nin; i++) {
      int persp = v->key.interp[i] == JIT_INTERP_PERSPECTIVE;
      for (int c = 0; c < 4; c++) {
         float a0 = pl->a0[i][c], dx = pl->dadx[i][c], dy = pl->dady[i][c];
         float *o = io.in[i][c];
         for (int l = 0; l < JIT_LANES; l++) /* loops GCC vectorizes */
            o[l] = a0 + dx * px[l] + dy * py[l];
         if (persp)
            for (int l = 0; l < JIT_LANES; l++)
               o[l] *= inv_w[l];
      }
   }
   io.front_facing = pl->front_facing;
   io.instance_id = 0;
   memset(io.vertex_id, 0, sizeof(io.vertex_id));
   uint32_t nout = sh->num_outputs ? sh->num_outputs : 1;
   memset(io.out, 0, sizeof(io.out[0]) * nout);
   for (uint32_t o = 0; o < sh->num_outputs; o++)
      if (sh->outputs[o].semantic == JIT_SEM_COLOR)
         for (int l = 0; l < JIT_LANES; l++)
            io.out[o][3][l] = 1.0f;

   jit_shader_func native = ctx->native;
   if (!native && ctx->late)
      native = (jit_shader_func)jit_late_poll(ctx->late);
   uint32_t mask = native ? native(&ctx->stage, &io, st->mask) : jit_interp_run(sh, &ctx->stage, &io, st->mask);
   if (!mask)
      return;

   int color_out[JIT_MAX_CBUFS];
   for (unsigned rt = 0; rt < JIT_MAX_CBUFS; rt++)
      color_out[rt] = jit_shader_output(sh, JIT_SEM_COLOR, sh->fs_color0_writes_all_cbufs ? 0 : rt);
   int s1_out = jit_shader_output(sh, JIT_SEM_COLOR, 1); /* dual-source blending's second color */
   int z_out = sh->writes_z ? jit_shader_output(sh, JIT_SEM_POSITION, 0) : -1;

   const struct jit_fs_targets *tg = &ctx->targets;
   uint8_t map[4];
   if (v->key.nr_cbufs == 1 && tg->cbuf[0] && color_out[0] >= 0 && !v->key.alpha_enabled &&
       !v->key.depth_enabled && !v->key.stencil[0].enabled && !v->key.stencil[1].enabled &&
       !v->key.blend.rt[0].blend_enable && !v->key.blend.logicop_enable &&
       (v->key.blend.rt[0].colormask & 0xf) == 0xf && jit_format_unorm8_map(v->key.cbuf_format[0], map)) {
      store_unorm8(tg, map, st, (const float(*)[JIT_LANES])io.out[color_out[0]], mask);
      return;
   }
   const struct jit_format_desc *zd = v->key.zs_format ? jit_format_get(v->key.zs_format) : NULL;
   int face = pl->front_facing ? 0 : 1;
   const struct jit_stencil_key *sk = &v->key.stencil[face == 1 && v->key.stencil[1].enabled ? 1 : 0];
   uint8_t sref = (uint8_t)ctx->stencil_ref[face == 1 && v->key.stencil[1].enabled ? 1 : 0];

   for (int l = 0; l < JIT_LANES; l++) {
      if (!(mask & (1u << l)))
         continue;
      int x = st->x + (int)jit_lane_x((unsigned)l), y = st->y + (int)jit_lane_y((unsigned)l);
      if (x < 0 || y < 0 || (uint32_t)x >= tg->width || (uint32_t)y >= tg->height)
         continue;

      /* alpha test */
      if (v->key.alpha_enabled) {
         float a = color_out[0] >= 0 ? io.out[color_out[0]][3][l] : 1.0f;
         if (!jit_compare(v->key.alpha_func, a, ctx->alpha_ref))
            continue;
      }

      /* depth and stencil */
      if (zd && tg->zsbuf) {
         uint8_t *zp = tg->zsbuf + (size_t)y * tg->zsbuf_stride + (size_t)x * zd->block_bytes;
         float z = z_out >= 0 ? io.out[z_out][2][l] : pl->z0 + pl->dzdx * px[l] + pl->dzdy * py[l];
         if (v->key.depth_clamp)
            z = fminf(fmaxf(z, ctx->depth_min), ctx->depth_max);
         int pass = 1;
         if (zd->has_stencil && sk->enabled) {
            uint8_t s = jit_format_unpack_s(v->key.zs_format, zp);
            uint8_t ns = s;
            if (!jit_compare_u(sk->func, sref & sk->valuemask, s & sk->valuemask)) {
               ns = jit_stencil_op(sk->fail_op, s, sref);
               pass = 0;
            } else {
               int zpass = 1;
               if (zd->has_depth && v->key.depth_enabled)
                  zpass = jit_compare_u(v->key.depth_func, jit_format_z_quantize(v->key.zs_format, z),
                                        jit_format_z_bits(v->key.zs_format, zp));
               ns = jit_stencil_op(zpass ? sk->zpass_op : sk->zfail_op, s, sref);
               pass = zpass;
            }
            ns = (uint8_t)((s & ~sk->writemask) | (ns & sk->writemask));
            if (ns != s)
               jit_format_pack_s(v->key.zs_format, ns, zp);
         } else if (zd->has_depth && v->key.depth_enabled) {
            uint32_t q = jit_format_z_quantize(v->key.zs_format, z);
            pass = jit_compare_u(v->key.depth_func, q, jit_format_z_bits(v->key.zs_format, zp));
         }
         if (!pass)
            continue;
         if (zd->has_depth && v->key.depth_enabled && v->key.depth_writemask)
            jit_format_store_z_bits(v->key.zs_format, jit_format_z_quantize(v->key.zs_format, z), zp);
      }

      /* color */
      for (unsigned rt = 0; rt < v->key.nr_cbufs && rt < JIT_MAX_CBUFS; rt++) {
         if (!v->key.cbuf_format[rt] || !tg->cbuf[rt] || !(v->key.blend.rt[rt].colormask & 0xf))
            continue;
         const struct jit_format_desc *cd = jit_format_get(v->key.cbuf_format[rt]);
         if (!cd)
            continue;
         float src[4] = { 0, 0, 0, 1 }, src1[4] = { 0, 0, 0, 1 };
         if (color_out[rt] >= 0)
            for (int c = 0; c < 4; c++)
               src[c] = io.out[color_out[rt]][c][l];
         if (s1_out >= 0)
            for (int c = 0; c < 4; c++)
               src1[c] = io.out[s1_out][c][l];
         uint8_t *p = tg->cbuf[rt] + (size_t)y * tg->cbuf_stride[rt] + (size_t)x * cd->block_bytes;
         write_color(v, ctx, rt, p, src, src1);
      }
   }
}
