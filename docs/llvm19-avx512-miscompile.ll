; docs/llvm19-avx512-miscompile.ll: why jit_cache.c code-generates fused
; fragment variants that test stencil with FastISel. LLVM 19.1.7's x86 SelectionDAG with
; AVX-512 miscompiles this function (a stencil update reduced by
; llvm-reduce-19 from a fused variant that check_jit_fused caught: format
; S8_UINT_Z24_UNORM, INVERT under writemask 0x1d, depth test failing).
; Re-test on an LLVM upgrade; if all three agree, FastISel can go.
;
;   llc-19 -O2 -mcpu=skylake-avx512 -filetype=obj THIS -o r.o   -> 00000000 ffffffe2 ffffffe2 00000000 (wrong)
;   ... -mattr=-avx512f, or -O0                                  -> 00000000 0000001d 0000001d 00000000 (right)
;   with this driver (gcc main.c r.o):
;     #include <stdio.h>
;     #include <stdint.h>
;     void stencil_row(uint32_t *zsbuf, uint32_t mask, float dmax);
;     int main(void) { uint32_t row[4] = { 0 }; stencil_row(row, 0x5a16, 0.593935f);
;       printf("%08x %08x %08x %08x\n", row[0], row[1], row[2], row[3]); return 0; }
;
; Expected (and what llc -O0, or -mattr=-avx512f, gives): row[1] = 0x1d.
; llc-19 -O2 with AVX-512 (rocketlake, skylake-avx512): row[1] = 0xffffffe2.
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

define void @stencil_row(ptr %zsbuf, i32 %mask, float %dmax) #0 {
entry:
  %m16 = trunc i32 %mask to i16
  %lanes = bitcast i16 %m16 to <16 x i1>
  %row = load <4 x i32>, ptr %zsbuf, align 4
  %r8 = shufflevector <4 x i32> zeroinitializer, <4 x i32> %row, <8 x i32> <i32 0, i32 1, i32 2, i32 3, i32 4, i32 5, i32 6, i32 7>
  %old = shufflevector <8 x i32> zeroinitializer, <8 x i32> %r8, <16 x i32> <i32 0, i32 1, i32 4, i32 5, i32 2, i32 3, i32 6, i32 7, i32 8, i32 9, i32 12, i32 13, i32 10, i32 11, i32 14, i32 15>
  %zi = insertelement <16 x float> zeroinitializer, float %dmax, i64 0
  %z = shufflevector <16 x float> %zi, <16 x float> zeroinitializer, <16 x i32> zeroinitializer
  %pos = fcmp ogt <16 x float> %z, zeroinitializer
  %zc = select <16 x i1> %pos, <16 x float> %z, <16 x float> zeroinitializer
  %zd = fpext <16 x float> %zc to <16 x double>
  %zm = fmul <16 x double> %zd, splat (double 16777215.0)
  %zr = call <16 x double> @llvm.rint.v16f64(<16 x double> %zm)
  %zq = fptoui <16 x double> %zr to <16 x i32>
  %q = select <16 x i1> %pos, <16 x i32> %zq, <16 x i32> zeroinitializer
  %zpass = icmp ule <16 x i32> %q, zeroinitializer
  %inv = xor <16 x i32> %old, splat (i32 -1)
  %ns = and <16 x i32> %inv, splat (i32 29)
  %keep = and <16 x i32> %old, splat (i32 -30)
  %s = or disjoint <16 x i32> %keep, %ns
  %w1 = select <16 x i1> %lanes, <16 x i32> %s, <16 x i32> %old
  %wz = and <16 x i1> %lanes, %zpass
  %w2 = select <16 x i1> %wz, <16 x i32> zeroinitializer, <16 x i32> %w1
  %w3 = select <16 x i1> %lanes, <16 x i32> %w2, <16 x i32> zeroinitializer
  %rm = shufflevector <16 x i32> %w3, <16 x i32> zeroinitializer, <16 x i32> <i32 0, i32 1, i32 4, i32 5, i32 2, i32 3, i32 6, i32 7, i32 8, i32 9, i32 12, i32 13, i32 10, i32 11, i32 14, i32 15>
  %out = shufflevector <16 x i32> %rm, <16 x i32> zeroinitializer, <4 x i32> <i32 0, i32 1, i32 2, i32 3>
  store <4 x i32> %out, ptr %zsbuf, align 4
  ret void
}

declare <16 x double> @llvm.rint.v16f64(<16 x double>)

attributes #0 = { "prefer-vector-width"="512" }
