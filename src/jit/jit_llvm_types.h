/* jit_llvm_types.h: the LLVM types every code generator of src/jit uses
 * (jit_llvm.c, jit_fs_fused.c, jit_vs_fused.c, jit_llvm_tex.c), made once
 * per module from its context, and the attribute they all set. Vectors are
 * JIT_LANES wide. Only files that link LLVM include it. */
#ifndef JIT_LLVM_TYPES_H
#define JIT_LLVM_TYPES_H

#include <llvm-c/Core.h>

struct jit_llvm_types {
   LLVMTypeRef t_i1, t_i8, t_i16, t_i32, t_i64, t_f32, t_f64, t_ptr, t_void;
   LLVMTypeRef vi, vf, vb, vi16, vi64, vf64, vptr; /* <16 x i32>, <16 x float>, <16 x i1>, ... */
};

void jit_llvm_types_init(struct jit_llvm_types *ty, LLVMContextRef c);

/* Ask codegen for vector_bits-wide vectors in fn (0: leave the target's
 * choice). Every generated function carries it: the vector-width trap in
 * ../shared/notes/toolchain.md. */
void jit_llvm_vector_width(LLVMContextRef c, LLVMValueRef fn, unsigned vector_bits);

/* A phi at b's position: a when control came from from_a, else v from from_b. */
LLVMValueRef jit_llvm_phi2(LLVMBuilderRef b, LLVMValueRef a, LLVMBasicBlockRef from_a, LLVMValueRef v,
                           LLVMBasicBlockRef from_b);

#endif
