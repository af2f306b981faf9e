/* jit_fs_fused.h: the fused fragment variant: one LLVM function per
 * (fragment shader, jit_fs_variant_key) with the jit_fs_func contract that
 * does interpolation, the shader body, alpha test, depth/stencil, blending
 * and the 8-bit color stores for a 4x4 stamp in vector code (DESIGN: fused
 * variants). Its scalar twin is jit_fs_ref_run; results are the same bits.
 * Built by jit_fs_fused.c, compiled and cached by jit_cache.c
 * (jit_code_get_fs_variant in jit_llvm.h). */
#ifndef JIT_FS_FUSED_H
#define JIT_FS_FUSED_H

#include <stddef.h>
#include "jit/jit_variant.h"

/* Why (key, sh) stays on jit_fs_ref_run, or NULL if the fused variant
 * supports it: formats, logic ops, shader limits. Cheap; called per new
 * variant by src/state. */
const char *jit_fs_fused_unsupported(const struct jit_fs_variant_key *key, const struct jit_shader *sh);

/* Whether sh's fused variants inline the samplers of units below
 * JIT_FS_TEX_KEYS (it has at most JIT_TEX_INLINE_MAX texture instructions
 * the inline sampler takes). */
int jit_fs_fused_inlines_samplers(const struct jit_shader *sh);

/* Build function `name` (the fused variant of sh under key) into module (an
 * LLVMModuleRef), with the shader body emitted by jit_llvm_build into the
 * same module as an internal always-inline function. sh must outlive the
 * code (texture instructions point into it). inline_samplers: build the
 * samplers of key->tex into the code (up to JIT_TEX_INLINE_MAX texture
 * instructions) rather than calling them (faster code, ~30-40 ms more to
 * compile: jit_cache.c leaves them out of the FastISel code it makes for a
 * backlog, and puts them in its recompile when idle). Returns 0, or -1
 * with a message in err. Run the pass list with "always-inline" first. */
int jit_fs_fused_build(const struct jit_shader *sh, const struct jit_fs_variant_key *key, int inline_samplers,
                       void *module,
                       const char *name, unsigned vector_bits, char *err, size_t err_size);

#endif
