#!/usr/bin/env bash
# Makes sure the Debian packages a task needs are installed.
# Usage: scripts/deps.sh demo|test
#   demo: what building and running the demo needs
#   test: everything scripts/test.sh uses (sanitizers, valgrind, cross
#         toolchains, QEMU, the UML kernel's build dependencies)
# Missing packages are installed with apt-get (as root, or through sudo when
# it is available without a password); otherwise the command to run is printed.
# Exit: 0 all present, 1 install failed, 2 missing and could not install.
set -euo pipefail

demo_pkgs=(cmake make gcc libc6-dev pkg-config)
test_pkgs=("${demo_pkgs[@]}" clang valgrind clang-format git
           gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi
           gcc-riscv64-unknown-elf qemu-system-arm qemu-system-misc libjansson-dev
           linux-source-6.1 bc flex bison libelf-dev cpio busybox-static)

case "${1:-}" in
  demo) pkgs=("${demo_pkgs[@]}") ;;
  test) pkgs=("${test_pkgs[@]}") ;;
  -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
  *) echo "usage: scripts/deps.sh demo|test" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  as_root=(sudo)
else
  echo "deps: missing packages; run as root:" >&2
  echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq || exit 1
"${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null || exit 1
