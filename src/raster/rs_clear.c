/* rs_clear.c: CLEAR of color, depth and stencil buffers: packs the value once
 * in the surface's format, then fills rows in parallel (rows are disjoint, so
 * the result does not depend on the thread count). Clearing only depth or
 * only stencil of a combined format keeps the other part: the packed value
 * and a mask of the bits to keep are also computed once. A clear queued in a
 * scene (rs_scene.c) is packed once the same way and applied tile by tile
 * (rs_clear_rect). */
#include <string.h>

#include "raster/rs_priv.h"

typedef uint32_t v4u __attribute__((vector_size(16)));

#define CLEAR_PREFETCH_ROWS 4   /* a tile's rows are short runs: ask for the lines of a row this far ahead */

/* Clear [x0, x1) x [y0, y1) of the job's surface (inside it: callers clip).
 * 4-byte pixels go 4 at a time (GCC vector extensions, SSE2): at -O2 GCC
 * leaves the plain loops scalar. */
static void clear_span(const struct rs_clear_job *j, int32_t x0, int32_t y0, int32_t x1, int32_t y1)
{
   size_t n = (size_t)(x1 - x0), bytes = n * j->bpp;
   for (int32_t y = y0; y < y1; y++) {
      uint8_t *row = j->surf->data + (size_t)y * j->surf->stride + (size_t)x0 * j->bpp;
      if (y + CLEAR_PREFETCH_ROWS < y1)
         for (size_t b = 0; b < bytes; b += 64)
            __builtin_prefetch(row + (size_t)CLEAR_PREFETCH_ROWS * j->surf->stride + b, 1);
      if (j->bpp == 4) {
         uint32_t v, k;
         memcpy(&v, j->pattern, 4);
         memcpy(&k, j->keep, 4);
         v4u vv = { v, v, v, v }, kk = { k, k, k, k };
         size_t x = 0;
         if (j->partial) {
            for (; x + 4 <= n; x += 4) {
               v4u o;
               memcpy(&o, row + x * 4, 16);
               o = (o & kk) | vv;
               memcpy(row + x * 4, &o, 16);
            }
         } else {
            for (; x + 4 <= n; x += 4)
               memcpy(row + x * 4, &vv, 16);
         }
         for (; x < n; x++) {
            uint32_t o;
            memcpy(&o, row + x * 4, 4);
            o = j->partial ? (o & k) | v : v;
            memcpy(row + x * 4, &o, 4);
         }
      } else if (j->partial) {
         for (size_t x = 0; x < n; x++)
            for (unsigned b = 0; b < j->bpp; b++)
               row[x * j->bpp + b] = (uint8_t)((row[x * j->bpp + b] & j->keep[b]) | j->pattern[b]);
      } else {
         for (size_t x = 0; x < n; x++)
            memcpy(row + x * j->bpp, j->pattern, j->bpp);
      }
   }
}

static void clear_rows(void *arg, unsigned item)
{
   const struct rs_clear_job *j = arg;
   int32_t y0 = j->y0 + (int32_t)(item * j->rows_per_item);
   int32_t y1 = y0 + (int32_t)j->rows_per_item < j->y1 ? y0 + (int32_t)j->rows_per_item : j->y1;
   clear_span(j, j->x0, y0, j->x1, y1);
}

/* Set up j for surface s; 0 when there is nothing of it to clear. */
static int job_init(struct rs_clear_job *j, const struct rs_surface *s)
{
   const struct jit_format_desc *d = jit_format_get(s->format);
   if (!s->data || !d)
      return 0;
   j->surf = s;
   j->bpp = d->block_bytes;
   j->x0 = 0;
   j->y0 = 0;
   j->x1 = (int32_t)s->width;
   j->y1 = (int32_t)s->height;
   j->rows_per_item = RS_TILE_SIZE;
   return j->x1 > 0 && j->y1 > 0;
}

void rs_clear_prepare(const struct rs_framebuffer *fb, unsigned buffers, const float color[4], double depth,
                      unsigned stencil, struct rs_clear_values *v)
{
   memset(v, 0, sizeof(*v));
   for (unsigned i = 0; i < fb->nr_cbufs && i < JIT_MAX_CBUFS; i++) {
      if (!(buffers & (PIPE_CLEAR_COLOR0 << i)))
         continue;
      struct rs_clear_job *j = &v->jobs[v->njobs];
      if (!job_init(j, &fb->cbufs[i]))
         continue;
      jit_format_pack_rgba(fb->cbufs[i].format, color, j->pattern);
      v->njobs++;
   }
   const struct jit_format_desc *zd = jit_format_get(fb->zsbuf.format);
   unsigned zs = buffers & (PIPE_CLEAR_DEPTH | PIPE_CLEAR_STENCIL);
   if (!zs || !zd)
      return;
   int want_z = (zs & PIPE_CLEAR_DEPTH) && zd->has_depth;
   int want_s = (zs & PIPE_CLEAR_STENCIL) && zd->has_stencil;
   struct rs_clear_job *j = &v->jobs[v->njobs];
   if ((!want_z && !want_s) || !job_init(j, &fb->zsbuf))
      return;
   if (want_z && (want_s || !zd->has_stencil)) {
      /* the whole pixel: pack depth, then stencil, into the pattern */
      if (zd->has_depth)
         jit_format_pack_z(fb->zsbuf.format, (float)depth, j->pattern);
      if (zd->has_stencil)
         jit_format_pack_s(fb->zsbuf.format, (uint8_t)stencil, j->pattern);
   } else {
      /* one part of a combined format: pack it over all-zero and all-one
       * pixels; bits still one in the second are the ones to keep */
      uint8_t ones[16];
      memset(ones, 0xff, sizeof(ones));
      if (want_z) {
         jit_format_pack_z(fb->zsbuf.format, (float)depth, j->pattern);
         jit_format_pack_z(fb->zsbuf.format, (float)depth, ones);
      } else {
         jit_format_pack_s(fb->zsbuf.format, (uint8_t)stencil, j->pattern);
         jit_format_pack_s(fb->zsbuf.format, (uint8_t)stencil, ones);
      }
      for (unsigned b = 0; b < sizeof(ones); b++)
         j->keep[b] = (uint8_t)(ones[b] & ~j->pattern[b]);
      j->partial = 1;
   }
   v->njobs++;
}

void rs_clear_rect(const struct rs_clear_values *v, int32_t x0, int32_t y0, int32_t x1, int32_t y1)
{
   for (unsigned i = 0; i < v->njobs; i++) {
      const struct rs_clear_job *j = &v->jobs[i];
      int32_t cx0 = x0 > j->x0 ? x0 : j->x0, cy0 = y0 > j->y0 ? y0 : j->y0;
      int32_t cx1 = x1 < j->x1 ? x1 : j->x1, cy1 = y1 < j->y1 ? y1 : j->y1;
      if (cx0 < cx1 && cy0 < cy1)
         clear_span(j, cx0, cy0, cx1, cy1);
   }
}

void rs_clear_run(struct rs_pool *pool, struct rs_clear_values *v)
{
   for (unsigned i = 0; i < v->njobs; i++) {
      struct rs_clear_job *j = &v->jobs[i];
      if (j->x0 >= j->x1 || j->y0 >= j->y1)
         continue;
      unsigned items = (unsigned)(j->y1 - j->y0 + (int32_t)j->rows_per_item - 1) / j->rows_per_item;
      rs_pool_run(pool, items, clear_rows, j);
   }
}

int rs_clear(struct rs_pool *pool, const struct rs_framebuffer *fb, unsigned buffers, const float color[4],
             double depth, unsigned stencil, const struct rs_scissor *scissor)
{
   struct rs_clear_values v;
   rs_clear_prepare(fb, buffers, color, depth, stencil, &v);
   for (unsigned i = 0; scissor && i < v.njobs; i++) {
      struct rs_clear_job *j = &v.jobs[i];
      if (scissor->minx > j->x0) j->x0 = scissor->minx;
      if (scissor->miny > j->y0) j->y0 = scissor->miny;
      if (scissor->maxx < j->x1) j->x1 = scissor->maxx;
      if (scissor->maxy < j->y1) j->y1 = scissor->maxy;
   }
   rs_clear_run(pool, &v);
   return 0;
}
