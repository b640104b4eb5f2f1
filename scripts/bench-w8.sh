#!/usr/bin/env bash
# W8: POST /api/batches with 10,000 small task bodies ({"type":"echo","payload":{"n":i}}) against a
# running `worker-demo worker`, on SQLite and on PostgreSQL (a throw-away server from the machine's
# binaries, scripts/lib/postgres.sh). Each run starts a fresh worker on a fresh store (a new SQLite
# file, a new PostgreSQL database), waits for /health, sends the one request with curl and takes
# curl's time_total (request sent to response received), checks the 201 and the 10,000 task ids,
# and stops the worker. One discarded warm-up, then W8_RUNS (5) measured runs per store.
# Settings: W8_RUNS, W8_TASKS (10000), W8_STORES ("sqlite postgres").
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/postgres.sh
runs=${W8_RUNS:-5}
tasks=${W8_TASKS:-10000}
stores=${W8_STORES:-sqlite postgres}
work=$(mktemp -d /tmp/worker-w8.XXXXXX)
pgwork=
demo_pid=
cleanup() {
    if [ -n "$demo_pid" ]; then kill "$demo_pid" 2>/dev/null || true; wait "$demo_pid" 2>/dev/null || true; fi
    if [ -n "$pgwork" ]; then stop_postgres "$pgwork"; rm -rf "$pgwork"; fi
    rm -rf "$work"
}
trap cleanup EXIT

swift build -c release --product worker-demo >/dev/null
demo="$(swift build -c release --show-bin-path)/worker-demo"
python3 - "$tasks" > "$work/body.json" <<'PY'
import json, sys
n = int(sys.argv[1])
print(json.dumps({"tasks": [{"type": "echo", "payload": {"n": i}} for i in range(n)]}, separators=(",", ":")))
PY
echo "W8: POST /api/batches, $tasks tasks, body $(wc -c < "$work/body.json") bytes; runs: 1 warm-up + $runs per store; load $(cut -d' ' -f1-3 /proc/loadavg)"

for store in $stores; do
    if [ "$store" = postgres ] && [ -z "$pgwork" ]; then
        pgwork=$(mktemp -d /tmp/worker-w8-pg.XXXXXX)
        start_postgres "$pgwork"
    fi
    times=()
    for run in $(seq 0 "$runs"); do
        case $store in
            sqlite) spec="sqlite:$work/w8-$run.sqlite" ;;
            postgres)
                "$PG_BIN/psql" -q "$PG_URL" -c "CREATE DATABASE w8_$run" >/dev/null
                spec=${PG_URL/\/postgres\?/\/w8_$run?} ;;
        esac
        port=$(free_port)
        "$demo" worker --store "$spec" --port "$port" >"$work/demo.log" 2>&1 &
        demo_pid=$!
        for _ in $(seq 1 300); do
            curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
            sleep 0.05
        done
        result=$(curl -s -o "$work/response.json" -w '%{http_code} %{time_total}' \
            -H 'Content-Type: application/json' --data-binary "@$work/body.json" "http://127.0.0.1:$port/api/batches")
        code=${result% *}
        seconds=${result#* }
        ids=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1])).get("taskIds", [])))' "$work/response.json" 2>/dev/null || echo 0)
        kill "$demo_pid"; wait "$demo_pid" 2>/dev/null || true; demo_pid=
        label=$([ "$run" = 0 ] && echo warm-up || echo "run $run")
        echo "$store $label: HTTP $code, $ids task ids, $(python3 -c "print(f'{$seconds*1000:.1f}')") ms; load $(cut -d' ' -f1-3 /proc/loadavg)"
        if [ "$code" != 201 ] || [ "$ids" != "$tasks" ]; then
            echo "  PROBLEM: expected 201 with $tasks task ids"; head -c 300 "$work/response.json"; echo
        fi
        [ "$run" = 0 ] || times+=("$seconds")
        rm -f "$work"/w8-"$run".sqlite*
    done
    python3 - "$store" "${times[@]}" <<'PY'
import statistics, sys
store, values = sys.argv[1], [float(v) * 1000 for v in sys.argv[2:]]
print(f"{store}: POST /api/batches response time median {statistics.median(values):.1f} ms "
      f"(min {min(values):.1f}, max {max(values):.1f}) (goal < 1000 ms)")
PY
done
