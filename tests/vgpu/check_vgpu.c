/* check_vgpu.c: the virgl decoder: encode -> submit round trips, and
 * malformed or hostile command buffers, each of which must fail only its
 * context with a message naming the command while another context keeps
 * rendering; plus a fuzz loop over mutated streams. */
#include <stdio.h>
#include <string.h>

#include "check_util.h"
#include "check_stack.h"

static const float quad[] = {
   -1, -1, 0, 1, 1, 0, 0, 1, 1, -1, 0, 1, 1, 0, 0, 1, -1, 1, 0, 1, 1, 0, 0, 1,
   1, -1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 0, 0, 1, -1, 1, 0, 1, 1, 0, 0, 1,
};

START_TEST(test_round_trip)
{
   struct stack s;
   stack_init(&s, 2, 32, 32);
   const float green[4] = { 0, 1, 0, 1 };
   vgpu_enc_clear(&s.e, PIPE_CLEAR_COLOR0, green, 1.0, 0);
   ck_assert_int_eq(stack_flush(&s), 0);
   uint8_t *px = stack_read(&s);
   ck_assert_uint_eq(px[1], 255);
   ck_assert_uint_eq(px[0], 0);
   free(px);
   stack_draw(&s, PIPE_PRIM_TRIANGLES, quad, 6);
   ck_assert_int_eq(stack_flush(&s), 0);
   px = stack_read(&s);
   for (int i = 0; i < 32 * 32; i++)
      ck_assert_uint_eq(px[i * 4], 255); /* red quad covers everything */
   free(px);
   /* sub-contexts: objects of sub 1 are not visible in sub 0 */
   vgpu_enc_create_sub_ctx(&s.e, 1);
   vgpu_enc_set_sub_ctx(&s.e, 1);
   struct vgpu_blend_desc b = { 0 };
   vgpu_enc_create_blend(&s.e, 500, &b);
   vgpu_enc_set_sub_ctx(&s.e, 0);
   vgpu_enc_destroy_sub_ctx(&s.e, 1);
   ck_assert_int_eq(stack_flush(&s), 0);
   vgpu_enc_bind_object(&s.e, VGPU_OBJECT_BLEND, 500);
   ck_assert_int_eq(stack_flush(&s), TESSERA_E_INVALID);
   ck_assert_ptr_nonnull(strstr(tessera_context_error(s.r, s.ctx), "no BLEND object with handle 500"));
   stack_fini(&s);
}
END_TEST

/* A bad buffer: the words and the text the error must contain. */
struct bad_case {
   const char *name;
   uint32_t words[24];
   size_t n;
   const char *expect;
};

static const struct bad_case bad[] = {
   { "length past the end", { VGPU_CMD(VGPU_CCMD_CLEAR, 0, 8), 1, 2 }, 3, "exceeds" },
   { "huge length", { VGPU_CMD(VGPU_CCMD_DRAW_VBO, 0, 0xffff) }, 1, "exceeds" },
   { "unknown command", { VGPU_CMD(200, 0, 0) }, 1, "unsupported command 200" },
   { "unsupported command", { VGPU_CMD(VGPU_CCMD_LAUNCH_GRID, 0, 0) }, 1, "LAUNCH_GRID" },
   { "short clear", { VGPU_CMD(VGPU_CCMD_CLEAR, 0, 2), 1, 2 }, 3, "CLEAR" },
   { "bad object type", { VGPU_CMD(VGPU_CCMD_CREATE_OBJECT, 77, 1), 5 }, 2, "object type 77" },
   { "handle 0", { VGPU_CMD(VGPU_CCMD_CREATE_OBJECT, VGPU_OBJECT_DSA, 5), 0, 0, 0, 0, 0 }, 6, "handle 0" },
   { "handle reuse", { VGPU_CMD(VGPU_CCMD_CREATE_OBJECT, VGPU_OBJECT_DSA, 5), STK_VS, 0, 0, 0, 0 }, 6,
     "already in use" },
   { "wrong type bind", { VGPU_CMD(VGPU_CCMD_BIND_OBJECT, VGPU_OBJECT_BLEND, 1), STK_DSA }, 2, "is a DSA object" },
   { "destroy unknown", { VGPU_CMD(VGPU_CCMD_DESTROY_OBJECT, VGPU_OBJECT_BLEND, 1), 9999 }, 2, "9999" },
   { "shader continuation first", { VGPU_CMD(VGPU_CCMD_CREATE_OBJECT, VGPU_OBJECT_SHADER, 6), 77, 1,
                                    0x80000010u, 10, 0, 0x41524600 }, 7, "continuation" },
   { "shader length", { VGPU_CMD(VGPU_CCMD_CREATE_OBJECT, VGPU_OBJECT_SHADER, 6), 78, 1, 0x7fffffff, 10, 0, 0 },
     7, "length" },
   { "shader unterminated garbage", { VGPU_CMD(VGPU_CCMD_CREATE_OBJECT, VGPU_OBJECT_SHADER, 7), 79, 1, 8, 10, 0,
                                      0x47415246, 0x47415246 }, 8, "line 1" },
   { "resource not attached", { VGPU_CMD(VGPU_CCMD_CREATE_OBJECT, VGPU_OBJECT_SURFACE, 5), 80, 4242,
                                JIT_FORMAT_R8G8B8A8_UNORM, 0, 0 }, 6, "resource 4242" },
   { "index buffer range", { VGPU_CMD(VGPU_CCMD_SET_INDEX_BUFFER, 0, 3), STK_RES_VB, 4, 0,
                             VGPU_CMD(VGPU_CCMD_DRAW_VBO, 0, 12), 0, 20000, PIPE_PRIM_TRIANGLES, 1, 1, 0, 0, 0,
                             0, 0, 0, 0 }, 17, "exceed index buffer" },
   { "vertex buffers length", { VGPU_CMD(VGPU_CCMD_SET_VERTEX_BUFFERS, 0, 4), 1, 2, 3, 4 }, 5, "SET_VERTEX_BUFFERS" },
   { "too many cbufs", { VGPU_CMD(VGPU_CCMD_SET_FRAMEBUFFER_STATE, 0, 2), 9, 0 }, 3, "color buffers" },
   { "inline write box", { VGPU_CMD(VGPU_CCMD_RESOURCE_INLINE_WRITE, 0, 12), STK_RES_COLOR, 0, 0, 0, 0, 30, 30, 0,
                           10, 10, 1, 0 }, 13, "outside" },
   { "sampler slots", { VGPU_CMD(VGPU_CCMD_SET_SAMPLER_VIEWS, 0, 3), 1, 16, 0 }, 4, "slots" },
   { "sub ctx", { VGPU_CMD(VGPU_CCMD_SET_SUB_CTX, 0, 1), 1000 }, 2, "sub-context 1000" },
   { "draw mode", { VGPU_CMD(VGPU_CCMD_DRAW_VBO, 0, 12), 0, 3, 99, 0, 1, 0, 0, 0, 0, 0, 0, 0 }, 13,
     "primitive mode 99" },
   { "constant buffer index", { VGPU_CMD(VGPU_CCMD_SET_CONSTANT_BUFFER, 0, 3), 1, 99, 0 }, 4, "buffer index 99" },
};

START_TEST(test_malformed)
{
   for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
      struct stack s;
      stack_init(&s, 1, 16, 16);
      ck_assert_int_eq(stack_flush(&s), 0);
      /* a second, healthy context on the same renderer */
      ck_assert_int_eq(tessera_context_create(s.r, 2, "bystander"), 0);
      ck_assert_int_eq(tessera_submit(s.r, s.ctx, bad[i].words, bad[i].n), TESSERA_E_INVALID);
      const char *err = tessera_context_error(s.r, s.ctx);
      ck_assert_msg(err && strstr(err, bad[i].expect), "%s: error '%s' lacks '%s'", bad[i].name,
                    err ? err : "(none)", bad[i].expect);
      /* the failed context refuses more work; the other one still works */
      ck_assert_int_eq(tessera_submit(s.r, s.ctx, bad[i].words, 0), TESSERA_E_CONTEXT);
      ck_assert_ptr_null(tessera_context_error(s.r, 2));
      uint32_t nop = VGPU_CMD(VGPU_CCMD_NOP, 0, 0);
      ck_assert_int_eq(tessera_submit(s.r, 2, &nop, 1), 0);
      stack_fini(&s);
   }
}
END_TEST

START_TEST(test_commands_before_error_stay)
{
   struct stack s;
   stack_init(&s, 1, 8, 8);
   const float blue[4] = { 0, 0, 1, 1 };
   vgpu_enc_clear(&s.e, PIPE_CLEAR_COLOR0, blue, 1.0, 0);
   vgpu_enc_word(&s.e, VGPU_CMD(222, 0, 0));
   ck_assert_int_eq(stack_flush(&s), TESSERA_E_INVALID);
   uint8_t px[4];
   struct tessera_box box = { 0, 0, 0, 1, 1, 1 };
   ck_assert_int_eq(tessera_resource_read(s.r, 0, STK_RES_COLOR, 0, &box, 4, 0, px, 4), 0);
   ck_assert_uint_eq(px[2], 255);
   stack_fini(&s);
}
END_TEST

START_TEST(test_fuzz)
{
   /* a valid stream, then thousands of mutated copies on fresh contexts of one renderer */
   struct stack s;
   stack_init(&s, 2, 32, 32);
   const float c[4] = { 0.2f, 0.4f, 0.6f, 1.0f };
   vgpu_enc_clear(&s.e, PIPE_CLEAR_COLOR0 | PIPE_CLEAR_DEPTH, c, 1.0, 0);
   stack_draw(&s, PIPE_PRIM_TRIANGLE_STRIP, quad, 4);
   size_t n = s.e.len;
   uint32_t *orig = malloc(n * 4), *buf = malloc(n * 4);
   memcpy(orig, s.e.words, n * 4);
   ck_assert_int_eq(stack_flush(&s), 0);
   srand(1234);
   int failed = 0;
   for (int iter = 0; iter < 3000; iter++) {
      uint32_t id = 10 + (uint32_t)iter;
      ck_assert_int_eq(tessera_context_create(s.r, id, "fuzz"), 0);
      tessera_context_attach_resource(s.r, id, STK_RES_COLOR);
      tessera_context_attach_resource(s.r, id, STK_RES_DEPTH);
      tessera_context_attach_resource(s.r, id, STK_RES_VB);
      memcpy(buf, orig, n * 4);
      int muts = 1 + rand() % 4;
      for (int m = 0; m < muts; m++) {
         size_t at = (size_t)rand() % n;
         switch (rand() % 4) {
         case 0: buf[at] ^= 1u << (rand() % 32); break;
         case 1: buf[at] = (uint32_t)rand() * 2654435761u; break;
         case 2: buf[at] = (uint32_t)(rand() % 64); break;
         default: buf[at] = 0xffffffffu; break;
         }
      }
      size_t len = rand() % 8 ? n : (size_t)rand() % n; /* sometimes truncated */
      if (tessera_submit(s.r, id, buf, len) != 0)
         failed++;
      tessera_context_destroy(s.r, id);
   }
   ck_assert_int_gt(failed, 0);
   free(orig);
   free(buf);
   stack_fini(&s);
}
END_TEST

START_TEST(test_blit_and_copy)
{
   struct stack s;
   stack_init(&s, 1, 8, 8);
   ck_assert_int_eq(stack_flush(&s), 0);
   ck_assert_int_eq(stack_resource(&s, STK_RES_TEX, PIPE_TEXTURE_2D, JIT_FORMAT_B8G8R8A8_UNORM, 4, 4, 0), 0);
   uint8_t src[64];
   for (int i = 0; i < 16; i++) { /* BGRA: blue = 10 * i, red = 255 */
      src[i * 4] = (uint8_t)(10 * i);
      src[i * 4 + 1] = 0;
      src[i * 4 + 2] = 255;
      src[i * 4 + 3] = 255;
   }
   struct tessera_box b4 = { 0, 0, 0, 4, 4, 1 };
   ck_assert_int_eq(tessera_resource_write(s.r, s.ctx, STK_RES_TEX, 0, &b4, 16, 0, src, sizeof(src)), 0);
   /* BLIT the 4x4 BGRA texture, scaled 2x, into the 8x8 RGBA target, red and blue only */
   uint32_t blit[22] = { VGPU_CMD(VGPU_CCMD_BLIT, 0, 21), 0x5, 0, 0, STK_RES_COLOR, 0, JIT_FORMAT_R8G8B8A8_UNORM,
                         0, 0, 0, 8, 8, 1, STK_RES_TEX, 0, JIT_FORMAT_B8G8R8A8_UNORM, 0, 0, 0, 4, 4, 1 };
   ck_assert_int_eq(tessera_submit(s.r, s.ctx, blit, 22), 0);
   uint8_t *px = stack_read(&s);
   for (int y = 0; y < 8; y++)
      for (int x = 0; x < 8; x++) {
         const uint8_t *p = px + (y * 8 + x) * 4;
         ck_assert_uint_eq(p[0], 255);                           /* red */
         ck_assert_uint_eq(p[2], 10 * ((y / 2) * 4 + x / 2));    /* blue from the scaled source */
         ck_assert_uint_eq(p[3], 0);                             /* alpha masked off: the old value stays */
      }
   free(px);
   /* RESOURCE_COPY_REGION of a 2x2 box, and a box outside the source is refused */
   uint32_t copy[14] = { VGPU_CMD(VGPU_CCMD_RESOURCE_COPY_REGION, 0, 13), STK_RES_COLOR, 0, 6, 6, 0,
                         STK_RES_TEX, 0, 0, 0, 0, 2, 2, 1 };
   ck_assert_int_eq(tessera_submit(s.r, s.ctx, copy, 14), 0);
   px = stack_read(&s);
   ck_assert_uint_eq(px[(6 * 8 + 7) * 4], 10); /* raw bytes copied: BGRA byte 0 of texel (1, 0) */
   free(px);
   copy[12] = 9;
   ck_assert_int_eq(tessera_submit(s.r, s.ctx, copy, 14), TESSERA_E_INVALID);
   ck_assert_ptr_nonnull(strstr(tessera_context_error(s.r, s.ctx), "RESOURCE_COPY_REGION"));
   stack_fini(&s);
}
END_TEST

int main(void)
{
   Suite *s = suite_create("vgpu");
   TCase *tc = check_util_tcase(s, "decode");
   tcase_add_test(tc, test_round_trip);
   tcase_add_test(tc, test_malformed);
   tcase_add_test(tc, test_commands_before_error_stay);
   tcase_add_test(tc, test_fuzz);
   tcase_add_test(tc, test_blit_and_copy);
   return check_util_run(s);
}
