/* gl_scene.c: a real GL client for the vtest tests: EGL surfaceless, a
 * GLES 2 context, an FBO, deterministic scenes (clear, triangles, depth,
 * stencil, blending, mipmapped texture, indexed draws, many draws, several
 * frames); writes the last frame as raw RGBA to the file named on the
 * command line and prints the GL version and renderer. With a third
 * argument `gl` it runs the same scenes on a desktop OpenGL (2.1 or later)
 * context instead of GLES 2 (glvnd dispatches the calls to whichever API is
 * current). Runs unchanged on llvmpipe in-process and through virpipe ->
 * tessera serve. */
#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLES2/gl2.h>
#include <GLES2/gl2ext.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W 128
#define H 96

/* GLSL 1.10 has no precision qualifiers; GLSL ES needs them */
static const char glsl_prefix[] = "#ifndef GL_ES\n#define highp\n#endif\n";

static GLuint compile(GLenum type, const char *src)
{
   GLuint s = glCreateShader(type);
   const char *srcs[2] = { glsl_prefix, src };
   glShaderSource(s, 2, srcs, NULL);
   glCompileShader(s);
   GLint ok;
   glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
   if (!ok) {
      char log[1024];
      glGetShaderInfoLog(s, sizeof(log), NULL, log);
      fprintf(stderr, "shader: %s\n", log);
      exit(1);
   }
   return s;
}

static GLuint program(const char *vs, const char *fs)
{
   GLuint p = glCreateProgram();
   glAttachShader(p, compile(GL_VERTEX_SHADER, vs));
   glAttachShader(p, compile(GL_FRAGMENT_SHADER, fs));
   glBindAttribLocation(p, 0, "pos");
   glBindAttribLocation(p, 1, "attr");
   glLinkProgram(p);
   GLint ok;
   glGetProgramiv(p, GL_LINK_STATUS, &ok);
   if (!ok) {
      fprintf(stderr, "link failed\n");
      exit(1);
   }
   return p;
}

static const char vs_color[] = "attribute vec4 pos; attribute vec4 attr; varying highp vec4 v;\n"
                               "void main() { gl_Position = pos; v = attr; }\n";
static const char fs_color[] = "varying highp vec4 v; void main() { gl_FragColor = v; }\n";
static const char fs_tex[] = "varying highp vec4 v; uniform sampler2D t;\n"
                             "void main() { gl_FragColor = texture2D(t, v.xy); }\n";

static void draw(GLenum mode, const float *pos, const float *attr, int n)
{
   glVertexAttribPointer(0, 4, GL_FLOAT, GL_FALSE, 0, pos);
   glVertexAttribPointer(1, 4, GL_FLOAT, GL_FALSE, 0, attr);
   glDrawArrays(mode, 0, n);
}

static void quad(float x0, float y0, float x1, float y1, float z, const float c[4])
{
   const float p[16] = { x0, y0, z, 1, x1, y0, z, 1, x0, y1, z, 1, x1, y1, z, 1 };
   float a[16];
   for (int i = 0; i < 4; i++)
      memcpy(a + i * 4, c, 16);
   draw(GL_TRIANGLE_STRIP, p, a, 4);
}

int main(int argc, char **argv)
{
   if (argc < 3) {
      fprintf(stderr, "usage: gl_scene SCENE OUT.rgba [gl]\n"
                      "scenes: clear triangles depth stencil blend texture indexed many frames\n");
      return 2;
   }
   const char *scene = argv[1];
   int desktop = argc > 3 && !strcmp(argv[3], "gl");
   EGLDisplay dpy = EGL_NO_DISPLAY;
   PFNEGLGETPLATFORMDISPLAYEXTPROC gpd = (PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress("eglGetPlatformDisplayEXT");
   if (gpd)
      dpy = gpd(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
   if (dpy == EGL_NO_DISPLAY || !eglInitialize(dpy, NULL, NULL)) {
      fprintf(stderr, "gl_scene: no EGL surfaceless display\n");
      return 77;
   }
   eglBindAPI(desktop ? EGL_OPENGL_API : EGL_OPENGL_ES_API);
   const EGLint cfg_attr[] = { EGL_RENDERABLE_TYPE, desktop ? EGL_OPENGL_BIT : EGL_OPENGL_ES2_BIT, EGL_SURFACE_TYPE,
                               EGL_PBUFFER_BIT, EGL_NONE };
   EGLConfig cfg;
   EGLint n = 0;
   if (!eglChooseConfig(dpy, cfg_attr, &cfg, 1, &n) || n == 0) {
      /* surfaceless may expose no configs: use no config */
      cfg = NULL;
   }
   const EGLint ctx_attr[] = { EGL_CONTEXT_CLIENT_VERSION, 2, EGL_NONE };
   EGLContext ctx = eglCreateContext(dpy, cfg, EGL_NO_CONTEXT, desktop ? NULL : ctx_attr);
   if (ctx == EGL_NO_CONTEXT || !eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, ctx)) {
      fprintf(stderr, "gl_scene: cannot create a %s context\n", desktop ? "desktop OpenGL" : "GLES 2");
      return 1;
   }
   printf("GL_VERSION: %s\nGL_RENDERER: %s\n", glGetString(GL_VERSION), glGetString(GL_RENDERER));

   GLuint fbo, rb[2];
   glGenFramebuffers(1, &fbo);
   glBindFramebuffer(GL_FRAMEBUFFER, fbo);
   glGenRenderbuffers(2, rb);
   glBindRenderbuffer(GL_RENDERBUFFER, rb[0]);
   glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8_OES, W, H);
   glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, rb[0]);
   glBindRenderbuffer(GL_RENDERBUFFER, rb[1]);
   glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH24_STENCIL8_OES, W, H);
   glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, rb[1]);
   glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_STENCIL_ATTACHMENT, GL_RENDERBUFFER, rb[1]);
   if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
      fprintf(stderr, "gl_scene: framebuffer incomplete\n");
      return 1;
   }
   glViewport(0, 0, W, H);
   GLuint pc = program(vs_color, fs_color);
   glUseProgram(pc);
   glEnableVertexAttribArray(0);
   glEnableVertexAttribArray(1);
   glClearColor(0.1f, 0.2f, 0.3f, 1.0f);
   glClearDepthf(1.0f);
   glClearStencil(0);
   glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT | GL_STENCIL_BUFFER_BIT);
   const float red[4] = { 1, 0, 0, 1 }, green[4] = { 0, 1, 0, 1 }, blue[4] = { 0, 0, 1, 1 };
   const float half[4] = { 1, 1, 0, 0.5f };

   if (!strcmp(scene, "clear")) {
      /* nothing more */
   } else if (!strcmp(scene, "triangles")) {
      const float p[12] = { -0.8f, -0.8f, 0, 1, 0.8f, -0.7f, 0, 1, 0.1f, 0.9f, 0, 1 };
      const float a[12] = { 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1 };
      draw(GL_TRIANGLES, p, a, 3);
   } else if (!strcmp(scene, "depth")) {
      glEnable(GL_DEPTH_TEST);
      glDepthFunc(GL_LESS);
      quad(-0.5f, -0.5f, 0.5f, 0.5f, -0.2f, red);
      quad(-0.9f, -0.2f, 0.9f, 0.2f, 0.3f, green);
      quad(-0.2f, -0.9f, 0.2f, 0.9f, -0.6f, blue);
   } else if (!strcmp(scene, "stencil")) {
      glEnable(GL_STENCIL_TEST);
      glStencilFunc(GL_ALWAYS, 1, 0xff);
      glStencilOp(GL_KEEP, GL_KEEP, GL_REPLACE);
      glColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_FALSE);
      quad(-0.6f, -0.6f, 0.2f, 0.2f, 0, red);
      glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
      glStencilFunc(GL_EQUAL, 1, 0xff);
      glStencilOp(GL_KEEP, GL_KEEP, GL_KEEP);
      quad(-0.3f, -0.3f, 0.7f, 0.7f, 0, green);
   } else if (!strcmp(scene, "blend")) {
      quad(-0.7f, -0.7f, 0.3f, 0.3f, 0, blue);
      glEnable(GL_BLEND);
      glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
      quad(-0.3f, -0.3f, 0.7f, 0.7f, 0, half);
      glBlendFunc(GL_ONE, GL_ONE);
      quad(-0.9f, 0.5f, 0.9f, 0.8f, 0, half);
   } else if (!strcmp(scene, "texture")) {
      GLuint tex, pt = program(vs_color, fs_tex);
      glUseProgram(pt);
      glGenTextures(1, &tex);
      glBindTexture(GL_TEXTURE_2D, tex);
      for (int lvl = 0, s = 32; s >= 1; lvl++, s /= 2) {
         unsigned char *img = malloc((size_t)s * s * 4);
         for (int y = 0; y < s; y++)
            for (int x = 0; x < s; x++) {
               unsigned char *p = img + (y * s + x) * 4;
               int c = ((x * 4 / s) ^ (y * 4 / s)) & 1;
               p[0] = (unsigned char)(c ? 240 : 20 + lvl * 30);
               p[1] = (unsigned char)(x * 255 / s);
               p[2] = (unsigned char)(y * 255 / s);
               p[3] = 255;
            }
         glTexImage2D(GL_TEXTURE_2D, lvl, GL_RGBA, s, s, 0, GL_RGBA, GL_UNSIGNED_BYTE, img);
         free(img);
      }
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST_MIPMAP_NEAREST);
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_REPEAT);
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_REPEAT);
      const float p[16] = { -1, -1, 0, 1, 1, -1, 0, 1, -1, 1, 0, 1, 1, 1, 0, 1 };
      const float a[16] = { 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 2, 2, 0, 0 };
      draw(GL_TRIANGLE_STRIP, p, a, 4);
   } else if (!strcmp(scene, "indexed")) {
      float p[9 * 4], a[9 * 4];
      for (int i = 0; i < 9; i++) {
         p[i * 4] = -0.8f + (i % 3) * 0.8f;
         p[i * 4 + 1] = -0.8f + (i / 3) * 0.8f;
         p[i * 4 + 2] = 0;
         p[i * 4 + 3] = 1;
         a[i * 4] = (i % 3) / 2.0f;
         a[i * 4 + 1] = (i / 3) / 2.0f;
         a[i * 4 + 2] = 0.5f;
         a[i * 4 + 3] = 1;
      }
      const GLushort idx[] = { 0, 1, 4, 0, 4, 3, 1, 2, 5, 1, 5, 4, 3, 4, 7, 3, 7, 6 };
      glVertexAttribPointer(0, 4, GL_FLOAT, GL_FALSE, 0, p);
      glVertexAttribPointer(1, 4, GL_FLOAT, GL_FALSE, 0, a);
      glDrawElements(GL_TRIANGLES, 18, GL_UNSIGNED_SHORT, idx);
   } else if (!strcmp(scene, "many") || !strcmp(scene, "frames")) {
      int frames = !strcmp(scene, "frames") ? 5 : 1;
      unsigned char junk[4];
      for (int f = 0; f < frames; f++) {
         glClear(GL_COLOR_BUFFER_BIT);
         for (int i = 0; i < 200; i++) {
            float x = -1.0f + (float)(i % 20) * 0.1f, y = -1.0f + (float)(i / 20) * 0.2f;
            const float c[4] = { (i % 7) / 6.0f, (i % 5) / 4.0f, (float)f / frames, 1 };
            quad(x, y, x + 0.09f, y + 0.18f, 0, c);
         }
         glReadPixels(0, 0, 1, 1, GL_RGBA, GL_UNSIGNED_BYTE, junk);
      }
   } else {
      fprintf(stderr, "gl_scene: unknown scene '%s'\n", scene);
      return 2;
   }
   static unsigned char px[W * H * 4];
   glReadPixels(0, 0, W, H, GL_RGBA, GL_UNSIGNED_BYTE, px);
   GLenum err = glGetError();
   if (err != GL_NO_ERROR) {
      fprintf(stderr, "gl_scene: GL error 0x%x\n", err);
      return 1;
   }
   FILE *f = fopen(argv[2], "wb");
   if (!f || fwrite(px, 1, sizeof(px), f) != sizeof(px)) {
      fprintf(stderr, "gl_scene: cannot write %s\n", argv[2]);
      return 1;
   }
   fclose(f);
   eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
   eglDestroyContext(dpy, ctx);
   eglTerminate(dpy);
   return 0;
}
