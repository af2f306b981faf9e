/* jit_llvm_tex.h: inline texture sampling for the code generator (private
 * to jit_llvm.c and jit_llvm_tex.c, the only sources that see LLVM-C types
 * here). */
#ifndef JIT_LLVM_TEX_H
#define JIT_LLVM_TEX_H

#include <llvm-c/Core.h>

#include "jit/jit_ir.h"
#include "jit/jit_llvm.h"

/* For a TEX, TXP, TXB or TXL without shadow compare whose sampler unit is
 * in range, emit at the builder's position: one run-time test of the draw's
 * view and sampler state (jit_stage_ctx, read through ctx), then in the
 * taken branch a call of the sampling library below, which samples exactly
 * as jit_tex_sample does, and a jump to `done`. src: the instruction's src0 channels (<16 x i32>); exec:
 * the i32 lane mask. Returns 1 with the results in out[4] (<16 x i32>),
 * defined in block *fast_end, and the builder at the start of a new, empty
 * block where the caller emits the fallback (the call of jit_tex_exec).
 * Returns 0, emitting nothing, when the instruction always falls back
 * (also while the library is not built). key: NULL, or the unit's static
 * state, which the code may assume (a fused variant keyed on it): the
 * sampler specialized for it is built into fn's module and inlined there
 * instead of the call of jit_texture.sample2d or the library. */
int jit_llvm_tex_inline(LLVMBuilderRef b, LLVMValueRef fn, LLVMValueRef ctx, const struct jit_inst *inst,
                        unsigned stage, LLVMValueRef src[4], LLVMValueRef exec, LLVMBasicBlockRef done,
                        LLVMValueRef out[4], LLVMBasicBlockRef *fast_end, const struct jit_tex_key *key,
                        unsigned vector_bits);

/* The sampling code itself is compiled once per process, not per shader:
 * jit_cache.c builds this module at start-up, links it for good and hands
 * the address of JIT_TEX_SAMPLE2D_NAME to jit_llvm_tex_lib_set before any
 * shader compiles; until then (or if that failed) texture instructions
 * always fall back. The function, everything in memory (no vector ABI
 * between separately compiled code):
 *   io[0..2] = s, t (TXP already divided), LOD/bias: <16 x float> each;
 *   io[3..6] = RGBA results, swizzled;
 *   flags = enum jit_tex_mode | JIT_TEX_SAMPLE2D_DERIVS (fragment stage). */
#define JIT_TEX_SAMPLE2D_NAME "tessera_tex_sample2d"
#define JIT_TEX_SAMPLE2D_DERIVS 4u
typedef void (*jit_tex_sample2d_fn)(const void *tex, const void *smp, const void *layout, float *io, uint32_t exec,
                                    uint32_t flags);
int jit_llvm_tex_lib_build(void *module, unsigned vector_bits);
void jit_llvm_tex_lib_set(jit_tex_sample2d_fn fn);

/* A sampler variant: the same function built for one static state
 * (struct jit_tex_key, jit_abi.h), as function `name`. The key's values
 * become constants, so its selects and branches fold away; the rest
 * (storage, sizes, levels, LOD values) is read as in the library. Called
 * only for views and samplers with exactly that state (jit_texture.sample2d).
 * Returns 0, or -1 when the key is not one the inline test accepts. */
int jit_llvm_tex_variant_build(void *module, unsigned vector_bits, const struct jit_tex_key *key, const char *name);

#endif
