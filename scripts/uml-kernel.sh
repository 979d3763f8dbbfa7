#!/usr/bin/env bash
# Builds a User-Mode Linux kernel from Debian's linux-source-6.1 with the virtio
# vhost-user transport and Linux's rpmsg drivers (see ../shared/PEERS.md §2), once
# per machine: the binary is cached under ${AMPLINK_CACHE:-~/.cache/amplink}/uml-6.1/
# and reused while the source package and the option list below are unchanged.
#
# Usage: scripts/uml-kernel.sh [--print-path]
#   prints the path of the kernel binary on its last line.
# Needs: linux-source-6.1 bc flex bison libelf-dev (apt-get install -y ...).
# Exit: 0 ok, 1 build failed, 2 missing prerequisites.
set -euo pipefail

cache=${AMPLINK_CACHE:-$HOME/.cache/amplink}/uml-6.1
src_tar=/usr/src/linux-source-6.1.tar.xz
options=(--enable VIRTIO_UML --enable UML_PCI_OVER_VIRTIO --set-val UML_PCI_OVER_VIRTIO_DEVICE_ID 1234
         --enable RPMSG_VIRTIO --enable RPMSG_CHAR --enable RPMSG_CTRL --enable RPMSG_NS
         --enable RPMSG_TTY --enable BLK_DEV_INITRD --enable DEVTMPFS --enable DEVTMPFS_MOUNT
         --disable MODULES)

if [ "${1:-}" = "--help" ]; then sed -n '2,12p' "$0"; exit 0; fi
[ -f "$src_tar" ] || { echo "uml-kernel: $src_tar missing (apt-get install -y linux-source-6.1)" >&2; exit 2; }
for tool in bc flex bison make gcc; do
  command -v "$tool" >/dev/null || { echo "uml-kernel: '$tool' missing" >&2; exit 2; }
done

key=$( (dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || stat -c %Y "$src_tar"); \
       printf '%s\n' "${options[@]}") 
key=$(printf '%s' "$key" | sha256sum | cut -c1-16)
bin=$cache/linux-$key
if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi

mkdir -p "$cache"
work=$cache/build
rm -rf "$work"
mkdir -p "$work"
echo "uml-kernel: unpacking $src_tar (one-time build, ~10-15 min on 2 cores)" >&2
tar -xf "$src_tar" -C "$work"
tree=$(find "$work" -maxdepth 1 -mindepth 1 -type d | head -n 1)
cd "$tree"
make ARCH=um defconfig >/dev/null
scripts/config "${options[@]}"
make ARCH=um olddefconfig >/dev/null
for opt in RPMSG_VIRTIO RPMSG_CHAR RPMSG_CTRL RPMSG_TTY VIRTIO_UML; do
  grep -q "^CONFIG_${opt}=y" .config || { echo "uml-kernel: CONFIG_$opt did not stick" >&2; exit 1; }
done
echo "uml-kernel: compiling (progress: one dot per 200 objects)" >&2
make ARCH=um -j"$(nproc)" linux 2>&1 | awk '/ CC /{n++; if (n % 200 == 0) printf "." > "/dev/stderr"} / error: |Error [0-9]/{print > "/dev/stderr"}'
echo >&2
[ -x linux ] || { echo "uml-kernel: build failed" >&2; exit 1; }
cp linux "$bin"
cd /
rm -rf "$work"
echo "$bin"
