/* jit_math.h: the transcendental functions of shaders (SIN, COS, EX2, LG2,
 * POW and the ops built on them), defined once as plain float arithmetic so
 * that the interpreter (these C functions) and the JIT (jit_llvm.c emits the
 * same operations, in the same order, on 16 lanes) give the same bits
 * without calling libm per lane. Accuracy, checked by tests/jit against
 * libm over wide ranges: SIN/COS absolute error <= 2e-7 for |x| <= 1e4
 * (the reduction keeps 33 bits of pi/2; farther out the error grows with
 * |x|, as on GPUs); EX2 relative error <= 4 ulp, LG2 absolute error
 * <= 2e-7 near 1 and relative <= 4 ulp elsewhere; POW = EX2(LG2(|a|) * b)
 * with powf's special cases (b = 0, negative bases), so its relative error
 * is about |b| ln 2 times LG2's absolute error at |a|, plus EX2's. Denormal results of EX2 are
 * flushed to 0; LG2 of a denormal is exact in its exponent.
 * The build must not contract a*b+c into FMA (it does not: x86-64 without
 * -march, and LLVM is never asked to). */
#ifndef JIT_MATH_H
#define JIT_MATH_H

#include <math.h>
#include <stdint.h>
#include <string.h>

static inline uint32_t jit_math_bits(float f)
{
   uint32_t u;
   memcpy(&u, &f, 4);
   return u;
}

static inline float jit_math_float(uint32_t u)
{
   float f;
   memcpy(&f, &u, 4);
   return f;
}

/* pi/2 in three parts: the first two have few enough bits that j * part is
 * exact for |j| < 2^15 (Cody-Waite reduction). */
#define JIT_PIO2_1 1.5703125f
#define JIT_PIO2_2 4.837512969970703125e-4f
#define JIT_PIO2_3 7.54978995489188216e-8f
#define JIT_TWO_OVER_PI 0.636619772367581343f

/* sin(x) (cosine = 0) or cos(x) (cosine = 1): x = j * pi/2 + r with
 * |r| <= pi/4, then a polynomial for sin(r) or cos(r) chosen by j + cosine
 * mod 4 (minimax coefficients as in Cephes' sinf/cosf). */
static inline float jit_sincos(float x, int cosine)
{
   float j = rintf(x * JIT_TWO_OVER_PI);
   float r = ((x - j * JIT_PIO2_1) - j * JIT_PIO2_2) - j * JIT_PIO2_3;
   float jq = j - 4.0f * floorf(j * 0.25f); /* j mod 4, exact; NaN for inf/NaN */
   int q = (jq == jq ? (int)jq : 0) + cosine;
   float r2 = r * r;
   float s = r + r * r2 * (-1.6666654611e-1f + r2 * (8.3321608736e-3f + r2 * -1.9515295891e-4f));
   float c = (1.0f - 0.5f * r2) +
             r2 * r2 * (4.166664568298827e-2f + r2 * (-1.388731625493765e-3f + r2 * 2.443315711809948e-5f));
   float v = (q & 1) ? c : s;
   return (q & 2) ? -v : v;
}

static inline float jit_sin(float x) { return jit_sincos(x, 0); }
static inline float jit_cos(float x) { return jit_sincos(x, 1); }

/* 2^x: x = i + f with i = rint(x), |f| <= 1/2; 2^f = e^(f ln 2) by its
 * Taylor series to degree 8 (last term < 6e-9 relative); 2^i from the
 * exponent bits, 2^128 as 2^127 * 2. */
static inline float jit_exp2(float x)
{
   float xc = x >= -126.0f ? (x <= 128.0f ? x : 128.0f) : -126.0f; /* NaN -> -126, fixed below */
   float i = rintf(xc);
   float t = (xc - i) * 0.693147180559945309f;
   float p = 1.0f + t * (1.0f + t * (0.5f + t * (1.66666666666666667e-1f + t * (4.16666666666666667e-2f +
             t * (8.33333333333333333e-3f + t * (1.38888888888888889e-3f + t * (1.98412698412698413e-4f +
             t * 2.48015873015873016e-5f)))))));
   int ii = (int)i;
   float r = p * jit_math_float((uint32_t)((ii < 127 ? ii : 127) + 127) << 23);
   r = ii > 127 ? r * 2.0f : r;
   r = x < -126.0f ? 0.0f : r;
   r = x >= 128.0f ? INFINITY : r;
   return x != x ? x : r;
}

/* log2(x): x = m * 2^e with m in [sqrt(1/2), sqrt(2)); log2(m) =
 * (2 / ln 2) * atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716, by its
 * series to s^9 (next term < 1.1e-9). */
static inline float jit_log2(float x)
{
   int tiny = x < 1.17549435e-38f; /* denormal (or zero, negative): scale into the normal range */
   float xs = tiny ? x * 8388608.0f : x;
   uint32_t b = jit_math_bits(xs);
   int e = (int)((b >> 23) & 0xff) - 127 - (tiny ? 23 : 0);
   float m = jit_math_float((b & 0x007fffffu) | 0x3f800000u);
   int big = m > 1.41421356f;
   m = big ? m * 0.5f : m;
   e = big ? e + 1 : e;
   float s = (m - 1.0f) / (m + 1.0f);
   float s2 = s * s;
   float p = s * (2.88539008177792681f + s2 * (9.61796693925975554e-1f + s2 * (5.77078016355585362e-1f +
             s2 * (4.12198583111132402e-1f + s2 * 3.20598897975325201e-1f))));
   float r = (float)e + p;
   r = x == INFINITY ? INFINITY : r;
   r = x == 0.0f ? -INFINITY : r;
   r = x < 0.0f ? NAN : r;
   return x != x ? x : r;
}

/* a^b = 2^(log2|a| * b), with C's powf answers where programs rely on them:
 * b = 0 gives 1 (Mesa's fixed-function lighting raises 0 to the power 0), a
 * negative base gives the signed power for an integer b and NaN otherwise. */
static inline float jit_pow(float a, float b)
{
   float r = jit_exp2(jit_log2(fabsf(a)) * b);
   float h = b * 0.5f;
   int integer = rintf(b) == b;
   int odd = integer && rintf(h) != h;
   r = a < 0.0f ? (integer ? (odd ? -r : r) : NAN) : r;
   return b == 0.0f ? 1.0f : r;
}

#endif
