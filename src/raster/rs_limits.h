/* rs_limits.h: every fixed size of the rasterizer (src/raster), each with its reason. */
#ifndef RS_LIMITS_H
#define RS_LIMITS_H

#define RS_TILE_SIZE        64      /* tile edge in pixels: a tile's color+depth (32 KiB) stays in L1/L2 */
#define RS_BLOCK_SIZE       16      /* middle level of the 64 -> 16 -> 4 coverage walk */
#define RS_STAMP_SIZE       4       /* a 4x4 stamp = JIT_LANES lanes */
#define RS_MAX_THREADS      64      /* worker threads; more gains nothing on the machines we target */
#define RS_SUBPIXEL_BITS    8       /* fixed-point precision of vertex positions (DESIGN: fixed point) */
#define RS_GUARD_BAND       16384.0f /* |window x,y| beyond this is clipped: keeps fixed-point edge math in int64 */
#define RS_CHUNK_PRIMS      1024    /* primitives per front-end job item (shade, assemble, set up, bin on one thread) */
#define RS_BATCH_CHUNKS_PER_THREAD 4 /* chunks per pool thread in one batch: enough items that dynamic hand-out balances */
#define RS_BATCH_MEMORY     (64u << 20) /* bytes of chunk buffers (set-up triangles, shaded vertices) binned before tiles run */
#define RS_MAX_FB_SIZE      16384   /* framebuffer edge in pixels (caps: max texture size) */
#define RS_CLIP_MAX_VERTS   12      /* a triangle clipped by 8 planes has at most 3 + 8 vertices */
#define RS_MAX_POINT_SIZE   255.0f  /* largest point size / line width rendered */
#define RS_PREFETCH_TRIS    16      /* a tile walk asks this far ahead for binned triangles: the misses of a
                                       few small triangles' walks overlap, without flooding L1 */
#define RS_INLINE_MAX_TRIS  16      /* a tile job of at most this many triangles ... */
#define RS_INLINE_MAX_PIXELS 8192u  /* ... covering at most this many bounding-box pixels runs on the
                                       submitting thread: a pool wake-up and join (tens of us) costs more */
#define RS_SCENE_MAX_ENTRIES 256    /* draws and clears deferred before a flush: bounds the per-tile walk of the queue */
#define RS_SCENE_MEMORY     (64u << 20) /* bytes of bins deferred draws may hold before the scene flushes */

#endif
