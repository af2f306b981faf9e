/* raster_tris.c: geometry front-end benchmark of src/raster: one draw of many
 * small triangles (each covers 10-20 px, random depth, depth test LESS) into
 * a 1024x768 RGBA8 + float depth target, timed at 1 and 2 (or given) pool
 * threads, interleaved; prints the median ms/frame per thread count, the
 * ratio to the first count, and whether the images match across counts.
 * The vertex and fragment stages are plain C callbacks standing in for
 * compiled variants (fetch + matrix transform; z plane, depth test, color
 * plane, RGBA8 store), so the figures are the rasterizer's own cost.
 *
 * Build (after `make`): gcc -O2 -std=gnu11 -pthread -Iinclude -Isrc -o raster_tris bench/raster_tris.c libtessera.a -lm
 * Usage: ./raster_tris [-n TRIS] [-f FRAMES] [-r RUNS] [-i] [-s] [THREADS...]
 *   -i: indexed TRIANGLES (u32 indices); -s: indexed TRIANGLE_STRIP with restart per strip */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench_time.h"

#include "raster/rs_draw.h"

#define W 1024
#define H 768

static uint32_t color[W * H];
static float depth[W * H];

/* vs: slot 0 = M * position (vb[0] float4 per vertex), slot 1 = color (vb[1] float4) */
static const float mvp[16] = { 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 };
static void bench_vs(const struct jit_vs_ctx *ctx, const struct jit_vs_batch *b)
{
   const float *pos = (const float *)(const void *)ctx->vb[0].data;
   const float *col = (const float *)(const void *)ctx->vb[1].data;
   size_t n = ctx->vb[0].size / 16;
   for (uint32_t i = 0; i < b->count; i++) {
      float *o = b->out + (size_t)i * b->out_stride;
      uint32_t id = b->vertex_ids[i];
      if (id >= n) {
         memset(o, 0, 8 * sizeof(float));
         continue;
      }
      const float *p = pos + (size_t)id * 4;
      for (int r = 0; r < 4; r++)
         o[r] = mvp[r * 4] * p[0] + mvp[r * 4 + 1] * p[1] + mvp[r * 4 + 2] * p[2] + mvp[r * 4 + 3] * p[3];
      memcpy(o + 4, col + (size_t)id * 4, 4 * sizeof(float));
   }
}

/* fs: depth LESS against a float buffer, then the linear color plane packed to RGBA8 */
static void bench_fs(const struct jit_fs_ctx *ctx, const struct jit_fs_stamp *st)
{
   (void)ctx;
   const struct jit_fs_planes *pl = st->planes;
   for (unsigned l = 0; l < JIT_LANES; l++) {
      if (!(st->mask & (1u << l)))
         continue;
      int x = st->x + (int)jit_lane_x(l), y = st->y + (int)jit_lane_y(l);
      float z = pl->z0 + pl->dzdx * (float)x + pl->dzdy * (float)y;
      float *zp = &depth[y * W + x];
      if (!(z < *zp))
         continue;
      *zp = z;
      uint32_t px = 0;
      for (int c = 0; c < 4; c++) {
         float v = pl->a0[0][c] + pl->dadx[0][c] * (float)x + pl->dady[0][c] * (float)y;
         v = v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v;
         px |= (uint32_t)(v * 255.0f + 0.5f) << (8 * c);
      }
      color[y * W + x] = px;
   }
}

static uint64_t image_hash(void)
{
   uint64_t h = 1469598103934665603ull;
   for (size_t i = 0; i < (size_t)W * H; i++)
      h = (h ^ color[i]) * 1099511628211ull;
   return h;
}

int main(int argc, char **argv)
{
   unsigned ntris = 100000, frames = 10, runs = 7, mode = 0;
   unsigned threads[8], nthreads = 0;
   for (int i = 1; i < argc; i++) {
      if (!strcmp(argv[i], "-n") && i + 1 < argc)
         ntris = (unsigned)atoi(argv[++i]);
      else if (!strcmp(argv[i], "-f") && i + 1 < argc)
         frames = (unsigned)atoi(argv[++i]);
      else if (!strcmp(argv[i], "-r") && i + 1 < argc)
         runs = (unsigned)atoi(argv[++i]);
      else if (!strcmp(argv[i], "-i"))
         mode = 1;
      else if (!strcmp(argv[i], "-s"))
         mode = 2;
      else if (nthreads < 8)
         threads[nthreads++] = (unsigned)atoi(argv[i]);
   }
   if (!nthreads) {
      threads[0] = 1;
      threads[1] = 2;
      nthreads = 2;
   }
   if (runs > 64)
      runs = 64;

   /* triangles (x, y), (x + a, y), (x, y + b) with a * b / 2 in [10, 20], mirrored at random */
   float *pos = malloc((size_t)ntris * 3 * 4 * sizeof(float));
   float *col = malloc((size_t)ntris * 3 * 4 * sizeof(float));
   uint32_t *idx = malloc((size_t)ntris * 4 * sizeof(uint32_t));
   if (!pos || !col || !idx)
      return 1;
   srand(1);
   for (unsigned t = 0; t < ntris; t++) {
      float x = 8.0f + (float)(rand() % ((W - 16) * 16)) / 16.0f, y = 8.0f + (float)(rand() % ((H - 16) * 16)) / 16.0f;
      float area = 10.0f + (float)(rand() % 1000) / 100.0f;
      float a = 4.0f + (float)(rand() % 100) / 50.0f, b = 2.0f * area / a;
      if (rand() & 1) a = -a;
      if (rand() & 1) b = -b;
      float z = (float)(rand() % 10000) / 10000.0f * 1.8f - 0.9f;
      float vx[3] = { x, x + a, x }, vy[3] = { y, y, y + b };
      float rgb[3] = { (float)(rand() % 256) / 255.0f, (float)(rand() % 256) / 255.0f, (float)(rand() % 256) / 255.0f };
      for (int k = 0; k < 3; k++) {
         float *p = pos + ((size_t)t * 3 + k) * 4, *c = col + ((size_t)t * 3 + k) * 4;
         p[0] = vx[k] / (W / 2.0f) - 1.0f;
         p[1] = vy[k] / (H / 2.0f) - 1.0f;
         p[2] = z;
         p[3] = 1.0f;
         c[0] = rgb[0] * (0.8f + 0.1f * k);
         c[1] = rgb[1];
         c[2] = rgb[2];
         c[3] = 1.0f;
      }
   }
   /* indices: TRIANGLES 0..3n, or per-triangle strips (a, b, c, restart) */
   size_t nidx = 0;
   for (unsigned t = 0; t < ntris; t++) {
      for (int k = 0; k < 3; k++)
         idx[nidx++] = t * 3 + (uint32_t)k;
      if (mode == 2)
         idx[nidx++] = 0xffffffffu;
   }

   struct rs_framebuffer fb;
   memset(&fb, 0, sizeof(fb));
   fb.width = W;
   fb.height = H;
   struct jit_vs_ctx vsctx;
   struct jit_fs_ctx fsctx;
   memset(&vsctx, 0, sizeof(vsctx));
   memset(&fsctx, 0, sizeof(fsctx));
   vsctx.vb[0] = (struct jit_vertex_buffer){ (const uint8_t *)pos, (size_t)ntris * 3 * 16, 16 };
   vsctx.vb[1] = (struct jit_vertex_buffer){ (const uint8_t *)col, (size_t)ntris * 3 * 16, 16 };
   struct rs_draw d;
   memset(&d, 0, sizeof(d));
   d.mode = mode == 2 ? PIPE_PRIM_TRIANGLE_STRIP : PIPE_PRIM_TRIANGLES;
   d.count = mode ? (uint32_t)nidx : ntris * 3;
   d.index_size = mode ? 4 : 0;
   d.indices = mode ? idx : NULL;
   d.primitive_restart = mode == 2;
   d.restart_index = 0xffffffffu;
   d.instance_count = 1;
   d.vs = bench_vs;
   d.vs_ctx = &vsctx;
   d.vs_num_outputs = 2;
   d.pos_slot = 0;
   d.psize_slot = -1;
   d.fs = bench_fs;
   d.fs_ctx = &fsctx;
   d.fs_num_inputs = 1;
   d.fs_inputs[0] = (struct rs_fs_input){ RS_INPUT_VS_OUTPUT, JIT_INTERP_LINEAR, 1 };
   d.half_pixel_center = 1;
   d.depth_clip = 1;
   d.front_ccw = 1;
   d.viewport_scale[0] = W / 2.0f;
   d.viewport_scale[1] = H / 2.0f;
   d.viewport_scale[2] = 0.5f;
   d.viewport_translate[0] = W / 2.0f;
   d.viewport_translate[1] = H / 2.0f;
   d.viewport_translate[2] = 0.5f;
   d.point_size = d.line_width = 1.0f;
   d.fb = &fb;

   struct rs_pool *pools[8];
   for (unsigned t = 0; t < nthreads; t++)
      if (rs_pool_create(threads[t], &pools[t]))
         return 1;
   double ms[8][64];
   uint64_t hash[8];
   for (unsigned r = 0; r < runs; r++)
      for (unsigned t = 0; t < nthreads; t++) {
         double t0 = now_ms();
         for (unsigned f = 0; f < frames; f++) {
            memset(color, 0, sizeof(color));
            for (size_t i = 0; i < (size_t)W * H; i++)
               depth[i] = 1.0f;
            char err[128];
            if (rs_draw_run(pools[t], &d, err, sizeof(err))) {
               fprintf(stderr, "draw failed: %s\n", err);
               return 1;
            }
         }
         ms[t][r] = (now_ms() - t0) / frames;
         hash[t] = image_hash();
      }
   printf("%u triangles (%s), %u frames x %u runs, %ux%u\n", ntris,
          mode == 2 ? "indexed strips with restart" : mode ? "indexed" : "non-indexed", frames, runs, W, H);
   printf("%-8s %-14s %-8s %s\n", "threads", "median ms/fr", "vs 1st", "image");
   double base = 0.0;
   int differ = 0;
   for (unsigned t = 0; t < nthreads; t++) {
      qsort(ms[t], runs, sizeof(double), cmp_double);
      double med = runs % 2 ? ms[t][runs / 2] : (ms[t][runs / 2 - 1] + ms[t][runs / 2]) / 2;
      if (t == 0)
         base = med;
      differ |= hash[t] != hash[0];
      printf("%-8u %-14.2f %-8.2f %016llx\n", threads[t], med, base / med, (unsigned long long)hash[t]);
      rs_pool_destroy(pools[t]);
   }
   free(pos);
   free(col);
   free(idx);
   if (differ)
      fprintf(stderr, "warning: images differ between thread counts\n");
   return differ;
}
