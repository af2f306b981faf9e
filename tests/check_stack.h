/* check_stack.h: test glue for whole-stack suites: a renderer, a context
 * with a color (RGBA8) and depth/stencil (Z24S8) target, passthrough shaders
 * and helpers that encode and submit small virgl streams. */
#ifndef CHECK_STACK_H
#define CHECK_STACK_H

#include <stdlib.h>
#include <string.h>

#include "tessera.h"
#include "jit/jit_format.h"
#include "jit/jit_pipe.h"
#include "vgpu/vgpu_encode.h"
#include "vgpu/vgpu_protocol.h"

enum { STK_RES_COLOR = 100, STK_RES_DEPTH, STK_RES_VB, STK_RES_TEX };
enum { STK_SURF_COLOR = 1, STK_SURF_DEPTH, STK_VS, STK_FS, STK_VE, STK_RAST, STK_BLEND, STK_DSA, STK_FIRST_FREE };

struct stack {
   struct tessera_renderer *r;
   uint32_t ctx;
   uint32_t w, h;
   struct vgpu_enc e;
};

/* VS: position (float4) and color (float4) passthrough; FS: color passthrough. */
static const char stk_vs[] = "VERT\nDCL IN[0]\nDCL IN[1]\nDCL OUT[0], POSITION\nDCL OUT[1], GENERIC[0]\n"
                             "MOV OUT[0], IN[0]\nMOV OUT[1], IN[1]\nEND\n";
static const char stk_fs[] = "FRAG\nDCL IN[0], GENERIC[0], PERSPECTIVE\nDCL OUT[0], COLOR\nMOV OUT[0], IN[0]\nEND\n";

static inline int stack_resource(struct stack *s, uint32_t handle, uint32_t target, uint32_t format, uint32_t w,
                                 uint32_t h, uint32_t last_level)
{
   struct tessera_resource_args a = { handle, target, format, 0, w, h, 1, 1, last_level, 0, 0 };
   int ret = tessera_resource_create(s->r, &a);
   return ret ? ret : tessera_context_attach_resource(s->r, s->ctx, handle);
}

/* Renderer + context + targets + default state (no depth test, no blending). */
static inline void stack_init(struct stack *s, unsigned threads, uint32_t w, uint32_t h)
{
   struct tessera_renderer_options o = { threads };
   memset(s, 0, sizeof(*s));
   s->w = w;
   s->h = h;
   s->ctx = 1;
   ck_assert_int_eq(tessera_renderer_create(&o, &s->r), 0);
   ck_assert_int_eq(tessera_context_create(s->r, s->ctx, "test"), 0);
   ck_assert_int_eq(stack_resource(s, STK_RES_COLOR, PIPE_TEXTURE_2D, JIT_FORMAT_R8G8B8A8_UNORM, w, h, 0), 0);
   ck_assert_int_eq(stack_resource(s, STK_RES_DEPTH, PIPE_TEXTURE_2D, JIT_FORMAT_Z24_UNORM_S8_UINT, w, h, 0), 0);
   ck_assert_int_eq(stack_resource(s, STK_RES_VB, PIPE_BUFFER, JIT_FORMAT_R8_UNORM, 1 << 16, 1, 0), 0);
   vgpu_enc_init(&s->e);
   struct vgpu_enc *e = &s->e;
   vgpu_enc_create_surface(e, STK_SURF_COLOR, STK_RES_COLOR, JIT_FORMAT_R8G8B8A8_UNORM, 0, 0, 0);
   vgpu_enc_create_surface(e, STK_SURF_DEPTH, STK_RES_DEPTH, JIT_FORMAT_Z24_UNORM_S8_UINT, 0, 0, 0);
   uint32_t cb = STK_SURF_COLOR;
   vgpu_enc_set_framebuffer(e, 1, &cb, STK_SURF_DEPTH);
   float scale[3] = { w / 2.0f, h / 2.0f, 0.5f }, tr[3] = { w / 2.0f, h / 2.0f, 0.5f };
   vgpu_enc_set_viewport(e, scale, tr);
   vgpu_enc_create_shader(e, STK_VS, PIPE_SHADER_VERTEX, stk_vs);
   vgpu_enc_create_shader(e, STK_FS, PIPE_SHADER_FRAGMENT, stk_fs);
   vgpu_enc_bind_shader(e, STK_VS, PIPE_SHADER_VERTEX);
   vgpu_enc_bind_shader(e, STK_FS, PIPE_SHADER_FRAGMENT);
   struct vgpu_vertex_element ve[2] = { { 0, 0, 0, JIT_FORMAT_R32G32B32A32_FLOAT },
                                        { 16, 0, 0, JIT_FORMAT_R32G32B32A32_FLOAT } };
   vgpu_enc_create_vertex_elements(e, STK_VE, 2, ve);
   vgpu_enc_bind_object(e, VGPU_OBJECT_VERTEX_ELEMENTS, STK_VE);
   struct vgpu_rasterizer_desc rs = { 0 };
   rs.depth_clip = 1;
   rs.half_pixel_center = 1;
   rs.bottom_edge_rule = 0;
   rs.front_ccw = 0; /* CCW front in GL's y-up terms, as Mesa encodes it for an FBO */
   rs.point_size = rs.line_width = 1.0f;
   vgpu_enc_create_rasterizer(e, STK_RAST, &rs);
   vgpu_enc_bind_object(e, VGPU_OBJECT_RASTERIZER, STK_RAST);
   struct vgpu_blend_desc b = { 0 };
   b.rt[0].colormask = 0xf;
   vgpu_enc_create_blend(e, STK_BLEND, &b);
   vgpu_enc_bind_object(e, VGPU_OBJECT_BLEND, STK_BLEND);
   struct vgpu_dsa_desc d = { 0 };
   vgpu_enc_create_dsa(e, STK_DSA, &d);
   vgpu_enc_bind_object(e, VGPU_OBJECT_DSA, STK_DSA);
   struct vgpu_vertex_buffer vb = { 32, 0, STK_RES_VB };
   vgpu_enc_set_vertex_buffers(e, 1, &vb);
}

/* Submit what was encoded since the last flush; returns tessera_submit's result. */
static inline int stack_flush(struct stack *s)
{
   int ret = tessera_submit(s->r, s->ctx, s->e.words, s->e.len);
   vgpu_enc_reset(&s->e);
   return ret;
}

/* Draw vertices (x, y, z, w, r, g, b, a) through the vertex buffer. */
static inline void stack_draw(struct stack *s, unsigned mode, const float *verts, uint32_t n)
{
   vgpu_enc_resource_inline_write(&s->e, STK_RES_VB, 0, 0, 0, 0, 0, 0, 0, n * 32, 1, 1, verts, (size_t)n * 32);
   struct vgpu_draw_info d = { 0, n, mode, 0, 1, 0, 0, 0, 0, 0, n - 1 };
   vgpu_enc_draw_vbo(&s->e, &d);
}

/* Read the color target (RGBA8, bottom row first). Caller frees. */
static inline uint8_t *stack_read(struct stack *s)
{
   uint8_t *px = malloc((size_t)s->w * s->h * 4);
   struct tessera_box box = { 0, 0, 0, s->w, s->h, 1 };
   ck_assert_int_eq(tessera_resource_read(s->r, s->ctx, STK_RES_COLOR, 0, &box, s->w * 4, 0, px,
                                          (size_t)s->w * s->h * 4), 0);
   return px;
}

static inline void stack_fini(struct stack *s)
{
   vgpu_enc_free(&s->e);
   tessera_renderer_destroy(s->r);
}

#endif
