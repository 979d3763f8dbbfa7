#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# test_cli.sh AMPLINK ECHO_FW: checks the output and exit codes of
# amplink start/stop/status/trace/ping/attach/detach/run with the echo firmware
# and with broken images (missing, not ELF, wrong class, no table, bad entry).
# Uses a private runtime directory; every remote it starts is stopped.
set -u
amplink=$1
fw=$2
tmp=$(mktemp -d)
export XDG_RUNTIME_DIR=$tmp
mkdir -m 700 "$tmp/rt" 2>/dev/null
standalone=
cleanup() {
  for n in cli-a cli-b cli-att; do "$amplink" stop "$n" >/dev/null 2>&1; done
  [ -n "$standalone" ] && { kill -9 "$standalone"; wait "$standalone"; } 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
# shellcheck source=expect.sh
. "$(dirname "$0")/expect.sh"

# help and usage
expect 0 "usage: amplink COMMAND" "$amplink" --help
for c in start stop status trace attach detach ping run; do
  expect 0 "usage: amplink $c" "$amplink" "$c" --help
done
expect 2 "usage: amplink start" "$amplink" start
expect 2 "unknown command" "$amplink" frobnicate
expect 2 "bad argument" "$amplink" ping cli-a --size 100000

# broken images
expect 3 "no such file" "$amplink" start "$tmp/missing"
printf 'just text\n' >"$tmp/text.fw" && chmod +x "$tmp/text.fw"
expect 4 "not an ELF file" "$amplink" start "$tmp/text.fw"
cp "$fw" "$tmp/class.fw" && printf '\001' | dd of="$tmp/class.fw" bs=1 seek=4 conv=notrunc 2>/dev/null
expect 4 "wrong ELF class (32-bit)" "$amplink" start "$tmp/class.fw"
cp "$amplink" "$tmp/notable.fw"
expect 4 "no .resource_table" "$amplink" start "$tmp/notable.fw"
if command -v readelf >/dev/null; then
  off=$(readelf -SW "$fw" | sed -n 's/.*\.resource_table *PROGBITS *[0-9a-f]* \([0-9a-f]*\).*/\1/p')
  cp "$fw" "$tmp/badentry.fw"
  # first entry (trace) starts at 28: its reserved field is at 40
  printf '\001' | dd of="$tmp/badentry.fw" bs=1 seek=$((16#$off + 40)) conv=notrunc 2>/dev/null
  expect 4 "trace at 0x1c: reserved field not zero" "$amplink" start "$tmp/badentry.fw"
fi
expect 3 "no remote named 'cli-zz'" "$amplink" status cli-zz
# a firmware over 1 MB shows load progress (trailing bytes are ignored by the loader)
cp "$fw" "$tmp/big.fw" && head -c 2000000 /dev/zero >>"$tmp/big.fw"
expect 0 "loading: 100%" "$amplink" run "$tmp/big.fw" --quiet -- --lifetime 100
expect 3 "no remote named" "$amplink" stop cli-zz

# start, status, ping, trace, crash + recovery, stop
expect 0 "started cli-a" "$amplink" start "$fw" --name cli-a --recovery
expect 5 "exists" "$amplink" start "$fw" --name cli-a
for i in $(seq 1 50); do "$amplink" status cli-a | grep -q "endpoints: 3" && break; sleep 0.1; done
expect 0 "state:     running" "$amplink" status cli-a
expect 0 "rpmsg-upper" "$amplink" status cli-a
expect 0 '"state":"running"' "$amplink" status cli-a --json
expect 0 '"name":"cli-a"' "$amplink" status --json
expect 0 "round trip us: min" "$amplink" ping cli-a --count 200 --size 256
expect 0 "200 round trips of 256 bytes on rpmsg-echo, 0 errors" "$amplink" ping cli-a --count 200 --size 256
expect 0 "on rpmsg-echo, 0 errors" "$amplink" ping cli-a --count 5 --endpoint rpmsg-echo
expect 7 "round trips failed" "$amplink" ping cli-a --count 1 --endpoint rpmsg-count
expect 0 "3 endpoints announced" "$amplink" trace cli-a
pid=$("$amplink" status cli-a --json | sed -n 's/.*"pid":\([0-9]*\).*/\1/p')
kill -9 "$pid"
for i in $(seq 1 50); do "$amplink" status cli-a | grep -q "1 restart" && break; sleep 0.1; done
expect 0 "1 restart" "$amplink" status cli-a
expect 0 "last exit: signal 9" "$amplink" status cli-a
for i in $(seq 1 50); do "$amplink" status cli-a | grep -q "endpoints: 3" && break; sleep 0.1; done
expect 0 "0 errors" "$amplink" ping cli-a --count 20
expect 0 "stopped cli-a: signal 15" "$amplink" stop cli-a
expect 3 "no remote named" "$amplink" status cli-a

# a crash without recovery stays crashed
expect 0 "started cli-b" "$amplink" start "$fw" --name cli-b
pid=$("$amplink" status cli-b --json | sed -n 's/.*"pid":\([0-9]*\).*/\1/p')
kill -9 "$pid"
for i in $(seq 1 50); do "$amplink" status cli-b | grep -q "crashed" && break; sleep 0.1; done
expect 0 "state:     crashed" "$amplink" status cli-b
expect 5 "remote is crashed" "$amplink" ping cli-b --count 1
expect 0 "stopped cli-b" "$amplink" stop cli-b

# run: waits for the end, shows the trace
expect 0 "exit code 0" "$amplink" run "$fw" -- --lifetime 300
expect 0 "lifetime over" "$amplink" run "$fw" -- --lifetime 300
expect 0 "stopped after" "$amplink" run "$fw" --timeout 0.3
expect 4 "not an ELF file" "$amplink" run "$tmp/text.fw"

# attach / detach a remote started on its own
expect 6 "no remote connected in time" "$amplink" attach cli-att --timeout 1
"$fw" --name cli-att --lifetime 30000 2>/dev/null &
standalone=$!
expect 0 "attached cli-att" "$amplink" attach cli-att
for i in $(seq 1 200); do "$amplink" status cli-att | grep -q "endpoints: 3" && break; sleep 0.05; done
expect 0 "state:     attached" "$amplink" status cli-att
expect 0 "0 errors" "$amplink" ping cli-att --count 20
expect 5 "use 'amplink detach cli-att'" "$amplink" stop cli-att
expect 0 "" "$amplink" detach cli-att
checks=$((checks + 1))
kill -0 "$standalone" || { failed=$((failed + 1)); echo "FAIL: detached remote is gone"; }
expect 0 "attached cli-att" "$amplink" attach cli-att
expect 0 "" "$amplink" detach cli-att
expect 3 "no remote named" "$amplink" detach cli-zz

echo "$checks checks, $failed failed"
[ "$failed" -eq 0 ]
