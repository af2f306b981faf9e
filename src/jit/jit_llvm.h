/* jit_llvm.h: native code for shader bodies. jit_llvm.c translates the IR
 * (jit_ir.h) into LLVM IR in SoA form; jit_cache.c compiles it with ORC
 * LLJIT on a background thread and keeps the results in a bounded LRU cache
 * shared by every renderer of the process.
 *
 * A compiled body has exactly the contract of jit_interp_run (same inputs,
 * same outputs, same bits; jit_shader_func in jit_abi.h), so the reference
 * variants call whichever of the two is ready: a draw whose code is still
 * compiling runs on the interpreter and never waits (TESSERA_JIT=async). */
#ifndef JIT_LLVM_H
#define JIT_LLVM_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "jit/jit_abi.h"
#include "jit/jit_ir.h"

/* ---- code generation (jit_llvm.c) --------------------------------------- */

/* Why a shader is left to the interpreter, or NULL if the JIT takes it.
 * (Limits that keep generated code and its stack frame bounded.) */
const char *jit_llvm_unsupported(const struct jit_shader *sh);

/* Build function `name` computing sh into module (an LLVMModuleRef) in its
 * context. sh must outlive the code: the generated code points at its
 * texture instructions. Returns 0, or -1 with a message in err. */
int jit_llvm_build(const struct jit_shader *sh, void *module, const char *name, unsigned vector_bits,
                   char *err, size_t err_size);

/* The body of a fused variant (jit_fs_fused.c, jit_vs_fused.c): sh built by
 * jit_llvm_build into module as "<name>_body", internal and always-inline
 * (the pass list then starts with always-inline). tex_keys: NULL, or
 * JIT_FS_TEX_KEYS keys whose units' TEX instructions inline the sampler
 * specialized for that state instead of calling jit_texture.sample2d (the
 * variant is only run with that state). Returns the function (an
 * LLVMValueRef), or NULL with a message in err. */
void *jit_llvm_build_inlined(const struct jit_shader *sh, void *module, const char *name, unsigned vector_bits,
                             const struct jit_tex_key *tex_keys, char *err, size_t err_size);

/* ---- modes and the code cache (jit_cache.c) ----------------------------- */

enum jit_mode {
   JIT_MODE_OFF = 0,    /* interpreter only */
   JIT_MODE_SYNC = 1,   /* the first draw of a shader waits for its code */
   JIT_MODE_ASYNC = 2,  /* draws run on the interpreter until the code is ready (default) */
};

/* The mode from TESSERA_JIT (async|sync|off), read once; jit_mode_set
 * overrides it (tests, benchmarks). */
enum jit_mode jit_mode_get(void);
void jit_mode_set(enum jit_mode mode);

/* Native code of one shader text. Refcounted (one reference per shader
 * object holding it); the cache keeps entries nobody holds until the budget
 * evicts them, so a shader a new client creates again is compiled once. */
struct jit_code;

/* The cache entry for this TGSI text (stage PIPE_SHADER_*), queued for
 * compilation if new: a new reference, or NULL when the mode is off or
 * memory is short (the interpreter then runs the shader). */
struct jit_code *jit_code_get(const char *text, size_t len, unsigned stage);
void jit_code_unref(struct jit_code *code);

/* For one draw: the compiled function, pinned (eviction skips it) until
 * jit_code_release, or NULL (not compiled yet, failed, or unsupported: use
 * the interpreter; nothing to release). In sync mode it waits for the
 * compile. An evicted entry is queued again. */
jit_shader_func jit_code_acquire(struct jit_code *code);
void jit_code_release(struct jit_code *code);

/* The fused fragment variant (jit_fs_fused.h) of body's text under key:
 * the same cache, keyed by text + stage + key bytes, compiled on the same
 * thread. A new reference, or NULL (mode off, body NULL, no memory). The
 * caller checks jit_fs_fused_unsupported first (else the compile fails and
 * the entry stays on the reference). jit_code_acquire_fs pins it for a draw
 * like jit_code_acquire (NULL: run jit_fs_ref_run; release only non-NULL). */
struct jit_fs_variant_key;
struct jit_code *jit_code_get_fs_variant(struct jit_code *body, const struct jit_fs_variant_key *key);
jit_fs_func jit_code_acquire_fs(struct jit_code *code);

/* The fused vertex variant (jit_vs_fused.h) of body's text under key, the
 * same way: the caller checks jit_vs_fused_unsupported first;
 * jit_code_acquire_vs pins it for a draw (NULL: run jit_vs_ref_run). */
struct jit_vs_variant_key;
struct jit_code *jit_code_get_vs_variant(struct jit_code *body, const struct jit_vs_variant_key *key);
jit_vs_func jit_code_acquire_vs(struct jit_code *code);

/* A draw that started before its code was ready (async mode) switches to it
 * as soon as the compile finishes: the reference functions poll the draw's
 * jit_late (an atomic load or two while nothing changes) and run native code
 * from then on, pinned until jit_late_finish. The interpreter and the JIT
 * give the same bits, so an image does not depend on when that happens; a
 * first frame costs about the compile instead of a whole draw interpreted. */
struct jit_late {
   struct jit_code *code;        /* the entry watched */
   _Atomic int state;            /* 0 watching, 1 pinned (fn valid), 2 nothing to watch */
   void (*fn)(void);             /* the pinned function (jit_shader_func, jit_fs_func or jit_vs_func) */
};
/* Watch code (the entry whose acquire just gave NULL) for one draw; returns
 * l, or NULL when there is nothing to wait for (no entry, failed, mode not
 * async), so callers can store the result in a ctx. */
struct jit_late *jit_late_init(struct jit_late *l, struct jit_code *code);
void (*jit_late_poll(struct jit_late *l))(void);
void jit_late_finish(struct jit_late *l);

/* The key of (t, s) in *k (jit_llvm_tex.c); 1 when the state is one the
 * inline sampler takes (format, target and wraps), else 0 with *k zero. */
int jit_tex_key_make(const struct jit_texture *t, const struct jit_sampler *s, struct jit_tex_key *k);

/* Point t->sample2d at the sampler variant of (t, s) when it is compiled,
 * else NULL (the generic sampler runs); a new key is queued for the compile
 * thread (JIT_TEX_VARIANTS at most, kept for the process). Any mode but
 * off; the results are the same bits either way. */
void jit_texture_pick_variant(struct jit_texture *t, const struct jit_sampler *s);

/* Counters of the code cache (process-wide). */
struct jit_cache_stats {
   uint64_t lookups, hits;         /* jit_code_get calls; found an existing entry */
   uint64_t compiles, failures;    /* finished compiles; shaders left to the interpreter */
   uint64_t evictions;             /* code dropped for the budget */
   uint64_t native_draws, interp_draws; /* acquires that got code; that fell back to the interpreter */
   uint64_t fused_compiles;        /* of compiles: fused fragment variants */
   uint64_t fused_draws, ref_draws; /* fused acquires that got code; draws on jit_fs_ref_run */
   uint64_t vs_fused_compiles;     /* of compiles: fused vertex variants */
   uint64_t vs_fused_draws, vs_ref_draws; /* vertex fused acquires that got code; draws on jit_vs_ref_run */
   uint64_t late_switches;         /* draws that switched to native code while running (jit_late) */
   uint64_t upgrades;              /* fused variants compiled again with SelectionDAG when idle */
   uint64_t compile_ns_total, compile_ns_median, compile_ns_max;
   uint64_t fused_compile_ns_median, vs_fused_compile_ns_median;
   uint64_t entries, resident_bytes, budget_bytes;
   uint64_t tex_variants, tex_variant_bytes; /* sampler variants compiled; their code (outside the budget) */
   uint64_t tex_variant_ns_median;
   unsigned vector_bits;           /* of the code: 512, 256 or 128 (TESSERA_JIT_ISA caps the host's); 0 before start-up */
};
void jit_cache_stats_get(struct jit_cache_stats *s);
void jit_cache_stats_print(FILE *f);

/* Memory budget for resident code (bytes); TESSERA_JIT_BUDGET_MB sets it at
 * start-up, default 64 MiB. Lowering it evicts at once. */
void jit_cache_set_budget(size_t bytes);

/* Set LLVM up, warm it with one throw-away compile (about 10-20 ms) and
 * start the compile thread now rather than at the first shader: servers and
 * benchmarks call it at start-up. No-op when the mode is off. */
void jit_cache_start(void);

/* Wait until nothing is queued, compiling or waiting for its recompile
 * (tests and benchmarks). */
void jit_cache_wait_idle(void);

/* Tests: hold = 1 keeps the compile thread from starting new work (what is
 * queued meanwhile waits, as behind a long compile); 0 lets it go on. */
void jit_cache_hold(int hold);

/* Before the process exits: let a running compile finish and start no
 * other; draws go on with the code they have or the interpreter. Programs
 * call it before returning from main (it is also an atexit handler, but
 * LLVM registers some of its own exit-time destructors later than that, and
 * a compile running while those run corrupts memory). */
void jit_cache_stop(void);

#endif
