#!/bin/sh
# check_jit_isa.sh: the JIT's code for narrower hosts, tested on this one.
# TESSERA_JIT_ISA=avx2 and =sse4.1 cap the instruction set the JIT targets
# (256- and 128-bit vectors), so the code an AVX2 or SSE4.1 host runs is
# checked on an AVX-512 machine too (valgrind's CPU has no AVX-512 either).
# 1. The demo, compiled synchronously at each ISA, reports the capped vector
#    width and writes the same bytes as at the host's own width.
# 2. The JIT's differential suites (compiled code against the interpreter
#    and the C references) pass at each capped ISA.
set -u
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
fail() { echo "FAIL: $*"; status=1; }
bits_of() { sed -n 's/^jit: mode [a-z]*, \([0-9]*\)-bit vectors;.*/\1/p' "$1"; }

TESSERA_JIT=sync ./tessera demo --size 256x192 --threads 2 --stats -o "$out/native.png" >"$out/native.txt" 2>&1 ||
   fail "demo at the host's ISA: $(cat "$out/native.txt")"
host=$(bits_of "$out/native.txt")
case "$host" in
   512|256|128) echo "host: $host-bit vectors" ;;
   *) echo "SKIP: no JIT here ($(tail -n 1 "$out/native.txt"))"; exit 77 ;;
esac
for isa in avx2 sse4.1; do
   cap=256
   [ "$isa" = sse4.1 ] && cap=128
   want=$(( cap < host ? cap : host ))
   TESSERA_JIT=sync TESSERA_JIT_ISA=$isa ./tessera demo --size 256x192 --threads 2 --stats -o "$out/$isa.png" \
      >"$out/$isa.txt" 2>&1 || fail "demo at $isa: $(cat "$out/$isa.txt")"
   got=$(bits_of "$out/$isa.txt")
   [ "$got" = "$want" ] || fail "TESSERA_JIT_ISA=$isa: $got-bit vectors, expected $want"
   cmp -s "$out/native.png" "$out/$isa.png" || fail "TESSERA_JIT_ISA=$isa: the demo's image differs from the host ISA's"
   for suite in tests/jit/check_jit_llvm tests/jit/check_jit_fused tests/jit/check_jit_vs_fused; do
      if TESSERA_JIT_ISA=$isa CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-120} ./$suite >"$out/suite.txt" 2>&1; then
         echo "$isa: $suite: $(grep -E '^[0-9]+%: Checks:' "$out/suite.txt")"
      else
         fail "TESSERA_JIT_ISA=$isa $suite:"
         grep -E ':[FE]:|^[0-9]+%' "$out/suite.txt"
      fi
   done
done
[ $status -eq 0 ] && echo "PASS"
exit $status
