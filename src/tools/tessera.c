/* tessera.c: the `tessera` command line: help, version, the demo, the vtest
 * server and the capture replayer (src/tools, top of the flow in DESIGN.md). */
#include <stdio.h>
#include <string.h>

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>

#include "config.h"
#include "tessera.h"
#include "jit/jit_llvm.h"
#include "tools/tools_demo.h"

static void usage(FILE *f)
{
   fprintf(f,
           "Usage: tessera COMMAND [OPTIONS]\n"
           "Render a virtual GPU's virgl command stream on the CPU.\n"
           "\n"
           "Commands:\n"
           "  demo [-o FILE.png] [--threads N] [--size WxH]\n"
           "                      render the built-in demo scene to a PNG (default demo.png, 800x600)\n"
           "  serve [--socket-path PATH] [--level NAME] [--threads N] [--record DIR] [--stats]\n"
           "                      serve the vtest protocol to Mesa's virgl driver (GALLIUM_DRIVER=virpipe)\n"
           "                      on a Unix socket (default /tmp/.virgl_test)\n"
           "  replay FILE [-o PREFIX] [--threads N] [--frame-times] [--last-only]\n"
           "                      replay a capture recorded by serve --record; write the frames the\n"
           "                      client read back as PREFIX-0001.png, ...\n"
           "\n"
           "Options:\n"
           "  -h, --help          show this help\n"
           "  -V, --version       show the version, the LLVM version and the host CPU\n"
           "\n"
           "Environment: TESSERA_DEBUG=tgsi prints the shaders clients send (see README.md).\n");
}

static void version(void)
{
   char *cpu = LLVMGetHostCPUName();
   printf("tessera %s\n", TESSERA_VERSION_STRING);
   printf("LLVM %s (host CPU %s)\n", TESSERA_LLVM_VERSION, cpu ? cpu : "unknown");
   LLVMDisposeMessage(cpu);
}

int main(int argc, char **argv)
{
   if (argc < 2) {
      usage(stderr);
      return 2;
   }
   const char *cmd = argv[1];
   if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
      usage(stdout);
      return 0;
   }
   if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
      version();
      return 0;
   }
   int ret = -1;
   if (!strcmp(cmd, "demo"))
      ret = tools_demo_main(argc - 1, argv + 1);
   else if (!strcmp(cmd, "serve"))
      ret = tools_serve_main(argc - 1, argv + 1);
   else if (!strcmp(cmd, "replay"))
      ret = tools_replay_main(argc - 1, argv + 1);
   if (ret >= 0) {
      jit_cache_stop(); /* no compile may run while the process exits */
      return ret;
   }
   fprintf(stderr, "tessera: unknown command '%s' (try tessera --help)\n", cmd);
   return 2;
}
