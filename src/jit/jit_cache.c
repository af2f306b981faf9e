/* jit_cache.c: the JIT engine and its code cache. One background thread
 * owns every LLVM object (target machine, ORC LLJIT, resource trackers):
 * it compiles queued shaders to objects with a target machine made from the
 * host CPU's name and features (read at run time, so valgrind's CPU or an
 * older machine gets code it can run), links them with LLJIT and publishes
 * the function. Draws never touch LLVM: they take a pinned function pointer
 * under the cache lock (jit_code_acquire) or run the interpreter.
 *
 * Invariants (all under `lock`):
 * - an entry is in the hash table and on the LRU list from creation until it
 *   is freed; it is freed only when refs == 0, pins == 0 and it is neither
 *   queued nor compiling;
 * - state READY <=> fn != NULL and rt holds the code; code is dropped only
 *   when pins == 0 (eviction hands rt to the thread's garbage list, the
 *   thread removes it: LLVM is called from one thread only);
 * - resident_bytes = sum of code_bytes of READY entries;
 * - an entry with key == NULL is a shader body (jit_shader_func), one with a
 *   key is a fused variant of that text: fragment stage, a jit_fs_variant_key
 *   (jit_fs_func, stored in fn and cast back by jit_code_acquire_fs); vertex
 *   stage, a jit_vs_variant_key (jit_vs_func, jit_code_acquire_vs); the key
 *   is part of the identity.
 * Capacity: budget_bytes of resident code (TESSERA_JIT_BUDGET_MB, default
 * 64) and JIT_CACHE_MAX_ENTRIES entries; policy: least recently acquired
 * first, pinned code never. */
#include <llvm-c/Core.h>
#include <llvm-c/Error.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Object.h>
#include <llvm-c/Orc.h>
#include <llvm-c/Target.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>
#include <llvm-c/Analysis.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jit/jit_fs_fused.h"
#include "jit/jit_llvm.h"
#include "jit/jit_llvm_tex.h"
#include "jit/jit_vs_fused.h"

#define JIT_CACHE_MAX_ENTRIES 4096     /* entries, compiled or not: bounds the table walk and the metadata */
#define JIT_CACHE_HASH_SIZE 1024       /* hash buckets (power of two) */
#define JIT_CACHE_TIMES 1024           /* compile times kept for the median */
#define JIT_WARM_UP_NAME "tessera_warm_up" /* the start-up compile's function */
#define JIT_CACHE_DEFAULT_BUDGET_MB 64 /* issue 4: code and cache within 64 MiB by default */
/* IR passes: SROA turns the register allocas into SSA values, the rest
 * cleans up; a full default<O2> costs 2-3x the compile time (measured in
 * DESIGN.md's JIT notes) for little gain on straight-line shader code. */
#define JIT_CACHE_PASSES "function(sroa,early-cse<memssa>,instcombine<no-verify-fixpoint>,simplifycfg,dse)"

enum code_state { CODE_QUEUED, CODE_COMPILING, CODE_READY, CODE_FAILED, CODE_EVICTED };

struct jit_code {
   struct jit_code *hnext;       /* hash chain */
   struct jit_code *prev, *next; /* LRU list, most recently acquired first */
   struct jit_code *qnext;       /* compile queue */
   int backlog;                  /* other entries were queued when its compile began */
   uint64_t urgent;              /* queued, and a draw runs without it meanwhile (fused variants: the draw's
                                  * number, latest first): compiled before the rest (queue_pop) */
   uint64_t hash;
   unsigned stage;               /* PIPE_SHADER_* */
   char *text;                   /* owned copy of the TGSI text (the cache key with stage and key) */
   size_t len;
   void *key;                    /* owned copy: jit_fs_variant_key or jit_vs_variant_key (by stage) of a
                                  * fused variant of the text; NULL = the body */
   size_t key_len;
   int refs;                     /* shader objects holding this entry */
   int pins;                     /* draws running fn */
   enum code_state state;
   _Atomic int ready;            /* state == CODE_READY, readable without the lock (jit_late_poll) */
   jit_shader_func fn;           /* a jit_fs_func when key != NULL (converted back on acquire) */
   struct jit_shader *sh;        /* parsed by the thread; the code points into it; freed with the code */
   LLVMOrcResourceTrackerRef rt; /* the linked code */
   size_t code_bytes;            /* object size + IR size, counted against the budget */
   char name[48];
   char error[160];              /* why it runs on the interpreter (FAILED) */
};

static struct engine {
   pthread_mutex_t lock;
   pthread_cond_t work, done;
   pthread_t thread;
   pid_t pid;                    /* the process that started the thread (a forked child starts its own) */
   int started, start_failed;
   int stopping;                 /* exit in progress: the thread takes no more work */
   struct jit_code *table[JIT_CACHE_HASH_SIZE];
   struct jit_code *lru_head, *lru_tail;
   struct jit_code *queue_head, *queue_tail;
   uint64_t draws_waiting;       /* numbers the acquires that found their code queued (jit_code.urgent) */
   struct garbage {
      struct garbage *next;
      LLVMOrcResourceTrackerRef rt;
      struct jit_shader *sh;
   } *garbage;
   int compiling;
   uint64_t seq;
   struct jit_cache_stats st;
   uint64_t times[JIT_CACHE_TIMES];
   uint64_t fused_times[JIT_CACHE_TIMES];
   uint64_t vs_fused_times[JIT_CACHE_TIMES];
   size_t budget;
   /* thread-owned LLVM objects */
   LLVMTargetMachineRef tm;
   LLVMTargetMachineRef tm_fast; /* codegen level None (FastISel), for fused variants: see llvm_setup */
   LLVMOrcLLJITRef lljit;
   char *triple, *layout;
   unsigned vector_bits;
   int llvm_ok;
} eng = { .lock = PTHREAD_MUTEX_INITIALIZER, .work = PTHREAD_COND_INITIALIZER, .done = PTHREAD_COND_INITIALIZER };

/* ---- mode -------------------------------------------------------------------------------------- */

static int mode_override = -1;

enum jit_mode jit_mode_get(void)
{
   static int env_mode = -1;
   if (mode_override >= 0)
      return (enum jit_mode)mode_override;
   if (env_mode < 0) {
      const char *e = getenv("TESSERA_JIT");
      env_mode = !e || !*e || !strcmp(e, "async") ? JIT_MODE_ASYNC
               : !strcmp(e, "sync")                ? JIT_MODE_SYNC
               : !strcmp(e, "off")                 ? JIT_MODE_OFF
                                                   : JIT_MODE_ASYNC;
      if (e && *e && strcmp(e, "async") && strcmp(e, "sync") && strcmp(e, "off"))
         fprintf(stderr, "tessera: TESSERA_JIT=%s is not async, sync or off: using async\n", e);
   }
   return (enum jit_mode)env_mode;
}

void jit_mode_set(enum jit_mode mode)
{
   mode_override = (int)mode;
}

static uint64_t now_ns(void)
{
   struct timespec t;
   clock_gettime(CLOCK_MONOTONIC, &t);
   return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static uint64_t hash_text(const char *s, size_t n, unsigned stage, const void *key, size_t key_len)
{
   uint64_t h = 1469598103934665603ull ^ stage;
   for (size_t i = 0; i < n; i++)
      h = (h ^ (uint8_t)s[i]) * 1099511628211ull;
   for (size_t i = 0; i < key_len; i++)
      h = (h ^ ((const uint8_t *)key)[i]) * 1099511628211ull;
   return h;
}

/* ---- the LRU list and the table (lock held) ---------------------------------------------------- */

static void lru_unlink(struct jit_code *c)
{
   if (c->prev)
      c->prev->next = c->next;
   else
      eng.lru_head = c->next;
   if (c->next)
      c->next->prev = c->prev;
   else
      eng.lru_tail = c->prev;
   c->prev = c->next = NULL;
}

static void lru_push_front(struct jit_code *c)
{
   c->prev = NULL;
   c->next = eng.lru_head;
   if (eng.lru_head)
      eng.lru_head->prev = c;
   eng.lru_head = c;
   if (!eng.lru_tail)
      eng.lru_tail = c;
}

static void queue_push(struct jit_code *c)
{
   c->state = CODE_QUEUED;
   c->qnext = NULL;
   if (eng.queue_tail)
      eng.queue_tail->qnext = c;
   else
      eng.queue_head = c;
   eng.queue_tail = c;
   pthread_cond_signal(&eng.work);
}

/* The next entry to compile: the first body a draw is waiting for
 * (urgent, set by acquire), else the oldest body, else the fused variant
 * the latest draw waited for (urgent holds the draw's number), else the
 * oldest entry. Shaders are queued when created, often many at once (an
 * application's start-up, the bench's firstframe: 40 bodies), fused
 * variants at their first draw. Bodies first: they compile in about half
 * the time and serve every state of their shader, so a new program's
 * first draw gets native code soonest. Then fused variants latest first:
 * in queue order a program drawn again waited behind the fused variants
 * of every program drawn once before it. */
static struct jit_code *queue_pop(void)
{
   struct jit_code *prev = NULL, *pick = NULL, *pick_prev = NULL, *body = NULL, *body_prev = NULL;
   for (struct jit_code *c = eng.queue_head; c; prev = c, c = c->qnext) {
      if (!c->key) {
         if (c->urgent) { /* the oldest body a draw waits for */
            body = c;
            body_prev = prev;
            break;
         }
         if (!body) {
            body = c;
            body_prev = prev;
         }
      } else if (c->urgent && (!pick || c->urgent > pick->urgent)) {
         pick = c;
         pick_prev = prev;
      }
   }
   if (body) {
      pick = body;
      pick_prev = body_prev;
   } else if (!pick) {
      pick = eng.queue_head;
      pick_prev = NULL;
   }
   if (!pick)
      return NULL;
   *(pick_prev ? &pick_prev->qnext : &eng.queue_head) = pick->qnext;
   if (eng.queue_tail == pick)
      eng.queue_tail = pick_prev;
   pick->qnext = NULL;
   pick->urgent = 0;
   return pick;
}

/* Hand an entry's code to the thread for removal. */
static void drop_code(struct jit_code *c)
{
   struct garbage *g = malloc(sizeof(*g));
   if (!g)
      return; /* keep the code: leaking a tracker is better than freeing it from the wrong thread */
   g->rt = c->rt;
   g->sh = c->sh;
   g->next = eng.garbage;
   eng.garbage = g;
   c->rt = NULL;
   c->sh = NULL;
   c->fn = NULL;
   eng.st.resident_bytes -= c->code_bytes;
   c->code_bytes = 0;
   pthread_cond_signal(&eng.work);
}

static void entry_free(struct jit_code *c)
{
   struct jit_code **pp = &eng.table[c->hash & (JIT_CACHE_HASH_SIZE - 1)];
   while (*pp && *pp != c)
      pp = &(*pp)->hnext;
   if (*pp)
      *pp = c->hnext;
   lru_unlink(c);
   if (c->state == CODE_READY)
      drop_code(c);
   eng.st.entries--;
   free(c->text);
   free(c->key);
   free(c);
}

/* Evict least recently used code until the budget and the entry cap hold. */
static void evict(void)
{
   struct jit_code *c = eng.lru_tail;
   while (c && (eng.st.resident_bytes > eng.budget || eng.st.entries > JIT_CACHE_MAX_ENTRIES)) {
      struct jit_code *prev = c->prev;
      if (c->pins == 0 && c->state != CODE_QUEUED && c->state != CODE_COMPILING) {
         if (c->state == CODE_READY) {
            drop_code(c);
            c->state = CODE_EVICTED;
            atomic_store_explicit(&c->ready, 0, memory_order_relaxed);
            eng.st.evictions++;
         }
         if (c->refs == 0)
            entry_free(c);
      }
      c = prev;
   }
}

/* ---- the compile thread ------------------------------------------------------------------------ */

static int llvm_setup(char *err, size_t n)
{
   char *msg = NULL;
   LLVMInitializeNativeTarget();
   LLVMInitializeNativeAsmPrinter();
   LLVMInitializeNativeAsmParser();
   char *cpu = LLVMGetHostCPUName(), *feat = LLVMGetHostCPUFeatures();
   eng.triple = LLVMGetDefaultTargetTriple();
   LLVMTargetRef target;
   if (LLVMGetTargetFromTriple(eng.triple, &target, &msg)) {
      snprintf(err, n, "no LLVM target for %s: %s", eng.triple, msg ? msg : "?");
      LLVMDisposeMessage(msg);
      goto out;
   }
   eng.tm = LLVMCreateTargetMachine(target, eng.triple, cpu, feat, LLVMCodeGenLevelDefault, LLVMRelocDefault,
                                    LLVMCodeModelJITDefault);
   /* Fused fragment variants with a stencil test are code-generated with
    * FastISel. With AVX-512, LLVM 19.1's SelectionDAG instruction selection
    * miscompiled them: on stencil states check_jit_fused found stencil
    * bytes that differ from the reference (the IR was right: AVX2, FastISel
    * and the same IR without AVX-512 all give the reference's bytes;
    * reduced to docs/llvm19-avx512-miscompile.ll, to re-test on upgrades).
    * Every failure seen (6 seeds x 500 random states) had a stencil test
    * enabled; without one SelectionDAG's code is faster (replay of the
    * bench's fill_nodepth 10.6 -> 7.5 ms/frame, texture 17.2 -> 14.0,
    * medians of 5 interleaved runs) but compiles about 1.5x slower
    * (firstframe's shaders 20 -> 29 ms): a fragment variant whose compile
    * starts while other entries wait gets FastISel, so a storm of new
    * shaders keeps up (bench firstframe, warm frame after 20 new programs:
    * 12.1 ms with SelectionDAG throughout, the last program's variant not
    * ready in time; 7.3 ms with FastISel). Fused vertex variants use FastISel
    * too: SelectionDAG's code is faster (13-15 -> 7-9 ns/vertex, a few
    * tenths of a ms per frame of the mesh scene) but took 100 ms instead of
    * 28-54 to compile. Both machines live on this one thread
    * (one TargetMachine per compiling thread holds). */
   eng.tm_fast = LLVMCreateTargetMachine(target, eng.triple, cpu, feat, LLVMCodeGenLevelNone, LLVMRelocDefault,
                                         LLVMCodeModelJITDefault);
   /* the widest vectors the host has: 16 lanes = one zmm with AVX-512, two ymm with AVX2 */
   eng.vector_bits = strstr(feat, "+avx512f") ? 512 : strstr(feat, "+avx2") ? 256 : 128;
   LLVMTargetDataRef td = LLVMCreateTargetDataLayout(eng.tm);
   eng.layout = LLVMCopyStringRepOfTargetData(td);
   LLVMDisposeTargetData(td);
   LLVMOrcLLJITBuilderRef b = LLVMOrcCreateLLJITBuilder();
   LLVMErrorRef e = LLVMOrcCreateLLJIT(&eng.lljit, b);
   if (e) {
      msg = LLVMGetErrorMessage(e);
      snprintf(err, n, "LLJIT: %s", msg);
      LLVMDisposeErrorMessage(msg);
      goto out;
   }
   LLVMDisposeMessage(cpu);
   LLVMDisposeMessage(feat);
   return 0;
out:
   LLVMDisposeMessage(cpu);
   LLVMDisposeMessage(feat);
   return -1;
}

static void perf_map_write(uint64_t addr, uint64_t size, const char *name)
{
   static int flag = -1;
   if (flag < 0) {
      const char *e = getenv("TESSERA_PERF_MAP");
      flag = e && *e && strcmp(e, "0") ? 1 : 0;
   }
   if (!flag)
      return;
   char path[64];
   snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)getpid());
   FILE *f = fopen(path, "a");
   if (!f)
      return;
   fprintf(f, "%llx %llx %s\n", (unsigned long long)addr, (unsigned long long)size, name);
   fclose(f);
}

/* The functions of a compiled object, for the perf map: the shader
 * function and the helpers its code calls (jit_llvm_tex.c's sampling
 * functions), as offsets in the shader function's section. */
#define OBJ_MAX_SYMS 8
struct obj_syms {
   unsigned n;                   /* entries in sym; sym[0] is the shader function when found */
   struct {
      uint64_t off, size;
      char name[40];
   } sym[OBJ_MAX_SYMS];
};

static void object_symbols(LLVMMemoryBufferRef buf, const char *main, struct obj_syms *o)
{
   char *msg = NULL, text[32] = "";
   memset(o, 0, sizeof(*o));
   LLVMBinaryRef bin = LLVMCreateBinary(buf, NULL, &msg);
   if (!bin) {
      LLVMDisposeMessage(msg);
      return;
   }
   LLVMSectionIteratorRef sect = LLVMObjectFileCopySectionIterator(bin);
   for (int pass = 0; pass < 2 && sect; pass++) { /* the shader function first, then its section's others */
      LLVMSymbolIteratorRef it = LLVMObjectFileCopySymbolIterator(bin);
      for (; it && !LLVMObjectFileIsSymbolIteratorAtEnd(bin, it); LLVMMoveToNextSymbol(it)) {
         const char *name = LLVMGetSymbolName(it);
         int is_main = !strcmp(name, main);
         if (LLVMGetSymbolSize(it) == 0 || (pass == 0) != is_main || o->n >= OBJ_MAX_SYMS)
            continue;
         LLVMMoveToContainingSection(sect, it);
         const char *sn = LLVMObjectFileIsSectionIteratorAtEnd(bin, sect) ? "" : LLVMGetSectionName(sect);
         if (is_main)
            snprintf(text, sizeof(text), "%s", sn ? sn : "");
         else if (!sn || strcmp(sn, text))
            continue;
         o->sym[o->n].off = LLVMGetSymbolAddress(it);
         o->sym[o->n].size = LLVMGetSymbolSize(it);
         snprintf(o->sym[o->n].name, sizeof(o->sym[o->n].name), "%s", name);
         o->n++;
      }
      if (it)
         LLVMDisposeSymbolIterator(it);
      if (pass == 0 && !o->n)
         break;
   }
   if (sect)
      LLVMDisposeSectionIterator(sect);
   LLVMDisposeBinary(bin);
}

/* Verify, optimize, emit and link module m; on success the address of its
 * function `name` and the tracker that holds the code. fused: a fused
 * fragment variant (its body is inlined). fast_isel: codegen by the
 * FastISel target machine (see llvm_setup and
 * docs/llvm19-avx512-miscompile.ll). perf_map: write the
 * perf map entries (the function and the helpers of its text section, as
 * "<name>.<helper>"). The module is left to the caller to dispose. */
static int link_module(LLVMModuleRef m, const char *name, int fused, int fast_isel, int perf_map,
                       LLVMOrcExecutorAddress *out_addr, LLVMOrcResourceTrackerRef *out_rt, size_t *out_obj_bytes,
                       char *err, size_t n)
{
   char *msg = NULL;
   int ret = -1;
   if (LLVMVerifyModule(m, LLVMReturnStatusAction, &msg)) {
      snprintf(err, n, "generated code does not verify: %.100s", msg ? msg : "?");
      goto out;
   }
   LLVMPassBuilderOptionsRef opts = LLVMCreatePassBuilderOptions();
   const char *passes = getenv("TESSERA_JIT_PASSES"); /* tuning knob: an LLVM pass pipeline */
   char pipeline[512];
   /* fused variants: the body is an always-inline function of the module */
   snprintf(pipeline, sizeof(pipeline), "%s%s", fused ? "always-inline," : "",
            passes && *passes ? passes : JIT_CACHE_PASSES);
   LLVMTargetMachineRef tm = fast_isel ? eng.tm_fast : eng.tm;
   LLVMErrorRef e = LLVMRunPasses(m, pipeline, tm, opts);
   LLVMDisposePassBuilderOptions(opts);
   if (e) {
      char *em = LLVMGetErrorMessage(e);
      snprintf(err, n, "passes: %s", em);
      LLVMDisposeErrorMessage(em);
      goto out;
   }
   LLVMMemoryBufferRef obj;
   LLVMDisposeMessage(msg);
   msg = NULL;
   if (LLVMTargetMachineEmitToMemoryBuffer(tm, m, LLVMObjectFile, &msg, &obj)) {
      snprintf(err, n, "codegen: %s", msg ? msg : "?");
      goto out;
   }
   size_t obj_bytes = LLVMGetBufferSize(obj);
   struct obj_syms syms;
   object_symbols(obj, name, &syms);
   LLVMOrcResourceTrackerRef rt = LLVMOrcJITDylibCreateResourceTracker(LLVMOrcLLJITGetMainJITDylib(eng.lljit));
   e = LLVMOrcLLJITAddObjectFileWithRT(eng.lljit, rt, obj); /* consumes obj */
   LLVMOrcExecutorAddress addr = 0;
   if (!e)
      e = LLVMOrcLLJITLookup(eng.lljit, &addr, name);
   if (e || !addr) {
      char *em = e ? LLVMGetErrorMessage(e) : NULL;
      snprintf(err, n, "link: %s", em ? em : "symbol not found");
      if (em)
         LLVMDisposeErrorMessage(em);
      LLVMErrorRef r = LLVMOrcResourceTrackerRemove(rt);
      if (r)
         LLVMConsumeError(r);
      LLVMOrcReleaseResourceTracker(rt);
      goto out;
   }
   if (perf_map) {
      perf_map_write(addr, syms.n ? syms.sym[0].size : obj_bytes, name);
      for (unsigned i = 1; i < syms.n; i++) {
         char hn[96];
         snprintf(hn, sizeof(hn), "%s.%s", name, syms.sym[i].name);
         perf_map_write(addr - syms.sym[0].off + syms.sym[i].off, syms.sym[i].size, hn);
      }
   }
   *out_addr = addr;
   *out_rt = rt;
   *out_obj_bytes = obj_bytes;
   ret = 0;
out:
   LLVMDisposeMessage(msg);
   return ret;
}

/* Compile one entry (no lock held: c->text is immutable, the rest is written after). */
static int compile(struct jit_code *c, struct jit_shader **out_sh, LLVMOrcResourceTrackerRef *out_rt,
                   jit_shader_func *out_fn, size_t *out_bytes, char *err, size_t n)
{
   struct jit_shader *sh = NULL;
   int ret = -1;
   if (jit_tgsi_parse(c->text, c->len, c->stage, &sh, err, n))
      return -1;
   LLVMContextRef ctx = LLVMContextCreate();
   LLVMModuleRef m = LLVMModuleCreateWithNameInContext(c->name, ctx);
   LLVMSetTarget(m, eng.triple);
   LLVMSetDataLayout(m, eng.layout);
   int built = !c->key                           ? jit_llvm_build(sh, m, c->name, eng.vector_bits, err, n)
               : c->stage == PIPE_SHADER_VERTEX ? jit_vs_fused_build(sh, c->key, m, c->name, eng.vector_bits, err, n)
                                                : jit_fs_fused_build(sh, c->key, m, c->name, eng.vector_bits, err, n);
   if (built)
      goto out_module;
   LLVMOrcExecutorAddress addr;
   size_t obj_bytes;
   /* (no perf map entry for the warm-up: its code is freed at once, and perf
    * would credit it with the next shader's code at the same addresses) */
   const struct jit_fs_variant_key *fk = c->key && c->stage == PIPE_SHADER_FRAGMENT ? c->key : NULL;
   /* FastISel: stencil code (the miscompile), vertex variants (compile
    * time), and fragment variants compiled while others wait (compile
    * time: see llvm_setup) */
   int fast_isel = (fk && (fk->stencil[0].enabled || fk->stencil[1].enabled || c->backlog)) || (c->key && !fk);
   if (link_module(m, c->name, c->key != NULL, fast_isel, strcmp(c->name, JIT_WARM_UP_NAME) != 0, &addr, out_rt,
                   &obj_bytes, err, n))
      goto out_module;
   *out_fn = (jit_shader_func)(uintptr_t)addr;
   *out_sh = sh;
   *out_bytes = obj_bytes + c->len + sizeof(*sh) + (size_t)sh->num_insts * sizeof(*sh->insts) +
                (size_t)sh->num_imms * 16u;
   sh = NULL;
   ret = 0;
out_module:
   LLVMDisposeModule(m);
   LLVMContextDispose(ctx);
   if (sh)
      jit_shader_free(sh);
   return ret;
}

/* The texture sampling library (jit_llvm_tex.h): compiled once per
 * process and linked for good (its tracker is never removed), before the
 * warm-up, so that every shader's code can call it. On failure texture
 * instructions keep calling the C sampler. */
static void tex_lib_build(void)
{
   char err[160] = "build failed";
   LLVMContextRef ctx = LLVMContextCreate();
   LLVMModuleRef m = LLVMModuleCreateWithNameInContext("tessera_tex_lib", ctx);
   LLVMSetTarget(m, eng.triple);
   LLVMSetDataLayout(m, eng.layout);
   LLVMOrcExecutorAddress addr;
   LLVMOrcResourceTrackerRef rt;
   size_t obj_bytes;
   jit_llvm_tex_lib_set(NULL);
   int built = jit_llvm_tex_lib_build(m, eng.vector_bits);
   if (built == 0) { /* its level and texel functions are always-inline: their results stay in registers */
      LLVMPassBuilderOptionsRef opts = LLVMCreatePassBuilderOptions();
      LLVMErrorRef e = LLVMRunPasses(m, "always-inline", eng.tm, opts);
      LLVMDisposePassBuilderOptions(opts);
      if (e) {
         LLVMConsumeError(e);
         built = -1;
      }
   }
   if (built == 0 &&
       link_module(m, JIT_TEX_SAMPLE2D_NAME, 0, 0, 1, &addr, &rt, &obj_bytes, err, sizeof(err)) == 0) {
      jit_llvm_tex_lib_set((jit_tex_sample2d_fn)(uintptr_t)addr);
      LLVMOrcReleaseResourceTracker(rt); /* the code stays: only the handle goes */
   } else {
      fprintf(stderr, "tessera: JIT texture sampler unavailable (%s): textures sampled in C\n", err);
   }
   LLVMDisposeModule(m);
   LLVMContextDispose(ctx);
}

/* One throw-away compile of a shader that touches every kind of code the
 * generator emits: pages libLLVM in and constructs its lazy statics before
 * the first real shader arrives (the first compile costs ~8 ms more). */
static void warm_up(void)
{
   static const char text[] =
      "FRAG\nDCL IN[0], GENERIC[0], PERSPECTIVE\nDCL OUT[0], COLOR\nDCL SAMP[0]\nDCL SVIEW[0], 2D, FLOAT\n"
      "DCL CONST[0][0..3]\nDCL TEMP[0..1]\nDCL ADDR[0]\nIMM[0] FLT32 { 0.5, 1.0, 0.0, 2.0 }\n"
      "ARL ADDR[0].x, IN[0].xxxx\nMOV TEMP[0], CONST[0][ADDR[0].x+1]\nIF TEMP[0].xxxx\n"
      "TEX TEMP[1], IN[0], SAMP[0], 2D\nELSE\nDDX TEMP[1], IN[0]\nENDIF\nBGNLOOP\n"
      "ADD TEMP[0].x, TEMP[0].xxxx, IMM[0].yyyy\nSGE TEMP[0].y, TEMP[0].xxxx, IMM[0].wwww\nIF TEMP[0].yyyy\nBRK\n"
      "ENDIF\nENDLOOP\nF2I TEMP[0].z, TEMP[1].xxxx\nUDIV TEMP[0].w, TEMP[0].zzzz, TEMP[0].zzzz\n"
      "POW TEMP[1].x, TEMP[1].xxxx, IMM[0].xxxx\nKILL_IF -TEMP[1].xxxx\nMAD_SAT OUT[0], TEMP[1], IMM[0], TEMP[0]\n"
      "END\n";
   struct jit_code c;
   memset(&c, 0, sizeof(c));
   c.text = (char *)text;
   c.len = sizeof(text) - 1;
   c.stage = PIPE_SHADER_FRAGMENT;
   snprintf(c.name, sizeof(c.name), "%s", JIT_WARM_UP_NAME);
   struct jit_shader *sh = NULL;
   LLVMOrcResourceTrackerRef rt = NULL;
   jit_shader_func fn;
   size_t bytes;
   char err[160];
   if (compile(&c, &sh, &rt, &fn, &bytes, err, sizeof(err))) {
      fprintf(stderr, "tessera: JIT warm-up failed: %s\n", err);
      return;
   }
   LLVMErrorRef r = LLVMOrcResourceTrackerRemove(rt);
   if (r)
      LLVMConsumeError(r);
   LLVMOrcReleaseResourceTracker(rt);
   jit_shader_free(sh);
}

static void *compile_thread(void *arg)
{
   (void)arg;
   char err[160];
   int llvm_ok = eng.llvm_ok;
   pthread_mutex_lock(&eng.lock);
   for (;;) {
      while (eng.stopping || (!eng.queue_head && !eng.garbage))
         pthread_cond_wait(&eng.work, &eng.lock);
      struct garbage *gb = eng.garbage;
      eng.garbage = NULL;
      struct jit_code *c = queue_pop();
      if (c) {
         c->backlog = eng.queue_head != NULL;
         c->state = CODE_COMPILING;
         eng.compiling = 1;
      }
      pthread_mutex_unlock(&eng.lock);

      while (gb) {
         struct garbage *nx = gb->next;
         if (gb->rt) {
            LLVMErrorRef r = LLVMOrcResourceTrackerRemove(gb->rt);
            if (r)
               LLVMConsumeError(r);
            LLVMOrcReleaseResourceTracker(gb->rt);
         }
         jit_shader_free(gb->sh);
         free(gb);
         gb = nx;
      }
      struct jit_shader *sh = NULL;
      LLVMOrcResourceTrackerRef rt = NULL;
      jit_shader_func fn = NULL;
      size_t bytes = 0;
      int ok = 0;
      uint64_t t0 = now_ns();
      if (c) {
         if (!llvm_ok)
            snprintf(err, sizeof(err), "no JIT on this host");
         else
            ok = compile(c, &sh, &rt, &fn, &bytes, err, sizeof(err)) == 0;
      }
      uint64_t dt = now_ns() - t0;

      pthread_mutex_lock(&eng.lock);
      if (c) {
         eng.compiling = 0;
         if (ok) {
            c->fn = fn;
            c->rt = rt;
            c->sh = sh;
            c->code_bytes = bytes;
            c->state = CODE_READY;
            atomic_store_explicit(&c->ready, 1, memory_order_release);
            eng.st.resident_bytes += bytes;
            eng.times[eng.st.compiles % JIT_CACHE_TIMES] = dt;
            eng.st.compiles++;
            if (c->key && c->stage == PIPE_SHADER_VERTEX)
               eng.vs_fused_times[eng.st.vs_fused_compiles++ % JIT_CACHE_TIMES] = dt;
            else if (c->key)
               eng.fused_times[eng.st.fused_compiles++ % JIT_CACHE_TIMES] = dt;
            if ((eng.st.compiles & (eng.st.compiles - 1)) == 0)
               atexit(jit_cache_stop); /* again, after statics this compile may have registered (see jit_cache_stop) */
            eng.st.compile_ns_total += dt;
            if (dt > eng.st.compile_ns_max)
               eng.st.compile_ns_max = dt;
         } else {
            c->state = CODE_FAILED;
            snprintf(c->error, sizeof(c->error), "%s", err);
            eng.st.failures++;
            if (getenv("TESSERA_DEBUG") && strstr(getenv("TESSERA_DEBUG"), "jit"))
               fprintf(stderr, "tessera: %s stays on the interpreter: %s\n", c->name, err);
         }
         if (c->refs == 0 && c->state == CODE_FAILED)
            entry_free(c);
         evict();
         pthread_cond_broadcast(&eng.done);
      }
   }
   return NULL;
}

/* At exit: let a running compile finish and start no other, so that the
 * thread never uses LLVM while libLLVM's static destructors run. exit()
 * runs handlers in reverse order of registration and LLVM registers some
 * destructors lazily, during compiles; so this is registered after a
 * warm-up compile (done before the thread starts) and again after compile
 * 1, 2, 4, 8... (it is idempotent). */
void jit_cache_stop(void)
{
   pthread_mutex_lock(&eng.lock);
   if (eng.started && eng.pid == getpid()) {
      eng.stopping = 1;
      while (eng.compiling)
         pthread_cond_wait(&eng.done, &eng.lock);
   }
   pthread_mutex_unlock(&eng.lock);
}

/* Start the thread once per process (lock held). */
static int engine_start(void)
{
   if (eng.started && eng.pid == getpid())
      return 0;
   if (eng.started) {
      /* a forked child: the parent's thread does not exist here; start over (the parent's entries leak) */
      memset(eng.table, 0, sizeof(eng.table));
      eng.lru_head = eng.lru_tail = eng.queue_head = eng.queue_tail = NULL;
      eng.garbage = NULL;
      eng.compiling = 0;
      memset(&eng.st, 0, sizeof(eng.st));
      eng.started = 0;
   }
   if (eng.start_failed)
      return -1;
   if (!eng.budget) {
      const char *e = getenv("TESSERA_JIT_BUDGET_MB");
      long mb = e ? strtol(e, NULL, 10) : JIT_CACHE_DEFAULT_BUDGET_MB;
      eng.budget = (size_t)(mb > 0 ? mb : JIT_CACHE_DEFAULT_BUDGET_MB) << 20;
   }
   /* LLVM set-up and the warm-up compile run here, before the thread exists
    * and before jit_cache_stop is registered (see jit_cache_stop) */
   char err[160];
   eng.llvm_ok = llvm_setup(err, sizeof(err)) == 0;
   if (!eng.llvm_ok)
      fprintf(stderr, "tessera: JIT unavailable (%s): shaders run on the interpreter\n", err);
   else {
      tex_lib_build();
      warm_up();
   }
   atexit(jit_cache_stop);
   pthread_attr_t a;
   pthread_attr_init(&a);
   pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
   pthread_attr_setstacksize(&a, 16u << 20); /* LLVM's codegen recurses */
   int r = pthread_create(&eng.thread, &a, compile_thread, NULL);
   pthread_attr_destroy(&a);
   if (r) {
      eng.start_failed = 1;
      return -1;
   }
   eng.started = 1;
   eng.pid = getpid();
   return 0;
}

/* ---- the API ----------------------------------------------------------------------------------- */

/* Find or create the entry of (text, stage, key) (lock held). */
static struct jit_code *code_get(const char *text, size_t len, unsigned stage, const void *key, size_t key_len)
{
   uint64_t h = hash_text(text, len, stage, key, key_len);
   struct jit_code *c = NULL;
   if (engine_start())
      goto out;
   eng.st.lookups++;
   for (c = eng.table[h & (JIT_CACHE_HASH_SIZE - 1)]; c; c = c->hnext)
      if (c->hash == h && c->stage == stage && c->len == len && !c->key == !key && c->key_len == key_len &&
          !memcmp(c->text, text, len) && (!key || !memcmp(c->key, key, key_len))) {
         eng.st.hits++;
         c->refs++;
         goto out;
      }
   c = calloc(1, sizeof(*c));
   if (!c)
      goto out;
   c->text = malloc(len + 1);
   if (!c->text) {
      free(c);
      c = NULL;
      goto out;
   }
   memcpy(c->text, text, len);
   c->text[len] = 0;
   if (key) {
      c->key = malloc(key_len);
      if (!c->key) {
         free(c->text);
         free(c);
         c = NULL;
         goto out;
      }
      memcpy(c->key, key, key_len);
      c->key_len = key_len;
   }
   c->len = len;
   c->hash = h;
   c->stage = stage;
   c->refs = 1;
   const char *kind = stage == PIPE_SHADER_FRAGMENT ? (key ? "fsv" : "fs") : (key ? "vsv" : "vs");
   snprintf(c->name, sizeof(c->name), "tessera_%s_%llu_%08x", kind, (unsigned long long)++eng.seq,
            (unsigned)(h >> 32));
   c->hnext = eng.table[h & (JIT_CACHE_HASH_SIZE - 1)];
   eng.table[h & (JIT_CACHE_HASH_SIZE - 1)] = c;
   lru_push_front(c);
   eng.st.entries++;
   queue_push(c);
   evict();
out:
   return c;
}

struct jit_code *jit_code_get(const char *text, size_t len, unsigned stage)
{
   if (jit_mode_get() == JIT_MODE_OFF)
      return NULL;
   len = strnlen(text, len);
   pthread_mutex_lock(&eng.lock);
   struct jit_code *c = code_get(text, len, stage, NULL, 0);
   pthread_mutex_unlock(&eng.lock);
   return c;
}

struct jit_code *jit_code_get_fs_variant(struct jit_code *body, const struct jit_fs_variant_key *key)
{
   if (!body || jit_mode_get() == JIT_MODE_OFF || body->stage != PIPE_SHADER_FRAGMENT || body->key)
      return NULL;
   pthread_mutex_lock(&eng.lock);
   /* body->text is immutable while the caller holds its reference */
   struct jit_code *c = code_get(body->text, body->len, body->stage, key, sizeof(*key));
   pthread_mutex_unlock(&eng.lock);
   return c;
}

struct jit_code *jit_code_get_vs_variant(struct jit_code *body, const struct jit_vs_variant_key *key)
{
   if (!body || jit_mode_get() == JIT_MODE_OFF || body->stage != PIPE_SHADER_VERTEX || body->key)
      return NULL;
   pthread_mutex_lock(&eng.lock);
   struct jit_code *c = code_get(body->text, body->len, body->stage, key, sizeof(*key));
   pthread_mutex_unlock(&eng.lock);
   return c;
}

void jit_cache_start(void)
{
   if (jit_mode_get() == JIT_MODE_OFF)
      return;
   pthread_mutex_lock(&eng.lock);
   engine_start();
   pthread_mutex_unlock(&eng.lock);
}

void jit_code_unref(struct jit_code *c)
{
   if (!c)
      return;
   pthread_mutex_lock(&eng.lock);
   if (--c->refs == 0 && c->pins == 0 && (c->state == CODE_FAILED || c->state == CODE_EVICTED))
      entry_free(c);
   pthread_mutex_unlock(&eng.lock);
}

/* fused: 0 a body, 1 a fused fragment variant, 2 a fused vertex variant (for the counters) */
static void count_draw(int fused, int native)
{
   if (fused == 2)
      *(native ? &eng.st.vs_fused_draws : &eng.st.vs_ref_draws) += 1;
   else if (fused)
      *(native ? &eng.st.fused_draws : &eng.st.ref_draws) += 1;
   else
      *(native ? &eng.st.native_draws : &eng.st.interp_draws) += 1;
}

static jit_shader_func acquire(struct jit_code *c, int fused)
{
   if (!c) {
      if (fused) {
         pthread_mutex_lock(&eng.lock);
         count_draw(fused, 0);
         pthread_mutex_unlock(&eng.lock);
      }
      return NULL;
   }
   jit_shader_func fn = NULL;
   enum jit_mode mode = jit_mode_get();
   pthread_mutex_lock(&eng.lock);
   if (mode != JIT_MODE_OFF) {
      if (c->state == CODE_EVICTED)
         queue_push(c);
      if (c->state == CODE_QUEUED)
         c->urgent = ++eng.draws_waiting;
      if (mode == JIT_MODE_SYNC)
         while (!eng.stopping && (c->state == CODE_QUEUED || c->state == CODE_COMPILING))
            pthread_cond_wait(&eng.done, &eng.lock);
      if (c->state == CODE_READY) {
         c->pins++;
         fn = c->fn;
         lru_unlink(c);
         lru_push_front(c);
      }
   }
   count_draw(fused, fn != NULL);
   pthread_mutex_unlock(&eng.lock);
   return fn;
}

jit_shader_func jit_code_acquire(struct jit_code *c)
{
   return c && c->key ? NULL : acquire(c, 0);
}

jit_fs_func jit_code_acquire_fs(struct jit_code *c)
{
   return c && (!c->key || c->stage != PIPE_SHADER_FRAGMENT) ? NULL : (jit_fs_func)(void (*)(void))acquire(c, 1);
}

jit_vs_func jit_code_acquire_vs(struct jit_code *c)
{
   return c && (!c->key || c->stage != PIPE_SHADER_VERTEX) ? NULL : (jit_vs_func)(void (*)(void))acquire(c, 2);
}

struct jit_late *jit_late_init(struct jit_late *l, struct jit_code *code)
{
   l->code = code;
   l->fn = NULL;
   int watch = code && jit_mode_get() == JIT_MODE_ASYNC;
   if (watch) {
      pthread_mutex_lock(&eng.lock);
      watch = code->state == CODE_QUEUED || code->state == CODE_COMPILING || code->state == CODE_READY;
      pthread_mutex_unlock(&eng.lock);
   }
   atomic_store_explicit(&l->state, watch ? 0 : 2, memory_order_relaxed);
   return watch ? l : NULL;
}

void (*jit_late_poll(struct jit_late *l))(void)
{
   int st = atomic_load_explicit(&l->state, memory_order_acquire);
   if (st == 1)
      return l->fn;
   if (st != 0 || !atomic_load_explicit(&l->code->ready, memory_order_acquire))
      return NULL;
   pthread_mutex_lock(&eng.lock); /* first poll after the compile: pin it once for the draw */
   if (atomic_load_explicit(&l->state, memory_order_relaxed) == 0 && l->code->state == CODE_READY) {
      l->code->pins++;
      l->fn = (void (*)(void))l->code->fn;
      lru_unlink(l->code);
      lru_push_front(l->code);
      eng.st.late_switches++;
      atomic_store_explicit(&l->state, 1, memory_order_release);
   }
   void (*fn)(void) = atomic_load_explicit(&l->state, memory_order_relaxed) == 1 ? l->fn : NULL;
   pthread_mutex_unlock(&eng.lock);
   return fn;
}

void jit_late_finish(struct jit_late *l)
{
   if (l && atomic_load_explicit(&l->state, memory_order_acquire) == 1)
      jit_code_release(l->code);
}

void jit_code_release(struct jit_code *c)
{
   if (!c)
      return;
   pthread_mutex_lock(&eng.lock);
   if (c->pins > 0)
      c->pins--;
   pthread_mutex_unlock(&eng.lock);
}

static int cmp_u64(const void *a, const void *b)
{
   uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
   return x < y ? -1 : x > y;
}

void jit_cache_stats_get(struct jit_cache_stats *s)
{
   uint64_t t[JIT_CACHE_TIMES], ft[JIT_CACHE_TIMES], vt[JIT_CACHE_TIMES];
   pthread_mutex_lock(&eng.lock);
   *s = eng.st;
   s->budget_bytes = eng.budget ? eng.budget : (size_t)JIT_CACHE_DEFAULT_BUDGET_MB << 20;
   size_t n = eng.st.compiles < JIT_CACHE_TIMES ? (size_t)eng.st.compiles : JIT_CACHE_TIMES;
   size_t fn = eng.st.fused_compiles < JIT_CACHE_TIMES ? (size_t)eng.st.fused_compiles : JIT_CACHE_TIMES;
   memcpy(t, eng.times, n * sizeof(t[0]));
   memcpy(ft, eng.fused_times, fn * sizeof(ft[0]));
   size_t vn = eng.st.vs_fused_compiles < JIT_CACHE_TIMES ? (size_t)eng.st.vs_fused_compiles : JIT_CACHE_TIMES;
   memcpy(vt, eng.vs_fused_times, vn * sizeof(vt[0]));
   pthread_mutex_unlock(&eng.lock);
   qsort(t, n, sizeof(t[0]), cmp_u64);
   qsort(ft, fn, sizeof(ft[0]), cmp_u64);
   s->compile_ns_median = n ? t[n / 2] : 0;
   s->fused_compile_ns_median = fn ? ft[fn / 2] : 0;
   qsort(vt, vn, sizeof(vt[0]), cmp_u64);
   s->vs_fused_compile_ns_median = vn ? vt[vn / 2] : 0;
}

void jit_cache_stats_print(FILE *f)
{
   struct jit_cache_stats s;
   jit_cache_stats_get(&s);
   fprintf(f,
           "jit: mode %s; code cache: %llu lookups, %llu hits, %llu compiles (median %.2f ms, max %.2f ms, "
           "total %.1f ms), %llu left to the interpreter, %llu evictions, %llu entries, %.2f of %.0f MiB resident; "
           "draws: %llu native, %llu interpreted; fused fragment variants: %llu built (median %.2f ms to compile), "
           "draws %llu fused, %llu on the reference; fused vertex variants: %llu built (median %.2f ms), "
           "draws %llu fused, %llu on the reference; %llu switched to native code mid-draw\n",
           jit_mode_get() == JIT_MODE_OFF ? "off" : jit_mode_get() == JIT_MODE_SYNC ? "sync" : "async",
           (unsigned long long)s.lookups, (unsigned long long)s.hits, (unsigned long long)s.compiles,
           s.compile_ns_median / 1e6, s.compile_ns_max / 1e6, s.compile_ns_total / 1e6,
           (unsigned long long)s.failures, (unsigned long long)s.evictions, (unsigned long long)s.entries,
           s.resident_bytes / 1048576.0, s.budget_bytes / 1048576.0, (unsigned long long)s.native_draws,
           (unsigned long long)s.interp_draws, (unsigned long long)s.fused_compiles,
           s.fused_compile_ns_median / 1e6, (unsigned long long)s.fused_draws, (unsigned long long)s.ref_draws,
           (unsigned long long)s.vs_fused_compiles, s.vs_fused_compile_ns_median / 1e6,
           (unsigned long long)s.vs_fused_draws, (unsigned long long)s.vs_ref_draws,
           (unsigned long long)s.late_switches);
}

void jit_cache_set_budget(size_t bytes)
{
   pthread_mutex_lock(&eng.lock);
   eng.budget = bytes ? bytes : 1;
   evict();
   pthread_mutex_unlock(&eng.lock);
}

void jit_cache_wait_idle(void)
{
   pthread_mutex_lock(&eng.lock);
   while (eng.started && eng.pid == getpid() && !eng.stopping && (eng.queue_head || eng.compiling))
      pthread_cond_wait(&eng.done, &eng.lock);
   pthread_mutex_unlock(&eng.lock);
}
