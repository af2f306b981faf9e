/* rs_bin.c: executes a draw packet: primitive restart segments, instances,
 * primitive assembly, the vertex variant over each chunk of primitives,
 * setup and binning (rs_setup.c), then the tiles in parallel (rs_tile.c).
 * Chunks bound memory for any draw size; they are flushed in submission
 * order, so the image does not depend on the thread count. */
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

struct draw_state {
   struct rs_ctx ctx;
   struct rs_pool *pool;
   uint32_t stride;               /* floats per shaded vertex */
   float *verts;                  /* shaded vertices of the current chunk */
   uint32_t *ids;
   uint32_t verts_cap;
   size_t tri_bytes;              /* worst-case arena bytes per set-up triangle */
};

static void tile_job(void *arg, unsigned item)
{
   rs_tile_rasterize(arg, item);
}

static void bins_flush(struct draw_state *ds)
{
   struct rs_bins *b = &ds->ctx.bins;
   if (b->ntris)
      rs_pool_run(ds->pool, b->tiles_x * b->tiles_y, tile_job, &ds->ctx);
   memset(b->count, 0, (size_t)b->tiles_x * b->tiles_y * sizeof(*b->count));
   b->ntris = 0;
   b->arena_used = 0;
}

/* Room for one more primitive, whose clipping may make up to RS_CLIP_MAX_VERTS - 2 triangles. */
static void bins_reserve(struct draw_state *ds)
{
   struct rs_bins *b = &ds->ctx.bins;
   const unsigned worst = RS_CLIP_MAX_VERTS;
   if (b->ntris + worst > b->tris_cap || b->arena_used + worst * ds->tri_bytes > b->arena_cap)
      bins_flush(ds);
}

/* One segment (no restart inside) of one instance. */
static void run_segment(struct draw_state *ds, uint32_t start, uint32_t count, uint32_t instance)
{
   const struct rs_draw *d = ds->ctx.draw;
   uint32_t nprims = prim_count(d->mode, count);
   int cls = prim_class(d->mode);
   int needs_first = d->mode == PIPE_PRIM_TRIANGLE_FAN || d->mode == PIPE_PRIM_POLYGON ||
                     d->mode == PIPE_PRIM_LINE_LOOP;
   for (uint32_t p0 = 0; p0 < nprims && !ds->ctx.bins.oom; p0 += RS_CHUNK_PRIMS) {
      uint32_t p1 = nprims - p0 < RS_CHUNK_PRIMS ? nprims : p0 + RS_CHUNK_PRIMS;
      /* Element range of the chunk: every mode walks its elements in order, so
       * the first and last primitive bound it. Fans, polygons and line loops
       * also use element 0, which gets its own slot after the range. */
      uint32_t emin = UINT32_MAX, emax = 0, e[3], prov;
      uint32_t ends[2] = { p0, p1 - 1 };
      for (int q = 0; q < 2; q++) {
         prim_elems(d, ends[q], count, e, &prov);
         for (int j = 0; j < 3; j++) {
            if (needs_first && e[j] == 0)
               continue;
            emin = e[j] < emin ? e[j] : emin;
            emax = e[j] > emax ? e[j] : emax;
         }
      }
      if (emin > emax)
         emin = emax = 0;
      uint32_t k = 0;
      for (uint32_t el = emin; el <= emax && k + 1 < ds->verts_cap; el++)
         ds->ids[k++] = elem_vertex(d, start, el);
      uint32_t first_slot = k;
      if (needs_first)
         ds->ids[k++] = elem_vertex(d, start, 0);
      struct jit_vs_batch batch = { ds->ids, k, instance, ds->verts, ds->stride };
      d->vs(d->vs_ctx, &batch);

      for (uint32_t p = p0; p < p1; p++) {
         prim_elems(d, p, count, e, &prov);
         const float *v[3];
         for (int j = 0; j < 3; j++) {
            uint32_t el = e[j];
            uint32_t slot = (needs_first && el == 0) ? first_slot : el - emin;
            v[j] = ds->verts + (size_t)slot * ds->stride;
         }
         uint32_t pslot = (needs_first && prov == 0) ? first_slot : prov - emin;
         const float *pv = ds->verts + (size_t)pslot * ds->stride;
         bins_reserve(ds);
         if (cls == PC_TRI)
            rs_setup_triangle(&ds->ctx, v[0], v[1], v[2], pv);
         else if (cls == PC_LINE)
            rs_setup_line(&ds->ctx, v[0], v[1], pv);
         else
            rs_setup_point(&ds->ctx, v[0]);
         if (ds->ctx.bins.oom)
            break;
      }
   }
}

static void bins_free(struct rs_bins *b)
{
   if (b->list)
      for (unsigned i = 0; i < b->tiles_x * b->tiles_y; i++)
         free(b->list[i]);
   free(b->list);
   free(b->count);
   free(b->cap);
   free(b->tris);
   free(b->arena);
}

int rs_draw_run(struct rs_pool *pool, const struct rs_draw *d, char *err, size_t err_size)
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

   struct draw_state ds;
   memset(&ds, 0, sizeof(ds));
   ds.pool = pool;
   ds.ctx.draw = d;
   ds.ctx.cx = d->half_pixel_center ? 0.5f : 0.0f;
   ds.ctx.cy = ds.ctx.cx;
   ds.ctx.offset_enabled = 1;
   ds.ctx.clip_minx = 0;
   ds.ctx.clip_miny = 0;
   ds.ctx.clip_maxx = (int32_t)d->fb->width;
   ds.ctx.clip_maxy = (int32_t)d->fb->height;
   if (d->scissor_enable) {
      if (d->scissor.minx > ds.ctx.clip_minx) ds.ctx.clip_minx = d->scissor.minx;
      if (d->scissor.miny > ds.ctx.clip_miny) ds.ctx.clip_miny = d->scissor.miny;
      if (d->scissor.maxx < ds.ctx.clip_maxx) ds.ctx.clip_maxx = d->scissor.maxx;
      if (d->scissor.maxy < ds.ctx.clip_maxy) ds.ctx.clip_maxy = d->scissor.maxy;
      if (ds.ctx.clip_minx >= ds.ctx.clip_maxx || ds.ctx.clip_miny >= ds.ctx.clip_maxy)
         return 0;
   }
   ds.stride = d->vs_num_outputs * 4;
   ds.verts_cap = RS_CHUNK_PRIMS * 4 + 8;
   ds.tri_bytes = sizeof(struct rs_tri) + 3 * (size_t)d->fs_num_inputs * sizeof(float[4]) + 16;

   struct rs_bins *b = &ds.ctx.bins;
   b->tiles_x = (d->fb->width + RS_TILE_SIZE - 1) / RS_TILE_SIZE;
   b->tiles_y = (d->fb->height + RS_TILE_SIZE - 1) / RS_TILE_SIZE;
   unsigned ntiles = b->tiles_x * b->tiles_y;
   b->tris_cap = RS_CHUNK_PRIMS * 2;
   b->arena_cap = (size_t)b->tris_cap * ds.tri_bytes;
   b->list = calloc(ntiles, sizeof(*b->list));
   b->count = calloc(ntiles, sizeof(*b->count));
   b->cap = calloc(ntiles, sizeof(*b->cap));
   b->tris = malloc(b->tris_cap * sizeof(*b->tris));
   b->arena = malloc(b->arena_cap);
   ds.verts = malloc((size_t)ds.verts_cap * ds.stride * sizeof(float));
   ds.ids = malloc((size_t)ds.verts_cap * sizeof(uint32_t));
   int ret = 0;
   if (!b->list || !b->count || !b->cap || !b->tris || !b->arena || !ds.verts || !ds.ids) {
      snprintf(err, err_size, "out of memory for a draw");
      ret = -1;
      goto out_free;
   }

   for (uint32_t inst = 0; inst < d->instance_count && !b->oom; inst++) {
      if (d->index_size && d->primitive_restart) {
         uint32_t seg = 0;
         for (uint32_t i = 0; i <= d->count; i++) {
            int at_end = i == d->count;
            if (!at_end) {
               uint32_t raw = elem_vertex(d, d->start, i) - (uint32_t)d->index_bias;
               if (raw != d->restart_index)
                  continue;
            }
            if (i > seg)
               run_segment(&ds, d->start + seg, i - seg, inst);
            seg = i + 1;
         }
      } else {
         run_segment(&ds, d->start, d->count, inst);
      }
   }
   bins_flush(&ds);
   if (b->oom) {
      snprintf(err, err_size, "out of memory while binning a draw");
      ret = -1;
   }

out_free:
   bins_free(b);
   free(ds.verts);
   free(ds.ids);
   return ret;
}
