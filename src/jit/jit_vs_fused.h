/* jit_vs_fused.h: the fused vertex variant: one LLVM function per (vertex
 * shader, jit_vs_variant_key) with the jit_vs_func contract that fetches
 * and converts the vertex elements, runs the shader body and stores the AoS
 * outputs for a whole batch, 16 vertices per step, in vector code (DESIGN:
 * fused variants). Its scalar twin is jit_vs_ref_run; results are the same
 * bits. Built by jit_vs_fused.c, compiled and cached by jit_cache.c
 * (jit_code_get_vs_variant in jit_llvm.h). */
#ifndef JIT_VS_FUSED_H
#define JIT_VS_FUSED_H

#include <stddef.h>
#include "jit/jit_variant.h"

/* Why (key, sh) stays on jit_vs_ref_run, or NULL if the fused variant
 * supports it: element formats (jit_format_array_get's array formats are
 * fused; packed and depth formats are not), shader limits. Cheap; called
 * per new variant by src/state. */
const char *jit_vs_fused_unsupported(const struct jit_vs_variant_key *key, const struct jit_shader *sh);

/* Build function `name` (the fused variant of sh under key) into module (an
 * LLVMModuleRef), with the shader body emitted by jit_llvm_build into the
 * same module as an internal always-inline function. sh must outlive the
 * code. Returns 0, or -1 with a message in err. Run the pass list with
 * "always-inline" first. */
int jit_vs_fused_build(const struct jit_shader *sh, const struct jit_vs_variant_key *key, void *module,
                       const char *name, unsigned vector_bits, char *err, size_t err_size);

#endif
