/* check_jit_variant.c: the reference vertex and fragment variants: depth
 * functions on every depth format, two-sided stencil ops, alpha test, every
 * blend factor and equation, write masks, interpolation modes, KILL, and
 * robust vertex fetch. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check_util.h"
#include "jit/jit_variant.h"

static struct jit_shader *parse(const char *text, unsigned stage)
{
   struct jit_shader *sh;
   char err[256];
   ck_assert_msg(jit_tgsi_parse(text, strlen(text), stage, &sh, err, sizeof(err)) == 0, "%s", err);
   return sh;
}

/* A 4x4 target, one stamp at (0,0). */
static uint8_t color[4 * 4 * 16];
static uint8_t zs[4 * 4 * 4];
static float a0[4][4], dadx[4][4], dady[4][4];

static void setup(struct jit_fs_variant *v, struct jit_fs_ctx *ctx, struct jit_fs_planes *pl,
                  const struct jit_shader *sh, uint32_t cfmt, uint32_t zfmt)
{
   memset(v, 0, sizeof(*v));
   memset(ctx, 0, sizeof(*ctx));
   memset(pl, 0, sizeof(*pl));
   v->shader = sh;
   v->key.nr_cbufs = 1;
   v->key.cbuf_format[0] = cfmt;
   v->key.zs_format = zfmt;
   for (int i = 0; i < JIT_MAX_CBUFS; i++)
      v->key.blend.rt[i].colormask = 0xf;
   for (int i = 0; i < JIT_MAX_INPUTS; i++)
      v->key.interp[i] = JIT_INTERP_LINEAR;
   ctx->variant = v;
   const struct jit_format_desc *cd = jit_format_get(cfmt);
   ctx->targets.cbuf[0] = color;
   ctx->targets.cbuf_stride[0] = 4 * cd->block_bytes;
   ctx->targets.zsbuf = zfmt ? zs : NULL;
   ctx->targets.zsbuf_stride = zfmt ? 4 * jit_format_get(zfmt)->block_bytes : 0;
   ctx->targets.width = ctx->targets.height = 4;
   ctx->depth_max = 1.0f;
   pl->w0 = 1.0f;
   pl->front_facing = 1;
   pl->num_inputs = 4;
   pl->a0 = a0;
   pl->dadx = dadx;
   pl->dady = dady;
   memset(a0, 0, sizeof(a0));
   memset(dadx, 0, sizeof(dadx));
   memset(dady, 0, sizeof(dady));
}

static void shade(const struct jit_fs_ctx *ctx, const struct jit_fs_planes *pl, uint32_t mask)
{
   struct jit_fs_stamp st = { 0, 0, mask, pl };
   jit_fs_ref_run(ctx, &st);
}

static const char fs_color[] = "FRAG\nDCL IN[0], GENERIC[0], LINEAR\nDCL OUT[0], COLOR\nMOV OUT[0], IN[0]\nEND\n";

START_TEST(test_depth_funcs)
{
   struct jit_shader *sh = parse(fs_color, PIPE_SHADER_FRAGMENT);
   static const uint32_t zfmts[] = { JIT_FORMAT_Z16_UNORM, JIT_FORMAT_Z24_UNORM_S8_UINT, JIT_FORMAT_Z32_FLOAT,
                                     JIT_FORMAT_Z24X8_UNORM };
   for (size_t f = 0; f < 4; f++)
      for (unsigned func = 0; func < 8; func++) {
         struct jit_fs_variant v;
         struct jit_fs_ctx ctx;
         struct jit_fs_planes pl;
         setup(&v, &ctx, &pl, sh, JIT_FORMAT_R8G8B8A8_UNORM, zfmts[f]);
         v.key.depth_enabled = 1;
         v.key.depth_writemask = 1;
         v.key.depth_func = (uint8_t)func;
         unsigned bpp = jit_format_get(zfmts[f])->block_bytes;
         memset(color, 0, sizeof(color));
         for (int p = 0; p < 16; p++) /* buffer depth 0.5 everywhere */
            jit_format_pack_z(zfmts[f], 0.5f, zs + p * bpp);
         pl.z0 = 0.25f;      /* fragment z = 0.25 + 0.125 * x: 0.25, 0.375, 0.5, 0.625 */
         pl.dzdx = 0.125f;
         a0[0][0] = a0[0][3] = 1.0f;
         shade(&ctx, &pl, 0xffff);
         for (unsigned l = 0; l < 16; l++) {
            unsigned x = jit_lane_x(l), y = jit_lane_y(l);
            float z = 0.25f + 0.125f * x;
            int pass = jit_compare(func, z, 0.5f);
            ck_assert_msg(color[(y * 4 + x) * 4] == (pass ? 255 : 0), "format %u func %u x %u", zfmts[f], func, x);
            float stored = jit_format_unpack_z(zfmts[f], zs + (y * 4 + x) * bpp);
            ck_assert(fabsf(stored - (pass ? z : 0.5f)) < 1e-4f);
         }
      }
   jit_shader_free(sh);
}
END_TEST

START_TEST(test_stencil_two_sided)
{
   struct jit_shader *sh = parse(fs_color, PIPE_SHADER_FRAGMENT);
   for (unsigned op = 0; op < 8; op++)
      for (int face = 0; face < 2; face++) {
         struct jit_fs_variant v;
         struct jit_fs_ctx ctx;
         struct jit_fs_planes pl;
         setup(&v, &ctx, &pl, sh, JIT_FORMAT_R8G8B8A8_UNORM, JIT_FORMAT_Z24_UNORM_S8_UINT);
         v.key.stencil[0] = (struct jit_stencil_key){ 1, PIPE_FUNC_ALWAYS, 0, (uint8_t)op, 0, 0xff, 0xff };
         v.key.stencil[1] = (struct jit_stencil_key){ 1, PIPE_FUNC_NEVER, (uint8_t)op, 0, 0, 0xff, 0x0f };
         ctx.stencil_ref[0] = 0x42;
         ctx.stencil_ref[1] = 0x99;
         pl.front_facing = face == 0;
         static const uint8_t start[4] = { 0, 1, 254, 255 };
         for (int p = 0; p < 16; p++) {
            jit_format_pack_z(JIT_FORMAT_Z24_UNORM_S8_UINT, 1.0f, zs + p * 4);
            jit_format_pack_s(JIT_FORMAT_Z24_UNORM_S8_UINT, start[p % 4], zs + p * 4);
         }
         memset(color, 0, sizeof(color));
         a0[0][0] = 1.0f;
         shade(&ctx, &pl, 0xffff);
         for (int p = 0; p < 16; p++) {
            uint8_t s0 = start[p % 4];
            uint8_t ref = face == 0 ? 0x42 : 0x99, wm = face == 0 ? 0xff : 0x0f;
            uint8_t want = jit_stencil_op(op, s0, ref);
            want = (uint8_t)((s0 & ~wm) | (want & wm));
            ck_assert_uint_eq(jit_format_unpack_s(JIT_FORMAT_Z24_UNORM_S8_UINT, zs + p * 4), want);
            ck_assert_uint_eq(color[p * 4], face == 0 ? 255 : 0); /* back fails NEVER */
         }
      }
   ck_assert_uint_eq(jit_stencil_op(PIPE_STENCIL_OP_INCR, 255, 0), 255);
   ck_assert_uint_eq(jit_stencil_op(PIPE_STENCIL_OP_INCR_WRAP, 255, 0), 0);
   ck_assert_uint_eq(jit_stencil_op(PIPE_STENCIL_OP_DECR, 0, 0), 0);
   ck_assert_uint_eq(jit_stencil_op(PIPE_STENCIL_OP_DECR_WRAP, 0, 0), 255);
   ck_assert_uint_eq(jit_stencil_op(PIPE_STENCIL_OP_INVERT, 0x0f, 0), 0xf0);
   jit_shader_free(sh);
}
END_TEST

START_TEST(test_blend_factors)
{
   const float src[4] = { 0.8f, 0.4f, 0.2f, 0.6f }, src1[4] = { 0.1f, 0.3f, 0.5f, 0.7f };
   const float dst[4] = { 0.2f, 0.5f, 1.0f, 0.3f }, cc[4] = { 0.25f, 0.5f, 0.75f, 0.9f };
   static const unsigned factors[] = {
      PIPE_BLENDFACTOR_ONE, PIPE_BLENDFACTOR_SRC_COLOR, PIPE_BLENDFACTOR_SRC_ALPHA, PIPE_BLENDFACTOR_DST_ALPHA,
      PIPE_BLENDFACTOR_DST_COLOR, PIPE_BLENDFACTOR_SRC_ALPHA_SATURATE, PIPE_BLENDFACTOR_CONST_COLOR,
      PIPE_BLENDFACTOR_CONST_ALPHA, PIPE_BLENDFACTOR_SRC1_COLOR, PIPE_BLENDFACTOR_SRC1_ALPHA,
      PIPE_BLENDFACTOR_ZERO, PIPE_BLENDFACTOR_INV_SRC_COLOR, PIPE_BLENDFACTOR_INV_SRC_ALPHA,
      PIPE_BLENDFACTOR_INV_DST_ALPHA, PIPE_BLENDFACTOR_INV_DST_COLOR, PIPE_BLENDFACTOR_INV_CONST_COLOR,
      PIPE_BLENDFACTOR_INV_CONST_ALPHA, PIPE_BLENDFACTOR_INV_SRC1_COLOR, PIPE_BLENDFACTOR_INV_SRC1_ALPHA,
   };
   /* expected factor value for channel 0 (red) */
   const float want_r[] = { 1, 0.8f, 0.6f, 0.3f, 0.2f, 0.6f, 0.25f, 0.9f, 0.1f, 0.7f,
                            0, 0.2f, 0.4f, 0.7f, 0.8f, 0.75f, 0.1f, 0.9f, 0.3f };
   for (size_t i = 0; i < sizeof(factors) / sizeof(factors[0]); i++) {
      struct jit_blend_rt_key rt = { 1, PIPE_BLEND_ADD, (uint8_t)factors[i], PIPE_BLENDFACTOR_ZERO,
                                     PIPE_BLEND_ADD, PIPE_BLENDFACTOR_ONE, PIPE_BLENDFACTOR_ZERO, 0xf };
      float out[4];
      jit_blend_rgba(&rt, src, src1, dst, cc, out);
      ck_assert_msg(fabsf(out[0] - src[0] * want_r[i]) < 1e-6f, "factor %#x", factors[i]);
   }
   static const unsigned funcs[] = { PIPE_BLEND_ADD, PIPE_BLEND_SUBTRACT, PIPE_BLEND_REVERSE_SUBTRACT,
                                     PIPE_BLEND_MIN, PIPE_BLEND_MAX };
   const float want[] = { 0.8f * 0.6f + 0.2f * 0.4f, 0.8f * 0.6f - 0.2f * 0.4f, 0.2f * 0.4f - 0.8f * 0.6f, 0.2f,
                          0.8f };
   for (size_t i = 0; i < 5; i++) {
      struct jit_blend_rt_key rt = { 1, (uint8_t)funcs[i], PIPE_BLENDFACTOR_SRC_ALPHA,
                                     PIPE_BLENDFACTOR_INV_SRC_ALPHA, (uint8_t)funcs[i], PIPE_BLENDFACTOR_ONE,
                                     PIPE_BLENDFACTOR_ZERO, 0xf };
      float out[4];
      jit_blend_rgba(&rt, src, src1, dst, cc, out);
      ck_assert_msg(fabsf(out[0] - want[i]) < 1e-6f, "func %u", funcs[i]);
   }
}
END_TEST

START_TEST(test_blend_store_masks)
{
   struct jit_shader *sh = parse(fs_color, PIPE_SHADER_FRAGMENT);
   struct jit_fs_variant v;
   struct jit_fs_ctx ctx;
   struct jit_fs_planes pl;
   setup(&v, &ctx, &pl, sh, JIT_FORMAT_B8G8R8A8_UNORM, 0);
   v.key.blend.rt[0] = (struct jit_blend_rt_key){ 1, PIPE_BLEND_ADD, PIPE_BLENDFACTOR_SRC_ALPHA,
                                                  PIPE_BLENDFACTOR_INV_SRC_ALPHA, PIPE_BLEND_ADD,
                                                  PIPE_BLENDFACTOR_ONE, PIPE_BLENDFACTOR_ZERO,
                                                  PIPE_MASK_R | PIPE_MASK_G | PIPE_MASK_A };
   for (int p = 0; p < 16; p++) { /* destination B,G,R,A = 10, 20, 201, 255 */
      color[p * 4 + 0] = 10;
      color[p * 4 + 1] = 20;
      color[p * 4 + 2] = 201;
      color[p * 4 + 3] = 255;
   }
   a0[0][0] = 1.0f; a0[0][1] = 0.5f; a0[0][2] = 1.0f; a0[0][3] = 0.5f;
   shade(&ctx, &pl, 0xffff);
   for (int p = 0; p < 16; p++) {
      ck_assert_uint_eq(color[p * 4 + 0], 10);  /* blue masked: old bits kept */
      ck_assert_uint_eq(color[p * 4 + 1], 74);  /* 0.5*0.5 + (20/255)*0.5 = 0.28922 -> 74 */
      ck_assert_uint_eq(color[p * 4 + 2], 228); /* 0.5 + (201/255)*0.5 = 228/255 exactly */
      ck_assert_uint_eq(color[p * 4 + 3], 128);
   }
   jit_shader_free(sh);
}
END_TEST

START_TEST(test_interp_kill_alpha)
{
   /* perspective: plane of value/w = 2x and 1/w = 1 + x: value = 2x / (1 + x) */
   struct jit_shader *sh = parse("FRAG\nDCL IN[0], GENERIC[0], PERSPECTIVE\nDCL OUT[0], COLOR\n"
                                 "KILL_IF IN[0].yyyy\nMOV OUT[0], IN[0]\nEND\n", PIPE_SHADER_FRAGMENT);
   struct jit_fs_variant v;
   struct jit_fs_ctx ctx;
   struct jit_fs_planes pl;
   setup(&v, &ctx, &pl, sh, JIT_FORMAT_R32G32B32A32_FLOAT, 0);
   v.key.interp[0] = JIT_INTERP_PERSPECTIVE;
   pl.w0 = 1.0f;
   pl.dwdx = 1.0f;
   dadx[0][0] = 2.0f;
   a0[0][1] = 1.0f;   /* y = (1 - 0.5 y_pix) * ... negative on the last row: killed */
   dady[0][1] = -0.5f;
   a0[0][3] = 1.0f;
   dadx[0][3] = 1.0f;
   memset(color, 0, sizeof(color));
   shade(&ctx, &pl, 0xffff);
   for (int y = 0; y < 4; y++)
      for (int x = 0; x < 4; x++) {
         float *px = (float *)(void *)(color + (y * 4 + x) * 16);
         if (y == 3) { /* 1 - 1.5 < 0: killed, untouched */
            ck_assert_float_eq(px[0], 0.0f);
            continue;
         }
         ck_assert(fabsf(px[0] - 2.0f * x / (1.0f + x)) < 1e-6f);
      }
   /* alpha test GREATER 0.5 on alpha = 1 (w plane ratio): all pass; LESS: none */
   v.key.alpha_enabled = 1;
   v.key.alpha_func = PIPE_FUNC_LESS;
   ctx.alpha_ref = 0.5f;
   memset(color, 0, sizeof(color));
   shade(&ctx, &pl, 0xffff);
   for (size_t i = 0; i < sizeof(color); i++)
      ck_assert_uint_eq(color[i], 0);
   jit_shader_free(sh);
}
END_TEST

START_TEST(test_vertex_fetch)
{
   struct jit_shader *sh = parse("VERT\nDCL IN[0]\nDCL IN[1]\nDCL IN[2]\nDCL OUT[0], POSITION\n"
                                 "DCL OUT[1], GENERIC[0]\nDCL OUT[2], GENERIC[1]\nMOV OUT[0], IN[0]\n"
                                 "MOV OUT[1], IN[1]\nMOV OUT[2], IN[2]\nEND\n", PIPE_SHADER_VERTEX);
   /* buffer 0: 3 vertices of (float3 pos, rgba8 color), stride 16; buffer 1: per-instance snorm16x2 */
   uint8_t vb0[48], vb1[8];
   for (int v = 0; v < 3; v++) {
      float p[3] = { (float)v, (float)v * 2, (float)v * 3 };
      memcpy(vb0 + v * 16, p, 12);
      uint8_t c[4] = { (uint8_t)(v * 100), 0, 255, 51 };
      memcpy(vb0 + v * 16 + 12, c, 4);
   }
   int16_t inst[4] = { 32767, -32767, 0, 16384 };
   memcpy(vb1, inst, 8);
   struct jit_vs_variant var;
   memset(&var, 0, sizeof(var));
   var.shader = sh;
   var.key.num_elements = 3;
   var.key.elements[0] = (struct jit_vertex_element){ 0, 0, 0, JIT_FORMAT_R32G32B32_FLOAT };
   var.key.elements[1] = (struct jit_vertex_element){ 12, 0, 0, JIT_FORMAT_R8G8B8A8_UNORM };
   var.key.elements[2] = (struct jit_vertex_element){ 0, 1, 1, JIT_FORMAT_R16G16_SNORM };
   struct jit_vs_ctx ctx;
   memset(&ctx, 0, sizeof(ctx));
   ctx.variant = &var;
   ctx.vb[0] = (struct jit_vertex_buffer){ vb0, sizeof(vb0), 16 };
   ctx.vb[1] = (struct jit_vertex_buffer){ vb1, sizeof(vb1), 4 };
   uint32_t ids[4] = { 2, 0, 1, 1000000 }; /* the last one is out of range */
   float out[4 * 12];
   struct jit_vs_batch b = { ids, 4, 1, out, 12 };
   jit_vs_ref_run(&ctx, &b);
   ck_assert_float_eq(out[0], 2.0f);
   ck_assert_float_eq(out[2], 6.0f);
   ck_assert_float_eq(out[3], 1.0f); /* missing w reads 1 */
   ck_assert_float_eq(out[4], 200 / 255.0f);
   ck_assert_float_eq(out[7], 51 / 255.0f);
   ck_assert_float_eq(out[8], 0.0f); /* instance 1: (0, 16384) */
   ck_assert(fabsf(out[9] - 16384 / 32767.0f) < 1e-6f);
   ck_assert_float_eq(out[12 + 1], 0.0f);
   /* out of range: (0, 0, 0, 1), no read past the buffer (ASan would see it) */
   ck_assert_float_eq(out[36 + 0], 0.0f);
   ck_assert_float_eq(out[36 + 3], 1.0f);
   ck_assert_float_eq(out[36 + 4], 0.0f);
   jit_shader_free(sh);
}
END_TEST

int main(void)
{
   Suite *s = suite_create("jit_variant");
   TCase *tc = check_util_tcase(s, "fragment");
   tcase_add_test(tc, test_depth_funcs);
   tcase_add_test(tc, test_stencil_two_sided);
   tcase_add_test(tc, test_blend_factors);
   tcase_add_test(tc, test_blend_store_masks);
   tcase_add_test(tc, test_interp_kill_alpha);
   tc = check_util_tcase(s, "vertex");
   tcase_add_test(tc, test_vertex_fetch);
   return check_util_run(s);
}
