/* vgpu_decode.h: the virgl command decoder's entry point (src/vgpu). */
#ifndef VGPU_DECODE_H
#define VGPU_DECODE_H

#include <stddef.h>
#include <stdint.h>

struct st_context;

/* Execute ndw words of virgl commands on ctx. Returns 0, or -1 after
 * failing the context with a message naming the command (commands before
 * the bad one stay executed). */
int vgpu_decode_submit(struct st_context *ctx, const uint32_t *words, size_t ndw);

#endif
