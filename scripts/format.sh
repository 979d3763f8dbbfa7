#!/usr/bin/env bash
# Formats every C source with the project's .clang-format; --check only reports.
# Exit: 0 formatted (or nothing to change), 1 files need formatting, 2 no clang-format.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "format.sh: clang-format not found" >&2; exit 2; }
mapfile -t files < <(git ls-files -co --exclude-standard '*.c' '*.h' | grep -v '^build' || true)
[ ${#files[@]} -eq 0 ] && exit 0
if [ "${1:-}" = "--check" ]; then
  bad=0
  for f in "${files[@]}"; do
    [ -f "$f" ] || continue
    clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || { echo "needs formatting: $f"; bad=1; }
  done
  exit $bad
fi
clang-format -i "${files[@]}"
