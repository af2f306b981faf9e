/* tools_serve.c: `tessera serve`: runs the vtest server (src/vgpu/vgpu_vtest.c)
 * until SIGINT or SIGTERM, then removes its socket. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/tools_demo.h"
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
           "Usage: tessera serve [--socket-path PATH] [--level NAME] [--threads N] [--stats]\n"
           "Serve the vtest protocol: Mesa's virgl driver (GALLIUM_DRIVER=virpipe) renders through Tessera.\n"
           "  --socket-path PATH  Unix socket to listen on (default %s)\n"
           "  --level NAME        capabilities to expose: %s (default gles2: OpenGL 2.1, OpenGL ES 2.0)\n"
           "  --threads N         rasterizer threads per client (default: one per online core)\n"
           "  --stats             print per-client counters when a client leaves\n",
           VGPU_VTEST_DEFAULT_SOCKET, vgpu_caps_levels());
}

int tools_serve_main(int argc, char **argv)
{
   struct vgpu_vtest_options o = { VGPU_VTEST_DEFAULT_SOCKET, "gles2", 0, 0 };
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
   return vgpu_vtest_serve(&o, &serve_stop) ? 1 : 0;
}
