/* vs_batch.c: vertex stage benchmark of src/jit: one vertex shader (a
 * 4x4 transform of a float3 position, a float3 normal, a float2 texcoord
 * and an RGBA8 color passed on: the mesh scene's layout) run over batches
 * of 1,024 shuffled vertex ids by jit_vs_ref_run (C fetch around the
 * compiled body) and by the fused vertex variant, with and without the
 * clip-flag/window records rs_bin asks for; interleaved, one thread;
 * prints the median ns per vertex of each and checks the outputs match.
 *
 * Build (after `make`): gcc -O2 -std=gnu11 -pthread -Isrc -o vs_batch bench/vs_batch.c libtessera.a \
 *   libtessera_llvm.a libtessera.a $(llvm-config-19 --libs) -lpng -lm
 * Usage: ./vs_batch [RUNS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench_time.h"

#include "jit/jit_llvm.h"
#include "jit/jit_vs_fused.h"

#define NVERT 4096      /* vertices in the buffers */
#define BATCH 1024      /* vertices per call (a chunk's worth) */
#define CALLS 64        /* calls per timed run */

static const char vs_text[] =
   "VERT\nDCL IN[0]\nDCL IN[1]\nDCL IN[2]\nDCL IN[3]\nDCL OUT[0], POSITION\nDCL OUT[1], GENERIC[0]\n"
   "DCL OUT[2], GENERIC[1]\nDCL OUT[3], COLOR\nDCL CONST[0][0..3]\nDCL TEMP[0]\n"
   "MUL TEMP[0], CONST[0][0], IN[0].xxxx\nMAD TEMP[0], CONST[0][1], IN[0].yyyy, TEMP[0]\n"
   "MAD TEMP[0], CONST[0][2], IN[0].zzzz, TEMP[0]\nADD OUT[0], CONST[0][3], TEMP[0]\n"
   "MOV OUT[1], IN[1]\nMOV OUT[2], IN[2]\nMOV OUT[3], IN[3]\nEND\n";

int main(int argc, char **argv)
{
   int runs = argc > 1 ? atoi(argv[1]) : 15;
   if (runs < 1 || runs > 1000)
      runs = 15;
   jit_mode_set(JIT_MODE_SYNC);
   char err[160];
   struct jit_shader *sh;
   if (jit_tgsi_parse(vs_text, sizeof(vs_text), PIPE_SHADER_VERTEX, &sh, err, sizeof(err))) {
      fprintf(stderr, "vs_batch: %s\n", err);
      return 1;
   }
   struct jit_code *body = jit_code_get(vs_text, sizeof(vs_text) - 1, PIPE_SHADER_VERTEX);
   struct jit_vs_variant v;
   memset(&v, 0, sizeof(v));
   v.key.num_elements = 4;
   v.key.elements[0] = (struct jit_vertex_element){ 0, 0, 0, JIT_FORMAT_R32G32B32_FLOAT };
   v.key.elements[1] = (struct jit_vertex_element){ 12, 0, 0, JIT_FORMAT_R32G32B32_FLOAT };
   v.key.elements[2] = (struct jit_vertex_element){ 24, 0, 0, JIT_FORMAT_R32G32_FLOAT };
   v.key.elements[3] = (struct jit_vertex_element){ 32, 0, 0, JIT_FORMAT_R8G8B8A8_UNORM };
   v.shader = sh;
   v.func = jit_vs_ref_run;
   struct jit_code *code = jit_code_get_vs_variant(body, &v.key);
   jit_vs_func fused = jit_code_acquire_vs(code);
   jit_shader_func native = jit_code_acquire(body);
   if (!fused || !native) {
      fprintf(stderr, "vs_batch: no compiled code (JIT unavailable?)\n");
      return 1;
   }

   static uint8_t vb[NVERT * 36];
   static uint32_t ids[BATCH];
   static float out[2][BATCH * 24];
   static float consts[16] = { 1.5f, 0, 0, 0, 0, 1.5f, 0, 0, 0, 0, -1, -1, 0, 0, -0.2f, 0 };
   srand(1);
   for (uint32_t i = 0; i < NVERT; i++) {
      float f[8];
      for (int c = 0; c < 8; c++)
         f[c] = (float)(rand() % 2001 - 1000) / 500.0f;
      memcpy(vb + (size_t)i * 36, f, 32);
      for (int c = 0; c < 4; c++)
         vb[(size_t)i * 36 + 32 + c] = (uint8_t)rand();
   }
   for (uint32_t i = 0; i < BATCH; i++)
      ids[i] = (uint32_t)rand() % NVERT;
   struct jit_vs_ctx ctx;
   memset(&ctx, 0, sizeof(ctx));
   ctx.variant = &v;
   ctx.native = native;
   ctx.stage.constants[0] = consts;
   ctx.stage.num_constants[0] = 4;
   ctx.vb[0] = (struct jit_vertex_buffer){ vb, sizeof(vb), 36 };
   struct jit_vs_window win = { { 512, -384, 0.5f }, { 512, 384, 0.5f }, 8.0f, 10.0f, 0, 0, 16 };

   printf("%-24s %s\n", "vertex stage", "median ns/vertex");
   for (int with_win = 0; with_win < 2; with_win++) {
      double t[2][1000];
      for (int r = 0; r < runs; r++)
         for (int k = 0; k < 2; k++) {
            struct jit_vs_batch b = { ids, BATCH, 0, out[k], 24, with_win ? &win : NULL };
            double t0 = now_ms();
            for (int c = 0; c < CALLS; c++)
               (k ? fused : jit_vs_ref_run)(&ctx, &b);
            t[k][r] = (now_ms() - t0) * 1e6 / ((double)CALLS * BATCH);
         }
      for (int k = 0; k < 2; k++) {
         qsort(t[k], (size_t)runs, sizeof(double), cmp_double);
         printf("%-10s %-13s %.2f\n", k ? "fused" : "reference", with_win ? "+ records" : "", t[k][runs / 2]);
      }
      printf("outputs %s\n", memcmp(out[0], out[1], sizeof(out[0])) ? "DIFFER" : "identical");
   }
   jit_code_release(code);
   jit_code_release(body);
   jit_code_unref(code);
   jit_code_unref(body);
   jit_shader_free(sh);
   jit_cache_stop();
   return 0;
}
