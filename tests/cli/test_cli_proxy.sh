#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# test_cli_proxy.sh AMPLINK PROXY_DEMO: amplink start --proxy-root serves one
# directory to the proxy_demo firmware (a Linux-process remote): the file it
# writes is in the root with the exact content and nothing is written outside,
# its console reaches the console file, status shows the proxy (text and
# JSON); a missing or non-directory root exits 3 before anything starts; a
# remote killed with -9 (--recovery) has its files closed and is served again;
# stop is clean; --console FILE; a crash without recovery closes the files;
# `run --proxy-root` serves it in the foreground. Conditions are polled (no fixed sleeps); bounded to ~10 s.
set -u
amplink=$1
fw=$2
tmp=$(mktemp -d)
export XDG_RUNTIME_DIR=$tmp/rt
mkdir -m 700 "$tmp/rt"
root=$tmp/root
rt=$tmp/rt/amplink
text='Written by the remote through the proxy.'
cleanup() {
  for n in cli-px cli-px2; do "$amplink" stop "$n" >/dev/null 2>&1; done
  rm -rf "$tmp"
}
trap cleanup EXIT
# shellcheck source=expect.sh
. "$(dirname "$0")/expect.sh"

# check DESCRIPTION CMD...: one more check, failed when CMD fails.
check() {
  local what=$1
  shift
  checks=$((checks + 1))
  if ! "$@"; then
    failed=$((failed + 1))
    echo "FAIL: $what"
  fi
}
# Every wait ends after 5 s, and all of them together 15 s after the start.
SECONDS=0
waiting() {
  [ "$1" -lt 100 ] && [ "$SECONDS" -lt 15 ] && sleep 0.05
}
# poll FILE PATTERN [COUNT]: wait until FILE has COUNT lines matching.
poll() {
  local i=0
  until [ "$(grep -c -- "$2" "$1" 2>/dev/null)" -ge "${3:-1}" ]; do
    waiting $((i++)) || return 1
  done
}
# gone PID: wait until PID has ended (a zombie counts as ended).
gone() {
  local i=0
  until case $(ps -o stat= -p "$1") in "" | Z*) true ;; *) false ;; esac; do
    waiting $((i++)) || return 1
  done
}
# fds of process $1 open on a path starting with $2
fds_on() {
  local n=0 f
  for f in /proc/"$1"/fd/*; do
    case $(readlink "$f") in "$2"*) n=$((n + 1)) ;; esac
  done
  echo $n
}

# a bad root: exit 3 before anything starts (no supervisor, no files)
expect 3 "--proxy-root $tmp/missing: no such directory" \
  "$amplink" start "$fw" --name cli-px --proxy-root "$tmp/missing"
touch "$tmp/plain"
expect 3 "not a directory" "$amplink" start "$fw" --name cli-px --proxy-root "$tmp/plain"
expect 2 "--console needs --proxy-root" "$amplink" start "$fw" --console "$tmp/c"
check "nothing started for a bad root" test ! -e "$rt/cli-px.ctl"
expect 3 "no remote named" "$amplink" status cli-px

# start: the remote writes, reads back, lists and prints, then holds demo.txt
mkdir "$root" "$tmp/outside"
touch "$tmp/marker"
sleep 0.01
expect 0 "started cli-px" "$amplink" start "$fw" --name cli-px --recovery \
  --proxy-root "$root" -- --stay
con=$rt/cli-px.console
check "console: demo done" poll "$con" "holding demo.txt open"
check "console: read back" grep -q "proxy_demo: wrote and read back demo.txt" "$con"
check "console: listing" grep -qx "  demo.txt" "$con"
check "console: ok" grep -qx "proxy_demo: ok" "$con"
check "console file mode 0600" test "$(stat -c %a "$con")" = 600
check "demo.txt content" cmp -s "$root/demo.txt" <(printf '%s\n' "$text")
check "only demo.txt in the root" test "$(ls -A "$root")" = demo.txt
outside=$(find "$tmp" -newer "$tmp/marker" ! -path "$root*" ! -path "$tmp/rt*" ! -path "$tmp")
check "nothing written outside the root: $outside" test -z "$outside"
expect 0 "proxy:     $root, attached (remote 0x" "$amplink" status cli-px
expect 0 "1 open file(s), requests [1-9][0-9]*, bad 0, attaches 1" "$amplink" status cli-px
expect 0 "console:   $con" "$amplink" status cli-px
expect 0 "\"proxy\":{\"root\":\"$root\",\"console\":\"$con\",\"attached\":true,\"attaches\":1,\"open_files\":1" \
  "$amplink" status cli-px --json
expect 0 '"endpoints":\[\]' "$amplink" status cli-px --json

# kill -9: its files are closed, the new instance is served again
pid=$("$amplink" status cli-px --json | sed -n 's/.*"pid":\([0-9]*\).*/\1/p')
sup=$(ps -o ppid= -p "$pid" | tr -d ' ')
check "supervisor holds demo.txt for the remote" test "$(fds_on "$sup" "$root/demo.txt")" = 1
rm "$root/demo.txt"
kill -9 "$pid"
check "log: files closed" poll "$rt/cli-px.log" "proxy: remote gone, 1 file(s) closed"
check "log: served again" poll "$rt/cli-px.log" "proxy: serving $root" 2
check "console: demo ran again" poll "$con" "holding demo.txt open" 2
check "demo.txt written again" cmp -s "$root/demo.txt" <(printf '%s\n' "$text")
check "old file closed, new one open" test "$(fds_on "$sup" "$root/demo.txt")" = 1
expect 0 "1 restart" "$amplink" status cli-px
expect 0 "attached (remote 0x.*1 open file(s).*attaches 2" "$amplink" status cli-px

# stop: the remote's files are closed, the supervisor is gone
expect 0 "stopped cli-px" "$amplink" stop cli-px
check "log: closed at stop" poll "$rt/cli-px.log" "proxy: remote gone, 1 file(s) closed" 2
check "supervisor gone" gone "$sup"
expect 3 "no remote named" "$amplink" status cli-px

# --console FILE; a crash without recovery closes the files at once
expect 0 "started cli-px2" "$amplink" start "$fw" --name cli-px2 --proxy-root "$root" \
  --console "$tmp/con2.txt" -- --stay
check "--console file" poll "$tmp/con2.txt" "holding demo.txt open"
check "--console file mode 0600" test "$(stat -c %a "$tmp/con2.txt")" = 600
expect 0 "console:   $tmp/con2.txt" "$amplink" status cli-px2
kill -9 "$("$amplink" status cli-px2 --json | sed -n 's/.*"pid":\([0-9]*\).*/\1/p')"
check "log: closed at the crash" poll "$rt/cli-px2.log" "proxy: remote gone, 1 file(s) closed"
expect 0 "state:     crashed" "$amplink" status cli-px2
expect 0 "proxy:     $root, not attached, 0 open file(s)" "$amplink" status cli-px2
expect 0 '"attached":false,"attaches":1,"open_files":0' "$amplink" status cli-px2 --json
expect 0 "stopped cli-px2" "$amplink" stop cli-px2
check "no file of the remote's in the root but demo.txt" test "$(ls -A "$root")" = demo.txt


# run --proxy-root: the same firmware in the foreground, its console on run's stdout
rm -f "$root/demo.txt"
expect 0 "proxy_demo: wrote and read back demo.txt" "$amplink" run "$fw" --proxy-root "$root" --timeout 10
has "proxy_demo: ok"
has "exit code 0"
check "run: demo.txt written" cmp -s "$root/demo.txt" <(printf '%s\n' "$text")
check "run: created files are private (0600)" test "$(stat -c %a "$root/demo.txt")" = 600
expect 3 "no such directory" "$amplink" run "$fw" --proxy-root "$tmp/nodir"

echo "$checks checks, $failed failed"
[ "$failed" -eq 0 ]
