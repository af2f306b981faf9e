#!/bin/sh
# run_client_tests.sh: real-client tests. Each scene of gl_scene (an
# unmodified EGL program, once on GLES 2 and once on desktop OpenGL 2.1)
# runs (a) on Mesa llvmpipe in-process and
# (b) through Mesa's virgl driver (GALLIUM_DRIVER=virpipe) -> tessera serve on
# a private socket; the images must match within TOLERANCE (1 level per
# channel: llvmpipe blends 8-bit colors in fixed point, Tessera in float).
# Exits 77 (skip) when EGL or Mesa's drivers are missing.
set -u
TOLERANCE=1
build=$(pwd)
tmp=$(mktemp -d)
server_pid=
cleanup() {
   [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
   rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

export XDG_RUNTIME_DIR="$tmp/xdg"
mkdir -m 700 "$XDG_RUNTIME_DIR"
export MESA_SHADER_CACHE_DISABLE=true

if ! LIBGL_ALWAYS_SOFTWARE=1 GALLIUM_DRIVER=llvmpipe ./tests/client/gl_scene clear "$tmp/probe.rgba" >/dev/null 2>&1; then
   echo "SKIP: no EGL surfaceless llvmpipe (install libgl1-mesa-dri libegl1 libgles2)"
   exit 77
fi

sock="$tmp/vtest.sock"
mkdir "$tmp/rec"
./tessera serve --socket-path "$sock" --stats --record "$tmp/rec" 2>"$tmp/server.log" &
server_pid=$!
for i in 1 2 3 4 5 6 7 8 9 10; do [ -S "$sock" ] && break; sleep 0.2; done
[ -S "$sock" ] || { echo "FAIL: tessera serve did not start"; cat "$tmp/server.log"; exit 1; }

status=0
for api in gles2 gl; do
for scene in clear triangles depth stencil blend texture indexed many frames; do
   name="$api-$scene"
   LIBGL_ALWAYS_SOFTWARE=1 GALLIUM_DRIVER=llvmpipe ./tests/client/gl_scene "$scene" "$tmp/ref-$name.rgba" "$api" >/dev/null 2>&1 || {
      echo "FAIL: $name on llvmpipe"; status=1; continue; }
   out=$(GALLIUM_DRIVER=virpipe TESSERA_VTEST_SOCKET="$sock" LD_PRELOAD="$build/tests/client/vtest_redirect.so" \
         timeout 60 ./tests/client/gl_scene "$scene" "$tmp/tes-$name.rgba" "$api" 2>&1)
   rc=$?
   if [ $rc -ne 0 ]; then
      echo "FAIL: $name through tessera serve (exit $rc): $out"
      status=1
      continue
   fi
   case "$out" in
      *"GL_RENDERER: virgl"*) ;;
      *) echo "FAIL: $name did not run on virgl: $out"; status=1; continue ;;
   esac
   if cmp=$(./tests/client/rgba_compare "$tmp/ref-$name.rgba" "$tmp/tes-$name.rgba" $TOLERANCE); then
      echo "PASS: $name: $cmp"
   else
      echo "FAIL: $name: $cmp"
      status=1
   fi
done
done
# every recorded session replays without the client, at two thread counts, to identical frames
kill "$server_pid"; wait "$server_pid" 2>/dev/null; server_pid=
n=0
for cap in "$tmp"/rec/*.tcap; do
   n=$((n + 1))
   if ! ./tessera replay "$cap" -o "$tmp/r1-$n" --threads 1 2>"$tmp/replay.log" ||
      ! ./tessera replay "$cap" -o "$tmp/r2-$n" --threads 2 2>>"$tmp/replay.log"; then
      echo "FAIL: replay of $cap"; cat "$tmp/replay.log"; status=1; continue
   fi
   for png in "$tmp/r1-$n"-*.png; do
      [ -f "$png" ] || { echo "FAIL: $cap replayed no frame"; status=1; break; }
      cmp -s "$png" "$(echo "$png" | sed "s|/r1-$n-|/r2-$n-|")" || { echo "FAIL: $png differs between 1 and 2 threads"; status=1; }
   done
done
[ $n -gt 0 ] && echo "PASS: $n recorded sessions replayed to identical frames at 1 and 2 threads" || { echo "FAIL: nothing recorded"; status=1; }
echo "--- server log"
cat "$tmp/server.log"
if grep -v "ended: disconnected" "$tmp/server.log" | grep -q "ended:"; then
   echo "FAIL: a client was dropped by the server"
   status=1
fi
exit $status
