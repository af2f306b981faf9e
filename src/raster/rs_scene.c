/* rs_scene.c: deferred rasterization. Draws and clears of one framebuffer
 * queue up (each draw's front end runs at once, into bins of its own); a
 * flush then shades every tile once, walking the queue in submission order
 * while the tile stays in cache, with one pool job for the lot instead of
 * one per draw. A tile skips the queued work that a later entry overwrites
 * completely there: an opaque draw with a triangle over the whole tile, or
 * a clear of every color buffer (llvmpipe resets a tile's bin the same way).
 *
 * Invariants:
 * - every entry draws into fb (the copy here; entries' draw.fb point at it);
 * - an entry's slots hold its whole draw, binned, and nothing else reads or
 *   writes them until the flush, which frees them and calls release;
 * - entries before the one a tile starts from are skipped there only if
 *   they write no depth or stencil, or that entry clears depth and stencil:
 *   their color is overwritten, their depth/stencil writes are not. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "raster/rs_priv.h"

enum { ENTRY_DRAW, ENTRY_CLEAR };

/* One queued draw or clear. Allocated by entry_add (slots point at its draw, so it never moves), freed
 * by entry_free at the flush. */
struct rs_entry {
   int kind;                          /* ENTRY_DRAW or ENTRY_CLEAR */
   int writes_zs;                     /* may change the depth/stencil buffer */
   int clears_color;                  /* clear: every color buffer of fb (then it covers every tile) */
   int clears_zs;                     /* clear: the whole depth/stencil buffer, or fb has none */
   int done;                          /* clear: already applied to whole surfaces at this flush */
   uint32_t tx0, ty0, tx1, ty1;       /* the tiles it may touch: [tx0, tx1) x [ty0, ty1) */
   struct rs_draw draw;               /* draw: the packet (fb and poly_stipple point into this scene) */
   uint32_t stipple[32];              /* draw: its copy of the stipple pattern */
   struct rs_slot *slots;             /* draw: its binned chunks, nslots of them (owned) */
   unsigned nslots;
   void (*release)(void *arg);        /* draw: called once its tiles are shaded (or dropped) */
   void *release_arg;
   struct rs_clear_values clear;      /* clear: packed values; jobs point at fb */
};

struct rs_scene {
   struct rs_framebuffer fb;          /* every entry's framebuffer */
   struct rs_entry **entries;         /* in submission order, n of cap */
   unsigned n, cap;
   size_t bytes;                      /* bins held by the entries (bounded by RS_SCENE_MEMORY) */
   unsigned *from;                    /* flush: per tile, the entry its walk starts from (tiles_cap of them) */
   uint8_t *zs_dead;                  /* flush: per tile, entries before from need not run for depth/stencil */
   unsigned tiles_cap;
   int walk_all;                      /* flush: no memory for from/zs_dead, every entry runs in every tile */
};

int rs_scene_create(struct rs_scene **out)
{
   *out = calloc(1, sizeof(**out));
   return *out ? 0 : -1;
}

unsigned rs_scene_pending(const struct rs_scene *s)
{
   return s ? s->n : 0;
}

static void entry_free(struct rs_entry *e)
{
   for (unsigned i = 0; i < e->nslots; i++)
      rs_slot_free(&e->slots[i]);
   free(e->slots);
   if (e->release)
      e->release(e->release_arg);
   free(e);
}

void rs_scene_destroy(struct rs_scene *s)
{
   if (!s)
      return;
   for (unsigned i = 0; i < s->n; i++)
      entry_free(s->entries[i]);
   free(s->entries);
   free(s->from);
   free(s->zs_dead);
   free(s);
}

/* Whether fb is the scene's framebuffer: same surfaces, formats and size. */
static int same_fb(const struct rs_scene *s, const struct rs_framebuffer *fb)
{
   return !memcmp(&s->fb, fb, sizeof(*fb));
}

/* Whether e may touch tile (tiles_x per row). */
static int entry_in_tile(const struct rs_entry *e, unsigned tile, unsigned tiles_x)
{
   unsigned x = tile % tiles_x, y = tile / tiles_x;
   return x >= e->tx0 && x < e->tx1 && y >= e->ty0 && y < e->ty1;
}

/* Whether e makes every color pixel of tile independent of what came before it. */
static int entry_covers(const struct rs_entry *e, unsigned tile, unsigned tiles_x)
{
   if (!entry_in_tile(e, tile, tiles_x))
      return 0;
   if (e->kind == ENTRY_CLEAR)
      return e->clears_color;
   if (!e->draw.opaque)
      return 0;
   for (unsigned i = 0; i < e->nslots; i++)
      if (rs_tile_covered(&e->slots[i].ctx, tile))
         return 1;
   return 0;
}

/* Where tile's walk starts: the last entry that covers it; and whether the
 * entries before that one may be skipped even if they write depth/stencil. */
static void tile_start(const struct rs_scene *s, unsigned tile, unsigned *from, uint8_t *zs_dead)
{
   unsigned f = 0, tiles_x = (s->fb.width + RS_TILE_SIZE - 1) / RS_TILE_SIZE;
   for (unsigned k = s->n; k-- > 0;)
      if (entry_covers(s->entries[k], tile, tiles_x)) {
         f = k;
         break;
      }
   *from = f;
   *zs_dead = !s->fb.zsbuf.data || (s->entries[f]->kind == ENTRY_CLEAR && s->entries[f]->clears_zs);
}

/* Whether entry k runs in tile. */
static int entry_live(const struct rs_scene *s, unsigned k, unsigned tile)
{
   return s->walk_all || k >= s->from[tile] || (!s->zs_dead[tile] && s->entries[k]->writes_zs);
}

static void scene_tile(void *arg, unsigned tile)
{
   struct rs_scene *s = arg;
   unsigned tiles_x = (s->fb.width + RS_TILE_SIZE - 1) / RS_TILE_SIZE;
   int32_t x0 = (int32_t)(tile % tiles_x) * RS_TILE_SIZE, y0 = (int32_t)(tile / tiles_x) * RS_TILE_SIZE;
   for (unsigned k = 0; k < s->n; k++) {
      const struct rs_entry *e = s->entries[k];
      if (!entry_in_tile(e, tile, tiles_x) || !entry_live(s, k, tile) || (e->kind == ENTRY_CLEAR && e->done))
         continue;
      if (e->kind == ENTRY_CLEAR) {
         rs_clear_rect(&e->clear, x0, y0, x0 + RS_TILE_SIZE, y0 + RS_TILE_SIZE);
         continue;
      }
      for (unsigned i = 0; i < e->nslots; i++)
         rs_tile_prefetch_bin(&e->slots[i].ctx, tile, 0);
      for (unsigned i = 0; i < e->nslots; i++) {
         if (i + 1 < e->nslots)
            rs_tile_prefetch_bin(&e->slots[i + 1].ctx, tile, 1);
         rs_tile_rasterize(&e->slots[i].ctx, tile);
      }
   }
}

void rs_scene_flush(struct rs_pool *pool, struct rs_scene *s)
{
   if (!s || !s->n)
      return;
   unsigned tiles = ((s->fb.width + RS_TILE_SIZE - 1) / RS_TILE_SIZE) *
                    ((s->fb.height + RS_TILE_SIZE - 1) / RS_TILE_SIZE);
   if (tiles > s->tiles_cap) {
      unsigned *f = realloc(s->from, tiles * sizeof(*f));
      if (f)
         s->from = f;
      uint8_t *z = realloc(s->zs_dead, tiles);
      if (z)
         s->zs_dead = z;
      if (f && z)
         s->tiles_cap = tiles;
   }
   s->walk_all = tiles > s->tiles_cap;
   unsigned first = 0;                /* entries before it are clears done on whole surfaces */
   if (!s->walk_all) {
      for (unsigned t = 0; t < tiles; t++)
         tile_start(s, t, &s->from[t], &s->zs_dead[t]);
      /* Leading clears that most tiles need run on whole rows first: a long
       * row streams through the prefetchers, a tile's 64 short rows do not
       * (the bench's clear scene: 0.31 against 0.67 ms a frame). */
      for (unsigned k = 0; k < s->n && s->entries[k]->kind == ENTRY_CLEAR; k++) {
         unsigned live = 0;
         for (unsigned t = 0; t < tiles; t++)
            live += (unsigned)entry_live(s, k, t);
         if (2 * live < tiles)
            break;
         rs_clear_run(pool, &s->entries[k]->clear);
         s->entries[k]->done = 1;
         first = k + 1;
      }
   }
   if (first < s->n)
      rs_pool_run(pool, tiles, scene_tile, s);
   for (unsigned i = 0; i < s->n; i++)
      entry_free(s->entries[i]);
   s->n = 0;
   s->bytes = 0;
}

/* Room for one more entry on framebuffer fb (flushing what is queued when
 * fb differs or the scene is full); NULL when out of memory. */
static struct rs_entry *entry_add(struct rs_pool *pool, struct rs_scene *s, const struct rs_framebuffer *fb,
                                  size_t bytes)
{
   if (s->n && (!same_fb(s, fb) || s->n == RS_SCENE_MAX_ENTRIES || s->bytes + bytes > RS_SCENE_MEMORY))
      rs_scene_flush(pool, s);
   if (s->n == s->cap) {
      unsigned cap = s->cap ? s->cap * 2 : 16;
      struct rs_entry **a = realloc(s->entries, cap * sizeof(*a));
      if (!a)
         return NULL;
      s->entries = a;
      s->cap = cap;
   }
   struct rs_entry *e = calloc(1, sizeof(*e));
   if (!e)
      return NULL;
   if (!s->n)
      s->fb = *fb;
   s->entries[s->n] = e;
   return e;
}

int rs_scene_draw(struct rs_pool *pool, struct rs_scene *s, const struct rs_draw *d, void (*release)(void *arg),
                  void *arg, char *err, size_t err_size)
{
   if (!d->fb || d->fb->width == 0 || d->fb->height == 0)
      return 0;
   /* the front end reads vertex data now: what is queued for another framebuffer goes first, so
    * a draw that reads back a render target sees it drawn */
   if (s->n && !same_fb(s, d->fb))
      rs_scene_flush(pool, s);
   struct rs_slot *slots;
   unsigned n;
   size_t bytes;
   int r = rs_draw_front(pool, d, RS_SCENE_MEMORY, &slots, &n, &bytes, err, err_size);
   if (r <= 0)
      return r;
   struct rs_entry *e = entry_add(pool, s, d->fb, bytes);
   if (!e) {
      for (unsigned i = 0; i < n; i++)
         rs_slot_free(&slots[i]);
      free(slots);
      snprintf(err, err_size, "out of memory for a deferred draw");
      return -1;
   }
   e->kind = ENTRY_DRAW;
   e->draw = *d;
   e->draw.fb = &s->fb;
   if (d->poly_stipple) {
      memcpy(e->stipple, d->poly_stipple, sizeof(e->stipple));
      e->draw.poly_stipple = e->stipple;
   }
   e->writes_zs = d->writes_zs;
   e->slots = slots;
   e->nslots = n;
   int32_t minx = INT32_MAX, miny = INT32_MAX, maxx = 0, maxy = 0; /* pixel bounds of its triangles */
   for (unsigned i = 0; i < n; i++) {
      slots[i].ctx.draw = &e->draw;
      const struct rs_bins *b = &slots[i].ctx.bins;
      for (uint32_t t = 0; t < b->ntris; t++) {
         const struct rs_tri *tri = b->tris[t];
         minx = tri->minx < minx ? tri->minx : minx;
         miny = tri->miny < miny ? tri->miny : miny;
         maxx = tri->maxx > maxx ? tri->maxx : maxx;
         maxy = tri->maxy > maxy ? tri->maxy : maxy;
      }
   }
   if (minx < maxx && miny < maxy) {
      e->tx0 = (uint32_t)minx / RS_TILE_SIZE;
      e->ty0 = (uint32_t)miny / RS_TILE_SIZE;
      e->tx1 = ((uint32_t)maxx + RS_TILE_SIZE - 1) / RS_TILE_SIZE;
      e->ty1 = ((uint32_t)maxy + RS_TILE_SIZE - 1) / RS_TILE_SIZE;
   }
   e->release = release;
   e->release_arg = arg;
   s->bytes += bytes;
   s->n++;
   return 1;
}

int rs_scene_clear(struct rs_pool *pool, struct rs_scene *s, const struct rs_framebuffer *fb, unsigned buffers,
                   const float color[4], double depth, unsigned stencil)
{
   if (fb->width == 0 || fb->height == 0)
      return 0;
   /* tiles cover the framebuffer's size: a surface larger than it is cleared whole, now */
   for (unsigned i = 0; i < fb->nr_cbufs && i < JIT_MAX_CBUFS; i++)
      if (fb->cbufs[i].data && (buffers & (PIPE_CLEAR_COLOR0 << i)) &&
          (fb->cbufs[i].width != fb->width || fb->cbufs[i].height != fb->height))
         return 0;
   if (fb->zsbuf.data && (buffers & (PIPE_CLEAR_DEPTH | PIPE_CLEAR_STENCIL)) &&
       (fb->zsbuf.width != fb->width || fb->zsbuf.height != fb->height))
      return 0;
   struct rs_entry *e = entry_add(pool, s, fb, 0);
   if (!e)
      return -1;
   e->kind = ENTRY_CLEAR;
   e->tx1 = (fb->width + RS_TILE_SIZE - 1) / RS_TILE_SIZE;
   e->ty1 = (fb->height + RS_TILE_SIZE - 1) / RS_TILE_SIZE;
   rs_clear_prepare(&s->fb, buffers, color, depth, stencil, &e->clear);
   const struct jit_format_desc *zd = jit_format_get(fb->zsbuf.format);
   unsigned want_zs = (zd && zd->has_depth ? PIPE_CLEAR_DEPTH : 0) | (zd && zd->has_stencil ? PIPE_CLEAR_STENCIL : 0);
   e->writes_zs = fb->zsbuf.data && (buffers & (PIPE_CLEAR_DEPTH | PIPE_CLEAR_STENCIL));
   e->clears_zs = !fb->zsbuf.data || (zd && (buffers & want_zs) == want_zs);
   e->clears_color = 1;
   for (unsigned i = 0; i < fb->nr_cbufs && i < JIT_MAX_CBUFS; i++)
      if (fb->cbufs[i].data && !(buffers & (PIPE_CLEAR_COLOR0 << i)))
         e->clears_color = 0;
   s->n++;
   return 1;
}
