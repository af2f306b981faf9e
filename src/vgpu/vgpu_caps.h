/* vgpu_caps.h: the capability blob Tessera reports to virgl clients
 * (struct virgl_caps_v1 layout), per named level. A level advertises only
 * what the pipeline renders correctly. */
#ifndef VGPU_CAPS_H
#define VGPU_CAPS_H

#include <stddef.h>
#include <stdint.h>

#define VGPU_CAPS_V1_SIZE 308  /* bytes of struct virgl_caps_v1 */

/* Fill out[VGPU_CAPS_V1_SIZE / 4] for the level named `level`. Returns 0, or
 * -1 if there is no such level. */
int vgpu_caps_fill(const char *level, uint32_t *out);

/* The levels, for --help and error messages: "gles2". */
const char *vgpu_caps_levels(void);

#endif
