#!/usr/bin/env bash
# bench/jit_modes.sh: the JIT against the interpreter on the built-in demo.
# Runs `tessera demo --frames F` with TESSERA_JIT=off, sync and async,
# interleaved, REPS times each. Every run renders F frames, each in a new
# context (shaders created again: the first frame of a process compiles,
# later ones hit the code cache). Prints per mode the median first-frame and
# warm-frame times, the warm-frame speed-up over the interpreter, the
# first-frame/warm-frame ratio and the median compile time per shader; and
# checks that all modes wrote the same image.
# Usage: bench/jit_modes.sh [REPS] [SIZE] [FRAMES] [THREADS]
set -eu
cd "$(dirname "$0")/.."
reps=${1:-7}
size=${2:-1024x768}
frames=${3:-9}
threads=${4:-2}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
modes=(off sync async)
for ((i = 0; i < reps; i++)); do
   for m in "${modes[@]}"; do
      TESSERA_JIT=$m ./tessera demo -o "$out/demo-$m.png" --threads "$threads" --size "$size" --frames "$frames" \
         --stats > "$out/run"
      first=$(grep -o 'first [0-9.]* ms' "$out/run" | awk '{ print $2 }')
      warm=$(grep -o 'others [0-9.]* ms' "$out/run" | awk '{ print $2 }')
      comp=$(grep -o 'compiles (median [0-9.]* ms' "$out/run" | awk '{ print $3 }')
      echo "$m $first $warm ${comp:-0}" >> "$out/times"
   done
done
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
base=$(awk '$1 == "off" { print $3 }' "$out/times" | median)
echo "demo $size, $threads threads, $frames frames per run, $reps interleaved runs per mode (medians)"
printf '%-7s %-16s %-15s %-15s %-17s %-18s\n' mode "first frame ms" "warm frame ms" "warm vs off" "first / warm" "compile ms/shader"
for m in "${modes[@]}"; do
   f=$(awk -v m="$m" '$1 == m { print $2 }' "$out/times" | median)
   w=$(awk -v m="$m" '$1 == m { print $3 }' "$out/times" | median)
   c=$(awk -v m="$m" '$1 == m { print $4 }' "$out/times" | median)
   awk -v m="$m" -v f="$f" -v w="$w" -v b="$base" -v c="$c" \
      'BEGIN { printf "%-7s %-16.1f %-15.1f %-15.2f %-17.2f %-18.2f\n", m, f, w, b / w, f / w, c }'
done
for m in sync async; do
   if ! cmp -s "$out/demo-off.png" "$out/demo-$m.png"; then
      echo "error: TESSERA_JIT=$m wrote a different image than the interpreter" >&2
      exit 1
   fi
done
