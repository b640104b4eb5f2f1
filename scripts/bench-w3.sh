#!/usr/bin/env bash
# W3 (WORKLOADS.md): wrk against `worker-demo worker --store memory`, pre-seeded with 1000 tasks.
# Each run: fresh server, seed 1000 tasks, 2 s warm-up (discarded), 10 s measured run.
# Usage: scripts/bench-w3.sh [runs=5] [get|post|both]; needs a release build and wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
WHICH=${2:-both}
BIN=.build/release/worker-demo
PORT=${PORT_W3:-4001}
URL=http://127.0.0.1:$PORT

seed() {
    # 1000 tasks of a type no handler serves, so they stay pending (ids "1" ... "1000").
    python3 - "$PORT" <<'PY'
import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
for i in range(1000):
    c.request("POST", "/api/tasks", body='{"type":"seed","payload":{"n":%d},"priority":5}' % i,
              headers={"Content-Type": "application/json"})
    r = c.getresponse(); r.read()
    assert r.status == 201, r.status
PY
}

run() {
    local kind=$1
    "$BIN" worker --store memory --port "$PORT" 2>/dev/null &
    local pid=$!
    for _ in $(seq 1 100); do curl -s -o /dev/null "$URL/health" && break; sleep 0.1; done
    seed
    if [ "$kind" = get ]; then
        wrk -t2 -c64 -d2s "$URL/api/tasks/1" >/dev/null
        wrk -t2 -c64 -d10s --latency "$URL/api/tasks/1"
    else
        wrk -t2 -c64 -d2s -s scripts/post_task.lua "$URL/api/tasks" >/dev/null
        wrk -t2 -c64 -d10s --latency -s scripts/post_task.lua "$URL/api/tasks"
    fi
    kill -INT "$pid"; wait "$pid" 2>/dev/null || true
}

for kind in get post; do
    [ "$WHICH" = both ] || [ "$WHICH" = "$kind" ] || continue
    for i in $(seq 1 "$RUNS"); do
        echo "== $kind run $i"
        run "$kind" | grep -E "Requests/sec|99%|Non-2xx|Socket errors"
    done
done
