#!/usr/bin/env bash
# The tests of the targets with concurrency and unsafe pointers under ThreadSanitizer and AddressSanitizer
# (issue 12; Docs/RELIABILITY.md "Sanitizers"): SchedulingTests (worker pool, clocks), HTTPServerTests (event
# loops, sockets, raw buffers), StoreConformanceTests (every store: memory, SQLite, PostgreSQL) and the GraphQL
# engine's executor tests (ExecutionTests, ConcurrentFieldExecutionTests).
#
# SANITIZER_PACKAGE=full (default) builds the root package: every target and test target, as `swift build
# --build-tests` does. SANITIZER_PACKAGE=small builds scripts/sanitizers/Package.swift instead: the same
# sources through symbolic links, but only TaskCore, Scheduling, GraphQLLite, HTTPServer, the two stores and
# the four test targets above (a shorter build). Neither is part of scripts/test.sh yet: run it by hand.
#
# TSan builds pass -DTSAN_LOCKS, which swaps Synchronization.Mutex for a pthread mutex that TSan understands
# (Sources/*/Support/TSanMutex.swift); without it every Mutex-protected access would be reported as a race.
# Each sanitizer and package has its own scratch path (.build-tsan, .build-asan; .build-tsan-small,
# .build-asan-small), so the normal .build stays untouched. SANITIZER_CLEAN=1 removes it first (a clean
# build, as on CI). Prints each build's and run's wall time, "N passed, M failed", and exits non-zero on any
# failure or sanitizer report.
#
# Environment: SANITIZERS="thread address" (default both, in that order), SANITIZER_PACKAGE=full|small,
# SANITIZER_CONFIG=debug|release (default debug), SANITIZER_FILTER to override the test filter,
# SANITIZER_CLEAN=1.
set -uo pipefail
cd "$(dirname "$0")/.."

FILTER="${SANITIZER_FILTER:-SchedulingTests|HTTPServerTests|StoreConformanceTests|ExecutionTests}"
CONFIG="${SANITIZER_CONFIG:-debug}"
case "${SANITIZER_PACKAGE:-full}" in
    full) package=(); suffix="" ;;
    small) package=(--package-path scripts/sanitizers); suffix="-small" ;;
    *) echo "SANITIZER_PACKAGE must be full or small"; echo "0 passed, 1 failed"; exit 1 ;;
esac
[ "$CONFIG" = release ] && suffix="$suffix-release"
PASSED=0
FAILED=0
for sanitizer in ${SANITIZERS:-thread address}; do
    case "$sanitizer" in
        thread) scratch=.build-tsan$suffix; flags=(-Xswiftc -DTSAN_LOCKS); export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" ;;
        address) scratch=.build-asan$suffix; flags=(); export ASAN_OPTIONS="detect_leaks=0" ;;
        *) echo "unknown sanitizer $sanitizer"; FAILED=$((FAILED + 1)); continue ;;
    esac
    [ -n "${SANITIZER_CLEAN:-}" ] && rm -rf "$scratch"
    common=("${package[@]}" -c "$CONFIG" --sanitize="$sanitizer" --scratch-path "$scratch" "${flags[@]}")
    echo "==> swift build --build-tests ${common[*]}"
    started=$SECONDS
    log=$(mktemp)
    swift build --build-tests "${common[@]}" >"$log" 2>&1
    status=$?
    tail -3 "$log"
    echo "(build $sanitizer: $((SECONDS - started)) s)"
    if [ $status -ne 0 ]; then
        grep -E "error:" "$log" | head -20
        echo "FAIL $sanitizer: the build failed"
        FAILED=$((FAILED + 1))
        rm -f "$log"
        continue
    fi
    echo "==> swift test --sanitize=$sanitizer --filter '$FILTER'"
    started=$SECONDS
    # In series, as scripts/test.sh runs them: a parallel run on 2 cores times out under TSan's slowdown.
    swift test --skip-build --no-parallel "${common[@]}" --filter "$FILTER" >"$log" 2>&1
    status=$?
    echo "(run $sanitizer: $((SECONDS - started)) s)"
    if [ $status -eq 0 ] && ! grep -q -e "WARNING: ThreadSanitizer" -e "ERROR: AddressSanitizer" "$log"; then
        echo "PASS $sanitizer: $(grep -E 'Test run with .* passed' "$log" | tail -1)"
        PASSED=$((PASSED + 1))
    else
        echo "FAIL $sanitizer (exit $status)"
        grep -E -A30 "WARNING: ThreadSanitizer|ERROR: AddressSanitizer" "$log" | head -80
        grep -E "✘" "$log" | head -20
        tail -5 "$log"
        cp "$log" "$scratch/last-test.log" 2>/dev/null && echo "full log: $scratch/last-test.log"
        FAILED=$((FAILED + 1))
    fi
    rm -f "$log"
done
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
