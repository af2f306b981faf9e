/* vgpu_caps.c: capability levels. `gles2` makes Mesa's virgl driver expose
 * OpenGL 2.1 and OpenGL ES 2.0: GLSL 1.20, the formats the pipeline samples
 * and renders, points/lines/triangles and their strips and fans. Only the v1
 * part of the caps is sent: Mesa keeps its own defaults for the v2 fields,
 * which is what the GL 2.1 level needs (see ../shared/notes/vtest.md). */
#include <string.h>

#include "jit/jit_format.h"
#include "vgpu/vgpu_caps.h"

/* Word offsets in struct virgl_caps_v1. */
enum {
   CAP_MAX_VERSION = 0,
   CAP_SAMPLER = 1,        /* 16 words of format bits */
   CAP_RENDER = 17,
   CAP_DEPTHSTENCIL = 33,
   CAP_VERTEXBUFFER = 49,
   CAP_BSET = 65,
   CAP_GLSL_LEVEL = 66,
   CAP_MAX_TEXTURE_ARRAY_LAYERS,
   CAP_MAX_STREAMOUT_BUFFERS,
   CAP_MAX_DUAL_SOURCE_RENDER_TARGETS,
   CAP_MAX_RENDER_TARGETS,
   CAP_MAX_SAMPLES,
   CAP_PRIM_MASK,
   CAP_MAX_TBO_SIZE,
   CAP_MAX_UNIFORM_BLOCKS,
   CAP_MAX_VIEWPORTS,
   CAP_MAX_TEXTURE_GATHER_COMPONENTS,
   CAP_WORDS
};
_Static_assert(CAP_WORDS * 4 == VGPU_CAPS_V1_SIZE, "virgl_caps_v1 is 308 bytes");

/* Bits of struct virgl_caps_bool_set1 (in declaration order). */
enum {
   BSET_INDEP_BLEND_ENABLE = 1u << 0,
   BSET_INDEP_BLEND_FUNC = 1u << 1,
   BSET_START_INSTANCE = 1u << 5,
   BSET_PRIMITIVE_RESTART = 1u << 6,
   BSET_BLEND_EQ_SEP = 1u << 7,
   BSET_INSTANCEID = 1u << 8,
   BSET_VERTEX_ELEMENT_INSTANCE_DIVISOR = 1u << 9,
   BSET_DEPTH_CLIP_DISABLE = 1u << 16,
   BSET_MIRROR_CLAMP = 1u << 21,
};

static void set_format(uint32_t *mask, uint32_t fmt)
{
   if (fmt < 16 * 32)
      mask[fmt / 32] |= 1u << (fmt % 32);
}

const char *vgpu_caps_levels(void)
{
   return "gles2";
}

int vgpu_caps_fill(const char *level, uint32_t *c)
{
   if (strcmp(level, "gles2") != 0)
      return -1;
   memset(c, 0, VGPU_CAPS_V1_SIZE);
   c[CAP_MAX_VERSION] = 2;
   static const uint32_t sampler[] = { JIT_FORMAT_B8G8R8A8_UNORM, JIT_FORMAT_B8G8R8X8_UNORM,
                                       JIT_FORMAT_R8G8B8A8_UNORM, JIT_FORMAT_R8G8B8X8_UNORM,
                                       JIT_FORMAT_Z16_UNORM, JIT_FORMAT_Z32_FLOAT, JIT_FORMAT_Z24_UNORM_S8_UINT,
                                       JIT_FORMAT_S8_UINT_Z24_UNORM, JIT_FORMAT_Z24X8_UNORM, JIT_FORMAT_L8_SRGB,
                                       JIT_FORMAT_L8A8_SRGB, JIT_FORMAT_B8G8R8A8_SRGB, JIT_FORMAT_B8G8R8X8_SRGB,
                                       JIT_FORMAT_R8G8B8A8_SRGB, JIT_FORMAT_A8_UNORM, JIT_FORMAT_L8_UNORM,
                                       JIT_FORMAT_L8A8_UNORM, JIT_FORMAT_R8_UNORM, JIT_FORMAT_R8G8_UNORM };
   static const uint32_t render[] = { JIT_FORMAT_B8G8R8A8_UNORM, JIT_FORMAT_B8G8R8X8_UNORM,
                                      JIT_FORMAT_R8G8B8A8_UNORM, JIT_FORMAT_R8G8B8X8_UNORM };
   static const uint32_t zs[] = { JIT_FORMAT_Z16_UNORM, JIT_FORMAT_Z32_FLOAT, JIT_FORMAT_Z24_UNORM_S8_UINT,
                                  JIT_FORMAT_S8_UINT_Z24_UNORM, JIT_FORMAT_Z24X8_UNORM };
   for (size_t i = 0; i < sizeof(sampler) / sizeof(sampler[0]); i++)
      set_format(c + CAP_SAMPLER, sampler[i]);
   for (size_t i = 0; i < sizeof(render) / sizeof(render[0]); i++)
      set_format(c + CAP_RENDER, render[i]);
   for (size_t i = 0; i < sizeof(zs) / sizeof(zs[0]); i++)
      set_format(c + CAP_DEPTHSTENCIL, zs[i]);
   for (uint32_t f = 1; f < JIT_FORMAT_COUNT; f++) {
      const struct jit_format_desc *d = jit_format_get(f);
      if (d && d->vertex)
         set_format(c + CAP_VERTEXBUFFER, f);
   }
   c[CAP_BSET] = BSET_INDEP_BLEND_ENABLE | BSET_INDEP_BLEND_FUNC | BSET_START_INSTANCE | BSET_PRIMITIVE_RESTART |
                 BSET_BLEND_EQ_SEP | BSET_INSTANCEID | BSET_VERTEX_ELEMENT_INSTANCE_DIVISOR |
                 BSET_DEPTH_CLIP_DISABLE | BSET_MIRROR_CLAMP;
   c[CAP_GLSL_LEVEL] = 120;
   c[CAP_MAX_RENDER_TARGETS] = 1;
   c[CAP_PRIM_MASK] = 0x7f; /* points, lines, loops, strips, triangles, strips, fans */
   c[CAP_MAX_VIEWPORTS] = 1;
   return 0;
}
