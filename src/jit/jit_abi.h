/* jit_abi.h: the one C <-> generated-code ABI of Tessera. Every struct a
 * vertex or fragment variant reads or writes is here, whether the variant is
 * the plain-C reference (jit_vs_ref.c, jit_fs_ref.c) or LLVM code. src/raster
 * includes this header and nothing else of src/jit except jit_format.h /
 * jit_pipe.h; src/state fills these structs per draw.
 *
 * Lane order of a 4x4 stamp (llvmpipe's quad order, so derivatives are taken
 * within 2x2 quads): lane = quad * 4 + sub, quad 0..3 = top-left, top-right,
 * bottom-left, bottom-right 2x2 block; sub 0..3 = (0,0) (1,0) (0,1) (1,1).
 * jit_lane_x()/jit_lane_y() give the pixel offset of a lane in the stamp. */
#ifndef JIT_ABI_H
#define JIT_ABI_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "jit/jit_limits.h"
#include "jit/jit_pipe.h"
#include "jit/jit_format.h"

static inline unsigned jit_lane_x(unsigned lane) { return ((lane >> 2) & 1) * 2 + (lane & 1); }
static inline unsigned jit_lane_y(unsigned lane) { return ((lane >> 3) & 1) * 2 + ((lane >> 1) & 1); }

/* ---- shader resources, shared by all stages ---------------------------- */

/* A texture as the sampler sees it: one sampler view over one resource.
 * Memory belongs to the resource (src/state), which outlives the draw. */
struct jit_texture {
   const uint8_t *data;          /* base of the resource storage; NULL = unbound view (samples 0,0,0,1... see jit_tex.c) */
   size_t size;                  /* bytes valid at data: every fetch is bounds-checked against it */
   uint32_t format;              /* jit_format_id of the view */
   uint32_t target;              /* PIPE_TEXTURE_* */
   uint32_t width, height, depth;/* level-0 size of the resource, in texels */
   uint32_t first_level, last_level; /* view's mip range (absolute level numbers) */
   uint32_t first_layer, last_layer; /* view's array range */
   uint32_t level_offset[JIT_MAX_LEVELS]; /* byte offset of each level */
   uint32_t row_stride[JIT_MAX_LEVELS];   /* bytes per row of each level */
   uint32_t img_stride[JIT_MAX_LEVELS];   /* bytes per layer/slice of each level */
   uint8_t swizzle[4];           /* view swizzle: 0..3 = R,G,B,A; 4 = zero; 5 = one */
   uint32_t levels_inside;       /* set by jit_texture_check_levels (jit_tex.h), never from a client: 1 when
                                  * layer 0 of every level in [first_level, last_level] lies inside size, so
                                  * compiled 2D sampling skips the per-texel bounds test; 0 = test each texel */
   void (*sample2d)(void);       /* set by jit_texture_pick_variant (jit_llvm.h), never from a client: the
                                  * compiled sampler specialized for this view and its sampler; NULL = the
                                  * generic one */
};

/* Sampler state, as virgl's SAMPLER_STATE object carries it. */
struct jit_sampler {
   uint8_t wrap_s, wrap_t, wrap_r;  /* PIPE_TEX_WRAP_* */
   uint8_t min_img_filter;          /* PIPE_TEX_FILTER_* */
   uint8_t mag_img_filter;
   uint8_t min_mip_filter;          /* PIPE_TEX_MIPFILTER_* */
   uint8_t compare_mode;            /* 0 none, 1 R to texture (shadow) */
   uint8_t compare_func;            /* PIPE_FUNC_* */
   uint8_t normalized_coords;       /* 1 for everything but RECT */
   uint8_t seamless_cube_map;
   float lod_bias, min_lod, max_lod;
   float border_color[4];
};

/* Sampler variants: the compiled 2D sampler (jit_llvm_tex.c) specialized
 * for the static state of one view and sampler. Every field is a value the
 * inline test accepts (a 4-byte 8-bit UNORM/sRGB format, 2D or RECT, one of
 * the eight wraps); sizes, storage, levels, LOD values and the border
 * color stay run-time values (they change with every resource, texture
 * upload or glTexParameter, and cost one load each). Zero-filled, compared with memcmp; all zero = no key
 * (target 0 is not one the sampler takes). Fused fragment variants carry
 * one per sampler unit below JIT_FS_TEX_KEYS (jit_fs_variant_key.tex). */
#define JIT_FS_TEX_KEYS 4               /* sampler units whose state a fused fragment variant is keyed on */

struct jit_tex_key {
   uint16_t format;                /* jit_format_id of the view */
   uint8_t target;                 /* PIPE_TEXTURE_2D or _RECT */
   uint8_t swizzle[4];
   uint8_t wrap_s, wrap_t;
   uint8_t min_img_filter, mag_img_filter, min_mip_filter;
   uint8_t normalized_coords;
   uint8_t one_level;              /* first_level == last_level */
};

/* What every shader stage reads besides its inputs: per-draw, dynamic values. */
struct jit_stage_ctx {
   const float *constants[JIT_MAX_CONST_BUFS]; /* vec4 arrays; NULL = unbound */
   uint32_t num_constants[JIT_MAX_CONST_BUFS]; /* vec4 count; reads past it return 0 */
   struct jit_texture textures[JIT_MAX_SAMPLERS];
   struct jit_sampler samplers[JIT_MAX_SAMPLERS];
   uint32_t num_textures, num_samplers;
};

/* A compiled shader body (jit_llvm.h): the contract of jit_interp_run over
 * the registers of jit_ir.h. Variants call it when the JIT has produced it
 * and the interpreter otherwise; both give the same bits. */
struct jit_exec_io;
struct jit_late;
typedef uint32_t (*jit_shader_func)(const struct jit_stage_ctx *ctx, struct jit_exec_io *io, uint32_t mask);

/* ---- vertex stage -------------------------------------------------------- */

/* One vertex buffer binding; memory belongs to the resource. */
struct jit_vertex_buffer {
   const uint8_t *data;          /* resource storage + binding offset; NULL = unbound */
   size_t size;                  /* bytes valid from data; fetches past it read 0 */
   uint32_t stride;              /* bytes between vertices */
};

/* One vertex element (attribute fetch). */
struct jit_vertex_element {
   uint32_t src_offset;          /* byte offset inside a vertex */
   uint32_t instance_divisor;    /* 0 = per vertex */
   uint32_t vertex_buffer_index; /* < JIT_MAX_VERTEX_BUFFERS */
   uint32_t src_format;          /* jit_format_id with desc->vertex set */
};

/* Per-draw context of a vertex variant. */
struct jit_vs_ctx {
   const void *variant;          /* the variant (struct jit_vs_variant for the reference) */
   struct jit_stage_ctx stage;
   jit_shader_func native;       /* compiled vertex shader, or NULL: the interpreter runs it */
   struct jit_vertex_buffer vb[JIT_MAX_VERTEX_BUFFERS];
   uint32_t start_instance;      /* base for instanced fetch: element index = start_instance + instance / divisor */
   struct jit_late *late;        /* native is NULL but compiling: switch when ready (jit_llvm.h), or NULL */
   struct jit_late *late_fused;  /* the fused variant compiling while jit_vs_ref_run runs the draw, or NULL */
};

/* What src/raster's triangle setup needs of each vertex besides its
 * outputs, computed once per vertex by the vertex variant rather than per
 * triangle corner: the clip planes the position is outside of and its
 * window position. Per draw, filled by src/raster (jit_vs_batch.window). */
struct jit_vs_window {
   float scale[3], translate[3]; /* viewport */
   float guard_x, guard_y;       /* guard band in clip units per w */
   uint32_t clip_halfz;          /* near plane z >= 0 rather than z >= -w */
   uint32_t pos_slot;            /* output slot of the clip-space position */
   uint32_t offset;              /* floats from a vertex's start to its record (after the outputs) */
};
#define JIT_VS_WINDOW_FLOATS 5   /* record: window x, y, z, 1/w, clip mask (uint32 bits) */
#define JIT_CLIP_PLANES 7        /* w > 0, near, far, guard band -x, +x, -y, +y */

/* Signed distance of position c to clip plane p (inside >= 0). The one C
 * definition: src/raster clips with it, jit_vs_fused.c emits the same
 * operations in the same order. */
static inline float jit_clip_plane_dist(const struct jit_vs_window *w, unsigned p, const float c[4])
{
   uint32_t abs_w; /* fabsf(c[3]) without <math.h> here (its fadd/fmul clash with code generators' helpers) */
   float aw;
   memcpy(&abs_w, &c[3], 4);
   abs_w &= 0x7fffffffu;
   memcpy(&aw, &abs_w, 4);
   switch (p) {
   case 0: return c[3] - 1e-6f * aw - 1e-30f;                  /* w > 0 */
   case 1: return c[2] + (w->clip_halfz ? 0.0f : c[3]);        /* near */
   case 2: return c[3] - c[2];                                 /* far */
   case 3: return w->guard_x * c[3] + c[0];
   case 4: return w->guard_x * c[3] - c[0];
   case 5: return w->guard_y * c[3] + c[1];
   default: return w->guard_y * c[3] - c[1];
   }
}

/* The record of position c: window x, y, z = c * (1 / w) * scale +
 * translate, 1 / w, and bit p set for each plane with !(dist >= 0). */
static inline void jit_vs_window_vertex(const struct jit_vs_window *w, const float c[4],
                                        float rec[JIT_VS_WINDOW_FLOATS])
{
   float iw = 1.0f / c[3];
   uint32_t m = 0;
   for (int i = 0; i < 3; i++)
      rec[i] = c[i] * iw * w->scale[i] + w->translate[i];
   rec[3] = iw;
   for (unsigned p = 0; p < JIT_CLIP_PLANES; p++)
      if (!(jit_clip_plane_dist(w, p, c) >= 0.0f))
         m |= 1u << p;
   memcpy(&rec[4], &m, 4);
}

/* One batch of vertices to run. The output is AoS: vertex v's output slot s
 * component c is out[v * out_stride + s * 4 + c], in the vertex shader's
 * output declaration order (slot numbers = TGSI OUT indices). */
struct jit_vs_batch {
   const uint32_t *vertex_ids;   /* vertex index per vertex (index value + index bias) */
   uint32_t count;
   uint32_t instance_id;         /* 0-based instance (without start_instance) */
   float *out;
   uint32_t out_stride;          /* floats per vertex, >= 4 * num_outputs */
   const struct jit_vs_window *window; /* or NULL: also write each vertex's record at out + v * out_stride +
                                        * window->offset, when pos_slot < outputs, offset >= 4 * outputs and
                                        * offset + JIT_VS_WINDOW_FLOATS <= out_stride (else no records) */
};

typedef void (*jit_vs_func)(const struct jit_vs_ctx *ctx, const struct jit_vs_batch *batch);

/* ---- fragment stage ------------------------------------------------------ */

/* How a fragment input is interpolated. Planes come from src/raster already
 * in the form "value at pixel (px, py) = a0 + dadx * px + dady * py" with the
 * pixel-center offset folded into a0. For PERSPECTIVE the plane is of
 * value/w and the fragment stage multiplies by 1 / (w-plane). */
enum jit_interp {
   JIT_INTERP_CONSTANT = 0,      /* flat: dadx = dady = 0, provoking vertex value */
   JIT_INTERP_LINEAR = 1,        /* screen-space linear (noperspective) */
   JIT_INTERP_PERSPECTIVE = 2,
};

/* Per-primitive setup, written by src/raster, read by fragment variants. */
struct jit_fs_planes {
   float w0, dwdx, dwdy;         /* plane of 1/w_clip (perspective correction) */
   float z0, dzdx, dzdy;         /* plane of window z in [0,1] (before clamping) */
   uint32_t front_facing;        /* 1 front, 0 back */
   uint32_t num_inputs;          /* number of entries in the arrays below */
   float (*a0)[4];               /* [num_inputs][4] */
   float (*dadx)[4];
   float (*dady)[4];
};

/* Where the fragment stage writes: the bound framebuffer. Memory belongs to
 * the surfaces' resources. Pixel (x, y) of cbuf i is at
 * cbuf[i] + y * cbuf_stride[i] + x * bytes-per-pixel. */
struct jit_fs_targets {
   uint8_t *cbuf[JIT_MAX_CBUFS]; /* NULL = no target bound in that slot */
   uint32_t cbuf_stride[JIT_MAX_CBUFS];
   uint8_t *zsbuf;               /* NULL = no depth/stencil buffer */
   uint32_t zsbuf_stride;
   uint32_t width, height;       /* framebuffer size; stamps never leave it */
};

/* Per-draw context of a fragment variant: dynamic state only, so that changing
 * any of it never needs a new variant (DESIGN: variant key). */
struct jit_fs_ctx {
   const void *variant;          /* the variant (struct jit_fs_variant for the reference) */
   struct jit_stage_ctx stage;
   jit_shader_func native;       /* compiled fragment shader, or NULL: the interpreter runs it */
   struct jit_fs_targets targets;
   uint32_t stencil_ref[2];      /* front, back */
   float blend_color[4];
   float alpha_ref;              /* alpha test reference (DSA state carries it; dynamic by choice) */
   float depth_min, depth_max;   /* viewport depth range clamp for the z plane */
   struct jit_late *late;        /* native is NULL but compiling: switch when ready (jit_llvm.h), or NULL */
   struct jit_late *late_fused;  /* the fused variant compiling while jit_fs_ref_run runs the draw, or NULL */
};

/* One 4x4 stamp to shade. (x, y) is the top-left pixel, a multiple of 4.
 * mask bit i = lane i is covered (and inside the scissor and framebuffer). */
struct jit_fs_stamp {
   int32_t x, y;
   uint32_t mask;
   const struct jit_fs_planes *planes;
   uint32_t block;               /* 0: the 4x4 stamp at (x, y), lanes in mask; 1: the 16x16 block at (x, y),
                                  * every pixel covered (mask ignored), as its 16 stamps in row order (only
                                  * where rs_draw.fs_blocks says the function takes blocks) */
#define JIT_FS_BLOCK_SIZE 16      /* pixels per side of a jit_fs_stamp.block */
};

typedef void (*jit_fs_func)(const struct jit_fs_ctx *ctx, const struct jit_fs_stamp *stamp);

#endif
