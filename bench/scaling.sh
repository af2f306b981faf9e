#!/usr/bin/env bash
# bench/scaling.sh: thread scaling, measured side by side. For each scene
# (default: smalltris, the issue's 100k-small-triangle scene) it times
#   llvmpipe  Mesa llvmpipe in-process with LP_NUM_THREADS=T
#   replay    tessera replay --threads T of a capture of the scene (the
#             renderer alone: no client, no socket)
#   tessera   Mesa virpipe -> tessera serve --threads T (the client shares
#             the machine's cores with the renderer)
# at each thread count, interleaved (run 1 at every count and path, then
# run 2, ...) so that machine drift cancels, and reports per path the median
# ms/frame at each count and the median of the per-run ratios against the
# first count. Also checks that the replay's last frame is byte-identical at
# every count. `make bench-scaling` runs it from the build directory.
set -u

usage() {
   cat <<EOF
Usage: bench/scaling.sh [--threads "1 2"] [--scenes "smalltris"] [--size WxH] [--frames N]
                        [--runs N] [--paths "llvmpipe replay tessera"] [--out DIR]
Times each scene at each thread count on each path, interleaved, and writes
DIR/scaling.md and DIR/scaling.tsv (DIR: bench/results).
  --threads     thread counts; ratios are against the first (default "1 2")
  --frames N    frames per run; a run's figure is the median of its last
                half, after the JIT's variants are in (default 20)
  --runs N      interleaved runs (default 9)
  --size WxH    default 1024x768
EOF
}

counts="1 2" scenes=smalltris size=1024x768 frames=20 runs=9 want_paths="llvmpipe replay tessera" out=bench/results
while [ $# -gt 0 ]; do
   case "$1" in
      --threads) counts=$2; shift ;;
      --scenes) scenes=$2; shift ;;
      --size) size=$2; shift ;;
      --frames) frames=$2; shift ;;
      --runs) runs=$2; shift ;;
      --paths) want_paths=$2; shift ;;
      --out) out=$2; shift ;;
      -h|--help) usage; exit 0 ;;
      *) echo "bench/scaling.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
   esac
   shift
done
case "$(echo $counts | tr -d ' ')$frames$runs" in
   *[!0-9]*|"") echo "bench/scaling.sh: --threads, --frames and --runs take numbers" >&2; exit 2 ;;
esac
[ "$frames" -ge 2 ] || { echo "bench/scaling.sh: --frames needs at least 2" >&2; exit 2; }

build=$(pwd)
scene_bin=$build/bench/bench_scene
shim=$build/tests/client/vtest_redirect.so
for f in "$scene_bin" "$build/tessera" "$shim"; do
   [ -e "$f" ] || { echo "bench/scaling.sh: $f is missing: run it through 'make bench-scaling'" >&2; exit 2; }
done

tmp=$(mktemp -d)
servers=""
stop_servers() { for p in $servers; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; servers=""; }
cleanup() { stop_servers; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
export XDG_RUNTIME_DIR="$tmp/xdg"
mkdir -m 700 "$XDG_RUNTIME_DIR"
export MESA_SHADER_CACHE_DISABLE=true
mkdir -p "$out"
progress() { echo "scaling: $*" >&2; }
wait_socket() {
   for _ in $(seq 50); do [ -S "$1" ] && return 0; sleep 0.1; done
   return 1
}
mesa_vendor=
for d in /usr/share/glvnd/egl_vendor.d /etc/glvnd/egl_vendor.d; do
   for j in "$d"/*mesa*.json; do [ -f "$j" ] && mesa_vendor=$j && break 2; done
done
mesa_env=(LIBGL_ALWAYS_SOFTWARE=1 GALLIUM_DRIVER=llvmpipe)
[ -n "$mesa_vendor" ] && mesa_env+=(__EGL_VENDOR_LIBRARY_FILENAMES=$mesa_vendor)
scene_args=(--size "$size" --frames "$frames")
half=$(( frames / 2 ))

paths=""
for p in $want_paths; do
   case $p in
      llvmpipe) env "${mesa_env[@]}" "$scene_bin" clear --size 64x48 --frames 1 >/dev/null 2>&1 && paths="$paths llvmpipe" ;;
      replay|tessera) paths="$paths $p" ;;
      *) echo "bench/scaling.sh: unknown path '$p'" >&2; exit 2 ;;
   esac
done
progress "paths:$paths; threads: $counts; $size, $frames frames per run (median of the last $half), $runs runs"

# one tessera serve per thread count, for the whole run
declare -A sock
case " $paths " in *" tessera "*)
   for t in $counts; do
      sock[$t]=$tmp/tessera-$t.sock
      "$build/tessera" serve --socket-path "${sock[$t]}" --threads "$t" 2>>"$tmp/serve.log" &
      servers="$servers $!"
      wait_socket "${sock[$t]}" || { echo "scaling: tessera serve did not start:" >&2; cat "$tmp/serve.log" >&2; exit 1; }
   done ;;
esac

# captures for the replay path (untimed)
declare -A capture
case " $paths " in *" replay "*)
   for s in $scenes; do
      rm -rf "$tmp/rec" "$tmp/rec.sock"; mkdir "$tmp/rec"
      "$build/tessera" serve --socket-path "$tmp/rec.sock" --record "$tmp/rec" 2>>"$tmp/record.log" &
      rp=$!
      wait_socket "$tmp/rec.sock" || { echo "scaling: recording server did not start" >&2; exit 1; }
      GALLIUM_DRIVER=virpipe TESSERA_VTEST_SOCKET=$tmp/rec.sock LD_PRELOAD=$shim \
         timeout 900 "$scene_bin" "$s" "${scene_args[@]}" >/dev/null 2>>"$tmp/record.log"
      kill "$rp"; wait "$rp" 2>/dev/null
      c=$(ls "$tmp"/rec/*.tcap 2>/dev/null | head -n 1)
      [ -n "$c" ] && mv "$c" "$tmp/$s.tcap" && capture[$s]=$tmp/$s.tcap
      progress "recorded $s"
   done ;;
esac

# one run: prints its ms/frame or "failed"
run_one() { # scene path threads
   local s=$1 p=$2 t=$3 o=$tmp/out
   case $p in
      llvmpipe) env "${mesa_env[@]}" LP_NUM_THREADS="$t" timeout 900 "$scene_bin" "$s" "${scene_args[@]}" --frame-times >"$o" 2>&1 ;;
      tessera) GALLIUM_DRIVER=virpipe TESSERA_VTEST_SOCKET=${sock[$t]} LD_PRELOAD=$shim \
                  timeout 900 "$scene_bin" "$s" "${scene_args[@]}" --frame-times >"$o" 2>&1 ;;
      replay)
         [ -n "${capture[$s]:-}" ] || { echo failed; return; }
         rm -f "$tmp"/replay-*.png
         timeout 900 "$build/tessera" replay "${capture[$s]}" --threads "$t" --frame-times --last-only \
            -o "$tmp/replay" >"$o" 2>>"$tmp/replay.log" || { echo failed; return; }
         mv "$(ls "$tmp"/replay-*.png | tail -n 1)" "$tmp/last-$s-$t.png" ;;
   esac || { echo failed; return; }
   # the last half of the frame times: "frame N ms" lines (replay, bench_scene --frame-times)
   awk -v h="$half" '$1 == "frame" { t[++n] = $3 }
      END { if (n < h) { print "failed"; exit }
            for (i = 1; i <= h; i++) a[i] = t[n - h + i]
            for (i = 2; i <= h; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { x = a[j]; a[j] = a[j-1]; a[j-1] = x }
            printf "%.3f\n", h % 2 ? a[(h+1)/2] : (a[h/2] + a[h/2+1]) / 2 }' "$o"
}

raw=$out/scaling.tsv
printf 'run\tscene\tpath\tthreads\tms\n' >"$raw"
for r in $(seq "$runs"); do
   for s in $scenes; do
      for p in $paths; do
         # alternate which thread count goes first
         order=$counts
         [ $((r % 2)) -eq 0 ] && order=$(echo $counts | tr ' ' '\n' | tac | tr '\n' ' ')
         for t in $order; do
            ms=$(run_one "$s" "$p" "$t")
            printf '%s\t%s\t%s\t%s\t%s\n' "$r" "$s" "$p" "$t" "$ms" >>"$raw"
            progress "run $r $s $p $t threads: $ms ms/frame"
         done
      done
   done
done

base=${counts%% *}
md=$out/scaling.md
{
   thr() { [ "$1" = 1 ] && echo "1 thread" || echo "$1 threads"; }
   echo "| scene | path | $(for t in $counts; do printf 'ms/frame, %s (min–max) | ' "$(thr "$t")"; done)$(for t in ${counts#"$base"}; do printf '%s vs %s (min–max of runs) | ' "$(thr "$t")" "$(thr "$base")"; done)"
   echo "| --- | --- | $(for t in $counts; do printf -- '--- | '; done)$(for t in ${counts#"$base"}; do printf -- '--- | '; done)"
   awk -F'\t' -v counts="$counts" -v order="$scenes" -v porder="$paths" '
      function med(a, n,   i, j, x) { for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { x = a[j]; a[j] = a[j-1]; a[j-1] = x }
                                     return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2 }
      NR > 1 && $5 != "failed" { v[$1, $2, $3, $4] = $5; if ($1 > runs) runs = $1 }
      END {
         nc = split(counts, C, " "); ns = split(order, S, " "); np = split(porder, P, " ")
         for (i = 1; i <= ns; i++) for (j = 1; j <= np; j++) {
            s = S[i]; p = P[j]; line = "| " s " | " p " | "
            for (c = 1; c <= nc; c++) {
               n = 0; mn = 1e30; mx = 0
               for (r = 1; r <= runs; r++) if ((r, s, p, C[c]) in v) { x = v[r, s, p, C[c]]; a[++n] = x; if (x < mn) mn = x; if (x > mx) mx = x }
               line = line (n ? sprintf("%.2f (%.2f–%.2f)", med(a, n), mn, mx) : "failed") " | "
            }
            for (c = 2; c <= nc; c++) {
               n = 0; mn = 1e30; mx = 0
               for (r = 1; r <= runs; r++) if ((r, s, p, C[1]) in v && (r, s, p, C[c]) in v && v[r, s, p, C[c]] > 0) {
                  x = v[r, s, p, C[1]] / v[r, s, p, C[c]]; a[++n] = x; if (x < mn) mn = x; if (x > mx) mx = x }
               line = line (n ? sprintf("%.2f× (%.2f–%.2f)", med(a, n), mn, mx) : "-") " | "
            }
            print line
         } }' "$raw"
   echo
   for s in $scenes; do
      same=yes
      for t in $counts; do
         [ -f "$tmp/last-$s-$t.png" ] && cmp -s "$tmp/last-$s-$t.png" "$tmp/last-$s-$base.png" || same=no
      done
      case " $paths " in *" replay "*) echo "- $s: the replay's last frame is byte-identical at $(echo $counts | sed 's/ /, /g') threads: $same" ;; esac
   done
   echo
   cpu=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)
   commit=$(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo unknown)
   echo "Run: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, $(nproc) cores ($cpu), $size, $runs interleaved runs;" \
        "a run's figure is the median of its last $half of $frames frames; ratios are the median of the per-run ratios."
} >"$md"
cat "$md"
