#!/usr/bin/env bash
# Checks `worker-demo cron EXPR [--tz ZONE] [--from ISO8601] [--count N]` (API.md section 4):
# output lines, exit code 0 on success and 2 with a reason on stderr for bad input.
# Usage: scripts/test-cron-cli.sh [path/to/worker-demo]   (otherwise BUILD_CONFIG=debug|release, default
# debug, and SKIP_BUILD=1 to use an existing build)
set -u
cd "$(dirname "$0")/.."
BIN="${1:-}"
if [ -z "$BIN" ]; then
    CONFIG="${BUILD_CONFIG:-debug}"
    if [ -z "${SKIP_BUILD:-}" ]; then
        swift build -c "$CONFIG" --product worker-demo >/dev/null || { echo "build failed"; exit 1; }
    fi
    BIN="$(swift build -c "$CONFIG" --show-bin-path)/worker-demo"
fi
failures=0
pass() { echo "ok   $1"; }
fail() { echo "FAIL $1"; failures=$((failures + 1)); }

# expect_out NAME EXPECTED_STDOUT ARGS...: exit 0, exact stdout, empty stderr.
expect_out() {
    local name="$1" expected="$2"; shift 2
    local out err rc
    out="$("$BIN" cron "$@" 2>/tmp/cron-cli-err.$$)"; rc=$?
    err="$(cat /tmp/cron-cli-err.$$)"
    if [ $rc -eq 0 ] && [ "$out" = "$expected" ] && [ -z "$err" ]; then pass "$name"; else
        fail "$name (rc=$rc)"; echo "  expected: $expected" | head -3; echo "  got:      $out" | head -3; echo "  stderr:   $err"; fi
}

# expect_err NAME STDERR_SUBSTRING ARGS...: exit 2, nothing on stdout, the reason on stderr.
expect_err() {
    local name="$1" needle="$2"; shift 2
    local out err rc
    out="$("$BIN" cron "$@" 2>/tmp/cron-cli-err.$$)"; rc=$?
    err="$(cat /tmp/cron-cli-err.$$)"
    if [ $rc -eq 2 ] && [ -z "$out" ] && [[ "$err" == *"$needle"* ]]; then pass "$name"; else
        fail "$name (rc=$rc)"; echo "  stdout: $out"; echo "  stderr: $err"; echo "  wanted: $needle"; fi
}

expect_out "five fires by default" "2026-01-01T00:15:00.000Z
2026-01-01T00:30:00.000Z
2026-01-01T00:45:00.000Z
2026-01-01T01:00:00.000Z
2026-01-01T01:15:00.000Z" "*/15 * * * *" --from 2026-01-01T00:00:00Z

expect_out "--count and --tz (spring forward runs right after the change)" "2026-03-07T07:30:00.000Z
2026-03-08T07:00:00.000Z
2026-03-09T06:30:00.000Z" "30 2 * * *" --tz America/New_York --from 2026-03-07T00:00:00Z --count 3

expect_out "flags before EXPR, --flag=value form" "2026-11-01T05:00:00.000Z
2026-11-01T06:00:00.000Z" --tz=America/New_York --count=2 --from=2026-11-01T04:30:00Z "0 * * * *"

expect_out "--from with an offset" "2026-01-01T09:00:00.000Z" "0 9 * * *" --from 2026-01-01T08:00:00+01:00 --count 1
expect_out "macro" "2027-01-01T00:00:00.000Z" "@yearly" --from 2026-06-01T00:00:00Z --count 1
expect_out "six fields" "2026-01-01T00:00:10.000Z
2026-01-01T00:00:20.000Z" "*/10 * * * * *" --from 2026-01-01T00:00:00Z --count 2

# Without --from: starts now, so check only the shape.
out="$("$BIN" cron "* * * * *")"; rc=$?
if [ $rc -eq 0 ] && [ "$(echo "$out" | wc -l)" -eq 5 ] && ! echo "$out" | grep -qvE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:00\.000Z$'; then
    pass "from now"; else fail "from now: $out"; fi

expect_err "out of range" "hour: 25 is out of range 0-23" "0 25 * * *"
expect_err "unknown name" "day-of-week: unknown name 'FUNDAY'" "0 0 * * FUNDAY"
expect_err "field count (EXPR split into several arguments)" "unexpected argument" 0 0 "*" "*" "*"
expect_err "seven fields" "expected 5 or 6 fields, found 7" "1 2 3 4 5 6 7"
expect_err "never fires" "day-of-month: 30 never occurs in February" "0 0 30 2 *"
expect_err "unknown zone" "timezone: unknown time zone 'Mars/Olympus'" "* * * * *" --tz Mars/Olympus
expect_err "bad --from" "--from: 'yesterday' is not an ISO 8601 instant" "* * * * *" --from yesterday
expect_err "bad --count" "--count: '0' is not a whole number in 1-100000" "* * * * *" --count 0
expect_err "non-numeric --count" "--count: 'many'" "* * * * *" --count many
expect_err "missing value" "--count needs a value" "* * * * *" --count
expect_err "unknown option" "unknown option '--zone'" "* * * * *" --zone UTC
expect_err "missing EXPR" "missing EXPR" --count 3

rm -f /tmp/cron-cli-err.$$
if [ $failures -eq 0 ]; then echo "all cron CLI checks passed"; else echo "$failures cron CLI check(s) failed"; exit 1; fi
