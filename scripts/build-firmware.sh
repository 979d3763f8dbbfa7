#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Cross-builds the bare-metal firmware images (echo, multi, crash and the boot
# stub) into a known directory so host tests and users find them:
#   scripts/build-firmware.sh [OUT_DIR] [cm4|rv32]
# OUT_DIR defaults to build/firmware-cm4 (or build/firmware-rv32); the images land
# in OUT_DIR/firmware/*.elf. Needs arm-none-eabi-gcc (riscv64-unknown-elf-gcc).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
arch=${2:-cm4}
case "$arch" in
cm4) toolchain=toolchain-cortex-m4.cmake; cc=arm-none-eabi-gcc ;;
rv32) toolchain=toolchain-riscv32.cmake; cc=riscv64-unknown-elf-gcc ;;
*) echo "build-firmware.sh: unknown architecture '$arch' (cm4 or rv32)" >&2; exit 2 ;;
esac
out=${1:-$src/build/firmware-$arch}
if ! command -v "$cc" >/dev/null 2>&1; then
	echo "build-firmware.sh: $cc not found: install the cross compiler" >&2
	exit 1
fi
if [ ! -f "$out/CMakeCache.txt" ]; then
	cmake -S "$src" -B "$out" -DCMAKE_TOOLCHAIN_FILE="$src/cmake/$toolchain" \
		-DCMAKE_BUILD_TYPE=MinSizeRel >/dev/null
fi
cmake --build "$out" -j2 >/dev/null
ls "$out"/firmware/*.elf
