#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# test_cli_bench.sh AMPLINK: `amplink bench` finds amplink-bench next to the tool
# and runs it with the same options and exit codes (help, bad option), and says
# exactly what is missing when it is not there. No figure is measured or judged
# here: bench_smoke runs `amplink bench --quick --json` and checks its keys.
set -u
amplink=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=expect.sh
. "$(dirname "$0")/expect.sh"

expect 0 "bench    measure latency" "$amplink" --help
expect 0 "usage: amplink bench" "$amplink" bench --help
expect 0 "no-event-idx" "$amplink" bench -h
expect 2 "usage: amplink bench" "$amplink" bench --frobnicate
expect 2 "usage: amplink bench" "$amplink" bench --runs 0
expect 2 "usage: amplink bench" "$amplink" bench --only nothing
# A tool without amplink-bench beside it: exit 3, the path it looked for, how to get it.
cp "$amplink" "$tmp/amplink"
expect 3 "$tmp/amplink-bench: No such file or directory (build the amplink-bench target" \
  "$tmp/amplink" bench --quick
# Not executable: the same code, the reason.
touch "$tmp/amplink-bench"
expect 3 "$tmp/amplink-bench: Permission denied" "$tmp/amplink" bench --quick
echo "$checks checks, $failed failed"
[ "$failed" -eq 0 ]
