/* check_jit_tgsi.c: the TGSI text parser on shaders shaped like Mesa's
 * output and on broken ones (each must fail with a line number, no leak). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_util.h"
#include "jit/jit_ir.h"

static const char mesa_fs[] =
   "FRAG\n"
   "PROPERTY FS_COLOR0_WRITES_ALL_CBUFS 1\n"
   "DCL IN[0], COLOR, COLOR\n"
   "DCL IN[1].xy, GENERIC[9], PERSPECTIVE\n"
   "DCL OUT[0], COLOR\n"
   "DCL SAMP[0]\n"
   "DCL SVIEW[0], 2D, FLOAT\n"
   "DCL CONST[0][0..3]\n"
   "DCL TEMP[0..2], LOCAL\n"
   "DCL ADDR[0]\n"
   "IMM[0] FLT32 {    0.5000,     1.0000,     0.0000,     0.0000}\n"
   "IMM[1] UINT32 {0, 1065353216, 4294967295, 0}\n"
   "IMM[2] INT32 {1, -1, 0, 0}\n"
   "IMM[3] FLT32 {0x00000000, 0x3f800000, 0xbf000000, 0x00000000}\n"
   "  0: TEX TEMP[0], IN[1].xyyy, SAMP[0], 2D\n"
   "  1: MUL TEMP[0], TEMP[0], IN[0]\n"
   "  2: UARL ADDR[0].x, TEMP[1].xxxx\n"
   "  3: MOV TEMP[1], CONST[0][ADDR[0].x+2]\n"
   "  4: FSLT TEMP[2].x, TEMP[0].wwww, IMM[0].xxxx\n"
   "  5: UIF TEMP[2].xxxx :0\n"
   "  6:   KILL\n"
   "  7: ENDIF\n"
   "  8: MOV_SAT OUT[0], -|TEMP[0]|\n"
   "  9: END\n";

static const char mesa_vs[] =
   "VERT\n"
   "DCL IN[0]\n"
   "DCL IN[1]\n"
   "DCL SV[0], INSTANCEID\n"
   "DCL OUT[0], POSITION\n"
   "DCL OUT[1], GENERIC[0]\n"
   "DCL CONST[0][0..3]\n"
   "DCL TEMP[0]\n"
   "PROPERTY NEXT_SHADER FRAG\n"
   "  0: MUL TEMP[0], IN[0].xxxx, CONST[0][0]\n"
   "  1: MAD TEMP[0], IN[0].yyyy, CONST[0][1], TEMP[0]\n"
   "  2: MAD TEMP[0], IN[0].zzzz, CONST[0][2], TEMP[0]\n"
   "  3: MAD OUT[0], IN[0].wwww, CONST[0][3], TEMP[0]\n"
   "  4: BGNLOOP :0\n"
   "  5:   BRK\n"
   "  6: ENDLOOP :0\n"
   "  7: MOV OUT[1], IN[1]\n"
   "  8: END\n";

START_TEST(test_parse_mesa_fs)
{
   struct jit_shader *sh;
   char err[256];
   ck_assert_int_eq(jit_tgsi_parse(mesa_fs, sizeof(mesa_fs), PIPE_SHADER_FRAGMENT, &sh, err, sizeof(err)), 0);
   ck_assert_uint_eq(sh->stage, PIPE_SHADER_FRAGMENT);
   ck_assert_uint_eq(sh->num_inputs, 2);
   ck_assert_uint_eq(sh->inputs[0].semantic, JIT_SEM_COLOR);
   ck_assert_uint_eq(sh->inputs[0].color_interp, 1);
   ck_assert_uint_eq(sh->inputs[1].semantic, JIT_SEM_GENERIC);
   ck_assert_uint_eq(sh->inputs[1].semantic_index, 9);
   ck_assert_uint_eq(sh->inputs[1].interp, JIT_INTERP_PERSPECTIVE);
   ck_assert_uint_eq(sh->inputs[1].usage_mask, 0x3);
   ck_assert_uint_eq(sh->num_temps, 3);
   ck_assert_uint_eq(sh->num_consts[0], 4);
   ck_assert_uint_eq(sh->num_imms, 4);
   ck_assert_uint_eq(sh->imms[3][1], 0x3f800000u); /* hex FLT32 is the bit pattern of 1.0 */
   ck_assert_uint_eq(sh->imms[3][2], 0xbf000000u);
   ck_assert_uint_eq(sh->imms[1][2], 0xffffffffu);
   ck_assert_uint_eq(sh->imms[2][1], 0xffffffffu);
   ck_assert_uint_eq(sh->fs_color0_writes_all_cbufs, 1);
   ck_assert_uint_eq(sh->uses_kill, 1);
   ck_assert_uint_eq(sh->num_insts, 10);
   ck_assert_uint_eq(sh->insts[0].opcode, JIT_OP_TEX);
   ck_assert_uint_eq(sh->insts[0].tex_target, PIPE_TEXTURE_2D);
   ck_assert_uint_eq(sh->insts[0].src[0].swizzle[3], 1);
   ck_assert_uint_eq(sh->insts[3].src[0].indirect, 1);
   ck_assert_int_eq(sh->insts[3].src[0].index, 2);
   ck_assert_uint_eq(sh->insts[5].opcode, JIT_OP_UIF);
   ck_assert_int_eq(sh->insts[5].label, 7); /* UIF jumps to its ENDIF */
   ck_assert_uint_eq(sh->insts[8].saturate, 1);
   ck_assert_uint_eq(sh->insts[8].src[0].negate, 1);
   ck_assert_uint_eq(sh->insts[8].src[0].abs, 1);
   jit_shader_free(sh);
}
END_TEST

START_TEST(test_parse_mesa_vs)
{
   struct jit_shader *sh;
   char err[256];
   ck_assert_int_eq(jit_tgsi_parse(mesa_vs, sizeof(mesa_vs), PIPE_SHADER_VERTEX, &sh, err, sizeof(err)), 0);
   ck_assert_uint_eq(sh->num_inputs, 2);
   ck_assert_uint_eq(sh->num_outputs, 2);
   ck_assert_uint_eq(sh->outputs[0].semantic, JIT_SEM_POSITION);
   ck_assert_uint_eq(sh->sysval_sem[0], JIT_SEM_INSTANCEID);
   ck_assert_int_eq(sh->insts[4].label, 6);
   ck_assert_int_eq(sh->insts[6].label, 4);
   jit_shader_free(sh);
   /* the same text is refused as a fragment shader */
   ck_assert_int_eq(jit_tgsi_parse(mesa_vs, sizeof(mesa_vs), PIPE_SHADER_FRAGMENT, &sh, err, sizeof(err)), -1);
}
END_TEST

/* Each broken shader must fail with "line N:" naming the bad line. */
static const struct {
   const char *text;
   int line;
} broken[] = {
   { "FRAG\nDCL OUT[0], COLOR\n  0: FOO OUT[0], IN[0]\n  1: END\n", 3 },
   { "FRAG\nDCL OUT[0], COLOR\nMOV OUT[0], BOGUS[0]\nEND\n", 3 },
   { "FRAG\nDCL TEMP[0]\nMOV TEMP[5], TEMP[0]\nEND\n", 3 },
   { "FRAG\nDCL TEMP[0..99999]\nEND\n", 2 },
   { "FRAG\nENDIF\nEND\n", 2 },
   { "FRAG\nELSE\nEND\n", 2 },
   { "FRAG\nBRK\nEND\n", 2 },
   { "FRAG\nDCL TEMP[0]\nIF TEMP[0].xxxx\nEND\n", 5 },
   { "FRAG\nDCL OUT[0], COLOR\nMOV OUT[0], IMM[3]\nEND\n", 3 },
   { "FRAG\nIMM[1] FLT32 { 1.0, 0, 0, 0}\nEND\n", 2 },
   { "FRAG\nDCL TEMP[0]\nMOV TEMP[0], TEMP[0].xyzwx\nEND\n", 3 },
   { "FRAG\nDCL TEMP[0]\nMOV TEMP[0], TEMP[0]\n", 4 },
   { "GEOM\nEND\n", 1 },
   { "FRAG\nDCL TEMP[0]\nTEX TEMP[0], TEMP[0], SAMP[0], 9D\nEND\n", 3 },
   { "FRAG\nDCL IN[40], GENERIC[0]\nEND\n", 2 },
   { "FRAG\nCAL :3\nEND\n", 2 },
   { "FRAG\nENDLOOP\nEND\n", 2 },
   { "FRAG\nDCL TEMP[0]\nBGNLOOP\nIF TEMP[0].xxxx\nENDLOOP\nENDIF\nEND\n", 5 },
   { "FRAG\nDCL TEMP[0]\nMOV TEMP[0], CONST[99][0]\nEND\n", 3 },
   { "FRAG\nDCL TEMP[0]\nTEX TEMP[0], TEMP[0], SAMP[99], 2D\nEND\n", 3 },
   { "FRAG\nBGNSUB\nENDSUB\nEND\n", 2 },
   { "FRAG\nDCL TEMP[0]\nMOV TEMP[0], TEMP[ADDR[0].x+1]\nEND\n", 3 },
   { "FRAG\nDCL TEMP[0]\nEND\nMOV TEMP[0], TEMP[0]\n", 4 },
   { "FRAG\nDCL TEMP[0]\nMOV TEMP[0], TEMP[0].q\nEND\n", 3 },
   { "FRAG\nDCL TEMP[0]\nMOV TEMP[0], TEMP[-1]\nEND\n", 3 },
   { "FRAG\nDCL TEMP[0]\nMOV TEMP[0], TEMP[0], TEMP[0]\nEND\n", 3 },
   { "FRAG\nDCL TEMP[0]\nIMM[0] UINT32 { 4294967296, 0, 0, 0 }\nEND\n", 3 },
   { "\x01\x02garbage", 1 },
   { "", 1 },
};

START_TEST(test_broken_shaders)
{
   for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
      struct jit_shader *sh = (struct jit_shader *)0x1;
      char err[256] = "", want[32];
      int ret = jit_tgsi_parse(broken[i].text, strlen(broken[i].text) + 1, PIPE_SHADER_FRAGMENT, &sh, err,
                               sizeof(err));
      ck_assert_msg(ret == -1, "shader %zu was accepted", i);
      ck_assert_ptr_null(sh);
      snprintf(want, sizeof(want), "line %d:", broken[i].line);
      ck_assert_msg(strstr(err, want) != NULL, "shader %zu: '%s' does not name %s", i, err, want);
   }
}
END_TEST

START_TEST(test_hostile_text)
{
   char err[256];
   struct jit_shader *sh;
   /* deep nesting beyond the limit */
   size_t cap = 200000;
   char *t = malloc(cap);
   size_t n = (size_t)snprintf(t, cap, "FRAG\nDCL TEMP[0]\n");
   for (int i = 0; i < 10000 && n + 32 < cap; i++)
      n += (size_t)snprintf(t + n, cap - n, "IF TEMP[0].xxxx\n");
   snprintf(t + n, cap - n, "END\n");
   ck_assert_int_eq(jit_tgsi_parse(t, strlen(t), PIPE_SHADER_FRAGMENT, &sh, err, sizeof(err)), -1);
   ck_assert_ptr_nonnull(strstr(err, "nested"));
   /* text without NUL, truncated mid-token: only len bytes are read */
   memcpy(t, "FRAG\nDCL TEMP[0]\nMOV TEMP[0], TEMP[0", 36);
   ck_assert_int_eq(jit_tgsi_parse(t, 36, PIPE_SHADER_FRAGMENT, &sh, err, sizeof(err)), -1);
   /* huge register index */
   const char *big = "FRAG\nDCL TEMP[0]\nMOV TEMP[0], TEMP[99999999999999]\nEND\n";
   ck_assert_int_eq(jit_tgsi_parse(big, strlen(big), PIPE_SHADER_FRAGMENT, &sh, err, sizeof(err)), -1);
   /* random bytes */
   srand(7);
   for (int iter = 0; iter < 2000; iter++) {
      size_t len = (size_t)(rand() % 200);
      for (size_t i = 0; i < len; i++)
         t[i] = (char)(rand() % 256);
      if (jit_tgsi_parse(t, len, PIPE_SHADER_FRAGMENT, &sh, err, sizeof(err)) == 0)
         jit_shader_free(sh);
   }
   /* mutations of a valid shader */
   for (int iter = 0; iter < 2000; iter++) {
      memcpy(t, mesa_fs, sizeof(mesa_fs));
      for (int k = 0; k < 3; k++)
         t[rand() % (sizeof(mesa_fs) - 1)] = (char)(" 0123456789[].,-|xyzwABCDEFGHIJKLMNOPQRSTUVWXYZ\n"[rand() % 48]);
      if (jit_tgsi_parse(t, sizeof(mesa_fs), PIPE_SHADER_FRAGMENT, &sh, err, sizeof(err)) == 0)
         jit_shader_free(sh);
   }
   free(t);
}
END_TEST

START_TEST(test_parse_grammar)
{
   static const char fs[] =
      "FRAG\n"
      "PROPERTY FS_COORD_ORIGIN UPPER_LEFT\n"
      "PROPERTY FS_COORD_PIXEL_CENTER INTEGER\n"
      "PROPERTY FS_DEPTH_LAYOUT GREATER\n"
      "PROPERTY SOME_FUTURE_HINT 3\n"
      "DCL IN[0], POSITION, LINEAR\n"
      "DCL IN[1], FACE, CONSTANT\n"
      "DCL IN[2], GENERIC[1], PERSPECTIVE, CENTROID\n"
      "DCL IN[3], COLOR[1]\n"
      "DCL OUT[0], COLOR\n"
      "DCL OUT[1], COLOR[1]\n"
      "DCL OUT[2], POSITION\n"
      "DCL SAMP[0]\n"
      "DCL SAMP[3]\n"
      "DCL SVIEW[0], 2D, FLOAT\n"
      "DCL SVIEW[3], SHADOW2D_ARRAY, UINT\n"
      "DCL CONST[5]\n"
      "DCL CONST[1][0..15]\n"
      "DCL TEMP[0..5]\n"
      "IMM[0] FLT32 { 1.5e2, -2.5E-1, 0x3f800000, -0.0 }\n"
      "DDX TEMP[0], IN[2]\n"
      "TXD TEMP[1], IN[2], TEMP[0], TEMP[0], SAMP[0], 2D\n"
      "TEX TEMP[2], IN[2], SAMP[3], SHADOW2D_ARRAY\n"
      "TXB2 TEMP[3], IN[2], IN[0].xxxx, SAMP[0], CUBE_ARRAY\n"
      "MOV TEMP[4].xz, CONST[5].yx\n"
      "ADD TEMP[5], CONST[1][15], IMM[0]\n"
      "MOV OUT[2].z, TEMP[5].xxxx\n"
      "MOV OUT[0], TEMP[1]\n"
      "END\n";
   struct jit_shader *sh;
   char err[256];
   ck_assert_msg(jit_tgsi_parse(fs, sizeof(fs), PIPE_SHADER_FRAGMENT, &sh, err, sizeof(err)) == 0, "%s", err);
   ck_assert_uint_eq(sh->fs_coord_origin_upper_left, 1);
   ck_assert_uint_eq(sh->fs_coord_pixel_center_integer, 1);
   ck_assert_uint_eq(sh->inputs[0].semantic, JIT_SEM_POSITION);
   ck_assert_uint_eq(sh->inputs[0].interp, JIT_INTERP_LINEAR);
   ck_assert_uint_eq(sh->inputs[1].semantic, JIT_SEM_FACE);
   ck_assert_uint_eq(sh->inputs[1].interp, JIT_INTERP_CONSTANT);
   ck_assert_uint_eq(sh->inputs[2].interp, JIT_INTERP_PERSPECTIVE);
   ck_assert_uint_eq(sh->inputs[3].semantic, JIT_SEM_COLOR);
   ck_assert_uint_eq(sh->inputs[3].semantic_index, 1);
   ck_assert_uint_eq(sh->inputs[3].color_interp, 1); /* COLOR without interpolation: flatshade decides */
   ck_assert_uint_eq(sh->outputs[1].semantic_index, 1);
   ck_assert_uint_eq(sh->num_inputs, 4);
   ck_assert_uint_eq(sh->num_outputs, 3);
   ck_assert_uint_eq(sh->writes_z, 1);
   ck_assert_uint_eq(sh->uses_ddxy, 1);
   ck_assert_uint_eq(sh->uses_kill, 0);
   ck_assert_uint_eq(sh->num_samplers, 4);
   ck_assert_uint_eq(sh->num_sviews, 4);
   ck_assert_uint_eq(sh->sview_target[3], PIPE_TEXTURE_2D_ARRAY);
   ck_assert_uint_eq(sh->num_consts[0], 6);
   ck_assert_uint_eq(sh->num_consts[1], 16);
   ck_assert_uint_eq(sh->num_temps, 6);
   float f[4];
   memcpy(f, sh->imms[0], sizeof(f));
   ck_assert(f[0] == 150.0f && f[1] == -0.25f && f[2] == 1.0f && f[3] == 0.0f);
   ck_assert_uint_eq(sh->imms[0][3], 0x80000000u); /* -0.0 keeps its sign */
   const struct jit_inst *txd = &sh->insts[1];
   ck_assert_uint_eq(txd->opcode, JIT_OP_TXD);
   ck_assert_uint_eq(txd->num_src, 4);
   ck_assert_uint_eq(txd->src[3].file, JIT_FILE_SAMPLER);
   ck_assert_uint_eq(sh->insts[2].tex_target, PIPE_TEXTURE_2D_ARRAY);
   ck_assert_uint_eq(sh->insts[2].tex_shadow, 1);
   ck_assert_uint_eq(sh->insts[3].opcode, JIT_OP_TXB2);
   ck_assert_uint_eq(sh->insts[3].tex_target, PIPE_TEXTURE_CUBE_ARRAY);
   const struct jit_inst *mov = &sh->insts[4];
   ck_assert_uint_eq(mov->dst.writemask, 0x5);
   ck_assert_uint_eq(mov->src[0].dim, 0);
   ck_assert_int_eq(mov->src[0].index, 5);
   ck_assert_uint_eq(mov->src[0].swizzle[0], 1);
   ck_assert_uint_eq(mov->src[0].swizzle[1], 0);
   ck_assert_uint_eq(mov->src[0].swizzle[3], 0); /* short swizzle repeats its last letter */
   ck_assert_uint_eq(sh->insts[5].src[0].dim, 1);
   ck_assert_int_eq(sh->insts[5].src[0].index, 15);
   ck_assert_str_eq(jit_opcode_name(JIT_OP_TXD), "TXD");
   ck_assert_str_eq(jit_opcode_name(JIT_OP_COUNT), "?");
   jit_shader_free(sh);
}
END_TEST

int main(void)
{
   Suite *s = suite_create("jit_tgsi");
   TCase *tc = check_util_tcase(s, "parse");
   tcase_add_test(tc, test_parse_mesa_fs);
   tcase_add_test(tc, test_parse_mesa_vs);
   tcase_add_test(tc, test_parse_grammar);
   tcase_add_test(tc, test_broken_shaders);
   tcase_add_test(tc, test_hostile_text);
   return check_util_run(s);
}
