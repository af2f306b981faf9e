/* jit_fs_fused.c: code generation of the fused fragment variant (the whole
 * per-stamp pipeline of jit_fs_ref_run in one LLVM function, 16 lanes SoA).
 * Sits between jit_llvm.c (which emits the shader body into the same
 * module) and jit_cache.c (which compiles and caches the module).
 *
 * Why the body is emitted into the module and inlined rather than called
 * through ctx->native: the fused code is then self-contained (one cache
 * entry, no dependency on the body's entry being resident), and outputs the
 * shader computes as constants (flat colors) fold into the blend and pack.
 * jit_llvm_build is used as it is: nothing in its texture code changes.
 *
 * Same bits as jit_fs_ref_run: no fast-math flags, no contraction, the
 * arithmetic order of the reference (a0 + dadx * px + dady * py, times 1/w),
 * fminf/fmaxf emulated with their NaN rules (a NaN operand yields the other
 * operand), unorm8 packing as jit_format.c (NaN and <= 0 give 0, >= 1 gives
 * 255, else rint(v * 255.0f)), depth quantization as
 * jit_format_z_quantize (Z24 through a double multiply). Unsupported keys
 * stay on the reference (jit_fs_fused_unsupported); jit_fs_ref_run also
 * runs a stamp whose primitive has fewer planes than the shader has inputs.
 *
 * Code generation: jit_cache.c uses FastISel for these functions when
 * they test stencil (an AVX-512 SelectionDAG miscompile in LLVM 19.1; the
 * comment in llvm_setup), SelectionDAG otherwise.
 *
 * Pixels: a stamp whose 16 lanes are all inside the framebuffer is read and
 * written as four rows of 4 pixels (plain vector loads and stores, writing
 * back the old value of a lane that is not written); other stamps gather and
 * scatter only the lanes inside. */
#include <llvm-c/Core.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "jit/jit_fs_fused.h"
#include "jit/jit_llvm.h"
#include "jit/jit_llvm_types.h"

#define JIT_TEX_INLINE_MAX 4 /* texture instructions with the sampler inlined; more call the sampler variant */

#define LANES JIT_LANES

/* The 8-bit UNORM color formats the fused store handles: stored byte i holds
 * RGBA channel swz[i] (4 = X, written as 0xff, read as alpha 1). */
static const struct fused_cformat {
   uint32_t id;
   uint8_t swz[4];
} cformats[] = {
   { JIT_FORMAT_B8G8R8A8_UNORM, { 2, 1, 0, 3 } }, { JIT_FORMAT_B8G8R8X8_UNORM, { 2, 1, 0, 4 } },
   { JIT_FORMAT_A8R8G8B8_UNORM, { 3, 0, 1, 2 } }, { JIT_FORMAT_X8R8G8B8_UNORM, { 4, 0, 1, 2 } },
   { JIT_FORMAT_A8B8G8R8_UNORM, { 3, 2, 1, 0 } }, { JIT_FORMAT_X8B8G8R8_UNORM, { 4, 2, 1, 0 } },
   { JIT_FORMAT_R8G8B8A8_UNORM, { 0, 1, 2, 3 } }, { JIT_FORMAT_R8G8B8X8_UNORM, { 0, 1, 2, 4 } },
};

static const struct fused_cformat *cformat(uint32_t id)
{
   for (size_t i = 0; i < sizeof(cformats) / sizeof(cformats[0]); i++)
      if (cformats[i].id == id)
         return &cformats[i];
   return NULL;
}

static int zformat_ok(uint32_t id)
{
   switch (id) {
   case JIT_FORMAT_Z16_UNORM:
   case JIT_FORMAT_Z32_FLOAT:
   case JIT_FORMAT_Z24_UNORM_S8_UINT:
   case JIT_FORMAT_S8_UINT_Z24_UNORM:
   case JIT_FORMAT_Z24X8_UNORM:
   case JIT_FORMAT_X8Z24_UNORM:
      return 1;
   default:
      return 0;
   }
}

/* How unorm8 bytes become floats with jit_format.c's bits ((float)(v / 255.0)
 * in double): 0 = v * (1/255.0f), 1 = v / 255.0f, 2 = the double division.
 * Whether the cheaper forms give the same floats for all 256 values is
 * decided once, here, rather than assumed. Also checks that packing an
 * unpacked byte gives it back (the color-mask merge relies on it). */
static int unorm8_meth = 2, unorm8_rt_ok = 0;
static pthread_once_t unorm8_once = PTHREAD_ONCE_INIT;

static void unorm8_init(void)
{
   int mul_ok = 1, div_ok = 1, rt_ok = 1;
   for (unsigned v = 0; v < 256; v++) {
      uint8_t b = (uint8_t)v, back = 0;
      float rgba[4];
      jit_format_unpack_rgba(JIT_FORMAT_R8_UNORM, &b, rgba);
      volatile float fv = (float)v, inv = 1.0f / 255.0f, d = 255.0f;
      if (fv * inv != rgba[0])
         mul_ok = 0;
      if (fv / d != rgba[0])
         div_ok = 0;
      jit_format_pack_rgba(JIT_FORMAT_R8_UNORM, rgba, &back);
      if (back != b)
         rt_ok = 0;
   }
   unorm8_meth = mul_ok ? 0 : div_ok ? 1 : 2;
   unorm8_rt_ok = rt_ok;
}

static int unorm8_method(int *roundtrip_ok)
{
   pthread_once(&unorm8_once, unorm8_init);
   *roundtrip_ok = unorm8_rt_ok;
   return unorm8_meth;
}

const char *jit_fs_fused_unsupported(const struct jit_fs_variant_key *key, const struct jit_shader *sh)
{
   int rt_ok;
   if (!sh || sh->stage != PIPE_SHADER_FRAGMENT)
      return "not a fragment shader";
   const char *why = jit_llvm_unsupported(sh);
   if (why)
      return why;
   if (key->blend.logicop_enable)
      return "logic op";
   if (key->nr_cbufs > JIT_MAX_CBUFS)
      return "too many color buffers";
   unorm8_method(&rt_ok);
   for (uint32_t rt = 0; rt < key->nr_cbufs; rt++) {
      if (!key->cbuf_format[rt] || !(key->blend.rt[rt].colormask & 0xf))
         continue;
      if (!cformat(key->cbuf_format[rt]))
         return "color format other than 8-bit UNORM RGBA";
      if ((key->blend.rt[rt].colormask & 0xf) != 0xf && !rt_ok)
         return "color mask on a format whose bytes do not round-trip";
   }
   if (key->zs_format && !zformat_ok(key->zs_format))
      return "depth/stencil format";
   return NULL;
}

/* ---- code generation ----------------------------------------------------------------------- */

struct fz {
   const struct jit_shader *sh;
   const struct jit_fs_variant_key *key;
   LLVMContextRef c;
   LLVMModuleRef m;
   LLVMBuilderRef b;
   LLVMValueRef fn;
   struct jit_llvm_types ty;
   LLVMValueRef ctx, stamp;
   LLVMValueRef x, y;            /* stamp origin, i32 */
   LLVMValueRef lx, ly;          /* <16 x i32> pixel coordinates of the lanes */
   LLVMValueRef inside16;        /* i16: lanes inside the framebuffer (lane masks cross blocks as i16, see mvec) */
   LLVMValueRef full;            /* i1: all 16 lanes inside */
};

static LLVMValueRef ci32(struct fz *g, uint32_t v) { return LLVMConstInt(g->ty.t_i32, v, 0); }
static LLVMValueRef ci64(struct fz *g, uint64_t v) { return LLVMConstInt(g->ty.t_i64, v, 0); }

static LLVMValueRef splat_i(struct fz *g, uint32_t v)
{
   LLVMValueRef e[LANES];
   for (int l = 0; l < LANES; l++)
      e[l] = ci32(g, v);
   return LLVMConstVector(e, LANES);
}

static LLVMValueRef splat_f(struct fz *g, float f)
{
   LLVMValueRef e[LANES];
   for (int l = 0; l < LANES; l++)
      e[l] = LLVMConstReal(g->ty.t_f32, f);
   return LLVMConstVector(e, LANES);
}

static LLVMValueRef splat_b(struct fz *g, int v)
{
   LLVMValueRef e[LANES];
   for (int l = 0; l < LANES; l++)
      e[l] = LLVMConstInt(g->ty.t_i1, v ? 1 : 0, 0);
   return LLVMConstVector(e, LANES);
}

static LLVMValueRef splat_v(struct fz *g, LLVMValueRef s)
{
   LLVMValueRef v = LLVMBuildInsertElement(g->b, LLVMGetUndef(LLVMVectorType(LLVMTypeOf(s), LANES)), s,
                                           ci32(g, 0), "");
   return LLVMBuildShuffleVector(g->b, v, LLVMGetUndef(LLVMTypeOf(v)), LLVMConstNull(g->ty.vi), "");
}

/* Lane masks travel between basic blocks and through scalar selects as i16
 * (one general register) and become <16 x i1> in the block that uses them.
 * (This was a first guess at the AVX-512 miscompile of
 * docs/llvm19-avx512-miscompile.ll; that one is inside a single block and
 * FastISel is what avoids it, but i16 across blocks is no worse.) */
static LLVMValueRef mvec(struct fz *g, LLVMValueRef m16) { return LLVMBuildBitCast(g->b, m16, g->ty.vb, ""); }
static LLVMValueRef m16(struct fz *g, LLVMValueRef mv) { return LLVMBuildBitCast(g->b, mv, g->ty.t_i16, ""); }

static LLVMValueRef gep(struct fz *g, LLVMValueRef base, uint64_t off)
{
   LLVMValueRef idx = ci64(g, off);
   return LLVMBuildGEP2(g->b, g->ty.t_i8, base, &idx, 1, "");
}

static LLVMValueRef load_at(struct fz *g, LLVMTypeRef t, LLVMValueRef base, uint64_t off, const char *name)
{
   return LLVMBuildLoad2(g->b, t, gep(g, base, off), name);
}

static LLVMValueRef intrin(struct fz *g, const char *name, LLVMTypeRef *over, unsigned nover, LLVMValueRef *args,
                           unsigned nargs)
{
   unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
   LLVMValueRef f = LLVMGetIntrinsicDeclaration(g->m, id, over, nover);
   LLVMTypeRef ft = LLVMIntrinsicGetType(g->c, id, over, nover);
   return LLVMBuildCall2(g->b, ft, f, args, nargs, "");
}

static LLVMValueRef fadd(struct fz *g, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildFAdd(g->b, a, b, ""); }
static LLVMValueRef fsub(struct fz *g, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildFSub(g->b, a, b, ""); }
static LLVMValueRef fmul(struct fz *g, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildFMul(g->b, a, b, ""); }
static LLVMValueRef sel(struct fz *g, LLVMValueRef c, LLVMValueRef a, LLVMValueRef b)
{
   return LLVMBuildSelect(g->b, c, a, b, "");
}
static LLVMValueRef and_(struct fz *g, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildAnd(g->b, a, b, ""); }
static LLVMValueRef or_(struct fz *g, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildOr(g->b, a, b, ""); }

/* fmaxf / fminf as C99 defines them and glibc computes them: a NaN operand
 * yields the other operand; otherwise the larger (smaller), y on ties. */
static LLVMValueRef fmaxf_v(struct fz *g, LLVMValueRef x, LLVMValueRef y)
{
   LLVMValueRef m = sel(g, LLVMBuildFCmp(g->b, LLVMRealOGT, x, y, ""), x, y);
   return sel(g, LLVMBuildFCmp(g->b, LLVMRealUNO, y, y, ""), x, m);
}

static LLVMValueRef fminf_v(struct fz *g, LLVMValueRef x, LLVMValueRef y)
{
   LLVMValueRef m = sel(g, LLVMBuildFCmp(g->b, LLVMRealOLT, x, y, ""), x, y);
   return sel(g, LLVMBuildFCmp(g->b, LLVMRealUNO, y, y, ""), x, m);
}

/* The compare function of jit_fs_ref.c's compare_rel on floats or unsigned ints. */
static LLVMValueRef compare(struct fz *g, unsigned func, int is_float, LLVMValueRef a, LLVMValueRef b)
{
   static const LLVMRealPredicate fp[8] = { 0, LLVMRealOLT, LLVMRealOEQ, LLVMRealOLE,
                                            LLVMRealOGT, LLVMRealUNE, LLVMRealOGE, 0 };
   static const LLVMIntPredicate ip[8] = { 0, LLVMIntULT, LLVMIntEQ, LLVMIntULE, LLVMIntUGT, LLVMIntNE, LLVMIntUGE, 0 };
   if (func == PIPE_FUNC_NEVER)
      return splat_b(g, 0);
   if (func > PIPE_FUNC_GEQUAL)
      return splat_b(g, 1); /* ALWAYS and unknown values, as the reference's default */
   return is_float ? LLVMBuildFCmp(g->b, fp[func], a, b, "") : LLVMBuildICmp(g->b, ip[func], a, b, "");
}

/* ---- pixels ---------------------------------------------------------------------------------- */

/* Shuffle between row-major order (row * 4 + column) and lane order. */
static LLVMValueRef lane_shuffle(struct fz *g, LLVMValueRef v, int to_lanes)
{
   LLVMValueRef e[LANES];
   for (unsigned l = 0; l < LANES; l++) {
      unsigned rm = jit_lane_y(l) * 4 + jit_lane_x(l);
      e[to_lanes ? l : rm] = ci32(g, to_lanes ? rm : l);
   }
   return LLVMBuildShuffleVector(g->b, v, LLVMGetUndef(LLVMTypeOf(v)), LLVMConstVector(e, LANES), "");
}

static LLVMValueRef row_ptr(struct fz *g, LLVMValueRef base, LLVMValueRef stride, unsigned bytes, unsigned r)
{
   LLVMValueRef yy = LLVMBuildSExt(g->b, LLVMBuildAdd(g->b, g->y, ci32(g, r), ""), g->ty.t_i64, "");
   LLVMValueRef xx = LLVMBuildSExt(g->b, g->x, g->ty.t_i64, "");
   LLVMValueRef off = LLVMBuildAdd(g->b, LLVMBuildMul(g->b, yy, LLVMBuildZExt(g->b, stride, g->ty.t_i64, ""), ""),
                                   LLVMBuildMul(g->b, xx, ci64(g, bytes), ""), "");
   return LLVMBuildGEP2(g->b, g->ty.t_i8, base, &off, 1, "");
}

static LLVMValueRef lane_ptrs(struct fz *g, LLVMValueRef base, LLVMValueRef stride, unsigned bytes)
{
   LLVMValueRef yy = LLVMBuildSExt(g->b, g->ly, g->ty.vi64, ""), xx = LLVMBuildSExt(g->b, g->lx, g->ty.vi64, "");
   LLVMValueRef off = LLVMBuildAdd(
      g->b, LLVMBuildMul(g->b, yy, splat_v(g, LLVMBuildZExt(g->b, stride, g->ty.t_i64, "")), ""),
      LLVMBuildMul(g->b, xx, splat_v(g, ci64(g, bytes)), ""), "");
   return LLVMBuildGEP2(g->b, g->ty.t_i8, base, &off, 1, "");
}

static LLVMTypeRef px_type(struct fz *g, unsigned bytes) { return bytes == 2 ? g->ty.t_i16 : g->ty.t_i32; }

/* The 16 pixels of a stamp (bytes 2 or 4 per pixel) as <16 x i32> in lane
 * order; lanes outside the framebuffer read 0. */
static LLVMValueRef px_load(struct fz *g, LLVMValueRef base, LLVMValueRef stride, unsigned bytes)
{
   LLVMTypeRef et = px_type(g, bytes), vt = LLVMVectorType(et, LANES), rt = LLVMVectorType(et, 4);
   LLVMBasicBlockRef bf = LLVMAppendBasicBlockInContext(g->c, g->fn, "px_full");
   LLVMBasicBlockRef bp = LLVMAppendBasicBlockInContext(g->c, g->fn, "px_part");
   LLVMBasicBlockRef bj = LLVMAppendBasicBlockInContext(g->c, g->fn, "px_loaded");
   LLVMBuildCondBr(g->b, g->full, bf, bp);

   LLVMPositionBuilderAtEnd(g->b, bf);
   LLVMValueRef rows[4];
   for (unsigned r = 0; r < 4; r++) {
      rows[r] = LLVMBuildLoad2(g->b, rt, row_ptr(g, base, stride, bytes, r), "");
      LLVMSetAlignment(rows[r], bytes);
   }
   LLVMValueRef e8[8], e16[16];
   for (unsigned i = 0; i < 8; i++)
      e8[i] = ci32(g, i);
   for (unsigned i = 0; i < 16; i++)
      e16[i] = ci32(g, i);
   LLVMValueRef lo = LLVMBuildShuffleVector(g->b, rows[0], rows[1], LLVMConstVector(e8, 8), "");
   LLVMValueRef hi = LLVMBuildShuffleVector(g->b, rows[2], rows[3], LLVMConstVector(e8, 8), "");
   LLVMValueRef all = LLVMBuildShuffleVector(g->b, lo, hi, LLVMConstVector(e16, 16), "");
   LLVMValueRef vfull = LLVMBuildZExt(g->b, lane_shuffle(g, all, 1), g->ty.vi, "");
   LLVMBuildBr(g->b, bj);

   LLVMPositionBuilderAtEnd(g->b, bp);
   LLVMValueRef ptrs = lane_ptrs(g, base, stride, bytes);
   LLVMTypeRef over[2] = { vt, g->ty.vptr };
   LLVMValueRef args[4] = { ptrs, ci32(g, bytes), mvec(g, g->inside16), LLVMConstNull(vt) };
   LLVMValueRef vpart = LLVMBuildZExt(g->b, intrin(g, "llvm.masked.gather", over, 2, args, 4), g->ty.vi, "");
   LLVMBuildBr(g->b, bj);

   LLVMPositionBuilderAtEnd(g->b, bj);
   return jit_llvm_phi2(g->b, vfull, bf, vpart, bp);
}

/* Write the lanes set in wmask (i16, a subset of the inside lanes); old is
 * what px_load returned (written back unchanged on the whole-stamp path). */
static void px_store(struct fz *g, LLVMValueRef base, LLVMValueRef stride, unsigned bytes, LLVMValueRef val,
                     LLVMValueRef old, LLVMValueRef wmask)
{
   LLVMTypeRef et = px_type(g, bytes), vt = LLVMVectorType(et, LANES), rt = LLVMVectorType(et, 4);
   LLVMBasicBlockRef bf = LLVMAppendBasicBlockInContext(g->c, g->fn, "st_full");
   LLVMBasicBlockRef bp = LLVMAppendBasicBlockInContext(g->c, g->fn, "st_part");
   LLVMBasicBlockRef bj = LLVMAppendBasicBlockInContext(g->c, g->fn, "st_done");
   LLVMBuildCondBr(g->b, g->full, bf, bp);

   LLVMPositionBuilderAtEnd(g->b, bf);
   LLVMValueRef v = LLVMBuildTrunc(g->b, sel(g, mvec(g, wmask), val, old), vt, "");
   v = lane_shuffle(g, v, 0);
   for (unsigned r = 0; r < 4; r++) {
      LLVMValueRef e[4];
      for (unsigned i = 0; i < 4; i++)
         e[i] = ci32(g, r * 4 + i);
      LLVMValueRef row = LLVMBuildShuffleVector(g->b, v, LLVMGetUndef(vt), LLVMConstVector(e, 4), "");
      LLVMValueRef s = LLVMBuildStore(g->b, row, row_ptr(g, base, stride, bytes, r));
      LLVMSetAlignment(s, bytes);
   }
   (void)rt;
   LLVMBuildBr(g->b, bj);

   LLVMPositionBuilderAtEnd(g->b, bp);
   LLVMValueRef ptrs = lane_ptrs(g, base, stride, bytes);
   LLVMTypeRef over[2] = { vt, g->ty.vptr };
   LLVMValueRef args[4] = { LLVMBuildTrunc(g->b, val, vt, ""), ptrs, ci32(g, bytes), mvec(g, wmask) };
   intrin(g, "llvm.masked.scatter", over, 2, args, 4);
   LLVMBuildBr(g->b, bj);

   LLVMPositionBuilderAtEnd(g->b, bj);
}

/* ---- depth / stencil ------------------------------------------------------------------------- */

static LLVMValueRef z_bits(struct fz *g, uint32_t fmt, LLVMValueRef w)
{
   switch (fmt) {
   case JIT_FORMAT_Z24_UNORM_S8_UINT:
   case JIT_FORMAT_Z24X8_UNORM:
      return and_(g, w, splat_i(g, 0xffffff));
   case JIT_FORMAT_S8_UINT_Z24_UNORM:
   case JIT_FORMAT_X8Z24_UNORM:
      return LLVMBuildLShr(g->b, w, splat_i(g, 8), "");
   default: /* Z16 (zero-extended), Z32_FLOAT */
      return w;
   }
}

static LLVMValueRef z_insert(struct fz *g, uint32_t fmt, LLVMValueRef w, LLVMValueRef q)
{
   switch (fmt) {
   case JIT_FORMAT_Z24_UNORM_S8_UINT:
   case JIT_FORMAT_Z24X8_UNORM:
      return or_(g, and_(g, w, splat_i(g, 0xff000000u)), and_(g, q, splat_i(g, 0xffffff)));
   case JIT_FORMAT_S8_UINT_Z24_UNORM:
   case JIT_FORMAT_X8Z24_UNORM:
      return or_(g, and_(g, w, splat_i(g, 0xff)), LLVMBuildShl(g->b, q, splat_i(g, 8), ""));
   default:
      return q;
   }
}

static int z_has_stencil(uint32_t fmt)
{
   return fmt == JIT_FORMAT_Z24_UNORM_S8_UINT || fmt == JIT_FORMAT_S8_UINT_Z24_UNORM;
}

static LLVMValueRef s_bits(struct fz *g, uint32_t fmt, LLVMValueRef w)
{
   if (fmt == JIT_FORMAT_Z24_UNORM_S8_UINT)
      return LLVMBuildLShr(g->b, w, splat_i(g, 24), "");
   return and_(g, w, splat_i(g, 0xff));
}

static LLVMValueRef s_insert(struct fz *g, uint32_t fmt, LLVMValueRef w, LLVMValueRef s)
{
   if (fmt == JIT_FORMAT_Z24_UNORM_S8_UINT)
      return or_(g, and_(g, w, splat_i(g, 0xffffff)), LLVMBuildShl(g->b, s, splat_i(g, 24), ""));
   return or_(g, and_(g, w, splat_i(g, 0xffffff00u)), s);
}

/* jit_format_z_quantize on a vector of depths. */
static LLVMValueRef z_quantize(struct fz *g, uint32_t fmt, LLVMValueRef z)
{
   LLVMValueRef zero = splat_f(g, 0.0f), one = splat_f(g, 1.0f);
   z = sel(g, LLVMBuildFCmp(g->b, LLVMRealOGT, z, zero, ""), z, zero); /* NaN and -0 too */
   z = sel(g, LLVMBuildFCmp(g->b, LLVMRealOGT, z, one, ""), one, z);
   if (fmt == JIT_FORMAT_Z32_FLOAT)
      return LLVMBuildBitCast(g->b, z, g->ty.vi, "");
   LLVMValueRef r;
   uint32_t max;
   if (fmt == JIT_FORMAT_Z16_UNORM) { /* pack_unorm, bits <= 16: float multiply, rint */
      max = 65535;
      LLVMValueRef p = fmul(g, z, splat_f(g, 65535.0f));
      LLVMTypeRef t = g->ty.vf;
      r = LLVMBuildFPToUI(g->b, intrin(g, "llvm.rint", &t, 1, &p, 1), g->ty.vi, "");
   } else { /* 24 bits: llrint((double)v * max) */
      max = 0xffffff;
      LLVMValueRef e[LANES];
      for (int l = 0; l < LANES; l++)
         e[l] = LLVMConstReal(g->ty.t_f64, 16777215.0);
      LLVMValueRef p = LLVMBuildFMul(g->b, LLVMBuildFPExt(g->b, z, g->ty.vf64, ""), LLVMConstVector(e, LANES), "");
      LLVMTypeRef t = g->ty.vf64;
      r = LLVMBuildFPToUI(g->b, intrin(g, "llvm.rint", &t, 1, &p, 1), g->ty.vi, "");
   }
   r = sel(g, LLVMBuildFCmp(g->b, LLVMRealOGE, z, one, ""), splat_i(g, max), r);
   return sel(g, LLVMBuildFCmp(g->b, LLVMRealOGT, z, zero, ""), r, splat_i(g, 0));
}

/* jit_stencil_op on a vector of 8-bit values (in i32 lanes). */
static LLVMValueRef stencil_op(struct fz *g, unsigned op, LLVMValueRef s, LLVMValueRef ref)
{
   LLVMValueRef ff = splat_i(g, 255), zero = splat_i(g, 0), one = splat_i(g, 1);
   switch (op) {
   case PIPE_STENCIL_OP_ZERO: return zero;
   case PIPE_STENCIL_OP_REPLACE: return ref;
   case PIPE_STENCIL_OP_INCR:
      return sel(g, LLVMBuildICmp(g->b, LLVMIntEQ, s, ff, ""), ff, LLVMBuildAdd(g->b, s, one, ""));
   case PIPE_STENCIL_OP_DECR:
      return sel(g, LLVMBuildICmp(g->b, LLVMIntEQ, s, zero, ""), zero, LLVMBuildSub(g->b, s, one, ""));
   case PIPE_STENCIL_OP_INCR_WRAP: return and_(g, LLVMBuildAdd(g->b, s, one, ""), ff);
   case PIPE_STENCIL_OP_DECR_WRAP: return and_(g, LLVMBuildSub(g->b, s, one, ""), ff);
   case PIPE_STENCIL_OP_INVERT: return LLVMBuildXor(g->b, s, ff, "");
   default: return s; /* KEEP */
   }
}

/* Stencil and depth test of one face's state: the new zs words of the
 * active lanes `m` and the lanes that pass. */
static void zs_face(struct fz *g, unsigned face, LLVMValueRef old, LLVMValueRef q, LLVMValueRef zb, LLVMValueRef m,
                    LLVMValueRef *out_word, LLVMValueRef *out_pass)
{
   const struct jit_fs_variant_key *k = g->key;
   const struct jit_stencil_key *sk = &k->stencil[face];
   int depth_test = k->depth_enabled != 0;
   LLVMValueRef word = old, pass = splat_b(g, 1);
   if (z_has_stencil(k->zs_format) && sk->enabled) {
      LLVMValueRef s = s_bits(g, k->zs_format, old);
      LLVMValueRef ref = load_at(g, g->ty.t_i32, g->ctx, offsetof(struct jit_fs_ctx, stencil_ref) + 4u * face, "sref");
      ref = and_(g, ref, ci32(g, 0xff));
      LLVMValueRef vref = splat_v(g, ref);
      LLVMValueRef vm = splat_i(g, sk->valuemask);
      LLVMValueRef stest = compare(g, sk->func, 0, and_(g, vref, vm), and_(g, s, vm));
      LLVMValueRef zpass = depth_test ? compare(g, k->depth_func, 0, q, zb) : splat_b(g, 1);
      LLVMValueRef ns = sel(g, stest,
                            sel(g, zpass, stencil_op(g, sk->zpass_op, s, vref), stencil_op(g, sk->zfail_op, s, vref)),
                            stencil_op(g, sk->fail_op, s, vref));
      LLVMValueRef wm = splat_i(g, sk->writemask);
      ns = or_(g, and_(g, s, splat_i(g, (uint8_t)~sk->writemask)), and_(g, ns, wm));
      word = sel(g, m, s_insert(g, k->zs_format, old, ns), old);
      pass = and_(g, stest, zpass);
   } else if (depth_test) {
      pass = compare(g, k->depth_func, 0, q, zb);
   }
   if (depth_test && k->depth_writemask)
      word = sel(g, and_(g, m, pass), z_insert(g, k->zs_format, word, q), word);
   *out_word = word;
   *out_pass = pass;
}

/* ---- color ----------------------------------------------------------------------------------- */

static LLVMValueRef blend_factor(struct fz *g, unsigned f, int c, LLVMValueRef src[4], LLVMValueRef src1[4],
                                 LLVMValueRef dst[4], LLVMValueRef cc[4])
{
   LLVMValueRef one = splat_f(g, 1.0f);
   switch (f) {
   case PIPE_BLENDFACTOR_ONE: return one;
   case PIPE_BLENDFACTOR_SRC_COLOR: return src[c];
   case PIPE_BLENDFACTOR_SRC_ALPHA: return src[3];
   case PIPE_BLENDFACTOR_DST_ALPHA: return dst[3];
   case PIPE_BLENDFACTOR_DST_COLOR: return dst[c];
   case PIPE_BLENDFACTOR_SRC_ALPHA_SATURATE: return c == 3 ? one : fminf_v(g, src[3], fsub(g, one, dst[3]));
   case PIPE_BLENDFACTOR_CONST_COLOR: return cc[c];
   case PIPE_BLENDFACTOR_CONST_ALPHA: return cc[3];
   case PIPE_BLENDFACTOR_SRC1_COLOR: return src1[c];
   case PIPE_BLENDFACTOR_SRC1_ALPHA: return src1[3];
   case PIPE_BLENDFACTOR_ZERO: return splat_f(g, 0.0f);
   case PIPE_BLENDFACTOR_INV_SRC_COLOR: return fsub(g, one, src[c]);
   case PIPE_BLENDFACTOR_INV_SRC_ALPHA: return fsub(g, one, src[3]);
   case PIPE_BLENDFACTOR_INV_DST_ALPHA: return fsub(g, one, dst[3]);
   case PIPE_BLENDFACTOR_INV_DST_COLOR: return fsub(g, one, dst[c]);
   case PIPE_BLENDFACTOR_INV_CONST_COLOR: return fsub(g, one, cc[c]);
   case PIPE_BLENDFACTOR_INV_CONST_ALPHA: return fsub(g, one, cc[3]);
   case PIPE_BLENDFACTOR_INV_SRC1_COLOR: return fsub(g, one, src1[c]);
   case PIPE_BLENDFACTOR_INV_SRC1_ALPHA: return fsub(g, one, src1[3]);
   default: return splat_f(g, 0.0f);
   }
}

/* jit_blend_rgba, channel by channel. */
static void blend(struct fz *g, const struct jit_blend_rt_key *rt, LLVMValueRef src[4], LLVMValueRef src1[4],
                  LLVMValueRef dst[4], LLVMValueRef cc[4], LLVMValueRef out[4])
{
   for (int c = 0; c < 4; c++) {
      unsigned func = c < 3 ? rt->rgb_func : rt->alpha_func;
      unsigned sf = c < 3 ? rt->rgb_src_factor : rt->alpha_src_factor;
      unsigned df = c < 3 ? rt->rgb_dst_factor : rt->alpha_dst_factor;
      LLVMValueRef s = src[c], d = dst[c];
      if (func == PIPE_BLEND_MIN) {
         out[c] = fminf_v(g, s, d);
         continue;
      }
      if (func == PIPE_BLEND_MAX) {
         out[c] = fmaxf_v(g, s, d);
         continue;
      }
      LLVMValueRef fs = blend_factor(g, sf, c, src, src1, dst, cc);
      LLVMValueRef fd = blend_factor(g, df, c, src, src1, dst, cc);
      if (func == PIPE_BLEND_SUBTRACT)
         out[c] = fsub(g, fmul(g, s, fs), fmul(g, d, fd));
      else if (func == PIPE_BLEND_REVERSE_SUBTRACT)
         out[c] = fsub(g, fmul(g, d, fd), fmul(g, s, fs));
      else
         out[c] = fadd(g, fmul(g, s, fs), fmul(g, d, fd));
   }
}

/* fminf(fmaxf(v, 0), 1) */
static LLVMValueRef clamp01(struct fz *g, LLVMValueRef v)
{
   return fminf_v(g, fmaxf_v(g, v, splat_f(g, 0.0f)), splat_f(g, 1.0f));
}

/* pack_unorm(v, 8) */
static LLVMValueRef pack_unorm8(struct fz *g, LLVMValueRef v)
{
   /* the multiply sees v only where it is in (0, 1) (elsewhere a constant is
    * selected): out-of-range fptoui lanes would be poison */
   LLVMValueRef in = and_(g, LLVMBuildFCmp(g->b, LLVMRealOGT, v, splat_f(g, 0.0f), ""),
                          LLVMBuildFCmp(g->b, LLVMRealOLT, v, splat_f(g, 1.0f), ""));
   LLVMValueRef p = fmul(g, sel(g, in, v, splat_f(g, 0.0f)), splat_f(g, 255.0f));
   LLVMTypeRef t = g->ty.vf;
   LLVMValueRef r = LLVMBuildFPToUI(g->b, intrin(g, "llvm.rint", &t, 1, &p, 1), g->ty.vi, "");
   r = sel(g, LLVMBuildFCmp(g->b, LLVMRealOGE, v, splat_f(g, 1.0f), ""), splat_i(g, 255), r);
   return sel(g, LLVMBuildFCmp(g->b, LLVMRealOGT, v, splat_f(g, 0.0f), ""), r, splat_i(g, 0));
}

static LLVMValueRef unpack_unorm8(struct fz *g, LLVMValueRef byte)
{
   int rt_ok;
   switch (unorm8_method(&rt_ok)) {
   case 0: return fmul(g, LLVMBuildUIToFP(g->b, byte, g->ty.vf, ""), splat_f(g, 1.0f / 255.0f));
   case 1: return LLVMBuildFDiv(g->b, LLVMBuildUIToFP(g->b, byte, g->ty.vf, ""), splat_f(g, 255.0f), "");
   default: {
      LLVMValueRef e[LANES];
      for (int l = 0; l < LANES; l++)
         e[l] = LLVMConstReal(g->ty.t_f64, 255.0);
      LLVMValueRef d = LLVMBuildFDiv(g->b, LLVMBuildUIToFP(g->b, byte, g->ty.vf64, ""), LLVMConstVector(e, LANES), "");
      return LLVMBuildFPTrunc(g->b, d, g->ty.vf, "");
   }
   }
}

static LLVMValueRef io_out(struct fz *g, LLVMValueRef io, unsigned o, unsigned c)
{
   LLVMValueRef v = LLVMBuildLoad2(
      g->b, g->ty.vf, gep(g, io, offsetof(struct jit_exec_io, out) + ((size_t)o * 4 + c) * LANES * sizeof(float)), "");
   LLVMSetAlignment(v, 16);
   return v;
}

static void emit_color(struct fz *g, unsigned rt, LLVMValueRef io, LLVMValueRef m /* i16 */, int color_out,
                       int s1_out)
{
   const struct jit_fs_variant_key *k = g->key;
   const struct jit_blend_rt_key *bk = &k->blend.rt[rt];
   const struct fused_cformat *cf = cformat(k->cbuf_format[rt]);
   unsigned mask = bk->colormask & 0xf;
   LLVMValueRef base = load_at(g, g->ty.t_ptr, g->ctx, offsetof(struct jit_fs_ctx, targets.cbuf) + rt * sizeof(void *), "cbuf");
   LLVMValueRef stride = load_at(g, g->ty.t_i32, g->ctx, offsetof(struct jit_fs_ctx, targets.cbuf_stride) + rt * 4u, "cstride");
   LLVMBasicBlockRef bdo = LLVMAppendBasicBlockInContext(g->c, g->fn, "color");
   LLVMBasicBlockRef bnext = LLVMAppendBasicBlockInContext(g->c, g->fn, "color_done");
   LLVMBuildCondBr(g->b, LLVMBuildIsNull(g->b, base, ""), bnext, bdo);
   LLVMPositionBuilderAtEnd(g->b, bdo);

   LLVMValueRef old = px_load(g, base, stride, 4);
   LLVMValueRef src[4], src1[4], res[4];
   for (unsigned c = 0; c < 4; c++) {
      src[c] = color_out >= 0 ? io_out(g, io, (unsigned)color_out, c) : splat_f(g, c == 3 ? 1.0f : 0.0f);
      src1[c] = s1_out >= 0 ? io_out(g, io, (unsigned)s1_out, c) : splat_f(g, c == 3 ? 1.0f : 0.0f);
      /* src != src ? 0 : clamp */
      src[c] = sel(g, LLVMBuildFCmp(g->b, LLVMRealUNO, src[c], src[c], ""), splat_f(g, 0.0f), clamp01(g, src[c]));
   }
   if (bk->blend_enable) {
      LLVMValueRef dst[4] = { splat_f(g, 0.0f), splat_f(g, 0.0f), splat_f(g, 0.0f), splat_f(g, 1.0f) }, cc[4];
      for (unsigned i = 0; i < 4; i++)
         if (cf->swz[i] < 4)
            dst[cf->swz[i]] = unpack_unorm8(g, and_(g, LLVMBuildLShr(g->b, old, splat_i(g, 8 * i), ""), splat_i(g, 0xff)));
      for (unsigned c = 0; c < 4; c++) {
         LLVMValueRef bc = load_at(g, g->ty.t_f32, g->ctx, offsetof(struct jit_fs_ctx, blend_color) + 4u * c, "bcolor");
         cc[c] = clamp01(g, splat_v(g, bc));
         src1[c] = clamp01(g, src1[c]);
      }
      blend(g, bk, src, src1, dst, cc, res);
   } else {
      memcpy(res, src, sizeof(res));
   }
   LLVMValueRef word = splat_i(g, 0);
   for (unsigned i = 0; i < 4; i++) {
      unsigned slot = cf->swz[i];
      LLVMValueRef byte;
      if (slot >= 4)
         byte = splat_i(g, 0xff);
      else if (mask & (1u << slot))
         byte = pack_unorm8(g, res[slot]);
      else
         byte = and_(g, LLVMBuildLShr(g->b, old, splat_i(g, 8 * i), ""), splat_i(g, 0xff));
      word = or_(g, word, i ? LLVMBuildShl(g->b, byte, splat_i(g, 8 * i), "") : byte);
   }
   px_store(g, base, stride, 4, word, old, m);
   LLVMBuildBr(g->b, bnext);
   LLVMPositionBuilderAtEnd(g->b, bnext);
}

/* Depth and stencil test and writes for the lanes in m (i16); returns the
 * lanes that passed. z from the shader's output z_out, or the plane. */
static LLVMValueRef emit_zs(struct fz *g, const struct jit_fs_variant_key *key, LLVMValueRef pl, LLVMValueRef io,
                            LLVMValueRef px, LLVMValueRef py, int z_out, LLVMValueRef m)
{
#define PLANE_F(field) splat_v(g, load_at(g, g->ty.t_f32, pl, offsetof(struct jit_fs_planes, field), #field))
   LLVMValueRef zbase = load_at(g, g->ty.t_ptr, g->ctx, offsetof(struct jit_fs_ctx, targets.zsbuf), "zsbuf");
   LLVMValueRef zstride = load_at(g, g->ty.t_i32, g->ctx, offsetof(struct jit_fs_ctx, targets.zsbuf_stride), "zstride");
   LLVMBasicBlockRef bz = LLVMAppendBasicBlockInContext(g->c, g->fn, "zs");
   LLVMBasicBlockRef bzdone = LLVMAppendBasicBlockInContext(g->c, g->fn, "zs_done");
   LLVMBasicBlockRef bfrom = LLVMGetInsertBlock(g->b);
   LLVMBuildCondBr(g->b, LLVMBuildIsNull(g->b, zbase, ""), bzdone, bz);
   LLVMPositionBuilderAtEnd(g->b, bz);
   unsigned bytes = key->zs_format == JIT_FORMAT_Z16_UNORM ? 2 : 4;
   LLVMValueRef old = px_load(g, zbase, zstride, bytes);
   LLVMValueRef z;
   if (z_out >= 0) {
      z = io_out(g, io, (unsigned)z_out, 2);
   } else {
      z = fadd(g, fadd(g, PLANE_F(z0), fmul(g, PLANE_F(dzdx), px)), fmul(g, PLANE_F(dzdy), py));
   }
   if (key->depth_clamp) {
      LLVMValueRef dmin = load_at(g, g->ty.t_f32, g->ctx, offsetof(struct jit_fs_ctx, depth_min), "dmin");
      LLVMValueRef dmax = load_at(g, g->ty.t_f32, g->ctx, offsetof(struct jit_fs_ctx, depth_max), "dmax");
      z = fminf_v(g, fmaxf_v(g, z, splat_v(g, dmin)), splat_v(g, dmax));
   }
   LLVMValueRef q = z_quantize(g, key->zs_format, z);
   LLVMValueRef zb = z_bits(g, key->zs_format, old);
   LLVMValueRef word, pass, mv = mvec(g, m);
   zs_face(g, 0, old, q, zb, mv, &word, &pass);
   if (z_has_stencil(key->zs_format) && key->stencil[1].enabled) {
      LLVMValueRef word1, pass1;
      zs_face(g, 1, old, q, zb, mv, &word1, &pass1);
      LLVMValueRef back =
         LLVMBuildICmp(g->b, LLVMIntEQ, load_at(g, g->ty.t_i32, pl, offsetof(struct jit_fs_planes, front_facing), ""),
                       ci32(g, 0), "back");
      word = sel(g, back, word1, word);
      pass = mvec(g, sel(g, back, m16(g, pass1), m16(g, pass))); /* no scalar select of <16 x i1>: see mvec */
   }
   int writes = (z_has_stencil(key->zs_format) && (key->stencil[0].enabled || key->stencil[1].enabled)) ||
                (key->depth_enabled && key->depth_writemask);
   if (writes)
      px_store(g, zbase, zstride, bytes, word, old, m);
   LLVMValueRef mz = and_(g, m, m16(g, pass));
   LLVMBasicBlockRef bzend = LLVMGetInsertBlock(g->b);
   LLVMBuildBr(g->b, bzdone);
   LLVMPositionBuilderAtEnd(g->b, bzdone);
   return jit_llvm_phi2(g->b, m, bfrom, mz, bzend);
#undef PLANE_F
}

/* ---- the function ---------------------------------------------------------------------------- */

/* The exported function: one stamp, or a covered 16x16 block as its 16
 * stamps (jit_fs_stamp.block), through one loop around one inlined copy of
 * the stamp function g->fn (two copies, one per case, made fused compiles
 * up to 1.5x slower); a single stamp is read where the caller put it. Neither pointer's memory is written during the call,
 * nor reached through another pointer (the color and depth buffers are
 * elsewhere): noalias. (LICM over the loop measured no gain; the pass
 * list has none.) */
static void build_entry(struct fz *g, const char *name, LLVMTypeRef fty, unsigned vector_bits)
{
   LLVMValueRef fn = LLVMAddFunction(g->m, name, fty);
   unsigned na = LLVMGetEnumAttributeKindForName("noalias", 7);
   for (unsigned i = 1; i <= 2; i++)
      LLVMAddAttributeAtIndex(fn, i, LLVMCreateEnumAttribute(g->c, na, 0));
   jit_llvm_vector_width(g->c, fn, vector_bits);
   LLVMBuilderRef b = LLVMCreateBuilderInContext(g->c);
   LLVMValueRef ctx = LLVMGetParam(fn, 0), stamp = LLVMGetParam(fn, 1);
   LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(g->c, fn, "entry");
   LLVMBasicBlockRef init = LLVMAppendBasicBlockInContext(g->c, fn, "block");
   LLVMBasicBlockRef loop = LLVMAppendBasicBlockInContext(g->c, fn, "stamps");
   LLVMBasicBlockRef set_xy = LLVMAppendBasicBlockInContext(g->c, fn, "block_stamp");
   LLVMBasicBlockRef call = LLVMAppendBasicBlockInContext(g->c, fn, "stamp");
   LLVMBasicBlockRef done = LLVMAppendBasicBlockInContext(g->c, fn, "done");
   LLVMPositionBuilderAtEnd(b, entry);
   LLVMValueRef st = LLVMBuildAlloca(b, LLVMArrayType(g->ty.t_i8, sizeof(struct jit_fs_stamp)), "sub");
   LLVMSetAlignment(st, 8);
#define AT(base, field) LLVMBuildGEP2(b, g->ty.t_i8, base, &(LLVMValueRef){ ci64(g, offsetof(struct jit_fs_stamp, field)) }, 1, "")
   /* one loop for both (one inlined copy of the stamp code): a stamp is
    * one trip reading the caller's stamp, a block 16 trips over a copy */
   const unsigned per_row = JIT_FS_BLOCK_SIZE / 4;
   LLVMValueRef is_block = LLVMBuildICmp(b, LLVMIntNE, LLVMBuildLoad2(b, g->ty.t_i32, AT(stamp, block), ""),
                                         ci32(g, 0), "is_block");
   LLVMValueRef n = LLVMBuildSelect(b, is_block, ci32(g, per_row * per_row), ci32(g, 1), "n");
   LLVMValueRef x0 = LLVMBuildLoad2(b, g->ty.t_i32, AT(stamp, x), "x0");
   LLVMValueRef y0 = LLVMBuildLoad2(b, g->ty.t_i32, AT(stamp, y), "y0");
   LLVMBuildCondBr(b, is_block, init, loop);
   LLVMPositionBuilderAtEnd(b, init);
   LLVMBuildStore(b, LLVMBuildLoad2(b, g->ty.t_ptr, AT(stamp, planes), "planes"), AT(st, planes));
   LLVMBuildStore(b, ci32(g, 0xffff), AT(st, mask));
   LLVMBuildStore(b, ci32(g, 0), AT(st, block));
   LLVMBuildBr(b, loop);
   LLVMPositionBuilderAtEnd(b, loop);
   LLVMValueRef i = LLVMBuildPhi(b, g->ty.t_i32, "i");
   LLVMValueRef p = LLVMBuildSelect(b, is_block, st, stamp, "p");
   LLVMBuildCondBr(b, is_block, set_xy, call);
   LLVMPositionBuilderAtEnd(b, set_xy);
   LLVMValueRef sx = LLVMBuildMul(b, LLVMBuildURem(b, i, ci32(g, per_row), ""), ci32(g, 4), "");
   LLVMValueRef sy = LLVMBuildMul(b, LLVMBuildUDiv(b, i, ci32(g, per_row), ""), ci32(g, 4), "");
   LLVMBuildStore(b, LLVMBuildAdd(b, x0, sx, ""), AT(st, x));
   LLVMBuildStore(b, LLVMBuildAdd(b, y0, sy, ""), AT(st, y));
   LLVMBuildBr(b, call);
   LLVMPositionBuilderAtEnd(b, call);
   LLVMValueRef sargs[2] = { ctx, p };
   LLVMBuildCall2(b, fty, g->fn, sargs, 2, "");
   LLVMValueRef next = LLVMBuildAdd(b, i, ci32(g, 1), "");
   LLVMValueRef vals[3] = { ci32(g, 0), ci32(g, 0), next };
   LLVMBasicBlockRef from[3] = { entry, init, call };
   LLVMAddIncoming(i, vals, from, 3);
   LLVMBuildCondBr(b, LLVMBuildICmp(b, LLVMIntULT, next, n, ""), loop, done);
#undef AT
   LLVMPositionBuilderAtEnd(b, done);
   LLVMBuildRetVoid(b);
   LLVMDisposeBuilder(b);
}

int jit_fs_fused_inlines_samplers(const struct jit_shader *sh)
{
   unsigned ntex = 0; /* each inlined sampler costs ~30 ms of compile */
   for (uint32_t i = 0; i < sh->num_insts; i++)
      ntex += sh->insts[i].opcode >= JIT_OP_TEX && sh->insts[i].opcode <= JIT_OP_TXL; /* the inline sampler's */
   return ntex <= JIT_TEX_INLINE_MAX;
}

int jit_fs_fused_build(const struct jit_shader *sh, const struct jit_fs_variant_key *key, int inline_samplers,
                       void *module, const char *name, unsigned vector_bits, char *err, size_t err_size)
{
   struct fz g;
   memset(&g, 0, sizeof(g));
   const char *why = jit_fs_fused_unsupported(key, sh);
   if (why) {
      snprintf(err, err_size, "fused variant: %s", why);
      return -1;
   }
   g.sh = sh;
   g.key = key;
   g.m = module;
   g.c = LLVMGetModuleContext(g.m);

   const struct jit_tex_key *tex = inline_samplers && jit_fs_fused_inlines_samplers(sh) ? key->tex : NULL;
   LLVMValueRef body = jit_llvm_build_inlined(sh, module, name, vector_bits, tex, err, err_size);
   if (!body)
      return -1;

   jit_llvm_types_init(&g.ty, g.c);

   LLVMTypeRef params[2] = { g.ty.t_ptr, g.ty.t_ptr };
   LLVMTypeRef fty = LLVMFunctionType(g.ty.t_void, params, 2, 0);
   char stamp_name[96];
   snprintf(stamp_name, sizeof(stamp_name), "%s_stamp", name);
   g.fn = LLVMAddFunction(g.m, stamp_name, fty);
   LLVMSetLinkage(g.fn, LLVMInternalLinkage);
   unsigned ai = LLVMGetEnumAttributeKindForName("alwaysinline", 12);
   LLVMAddAttributeAtIndex(g.fn, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(g.c, ai, 0));
   g.ctx = LLVMGetParam(g.fn, 0);
   g.stamp = LLVMGetParam(g.fn, 1);
   jit_llvm_vector_width(g.c, g.fn, vector_bits);
   g.b = LLVMCreateBuilderInContext(g.c);
   LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(g.c, g.fn, "entry");
   LLVMPositionBuilderAtEnd(g.b, entry);
   LLVMValueRef io = LLVMBuildAlloca(g.b, LLVMArrayType(g.ty.t_i8, sizeof(struct jit_exec_io)), "io");
   LLVMSetAlignment(io, 64);

   /* stamp, planes, lanes inside the framebuffer */
   g.x = load_at(&g, g.ty.t_i32, g.stamp, offsetof(struct jit_fs_stamp, x), "x");
   g.y = load_at(&g, g.ty.t_i32, g.stamp, offsetof(struct jit_fs_stamp, y), "y");
   LLVMValueRef smask = load_at(&g, g.ty.t_i32, g.stamp, offsetof(struct jit_fs_stamp, mask), "mask");
   LLVMValueRef pl = load_at(&g, g.ty.t_ptr, g.stamp, offsetof(struct jit_fs_stamp, planes), "planes");
   LLVMValueRef ex[LANES], ey[LANES];
   for (unsigned l = 0; l < LANES; l++) {
      ex[l] = ci32(&g, jit_lane_x(l));
      ey[l] = ci32(&g, jit_lane_y(l));
   }
   g.lx = LLVMBuildAdd(g.b, splat_v(&g, g.x), LLVMConstVector(ex, LANES), "lx");
   g.ly = LLVMBuildAdd(g.b, splat_v(&g, g.y), LLVMConstVector(ey, LANES), "ly");
   LLVMValueRef width = load_at(&g, g.ty.t_i32, g.ctx, offsetof(struct jit_fs_ctx, targets.width), "width");
   LLVMValueRef height = load_at(&g, g.ty.t_i32, g.ctx, offsetof(struct jit_fs_ctx, targets.height), "height");
   g.inside16 = m16(&g, and_(&g, LLVMBuildICmp(g.b, LLVMIntULT, g.lx, splat_v(&g, width), ""),
                             LLVMBuildICmp(g.b, LLVMIntULT, g.ly, splat_v(&g, height), "")));
   g.full = LLVMBuildICmp(g.b, LLVMIntEQ, g.inside16, LLVMConstInt(g.ty.t_i16, 0xffff, 0), "full");

   /* fewer planes than inputs (never from src/raster): the reference's partial initialisation */
   LLVMBasicBlockRef bref = LLVMAppendBasicBlockInContext(g.c, g.fn, "reference");
   LLVMBasicBlockRef bgo = LLVMAppendBasicBlockInContext(g.c, g.fn, "interpolate");
   LLVMBasicBlockRef bret = LLVMAppendBasicBlockInContext(g.c, g.fn, "ret");
   LLVMValueRef nplanes = load_at(&g, g.ty.t_i32, pl, offsetof(struct jit_fs_planes, num_inputs), "nplanes");
   LLVMBuildCondBr(g.b, LLVMBuildICmp(g.b, LLVMIntULT, nplanes, ci32(&g, sh->num_inputs), ""), bref, bgo);
   LLVMPositionBuilderAtEnd(g.b, bref);
   {
      LLVMValueRef fp = LLVMConstIntToPtr(ci64(&g, (uint64_t)(uintptr_t)&jit_fs_ref_run), g.ty.t_ptr);
      LLVMValueRef args[2] = { g.ctx, g.stamp };
      LLVMBuildCall2(g.b, fty, fp, args, 2, "");
      LLVMBuildBr(g.b, bret);
   }
   LLVMPositionBuilderAtEnd(g.b, bgo);

   /* interpolation: a0 + dadx * px + dady * py, times 1 / w for perspective */
   LLVMValueRef px = LLVMBuildSIToFP(g.b, g.lx, g.ty.vf, "px"), py = LLVMBuildSIToFP(g.b, g.ly, g.ty.vf, "py");
#define PLANE_F(field) splat_v(&g, load_at(&g, g.ty.t_f32, pl, offsetof(struct jit_fs_planes, field), #field))
   LLVMValueRef inv_w = NULL;
   for (uint32_t i = 0; i < sh->num_inputs; i++)
      if (key->interp[i] == JIT_INTERP_PERSPECTIVE && !inv_w) {
         LLVMValueRef w = fadd(&g, fadd(&g, PLANE_F(w0), fmul(&g, PLANE_F(dwdx), px)), fmul(&g, PLANE_F(dwdy), py));
         inv_w = LLVMBuildFDiv(g.b, splat_f(&g, 1.0f), w, "inv_w");
      }
   if (sh->num_inputs) {
      LLVMValueRef a0 = load_at(&g, g.ty.t_ptr, pl, offsetof(struct jit_fs_planes, a0), "a0");
      LLVMValueRef dadx = load_at(&g, g.ty.t_ptr, pl, offsetof(struct jit_fs_planes, dadx), "dadx");
      LLVMValueRef dady = load_at(&g, g.ty.t_ptr, pl, offsetof(struct jit_fs_planes, dady), "dady");
      for (uint32_t i = 0; i < sh->num_inputs; i++)
         for (unsigned c = 0; c < 4; c++) {
            uint64_t off = ((uint64_t)i * 4 + c) * 4;
            LLVMValueRef a = fadd(&g,
                                  fadd(&g, splat_v(&g, load_at(&g, g.ty.t_f32, a0, off, "")),
                                       fmul(&g, splat_v(&g, load_at(&g, g.ty.t_f32, dadx, off, "")), px)),
                                  fmul(&g, splat_v(&g, load_at(&g, g.ty.t_f32, dady, off, "")), py));
            if (key->interp[i] == JIT_INTERP_PERSPECTIVE)
               a = fmul(&g, a, inv_w);
            LLVMValueRef s = LLVMBuildStore(
               g.b, a, gep(&g, io, offsetof(struct jit_exec_io, in) + ((size_t)i * 4 + c) * LANES * sizeof(float)));
            LLVMSetAlignment(s, 16);
         }
   }
   /* outputs and system values as the reference initialises them */
   LLVMBuildStore(g.b, load_at(&g, g.ty.t_i32, pl, offsetof(struct jit_fs_planes, front_facing), "face"),
                  gep(&g, io, offsetof(struct jit_exec_io, front_facing)));
   LLVMBuildStore(g.b, ci32(&g, 0), gep(&g, io, offsetof(struct jit_exec_io, instance_id)));
   LLVMSetAlignment(LLVMBuildStore(g.b, splat_i(&g, 0), gep(&g, io, offsetof(struct jit_exec_io, vertex_id))), 4);
   uint32_t nout = sh->num_outputs ? sh->num_outputs : 1;
   for (uint32_t o = 0; o < nout; o++)
      for (unsigned c = 0; c < 4; c++) {
         int one = c == 3 && o < sh->num_outputs && sh->outputs[o].semantic == JIT_SEM_COLOR;
         LLVMValueRef s = LLVMBuildStore(
            g.b, splat_f(&g, one ? 1.0f : 0.0f),
            gep(&g, io, offsetof(struct jit_exec_io, out) + ((size_t)o * 4 + c) * LANES * sizeof(float)));
         LLVMSetAlignment(s, 16);
      }

   int color_out[JIT_MAX_CBUFS];
   for (unsigned rt = 0; rt < JIT_MAX_CBUFS; rt++)
      color_out[rt] = jit_shader_output(sh, JIT_SEM_COLOR, sh->fs_color0_writes_all_cbufs ? 0 : rt);
   int s1_out = jit_shader_output(sh, JIT_SEM_COLOR, 1);
   int z_out = sh->writes_z ? jit_shader_output(sh, JIT_SEM_POSITION, 0) : -1;

   /* Early depth/stencil when nothing the shader does can change its outcome
    * (no KILL, no depth output, no alpha test): the same test and writes as
    * after the shader, on the same lanes, so the same bits; a stamp with no
    * lane left skips the body (front-to-back overdraw). A stamp with a lane
    * left runs the body on all its lanes as the reference does, so
    * derivatives see the same quads. */
   int early_zs = key->zs_format && z_out < 0 && !key->alpha_enabled && !sh->uses_kill;
   LLVMValueRef m_early = NULL;
   if (early_zs) {
      m_early = emit_zs(&g, key, pl, io, px, py, -1, and_(&g, LLVMBuildTrunc(g.b, smask, g.ty.t_i16, ""), g.inside16));
      LLVMBasicBlockRef bshade = LLVMAppendBasicBlockInContext(g.c, g.fn, "shade");
      LLVMBuildCondBr(g.b, LLVMBuildICmp(g.b, LLVMIntEQ, m_early, LLVMConstInt(g.ty.t_i16, 0, 0), ""), bret, bshade);
      LLVMPositionBuilderAtEnd(g.b, bshade);
   }

   /* the body */
   LLVMTypeRef bparams[3] = { g.ty.t_ptr, g.ty.t_ptr, g.ty.t_i32 };
   LLVMValueRef bargs[3] = { gep(&g, g.ctx, offsetof(struct jit_fs_ctx, stage)), io, smask };
   LLVMValueRef alive = LLVMBuildCall2(g.b, LLVMFunctionType(g.ty.t_i32, bparams, 3, 0), body, bargs, 3, "alive");
   LLVMBasicBlockRef bpipe = LLVMAppendBasicBlockInContext(g.c, g.fn, "pipeline");
   LLVMBuildCondBr(g.b, LLVMBuildICmp(g.b, LLVMIntEQ, alive, ci32(&g, 0), ""), bret, bpipe);
   LLVMPositionBuilderAtEnd(g.b, bpipe);
   LLVMValueRef m = and_(&g, LLVMBuildTrunc(g.b, alive, g.ty.t_i16, ""), early_zs ? m_early : g.inside16); /* i16 */

   /* alpha test */
   if (key->alpha_enabled) {
      LLVMValueRef a = color_out[0] >= 0 ? io_out(&g, io, (unsigned)color_out[0], 3) : splat_f(&g, 1.0f);
      LLVMValueRef ref = splat_v(&g, load_at(&g, g.ty.t_f32, g.ctx, offsetof(struct jit_fs_ctx, alpha_ref), "aref"));
      m = and_(&g, m, m16(&g, compare(&g, key->alpha_func, 1, a, ref)));
   }

   /* depth and stencil after the shader (it may kill, write z, or feed the alpha test) */
   if (key->zs_format && !early_zs)
      m = emit_zs(&g, key, pl, io, px, py, z_out, m);

   /* color: nothing to do when every lane failed (occluded layers) */
   LLVMBasicBlockRef bcolor = LLVMAppendBasicBlockInContext(g.c, g.fn, "colors");
   LLVMBuildCondBr(g.b, LLVMBuildICmp(g.b, LLVMIntEQ, m, LLVMConstInt(g.ty.t_i16, 0, 0), ""), bret, bcolor);
   LLVMPositionBuilderAtEnd(g.b, bcolor);
   for (unsigned rt = 0; rt < key->nr_cbufs && rt < JIT_MAX_CBUFS; rt++) {
      if (!key->cbuf_format[rt] || !(key->blend.rt[rt].colormask & 0xf))
         continue;
      emit_color(&g, rt, io, m, color_out[rt], s1_out);
   }
   LLVMBuildBr(g.b, bret);
   LLVMPositionBuilderAtEnd(g.b, bret);
   LLVMBuildRetVoid(g.b);
#undef PLANE_F
   LLVMDisposeBuilder(g.b);
   build_entry(&g, name, fty, vector_bits);
   return 0;
}
