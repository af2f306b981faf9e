/* check_jit_format.c: pack/unpack of every renderable format and the
 * reference texture sampler (wraps, filters, mip selection, bounds). */
#include <math.h>
#include <string.h>

#include "check_util.h"
#include "jit/jit_format.h"
#include "jit/jit_tex.h"

START_TEST(test_unorm8_all_codes)
{
   static const uint32_t fmts[] = { JIT_FORMAT_R8G8B8A8_UNORM, JIT_FORMAT_B8G8R8A8_UNORM, JIT_FORMAT_R8_UNORM,
                                    JIT_FORMAT_R8G8_UNORM, JIT_FORMAT_A8R8G8B8_UNORM };
   for (size_t f = 0; f < sizeof(fmts) / sizeof(fmts[0]); f++)
      for (unsigned v = 0; v < 256; v++) {
         float in[4] = { v / 255.0f, v / 255.0f, v / 255.0f, v / 255.0f }, out[4];
         uint8_t px[16] = { 0 };
         jit_format_pack_rgba(fmts[f], in, px);
         ck_assert_uint_eq(px[0], v);
         jit_format_unpack_rgba(fmts[f], px, out);
         ck_assert_float_eq(out[0], v / 255.0f);
      }
}
END_TEST

START_TEST(test_channel_order)
{
   const float c[4] = { 1.0f, 0.0f, 0.5f, 0.25f };
   uint8_t px[4];
   jit_format_pack_rgba(JIT_FORMAT_B8G8R8A8_UNORM, c, px);
   ck_assert_uint_eq(px[0], 128); /* B */
   ck_assert_uint_eq(px[1], 0);
   ck_assert_uint_eq(px[2], 255); /* R */
   ck_assert_uint_eq(px[3], 64);
   jit_format_pack_rgba(JIT_FORMAT_R8G8B8A8_UNORM, c, px);
   ck_assert_uint_eq(px[0], 255);
   ck_assert_uint_eq(px[2], 128);
   jit_format_pack_rgba(JIT_FORMAT_B8G8R8X8_UNORM, c, px);
   ck_assert_uint_eq(px[3], 255); /* X written as 1 */
   float out[4];
   jit_format_unpack_rgba(JIT_FORMAT_B8G8R8X8_UNORM, px, out);
   ck_assert_float_eq(out[3], 1.0f);
   uint16_t p565;
   const float g[4] = { 0.0f, 1.0f, 0.0f, 1.0f };
   jit_format_pack_rgba(JIT_FORMAT_B5G6R5_UNORM, g, &p565);
   ck_assert_uint_eq(p565, 0x07e0); /* B in the low bits, G in the middle */
}
END_TEST

START_TEST(test_srgb)
{
   const float half[4] = { 0.5f, 0.5f, 0.5f, 0.5f };
   uint8_t px[4];
   jit_format_pack_rgba(JIT_FORMAT_R8G8B8A8_SRGB, half, px);
   ck_assert_uint_eq(px[0], 188); /* linear 0.5 encodes to 188 */
   ck_assert_uint_eq(px[3], 128); /* alpha stays linear */
   for (unsigned v = 0; v < 256; v++) {
      uint8_t in[4] = { (uint8_t)v, (uint8_t)v, (uint8_t)v, 255 }, back[4];
      float f[4];
      jit_format_unpack_rgba(JIT_FORMAT_B8G8R8A8_SRGB, in, f);
      jit_format_pack_rgba(JIT_FORMAT_B8G8R8A8_SRGB, f, back);
      ck_assert_uint_eq(back[0], v); /* decode then encode is the identity */
   }
}
END_TEST

START_TEST(test_half_float)
{
   ck_assert_uint_eq(jit_float_to_half(1.0f), 0x3c00);
   ck_assert_uint_eq(jit_float_to_half(-2.0f), 0xc000);
   ck_assert_uint_eq(jit_float_to_half(65504.0f), 0x7bff);
   ck_assert_uint_eq(jit_float_to_half(1e6f), 0x7c00);          /* overflow to inf */
   ck_assert_uint_eq(jit_float_to_half(ldexpf(1.0f, -24)), 1);  /* smallest denormal */
   ck_assert_uint_eq(jit_float_to_half(1.0f + ldexpf(1.0f, -11)), 0x3c00); /* tie to even */
   ck_assert(jit_half_to_float(0x7e00) != jit_half_to_float(0x7e00)); /* NaN */
   ck_assert_float_eq(jit_half_to_float(0x0001), ldexpf(1.0f, -24));
   for (uint32_t h = 0; h < 0x7c00; h++)
      ck_assert_uint_eq(jit_float_to_half(jit_half_to_float((uint16_t)h)), h);
}
END_TEST

START_TEST(test_depth_stencil)
{
   uint8_t px[4] = { 0 };
   jit_format_pack_z(JIT_FORMAT_Z24_UNORM_S8_UINT, 1.0f, px);
   jit_format_pack_s(JIT_FORMAT_Z24_UNORM_S8_UINT, 0xab, px);
   uint32_t w;
   memcpy(&w, px, 4);
   ck_assert_uint_eq(w, 0xabffffffu); /* depth low 24 bits, stencil high byte */
   jit_format_pack_z(JIT_FORMAT_Z24_UNORM_S8_UINT, 0.0f, px); /* keeps stencil */
   ck_assert_uint_eq(jit_format_unpack_s(JIT_FORMAT_Z24_UNORM_S8_UINT, px), 0xab);
   memset(px, 0, 4);
   jit_format_pack_s(JIT_FORMAT_S8_UINT_Z24_UNORM, 0x12, px);
   jit_format_pack_z(JIT_FORMAT_S8_UINT_Z24_UNORM, 1.0f, px);
   memcpy(&w, px, 4);
   ck_assert_uint_eq(w, 0xffffff12u);
   ck_assert_uint_eq(jit_format_z_quantize(JIT_FORMAT_Z16_UNORM, 0.5f), 32768);
   ck_assert_uint_eq(jit_format_z_quantize(JIT_FORMAT_Z16_UNORM, 2.0f), 65535);
   ck_assert_uint_eq(jit_format_z_quantize(JIT_FORMAT_Z16_UNORM, -1.0f), 0);
   /* Z32_FLOAT bits order as the floats do over [0,1] */
   ck_assert(jit_format_z_quantize(JIT_FORMAT_Z32_FLOAT, 0.25f) < jit_format_z_quantize(JIT_FORMAT_Z32_FLOAT, 0.5f));
   ck_assert_uint_eq(jit_format_z_quantize(JIT_FORMAT_Z32_FLOAT, -0.0f), 0);
}
END_TEST

START_TEST(test_unknown_formats)
{
   uint8_t px[16] = { 0 };
   float c[4] = { 1, 1, 1, 1 };
   ck_assert_ptr_null(jit_format_get(0));
   ck_assert_ptr_null(jit_format_get(14));
   ck_assert_ptr_null(jit_format_get(100000));
   jit_format_pack_rgba(100000, c, px); /* must not crash or write */
   ck_assert_uint_eq(px[0], 0);
   jit_format_unpack_rgba(9999, px, c);
   ck_assert_float_eq(c[3], 1.0f);
}
END_TEST

START_TEST(test_float_formats)
{
   const float c[4] = { -3.5f, 1e-3f, 65504.0f, 0.5f };
   uint8_t px[16];
   float out[4];
   jit_format_pack_rgba(JIT_FORMAT_R32G32B32A32_FLOAT, c, px);
   jit_format_unpack_rgba(JIT_FORMAT_R32G32B32A32_FLOAT, px, out);
   ck_assert(memcmp(c, out, 16) == 0);
   jit_format_pack_rgba(JIT_FORMAT_R16G16B16A16_FLOAT, c, px);
   jit_format_unpack_rgba(JIT_FORMAT_R16G16B16A16_FLOAT, px, out);
   ck_assert_float_eq(out[0], -3.5f);
   ck_assert_float_eq(out[2], 65504.0f);
   const float sn[4] = { -1.0f, 1.0f, 0.0f, 0.0f };
   int16_t s16[2];
   jit_format_pack_rgba(JIT_FORMAT_R16G16_SNORM, sn, s16);
   ck_assert_int_eq(s16[0], -32767);
   ck_assert_int_eq(s16[1], 32767);
}
END_TEST

/* The layouts JIT code unpacks RGBA8-type texels with give
 * jit_format_unpack_rgba's floats for every byte value, and exist for
 * exactly the 4-byte 8-bit UNORM/sRGB color formats. */
START_TEST(test_rgba8_layouts)
{
   static const uint32_t inline_ok[] = {
      JIT_FORMAT_B8G8R8A8_UNORM, JIT_FORMAT_B8G8R8X8_UNORM, JIT_FORMAT_A8R8G8B8_UNORM, JIT_FORMAT_X8R8G8B8_UNORM,
      JIT_FORMAT_A8B8G8R8_UNORM, JIT_FORMAT_X8B8G8R8_UNORM, JIT_FORMAT_R8G8B8A8_UNORM, JIT_FORMAT_R8G8B8X8_UNORM,
      JIT_FORMAT_B8G8R8A8_SRGB, JIT_FORMAT_B8G8R8X8_SRGB, JIT_FORMAT_A8R8G8B8_SRGB, JIT_FORMAT_X8R8G8B8_SRGB,
      JIT_FORMAT_A8B8G8R8_SRGB, JIT_FORMAT_X8B8G8R8_SRGB, JIT_FORMAT_R8G8B8A8_SRGB, JIT_FORMAT_R8G8B8X8_SRGB,
   };
   const struct jit_format_rgba8 *lay = jit_format_rgba8_layouts();
   unsigned n = 0;
   for (uint32_t id = 0; id < JIT_FORMAT_COUNT; id++) {
      int expect = 0;
      for (size_t i = 0; i < sizeof(inline_ok) / sizeof(inline_ok[0]); i++)
         expect |= inline_ok[i] == id;
      ck_assert_msg((lay[id].table[0] != NULL) == expect, "format %u", id);
      if (!expect)
         continue;
      n++;
      for (uint32_t k = 0; k < 4096; k++) {
         /* every byte value in every position, then mixed words */
         uint32_t w = k < 1024 ? (k & 255u) << (8 * (k >> 8)) : k * 2654435761u;
         uint8_t px[4];
         memcpy(px, &w, 4); /* the layouts read a little-endian word: so does this host */
         float ref[4], got[4];
         jit_format_unpack_rgba(id, px, ref);
         for (int c = 0; c < 4; c++) {
            ck_assert_ptr_nonnull(lay[id].table[c]);
            got[c] = lay[id].table[c][(w >> lay[id].shift[c]) & 255u];
         }
         ck_assert_msg(memcmp(ref, got, sizeof(ref)) == 0, "format %u word %#x", id, w);
      }
      /* the arithmetic JIT code uses instead of the unorm8 table, and the flags it reads */
      const struct jit_format_desc *d = jit_format_get(id);
      ck_assert_uint_eq(lay[id].srgb, d->srgb);
      for (unsigned v = 0; v < 256; v++)
         for (int c = 0; c < 4; c++) {
            float want = c == 3 && lay[id].no_alpha ? 1.0f : c < 3 && lay[id].srgb ? lay[id].table[c][v] : (float)v / 255.0f;
            ck_assert_msg(memcmp(&want, &lay[id].table[c][v], 4) == 0, "format %u slot %d byte %u", id, c, v);
         }
   }
   ck_assert_uint_eq(n, sizeof(inline_ok) / sizeof(inline_ok[0]));
   ck_assert_ptr_null(lay[JIT_FORMAT_NONE].table[0]);
}
END_TEST

/* ---- sampler ---- */

static uint8_t tex_data[4 * 4 * 4 + 2 * 2 * 4 + 4];

/* 4x4 RGBA8 level 0 with red = x*60, green = y*60; level 1 all 200; level 2 all 100. */
static void make_tex(struct jit_texture *t, size_t size)
{
   memset(t, 0, sizeof(*t));
   for (int y = 0; y < 4; y++)
      for (int x = 0; x < 4; x++) {
         uint8_t *p = tex_data + (y * 4 + x) * 4;
         p[0] = (uint8_t)(x * 60);
         p[1] = (uint8_t)(y * 60);
         p[2] = 0;
         p[3] = 255;
      }
   memset(tex_data + 64, 200, 16);
   memset(tex_data + 80, 100, 4);
   t->data = tex_data;
   t->size = size;
   t->format = JIT_FORMAT_R8G8B8A8_UNORM;
   t->target = PIPE_TEXTURE_2D;
   t->width = t->height = 4;
   t->depth = 1;
   t->last_level = 2;
   t->level_offset[0] = 0;
   t->level_offset[1] = 64;
   t->level_offset[2] = 80;
   t->row_stride[0] = 16;
   t->row_stride[1] = 8;
   t->row_stride[2] = 4;
   t->img_stride[0] = 64;
   t->img_stride[1] = 16;
   t->img_stride[2] = 4;
   for (int i = 0; i < 4; i++)
      t->swizzle[i] = (uint8_t)i;
}

static void sample1(const struct jit_texture *t, const struct jit_sampler *s, float u, float v, float out[4])
{
   float coord[4][JIT_LANES] = { { 0 } }, lod[JIT_LANES] = { 0 }, res[4][JIT_LANES];
   for (int l = 0; l < JIT_LANES; l++) {
      coord[0][l] = u;
      coord[1][l] = v;
   }
   jit_tex_sample(t, s, PIPE_TEXTURE_2D, JIT_TEX_EXPLICIT_LOD, 0, 0, (const float(*)[JIT_LANES])coord, lod, 1,
                  res);
   for (int c = 0; c < 4; c++)
      out[c] = res[c][0];
}

START_TEST(test_sampler_nearest_linear_wrap)
{
   struct jit_texture t;
   struct jit_sampler s = { 0 };
   make_tex(&t, sizeof(tex_data));
   s.normalized_coords = 1;
   s.max_lod = 10;
   float c[4];
   sample1(&t, &s, 2.5f / 4, 1.5f / 4, c); /* texel (2,1) */
   ck_assert_float_eq(c[0], 120 / 255.0f);
   ck_assert_float_eq(c[1], 60 / 255.0f);
   s.min_img_filter = s.mag_img_filter = PIPE_TEX_FILTER_LINEAR;
   sample1(&t, &s, 2.0f / 4, 1.5f / 4, c); /* halfway between x=1 and x=2 */
   ck_assert(fabsf(c[0] - 90 / 255.0f) < 1e-6f);
   s.min_img_filter = s.mag_img_filter = PIPE_TEX_FILTER_NEAREST;
   s.wrap_s = PIPE_TEX_WRAP_REPEAT;
   sample1(&t, &s, 1.0f + 0.5f / 4, 0.1f, c); /* wraps to x=0 */
   ck_assert_float_eq(c[0], 0.0f);
   s.wrap_s = PIPE_TEX_WRAP_CLAMP_TO_EDGE;
   sample1(&t, &s, 7.0f, 0.1f, c);
   ck_assert_float_eq(c[0], 180 / 255.0f);
   s.wrap_s = PIPE_TEX_WRAP_MIRROR_REPEAT;
   sample1(&t, &s, 1.0f + 0.5f / 4, 0.1f, c); /* mirrored: x = 3 */
   ck_assert_float_eq(c[0], 180 / 255.0f);
   s.wrap_s = PIPE_TEX_WRAP_CLAMP_TO_BORDER;
   s.border_color[0] = 0.25f;
   s.border_color[3] = 0.75f;
   sample1(&t, &s, -0.5f, 0.1f, c);
   ck_assert_float_eq(c[0], 0.25f);
   ck_assert_float_eq(c[3], 0.75f);
   sample1(&t, &s, NAN, INFINITY, c); /* no crash, some defined texel or border */
   ck_assert(c[3] == 0.75f || c[3] == 1.0f);
}
END_TEST

START_TEST(test_sampler_mip_selection)
{
   struct jit_texture t;
   struct jit_sampler s = { 0 };
   make_tex(&t, sizeof(tex_data));
   s.normalized_coords = 1;
   s.max_lod = 10;
   s.min_mip_filter = PIPE_TEX_MIPFILTER_NEAREST;
   float coord[4][JIT_LANES] = { { 0 } }, lod[JIT_LANES] = { 0 }, res[4][JIT_LANES];
   /* a quad whose coordinates step 2 texels per pixel: lod 1 */
   for (int scale = 1; scale <= 4; scale *= 2) {
      for (int l = 0; l < JIT_LANES; l++) {
         coord[0][l] = 0.1f + jit_lane_x((unsigned)l) * scale / 4.0f;
         coord[1][l] = 0.1f + jit_lane_y((unsigned)l) * scale / 4.0f;
      }
      jit_tex_sample(&t, &s, PIPE_TEXTURE_2D, JIT_TEX_IMPLICIT_LOD, 1, 0, (const float(*)[JIT_LANES])coord, lod,
                     0xffff, res);
      float expect = scale == 1 ? 0.0f : scale == 2 ? 200 / 255.0f : 100 / 255.0f;
      ck_assert_float_eq(res[0][0], expect);
   }
   /* linear mip blend at lod 0.5 between level 0 texel (0,0) = 0 and level 1 = 200 */
   s.min_mip_filter = PIPE_TEX_MIPFILTER_LINEAR;
   s.min_img_filter = PIPE_TEX_FILTER_NEAREST;
   for (int l = 0; l < JIT_LANES; l++) {
      coord[0][l] = 0.1f;
      coord[1][l] = 0.1f;
      lod[l] = 0.5f;
   }
   jit_tex_sample(&t, &s, PIPE_TEXTURE_2D, JIT_TEX_EXPLICIT_LOD, 1, 0, (const float(*)[JIT_LANES])coord, lod, 1,
                  res);
   ck_assert(fabsf(res[0][0] - 100 / 255.0f) < 1e-6f);
}
END_TEST

START_TEST(test_sampler_bounds)
{
   /* a texture whose size is smaller than its layout claims: reads past it give 0 */
   struct jit_texture t;
   struct jit_sampler s = { 0 };
   make_tex(&t, 20);
   s.normalized_coords = 1;
   float c[4];
   sample1(&t, &s, 3.5f / 4, 3.5f / 4, c);
   ck_assert_float_eq(c[0], 0.0f);
   ck_assert_float_eq(c[3], 0.0f);
   t.data = NULL; /* unbound */
   sample1(&t, &s, 0.5f, 0.5f, c);
   ck_assert_float_eq(c[3], 1.0f);
}
END_TEST

int main(void)
{
   Suite *s = suite_create("jit_format");
   TCase *tc = check_util_tcase(s, "formats");
   tcase_add_test(tc, test_unorm8_all_codes);
   tcase_add_test(tc, test_channel_order);
   tcase_add_test(tc, test_srgb);
   tcase_add_test(tc, test_half_float);
   tcase_add_test(tc, test_depth_stencil);
   tcase_add_test(tc, test_unknown_formats);
   tcase_add_test(tc, test_float_formats);
   tcase_add_test(tc, test_rgba8_layouts);
   tc = check_util_tcase(s, "sampler");
   tcase_add_test(tc, test_sampler_nearest_linear_wrap);
   tcase_add_test(tc, test_sampler_mip_selection);
   tcase_add_test(tc, test_sampler_bounds);
   return check_util_run(s);
}
