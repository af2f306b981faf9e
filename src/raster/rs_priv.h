/* rs_priv.h: rasterizer internals shared by rs_pool.c, rs_setup.c,
 * rs_bin.c, rs_tile.c and rs_clear.c. Nothing outside src/raster sees them. */
#ifndef RS_PRIV_H
#define RS_PRIV_H

#include <pthread.h>
#include <stdint.h>

#include "raster/rs_draw.h"
#include "raster/rs_limits.h"

struct rs_slot;

/* Thread pool: one job at a time; workers and the submitting thread pull
 * items from a shared counter. Owned by whoever called rs_pool_create. */
struct rs_pool {
   unsigned nthreads;                  /* workers + the caller */
   pthread_t threads[RS_MAX_THREADS];
   pthread_mutex_t lock;
   pthread_cond_t wake;                /* a new job (generation changed) or shutdown */
   pthread_cond_t done;                /* a worker finished its share */
   unsigned generation;                /* bumped per job */
   unsigned busy;                      /* workers still in the current job */
   int shutdown;
   void (*job)(void *arg, unsigned item);
   void *job_arg;
   unsigned job_items;
   unsigned next_item;                 /* atomic counter handed out to whoever is free */
   /* chunk buffers kept from one draw for the next (rs_bin.c): allocating
    * them afresh faulted in megabytes of pages per draw, serially */
   pthread_mutex_t cache_lock;
   struct rs_slot *cache;              /* [cache_n] slots with buffers, no chunk in them */
   unsigned cache_n;
   size_t cache_bytes;                 /* their buffers, bounded by RS_BATCH_MEMORY */
};

/* Run job(arg, i) for i in [0, items) on all threads; returns when all are done. */
void rs_pool_run(struct rs_pool *pool, unsigned items, void (*job)(void *arg, unsigned item), void *arg);

/* A vertex in window space, ready for setup. attr points at the vertex
 * shader outputs (vs_num_outputs x 4 floats). */
struct rs_wvert {
   float x, y, z;                      /* window coordinates */
   float invw;                         /* 1 / clip w */
   const float *attr;
};

/* A triangle after setup, binned into tiles. Lives in the chunk arena. */
struct rs_tri {
   int64_t a[3], b[3], c[3];           /* edge functions E = a*x + b*y + c at fixed-point sample positions, inside >= 0 */
   int32_t minx, miny, maxx, maxy;     /* pixel bounds, clipped to framebuffer and scissor, max exclusive */
   int stippled;                       /* polygon stipple applies (filled polygons only) */
   struct jit_fs_planes planes;        /* arrays point into the arena right after this struct */
};

/* One chunk's arena of set-up triangles and its per-tile bins (rs_bin.c
 * keeps one per chunk of a batch; only the job setting up that chunk writes it). */
struct rs_bins {
   unsigned tiles_x, tiles_y;
   uint32_t **list;                    /* per tile: indices into tris */
   uint32_t *count, *cap;
   struct rs_tri **tris;
   uint32_t ntris, tris_cap;
   uint8_t *arena;                     /* bump allocator for rs_tri + planes */
   size_t arena_used, arena_cap;
   int oom;
};

/* Setup state of one chunk: the draw's constants and the chunk's bins. */
struct rs_ctx {
   const struct rs_draw *draw;
   struct rs_bins bins;
   int32_t clip_minx, clip_miny, clip_maxx, clip_maxy; /* framebuffer ∩ scissor */
   float cx, cy;                       /* pixel-center offsets (0.5 or 0) */
   struct jit_vs_window win;           /* viewport, guard band (clip units per w: RS_GUARD_BAND / max(|viewport
                                        * scale|, 1)), halfz; where each vertex's record is (jit_abi.h) */
   uint32_t clip_planes;               /* the planes of a record's mask that clip (near/far only with depth_clip) */
   int offset_enabled;                 /* a filled polygon is being set up (polygon offset and stipple apply) */
};

/* A chunk of a batch and everything its job writes. Lives in rs_bin.c's
 * draw_state (buffers allocated on first use, freed by draw_free), or, once
 * a deferred draw's front end is done, in its rs_scene entry (bins and
 * arena only; freed by rs_slot_free at the flush). */
struct rs_slot {
   struct rs_ctx ctx;             /* setup state and this chunk's bins */
   float *verts;                  /* shaded vertices of the chunk's runs, verts_cap x stride */
   uint32_t *ids;                 /* their vertex ids */
   uint32_t run0, nruns;          /* the chunk's runs in draw_state.runs */
   uint32_t next_run, next_prim;  /* first primitive not set up yet (run relative to run0) */
   int full;                      /* the bins filled before the chunk's end */
   uint32_t verts_cap, stride;    /* what verts and ids were allocated for (the pool's cache matches on them) */
};

void rs_slot_free(struct rs_slot *s);
/* Drop the pool's cached chunk buffers (rs_pool_destroy). */
void rs_slot_cache_free(struct rs_pool *pool);

/* rs_bin.c: the front end alone of a draw for rs_scene: shade, set up and
 * bin every primitive into *slots (n of them, malloc'd, owned by the caller
 * from then on; each slot's ctx.draw is d, which the caller repoints to its
 * copy). Returns 1 when done; 0 when the draw is not for deferring (more
 * than one batch of chunks or max_bytes of bins, bins that filled, nothing
 * to draw) and nothing is kept; -1 out of memory. */
int rs_draw_front(struct rs_pool *pool, const struct rs_draw *d, size_t max_bytes, struct rs_slot **slots,
                  unsigned *n, size_t *bytes, char *err, size_t err_size);

/* Pixel bounds of a triangle with fixed-point vertices X, Y (subpixels)
 * and pixel-center offsets off_x, off_y, before clipping:
 * b = { minx, miny, maxx, maxy }, max exclusive (rs_setup_triangle's). */
static inline void rs_tri_bounds(const int64_t X[3], const int64_t Y[3], int64_t off_x, int64_t off_y, int64_t b[4])
{
   int64_t mnx = X[0], mxx = X[0], mny = Y[0], mxy = Y[0];
   for (int i = 1; i < 3; i++) {
      mnx = X[i] < mnx ? X[i] : mnx;
      mxx = X[i] > mxx ? X[i] : mxx;
      mny = Y[i] < mny ? Y[i] : mny;
      mxy = Y[i] > mxy ? Y[i] : mxy;
   }
   b[0] = (mnx - off_x) >> RS_SUBPIXEL_BITS;
   b[1] = (mny - off_y) >> RS_SUBPIXEL_BITS;
   b[2] = ((mxx - off_x) >> RS_SUBPIXEL_BITS) + 2;
   b[3] = ((mxy - off_y) >> RS_SUBPIXEL_BITS) + 2;
}

/* rs_setup.c: clip-space triangle/line/point -> set-up triangles in the bins. */
/* Edge functions of t from its snapped vertices (X, Y in subpixels, positive
 * area with y down) and the fill rule; exposed for tests/raster. */
void rs_setup_edges(struct rs_tri *t, const int64_t X[3], const int64_t Y[3], int bottom_edge_rule);
void rs_setup_triangle(struct rs_ctx *ctx, const float *v0, const float *v1, const float *v2, const float *prov);
void rs_setup_line(struct rs_ctx *ctx, const float *v0, const float *v1, const float *prov);
void rs_setup_point(struct rs_ctx *ctx, const float *v);

/* rs_tile.c: shade one tile of ctx's bins. */
void rs_tile_rasterize(struct rs_ctx *ctx, unsigned tile);
/* Ask for the start of tile's bin in ctx's chunk: stage 0 its count and
 * list pointer, stage 1 (once stage 0's lines are in) the list. */
void rs_tile_prefetch_bin(const struct rs_ctx *ctx, unsigned tile, int stage);
/* Shade t's stamps in the tile at (tx0, ty0): the walk rs_tile_rasterize runs
 * per binned triangle, exposed for tests/raster (uses ctx->draw, cx, cy only). */
void rs_tile_walk(const struct rs_ctx *ctx, const struct rs_tri *t, int tx0, int ty0);
/* Whether one of the triangles ctx binned to tile covers every pixel of the
 * tile that lies in the framebuffer (an unstippled triangle whose bounds hold
 * them and whose edges pass at their four corners: it shades them all). */
int rs_tile_covered(const struct rs_ctx *ctx, unsigned tile);

/* rs_clear.c: a CLEAR packed once for the framebuffer's formats, applied to
 * whole surfaces (rs_clear) or to one tile's rectangle (rs_scene). */
struct rs_clear_job {
   const struct rs_surface *surf;
   int32_t x0, y0, x1, y1;
   unsigned bpp;
   uint8_t pattern[16];          /* the packed pixel (partial: zero outside the cleared bits) */
   uint8_t keep[16];             /* partial: bits of the old pixel that stay */
   int partial;                  /* 1: depth only or stencil only of a combined format */
   unsigned rows_per_item;
};

struct rs_clear_values {
   unsigned njobs;
   struct rs_clear_job jobs[JIT_MAX_CBUFS + 1];   /* one per surface cleared; surf points into the fb given */
};

/* Pack the clear of fb's buffers (PIPE_CLEAR_* bits) into v. */
void rs_clear_prepare(const struct rs_framebuffer *fb, unsigned buffers, const float color[4], double depth,
                      unsigned stencil, struct rs_clear_values *v);
/* Clear every surface of v whole, rows in parallel on the pool. */
void rs_clear_run(struct rs_pool *pool, struct rs_clear_values *v);
/* Clear [x0,x1) x [y0,y1) of every surface of v (clipped to each surface). */
void rs_clear_rect(const struct rs_clear_values *v, int32_t x0, int32_t y0, int32_t x1, int32_t y1);

#endif
