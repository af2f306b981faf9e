/* jit_tex.h: plain-C reference texture sampler over 16 lanes (the scalar twin
 * of the JIT's sampling code). Called by the interpreter for TEX/TXP/TXB/TXL/
 * TXF/TXQ. Every texel address is bounds-checked against jit_texture.size. */
#ifndef JIT_TEX_H
#define JIT_TEX_H

#include <stdint.h>
#include "jit/jit_abi.h"

enum jit_tex_mode {
   JIT_TEX_IMPLICIT_LOD,   /* TEX/TXP: LOD from 2x2-quad derivatives of the coordinates (fragment); vertex: level first */
   JIT_TEX_BIAS,           /* TXB: implicit LOD + per-lane bias */
   JIT_TEX_EXPLICIT_LOD,   /* TXL: per-lane LOD */
};

/* Sample tex with sampler s at coord[0..3][lane] (s, t, r/layer, shadow ref)
 * for the lanes in mask; write RGBA into out[4][lane] (view swizzle applied).
 * lod[lane] is the bias or the explicit LOD as mode says (ignored for
 * IMPLICIT_LOD). target: the instruction's PIPE_TEXTURE_*. implicit_lod_ok: 0
 * in the vertex stage (no derivatives: use the base level). */
void jit_tex_sample(const struct jit_texture *tex, const struct jit_sampler *s,
                    unsigned target, unsigned mode, int implicit_lod_ok, unsigned shadow,
                    const float coord[4][JIT_LANES], const float lod[JIT_LANES],
                    uint32_t mask, float out[4][JIT_LANES]);

/* Set tex->levels_inside from the other fields (call after filling them,
 * before sampling): 1 when every level of the view's range, layer 0, with
 * its level_offset, row_stride and texel size, ends at or before size.
 * Results never depend on it; it lets compiled code skip bounds tests. */
void jit_texture_check_levels(struct jit_texture *tex);

/* TXF: fetch texel at integer coords icoord[0..2][lane] of level lvl[lane];
 * out-of-range fetches return 0. Results are raw bits for integer formats. */
void jit_tex_fetch(const struct jit_texture *tex, const int32_t icoord[3][JIT_LANES],
                   const int32_t lvl[JIT_LANES], uint32_t mask, float out[4][JIT_LANES]);

/* TXQ: size of level lvl: out = (w, h, d or layers, number of levels). */
void jit_tex_query(const struct jit_texture *tex, int32_t lvl, int32_t out[4]);

/* Run one texture instruction (TEX..TXL2) of a shader over the lanes in exec:
 * s = its fetched sources [src][channel][lane] (the sampler operand is not
 * read from s), r = the result [channel][lane]. stage: PIPE_SHADER_*. The
 * interpreter and JIT code both call this, so they sample identically. */
struct jit_inst;
void jit_tex_exec(const struct jit_stage_ctx *ctx, const struct jit_inst *inst, unsigned stage, uint32_t exec,
                  const float s[4][4][JIT_LANES], float r[4][JIT_LANES]);

#endif
