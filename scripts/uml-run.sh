#!/usr/bin/env bash
# Boots the User-Mode Linux kernel once with the initramfs, its virtio-rpmsg
# device served by the vhost-user backend listening on SOCKET, under
# `setsid timeout` with a private uml_dir; the process group is killed
# afterwards (UML forks helpers). The guest console goes to stdout.
#
# Usage: scripts/uml-run.sh KERNEL INITRD SOCKET [MODE] [TIMEOUT_S]
#   MODE: main (default) or ns; passed as amplink.mode= on the command line.
# Exit: the exit status of the kernel process (124 on timeout).
set -uo pipefail

kernel=${1:?usage: uml-run.sh KERNEL INITRD SOCKET [MODE] [TIMEOUT_S]}
initrd=${2:?}
sock=${3:?}
mode=${4:-main}
limit=${5:-120}
[ -x "$kernel" ] || { echo "uml-run: kernel $kernel missing (run scripts/uml-kernel.sh)" >&2; exit 2; }
umldir=$(mktemp -d)
trap 'rm -rf "$umldir"' EXIT
setsid timeout -k 5 "$limit" "$kernel" mem=64M initrd="$initrd" con=null con0=null,fd:1 \
  uml_dir="$umldir" umid=amplink$$ virtio_uml.device="$sock":7 amplink.mode="$mode" \
  </dev/null &
pid=$!
wait "$pid"
rc=$?
kill -KILL -- "-$pid" 2>/dev/null
exit "$rc"
