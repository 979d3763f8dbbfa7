#!/usr/bin/env bash
# Installs amplink into a scratch prefix and builds a consumer program twice:
# once with pkg-config's flags alone, once with find_package(amplink).
# Usage: scripts/check-install.sh BUILDDIR   Exit: 0 ok, 1 a step failed.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build/install-check}
case "$dir" in /*) ;; *) dir=$PWD/$dir ;; esac
rm -rf "$dir"
cmake -S . -B "$dir/build" -DCMAKE_BUILD_TYPE=Release -DAMPLINK_BUILD_TESTS=OFF \
  -DAMPLINK_BUILD_EXAMPLES=OFF -DAMPLINK_BUILD_TOOLS=OFF -DAMPLINK_BUILD_BENCH=OFF \
  -DCMAKE_INSTALL_PREFIX="$dir/prefix" >/dev/null
cmake --build "$dir/build" -j "$(nproc)" >/dev/null
cmake --install "$dir/build" >/dev/null
prefix=$dir/prefix
mkdir -p "$dir/consumer"
cat > "$dir/consumer/main.c" <<'C'
#include <metal/sys.h>
#include <metal/io.h>
#include <stdio.h>
int main(void)
{
	struct metal_init_params params = METAL_INIT_DEFAULTS;
	if (metal_init(&params) != 0)
		return 1;
	puts("consumer ok");
	metal_finish();
	return 0;
}
C
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/lib64/pkgconfig:$prefix/lib/x86_64-linux-gnu/pkgconfig"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Werror -o "$dir/consumer/pc" "$dir/consumer/main.c" \
  $(pkg-config --cflags --libs amplink) -Wl,-rpath,"$(pkg-config --variable=libdir amplink)"
"$dir/consumer/pc"
cat > "$dir/consumer/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.20)
project(consumer C)
find_package(amplink REQUIRED)
add_executable(consumer main.c)
target_link_libraries(consumer PRIVATE amplink::amplink)
CM
cmake -S "$dir/consumer" -B "$dir/consumer/build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$dir/consumer/build" >/dev/null
"$dir/consumer/build/consumer"
