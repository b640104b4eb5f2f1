#!/usr/bin/env bash
# Crash safety of the SQLite store, end to end: starts `worker-demo worker --store sqlite:PATH`,
# enqueues 200 `sleep` tasks of 50-200 ms over REST, kills the process with SIGKILL while tasks are
# processing, checks the database file is intact, starts the worker again on the same file and
# checks that every task reaches `completed`: none lost, none left `processing` once its lease ran
# out (the restarted worker recovers the killed worker's tasks when their leases expire).
# Prints "N passed, M failed"; exits non-zero on any failure.
#
# Environment: BUILD_CONFIG=debug|release (default debug), SKIP_BUILD=1 to use an existing build,
# CRASH_TASKS (default 200), CRASH_TIMEOUT seconds to wait for completion after the restart
# (default 120: the leases of the killed worker must run out first; the script sets
# WORKER_LEASE_SECONDS=3, so recovery takes a few seconds; with worker-demo's default 30 s lease it
# takes up to ~40 s).
set -uo pipefail
cd "$(dirname "$0")/.."

CONFIG="${BUILD_CONFIG:-debug}"
TASKS="${CRASH_TASKS:-200}"
TIMEOUT="${CRASH_TIMEOUT:-120}"
if [ -z "${SKIP_BUILD:-}" ]; then
    echo "==> swift build -c $CONFIG --product worker-demo"
    swift build -c "$CONFIG" --product worker-demo >/dev/null || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
fi
BIN="$(swift build -c "$CONFIG" --show-bin-path)/worker-demo"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
URL="http://127.0.0.1:$PORT"
WORK=$(mktemp -d)
DB="$WORK/data/worker.sqlite"
PID=""

cleanup() {
    if [ -n "$PID" ]; then kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); printf '  ok    %s\n' "$1"; }
fail() { FAILED=$((FAILED + 1)); printf '  FAIL  %s\n        %s\n' "$1" "$2"; }

start_worker() {
    WORKER_LEASE_SECONDS=3 "$BIN" worker --store "sqlite:$DB" --port "$PORT" --concurrency 4 >>"$WORK/worker.log" 2>&1 &
    PID=$!
    for _ in $(seq 1 100); do
        if curl -s -o /dev/null -w '%{http_code}' "$URL/health" 2>/dev/null | grep -q 200; then return 0; fi
        if ! kill -0 "$PID" 2>/dev/null; then break; fi
        sleep 0.1
    done
    echo "worker did not start; its output:"; cat "$WORK/worker.log"
    return 1
}

# py SCRIPT: runs Python with URL, TASKS and WORK in the environment; prints what the script prints.
py() { URL="$URL" TASKS="$TASKS" WORK="$WORK" python3 -c "$1"; }

PY_HELPERS='
import json, os, random, sys, time, urllib.request
URL = os.environ["URL"]; TASKS = int(os.environ["TASKS"])
def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(URL + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read() or b"null")
def stats():
    return call("GET", "/api/tasks/stats/summary")[1]
def all_tasks():
    tasks, offset = [], 0
    while True:
        page = call("GET", "/api/tasks?limit=1000&offset=%d" % offset)[1]
        tasks += page["tasks"]; offset += 1000
        if offset >= page["total"]: return tasks
'

echo "==> first run: enqueue $TASKS sleep tasks, kill -9 while they run"
if ! start_worker; then fail "worker starts on a fresh SQLite file" "see output above"; echo "$PASSED passed, $FAILED failed"; exit 1; fi
pass "worker starts on a fresh SQLite file"

created=$(py "$PY_HELPERS"'
random.seed(7)
ids = []
for i in range(TASKS):
    status, task = call("POST", "/api/tasks", {"type": "sleep", "payload": {"ms": random.randint(50, 200)}})
    assert status == 201, status
    ids.append(task["id"])
open(os.environ["WORK"] + "/ids", "w").write("\n".join(ids))
print(len(set(ids)))
')
[ "$created" = "$TASKS" ] && pass "$TASKS tasks created" || fail "$TASKS tasks created" "created: $created"

# Kill once some tasks are done and some are running.
state=$(py "$PY_HELPERS"'
deadline = time.time() + 30
while time.time() < deadline:
    s = stats()
    if s["completed"] >= 10 and s["processing"] > 0:
        break
    time.sleep(0.02)
print("%d %d" % (s["completed"], s["processing"]))
')
kill -9 "$PID"; wait "$PID" 2>/dev/null; PID=""
read -r done_before running_before <<<"$state"
if [ "${running_before:-0}" -gt 0 ]; then
    pass "killed with SIGKILL while $running_before tasks were processing ($done_before completed)"
else
    fail "killed while tasks were processing" "state at the kill: $state"
fi

if command -v sqlite3 >/dev/null; then
    integrity=$(sqlite3 "$DB" "PRAGMA integrity_check" 2>&1)
    [ "$integrity" = "ok" ] && pass "database intact after the kill (integrity_check ok)" || fail "integrity_check" "$integrity"
    stuck=$(sqlite3 "$DB" "SELECT count(*) FROM tasks WHERE status = 'processing'" 2>&1)
    echo "        tasks left processing by the killed worker: $stuck"
fi

echo "==> second run on the same file"
if ! start_worker; then fail "worker restarts on the same file" "see output above"; echo "$PASSED passed, $FAILED failed"; exit 1; fi
pass "worker restarts on the same file"

result=$(CRASH_TIMEOUT="$TIMEOUT" py "$PY_HELPERS"'
deadline = time.time() + int(os.environ["CRASH_TIMEOUT"])
start = time.time()
while time.time() < deadline:
    s = stats()
    if s["completed"] == TASKS: break
    time.sleep(0.2)
tasks = all_tasks()
ids = open(os.environ["WORK"] + "/ids").read().split()
by_id = {t["id"]: t for t in tasks}
missing = [i for i in ids if i not in by_id]
unfinished = sorted({t["status"] for t in tasks if t["status"] != "completed"})
retried = [t for t in tasks if t["attempts"] > 1]
recovered = 0
for t in retried[:50]:
    logs = call("GET", "/api/tasks/%s/logs?limit=100" % t["id"])[1]["logs"]
    if any("lease expired" in l["message"] for l in logs): recovered += 1
print(json.dumps({"total": len(tasks), "missing": len(missing), "completed": s["completed"], "processing": s["processing"],
                  "unfinished": unfinished, "retried": len(retried), "recovered_checked": recovered,
                  "seconds": round(time.time() - start, 1)}))
')
echo "        $result"
check() { # check NAME PYTHON-EXPRESSION-over-r
    if RESULT="$result" python3 -c 'import json, os, sys; r = json.loads(os.environ["RESULT"]); sys.exit(0 if ('"$2"') else 1)'; then
        pass "$1"
    else
        fail "$1" "$result"
    fi
}
check "no task lost ($TASKS stored, every id found)" "r['total'] == $TASKS and r['missing'] == 0"
check "every task completed" "r['completed'] == $TASKS and r['unfinished'] == []"
check "no task left processing" "r['processing'] == 0"
check "the killed worker's tasks ran again after their lease expired" "r['retried'] >= 1 and r['recovered_checked'] >= 1"

kill -INT "$PID" 2>/dev/null
for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$PID" 2>/dev/null; then
    fail "graceful shutdown on SIGINT" "still running after 10 s"
else
    wait "$PID"; code=$?; PID=""
    [ "$code" = "0" ] && pass "graceful shutdown on SIGINT (exit 0)" || fail "graceful shutdown on SIGINT" "exit code $code"
fi
if command -v sqlite3 >/dev/null; then
    integrity=$(sqlite3 "$DB" "PRAGMA integrity_check" 2>&1)
    [ "$integrity" = "ok" ] && pass "database intact at the end" || fail "integrity_check at the end" "$integrity"
fi

# A database that cannot be opened is a clear error at start-up (exit 1), not a crash.
startup_error() { # startup_error NAME STORE-SPEC EXPECTED-FRAGMENT
    local output code
    output=$("$BIN" worker --store "$2" --port 0 2>&1 </dev/null) && code=0 || code=$?
    if [ "$code" = 1 ] && grep -q "$3" <<<"$output"; then pass "$1"; else fail "$1" "exit $code: $output"; fi
}
printf 'this is not a database %.0s' $(seq 1 200) > "$WORK/garbage.sqlite"
startup_error "a corrupt database file is a clear start-up error" "sqlite:$WORK/garbage.sqlite" "$WORK/garbage.sqlite"
startup_error "an unwritable location is a clear start-up error" "sqlite:/proc/worker-service/x.sqlite" "cannot create the folder"

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
