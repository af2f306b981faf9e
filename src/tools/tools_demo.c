/* tools_demo.c: the built-in demo: a virgl command stream built in code (two
 * intersecting lit, textured, depth-tested cubes under a blended overlay)
 * that goes through the whole stack exactly as a client's stream would, and
 * the `tessera demo` subcommand that writes it as a PNG. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tessera.h"
#include "jit/jit_format.h"
#include "jit/jit_llvm.h"
#include "jit/jit_pipe.h"
#include "tools/tools_demo.h"
#include "tools/tools_png.h"
#include "vgpu/vgpu_encode.h"
#include "vgpu/vgpu_protocol.h"

#define DEMO_CTX 1
#define DEMO_TEX_SIZE 128

/* Resource handles (renderer-wide) and object handles (context-wide). */
enum {
   RES_COLOR = 1,
   RES_DEPTH,
   RES_TEXTURE,
   RES_CUBE_VB,
   RES_CUBE_IB,
   RES_OVERLAY_VB,
};

enum {
   OBJ_SURF_COLOR = 1,
   OBJ_SURF_DEPTH,
   OBJ_BLEND_OPAQUE,
   OBJ_BLEND_ALPHA,
   OBJ_DSA_DEPTH,
   OBJ_DSA_OVERLAY,
   OBJ_RAST,
   OBJ_VS_LIT,
   OBJ_FS_LIT,
   OBJ_VS_OVERLAY,
   OBJ_FS_OVERLAY,
   OBJ_VE_CUBE,
   OBJ_VE_OVERLAY,
   OBJ_SVIEW,
   OBJ_SAMPLER,
};

/* Vertex shader of the lit cubes: CONST[0..3] = model-view-projection
 * columns, CONST[4..6] = model rotation columns (for normals). */
static const char demo_vs_lit[] =
   "VERT\n"
   "DCL IN[0]\n"
   "DCL IN[1]\n"
   "DCL IN[2]\n"
   "DCL OUT[0], POSITION\n"
   "DCL OUT[1], GENERIC[0]\n"
   "DCL OUT[2], GENERIC[1]\n"
   "DCL CONST[0][0..6]\n"
   "DCL TEMP[0..1]\n"
   "  0: MUL TEMP[0], CONST[0][0], IN[0].xxxx\n"
   "  1: MAD TEMP[0], CONST[0][1], IN[0].yyyy, TEMP[0]\n"
   "  2: MAD TEMP[0], CONST[0][2], IN[0].zzzz, TEMP[0]\n"
   "  3: ADD OUT[0], CONST[0][3], TEMP[0]\n"
   "  4: MUL TEMP[1], CONST[0][4], IN[1].xxxx\n"
   "  5: MAD TEMP[1], CONST[0][5], IN[1].yyyy, TEMP[1]\n"
   "  6: MAD OUT[1], CONST[0][6], IN[1].zzzz, TEMP[1]\n"
   "  7: MOV OUT[2], IN[2]\n"
   "  8: END\n";

/* Fragment shader of the lit cubes: per-pixel diffuse + specular lighting of
 * a mipmapped texture. CONST[0] = light direction, CONST[1] = (diffuse,
 * ambient, specular, shininess), CONST[2] = half vector. */
static const char demo_fs_lit[] =
   "FRAG\n"
   "DCL IN[0], GENERIC[0], PERSPECTIVE\n"
   "DCL IN[1], GENERIC[1], PERSPECTIVE\n"
   "DCL OUT[0], COLOR\n"
   "DCL SAMP[0]\n"
   "DCL SVIEW[0], 2D, FLOAT\n"
   "DCL CONST[0][0..2]\n"
   "DCL TEMP[0..3]\n"
   "IMM[0] FLT32 {    0.0000,     1.0000,     0.0000,     0.0000}\n"
   "  0: DP3 TEMP[0].x, IN[0], IN[0]\n"
   "  1: RSQ TEMP[0].x, TEMP[0].xxxx\n"
   "  2: MUL TEMP[0].xyz, IN[0], TEMP[0].xxxx\n"
   "  3: DP3 TEMP[1].x, TEMP[0], CONST[0][0]\n"
   "  4: MAX TEMP[1].x, TEMP[1].xxxx, IMM[0].xxxx\n"
   "  5: MAD TEMP[1].x, TEMP[1].xxxx, CONST[0][1].xxxx, CONST[0][1].yyyy\n"
   "  6: DP3 TEMP[2].x, TEMP[0], CONST[0][2]\n"
   "  7: MAX TEMP[2].x, TEMP[2].xxxx, IMM[0].xxxx\n"
   "  8: POW TEMP[2].x, TEMP[2].xxxx, CONST[0][1].wwww\n"
   "  9: MUL TEMP[2].x, TEMP[2].xxxx, CONST[0][1].zzzz\n"
   " 10: TEX TEMP[3], IN[1], SAMP[0], 2D\n"
   " 11: MAD OUT[0].xyz, TEMP[3], TEMP[1].xxxx, TEMP[2].xxxx\n"
   " 12: MOV OUT[0].w, IMM[0].yyyy\n"
   " 13: END\n";

static const char demo_vs_overlay[] =
   "VERT\n"
   "DCL IN[0]\n"
   "DCL IN[1]\n"
   "DCL OUT[0], POSITION\n"
   "DCL OUT[1], COLOR\n"
   "  0: MOV OUT[0], IN[0]\n"
   "  1: MOV OUT[1], IN[1]\n"
   "  2: END\n";

static const char demo_fs_overlay[] =
   "FRAG\n"
   "DCL IN[0], COLOR, COLOR\n"
   "DCL OUT[0], COLOR\n"
   "  0: MOV OUT[0], IN[0]\n"
   "  1: END\n";

/* ---- small math ---------------------------------------------------------- */

typedef float demo_mat4[16]; /* column-major, as the shader consumes columns */

static void demo_mat_mul(const float *a, const float *b, float *out)
{
   float r[16];
   for (int c = 0; c < 4; c++)
      for (int row = 0; row < 4; row++) {
         float s = 0.0f;
         for (int k = 0; k < 4; k++)
            s += a[k * 4 + row] * b[c * 4 + k];
         r[c * 4 + row] = s;
      }
   memcpy(out, r, sizeof(r));
}

static void demo_mat_rotation(float ax, float ay, float *out)
{
   float cx = cosf(ax), sx = sinf(ax), cy = cosf(ay), sy = sinf(ay);
   const float rx[16] = { 1, 0, 0, 0, 0, cx, sx, 0, 0, -sx, cx, 0, 0, 0, 0, 1 };
   const float ry[16] = { cy, 0, -sy, 0, 0, 1, 0, 0, sy, 0, cy, 0, 0, 0, 0, 1 };
   demo_mat_mul(rx, ry, out);
}

static void demo_mat_translate_scale(float tx, float ty, float tz, float s, float *out)
{
   const float m[16] = { s, 0, 0, 0, 0, s, 0, 0, 0, 0, s, 0, tx, ty, tz, 1 };
   memcpy(out, m, sizeof(m));
}

static void demo_mat_perspective(float fovy, float aspect, float znear, float zfar, float *out)
{
   float f = 1.0f / tanf(fovy * 0.5f);
   const float m[16] = { f / aspect, 0, 0, 0, 0, f, 0, 0, 0, 0, (zfar + znear) / (znear - zfar), -1,
                         0, 0, 2.0f * zfar * znear / (znear - zfar), 0 };
   memcpy(out, m, sizeof(m));
}

static void demo_normalize(float *v)
{
   float l = sqrtf(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
   for (int i = 0; i < 3; i++)
      v[i] /= l;
}

/* ---- scene content ---------------------------------------------------------- */

/* 24 vertices: position (3), normal (3), texcoord (2). */
static void demo_cube_vertices(float *v)
{
   static const float n[6][3] = { { 1, 0, 0 }, { -1, 0, 0 }, { 0, 1, 0 }, { 0, -1, 0 }, { 0, 0, 1 }, { 0, 0, -1 } };
   for (int f = 0; f < 6; f++) {
      /* u: any axis perpendicular to n; w = n x u. Then u x w = n, so the
       * corners below wind counter-clockwise seen from outside the cube. */
      float u[3] = { 0, 0, 0 }, w[3];
      u[n[f][0] != 0 ? 1 : 0] = 1.0f;
      w[0] = n[f][1] * u[2] - n[f][2] * u[1];
      w[1] = n[f][2] * u[0] - n[f][0] * u[2];
      w[2] = n[f][0] * u[1] - n[f][1] * u[0];
      static const float corner[4][2] = { { -1, -1 }, { 1, -1 }, { 1, 1 }, { -1, 1 } };
      for (int c = 0; c < 4; c++) {
         float *o = v + (f * 4 + c) * 8;
         for (int i = 0; i < 3; i++) {
            o[i] = n[f][i] + corner[c][0] * u[i] + corner[c][1] * w[i];
            o[3 + i] = n[f][i];
         }
         o[6] = (corner[c][0] + 1.0f);     /* texcoords 0..2: the texture repeats twice */
         o[7] = (corner[c][1] + 1.0f);
      }
   }
}

static void demo_cube_indices(uint16_t *idx)
{
   for (int f = 0; f < 6; f++) {
      uint16_t b = (uint16_t)(f * 4);
      uint16_t *o = idx + f * 6;
      o[0] = b; o[1] = b + 1; o[2] = b + 2;
      o[3] = b; o[4] = b + 2; o[5] = b + 3;
   }
}

/* RGBA8 texture level: a two-tone checkerboard with a colored border, and
 * its box-filtered mip chain. Returns the total size of all levels. */
static size_t demo_texture(uint8_t *tex, uint32_t size, uint32_t *nlevels)
{
   size_t off = 0;
   uint32_t levels = 0;
   for (uint32_t s = size; s >= 1; s >>= 1, levels++) {
      uint8_t *lvl = tex + off;
      if (s == size) {
         for (uint32_t y = 0; y < s; y++)
            for (uint32_t x = 0; x < s; x++) {
               uint8_t *p = lvl + (y * s + x) * 4;
               int check = ((x / 16) ^ (y / 16)) & 1;
               int border = x < 4 || y < 4 || x >= s - 4 || y >= s - 4;
               p[0] = border ? 250 : check ? 235 : 40;
               p[1] = border ? 180 : check ? 225 : 90;
               p[2] = border ? 40 : check ? 210 : 170;
               p[3] = 255;
            }
      } else {
         const uint8_t *prev = tex + off - (size_t)(s * 2) * (s * 2) * 4;
         for (uint32_t y = 0; y < s; y++)
            for (uint32_t x = 0; x < s; x++)
               for (int c = 0; c < 4; c++) {
                  unsigned sum = prev[((2 * y) * (2 * s) + 2 * x) * 4 + c] +
                                 prev[((2 * y) * (2 * s) + 2 * x + 1) * 4 + c] +
                                 prev[((2 * y + 1) * (2 * s) + 2 * x) * 4 + c] +
                                 prev[((2 * y + 1) * (2 * s) + 2 * x + 1) * 4 + c];
                  lvl[(y * s + x) * 4 + c] = (uint8_t)((sum + 2) / 4);
               }
      }
      off += (size_t)s * s * 4;
   }
   *nlevels = levels;
   return off;
}

/* ---- stream ------------------------------------------------------------------ */

static int demo_resource(struct tessera_renderer *r, uint32_t handle, uint32_t target, uint32_t format,
                         uint32_t bind, uint32_t w, uint32_t h, uint32_t last_level, char *err, size_t err_size)
{
   struct tessera_resource_args a = {
      .handle = handle, .target = target, .format = format, .bind = bind,
      .width = w, .height = h, .depth = 1, .array_size = 1, .last_level = last_level, .nr_samples = 0,
   };
   int ret = tessera_resource_create(r, &a);
   if (ret == 0)
      ret = tessera_context_attach_resource(r, DEMO_CTX, handle);
   if (ret != 0)
      snprintf(err, err_size, "demo: creating resource %u failed (%d)", handle, ret);
   return ret;
}

/* Encode one cube draw with model transform model and the shared view-projection vp. */
static void demo_encode_cube(struct vgpu_enc *e, const float *vp, const float *model, const float *rot)
{
   float mvp[16], vs_consts[28];
   demo_mat_mul(vp, model, mvp);
   memcpy(vs_consts, mvp, sizeof(mvp));
   for (int c = 0; c < 3; c++)
      for (int i = 0; i < 4; i++)
         vs_consts[16 + c * 4 + i] = i < 3 ? rot[c * 4 + i] : 0.0f;
   vgpu_enc_set_constant_buffer(e, PIPE_SHADER_VERTEX, 0, 28, vs_consts);
   struct vgpu_draw_info d = {
      .start = 0, .count = 36, .mode = PIPE_PRIM_TRIANGLES, .indexed = 1, .instance_count = 1,
      .min_index = 0, .max_index = 23,
   };
   vgpu_enc_draw_vbo(e, &d);
}

static int demo_build(struct vgpu_enc *e, uint32_t width, uint32_t height)
{
   /* surfaces and framebuffer */
   vgpu_enc_create_surface(e, OBJ_SURF_COLOR, RES_COLOR, JIT_FORMAT_R8G8B8A8_UNORM, 0, 0, 0);
   vgpu_enc_create_surface(e, OBJ_SURF_DEPTH, RES_DEPTH, JIT_FORMAT_Z24_UNORM_S8_UINT, 0, 0, 0);
   uint32_t cbuf = OBJ_SURF_COLOR;
   vgpu_enc_set_framebuffer(e, 1, &cbuf, OBJ_SURF_DEPTH);
   float scale[3] = { width * 0.5f, height * 0.5f, 0.5f };
   float translate[3] = { width * 0.5f, height * 0.5f, 0.5f };
   vgpu_enc_set_viewport(e, scale, translate);

   /* state objects */
   struct vgpu_blend_desc opaque = { 0 };
   opaque.rt[0].colormask = PIPE_MASK_RGBA;
   vgpu_enc_create_blend(e, OBJ_BLEND_OPAQUE, &opaque);
   struct vgpu_blend_desc alpha = { 0 };
   alpha.rt[0].blend_enable = 1;
   alpha.rt[0].rgb_func = PIPE_BLEND_ADD;
   alpha.rt[0].rgb_src_factor = PIPE_BLENDFACTOR_SRC_ALPHA;
   alpha.rt[0].rgb_dst_factor = PIPE_BLENDFACTOR_INV_SRC_ALPHA;
   alpha.rt[0].alpha_func = PIPE_BLEND_ADD;
   alpha.rt[0].alpha_src_factor = PIPE_BLENDFACTOR_ONE;
   alpha.rt[0].alpha_dst_factor = PIPE_BLENDFACTOR_INV_SRC_ALPHA;
   alpha.rt[0].colormask = PIPE_MASK_RGBA;
   vgpu_enc_create_blend(e, OBJ_BLEND_ALPHA, &alpha);

   struct vgpu_dsa_desc depth = { 0 };
   depth.depth.enabled = 1;
   depth.depth.writemask = 1;
   depth.depth.func = PIPE_FUNC_LESS;
   vgpu_enc_create_dsa(e, OBJ_DSA_DEPTH, &depth);
   struct vgpu_dsa_desc overlay_dsa = { 0 };
   vgpu_enc_create_dsa(e, OBJ_DSA_OVERLAY, &overlay_dsa);

   struct vgpu_rasterizer_desc rast = { 0 };
   rast.depth_clip = 1;
   rast.cull_face = PIPE_FACE_BACK;
   rast.front_ccw = 0; /* CCW front in GL's y-up terms, as Mesa encodes it for an FBO */
   rast.half_pixel_center = 1;
   rast.bottom_edge_rule = 0;
   rast.point_size = 1.0f;
   rast.line_width = 1.0f;
   vgpu_enc_create_rasterizer(e, OBJ_RAST, &rast);

   vgpu_enc_create_shader(e, OBJ_VS_LIT, PIPE_SHADER_VERTEX, demo_vs_lit);
   vgpu_enc_create_shader(e, OBJ_FS_LIT, PIPE_SHADER_FRAGMENT, demo_fs_lit);
   vgpu_enc_create_shader(e, OBJ_VS_OVERLAY, PIPE_SHADER_VERTEX, demo_vs_overlay);
   vgpu_enc_create_shader(e, OBJ_FS_OVERLAY, PIPE_SHADER_FRAGMENT, demo_fs_overlay);

   struct vgpu_vertex_element cube_ve[3] = {
      { .src_offset = 0, .vertex_buffer_index = 0, .src_format = JIT_FORMAT_R32G32B32_FLOAT },
      { .src_offset = 12, .vertex_buffer_index = 0, .src_format = JIT_FORMAT_R32G32B32_FLOAT },
      { .src_offset = 24, .vertex_buffer_index = 0, .src_format = JIT_FORMAT_R32G32_FLOAT },
   };
   vgpu_enc_create_vertex_elements(e, OBJ_VE_CUBE, 3, cube_ve);
   struct vgpu_vertex_element overlay_ve[2] = {
      { .src_offset = 0, .vertex_buffer_index = 0, .src_format = JIT_FORMAT_R32G32_FLOAT },
      { .src_offset = 8, .vertex_buffer_index = 0, .src_format = JIT_FORMAT_R8G8B8A8_UNORM },
   };
   vgpu_enc_create_vertex_elements(e, OBJ_VE_OVERLAY, 2, overlay_ve);

   vgpu_enc_create_sampler_view(e, OBJ_SVIEW, RES_TEXTURE, JIT_FORMAT_R8G8B8A8_UNORM, PIPE_TEXTURE_2D, 0, 7);
   struct vgpu_sampler_desc samp = { 0 };
   samp.wrap_s = PIPE_TEX_WRAP_REPEAT;
   samp.wrap_t = PIPE_TEX_WRAP_REPEAT;
   samp.wrap_r = PIPE_TEX_WRAP_REPEAT;
   samp.min_img_filter = PIPE_TEX_FILTER_LINEAR;
   samp.mag_img_filter = PIPE_TEX_FILTER_LINEAR;
   samp.min_mip_filter = PIPE_TEX_MIPFILTER_LINEAR;
   samp.max_lod = 16.0f;
   vgpu_enc_create_sampler_state(e, OBJ_SAMPLER, &samp);

   /* clear */
   const float clear_color[4] = { 0.08f, 0.10f, 0.16f, 1.0f };
   vgpu_enc_clear(e, PIPE_CLEAR_COLOR0 | PIPE_CLEAR_DEPTH | PIPE_CLEAR_STENCIL, clear_color, 1.0, 0);

   /* lit cubes */
   vgpu_enc_bind_object(e, VGPU_OBJECT_BLEND, OBJ_BLEND_OPAQUE);
   vgpu_enc_bind_object(e, VGPU_OBJECT_DSA, OBJ_DSA_DEPTH);
   vgpu_enc_bind_object(e, VGPU_OBJECT_RASTERIZER, OBJ_RAST);
   vgpu_enc_bind_shader(e, OBJ_VS_LIT, PIPE_SHADER_VERTEX);
   vgpu_enc_bind_shader(e, OBJ_FS_LIT, PIPE_SHADER_FRAGMENT);
   vgpu_enc_bind_object(e, VGPU_OBJECT_VERTEX_ELEMENTS, OBJ_VE_CUBE);
   struct vgpu_vertex_buffer vb = { .stride = 32, .offset = 0, .handle = RES_CUBE_VB };
   vgpu_enc_set_vertex_buffers(e, 1, &vb);
   vgpu_enc_set_index_buffer(e, RES_CUBE_IB, 2, 0);
   uint32_t sview = OBJ_SVIEW, sampler = OBJ_SAMPLER;
   vgpu_enc_set_sampler_views(e, PIPE_SHADER_FRAGMENT, 0, 1, &sview);
   vgpu_enc_bind_sampler_states(e, PIPE_SHADER_FRAGMENT, 0, 1, &sampler);

   float light[3] = { -0.4f, 0.7f, 0.6f }, half[3];
   demo_normalize(light);
   half[0] = light[0]; half[1] = light[1]; half[2] = light[2] + 1.0f;
   demo_normalize(half);
   const float fs_consts[12] = { light[0], light[1], light[2], 0.0f,
                                 0.85f, 0.22f, 0.55f, 24.0f,
                                 half[0], half[1], half[2], 0.0f };
   vgpu_enc_set_constant_buffer(e, PIPE_SHADER_FRAGMENT, 0, 12, fs_consts);

   float proj[16], view[16], vp[16], rot[16], place[16], model[16];
   demo_mat_perspective(0.9f, (float)width / (float)height, 0.5f, 20.0f, proj);
   demo_mat_translate_scale(0.0f, 0.0f, -5.0f, 1.0f, view);
   demo_mat_mul(proj, view, vp);

   demo_mat_rotation(0.55f, 0.75f, rot);
   demo_mat_translate_scale(-0.45f, 0.05f, 0.0f, 1.0f, place);
   demo_mat_mul(place, rot, model);
   demo_encode_cube(e, vp, model, rot);

   demo_mat_rotation(-0.35f, 2.1f, rot);
   demo_mat_translate_scale(0.75f, -0.25f, -0.6f, 0.8f, place);
   demo_mat_mul(place, rot, model);
   demo_encode_cube(e, vp, model, rot);

   /* blended overlay: a translucent band across the lower part of the image */
   vgpu_enc_bind_object(e, VGPU_OBJECT_BLEND, OBJ_BLEND_ALPHA);
   vgpu_enc_bind_object(e, VGPU_OBJECT_DSA, OBJ_DSA_OVERLAY);
   vgpu_enc_bind_shader(e, OBJ_VS_OVERLAY, PIPE_SHADER_VERTEX);
   vgpu_enc_bind_shader(e, OBJ_FS_OVERLAY, PIPE_SHADER_FRAGMENT);
   vgpu_enc_bind_object(e, VGPU_OBJECT_VERTEX_ELEMENTS, OBJ_VE_OVERLAY);
   struct vgpu_vertex_buffer ovb = { .stride = 12, .offset = 0, .handle = RES_OVERLAY_VB };
   vgpu_enc_set_vertex_buffers(e, 1, &ovb);
   struct vgpu_draw_info d = { .start = 0, .count = 4, .mode = PIPE_PRIM_TRIANGLE_STRIP, .instance_count = 1,
                               .max_index = 3 };
   vgpu_enc_draw_vbo(e, &d);
   return e->oom ? -1 : 0;
}

/* Overlay band: x, y in clip space + RGBA8 color, as a 4-vertex strip. */
struct demo_overlay_vertex {
   float x, y;
   uint8_t rgba[4];
};

int tools_demo_render(struct tessera_renderer *r, uint32_t width, uint32_t height, uint8_t **rgba,
                      char *err, size_t err_size)
{
   struct vgpu_enc enc;
   uint8_t *tex = NULL, *pixels = NULL;
   int ret = -1;

   vgpu_enc_init(&enc);
   if (tessera_context_create(r, DEMO_CTX, "demo") != 0) {
      snprintf(err, err_size, "demo: cannot create a context");
      goto out_enc;
   }

   /* resources */
   uint32_t tex_levels = 0;
   tex = malloc((size_t)DEMO_TEX_SIZE * DEMO_TEX_SIZE * 4 * 2);
   pixels = malloc((size_t)width * height * 4);
   if (!tex || !pixels) {
      snprintf(err, err_size, "demo: out of memory");
      goto out_ctx;
   }
   demo_texture(tex, DEMO_TEX_SIZE, &tex_levels);

   float cube_vb[24 * 8];
   uint16_t cube_ib[36];
   demo_cube_vertices(cube_vb);
   demo_cube_indices(cube_ib);
   const struct demo_overlay_vertex overlay[4] = {
      { -0.9f, -0.85f, { 255, 120, 40, 200 } },
      { 0.9f, -0.85f, { 255, 200, 40, 90 } },
      { -0.9f, -0.45f, { 40, 160, 255, 160 } },
      { 0.9f, -0.45f, { 160, 60, 255, 40 } },
   };

   if (demo_resource(r, RES_COLOR, PIPE_TEXTURE_2D, JIT_FORMAT_R8G8B8A8_UNORM,
                     VGPU_BIND_RENDER_TARGET | VGPU_BIND_SAMPLER_VIEW, width, height, 0, err, err_size) ||
       demo_resource(r, RES_DEPTH, PIPE_TEXTURE_2D, JIT_FORMAT_Z24_UNORM_S8_UINT, VGPU_BIND_DEPTH_STENCIL,
                     width, height, 0, err, err_size) ||
       demo_resource(r, RES_TEXTURE, PIPE_TEXTURE_2D, JIT_FORMAT_R8G8B8A8_UNORM, VGPU_BIND_SAMPLER_VIEW,
                     DEMO_TEX_SIZE, DEMO_TEX_SIZE, tex_levels - 1, err, err_size) ||
       demo_resource(r, RES_CUBE_VB, PIPE_BUFFER, JIT_FORMAT_R8_UNORM, VGPU_BIND_VERTEX_BUFFER,
                     sizeof(cube_vb), 1, 0, err, err_size) ||
       demo_resource(r, RES_CUBE_IB, PIPE_BUFFER, JIT_FORMAT_R8_UNORM, VGPU_BIND_INDEX_BUFFER,
                     sizeof(cube_ib), 1, 0, err, err_size) ||
       demo_resource(r, RES_OVERLAY_VB, PIPE_BUFFER, JIT_FORMAT_R8_UNORM, VGPU_BIND_VERTEX_BUFFER,
                     sizeof(overlay), 1, 0, err, err_size))
      goto out_ctx;

   /* uploads go through the stream as RESOURCE_INLINE_WRITE, as a client's would */
   size_t off = 0;
   for (uint32_t l = 0, s = DEMO_TEX_SIZE; l < tex_levels; l++, s >>= 1) {
      vgpu_enc_resource_inline_write(&enc, RES_TEXTURE, l, 0, s * 4, 0, 0, 0, 0, s, s, 1, tex + off,
                                     (size_t)s * s * 4);
      off += (size_t)s * s * 4;
   }
   vgpu_enc_resource_inline_write(&enc, RES_CUBE_VB, 0, 0, 0, 0, 0, 0, 0, sizeof(cube_vb), 1, 1, cube_vb,
                                  sizeof(cube_vb));
   vgpu_enc_resource_inline_write(&enc, RES_CUBE_IB, 0, 0, 0, 0, 0, 0, 0, sizeof(cube_ib), 1, 1, cube_ib,
                                  sizeof(cube_ib));
   vgpu_enc_resource_inline_write(&enc, RES_OVERLAY_VB, 0, 0, 0, 0, 0, 0, 0, sizeof(overlay), 1, 1, overlay,
                                  sizeof(overlay));
   if (demo_build(&enc, width, height) != 0) {
      snprintf(err, err_size, "demo: out of memory while encoding");
      goto out_ctx;
   }
   if (tessera_submit(r, DEMO_CTX, enc.words, enc.len) != 0 || tessera_wait(r, DEMO_CTX) != 0) {
      const char *why = tessera_context_error(r, DEMO_CTX);
      snprintf(err, err_size, "demo: the stream was refused: %s", why ? why : "unknown error");
      goto out_ctx;
   }
   struct tessera_box box = { 0, 0, 0, width, height, 1 };
   if (tessera_resource_read(r, DEMO_CTX, RES_COLOR, 0, &box, width * 4, 0, pixels,
                             (size_t)width * height * 4) != 0) {
      snprintf(err, err_size, "demo: reading the image back failed");
      goto out_ctx;
   }
   *rgba = pixels;
   pixels = NULL;
   ret = 0;

out_ctx:
   tessera_context_destroy(r, DEMO_CTX);
   for (uint32_t h = RES_COLOR; h <= RES_OVERLAY_VB; h++)
      tessera_resource_unref(r, h);
   free(tex);
   free(pixels);
out_enc:
   vgpu_enc_free(&enc);
   return ret;
}

static void demo_usage(FILE *f)
{
   fprintf(f, "Usage: tessera demo [-o FILE.png] [--threads N] [--size WxH]\n"
              "Render the built-in demo scene (two lit, textured, depth-tested cubes under a\n"
              "blended overlay, sent as a virgl command stream) and write it as a PNG.\n"
              "  -o FILE.png     output file (default demo.png)\n"
              "  --threads N     rasterizer threads (default: one per online core)\n"
              "  --size WxH      image size (default 800x600, at most 16384x16384)\n"
              "  --frames N      render the scene N times (default 1) and report the first frame and the\n"
              "                  median of the others: a new context each time, shader code from the JIT cache\n"
              "  --stats         print the JIT code cache counters at the end\n");
}

static int demo_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
   char *end;
   errno = 0;
   unsigned long v = strtoul(s, &end, 10);
   if (errno || end == s || *end || v > max)
      return -1;
   *out = v;
   return 0;
}

static int demo_cmp_double(const void *a, const void *b)
{
   double x = *(const double *)a, y = *(const double *)b;
   return x < y ? -1 : x > y;
}

int tools_demo_main(int argc, char **argv)
{
   const char *out = "demo.png";
   unsigned long threads = 0, width = 800, height = 600, frames = 1;
   int stats = 0;
   char err[512];

   for (int i = 1; i < argc; i++) {
      const char *a = argv[i];
      if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
         demo_usage(stdout);
         return 0;
      } else if (!strcmp(a, "-o") && i + 1 < argc) {
         out = argv[++i];
      } else if (!strcmp(a, "--threads") && i + 1 < argc) {
         if (demo_parse_uint(argv[++i], 256, &threads) || threads == 0) {
            fprintf(stderr, "tessera demo: --threads takes a number from 1 to 256\n");
            return 2;
         }
      } else if (!strcmp(a, "--frames") && i + 1 < argc) {
         if (demo_parse_uint(argv[++i], 100000, &frames) || frames == 0) {
            fprintf(stderr, "tessera demo: --frames takes a number from 1 to 100000\n");
            return 2;
         }
      } else if (!strcmp(a, "--stats")) {
         stats = 1;
      } else if (!strcmp(a, "--size") && i + 1 < argc) {
         char buf[64], *x;
         snprintf(buf, sizeof(buf), "%s", argv[++i]);
         x = strchr(buf, 'x');
         if (!x || (*x = 0, demo_parse_uint(buf, 16384, &width)) || demo_parse_uint(x + 1, 16384, &height) ||
             width == 0 || height == 0) {
            fprintf(stderr, "tessera demo: --size takes WxH, each from 1 to 16384\n");
            return 2;
         }
      } else {
         fprintf(stderr, "tessera demo: unknown or incomplete option '%s'\n", a);
         demo_usage(stderr);
         return 2;
      }
   }

   struct tessera_renderer_options opts = { .threads = (unsigned)threads };
   struct tessera_renderer *r;
   if (tessera_renderer_create(&opts, &r) != 0) {
      fprintf(stderr, "tessera demo: cannot create the renderer\n");
      return 1;
   }
   jit_cache_start(); /* LLVM set-up is start-up work, not part of the first frame */
   uint8_t *rgba = NULL;
   double *ms = calloc(frames, sizeof(*ms));
   int ret = ms ? 0 : -1;
   if (!ms)
      snprintf(err, sizeof(err), "demo: out of memory");
   for (unsigned long f = 0; f < frames && ret == 0; f++) {
      struct timespec t0, t1;
      free(rgba);
      rgba = NULL;
      clock_gettime(CLOCK_MONOTONIC, &t0);
      ret = tools_demo_render(r, (uint32_t)width, (uint32_t)height, &rgba, err, sizeof(err));
      clock_gettime(CLOCK_MONOTONIC, &t1);
      ms[f] = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
   }
   unsigned nthreads = tessera_renderer_threads(r);
   tessera_renderer_destroy(r);
   if (ret != 0) {
      fprintf(stderr, "tessera %s\n", err);
      free(rgba);
      free(ms);
      return 1;
   }
   ret = tools_png_write_rgba8(out, rgba, (uint32_t)width, (uint32_t)height, (uint32_t)width * 4, 1, err,
                               sizeof(err));
   free(rgba);
   if (ret != 0) {
      fprintf(stderr, "tessera demo: %s\n", err);
      return 1;
   }
   if (frames == 1) {
      printf("wrote %s (%lux%lu, %u threads, rendered in %.1f ms)\n", out, width, height, nthreads, ms[0]);
   } else {
      qsort(ms + 1, frames - 1, sizeof(*ms), demo_cmp_double);
      printf("wrote %s (%lux%lu, %u threads, %lu frames: first %.1f ms, median of the others %.1f ms)\n", out,
             width, height, nthreads, frames, ms[0], ms[1 + (frames - 1) / 2]);
   }
   free(ms);
   if (stats)
      jit_cache_stats_print(stdout);
   return 0;
}
