#!/usr/bin/env bash
# bench/demo_threads.sh: time `tessera demo` at 1 and 2 (or given) thread
# counts, interleaved, N repetitions each; prints the median wall time per
# thread count and the ratio to 1 thread. Usage: bench/demo_threads.sh [REPS] [SIZE] [THREADS...]
set -eu
cd "$(dirname "$0")/.."
reps=${1:-7}
size=${2:-1024x768}
shift $(( $# > 2 ? 2 : $# )) || true
threads=("$@")
[ ${#threads[@]} -gt 0 ] || threads=(1 2)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for ((i = 0; i < reps; i++)); do
   for t in "${threads[@]}"; do
      s=$(date +%s%N)
      ./tessera demo -o "$out/demo-$t.png" --threads "$t" --size "$size" >/dev/null
      e=$(date +%s%N)
      echo "$t $(( (e - s) / 1000 ))" >> "$out/times"
   done
done
base=""
printf '%-8s %-12s %-10s\n' threads "median ms" "vs 1T"
for t in "${threads[@]}"; do
   med=$(awk -v t="$t" '$1 == t { print $2 }' "$out/times" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
   [ -n "$base" ] || base=$med
   awk -v t="$t" -v m="$med" -v b="$base" 'BEGIN { printf "%-8s %-12.1f %-10.2f\n", t, m / 1000, b / m }'
done
if ! cmp -s "$out/demo-${threads[0]}.png" "$out/demo-${threads[-1]}.png"; then
   echo "warning: images differ between thread counts" >&2
   exit 1
fi
