/* tools_demo.h: the built-in demo scene (a virgl stream built in code) and the
 * `tessera demo` entry point. */
#ifndef TOOLS_DEMO_H
#define TOOLS_DEMO_H

#include <stddef.h>
#include <stdint.h>

struct tessera_renderer;

/* Render the demo scene at width x height into a new context of r and return
 * the RGBA8 image (tightly packed, GL bottom-up row order) in *rgba (caller
 * frees). Returns 0, or -1 with a message in err. */
int tools_demo_render(struct tessera_renderer *r, uint32_t width, uint32_t height, uint8_t **rgba,
                      char *err, size_t err_size);

/* Subcommands: argv[0] is the subcommand name. Return the exit status. */
int tools_demo_main(int argc, char **argv);
int tools_serve_main(int argc, char **argv);
int tools_replay_main(int argc, char **argv);

#endif
