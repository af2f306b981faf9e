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
#include <time.h>

#include "check_util.h"
#include "jit/jit_diff.h"
#include "jit/jit_format.h"
#include "jit/jit_tex.h"

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

/* ---- texture sampling: the inline sampler (jit_llvm_tex.c) and its fallback against jit_tex.c ---- */

static const uint32_t inline_formats[] = {
   JIT_FORMAT_R8G8B8A8_UNORM, JIT_FORMAT_B8G8R8A8_UNORM, JIT_FORMAT_B8G8R8X8_UNORM, JIT_FORMAT_A8R8G8B8_UNORM,
   JIT_FORMAT_X8R8G8B8_UNORM, JIT_FORMAT_A8B8G8R8_UNORM, JIT_FORMAT_X8B8G8R8_UNORM, JIT_FORMAT_R8G8B8X8_UNORM,
   JIT_FORMAT_R8G8B8A8_SRGB, JIT_FORMAT_B8G8R8A8_SRGB, JIT_FORMAT_B8G8R8X8_SRGB, JIT_FORMAT_A8R8G8B8_SRGB,
   JIT_FORMAT_X8R8G8B8_SRGB, JIT_FORMAT_A8B8G8R8_SRGB, JIT_FORMAT_X8B8G8R8_SRGB, JIT_FORMAT_R8G8B8X8_SRGB,
};

struct tex_case {
   uint32_t w, h;               /* level 0 */
   uint32_t levels;             /* in the layout */
   uint32_t row_pad;            /* bytes added to each row */
   size_t layout_bytes;         /* what the layout claims */
   uint8_t *mem;                /* exactly jit_texture.size bytes (valgrind sees any read past it) */
};

static float pick_special(void)
{
   static const float sp[] = { NAN, INFINITY, -INFINITY, 1e30f, -1e30f, 1e10f, -0.0f, 0.0f, 1.0f, -1.0f,
                               16777216.0f, 2147483648.0f, 0.5f, 2.0f, -3.5f, 1e-30f };
   return sp[rnd() % (sizeof(sp) / sizeof(sp[0]))];
}

/* A 2D texture with a mip chain of random texels; size_frac < 1 makes
 * jit_texture.size smaller than the layout (a lying guest). */
static void tex_make(struct tex_case *tc, struct jit_texture *t, uint32_t format, uint32_t bpp, double size_frac)
{
   size_t off = 0;
   memset(t, 0, sizeof(*t));
   for (uint32_t l = 0; l < tc->levels; l++) {
      uint32_t lw = tc->w >> l ? tc->w >> l : 1, lh = tc->h >> l ? tc->h >> l : 1;
      t->level_offset[l] = (uint32_t)off;
      t->row_stride[l] = lw * bpp + tc->row_pad;
      t->img_stride[l] = t->row_stride[l] * lh;
      off += t->img_stride[l];
   }
   tc->layout_bytes = off;
   size_t size = (size_t)((double)off * size_frac);
   if (size_frac < 1.0 && rnd() % 4 == 0)
      size = rnd() % 6; /* almost nothing */
   tc->mem = malloc(size ? size : 1);
   ck_assert_ptr_nonnull(tc->mem);
   for (size_t i = 0; i < size; i++)
      tc->mem[i] = (uint8_t)rnd();
   t->data = tc->mem;
   t->size = size;
   t->format = format;
   t->target = PIPE_TEXTURE_2D;
   t->width = tc->w;
   t->height = tc->h;
   t->depth = 1;
   t->first_level = 0;
   t->last_level = tc->levels - 1;
   for (int i = 0; i < 4; i++)
      t->swizzle[i] = (uint8_t)i;
}

/* Coordinates of one stamp: per quad a base and a footprint giving LODs
 * from about -4 to 10, some lanes replaced by special values. c[0..3] =
 * IN[0].xyzw; w is the TXP divisor or the LOD / bias. */
static void tex_coords(float c[4][JIT_LANES], uint32_t w, uint32_t h, int unnorm, unsigned op)
{
   for (int q = 0; q < 4; q++) {
      float bu = ((float)(rnd() % 4001) - 1500.0f) / 1000.0f, bv = ((float)(rnd() % 4001) - 1500.0f) / 1000.0f;
      float step = ldexpf(1.0f, (int)(rnd() % 15) - 4) / (float)(w > h ? w : h);
      float ang = (float)(rnd() % 628) / 100.0f;
      float dux = step * cosf(ang), dvx = step * sinf(ang), duy = -dvx * 0.75f, dvy = dux * 1.25f;
      float lodw = ((float)(rnd() % 1401) - 300.0f) / 100.0f;
      if (rnd() % 3 == 0)
         lodw = (float)((int)(rnd() % 8) - 1); /* whole LODs: exact level hits */
      for (int k = 0; k < 4; k++) {
         int l = q * 4 + k;
         float x = (float)jit_lane_x((unsigned)l), y = (float)jit_lane_y((unsigned)l);
         c[0][l] = bu + x * dux + y * duy;
         c[1][l] = bv + x * dvx + y * dvy;
         if (rnd() % 5 == 0) { /* texel centres and edges */
            c[0][l] = (float)((int)(rnd() % (2 * w + 5)) - 2) / (float)(2 * w);
            c[1][l] = (float)((int)(rnd() % (2 * h + 5)) - 2) / (float)(2 * h);
         }
         if (unnorm) {
            c[0][l] *= (float)w;
            c[1][l] *= (float)h;
         }
         c[2][l] = 0.0f;
         c[3][l] = op == JIT_OP_TXP ? 1.0f + (float)(rnd() % 3) * 0.5f : lodw;
         if (op == JIT_OP_TXP) {
            c[0][l] *= c[3][l];
            c[1][l] *= c[3][l];
         }
         for (int ch = 0; ch < 4; ch++)
            if (rnd() % 24 == 0)
               c[ch][l] = pick_special();
      }
   }
}

static const char *const tex_ops[] = { "TEX", "TXP", "TXB", "TXL" };
static const unsigned tex_opcodes[] = { JIT_OP_TEX, JIT_OP_TXP, JIT_OP_TXB, JIT_OP_TXL };

/* The shader of one texture op: fragment, fragment under IF (lanes masked
 * inside), or vertex (no derivatives). */
static struct jit_shader *tex_shader(unsigned op, const char *target, int kind)
{
   char text[1024];
   if (kind == 2)
      snprintf(text, sizeof(text),
               "VERT\nDCL IN[0]\nDCL IN[1]\nDCL OUT[0], POSITION\nDCL OUT[1], GENERIC[0]\nDCL SAMP[0]\n"
               "DCL SVIEW[0], %s, FLOAT\n%s OUT[1], IN[0], SAMP[0], %s\nMOV OUT[0], IN[1]\nEND\n",
               target, tex_ops[op], target);
   else
      snprintf(text, sizeof(text),
               "FRAG\nDCL IN[0], GENERIC[0], PERSPECTIVE\nDCL IN[1], GENERIC[1], PERSPECTIVE\nDCL OUT[0], COLOR\n"
               "DCL OUT[1], GENERIC[0]\nDCL SAMP[0]\nDCL SAMP[1]\nDCL SVIEW[0], %s, FLOAT\nDCL TEMP[0]\n"
               "%s%s TEMP[0], IN[0], SAMP[0], %s\nMOV OUT[0], TEMP[0]\nMOV OUT[1], TEMP[0].wzyx\n%sEND\n",
               target, kind == 1 ? "IF IN[1].xxxx\n" : "", tex_ops[op], target, kind == 1 ? "ENDIF\n" : "");
   struct jit_shader *sh;
   char err[256];
   ck_assert_msg(parse_and_compile(text, strlen(text), kind == 2 ? PIPE_SHADER_VERTEX : PIPE_SHADER_FRAGMENT, &sh,
                                   err, sizeof(err)) == 0, "%s\n%s", err, text);
   return sh;
}

static void random_sampler(struct jit_sampler *s, unsigned combo)
{
   /* combo's wrap bits pick repeating or clamping; a random draw which kind (mirrored or not) */
   static const uint8_t wraps[8] = { PIPE_TEX_WRAP_REPEAT,        PIPE_TEX_WRAP_CLAMP_TO_EDGE,
                                     PIPE_TEX_WRAP_MIRROR_REPEAT, PIPE_TEX_WRAP_MIRROR_CLAMP_TO_EDGE,
                                     PIPE_TEX_WRAP_REPEAT,        PIPE_TEX_WRAP_MIRROR_CLAMP,
                                     PIPE_TEX_WRAP_CLAMP,         PIPE_TEX_WRAP_CLAMP_TO_BORDER };
   static const uint8_t mips[3] = { PIPE_TEX_MIPFILTER_NONE, PIPE_TEX_MIPFILTER_NEAREST, PIPE_TEX_MIPFILTER_LINEAR };
   memset(s, 0, sizeof(*s));
   s->wrap_s = wraps[(combo & 1) + 2 * (rnd() % 4)];
   s->wrap_t = wraps[((combo >> 1) & 1) + 2 * (rnd() % 4)];
   if (rnd() % 8 == 0)
      s->wrap_s = PIPE_TEX_WRAP_MIRROR_CLAMP_TO_BORDER;
   for (int c = 0; c < 4; c++) /* UNORM values, others, and now and then a NaN */
      s->border_color[c] = rnd() % 16 == 0 ? pick_special() : (float)(rnd() % 1001) / 500.0f - 0.5f;
   s->wrap_r = PIPE_TEX_WRAP_REPEAT;
   s->min_img_filter = (combo >> 2) & 1 ? PIPE_TEX_FILTER_LINEAR : PIPE_TEX_FILTER_NEAREST;
   s->mag_img_filter = (combo >> 3) & 1 ? PIPE_TEX_FILTER_LINEAR : PIPE_TEX_FILTER_NEAREST;
   s->min_mip_filter = mips[(combo >> 4) % 3];
   s->normalized_coords = rnd() % 8 != 0;
   s->lod_bias = rnd() % 3 ? 0.0f : ((float)(rnd() % 401) - 200.0f) / 100.0f;
   s->min_lod = rnd() % 3 ? 0.0f : ((float)(rnd() % 301) - 100.0f) / 100.0f;
   s->max_lod = rnd() % 3 ? 1000.0f : ((float)(rnd() % 801)) / 100.0f;
   if (rnd() % 16 == 0)
      s->min_lod = pick_special();
   if (rnd() % 16 == 0)
      s->max_lod = pick_special();
   if (rnd() % 16 == 0)
      s->lod_bias = pick_special();
}

/* Point the view at its sampler variant (jit_texture_pick_variant),
 * waiting for the compile: 1 when there is one (JIT_TEX_VARIANTS keys a
 * process; later ones keep the generic sampler). Every other case keeps
 * the generic sampler, so both are compared with the reference. */
static int use_variant(struct jit_texture *t, const struct jit_sampler *s)
{
   t->sample2d = NULL;
   if (rnd() % 2)
      return 0;
   jit_texture_pick_variant(t, s);
   if (!t->sample2d) {
      jit_cache_wait_idle();
      jit_texture_pick_variant(t, s);
   }
   return t->sample2d != NULL;
}

/* Run every texture op of one state through JIT and interpreter. */
/* Both ways the compiled sampler reads texels: unchecked where
 * jit_texture_check_levels vouches for the layout, checked otherwise. */
static int tex_compare(struct jit_shader *const shaders[4][3], struct jit_texture *t, int unnorm)
{
   int n = 0;
   for (unsigned op = 0; op < 4; op++)
      for (int kind = 0; kind < 3; kind++) {
         if (kind & 1)
            jit_texture_check_levels(t);
         else
            t->levels_inside = 0;
         memset(&io, 0, sizeof(io));
         tex_coords(io.in[0], t->width, t->height, unnorm, tex_opcodes[op]);
         for (int l = 0; l < JIT_LANES; l++)
            io.in[1][0][l] = rnd() % 3 ? 1.0f : 0.0f;
         uint32_t mask = rnd() % 2 ? 0xffff : rnd() & 0xffff;
         run_both(shaders[op][kind], &sctx, &io, mask);
         n++;
      }
   return n;
}

static void tex_shaders(struct jit_shader *shaders[4][3], const char *target)
{
   for (unsigned op = 0; op < 4; op++)
      for (int kind = 0; kind < 3; kind++)
         shaders[op][kind] = tex_shader(op, target, kind);
}

static void tex_shaders_free(struct jit_shader *shaders[4][3])
{
   for (unsigned op = 0; op < 4; op++)
      for (int kind = 0; kind < 3; kind++)
         jit_shader_free(shaders[op][kind]);
}

/* Every inline format, both wraps on both axes, every filter and mip
 * filter, sizes from 1x1 to non-powers of two, mip chains and view level
 * ranges, LOD clamps and bias, swizzles, unnormalized coordinates, RECT. */
START_TEST(test_texture_inline)
{
   static const uint32_t sizes[][2] = { { 1, 1 }, { 4, 4 }, { 64, 64 }, { 3, 5 }, { 37, 100 }, { 128, 16 } };
   rng_state = 777u + (uint32_t)_i;
   struct jit_shader *sh2d[4][3], *shrect[4][3];
   tex_shaders(sh2d, "2D");
   tex_shaders(shrect, "RECT");
   memset(&sctx, 0, sizeof(sctx));
   int compared = 0, variants = 0;
   for (size_t f = 0; f < sizeof(inline_formats) / sizeof(inline_formats[0]); f++) {
      if ((f & 3) != (size_t)_i) /* the loop test spreads formats over 4 runs */
         continue;
      for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++)
         for (unsigned combo = 0; combo < 48; combo++) {
            struct tex_case tc = { .w = sizes[z][0], .h = sizes[z][1], .row_pad = rnd() % 3 == 0 ? 4 * (rnd() % 3) : 0 };
            uint32_t maxdim = tc.w > tc.h ? tc.w : tc.h, full = 1;
            while (maxdim >> full)
               full++;
            tc.levels = rnd() % 4 ? full : 1 + rnd() % full;
            struct jit_texture *t = &sctx.textures[0];
            tex_make(&tc, t, inline_formats[f], 4, 1.0);
            random_sampler(&sctx.samplers[0], combo);
            if (rnd() % 4 == 0) { /* a view of part of the chain */
               t->first_level = rnd() % tc.levels;
               t->last_level = t->first_level + rnd() % (tc.levels - t->first_level);
            }
            if (rnd() % 4 == 0)
               for (int i = 0; i < 4; i++)
                  t->swizzle[i] = (uint8_t)(rnd() % 7);
            int rect = rnd() % 6 == 0;
            if (rect)
               t->target = PIPE_TEXTURE_RECT;
            variants += use_variant(t, &sctx.samplers[0]);
            compared += tex_compare(rect ? shrect : sh2d, t, rect || !sctx.samplers[0].normalized_coords);
            free(tc.mem);
         }
   }
   memset(&sctx, 0, sizeof(sctx));
   tex_shaders_free(sh2d);
   tex_shaders_free(shrect);
   ck_assert_int_gt(compared, 0);
   ck_assert_int_gt(variants, 0);
}
END_TEST

/* Magnified bilinear sampling, where a stamp's taps lie within a few texels
 * (the compiled sampler's window loads on AVX-512): coordinates stepping
 * 1/16 to 1 texel a pixel, no outliers, also across the edges where the
 * wraps break the window (REPEAT's last column, CLAMP's edge, the last
 * rows of the storage). */
START_TEST(test_texture_window)
{
   static const uint32_t sizes[][2] = { { 64, 64 }, { 37, 100 }, { 128, 16 }, { 256, 256 }, { 16, 3 } };
   rng_state = 31u;
   struct jit_shader *sh[4][3];
   tex_shaders(sh, "2D");
   memset(&sctx, 0, sizeof(sctx));
   for (int iter = 0; iter < 240; iter++) {
      struct tex_case tc = { .w = sizes[iter % 5][0], .h = sizes[iter % 5][1], .levels = 1,
                             .row_pad = rnd() % 3 == 0 ? 4 * (rnd() % 3) : 0 };
      struct jit_texture *t = &sctx.textures[0];
      tex_make(&tc, t, inline_formats[rnd() % 16], 4, 1.0);
      random_sampler(&sctx.samplers[0], 12 + rnd() % 4); /* LINEAR both ways, random wraps, one level */
      sctx.samplers[0].normalized_coords = 1;
      jit_texture_check_levels(t);
      use_variant(t, &sctx.samplers[0]);
      for (int stamp = 0; stamp < 8; stamp++) {
         float step = ldexpf(1.0f, -(int)(rnd() % 5)), ang = (float)(rnd() % 628) / 100.0f;
         float bu = (float)(rnd() % (tc.w + 4)) - 2.0f + (float)(rnd() % 64) / 64.0f;
         float bv = (float)(rnd() % (tc.h + 4)) - 2.0f + (float)(rnd() % 64) / 64.0f;
         memset(&io, 0, sizeof(io));
         for (int l = 0; l < JIT_LANES; l++) {
            float x = (float)jit_lane_x((unsigned)l), y = (float)jit_lane_y((unsigned)l);
            io.in[0][0][l] = (bu + step * (x * cosf(ang) - y * sinf(ang))) / (float)tc.w;
            io.in[0][1][l] = (bv + step * (x * sinf(ang) + y * cosf(ang))) / (float)tc.h;
            io.in[1][0][l] = 1.0f;
         }
         run_both(sh[0][stamp & 1], &sctx, &io, rnd() % 4 ? 0xffff : rnd() & 0xffff);
      }
      free(tc.mem);
   }
   memset(&sctx, 0, sizeof(sctx));
   tex_shaders_free(sh);
}
END_TEST

/* Every compiled wrap far from the origin: texel-space coordinates within a
 * texel or two of a multiple of the size (where the repeat's quotient
 * changes and a mirror turns) up to the reference's clamp at 2^24, both
 * signs, sizes that are and are not powers of two (the latter take the
 * divide, whose rounding near 2^24 needs its fix-ups), nearest and linear,
 * RECT (the coordinates as given) and normalized. */
START_TEST(test_texture_wrap_far)
{
   static const uint32_t sizes[] = { 3, 37, 100, 64, 1, 5 };
   static const uint8_t wraps[] = { PIPE_TEX_WRAP_REPEAT, PIPE_TEX_WRAP_CLAMP_TO_EDGE, PIPE_TEX_WRAP_MIRROR_REPEAT,
                                    PIPE_TEX_WRAP_MIRROR_CLAMP_TO_EDGE, PIPE_TEX_WRAP_MIRROR_CLAMP, PIPE_TEX_WRAP_CLAMP,
                                    PIPE_TEX_WRAP_CLAMP_TO_BORDER, PIPE_TEX_WRAP_MIRROR_CLAMP_TO_BORDER };
   rng_state = 2468u;
   struct jit_shader *sh[4][3], *shrect[4][3];
   tex_shaders(sh, "2D");
   tex_shaders(shrect, "RECT");
   memset(&sctx, 0, sizeof(sctx));
   for (int iter = 0; iter < 120; iter++) {
      struct tex_case tc = { .w = sizes[iter % 6], .h = sizes[(iter / 6) % 6], .levels = 1 };
      struct jit_texture *t = &sctx.textures[0];
      struct jit_sampler *smp = &sctx.samplers[0];
      tex_make(&tc, t, inline_formats[rnd() % 16], 4, 1.0);
      int rect = iter % 3 == 0;
      if (rect)
         t->target = PIPE_TEXTURE_RECT;
      random_sampler(smp, rnd() % 16); /* no mip filter: one level */
      smp->wrap_s = wraps[rnd() % 8];
      smp->wrap_t = wraps[rnd() % 8];
      smp->normalized_coords = !rect;
      jit_texture_check_levels(t);
      use_variant(t, smp);
      for (int stamp = 0; stamp < 6; stamp++) {
         memset(&io, 0, sizeof(io));
         for (int l = 0; l < JIT_LANES; l++)
            for (int a = 0; a < 2; a++) {
               double size = a ? tc.h : tc.w;
               /* a multiple of the size between 2^10 and 2^24 (either sign), give or take 2 texels */
               double k = floor(ldexp(1.0, 10 + (int)(rnd() % 15)) / size) + (double)(rnd() % 3);
               double u = (rnd() % 2 ? -k : k) * size + ((double)(rnd() % 65) - 32.0) / 16.0;
               io.in[0][a][l] = (float)(rect ? u : u / size);
            }
         io.in[1][0][0] = 1.0f;
         run_both((rect ? shrect : sh)[0][stamp & 1], &sctx, &io, rnd() % 4 ? 0xffff : rnd() & 0xffff);
      }
      free(tc.mem);
   }
   memset(&sctx, 0, sizeof(sctx));
   tex_shaders_free(sh);
   tex_shaders_free(shrect);
}
END_TEST

/* jit_texture.size smaller than the layout claims: every read past it is
 * refused (zeros), in both samplers. Also under valgrind with CK_FORK=no:
 * the texture memory is exactly size bytes. */
START_TEST(test_texture_short_size)
{
   rng_state = 4242u;
   struct jit_shader *sh[4][3];
   tex_shaders(sh, "2D");
   memset(&sctx, 0, sizeof(sctx));
   for (int iter = 0; iter < 64; iter++) {
      static const uint32_t sizes[][2] = { { 1, 1 }, { 16, 16 }, { 7, 9 }, { 64, 32 } };
      struct tex_case tc = { .w = sizes[iter & 3][0], .h = sizes[iter & 3][1], .row_pad = (uint32_t)(iter & 4) };
      uint32_t maxdim = tc.w > tc.h ? tc.w : tc.h, full = 1;
      while (maxdim >> full)
         full++;
      tc.levels = full;
      tex_make(&tc, &sctx.textures[0], inline_formats[rnd() % 16], 4, (double)(rnd() % 100) / 100.0);
      random_sampler(&sctx.samplers[0], rnd() % 48);
      if (iter % 8 == 7) /* rows that claim far more than there is */
         for (uint32_t l = 0; l < tc.levels; l++)
            sctx.textures[0].row_stride[l] = 0x40000000u;
      use_variant(&sctx.textures[0], &sctx.samplers[0]);
      tex_compare(sh, &sctx.textures[0], !sctx.samplers[0].normalized_coords);
      free(tc.mem);
   }
   memset(&sctx, 0, sizeof(sctx));
   tex_shaders_free(sh);
}
END_TEST

/* jit_texture_check_levels vouches only for layouts whose every level of
 * the view ends inside the storage. */
START_TEST(test_texture_levels_inside)
{
   rng_state = 5u;
   struct tex_case tc = { .w = 24, .h = 10, .levels = 5 };
   struct jit_texture t;
   tex_make(&tc, &t, JIT_FORMAT_R8G8B8A8_UNORM, 4, 1.0);
   jit_texture_check_levels(&t);
   ck_assert_uint_eq(t.levels_inside, 1);
   /* the last level's last texel is the end of the storage: one byte less fails */
   t.size--;
   jit_texture_check_levels(&t);
   ck_assert_uint_eq(t.levels_inside, 0);
   t.size++;
   t.row_stride[2] = 0x40000000u; /* a row stride that claims more than there is */
   jit_texture_check_levels(&t);
   ck_assert_uint_eq(t.levels_inside, 0);
   t.first_level = 3; /* ... outside the view's levels it does not matter */
   jit_texture_check_levels(&t);
   ck_assert_uint_eq(t.levels_inside, 1);
   t.last_level = JIT_MAX_LEVELS;
   jit_texture_check_levels(&t);
   ck_assert_uint_eq(t.levels_inside, 0);
   t.last_level = 4;
   t.first_level = 4;
   t.width = 0x10000000u; /* level 4 of a claimed 2^28-wide texture: 2^24 texels per row */
   jit_texture_check_levels(&t);
   ck_assert_uint_eq(t.levels_inside, 0);
   t.width = tc.w;
   t.data = NULL;
   jit_texture_check_levels(&t);
   ck_assert_uint_eq(t.levels_inside, 0);
   free(tc.mem);
}
END_TEST

/* States the inline sampler leaves to jit_tex_exec still match: shadow
 * compare on a depth view, 3D and array views, formats it does not unpack,
 * wrap values past the eight, unbound views, broken level ranges. */
START_TEST(test_texture_fallback)
{
   rng_state = 99u;
   struct jit_shader *sh[4][3], *shadow, *sh3d[4][3];
   tex_shaders(sh, "2D");
   tex_shaders(sh3d, "3D");
   static const char shadow_text[] =
      "FRAG\nDCL IN[0], GENERIC[0], PERSPECTIVE\nDCL OUT[0], COLOR\nDCL SAMP[0]\nDCL SVIEW[0], 2D, FLOAT\n"
      "TEX OUT[0], IN[0], SAMP[0], SHADOW2D\nEND\n";
   char err[256];
   ck_assert(parse_and_compile(shadow_text, strlen(shadow_text), PIPE_SHADER_FRAGMENT, &shadow, err, sizeof(err)) == 0);
   memset(&sctx, 0, sizeof(sctx));
   for (int iter = 0; iter < 40; iter++) {
      struct tex_case tc = { .w = 16, .h = 8, .levels = 5 };
      struct jit_texture *t = &sctx.textures[0];
      struct jit_sampler *s = &sctx.samplers[0];
      int k = iter % 8;
      static const uint32_t other[] = { JIT_FORMAT_R32G32B32A32_FLOAT, JIT_FORMAT_R8_UNORM, JIT_FORMAT_R8G8B8A8_SNORM,
                                        JIT_FORMAT_L8A8_UNORM, JIT_FORMAT_B5G6R5_UNORM, JIT_FORMAT_R8G8B8A8_UINT };
      uint32_t fmt = k == 0 ? JIT_FORMAT_Z32_FLOAT : k == 1 ? other[rnd() % 6] : inline_formats[rnd() % 16];
      uint32_t bpp = fmt == JIT_FORMAT_R32G32B32A32_FLOAT ? 16 : fmt == JIT_FORMAT_R8_UNORM ? 1
                   : fmt == JIT_FORMAT_L8A8_UNORM || fmt == JIT_FORMAT_B5G6R5_UNORM ? 2 : 4;
      tex_make(&tc, t, fmt, bpp, 1.0);
      random_sampler(s, rnd() % 48);
      int use3d = 0;
      switch (k) {
      case 0: s->compare_mode = 1; s->compare_func = (uint8_t)(rnd() % 8); break;
      /* wraps past the eight (the decoder masks them to 3 bits; jit_tex.c clamps them to the edge) */
      case 2: s->wrap_s = (uint8_t)(PIPE_TEX_WRAP_MIRROR_CLAMP_TO_BORDER + 1 + rnd() % 8); break;
      case 3: s->wrap_t = (uint8_t)(PIPE_TEX_WRAP_MIRROR_CLAMP_TO_BORDER + 1 + rnd() % 8); break;
      case 4: t->target = PIPE_TEXTURE_3D; t->depth = 2; use3d = 1; break;
      case 5: t->target = PIPE_TEXTURE_2D_ARRAY; t->last_layer = 0; break;
      case 6: t->data = NULL; break;
      default: t->first_level = 3; t->last_level = rnd() % 2 ? 1 : JIT_MAX_LEVELS; break;
      }
      tex_compare(use3d ? sh3d : sh, t, !s->normalized_coords);
      if (k == 0) {
         memset(&io, 0, sizeof(io));
         tex_coords(io.in[0], t->width, t->height, 0, JIT_OP_TEX);
         run_both(shadow, &sctx, &io, 0xffff);
      }
      free(tc.mem);
   }
   memset(&sctx, 0, sizeof(sctx));
   tex_shaders_free(sh);
   tex_shaders_free(sh3d);
   jit_shader_free(shadow);
}
END_TEST

/* Several texture instructions in one shader share the module's sampling
 * functions; units other than 0, one inline and one falling back. */
START_TEST(test_texture_two_units)
{
   rng_state = 31337u;
   static const char text[] =
      "FRAG\nDCL IN[0], GENERIC[0], PERSPECTIVE\nDCL IN[1], GENERIC[1], PERSPECTIVE\nDCL OUT[0], COLOR\n"
      "DCL OUT[1], GENERIC[0]\nDCL SAMP[1]\nDCL SAMP[3]\nDCL SVIEW[1], 2D, FLOAT\nDCL SVIEW[3], 2D, FLOAT\n"
      "DCL TEMP[0..1]\nTEX TEMP[0], IN[0], SAMP[1], 2D\nTXB TEMP[1], IN[1], SAMP[3], 2D\n"
      "TXL TEMP[0].zw, IN[1], SAMP[1], 2D\nMOV OUT[0], TEMP[0]\nMOV OUT[1], TEMP[1]\nEND\n";
   struct jit_shader *sh;
   char err[256];
   ck_assert_msg(parse_and_compile(text, strlen(text), PIPE_SHADER_FRAGMENT, &sh, err, sizeof(err)) == 0, "%s", err);
   memset(&sctx, 0, sizeof(sctx));
   for (int iter = 0; iter < 48; iter++) {
      struct tex_case a = { .w = 32, .h = 20, .levels = 6 }, b = { .w = 8, .h = 8, .levels = 4 };
      tex_make(&a, &sctx.textures[1], inline_formats[rnd() % 16], 4, 1.0);
      int b_inline = iter & 1;
      tex_make(&b, &sctx.textures[3], b_inline ? inline_formats[rnd() % 16] : JIT_FORMAT_R32G32B32A32_FLOAT,
               b_inline ? 4 : 16, 1.0);
      random_sampler(&sctx.samplers[1], (unsigned)iter);
      random_sampler(&sctx.samplers[3], rnd() % 48);
      memset(&io, 0, sizeof(io));
      tex_coords(io.in[0], 32, 20, !sctx.samplers[1].normalized_coords, JIT_OP_TEX);
      tex_coords(io.in[1], 8, 8, !sctx.samplers[3].normalized_coords, JIT_OP_TXB);
      run_both(sh, &sctx, &io, rnd() % 2 ? 0xffff : rnd() & 0xffff);
      free(a.mem);
      free(b.mem);
   }
   memset(&sctx, 0, sizeof(sctx));
   jit_shader_free(sh);
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

/* A draw's code is compiled before shaders that were queued earlier but
 * that no draw uses yet (an application creating all its shaders first). */
START_TEST(test_draw_first)
{
   enum { N = 24 };
   char t[512];
   struct jit_code *c[N];
   struct jit_late l;
   jit_mode_set(JIT_MODE_ASYNC);
   jit_cache_wait_idle();
   jit_cache_hold(1); /* all queued before the thread takes any */
   for (int k = 0; k < N; k++) {
      c[k] = get_simple(100 + k, t, sizeof(t));
      ck_assert_ptr_nonnull(c[k]);
   }
   jit_shader_func f = jit_code_acquire(c[N - 1]); /* a draw: runs on the interpreter, wants it next */
   ck_assert_ptr_null(f);
   jit_cache_hold(0);
   struct jit_late *lp = jit_late_init(&l, c[N - 1]);
   ck_assert_ptr_nonnull(lp);
   for (int tries = 0; !jit_late_poll(lp) && tries < 20000; tries++)
      nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
   ck_assert_ptr_nonnull((void *)jit_late_poll(lp));
   jit_late_finish(lp);
   int ready = 0;
   for (int k = 0; k < N - 1; k++) {
      jit_shader_func g = jit_code_acquire(c[k]);
      if (g) {
         ready++;
         jit_code_release(c[k]);
      }
   }
   /* in queue order all 23 would be ready; drawn first, only those compiled while this test polled */
   ck_assert_int_lt(ready, N / 2);
   jit_cache_wait_idle();
   for (int k = 0; k < N; k++)
      jit_code_unref(c[k]);
   jit_mode_set(JIT_MODE_SYNC);
}
END_TEST

/* Code nobody holds any more is not compiled: a client cycling through
 * thousands of states must not leave them all queued. */
START_TEST(test_unwanted_not_compiled)
{
   char t[512];
   struct jit_cache_stats s0, s1;
   jit_mode_set(JIT_MODE_ASYNC);
   jit_cache_wait_idle();
   jit_cache_stats_get(&s0);
   jit_cache_hold(1);
   for (int k = 0; k < 10; k++) {
      struct jit_code *c = get_simple(200 + k, t, sizeof(t));
      ck_assert_ptr_nonnull(c);
      jit_code_unref(c);
   }
   struct jit_code *kept = get_simple(210, t, sizeof(t));
   jit_cache_hold(0);
   jit_cache_wait_idle();
   jit_cache_stats_get(&s1);
   ck_assert_uint_eq(s1.compiles - s0.compiles, 1); /* only the one still held */
   ck_assert_ptr_nonnull(jit_code_acquire(kept));
   jit_code_release(kept);
   jit_code_unref(kept);
   jit_mode_set(JIT_MODE_SYNC);
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
   tc = check_util_tcase(s, "texture");
   tcase_add_loop_test(tc, test_texture_inline, 0, 4);
   tcase_add_test(tc, test_texture_fallback);
   tcase_add_test(tc, test_texture_window);
   tcase_add_test(tc, test_texture_wrap_far);
   tcase_add_test(tc, test_texture_levels_inside);
   tcase_add_test(tc, test_texture_two_units);
   /* apart, to run alone under valgrind: CK_RUN_CASE=texture_bounds CK_FORK=no */
   tc = check_util_tcase(s, "texture_bounds");
   tcase_add_test(tc, test_texture_short_size);
   tc = check_util_tcase(s, "cache");
   tcase_add_test(tc, test_cache_hits_and_eviction);
   tcase_add_test(tc, test_modes);
   tcase_add_test(tc, test_late_switch);
   tcase_add_test(tc, test_draw_first);
   tcase_add_test(tc, test_unwanted_not_compiled);
   tcase_add_test(tc, test_left_to_interpreter);
   return check_util_run(s);
}
