/* raster_walk.c: benchmark of src/raster's tile walk alone (rs_tile.c):
 * set-up triangles laid out as the front end leaves them (chunks of
 * RS_CHUNK_PRIMS triangles with their planes in one arena, binned per tile),
 * walked tile by tile over a batch of chunks, with a fragment function that
 * only reads the stamp (mask, one plane value), so the figure is coverage
 * and the walk's memory traffic. One thread; prints the median and minimum
 * ns per triangle over runs, and a checksum of the masks. Each batch's
 * triangles and lists are rewritten just before its tiles are walked, as the
 * front end leaves them in this core's caches; -c walks them cold instead
 * (the caches evicted before each run), as when another core set them up.
 *
 * Build (after `make`): gcc -O2 -std=gnu11 -pthread -Iinclude -Isrc -o raster_walk bench/raster_walk.c libtessera.a -lm
 * Usage: ./raster_walk [-n TRIS] [-a MIN_AREA MAX_AREA] [-r RUNS] [-c] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench_time.h"

#include "raster/rs_priv.h"

#define W 1024
#define H 768
#define SUB (1 << RS_SUBPIXEL_BITS)
#define BATCH_CHUNKS 8 /* as rs_bin.c batches them for 2 threads */
#define NUM_INPUTS 2

static uint64_t checksum;

static void walk_fs(const struct jit_fs_ctx *ctx, const struct jit_fs_stamp *st)
{
   (void)ctx;
   checksum += (uint64_t)__builtin_popcount(st->mask) * 31u + (uint64_t)st->x * 7u + (uint64_t)st->y +
               (uint64_t)(st->planes->a0[0][0] > 0.5f);
}

static uint64_t rng = 1;
static int64_t rand_in(int64_t lo, int64_t hi)
{
   rng = rng * 6364136223846793005ull + 1442695040888963407ull;
   return lo + (int64_t)((rng >> 16) % (uint64_t)(hi - lo + 1));
}


/* One chunk: arena of triangles + planes, per-tile lists. */
static void chunk_init(struct rs_ctx *c, const struct rs_draw *d, unsigned ntris, double amin, double amax)
{
   struct rs_bins *b = &c->bins;
   memset(c, 0, sizeof(*c));
   c->draw = d;
   c->cx = c->cy = 0.5f;
   b->tiles_x = W / RS_TILE_SIZE;
   b->tiles_y = H / RS_TILE_SIZE;
   unsigned ntiles = b->tiles_x * b->tiles_y;
   b->list = calloc(ntiles, sizeof(*b->list));
   b->count = calloc(ntiles, sizeof(*b->count));
   b->cap = calloc(ntiles, sizeof(*b->cap));
   size_t tsize = (sizeof(struct rs_tri) + 3 * NUM_INPUTS * sizeof(float[4]) + 15) & ~(size_t)15;
   b->arena = aligned_alloc(64, tsize * ntris);
   b->tris = malloc(ntris * sizeof(*b->tris));
   int64_t r = (int64_t)(2.0 * sqrt(amax) + 2.0) * SUB; /* vertex spread that reaches amax */
   for (unsigned i = 0; i < ntris; i++) {
      int64_t X[3], Y[3], area2;
      do { /* a triangle of amin..amax pixels near a random point */
         int64_t px = rand_in(r, W * SUB - r), py = rand_in(r, H * SUB - r);
         for (int k = 0; k < 3; k++) {
            X[k] = px + rand_in(-r / 2, r / 2);
            Y[k] = py + rand_in(-r / 2, r / 2);
         }
         area2 = (X[1] - X[0]) * (Y[2] - Y[0]) - (X[2] - X[0]) * (Y[1] - Y[0]);
         if (area2 < 0) {
            int64_t sx = X[1], sy = Y[1];
            X[1] = X[2], Y[1] = Y[2], X[2] = sx, Y[2] = sy;
            area2 = -area2;
         }
      } while (area2 < amin * 2 * SUB * SUB || area2 > amax * 2 * SUB * SUB);
      struct rs_tri *t = (struct rs_tri *)(void *)(b->arena + tsize * i);
      memset(t, 0, tsize);
      rs_setup_edges(t, X, Y, 0);
      int64_t bb[4];
      rs_tri_bounds(X, Y, SUB / 2, SUB / 2, bb);
      t->minx = (int32_t)bb[0];
      t->miny = (int32_t)bb[1];
      t->maxx = (int32_t)bb[2];
      t->maxy = (int32_t)bb[3];
      float(*planes)[4] = (float(*)[4])(void *)(t + 1);
      t->planes.a0 = planes;
      t->planes.dadx = planes + NUM_INPUTS;
      t->planes.dady = planes + 2 * NUM_INPUTS;
      t->planes.num_inputs = NUM_INPUTS;
      planes[0][0] = (float)(i & 1);
      b->tris[i] = t;
      for (unsigned ty = (unsigned)t->miny / RS_TILE_SIZE; ty <= (unsigned)(t->maxy - 1) / RS_TILE_SIZE; ty++)
         for (unsigned tx = (unsigned)t->minx / RS_TILE_SIZE; tx <= (unsigned)(t->maxx - 1) / RS_TILE_SIZE; tx++) {
            unsigned tile = ty * b->tiles_x + tx;
            if (b->count[tile] == b->cap[tile]) {
               b->cap[tile] = b->cap[tile] ? 2 * b->cap[tile] : 16;
               b->list[tile] = realloc(b->list[tile], b->cap[tile] * sizeof(uint32_t));
            }
            b->list[tile][b->count[tile]++] = i;
         }
   }
   b->ntris = ntris;
}

/* Write every cache line of a chunk's triangles and lists, as setting it up does. */
static void chunk_touch(struct rs_ctx *c)
{
   struct rs_bins *b = &c->bins;
   volatile uint8_t *arena = b->arena;
   size_t tsize = (sizeof(struct rs_tri) + 3 * NUM_INPUTS * sizeof(float[4]) + 15) & ~(size_t)15;
   for (size_t k = 0; k < tsize * b->ntris; k += 64)
      arena[k] = arena[k];
   for (unsigned tile = 0; tile < b->tiles_x * b->tiles_y; tile++)
      for (uint32_t i = 0; i < b->count[tile]; i += 16) {
         volatile uint32_t *l = b->list[tile];
         l[i] = l[i];
      }
}

int main(int argc, char **argv)
{
   unsigned ntris = 100000, runs = 15;
   int cold = 0;
   double amin = 12, amax = 23;
   for (int i = 1; i < argc; i++) {
      if (!strcmp(argv[i], "-n") && i + 1 < argc)
         ntris = (unsigned)atoi(argv[++i]);
      else if (!strcmp(argv[i], "-r") && i + 1 < argc)
         runs = (unsigned)atoi(argv[++i]);
      else if (!strcmp(argv[i], "-c"))
         cold = 1;
      else if (!strcmp(argv[i], "-a") && i + 2 < argc) {
         amin = atof(argv[++i]);
         amax = atof(argv[++i]);
      }
   }
   if (runs > 64)
      runs = 64;
   unsigned nchunks = (ntris + RS_CHUNK_PRIMS - 1) / RS_CHUNK_PRIMS;
   struct rs_framebuffer fb;
   memset(&fb, 0, sizeof(fb));
   fb.width = W;
   fb.height = H;
   struct jit_fs_ctx fsctx;
   memset(&fsctx, 0, sizeof(fsctx));
   struct rs_draw d;
   memset(&d, 0, sizeof(d));
   d.fs = walk_fs;
   d.fs_ctx = &fsctx;
   d.fb = &fb;
   struct rs_ctx *chunks = calloc(nchunks, sizeof(*chunks));
   for (unsigned c = 0; c < nchunks; c++)
      chunk_init(&chunks[c], &d, c + 1 < nchunks ? RS_CHUNK_PRIMS : ntris - c * RS_CHUNK_PRIMS, amin, amax);
   /* evicts the caches between runs: a batch's triangles come from another core or L3 */
   size_t junk_size = 64u << 20;
   uint8_t *junk = malloc(junk_size);
   double ns[64];
   uint64_t sum = 0;
   unsigned ntiles = (W / RS_TILE_SIZE) * (H / RS_TILE_SIZE);
   for (unsigned r = 0; r < runs; r++) {
      memset(junk, (int)r, junk_size);
      checksum = 0;
      double t0 = now_ms() * 1e6;
      for (unsigned c0 = 0; c0 < nchunks; c0 += BATCH_CHUNKS) {
         unsigned c1 = c0 + BATCH_CHUNKS < nchunks ? c0 + BATCH_CHUNKS : nchunks;
         for (unsigned c = c0; c < c1 && !cold; c++)
            chunk_touch(&chunks[c]);
         for (unsigned tile = 0; tile < ntiles; tile++) { /* as rs_bin.c batch_job walks a tile */
            for (unsigned c = c0; c < c1; c++)
               rs_tile_prefetch_bin(&chunks[c], tile, 0);
            for (unsigned c = c0; c < c1; c++) {
               if (c + 1 < c1)
                  rs_tile_prefetch_bin(&chunks[c + 1], tile, 1);
               rs_tile_rasterize(&chunks[c], tile);
            }
         }
      }
      ns[r] = (now_ms() * 1e6 - t0) / ntris;
      sum = checksum;
   }
   qsort(ns, runs, sizeof(double), cmp_double);
   printf("%u triangles of %g-%g px, %s, %u runs: median %.1f ns/triangle, min %.1f, checksum %016llx\n", ntris, amin,
          amax, cold ? "cold" : "warm", runs, ns[runs / 2], ns[0], (unsigned long long)sum);
   return 0;
}
