/* jit_format.c: the format table and the plain-C pack/unpack reference for
 * every supported pipe_format (colors, integers, depth/stencil, vertex
 * formats). Channel layouts follow Gallium's u_format.csv: "array" formats
 * are bytes/words in channel order, "packed" ones are one little-endian
 * word with the first channel in the low bits. */
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "jit/jit_format.h"

/* How the channels of a format are stored. */
enum fmt_layout {
   L_NONE = 0,
   L_ARRAY,      /* nr_channels components of size bits each, in memory order */
   L_PACKED16,   /* one u16: bit fields listed in bits[] from bit 0 up */
   L_PACKED32,   /* one u32, same */
   L_DEPTH,      /* depth/stencil: handled by the z/s functions */
};

/* the public channel types (jit_format_array_get hands them out as they are) */
enum fmt_type {
   T_UNORM = JIT_CHAN_UNORM,
   T_SNORM = JIT_CHAN_SNORM,
   T_FLOAT = JIT_CHAN_FLOAT,
   T_UINT = JIT_CHAN_UINT,
   T_SINT = JIT_CHAN_SINT,
   T_USCALED = JIT_CHAN_USCALED,
   T_SSCALED = JIT_CHAN_SSCALED,
};

/* Internal description: the public desc plus how to decode it. swz maps the
 * stored channel i to an RGBA slot (0..3), or 4 for "padding (X)". For
 * L/A/I/LA formats, rgba_map (below) spreads channels. */
struct fmt_info {
   struct jit_format_desc d;
   uint8_t layout;      /* enum fmt_layout */
   uint8_t type;        /* enum fmt_type */
   uint8_t bits[4];     /* bits per stored channel */
   uint8_t swz[4];      /* stored channel -> RGBA slot; 4 = X (ignored) */
   uint8_t lum;         /* 1 = L, 2 = A, 3 = I, 4 = LA */
};

#define R 0
#define G 1
#define B 2
#define A 3
#define X 4

/* flags: renderable, sampleable, vertex */
#define FMT(id_, layout_, type_, nch, bytes, b0, b1, b2, b3, s0, s1, s2, s3, srgb_, rend, samp, vert) \
   [JIT_FORMAT_##id_] = { { JIT_FORMAT_##id_, #id_,                                                 \
                            (type_ == T_UINT || type_ == T_SINT) ? JIT_FORMAT_KIND_INT : JIT_FORMAT_KIND_COLOR, \
                            bytes, nch, srgb_, type_ == T_FLOAT, type_ == T_SNORM, false, false, rend, samp, vert }, \
                          layout_, type_, { b0, b1, b2, b3 }, { s0, s1, s2, s3 }, 0 }

#define LUM(id_, bytes, nch, bits_, type_, lum_, srgb_)                                              \
   [JIT_FORMAT_##id_] = { { JIT_FORMAT_##id_, #id_, JIT_FORMAT_KIND_COLOR, bytes, nch, srgb_, false, false, \
                            false, false, true, true, false },                                     \
                          L_ARRAY, type_, { bits_, bits_, 0, 0 }, { R, A, X, X }, lum_ }

#define ZS(id_, bytes, hasz, hass, rend)                                                             \
   [JIT_FORMAT_##id_] = { { JIT_FORMAT_##id_, #id_, hasz ? JIT_FORMAT_KIND_DEPTH : JIT_FORMAT_KIND_STENCIL, \
                            bytes, 1, false, JIT_FORMAT_##id_ == JIT_FORMAT_Z32_FLOAT, false, hasz, hass, rend, hasz, false }, \
                          L_DEPTH, T_UNORM, { 0 }, { 0 }, 0 }

static const struct fmt_info fmt_table[JIT_FORMAT_COUNT] = {
   FMT(B8G8R8A8_UNORM, L_ARRAY, T_UNORM, 4, 4, 8, 8, 8, 8, B, G, R, A, false, true, true, true),
   FMT(B8G8R8X8_UNORM, L_ARRAY, T_UNORM, 4, 4, 8, 8, 8, 8, B, G, R, X, false, true, true, false),
   FMT(A8R8G8B8_UNORM, L_ARRAY, T_UNORM, 4, 4, 8, 8, 8, 8, A, R, G, B, false, true, true, false),
   FMT(X8R8G8B8_UNORM, L_ARRAY, T_UNORM, 4, 4, 8, 8, 8, 8, X, R, G, B, false, true, true, false),
   FMT(A8B8G8R8_UNORM, L_ARRAY, T_UNORM, 4, 4, 8, 8, 8, 8, A, B, G, R, false, true, true, false),
   FMT(X8B8G8R8_UNORM, L_ARRAY, T_UNORM, 4, 4, 8, 8, 8, 8, X, B, G, R, false, true, true, false),
   FMT(R8G8B8A8_UNORM, L_ARRAY, T_UNORM, 4, 4, 8, 8, 8, 8, R, G, B, A, false, true, true, true),
   FMT(R8G8B8X8_UNORM, L_ARRAY, T_UNORM, 4, 4, 8, 8, 8, 8, R, G, B, X, false, true, true, false),
   FMT(B5G5R5A1_UNORM, L_PACKED16, T_UNORM, 4, 2, 5, 5, 5, 1, B, G, R, A, false, true, true, false),
   FMT(B4G4R4A4_UNORM, L_PACKED16, T_UNORM, 4, 2, 4, 4, 4, 4, B, G, R, A, false, true, true, false),
   FMT(B5G6R5_UNORM, L_PACKED16, T_UNORM, 3, 2, 5, 6, 5, 0, B, G, R, X, false, true, true, false),
   FMT(R10G10B10A2_UNORM, L_PACKED32, T_UNORM, 4, 4, 10, 10, 10, 2, R, G, B, A, false, true, true, true),
   FMT(R8_UNORM, L_ARRAY, T_UNORM, 1, 1, 8, 0, 0, 0, R, X, X, X, false, true, true, true),
   FMT(R8G8_UNORM, L_ARRAY, T_UNORM, 2, 2, 8, 8, 0, 0, R, G, X, X, false, true, true, true),
   FMT(R8G8B8_UNORM, L_ARRAY, T_UNORM, 3, 3, 8, 8, 8, 0, R, G, B, X, false, false, false, true),
   FMT(R8_SNORM, L_ARRAY, T_SNORM, 1, 1, 8, 0, 0, 0, R, X, X, X, false, false, true, true),
   FMT(R8G8_SNORM, L_ARRAY, T_SNORM, 2, 2, 8, 8, 0, 0, R, G, X, X, false, false, true, true),
   FMT(R8G8B8_SNORM, L_ARRAY, T_SNORM, 3, 3, 8, 8, 8, 0, R, G, B, X, false, false, false, true),
   FMT(R8G8B8A8_SNORM, L_ARRAY, T_SNORM, 4, 4, 8, 8, 8, 8, R, G, B, A, false, false, true, true),
   FMT(R16_UNORM, L_ARRAY, T_UNORM, 1, 2, 16, 0, 0, 0, R, X, X, X, false, true, true, true),
   FMT(R16G16_UNORM, L_ARRAY, T_UNORM, 2, 4, 16, 16, 0, 0, R, G, X, X, false, true, true, true),
   FMT(R16G16B16_UNORM, L_ARRAY, T_UNORM, 3, 6, 16, 16, 16, 0, R, G, B, X, false, false, false, true),
   FMT(R16G16B16A16_UNORM, L_ARRAY, T_UNORM, 4, 8, 16, 16, 16, 16, R, G, B, A, false, true, true, true),
   FMT(R16_SNORM, L_ARRAY, T_SNORM, 1, 2, 16, 0, 0, 0, R, X, X, X, false, false, true, true),
   FMT(R16G16_SNORM, L_ARRAY, T_SNORM, 2, 4, 16, 16, 0, 0, R, G, X, X, false, false, true, true),
   FMT(R16G16B16_SNORM, L_ARRAY, T_SNORM, 3, 6, 16, 16, 16, 0, R, G, B, X, false, false, false, true),
   FMT(R16G16B16A16_SNORM, L_ARRAY, T_SNORM, 4, 8, 16, 16, 16, 16, R, G, B, A, false, false, true, true),
   FMT(R16_FLOAT, L_ARRAY, T_FLOAT, 1, 2, 16, 0, 0, 0, R, X, X, X, false, true, true, true),
   FMT(R16G16_FLOAT, L_ARRAY, T_FLOAT, 2, 4, 16, 16, 0, 0, R, G, X, X, false, true, true, true),
   FMT(R16G16B16_FLOAT, L_ARRAY, T_FLOAT, 3, 6, 16, 16, 16, 0, R, G, B, X, false, false, false, true),
   FMT(R16G16B16A16_FLOAT, L_ARRAY, T_FLOAT, 4, 8, 16, 16, 16, 16, R, G, B, A, false, true, true, true),
   FMT(R32_FLOAT, L_ARRAY, T_FLOAT, 1, 4, 32, 0, 0, 0, R, X, X, X, false, true, true, true),
   FMT(R32G32_FLOAT, L_ARRAY, T_FLOAT, 2, 8, 32, 32, 0, 0, R, G, X, X, false, true, true, true),
   FMT(R32G32B32_FLOAT, L_ARRAY, T_FLOAT, 3, 12, 32, 32, 32, 0, R, G, B, X, false, false, true, true),
   FMT(R32G32B32A32_FLOAT, L_ARRAY, T_FLOAT, 4, 16, 32, 32, 32, 32, R, G, B, A, false, true, true, true),
   FMT(B8G8R8A8_SRGB, L_ARRAY, T_UNORM, 4, 4, 8, 8, 8, 8, B, G, R, A, true, true, true, false),
   FMT(B8G8R8X8_SRGB, L_ARRAY, T_UNORM, 4, 4, 8, 8, 8, 8, B, G, R, X, true, true, true, false),
   FMT(A8R8G8B8_SRGB, L_ARRAY, T_UNORM, 4, 4, 8, 8, 8, 8, A, R, G, B, true, true, true, false),
   FMT(X8R8G8B8_SRGB, L_ARRAY, T_UNORM, 4, 4, 8, 8, 8, 8, X, R, G, B, true, true, true, false),
   FMT(A8B8G8R8_SRGB, L_ARRAY, T_UNORM, 4, 4, 8, 8, 8, 8, A, B, G, R, true, true, true, false),
   FMT(X8B8G8R8_SRGB, L_ARRAY, T_UNORM, 4, 4, 8, 8, 8, 8, X, B, G, R, true, true, true, false),
   FMT(R8G8B8A8_SRGB, L_ARRAY, T_UNORM, 4, 4, 8, 8, 8, 8, R, G, B, A, true, true, true, false),
   FMT(R8G8B8X8_SRGB, L_ARRAY, T_UNORM, 4, 4, 8, 8, 8, 8, R, G, B, X, true, true, true, false),
   FMT(R8G8B8_SRGB, L_ARRAY, T_UNORM, 3, 3, 8, 8, 8, 0, R, G, B, X, true, false, true, false),
   FMT(R8_UINT, L_ARRAY, T_UINT, 1, 1, 8, 0, 0, 0, R, X, X, X, false, true, true, true),
   FMT(R8G8B8A8_UINT, L_ARRAY, T_UINT, 4, 4, 8, 8, 8, 8, R, G, B, A, false, true, true, true),
   FMT(R8_SINT, L_ARRAY, T_SINT, 1, 1, 8, 0, 0, 0, R, X, X, X, false, true, true, true),
   FMT(R8G8B8A8_SINT, L_ARRAY, T_SINT, 4, 4, 8, 8, 8, 8, R, G, B, A, false, true, true, true),
   FMT(R16_UINT, L_ARRAY, T_UINT, 1, 2, 16, 0, 0, 0, R, X, X, X, false, true, true, true),
   FMT(R16G16B16A16_UINT, L_ARRAY, T_UINT, 4, 8, 16, 16, 16, 16, R, G, B, A, false, true, true, true),
   FMT(R16_SINT, L_ARRAY, T_SINT, 1, 2, 16, 0, 0, 0, R, X, X, X, false, true, true, true),
   FMT(R16G16B16A16_SINT, L_ARRAY, T_SINT, 4, 8, 16, 16, 16, 16, R, G, B, A, false, true, true, true),
   FMT(R32_UINT, L_ARRAY, T_UINT, 1, 4, 32, 0, 0, 0, R, X, X, X, false, true, true, true),
   FMT(R32G32_UINT, L_ARRAY, T_UINT, 2, 8, 32, 32, 0, 0, R, G, X, X, false, true, true, true),
   FMT(R32G32B32_UINT, L_ARRAY, T_UINT, 3, 12, 32, 32, 32, 0, R, G, B, X, false, false, true, true),
   FMT(R32G32B32A32_UINT, L_ARRAY, T_UINT, 4, 16, 32, 32, 32, 32, R, G, B, A, false, true, true, true),
   FMT(R32_SINT, L_ARRAY, T_SINT, 1, 4, 32, 0, 0, 0, R, X, X, X, false, true, true, true),
   FMT(R32G32_SINT, L_ARRAY, T_SINT, 2, 8, 32, 32, 0, 0, R, G, X, X, false, true, true, true),
   FMT(R32G32B32_SINT, L_ARRAY, T_SINT, 3, 12, 32, 32, 32, 0, R, G, B, X, false, false, true, true),
   FMT(R32G32B32A32_SINT, L_ARRAY, T_SINT, 4, 16, 32, 32, 32, 32, R, G, B, A, false, true, true, true),
   FMT(R8_USCALED, L_ARRAY, T_USCALED, 1, 1, 8, 0, 0, 0, R, X, X, X, false, false, false, true),
   FMT(R8_SSCALED, L_ARRAY, T_SSCALED, 1, 1, 8, 0, 0, 0, R, X, X, X, false, false, false, true),
   FMT(R8G8_USCALED, L_ARRAY, T_USCALED, 2, 2, 8, 8, 0, 0, R, G, X, X, false, false, false, true),
   FMT(R8G8_SSCALED, L_ARRAY, T_SSCALED, 2, 2, 8, 8, 0, 0, R, G, X, X, false, false, false, true),
   FMT(R8G8B8_USCALED, L_ARRAY, T_USCALED, 3, 3, 8, 8, 8, 0, R, G, B, X, false, false, false, true),
   FMT(R8G8B8_SSCALED, L_ARRAY, T_SSCALED, 3, 3, 8, 8, 8, 0, R, G, B, X, false, false, false, true),
   FMT(R8G8B8A8_USCALED, L_ARRAY, T_USCALED, 4, 4, 8, 8, 8, 8, R, G, B, A, false, false, false, true),
   FMT(R8G8B8A8_SSCALED, L_ARRAY, T_SSCALED, 4, 4, 8, 8, 8, 8, R, G, B, A, false, false, false, true),
   FMT(R16_USCALED, L_ARRAY, T_USCALED, 1, 2, 16, 0, 0, 0, R, X, X, X, false, false, false, true),
   FMT(R16_SSCALED, L_ARRAY, T_SSCALED, 1, 2, 16, 0, 0, 0, R, X, X, X, false, false, false, true),
   FMT(R16G16_USCALED, L_ARRAY, T_USCALED, 2, 4, 16, 16, 0, 0, R, G, X, X, false, false, false, true),
   FMT(R16G16_SSCALED, L_ARRAY, T_SSCALED, 2, 4, 16, 16, 0, 0, R, G, X, X, false, false, false, true),
   FMT(R16G16B16_USCALED, L_ARRAY, T_USCALED, 3, 6, 16, 16, 16, 0, R, G, B, X, false, false, false, true),
   FMT(R16G16B16_SSCALED, L_ARRAY, T_SSCALED, 3, 6, 16, 16, 16, 0, R, G, B, X, false, false, false, true),
   FMT(R16G16B16A16_USCALED, L_ARRAY, T_USCALED, 4, 8, 16, 16, 16, 16, R, G, B, A, false, false, false, true),
   FMT(R16G16B16A16_SSCALED, L_ARRAY, T_SSCALED, 4, 8, 16, 16, 16, 16, R, G, B, A, false, false, false, true),
   FMT(R32_USCALED, L_ARRAY, T_USCALED, 1, 4, 32, 0, 0, 0, R, X, X, X, false, false, false, true),
   FMT(R32_SSCALED, L_ARRAY, T_SSCALED, 1, 4, 32, 0, 0, 0, R, X, X, X, false, false, false, true),
   FMT(R32G32_USCALED, L_ARRAY, T_USCALED, 2, 8, 32, 32, 0, 0, R, G, X, X, false, false, false, true),
   FMT(R32G32_SSCALED, L_ARRAY, T_SSCALED, 2, 8, 32, 32, 0, 0, R, G, X, X, false, false, false, true),
   FMT(R32G32B32_USCALED, L_ARRAY, T_USCALED, 3, 12, 32, 32, 32, 0, R, G, B, X, false, false, false, true),
   FMT(R32G32B32_SSCALED, L_ARRAY, T_SSCALED, 3, 12, 32, 32, 32, 0, R, G, B, X, false, false, false, true),
   FMT(R32G32B32A32_USCALED, L_ARRAY, T_USCALED, 4, 16, 32, 32, 32, 32, R, G, B, A, false, false, false, true),
   FMT(R32G32B32A32_SSCALED, L_ARRAY, T_SSCALED, 4, 16, 32, 32, 32, 32, R, G, B, A, false, false, false, true),
   FMT(R32_UNORM, L_ARRAY, T_UNORM, 1, 4, 32, 0, 0, 0, R, X, X, X, false, false, false, true),
   FMT(R32G32_UNORM, L_ARRAY, T_UNORM, 2, 8, 32, 32, 0, 0, R, G, X, X, false, false, false, true),
   FMT(R32G32B32_UNORM, L_ARRAY, T_UNORM, 3, 12, 32, 32, 32, 0, R, G, B, X, false, false, false, true),
   FMT(R32G32B32A32_UNORM, L_ARRAY, T_UNORM, 4, 16, 32, 32, 32, 32, R, G, B, A, false, false, false, true),
   FMT(R32_SNORM, L_ARRAY, T_SNORM, 1, 4, 32, 0, 0, 0, R, X, X, X, false, false, false, true),
   FMT(R32G32_SNORM, L_ARRAY, T_SNORM, 2, 8, 32, 32, 0, 0, R, G, X, X, false, false, false, true),
   FMT(R32G32B32_SNORM, L_ARRAY, T_SNORM, 3, 12, 32, 32, 32, 0, R, G, B, X, false, false, false, true),
   FMT(R32G32B32A32_SNORM, L_ARRAY, T_SNORM, 4, 16, 32, 32, 32, 32, R, G, B, A, false, false, false, true),
   FMT(R64_FLOAT, L_ARRAY, T_FLOAT, 1, 8, 64, 0, 0, 0, R, X, X, X, false, false, false, true),
   FMT(R64G64_FLOAT, L_ARRAY, T_FLOAT, 2, 16, 64, 64, 0, 0, R, G, X, X, false, false, false, true),
   FMT(R64G64B64_FLOAT, L_ARRAY, T_FLOAT, 3, 24, 64, 64, 64, 0, R, G, B, X, false, false, false, true),
   FMT(R64G64B64A64_FLOAT, L_ARRAY, T_FLOAT, 4, 32, 64, 64, 64, 64, R, G, B, A, false, false, false, true),
   LUM(L8_UNORM, 1, 1, 8, T_UNORM, 1, false),
   LUM(A8_UNORM, 1, 1, 8, T_UNORM, 2, false),
   LUM(I8_UNORM, 1, 1, 8, T_UNORM, 3, false),
   LUM(L8A8_UNORM, 2, 2, 8, T_UNORM, 4, false),
   LUM(L16_UNORM, 2, 1, 16, T_UNORM, 1, false),
   LUM(L8_SRGB, 1, 1, 8, T_UNORM, 1, true),
   LUM(L8A8_SRGB, 2, 2, 8, T_UNORM, 4, true),
   ZS(Z16_UNORM, 2, true, false, true),
   ZS(Z32_UNORM, 4, true, false, true),
   ZS(Z32_FLOAT, 4, true, false, true),
   ZS(Z24_UNORM_S8_UINT, 4, true, true, true),
   ZS(S8_UINT_Z24_UNORM, 4, true, true, true),
   ZS(Z24X8_UNORM, 4, true, false, true),
   ZS(X8Z24_UNORM, 4, true, false, true),
   ZS(S8_UINT, 1, false, true, true),
};

static const struct fmt_info *fmt_info(uint32_t id)
{
   if (id >= JIT_FORMAT_COUNT || fmt_table[id].d.name == NULL)
      return NULL;
   return &fmt_table[id];
}

const struct jit_format_desc *jit_format_get(uint32_t id)
{
   const struct fmt_info *f = fmt_info(id);
   return f ? &f->d : NULL;
}

int jit_format_array_get(uint32_t id, struct jit_format_array *out)
{
   const struct fmt_info *f = fmt_info(id);
   if (!f || f->layout != L_ARRAY || f->lum || f->d.srgb)
      return -1;
   unsigned bits = f->bits[0];
   if (bits != 8 && bits != 16 && bits != 32 && !(bits == 64 && f->type == T_FLOAT))
      return -1;
   for (unsigned i = 1; i < f->d.nr_channels; i++)
      if (f->bits[i] != bits)
         return -1;
   out->type = f->type;
   out->bits = (uint8_t)bits;
   out->nr_channels = f->d.nr_channels;
   memcpy(out->swz, f->swz, sizeof(out->swz));
   return 0;
}

/* ---- scalar conversions --------------------------------------------------- */

float jit_half_to_float(uint16_t h)
{
   uint32_t sign = (uint32_t)(h >> 15) << 31, exp = (h >> 10) & 0x1f, mant = h & 0x3ff, bits;
   if (exp == 0) {
      if (mant == 0) {
         bits = sign;
      } else { /* denormal: renormalise */
         int e = -1;
         do {
            e++;
            mant <<= 1;
         } while (!(mant & 0x400));
         bits = sign | (uint32_t)(127 - 15 - e) << 23 | (mant & 0x3ff) << 13;
      }
   } else if (exp == 31) {
      bits = sign | 0x7f800000u | mant << 13;
   } else {
      bits = sign | (exp + 127 - 15) << 23 | mant << 13;
   }
   float f;
   memcpy(&f, &bits, 4);
   return f;
}

uint16_t jit_float_to_half(float f)
{
   uint32_t x;
   memcpy(&x, &f, 4);
   uint32_t sign = (x >> 16) & 0x8000, absx = x & 0x7fffffffu;
   if (absx >= 0x7f800000u) /* inf or nan */
      return (uint16_t)(sign | 0x7c00 | (absx > 0x7f800000u ? 0x200 : 0));
   if (absx >= 0x477ff000u) /* rounds to >= 65520: overflow to inf */
      return (uint16_t)(sign | 0x7c00);
   if (absx < 0x38800000u) { /* below the smallest normal half: denormal, round to nearest even */
      float a;
      memcpy(&a, &absx, 4);
      float scaled = a * 16777216.0f; /* 2^24: one unit = the smallest half denormal */
      return (uint16_t)(sign | (uint32_t)lrintf(scaled));
   }
   uint32_t mant = absx & 0x7fffff, exp = (absx >> 23) - 127 + 15;
   uint32_t h = exp << 10 | mant >> 13;
   uint32_t rest = mant & 0x1fff;
   if (rest > 0x1000 || (rest == 0x1000 && (h & 1)))
      h++; /* may carry into the exponent, which is the right result */
   return (uint16_t)(sign | h);
}

static float srgb_to_linear(float c)
{
   return c <= 0.04045f ? c / 12.92f : powf((c + 0.055f) / 1.055f, 2.4f);
}

static float linear_to_srgb(float c)
{
   if (!(c > 0.0f))
      return 0.0f;
   if (c >= 1.0f)
      return 1.0f;
   return c < 0.0031308f ? c * 12.92f : 1.055f * powf(c, 1.0f / 2.4f) - 0.055f;
}

static inline uint32_t pack_unorm(float v, unsigned bits)
{
   double max = (double)((1ull << bits) - 1);
   if (!(v > 0.0f))
      return 0;
   if (v >= 1.0f)
      return (uint32_t)max;
   if (bits <= 16) { /* float multiply, round half to even: what llvmpipe's stores compute */
      /* rint of x in [0, 2^16) by adding and taking away 1.5 * 2^23 (the float's own rounding, half
       * to even, as lrintf in the default mode; no call; -ffp-contract=off keeps it two roundings) */
      float x = v * (float)max;
      float r = (x + 12582912.0f) - 12582912.0f;
      return (uint32_t)r;
   }
   return (uint32_t)llrint((double)v * max);
}

static uint32_t pack_snorm(float v, unsigned bits)
{
   double max = (double)((1ull << (bits - 1)) - 1);
   if (v != v)
      v = 0.0f;
   if (v > 1.0f)
      v = 1.0f;
   if (v < -1.0f)
      v = -1.0f;
   int64_t q = llrint((double)v * max);
   return (uint32_t)q & (uint32_t)((1ull << bits) - 1);
}

static float unpack_snorm(uint32_t raw, unsigned bits)
{
   int32_t s = (int32_t)(raw << (32 - bits)) >> (32 - bits);
   float f = (float)s / (float)((1u << (bits - 1)) - 1);
   return f < -1.0f ? -1.0f : f;
}

static uint32_t read_bits(const uint8_t *p, unsigned bytes)
{
   uint32_t v = 0;
   memcpy(&v, p, bytes); /* little-endian host (x86-64, as configure targets) */
   return v;
}

/* Raw stored channel values (before type conversion) of a format. */
static void read_channels(const struct fmt_info *f, const uint8_t *src, uint32_t raw[4])
{
   unsigned n = f->d.nr_channels;
   if (f->layout == L_ARRAY) {
      unsigned bytes = f->bits[0] / 8;
      for (unsigned i = 0; i < n; i++)
         raw[i] = read_bits(src + i * bytes, bytes);
   } else {
      uint32_t word = read_bits(src, f->layout == L_PACKED16 ? 2 : 4);
      unsigned shift = 0;
      for (unsigned i = 0; i < n; i++) {
         raw[i] = (word >> shift) & (uint32_t)((1ull << f->bits[i]) - 1);
         shift += f->bits[i];
      }
   }
}

static void write_channels(const struct fmt_info *f, const uint32_t raw[4], uint8_t *dst)
{
   unsigned n = f->d.nr_channels;
   if (f->layout == L_ARRAY) {
      unsigned bytes = f->bits[0] / 8;
      for (unsigned i = 0; i < n; i++)
         memcpy(dst + i * bytes, &raw[i], bytes);
   } else {
      uint32_t word = 0;
      unsigned shift = 0;
      for (unsigned i = 0; i < n; i++) {
         word |= (raw[i] & (uint32_t)((1ull << f->bits[i]) - 1)) << shift;
         shift += f->bits[i];
      }
      memcpy(dst, &word, f->layout == L_PACKED16 ? 2 : 4);
   }
}

static float raw_to_float(const struct fmt_info *f, unsigned i, uint32_t raw)
{
   unsigned bits = f->bits[i];
   switch (f->type) {
   case T_UNORM:
      return (float)((double)raw / (double)((1ull << bits) - 1));
   case T_SNORM:
      return unpack_snorm(raw, bits);
   case T_FLOAT:
      if (bits == 16)
         return jit_half_to_float((uint16_t)raw);
      float v;
      memcpy(&v, &raw, 4);
      return v;
   case T_USCALED:
      return (float)raw;
   case T_SSCALED:
      return (float)(bits == 32 ? (int32_t)raw : (int32_t)(raw << (32 - bits)) >> (32 - bits));
   case T_SINT: { /* sign-extend, then carry bitwise */
      int32_t s = bits == 32 ? (int32_t)raw : (int32_t)(raw << (32 - bits)) >> (32 - bits);
      float v2;
      memcpy(&v2, &s, 4);
      return v2;
   }
   default: { /* T_UINT: bitwise */
      float v3;
      memcpy(&v3, &raw, 4);
      return v3;
   }
   }
}

static uint32_t float_to_raw(const struct fmt_info *f, unsigned i, float v)
{
   unsigned bits = f->bits[i];
   switch (f->type) {
   case T_UNORM:
      return pack_unorm(v, bits);
   case T_SNORM:
      return pack_snorm(v, bits);
   case T_FLOAT:
      if (bits == 16)
         return jit_float_to_half(v);
      uint32_t u;
      memcpy(&u, &v, 4);
      return u;
   case T_USCALED:
   case T_SSCALED: { /* vertex-only formats: packing is never asked for; keep the value's integer part */
      double d = v != v ? 0.0 : (double)v;
      int64_t q = (int64_t)d;
      return (uint32_t)q & (uint32_t)((1ull << bits) - 1);
   }
   case T_SINT: { /* clamp the int to the channel's range */
      int32_t s;
      memcpy(&s, &v, 4);
      if (bits < 32) {
         int32_t lo = -(1 << (bits - 1)), hi = (1 << (bits - 1)) - 1;
         s = s < lo ? lo : s > hi ? hi : s;
      }
      return (uint32_t)s & (uint32_t)((1ull << bits) - 1);
   }
   default: {
      uint32_t w;
      memcpy(&w, &v, 4);
      if (bits < 32 && w > (1u << bits) - 1)
         w = (1u << bits) - 1;
      return w;
   }
   }
}

/* 8-bit UNORM and sRGB channels by table: the same floats raw_to_float and
 * srgb_to_linear compute, without a double division per channel (texture
 * sampling and blending unpack several texels per pixel). */
static float unorm8_table[256], srgb8_table[256], one8_table[256];
static struct jit_format_rgba8 rgba8_layouts[JIT_FORMAT_COUNT];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void tables_init(void)
{
   for (unsigned v = 0; v < 256; v++) {
      unorm8_table[v] = (float)((double)v / 255.0);
      srgb8_table[v] = srgb_to_linear(unorm8_table[v]);
      one8_table[v] = 1.0f;
   }
   /* the 4-byte 8-bit UNORM/sRGB array formats, as jit_format_unpack_rgba's
    * table branch reads them; byte i is bits 8i..8i+7 of a little-endian word */
   const uint16_t probe = 1;
   uint8_t little;
   memcpy(&little, &probe, 1);
   for (uint32_t id = 0; id < JIT_FORMAT_COUNT && little; id++) {
      const struct fmt_info *f = &fmt_table[id];
      if (!f->d.name || f->type != T_UNORM || f->layout != L_ARRAY || f->bits[0] != 8 || f->lum ||
          f->d.block_bytes != 4 || f->d.nr_channels != 4)
         continue;
      struct jit_format_rgba8 *l = &rgba8_layouts[id];
      l->table[3] = one8_table; /* no alpha channel (X): A = 1 */
      l->no_alpha = 1;
      l->srgb = f->d.srgb;
      for (unsigned i = 0; i < 4; i++) {
         unsigned slot = f->swz[i];
         if (slot == X) {
            l->shift[A] = 8 * i; /* the X byte: samplers set it to 255 and read it as A */
            continue;
         }
         l->table[slot] = f->d.srgb && slot != A ? srgb8_table : unorm8_table;
         l->shift[slot] = 8 * i;
         if (slot == A)
            l->no_alpha = 0;
      }
      if (!l->table[0] || !l->table[1] || !l->table[2]) /* every such format has R, G and B; else not inline */
         memset(l, 0, sizeof(*l));
   }
}

const struct jit_format_rgba8 *jit_format_rgba8_layouts(void)
{
   pthread_once(&tables_once, tables_init);
   return rgba8_layouts;
}

void jit_format_unpack_rgba(uint32_t id, const void *src, float rgba[4])
{
   const struct fmt_info *f = fmt_info(id);
   float one = 1.0f;
   if (f && f->d.kind == JIT_FORMAT_KIND_INT) {
      uint32_t o = 1;
      memcpy(&one, &o, 4);
   }
   rgba[0] = rgba[1] = rgba[2] = 0.0f;
   rgba[3] = one;
   if (!f || f->layout == L_DEPTH)
      return;
   if (f->type == T_UNORM && f->layout == L_ARRAY && f->bits[0] == 8 && !f->lum) {
      const uint8_t *b = src;
      pthread_once(&tables_once, tables_init);
      for (unsigned i = 0; i < f->d.nr_channels; i++) {
         unsigned slot = f->swz[i];
         if (slot != X)
            rgba[slot] = f->d.srgb && slot != A ? srgb8_table[b[i]] : unorm8_table[b[i]];
      }
      return;
   }
   if (f->bits[0] == 64) { /* doubles: vertex fetch only, converted to float */
      for (unsigned i = 0; i < f->d.nr_channels; i++) {
         double d;
         memcpy(&d, (const uint8_t *)src + 8 * i, 8);
         rgba[f->swz[i]] = (float)d;
      }
      return;
   }
   uint32_t raw[4] = { 0 };
   read_channels(f, src, raw);
   if (f->lum) {
      float c0 = raw_to_float(f, 0, raw[0]);
      float c0l = f->d.srgb ? srgb_to_linear(c0) : c0;
      switch (f->lum) {
      case 1: rgba[0] = rgba[1] = rgba[2] = c0l; break;
      case 2: rgba[3] = c0; break;
      case 3: rgba[0] = rgba[1] = rgba[2] = rgba[3] = c0; break;
      default: rgba[0] = rgba[1] = rgba[2] = c0l; rgba[3] = raw_to_float(f, 1, raw[1]); break;
      }
      return;
   }
   for (unsigned i = 0; i < f->d.nr_channels; i++) {
      unsigned slot = f->swz[i];
      if (slot == X)
         continue;
      float v = raw_to_float(f, i, raw[i]);
      if (f->d.srgb && slot != A)
         v = srgb_to_linear(v);
      rgba[slot] = v;
   }
}

void jit_format_pack_rgba(uint32_t id, const float rgba[4], void *dst)
{
   const struct fmt_info *f = fmt_info(id);
   if (!f || f->layout == L_DEPTH)
      return;
   if (f->bits[0] == 64) {
      for (unsigned i = 0; i < f->d.nr_channels; i++) {
         double d = rgba[f->swz[i]];
         memcpy((uint8_t *)dst + 8 * i, &d, 8);
      }
      return;
   }
   if (f->type == T_UNORM && f->layout == L_ARRAY && f->bits[0] == 8 && !f->lum && !f->d.srgb) {
      /* the common color buffer: each byte as pack_unorm computes it, without the general path's
       * switches (the reference fragment path stores every pixel through here) */
      uint8_t *b = dst;
      for (unsigned i = 0; i < f->d.nr_channels; i++) {
         unsigned slot = f->swz[i];
         b[i] = slot == X ? 255 : (uint8_t)pack_unorm(rgba[slot], 8);
      }
      return;
   }
   uint32_t raw[4] = { 0 };
   if (f->lum) {
      float c0 = f->lum == 2 ? rgba[3] : rgba[0];
      if (f->d.srgb && f->lum != 2)
         c0 = linear_to_srgb(c0);
      raw[0] = float_to_raw(f, 0, c0);
      if (f->lum == 4)
         raw[1] = float_to_raw(f, 1, rgba[3]);
   } else {
      for (unsigned i = 0; i < f->d.nr_channels; i++) {
         unsigned slot = f->swz[i];
         if (slot == X) {
            raw[i] = f->type == T_UNORM ? (uint32_t)((1ull << f->bits[i]) - 1) : 0; /* X bytes written as 1.0 */
            continue;
         }
         float v = rgba[slot];
         if (f->d.srgb && slot != A)
            v = linear_to_srgb(v);
         raw[i] = float_to_raw(f, i, v);
      }
   }
   write_channels(f, raw, dst);
}

int jit_format_unorm8_map(uint32_t id, uint8_t map[4])
{
   const struct fmt_info *f = fmt_info(id);
   if (!f || f->type != T_UNORM || f->layout != L_ARRAY || f->bits[0] != 8 || f->lum || f->d.srgb ||
       f->d.nr_channels != 4 || f->d.block_bytes != 4)
      return 0;
   for (unsigned i = 0; i < 4; i++)
      map[i] = f->swz[i] == X ? 4 : (uint8_t)f->swz[i];
   return 1;
}

/* ---- depth / stencil -------------------------------------------------------- */

uint32_t jit_format_z_bits(uint32_t id, const void *src)
{
   uint32_t w = 0;
   switch (id) {
   case JIT_FORMAT_Z16_UNORM: {
      uint16_t h;
      memcpy(&h, src, 2);
      return h;
   }
   case JIT_FORMAT_Z32_UNORM:
   case JIT_FORMAT_Z32_FLOAT:
      memcpy(&w, src, 4);
      return w;
   case JIT_FORMAT_Z24_UNORM_S8_UINT:
   case JIT_FORMAT_Z24X8_UNORM:
      memcpy(&w, src, 4);
      return w & 0xffffff;
   case JIT_FORMAT_S8_UINT_Z24_UNORM:
   case JIT_FORMAT_X8Z24_UNORM:
      memcpy(&w, src, 4);
      return w >> 8;
   default:
      return 0;
   }
}

uint32_t jit_format_z_quantize(uint32_t id, float z)
{
   if (!(z > 0.0f))
      z = 0.0f; /* NaN and -0 too */
   if (z > 1.0f)
      z = 1.0f;
   switch (id) {
   case JIT_FORMAT_Z16_UNORM:
      return pack_unorm(z, 16);
   case JIT_FORMAT_Z32_UNORM:
      return pack_unorm(z, 32);
   case JIT_FORMAT_Z32_FLOAT: {
      uint32_t u;
      memcpy(&u, &z, 4);
      return u;
   }
   case JIT_FORMAT_Z24_UNORM_S8_UINT:
   case JIT_FORMAT_Z24X8_UNORM:
   case JIT_FORMAT_S8_UINT_Z24_UNORM:
   case JIT_FORMAT_X8Z24_UNORM:
      return pack_unorm(z, 24);
   default:
      return 0;
   }
}

float jit_format_unpack_z(uint32_t id, const void *src)
{
   uint32_t b = jit_format_z_bits(id, src);
   switch (id) {
   case JIT_FORMAT_Z16_UNORM:
      return (float)(b / 65535.0);
   case JIT_FORMAT_Z32_UNORM:
      return (float)(b / 4294967295.0);
   case JIT_FORMAT_Z32_FLOAT: {
      float f;
      memcpy(&f, &b, 4);
      return f;
   }
   case JIT_FORMAT_Z24_UNORM_S8_UINT:
   case JIT_FORMAT_Z24X8_UNORM:
   case JIT_FORMAT_S8_UINT_Z24_UNORM:
   case JIT_FORMAT_X8Z24_UNORM:
      return (float)(b / 16777215.0);
   default:
      return 0.0f;
   }
}

/* Store depth bits q (as jit_format_z_quantize returns them) into a pixel. */
void jit_format_store_z_bits(uint32_t id, uint32_t q, void *dst)
{
   uint32_t w;
   switch (id) {
   case JIT_FORMAT_Z16_UNORM: {
      uint16_t h = (uint16_t)q;
      memcpy(dst, &h, 2);
      break;
   }
   case JIT_FORMAT_Z32_UNORM:
   case JIT_FORMAT_Z32_FLOAT:
      memcpy(dst, &q, 4);
      break;
   case JIT_FORMAT_Z24_UNORM_S8_UINT:
   case JIT_FORMAT_Z24X8_UNORM:
      memcpy(&w, dst, 4);
      w = (w & 0xff000000u) | (q & 0xffffff);
      memcpy(dst, &w, 4);
      break;
   case JIT_FORMAT_S8_UINT_Z24_UNORM:
   case JIT_FORMAT_X8Z24_UNORM:
      memcpy(&w, dst, 4);
      w = (w & 0xffu) | (q << 8);
      memcpy(dst, &w, 4);
      break;
   default:
      break;
   }
}

void jit_format_pack_z(uint32_t id, float z, void *dst)
{
   if (id == JIT_FORMAT_Z32_FLOAT) {
      memcpy(dst, &z, 4); /* unclamped: the caller clamps to the depth range */
      return;
   }
   jit_format_store_z_bits(id, jit_format_z_quantize(id, z), dst);
}

uint8_t jit_format_unpack_s(uint32_t id, const void *src)
{
   const uint8_t *p = src;
   switch (id) {
   case JIT_FORMAT_S8_UINT:
      return p[0];
   case JIT_FORMAT_Z24_UNORM_S8_UINT:
      return p[3];
   case JIT_FORMAT_S8_UINT_Z24_UNORM:
      return p[0];
   default:
      return 0;
   }
}

void jit_format_pack_s(uint32_t id, uint8_t s, void *dst)
{
   uint8_t *p = dst;
   switch (id) {
   case JIT_FORMAT_S8_UINT:
   case JIT_FORMAT_S8_UINT_Z24_UNORM:
      p[0] = s;
      break;
   case JIT_FORMAT_Z24_UNORM_S8_UINT:
      p[3] = s;
      break;
   default:
      break;
   }
}
