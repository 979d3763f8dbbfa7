#!/usr/bin/env bash
# Builds the initramfs the User-Mode Linux tests boot: busybox-static, a
# static guest program (tests/uml/guest_rpmsg.c, compiled here with gcc -static
# unless --prog gives a binary), the proxy's guest host (tests/uml/guest_proxy.c
# with the proxy host sources it needs, src/services/proxy_*.c, compiled in) and
# an /init that mounts proc/sys/dev, runs the program of the mode given on the
# kernel command line (amplink.mode=main|quick|ns: guest_rpmsg; proxy and
# proxyctrl: guest_proxy) and powers the VM off.
#
# Usage: scripts/uml-initramfs.sh OUT.cpio [--prog GUEST_BINARY]
# Needs: busybox-static, cpio, gcc with a static libc (libc6-dev).
# Exit: 0 ok, 1 build failed, 2 missing prerequisites or usage.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-}
prog=
[ "$out" = "--help" ] && { sed -n '2,12p' "$0"; exit 0; }
[ -n "$out" ] || { echo "usage: $0 OUT.cpio [--prog GUEST_BINARY]" >&2; exit 2; }
shift
if [ "${1:-}" = "--prog" ]; then prog=${2:?}; fi
busybox=$(command -v busybox || true)
if [ -z "$busybox" ] || ! file -L "$busybox" 2>/dev/null | grep -q 'statically linked'; then
  [ -x /bin/busybox ] && busybox=/bin/busybox
fi
[ -n "$busybox" ] || { echo "uml-initramfs: busybox missing (apt-get install -y busybox-static)" >&2; exit 2; }
command -v cpio >/dev/null || { echo "uml-initramfs: cpio missing" >&2; exit 2; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp}
cp "$busybox" "$root/bin/busybox"
for app in sh mount sed cat echo ls poweroff sleep stty; do ln -s busybox "$root/bin/$app"; done
if [ -n "$prog" ]; then
  cp "$prog" "$root/guest_rpmsg"
else
  gcc -static -O2 -Wall -Wextra -Werror -o "$root/guest_rpmsg" "$here/tests/uml/guest_rpmsg.c" ||
    { echo "uml-initramfs: static build of the guest program failed" >&2; exit 1; }
fi
# The proxy host without the rpmsg stack: Linux's /dev/rpmsgN is its transport.
svc=$here/src/services
gcc -static -O2 -std=c11 -Wall -Wextra -Wshadow -Werror -I"$here/include" -I"$here/src" -o "$root/guest_proxy" \
  "$here/tests/uml/guest_proxy.c" "$svc/proxy_proto.c" "$svc/proxy_server.c" \
  "$svc/proxy_host.c" "$svc/proxy_host_fs.c" "$svc/proxy_host_path.c" ||
  { echo "uml-initramfs: static build of the proxy guest program failed" >&2; exit 1; }
cat >"$root/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mode=$(sed -n 's/.*amplink\.mode=\([a-z]*\).*/\1/p' /proc/cmdline)
case "$mode" in
proxy) /guest_proxy ;;
proxyctrl) /guest_proxy ctrl ;;
*) /guest_rpmsg "${mode:-main}" ;;
esac
echo "GUEST EXIT $?"
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet) >"$out"
echo "$out"
