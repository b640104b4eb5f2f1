#!/usr/bin/env bash
# Runs every test of the project: the unit and conformance tests (`swift test`), then the
# end-to-end scripts that start real processes. This is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

failures=0
steps=0
step() { steps=$((steps + 1)); printf '\n==> %s\n' "$*"; }

step "swift build (warnings in our code fail the build)"
swift build --build-tests 2>&1 | tee .build-test.log
if grep -E "^/.*(Sources|Tests)/.*warning:" .build-test.log; then
    echo "error: the build printed warnings in our code (above)"
    failures=$((failures + 1))
fi
rm -f .build-test.log

# --no-parallel: since the merge of session 2, a few store suites (concurrent claimers, churn, a
# workflow fan-in) and one HTTP streaming test hang when every suite runs at once on 2 cores, and
# pass alone and in series (cause not found yet: see the closing note of session 2).
step "swift test"
if ! swift test --skip-build --no-parallel 2>&1; then
    failures=$((failures + 1))
fi

# Every Swift Testing function must carry @Test: a function that lost it silently never runs.
step "test inventory"
listed=$(swift test list --skip-build 2>/dev/null | wc -l)
echo "tests listed: $listed"
if [ "$listed" -lt 1 ]; then
    echo "error: no tests listed"
    failures=$((failures + 1))
fi

# Test what ships: the optimiser once broke the release build while every debug test was green
# (issue 11, Docs/COMPILER_FAULTS.md). So the engine, API and pool tests run again on an optimised
# build (-enable-testing needs a build of its own, kept apart in .build-release-tests), and every
# end-to-end script below runs against the release worker-demo exactly as `swift build -c release`
# makes it for users.
step "swift build -c release (the worker-demo users run)"
if ! swift build -c release --product worker-demo 2>&1 | tail -3; then
    failures=$((failures + 1))
fi

step "swift test -c release (GraphQLLite, WorkerAPI, Scheduling on the optimised build)"
release_tests=(--scratch-path .build-release-tests -c release -Xswiftc -enable-testing)
if ! swift build "${release_tests[@]}" --build-tests 2>&1 | tail -3 \
    || ! swift test "${release_tests[@]}" --skip-build --no-parallel \
        --filter 'GraphQLLiteTests|WorkerAPITests|SchedulingTests' 2>&1 \
        | { grep -E '✘|error:|Test run with|Executed [0-9]+ test' || true; }; then
    failures=$((failures + 1))
fi

export BUILD_CONFIG=release SKIP_BUILD=1
for script in scripts/test-*.sh; do
    [ -x "$script" ] || continue
    [ "$script" = "scripts/test.sh" ] && continue
    step "$script"
    if ! "$script"; then
        echo "FAILED: $script"
        failures=$((failures + 1))
    fi
done

echo
# The closing line: how many steps (build, swift test, inventory, each end-to-end script) passed.
echo "steps: $((steps - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
