/* jit_format.h: pixel and vertex formats in virgl's pipe_format numbering, with a
 * plain-C pack/unpack reference for each. Lives in src/jit because the
 * rasterizer (clears), the texture sampler and the fragment/vertex variants all
 * need it and neither jit nor raster may include src/state (DESIGN.md). */
#ifndef JIT_FORMAT_H
#define JIT_FORMAT_H

#include <stdbool.h>
#include <stdint.h>

/* virgl_formats values this code knows (numbering fixed by the protocol). */
enum jit_format_id {
   JIT_FORMAT_NONE                 = 0,
   JIT_FORMAT_B8G8R8A8_UNORM       = 1,
   JIT_FORMAT_B8G8R8X8_UNORM       = 2,
   JIT_FORMAT_A8R8G8B8_UNORM       = 3,
   JIT_FORMAT_X8R8G8B8_UNORM       = 4,
   JIT_FORMAT_B5G5R5A1_UNORM       = 5,
   JIT_FORMAT_B4G4R4A4_UNORM       = 6,
   JIT_FORMAT_B5G6R5_UNORM         = 7,
   JIT_FORMAT_R10G10B10A2_UNORM    = 8,
   JIT_FORMAT_L8_UNORM             = 9,
   JIT_FORMAT_A8_UNORM             = 10,
   JIT_FORMAT_I8_UNORM             = 11,
   JIT_FORMAT_L8A8_UNORM           = 12,
   JIT_FORMAT_L16_UNORM            = 13,
   JIT_FORMAT_Z16_UNORM            = 16,
   JIT_FORMAT_Z32_UNORM            = 17,
   JIT_FORMAT_Z32_FLOAT            = 18,
   JIT_FORMAT_Z24_UNORM_S8_UINT    = 19,
   JIT_FORMAT_S8_UINT_Z24_UNORM    = 20,
   JIT_FORMAT_Z24X8_UNORM          = 21,
   JIT_FORMAT_X8Z24_UNORM          = 22,
   JIT_FORMAT_S8_UINT              = 23,
   JIT_FORMAT_R64_FLOAT            = 24,
   JIT_FORMAT_R64G64_FLOAT         = 25,
   JIT_FORMAT_R64G64B64_FLOAT      = 26,
   JIT_FORMAT_R64G64B64A64_FLOAT   = 27,
   JIT_FORMAT_R32_FLOAT            = 28,
   JIT_FORMAT_R32G32_FLOAT         = 29,
   JIT_FORMAT_R32G32B32_FLOAT      = 30,
   JIT_FORMAT_R32G32B32A32_FLOAT   = 31,
   JIT_FORMAT_R32_UNORM            = 32,
   JIT_FORMAT_R32G32_UNORM         = 33,
   JIT_FORMAT_R32G32B32_UNORM      = 34,
   JIT_FORMAT_R32G32B32A32_UNORM   = 35,
   JIT_FORMAT_R32_USCALED          = 36,
   JIT_FORMAT_R32G32_USCALED       = 37,
   JIT_FORMAT_R32G32B32_USCALED    = 38,
   JIT_FORMAT_R32G32B32A32_USCALED = 39,
   JIT_FORMAT_R32_SNORM            = 40,
   JIT_FORMAT_R32G32_SNORM         = 41,
   JIT_FORMAT_R32G32B32_SNORM      = 42,
   JIT_FORMAT_R32G32B32A32_SNORM   = 43,
   JIT_FORMAT_R32_SSCALED          = 44,
   JIT_FORMAT_R32G32_SSCALED       = 45,
   JIT_FORMAT_R32G32B32_SSCALED    = 46,
   JIT_FORMAT_R32G32B32A32_SSCALED = 47,
   JIT_FORMAT_R16_UNORM            = 48,
   JIT_FORMAT_R16G16_UNORM         = 49,
   JIT_FORMAT_R16G16B16_UNORM      = 50,
   JIT_FORMAT_R16G16B16A16_UNORM   = 51,
   JIT_FORMAT_R16_USCALED          = 52,
   JIT_FORMAT_R16G16_USCALED       = 53,
   JIT_FORMAT_R16G16B16_USCALED    = 54,
   JIT_FORMAT_R16G16B16A16_USCALED = 55,
   JIT_FORMAT_R16_SNORM            = 56,
   JIT_FORMAT_R16G16_SNORM         = 57,
   JIT_FORMAT_R16G16B16_SNORM      = 58,
   JIT_FORMAT_R16G16B16A16_SNORM   = 59,
   JIT_FORMAT_R16_SSCALED          = 60,
   JIT_FORMAT_R16G16_SSCALED       = 61,
   JIT_FORMAT_R16G16B16_SSCALED    = 62,
   JIT_FORMAT_R16G16B16A16_SSCALED = 63,
   JIT_FORMAT_R8_UNORM             = 64,
   JIT_FORMAT_R8G8_UNORM           = 65,
   JIT_FORMAT_R8G8B8_UNORM         = 66,
   JIT_FORMAT_R8G8B8A8_UNORM       = 67,
   JIT_FORMAT_X8B8G8R8_UNORM       = 68,
   JIT_FORMAT_R8_USCALED           = 69,
   JIT_FORMAT_R8G8_USCALED         = 70,
   JIT_FORMAT_R8G8B8_USCALED       = 71,
   JIT_FORMAT_R8G8B8A8_USCALED     = 72,
   JIT_FORMAT_R8_SNORM             = 74,
   JIT_FORMAT_R8G8_SNORM           = 75,
   JIT_FORMAT_R8G8B8_SNORM         = 76,
   JIT_FORMAT_R8G8B8A8_SNORM       = 77,
   JIT_FORMAT_R8_SSCALED           = 82,
   JIT_FORMAT_R8G8_SSCALED         = 83,
   JIT_FORMAT_R8G8B8_SSCALED       = 84,
   JIT_FORMAT_R8G8B8A8_SSCALED     = 85,
   JIT_FORMAT_R16_FLOAT            = 91,
   JIT_FORMAT_R16G16_FLOAT         = 92,
   JIT_FORMAT_R16G16B16_FLOAT      = 93,
   JIT_FORMAT_R16G16B16A16_FLOAT   = 94,
   JIT_FORMAT_L8_SRGB              = 95,
   JIT_FORMAT_L8A8_SRGB            = 96,
   JIT_FORMAT_R8G8B8_SRGB          = 97,
   JIT_FORMAT_A8B8G8R8_SRGB        = 98,
   JIT_FORMAT_X8B8G8R8_SRGB        = 99,
   JIT_FORMAT_B8G8R8A8_SRGB        = 100,
   JIT_FORMAT_B8G8R8X8_SRGB        = 101,
   JIT_FORMAT_A8R8G8B8_SRGB        = 102,
   JIT_FORMAT_X8R8G8B8_SRGB        = 103,
   JIT_FORMAT_R8G8B8A8_SRGB        = 104,
   JIT_FORMAT_A8B8G8R8_UNORM       = 121,
   JIT_FORMAT_R8G8B8X8_UNORM       = 134,
   JIT_FORMAT_R8_UINT              = 177,
   JIT_FORMAT_R8G8B8A8_UINT        = 180,
   JIT_FORMAT_R8_SINT              = 181,
   JIT_FORMAT_R8G8B8A8_SINT        = 184,
   JIT_FORMAT_R16_UINT             = 185,
   JIT_FORMAT_R16G16B16A16_UINT    = 188,
   JIT_FORMAT_R16_SINT             = 189,
   JIT_FORMAT_R16G16B16A16_SINT    = 192,
   JIT_FORMAT_R32_UINT             = 193,
   JIT_FORMAT_R32G32_UINT          = 194,
   JIT_FORMAT_R32G32B32_UINT       = 195,
   JIT_FORMAT_R32G32B32A32_UINT    = 196,
   JIT_FORMAT_R32_SINT             = 197,
   JIT_FORMAT_R32G32_SINT          = 198,
   JIT_FORMAT_R32G32B32_SINT       = 199,
   JIT_FORMAT_R32G32B32A32_SINT    = 200,
   JIT_FORMAT_R8G8B8X8_SRGB        = 230,
   JIT_FORMAT_COUNT                = 512   /* table size; ids >= this are unknown */
};

/* What a format is; one static table entry per supported id. */
enum jit_format_kind {
   JIT_FORMAT_KIND_COLOR,    /* unpacks to float RGBA */
   JIT_FORMAT_KIND_INT,      /* pure integer: unpacks to raw 32-bit ints in RGBA */
   JIT_FORMAT_KIND_DEPTH,    /* depth, maybe with stencil */
   JIT_FORMAT_KIND_STENCIL,  /* stencil only */
};

struct jit_format_desc {
   uint32_t id;              /* enum jit_format_id value */
   const char *name;         /* "R8G8B8A8_UNORM" */
   uint8_t kind;             /* enum jit_format_kind */
   uint8_t block_bytes;      /* bytes per pixel (no compressed formats are supported) */
   uint8_t nr_channels;      /* 1..4 */
   bool srgb;                /* RGB stored sRGB-encoded (alpha linear) */
   bool is_float;            /* channels are floats (no clamping on store) */
   bool is_snorm;            /* channels are signed normalized (clamp to [-1, 1]) */
   bool has_depth, has_stencil;
   bool renderable;          /* may be a color/zs render target */
   bool sampleable;          /* may be a texture */
   bool vertex;              /* may be a vertex-element format */
};

/* The descriptor for a virgl format id, or NULL if Tessera does not support it. */
const struct jit_format_desc *jit_format_get(uint32_t id);

/* Colors: RGBA floats (or raw ints for KIND_INT, stored bitwise in the floats).
 * Missing channels unpack as 0 for RGB and 1 for A; X channels unpack as 1.
 * Pack clamps normalized values, multiplies in float and rounds to nearest even
 * (llvmpipe's arithmetic, so images match it);
 * sRGB formats encode RGB on pack and decode on unpack. */
void jit_format_unpack_rgba(uint32_t id, const void *src, float rgba[4]);
void jit_format_pack_rgba(uint32_t id, const float rgba[4], void *dst);
/* For a 4-byte 8-bit UNORM (not sRGB) array format: map[i] = the RGBA slot
 * stored in byte i, or 4 for an X byte (written as 255); returns 1. Other
 * formats return 0. */
int jit_format_unorm8_map(uint32_t id, uint8_t map[4]);

/* Formats whose texels JIT code unpacks inline (jit_llvm_tex.c): 4 bytes of
 * four 8-bit UNORM or sRGB channels in any order, X included. Read the texel
 * as a little-endian 32-bit word w; RGBA slot c is then
 * table[c][(w >> shift[c]) & 0xff]. The tables are the ones
 * jit_format_unpack_rgba reads (unorm8, srgb8; all 1.0 for an absent alpha),
 * so the floats are the same; unorm8[v] is also (float)v / 255.0f (tested),
 * which JIT code computes instead. table[0] == NULL: not such a format.
 * Indexed by format id, JIT_FORMAT_COUNT entries; built once, never freed. */
struct jit_format_rgba8 {
   const float *table[4];    /* per RGBA slot: 256 floats */
   uint32_t shift[4];        /* per RGBA slot: bit position of its byte in w (A: the X byte when no_alpha) */
   uint32_t srgb;            /* 1: R, G, B use the srgb8 table (else unorm8) */
   uint32_t no_alpha;        /* 1: A is 1 (an X channel); else A uses unorm8 */
};
const struct jit_format_rgba8 *jit_format_rgba8_layouts(void);

/* How a plain array format stores its channels, for code that decodes them
 * inline (the fused vertex fetch, jit_vs_fused.c): nr_channels channels of
 * `bits` bits (8, 16, 32; 64 for FLOAT only), channel i at byte
 * i * bits / 8, landing in RGBA slot swz[i] (4 = X: skipped), converted as
 * jit_format_unpack_rgba does for `type`. */
enum jit_chan_type {
   JIT_CHAN_UNORM,           /* (float)((double)v / (2^bits - 1)) */
   JIT_CHAN_SNORM,           /* (float)s / (float)(2^(bits-1) - 1), at least -1 */
   JIT_CHAN_FLOAT,           /* half, float or double, converted to float */
   JIT_CHAN_UINT,            /* the integer's bits (zero-extended) */
   JIT_CHAN_SINT,            /* the integer's bits (sign-extended) */
   JIT_CHAN_USCALED,         /* (float)v */
   JIT_CHAN_SSCALED,         /* (float)s */
};
struct jit_format_array {
   uint8_t type;             /* enum jit_chan_type */
   uint8_t bits;             /* per channel */
   uint8_t nr_channels;      /* 1..4 */
   uint8_t swz[4];           /* stored channel -> RGBA slot; 4 = X */
};
/* 0 and *out for such a format; -1 for every other (packed, luminance,
 * alpha, intensity, sRGB, depth/stencil, unknown). */
int jit_format_array_get(uint32_t id, struct jit_format_array *out);

/* Depth/stencil: depth as float in [0,1] (Z32_FLOAT unclamped), stencil 0..255.
 * pack_z writes only the depth bits, pack_s only the stencil bits. */
float jit_format_unpack_z(uint32_t id, const void *src);
uint8_t jit_format_unpack_s(uint32_t id, const void *src);
void jit_format_pack_z(uint32_t id, float z, void *dst);
void jit_format_pack_s(uint32_t id, uint8_t s, void *dst);
/* Depth as the integer the depth test compares (Z16: 0..65535, Z24: 0..2^24-1,
 * Z32_FLOAT: the float bits). jit_format_z_quantize maps a float depth to it. */
uint32_t jit_format_z_bits(uint32_t id, const void *src);
uint32_t jit_format_z_quantize(uint32_t id, float z);
/* Store depth bits q (as jit_format_z_quantize returns them), keeping stencil. */
void jit_format_store_z_bits(uint32_t id, uint32_t q, void *dst);

/* IEEE half <-> float, round to nearest even, denormals, inf and NaN kept. */
float jit_half_to_float(uint16_t h);
uint16_t jit_float_to_half(float f);

#endif
