/* jit_llvm_tex.h: inline texture sampling for the code generator (private
 * to jit_llvm.c and jit_llvm_tex.c, the only sources that see LLVM-C types
 * here). */
#ifndef JIT_LLVM_TEX_H
#define JIT_LLVM_TEX_H

#include <llvm-c/Core.h>

#include "jit/jit_ir.h"

/* For a TEX, TXP, TXB or TXL without shadow compare whose sampler unit is
 * in range, emit at the builder's position: one run-time test of the draw's
 * view and sampler state (jit_stage_ctx, read through ctx), then in the
 * taken branch vector code that samples exactly as jit_tex_sample does and
 * jumps to `done`. src: the instruction's src0 channels (<16 x i32>); exec:
 * the i32 lane mask. Returns 1 with the results in out[4] (<16 x i32>),
 * defined in block *fast_end, and the builder at the start of a new, empty
 * block where the caller emits the fallback (the call of jit_tex_exec).
 * Returns 0, emitting nothing, when the instruction always falls back. */
int jit_llvm_tex_inline(LLVMBuilderRef b, LLVMValueRef fn, LLVMValueRef ctx, const struct jit_inst *inst,
                        unsigned stage, LLVMValueRef src[4], LLVMValueRef exec, LLVMBasicBlockRef done,
                        LLVMValueRef out[4], LLVMBasicBlockRef *fast_end);

#endif
