"""REST checks: processing by the demo handlers, logs, stats, cancel, retry, 404/405, health, metrics."""
import re

from harness import TIMESTAMP, poll, request
from rest_tasks import FAR, FINAL, create, error_shape, get_task, task_shape_problems, unique, wait_status


def check_processing(suite, w):
    t = create(w, {"type": "echo", "payload": {"hello": "world", "n": [1, 2]}})
    done = wait_status(w, t["id"], FINAL)
    suite.eq("echo task reaches completed", done.get("status"), "completed")
    suite.eq("echo result = its payload", done.get("result"), {"hello": "world", "n": [1, 2]})
    suite.eq("completed task: attempts 1, error null", (done.get("attempts"), done.get("error")), (1, None))
    suite.check("completed task: startedAt and completedAt set", bool(done.get("startedAt")) and
                bool(done.get("completedAt")), "both timestamps", (done.get("startedAt"), done.get("completedAt")))
    suite.eq("completed task has the Task shape", task_shape_problems(done), [])
    e = create(w, {"type": "email", "payload": {"to": "a@b.c"}})
    e = wait_status(w, e["id"], FINAL)
    suite.eq("email task completes with progress 100", (e.get("status"), e.get("progress")), ("completed", 100))
    f = create(w, {"type": "fail", "maxAttempts": 2})
    seen = set()
    f = poll(lambda: get_task(w, f["id"]), lambda x: seen.add(x.get("status")) or x.get("status") in FINAL, 30)
    suite.eq("fail maxAttempts 2 -> failed after 2 attempts", (f.get("status"), f.get("attempts")), ("failed", 2))
    suite.check("failed task has an error string and completedAt", isinstance(f.get("error"), str) and
                bool(f.get("completedAt")), "error + completedAt", (f.get("error"), f.get("completedAt")))
    suite.check("fail passes through retrying (observed while polling every 50 ms; back-off >= 0.5 s)",
                "retrying" in seen, "retrying seen", sorted(s for s in seen if s))
    h = create(w, {"type": "high-%s" % unique("p"), "delayMs": FAR})
    suite.eq("task without a handler stays pending while delayed", h.get("status"), "pending")


def check_logs(suite, w):
    t = create(w, {"type": "echo", "payload": {"x": 1}})
    wait_status(w, t["id"], FINAL)
    r = request(w, "GET", "/api/tasks/%s/logs" % t["id"])
    suite.eq("GET /api/tasks/{id}/logs -> 200", r.status, 200)
    j = r.json or {}
    suite.eq("logs body keys {taskId, logs}", sorted(j) if isinstance(j, dict) else j, ["logs", "taskId"])
    suite.eq("logs taskId is the id string", j.get("taskId"), t["id"])
    logs = j.get("logs") or []
    bad = [e for e in logs if not (isinstance(e, dict) and set(e) == {"timestamp", "level", "message", "attempt"}
                                   and TIMESTAMP.match(str(e.get("timestamp"))) and
                                   e.get("level") in ("debug", "info", "warn", "error") and
                                   isinstance(e.get("message"), str) and
                                   (e.get("attempt") is None or isinstance(e.get("attempt"), int)))]
    suite.eq("log entries are {timestamp,level,message,attempt}", bad, [])
    stamps = [e.get("timestamp") for e in logs]
    suite.check("logs oldest first", stamps == sorted(stamps) and len(stamps) >= 2, "ascending, >= 2", stamps)
    text = [e.get("message", "").lower() for e in logs]
    suite.check("lifecycle line 'created' first", bool(text) and "created" in text[0], "first mentions created",
                text)
    suite.check("lifecycle line 'attempt 1 started'", any("attempt" in m and "start" in m for m in text),
                "a line with attempt ... started", text)
    suite.check("lifecycle line 'completed in N ms'", any(re.search(r"completed in \d+ ?ms", m) for m in text),
                "completed in N ms", text)
    j = request(w, "GET", "/api/tasks/%s/logs?limit=1" % t["id"]).json or {}
    suite.eq("logs?limit=1 -> the oldest line only (interpretation: first N)",
             [e.get("message") for e in j.get("logs", [])], [logs[0].get("message")] if logs else [])
    f = create(w, {"type": "fail", "maxAttempts": 2, "payload": {"message": "boom-xyz"}})
    wait_status(w, f["id"], FINAL, 30)
    text = [e.get("message", "") for e in (request(w, "GET", "/api/tasks/%s/logs" % f["id"]).json or {})
            .get("logs", [])]
    suite.check("fail logs: attempt failed with the error", any("fail" in m.lower() and "boom-xyz" in m for m in text),
                "a line 'attempt ... failed: boom-xyz'", text)
    suite.check("fail logs: retry scheduled for <time>",
                any("retry" in m.lower() and re.search(r"\d{4}-\d{2}-\d{2}T", m) for m in text),
                "a line 'retry scheduled for 20..'", text)
    suite.check("handler's own line present (fail logs payload.message at error)",
                any(m == "boom-xyz" for m in text), "'boom-xyz'", text)
    c = create(w, {"type": unique("logc"), "delayMs": FAR})
    request(w, "POST", "/api/tasks/%s/cancel" % c["id"])
    text = [e.get("message", "").lower() for e in (request(w, "GET", "/api/tasks/%s/logs" % c["id"]).json or {})
            .get("logs", [])]
    suite.check("cancel writes a 'cancelled' lifecycle line", any("cancel" in m for m in text), "cancel line", text)
    error_shape(suite, "logs?limit=0", request(w, "GET", "/api/tasks/%s/logs?limit=0" % t["id"]), 400, contains="limit")
    error_shape(suite, "logs of unknown task", request(w, "GET", "/api/tasks/987654/logs"), 404,
                message="Task 987654 not found")


def check_stats(suite, w):
    create(w, {"type": "email", "payload": {}})
    r = request(w, "GET", "/api/tasks/stats/summary")
    suite.eq("GET /api/tasks/stats/summary -> 200", r.status, 200)
    j = r.json or {}
    keys = ["blocked", "byType", "cancelled", "completed", "failed", "pending", "processing", "retrying", "total"]
    suite.eq("stats keys", sorted(j) if isinstance(j, dict) else j, keys)
    statuses = [k for k in keys if k not in ("byType", "total")]
    counts = [j.get(k) for k in statuses + ["total"]]
    suite.check("stats counts are integers", all(isinstance(c, int) for c in counts), "ints", counts)
    suite.eq("stats total = sum of the seven statuses",
             j.get("total"), sum(j.get(k, 0) for k in statuses if isinstance(j.get(k), int)))
    by = j.get("byType") or {}
    suite.check("byType.email = {total, completed, failed} ints", isinstance(by.get("email"), dict) and
                sorted(by["email"]) == ["completed", "failed", "total"] and
                all(isinstance(v, int) for v in by["email"].values()), {"total": "n", "completed": "n", "failed": "n"},
                by.get("email"))
    suite.check("byType has fail and echo", "fail" in by and "echo" in by, "keys fail, echo", sorted(by)[:20])
    kind = unique("stat")
    before = j.get("pending", 0)
    create(w, {"type": kind, "delayMs": FAR})
    j2 = request(w, "GET", "/api/tasks/stats/summary").json or {}
    suite.eq("byType of a new type", (j2.get("byType") or {}).get(kind), {"total": 1, "completed": 0, "failed": 0})
    suite.check("pending count grew by at least 1", j2.get("pending", 0) >= before + 1, ">= %d" % (before + 1),
                j2.get("pending"))


def check_cancel_retry(suite, w):
    p = create(w, {"type": unique("cancel"), "delayMs": FAR})
    r = request(w, "POST", "/api/tasks/%s/cancel" % p["id"])
    suite.eq("cancel pending -> 200 cancelled", (r.status, (r.json or {}).get("status")), (200, "cancelled"))
    suite.check("cancelled task has completedAt", bool((r.json or {}).get("completedAt")), "timestamp",
                (r.json or {}).get("completedAt"))
    error_shape(suite, "cancel a cancelled task", request(w, "POST", "/api/tasks/%s/cancel" % p["id"]), 400,
                message="Cannot cancel task %s: status is cancelled" % p["id"])
    done = create(w, {"type": "echo"})
    wait_status(w, done["id"], FINAL)
    error_shape(suite, "cancel a completed task", request(w, "POST", "/api/tasks/%s/cancel" % done["id"]), 400,
                message="Cannot cancel task %s: status is completed" % done["id"])
    error_shape(suite, "retry a completed task", request(w, "POST", "/api/tasks/%s/retry" % done["id"]), 400,
                contains=done["id"])
    error_shape(suite, "retry a pending task", request(w, "POST", "/api/tasks/%s/retry" % create(
        w, {"type": unique("rp"), "delayMs": FAR})["id"], {"resetAttempts": False}), 400)
    # cancel a processing sleep task
    s = create(w, {"type": "sleep", "payload": {"ms": 60000}})
    s = wait_status(w, s["id"], ("processing",) + FINAL)
    suite.eq("sleep task reaches processing", s.get("status"), "processing")
    r = request(w, "POST", "/api/tasks/%s/cancel" % s["id"])
    suite.eq("cancel processing -> 200 cancelled at once", (r.status, (r.json or {}).get("status")), (200, "cancelled"))
    logs = poll(lambda: (request(w, "GET", "/api/tasks/%s/logs" % s["id"]).json or {}).get("logs", []),
                lambda ls: any("cancel" in e.get("message", "").lower() for e in ls), 10)
    suite.check("cancelled sleep task logs a cancel line", any("cancel" in e.get("message", "").lower() for e in logs),
                "cancel line", [e.get("message") for e in logs])
    after = get_task(w, s["id"])
    suite.eq("cancelled processing task stays cancelled, result null", (after.get("status"), after.get("result")),
             ("cancelled", None))
    # retry semantics with the fail handler
    f = create(w, {"type": "fail", "maxAttempts": 1})
    f = wait_status(w, f["id"], FINAL)
    suite.eq("fail maxAttempts 1 -> failed, attempts 1", (f.get("status"), f.get("attempts")), ("failed", 1))
    r = request(w, "POST", "/api/tasks/%s/retry" % f["id"], {"resetAttempts": True})
    suite.eq("retry resetAttempts:true -> 200", r.status, 200)
    suite.eq("... attempts 0, status pending (or already picked up)",
             ((r.json or {}).get("attempts"), (r.json or {}).get("status") in ("pending", "processing")), (0, True))
    suite.eq("retried task has the Task shape", task_shape_problems(r.json), [])
    f2 = poll(lambda: get_task(w, f["id"]), lambda x: x.get("status") == "failed" and x.get("attempts", 0) >= 1, 20)
    suite.eq("after reset the task runs again and fails: attempts 1", (f2.get("status"), f2.get("attempts")),
             ("failed", 1))
    r = request(w, "POST", "/api/tasks/%s/retry" % f["id"], {"resetAttempts": False})
    suite.eq("retry resetAttempts:false -> 200, attempts kept (1)", (r.status, (r.json or {}).get("attempts")), (200, 1))
    f3 = poll(lambda: get_task(w, f["id"]), lambda x: x.get("status") == "failed" and x.get("attempts", 0) >= 2, 20)
    suite.eq("resetAttempts:false grants exactly one more attempt -> failed with attempts 2",
             (f3.get("status"), f3.get("attempts")), ("failed", 2))
    r = request(w, "POST", "/api/tasks/%s/retry" % f["id"])
    suite.eq("retry without a body -> 200 (resetAttempts defaults false)", (r.status, (r.json or {}).get("attempts")),
             (200, 2))
    wait_status(w, f["id"], ("failed",), 20)
    error_shape(suite, "retry body with unknown field", request(w, "POST", "/api/tasks/%s/retry" % f["id"],
                                                                {"reset": True}), 400, contains="reset")
    error_shape(suite, "retry resetAttempts not a boolean", request(w, "POST", "/api/tasks/%s/retry" % f["id"],
                                                                    {"resetAttempts": "yes"}), 400,
                contains="resetAttempts")
    c = create(w, {"type": unique("rc"), "delayMs": FAR})
    request(w, "POST", "/api/tasks/%s/cancel" % c["id"])
    r = request(w, "POST", "/api/tasks/%s/retry" % c["id"], {"resetAttempts": False})
    suite.eq("retry a cancelled task -> 200 pending", (r.status, (r.json or {}).get("status")), (200, "pending"))
    suite.eq("... completedAt cleared (interpretation)", (r.json or {}).get("completedAt"), None)


def check_not_found(suite, w):
    error_shape(suite, "GET /api/tasks/42424242", request(w, "GET", "/api/tasks/42424242"), 404,
                message="Task 42424242 not found")
    error_shape(suite, "GET /api/tasks/abc", request(w, "GET", "/api/tasks/abc"), 404)
    error_shape(suite, "cancel unknown", request(w, "POST", "/api/tasks/42424242/cancel"), 404,
                message="Task 42424242 not found")
    error_shape(suite, "retry unknown", request(w, "POST", "/api/tasks/42424242/retry"), 404,
                message="Task 42424242 not found")
    error_shape(suite, "GET /api/nope", request(w, "GET", "/api/nope"), 404)
    error_shape(suite, "GET /nope", request(w, "GET", "/nope"), 404)
    error_shape(suite, "GET /api/tasks/1/bogus", request(w, "GET", "/api/tasks/1/bogus"), 404)
    for method, path in (("DELETE", "/api/tasks"), ("PUT", "/api/tasks/1"), ("GET", "/api/tasks/1/cancel"),
                         ("GET", "/api/tasks/1/retry"), ("POST", "/api/tasks/stats/summary"),
                         ("DELETE", "/api/jobs"), ("PUT", "/api/jobs/1"), ("GET", "/api/jobs/1/pause"),
                         ("POST", "/health"), ("POST", "/metrics"), ("POST", "/api/tasks/1/logs")):
        r = request(w, method, path, raw=b"{}" if method in ("POST", "PUT") else None)
        error_shape(suite, "%s %s (known path, wrong method)" % (method, path), r, 405)


def check_health_metrics(suite, w):
    r = request(w, "GET", "/health")
    j = r.json or {}
    suite.eq("worker GET /health -> 200", r.status, 200)
    suite.eq("worker health status/service", (j.get("status"), j.get("service")), ("ok", "worker-service"))
    suite.check("worker health content-type JSON", "application/json" in r.headers.get("content-type", ""),
                "application/json", r.headers.get("content-type"))
    r = request(w, "GET", "/metrics")
    suite.eq("GET /metrics -> 200", r.status, 200)
    suite.check("metrics content-type text/plain (Prometheus 0.0.4)", r.headers.get("content-type", "")
                .startswith("text/plain"), "text/plain; version=0.0.4", r.headers.get("content-type"))
    lines = [l for l in r.text.splitlines() if l and not l.startswith("#")]
    sample = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? '
                        r'[-+]?([0-9.eE+-]+|NaN|\+Inf|-Inf)( -?\d+)?$')
    bad = [l for l in lines if not sample.match(l)]
    suite.eq("every metrics sample line is valid exposition format", bad[:5], [])
    text = r.text
    suite.check("metrics: a histogram (_bucket{le=\"+Inf\"}, _sum, _count)", 'le="+Inf"' in text and "_sum" in text
                and "_count" in text, "histogram series", text[:300])
    suite.check("metrics: tasks by status label", re.search(r'status="(pending|completed|failed)"', text) is not None,
                'status="..." label', text[:300])
    suite.check("metrics: tasks by type label", re.search(r'type="(echo|email|fail)"', text) is not None,
                'type="..." label', text[:300])
    suite.check("metrics: # TYPE lines", "# TYPE" in text and "# HELP" in text, "# HELP/# TYPE", text[:200])
    suite.check("metrics: queue depth, attempts, jobs fired",
                all(re.search(p, text, re.I) for p in (r"depth", r"attempt", r"job")),
                "metric names mentioning depth, attempt, job", sorted({l.split("{")[0].split(" ")[0] for l in lines}))
