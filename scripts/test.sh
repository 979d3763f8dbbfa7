#!/usr/bin/env bash
# Runs every test of amplink: the host build with gcc and with clang, the unit
# and two-process tests under ASan+UBSan and under valgrind, the Cortex-M4 and
# RV32 cross builds, and the format check. Ends with one line
# "N passed, N failed" (one count per test program and per build step).
#
# Usage: scripts/test.sh [--quick]   (--quick: gcc build and its tests only)
# Exit: 0 all passed, 1 something failed.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
scripts/deps.sh test || { echo "test.sh: missing packages (see above)"; echo "0 passed, 1 failed"; exit 1; }
jobs=$(nproc 2>/dev/null || echo 2)
passed=0
failed=0
failures=()

step() { # step NAME COMMAND...: run a build step, count it
  local name=$1; shift
  echo "==> $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
}

run_ctest() { # run_ctest BUILDDIR LABEL: run ctest, add its counts
  local dir=$1 label=$2 log
  log=$(mktemp)
  echo "==> tests ($label)"
  (cd "$dir" && ctest --output-on-failure -j "$jobs" 2>&1) | tee "$log"
  local total fails
  total=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\2/p' "$log" | tail -1)
  fails=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\1/p' "$log" | tail -1)
  if [ -z "$total" ]; then
    if grep -q "No tests were found" "$log"; then total=0; fails=0
    else total=1; fails=1; fi
  fi
  passed=$((passed + total - fails))
  failed=$((failed + fails))
  [ "$fails" = 0 ] || failures+=("tests ($label): $fails failed")
  rm -f "$log"
}

configure_build() { # configure_build DIR CMAKE-ARGS...
  local dir=$1; shift
  cmake -S "$root" -B "$dir" "$@" >/dev/null && cmake --build "$dir" -j "$jobs" 2>&1 | grep -Ev '^\[|^-- ' ; return "${PIPESTATUS[0]}"
}

# The User-Mode Linux kernel for the tests against a real Linux (built once per
# machine, ~10 min on 2 cores, then cached under ~/.cache/amplink).
uml_kernel() {
  local out
  out=$(scripts/uml-kernel.sh) || return 1
  AMPLINK_UML_KERNEL=$(printf '%s\n' "$out" | tail -n 1)
  export AMPLINK_UML_KERNEL
}
step "uml kernel" uml_kernel

step "build gcc" configure_build build/gcc -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Debug
[ -d build/gcc ] && run_ctest build/gcc gcc

if [ "${1:-}" != "--quick" ]; then
  step "build clang asan+ubsan" configure_build build/asan -DCMAKE_C_COMPILER=clang \
    -DCMAKE_BUILD_TYPE=Debug -DAMPLINK_SANITIZE=ON
  [ -d build/asan ] && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 run_ctest build/asan asan+ubsan

  step "build valgrind" configure_build build/valgrind -DCMAKE_C_COMPILER=gcc \
    -DCMAKE_BUILD_TYPE=Debug -DAMPLINK_VALGRIND=ON
  [ -d build/valgrind ] && run_ctest build/valgrind valgrind

  step "cross build cortex-m4" configure_build build/cm4 \
    -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-cortex-m4.cmake"
  step "cross build rv32" configure_build build/rv32 \
    -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-riscv32.cmake"
  step "install + pkg-config consumer" scripts/check-install.sh build/install-check
  step "format check" scripts/format.sh --check
fi

echo
if [ ${#failures[@]} -gt 0 ]; then
  printf 'failed: %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
