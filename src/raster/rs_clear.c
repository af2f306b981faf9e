/* rs_clear.c: CLEAR of color, depth and stencil buffers: packs the value once
 * in the surface's format, then fills rows in parallel (rows are disjoint, so
 * the result does not depend on the thread count). Clearing only depth or
 * only stencil of a combined format keeps the other part: the packed value
 * and a mask of the bits to keep are also computed once. */
#include <string.h>

#include "raster/rs_priv.h"

struct clear_job {
   const struct rs_surface *surf;
   int32_t x0, y0, x1, y1;
   unsigned bpp;
   uint8_t pattern[16];          /* the packed pixel (partial: zero outside the cleared bits) */
   uint8_t keep[16];             /* partial: bits of the old pixel that stay */
   int partial;                  /* 1: depth only or stencil only of a combined format */
   unsigned rows_per_item;
};

static void clear_rows(void *arg, unsigned item)
{
   const struct clear_job *j = arg;
   int32_t y0 = j->y0 + (int32_t)(item * j->rows_per_item);
   int32_t y1 = y0 + (int32_t)j->rows_per_item < j->y1 ? y0 + (int32_t)j->rows_per_item : j->y1;
   for (int32_t y = y0; y < y1; y++) {
      uint8_t *row = j->surf->data + (size_t)y * j->surf->stride + (size_t)j->x0 * j->bpp;
      size_t n = (size_t)(j->x1 - j->x0);
      if (j->partial && j->bpp == 4) {
         uint32_t v, k;
         memcpy(&v, j->pattern, 4);
         memcpy(&k, j->keep, 4);
         for (size_t x = 0; x < n; x++) {
            uint32_t o;
            memcpy(&o, row + x * 4, 4);
            o = (o & k) | v;
            memcpy(row + x * 4, &o, 4);
         }
      } else if (j->partial) {
         for (size_t x = 0; x < n; x++)
            for (unsigned b = 0; b < j->bpp; b++)
               row[x * j->bpp + b] = (uint8_t)((row[x * j->bpp + b] & j->keep[b]) | j->pattern[b]);
      } else if (j->bpp == 4) {
         uint32_t v;
         memcpy(&v, j->pattern, 4);
         uint32_t *p = (uint32_t *)(void *)row;
         if ((uintptr_t)row % 4 == 0) {
            for (size_t x = 0; x < n; x++)
               p[x] = v;
         } else {
            for (size_t x = 0; x < n; x++)
               memcpy(row + x * 4, &v, 4);
         }
      } else {
         for (size_t x = 0; x < n; x++)
            memcpy(row + x * j->bpp, j->pattern, j->bpp);
      }
   }
}

static void clear_surface(struct rs_pool *pool, const struct rs_surface *s, const struct rs_scissor *sc,
                          struct clear_job *j)
{
   const struct jit_format_desc *d = jit_format_get(s->format);
   if (!s->data || !d)
      return;
   j->surf = s;
   j->bpp = d->block_bytes;
   j->x0 = 0;
   j->y0 = 0;
   j->x1 = (int32_t)s->width;
   j->y1 = (int32_t)s->height;
   if (sc) {
      if (sc->minx > j->x0) j->x0 = sc->minx;
      if (sc->miny > j->y0) j->y0 = sc->miny;
      if (sc->maxx < j->x1) j->x1 = sc->maxx;
      if (sc->maxy < j->y1) j->y1 = sc->maxy;
   }
   if (j->x0 >= j->x1 || j->y0 >= j->y1)
      return;
   j->rows_per_item = RS_TILE_SIZE;
   unsigned items = (unsigned)(j->y1 - j->y0 + (int32_t)j->rows_per_item - 1) / j->rows_per_item;
   rs_pool_run(pool, items, clear_rows, j);
}

int rs_clear(struct rs_pool *pool, const struct rs_framebuffer *fb, unsigned buffers, const float color[4],
             double depth, unsigned stencil, const struct rs_scissor *scissor)
{
   for (unsigned i = 0; i < fb->nr_cbufs && i < JIT_MAX_CBUFS; i++) {
      if (!(buffers & (PIPE_CLEAR_COLOR0 << i)) || !fb->cbufs[i].data)
         continue;
      struct clear_job j;
      memset(&j, 0, sizeof(j));
      jit_format_pack_rgba(fb->cbufs[i].format, color, j.pattern);
      clear_surface(pool, &fb->cbufs[i], scissor, &j);
   }
   const struct jit_format_desc *zd = jit_format_get(fb->zsbuf.format);
   unsigned zs = buffers & (PIPE_CLEAR_DEPTH | PIPE_CLEAR_STENCIL);
   if (zs && fb->zsbuf.data && zd) {
      struct clear_job j;
      memset(&j, 0, sizeof(j));
      int want_z = (zs & PIPE_CLEAR_DEPTH) && zd->has_depth;
      int want_s = (zs & PIPE_CLEAR_STENCIL) && zd->has_stencil;
      if (!want_z && !want_s)
         return 0;
      if (want_z && (want_s || !zd->has_stencil)) {
         /* the whole pixel: pack depth, then stencil, into the pattern */
         if (zd->has_depth)
            jit_format_pack_z(fb->zsbuf.format, (float)depth, j.pattern);
         if (zd->has_stencil)
            jit_format_pack_s(fb->zsbuf.format, (uint8_t)stencil, j.pattern);
      } else {
         /* one part of a combined format: pack it over all-zero and all-one
          * pixels; bits still one in the second are the ones to keep */
         uint8_t ones[16];
         memset(ones, 0xff, sizeof(ones));
         if (want_z) {
            jit_format_pack_z(fb->zsbuf.format, (float)depth, j.pattern);
            jit_format_pack_z(fb->zsbuf.format, (float)depth, ones);
         } else {
            jit_format_pack_s(fb->zsbuf.format, (uint8_t)stencil, j.pattern);
            jit_format_pack_s(fb->zsbuf.format, (uint8_t)stencil, ones);
         }
         for (unsigned b = 0; b < sizeof(ones); b++)
            j.keep[b] = (uint8_t)(ones[b] & ~j.pattern[b]);
         j.partial = 1;
      }
      clear_surface(pool, &fb->zsbuf, scissor, &j);
   }
   return 0;
}
