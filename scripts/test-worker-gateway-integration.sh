#!/usr/bin/env bash
# End-to-end test of the split deployment, as in the reference quick guide: builds worker-demo,
# starts `worker-demo worker` and `worker-demo gateway` as two processes on free ports, runs every
# curl and GraphQL example of the reference (/work/shared/seed/*.txt) and checks the answers, then
# stops both. Prints a pass/fail summary ending with "N passed, M failed"; exits non-zero on any failure.
#
# Environment: BUILD_CONFIG=debug|release (default debug), SKIP_BUILD=1 to use an existing build.
set -uo pipefail
cd "$(dirname "$0")/.."

CONFIG="${BUILD_CONFIG:-debug}"
if [ -z "${SKIP_BUILD:-}" ]; then
    echo "==> swift build -c $CONFIG --product worker-demo"
    swift build -c "$CONFIG" --product worker-demo >/dev/null || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
fi
BIN="$(swift build -c "$CONFIG" --show-bin-path)/worker-demo"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
WORKER_PORT=$(free_port)
GATEWAY_PORT=$(free_port)
while [ "$GATEWAY_PORT" = "$WORKER_PORT" ]; do GATEWAY_PORT=$(free_port); done
WORKER="http://127.0.0.1:$WORKER_PORT"
GATEWAY="http://127.0.0.1:$GATEWAY_PORT"
LOGS=$(mktemp -d)
WORKER_PID=""
GATEWAY_PID=""

cleanup() {
    [ -n "$GATEWAY_PID" ] && kill "$GATEWAY_PID" 2>/dev/null && wait "$GATEWAY_PID" 2>/dev/null
    [ -n "$WORKER_PID" ] && kill "$WORKER_PID" 2>/dev/null && wait "$WORKER_PID" 2>/dev/null
    rm -rf "$LOGS"
}
trap cleanup EXIT

PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); printf '  ok    %s\n' "$1"; }
fail() { FAILED=$((FAILED + 1)); printf '  FAIL  %s\n        %s\n' "$1" "$2"; }

# request METHOD URL [BODY] -> sets STATUS and BODY (of the response)
request() {
    local method=$1 url=$2 data=${3:-}
    local out="$LOGS/body"
    if [ -n "$data" ]; then
        STATUS=$(curl -s -o "$out" -w '%{http_code}' -X "$method" "$url" -H 'Content-Type: application/json' --data-binary "$data")
    else
        STATUS=$(curl -s -o "$out" -w '%{http_code}' -X "$method" "$url")
    fi
    BODY=$(cat "$out")
}

# json_check EXPR: evaluates a Python expression over `j` (the parsed BODY); prints a value or fails.
json_eval() {
    BODY="$BODY" python3 -c '
import json, os, sys
try:
    j = json.loads(os.environ["BODY"]) if os.environ["BODY"] else None
except Exception as e:
    print("not JSON: %s" % e); sys.exit(2)
try:
    v = eval(sys.argv[1])
except Exception as e:
    print("error: %r" % e); sys.exit(3)
if v is True or v is None: sys.exit(0)
if v is False: sys.exit(1)
print(v)
' "$1"
}

# check NAME EXPECTED_STATUS METHOD URL BODY PYTHON_CONDITION
check() {
    local name=$1 expected=$2 method=$3 url=$4 data=$5 condition=${6:-True}
    request "$method" "$url" "$data"
    if [ "$STATUS" != "$expected" ]; then
        fail "$name" "expected HTTP $expected, got $STATUS: ${BODY:0:300}"
        return 1
    fi
    if ! json_eval "$condition" >/dev/null; then
        fail "$name" "condition failed: $condition on ${BODY:0:300}"
        return 1
    fi
    pass "$name"
}

# graphql NAME QUERY PYTHON_CONDITION [URL]
graphql() {
    local name=$1 query=$2 condition=$3
    local payload
    payload=$(QUERY="$query" python3 -c 'import json, os; print(json.dumps({"query": os.environ["QUERY"]}))')
    check "GraphQL: $name" 200 POST "$GATEWAY/graphql" "$payload" "$condition"
}

value() { json_eval "$1"; }

wait_for() {
    local url=$1
    for _ in $(seq 1 150); do
        curl -s -o /dev/null "$url" && return 0
        sleep 0.2
    done
    return 1
}

echo "==> starting worker on $WORKER_PORT and gateway on $GATEWAY_PORT"
"$BIN" worker --store memory --port "$WORKER_PORT" >"$LOGS/worker.log" 2>&1 &
WORKER_PID=$!
"$BIN" gateway --port "$GATEWAY_PORT" --worker-url "$WORKER" >"$LOGS/gateway.log" 2>&1 &
GATEWAY_PID=$!
if ! wait_for "$WORKER/health" || ! wait_for "$GATEWAY/health"; then
    echo "services did not come up"; cat "$LOGS/worker.log" "$LOGS/gateway.log"
    echo "0 passed, 1 failed"; exit 1
fi

echo "==> health checks"
check "worker GET /health" 200 GET "$WORKER/health" "" 'j["status"] == "ok" and j["service"] == "worker-service" and j["store"] == "memory"'
check "gateway GET /health" 200 GET "$GATEWAY/health" "" 'j["status"] == "ok" and j["service"] == "api-gateway" and j["worker"] == "up"'

echo "==> worker REST API (reference curl examples)"
check "POST /api/tasks creates a task" 201 POST "$WORKER/api/tasks" '{"type":"email","payload":{},"priority":5}' \
    'j["type"] == "email" and j["priority"] == 5 and j["status"] == "pending" and j["id"] == "1"'
check "POST /api/tasks test-email (manual cURL test)" 201 POST "$WORKER/api/tasks" \
    '{"type":"test-email","payload":{"to":"user@example.com"},"priority":5}' 'j["payload"] == {"to": "user@example.com"}'
check "GET /api/tasks" 200 GET "$WORKER/api/tasks" "" 'j["total"] >= 2 and j["limit"] == 50 and j["offset"] == 0 and j["tasks"][0]["id"] == "2"'
check "GET /api/tasks?status=pending&limit=10" 200 GET "$WORKER/api/tasks?status=pending&limit=10" "" \
    'j["limit"] == 10 and all(t["status"] == "pending" for t in j["tasks"])'
check "GET /api/tasks/1" 200 GET "$WORKER/api/tasks/1" "" 'j["id"] == "1" and j["type"] == "email"'
check "POST /api/tasks (delayed, stays pending)" 201 POST "$WORKER/api/tasks" '{"type":"sleep","payload":{"ms":10},"delayMs":600000}'
DELAYED=$(value 'j["id"]')
check "POST /api/tasks/{id}/cancel" 200 POST "$WORKER/api/tasks/$DELAYED/cancel" "" 'j["status"] == "cancelled" and j["completedAt"] is not None'
check "POST /api/tasks/{id}/cancel again is 400" 400 POST "$WORKER/api/tasks/$DELAYED/cancel" "" \
    'set(j) == {"statusCode", "error", "message"} and j["statusCode"] == 400 and j["error"] == "Bad Request"'
request POST "$WORKER/api/tasks/$DELAYED/cancel"
if [ "$STATUS" = 400 ] && json_eval "j['message'] == 'Cannot cancel task $DELAYED: status is cancelled'" >/dev/null; then
    pass "cancel message names the task and status"
else
    fail "cancel message names the task and status" "$BODY"
fi
check "POST /api/tasks/{id}/retry" 200 POST "$WORKER/api/tasks/$DELAYED/retry" '{"resetAttempts":false}' 'j["status"] == "pending"'
check "GET /api/tasks/{id}/logs?limit=100" 200 GET "$WORKER/api/tasks/$DELAYED/logs?limit=100" "" \
    'j["taskId"] == "'"$DELAYED"'" and len(j["logs"]) >= 2 and set(j["logs"][0]) == {"timestamp", "level", "message", "attempt"}'
check "GET /api/tasks/stats/summary" 200 GET "$WORKER/api/tasks/stats/summary" "" \
    'set(j) == {"total","pending","processing","completed","failed","cancelled","retrying","blocked","byType"} and j["total"] == 3 and "email" in j["byType"]'
check "POST /api/tasks/1/cancel (manual cURL test: 200, or 400 once completed)" "$(
    request GET "$WORKER/api/tasks/1"; if json_eval 'j["status"] in ("pending","processing","retrying")' >/dev/null; then echo 200; else echo 400; fi
)" POST "$WORKER/api/tasks/1/cancel" "" 'j.get("status") == "cancelled" or j["message"].startswith("Cannot cancel task 1: status is")'

echo "==> jobs"
check "POST /api/jobs" 201 POST "$WORKER/api/jobs" '{"name":"Daily Backup","type":"backup","schedule":"0 0 * * *","payload":{}}' \
    'j["name"] == "Daily Backup" and j["status"] == "active" and j["nextRun"].endswith("T00:00:00.000Z")'
JOB=$(value 'j["id"]')
check "GET /api/jobs" 200 GET "$WORKER/api/jobs" "" 'j["total"] == 1 and j["jobs"][0]["id"] == "'"$JOB"'"'
check "GET /api/jobs/{id}" 200 GET "$WORKER/api/jobs/$JOB" "" 'j["schedule"] == "0 0 * * *"'
check "PATCH /api/jobs/{id}" 200 PATCH "$WORKER/api/jobs/$JOB" '{"schedule":"30 6 * * *"}' 'j["nextRun"].endswith("T06:30:00.000Z")'
check "POST /api/jobs/{id}/pause" 200 POST "$WORKER/api/jobs/$JOB/pause" "" 'j["status"] == "paused" and j["nextRun"] is None'
check "POST /api/jobs/{id}/pause (idempotent)" 200 POST "$WORKER/api/jobs/$JOB/pause" "" 'j["status"] == "paused"'
check "POST /api/jobs/{id}/resume" 200 POST "$WORKER/api/jobs/$JOB/resume" "" 'j["status"] == "active" and j["nextRun"] is not None'
check "POST /api/jobs/{id}/trigger" 201 POST "$WORKER/api/jobs/$JOB/trigger" "" 'j["type"] == "backup" and j["jobId"] == "'"$JOB"'"'
check "DELETE /api/jobs/{id}" 204 DELETE "$WORKER/api/jobs/$JOB" ""
check "GET deleted job is 404" 404 GET "$WORKER/api/jobs/$JOB" "" 'j["message"] == "Job '"$JOB"' not found"'

echo "==> errors"
check "unknown task is 404" 404 GET "$WORKER/api/tasks/424242" "" 'j == {"statusCode": 404, "error": "Not Found", "message": "Task 424242 not found"}'
check "non-numeric task id is 404" 404 GET "$WORKER/api/tasks/abc" "" 'j["message"] == "Task abc not found"'
check "malformed JSON is 400" 400 POST "$WORKER/api/tasks" '{"type":' 'j["message"].startswith("Malformed JSON")'
check "unknown field is 400" 400 POST "$WORKER/api/tasks" '{"type":"email","colour":"red"}' 'j["message"].startswith("colour: unknown field")'
check "priority out of range is 400" 400 POST "$WORKER/api/tasks" '{"type":"email","priority":21}' 'j["message"] == "priority: 21 is out of range 1-20"'
check "invalid cron is 400" 400 POST "$WORKER/api/jobs" '{"name":"x","type":"backup","schedule":"0 25 * * *"}' '"25" in j["message"]'
check "wrong method is 405" 405 DELETE "$WORKER/api/tasks" "" 'j["statusCode"] == 405'
check "unknown path is 404" 404 GET "$WORKER/api/nothing" "" 'j["statusCode"] == 404'
request GET "$WORKER/metrics"
if [ "$STATUS" = 200 ] && grep -q '^worker_up 1$' <<<"$BODY" && grep -q '^worker_tasks{status="pending"} ' <<<"$BODY" \
    && grep -q '^# TYPE worker_http_request_duration_seconds histogram$' <<<"$BODY"; then
    pass "GET /metrics is Prometheus text"
else
    fail "GET /metrics is Prometheus text" "HTTP $STATUS: ${BODY:0:300}"
fi

echo "==> gateway GraphQL (reference examples)"
graphql "query tasks" 'query { tasks { tasks { id type status createdAt } total } }' \
    'j.get("errors") is None and j["data"]["tasks"]["total"] >= 3 and j["data"]["tasks"]["tasks"][0]["status"] in ("PENDING","PROCESSING","COMPLETED","FAILED","CANCELLED","RETRYING")'
graphql "query task" 'query { task(taskId: "1") { id type status payload error } }' \
    'j.get("errors") is None and j["data"]["task"]["id"] == "1" and j["data"]["task"]["type"] == "email"'
graphql "mutation createJob" 'mutation { createJob(input: { name: "Daily Backup" type: "backup" schedule: "0 0 * * *" payload: {} }) { id name status } }' \
    'j.get("errors") is None and j["data"]["createJob"]["name"] == "Daily Backup" and j["data"]["createJob"]["status"] == "ACTIVE"'
GJOB=$(value 'j["data"]["createJob"]["id"]')
graphql "query jobs" 'query { jobs { id name schedule status nextRun } }' \
    'j.get("errors") is None and any(x["id"] == "'"$GJOB"'" for x in j["data"]["jobs"])'
graphql "query job" "query { job(jobId: \"$GJOB\") { id name schedule status lastRun nextRun } }" \
    'j.get("errors") is None and j["data"]["job"]["schedule"] == "0 0 * * *" and j["data"]["job"]["lastRun"] is None'
graphql "mutation pauseJob" "mutation { pauseJob(jobId: \"$GJOB\") }" 'j.get("errors") is None and j["data"]["pauseJob"] is True'
graphql "mutation resumeJob" "mutation { resumeJob(jobId: \"$GJOB\") }" 'j.get("errors") is None and j["data"]["resumeJob"] is True'
graphql "mutation deleteJob" "mutation { deleteJob(jobId: \"$GJOB\") }" 'j.get("errors") is None and j["data"]["deleteJob"] is True'
graphql "mutation createTask" 'mutation { createTask(input: { type: "email" payload: {} priority: NORMAL }) { id type status } }' \
    'j.get("errors") is None and j["data"]["createTask"]["type"] == "email" and j["data"]["createTask"]["status"] == "PENDING"'
graphql "mutation createTask (delayed)" 'mutation { createTask(input: { type: "sleep" payload: {ms: 5} runAt: "2099-01-01T00:00:00.000Z" }) { id } }' \
    'j.get("errors") is None'
GTASK=$(value 'j["data"]["createTask"]["id"]')
graphql "mutation cancelTask" "mutation { cancelTask(taskId: \"$GTASK\") }" 'j.get("errors") is None and j["data"]["cancelTask"] is True'
graphql "cancelTask again is BAD_REQUEST" "mutation { cancelTask(taskId: \"$GTASK\") }" \
    'j["errors"][0]["extensions"]["code"] == "BAD_REQUEST"'
graphql "unknown task is NOT_FOUND" 'query { task(taskId: "424242") { id } }' \
    'j["data"]["task"] is None and j["errors"][0]["extensions"]["code"] == "NOT_FOUND"'

echo "==> worker down: the gateway reports it"
kill "$WORKER_PID" 2>/dev/null; wait "$WORKER_PID" 2>/dev/null; WORKER_PID=""
check "gateway /health is 503 with worker down" 503 GET "$GATEWAY/health" "" 'j["service"] == "api-gateway" and j["worker"] == "down"'
graphql "query with worker down is SERVICE_UNAVAILABLE" 'query { tasks { total } }' \
    'j["errors"][0]["message"] == "Worker Service is unavailable" and j["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"'

echo
if [ "$FAILED" -ne 0 ]; then
    echo "--- worker log"; tail -n 20 "$LOGS/worker.log" 2>/dev/null
    echo "--- gateway log"; tail -n 20 "$LOGS/gateway.log" 2>/dev/null
fi
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
