/* jit_diff.h: the differential harness of the JIT tests: parse a shader with
 * its JIT code attached, run the compiled function and the interpreter on
 * the same registers, and fail on any differing bit of the outputs or of the
 * live mask. Used by check_jit_interp.c (every opcode test) and
 * check_jit_llvm.c (random shaders). Tests set jit_mode_set(JIT_MODE_SYNC). */
#ifndef TESTS_JIT_DIFF_H
#define TESTS_JIT_DIFF_H

#include <check.h>
#include <string.h>

#include "jit/jit_ir.h"
#include "jit/jit_llvm.h"

static inline int parse_and_compile(const char *text, size_t len, unsigned stage, struct jit_shader **out, char *err,
                                    size_t err_size)
{
   int ret = (jit_tgsi_parse)(text, len, stage, out, err, err_size);
   if (ret == 0)
      (*out)->native = jit_code_get(text, len, stage);
   return ret;
}

static inline uint32_t run_both(const struct jit_shader *sh, const struct jit_stage_ctx *ctx, struct jit_exec_io *regs,
                                uint32_t mask)
{
   static struct jit_exec_io copy;
   ck_assert_msg(sh->native != NULL, "the JIT took no entry for the shader");
   jit_shader_func fn = jit_code_acquire(sh->native);
   ck_assert_msg(fn != NULL, "the JIT did not compile the shader (TESSERA_DEBUG=jit says why)");
   memcpy(&copy, regs, sizeof(copy));
   uint32_t native_alive = fn(ctx, &copy, mask);
   jit_code_release(sh->native);
   uint32_t alive = (jit_interp_run)(sh, ctx, regs, mask);
   ck_assert_msg(native_alive == alive, "live mask: JIT %#x, interpreter %#x", native_alive, alive);
   for (unsigned o = 0; o < JIT_MAX_OUTPUTS; o++)
      for (unsigned c = 0; c < 4; c++)
         for (unsigned l = 0; l < JIT_LANES; l++) {
            uint32_t a, b;
            memcpy(&a, &copy.out[o][c][l], 4);
            memcpy(&b, &regs->out[o][c][l], 4);
            if (a != b && (a & 0x7fffffffu) > 0x7f800000u && (b & 0x7fffffffu) > 0x7f800000u)
               continue; /* both NaN: the sign and payload of a NaN are not specified (x86 and libm differ) */
            if (a != b) /* (Check records every assertion it runs: only failing ones here) */
               ck_assert_msg(a == b, "OUT[%u].%c lane %u: JIT %#010x (%g), interpreter %#010x (%g)", o, "xyzw"[c],
                             l, a, copy.out[o][c][l], b, regs->out[o][c][l]);
         }
   return alive;
}

#endif
