/* bench_scene.c: the benchmark scenes. One unmodified EGL program (offscreen:
 * surfaceless, or the device platform where a GPU driver has no surfaceless
 * one; GLES 2 or desktop OpenGL 2.1) that renders one scene into an FBO for
 * a number of frames, reading the whole frame back each frame, and prints
 * one `result` line the harness (bench/run.sh) parses. The same binary runs
 * on llvmpipe in-process, through Mesa's virgl driver to virgl_test_server
 * or tessera serve, and on a GPU. Content is deterministic (no clocks, no
 * rand()), so every path renders the same picture.
 *
 * Usage: bench_scene SCENE [--size WxH] [--frames N] [--warmup W] [--api gles2|gl]
 *                          [--png FILE] [--programs N] [--frame-times]
 * `bench_scene --list` prints the scenes with their one-line descriptions. */
#define _GNU_SOURCE
#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLES2/gl2.h>
#include <GLES2/gl2ext.h>
#include <math.h>
#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include "bench_time.h"

#define MAX_PROGRAMS 64

struct scene;

struct bench {
   const struct scene *scene;
   int w, h, frames, desktop, programs;
   uint32_t seed;
   /* per scene objects */
   GLuint prog[MAX_PROGRAMS];
   GLint loc[MAX_PROGRAMS];  /* a uniform of each program, looked up once */
   GLuint vbo, ibo, tex;
   GLsizei count;            /* vertices or indices per draw */
   double work;              /* pixels or triangles per frame (for Mpix/s, Mtri/s) */
};

struct scene {
   const char *name;
   const char *unit;          /* "pix" or "tri": what `work` counts */
   int depth;                 /* the FBO has a depth/stencil buffer */
   const char *about;         /* one line for --list and the README */
   void (*setup)(struct bench *b);
   void (*frame)(struct bench *b, int f);
};

/* ---- GL helpers --------------------------------------------------------- */

/* GLSL 1.10 has no precision qualifiers; GLSL ES needs them */
static const char glsl_prefix[] = "#ifndef GL_ES\n#define highp\n#define mediump\n#else\nprecision highp float;\n#endif\n";

static void die(const char *what)
{
   fprintf(stderr, "bench_scene: %s\n", what);
   exit(1);
}

static GLuint compile(GLenum type, const char *src)
{
   GLuint s = glCreateShader(type);
   const char *srcs[2] = { glsl_prefix, src };
   glShaderSource(s, 2, srcs, NULL);
   glCompileShader(s);
   GLint ok;
   glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
   if (!ok) {
      char log[2048];
      glGetShaderInfoLog(s, sizeof(log), NULL, log);
      fprintf(stderr, "bench_scene: shader does not compile: %s\n%s\n", log, src);
      exit(1);
   }
   return s;
}

/* Attributes: 0 = pos, 1 = attr (color, normal or texcoord). */
static GLuint program(const char *vs, const char *fs)
{
   GLuint p = glCreateProgram();
   GLuint v = compile(GL_VERTEX_SHADER, vs), f = compile(GL_FRAGMENT_SHADER, fs);
   glAttachShader(p, v);
   glAttachShader(p, f);
   glBindAttribLocation(p, 0, "pos");
   glBindAttribLocation(p, 1, "attr");
   glLinkProgram(p);
   glDeleteShader(v);
   glDeleteShader(f);
   GLint ok;
   glGetProgramiv(p, GL_LINK_STATUS, &ok);
   if (!ok)
      die("program does not link");
   return p;
}

/* A static vertex buffer of n vertices of 8 floats: pos (4) and attr (4). */
static GLuint vertex_buffer(const float *v, size_t n)
{
   GLuint vbo;
   glGenBuffers(1, &vbo);
   glBindBuffer(GL_ARRAY_BUFFER, vbo);
   glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(n * 8 * sizeof(float)), v, GL_STATIC_DRAW);
   glVertexAttribPointer(0, 4, GL_FLOAT, GL_FALSE, 8 * sizeof(float), (const void *)0);
   glVertexAttribPointer(1, 4, GL_FLOAT, GL_FALSE, 8 * sizeof(float), (const void *)(4 * sizeof(float)));
   glEnableVertexAttribArray(0);
   glEnableVertexAttribArray(1);
   return vbo;
}

static void put_vertex(float *v, float x, float y, float z, float a0, float a1, float a2, float a3)
{
   v[0] = x; v[1] = y; v[2] = z; v[3] = 1;
   v[4] = a0; v[5] = a1; v[6] = a2; v[7] = a3;
}

/* Full-screen quads as triangle strips, one per layer: layer i at depth z[i],
 * texcoords (0,0)..(1,1) scaled by tc. */
static GLuint layer_buffer(int layers, const float *z, float tc)
{
   float *v = calloc((size_t)layers * 4 * 8, sizeof(float));
   if (!v)
      die("out of memory");
   for (int i = 0; i < layers; i++) {
      float *q = v + i * 32;
      float o = (float)i * 0.0625f; /* shift texcoords per layer */
      put_vertex(q, -1, -1, z[i], o, o, (float)i, 1);
      put_vertex(q + 8, 1, -1, z[i], tc + o, o, (float)i, 1);
      put_vertex(q + 16, -1, 1, z[i], o, tc + o, (float)i, 1);
      put_vertex(q + 24, 1, 1, z[i], tc + o, tc + o, (float)i, 1);
   }
   GLuint vbo = vertex_buffer(v, (size_t)layers * 4);
   free(v);
   return vbo;
}

/* Write w x h RGBA8 pixels read back from GL (bottom row first) as a PNG,
 * top row first. This program runs under an LD_PRELOAD shim and links
 * nothing of Tessera's. */
static int write_png(const char *path, const unsigned char *px, int w, int h)
{
   FILE *f = fopen(path, "wb");
   if (!f)
      return -1;
   png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
   png_infop info = png ? png_create_info_struct(png) : NULL;
   if (!info || setjmp(png_jmpbuf(png))) {
      png_destroy_write_struct(&png, info ? &info : NULL);
      fclose(f);
      return -1;
   }
   png_init_io(png, f);
   png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB_ALPHA, PNG_INTERLACE_NONE,
                PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
   png_write_info(png, info);
   for (int y = h - 1; y >= 0; y--)
      png_write_row(png, px + (size_t)y * w * 4);
   png_write_end(png, NULL);
   png_destroy_write_struct(&png, &info);
   return fclose(f) ? -1 : 0;
}

static uint32_t lcg(uint32_t *s)
{
   *s = *s * 1664525u + 1013904223u;
   return *s >> 8;
}

static float frand(uint32_t *s) /* [0, 1) */
{
   return (float)lcg(s) / 16777216.0f;
}

/* A w x h RGBA8 texture with a pattern: checks, gradients, rings. */
static GLuint pattern_texture(int size, GLenum filter)
{
   unsigned char *img = malloc((size_t)size * size * 4);
   if (!img)
      die("out of memory");
   for (int y = 0; y < size; y++)
      for (int x = 0; x < size; x++) {
         unsigned char *p = img + ((size_t)y * size + x) * 4;
         int c = ((x / 32) ^ (y / 32)) & 1;
         int dx = x - size / 2, dy = y - size / 2;
         p[0] = (unsigned char)(c ? 230 : 30);
         p[1] = (unsigned char)(x * 255 / size);
         p[2] = (unsigned char)((dx * dx + dy * dy) / 16 & 255);
         p[3] = (unsigned char)(128 + (y * 127 / size));
      }
   GLuint tex;
   glGenTextures(1, &tex);
   glBindTexture(GL_TEXTURE_2D, tex);
   glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, size, size, 0, GL_RGBA, GL_UNSIGNED_BYTE, img);
   glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, (GLint)filter);
   glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, (GLint)filter);
   glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_REPEAT);
   glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_REPEAT);
   free(img);
   return tex;
}

static void clear_frame(int f, int depth)
{
   glClearColor(0.05f + 0.01f * (float)(f % 8), 0.1f, 0.2f, 1.0f);
   glClear(GL_COLOR_BUFFER_BIT | (depth ? GL_DEPTH_BUFFER_BIT : 0));
}

/* ---- shaders ------------------------------------------------------------ */

static const char vs_pass[] = "attribute vec4 pos; attribute vec4 attr; varying highp vec4 v;\n"
                              "void main() { gl_Position = pos; v = attr; }\n";
static const char fs_uniform[] = "uniform highp vec4 color; void main() { gl_FragColor = color; }\n";
static const char fs_varying[] = "varying highp vec4 v; void main() { gl_FragColor = v; }\n";
static const char fs_tex[] = "varying highp vec4 v; uniform sampler2D t;\n"
                             "void main() { gl_FragColor = texture2D(t, v.xy); }\n";
/* a moderately expensive layer: a few dozen ALU operations per pixel */
static const char fs_layer[] =
   "varying highp vec4 v; uniform highp vec4 color;\n"
   "void main() {\n"
   "  highp vec2 p = v.xy * 6.0;\n"
   "  highp float a = sin(p.x + v.z) * cos(p.y - v.z) + sin(dot(p, vec2(0.7, 1.3)));\n"
   "  highp float b = 0.5 + 0.5 * sin(a * 3.7 + v.z * 0.13);\n"
   "  gl_FragColor = vec4(color.rgb * (0.5 + 0.5 * b), color.a);\n"
   "}\n";
static const char vs_mesh[] =
   "attribute vec4 pos; attribute vec4 attr; uniform highp mat4 mvp; uniform highp mat3 rot;\n"
   "varying highp vec3 n; varying highp vec3 p;\n"
   "void main() { gl_Position = mvp * pos; n = rot * attr.xyz; p = (rot * pos.xyz); }\n";
static const char fs_mesh[] =
   "varying highp vec3 n; varying highp vec3 p;\n"
   "void main() {\n"
   "  highp vec3 nn = normalize(n);\n"
   "  highp vec3 l = normalize(vec3(1.5, 1.5, 3.0) - p);\n"
   "  highp vec3 e = normalize(vec3(0.0, 0.0, 3.0) - p);\n"
   "  highp vec3 hv = normalize(l + e);\n"
   "  highp float d = max(dot(nn, l), 0.0);\n"
   "  highp float s = pow(max(dot(nn, hv), 0.0), 32.0);\n"
   "  gl_FragColor = vec4(vec3(0.15, 0.1, 0.05) + d * vec3(0.8, 0.5, 0.3) + s * vec3(0.6), 1.0);\n"
   "}\n";
static const char fs_heavy[] =
   "varying highp vec4 v; uniform sampler2D t;\n"
   "void main() {\n"
   "  highp vec4 acc = vec4(0.0);\n"
   "  highp vec2 uv = v.xy;\n"
   "  for (int i = 0; i < 16; i++) {\n"
   "    highp float fi = float(i);\n"
   "    highp vec2 o = vec2(cos(fi * 0.39), sin(fi * 0.39)) * (0.002 + fi * 0.0015);\n"
   "    highp vec4 s = texture2D(t, uv + o);\n"
   "    acc += s * (1.0 / (1.0 + fi * 0.25));\n"
   "    uv += (s.rg - 0.5) * 0.001;\n"
   "  }\n"
   "  gl_FragColor = vec4(acc.rgb * 0.25, 1.0);\n"
   "}\n";

/* ---- scenes ------------------------------------------------------------- */

static void setup_clear(struct bench *b)
{
   b->work = (double)b->w * b->h;
}

static void frame_clear(struct bench *b, int f)
{
   (void)b;
   glClearColor((float)(f % 16) / 16.0f, 0.5f, 0.25f, 1.0f);
   glClearDepthf(1.0f);
   glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
}

#define FILL_LAYERS 8

static void setup_fill(struct bench *b)
{
   float z[FILL_LAYERS] = { 0 };
   b->vbo = layer_buffer(FILL_LAYERS, z, 1);
   b->prog[0] = program(vs_pass, fs_uniform);
   glUseProgram(b->prog[0]);
   b->work = (double)b->w * b->h * FILL_LAYERS;
}

static void frame_fill(struct bench *b, int f)
{
   clear_frame(f, b->scene->depth);
   GLint loc = glGetUniformLocation(b->prog[0], "color");
   for (int i = 0; i < FILL_LAYERS; i++) {
      glUniform4f(loc, (float)i / FILL_LAYERS, 1.0f - (float)i / FILL_LAYERS, (float)(f % 4) / 4.0f, 1.0f);
      glDrawArrays(GL_TRIANGLE_STRIP, i * 4, 4);
   }
}

static void setup_blend(struct bench *b)
{
   setup_fill(b);
   glEnable(GL_BLEND);
   glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
}

static void frame_blend(struct bench *b, int f)
{
   clear_frame(f, 0);
   GLint loc = glGetUniformLocation(b->prog[0], "color");
   for (int i = 0; i < FILL_LAYERS; i++) {
      glUniform4f(loc, (float)i / FILL_LAYERS, 0.8f - (float)i / 16.0f, (float)(f % 4) / 4.0f, 0.3f + (float)i * 0.05f);
      glDrawArrays(GL_TRIANGLE_STRIP, i * 4, 4);
   }
}

#define TEX_LAYERS 4

static void setup_texture(struct bench *b)
{
   float z[TEX_LAYERS] = { 0 };
   b->vbo = layer_buffer(TEX_LAYERS, z, 1.37f);
   b->prog[0] = program(vs_pass, fs_tex);
   glUseProgram(b->prog[0]);
   glUniform1i(glGetUniformLocation(b->prog[0], "t"), 0);
   b->tex = pattern_texture(512, GL_LINEAR);
   b->work = (double)b->w * b->h * TEX_LAYERS;
}

static void frame_texture(struct bench *b, int f)
{
   (void)b;
   clear_frame(f, 0);
   for (int i = 0; i < TEX_LAYERS; i++)
      glDrawArrays(GL_TRIANGLE_STRIP, i * 4, 4);
}

#define SMALL_TRIS 100000

static void setup_smalltris(struct bench *b)
{
   float *v = malloc((size_t)SMALL_TRIS * 3 * 8 * sizeof(float));
   if (!v)
      die("out of memory");
   uint32_t s = 12345;
   for (int i = 0; i < SMALL_TRIS; i++) {
      /* legs of 5-7 px: 12-23 px of area */
      float cx = frand(&s) * (float)b->w, cy = frand(&s) * (float)b->h;
      float z = frand(&s) * 1.8f - 0.9f;
      float r = frand(&s), g = frand(&s), bl = frand(&s);
      float sx = 5 + 2 * frand(&s), sy = 5 + 2 * frand(&s);
      float px[3] = { cx, cx + sx, cx + sx * 0.3f }, py[3] = { cy, cy + sy * 0.2f, cy + sy };
      for (int k = 0; k < 3; k++)
         put_vertex(v + (i * 3 + k) * 8, px[k] / (float)b->w * 2 - 1, py[k] / (float)b->h * 2 - 1, z, r, g, bl, 1);
   }
   b->vbo = vertex_buffer(v, (size_t)SMALL_TRIS * 3);
   free(v);
   b->prog[0] = program(vs_pass, fs_varying);
   glUseProgram(b->prog[0]);
   glEnable(GL_DEPTH_TEST);
   glDepthFunc(GL_LESS);
   b->count = SMALL_TRIS * 3;
   b->work = SMALL_TRIS;
}

static void frame_smalltris(struct bench *b, int f)
{
   clear_frame(f, 1);
   glDrawArrays(GL_TRIANGLES, 0, b->count);
}

/* A torus of RINGS x SIDES quads: 2 * 160 * 160 = 51,200 triangles. */
#define RINGS 160
#define SIDES 160

static void setup_mesh(struct bench *b)
{
   size_t nv = (size_t)(RINGS + 1) * (SIDES + 1);
   float *v = malloc(nv * 8 * sizeof(float));
   GLushort *idx = malloc((size_t)RINGS * SIDES * 6 * sizeof(GLushort));
   if (!v || !idx)
      die("out of memory");
   const float big = 0.62f, small = 0.26f, tau = 6.28318530718f;
   for (int i = 0; i <= RINGS; i++)
      for (int j = 0; j <= SIDES; j++) {
         float u = (float)i / RINGS * tau, w = (float)j / SIDES * tau;
         float cx = cosf(u), sx = sinf(u), cw = cosf(w), sw = sinf(w);
         float *p = v + ((size_t)i * (SIDES + 1) + j) * 8;
         put_vertex(p, (big + small * cw) * cx, (big + small * cw) * sx, small * sw, cw * cx, cw * sx, sw, 0);
      }
   GLushort *q = idx;
   for (int i = 0; i < RINGS; i++)
      for (int j = 0; j < SIDES; j++) {
         GLushort a = (GLushort)(i * (SIDES + 1) + j), c = (GLushort)(a + SIDES + 1);
         *q++ = a; *q++ = c; *q++ = (GLushort)(a + 1);
         *q++ = (GLushort)(a + 1); *q++ = c; *q++ = (GLushort)(c + 1);
      }
   b->vbo = vertex_buffer(v, nv);
   glGenBuffers(1, &b->ibo);
   glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, b->ibo);
   glBufferData(GL_ELEMENT_ARRAY_BUFFER, (GLsizeiptr)((size_t)RINGS * SIDES * 6 * sizeof(GLushort)), idx, GL_STATIC_DRAW);
   free(v);
   free(idx);
   b->prog[0] = program(vs_mesh, fs_mesh);
   glUseProgram(b->prog[0]);
   glEnable(GL_DEPTH_TEST);
   glDepthFunc(GL_LESS);
   b->count = RINGS * SIDES * 6;
   b->work = RINGS * SIDES * 2;
}

static void frame_mesh(struct bench *b, int f)
{
   clear_frame(f, 1);
   /* rotate about x then y; orthographic projection, +z towards the viewer */
   float ax = 0.6f + 0.05f * (float)f, ay = 0.3f + 0.03f * (float)f;
   float cx = cosf(ax), sx = sinf(ax), cy = cosf(ay), sy = sinf(ay);
   float rot[9] = { cy, sx * sy, -cx * sy, 0, cx, sx, sy, -sx * cy, cx * cy }; /* column-major */
   float aspect = (float)b->h / (float)b->w;
   float mvp[16] = { rot[0] * aspect, rot[1], -rot[2] * 0.5f, 0, rot[3] * aspect, rot[4], -rot[5] * 0.5f, 0,
                     rot[6] * aspect, rot[7], -rot[8] * 0.5f, 0, 0, 0, 0, 1 };
   glUniformMatrix4fv(glGetUniformLocation(b->prog[0], "mvp"), 1, GL_FALSE, mvp);
   glUniformMatrix3fv(glGetUniformLocation(b->prog[0], "rot"), 1, GL_FALSE, rot);
   glDrawElements(GL_TRIANGLES, b->count, GL_UNSIGNED_SHORT, (const void *)0);
}

#define OVERDRAW_LAYERS 16

static void setup_overdraw(struct bench *b, int front_to_back)
{
   float z[OVERDRAW_LAYERS];
   for (int i = 0; i < OVERDRAW_LAYERS; i++) /* drawn in order: nearest first or farthest first */
      z[i] = front_to_back ? -0.9f + 0.1f * (float)i : 0.6f - 0.1f * (float)i;
   b->vbo = layer_buffer(OVERDRAW_LAYERS, z, 1);
   b->prog[0] = program(vs_pass, fs_layer);
   glUseProgram(b->prog[0]);
   glEnable(GL_DEPTH_TEST);
   glDepthFunc(GL_LESS);
   b->work = (double)b->w * b->h * OVERDRAW_LAYERS;
}

static void setup_ftb(struct bench *b) { setup_overdraw(b, 1); }
static void setup_btf(struct bench *b) { setup_overdraw(b, 0); }

static void frame_overdraw(struct bench *b, int f)
{
   clear_frame(f, 1);
   GLint loc = glGetUniformLocation(b->prog[0], "color");
   for (int i = 0; i < OVERDRAW_LAYERS; i++) {
      glUniform4f(loc, (float)(i % 4) / 3.0f, (float)(i % 3) / 2.0f, (float)i / OVERDRAW_LAYERS, 1);
      glDrawArrays(GL_TRIANGLE_STRIP, i * 4, 4);
   }
}

#define STATE_DRAWS 1000
#define STATE_COLS 40

static void setup_statechange(struct bench *b)
{
   float *v = malloc((size_t)STATE_DRAWS * 4 * 8 * sizeof(float));
   if (!v)
      die("out of memory");
   const int rows = STATE_DRAWS / STATE_COLS;
   for (int i = 0; i < STATE_DRAWS; i++) {
      float x0 = -1 + 2.0f * (float)(i % STATE_COLS) / STATE_COLS, y0 = -1 + 2.0f * (float)(i / STATE_COLS) / (float)rows;
      float x1 = x0 + 2.4f / STATE_COLS, y1 = y0 + 2.4f / (float)rows; /* overlap the neighbours */
      float r = (float)(i % 7) / 6.0f, g = (float)(i % 5) / 4.0f;
      put_vertex(v + (i * 4) * 8, x0, y0, 0, 0, 0, r, 0.6f);
      put_vertex(v + (i * 4 + 1) * 8, x1, y0, 0, 1, 0, g, 0.6f);
      put_vertex(v + (i * 4 + 2) * 8, x0, y1, 0, 0, 1, r, 0.6f);
      put_vertex(v + (i * 4 + 3) * 8, x1, y1, 0, 1, 1, g, 0.6f);
   }
   b->vbo = vertex_buffer(v, (size_t)STATE_DRAWS * 4);
   free(v);
   b->prog[0] = program(vs_pass, fs_uniform);
   b->prog[1] = program(vs_pass, fs_varying);
   b->prog[2] = program(vs_pass, fs_tex);
   b->prog[3] = program(vs_pass, fs_layer);
   for (int k = 0; k < 4; k++)
      b->loc[k] = glGetUniformLocation(b->prog[k], k == 2 ? "t" : "color");
   b->tex = pattern_texture(64, GL_NEAREST);
   b->work = STATE_DRAWS;
}

static void frame_statechange(struct bench *b, int f)
{
   clear_frame(f, 0);
   static const GLenum blend[4][2] = { { GL_ONE, GL_ZERO }, { GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA },
                                       { GL_ONE, GL_ONE }, { GL_DST_COLOR, GL_ZERO } };
   for (int i = 0; i < STATE_DRAWS; i++) {
      GLuint p = b->prog[i % 4];
      glUseProgram(p);
      int bs = (i / 4 + f) % 4;
      if (bs == 0) {
         glDisable(GL_BLEND);
      } else {
         glEnable(GL_BLEND);
         glBlendFunc(blend[bs][0], blend[bs][1]);
      }
      if (i % 4 == 0 || i % 4 == 3)
         glUniform4f(b->loc[i % 4], (float)(i % 11) / 10.0f, 0.5f, (float)(i % 3) / 2.0f, 0.7f);
      else if (i % 4 == 2)
         glUniform1i(b->loc[2], 0);
      glDrawArrays(GL_TRIANGLE_STRIP, i * 4, 4);
   }
   glDisable(GL_BLEND);
}

static void setup_shader(struct bench *b)
{
   float z[1] = { 0 };
   b->vbo = layer_buffer(1, z, 1);
   b->prog[0] = program(vs_pass, fs_heavy);
   glUseProgram(b->prog[0]);
   glUniform1i(glGetUniformLocation(b->prog[0], "t"), 0);
   b->tex = pattern_texture(256, GL_LINEAR);
   b->work = (double)b->w * b->h;
}

static void frame_shader(struct bench *b, int f)
{
   (void)b;
   clear_frame(f, 0);
   glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
}

/* firstframe: the programs differ in constants and expression shape, so no
 * renderer can reuse one's compiled code for another. Smooth functions only
 * (no fract of large values): renderers' sin/cos differ in the last bits,
 * and the images should show rendering differences, not chaos. */
static void setup_firstframe(struct bench *b)
{
   float z[1] = { 0 };
   b->vbo = layer_buffer(1, z, 1);
   for (int i = 0; i < b->programs; i++) {
      char fs[1024];
      snprintf(fs, sizeof(fs),
               "varying highp vec4 v;\n"
               "void main() {\n"
               "  highp vec2 p = v.xy * %d.0;\n"
               "  highp float a = sin(p.x * %.3f) + cos(p.y * %.3f + %d.0);\n"
               "  for (int k = 0; k < %d; k++) a = a * 0.7 + 0.3 * cos(a * %.2f + float(k));\n"
               "  gl_FragColor = vec4(0.5 + 0.5 * sin(a * 3.0), 0.5 + 0.5 * cos(a * 1.%d), %.3f, 1.0);\n"
               "}\n",
               i + 2, 1.0 + i * 0.37, 2.0 - i * 0.11, i, 1 + i % 5, 1.5 + i * 0.25, i, (double)i / b->programs);
      b->prog[i] = program(vs_pass, fs);
   }
   b->work = (double)b->w * b->h;
}

static void frame_firstframe(struct bench *b, int f)
{
   (void)b;
   clear_frame(f, 0);
   glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
}

static const struct scene scenes[] = {
   { "clear", "pix", 1, "clear color and depth each frame", setup_clear, frame_clear },
   { "fill", "pix", 1, "8 full-screen flat-color quads, depth buffer attached, depth test off", setup_fill, frame_fill },
   { "fill_nodepth", "pix", 0, "8 full-screen flat-color quads, no depth buffer", setup_fill, frame_fill },
   { "blend", "pix", 0, "8 full-screen alpha-blended quads (SRC_ALPHA, ONE_MINUS_SRC_ALPHA)", setup_blend, frame_blend },
   { "texture", "pix", 0, "4 full-screen quads sampling a 512x512 RGBA8 texture, bilinear", setup_texture, frame_texture },
   { "smalltris", "tri", 1, "100,000 triangles of 12-23 px each, per-vertex color, depth test LESS", setup_smalltris, frame_smalltris },
   { "mesh", "tri", 1, "51,200-triangle indexed torus, per-pixel Blinn-Phong lighting, depth test", setup_mesh, frame_mesh },
   { "overdraw_ftb", "pix", 1, "16 full-screen shaded layers drawn front to back, depth LESS (most rejected)", setup_ftb, frame_overdraw },
   { "overdraw_btf", "pix", 1, "16 full-screen shaded layers drawn back to front, depth LESS (all pass)", setup_btf, frame_overdraw },
   { "statechange", "draw", 0, "1,000 small quads per frame cycling 4 programs, 4 blend states, uniforms", setup_statechange, frame_statechange },
   { "shader", "pix", 0, "full-screen effect: 16-iteration loop with a bilinear texture fetch each", setup_shader, frame_shader },
   { "firstframe", "pix", 0, "N new programs (--programs, default 20), time of each one's first full-screen draw", setup_firstframe, frame_firstframe },
};
#define NSCENES (sizeof(scenes) / sizeof(scenes[0]))

/* ---- EGL ---------------------------------------------------------------- */

static EGLDisplay open_display(const char **platform)
{
   PFNEGLGETPLATFORMDISPLAYEXTPROC gpd = (PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress("eglGetPlatformDisplayEXT");
   if (!gpd)
      return EGL_NO_DISPLAY;
   EGLDisplay dpy = gpd(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
   if (dpy != EGL_NO_DISPLAY && eglInitialize(dpy, NULL, NULL)) {
      *platform = "surfaceless";
      return dpy;
   }
   /* GPU drivers without a surfaceless platform (NVIDIA): the first device */
   PFNEGLQUERYDEVICESEXTPROC qd = (PFNEGLQUERYDEVICESEXTPROC)eglGetProcAddress("eglQueryDevicesEXT");
   EGLDeviceEXT dev[4];
   EGLint n = 0;
   if (qd && qd(4, dev, &n) && n > 0) {
      dpy = gpd(EGL_PLATFORM_DEVICE_EXT, dev[0], NULL);
      if (dpy != EGL_NO_DISPLAY && eglInitialize(dpy, NULL, NULL)) {
         *platform = "device";
         return dpy;
      }
   }
   return EGL_NO_DISPLAY;
}

static double cpu_ms(void)
{
   struct rusage ru;
   getrusage(RUSAGE_SELF, &ru);
   return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
          (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static double median(double *v, int n)
{
   qsort(v, (size_t)n, sizeof(double), cmp_double);
   return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void usage(FILE *f)
{
   fprintf(f, "usage: bench_scene SCENE [--size WxH] [--frames N] [--warmup W] [--api gles2|gl] [--png FILE]\n"
              "                         [--programs N] [--frame-times]\n"
              "       bench_scene --list\n"
              "Renders SCENE offscreen (EGL) for W untimed (default 1) + N timed frames (default 10),\n"
              "reading every frame back, and prints one line: result scene=.. frames=<timed>\n"
              "rendered=<all frames> ms=<median of the timed frames> first_ms=<first frame; firstframe:\n"
              "median first draw> warmup_ms=<mean of the untimed frames after the first, or ->\n"
              "cpu_ms=<process CPU per timed frame> cpu_total_ms=<process CPU, whole run> work=.. unit=..\n"
              "--png writes the last frame; --frame-times first prints \"frame N MS\" for each timed frame.\n"
              "Exit 77: no EGL display.\n");
}

int main(int argc, char **argv)
{
   struct bench b;
   memset(&b, 0, sizeof(b));
   b.w = 1024;
   b.h = 768;
   b.frames = 10;
   b.programs = 20;
   const char *png = NULL, *name = NULL;
   int frame_times = 0, warmup = 1;
   for (int i = 1; i < argc; i++) {
      const char *a = argv[i];
      if (!strcmp(a, "--list")) {
         for (size_t s = 0; s < NSCENES; s++)
            printf("%-13s %s\n", scenes[s].name, scenes[s].about);
         return 0;
      } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
         usage(stdout);
         return 0;
      } else if (!strcmp(a, "--size") && i + 1 < argc) {
         if (sscanf(argv[++i], "%dx%d", &b.w, &b.h) != 2 || b.w < 16 || b.h < 16 || b.w > 8192 || b.h > 8192) {
            fprintf(stderr, "bench_scene: --size takes WxH, 16..8192 each\n");
            return 2;
         }
      } else if (!strcmp(a, "--frames") && i + 1 < argc) {
         b.frames = atoi(argv[++i]);
         if (b.frames < 1 || b.frames > 100000) {
            fprintf(stderr, "bench_scene: --frames takes 1..100000\n");
            return 2;
         }
      } else if (!strcmp(a, "--warmup") && i + 1 < argc) {
         warmup = atoi(argv[++i]);
         if (warmup < 1 || warmup > 100000) {
            fprintf(stderr, "bench_scene: --warmup takes 1..100000\n");
            return 2;
         }
      } else if (!strcmp(a, "--programs") && i + 1 < argc) {
         b.programs = atoi(argv[++i]);
         if (b.programs < 1 || b.programs > MAX_PROGRAMS) {
            fprintf(stderr, "bench_scene: --programs takes 1..%d\n", MAX_PROGRAMS);
            return 2;
         }
      } else if (!strcmp(a, "--api") && i + 1 < argc) {
         const char *api = argv[++i];
         if (strcmp(api, "gles2") && strcmp(api, "gl")) {
            fprintf(stderr, "bench_scene: --api takes gles2 or gl\n");
            return 2;
         }
         b.desktop = !strcmp(api, "gl");
      } else if (!strcmp(a, "--frame-times")) {
         frame_times = 1;
      } else if (!strcmp(a, "--png") && i + 1 < argc) {
         png = argv[++i];
      } else if (a[0] != '-' && !name) {
         name = a;
      } else {
         fprintf(stderr, "bench_scene: unknown or incomplete option '%s'\n", a);
         usage(stderr);
         return 2;
      }
   }
   for (size_t s = 0; name && s < NSCENES; s++)
      if (!strcmp(scenes[s].name, name))
         b.scene = &scenes[s];
   if (!b.scene) {
      fprintf(stderr, "bench_scene: %s scene%s%s (bench_scene --list shows them)\n", name ? "unknown" : "no",
              name ? " " : "", name ? name : "");
      return 2;
   }

   const char *platform = "";
   EGLDisplay dpy = open_display(&platform);
   if (dpy == EGL_NO_DISPLAY) {
      fprintf(stderr, "bench_scene: no EGL display (surfaceless or device platform)\n");
      return 77;
   }
   eglBindAPI(b.desktop ? EGL_OPENGL_API : EGL_OPENGL_ES_API);
   const EGLint cfg_attr[] = { EGL_RENDERABLE_TYPE, b.desktop ? EGL_OPENGL_BIT : EGL_OPENGL_ES2_BIT,
                               EGL_SURFACE_TYPE, EGL_PBUFFER_BIT, EGL_NONE };
   EGLConfig cfg;
   EGLint n = 0;
   if (!eglChooseConfig(dpy, cfg_attr, &cfg, 1, &n) || n == 0)
      cfg = NULL; /* surfaceless may expose no configs: the FBO needs none */
   const EGLint ctx_attr[] = { EGL_CONTEXT_CLIENT_VERSION, 2, EGL_NONE };
   EGLContext ctx = eglCreateContext(dpy, cfg, EGL_NO_CONTEXT, b.desktop ? NULL : ctx_attr);
   if (ctx == EGL_NO_CONTEXT || !eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, ctx)) {
      fprintf(stderr, "bench_scene: cannot create a %s context\n", b.desktop ? "desktop OpenGL" : "GLES 2");
      return 1;
   }
   printf("renderer: %s | %s | EGL %s %s\n", glGetString(GL_RENDERER), glGetString(GL_VERSION), platform,
          eglQueryString(dpy, EGL_VENDOR));

   GLuint fbo, rb[2];
   glGenFramebuffers(1, &fbo);
   glBindFramebuffer(GL_FRAMEBUFFER, fbo);
   glGenRenderbuffers(2, rb);
   glBindRenderbuffer(GL_RENDERBUFFER, rb[0]);
   glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8_OES, b.w, b.h);
   glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, rb[0]);
   if (b.scene->depth) {
      glBindRenderbuffer(GL_RENDERBUFFER, rb[1]);
      glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH24_STENCIL8_OES, b.w, b.h);
      glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, rb[1]);
      glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_STENCIL_ATTACHMENT, GL_RENDERBUFFER, rb[1]);
   }
   if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE)
      die("framebuffer incomplete");
   glViewport(0, 0, b.w, b.h);
   glClearDepthf(1.0f);

   unsigned char *px = malloc((size_t)b.w * b.h * 4);
   double *times = malloc(sizeof(double) * (size_t)(b.frames > b.programs ? b.frames : b.programs));
   if (!px || !times)
      die("out of memory");
   b.scene->setup(&b);
   double first_ms, ms, cpu0, cpu1, warm_total = 0;
   int timed, frame_no;
   if (b.scene->setup == setup_firstframe) {
      /* every program's first draw is timed; the steady frame is the last
       * program drawn again */
      for (int i = 0; i < b.programs; i++) {
         glUseProgram(b.prog[i]);
         double t0 = now_ms();
         b.scene->frame(&b, i);
         glReadPixels(0, 0, b.w, b.h, GL_RGBA, GL_UNSIGNED_BYTE, px);
         times[i] = now_ms() - t0;
      }
      first_ms = median(times, b.programs);
      for (int f = 1; f < warmup; f++) { /* the last program drawn again, untimed */
         double t0 = now_ms();
         b.scene->frame(&b, b.programs - 1);
         glReadPixels(0, 0, b.w, b.h, GL_RGBA, GL_UNSIGNED_BYTE, px);
         warm_total += now_ms() - t0;
      }
      cpu0 = cpu_ms();
      for (int f = 0; f < b.frames; f++) {
         double t0 = now_ms();
         b.scene->frame(&b, b.programs - 1);
         glReadPixels(0, 0, b.w, b.h, GL_RGBA, GL_UNSIGNED_BYTE, px);
         times[f] = now_ms() - t0;
         if (frame_times)
            printf("frame %d %.3f ms\n", f + 1, times[f]);
      }
      cpu1 = cpu_ms();
      timed = b.frames;
      ms = median(times, b.frames);
   } else {
      double t0 = now_ms();
      b.scene->frame(&b, 0);
      glReadPixels(0, 0, b.w, b.h, GL_RGBA, GL_UNSIGNED_BYTE, px);
      first_ms = now_ms() - t0;
      for (frame_no = 1; frame_no < warmup; frame_no++) { /* untimed: the JIT's first variants may still compile */
         t0 = now_ms();
         b.scene->frame(&b, frame_no);
         glReadPixels(0, 0, b.w, b.h, GL_RGBA, GL_UNSIGNED_BYTE, px);
         warm_total += now_ms() - t0;
      }
      cpu0 = cpu_ms();
      for (int f = 0; f < b.frames; f++) {
         t0 = now_ms();
         b.scene->frame(&b, frame_no + f);
         glReadPixels(0, 0, b.w, b.h, GL_RGBA, GL_UNSIGNED_BYTE, px);
         times[f] = now_ms() - t0;
         if (frame_times)
            printf("frame %d %.3f ms\n", f + 1, times[f]);
      }
      cpu1 = cpu_ms();
      timed = b.frames;
      ms = median(times, b.frames);
   }
   GLenum err = glGetError();
   if (err != GL_NO_ERROR) {
      fprintf(stderr, "bench_scene: GL error 0x%x\n", err);
      return 1;
   }
   int rendered = timed + (b.scene->setup == setup_firstframe ? b.programs : 1) + (warmup - 1);
   char warm[32] = "-";
   if (warmup > 1)
      snprintf(warm, sizeof(warm), "%.3f", warm_total / (warmup - 1));
   printf("result scene=%s size=%dx%d frames=%d rendered=%d ms=%.3f first_ms=%.3f cpu_ms=%.3f cpu_total_ms=%.3f "
          "work=%.0f unit=%s warmup_ms=%s\n",
          b.scene->name, b.w, b.h, timed, rendered, ms, first_ms, (cpu1 - cpu0) / timed, cpu_ms(), b.work,
          b.scene->unit, warm);
   if (png && write_png(png, px, b.w, b.h)) {
      fprintf(stderr, "bench_scene: cannot write %s\n", png);
      return 1;
   }
   free(px);
   free(times);
   eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
   eglDestroyContext(dpy, ctx);
   eglTerminate(dpy);
   return 0;
}
