"""End-to-end checks of workflows through REST and GraphQL (run by scripts/test-workflows.sh).

Usage: workflows.py WORKER_DEMO_BINARY STORE
Starts `worker-demo serve` on free ports with STORE, runs the checks, stops it, and prints
"N passed, M failed" (exit status 1 on any failure).
"""
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BIN, STORE = sys.argv[1], sys.argv[2]
PASSED = 0
FAILED = 0


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


WORKER_PORT = free_port()
GATEWAY_PORT = free_port()
while GATEWAY_PORT == WORKER_PORT:
    GATEWAY_PORT = free_port()
REST = "http://127.0.0.1:%d" % WORKER_PORT
GQL = "http://127.0.0.1:%d/graphql" % GATEWAY_PORT


def call(method, path, body=None, base=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request((base or REST) + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def gql(query, variables=None):
    status, body = call("POST", "", {"query": query, "variables": variables or {}}, base=GQL)
    return body


def check(name, condition, detail=""):
    global PASSED, FAILED
    if condition:
        PASSED += 1
        print("  ok    %s" % name)
    else:
        FAILED += 1
        print("  FAIL  %s\n        %s" % (name, str(detail)[:400]))


def wait_until(predicate, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    return None


def task(id):
    return call("GET", "/api/tasks/%s" % id)[1]


def main():
    # A chain: A -> B (collect).
    s, a = call("POST", "/api/tasks", {"type": "sleep", "payload": {"ms": 300}})
    s, b = call("POST", "/api/tasks", {"type": "collect", "dependsOn": [a["id"]]})
    check("POST /api/tasks with dependsOn: 201 blocked", s == 201 and b["status"] == "blocked"
          and b["dependsOn"] == [a["id"]] and b["onDependencyFailure"] == "cancel" and b["batchId"] is None, b)
    s, stats = call("GET", "/api/tasks/stats/summary")
    check("stats/summary has blocked", "blocked" in stats, stats)
    done = wait_until(lambda: task(b["id"])["status"] == "completed" and task(b["id"]))
    check("the dependent runs after its dependency, with its result",
          done and done["result"] == {"results": {a["id"]: task(a["id"])["result"]}} if done else False, task(b["id"]))
    s, listed = call("GET", "/api/tasks?dependsOn=%s" % a["id"])
    check("GET /api/tasks?dependsOn lists the dependents", s == 200 and [t["id"] for t in listed["tasks"]] == [b["id"]], listed)

    # Failure cascade and retry refusal.
    s, f = call("POST", "/api/tasks", {"type": "fail", "maxAttempts": 1})
    s, g = call("POST", "/api/tasks", {"type": "echo", "dependsOn": [f["id"]]})
    s, h = call("POST", "/api/tasks", {"type": "echo", "dependsOn": [g["id"]]})
    s, r = call("POST", "/api/tasks", {"type": "collect", "dependsOn": [f["id"]], "onDependencyFailure": "run"})
    wait_until(lambda: task(h["id"])["status"] == "cancelled")
    check("a failure cancels dependents transitively",
          task(g["id"])["error"] == "dependency %s failed" % f["id"]
          and task(h["id"])["error"] == "dependency %s was cancelled" % g["id"], [task(g["id"]), task(h["id"])])
    check("policy run: the dependent runs anyway", wait_until(lambda: task(r["id"])["status"] == "completed"), task(r["id"]))
    s, body = call("POST", "/api/tasks/%s/retry" % g["id"])
    check("retry of a task whose dependency failed: 400",
          s == 400 and body["message"] == "Cannot retry task %s: dependency %s is failed" % (g["id"], f["id"]), body)

    # Bad input.
    for name, payload, fragment in [
        ("unknown dependency", {"type": "echo", "dependsOn": ["99999"]}, "dependsOn: unknown task id 99999"),
        ("duplicate dependency", {"type": "echo", "dependsOn": [a["id"], a["id"]]}, "dependsOn: duplicate id %s" % a["id"]),
        ("more than 100", {"type": "echo", "dependsOn": [str(i) for i in range(1, 102)]}, "more than the limit of 100"),
        ("bad policy", {"type": "echo", "onDependencyFailure": "maybe"}, "onDependencyFailure: unknown value 'maybe'"),
        ("not an id", {"type": "echo", "dependsOn": ["x"]}, "dependsOn[0]: 'x' is not a task id"),
    ]:
        s, body = call("POST", "/api/tasks", payload)
        check("400 for %s" % name, s == 400 and fragment in body.get("message", ""), body)

    # A batch with a callback.
    s, batch = call("POST", "/api/batches", {"tasks": [{"type": "echo", "payload": {"n": i}} for i in range(20)]
                                              + [{"type": "fail", "maxAttempts": 1}],
                                              "callback": {"type": "collect"}})
    check("POST /api/batches: 201", s == 201 and batch["total"] == 21 and len(batch["taskIds"]) == 21
          and batch["callbackTaskId"] and set(batch["counts"]) == {"pending", "processing", "completed", "failed",
                                                                    "cancelled", "retrying", "blocked"}, batch)
    finished = wait_until(lambda: (lambda b: b["status"] != "running" and b)(call("GET", "/api/batches/%s" % batch["id"])[1]))
    check("the batch finishes failed with counts and finishedAt",
          finished and finished["status"] == "failed" and finished["counts"]["completed"] == 20
          and finished["counts"]["failed"] == 1 and finished["finishedAt"], finished)
    callback = wait_until(lambda: (lambda t: t["status"] == "completed" and t)(task(batch["callbackTaskId"])))
    check("the callback ran once with every result", callback and len(callback["result"]["results"]) == 21
          and callback["attempts"] == 1 and callback["batchId"] == batch["id"], callback)
    s, listed = call("GET", "/api/tasks?batchId=%s&limit=100" % batch["id"])
    check("GET /api/tasks?batchId", s == 200 and listed["total"] == 22, listed.get("total"))
    s, batches = call("GET", "/api/batches?limit=5")
    check("GET /api/batches newest first", s == 200 and batches["batches"][0]["id"] == batch["id"]
          and batches["limit"] == 5 and batches["offset"] == 0 and batches["total"] >= 1, batches)
    s, body = call("POST", "/api/batches", {"tasks": [{"type": "echo"}] * 3 + [{"type": "echo", "priority": 0}]})
    check("a bad batch element is named", s == 400 and body["message"] == "tasks[3].priority: 0 is out of range 1-20", body)
    s, body = call("POST", "/api/batches", {"tasks": []})
    check("an empty batch is a 400", s == 400 and "tasks" in body["message"], body)
    s, body = call("GET", "/api/batches/9999")
    check("an unknown batch is a 404", s == 404, body)
    s, held = call("POST", "/api/batches", {"tasks": [{"type": "sleep", "payload": {"ms": 60000}, "delayMs": 60000}] * 2,
                                            "callback": {"type": "collect"}})
    s, cancelled = call("POST", "/api/batches/%s/cancel" % held["id"])
    check("POST /api/batches/{id}/cancel", s == 200 and cancelled["counts"]["cancelled"] == 2 and cancelled["status"] == "failed", cancelled)
    check("the callback runs after a batch cancel",
          wait_until(lambda: task(held["callbackTaskId"])["status"] == "completed"), task(held["callbackTaskId"]))

    # Search.
    s, p1 = call("POST", "/api/tasks", {"type": "search-only", "payload": {"user": {"id": 7, "plan": "pro"}}})
    s, p2 = call("POST", "/api/tasks", {"type": "search-only", "payload": {"user": {"id": 8}}})
    pattern = urllib.parse.quote(json.dumps({"user": {"id": 7}}))
    s, found = call("GET", "/api/tasks?type=search-only&payload=%s" % pattern)
    check("payload containment filter", s == 200 and [t["id"] for t in found["tasks"]] == [p1["id"]] and found["total"] == 1, found)
    s, found = call("GET", "/api/tasks?type=search-only&createdAfter=%s" % urllib.parse.quote(p1["createdAt"]))
    check("createdAfter is exclusive", s == 200 and p1["id"] not in [t["id"] for t in found["tasks"]], found)
    s, body = call("GET", "/api/tasks?payload=%5B1%5D")
    check("a payload filter that is not an object is a 400", s == 400 and "payload" in body["message"], body)

    # Bulk.
    s, body = call("POST", "/api/tasks/bulk", {"action": "delete"})
    check("bulk without filter or ids: 400", s == 400 and "filter" in body["message"], body)
    s, body = call("POST", "/api/tasks/bulk", {"action": "explode", "filter": {"type": "x"}})
    check("bulk with an unknown action: 400", s == 400 and "action: unknown value 'explode'" in body["message"], body)
    s, dry = call("POST", "/api/tasks/bulk", {"action": "cancel", "filter": {"type": "search-only"}, "dryRun": True})
    check("bulk dry run changes nothing", s == 200 and dry == {"matched": 2, "changed": 2, "skipped": 0}
          and task(p1["id"])["status"] == "pending", dry)
    s, res = call("POST", "/api/tasks/bulk", {"action": "cancel", "filter": {"type": "search-only"}, "ids": [p2["id"]]})
    check("bulk cancel with filter and ids", s == 200 and res == {"matched": 1, "changed": 1, "skipped": 0}
          and task(p2["id"])["status"] == "cancelled" and task(p1["id"])["status"] == "pending", res)
    s, res = call("POST", "/api/tasks/bulk", {"action": "delete", "filter": {"type": "search-only"}})
    check("bulk delete removes final tasks only", s == 200 and res == {"matched": 2, "changed": 1, "skipped": 1}
          and call("GET", "/api/tasks/%s" % p2["id"])[0] == 404, res)
    s, res = call("POST", "/api/tasks/bulk", {"action": "retry", "filter": {"status": ["failed"], "type": "fail"}, "resetAttempts": True})
    check("bulk retry of failed tasks", s == 200 and res["matched"] >= 1 and res["changed"] >= 1, res)

    # GraphQL.
    body = gql('{ task(taskId: "%s") { status dependsOn onDependencyFailure batchId dependencies { id } dependents { id } } }' % a["id"])
    t = body.get("data", {}).get("task") or {}
    check("GraphQL Task workflow fields", t.get("dependents") == [{"id": b["id"]}, ] and t.get("onDependencyFailure") == "CANCEL", body)
    body = gql('mutation { createBatch(input: {tasks: [{type: "echo", payload: {n: 1}}], callback: {type: "collect"}}) '
               '{ id status total counts { pending blocked } callback { id status dependsOn } } }')
    created = body.get("data", {}).get("createBatch") or {}
    # The callback is read after the batch was created: by then the echo task may have finished and
    # the callback be running (seen once in session 5), so any status on its way to COMPLETED.
    check("GraphQL createBatch", created.get("total") == 1
          and created.get("callback", {}).get("status") in ("BLOCKED", "PENDING", "PROCESSING", "COMPLETED"), body)
    body = gql('{ batches(limit: 2) { id } batch(batchId: "%s") { id tasks { id } } }' % created.get("id"))
    check("GraphQL batches and batch", body.get("data", {}).get("batch", {}).get("id") == created.get("id"), body)
    body = gql('{ tasks(filter: {status: [BLOCKED, COMPLETED], type: "collect"}) { total } taskStats { blocked } }')
    check("GraphQL tasks(filter:) and TaskStats.blocked", isinstance(body.get("data", {}).get("tasks", {}).get("total"), int)
          and "blocked" in body.get("data", {}).get("taskStats", {}), body)
    body = gql('mutation { bulkTasks(action: CANCEL, filter: {type: "nothing-here"}, dryRun: true) { matched changed skipped } }')
    check("GraphQL bulkTasks", body.get("data", {}).get("bulkTasks") == {"matched": 0, "changed": 0, "skipped": 0}, body)
    body = gql('mutation { bulkTasks(action: DELETE) { matched } }')
    check("GraphQL bulkTasks without filter: BAD_REQUEST",
          body.get("errors", [{}])[0].get("extensions", {}).get("code") == "BAD_REQUEST", body)
    body = gql('mutation { createTask(input: {type: "echo", dependsOn: ["%s"], onDependencyFailure: RUN}) { status dependsOn onDependencyFailure } }' % a["id"])
    check("GraphQL createTask with dependsOn", (body.get("data") or {}).get("createTask", {}).get("onDependencyFailure") == "RUN", body)


process = subprocess.Popen([BIN, "serve", "--store", STORE, "--worker-port", str(WORKER_PORT),
                            "--gateway-port", str(GATEWAY_PORT), "--concurrency", "4"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
try:
    def up():
        try:
            return call("GET", "/health")[0] == 200 and urllib.request.urlopen(
                "http://127.0.0.1:%d/health" % GATEWAY_PORT, timeout=2).status == 200
        except Exception:
            return False
    if not wait_until(up, 30):
        check("worker-demo serve starts", False, process.stderr.read1(2000) if process.poll() is not None else "no answer")
    else:
        main()
finally:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
print("%d passed, %d failed" % (PASSED, FAILED))
sys.exit(1 if FAILED else 0)
