/* check_vgpu.c: the virgl decoder: encode -> submit round trips, and
 * malformed or hostile command buffers, each of which must fail only its
 * context with a message naming the command while another context keeps
 * rendering; plus a fuzz loop over mutated streams. */
#include <stdio.h>
#include <string.h>

#include "check_util.h"
#include "check_stack.h"
#include "state/st_context.h"

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

/* One CREATE_OBJECT(SHADER) packet by hand: n text bytes, then padding
 * bytes set to pad up to the dword and, if pad is nonzero, one dword more
 * (bytes past the text length that must never be read). */
static void shader_packet(struct vgpu_enc *e, uint32_t handle, uint32_t stage, uint32_t offlen, const char *text,
                          size_t n, uint8_t pad)
{
   uint32_t dw = (uint32_t)((n + 3) / 4 + (pad ? 1 : 0));
   vgpu_enc_word(e, VGPU_CMD(VGPU_CCMD_CREATE_OBJECT, VGPU_OBJECT_SHADER, VGPU_SHADER_HDR_SIZE + dw));
   vgpu_enc_word(e, handle);
   vgpu_enc_word(e, stage);
   vgpu_enc_word(e, offlen);
   vgpu_enc_word(e, 100);
   vgpu_enc_word(e, 0);
   uint32_t *w = calloc(dw, 4);
   memset(w, pad, dw * 4);
   memcpy(w, text, n);
   vgpu_enc_words(e, w, dw);
   free(w);
}

static const char red_fs[] = "FRAG\nDCL OUT[0], COLOR\nIMM[0] FLT32 { 1.0, 0.0, 0.0, 1.0 }\nMOV OUT[0], IMM[0]\nEND\n";

/* Bind fs as the fragment shader, draw the full quad in blue vertex color and
 * return the first pixel's red byte. */
static unsigned draw_with_fs(struct stack *s, uint32_t fs)
{
   float blue[48];
   memcpy(blue, quad, sizeof(blue));
   for (int v = 0; v < 6; v++) {
      blue[v * 8 + 4] = 0;
      blue[v * 8 + 6] = 1;
   }
   const float black[4] = { 0, 0, 0, 0 };
   vgpu_enc_clear(&s->e, PIPE_CLEAR_COLOR0, black, 1.0, 0);
   vgpu_enc_bind_shader(&s->e, fs, PIPE_SHADER_FRAGMENT);
   stack_draw(s, PIPE_PRIM_TRIANGLES, blue, 6);
   ck_assert_int_eq(stack_flush(s), 0);
   uint8_t *px = stack_read(s);
   unsigned red = px[0];
   ck_assert_uint_eq(px[(s->w * s->h - 1) * 4], red); /* the whole target is covered */
   free(px);
   return red;
}

START_TEST(test_shader_packets)
{
   struct stack s;
   stack_init(&s, 2, 8, 8);
   ck_assert_int_eq(stack_flush(&s), 0);
   size_t n = strlen(red_fs);
   /* three packets: the first carries the total length, the others bit 31 and their offset */
   shader_packet(&s.e, 60, PIPE_SHADER_FRAGMENT, (uint32_t)n + 1, red_fs, 20, 0);
   shader_packet(&s.e, 60, PIPE_SHADER_FRAGMENT, VGPU_SHADER_OFFLEN_CONT | 20, red_fs + 20, 40, 0);
   shader_packet(&s.e, 60, PIPE_SHADER_FRAGMENT, VGPU_SHADER_OFFLEN_CONT | 60, red_fs + 60, n - 60 + 1, 0);
   ck_assert_int_eq(stack_flush(&s), 0);
   ck_assert_uint_eq(draw_with_fs(&s, 60), 255);
   ck_assert_uint_eq(draw_with_fs(&s, STK_FS), 0); /* the passthrough shader draws the blue vertex color */
   /* text without a NUL inside its length, followed by garbage: parsed by length only */
   shader_packet(&s.e, 61, PIPE_SHADER_FRAGMENT, (uint32_t)n, red_fs, n, 'Z');
   ck_assert_int_eq(stack_flush(&s), 0);
   ck_assert_uint_eq(draw_with_fs(&s, 61), 255);
   /* a long vertex shader: the encoder splits it over packets as Mesa does */
   const char *head = "VERT\nDCL IN[0]\nDCL IN[1]\nDCL OUT[0], POSITION\nDCL OUT[1], GENERIC[0]\nDCL TEMP[0]\n";
   const char *line = "MOV TEMP[0], IN[1]\n";
   const char *tail = "MOV OUT[0], IN[0]\nMOV OUT[1], TEMP[0]\nEND\n";
   size_t lines = 16000, cap = strlen(head) + lines * strlen(line) + strlen(tail) + 1;
   ck_assert_uint_gt(cap, (size_t)VGPU_CMD_MAX_LENGTH * 4);
   char *big = malloc(cap), *q = big;
   q += sprintf(q, "%s", head);
   for (size_t i = 0; i < lines; i++)
      q += sprintf(q, "%s", line);
   sprintf(q, "%s", tail);
   size_t before = s.e.len;
   vgpu_enc_create_shader(&s.e, 62, PIPE_SHADER_VERTEX, big);
   uint32_t first_len = VGPU_CMD_LENGTH(s.e.words[before]);
   ck_assert_uint_eq(s.e.words[before + 3], (uint32_t)cap);                /* total length, NUL included */
   ck_assert_uint_eq(s.e.words[before + 1 + first_len + 3] & VGPU_SHADER_OFFLEN_CONT, VGPU_SHADER_OFFLEN_CONT);
   vgpu_enc_bind_shader(&s.e, 62, PIPE_SHADER_VERTEX);
   free(big);
   ck_assert_int_eq(stack_flush(&s), 0);
   ck_assert_uint_eq(draw_with_fs(&s, STK_FS), 0);
   uint8_t *px = stack_read(&s);
   ck_assert_uint_eq(px[2], 255); /* blue through 16,000 moves */
   free(px);
   stack_fini(&s);
}
END_TEST

/* Bad shader packet sequences: each fails the context naming CREATE_OBJECT(SHADER). */
START_TEST(test_shader_packet_errors)
{
   size_t n = strlen(red_fs);
   for (int k = 0; k < 6; k++) {
      struct stack s;
      stack_init(&s, 1, 8, 8);
      ck_assert_int_eq(stack_flush(&s), 0);
      const char *expect = "CREATE_OBJECT(SHADER)";
      switch (k) {
      case 0: /* continuation at an offset past what arrived (and past the text) */
         shader_packet(&s.e, 60, 1, (uint32_t)n + 1, red_fs, 20, 0);
         shader_packet(&s.e, 60, 1, VGPU_SHADER_OFFLEN_CONT | 400, red_fs + 20, 20, 0);
         break;
      case 1: /* continuation for another handle */
         shader_packet(&s.e, 60, 1, (uint32_t)n + 1, red_fs, 20, 0);
         shader_packet(&s.e, 61, 1, VGPU_SHADER_OFFLEN_CONT | 20, red_fs + 20, 20, 0);
         break;
      case 2: /* a new shader while one is incomplete */
         shader_packet(&s.e, 60, 1, (uint32_t)n + 1, red_fs, 20, 0);
         shader_packet(&s.e, 61, 1, (uint32_t)n + 1, red_fs, n + 1, 0);
         expect = "shader 60 is incomplete";
         break;
      case 3: /* zero text length */
         shader_packet(&s.e, 60, 1, 0, red_fs, 4, 0);
         break;
      case 4: /* text cut inside its length: the parser sees only the declared bytes */
         shader_packet(&s.e, 60, 1, 12, red_fs, n, 0);
         break;
      default: /* stream output requested */
         vgpu_enc_word(&s.e, VGPU_CMD(VGPU_CCMD_CREATE_OBJECT, VGPU_OBJECT_SHADER, 20));
         vgpu_enc_word(&s.e, 60);
         vgpu_enc_word(&s.e, 0);
         vgpu_enc_word(&s.e, 8);
         vgpu_enc_word(&s.e, 10);
         vgpu_enc_word(&s.e, 2); /* two stream outputs: 2 * 2 + 4 more header dwords */
         for (int i = 0; i < 15; i++)
            vgpu_enc_word(&s.e, 0);
         expect = "stream output";
         break;
      }
      ck_assert_int_eq(stack_flush(&s), TESSERA_E_INVALID);
      const char *err = tessera_context_error(s.r, s.ctx);
      ck_assert_msg(err && strstr(err, expect), "case %d: '%s' lacks '%s'", k, err ? err : "", expect);
      stack_fini(&s);
   }
   /* an incomplete shader at the end of a submit is not created */
   struct stack s;
   stack_init(&s, 1, 8, 8);
   shader_packet(&s.e, 60, 1, (uint32_t)n + 1, red_fs, 20, 0);
   ck_assert_int_eq(stack_flush(&s), 0);
   vgpu_enc_bind_shader(&s.e, 60, PIPE_SHADER_FRAGMENT);
   ck_assert_int_eq(stack_flush(&s), TESSERA_E_INVALID);
   ck_assert_ptr_nonnull(strstr(tessera_context_error(s.r, s.ctx), "BIND_SHADER"));
   stack_fini(&s);
}
END_TEST

/* Every command that needs a payload, sent with none: an error naming it;
 * the commands that are accepted without effect succeed. */
START_TEST(test_empty_payloads)
{
   static const uint32_t need[] = {
      VGPU_CCMD_BIND_OBJECT, VGPU_CCMD_DESTROY_OBJECT, VGPU_CCMD_SET_VIEWPORT_STATE,
      VGPU_CCMD_SET_FRAMEBUFFER_STATE, VGPU_CCMD_CLEAR, VGPU_CCMD_DRAW_VBO, VGPU_CCMD_RESOURCE_INLINE_WRITE,
      VGPU_CCMD_SET_SAMPLER_VIEWS, VGPU_CCMD_SET_INDEX_BUFFER, VGPU_CCMD_SET_CONSTANT_BUFFER,
      VGPU_CCMD_SET_STENCIL_REF, VGPU_CCMD_SET_BLEND_COLOR, VGPU_CCMD_SET_SCISSOR_STATE, VGPU_CCMD_BLIT,
      VGPU_CCMD_RESOURCE_COPY_REGION, VGPU_CCMD_BIND_SAMPLER_STATES, VGPU_CCMD_SET_POLYGON_STIPPLE,
      VGPU_CCMD_SET_SUB_CTX, VGPU_CCMD_CREATE_SUB_CTX, VGPU_CCMD_DESTROY_SUB_CTX, VGPU_CCMD_BIND_SHADER,
      VGPU_CCMD_TRANSFER3D, VGPU_CCMD_SET_SHADER_BUFFERS, VGPU_CCMD_SET_SHADER_IMAGES,
      VGPU_CCMD_SET_ATOMIC_BUFFERS,
   };
   for (size_t i = 0; i < sizeof(need) / sizeof(need[0]) + VGPU_OBJECT_SURFACE; i++) {
      struct stack s;
      stack_init(&s, 1, 8, 8);
      ck_assert_int_eq(stack_flush(&s), 0);
      uint32_t w;
      const char *expect;
      if (i < sizeof(need) / sizeof(need[0])) {
         w = VGPU_CMD(need[i], 0, 0);
         expect = vgpu_ccmd_name(need[i]);
      } else { /* CREATE_OBJECT of each supported type */
         uint32_t type = (uint32_t)(i - sizeof(need) / sizeof(need[0])) + 1;
         w = VGPU_CMD(VGPU_CCMD_CREATE_OBJECT, type, 0);
         expect = "CREATE_OBJECT";
      }
      ck_assert_int_eq(tessera_submit(s.r, s.ctx, &w, 1), TESSERA_E_INVALID);
      const char *err = tessera_context_error(s.r, s.ctx);
      ck_assert_msg(err && strstr(err, expect), "'%s' lacks '%s'", err ? err : "", expect);
      stack_fini(&s);
   }
   static const uint32_t noop[] = {
      VGPU_CCMD_NOP, VGPU_CCMD_END_TRANSFERS, VGPU_CCMD_SET_SAMPLE_MASK, VGPU_CCMD_SET_MIN_SAMPLES,
      VGPU_CCMD_SET_CLIP_STATE, VGPU_CCMD_MEMORY_BARRIER, VGPU_CCMD_TEXTURE_BARRIER, VGPU_CCMD_SET_TESS_STATE,
      VGPU_CCMD_SET_STREAMOUT_TARGETS, VGPU_CCMD_SET_VERTEX_BUFFERS,
   };
   struct stack s;
   stack_init(&s, 1, 8, 8);
   for (size_t i = 0; i < sizeof(noop) / sizeof(noop[0]); i++)
      vgpu_enc_word(&s.e, VGPU_CMD(noop[i], 0, 0));
   /* unbinding storage buffers, images and atomics is accepted; binding one is not */
   uint32_t unbind[] = { VGPU_CMD(VGPU_CCMD_SET_SHADER_BUFFERS, 0, 5), 1, 0, 0, 0, 0,
                         VGPU_CMD(VGPU_CCMD_SET_SHADER_IMAGES, 0, 7), 1, 0, 0, 0, 0, 0, 0,
                         VGPU_CMD(VGPU_CCMD_SET_ATOMIC_BUFFERS, 0, 4), 0, 0, 0, 0 };
   vgpu_enc_words(&s.e, unbind, sizeof(unbind) / 4);
   ck_assert_int_eq(stack_flush(&s), 0);
   uint32_t bind[] = { VGPU_CMD(VGPU_CCMD_SET_SHADER_BUFFERS, 0, 5), 1, 0, 0, 64, STK_RES_VB };
   ck_assert_int_eq(tessera_submit(s.r, s.ctx, bind, 6), TESSERA_E_INVALID);
   ck_assert_ptr_nonnull(strstr(tessera_context_error(s.r, s.ctx), "SET_SHADER_BUFFERS"));
   stack_fini(&s);
   /* stream output targets other than none are refused */
   stack_init(&s, 1, 8, 8);
   uint32_t so[] = { VGPU_CMD(VGPU_CCMD_SET_STREAMOUT_TARGETS, 0, 2), 0, 5 };
   ck_assert_int_eq(tessera_submit(s.r, s.ctx, so, 3), TESSERA_E_INVALID);
   ck_assert_ptr_nonnull(strstr(tessera_context_error(s.r, s.ctx), "SET_STREAMOUT_TARGETS"));
   stack_fini(&s);
}
END_TEST

/* TRANSFER3D between a guest backing and the resource, both directions,
 * with the backing's bounds checked. */
START_TEST(test_transfer3d)
{
   struct stack s;
   stack_init(&s, 1, 8, 8);
   ck_assert_int_eq(stack_flush(&s), 0);
   ck_assert_int_eq(stack_resource(&s, STK_RES_TEX, PIPE_TEXTURE_2D, JIT_FORMAT_R8G8B8A8_UNORM, 4, 4, 1), 0);
   uint8_t backing[80]; /* 4x4 + 2x2 RGBA8 */
   ck_assert_uint_eq(tessera_resource_backing_size(s.r, STK_RES_TEX), sizeof(backing));
   for (size_t i = 0; i < sizeof(backing); i++)
      backing[i] = (uint8_t)i;
   /* no backing yet */
   vgpu_enc_transfer3d(&s.e, STK_RES_TEX, 0, 16, 64, 0, 0, 0, 4, 4, 1, 0, VGPU_TRANSFER_TO_HOST);
   ck_assert_int_eq(stack_flush(&s), TESSERA_E_INVALID);
   ck_assert_ptr_nonnull(strstr(tessera_context_error(s.r, s.ctx), "no backing"));
   stack_fini(&s);

   stack_init(&s, 1, 8, 8);
   ck_assert_int_eq(stack_flush(&s), 0);
   ck_assert_int_eq(stack_resource(&s, STK_RES_TEX, PIPE_TEXTURE_2D, JIT_FORMAT_R8G8B8A8_UNORM, 4, 4, 1), 0);
   ck_assert_int_eq(tessera_resource_attach_backing(s.r, STK_RES_TEX, backing, sizeof(backing)), 0);
   /* level 1 lives at offset 64 of the backing */
   vgpu_enc_transfer3d(&s.e, STK_RES_TEX, 1, 8, 16, 0, 0, 0, 2, 2, 1, 64, VGPU_TRANSFER_TO_HOST);
   ck_assert_int_eq(stack_flush(&s), 0);
   uint8_t px[16];
   struct tessera_box b2 = { 0, 0, 0, 2, 2, 1 };
   ck_assert_int_eq(tessera_resource_read(s.r, s.ctx, STK_RES_TEX, 1, &b2, 8, 0, px, sizeof(px)), 0);
   for (int i = 0; i < 16; i++)
      ck_assert_uint_eq(px[i], 64 + i);
   /* back to the guest: one texel of level 0 into a cleared backing */
   memset(backing, 0xee, sizeof(backing));
   uint8_t one[4] = { 1, 2, 3, 4 };
   struct tessera_box b1 = { 3, 3, 0, 1, 1, 1 };
   ck_assert_int_eq(tessera_resource_write(s.r, s.ctx, STK_RES_TEX, 0, &b1, 4, 0, one, 4), 0);
   vgpu_enc_transfer3d(&s.e, STK_RES_TEX, 0, 16, 64, 3, 3, 0, 1, 1, 1, 60, VGPU_TRANSFER_FROM_HOST);
   ck_assert_int_eq(stack_flush(&s), 0);
   ck_assert_uint_eq(backing[60], 1);
   ck_assert_uint_eq(backing[63], 4);
   ck_assert_uint_eq(backing[59], 0xee);
   ck_assert_uint_eq(backing[64], 0xee);
   /* a box that would run past the end of the backing from this offset */
   vgpu_enc_transfer3d(&s.e, STK_RES_TEX, 0, 16, 64, 0, 0, 0, 4, 4, 1, 40, VGPU_TRANSFER_TO_HOST);
   ck_assert_int_eq(stack_flush(&s), TESSERA_E_INVALID);
   ck_assert_ptr_nonnull(strstr(tessera_context_error(s.r, s.ctx), "TRANSFER3D"));
   stack_fini(&s);

   /* an offset past the backing, and a bad direction */
   for (int k = 0; k < 2; k++) {
      stack_init(&s, 1, 8, 8);
      ck_assert_int_eq(stack_flush(&s), 0);
      ck_assert_int_eq(stack_resource(&s, STK_RES_TEX, PIPE_TEXTURE_2D, JIT_FORMAT_R8G8B8A8_UNORM, 4, 4, 1), 0);
      ck_assert_int_eq(tessera_resource_attach_backing(s.r, STK_RES_TEX, backing, sizeof(backing)), 0);
      vgpu_enc_transfer3d(&s.e, STK_RES_TEX, 0, 0, 0, 0, 0, 0, 1, 1, 1, k ? 0 : 0x7fffffffu, k ? 7 : 1);
      ck_assert_int_eq(stack_flush(&s), TESSERA_E_INVALID);
      ck_assert_ptr_nonnull(strstr(tessera_context_error(s.r, s.ctx), k ? "direction" : "offset"));
      stack_fini(&s);
   }
}
END_TEST

/* Objects destroyed or resources dropped while bound stay usable by what
 * binds them; the variant cache counts lookups, hits, misses, evictions. */
START_TEST(test_lifetimes_and_variants)
{
   struct stack s;
   stack_init(&s, 2, 8, 8);
   ck_assert_int_eq(stack_flush(&s), 0);
   /* destroy the bound shaders, vertex elements and surfaces; drop the client's color resource */
   vgpu_enc_destroy_object(&s.e, VGPU_OBJECT_SHADER, STK_VS);
   vgpu_enc_destroy_object(&s.e, VGPU_OBJECT_SHADER, STK_FS);
   vgpu_enc_destroy_object(&s.e, VGPU_OBJECT_VERTEX_ELEMENTS, STK_VE);
   vgpu_enc_destroy_object(&s.e, VGPU_OBJECT_SURFACE, STK_SURF_COLOR);
   ck_assert_int_eq(stack_flush(&s), 0);
   tessera_resource_unref(s.r, STK_RES_COLOR);
   stack_draw(&s, PIPE_PRIM_TRIANGLES, quad, 6);
   stack_draw(&s, PIPE_PRIM_TRIANGLES, quad, 6);
   ck_assert_int_eq(stack_flush(&s), 0);
   struct st_renderer *st = (struct st_renderer *)(void *)s.r;
   struct st_context *ctx = st_map_get(&st->contexts, s.ctx);
   ck_assert_ptr_nonnull(ctx);
   ck_assert_uint_eq(ctx->stats.lookups, 4);
   ck_assert_uint_eq(ctx->stats.misses, 2);
   ck_assert_uint_eq(ctx->stats.hits, 2);
   /* the handles are free again */
   vgpu_enc_create_shader(&s.e, STK_VS, PIPE_SHADER_VERTEX, stk_vs);
   ck_assert_int_eq(stack_flush(&s), 0);
   /* more fragment shaders than the cache holds: the oldest variants are evicted */
   for (uint32_t i = 0; i < ST_MAX_VARIANTS + 4; i++) {
      vgpu_enc_create_shader(&s.e, 1000 + i, PIPE_SHADER_FRAGMENT, red_fs);
      vgpu_enc_bind_shader(&s.e, 1000 + i, PIPE_SHADER_FRAGMENT);
      struct vgpu_draw_info d = { 0, 3, PIPE_PRIM_TRIANGLES, 0, 1, 0, 0, 0, 0, 0, 2 };
      vgpu_enc_draw_vbo(&s.e, &d);
      vgpu_enc_destroy_object(&s.e, VGPU_OBJECT_SHADER, 1000 + i);
   }
   ck_assert_int_eq(stack_flush(&s), 0);
   ck_assert_uint_le(ctx->num_variants, ST_MAX_VARIANTS);
   ck_assert_uint_ge(ctx->stats.evictions, 4);
   ck_assert_uint_eq(ctx->stats.lookups, ctx->stats.hits + ctx->stats.misses);
   stack_fini(&s);
}
END_TEST

/* Draws and clears wait in the context's scene (st_flush) until a command
 * that may touch what they wrote or read: a copy out of the target in the
 * same command buffer sees them; constants set between two queued draws
 * stay each draw's own; nothing is left queued when the submit returns. */
START_TEST(test_deferred_in_one_submit)
{
   struct stack s;
   stack_init(&s, 1, 8, 8);
   ck_assert_int_eq(stack_resource(&s, STK_RES_TEX, PIPE_TEXTURE_2D, JIT_FORMAT_R8G8B8A8_UNORM, 8, 8, 0), 0);
   static const char const_fs[] = "FRAG\nDCL OUT[0], COLOR\nDCL CONST[0]\nMOV OUT[0], CONST[0]\nEND\n";
   vgpu_enc_create_shader(&s.e, STK_FIRST_FREE, PIPE_SHADER_FRAGMENT, const_fs);
   float v[12 * 8];
   for (int h = 0; h < 2; h++) /* left half, then right half: two triangles each */
      for (int k = 0; k < 6; k++) {
         static const float corner[6][2] = { { 0, -1 }, { 1, -1 }, { 0, 1 }, { 1, -1 }, { 1, 1 }, { 0, 1 } };
         float *p = v + (h * 6 + k) * 8;
         p[0] = corner[k][0] + (float)h - 1.0f;
         p[1] = corner[k][1];
         p[2] = 0.0f;
         p[3] = 1.0f;
         p[4] = p[5] = p[6] = p[7] = 1.0f;
      }
   vgpu_enc_resource_inline_write(&s.e, STK_RES_VB, 0, 0, 0, 0, 0, 0, 0, sizeof(v), 1, 1, v, sizeof(v));
   ck_assert_int_eq(stack_flush(&s), 0);

   const float black[4] = { 0, 0, 0, 1 }, blue[4] = { 0, 0, 1, 1 }, red[4] = { 1, 0, 0, 1 }, green[4] = { 0, 1, 0, 1 };
   vgpu_enc_clear(&s.e, PIPE_CLEAR_COLOR0 | PIPE_CLEAR_DEPTH, black, 1.0, 0);
   vgpu_enc_bind_shader(&s.e, STK_FIRST_FREE, PIPE_SHADER_FRAGMENT);
   vgpu_enc_set_constant_buffer(&s.e, PIPE_SHADER_FRAGMENT, 0, 4, red);
   struct vgpu_draw_info left = { 0, 6, PIPE_PRIM_TRIANGLES, 0, 1, 0, 0, 0, 0, 0, 11 };
   vgpu_enc_draw_vbo(&s.e, &left);
   vgpu_enc_set_constant_buffer(&s.e, PIPE_SHADER_FRAGMENT, 0, 4, green);
   struct vgpu_draw_info right = { 6, 6, PIPE_PRIM_TRIANGLES, 0, 1, 0, 0, 0, 0, 0, 11 };
   vgpu_enc_draw_vbo(&s.e, &right);
   uint32_t copy[14] = { VGPU_CMD(VGPU_CCMD_RESOURCE_COPY_REGION, 0, 13), STK_RES_TEX, 0, 0, 0, 0,
                         STK_RES_COLOR, 0, 0, 0, 0, 8, 8, 1 };
   vgpu_enc_words(&s.e, copy, 14);
   vgpu_enc_clear(&s.e, PIPE_CLEAR_COLOR0, blue, 1.0, 0);
   ck_assert_int_eq(stack_flush(&s), 0);

   struct st_context *ctx = st_map_get(&((struct st_renderer *)(void *)s.r)->contexts, s.ctx);
   ck_assert_uint_eq(rs_scene_pending(ctx->scene), 0);
   uint8_t *px = stack_read(&s);
   for (int i = 0; i < 64; i++) /* the last clear */
      ck_assert_msg(px[i * 4] == 0 && px[i * 4 + 2] == 255, "pixel %d: %u %u %u", i, px[i * 4], px[i * 4 + 1],
                    px[i * 4 + 2]);
   free(px);
   uint8_t tex[8 * 8 * 4];
   struct tessera_box box = { 0, 0, 0, 8, 8, 1 };
   ck_assert_int_eq(tessera_resource_read(s.r, s.ctx, STK_RES_TEX, 0, &box, 32, 0, tex, sizeof(tex)), 0);
   for (int y = 0; y < 8; y++)
      for (int x = 0; x < 8; x++) { /* the copy saw both draws, each with its own constant */
         const uint8_t *p = tex + (y * 8 + x) * 4;
         ck_assert_msg(p[0] == (x < 4 ? 255 : 0) && p[1] == (x < 4 ? 0 : 255) && p[2] == 0,
                       "texel %d,%d: %u %u %u", x, y, p[0], p[1], p[2]);
      }
   stack_fini(&s);
}
END_TEST

/* BLIT boxes reaching outside the destination are clipped to it before any
 * work: a 16384 x 16384 x 2048 box onto an 8x8 target is cheap, and a box
 * at a negative offset writes only its visible part, sampled as unclipped. */
START_TEST(test_blit_clipping)
{
   struct stack s;
   stack_init(&s, 1, 8, 8);
   ck_assert_int_eq(stack_flush(&s), 0);
   ck_assert_int_eq(stack_resource(&s, STK_RES_TEX, PIPE_TEXTURE_2D, JIT_FORMAT_R8G8B8A8_UNORM, 4, 4, 0), 0);
   uint8_t src[64];
   for (int i = 0; i < 16; i++) { /* red = texel x, green = texel y */
      src[i * 4] = (uint8_t)(i % 4);
      src[i * 4 + 1] = (uint8_t)(i / 4);
      src[i * 4 + 2] = 0;
      src[i * 4 + 3] = 255;
   }
   struct tessera_box b4 = { 0, 0, 0, 4, 4, 1 };
   ck_assert_int_eq(tessera_resource_write(s.r, s.ctx, STK_RES_TEX, 0, &b4, 16, 0, src, sizeof(src)), 0);
   const float white[4] = { 1, 1, 1, 1 };
   vgpu_enc_clear(&s.e, PIPE_CLEAR_COLOR0, white, 1.0, 0);
   ck_assert_int_eq(stack_flush(&s), 0);
   /* the 4x4 source stretched onto an 8x8 box at (-4, -4): the target's (0..3, 0..3) see texels 2..3 */
   uint32_t blit[22] = { VGPU_CMD(VGPU_CCMD_BLIT, 0, 21), 0xf, 0, 0, STK_RES_COLOR, 0, JIT_FORMAT_R8G8B8A8_UNORM,
                         (uint32_t)-4, (uint32_t)-4, 0, 8, 8, 1, STK_RES_TEX, 0, JIT_FORMAT_R8G8B8A8_UNORM, 0, 0, 0,
                         4, 4, 1 };
   ck_assert_int_eq(tessera_submit(s.r, s.ctx, blit, 22), 0);
   uint8_t *px = stack_read(&s);
   for (int y = 0; y < 8; y++)
      for (int x = 0; x < 8; x++) {
         const uint8_t *p = px + (y * 8 + x) * 4;
         ck_assert_uint_eq(p[0], x < 4 && y < 4 ? 2 + x / 2 : 255);
         ck_assert_uint_eq(p[1], x < 4 && y < 4 ? 2 + y / 2 : 255);
      }
   free(px);
   /* an enormous box: clipped to 8x8x1 before the loop, so this returns at once */
   uint32_t huge[22] = { VGPU_CMD(VGPU_CCMD_BLIT, 0, 21), 0xf, 0, 0, STK_RES_COLOR, 0, JIT_FORMAT_R8G8B8A8_UNORM,
                         0, 0, 0, 16384, 16384, 2048, STK_RES_TEX, 0, JIT_FORMAT_R8G8B8A8_UNORM, 0, 0, 0, 4, 4, 1 };
   ck_assert_int_eq(tessera_submit(s.r, s.ctx, huge, 22), 0);
   px = stack_read(&s);
   ck_assert_uint_eq(px[0], 0); /* texel (0, 0) */
   free(px);
   /* a level the destination does not have */
   huge[5] = 3;
   ck_assert_int_eq(tessera_submit(s.r, s.ctx, huge, 22), TESSERA_E_INVALID);
   ck_assert_ptr_nonnull(strstr(tessera_context_error(s.r, s.ctx), "BLIT: level 3"));
   stack_fini(&s);
}
END_TEST

/* Structure-aware fuzzing: packets of a valid corpus (every command the
 * decoder executes), each submitted alone with a payload word or the length
 * mutated; a context that fails is rebuilt by replaying the packets that
 * succeeded, so the state reached keeps growing. Fixed seed. */
static uint32_t fz_state = 12345;
static uint32_t fz_rand(uint32_t n)
{
   fz_state = fz_state * 1103515245u + 12345u;
   return n ? (fz_state >> 8) % n : 0;
}

static uint32_t fz_value(void)
{
   static const uint32_t pool[] = { 0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 255, 4096, 0x7fffffffu, 0x80000000u,
                                    0xffffffffu, STK_RES_COLOR, STK_RES_DEPTH, STK_RES_VB, STK_RES_TEX, 104,
                                    STK_VS, STK_FS, STK_SURF_COLOR, STK_SURF_DEPTH, JIT_FORMAT_R8G8B8A8_UNORM,
                                    JIT_FORMAT_Z24_UNORM_S8_UINT, JIT_FORMAT_R32G32B32A32_FLOAT, 0x3f800000u };
   return fz_rand(4) ? pool[fz_rand(sizeof(pool) / sizeof(pool[0]))] : fz_rand(0xffffffu) * 256u + fz_rand(256);
}

START_TEST(test_fuzz_structured)
{
   struct stack s;
   stack_init(&s, 2, 16, 16);
   struct vgpu_enc setup = s.e; /* the stack's state stream, replayed on every fuzz context */
   vgpu_enc_init(&s.e);
   const uint32_t ctx_res[] = { STK_RES_COLOR, STK_RES_DEPTH, STK_RES_VB, STK_RES_TEX, 104 };
   ck_assert_int_eq(tessera_submit(s.r, s.ctx, setup.words, setup.len), 0);
   ck_assert_int_eq(stack_resource(&s, STK_RES_TEX, PIPE_TEXTURE_2D, JIT_FORMAT_R8G8B8A8_UNORM, 8, 8, 3), 0);
   ck_assert_int_eq(stack_resource(&s, 104, PIPE_BUFFER, JIT_FORMAT_R8_UNORM, 64, 1, 0), 0);
   static uint8_t backing[340];
   ck_assert_int_eq(tessera_resource_attach_backing(s.r, STK_RES_TEX, backing, sizeof(backing)), 0);

   /* the corpus */
   struct vgpu_enc c;
   vgpu_enc_init(&c);
   const char *tex_fs = "FRAG\nDCL IN[0], GENERIC[0], PERSPECTIVE\nDCL OUT[0], COLOR\nDCL SAMP[0]\n"
                        "DCL SVIEW[0], 2D, FLOAT\nTEX OUT[0], IN[0], SAMP[0], 2D\nEND\n";
   vgpu_enc_create_shader(&c, 40, PIPE_SHADER_FRAGMENT, tex_fs);
   vgpu_enc_bind_shader(&c, 40, PIPE_SHADER_FRAGMENT);
   vgpu_enc_bind_shader(&c, STK_FS, PIPE_SHADER_FRAGMENT);
   vgpu_enc_create_sampler_view(&c, 41, STK_RES_TEX, JIT_FORMAT_R8G8B8A8_UNORM, PIPE_TEXTURE_2D, 0, 3);
   struct vgpu_sampler_desc sd = { 0 };
   sd.min_mip_filter = 1;
   sd.max_lod = 8;
   vgpu_enc_create_sampler_state(&c, 42, &sd);
   uint32_t h41 = 41, h42 = 42;
   vgpu_enc_set_sampler_views(&c, PIPE_SHADER_FRAGMENT, 0, 1, &h41);
   vgpu_enc_bind_sampler_states(&c, PIPE_SHADER_FRAGMENT, 0, 1, &h42);
   struct vgpu_blend_desc b = { 0 };
   b.rt[0].blend_enable = 1;
   b.rt[0].rgb_src_factor = b.rt[0].alpha_src_factor = 1; /* ONE */
   b.rt[0].rgb_dst_factor = b.rt[0].alpha_dst_factor = 1;
   b.rt[0].colormask = 0xf;
   vgpu_enc_create_blend(&c, 43, &b);
   vgpu_enc_bind_object(&c, VGPU_OBJECT_BLEND, 43);
   struct vgpu_dsa_desc d = { 0 };
   d.depth.enabled = d.depth.writemask = 1;
   d.depth.func = 1;
   d.stencil[0].enabled = 1;
   d.stencil[0].func = 7;
   d.stencil[0].zpass_op = 2;
   d.stencil[0].valuemask = d.stencil[0].writemask = 0xff;
   vgpu_enc_create_dsa(&c, 44, &d);
   vgpu_enc_bind_object(&c, VGPU_OBJECT_DSA, 44);
   struct vgpu_rasterizer_desc rs = { 0 };
   rs.flatshade = rs.scissor = rs.depth_clip = 1;
   rs.cull_face = 2;
   rs.point_size = 3;
   rs.line_width = 2;
   vgpu_enc_create_rasterizer(&c, 45, &rs);
   vgpu_enc_bind_object(&c, VGPU_OBJECT_RASTERIZER, 45);
   vgpu_enc_bind_object(&c, VGPU_OBJECT_RASTERIZER, STK_RAST);
   vgpu_enc_create_surface(&c, 46, STK_RES_TEX, JIT_FORMAT_R8G8B8A8_UNORM, 1, 0, 0);
   uint32_t cb[2] = { STK_SURF_COLOR, 46 };
   vgpu_enc_set_framebuffer(&c, 2, cb, STK_SURF_DEPTH);
   vgpu_enc_set_framebuffer(&c, 1, cb, STK_SURF_DEPTH);
   vgpu_enc_set_scissor(&c, 2, 2, 12, 12);
   vgpu_enc_set_stencil_ref(&c, 3, 4);
   const float col[4] = { 0.25f, 0.5f, 0.75f, 1 };
   vgpu_enc_set_blend_color(&c, col);
   vgpu_enc_set_constant_buffer(&c, PIPE_SHADER_FRAGMENT, 0, 4, col);
   vgpu_enc_clear(&c, PIPE_CLEAR_COLOR0 | PIPE_CLEAR_DEPTH | PIPE_CLEAR_STENCIL, col, 0.5, 1);
   vgpu_enc_resource_inline_write(&c, STK_RES_VB, 0, 0, 0, 0, 0, 0, 0, sizeof(quad), 1, 1, quad, sizeof(quad));
   const uint8_t idx[8] = { 0, 1, 2, 3, 4, 5, 0, 2 };
   vgpu_enc_resource_inline_write(&c, 104, 0, 0, 0, 0, 0, 0, 0, 8, 1, 1, idx, 8);
   vgpu_enc_set_index_buffer(&c, 104, 1, 0);
   for (uint32_t mode = PIPE_PRIM_POINTS; mode <= PIPE_PRIM_POLYGON; mode++) {
      struct vgpu_draw_info di = { 0, 6, mode, mode & 1, 1, 0, 0, 0, 0, 0, 5 };
      vgpu_enc_draw_vbo(&c, &di);
   }
   vgpu_enc_transfer3d(&c, STK_RES_TEX, 1, 16, 64, 0, 0, 0, 4, 4, 1, 256, VGPU_TRANSFER_TO_HOST);
   vgpu_enc_transfer3d(&c, STK_RES_TEX, 0, 32, 256, 1, 1, 0, 3, 3, 1, 0, VGPU_TRANSFER_FROM_HOST);
   uint32_t blit[22] = { VGPU_CMD(VGPU_CCMD_BLIT, 0, 21), 0xf, 0, 0, STK_RES_COLOR, 0, JIT_FORMAT_R8G8B8A8_UNORM,
                         1, 1, 0, 9, 9, 1, STK_RES_TEX, 0, JIT_FORMAT_R8G8B8A8_UNORM, 0, 0, 0, 8, 8, 1 };
   vgpu_enc_words(&c, blit, 22);
   uint32_t copy[14] = { VGPU_CMD(VGPU_CCMD_RESOURCE_COPY_REGION, 0, 13), STK_RES_TEX, 0, 2, 2, 0, STK_RES_COLOR,
                         0, 3, 3, 0, 4, 4, 1 };
   vgpu_enc_words(&c, copy, 14);
   vgpu_enc_create_sub_ctx(&c, 1);
   vgpu_enc_set_sub_ctx(&c, 1);
   vgpu_enc_set_sub_ctx(&c, 0);
   vgpu_enc_destroy_sub_ctx(&c, 1);
   vgpu_enc_destroy_object(&c, VGPU_OBJECT_SHADER, 40);
   vgpu_enc_destroy_object(&c, VGPU_OBJECT_SURFACE, 46);
   ck_assert(!c.oom);
   size_t starts[256], np = 0;
   for (size_t i = 0; i < c.len && np < 256; i += 1 + VGPU_CMD_LENGTH(c.words[i]))
      starts[np++] = i;

   struct vgpu_enc good, one;
   vgpu_enc_init(&good);
   vgpu_enc_init(&one);
   unsigned ok = 0, failed = 0;
   for (int iter = 0; iter < 150; iter++) {
      uint32_t id = 100 + (uint32_t)iter;
      vgpu_enc_reset(&good);
      int revives = 0;
      ck_assert_int_eq(tessera_context_create(s.r, id, "fuzz"), 0);
      for (size_t k = 0; k < 5; k++)
         tessera_context_attach_resource(s.r, id, ctx_res[k]);
      ck_assert_int_eq(tessera_submit(s.r, id, setup.words, setup.len), 0);
      for (int step = 0; step < 60; step++) {
         size_t at = starts[fz_rand((uint32_t)np)], n = 1 + VGPU_CMD_LENGTH(c.words[at]);
         vgpu_enc_reset(&one);
         vgpu_enc_words(&one, c.words + at, n);
         if (fz_rand(2) && n > 1)
            one.words[1 + fz_rand((uint32_t)n - 1)] = fz_value();
         if (!fz_rand(16))
            one.words[0] = (one.words[0] & 0xffff) | (fz_rand((uint32_t)n + 2) << 16);
         if (!fz_rand(16))
            one.words[fz_rand((uint32_t)n)] ^= 1u << fz_rand(32);
         if (VGPU_CMD_OPCODE(one.words[0]) == VGPU_CCMD_DRAW_VBO && n > 5 &&
             (uint64_t)one.words[2] * (one.words[5] ? one.words[5] : 1) > 100000 &&
             (uint64_t)one.words[2] * (one.words[5] ? one.words[5] : 1) <= ST_MAX_DRAW_VERTICES)
            continue; /* valid but slow draws (up to the per-draw limit) only cost time here */
         if (tessera_submit(s.r, id, one.words, one.len) == 0) {
            ok++;
            vgpu_enc_words(&good, one.words, one.len);
            continue;
         }
         failed++;
         ck_assert_ptr_nonnull(tessera_context_error(s.r, id));
         if (++revives > 8)
            break;
         tessera_context_destroy(s.r, id);
         ck_assert_int_eq(tessera_context_create(s.r, id, "fuzz"), 0);
         for (size_t k = 0; k < 5; k++)
            tessera_context_attach_resource(s.r, id, ctx_res[k]);
         ck_assert_int_eq(tessera_submit(s.r, id, setup.words, setup.len), 0);
         ck_assert_int_eq(tessera_submit(s.r, id, good.words, good.len), 0); /* replay is deterministic */
      }
      tessera_context_destroy(s.r, id);
   }
   ck_assert_uint_gt(ok, 1000);
   ck_assert_uint_gt(failed, 100);
   /* the original context still renders a clear */
   const float green[4] = { 0, 1, 0, 1 };
   vgpu_enc_clear(&s.e, PIPE_CLEAR_COLOR0, green, 1.0, 0);
   ck_assert_int_eq(stack_flush(&s), 0);
   uint8_t *px = stack_read(&s);
   ck_assert_uint_eq(px[1], 255);
   ck_assert_uint_eq(px[0], 0);
   free(px);
   vgpu_enc_free(&one);
   vgpu_enc_free(&good);
   vgpu_enc_free(&c);
   vgpu_enc_free(&setup);
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
   tcase_add_test(tc, test_fuzz_structured);
   tcase_add_test(tc, test_blit_and_copy);
   tcase_add_test(tc, test_blit_clipping);
   tcase_add_test(tc, test_deferred_in_one_submit);
   tcase_add_test(tc, test_shader_packets);
   tcase_add_test(tc, test_shader_packet_errors);
   tcase_add_test(tc, test_empty_payloads);
   tcase_add_test(tc, test_transfer3d);
   tcase_add_test(tc, test_lifetimes_and_variants);
   return check_util_run(s);
}
