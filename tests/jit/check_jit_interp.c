/* check_jit_interp.c: each interpreter opcode against C math over 16 lanes,
 * plus modifiers, write masks, per-lane control flow, KILL, bounded loops and
 * relative addressing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_util.h"
#include "jit/jit_ir.h"

static struct jit_exec_io io;
static struct jit_stage_ctx sctx;

static float A[JIT_LANES] = { -3.5f, -1.0f, -0.25f, 0.0f, 0.25f, 0.5f, 1.0f, 1.5f,
                              2.0f, 3.75f, 10.0f, 100.5f, -100.25f, 0.125f, 7.0f, -7.5f };
static float B[JIT_LANES] = { 2.0f, -1.0f, 0.5f, 3.0f, -0.25f, 0.5f, 4.0f, 1.5f,
                              -2.0f, 0.75f, 1.0f, 0.5f, 3.0f, 8.0f, -7.0f, 2.5f };
static float C[JIT_LANES] = { 1.0f, 0.0f, -1.0f, 2.0f, 0.5f, -0.5f, 3.0f, 0.25f,
                              1.0f, 1.0f, -2.0f, 4.0f, 0.0f, 0.75f, 1.5f, -1.5f };

/* Run "body" with IN[0..2] = A, B, C in every channel; returns the alive mask. */
static uint32_t run(const char *body, uint32_t mask)
{
   char text[4096];
   snprintf(text, sizeof(text),
            "FRAG\nDCL IN[0..2], GENERIC[0], PERSPECTIVE\nDCL OUT[0], COLOR\nDCL TEMP[0..7]\nDCL ADDR[0]\n"
            "DCL CONST[0][0..3]\nIMM[0] FLT32 { 0.0, 1.0, 2.0, 0.5 }\nIMM[1] UINT32 { 0, 1, 2, 3 }\n%s\nEND\n",
            body);
   struct jit_shader *sh;
   char err[256];
   int ret = jit_tgsi_parse(text, strlen(text), PIPE_SHADER_FRAGMENT, &sh, err, sizeof(err));
   ck_assert_msg(ret == 0, "parse failed: %s\n%s", err, text);
   memset(&io, 0, sizeof(io));
   for (int c = 0; c < 4; c++)
      for (int l = 0; l < JIT_LANES; l++) {
         io.in[0][c][l] = A[l];
         io.in[1][c][l] = B[l];
         io.in[2][c][l] = C[l];
      }
   uint32_t alive = jit_interp_run(sh, &sctx, &io, mask);
   jit_shader_free(sh);
   return alive;
}

static uint32_t outu(int c, int l)
{
   uint32_t u;
   memcpy(&u, &io.out[0][c][l], 4);
   return u;
}

static void expect_f(const char *what, int l, float got, float want)
{
   int ok = (got == want) || (isnan(got) && isnan(want)) || fabsf(got - want) <= 1e-6f * fabsf(want);
   ck_assert_msg(ok, "%s lane %d: got %.9g want %.9g", what, l, got, want);
}

typedef float (*f3)(float, float, float);
static float f_add(float a, float b, float c) { (void)c; return a + b; }
static float f_mul(float a, float b, float c) { (void)c; return a * b; }
static float f_mad(float a, float b, float c) { return a * b + c; }
static float f_min(float a, float b, float c) { (void)c; return fminf(a, b); }
static float f_max(float a, float b, float c) { (void)c; return fmaxf(a, b); }
static float f_slt(float a, float b, float c) { (void)c; return a < b ? 1.0f : 0.0f; }
static float f_sge(float a, float b, float c) { (void)c; return a >= b ? 1.0f : 0.0f; }
static float f_seq(float a, float b, float c) { (void)c; return a == b ? 1.0f : 0.0f; }
static float f_sne(float a, float b, float c) { (void)c; return a != b ? 1.0f : 0.0f; }
static float f_lrp(float a, float b, float c) { return a * b + (1.0f - a) * c; }
static float f_cmp(float a, float b, float c) { return a < 0.0f ? b : c; }
static float f_frc(float a, float b, float c) { (void)b; (void)c; return a - floorf(a); }
static float f_flr(float a, float b, float c) { (void)b; (void)c; return floorf(a); }
static float f_ceil(float a, float b, float c) { (void)b; (void)c; return ceilf(a); }
static float f_trunc(float a, float b, float c) { (void)b; (void)c; return truncf(a); }
static float f_round(float a, float b, float c) { (void)b; (void)c; return rintf(a); }
static float f_rcp(float a, float b, float c) { (void)b; (void)c; return 1.0f / a; }
static float f_rsq(float a, float b, float c) { (void)b; (void)c; return 1.0f / sqrtf(fabsf(a)); }
static float f_sqrt(float a, float b, float c) { (void)b; (void)c; return sqrtf(a); }
static float f_ex2(float a, float b, float c) { (void)b; (void)c; return exp2f(a); }
static float f_lg2(float a, float b, float c) { (void)b; (void)c; return log2f(a); }
static float f_pow(float a, float b, float c) { (void)c; return powf(a, b); }
static float f_dp3(float a, float b, float c) { (void)c; return a * b * 3.0f; }
static float f_dp4(float a, float b, float c) { (void)c; return a * b * 4.0f; }
static float f_dp2(float a, float b, float c) { (void)c; return a * b * 2.0f; }

START_TEST(test_float_ops)
{
   static const struct {
      const char *op;
      f3 fn;
   } ops[] = {
      { "ADD OUT[0], IN[0], IN[1]", f_add }, { "MUL OUT[0], IN[0], IN[1]", f_mul },
      { "MAD OUT[0], IN[0], IN[1], IN[2]", f_mad }, { "MIN OUT[0], IN[0], IN[1]", f_min },
      { "MAX OUT[0], IN[0], IN[1]", f_max }, { "SLT OUT[0], IN[0], IN[1]", f_slt },
      { "SGE OUT[0], IN[0], IN[1]", f_sge }, { "SEQ OUT[0], IN[0], IN[1]", f_seq },
      { "SNE OUT[0], IN[0], IN[1]", f_sne }, { "LRP OUT[0], IN[0], IN[1], IN[2]", f_lrp },
      { "CMP OUT[0], IN[0], IN[1], IN[2]", f_cmp }, { "FRC OUT[0], IN[0]", f_frc },
      { "FLR OUT[0], IN[0]", f_flr }, { "CEIL OUT[0], IN[0]", f_ceil }, { "TRUNC OUT[0], IN[0]", f_trunc },
      { "ROUND OUT[0], IN[0]", f_round }, { "RCP OUT[0], IN[0].xxxx", f_rcp },
      { "RSQ OUT[0], IN[0].xxxx", f_rsq }, { "SQRT OUT[0], IN[0].xxxx", f_sqrt },
      { "EX2 OUT[0], IN[0].xxxx", f_ex2 }, { "LG2 OUT[0], IN[0].xxxx", f_lg2 },
      { "POW OUT[0], IN[0].xxxx, IN[1].xxxx", f_pow }, { "DP2 OUT[0], IN[0], IN[1]", f_dp2 },
      { "DP3 OUT[0], IN[0], IN[1]", f_dp3 }, { "DP4 OUT[0], IN[0], IN[1]", f_dp4 },
   };
   for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
      run(ops[i].op, 0xffff);
      for (int l = 0; l < JIT_LANES; l++)
         for (int c = 0; c < 4; c++)
            expect_f(ops[i].op, l, io.out[0][c][l], ops[i].fn(A[l], B[l], C[l]));
   }
}
END_TEST

START_TEST(test_int_ops)
{
   /* F2I/F2U of A and B, then integer ops on them */
   static const char *pre = "F2I TEMP[0], IN[0]\nF2I TEMP[1], IN[1]\n";
   static const struct {
      const char *op;
      int kind;
   } ops[] = {
      { "UADD", 0 }, { "UMUL", 1 }, { "AND", 2 }, { "OR", 3 }, { "XOR", 4 }, { "SHL", 5 }, { "USHR", 6 },
      { "ISHR", 7 }, { "IMAX", 8 }, { "IMIN", 9 }, { "UMAX", 10 }, { "UMIN", 11 }, { "USEQ", 12 }, { "USNE", 13 },
      { "ISLT", 14 }, { "ISGE", 15 }, { "USLT", 16 }, { "USGE", 17 }, { "UDIV", 18 }, { "IDIV", 19 },
      { "UMOD", 20 },
   };
   for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
      char body[256];
      snprintf(body, sizeof(body), "%s%s OUT[0], TEMP[0], TEMP[1]", pre, ops[i].op);
      run(body, 0xffff);
      for (int l = 0; l < JIT_LANES; l++) {
         int32_t a = (int32_t)A[l], b = (int32_t)B[l];
         uint32_t ua = (uint32_t)a, ub = (uint32_t)b, want;
         switch (ops[i].kind) {
         case 0: want = ua + ub; break;
         case 1: want = ua * ub; break;
         case 2: want = ua & ub; break;
         case 3: want = ua | ub; break;
         case 4: want = ua ^ ub; break;
         case 5: want = ua << (ub & 31); break;
         case 6: want = ua >> (ub & 31); break;
         case 7: want = (uint32_t)(a >> (ub & 31)); break;
         case 8: want = (uint32_t)(a > b ? a : b); break;
         case 9: want = (uint32_t)(a < b ? a : b); break;
         case 10: want = ua > ub ? ua : ub; break;
         case 11: want = ua < ub ? ua : ub; break;
         case 12: want = ua == ub ? ~0u : 0; break;
         case 13: want = ua != ub ? ~0u : 0; break;
         case 14: want = a < b ? ~0u : 0; break;
         case 15: want = a >= b ? ~0u : 0; break;
         case 16: want = ua < ub ? ~0u : 0; break;
         case 17: want = ua >= ub ? ~0u : 0; break;
         case 18: want = ub ? ua / ub : ~0u; break;
         case 19: want = b ? (uint32_t)(a / b) : 0; break;
         default: want = ub ? ua % ub : ~0u; break;
         }
         ck_assert_msg(outu(0, l) == want, "%s lane %d: got %u want %u", ops[i].op, l, outu(0, l), want);
      }
   }
   /* conversions */
   run("F2I TEMP[0], IN[0]\nI2F OUT[0], TEMP[0]", 0xffff);
   for (int l = 0; l < JIT_LANES; l++)
      expect_f("F2I/I2F", l, io.out[0][0][l], truncf(A[l]));
   run("F2U OUT[0], IN[0]", 0xffff);
   for (int l = 0; l < JIT_LANES; l++)
      ck_assert_uint_eq(outu(0, l), A[l] > 0 ? (uint32_t)A[l] : 0);
   run("INEG OUT[0], IMM[1]", 0xffff);
   ck_assert_uint_eq(outu(1, 0), 0xffffffffu);
   run("FSLT OUT[0], IN[0], IN[1]", 0xffff);
   for (int l = 0; l < JIT_LANES; l++)
      ck_assert_uint_eq(outu(0, l), A[l] < B[l] ? ~0u : 0);
   run("UCMP OUT[0], IMM[1].xyzw, IN[1], IN[2]", 0xffff);
   expect_f("UCMP", 0, io.out[0][0][0], C[0]); /* x = 0 -> src2 */
   expect_f("UCMP", 0, io.out[0][1][0], B[0]); /* y = 1 -> src1 */
}
END_TEST

START_TEST(test_modifiers_masks)
{
   run("MOV OUT[0].xz, -|IN[0]|", 0xffff);
   for (int l = 0; l < JIT_LANES; l++) {
      expect_f("neg abs", l, io.out[0][0][l], -fabsf(A[l]));
      expect_f("masked", l, io.out[0][1][l], 0.0f);
   }
   run("MOV_SAT OUT[0], IN[0]", 0xffff);
   for (int l = 0; l < JIT_LANES; l++)
      expect_f("sat", l, io.out[0][0][l], fminf(fmaxf(A[l], 0.0f), 1.0f));
   run("MOV OUT[0], IMM[0].wzyx", 0xffff);
   expect_f("swizzle", 0, io.out[0][0][0], 0.5f);
   expect_f("swizzle", 0, io.out[0][3][0], 0.0f);
   run("MOV OUT[0], IN[0]", 0x00f0); /* inactive lanes are not written */
   expect_f("mask", 0, io.out[0][0][0], 0.0f);
   expect_f("mask", 4, io.out[0][0][4], A[4]);
}
END_TEST

START_TEST(test_control_flow)
{
   /* per-lane IF/ELSE */
   run("SLT TEMP[0], IN[0], IMM[0].xxxx\nIF TEMP[0].xxxx\n MOV OUT[0], IN[1]\nELSE\n MOV OUT[0], IN[2]\nENDIF", 0xffff);
   for (int l = 0; l < JIT_LANES; l++)
      expect_f("if/else", l, io.out[0][0][l], A[l] < 0 ? B[l] : C[l]);
   /* loop: count up while TEMP < A, per lane, with BRK */
   run("MOV TEMP[0], IMM[0].xxxx\nBGNLOOP\n SGE TEMP[1], TEMP[0], IN[0]\n IF TEMP[1].xxxx\n  BRK\n ENDIF\n"
       " ADD TEMP[0], TEMP[0], IMM[0].yyyy\nENDLOOP\nMOV OUT[0], TEMP[0]",
       0xffff);
   for (int l = 0; l < JIT_LANES; l++)
      expect_f("loop", l, io.out[0][0][l], A[l] <= 0 ? 0.0f : ceilf(A[l]));
   /* CONT skips the rest of one iteration */
   run("MOV TEMP[0], IMM[0].xxxx\nMOV TEMP[2], IMM[0].xxxx\nBGNLOOP\n ADD TEMP[0], TEMP[0], IMM[0].yyyy\n"
       " SLT TEMP[1], IMM[0].zzzz, TEMP[0]\n IF TEMP[1].xxxx\n  CONT\n ENDIF\n ADD TEMP[2], TEMP[2], IMM[0].yyyy\n"
       " SGE TEMP[3], TEMP[0], IMM[0].zzzz\n SGE TEMP[3], TEMP[0], IN[0].wwww\n ADD TEMP[4], TEMP[0], -IMM[0].zzzz\n"
       " SLT TEMP[5], IMM[0].zzzz, TEMP[4]\n IF TEMP[5].xxxx\n  BRK\n ENDIF\nENDLOOP\nMOV OUT[0], TEMP[2]",
       0xffff);
   for (int l = 0; l < JIT_LANES; l++)
      expect_f("cont", l, io.out[0][0][l], 2.0f); /* iterations 1 and 2 count, 3 and 4 continue, 5 breaks */
   /* an endless loop is bounded */
   run("BGNLOOP\n ADD TEMP[0], TEMP[0], IMM[0].yyyy\nENDLOOP\nMOV OUT[0], TEMP[0]", 0xffff);
   expect_f("bounded", 0, io.out[0][0][0], (float)JIT_MAX_LOOP_ITERS);
   /* KILL_IF removes lanes with a negative component */
   uint32_t alive = run("KILL_IF IN[0]\nMOV OUT[0], IN[1]", 0xffff);
   uint32_t want = 0;
   for (int l = 0; l < JIT_LANES; l++)
      if (!(A[l] < 0))
         want |= 1u << l;
   ck_assert_uint_eq(alive, want);
   alive = run("SLT TEMP[0], IN[0], IMM[0].xxxx\nIF TEMP[0].xxxx\n KILL\nENDIF", 0xffff);
   ck_assert_uint_eq(alive, want);
}
END_TEST

START_TEST(test_relative_addressing)
{
   float consts[16];
   for (int i = 0; i < 16; i++)
      consts[i] = (float)(i + 1);
   memset(&sctx, 0, sizeof(sctx));
   sctx.constants[0] = consts;
   sctx.num_constants[0] = 4;
   /* ADDR from F2I(IN[2]): C holds -2 .. 4: out-of-range lanes read 0 */
   run("ARL ADDR[0].x, IN[2].xxxx\nMOV OUT[0], CONST[0][ADDR[0].x+1]", 0xffff);
   for (int l = 0; l < JIT_LANES; l++) {
      int idx = (int)floorf(C[l]) + 1;
      float want = idx >= 0 && idx < 4 ? consts[idx * 4] : 0.0f;
      expect_f("indirect const", l, io.out[0][0][l], want);
   }
   run("MOV OUT[0], CONST[0][7]", 0xffff); /* past the bound buffer */
   expect_f("const oob", 0, io.out[0][0][0], 0.0f);
   sctx.constants[0] = NULL;
   run("MOV OUT[0], CONST[0][1]", 0xffff); /* unbound buffer */
   expect_f("const unbound", 0, io.out[0][0][0], 0.0f);
   memset(&sctx, 0, sizeof(sctx));
   /* indirect temp write out of range is dropped */
   run("ARL ADDR[0].x, IN[0].xxxx\nMOV TEMP[ADDR[0].x+3], IMM[0].yyyy\nMOV OUT[0], TEMP[3]", 0xffff);
   for (int l = 0; l < JIT_LANES; l++)
      expect_f("indirect temp", l, io.out[0][0][l], (int)floorf(A[l]) == 0 ? 1.0f : 0.0f);
}
END_TEST

START_TEST(test_derivatives)
{
   /* IN[0] = 3x + 5y per lane position */
   char text[] = "FRAG\nDCL IN[0], GENERIC[0]\nDCL OUT[0], COLOR\nDDX OUT[0].x, IN[0]\nDDY OUT[0].y, IN[0]\nEND\n";
   struct jit_shader *sh;
   char err[128];
   ck_assert_int_eq(jit_tgsi_parse(text, sizeof(text), PIPE_SHADER_FRAGMENT, &sh, err, sizeof(err)), 0);
   memset(&io, 0, sizeof(io));
   for (unsigned l = 0; l < JIT_LANES; l++)
      io.in[0][0][l] = io.in[0][1][l] = 3.0f * jit_lane_x(l) + 5.0f * jit_lane_y(l);
   jit_interp_run(sh, &sctx, &io, 0xffff);
   for (int l = 0; l < JIT_LANES; l++) {
      expect_f("ddx", l, io.out[0][0][l], 3.0f);
      expect_f("ddy", l, io.out[0][1][l], 5.0f);
   }
   jit_shader_free(sh);
}
END_TEST

int main(void)
{
   Suite *s = suite_create("jit_interp");
   TCase *tc = check_util_tcase(s, "opcodes");
   tcase_add_test(tc, test_float_ops);
   tcase_add_test(tc, test_int_ops);
   tcase_add_test(tc, test_modifiers_masks);
   tcase_add_test(tc, test_control_flow);
   tcase_add_test(tc, test_relative_addressing);
   tcase_add_test(tc, test_derivatives);
   return check_util_run(s);
}
