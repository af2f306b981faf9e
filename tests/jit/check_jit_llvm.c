/* check_jit_llvm.c: the LLVM JIT (src/jit/jit_llvm.c, jit_cache.c): many
 * randomly generated shaders (float, integer and compare ops, modifiers,
 * saturation, write masks, IF/ELSE, loops with BRK/CONT, KILL_IF, relative
 * addressing) run through the compiled code and the interpreter on random
 * inputs with random lane masks, which must agree bit for bit; then the code
 * cache: hits across identical texts, the memory budget and eviction (never
 * of pinned code), the modes, and shaders left to the interpreter. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_util.h"
#include "jit/jit_diff.h"

static struct jit_exec_io io;
static struct jit_stage_ctx sctx;
static float consts[8][4];

static uint32_t rng_state;
static uint32_t rnd(void)
{
   rng_state = rng_state * 1664525u + 1013904223u;
   return rng_state >> 8;
}

/* Inputs: ordinary values plus the ones that tell implementations apart. */
static float rnd_value(void)
{
   static const float special[] = { 0.0f, 1.0f, -1.0f, 0.5f, 2.0f, 1e-3f, -1e-3f, 1e30f, -1e30f, 3.0f,
                                     100.0f, -0.25f, 0.75f, 16777216.0f, 4294967296.0f, -2147483648.0f };
   if (rnd() % 4 == 0)
      return special[rnd() % (sizeof(special) / sizeof(special[0]))];
   return ((float)(rnd() % 20001) - 10000.0f) / 997.0f;
}

static const char *const float_ops3[] = { "MAD", "LRP", "CMP", "FMA" };
static const char *const float_ops2[] = { "ADD", "MUL", "MIN", "MAX", "SLT", "SGE", "SEQ", "SNE", "DP3", "DP4",
                                          "DP2", "DPH", "POW", "DIV", "XPD", "DST", "FSLT", "FSGE", "FSEQ", "FSNE" };
static const char *const float_ops1[] = { "MOV", "RCP", "RSQ", "SQRT", "EX2", "LG2", "FRC", "FLR", "CEIL", "TRUNC",
                                          "ROUND", "SSG", "ABS", "SIN", "COS", "EXP", "LOG", "LIT", "SCS",
                                          "DDX", "DDY", "F2I", "F2U", "ARL" };
static const char *const int_ops2[] = { "UADD", "UMUL", "IMUL_HI", "UMUL_HI", "UDIV", "IDIV", "UMOD", "MOD", "AND",
                                        "OR", "XOR", "SHL", "USHR", "ISHR", "IMAX", "IMIN", "UMAX", "UMIN", "USEQ",
                                        "USNE", "ISLT", "ISGE", "USLT", "USGE" };
static const char *const int_ops1[] = { "NOT", "INEG", "IABS", "ISSG", "I2F", "U2F", "UARL" };

static void put_src(char **p, int allow_mod)
{
   static const char sw[] = "xyzw";
   int kind = (int)(rnd() % 10);
   const char *neg = allow_mod && rnd() % 5 == 0 ? "-" : "";
   int absv = allow_mod && rnd() % 7 == 0;
   char reg[48];
   if (kind < 4)
      snprintf(reg, sizeof(reg), "TEMP[%u]", rnd() % 6);
   else if (kind < 7)
      snprintf(reg, sizeof(reg), "IN[%u]", rnd() % 3);
   else if (kind < 8)
      snprintf(reg, sizeof(reg), "IMM[%u]", rnd() % 2);
   else if (kind < 9)
      snprintf(reg, sizeof(reg), "CONST[0][%u]", rnd() % 10); /* 8 bound: 8, 9 read 0 */
   else
      snprintf(reg, sizeof(reg), "CONST[0][ADDR[0].x+%u]", rnd() % 4);
   *p += sprintf(*p, "%s%s%s.%c%c%c%c%s", neg, absv ? "|" : "", reg, sw[rnd() % 4], sw[rnd() % 4],
                 sw[rnd() % 4], sw[rnd() % 4], absv ? "|" : ""); /* TGSI puts the swizzle inside |...| */
}

static void put_dst(char **p, int sat_ok)
{
   static const char *const masks[] = { "", ".x", ".y", ".xy", ".zw", ".xyz", ".w", ".yzw" };
   int out = rnd() % 6 == 0;
   *p += sprintf(*p, "%s %s[%u]%s", sat_ok && rnd() % 4 == 0 ? "_SAT" : "", out ? "OUT" : "TEMP",
                 out ? 0 : rnd() % 5, masks[rnd() % 8]); /* TEMP[5] is the loop counter */
}

static void put_alu(char **p)
{
   unsigned pick = rnd() % 100;
   const char *op;
   int nsrc, is_int = 0;
   if (pick < 15) {
      op = float_ops3[rnd() % 4];
      nsrc = 3;
   } else if (pick < 50) {
      op = float_ops2[rnd() % 20];
      nsrc = 2;
   } else if (pick < 75) {
      op = float_ops1[rnd() % 24];
      nsrc = 1;
   } else if (pick < 92) {
      op = int_ops2[rnd() % 24];
      nsrc = 2;
      is_int = 1;
   } else {
      op = int_ops1[rnd() % 7];
      nsrc = 1;
      is_int = 1;
   }
   if (!strcmp(op, "ARL") || !strcmp(op, "UARL")) {
      *p += sprintf(*p, "%s ADDR[0].x, ", op);
      put_src(p, !is_int);
      *p += sprintf(*p, "\n");
      return;
   }
   *p += sprintf(*p, "%s", op);
   put_dst(p, !is_int);
   for (int i = 0; i < nsrc; i++) {
      *p += sprintf(*p, ", ");
      put_src(p, 1);
   }
   *p += sprintf(*p, "\n");
}

/* A random fragment shader: straight code with nested IF/ELSE and loops. */
static void make_shader(char *text)
{
   char *p = text;
   p += sprintf(p, "FRAG\nDCL IN[0..2], GENERIC[0], PERSPECTIVE\nDCL OUT[0], COLOR\nDCL TEMP[0..5]\nDCL ADDR[0]\n"
                   "DCL CONST[0][0..9]\nIMM[0] FLT32 { 0.5, 1.0, -2.0, 3.0 }\nIMM[1] UINT32 { 1, 7, 4294967295, 2 }\n");
   int depth = 0, loops = 0, n = 8 + (int)(rnd() % 24);
   char stack[16];
   for (int i = 0; i < n; i++) {
      unsigned k = rnd() % 20;
      if (k == 0 && depth < 4) {
         p += sprintf(p, "%s ", rnd() % 2 ? "IF" : "UIF");
         put_src(&p, 1);
         p += sprintf(p, "\n");
         stack[depth++] = 'i';
      } else if (k == 1 && depth && stack[depth - 1] == 'i') {
         p += sprintf(p, "ELSE\n");
         stack[depth - 1] = 'e';
      } else if (k == 2 && depth && stack[depth - 1] != 'l') {
         p += sprintf(p, "ENDIF\n");
         depth--;
      } else if (k == 3 && depth < 4 && loops < 2) {
         /* a loop with a counter in TEMP[5].w, so it always ends */
         p += sprintf(p, "MOV TEMP[5].w, IMM[0].xxxx\nBGNLOOP\nADD TEMP[5].w, TEMP[5].wwww, IMM[0].yyyy\n"
                         "SGE TEMP[5].z, TEMP[5].wwww, IMM[0].wwww\nIF TEMP[5].zzzz\nBRK\nENDIF\n");
         stack[depth++] = 'l';
         loops++;
      } else if (k == 4 && depth && stack[depth - 1] == 'l') {
         p += sprintf(p, "ENDLOOP\n");
         depth--;
      } else if (k == 5 && depth && stack[depth - 1] == 'l') {
         p += sprintf(p, "IF ");
         put_src(&p, 1);
         p += sprintf(p, "\n%s\nENDIF\n", rnd() % 2 ? "BRK" : "CONT");
      } else if (k == 6) {
         p += sprintf(p, "KILL_IF ");
         put_src(&p, 1);
         p += sprintf(p, "\n");
      } else {
         put_alu(&p);
      }
   }
   while (depth--)
      p += sprintf(p, "%s\n", stack[depth] == 'l' ? "ENDLOOP" : "ENDIF");
   p += sprintf(p, "MOV OUT[0].xy, TEMP[0]\nMOV OUT[0].zw, TEMP[1]\nEND\n");
}

START_TEST(test_random_shaders)
{
   rng_state = 12345u + (uint32_t)_i;
   sctx.constants[0] = &consts[0][0];
   sctx.num_constants[0] = 8;
   static char text[16384];
   int compared = 0;
   for (int iter = 0; iter < 60; iter++) {
      make_shader(text);
      struct jit_shader *sh;
      char err[256];
      ck_assert_msg(parse_and_compile(text, strlen(text), PIPE_SHADER_FRAGMENT, &sh, err, sizeof(err)) == 0,
                    "%s\n%s", err, text);
      for (int run = 0; run < 3; run++) {
         for (int r = 0; r < 8; r++)
            for (int c = 0; c < 4; c++)
               consts[r][c] = rnd_value();
         memset(&io, 0, sizeof(io));
         for (int i = 0; i < 3; i++)
            for (int c = 0; c < 4; c++)
               for (int l = 0; l < JIT_LANES; l++)
                  io.in[i][c][l] = rnd_value();
         uint32_t mask = run == 0 ? 0xffff : rnd() & 0xffff;
         run_both(sh, &sctx, &io, mask);
         compared++;
      }
      jit_shader_free(sh);
   }
   ck_assert_int_eq(compared, 180);
}
END_TEST

static const char simple_fs[] = "FRAG\nDCL IN[0], GENERIC[0], LINEAR\nDCL OUT[0], COLOR\n"
                                "IMM[0] FLT32 { %d.0, 1.0, 0.0, 0.0 }\nADD OUT[0], IN[0], IMM[0]\nEND\n";

static struct jit_code *get_simple(int k, char *buf, size_t n)
{
   snprintf(buf, n, simple_fs, k);
   return jit_code_get(buf, strlen(buf), PIPE_SHADER_FRAGMENT);
}

START_TEST(test_cache_hits_and_eviction)
{
   char t[512];
   struct jit_cache_stats s0, s1;
   jit_cache_stats_get(&s0);
   struct jit_code *a = get_simple(1, t, sizeof(t));
   struct jit_code *a2 = get_simple(1, t, sizeof(t)); /* the same text: the same entry */
   struct jit_code *b = get_simple(2, t, sizeof(t));
   ck_assert_ptr_nonnull(a);
   ck_assert_ptr_eq(a, a2);
   ck_assert_ptr_ne(a, b);
   jit_shader_func fa = jit_code_acquire(a), fb = jit_code_acquire(b);
   ck_assert_ptr_nonnull(fa);
   ck_assert_ptr_nonnull(fb);
   jit_code_release(b);
   jit_cache_stats_get(&s1);
   ck_assert_uint_eq(s1.lookups - s0.lookups, 3);
   ck_assert_uint_eq(s1.hits - s0.hits, 1);
   ck_assert_uint_eq(s1.compiles - s0.compiles, 2);
   ck_assert_uint_gt(s1.resident_bytes, 0);
   ck_assert_uint_le(s1.compile_ns_median, s1.compile_ns_max);

   /* a 1-byte budget evicts b at once, never the pinned a */
   jit_cache_set_budget(1);
   jit_cache_stats_get(&s1);
   ck_assert_uint_ge(s1.evictions - s0.evictions, 1);
   memset(&io, 0, sizeof(io));
   io.in[0][0][3] = 5.0f;
   ck_assert_uint_eq(fa(&sctx, &io, 0xffff), 0xffff); /* still runs: pinned */
   ck_assert(io.out[0][0][3] == 6.0f);
   jit_code_release(a);
   jit_cache_set_budget(1);
   jit_cache_stats_get(&s1);
   ck_assert_uint_eq(s1.resident_bytes, 0);
   /* an evicted entry compiles again on its next use */
   jit_cache_set_budget((size_t)64 << 20);
   fa = jit_code_acquire(a);
   ck_assert_ptr_nonnull(fa);
   memset(&io, 0, sizeof(io));
   io.in[0][1][0] = 2.0f;
   fa(&sctx, &io, 1);
   ck_assert(io.out[0][1][0] == 3.0f);
   jit_code_release(a);
   jit_code_unref(a);
   jit_code_unref(a2);
   jit_code_unref(b);
}
END_TEST

START_TEST(test_modes)
{
   char t[512];
   jit_mode_set(JIT_MODE_OFF);
   ck_assert_ptr_null(get_simple(10, t, sizeof(t)));
   jit_mode_set(JIT_MODE_ASYNC);
   struct jit_code *c = get_simple(11, t, sizeof(t));
   ck_assert_ptr_nonnull(c);
   jit_shader_func f = jit_code_acquire(c); /* may or may not be ready: never waits */
   if (f)
      jit_code_release(c);
   jit_cache_wait_idle();
   f = jit_code_acquire(c);
   ck_assert_ptr_nonnull(f);
   jit_code_release(c);
   jit_code_unref(c);
   jit_mode_set(JIT_MODE_SYNC);
}
END_TEST

START_TEST(test_late_switch)
{
   /* a draw that starts while its code compiles picks it up when it is ready, pins it, and lets go at the end */
   char t[512];
   struct jit_late l;
   struct jit_cache_stats s0, s1;
   jit_mode_set(JIT_MODE_ASYNC);
   jit_cache_stats_get(&s0);
   struct jit_code *c = get_simple(21, t, sizeof(t));
   ck_assert_ptr_nonnull(c);
   jit_shader_func f = jit_code_acquire(c);
   if (f) { /* compiled already (fast machine): evict it so the draw has to wait */
      jit_code_release(c);
      jit_cache_set_budget(1);
      jit_cache_set_budget((size_t)64 << 20);
      f = jit_code_acquire(c); /* queues it again */
      if (f)
         jit_code_release(c);
   }
   struct jit_late *lp = jit_late_init(&l, c);
   ck_assert_ptr_nonnull(lp);
   jit_cache_wait_idle();
   jit_shader_func g = (jit_shader_func)jit_late_poll(lp);
   ck_assert_ptr_nonnull(g);
   ck_assert_ptr_eq((void *)(jit_shader_func)jit_late_poll(lp), (void *)g); /* pinned once, then the same */
   /* pinned: a 1-byte budget cannot evict it while the draw runs */
   jit_cache_set_budget(1);
   memset(&io, 0, sizeof(io));
   io.in[0][0][0] = 1.0f;
   ck_assert_uint_eq(g(&sctx, &io, 1), 1);
   ck_assert(io.out[0][0][0] == 22.0f);
   jit_late_finish(lp);
   jit_cache_set_budget(1); /* released: now it goes */
   jit_cache_stats_get(&s1);
   ck_assert_uint_ge(s1.late_switches - s0.late_switches, 1);
   ck_assert_uint_ge(s1.evictions - s0.evictions, 1);
   jit_cache_set_budget((size_t)64 << 20);
   /* nothing to wait for: no entry, or not async */
   ck_assert_ptr_null(jit_late_init(&l, NULL));
   jit_mode_set(JIT_MODE_SYNC);
   ck_assert_ptr_null(jit_late_init(&l, c));
   jit_code_unref(c);
}
END_TEST

START_TEST(test_left_to_interpreter)
{
   /* more instructions than the JIT compiles: the entry exists, acquire gives NULL, the interpreter runs it */
   size_t cap = 64 + 5000 * 32;
   char *text = malloc(cap), *p = text;
   p += sprintf(p, "FRAG\nDCL IN[0], GENERIC[0], LINEAR\nDCL OUT[0], COLOR\nDCL TEMP[0]\n");
   for (int i = 0; i < 5000; i++)
      p += sprintf(p, "ADD TEMP[0], TEMP[0], IN[0]\n");
   sprintf(p, "MOV OUT[0], TEMP[0]\nEND\n");
   struct jit_cache_stats s0, s1;
   jit_cache_stats_get(&s0);
   struct jit_code *c = jit_code_get(text, strlen(text), PIPE_SHADER_FRAGMENT);
   ck_assert_ptr_nonnull(c);
   ck_assert_ptr_null(jit_code_acquire(c));
   jit_cache_stats_get(&s1);
   ck_assert_uint_eq(s1.failures - s0.failures, 1);
   ck_assert_uint_eq(s1.interp_draws - s0.interp_draws, 1);
   jit_code_unref(c);
   free(text);
}
END_TEST

int main(void)
{
   jit_mode_set(JIT_MODE_SYNC);
   Suite *s = suite_create("jit_llvm");
   TCase *tc = check_util_tcase(s, "differential");
   tcase_add_loop_test(tc, test_random_shaders, 0, 5);
   tc = check_util_tcase(s, "cache");
   tcase_add_test(tc, test_cache_hits_and_eviction);
   tcase_add_test(tc, test_modes);
   tcase_add_test(tc, test_late_switch);
   tcase_add_test(tc, test_left_to_interpreter);
   return check_util_run(s);
}
