/* rs_draw.h: the rasterizer's public interface (src/raster). It executes
 * self-contained draw packets built by src/state: runs the vertex variant,
 * assembles, clips, culls and sets up primitives and bins them into 64x64
 * tiles (chunks of a draw in parallel), then shades tiles with the fragment
 * variant, all on a pthread pool. It knows tiles, threads and coverage, not
 * protocol. Output is bit-identical for any thread count (primitives are
 * shaded in submission order within a tile). The vertex and fragment
 * variants are called from several threads at once. */
#ifndef RS_DRAW_H
#define RS_DRAW_H

#include <stddef.h>
#include <stdint.h>
#include "jit/jit_abi.h"

/* One render target: memory belongs to the surface's resource (src/state). */
struct rs_surface {
   uint8_t *data;                /* pixel (0,0); NULL = slot unbound */
   uint32_t stride;              /* bytes per row */
   uint32_t format;              /* jit_format_id */
   uint32_t width, height;
};

struct rs_framebuffer {
   uint32_t width, height;       /* intersection of the bound surfaces' sizes */
   uint32_t nr_cbufs;
   struct rs_surface cbufs[JIT_MAX_CBUFS];
   struct rs_surface zsbuf;
};

/* Where a fragment-shader input comes from. */
enum rs_input_src {
   RS_INPUT_VS_OUTPUT = 0,       /* vertex output slot vs_slot */
   RS_INPUT_POSITION,            /* window (x, y, z, 1/w) of the fragment (gl_FragCoord) */
   RS_INPUT_FACE,                /* (+1 front / -1 back, 0, 0, 1) */
   RS_INPUT_DEFAULT,             /* not written by the VS: (0, 0, 0, 1) */
};

struct rs_fs_input {
   uint8_t src;                  /* enum rs_input_src */
   uint8_t interp;               /* enum jit_interp; the fragment variant uses the same value */
   uint16_t vs_slot;
};

struct rs_scissor {
   int32_t minx, miny, maxx, maxy;  /* pixels, max exclusive, already clamped to the framebuffer */
};

/* A draw packet. Everything it points to stays valid until rs_draw_run returns.
 * src/state has validated every count, offset and index range: vertex ids the
 * packet implies may still be out of range of a vertex buffer, which vertex
 * fetch handles (reads 0). */
struct rs_draw {
   /* primitive stream */
   uint32_t mode;                /* PIPE_PRIM_* */
   uint32_t start, count;        /* first element and element count */
   uint32_t index_size;          /* 0 = not indexed; 1, 2 or 4 */
   const void *indices;          /* index buffer data + offset; holds start+count elements (checked by state) */
   int32_t index_bias;
   uint32_t instance_count;      /* >= 1 */
   uint32_t primitive_restart, restart_index;

   /* vertex stage */
   jit_vs_func vs;
   const struct jit_vs_ctx *vs_ctx;
   uint32_t vs_num_outputs;      /* output slots written per vertex */
   uint32_t pos_slot;            /* output slot holding clip-space position */
   uint8_t vs_window;            /* vs writes jit_vs_batch.window records (the variants do); else raster does */
   int32_t psize_slot;           /* output slot holding point size, -1 = none */

   /* fragment stage */
   jit_fs_func fs;
   const struct jit_fs_ctx *fs_ctx;
   uint8_t fs_blocks;            /* fs takes whole covered 16x16 blocks (jit_fs_stamp.block) */
   uint32_t fs_num_inputs;
   struct rs_fs_input fs_inputs[JIT_MAX_INPUTS];

   /* rasterizer state (static per RASTERIZER object, dynamic viewport/scissor) */
   uint8_t cull_face;            /* PIPE_FACE_* */
   uint8_t front_ccw;            /* front face is counter-clockwise with window y pointing down (Gallium) */
   uint8_t half_pixel_center;    /* 1: pixel centers at +0.5 (GL); 0: at integers */
   uint8_t bottom_edge_rule;     /* 1: fill rule "bottom-left" instead of "top-left" */
   uint8_t flatshade_first;      /* provoking vertex: first (1) or last (0) */
   uint8_t depth_clip;           /* clip against near/far planes */
   uint8_t clip_halfz;           /* clip-space z range is [0, w] instead of [-w, w] */
   uint8_t scissor_enable;
   uint8_t rasterizer_discard;
   uint8_t point_size_per_vertex;
   uint8_t fill_front, fill_back;/* PIPE_POLYGON_MODE_*: 0 fill, 1 line, 2 point (edge flags ignored) */
   float point_size, line_width;
   uint8_t offset_tri;           /* polygon offset for filled triangles */
   float offset_units, offset_scale, offset_clamp;
   float depth_mrd;              /* minimum resolvable depth difference of the depth buffer (units' scale) */
   const uint32_t *poly_stipple; /* 32 rows of 32 bits (x = 0 in the top bit) for polygons, NULL = off */
   float viewport_scale[3], viewport_translate[3];
   struct rs_scissor scissor;
   const struct rs_framebuffer *fb;

   /* for deferral (rs_scene): what src/state knows of the pipeline's effect */
   uint8_t opaque;               /* every covered pixel of every bound color buffer is replaced, whatever was
                                  * there: no blend, logic op, partial color mask, kill, or alpha, depth or
                                  * stencil test */
   uint8_t writes_zs;            /* may write the depth/stencil buffer */
};

struct rs_pool;

/* threads = 0 means one per online core. The pool owns its threads. */
int rs_pool_create(unsigned threads, struct rs_pool **out);
void rs_pool_destroy(struct rs_pool *pool);
unsigned rs_pool_threads(const struct rs_pool *pool);

/* Execute one draw to completion. Returns 0, or -1 with a reason in err
 * (out of memory, primitive type not supported...). Nothing partial is left
 * in flight on return. */
int rs_draw_run(struct rs_pool *pool, const struct rs_draw *draw, char *err, size_t err_size);

/* Clear the framebuffer (CLEAR command): buffers = PIPE_CLEAR_* bits; color
 * values are floats, or raw ints for integer formats (bitwise). scissor may
 * be NULL (whole surface). */
int rs_clear(struct rs_pool *pool, const struct rs_framebuffer *fb, unsigned buffers,
             const float color[4], double depth, unsigned stencil,
             const struct rs_scissor *scissor);

/* Deferred rasterization of one framebuffer's draws and clears (rs_scene.c).
 * A scene belongs to one submitting thread. rs_scene_draw runs the draw's
 * front end now (it reads vertex and index data now) and queues its tiles;
 * it returns 1 when queued, 0 when the draw is not for deferring (large,
 * or nothing to draw: the caller flushes and runs it with rs_draw_run), -1
 * with a reason in err. Everything the packet points to except fb and
 * poly_stipple (copied) must stay valid until release(arg) is called, at
 * the flush that shades its tiles. A draw on another framebuffer flushes
 * what is queued first. rs_scene_clear: 1 queued, 0 not (clear now), -1
 * out of memory. rs_scene_flush shades every queued tile, in order, and
 * releases the draws; results are those of running each command at once,
 * for any thread count. Flush before anything else reads or writes a
 * queued framebuffer or a resource a queued draw reads. */
struct rs_scene;
int rs_scene_create(struct rs_scene **out);
void rs_scene_destroy(struct rs_scene *s);      /* drops what is queued (releases it unshaded) */
unsigned rs_scene_pending(const struct rs_scene *s);
int rs_scene_draw(struct rs_pool *pool, struct rs_scene *s, const struct rs_draw *d, void (*release)(void *arg),
                  void *arg, char *err, size_t err_size);
int rs_scene_clear(struct rs_pool *pool, struct rs_scene *s, const struct rs_framebuffer *fb, unsigned buffers,
                   const float color[4], double depth, unsigned stencil);
void rs_scene_flush(struct rs_pool *pool, struct rs_scene *s);

#endif
