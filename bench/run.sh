#!/usr/bin/env bash
# bench/run.sh: the benchmark harness (`make bench` runs it from the build
# directory). Every scene of bench/bench_scene runs, unchanged, on each path
# available here:
#   llvmpipe  Mesa llvmpipe in-process (the reference when there is no GPU)
#   virgl     Mesa virpipe -> virgl_test_server (on llvmpipe), today's path
#   tessera   Mesa virpipe -> tessera serve
#   replay    tessera replay of a capture of the scene (no client, no socket)
#   gpu       a non-Mesa EGL driver (NVIDIA...), when one is installed; its
#             images are then the reference
# Runs are interleaved (run 1 of every path, then run 2, ...; the path order
# rotates) so machine drift cancels; ratios against llvmpipe are per run and
# then the median. Writes to OUT (default bench/results): raw.tsv,
# summary.tsv, summary.md, chart.png, images/SCENE-PATH.png and
# diff/SCENE-PATH.png. Progress goes to stderr.
set -u

usage() {
   cat <<EOF
Usage: bench/run.sh [--full | --smoke] [--threads N] [--size WxH] [--frames N] [--warmup W] [--runs N]
                    [--scenes "A B ..."] [--paths "P Q ..."] [--api gles2|gl] [--out DIR]
Runs the benchmark scenes on every available path and writes a summary table
(Markdown and TSV), a bar chart and image comparisons to DIR (bench/results).
  (default)     quick: 512x384, 3 warm-up + 5 timed frames, 3 runs per scene and path
  --full        1024x768, 10 warm-up + 10 timed frames, 5 runs (what bench/RESULTS.md records)
  --smoke       64x48, 1 frame, 1 run, 2 programs in firstframe (the test suite's check)
  --warmup W    untimed frames before the timed ones, the first of them timed apart as
                the first frame (Tessera's JIT compiles in the background meanwhile)
  --threads N   renderer threads for every path (LP_NUM_THREADS, --threads); default: cores
  --scenes, --paths  subsets (paths: llvmpipe virgl tessera replay gpu)
EOF
}

size=512x384 frames=5 warmup=3 runs=3 programs=20 threads=$(nproc) api=gles2 out=bench/results
scenes="" want_paths="llvmpipe virgl tessera replay gpu" mode=quick
while [ $# -gt 0 ]; do
   case "$1" in
      --full) size=1024x768 frames=10 warmup=10 runs=5 mode=full ;;
      --smoke) size=64x48 frames=1 warmup=1 runs=1 programs=2 mode=smoke ;;
      --threads) threads=$2; shift ;;
      --size) size=$2; shift ;;
      --frames) frames=$2; shift ;;
      --warmup) warmup=$2; shift ;;
      --runs) runs=$2; shift ;;
      --scenes) scenes=$2; shift ;;
      --paths) want_paths=$2; shift ;;
      --api) api=$2; shift ;;
      --out) out=$2; shift ;;
      -h|--help) usage; exit 0 ;;
      *) echo "bench/run.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
   esac
   shift
done
case "$threads$frames$warmup$runs" in *[!0-9]*|"") echo "bench/run.sh: --threads, --frames, --warmup and --runs take numbers" >&2; exit 2 ;; esac
[ "$warmup" -ge 1 ] || { echo "bench/run.sh: --warmup takes 1 or more (the first frame)" >&2; exit 2; }

build=$(pwd)
scene_bin=$build/bench/bench_scene
report_bin=$build/bench/bench_report
shim=$build/tests/client/vtest_redirect.so
for f in "$scene_bin" "$report_bin" "$build/tessera"; do
   [ -x "$f" ] || { echo "bench/run.sh: $f is missing: run it through 'make bench'" >&2; exit 2; }
done
[ -n "$scenes" ] || scenes=$("$scene_bin" --list | awk '{print $1}')

tmp=$(mktemp -d)
tessera_pid= virgl_pid=
stop_servers() {
   for p in $tessera_pid $virgl_pid; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
   tessera_pid= virgl_pid=
}
cleanup() { stop_servers; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

export XDG_RUNTIME_DIR="$tmp/xdg"
mkdir -m 700 "$XDG_RUNTIME_DIR"
export MESA_SHADER_CACHE_DISABLE=true   # every run compiles: first frames stay comparable
mkdir -p "$out/images" "$out/diff"
rm -f "$out"/images/*.png "$out"/diff/*.png
progress() { echo "bench: $*" >&2; }

# Mesa's EGL vendor file, so that the Mesa paths never pick a GPU driver
mesa_vendor=
for d in /usr/share/glvnd/egl_vendor.d /etc/glvnd/egl_vendor.d; do
   for j in "$d"/*mesa*.json; do [ -f "$j" ] && mesa_vendor=$j && break 2; done
done
mesa_env=(LIBGL_ALWAYS_SOFTWARE=1 GALLIUM_DRIVER=llvmpipe LP_NUM_THREADS=$threads)
[ -n "$mesa_vendor" ] && mesa_env+=(__EGL_VENDOR_LIBRARY_FILENAMES=$mesa_vendor)

scene_args=(--size "$size" --frames "$frames" --warmup "$warmup" --api "$api" --programs "$programs")

# ---- which paths exist here ----
paths=""
if env "${mesa_env[@]}" "$scene_bin" clear --size 64x48 --frames 1 >"$tmp/probe" 2>&1; then
   paths="llvmpipe"
else
   echo "bench: no EGL surfaceless llvmpipe here (install libgl1-mesa-dri libegl1 libgles2):" >&2
   cat "$tmp/probe" >&2
   exit 77
fi
unavailable=""
if [ -f "$shim" ] && command -v virgl_test_server >/dev/null; then paths="$paths virgl"
else unavailable="$unavailable virgl(no virgl_test_server: apt-get install virgl-server)"; fi
if [ -f "$shim" ]; then paths="$paths tessera replay"
else unavailable="$unavailable tessera(no $shim) replay"; fi
gpu_vendor=
for d in /usr/share/glvnd/egl_vendor.d /etc/glvnd/egl_vendor.d; do
   for j in "$d"/*.json; do
      [ -f "$j" ] || continue
      case "$j" in *mesa*) continue ;; esac
      if __EGL_VENDOR_LIBRARY_FILENAMES=$j timeout 60 "$scene_bin" clear --size 64x48 --frames 1 >"$tmp/probe" 2>&1 &&
         ! grep -Eqi 'llvmpipe|softpipe|virgl|zink|swrast' "$tmp/probe"; then
         gpu_vendor=$j
         break 2
      fi
   done
done
if [ -n "$gpu_vendor" ]; then paths="$paths gpu"
else unavailable="$unavailable gpu(no non-Mesa EGL driver)"; fi
sel=""
for p in $paths; do case " $want_paths " in *" $p "*) sel="$sel $p" ;; esac; done
paths=${sel# }
ref=llvmpipe
case " $paths " in *" gpu "*) ref=gpu ;; esac
progress "paths: $paths; reference images: $ref; not available:${unavailable:- none}"
progress "$mode: $size, $frames timed frames, $runs runs, $threads threads, $api"

# ---- servers ----
tsock=$tmp/tessera.sock vsock=$tmp/virgl.sock
wait_socket() {
   for _ in $(seq 50); do [ -S "$1" ] && return 0; sleep 0.1; done
   return 1
}
start_servers() {
   stop_servers
   rm -f "$tsock" "$vsock"
   case " $paths " in *" tessera "*)
      "$build/tessera" serve --socket-path "$tsock" --threads "$threads" 2>>"$tmp/tessera.log" &
      tessera_pid=$!
      wait_socket "$tsock" || { echo "bench: tessera serve did not start:" >&2; cat "$tmp/tessera.log" >&2; exit 1; } ;;
   esac
   case " $paths " in *" virgl "*)
      # --no-fork: one process serves the clients one after another, so its
      # CPU time can be read from /proc
      env "${mesa_env[@]}" virgl_test_server --use-egl-surfaceless --no-fork --socket-path="$vsock" \
         >>"$tmp/virgl.log" 2>&1 &
      virgl_pid=$!
      wait_socket "$vsock" || { echo "bench: virgl_test_server did not start:" >&2; cat "$tmp/virgl.log" >&2; exit 1; } ;;
   esac
}
clk_tck=$(getconf CLK_TCK)
proc_cpu_ms() { # utime + stime of a process, in ms
   [ -n "$1" ] && [ -r "/proc/$1/stat" ] || { echo 0; return; }
   awk -v t="$clk_tck" '{ sub(/^.*\) /, ""); print ($12 + $13) * 1000 / t }' "/proc/$1/stat"
}

# ---- captures for the replay path (untimed): one tessera serve --record per scene ----
declare -A capture
if [ -n "$(echo " $paths " | grep ' replay ')" ]; then
   for s in $scenes; do
      rm -rf "$tmp/rec"; mkdir "$tmp/rec"; rm -f "$tmp/rec.sock"
      "$build/tessera" serve --socket-path "$tmp/rec.sock" --threads "$threads" --record "$tmp/rec" 2>>"$tmp/record.log" &
      rp=$!
      wait_socket "$tmp/rec.sock" || { echo "bench: recording server did not start" >&2; cat "$tmp/record.log" >&2; exit 1; }
      GALLIUM_DRIVER=virpipe TESSERA_VTEST_SOCKET=$tmp/rec.sock LD_PRELOAD=$shim \
         timeout 900 "$scene_bin" "$s" "${scene_args[@]}" >/dev/null 2>>"$tmp/record.log"
      kill "$rp"; wait "$rp" 2>/dev/null
      c=$(ls "$tmp"/rec/*.tcap 2>/dev/null | head -n 1)
      if [ -n "$c" ]; then mv "$c" "$tmp/$s.tcap"; capture[$s]=$tmp/$s.tcap; fi
      progress "recorded $s"
   done
fi

# ---- one run: prints "ms first_ms cpu_ms_per_frame work unit" or "failed" ----
parse() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" "$2" | head -n 1; }
run_one() { # scene path png
   local s=$1 p=$2 png=$3 o=$tmp/out
   local server_pid= c0 c1
   case $p in
      tessera) server_pid=$tessera_pid ;;
      virgl) server_pid=$virgl_pid ;;
   esac
   c0=$(proc_cpu_ms "$server_pid")
   case $p in
      llvmpipe) env "${mesa_env[@]}" timeout 900 "$scene_bin" "$s" "${scene_args[@]}" ${png:+--png "$png"} >"$o" 2>&1 ;;
      gpu) __EGL_VENDOR_LIBRARY_FILENAMES=$gpu_vendor timeout 900 "$scene_bin" "$s" "${scene_args[@]}" ${png:+--png "$png"} >"$o" 2>&1 ;;
      tessera) GALLIUM_DRIVER=virpipe TESSERA_VTEST_SOCKET=$tsock LD_PRELOAD=$shim \
                  timeout 900 "$scene_bin" "$s" "${scene_args[@]}" ${png:+--png "$png"} >"$o" 2>&1 ;;
      virgl) GALLIUM_DRIVER=virpipe TESSERA_VTEST_SOCKET=$vsock LD_PRELOAD=$shim \
                timeout 900 "$scene_bin" "$s" "${scene_args[@]}" ${png:+--png "$png"} >"$o" 2>&1 ;;
      replay)
         [ -n "${capture[$s]:-}" ] || { echo failed; return; }
         rm -f "$tmp"/replay-*.png
         if ! timeout 900 "$build/tessera" replay "${capture[$s]}" --threads "$threads" --frame-times --last-only \
               -o "$tmp/replay" >"$o" 2>"$tmp/replay.log"; then
            echo failed; return
         fi
         [ -n "$png" ] && mv "$(ls "$tmp"/replay-*.png | tail -n 1)" "$png"
         # the timed frames are the last $frames; firstframe's first draws come before them
         local n_first=1
         [ "$s" = firstframe ] && n_first=$programs
         awk -v f="$frames" -v nf="$n_first" '
            function med(a, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
                                          return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2 }
            $1 == "frame" { t[++n] = $3 }
            $1 == "cpu" { cpu = $2 }
            END { if (n < f + 1) { print "failed"; exit }
                  for (i = 1; i <= f; i++) w[i] = t[n - f + i]
                  for (i = 1; i <= nf && i <= n - f; i++) g[i] = t[i]
                  # the warm-up frames after the first ones: between them and the timed frames
                  ws = 0; for (i = nf + 1; i <= n - f; i++) ws += t[i]
                  warm = (n - f > nf) ? sprintf("%.3f", ws / (n - f - nf)) : "-"
                  printf "%.3f %.3f %.3f - - %s\n", med(w, f), med(g, nf < n - f ? nf : n - f), cpu / n, warm }' "$o"
         return ;;
   esac
   local rc=$?
   c1=$(proc_cpu_ms "$server_pid")
   if [ $rc -ne 0 ] || ! grep -q '^result ' "$o"; then
      echo failed; cp "$o" "$tmp/failed-$s-$p.log"; return
   fi
   local rendered cpu_total
   rendered=$(parse rendered "$o") cpu_total=$(parse cpu_total_ms "$o")
   echo "$(parse ms "$o") $(parse first_ms "$o") $(awk -v a="$cpu_total" -v b="$c0" -v c="$c1" -v n="$rendered" \
      'BEGIN { printf "%.3f", (a + c - b) / n }') $(parse work "$o") $(parse unit "$o") $(parse warmup_ms "$o")"
   [ -z "$png" ] || grep -h '^renderer: ' "$o" | head -n 1 >"$tmp/renderer-$p"
}

# ---- timed runs, interleaved ----
raw=$out/raw.tsv
printf 'run\tscene\tpath\tms\tfirst_ms\tcpu_ms\twork\tunit\twarmup_ms\n' >"$raw"
set -- $paths
npaths=$#
total=$(( $(echo $scenes | wc -w) * npaths * runs )) k=0
start_servers
for r in $(seq "$runs"); do
   for s in $scenes; do
      # a first-frame run needs servers that have never seen its programs
      [ "$s" = firstframe ] && [ "$r" -gt 1 ] && start_servers
      # rotate the path order each run and scene
      set -- $paths
      rot=$(( (r + ${#s}) % npaths ))
      order=""
      for i in $(seq 0 $((npaths - 1))); do
         idx=$(( (i + rot) % npaths + 1 ))
         order="$order ${!idx}"
      done
      for p in $order; do
         k=$((k + 1))
         for sp in $tessera_pid $virgl_pid; do
            kill -0 "$sp" 2>/dev/null || { progress "a server exited (see its log): restarting both"; start_servers; break; }
         done
         png=
         [ "$r" -eq 1 ] && png=$out/images/$s-$p.png
         res=$(run_one "$s" "$p" "$png")
         progress "[$k/$total] run $r $s $p: ${res%% *} ms/frame"
         [ "$res" = failed ] && res="failed - - - - -"
         printf '%s\t%s\t%s\t%s\n' "$r" "$s" "$p" "$(echo "$res" | tr ' ' '\t')" >>"$raw"
      done
   done
done
stop_servers

# ---- image comparison against the reference path ----
cmpf=$tmp/compare.tsv
: >"$cmpf"
for s in $scenes; do
   for p in $paths; do
      [ "$p" = "$ref" ] && continue
      if [ -f "$out/images/$s-$ref.png" ] && [ -f "$out/images/$s-$p.png" ] &&
         c=$("$report_bin" compare "$out/images/$s-$ref.png" "$out/images/$s-$p.png" "$out/diff/$s-$p.png"); then
         printf '%s\t%s\t%s\t%s\t%s\n' "$s" "$p" "$(echo "$c" | sed 's/.*max_diff=\([^ ]*\).*/\1/')" \
            "$(echo "$c" | sed 's/.*differing_pct=\([^ ]*\).*/\1/')" "$(echo "$c" | sed 's/.*psnr=\([^ ]*\).*/\1/')" >>"$cmpf"
      else
         printf '%s\t%s\tno image\t-\t-\n' "$s" "$p" >>"$cmpf"
      fi
   done
done

# ---- summary ----
commit=$(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo unknown)
cpu=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)
machine="$(nproc) cores ($cpu), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME")"
summary=$out/summary.tsv
awk -F'\t' -v ref_img="$ref" -v cmpf="$cmpf" -v size="$size" -v order="$scenes" -v porder="$paths" '
   function med(a, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
                                  return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2 }
   BEGIN { while ((getline l < cmpf) > 0) { split(l, f, "\t"); cm[f[1], f[2]] = f[3] "\t" f[4] "\t" f[5] }
           split(size, wh, "x") }
   NR == 1 { next }
   { key = $2 SUBSEP $3; if ($4 == "failed") { failed[key]++; next }
     n[key]++; ms[key, n[key]] = $4; first[key, n[key]] = $5; cpu[key, n[key]] = $6
     if ($9 != "-" && $9 != "") warm[key, ++wn[key]] = $9
     if ($7 != "-") { work[$2] = $7; unit[$2] = $8 }; run_ms[$1, $2, $3] = ($2 == "firstframe" ? $5 : $4) }
   END {
     print "scene\tpath\tms_median\tms_min\tms_max\tfps\tthroughput\tthroughput_unit\tfirst_ms\tcpu_ms_per_frame\tspeed_vs_llvmpipe\tmax_diff\tdiffering_pct\tpsnr\twarmup_ms"
     ns = split(order, S, " "); np = split(porder, P, " ")
     for (i = 1; i <= ns; i++) for (j = 1; j <= np; j++) {
       s = S[i]; p = P[j]; key = s SUBSEP p; c = n[key]
       cmp = (p == ref_img) ? "reference\t-\t-" : ((s, p) in cm ? cm[s, p] : "-\t-\t-")
       if (!c) { printf "%s\t%s\tfailed\t-\t-\t-\t-\t-\t-\t-\t-\t%s\t-\n", s, p, cmp; continue }
       mn = 1e30; mx = 0
       for (k = 1; k <= c; k++) { a[k] = ms[key, k]; b[k] = first[key, k]; d[k] = cpu[key, k]
                                   if (a[k] < mn) mn = a[k]; if (a[k] > mx) mx = a[k] }
       m = med(a, c); fm = med(b, c); cm_ = med(d, c)
       for (k = 1; k <= wn[key]; k++) e[k] = warm[key, k]
       wm = wn[key] ? sprintf("%.2f", med(e, wn[key])) : "-"
       # per-run ratios against llvmpipe, then their median
       nr = 0
       for (r = 1; r <= 1000; r++) if ((r, s, p) in run_ms && (r, s, "llvmpipe") in run_ms && run_ms[r, s, p] > 0)
          rr[++nr] = run_ms[r, s, "llvmpipe"] / run_ms[r, s, p]
       ratio = nr ? sprintf("%.3f", med(rr, nr)) : "-"
       u = unit[s]; tp = work[s] / m / 1000
       tu = (u == "pix") ? "Mpix/s" : (u == "tri") ? "Mtri/s" : "kdraws/s"
       if (u == "draw") tp = work[s] / m
       printf "%s\t%s\t%.2f\t%.2f\t%.2f\t%.1f\t%.1f\t%s\t%.2f\t%.2f\t%s\t%s\t%s\n", s, p, m, mn, mx, 1000 / m, tp, tu, fm, cm_, ratio, cmp, wm
     } }' "$raw" >"$summary"

md=$out/summary.md
{
   echo "| scene | path | ms/frame median (min–max) | frames/s | throughput | first frame ms | warm-up ms/frame | CPU ms/frame | speed vs llvmpipe | max diff | differing px | PSNR dB |"
   echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
   awk -F'\t' 'NR > 1 { if ($3 == "failed") { printf "| %s | %s | failed | | | | | | | | | |\n", $1, $2; next }
                        d = ($13 == "-") ? "-" : $13 "%"
                        printf "| %s | %s | %s (%s–%s) | %s | %s %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $15, $10, ($11 == "-" ? "-" : $11 "×"), $12, d, $14 }' "$summary"
   echo
   echo "Geometric mean of the speed against llvmpipe over the scenes:"
   awk -F'\t' 'NR > 1 && $11 != "-" && $11 > 0 { l[$2] += log($11); n[$2]++ }
               END { for (p in l) printf "%s %.3f× (%d scenes); ", p, exp(l[p] / n[p]), n[p]; print "" }' "$summary"
   echo
   echo "Machine: $machine. Renderers:"
   for p in $paths; do [ -f "$tmp/renderer-$p" ] && echo "- $p: $(sed 's/^renderer: //' "$tmp/renderer-$p")"; done
   echo
   echo "Run: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $commit, bench/run.sh ($mode): $size, $warmup untimed + $frames timed frames per run" \
        "(each read back), $runs interleaved runs, $threads threads, $api. Not available:${unavailable:- none}."
   echo "ms/frame: median over runs of each run's median timed frame; speed vs llvmpipe: median of the per-run ratios" \
        "(firstframe: of the first-draw times). First frame: the first untimed one (firstframe: median first draw of a" \
        "new program); warm-up ms/frame: mean of the other untimed frames (Tessera's JIT may still be compiling there)," \
        "median over runs. CPU ms/frame: client + server CPU time of the whole run over the frames" \
        "rendered. Images: last frame of run 1 against $ref (all four channels)."
} >"$md"

"$report_bin" chart "$summary" "$out/chart.png" || progress "no chart (no ratios)"
failures=$(awk -F'\t' 'NR > 1 && $3 == "failed"' "$summary" | wc -l)
cat "$md"
progress "wrote $md, $summary, $out/chart.png, $out/images/, $out/diff/ ($failures failed)"
for f in "$tmp"/failed-*.log; do [ -f "$f" ] && { progress "--- $(basename "$f")"; tail -n 5 "$f" >&2; }; done
[ "$failures" -eq 0 ]
