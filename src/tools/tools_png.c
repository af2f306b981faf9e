/* tools_png.c: PNG writing and reading with libpng for the tools and tests
 * (never on the rendering path). */
#include <errno.h>
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/tools_png.h"
#include "jit/jit_format.h"

int tools_png_write_rgba8(const char *path, const uint8_t *rgba, uint32_t width, uint32_t height,
                          uint32_t stride, int flip_y, char *err, size_t err_size)
{
   png_structp png = NULL;
   png_infop info = NULL;
   FILE *f = NULL;

   if (width == 0 || height == 0 || width > (1u << 16) || height > (1u << 16)) {
      snprintf(err, err_size, "%s: image size %ux%u is out of range", path, width, height);
      return -1;
   }
   f = fopen(path, "wb");
   if (!f) {
      snprintf(err, err_size, "%s: %s", path, strerror(errno));
      return -1;
   }
   png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
   if (!png)
      goto out_close;
   info = png_create_info_struct(png);
   if (!info)
      goto out_destroy;
   if (setjmp(png_jmpbuf(png)))
      goto out_destroy;
   png_init_io(png, f);
   png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE,
                PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
   png_set_compression_level(png, 3);
   png_write_info(png, info);
   for (uint32_t y = 0; y < height; y++) {
      uint32_t row = flip_y ? height - 1 - y : y;
      png_write_row(png, (png_const_bytep)(rgba + (size_t)row * stride));
   }
   png_write_end(png, NULL);
   png_destroy_write_struct(&png, &info);
   if (fclose(f) != 0) {
      snprintf(err, err_size, "%s: %s", path, strerror(errno));
      return -1;
   }
   return 0;

out_destroy:
   png_destroy_write_struct(&png, info ? &info : NULL);
out_close:
   fclose(f);
   snprintf(err, err_size, "%s: libpng failed to write the image", path);
   return -1;
}

static uint8_t to_u8(float v)
{
   if (!(v > 0.0f))
      return 0;
   if (v >= 1.0f)
      return 255;
   return (uint8_t)lrintf(v * 255.0f);
}

int tools_png_write_surface(const char *path, uint32_t format, const uint8_t *data, uint32_t width,
                            uint32_t height, uint32_t stride, int flip_y, char *err, size_t err_size)
{
   const struct jit_format_desc *d = jit_format_get(format);
   if (!d) {
      snprintf(err, err_size, "%s: format %u is not supported", path, format);
      return -1;
   }
   if (width == 0 || height == 0 || width > (1u << 16) || height > (1u << 16)) {
      snprintf(err, err_size, "%s: image size %ux%u is out of range", path, width, height);
      return -1;
   }
   uint8_t *rgba = malloc((size_t)width * height * 4);
   if (!rgba) {
      snprintf(err, err_size, "%s: out of memory", path);
      return -1;
   }
   for (uint32_t y = 0; y < height; y++) {
      for (uint32_t x = 0; x < width; x++) {
         const uint8_t *src = data + (size_t)y * stride + (size_t)x * d->block_bytes;
         uint8_t *dst = rgba + ((size_t)y * width + x) * 4;
         float c[4];
         if (d->kind == JIT_FORMAT_KIND_DEPTH) {
            float z = jit_format_unpack_z(format, src);
            c[0] = c[1] = c[2] = z;
            c[3] = 1.0f;
         } else if (d->kind == JIT_FORMAT_KIND_STENCIL) {
            c[0] = c[1] = c[2] = jit_format_unpack_s(format, src) / 255.0f;
            c[3] = 1.0f;
         } else {
            jit_format_unpack_rgba(format, src, c);
            if (d->kind == JIT_FORMAT_KIND_INT) {
               for (int i = 0; i < 4; i++) {
                  uint32_t u;
                  memcpy(&u, &c[i], 4);
                  c[i] = u > 255 ? 1.0f : u / 255.0f;
               }
            }
         }
         for (int i = 0; i < 4; i++)
            dst[i] = to_u8(c[i]);
      }
   }
   int ret = tools_png_write_rgba8(path, rgba, width, height, width * 4, flip_y, err, err_size);
   free(rgba);
   return ret;
}

int tools_png_read_rgba8(const char *path, uint8_t **rgba, uint32_t *width, uint32_t *height,
                         char *err, size_t err_size)
{
   png_image img;
   memset(&img, 0, sizeof(img));
   img.version = PNG_IMAGE_VERSION;
   if (!png_image_begin_read_from_file(&img, path)) {
      snprintf(err, err_size, "%s: %s", path, img.message);
      return -1;
   }
   img.format = PNG_FORMAT_RGBA;
   size_t size = PNG_IMAGE_SIZE(img);
   uint8_t *buf = malloc(size ? size : 1);
   if (!buf) {
      png_image_free(&img);
      snprintf(err, err_size, "%s: out of memory", path);
      return -1;
   }
   if (!png_image_finish_read(&img, NULL, buf, 0, NULL)) {
      snprintf(err, err_size, "%s: %s", path, img.message);
      free(buf);
      png_image_free(&img);
      return -1;
   }
   *rgba = buf;
   *width = img.width;
   *height = img.height;
   return 0;
}
