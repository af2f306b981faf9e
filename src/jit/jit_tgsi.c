/* jit_tgsi.c: parses TGSI text, as Mesa's virgl driver sends it inside
 * CREATE_OBJECT(SHADER), into the register IR of jit_ir.h. The text comes
 * from a guest: every index, count and length is checked, and an error
 * names the line. Subroutines (BGNSUB/CAL) and non-VS/FS stages are refused. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jit/jit_ir.h"
#include "jit/jit_llvm.h"

/* Operand counts and kind of each opcode. */
struct op_info {
   const char *name;
   uint8_t ndst, nsrc;
   uint8_t tex;        /* 1 = texture op: a sampler operand then a target follow the sources */
};

static const struct op_info op_table[JIT_OP_COUNT] = {
   [JIT_OP_NOP] = { "NOP", 0, 0, 0 },
   [JIT_OP_MOV] = { "MOV", 1, 1, 0 }, [JIT_OP_ADD] = { "ADD", 1, 2, 0 }, [JIT_OP_MUL] = { "MUL", 1, 2, 0 },
   [JIT_OP_MAD] = { "MAD", 1, 3, 0 }, [JIT_OP_FMA] = { "FMA", 1, 3, 0 }, [JIT_OP_DP2] = { "DP2", 1, 2, 0 },
   [JIT_OP_DP3] = { "DP3", 1, 2, 0 }, [JIT_OP_DP4] = { "DP4", 1, 2, 0 }, [JIT_OP_DPH] = { "DPH", 1, 2, 0 },
   [JIT_OP_MIN] = { "MIN", 1, 2, 0 }, [JIT_OP_MAX] = { "MAX", 1, 2, 0 }, [JIT_OP_RCP] = { "RCP", 1, 1, 0 },
   [JIT_OP_RSQ] = { "RSQ", 1, 1, 0 }, [JIT_OP_SQRT] = { "SQRT", 1, 1, 0 }, [JIT_OP_EX2] = { "EX2", 1, 1, 0 },
   [JIT_OP_LG2] = { "LG2", 1, 1, 0 }, [JIT_OP_POW] = { "POW", 1, 2, 0 }, [JIT_OP_EXP] = { "EXP", 1, 1, 0 },
   [JIT_OP_LOG] = { "LOG", 1, 1, 0 }, [JIT_OP_LIT] = { "LIT", 1, 1, 0 }, [JIT_OP_DST] = { "DST", 1, 2, 0 },
   [JIT_OP_XPD] = { "XPD", 1, 2, 0 }, [JIT_OP_DIV] = { "DIV", 1, 2, 0 }, [JIT_OP_FRC] = { "FRC", 1, 1, 0 },
   [JIT_OP_FLR] = { "FLR", 1, 1, 0 }, [JIT_OP_CEIL] = { "CEIL", 1, 1, 0 }, [JIT_OP_TRUNC] = { "TRUNC", 1, 1, 0 },
   [JIT_OP_ROUND] = { "ROUND", 1, 1, 0 }, [JIT_OP_LRP] = { "LRP", 1, 3, 0 }, [JIT_OP_CMP] = { "CMP", 1, 3, 0 },
   [JIT_OP_SSG] = { "SSG", 1, 1, 0 }, [JIT_OP_ABS] = { "ABS", 1, 1, 0 }, [JIT_OP_SIN] = { "SIN", 1, 1, 0 },
   [JIT_OP_COS] = { "COS", 1, 1, 0 }, [JIT_OP_SCS] = { "SCS", 1, 1, 0 }, [JIT_OP_DDX] = { "DDX", 1, 1, 0 },
   [JIT_OP_DDY] = { "DDY", 1, 1, 0 }, [JIT_OP_DDX_FINE] = { "DDX_FINE", 1, 1, 0 },
   [JIT_OP_DDY_FINE] = { "DDY_FINE", 1, 1, 0 }, [JIT_OP_ARL] = { "ARL", 1, 1, 0 },
   [JIT_OP_UARL] = { "UARL", 1, 1, 0 },
   [JIT_OP_SLT] = { "SLT", 1, 2, 0 }, [JIT_OP_SGE] = { "SGE", 1, 2, 0 }, [JIT_OP_SEQ] = { "SEQ", 1, 2, 0 },
   [JIT_OP_SNE] = { "SNE", 1, 2, 0 }, [JIT_OP_SGT] = { "SGT", 1, 2, 0 }, [JIT_OP_SLE] = { "SLE", 1, 2, 0 },
   [JIT_OP_FSLT] = { "FSLT", 1, 2, 0 }, [JIT_OP_FSGE] = { "FSGE", 1, 2, 0 }, [JIT_OP_FSEQ] = { "FSEQ", 1, 2, 0 },
   [JIT_OP_FSNE] = { "FSNE", 1, 2, 0 },
   [JIT_OP_UADD] = { "UADD", 1, 2, 0 }, [JIT_OP_UMUL] = { "UMUL", 1, 2, 0 }, [JIT_OP_UMAD] = { "UMAD", 1, 3, 0 },
   [JIT_OP_IMUL_HI] = { "IMUL_HI", 1, 2, 0 }, [JIT_OP_UMUL_HI] = { "UMUL_HI", 1, 2, 0 },
   [JIT_OP_UDIV] = { "UDIV", 1, 2, 0 }, [JIT_OP_IDIV] = { "IDIV", 1, 2, 0 }, [JIT_OP_UMOD] = { "UMOD", 1, 2, 0 },
   [JIT_OP_MOD] = { "MOD", 1, 2, 0 }, [JIT_OP_AND] = { "AND", 1, 2, 0 }, [JIT_OP_OR] = { "OR", 1, 2, 0 },
   [JIT_OP_XOR] = { "XOR", 1, 2, 0 }, [JIT_OP_NOT] = { "NOT", 1, 1, 0 }, [JIT_OP_SHL] = { "SHL", 1, 2, 0 },
   [JIT_OP_USHR] = { "USHR", 1, 2, 0 }, [JIT_OP_ISHR] = { "ISHR", 1, 2, 0 }, [JIT_OP_INEG] = { "INEG", 1, 1, 0 },
   [JIT_OP_IABS] = { "IABS", 1, 1, 0 }, [JIT_OP_ISSG] = { "ISSG", 1, 1, 0 }, [JIT_OP_IMAX] = { "IMAX", 1, 2, 0 },
   [JIT_OP_IMIN] = { "IMIN", 1, 2, 0 }, [JIT_OP_UMAX] = { "UMAX", 1, 2, 0 }, [JIT_OP_UMIN] = { "UMIN", 1, 2, 0 },
   [JIT_OP_UCMP] = { "UCMP", 1, 3, 0 }, [JIT_OP_USEQ] = { "USEQ", 1, 2, 0 }, [JIT_OP_USNE] = { "USNE", 1, 2, 0 },
   [JIT_OP_ISLT] = { "ISLT", 1, 2, 0 }, [JIT_OP_ISGE] = { "ISGE", 1, 2, 0 }, [JIT_OP_USLT] = { "USLT", 1, 2, 0 },
   [JIT_OP_USGE] = { "USGE", 1, 2, 0 },
   [JIT_OP_I2F] = { "I2F", 1, 1, 0 }, [JIT_OP_U2F] = { "U2F", 1, 1, 0 }, [JIT_OP_F2I] = { "F2I", 1, 1, 0 },
   [JIT_OP_F2U] = { "F2U", 1, 1, 0 },
   [JIT_OP_TEX] = { "TEX", 1, 1, 1 }, [JIT_OP_TXP] = { "TXP", 1, 1, 1 }, [JIT_OP_TXB] = { "TXB", 1, 1, 1 },
   [JIT_OP_TXL] = { "TXL", 1, 1, 1 }, [JIT_OP_TXD] = { "TXD", 1, 3, 1 }, [JIT_OP_TXF] = { "TXF", 1, 1, 1 },
   [JIT_OP_TXQ] = { "TXQ", 1, 1, 1 }, [JIT_OP_TEX2] = { "TEX2", 1, 2, 1 }, [JIT_OP_TXB2] = { "TXB2", 1, 2, 1 },
   [JIT_OP_TXL2] = { "TXL2", 1, 2, 1 },
   [JIT_OP_KILL] = { "KILL", 0, 0, 0 }, [JIT_OP_KILL_IF] = { "KILL_IF", 0, 1, 0 },
   [JIT_OP_IF] = { "IF", 0, 1, 0 }, [JIT_OP_UIF] = { "UIF", 0, 1, 0 }, [JIT_OP_ELSE] = { "ELSE", 0, 0, 0 },
   [JIT_OP_ENDIF] = { "ENDIF", 0, 0, 0 }, [JIT_OP_BGNLOOP] = { "BGNLOOP", 0, 0, 0 },
   [JIT_OP_ENDLOOP] = { "ENDLOOP", 0, 0, 0 }, [JIT_OP_BRK] = { "BRK", 0, 0, 0 }, [JIT_OP_CONT] = { "CONT", 0, 0, 0 },
   [JIT_OP_BGNSUB] = { "BGNSUB", 0, 0, 0 }, [JIT_OP_ENDSUB] = { "ENDSUB", 0, 0, 0 },
   [JIT_OP_CAL] = { "CAL", 0, 0, 0 }, [JIT_OP_RET] = { "RET", 0, 0, 0 }, [JIT_OP_END] = { "END", 0, 0, 0 },
};

int jit_opcode_int_sources(unsigned op)
{
   return (op >= JIT_OP_UADD && op <= JIT_OP_USGE) || op == JIT_OP_I2F || op == JIT_OP_U2F ||
          op == JIT_OP_UARL || op == JIT_OP_UIF || op == JIT_OP_TXF || op == JIT_OP_TXQ;
}

int jit_shader_output(const struct jit_shader *sh, unsigned semantic, unsigned index)
{
   for (uint32_t i = 0; i < sh->num_outputs; i++)
      if (sh->outputs[i].declared && sh->outputs[i].semantic == semantic && sh->outputs[i].semantic_index == index)
         return (int)i;
   return -1;
}

const char *jit_opcode_name(unsigned op)
{
   return op < JIT_OP_COUNT && op_table[op].name ? op_table[op].name : "?";
}

static const char *const file_names[JIT_FILE_COUNT] = {
   [JIT_FILE_NULL] = "NULL", [JIT_FILE_CONST] = "CONST", [JIT_FILE_INPUT] = "IN", [JIT_FILE_OUTPUT] = "OUT",
   [JIT_FILE_TEMP] = "TEMP", [JIT_FILE_SAMPLER] = "SAMP", [JIT_FILE_ADDR] = "ADDR", [JIT_FILE_IMM] = "IMM",
   [JIT_FILE_SYSVAL] = "SV", [JIT_FILE_SVIEW] = "SVIEW",
};

static const char *const sem_names[JIT_SEM_COUNT] = {
   [JIT_SEM_POSITION] = "POSITION", [JIT_SEM_COLOR] = "COLOR", [JIT_SEM_BCOLOR] = "BCOLOR",
   [JIT_SEM_FOG] = "FOG", [JIT_SEM_PSIZE] = "PSIZE", [JIT_SEM_GENERIC] = "GENERIC", [JIT_SEM_NORMAL] = "NORMAL",
   [JIT_SEM_FACE] = "FACE", [JIT_SEM_EDGEFLAG] = "EDGEFLAG", [JIT_SEM_PRIMID] = "PRIM_ID",
   [JIT_SEM_INSTANCEID] = "INSTANCEID", [JIT_SEM_VERTEXID] = "VERTEXID", [JIT_SEM_TEXCOORD] = "TEXCOORD",
   [JIT_SEM_PCOORD] = "PCOORD", [JIT_SEM_CLIPVERTEX] = "CLIPVERTEX", [JIT_SEM_CLIPDIST] = "CLIPDIST",
   [JIT_SEM_SAMPLEMASK] = "SAMPLEMASK",
};

/* Texture targets as TGSI spells them. */
static const struct {
   const char *name;
   uint8_t target, shadow;
} tex_targets[] = {
   { "1D", PIPE_TEXTURE_1D, 0 }, { "2D", PIPE_TEXTURE_2D, 0 }, { "3D", PIPE_TEXTURE_3D, 0 },
   { "CUBE", PIPE_TEXTURE_CUBE, 0 }, { "RECT", PIPE_TEXTURE_RECT, 0 },
   { "SHADOW1D", PIPE_TEXTURE_1D, 1 }, { "SHADOW2D", PIPE_TEXTURE_2D, 1 }, { "SHADOWRECT", PIPE_TEXTURE_RECT, 1 },
   { "1D_ARRAY", PIPE_TEXTURE_1D_ARRAY, 0 }, { "2D_ARRAY", PIPE_TEXTURE_2D_ARRAY, 0 },
   { "SHADOW1D_ARRAY", PIPE_TEXTURE_1D_ARRAY, 1 }, { "SHADOW2D_ARRAY", PIPE_TEXTURE_2D_ARRAY, 1 },
   { "SHADOWCUBE", PIPE_TEXTURE_CUBE, 1 }, { "CUBE_ARRAY", PIPE_TEXTURE_CUBE_ARRAY, 0 },
   { "SHADOWCUBE_ARRAY", PIPE_TEXTURE_CUBE_ARRAY, 1 }, { "BUFFER", PIPE_BUFFER, 0 },
};

struct parser {
   const char *p, *end;
   unsigned line;
   char *err;
   size_t err_size;
   struct jit_shader *sh;
   uint32_t insts_cap, imms_cap;
   int32_t flow_stack[JIT_MAX_NESTING];   /* index of the open IF/ELSE/BGNLOOP */
   unsigned flow_depth;
   unsigned loop_depth;
   int32_t max_temp, max_addr, max_const[JIT_MAX_CONST_BUFS];
};

static int perr(struct parser *ps, const char *fmt, ...)
{
   char msg[200];
   va_list ap;
   va_start(ap, fmt);
   vsnprintf(msg, sizeof(msg), fmt, ap);
   va_end(ap);
   snprintf(ps->err, ps->err_size, "line %u: %s", ps->line, msg);
   return -1;
}

static void skip_spaces(struct parser *ps)
{
   while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\r'))
      ps->p++;
}

static int at_eol(struct parser *ps)
{
   skip_spaces(ps);
   return ps->p >= ps->end || *ps->p == '\n';
}

static int peek(struct parser *ps)
{
   skip_spaces(ps);
   return ps->p < ps->end ? (unsigned char)*ps->p : 0;
}

static int accept(struct parser *ps, char c)
{
   if (peek(ps) == c) {
      ps->p++;
      return 1;
   }
   return 0;
}

/* An identifier [A-Za-z_][A-Za-z0-9_]* into buf; 0 if none. */
static int ident(struct parser *ps, char *buf, size_t size)
{
   skip_spaces(ps);
   size_t n = 0;
   if (ps->p >= ps->end || !(isalpha((unsigned char)*ps->p) || *ps->p == '_'))
      return 0;
   while (ps->p < ps->end && (isalnum((unsigned char)*ps->p) || *ps->p == '_')) {
      if (n + 1 < size)
         buf[n++] = *ps->p;
      ps->p++;
   }
   buf[n] = 0;
   return n + 1 < size ? 1 : 0;
}

/* A decimal unsigned integer (bounded): -1 on error. */
static int number(struct parser *ps, int64_t *out)
{
   skip_spaces(ps);
   int neg = 0;
   if (ps->p < ps->end && (*ps->p == '-' || *ps->p == '+')) {
      neg = *ps->p == '-';
      ps->p++;
   }
   if (ps->p >= ps->end || !isdigit((unsigned char)*ps->p))
      return -1;
   int64_t v = 0;
   while (ps->p < ps->end && isdigit((unsigned char)*ps->p)) {
      v = v * 10 + (*ps->p - '0');
      if (v > (1ll << 32))
         return -1;
      ps->p++;
   }
   *out = neg ? -v : v;
   return 0;
}

static int expect(struct parser *ps, char c)
{
   if (!accept(ps, c))
      return perr(ps, "expected '%c'", c);
   return 0;
}

static int lookup_file(const char *name)
{
   for (int f = 1; f < JIT_FILE_COUNT; f++)
      if (!strcmp(name, file_names[f]))
         return f;
   return -1;
}

static int comp_index(char c)
{
   switch (c) {
   case 'x': case 'r': return 0;
   case 'y': case 'g': return 1;
   case 'z': case 'b': return 2;
   case 'w': case 'a': return 3;
   default: return -1;
   }
}

/* ".xyzw"-style suffix: letters into comps, returns count (0 = none). */
static int swizzle_letters(struct parser *ps, uint8_t comps[4])
{
   if (ps->p >= ps->end || *ps->p != '.')
      return 0;
   ps->p++;
   int n = 0;
   while (ps->p < ps->end && comp_index(*ps->p) >= 0) {
      if (n == 4)
         return -1;
      comps[n++] = (uint8_t)comp_index(*ps->p);
      ps->p++;
   }
   return n == 0 ? -1 : n;
}

/* Parse "[index-expr]" into index / indirect fields. */
static int bracket_index(struct parser *ps, int32_t *index, uint8_t *indirect, uint8_t *ind_file,
                         uint16_t *ind_index, uint8_t *ind_swz)
{
   if (expect(ps, '['))
      return -1;
   *indirect = 0;
   *index = 0;
   char name[16];
   const char *save = ps->p;
   if (ident(ps, name, sizeof(name))) {
      int f = lookup_file(name);
      if (f != JIT_FILE_ADDR && f != JIT_FILE_TEMP)
         return perr(ps, "bad relative address register '%s'", name);
      int64_t ai;
      uint8_t c[4];
      if (expect(ps, '[') || number(ps, &ai) || expect(ps, ']'))
         return perr(ps, "bad relative address");
      if (ai < 0 || (f == JIT_FILE_ADDR && ai >= JIT_MAX_ADDRS) || ai >= JIT_MAX_TEMPS)
         return perr(ps, "address register index %lld out of range", (long long)ai);
      if (swizzle_letters(ps, c) != 1)
         return perr(ps, "relative address needs one component");
      *indirect = 1;
      *ind_file = (uint8_t)f;
      *ind_index = (uint16_t)ai;
      *ind_swz = c[0];
      skip_spaces(ps);
      if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-')) {
         int64_t off;
         if (number(ps, &off))
            return perr(ps, "bad address offset");
         if (off < -(int64_t)JIT_MAX_TEMPS * 16 || off > (int64_t)JIT_MAX_TEMPS * 16)
            return perr(ps, "address offset %lld out of range", (long long)off);
         *index = (int32_t)off;
      }
   } else {
      ps->p = save;
      int64_t v;
      if (number(ps, &v) || v < 0 || v > 0xfffff)
         return perr(ps, "bad register index");
      *index = (int32_t)v;
   }
   return expect(ps, ']');
}

/* Skip an array id suffix "(n)" after a register. */
static void skip_array_id(struct parser *ps)
{
   if (ps->p < ps->end && *ps->p == '(') {
      const char *q = ps->p + 1;
      while (q < ps->end && isdigit((unsigned char)*q))
         q++;
      if (q < ps->end && *q == ')')
         ps->p = q + 1;
   }
}

/* Bounds of a register file for direct indices (checked again at run time for indirect ones). */
static int check_index(struct parser *ps, unsigned file, int64_t index, unsigned dim)
{
   int64_t limit;
   switch (file) {
   case JIT_FILE_TEMP: limit = ps->sh->num_temps; break;
   case JIT_FILE_INPUT: limit = JIT_MAX_INPUTS; break;
   case JIT_FILE_OUTPUT: limit = JIT_MAX_OUTPUTS; break;
   case JIT_FILE_CONST: limit = JIT_MAX_CONSTS; break;
   case JIT_FILE_IMM: limit = ps->sh->num_imms; break;
   case JIT_FILE_ADDR: limit = ps->sh->num_addrs; break;
   case JIT_FILE_SAMPLER:
   case JIT_FILE_SVIEW: limit = JIT_MAX_SAMPLERS; break;
   case JIT_FILE_SYSVAL: limit = ps->sh->num_sysvals; break;
   default: return perr(ps, "register file %s cannot be used here", file_names[file]);
   }
   if (index < 0 || index >= limit)
      return perr(ps, "%s[%lld] is out of range (declared or limit: %lld)", file_names[file], (long long)index,
                  (long long)limit);
   if (file == JIT_FILE_CONST && dim >= JIT_MAX_CONST_BUFS)
      return perr(ps, "constant buffer %u is out of range", dim);
   return 0;
}

static int parse_src(struct parser *ps, struct jit_src *s)
{
   memset(s, 0, sizeof(*s));
   for (int i = 0; i < 4; i++)
      s->swizzle[i] = (uint8_t)i;
   if (accept(ps, '-'))
      s->negate = 1;
   if (accept(ps, '|'))
      s->abs = 1;
   char name[16];
   if (!ident(ps, name, sizeof(name)))
      return perr(ps, "expected a source register");
   int f = lookup_file(name);
   if (f < 0)
      return perr(ps, "unknown register file '%s'", name);
   s->file = (uint8_t)f;
   if (bracket_index(ps, &s->index, &s->indirect, &s->ind_file, &s->ind_index, &s->ind_swizzle))
      return -1;
   if (ps->p < ps->end && *ps->p == '[') { /* two-dimensional: CONST[buf][index] */
      if (f != JIT_FILE_CONST || s->indirect)
         return perr(ps, "only CONST takes two indices");
      if (s->index < 0 || s->index >= JIT_MAX_CONST_BUFS)
         return perr(ps, "constant buffer %d is out of range", s->index);
      s->dim = (uint16_t)s->index;
      if (bracket_index(ps, &s->index, &s->indirect, &s->ind_file, &s->ind_index, &s->ind_swizzle))
         return -1;
   }
   skip_array_id(ps);
   if (!s->indirect && check_index(ps, s->file, s->index, s->dim))
      return -1;
   if (s->indirect && s->ind_file == JIT_FILE_ADDR && s->ind_index >= ps->sh->num_addrs)
      return perr(ps, "ADDR[%u] is not declared", s->ind_index);
   uint8_t c[4];
   int n = swizzle_letters(ps, c);
   if (n < 0)
      return perr(ps, "bad swizzle");
   for (int i = 0; i < n; i++)
      s->swizzle[i] = c[i];
   for (int i = n; n > 0 && i < 4; i++)
      s->swizzle[i] = c[n - 1];
   if (s->abs && expect(ps, '|'))
      return -1;
   return 0;
}

static int parse_dst(struct parser *ps, struct jit_dst *d)
{
   memset(d, 0, sizeof(*d));
   char name[16];
   if (!ident(ps, name, sizeof(name)))
      return perr(ps, "expected a destination register");
   int f = lookup_file(name);
   if (f != JIT_FILE_TEMP && f != JIT_FILE_OUTPUT && f != JIT_FILE_ADDR)
      return perr(ps, "cannot write register file '%s'", name);
   d->file = (uint8_t)f;
   uint8_t ind_file = 0;
   if (bracket_index(ps, &d->index, &d->indirect, &ind_file, &d->ind_index, &d->ind_swizzle))
      return -1;
   if (d->indirect && ind_file != JIT_FILE_ADDR)
      return perr(ps, "indirect destination must use ADDR");
   if (d->indirect && d->ind_index >= ps->sh->num_addrs)
      return perr(ps, "ADDR[%u] is not declared", d->ind_index);
   skip_array_id(ps);
   if (!d->indirect && check_index(ps, d->file, d->index, 0))
      return -1;
   uint8_t c[4];
   int n = swizzle_letters(ps, c);
   if (n < 0)
      return perr(ps, "bad write mask");
   d->writemask = n == 0 ? 0xf : 0;
   for (int i = 0; i < n; i++)
      d->writemask |= (uint8_t)(1u << c[i]);
   return 0;
}

static int push_inst(struct parser *ps, struct jit_inst **out)
{
   struct jit_shader *sh = ps->sh;
   if (sh->num_insts >= JIT_MAX_INSTS)
      return perr(ps, "too many instructions (limit %u)", JIT_MAX_INSTS);
   if (sh->num_insts == ps->insts_cap) {
      uint32_t cap = ps->insts_cap ? ps->insts_cap * 2 : 64;
      struct jit_inst *n = realloc(sh->insts, cap * sizeof(*n));
      if (!n)
         return perr(ps, "out of memory");
      sh->insts = n;
      ps->insts_cap = cap;
   }
   *out = &sh->insts[sh->num_insts++];
   memset(*out, 0, sizeof(**out));
   (*out)->label = -1;
   return 0;
}

/* Resolve flow nesting for the instruction just pushed at index idx. */
static int flow_link(struct parser *ps, struct jit_inst *in, int32_t idx)
{
   struct jit_shader *sh = ps->sh;
   switch (in->opcode) {
   case JIT_OP_IF:
   case JIT_OP_UIF:
   case JIT_OP_BGNLOOP:
      if (ps->flow_depth >= JIT_MAX_NESTING)
         return perr(ps, "flow control nested deeper than %u", JIT_MAX_NESTING);
      ps->flow_stack[ps->flow_depth++] = idx;
      if (in->opcode == JIT_OP_BGNLOOP)
         ps->loop_depth++;
      return 0;
   case JIT_OP_ELSE: {
      if (ps->flow_depth == 0)
         return perr(ps, "ELSE without IF");
      int32_t open = ps->flow_stack[ps->flow_depth - 1];
      unsigned op = sh->insts[open].opcode;
      if (op != JIT_OP_IF && op != JIT_OP_UIF)
         return perr(ps, "ELSE without IF");
      sh->insts[open].label = idx;
      ps->flow_stack[ps->flow_depth - 1] = idx;
      return 0;
   }
   case JIT_OP_ENDIF: {
      if (ps->flow_depth == 0)
         return perr(ps, "ENDIF without IF");
      int32_t open = ps->flow_stack[ps->flow_depth - 1];
      unsigned op = sh->insts[open].opcode;
      if (op != JIT_OP_IF && op != JIT_OP_UIF && op != JIT_OP_ELSE)
         return perr(ps, "ENDIF without IF");
      sh->insts[open].label = idx;
      ps->flow_depth--;
      return 0;
   }
   case JIT_OP_ENDLOOP: {
      if (ps->flow_depth == 0 || sh->insts[ps->flow_stack[ps->flow_depth - 1]].opcode != JIT_OP_BGNLOOP)
         return perr(ps, "ENDLOOP without BGNLOOP");
      int32_t open = ps->flow_stack[--ps->flow_depth];
      sh->insts[open].label = idx;
      in->label = open;
      ps->loop_depth--;
      return 0;
   }
   case JIT_OP_BRK:
   case JIT_OP_CONT:
      if (ps->loop_depth == 0)
         return perr(ps, "%s outside a loop", op_table[in->opcode].name);
      return 0;
   case JIT_OP_BGNSUB:
   case JIT_OP_ENDSUB:
   case JIT_OP_CAL:
   case JIT_OP_RET:
      return perr(ps, "subroutines (%s) are not supported", op_table[in->opcode].name);
   default:
      return 0;
   }
}

static int parse_instruction(struct parser *ps, const char *word)
{
   char name[48];
   snprintf(name, sizeof(name), "%s", word);
   int sat = 0;
   size_t len = strlen(name);
   if (len > 4 && !strcmp(name + len - 4, "_SAT")) {
      name[len - 4] = 0;
      sat = 1;
   }
   if (!strcmp(name, "IMUL"))
      snprintf(name, sizeof(name), "UMUL"); /* same low 32 bits */
   int op = -1;
   for (int i = 0; i < JIT_OP_COUNT; i++)
      if (op_table[i].name && !strcmp(op_table[i].name, name)) {
         op = i;
         break;
      }
   if (op < 0)
      return perr(ps, "unknown opcode '%s'", word);

   struct jit_inst *in = NULL;
   if (push_inst(ps, &in))
      return -1;
   int32_t idx = (int32_t)ps->sh->num_insts - 1;
   const struct op_info *oi = &op_table[op];
   in->opcode = (uint16_t)op;
   in->saturate = (uint8_t)sat;
   in->num_dst = oi->ndst;
   in->num_src = oi->nsrc;
   int first = 1;
   if (oi->ndst) {
      if (parse_dst(ps, &in->dst))
         return -1;
      first = 0;
   }
   for (unsigned i = 0; i < oi->nsrc; i++) {
      if (!first && expect(ps, ','))
         return -1;
      first = 0;
      if (parse_src(ps, &in->src[i]))
         return -1;
   }
   if (oi->tex) {
      /* sampler (or view) operand, then the target */
      if (expect(ps, ','))
         return -1;
      struct jit_src *samp = &in->src[in->num_src];
      if (parse_src(ps, samp))
         return -1;
      if (samp->file != JIT_FILE_SAMPLER && samp->file != JIT_FILE_SVIEW)
         return perr(ps, "%s needs a SAMP or SVIEW operand", oi->name);
      if (samp->indirect)
         return perr(ps, "indirect sampler indexing is not supported");
      in->num_src++;
      if (expect(ps, ','))
         return -1;
      char tname[32];
      size_t n = 0;
      skip_spaces(ps);
      while (ps->p < ps->end && (isalnum((unsigned char)*ps->p) || *ps->p == '_') && n + 1 < sizeof(tname))
         tname[n++] = *ps->p++;
      tname[n] = 0;
      int found = 0;
      for (size_t t = 0; t < sizeof(tex_targets) / sizeof(tex_targets[0]); t++)
         if (!strcmp(tex_targets[t].name, tname)) {
            in->tex_target = tex_targets[t].target;
            in->tex_shadow = tex_targets[t].shadow;
            found = 1;
         }
      if (!found)
         return perr(ps, "unknown texture target '%s'", tname);
      /* optional texture offsets and return types are not supported */
   }
   if (op == JIT_OP_KILL || op == JIT_OP_KILL_IF)
      ps->sh->uses_kill = 1;
   if (op == JIT_OP_DDX || op == JIT_OP_DDY || op == JIT_OP_DDX_FINE || op == JIT_OP_DDY_FINE)
      ps->sh->uses_ddxy = 1;
   if (in->num_dst && in->dst.file == JIT_FILE_ADDR && op != JIT_OP_ARL && op != JIT_OP_UARL &&
       op != JIT_OP_MOV)
      return perr(ps, "%s cannot write ADDR", oi->name);
   /* flow labels ":N" are informational: links are computed here */
   if (accept(ps, ':')) {
      int64_t lbl;
      if (number(ps, &lbl))
         return perr(ps, "bad label");
   }
   if (!at_eol(ps))
      return perr(ps, "unexpected text after %s", oi->name);
   return flow_link(ps, in, idx);
}

static int lookup_semantic(const char *name)
{
   for (int i = 0; i < JIT_SEM_COUNT; i++)
      if (sem_names[i] && !strcmp(sem_names[i], name))
         return i;
   return -1;
}

/* "[a]" or "[a..b]" of a declaration. */
static int decl_range(struct parser *ps, int64_t *first, int64_t *last)
{
   if (expect(ps, '[') || number(ps, first))
      return perr(ps, "bad declaration range");
   *last = *first;
   if (accept(ps, '.') && (expect(ps, '.') || number(ps, last)))
      return perr(ps, "bad declaration range");
   return expect(ps, ']');
}

static int parse_declaration(struct parser *ps)
{
   struct jit_shader *sh = ps->sh;
   char name[32];
   if (!ident(ps, name, sizeof(name)))
      return perr(ps, "expected a register file after DCL");
   int f = lookup_file(name);
   if (f < 0)
      return perr(ps, "cannot declare register file '%s'", name);
   int64_t first = 0, last = 0, dim = 0;
   if (decl_range(ps, &first, &last))
      return -1;
   if (f == JIT_FILE_CONST && peek(ps) == '[') { /* CONST[buf][a..b] */
      dim = first;
      if (decl_range(ps, &first, &last))
         return -1;
   }
   if (first < 0 || last < first)
      return perr(ps, "bad declaration range");
   uint8_t mask = 0xf;
   uint8_t c[4];
   int n = swizzle_letters(ps, c);
   if (n < 0)
      return perr(ps, "bad usage mask");
   if (n > 0) {
      mask = 0;
      for (int i = 0; i < n; i++)
         mask |= (uint8_t)(1u << c[i]);
   }

   switch (f) {
   case JIT_FILE_TEMP:
      if (last >= JIT_MAX_TEMPS)
         return perr(ps, "TEMP[%lld] exceeds the limit of %u", (long long)last, JIT_MAX_TEMPS);
      if ((uint32_t)last + 1 > sh->num_temps)
         sh->num_temps = (uint32_t)last + 1;
      break; /* LOCAL / ARRAY(n) attributes follow: ignored */
   case JIT_FILE_ADDR:
      if (last >= JIT_MAX_ADDRS)
         return perr(ps, "ADDR[%lld] exceeds the limit of %u", (long long)last, JIT_MAX_ADDRS);
      if ((uint32_t)last + 1 > sh->num_addrs)
         sh->num_addrs = (uint32_t)last + 1;
      break;
   case JIT_FILE_CONST:
      if (dim >= JIT_MAX_CONST_BUFS || last >= JIT_MAX_CONSTS)
         return perr(ps, "CONST[%lld][%lld] exceeds the limits", (long long)dim, (long long)last);
      if ((uint32_t)last + 1 > sh->num_consts[dim])
         sh->num_consts[dim] = (uint32_t)last + 1;
      break;
   case JIT_FILE_SAMPLER:
      if (last >= JIT_MAX_SAMPLERS)
         return perr(ps, "SAMP[%lld] exceeds the limit of %u", (long long)last, JIT_MAX_SAMPLERS);
      if ((uint32_t)last + 1 > sh->num_samplers)
         sh->num_samplers = (uint32_t)last + 1;
      break;
   case JIT_FILE_SVIEW: {
      if (last >= JIT_MAX_SAMPLERS)
         return perr(ps, "SVIEW[%lld] exceeds the limit of %u", (long long)last, JIT_MAX_SAMPLERS);
      if ((uint32_t)last + 1 > sh->num_sviews)
         sh->num_sviews = (uint32_t)last + 1;
      uint8_t target = PIPE_TEXTURE_2D;
      if (accept(ps, ',')) {
         char t[32];
         size_t k = 0;
         skip_spaces(ps);
         while (ps->p < ps->end && (isalnum((unsigned char)*ps->p) || *ps->p == '_') && k + 1 < sizeof(t))
            t[k++] = *ps->p++;
         t[k] = 0;
         int found = 0;
         for (size_t i = 0; i < sizeof(tex_targets) / sizeof(tex_targets[0]); i++)
            if (!strcmp(t, tex_targets[i].name)) {
               target = tex_targets[i].target;
               found = 1;
            }
         if (!found)
            return perr(ps, "unknown texture target '%s'", t);
      }
      for (int64_t i = first; i <= last; i++)
         sh->sview_target[i] = target;
      ps->p = memchr(ps->p, '\n', (size_t)(ps->end - ps->p)) ? memchr(ps->p, '\n', (size_t)(ps->end - ps->p))
                                                               : ps->end; /* return type: ignored */
      return 0;
   }
   case JIT_FILE_INPUT:
   case JIT_FILE_OUTPUT:
   case JIT_FILE_SYSVAL: {
      unsigned limit = f == JIT_FILE_INPUT ? JIT_MAX_INPUTS : f == JIT_FILE_OUTPUT ? JIT_MAX_OUTPUTS : 8;
      if (last >= limit)
         return perr(ps, "%s[%lld] exceeds the limit of %u", file_names[f], (long long)last, limit);
      int sem = JIT_SEM_GENERIC;
      int64_t sem_index = 0;
      int interp = -1, have_sem = 0;
      while (accept(ps, ',')) {
         char w[32];
         if (!ident(ps, w, sizeof(w)))
            return perr(ps, "bad declaration attribute");
         int s = lookup_semantic(w);
         if (s >= 0 && !have_sem) {
            have_sem = 1;
            sem = s;
            if (accept(ps, '[')) {
               if (number(ps, &sem_index) || sem_index < 0 || sem_index > 0xffff || expect(ps, ']'))
                  return perr(ps, "bad semantic index");
            }
         } else if (!strcmp(w, "CONSTANT")) {
            interp = JIT_INTERP_CONSTANT;
         } else if (!strcmp(w, "LINEAR")) {
            interp = JIT_INTERP_LINEAR;
         } else if (!strcmp(w, "PERSPECTIVE")) {
            interp = JIT_INTERP_PERSPECTIVE;
         } else if (!strcmp(w, "COLOR")) {
            interp = 100; /* flatshade decides */
         } else if (!strcmp(w, "CENTROID") || !strcmp(w, "SAMPLE") || !strcmp(w, "INVARIANT") ||
                    !strcmp(w, "LOCAL") || !strcmp(w, "ARRAY")) {
            if (accept(ps, '(')) {
               int64_t dummy;
               if (number(ps, &dummy) || expect(ps, ')'))
                  return perr(ps, "bad declaration attribute");
            }
         } else {
            return perr(ps, "unknown declaration attribute '%s'", w);
         }
      }
      if (f == JIT_FILE_SYSVAL) {
         if (!have_sem)
            return perr(ps, "system value without a semantic");
         for (int64_t i = first; i <= last; i++)
            sh->sysval_sem[i] = (uint8_t)sem;
         if ((uint32_t)last + 1 > sh->num_sysvals)
            sh->num_sysvals = (uint32_t)last + 1;
         break;
      }
      struct jit_io_decl *io = f == JIT_FILE_INPUT ? sh->inputs : sh->outputs;
      for (int64_t i = first; i <= last; i++) {
         struct jit_io_decl *d = &io[i];
         d->declared = 1;
         d->semantic = (uint8_t)sem;
         d->semantic_index = (uint16_t)(sem_index + (i - first));
         d->usage_mask = mask;
         if (interp == 100 || (interp < 0 && (sem == JIT_SEM_COLOR || sem == JIT_SEM_BCOLOR))) {
            d->color_interp = 1;
            d->interp = JIT_INTERP_PERSPECTIVE;
         } else {
            d->interp = (uint8_t)(interp < 0 ? JIT_INTERP_PERSPECTIVE : interp);
         }
         if (f == JIT_FILE_OUTPUT && sh->stage == PIPE_SHADER_FRAGMENT && sem == JIT_SEM_POSITION)
            sh->writes_z = 1;
         if (f == JIT_FILE_OUTPUT && sh->stage == PIPE_SHADER_FRAGMENT && sem == JIT_SEM_SAMPLEMASK)
            return perr(ps, "sample mask output is not supported");
      }
      uint32_t *count = f == JIT_FILE_INPUT ? &sh->num_inputs : &sh->num_outputs;
      if ((uint32_t)last + 1 > *count)
         *count = (uint32_t)last + 1;
      break;
   }
   default:
      return perr(ps, "cannot declare register file '%s'", name);
   }
   /* trailing attributes (LOCAL, ARRAY(n)) */
   while (accept(ps, ',')) {
      char w[32];
      if (!ident(ps, w, sizeof(w)))
         return perr(ps, "bad declaration attribute");
      if (accept(ps, '(')) {
         int64_t dummy;
         if (number(ps, &dummy) || expect(ps, ')'))
            return perr(ps, "bad declaration attribute");
      }
   }
   if (!at_eol(ps))
      return perr(ps, "unexpected text in declaration");
   return 0;
}

static int parse_immediate(struct parser *ps)
{
   struct jit_shader *sh = ps->sh;
   int64_t idx;
   char type[16];
   if (expect(ps, '[') || number(ps, &idx) || expect(ps, ']'))
      return perr(ps, "bad immediate index");
   if (idx != (int64_t)sh->num_imms)
      return perr(ps, "immediate IMM[%lld] is out of order (expected IMM[%u])", (long long)idx, sh->num_imms);
   if (sh->num_imms >= JIT_MAX_IMMS)
      return perr(ps, "too many immediates (limit %u)", JIT_MAX_IMMS);
   if (!ident(ps, type, sizeof(type)))
      return perr(ps, "expected an immediate type");
   int kind = !strcmp(type, "FLT32") ? 0 : !strcmp(type, "UINT32") ? 1 : !strcmp(type, "INT32") ? 2 : -1;
   if (kind < 0)
      return perr(ps, "unsupported immediate type '%s'", type);
   if (sh->num_imms == ps->imms_cap) {
      uint32_t cap = ps->imms_cap ? ps->imms_cap * 2 : 16;
      uint32_t(*n)[4] = realloc(sh->imms, cap * sizeof(*n));
      if (!n)
         return perr(ps, "out of memory");
      sh->imms = n;
      ps->imms_cap = cap;
   }
   uint32_t *v = sh->imms[sh->num_imms];
   memset(v, 0, 16);
   if (expect(ps, '{'))
      return -1;
   for (int i = 0; i < 4; i++) {
      if (i > 0 && !accept(ps, ','))
         break;
      skip_spaces(ps);
      char buf[64];
      size_t k = 0;
      while (ps->p < ps->end && k + 1 < sizeof(buf) && (isalnum((unsigned char)*ps->p) || *ps->p == '.' ||
                                                         *ps->p == '-' || *ps->p == '+'))
         buf[k++] = *ps->p++;
      buf[k] = 0;
      char *endp;
      errno = 0;
      if (kind == 0 && (!strncmp(buf, "0x", 2) || !strncmp(buf, "0X", 2))) {
         /* FLT32 written in hex is the float's bit pattern (how virgl sends it) */
         unsigned long long u = strtoull(buf, &endp, 16);
         if (u > 0xffffffffull)
            return perr(ps, "immediate out of range");
         v[i] = (uint32_t)u;
      } else if (kind == 0) {
         float fv = strtof(buf, &endp);
         memcpy(&v[i], &fv, 4);
      } else if (kind == 1) {
         unsigned long long u = strtoull(buf, &endp, 0);
         if (u > 0xffffffffull)
            return perr(ps, "immediate out of range");
         v[i] = (uint32_t)u;
      } else {
         long long s = strtoll(buf, &endp, 0);
         if (s < INT32_MIN || s > INT32_MAX)
            return perr(ps, "immediate out of range");
         int32_t s32 = (int32_t)s;
         memcpy(&v[i], &s32, 4);
      }
      if (k == 0 || *endp || errno == ERANGE)
         return perr(ps, "bad immediate value '%s'", buf);
   }
   if (expect(ps, '}'))
      return -1;
   sh->num_imms++;
   return at_eol(ps) ? 0 : perr(ps, "unexpected text after immediate");
}

static int parse_property(struct parser *ps)
{
   struct jit_shader *sh = ps->sh;
   char name[48], val[32];
   if (!ident(ps, name, sizeof(name)))
      return perr(ps, "expected a property name");
   skip_spaces(ps);
   size_t k = 0;
   while (ps->p < ps->end && *ps->p != '\n' && !isspace((unsigned char)*ps->p) && k + 1 < sizeof(val))
      val[k++] = *ps->p++;
   val[k] = 0;
   if (!strcmp(name, "FS_COORD_ORIGIN"))
      sh->fs_coord_origin_upper_left = !strcmp(val, "UPPER_LEFT") || !strcmp(val, "0");
   else if (!strcmp(name, "FS_COORD_PIXEL_CENTER"))
      sh->fs_coord_pixel_center_integer = !strcmp(val, "INTEGER") || !strcmp(val, "1");
   else if (!strcmp(name, "FS_COLOR0_WRITES_ALL_CBUFS"))
      sh->fs_color0_writes_all_cbufs = strcmp(val, "0") != 0;
   else if (!strcmp(name, "FS_EARLY_DEPTH_STENCIL"))
      sh->fs_early_depth_stencil = strcmp(val, "0") != 0;
   /* other properties are hints (NEXT_SHADER, FS_DEPTH_LAYOUT, VS_PROHIBIT_UCPS...) */
   return 0;
}

static void next_line(struct parser *ps)
{
   while (ps->p < ps->end && *ps->p != '\n')
      ps->p++;
   if (ps->p < ps->end) {
      ps->p++;
      ps->line++;
   }
}

void jit_shader_free(struct jit_shader *sh)
{
   if (!sh)
      return;
   jit_code_unref(sh->native);
   free(sh->insts);
   free(sh->imms);
   free(sh);
}

int jit_tgsi_parse(const char *text, size_t len, unsigned expected_stage, struct jit_shader **out, char *err,
                   size_t err_size)
{
   struct parser ps;
   memset(&ps, 0, sizeof(ps));
   *out = NULL;
   const char *nul = memchr(text, 0, len);
   if (nul)
      len = (size_t)(nul - text);
   if (len > JIT_MAX_TEXT) {
      snprintf(err, err_size, "shader text of %zu bytes exceeds the limit of %u", len, JIT_MAX_TEXT);
      return -1;
   }
   ps.p = text;
   ps.end = text + len;
   ps.line = 1;
   ps.err = err;
   ps.err_size = err_size;
   ps.sh = calloc(1, sizeof(*ps.sh));
   if (!ps.sh) {
      snprintf(err, err_size, "out of memory");
      return -1;
   }
   struct jit_shader *sh = ps.sh;
   int have_header = 0, ended = 0;

   while (ps.p < ps.end) {
      char word[48];
      skip_spaces(&ps);
      if (ps.p >= ps.end)
         break;
      if (*ps.p == '\n') {
         next_line(&ps);
         continue;
      }
      /* optional instruction number "  12:" */
      if (isdigit((unsigned char)*ps.p)) {
         int64_t n;
         if (number(&ps, &n) || !accept(&ps, ':')) {
            perr(&ps, "bad instruction number");
            goto out_free;
         }
      }
      if (!ident(&ps, word, sizeof(word))) {
         perr(&ps, "unexpected character '%c'", isprint((unsigned char)*ps.p) ? *ps.p : '?');
         goto out_free;
      }
      if (!have_header) {
         unsigned stage;
         if (!strcmp(word, "VERT"))
            stage = PIPE_SHADER_VERTEX;
         else if (!strcmp(word, "FRAG"))
            stage = PIPE_SHADER_FRAGMENT;
         else if (!strcmp(word, "GEOM") || !strcmp(word, "TESS_CTRL") || !strcmp(word, "TESS_EVAL") ||
                  !strcmp(word, "COMP")) {
            perr(&ps, "%s shaders are not supported", word);
            goto out_free;
         } else {
            perr(&ps, "expected VERT or FRAG, got '%s'", word);
            goto out_free;
         }
         if (stage != expected_stage) {
            perr(&ps, "shader is %s but was created as a %s shader", word,
                 expected_stage == PIPE_SHADER_VERTEX ? "vertex" : "fragment");
            goto out_free;
         }
         sh->stage = (uint8_t)stage;
         have_header = 1;
      } else if (ended) {
         perr(&ps, "text after END");
         goto out_free;
      } else if (!strcmp(word, "DCL")) {
         if (parse_declaration(&ps))
            goto out_free;
      } else if (!strcmp(word, "IMM")) {
         if (parse_immediate(&ps))
            goto out_free;
      } else if (!strcmp(word, "PROPERTY")) {
         if (parse_property(&ps))
            goto out_free;
      } else {
         if (parse_instruction(&ps, word))
            goto out_free;
         if (sh->insts[sh->num_insts - 1].opcode == JIT_OP_END && ps.flow_depth == 0)
            ended = 1;
      }
      if (!at_eol(&ps)) {
         perr(&ps, "unexpected text at end of line");
         goto out_free;
      }
      next_line(&ps);
   }
   if (!have_header) {
      perr(&ps, "empty shader");
      goto out_free;
   }
   if (ps.flow_depth) {
      perr(&ps, "unterminated IF or BGNLOOP at end of shader");
      goto out_free;
   }
   if (!ended) {
      perr(&ps, "missing END");
      goto out_free;
   }
   *out = sh;
   return 0;

out_free:
   jit_shader_free(sh);
   return -1;
}
