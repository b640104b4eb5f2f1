#!/usr/bin/env bash
# Runs every test of the project: the unit and conformance tests (`swift test`), then the
# end-to-end scripts that start real processes. This is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

failures=0
steps=0
failed_steps=()
started=$SECONDS
step_started=$SECONDS
step_name=""
# Each step prints how long the one before it took, so CI's log shows where the 30 minutes go.
step() {
    [ -n "$step_name" ] && printf '(%s: %d s)\n' "$step_name" $((SECONDS - step_started))
    steps=$((steps + 1)); step_name="$*"; step_started=$SECONDS
    printf '\n==> %s\n' "$*"
}
fail() { failures=$((failures + 1)); failed_steps+=("$step_name"); }

# Test what ships: the optimiser once broke the release build while every debug test was green
# (issue 11, Docs/COMPILER_FAULTS.md). So every suite runs on an optimised build (`-c release`;
# `@testable import` needs -enable-testing, hence a build of its own in .build-release-tests), and
# every end-to-end script below runs against the release worker-demo exactly as
# `swift build -c release` makes it for users. (A debug build of the tests is no longer part of
# the run: it found nothing the optimised one did not, and CI's 30 minutes are better spent on the
# end-to-end scripts.)
tests=(--scratch-path .build-release-tests -c release -Xswiftc -enable-testing)

step "swift build -c release -enable-testing --build-tests (warnings in our code fail the build)"
set +e
swift build "${tests[@]}" --build-tests 2>&1 | tee .build-test.log | grep -vE '^\[[0-9]+/[0-9]+\] (Compiling|Emitting|Write|Linking|Planning)'
build_status=${PIPESTATUS[0]}
set -e
if [ "$build_status" -ne 0 ]; then
    fail
elif grep -E "^/.*(Sources|Tests)/.*warning:" .build-test.log; then
    echo "error: the build printed warnings in our code (above)"
    fail
fi
rm -f .build-test.log

# --no-parallel: since the merge of session 2, a few store suites (concurrent claimers, churn, a
# workflow fan-in) and one HTTP streaming test hang when every suite runs at once on 2 cores, and
# pass alone and in series (cause not found yet: see the closing notes).
# Swift Testing prints a line per test started and passed; CI's log keeps only a part of the output,
# so only failures, issues and the summaries are shown (bytes, not characters: LC_ALL=C).
quiet() {
    # A parameterised case's "started" line can span lines (arguments with newlines): skip to its end.
    LC_ALL=C awk 'skip { if (/ started\.$/) skip = 0; next }
        /^◇ / { if (!/ started\.$/ && !/ passed/) skip = 1; next }
        !(/^✔ / && !/^✔ Test run with/) && !/^Test (Suite|Case) .* (started|passed)/'
}

# A hang must fail this step, not eat CI's time (session 4: a test waiting for an event that
# never came spun until CI's limit): the run is stopped after SWIFT_TEST_TIMEOUT seconds, and the
# tests that started and never finished are named.
step "swift test -c release (every suite, on the optimised build)"
raw_log=.build-release-tests/swift-test.log
limit=${SWIFT_TEST_TIMEOUT:-900}
# `timeout` stops `swift test`, but not the test binary it started (which keeps the pipe open):
# a watchdog stops that too.
( trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
  sleep "$limit" & sleeper=$!
  wait "$sleeper"
  pkill -TERM -f 'worker-servicePackageTests\.xctest'; sleep 30; pkill -KILL -f 'worker-servicePackageTests\.xctest'
) >/dev/null 2>&1 &
watchdog=$!
set +e
timeout -k 30 "$limit" swift test "${tests[@]}" --skip-build --no-parallel 2>&1 | tee "$raw_log" | quiet
test_status=${PIPESTATUS[0]}
set -e
kill "$watchdog" 2>/dev/null || true; wait "$watchdog" 2>/dev/null || true
if [ "$test_status" -ne 0 ]; then
    [ "$test_status" -eq 124 ] && echo "error: swift test did not finish within $limit s"
    echo "tests started and not finished:"
    LC_ALL=C awk '/^◇ Test [^ ]+ started/ && $3 != "case" { open[$3] = 1 } /^(✔|✘) Test [^ ]+ (passed|failed)/ { delete open[$3] }
        END { for (name in open) print "  " name }' "$raw_log"
    fail
fi

# Every Swift Testing function must carry @Test: a function that lost it silently never runs.
step "test inventory"
listed=$(swift test "${tests[@]}" list --skip-build 2>/dev/null | wc -l)
echo "tests listed: $listed"
if [ "$listed" -lt 600 ]; then
    echo "error: only $listed tests listed (expected 600 or more: did a suite lose its @Test marks?)"
    fail
fi

step "swift build -c release (the worker-demo users run)"
if ! swift build -c release --product worker-demo 2>&1 | tail -3; then
    fail
fi

export BUILD_CONFIG=release SKIP_BUILD=1
for script in scripts/test-*.sh; do
    [ -x "$script" ] || continue
    [ "$script" = "scripts/test.sh" ] && continue
    step "$script"
    # Each script has its own limit (a hang fails the script, the run goes on).
    if ! timeout -k 30 "${SCRIPT_TIMEOUT:-900}" "$script"; then
        echo "FAILED: $script"
        fail
    fi
done

[ -n "$step_name" ] && printf '(%s: %d s)\n' "$step_name" $((SECONDS - step_started))
echo
for name in "${failed_steps[@]}"; do echo "FAILED STEP: $name"; done
echo "total: $((SECONDS - started)) s"
# The closing line: how many steps (build, swift test, inventory, each end-to-end script) passed.
echo "steps: $((steps - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
