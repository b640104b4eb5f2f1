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

step "swift build (warnings in our code fail the build)"
swift build --build-tests 2>&1 | tee .build-test.log
if grep -E "^/.*(Sources|Tests)/.*warning:" .build-test.log; then
    echo "error: the build printed warnings in our code (above)"
    fail
fi
rm -f .build-test.log

# --no-parallel: since the merge of session 2, a few store suites (concurrent claimers, churn, a
# workflow fan-in) and one HTTP streaming test hang when every suite runs at once on 2 cores, and
# pass alone and in series (cause not found yet: see the closing note of session 2).
# Swift Testing prints a line per test started and passed; CI's log keeps only a part of the output,
# so only failures, issues and the summaries are shown (bytes, not characters: LC_ALL=C).
quiet() {
    LC_ALL=C awk '!/^◇ / && !(/^✔ / && !/^✔ Test run with/) && !/^Test (Suite|Case) .* (started|passed)/'
}

step "swift test"
if ! swift test --skip-build --no-parallel 2>&1 | quiet; then
    fail
fi

# Every Swift Testing function must carry @Test: a function that lost it silently never runs.
step "test inventory"
listed=$(swift test list --skip-build 2>/dev/null | wc -l)
echo "tests listed: $listed"
if [ "$listed" -lt 1 ]; then
    echo "error: no tests listed"
    fail
fi

# Test what ships: the optimiser once broke the release build while every debug test was green
# (issue 11, Docs/COMPILER_FAULTS.md). So the engine, API and pool tests run again on an optimised
# build (-enable-testing needs a build of its own, kept apart in .build-release-tests), and every
# end-to-end script below runs against the release worker-demo exactly as `swift build -c release`
# makes it for users.
step "swift build -c release (the worker-demo users run)"
if ! swift build -c release --product worker-demo 2>&1 | tail -3; then
    fail
fi

step "swift test -c release (GraphQLLite, WorkerAPI, Scheduling on the optimised build)"
release_tests=(--scratch-path .build-release-tests -c release -Xswiftc -enable-testing)
if ! swift build "${release_tests[@]}" --build-tests 2>&1 | tail -3 \
    || ! swift test "${release_tests[@]}" --skip-build --no-parallel \
        --filter 'GraphQLLiteTests|WorkerAPITests|SchedulingTests' 2>&1 \
        | quiet; then
    fail
fi

export BUILD_CONFIG=release SKIP_BUILD=1
for script in scripts/test-*.sh; do
    [ -x "$script" ] || continue
    [ "$script" = "scripts/test.sh" ] && continue
    step "$script"
    if ! "$script"; then
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
