/* jit_ir.h: Tessera's shader IR, a small register IR that mirrors TGSI
 * (DESIGN: shader input), the TGSI text parser that produces it and the
 * reference interpreter that runs it over JIT_LANES lanes with an execution
 * mask. The LLVM JIT consumes the same IR and is tested against the
 * interpreter. A jit_shader is immutable after parsing and may be shared by
 * threads; it is owned by whoever called jit_tgsi_parse (src/state's shader
 * object) and freed with jit_shader_free. */
#ifndef JIT_IR_H
#define JIT_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "jit/jit_abi.h"

/* Register files (TGSI_FILE_*, subset). */
enum jit_file {
   JIT_FILE_NULL = 0,
   JIT_FILE_CONST,
   JIT_FILE_INPUT,
   JIT_FILE_OUTPUT,
   JIT_FILE_TEMP,
   JIT_FILE_SAMPLER,
   JIT_FILE_ADDR,
   JIT_FILE_IMM,
   JIT_FILE_SYSVAL,
   JIT_FILE_SVIEW,
   JIT_FILE_COUNT
};

/* Semantic names (TGSI_SEMANTIC_*, subset; numbering is Tessera's own). */
enum jit_semantic {
   JIT_SEM_POSITION = 0,
   JIT_SEM_COLOR,
   JIT_SEM_BCOLOR,
   JIT_SEM_FOG,
   JIT_SEM_PSIZE,
   JIT_SEM_GENERIC,
   JIT_SEM_NORMAL,
   JIT_SEM_FACE,
   JIT_SEM_EDGEFLAG,
   JIT_SEM_PRIMID,
   JIT_SEM_INSTANCEID,
   JIT_SEM_VERTEXID,
   JIT_SEM_TEXCOORD,
   JIT_SEM_PCOORD,
   JIT_SEM_CLIPVERTEX,
   JIT_SEM_CLIPDIST,
   JIT_SEM_SAMPLEMASK,
   JIT_SEM_COUNT
};

/* Opcodes. Grouped: float ALU, compare, integer/bit, conversion, texture,
 * flow. The interpreter's dispatch table is checked against JIT_OP_COUNT. */
enum jit_opcode {
   JIT_OP_NOP = 0,
   /* float ALU */
   JIT_OP_MOV, JIT_OP_ADD, JIT_OP_MUL, JIT_OP_MAD, JIT_OP_FMA, JIT_OP_DP2, JIT_OP_DP3, JIT_OP_DP4, JIT_OP_DPH,
   JIT_OP_MIN, JIT_OP_MAX, JIT_OP_RCP, JIT_OP_RSQ, JIT_OP_SQRT, JIT_OP_EX2, JIT_OP_LG2, JIT_OP_POW,
   JIT_OP_EXP, JIT_OP_LOG, JIT_OP_LIT, JIT_OP_DST, JIT_OP_XPD, JIT_OP_DIV,
   JIT_OP_FRC, JIT_OP_FLR, JIT_OP_CEIL, JIT_OP_TRUNC, JIT_OP_ROUND, JIT_OP_LRP, JIT_OP_CMP, JIT_OP_SSG,
   JIT_OP_ABS, JIT_OP_SIN, JIT_OP_COS, JIT_OP_SCS, JIT_OP_DDX, JIT_OP_DDY, JIT_OP_DDX_FINE, JIT_OP_DDY_FINE,
   JIT_OP_ARL, JIT_OP_UARL,
   /* float compares: SLT..SNE give 1.0/0.0; FSLT..FSNE give ~0u/0 */
   JIT_OP_SLT, JIT_OP_SGE, JIT_OP_SEQ, JIT_OP_SNE, JIT_OP_SGT, JIT_OP_SLE,
   JIT_OP_FSLT, JIT_OP_FSGE, JIT_OP_FSEQ, JIT_OP_FSNE,
   /* integer and bit ops */
   JIT_OP_UADD, JIT_OP_UMUL, JIT_OP_UMAD, JIT_OP_IMUL_HI, JIT_OP_UMUL_HI, JIT_OP_UDIV, JIT_OP_IDIV, JIT_OP_UMOD, JIT_OP_MOD,
   JIT_OP_AND, JIT_OP_OR, JIT_OP_XOR, JIT_OP_NOT, JIT_OP_SHL, JIT_OP_USHR, JIT_OP_ISHR,
   JIT_OP_INEG, JIT_OP_IABS, JIT_OP_ISSG, JIT_OP_IMAX, JIT_OP_IMIN, JIT_OP_UMAX, JIT_OP_UMIN,
   JIT_OP_UCMP, JIT_OP_USEQ, JIT_OP_USNE, JIT_OP_ISLT, JIT_OP_ISGE, JIT_OP_USLT, JIT_OP_USGE,
   /* conversions */
   JIT_OP_I2F, JIT_OP_U2F, JIT_OP_F2I, JIT_OP_F2U,
   /* texture */
   JIT_OP_TEX, JIT_OP_TXP, JIT_OP_TXB, JIT_OP_TXL, JIT_OP_TXD, JIT_OP_TXF, JIT_OP_TXQ, JIT_OP_TEX2, JIT_OP_TXB2, JIT_OP_TXL2,
   /* flow */
   JIT_OP_KILL, JIT_OP_KILL_IF,
   JIT_OP_IF, JIT_OP_UIF, JIT_OP_ELSE, JIT_OP_ENDIF,
   JIT_OP_BGNLOOP, JIT_OP_ENDLOOP, JIT_OP_BRK, JIT_OP_CONT,
   JIT_OP_BGNSUB, JIT_OP_ENDSUB, JIT_OP_CAL, JIT_OP_RET,
   JIT_OP_END,
   JIT_OP_COUNT
};

/* Name of an opcode as TGSI spells it ("MAD"); "?" for an unknown value. */
const char *jit_opcode_name(unsigned op);

/* 1 if op reads its sources as integers (negate/abs are integer ops), as
 * the interpreter and the JIT both apply modifiers. */
int jit_opcode_int_sources(unsigned op);

/* A source operand: file[index + (indirect ? ADDR[ind_index].ind_swz : 0)],
 * swizzled, then abs, then negate. dim = constant buffer index for CONST
 * (CONST[dim][index]). */
struct jit_src {
   uint8_t file;                 /* enum jit_file */
   uint8_t swizzle[4];           /* 0..3 = x,y,z,w */
   uint8_t negate, abs;
   uint8_t indirect;             /* relative addressing through ADDR */
   uint8_t ind_file;             /* JIT_FILE_ADDR (or TEMP for buffers) */
   uint8_t ind_swizzle;          /* component of the address register */
   uint16_t ind_index;           /* which ADDR register */
   uint16_t dim;                 /* constant buffer for CONST, else 0 */
   int32_t index;
};

struct jit_dst {
   uint8_t file;                 /* JIT_FILE_TEMP, OUTPUT, ADDR, NULL */
   uint8_t writemask;            /* bit 0 = x .. bit 3 = w */
   uint8_t indirect;
   uint8_t ind_swizzle;
   uint16_t ind_index;
   int32_t index;
};

struct jit_inst {
   uint16_t opcode;              /* enum jit_opcode */
   uint8_t saturate;             /* clamp float results to [0,1] */
   uint8_t num_dst, num_src;
   uint8_t tex_target;           /* PIPE_TEXTURE_* for texture ops; shadow flag in tex_shadow */
   uint8_t tex_shadow;
   int32_t label;                /* flow ops: index of the matching ELSE/ENDIF/ENDLOOP/BGNLOOP, -1 if none */
   struct jit_dst dst;
   struct jit_src src[4];
};

/* A declared input or output. */
struct jit_io_decl {
   uint8_t semantic;             /* enum jit_semantic */
   uint16_t semantic_index;
   uint8_t interp;               /* enum jit_interp (fragment inputs); TGSI "COLOR" interp maps per rasterizer flatshade: see color_interp */
   uint8_t color_interp;         /* 1 if TGSI said COLOR or gave no interp for a COLOR input: flatshade decides */
   uint8_t usage_mask;           /* components declared */
   uint8_t declared;
};

struct jit_code;

struct jit_shader {
   uint8_t stage;                /* PIPE_SHADER_VERTEX or _FRAGMENT */
   uint32_t num_inputs, num_outputs;   /* highest declared index + 1 */
   struct jit_io_decl inputs[JIT_MAX_INPUTS];
   struct jit_io_decl outputs[JIT_MAX_OUTPUTS];
   uint32_t num_temps, num_addrs;
   uint32_t num_imms;
   uint32_t (*imms)[4];          /* immediate bits (floats stored as their bit patterns) */
   uint32_t num_consts[JIT_MAX_CONST_BUFS]; /* declared vec4 count per buffer */
   uint32_t num_samplers, num_sviews;
   uint8_t sview_target[JIT_MAX_SAMPLERS];  /* PIPE_TEXTURE_* declared per view */
   uint8_t sysval_sem[8];        /* SYSTEM_VALUE[i] semantic */
   uint32_t num_sysvals;
   /* properties */
   uint8_t fs_coord_origin_upper_left;  /* FS_COORD_ORIGIN */
   uint8_t fs_coord_pixel_center_integer;
   uint8_t fs_color0_writes_all_cbufs;
   uint8_t fs_early_depth_stencil;
   uint8_t writes_z, writes_stencil, uses_kill, uses_ddxy;
   uint32_t num_insts;
   struct jit_inst *insts;
   struct jit_code *native;      /* the JIT's cache entry (jit_llvm.h) set by whoever parsed the text, or NULL;
                                  * the one mutable field: jit_shader_free drops the reference */
};

/* Parse TGSI text (as virgl sends it, NUL-terminated, at most len bytes read)
 * into *out. Returns 0, or -1 with a message naming the line in err
 * ("line 7: unknown opcode 'FOO'"). Never crashes on any input. */
int jit_tgsi_parse(const char *text, size_t len, unsigned expected_stage,
                   struct jit_shader **out, char *err, size_t err_size);
void jit_shader_free(struct jit_shader *sh);

/* The declared output slot with this semantic and index, or -1. */
int jit_shader_output(const struct jit_shader *sh, unsigned semantic, unsigned index);

/* Registers the interpreter reads and writes, SoA: [slot][component][lane].
 * Values are 32-bit words; integer ops read and write the float storage
 * bitwise (memcpy / unions), never through conversion. */
struct jit_exec_io {
   float in[JIT_MAX_INPUTS][4][JIT_LANES];
   float out[JIT_MAX_OUTPUTS][4][JIT_LANES];
   uint32_t vertex_id[JIT_LANES];   /* SYSTEM_VALUE VERTEXID */
   uint32_t instance_id;            /* SYSTEM_VALUE INSTANCEID */
   uint32_t front_facing;           /* SYSTEM_VALUE FACE (fragment) */
};

/* Run sh over the lanes set in mask. Returns the lanes still alive (KILL
 * removes lanes). Outputs of dead lanes are unspecified. Loops are bounded by
 * JIT_MAX_LOOP_ITERS per entry. Thread-safe for distinct io. */
uint32_t jit_interp_run(const struct jit_shader *sh, const struct jit_stage_ctx *ctx,
                        struct jit_exec_io *io, uint32_t mask);

#endif
