#!/usr/bin/env bash
# Memory budget, issue 12's acceptance check (Docs/SECURITY.md "Memory budgets under attack"): the
# release worker-demo (`serve`, REST and gateway in one process) under D1 (distinct ~1 MB GraphQL
# documents and cacheable ~60 KB ones), D2 (500 aliased `__schema` selections from 8 clients) and D4
# (rounds of 20,000 fresh task types, /metrics and stats/summary scraped) at once, with VmRSS
# sampled every second: RSS under 200 MB, /health answering throughout, every budget error the
# documented one (no 5xx), the process alive at the end. In-memory store for MEMORY_BUDGET_SECONDS
# (default 60), then SQLite for MEMORY_BUDGET_SQLITE_SECONDS (default 15; 0 skips it).
# Prints "N passed, M failed"; exits non-zero on any failure.
#
# Environment: BUILD_CONFIG=debug|release (default release), SKIP_BUILD=1 to use an existing build,
# MEMORY_BUDGET_SECONDS, MEMORY_BUDGET_SQLITE_SECONDS, MEMORY_BUDGET_MB (default 200).
set -uo pipefail
cd "$(dirname "$0")/.."

CONFIG="${BUILD_CONFIG:-release}"
if [ -z "${SKIP_BUILD:-}" ]; then
    echo "==> swift build -c $CONFIG --product worker-demo"
    swift build -c "$CONFIG" --product worker-demo >/dev/null || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
fi
BIN="$(swift build -c "$CONFIG" --show-bin-path)/worker-demo"

passed=0
failed=0
run() {
    local store=$1 seconds=$2 output
    echo "==> memory budget: $store store, D1+D2+D4 for $seconds s"
    output=$(python3 scripts/hostile/memory_budget.py --bin "$BIN" --store "$store" --seconds "$seconds" \
        --limit-mb "${MEMORY_BUDGET_MB:-200}" 2>&1)
    echo "$output" | grep -v -E '^[0-9]+ passed, [0-9]+ failed$'
    local p f
    p=$(sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1/p' <<<"$output" | tail -1)
    f=$(sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\2/p' <<<"$output" | tail -1)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-1}))
}

run memory "${MEMORY_BUDGET_SECONDS:-60}"
sqlite_seconds="${MEMORY_BUDGET_SQLITE_SECONDS:-15}"
[ "$sqlite_seconds" != 0 ] && run sqlite "$sqlite_seconds"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
