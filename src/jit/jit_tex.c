/* jit_tex.c: the plain-C reference texture sampler over 16 lanes: wraps,
 * nearest/linear filtering, mip selection from 2x2-quad derivatives, cube
 * faces, arrays, shadow compare, view swizzle. Every texel address is
 * checked against the texture's size, so a lying layout never reads out of
 * bounds. Unbound textures (data == NULL) sample (0, 0, 0, 1) as GL does. */
#include <limits.h>
#include <math.h>
#include <string.h>

#include "jit/jit_format.h"
#include "jit/jit_ir.h"
#include "jit/jit_tex.h"
#include "jit/jit_variant.h"

#define LANES JIT_LANES

static unsigned level_dim(uint32_t base, unsigned lvl)
{
   uint32_t d = lvl < 32 ? base >> lvl : 0;
   return d ? d : 1;
}

/* Layout size of a mip level (texels). */
struct lvl_size {
   int w, h, d;
};

static struct lvl_size tex_level_size(const struct jit_texture *t, unsigned lvl)
{
   struct lvl_size s = { (int)level_dim(t->width, lvl), (int)level_dim(t->height, lvl), 1 };
   if (t->target == PIPE_TEXTURE_3D)
      s.d = (int)level_dim(t->depth, lvl);
   if (t->target == PIPE_TEXTURE_1D || t->target == PIPE_TEXTURE_1D_ARRAY)
      s.h = 1;
   return s;
}

/* One texel of level lvl (absolute), layer/slice z; out of bounds -> 0. */
static void texel(const struct jit_texture *t, const struct jit_sampler *s, unsigned shadow, float ref,
                  unsigned lvl, int x, int y, int z, float out[4])
{
   const struct jit_format_desc *d = jit_format_get(t->format);
   out[0] = out[1] = out[2] = out[3] = 0.0f;
   if (!d || lvl >= JIT_MAX_LEVELS || x < 0 || y < 0 || z < 0)
      return;
   uint64_t off = (uint64_t)t->level_offset[lvl] + (uint64_t)z * t->img_stride[lvl] +
                  (uint64_t)y * t->row_stride[lvl] + (uint64_t)x * d->block_bytes;
   if (off + d->block_bytes > t->size)
      return;
   const uint8_t *p = t->data + off;
   if (d->kind == JIT_FORMAT_KIND_DEPTH) {
      float z0 = jit_format_unpack_z(t->format, p);
      if (shadow && s->compare_mode)
         z0 = jit_compare(s->compare_func, ref, z0) ? 1.0f : 0.0f;
      out[0] = out[1] = out[2] = z0;
      out[3] = 1.0f;
   } else if (d->kind == JIT_FORMAT_KIND_STENCIL) {
      uint32_t v = jit_format_unpack_s(t->format, p);
      memcpy(&out[0], &v, 4);
   } else {
      jit_format_unpack_rgba(t->format, p, out);
   }
}

/* (int)x for a LOD, as x86's cvttss2si has always given it here: INT_MIN for
 * NaN and out of range (so a huge or infinite LOD clamps to the first
 * level). Written out so that the reference is defined C and JIT code
 * (jit_llvm_tex.c) can reproduce it. */
static int lod_to_int(float x)
{
   return x >= -2147483648.0f && x < 2147483648.0f ? (int)x : INT_MIN;
}

static int iclamp(int v, int lo, int hi)
{
   return v < lo ? lo : v > hi ? hi : v;
}

static int mirror(int i, int size)
{
   int period = 2 * size;
   int m = i % period;
   if (m < 0)
      m += period;
   return m >= size ? period - 1 - m : m;
}

/* Wrap an integer texel index; -1 = border. */
static int wrap_index(unsigned mode, int i, int size)
{
   switch (mode) {
   case PIPE_TEX_WRAP_REPEAT: {
      int m = i % size;
      return m < 0 ? m + size : m;
   }
   case PIPE_TEX_WRAP_CLAMP_TO_EDGE:
      return iclamp(i, 0, size - 1);
   case PIPE_TEX_WRAP_CLAMP:
   case PIPE_TEX_WRAP_CLAMP_TO_BORDER:
      return i < 0 || i >= size ? -1 : i;
   case PIPE_TEX_WRAP_MIRROR_REPEAT:
      return mirror(i, size);
   case PIPE_TEX_WRAP_MIRROR_CLAMP:
   case PIPE_TEX_WRAP_MIRROR_CLAMP_TO_EDGE:
      return iclamp(i < 0 ? -1 - i : i, 0, size - 1);
   case PIPE_TEX_WRAP_MIRROR_CLAMP_TO_BORDER: {
      int m = i < 0 ? -1 - i : i;
      return m >= size ? -1 : m;
   }
   default:
      return iclamp(i, 0, size - 1);
   }
}

/* Texel-space coordinate of a normalized coordinate, safe to floor into an int. */
static float to_texel(float c, int size, int normalized, unsigned wrap)
{
   if (c != c)
      c = 0.0f;
   float u = normalized ? c * (float)size : c;
   if (wrap == PIPE_TEX_WRAP_CLAMP) /* GL_CLAMP: clamp before filtering */
      u = fminf(fmaxf(u, 0.0f), (float)size);
   return fminf(fmaxf(u, -16777216.0f), 16777216.0f);
}

/* The 32-bit word of a 4-byte 8-bit UNORM texel as filter_unorm8 filters
 * it: the word in memory with an X channel's byte set to 255 (A = 1), or 0
 * past the storage, as texel() answers (0, 0, 0, 0) there. */
static uint32_t texel_word(const struct jit_texture *t, const struct jit_format_rgba8 *l, unsigned lvl, int x,
                           int y, int z)
{
   if (lvl >= JIT_MAX_LEVELS)
      return 0;
   uint64_t off = (uint64_t)t->level_offset[lvl] + (uint64_t)z * t->img_stride[lvl] +
                  (uint64_t)y * t->row_stride[lvl] + (uint64_t)x * 4u;
   if (off + 4u > t->size)
      return 0;
   uint32_t w;
   memcpy(&w, t->data + off, 4);
   return l->no_alpha ? w | 255u << l->shift[3] : w;
}

/* A bilinear weight in 1/256ths: frac in [0, 1) -> 0..256. */
static int weight8(float frac)
{
   return (int)(frac * 256.0f + 0.5f);
}

/* LINEAR filtering of a 1D or 2D level of a 4-byte 8-bit UNORM format
 * (jit_format_rgba8_layouts, not sRGB) when no tap is border: in fixed
 * point, as GPUs and llvmpipe filter 8-bit texels. Weights are 8-bit
 * fractions (weight8); per channel, rows lerp to 1/256ths of a byte
 * (<= 65280) and the columns to 1/65536ths (<= 255 * 65536 < 2^24, so the
 * sum is exact as a float), and one correctly rounded divide gives the
 * value. A zero weight gives the texel's own (float)b / 255.0f, as nearest
 * filtering does; 255 everywhere gives exactly 1. Returns 0 when the float
 * filter applies (other formats, 3D, border taps). The compiled sampler
 * (jit_llvm_tex.c) does the same integer steps. */
static int filter_unorm8(const struct jit_texture *t, unsigned lvl, int dims, const int i0[3], const int i1[3],
                         const float frac[3], int layer, float out[4])
{
   if (dims > 2 || t->format >= JIT_FORMAT_COUNT)
      return 0;
   const struct jit_format_rgba8 *l = &jit_format_rgba8_layouts()[t->format];
   if (!l->table[0] || l->srgb || i0[0] < 0 || i1[0] < 0 || i0[1] < 0 || i1[1] < 0)
      return 0;
   const int xs[4] = { i0[0], i1[0], i0[0], i1[0] }, ys[4] = { i0[1], i0[1], i1[1], i1[1] };
   uint32_t w[4];
   for (int k = 0; k < 4; k++)
      w[k] = texel_word(t, l, lvl, xs[k], ys[k], layer);
   int wx = weight8(frac[0]), wy = dims == 2 ? weight8(frac[1]) : 0;
   for (int c = 0; c < 4; c++) {
      int b[4];
      for (int k = 0; k < 4; k++)
         b[k] = (int)(w[k] >> l->shift[c] & 255u);
      int r0 = (b[0] << 8) + (b[1] - b[0]) * wx, r1 = (b[2] << 8) + (b[3] - b[2]) * wx;
      int v = (r0 << 8) + (r1 - r0) * wy;
      out[c] = (float)v / 16711680.0f;
   }
   return 1;
}

/* Sample one level with one filter at texel-space (u, v, w); layer = array
 * layer or cube face (already resolved), 3D uses w. */
static void sample_level(const struct jit_texture *t, const struct jit_sampler *s, unsigned shadow, float ref,
                         unsigned lvl, unsigned filter, int dims, const float coord[3], int layer, float out[4])
{
   struct lvl_size sz = tex_level_size(t, lvl);
   int size[3] = { sz.w, sz.h, sz.d };
   unsigned wraps[3] = { s->wrap_s, s->wrap_t, s->wrap_r };
   int normalized = s->normalized_coords && t->target != PIPE_TEXTURE_RECT;
   int i0[3] = { 0, 0, 0 }, i1[3] = { 0, 0, 0 };
   float frac[3] = { 0, 0, 0 };
   for (int k = 0; k < dims; k++) {
      float u = to_texel(coord[k], size[k], normalized, wraps[k]);
      if (filter == PIPE_TEX_FILTER_LINEAR) {
         u -= 0.5f;
         float fl = floorf(u);
         frac[k] = u - fl;
         i0[k] = wrap_index(wraps[k], (int)fl, size[k]);
         i1[k] = wrap_index(wraps[k], (int)fl + 1, size[k]);
      } else {
         i0[k] = i1[k] = wrap_index(wraps[k], (int)floorf(u), size[k]);
      }
   }
   if (filter == PIPE_TEX_FILTER_LINEAR && filter_unorm8(t, lvl, dims, i0, i1, frac, layer, out))
      return;
   int taps = filter == PIPE_TEX_FILTER_LINEAR ? (1 << dims) : 1;
   float acc[4] = { 0, 0, 0, 0 };
   for (int tap = 0; tap < taps; tap++) {
      int idx[3];
      float wgt = 1.0f;
      int border = 0;
      for (int k = 0; k < 3; k++) {
         int hi = (tap >> k) & 1;
         idx[k] = k < dims ? (hi ? i1[k] : i0[k]) : 0;
         if (k < dims && filter == PIPE_TEX_FILTER_LINEAR)
            wgt *= hi ? frac[k] : 1.0f - frac[k];
         if (idx[k] < 0)
            border = 1;
      }
      float tx[4];
      if (border) {
         memcpy(tx, s->border_color, sizeof(tx));
      } else {
         int z = t->target == PIPE_TEXTURE_3D ? idx[2] : layer;
         texel(t, s, shadow, ref, lvl, idx[0], idx[1], z, tx);
      }
      if (taps == 1) {
         memcpy(acc, tx, sizeof(acc));
         break;
      }
      for (int c = 0; c < 4; c++)
         acc[c] += wgt * tx[c];
   }
   memcpy(out, acc, sizeof(acc));
}

/* Cube: major axis -> face (0..5 = +X -X +Y -Y +Z -Z) and 2D coords in [0,1]. */
static int cube_face(float x, float y, float z, float *s, float *t)
{
   float ax = fabsf(x), ay = fabsf(y), az = fabsf(z), sc, tc, ma;
   int face;
   if (ax >= ay && ax >= az) {
      face = x >= 0 ? 0 : 1;
      sc = x >= 0 ? -z : z;
      tc = -y;
      ma = ax;
   } else if (ay >= az) {
      face = y >= 0 ? 2 : 3;
      sc = x;
      tc = y >= 0 ? z : -z;
      ma = ay;
   } else {
      face = z >= 0 ? 4 : 5;
      sc = z >= 0 ? x : -x;
      tc = -y;
      ma = az;
   }
   if (!(ma > 0.0f))
      ma = 1.0f;
   *s = (sc / ma + 1.0f) * 0.5f;
   *t = (tc / ma + 1.0f) * 0.5f;
   return face;
}

static void apply_swizzle(const struct jit_texture *t, float c[4])
{
   float in[4];
   memcpy(in, c, sizeof(in));
   for (int i = 0; i < 4; i++) {
      unsigned sw = t->swizzle[i];
      c[i] = sw < 4 ? in[sw] : sw == 5 ? 1.0f : 0.0f;
   }
}

void jit_tex_sample(const struct jit_texture *tex, const struct jit_sampler *s, unsigned target, unsigned mode,
                    int implicit_lod_ok, unsigned shadow, const float coord[4][JIT_LANES],
                    const float lod_in[JIT_LANES], uint32_t mask, float out[4][JIT_LANES])
{
   for (int l = 0; l < LANES; l++) {
      out[0][l] = out[1][l] = out[2][l] = 0.0f;
      out[3][l] = 1.0f;
   }
   if (!tex->data || !jit_format_get(tex->format) || tex->first_level > tex->last_level ||
       tex->last_level >= JIT_MAX_LEVELS)
      return;
   (void)target; /* the view's target decides the addressing */
   unsigned vt = tex->target;
   int dims = (vt == PIPE_TEXTURE_1D || vt == PIPE_TEXTURE_1D_ARRAY) ? 1 : vt == PIPE_TEXTURE_3D ? 3 : 2;

   /* per-lane 2D/3D coords and layer */
   float c[3][LANES];
   int layer[LANES];
   for (int l = 0; l < LANES; l++) {
      layer[l] = 0;
      c[0][l] = coord[0][l];
      c[1][l] = coord[1][l];
      c[2][l] = coord[2][l];
      if (vt == PIPE_TEXTURE_CUBE || vt == PIPE_TEXTURE_CUBE_ARRAY) {
         float ss, tt;
         layer[l] = cube_face(coord[0][l], coord[1][l], coord[2][l], &ss, &tt);
         if (vt == PIPE_TEXTURE_CUBE_ARRAY) {
            float a = coord[3][l];
            int al = a == a ? (int)fminf(fmaxf(rintf(a), 0.0f), 65535.0f) : 0;
            layer[l] += 6 * al;
         }
         c[0][l] = ss;
         c[1][l] = tt;
      } else if (vt == PIPE_TEXTURE_1D_ARRAY || vt == PIPE_TEXTURE_2D_ARRAY) {
         float a = vt == PIPE_TEXTURE_1D_ARRAY ? coord[1][l] : coord[2][l];
         float r = a == a ? rintf(fminf(fmaxf(a, 0.0f), 65535.0f)) : 0.0f;
         layer[l] = iclamp((int)r + (int)tex->first_layer, (int)tex->first_layer, (int)tex->last_layer);
      }
   }

   /* level of detail */
   struct lvl_size base = tex_level_size(tex, tex->first_level);
   int unnorm = !s->normalized_coords || vt == PIPE_TEXTURE_RECT;
   float lod[LANES];
   for (int q = 0; q < LANES / 4; q++) {
      float rho_lod = 0.0f;
      if (mode != JIT_TEX_EXPLICIT_LOD && implicit_lod_ok) {
         int b = q * 4;
         float sx = unnorm ? 1.0f : (float)base.w, sy = unnorm ? 1.0f : (float)base.h, sz = (float)base.d;
         float dx0 = (c[0][b + 1] - c[0][b]) * sx, dx1 = (c[1][b + 1] - c[1][b]) * sy;
         float dy0 = (c[0][b + 2] - c[0][b]) * sx, dy1 = (c[1][b + 2] - c[1][b]) * sy;
         float dx2 = dims == 3 ? (c[2][b + 1] - c[2][b]) * sz : 0.0f;
         float dy2 = dims == 3 ? (c[2][b + 2] - c[2][b]) * sz : 0.0f;
         if (dims == 1)
            dx1 = dy1 = 0.0f;
         float rx = dx0 * dx0 + dx1 * dx1 + dx2 * dx2, ry = dy0 * dy0 + dy1 * dy1 + dy2 * dy2;
         float rho2 = fmaxf(rx, ry);
         rho_lod = rho2 > 0.0f ? 0.5f * log2f(rho2) : -1000.0f;
      }
      for (int k = 0; k < 4; k++) {
         int l = q * 4 + k;
         float v = mode == JIT_TEX_EXPLICIT_LOD ? lod_in[l] : rho_lod;
         if (mode == JIT_TEX_BIAS)
            v += lod_in[l];
         v += s->lod_bias;
         if (v != v)
            v = 0.0f;
         v = fminf(fmaxf(v, s->min_lod), s->max_lod);
         lod[l] = v;
      }
   }

   int max_rel = (int)(tex->last_level - tex->first_level);
   for (int l = 0; l < LANES; l++) {
      if (!(mask & (1u << l)))
         continue;
      float res[4], ref = coord[3][l];
      float cc[3] = { c[0][l], c[1][l], c[2][l] };
      float lv = lod[l];
      unsigned filter = lv > 0.0f ? s->min_img_filter : s->mag_img_filter;
      if (lv <= 0.0f || s->min_mip_filter == PIPE_TEX_MIPFILTER_NONE || max_rel == 0) {
         sample_level(tex, s, shadow, ref, tex->first_level, filter, dims, cc, layer[l], res);
      } else if (s->min_mip_filter == PIPE_TEX_MIPFILTER_NEAREST) {
         int rel = iclamp(lod_to_int(floorf(lv + 0.5f)), 0, max_rel);
         sample_level(tex, s, shadow, ref, tex->first_level + (unsigned)rel, filter, dims, cc, layer[l], res);
      } else {
         float fl = floorf(lv);
         int r0 = iclamp(lod_to_int(fl), 0, max_rel), r1 = iclamp(lod_to_int(fl) + 1, 0, max_rel);
         float f = lv - fl, a[4], b[4];
         sample_level(tex, s, shadow, ref, tex->first_level + (unsigned)r0, filter, dims, cc, layer[l], a);
         if (r1 != r0 && f > 0.0f) {
            sample_level(tex, s, shadow, ref, tex->first_level + (unsigned)r1, filter, dims, cc, layer[l], b);
            for (int k = 0; k < 4; k++)
               a[k] = a[k] + f * (b[k] - a[k]);
         }
         memcpy(res, a, sizeof(res));
      }
      apply_swizzle(tex, res);
      for (int k = 0; k < 4; k++)
         out[k][l] = res[k];
   }
}

void jit_texture_check_levels(struct jit_texture *tex)
{
   const struct jit_format_desc *d = jit_format_get(tex->format);
   tex->levels_inside = 0;
   if (!tex->data || !d || tex->first_level > tex->last_level || tex->last_level >= JIT_MAX_LEVELS)
      return;
   for (uint32_t l = tex->first_level; l <= tex->last_level; l++) {
      uint64_t w = level_dim(tex->width, l), h = level_dim(tex->height, l);
      uint64_t end = (uint64_t)tex->level_offset[l] + (h - 1) * tex->row_stride[l] + w * d->block_bytes;
      if (end > tex->size)
         return;
   }
   tex->levels_inside = 1;
}

void jit_tex_fetch(const struct jit_texture *tex, const int32_t icoord[3][JIT_LANES], const int32_t lvl[JIT_LANES],
                   uint32_t mask, float out[4][JIT_LANES])
{
   static const struct jit_sampler no_compare;
   for (int l = 0; l < LANES; l++) {
      float t[4] = { 0, 0, 0, 0 };
      if ((mask & (1u << l)) && tex->data) {
         int64_t level = (int64_t)tex->first_level + lvl[l];
         if (level >= tex->first_level && level <= tex->last_level) {
            struct lvl_size sz = tex_level_size(tex, (unsigned)level);
            int x = icoord[0][l], y = icoord[1][l], z = icoord[2][l];
            int dims = (tex->target == PIPE_TEXTURE_1D || tex->target == PIPE_TEXTURE_1D_ARRAY) ? 1 : 2;
            int layer = 0;
            if (tex->target == PIPE_TEXTURE_3D)
               layer = z < sz.d ? z : -1;
            else if (tex->target == PIPE_TEXTURE_1D_ARRAY)
               layer = y + (int)tex->first_layer, y = 0;
            else if (tex->target == PIPE_TEXTURE_2D_ARRAY)
               layer = z + (int)tex->first_layer;
            if (dims == 1)
               y = 0;
            if (x >= 0 && x < sz.w && y >= 0 && y < sz.h && layer >= 0)
               texel(tex, &no_compare, 0, 0.0f, (unsigned)level, x, y, layer, t);
            if (jit_format_get(tex->format) && jit_format_get(tex->format)->kind != JIT_FORMAT_KIND_INT)
               apply_swizzle(tex, t);
         }
      }
      for (int c = 0; c < 4; c++)
         out[c][l] = t[c];
   }
}

void jit_tex_query(const struct jit_texture *tex, int32_t lvl, int32_t out[4])
{
   out[0] = out[1] = out[2] = out[3] = 0;
   if (!tex->data || lvl < 0 || (int64_t)tex->first_level + lvl > tex->last_level)
      return;
   struct lvl_size sz = tex_level_size(tex, tex->first_level + (unsigned)lvl);
   out[0] = sz.w;
   out[1] = sz.h;
   out[2] = tex->target == PIPE_TEXTURE_3D ? sz.d : (int32_t)(tex->last_layer - tex->first_layer + 1);
   out[3] = (int32_t)(tex->last_level - tex->first_level + 1);
}

/* One texture instruction over the lanes in exec (the interpreter's and the
 * JIT's shared implementation, so both give the same bits). */
void jit_tex_exec(const struct jit_stage_ctx *ctx, const struct jit_inst *inst, unsigned stage, uint32_t exec,
                  const float s[4][4][LANES], float r[4][LANES])
{
   const struct jit_src *samp = &inst->src[inst->num_src - 1];
   unsigned unit = (unsigned)samp->index;
   memset(r, 0, sizeof(float) * 4 * LANES);
   if (unit >= JIT_MAX_SAMPLERS)
      return;
   const struct jit_texture *tex = &ctx->textures[unit];
   const struct jit_sampler *smp = &ctx->samplers[unit];
   float coord[4][LANES], lod[LANES], out[4][LANES];
   for (int c = 0; c < 4; c++)
      memcpy(coord[c], s[0][c], sizeof(coord[c]));
   memset(lod, 0, sizeof(lod));
   unsigned mode = JIT_TEX_IMPLICIT_LOD;
   switch (inst->opcode) {
   case JIT_OP_TXF: {
      int32_t ic[3][LANES], lvl[LANES];
      for (int c = 0; c < 3; c++)
         memcpy(ic[c], s[0][c], sizeof(ic[c]));
      memcpy(lvl, s[0][3], sizeof(lvl));
      jit_tex_fetch(tex, ic, lvl, exec, out);
      for (int c = 0; c < 4; c++)
         memcpy(r[c], out[c], sizeof(out[c]));
      return;
   }
   case JIT_OP_TXQ: {
      int32_t q[4];
      for (int l = 0; l < LANES; l++) { /* the level may differ per lane */
         if (!(exec & (1u << l)))
            continue;
         int32_t lvl;
         memcpy(&lvl, &s[0][0][l], 4);
         jit_tex_query(tex, lvl, q);
         for (int c = 0; c < 4; c++)
            memcpy(&r[c][l], &q[c], 4);
      }
      return;
   }
   case JIT_OP_TXP:
      for (int l = 0; l < LANES; l++) {
         float w = s[0][3][l];
         for (int c = 0; c < 3; c++)
            coord[c][l] = s[0][c][l] / w;
      }
      break;
   case JIT_OP_TXB:
      mode = JIT_TEX_BIAS;
      memcpy(lod, s[0][3], sizeof(lod));
      break;
   case JIT_OP_TXL:
      mode = JIT_TEX_EXPLICIT_LOD;
      memcpy(lod, s[0][3], sizeof(lod));
      break;
   case JIT_OP_TXB2:
   case JIT_OP_TXL2:
      mode = inst->opcode == JIT_OP_TXB2 ? JIT_TEX_BIAS : JIT_TEX_EXPLICIT_LOD;
      memcpy(lod, s[1][0], sizeof(lod));
      break;
   case JIT_OP_TEX2: /* cube array shadow: reference in src1.x */
      memcpy(coord[3], s[1][0], sizeof(coord[3]));
      break;
   case JIT_OP_TXD:
      mode = JIT_TEX_EXPLICIT_LOD; /* explicit gradients are approximated by the base level */
      break;
   default:
      break;
   }
   /* shadow reference: TGSI puts it in .z for 1D, 2D, RECT and 1D_ARRAY (layer in .y), in .w for 2D_ARRAY
    * and CUBE; jit_tex reads coord[3] */
   if (inst->tex_shadow && (inst->tex_target == PIPE_TEXTURE_1D || inst->tex_target == PIPE_TEXTURE_2D ||
                            inst->tex_target == PIPE_TEXTURE_RECT || inst->tex_target == PIPE_TEXTURE_1D_ARRAY))
      memcpy(coord[3], coord[2], sizeof(coord[3]));
   jit_tex_sample(tex, smp, inst->tex_target, mode, stage == PIPE_SHADER_FRAGMENT, inst->tex_shadow,
                  (const float(*)[LANES])coord, lod, exec, out);
   for (int c = 0; c < 4; c++)
      memcpy(r[c], out[c], sizeof(out[c]));
}

