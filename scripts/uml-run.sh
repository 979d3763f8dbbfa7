#!/usr/bin/env bash
# Boots the User-Mode Linux kernel once with the initramfs, its virtio-rpmsg
# device served by the vhost-user backend listening on SOCKET, under
# `setsid timeout` with a private uml_dir; the process group is killed
# afterwards (UML forks helpers). The guest console goes to stdout.
#
# Usage: scripts/uml-run.sh KERNEL INITRD SOCKET [MODE] [TIMEOUT_S]
#   MODE: main (default), quick, ns, proxy or proxyctrl; passed as amplink.mode= on the command line.
# Exit: the exit status of the kernel process (124 on timeout).
set -uo pipefail

kernel=${1:?usage: uml-run.sh KERNEL INITRD SOCKET [MODE] [TIMEOUT_S]}
initrd=${2:?}
sock=${3:?}
mode=${4:-main}
limit=${5:-120}
[ -x "$kernel" ] || { echo "uml-run: kernel $kernel missing (run scripts/uml-kernel.sh)" >&2; exit 2; }
umldir=$(mktemp -d)
umid=amplink$$-$RANDOM
trap 'rm -rf "$umldir"' EXIT

# PIDs of the processes of this VM: their command line carries our unique umid.
vm_pids() {
  grep -lzx -- "[u]mid=$umid" /proc/[0-9]*/cmdline 2>/dev/null | sed 's|/proc/\([0-9]*\)/cmdline|\1|'
}

setsid timeout -k 5 "$limit" "$kernel" mem=64M initrd="$initrd" con=null con0=null,fd:1 \
  uml_dir="$umldir" umid="$umid" virtio_uml.device="$sock":7 amplink.mode="$mode" \
  </dev/null &
pid=$!
wait "$pid"
rc=$?
kill -KILL -- "-$pid" 2>/dev/null
# UML processes were seen to outlive the group kill when the kernel had to be
# killed; they keep the vhost-user socket open: end every one of this VM by PID.
for _ in 1 2 3 4 5; do
  left=$(vm_pids)
  [ -z "$left" ] && break
  kill -KILL $left 2>/dev/null
  sleep 0.2
done
exit "$rc"
