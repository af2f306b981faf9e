/* check_jit_interp.c: each interpreter opcode against C math over 16 lanes,
 * plus modifiers, write masks, per-lane control flow, KILL, bounded loops and
 * relative addressing; each one also run through the LLVM JIT, which must
 * give the interpreter's bits. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_util.h"
#include "jit/jit_diff.h"
#include "jit/jit_format.h"
#include "jit/jit_ir.h"
#include "jit/jit_llvm.h"

static struct jit_exec_io io;
static struct jit_stage_ctx sctx;

/* Every test here is also a differential test of the LLVM JIT (jit_diff.h). */
#define jit_tgsi_parse parse_and_compile
#define jit_interp_run run_both

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

/* The spacing of floats at |v| (normal range; the smallest normal's below it). */
static double float_ulp(double v)
{
   int e = v != 0.0 && isfinite(v) ? ilogb(v) : -126;
   return ldexp(1.0, (e < -126 ? -126 : e) - 23);
}

/* jit_math.h's SIN, COS, EX2, LG2 and POW through the interpreter (and, via
 * run(), the JIT, bit for bit) against double-precision libm: the accuracy
 * bounds that header documents. */
START_TEST(test_transcendental_accuracy)
{
   static const char *const ops[] = { "SIN", "COS", "EX2", "LG2", "POW" };
   float save_a[JIT_LANES], save_b[JIT_LANES]; /* the other tests' inputs (CK_FORK=no runs share them) */
   memcpy(save_a, A, sizeof(A));
   memcpy(save_b, B, sizeof(B));
   uint32_t seed = 77;
   for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
      char body[128];
      snprintf(body, sizeof(body), o == 4 ? "%s OUT[0], IN[0].xxxx, IN[1].xxxx" : "%s OUT[0], IN[0].xxxx", ops[o]);
      for (int round = 0; round < 400; round++) {
         for (int l = 0; l < JIT_LANES; l++) {
            seed = seed * 1664525u + 1013904223u;
            float u = (float)(seed >> 8) / 16777216.0f; /* [0, 1) */
            float scale = (round % 4 == 0) ? 1e4f : (round % 4 == 1) ? 100.0f : (round % 4 == 2) ? 4.0f : 0.01f;
            switch (o) {
            case 0: case 1: A[l] = (u * 2 - 1) * scale; break;
            case 2: A[l] = (u * 2 - 1) * 125.0f; break;
            case 3: A[l] = ldexpf(0.5f + u, (int)(seed % 250) - 125); break;
            default: A[l] = ldexpf(0.5f + u, (int)(seed % 20) - 10); B[l] = (u - 0.5f) * 8.0f; break;
            }
         }
         run(body, 0xffff);
         for (int l = 0; l < JIT_LANES; l++) {
            double a = A[l], got = io.out[0][0][l], want;
            switch (o) {
            case 0: want = sin(a); break;
            case 1: want = cos(a); break;
            case 2: want = exp2(a); break;
            case 3: want = log2(a); break;
            default: want = pow(a, (double)B[l]); break;
            }
            double err = fabs(got - want);
            /* SIN/COS 2e-7 absolute; LG2 2e-7 absolute near 1, 4 ulp elsewhere; EX2 4 ulp; POW 8 ulp
             * plus LG2's error at a carried through the multiply by b and EX2 */
            double ulp = float_ulp(want);
            double lg_err = fmax(2e-7, 4 * float_ulp(log2(a))); /* LG2's bound at a (SIN/COS: unused) */
            double bound = o < 2 ? 2e-7 : o == 2 ? 4 * ulp : o == 3 ? fmax(2e-7, 4 * ulp)
                                                  : 8 * ulp + fabs(want) * fabs((double)B[l]) * lg_err * 0.6931472;
            ck_assert_msg(err <= bound, "%s(%.9g%s%.9g) = %.9g, libm %.9g (error %.3g > %.3g)", ops[o], a,
                          o == 4 ? ", " : "", o == 4 ? (double)B[l] : 0.0, got, want, err, bound);
         }
      }
   }
   /* special values */
   const float in[8] = { 0.0f, -0.0f, INFINITY, -INFINITY, NAN, -1.0f, 1e-45f, 128.0f };
   for (int l = 0; l < JIT_LANES; l++)
      A[l] = in[l % 8];
   float e[JIT_LANES], g[JIT_LANES];
   run("EX2 OUT[0], IN[0].xxxx", 0xffff);
   memcpy(e, io.out[0][0], sizeof(e));
   run("LG2 OUT[0], IN[0].xxxx", 0xffff);
   memcpy(g, io.out[0][0], sizeof(g));
   ck_assert(e[0] == 1.0f && e[2] == INFINITY && e[3] == 0.0f && isnan(e[4]) && e[7] == INFINITY);
   ck_assert(g[0] == -INFINITY && g[2] == INFINITY && isnan(g[3]) && isnan(g[4]) && isnan(g[5]));
   ck_assert(g[6] == -149.0f && g[7] == 7.0f);
   /* POW keeps powf's special cases: b = 0, negative bases with integer exponents */
   const float pa[8] = { 0.0f, 0.0f, -2.0f, -2.0f, -2.0f, NAN, 4.0f, 0.0f };
   const float pb[8] = { 0.0f, 2.0f, 3.0f, 2.0f, 0.5f, 0.0f, -0.5f, -1.0f };
   for (int l = 0; l < JIT_LANES; l++) {
      A[l] = pa[l % 8];
      B[l] = pb[l % 8];
   }
   run("POW OUT[0], IN[0].xxxx, IN[1].xxxx", 0xffff);
   ck_assert(io.out[0][0][0] == 1.0f && io.out[0][0][1] == 0.0f && io.out[0][0][2] == -8.0f);
   ck_assert(io.out[0][0][3] == 4.0f && isnan(io.out[0][0][4]) && io.out[0][0][5] == 1.0f);
   ck_assert(io.out[0][0][6] == 0.5f && io.out[0][0][7] == INFINITY);
   for (int l = 0; l < JIT_LANES; l++)
      A[l] = in[l % 8];
   run("SIN OUT[0], IN[0].xxxx", 0xffff);
   ck_assert(io.out[0][0][0] == 0.0f && isnan(io.out[0][0][2]) && isnan(io.out[0][0][4]));
   memcpy(A, save_a, sizeof(A));
   memcpy(B, save_b, sizeof(B));
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

/* A 4x4 RGBA32F texture with 3 levels; texel (x, y) of level n = (x, y, n, 1). */
static float tex_mem[(16 + 4 + 1) * 4];

static void setup_texture(void)
{
   static const unsigned dim[3] = { 4, 2, 1 }, off[3] = { 0, 16, 20 };
   struct jit_texture *t = &sctx.textures[0];
   struct jit_sampler *s = &sctx.samplers[0];
   memset(&sctx, 0, sizeof(sctx));
   for (unsigned lv = 0; lv < 3; lv++)
      for (unsigned y = 0; y < dim[lv]; y++)
         for (unsigned x = 0; x < dim[lv]; x++) {
            float *p = &tex_mem[(off[lv] + y * dim[lv] + x) * 4];
            p[0] = (float)x;
            p[1] = (float)y;
            p[2] = (float)lv;
            p[3] = 1.0f;
         }
   t->data = (const uint8_t *)tex_mem;
   t->size = sizeof(tex_mem);
   t->format = JIT_FORMAT_R32G32B32A32_FLOAT;
   t->target = PIPE_TEXTURE_2D;
   t->width = t->height = 4;
   t->depth = 1;
   t->last_level = 2;
   for (unsigned lv = 0; lv < 3; lv++) {
      t->level_offset[lv] = off[lv] * 16;
      t->row_stride[lv] = dim[lv] * 16;
      t->img_stride[lv] = dim[lv] * dim[lv] * 16;
   }
   for (int i = 0; i < 4; i++)
      t->swizzle[i] = (uint8_t)i;
   s->normalized_coords = 1;
   s->min_img_filter = s->mag_img_filter = PIPE_TEX_FILTER_NEAREST;
   s->min_mip_filter = PIPE_TEX_MIPFILTER_NEAREST;
   s->max_lod = 10.0f;
}

/* Run body with IN[0] = (u, v, 0, w) per lane, SAMP[0]/SVIEW[0] declared. */
static void run_tex(const char *body, const float *u, const float *v, float w, float lodw)
{
   char text[2048];
   snprintf(text, sizeof(text),
            "FRAG\nDCL IN[0], GENERIC[0], PERSPECTIVE\nDCL OUT[0], COLOR\nDCL SAMP[0]\nDCL SVIEW[0], 2D, FLOAT\n"
            "DCL TEMP[0..1]\nIMM[0] INT32 { 1, 2, 0, 1 }\n%s\nEND\n", body);
   struct jit_shader *sh;
   char err[256];
   ck_assert_msg(jit_tgsi_parse(text, strlen(text), PIPE_SHADER_FRAGMENT, &sh, err, sizeof(err)) == 0, "%s", err);
   memset(&io, 0, sizeof(io));
   for (int l = 0; l < JIT_LANES; l++) {
      io.in[0][0][l] = u[l] * w;
      io.in[0][1][l] = v[l] * w;
      io.in[0][2][l] = 0.0f;
      io.in[0][3][l] = lodw != 0.0f ? lodw : w;
   }
   jit_interp_run(sh, &sctx, &io, 0xffff);
   jit_shader_free(sh);
}

START_TEST(test_texture)
{
   float u[JIT_LANES], v[JIT_LANES];
   setup_texture();
   /* texel centres of level 0: lane l reads texel (l % 4, l / 4); explicit LOD keeps level 0 */
   for (int l = 0; l < JIT_LANES; l++) {
      u[l] = ((float)(l % 4) + 0.5f) / 4.0f;
      v[l] = ((float)(l / 4) + 0.5f) / 4.0f;
   }
   run_tex("TXL OUT[0], IN[0], SAMP[0], 2D", u, v, 1.0f, -1.0f);
   for (int l = 0; l < JIT_LANES; l++) {
      expect_f("TXL x", l, io.out[0][0][l], (float)(l % 4));
      expect_f("TXL y", l, io.out[0][1][l], (float)(l / 4));
      expect_f("TXL lvl", l, io.out[0][2][l], 0.0f);
   }
   /* TXL with lod 1 reads level 1 */
   run_tex("TXL OUT[0], IN[0], SAMP[0], 2D", u, v, 1.0f, 1.0f);
   for (int l = 0; l < JIT_LANES; l++) {
      expect_f("TXL1 lvl", l, io.out[0][2][l], 1.0f);
      expect_f("TXL1 x", l, io.out[0][0][l], (float)((l % 4) / 2));
   }
   /* TEX in a fragment shader: neighbouring lanes step 1 texel -> LOD 0 */
   for (int l = 0; l < JIT_LANES; l++) {
      u[l] = ((float)jit_lane_x((unsigned)l) + 0.5f) / 4.0f;
      v[l] = ((float)jit_lane_y((unsigned)l) + 0.5f) / 4.0f;
   }
   run_tex("TEX OUT[0], IN[0], SAMP[0], 2D", u, v, 1.0f, 0.0f);
   for (int l = 0; l < JIT_LANES; l++) {
      expect_f("TEX x", l, io.out[0][0][l], (float)jit_lane_x((unsigned)l));
      expect_f("TEX lvl", l, io.out[0][2][l], 0.0f);
   }
   /* TXP divides by .w: coordinates were pre-multiplied by 4 */
   run_tex("TXP OUT[0], IN[0], SAMP[0], 2D", u, v, 4.0f, 0.0f);
   for (int l = 0; l < JIT_LANES; l++) {
      expect_f("TXP x", l, io.out[0][0][l], (float)jit_lane_x((unsigned)l));
      expect_f("TXP y", l, io.out[0][1][l], (float)jit_lane_y((unsigned)l));
      expect_f("TXP lvl", l, io.out[0][2][l], 0.0f);
   }
   /* TXB: bias 1 on LOD 0 reads level 1 */
   run_tex("TXB OUT[0], IN[0], SAMP[0], 2D", u, v, 1.0f, 1.0f);
   for (int l = 0; l < JIT_LANES; l++)
      expect_f("TXB lvl", l, io.out[0][2][l], 1.0f);
   /* TXF: integer texel (1, 2) of level 0, through SVIEW */
   run_tex("TXF OUT[0], IMM[0].xyzz, SVIEW[0], 2D", u, v, 1.0f, 0.0f);
   for (int l = 0; l < JIT_LANES; l++) {
      expect_f("TXF x", l, io.out[0][0][l], 1.0f);
      expect_f("TXF y", l, io.out[0][1][l], 2.0f);
   }
   /* TXQ: size of level 1 = 2x2, 3 levels */
   run_tex("TXQ OUT[0], IMM[0].xxxx, SAMP[0], 2D", u, v, 1.0f, 0.0f);
   ck_assert_uint_eq(outu(0, 5), 2);
   ck_assert_uint_eq(outu(1, 5), 2);
   ck_assert_uint_eq(outu(3, 5), 3);
   memset(&sctx, 0, sizeof(sctx));
}
END_TEST

START_TEST(test_sysvals)
{
   static const char text[] = "VERT\nDCL IN[0]\nDCL SV[0], VERTEXID\nDCL SV[1], INSTANCEID\nDCL OUT[0], POSITION\n"
                              "DCL OUT[1], GENERIC[0]\nUADD OUT[0].x, SV[0].xxxx, SV[1].xxxx\n"
                              "MOV OUT[0].y, SV[1].xxxx\nMOV OUT[1], IN[0]\nEND\n";
   struct jit_shader *sh;
   char err[256];
   ck_assert_msg(jit_tgsi_parse(text, sizeof(text), PIPE_SHADER_VERTEX, &sh, err, sizeof(err)) == 0, "%s", err);
   memset(&io, 0, sizeof(io));
   for (int l = 0; l < JIT_LANES; l++) {
      io.vertex_id[l] = (uint32_t)(100 + l);
      io.in[0][2][l] = (float)l;
   }
   io.instance_id = 7;
   ck_assert_uint_eq(jit_interp_run(sh, &sctx, &io, 0x7fff), 0x7fff);
   for (int l = 0; l < JIT_LANES - 1; l++) {
      ck_assert_uint_eq(outu(0, l), (uint32_t)(107 + l)); /* integers, not floats */
      ck_assert_uint_eq(outu(1, l), 7);
      expect_f("vs in", l, io.out[1][2][l], (float)l);
   }
   expect_f("inactive lane untouched", 15, io.out[1][2][15], 0.0f);
   jit_shader_free(sh);
   /* FACE is +1.0 / -1.0 in .x */
   static const char fs[] = "FRAG\nDCL IN[0], FACE, CONSTANT\nDCL SV[0], FACE\nDCL OUT[0], COLOR\n"
                            "MOV OUT[0], SV[0].xxxx\nEND\n";
   ck_assert_msg(jit_tgsi_parse(fs, sizeof(fs), PIPE_SHADER_FRAGMENT, &sh, err, sizeof(err)) == 0, "%s", err);
   memset(&io, 0, sizeof(io));
   io.front_facing = 0;
   jit_interp_run(sh, &sctx, &io, 0xffff);
   expect_f("back face", 3, io.out[0][0][3], -1.0f);
   io.front_facing = 1;
   jit_interp_run(sh, &sctx, &io, 0xffff);
   expect_f("front face", 3, io.out[0][0][3], 1.0f);
   jit_shader_free(sh);
}
END_TEST

START_TEST(test_special_values)
{
   /* IN[0] lanes 0..3 = NaN, +inf, -inf, 3e9 */
   static const char text[] = "FRAG\nDCL IN[0], GENERIC[0]\nDCL OUT[0..3], GENERIC[0]\nIMM[0] INT32 { 0, 33, -2147483648, -1 }\n"
                              "F2I OUT[0].x, IN[0]\nF2U OUT[0].y, IN[0]\nMOV_SAT OUT[0].z, IN[0]\n"
                              "IDIV OUT[1].x, IMM[0].yyyy, IMM[0].xxxx\nUDIV OUT[1].y, IMM[0].yyyy, IMM[0].xxxx\n"
                              "IDIV OUT[1].z, IMM[0].zzzz, IMM[0].wwww\nSHL OUT[1].w, IMM[0].wwww, IMM[0].yyyy\n"
                              "UMOD OUT[2].x, IMM[0].yyyy, IMM[0].xxxx\nRCP OUT[2].y, IMM[0].xxxx\n"
                              "INEG OUT[2].z, IMM[0].zzzz\nIABS OUT[2].w, IMM[0].wwww\nEND\n";
   struct jit_shader *sh;
   char err[256];
   ck_assert_msg(jit_tgsi_parse(text, sizeof(text), PIPE_SHADER_FRAGMENT, &sh, err, sizeof(err)) == 0, "%s", err);
   memset(&io, 0, sizeof(io));
   const float v[4] = { NAN, INFINITY, -INFINITY, 3e9f };
   for (int l = 0; l < 4; l++)
      for (int c = 0; c < 4; c++)
         io.in[0][c][l] = v[l];
   jit_interp_run(sh, &sctx, &io, 0xf);
   const uint32_t f2i[4] = { 0, 0x7fffffffu, 0x80000000u, 0x7fffffffu };
   const uint32_t f2u[4] = { 0, 0xffffffffu, 0, 3000000000u };
   const float satv[4] = { 0.0f, 1.0f, 0.0f, 1.0f };
   for (int l = 0; l < 4; l++) {
      ck_assert_msg(outu(0, l) == f2i[l], "F2I lane %d: %08x", l, outu(0, l));
      uint32_t u;
      memcpy(&u, &io.out[0][1][l], 4);
      ck_assert_msg(u == f2u[l], "F2U lane %d: %08x", l, u);
      expect_f("sat", l, io.out[0][2][l], satv[l]);
   }
   uint32_t u[4];
   memcpy(u, &io.out[1][0][0], 4);
   ck_assert_uint_eq(u[0], 0); /* IDIV by 0 */
   memcpy(u, &io.out[1][1][0], 4);
   ck_assert_uint_eq(u[0], 0xffffffffu); /* UDIV by 0 */
   memcpy(u, &io.out[1][2][0], 4);
   ck_assert_uint_eq(u[0], 0x80000000u); /* INT_MIN / -1 */
   memcpy(u, &io.out[1][3][0], 4);
   ck_assert_uint_eq(u[0], 0xfffffffeu); /* shift count 33 -> 1 */
   memcpy(u, &io.out[2][0][0], 4);
   ck_assert_uint_eq(u[0], 0xffffffffu); /* UMOD by 0 */
   ck_assert(isinf(io.out[2][1][0]) && io.out[2][1][0] > 0); /* RCP(0) = +inf */
   memcpy(u, &io.out[2][2][0], 4);
   ck_assert_uint_eq(u[0], 0x80000000u); /* INEG INT_MIN wraps */
   memcpy(u, &io.out[2][3][0], 4);
   ck_assert_uint_eq(u[0], 1);
   jit_shader_free(sh);
}
END_TEST

START_TEST(test_nested_flow_many_temps)
{
   /* nested loops: the inner BRK leaves only the inner loop (2 iterations per outer one);
    * the outer loop runs max(1, ceil(B)) times per lane */
   run("MOV TEMP[0], IMM[0].xxxx\nBGNLOOP\n"
       " MOV TEMP[2], IMM[0].xxxx\n BGNLOOP\n  ADD TEMP[2], TEMP[2], IMM[0].yyyy\n  ADD TEMP[3], TEMP[3], IMM[0].yyyy\n"
       "  SGE TEMP[4], TEMP[2], IMM[0].zzzz\n"
       "  IF TEMP[4].xxxx\n   BRK\n  ENDIF\n ENDLOOP\n"
       " ADD TEMP[0], TEMP[0], IMM[0].yyyy\n SGE TEMP[5], TEMP[0], IN[1].xxxx\n IF TEMP[5].xxxx\n  BRK\n ENDIF\n"
       "ENDLOOP\nMOV OUT[0].x, TEMP[0]\nMOV OUT[0].y, TEMP[3]",
       0xffff);
   for (int l = 0; l < JIT_LANES; l++) {
      float outer = B[l] <= 1.0f ? 1.0f : ceilf(B[l]);
      expect_f("outer", l, io.out[0][0][l], outer);
      expect_f("inner", l, io.out[0][1][l], 2.0f * outer);
   }
   /* a large temp file through the heap path and an indirect store inside it */
   char text[1024];
   snprintf(text, sizeof(text), "FRAG\nDCL IN[0], GENERIC[0]\nDCL OUT[0], COLOR\nDCL TEMP[0..99]\nDCL ADDR[0]\n"
                                "IMM[0] FLT32 { 97.0, 1.0, 0.0, 0.0 }\nARL ADDR[0].x, IMM[0].xxxx\n"
                                "MOV TEMP[ADDR[0].x+2], IN[0]\nADD OUT[0], TEMP[99], IMM[0].yyyy\nEND\n");
   struct jit_shader *sh;
   char err[256];
   ck_assert_msg(jit_tgsi_parse(text, strlen(text), PIPE_SHADER_FRAGMENT, &sh, err, sizeof(err)) == 0, "%s", err);
   memset(&io, 0, sizeof(io));
   for (int l = 0; l < JIT_LANES; l++)
      io.in[0][0][l] = A[l];
   jit_interp_run(sh, &sctx, &io, 0xffff);
   for (int l = 0; l < JIT_LANES; l++)
      expect_f("temp 99", l, io.out[0][0][l], A[l] + 1.0f);
   jit_shader_free(sh);
}
END_TEST

START_TEST(test_shadow)
{
   /* Z32_FLOAT, 4 texels wide, 2 layers: layer 0 = 0.25, layer 1 = 0.75. Compare ref LEQUAL z. */
   static float zmem[8] = { 0.25f, 0.25f, 0.25f, 0.25f, 0.75f, 0.75f, 0.75f, 0.75f };
   struct jit_texture *t = &sctx.textures[0];
   struct jit_sampler *sm = &sctx.samplers[0];
   memset(&sctx, 0, sizeof(sctx));
   t->data = (const uint8_t *)zmem;
   t->size = sizeof(zmem);
   t->format = JIT_FORMAT_Z32_FLOAT;
   t->target = PIPE_TEXTURE_1D_ARRAY;
   t->width = 4;
   t->height = t->depth = 1;
   t->last_layer = 1;
   t->row_stride[0] = 16;
   t->img_stride[0] = 16;
   for (int i = 0; i < 4; i++)
      t->swizzle[i] = (uint8_t)i;
   sm->normalized_coords = 1;
   sm->compare_mode = 1;
   sm->compare_func = PIPE_FUNC_LEQUAL;
   sm->max_lod = 10.0f;
   /* IN[0] = (0.5, layer, ref, 0): layer = lane & 1, ref = 0.5 -> pass only on layer 1 */
   static const char text[] = "FRAG\nDCL IN[0], GENERIC[0]\nDCL OUT[0], COLOR\nDCL SAMP[0]\n"
                              "TXL OUT[0], IN[0], SAMP[0], SHADOW1D_ARRAY\nEND\n";
   struct jit_shader *sh;
   char err[256];
   ck_assert_msg(jit_tgsi_parse(text, sizeof(text), PIPE_SHADER_FRAGMENT, &sh, err, sizeof(err)) == 0, "%s", err);
   memset(&io, 0, sizeof(io));
   for (int l = 0; l < JIT_LANES; l++) {
      io.in[0][0][l] = 0.5f;
      io.in[0][1][l] = (float)(l & 1);
      io.in[0][2][l] = 0.5f;
      io.in[0][3][l] = 0.0f;
   }
   jit_interp_run(sh, &sctx, &io, 0xffff);
   for (int l = 0; l < JIT_LANES; l++)
      expect_f("shadow 1D array", l, io.out[0][0][l], (l & 1) ? 1.0f : 0.0f);
   jit_shader_free(sh);
   /* SHADOW2D over a 2x2 view of the same memory: ref in .z, texel (0,0)=0.25, (0,1)=0.25 */
   static const char text2[] = "FRAG\nDCL IN[0], GENERIC[0]\nDCL OUT[0], COLOR\nDCL SAMP[0]\n"
                               "TXL OUT[0], IN[0], SAMP[0], SHADOW2D\nEND\n";
   t->target = PIPE_TEXTURE_2D;
   t->width = t->height = 2;
   t->last_layer = 0;
   t->row_stride[0] = 8;
   ck_assert_msg(jit_tgsi_parse(text2, sizeof(text2), PIPE_SHADER_FRAGMENT, &sh, err, sizeof(err)) == 0, "%s", err);
   for (int l = 0; l < JIT_LANES; l++) {
      io.in[0][0][l] = 0.25f;
      io.in[0][1][l] = 0.25f;
      io.in[0][2][l] = (l & 1) ? 0.1f : 0.9f;
      io.in[0][3][l] = 0.0f;
   }
   jit_interp_run(sh, &sctx, &io, 0xffff);
   for (int l = 0; l < JIT_LANES; l++)
      expect_f("shadow 2D", l, io.out[0][0][l], (l & 1) ? 1.0f : 0.0f);
   jit_shader_free(sh);
   memset(&sctx, 0, sizeof(sctx));
}
END_TEST

int main(void)
{
   jit_mode_set(JIT_MODE_SYNC); /* every run compares against compiled code */
   Suite *s = suite_create("jit_interp");
   TCase *tc = check_util_tcase(s, "opcodes");
   tcase_add_test(tc, test_float_ops);
   tcase_add_test(tc, test_transcendental_accuracy);
   tcase_add_test(tc, test_int_ops);
   tcase_add_test(tc, test_modifiers_masks);
   tcase_add_test(tc, test_control_flow);
   tcase_add_test(tc, test_relative_addressing);
   tcase_add_test(tc, test_derivatives);
   tcase_add_test(tc, test_texture);
   tcase_add_test(tc, test_shadow);
   tcase_add_test(tc, test_sysvals);
   tcase_add_test(tc, test_special_values);
   tcase_add_test(tc, test_nested_flow_many_temps);
   return check_util_run(s);
}
