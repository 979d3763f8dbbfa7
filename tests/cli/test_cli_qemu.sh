#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# test_cli_qemu.sh AMPLINK FIRMWARE_DIR [RV32_FIRMWARE_DIR]: the amplink tool driving bare-metal
# firmware under QEMU like any remote: start --qemu (echo image on mps2-an386),
# status (running, the endpoint, the QEMU platform line), ping, trace, crash
# + recovery (QEMU killed), stop, and images refused with their exit codes;
# run --qemu in the foreground (timeout, QEMU killed, SIGTERM); start and
# run --proxy-root with the proxy image (file and console arrive); then the
# RISC-V echo image on riscv32-virt when that QEMU and image exist.
# Exits 77 (skipped) when qemu-system-arm or the Cortex-M images are missing.
# Uses a private runtime directory; every remote it starts is stopped.
set -u
amplink=$1
fwdir=$2
rvdir=${3:-}
echo_fw=$fwdir/echo-mps2-an386.elf
if ! command -v qemu-system-arm >/dev/null; then
  echo "SKIP: qemu-system-arm not found (Debian: apt-get install qemu-system-arm)"
  exit 77
fi
if [ ! -r "$echo_fw" ] || [ ! -r "$fwdir/boot-mps2-an386.elf" ]; then
  echo "SKIP: $echo_fw or its boot stub missing (scripts/build-firmware.sh, needs arm-none-eabi-gcc)"
  exit 77
fi
tmp=$(mktemp -d)
export XDG_RUNTIME_DIR=$tmp
cleanup() {
  for n in cliq-a cliq-b cliq-bad cliq-rv cliq-px; do "$amplink" stop "$n" >/dev/null 2>&1; done
  rm -rf "$tmp"
}
trap cleanup EXIT
# shellcheck source=expect.sh
. "$(dirname "$0")/expect.sh"
# wait_for NAME PATTERN: up to 10 s for PATTERN in NAME's status.
wait_for() {
  for _ in $(seq 1 100); do "$amplink" status "$1" 2>/dev/null | grep -q -- "$2" && return; sleep 0.1; done
}

# options and refused images
expect 0 "--qemu" "$amplink" start --help
expect 2 "unknown --machine 'pdp11'" "$amplink" start "$echo_fw" --machine pdp11 --name cliq-bad
expect 2 "not --qemu" "$amplink" start "$echo_fw" --qemu --name cliq-bad -- --arg
expect 3 "no such file" "$amplink" start "$tmp/missing.elf" --qemu
printf 'just text\n' >"$tmp/text.elf"
expect 4 "not an ELF file" "$amplink" start "$tmp/text.elf" --qemu
expect 4 "not a 32-bit ELF" "$amplink" start "$amplink" --qemu --name cliq-bad
expect 4 "not RISC-V" "$amplink" start "$echo_fw" --machine riscv32-virt --name cliq-bad
# passes the header checks, refused by the loader in the supervisor
head -c 600 "$echo_fw" >"$tmp/short.elf"
expect 4 "start failed" "$amplink" start "$tmp/short.elf" --qemu --name cliq-bad
expect 3 "no remote named 'cliq-bad'" "$amplink" status cliq-bad

# start, status, ping, trace, stop
expect 0 "started cliq-a" "$amplink" start "$echo_fw" --qemu --name cliq-a
expect 5 "exists" "$amplink" start "$echo_fw" --qemu --name cliq-a
wait_for cliq-a "endpoints: 1"
expect 0 "state:     running" "$amplink" status cliq-a
expect 0 "platform:  qemu mps2-an386, running" "$amplink" status cliq-a
expect 0 "rpmsg-raw        host 0x" "$amplink" status cliq-a
expect 0 '"backend":"qemu"' "$amplink" status cliq-a --json
expect 0 "200 round trips of 496 bytes on rpmsg-raw, 0 errors" \
  "$amplink" ping cliq-a --size 496 --count 200
expect 0 "amplink echo: up" "$amplink" trace cliq-a
expect 0 "tx 200 rx 200" "$amplink" status cliq-a
expect 5 "not attached" "$amplink" detach cliq-a
expect 0 "stopped cliq-a" "$amplink" stop cliq-a
expect 3 "no remote named" "$amplink" status cliq-a

# QEMU dies: recovered with --recovery (fresh QEMU, same image), echoes again
expect 0 "started cliq-b" "$amplink" start "$echo_fw" --qemu --name cliq-b --recovery
wait_for cliq-b "endpoints: 1"
pid=$("$amplink" status cliq-b --json | sed -n 's/.*"pid":\([0-9]*\).*/\1/p')
kill -9 "$pid"
wait_for cliq-b "1 restart"
expect 0 "1 restart" "$amplink" status cliq-b
wait_for cliq-b "endpoints: 1"
expect 0 "20 round trips of 64 bytes on rpmsg-raw, 0 errors" "$amplink" ping cliq-b --count 20
expect 0 "stopped cliq-b" "$amplink" stop cliq-b

# run --qemu: the same image in the foreground until the timeout, then stopped
# run_signalled qemu|term: a foreground run whose QEMU is killed or which gets SIGTERM.
run_signalled() {
  local pid rc
  "$amplink" run "$echo_fw" --qemu --timeout 20 >"$tmp/run.out" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do grep -q "remote announced" "$tmp/run.out" && break; sleep 0.1; done
  if [ "$1" = qemu ]; then
    kill -9 "$(sed -n 's/^started .*(pid \([0-9]*\))$/\1/p' "$tmp/run.out")"
  else
    kill -TERM "$pid"
  fi
  wait "$pid"
  rc=$?
  cat "$tmp/run.out"
  return $rc
}
expect 0 "--machine M" "$amplink" run --help
expect 2 "not --qemu" "$amplink" run "$echo_fw" --qemu -- --arg
expect 2 "unknown --machine 'pdp11'" "$amplink" run "$echo_fw" --machine pdp11
expect 3 "no such file" "$amplink" run "$tmp/missing.elf" --qemu
expect 4 "not RISC-V" "$amplink" run "$echo_fw" --machine riscv32-virt
expect 0 "remote announced rpmsg-raw" "$amplink" run "$echo_fw" --qemu --timeout 1
has "amplink echo: host ready"
has "remote stopped after 1\."
expect 0 "remote stopped after" "$amplink" run "$echo_fw" --qemu --timeout 1 --quiet
checks=$((checks + 1))
grep -q "trace of the remote" <<<"$out" && { failed=$((failed + 1)); echo "FAIL: run --quiet printed the trace"; }
expect 7 "remote crashed after" run_signalled qemu
expect 0 "remote stopped after" run_signalled term
checks=$((checks + 1))
left=$(ls "$tmp/amplink" | grep -e '-run')
[ -z "$left" ] || { failed=$((failed + 1)); echo "FAIL: run left files: $left"; }

# start --proxy-root: the proxy image (newlib printf/fopen) served a directory
# (the default console <rt>/NAME.console, apart from QEMU's UART log NAME.uart)
proxy_fw=$fwdir/proxy-mps2-an386.elf
if [ -r "$proxy_fw" ]; then
  mkdir "$tmp/root"
  printf 'hello from the host\n' >"$tmp/root/hello.txt"
  expect 0 "started cliq-px" "$amplink" start "$proxy_fw" --qemu --name cliq-px \
    --proxy-root "$tmp/root"
  con=$tmp/amplink/cliq-px.console
  for _ in $(seq 1 100); do grep -q "proxy-fw: PASS" "$con" 2>/dev/null && break; sleep 0.1; done
  expect 0 "proxy-fw: PASS" cat "$con"
  has "proxy-fw: hello from the firmware through newlib printf"
  has "proxy-fw: host says: hello from the host"
  expect 0 "^4900$" wc -c <"$tmp/root/fw-out.txt"
  expect 0 "^line 099: written by the firmware through newlib$" tail -n 1 "$tmp/root/fw-out.txt"
  expect 0 "^fw-out.txt hello.txt$" sh -c "ls '$tmp/root' | tr '\n' ' ' | sed 's/ $//'"
  expect 0 "0 open file(s)" "$amplink" status cliq-px
  expect 0 "proxy-fw: PASS" "$amplink" trace cliq-px
  expect 0 "stopped cliq-px" "$amplink" stop cliq-px
  expect 1 "" test -e "$tmp/escaped.txt"
  # run --proxy-root: the same in the foreground, the console on run's stdout
  rm "$tmp/root/fw-out.txt"
  expect 0 "proxy-fw: host says: hello from the host" \
    "$amplink" run "$proxy_fw" --qemu --timeout 1 --proxy-root "$tmp/root"
  has "proxy-fw: PASS"
  has "remote stopped after"
  expect 0 "^4900$" wc -c <"$tmp/root/fw-out.txt"
  expect 2 "--console needs --proxy-root" "$amplink" run "$proxy_fw" --qemu --console "$tmp/c"
  expect 3 "no such directory" "$amplink" run "$proxy_fw" --qemu --proxy-root "$tmp/nodir"
else
  echo "note: proxy part skipped ($proxy_fw missing)"
fi

# the same on the RISC-V board
if [ -n "$rvdir" ] && [ -r "$rvdir/echo-riscv-virt.elf" ] && command -v qemu-system-riscv32 >/dev/null; then
  expect 4 "not ARM" "$amplink" start "$rvdir/echo-riscv-virt.elf" --qemu --name cliq-bad
  expect 0 "started cliq-rv" "$amplink" start "$rvdir/echo-riscv-virt.elf" --machine riscv32-virt --name cliq-rv
  wait_for cliq-rv "endpoints: 1"
  expect 0 "platform:  qemu riscv32-virt, running" "$amplink" status cliq-rv
  expect 0 "200 round trips of 496 bytes on rpmsg-raw, 0 errors" \
    "$amplink" ping cliq-rv --size 496 --count 200
  expect 0 "amplink echo: up" "$amplink" trace cliq-rv
  expect 0 "stopped cliq-rv" "$amplink" stop cliq-rv
else
  echo "note: RISC-V part skipped (qemu-system-riscv32 or $rvdir/echo-riscv-virt.elf missing)"
fi

echo "$checks checks, $failed failed"
[ "$failed" -eq 0 ]
