# SPDX-License-Identifier: BSD-3-Clause
# Sourced by the CLI tests: check counters, expect() and has().
checks=0
failed=0
out=
# expect CODE PATTERN CMD...: run CMD, compare its exit code and grep its output.
expect() {
  local want=$1 pat=$2 rc
  shift 2
  out=$("$@" 2>&1)
  rc=$?
  checks=$((checks + 1))
  if [ "$rc" != "$want" ] || ! grep -q -- "$pat" <<<"$out"; then
    failed=$((failed + 1))
    echo "FAIL: $* -> exit $rc (want $want), output:"
    echo "$out" | sed 's/^/    /'
  fi
}
# has PATTERN: one more check, that the last expect's output contains PATTERN.
has() {
  checks=$((checks + 1))
  grep -q -- "$1" <<<"$out" || { failed=$((failed + 1)); echo "FAIL: output lacks '$1'"; }
}
