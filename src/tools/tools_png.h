/* tools_png.h: PNG output for the command-line tools (demo, replay, tests):
 * RGBA8 rows, or any surface format converted through jit_format. */
#ifndef TOOLS_PNG_H
#define TOOLS_PNG_H

#include <stddef.h>
#include <stdint.h>

/* Write width x height RGBA8 pixels (rows stride bytes apart) to path.
 * flip_y writes the last row first (GL's bottom-left origin). Returns 0, or
 * -1 with a message in err. */
int tools_png_write_rgba8(const char *path, const uint8_t *rgba, uint32_t width, uint32_t height,
                          uint32_t stride, int flip_y, char *err, size_t err_size);

/* Same for a surface in any format jit_format_get knows (unpacked to RGBA,
 * then rounded to 8 bits; depth formats are written as grey). */
int tools_png_write_surface(const char *path, uint32_t format, const uint8_t *data, uint32_t width,
                            uint32_t height, uint32_t stride, int flip_y, char *err, size_t err_size);

/* Read a PNG into a newly allocated tightly packed RGBA8 buffer (caller frees
 * *rgba). Returns 0, or -1 with a message in err. */
int tools_png_read_rgba8(const char *path, uint8_t **rgba, uint32_t *width, uint32_t *height,
                         char *err, size_t err_size);

#endif
