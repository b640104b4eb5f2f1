#!/usr/bin/env bash
# Torture test, CI length (issue 18; Docs/RELIABILITY.md "Torture test"): scripts/torture/run against
# three release worker-demo workers and a gateway on one SQLite file, then on one PostgreSQL server,
# with seeded random faults (SIGKILL, SIGSTOP past the lease, SIGTERM under load; PostgreSQL also
# pg_terminate_backend, server restarts and a worker whose clock is 3 s ahead), then the history checker on each run, then the
# checker's self-test (planted violations must be found) on the SQLite history.
# Bounded: at most TORTURE_BUDGET seconds (default 90) of wall time in all, at least 20 faults.
# Prints "N passed, M failed"; exits non-zero on any failure. Failed runs keep their history and
# print its path (re-check with scripts/torture/check.py HISTORY).
#
# Environment: BUILD_CONFIG=debug|release (default release), SKIP_BUILD=1 to use an existing build,
# TORTURE_SEED (default 18), TORTURE_BUDGET (default 90).
set -uo pipefail
cd "$(dirname "$0")/.."

CONFIG="${BUILD_CONFIG:-release}"
SEED="${TORTURE_SEED:-18}"
BUDGET="${TORTURE_BUDGET:-90}"
started=$SECONDS
if [ -z "${SKIP_BUILD:-}" ]; then
    echo "==> swift build -c $CONFIG --product worker-demo"
    swift build -c "$CONFIG" --product worker-demo >/dev/null || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
    started=$SECONDS  # the budget is the test's, not the build's
fi
BIN="$(swift build -c "$CONFIG" --show-bin-path)/worker-demo"
. scripts/lib/postgres.sh

work=$(mktemp -d /tmp/torture-ci.XXXXXX)
chmod 755 "$work"
keep=""
cleanup() { [ -z "$keep" ] && rm -rf "$work"; }
trap cleanup EXIT

passed=0
failed=0
faults=0
pass() { passed=$((passed + 1)); printf '  ok    %s\n' "$1"; }
fail() { failed=$((failed + 1)); keep=1; printf '  FAIL  %s\n' "$1"; }

# run_store STORE MINUTES: one torture run; its report is shown, its fault count added up.
run_store() {
    local store=$1 minutes=$2 output code
    shift 2
    echo "==> torture: $store, $minutes min, seed $SEED $*"
    output=$(scripts/torture/run --store "$store" --minutes "$minutes" --seed "$SEED" --bin "$BIN" \
        --out "$work/$store" --lease 2 --fault-interval 1.0 --rate 15 --drain-timeout 20 "$@" 2>&1)
    code=$?
    echo "$output" | sed 's/^/    /'
    local n; n=$(sed -nE 's/^faults injected: ([0-9]+).*/\1/p' <<<"$output" | tail -1)
    faults=$((faults + ${n:-0}))
    if [ "$code" = 0 ]; then
        pass "$store: no violation in the history ($n faults)"
    else
        fail "$store: the checker found violations or the harness failed (history: $work/$store)"
    fi
}

run_store sqlite 0.4
if find_pg_bin; then
    # One worker runs as if its machine's clock were 3 s ahead (more than the 2 s lease): aligned
    # with the server's clock it must take no healthy lease and keep the queues' limits.
    run_store postgres 0.45 --clock-offset-ms 3000
elif [ "${CI:-}" = "true" ]; then
    fail "postgres: no PostgreSQL server binaries found (set PG_BIN)"
else
    echo "==> torture: postgres skipped (no PostgreSQL server binaries; set PG_BIN)"
fi

if [ -f "$work/sqlite/final/tasks.json" ]; then
    echo "==> checker self-test on the SQLite history"
    if python3 scripts/torture/selftest.py "$work/sqlite" | sed 's/^/    /'; [ "${PIPESTATUS[0]}" = 0 ]; then
        pass "the checker finds every planted violation"
    else
        fail "the checker missed a planted violation"
    fi
fi

[ "$faults" -ge 20 ] && pass "$faults faults injected in all (at least 20)" || fail "only $faults faults injected (at least 20 wanted)"
elapsed=$((SECONDS - started))
[ "$elapsed" -le "$BUDGET" ] && pass "wall time $elapsed s (budget $BUDGET s)" || fail "wall time $elapsed s is over the budget of $BUDGET s"
[ -n "$keep" ] && echo "histories kept in $work"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
