/* rs_tile.c: shades one 64x64 tile: walks the tile's binned triangles in
 * submission order (so any thread count gives the same bytes), 64 -> 16 -> 4
 * with whole-block accept/reject against the edge functions, and calls the
 * fragment variant per covered 4x4 stamp, or once per wholly covered
 * 16x16 block where the draw allows (rs_draw.fs_blocks).
 *
 * A partly covered stamp's mask is 16 lanes of 32-bit compares (GCC vector
 * extensions: SSE2 on any x86-64, whatever the build machine) of each edge's
 * offsets over the stamp against minus its value at the stamp's origin. The
 * offsets fit in 32 bits unless an edge spans thousands of pixels; such a
 * triangle takes the scalar int64 twin, stamp_mask_ref. */
#include "raster/rs_priv.h"

#define SUB (1 << RS_SUBPIXEL_BITS)

_Static_assert(RS_BLOCK_SIZE == JIT_FS_BLOCK_SIZE, "a 16x16 block of the walk is a jit_fs_stamp block");

typedef int32_t v4si __attribute__((vector_size(16)));

/* The lane coordinates of a stamp as masks: bit k of jit_lane_x(l) in
 * x_bit[k][q][i] for lane l = 4q + i, and likewise y; constant folded. */
struct lane_bits {
   v4si x_bit[2][4], y_bit[2][4];
};

static inline void lane_bits_init(struct lane_bits *lb)
{
#pragma GCC unroll 16
   for (unsigned l = 0; l < JIT_LANES; l++)
      for (unsigned k = 0; k < 2; k++) {
         lb->x_bit[k][l / 4][l % 4] = (jit_lane_x(l) >> k) & 1 ? -1 : 0;
         lb->y_bit[k][l / 4][l % 4] = (jit_lane_y(l) >> k) & 1 ? -1 : 0;
      }
}

/* One triangle's edge functions prepared for a tile walk. */
struct walk_edges {
   int64_t ox, oy;                     /* pixel-center offset in subpixels */
   int64_t stamp_hi[3];                /* max over a 4x4 stamp of E(p) - E(stamp origin): its trivial-reject corner */
   int fast;                           /* every |offset| over a stamp < INT32_MAX: the vector path is exact */
   v4si off[3][4];                     /* per edge, E(lane) - E(stamp origin), lanes 4q..4q+3 in off[e][q] */
   v4si lane_x[4], lane_y[4];          /* jit_lane_x/y per lane */
};

/* Edge value at the fixed-point sample position of pixel (x, y). */
static inline int64_t edge_at(const struct rs_tri *t, int e, int64_t sx, int64_t sy)
{
   return t->a[e] * sx + t->b[e] * sy + t->c[e];
}

static inline int64_t max0(int64_t v)
{
   return v > 0 ? v : 0;
}

static inline int64_t min0(int64_t v)
{
   return v < 0 ? v : 0;
}

/* Classify the pixel block [x0,x1) x [y0,y1): 0 = outside, 1 = partly, 2 = inside every edge. */
static int classify(const struct rs_tri *t, int64_t ox, int64_t oy, int x0, int y0, int x1, int y1)
{
   int64_t sx = (int64_t)x0 * SUB + ox, sy = (int64_t)y0 * SUB + oy;
   int64_t w = (int64_t)(x1 - 1 - x0) * SUB, h = (int64_t)(y1 - 1 - y0) * SUB;
   int inside = 1;
   for (int e = 0; e < 3; e++) {
      /* a linear function's extremes over a rectangle lie at its corners */
      int64_t e0 = edge_at(t, e, sx, sy);
      if (e0 + max0(t->a[e]) * w + max0(t->b[e]) * h < 0)
         return 0;
      if (e0 + min0(t->a[e]) * w + min0(t->b[e]) * h < 0)
         inside = 0;
   }
   return inside ? 2 : 1;
}

static void walk_edges_init(struct walk_edges *we, const struct rs_ctx *ctx, const struct rs_tri *t)
{
   struct lane_bits lb;
   lane_bits_init(&lb);
   for (int q = 0; q < 4; q++) {
      we->lane_x[q] = (lb.x_bit[0][q] & 1) + (lb.x_bit[1][q] & 2);
      we->lane_y[q] = (lb.y_bit[0][q] & 1) + (lb.y_bit[1][q] & 2);
   }
   we->ox = (int64_t)(ctx->cx * SUB);
   we->oy = (int64_t)(ctx->cy * SUB);
   we->fast = 1;
   for (int e = 0; e < 3; e++) {
      int64_t a = t->a[e], b = t->b[e];
      int64_t span = ((a < 0 ? -a : a) + (b < 0 ? -b : b)) * (RS_STAMP_SIZE - 1) * SUB;
      we->stamp_hi[e] = (max0(a) + max0(b)) * (RS_STAMP_SIZE - 1) * SUB;
      if (span >= INT32_MAX)
         we->fast = 0;
   }
   if (!we->fast)
      return;
   for (int e = 0; e < 3; e++) {
      /* a * lane_x + b * lane_y from the coordinates' bits (SSE2 has no
       * 32-bit vector multiply); |.| <= span < INT32_MAX */
      int32_t a = (int32_t)(t->a[e] * SUB), b = (int32_t)(t->b[e] * SUB);
      for (int q = 0; q < 4; q++)
         we->off[e][q] = (lb.x_bit[0][q] & a) + (lb.x_bit[1][q] & (2 * a)) + (lb.y_bit[0][q] & b) +
                         (lb.y_bit[1][q] & (2 * b));
   }
}

/* Per-pixel coverage of the 4x4 stamp at (x, y) by the edges and the bounds,
 * the scalar int64 twin of the vector path in stamp_mask. */
static uint32_t stamp_mask_ref(const struct rs_tri *t, const struct walk_edges *we, int x, int y)
{
   uint32_t mask = 0;
   for (unsigned l = 0; l < JIT_LANES; l++) {
      int px = x + (int)jit_lane_x(l), py = y + (int)jit_lane_y(l);
      int64_t sx = (int64_t)px * SUB + we->ox, sy = (int64_t)py * SUB + we->oy;
      int in = px >= t->minx && px < t->maxx && py >= t->miny && py < t->maxy;
      in &= edge_at(t, 0, sx, sy) >= 0 && edge_at(t, 1, sx, sy) >= 0 && edge_at(t, 2, sx, sy) >= 0;
      mask |= (uint32_t)in << l;
   }
   return mask;
}

/* The 16 lane bits of in's true lanes. */
static inline uint32_t lanes_to_mask(const v4si in[4])
{
   v4si m = (in[0] & (v4si){ 1 << 0, 1 << 1, 1 << 2, 1 << 3 }) | (in[1] & (v4si){ 1 << 4, 1 << 5, 1 << 6, 1 << 7 }) |
            (in[2] & (v4si){ 1 << 8, 1 << 9, 1 << 10, 1 << 11 }) |
            (in[3] & (v4si){ 1 << 12, 1 << 13, 1 << 14, 1 << 15 });
   return (uint32_t)(m[0] | m[1] | m[2] | m[3]);
}

/* Coverage of the 4x4 stamp at (x, y), lanes in jit_abi.h order; full: the
 * stamp's block is inside every edge. */
static inline uint32_t stamp_mask(const struct rs_tri *t, const struct walk_edges *we, int x, int y, int full)
{
   int in_bounds = x >= t->minx && x + RS_STAMP_SIZE <= t->maxx && y >= t->miny && y + RS_STAMP_SIZE <= t->maxy;
   v4si in[4];
   if (full) {
      if (in_bounds)
         return 0xffff;
      for (int q = 0; q < 4; q++)
         in[q] = (v4si){ -1, -1, -1, -1 };
   } else {
      int64_t sx = (int64_t)x * SUB + we->ox, sy = (int64_t)y * SUB + we->oy;
      int64_t e0[3];
      for (int e = 0; e < 3; e++) {
         e0[e] = edge_at(t, e, sx, sy);
         if (e0[e] + we->stamp_hi[e] < 0)
            return 0; /* the stamp is outside this edge */
      }
      if (!we->fast)
         return stamp_mask_ref(t, we, x, y);
      /* lane inside edge e <=> off >= -e0; clamping -e0 to +-INT32_MAX keeps
       * that exact because |off| < INT32_MAX (walk_edges_init) */
      int32_t th[3];
      for (int e = 0; e < 3; e++) {
         int64_t v = -e0[e];
         th[e] = (int32_t)(v < -INT32_MAX ? -INT32_MAX : v > INT32_MAX ? INT32_MAX : v) - 1;
      }
      for (int q = 0; q < 4; q++)
         in[q] = (we->off[0][q] > th[0]) & (we->off[1][q] > th[1]) & (we->off[2][q] > th[2]);
   }
   if (!in_bounds) {
      int32_t xlo = t->minx - x - 1, xhi = t->maxx - x, ylo = t->miny - y - 1, yhi = t->maxy - y;
      for (int q = 0; q < 4; q++)
         in[q] &= (we->lane_x[q] > xlo) & (we->lane_x[q] < xhi) & (we->lane_y[q] > ylo) & (we->lane_y[q] < yhi);
   }
   return lanes_to_mask(in);
}

/* Drop the lanes of mask the polygon stipple leaves out. */
static uint32_t stipple_mask(const uint32_t *stipple, int x, int y, uint32_t mask)
{
   for (unsigned l = 0; l < JIT_LANES; l++) {
      int px = x + (int)jit_lane_x(l), py = y + (int)jit_lane_y(l);
      if (!((stipple[py & 31] >> (31 - (px & 31))) & 1))
         mask &= ~(1u << l);
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
   if (x0 >= x1 || y0 >= y1)
      return;
   int c = classify(t, ox, oy, x0, y0, x1, y1);
   if (c == 0)
      return;
   struct walk_edges we;
   walk_edges_init(&we, ctx, t);
   /* bounds within one 16x16 block: the block's class is c */
   int one_block = ((x0 ^ (x1 - 1)) | (y0 ^ (y1 - 1))) < RS_BLOCK_SIZE;
   struct jit_fs_stamp st;
   st.planes = &t->planes;
   st.block = 0;
   /* 16x16 blocks aligned to the tile, then 4x4 stamps, both in row order */
   for (int by = y0 & ~(RS_BLOCK_SIZE - 1); by < y1; by += RS_BLOCK_SIZE) {
      for (int bx = x0 & ~(RS_BLOCK_SIZE - 1); bx < x1; bx += RS_BLOCK_SIZE) {
         int bx0 = bx > x0 ? bx : x0, by0 = by > y0 ? by : y0;
         int bx1 = bx + RS_BLOCK_SIZE < x1 ? bx + RS_BLOCK_SIZE : x1;
         int by1 = by + RS_BLOCK_SIZE < y1 ? by + RS_BLOCK_SIZE : y1;
         int bc = one_block ? c : classify(t, ox, oy, bx0, by0, bx1, by1);
         if (bc == 0)
            continue;
         if (bc == 2 && d->fs_blocks && !t->stippled && bx0 == bx && by0 == by && bx1 == bx + RS_BLOCK_SIZE &&
             by1 == by + RS_BLOCK_SIZE) {
            /* the whole block is covered: one call for its 16 stamps */
            st.x = bx;
            st.y = by;
            st.mask = 0xffff;
            st.block = 1;
            d->fs(d->fs_ctx, &st);
            st.block = 0;
            continue;
         }
         for (int sy = by0 & ~(RS_STAMP_SIZE - 1); sy < by1; sy += RS_STAMP_SIZE) {
            for (int sx = bx0 & ~(RS_STAMP_SIZE - 1); sx < bx1; sx += RS_STAMP_SIZE) {
               uint32_t mask = stamp_mask(t, &we, sx, sy, bc == 2);
               if (t->stippled && mask)
                  mask = stipple_mask(d->poly_stipple, sx, sy, mask);
               if (!mask)
                  continue;
               st.x = sx;
               st.y = sy;
               st.mask = mask;
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

/* Ask for the cache lines of set-up triangle t (its edges, bounds and plane
 * pointers, and the first planes): the front end wrote it on any thread. */
static inline void tri_prefetch(const struct rs_tri *t)
{
   const char *p = (const char *)t;
   __builtin_prefetch(p);
   __builtin_prefetch(p + 64);
   __builtin_prefetch(p + 128);
}

void rs_tile_prefetch_bin(const struct rs_ctx *ctx, unsigned tile, int stage)
{
   const struct rs_bins *b = &ctx->bins;
   if (stage == 0) {
      __builtin_prefetch(&b->count[tile]);
      __builtin_prefetch(&b->list[tile]);
   } else {
      __builtin_prefetch(b->list[tile]);
   }
}

void rs_tile_rasterize(struct rs_ctx *ctx, unsigned tile)
{
   const struct rs_bins *b = &ctx->bins;
   int tx0 = (int)(tile % b->tiles_x) * RS_TILE_SIZE, ty0 = (int)(tile / b->tiles_x) * RS_TILE_SIZE;
   uint32_t n = b->count[tile];
   const uint32_t *list = b->list[tile];
   /* the misses of the next triangles overlap instead of stalling each walk in turn */
   for (uint32_t i = 0; i < n && i < RS_PREFETCH_TRIS; i++)
      tri_prefetch(b->tris[list[i]]);
   for (uint32_t i = 0; i < n; i++) {
      if (i + RS_PREFETCH_TRIS < n)
         tri_prefetch(b->tris[list[i + RS_PREFETCH_TRIS]]);
      walk(ctx, b->tris[list[i]], tx0, ty0);
   }
}

int rs_tile_covered(const struct rs_ctx *ctx, unsigned tile)
{
   const struct rs_bins *b = &ctx->bins;
   const struct rs_framebuffer *fb = ctx->draw->fb;
   int x0 = (int)(tile % b->tiles_x) * RS_TILE_SIZE, y0 = (int)(tile / b->tiles_x) * RS_TILE_SIZE;
   int x1 = x0 + RS_TILE_SIZE < (int)fb->width ? x0 + RS_TILE_SIZE : (int)fb->width;
   int y1 = y0 + RS_TILE_SIZE < (int)fb->height ? y0 + RS_TILE_SIZE : (int)fb->height;
   int64_t ox = (int64_t)(ctx->cx * SUB), oy = (int64_t)(ctx->cy * SUB);
   for (uint32_t i = 0; i < b->count[tile]; i++) {
      const struct rs_tri *t = b->tris[b->list[tile][i]];
      if (!t->stippled && t->minx <= x0 && t->miny <= y0 && t->maxx >= x1 && t->maxy >= y1 &&
          classify(t, ox, oy, x0, y0, x1, y1) == 2)
         return 1;
   }
   return 0;
}
