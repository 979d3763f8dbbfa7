#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# demo.sh: builds what it needs (cmake into build/demo) and runs the amplink
# demo in a few seconds, as an ordinary user. A host starts the echo firmware
# (a Linux ELF executable with a .resource_table) through remoteproc, talks
# on the three endpoints the remote announces, measures echo round trips,
# shows the remote's trace log, stops it; then the same through the `amplink`
# tool (start, status, ping, trace, crash + recovery, stop). Prints a summary.
#
# Usage: scripts/demo.sh [--help]
# Exit: 0 every step passed, 1 a step failed, 2 the build failed.
set -uo pipefail
if [ "${1:-}" = "--help" ]; then
  sed -n '3,11p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi
cd "$(dirname "$0")/.."
scripts/deps.sh demo || exit 2
dir=build/demo
jobs=$(nproc 2>/dev/null || echo 2)
[ "$jobs" -gt 2 ] && jobs=2

echo "==> building the tool and the firmware into $dir"
log=$(mktemp)
rt=$(mktemp -d)
cleanup() {
  [ -x "${amplink:-}" ] && XDG_RUNTIME_DIR=$rt "$amplink" stop demo >/dev/null 2>&1
  rm -rf "$log" "$rt"
}
trap cleanup EXIT
if ! { cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DAMPLINK_BUILD_TESTS=OFF \
         -DAMPLINK_BUILD_BENCH=ON -DAMPLINK_BUILD_TOOLS=ON &&
       cmake --build "$dir" -j "$jobs" --target amplink-tool echo_fw rproc_demo proxy_demo \
         amplink-bench; } >"$log" 2>&1; then
  cat "$log"
  echo "demo: build failed"
  exit 2
fi
amplink=$dir/tools/amplink/amplink
fw=$dir/examples/firmware/echo_fw
demo=$dir/examples/firmware/rproc_demo
export XDG_RUNTIME_DIR=$rt

passed=0
failed=0
summary=()
step() { # step LABEL COMMAND...: run one demo step, indented, and count it
  local label=$1 out rc
  shift
  echo "==> $label"
  out=$("$@" 2>&1)
  rc=$?
  echo "$out" | sed 's/^/    /'
  if [ $rc -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  summary+=("$(printf '%-46s %s' "$label" "$([ $rc -eq 0 ] && echo ok || echo "FAILED ($rc)")")")
  last=$out
}
wait_endpoints() {
  for _ in $(seq 1 50); do "$amplink" status demo 2>/dev/null | grep -q "endpoints: 3" && return 0; sleep 0.1; done
  return 1
}

step "host program: remoteproc start, talk, trace, stop" "$demo" "$fw"
figures=$(echo "$last" | sed -n 's/^summary: ok; //p')
step "amplink start echo_fw --name demo --recovery" "$amplink" start "$fw" --name demo --recovery
wait_endpoints
step "amplink status demo" "$amplink" status demo
step "amplink ping demo --count 2000 --size 64" "$amplink" ping demo --count 2000 --size 64
ping=$(echo "$last" | sed -n 's/^round trip us: //p')
step "amplink trace demo" "$amplink" trace demo
pid=$("$amplink" status demo --json | sed -n 's/.*"pid":\([0-9]*\).*/\1/p')
echo "==> kill -9 $pid (the remote crashes; the supervisor recovers it)"
kill -9 "$pid"
for _ in $(seq 1 50); do "$amplink" status demo | grep -q "1 restart" && break; sleep 0.1; done
wait_endpoints
step "amplink status demo (after the crash)" "$amplink" status demo
step "amplink ping demo --count 100 (after recovery)" "$amplink" ping demo --count 100
step "amplink stop demo" "$amplink" stop demo
# The proxy: a remote writes, reads back and lists files in one host directory only.
mkdir -m 700 "$rt/share"
step "amplink run proxy_demo --proxy-root DIR" "$amplink" run "$dir/examples/proxy_demo" \
  --proxy-root "$rt/share" --timeout 10
step "the file the remote wrote, on the host" cat "$rt/share/demo.txt"

echo
echo "summary:"
printf '  %s\n' "${summary[@]}"
[ -n "$figures" ] && echo "  host program: $figures"
[ -n "$ping" ] && echo "  amplink ping, 64 bytes: $ping"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
