/* tools_serve.c: `tessera serve` runs the vtest server (src/vgpu/vgpu_vtest.c)
 * until SIGINT or SIGTERM, then removes its socket; `tessera replay` replays
 * a capture it recorded and writes the frames the client read back. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/resource.h>
#include <time.h>

#include "jit/jit_llvm.h"
#include "tools/tools_demo.h"
#include "tools/tools_png.h"
#include "vgpu/vgpu_capture.h"
#include "vgpu/vgpu_caps.h"
#include "vgpu/vgpu_vtest.h"

static volatile sig_atomic_t serve_stop;

static void serve_on_signal(int sig)
{
   (void)sig;
   serve_stop = 1;
}

static void serve_usage(FILE *f)
{
   fprintf(f,
           "Usage: tessera serve [--socket-path PATH] [--level NAME] [--threads N] [--record DIR] [--stats]\n"
           "Serve the vtest protocol: Mesa's virgl driver (GALLIUM_DRIVER=virpipe) renders through Tessera.\n"
           "  --socket-path PATH  Unix socket to listen on (default %s)\n"
           "  --level NAME        capabilities to expose: %s (default gles2: OpenGL 2.1, OpenGL ES 2.0)\n"
           "  --threads N         rasterizer threads per client (default: one per online core)\n"
           "  --record DIR        write one capture per client session to DIR (see tessera replay)\n"
           "  --stats             print per-client and JIT code cache counters when a client leaves\n",
           VGPU_VTEST_DEFAULT_SOCKET, vgpu_caps_levels());
}

int tools_serve_main(int argc, char **argv)
{
   struct vgpu_vtest_options o = { VGPU_VTEST_DEFAULT_SOCKET, "gles2", 0, 0, NULL };
   for (int i = 1; i < argc; i++) {
      const char *a = argv[i];
      if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
         serve_usage(stdout);
         return 0;
      } else if (!strncmp(a, "--socket-path=", 14)) {
         o.socket_path = a + 14;
      } else if (!strcmp(a, "--socket-path") && i + 1 < argc) {
         o.socket_path = argv[++i];
      } else if (!strcmp(a, "--level") && i + 1 < argc) {
         o.level = argv[++i];
      } else if (!strcmp(a, "--threads") && i + 1 < argc) {
         char *end;
         errno = 0;
         unsigned long t = strtoul(argv[++i], &end, 10);
         if (errno || *end || t == 0 || t > 256) {
            fprintf(stderr, "tessera serve: --threads takes a number from 1 to 256\n");
            return 2;
         }
         o.threads = (unsigned)t;
      } else if (!strcmp(a, "--record") && i + 1 < argc) {
         o.record_dir = argv[++i];
      } else if (!strcmp(a, "--stats")) {
         o.stats = 1;
      } else {
         fprintf(stderr, "tessera serve: unknown or incomplete option '%s'\n", a);
         serve_usage(stderr);
         return 2;
      }
   }
   struct sigaction sa;
   memset(&sa, 0, sizeof(sa));
   sa.sa_handler = serve_on_signal; /* no SA_RESTART: accept() returns EINTR */
   sigaction(SIGINT, &sa, NULL);
   sigaction(SIGTERM, &sa, NULL);
   signal(SIGPIPE, SIG_IGN);
   jit_cache_start(); /* before the first client: LLVM set-up is never inside a frame */
   return vgpu_vtest_serve(&o, &serve_stop) ? 1 : 0;
}

struct replay_out {
   const char *prefix;
   int failed;
   int frame_times;              /* print each frame's time on stdout */
   int last_only;                /* keep only the last frame, written at the end */
   double mark;                  /* end of the previous frame's callback (ms) */
   /* the last frame, when last_only */
   unsigned index;
   uint32_t format, width, height, stride;
   uint8_t *data;
   size_t cap;
};

static double replay_now_ms(void)
{
   struct timespec t;
   clock_gettime(CLOCK_MONOTONIC, &t);
   return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int replay_write(struct replay_out *o, unsigned index, uint32_t format, const uint8_t *data, uint32_t width,
                        uint32_t height, uint32_t stride)
{
   char path[4096], err[512];
   snprintf(path, sizeof(path), "%s-%04u.png", o->prefix, index);
   /* GL clients read rows bottom-up: the PNG shows them the right way up */
   if (tools_png_write_surface(path, format, data, width, height, stride, 1, err, sizeof(err))) {
      fprintf(stderr, "tessera replay: %s\n", err);
      o->failed = 1;
      return 1;
   }
   fprintf(stderr, "tessera replay: frame %u (%ux%u) -> %s\n", index, width, height, path);
   return 0;
}

static int replay_frame(void *user, unsigned index, uint32_t format, const uint8_t *data, uint32_t width,
                        uint32_t height, uint32_t stride)
{
   struct replay_out *o = user;
   if (o->frame_times) /* the frame's own time: PNG writing is left out */
      printf("frame %u %.3f ms\n", index, replay_now_ms() - o->mark);
   int ret = 0;
   if (o->last_only) {
      size_t bytes = (size_t)stride * height;
      if (bytes > o->cap) {
         uint8_t *n = realloc(o->data, bytes);
         if (!n) {
            fprintf(stderr, "tessera replay: out of memory keeping frame %u\n", index);
            o->failed = 1;
            return 1;
         }
         o->data = n;
         o->cap = bytes;
      }
      memcpy(o->data, data, bytes);
      o->index = index;
      o->format = format;
      o->width = width;
      o->height = height;
      o->stride = stride;
   } else {
      ret = replay_write(o, index, format, data, width, height, stride);
   }
   o->mark = replay_now_ms();
   return ret;
}

static void replay_usage(FILE *f)
{
   fprintf(f, "Usage: tessera replay FILE [-o PREFIX] [--threads N] [--frame-times] [--last-only]\n"
              "Replay a capture recorded by `tessera serve --record DIR` without any client and write\n"
              "every frame the client read back as PREFIX-0001.png, PREFIX-0002.png, ...\n"
              "  -o PREFIX       output prefix (default: FILE without its extension)\n"
              "  --threads N     rasterizer threads (default: one per online core)\n"
              "  --frame-times   print `frame N MS ms` on stdout for each frame: the time from the end\n"
              "                  of the previous frame (or the start) to this read-back, PNG writing\n"
              "                  excluded; then `cpu MS ms`, the process's CPU time (all threads)\n"
              "  --last-only     write only the last frame's PNG (after the replay)\n"
              "Exit status: 0 when the whole capture replayed, 1 when it stopped at damage.\n");
}

int tools_replay_main(int argc, char **argv)
{
   struct replay_out out;
   memset(&out, 0, sizeof(out));
   const char *file = NULL, *prefix = NULL;
   unsigned threads = 0;
   for (int i = 1; i < argc; i++) {
      const char *a = argv[i];
      if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
         replay_usage(stdout);
         return 0;
      } else if (!strcmp(a, "-o") && i + 1 < argc) {
         prefix = argv[++i];
      } else if (!strcmp(a, "--threads") && i + 1 < argc) {
         char *end;
         unsigned long t = strtoul(argv[++i], &end, 10);
         if (*end || t == 0 || t > 256) {
            fprintf(stderr, "tessera replay: --threads takes a number from 1 to 256\n");
            return 2;
         }
         threads = (unsigned)t;
      } else if (!strcmp(a, "--frame-times")) {
         out.frame_times = 1;
      } else if (!strcmp(a, "--last-only")) {
         out.last_only = 1;
      } else if (a[0] != '-' && !file) {
         file = a;
      } else {
         fprintf(stderr, "tessera replay: unknown or incomplete option '%s'\n", a);
         replay_usage(stderr);
         return 2;
      }
   }
   if (!file) {
      replay_usage(stderr);
      return 2;
   }
   char defprefix[4096];
   if (!prefix) {
      snprintf(defprefix, sizeof(defprefix), "%s", file);
      char *dot = strrchr(defprefix, '.'), *slash = strrchr(defprefix, '/');
      if (dot && (!slash || dot > slash))
         *dot = 0;
      prefix = defprefix;
   }
   out.prefix = prefix;
   struct vgpu_replay_stats st;
   char err[512];
   struct timespec t0, t1;
   clock_gettime(CLOCK_MONOTONIC, &t0);
   jit_cache_start();
   out.mark = replay_now_ms();
   int ret = vgpu_capture_replay(file, threads, replay_frame, &out, &st, err, sizeof(err));
   clock_gettime(CLOCK_MONOTONIC, &t1);
   if (out.frame_times) {
      struct rusage ru;
      getrusage(RUSAGE_SELF, &ru);
      printf("cpu %.3f ms\n", (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
                                  (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3);
   }
   if (out.last_only && out.data && !out.failed)
      replay_write(&out, out.index, out.format, out.data, out.width, out.height, out.stride);
   free(out.data);
   if (ret < 0) {
      fprintf(stderr, "tessera replay: %s\n", err);
      return 1;
   }
   double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
   fprintf(stderr, "tessera replay: %llu records, %llu submits, %llu writes, %llu frames, %.1f ms\n",
           (unsigned long long)st.records, (unsigned long long)st.submits, (unsigned long long)st.writes,
           (unsigned long long)st.frames, ms);
   if (ret == 1) {
      fprintf(stderr, "tessera replay: stopped at record %llu (byte offset %llu): %s\n",
              (unsigned long long)st.stop_record, (unsigned long long)st.stop_offset, st.stop_reason);
      return 1;
   }
   if (st.stop_reason[0])
      fprintf(stderr, "tessera replay: note: %s\n", st.stop_reason);
   fprintf(stderr, "tessera replay: ");
   jit_cache_stats_print(stderr);
   return out.failed ? 1 : 0;
}
