#!/bin/sh
# check_bench_smoke.sh: the benchmark harness's own test (never a speed
# test). bench/run.sh --smoke runs every scene for one frame on every path
# available here; this checks that each scene produced a figure and an image
# on each path, that every image was compared against the reference (with a
# diff image), and that the table and the chart were written. Exits 77
# (skip) when there is no EGL llvmpipe.
set -u
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
bash "$(dirname "$0")/../../bench/run.sh" --smoke --out "$out" 2>"$out/log"
rc=$?
if [ $rc -eq 77 ]; then cat "$out/log"; exit 77; fi
status=0
fail() { echo "FAIL: $*"; status=1; }
[ $rc -eq 0 ] || fail "bench/run.sh --smoke exited $rc"
paths=$(sed -n 's/^bench: paths: \([^;]*\);.*/\1/p' "$out/log")
ref=$(sed -n 's/.*reference images: \([a-z]*\);.*/\1/p' "$out/log")
scenes=$(./bench/bench_scene --list | awk '{print $1}')
[ -n "$paths" ] || fail "no paths reported"
case " $paths " in *" tessera "*) ;; *) echo "note: the tessera path is not available here" ;; esac
for s in $scenes; do
   for p in $paths; do
      row=$(awk -F'\t' -v s="$s" -v p="$p" '$1 == s && $2 == p' "$out/summary.tsv")
      [ -n "$row" ] || { fail "$s on $p: no row in summary.tsv"; continue; }
      ms=$(echo "$row" | cut -f3)
      case "$ms" in failed|"") fail "$s on $p: no figure" ;; esac
      [ -s "$out/images/$s-$p.png" ] || fail "$s on $p: no image"
      if [ "$p" != "$ref" ]; then
         [ -s "$out/diff/$s-$p.png" ] || fail "$s on $p: no diff image"
         psnr=$(echo "$row" | cut -f14)
         case "$psnr" in inf|[0-9]*) ;; *) fail "$s on $p: not compared (psnr '$psnr')" ;; esac
      fi
   done
done
[ -s "$out/chart.png" ] || fail "no chart"
grep -q '^| scene | path |' "$out/summary.md" || fail "no Markdown table"
if [ $status -eq 0 ]; then
   echo "PASS: $(echo $scenes | wc -w) scenes on: $paths (reference $ref)"
   cat "$out/summary.md"
else
   cat "$out/log"
fi
exit $status
