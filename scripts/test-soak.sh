#!/usr/bin/env bash
# Soak test, CI length (issue 18; Docs/RELIABILITY.md "Soak test"): scripts/soak/run against a release
# worker-demo worker and gateway (split mode) with a steady mixed REST and GraphQL load and pruning,
# first on SQLite (75 s of load), then on a throw-away PostgreSQL server (45 s), sampling RSS, open
# fds, threads, database size and p99 latency every 5 s (PostgreSQL with autovacuum_naptime=5s, so
# that vacuum runs within the short run); each run must pass the flatness rule and
# the other checks of scripts/soak/check.py. Then the checker's self-test: synthetic leaks must
# fail it, clean series must pass. The CSV, summary and SVG chart of each run stay in
# .build/soak/STORE/. Bounded: at most SOAK_BUDGET seconds (default 200) of wall time in all.
# Prints "N passed, M failed"; exits non-zero on any failure.
#
# Environment: BUILD_CONFIG=debug|release (default release), SKIP_BUILD=1 to use an existing build,
# SOAK_SQLITE_MINUTES (default 1.25), SOAK_POSTGRES_MINUTES (default 0.75), SOAK_RATE (requests/s,
# default 50), SOAK_BUDGET (default 200). The 30-minute runs: scripts/soak/run --store sqlite
# --minutes 30 (and --store postgres).
set -uo pipefail
cd "$(dirname "$0")/.."

CONFIG="${BUILD_CONFIG:-release}"
SQLITE_MINUTES="${SOAK_SQLITE_MINUTES:-1.25}"
POSTGRES_MINUTES="${SOAK_POSTGRES_MINUTES:-0.75}"
RATE="${SOAK_RATE:-50}"
BUDGET="${SOAK_BUDGET:-200}"
started=$SECONDS
if [ -z "${SKIP_BUILD:-}" ]; then
    echo "==> swift build -c $CONFIG --product worker-demo"
    swift build -c "$CONFIG" --product worker-demo >/dev/null || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
    started=$SECONDS  # the budget is the test's, not the build's
fi
BIN="$(swift build -c "$CONFIG" --show-bin-path)/worker-demo"
. scripts/lib/postgres.sh

passed=0
failed=0
pass() { passed=$((passed + 1)); printf '  ok    %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf '  FAIL  %s\n' "$1"; }

# run_store STORE MINUTES: one soak run; its checks are shown and counted.
run_store() {
    local store=$1 minutes=$2 output code line
    echo "==> soak: $store, $minutes min at $RATE requests/s"
    output=$(scripts/soak/run --store "$store" --minutes "$minutes" --bin "$BIN" --rate "$RATE" \
        --sample-seconds 5 --retention 10 --prune-interval 5 --drain-timeout 30 --out ".build/soak/$store" \
        --pg-options "-c fsync=off -c autovacuum_naptime=5s" 2>&1)
    code=$?
    while IFS= read -r line; do
        case "$line" in
            "  ok    "*) pass "$store: ${line#  ok    }" ;;
            "  FAIL  "*) fail "$store: ${line#  FAIL  }" ;;
            *) echo "    $line" ;;
        esac
    done <<<"$output"
    if [ "$code" = 2 ]; then
        fail "$store: the harness failed (logs in .build/soak/$store/logs)"
    elif [ "$code" != 0 ] && ! grep -q '^  FAIL  ' <<<"$output"; then
        fail "$store: scripts/soak/run exited $code"
    fi
    [ -f ".build/soak/$store/chart.svg" ] && echo "    samples: .build/soak/$store/samples.csv, chart: .build/soak/$store/chart.svg"
}

run_store sqlite "$SQLITE_MINUTES"
if find_pg_bin; then
    run_store postgres "$POSTGRES_MINUTES"
elif [ "${CI:-}" = "true" ]; then
    fail "postgres: no PostgreSQL server binaries found (set PG_BIN)"
else
    echo "==> soak: postgres skipped (no PostgreSQL server binaries; set PG_BIN)"
fi

echo "==> checker self-test (synthetic leaks must fail the flatness rule)"
if python3 scripts/soak/selftest.py | sed 's/^/    /'; [ "${PIPESTATUS[0]}" = 0 ]; then
    pass "the checker fails every planted leak and passes the clean series"
else
    fail "the checker missed a planted leak or failed a clean series"
fi
if [ -f .build/soak/sqlite/summary.json ]; then
    echo "==> checker self-test on the SQLite run's own samples (the same leaks planted into them)"
    if python3 scripts/soak/selftest.py .build/soak/sqlite | sed 's/^/    /'; [ "${PIPESTATUS[0]}" = 0 ]; then
        pass "the checker fails every leak planted into the SQLite run"
    else
        fail "the checker missed a leak planted into the SQLite run (or the run itself is not clean)"
    fi
fi

elapsed=$((SECONDS - started))
[ "$elapsed" -le "$BUDGET" ] && pass "wall time $elapsed s (budget $BUDGET s)" || fail "wall time $elapsed s is over the budget of $BUDGET s"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
