#!/bin/sh
# check_piglit.sh: runs tests/piglit/basic.list through virpipe -> tessera
# serve and fails if a test listed in tessera-pass.list no longer passes.
# Skips (77) when piglit or EGL is not installed.
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$here/run_piglit.sh" tessera > "$out" 2>&1
rc=$?
cat "$out"
[ $rc -eq 77 ] && exit 77
status=0
for t in $(grep -v '^#' "$here/tessera-pass.list"); do
   if ! grep -q "^pass $t\$" "$out"; then
      echo "REGRESSION: $t no longer passes"
      status=1
   fi
done
exit $status
