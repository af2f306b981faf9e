/* jit_vs_fused.c: code generation of the fused vertex variant (the whole of
 * jit_vs_ref_run in one LLVM function, 16 lanes SoA per step over the
 * batch). Sits between jit_llvm.c (which emits the shader body into the same
 * module) and jit_cache.c (which compiles and caches the module), like
 * jit_fs_fused.c, whose reasons for inlining the body apply here too.
 *
 * Per step of 16 vertices: the vertex ids (lanes past the batch's end: id
 * 0), per element the element index (the vertex id, or start_instance +
 * instance / divisor), the bounds check of vs_fetch, asked so that no
 * 64-bit product wraps (unbound buffer or offset + block bytes past the buffer's size:
 * (0, 0, 0, 1), 1 as integer bits for integer formats; lanes past the
 * batch's end: 0, as the reference leaves them), the channel loads (scalar
 * loads per lane: a lane that fetches nothing reads a zero block of the
 * module, so no address depends on an unchecked value) and the conversion
 * of jit_format_unpack_rgba, then the body, then the outputs stored AoS
 * and, when the batch asks (jit_vs_batch.window), each vertex's record for
 * triangle setup: jit_vs_window_vertex's operations in its order.
 *
 * Same bits as jit_vs_ref_run: no fast-math flags, no contraction; UNORM
 * through a double division, SNORM a float division then the -1 floor,
 * halves widened with integer operations (denormals exact, NaN payloads
 * kept), doubles narrowed by fptrunc (the C cast). A batch whose output
 * stride is shorter than the shader's outputs goes to jit_vs_ref_run.
 *
 * Code generation: SelectionDAG, or FastISel while other compiles wait
 * (recompiled when idle; the comment in jit_cache.c's llvm_setup). */
#include <llvm-c/Core.h>
#include <stdio.h>
#include <string.h>

#include "jit/jit_llvm.h"
#include "jit/jit_llvm_types.h"
#include "jit/jit_vs_fused.h"

#define LANES JIT_LANES
#define ZERO_BLOCK_BYTES 64 /* the largest vertex format block (32: R64G64B64A64_FLOAT) and a jit_vs_window */

_Static_assert(sizeof(struct jit_vs_window) <= ZERO_BLOCK_BYTES, "the zero block stands in for a missing window");

_Static_assert(sizeof(size_t) == 8, "jit_vertex_buffer.size is read as i64");

/* A format the fused fetch decodes: an array format (jit_format_array_get)
 * whose block fits the zero block. */
static int fetch_format(uint32_t id, struct jit_format_array *fa, unsigned *block_bytes)
{
   const struct jit_format_desc *d = jit_format_get(id);
   if (!d || jit_format_array_get(id, fa) || d->block_bytes > ZERO_BLOCK_BYTES ||
       d->block_bytes != fa->nr_channels * fa->bits / 8)
      return 0;
   *block_bytes = d->block_bytes;
   return 1;
}

const char *jit_vs_fused_unsupported(const struct jit_vs_variant_key *key, const struct jit_shader *sh)
{
   if (!sh || sh->stage != PIPE_SHADER_VERTEX)
      return "not a vertex shader";
   const char *why = jit_llvm_unsupported(sh);
   if (why)
      return why;
   if (key->num_elements > JIT_MAX_VERTEX_ELEMENTS)
      return "too many vertex elements";
   for (uint32_t e = 0; e < key->num_elements; e++) {
      struct jit_format_array fa;
      unsigned bb;
      if (!fetch_format(key->elements[e].src_format, &fa, &bb))
         return "vertex format other than an array of 8/16/32-bit channels or doubles";
   }
   return NULL;
}

/* ---- code generation ----------------------------------------------------------------------- */

struct vz {
   LLVMContextRef c;
   LLVMModuleRef m;
   LLVMBuilderRef b;
   LLVMValueRef fn;
   struct jit_llvm_types ty;
   LLVMValueRef ctx, batch;
   LLVMValueRef zero_block;      /* ZERO_BLOCK_BYTES zero bytes: where lanes that fetch nothing read */
};

static LLVMValueRef ci32(struct vz *g, uint32_t v) { return LLVMConstInt(g->ty.t_i32, v, 0); }
static LLVMValueRef ci64(struct vz *g, uint64_t v) { return LLVMConstInt(g->ty.t_i64, v, 0); }

/* A constant vector of LANES copies of the constant s. */
static LLVMValueRef splat_c(LLVMValueRef s)
{
   LLVMValueRef e[LANES];
   for (int l = 0; l < LANES; l++)
      e[l] = s;
   return LLVMConstVector(e, LANES);
}

static LLVMValueRef splat_i(struct vz *g, uint32_t v) { return splat_c(ci32(g, v)); }
static LLVMValueRef splat_f(struct vz *g, float f) { return splat_c(LLVMConstReal(g->ty.t_f32, f)); }

static LLVMValueRef splat_v(struct vz *g, LLVMValueRef s)
{
   LLVMValueRef v = LLVMBuildInsertElement(g->b, LLVMGetUndef(LLVMVectorType(LLVMTypeOf(s), LANES)), s,
                                           ci32(g, 0), "");
   return LLVMBuildShuffleVector(g->b, v, LLVMGetUndef(LLVMTypeOf(v)), LLVMConstNull(g->ty.vi), "");
}

static LLVMValueRef gep(struct vz *g, LLVMValueRef base, uint64_t off)
{
   LLVMValueRef idx = ci64(g, off);
   return LLVMBuildGEP2(g->b, g->ty.t_i8, base, &idx, 1, "");
}

static LLVMValueRef gep_v(struct vz *g, LLVMValueRef base, LLVMValueRef off)
{
   return LLVMBuildGEP2(g->b, g->ty.t_i8, base, &off, 1, "");
}

static LLVMValueRef load_at(struct vz *g, LLVMTypeRef t, LLVMValueRef base, uint64_t off, const char *name)
{
   return LLVMBuildLoad2(g->b, t, gep(g, base, off), name);
}

static LLVMValueRef sel(struct vz *g, LLVMValueRef c, LLVMValueRef a, LLVMValueRef b)
{
   return LLVMBuildSelect(g->b, c, a, b, "");
}

static LLVMValueRef and_(struct vz *g, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildAnd(g->b, a, b, ""); }
static LLVMValueRef or_(struct vz *g, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildOr(g->b, a, b, ""); }
static LLVMValueRef shl(struct vz *g, LLVMValueRef a, uint32_t n) { return LLVMBuildShl(g->b, a, splat_i(g, n), ""); }
static LLVMValueRef bc(struct vz *g, LLVMValueRef v, LLVMTypeRef t) { return LLVMBuildBitCast(g->b, v, t, ""); }
static LLVMValueRef fadd(struct vz *g, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildFAdd(g->b, a, b, ""); }
static LLVMValueRef fsub(struct vz *g, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildFSub(g->b, a, b, ""); }
static LLVMValueRef fmul(struct vz *g, LLVMValueRef a, LLVMValueRef b) { return LLVMBuildFMul(g->b, a, b, ""); }

static LLVMValueRef fabs_v(struct vz *g, LLVMValueRef x)
{
   unsigned id = LLVMLookupIntrinsicID("llvm.fabs", 9);
   LLVMTypeRef t = g->ty.vf;
   LLVMValueRef f = LLVMGetIntrinsicDeclaration(g->m, id, &t, 1);
   return LLVMBuildCall2(g->b, LLVMIntrinsicGetType(g->c, id, &t, 1), f, &x, 1, "");
}

/* jit_half_to_float on <16 x i32> holding halves: normal numbers rebias the
 * exponent, Inf/NaN keep their mantissa bits, denormals are mant * 2^-24
 * (exact in float), zeros keep their sign. */
static LLVMValueRef half_to_float(struct vz *g, LLVMValueRef h)
{
   LLVMValueRef sign = shl(g, and_(g, h, splat_i(g, 0x8000)), 16);
   LLVMValueRef exp = and_(g, LLVMBuildLShr(g->b, h, splat_i(g, 10), ""), splat_i(g, 0x1f));
   LLVMValueRef mant = and_(g, h, splat_i(g, 0x3ff));
   LLVMValueRef normal =
      or_(g, sign, or_(g, shl(g, LLVMBuildAdd(g->b, exp, splat_i(g, 127 - 15), ""), 23), shl(g, mant, 13)));
   LLVMValueRef infnan = or_(g, sign, or_(g, splat_i(g, 0x7f800000u), shl(g, mant, 13)));
   LLVMValueRef den = LLVMBuildFMul(g->b, LLVMBuildUIToFP(g->b, mant, g->ty.vf, ""), splat_f(g, 0x1p-24f), "");
   den = or_(g, sign, bc(g, den, g->ty.vi));
   LLVMValueRef bits = sel(g, LLVMBuildICmp(g->b, LLVMIntEQ, exp, splat_i(g, 0), ""), den,
                           sel(g, LLVMBuildICmp(g->b, LLVMIntEQ, exp, splat_i(g, 31), ""), infnan, normal));
   return bc(g, bits, g->ty.vf);
}

/* One channel's raw lanes (<16 x iN>, N = fa->bits) as the floats
 * jit_format_unpack_rgba gives (integer formats: their bits). */
static LLVMValueRef convert(struct vz *g, const struct jit_format_array *fa, LLVMValueRef raw)
{
   unsigned bits = fa->bits;
   LLVMValueRef u = bits < 32 ? LLVMBuildZExt(g->b, raw, g->ty.vi, "") : raw;
   LLVMValueRef s = bits < 32 ? LLVMBuildSExt(g->b, raw, g->ty.vi, "") : raw;
   switch (fa->type) {
   case JIT_CHAN_UNORM: {
      double max = (double)((1ull << bits) - 1);
      LLVMValueRef d = LLVMBuildUIToFP(g->b, u, g->ty.vf64, "");
      d = LLVMBuildFDiv(g->b, d, splat_c(LLVMConstReal(g->ty.t_f64, max)), "");
      return LLVMBuildFPTrunc(g->b, d, g->ty.vf, "");
   }
   case JIT_CHAN_SNORM: {
      float max = (float)((1u << (bits - 1)) - 1);
      LLVMValueRef f = LLVMBuildFDiv(g->b, LLVMBuildSIToFP(g->b, s, g->ty.vf, ""), splat_f(g, max), "");
      return sel(g, LLVMBuildFCmp(g->b, LLVMRealOLT, f, splat_f(g, -1.0f), ""), splat_f(g, -1.0f), f);
   }
   case JIT_CHAN_FLOAT:
      if (bits == 16)
         return half_to_float(g, u);
      if (bits == 64)
         return LLVMBuildFPTrunc(g->b, bc(g, raw, g->ty.vf64), g->ty.vf, "");
      return bc(g, raw, g->ty.vf);
   case JIT_CHAN_UINT:
      return bc(g, u, g->ty.vf);
   case JIT_CHAN_SINT:
      return bc(g, s, g->ty.vf);
   case JIT_CHAN_USCALED:
      return LLVMBuildUIToFP(g->b, u, g->ty.vf, "");
   default: /* JIT_CHAN_SSCALED */
      return LLVMBuildSIToFP(g->b, s, g->ty.vf, "");
   }
}

/* What a vertex element's fetch needs that does not change over the
 * batch, computed once before the loop (the pass list has no LICM). */
struct fetch_pre {
   LLVMValueRef data;            /* ptr: the buffer */
   LLVMValueRef stride;          /* i64 */
   LLVMValueRef limit;           /* i64: the largest index whose block ends inside the buffer */
   LLVMValueRef any;             /* i1: the buffer is bound and holds one block at src_offset */
   LLVMValueRef inst_index;      /* i64: instanced element: start_instance + instance / divisor; else NULL */
};

/* vs_fetch's bounds check without 64-bit wrap-around: index is in range iff
 * any && index <= limit, limit = (size - (src_offset + block_bytes)) /
 * stride (every index when stride is 0). */
static void emit_fetch_pre(struct vz *g, const struct jit_vertex_element *el, LLVMValueRef instance_id,
                           struct fetch_pre *p)
{
   struct jit_format_array fa;
   unsigned block_bytes = 0;
   memset(p, 0, sizeof(*p));
   if (!fetch_format(el->src_format, &fa, &block_bytes) || el->vertex_buffer_index >= JIT_MAX_VERTEX_BUFFERS)
      return;
   size_t vbo = offsetof(struct jit_vs_ctx, vb) + el->vertex_buffer_index * sizeof(struct jit_vertex_buffer);
   p->data = load_at(g, g->ty.t_ptr, g->ctx, vbo + offsetof(struct jit_vertex_buffer, data), "vb_data");
   LLVMValueRef size = load_at(g, g->ty.t_i64, g->ctx, vbo + offsetof(struct jit_vertex_buffer, size), "vb_size");
   p->stride = LLVMBuildZExt(
      g->b, load_at(g, g->ty.t_i32, g->ctx, vbo + offsetof(struct jit_vertex_buffer, stride), "vb_stride"), g->ty.t_i64, "");
   LLVMValueRef room = ci64(g, (uint64_t)el->src_offset + block_bytes);
   p->any = and_(g, LLVMBuildIsNotNull(g->b, p->data, ""), LLVMBuildICmp(g->b, LLVMIntUGE, size, room, ""));
   LLVMValueRef span = sel(g, p->any, LLVMBuildSub(g->b, size, room, ""), ci64(g, 0));
   LLVMValueRef s0 = LLVMBuildICmp(g->b, LLVMIntEQ, p->stride, ci64(g, 0), "");
   p->limit = sel(g, s0, ci64(g, UINT64_MAX), LLVMBuildUDiv(g->b, span, sel(g, s0, ci64(g, 1), p->stride), ""));
   if (el->instance_divisor) {
      LLVMValueRef start = load_at(g, g->ty.t_i32, g->ctx, offsetof(struct jit_vs_ctx, start_instance), "start_instance");
      LLVMValueRef q = LLVMBuildUDiv(g->b, instance_id, ci32(g, el->instance_divisor), "");
      p->inst_index = LLVMBuildAdd(g->b, LLVMBuildZExt(g->b, start, g->ty.t_i64, ""), LLVMBuildZExt(g->b, q, g->ty.t_i64, ""),
                                   "inst_index");
   }
}

/* The RGBA lanes of vertex element el: vs_fetch's values for the lanes in
 * live (ids: their vertex ids), 0 for the others. */
static void emit_fetch(struct vz *g, const struct jit_vertex_element *el, const struct fetch_pre *p, LLVMValueRef ids,
                       LLVMValueRef live, LLVMValueRef out[4])
{
   struct jit_format_array fa;
   unsigned block_bytes = 0;
   int ok = fetch_format(el->src_format, &fa, &block_bytes);
   int is_int = ok && (fa.type == JIT_CHAN_UINT || fa.type == JIT_CHAN_SINT);
   LLVMValueRef zero = splat_f(g, 0.0f);
   LLVMValueRef val[4] = { zero, zero, zero, is_int ? bc(g, splat_i(g, 1), g->ty.vf) : splat_f(g, 1.0f) };
   LLVMValueRef def[4];
   memcpy(def, val, sizeof(def));
   if (!p->data) {
      for (unsigned c = 0; c < 4; c++)
         out[c] = sel(g, live, def[c], zero);
      return;
   }
   LLVMValueRef index = p->inst_index ? splat_v(g, p->inst_index) : LLVMBuildZExt(g->b, ids, g->ty.vi64, "");
   LLVMValueRef valid = and_(g, live, LLVMBuildICmp(g->b, LLVMIntULE, index, splat_v(g, p->limit), ""));
   valid = and_(g, valid, splat_v(g, p->any));
   /* in range: index * stride + src_offset + block_bytes <= size, no wrap-around */
   LLVMValueRef off = LLVMBuildAdd(g->b, LLVMBuildMul(g->b, index, splat_v(g, p->stride), ""),
                                   splat_c(ci64(g, el->src_offset)), "off");
   LLVMValueRef base = sel(g, valid, splat_v(g, p->data), splat_v(g, g->zero_block));
   LLVMValueRef ptrs = gep_v(g, base, sel(g, valid, off, LLVMConstNull(g->ty.vi64)));

   unsigned bytes = fa.bits / 8;
   LLVMTypeRef ct = LLVMIntTypeInContext(g->c, fa.bits), vct = LLVMVectorType(ct, LANES);
   for (unsigned i = 0; i < fa.nr_channels; i++) {
      unsigned slot = fa.swz[i];
      if (slot >= 4)
         continue;
      LLVMValueRef raw = LLVMGetUndef(vct);
      for (unsigned l = 0; l < LANES; l++) {
         LLVMValueRef p = LLVMBuildExtractElement(g->b, ptrs, ci32(g, l), "");
         LLVMValueRef x = LLVMBuildLoad2(g->b, ct, gep(g, p, (uint64_t)i * bytes), "");
         LLVMSetAlignment(x, 1);
         raw = LLVMBuildInsertElement(g->b, raw, x, ci32(g, l), "");
      }
      val[slot] = convert(g, &fa, raw);
   }
   for (unsigned c = 0; c < 4; c++)
      out[c] = sel(g, live, sel(g, valid, val[c], def[c]), zero);
}

/* ---- clip flags and window position (jit_vs_window) ------------------------------------------- */

/* The batch's window, loaded once: fields, and whether records are written. */
struct win_pre {
   LLVMValueRef on;              /* i1: a window laid out as jit_vs_batch says */
   LLVMValueRef slot;            /* i64: position slot (0 when off) */
   LLVMValueRef offset;          /* i64: record offset in floats */
   LLVMValueRef scale[3], translate[3], guard_x, guard_y, halfz;
};

static void emit_window_pre(struct vz *g, LLVMValueRef ostride, uint32_t nout, struct win_pre *w)
{
   LLVMValueRef wp = load_at(g, g->ty.t_ptr, g->batch, offsetof(struct jit_vs_batch, window), "window");
   LLVMValueRef nonnull = LLVMBuildIsNotNull(g->b, wp, "");
   wp = sel(g, nonnull, wp, g->zero_block); /* all zero: no records */
#define WIN(t, f) load_at(g, t, wp, offsetof(struct jit_vs_window, f), #f)
   for (unsigned i = 0; i < 3; i++) {
      w->scale[i] = splat_v(g, load_at(g, g->ty.t_f32, wp, offsetof(struct jit_vs_window, scale) + 4u * i, "scale"));
      w->translate[i] =
         splat_v(g, load_at(g, g->ty.t_f32, wp, offsetof(struct jit_vs_window, translate) + 4u * i, "translate"));
   }
   w->guard_x = splat_v(g, WIN(g->ty.t_f32, guard_x));
   w->guard_y = splat_v(g, WIN(g->ty.t_f32, guard_y));
   w->halfz = LLVMBuildICmp(g->b, LLVMIntNE, WIN(g->ty.t_i32, clip_halfz), ci32(g, 0), "halfz");
   LLVMValueRef slot = WIN(g->ty.t_i32, pos_slot), off = WIN(g->ty.t_i32, offset);
#undef WIN
   LLVMValueRef on = and_(g, nonnull, LLVMBuildICmp(g->b, LLVMIntULT, slot, ci32(g, nout), ""));
   on = and_(g, on, LLVMBuildICmp(g->b, LLVMIntUGE, off, ci32(g, 4 * nout), ""));
   LLVMValueRef end = LLVMBuildAdd(g->b, LLVMBuildZExt(g->b, off, g->ty.t_i64, ""), ci64(g, JIT_VS_WINDOW_FLOATS), "");
   w->on = and_(g, on, LLVMBuildICmp(g->b, LLVMIntULE, end, LLVMBuildZExt(g->b, ostride, g->ty.t_i64, ""), ""));
   w->slot = LLVMBuildZExt(g->b, sel(g, w->on, slot, ci32(g, 0)), g->ty.t_i64, "pos_slot");
   w->offset = LLVMBuildZExt(g->b, off, g->ty.t_i64, "rec_offset");
}

/* jit_vs_window_vertex on the lanes: rec[0..3] = x, y, z, 1/w; rec[4] = the clip mask (<16 x i32>). */
static void emit_window(struct vz *g, const struct win_pre *w, LLVMValueRef io, LLVMValueRef rec[5])
{
   LLVMValueRef c[4];
   for (unsigned i = 0; i < 4; i++) {
      LLVMValueRef off = LLVMBuildAdd(g->b, LLVMBuildMul(g->b, w->slot, ci64(g, 4 * LANES * sizeof(float)), ""),
                                      ci64(g, offsetof(struct jit_exec_io, out) + i * LANES * sizeof(float)), "");
      c[i] = LLVMBuildLoad2(g->b, g->ty.vf, gep_v(g, io, off), "pos");
      LLVMSetAlignment(c[i], 16);
   }
   LLVMValueRef iw = LLVMBuildFDiv(g->b, splat_f(g, 1.0f), c[3], "iw");
   for (unsigned i = 0; i < 3; i++)
      rec[i] = fadd(g, fmul(g, fmul(g, c[i], iw), w->scale[i]), w->translate[i]);
   rec[3] = iw;
   LLVMValueRef dist[JIT_CLIP_PLANES] = {
      fsub(g, fsub(g, c[3], fmul(g, splat_f(g, 1e-6f), fabs_v(g, c[3]))), splat_f(g, 1e-30f)),
      fadd(g, c[2], sel(g, w->halfz, splat_f(g, 0.0f), c[3])),
      fsub(g, c[3], c[2]),
      fadd(g, fmul(g, w->guard_x, c[3]), c[0]),
      fsub(g, fmul(g, w->guard_x, c[3]), c[0]),
      fadd(g, fmul(g, w->guard_y, c[3]), c[1]),
      fsub(g, fmul(g, w->guard_y, c[3]), c[1]),
   };
   LLVMValueRef m = splat_i(g, 0);
   for (unsigned p = 0; p < JIT_CLIP_PLANES; p++) {
      LLVMValueRef out = LLVMBuildFCmp(g->b, LLVMRealULT, dist[p], splat_f(g, 0.0f), ""); /* !(dist >= 0) */
      m = or_(g, m, shl(g, LLVMBuildZExt(g->b, out, g->ty.vi, ""), p));
   }
   rec[4] = m;
}

/* ---- the function ---------------------------------------------------------------------------- */

static LLVMValueRef io_ptr(struct vz *g, LLVMValueRef io, size_t field, unsigned reg, unsigned c)
{
   return gep(g, io, field + ((size_t)reg * 4 + c) * LANES * sizeof(float));
}

int jit_vs_fused_build(const struct jit_shader *sh, const struct jit_vs_variant_key *key, void *module,
                       const char *name, unsigned vector_bits, char *err, size_t err_size)
{
   struct vz g;
   memset(&g, 0, sizeof(g));
   const char *why = jit_vs_fused_unsupported(key, sh);
   if (why) {
      snprintf(err, err_size, "fused variant: %s", why);
      return -1;
   }
   g.m = module;
   g.c = LLVMGetModuleContext(g.m);

   LLVMValueRef body = jit_llvm_build_inlined(sh, module, name, vector_bits, NULL, err, err_size);
   if (!body)
      return -1;

   jit_llvm_types_init(&g.ty, g.c);

   char zname[112];
   snprintf(zname, sizeof(zname), "%s_zero", name);
   LLVMTypeRef zt = LLVMArrayType(g.ty.t_i8, ZERO_BLOCK_BYTES);
   g.zero_block = LLVMAddGlobal(g.m, zt, zname);
   LLVMSetInitializer(g.zero_block, LLVMConstNull(zt));
   LLVMSetGlobalConstant(g.zero_block, 1);
   LLVMSetLinkage(g.zero_block, LLVMPrivateLinkage);
   LLVMSetAlignment(g.zero_block, 16);

   LLVMTypeRef params[2] = { g.ty.t_ptr, g.ty.t_ptr };
   LLVMTypeRef fty = LLVMFunctionType(g.ty.t_void, params, 2, 0);
   g.fn = LLVMAddFunction(g.m, name, fty);
   g.ctx = LLVMGetParam(g.fn, 0);
   g.batch = LLVMGetParam(g.fn, 1);
   jit_llvm_vector_width(g.c, g.fn, vector_bits);
   g.b = LLVMCreateBuilderInContext(g.c);
   LLVMBasicBlockRef entry = LLVMAppendBasicBlockInContext(g.c, g.fn, "entry");
   LLVMBasicBlockRef bref = LLVMAppendBasicBlockInContext(g.c, g.fn, "reference");
   LLVMBasicBlockRef bpre = LLVMAppendBasicBlockInContext(g.c, g.fn, "batch");
   LLVMBasicBlockRef bloop = LLVMAppendBasicBlockInContext(g.c, g.fn, "step");
   LLVMBasicBlockRef bret = LLVMAppendBasicBlockInContext(g.c, g.fn, "ret");
   LLVMPositionBuilderAtEnd(g.b, entry);
   LLVMValueRef io = LLVMBuildAlloca(g.b, LLVMArrayType(g.ty.t_i8, sizeof(struct jit_exec_io)), "io");
   LLVMSetAlignment(io, 64);

   LLVMValueRef ids_p = load_at(&g, g.ty.t_ptr, g.batch, offsetof(struct jit_vs_batch, vertex_ids), "vertex_ids");
   LLVMValueRef count = load_at(&g, g.ty.t_i32, g.batch, offsetof(struct jit_vs_batch, count), "count");
   LLVMValueRef inst = load_at(&g, g.ty.t_i32, g.batch, offsetof(struct jit_vs_batch, instance_id), "instance_id");
   LLVMValueRef out_p = load_at(&g, g.ty.t_ptr, g.batch, offsetof(struct jit_vs_batch, out), "out");
   LLVMValueRef ostride = load_at(&g, g.ty.t_i32, g.batch, offsetof(struct jit_vs_batch, out_stride), "out_stride");
   uint32_t nout = sh->num_outputs;
   LLVMBuildCondBr(g.b, LLVMBuildICmp(g.b, LLVMIntULT, ostride, ci32(&g, 4 * nout), ""), bref, bpre);

   /* an output stride too short for the outputs: the reference's truncation */
   LLVMPositionBuilderAtEnd(g.b, bref);
   {
      LLVMValueRef fp = LLVMConstIntToPtr(ci64(&g, (uint64_t)(uintptr_t)&jit_vs_ref_run), g.ty.t_ptr);
      LLVMValueRef args[2] = { g.ctx, g.batch };
      LLVMBuildCall2(g.b, fty, fp, args, 2, "");
      LLVMBuildBr(g.b, bret);
   }

   LLVMPositionBuilderAtEnd(g.b, bpre);
   LLVMValueRef ostride64 = LLVMBuildZExt(g.b, ostride, g.ty.t_i64, "");
   LLVMValueRef count64 = LLVMBuildZExt(g.b, count, g.ty.t_i64, "");
   uint32_t nel = key->num_elements < JIT_MAX_INPUTS ? key->num_elements : JIT_MAX_INPUTS;
   uint32_t nin = nel > sh->num_inputs ? nel : sh->num_inputs;
   nin = nin < 1 ? 1 : nin > JIT_MAX_INPUTS ? JIT_MAX_INPUTS : nin;
   struct fetch_pre pre[JIT_MAX_INPUTS];
   for (uint32_t e = 0; e < nel; e++)
      emit_fetch_pre(&g, &key->elements[e], inst, &pre[e]);
   struct win_pre win;
   emit_window_pre(&g, ostride, nout, &win);
   LLVMBuildCondBr(g.b, LLVMBuildICmp(g.b, LLVMIntEQ, count, ci32(&g, 0), ""), bret, bloop);

   /* one step of LANES vertices from base */
   LLVMPositionBuilderAtEnd(g.b, bloop);
   LLVMValueRef base = LLVMBuildPhi(g.b, g.ty.t_i64, "base");
   LLVMValueRef rem = LLVMBuildSub(g.b, count64, base, "");
   LLVMValueRef n = sel(&g, LLVMBuildICmp(g.b, LLVMIntULT, rem, ci64(&g, LANES), ""), rem, ci64(&g, LANES));
   LLVMValueRef n32 = LLVMBuildTrunc(g.b, n, g.ty.t_i32, "n");
   LLVMValueRef lane_e[LANES];
   for (unsigned l = 0; l < LANES; l++)
      lane_e[l] = ci32(&g, l);
   LLVMValueRef live = LLVMBuildICmp(g.b, LLVMIntULT, LLVMConstVector(lane_e, LANES), splat_v(&g, n32), "live");

   /* vertex ids: lanes past the end read the last one and are zeroed */
   LLVMValueRef last = LLVMBuildSub(g.b, count64, ci64(&g, 1), "");
   LLVMValueRef ids = LLVMGetUndef(g.ty.vi);
   for (unsigned l = 0; l < LANES; l++) {
      LLVMValueRef i = LLVMBuildAdd(g.b, base, ci64(&g, l), "");
      i = sel(&g, LLVMBuildICmp(g.b, LLVMIntULT, i, count64, ""), i, last);
      LLVMValueRef x = LLVMBuildLoad2(g.b, g.ty.t_i32, LLVMBuildGEP2(g.b, g.ty.t_i32, ids_p, &i, 1, ""), "");
      ids = LLVMBuildInsertElement(g.b, ids, x, ci32(&g, l), "");
   }
   ids = sel(&g, live, ids, splat_i(&g, 0));
   LLVMSetAlignment(LLVMBuildStore(g.b, ids, gep(&g, io, offsetof(struct jit_exec_io, vertex_id))), 4);
   LLVMBuildStore(g.b, inst, gep(&g, io, offsetof(struct jit_exec_io, instance_id)));
   LLVMBuildStore(g.b, ci32(&g, 0), gep(&g, io, offsetof(struct jit_exec_io, front_facing)));

   /* inputs: the elements, 0 where no element feeds one */
   for (uint32_t e = 0; e < nin; e++) {
      LLVMValueRef v[4];
      if (e < nel)
         emit_fetch(&g, &key->elements[e], &pre[e], ids, live, v);
      else
         v[0] = v[1] = v[2] = v[3] = splat_f(&g, 0.0f);
      for (unsigned c = 0; c < 4; c++)
         LLVMSetAlignment(LLVMBuildStore(g.b, v[c], io_ptr(&g, io, offsetof(struct jit_exec_io, in), e, c)), 16);
   }
   for (uint32_t o = 0; o < (nout ? nout : 1); o++)
      for (unsigned c = 0; c < 4; c++)
         LLVMSetAlignment(
            LLVMBuildStore(g.b, splat_f(&g, 0.0f), io_ptr(&g, io, offsetof(struct jit_exec_io, out), o, c)), 16);

   /* the body over the live lanes */
   LLVMValueRef mask = LLVMBuildSub(g.b, LLVMBuildShl(g.b, ci32(&g, 1), n32, ""), ci32(&g, 1), "mask");
   LLVMTypeRef bparams[3] = { g.ty.t_ptr, g.ty.t_ptr, g.ty.t_i32 };
   LLVMValueRef bargs[3] = { gep(&g, g.ctx, offsetof(struct jit_vs_ctx, stage)), io, mask };
   LLVMBuildCall2(g.b, LLVMFunctionType(g.ty.t_i32, bparams, 3, 0), body, bargs, 3, "");

   /* AoS outputs of the live lanes: vertex base + l at out + (base + l) * stride floats */
   LLVMValueRef vo[JIT_MAX_OUTPUTS][4];
   for (uint32_t s = 0; s < nout; s++)
      for (unsigned c = 0; c < 4; c++) {
         vo[s][c] = LLVMBuildLoad2(g.b, g.ty.vf, io_ptr(&g, io, offsetof(struct jit_exec_io, out), s, c), "");
         LLVMSetAlignment(vo[s][c], 16);
      }
   LLVMValueRef rec[5];
   emit_window(&g, &win, io, rec);
   LLVMTypeRef v4 = LLVMVectorType(g.ty.t_f32, 4);
   for (unsigned l = 0; l < LANES; l++) {
      LLVMBasicBlockRef bst = LLVMAppendBasicBlockInContext(g.c, g.fn, "store");
      LLVMBasicBlockRef bnext = LLVMAppendBasicBlockInContext(g.c, g.fn, "stored");
      LLVMBuildCondBr(g.b, LLVMBuildICmp(g.b, LLVMIntULT, ci32(&g, l), n32, ""), bst, bnext);
      LLVMPositionBuilderAtEnd(g.b, bst);
      LLVMValueRef vtx = LLVMBuildAdd(g.b, base, ci64(&g, l), "");
      LLVMValueRef row = LLVMBuildMul(g.b, vtx, ostride64, "");
      LLVMValueRef rp = LLVMBuildGEP2(g.b, g.ty.t_f32, out_p, &row, 1, "");
      for (uint32_t s = 0; s < nout; s++) {
         LLVMValueRef v = LLVMGetUndef(v4);
         for (unsigned c = 0; c < 4; c++)
            v = LLVMBuildInsertElement(g.b, v, LLVMBuildExtractElement(g.b, vo[s][c], ci32(&g, l), ""), ci32(&g, c),
                                       "");
         LLVMSetAlignment(LLVMBuildStore(g.b, v, gep(&g, rp, (uint64_t)s * 16)), 4);
      }
      LLVMBasicBlockRef bwin = LLVMAppendBasicBlockInContext(g.c, g.fn, "record");
      LLVMBuildCondBr(g.b, win.on, bwin, bnext);
      LLVMPositionBuilderAtEnd(g.b, bwin);
      {
         LLVMValueRef lane = ci32(&g, l);
         LLVMValueRef wptr = LLVMBuildGEP2(g.b, g.ty.t_f32, rp, &win.offset, 1, "record");
         LLVMValueRef v = LLVMGetUndef(v4);
         for (unsigned c = 0; c < 4; c++)
            v = LLVMBuildInsertElement(g.b, v, LLVMBuildExtractElement(g.b, rec[c], lane, ""), ci32(&g, c), "");
         LLVMSetAlignment(LLVMBuildStore(g.b, v, wptr), 4);
         LLVMSetAlignment(LLVMBuildStore(g.b, LLVMBuildExtractElement(g.b, rec[4], lane, ""), gep(&g, wptr, 16)), 4);
      }
      LLVMBuildBr(g.b, bnext);
      LLVMPositionBuilderAtEnd(g.b, bnext);
   }
   LLVMValueRef next = LLVMBuildAdd(g.b, base, ci64(&g, LANES), "next");
   LLVMBasicBlockRef blatch = LLVMGetInsertBlock(g.b);
   LLVMBuildCondBr(g.b, LLVMBuildICmp(g.b, LLVMIntULT, next, count64, ""), bloop, bret);
   LLVMValueRef inc_v[2] = { ci64(&g, 0), next };
   LLVMBasicBlockRef inc_b[2] = { bpre, blatch };
   LLVMAddIncoming(base, inc_v, inc_b, 2);

   LLVMPositionBuilderAtEnd(g.b, bret);
   LLVMBuildRetVoid(g.b);
   LLVMDisposeBuilder(g.b);
   return 0;
}
