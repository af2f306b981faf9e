/* rs_bin.c: executes a draw packet: primitive restart segments and instances
 * cut into chunks of primitives; per chunk, on the pool, the vertex variant,
 * primitive assembly, setup and binning (rs_setup.c) into the chunk's own
 * bins; then the tiles in parallel (rs_tile.c), each walking the chunks' bins
 * in submission order. Batches of chunks bound memory for any draw size, and
 * the image does not depend on the thread count. */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "raster/rs_priv.h"

/* Vertex id of element e of the draw (index fetch + bias, or start + e). */
static uint32_t elem_vertex(const struct rs_draw *d, uint32_t start, uint32_t e)
{
   uint32_t i = start + e;
   switch (d->index_size) {
   case 1: return ((const uint8_t *)d->indices)[i] + (uint32_t)d->index_bias;
   case 2: return ((const uint16_t *)d->indices)[i] + (uint32_t)d->index_bias;
   case 4: return ((const uint32_t *)d->indices)[i] + (uint32_t)d->index_bias;
   default: return i;
   }
}

enum prim_class { PC_POINT, PC_LINE, PC_TRI };

static int prim_class(unsigned mode)
{
   switch (mode) {
   case PIPE_PRIM_POINTS: return PC_POINT;
   case PIPE_PRIM_LINES: case PIPE_PRIM_LINE_LOOP: case PIPE_PRIM_LINE_STRIP: return PC_LINE;
   default: return PC_TRI;
   }
}

static uint32_t prim_count(unsigned mode, uint32_t n)
{
   switch (mode) {
   case PIPE_PRIM_POINTS: return n;
   case PIPE_PRIM_LINES: return n / 2;
   case PIPE_PRIM_LINE_STRIP: return n >= 2 ? n - 1 : 0;
   case PIPE_PRIM_LINE_LOOP: return n >= 2 ? n : 0;
   case PIPE_PRIM_TRIANGLES: return n / 3;
   case PIPE_PRIM_TRIANGLE_STRIP:
   case PIPE_PRIM_TRIANGLE_FAN:
   case PIPE_PRIM_POLYGON: return n >= 3 ? n - 2 : 0;
   case PIPE_PRIM_QUADS: return (n / 4) * 2;
   case PIPE_PRIM_QUAD_STRIP: return n >= 4 ? ((n - 2) / 2) * 2 : 0;
   default: return 0;
   }
}

/* Elements of primitive i (e[0..2]) and its provoking element. */
static void prim_elems(const struct rs_draw *d, uint32_t i, uint32_t n, uint32_t e[3], uint32_t *prov)
{
   int first = d->flatshade_first;
   switch (d->mode) {
   case PIPE_PRIM_POINTS:
      e[0] = e[1] = e[2] = *prov = i;
      return;
   case PIPE_PRIM_LINES:
      e[0] = 2 * i; e[1] = 2 * i + 1;
      break;
   case PIPE_PRIM_LINE_STRIP:
      e[0] = i; e[1] = i + 1;
      break;
   case PIPE_PRIM_LINE_LOOP:
      e[0] = i; e[1] = i + 1 == n ? 0 : i + 1;
      break;
   case PIPE_PRIM_TRIANGLES:
      e[0] = 3 * i; e[1] = 3 * i + 1; e[2] = 3 * i + 2;
      *prov = first ? e[0] : e[2];
      return;
   case PIPE_PRIM_TRIANGLE_STRIP:
      if (i & 1) { /* keep the winding of every strip triangle consistent */
         e[0] = i + 1; e[1] = i; e[2] = i + 2;
      } else {
         e[0] = i; e[1] = i + 1; e[2] = i + 2;
      }
      *prov = first ? i : i + 2;
      return;
   case PIPE_PRIM_TRIANGLE_FAN:
      e[0] = 0; e[1] = i + 1; e[2] = i + 2;
      *prov = first ? i + 1 : i + 2;
      return;
   case PIPE_PRIM_POLYGON:
      e[0] = 0; e[1] = i + 1; e[2] = i + 2;
      *prov = 0; /* GL: the first vertex of a polygon is provoking */
      return;
   case PIPE_PRIM_QUADS: {
      uint32_t q = (i / 2) * 4;
      if (i & 1) {
         e[0] = q; e[1] = q + 2; e[2] = q + 3;
      } else {
         e[0] = q; e[1] = q + 1; e[2] = q + 2;
      }
      *prov = first ? q : q + 3;
      return;
   }
   case PIPE_PRIM_QUAD_STRIP: {
      uint32_t q = (i / 2) * 2; /* quad (q, q+1, q+3, q+2) */
      if (i & 1) {
         e[0] = q; e[1] = q + 3; e[2] = q + 2;
      } else {
         e[0] = q; e[1] = q + 1; e[2] = q + 3;
      }
      *prov = first ? q : q + 3;
      return;
   }
   default:
      e[0] = e[1] = e[2] = *prov = 0;
      return;
   }
   e[2] = e[1];
   *prov = first ? e[0] : e[1];
}

/* ---- batches of chunks --------------------------------------------------------
 *
 * The front end runs on the pool. The primitive stream (instances x restart
 * segments x primitives) is cut, in submission order, into chunks of at most
 * RS_CHUNK_PRIMS primitives; a chunk is a list of runs, a run being a range of
 * primitives of one segment of one instance. Up to max_chunks chunks make a
 * batch, and a batch takes two steps:
 *   1. the front end, one job item per chunk: shade the chunk's vertices,
 *      assemble, clip, cull, set up and bin into the chunk's own slot (bins
 *      and arena), so items share nothing they write;
 *   2. the tiles, one item per tile: walk the slots in chunk order, each
 *      slot's bin in order, so every tile sees its primitives in submission
 *      order whatever thread set up which chunk, and the image is the same for
 *      any thread count (and for any cut into chunks).
 * With more than one thread the steps are pipelined: step 1 of a batch and
 * step 2 of the batch before it are one pool job (front-end items first,
 * tiles fill the tail), on two sets of slots, so a batch costs one wait for
 * the pool instead of two.
 * Invariants:
 * - the open batch is in slots[half * max_chunks ..]: batch(ds)[0 .. nchunks)
 *   are its closed chunks, in order; chunk i owns runs[run0 .. run0 + nruns)
 *   of it, and runs are in order; open_prims > 0 iff chunk nchunks is open;
 * - pending_n > 0: the previous batch's front end is done and its tiles are
 *   not; it is in the other half and has no full slot;
 * - a slot's bins only fill before its chunk's end under heavy clipping: its
 *   job then stops at a primitive boundary (full, next_run/next_prim); the
 *   slots before it and its first part are rasterized, and it resumes on the
 *   submitting thread with its vertices still shaded. The batch is then
 *   finished on the spot, not left pending. */

/* Primitives [p0, p1) of the restart segment of count elements at start. */
struct rs_run {
   uint32_t start, count;         /* the segment: first element, element count */
   uint32_t instance;             /* 0-based instance */
   uint32_t p0, p1;               /* its primitives in this run */
   uint32_t emin;                 /* first element shaded; the fields below are written by the chunk's job */
   uint32_t vbase;                /* vertex slot of element emin in the chunk's shaded vertices */
   uint32_t first_slot;           /* vertex slot of element 0 (fans, polygons, line loops) */
};

struct draw_state {
   const struct rs_draw *draw;
   struct rs_pool *pool;
   struct rs_ctx proto;           /* setup state every slot starts from */
   uint32_t stride;               /* floats per shaded vertex */
   uint32_t verts_cap;            /* vertices one chunk shades at most */
   size_t tri_bytes;              /* worst-case arena bytes per set-up triangle */
   int needs_first;               /* fans, polygons and line loops also use element 0 */
   struct rs_slot *slots;         /* [2 * max_chunks]: two batches; buffers allocated on first use */
   unsigned max_chunks;           /* chunks per batch */
   int pipelined;                 /* more than one thread: a batch's tiles run with the next front end */
   unsigned half;                 /* the open batch's half of slots */
   unsigned nchunks;              /* closed chunks in the open batch */
   uint32_t open_prims;           /* primitives in the open chunk */
   struct rs_run *runs;           /* runs of the open batch */
   uint32_t nruns, runs_cap;
   unsigned pending_n;            /* chunks of the batch whose tiles have not run (other half), 0 = none */
   struct rs_slot *front;         /* the current job: front end of front_n chunks at front, */
   unsigned front_n;
   struct rs_slot *raster;        /* then every tile of slots raster[raster_first .. raster_end) */
   unsigned raster_first, raster_end;
   int front_only;                /* rs_draw_front: one batch, no tiles (chunk_close never runs it) */
   int oom;
};

/* Shade the vertices every run of the chunk uses: one vertex-variant batch
 * per stretch of runs of the same instance. */
static void chunk_shade(struct draw_state *ds, struct rs_slot *s)
{
   const struct rs_draw *d = ds->draw;
   uint32_t k = 0, group = 0, e[3], prov;
   for (uint32_t r = 0; r < s->nruns; r++) {
      struct rs_run *run = &ds->runs[s->run0 + r];
      /* Every mode walks its elements in order, so the run's first and last
       * primitives bound its element range; element 0 of fans, polygons and
       * line loops gets its own slot after the range. */
      uint32_t emin = UINT32_MAX, emax = 0;
      uint32_t ends[2] = { run->p0, run->p1 - 1 };
      for (int q = 0; q < 2; q++) {
         prim_elems(d, ends[q], run->count, e, &prov);
         for (int j = 0; j < 3; j++) {
            if (ds->needs_first && e[j] == 0)
               continue;
            emin = e[j] < emin ? e[j] : emin;
            emax = e[j] > emax ? e[j] : emax;
         }
      }
      if (emin > emax)
         emin = emax = 0;
      /* at most 3 vertices per primitive of a run: chunks fit verts_cap */
      assert(k + (emax - emin + 1) + 1 <= ds->verts_cap);
      run->emin = emin;
      run->vbase = k;
      for (uint32_t el = emin; el <= emax && k + 1 < ds->verts_cap; el++)
         s->ids[k++] = elem_vertex(d, run->start, el);
      run->first_slot = k;
      if (ds->needs_first)
         s->ids[k++] = elem_vertex(d, run->start, 0);
      if (r + 1 == s->nruns || ds->runs[s->run0 + r + 1].instance != run->instance) {
         struct jit_vs_batch batch = { s->ids + group, k - group, run->instance,
                                       s->verts + (size_t)group * ds->stride, ds->stride, &s->ctx.win };
         if (k > group)
            d->vs(d->vs_ctx, &batch);
         for (uint32_t v = group; v < k && !d->vs_window; v++) { /* a vs that writes no records */
            float *o = s->verts + (size_t)v * ds->stride;
            jit_vs_window_vertex(&s->ctx.win, o + (size_t)d->pos_slot * 4, o + s->ctx.win.offset);
         }
         group = k;
      }
   }
}

/* Assemble, set up and bin the chunk's primitives from next_run/next_prim on,
 * until the chunk ends or the bins have no room for a worst-case primitive. */
static void chunk_setup(struct draw_state *ds, struct rs_slot *s)
{
   const struct rs_draw *d = ds->draw;
   struct rs_bins *b = &s->ctx.bins;
   const unsigned worst = RS_CLIP_MAX_VERTS; /* triangles one primitive can make after clipping */
   int cls = prim_class(d->mode);
   uint32_t r0 = s->next_run, e[3], prov;
   s->full = 0;
   for (uint32_t r = r0; r < s->nruns; r++) {
      const struct rs_run *run = &ds->runs[s->run0 + r];
      for (uint32_t p = r == r0 ? s->next_prim : run->p0; p < run->p1; p++) {
         if (b->ntris + worst > b->tris_cap || b->arena_used + worst * ds->tri_bytes > b->arena_cap) {
            s->next_run = r;
            s->next_prim = p;
            s->full = 1;
            return;
         }
         prim_elems(d, p, run->count, e, &prov);
         const float *v[3];
         for (int j = 0; j < 3; j++) {
            uint32_t slot = (ds->needs_first && e[j] == 0) ? run->first_slot : run->vbase + e[j] - run->emin;
            v[j] = s->verts + (size_t)slot * ds->stride;
         }
         uint32_t pslot = (ds->needs_first && prov == 0) ? run->first_slot : run->vbase + prov - run->emin;
         const float *pv = s->verts + (size_t)pslot * ds->stride;
         if (cls == PC_TRI)
            rs_setup_triangle(&s->ctx, v[0], v[1], v[2], pv);
         else if (cls == PC_LINE)
            rs_setup_line(&s->ctx, v[0], v[1], pv);
         else
            rs_setup_point(&s->ctx, v[0]);
         if (b->oom)
            return;
      }
   }
   s->next_run = s->nruns;
}

static struct rs_slot *batch_slots(struct draw_state *ds, unsigned half)
{
   return ds->slots + (size_t)half * ds->max_chunks;
}

static void batch_job(void *arg, unsigned item)
{
   struct draw_state *ds = arg;
   if (item < ds->front_n) {
      chunk_shade(ds, &ds->front[item]);
      chunk_setup(ds, &ds->front[item]);
      return;
   }
   unsigned tile = item - ds->front_n;
   /* each chunk's bin is a chain of dependent loads: start them all */
   for (unsigned i = ds->raster_first; i < ds->raster_end; i++)
      rs_tile_prefetch_bin(&ds->raster[i].ctx, tile, 0);
   for (unsigned i = ds->raster_first; i < ds->raster_end; i++) {
      if (i + 1 < ds->raster_end)
         rs_tile_prefetch_bin(&ds->raster[i + 1].ctx, tile, 1);
      rs_tile_rasterize(&ds->raster[i].ctx, tile);
   }
}

static void bins_reset(struct rs_bins *b)
{
   memset(b->count, 0, (size_t)b->tiles_x * b->tiles_y * sizeof(*b->count));
   b->ntris = 0;
   b->arena_used = 0;
}

/* One pool job: the front end of nfront chunks at front, then every tile of
 * the primitives binned in raster[first .. end), in slot order; then empty those bins. */
static void job_run(struct draw_state *ds, struct rs_slot *front, unsigned nfront, struct rs_slot *raster,
                    unsigned first, unsigned end)
{
   uint32_t ntris = 0;
   for (unsigned i = first; i < end; i++)
      ntris += raster[i].ctx.bins.ntris;
   const struct rs_bins *b = &ds->proto.bins;
   ds->front = front;
   ds->front_n = nfront;
   ds->raster = raster;
   ds->raster_first = first;
   ds->raster_end = end;
   unsigned items = nfront + (ntris ? b->tiles_x * b->tiles_y : 0);
   if (nfront == 0 && ntris && ntris <= RS_INLINE_MAX_TRIS) {
      /* A few small triangles (a UI widget, one quad of many draws): waking
       * the workers costs more than the pixels. Same tiles, same order, on
       * this thread. */
      uint64_t area = 0;
      for (unsigned i = first; i < end; i++)
         for (uint32_t t = 0; t < raster[i].ctx.bins.ntris; t++) {
            const struct rs_tri *tri = raster[i].ctx.bins.tris[t];
            area += (uint64_t)(tri->maxx - tri->minx) * (uint64_t)(tri->maxy - tri->miny);
         }
      if (area <= RS_INLINE_MAX_PIXELS) {
         for (unsigned item = 0; item < items; item++)
            batch_job(ds, item);
         items = 0;
      }
   }
   rs_pool_run(ds->pool, items, batch_job, ds);
   for (unsigned i = first; i < end; i++)
      bins_reset(&raster[i].ctx.bins);
}

/* Run the open batch's front end (with the pending batch's tiles), then its
 * tiles now or, pipelined, with the next batch's front end. */
static void batch_run(struct draw_state *ds)
{
   unsigned n = ds->nchunks;
   if (n == 0)
      return;
   struct rs_slot *b = batch_slots(ds, ds->half);
   job_run(ds, b, n, batch_slots(ds, ds->half ^ 1), 0, ds->pending_n);
   ds->pending_n = 0;
   int full = 0;
   for (unsigned i = 0; i < n; i++) {
      ds->oom |= b[i].ctx.bins.oom;
      full |= b[i].full;
   }
   ds->nchunks = 0;
   ds->nruns = 0;
   if (ds->oom)
      return;
   if (ds->pipelined && !full) {
      ds->pending_n = n;
      ds->half ^= 1;
      return;
   }
   for (unsigned first = 0; first < n;) {
      unsigned f = first;
      while (f < n && !b[f].full)
         f++;
      job_run(ds, NULL, 0, b, first, f < n ? f + 1 : n);
      if (f == n)
         break;
      /* the rest of a chunk whose bins filled goes before every later chunk */
      chunk_setup(ds, &b[f]);
      if (b[f].ctx.bins.oom) {
         ds->oom = 1;
         return;
      }
      first = f;
   }
}

/* Bytes of a slot's buffers as slot_alloc sizes them for bins b and
 * verts_cap shaded vertices of stride floats (the per-tile lists aside). */
static size_t slot_bytes_of(const struct rs_bins *b, size_t verts_cap, uint32_t stride)
{
   size_t ntiles = (size_t)b->tiles_x * b->tiles_y;
   return b->arena_cap + b->tris_cap * sizeof(struct rs_tri *) + ntiles * (sizeof(uint32_t *) + 2 * sizeof(uint32_t)) +
          verts_cap * ((size_t)stride * sizeof(float) + sizeof(uint32_t));
}

/* Buffers of a slot: bins, arena, shaded vertices, from the pool's cache
 * when a draw of the same shape left some. Returns -1 when out of memory. */
static int slot_alloc(struct draw_state *ds, struct rs_slot *s)
{
   const struct rs_bins *pb = &ds->proto.bins;
   struct rs_pool *pool = ds->pool;
   pthread_mutex_lock(&pool->cache_lock);
   for (unsigned i = 0; i < pool->cache_n; i++) {
      struct rs_slot *c = &pool->cache[i];
      const struct rs_bins *cb = &c->ctx.bins;
      if (cb->tiles_x != pb->tiles_x || cb->tiles_y != pb->tiles_y || cb->tris_cap != pb->tris_cap ||
          cb->arena_cap != pb->arena_cap || c->verts_cap != ds->verts_cap || c->stride != ds->stride)
         continue;
      struct rs_bins keep = *cb;
      *s = *c;
      pool->cache_bytes -= slot_bytes_of(&c->ctx.bins, c->verts_cap, c->stride);
      pool->cache[i] = pool->cache[--pool->cache_n];
      pthread_mutex_unlock(&pool->cache_lock);
      s->ctx = ds->proto;
      struct rs_bins *b = &s->ctx.bins;
      b->list = keep.list;
      b->count = keep.count;
      b->cap = keep.cap;
      b->tris = keep.tris;
      b->arena = keep.arena;
      memset(b->count, 0, (size_t)b->tiles_x * b->tiles_y * sizeof(*b->count));
      return 0;
   }
   pthread_mutex_unlock(&pool->cache_lock);
   memset(s, 0, sizeof(*s));
   s->ctx = ds->proto;
   s->verts_cap = ds->verts_cap;
   s->stride = ds->stride;
   struct rs_bins *b = &s->ctx.bins;
   unsigned ntiles = b->tiles_x * b->tiles_y;
   b->list = calloc(ntiles, sizeof(*b->list));
   b->count = calloc(ntiles, sizeof(*b->count));
   b->cap = calloc(ntiles, sizeof(*b->cap));
   b->tris = malloc(b->tris_cap * sizeof(*b->tris));
   b->arena = malloc(b->arena_cap);
   s->verts = malloc((size_t)ds->verts_cap * ds->stride * sizeof(float));
   s->ids = malloc((size_t)ds->verts_cap * sizeof(uint32_t));
   if (!b->list || !b->count || !b->cap || !b->tris || !b->arena || !s->verts || !s->ids)
      return -1;
   return 0;
}

/* Give s's buffers to the pool's cache (within its budget), else free them. */
static void slot_release(struct rs_pool *pool, struct rs_slot *s)
{
   if (!s->ids)
      return;
   size_t bytes = slot_bytes_of(&s->ctx.bins, s->verts_cap, s->stride);
   pthread_mutex_lock(&pool->cache_lock);
   if (pool->cache_bytes + bytes <= RS_BATCH_MEMORY && !s->ctx.bins.oom) {
      struct rs_slot *c = realloc(pool->cache, (pool->cache_n + 1) * sizeof(*c));
      if (c) {
         pool->cache = c;
         c[pool->cache_n++] = *s;
         pool->cache_bytes += bytes;
         pthread_mutex_unlock(&pool->cache_lock);
         memset(s, 0, sizeof(*s));
         return;
      }
   }
   pthread_mutex_unlock(&pool->cache_lock);
   rs_slot_free(s);
}

void rs_slot_cache_free(struct rs_pool *pool)
{
   for (unsigned i = 0; i < pool->cache_n; i++)
      rs_slot_free(&pool->cache[i]);
   free(pool->cache);
   pool->cache = NULL;
   pool->cache_n = 0;
   pool->cache_bytes = 0;
}

void rs_slot_free(struct rs_slot *s)
{
   struct rs_bins *b = &s->ctx.bins;
   if (b->list)
      for (unsigned i = 0; i < b->tiles_x * b->tiles_y; i++)
         free(b->list[i]);
   free(b->list);
   free(b->count);
   free(b->cap);
   free(b->tris);
   free(b->arena);
   free(s->verts);
   free(s->ids);
}

static void chunk_close(struct draw_state *ds)
{
   struct rs_slot *s = &batch_slots(ds, ds->half)[ds->nchunks++];
   s->nruns = ds->nruns - s->run0;
   s->next_run = 0;
   s->next_prim = ds->runs[s->run0].p0;
   s->full = 0;
   ds->open_prims = 0;
   if (ds->nchunks == ds->max_chunks && !ds->front_only)
      batch_run(ds);
}

/* Queue the primitives of one segment (no restart inside) of one instance. */
static void queue_segment(struct draw_state *ds, uint32_t start, uint32_t count, uint32_t instance)
{
   uint32_t nprims = prim_count(ds->draw->mode, count);
   for (uint32_t p = 0; p < nprims && !ds->oom;) {
      if (ds->open_prims == 0) {
         struct rs_slot *s = &batch_slots(ds, ds->half)[ds->nchunks];
         if (!s->ids && slot_alloc(ds, s)) {
            ds->oom = 1;
            return;
         }
         s->run0 = ds->nruns;
      }
      if (ds->nruns == ds->runs_cap) {
         uint32_t cap = ds->runs_cap ? ds->runs_cap * 2 : 64;
         struct rs_run *n = realloc(ds->runs, cap * sizeof(*n));
         if (!n) {
            ds->oom = 1;
            return;
         }
         ds->runs = n;
         ds->runs_cap = cap;
      }
      uint32_t take = RS_CHUNK_PRIMS - ds->open_prims;
      if (take > nprims - p)
         take = nprims - p;
      ds->runs[ds->nruns++] = (struct rs_run){ .start = start, .count = count, .instance = instance,
                                               .p0 = p, .p1 = p + take };
      ds->open_prims += take;
      p += take;
      if (ds->open_prims == RS_CHUNK_PRIMS)
         chunk_close(ds);
   }
}

static void draw_free(struct draw_state *ds)
{
   if (ds->slots)
      for (unsigned i = 0; i < 2 * ds->max_chunks; i++)
         slot_release(ds->pool, &ds->slots[i]);
   free(ds->slots);
   free(ds->runs);
}

/* Check d and set up ds for it: 1 to run, 0 when it draws nothing, -1 with
 * a reason in err. */
static int draw_init(struct draw_state *ds, struct rs_pool *pool, const struct rs_draw *d, char *err,
                     size_t err_size)
{
   if (d->mode > PIPE_PRIM_POLYGON) {
      snprintf(err, err_size, "primitive type %u is not supported", d->mode);
      return -1;
   }
   if (d->fill_front > 2 || d->fill_back > 2) {
      snprintf(err, err_size, "polygon mode %u is not supported", d->fill_front > 2 ? d->fill_front : d->fill_back);
      return -1;
   }
   if (!d->fb || d->fb->width == 0 || d->fb->height == 0 || d->rasterizer_discard || d->count == 0 ||
       d->instance_count == 0)
      return 0;
   if (d->fb->width > RS_MAX_FB_SIZE || d->fb->height > RS_MAX_FB_SIZE || d->vs_num_outputs == 0 ||
       d->vs_num_outputs > JIT_MAX_OUTPUTS || d->pos_slot >= d->vs_num_outputs || d->fs_num_inputs > JIT_MAX_INPUTS) {
      snprintf(err, err_size, "draw packet out of range (framebuffer %ux%u, %u vertex outputs)", d->fb->width,
               d->fb->height, d->vs_num_outputs);
      return -1;
   }

   memset(ds, 0, sizeof(*ds));
   ds->draw = d;
   ds->pool = pool;
   struct rs_ctx *c = &ds->proto;
   c->draw = d;
   c->cx = d->half_pixel_center ? 0.5f : 0.0f;
   c->cy = c->cx;
   c->offset_enabled = 1;
   memcpy(c->win.scale, d->viewport_scale, sizeof(c->win.scale));
   memcpy(c->win.translate, d->viewport_translate, sizeof(c->win.translate));
   c->win.guard_x = RS_GUARD_BAND / fmaxf(fabsf(d->viewport_scale[0]), 1.0f);
   c->win.guard_y = RS_GUARD_BAND / fmaxf(fabsf(d->viewport_scale[1]), 1.0f);
   c->win.clip_halfz = d->clip_halfz;
   c->win.pos_slot = d->pos_slot;
   c->win.offset = d->vs_num_outputs * 4;
   c->clip_planes = d->depth_clip ? (1u << JIT_CLIP_PLANES) - 1 : ((1u << JIT_CLIP_PLANES) - 1) & ~6u;
   c->clip_minx = 0;
   c->clip_miny = 0;
   c->clip_maxx = (int32_t)d->fb->width;
   c->clip_maxy = (int32_t)d->fb->height;
   if (d->scissor_enable) {
      if (d->scissor.minx > c->clip_minx) c->clip_minx = d->scissor.minx;
      if (d->scissor.miny > c->clip_miny) c->clip_miny = d->scissor.miny;
      if (d->scissor.maxx < c->clip_maxx) c->clip_maxx = d->scissor.maxx;
      if (d->scissor.maxy < c->clip_maxy) c->clip_maxy = d->scissor.maxy;
      if (c->clip_minx >= c->clip_maxx || c->clip_miny >= c->clip_maxy)
         return 0;
   }
   /* the outputs, then each vertex's clip flags and window position (rounded up to 4 floats) */
   ds->stride = d->vs_num_outputs * 4 + (JIT_VS_WINDOW_FLOATS + 3) / 4 * 4;
   ds->verts_cap = RS_CHUNK_PRIMS * 3 + 8;
   ds->tri_bytes = sizeof(struct rs_tri) + 3 * (size_t)d->fs_num_inputs * sizeof(float[4]) + 16;
   c->bins.tiles_x = (d->fb->width + RS_TILE_SIZE - 1) / RS_TILE_SIZE;
   c->bins.tiles_y = (d->fb->height + RS_TILE_SIZE - 1) / RS_TILE_SIZE;
   c->bins.tris_cap = RS_CHUNK_PRIMS * 2;
   c->bins.arena_cap = (size_t)c->bins.tris_cap * ds->tri_bytes;
   ds->needs_first = d->mode == PIPE_PRIM_TRIANGLE_FAN || d->mode == PIPE_PRIM_POLYGON ||
                    d->mode == PIPE_PRIM_LINE_LOOP;
   /* chunks per batch: a few per thread, two batches within the memory budget */
   size_t slot_bytes = slot_bytes_of(&c->bins, ds->verts_cap, ds->stride);
   size_t max_chunks = (size_t)rs_pool_threads(pool) * RS_BATCH_CHUNKS_PER_THREAD;
   if (max_chunks > RS_BATCH_MEMORY / 2 / slot_bytes)
      max_chunks = RS_BATCH_MEMORY / 2 / slot_bytes;
   ds->max_chunks = max_chunks ? (unsigned)max_chunks : 1;
   ds->pipelined = rs_pool_threads(pool) > 1;
   ds->slots = calloc(2 * (size_t)ds->max_chunks, sizeof(*ds->slots));
   if (!ds->slots) {
      snprintf(err, err_size, "out of memory for a draw");
      return -1;
   }
   return 1;
}

/* Queue every primitive of the draw, instance by instance, restart segment by segment. */
static void draw_queue(struct draw_state *ds)
{
   const struct rs_draw *d = ds->draw;
   for (uint32_t inst = 0; inst < d->instance_count && !ds->oom; inst++) {
      if (d->index_size && d->primitive_restart) {
         uint32_t seg = 0;
         for (uint32_t i = 0; i <= d->count && !ds->oom; i++) {
            int at_end = i == d->count;
            if (!at_end) {
               uint32_t raw = elem_vertex(d, d->start, i) - (uint32_t)d->index_bias;
               if (raw != d->restart_index)
                  continue;
            }
            if (i > seg)
               queue_segment(ds, d->start + seg, i - seg, inst);
            seg = i + 1;
         }
      } else {
         queue_segment(ds, d->start, d->count, inst);
      }
   }
   if (!ds->oom && ds->open_prims)
      chunk_close(ds);
}

int rs_draw_run(struct rs_pool *pool, const struct rs_draw *d, char *err, size_t err_size)
{
   struct draw_state ds;
   int r = draw_init(&ds, pool, d, err, err_size);
   if (r <= 0)
      return r;
   draw_queue(&ds);
   if (!ds.oom)
      batch_run(&ds);
   if (!ds.oom && ds.pending_n)
      job_run(&ds, NULL, 0, batch_slots(&ds, ds.half ^ 1), 0, ds.pending_n);
   int ret = 0;
   if (ds.oom) {
      snprintf(err, err_size, "out of memory while binning a draw");
      ret = -1;
   }
   draw_free(&ds);
   return ret;
}

int rs_draw_front(struct rs_pool *pool, const struct rs_draw *d, size_t max_bytes, struct rs_slot **slots,
                  unsigned *n, size_t *bytes, char *err, size_t err_size)
{
   struct draw_state ds;
   *slots = NULL;
   *n = 0;
   *bytes = 0;
   int r = draw_init(&ds, pool, d, err, err_size);
   if (r <= 0)
      return r;
   /* restart segments only drop primitives: this bounds the chunks */
   uint64_t prims = (uint64_t)prim_count(d->mode, d->count) * d->instance_count;
   const uint64_t worst = RS_CLIP_MAX_VERTS;
   struct rs_bins *pb = &ds.proto.bins;
   if (prims == 0 || prims >= (uint64_t)ds.max_chunks * RS_CHUNK_PRIMS)
      goto out_not;
   if (prims * worst < pb->tris_cap) { /* a few primitives: bins sized for them, never full */
      pb->tris_cap = (uint32_t)(prims * worst);
      pb->arena_cap = (size_t)pb->tris_cap * ds.tri_bytes;
   }
   if (prims * 4 + 8 < ds.verts_cap) /* and vertex slots: 3 per primitive, 1 more per run at most */
      ds.verts_cap = (uint32_t)(prims * 4 + 8);
   size_t ntiles = (size_t)pb->tiles_x * pb->tiles_y;
   size_t slot_bytes = slot_bytes_of(pb, 0, 0); /* the vertex buffers are freed once set up */
   if (slot_bytes * ((prims + RS_CHUNK_PRIMS - 1) / RS_CHUNK_PRIMS) > max_bytes)
      goto out_not;
   ds.front_only = 1;
   draw_queue(&ds);
   if (ds.oom)
      goto out_oom;
   struct rs_slot *b = batch_slots(&ds, 0);
   if (ds.nchunks == 1 && prims <= RS_INLINE_MAX_TRIS) {
      chunk_shade(&ds, &b[0]); /* a few primitives: not worth waking the pool */
      chunk_setup(&ds, &b[0]);
   } else {
      job_run(&ds, b, ds.nchunks, NULL, 0, 0);
   }
   for (unsigned i = 0; i < ds.nchunks; i++) {
      if (b[i].ctx.bins.oom)
         goto out_oom;
      if (b[i].full)
         goto out_not;
   }
   *slots = malloc(ds.nchunks * sizeof(**slots));
   if (!*slots)
      goto out_oom;
   for (unsigned i = 0; i < ds.nchunks; i++) {
      (*slots)[i] = b[i];
      free(b[i].verts); /* set-up triangles keep what they need in the arena */
      free(b[i].ids);
      (*slots)[i].verts = NULL;
      (*slots)[i].ids = NULL;
      memset(&b[i], 0, sizeof(b[i]));
      size_t list_bytes = 0;
      for (size_t t = 0; t < ntiles; t++)
         list_bytes += (*slots)[i].ctx.bins.cap[t] * sizeof(uint32_t);
      *bytes += slot_bytes + list_bytes;
   }
   *n = ds.nchunks;
   draw_free(&ds);
   return 1;
out_oom:
   snprintf(err, err_size, "out of memory while binning a draw");
   draw_free(&ds);
   return -1;
out_not:
   draw_free(&ds);
   return 0;
}
