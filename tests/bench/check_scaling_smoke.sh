#!/bin/sh
# check_scaling_smoke.sh: bench/scaling.sh's own test (never a speed test).
# One tiny run of the clear and smalltris scenes at 1 and 2 threads on every
# path: each path must give a figure at both counts and a ratio, and the
# replay's last frame must be byte-identical at both counts. Exits 77 (skip)
# when there is no EGL llvmpipe.
set -u
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
[ -x ./bench/bench_scene ] && ./bench/bench_scene clear --size 64x48 --frames 1 >/dev/null 2>&1 ||
   { echo "SKIP: no EGL display for bench_scene"; exit 77; }
bash "$(dirname "$0")/../../bench/scaling.sh" --scenes "clear smalltris" --size 64x48 --frames 2 --runs 1 \
   --threads "1 2" --out "$out" >"$out/stdout" 2>"$out/log"
rc=$?
status=0
fail() { echo "FAIL: $*"; status=1; }
[ $rc -eq 0 ] || fail "bench/scaling.sh exited $rc"
for s in clear smalltris; do
   for p in llvmpipe replay tessera; do
      row=$(grep "^| $s | $p | " "$out/scaling.md")
      [ -n "$row" ] || { fail "$s on $p: no row"; continue; }
      echo "$row" | grep -q failed && fail "$s on $p: a run failed: $row"
      echo "$row" | grep -Eq '\| [0-9.]+× \([0-9.]+–[0-9.]+\) \|' || fail "$s on $p: no ratio: $row"
   done
   grep -q "^- $s: the replay's last frame is byte-identical at 1, 2 threads: yes" "$out/scaling.md" ||
      fail "$s: replay images differ between 1 and 2 threads (or were not compared)"
done
if [ $status -eq 0 ]; then
   echo "PASS"
   cat "$out/scaling.md"
else
   cat "$out/log" "$out/stdout"
fi
exit $status
