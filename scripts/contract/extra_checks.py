"""Checks of background behaviour: dispatch order, cron firing, overlap skip, job failure, shutdown, leases."""
import os
import re
import signal

from graphql_checks import codes, gql
from harness import Process, poll, request
from rest_tasks import FAR, FINAL, create, error_shape, get_task, unique, wait_status


def check_dispatch_order(suite, w):
    """Run with --concurrency 1: a blocking sleep task holds the only slot while others queue up."""
    blocker = create(w, {"type": "sleep", "payload": {"ms": 60000}})
    wait_status(w, blocker["id"], ("processing",))
    order = [("low-a", 1), ("normal-a", 5), ("crit", 20), ("high", 10), ("normal-b", 5), ("low-b", 1)]
    ids = {}
    for name, prio in order:
        ids[name] = create(w, {"type": "sleep", "payload": {"ms": 30, "name": name}, "priority": prio})["id"]
    request(w, "POST", "/api/tasks/%s/cancel" % blocker["id"])
    done = {n: wait_status(w, i, FINAL, 30) for n, i in ids.items()}
    started = sorted(done, key=lambda n: (done[n].get("startedAt") or "~", int(done[n]["id"])))
    suite.eq("dispatch: priority desc, then FIFO inside a priority (concurrency 1)", started,
             ["crit", "high", "normal-a", "normal-b", "low-a", "low-b"])
    a = create(w, {"type": "sleep", "payload": {"ms": 60000}})
    wait_status(w, a["id"], ("processing",))
    late = create(w, {"type": "sleep", "payload": {"ms": 10}, "runAt": "2020-01-01T00:00:01.000Z"})
    early = create(w, {"type": "sleep", "payload": {"ms": 10}, "runAt": "2020-01-01T00:00:00.000Z"})
    request(w, "POST", "/api/tasks/%s/cancel" % a["id"])
    late, early = wait_status(w, late["id"], FINAL), wait_status(w, early["id"], FINAL)
    suite.check("dispatch: same priority -> runAt ascending before id", (early.get("startedAt") or "~") <
                (late.get("startedAt") or "~"), "earlier runAt started first",
                (early.get("startedAt"), late.get("startedAt")))


def check_cron_firing(suite, w):
    r = request(w, "POST", "/api/jobs", {"name": "every second", "type": "echo", "schedule": "* * * * * *",
                                         "payload": {"from": "cron"}, "priority": 7})
    suite.eq("six-field (seconds) job -> 201", r.status, 201)
    jid = (r.json or {}).get("id")
    job = poll(lambda: request(w, "GET", "/api/jobs/%s" % jid).json or {}, lambda j: j.get("runCount", 0) >= 2, 10)
    suite.check("every-second job fires on schedule (runCount >= 2 within 10 s)", job.get("runCount", 0) >= 2,
                ">= 2", job)
    t = get_task(w, job.get("lastTaskId")) if job.get("lastTaskId") else {}
    suite.eq("fired task: type, payload, priority, jobId from the job",
             [t.get(k) for k in ("type", "payload", "priority", "jobId")], ["echo", {"from": "cron"}, 7, jid])
    suite.check("lastRun and nextRun advance (nextRun > lastRun)", bool(job.get("lastRun")) and
                bool(job.get("nextRun")) and job["nextRun"] > job["lastRun"], "nextRun > lastRun", job)
    request(w, "POST", "/api/jobs/%s/pause" % jid)
    metrics = request(w, "GET", "/metrics").text
    fired = [l for l in metrics.splitlines() if not l.startswith("#") and "job" in l.split("{")[0].lower() and
             re.search(r"(fire|run)", l.split("{")[0], re.I) and float(l.rsplit(" ", 1)[-1]) > 0]
    suite.check("metrics count jobs fired (a job fire/run series > 0)", bool(fired),
                "a line like worker_job_runs_total{...} N", [l for l in metrics.splitlines() if "job" in l.lower()][:6])
    # overlap: the previous run still processing -> the fire is skipped and logged
    r = request(w, "POST", "/api/jobs", {"name": "slow", "type": "sleep", "schedule": "* * * * * *",
                                         "payload": {"ms": 60000}})
    sid = (r.json or {}).get("id")
    job = poll(lambda: request(w, "GET", "/api/jobs/%s" % sid).json or {}, lambda j: j.get("lastTaskId"), 10)
    first = job.get("lastTaskId")
    logs = poll(lambda: (request(w, "GET", "/api/tasks/%s/logs" % first).json or {}).get("logs", []),
                lambda ls: any("skip" in e.get("message", "").lower() for e in ls), 10)
    suite.check("overlapping fire skipped with a log line (in the running task's log)",
                any("skip" in e.get("message", "").lower() for e in logs), "a 'skipped' line",
                [e.get("message") for e in logs])
    job = request(w, "GET", "/api/jobs/%s" % sid).json or {}
    listed = request(w, "GET", "/api/tasks?type=sleep&limit=1000").json or {}
    mine = [x["id"] for x in listed.get("tasks", []) if x.get("jobId") == sid]
    suite.eq("no pile-up: still one task of the slow job, runCount 1", (mine, job.get("runCount")), ([first], 1))
    request(w, "POST", "/api/jobs/%s/pause" % sid)
    request(w, "POST", "/api/tasks/%s/cancel" % first)
    # a job whose run failed for good is 'failed', and keeps firing
    r = request(w, "POST", "/api/jobs", {"name": "failing", "type": "fail", "schedule": "* * * * * *",
                                         "maxAttempts": 1})
    fid = (r.json or {}).get("id")
    job = poll(lambda: request(w, "GET", "/api/jobs/%s" % fid).json or {}, lambda j: j.get("status") == "failed", 10)
    suite.eq("job whose last run failed for good -> status failed, nextRun kept", (job.get("status"),
                                                                                    job.get("nextRun") is not None),
             ("failed", True))
    request(w, "POST", "/api/jobs/%s/pause" % fid)


def check_more_rest(suite, w):
    f = create(w, {"type": "fail", "maxAttempts": 5})
    f = wait_status(w, f["id"], ("retrying",) + FINAL)
    suite.eq("fail task waits in retrying", f.get("status"), "retrying")
    r = request(w, "POST", "/api/tasks/%s/cancel" % f["id"])
    suite.eq("cancel retrying -> 200 cancelled", (r.status, (r.json or {}).get("status")), (200, "cancelled"))
    error_shape(suite, "retry with malformed JSON body", request(w, "POST", "/api/tasks/%s/retry" % f["id"],
                                                                 raw=b"{oops"), 400)
    big = b'{"name":"n","type":"x","schedule":"* * * * *","payload":{"b":"' + b"a" * (1024 * 1024 + 1) + b'"}}'
    error_shape(suite, "POST /api/jobs over 1 MiB", request(w, "POST", "/api/jobs", raw=big), 413)
    r = request(w, "POST", "/api/tasks", raw=b'{"type":"echo"}', headers={"Content-Type": None})
    suite.eq("POST JSON without a Content-Type -> 201 (interpretation: contract lists no 415)", r.status, 201)
    r = request(w, "POST", "/api/tasks", raw=b'{"type":"echo"}',
                headers={"Content-Type": "application/x-www-form-urlencoded"})
    suite.check("POST JSON with curl -d's default form Content-Type -> 201 or 400, not 415 (contract: no 415)",
                r.status in (201, 400), "201/400", r)
    r = request(w, "POST", "/api/tasks", raw=b'{"type":"echo"}', headers={"Content-Type": "text/plain"})
    suite.check("POST JSON as text/plain -> 201 or 400, not 415 (contract: no 415)", r.status in (201, 400),
                "201/400", r)
    r = request(w, "POST", "/api/tasks", raw=b'{"type":"echo"}',
                headers={"Content-Type": "application/json; charset=utf-8"})
    suite.eq("POST with application/json; charset=utf-8 -> 201", r.status, 201)
    r = request(w, "DELETE", "/api/tasks")
    suite.check("405 carries an Allow header (HTTP semantics; not in the contract)", "allow" in r.headers,
                "Allow: GET, POST", r.headers)
    r = request(w, "GET", "/api/tasks/42424242")
    suite.check("error responses are application/json", "application/json" in r.headers.get("content-type", ""),
                "application/json", r.headers.get("content-type"))
    stats = request(w, "GET", "/api/tasks/stats/summary").json or {}
    suite.check("stats byType.fail counts failed tasks", ((stats.get("byType") or {}).get("fail") or {})
                .get("failed", 0) >= 0, ">= 0", (stats.get("byType") or {}).get("fail"))
    r = request(w, "POST", "/api/tasks", {"type": unique("pstr"), "priority": "5", "delayMs": FAR})
    suite.check("priority \"5\" (a numeric string: neither an integer nor a level name; interpretation) -> 400",
                r.status == 400 and "priority" in r.text, "400 naming priority", r)
    key = unique("ukp")
    s = create(w, {"type": "sleep", "payload": {"ms": 60000}, "uniqueKey": key})
    wait_status(w, s["id"], ("processing",))
    r = request(w, "POST", "/api/tasks", {"type": "sleep", "uniqueKey": key})
    suite.eq("uniqueKey of a processing task -> 200 with that task", (r.status, (r.json or {}).get("id")),
             (200, s["id"]))
    request(w, "POST", "/api/tasks/%s/cancel" % s["id"])
    kind = unique("empty")
    create(w, {"type": kind, "delayMs": FAR})
    r = request(w, "GET", "/api/tasks?status=&type=%s" % kind)
    suite.check("status= (empty) -> no status filter, or 400 (interpretation)", (r.status == 200 and
                (r.json or {}).get("total") == 1) or r.status == 400, "200 total 1, or 400", r)
    r = request(w, "POST", "/api/tasks", {"type": unique("pnull"), "payload": None, "delayMs": FAR})
    suite.check("payload null -> 400 or default {} (interpretation: either)", r.status == 400 or
                (r.status == 201 and (r.json or {}).get("payload") == {}), "400 or 201 {}", r)


def check_graphql_more(suite, g):
    r = request(g, "POST", "/graphql", raw=b'{"query": "{ taskStats { total } }"}', headers={"Content-Type": None})
    suite.check("POST /graphql JSON without a Content-Type -> 200 data (interpretation)", r.status == 200 and
                (r.json or {}).get("data"), "200 data", r)
    r, j = gql(g, "{ tasks(limit: 0) { total } }")
    suite.eq("tasks(limit: 0) -> BAD_REQUEST", codes(j), ["BAD_REQUEST"])
    r, j = gql(g, "{ tasks(limit: 1001) { total } }")
    suite.eq("tasks(limit: 1001) -> BAD_REQUEST", codes(j), ["BAD_REQUEST"])
    r, j = gql(g, 'mutation { createTask(input: {type: "x", runAt: "tomorrow"}) { id } }')
    suite.check("createTask runAt 'tomorrow' -> an error, no task", bool(j.get("errors")) and
                not (j.get("data") or {}).get("createTask"), "errors", r.text)
    r, j = gql(g, 'mutation M($i: CreateTaskInput!) { createTask(input: $i) { id } }',
               {"i": {"type": "x", "priority": "URGENT"}})
    suite.check("variable with a bad enum value -> an error", bool(j.get("errors")), "errors", r.text)
    r, j = gql(g, 'mutation { a: createTask(input: {type: "al", priority: LOW}) { ...F } '
                  'b: createTask(input: {type: "al"}) { ...F } } fragment F on Task { type priority @include(if: true) '
                  'status @skip(if: true) }')
    suite.eq("aliases, fragments, @include/@skip", (j.get("data") or {}),
             {"a": {"type": "al", "priority": "LOW"}, "b": {"type": "al", "priority": "NORMAL"}})
    r, j = gql(g, "query { taskStats { total } } mutation { pauseJob(jobId: \"1\") }")
    suite.check("two operations without operationName -> an error", bool(j.get("errors")), "errors", r.text)
    big = '{"query": "{ taskStats { total } }", "variables": {"x": "' + "a" * (1024 * 1024 + 1) + '"}}'
    r = request(g, "POST", "/graphql", raw=big.encode())
    suite.eq("POST /graphql over 1 MiB -> 413 (interpretation: same limit as REST)", r.status, 413)
    r, j = gql(g, "{" * 5000 + "}" * 5000)
    suite.check("hostile deep nesting -> an error, server survives", bool(j.get("errors")) and
                request(g, "GET", "/health").status == 200, "errors and healthy", r.text[:200])


def check_shutdown_and_lease(suite, binary, logs, tmp):
    db = os.path.join(tmp, "lease.sqlite")
    from acceptance import ports
    (wp,) = ports(1)
    w = "http://127.0.0.1:%d" % wp
    args = ["worker", "--port", str(wp), "--store", "sqlite:%s" % db]
    p = Process(binary, args, logs, "sqlite-1", env={"WORKER_LEASE_SECONDS": "2"})
    suite.check("worker with --store sqlite:PATH starts", p.wait_healthy(w), "healthy", p.tail())
    t = create(w, {"type": "sleep", "payload": {"ms": 600000}})
    wait_status(w, t["id"], ("processing",))
    code = p.stop()
    suite.eq("SIGTERM with a running task -> exit 0", code, 0)
    p = Process(binary, args, logs, "sqlite-2", env={"WORKER_LEASE_SECONDS": "2"})
    p.wait_healthy(w)
    after = get_task(w, t["id"])
    suite.check("after graceful shutdown the running task was released (pending, or running again) not lost",
                after.get("status") in ("pending", "processing"), "pending/processing", after)
    again = wait_status(w, t["id"], ("processing",))
    suite.eq("released task runs again after restart", again.get("status"), "processing")
    p.popen.send_signal(signal.SIGKILL)
    p.popen.wait()
    p.log.close()
    p = Process(binary, args, logs, "sqlite-3", env={"WORKER_LEASE_SECONDS": "2"})
    p.wait_healthy(w)
    started_before = again.get("startedAt")
    rerun = poll(lambda: get_task(w, t["id"]), lambda x: x.get("status") == "processing" and
                 x.get("startedAt") != started_before, 20)
    suite.check("after a crash (SIGKILL) the task runs again once its lease ran out (at-least-once)",
                rerun.get("status") == "processing" and rerun.get("startedAt") != started_before,
                "processing with a new startedAt", rerun)
    request(w, "POST", "/api/tasks/%s/cancel" % t["id"])
    suite.eq("sqlite worker: SIGTERM -> exit 0", p.stop(), 0)


def check_edges(suite, w, g):
    t = create(w, {"type": "sleep", "payload": {"ms": 60000}, "timeoutMs": 300, "maxAttempts": 1})
    t = wait_status(w, t["id"], FINAL, 20)
    suite.check("timeoutMs 300 on a 60 s sleep -> failed with an error mentioning the timeout (interpretation)",
                t.get("status") == "failed" and "time" in str(t.get("error")).lower(), "failed, error ~ timed out",
                (t.get("status"), t.get("error")))
    e = create(w, {"type": "echo"})
    wait_status(w, e["id"], FINAL)
    error_shape(suite, "logs?limit=1001", request(w, "GET", "/api/tasks/%s/logs?limit=1001" % e["id"]), 400,
                contains="limit")
    r = request(w, "GET", "/api/tasks/%s/logs?limit=1000" % e["id"])
    suite.eq("logs?limit=1000 -> 200", r.status, 200)
    r = request(w, "POST", "/api/jobs", {"name": "edge", "type": "echo", "schedule": "0 0 * * *"})
    jid = (r.json or {}).get("id")
    for body, needle in (({"timezone": "Mars/Olympus"}, "Mars/Olympus"), ({"payload": [1]}, "payload"),
                         ({"priority": 21}, "priority"), ({"catchUp": "never"}, "catchUp"), ({"name": 5}, "name")):
        error_shape(suite, "PATCH /api/jobs/{id} %s" % body, request(w, "PATCH", "/api/jobs/%s" % jid, body), 400,
                    contains=needle)
    error_shape(suite, "PATCH malformed JSON", request(w, "PATCH", "/api/jobs/%s" % jid, raw=b"{"), 400)
    for body, needle in (({"name": "n", "type": "", "schedule": "* * * * *"}, "type"),
                         ({"name": "n", "type": "x", "schedule": "* * * * *", "payload": [1]}, "payload"),
                         ({"name": "n", "type": "x", "schedule": "* * * * *", "maxAttempts": "2"}, "maxAttempts")):
        error_shape(suite, "POST /api/jobs %s" % body, request(w, "POST", "/api/jobs", body), 400, contains=needle)
    r = request(w, "GET", "/api/jobs/abc")
    error_shape(suite, "GET /api/jobs/abc", r, 404)
    r = request(g, "GET", "/nope")
    suite.eq("gateway unknown path -> 404", r.status, 404)
    r = request(g, "GET", "/graphql", headers={"Accept": "application/json"})
    suite.check("gateway GET /graphql without query (JSON) -> 400 with errors", r.status == 400 and
                isinstance(r.json, dict) and r.json.get("errors"), "400 {errors}", r)
    r = request(g, "PUT", "/graphql", raw=b"{}")
    suite.eq("gateway PUT /graphql -> 405", r.status, 405)
    r = request(g, "POST", "/graphql", {"query": "{ taskStats { total } }", "variables": None,
                                        "operationName": None})
    suite.check("POST with variables: null and operationName: null -> works", r.status == 200 and
                (r.json or {}).get("data"), "200 data", r)
    r = request(g, "POST", "/graphql", {"query": 5})
    suite.check("POST query not a string -> 400 with errors", r.status == 400 and (r.json or {}).get("errors"),
                "400 {errors}", r)


def check_sigint(suite, binary, logs):
    from acceptance import ports
    wp, gp = ports(2)
    p = Process(binary, ["serve", "--worker-port", str(wp), "--gateway-port", str(gp), "--store", "memory"], logs,
                "sigint")
    p.wait_healthy("http://127.0.0.1:%d" % wp)
    p.popen.send_signal(signal.SIGINT)
    try:
        code = p.popen.wait(20)
    except Exception:  # noqa: BLE001
        p.popen.kill()
        code = None
    p.log.close()
    suite.eq("Ctrl-C (SIGINT) -> graceful exit 0", code, 0)


def check_catch_up_and_sharing(suite, binary, logs, tmp):
    import datetime
    import time
    from acceptance import ports
    db = os.path.join(tmp, "catchup.sqlite")
    wp, wp2 = ports(2)
    w, w2 = "http://127.0.0.1:%d" % wp, "http://127.0.0.1:%d" % wp2
    args = ["worker", "--port", str(wp), "--store", "sqlite:%s" % db]
    p = Process(binary, args, logs, "catchup-1")
    p.wait_healthy(w)
    fire = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=4)
    schedule = "%d %d %d * * *" % (fire.second, fire.minute, fire.hour)
    r = request(w, "POST", "/api/jobs", {"name": "catch", "type": "echo", "schedule": schedule})
    jid = (r.json or {}).get("id")
    r = request(w, "POST", "/api/jobs", {"name": "skip", "type": "echo", "schedule": schedule, "catchUp": "skip"})
    p.stop()
    while datetime.datetime.now(datetime.timezone.utc) < fire + datetime.timedelta(seconds=1):
        time.sleep(0.1)  # wall-clock time has to pass the missed fire time; nothing races here
    p = Process(binary, args, logs, "catchup-2")
    p.wait_healthy(w)
    job = poll(lambda: request(w, "GET", "/api/jobs/%s" % jid).json or {}, lambda j: j.get("runCount", 0) >= 1, 10)
    suite.eq("catchUp once: a fire missed while down runs once on start-up", job.get("runCount"), 1)
    suite.check("... then the schedule continues from now (nextRun tomorrow)", (job.get("nextRun") or "") >
                fire.strftime("%Y-%m-%dT%H:%M:%S"), "nextRun after the missed time", job.get("nextRun"))
    # two processes on one store: each fire time enqueues exactly one task
    p2 = Process(binary, ["worker", "--port", str(wp2), "--store", "sqlite:%s" % db], logs, "catchup-share")
    p2.wait_healthy(w2)
    r = request(w, "POST", "/api/jobs", {"name": "shared", "type": "echo", "schedule": "* * * * * *"})
    sid = (r.json or {}).get("id")
    start = time.monotonic()
    job = poll(lambda: request(w2, "GET", "/api/jobs/%s" % sid).json or {}, lambda j: j.get("runCount", 0) >= 4, 15)
    request(w, "POST", "/api/jobs/%s/pause" % sid)
    elapsed = time.monotonic() - start
    job = request(w, "GET", "/api/jobs/%s" % sid).json or {}
    tasks = [t for t in (request(w, "GET", "/api/tasks?type=echo&limit=1000").json or {}).get("tasks", [])
             if t.get("jobId") == sid]
    suite.check("two processes sharing a store: tasks of the job = runCount <= elapsed seconds + 1",
                len(tasks) == job.get("runCount") and len(tasks) <= int(elapsed) + 2 and len(tasks) >= 4,
                "one task per fire", {"tasks": len(tasks), "runCount": job.get("runCount"), "elapsed": elapsed})
    suite.eq("sharing worker: SIGTERM -> exit 0", p2.stop(), 0)
    p.stop()


def check_graphql_defaults(suite, g, w):
    kind = unique("many")
    for _ in range(55):
        create(w, {"type": kind, "delayMs": FAR})
    r, j = gql(g, '{ tasks(type: "%s") { tasks { id } total } }' % kind)
    lst = (j.get("data") or {}).get("tasks") or {}
    suite.eq("GraphQL tasks default limit 50 (55 exist)", (len(lst.get("tasks") or []), lst.get("total")), (50, 55))
    rest = request(w, "GET", "/api/tasks?type=%s" % kind).json or {}
    suite.eq("REST list default limit 50 (55 exist)", (len(rest.get("tasks") or []), rest.get("total")), (50, 55))
    r, j = gql(g, 'mutation { createTask(input: {type: "%s", runAt: "2030-01-01T00:00:00Z"}) { runAt } }' % kind)
    suite.eq("DateTime input without milliseconds accepted", (j.get("data") or {}).get("createTask"),
             {"runAt": "2030-01-01T00:00:00.000Z"})
    r, j = gql(g, 'mutation M($p: JSON) { createTask(input: {type: "%s", payload: $p}) { id } }' % kind, {"p": 5})
    suite.check("payload 5 (not an object) -> an error, no task", bool(j.get("errors")) and
                not (j.get("data") or {}).get("createTask"), "errors", r.text)
    r, j = gql(g, '{ task(taskId: "9999999") { id } }')
    errs = j.get("errors") or [{}]
    suite.check("field errors carry message, locations, path, extensions.code",
                all(set(e) >= {"message", "locations", "path", "extensions"} for e in errs), "all four keys", errs)
