/* check_golden.c: golden-image tests through the whole stack (virgl stream
 * -> decoder -> state -> interpreter -> rasterizer): clear, interpolated
 * triangle, depth, stencil, every blend equation, texture filtering, the
 * demo. Each scene has analytic pixel checks and a checked-in PNG in
 * tests/data compared with a tolerance of 1 level per channel (documented in
 * README.md); TESSERA_UPDATE_GOLDEN=1 rewrites the PNGs. Thread counts must
 * give identical bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_util.h"
#include "check_stack.h"
#include "jit/jit_variant.h"
#include "tools/tools_demo.h"
#include "tools/tools_png.h"

#define S 64

static void golden_compare(const char *name, const uint8_t *px, uint32_t w, uint32_t h)
{
   char path[512], err[256];
   snprintf(path, sizeof(path), "%s/golden-%s.png", TESSERA_TEST_DATA, name);
   if (getenv("TESSERA_UPDATE_GOLDEN")) {
      ck_assert_msg(tools_png_write_rgba8(path, px, w, h, w * 4, 1, err, sizeof(err)) == 0, "%s", err);
      return;
   }
   uint8_t *ref;
   uint32_t rw, rh;
   ck_assert_msg(tools_png_read_rgba8(path, &ref, &rw, &rh, err, sizeof(err)) == 0, "%s", err);
   ck_assert_uint_eq(rw, w);
   ck_assert_uint_eq(rh, h);
   int maxdiff = 0;
   for (uint32_t y = 0; y < h; y++)
      for (uint32_t x = 0; x < w * 4; x++) {
         int a = px[(size_t)y * w * 4 + x], b = ref[(size_t)(h - 1 - y) * w * 4 + x]; /* PNG is top-down */
         int d = abs(a - b);
         maxdiff = d > maxdiff ? d : maxdiff;
      }
   free(ref);
   ck_assert_msg(maxdiff <= 1, "%s: max channel difference %d against %s", name, maxdiff, path);
}

static const uint8_t *pix(const uint8_t *px, int x, int y)
{
   return px + ((size_t)y * S + x) * 4;
}

static void quad_verts(float *v, float x0, float y0, float x1, float y1, float z, const float c[4])
{
   const float xy[6][2] = { { x0, y0 }, { x1, y0 }, { x0, y1 }, { x1, y0 }, { x1, y1 }, { x0, y1 } };
   for (int i = 0; i < 6; i++) {
      float *o = v + i * 8;
      o[0] = xy[i][0];
      o[1] = xy[i][1];
      o[2] = z;
      o[3] = 1.0f;
      memcpy(o + 4, c, 16);
   }
}

START_TEST(test_clear_and_triangle)
{
   struct stack s;
   stack_init(&s, 2, S, S);
   const float c[4] = { 0.25f, 0.5f, 0.75f, 1.0f };
   vgpu_enc_clear(&s.e, PIPE_CLEAR_COLOR0, c, 1.0, 0);
   ck_assert_int_eq(stack_flush(&s), 0);
   uint8_t *px = stack_read(&s);
   for (int i = 0; i < S * S; i++)
      ck_assert(px[i * 4] == 64 && px[i * 4 + 1] == 128 && px[i * 4 + 2] == 191 && px[i * 4 + 3] == 255);
   golden_compare("clear", px, S, S);
   free(px);
   const float tri[24] = { -0.8f, -0.8f, 0, 1, 1, 0, 0, 1, 0.8f, -0.8f, 0, 1, 0, 1, 0, 1,
                           0.0f, 0.8f, 0, 1, 0, 0, 1, 1 };
   stack_draw(&s, PIPE_PRIM_TRIANGLES, tri, 3);
   ck_assert_int_eq(stack_flush(&s), 0);
   px = stack_read(&s);
   /* near the red corner mostly red, near the top mostly blue, outside untouched */
   ck_assert_uint_gt(pix(px, 8, 8)[0], 200);
   ck_assert_uint_gt(pix(px, 32, 50)[2], 150);
   ck_assert_uint_eq(pix(px, 2, 60)[0], 64);
   /* at the centroid the three colors are about equal */
   const uint8_t *m = pix(px, 32, 24);
   ck_assert(abs(m[0] - m[1]) < 30 && abs(m[1] - m[2]) < 30);
   golden_compare("triangle", px, S, S);
   free(px);
   stack_fini(&s);
}
END_TEST

START_TEST(test_depth)
{
   for (int order = 0; order < 2; order++) {
      struct stack s;
      stack_init(&s, 2, S, S);
      struct vgpu_dsa_desc d = { 0 };
      d.depth.enabled = 1;
      d.depth.writemask = 1;
      d.depth.func = PIPE_FUNC_LESS;
      vgpu_enc_create_dsa(&s.e, STK_FIRST_FREE, &d);
      vgpu_enc_bind_object(&s.e, VGPU_OBJECT_DSA, STK_FIRST_FREE);
      const float bg[4] = { 0, 0, 0, 1 }, red[4] = { 1, 0, 0, 1 }, green[4] = { 0, 1, 0, 1 };
      vgpu_enc_clear(&s.e, PIPE_CLEAR_COLOR0 | PIPE_CLEAR_DEPTH, bg, 1.0, 0);
      float near[48], far[48];
      quad_verts(near, -0.5f, -0.5f, 0.5f, 0.5f, -0.5f, red);
      quad_verts(far, -0.9f, -0.2f, 0.9f, 0.2f, 0.5f, green);
      stack_draw(&s, PIPE_PRIM_TRIANGLES, order ? near : far, 6);
      ck_assert_int_eq(stack_flush(&s), 0);
      stack_draw(&s, PIPE_PRIM_TRIANGLES, order ? far : near, 6);
      ck_assert_int_eq(stack_flush(&s), 0);
      uint8_t *px = stack_read(&s);
      ck_assert_uint_eq(pix(px, 32, 32)[0], 255); /* the near quad wins in both orders */
      ck_assert_uint_eq(pix(px, 32, 32)[1], 0);
      ck_assert_uint_eq(pix(px, 4, 32)[1], 255);  /* the far one shows outside it */
      golden_compare("depth", px, S, S);
      free(px);
      stack_fini(&s);
   }
}
END_TEST

START_TEST(test_stencil)
{
   struct stack s;
   stack_init(&s, 2, S, S);
   /* pass 1: write stencil 1 where quad A is, color masked off */
   struct vgpu_dsa_desc w = { 0 };
   w.stencil[0].enabled = 1;
   w.stencil[0].func = PIPE_FUNC_ALWAYS;
   w.stencil[0].zpass_op = PIPE_STENCIL_OP_REPLACE;
   w.stencil[0].valuemask = w.stencil[0].writemask = 0xff;
   vgpu_enc_create_dsa(&s.e, STK_FIRST_FREE, &w);
   struct vgpu_dsa_desc t = { 0 };
   t.stencil[0].enabled = 1;
   t.stencil[0].func = PIPE_FUNC_EQUAL;
   t.stencil[0].valuemask = t.stencil[0].writemask = 0xff;
   vgpu_enc_create_dsa(&s.e, STK_FIRST_FREE + 1, &t);
   struct vgpu_blend_desc nocolor = { 0 };
   vgpu_enc_create_blend(&s.e, STK_FIRST_FREE + 2, &nocolor);
   const float bg[4] = { 0, 0, 0, 1 }, white[4] = { 1, 1, 1, 1 };
   vgpu_enc_clear(&s.e, PIPE_CLEAR_COLOR0 | PIPE_CLEAR_STENCIL | PIPE_CLEAR_DEPTH, bg, 1.0, 0);
   vgpu_enc_set_stencil_ref(&s.e, 1, 1);
   vgpu_enc_bind_object(&s.e, VGPU_OBJECT_DSA, STK_FIRST_FREE);
   vgpu_enc_bind_object(&s.e, VGPU_OBJECT_BLEND, STK_FIRST_FREE + 2);
   float a[48], b[48];
   quad_verts(a, -1.0f, -1.0f, 0.0f, 0.0f, 0, white);
   quad_verts(b, -0.5f, -0.5f, 0.5f, 0.5f, 0, white);
   stack_draw(&s, PIPE_PRIM_TRIANGLES, a, 6);
   ck_assert_int_eq(stack_flush(&s), 0);
   vgpu_enc_bind_object(&s.e, VGPU_OBJECT_DSA, STK_FIRST_FREE + 1);
   vgpu_enc_bind_object(&s.e, VGPU_OBJECT_BLEND, STK_BLEND);
   stack_draw(&s, PIPE_PRIM_TRIANGLES, b, 6);
   ck_assert_int_eq(stack_flush(&s), 0);
   uint8_t *px = stack_read(&s);
   for (int y = 0; y < S; y++)
      for (int x = 0; x < S; x++) {
         int in = x >= 16 && x < 32 && y >= 16 && y < 32; /* B intersected with A */
         ck_assert_msg(pix(px, x, y)[0] == (in ? 255 : 0), "pixel %d,%d", x, y);
      }
   golden_compare("stencil", px, S, S);
   free(px);
   stack_fini(&s);
}
END_TEST

START_TEST(test_blend_modes)
{
   static const struct {
      uint8_t func, src, dst;
   } modes[] = {
      { PIPE_BLEND_ADD, PIPE_BLENDFACTOR_SRC_ALPHA, PIPE_BLENDFACTOR_INV_SRC_ALPHA },
      { PIPE_BLEND_ADD, PIPE_BLENDFACTOR_ONE, PIPE_BLENDFACTOR_ONE },
      { PIPE_BLEND_SUBTRACT, PIPE_BLENDFACTOR_ONE, PIPE_BLENDFACTOR_DST_COLOR },
      { PIPE_BLEND_REVERSE_SUBTRACT, PIPE_BLENDFACTOR_SRC_ALPHA, PIPE_BLENDFACTOR_ONE },
      { PIPE_BLEND_MIN, PIPE_BLENDFACTOR_ONE, PIPE_BLENDFACTOR_ONE },
      { PIPE_BLEND_MAX, PIPE_BLENDFACTOR_ONE, PIPE_BLENDFACTOR_ONE },
      { PIPE_BLEND_ADD, PIPE_BLENDFACTOR_CONST_COLOR, PIPE_BLENDFACTOR_INV_CONST_COLOR },
      { PIPE_BLEND_ADD, PIPE_BLENDFACTOR_DST_ALPHA, PIPE_BLENDFACTOR_SRC_ALPHA_SATURATE },
   };
   const float dstc[4] = { 0.2f, 0.6f, 1.0f, 0.5f }, srcc[4] = { 0.8f, 0.4f, 0.1f, 0.25f };
   const float cc[4] = { 0.5f, 0.25f, 0.75f, 1.0f };
   struct stack s;
   stack_init(&s, 2, S, S);
   uint8_t strip[S * 8 * 4];
   for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
      struct vgpu_blend_desc b = { 0 };
      b.rt[0] = (struct vgpu_blend_rt_desc){ 1, modes[m].func, modes[m].src, modes[m].dst,
                                             modes[m].func, modes[m].src, modes[m].dst, 0xf };
      vgpu_enc_create_blend(&s.e, 200 + (uint32_t)m, &b);
      vgpu_enc_bind_object(&s.e, VGPU_OBJECT_BLEND, 200 + (uint32_t)m);
      vgpu_enc_set_blend_color(&s.e, cc);
      vgpu_enc_clear(&s.e, PIPE_CLEAR_COLOR0, dstc, 1.0, 0);
      float q[48];
      quad_verts(q, -1, -1, 1, 1, 0, srcc);
      stack_draw(&s, PIPE_PRIM_TRIANGLES, q, 6);
      ck_assert_int_eq(stack_flush(&s), 0);
      uint8_t *px = stack_read(&s);
      /* expected: blend of the stored (quantized) destination */
      struct jit_blend_rt_key rt = { 1, modes[m].func, modes[m].src, modes[m].dst, modes[m].func, modes[m].src,
                                     modes[m].dst, 0xf };
      float d[4], out[4], one[4] = { 0, 0, 0, 1 };
      uint8_t dq[4];
      jit_format_pack_rgba(JIT_FORMAT_R8G8B8A8_UNORM, dstc, dq);
      jit_format_unpack_rgba(JIT_FORMAT_R8G8B8A8_UNORM, dq, d);
      jit_blend_rgba(&rt, srcc, one, d, cc, out);
      uint8_t want[4];
      jit_format_pack_rgba(JIT_FORMAT_R8G8B8A8_UNORM, out, want);
      for (int c = 0; c < 4; c++)
         ck_assert_msg(abs(pix(px, 20, 20)[c] - want[c]) <= 1, "mode %zu channel %d: %u vs %u", m, c,
                       pix(px, 20, 20)[c], want[c]);
      memcpy(strip + m * S * 4, px + (size_t)20 * S * 4, S * 4); /* one row per mode */
      free(px);
   }
   golden_compare("blend", strip, S, 8);
   stack_fini(&s);
}
END_TEST

START_TEST(test_texture_filtering)
{
   static const char fs_tex[] = "FRAG\nDCL IN[0], GENERIC[0], PERSPECTIVE\nDCL OUT[0], COLOR\nDCL SAMP[0]\n"
                                "DCL SVIEW[0], 2D, FLOAT\nTEX OUT[0], IN[0], SAMP[0], 2D\nEND\n";
   for (int filter = 0; filter < 2; filter++) {
      struct stack s;
      stack_init(&s, 2, S, S);
      ck_assert_int_eq(stack_resource(&s, STK_RES_TEX, PIPE_TEXTURE_2D, JIT_FORMAT_R8G8B8A8_UNORM, 4, 4, 2), 0);
      uint8_t tex[4 * 4 * 4 + 2 * 2 * 4 + 4];
      for (int i = 0; i < 16; i++) {
         uint8_t v = ((i & 1) ^ ((i >> 2) & 1)) ? 255 : 0;
         tex[i * 4] = v;
         tex[i * 4 + 1] = (uint8_t)(i * 16);
         tex[i * 4 + 2] = 255 - v;
         tex[i * 4 + 3] = 255;
      }
      memset(tex + 64, 128, 20);
      vgpu_enc_resource_inline_write(&s.e, STK_RES_TEX, 0, 0, 16, 0, 0, 0, 0, 4, 4, 1, tex, 64);
      vgpu_enc_resource_inline_write(&s.e, STK_RES_TEX, 1, 0, 8, 0, 0, 0, 0, 2, 2, 1, tex + 64, 16);
      vgpu_enc_resource_inline_write(&s.e, STK_RES_TEX, 2, 0, 4, 0, 0, 0, 0, 1, 1, 1, tex + 80, 4);
      vgpu_enc_create_shader(&s.e, STK_FIRST_FREE, PIPE_SHADER_FRAGMENT, fs_tex);
      vgpu_enc_bind_shader(&s.e, STK_FIRST_FREE, PIPE_SHADER_FRAGMENT);
      vgpu_enc_create_sampler_view(&s.e, STK_FIRST_FREE + 1, STK_RES_TEX, JIT_FORMAT_R8G8B8A8_UNORM,
                                   PIPE_TEXTURE_2D, 0, 2);
      struct vgpu_sampler_desc sd = { 0 };
      sd.min_img_filter = sd.mag_img_filter = (uint8_t)filter;
      sd.min_mip_filter = PIPE_TEX_MIPFILTER_LINEAR;
      sd.wrap_s = sd.wrap_t = PIPE_TEX_WRAP_REPEAT;
      sd.max_lod = 8;
      vgpu_enc_create_sampler_state(&s.e, STK_FIRST_FREE + 2, &sd);
      uint32_t v = STK_FIRST_FREE + 1, smp = STK_FIRST_FREE + 2;
      vgpu_enc_set_sampler_views(&s.e, PIPE_SHADER_FRAGMENT, 0, 1, &v);
      vgpu_enc_bind_sampler_states(&s.e, PIPE_SHADER_FRAGMENT, 0, 1, &smp);
      /* full-screen quad, texcoords 0..1 in (r, g): magnified 16x */
      float q[48];
      const float zero[4] = { 0, 0, 0, 1 };
      quad_verts(q, -1, -1, 1, 1, 0, zero);
      for (int i = 0; i < 6; i++) {
         q[i * 8 + 4] = (q[i * 8 + 0] + 1) * 0.5f;
         q[i * 8 + 5] = (q[i * 8 + 1] + 1) * 0.5f;
      }
      stack_draw(&s, PIPE_PRIM_TRIANGLES, q, 6);
      ck_assert_int_eq(stack_flush(&s), 0);
      uint8_t *px = stack_read(&s);
      if (filter == PIPE_TEX_FILTER_NEAREST) {
         for (int y = 0; y < S; y++)
            for (int x = 0; x < S; x++) {
               int i = (y / 16) * 4 + x / 16;
               ck_assert_uint_eq(pix(px, x, y)[1], i * 16);
            }
         golden_compare("tex-nearest", px, S, S);
      } else {
         /* linear: between texel centers the value is interpolated */
         const uint8_t *a = pix(px, 8, 8), *b = pix(px, 24, 8), *m = pix(px, 16, 8);
         ck_assert(abs((int)m[1] - ((int)a[1] + (int)b[1]) / 2) <= 2);
         golden_compare("tex-linear", px, S, S);
      }
      free(px);
      stack_fini(&s);
   }
}
END_TEST

START_TEST(test_demo_thread_invariance)
{
   uint8_t *ref = NULL;
   const unsigned threads[] = { 1, 2, 7 };
   char err[256];
   for (int t = 0; t < 3; t++) {
      struct tessera_renderer *r;
      struct tessera_renderer_options o = { threads[t] };
      ck_assert_int_eq(tessera_renderer_create(&o, &r), 0);
      uint8_t *px;
      ck_assert_msg(tools_demo_render(r, 320, 240, &px, err, sizeof(err)) == 0, "%s", err);
      tessera_renderer_destroy(r);
      if (!ref) {
         ref = px;
         golden_compare("demo", px, 320, 240);
         continue;
      }
      ck_assert_msg(memcmp(ref, px, 320 * 240 * 4) == 0, "%u threads differ from 1 thread", threads[t]);
      free(px);
   }
   free(ref);
}
END_TEST

int main(void)
{
   /* every scene in each JIT mode: the images must not depend on it */
   static const struct {
      enum jit_mode mode;
      const char *name;
   } modes[] = { { JIT_MODE_OFF, "golden (TESSERA_JIT=off)" }, { JIT_MODE_SYNC, "golden (TESSERA_JIT=sync)" },
                 { JIT_MODE_ASYNC, "golden (TESSERA_JIT=async)" } };
   int status = EXIT_SUCCESS;
   for (unsigned m = 0; m < 3; m++) {
      jit_mode_set(modes[m].mode);
      Suite *s = suite_create(modes[m].name);
      TCase *tc = check_util_tcase(s, "scenes");
      tcase_add_test(tc, test_clear_and_triangle);
      tcase_add_test(tc, test_depth);
      tcase_add_test(tc, test_stencil);
      tcase_add_test(tc, test_blend_modes);
      tcase_add_test(tc, test_texture_filtering);
      tcase_add_test(tc, test_demo_thread_invariance);
      if (check_util_run(s) != EXIT_SUCCESS)
         status = EXIT_FAILURE;
   }
   return status;
}
