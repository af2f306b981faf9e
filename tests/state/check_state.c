/* check_state.c: resources (validation, layout, boxes, reference counts)
 * and the handle map of the state tracker. */
#include <stdio.h>
#include <string.h>

#include "check_util.h"
#include "check_stack.h"
#include "state/st_context.h"

static int create(struct tessera_renderer *r, uint32_t handle, uint32_t target, uint32_t format, uint32_t w,
                  uint32_t h, uint32_t d, uint32_t layers, uint32_t last_level, uint32_t samples)
{
   struct tessera_resource_args a = { handle, target, format, 0, w, h, d, layers, last_level, samples, 0 };
   return tessera_resource_create(r, &a);
}

START_TEST(test_resource_validation)
{
   struct tessera_renderer *r;
   struct tessera_renderer_options o = { 1 };
   ck_assert_int_eq(tessera_renderer_create(&o, &r), 0);
   const uint32_t rgba = JIT_FORMAT_R8G8B8A8_UNORM;
   ck_assert_int_eq(create(r, 0, PIPE_TEXTURE_2D, rgba, 4, 4, 1, 1, 0, 0), TESSERA_E_INVALID);  /* handle 0 */
   ck_assert_int_eq(create(r, 1, PIPE_TEXTURE_2D, rgba, 0, 4, 1, 1, 0, 0), TESSERA_E_INVALID);  /* zero size */
   ck_assert_int_eq(create(r, 1, PIPE_TEXTURE_2D, 14, 4, 4, 1, 1, 0, 0), TESSERA_E_INVALID);    /* unknown format */
   ck_assert_int_eq(create(r, 1, 42, rgba, 4, 4, 1, 1, 0, 0), TESSERA_E_INVALID);               /* bad target */
   ck_assert_int_eq(create(r, 1, PIPE_TEXTURE_2D, rgba, 4, 4, 1, 1, 3, 0), TESSERA_E_INVALID);  /* 3 > log2(4) */
   ck_assert_int_eq(create(r, 1, PIPE_TEXTURE_2D, rgba, 4, 4, 1, 1, 0, 4), TESSERA_E_INVALID);  /* multisample */
   ck_assert_int_eq(create(r, 1, PIPE_BUFFER, JIT_FORMAT_R8_UNORM, 16, 2, 1, 1, 0, 0), TESSERA_E_INVALID);
   ck_assert_int_eq(create(r, 1, PIPE_TEXTURE_3D, rgba, 16384, 16384, 2048, 1, 0, 0), TESSERA_E_INVALID); /* 2 TiB */
   ck_assert_int_eq(create(r, 1, PIPE_TEXTURE_2D, rgba, 0xffffffffu, 1, 1, 1, 0, 0), TESSERA_E_INVALID);
   ck_assert_int_eq(create(r, 1, PIPE_TEXTURE_CUBE, rgba, 8, 4, 1, 1, 0, 0), TESSERA_E_INVALID); /* not square */
   ck_assert_int_eq(create(r, 1, PIPE_TEXTURE_2D, rgba, 64, 64, 1, 1, 6, 0), TESSERA_OK);
   ck_assert_int_eq(create(r, 1, PIPE_TEXTURE_2D, rgba, 64, 64, 1, 1, 0, 0), TESSERA_E_INVALID); /* in use */
   /* the vtest layout: 64x64 RGBA8 with 7 levels is 21,844 bytes, level 1 at 16,384 */
   ck_assert_uint_eq(tessera_resource_backing_size(r, 1), 21844);
   struct st_renderer *st = (struct st_renderer *)(void *)r; /* the API struct wraps st_renderer first */
   struct st_resource *res = st_map_get(&st->resources, 1);
   ck_assert_ptr_nonnull(res);
   ck_assert_uint_eq(res->level_offset[1], 16384);
   ck_assert_uint_eq(res->level_offset[6], 21840);
   ck_assert_int_eq(create(r, 2, PIPE_TEXTURE_CUBE, rgba, 8, 8, 1, 1, 0, 0), TESSERA_OK);
   ck_assert_uint_eq(tessera_resource_backing_size(r, 2), 8 * 8 * 4 * 6);
   tessera_renderer_destroy(r);
}
END_TEST

START_TEST(test_boxes)
{
   struct tessera_renderer *r;
   struct tessera_renderer_options o = { 1 };
   ck_assert_int_eq(tessera_renderer_create(&o, &r), 0);
   ck_assert_int_eq(create(r, 1, PIPE_TEXTURE_2D, JIT_FORMAT_R8G8B8A8_UNORM, 8, 8, 1, 1, 1, 0), 0);
   uint8_t src[64 * 4], dst[64 * 4];
   for (int i = 0; i < 256; i++)
      src[i] = (uint8_t)i;
   struct tessera_box box = { 2, 3, 0, 3, 2, 1 };
   /* a padded source stride of 20 bytes */
   ck_assert_int_eq(tessera_resource_write(r, 0, 1, 0, &box, 20, 0, src, 32), 0);
   memset(dst, 0, sizeof(dst));
   ck_assert_int_eq(tessera_resource_read(r, 0, 1, 0, &box, 12, 0, dst, 24), 0);
   ck_assert(memcmp(dst, src, 12) == 0);
   ck_assert(memcmp(dst + 12, src + 20, 12) == 0);
   /* out of range boxes and short buffers are refused */
   struct tessera_box outside = { 6, 0, 0, 3, 1, 1 };
   ck_assert_int_eq(tessera_resource_write(r, 0, 1, 0, &outside, 0, 0, src, sizeof(src)), TESSERA_E_INVALID);
   struct tessera_box lvl1 = { 0, 0, 0, 4, 4, 1 };
   ck_assert_int_eq(tessera_resource_write(r, 0, 1, 1, &lvl1, 0, 0, src, 64), 0);
   ck_assert_int_eq(tessera_resource_write(r, 0, 1, 2, &lvl1, 0, 0, src, 64), TESSERA_E_INVALID); /* no level 2 */
   struct tessera_box big = { 0, 0, 0, 8, 8, 1 };
   ck_assert_int_eq(tessera_resource_read(r, 0, 1, 0, &big, 0, 0, dst, 100), TESSERA_E_INVALID);
   ck_assert_int_eq(tessera_resource_read(r, 0, 1, 0, &big, 8, 0, dst, sizeof(dst)), TESSERA_E_INVALID);
   ck_assert_int_eq(tessera_resource_read(r, 0, 99, 0, &big, 0, 0, dst, sizeof(dst)), TESSERA_E_NOENT);
   tessera_renderer_destroy(r);
}
END_TEST

START_TEST(test_unref_while_bound)
{
   /* the client drops its color target while it is bound as a surface: memory stays valid */
   struct stack s;
   stack_init(&s, 2, 16, 16);
   ck_assert_int_eq(stack_flush(&s), 0);
   tessera_resource_unref(s.r, STK_RES_COLOR);
   const float c[4] = { 1, 1, 1, 1 };
   vgpu_enc_clear(&s.e, PIPE_CLEAR_COLOR0, c, 1.0, 0);
   ck_assert_int_eq(stack_flush(&s), 0);
   /* the handle is gone: naming it is an error */
   vgpu_enc_create_surface(&s.e, 900, STK_RES_COLOR, JIT_FORMAT_R8G8B8A8_UNORM, 0, 0, 0);
   ck_assert_int_eq(stack_flush(&s), TESSERA_E_INVALID);
   ck_assert_ptr_nonnull(strstr(tessera_context_error(s.r, s.ctx), "does not exist"));
   stack_fini(&s);
}
END_TEST

START_TEST(test_handle_map)
{
   struct st_map m;
   memset(&m, 0, sizeof(m));
   for (uint32_t k = 1; k <= 5000; k++)
      ck_assert_int_eq(st_map_put(&m, k * 7, (void *)(uintptr_t)k), 0);
   for (uint32_t k = 1; k <= 5000; k += 2)
      ck_assert_ptr_eq(st_map_remove(&m, k * 7), (void *)(uintptr_t)k);
   for (uint32_t k = 1; k <= 5000; k++)
      ck_assert_ptr_eq(st_map_get(&m, k * 7), (k & 1) ? NULL : (void *)(uintptr_t)k);
   ck_assert_uint_eq(m.count, 2500);
   ck_assert_int_eq(st_map_put(&m, 0, NULL), -1);
   ck_assert_ptr_null(st_map_get(&m, 0xffffffffu));
   uint32_t it = 0, key, n = 0;
   void *val;
   while (st_map_next(&m, &it, &key, &val))
      n++;
   ck_assert_uint_eq(n, 2500);
   st_map_free(&m);
}
END_TEST

/* Layouts of the other targets: mips of 3D textures shrink in depth, cube
 * maps and arrays keep their slices per level; zero depth/array mean 1. */
START_TEST(test_layouts)
{
   struct tessera_renderer *r;
   struct tessera_renderer_options o = { 1 };
   ck_assert_int_eq(tessera_renderer_create(&o, &r), 0);
   const uint32_t rgba = JIT_FORMAT_R8G8B8A8_UNORM;
   size_t off;
   uint32_t stride, slice;
   /* 3D 8x4x2: levels 8x4x2, 4x2x1, 2x1x1, 1x1x1 */
   ck_assert_int_eq(create(r, 1, PIPE_TEXTURE_3D, rgba, 8, 4, 2, 1, 3, 0), TESSERA_OK);
   ck_assert_uint_eq(tessera_resource_backing_size(r, 1), 256 + 32 + 8 + 4);
   ck_assert_int_eq(tessera_resource_level_layout(r, 1, 1, &off, &stride, &slice), 0);
   ck_assert_uint_eq(off, 256);
   ck_assert_uint_eq(stride, 16);
   ck_assert_uint_eq(slice, 32);
   ck_assert_int_eq(tessera_resource_level_layout(r, 1, 3, &off, &stride, &slice), 0);
   ck_assert_uint_eq(off, 296);
   ck_assert_int_eq(tessera_resource_level_layout(r, 1, 4, &off, &stride, &slice), TESSERA_E_INVALID);
   ck_assert_int_eq(tessera_resource_level_layout(r, 77, 0, &off, &stride, &slice), TESSERA_E_NOENT);
   /* a 3D texture's depth counts for its mip chain: 2x2x8 has 4 levels */
   ck_assert_int_eq(create(r, 2, PIPE_TEXTURE_3D, rgba, 2, 2, 8, 1, 3, 0), TESSERA_OK);
   ck_assert_uint_eq(tessera_resource_backing_size(r, 2), 128 + 16 + 8 + 4);
   /* cube 4x4 with 3 levels: six faces per level */
   ck_assert_int_eq(create(r, 3, PIPE_TEXTURE_CUBE, rgba, 4, 4, 1, 1, 2, 0), TESSERA_OK);
   ck_assert_uint_eq(tessera_resource_backing_size(r, 3), 384 + 96 + 24);
   ck_assert_int_eq(tessera_resource_level_layout(r, 3, 2, &off, &stride, &slice), 0);
   ck_assert_uint_eq(off, 480);
   /* 2D array of 3 layers with 2 levels */
   ck_assert_int_eq(create(r, 4, PIPE_TEXTURE_2D_ARRAY, rgba, 4, 4, 1, 3, 1, 0), TESSERA_OK);
   ck_assert_uint_eq(tessera_resource_backing_size(r, 4), 192 + 48);
   /* 1D R8 of 16 texels with 5 levels: 16 + 8 + 4 + 2 + 1 */
   ck_assert_int_eq(create(r, 5, PIPE_TEXTURE_1D, JIT_FORMAT_R8_UNORM, 16, 1, 1, 1, 4, 0), TESSERA_OK);
   ck_assert_uint_eq(tessera_resource_backing_size(r, 5), 31);
   /* zero depth and array size mean 1 (Mesa sends 0 for some buffers) */
   ck_assert_int_eq(create(r, 6, PIPE_BUFFER, JIT_FORMAT_R8_UNORM, 100, 1, 0, 0, 0, 0), TESSERA_OK);
   ck_assert_uint_eq(tessera_resource_backing_size(r, 6), 100);
   /* refused shapes */
   ck_assert_int_eq(create(r, 7, PIPE_TEXTURE_1D, rgba, 16, 2, 1, 1, 0, 0), TESSERA_E_INVALID);    /* 1D, h 2 */
   ck_assert_int_eq(create(r, 7, PIPE_TEXTURE_RECT, rgba, 16, 16, 1, 1, 1, 0), TESSERA_E_INVALID); /* RECT mips */
   ck_assert_int_eq(create(r, 7, PIPE_TEXTURE_2D, rgba, 16, 16, 4, 1, 0, 0), TESSERA_E_INVALID);   /* 2D depth */
   ck_assert_int_eq(create(r, 7, PIPE_TEXTURE_2D, rgba, 16, 16, 1, 2, 0, 0), TESSERA_E_INVALID);   /* 2D layers */
   ck_assert_int_eq(create(r, 7, PIPE_BUFFER, JIT_FORMAT_R8_UNORM, (1u << 30) + 1, 1, 1, 1, 0, 0),
                    TESSERA_E_INVALID);
   ck_assert_int_eq(create(r, 7, PIPE_TEXTURE_2D, rgba, 16385, 1, 1, 1, 0, 0), TESSERA_E_INVALID);
   ck_assert_int_eq(create(r, 7, PIPE_TEXTURE_2D_ARRAY, rgba, 4, 4, 1, 4096, 0, 0), TESSERA_E_INVALID);
   ck_assert_int_eq(create(r, 7, PIPE_TEXTURE_2D, rgba, 16, 16, 1, 1, 40, 0), TESSERA_E_INVALID);
   ck_assert_uint_eq(tessera_resource_backing_size(r, 7), 0);
   /* unref makes the handle free for reuse */
   tessera_resource_unref(r, 6);
   ck_assert_uint_eq(tessera_resource_backing_size(r, 6), 0);
   ck_assert_int_eq(create(r, 6, PIPE_TEXTURE_2D, rgba, 2, 2, 1, 1, 0, 0), TESSERA_OK);
   ck_assert_uint_eq(tessera_resource_backing_size(r, 6), 16);
   tessera_renderer_destroy(r);
}
END_TEST

/* Boxes in 3D textures and buffers: z selects the slice, layer strides pad. */
START_TEST(test_boxes_3d_and_buffers)
{
   struct tessera_renderer *r;
   struct tessera_renderer_options o = { 1 };
   ck_assert_int_eq(tessera_renderer_create(&o, &r), 0);
   ck_assert_int_eq(create(r, 1, PIPE_TEXTURE_3D, JIT_FORMAT_R8_UNORM, 4, 4, 4, 1, 0, 0), 0);
   uint8_t src[2 * 40], all[64];
   for (int i = 0; i < (int)sizeof(src); i++)
      src[i] = (uint8_t)(i + 1);
   /* a 2x2x2 box at (1,1,2) with row stride 5 and slice stride 40 */
   struct tessera_box box = { 1, 1, 2, 2, 2, 2 };
   ck_assert_int_eq(tessera_resource_write(r, 0, 1, 0, &box, 5, 40, src, 40 + 5 + 2), 0);
   ck_assert_int_eq(tessera_resource_write(r, 0, 1, 0, &box, 5, 40, src, 40 + 5 + 1), TESSERA_E_INVALID);
   ck_assert_int_eq(tessera_resource_write(r, 0, 1, 0, &box, 5, 6, src, sizeof(src)), TESSERA_E_INVALID);
   ck_assert_int_eq(tessera_resource_write(r, 0, 1, 0, &box, 1, 40, src, sizeof(src)), TESSERA_E_INVALID);
   struct tessera_box whole = { 0, 0, 0, 4, 4, 4 };
   ck_assert_int_eq(tessera_resource_read(r, 0, 1, 0, &whole, 0, 0, all, sizeof(all)), 0);
   ck_assert_uint_eq(all[2 * 16 + 1 * 4 + 1], src[0]);
   ck_assert_uint_eq(all[2 * 16 + 2 * 4 + 2], src[6]);
   ck_assert_uint_eq(all[3 * 16 + 1 * 4 + 1], src[40]);
   ck_assert_uint_eq(all[3 * 16 + 2 * 4 + 2], src[46]);
   ck_assert_uint_eq(all[1 * 16 + 1 * 4 + 1], 0); /* zero-initialised elsewhere */
   struct tessera_box deep = { 0, 0, 3, 1, 1, 2 };
   ck_assert_int_eq(tessera_resource_read(r, 0, 1, 0, &deep, 0, 0, all, sizeof(all)), TESSERA_E_INVALID);
   struct tessera_box wrap = { 0xffffffffu, 0, 0, 2, 1, 1 };
   ck_assert_int_eq(tessera_resource_read(r, 0, 1, 0, &wrap, 0, 0, all, sizeof(all)), TESSERA_E_INVALID);
   /* buffers: x and w are bytes; y and z must stay 0 */
   ck_assert_int_eq(create(r, 2, PIPE_BUFFER, JIT_FORMAT_R8_UNORM, 10, 1, 1, 1, 0, 0), 0);
   struct tessera_box b = { 6, 0, 0, 4, 1, 1 };
   ck_assert_int_eq(tessera_resource_write(r, 0, 2, 0, &b, 0, 0, src, 4), 0);
   b.w = 5;
   ck_assert_int_eq(tessera_resource_write(r, 0, 2, 0, &b, 0, 0, src, 5), TESSERA_E_INVALID);
   struct tessera_box by = { 0, 1, 0, 1, 1, 1 };
   ck_assert_int_eq(tessera_resource_write(r, 0, 2, 0, &by, 0, 0, src, 5), TESSERA_E_INVALID);
   ck_assert_int_eq(tessera_resource_write(r, 0, 2, 0, NULL, 0, 0, src, 5), TESSERA_E_INVALID);
   tessera_renderer_destroy(r);
}
END_TEST

/* Contexts name only attached resources; errors on a context carry a
 * message, leave the renderer and other contexts alone. */
START_TEST(test_attach)
{
   struct tessera_renderer *r;
   struct tessera_renderer_options o = { 1 };
   ck_assert_int_eq(tessera_renderer_create(&o, &r), 0);
   ck_assert_int_eq(create(r, 1, PIPE_TEXTURE_2D, JIT_FORMAT_R8G8B8A8_UNORM, 2, 2, 1, 1, 0, 0), 0);
   ck_assert_int_eq(tessera_context_create(r, 5, "a"), 0);
   ck_assert_int_eq(tessera_context_create(r, 5, "again"), TESSERA_E_INVALID);
   ck_assert_int_eq(tessera_context_create(r, 0, "zero"), TESSERA_E_INVALID);
   ck_assert_int_eq(tessera_context_create(r, 6, "b"), 0);
   ck_assert_int_eq(tessera_context_attach_resource(r, 5, 99), TESSERA_E_NOENT);
   ck_assert_int_eq(tessera_context_attach_resource(r, 99, 1), TESSERA_E_NOENT);
   ck_assert_int_eq(tessera_context_attach_resource(r, 5, 1), 0);
   uint8_t px[16] = { 0 };
   struct tessera_box box = { 0, 0, 0, 2, 2, 1 };
   ck_assert_int_eq(tessera_resource_read(r, 5, 1, 0, &box, 0, 0, px, sizeof(px)), 0);
   tessera_context_detach_resource(r, 5, 1);
   ck_assert_int_eq(tessera_resource_read(r, 5, 1, 0, &box, 0, 0, px, sizeof(px)), TESSERA_E_INVALID);
   ck_assert_ptr_nonnull(strstr(tessera_context_error(r, 5), "not attached"));
   ck_assert_int_eq(tessera_wait(r, 5), TESSERA_E_CONTEXT);
   ck_assert_int_eq(tessera_submit(r, 5, NULL, 0), TESSERA_E_CONTEXT);
   /* the other context and the renderer are unaffected */
   ck_assert_ptr_null(tessera_context_error(r, 6));
   ck_assert_int_eq(tessera_wait(r, 6), 0);
   ck_assert_int_eq(tessera_submit(r, 6, NULL, 0), 0);
   ck_assert_int_eq(tessera_submit(r, 99, NULL, 0), TESSERA_E_NOENT);
   ck_assert_int_eq(tessera_resource_read(r, 0, 1, 0, &box, 0, 0, px, sizeof(px)), 0);
   tessera_context_destroy(r, 5);
   ck_assert_ptr_null(tessera_context_error(r, 5));
   ck_assert_int_eq(tessera_context_create(r, 5, "reborn"), 0);
   tessera_renderer_destroy(r);
}
END_TEST

/* Sub-contexts: separate object tables and bound state; the current one
 * falls back to 0 when destroyed; their number is bounded. */
START_TEST(test_sub_contexts)
{
   struct stack s;
   stack_init(&s, 1, 4, 4);
   ck_assert_int_eq(stack_flush(&s), 0);
   ck_assert_int_eq(stack_resource(&s, STK_RES_TEX, PIPE_TEXTURE_2D, JIT_FORMAT_R8G8B8A8_UNORM, 4, 4, 0), 0);
   const float blue[4] = { 0, 0, 1, 1 }, green[4] = { 0, 1, 0, 1 };
   /* sub 1 reuses sub 0's surface handle for a surface of another resource */
   vgpu_enc_create_sub_ctx(&s.e, 1);
   vgpu_enc_set_sub_ctx(&s.e, 1);
   vgpu_enc_create_surface(&s.e, STK_SURF_COLOR, STK_RES_TEX, JIT_FORMAT_R8G8B8A8_UNORM, 0, 0, 0);
   uint32_t cb = STK_SURF_COLOR;
   vgpu_enc_set_framebuffer(&s.e, 1, &cb, 0);
   vgpu_enc_clear(&s.e, PIPE_CLEAR_COLOR0, blue, 1.0, 0);
   vgpu_enc_set_sub_ctx(&s.e, 0);
   vgpu_enc_clear(&s.e, PIPE_CLEAR_COLOR0, green, 1.0, 0);
   ck_assert_int_eq(stack_flush(&s), 0);
   uint8_t px[64];
   struct tessera_box box = { 0, 0, 0, 4, 4, 1 };
   ck_assert_int_eq(tessera_resource_read(s.r, s.ctx, STK_RES_TEX, 0, &box, 0, 0, px, sizeof(px)), 0);
   ck_assert_uint_eq(px[2], 255);
   ck_assert_uint_eq(px[1], 0);
   ck_assert_int_eq(tessera_resource_read(s.r, s.ctx, STK_RES_COLOR, 0, &box, 0, 0, px, sizeof(px)), 0);
   ck_assert_uint_eq(px[1], 255);
   ck_assert_uint_eq(px[2], 0);
   /* destroying the current sub-context makes sub 0 current again: its framebuffer gets the clear */
   vgpu_enc_set_sub_ctx(&s.e, 1);
   vgpu_enc_destroy_sub_ctx(&s.e, 1);
   vgpu_enc_clear(&s.e, PIPE_CLEAR_COLOR0, blue, 1.0, 0);
   ck_assert_int_eq(stack_flush(&s), 0);
   ck_assert_int_eq(tessera_resource_read(s.r, s.ctx, STK_RES_COLOR, 0, &box, 0, 0, px, sizeof(px)), 0);
   ck_assert_uint_eq(px[2], 255);
   /* ids 1 .. ST_MAX_SUB_CTX - 1 exist at most; sub 0 cannot go */
   for (uint32_t i = 1; i < ST_MAX_SUB_CTX; i++)
      vgpu_enc_create_sub_ctx(&s.e, i);
   ck_assert_int_eq(stack_flush(&s), 0);
   vgpu_enc_create_sub_ctx(&s.e, ST_MAX_SUB_CTX);
   ck_assert_int_eq(stack_flush(&s), TESSERA_E_INVALID);
   ck_assert_ptr_nonnull(strstr(tessera_context_error(s.r, s.ctx), "CREATE_SUB_CTX"));
   stack_fini(&s);
   stack_init(&s, 1, 4, 4);
   vgpu_enc_destroy_sub_ctx(&s.e, 0);
   ck_assert_int_eq(stack_flush(&s), TESSERA_E_INVALID);
   ck_assert_ptr_nonnull(strstr(tessera_context_error(s.r, s.ctx), "sub-context 0"));
   stack_fini(&s);
}
END_TEST

/* A sampler view keeps its resource alive after the client's unref. */
START_TEST(test_view_keeps_resource)
{
   struct stack s;
   stack_init(&s, 1, 4, 4);
   ck_assert_int_eq(stack_flush(&s), 0);
   ck_assert_int_eq(stack_resource(&s, STK_RES_TEX, PIPE_TEXTURE_2D, JIT_FORMAT_R8G8B8A8_UNORM, 4, 4, 0), 0);
   vgpu_enc_create_sampler_view(&s.e, 50, STK_RES_TEX, JIT_FORMAT_R8G8B8A8_UNORM, PIPE_TEXTURE_2D, 0, 0);
   ck_assert_int_eq(stack_flush(&s), 0);
   struct st_renderer *st = (struct st_renderer *)(void *)s.r;
   struct st_resource *res = st_map_get(&st->resources, STK_RES_TEX);
   ck_assert_ptr_nonnull(res);
   ck_assert_int_eq(res->refcount, 2); /* the table and the view */
   tessera_resource_unref(s.r, STK_RES_TEX);
   ck_assert_int_eq(res->refcount, 1); /* still valid: the view holds it */
   ck_assert_ptr_nonnull(res->data);
   vgpu_enc_destroy_object(&s.e, VGPU_OBJECT_SAMPLER_VIEW, 50);
   ck_assert_int_eq(stack_flush(&s), 0); /* last reference gone (ASan checks the free) */
   stack_fini(&s);
}
END_TEST

int main(void)
{
   Suite *s = suite_create("state");
   TCase *tc = check_util_tcase(s, "resources");
   tcase_add_test(tc, test_resource_validation);
   tcase_add_test(tc, test_boxes);
   tcase_add_test(tc, test_unref_while_bound);
   tcase_add_test(tc, test_handle_map);
   tcase_add_test(tc, test_layouts);
   tcase_add_test(tc, test_boxes_3d_and_buffers);
   tcase_add_test(tc, test_attach);
   tcase_add_test(tc, test_sub_contexts);
   tcase_add_test(tc, test_view_keeps_resource);
   return check_util_run(s);
}
