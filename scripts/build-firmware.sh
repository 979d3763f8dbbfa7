#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Cross-builds the bare-metal firmware images (echo, multi, crash and the boot
# stub) into a known directory so host tests and users find them:
#   scripts/build-firmware.sh [OUT_DIR] [cm4|rv32|cm4-lean|rv32-lean]
# OUT_DIR defaults to build/firmware-<arch>; the images land in
# OUT_DIR/firmware/*.elf. Needs arm-none-eabi-gcc (riscv64-unknown-elf-gcc).
# The -lean variants build the lean device profile (AMPLINK_LEAN_DEVICE) with
# the footprint options below: min-echo and the boot stub, the images
# scripts/footprint.sh measures and test_qemu_lean runs.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
arch=${2:-cm4}
case "$arch" in
cm4 | cm4-lean) toolchain=toolchain-cortex-m4.cmake; cc=arm-none-eabi-gcc ;;
rv32 | rv32-lean) toolchain=toolchain-riscv32.cmake; cc=riscv64-unknown-elf-gcc ;;
*) echo "build-firmware.sh: unknown architecture '$arch' (cm4, rv32, cm4-lean, rv32-lean)" >&2
	exit 2 ;;
esac
# The minimal remote: lean profile, device role only, no statistics, no logging
# code, no zero-copy API (set again at every run: a cached directory follows).
lean_opts="-DAMPLINK_LEAN_DEVICE=ON -DAMPLINK_ROLE_DRIVER=OFF -DAMPLINK_STATS=OFF
	-DAMPLINK_LOG_LEVEL=-1 -DAMPLINK_RPMSG_ZERO_COPY=OFF"
out=${1:-$src/build/firmware-$arch}
if ! command -v "$cc" >/dev/null 2>&1; then
	echo "build-firmware.sh: $cc not found: install the cross compiler" >&2
	exit 1
fi
case "$arch" in
*-lean)
	# shellcheck disable=SC2086 # word splitting of the option list is wanted
	cmake -S "$src" -B "$out" -DCMAKE_TOOLCHAIN_FILE="$src/cmake/$toolchain" \
		-DCMAKE_BUILD_TYPE=MinSizeRel $lean_opts >/dev/null ;;
*)
	if [ ! -f "$out/CMakeCache.txt" ]; then
		cmake -S "$src" -B "$out" -DCMAKE_TOOLCHAIN_FILE="$src/cmake/$toolchain" \
			-DCMAKE_BUILD_TYPE=MinSizeRel >/dev/null
	fi ;;
esac
cmake --build "$out" -j2 >/dev/null
ls "$out"/firmware/*.elf
