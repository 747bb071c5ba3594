#!/usr/bin/env bash
# Runs the whole test suite several times in a row while busy processes load the CPU beside it, to show that the
# suite holds on a loaded machine. Usage: bash scripts/test-under-load.sh [runs=3] [busy processes=1]
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
busy=${2:-1}
pids=()
for _ in $(seq 1 "$busy"); do
  # Each busy process stops by itself after two hours at the latest.
  node -e 'const end = Date.now() + 7_200_000; let x = 0; while (Date.now() < end) x = (x + Math.sqrt(x + 1)) % 1e9;' &
  pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null' EXIT
failed=0
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  if npm test > "test-results/under-load-$i.log" 2>&1; then result=green; else result=FAILED; failed=1; fi
  printf 'run %d: %s in %ds — %s\n' "$i" "$result" "$(( $(date +%s) - start ))" "$(grep -E '^tests: ' "test-results/under-load-$i.log" | tail -1)"
done
exit "$failed"
