/* vgpu_encode.c: the virgl command encoder (see vgpu_encode.h): one function
 * per command, laid out exactly as the decoder (vgpu_decode.c) reads it. */
#include <stdlib.h>
#include <string.h>

#include "jit/jit_pipe.h"
#include "vgpu/vgpu_encode.h"
#include "vgpu/vgpu_protocol.h"

void vgpu_enc_init(struct vgpu_enc *e)
{
   memset(e, 0, sizeof(*e));
}

void vgpu_enc_free(struct vgpu_enc *e)
{
   free(e->words);
   memset(e, 0, sizeof(*e));
}

void vgpu_enc_reset(struct vgpu_enc *e)
{
   e->len = 0;
   e->oom = 0;
}

static int enc_reserve(struct vgpu_enc *e, size_t n)
{
   if (e->oom)
      return -1;
   if (e->len + n <= e->cap)
      return 0;
   size_t cap = e->cap ? e->cap : 1024;
   while (cap < e->len + n)
      cap *= 2;
   uint32_t *w = realloc(e->words, cap * sizeof(*w));
   if (!w) {
      e->oom = 1;
      return -1;
   }
   e->words = w;
   e->cap = cap;
   return 0;
}

void vgpu_enc_word(struct vgpu_enc *e, uint32_t w)
{
   if (enc_reserve(e, 1) == 0)
      e->words[e->len++] = w;
}

void vgpu_enc_words(struct vgpu_enc *e, const uint32_t *w, size_t n)
{
   if (enc_reserve(e, n) == 0) {
      memcpy(e->words + e->len, w, n * sizeof(*w));
      e->len += n;
   }
}

static uint32_t fw(float f)
{
   uint32_t u;
   memcpy(&u, &f, 4);
   return u;
}

static void hdr(struct vgpu_enc *e, uint32_t cmd, uint32_t obj, uint32_t len)
{
   vgpu_enc_word(e, VGPU_CMD(cmd, obj, len));
}

void vgpu_enc_create_blend(struct vgpu_enc *e, uint32_t handle, const struct vgpu_blend_desc *b)
{
   hdr(e, VGPU_CCMD_CREATE_OBJECT, VGPU_OBJECT_BLEND, VGPU_BLEND_SIZE);
   vgpu_enc_word(e, handle);
   vgpu_enc_word(e, (b->independent_blend_enable & 1u) | (b->logicop_enable & 1u) << 1 | (b->dither & 1u) << 2 |
                       (b->alpha_to_coverage & 1u) << 3 | (b->alpha_to_one & 1u) << 4);
   vgpu_enc_word(e, b->logicop_func & 0xfu);
   for (int i = 0; i < 8; i++) {
      const struct vgpu_blend_rt_desc *r = &b->rt[i];
      vgpu_enc_word(e, (r->blend_enable & 1u) | (r->rgb_func & 7u) << 1 | (r->rgb_src_factor & 0x1fu) << 4 |
                          (r->rgb_dst_factor & 0x1fu) << 9 | (r->alpha_func & 7u) << 14 |
                          (r->alpha_src_factor & 0x1fu) << 17 | (r->alpha_dst_factor & 0x1fu) << 22 |
                          (uint32_t)(r->colormask & 0xfu) << 27);
   }
}

void vgpu_enc_create_dsa(struct vgpu_enc *e, uint32_t handle, const struct vgpu_dsa_desc *d)
{
   hdr(e, VGPU_CCMD_CREATE_OBJECT, VGPU_OBJECT_DSA, VGPU_DSA_SIZE);
   vgpu_enc_word(e, handle);
   vgpu_enc_word(e, (d->depth.enabled & 1u) | (d->depth.writemask & 1u) << 1 | (d->depth.func & 7u) << 2 |
                       (d->alpha.enabled & 1u) << 8 | (d->alpha.func & 7u) << 9);
   for (int i = 0; i < 2; i++)
      vgpu_enc_word(e, (d->stencil[i].enabled & 1u) | (d->stencil[i].func & 7u) << 1 |
                          (d->stencil[i].fail_op & 7u) << 4 | (d->stencil[i].zpass_op & 7u) << 7 |
                          (d->stencil[i].zfail_op & 7u) << 10 | (uint32_t)d->stencil[i].valuemask << 13 |
                          (uint32_t)d->stencil[i].writemask << 21);
   vgpu_enc_word(e, fw(d->alpha.ref));
}

void vgpu_enc_create_rasterizer(struct vgpu_enc *e, uint32_t handle, const struct vgpu_rasterizer_desc *r)
{
   hdr(e, VGPU_CCMD_CREATE_OBJECT, VGPU_OBJECT_RASTERIZER, VGPU_RASTERIZER_SIZE);
   vgpu_enc_word(e, handle);
   vgpu_enc_word(e, (r->flatshade & 1u) | (r->depth_clip & 1u) << 1 | (r->clip_halfz & 1u) << 2 |
                       (r->rasterizer_discard & 1u) << 3 | (r->flatshade_first & 1u) << 4 |
                       (r->light_twoside & 1u) << 5 | (r->cull_face & 3u) << 8 | (r->fill_front & 3u) << 10 |
                       (r->fill_back & 3u) << 12 | (r->scissor & 1u) << 14 | (r->front_ccw & 1u) << 15 |
                       (r->point_size_per_vertex & 1u) << 24 | (r->multisample & 1u) << 25 |
                       (r->half_pixel_center & 1u) << 29 | (uint32_t)(r->bottom_edge_rule & 1u) << 30);
   vgpu_enc_word(e, fw(r->point_size));
   vgpu_enc_word(e, 0); /* sprite coord enable */
   vgpu_enc_word(e, 0); /* line stipple, clip plane enable */
   vgpu_enc_word(e, fw(r->line_width));
   vgpu_enc_word(e, 0); /* offset units, scale, clamp */
   vgpu_enc_word(e, 0);
   vgpu_enc_word(e, 0);
}

void vgpu_enc_create_shader(struct vgpu_enc *e, uint32_t handle, uint32_t stage, const char *tgsi)
{
   size_t total = strlen(tgsi) + 1; /* with the NUL */
   size_t max_bytes = (size_t)(VGPU_CMD_MAX_LENGTH - VGPU_SHADER_HDR_SIZE) * 4;
   size_t off = 0;
   int first = 1;
   while (off < total) {
      size_t chunk = total - off < max_bytes ? total - off : max_bytes;
      size_t dw = (chunk + 3) / 4;
      hdr(e, VGPU_CCMD_CREATE_OBJECT, VGPU_OBJECT_SHADER, (uint32_t)(VGPU_SHADER_HDR_SIZE + dw));
      vgpu_enc_word(e, handle);
      vgpu_enc_word(e, stage);
      vgpu_enc_word(e, first ? (uint32_t)total : ((uint32_t)off | VGPU_SHADER_OFFLEN_CONT));
      vgpu_enc_word(e, 300); /* num_tokens: a sizing hint Mesa sends; unused */
      vgpu_enc_word(e, 0);   /* no stream output */
      if (enc_reserve(e, dw) == 0) {
         memset(e->words + e->len, 0, dw * 4);
         memcpy(e->words + e->len, tgsi + off, chunk);
         e->len += dw;
      }
      off += chunk;
      first = 0;
   }
}

void vgpu_enc_create_vertex_elements(struct vgpu_enc *e, uint32_t handle, uint32_t n,
                                     const struct vgpu_vertex_element *ve)
{
   hdr(e, VGPU_CCMD_CREATE_OBJECT, VGPU_OBJECT_VERTEX_ELEMENTS, n * 4 + 1);
   vgpu_enc_word(e, handle);
   for (uint32_t i = 0; i < n; i++) {
      vgpu_enc_word(e, ve[i].src_offset);
      vgpu_enc_word(e, ve[i].instance_divisor);
      vgpu_enc_word(e, ve[i].vertex_buffer_index);
      vgpu_enc_word(e, ve[i].src_format);
   }
}

void vgpu_enc_create_sampler_view(struct vgpu_enc *e, uint32_t handle, uint32_t res, uint32_t format,
                                  uint32_t target, uint32_t first_level, uint32_t last_level)
{
   hdr(e, VGPU_CCMD_CREATE_OBJECT, VGPU_OBJECT_SAMPLER_VIEW, VGPU_SAMPLER_VIEW_SIZE);
   vgpu_enc_word(e, handle);
   vgpu_enc_word(e, res);
   vgpu_enc_word(e, format | target << 24);
   vgpu_enc_word(e, 0); /* first | last layer << 16 */
   vgpu_enc_word(e, (first_level & 0xffu) | (last_level & 0xffu) << 8);
   vgpu_enc_word(e, 0 | 1u << 3 | 2u << 6 | 3u << 9); /* identity swizzle */
}

void vgpu_enc_create_sampler_state(struct vgpu_enc *e, uint32_t handle, const struct vgpu_sampler_desc *s)
{
   hdr(e, VGPU_CCMD_CREATE_OBJECT, VGPU_OBJECT_SAMPLER_STATE, VGPU_SAMPLER_STATE_SIZE);
   vgpu_enc_word(e, handle);
   vgpu_enc_word(e, (s->wrap_s & 7u) | (s->wrap_t & 7u) << 3 | (s->wrap_r & 7u) << 6 |
                       (s->min_img_filter & 3u) << 9 | (s->min_mip_filter & 3u) << 11 |
                       (s->mag_img_filter & 3u) << 13 | (s->compare_mode & 1u) << 15 |
                       (s->compare_func & 7u) << 16 | (s->seamless_cube_map & 1u) << 19);
   vgpu_enc_word(e, fw(s->lod_bias));
   vgpu_enc_word(e, fw(s->min_lod));
   vgpu_enc_word(e, fw(s->max_lod));
   for (int i = 0; i < 4; i++)
      vgpu_enc_word(e, fw(s->border_color[i]));
}

void vgpu_enc_create_surface(struct vgpu_enc *e, uint32_t handle, uint32_t res, uint32_t format, uint32_t level,
                             uint32_t first_layer, uint32_t last_layer)
{
   hdr(e, VGPU_CCMD_CREATE_OBJECT, VGPU_OBJECT_SURFACE, VGPU_SURFACE_SIZE);
   vgpu_enc_word(e, handle);
   vgpu_enc_word(e, res);
   vgpu_enc_word(e, format);
   vgpu_enc_word(e, level);
   vgpu_enc_word(e, (first_layer & 0xffffu) | last_layer << 16);
}

void vgpu_enc_bind_object(struct vgpu_enc *e, uint32_t type, uint32_t handle)
{
   hdr(e, VGPU_CCMD_BIND_OBJECT, type, 1);
   vgpu_enc_word(e, handle);
}

void vgpu_enc_destroy_object(struct vgpu_enc *e, uint32_t type, uint32_t handle)
{
   hdr(e, VGPU_CCMD_DESTROY_OBJECT, type, 1);
   vgpu_enc_word(e, handle);
}

void vgpu_enc_bind_shader(struct vgpu_enc *e, uint32_t handle, uint32_t stage)
{
   hdr(e, VGPU_CCMD_BIND_SHADER, 0, 2);
   vgpu_enc_word(e, handle);
   vgpu_enc_word(e, stage);
}

void vgpu_enc_set_viewport(struct vgpu_enc *e, const float scale[3], const float translate[3])
{
   hdr(e, VGPU_CCMD_SET_VIEWPORT_STATE, 0, 7);
   vgpu_enc_word(e, 0);
   for (int i = 0; i < 3; i++)
      vgpu_enc_word(e, fw(scale[i]));
   for (int i = 0; i < 3; i++)
      vgpu_enc_word(e, fw(translate[i]));
}

void vgpu_enc_set_framebuffer(struct vgpu_enc *e, uint32_t nr_cbufs, const uint32_t *cbufs, uint32_t zsurf)
{
   hdr(e, VGPU_CCMD_SET_FRAMEBUFFER_STATE, 0, nr_cbufs + 2);
   vgpu_enc_word(e, nr_cbufs);
   vgpu_enc_word(e, zsurf);
   for (uint32_t i = 0; i < nr_cbufs; i++)
      vgpu_enc_word(e, cbufs[i]);
}

void vgpu_enc_set_vertex_buffers(struct vgpu_enc *e, uint32_t n, const struct vgpu_vertex_buffer *vb)
{
   hdr(e, VGPU_CCMD_SET_VERTEX_BUFFERS, 0, n * 3);
   for (uint32_t i = 0; i < n; i++) {
      vgpu_enc_word(e, vb[i].stride);
      vgpu_enc_word(e, vb[i].offset);
      vgpu_enc_word(e, vb[i].handle);
   }
}

void vgpu_enc_set_index_buffer(struct vgpu_enc *e, uint32_t res, uint32_t index_size, uint32_t offset)
{
   hdr(e, VGPU_CCMD_SET_INDEX_BUFFER, 0, res ? 3 : 1);
   vgpu_enc_word(e, res);
   if (res) {
      vgpu_enc_word(e, index_size);
      vgpu_enc_word(e, offset);
   }
}

void vgpu_enc_set_constant_buffer(struct vgpu_enc *e, uint32_t stage, uint32_t index, uint32_t nfloats,
                                  const float *data)
{
   hdr(e, VGPU_CCMD_SET_CONSTANT_BUFFER, 0, nfloats + 2);
   vgpu_enc_word(e, stage);
   vgpu_enc_word(e, index);
   for (uint32_t i = 0; i < nfloats; i++)
      vgpu_enc_word(e, fw(data[i]));
}

void vgpu_enc_set_sampler_views(struct vgpu_enc *e, uint32_t stage, uint32_t start, uint32_t n,
                                const uint32_t *handles)
{
   hdr(e, VGPU_CCMD_SET_SAMPLER_VIEWS, 0, n + 2);
   vgpu_enc_word(e, stage);
   vgpu_enc_word(e, start);
   vgpu_enc_words(e, handles, n);
}

void vgpu_enc_bind_sampler_states(struct vgpu_enc *e, uint32_t stage, uint32_t start, uint32_t n,
                                  const uint32_t *handles)
{
   hdr(e, VGPU_CCMD_BIND_SAMPLER_STATES, 0, n + 2);
   vgpu_enc_word(e, stage);
   vgpu_enc_word(e, start);
   vgpu_enc_words(e, handles, n);
}

void vgpu_enc_set_scissor(struct vgpu_enc *e, uint32_t minx, uint32_t miny, uint32_t maxx, uint32_t maxy)
{
   hdr(e, VGPU_CCMD_SET_SCISSOR_STATE, 0, 3);
   vgpu_enc_word(e, 0);
   vgpu_enc_word(e, (minx & 0xffffu) | miny << 16);
   vgpu_enc_word(e, (maxx & 0xffffu) | maxy << 16);
}

void vgpu_enc_set_stencil_ref(struct vgpu_enc *e, uint32_t front, uint32_t back)
{
   hdr(e, VGPU_CCMD_SET_STENCIL_REF, 0, 1);
   vgpu_enc_word(e, (front & 0xffu) | (back & 0xffu) << 8);
}

void vgpu_enc_set_blend_color(struct vgpu_enc *e, const float color[4])
{
   hdr(e, VGPU_CCMD_SET_BLEND_COLOR, 0, 4);
   for (int i = 0; i < 4; i++)
      vgpu_enc_word(e, fw(color[i]));
}

void vgpu_enc_clear(struct vgpu_enc *e, uint32_t buffers, const float rgba[4], double depth, uint32_t stencil)
{
   uint64_t d;
   memcpy(&d, &depth, 8);
   hdr(e, VGPU_CCMD_CLEAR, 0, VGPU_CLEAR_SIZE);
   vgpu_enc_word(e, buffers);
   for (int i = 0; i < 4; i++)
      vgpu_enc_word(e, fw(rgba[i]));
   vgpu_enc_word(e, (uint32_t)d);
   vgpu_enc_word(e, (uint32_t)(d >> 32));
   vgpu_enc_word(e, stencil);
}

void vgpu_enc_draw_vbo(struct vgpu_enc *e, const struct vgpu_draw_info *d)
{
   hdr(e, VGPU_CCMD_DRAW_VBO, 0, VGPU_DRAW_VBO_SIZE);
   vgpu_enc_word(e, d->start);
   vgpu_enc_word(e, d->count);
   vgpu_enc_word(e, d->mode);
   vgpu_enc_word(e, d->indexed);
   vgpu_enc_word(e, d->instance_count);
   vgpu_enc_word(e, (uint32_t)d->index_bias);
   vgpu_enc_word(e, d->start_instance);
   vgpu_enc_word(e, d->primitive_restart);
   vgpu_enc_word(e, d->restart_index);
   vgpu_enc_word(e, d->min_index);
   vgpu_enc_word(e, d->max_index);
   vgpu_enc_word(e, 0); /* count from stream output */
}

void vgpu_enc_resource_inline_write(struct vgpu_enc *e, uint32_t res, uint32_t level, uint32_t usage,
                                    uint32_t stride, uint32_t layer_stride, uint32_t x, uint32_t y, uint32_t z,
                                    uint32_t w, uint32_t h, uint32_t d, const void *data, size_t size)
{
   /* split into packets that fit the 16-bit length: buffers by byte ranges,
    * images by whole rows of the box */
   size_t max_bytes = (size_t)(VGPU_CMD_MAX_LENGTH - VGPU_INLINE_WRITE_HDR) * 4;
   size_t hd = (size_t)h * d;
   size_t row = stride ? stride : size / (hd ? hd : 1);
   if (size > max_bytes && h == 1 && d == 1 && w == size) {
      for (size_t off = 0; off < size; off += max_bytes) {
         size_t n = size - off < max_bytes ? size - off : max_bytes;
         vgpu_enc_resource_inline_write(e, res, level, usage, 0, 0, x + (uint32_t)off, y, z, (uint32_t)n, 1, 1,
                                        (const uint8_t *)data + off, n);
      }
      return;
   }
   if (size > max_bytes && (d > 1 || row == 0 || row > max_bytes)) {
      e->oom = 1; /* no valid encoding: refuse rather than emit a bad header */
      return;
   }
   if (size <= max_bytes) {
      size_t dw = (size + 3) / 4;
      hdr(e, VGPU_CCMD_RESOURCE_INLINE_WRITE, 0, (uint32_t)(VGPU_INLINE_WRITE_HDR + dw));
      uint32_t head[11] = { res, level, usage, stride, layer_stride, x, y, z, w, h, d };
      vgpu_enc_words(e, head, 11);
      if (enc_reserve(e, dw) == 0) {
         memset(e->words + e->len, 0, dw * 4);
         memcpy(e->words + e->len, data, size);
         e->len += dw;
      }
      return;
   }
   uint32_t rows_per = (uint32_t)(max_bytes / row);
   for (uint32_t r = 0; r < h; r += rows_per) {
      uint32_t n = h - r < rows_per ? h - r : rows_per;
      size_t bytes = (size_t)n * row;
      if ((size_t)r * row + bytes > size)
         bytes = size - (size_t)r * row;
      vgpu_enc_resource_inline_write(e, res, level, usage, stride, layer_stride, x, y + r, z, w, n, 1,
                                     (const uint8_t *)data + (size_t)r * row, bytes);
   }
}

void vgpu_enc_transfer3d(struct vgpu_enc *e, uint32_t res, uint32_t level, uint32_t stride, uint32_t layer_stride,
                         uint32_t x, uint32_t y, uint32_t z, uint32_t w, uint32_t h, uint32_t d, uint32_t offset,
                         uint32_t direction)
{
   hdr(e, VGPU_CCMD_TRANSFER3D, 0, VGPU_TRANSFER3D_SIZE);
   uint32_t p[13] = { res, level, 0, stride, layer_stride, x, y, z, w, h, d, offset, direction };
   vgpu_enc_words(e, p, 13);
}

void vgpu_enc_create_sub_ctx(struct vgpu_enc *e, uint32_t id)
{
   hdr(e, VGPU_CCMD_CREATE_SUB_CTX, 0, 1);
   vgpu_enc_word(e, id);
}

void vgpu_enc_set_sub_ctx(struct vgpu_enc *e, uint32_t id)
{
   hdr(e, VGPU_CCMD_SET_SUB_CTX, 0, 1);
   vgpu_enc_word(e, id);
}

void vgpu_enc_destroy_sub_ctx(struct vgpu_enc *e, uint32_t id)
{
   hdr(e, VGPU_CCMD_DESTROY_SUB_CTX, 0, 1);
   vgpu_enc_word(e, id);
}
