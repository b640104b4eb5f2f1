"""GraphQL checks of the gateway (API.md section 3 and the reference's queries, verbatim)."""
import json
import urllib.parse

import schema_expected
from harness import TIMESTAMP, poll, request
from rest_tasks import FAR, FINAL, create, get_task, unique, wait_status


def gql(g, query, variables=None, operation=None):
    body = {"query": query}
    if variables is not None:
        body["variables"] = variables
    if operation is not None:
        body["operationName"] = operation
    r = request(g, "POST", "/graphql", body)
    return r, (r.json if isinstance(r.json, dict) else {})


def codes(j):
    return [((e.get("extensions") or {}).get("code")) for e in j.get("errors") or []]


def no_errors(suite, name, r, j):
    return suite.check("%s -> 200, data, no errors" % name, r.status == 200 and "errors" not in j and
                       j.get("data") is not None, "200 {data}", r.text)


REF_TASKS = """query {
  tasks {
    tasks {
      id
      type
      status
      createdAt
    }
    total
  }
}"""
REF_TASK = """query {
  task(taskId: "1") {
    id
    type
    status
    payload
    error
  }
}"""
REF_JOBS = """query {
  jobs {
    id
    name
    schedule
    status
    nextRun
  }
}"""
REF_JOB = """query {
  job(jobId: "1") {
    id
    name
    schedule
    status
    lastRun
    nextRun
  }
}"""
REF_CREATE_TASK = """mutation {
  createTask(input: {
    type: "email"
    payload: {}
    priority: NORMAL
  }) {
    id
    type
    status
  }
}"""
REF_CANCEL = """mutation {
  cancelTask(taskId: "1")
}"""
REF_CREATE_JOB = """mutation {
  createJob(input: {
    name: "Daily Backup"
    type: "backup"
    schedule: "0 0 * * *"
    payload: {}
  }) {
    id
    name
    status
  }
}"""
REF_PAUSE = 'mutation {\n  pauseJob(jobId: "1")\n}'
REF_RESUME = 'mutation {\n  resumeJob(jobId: "1")\n}'
REF_DELETE = 'mutation {\n  deleteJob(jobId: "1")\n}'


def check_reference(suite, g, fresh):
    """The reference's queries and mutations, verbatim, on a store where ids 1 are ours (fresh=True)."""
    r, j = gql(g, REF_CREATE_TASK)
    no_errors(suite, "ref createTask", r, j)
    t = (j.get("data") or {}).get("createTask") or {}
    suite.eq("ref createTask -> {id,type,status}", (sorted(t), t.get("type"), t.get("status")),
             (["id", "status", "type"], "email", t.get("status") if t.get("status") in ("PENDING", "PROCESSING",
                                                                                          "COMPLETED") else "PENDING"))
    if fresh:
        suite.eq("ref createTask on a fresh store -> id \"1\"", t.get("id"), "1")
    r, j = gql(g, REF_TASKS)
    no_errors(suite, "ref tasks", r, j)
    lst = (j.get("data") or {}).get("tasks") or {}
    suite.check("ref tasks -> tasks[] {id,type,status,createdAt} + total", isinstance(lst.get("tasks"), list) and
                lst.get("total", 0) >= 1 and all(sorted(x) == ["createdAt", "id", "status", "type"] and
                                                 TIMESTAMP.match(str(x["createdAt"])) for x in lst["tasks"]),
                "shape", lst)
    r, j = gql(g, REF_TASK)
    no_errors(suite, "ref task(taskId: \"1\")", r, j)
    task = (j.get("data") or {}).get("task") or {}
    suite.eq("ref task(1) fields", sorted(task), ["error", "id", "payload", "status", "type"])
    if fresh:
        suite.eq("ref task(1) payload {} and id", (task.get("id"), task.get("payload")), ("1", {}))
    r, j = gql(g, REF_CANCEL)
    status = (task.get("status") or "").upper()
    if r.status == 200 and (j.get("data") or {}).get("cancelTask") is True:
        suite.check("ref cancelTask(1) -> true", True)
    else:
        suite.check("ref cancelTask(1) on a finished task -> BAD_REQUEST with 'Cannot cancel task 1'",
                    codes(j) == ["BAD_REQUEST"] and "Cannot cancel task 1" in str(j.get("errors")),
                    "true, or BAD_REQUEST (task 1 was %s)" % status, r.text)
    r, j = gql(g, REF_CREATE_JOB)
    no_errors(suite, "ref createJob", r, j)
    job = (j.get("data") or {}).get("createJob") or {}
    suite.eq("ref createJob -> {id,name,status}", (sorted(job), job.get("name"), job.get("status")),
             (["id", "name", "status"], "Daily Backup", "ACTIVE"))
    if fresh:
        suite.eq("ref createJob on a fresh store -> id \"1\"", job.get("id"), "1")
    r, j = gql(g, REF_JOBS)
    no_errors(suite, "ref jobs", r, j)
    jobs = (j.get("data") or {}).get("jobs") or []
    suite.check("ref jobs -> [{id,name,schedule,status,nextRun}]", bool(jobs) and all(
        sorted(x) == ["id", "name", "nextRun", "schedule", "status"] for x in jobs), "shape", jobs)
    r, j = gql(g, REF_JOB)
    no_errors(suite, "ref job(jobId: \"1\")", r, j)
    job = (j.get("data") or {}).get("job") or {}
    suite.eq("ref job(1) fields", sorted(job), ["id", "lastRun", "name", "nextRun", "schedule", "status"])
    suite.check("ref job(1) nextRun ISO ms Z, lastRun null", TIMESTAMP.match(str(job.get("nextRun"))) is not None and
                job.get("lastRun") is None, "nextRun ts, lastRun null", job)
    for name, query, field in (("pauseJob", REF_PAUSE, "pauseJob"), ("pauseJob again", REF_PAUSE, "pauseJob"),
                               ("resumeJob", REF_RESUME, "resumeJob"), ("resumeJob again", REF_RESUME, "resumeJob")):
        r, j = gql(g, query)
        suite.eq("ref %s(1) -> true" % name, (r.status, (j.get("data") or {}).get(field), j.get("errors")),
                 (200, True, None))
        if name == "pauseJob":
            jb = (gql(g, REF_JOB)[1].get("data") or {}).get("job") or {}
            suite.eq("after pauseJob: status PAUSED, nextRun null", (jb.get("status"), jb.get("nextRun")),
                     ("PAUSED", None))
    r, j = gql(g, REF_DELETE)
    suite.eq("ref deleteJob(1) -> true", (r.status, (j.get("data") or {}).get("deleteJob")), (200, True))
    r, j = gql(g, REF_JOB)
    suite.check("job(1) after delete -> null + NOT_FOUND", (j.get("data") or {}).get("job") is None and
                codes(j) == ["NOT_FOUND"], "data.job null, code NOT_FOUND", r.text)


ALL_TASK = ("id type status priority priorityValue payload result error attempts maxAttempts jobId runAt createdAt "
            "updatedAt startedAt completedAt progress uniqueKey logs(limit: 5) { timestamp level message attempt }")
ALL_JOB = "id name type schedule timezone payload priority status lastRun nextRun runCount createdAt"


def check_fields(suite, g, w):
    """Every field of the schema, against tasks made over REST (serve mode: one store)."""
    levels = {1: "LOW", 4: "LOW", 5: "NORMAL", 7: "NORMAL", 9: "NORMAL", 10: "HIGH", 15: "HIGH", 19: "HIGH",
              20: "CRITICAL"}
    for value, level in levels.items():
        t = create(w, {"type": unique("lvl"), "priority": value, "delayMs": FAR})
        r, j = gql(g, 'query { task(taskId: "%s") { priority priorityValue } }' % t["id"])
        suite.eq("Task.priority of %d -> %s, priorityValue %d" % (value, level, value),
                 (j.get("data") or {}).get("task"), {"priority": level, "priorityValue": value})
    e = create(w, {"type": "echo", "payload": {"k": [1, "two", None, {"x": True}]}})
    wait_status(w, e["id"], FINAL)
    r, j = gql(g, 'query { task(taskId: "%s") { %s } }' % (e["id"], ALL_TASK))
    no_errors(suite, "task with every field", r, j)
    t = (j.get("data") or {}).get("task") or {}
    rest = get_task(w, e["id"])
    suite.eq("Task fields equal REST (status upper-cased, priority level)",
             {k: t.get(k) for k in ("id", "type", "status", "priority", "priorityValue", "payload", "result", "error",
                                    "attempts", "maxAttempts", "jobId", "runAt", "createdAt", "updatedAt",
                                    "startedAt", "completedAt", "progress", "uniqueKey")},
             dict({k: rest.get(k) for k in ("id", "type", "payload", "result", "error", "attempts", "maxAttempts",
                                           "jobId", "runAt", "createdAt", "updatedAt", "startedAt", "completedAt",
                                           "progress", "uniqueKey")},
                  status="COMPLETED", priority="NORMAL", priorityValue=5))
    logs = t.get("logs") or []
    suite.check("Task.logs(limit: 5) entries {timestamp,level,message,attempt}, oldest first",
                0 < len(logs) <= 5 and all(TIMESTAMP.match(str(x.get("timestamp"))) for x in logs) and
                [x["timestamp"] for x in logs] == sorted(x["timestamp"] for x in logs), "1..5 entries", logs)
    r, j = gql(g, 'query { taskLogs(taskId: "%s", limit: 2) { timestamp level message attempt } }' % e["id"])
    suite.check("taskLogs(limit: 2) -> 2 entries", len((j.get("data") or {}).get("taskLogs") or []) == 2, 2, r.text)
    r, j = gql(g, 'query { taskLogs(taskId: "%s") { message } }' % e["id"])
    suite.check("taskLogs default limit -> the lines", len((j.get("data") or {}).get("taskLogs") or []) >= 2, ">=2",
                r.text)
    r, j = gql(g, "{ taskStats { total pending processing completed failed cancelled retrying } }")
    no_errors(suite, "taskStats every field", r, j)
    stats = (j.get("data") or {}).get("taskStats") or {}
    rest_stats = request(w, "GET", "/api/tasks/stats/summary").json or {}
    suite.eq("taskStats total = REST total", stats.get("total"), rest_stats.get("total"))
    kind = unique("gq")
    ids = [create(w, {"type": kind, "delayMs": FAR})["id"] for _ in range(3)]
    r, j = gql(g, '{ tasks(status: PENDING, type: "%s", limit: 2, offset: 1) { tasks { id status } total } }' % kind)
    suite.eq("tasks(status, type, limit, offset)", (j.get("data") or {}).get("tasks"),
             {"tasks": [{"id": ids[1], "status": "PENDING"}, {"id": ids[0], "status": "PENDING"}], "total": 3})
    r, j = gql(g, '{ tasks(type: "%s") { total } }' % kind)
    suite.eq("tasks(type) total", ((j.get("data") or {}).get("tasks") or {}).get("total"), 3)
    # createTask variants
    r, j = gql(g, 'mutation { createTask(input: {type: "%s", payload: {to: "a@b.c", n: [1, 2]}, priority: HIGH, '
                  'maxAttempts: 4, runAt: "2030-01-01T00:00:00.000Z", uniqueKey: "%s"}) { %s } }'
               % (kind, kind, ALL_TASK))
    no_errors(suite, "createTask with every input field and a JSON literal", r, j)
    t = (j.get("data") or {}).get("createTask") or {}
    suite.eq("createTask JSON literal payload / HIGH / 10 / maxAttempts / runAt / uniqueKey",
             [t.get(k) for k in ("payload", "priority", "priorityValue", "maxAttempts", "runAt", "uniqueKey", "status")],
             [{"to": "a@b.c", "n": [1, 2]}, "HIGH", 10, 4, "2030-01-01T00:00:00.000Z", kind, "PENDING"])
    r, j = gql(g, 'mutation { createTask(input: {type: "%s", uniqueKey: "%s"}) { id } }' % (kind, kind))
    suite.eq("createTask same uniqueKey -> the same task", ((j.get("data") or {}).get("createTask") or {}).get("id"),
             t.get("id"))
    q = "mutation Make($input: CreateTaskInput!) { createTask(input: $input) { type payload priority priorityValue } }"
    r, j = gql(g, q, {"input": {"type": kind, "payload": {"deep": {"a": [1, 2.5, "x", None]}}, "priority": "CRITICAL"}},
               "Make")
    suite.eq("createTask with variables (JSON variable, CRITICAL)", (j.get("data") or {}).get("createTask"),
             {"type": kind, "payload": {"deep": {"a": [1, 2.5, "x", None]}}, "priority": "CRITICAL",
              "priorityValue": 20})
    r, j = gql(g, 'mutation { createTask(input: {type: "%s"}) { payload priority maxAttempts status } }' % kind)
    suite.eq("createTask defaults: payload {}, NORMAL, maxAttempts 3", (j.get("data") or {}).get("createTask"),
             {"payload": {}, "priority": "NORMAL", "maxAttempts": 3, "status": "PENDING"})
    q = "query Q($id: ID!) { task(taskId: $id) { id } } query Other { taskStats { total } }"
    r, j = gql(g, q, {"id": int(ids[0])}, "Q")
    suite.eq("operationName picks the operation; ID variable given as an integer", (j.get("data") or {}).get("task"),
             {"id": ids[0]})
    # cancel / retry / jobs
    r, j = gql(g, 'mutation { cancelTask(taskId: "%s") }' % ids[2])
    suite.eq("cancelTask pending -> true", (j.get("data") or {}).get("cancelTask"), True)
    r, j = gql(g, 'mutation { cancelTask(taskId: "%s") }' % ids[2])
    suite.check("cancelTask again -> BAD_REQUEST 'Cannot cancel task %s: status is cancelled'" % ids[2],
                codes(j) == ["BAD_REQUEST"] and "Cannot cancel task %s: status is cancelled" % ids[2] in
                str(j.get("errors")), "BAD_REQUEST", r.text)
    r, j = gql(g, 'mutation { retryTask(taskId: "%s") { id status attempts } }' % ids[2])
    suite.eq("retryTask cancelled -> PENDING", ((j.get("data") or {}).get("retryTask") or {}).get("status"), "PENDING")
    r, j = gql(g, 'mutation { retryTask(taskId: "%s") { id } }' % ids[1])
    suite.check("retryTask pending -> BAD_REQUEST, path [retryTask]", codes(j) == ["BAD_REQUEST"] and
                (j.get("errors") or [{}])[0].get("path") == ["retryTask"], "BAD_REQUEST", r.text)
    f = create(w, {"type": "fail", "maxAttempts": 1})
    wait_status(w, f["id"], FINAL)
    r, j = gql(g, 'mutation { retryTask(taskId: "%s", resetAttempts: true) { attempts status } }' % f["id"])
    suite.check("retryTask(resetAttempts: true) on failed -> attempts 0", ((j.get("data") or {}).get("retryTask") or {})
                .get("attempts") == 0, 0, r.text)
    r, j = gql(g, 'mutation { createJob(input: {name: "gq", type: "echo", schedule: "0 9 * * *", '
                  'timezone: "Europe/Berlin", priority: LOW, payload: {a: 1}}) { %s } }' % ALL_JOB)
    no_errors(suite, "createJob every input field", r, j)
    job = (j.get("data") or {}).get("createJob") or {}
    suite.eq("createJob fields", [job.get(k) for k in ("name", "type", "schedule", "timezone", "payload", "priority",
                                                       "status", "lastRun", "runCount")],
             ["gq", "echo", "0 9 * * *", "Europe/Berlin", {"a": 1}, "LOW", "ACTIVE", None, 0])
    jid = job.get("id")
    r, j = gql(g, 'mutation { updateJob(jobId: "%s", input: {schedule: "30 2 * * *", timezone: "UTC", name: "gq2", '
                  'priority: CRITICAL, payload: {b: 2}}) { name schedule timezone priority payload nextRun } }' % jid)
    from rest_jobs import next_daily
    suite.eq("updateJob -> fields changed, nextRun recomputed", (j.get("data") or {}).get("updateJob"),
             {"name": "gq2", "schedule": "30 2 * * *", "timezone": "UTC", "priority": "CRITICAL", "payload": {"b": 2},
              "nextRun": next_daily(2, 30)})
    r, j = gql(g, 'mutation { updateJob(jobId: "%s", input: {schedule: "0 25 * * *"}) { id } }' % jid)
    suite.check("updateJob invalid cron -> BAD_REQUEST naming 'hour: 25 is out of range 0-23'",
                codes(j) == ["BAD_REQUEST"] and "hour: 25 is out of range 0-23" in str(j.get("errors")), "BAD_REQUEST",
                r.text)
    r, j = gql(g, 'mutation { triggerJob(jobId: "%s") { id jobId type priority priorityValue payload } }' % jid)
    tt = (j.get("data") or {}).get("triggerJob") or {}
    suite.eq("triggerJob -> Task with jobId", [tt.get(k) for k in ("jobId", "type", "priority", "payload")],
             [jid, "echo", "CRITICAL", {"b": 2}])
    r, j = gql(g, '{ job(jobId: "%s") { runCount lastRun } }' % jid)
    suite.eq("job runCount 1 after triggerJob", ((j.get("data") or {}).get("job") or {}).get("runCount"), 1)
    r, j = gql(g, 'mutation { pauseJob(jobId: "%s") }' % jid)
    r, j = gql(g, '{ jobs { id status nextRun } }')
    mine = [x for x in (j.get("data") or {}).get("jobs") or [] if x.get("id") == jid]
    suite.eq("jobs lists the paused job with nextRun null", mine, [{"id": jid, "status": "PAUSED", "nextRun": None}])
    r, j = gql(g, 'mutation { createJob(input: {name: "bad", type: "x", schedule: "0 25 * * *"}) { id } }')
    suite.check("createJob invalid cron -> BAD_REQUEST naming the field", codes(j) == ["BAD_REQUEST"] and
                "hour: 25 is out of range 0-23" in str(j.get("errors")), "BAD_REQUEST", r.text)
    r, j = gql(g, 'mutation { createJob(input: {name: "bad", type: "x", schedule: "* * * * *", timezone: "Mars/X"}) '
                  '{ id } }')
    suite.eq("createJob invalid time zone -> BAD_REQUEST", codes(j), ["BAD_REQUEST"])
    r, j = gql(g, 'mutation { createTask(input: {type: ""}) { id } }')
    suite.eq("createTask empty type -> BAD_REQUEST", codes(j), ["BAD_REQUEST"])


def check_errors(suite, g):
    for field, q in (("task", '{ task(taskId: "9999999") { id } }'), ("job", '{ job(jobId: "9999999") { id } }')):
        r, j = gql(g, q)
        err = (j.get("errors") or [{}])[0]
        suite.check("%s(unknown) -> data.%s null, NOT_FOUND, path [%s]" % (field, field, field),
                    (j.get("data") or {}).get(field, "absent") is None and "data" in j and codes(j) == ["NOT_FOUND"]
                    and err.get("path") == [field] and isinstance(err.get("message"), str),
                    {"data": {field: None}, "errors": [{"path": [field], "extensions": {"code": "NOT_FOUND"}}]}, r.text)
    r, j = gql(g, '{ task(taskId: "9999999") { id } }')
    suite.check("task(unknown) message 'Task 9999999 not found' (interpretation: REST message)",
                "Task 9999999 not found" in str(j.get("errors")), "Task 9999999 not found", r.text)
    for m in ("cancelTask(taskId: \"9999999\")", "pauseJob(jobId: \"9999999\")", "resumeJob(jobId: \"9999999\")",
              "deleteJob(jobId: \"9999999\")", "triggerJob(jobId: \"9999999\") { id }",
              "retryTask(taskId: \"9999999\") { id }", "updateJob(jobId: \"9999999\", input: {name: \"x\"}) { id }"):
        r, j = gql(g, "mutation { %s }" % m)
        suite.eq("mutation %s on unknown id -> NOT_FOUND" % m.split("(")[0], codes(j), ["NOT_FOUND"])
    r, j = gql(g, "{ tasks { tasks { id }")
    err = (j.get("errors") or [{}])[0]
    suite.check("parse error -> GRAPHQL_PARSE_FAILED with locations [{line, column}]",
                codes(j) == ["GRAPHQL_PARSE_FAILED"] and isinstance(err.get("locations"), list) and
                err["locations"] and set(err["locations"][0]) == {"line", "column"}, "code + locations", r.text)
    suite.check("parse error response has no data (or data null)", j.get("data") is None, "no data", r.text)
    r, j = gql(g, "{\n  tasks {\n    nope\n  }\n}")
    err = (j.get("errors") or [{}])[0]
    suite.check("unknown field -> GRAPHQL_VALIDATION_FAILED at line 3 column 5",
                "GRAPHQL_VALIDATION_FAILED" in codes(j) and err.get("locations") == [{"line": 3, "column": 5}],
                "code, locations [{line:3,column:5}]", r.text)
    for name, q in (("unknown argument", '{ task(id: "1") { id } }'),
                    ("wrong argument type", '{ tasks(limit: "ten") { total } }'),
                    ("missing required argument", "{ task { id } }"),
                    ("bad enum value", "{ tasks(status: DONE) { total } }"),
                    ("subselection missing", "{ tasks }"),
                    ("undefined variable", "query { task(taskId: $x) { id } }"),
                    ("unknown input field", 'mutation { createTask(input: {type: "x", bogus: 1}) { id } }'),
                    ("missing required input field", "mutation { createTask(input: {payload: {}}) { id } }")):
        r, j = gql(g, q)
        suite.check("%s -> GRAPHQL_VALIDATION_FAILED with locations" % name,
                    "GRAPHQL_VALIDATION_FAILED" in codes(j) and all(e.get("locations") for e in j.get("errors") or []),
                    "code + locations", r.text)
    r, j = gql(g, "query Q($id: ID!) { task(taskId: $id) { id } }", {})
    suite.check("missing required variable -> error (BAD_USER_INPUT/VALIDATION), no data", bool(j.get("errors")) and
                j.get("data") is None, "errors, data null", r.text)
    r = request(g, "POST", "/graphql", raw=b'{"query": ')
    suite.check("POST malformed JSON body -> 400 with errors (interpretation)", r.status == 400 and
                isinstance(r.json, dict) and r.json.get("errors"), "400 {errors}", r)
    q = urllib.parse.quote("{ taskStats { total } }")
    r = request(g, "GET", "/graphql?query=%s" % q)
    suite.check("GET ?query= works", r.status == 200 and isinstance((r.json or {}).get("data", {}).get("taskStats"),
                                                                    dict), "200 data.taskStats", r)
    q = urllib.parse.quote('mutation { createTask(input: {type: "x"}) { id } }')
    r = request(g, "GET", "/graphql?query=%s" % q)
    suite.eq("mutation over GET -> 405", r.status, 405)
    r = request(g, "GET", "/graphql", headers={"Accept": "text/html"})
    html = r.text.lower()
    suite.check("GET /graphql Accept text/html -> playground HTML", r.status == 200 and
                r.headers.get("content-type", "").startswith("text/html") and "<html" in html, "200 text/html",
                (r.status, r.headers.get("content-type"), r.text[:100]))
    suite.check("playground is self-contained (no external src/href)", not any(
        p in html for p in ('src="http', "src='http", 'href="http', "href='http", "src=\"//", "@import url(http")),
                "no external scripts/fonts", [l.strip() for l in r.text.splitlines() if "http" in l][:5])
    r = request(g, "GET", "/graphql?query=%s" % urllib.parse.quote("{ taskStats { total } }"),
                headers={"Accept": "text/html, application/json"})
    suite.check("GET with query and Accept text/html still executes or shows playground (200)", r.status == 200, 200,
                r.status)
    r, j = gql(g, schema_expected.QUERY)
    no_errors(suite, "introspection query", r, j)
    r2, j2 = gql(g, "{ __schema { types { name } } }")
    suite.check("`__schema { types { name } }` works", bool(((j2.get("data") or {}).get("__schema") or {})
                                                            .get("types")), "types list", r2.text[:200])
    r3, j3 = gql(g, '{ __type(name: "Task") { name kind } }')
    suite.eq("__type(name: \"Task\")", (j3.get("data") or {}).get("__type"), {"name": "Task", "kind": "OBJECT"})
    r4, j4 = gql(g, '{ __typename }')
    suite.eq("{ __typename } -> Query", (j4.get("data") or {}).get("__typename"), "Query")
    schema_expected.compare(suite, (j.get("data") or {}).get("__schema") or {})


def check_gateway_health(suite, g, worker_state):
    r = request(g, "GET", "/health")
    j = r.json or {}
    if worker_state == "up":
        suite.eq("gateway GET /health -> 200 {status ok, service api-gateway, worker up}",
                 (r.status, j.get("status"), j.get("service"), j.get("worker")), (200, "ok", "api-gateway", "up"))
    else:
        suite.eq("gateway GET /health with worker down -> 503 worker down",
                 (r.status, j.get("service"), j.get("worker")), (503, "api-gateway", "down"))


def check_unavailable(suite, g):
    for name, q in (("tasks", "{ tasks { total } }"), ("task", '{ task(taskId: "1") { id } }'),
                    ("createTask", 'mutation { createTask(input: {type: "x"}) { id } }'),
                    ("jobs", "{ jobs { id } }")):
        r, j = gql(g, q)
        err = (j.get("errors") or [{}])[0]
        suite.check("%s with the worker down -> 'Worker Service is unavailable', SERVICE_UNAVAILABLE" % name,
                    codes(j) == ["SERVICE_UNAVAILABLE"] and err.get("message") == "Worker Service is unavailable",
                    "message + code", r.text)
    r, j = gql(g, "{ __typename }")
    suite.eq("{ __typename } still answers with the worker down", (j.get("data") or {}).get("__typename"), "Query")
