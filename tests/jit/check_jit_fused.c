/* check_jit_fused.c: the fused fragment variant (src/jit/jit_fs_fused.c)
 * against its scalar twin jit_fs_ref_run: 500 random static states
 * (depth funcs and writes, two-sided stencil, blend factors and equations,
 * color masks, every supported color and depth/stencil format, one or two
 * color buffers, depth clamp, shader-written depth, KILL) under random
 * dynamic state (stencil refs, blend color, alpha ref, depth range), random
 * coverage, stamps across the framebuffer edge, random framebuffer contents
 * and NaN/Inf/out-of-range shader outputs. Both run on copies of the same
 * framebuffer, which must end byte-identical. Then unsupported keys fall
 * back, and fused entries live in the code cache like bodies (hits,
 * eviction, recompilation, modes). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_util.h"
#include "jit/jit_fs_fused.h"
#include "jit/jit_llvm.h"

#define FB_W 16                 /* stored pixels per row (stamps x = 0..12) */
#define FB_H 12                 /* stored rows (stamps y = 0..8) */
#define PAD 12                  /* extra bytes per row: strides are not width * bpp */

static uint32_t rng_state;
static uint32_t rnd(void)
{
   rng_state = rng_state * 1664525u + 1013904223u;
   return rng_state >> 8;
}

static float frand(float lo, float hi) { return lo + (hi - lo) * (float)(rnd() % 100001) / 100000.0f; }

/* A value that tells implementations apart now and then, else an ordinary one in [lo, hi]. */
static float rnd_special(float lo, float hi)
{
   static const float special[] = { 0.0f, -0.0f, 1.0f, -1.0f, 0.5f, 2.0f, 1e30f, -1e30f, INFINITY, -INFINITY, NAN,
                                    -NAN, 1e-30f, 1.0f - 1e-7f, 127.5f / 255.0f, 0.5f / 255.0f, 254.5f / 255.0f,
                                    0.5f / 65535.0f, 0.5f / 16777215.0f };
   unsigned r = rnd() % 8;
   if (r == 0)
      return special[rnd() % (sizeof(special) / sizeof(special[0]))];
   if (r == 1)
      return ((float)(rnd() % 256) + (rnd() % 2 ? 0.5f : 0.0f)) / 255.0f; /* ties of the unorm8 rounding */
   return frand(lo, hi);
}

static const char *const shaders[] = {
   "FRAG\nDCL IN[0], GENERIC[0], PERSPECTIVE\nDCL OUT[0], COLOR\nMOV OUT[0], IN[0]\nEND\n",
   "FRAG\nDCL IN[0], GENERIC[0], PERSPECTIVE\nDCL IN[1], GENERIC[1], LINEAR\nDCL OUT[0], COLOR\n"
   "DCL OUT[1], COLOR[1]\nMOV OUT[0], IN[0]\nMOV OUT[1], IN[1]\nEND\n",
   "FRAG\nDCL IN[0], GENERIC[0], LINEAR\nDCL IN[1], GENERIC[1], LINEAR\nDCL OUT[0], COLOR\nDCL OUT[1], POSITION\n"
   "MOV OUT[0], IN[0]\nMOV OUT[1].z, IN[1].xxxx\nKILL_IF IN[1].yyyy\nEND\n",
   "FRAG\nPROPERTY FS_COLOR0_WRITES_ALL_CBUFS 1\nDCL IN[0], GENERIC[0], PERSPECTIVE\nDCL OUT[0], COLOR\n"
   "MOV OUT[0], IN[0]\nEND\n",
   "FRAG\nDCL IN[0], GENERIC[0], LINEAR\nEND\n",
   "FRAG\nDCL OUT[0], COLOR\nIMM[0] FLT32 { 0.25, 1.5, -0.5, 0.6 }\nMOV OUT[0], IMM[0]\nEND\n",
   "FRAG\nDCL IN[0], GENERIC[0], LINEAR\nDCL OUT[0], COLOR\nDCL TEMP[0]\n"
   "MUL TEMP[0], IN[0], IN[0]\nADD OUT[0], TEMP[0], -IN[0].wzyx\nEND\n",
   /* derivatives: with early depth a stamp with one lane left still shades whole quads */
   "FRAG\nDCL IN[0], GENERIC[0], PERSPECTIVE\nDCL OUT[0], COLOR\nDCL TEMP[0..1]\n"
   "MUL TEMP[0], IN[0], IN[0]\nDDX TEMP[1], TEMP[0]\nDDY TEMP[0], TEMP[0].yxwz\nADD OUT[0], TEMP[0], TEMP[1]\nEND\n",
   /* IN[1] unused: stamps with one plane only take the fused code's jit_fs_ref_run path */
   "FRAG\nDCL IN[0], GENERIC[0], PERSPECTIVE\nDCL IN[1], GENERIC[1], LINEAR\nDCL OUT[0], COLOR\n"
   "MOV OUT[0], IN[0]\nEND\n",
};
#define SHADER_FEWER_PLANES 7
#define NSHADERS (sizeof(shaders) / sizeof(shaders[0]))

static const uint32_t cformats[] = {
   JIT_FORMAT_B8G8R8A8_UNORM, JIT_FORMAT_B8G8R8X8_UNORM, JIT_FORMAT_A8R8G8B8_UNORM, JIT_FORMAT_X8R8G8B8_UNORM,
   JIT_FORMAT_A8B8G8R8_UNORM, JIT_FORMAT_X8B8G8R8_UNORM, JIT_FORMAT_R8G8B8A8_UNORM, JIT_FORMAT_R8G8B8X8_UNORM,
};
static const uint32_t zformats[] = {
   JIT_FORMAT_Z16_UNORM, JIT_FORMAT_Z32_FLOAT, JIT_FORMAT_Z24_UNORM_S8_UINT, JIT_FORMAT_S8_UINT_Z24_UNORM,
   JIT_FORMAT_Z24X8_UNORM, JIT_FORMAT_X8Z24_UNORM,
};
static const uint8_t factors[] = {
   PIPE_BLENDFACTOR_ONE, PIPE_BLENDFACTOR_SRC_COLOR, PIPE_BLENDFACTOR_SRC_ALPHA, PIPE_BLENDFACTOR_DST_ALPHA,
   PIPE_BLENDFACTOR_DST_COLOR, PIPE_BLENDFACTOR_SRC_ALPHA_SATURATE, PIPE_BLENDFACTOR_CONST_COLOR,
   PIPE_BLENDFACTOR_CONST_ALPHA, PIPE_BLENDFACTOR_SRC1_COLOR, PIPE_BLENDFACTOR_SRC1_ALPHA, PIPE_BLENDFACTOR_ZERO,
   PIPE_BLENDFACTOR_INV_SRC_COLOR, PIPE_BLENDFACTOR_INV_SRC_ALPHA, PIPE_BLENDFACTOR_INV_DST_ALPHA,
   PIPE_BLENDFACTOR_INV_DST_COLOR, PIPE_BLENDFACTOR_INV_CONST_COLOR, PIPE_BLENDFACTOR_INV_CONST_ALPHA,
   PIPE_BLENDFACTOR_INV_SRC1_COLOR, PIPE_BLENDFACTOR_INV_SRC1_ALPHA, 0x1f /* not a factor: reads 0 */,
};

struct shader_entry {
   struct jit_shader *sh;
   struct jit_code *body;
};
static struct shader_entry sh_tab[NSHADERS];

static struct shader_entry *shader_get(unsigned i)
{
   if (!sh_tab[i].sh) {
      char err[160];
      ck_assert_msg(jit_tgsi_parse(shaders[i], strlen(shaders[i]) + 1, PIPE_SHADER_FRAGMENT, &sh_tab[i].sh, err,
                                   sizeof(err)) == 0,
                    "shader %u: %s", i, err);
      sh_tab[i].body = jit_code_get(shaders[i], strlen(shaders[i]), PIPE_SHADER_FRAGMENT);
      ck_assert_ptr_nonnull(sh_tab[i].body);
   }
   return &sh_tab[i];
}

static void random_stencil(struct jit_stencil_key *s)
{
   s->enabled = rnd() % 4 != 0;
   s->func = (uint8_t)(rnd() % 9);
   s->fail_op = (uint8_t)(rnd() % 9);
   s->zpass_op = (uint8_t)(rnd() % 9);
   s->zfail_op = (uint8_t)(rnd() % 9);
   s->valuemask = rnd() % 3 ? 0xff : (uint8_t)rnd();
   s->writemask = rnd() % 3 ? 0xff : (uint8_t)rnd();
}

static void random_key(struct jit_fs_variant_key *k, const struct jit_shader *sh)
{
   memset(k, 0, sizeof(*k));
   k->nr_cbufs = rnd() % 8 == 0 ? 0 : 1 + rnd() % 2;
   for (uint32_t i = 0; i < k->nr_cbufs; i++)
      k->cbuf_format[i] = rnd() % 10 == 0 ? 0 : cformats[rnd() % 8];
   k->zs_format = rnd() % 5 == 0 ? 0 : zformats[rnd() % 6];
   k->depth_enabled = rnd() % 4 != 0;
   k->depth_writemask = rnd() % 3 != 0;
   k->depth_func = (uint8_t)(rnd() % 9);
   k->alpha_enabled = rnd() % 5 == 0;
   k->alpha_func = (uint8_t)(rnd() % 9);
   k->depth_clamp = rnd() % 2;
   if (rnd() % 2) {
      random_stencil(&k->stencil[0]);
      if (rnd() % 2)
         random_stencil(&k->stencil[1]);
   }
   for (int i = 0; i < JIT_MAX_CBUFS; i++) {
      struct jit_blend_rt_key *b = &k->blend.rt[i];
      b->blend_enable = rnd() % 3 != 0;
      b->rgb_func = (uint8_t)(rnd() % 6);
      b->alpha_func = (uint8_t)(rnd() % 6);
      b->rgb_src_factor = factors[rnd() % sizeof(factors)];
      b->rgb_dst_factor = factors[rnd() % sizeof(factors)];
      b->alpha_src_factor = factors[rnd() % sizeof(factors)];
      b->alpha_dst_factor = factors[rnd() % sizeof(factors)];
      b->colormask = rnd() % 2 ? 0xf : (uint8_t)(rnd() % 16);
   }
   for (uint32_t i = 0; i < JIT_MAX_INPUTS; i++)
      k->interp[i] = i < sh->num_inputs ? (uint8_t)(rnd() % 3) : 0;
}

struct fb {
   uint8_t c[2][FB_H * (FB_W * 4 + PAD)];
   uint8_t zs[FB_H * (FB_W * 4 + PAD)];
};

static void set_targets(struct jit_fs_ctx *ctx, struct fb *f, const struct jit_fs_variant_key *k, uint32_t w, uint32_t h)
{
   memset(&ctx->targets, 0, sizeof(ctx->targets));
   for (uint32_t i = 0; i < k->nr_cbufs && i < 2; i++) {
      ctx->targets.cbuf[i] = k->cbuf_format[i] ? f->c[i] : NULL;
      ctx->targets.cbuf_stride[i] = FB_W * 4 + PAD;
   }
   ctx->targets.zsbuf = k->zs_format ? f->zs : NULL;
   ctx->targets.zsbuf_stride = FB_W * (k->zs_format == JIT_FORMAT_Z16_UNORM ? 2 : 4) + PAD;
   ctx->targets.width = w;
   ctx->targets.height = h;
}

static char *key_text(const struct jit_fs_variant_key *k, char *buf, size_t n)
{
   snprintf(buf, n,
            "cbufs %u [%u %u] zs %u depth en %u wm %u func %u alpha %u/%u clamp %u stencil f(%u %u %u %u %u %02x %02x) "
            "b(%u %u %u %u %u %02x %02x) blend0 en %u %u %u/%u %u %u/%u mask %x",
            k->nr_cbufs, k->cbuf_format[0], k->cbuf_format[1], k->zs_format, k->depth_enabled, k->depth_writemask,
            k->depth_func, k->alpha_enabled, k->alpha_func, k->depth_clamp, k->stencil[0].enabled, k->stencil[0].func,
            k->stencil[0].fail_op, k->stencil[0].zpass_op, k->stencil[0].zfail_op, k->stencil[0].valuemask,
            k->stencil[0].writemask, k->stencil[1].enabled, k->stencil[1].func, k->stencil[1].fail_op,
            k->stencil[1].zpass_op, k->stencil[1].zfail_op, k->stencil[1].valuemask, k->stencil[1].writemask,
            k->blend.rt[0].blend_enable, k->blend.rt[0].rgb_func, k->blend.rt[0].rgb_src_factor,
            k->blend.rt[0].rgb_dst_factor, k->blend.rt[0].alpha_func, k->blend.rt[0].alpha_src_factor,
            k->blend.rt[0].alpha_dst_factor, k->blend.rt[0].colormask);
   return buf;
}

static unsigned keys_per_run(void)
{
   const char *e = getenv("TESSERA_TEST_FUSED_KEYS"); /* fewer under valgrind */
   long n = e ? strtol(e, NULL, 10) : 0;
   return n > 0 ? (unsigned)n : 100;
}

/* Random keys (100 per run, 5 runs), each under 4 draws of dynamic state over
 * 12 stamps that cover a framebuffer of random size. */
START_TEST(test_random_states)
{
   static struct fb ref, fus;
   static float a0[4][4], dadx[4][4], dady[4][4];
   struct jit_fs_variant v;
   struct jit_fs_ctx ctx;
   char kt[512];
   unsigned nkeys = keys_per_run(), compared = 0;
   const char *seed = getenv("TESSERA_TEST_FUSED_SEED"); /* other random states than the default */
   rng_state = (seed ? (uint32_t)strtoul(seed, NULL, 0) : 0x5eed0000u) + (uint32_t)_i * 7919u;
   for (unsigned kn = 0; kn < nkeys; kn++) {
      struct shader_entry *se = shader_get(rnd() % NSHADERS);
      memset(&v, 0, sizeof(v));
      random_key(&v.key, se->sh);
      ck_assert_msg(jit_fs_fused_unsupported(&v.key, se->sh) == NULL, "%s", jit_fs_fused_unsupported(&v.key, se->sh));
      v.shader = se->sh;
      v.func = jit_fs_ref_run;
      struct jit_code *code = jit_code_get_fs_variant(se->body, &v.key);
      ck_assert_ptr_nonnull(code);
      jit_fs_func fused = jit_code_acquire_fs(code);
      ck_assert_msg(fused != NULL, "no fused code for key %s", key_text(&v.key, kt, sizeof(kt)));
      jit_shader_func body = jit_code_acquire(se->body);
      ck_assert_ptr_nonnull(body);

      for (int draw = 0; draw < 4; draw++) {
         memset(&ctx, 0, sizeof(ctx));
         ctx.variant = &v;
         ctx.native = body;
         ctx.stencil_ref[0] = rnd() % 4 ? rnd() & 0xff : rnd();
         ctx.stencil_ref[1] = rnd() % 4 ? rnd() & 0xff : rnd();
         for (int c = 0; c < 4; c++)
            ctx.blend_color[c] = rnd_special(-0.25f, 1.25f);
         ctx.alpha_ref = rnd_special(0.0f, 1.0f);
         ctx.depth_min = rnd() % 4 ? frand(0.0f, 0.5f) : rnd_special(0.0f, 1.0f);
         ctx.depth_max = rnd() % 4 ? frand(0.5f, 1.0f) : rnd_special(0.0f, 1.0f);
         uint32_t w = rnd() % 3 == 0 ? FB_W : 5 + rnd() % (FB_W - 4);
         uint32_t h = rnd() % 3 == 0 ? FB_H : 5 + rnd() % (FB_H - 4);
         /* random contents, sometimes a cleared-looking buffer */
         for (size_t i = 0; i < sizeof(ref); i++)
            ((uint8_t *)&ref)[i] = (uint8_t)rnd();
         if (rnd() % 3 == 0)
            memset(ref.zs, rnd() % 2 ? 0xff : 0x00, sizeof(ref.zs));
         memcpy(&fus, &ref, sizeof(ref));

         struct jit_fs_planes pl;
         memset(&pl, 0, sizeof(pl));
         pl.w0 = rnd() % 8 ? frand(0.5f, 2.0f) : rnd_special(0.0f, 1.0f);
         pl.dwdx = rnd() % 2 ? 0.0f : frand(-0.05f, 0.05f);
         pl.dwdy = rnd() % 2 ? 0.0f : frand(-0.05f, 0.05f);
         pl.z0 = rnd_special(-0.2f, 1.2f);
         pl.dzdx = rnd() % 3 ? frand(-0.05f, 0.05f) : 0.0f;
         pl.dzdy = rnd() % 3 ? frand(-0.05f, 0.05f) : 0.0f;
         pl.num_inputs = se->sh->num_inputs + rnd() % 2;
         if (se - sh_tab == SHADER_FEWER_PLANES && rnd() % 2)
            pl.num_inputs = 1;
         for (int i = 0; i < 4; i++)
            for (int c = 0; c < 4; c++) {
               a0[i][c] = rnd_special(-0.3f, 1.3f);
               dadx[i][c] = rnd() % 3 ? frand(-0.1f, 0.1f) : 0.0f;
               dady[i][c] = rnd() % 3 ? frand(-0.1f, 0.1f) : 0.0f;
            }
         pl.a0 = a0;
         pl.dadx = dadx;
         pl.dady = dady;

         /* sometimes the whole framebuffer as one covered 16x16 block (rows past h are not written) */
         uint32_t as_block = rnd() % 4 == 0;
         for (int sy = 0; sy < FB_H; sy += 4)
            for (int sx = 0; sx < FB_W; sx += 4) {
               if (as_block && (sx || sy))
                  continue;
               struct jit_fs_stamp st = { sx, sy, rnd() % 3 ? 0xffff : rnd() & 0xffff, &pl, as_block };
               pl.front_facing = rnd() % 2;
               set_targets(&ctx, &ref, &v.key, w, h);
               jit_fs_ref_run(&ctx, &st);
               set_targets(&ctx, &fus, &v.key, w, h);
               fused(&ctx, &st);
               for (size_t i = 0; i < sizeof(ref); i++)
                  if (((uint8_t *)&ref)[i] != ((uint8_t *)&fus)[i]) {
                     const char *what = i < sizeof(ref.c) ? "color" : "depth/stencil";
                     size_t off = i < sizeof(ref.c) ? i % sizeof(ref.c[0]) : i - sizeof(ref.c);
                     ck_abort_msg("key %u (shader %d): %s byte %zu (row %zu) differs after stamp (%d,%d) mask %04x "
                                  "fb %ux%u face %u: ref %02x fused %02x; z plane %g %g %g, depth range %g %g, "
                                  "stencil ref %u %u; %s",
                                  kn, (int)(se - sh_tab), what, off, off / (FB_W * 4 + PAD), sx, sy, st.mask, w, h,
                                  pl.front_facing, ((uint8_t *)&ref)[i], ((uint8_t *)&fus)[i], pl.z0, pl.dzdx,
                                  pl.dzdy, ctx.depth_min, ctx.depth_max, ctx.stencil_ref[0], ctx.stencil_ref[1],
                                  key_text(&v.key, kt, sizeof(kt)));
                  }
               compared += as_block ? (FB_W / 4) * (FB_H / 4) : 1;
            }
      }
      jit_code_release(se->body);
      jit_code_release(code);
      jit_code_unref(code);
   }
   ck_assert_uint_eq(compared, nkeys * 4 * 12);
}
END_TEST

/* A random view and sampler of an inline-sampler format over its own
 * random texels (*mem, freed by the caller); now and then a wrap the inline
 * sampler does not take (no key: the fused code calls the C sampler). */
static void random_texture(struct jit_texture *t, struct jit_sampler *s, uint8_t **mem)
{
   static const uint32_t fmts[] = { JIT_FORMAT_R8G8B8A8_UNORM, JIT_FORMAT_B8G8R8A8_UNORM, JIT_FORMAT_B8G8R8X8_UNORM,
                                    JIT_FORMAT_X8B8G8R8_UNORM, JIT_FORMAT_R8G8B8A8_SRGB, JIT_FORMAT_B8G8R8X8_SRGB };
   static const uint32_t dims[] = { 1, 5, 8, 16, 33 };
   static const uint8_t wraps[] = { PIPE_TEX_WRAP_REPEAT,        PIPE_TEX_WRAP_CLAMP_TO_EDGE,
                                    PIPE_TEX_WRAP_MIRROR_REPEAT, PIPE_TEX_WRAP_CLAMP_TO_BORDER,
                                    8 }; /* (the last, past the eight: no inline sampler) */
   memset(t, 0, sizeof(*t));
   memset(s, 0, sizeof(*s));
   t->width = dims[rnd() % 5];
   t->height = dims[rnd() % 5];
   t->depth = 1;
   uint32_t levels = 1, off = 0;
   if (rnd() % 2)
      while ((t->width | t->height) >> levels)
         levels++;
   for (uint32_t l = 0; l < levels; l++) {
      uint32_t lw = t->width >> l ? t->width >> l : 1, lh = t->height >> l ? t->height >> l : 1;
      t->level_offset[l] = off;
      t->row_stride[l] = lw * 4 + (rnd() % 3 == 0 ? 8 : 0);
      t->img_stride[l] = t->row_stride[l] * lh;
      off += t->img_stride[l];
   }
   *mem = malloc(off);
   ck_assert_ptr_nonnull(*mem);
   for (uint32_t i = 0; i < off; i++)
      (*mem)[i] = (uint8_t)rnd();
   t->data = *mem;
   t->size = off;
   t->format = fmts[rnd() % 6];
   t->target = rnd() % 6 ? PIPE_TEXTURE_2D : PIPE_TEXTURE_RECT;
   t->first_level = rnd() % levels;
   t->last_level = t->first_level + rnd() % (levels - t->first_level);
   for (int i = 0; i < 4; i++)
      t->swizzle[i] = (uint8_t)(rnd() % 3 ? i : rnd() % 6);
   jit_texture_check_levels(t);
   s->wrap_s = wraps[rnd() % 5];
   s->wrap_t = wraps[rnd() % 5];
   for (int c = 0; c < 4; c++)
      s->border_color[c] = frand(-0.5f, 1.5f);
   s->min_img_filter = (uint8_t)(rnd() % 2);
   s->mag_img_filter = (uint8_t)(rnd() % 2);
   s->min_mip_filter = (uint8_t)(rnd() % 3);
   s->normalized_coords = rnd() % 6 != 0;
   s->lod_bias = rnd() % 3 ? 0.0f : frand(-2.0f, 2.0f);
   s->max_lod = rnd() % 3 ? 1000.0f : frand(0.0f, 4.0f);
}

/* One pass of test_inlined_sampler: random coordinates (steep and gentle
 * footprints: several LODs) over every stamp, fused code against the
 * reference run on the interpreter and the C sampler. */
static void compare_textured(jit_fs_func fused, struct jit_fs_ctx *ctx, const struct jit_fs_variant *v, int kn,
                             int pass)
{
   static struct fb ref, fus;
   static float a0[4][4], dadx[4][4], dady[4][4];
   char kt[512];
   for (size_t i = 0; i < sizeof(ref); i++)
      ((uint8_t *)&ref)[i] = (uint8_t)rnd();
   memcpy(&fus, &ref, sizeof(ref));
   struct jit_fs_planes pl;
   memset(&pl, 0, sizeof(pl));
   pl.w0 = frand(0.5f, 2.0f);
   pl.dwdx = rnd() % 2 ? 0.0f : frand(-0.05f, 0.05f);
   pl.z0 = frand(0.0f, 1.0f);
   pl.num_inputs = v->shader->num_inputs;
   float scale = rnd() % 2 ? 1.0f : 0.05f;
   for (int c = 0; c < 4; c++) {
      a0[0][c] = rnd_special(-0.3f, 1.3f);
      dadx[0][c] = frand(-0.2f, 0.2f) * scale;
      dady[0][c] = frand(-0.2f, 0.2f) * scale;
   }
   pl.a0 = a0;
   pl.dadx = dadx;
   pl.dady = dady;
   for (int sy = 0; sy < FB_H; sy += 4)
      for (int sx = 0; sx < FB_W; sx += 4) {
         struct jit_fs_stamp st = { sx, sy, rnd() % 3 ? 0xffff : rnd() & 0xffff, &pl, 0 };
         set_targets(ctx, &ref, &v->key, FB_W, FB_H);
         jit_fs_ref_run(ctx, &st);
         set_targets(ctx, &fus, &v->key, FB_W, FB_H);
         fused(ctx, &st);
         ck_assert_msg(memcmp(&ref, &fus, sizeof(ref)) == 0, "key %d pass %d: stamp (%d,%d) differs; %s", kn, pass,
                       sx, sy, key_text(&v->key, kt, sizeof(kt)));
      }
}

/* Fused variants keyed on the sampling state of two units (one module,
 * two specialized samplers inlined) with random views and samplers. Two
 * variants queue together: the one compiled first has a backlog (FastISel,
 * samplers called) and, drawn again, is compiled again when idle (samplers
 * inlined); the other is compiled the same way first because it would
 * inline samplers (first_without_samplers in jit_cache.c), unless neither
 * unit has a key. Both are compared before and after the recompiles. */
START_TEST(test_inlined_sampler)
{
   static const char text[] =
      "FRAG\nDCL IN[0], GENERIC[0], PERSPECTIVE\nDCL OUT[0], COLOR\nDCL SAMP[0]\nDCL SAMP[1]\n"
      "DCL SVIEW[0], 2D, FLOAT\nDCL SVIEW[1], 2D, FLOAT\nDCL TEMP[0..1]\nTEX TEMP[0], IN[0], SAMP[0], 2D\n"
      "TXB TEMP[1], IN[0].yxzw, SAMP[1], 2D\nMAD OUT[0], TEMP[1], IN[0].wwww, TEMP[0]\nEND\n";
   struct jit_shader *sh;
   char err[256], kt[512];
   ck_assert_msg(jit_tgsi_parse(text, sizeof(text), PIPE_SHADER_FRAGMENT, &sh, err, sizeof(err)) == 0, "%s", err);
   struct jit_code *body = jit_code_get(text, strlen(text), PIPE_SHADER_FRAGMENT);
   ck_assert_ptr_nonnull(body);
   rng_state = 0x7e57u;
   unsigned keyed = 0, first_called = 0;
   struct jit_cache_stats s0, s1;
   jit_cache_stats_get(&s0);
   for (int kn = 0; kn < 24; kn++) {
      struct jit_fs_variant v;
      struct jit_fs_ctx ctx;
      uint8_t *mem[2];
      memset(&v, 0, sizeof(v));
      memset(&ctx, 0, sizeof(ctx));
      random_key(&v.key, sh);
      v.key.stencil[0].enabled = v.key.stencil[1].enabled = 0; /* stencil code is never recompiled (FastISel) */
      for (unsigned u = 0; u < 2; u++) {
         random_texture(&ctx.stage.textures[u], &ctx.stage.samplers[u], &mem[u]);
         keyed += (unsigned)jit_tex_key_make(&ctx.stage.textures[u], &ctx.stage.samplers[u], &v.key.tex[u]);
      }
      ctx.stage.num_textures = ctx.stage.num_samplers = JIT_MAX_SAMPLERS;
      v.shader = sh;
      v.func = jit_fs_ref_run;
      first_called += v.key.tex[0].format || v.key.tex[1].format;
      struct jit_fs_variant v2 = v;
      v2.key.blend.rt[0].colormask ^= 1u + rnd() % 15; /* another variant, same samplers */
      jit_cache_hold(1);
      struct jit_code *code = jit_code_get_fs_variant(body, &v.key), *code2 = jit_code_get_fs_variant(body, &v2.key);
      ck_assert_ptr_nonnull(code);
      ck_assert_ptr_nonnull(code2);
      jit_cache_hold(0);
      for (int pass = 0; pass < 2; pass++) { /* pass 1: drawn again, the backlog's code recompiled */
         for (int i = 0; i < 2; i++) {
            struct jit_code *c = i ? code2 : code;
            jit_fs_func fused = jit_code_acquire_fs(c);
            ck_assert_msg(fused != NULL, "no fused code for key %s", key_text(&v.key, kt, sizeof(kt)));
            ctx.variant = i ? &v2 : &v;
            compare_textured(fused, &ctx, ctx.variant, kn, pass);
            jit_code_release(c);
         }
         jit_cache_wait_idle();
      }
      jit_code_unref(code);
      jit_code_unref(code2);
      free(mem[0]);
      free(mem[1]);
   }
   ck_assert_uint_gt(keyed, 24); /* most units had a key */
   jit_cache_stats_get(&s1);
   /* pass 1 ran the recompiles, samplers inlined: every backlog variant's,
    * and the others' that had a sampler to inline */
   ck_assert_uint_eq(s1.upgrades - s0.upgrades, 24 + first_called);
   jit_code_unref(body);
   jit_shader_free(sh);
}
END_TEST

/* Keys outside the fused set: said so, and the cache entry (if one is made
 * anyway) gives no code, so draws stay on the reference. */
START_TEST(test_unsupported_fall_back)
{
   struct shader_entry *se = shader_get(0);
   struct jit_fs_variant_key k;
   static const uint32_t bad_c[] = { JIT_FORMAT_R16G16B16A16_FLOAT, JIT_FORMAT_B8G8R8A8_SRGB, JIT_FORMAT_R8G8B8A8_UINT,
                                     JIT_FORMAT_B5G6R5_UNORM, JIT_FORMAT_R32G32B32A32_FLOAT, JIT_FORMAT_R8_UNORM };
   static const uint32_t bad_z[] = { JIT_FORMAT_S8_UINT, JIT_FORMAT_Z32_UNORM };
   for (unsigned i = 0; i < sizeof(bad_c) / sizeof(bad_c[0]) + sizeof(bad_z) / sizeof(bad_z[0]) + 1; i++) {
      memset(&k, 0, sizeof(k));
      k.nr_cbufs = 1;
      k.cbuf_format[0] = JIT_FORMAT_B8G8R8A8_UNORM;
      k.blend.rt[0].colormask = 0xf;
      if (i < 6)
         k.cbuf_format[0] = bad_c[i];
      else if (i < 8)
         k.zs_format = bad_z[i - 6];
      else
         k.blend.logicop_enable = 1;
      ck_assert_ptr_nonnull(jit_fs_fused_unsupported(&k, se->sh));
      struct jit_cache_stats s0, s1;
      jit_cache_stats_get(&s0);
      struct jit_code *c = jit_code_get_fs_variant(se->body, &k);
      ck_assert_ptr_nonnull(c);
      ck_assert_ptr_null(jit_code_acquire_fs(c)); /* the compile refuses it */
      jit_cache_stats_get(&s1);
      ck_assert_uint_eq(s1.failures - s0.failures, 1);
      ck_assert_uint_eq(s1.ref_draws - s0.ref_draws, 1);
      jit_code_unref(c);
   }
   /* a colour mask of 0 on an unsupported format does not matter: nothing is written there */
   memset(&k, 0, sizeof(k));
   k.nr_cbufs = 2;
   k.cbuf_format[0] = JIT_FORMAT_B8G8R8A8_UNORM;
   k.cbuf_format[1] = JIT_FORMAT_R16G16B16A16_FLOAT;
   k.blend.rt[0].colormask = 0xf;
   ck_assert_ptr_null(jit_fs_fused_unsupported(&k, se->sh));
   /* a body the JIT does not compile */
   struct jit_shader big = *se->sh;
   big.num_insts = 100000;
   ck_assert_ptr_nonnull(jit_fs_fused_unsupported(&k, &big));
}
END_TEST

/* One stamp of shader 5 ({ 0.25, 1.5, -0.5, 0.6 }) through fn into a
 * B8G8R8A8 (bgra) or R8G8B8A8 target: the known bytes (B 0, G 255, R 64,
 * A 153 in B8G8R8A8). */
static void check_shader5_stamp(jit_fs_func fn, const struct jit_fs_variant_key *k, int bgra)
{
   struct shader_entry *se = shader_get(5);
   uint8_t px[4 * 4 * 4];
   memset(px, 0, sizeof(px));
   struct jit_fs_variant v;
   memset(&v, 0, sizeof(v));
   v.key = *k;
   v.shader = se->sh;
   struct jit_fs_ctx ctx;
   memset(&ctx, 0, sizeof(ctx));
   ctx.variant = &v;
   ctx.targets.cbuf[0] = px;
   ctx.targets.cbuf_stride[0] = 16;
   ctx.targets.width = ctx.targets.height = 4;
   struct jit_fs_planes pl;
   memset(&pl, 0, sizeof(pl));
   struct jit_fs_stamp st = { 0, 0, 0xffff, &pl, 0 };
   fn(&ctx, &st);
   for (int p = 0; p < 16; p++) {
      ck_assert_uint_eq(px[p * 4 + (bgra ? 0 : 2)], 0);
      ck_assert_uint_eq(px[p * 4 + 1], 255);
      ck_assert_uint_eq(px[p * 4 + (bgra ? 2 : 0)], 64);
      ck_assert_uint_eq(px[p * 4 + 3], 153);
   }
}

/* Fused entries in the code cache: same key same entry, another key another
 * entry, eviction never of pinned code, recompilation, async and off. */
START_TEST(test_cache)
{
   struct shader_entry *se = shader_get(5);
   struct jit_fs_variant_key k1, k2;
   memset(&k1, 0, sizeof(k1));
   k1.nr_cbufs = 1;
   k1.cbuf_format[0] = JIT_FORMAT_B8G8R8A8_UNORM;
   k1.blend.rt[0].colormask = 0xf;
   k2 = k1;
   k2.cbuf_format[0] = JIT_FORMAT_R8G8B8A8_UNORM;
   struct jit_cache_stats s0, s1;
   jit_cache_stats_get(&s0);
   struct jit_code *a = jit_code_get_fs_variant(se->body, &k1), *a2 = jit_code_get_fs_variant(se->body, &k1);
   struct jit_code *b = jit_code_get_fs_variant(se->body, &k2);
   ck_assert_ptr_eq(a, a2);
   ck_assert_ptr_ne(a, b);
   ck_assert_ptr_ne(a, se->body);
   ck_assert_ptr_null(jit_code_acquire(a)); /* not a body */
   ck_assert_ptr_null(jit_code_acquire_fs(se->body)); /* not a fused variant */
   jit_fs_func fa = jit_code_acquire_fs(a), fb = jit_code_acquire_fs(b);
   ck_assert_ptr_nonnull(fa);
   ck_assert_ptr_nonnull(fb);
   jit_code_release(b);
   jit_cache_stats_get(&s1);
   ck_assert_uint_eq(s1.hits - s0.hits, 1);
   ck_assert_uint_eq(s1.fused_compiles - s0.fused_compiles, 2);
   ck_assert_uint_eq(s1.fused_draws - s0.fused_draws, 2);
   ck_assert_uint_gt(s1.fused_compile_ns_median, 0);

   /* run the pinned one after a 1-byte budget evicted everything else */
   jit_cache_set_budget(1);
   check_shader5_stamp(fa, &k1, 1);
   jit_code_release(a);
   jit_cache_set_budget(1);
   jit_cache_stats_get(&s1);
   ck_assert_uint_ge(s1.evictions - s0.evictions, 2);
   jit_cache_set_budget((size_t)64 << 20);
   fa = jit_code_acquire_fs(a); /* evicted: compiled again */
   ck_assert_ptr_nonnull(fa);
   jit_code_release(a);

   /* async: may not be ready at once, is after the thread is idle; off: none */
   jit_mode_set(JIT_MODE_ASYNC);
   k2.cbuf_format[0] = JIT_FORMAT_X8R8G8B8_UNORM;
   struct jit_code *c = jit_code_get_fs_variant(se->body, &k2);
   ck_assert_ptr_nonnull(c);
   if (jit_code_acquire_fs(c))
      jit_code_release(c);
   jit_cache_wait_idle();
   ck_assert_ptr_nonnull(jit_code_acquire_fs(c));
   jit_code_release(c);
   jit_mode_set(JIT_MODE_OFF);
   ck_assert_ptr_null(jit_code_get_fs_variant(se->body, &k1));
   jit_mode_set(JIT_MODE_SYNC);
   jit_code_unref(c);
   jit_code_unref(a);
   jit_code_unref(a2);
   jit_code_unref(b);
}
END_TEST

/* Fragment variants compiled while others wait are code-generated for
 * speed of compiling, then again when the thread is idle if a draw asks
 * for them again; a draw that pinned the first code keeps running it
 * safely, later draws get the new. */
START_TEST(test_upgrade_when_idle)
{
   struct shader_entry *se = shader_get(5);
   enum { N = 4 };
   struct jit_fs_variant_key k[N];
   struct jit_code *c[N];
   struct jit_cache_stats s0, s1;
   jit_mode_set(JIT_MODE_ASYNC);
   jit_cache_wait_idle();
   jit_cache_stats_get(&s0);
   jit_cache_hold(1); /* queued together, as behind a long compile: the first ones see a backlog */
   for (int i = 0; i < N; i++) {
      memset(&k[i], 0, sizeof(k[i]));
      k[i].nr_cbufs = 1;
      k[i].cbuf_format[0] = i & 1 ? JIT_FORMAT_R8G8B8A8_UNORM : JIT_FORMAT_B8G8R8A8_UNORM;
      k[i].blend.rt[0].colormask = 0xf;
      k[i].alpha_func = (uint8_t)(i + 1); /* keys of their own (test_cache has 0), the alpha test off */
      c[i] = jit_code_get_fs_variant(se->body, &k[i]);
      ck_assert_ptr_nonnull(c[i]);
   }
   jit_cache_hold(0);
   /* the first entry once ready, pinned as a draw would before any upgrade */
   jit_fs_func first = NULL;
   for (int tries = 0; !first && tries < 20000; tries++) {
      first = jit_code_acquire_fs(c[0]);
      if (!first)
         nanosleep(&(struct timespec){ 0, 500000 }, NULL);
   }
   ck_assert_ptr_nonnull(first);
   jit_cache_wait_idle(); /* queue, compiles and upgrades done */
   jit_cache_stats_get(&s1);
   ck_assert_uint_ge(s1.upgrades - s0.upgrades, 1);
   check_shader5_stamp(first, &k[0], 1); /* the pinned first code still runs */
   jit_code_release(c[0]);
   for (int i = 0; i < N; i++) {
      jit_fs_func f = jit_code_acquire_fs(c[i]);
      ck_assert_ptr_nonnull(f);
      check_shader5_stamp(f, &k[i], !(i & 1));
      jit_code_release(c[i]);
   }
   jit_cache_wait_idle(); /* drawn again: the others recompile too */
   jit_cache_stats_get(&s1);
   ck_assert_uint_ge(s1.upgrades - s0.upgrades, 3);
   for (int i = 0; i < N; i++) {
      jit_fs_func f = jit_code_acquire_fs(c[i]);
      check_shader5_stamp(f, &k[i], !(i & 1));
      jit_code_release(c[i]);
      jit_code_unref(c[i]);
   }
   jit_mode_set(JIT_MODE_SYNC);
}
END_TEST

int main(void)
{
   jit_mode_set(JIT_MODE_SYNC);
   Suite *s = suite_create("jit_fused");
   TCase *tc = check_util_tcase(s, "differential");
   tcase_set_timeout(tc, 600);
   tcase_add_loop_test(tc, test_random_states, 0, 5);
   tcase_add_test(tc, test_inlined_sampler);
   tc = check_util_tcase(s, "fallback");
   tcase_add_test(tc, test_unsupported_fall_back);
   tc = check_util_tcase(s, "cache");
   tcase_add_test(tc, test_cache);
   tcase_add_test(tc, test_upgrade_when_idle);
   return check_util_run(s);
}
