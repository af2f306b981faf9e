/* vgpu_encode.h: builds virgl command buffers the way Mesa's virgl driver
 * encodes them (used by the built-in demo, the tests and the tools). An
 * encoder owns a growable word array; on allocation failure it sets oom and
 * drops further words. */
#ifndef VGPU_ENCODE_H
#define VGPU_ENCODE_H

#include <stddef.h>
#include <stdint.h>

struct vgpu_enc {
   uint32_t *words;              /* the command buffer; owned, freed by vgpu_enc_free */
   size_t len;                   /* words used */
   size_t cap;                   /* words allocated */
   int oom;                      /* an allocation failed: the buffer is incomplete */
};

struct vgpu_blend_rt_desc {
   uint8_t blend_enable;
   uint8_t rgb_func, rgb_src_factor, rgb_dst_factor;
   uint8_t alpha_func, alpha_src_factor, alpha_dst_factor;
   uint8_t colormask;
};

struct vgpu_blend_desc {
   uint8_t independent_blend_enable, logicop_enable, logicop_func, dither, alpha_to_coverage, alpha_to_one;
   struct vgpu_blend_rt_desc rt[8];
};

struct vgpu_dsa_desc {
   struct {
      uint8_t enabled, writemask, func;
   } depth;
   struct {
      uint8_t enabled, func, fail_op, zpass_op, zfail_op, valuemask, writemask;
   } stencil[2];
   struct {
      uint8_t enabled, func;
      float ref;
   } alpha;
};

struct vgpu_rasterizer_desc {
   uint8_t flatshade, depth_clip, clip_halfz, rasterizer_discard, flatshade_first, light_twoside;
   uint8_t cull_face, fill_front, fill_back, scissor, front_ccw, point_size_per_vertex;
   uint8_t multisample, half_pixel_center, bottom_edge_rule;
   float point_size, line_width;
};

struct vgpu_sampler_desc {
   uint8_t wrap_s, wrap_t, wrap_r, min_img_filter, min_mip_filter, mag_img_filter;
   uint8_t compare_mode, compare_func, seamless_cube_map;
   float lod_bias, min_lod, max_lod;
   float border_color[4];
};

struct vgpu_vertex_element {
   uint32_t src_offset, instance_divisor, vertex_buffer_index, src_format;
};

struct vgpu_vertex_buffer {
   uint32_t stride, offset, handle;
};

struct vgpu_draw_info {
   uint32_t start, count, mode, indexed, instance_count;
   int32_t index_bias;
   uint32_t start_instance, primitive_restart, restart_index, min_index, max_index;
};

void vgpu_enc_init(struct vgpu_enc *e);
void vgpu_enc_free(struct vgpu_enc *e);
void vgpu_enc_reset(struct vgpu_enc *e);
void vgpu_enc_word(struct vgpu_enc *e, uint32_t w);
void vgpu_enc_words(struct vgpu_enc *e, const uint32_t *w, size_t n);

void vgpu_enc_create_blend(struct vgpu_enc *e, uint32_t handle, const struct vgpu_blend_desc *b);
void vgpu_enc_create_dsa(struct vgpu_enc *e, uint32_t handle, const struct vgpu_dsa_desc *d);
void vgpu_enc_create_rasterizer(struct vgpu_enc *e, uint32_t handle, const struct vgpu_rasterizer_desc *r);
/* Splits text longer than one packet over continuation packets, as Mesa does. */
void vgpu_enc_create_shader(struct vgpu_enc *e, uint32_t handle, uint32_t stage, const char *tgsi);
void vgpu_enc_create_vertex_elements(struct vgpu_enc *e, uint32_t handle, uint32_t n,
                                     const struct vgpu_vertex_element *ve);
/* Identity swizzle, layers 0..0. */
void vgpu_enc_create_sampler_view(struct vgpu_enc *e, uint32_t handle, uint32_t res, uint32_t format,
                                  uint32_t target, uint32_t first_level, uint32_t last_level);
void vgpu_enc_create_sampler_state(struct vgpu_enc *e, uint32_t handle, const struct vgpu_sampler_desc *s);
void vgpu_enc_create_surface(struct vgpu_enc *e, uint32_t handle, uint32_t res, uint32_t format, uint32_t level,
                             uint32_t first_layer, uint32_t last_layer);
void vgpu_enc_bind_object(struct vgpu_enc *e, uint32_t type, uint32_t handle);
void vgpu_enc_destroy_object(struct vgpu_enc *e, uint32_t type, uint32_t handle);
void vgpu_enc_bind_shader(struct vgpu_enc *e, uint32_t handle, uint32_t stage);
void vgpu_enc_set_viewport(struct vgpu_enc *e, const float scale[3], const float translate[3]);
void vgpu_enc_set_framebuffer(struct vgpu_enc *e, uint32_t nr_cbufs, const uint32_t *cbufs, uint32_t zsurf);
void vgpu_enc_set_vertex_buffers(struct vgpu_enc *e, uint32_t n, const struct vgpu_vertex_buffer *vb);
void vgpu_enc_set_index_buffer(struct vgpu_enc *e, uint32_t res, uint32_t index_size, uint32_t offset);
void vgpu_enc_set_constant_buffer(struct vgpu_enc *e, uint32_t stage, uint32_t index, uint32_t nfloats,
                                  const float *data);
void vgpu_enc_set_sampler_views(struct vgpu_enc *e, uint32_t stage, uint32_t start, uint32_t n,
                                const uint32_t *handles);
void vgpu_enc_bind_sampler_states(struct vgpu_enc *e, uint32_t stage, uint32_t start, uint32_t n,
                                  const uint32_t *handles);
void vgpu_enc_set_scissor(struct vgpu_enc *e, uint32_t minx, uint32_t miny, uint32_t maxx, uint32_t maxy);
void vgpu_enc_set_stencil_ref(struct vgpu_enc *e, uint32_t front, uint32_t back);
void vgpu_enc_set_blend_color(struct vgpu_enc *e, const float color[4]);
void vgpu_enc_clear(struct vgpu_enc *e, uint32_t buffers, const float rgba[4], double depth, uint32_t stencil);
void vgpu_enc_draw_vbo(struct vgpu_enc *e, const struct vgpu_draw_info *d);
void vgpu_enc_resource_inline_write(struct vgpu_enc *e, uint32_t res, uint32_t level, uint32_t usage,
                                    uint32_t stride, uint32_t layer_stride, uint32_t x, uint32_t y, uint32_t z,
                                    uint32_t w, uint32_t h, uint32_t d, const void *data, size_t size);
void vgpu_enc_transfer3d(struct vgpu_enc *e, uint32_t res, uint32_t level, uint32_t stride, uint32_t layer_stride,
                         uint32_t x, uint32_t y, uint32_t z, uint32_t w, uint32_t h, uint32_t d, uint32_t offset,
                         uint32_t direction);
void vgpu_enc_create_sub_ctx(struct vgpu_enc *e, uint32_t id);
void vgpu_enc_set_sub_ctx(struct vgpu_enc *e, uint32_t id);
void vgpu_enc_destroy_sub_ctx(struct vgpu_enc *e, uint32_t id);

#endif
