#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# demo.sh: builds the examples (cmake into build/demo) and runs the amplink
# demo in a few seconds, as an ordinary user: ping_host starts echo_remote in a
# second process (shared memfd region, doorbells), sends every payload size
# 1..496 and checks each byte, in the three wait modes; then two unrelated
# processes attach through a UNIX socket. Prints a short summary.
#
# Usage: scripts/demo.sh [--help]
# Exit: 0 every run passed, 1 a run failed, 2 the build failed.
set -uo pipefail
if [ "${1:-}" = "--help" ]; then
  sed -n '3,10p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi
cd "$(dirname "$0")/.."
dir=build/demo
jobs=$(nproc 2>/dev/null || echo 2)
[ "$jobs" -gt 2 ] && jobs=2

echo "==> building the examples into $dir"
log=$(mktemp)
tmp=$(mktemp -d)
trap 'rm -rf "$log" "$tmp"' EXIT
if ! { cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DAMPLINK_BUILD_TESTS=OFF \
         -DAMPLINK_BUILD_TOOLS=OFF -DAMPLINK_BUILD_BENCH=OFF &&
       cmake --build "$dir" -j "$jobs" --target ping_host echo_remote; } >"$log" 2>&1; then
  cat "$log"
  echo "demo: build failed"
  exit 2
fi
ping="$dir/examples/ping_host"
echo_remote="$dir/examples/echo_remote"

passed=0
failed=0
summary=()
run() { # run LABEL COMMAND...: run one demo step, keep its figures
  local label=$1 out rc
  shift
  echo "==> $label"
  out=$("$@" 2>&1)
  rc=$?
  echo "$out" | sed 's/^/    /'
  if [ $rc -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  summary+=("$(printf '%-34s %s  %s' "$label" "$([ $rc -eq 0 ] && echo ok || echo "FAILED ($rc)")" \
    "$(echo "$out" | sed -n 's/.*round trip us: min [^ ]* median \([^ ]*\).* \([0-9]*\) round trips\/s.*/median \1 us, \2 round trips\/s/p')")")
}

for mode in blocking adaptive poll; do
  run "fork+exec, $mode" "$ping" --mode "$mode" --rounds 2
done

# Two unrelated processes: the host listens, echo_remote connects by path.
sock="$tmp/demo.sock"
socket_demo() {
  "$ping" --listen "$sock" --rounds 2 &
  local host=$! i
  for i in $(seq 1 100); do [ -S "$sock" ] && break; sleep 0.05; done
  "$echo_remote" --connect "$sock"
  local rc_remote=$?
  wait $host
  local rc_host=$?
  [ $rc_remote -eq 0 ] && [ $rc_host -eq 0 ]
}
run "UNIX socket attach, blocking" socket_demo

echo
echo "summary:"
printf '  %s\n' "${summary[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
