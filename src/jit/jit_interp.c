/* jit_interp.c: the reference interpreter of the shader IR over JIT_LANES
 * lanes with an execution mask (IF/ELSE, loops with BRK/CONT, KILL). It is
 * the plain-C twin the LLVM JIT is tested against, and the path that runs a
 * draw while its variant compiles. Registers hold 32-bit words; float ops
 * read them as floats, integer ops as ints, bitwise (no conversion).
 *
 * Defined results where TGSI leaves them open: F2I/F2U saturate and map NaN
 * to 0; UDIV/UMOD by 0 give 0xffffffff; IDIV/MOD by 0 give 0 and INT_MIN/-1
 * gives INT_MIN; shift counts use their low 5 bits; out-of-range register
 * indices read 0 and writes to them are dropped. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jit/jit_ir.h"
#include "jit/jit_math.h"
#include "jit/jit_tex.h"

#define LANES JIT_LANES

typedef union {
   float f[LANES];
   uint32_t u[LANES];
   int32_t i[LANES];
} vec;

/* Loop bookkeeping: lanes that left with BRK or skip to the next iteration with CONT. */
struct loop_frame {
   int32_t start;       /* pc of BGNLOOP */
   uint32_t saved;      /* exec mask when the loop was entered */
   uint32_t brk, cont;
   uint32_t iters;
};

struct cond_frame {
   uint32_t saved;      /* exec mask before IF */
   uint32_t cond;       /* lanes that took the IF branch */
};

struct interp {
   const struct jit_shader *sh;
   const struct jit_stage_ctx *ctx;
   struct jit_exec_io *io;
   uint32_t (*temps)[4][LANES];
   int32_t addr[JIT_MAX_ADDRS][4][LANES];
   uint32_t exec, alive;
   struct cond_frame cond[JIT_MAX_NESTING];
   struct loop_frame loop[JIT_MAX_NESTING];
   unsigned ncond, nloop;
};

_Static_assert(JIT_MAX_NESTING <= 255, "flow stacks are indexed by small counters");

static uint32_t fbits(float f)
{
   uint32_t u;
   memcpy(&u, &f, 4);
   return u;
}

static float bitsf(uint32_t u)
{
   float f;
   memcpy(&f, &u, 4);
   return f;
}

/* Per-lane register index with relative addressing; -1 = out of range. */
static void lane_indices(struct interp *in, int32_t base, uint8_t indirect, uint8_t ind_file, uint16_t ind_index,
                         uint8_t ind_swz, int64_t limit, int32_t idx[LANES])
{
   for (int l = 0; l < LANES; l++) {
      int64_t v = base;
      if (indirect) {
         if (ind_file == JIT_FILE_ADDR)
            v += ind_index < JIT_MAX_ADDRS ? in->addr[ind_index][ind_swz & 3][l] : 0;
         else if (ind_file == JIT_FILE_TEMP && ind_index < in->sh->num_temps)
            v += (int32_t)in->temps[ind_index][ind_swz & 3][l];
      }
      idx[l] = (v >= 0 && v < limit) ? (int32_t)v : -1;
   }
}

static void fetch_channel(struct interp *in, const struct jit_src *s, unsigned chan, vec *out)
{
   const struct jit_shader *sh = in->sh;
   int32_t idx[LANES];
   switch (s->file) {
   case JIT_FILE_TEMP:
      lane_indices(in, s->index, s->indirect, s->ind_file, s->ind_index, s->ind_swizzle, sh->num_temps, idx);
      for (int l = 0; l < LANES; l++)
         out->u[l] = idx[l] >= 0 ? in->temps[idx[l]][chan][l] : 0;
      break;
   case JIT_FILE_INPUT:
      lane_indices(in, s->index, s->indirect, s->ind_file, s->ind_index, s->ind_swizzle, JIT_MAX_INPUTS, idx);
      for (int l = 0; l < LANES; l++)
         out->u[l] = idx[l] >= 0 ? fbits(in->io->in[idx[l]][chan][l]) : 0;
      break;
   case JIT_FILE_OUTPUT:
      lane_indices(in, s->index, s->indirect, s->ind_file, s->ind_index, s->ind_swizzle, JIT_MAX_OUTPUTS, idx);
      for (int l = 0; l < LANES; l++)
         out->u[l] = idx[l] >= 0 ? fbits(in->io->out[idx[l]][chan][l]) : 0;
      break;
   case JIT_FILE_CONST: {
      const float *buf = s->dim < JIT_MAX_CONST_BUFS ? in->ctx->constants[s->dim] : NULL;
      int64_t n = buf ? in->ctx->num_constants[s->dim] : 0;
      lane_indices(in, s->index, s->indirect, s->ind_file, s->ind_index, s->ind_swizzle, n, idx);
      for (int l = 0; l < LANES; l++)
         out->u[l] = idx[l] >= 0 ? fbits(buf[(size_t)idx[l] * 4 + chan]) : 0;
      break;
   }
   case JIT_FILE_IMM:
      lane_indices(in, s->index, s->indirect, s->ind_file, s->ind_index, s->ind_swizzle, sh->num_imms, idx);
      for (int l = 0; l < LANES; l++)
         out->u[l] = idx[l] >= 0 ? sh->imms[idx[l]][chan] : 0;
      break;
   case JIT_FILE_ADDR:
      for (int l = 0; l < LANES; l++)
         out->i[l] = s->index >= 0 && s->index < JIT_MAX_ADDRS ? in->addr[s->index][chan][l] : 0;
      break;
   case JIT_FILE_SYSVAL: {
      unsigned sem = s->index >= 0 && s->index < 8 ? sh->sysval_sem[s->index] : JIT_SEM_COUNT;
      for (int l = 0; l < LANES; l++) {
         uint32_t v = 0;
         if (sem == JIT_SEM_VERTEXID)
            v = chan == 0 ? in->io->vertex_id[l] : 0;
         else if (sem == JIT_SEM_INSTANCEID)
            v = chan == 0 ? in->io->instance_id : 0;
         else if (sem == JIT_SEM_FACE)
            v = chan == 0 ? fbits(in->io->front_facing ? 1.0f : -1.0f) : chan == 3 ? fbits(1.0f) : 0;
         out->u[l] = v;
      }
      break;
   }
   default:
      memset(out, 0, sizeof(*out));
      break;
   }
}

/* Fetch the 4 swizzled, modified channels of a source. */
static void fetch(struct interp *in, const struct jit_src *s, int is_int, vec out[4])
{
   for (unsigned c = 0; c < 4; c++) {
      unsigned sw = s->swizzle[c] & 3;
      unsigned j;
      for (j = 0; j < c; j++) /* reuse an already fetched channel */
         if ((s->swizzle[j] & 3) == sw)
            break;
      if (j < c)
         out[c] = out[j];
      else
         fetch_channel(in, s, sw, &out[c]);
   }
   if (!s->abs && !s->negate)
      return;
   for (unsigned c = 0; c < 4; c++)
      for (int l = 0; l < LANES; l++) {
         if (is_int) {
            int32_t v = out[c].i[l];
            if (s->abs && v < 0)
               v = (int32_t)(0u - (uint32_t)v);
            if (s->negate)
               v = (int32_t)(0u - (uint32_t)v);
            out[c].i[l] = v;
         } else {
            float v = out[c].f[l];
            if (s->abs)
               v = fabsf(v);
            if (s->negate)
               v = -v;
            out[c].f[l] = v;
         }
      }
}

/* MIN/MAX as TGSI wants them (a NaN operand yields the other one) with one
 * defined answer for +0 vs -0 (the second operand), which fminf leaves
 * open; the JIT builds the same selects. */
static float min_t(float a, float b)
{
   return (a < b || b != b) ? a : b;
}

static float max_t(float a, float b)
{
   return (a > b || b != b) ? a : b;
}

static float sat(float v)
{
   if (!(v > 0.0f))
      return 0.0f; /* NaN -> 0 */
   return v > 1.0f ? 1.0f : v;
}

static void store(struct interp *in, const struct jit_inst *inst, vec r[4])
{
   const struct jit_dst *d = &inst->dst;
   int32_t idx[LANES];
   int64_t limit = d->file == JIT_FILE_TEMP ? in->sh->num_temps
                 : d->file == JIT_FILE_OUTPUT ? JIT_MAX_OUTPUTS
                 : d->file == JIT_FILE_ADDR ? JIT_MAX_ADDRS : 0;
   lane_indices(in, d->index, d->indirect, JIT_FILE_ADDR, d->ind_index, d->ind_swizzle, limit, idx);
   for (unsigned c = 0; c < 4; c++) {
      if (!(d->writemask & (1u << c)))
         continue;
      for (int l = 0; l < LANES; l++) {
         if (!(in->exec & (1u << l)) || idx[l] < 0)
            continue;
         uint32_t v = r[c].u[l];
         if (inst->saturate)
            v = fbits(sat(bitsf(v)));
         switch (d->file) {
         case JIT_FILE_TEMP: in->temps[idx[l]][c][l] = v; break;
         case JIT_FILE_OUTPUT: in->io->out[idx[l]][c][l] = bitsf(v); break;
         case JIT_FILE_ADDR: in->addr[idx[l]][c][l] = (int32_t)v; break;
         default: break;
         }
      }
   }
}

static int32_t f2i(float f)
{
   if (f != f)
      return 0;
   if (f >= 2147483648.0f)
      return INT32_MAX;
   if (f <= -2147483648.0f)
      return INT32_MIN;
   return (int32_t)f;
}

static uint32_t f2u(float f)
{
   if (!(f > 0.0f))
      return 0;
   if (f >= 4294967296.0f)
      return UINT32_MAX;
   return (uint32_t)f;
}

/* Component-wise ops: r = f(a, b, c) per channel and lane. */
static uint32_t alu(unsigned op, uint32_t ua, uint32_t ub, uint32_t uc)
{
   float a = bitsf(ua), b = bitsf(ub), c = bitsf(uc);
   int32_t ia = (int32_t)ua, ib = (int32_t)ub;
   switch (op) {
   case JIT_OP_MOV: return ua;
   case JIT_OP_ADD: return fbits(a + b);
   case JIT_OP_MUL: return fbits(a * b);
   case JIT_OP_MAD: return fbits(a * b + c);
   case JIT_OP_FMA: return fbits(fmaf(a, b, c));
   case JIT_OP_DIV: return fbits(a / b);
   case JIT_OP_MIN: return fbits(min_t(a, b));
   case JIT_OP_MAX: return fbits(max_t(a, b));
   case JIT_OP_FRC: return fbits(a - floorf(a));
   case JIT_OP_FLR: return fbits(floorf(a));
   case JIT_OP_CEIL: return fbits(ceilf(a));
   case JIT_OP_TRUNC: return fbits(truncf(a));
   case JIT_OP_ROUND: return fbits(rintf(a));
   case JIT_OP_LRP: return fbits(a * b + (1.0f - a) * c);
   case JIT_OP_CMP: return a < 0.0f ? ub : uc;
   case JIT_OP_SSG: return fbits(a > 0.0f ? 1.0f : a < 0.0f ? -1.0f : 0.0f);
   case JIT_OP_ABS: return fbits(fabsf(a));
   case JIT_OP_SLT: return fbits(a < b ? 1.0f : 0.0f);
   case JIT_OP_SGE: return fbits(a >= b ? 1.0f : 0.0f);
   case JIT_OP_SEQ: return fbits(a == b ? 1.0f : 0.0f);
   case JIT_OP_SNE: return fbits(a != b ? 1.0f : 0.0f);
   case JIT_OP_SGT: return fbits(a > b ? 1.0f : 0.0f);
   case JIT_OP_SLE: return fbits(a <= b ? 1.0f : 0.0f);
   case JIT_OP_FSLT: return a < b ? ~0u : 0;
   case JIT_OP_FSGE: return a >= b ? ~0u : 0;
   case JIT_OP_FSEQ: return a == b ? ~0u : 0;
   case JIT_OP_FSNE: return a != b ? ~0u : 0;
   case JIT_OP_UADD: return ua + ub;
   case JIT_OP_UMUL: return ua * ub;
   case JIT_OP_UMAD: return ua * ub + uc;
   case JIT_OP_IMUL_HI: return (uint32_t)(((int64_t)ia * (int64_t)ib) >> 32);
   case JIT_OP_UMUL_HI: return (uint32_t)(((uint64_t)ua * (uint64_t)ub) >> 32);
   case JIT_OP_UDIV: return ub ? ua / ub : ~0u;
   case JIT_OP_UMOD: return ub ? ua % ub : ~0u;
   case JIT_OP_IDIV:
      if (ib == 0)
         return 0;
      if (ia == INT32_MIN && ib == -1)
         return (uint32_t)INT32_MIN;
      return (uint32_t)(ia / ib);
   case JIT_OP_MOD:
      if (ib == 0 || (ia == INT32_MIN && ib == -1))
         return 0;
      return (uint32_t)(ia % ib);
   case JIT_OP_AND: return ua & ub;
   case JIT_OP_OR: return ua | ub;
   case JIT_OP_XOR: return ua ^ ub;
   case JIT_OP_NOT: return ~ua;
   case JIT_OP_SHL: return ua << (ub & 31);
   case JIT_OP_USHR: return ua >> (ub & 31);
   case JIT_OP_ISHR: return (uint32_t)(ia >> (ub & 31));
   case JIT_OP_INEG: return 0u - ua;
   case JIT_OP_IABS: return ia < 0 ? 0u - ua : ua;
   case JIT_OP_ISSG: return (uint32_t)(ia > 0 ? 1 : ia < 0 ? -1 : 0);
   case JIT_OP_IMAX: return (uint32_t)(ia > ib ? ia : ib);
   case JIT_OP_IMIN: return (uint32_t)(ia < ib ? ia : ib);
   case JIT_OP_UMAX: return ua > ub ? ua : ub;
   case JIT_OP_UMIN: return ua < ub ? ua : ub;
   case JIT_OP_UCMP: return ua ? ub : uc;
   case JIT_OP_USEQ: return ua == ub ? ~0u : 0;
   case JIT_OP_USNE: return ua != ub ? ~0u : 0;
   case JIT_OP_ISLT: return ia < ib ? ~0u : 0;
   case JIT_OP_ISGE: return ia >= ib ? ~0u : 0;
   case JIT_OP_USLT: return ua < ub ? ~0u : 0;
   case JIT_OP_USGE: return ua >= ub ? ~0u : 0;
   case JIT_OP_I2F: return fbits((float)ia);
   case JIT_OP_U2F: return fbits((float)ua);
   case JIT_OP_F2I: return (uint32_t)f2i(a);
   case JIT_OP_F2U: return f2u(a);
   case JIT_OP_ARL: return (uint32_t)f2i(floorf(a));
   case JIT_OP_UARL: return ua;
   case JIT_OP_DDX: case JIT_OP_DDY: case JIT_OP_DDX_FINE: case JIT_OP_DDY_FINE: return 0; /* not here */
   default: return 0;
   }
}

/* Ops whose scalar result (from .x of the sources) is replicated. */
static uint32_t scalar(unsigned op, float a, float b)
{
   switch (op) {
   case JIT_OP_RCP: return fbits(1.0f / a);
   case JIT_OP_RSQ: return fbits(1.0f / sqrtf(fabsf(a)));
   case JIT_OP_SQRT: return fbits(sqrtf(a));
   case JIT_OP_EX2: return fbits(jit_exp2(a));
   case JIT_OP_LG2: return fbits(jit_log2(a));
   case JIT_OP_POW: return fbits(jit_pow(a, b));
   case JIT_OP_SIN: return fbits(jit_sin(a));
   case JIT_OP_COS: return fbits(jit_cos(a));
   default: return 0;
   }
}

static void derivative(unsigned op, const vec *a, vec *r)
{
   for (int q = 0; q < LANES / 4; q++) {
      const float *v = &a->f[q * 4];
      float *o = &r->f[q * 4];
      if (op == JIT_OP_DDX) {
         o[0] = o[1] = o[2] = o[3] = v[1] - v[0];
      } else if (op == JIT_OP_DDY) {
         o[0] = o[1] = o[2] = o[3] = v[2] - v[0];
      } else if (op == JIT_OP_DDX_FINE) {
         o[0] = o[1] = v[1] - v[0];
         o[2] = o[3] = v[3] - v[2];
      } else {
         o[0] = o[2] = v[2] - v[0];
         o[1] = o[3] = v[3] - v[1];
      }
   }
}

/* Mask of lanes where the .x of an IF/UIF condition is true. */
static uint32_t cond_mask(const struct jit_inst *inst, const vec *x)
{
   uint32_t m = 0;
   for (int l = 0; l < LANES; l++) {
      int t = inst->opcode == JIT_OP_UIF ? x->u[l] != 0 : x->f[l] != 0.0f;
      if (t)
         m |= 1u << l;
   }
   return m;
}

/* Lanes the innermost loop has taken out of this iteration. */
static uint32_t loop_out(const struct interp *in)
{
   return in->nloop ? in->loop[in->nloop - 1].brk | in->loop[in->nloop - 1].cont : 0;
}

static void run(struct interp *in)
{
   const struct jit_shader *sh = in->sh;
   vec s[4][4], r[4];
   int32_t pc = 0;
   while (pc >= 0 && (uint32_t)pc < sh->num_insts) {
      const struct jit_inst *inst = &sh->insts[pc];
      unsigned op = inst->opcode;
      switch (op) {
      case JIT_OP_END:
         return;
      case JIT_OP_NOP:
         pc++;
         continue;
      case JIT_OP_IF:
      case JIT_OP_UIF: {
         fetch(in, &inst->src[0], op == JIT_OP_UIF, s[0]);
         struct cond_frame *f = &in->cond[in->ncond++];
         f->saved = in->exec;
         f->cond = in->exec & cond_mask(inst, &s[0][0]);
         in->exec = f->cond;
         if (!in->exec && inst->label >= 0) {
            pc = inst->label; /* ELSE or ENDIF handles the mask */
            continue;
         }
         pc++;
         continue;
      }
      case JIT_OP_ELSE: {
         struct cond_frame *f = &in->cond[in->ncond - 1];
         in->exec = f->saved & ~f->cond & ~loop_out(in) & in->alive;
         if (!in->exec && inst->label >= 0) {
            pc = inst->label;
            continue;
         }
         pc++;
         continue;
      }
      case JIT_OP_ENDIF: {
         struct cond_frame *f = &in->cond[--in->ncond];
         in->exec = f->saved & ~loop_out(in) & in->alive;
         pc++;
         continue;
      }
      case JIT_OP_BGNLOOP: {
         struct loop_frame *f = &in->loop[in->nloop++];
         f->start = pc;
         f->saved = in->exec;
         f->brk = f->cont = 0;
         f->iters = 0;
         pc++;
         continue;
      }
      case JIT_OP_BRK:
         in->loop[in->nloop - 1].brk |= in->exec;
         in->exec = 0;
         pc++;
         continue;
      case JIT_OP_CONT:
         in->loop[in->nloop - 1].cont |= in->exec;
         in->exec = 0;
         pc++;
         continue;
      case JIT_OP_ENDLOOP: {
         struct loop_frame *f = &in->loop[in->nloop - 1];
         f->cont = 0;
         in->exec = f->saved & ~f->brk & in->alive;
         if (in->exec && ++f->iters < JIT_MAX_LOOP_ITERS) {
            pc = f->start + 1;
            continue;
         }
         in->exec = f->saved & in->alive;
         in->nloop--;
         pc++;
         continue;
      }
      case JIT_OP_KILL:
         in->alive &= ~in->exec;
         in->exec = 0;
         pc++;
         continue;
      case JIT_OP_KILL_IF: {
         fetch(in, &inst->src[0], 0, s[0]);
         uint32_t k = 0;
         for (int l = 0; l < LANES; l++)
            if (s[0][0].f[l] < 0.0f || s[0][1].f[l] < 0.0f || s[0][2].f[l] < 0.0f || s[0][3].f[l] < 0.0f)
               k |= 1u << l;
         k &= in->exec;
         in->alive &= ~k;
         in->exec &= ~k;
         pc++;
         continue;
      }
      default:
         break;
      }

      if (!in->exec) {
         pc++;
         continue;
      }
      int is_int = jit_opcode_int_sources(op);
      for (int i = 0; i < inst->num_src; i++)
         if (inst->src[i].file != JIT_FILE_SAMPLER && inst->src[i].file != JIT_FILE_SVIEW)
            fetch(in, &inst->src[i], is_int && !(op == JIT_OP_UCMP && i > 0), s[i]);

      switch (op) {
      case JIT_OP_DP2: case JIT_OP_DP3: case JIT_OP_DP4: case JIT_OP_DPH:
         for (int l = 0; l < LANES; l++) {
            float d = s[0][0].f[l] * s[1][0].f[l] + s[0][1].f[l] * s[1][1].f[l];
            if (op != JIT_OP_DP2)
               d += s[0][2].f[l] * s[1][2].f[l];
            if (op == JIT_OP_DP4)
               d += s[0][3].f[l] * s[1][3].f[l];
            if (op == JIT_OP_DPH)
               d += s[1][3].f[l];
            for (int c = 0; c < 4; c++)
               r[c].f[l] = d;
         }
         break;
      case JIT_OP_RCP: case JIT_OP_RSQ: case JIT_OP_SQRT: case JIT_OP_EX2: case JIT_OP_LG2:
      case JIT_OP_POW: case JIT_OP_SIN: case JIT_OP_COS:
         for (int l = 0; l < LANES; l++) {
            uint32_t v = scalar(op, s[0][0].f[l], op == JIT_OP_POW ? s[1][0].f[l] : 0.0f);
            for (int c = 0; c < 4; c++)
               r[c].u[l] = v;
         }
         break;
      case JIT_OP_EXP:
         for (int l = 0; l < LANES; l++) {
            float x = s[0][0].f[l], fl = floorf(x);
            r[0].f[l] = jit_exp2(fl);
            r[1].f[l] = x - fl;
            r[2].f[l] = jit_exp2(x);
            r[3].f[l] = 1.0f;
         }
         break;
      case JIT_OP_LOG:
         for (int l = 0; l < LANES; l++) {
            float x = fabsf(s[0][0].f[l]), lg = jit_log2(x), fl = floorf(lg);
            r[0].f[l] = fl;
            r[1].f[l] = x / jit_exp2(fl);
            r[2].f[l] = lg;
            r[3].f[l] = 1.0f;
         }
         break;
      case JIT_OP_LIT:
         for (int l = 0; l < LANES; l++) {
            float x = s[0][0].f[l], y = max_t(s[0][1].f[l], 0.0f), w = s[0][3].f[l];
            w = min_t(max_t(w, -128.0f), 128.0f);
            r[0].f[l] = 1.0f;
            r[1].f[l] = max_t(x, 0.0f);
            r[2].f[l] = x > 0.0f ? jit_pow(y, w) : 0.0f;
            r[3].f[l] = 1.0f;
         }
         break;
      case JIT_OP_DST:
         for (int l = 0; l < LANES; l++) {
            r[0].f[l] = 1.0f;
            r[1].f[l] = s[0][1].f[l] * s[1][1].f[l];
            r[2].f[l] = s[0][2].f[l];
            r[3].f[l] = s[1][3].f[l];
         }
         break;
      case JIT_OP_XPD:
         for (int l = 0; l < LANES; l++) {
            float ax = s[0][0].f[l], ay = s[0][1].f[l], az = s[0][2].f[l];
            float bx = s[1][0].f[l], by = s[1][1].f[l], bz = s[1][2].f[l];
            r[0].f[l] = ay * bz - az * by;
            r[1].f[l] = az * bx - ax * bz;
            r[2].f[l] = ax * by - ay * bx;
            r[3].f[l] = 1.0f;
         }
         break;
      case JIT_OP_SCS:
         for (int l = 0; l < LANES; l++) {
            r[0].f[l] = jit_cos(s[0][0].f[l]);
            r[1].f[l] = jit_sin(s[0][0].f[l]);
            r[2].f[l] = 0.0f;
            r[3].f[l] = 1.0f;
         }
         break;
      case JIT_OP_DDX: case JIT_OP_DDY: case JIT_OP_DDX_FINE: case JIT_OP_DDY_FINE:
         for (int c = 0; c < 4; c++)
            derivative(op, &s[0][c], &r[c]);
         break;
      case JIT_OP_TEX: case JIT_OP_TXP: case JIT_OP_TXB: case JIT_OP_TXL: case JIT_OP_TXD: case JIT_OP_TXF:
      case JIT_OP_TXQ: case JIT_OP_TEX2: case JIT_OP_TXB2: case JIT_OP_TXL2:
         jit_tex_exec(in->ctx, inst, in->sh->stage, in->exec, (const float(*)[4][LANES])s, (float(*)[LANES])r);
         break;
      default: {
         static const vec zero;
         for (int c = 0; c < 4; c++) {
            if (!(inst->dst.writemask & (1u << c)))
               continue;
            const vec *a = &s[0][c], *b = inst->num_src > 1 ? &s[1][c] : &zero,
                      *cc = inst->num_src > 2 ? &s[2][c] : &zero;
            for (int l = 0; l < LANES; l++)
               r[c].u[l] = alu(op, a->u[l], b->u[l], cc->u[l]);
         }
         break;
      }
      }
      if (inst->num_dst)
         store(in, inst, r);
      pc++;
   }
}

uint32_t jit_interp_run(const struct jit_shader *sh, const struct jit_stage_ctx *ctx, struct jit_exec_io *io,
                        uint32_t mask)
{
   struct interp in;
   uint32_t small[16][4][LANES];
   memset(&in.addr, 0, sizeof(in.addr));
   in.sh = sh;
   in.ctx = ctx;
   in.io = io;
   in.ncond = in.nloop = 0;
   in.exec = in.alive = mask & ((1u << LANES) - 1);
   if (sh->num_temps <= 16) {
      in.temps = small;
   } else {
      in.temps = malloc((size_t)sh->num_temps * sizeof(*in.temps));
      if (!in.temps)
         return 0; /* no memory: every lane is dropped, nothing is written */
   }
   memset(in.temps, 0, (size_t)(sh->num_temps ? sh->num_temps : 1) * sizeof(*in.temps));
   run(&in);
   if (in.temps != small)
      free(in.temps);
   return in.alive;
}
