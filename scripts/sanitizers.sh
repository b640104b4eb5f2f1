#!/usr/bin/env bash
# Not yet part of scripts/test.sh (its first full run is still to come; issue 12). Run it by hand:
# scripts/sanitizers.sh. The tests of the targets with concurrency and unsafe pointers under ThreadSanitizer and AddressSanitizer:
# SchedulingTests (worker pool, clocks), HTTPServerTests (event loops, sockets, raw buffers) and
# StoreConformanceTests (every store: memory, SQLite, PostgreSQL) plus the GraphQL engine's executor tests.
#
# TSan builds pass -DTSAN_LOCKS, which swaps Synchronization.Mutex for a pthread mutex that TSan understands
# (Sources/*/Support/TSanMutex.swift); without it every Mutex-protected access would be reported as a race.
# Each sanitizer has its own scratch path (.build-tsan, .build-asan), so the normal .build stays untouched.
# Prints "N passed, M failed" and exits non-zero on any failure or sanitizer report.
#
# Environment: SANITIZERS="thread address" (default both), SANITIZER_FILTER to override the test filter.
set -uo pipefail
cd "$(dirname "$0")/.."

FILTER="${SANITIZER_FILTER:-SchedulingTests|HTTPServerTests|StoreConformanceTests|ExecutionTests}"
PASSED=0
FAILED=0
for sanitizer in ${SANITIZERS:-thread address}; do
    case "$sanitizer" in
        thread) scratch=.build-tsan; flags=(-Xswiftc -DTSAN_LOCKS); export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" ;;
        address) scratch=.build-asan; flags=(); export ASAN_OPTIONS="detect_leaks=0" ;;
        *) echo "unknown sanitizer $sanitizer"; FAILED=$((FAILED + 1)); continue ;;
    esac
    echo "==> swift build --build-tests --sanitize=$sanitizer --scratch-path $scratch"
    if ! swift build --build-tests --sanitize="$sanitizer" --scratch-path "$scratch" "${flags[@]}" 2>&1 | tail -3; then
        FAILED=$((FAILED + 1))
        continue
    fi
    log=$(mktemp)
    echo "==> swift test --sanitize=$sanitizer --filter '$FILTER'"
    # In series, as scripts/test.sh runs them: a parallel run on 2 cores times out under TSan's slowdown.
    swift test --skip-build --no-parallel --sanitize="$sanitizer" --scratch-path "$scratch" "${flags[@]}" --filter "$FILTER" >"$log" 2>&1
    status=$?
    if [ $status -eq 0 ] && ! grep -q -e "WARNING: ThreadSanitizer" -e "ERROR: AddressSanitizer" "$log"; then
        echo "PASS $sanitizer: $(grep -E 'Test run with .* passed' "$log" | tail -1)"
        PASSED=$((PASSED + 1))
    else
        echo "FAIL $sanitizer (exit $status)"
        grep -E -A30 "WARNING: ThreadSanitizer|ERROR: AddressSanitizer" "$log" | head -80
        grep -E "✘" "$log" | head -20
        FAILED=$((FAILED + 1))
    fi
    rm -f "$log"
done
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
