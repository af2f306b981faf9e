/* rgba_compare.c: compares two raw RGBA8 images of the same size for the
 * client tests: prints the largest channel difference and the share of
 * differing pixels; exit 0 when the largest difference is within TOLERANCE. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
   if (argc != 4) {
      fprintf(stderr, "usage: rgba_compare A.rgba B.rgba TOLERANCE\n");
      return 2;
   }
   FILE *fa = fopen(argv[1], "rb"), *fb = fopen(argv[2], "rb");
   if (!fa || !fb) {
      fprintf(stderr, "rgba_compare: cannot open the images\n");
      return 2;
   }
   long tol = strtol(argv[3], NULL, 10), n = 0, differing = 0;
   int maxd = 0, ca, cb;
   unsigned char pa[4], pb[4];
   for (;;) {
      size_t ra = fread(pa, 1, 4, fa), rb = fread(pb, 1, 4, fb);
      if (ra != rb) {
         fprintf(stderr, "rgba_compare: the images differ in size\n");
         return 1;
      }
      if (ra < 4)
         break;
      int d = 0;
      for (int c = 0; c < 4; c++) {
         ca = pa[c];
         cb = pb[c];
         int dc = abs(ca - cb);
         d = dc > d ? dc : d;
      }
      maxd = d > maxd ? d : maxd;
      differing += d > 0;
      n++;
   }
   printf("max channel difference %d, %ld of %ld pixels differ\n", maxd, differing, n);
   return maxd <= tol && n > 0 ? 0 : 1;
}
