#!/usr/bin/env bash
# Runs every libFuzzer target briefly (FUZZ_SECONDS each, default 12: CI's 30 minutes are shared by 23 steps; the long runs are in Docs/RELIABILITY.md) after replaying its checked-in corpus,
# which holds every crash found so far as a regression. Builds with swiftc -sanitize=fuzzer,address (see
# scripts/fuzz.sh). Prints "N passed, M failed"; exits non-zero when a target crashes or fails to build.
set -uo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH="${FUZZ_SECONDS:-12}"
PASSED=0
FAILED=0
for target in http json graphql cron rest response; do
    log=$(mktemp)
    if scripts/fuzz.sh "$target" 0 >"$log" 2>&1 && scripts/fuzz.sh "$target" "$SECONDS_EACH" >>"$log" 2>&1; then
        echo "PASS fuzz-$target: $(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}') runs, $(grep -E '^stat::average_exec_per_sec' "$log" | awk '{print $2}') exec/s"
        PASSED=$((PASSED + 1))
    else
        echo "FAIL fuzz-$target"
        grep -E -B2 -A25 "ERROR: |Fatal error|deadly signal|==ERROR" "$log" | head -60
        ls .build/fuzz/artifacts/"$target"/ 2>/dev/null
        FAILED=$((FAILED + 1))
    fi
    rm -f "$log"
done
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
