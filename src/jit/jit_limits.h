/* jit_limits.h: every fixed size of the shader layer (src/jit), each with its reason.
 * State validates client input against these before anything reaches jit. */
#ifndef JIT_LIMITS_H
#define JIT_LIMITS_H

#define JIT_LANES            16     /* one 4x4 stamp = 16 SoA lanes (DESIGN: execution model) */
#define JIT_MAX_INPUTS       32     /* GL 2.1 / GLES 2: 16 attribs, 32 varying components slots */
#define JIT_MAX_OUTPUTS      32     /* vertex outputs Tessera advertises (caps: 32) */
#define JIT_MAX_TEMPS        4096   /* TGSI TEMP registers per shader; bounds interpreter memory */
#define JIT_MAX_ADDRS        4      /* ADDR registers (ARL/UARL targets) */
#define JIT_MAX_IMMS         4096   /* IMM vec4 slots per shader */
#define JIT_MAX_INSTS        65536  /* instructions per shader; longer text is refused */
#define JIT_MAX_NESTING      64     /* IF/LOOP nesting depth; deeper is refused at parse */
#define JIT_MAX_LOOP_ITERS   65536  /* interpreter bound per loop entry: a hostile shader cannot hang a worker */
#define JIT_MAX_CONST_BUFS   16     /* constant buffers per stage (caps: 13 uniform blocks + default) */
#define JIT_MAX_CONSTS       4096   /* vec4 constants per buffer (64 KiB) */
#define JIT_MAX_SAMPLERS     16     /* sampler states and views per stage (caps: 16) */
#define JIT_MAX_LEVELS       15     /* mip levels: 16384 = 2^14 needs 15 */
#define JIT_MAX_CBUFS        8      /* render targets */
#define JIT_MAX_VERTEX_ELEMENTS 16  /* vertex attributes (caps: 16) */
#define JIT_MAX_VERTEX_BUFFERS  16  /* vertex buffer slots */
#define JIT_MAX_TEXT         (1u << 20) /* TGSI text bytes per shader */

#endif
