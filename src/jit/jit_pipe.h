/* jit_pipe.h: the Gallium enums the virgl wire carries (blend factors, compare
 * functions, stencil ops, wraps, filters, primitives, texture targets), under
 * Tessera's own names. Lowest layer of the flow in DESIGN.md: every module may
 * include it. Values are fixed by the protocol; never renumber. */
#ifndef JIT_PIPE_H
#define JIT_PIPE_H

/* blend factors (pipe_blendfactor) */
#define PIPE_BLENDFACTOR_ONE                 0x01
#define PIPE_BLENDFACTOR_SRC_COLOR           0x02
#define PIPE_BLENDFACTOR_SRC_ALPHA           0x03
#define PIPE_BLENDFACTOR_DST_ALPHA           0x04
#define PIPE_BLENDFACTOR_DST_COLOR           0x05
#define PIPE_BLENDFACTOR_SRC_ALPHA_SATURATE  0x06
#define PIPE_BLENDFACTOR_CONST_COLOR         0x07
#define PIPE_BLENDFACTOR_CONST_ALPHA         0x08
#define PIPE_BLENDFACTOR_SRC1_COLOR          0x09
#define PIPE_BLENDFACTOR_SRC1_ALPHA          0x0a
#define PIPE_BLENDFACTOR_ZERO                0x11
#define PIPE_BLENDFACTOR_INV_SRC_COLOR       0x12
#define PIPE_BLENDFACTOR_INV_SRC_ALPHA       0x13
#define PIPE_BLENDFACTOR_INV_DST_ALPHA       0x14
#define PIPE_BLENDFACTOR_INV_DST_COLOR       0x15
#define PIPE_BLENDFACTOR_INV_CONST_COLOR     0x17
#define PIPE_BLENDFACTOR_INV_CONST_ALPHA     0x18
#define PIPE_BLENDFACTOR_INV_SRC1_COLOR      0x19
#define PIPE_BLENDFACTOR_INV_SRC1_ALPHA      0x1a

/* blend equations (pipe_blend_func) */
#define PIPE_BLEND_ADD               0
#define PIPE_BLEND_SUBTRACT          1
#define PIPE_BLEND_REVERSE_SUBTRACT  2
#define PIPE_BLEND_MIN               3
#define PIPE_BLEND_MAX               4

/* logic ops (pipe_logicop) */
#define PIPE_LOGICOP_CLEAR   0
#define PIPE_LOGICOP_COPY    12

/* color write mask bits */
#define PIPE_MASK_R  0x1
#define PIPE_MASK_G  0x2
#define PIPE_MASK_B  0x4
#define PIPE_MASK_A  0x8
#define PIPE_MASK_RGBA 0xf

/* compare functions (pipe_compare_func) */
#define PIPE_FUNC_NEVER    0
#define PIPE_FUNC_LESS     1
#define PIPE_FUNC_EQUAL    2
#define PIPE_FUNC_LEQUAL   3
#define PIPE_FUNC_GREATER  4
#define PIPE_FUNC_NOTEQUAL 5
#define PIPE_FUNC_GEQUAL   6
#define PIPE_FUNC_ALWAYS   7

/* faces (rasterizer cull_face) */
#define PIPE_FACE_NONE           0
#define PIPE_FACE_FRONT          1
#define PIPE_FACE_BACK           2
#define PIPE_FACE_FRONT_AND_BACK 3

/* stencil ops (pipe_stencil_op) */
#define PIPE_STENCIL_OP_KEEP       0
#define PIPE_STENCIL_OP_ZERO       1
#define PIPE_STENCIL_OP_REPLACE    2
#define PIPE_STENCIL_OP_INCR       3
#define PIPE_STENCIL_OP_DECR       4
#define PIPE_STENCIL_OP_INCR_WRAP  5
#define PIPE_STENCIL_OP_DECR_WRAP  6
#define PIPE_STENCIL_OP_INVERT     7

/* texture wraps, filters */
#define PIPE_TEX_WRAP_REPEAT                 0
#define PIPE_TEX_WRAP_CLAMP                  1
#define PIPE_TEX_WRAP_CLAMP_TO_EDGE          2
#define PIPE_TEX_WRAP_CLAMP_TO_BORDER        3
#define PIPE_TEX_WRAP_MIRROR_REPEAT          4
#define PIPE_TEX_WRAP_MIRROR_CLAMP           5
#define PIPE_TEX_WRAP_MIRROR_CLAMP_TO_EDGE   6
#define PIPE_TEX_WRAP_MIRROR_CLAMP_TO_BORDER 7
#define PIPE_TEX_MIPFILTER_NEAREST  0
#define PIPE_TEX_MIPFILTER_LINEAR   1
#define PIPE_TEX_MIPFILTER_NONE     2
#define PIPE_TEX_FILTER_NEAREST     0
#define PIPE_TEX_FILTER_LINEAR      1

/* primitives (pipe_prim_type) */
#define PIPE_PRIM_POINTS          0
#define PIPE_PRIM_LINES           1
#define PIPE_PRIM_LINE_LOOP       2
#define PIPE_PRIM_LINE_STRIP      3
#define PIPE_PRIM_TRIANGLES       4
#define PIPE_PRIM_TRIANGLE_STRIP  5
#define PIPE_PRIM_TRIANGLE_FAN    6
#define PIPE_PRIM_QUADS           7
#define PIPE_PRIM_QUAD_STRIP      8
#define PIPE_PRIM_POLYGON         9
#define PIPE_PRIM_MAX            15

/* resource / texture targets (pipe_texture_target) */
#define PIPE_BUFFER             0
#define PIPE_TEXTURE_1D         1
#define PIPE_TEXTURE_2D         2
#define PIPE_TEXTURE_3D         3
#define PIPE_TEXTURE_CUBE       4
#define PIPE_TEXTURE_RECT       5
#define PIPE_TEXTURE_1D_ARRAY   6
#define PIPE_TEXTURE_2D_ARRAY   7
#define PIPE_TEXTURE_CUBE_ARRAY 8

/* shader stages as virgl numbers them (pipe_shader_type) */
#define PIPE_SHADER_VERTEX    0
#define PIPE_SHADER_FRAGMENT  1
#define PIPE_SHADER_GEOMETRY  2
#define PIPE_SHADER_TESS_CTRL 3
#define PIPE_SHADER_TESS_EVAL 4
#define PIPE_SHADER_COMPUTE   5
#define PIPE_SHADER_TYPES     6

/* clear buffer bits (CLEAR command) */
#define PIPE_CLEAR_DEPTH    (1u << 0)
#define PIPE_CLEAR_STENCIL  (1u << 1)
#define PIPE_CLEAR_COLOR0   (1u << 2)   /* COLOR0..7 are bits 2..9 */

#endif
