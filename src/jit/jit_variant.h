/* jit_variant.h: vertex and fragment variants: (shader, static state key) ->
 * function. This variants are the plain-C reference functions
 * (jit_vs_ref.c, jit_fs_ref.c); the LLVM JIT will add compiled functions for
 * the same keys and be tested against these. Keys hold static state only and
 * are zeroed before filling (memcmp-able); dynamic values travel in
 * jit_fs_ctx / jit_vs_ctx (jit_abi.h) and the comment beside each key says
 * why a value is not in it. */
#ifndef JIT_VARIANT_H
#define JIT_VARIANT_H

#include <stdint.h>
#include "jit/jit_abi.h"
#include "jit/jit_ir.h"

/* Blend state of one render target (virgl BLEND object). */
struct jit_blend_rt_key {
   uint8_t blend_enable;
   uint8_t rgb_func, rgb_src_factor, rgb_dst_factor;       /* PIPE_BLEND_*, PIPE_BLENDFACTOR_* */
   uint8_t alpha_func, alpha_src_factor, alpha_dst_factor;
   uint8_t colormask;                                      /* PIPE_MASK_RGBA bits */
};

struct jit_blend_key {
   uint8_t logicop_enable, logicop_func;  /* PIPE_LOGICOP_* (0..15) */
   uint8_t alpha_to_coverage, alpha_to_one;
   uint8_t dither;                        /* accepted and ignored: Tessera never dithers (as llvmpipe) */
   struct jit_blend_rt_key rt[JIT_MAX_CBUFS]; /* already expanded: rt[i] = rt[0] unless independent blend */
   /* blend color: dynamic, in jit_fs_ctx */
};

struct jit_stencil_key {
   uint8_t enabled;
   uint8_t func;                          /* PIPE_FUNC_* */
   uint8_t fail_op, zpass_op, zfail_op;   /* PIPE_STENCIL_OP_* */
   uint8_t valuemask, writemask;
   /* reference value: dynamic (SET_STENCIL_REF), in jit_fs_ctx */
};

/* Static fragment state: everything the fused code (jit_fs_fused.c) is
 * specialised on. Not in it, read from jit_fs_ctx per draw instead: the
 * stencil references (SET_STENCIL_REF changes them between draws of one
 * state, often per draw in stencil-shadow and outline passes), the blend
 * color (SET_BLEND_COLOR, same), the alpha-test reference (a float the
 * client animates; a key per value would compile per frame), the depth
 * range of the viewport (SET_VIEWPORT_STATE per draw for split screens and
 * depth hacks), the framebuffer pointers, strides and size (resized or
 * re-bound surfaces reuse the code), constants and textures (the shader's
 * data, not its code). Keeping them out keeps a scene at a handful of
 * compiles. */
struct jit_fs_variant_key {
   uint32_t nr_cbufs;
   uint32_t cbuf_format[JIT_MAX_CBUFS];   /* jit_format_id, 0 = slot unbound */
   uint32_t zs_format;                    /* 0 = no depth/stencil buffer */
   uint8_t depth_enabled, depth_writemask, depth_func;
   uint8_t alpha_enabled, alpha_func;     /* alpha test; reference is dynamic */
   uint8_t depth_clamp;                   /* clamp fragment z to [depth_min, depth_max] (rasterizer !depth_clip) */
   struct jit_stencil_key stencil[2];     /* front, back */
   struct jit_blend_key blend;
   uint8_t interp[JIT_MAX_INPUTS];        /* enum jit_interp per FS input, flatshade already applied */
   struct jit_tex_key tex[JIT_FS_TEX_KEYS]; /* the static sampling state of the units the shader declares
                                           * (jit_tex_key_make), zero where the inline sampler does not take it:
                                           * the fused code samples them with that state's sampler inlined */
};

/* A fragment variant. Lives in src/state's variant cache; the shader it
 * points to is kept alive by the same owner. */
struct jit_fs_variant {
   struct jit_fs_variant_key key;
   const struct jit_shader *shader;
   jit_fs_func func;                      /* jit_fs_ref_run; a draw runs the fused code instead when ready */
   struct jit_code *fused;                /* code cache entry of the fused variant (jit_fs_fused.h), or NULL:
                                           * unsupported key or JIT off; one reference, dropped with the variant */
   char name[48];                         /* readable name for perf: "fs_ref_<id>" */
};

/* Static vertex state: what the fused code (jit_vs_fused.c) is specialised
 * on. Not in it, read from jit_vs_ctx per draw instead: the vertex buffer
 * pointers, sizes and strides (re-bound and streamed buffers, often per
 * draw), start_instance (a draw parameter), the viewport (SET_VIEWPORT_STATE
 * per draw; src/raster applies it). Elements past num_elements stay zero. */
struct jit_vs_variant_key {
   uint32_t num_elements;
   struct jit_vertex_element elements[JIT_MAX_VERTEX_ELEMENTS];
};

/* A vertex variant. Lives in src/state's variant cache like jit_fs_variant. */
struct jit_vs_variant {
   struct jit_vs_variant_key key;
   const struct jit_shader *shader;
   jit_vs_func func;                      /* jit_vs_ref_run; a draw runs the fused code instead when ready */
   struct jit_code *fused;                /* code cache entry of the fused variant (jit_vs_fused.h), or NULL:
                                           * unsupported key or JIT off; one reference, dropped with the variant */
   char name[48];
};

/* Reference functions (plain C): the interpreter plus scalar fetch, depth,
 * stencil, blend and store. They read ctx->variant as jit_vs_variant /
 * jit_fs_variant. */
void jit_vs_ref_run(const struct jit_vs_ctx *ctx, const struct jit_vs_batch *batch);
void jit_fs_ref_run(const struct jit_fs_ctx *ctx, const struct jit_fs_stamp *stamp);

/* Scalar pieces, exposed so tests and the JIT's differential tests use them. */
int jit_compare(unsigned func, float a, float b);           /* PIPE_FUNC_* on floats */
int jit_compare_u(unsigned func, uint32_t a, uint32_t b);   /* on integers (depth bits, stencil) */
uint8_t jit_stencil_op(unsigned op, uint8_t s, uint8_t ref);
/* Blend one pixel: src/src1 = shader outputs, dst = unpacked destination,
 * const_color = blend color; writes the blended color to out (before masking
 * and packing). Float math in the order Gallium documents. */
void jit_blend_rgba(const struct jit_blend_rt_key *rt, const float src[4], const float src1[4],
                    const float dst[4], const float const_color[4], float out[4]);

#endif
