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

int main(void)
{
   Suite *s = suite_create("state");
   TCase *tc = check_util_tcase(s, "resources");
   tcase_add_test(tc, test_resource_validation);
   tcase_add_test(tc, test_boxes);
   tcase_add_test(tc, test_unref_while_bound);
   tcase_add_test(tc, test_handle_map);
   return check_util_run(s);
}
