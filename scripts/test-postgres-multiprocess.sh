#!/usr/bin/env bash
# Three worker-demo processes on one PostgreSQL database share 10,000 tasks: each is completed
# exactly once and all three do work. Then one process is killed with SIGKILL mid-run, and the
# others finish its tasks once its leases run out.
#
# Starts its own PostgreSQL server (initdb + pg_ctl from the machine's PostgreSQL binaries, as the
# unprivileged `postgres` user when run as root) in a temporary folder on a free loopback port.
set -euo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
check() {  # check "description" command...
    local description=$1; shift
    if "$@"; then passed=$((passed + 1)); echo "  ok   $description"
    else failed=$((failed + 1)); echo "  FAIL $description"; fi
}

. scripts/lib/postgres.sh
if ! find_pg_bin; then
    if [ "${CI:-}" = "true" ]; then echo "error: no PostgreSQL server binaries found"; exit 1; fi
    echo "skipped: no PostgreSQL server binaries found (set PG_BIN)"; exit 0
fi

CONFIG="${BUILD_CONFIG:-debug}"
if [ -z "${SKIP_BUILD:-}" ]; then
    echo "building worker-demo ($CONFIG)"
    swift build -c "$CONFIG" --product worker-demo >/dev/null
fi
demo=$(swift build -c "$CONFIG" --show-bin-path)/worker-demo

work=$(mktemp -d /tmp/worker-pg-multi.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    stop_postgres "$work"
    rm -rf "$work"
}
trap cleanup EXIT
PG_SERVER_OPTIONS="-c fsync=off" start_postgres "$work"
url=$PG_URL
sql() { "$PG_BIN/psql" -At -v ON_ERROR_STOP=1 "$url" -c "$1"; }

ports=()
start_worker() {  # start_worker INDEX
    local port; port=$(free_port)
    WORKER_LEASE_SECONDS=3 "$demo" worker --store "$url" --port "$port" --concurrency 4 \
        >"$work/worker$1.log" 2>&1 &
    pids[$1]=$!
    disown "$!"  # the SIGKILL below is intended; keep bash from reporting it
    ports[$1]=$port
}
wait_healthy() {  # wait_healthy PORT
    for _ in $(seq 1 300); do
        curl -fs "http://127.0.0.1:$1/health" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

echo "starting three workers on one database"
for index in 0 1 2; do start_worker $index; done
for index in 0 1 2; do
    wait_healthy "${ports[$index]}" || { echo "worker $index did not start:"; cat "$work/worker$index.log"; exit 1; }
done

# Enqueues COUNT tasks of TYPE with PAYLOAD through one worker's REST API, on one keep-alive connection.
enqueue() {
    python3 - "$1" "$2" "$3" "$4" <<'PY'
import http.client, json, sys
port, count, task_type, payload = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], json.loads(sys.argv[4])
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
body = json.dumps({"type": task_type, "payload": payload})
for _ in range(count):
    connection.request("POST", "/api/tasks", body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    if response.status != 201:
        sys.exit(f"POST /api/tasks answered {response.status}")
PY
}
wait_until() {  # wait_until SECONDS SQL EXPECTED
    for _ in $(seq 1 $(($1 * 5))); do
        [ "$(sql "$2")" = "$3" ] && return 0
        sleep 0.2
    done
    return 1
}

echo "phase 1: 10,000 echo tasks shared by three workers"
enqueue "${ports[0]}" 10000 echo '{"n": 1}'
check "all 10,000 tasks complete" wait_until 300 "SELECT count(*) FROM worker_tasks WHERE status = 'completed'" 10000
check "every task ran exactly once (one attempt, one start line)" \
    test "$(sql "SELECT count(*) FROM worker_tasks WHERE attempts <> 1") $(sql "SELECT count(*) FROM (SELECT task_id FROM worker_task_logs WHERE message LIKE 'attempt % started' GROUP BY task_id HAVING count(*) <> 1) AS t")" = "0 0"
workers_used=$(sql "SELECT count(DISTINCT lease_worker) FROM worker_tasks")
echo "  tasks per worker: $(sql "SELECT string_agg(n::text, ', ') FROM (SELECT count(*) AS n FROM worker_tasks GROUP BY lease_worker) AS t")"
check "all three workers did work" test "$workers_used" = 3

echo "phase 2: one worker is killed mid-run; the others finish its tasks after the lease"
enqueue "${ports[0]}" 200 sleep '{"ms": 300}'
victim=2
victim_id=""
for _ in $(seq 1 200); do
    victim_id=$(sql "SELECT lease_worker FROM worker_tasks WHERE status = 'processing' GROUP BY lease_worker ORDER BY count(*) DESC LIMIT 1" || true)
    [ -n "$victim_id" ] && break
    sleep 0.05
done
# Kill the worker that holds the most running tasks: whichever process that is.
for index in 0 1 2; do
    if grep -q "$victim_id" "$work/worker$index.log" 2>/dev/null; then victim=$index; fi
done
held=$(sql "SELECT count(*) FROM worker_tasks WHERE status = 'processing' AND lease_worker = '$victim_id'")
kill -9 "${pids[$victim]}"
echo "  killed worker $victim ($victim_id) holding $held running task(s)"
check "every task reaches a final status after the kill" \
    wait_until 120 "SELECT count(*) FROM worker_tasks WHERE type = 'sleep' AND status IN ('completed', 'failed', 'cancelled')" 200
check "none lost: all 200 completed" test "$(sql "SELECT count(*) FROM worker_tasks WHERE type = 'sleep' AND status = 'completed'")" = 200
check "none left processing" test "$(sql "SELECT count(*) FROM worker_tasks WHERE status = 'processing'")" = 0
check "the killed worker's running tasks were recovered and run again" \
    test "$(sql "SELECT count(*) FROM worker_tasks WHERE type = 'sleep' AND attempts >= 2")" -ge 1

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
