/* rs_tile.c: shades one 64x64 tile: walks the tile's binned triangles in
 * submission order (so any thread count gives the same bytes), 64 -> 16 -> 4
 * with whole-block accept/reject against the edge functions, and calls the
 * fragment variant per covered 4x4 stamp. */
#include "raster/rs_priv.h"

#define SUB (1 << RS_SUBPIXEL_BITS)

/* Edge value at the fixed-point sample position of pixel (x, y). */
static inline int64_t edge_at(const struct rs_tri *t, int e, int64_t sx, int64_t sy)
{
   return t->a[e] * sx + t->b[e] * sy + t->c[e];
}

/* Classify the pixel block [x0,x1) x [y0,y1): 0 = outside, 1 = partly, 2 = inside every edge. */
static int classify(const struct rs_tri *t, int64_t ox, int64_t oy, int x0, int y0, int x1, int y1)
{
   int64_t sx0 = (int64_t)x0 * SUB + ox, sx1 = (int64_t)(x1 - 1) * SUB + ox;
   int64_t sy0 = (int64_t)y0 * SUB + oy, sy1 = (int64_t)(y1 - 1) * SUB + oy;
   int inside = 1;
   for (int e = 0; e < 3; e++) {
      /* a linear function's extremes over a rectangle lie at its corners */
      int64_t lo_x = t->a[e] >= 0 ? sx0 : sx1, hi_x = t->a[e] >= 0 ? sx1 : sx0;
      int64_t lo_y = t->b[e] >= 0 ? sy0 : sy1, hi_y = t->b[e] >= 0 ? sy1 : sy0;
      if (edge_at(t, e, hi_x, hi_y) < 0)
         return 0;
      if (edge_at(t, e, lo_x, lo_y) < 0)
         inside = 0;
   }
   return inside ? 2 : 1;
}

/* Per-pixel coverage of a 4x4 stamp at (x, y), lanes in jit_abi.h order. */
static uint32_t stamp_mask(const struct rs_tri *t, const uint32_t *stipple, int64_t ox, int64_t oy, int x, int y,
                           int full)
{
   if (full && !t->stippled && x >= t->minx && x + 4 <= t->maxx && y >= t->miny && y + 4 <= t->maxy)
      return 0xffff; /* inside every edge and the bounds: no per-pixel work */
   uint32_t mask = 0;
   for (unsigned l = 0; l < JIT_LANES; l++) {
      int px = x + (int)jit_lane_x(l), py = y + (int)jit_lane_y(l);
      if (px < t->minx || px >= t->maxx || py < t->miny || py >= t->maxy)
         continue;
      if (!full) {
         int64_t sx = (int64_t)px * SUB + ox, sy = (int64_t)py * SUB + oy;
         if (edge_at(t, 0, sx, sy) < 0 || edge_at(t, 1, sx, sy) < 0 || edge_at(t, 2, sx, sy) < 0)
            continue;
      }
      if (t->stippled && !((stipple[py & 31] >> (31 - (px & 31))) & 1))
         continue;
      mask |= 1u << l;
   }
   return mask;
}

static inline void walk(const struct rs_ctx *ctx, const struct rs_tri *t, int tx0, int ty0)
{
   const struct rs_draw *d = ctx->draw;
   int64_t ox = (int64_t)(ctx->cx * SUB), oy = (int64_t)(ctx->cy * SUB);
   int x0 = tx0 > t->minx ? tx0 : t->minx, y0 = ty0 > t->miny ? ty0 : t->miny;
   int x1 = tx0 + RS_TILE_SIZE < t->maxx ? tx0 + RS_TILE_SIZE : t->maxx;
   int y1 = ty0 + RS_TILE_SIZE < t->maxy ? ty0 + RS_TILE_SIZE : t->maxy;
   if (x0 >= x1 || y0 >= y1 || classify(t, ox, oy, x0, y0, x1, y1) == 0)
      return;
   struct jit_fs_stamp st;
   st.planes = &t->planes;
   /* 16x16 blocks aligned to the tile, then 4x4 stamps */
   for (int by = ty0; by < y1; by += RS_BLOCK_SIZE) {
      for (int bx = tx0; bx < x1; bx += RS_BLOCK_SIZE) {
         int bx0 = bx > x0 ? bx : x0, by0 = by > y0 ? by : y0;
         int bx1 = bx + RS_BLOCK_SIZE < x1 ? bx + RS_BLOCK_SIZE : x1;
         int by1 = by + RS_BLOCK_SIZE < y1 ? by + RS_BLOCK_SIZE : y1;
         if (bx0 >= bx1 || by0 >= by1)
            continue;
         int bc = classify(t, ox, oy, bx0, by0, bx1, by1);
         if (bc == 0)
            continue;
         for (int sy = by; sy < by1; sy += RS_STAMP_SIZE) {
            for (int sx = bx; sx < bx1; sx += RS_STAMP_SIZE) {
               int c = bc;
               if (c == 1) {
                  int cx0 = sx > x0 ? sx : x0, cy0 = sy > y0 ? sy : y0;
                  int cx1 = sx + 4 < x1 ? sx + 4 : x1, cy1 = sy + 4 < y1 ? sy + 4 : y1;
                  if (cx0 >= cx1 || cy0 >= cy1)
                     continue;
                  c = classify(t, ox, oy, cx0, cy0, cx1, cy1);
                  if (c == 0)
                     continue;
               }
               st.x = sx;
               st.y = sy;
               st.mask = stamp_mask(t, d->poly_stipple, ox, oy, sx, sy, c == 2);
               if (st.mask)
                  d->fs(d->fs_ctx, &st);
            }
         }
      }
   }
}

void rs_tile_walk(const struct rs_ctx *ctx, const struct rs_tri *t, int tx0, int ty0)
{
   walk(ctx, t, tx0, ty0);
}

void rs_tile_rasterize(struct rs_ctx *ctx, unsigned tile)
{
   const struct rs_bins *b = &ctx->bins;
   int tx0 = (int)(tile % b->tiles_x) * RS_TILE_SIZE, ty0 = (int)(tile / b->tiles_x) * RS_TILE_SIZE;
   for (uint32_t i = 0; i < b->count[tile]; i++)
      walk(ctx, b->tris[b->list[tile][i]], tx0, ty0);
}
