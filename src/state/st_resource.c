/* st_resource.c: resources: validation of RESOURCE_CREATE arguments, the
 * storage layout (mip levels one after another, each slices x rows x width x
 * bytes-per-pixel, no padding: the same layout as a vtest backing), reference
 * counting, and box copies with every size and offset checked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "state/st_context.h"

#define HUGE_PAGE (2u << 20)

/* Zeroed storage of size bytes for res (res->map set when mapped). Large
 * resources (render targets, big textures) get a mapping of their own, 2 MiB
 * aligned and advised to use transparent huge pages: a 64x64 tile touches
 * 64 rows, each on its own 4 KiB page in a 1024-pixel-wide surface, and the
 * TLB misses cost more than the work (a clear done tile by tile took 2.8x a
 * row-by-row one on 4 KiB pages). */
static uint8_t *storage_alloc(struct st_resource *res, size_t size)
{
   res->map = NULL;
   res->map_size = 0;
   if (size < ST_HUGE_STORAGE_MIN)
      return calloc(1, size ? size : 1);
   size_t len = (size + 2 * (size_t)HUGE_PAGE - 1) & ~((size_t)HUGE_PAGE - 1);
   void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
   if (m == MAP_FAILED)
      return calloc(1, size);
   uint8_t *p = (uint8_t *)(((uintptr_t)m + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
#ifdef MADV_HUGEPAGE
   madvise(p, len - (size_t)(p - (uint8_t *)m), MADV_HUGEPAGE); /* advice only: 4 KiB pages work too */
#endif
   res->map = m;
   res->map_size = len;
   return p;
}

static void storage_free(struct st_resource *res)
{
   if (res->map)
      munmap(res->map, res->map_size);
   else
      free(res->data);
}

struct st_resource *st_resource_ref(struct st_resource *res)
{
   if (res)
      res->refcount++;
   return res;
}

void st_resource_unref(struct st_resource *res)
{
   if (!res || --res->refcount > 0)
      return;
   storage_free(res);
   free(res);
}

static uint32_t minify(uint32_t v, uint32_t level)
{
   uint32_t r = level < 32 ? v >> level : 0;
   return r ? r : 1;
}

uint32_t st_level_width(const struct st_resource *res, uint32_t level)
{
   return minify(res->width, level);
}

uint32_t st_level_height(const struct st_resource *res, uint32_t level)
{
   return minify(res->height, level);
}

uint32_t st_level_depth(const struct st_resource *res, uint32_t level)
{
   return res->target == PIPE_TEXTURE_3D ? minify(res->depth, level) : res->layers;
}

/* args: handle, target, format, bind, width, height, depth, array_size, last_level, nr_samples, flags */
int st_resource_create(struct st_renderer *r, const uint32_t a[11], char *err, size_t err_size)
{
   uint32_t handle = a[0], target = a[1], format = a[2];
   uint32_t width = a[4], height = a[5], depth = a[6], array_size = a[7], last_level = a[8], samples = a[9];
   /* Mesa sends 0 for "not applicable" depth and array size of some buffers */
   depth = depth ? depth : 1;
   array_size = array_size ? array_size : 1;
   const struct jit_format_desc *fd = jit_format_get(format);
   if (handle == 0 || st_map_get(&r->resources, handle)) {
      snprintf(err, err_size, "RESOURCE_CREATE: handle %u is %s", handle, handle ? "already in use" : "reserved");
      return -1;
   }
   if (r->resources.count >= ST_MAX_RESOURCES) {
      snprintf(err, err_size, "RESOURCE_CREATE: too many resources (limit %u)", ST_MAX_RESOURCES);
      return -1;
   }
   if (target > PIPE_TEXTURE_CUBE_ARRAY) {
      snprintf(err, err_size, "RESOURCE_CREATE %u: unknown target %u", handle, target);
      return -1;
   }
   if (target != PIPE_BUFFER && !fd) {
      snprintf(err, err_size, "RESOURCE_CREATE %u: format %u is not supported", handle, format);
      return -1;
   }
   if (samples > 1) {
      snprintf(err, err_size, "RESOURCE_CREATE %u: multisampled resources (%u samples) are not supported", handle,
               samples);
      return -1;
   }
   if (width == 0 || height == 0) {
      snprintf(err, err_size, "RESOURCE_CREATE %u: zero size %ux%ux%u, %u layers", handle, width, height, depth,
               array_size);
      return -1;
   }
   if (target == PIPE_BUFFER) {
      if (width > ST_MAX_BUFFER_SIZE || height != 1 || depth != 1 || array_size != 1 || last_level != 0) {
         snprintf(err, err_size, "RESOURCE_CREATE %u: bad buffer size %u (%ux%u, %u layers, %u levels)", handle,
                  width, height, depth, array_size, last_level + 1);
         return -1;
      }
   } else {
      uint32_t maxdim = width > height ? width : height;
      if (target == PIPE_TEXTURE_3D && depth > maxdim)
         maxdim = depth;
      uint32_t levels = 1;
      while (levels < 32 && (maxdim >> levels) > 0)
         levels++;
      int is_1d = target == PIPE_TEXTURE_1D || target == PIPE_TEXTURE_1D_ARRAY;
      int is_cube = target == PIPE_TEXTURE_CUBE || target == PIPE_TEXTURE_CUBE_ARRAY;
      int is_array = target == PIPE_TEXTURE_1D_ARRAY || target == PIPE_TEXTURE_2D_ARRAY ||
                     target == PIPE_TEXTURE_CUBE_ARRAY;
      if (width > ST_MAX_TEXTURE_SIZE || height > ST_MAX_TEXTURE_SIZE || depth > ST_MAX_TEXTURE_3D ||
          array_size > ST_MAX_ARRAY_LAYERS || (is_1d && height != 1) || (target != PIPE_TEXTURE_3D && depth != 1) ||
          (!is_array && !is_cube && array_size != 1) || (is_cube && width != height) ||
          last_level >= levels || last_level >= JIT_MAX_LEVELS ||
          (target == PIPE_TEXTURE_RECT && last_level != 0)) {
         snprintf(err, err_size,
                  "RESOURCE_CREATE %u: invalid texture (target %u, %ux%ux%u, %u layers, last level %u)", handle,
                  target, width, height, depth, array_size, last_level);
         return -1;
      }
   }

   struct st_resource *res = calloc(1, sizeof(*res));
   if (!res) {
      snprintf(err, err_size, "RESOURCE_CREATE %u: out of memory", handle);
      return -1;
   }
   res->handle = handle;
   res->refcount = 1;
   res->target = target;
   res->format = format;
   res->bind = a[3];
   res->width = width;
   res->height = height;
   res->depth = depth;
   res->array_size = array_size;
   res->last_level = last_level;
   res->nr_samples = samples;
   res->bpp = target == PIPE_BUFFER ? 1 : fd->block_bytes;
   res->layers = target == PIPE_TEXTURE_3D ? depth
               : (target == PIPE_TEXTURE_CUBE || target == PIPE_TEXTURE_CUBE_ARRAY) ? 6 * array_size
                                                                                      : array_size;
   uint64_t total = 0;
   for (uint32_t l = 0; l <= last_level; l++) {
      uint64_t row = (uint64_t)st_level_width(res, l) * res->bpp;
      uint64_t img = row * st_level_height(res, l);
      res->level_offset[l] = (uint32_t)total;
      res->row_stride[l] = (uint32_t)row;
      res->img_stride[l] = (uint32_t)img;
      total += img * st_level_depth(res, l);
      if (total > ST_MAX_RESOURCE_BYTES) {
         free(res);
         snprintf(err, err_size, "RESOURCE_CREATE %u: %llu bytes exceed the limit of %llu", handle,
                  (unsigned long long)total, (unsigned long long)ST_MAX_RESOURCE_BYTES);
         return -1;
      }
   }
   res->size = (size_t)total;
   res->data = storage_alloc(res, res->size);
   if (!res->data || st_map_put(&r->resources, handle, res)) {
      if (res->data)
         storage_free(res);
      free(res);
      snprintf(err, err_size, "RESOURCE_CREATE %u: out of memory for %llu bytes", handle,
               (unsigned long long)total);
      return -1;
   }
   return 0;
}

void st_resource_destroy_handle(struct st_renderer *r, uint32_t handle)
{
   struct st_resource *res = st_map_remove(&r->resources, handle);
   if (!res)
      return;
   /* contexts naming this handle lose it; bindings keep the storage alive */
   uint32_t it = 0, key;
   void *val;
   while (st_map_next(&r->contexts, &it, &key, &val))
      st_map_remove(&((struct st_context *)val)->attached, handle);
   res->backing = NULL;
   res->backing_size = 0;
   st_resource_unref(res);
}

struct st_resource *st_ctx_resource(struct st_context *ctx, const char *cmd, uint32_t handle)
{
   struct st_resource *res = st_map_get(&ctx->r->resources, handle);
   if (!res || !st_map_get(&ctx->attached, handle)) {
      st_error(ctx, "%s: resource %u %s", cmd, handle, res ? "is not attached to this context" : "does not exist");
      return NULL;
   }
   return res;
}

int st_resource_copy_box(struct st_resource *res, uint32_t level, uint32_t x, uint32_t y, uint32_t z, uint32_t w,
                         uint32_t h, uint32_t d, uint8_t *buf, size_t buf_size, uint32_t stride,
                         uint32_t layer_stride, int to_res, char *err, size_t err_size)
{
   if (level > res->last_level) {
      snprintf(err, err_size, "level %u of resource %u does not exist", level, res->handle);
      return -1;
   }
   uint64_t lw = st_level_width(res, level), lh = st_level_height(res, level), ld = st_level_depth(res, level);
   if (res->target == PIPE_BUFFER) {
      lh = ld = 1;
   }
   if (w == 0 || h == 0 || d == 0)
      return 0;
   if ((uint64_t)x + w > lw || (uint64_t)y + h > lh || (uint64_t)z + d > ld) {
      snprintf(err, err_size, "box (%u,%u,%u)+(%u,%u,%u) is outside level %u of resource %u (%llux%llux%llu)", x, y,
               z, w, h, d, level, res->handle, (unsigned long long)lw, (unsigned long long)lh,
               (unsigned long long)ld);
      return -1;
   }
   uint64_t row_bytes = (uint64_t)w * res->bpp;
   uint64_t bstride = stride ? stride : row_bytes;
   uint64_t bslice = layer_stride ? layer_stride : bstride * h;
   if (bstride < row_bytes || bslice < bstride * (h - 1) + row_bytes) {
      snprintf(err, err_size, "stride %u / layer stride %u too small for a box %u pixels wide", stride,
               layer_stride, w);
      return -1;
   }
   uint64_t need = bslice * (d - 1) + bstride * (h - 1) + row_bytes;
   if (need > buf_size) {
      snprintf(err, err_size, "box needs %llu bytes, only %zu given", (unsigned long long)need, buf_size);
      return -1;
   }
   for (uint32_t k = 0; k < d; k++)
      for (uint32_t j = 0; j < h; j++) {
         uint64_t roff = (uint64_t)res->level_offset[level] + (uint64_t)(z + k) * res->img_stride[level] +
                         (uint64_t)(y + j) * res->row_stride[level] + (uint64_t)x * res->bpp;
         uint64_t boff = k * bslice + j * bstride;
         if (roff + row_bytes > res->size) {
            snprintf(err, err_size, "internal layout error on resource %u", res->handle);
            return -1;
         }
         if (to_res)
            memcpy(res->data + roff, buf + boff, (size_t)row_bytes);
         else
            memcpy(buf + boff, res->data + roff, (size_t)row_bytes);
      }
   return 0;
}
