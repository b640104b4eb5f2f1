#!/usr/bin/env bash
# Flow control across processes (API.md section 5): three worker-demo processes share one store
# (PostgreSQL, then separately one SQLite file). A queue with concurrency 2, a queue with a rate
# limit of 10 per second and a paused queue get a few hundred `sleep` tasks; from the tasks' own
# startedAt/completedAt the script proves that at no instant more than 2 of the first queue ran,
# that no 1-second window saw more than 10 starts of the second, and that the paused queue started
# nothing while the others worked (and everything after its resume).
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

CONFIG="${BUILD_CONFIG:-debug}"
if [ -z "${SKIP_BUILD:-}" ]; then
    echo "building worker-demo ($CONFIG)"
    swift build -c "$CONFIG" --product worker-demo >/dev/null
fi
demo=$(swift build -c "$CONFIG" --show-bin-path)/worker-demo

work=$(mktemp -d /tmp/worker-flow.XXXXXX)
pids=()
pg_started=""
cleanup() {
    for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    [ -n "$pg_started" ] && stop_postgres "$work"
    rm -rf "$work"
}
trap cleanup EXIT

wait_healthy() {  # wait_healthy PORT
    for _ in $(seq 1 300); do
        curl -fs "http://127.0.0.1:$1/health" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

# run_scenario NAME STORE: three workers on STORE, the three queues, the proofs.
run_scenario() {
    local name=$1 store=$2
    echo "$name: three workers on one store"
    local ports=()
    pids=()
    for index in 0 1 2; do
        local port; port=$(free_port)
        "$demo" worker --store "$store" --port "$port" --concurrency 4 >"$work/$name-worker$index.log" 2>&1 &
        pids[$index]=$!
        ports[$index]=$port
    done
    for index in 0 1 2; do
        wait_healthy "${ports[$index]}" || { echo "worker $index did not start:"; cat "$work/$name-worker$index.log"; exit 1; }
    done
    if python3 - "${ports[0]}" "${ports[1]}" "${ports[2]}" <<'PY'
import http.client, json, sys, time
ports = [int(p) for p in sys.argv[1:]]
connections = [http.client.HTTPConnection("127.0.0.1", p, timeout=30) for p in ports]
ok = True
def call(method, path, body=None, via=0):
    c = connections[via]
    c.request(method, path, json.dumps(body) if body is not None else None, {"Content-Type": "application/json"})
    r = c.getresponse()
    data = r.read()
    return r.status, (json.loads(data) if data else None)
def check(description, condition, detail=""):
    global ok
    print(("  ok   " if condition else "  FAIL ") + description + ("" if condition else "  (%s)" % detail))
    ok = ok and condition
status, q = call("PATCH", "/api/queues/conc", {"concurrency": 2})
check("PATCH concurrency 2", status == 200 and q["concurrency"] == 2, q)
status, q = call("PATCH", "/api/queues/rate", {"rateLimit": {"limit": 10, "periodMs": 1000}}, via=1)
check("PATCH rateLimit 10/s", status == 200 and q["rateLimit"] == {"limit": 10, "periodMs": 1000}, q)
status, q = call("POST", "/api/queues/held/pause", via=2)
check("pause a third queue", status == 200 and q["paused"] is True, q)
plan = [("conc", 120, 40), ("rate", 80, 5), ("held", 40, 5)]
for i, (queue, count, ms) in enumerate(plan):
    for n in range(count):
        status, _ = call("POST", "/api/tasks", {"type": "sleep", "payload": {"ms": ms}, "queue": queue}, via=n % 3)
        if status != 201:
            sys.exit("POST /api/tasks answered %d" % status)
def counts(queue):
    return call("GET", "/api/queues/" + queue)[1]["counts"]
deadline = time.time() + 90
while time.time() < deadline:
    if counts("conc")["completed"] == 120 and counts("rate")["completed"] == 80:
        break
    time.sleep(0.2)
check("the limited queues finish their 200 tasks", counts("conc")["completed"] == 120 and counts("rate")["completed"] == 80,
      (counts("conc"), counts("rate")))
held = counts("held")
check("the paused queue started nothing meanwhile", held["pending"] == 40 and held["processing"] == 0 and held["completed"] == 0, held)
def tasks():
    out, offset = [], 0
    while True:
        page = call("GET", "/api/tasks?limit=1000&offset=%d" % offset)[1]
        out += page["tasks"]
        offset += 1000
        if offset >= page["total"]:
            return out
def ms(text):
    import datetime
    return int(datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc).timestamp() * 1000 + 0.5)
everything = tasks()
check("held tasks kept attempts 0", all(t["attempts"] == 0 for t in everything if t["queue"] == "held"))
conc = [(ms(t["startedAt"]), ms(t["completedAt"])) for t in everything if t["queue"] == "conc"]
events = sorted([(s, 1) for s, _ in conc] + [(e, -1) for _, e in conc], key=lambda x: (x[0], x[1]))
running = peak = 0
for _, delta in events:
    running += delta
    peak = max(peak, running)
check("at no instant more than 2 'conc' tasks ran (peak %d)" % peak, peak <= 2, peak)
check("'conc' used its 2 slots (peak 2)", peak == 2, peak)
starts = sorted(ms(t["startedAt"]) for t in everything if t["queue"] == "rate")
worst = max(sum(1 for s in starts[i:] if s < starts[i] + 1000) for i in range(len(starts)))
span = (starts[-1] - starts[0]) / 1000
check("no 1-second window saw more than 10 'rate' starts (worst %d)" % worst, worst <= 10, worst)
check("80 rate-limited starts took at least 7 s (%.1f s)" % span, span >= 7.0, span)
workers = {t.get("queue"): 0 for t in everything}
call("POST", "/api/queues/held/resume")
deadline = time.time() + 30
while time.time() < deadline and counts("held")["completed"] < 40:
    time.sleep(0.2)
check("after resume the paused queue runs all 40", counts("held")["completed"] == 40, counts("held"))
sys.exit(0 if ok else 1)
PY
    then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    pids=()
}

if find_pg_bin; then
    mkdir -p "$work/pg"
    PG_SERVER_OPTIONS="-c fsync=off" start_postgres "$work" && pg_started=1
    run_scenario postgres "$PG_URL"
else
    if [ "${CI:-}" = "true" ]; then echo "error: no PostgreSQL server binaries found"; exit 1; fi
    echo "postgres: skipped (no PostgreSQL server binaries; set PG_BIN)"
fi
run_scenario sqlite "sqlite:$work/flow.sqlite"

echo "flow control: $passed passed, $failed failed"
[ "$failed" = 0 ]
