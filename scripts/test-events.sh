#!/usr/bin/env bash
# End-to-end test of live events (API.md section 8) with a real SSE client (scripts/events/sse_check.py):
# in-process delivery and latency, order, ids, filters and bad filters, Last-Event-ID, a stalled
# subscriber cut off with `overflow`, cross-process delivery on SQLite (two processes on one file)
# and PostgreSQL (two processes on a throw-away server), graphql-sse subscriptions in `serve` and in
# split mode, and `event: complete` on shutdown. Prints figures and "N passed, M failed".
#
# Environment: BUILD_CONFIG=debug|release (default debug), SKIP_BUILD=1 to use an existing build,
# SKIP_POSTGRES=1 to skip the PostgreSQL part.
set -uo pipefail
cd "$(dirname "$0")/.."

CONFIG="${BUILD_CONFIG:-debug}"
if [ -z "${SKIP_BUILD:-}" ]; then
    echo "==> swift build -c $CONFIG --product worker-demo"
    swift build -c "$CONFIG" --product worker-demo >/dev/null || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
fi
BIN="$(swift build -c "$CONFIG" --show-bin-path)/worker-demo"
. scripts/lib/postgres.sh

WORK=$(mktemp -d)
chmod 755 "$WORK"  # the postgres user must reach its data folder under it
PIDS=()
PG_STARTED=""
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
    [ -n "$PG_STARTED" ] && stop_postgres "$WORK/pg"
    rm -rf "$WORK"
}
trap cleanup EXIT

PASSED=0
FAILED=0
# run_check NAME ARGS...: runs one sse_check.py check and counts its ok/FAIL lines.
run_check() {
    echo "--- $1"
    shift
    python3 scripts/events/sse_check.py "$@" > "$WORK/out" 2>&1
    cat "$WORK/out"
    PASSED=$((PASSED + $(grep -c '^  ok ' "$WORK/out")))
    FAILED=$((FAILED + $(grep -c '^  FAIL ' "$WORK/out")))
    if ! grep -q '^[0-9]* failed$' "$WORK/out"; then FAILED=$((FAILED + 1)); echo "  FAIL  the check crashed"; fi
}

# start NAME ARGS...: starts worker-demo in the background; waits for its /health on URL $HEALTH.
start() {
    local name=$1
    shift
    "$BIN" "$@" > "$WORK/$name.log" 2>&1 &
    PIDS+=($!)
    LAST_PID=$!
    for _ in $(seq 1 100); do
        curl -sf "$HEALTH" > /dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "  FAIL  $name did not start"; cat "$WORK/$name.log"; FAILED=$((FAILED + 1)); return 1
}

W1=$(free_port); G1=$(free_port); W2=$(free_port); G2=$(free_port)
DB="$WORK/events.sqlite"
HEALTH="http://127.0.0.1:$W1/health" start serve serve --store "sqlite:$DB" --worker-port "$W1" --gateway-port "$G1"
SERVE_PID=$LAST_PID
HEALTH="http://127.0.0.1:$W2/health" start worker2 worker --store "sqlite:$DB" --port "$W2"
HEALTH="http://127.0.0.1:$G2/health" start gateway gateway --port "$G2" --worker-url "http://127.0.0.1:$W1"

run_check "in one process (serve, SQLite)" in-process "http://127.0.0.1:$W1"
run_check "a subscriber that never reads" overflow "http://127.0.0.1:$W1"
run_check "across processes on one SQLite file" cross "http://127.0.0.1:$W1" "http://127.0.0.1:$W2" 1000 SQLite
run_check "graphql-sse in serve mode" graphql "http://127.0.0.1:$G1" "http://127.0.0.1:$W1" serve
run_check "graphql-sse in split mode (gateway -> worker /api/events)" graphql "http://127.0.0.1:$G2" "http://127.0.0.1:$W1" split

# event: complete when the server shuts down.
python3 scripts/events/sse_check.py complete "http://127.0.0.1:$G1" "$WORK/subscribed" > "$WORK/complete" 2>&1 &
CHECK_PID=$!
for _ in $(seq 1 100); do [ -f "$WORK/subscribed" ] && break; sleep 0.1; done
kill -TERM "$SERVE_PID"
wait "$CHECK_PID"
echo "--- shutdown"
cat "$WORK/complete"
PASSED=$((PASSED + $(grep -c '^  ok ' "$WORK/complete")))
FAILED=$((FAILED + $(grep -c '^  FAIL ' "$WORK/complete")))

if [ -z "${SKIP_POSTGRES:-}" ] && find_pg_bin; then
    mkdir -p "$WORK/pg"
    if PG_SERVER_OPTIONS="-c fsync=off" start_postgres "$WORK/pg"; then
        PG_STARTED=1
        P1=$(free_port); P2=$(free_port)
        HEALTH="http://127.0.0.1:$P1/health" start pg1 worker --store "$PG_URL" --port "$P1"
        HEALTH="http://127.0.0.1:$P2/health" start pg2 worker --store "$PG_URL" --port "$P2"
        run_check "across processes on PostgreSQL" cross "http://127.0.0.1:$P1" "http://127.0.0.1:$P2" 100 PostgreSQL
    else
        echo "  FAIL  could not start PostgreSQL"; FAILED=$((FAILED + 1))
    fi
else
    echo "--- PostgreSQL part skipped"
fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
