/* jit_llvm_tex.c: texture sampling compiled into shader code, the vector
 * twin of jit_tex.c for the common case. A TEX/TXP/TXB/TXL tests the draw's
 * view and sampler once (a uniform branch, not per lane): a 2D or RECT view
 * of a 4-byte 8-bit UNORM/sRGB format (jit_format_rgba8_layouts), one of
 * the eight wraps (wrap_compiled), a sane layout size. Then it samples all 16 lanes
 * with vector code; anything else calls jit_tex_exec as before.
 *
 * Why not a key: the code cache is keyed by TGSI text + stage, and sampler
 * state and view formats arrive per draw (jit_stage_ctx), so the code must
 * handle every state it may meet; filters, mip filter, wraps, swizzle,
 * normalization, LOD clamps and the format's channel order are uniform
 * run-time values here, not compile-time constants.
 *
 * Same bits as the reference: every float operation is the one jit_tex.c
 * performs, in its order, without contraction (LLVM fuses nothing unless
 * asked); fminf/fmaxf and the x86 float->int conversion are spelled out
 * with their NaN and overflow answers; unpacking follows
 * jit_format_rgba8_layouts (sRGB through jit_format.c's own table, UNORM
 * as v / 255.0f, which check_jit_format proves equal to its table), and
 * UNORM bilinear filtering is jit_tex.c's integer filter_unorm8; log2 is
 * llvm.log2, which calls libm's log2f as the reference does. Every texel
 * address is computed in 64 bits and checked against jit_texture.size
 * before the load, as texel() does (a lying layout reads zeros, never out
 * of bounds), except where jit_texture_check_levels found every level of
 * the view inside the storage: wrapped coordinates then cannot leave it
 * (tessera_tex_level).
 *
 * Shape: the state test is inline in the shader function; the sampling
 * is one library compiled once per process (jit_cache.c builds it at
 * start-up): tessera_tex_sample2d (LOD, per-lane filter and levels, the
 * mip lerp, swizzle) calls tessera_tex_level (one level's filtering) once,
 * or twice when some lane blends two levels, which calls
 * tessera_tex_texel (fetch and unpack) once per tap; both are inlined
 * (always-inline, so the taps stay in registers: replay of the bench's
 * texture scene ~20 -> ~16 ms/frame). Generic over the
 * state, it is the same code for every shader, so a textured shader's
 * compile pays for the test and a call only (the demo's: ~11 ms, as
 * before; with the sampler compiled into each shader it took ~40 ms).
 *
 * Sampler variants (jit_llvm_tex_variant_build): the same generator with
 * t->spec set, where field() answers the key's static state (format and
 * its layout, target, swizzle, wraps, filters, normalization) with
 * constants, so the passes fold the selects and branches on it away. The
 * shader calls jit_texture.sample2d when set, else the library. */
#include <limits.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "jit/jit_format.h"
#include "jit/jit_llvm_tex.h"
#include "jit/jit_llvm_types.h"
#include "jit/jit_pipe.h"
#include "jit/jit_tex.h"

#define LANES JIT_LANES
#define TEX_MAX_DIM (1u << 24)   /* larger levels fall back: texel coordinates (clamped to +-2^24 by the
                                  * reference), sizes as floats and the wrap arithmetic stay exact in
                                  * 32 bits below it */

_Static_assert(offsetof(struct jit_format_rgba8, table) == 0, "spec_field takes offsets below the table's end as the table");

/* Code generation state: of one texture instruction (in a shader), or of
 * one function of the sampling library. */
struct tx {
   LLVMBuilderRef b;
   LLVMModuleRef m;
   LLVMContextRef c;
   LLVMValueRef fn;
   struct jit_llvm_types ty;
   LLVMTypeRef t_out;                   /* [4 x <16 x float>], RGBA results */
   LLVMValueRef tex, smp, lay;          /* &ctx->textures[unit], &ctx->samplers[unit], the format's jit_format_rgba8 */
   const struct jit_tex_key *spec;      /* a sampler variant's state (its fields of tex, smp, lay are constants) */
   unsigned vector_bits;                /* of the host: 512 = AVX-512F (the window loads) */
   const char *owner;                   /* the sampling function's name (a variant's helpers carry it) */
};

/* ---- small helpers ------------------------------------------------------------------------------ */

static LLVMValueRef ci32(struct tx *t, uint32_t v) { return LLVMConstInt(t->ty.t_i32, v, 0); }

static LLVMValueRef cf32(struct tx *t, float f) { return LLVMConstReal(t->ty.t_f32, f); }

static LLVMValueRef splat(struct tx *t, LLVMValueRef scalar)
{
   LLVMTypeRef vt = LLVMVectorType(LLVMTypeOf(scalar), LANES);
   if (LLVMIsConstant(scalar)) {
      LLVMValueRef e[LANES];
      for (int l = 0; l < LANES; l++)
         e[l] = scalar;
      return LLVMConstVector(e, LANES);
   }
   LLVMValueRef v = LLVMBuildInsertElement(t->b, LLVMGetUndef(vt), scalar, ci32(t, 0), "");
   return LLVMBuildShuffleVector(t->b, v, LLVMGetUndef(vt), LLVMConstNull(LLVMVectorType(t->ty.t_i32, LANES)), "");
}

static LLVMValueRef vf(struct tx *t, float f) { return splat(t, cf32(t, f)); }
static LLVMValueRef vi(struct tx *t, uint32_t v) { return splat(t, ci32(t, v)); }

static LLVMValueRef byte_ptr(struct tx *t, LLVMValueRef base, size_t off)
{
   LLVMValueRef idx = LLVMConstInt(t->ty.t_i64, off, 0);
   return LLVMBuildGEP2(t->b, t->ty.t_i8, base, &idx, 1, "");
}

static LLVMValueRef spec_field(struct tx *t, LLVMTypeRef ty, LLVMValueRef base, size_t off);

/* A field of a state struct: loaded, or the variant's constant. */
static LLVMValueRef field(struct tx *t, LLVMTypeRef ty, LLVMValueRef base, size_t off)
{
   LLVMValueRef k = t->spec ? spec_field(t, ty, base, off) : NULL;
   return k ? k : LLVMBuildLoad2(t->b, ty, byte_ptr(t, base, off), "");
}

/* The constant a sampler variant has for field `off` of base (t->tex,
 * t->smp or t->lay), or NULL when the field is a run-time value. */
static LLVMValueRef spec_field(struct tx *t, LLVMTypeRef ty, LLVMValueRef base, size_t off)
{
   const struct jit_tex_key *k = t->spec;
   uint64_t v;
   if (base == t->tex) {
      if (off == offsetof(struct jit_texture, format))
         v = k->format;
      else if (off == offsetof(struct jit_texture, target))
         v = k->target;
      else if (off >= offsetof(struct jit_texture, swizzle) && off < offsetof(struct jit_texture, swizzle) + 4)
         v = k->swizzle[off - offsetof(struct jit_texture, swizzle)];
      else
         return NULL;
   } else if (base == t->smp) {
      if (off == offsetof(struct jit_sampler, wrap_s))
         v = k->wrap_s;
      else if (off == offsetof(struct jit_sampler, wrap_t))
         v = k->wrap_t;
      else if (off == offsetof(struct jit_sampler, min_img_filter))
         v = k->min_img_filter;
      else if (off == offsetof(struct jit_sampler, mag_img_filter))
         v = k->mag_img_filter;
      else if (off == offsetof(struct jit_sampler, min_mip_filter))
         v = k->min_mip_filter;
      else if (off == offsetof(struct jit_sampler, normalized_coords))
         v = k->normalized_coords;
      else
         return NULL;
   } else if (base == t->lay) {
      const struct jit_format_rgba8 *l = &jit_format_rgba8_layouts()[k->format];
      if (off < offsetof(struct jit_format_rgba8, table) + sizeof(l->table))
         return LLVMConstIntToPtr(LLVMConstInt(t->ty.t_i64, (uint64_t)(uintptr_t)
                                  l->table[(off - offsetof(struct jit_format_rgba8, table)) / sizeof(void *)], 0), ty);
      if (off >= offsetof(struct jit_format_rgba8, shift) && off < offsetof(struct jit_format_rgba8, shift) + 16)
         v = l->shift[(off - offsetof(struct jit_format_rgba8, shift)) / 4];
      else if (off == offsetof(struct jit_format_rgba8, srgb))
         v = l->srgb;
      else if (off == offsetof(struct jit_format_rgba8, no_alpha))
         v = l->no_alpha;
      else
         return NULL;
   } else {
      return NULL;
   }
   return LLVMConstInt(ty, v, 0);
}

static LLVMValueRef intrin(struct tx *t, const char *name, LLVMTypeRef *over, unsigned nover, LLVMValueRef *args,
                           unsigned nargs)
{
   unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
   LLVMValueRef f = LLVMGetIntrinsicDeclaration(t->m, id, over, nover);
   LLVMTypeRef ft = LLVMIntrinsicGetType(t->c, id, over, nover);
   return LLVMBuildCall2(t->b, ft, f, args, nargs, "");
}

static LLVMValueRef vfloor(struct tx *t, LLVMValueRef v)
{
   LLVMTypeRef ty = LLVMTypeOf(v);
   return intrin(t, "llvm.floor", &ty, 1, &v, 1);
}

static LLVMValueRef sel(struct tx *t, LLVMValueRef c, LLVMValueRef a, LLVMValueRef b)
{
   return LLVMBuildSelect(t->b, c, a, b, "");
}

static LLVMValueRef fadd(struct tx *t, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildFAdd(t->b, a, b, ""); }
static LLVMValueRef fsub(struct tx *t, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildFSub(t->b, a, b, ""); }
static LLVMValueRef fmul(struct tx *t, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildFMul(t->b, a, b, ""); }

static LLVMValueRef fcmp(struct tx *t, LLVMRealPredicate p, LLVMValueRef a, LLVMValueRef b)
{
   return LLVMBuildFCmp(t->b, p, a, b, "");
}

static LLVMValueRef icmp(struct tx *t, LLVMIntPredicate p, LLVMValueRef a, LLVMValueRef b)
{
   return LLVMBuildICmp(t->b, p, a, b, "");
}

static LLVMValueRef and1(struct tx *t, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildAnd(t->b, a, b, ""); }

/* C's fmaxf/fminf: a NaN operand yields the other one. (When a == b the
 * operands may differ only in the sign of zero, which no later step of the
 * reference can see: LODs and texel coordinates only meet comparisons with
 * zero, floor and subtraction of their own floor.) */
static LLVMValueRef cmaxmin(struct tx *t, int is_max, LLVMValueRef a, LLVMValueRef b)
{
   LLVMValueRef pick_a = fcmp(t, is_max ? LLVMRealOGT : LLVMRealOLT, a, b);
   pick_a = LLVMBuildOr(t->b, pick_a, fcmp(t, LLVMRealUNO, b, b), "");
   LLVMValueRef r = sel(t, pick_a, a, b);
   return sel(t, fcmp(t, LLVMRealUNO, a, a), b, r);
}

/* jit_tex.c's lod_to_int: (int)x, INT_MIN for NaN and out of range. A
 * plain fptosi whose out-of-range lanes the select drops (llvm.fptosi.sat
 * would do, but x86 lowers it one lane at a time). */
static LLVMValueRef lod_to_int(struct tx *t, LLVMValueRef x)
{
   LLVMValueRef i = LLVMBuildFPToSI(t->b, x, t->ty.vi, "");
   LLVMValueRef in = and1(t, fcmp(t, LLVMRealOGE, x, vf(t, -2147483648.0f)), fcmp(t, LLVMRealOLT, x, vf(t, 2147483648.0f)));
   return sel(t, in, i, vi(t, (uint32_t)INT_MIN));
}

static LLVMValueRef iclamp(struct tx *t, LLVMValueRef v, LLVMValueRef lo, LLVMValueRef hi)
{
   v = sel(t, icmp(t, LLVMIntSLT, v, lo), lo, v);
   return sel(t, icmp(t, LLVMIntSGT, v, hi), hi, v);
}

/* lanes of a <16 x i1> as an i1 "any" */
static LLVMValueRef any(struct tx *t, LLVMValueRef m)
{
   LLVMValueRef bits = LLVMBuildBitCast(t->b, m, t->ty.t_i16, "");
   return icmp(t, LLVMIntNE, bits, LLVMConstInt(t->ty.t_i16, 0, 0));
}

/* base[idx[l]] per lane, idx in units of elem (bytes when bytewise), as 16
 * scalar loads: every lane's index must be a valid address (callers pass 0
 * for lanes that must not read). Not llvm.masked.gather: targets without
 * fast gathers (AVX2 before Skylake, AMD, valgrind's CPU) scalarize it
 * into longer code with a branch per lane, which valgrind 3.19 cannot even
 * translate ("VEX temporary storage exhausted"), and on AVX-512 the demo
 * was no faster with hardware gathers. */
static LLVMValueRef gather(struct tx *t, LLVMTypeRef elem, LLVMValueRef base, LLVMValueRef idx, int bytewise)
{
   LLVMValueRef v = LLVMGetUndef(LLVMVectorType(elem, LANES));
   for (int l = 0; l < LANES; l++) {
      LLVMValueRef i = LLVMBuildZExt(t->b, LLVMBuildExtractElement(t->b, idx, ci32(t, (unsigned)l), ""), t->ty.t_i64, "");
      LLVMValueRef p = LLVMBuildGEP2(t->b, bytewise ? t->ty.t_i8 : elem, base, &i, 1, "");
      LLVMValueRef ld = LLVMBuildLoad2(t->b, elem, p, "");
      LLVMSetAlignment(ld, bytewise ? 1 : 4);
      v = LLVMBuildInsertElement(t->b, v, ld, ci32(t, (unsigned)l), "");
   }
   return v;
}

/* lane l <- lane (l & ~3) + k: the 2x2 quad's k-th pixel */
static LLVMValueRef quad_pick(struct tx *t, LLVMValueRef v, unsigned k)
{
   LLVMValueRef e[LANES];
   for (int l = 0; l < LANES; l++)
      e[l] = ci32(t, (unsigned)(l & ~3) + k);
   return LLVMBuildShuffleVector(t->b, v, LLVMGetUndef(LLVMTypeOf(v)), LLVMConstVector(e, LANES), "");
}

/* ---- the module's sampling functions ---------------------------------------------------------- */

/* An alloca in the entry block of t->fn (SROA's place for it). */
static LLVMValueRef entry_alloca(struct tx *t, LLVMTypeRef ty)
{
   LLVMBuilderRef eb = LLVMCreateBuilderInContext(t->c);
   LLVMBasicBlockRef entry = LLVMGetEntryBasicBlock(t->fn);
   LLVMValueRef first = LLVMGetFirstInstruction(entry);
   if (first)
      LLVMPositionBuilderBefore(eb, first);
   else
      LLVMPositionBuilderAtEnd(eb, entry);
   LLVMValueRef a = LLVMBuildAlloca(eb, ty, "");
   LLVMDisposeBuilder(eb);
   return a;
}

static LLVMValueRef out_ptr(struct tx *t, LLVMValueRef out, unsigned c)
{
   return byte_ptr(t, out, c * (size_t)LANES * 4);
}

/* Start internal function `name` of the module with these parameters, on a
 * builder of its own; returns 0 if it exists already (*fn set). */
static int begin_fn(struct tx *t, struct tx *h, const char *base, LLVMTypeRef *params, unsigned n, LLVMValueRef *fn)
{
   char name[128]; /* a variant's helpers are its own: one module may hold several variants */
   snprintf(name, sizeof(name), "%s%s%s", base, t->spec ? "." : "", t->spec ? t->owner : "");
   *fn = LLVMGetNamedFunction(t->m, name);
   if (*fn)
      return 0;
   *fn = LLVMAddFunction(t->m, name, LLVMFunctionType(LLVMVoidTypeInContext(t->c), params, n, 0));
   LLVMSetLinkage(*fn, LLVMInternalLinkage);
   unsigned ai = LLVMGetEnumAttributeKindForName("alwaysinline", 12);
   LLVMAddAttributeAtIndex(*fn, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(t->c, ai, 0));
   LLVMAttributeRef vw = LLVMGetStringAttributeAtIndex(t->fn, LLVMAttributeFunctionIndex, "prefer-vector-width", 19);
   if (vw)
      LLVMAddAttributeAtIndex(*fn, LLVMAttributeFunctionIndex, vw);
   *h = *t;
   h->fn = *fn;
   h->b = LLVMCreateBuilderInContext(t->c);
   LLVMPositionBuilderAtEnd(h->b, LLVMAppendBasicBlockInContext(t->c, *fn, "entry"));
   return 1;
}

static void end_fn(struct tx *h)
{
   LLVMBuildRetVoid(h->b);
   LLVMDisposeBuilder(h->b);
}

/* A two-way phi at t's builder. */
static LLVMValueRef phi2(struct tx *t, LLVMValueRef a, LLVMBasicBlockRef from_a, LLVMValueRef b,
                         LLVMBasicBlockRef from_b)
{
   return jit_llvm_phi2(t->b, a, from_a, b, from_b);
}

/* void tessera_tex_unpack(lay, word, out): one texel word per lane (an X
 * byte set to 255, see x_byte) as RGBA floats, as jit_format_unpack_rgba
 * unpacks the format lay describes. */
static LLVMValueRef unpack_fn(struct tx *t)
{
   LLVMTypeRef params[3] = { t->ty.t_ptr, t->ty.vi, t->ty.t_ptr };
   LLVMValueRef fn;
   struct tx h;
   if (!begin_fn(t, &h, "tessera_tex_unpack", params, 3, &fn))
      return fn;
   struct tx *u = &h;
   LLVMValueRef lay = LLVMGetParam(fn, 0), word = LLVMGetParam(fn, 1), out = LLVMGetParam(fn, 2);
   u->lay = lay;
   LLVMValueRef byte[4], v[4];
   for (unsigned c = 0; c < 4; c++) {
      LLVMValueRef sh = field(u, u->ty.t_i32, lay, offsetof(struct jit_format_rgba8, shift) + c * 4u);
      byte[c] = LLVMBuildAnd(u->b, LLVMBuildLShr(u->b, word, splat(u, sh), ""), vi(u, 255), "");
      /* unorm8[v] = (float)((double)v / 255.0) = (float)v / 255.0f: double rounding is exact for a
       * quotient of floats when the wider format has 2p + 2 bits (53 >= 50); check_jit_format tests it */
      v[c] = LLVMBuildFDiv(u->b, LLVMBuildUIToFP(u->b, byte[c], u->ty.vf, ""), vf(u, 255.0f), "");
   }
   LLVMValueRef srgb = field(u, u->ty.t_i32, lay, offsetof(struct jit_format_rgba8, srgb));
   LLVMBasicBlockRef lin_end = LLVMGetInsertBlock(u->b);
   LLVMBasicBlockRef dec = LLVMAppendBasicBlockInContext(u->c, fn, "srgb");
   LLVMBasicBlockRef join = LLVMAppendBasicBlockInContext(u->c, fn, "unpacked");
   LLVMBuildCondBr(u->b, icmp(u, LLVMIntNE, srgb, ci32(u, 0)), dec, join);
   LLVMPositionBuilderAtEnd(u->b, dec);
   LLVMValueRef dv[3];
   for (unsigned c = 0; c < 3; c++) {
      LLVMValueRef tab = field(u, u->ty.t_ptr, lay, offsetof(struct jit_format_rgba8, table) + c * sizeof(void *));
      dv[c] = gather(u, u->ty.t_f32, tab, byte[c], 0);
   }
   LLVMBasicBlockRef dec_end = LLVMGetInsertBlock(u->b);
   LLVMBuildBr(u->b, join);
   LLVMPositionBuilderAtEnd(u->b, join);
   LLVMValueRef r[4] = { NULL, NULL, NULL, v[3] };
   for (unsigned c = 0; c < 3; c++)
      r[c] = phi2(u, v[c], lin_end, dv[c], dec_end);
   for (unsigned c = 0; c < 4; c++)
      LLVMBuildStore(u->b, r[c], out_ptr(u, out, c));
   end_fn(u);
   return fn;
}

static void call_unpack(struct tx *t, LLVMValueRef word, LLVMValueRef out)
{
   LLVMValueRef ufn = unpack_fn(t);
   LLVMValueRef args[3] = { t->lay, word, out };
   LLVMBuildCall2(t->b, LLVMGlobalGetValueType(ufn), ufn, args, 3, "");
}

/* void tessera_tex_texel(data, size, xbyte, lvl_off, row, x, y, mask, out):
 * the word of one texel per lane at (x, y) of the level whose layout is
 * lvl_off/row, for the lanes in mask, its X byte set (xbyte, see x_byte):
 * jit_tex.c's texel_word; 0 where it lies past size. */
static LLVMValueRef texel_fn(struct tx *t)
{
   LLVMTypeRef params[9] = { t->ty.t_ptr, t->ty.t_i64, t->ty.vi, t->ty.vi, t->ty.vi, t->ty.vi, t->ty.vi, t->ty.vb, t->ty.t_ptr };
   LLVMValueRef fn;
   struct tx h;
   if (!begin_fn(t, &h, "tessera_tex_texel", params, 9, &fn))
      return fn;
   LLVMValueRef data = LLVMGetParam(fn, 0), size = LLVMGetParam(fn, 1);
   LLVMValueRef lvl_off = LLVMGetParam(fn, 3), row = LLVMGetParam(fn, 4), x = LLVMGetParam(fn, 5);
   LLVMValueRef y = LLVMGetParam(fn, 6), mask = LLVMGetParam(fn, 7), out = LLVMGetParam(fn, 8);
   LLVMValueRef xbyte = LLVMGetParam(fn, 2);
   struct tx *u = &h;
   /* 64-bit address: a hostile row stride or level offset cannot wrap into range */
   LLVMValueRef off = LLVMBuildZExt(u->b, lvl_off, u->ty.vi64, "");
   off = LLVMBuildAdd(u->b, off, LLVMBuildMul(u->b, LLVMBuildZExt(u->b, y, u->ty.vi64, ""),
                                             LLVMBuildZExt(u->b, row, u->ty.vi64, ""), ""), "");
   off = LLVMBuildAdd(u->b, off, LLVMBuildShl(u->b, LLVMBuildZExt(u->b, x, u->ty.vi64, ""),
                                             splat(u, LLVMConstInt(u->ty.t_i64, 2, 0)), ""), "");
   LLVMValueRef end = LLVMBuildAdd(u->b, off, splat(u, LLVMConstInt(u->ty.t_i64, 4, 0)), "");
   LLVMValueRef inb = icmp(u, LLVMIntULE, end, splat(u, size));
   /* lanes out of bounds or not asked for read the first texel (size >= 4 was tested) */
   LLVMValueRef idx = LLVMBuildTrunc(u->b, sel(u, and1(u, mask, inb), off, LLVMConstNull(u->ty.vi64)), u->ty.vi, "");
   LLVMValueRef word = LLVMBuildOr(u->b, gather(u, u->ty.t_i32, data, idx, 1), xbyte, "");
   LLVMBuildStore(u->b, sel(u, inb, word, vi(u, 0)), out);
   end_fn(u);
   return fn;
}

/* Size of level lvl (per lane, absolute): jit_tex.c's level_dim. */
static LLVMValueRef level_dim(struct tx *t, LLVMValueRef base, LLVMValueRef lvl)
{
   LLVMValueRef d = LLVMBuildLShr(t->b, splat(t, base), lvl, "");
   return sel(t, icmp(t, LLVMIntEQ, d, vi(t, 0)), vi(t, 1), d);
}

/* Normalized coordinates: the sampler says so and the view is not RECT. */
static LLVMValueRef normalized(struct tx *t)
{
   LLVMValueRef target = field(t, t->ty.t_i32, t->tex, offsetof(struct jit_texture, target));
   LLVMValueRef nc = field(t, t->ty.t_i8, t->smp, offsetof(struct jit_sampler, normalized_coords));
   return and1(t, icmp(t, LLVMIntNE, nc, LLVMConstInt(t->ty.t_i8, 0, 0)),
               icmp(t, LLVMIntNE, target, ci32(t, PIPE_TEXTURE_RECT)));
}

/* The wraps the compiled sampler takes: all eight. Those with border
 * texels (CLAMP, CLAMP_TO_BORDER, MIRROR_CLAMP_TO_BORDER) load a texel
 * clamped to the edge instead and use the border color there. */
static int wrap_compiled(unsigned wrap)
{
   return wrap <= PIPE_TEX_WRAP_MIRROR_CLAMP_TO_BORDER;
}

static LLVMValueRef wrap_is(struct tx *t, LLVMValueRef wrap, unsigned mode)
{
   return splat(t, icmp(t, LLVMIntEQ, wrap, LLVMConstInt(t->ty.t_i8, mode, 0)));
}

/* Texel index pair along one axis of one level: jit_tex.c's to_texel,
 * floor and wrap_index (wrap: the sampler's i8 field), nearest or linear
 * per lane; b0, b1: where wrap_index answers border (-1), the index is
 * clamped to the edge instead. */
static void axis(struct tx *t, LLVMValueRef coord, LLVMValueRef size, LLVMValueRef wrap, LLVMValueRef norm,
                 LLVMValueRef lin, LLVMValueRef *i0, LLVMValueRef *i1, LLVMValueRef *frac, LLVMValueRef *b0,
                 LLVMValueRef *b1)
{
   LLVMValueRef sizef = LLVMBuildSIToFP(t->b, size, t->ty.vf, "");
   LLVMValueRef c = sel(t, fcmp(t, LLVMRealUNO, coord, coord), vf(t, 0.0f), coord);
   LLVMValueRef u = sel(t, splat(t, norm), fmul(t, c, sizef), c);
   /* GL_CLAMP: clamped to [0, size] before filtering */
   u = sel(t, wrap_is(t, wrap, PIPE_TEX_WRAP_CLAMP), cmaxmin(t, 0, cmaxmin(t, 1, u, vf(t, 0.0f)), sizef), u);
   u = cmaxmin(t, 1, u, vf(t, -16777216.0f));
   u = cmaxmin(t, 0, u, vf(t, 16777216.0f));
   LLVMValueRef ul = fsub(t, u, vf(t, 0.5f));
   LLVMValueRef fl = vfloor(t, sel(t, lin, ul, u));
   *frac = fsub(t, ul, fl);
   LLVMValueRef i = LLVMBuildFPToSI(t->b, fl, t->ty.vi, ""); /* |fl| <= 2^24 */
   LLVMValueRef one = vi(t, 1);
   /* REPEAT: i mod size (in [0, size)). A power-of-two size in every lane
    * (most textures) is a mask, two's complement giving negative i its
    * positive remainder; else fl / size is within one of the true quotient
    * (|fl| <= 2^24, exact operands, one rounding) and fix-ups do the rest.
    * The branch skips the divide, the costliest instruction of the filter. */
   LLVMValueRef size_m1 = LLVMBuildSub(t->b, size, one, "");
   LLVMValueRef pot = icmp(t, LLVMIntEQ, LLVMBuildAnd(t->b, size, size_m1, ""), vi(t, 0));
   LLVMValueRef all_pot = icmp(t, LLVMIntEQ, LLVMBuildBitCast(t->b, pot, t->ty.t_i16, ""),
                               LLVMConstInt(t->ty.t_i16, 0xffff, 0));
   LLVMBasicBlockRef from = LLVMGetInsertBlock(t->b);
   LLVMBasicBlockRef div_bb = LLVMAppendBasicBlockInContext(t->c, t->fn, "repeat_div");
   LLVMBasicBlockRef join = LLVMAppendBasicBlockInContext(t->c, t->fn, "repeat_done");
   /* the quotient's parity, for MIRROR_REPEAT: with a power-of-two size, bit log2(size) of i */
   LLVMValueRef m_pot = LLVMBuildAnd(t->b, i, size_m1, "");
   LLVMValueRef odd_pot = icmp(t, LLVMIntNE, LLVMBuildAnd(t->b, i, size, ""), vi(t, 0));
   LLVMBuildCondBr(t->b, all_pot, join, div_bb);
   LLVMPositionBuilderAtEnd(t->b, div_bb);
   LLVMValueRef q = LLVMBuildFPToSI(t->b, vfloor(t, LLVMBuildFDiv(t->b, fl, sizef, "")), t->ty.vi, "");
   LLVMValueRef m = LLVMBuildSub(t->b, i, LLVMBuildMul(t->b, q, size, ""), "");
   LLVMValueRef low = icmp(t, LLVMIntSLT, m, vi(t, 0));
   m = sel(t, low, LLVMBuildAdd(t->b, m, size, ""), m);
   q = sel(t, low, LLVMBuildSub(t->b, q, one, ""), q);
   LLVMValueRef high = icmp(t, LLVMIntSGE, m, size);
   m = sel(t, high, LLVMBuildSub(t->b, m, size, ""), m);
   q = sel(t, high, LLVMBuildAdd(t->b, q, one, ""), q);
   LLVMValueRef odd_div = icmp(t, LLVMIntNE, LLVMBuildAnd(t->b, q, one, ""), vi(t, 0));
   LLVMBasicBlockRef div_end = LLVMGetInsertBlock(t->b);
   LLVMBuildBr(t->b, join);
   LLVMPositionBuilderAtEnd(t->b, join);
   m = phi2(t, m_pot, from, m, div_end);
   LLVMValueRef odd = phi2(t, odd_pot, from, odd_div, div_end);
   LLVMValueRef m1 = LLVMBuildAdd(t->b, m, one, "");
   LLVMValueRef carry = icmp(t, LLVMIntEQ, m1, size); /* i + 1 is in the next period */
   m1 = sel(t, carry, vi(t, 0), m1);
   LLVMValueRef odd1 = LLVMBuildXor(t->b, odd, carry, "");
   /* CLAMP_TO_EDGE */
   LLVMValueRef hi = LLVMBuildSub(t->b, size, one, "");
   LLVMValueRef i_1 = LLVMBuildAdd(t->b, i, one, "");
   LLVMValueRef e0 = iclamp(t, i, vi(t, 0), hi);
   LLVMValueRef e1 = iclamp(t, i_1, vi(t, 0), hi);
   /* MIRROR_REPEAT: the period of 2 size is the repeat of size, reflected when the quotient is odd */
   LLVMValueRef r0 = sel(t, odd, LLVMBuildSub(t->b, hi, m, ""), m);
   LLVMValueRef r1 = sel(t, odd1, LLVMBuildSub(t->b, hi, m1, ""), m1);
   /* MIRROR_CLAMP(_TO_EDGE, _TO_BORDER): -1 - i below 0 (|i| <= 2^24: no overflow), then clamped to the edge */
   LLVMValueRef neg0 = icmp(t, LLVMIntSLT, i, vi(t, 0)), neg1 = icmp(t, LLVMIntSLT, i_1, vi(t, 0));
   LLVMValueRef c0 = sel(t, neg0, LLVMBuildSub(t->b, vi(t, (uint32_t)-1), i, ""), i);
   LLVMValueRef c1 = sel(t, neg1, LLVMBuildSub(t->b, vi(t, (uint32_t)-1), i_1, ""), i_1);
   LLVMValueRef c0_out = icmp(t, LLVMIntSGT, c0, hi), c1_out = icmp(t, LLVMIntSGT, c1, hi);
   c0 = sel(t, c0_out, hi, c0);
   c1 = sel(t, c1_out, hi, c1);
   LLVMValueRef is_rep = wrap_is(t, wrap, PIPE_TEX_WRAP_REPEAT);
   LLVMValueRef is_mrep = wrap_is(t, wrap, PIPE_TEX_WRAP_MIRROR_REPEAT);
   LLVMValueRef is_mborder = wrap_is(t, wrap, PIPE_TEX_WRAP_MIRROR_CLAMP_TO_BORDER);
   LLVMValueRef is_mclamp = LLVMBuildOr(t->b, LLVMBuildOr(t->b, wrap_is(t, wrap, PIPE_TEX_WRAP_MIRROR_CLAMP_TO_EDGE),
                                                          wrap_is(t, wrap, PIPE_TEX_WRAP_MIRROR_CLAMP), ""),
                                        is_mborder, "");
   *i0 = sel(t, is_rep, m, sel(t, is_mrep, r0, sel(t, is_mclamp, c0, e0)));
   *i1 = sel(t, is_rep, m1, sel(t, is_mrep, r1, sel(t, is_mclamp, c1, e1)));
   /* border: CLAMP and CLAMP_TO_BORDER outside [0, size); MIRROR_CLAMP_TO_BORDER where the mirror passes the edge */
   LLVMValueRef is_border = LLVMBuildOr(t->b, wrap_is(t, wrap, PIPE_TEX_WRAP_CLAMP),
                                        wrap_is(t, wrap, PIPE_TEX_WRAP_CLAMP_TO_BORDER), "");
   LLVMValueRef out0 = LLVMBuildOr(t->b, neg0, icmp(t, LLVMIntSGT, i, hi), "");
   LLVMValueRef out1 = LLVMBuildOr(t->b, neg1, icmp(t, LLVMIntSGT, i_1, hi), "");
   *b0 = LLVMBuildOr(t->b, and1(t, is_border, out0), and1(t, is_mborder, c0_out), "");
   *b1 = LLVMBuildOr(t->b, and1(t, is_border, out1), and1(t, is_mborder, c1_out), "");
}

/* Whether every lane of an i32 vector equals lane 0; that lane. */
static LLVMValueRef uniform(struct tx *t, LLVMValueRef v, LLVMValueRef *lane0)
{
   *lane0 = LLVMBuildExtractElement(t->b, v, ci32(t, 0), "");
   LLVMValueRef eq = LLVMBuildBitCast(t->b, icmp(t, LLVMIntEQ, v, splat(t, *lane0)), t->ty.t_i16, "");
   return icmp(t, LLVMIntEQ, eq, LLVMConstInt(t->ty.t_i16, 0xffff, 0));
}

/* Whether the host stores the lower-addressed texel of an 8-byte load in
 * its low half (the paired loads below rely on it). */
static int little_endian(void)
{
   const uint16_t probe = 1;
   uint8_t low;
   memcpy(&low, &probe, 1);
   return low == 1;
}

/* The X byte of the format's texel words, set to 255 (A = 1) before
 * unpacking or filtering (jit_tex.c's texel_word); 0 for formats with A. */
static LLVMValueRef x_byte(struct tx *t)
{
   LLVMValueRef no_alpha = field(t, t->ty.t_i32, t->lay, offsetof(struct jit_format_rgba8, no_alpha));
   LLVMValueRef sh = field(t, t->ty.t_i32, t->lay, offsetof(struct jit_format_rgba8, shift) + 3 * 4u);
   LLVMValueRef x = LLVMBuildShl(t->b, ci32(t, 255), sh, "");
   return splat(t, sel(t, icmp(t, LLVMIntNE, no_alpha, ci32(t, 0)), x, ci32(t, 0)));
}

/* Tap k's words in the level function's word array. */
static LLVMValueRef word_ptr(struct tx *t, LLVMValueRef words, unsigned k)
{
   return byte_ptr(t, words, k * (size_t)LANES * 4);
}

/* jit_tex.c's weight8: (int)(frac * 256 + 0.5). */
static LLVMValueRef weight8(struct tx *t, LLVMValueRef frac)
{
   return LLVMBuildFPToSI(t->b, fadd(t, fmul(t, frac, vf(t, 256.0f)), vf(t, 0.5f)), t->ty.vi, "");
}

/* vpermi2d: lane l <- (idx[l] & 16 ? b : a)[idx[l] & 15]. */
static LLVMValueRef permi2(struct tx *t, LLVMValueRef a, LLVMValueRef idx, LLVMValueRef b)
{
   const char *name = "llvm.x86.avx512.vpermi2var.d.512";
   unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
   LLVMValueRef f = LLVMGetIntrinsicDeclaration(t->m, id, NULL, 0);
   LLVMValueRef args[3] = { a, idx, b };
   return LLVMBuildCall2(t->b, LLVMIntrinsicGetType(t->c, id, NULL, 0), f, args, 3, "");
}

/* The four taps' words from a window of 4 rows x 16 texels (AVX-512F):
 * where one level serves all lanes, every lane's rows are y0 and y0 + 1,
 * and the lanes' x0 lie within 14 columns and y0 within 2 rows of a base
 * near lane 0's, four 64-byte row loads and permutes replace 32 scalar
 * loads. The four rows from the base must end inside size (a lane's texels
 * do; the window may read past its row, never past the storage). Emits the
 * test (to `other` when it fails) and, in the window block left current,
 * the words. Magnified textures (the bench's texture and shader scenes)
 * take it for all but a few stamps. */
static void window_words(struct tx *u, LLVMValueRef data, LLVMValueRef size, LLVMValueRef uni, LLVMValueRef lvl_off,
                         LLVMValueRef row, LLVMValueRef x0, LLVMValueRef y0, LLVMValueRef y1, LLVMBasicBlockRef other,
                         LLVMValueRef w[4])
{
   LLVMValueRef zero = ci32(u, 0);
   LLVMValueRef xl = LLVMBuildExtractElement(u->b, x0, zero, ""), yl = LLVMBuildExtractElement(u->b, y0, zero, "");
   LLVMValueRef xb = LLVMBuildSub(u->b, xl, ci32(u, 7), ""), yb = LLVMBuildSub(u->b, yl, ci32(u, 1), "");
   xb = sel(u, icmp(u, LLVMIntSLT, xb, zero), zero, xb);
   yb = sel(u, icmp(u, LLVMIntSLT, yb, zero), zero, yb);
   LLVMValueRef dx = LLVMBuildSub(u->b, x0, splat(u, xb), ""), dy = LLVMBuildSub(u->b, y0, splat(u, yb), "");
   LLVMValueRef in = and1(u, icmp(u, LLVMIntULE, dx, vi(u, 14)), icmp(u, LLVMIntULE, dy, vi(u, 2)));
   in = and1(u, in, icmp(u, LLVMIntEQ, y1, LLVMBuildAdd(u->b, y0, vi(u, 1), "")));
   LLVMValueRef ok = and1(u, uni, icmp(u, LLVMIntEQ, LLVMBuildBitCast(u->b, in, u->ty.t_i16, ""),
                                       LLVMConstInt(u->ty.t_i16, 0xffff, 0)));
   /* lane 0's level layout is every lane's (uni); 64-bit sums: a hostile stride cannot wrap */
   LLVMTypeRef i64 = u->ty.t_i64;
   LLVMValueRef row64 = LLVMBuildZExt(u->b, LLVMBuildExtractElement(u->b, row, zero, ""), i64, "");
   LLVMValueRef off = LLVMBuildZExt(u->b, LLVMBuildExtractElement(u->b, lvl_off, zero, ""), i64, "");
   off = LLVMBuildAdd(u->b, off, LLVMBuildMul(u->b, LLVMBuildZExt(u->b, yb, i64, ""), row64, ""), "");
   off = LLVMBuildAdd(u->b, off, LLVMBuildShl(u->b, LLVMBuildZExt(u->b, xb, i64, ""), LLVMConstInt(i64, 2, 0), ""), "");
   LLVMValueRef end = LLVMBuildAdd(u->b, LLVMBuildAdd(u->b, off, LLVMBuildMul(u->b, row64, LLVMConstInt(i64, 3, 0), ""), ""),
                                   LLVMConstInt(i64, 64, 0), "");
   ok = and1(u, ok, icmp(u, LLVMIntULE, end, size));
   LLVMBasicBlockRef win = LLVMAppendBasicBlockInContext(u->c, u->fn, "window");
   LLVMBuildCondBr(u->b, ok, win, other);
   LLVMPositionBuilderAtEnd(u->b, win);
   LLVMValueRef v[4];
   for (unsigned r = 0; r < 4; r++) {
      LLVMValueRef o = LLVMBuildAdd(u->b, off, LLVMBuildMul(u->b, row64, LLVMConstInt(i64, r, 0), ""), "");
      LLVMValueRef ld = LLVMBuildLoad2(u->b, u->ty.vi, LLVMBuildGEP2(u->b, u->ty.t_i8, data, &o, 1, ""), "");
      LLVMSetAlignment(ld, 1);
      v[r] = ld;
   }
   /* tap (column c, row r of the window): rows 0-1 or 2-3 as one 32-entry table, bit 4 = the odd row */
   for (unsigned k = 0; k < 4; k++) {
      LLVMValueRef c = k & 1 ? LLVMBuildAdd(u->b, dx, vi(u, 1), "") : dx;
      LLVMValueRef r = k & 2 ? LLVMBuildAdd(u->b, dy, vi(u, 1), "") : dy;
      LLVMValueRef idx = LLVMBuildOr(u->b, c, LLVMBuildShl(u->b, LLVMBuildAnd(u->b, r, vi(u, 1), ""), vi(u, 4), ""), "");
      w[k] = sel(u, icmp(u, LLVMIntUGE, r, vi(u, 2)), permi2(u, v[2], idx, v[3]), permi2(u, v[0], idx, v[1]));
   }
}

/* void tessera_tex_level(tex, smp, lay, c0, c1, rel, lin, mask, out):
 * jit_tex.c's sample_level for a 2D view: level first_level + rel (per
 * lane), filter LINEAR where lin, for the lanes in mask.
 *
 * Two ways to the texels, same values: when jit_texture.levels_inside
 * says every level of the view lies inside the storage, the wrapped
 * coordinates (always inside their level) need no bounds test, offsets
 * fit 32 bits (fast_state bounds size by INT32_MAX), and where every
 * lane's second column is its first plus one, each row's two texels come
 * from one 8-byte load (half the loads). Otherwise every texel takes
 * tessera_tex_texel's 64-bit checked path. */
static LLVMValueRef level_fn(struct tx *t)
{
   LLVMTypeRef params[9] = { t->ty.t_ptr, t->ty.t_ptr, t->ty.t_ptr, t->ty.vf, t->ty.vf, t->ty.vi, t->ty.vb, t->ty.vb, t->ty.t_ptr };
   LLVMValueRef fn;
   struct tx h;
   LLVMValueRef tfn = texel_fn(t);
   if (!begin_fn(t, &h, "tessera_tex_level", params, 9, &fn))
      return fn;
   struct tx *u = &h;
   u->tex = LLVMGetParam(fn, 0);
   u->smp = LLVMGetParam(fn, 1);
   u->lay = LLVMGetParam(fn, 2);
   LLVMValueRef c0 = LLVMGetParam(fn, 3), c1 = LLVMGetParam(fn, 4), rel = LLVMGetParam(fn, 5);
   LLVMValueRef lin = LLVMGetParam(fn, 6), mask = LLVMGetParam(fn, 7), out = LLVMGetParam(fn, 8);
   LLVMValueRef data = field(u, u->ty.t_ptr, u->tex, offsetof(struct jit_texture, data));
   LLVMValueRef size = field(u, u->ty.t_i64, u->tex, offsetof(struct jit_texture, size));
   LLVMValueRef first = field(u, u->ty.t_i32, u->tex, offsetof(struct jit_texture, first_level));
   LLVMValueRef width = field(u, u->ty.t_i32, u->tex, offsetof(struct jit_texture, width));
   LLVMValueRef height = field(u, u->ty.t_i32, u->tex, offsetof(struct jit_texture, height));
   LLVMValueRef inside = field(u, u->ty.t_i32, u->tex, offsetof(struct jit_texture, levels_inside));
   LLVMValueRef norm = normalized(u);
   LLVMValueRef lvl = LLVMBuildAdd(u->b, splat(u, first), rel, "");
   LLVMValueRef w = level_dim(u, width, lvl), hgt = level_dim(u, height, lvl);
   /* lvl is in [first_level, last_level], below JIT_MAX_LEVELS: the loads stay inside the arrays;
    * one level for all lanes (the common case) is two loads, not two gathers */
   LLVMValueRef lvl0;
   LLVMValueRef uni = uniform(u, lvl, &lvl0);
   LLVMBasicBlockRef uni_bb = LLVMAppendBasicBlockInContext(u->c, fn, "one_level");
   LLVMBasicBlockRef var_bb = LLVMAppendBasicBlockInContext(u->c, fn, "lane_levels");
   LLVMBasicBlockRef lay_bb = LLVMAppendBasicBlockInContext(u->c, fn, "level_layout");
   LLVMBuildCondBr(u->b, uni, uni_bb, var_bb);
   LLVMPositionBuilderAtEnd(u->b, uni_bb);
   LLVMValueRef i0 = LLVMBuildZExt(u->b, lvl0, u->ty.t_i64, "");
   LLVMValueRef uoff = splat(u, LLVMBuildLoad2(u->b, u->ty.t_i32, LLVMBuildGEP2(u->b, u->ty.t_i32,
                             byte_ptr(u, u->tex, offsetof(struct jit_texture, level_offset)), &i0, 1, ""), ""));
   LLVMValueRef urow = splat(u, LLVMBuildLoad2(u->b, u->ty.t_i32, LLVMBuildGEP2(u->b, u->ty.t_i32,
                             byte_ptr(u, u->tex, offsetof(struct jit_texture, row_stride)), &i0, 1, ""), ""));
   LLVMBuildBr(u->b, lay_bb);
   LLVMPositionBuilderAtEnd(u->b, var_bb);
   LLVMValueRef voff = gather(u, u->ty.t_i32, byte_ptr(u, u->tex, offsetof(struct jit_texture, level_offset)), lvl, 0);
   LLVMValueRef vrow = gather(u, u->ty.t_i32, byte_ptr(u, u->tex, offsetof(struct jit_texture, row_stride)), lvl, 0);
   LLVMBuildBr(u->b, lay_bb);
   LLVMPositionBuilderAtEnd(u->b, lay_bb);
   LLVMValueRef lvl_off = phi2(u, uoff, uni_bb, voff, var_bb);
   LLVMValueRef row = phi2(u, urow, uni_bb, vrow, var_bb);
   LLVMValueRef x0, x1, fx, y0, y1, fy, bx[2], by[2];
   axis(u, c0, w, field(u, u->ty.t_i8, u->smp, offsetof(struct jit_sampler, wrap_s)), norm, lin, &x0, &x1, &fx, &bx[0],
        &bx[1]);
   axis(u, c1, hgt, field(u, u->ty.t_i8, u->smp, offsetof(struct jit_sampler, wrap_t)), norm, lin, &y0, &y1, &fy, &by[0],
        &by[1]);
   /* border taps (tap k: column k & 1, row k >> 1) and the lanes whose value has one: a linear lane's
    * four taps then go through the float filter (as jit_tex.c's do), a nearest lane's tap is the color */
   LLVMValueRef tb[4], border[4];
   for (unsigned k = 0; k < 4; k++)
      tb[k] = LLVMBuildOr(u->b, bx[k & 1], by[k >> 1], "");
   LLVMValueRef tb_any = LLVMBuildOr(u->b, LLVMBuildOr(u->b, tb[0], tb[1], ""), LLVMBuildOr(u->b, tb[2], tb[3], ""), "");
   LLVMValueRef bordered = sel(u, lin, tb_any, tb[0]);
   for (unsigned c = 0; c < 4; c++)
      border[c] = splat(u, field(u, u->ty.t_f32, u->smp, offsetof(struct jit_sampler, border_color) + 4 * c));

   LLVMValueRef xbyte = x_byte(u);
   LLVMValueRef words = entry_alloca(u, LLVMArrayType(u->ty.vi, 4));
   LLVMValueRef lmask = and1(u, mask, lin);
   LLVMValueRef any_lin = any(u, lmask);
   LLVMBasicBlockRef fast = LLVMAppendBasicBlockInContext(u->c, fn, "inside");
   LLVMBasicBlockRef checked = LLVMAppendBasicBlockInContext(u->c, fn, "checked");
   LLVMBasicBlockRef filter = LLVMAppendBasicBlockInContext(u->c, fn, "bilinear");
   LLVMBasicBlockRef single = LLVMAppendBasicBlockInContext(u->c, fn, "nearest");
   LLVMBuildCondBr(u->b, icmp(u, LLVMIntNE, inside, ci32(u, 0)), fast, checked);

   /* inside: 32-bit offsets, no tests */
   LLVMPositionBuilderAtEnd(u->b, fast);
   LLVMValueRef two = vi(u, 2);
   LLVMValueRef row0 = LLVMBuildAdd(u->b, lvl_off, LLVMBuildMul(u->b, y0, row, ""), "");
   LLVMValueRef row1 = LLVMBuildAdd(u->b, lvl_off, LLVMBuildMul(u->b, y1, row, ""), "");
   LLVMValueRef col0 = LLVMBuildShl(u->b, x0, two, ""), col1 = LLVMBuildShl(u->b, x1, two, "");
   LLVMBasicBlockRef fast4 = LLVMAppendBasicBlockInContext(u->c, fn, "inside_bilinear");
   LLVMBasicBlockRef fast1 = LLVMAppendBasicBlockInContext(u->c, fn, "inside_nearest");
   LLVMBuildCondBr(u->b, any_lin, fast4, fast1);
   LLVMPositionBuilderAtEnd(u->b, fast1);
   LLVMValueRef w0 = gather(u, u->ty.t_i32, data, LLVMBuildAdd(u->b, row0, col0, ""), 1);
   LLVMBuildStore(u->b, LLVMBuildOr(u->b, w0, xbyte, ""), word_ptr(u, words, 0));
   LLVMBuildBr(u->b, single);
   LLVMPositionBuilderAtEnd(u->b, fast4);
   LLVMValueRef word[4];
   if (little_endian()) {
      /* every lane's x1 is x0 + 1 (not the wrap to 0 or the clamp at the edge) */
      LLVMValueRef adj = icmp(u, LLVMIntEQ, x1, LLVMBuildAdd(u->b, x0, vi(u, 1), ""));
      LLVMValueRef paired = icmp(u, LLVMIntEQ, LLVMBuildBitCast(u->b, adj, u->ty.t_i16, ""),
                                 LLVMConstInt(u->ty.t_i16, 0xffff, 0));
      LLVMBasicBlockRef pair_bb = LLVMAppendBasicBlockInContext(u->c, fn, "paired");
      LLVMBasicBlockRef quad_bb = LLVMAppendBasicBlockInContext(u->c, fn, "four");
      LLVMBasicBlockRef words_bb = LLVMAppendBasicBlockInContext(u->c, fn, "words");
      LLVMValueRef ww[4];
      LLVMBasicBlockRef win_end = NULL;
      if (u->vector_bits >= 512) {
         LLVMBasicBlockRef test_bb = LLVMAppendBasicBlockInContext(u->c, fn, "window_test");
         LLVMBuildCondBr(u->b, paired, test_bb, quad_bb);
         LLVMPositionBuilderAtEnd(u->b, test_bb);
         window_words(u, data, size, uni, lvl_off, row, x0, y0, y1, pair_bb, ww);
         win_end = LLVMGetInsertBlock(u->b);
         LLVMBuildBr(u->b, words_bb);
      } else {
         LLVMBuildCondBr(u->b, paired, pair_bb, quad_bb);
      }
      LLVMPositionBuilderAtEnd(u->b, pair_bb);
      LLVMValueRef pw[4];
      for (unsigned r = 0; r < 2; r++) {
         LLVMValueRef q = gather(u, u->ty.t_i64, data, LLVMBuildAdd(u->b, r ? row1 : row0, col0, ""), 1);
         pw[2 * r] = LLVMBuildTrunc(u->b, q, u->ty.vi, "");
         pw[2 * r + 1] = LLVMBuildTrunc(u->b, LLVMBuildLShr(u->b, q, splat(u, LLVMConstInt(u->ty.t_i64, 32, 0)), ""),
                                        u->ty.vi, "");
      }
      LLVMBasicBlockRef pair_end = LLVMGetInsertBlock(u->b);
      LLVMBuildBr(u->b, words_bb);
      LLVMPositionBuilderAtEnd(u->b, quad_bb);
      LLVMValueRef qw[4];
      for (unsigned k = 0; k < 4; k++)
         qw[k] = gather(u, u->ty.t_i32, data, LLVMBuildAdd(u->b, k & 2 ? row1 : row0, k & 1 ? col1 : col0, ""), 1);
      LLVMBasicBlockRef quad_end = LLVMGetInsertBlock(u->b);
      LLVMBuildBr(u->b, words_bb);
      LLVMPositionBuilderAtEnd(u->b, words_bb);
      for (unsigned k = 0; k < 4; k++) {
         word[k] = phi2(u, pw[k], pair_end, qw[k], quad_end);
         if (win_end)
            LLVMAddIncoming(word[k], &ww[k], &win_end, 1);
      }
   } else {
      for (unsigned k = 0; k < 4; k++)
         word[k] = gather(u, u->ty.t_i32, data, LLVMBuildAdd(u->b, k & 2 ? row1 : row0, k & 1 ? col1 : col0, ""), 1);
   }
   for (unsigned k = 0; k < 4; k++)
      LLVMBuildStore(u->b, LLVMBuildOr(u->b, word[k], xbyte, ""), word_ptr(u, words, k));
   LLVMBuildBr(u->b, filter);

   /* checked: every texel through tessera_tex_texel */
   LLVMPositionBuilderAtEnd(u->b, checked);
   LLVMTypeRef ft = LLVMGlobalGetValueType(tfn);
   LLVMValueRef xs[4] = { x0, x1, x0, x1 }, ys[4] = { y0, y0, y1, y1 };
   for (unsigned k = 0; k < 4; k++) {
      LLVMValueRef args[9] = { data, size, xbyte, lvl_off, row, xs[k], ys[k], k ? lmask : mask, word_ptr(u, words, k) };
      LLVMBuildCall2(u->b, ft, tfn, args, 9, "");
      if (k == 0) { /* no lane filters linearly: one tap is all */
         LLVMBasicBlockRef more = LLVMAppendBasicBlockInContext(u->c, fn, "checked_bilinear");
         LLVMBuildCondBr(u->b, any_lin, more, single);
         LLVMPositionBuilderAtEnd(u->b, more);
      }
   }
   LLVMBuildBr(u->b, filter);

   LLVMPositionBuilderAtEnd(u->b, single);
   call_unpack(u, LLVMBuildLoad2(u->b, u->ty.vi, word_ptr(u, words, 0), ""), out);
   for (unsigned c = 0; c < 4; c++) {
      LLVMValueRef p = out_ptr(u, out, c);
      LLVMBuildStore(u->b, sel(u, tb[0], border[c], LLVMBuildLoad2(u->b, u->ty.vf, p, "")), p);
   }
   LLVMBuildRetVoid(u->b);

   /* four taps: UNORM in fixed point, sRGB (decoded before filtering) in float */
   LLVMPositionBuilderAtEnd(u->b, filter);
   LLVMValueRef tw[4];
   for (unsigned k = 0; k < 4; k++)
      tw[k] = LLVMBuildLoad2(u->b, u->ty.vi, word_ptr(u, words, k), "");
   LLVMValueRef srgb = field(u, u->ty.t_i32, u->lay, offsetof(struct jit_format_rgba8, srgb));
   LLVMBasicBlockRef fixed = LLVMAppendBasicBlockInContext(u->c, fn, "bilinear_unorm8");
   LLVMBasicBlockRef flt = LLVMAppendBasicBlockInContext(u->c, fn, "bilinear_float");
   LLVMBuildCondBr(u->b, icmp(u, LLVMIntNE, srgb, ci32(u, 0)), flt, fixed);

   /* jit_tex.c's filter_unorm8; nearest lanes get zero weights, which give tap 0's unpacked value */
   LLVMPositionBuilderAtEnd(u->b, fixed);
   LLVMValueRef wx = sel(u, lin, weight8(u, fx), vi(u, 0)), wy = sel(u, lin, weight8(u, fy), vi(u, 0));
   LLVMValueRef eight = vi(u, 8);
   for (unsigned c = 0; c < 4; c++) {
      LLVMValueRef sh = splat(u, field(u, u->ty.t_i32, u->lay, offsetof(struct jit_format_rgba8, shift) + c * 4u));
      LLVMValueRef bt[4];
      for (unsigned k = 0; k < 4; k++)
         bt[k] = LLVMBuildAnd(u->b, LLVMBuildLShr(u->b, tw[k], sh, ""), vi(u, 255), "");
      LLVMValueRef r0 = LLVMBuildAdd(u->b, LLVMBuildShl(u->b, bt[0], eight, ""),
                                     LLVMBuildMul(u->b, LLVMBuildSub(u->b, bt[1], bt[0], ""), wx, ""), "");
      LLVMValueRef r1 = LLVMBuildAdd(u->b, LLVMBuildShl(u->b, bt[2], eight, ""),
                                     LLVMBuildMul(u->b, LLVMBuildSub(u->b, bt[3], bt[2], ""), wx, ""), "");
      LLVMValueRef v = LLVMBuildAdd(u->b, LLVMBuildShl(u->b, r0, eight, ""),
                                    LLVMBuildMul(u->b, LLVMBuildSub(u->b, r1, r0, ""), wy, ""), "");
      LLVMValueRef vfl = LLVMBuildSIToFP(u->b, v, u->ty.vf, "");
      LLVMBuildStore(u->b, LLVMBuildFDiv(u->b, vfl, vf(u, 16711680.0f), ""), out_ptr(u, out, c));
   }
   /* lanes with a border tap: the float filter below, for them only */
   LLVMBasicBlockRef fixed_done = LLVMAppendBasicBlockInContext(u->c, fn, "bilinear_done");
   LLVMBuildCondBr(u->b, any(u, and1(u, mask, bordered)), flt, fixed_done);
   LLVMPositionBuilderAtEnd(u->b, fixed_done);
   LLVMBuildRetVoid(u->b);

   /* sRGB, and border taps: jit_tex.c's float taps loop (a border tap is the border color) */
   LLVMPositionBuilderAtEnd(u->b, flt);
   LLVMValueRef keep = and1(u, icmp(u, LLVMIntEQ, splat(u, srgb), vi(u, 0)), LLVMBuildNot(u->b, bordered, ""));
   LLVMValueRef taps = entry_alloca(u, LLVMArrayType(u->t_out, 4));
   for (unsigned k = 0; k < 4; k++)
      call_unpack(u, tw[k], byte_ptr(u, taps, k * 4 * (size_t)LANES * 4));
   LLVMValueRef tap[4][4];
   for (unsigned k = 0; k < 4; k++)
      for (unsigned c = 0; c < 4; c++)
         tap[k][c] = sel(u, tb[k], border[c], LLVMBuildLoad2(u->b, u->ty.vf, out_ptr(u, taps, k * 4 + c), ""));
   /* weights: 1 * (hi ? frac : 1 - frac) per axis, x then y; acc from 0 in tap order */
   LLVMValueRef fwx[2] = { fsub(u, vf(u, 1.0f), fx), fx }, fwy[2] = { fsub(u, vf(u, 1.0f), fy), fy };
   for (unsigned c = 0; c < 4; c++) {
      LLVMValueRef acc = vf(u, 0.0f);
      for (unsigned k = 0; k < 4; k++) {
         LLVMValueRef wgt = fmul(u, fmul(u, vf(u, 1.0f), fwx[k & 1]), fwy[k >> 1]);
         acc = fadd(u, acc, fmul(u, wgt, tap[k][c]));
      }
      /* (UNORM lanes without a border tap keep the fixed-point value stored above) */
      LLVMValueRef p = out_ptr(u, out, c);
      LLVMValueRef fixed_v = LLVMBuildLoad2(u->b, u->ty.vf, p, "");
      LLVMBuildStore(u->b, sel(u, keep, fixed_v, sel(u, lin, acc, tap[0][c])), p);
   }
   end_fn(u);
   return fn;
}

/* ---- the run-time test ---------------------------------------------------------------------------- */

/* Whether the draw's view and sampler are the inline sampler's; sets t->lay. */
static LLVMValueRef fast_state(struct tx *t)
{
   LLVMValueRef data = field(t, t->ty.t_ptr, t->tex, offsetof(struct jit_texture, data));
   LLVMValueRef size = field(t, t->ty.t_i64, t->tex, offsetof(struct jit_texture, size));
   LLVMValueRef format = field(t, t->ty.t_i32, t->tex, offsetof(struct jit_texture, format));
   LLVMValueRef target = field(t, t->ty.t_i32, t->tex, offsetof(struct jit_texture, target));
   LLVMValueRef width = field(t, t->ty.t_i32, t->tex, offsetof(struct jit_texture, width));
   LLVMValueRef height = field(t, t->ty.t_i32, t->tex, offsetof(struct jit_texture, height));
   LLVMValueRef first = field(t, t->ty.t_i32, t->tex, offsetof(struct jit_texture, first_level));
   LLVMValueRef last = field(t, t->ty.t_i32, t->tex, offsetof(struct jit_texture, last_level));
   LLVMValueRef ws = field(t, t->ty.t_i8, t->smp, offsetof(struct jit_sampler, wrap_s));
   LLVMValueRef wt = field(t, t->ty.t_i8, t->smp, offsetof(struct jit_sampler, wrap_t));

   /* the format's unpacking; entry 0 (no format) stands in for ids out of range and has no tables */
   const struct jit_format_rgba8 *layouts = jit_format_rgba8_layouts();
   LLVMValueRef base = LLVMConstIntToPtr(LLVMConstInt(t->ty.t_i64, (uint64_t)(uintptr_t)layouts, 0), t->ty.t_ptr);
   LLVMValueRef in_range = icmp(t, LLVMIntULT, format, ci32(t, JIT_FORMAT_COUNT));
   LLVMValueRef fidx = LLVMBuildZExt(t->b, sel(t, in_range, format, ci32(t, 0)), t->ty.t_i64, "");
   LLVMValueRef entry_off = LLVMBuildMul(t->b, fidx, LLVMConstInt(t->ty.t_i64, sizeof(struct jit_format_rgba8), 0), "");
   t->lay = LLVMBuildGEP2(t->b, t->ty.t_i8, base, &entry_off, 1, "");
   LLVMValueRef table0 = field(t, t->ty.t_ptr, t->lay, offsetof(struct jit_format_rgba8, table));

   LLVMValueRef ok = LLVMBuildNot(t->b, LLVMBuildIsNull(t->b, data, ""), "");
   ok = and1(t, ok, LLVMBuildOr(t->b, icmp(t, LLVMIntEQ, target, ci32(t, PIPE_TEXTURE_2D)),
                                icmp(t, LLVMIntEQ, target, ci32(t, PIPE_TEXTURE_RECT)), ""));
   ok = and1(t, ok, LLVMBuildNot(t->b, LLVMBuildIsNull(t->b, table0, ""), ""));
   ok = and1(t, ok, icmp(t, LLVMIntULE, first, last));
   ok = and1(t, ok, icmp(t, LLVMIntULT, last, ci32(t, JIT_MAX_LEVELS)));
   ok = and1(t, ok, icmp(t, LLVMIntULE, width, ci32(t, TEX_MAX_DIM)));
   ok = and1(t, ok, icmp(t, LLVMIntULE, height, ci32(t, TEX_MAX_DIM)));
   ok = and1(t, ok, icmp(t, LLVMIntULE, size, LLVMConstInt(t->ty.t_i64, INT32_MAX, 0))); /* offsets fit an i32 */
   ok = and1(t, ok, icmp(t, LLVMIntUGE, size, LLVMConstInt(t->ty.t_i64, 4, 0)));       /* texel 0 is readable */
   LLVMValueRef last_wrap = LLVMConstInt(t->ty.t_i8, PIPE_TEX_WRAP_MIRROR_CLAMP_TO_BORDER, 0); /* wrap_compiled */
   ok = and1(t, ok, and1(t, icmp(t, LLVMIntULE, ws, last_wrap), icmp(t, LLVMIntULE, wt, last_wrap)));
   return ok;
}

/* The static half of fast_state, for a sampler variant's key. */
static int key_valid(const struct jit_tex_key *k)
{
   return k->format < JIT_FORMAT_COUNT && jit_format_rgba8_layouts()[k->format].table[0] &&
          (k->target == PIPE_TEXTURE_2D || k->target == PIPE_TEXTURE_RECT) &&
          wrap_compiled(k->wrap_s) && wrap_compiled(k->wrap_t);
}

int jit_tex_key_make(const struct jit_texture *t, const struct jit_sampler *s, struct jit_tex_key *k)
{
   memset(k, 0, sizeof(*k));
   if (t->format >= JIT_FORMAT_COUNT || t->target > 255)
      return 0;
   k->format = (uint16_t)t->format;
   k->target = (uint8_t)t->target;
   memcpy(k->swizzle, t->swizzle, 4);
   k->wrap_s = s->wrap_s;
   k->wrap_t = s->wrap_t;
   k->min_img_filter = s->min_img_filter;
   k->mag_img_filter = s->mag_img_filter;
   k->min_mip_filter = s->min_mip_filter;
   k->normalized_coords = s->normalized_coords;
   k->one_level = t->first_level == t->last_level;
   if (key_valid(k))
      return 1;
   memset(k, 0, sizeof(*k));
   return 0;
}

/* The level of detail per lane (jit_tex_sample's first loops, 2D). mode:
 * enum jit_tex_mode; implicit: derivatives exist (fragment stage). Both
 * are uniform i32 values. */
static LLVMValueRef lod(struct tx *t, LLVMValueRef mode, LLVMValueRef implicit, LLVMValueRef c0, LLVMValueRef c1,
                        LLVMValueRef lod_in)
{
   LLVMValueRef explicit_lod = icmp(t, LLVMIntEQ, mode, ci32(t, JIT_TEX_EXPLICIT_LOD));
   LLVMValueRef use_rho = and1(t, LLVMBuildNot(t->b, explicit_lod, ""), icmp(t, LLVMIntNE, implicit, ci32(t, 0)));
   LLVMValueRef first = splat(t, field(t, t->ty.t_i32, t->tex, offsetof(struct jit_texture, first_level)));
   LLVMValueRef width = field(t, t->ty.t_i32, t->tex, offsetof(struct jit_texture, width));
   LLVMValueRef height = field(t, t->ty.t_i32, t->tex, offsetof(struct jit_texture, height));
   LLVMValueRef bw = LLVMBuildSIToFP(t->b, level_dim(t, width, first), t->ty.vf, "");
   LLVMValueRef bh = LLVMBuildSIToFP(t->b, level_dim(t, height, first), t->ty.vf, "");
   LLVMValueRef nrm = splat(t, normalized(t));
   LLVMValueRef sx = sel(t, nrm, bw, vf(t, 1.0f)), sy = sel(t, nrm, bh, vf(t, 1.0f));
   LLVMValueRef a0 = quad_pick(t, c0, 0), a1 = quad_pick(t, c1, 0);
   LLVMValueRef dx0 = fmul(t, fsub(t, quad_pick(t, c0, 1), a0), sx);
   LLVMValueRef dx1 = fmul(t, fsub(t, quad_pick(t, c1, 1), a1), sy);
   LLVMValueRef dy0 = fmul(t, fsub(t, quad_pick(t, c0, 2), a0), sx);
   LLVMValueRef dy1 = fmul(t, fsub(t, quad_pick(t, c1, 2), a1), sy);
   LLVMValueRef zero2 = fmul(t, vf(t, 0.0f), vf(t, 0.0f)); /* dx2 * dx2: no third axis */
   LLVMValueRef rx = fadd(t, fadd(t, fmul(t, dx0, dx0), fmul(t, dx1, dx1)), zero2);
   LLVMValueRef ry = fadd(t, fadd(t, fmul(t, dy0, dy0), fmul(t, dy1, dy1)), zero2);
   LLVMValueRef rho2 = cmaxmin(t, 1, rx, ry);
   /* log2f once per quad: lanes 0, 4, 8, 12 */
   LLVMValueRef e4[4], e16[LANES];
   for (int q = 0; q < 4; q++)
      e4[q] = ci32(t, (unsigned)q * 4);
   for (int l = 0; l < LANES; l++)
      e16[l] = ci32(t, (unsigned)l / 4);
   LLVMValueRef r4 = LLVMBuildShuffleVector(t->b, rho2, LLVMGetUndef(t->ty.vf), LLVMConstVector(e4, 4), "");
   LLVMTypeRef v4 = LLVMVectorType(t->ty.t_f32, 4);
   LLVMValueRef lg4 = intrin(t, "llvm.log2", &v4, 1, &r4, 1);
   LLVMValueRef lg = LLVMBuildShuffleVector(t->b, lg4, LLVMGetUndef(v4), LLVMConstVector(e16, LANES), "");
   LLVMValueRef rho_lod = sel(t, fcmp(t, LLVMRealOGT, rho2, vf(t, 0.0f)), fmul(t, vf(t, 0.5f), lg), vf(t, -1000.0f));
   rho_lod = sel(t, splat(t, use_rho), rho_lod, vf(t, 0.0f));

   LLVMValueRef v = sel(t, splat(t, explicit_lod), lod_in, rho_lod);
   v = sel(t, splat(t, icmp(t, LLVMIntEQ, mode, ci32(t, JIT_TEX_BIAS))), fadd(t, v, lod_in), v);
   LLVMValueRef bias = field(t, t->ty.t_f32, t->smp, offsetof(struct jit_sampler, lod_bias));
   LLVMValueRef min_lod = field(t, t->ty.t_f32, t->smp, offsetof(struct jit_sampler, min_lod));
   LLVMValueRef max_lod = field(t, t->ty.t_f32, t->smp, offsetof(struct jit_sampler, max_lod));
   v = fadd(t, v, splat(t, bias));
   v = sel(t, fcmp(t, LLVMRealUNO, v, v), vf(t, 0.0f), v);
   v = cmaxmin(t, 1, v, splat(t, min_lod));
   return cmaxmin(t, 0, v, splat(t, max_lod));
}

/* ---- the sampling library -------------------------------------------------------------------- */

static void tx_types(struct tx *t, LLVMModuleRef m)
{
   t->m = m;
   t->c = LLVMGetModuleContext(m);
   jit_llvm_types_init(&t->ty, t->c);
   t->t_out = LLVMArrayType(t->ty.vf, 4);
}

/* The compiled library (set by jit_cache.c before any shader compiles). */
static jit_tex_sample2d_fn tex_lib;

void jit_llvm_tex_lib_set(jit_tex_sample2d_fn fn)
{
   tex_lib = fn;
}

/* The sampling function `name`: the library (spec NULL) or a variant. */
static int sampler_build(void *module, unsigned vector_bits, const struct jit_tex_key *spec, const char *name)
{
   struct tx t;
   memset(&t, 0, sizeof(t));
   tx_types(&t, module);
   t.spec = spec;
   t.vector_bits = vector_bits;
   t.owner = name;
   LLVMTypeRef params[6] = { t.ty.t_ptr, t.ty.t_ptr, t.ty.t_ptr, t.ty.t_ptr, t.ty.t_i32, t.ty.t_i32 };
   LLVMValueRef fn = LLVMAddFunction(t.m, name, LLVMFunctionType(LLVMVoidTypeInContext(t.c), params, 6, 0));
   jit_llvm_vector_width(t.c, fn, vector_bits);
   t.fn = fn;
   LLVMValueRef lfn = level_fn(&t);
   LLVMTypeRef lft = LLVMGlobalGetValueType(lfn);
   t.b = LLVMCreateBuilderInContext(t.c);
   LLVMBuilderRef b = t.b;
   LLVMPositionBuilderAtEnd(b, LLVMAppendBasicBlockInContext(t.c, fn, "entry"));
   t.tex = LLVMGetParam(fn, 0);
   t.smp = LLVMGetParam(fn, 1);
   t.lay = LLVMGetParam(fn, 2);
   LLVMValueRef io = LLVMGetParam(fn, 3), exec = LLVMGetParam(fn, 4), flags = LLVMGetParam(fn, 5);
   LLVMValueRef mode = LLVMBuildAnd(b, flags, ci32(&t, 3), "");
   LLVMValueRef implicit = LLVMBuildAnd(b, flags, ci32(&t, JIT_TEX_SAMPLE2D_DERIVS), "");

   LLVMValueRef execv = LLVMBuildBitCast(b, LLVMBuildTrunc(b, exec, t.ty.t_i16, ""), t.ty.vb, "");
   LLVMValueRef c0 = LLVMBuildLoad2(b, t.ty.vf, out_ptr(&t, io, 0), "");
   LLVMValueRef c1 = LLVMBuildLoad2(b, t.ty.vf, out_ptr(&t, io, 1), "");
   LLVMValueRef w = LLVMBuildLoad2(b, t.ty.vf, out_ptr(&t, io, 2), "");
   /* filter and levels per lane (jit_tex_sample's last loop) */
   LLVMValueRef minf = field(&t, t.ty.t_i8, t.smp, offsetof(struct jit_sampler, min_img_filter));
   LLVMValueRef magf = field(&t, t.ty.t_i8, t.smp, offsetof(struct jit_sampler, mag_img_filter));
   LLVMValueRef mipf = field(&t, t.ty.t_i8, t.smp, offsetof(struct jit_sampler, min_mip_filter));
   LLVMValueRef first = field(&t, t.ty.t_i32, t.tex, offsetof(struct jit_texture, first_level));
   LLVMValueRef last = field(&t, t.ty.t_i32, t.tex, offsetof(struct jit_texture, last_level));
   LLVMValueRef c_lin = LLVMConstInt(t.ty.t_i8, PIPE_TEX_FILTER_LINEAR, 0);
   LLVMValueRef mip_near = splat(&t, icmp(&t, LLVMIntEQ, mipf, LLVMConstInt(t.ty.t_i8, PIPE_TEX_MIPFILTER_NEAREST, 0)));
   LLVMValueRef rel_max = spec && spec->one_level ? ci32(&t, 0) : LLVMBuildSub(b, last, first, "");
   LLVMValueRef one_level = LLVMBuildOr(b, icmp(&t, LLVMIntEQ, mipf, LLVMConstInt(t.ty.t_i8, PIPE_TEX_MIPFILTER_NONE, 0)),
                                        icmp(&t, LLVMIntEQ, rel_max, ci32(&t, 0)), "");

   /* The LOD only picks the level and min- or magnification: with one level
    * and the same filter both ways nothing depends on it, so LOD 0 gives the
    * reference's result without the derivatives and log2f. */
   LLVMValueRef no_lod = and1(&t, one_level, icmp(&t, LLVMIntEQ, minf, magf));
   LLVMBasicBlockRef lod_from = LLVMGetInsertBlock(b);
   LLVMBasicBlockRef lod_bb = LLVMAppendBasicBlockInContext(t.c, fn, "lod");
   LLVMBasicBlockRef lod_done = LLVMAppendBasicBlockInContext(t.c, fn, "lod_done");
   LLVMBuildCondBr(b, no_lod, lod_done, lod_bb);
   LLVMPositionBuilderAtEnd(b, lod_bb);
   LLVMValueRef lv_computed = lod(&t, mode, implicit, c0, c1, w);
   LLVMBasicBlockRef lod_end = LLVMGetInsertBlock(b);
   LLVMBuildBr(b, lod_done);
   LLVMPositionBuilderAtEnd(b, lod_done);
   LLVMValueRef lv = phi2(&t, vf(&t, 0.0f), lod_from, lv_computed, lod_end);
   LLVMValueRef max_rel = splat(&t, rel_max);
   LLVMValueRef is_min = fcmp(&t, LLVMRealOGT, lv, vf(&t, 0.0f));
   LLVMValueRef lin = sel(&t, is_min, splat(&t, icmp(&t, LLVMIntEQ, minf, c_lin)), splat(&t, icmp(&t, LLVMIntEQ, magf, c_lin)));
   LLVMValueRef zero = vi(&t, 0);
   LLVMValueRef base = LLVMBuildOr(b, LLVMBuildNot(b, is_min, ""), splat(&t, one_level), ""); /* lv <= 0 (never NaN) */
   LLVMValueRef near_rel = iclamp(&t, lod_to_int(&t, vfloor(&t, fadd(&t, lv, vf(&t, 0.5f)))), zero, max_rel);
   LLVMValueRef fl = vfloor(&t, lv);
   LLVMValueRef fli = lod_to_int(&t, fl);
   LLVMValueRef r0 = iclamp(&t, fli, zero, max_rel);
   LLVMValueRef r1 = iclamp(&t, LLVMBuildAdd(b, fli, vi(&t, 1), ""), zero, max_rel);
   LLVMValueRef f = fsub(&t, lv, fl);
   LLVMValueRef rel0 = sel(&t, base, zero, sel(&t, mip_near, near_rel, r0));
   LLVMValueRef blend = LLVMBuildNot(b, LLVMBuildOr(b, base, mip_near, ""), "");
   blend = and1(&t, blend, and1(&t, icmp(&t, LLVMIntNE, r1, r0), fcmp(&t, LLVMRealOGT, f, vf(&t, 0.0f))));
   blend = and1(&t, blend, execv);

   LLVMValueRef res = entry_alloca(&t, LLVMArrayType(t.t_out, 2));
   LLVMValueRef res1 = byte_ptr(&t, res, 4 * (size_t)LANES * 4);
   LLVMValueRef args[9] = { t.tex, t.smp, t.lay, c0, c1, rel0, lin, execv, res };
   LLVMBuildCall2(b, lft, lfn, args, 9, "");
   LLVMValueRef a[4];
   for (unsigned c = 0; c < 4; c++)
      a[c] = LLVMBuildLoad2(b, t.ty.vf, out_ptr(&t, res, c), "");
   LLVMBasicBlockRef one_end = LLVMGetInsertBlock(b);
   LLVMBasicBlockRef second = LLVMAppendBasicBlockInContext(t.c, fn, "level1");
   LLVMBasicBlockRef join = LLVMAppendBasicBlockInContext(t.c, fn, "join");
   LLVMBuildCondBr(b, any(&t, blend), second, join);
   LLVMPositionBuilderAtEnd(b, second);
   LLVMValueRef args1[9] = { t.tex, t.smp, t.lay, c0, c1, r1, lin, blend, res1 };
   LLVMBuildCall2(b, lft, lfn, args1, 9, "");
   LLVMValueRef mixed[4];
   for (unsigned c = 0; c < 4; c++) {
      LLVMValueRef bl = LLVMBuildLoad2(b, t.ty.vf, out_ptr(&t, res1, c), "");
      mixed[c] = sel(&t, blend, fadd(&t, a[c], fmul(&t, f, fsub(&t, bl, a[c]))), a[c]);
   }
   LLVMBasicBlockRef second_end = LLVMGetInsertBlock(b);
   LLVMBuildBr(b, join);
   LLVMPositionBuilderAtEnd(b, join);
   LLVMValueRef rgba[4];
   for (unsigned c = 0; c < 4; c++)
      rgba[c] = phi2(&t, a[c], one_end, mixed[c], second_end);
   /* view swizzle: 0..3 = R, G, B, A; 5 = one; anything else zero */
   for (unsigned i = 0; i < 4; i++) {
      LLVMValueRef sw = field(&t, t.ty.t_i8, t.tex, offsetof(struct jit_texture, swizzle) + i);
      LLVMValueRef v = sel(&t, icmp(&t, LLVMIntEQ, sw, LLVMConstInt(t.ty.t_i8, 5, 0)), vf(&t, 1.0f), vf(&t, 0.0f));
      for (int k = 3; k >= 0; k--)
         v = sel(&t, icmp(&t, LLVMIntEQ, sw, LLVMConstInt(t.ty.t_i8, (unsigned)k, 0)), rgba[k], v);
      LLVMBuildStore(b, v, out_ptr(&t, io, 3 + i));
   }
   LLVMBuildRetVoid(b);
   LLVMDisposeBuilder(b);
   return 0;
}

int jit_llvm_tex_lib_build(void *module, unsigned vector_bits)
{
   return sampler_build(module, vector_bits, NULL, JIT_TEX_SAMPLE2D_NAME);
}

int jit_llvm_tex_variant_build(void *module, unsigned vector_bits, const struct jit_tex_key *key, const char *name)
{
   if (!key_valid(key))
      return -1;
   return sampler_build(module, vector_bits, key, name);
}

/* The sampler specialized for key as an internal, always-inline function
 * of module (one per key and module). */
static LLVMValueRef inlined_sampler(LLVMModuleRef m, const struct jit_tex_key *key, unsigned vector_bits)
{
   static const char hex[] = "0123456789abcdef";
   char name[64] = "tessera_tex_inline_";
   size_t n = strlen(name);
   const uint8_t *kb = (const uint8_t *)key;
   for (size_t i = 0; i < sizeof(*key) && n + 2 < sizeof(name); i++) {
      name[n++] = hex[kb[i] >> 4];
      name[n++] = hex[kb[i] & 15];
   }
   name[n] = 0;
   LLVMValueRef f = LLVMGetNamedFunction(m, name);
   if (f)
      return f;
   if (jit_llvm_tex_variant_build(m, vector_bits, key, name))
      return NULL;
   f = LLVMGetNamedFunction(m, name);
   LLVMSetLinkage(f, LLVMInternalLinkage);
   unsigned ai = LLVMGetEnumAttributeKindForName("alwaysinline", 12);
   LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex, LLVMCreateEnumAttribute(LLVMGetModuleContext(m), ai, 0));
   return f;
}

int jit_llvm_tex_inline(LLVMBuilderRef b, LLVMValueRef fn, LLVMValueRef ctx, const struct jit_inst *inst,
                        unsigned stage, LLVMValueRef src[4], LLVMValueRef exec, LLVMBasicBlockRef done,
                        LLVMValueRef out[4], LLVMBasicBlockRef *fast_end, const struct jit_tex_key *key,
                        unsigned vector_bits)
{
   unsigned op = inst->opcode, mode;
   if (op == JIT_OP_TEX || op == JIT_OP_TXP)
      mode = JIT_TEX_IMPLICIT_LOD;
   else if (op == JIT_OP_TXB)
      mode = JIT_TEX_BIAS;
   else if (op == JIT_OP_TXL)
      mode = JIT_TEX_EXPLICIT_LOD;
   else
      return 0;
   unsigned unit = (unsigned)inst->src[inst->num_src - 1].index;
   if (inst->tex_shadow || unit >= JIT_MAX_SAMPLERS || !tex_lib)
      return 0;

   struct tx t;
   memset(&t, 0, sizeof(t));
   tx_types(&t, LLVMGetGlobalParent(fn));
   t.b = b;
   t.fn = fn;
   t.tex = byte_ptr(&t, ctx, offsetof(struct jit_stage_ctx, textures) + unit * sizeof(struct jit_texture));
   t.smp = byte_ptr(&t, ctx, offsetof(struct jit_stage_ctx, samplers) + unit * sizeof(struct jit_sampler));

   LLVMValueRef ok = fast_state(&t);
   LLVMBasicBlockRef fast = LLVMAppendBasicBlockInContext(t.c, fn, "tex_fast");
   LLVMBasicBlockRef slow = LLVMAppendBasicBlockInContext(t.c, fn, "tex_call");
   LLVMBuildCondBr(b, ok, fast, slow);
   LLVMPositionBuilderAtEnd(b, fast);

   LLVMValueRef c0 = LLVMBuildBitCast(b, src[0], t.ty.vf, ""), c1 = LLVMBuildBitCast(b, src[1], t.ty.vf, "");
   LLVMValueRef w = LLVMBuildBitCast(b, src[3], t.ty.vf, "");
   if (op == JIT_OP_TXP) {
      c0 = LLVMBuildFDiv(b, c0, w, "");
      c1 = LLVMBuildFDiv(b, c1, w, "");
   }
   LLVMValueRef io = entry_alloca(&t, LLVMArrayType(t.ty.vf, 7));
   LLVMBuildStore(b, c0, out_ptr(&t, io, 0));
   LLVMBuildStore(b, c1, out_ptr(&t, io, 1));
   LLVMBuildStore(b, w, out_ptr(&t, io, 2));
   LLVMTypeRef pt[6] = { t.ty.t_ptr, t.ty.t_ptr, t.ty.t_ptr, t.ty.t_ptr, t.ty.t_i32, t.ty.t_i32 };
   LLVMTypeRef ft = LLVMFunctionType(LLVMVoidTypeInContext(t.c), pt, 6, 0);
   LLVMValueRef lib = LLVMConstIntToPtr(LLVMConstInt(t.ty.t_i64, (uint64_t)(uintptr_t)tex_lib, 0), t.ty.t_ptr);
   LLVMValueRef var = field(&t, t.ty.t_ptr, t.tex, offsetof(struct jit_texture, sample2d));
   LLVMValueRef fnp = sel(&t, LLVMBuildIsNull(b, var, ""), lib, var); /* the view's sampler variant, if any */
   LLVMValueRef own = key ? inlined_sampler(t.m, key, vector_bits) : NULL;
   if (own)
      fnp = own;
   uint32_t flags = mode | (stage == PIPE_SHADER_FRAGMENT ? JIT_TEX_SAMPLE2D_DERIVS : 0);
   LLVMValueRef args[6] = { t.tex, t.smp, t.lay, io, exec, ci32(&t, flags) };
   LLVMBuildCall2(b, ft, fnp, args, 6, "");
   for (unsigned i = 0; i < 4; i++)
      out[i] = LLVMBuildLoad2(b, t.ty.vi, out_ptr(&t, io, 3 + i), "");
   *fast_end = LLVMGetInsertBlock(b);
   LLVMBuildBr(b, done);
   LLVMPositionBuilderAtEnd(b, slow);
   return 1;
}
