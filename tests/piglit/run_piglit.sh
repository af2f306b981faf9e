#!/bin/sh
# run_piglit.sh SERVER [LIST]: runs piglit tests (Debian's `piglit` package)
# through Mesa's virgl driver against SERVER = tessera | virgl (Debian's
# virgl_test_server on llvmpipe) | llvmpipe (in-process, no vtest), on a
# private socket, and prints one line per test and the totals. Exits 77 when
# piglit is not installed. PIGLIT_TIMEOUT (seconds per test, default 600:
# sanitizer builds are several times slower, and with TESSERA_JIT=sync
# gl-1.0-blend-func compiles its 27,553 blend-state variants before their
# draws, ~290-305 s; llvmpipe takes ~510 s) bounds each test.
set -u
limit=${PIGLIT_TIMEOUT:-600}
server=${1:-tessera}
here=$(cd "$(dirname "$0")" && pwd)
list=${2:-$here/basic.list}
build=$(pwd)
piglit=/usr/lib/x86_64-linux-gnu/piglit
[ -x "$piglit/bin/shader_runner" ] || { echo "SKIP: piglit is not installed (apt-get install piglit)"; exit 77; }
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
export XDG_RUNTIME_DIR="$tmp/xdg" MESA_SHADER_CACHE_DISABLE=true PIGLIT_PLATFORM=surfaceless_egl
mkdir -m 700 "$XDG_RUNTIME_DIR"
sock="$tmp/vtest.sock"
case "$server" in
   tessera) "$build/tessera" serve --socket-path "$sock" 2>"$tmp/server.log" & pid=$! ;;
   virgl) virgl_test_server --use-egl-surfaceless --socket-path="$sock" 2>"$tmp/server.log" & pid=$! ;;
   llvmpipe) ;;
   *) echo "usage: run_piglit.sh tessera|virgl|llvmpipe [LIST]"; exit 2 ;;
esac
if [ -n "$pid" ]; then
   for i in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
   export GALLIUM_DRIVER=virpipe TESSERA_VTEST_SOCKET="$sock" LD_PRELOAD="$build/tests/client/vtest_redirect.so"
else
   export LIBGL_ALWAYS_SOFTWARE=1 GALLIUM_DRIVER=llvmpipe
fi
pass=0 fail=0 skip=0 crash=0 total=0
cd "$piglit"
grep -v '^#' "$list" | grep -v '^$' | while read -r t args; do
   case "$t" in
      *.shader_test) out=$(timeout "$limit" bin/shader_runner "$t" -auto -fbo 2>&1) ;;
      *) out=$(timeout "$limit" "bin/$t" $args -auto -fbo 2>&1) ;;
   esac
   rc=$?
   r=$(echo "$out" | sed -n 's/.*PIGLIT: {"result": "\([a-z]*\)".*/\1/p' | tail -n 1)
   [ -n "$r" ] || r="crash($rc)"
   echo "$r $t"
done > "$tmp/results"
cat "$tmp/results"
for r in pass fail skip warn; do
   printf '%s %s\n' "$r" "$(grep -c "^$r " "$tmp/results")"
done
printf 'crash %s\n' "$(grep -c '^crash' "$tmp/results")"
printf 'total %s (%s)\n' "$(wc -l < "$tmp/results")" "$server"
