/* rs_setup.c: clip-space primitives -> set-up triangles binned into tiles.
 * Clipping (w > 0, near/far when depth_clip, a guard band for x/y), face
 * culling, the viewport, fixed-point snapping with 8 subpixel bits and the
 * top-left (or bottom-left) fill rule, and the attribute planes the fragment
 * stage evaluates. Points and lines become screen-aligned quads. Planes are
 * computed from the snapped vertex positions, in double precision. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "raster/rs_priv.h"

#define SUB (1 << RS_SUBPIXEL_BITS)

/* ---- arena and bins ------------------------------------------------------- */

static void *arena_alloc(struct rs_bins *b, size_t size)
{
   size = (size + 15) & ~(size_t)15;
   if (b->arena_used + size > b->arena_cap)
      return NULL; /* the caller flushes the chunk and retries */
   void *p = b->arena + b->arena_used;
   b->arena_used += size;
   return p;
}

static int bin_push(struct rs_bins *b, unsigned tile, uint32_t tri)
{
   if (b->count[tile] == b->cap[tile]) {
      uint32_t cap = b->cap[tile] ? b->cap[tile] * 2 : 16;
      uint32_t *n = realloc(b->list[tile], cap * sizeof(*n));
      if (!n)
         return -1;
      b->list[tile] = n;
      b->cap[tile] = cap;
   }
   b->list[tile][b->count[tile]++] = tri;
   return 0;
}

/* ---- planes ------------------------------------------------------------------ */

/* Plane through three (x, y, value) points, evaluated at integer pixel
 * coordinates with the pixel-center offset folded into a0. */
static void plane3(const double x[3], const double y[3], double det, double cx, double cy, double v0, double v1,
                   double v2, float *a0, float *dadx, float *dady)
{
   double dx = ((v1 - v0) * (y[2] - y[0]) - (v2 - v0) * (y[1] - y[0])) / det;
   double dy = ((v2 - v0) * (x[1] - x[0]) - (v1 - v0) * (x[2] - x[0])) / det;
   *a0 = (float)(v0 + dx * (cx - x[0]) + dy * (cy - y[0]));
   *dadx = (float)dx;
   *dady = (float)dy;
}

void rs_setup_edges(struct rs_tri *t, const int64_t X[3], const int64_t Y[3], int bottom_edge_rule)
{
   for (int e = 0; e < 3; e++) {
      int i = e, j = (e + 1) % 3;
      int64_t dx = X[j] - X[i], dy = Y[j] - Y[i];
      /* E(p) = dx * (p.y - Y[i]) - dy * (p.x - X[i]) */
      t->a[e] = -dy;
      t->b[e] = dx;
      t->c[e] = dy * X[i] - dx * Y[i];
      int tl = bottom_edge_rule ? ((dy == 0 && dx < 0) || dy < 0) : ((dy == 0 && dx > 0) || dy < 0);
      if (!tl)
         t->c[e] -= 1; /* pixels exactly on a non-owning edge are outside */
   }
}

/* Set up one window-space triangle (already culled/oriented by the caller).
 * flat_attr: attributes of the provoking vertex for CONSTANT inputs. */
static void setup_window_tri(struct rs_ctx *ctx, const struct rs_wvert *v[3], const float *flat_attr, int front)
{
   const struct rs_draw *d = ctx->draw;
   struct rs_bins *b = &ctx->bins;
   int64_t fx[3], fy[3];
   for (int i = 0; i < 3; i++) {
      if (!(fabsf(v[i]->x) <= RS_GUARD_BAND * 2) || !(fabsf(v[i]->y) <= RS_GUARD_BAND * 2))
         return; /* NaN or beyond the guard band: clipping failed to bring it in, drop */
      fx[i] = llrint((double)v[i]->x * SUB);
      fy[i] = llrint((double)v[i]->y * SUB);
   }
   /* orientation: make the signed area positive (y down); inside is then E >= 0 */
   int64_t area = (fx[1] - fx[0]) * (fy[2] - fy[0]) - (fx[2] - fx[0]) * (fy[1] - fy[0]);
   if (area == 0)
      return;
   int order[3] = { 0, 1, 2 };
   if (area < 0) {
      order[1] = 2;
      order[2] = 1;
      area = -area;
   }
   int64_t X[3], Y[3];
   for (int i = 0; i < 3; i++) {
      X[i] = fx[order[i]];
      Y[i] = fy[order[i]];
   }
   /* bounding box in pixels, clipped */
   int64_t off_x = (int64_t)(ctx->cx * SUB), off_y = (int64_t)(ctx->cy * SUB), bb[4];
   rs_tri_bounds(X, Y, off_x, off_y, bb);
   int32_t minx = (int32_t)bb[0], miny = (int32_t)bb[1], maxx = (int32_t)bb[2], maxy = (int32_t)bb[3];
   if (minx < ctx->clip_minx) minx = ctx->clip_minx;
   if (miny < ctx->clip_miny) miny = ctx->clip_miny;
   if (maxx > ctx->clip_maxx) maxx = ctx->clip_maxx;
   if (maxy > ctx->clip_maxy) maxy = ctx->clip_maxy;
   if (minx >= maxx || miny >= maxy)
      return;

   uint32_t nin = d->fs_num_inputs;
   size_t size = sizeof(struct rs_tri) + 3 * (size_t)nin * sizeof(float[4]);
   struct rs_tri *t = arena_alloc(b, size);
   if (!t || b->ntris == b->tris_cap) {
      b->oom = 1;
      return;
   }
   float(*planes)[4] = (float(*)[4])(t + 1);
   t->planes.a0 = planes;
   t->planes.dadx = planes + nin;
   t->planes.dady = planes + 2 * nin;
   t->planes.num_inputs = nin;
   t->planes.front_facing = (uint32_t)front;
   t->stippled = d->poly_stipple && ctx->offset_enabled; /* points and lines are never stippled */
   t->minx = minx;
   t->miny = miny;
   t->maxx = maxx;
   t->maxy = maxy;

   rs_setup_edges(t, X, Y, d->bottom_edge_rule);

   /* planes, from the snapped positions */
   double px[3], py[3];
   const struct rs_wvert *ov[3];
   for (int i = 0; i < 3; i++) {
      px[i] = (double)X[i] / SUB;
      py[i] = (double)Y[i] / SUB;
      ov[i] = v[order[i]];
   }
   double det = (px[1] - px[0]) * (py[2] - py[0]) - (px[2] - px[0]) * (py[1] - py[0]);
   double cx = ctx->cx, cy = ctx->cy;
   plane3(px, py, det, cx, cy, ov[0]->invw, ov[1]->invw, ov[2]->invw, &t->planes.w0, &t->planes.dwdx,
          &t->planes.dwdy);
   plane3(px, py, det, cx, cy, ov[0]->z, ov[1]->z, ov[2]->z, &t->planes.z0, &t->planes.dzdx, &t->planes.dzdy);
   if (d->offset_tri && ctx->offset_enabled) { /* glPolygonOffset: slope and units, clamped */
      float slope = fmaxf(fabsf(t->planes.dzdx), fabsf(t->planes.dzdy));
      /* units count twice the minimum resolvable difference, as Mesa's draw module and llvmpipe apply them */
      float off = d->offset_units * d->depth_mrd * 2.0f + d->offset_scale * slope;
      if (d->offset_clamp > 0.0f)
         off = fminf(off, d->offset_clamp);
      else if (d->offset_clamp < 0.0f)
         off = fmaxf(off, d->offset_clamp);
      if (off == off)
         t->planes.z0 += off;
   }
   for (uint32_t in = 0; in < nin; in++) {
      const struct rs_fs_input *fi = &d->fs_inputs[in];
      for (int c = 0; c < 4; c++) {
         float a0 = 0.0f, ddx = 0.0f, ddy = 0.0f;
         if (fi->src == RS_INPUT_VS_OUTPUT && fi->vs_slot < d->vs_num_outputs) {
            size_t k = (size_t)fi->vs_slot * 4 + c;
            if (fi->interp == JIT_INTERP_CONSTANT) {
               a0 = flat_attr[k];
            } else if (fi->interp == JIT_INTERP_PERSPECTIVE) {
               plane3(px, py, det, cx, cy, (double)ov[0]->attr[k] * ov[0]->invw, (double)ov[1]->attr[k] * ov[1]->invw,
                      (double)ov[2]->attr[k] * ov[2]->invw, &a0, &ddx, &ddy);
            } else {
               plane3(px, py, det, cx, cy, ov[0]->attr[k], ov[1]->attr[k], ov[2]->attr[k], &a0, &ddx, &ddy);
            }
         } else if (fi->src == RS_INPUT_POSITION) {
            double val[3];
            for (int i = 0; i < 3; i++)
               val[i] = c == 0 ? px[i] : c == 1 ? py[i] : c == 2 ? ov[i]->z : ov[i]->invw;
            plane3(px, py, det, cx, cy, val[0], val[1], val[2], &a0, &ddx, &ddy);
         } else if (fi->src == RS_INPUT_FACE) {
            a0 = c == 0 ? (front ? 1.0f : -1.0f) : c == 3 ? 1.0f : 0.0f;
         } else {
            a0 = c == 3 ? 1.0f : 0.0f;
         }
         t->planes.a0[in][c] = a0;
         t->planes.dadx[in][c] = ddx;
         t->planes.dady[in][c] = ddy;
      }
   }

   uint32_t idx = b->ntris;
   b->tris[b->ntris++] = t;
   unsigned tx0 = (unsigned)minx / RS_TILE_SIZE, tx1 = (unsigned)(maxx - 1) / RS_TILE_SIZE;
   unsigned ty0 = (unsigned)miny / RS_TILE_SIZE, ty1 = (unsigned)(maxy - 1) / RS_TILE_SIZE;
   for (unsigned ty = ty0; ty <= ty1; ty++)
      for (unsigned tx = tx0; tx <= tx1; tx++)
         if (bin_push(b, ty * b->tiles_x + tx, idx)) {
            b->oom = 1;
            return;
         }
}

/* ---- clipping ----------------------------------------------------------------- */

/* A clip-space vertex with its attributes (clipped vertices own their copy). */
struct cvert {
   float pos[4];
   const float *attr;
};

struct clip_scratch {
   float store[RS_CLIP_MAX_VERTS * 2][4 * JIT_MAX_OUTPUTS];
   unsigned used;
};

/* Signed distance of plane p (inside >= 0): w > 0, near, far, guard band
 * -x, +x, -y, +y (jit_abi.h holds the one definition). */
static float plane_dist(const struct rs_ctx *ctx, unsigned p, const float *c)
{
   return jit_clip_plane_dist(&ctx->win, p, c);
}

#define CLIP_PLANES JIT_CLIP_PLANES

static unsigned clip_mask(const struct rs_ctx *ctx, const float *c)
{
   unsigned m = 0;
   for (unsigned p = 0; p < CLIP_PLANES; p++) {
      if ((p == 1 || p == 2) && !ctx->draw->depth_clip)
         continue;
      float dist = plane_dist(ctx, p, c);
      if (!(dist >= 0.0f))
         m |= 1u << p;
   }
   return m;
}

/* The vertex's record (jit_vs_window: written by the vertex variant or
 * rs_bin.c once per vertex, the same arithmetic as clip_mask and
 * to_window): its clip mask restricted to the planes that clip. */
static unsigned record_mask(const struct rs_ctx *ctx, const float *v)
{
   uint32_t m;
   memcpy(&m, v + ctx->win.offset + 4, 4);
   return m & ctx->clip_planes;
}

/* Sutherland-Hodgman on a polygon of n vertices against the planes in mask. */
static unsigned clip_polygon(struct rs_ctx *ctx, struct clip_scratch *cs, struct cvert *poly, unsigned n,
                             unsigned mask)
{
   const struct rs_draw *d = ctx->draw;
   unsigned nattr = d->vs_num_outputs * 4;
   struct cvert tmp[RS_CLIP_MAX_VERTS];
   for (unsigned p = 0; p < CLIP_PLANES && n >= 2; p++) {
      if (!(mask & (1u << p)))
         continue;
      unsigned m = 0;
      for (unsigned i = 0; i < n; i++) {
         const struct cvert *a = &poly[i], *b = &poly[(i + 1) % n];
         float da = plane_dist(ctx, p, a->pos), db = plane_dist(ctx, p, b->pos);
         int ina = da >= 0.0f, inb = db >= 0.0f;
         if (ina && m < RS_CLIP_MAX_VERTS)
            tmp[m++] = *a;
         if (ina != inb && m < RS_CLIP_MAX_VERTS && cs->used < RS_CLIP_MAX_VERTS * 2) {
            float t = da / (da - db);
            if (!(t >= 0.0f && t <= 1.0f))
               t = t > 0.5f ? 1.0f : 0.0f;
            float *attr = cs->store[cs->used++];
            struct cvert *o = &tmp[m++];
            for (int c = 0; c < 4; c++)
               o->pos[c] = a->pos[c] + t * (b->pos[c] - a->pos[c]);
            for (unsigned k = 0; k < nattr; k++)
               attr[k] = a->attr[k] + t * (b->attr[k] - a->attr[k]);
            o->attr = attr;
         }
      }
      memcpy(poly, tmp, m * sizeof(*tmp));
      n = m;
   }
   return n;
}

static void to_window(const struct rs_ctx *ctx, const struct cvert *c, struct rs_wvert *w)
{
   const struct rs_draw *d = ctx->draw;
   float iw = 1.0f / c->pos[3];
   w->x = c->pos[0] * iw * d->viewport_scale[0] + d->viewport_translate[0];
   w->y = c->pos[1] * iw * d->viewport_scale[1] + d->viewport_translate[1];
   w->z = c->pos[2] * iw * d->viewport_scale[2] + d->viewport_translate[2];
   w->invw = iw;
   w->attr = c->attr;
}

/* Winding of a window-space triangle in Gallium's convention, where window
 * y grows with the memory row (down): 1 = counter-clockwise, 0 = clockwise,
 * -1 = zero area or NaN. Mesa's state tracker flips front_ccw for y-up
 * framebuffers itself (a GL program's CCW front face arrives as
 * front_ccw = 0 when it renders to an FBO), as llvmpipe expects. */
static int winding(const struct rs_wvert *a, const struct rs_wvert *b, const struct rs_wvert *c)
{
   float ex = a->x - c->x, ey = a->y - c->y, fx = b->x - c->x, fy = b->y - c->y;
   float det = ex * fy - ey * fx;
   if (!(det != 0.0f))
      return -1;
   return det < 0.0f;
}

/* Facing after culling: -1 = culled, else front (1) / back (0). */
static int cull(const struct rs_ctx *ctx, int ccw)
{
   const struct rs_draw *d = ctx->draw;
   int front = ccw == (d->front_ccw != 0);
   if ((front && (d->cull_face & PIPE_FACE_FRONT)) || (!front && (d->cull_face & PIPE_FACE_BACK)))
      return -1;
   return front;
}

static const float *pos_of(const struct rs_draw *d, const float *v)
{
   return v + (size_t)d->pos_slot * 4;
}

/* Polygon modes LINE and POINT: the original triangle's edges or vertices
 * (edges made by clipping are not drawn, as GL specifies). Edge flags are not
 * supported: every edge is drawn. Returns 1 if the triangle was handled. */
static int polygon_mode(struct rs_ctx *ctx, int front, const float *v0, const float *v1, const float *v2,
                        const float *prov)
{
   unsigned mode = front ? ctx->draw->fill_front : ctx->draw->fill_back;
   if (mode == 1) {
      rs_setup_line(ctx, v0, v1, prov);
      rs_setup_line(ctx, v1, v2, prov);
      rs_setup_line(ctx, v2, v0, prov);
      return 1;
   }
   if (mode == 2) {
      rs_setup_point(ctx, v0);
      rs_setup_point(ctx, v1);
      rs_setup_point(ctx, v2);
      return 1;
   }
   return 0;
}

void rs_setup_triangle(struct rs_ctx *ctx, const float *v0, const float *v1, const float *v2, const float *prov)
{
   const struct rs_draw *d = ctx->draw;
   const float *vin[3] = { v0, v1, v2 };
   unsigned m_or = 0, m_and = ~0u;
   for (int i = 0; i < 3; i++) {
      unsigned m = record_mask(ctx, vin[i]);
      m_or |= m;
      m_and &= m;
   }
   if (m_and)
      return; /* entirely outside one plane */
   if (!m_or) {
      struct rs_wvert w[3];
      for (int i = 0; i < 3; i++) { /* to_window of the vertex, from its record */
         const float *r = vin[i] + ctx->win.offset;
         w[i].x = r[0];
         w[i].y = r[1];
         w[i].z = r[2];
         w[i].invw = r[3];
         w[i].attr = vin[i];
      }
      int ccw = winding(&w[0], &w[1], &w[2]);
      int front = ccw < 0 ? -1 : cull(ctx, ccw);
      if (front < 0 || polygon_mode(ctx, front, v0, v1, v2, prov))
         return;
      const struct rs_wvert *pw[3] = { &w[0], &w[1], &w[2] };
      setup_window_tri(ctx, pw, prov, front);
      return;
   }
   struct clip_scratch *cs = malloc(sizeof(*cs));
   if (!cs) {
      ctx->bins.oom = 1;
      return;
   }
   cs->used = 0;
   struct cvert poly[RS_CLIP_MAX_VERTS];
   for (int i = 0; i < 3; i++) {
      memcpy(poly[i].pos, pos_of(d, vin[i]), sizeof(poly[i].pos));
      poly[i].attr = vin[i];
   }
   unsigned n = clip_polygon(ctx, cs, poly, 3, m_or);
   if (n >= 3) {
      struct rs_wvert w[RS_CLIP_MAX_VERTS];
      for (unsigned i = 0; i < n; i++)
         to_window(ctx, &poly[i], &w[i]);
      /* clipping keeps the winding: the first non-degenerate fan triangle decides */
      int front = -1;
      for (unsigned i = 1; i + 1 < n; i++) {
         int ccw = winding(&w[0], &w[i], &w[i + 1]);
         if (ccw >= 0) {
            front = cull(ctx, ccw);
            break;
         }
      }
      if (front >= 0 && polygon_mode(ctx, front, v0, v1, v2, prov))
         front = -1;
      if (front >= 0)
         for (unsigned i = 1; i + 1 < n; i++) {
            const struct rs_wvert *pw[3] = { &w[0], &w[i], &w[i + 1] };
            setup_window_tri(ctx, pw, prov, front);
         }
   }
   free(cs);
}

/* A screen-aligned quad as two triangles: corners c[0..3] in order. */
static void setup_quad(struct rs_ctx *ctx, const struct rs_wvert c[4], const float *prov)
{
   const struct rs_wvert *t0[3] = { &c[0], &c[1], &c[2] };
   const struct rs_wvert *t1[3] = { &c[0], &c[2], &c[3] };
   int saved = ctx->offset_enabled;
   ctx->offset_enabled = 0; /* points and lines: no polygon offset (offset_point/line not implemented), no stipple */
   setup_window_tri(ctx, t0, prov, 1);
   setup_window_tri(ctx, t1, prov, 1);
   ctx->offset_enabled = saved;
}

void rs_setup_line(struct rs_ctx *ctx, const float *v0, const float *v1, const float *prov)
{
   const struct rs_draw *d = ctx->draw;
   struct cvert c[2];
   memcpy(c[0].pos, pos_of(d, v0), sizeof(c[0].pos));
   memcpy(c[1].pos, pos_of(d, v1), sizeof(c[1].pos));
   c[0].attr = v0;
   c[1].attr = v1;
   unsigned m0 = clip_mask(ctx, c[0].pos), m1 = clip_mask(ctx, c[1].pos);
   if (m0 & m1)
      return;
   float *store = NULL;
   if (m0 | m1) {
      unsigned nattr = d->vs_num_outputs * 4;
      store = malloc(2 * (size_t)(nattr ? nattr : 1) * sizeof(float));
      if (!store) {
         ctx->bins.oom = 1;
         return;
      }
      float t0 = 0.0f, t1 = 1.0f;
      for (unsigned p = 0; p < CLIP_PLANES; p++) {
         if (!((m0 | m1) & (1u << p)))
            continue;
         float da = plane_dist(ctx, p, c[0].pos), db = plane_dist(ctx, p, c[1].pos);
         if (da < 0 && db < 0) {
            free(store);
            return;
         }
         float t = da / (da - db);
         if (da < 0 && t > t0)
            t0 = t;
         if (db < 0 && t < t1)
            t1 = t;
      }
      if (!(t0 < t1)) {
         free(store);
         return;
      }
      struct cvert n[2];
      float ts[2] = { t0, t1 };
      for (int e = 0; e < 2; e++) {
         for (int k = 0; k < 4; k++)
            n[e].pos[k] = c[0].pos[k] + ts[e] * (c[1].pos[k] - c[0].pos[k]);
         float *a = store + (size_t)e * nattr;
         for (unsigned k = 0; k < nattr; k++)
            a[k] = v0[k] + ts[e] * (v1[k] - v0[k]);
         n[e].attr = a;
      }
      c[0] = n[0];
      c[1] = n[1];
   }
   struct rs_wvert w[2];
   to_window(ctx, &c[0], &w[0]);
   to_window(ctx, &c[1], &w[1]);
   float half = fminf(fmaxf(d->line_width, 1.0f), RS_MAX_POINT_SIZE) * 0.5f;
   float dx = w[1].x - w[0].x, dy = w[1].y - w[0].y;
   float ox = 0.0f, oy = 0.0f;
   if (fabsf(dx) >= fabsf(dy))
      oy = half; /* x-major: extend vertically */
   else
      ox = half;
   struct rs_wvert q[4] = { w[0], w[1], w[1], w[0] };
   q[0].x -= ox; q[0].y -= oy;
   q[1].x -= ox; q[1].y -= oy;
   q[2].x += ox; q[2].y += oy;
   q[3].x += ox; q[3].y += oy;
   setup_quad(ctx, q, prov);
   free(store);
}

void rs_setup_point(struct rs_ctx *ctx, const float *v)
{
   const struct rs_draw *d = ctx->draw;
   struct cvert c;
   memcpy(c.pos, pos_of(d, v), sizeof(c.pos));
   c.attr = v;
   if (clip_mask(ctx, c.pos))
      return; /* points are clipped by their center */
   struct rs_wvert w;
   to_window(ctx, &c, &w);
   float size = d->point_size;
   if (d->point_size_per_vertex && d->psize_slot >= 0 && (uint32_t)d->psize_slot < d->vs_num_outputs)
      size = v[(size_t)d->psize_slot * 4];
   if (!(size > 0.0f))
      return;
   float half = fminf(size, RS_MAX_POINT_SIZE) * 0.5f;
   struct rs_wvert q[4] = { w, w, w, w };
   q[0].x -= half; q[0].y -= half;
   q[1].x += half; q[1].y -= half;
   q[2].x += half; q[2].y += half;
   q[3].x -= half; q[3].y += half;
   setup_quad(ctx, q, v);
}
