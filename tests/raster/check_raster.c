/* check_raster.c: the rasterizer with test-local vertex and fragment
 * functions: fill rule (shared edges cover every pixel once), exact small
 * coverage, thread-count invariance, culling, clipping, interpolation,
 * primitive assembly, indices with restart, instancing, scissor, clears;
 * the parallel front end: many overlapping primitives give the same image at
 * 1-4 threads and as one draw per segment, and draws bigger than a chunk;
 * the tile walk's stamp masks against a per-pixel int64 evaluation of the
 * edge functions for random triangles of every size; deferred scenes of
 * draws and clears against the same commands run one at a time. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_util.h"
#include "raster/rs_draw.h"
#include "raster/rs_priv.h"

#define W 128
#define H 96

static uint32_t target[W * H];

/* vs: clip position from vb[0] (float4 per vertex id), slot 1 = (vertex id, instance id, 0, 1) */
static void test_vs(const struct jit_vs_ctx *ctx, const struct jit_vs_batch *b)
{
   const float *pos = (const float *)(const void *)ctx->vb[0].data;
   size_t n = ctx->vb[0].size / 16;
   for (uint32_t i = 0; i < b->count; i++) {
      float *o = b->out + (size_t)i * b->out_stride;
      uint32_t id = b->vertex_ids[i];
      for (int c = 0; c < 4; c++)
         o[c] = id < n ? pos[id * 4 + c] : 0.0f;
      o[4] = (float)id;
      o[5] = (float)b->instance_id;
      o[6] = 0.0f;
      o[7] = 1.0f;
   }
}

/* fs modes; a lane outside the target is counted (run_draw asserts none):
 * a Check assertion per fragment would cost a write to Check's log each */
static int fs_mode;
static int fs_outside;
static void test_fs(const struct jit_fs_ctx *ctx, const struct jit_fs_stamp *st)
{
   for (unsigned l = 0; l < JIT_LANES; l++) {
      if (!(st->mask & (1u << l)))
         continue;
      int x = st->x + (int)jit_lane_x(l), y = st->y + (int)jit_lane_y(l);
      if (!(x >= 0 && y >= 0 && x < W && y < H)) {
         __atomic_store_n(&fs_outside, 1, __ATOMIC_RELAXED);
         continue;
      }
      uint32_t *p = &target[y * W + x];
      if (fs_mode == 0) {
         (*p)++;
      } else if (fs_mode == 1) { /* order dependent: flat vertex id of the provoking vertex */
         *p = *p * 31u + (uint32_t)st->planes->a0[0][0] + 1u;
      } else { /* store the interpolated value of input 0 .x as float bits */
         float v = st->planes->a0[0][0] + st->planes->dadx[0][0] * x + st->planes->dady[0][0] * y;
         if (fs_mode == 3)
            v /= st->planes->w0 + st->planes->dwdx * x + st->planes->dwdy * y;
         memcpy(p, &v, 4);
      }
   }
}

static struct rs_framebuffer fb;
static struct jit_vs_ctx vsctx;
static struct jit_fs_ctx fsctx;

static void draw_init(struct rs_draw *d, const float *pos, size_t nverts, unsigned mode, uint32_t count)
{
   memset(d, 0, sizeof(*d));
   memset(&vsctx, 0, sizeof(vsctx));
   memset(&fb, 0, sizeof(fb));
   fb.width = W;
   fb.height = H;
   vsctx.vb[0].data = (const uint8_t *)pos;
   vsctx.vb[0].size = nverts * 16;
   vsctx.vb[0].stride = 16;
   d->mode = mode;
   d->count = count;
   d->instance_count = 1;
   d->vs = test_vs;
   d->vs_ctx = &vsctx;
   d->vs_num_outputs = 2;
   d->pos_slot = 0;
   d->psize_slot = -1;
   d->fs = test_fs;
   d->fs_ctx = &fsctx;
   d->fs_num_inputs = 1;
   d->fs_inputs[0].src = RS_INPUT_VS_OUTPUT;
   d->fs_inputs[0].vs_slot = 1;
   d->fs_inputs[0].interp = JIT_INTERP_CONSTANT;
   d->half_pixel_center = 1;
   d->depth_clip = 1;
   d->front_ccw = 1;
   d->viewport_scale[0] = W / 2.0f;
   d->viewport_scale[1] = H / 2.0f;
   d->viewport_scale[2] = 0.5f;
   d->viewport_translate[0] = W / 2.0f;
   d->viewport_translate[1] = H / 2.0f;
   d->viewport_translate[2] = 0.5f;
   d->point_size = d->line_width = 1.0f;
   d->fb = &fb;
}

static void run_draw(struct rs_pool *pool, const struct rs_draw *d)
{
   char err[128];
   ck_assert_msg(rs_draw_run(pool, d, err, sizeof(err)) == 0, "%s", err);
   ck_assert_msg(!fs_outside, "a fragment outside the framebuffer");
}

/* clip-space position from pixel coordinates */
static void px2clip(float x, float y, float *o)
{
   o[0] = x / (W / 2.0f) - 1.0f;
   o[1] = y / (H / 2.0f) - 1.0f;
   o[2] = 0.0f;
   o[3] = 1.0f;
}

/* A jittered grid triangulated into shared-edge triangles covering [8,120]x[8,88]. */
static size_t make_mesh(float *pos, int half, unsigned seed)
{
   const int nx = 8, ny = 6;
   float gx[9][7], gy[9][7];
   srand(seed);
   for (int j = 0; j <= ny; j++)
      for (int i = 0; i <= nx; i++) {
         float x = 8.0f + i * 14.0f, y = 8.0f + j * (80.0f / ny);
         if (i > 0 && i < nx)
            x += (float)(rand() % 1000) / 100.0f - 5.0f;
         if (j > 0 && j < ny)
            y += (float)(rand() % 1000) / 100.0f - 5.0f;
         if (half && (i + j) % 3 == 0 && i > 0 && i < nx) { /* some vertices exactly on pixel centers */
            x = floorf(x) + 0.5f;
            y = floorf(y) + (j > 0 && j < ny ? 0.5f : 0.0f);
         }
         gx[i][j] = x;
         gy[i][j] = y;
      }
   size_t n = 0;
   for (int j = 0; j < ny; j++)
      for (int i = 0; i < nx; i++) {
         int q[4][2] = { { i, j }, { i + 1, j }, { i + 1, j + 1 }, { i, j + 1 } };
         int tri[2][3] = { { 0, 1, 2 }, { 0, 2, 3 } };
         if ((i + j) & 1) { /* alternate the diagonal */
            tri[0][0] = 0; tri[0][1] = 1; tri[0][2] = 3;
            tri[1][0] = 1; tri[1][1] = 2; tri[1][2] = 3;
         }
         for (int t = 0; t < 2; t++)
            for (int k = 0; k < 3; k++) {
               int *v = q[tri[t][k]];
               px2clip(gx[v[0]][v[1]], gy[v[0]][v[1]], pos + n * 4);
               n++;
            }
      }
   return n;
}

START_TEST(test_fill_rule)
{
   struct rs_pool *pool;
   ck_assert_int_eq(rs_pool_create(2, &pool), 0);
   static float pos[8 * 6 * 6 * 4];
   for (int variant = 0; variant < 6; variant++) {
      size_t n = make_mesh(pos, variant & 1, 100 + (unsigned)variant);
      struct rs_draw d;
      draw_init(&d, pos, n, PIPE_PRIM_TRIANGLES, (uint32_t)n);
      d.bottom_edge_rule = (variant >> 1) & 1;
      d.half_pixel_center = variant < 4;
      memset(target, 0, sizeof(target));
      fs_mode = 0;
      run_draw(pool, &d);
      /* the mesh's outer border is at 8 and 120 / 88: pixels strictly inside are covered exactly once */
      for (int y = 10; y < 86; y++)
         for (int x = 10; x < 118; x++)
            ck_assert_msg(target[y * W + x] == 1, "variant %d pixel %d,%d covered %u times", variant, x, y,
                          target[y * W + x]);
      for (int x = 0; x < W; x++)
         ck_assert_uint_eq(target[2 * W + x], 0);
   }
   /* a fan around a center at a pixel center */
   static float fan[18 * 4];
   px2clip(64.5f, 48.5f, fan);
   for (int i = 0; i <= 16; i++)
      px2clip(64.5f + 30.0f * cosf(i * 2 * (float)M_PI / 16), 48.5f + 30.0f * sinf(i * 2 * (float)M_PI / 16),
              fan + (i + 1) * 4);
   struct rs_draw d;
   draw_init(&d, fan, 18, PIPE_PRIM_TRIANGLE_FAN, 18);
   memset(target, 0, sizeof(target));
   run_draw(pool, &d);
   for (int y = 0; y < H; y++)
      for (int x = 0; x < W; x++)
         ck_assert_uint_le(target[y * W + x], 1);
   ck_assert_uint_eq(target[48 * W + 64], 1);
   rs_pool_destroy(pool);
}
END_TEST

START_TEST(test_exact_coverage)
{
   struct rs_pool *pool;
   ck_assert_int_eq(rs_pool_create(1, &pool), 0);
   /* right triangle (2,2) (6,2) (2,6): centers (x+.5, y+.5) with x + y < 7 after the fill rule: 3 + 2 + 1 pixels */
   float pos[12];
   px2clip(2, 2, pos);
   px2clip(6, 2, pos + 4);
   px2clip(2, 6, pos + 8);
   struct rs_draw d;
   draw_init(&d, pos, 3, PIPE_PRIM_TRIANGLES, 3);
   memset(target, 0, sizeof(target));
   fs_mode = 0;
   run_draw(pool, &d);
   int count = 0;
   for (int y = 0; y < H; y++)
      for (int x = 0; x < W; x++) {
         int inside = x >= 2 && y >= 2 && (x + 0.5f) + (y + 0.5f) < 8.0f;
         ck_assert_msg(target[y * W + x] == (uint32_t)inside, "pixel %d,%d", x, y);
         count += inside;
      }
   ck_assert_int_eq(count, 6);
   rs_pool_destroy(pool);
}
END_TEST

/* Triangles at pos (nverts vertices), drawn per_draw vertices a draw with an
 * order-dependent fragment function, give the same image at 1, 2 and 7
 * threads. */
static void check_thread_invariance(const float *pos, uint32_t nverts, uint32_t per_draw)
{
   static uint32_t ref[W * H];
   unsigned threads[] = { 1, 2, 7 };
   for (int t = 0; t < 3; t++) {
      struct rs_pool *pool;
      ck_assert_int_eq(rs_pool_create(threads[t], &pool), 0);
      struct rs_draw d;
      memset(target, 0, sizeof(target));
      fs_mode = 1;
      for (uint32_t i = 0; i < nverts; i += per_draw) {
         draw_init(&d, pos + (size_t)i * 4, per_draw, PIPE_PRIM_TRIANGLES, per_draw);
         run_draw(pool, &d);
      }
      if (t == 0)
         memcpy(ref, target, sizeof(ref));
      else
         ck_assert_msg(memcmp(ref, target, sizeof(ref)) == 0, "%u threads differ from 1", threads[t]);
      rs_pool_destroy(pool);
   }
}

START_TEST(test_thread_invariance)
{
   static float pos[300 * 3 * 4];
   srand(5);
   for (int i = 0; i < 300 * 3; i++)
      px2clip((float)(rand() % 1400) / 10.0f - 5.0f, (float)(rand() % 1100) / 10.0f - 5.0f, pos + i * 4);
   check_thread_invariance(pos, 900, 900);
}
END_TEST

/* Draws of a few small triangles run their tiles on the submitting thread
 * (RS_INLINE_MAX_PIXELS), big ones on the pool: a sequence mixing both, with
 * an order-dependent fragment function, must give the same image at any
 * thread count. */
START_TEST(test_small_draws_inline)
{
   enum { N = 240 };
   static float pos[N * 3 * 4];
   srand(11);
   for (int i = 0; i < N; i++) {
      float x = (float)(rand() % 120), y = (float)(rand() % 88);
      float s = i % 16 == 15 ? 150.0f : 2.0f + (float)(rand() % 9); /* every 8th draw is big */
      px2clip(x, y, pos + (i * 3) * 4);
      px2clip(x + s, y + 1.0f, pos + (i * 3 + 1) * 4);
      px2clip(x + 1.0f, y + s, pos + (i * 3 + 2) * 4);
   }
   check_thread_invariance(pos, N * 3, 6); /* two triangles a draw */
}
END_TEST

START_TEST(test_cull_and_clip)
{
   struct rs_pool *pool;
   ck_assert_int_eq(rs_pool_create(2, &pool), 0);
   float ccw[12], cw[12];
   px2clip(10, 10, ccw);
   px2clip(50, 10, ccw + 4);
   px2clip(10, 50, ccw + 8);
   memcpy(cw, ccw, 16);
   memcpy(cw + 4, ccw + 8, 16);
   memcpy(cw + 8, ccw + 4, 16);
   fs_mode = 0;
   for (int cull = 0; cull < 4; cull++)
      for (int wind = 0; wind < 2; wind++) {
         struct rs_draw d;
         draw_init(&d, wind ? cw : ccw, 3, PIPE_PRIM_TRIANGLES, 3);
         d.cull_face = (uint8_t)cull;
         memset(target, 0, sizeof(target));
         run_draw(pool, &d);
         int front = wind == 1; /* ccw is judged with y pointing down: the y-up-CCW triangle is cw */
         int drawn = !((front && (cull & PIPE_FACE_FRONT)) || (!front && (cull & PIPE_FACE_BACK)));
         ck_assert_uint_eq(target[15 * W + 15], (uint32_t)drawn);
      }
   /* a vertex behind the eye: only the visible part is drawn, nothing wraps around */
   float behind[12] = { -0.5f, -0.5f, 0.0f, 1.0f, 0.5f, -0.5f, 0.0f, 1.0f, 0.0f, 1.0f, 0.0f, -0.5f };
   struct rs_draw d;
   draw_init(&d, behind, 3, PIPE_PRIM_TRIANGLES, 3);
   memset(target, 0, sizeof(target));
   run_draw(pool, &d);
   ck_assert_uint_eq(target[(H / 4 + 2) * W + W / 2], 1); /* just above the bottom edge, centered */
   for (int y = 0; y < H; y++)
      for (int x = 0; x < W; x++)
         ck_assert_uint_le(target[y * W + x], 1);
   ck_assert_uint_eq(target[2 * W + 2], 0);
   /* huge and NaN coordinates: no crash, sane coverage */
   float huge[12] = { -1e30f, -1e30f, 0, 1, 1e30f, -1e30f, 0, 1, 0, 1e30f, 0, 1 };
   draw_init(&d, huge, 3, PIPE_PRIM_TRIANGLES, 3);
   memset(target, 0, sizeof(target));
   run_draw(pool, &d);
   ck_assert_uint_eq(target[(H / 2) * W + W / 2], 1);
   float nan[12] = { NAN, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1 };
   draw_init(&d, nan, 3, PIPE_PRIM_TRIANGLES, 3);
   memset(target, 0, sizeof(target));
   run_draw(pool, &d);
   for (int i = 0; i < W * H; i++)
      ck_assert_uint_eq(target[i], 0);
   rs_pool_destroy(pool);
}
END_TEST

START_TEST(test_interpolation)
{
   struct rs_pool *pool;
   ck_assert_int_eq(rs_pool_create(2, &pool), 0);
   /* perspective: w = 1, 2, 4 at three vertices; value = vertex id */
   float pos[12];
   px2clip(0, 0, pos);
   px2clip(100, 0, pos + 4);
   px2clip(0, 80, pos + 8);
   const float w[3] = { 1.0f, 2.0f, 4.0f };
   for (int i = 0; i < 3; i++)
      for (int c = 0; c < 4; c++)
         pos[i * 4 + c] *= w[i];
   struct rs_draw d;
   draw_init(&d, pos, 3, PIPE_PRIM_TRIANGLES, 3);
   d.fs_inputs[0].interp = JIT_INTERP_PERSPECTIVE;
   fs_mode = 3;
   memset(target, 0, sizeof(target));
   run_draw(pool, &d);
   /* at pixel (20, 10): screen barycentrics b1 = 20.5/100, b2 = 10.5/80, b0 = rest */
   float b1 = 20.5f / 100, b2 = 10.5f / 80, b0 = 1 - b1 - b2;
   float want = (b1 * 1 / w[1] + b2 * 2 / w[2]) / (b0 / w[0] + b1 / w[1] + b2 / w[2]);
   float got;
   memcpy(&got, &target[10 * W + 20], 4);
   ck_assert_msg(fabsf(got - want) < 1e-4f, "perspective: got %f want %f", got, want);
   /* flat: provoking vertex last (2) or first (0) */
   for (int first = 0; first < 2; first++) {
      draw_init(&d, pos, 3, PIPE_PRIM_TRIANGLES, 3);
      d.flatshade_first = (uint8_t)first;
      fs_mode = 2;
      memset(target, 0, sizeof(target));
      run_draw(pool, &d);
      memcpy(&got, &target[10 * W + 20], 4);
      ck_assert_float_eq(got, first ? 0.0f : 2.0f);
   }
   rs_pool_destroy(pool);
}
END_TEST

START_TEST(test_assembly_indices_instances)
{
   struct rs_pool *pool;
   ck_assert_int_eq(rs_pool_create(2, &pool), 0);
   /* a strip of 6 vertices forming 4 triangles over [10,70]x[10,30]: every inner pixel once */
   float pos[6 * 4];
   for (int i = 0; i < 6; i++)
      px2clip(10.0f + (i / 2) * 30.0f, (i & 1) ? 30.0f : 10.0f, pos + i * 4);
   struct rs_draw d;
   fs_mode = 0;
   draw_init(&d, pos, 6, PIPE_PRIM_TRIANGLE_STRIP, 6);
   memset(target, 0, sizeof(target));
   run_draw(pool, &d);
   for (int y = 11; y < 29; y++)
      for (int x = 11; x < 69; x++)
         ck_assert_uint_eq(target[y * W + x], 1);
   /* quads: the same area as two quads */
   uint16_t qidx[8] = { 0, 2, 3, 1, 2, 4, 5, 3 };
   draw_init(&d, pos, 6, PIPE_PRIM_QUADS, 8);
   d.index_size = 2;
   d.indices = qidx;
   memset(target, 0, sizeof(target));
   run_draw(pool, &d);
   for (int y = 11; y < 29; y++)
      for (int x = 11; x < 69; x++)
         ck_assert_uint_eq(target[y * W + x], 1);
   /* 32-bit indices with restart: two separate triangles, and 8-bit with bias */
   uint32_t idx32[7] = { 0, 2, 1, 0xffffffffu, 2, 4, 3 };
   draw_init(&d, pos, 6, PIPE_PRIM_TRIANGLE_STRIP, 7);
   d.index_size = 4;
   d.indices = idx32;
   d.primitive_restart = 1;
   d.restart_index = 0xffffffffu;
   memset(target, 0, sizeof(target));
   run_draw(pool, &d);
   ck_assert_uint_eq(target[15 * W + 15], 1);
   ck_assert_uint_eq(target[15 * W + 45], 1);
   uint8_t idx8[3] = { 0, 2, 1 };
   draw_init(&d, pos, 6, PIPE_PRIM_TRIANGLES, 3);
   d.index_size = 1;
   d.indices = idx8;
   d.index_bias = 2; /* vertices 2, 4, 3 */
   memset(target, 0, sizeof(target));
   run_draw(pool, &d);
   ck_assert_uint_eq(target[15 * W + 15], 0);
   ck_assert_uint_eq(target[15 * W + 45], 1);
   /* instancing: 3 instances overdraw the same triangle three times */
   draw_init(&d, pos, 6, PIPE_PRIM_TRIANGLES, 3);
   d.instance_count = 3;
   memset(target, 0, sizeof(target));
   run_draw(pool, &d);
   ck_assert_uint_eq(target[12 * W + 15], 3);
   /* scissor clips coverage */
   draw_init(&d, pos, 6, PIPE_PRIM_TRIANGLE_STRIP, 6);
   d.scissor_enable = 1;
   d.scissor = (struct rs_scissor){ 20, 12, 30, 20 };
   memset(target, 0, sizeof(target));
   run_draw(pool, &d);
   for (int y = 0; y < H; y++)
      for (int x = 0; x < W; x++)
         ck_assert_uint_eq(target[y * W + x], (x >= 20 && x < 30 && y >= 12 && y < 20) ? 1u : 0u);
   /* points and lines render */
   draw_init(&d, pos, 6, PIPE_PRIM_POINTS, 6);
   d.point_size = 3.0f;
   memset(target, 0, sizeof(target));
   run_draw(pool, &d);
   ck_assert_uint_eq(target[10 * W + 10], 1);
   ck_assert_uint_eq(target[9 * W + 9], 1);
   draw_init(&d, pos, 6, PIPE_PRIM_LINES, 2);
   memset(target, 0, sizeof(target));
   run_draw(pool, &d);
   ck_assert_uint_eq(target[20 * W + 9], 1); /* a vertical line at x = 10 owns the pixel left of it */
   /* polygon stipple: every other row of the pattern empty; points are not stippled */
   static uint32_t stipple[32];
   for (int i = 0; i < 32; i++)
      stipple[i] = (i & 1) ? 0 : 0xffffffffu;
   draw_init(&d, pos, 6, PIPE_PRIM_TRIANGLE_STRIP, 6);
   d.poly_stipple = stipple;
   memset(target, 0, sizeof(target));
   run_draw(pool, &d);
   ck_assert_uint_eq(target[12 * W + 20], 1);
   ck_assert_uint_eq(target[13 * W + 20], 0);
   draw_init(&d, pos, 6, PIPE_PRIM_POINTS, 6);
   d.poly_stipple = stipple;
   d.point_size = 3.0f;
   memset(target, 0, sizeof(target));
   run_draw(pool, &d);
   ck_assert_uint_eq(target[9 * W + 9], 1);
   /* an unsupported primitive is an error, not garbage */
   draw_init(&d, pos, 6, 12, 6);
   char err[128];
   ck_assert_int_eq(rs_draw_run(pool, &d, err, sizeof(err)), -1);
   rs_pool_destroy(pool);
}
END_TEST

START_TEST(test_clears)
{
   struct rs_pool *pool;
   ck_assert_int_eq(rs_pool_create(3, &pool), 0);
   static uint8_t rgba[W * H * 4];
   static uint32_t z[W * H];
   struct rs_framebuffer f;
   memset(&f, 0, sizeof(f));
   f.width = W;
   f.height = H;
   f.nr_cbufs = 1;
   f.cbufs[0] = (struct rs_surface){ rgba, W * 4, JIT_FORMAT_R8G8B8A8_UNORM, W, H };
   f.zsbuf = (struct rs_surface){ (uint8_t *)z, W * 4, JIT_FORMAT_Z24_UNORM_S8_UINT, W, H };
   const float c[4] = { 1.0f, 0.5f, 0.0f, 1.0f };
   rs_clear(pool, &f, PIPE_CLEAR_COLOR0 | PIPE_CLEAR_DEPTH | PIPE_CLEAR_STENCIL, c, 1.0, 0x5a, NULL);
   ck_assert_uint_eq(rgba[0], 255);
   ck_assert_uint_eq(rgba[(W * H - 1) * 4 + 1], 128);
   ck_assert_uint_eq(z[W * H - 1], 0x5affffffu);
   rs_clear(pool, &f, PIPE_CLEAR_STENCIL, c, 0.0, 0x11, NULL); /* stencil only keeps depth */
   ck_assert_uint_eq(z[7], 0x11ffffffu);
   rs_clear(pool, &f, PIPE_CLEAR_DEPTH, c, 0.0, 0, NULL); /* depth only keeps stencil */
   ck_assert_uint_eq(z[7], 0x11000000u);
   /* the other packing order: stencil in the low byte */
   f.zsbuf.format = JIT_FORMAT_S8_UINT_Z24_UNORM;
   rs_clear(pool, &f, PIPE_CLEAR_DEPTH | PIPE_CLEAR_STENCIL, c, 1.0, 0x5a, NULL);
   uint8_t want[4] = { 0 };
   jit_format_pack_z(JIT_FORMAT_S8_UINT_Z24_UNORM, 1.0f, want);
   jit_format_pack_s(JIT_FORMAT_S8_UINT_Z24_UNORM, 0x5a, want);
   ck_assert_mem_eq(&z[W * H - 1], want, 4);
   rs_clear(pool, &f, PIPE_CLEAR_STENCIL, c, 0.0, 0x11, NULL);
   jit_format_pack_s(JIT_FORMAT_S8_UINT_Z24_UNORM, 0x11, want);
   ck_assert_mem_eq(&z[9], want, 4);
   rs_clear(pool, &f, PIPE_CLEAR_DEPTH, c, 0.25, 0, NULL);
   jit_format_pack_z(JIT_FORMAT_S8_UINT_Z24_UNORM, 0.25f, want);
   ck_assert_mem_eq(&z[W * H - 1], want, 4);
   ck_assert_uint_eq(jit_format_unpack_s(JIT_FORMAT_S8_UINT_Z24_UNORM, (const uint8_t *)&z[3]), 0x11);
   f.zsbuf.format = JIT_FORMAT_Z24_UNORM_S8_UINT;
   const float black[4] = { 0, 0, 0, 0 };
   struct rs_scissor sc = { 4, 4, 8, 8 };
   rs_clear(pool, &f, PIPE_CLEAR_COLOR0, black, 0.0, 0, &sc);
   ck_assert_uint_eq(rgba[(5 * W + 5) * 4], 0);
   ck_assert_uint_eq(rgba[(5 * W + 8) * 4], 255);
   rs_pool_destroy(pool);
}
END_TEST

/* ---- the parallel front end: chunks, batches, thread counts ---- */

#define NCLUSTERS 512
#define CLUSTER_VERTS 8
static float cl_pos[NCLUSTERS * CLUSTER_VERTS * 4];

/* Vertices in clusters of 8 within 14 px of a random center (some off screen, some behind the eye). */
static void make_clusters(unsigned seed)
{
   srand(seed);
   for (unsigned c = 0; c < NCLUSTERS; c++) {
      float cx = (float)(rand() % 1600) / 10.0f - 16.0f, cy = (float)(rand() % 1280) / 10.0f - 16.0f;
      for (unsigned v = 0; v < CLUSTER_VERTS; v++) {
         float *p = cl_pos + (c * CLUSTER_VERTS + v) * 4;
         px2clip(cx + (float)(rand() % 280) / 10.0f - 14.0f, cy + (float)(rand() % 280) / 10.0f - 14.0f, p);
         p[2] = (float)(rand() % 100) / 100.0f - 0.5f;
         if (c % 61 == 0 && v == 0) /* behind the eye: clipped into several triangles */
            for (int k = 0; k < 4; k++)
               p[k] *= -0.5f;
      }
   }
}

static uint32_t cluster_vertex(unsigned c)
{
   return c * CLUSTER_VERTS + (unsigned)rand() % CLUSTER_VERTS;
}

/* Index segments of random length in [lo, hi] (a multiple of step), each in one cluster, separated by restart. */
static uint32_t make_segments(uint32_t *idx, uint32_t total, unsigned lo, unsigned hi, unsigned step)
{
   uint32_t n = 0;
   while (n + hi + 1 <= total) {
      unsigned len = lo + (unsigned)rand() % (hi - lo + 1);
      len -= len % step;
      unsigned c = (unsigned)rand() % NCLUSTERS;
      for (unsigned i = 0; i < len; i++)
         idx[n++] = cluster_vertex(c);
      idx[n++] = 0xffffffffu;
   }
   return n;
}

/* Render d with fs_mode 1 (an order-dependent hash of the provoking vertex ids) on a pool of `threads`. */
static void render_threads(const struct rs_draw *d, unsigned threads, uint32_t *out)
{
   struct rs_pool *pool;
   ck_assert_int_eq(rs_pool_create(threads, &pool), 0);
   memset(target, 0, sizeof(target));
   fs_mode = 1;
   run_draw(pool, d);
   memcpy(out, target, sizeof(target));
   rs_pool_destroy(pool);
}

/* The same primitives as d, one draw per restart segment (or per 300
 * elements of a non-indexed list): none of them spans a chunk. */
static void render_by_segments(const struct rs_draw *d, uint32_t *out)
{
   struct rs_pool *pool;
   ck_assert_int_eq(rs_pool_create(1, &pool), 0);
   memset(target, 0, sizeof(target));
   fs_mode = 1;
   struct rs_draw one = *d;
   one.instance_count = 1;
   one.primitive_restart = 0;
   for (uint32_t inst = 0; inst < d->instance_count; inst++) {
      if (d->index_size == 4 && d->primitive_restart) {
         const uint32_t *idx = d->indices;
         uint32_t seg = 0;
         for (uint32_t i = 0; i <= d->count; i++) {
            if (i < d->count && idx[i] != d->restart_index)
               continue;
            if (i > seg) {
               one.indices = idx + seg;
               one.count = i - seg;
               run_draw(pool, &one);
            }
            seg = i + 1;
         }
      } else {
         ck_assert(!d->index_size && d->mode == PIPE_PRIM_TRIANGLES);
         for (uint32_t s = 0; s < d->count; s += 300) {
            one.start = d->start + s;
            one.count = d->count - s < 300 ? d->count - s : 300;
            run_draw(pool, &one);
         }
      }
   }
   memcpy(out, target, sizeof(target));
   rs_pool_destroy(pool);
}

enum { ORDER_TRIS, ORDER_STRIPS, ORDER_FANS, ORDER_QUAD_STRIPS, ORDER_LINE_LOOPS, ORDER_POLY_LINES,
       ORDER_INSTANCED_STRIPS, ORDER_CASES };

/* Many overlapping primitives (several batches at 4 threads): the image is
 * the same at 1, 2, 3 and 4 threads, and the same as drawing every segment
 * on its own. Flat provoking-vertex ids hashed in order make any reordering
 * within a pixel visible. */
START_TEST(test_order_across_threads)
{
   static uint32_t idx[90000];
   static uint32_t img[4][W * H], ref[W * H];
   make_clusters(7 + (unsigned)_i);
   struct rs_draw d;
   draw_init(&d, cl_pos, NCLUSTERS * CLUSTER_VERTS, PIPE_PRIM_TRIANGLES, 0);
   d.restart_index = 0xffffffffu;
   uint32_t n;
   switch (_i) {
   case ORDER_TRIS: /* non-indexed: the cluster vertices in order, 15 instances x 1365 triangles */
      n = d.count = NCLUSTERS * CLUSTER_VERTS;
      d.instance_count = 15;
      break;
   case ORDER_STRIPS:
      n = make_segments(idx, 90000, 3, 40, 1);
      d.mode = PIPE_PRIM_TRIANGLE_STRIP;
      break;
   case ORDER_FANS:
      n = make_segments(idx, 90000, 3, 30, 1);
      d.mode = PIPE_PRIM_TRIANGLE_FAN;
      break;
   case ORDER_QUAD_STRIPS:
      n = make_segments(idx, 90000, 4, 20, 2);
      d.mode = PIPE_PRIM_QUAD_STRIP;
      break;
   case ORDER_LINE_LOOPS:
      n = make_segments(idx, 60000, 2, 12, 1);
      d.mode = PIPE_PRIM_LINE_LOOP;
      break;
   case ORDER_POLY_LINES: /* each triangle becomes 3 lines = 6 set-up triangles: chunks' bins fill and resume */
      n = make_segments(idx, 30000, 3, 3, 1);
      d.fill_front = d.fill_back = 1;
      break;
   default: /* ORDER_INSTANCED_STRIPS */
      n = make_segments(idx, 12000, 3, 24, 1);
      d.mode = PIPE_PRIM_TRIANGLE_STRIP;
      d.instance_count = 4;
      break;
   }
   if (_i != ORDER_TRIS) {
      d.index_size = 4;
      d.indices = idx;
      d.count = n;
      d.primitive_restart = 1;
   }
   unsigned threads[4] = { 1, 2, 3, 4 };
   for (int t = 0; t < 4; t++) {
      render_threads(&d, threads[t], img[t]);
      if (t > 0)
         ck_assert_msg(memcmp(img[0], img[t], sizeof(img[0])) == 0, "case %d: %u threads differ from 1", _i,
                       threads[t]);
   }
   uint32_t drawn = 0;
   for (int i = 0; i < W * H; i++)
      drawn += img[0][i] != 0;
   ck_assert_msg(drawn > W * H / 2, "case %d: only %u pixels drawn", _i, drawn);
   render_by_segments(&d, ref);
   ck_assert_msg(memcmp(img[0], ref, sizeof(ref)) == 0, "case %d: differs from one draw per segment", _i);
}
END_TEST

/* Draws of more primitives than a chunk (and than a batch at 1 and 3
 * threads) cover exactly what they should: a long strip, a fan and a
 * repeated mesh (one segment and many instances). */
START_TEST(test_draw_bigger_than_chunk)
{
   static float strip[2 * 2600 * 4], fan[3002 * 4], mesh[8 * 6 * 6 * 4];
   static uint16_t rep[96 * 3 * 60];
   const unsigned cols = 2600;
   for (unsigned i = 0; i < cols; i++) {
      float x = 8.0f + 112.0f * (float)i / (float)(cols - 1);
      px2clip(x, 10.0f, strip + (2 * i) * 4);
      px2clip(x, 80.0f, strip + (2 * i + 1) * 4);
   }
   px2clip(64.5f, 48.5f, fan);
   for (int i = 0; i <= 3000; i++)
      px2clip(64.5f + 40.0f * cosf((float)i * 2 * (float)M_PI / 3000), 48.5f + 40.0f * sinf((float)i * 2 * (float)M_PI / 3000),
              fan + (i + 1) * 4);
   size_t nmesh = make_mesh(mesh, 0, 3);
   ck_assert_uint_eq(nmesh, 96 * 3);
   for (unsigned i = 0; i < 96 * 3 * 60; i++)
      rep[i] = (uint16_t)(i % (96 * 3));
   unsigned threads[2] = { 1, 3 };
   fs_mode = 0;
   for (int t = 0; t < 2; t++) {
      struct rs_pool *pool;
      ck_assert_int_eq(rs_pool_create(threads[t], &pool), 0);
      struct rs_draw d;
      /* strip: 5198 triangles, every pixel between the rows once */
      draw_init(&d, strip, 2 * cols, PIPE_PRIM_TRIANGLE_STRIP, 2 * cols);
      memset(target, 0, sizeof(target));
      run_draw(pool, &d);
      for (int y = 0; y < H; y++)
         for (int x = 0; x < W; x++)
            if (target[y * W + x] != (x >= 8 && x < 120 && y >= 10 && y < 80 ? 1u : 0u))
               ck_abort_msg("strip, %u threads: pixel %d,%d covered %u times", threads[t], x, y, target[y * W + x]);
      /* fan: 3000 triangles around (64.5, 48.5), nothing twice, the inside once */
      draw_init(&d, fan, 3002, PIPE_PRIM_TRIANGLE_FAN, 3002);
      memset(target, 0, sizeof(target));
      run_draw(pool, &d);
      for (int y = 0; y < H; y++)
         for (int x = 0; x < W; x++) {
            float dx = (float)x + 0.5f - 64.5f, dy = (float)y + 0.5f - 48.5f;
            int inside = dx * dx + dy * dy < 39.0f * 39.0f;
            if (inside ? target[y * W + x] != 1 : target[y * W + x] > 1)
               ck_abort_msg("fan: pixel %d,%d covered %u times", x, y, target[y * W + x]);
         }
      /* the mesh 60 times over, as one indexed segment and as 60 instances */
      for (int inst = 0; inst < 2; inst++) {
         draw_init(&d, mesh, nmesh, PIPE_PRIM_TRIANGLES, inst ? (uint32_t)nmesh : 96 * 3 * 60);
         if (inst) {
            d.instance_count = 60;
         } else {
            d.index_size = 2;
            d.indices = rep;
         }
         memset(target, 0, sizeof(target));
         run_draw(pool, &d);
         for (int y = 10; y < 86; y++)
            for (int x = 10; x < 118; x++)
               if (target[y * W + x] != 60)
                  ck_abort_msg("mesh x60 (%s): pixel %d,%d covered %u times", inst ? "instances" : "indices", x, y,
                               target[y * W + x]);
      }
      rs_pool_destroy(pool);
   }
}
END_TEST


/* ---- tile walk against per-pixel edge evaluation ---------------------------- */

#define CW 256 /* 4 x 3 tiles */
#define CH 192
#define CSUB (1 << RS_SUBPIXEL_BITS)

static uint8_t cover[CW * CH];
static int cover_tx0, cover_ty0;
static unsigned cover_bad; /* fragments outside the tile walked, or stamps with an empty mask */

static void cover_fs(const struct jit_fs_ctx *ctx, const struct jit_fs_stamp *st)
{
   (void)ctx;
   if (!st->mask)
      cover_bad++;
   for (unsigned l = 0; l < JIT_LANES; l++) {
      if (!(st->mask & (1u << l)))
         continue;
      int x = st->x + (int)jit_lane_x(l), y = st->y + (int)jit_lane_y(l);
      if (x < cover_tx0 || y < cover_ty0 || x >= cover_tx0 + RS_TILE_SIZE || y >= cover_ty0 + RS_TILE_SIZE ||
          x >= CW || y >= CH) {
         cover_bad++;
         continue;
      }
      cover[y * CW + x]++;
   }
}

static uint64_t cover_rng;
static int64_t cover_rand(int64_t lo, int64_t hi) /* uniform in [lo, hi] */
{
   cover_rng = cover_rng * 6364136223846793005ull + 1442695040888963407ull;
   return lo + (int64_t)((cover_rng >> 16) % (uint64_t)(hi - lo + 1));
}

/* Vertices in subpixels for triangle class k (see test_stamp_coverage). */
static void cover_vertices(int k, int64_t X[3], int64_t Y[3])
{
   const int64_t lim = (int64_t)(RS_GUARD_BAND * 2) * CSUB; /* setup drops anything beyond */
   int64_t px = cover_rand(-8 * CSUB, (CW + 8) * CSUB), py = cover_rand(-8 * CSUB, (CH + 8) * CSUB);
   int64_t r = k == 0 ? 16 * CSUB : k == 1 ? 200 * CSUB : lim;
   switch (k) {
   case 0: /* small */
   case 1: /* medium */
   case 2: /* anywhere up to the guard band */
      for (int i = 0; i < 3; i++) {
         X[i] = (k == 2 ? 0 : px) + cover_rand(-r, r);
         Y[i] = (k == 2 ? 0 : py) + cover_rand(-r, r);
      }
      break;
   case 3: /* huge, one edge through the target */
   case 4: /* an edge of 9,000-12,000 pixels through the target (around the 32-bit stamp math's limit) */
   case 5: { /* thin: the third vertex within 3 subpixels of the line of the other two */
      int64_t len = k == 4 ? cover_rand(4500, 6000) * CSUB : cover_rand(CSUB, lim);
      int64_t dx = cover_rand(-1000, 1000), dy = cover_rand(-1000, 1000);
      if (dx == 0 && dy == 0)
         dx = 1;
      int64_t m = (dx < 0 ? -dx : dx) > (dy < 0 ? -dy : dy) ? (dx < 0 ? -dx : dx) : (dy < 0 ? -dy : dy);
      X[0] = px - dx * len / m;
      Y[0] = py - dy * len / m;
      X[1] = px + dx * len / m;
      Y[1] = py + dy * len / m;
      if (k == 5) {
         int64_t f = cover_rand(0, 1000);
         X[2] = X[0] + (X[1] - X[0]) * f / 1000 + cover_rand(-3, 3);
         Y[2] = Y[0] + (Y[1] - Y[0]) * f / 1000 + cover_rand(-3, 3);
      } else {
         X[2] = cover_rand(-lim, lim);
         Y[2] = cover_rand(-lim, lim);
      }
      break;
   }
   default: /* on the half-pixel grid: samples exactly on edges and corners */
      for (int i = 0; i < 3; i++) {
         X[i] = (px + cover_rand(-40 * CSUB, 40 * CSUB)) & ~(int64_t)(CSUB / 2 - 1);
         Y[i] = (py + cover_rand(-40 * CSUB, 40 * CSUB)) & ~(int64_t)(CSUB / 2 - 1);
      }
      break;
   }
   for (int i = 0; i < 3; i++) {
      X[i] = X[i] < -lim ? -lim : X[i] > lim ? lim : X[i];
      Y[i] = Y[i] < -lim ? -lim : Y[i] > lim ? lim : Y[i];
   }
}

START_TEST(test_stamp_coverage)
{
   static uint32_t stipple[32];
   static struct rs_tri t; /* planes unused: cover_fs reads only the masks */
   struct rs_draw d;
   memset(&d, 0, sizeof(d));
   d.fs = cover_fs;
   d.fs_ctx = &fsctx;
   struct rs_ctx ctx;
   memset(&ctx, 0, sizeof(ctx));
   ctx.draw = &d;
   cover_rng = 12345;
   unsigned tested = 0, covered = 0;
   for (int iter = 0; iter < 14000; iter++) {
      int k = iter % 7;
      int64_t X[3], Y[3];
      cover_vertices(k, X, Y);
      int64_t area = (X[1] - X[0]) * (Y[2] - Y[0]) - (X[2] - X[0]) * (Y[1] - Y[0]);
      if (area == 0)
         continue;
      if (area < 0) { /* positive area, as setup orients it */
         int64_t sx = X[1], sy = Y[1];
         X[1] = X[2];
         Y[1] = Y[2];
         X[2] = sx;
         Y[2] = sy;
      }
      d.bottom_edge_rule = (uint8_t)((iter / 7) & 1);
      ctx.cx = ctx.cy = (iter / 14) & 1 ? 0.0f : 0.5f;
      t.stippled = (iter / 28) % 3 == 0;
      for (int i = 0; i < 32; i++)
         stipple[i] = (uint32_t)cover_rand(0, 0xffffffffll);
      d.poly_stipple = stipple;
      rs_setup_edges(&t, X, Y, d.bottom_edge_rule);
      /* bounds as setup computes them, clipped to the target or a random scissor */
      int64_t off_x = (int64_t)(ctx.cx * CSUB), off_y = (int64_t)(ctx.cy * CSUB), b[4];
      rs_tri_bounds(X, Y, off_x, off_y, b);
      int64_t clip[4] = { 0, 0, CW, CH };
      if ((iter / 5) % 2) {
         clip[0] = cover_rand(0, CW - 1);
         clip[1] = cover_rand(0, CH - 1);
         clip[2] = cover_rand(clip[0] + 1, CW);
         clip[3] = cover_rand(clip[1] + 1, CH);
      }
      for (int i = 0; i < 2; i++) {
         b[i] = b[i] < clip[i] ? clip[i] : b[i];
         b[i + 2] = b[i + 2] > clip[i + 2] ? clip[i + 2] : b[i + 2];
      }
      if (b[0] >= b[2] || b[1] >= b[3])
         continue;
      t.minx = (int32_t)b[0];
      t.miny = (int32_t)b[1];
      t.maxx = (int32_t)b[2];
      t.maxy = (int32_t)b[3];
      cover_bad = 0;
      for (cover_ty0 = 0; cover_ty0 < CH; cover_ty0 += RS_TILE_SIZE)
         for (cover_tx0 = 0; cover_tx0 < CW; cover_tx0 += RS_TILE_SIZE)
            rs_tile_walk(&ctx, &t, cover_tx0, cover_ty0);
      ck_assert_msg(cover_bad == 0, "triangle %d: %u fragments outside the tile or empty stamps", iter, cover_bad);
      for (int y = 0; y < CH; y++)
         for (int x = 0; x < CW; x++) {
            int64_t sx = (int64_t)x * CSUB + off_x, sy = (int64_t)y * CSUB + off_y;
            int in = x >= t.minx && x < t.maxx && y >= t.miny && y < t.maxy;
            for (int e = 0; e < 3 && in; e++)
               in = t.a[e] * sx + t.b[e] * sy + t.c[e] >= 0;
            if (in && t.stippled)
               in = (stipple[y & 31] >> (31 - (x & 31))) & 1;
            if (cover[y * CW + x] != in)
               ck_abort_msg("triangle %d (class %d, (%lld,%lld) (%lld,%lld) (%lld,%lld), rule %d, center %g, stipple %d): "
                            "pixel %d,%d covered %u times, expected %d",
                            iter, k, (long long)X[0], (long long)Y[0], (long long)X[1], (long long)Y[1],
                            (long long)X[2], (long long)Y[2], d.bottom_edge_rule, (double)ctx.cx, t.stippled, x, y,
                            cover[y * CW + x], in);
            covered += in;
            cover[y * CW + x] = 0;
         }
      tested++;
   }
   ck_assert_uint_gt(tested, 10000);
   ck_assert_uint_gt(covered, 1000000);
}
END_TEST


/* ---- deferred scenes: same bytes as drawing each command at once ---- */

#define SCENE_DRAWS 24
static uint32_t sc_color[W * H], sc_zs[W * H];
static struct jit_fs_ctx sc_fsctx[SCENE_DRAWS];
static uint8_t sc_opaque[SCENE_DRAWS], sc_writes_zs[SCENE_DRAWS];
static unsigned sc_stamps;

/* Draw i (its fs_ctx's index): opaque draws overwrite color with a value of
 * the draw and the provoking vertex; the others mix into it (order
 * dependent); zs-writing ones also mix into the depth/stencil words. */
static void scene_fs(const struct jit_fs_ctx *ctx, const struct jit_fs_stamp *st)
{
   unsigned i = (unsigned)(ctx - sc_fsctx);
   unsigned n = st->block ? JIT_FS_BLOCK_SIZE * JIT_FS_BLOCK_SIZE / JIT_LANES : 1;
   __atomic_add_fetch(&sc_stamps, n, __ATOMIC_RELAXED);
   uint32_t v = (uint32_t)st->planes->a0[0][0] * 977u + i * 131u + 1u;
   for (unsigned s = 0; s < n; s++) {
      int sx = st->x + (int)(s % 4) * 4, sy = st->y + (int)(s / 4) * 4;
      for (unsigned l = 0; l < JIT_LANES; l++) {
         if (!st->block && !(st->mask & (1u << l)))
            continue;
         int x = sx + (int)jit_lane_x(l), y = sy + (int)jit_lane_y(l);
         if (!(x >= 0 && y >= 0 && x < W && y < H)) {
            __atomic_store_n(&fs_outside, 1, __ATOMIC_RELAXED);
            continue;
         }
         uint32_t *c = &sc_color[y * W + x];
         *c = sc_opaque[i] ? v : *c * 31u + v;
         if (sc_writes_zs[i])
            sc_zs[y * W + x] = sc_zs[y * W + x] * 7u + v;
      }
   }
}

/* A random scene of draws and clears, run one command at a time (scene ==
 * NULL) or deferred; the images after it, and the fragment stamps shaded. */
static void scene_run(struct rs_pool *pool, struct rs_scene *scene, unsigned seed, int zs, uint32_t *color,
                      uint32_t *zsw, unsigned *stamps)
{
   static float pos[SCENE_DRAWS * 6 * 4];
   struct rs_framebuffer f;
   memset(&f, 0, sizeof(f));
   f.width = W;
   f.height = H;
   f.nr_cbufs = 1;
   f.cbufs[0] = (struct rs_surface){ (uint8_t *)sc_color, W * 4, JIT_FORMAT_R8G8B8A8_UNORM, W, H };
   if (zs)
      f.zsbuf = (struct rs_surface){ (uint8_t *)sc_zs, W * 4, JIT_FORMAT_Z24_UNORM_S8_UINT, W, H };
   memset(sc_color, 0, sizeof(sc_color));
   memset(sc_zs, 0, sizeof(sc_zs));
   sc_stamps = 0;
   srand(seed);
   /* seed 0: clear, a blended triangle over the screen, an opaque one scissored one pixel past a tile's
    * left edge: that tile is not covered (column 64 keeps the blended draw) */
   for (int k = 0; k < (seed ? SCENE_DRAWS : 3); k++) {
      int kind = seed ? rand() % 8 : k == 0 ? 0 : 1;
      if (kind == 0) {
         const float c[4] = { (float)(rand() % 256) / 255.0f, 0.5f, 0.25f, 1.0f };
         unsigned bufs = (rand() % 3 ? PIPE_CLEAR_COLOR0 : 0) | (rand() % 2 ? PIPE_CLEAR_DEPTH : 0) |
                         (rand() % 2 ? PIPE_CLEAR_STENCIL : 0);
         double depth = (double)(rand() % 100) / 100.0;
         unsigned stencil = (unsigned)rand() % 256;
         if (!scene || rs_scene_clear(pool, scene, &f, bufs, c, depth, stencil) != 1)
            rs_clear(pool, &f, bufs, c, depth, stencil, NULL);
         continue;
      }
      struct rs_draw d;
      float *p = pos + k * 6 * 4;
      for (int v = 0; v < 6; v++) /* two random triangles, */
         px2clip((float)(rand() % (W + 40)) - 20.0f, (float)(rand() % (H + 40)) - 20.0f, p + v * 4);
      if (kind <= 3) { /* or first a triangle over the screen (a shifted one for kind 3) */
         float s = kind == 3 ? 0.4f : 0.0f;
         float t[3][2] = { { -1 + s, -1 }, { 3 + s, -1 }, { -1 + s, 3 } };
         for (int v = 0; v < 3; v++) {
            p[v * 4] = t[v][0];
            p[v * 4 + 1] = t[v][1];
         }
      }
      draw_init(&d, p, 6, PIPE_PRIM_TRIANGLES, 6);
      d.fb = &f;
      d.fs = scene_fs;
      d.fs_ctx = &sc_fsctx[k];
      d.fs_blocks = 1;
      d.cull_face = PIPE_FACE_NONE;
      d.scissor_enable = rand() % 4 == 0; /* edges near the tile edge at 64 or inside the first tile */
      d.scissor.minx = rand() % 2 ? 62 + rand() % 5 : rand() % 3;
      d.scissor.miny = rand() % 2 ? 62 + rand() % 5 : rand() % 3;
      d.scissor.maxx = W - rand() % 10;
      d.scissor.maxy = H - rand() % 10;
      sc_opaque[k] = (uint8_t)(rand() % 3 != 0);
      sc_writes_zs[k] = (uint8_t)(zs && rand() % 4 == 0);
      if (!seed) {
         sc_opaque[k] = k == 2;
         sc_writes_zs[k] = 0;
         d.scissor_enable = k == 2;
         d.scissor = (struct rs_scissor){ 65, 0, W, H };
      }
      d.opaque = sc_opaque[k];
      d.writes_zs = sc_writes_zs[k];
      char err[128];
      int r = scene ? rs_scene_draw(pool, scene, &d, NULL, NULL, err, sizeof(err)) : 0;
      ck_assert_msg(r >= 0, "%s", err);
      if (r == 0)
         run_draw(pool, &d);
   }
   if (scene) {
      ck_assert_uint_gt(rs_scene_pending(scene), 0);
      rs_scene_flush(pool, scene);
      ck_assert_uint_eq(rs_scene_pending(scene), 0);
   }
   memcpy(color, sc_color, sizeof(sc_color));
   memcpy(zsw, sc_zs, sizeof(sc_zs));
   *stamps = sc_stamps;
}

START_TEST(test_scene_same_as_immediate)
{
   static uint32_t c0[W * H], z0[W * H], c1[W * H], z1[W * H];
   unsigned skipped = 0;
   for (unsigned threads = 1; threads <= 3; threads += 2) {
      struct rs_pool *pool;
      struct rs_scene *scene;
      ck_assert_int_eq(rs_pool_create(threads, &pool), 0);
      ck_assert_int_eq(rs_scene_create(&scene), 0);
      for (unsigned seed = 0; seed <= 40; seed++) {
         int zs = seed % 2;
         unsigned s0, s1;
         scene_run(pool, NULL, seed, zs, c0, z0, &s0);
         scene_run(pool, scene, seed, zs, c1, z1, &s1);
         ck_assert_msg(!memcmp(c0, c1, sizeof(c0)), "seed %u threads %u: color differs", seed, threads);
         ck_assert_msg(!memcmp(z0, z1, sizeof(z0)), "seed %u threads %u: depth/stencil differs", seed, threads);
         ck_assert_uint_le(s1, s0);
         skipped += s0 - s1;
      }
      rs_scene_destroy(scene);
      rs_pool_destroy(pool);
   }
   ck_assert_uint_gt(skipped, 0); /* covered tiles skipped the work under them */
}
END_TEST

int main(void)
{
   Suite *s = suite_create("raster");
   TCase *tc = check_util_tcase(s, "coverage");
   tcase_add_test(tc, test_fill_rule);
   tcase_add_test(tc, test_exact_coverage);
   tcase_add_test(tc, test_thread_invariance);
   tcase_add_test(tc, test_small_draws_inline);
   tcase_add_test(tc, test_cull_and_clip);
   tcase_add_test(tc, test_interpolation);
   tcase_add_test(tc, test_assembly_indices_instances);
   tcase_add_test(tc, test_clears);
   tcase_add_loop_test(tc, test_order_across_threads, 0, ORDER_CASES);
   tcase_add_test(tc, test_draw_bigger_than_chunk);
   tcase_add_test(tc, test_stamp_coverage);
   tcase_add_test(tc, test_scene_same_as_immediate);
   return check_util_run(s);
}
