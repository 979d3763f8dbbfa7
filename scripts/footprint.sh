#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Footprint of the minimal amplink remote: firmware/min-echo, a Linux-compatible
# RPMsg echo in the device role (name service, one endpoint, static, no heap):
# firmware/echo/main.c on the minimal runtime (firmware/runtime/remote_min.c)
# with the library built in the lean device profile (AMPLINK_LEAN_DEVICE=ON,
# docs/bare-metal.md) and AMPLINK_ROLE_DRIVER=OFF AMPLINK_STATS=OFF
# AMPLINK_LOG_LEVEL=-1 AMPLINK_RPMSG_ZERO_COPY=OFF, -Os (MinSizeRel),
# --gc-sections. Built for Cortex-M4 and rv32 by scripts/build-firmware.sh
# (cm4-lean, rv32-lean) in build/footprint-cm4 and build/footprint-rv32.
#
#   scripts/footprint.sh [--json] [--detail] [--no-build]
#
# Prints key=value lines (or one JSON object with --json), the format
# amplink-bench --footprint FILE reads:
#   cm4_amplink_text   text bytes of the Cortex-M4 image that come from libamplink.a
#   cm4_image_text     text of the whole Cortex-M4 image (arm-none-eabi-size)
#   cm4_image_data     data of the whole image (includes the resource table)
#   cm4_image_bss      bss of the whole image
#   rv32_amplink_text  as cm4_amplink_text for the rv32 image
# --detail also prints, per object file of libamplink.a, its text bytes in the
# Cortex-M4 image (to stderr, largest first).
#
# Method for *_amplink_text: the linker map file (-Wl,-Map, written by
# firmware/CMakeLists.txt) lists every input section kept in the image with its
# size and the archive member it comes from. The script sums the sizes of the
# kept input sections named .text*, .rodata* or .srodata* (code and constants,
# what `size` counts as text, minus alignment fill) whose origin is a member of
# libamplink.a, reading only the "Linker script and memory map" part of the map
# and stopping at /DISCARD/ (discarded sections are not in the image). libgcc,
# the firmware runtime, the BSP and the application are not counted.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
json=0
detail=0
build=1
for a in "$@"; do
	case "$a" in
	--json) json=1 ;;
	--detail) detail=1 ;;
	--no-build) build=0 ;;
	*) echo "usage: footprint.sh [--json] [--detail] [--no-build]" >&2; exit 2 ;;
	esac
done

# fp_build ARCH: configure (lean options) and build the minimal image.
fp_build() {
	"$src/scripts/build-firmware.sh" "$src/build/footprint-$1" "$1-lean" >/dev/null
}

# lib_text MAP: text bytes from libamplink.a in MAP (method above).
# With a second argument "detail", prints "bytes member" per member instead.
lib_text() {
	awk -v detail="${2:-}" '
	/^Linker script and memory map/ { on = 1; next }
	/^\/DISCARD\// { on = 0 }
	!on { next }
	# An input section line: " .name [addr size origin]" (long names wrap).
	/^ \.[^ ]/ {
		name = $1
		if (NF >= 4) { size = $3; origin = $4 } else { pending = name; next }
		count(name, size, origin); pending = ""; next
	}
	pending != "" && /^ +0x/ {
		if (NF >= 3) count(pending, $2, $3)
		pending = ""; next
	}
	{ pending = "" }
	function count(n, sz, org,   m) {
		if (n !~ /^\.(text|rodata|srodata)/) return
		if (org !~ /libamplink\.a\(/) return
		total += strtonum_(sz)
		m = org; sub(/.*libamplink\.a\(/, "", m); sub(/\)$/, "", m)
		per[m] += strtonum_(sz)
	}
	function strtonum_(h,   i, c, v) {
		v = 0; h = tolower(h); sub(/^0x/, "", h)
		for (i = 1; i <= length(h); i++) {
			c = index("0123456789abcdef", substr(h, i, 1)) - 1
			v = v * 16 + c
		}
		return v
	}
	END {
		if (detail == "detail") { for (m in per) printf "%6d %s\n", per[m], m }
		else print total + 0
	}' "$1"
}

if [ "$build" = 1 ]; then
	fp_build cm4
	fp_build rv32
fi
cm4_dir=$src/build/footprint-cm4/firmware
rv_dir=$src/build/footprint-rv32/firmware
set -- $(arm-none-eabi-size "$cm4_dir/min-echo-mps2-an386.elf" | awk 'NR == 2 { print $1, $2, $3 }')
cm4_text=$1 cm4_data=$2 cm4_bss=$3
cm4_lib=$(lib_text "$cm4_dir/min-echo-mps2-an386.map")
rv_lib=$(lib_text "$rv_dir/min-echo-riscv-virt.map")

if [ "$json" = 1 ]; then
	printf '{"cm4_amplink_text": %s, "cm4_image_text": %s, "cm4_image_data": %s, ' \
		"$cm4_lib" "$cm4_text" "$cm4_data"
	printf '"cm4_image_bss": %s, "rv32_amplink_text": %s}\n' "$cm4_bss" "$rv_lib"
else
	echo "cm4_amplink_text=$cm4_lib"
	echo "cm4_image_text=$cm4_text"
	echo "cm4_image_data=$cm4_data"
	echo "cm4_image_bss=$cm4_bss"
	echo "rv32_amplink_text=$rv_lib"
fi
if [ "$detail" = 1 ]; then
	lib_text "$cm4_dir/min-echo-mps2-an386.map" detail | sort -rn >&2
fi
