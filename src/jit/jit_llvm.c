/* jit_llvm.c: shader IR -> LLVM IR, the code generator of the JIT. One
 * function per shader body with the contract of jit_interp_run: SoA, one
 * <16 x i32> value per register channel (a 4x4 stamp or 16 vertices), the
 * execution mask as an i32 kept in the same shape as the interpreter's
 * (IF/ELSE skip a side no lane takes; loops are real loops bounded by
 * JIT_MAX_LOOP_ITERS). The machine vector width comes from the host CPU at
 * run time (jit_cache.c): on AVX-512 a value is one zmm register, on AVX2
 * two ymm, on SSE four xmm.
 *
 * Every operation reproduces the interpreter's bits: no fast-math flags, no
 * contraction (MAD is a multiply then an add), transcendental functions are
 * LLVM intrinsics that lower to the same libm calls, texture instructions
 * sample inline in the common case (jit_llvm_tex.c) and call jit_tex_exec
 * otherwise, and the defined results of jit_interp.c (F2I
 * saturation, division by zero, out-of-range registers) are built in. */
#include <llvm-c/Core.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jit/jit_llvm.h"
#include "jit/jit_llvm_types.h"
#include "jit/jit_llvm_tex.h"
#include "jit/jit_math.h"
#include "jit/jit_tex.h"

#define LANES JIT_LANES
#define JIT_LLVM_MAX_TEMPS 512   /* temps live in the stack frame: 512 x 4 x 64 B = 128 KiB at most */
#define JIT_LLVM_MAX_INSTS 4096  /* longer shaders stay on the interpreter: codegen time grows faster than
                                  * linearly (16,000 instructions took minutes), and the compile thread
                                  * must stay available to other shaders */

struct cg_cond {
   LLVMValueRef saved, cond;     /* allocas: exec before IF, lanes that took IF */
};

struct cg_loop {
   LLVMValueRef saved, brk, cont, iters; /* allocas */
   LLVMBasicBlockRef body, after;
};

struct cg {
   const struct jit_shader *sh;
   LLVMContextRef c;
   LLVMModuleRef m;
   LLVMBuilderRef b;
   LLVMValueRef fn;
   struct jit_llvm_types ty;
   LLVMValueRef arg_ctx, arg_io;
   LLVMValueRef exec, alive;             /* i32 allocas */
   LLVMValueRef temps, addrs;            /* [n x <16 x i32>] allocas, index (reg * 4 + chan) */
   LLVMValueRef tex_src, tex_dst;        /* [16 x <16 x float>], [4 x <16 x float>] */
   LLVMValueRef imms;                    /* global [n x i32] */
   LLVMValueRef zero_word;               /* global i32 0: loads of absent constants */
   LLVMValueRef cbuf[JIT_MAX_CONST_BUFS], cnum[JIT_MAX_CONST_BUFS]; /* loaded at entry when used */
   struct cg_cond *conds;
   struct cg_loop *loops;
   unsigned nconds, nloops;
   LLVMBasicBlockRef *block_at;          /* block that starts at pc, or NULL */
   LLVMBasicBlockRef exit;
   int failed;
   char *err;
   size_t err_size;
   const struct jit_tex_key *tex_keys;   /* NULL, or JIT_FS_TEX_KEYS keys (jit_llvm_build_inlined) */
   unsigned vector_bits;
};

void jit_llvm_types_init(struct jit_llvm_types *ty, LLVMContextRef c)
{
   ty->t_i1 = LLVMInt1TypeInContext(c);
   ty->t_i8 = LLVMInt8TypeInContext(c);
   ty->t_i16 = LLVMInt16TypeInContext(c);
   ty->t_i32 = LLVMInt32TypeInContext(c);
   ty->t_i64 = LLVMInt64TypeInContext(c);
   ty->t_f32 = LLVMFloatTypeInContext(c);
   ty->t_f64 = LLVMDoubleTypeInContext(c);
   ty->t_ptr = LLVMPointerTypeInContext(c, 0);
   ty->t_void = LLVMVoidTypeInContext(c);
   ty->vi = LLVMVectorType(ty->t_i32, LANES);
   ty->vf = LLVMVectorType(ty->t_f32, LANES);
   ty->vb = LLVMVectorType(ty->t_i1, LANES);
   ty->vi16 = LLVMVectorType(ty->t_i16, LANES);
   ty->vi64 = LLVMVectorType(ty->t_i64, LANES);
   ty->vf64 = LLVMVectorType(ty->t_f64, LANES);
   ty->vptr = LLVMVectorType(ty->t_ptr, LANES);
}

void jit_llvm_vector_width(LLVMContextRef c, LLVMValueRef fn, unsigned vector_bits)
{
   if (!vector_bits)
      return;
   char bits[16];
   snprintf(bits, sizeof(bits), "%u", vector_bits);
   LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
                           LLVMCreateStringAttribute(c, "prefer-vector-width", 19, bits, (unsigned)strlen(bits)));
}

LLVMValueRef jit_llvm_phi2(LLVMBuilderRef b, LLVMValueRef a, LLVMBasicBlockRef from_a, LLVMValueRef v,
                           LLVMBasicBlockRef from_b)
{
   LLVMValueRef p = LLVMBuildPhi(b, LLVMTypeOf(a), "");
   LLVMValueRef vals[2] = { a, v };
   LLVMBasicBlockRef from[2] = { from_a, from_b };
   LLVMAddIncoming(p, vals, from, 2);
   return p;
}

/* ---- small helpers --------------------------------------------------------------------------- */

static LLVMValueRef ci32(struct cg *g, uint32_t v) { return LLVMConstInt(g->ty.t_i32, v, 0); }
static LLVMValueRef ci64(struct cg *g, uint64_t v) { return LLVMConstInt(g->ty.t_i64, v, 0); }

static LLVMValueRef splat_i(struct cg *g, uint32_t v)
{
   LLVMValueRef e[LANES];
   for (int l = 0; l < LANES; l++)
      e[l] = ci32(g, v);
   return LLVMConstVector(e, LANES);
}

static LLVMValueRef splat_f(struct cg *g, float f)
{
   uint32_t u;
   memcpy(&u, &f, 4);
   return LLVMBuildBitCast(g->b, splat_i(g, u), g->ty.vf, "");
}

static LLVMValueRef splat_v(struct cg *g, LLVMValueRef scalar)
{
   LLVMValueRef v = LLVMBuildInsertElement(g->b, LLVMGetUndef(LLVMVectorType(LLVMTypeOf(scalar), LANES)), scalar,
                                           ci32(g, 0), "");
   LLVMValueRef zeros = LLVMConstNull(LLVMVectorType(g->ty.t_i32, LANES));
   return LLVMBuildShuffleVector(g->b, v, LLVMGetUndef(LLVMTypeOf(v)), zeros, "");
}

static LLVMValueRef as_f(struct cg *g, LLVMValueRef v) { return LLVMBuildBitCast(g->b, v, g->ty.vf, ""); }
static LLVMValueRef as_i(struct cg *g, LLVMValueRef v) { return LLVMBuildBitCast(g->b, v, g->ty.vi, ""); }

static LLVMValueRef byte_gep(struct cg *g, LLVMValueRef base, uint64_t off)
{
   LLVMValueRef idx = ci64(g, off);
   return LLVMBuildGEP2(g->b, g->ty.t_i8, base, &idx, 1, "");
}

static LLVMValueRef elem_gep(struct cg *g, LLVMTypeRef t, LLVMValueRef base, LLVMValueRef idx)
{
   return LLVMBuildGEP2(g->b, t, base, &idx, 1, "");
}

/* Call an overloaded intrinsic: name, the overload types, the arguments. */
static LLVMValueRef intrin(struct cg *g, const char *name, LLVMTypeRef *over, unsigned nover, LLVMValueRef *args,
                           unsigned nargs)
{
   unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
   LLVMValueRef f = LLVMGetIntrinsicDeclaration(g->m, id, over, nover);
   LLVMTypeRef ft = LLVMIntrinsicGetType(g->c, id, over, nover);
   return LLVMBuildCall2(g->b, ft, f, args, nargs, "");
}

static LLVMValueRef fcall1(struct cg *g, const char *name, LLVMValueRef a)
{
   LLVMTypeRef t = g->ty.vf;
   return intrin(g, name, &t, 1, &a, 1);
}

/* i32 lane mask <-> <16 x i1> */
static LLVMValueRef mask_to_vec(struct cg *g, LLVMValueRef m)
{
   return LLVMBuildBitCast(g->b, LLVMBuildTrunc(g->b, m, g->ty.t_i16, ""), g->ty.vb, "");
}

static LLVMValueRef vec_to_mask(struct cg *g, LLVMValueRef v)
{
   return LLVMBuildZExt(g->b, LLVMBuildBitCast(g->b, v, g->ty.t_i16, ""), g->ty.t_i32, "");
}

static LLVMValueRef load32(struct cg *g, LLVMValueRef p) { return LLVMBuildLoad2(g->b, g->ty.t_i32, p, ""); }
static void store32(struct cg *g, LLVMValueRef v, LLVMValueRef p) { LLVMBuildStore(g->b, v, p); }

static LLVMValueRef loadv(struct cg *g, LLVMValueRef p)
{
   LLVMValueRef v = LLVMBuildLoad2(g->b, g->ty.vi, p, "");
   LLVMSetAlignment(v, 4);
   return v;
}

static void storev(struct cg *g, LLVMValueRef v, LLVMValueRef p)
{
   LLVMValueRef s = LLVMBuildStore(g->b, v, p);
   LLVMSetAlignment(s, 4);
}

static LLVMValueRef sel(struct cg *g, LLVMValueRef c, LLVMValueRef a, LLVMValueRef b)
{
   return LLVMBuildSelect(g->b, c, a, b, "");
}

static LLVMValueRef fcmp(struct cg *g, LLVMRealPredicate p, LLVMValueRef a, LLVMValueRef b)
{
   return LLVMBuildFCmp(g->b, p, as_f(g, a), as_f(g, b), "");
}

static LLVMValueRef icmp(struct cg *g, LLVMIntPredicate p, LLVMValueRef a, LLVMValueRef b)
{
   return LLVMBuildICmp(g->b, p, a, b, "");
}

static void fail(struct cg *g, const char *msg, unsigned pc)
{
   if (!g->failed)
      snprintf(g->err, g->err_size, "instruction %u (%s): %s", pc,
               pc < g->sh->num_insts ? jit_opcode_name(g->sh->insts[pc].opcode) : "-", msg);
   g->failed = 1;
}

/* ---- register access ------------------------------------------------------------------------- */

/* Base address and size (in vec4 registers) of a register file whose
 * channels are <16 x i32> vectors: element (reg * 4 + chan) * 16 + lane. */
static LLVMValueRef file_base(struct cg *g, unsigned file, int64_t *limit)
{
   switch (file) {
   case JIT_FILE_TEMP: *limit = g->sh->num_temps; return g->temps;
   case JIT_FILE_ADDR: *limit = JIT_MAX_ADDRS; return g->addrs;
   case JIT_FILE_INPUT: *limit = JIT_MAX_INPUTS; return byte_gep(g, g->arg_io, offsetof(struct jit_exec_io, in));
   case JIT_FILE_OUTPUT: *limit = JIT_MAX_OUTPUTS; return byte_gep(g, g->arg_io, offsetof(struct jit_exec_io, out));
   default: *limit = 0; return NULL;
   }
}

/* Per-lane register index base + ADDR/TEMP[ind_index].swz as i64 (the
 * interpreter's 64-bit sum, so no wrap-around lands in range). */
static LLVMValueRef lane_index(struct cg *g, int32_t base, uint8_t ind_file, uint16_t ind_index, uint8_t ind_swz)
{
   LLVMValueRef off = NULL;
   if (ind_file == JIT_FILE_ADDR && ind_index < JIT_MAX_ADDRS) {
      off = loadv(g, elem_gep(g, g->ty.vi, g->addrs, ci32(g, ind_index * 4u + (ind_swz & 3u))));
   } else if (ind_file == JIT_FILE_TEMP && ind_index < g->sh->num_temps) {
      off = loadv(g, elem_gep(g, g->ty.vi, g->temps, ci32(g, ind_index * 4u + (ind_swz & 3u))));
   }
   LLVMValueRef e[LANES];
   for (int l = 0; l < LANES; l++)
      e[l] = LLVMConstInt(g->ty.t_i64, (uint64_t)(int64_t)base, 1);
   LLVMValueRef v = LLVMConstVector(e, LANES);
   if (off)
      v = LLVMBuildAdd(g->b, v, LLVMBuildSExt(g->b, off, g->ty.vi64, ""), "");
   return v;
}

/* In-range lanes of an i64 index vector against limit (a constant or an i64 value). */
static LLVMValueRef index_ok(struct cg *g, LLVMValueRef idx, LLVMValueRef limit64)
{
   return icmp(g, LLVMIntULT, idx, splat_v(g, limit64));
}

/* Lanes of element pointers base + ((idx * 4 + chan) * 16 + lane) words, idx forced in range. */
static LLVMValueRef lane_ptrs(struct cg *g, LLVMValueRef base, LLVMValueRef idx, LLVMValueRef ok, unsigned chan,
                              unsigned words_per_reg, int per_lane)
{
   LLVMValueRef e[LANES];
   for (int l = 0; l < LANES; l++)
      e[l] = LLVMConstInt(g->ty.t_i64, per_lane ? (uint64_t)l : 0, 0);
   LLVMValueRef safe = sel(g, ok, idx, LLVMConstNull(g->ty.vi64));
   LLVMValueRef w = LLVMBuildMul(g->b, safe, splat_v(g, ci64(g, words_per_reg)), "");
   w = LLVMBuildAdd(g->b, w, splat_v(g, ci64(g, chan * (per_lane ? LANES : 1u))), "");
   w = LLVMBuildAdd(g->b, w, LLVMConstVector(e, LANES), "");
   return LLVMBuildGEP2(g->b, g->ty.t_i32, base, &w, 1, "");
}

static LLVMValueRef gather(struct cg *g, LLVMValueRef ptrs, LLVMValueRef ok)
{
   LLVMTypeRef over[2] = { g->ty.vi, g->ty.vptr };
   LLVMValueRef args[4] = { ptrs, ci32(g, 4), ok, LLVMConstNull(g->ty.vi) };
   return intrin(g, "llvm.masked.gather", over, 2, args, 4);
}

static void scatter(struct cg *g, LLVMValueRef v, LLVMValueRef ptrs, LLVMValueRef ok)
{
   LLVMTypeRef over[2] = { g->ty.vi, g->ty.vptr };
   LLVMValueRef args[4] = { v, ptrs, ci32(g, 4), ok };
   intrin(g, "llvm.masked.scatter", over, 2, args, 4);
}

/* Constant buffer d: base pointer (never NULL: an absent buffer points at a
 * zero word) and vec4 count (0 when absent), loaded once at entry. */
static void const_buffer(struct cg *g, unsigned d, LLVMValueRef *base, LLVMValueRef *num)
{
   if (!g->cbuf[d]) {
      LLVMBasicBlockRef cur = LLVMGetInsertBlock(g->b);
      LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(g->fn);
      LLVMValueRef term = LLVMGetBasicBlockTerminator(entry);
      if (term)
         LLVMPositionBuilderBefore(g->b, term);
      else
         LLVMPositionBuilderAtEnd(g->b, entry);
      LLVMValueRef p = LLVMBuildLoad2(g->b, g->ty.t_ptr,
                                      byte_gep(g, g->arg_ctx, offsetof(struct jit_stage_ctx, constants) + d * sizeof(void *)), "");
      LLVMValueRef n = load32(g, byte_gep(g, g->arg_ctx, offsetof(struct jit_stage_ctx, num_constants) + d * 4u));
      LLVMValueRef isnull = LLVMBuildIsNull(g->b, p, "");
      g->cbuf[d] = sel(g, isnull, g->zero_word, p);
      g->cnum[d] = LLVMBuildZExt(g->b, sel(g, isnull, ci32(g, 0), n), g->ty.t_i64, "");
      LLVMPositionBuilderAtEnd(g->b, cur);
   }
   *base = g->cbuf[d];
   *num = g->cnum[d];
}

/* One channel (already swizzled: chan = 0..3) of a source, unmodified. */
static LLVMValueRef fetch_channel(struct cg *g, const struct jit_src *s, unsigned chan)
{
   const struct jit_shader *sh = g->sh;
   switch (s->file) {
   case JIT_FILE_TEMP:
   case JIT_FILE_INPUT:
   case JIT_FILE_OUTPUT: {
      int64_t limit;
      LLVMValueRef base = file_base(g, s->file, &limit);
      if (!s->indirect) {
         if (s->index < 0 || s->index >= limit)
            return LLVMConstNull(g->ty.vi);
         return loadv(g, elem_gep(g, g->ty.vi, base, ci32(g, (uint32_t)s->index * 4u + chan)));
      }
      LLVMValueRef idx = lane_index(g, s->index, s->ind_file, s->ind_index, s->ind_swizzle);
      LLVMValueRef ok = index_ok(g, idx, ci64(g, (uint64_t)limit));
      return gather(g, lane_ptrs(g, base, idx, ok, chan, 4 * LANES, 1), ok);
   }
   case JIT_FILE_CONST: {
      if (s->dim >= JIT_MAX_CONST_BUFS)
         return LLVMConstNull(g->ty.vi);
      LLVMValueRef base, num;
      const_buffer(g, s->dim, &base, &num);
      if (!s->indirect) {
         if (s->index < 0)
            return LLVMConstNull(g->ty.vi);
         LLVMValueRef ok = icmp(g, LLVMIntULT, ci64(g, (uint64_t)s->index), num);
         LLVMValueRef p = elem_gep(g, g->ty.t_i32, base, ci64(g, (uint64_t)s->index * 4u + chan));
         return splat_v(g, load32(g, sel(g, ok, p, g->zero_word)));
      }
      LLVMValueRef idx = lane_index(g, s->index, s->ind_file, s->ind_index, s->ind_swizzle);
      LLVMValueRef ok = index_ok(g, idx, num);
      return gather(g, lane_ptrs(g, base, idx, ok, chan, 4, 0), ok);
   }
   case JIT_FILE_IMM: {
      if (!s->indirect) {
         if (s->index < 0 || (uint32_t)s->index >= sh->num_imms)
            return LLVMConstNull(g->ty.vi);
         return splat_i(g, sh->imms[s->index][chan]);
      }
      if (!g->imms)
         return LLVMConstNull(g->ty.vi);
      LLVMValueRef idx = lane_index(g, s->index, s->ind_file, s->ind_index, s->ind_swizzle);
      LLVMValueRef ok = index_ok(g, idx, ci64(g, sh->num_imms));
      return gather(g, lane_ptrs(g, g->imms, idx, ok, chan, 4, 0), ok);
   }
   case JIT_FILE_ADDR:
      if (s->index < 0 || s->index >= JIT_MAX_ADDRS)
         return LLVMConstNull(g->ty.vi);
      return loadv(g, elem_gep(g, g->ty.vi, g->addrs, ci32(g, (uint32_t)s->index * 4u + chan)));
   case JIT_FILE_SYSVAL: {
      unsigned sem = s->index >= 0 && s->index < 8 ? sh->sysval_sem[s->index] : JIT_SEM_COUNT;
      if (sem == JIT_SEM_VERTEXID && chan == 0)
         return loadv(g, byte_gep(g, g->arg_io, offsetof(struct jit_exec_io, vertex_id)));
      if (sem == JIT_SEM_INSTANCEID && chan == 0)
         return splat_v(g, load32(g, byte_gep(g, g->arg_io, offsetof(struct jit_exec_io, instance_id))));
      if (sem == JIT_SEM_FACE && chan == 0) {
         LLVMValueRef ff = load32(g, byte_gep(g, g->arg_io, offsetof(struct jit_exec_io, front_facing)));
         uint32_t one, minus;
         float f1 = 1.0f, fm = -1.0f;
         memcpy(&one, &f1, 4);
         memcpy(&minus, &fm, 4);
         return splat_v(g, sel(g, icmp(g, LLVMIntNE, ff, ci32(g, 0)), ci32(g, one), ci32(g, minus)));
      }
      if (sem == JIT_SEM_FACE && chan == 3)
         return as_i(g, splat_f(g, 1.0f));
      return LLVMConstNull(g->ty.vi);
   }
   default:
      return LLVMConstNull(g->ty.vi);
   }
}

/* The 4 swizzled, modified channels of a source, as <16 x i32>. */
static void fetch(struct cg *g, const struct jit_src *s, int is_int, LLVMValueRef out[4])
{
   LLVMValueRef ch[4] = { NULL, NULL, NULL, NULL };
   for (unsigned c = 0; c < 4; c++) {
      unsigned sw = s->swizzle[c] & 3u;
      if (!ch[sw])
         ch[sw] = fetch_channel(g, s, sw);
      LLVMValueRef v = ch[sw];
      if (is_int) {
         if (s->abs) {
            LLVMValueRef neg = LLVMBuildSub(g->b, LLVMConstNull(g->ty.vi), v, "");
            v = sel(g, icmp(g, LLVMIntSLT, v, LLVMConstNull(g->ty.vi)), neg, v);
         }
         if (s->negate)
            v = LLVMBuildSub(g->b, LLVMConstNull(g->ty.vi), v, "");
      } else {
         if (s->abs)
            v = as_i(g, fcall1(g, "llvm.fabs", as_f(g, v)));
         if (s->negate)
            v = as_i(g, LLVMBuildFNeg(g->b, as_f(g, v), ""));
      }
      out[c] = v;
   }
}

static LLVMValueRef saturate(struct cg *g, LLVMValueRef v)
{
   LLVMValueRef gt0 = fcmp(g, LLVMRealOGT, v, splat_f(g, 0.0f));
   LLVMValueRef gt1 = fcmp(g, LLVMRealOGT, v, splat_f(g, 1.0f));
   LLVMValueRef r = sel(g, gt1, splat_f(g, 1.0f), as_f(g, v));
   return as_i(g, sel(g, gt0, r, splat_f(g, 0.0f)));
}

static void store(struct cg *g, const struct jit_inst *inst, LLVMValueRef r[4])
{
   const struct jit_dst *d = &inst->dst;
   int64_t limit;
   LLVMValueRef base = file_base(g, d->file, &limit);
   if (!base || d->file == JIT_FILE_INPUT)
      return;
   LLVMValueRef execv = mask_to_vec(g, load32(g, g->exec));
   LLVMValueRef idx = NULL, ok = NULL;
   if (d->indirect) {
      idx = lane_index(g, d->index, JIT_FILE_ADDR, d->ind_index, d->ind_swizzle);
      ok = LLVMBuildAnd(g->b, index_ok(g, idx, ci64(g, (uint64_t)limit)), execv, "");
   } else if (d->index < 0 || d->index >= limit) {
      return;
   }
   for (unsigned c = 0; c < 4; c++) {
      if (!(d->writemask & (1u << c)))
         continue;
      LLVMValueRef v = r[c];
      if (inst->saturate)
         v = saturate(g, v);
      if (d->indirect) {
         scatter(g, v, lane_ptrs(g, base, idx, ok, c, 4 * LANES, 1), ok);
      } else {
         LLVMValueRef p = elem_gep(g, g->ty.vi, base, ci32(g, (uint32_t)d->index * 4u + c));
         storev(g, sel(g, execv, v, loadv(g, p)), p);
      }
   }
}

/* ---- arithmetic ------------------------------------------------------------------------------ */

static LLVMValueRef fbin(struct cg *g, LLVMOpcode op, LLVMValueRef a, LLVMValueRef b)
{
   return as_i(g, LLVMBuildBinOp(g->b, op, as_f(g, a), as_f(g, b), ""));
}

static LLVMValueRef bool_f(struct cg *g, LLVMValueRef c)
{
   return as_i(g, sel(g, c, splat_f(g, 1.0f), splat_f(g, 0.0f)));
}

static LLVMValueRef bool_i(struct cg *g, LLVMValueRef c)
{
   return LLVMBuildSExt(g->b, c, g->ty.vi, "");
}

/* F2I / F2U: saturate, NaN -> 0 (the interpreter's f2i/f2u). Spelled as a
 * plain conversion whose out-of-range lanes selects replace: x86 lowers
 * llvm.fpto[su]i.sat one lane at a time (83 instructions for 16 lanes on
 * AVX-512, against 7). A select does not pass on its unchosen operand's
 * poison. */
static LLVMValueRef f2x_sat(struct cg *g, LLVMValueRef f, int is_signed)
{
   LLVMValueRef a = as_f(g, f);
   float lo = is_signed ? -2147483648.0f : 0.0f, hi = is_signed ? 2147483648.0f : 4294967296.0f;
   LLVMValueRef conv = is_signed ? LLVMBuildFPToSI(g->b, a, g->ty.vi, "") : LLVMBuildFPToUI(g->b, a, g->ty.vi, "");
   LLVMValueRef below = splat_i(g, is_signed ? 0x80000000u : 0);
   LLVMValueRef above = splat_i(g, is_signed ? 0x7fffffffu : 0xffffffffu);
   LLVMValueRef r = LLVMBuildSelect(g->b, LLVMBuildFCmp(g->b, LLVMRealUNO, a, a, ""), LLVMConstNull(g->ty.vi), below, "");
   r = LLVMBuildSelect(g->b, LLVMBuildFCmp(g->b, LLVMRealOGE, a, splat_f(g, lo), ""), conv, r, "");
   return LLVMBuildSelect(g->b, LLVMBuildFCmp(g->b, LLVMRealOGE, a, splat_f(g, hi), ""), above,
                          r, "");
}

static LLVMValueRef f2i_sat(struct cg *g, LLVMValueRef f) { return f2x_sat(g, f, 1); }
static LLVMValueRef f2u_sat(struct cg *g, LLVMValueRef f) { return f2x_sat(g, f, 0); }

/* MIN/MAX with the interpreter's min_t/max_t answers: (a < b || b is NaN) ? a : b. */
static LLVMValueRef fminmax(struct cg *g, int is_max, LLVMValueRef a, LLVMValueRef b)
{
   LLVMValueRef fa = as_f(g, a), fb = as_f(g, b);
   LLVMValueRef lt = LLVMBuildFCmp(g->b, is_max ? LLVMRealOGT : LLVMRealOLT, fa, fb, "");
   LLVMValueRef bnan = LLVMBuildFCmp(g->b, LLVMRealUNO, fb, fb, "");
   return sel(g, LLVMBuildOr(g->b, lt, bnan, ""), a, b);
}

static LLVMValueRef fmin_f(struct cg *g, LLVMValueRef a, LLVMValueRef b)
{
   return as_f(g, fminmax(g, 0, as_i(g, a), as_i(g, b)));
}

static LLVMValueRef fmax_f(struct cg *g, LLVMValueRef a, LLVMValueRef b)
{
   return as_f(g, fminmax(g, 1, as_i(g, a), as_i(g, b)));
}

/* Component-wise ops (the interpreter's alu()). */
static LLVMValueRef alu(struct cg *g, unsigned op, LLVMValueRef a, LLVMValueRef b, LLVMValueRef c)
{
   LLVMValueRef zero = LLVMConstNull(g->ty.vi);
   switch (op) {
   case JIT_OP_MOV: case JIT_OP_UARL: return a;
   case JIT_OP_ADD: return fbin(g, LLVMFAdd, a, b);
   case JIT_OP_MUL: return fbin(g, LLVMFMul, a, b);
   case JIT_OP_MAD: return fbin(g, LLVMFAdd, fbin(g, LLVMFMul, a, b), c);
   case JIT_OP_FMA: {
      LLVMTypeRef t = g->ty.vf;
      LLVMValueRef args[3] = { as_f(g, a), as_f(g, b), as_f(g, c) };
      return as_i(g, intrin(g, "llvm.fma", &t, 1, args, 3));
   }
   case JIT_OP_DIV: return fbin(g, LLVMFDiv, a, b);
   case JIT_OP_MIN: return fminmax(g, 0, a, b);
   case JIT_OP_MAX: return fminmax(g, 1, a, b);
   case JIT_OP_FRC: return fbin(g, LLVMFSub, a, as_i(g, fcall1(g, "llvm.floor", as_f(g, a))));
   case JIT_OP_FLR: return as_i(g, fcall1(g, "llvm.floor", as_f(g, a)));
   case JIT_OP_CEIL: return as_i(g, fcall1(g, "llvm.ceil", as_f(g, a)));
   case JIT_OP_TRUNC: return as_i(g, fcall1(g, "llvm.trunc", as_f(g, a)));
   case JIT_OP_ROUND: return as_i(g, fcall1(g, "llvm.rint", as_f(g, a)));
   case JIT_OP_LRP:
      return fbin(g, LLVMFAdd, fbin(g, LLVMFMul, a, b),
                  fbin(g, LLVMFMul, fbin(g, LLVMFSub, as_i(g, splat_f(g, 1.0f)), a), c));
   case JIT_OP_CMP: return sel(g, fcmp(g, LLVMRealOLT, a, zero), b, c);
   case JIT_OP_SSG:
      return as_i(g, sel(g, fcmp(g, LLVMRealOGT, a, zero), splat_f(g, 1.0f),
                         sel(g, fcmp(g, LLVMRealOLT, a, zero), splat_f(g, -1.0f), splat_f(g, 0.0f))));
   case JIT_OP_ABS: return as_i(g, fcall1(g, "llvm.fabs", as_f(g, a)));
   case JIT_OP_SLT: return bool_f(g, fcmp(g, LLVMRealOLT, a, b));
   case JIT_OP_SGE: return bool_f(g, fcmp(g, LLVMRealOGE, a, b));
   case JIT_OP_SEQ: return bool_f(g, fcmp(g, LLVMRealOEQ, a, b));
   case JIT_OP_SNE: return bool_f(g, fcmp(g, LLVMRealUNE, a, b));
   case JIT_OP_SGT: return bool_f(g, fcmp(g, LLVMRealOGT, a, b));
   case JIT_OP_SLE: return bool_f(g, fcmp(g, LLVMRealOLE, a, b));
   case JIT_OP_FSLT: return bool_i(g, fcmp(g, LLVMRealOLT, a, b));
   case JIT_OP_FSGE: return bool_i(g, fcmp(g, LLVMRealOGE, a, b));
   case JIT_OP_FSEQ: return bool_i(g, fcmp(g, LLVMRealOEQ, a, b));
   case JIT_OP_FSNE: return bool_i(g, fcmp(g, LLVMRealUNE, a, b));
   case JIT_OP_UADD: return LLVMBuildAdd(g->b, a, b, "");
   case JIT_OP_UMUL: return LLVMBuildMul(g->b, a, b, "");
   case JIT_OP_UMAD: return LLVMBuildAdd(g->b, LLVMBuildMul(g->b, a, b, ""), c, "");
   case JIT_OP_IMUL_HI:
   case JIT_OP_UMUL_HI: {
      int s = op == JIT_OP_IMUL_HI;
      LLVMValueRef wa = s ? LLVMBuildSExt(g->b, a, g->ty.vi64, "") : LLVMBuildZExt(g->b, a, g->ty.vi64, "");
      LLVMValueRef wb = s ? LLVMBuildSExt(g->b, b, g->ty.vi64, "") : LLVMBuildZExt(g->b, b, g->ty.vi64, "");
      LLVMValueRef p = LLVMBuildLShr(g->b, LLVMBuildMul(g->b, wa, wb, ""), splat_v(g, ci64(g, 32)), "");
      return LLVMBuildTrunc(g->b, p, g->ty.vi, "");
   }
   case JIT_OP_UDIV:
   case JIT_OP_UMOD: {
      LLVMValueRef z = icmp(g, LLVMIntEQ, b, zero);
      LLVMValueRef d = sel(g, z, splat_i(g, 1), b);
      LLVMValueRef r = op == JIT_OP_UDIV ? LLVMBuildUDiv(g->b, a, d, "") : LLVMBuildURem(g->b, a, d, "");
      return sel(g, z, splat_i(g, ~0u), r);
   }
   case JIT_OP_IDIV:
   case JIT_OP_MOD: {
      LLVMValueRef z = icmp(g, LLVMIntEQ, b, zero);
      LLVMValueRef ovf = LLVMBuildAnd(g->b, icmp(g, LLVMIntEQ, a, splat_i(g, 0x80000000u)),
                                      icmp(g, LLVMIntEQ, b, splat_i(g, ~0u)), "");
      LLVMValueRef bad = LLVMBuildOr(g->b, z, ovf, "");
      LLVMValueRef d = sel(g, bad, splat_i(g, 1), b);
      if (op == JIT_OP_IDIV)
         return sel(g, z, zero, LLVMBuildSDiv(g->b, a, d, "")); /* INT_MIN / 1 = INT_MIN for the overflow case */
      return sel(g, bad, zero, LLVMBuildSRem(g->b, a, d, ""));
   }
   case JIT_OP_AND: return LLVMBuildAnd(g->b, a, b, "");
   case JIT_OP_OR: return LLVMBuildOr(g->b, a, b, "");
   case JIT_OP_XOR: return LLVMBuildXor(g->b, a, b, "");
   case JIT_OP_NOT: return LLVMBuildNot(g->b, a, "");
   case JIT_OP_SHL: return LLVMBuildShl(g->b, a, LLVMBuildAnd(g->b, b, splat_i(g, 31), ""), "");
   case JIT_OP_USHR: return LLVMBuildLShr(g->b, a, LLVMBuildAnd(g->b, b, splat_i(g, 31), ""), "");
   case JIT_OP_ISHR: return LLVMBuildAShr(g->b, a, LLVMBuildAnd(g->b, b, splat_i(g, 31), ""), "");
   case JIT_OP_INEG: return LLVMBuildSub(g->b, zero, a, "");
   case JIT_OP_IABS: return sel(g, icmp(g, LLVMIntSLT, a, zero), LLVMBuildSub(g->b, zero, a, ""), a);
   case JIT_OP_ISSG:
      return sel(g, icmp(g, LLVMIntSGT, a, zero), splat_i(g, 1),
                 sel(g, icmp(g, LLVMIntSLT, a, zero), splat_i(g, ~0u), zero));
   case JIT_OP_IMAX: return sel(g, icmp(g, LLVMIntSGT, a, b), a, b);
   case JIT_OP_IMIN: return sel(g, icmp(g, LLVMIntSLT, a, b), a, b);
   case JIT_OP_UMAX: return sel(g, icmp(g, LLVMIntUGT, a, b), a, b);
   case JIT_OP_UMIN: return sel(g, icmp(g, LLVMIntULT, a, b), a, b);
   case JIT_OP_UCMP: return sel(g, icmp(g, LLVMIntNE, a, zero), b, c);
   case JIT_OP_USEQ: return bool_i(g, icmp(g, LLVMIntEQ, a, b));
   case JIT_OP_USNE: return bool_i(g, icmp(g, LLVMIntNE, a, b));
   case JIT_OP_ISLT: return bool_i(g, icmp(g, LLVMIntSLT, a, b));
   case JIT_OP_ISGE: return bool_i(g, icmp(g, LLVMIntSGE, a, b));
   case JIT_OP_USLT: return bool_i(g, icmp(g, LLVMIntULT, a, b));
   case JIT_OP_USGE: return bool_i(g, icmp(g, LLVMIntUGE, a, b));
   case JIT_OP_I2F: return as_i(g, LLVMBuildSIToFP(g->b, a, g->ty.vf, ""));
   case JIT_OP_U2F: return as_i(g, LLVMBuildUIToFP(g->b, a, g->ty.vf, ""));
   case JIT_OP_F2I: return f2i_sat(g, a);
   case JIT_OP_F2U: return f2u_sat(g, a);
   case JIT_OP_ARL: return f2i_sat(g, as_i(g, fcall1(g, "llvm.floor", as_f(g, a))));
   default: return zero; /* the interpreter's alu() gives 0 too (CAL, RET, BGNSUB...) */
   }
}

/* ---- transcendental functions: jit_math.h's operations, in its order, on 16 lanes ---- */

static LLVMValueRef ff(struct cg *g, LLVMOpcode op, LLVMValueRef a, LLVMValueRef b)
{
   return LLVMBuildBinOp(g->b, op, a, b, "");
}

static LLVMValueRef fk(struct cg *g, float f) { return splat_f(g, f); }

static LLVMValueRef fcmpf(struct cg *g, LLVMRealPredicate p, LLVMValueRef a, LLVMValueRef b)
{
   return LLVMBuildFCmp(g->b, p, a, b, "");
}

/* jit_sincos: float vectors in and out */
static LLVMValueRef emit_sincos(struct cg *g, LLVMValueRef x, int cosine)
{
   LLVMValueRef j = fcall1(g, "llvm.rint", ff(g, LLVMFMul, x, fk(g, JIT_TWO_OVER_PI)));
   LLVMValueRef r = ff(g, LLVMFSub, x, ff(g, LLVMFMul, j, fk(g, JIT_PIO2_1)));
   r = ff(g, LLVMFSub, r, ff(g, LLVMFMul, j, fk(g, JIT_PIO2_2)));
   r = ff(g, LLVMFSub, r, ff(g, LLVMFMul, j, fk(g, JIT_PIO2_3)));
   LLVMValueRef jq = ff(g, LLVMFSub, j,
                        ff(g, LLVMFMul, fk(g, 4.0f), fcall1(g, "llvm.floor", ff(g, LLVMFMul, j, fk(g, 0.25f)))));
   jq = sel(g, fcmpf(g, LLVMRealOEQ, jq, jq), jq, fk(g, 0.0f));
   LLVMValueRef q = LLVMBuildAdd(g->b, LLVMBuildFPToSI(g->b, jq, g->ty.vi, ""), splat_i(g, (uint32_t)cosine), "");
   LLVMValueRef r2 = ff(g, LLVMFMul, r, r);
   LLVMValueRef ps = ff(g, LLVMFAdd, fk(g, 8.3321608736e-3f), ff(g, LLVMFMul, r2, fk(g, -1.9515295891e-4f)));
   ps = ff(g, LLVMFAdd, fk(g, -1.6666654611e-1f), ff(g, LLVMFMul, r2, ps));
   LLVMValueRef sn = ff(g, LLVMFAdd, r, ff(g, LLVMFMul, ff(g, LLVMFMul, r, r2), ps));
   LLVMValueRef pc = ff(g, LLVMFAdd, fk(g, -1.388731625493765e-3f), ff(g, LLVMFMul, r2, fk(g, 2.443315711809948e-5f)));
   pc = ff(g, LLVMFAdd, fk(g, 4.166664568298827e-2f), ff(g, LLVMFMul, r2, pc));
   LLVMValueRef cs = ff(g, LLVMFAdd, ff(g, LLVMFSub, fk(g, 1.0f), ff(g, LLVMFMul, fk(g, 0.5f), r2)),
                        ff(g, LLVMFMul, ff(g, LLVMFMul, r2, r2), pc));
   LLVMValueRef zero = LLVMConstNull(g->ty.vi);
   LLVMValueRef odd = LLVMBuildICmp(g->b, LLVMIntNE, LLVMBuildAnd(g->b, q, splat_i(g, 1), ""), zero, "");
   LLVMValueRef neg = LLVMBuildICmp(g->b, LLVMIntNE, LLVMBuildAnd(g->b, q, splat_i(g, 2), ""), zero, "");
   LLVMValueRef v = sel(g, odd, cs, sn);
   return sel(g, neg, LLVMBuildFNeg(g->b, v, ""), v);
}

static LLVMValueRef emit_exp2(struct cg *g, LLVMValueRef x)
{
   LLVMValueRef xc = sel(g, fcmpf(g, LLVMRealOGE, x, fk(g, -126.0f)),
                         sel(g, fcmpf(g, LLVMRealOLE, x, fk(g, 128.0f)), x, fk(g, 128.0f)), fk(g, -126.0f));
   LLVMValueRef i = fcall1(g, "llvm.rint", xc);
   LLVMValueRef t = ff(g, LLVMFMul, ff(g, LLVMFSub, xc, i), fk(g, 0.693147180559945309f));
   static const float coef[] = { 1.0f, 1.0f, 0.5f, 1.66666666666666667e-1f, 4.16666666666666667e-2f,
                                 8.33333333333333333e-3f, 1.38888888888888889e-3f, 1.98412698412698413e-4f,
                                 2.48015873015873016e-5f };
   LLVMValueRef p = fk(g, coef[8]);
   for (int k = 7; k >= 0; k--)
      p = ff(g, LLVMFAdd, fk(g, coef[k]), ff(g, LLVMFMul, t, p));
   LLVMValueRef ii = LLVMBuildFPToSI(g->b, i, g->ty.vi, "");
   LLVMValueRef big = LLVMBuildICmp(g->b, LLVMIntSGT, ii, splat_i(g, 127), "");
   LLVMValueRef e = LLVMBuildAdd(g->b, sel(g, big, splat_i(g, 127), ii), splat_i(g, 127), "");
   LLVMValueRef scale = as_f(g, LLVMBuildShl(g->b, e, splat_i(g, 23), ""));
   LLVMValueRef r = ff(g, LLVMFMul, p, scale);
   r = sel(g, big, ff(g, LLVMFMul, r, fk(g, 2.0f)), r);
   r = sel(g, fcmpf(g, LLVMRealOLT, x, fk(g, -126.0f)), fk(g, 0.0f), r);
   r = sel(g, fcmpf(g, LLVMRealOGE, x, fk(g, 128.0f)), fk(g, INFINITY), r);
   return sel(g, fcmpf(g, LLVMRealUNE, x, x), x, r);
}

static LLVMValueRef emit_log2(struct cg *g, LLVMValueRef x)
{
   LLVMValueRef tiny = fcmpf(g, LLVMRealOLT, x, fk(g, 1.17549435e-38f));
   LLVMValueRef xs = sel(g, tiny, ff(g, LLVMFMul, x, fk(g, 8388608.0f)), x);
   LLVMValueRef b = as_i(g, xs);
   LLVMValueRef e = LLVMBuildAnd(g->b, LLVMBuildLShr(g->b, b, splat_i(g, 23), ""), splat_i(g, 0xff), "");
   e = LLVMBuildSub(g->b, e, sel(g, tiny, splat_i(g, 127 + 23), splat_i(g, 127)), "");
   LLVMValueRef m = as_f(g, LLVMBuildOr(g->b, LLVMBuildAnd(g->b, b, splat_i(g, 0x007fffffu), ""),
                                        splat_i(g, 0x3f800000u), ""));
   LLVMValueRef big = fcmpf(g, LLVMRealOGT, m, fk(g, 1.41421356f));
   m = sel(g, big, ff(g, LLVMFMul, m, fk(g, 0.5f)), m);
   e = sel(g, big, LLVMBuildAdd(g->b, e, splat_i(g, 1), ""), e);
   LLVMValueRef sv = ff(g, LLVMFDiv, ff(g, LLVMFSub, m, fk(g, 1.0f)), ff(g, LLVMFAdd, m, fk(g, 1.0f)));
   LLVMValueRef s2 = ff(g, LLVMFMul, sv, sv);
   static const float coef[] = { 2.88539008177792681f, 9.61796693925975554e-1f, 5.77078016355585362e-1f,
                                 4.12198583111132402e-1f, 3.20598897975325201e-1f };
   LLVMValueRef p = fk(g, coef[4]);
   for (int k = 3; k >= 0; k--)
      p = ff(g, LLVMFAdd, fk(g, coef[k]), ff(g, LLVMFMul, s2, p));
   p = ff(g, LLVMFMul, sv, p);
   LLVMValueRef r = ff(g, LLVMFAdd, LLVMBuildSIToFP(g->b, e, g->ty.vf, ""), p);
   r = sel(g, fcmpf(g, LLVMRealOEQ, x, fk(g, INFINITY)), fk(g, INFINITY), r);
   r = sel(g, fcmpf(g, LLVMRealOEQ, x, fk(g, 0.0f)), fk(g, -INFINITY), r);
   r = sel(g, fcmpf(g, LLVMRealOLT, x, fk(g, 0.0f)), fk(g, NAN), r);
   return sel(g, fcmpf(g, LLVMRealUNE, x, x), x, r);
}

static LLVMValueRef emit_pow(struct cg *g, LLVMValueRef a, LLVMValueRef b)
{
   LLVMValueRef r = emit_exp2(g, ff(g, LLVMFMul, emit_log2(g, fcall1(g, "llvm.fabs", a)), b));
   LLVMValueRef h = ff(g, LLVMFMul, b, fk(g, 0.5f));
   LLVMValueRef integer = fcmpf(g, LLVMRealOEQ, fcall1(g, "llvm.rint", b), b);
   LLVMValueRef odd = LLVMBuildAnd(g->b, integer, fcmpf(g, LLVMRealUNE, fcall1(g, "llvm.rint", h), h), "");
   LLVMValueRef neg = sel(g, integer, sel(g, odd, LLVMBuildFNeg(g->b, r, ""), r), fk(g, NAN));
   r = sel(g, fcmpf(g, LLVMRealOLT, a, fk(g, 0.0f)), neg, r);
   return sel(g, fcmpf(g, LLVMRealOEQ, b, fk(g, 0.0f)), fk(g, 1.0f), r);
}

/* Ops whose result is computed from .x (and .x of src1) and replicated. */
static LLVMValueRef scalar_op(struct cg *g, unsigned op, LLVMValueRef a, LLVMValueRef b)
{
   switch (op) {
   case JIT_OP_RCP: return fbin(g, LLVMFDiv, as_i(g, splat_f(g, 1.0f)), a);
   case JIT_OP_RSQ:
      return fbin(g, LLVMFDiv, as_i(g, splat_f(g, 1.0f)),
                  as_i(g, fcall1(g, "llvm.sqrt", fcall1(g, "llvm.fabs", as_f(g, a)))));
   case JIT_OP_SQRT: return as_i(g, fcall1(g, "llvm.sqrt", as_f(g, a)));
   case JIT_OP_EX2: return as_i(g, emit_exp2(g, as_f(g, a)));
   case JIT_OP_LG2: return as_i(g, emit_log2(g, as_f(g, a)));
   case JIT_OP_POW: return as_i(g, emit_pow(g, as_f(g, a), as_f(g, b)));
   case JIT_OP_SIN: return as_i(g, emit_sincos(g, as_f(g, a), 0));
   default: return as_i(g, emit_sincos(g, as_f(g, a), 1));
   }
}

static LLVMValueRef quad_shuffle(struct cg *g, LLVMValueRef v, const unsigned pat[4])
{
   LLVMValueRef e[LANES];
   for (int l = 0; l < LANES; l++)
      e[l] = ci32(g, (unsigned)(l & ~3) + pat[l & 3]);
   return LLVMBuildShuffleVector(g->b, v, LLVMGetUndef(g->ty.vf), LLVMConstVector(e, LANES), "");
}

static LLVMValueRef derivative(struct cg *g, unsigned op, LLVMValueRef a)
{
   static const unsigned hi[4][4] = { { 1, 1, 1, 1 }, { 2, 2, 2, 2 }, { 1, 1, 3, 3 }, { 2, 3, 2, 3 } };
   static const unsigned lo[4][4] = { { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, { 0, 0, 2, 2 }, { 0, 1, 0, 1 } };
   unsigned k = op == JIT_OP_DDX ? 0 : op == JIT_OP_DDY ? 1 : op == JIT_OP_DDX_FINE ? 2 : 3;
   LLVMValueRef f = as_f(g, a);
   return as_i(g, LLVMBuildFSub(g->b, quad_shuffle(g, f, hi[k]), quad_shuffle(g, f, lo[k]), ""));
}

/* TEX..TXL2: the inline sampler where the draw's state allows it
 * (jit_llvm_tex.c), else spill the sources, call jit_tex_exec, reload the
 * result. */
static void emit_tex(struct cg *g, const struct jit_inst *inst, LLVMValueRef s[4][4], LLVMValueRef r[4])
{
   LLVMValueRef exec = load32(g, g->exec), fast[4];
   LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(g->c, g->fn, "tex_done"), fast_end = NULL;
   unsigned unit = (unsigned)inst->src[inst->num_src - 1].index;
   const struct jit_tex_key *key = g->tex_keys && unit < JIT_FS_TEX_KEYS && g->tex_keys[unit].target ? &g->tex_keys[unit] : NULL;
   int inl = jit_llvm_tex_inline(g->b, g->fn, g->arg_ctx, inst, g->sh->stage, s[0], exec, done, fast, &fast_end, key,
                                 g->vector_bits);
   for (int i = 0; i < 2; i++)
      for (int c = 0; c < 4; c++)
         if (s[i][c])
            storev(g, s[i][c], elem_gep(g, g->ty.vi, g->tex_src, ci32(g, (unsigned)(i * 4 + c))));
   LLVMTypeRef pt[6] = { g->ty.t_ptr, g->ty.t_ptr, g->ty.t_i32, g->ty.t_i32, g->ty.t_ptr, g->ty.t_ptr };
   LLVMTypeRef ft = LLVMFunctionType(g->ty.t_void, pt, 6, 0);
   LLVMValueRef fnp = LLVMConstIntToPtr(ci64(g, (uint64_t)(uintptr_t)&jit_tex_exec), g->ty.t_ptr);
   LLVMValueRef instp = LLVMConstIntToPtr(ci64(g, (uint64_t)(uintptr_t)inst), g->ty.t_ptr);
   LLVMValueRef args[6] = { g->arg_ctx, instp, ci32(g, g->sh->stage), exec, g->tex_src, g->tex_dst };
   LLVMBuildCall2(g->b, ft, fnp, args, 6, "");
   for (int c = 0; c < 4; c++)
      r[c] = loadv(g, elem_gep(g, g->ty.vi, g->tex_dst, ci32(g, (unsigned)c)));
   LLVMBasicBlockRef call_end = LLVMGetInsertBlock(g->b);
   LLVMBuildBr(g->b, done);
   LLVMPositionBuilderAtEnd(g->b, done);
   if (!inl)
      return;
   for (int c = 0; c < 4; c++)
      r[c] = jit_llvm_phi2(g->b, fast[c], fast_end, r[c], call_end);
}

static int op_is_tex(unsigned op)
{
   return op >= JIT_OP_TEX && op <= JIT_OP_TXL2;
}

/* ---- flow ------------------------------------------------------------------------------------ */

static LLVMValueRef loop_out(struct cg *g)
{
   if (!g->nloops)
      return ci32(g, 0);
   struct cg_loop *l = &g->loops[g->nloops - 1];
   return LLVMBuildOr(g->b, load32(g, l->brk), load32(g, l->cont), "");
}

/* exec = v & ~loop_out & alive */
static LLVMValueRef live_mask(struct cg *g, LLVMValueRef v)
{
   v = LLVMBuildAnd(g->b, v, LLVMBuildNot(g->b, loop_out(g), ""), "");
   return LLVMBuildAnd(g->b, v, load32(g, g->alive), "");
}

/* Continue in a fresh block (after a terminator). */
static void new_block(struct cg *g, const char *name)
{
   LLVMBasicBlockRef bb = LLVMAppendBasicBlockInContext(g->c, g->fn, name);
   LLVMPositionBuilderAtEnd(g->b, bb);
}

/* If exec is empty, jump to the block of instruction `label` (an ELSE or ENDIF). */
static void skip_if_empty(struct cg *g, LLVMValueRef exec, int32_t label, unsigned pc)
{
   if (label <= (int32_t)pc || (uint32_t)label >= g->sh->num_insts || !g->block_at[label])
      return;
   LLVMBasicBlockRef go = LLVMAppendBasicBlockInContext(g->c, g->fn, "then");
   LLVMBuildCondBr(g->b, icmp(g, LLVMIntEQ, exec, ci32(g, 0)), g->block_at[label], go);
   LLVMPositionBuilderAtEnd(g->b, go);
}

/* Returns 1 if the instruction was a flow instruction (handled here). */
static int emit_flow(struct cg *g, const struct jit_inst *inst, unsigned pc)
{
   LLVMValueRef s[4];
   switch (inst->opcode) {
   case JIT_OP_END:
      LLVMBuildBr(g->b, g->exit);
      new_block(g, "dead");
      return 1;
   case JIT_OP_NOP:
      return 1;
   case JIT_OP_IF:
   case JIT_OP_UIF: {
      if (g->nconds >= JIT_MAX_NESTING) {
         fail(g, "IF nesting too deep", pc);
         return 1;
      }
      fetch(g, &inst->src[0], inst->opcode == JIT_OP_UIF, s);
      struct cg_cond *f = &g->conds[g->nconds++];
      LLVMValueRef exec = load32(g, g->exec);
      LLVMValueRef t = inst->opcode == JIT_OP_UIF ? icmp(g, LLVMIntNE, s[0], LLVMConstNull(g->ty.vi))
                                                  : fcmp(g, LLVMRealUNE, s[0], LLVMConstNull(g->ty.vi));
      LLVMValueRef cond = LLVMBuildAnd(g->b, exec, vec_to_mask(g, t), "");
      store32(g, exec, f->saved);
      store32(g, cond, f->cond);
      store32(g, cond, g->exec);
      skip_if_empty(g, cond, inst->label, pc);
      return 1;
   }
   case JIT_OP_ELSE: {
      if (!g->nconds) {
         fail(g, "ELSE without IF", pc);
         return 1;
      }
      struct cg_cond *f = &g->conds[g->nconds - 1];
      LLVMValueRef v = LLVMBuildAnd(g->b, load32(g, f->saved), LLVMBuildNot(g->b, load32(g, f->cond), ""), "");
      v = live_mask(g, v);
      store32(g, v, g->exec);
      skip_if_empty(g, v, inst->label, pc);
      return 1;
   }
   case JIT_OP_ENDIF: {
      if (!g->nconds) {
         fail(g, "ENDIF without IF", pc);
         return 1;
      }
      struct cg_cond *f = &g->conds[--g->nconds];
      store32(g, live_mask(g, load32(g, f->saved)), g->exec);
      return 1;
   }
   case JIT_OP_BGNLOOP: {
      if (g->nloops >= JIT_MAX_NESTING) {
         fail(g, "loop nesting too deep", pc);
         return 1;
      }
      struct cg_loop *f = &g->loops[g->nloops++];
      store32(g, load32(g, g->exec), f->saved);
      store32(g, ci32(g, 0), f->brk);
      store32(g, ci32(g, 0), f->cont);
      store32(g, ci32(g, 0), f->iters);
      f->body = LLVMAppendBasicBlockInContext(g->c, g->fn, "loop");
      f->after = LLVMAppendBasicBlockInContext(g->c, g->fn, "endloop");
      LLVMBuildBr(g->b, f->body);
      LLVMPositionBuilderAtEnd(g->b, f->body);
      return 1;
   }
   case JIT_OP_BRK:
   case JIT_OP_CONT: {
      if (!g->nloops) {
         fail(g, "BRK/CONT outside a loop", pc);
         return 1;
      }
      struct cg_loop *f = &g->loops[g->nloops - 1];
      LLVMValueRef slot = inst->opcode == JIT_OP_BRK ? f->brk : f->cont;
      store32(g, LLVMBuildOr(g->b, load32(g, slot), load32(g, g->exec), ""), slot);
      store32(g, ci32(g, 0), g->exec);
      return 1;
   }
   case JIT_OP_ENDLOOP: {
      if (!g->nloops) {
         fail(g, "ENDLOOP without BGNLOOP", pc);
         return 1;
      }
      struct cg_loop *f = &g->loops[g->nloops - 1];
      store32(g, ci32(g, 0), f->cont);
      LLVMValueRef exec = LLVMBuildAnd(g->b, load32(g, f->saved), LLVMBuildNot(g->b, load32(g, f->brk), ""), "");
      exec = LLVMBuildAnd(g->b, exec, load32(g, g->alive), "");
      store32(g, exec, g->exec);
      LLVMValueRef iters = LLVMBuildAdd(g->b, load32(g, f->iters), ci32(g, 1), "");
      store32(g, iters, f->iters);
      LLVMValueRef again = LLVMBuildAnd(g->b, icmp(g, LLVMIntNE, exec, ci32(g, 0)),
                                        icmp(g, LLVMIntULT, iters, ci32(g, JIT_MAX_LOOP_ITERS)), "");
      LLVMBuildCondBr(g->b, again, f->body, f->after);
      LLVMPositionBuilderAtEnd(g->b, f->after);
      store32(g, LLVMBuildAnd(g->b, load32(g, f->saved), load32(g, g->alive), ""), g->exec);
      g->nloops--;
      return 1;
   }
   case JIT_OP_KILL: {
      LLVMValueRef exec = load32(g, g->exec);
      store32(g, LLVMBuildAnd(g->b, load32(g, g->alive), LLVMBuildNot(g->b, exec, ""), ""), g->alive);
      store32(g, ci32(g, 0), g->exec);
      return 1;
   }
   case JIT_OP_KILL_IF: {
      fetch(g, &inst->src[0], 0, s);
      LLVMValueRef k = NULL;
      for (int c = 0; c < 4; c++) {
         LLVMValueRef t = fcmp(g, LLVMRealOLT, s[c], LLVMConstNull(g->ty.vi));
         k = k ? LLVMBuildOr(g->b, k, t, "") : t;
      }
      LLVMValueRef km = LLVMBuildAnd(g->b, vec_to_mask(g, k), load32(g, g->exec), "");
      LLVMValueRef nk = LLVMBuildNot(g->b, km, "");
      store32(g, LLVMBuildAnd(g->b, load32(g, g->alive), nk, ""), g->alive);
      store32(g, LLVMBuildAnd(g->b, load32(g, g->exec), nk, ""), g->exec);
      return 1;
   }
   default:
      return 0;
   }
}

/* ---- one instruction ------------------------------------------------------------------------- */

static void emit_inst(struct cg *g, const struct jit_inst *inst, unsigned pc)
{
   unsigned op = inst->opcode;
   if (emit_flow(g, inst, pc))
      return;
   LLVMValueRef s[4][4] = { { NULL } }, r[4] = { NULL, NULL, NULL, NULL };
   int is_int = jit_opcode_int_sources(op);
   for (int i = 0; i < inst->num_src && i < 4; i++)
      if (inst->src[i].file != JIT_FILE_SAMPLER && inst->src[i].file != JIT_FILE_SVIEW)
         fetch(g, &inst->src[i], is_int && !(op == JIT_OP_UCMP && i > 0), s[i]);
   for (int i = 0; i < 4; i++)
      for (int c = 0; c < 4; c++)
         if (!s[i][c])
            s[i][c] = LLVMConstNull(g->ty.vi);

   switch (op) {
   case JIT_OP_DP2: case JIT_OP_DP3: case JIT_OP_DP4: case JIT_OP_DPH: {
      LLVMValueRef d = fbin(g, LLVMFAdd, fbin(g, LLVMFMul, s[0][0], s[1][0]), fbin(g, LLVMFMul, s[0][1], s[1][1]));
      if (op != JIT_OP_DP2)
         d = fbin(g, LLVMFAdd, d, fbin(g, LLVMFMul, s[0][2], s[1][2]));
      if (op == JIT_OP_DP4)
         d = fbin(g, LLVMFAdd, d, fbin(g, LLVMFMul, s[0][3], s[1][3]));
      if (op == JIT_OP_DPH)
         d = fbin(g, LLVMFAdd, d, s[1][3]);
      r[0] = r[1] = r[2] = r[3] = d;
      break;
   }
   case JIT_OP_RCP: case JIT_OP_RSQ: case JIT_OP_SQRT: case JIT_OP_EX2: case JIT_OP_LG2:
   case JIT_OP_POW: case JIT_OP_SIN: case JIT_OP_COS:
      r[0] = r[1] = r[2] = r[3] = scalar_op(g, op, s[0][0], s[1][0]);
      break;
   case JIT_OP_EXP: {
      LLVMValueRef fl = as_i(g, fcall1(g, "llvm.floor", as_f(g, s[0][0])));
      r[0] = as_i(g, emit_exp2(g, as_f(g, fl)));
      r[1] = fbin(g, LLVMFSub, s[0][0], fl);
      r[2] = as_i(g, emit_exp2(g, as_f(g, s[0][0])));
      r[3] = as_i(g, splat_f(g, 1.0f));
      break;
   }
   case JIT_OP_LOG: {
      LLVMValueRef x = fcall1(g, "llvm.fabs", as_f(g, s[0][0]));
      LLVMValueRef lg = emit_log2(g, x);
      LLVMValueRef fl = fcall1(g, "llvm.floor", lg);
      r[0] = as_i(g, fl);
      r[1] = as_i(g, LLVMBuildFDiv(g->b, x, emit_exp2(g, fl), ""));
      r[2] = as_i(g, lg);
      r[3] = as_i(g, splat_f(g, 1.0f));
      break;
   }
   case JIT_OP_LIT: {
      LLVMValueRef x = as_f(g, s[0][0]);
      LLVMValueRef y = fmax_f(g, as_f(g, s[0][1]), splat_f(g, 0.0f));
      LLVMValueRef w = fmin_f(g, fmax_f(g, as_f(g, s[0][3]), splat_f(g, -128.0f)), splat_f(g, 128.0f));
      r[0] = r[3] = as_i(g, splat_f(g, 1.0f));
      r[1] = as_i(g, fmax_f(g, x, splat_f(g, 0.0f)));
      r[2] = as_i(g, sel(g, LLVMBuildFCmp(g->b, LLVMRealOGT, x, splat_f(g, 0.0f), ""), emit_pow(g, y, w),
                         splat_f(g, 0.0f)));
      break;
   }
   case JIT_OP_DST:
      r[0] = as_i(g, splat_f(g, 1.0f));
      r[1] = fbin(g, LLVMFMul, s[0][1], s[1][1]);
      r[2] = s[0][2];
      r[3] = s[1][3];
      break;
   case JIT_OP_XPD:
      r[0] = fbin(g, LLVMFSub, fbin(g, LLVMFMul, s[0][1], s[1][2]), fbin(g, LLVMFMul, s[0][2], s[1][1]));
      r[1] = fbin(g, LLVMFSub, fbin(g, LLVMFMul, s[0][2], s[1][0]), fbin(g, LLVMFMul, s[0][0], s[1][2]));
      r[2] = fbin(g, LLVMFSub, fbin(g, LLVMFMul, s[0][0], s[1][1]), fbin(g, LLVMFMul, s[0][1], s[1][0]));
      r[3] = as_i(g, splat_f(g, 1.0f));
      break;
   case JIT_OP_SCS:
      r[0] = as_i(g, emit_sincos(g, as_f(g, s[0][0]), 1));
      r[1] = as_i(g, emit_sincos(g, as_f(g, s[0][0]), 0));
      r[2] = as_i(g, splat_f(g, 0.0f));
      r[3] = as_i(g, splat_f(g, 1.0f));
      break;
   case JIT_OP_DDX: case JIT_OP_DDY: case JIT_OP_DDX_FINE: case JIT_OP_DDY_FINE:
      for (int c = 0; c < 4; c++)
         r[c] = derivative(g, op, s[0][c]);
      break;
   default:
      if (op_is_tex(op)) {
         emit_tex(g, inst, s, r);
         break;
      }
      for (int c = 0; c < 4; c++)
         r[c] = (inst->dst.writemask & (1u << c)) ? alu(g, op, s[0][c], s[1][c], s[2][c]) : LLVMConstNull(g->ty.vi);
      break;
   }
   if (inst->num_dst)
      store(g, inst, r);
}

/* ---- the function ---------------------------------------------------------------------------- */

const char *jit_llvm_unsupported(const struct jit_shader *sh)
{
   if (sh->num_temps > JIT_LLVM_MAX_TEMPS)
      return "more temporaries than the JIT keeps on its stack";
   if (sh->num_insts > JIT_LLVM_MAX_INSTS)
      return "more instructions than the JIT compiles";
   return NULL;
}

/* Blocks that flow instructions jump to: ELSE and ENDIF (skips of IF/ELSE). */
static int make_blocks(struct cg *g)
{
   g->block_at = calloc(g->sh->num_insts + 1, sizeof(*g->block_at));
   if (!g->block_at)
      return -1;
   for (uint32_t pc = 0; pc < g->sh->num_insts; pc++) {
      unsigned op = g->sh->insts[pc].opcode;
      if (op == JIT_OP_ELSE || op == JIT_OP_ENDIF)
         g->block_at[pc] = LLVMAppendBasicBlockInContext(g->c, g->fn, op == JIT_OP_ELSE ? "else" : "endif");
   }
   return 0;
}

static LLVMValueRef entry_alloca(struct cg *g, LLVMTypeRef t, unsigned n, const char *name)
{
   return LLVMBuildArrayAlloca(g->b, t, ci32(g, n ? n : 1), name);
}

static int build(const struct jit_shader *sh, void *module, const char *name, unsigned vector_bits,
                 const struct jit_tex_key *tex_keys, char *err, size_t err_size)
{
   struct cg g;
   memset(&g, 0, sizeof(g));
   g.tex_keys = tex_keys;
   g.vector_bits = vector_bits;
   const char *why = jit_llvm_unsupported(sh);
   if (why) {
      snprintf(err, err_size, "%s", why);
      return -1;
   }
   g.sh = sh;
   g.m = module;
   g.c = LLVMGetModuleContext(g.m);
   g.err = err;
   g.err_size = err_size;
   jit_llvm_types_init(&g.ty, g.c);

   LLVMTypeRef params[3] = { g.ty.t_ptr, g.ty.t_ptr, g.ty.t_i32 };
   g.fn = LLVMAddFunction(g.m, name, LLVMFunctionType(g.ty.t_i32, params, 3, 0));
   g.arg_ctx = LLVMGetParam(g.fn, 0);
   g.arg_io = LLVMGetParam(g.fn, 1);
   unsigned noalias = LLVMGetEnumAttributeKindForName("noalias", 7);
   LLVMAddAttributeAtIndex(g.fn, 2, LLVMCreateEnumAttribute(g.c, noalias, 0));
   jit_llvm_vector_width(g.c, g.fn, vector_bits);
   g.b = LLVMCreateBuilderInContext(g.c);
   LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(g.c, g.fn, "entry");
   LLVMPositionBuilderAtEnd(g.b, entry);

   /* globals: immediates (for indirect reads) and a zero word */
   g.zero_word = LLVMAddGlobal(g.m, g.ty.t_i32, "zero_word");
   LLVMSetInitializer(g.zero_word, ci32(&g, 0));
   LLVMSetGlobalConstant(g.zero_word, 1);
   LLVMSetLinkage(g.zero_word, LLVMPrivateLinkage);
   if (sh->num_imms) {
      LLVMValueRef *words = malloc(sizeof(*words) * sh->num_imms * 4);
      if (!words) {
         snprintf(err, err_size, "out of memory");
         LLVMDisposeBuilder(g.b);
         return -1;
      }
      for (uint32_t i = 0; i < sh->num_imms * 4; i++)
         words[i] = ci32(&g, sh->imms[i / 4][i % 4]);
      LLVMTypeRef at = LLVMArrayType(g.ty.t_i32, sh->num_imms * 4);
      g.imms = LLVMAddGlobal(g.m, at, "imms");
      LLVMSetInitializer(g.imms, LLVMConstArray(g.ty.t_i32, words, sh->num_imms * 4));
      LLVMSetGlobalConstant(g.imms, 1);
      LLVMSetLinkage(g.imms, LLVMPrivateLinkage);
      free(words);
   }

   /* frame */
   g.exec = entry_alloca(&g, g.ty.t_i32, 1, "exec");
   g.alive = entry_alloca(&g, g.ty.t_i32, 1, "alive");
   g.temps = entry_alloca(&g, g.ty.vi, sh->num_temps * 4, "temps");
   g.addrs = entry_alloca(&g, g.ty.vi, JIT_MAX_ADDRS * 4, "addrs");
   g.tex_src = entry_alloca(&g, g.ty.vi, 16, "tex_src");
   g.tex_dst = entry_alloca(&g, g.ty.vi, 4, "tex_dst");
   unsigned depth_c = 0, depth_l = 0, dc = 0, dl = 0;
   for (uint32_t pc = 0; pc < sh->num_insts; pc++) {
      unsigned op = sh->insts[pc].opcode;
      if (op == JIT_OP_IF || op == JIT_OP_UIF)
         depth_c = ++dc > depth_c ? dc : depth_c;
      else if (op == JIT_OP_ENDIF && dc)
         dc--;
      else if (op == JIT_OP_BGNLOOP)
         depth_l = ++dl > depth_l ? dl : depth_l;
      else if (op == JIT_OP_ENDLOOP && dl)
         dl--;
   }
   if (depth_c > JIT_MAX_NESTING || depth_l > JIT_MAX_NESTING) {
      snprintf(err, err_size, "flow nesting deeper than %u", JIT_MAX_NESTING);
      LLVMDisposeBuilder(g.b);
      return -1;
   }
   g.conds = calloc(depth_c + 1, sizeof(*g.conds));
   g.loops = calloc(depth_l + 1, sizeof(*g.loops));
   if (!g.conds || !g.loops || make_blocks(&g)) {
      snprintf(err, err_size, "out of memory");
      goto out_free;
   }
   for (unsigned i = 0; i < depth_c; i++) {
      g.conds[i].saved = entry_alloca(&g, g.ty.t_i32, 1, "if_saved");
      g.conds[i].cond = entry_alloca(&g, g.ty.t_i32, 1, "if_cond");
   }
   for (unsigned i = 0; i < depth_l; i++) {
      g.loops[i].saved = entry_alloca(&g, g.ty.t_i32, 1, "loop_saved");
      g.loops[i].brk = entry_alloca(&g, g.ty.t_i32, 1, "loop_brk");
      g.loops[i].cont = entry_alloca(&g, g.ty.t_i32, 1, "loop_cont");
      g.loops[i].iters = entry_alloca(&g, g.ty.t_i32, 1, "loop_iters");
   }
   LLVMValueRef mask = LLVMBuildAnd(g.b, LLVMGetParam(g.fn, 2), ci32(&g, (1u << LANES) - 1), "");
   store32(&g, mask, g.exec);
   store32(&g, mask, g.alive);
   for (unsigned i = 0; i < sh->num_temps * 4; i++)
      storev(&g, LLVMConstNull(g.ty.vi), elem_gep(&g, g.ty.vi, g.temps, ci32(&g, i)));
   for (unsigned i = 0; i < JIT_MAX_ADDRS * 4; i++)
      storev(&g, LLVMConstNull(g.ty.vi), elem_gep(&g, g.ty.vi, g.addrs, ci32(&g, i)));
   LLVMBasicBlockRef body = LLVMAppendBasicBlockInContext(g.c, g.fn, "body");
   LLVMBuildBr(g.b, body);
   LLVMPositionBuilderAtEnd(g.b, body);
   g.exit = LLVMAppendBasicBlockInContext(g.c, g.fn, "exit");

   for (uint32_t pc = 0; pc < sh->num_insts && !g.failed; pc++) {
      if (g.block_at[pc]) {
         LLVMBuildBr(g.b, g.block_at[pc]);
         LLVMPositionBuilderAtEnd(g.b, g.block_at[pc]);
      }
      emit_inst(&g, &sh->insts[pc], pc);
   }
   if (!g.failed && (g.nconds || g.nloops))
      fail(&g, "unterminated IF or loop", sh->num_insts ? sh->num_insts - 1 : 0);
   LLVMBuildBr(g.b, g.exit);
   LLVMPositionBuilderAtEnd(g.b, g.exit);
   LLVMBuildRet(g.b, load32(&g, g.alive));

out_free:
   free(g.conds);
   free(g.loops);
   free(g.block_at);
   LLVMDisposeBuilder(g.b);
   if (g.failed)
      return -1;
   return g.conds && g.loops ? 0 : -1;
}

int jit_llvm_build(const struct jit_shader *sh, void *module, const char *name, unsigned vector_bits, char *err,
                   size_t err_size)
{
   return build(sh, module, name, vector_bits, NULL, err, err_size);
}

void *jit_llvm_build_inlined(const struct jit_shader *sh, void *module, const char *name, unsigned vector_bits,
                             const struct jit_tex_key *tex_keys, char *err, size_t err_size)
{
   char body_name[96];
   snprintf(body_name, sizeof(body_name), "%s_body", name);
   if (build(sh, module, body_name, vector_bits, tex_keys, err, err_size))
      return NULL;
   LLVMValueRef body = LLVMGetNamedFunction(module, body_name);
   LLVMSetLinkage(body, LLVMInternalLinkage);
   unsigned ai = LLVMGetEnumAttributeKindForName("alwaysinline", 12);
   LLVMAddAttributeAtIndex(body, LLVMAttributeFunctionIndex,
                           LLVMCreateEnumAttribute(LLVMGetModuleContext(module), ai, 0));
   return body;
}
