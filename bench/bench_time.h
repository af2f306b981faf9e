/* bench_time.h: the clock and sort helpers every benchmark program of
 * bench/ shares (header-only: the hand-built ones link nothing extra). */
#ifndef BENCH_TIME_H
#define BENCH_TIME_H

#include <time.h>

/* Monotonic wall time in milliseconds. */
static inline double now_ms(void)
{
   struct timespec ts;
   clock_gettime(CLOCK_MONOTONIC, &ts);
   return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* qsort comparator for doubles, ascending. */
static inline int cmp_double(const void *a, const void *b)
{
   double x = *(const double *)a, y = *(const double *)b;
   return x < y ? -1 : x > y;
}

#endif
