/* check_jit_vs_fused.c: the fused vertex variant (src/jit/jit_vs_fused.c)
 * against its scalar twin jit_vs_ref_run: random vertex element layouts
 * (every fused vertex format, offsets, buffer slots, instance divisors),
 * random buffers (contents, strides, sizes too short for some vertices,
 * unbound ones, strides and start instances whose products pass 2^64),
 * random vertex ids (past the buffer's end, 0xffffffff), batches of any
 * length and output strides, under fixed and randomly generated vertex
 * shaders. Both write into copies of the same output buffer, which must end
 * byte-identical (but for the sign and payload of a NaN the shader body
 * computes), with and without each vertex's clip flags and window position
 * (jit_vs_window: random viewports, guard bands, halfz, records in and out
 * of the stride). Then unsupported keys fall back, fused vertex entries live in
 * the code cache, and a draw switches to the fused code mid-draw. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_util.h"
#include "jit/jit_vs_fused.h"
#include "jit/jit_llvm.h"

#define NVB 4                   /* vertex buffer slots the tests bind */
#define VB_BYTES 512            /* storage per buffer */
#define MAX_BATCH 53            /* vertices per batch: several steps and a partial one */
#define OUT_FLOATS (MAX_BATCH * (JIT_MAX_OUTPUTS * 4 + 8))

static uint32_t rng_state;
static uint32_t rnd(void)
{
   rng_state = rng_state * 1664525u + 1013904223u;
   return rng_state >> 8;
}

static const char *const fixed_shaders[] = {
   /* every input straight to an output: the fetch alone */
   "VERT\nDCL IN[0]\nDCL IN[1]\nDCL IN[2]\nDCL IN[3]\nDCL OUT[0], POSITION\nDCL OUT[1], GENERIC[0]\n"
   "DCL OUT[2], GENERIC[1]\nDCL OUT[3], GENERIC[2]\nMOV OUT[0], IN[0]\nMOV OUT[1], IN[1]\nMOV OUT[2], IN[2]\n"
   "MOV OUT[3], IN[3]\nEND\n",
   /* system values and a transform */
   "VERT\nDCL IN[0]\nDCL IN[1]\nDCL SV[0], VERTEXID\nDCL SV[1], INSTANCEID\nDCL OUT[0], POSITION\n"
   "DCL OUT[1], GENERIC[0]\nDCL CONST[0][0..3]\nDCL TEMP[0]\nMUL TEMP[0], CONST[0][0], IN[0].xxxx\n"
   "MAD TEMP[0], CONST[0][1], IN[0].yyyy, TEMP[0]\nMAD TEMP[0], CONST[0][2], IN[0].zzzz, TEMP[0]\n"
   "MAD OUT[0], CONST[0][3], IN[0].wwww, TEMP[0]\nU2F OUT[1].x, SV[0].xxxx\nU2F OUT[1].y, SV[1].xxxx\n"
   "MOV OUT[1].zw, IN[1]\nEND\n",
   /* more elements than inputs, one output */
   "VERT\nDCL IN[0]\nDCL OUT[0], POSITION\nMOV OUT[0], IN[0].wzyx\nEND\n",
   /* integer inputs through integer ops */
   "VERT\nDCL IN[0]\nDCL IN[1]\nDCL OUT[0], POSITION\nDCL OUT[1], GENERIC[0]\nDCL TEMP[0]\n"
   "UADD TEMP[0], IN[0], IN[1]\nI2F OUT[1], TEMP[0]\nMOV OUT[0], IN[1]\nEND\n",
};
#define NFIXED (sizeof(fixed_shaders) / sizeof(fixed_shaders[0]))

/* A random vertex shader: inputs, constants, immediates and system values
 * through float and integer ops into 1-5 outputs. */
static void random_shader(char *text, size_t n)
{
   static const char *const ops2[] = { "ADD", "MUL", "MIN", "MAX", "DP3", "DP4", "SLT", "SGE", "UADD", "AND", "XOR" };
   static const char *const ops1[] = { "MOV", "FRC", "FLR", "ABS", "RCP", "I2F", "U2F", "F2I", "SSG" };
   static const char sw[] = "xyzw";
   unsigned nin = 1 + rnd() % 6, nout = 1 + rnd() % 5;
   char *p = text, *end = text + n;
   p += snprintf(p, (size_t)(end - p), "VERT\n");
   for (unsigned i = 0; i < nin; i++)
      p += snprintf(p, (size_t)(end - p), "DCL IN[%u]\n", i);
   p += snprintf(p, (size_t)(end - p), "DCL SV[0], VERTEXID\nDCL SV[1], INSTANCEID\nDCL OUT[0], POSITION\n");
   for (unsigned o = 1; o < nout; o++)
      p += snprintf(p, (size_t)(end - p), "DCL OUT[%u], GENERIC[%u]\n", o, o - 1);
   p += snprintf(p, (size_t)(end - p), "DCL CONST[0][0..3]\nDCL TEMP[0..3]\nIMM[0] FLT32 { 0.5, 1.0, -2.0, 3.0 }\n");
   for (unsigned t = 0; t < 4; t++)
      p += snprintf(p, (size_t)(end - p), "MOV TEMP[%u], IN[%u]\n", t, t % nin);
   unsigned ninst = 4 + rnd() % 16;
   for (unsigned k = 0; k < ninst; k++) {
      char src[2][48];
      for (int s = 0; s < 2; s++) {
         unsigned kind = rnd() % 8;
         if (kind < 3)
            snprintf(src[s], sizeof(src[s]), "TEMP[%u]", rnd() % 4);
         else if (kind < 5)
            snprintf(src[s], sizeof(src[s]), "IN[%u]", rnd() % nin);
         else if (kind < 6)
            snprintf(src[s], sizeof(src[s]), "CONST[0][%u]", rnd() % 4);
         else if (kind < 7)
            snprintf(src[s], sizeof(src[s]), "IMM[0]");
         else
            snprintf(src[s], sizeof(src[s]), "SV[%u]", rnd() % 2);
         size_t l = strlen(src[s]);
         snprintf(src[s] + l, sizeof(src[s]) - l, ".%c%c%c%c", sw[rnd() % 4], sw[rnd() % 4], sw[rnd() % 4],
                  sw[rnd() % 4]);
      }
      if (rnd() % 2)
         p += snprintf(p, (size_t)(end - p), "%s TEMP[%u], %s, %s\n", ops2[rnd() % 11], rnd() % 4, src[0], src[1]);
      else
         p += snprintf(p, (size_t)(end - p), "%s TEMP[%u], %s\n", ops1[rnd() % 9], rnd() % 4, src[0]);
   }
   for (unsigned o = 0; o < nout; o++)
      p += snprintf(p, (size_t)(end - p), "MOV OUT[%u], TEMP[%u]\n", o, (o + rnd() % 4) % 4);
   snprintf(p, (size_t)(end - p), "END\n");
}

struct shader_entry {
   char text[2048];
   struct jit_shader *sh;
   struct jit_code *body;
};

static void shader_make(struct shader_entry *se, const char *text)
{
   char err[160];
   snprintf(se->text, sizeof(se->text), "%s", text);
   ck_assert_msg(jit_tgsi_parse(se->text, strlen(se->text) + 1, PIPE_SHADER_VERTEX, &se->sh, err, sizeof(err)) == 0,
                 "%s: %s", err, se->text);
   se->body = jit_code_get(se->text, strlen(se->text), PIPE_SHADER_VERTEX);
   ck_assert_ptr_nonnull(se->body);
}

static void shader_drop(struct shader_entry *se)
{
   jit_code_unref(se->body);
   jit_shader_free(se->sh);
   memset(se, 0, sizeof(*se));
}

/* The vertex formats the fused fetch takes, and the vertex formats it does not. */
static uint32_t fused_formats[JIT_FORMAT_COUNT], other_formats[JIT_FORMAT_COUNT];
static unsigned n_fused, n_other;

static void formats_init(void)
{
   if (n_fused)
      return;
   for (uint32_t id = 0; id < JIT_FORMAT_COUNT; id++) {
      const struct jit_format_desc *d = jit_format_get(id);
      struct jit_vs_variant_key k;
      if (!d || !d->vertex)
         continue;
      memset(&k, 0, sizeof(k));
      k.num_elements = 1;
      k.elements[0].src_format = id;
      struct jit_shader vs;
      memset(&vs, 0, sizeof(vs));
      vs.stage = PIPE_SHADER_VERTEX;
      if (jit_vs_fused_unsupported(&k, &vs))
         other_formats[n_other++] = id;
      else
         fused_formats[n_fused++] = id;
   }
}

static void random_key(struct jit_vs_variant_key *k)
{
   memset(k, 0, sizeof(*k));
   k->num_elements = rnd() % 10 == 0 ? JIT_MAX_VERTEX_ELEMENTS : 1 + rnd() % 6;
   for (uint32_t e = 0; e < k->num_elements; e++) {
      struct jit_vertex_element *el = &k->elements[e];
      el->src_format = fused_formats[rnd() % n_fused];
      el->src_offset = rnd() % 4 ? rnd() % 48 : rnd() % 4 ? rnd() % VB_BYTES : 0xfffffff0u + rnd() % 16;
      el->vertex_buffer_index = rnd() % 40 ? rnd() % NVB : JIT_MAX_VERTEX_BUFFERS + rnd() % 3;
      el->instance_divisor = rnd() % 5 ? 0 : rnd() % 6 ? 1 + rnd() % 3 : 0xffffffffu;
   }
}

struct bufs {
   uint8_t data[NVB][VB_BYTES];
};

static void random_ctx(struct jit_vs_ctx *ctx, struct bufs *b, float consts[16])
{
   for (unsigned i = 0; i < NVB; i++) {
      unsigned kind = rnd() % 8;
      for (size_t j = 0; j < VB_BYTES; j++)
         b->data[i][j] = (uint8_t)rnd();
      if (rnd() % 3 == 0) /* plain floats now and then: values, not NaN noise */
         for (size_t j = 0; j + 4 <= VB_BYTES; j += 4) {
            float f = ((float)(rnd() % 2001) - 1000.0f) / 64.0f;
            memcpy(&b->data[i][j], &f, 4);
         }
      ctx->vb[i].data = kind == 0 ? NULL : b->data[i];
      ctx->vb[i].size = kind == 1 ? rnd() % 16 : kind == 2 ? VB_BYTES : rnd() % (VB_BYTES + 1);
      ctx->vb[i].stride = rnd() % 8 == 0 ? 0 : rnd() % 12 == 0 ? 0xfffffff0u + rnd() % 16 : rnd() % 40;
   }
   ctx->start_instance = rnd() % 3 ? rnd() % 4 : rnd() % 2 ? 0xffffffffu - rnd() % 4 : rnd();
   for (int i = 0; i < 16; i++)
      consts[i] = ((float)(rnd() % 201) - 100.0f) / 16.0f;
   ctx->stage.constants[0] = consts;
   ctx->stage.num_constants[0] = 4;
}

static float rnd_window_value(float lo, float hi)
{
   static const float special[] = { 0.0f, -0.0f, 1.0f, -1.0f, 1e30f, -1e30f, INFINITY, NAN, 1e-30f };
   if (rnd() % 8 == 0)
      return special[rnd() % (sizeof(special) / sizeof(special[0]))];
   return lo + (hi - lo) * (float)(rnd() % 10001) / 10000.0f;
}

/* A window for outputs of n slots and an output stride; now and then one
 * the functions must ignore (position slot, offset or stride out of line). */
static void random_window(struct jit_vs_window *w, uint32_t nout, uint32_t *out_stride)
{
   for (int i = 0; i < 3; i++) {
      w->scale[i] = rnd_window_value(-600.0f, 600.0f);
      w->translate[i] = rnd_window_value(-10.0f, 700.0f);
   }
   w->guard_x = rnd_window_value(0.5f, 40.0f);
   w->guard_y = rnd_window_value(0.5f, 40.0f);
   w->clip_halfz = rnd() % 2 ? 0 : rnd() % 2 ? 1 : rnd();
   w->pos_slot = rnd() % 16 ? rnd() % nout : nout + rnd() % 3;
   w->offset = rnd() % 16 ? nout * 4 + rnd() % 4 : nout * 4 - (nout ? 1 : 0);
   *out_stride = w->offset + JIT_VS_WINDOW_FLOATS + (rnd() % 3 ? rnd() % 4 : 0);
   if (rnd() % 16 == 0)
      *out_stride -= 1 + rnd() % 2;
}

static unsigned keys_per_run(void)
{
   const char *e = getenv("TESSERA_TEST_FUSED_KEYS"); /* fewer under valgrind */
   long n = e ? strtol(e, NULL, 10) : 0;
   return n > 0 ? (unsigned)n : 40;
}

static int same_or_both_nan(uint32_t a, uint32_t b)
{
   return a == b || ((a & 0x7fffffffu) > 0x7f800000u && (b & 0x7fffffffu) > 0x7f800000u);
}

/* Run ref and fused on the same batch; fail on any difference. */
static void compare_batch(const struct jit_vs_ctx *ctx, jit_vs_func fused, const struct jit_shader *sh,
                          const struct jit_vs_batch *tmpl, const char *what)
{
   static float out_ref[OUT_FLOATS], out_fus[OUT_FLOATS];
   struct jit_vs_batch b = *tmpl;
   for (size_t i = 0; i < OUT_FLOATS; i++) {
      uint32_t sentinel = 0x7fc0dead ^ (uint32_t)i;
      memcpy(&out_ref[i], &sentinel, 4);
   }
   memcpy(out_fus, out_ref, sizeof(out_ref));
   b.out = out_ref;
   jit_vs_ref_run(ctx, &b);
   b.out = out_fus;
   fused(ctx, &b);
   for (size_t i = 0; i < OUT_FLOATS; i++) {
      uint32_t a, f;
      memcpy(&a, &out_ref[i], 4);
      memcpy(&f, &out_fus[i], 4);
      if (!same_or_both_nan(a, f))
         ck_abort_msg("%s: vertex %zu float %zu (of stride %u, %u outputs, count %u, instance %u): ref %#010x (%g) "
                      "fused %#010x (%g)",
                      what, i / b.out_stride, i % b.out_stride, b.out_stride, sh->num_outputs, b.count, b.instance_id,
                      a, out_ref[i], f, out_fus[i]);
   }
}

static char *key_text(const struct jit_vs_variant_key *k, const struct jit_vs_ctx *ctx, char *buf, size_t n)
{
   size_t o = (size_t)snprintf(buf, n, "%u elements, start_instance %u:", k->num_elements, ctx->start_instance);
   for (uint32_t e = 0; e < k->num_elements && o < n; e++) {
      const struct jit_vertex_element *el = &k->elements[e];
      const struct jit_format_desc *d = jit_format_get(el->src_format);
      uint32_t vb = el->vertex_buffer_index;
      o += (size_t)snprintf(buf + o, n - o, " [%s off %u vb %u div %u; vb size %zu stride %u%s]", d ? d->name : "?",
                            el->src_offset, vb, el->instance_divisor, vb < NVB ? ctx->vb[vb].size : 0,
                            vb < NVB ? ctx->vb[vb].stride : 0, vb < NVB && !ctx->vb[vb].data ? " unbound" : "");
   }
   return buf;
}

/* Random keys (40 per run, 4 runs) under random shaders, each with 6
 * random buffer states and batches. */
START_TEST(test_random_layouts)
{
   static struct bufs bufs;
   static uint32_t ids[MAX_BATCH];
   static char kt[4096], what[6400];
   float consts[16];
   struct shader_entry se;
   struct jit_vs_variant v;
   struct jit_vs_ctx ctx;
   unsigned nkeys = keys_per_run(), compared = 0;
   const char *seed = getenv("TESSERA_TEST_FUSED_SEED");
   rng_state = (seed ? (uint32_t)strtoul(seed, NULL, 0) : 0x7e570000u) + (uint32_t)_i * 7919u;
   formats_init();
   ck_assert_uint_gt(n_fused, 60);
   for (unsigned kn = 0; kn < nkeys; kn++) {
      char text[2048];
      if (rnd() % 3 == 0)
         snprintf(text, sizeof(text), "%s", fixed_shaders[rnd() % NFIXED]);
      else
         random_shader(text, sizeof(text));
      shader_make(&se, text);
      memset(&v, 0, sizeof(v));
      random_key(&v.key);
      ck_assert_msg(jit_vs_fused_unsupported(&v.key, se.sh) == NULL, "%s", jit_vs_fused_unsupported(&v.key, se.sh));
      v.shader = se.sh;
      v.func = jit_vs_ref_run;
      struct jit_code *code = jit_code_get_vs_variant(se.body, &v.key);
      ck_assert_ptr_nonnull(code);
      jit_vs_func fused = jit_code_acquire_vs(code);
      ck_assert_msg(fused != NULL, "no fused code for %s", se.text);
      jit_shader_func body = jit_code_acquire(se.body);
      ck_assert_ptr_nonnull(body);
      for (int draw = 0; draw < 6; draw++) {
         memset(&ctx, 0, sizeof(ctx));
         ctx.variant = &v;
         ctx.native = body;
         random_ctx(&ctx, &bufs, consts);
         struct jit_vs_batch b;
         memset(&b, 0, sizeof(b));
         b.count = rnd() % 6 == 0 ? 1 + rnd() % 3 : 1 + rnd() % MAX_BATCH;
         for (uint32_t i = 0; i < b.count; i++)
            ids[i] = rnd() % 10 == 0 ? (rnd() % 2 ? 0xffffffffu : rnd()) : rnd() % 40;
         b.vertex_ids = ids;
         b.instance_id = rnd() % 3 ? rnd() % 5 : rnd();
         b.out_stride = se.sh->num_outputs * 4 + (rnd() % 3 ? 0 : rnd() % 9);
         if (rnd() % 12 == 0 && b.out_stride >= 4)
            b.out_stride -= 1 + rnd() % 4; /* shorter than the outputs: the fused code hands the batch back */
         struct jit_vs_window win;
         if (rnd() % 2) {
            random_window(&win, se.sh->num_outputs, &b.out_stride);
            b.window = &win;
         }
         snprintf(what, sizeof(what), "key %u draw %d: %s\n%s", kn, draw, key_text(&v.key, &ctx, kt, sizeof(kt)),
                  se.text);
         compare_batch(&ctx, fused, se.sh, &b, what);
         compared++;
      }
      jit_code_release(se.body);
      jit_code_release(code);
      jit_code_unref(code);
      shader_drop(&se);
   }
   ck_assert_uint_eq(compared, nkeys * 6);
}
END_TEST

/* Keys outside the fused set: said so, and the entry gives no code. */
START_TEST(test_unsupported_fall_back)
{
   struct shader_entry se;
   shader_make(&se, fixed_shaders[0]);
   formats_init();
   ck_assert_uint_gt(n_other, 0);
   for (unsigned i = 0; i < n_other; i++) {
      struct jit_vs_variant_key k;
      memset(&k, 0, sizeof(k));
      k.num_elements = 2;
      k.elements[0].src_format = JIT_FORMAT_R32G32B32A32_FLOAT;
      k.elements[1].src_format = other_formats[i];
      ck_assert_ptr_nonnull(jit_vs_fused_unsupported(&k, se.sh));
      struct jit_cache_stats s0, s1;
      jit_cache_stats_get(&s0);
      struct jit_code *c = jit_code_get_vs_variant(se.body, &k);
      ck_assert_ptr_nonnull(c);
      ck_assert_ptr_null(jit_code_acquire_vs(c)); /* the compile refuses it */
      jit_cache_stats_get(&s1);
      ck_assert_uint_eq(s1.failures - s0.failures, 1);
      ck_assert_uint_eq(s1.vs_ref_draws - s0.vs_ref_draws, 1);
      jit_code_unref(c);
   }
   /* R10G10B10A2 is a vertex format the fused fetch leaves to the reference */
   int found = 0;
   for (unsigned i = 0; i < n_other; i++)
      found |= other_formats[i] == JIT_FORMAT_R10G10B10A2_UNORM;
   ck_assert(found);
   /* a fragment shader, and a body the JIT does not compile */
   struct jit_vs_variant_key k;
   memset(&k, 0, sizeof(k));
   struct jit_shader big = *se.sh;
   big.num_insts = 100000;
   ck_assert_ptr_nonnull(jit_vs_fused_unsupported(&k, &big));
   big = *se.sh;
   big.stage = PIPE_SHADER_FRAGMENT;
   ck_assert_ptr_nonnull(jit_vs_fused_unsupported(&k, &big));
   k.num_elements = JIT_MAX_VERTEX_ELEMENTS + 1;
   ck_assert_ptr_nonnull(jit_vs_fused_unsupported(&k, se.sh));
   shader_drop(&se);
}
END_TEST

/* Fused vertex entries in the code cache (same key same entry, kinds kept
 * apart, modes), and the reference switching to the fused code mid-draw. */
START_TEST(test_cache_and_late_switch)
{
   static struct bufs bufs;
   struct shader_entry se;
   shader_make(&se, fixed_shaders[1]);
   struct jit_vs_variant_key k1, k2;
   memset(&k1, 0, sizeof(k1));
   k1.num_elements = 2;
   k1.elements[0].src_format = JIT_FORMAT_R32G32B32_FLOAT;
   k1.elements[1].src_format = JIT_FORMAT_R8G8B8A8_UNORM;
   k1.elements[1].src_offset = 12;
   k2 = k1;
   k2.elements[1].src_format = JIT_FORMAT_R16G16_SNORM;
   struct jit_cache_stats s0, s1;
   jit_cache_stats_get(&s0);
   struct jit_code *a = jit_code_get_vs_variant(se.body, &k1), *a2 = jit_code_get_vs_variant(se.body, &k1);
   struct jit_code *b = jit_code_get_vs_variant(se.body, &k2);
   ck_assert_ptr_eq(a, a2);
   ck_assert_ptr_ne(a, b);
   ck_assert_ptr_null(jit_code_acquire(a));    /* not a body */
   ck_assert_ptr_null(jit_code_acquire_fs(a)); /* not a fragment variant */
   ck_assert_ptr_null(jit_code_acquire_vs(se.body));
   ck_assert_ptr_null(jit_code_get_fs_variant(se.body, (const struct jit_fs_variant_key *)&k1)); /* wrong stage */
   jit_vs_func fa = jit_code_acquire_vs(a), fb = jit_code_acquire_vs(b);
   ck_assert_ptr_nonnull(fa);
   ck_assert_ptr_nonnull(fb);
   jit_code_release(b);
   jit_code_release(a);
   jit_cache_stats_get(&s1);
   ck_assert_uint_eq(s1.hits - s0.hits, 1);
   ck_assert_uint_eq(s1.vs_fused_compiles - s0.vs_fused_compiles, 2);
   ck_assert_uint_eq(s1.vs_fused_draws - s0.vs_fused_draws, 2);
   ck_assert_uint_eq(s1.fused_compiles - s0.fused_compiles, 0);

   /* a draw on the reference that watches the compiled entry switches to it */
   jit_mode_set(JIT_MODE_ASYNC);
   struct jit_vs_variant v;
   memset(&v, 0, sizeof(v));
   v.key = k1;
   v.shader = se.sh;
   v.func = jit_vs_ref_run;
   struct jit_vs_ctx ctx;
   float consts[16];
   memset(&ctx, 0, sizeof(ctx));
   ctx.variant = &v;
   rng_state = 99;
   random_ctx(&ctx, &bufs, consts);
   ctx.vb[0].data = bufs.data[0];
   ctx.vb[0].size = VB_BYTES;
   ctx.vb[0].stride = 16;
   struct jit_late late;
   ctx.late_fused = jit_late_init(&late, a);
   ck_assert_ptr_nonnull(ctx.late_fused);
   uint32_t ids[20];
   static float out[20 * 8];
   for (uint32_t i = 0; i < 20; i++)
      ids[i] = i;
   struct jit_vs_batch batch = { ids, 20, 0, out, 8 };
   jit_vs_ref_run(&ctx, &batch); /* compiles are ready: runs the fused code */
   jit_cache_stats_get(&s0);
   ck_assert_uint_eq(s0.late_switches - s1.late_switches, 1);
   struct jit_vs_ctx plain = ctx;
   plain.late_fused = NULL;
   compare_batch(&plain, fa, se.sh, &batch, "late switch");
   jit_late_finish(ctx.late_fused);

   /* async: ready once the thread is idle; off: no entry */
   k2.elements[0].src_format = JIT_FORMAT_R16G16B16A16_FLOAT;
   struct jit_code *c = jit_code_get_vs_variant(se.body, &k2);
   ck_assert_ptr_nonnull(c);
   if (jit_code_acquire_vs(c))
      jit_code_release(c);
   jit_cache_wait_idle();
   ck_assert_ptr_nonnull(jit_code_acquire_vs(c));
   jit_code_release(c);
   jit_mode_set(JIT_MODE_OFF);
   ck_assert_ptr_null(jit_code_get_vs_variant(se.body, &k1));
   jit_mode_set(JIT_MODE_SYNC);
   jit_code_unref(c);
   jit_code_unref(a);
   jit_code_unref(a2);
   jit_code_unref(b);
   shader_drop(&se);
}
END_TEST

int main(void)
{
   jit_mode_set(JIT_MODE_SYNC);
   Suite *s = suite_create("jit_vs_fused");
   TCase *tc = check_util_tcase(s, "differential");
   tcase_set_timeout(tc, 600);
   tcase_add_loop_test(tc, test_random_layouts, 0, 4);
   tc = check_util_tcase(s, "fallback");
   tcase_add_test(tc, test_unsupported_fall_back);
   tc = check_util_tcase(s, "cache");
   tcase_add_test(tc, test_cache_and_late_switch);
   return check_util_run(s);
}
