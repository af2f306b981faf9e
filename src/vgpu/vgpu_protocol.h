/* vgpu_protocol.h: the virgl command protocol as Tessera decodes and
 * encodes it: command ids, object types, header word, bind flags and
 * payload sizes. Written from virglrenderer's public protocol headers;
 * the values are fixed by the wire. */
#ifndef VGPU_PROTOCOL_H
#define VGPU_PROTOCOL_H

#include <stdint.h>

/* Header word: opcode | object type << 8 | payload length in dwords << 16. */
#define VGPU_CMD(cmd, obj, len) ((uint32_t)(cmd) | ((uint32_t)(obj) << 8) | ((uint32_t)(len) << 16))
#define VGPU_CMD_OPCODE(w) ((w) & 0xff)
#define VGPU_CMD_OBJECT(w) (((w) >> 8) & 0xff)
#define VGPU_CMD_LENGTH(w) ((w) >> 16)
#define VGPU_CMD_MAX_LENGTH 0xffff

enum vgpu_object_type {
   VGPU_OBJECT_NULL = 0,
   VGPU_OBJECT_BLEND,
   VGPU_OBJECT_RASTERIZER,
   VGPU_OBJECT_DSA,
   VGPU_OBJECT_SHADER,
   VGPU_OBJECT_VERTEX_ELEMENTS,
   VGPU_OBJECT_SAMPLER_VIEW,
   VGPU_OBJECT_SAMPLER_STATE,
   VGPU_OBJECT_SURFACE,
   VGPU_OBJECT_QUERY,
   VGPU_OBJECT_STREAMOUT_TARGET,
   VGPU_OBJECT_MSAA_SURFACE,
   VGPU_OBJECT_COUNT
};

enum vgpu_ccmd {
   VGPU_CCMD_NOP = 0,
   VGPU_CCMD_CREATE_OBJECT = 1,
   VGPU_CCMD_BIND_OBJECT,
   VGPU_CCMD_DESTROY_OBJECT,
   VGPU_CCMD_SET_VIEWPORT_STATE,
   VGPU_CCMD_SET_FRAMEBUFFER_STATE,
   VGPU_CCMD_SET_VERTEX_BUFFERS,
   VGPU_CCMD_CLEAR,
   VGPU_CCMD_DRAW_VBO,
   VGPU_CCMD_RESOURCE_INLINE_WRITE,
   VGPU_CCMD_SET_SAMPLER_VIEWS,
   VGPU_CCMD_SET_INDEX_BUFFER,
   VGPU_CCMD_SET_CONSTANT_BUFFER,
   VGPU_CCMD_SET_STENCIL_REF,
   VGPU_CCMD_SET_BLEND_COLOR,
   VGPU_CCMD_SET_SCISSOR_STATE,
   VGPU_CCMD_BLIT,
   VGPU_CCMD_RESOURCE_COPY_REGION,
   VGPU_CCMD_BIND_SAMPLER_STATES,
   VGPU_CCMD_BEGIN_QUERY,
   VGPU_CCMD_END_QUERY,
   VGPU_CCMD_GET_QUERY_RESULT,
   VGPU_CCMD_SET_POLYGON_STIPPLE,
   VGPU_CCMD_SET_CLIP_STATE,
   VGPU_CCMD_SET_SAMPLE_MASK,
   VGPU_CCMD_SET_STREAMOUT_TARGETS,
   VGPU_CCMD_SET_RENDER_CONDITION,
   VGPU_CCMD_SET_UNIFORM_BUFFER,
   VGPU_CCMD_SET_SUB_CTX,
   VGPU_CCMD_CREATE_SUB_CTX,
   VGPU_CCMD_DESTROY_SUB_CTX,
   VGPU_CCMD_BIND_SHADER,
   VGPU_CCMD_SET_TESS_STATE,
   VGPU_CCMD_SET_MIN_SAMPLES,
   VGPU_CCMD_SET_SHADER_BUFFERS,
   VGPU_CCMD_SET_SHADER_IMAGES,
   VGPU_CCMD_MEMORY_BARRIER,
   VGPU_CCMD_LAUNCH_GRID,
   VGPU_CCMD_SET_FRAMEBUFFER_STATE_NO_ATTACH,
   VGPU_CCMD_TEXTURE_BARRIER,
   VGPU_CCMD_SET_ATOMIC_BUFFERS,
   VGPU_CCMD_SET_DEBUG_FLAGS,
   VGPU_CCMD_GET_QUERY_RESULT_QBO,
   VGPU_CCMD_TRANSFER3D,
   VGPU_CCMD_END_TRANSFERS,
   VGPU_CCMD_COPY_TRANSFER3D,
   VGPU_CCMD_SET_TWEAKS,
   VGPU_CCMD_CLEAR_TEXTURE,
   VGPU_CCMD_PIPE_RESOURCE_CREATE,
   VGPU_CCMD_PIPE_RESOURCE_SET_TYPE,
   VGPU_CCMD_GET_MEMORY_INFO,
   VGPU_CCMD_SEND_STRING_MARKER,
   VGPU_CCMD_COUNT
};

/* Name of a command id ("DRAW_VBO"), "?" if unknown. */
const char *vgpu_ccmd_name(unsigned cmd);
const char *vgpu_object_name(unsigned type);

/* Resource bind flags (VIRGL_BIND_*). */
#define VGPU_BIND_DEPTH_STENCIL   (1u << 0)
#define VGPU_BIND_RENDER_TARGET   (1u << 1)
#define VGPU_BIND_SAMPLER_VIEW    (1u << 3)
#define VGPU_BIND_VERTEX_BUFFER   (1u << 4)
#define VGPU_BIND_INDEX_BUFFER    (1u << 5)
#define VGPU_BIND_CONSTANT_BUFFER (1u << 6)
#define VGPU_BIND_DISPLAY_TARGET  (1u << 7)

/* Payload sizes (dwords after the header). */
#define VGPU_BLEND_SIZE            11  /* handle, S0, S1, 8 x S2 */
#define VGPU_DSA_SIZE              5   /* handle, S0, S1 front, S2 back, alpha ref */
#define VGPU_RASTERIZER_SIZE       9
#define VGPU_SAMPLER_STATE_SIZE    9
#define VGPU_SAMPLER_VIEW_SIZE     6
#define VGPU_SURFACE_SIZE          5
#define VGPU_SHADER_HDR_SIZE       5   /* handle, type, offlen, num_tokens, so outputs */
#define VGPU_SHADER_OFFLEN_CONT    (1u << 31)
#define VGPU_CLEAR_SIZE            8
#define VGPU_DRAW_VBO_SIZE         12
#define VGPU_INLINE_WRITE_HDR      11
#define VGPU_TRANSFER3D_SIZE       13
#define VGPU_TRANSFER_TO_HOST      1
#define VGPU_TRANSFER_FROM_HOST    2

#endif
