/* bench_report.c: the benchmark harness's image and chart tool.
 *
 *   bench_report compare REF.png TEST.png DIFF.png
 *       prints "max_diff=N differing_pct=P psnr=DB" (all four channels; psnr
 *       "inf" when identical) and writes a diff image: the reference dimmed to
 *       a quarter, each differing pixel in red, brighter the larger its
 *       largest channel difference. Exit 1 when the sizes differ.
 *   bench_report chart SUMMARY.tsv OUT.png
 *       a horizontal bar chart, one group per scene and one bar per path, of
 *       the column speed_vs_llvmpipe (log2 scale, 1 = as fast as llvmpipe).
 *
 * Text is drawn with a built-in 5x7 font (upper case, digits, a little
 * punctuation), so the tool needs nothing beyond libpng. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/tools_png.h"

/* ---- compare -------------------------------------------------------------- */

static int compare(const char *ref_path, const char *test_path, const char *diff_path)
{
   uint8_t *a = NULL, *b = NULL;
   uint32_t aw, ah, bw, bh;
   char err[512];
   if (tools_png_read_rgba8(ref_path, &a, &aw, &ah, err, sizeof(err)) ||
       tools_png_read_rgba8(test_path, &b, &bw, &bh, err, sizeof(err))) {
      fprintf(stderr, "bench_report: %s\n", err);
      free(a);
      return 2;
   }
   if (aw != bw || ah != bh) {
      fprintf(stderr, "bench_report: %s is %ux%u, %s is %ux%u\n", ref_path, aw, ah, test_path, bw, bh);
      free(a);
      free(b);
      return 1;
   }
   size_t n = (size_t)aw * ah;
   uint8_t *d = malloc(n * 4);
   if (!d) {
      fprintf(stderr, "bench_report: out of memory\n");
      free(a);
      free(b);
      return 2;
   }
   int maxd = 0;
   size_t differing = 0;
   double sq = 0;
   for (size_t i = 0; i < n; i++) {
      int pd = 0;
      for (int c = 0; c < 4; c++) {
         int dc = abs((int)a[i * 4 + c] - (int)b[i * 4 + c]);
         sq += (double)dc * dc;
         pd = dc > pd ? dc : pd;
      }
      maxd = pd > maxd ? pd : maxd;
      differing += pd > 0;
      uint8_t *o = d + i * 4;
      if (pd) {
         o[0] = (uint8_t)(pd * 8 + 128 > 255 ? 255 : pd * 8 + 128);
         o[1] = o[2] = 0;
      } else {
         int l = (a[i * 4] * 77 + a[i * 4 + 1] * 150 + a[i * 4 + 2] * 29) >> 10; /* luma / 4 */
         o[0] = o[1] = o[2] = (uint8_t)l;
      }
      o[3] = 255;
   }
   double mse = sq / ((double)n * 4);
   if (mse == 0)
      printf("max_diff=0 differing_pct=0 psnr=inf\n");
   else
      printf("max_diff=%d differing_pct=%.4f psnr=%.2f\n", maxd, 100.0 * (double)differing / (double)n,
             10.0 * log10(255.0 * 255.0 / mse));
   int ret = 0;
   if (tools_png_write_rgba8(diff_path, d, aw, ah, aw * 4, 0, err, sizeof(err))) {
      fprintf(stderr, "bench_report: %s\n", err);
      ret = 2;
   }
   free(a);
   free(b);
   free(d);
   return ret;
}

/* ---- a small canvas with a 5x7 font -------------------------------------- */

struct canvas {
   int w, h;
   uint8_t *px;
};

static void fill_rect(struct canvas *cv, int x0, int y0, int x1, int y1, uint32_t rgb)
{
   for (int y = y0 < 0 ? 0 : y0; y < y1 && y < cv->h; y++)
      for (int x = x0 < 0 ? 0 : x0; x < x1 && x < cv->w; x++) {
         uint8_t *p = cv->px + ((size_t)y * cv->w + x) * 4;
         p[0] = (uint8_t)(rgb >> 16);
         p[1] = (uint8_t)(rgb >> 8);
         p[2] = (uint8_t)rgb;
         p[3] = 255;
      }
}

/* Rows of each glyph, 5 bits each, the top bit is the left column. */
static const struct {
   char c;
   uint8_t rows[7];
} font[] = {
   { 'A', { 0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11 } }, { 'B', { 0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E } },
   { 'C', { 0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E } }, { 'D', { 0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C } },
   { 'E', { 0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F } }, { 'F', { 0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10 } },
   { 'G', { 0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F } }, { 'H', { 0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11 } },
   { 'I', { 0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E } }, { 'J', { 0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C } },
   { 'K', { 0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11 } }, { 'L', { 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F } },
   { 'M', { 0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11 } }, { 'N', { 0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11 } },
   { 'O', { 0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E } }, { 'P', { 0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10 } },
   { 'Q', { 0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D } }, { 'R', { 0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11 } },
   { 'S', { 0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E } }, { 'T', { 0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04 } },
   { 'U', { 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E } }, { 'V', { 0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04 } },
   { 'W', { 0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A } }, { 'X', { 0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11 } },
   { 'Y', { 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04, 0x04 } }, { 'Z', { 0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F } },
   { '0', { 0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E } }, { '1', { 0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E } },
   { '2', { 0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F } }, { '3', { 0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E } },
   { '4', { 0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02 } }, { '5', { 0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E } },
   { '6', { 0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E } }, { '7', { 0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08 } },
   { '8', { 0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E } }, { '9', { 0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C } },
   { '_', { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1F } }, { '.', { 0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C } },
   { '/', { 0x01, 0x01, 0x02, 0x04, 0x08, 0x10, 0x10 } }, { '-', { 0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00 } },
   { ':', { 0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00 } }, { '(', { 0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02 } },
   { ')', { 0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08 } }, { '>', { 0x10, 0x08, 0x04, 0x02, 0x04, 0x08, 0x10 } },
   { ',', { 0x00, 0x00, 0x00, 0x00, 0x0C, 0x04, 0x08 } }, { '=', { 0x00, 0x00, 0x1F, 0x00, 0x1F, 0x00, 0x00 } },
   { '+', { 0x00, 0x04, 0x04, 0x1F, 0x04, 0x04, 0x00 } }, { '%', { 0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03 } },
};

#define GLYPH_W 6   /* 5 columns and a space */

/* Draw text at (x, y) (top-left), each font pixel scale x scale. Lower case
 * is drawn as upper case; characters the font lacks leave a space. */
static void text(struct canvas *cv, int x, int y, int scale, const char *s, uint32_t rgb)
{
   for (; *s; s++, x += GLYPH_W * scale) {
      char c = *s >= 'a' && *s <= 'z' ? (char)(*s - 32) : *s;
      for (size_t g = 0; g < sizeof(font) / sizeof(font[0]); g++) {
         if (font[g].c != c)
            continue;
         for (int r = 0; r < 7; r++)
            for (int col = 0; col < 5; col++)
               if (font[g].rows[r] & (0x10 >> col))
                  fill_rect(cv, x + col * scale, y + r * scale, x + (col + 1) * scale, y + (r + 1) * scale, rgb);
         break;
      }
   }
}

/* ---- chart ---------------------------------------------------------------- */

#define MAX_ROWS 512
#define MAX_NAMES 16

struct row {
   char scene[64], path[64];
   double ratio;
};

static int name_index(char names[][64], int *n, const char *s)
{
   for (int i = 0; i < *n; i++)
      if (!strcmp(names[i], s))
         return i;
   if (*n >= MAX_NAMES)
      return -1;
   snprintf(names[*n], 64, "%s", s);
   return (*n)++;
}

/* Split a TSV line in place; returns the number of fields. */
static int split(char *line, char **f, int max)
{
   int n = 0;
   line[strcspn(line, "\r\n")] = 0;
   while (n < max) {
      f[n++] = line;
      char *tab = strchr(line, '\t');
      if (!tab)
         break;
      *tab = 0;
      line = tab + 1;
   }
   return n;
}

static int chart(const char *tsv, const char *out)
{
   FILE *f = fopen(tsv, "r");
   if (!f) {
      fprintf(stderr, "bench_report: cannot open %s\n", tsv);
      return 2;
   }
   static struct row rows[MAX_ROWS];
   int nrows = 0, cs = -1, cp = -1, cr = -1;
   char line[4096], *fld[64];
   if (fgets(line, sizeof(line), f)) {
      int n = split(line, fld, 64);
      for (int i = 0; i < n; i++) {
         if (!strcmp(fld[i], "scene")) cs = i;
         if (!strcmp(fld[i], "path")) cp = i;
         if (!strcmp(fld[i], "speed_vs_llvmpipe")) cr = i;
      }
   }
   if (cs < 0 || cp < 0 || cr < 0) {
      fprintf(stderr, "bench_report: %s lacks a scene, path or speed_vs_llvmpipe column\n", tsv);
      fclose(f);
      return 2;
   }
   while (nrows < MAX_ROWS && fgets(line, sizeof(line), f)) {
      int n = split(line, fld, 64);
      if (n <= cs || n <= cp || n <= cr)
         continue;
      char *end;
      double r = strtod(fld[cr], &end);
      if (end == fld[cr] || !(r > 0) || !isfinite(r) || !strcmp(fld[cp], "llvmpipe"))
         continue; /* no figure for this path (not available, failed), or llvmpipe itself (1) */
      snprintf(rows[nrows].scene, sizeof(rows[nrows].scene), "%s", fld[cs]);
      snprintf(rows[nrows].path, sizeof(rows[nrows].path), "%s", fld[cp]);
      rows[nrows].ratio = r;
      nrows++;
   }
   fclose(f);
   if (!nrows) {
      fprintf(stderr, "bench_report: no ratios in %s\n", tsv);
      return 2;
   }
   char scenes[MAX_NAMES][64], paths[MAX_NAMES][64];
   int nscenes = 0, npaths = 0;
   double lo = 1, hi = 1;
   for (int i = 0; i < nrows; i++) {
      name_index(scenes, &nscenes, rows[i].scene);
      name_index(paths, &npaths, rows[i].path);
      lo = rows[i].ratio < lo ? rows[i].ratio : lo;
      hi = rows[i].ratio > hi ? rows[i].ratio : hi;
   }
   /* log2 axis over whole powers of two around the data */
   int e_lo = (int)floor(log2(lo)), e_hi = (int)ceil(log2(hi));
   if (e_hi - e_lo < 2)
      e_hi = e_lo + 2;
   const int S = 2, bar = 12, gap = 3, group_gap = 14, left = 200, plot = 640, top = 70;
   int group_h = npaths * (bar + gap) + group_gap;
   int legend_h = 20 + npaths * 22;
   struct canvas cv = { left + plot + 120, top + nscenes * group_h + legend_h + 20, NULL };
   cv.px = malloc((size_t)cv.w * cv.h * 4);
   if (!cv.px) {
      fprintf(stderr, "bench_report: out of memory\n");
      return 2;
   }
   fill_rect(&cv, 0, 0, cv.w, cv.h, 0xffffff);
   static const uint32_t palette[] = { 0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f, 0xedc948, 0xb07aa1, 0x9c755f };
   text(&cv, 10, 10, S, "SPEED VS LLVMPIPE, SAME RUN (LOG SCALE, >1 = FASTER)", 0x000000);
   int y_axis0 = top - 8, y_axis1 = top + nscenes * group_h;
#define XPOS(r) (left + (int)((log2(r) - e_lo) / (double)(e_hi - e_lo) * plot))
   int label_step = 1; /* label every power of two there is room for */
   while (plot * label_step / (e_hi - e_lo) < 6 * GLYPH_W * S)
      label_step++;
   for (int e = e_lo; e <= e_hi; e++) {
      int x = XPOS(pow(2, e));
      fill_rect(&cv, x, y_axis0, x + 1, y_axis1, e == 0 ? 0x000000 : 0xcccccc);
      if (e % label_step)
         continue;
      char lab[16];
      if (e >= 0)
         snprintf(lab, sizeof(lab), "%d", 1 << e);
      else
         snprintf(lab, sizeof(lab), "1/%d", 1 << -e);
      text(&cv, x - (int)strlen(lab) * GLYPH_W * S / 2, y_axis0 - 18, S, lab, 0x444444);
   }
   for (int s = 0; s < nscenes; s++) {
      int gy = top + s * group_h;
      text(&cv, 10, gy + (npaths * (bar + gap)) / 2 - 7, S, scenes[s], 0x000000);
      for (int i = 0; i < nrows; i++) {
         if (strcmp(rows[i].scene, scenes[s]))
            continue;
         int p = name_index(paths, &npaths, rows[i].path);
         if (p < 0)
            continue; /* more than MAX_NAMES paths: the rest are left out */
         int y = gy + p * (bar + gap);
         int x1 = XPOS(1), x2 = XPOS(rows[i].ratio);
         fill_rect(&cv, x1 < x2 ? x1 : x2, y, (x1 < x2 ? x2 : x1) + 1, y + bar, palette[p % 8]);
         char lab[32];
         snprintf(lab, sizeof(lab), "%.2f", rows[i].ratio);
         text(&cv, (x2 > x1 ? x2 : x1) + 6, y, 1, lab, 0x222222);
      }
   }
   for (int p = 0; p < npaths; p++) {
      int y = y_axis1 + 20 + p * 22;
      fill_rect(&cv, left, y, left + 30, y + 14, palette[p % 8]);
      text(&cv, left + 40, y, S, paths[p], 0x000000);
   }
   char err[512];
   int ret = 0;
   if (tools_png_write_rgba8(out, cv.px, (uint32_t)cv.w, (uint32_t)cv.h, (uint32_t)cv.w * 4, 0, err, sizeof(err))) {
      fprintf(stderr, "bench_report: %s\n", err);
      ret = 2;
   }
   free(cv.px);
   return ret;
}

int main(int argc, char **argv)
{
   if (argc == 5 && !strcmp(argv[1], "compare"))
      return compare(argv[2], argv[3], argv[4]);
   if (argc == 4 && !strcmp(argv[1], "chart"))
      return chart(argv[2], argv[3]);
   fprintf(stderr, "usage: bench_report compare REF.png TEST.png DIFF.png\n"
                   "       bench_report chart SUMMARY.tsv OUT.png\n");
   return 2;
}
