"""REST checks for /api/tasks (API.md sections 1 and 2)."""
import json
import uuid

from harness import TIMESTAMP, poll, request

TASK_FIELDS = ["id", "type", "payload", "priority", "status", "attempts", "maxAttempts", "result", "error",
               "progress", "uniqueKey", "jobId", "runAt", "createdAt", "updatedAt", "startedAt", "completedAt"]
TASK_FIELDS += ["queue", "concurrencyKey", "dependsOn", "onDependencyFailure", "batchId"]  # section 5: every Task JSON carries all five
FINAL = ("completed", "failed", "cancelled")
FAR = 3_600_000  # delayMs that keeps a task pending for the whole run


def ms(ts):
    import datetime
    d = datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
    return int(round(d.timestamp() * 1000))


def unique(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:8])


def task_shape_problems(t):
    """Every problem with a Task JSON object, as a list of strings (empty when it is right)."""
    if not isinstance(t, dict):
        return ["not an object: %r" % (t,)]
    problems = []
    missing = [k for k in TASK_FIELDS if k not in t]
    extra = [k for k in t if k not in TASK_FIELDS]
    if missing:
        problems.append("missing keys (nulls must be explicit) %s" % missing)
    if extra:
        problems.append("extra keys %s" % extra)
    types = {"id": str, "type": str, "payload": dict, "priority": int, "status": str, "attempts": int,
             "maxAttempts": int}
    for key, kind in types.items():
        if key in t and (not isinstance(t[key], kind) or isinstance(t[key], bool)):
            problems.append("%s should be %s, is %r" % (key, kind.__name__, t[key]))
    for key in ("error", "uniqueKey", "jobId"):
        if t.get(key) is not None and not isinstance(t[key], str):
            problems.append("%s should be string or null, is %r" % (key, t[key]))
    if t.get("progress") is not None and not (isinstance(t["progress"], int) and 0 <= t["progress"] <= 100):
        problems.append("progress should be null or 0...100, is %r" % (t["progress"],))
    for key in ("runAt", "createdAt", "updatedAt"):
        if not (isinstance(t.get(key), str) and TIMESTAMP.match(t[key])):
            problems.append("%s should be ISO 8601 UTC with ms and Z, is %r" % (key, t.get(key)))
    for key in ("startedAt", "completedAt"):
        if t.get(key) is not None and not (isinstance(t[key], str) and TIMESTAMP.match(t[key])):
            problems.append("%s should be null or ISO 8601 ms Z, is %r" % (key, t[key]))
    if isinstance(t.get("id"), str) and not t["id"].isdigit():
        problems.append("id should be a decimal integer string, is %r" % t["id"])
    if t.get("status") not in ("pending", "processing", "completed", "failed", "cancelled", "retrying", "blocked"):
        problems.append("unknown status %r" % (t.get("status"),))
    return problems


def error_shape(suite, name, r, status, message=None, contains=None):
    """Checks an error response: HTTP status and body {"statusCode","error","message"}."""
    reasons = {400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 413: "Payload Too Large"}
    suite.eq("%s -> HTTP %d" % (name, status), r.status, status)
    j = r.json
    ok = isinstance(j, dict) and set(j) == {"statusCode", "error", "message"} and j.get("statusCode") == status \
        and j.get("error") == reasons.get(status) and isinstance(j.get("message"), str)
    suite.check("%s -> body {statusCode:%d, error:%r, message}" % (name, status, reasons.get(status)), ok,
                {"statusCode": status, "error": reasons.get(status), "message": "..."}, r.text)
    if message is not None:
        suite.eq("%s -> message" % name, (j or {}).get("message") if isinstance(j, dict) else r.text, message)
    if contains is not None:
        msg = (j or {}).get("message", "") if isinstance(j, dict) else r.text
        suite.check("%s -> message mentions %r" % (name, contains), contains.lower() in str(msg).lower(),
                    "message containing %r" % contains, msg)


def create(w, body, expect=201):
    r = request(w, "POST", "/api/tasks", body)
    if r.status != expect:
        raise AssertionError("POST /api/tasks %s -> %r (expected %d)" % (json.dumps(body), r, expect))
    return r.json


def get_task(w, tid):
    return request(w, "GET", "/api/tasks/%s" % tid).json or {}


def wait_status(w, tid, statuses, deadline=20.0):
    return poll(lambda: get_task(w, tid), lambda t: t.get("status") in statuses, deadline)


def check_create(suite, w):
    r = request(w, "POST", "/api/tasks", {"type": "email", "payload": {}, "priority": 5})
    suite.eq("reference body {type:email,payload:{},priority:5} -> 201", r.status, 201)
    suite.eq("created task has the exact Task shape", task_shape_problems(r.json), [])
    r = request(w, "POST", "/api/tasks", {"type": "test-email", "payload": {"to": "user@example.com"}, "priority": 5})
    suite.eq("reference curl test-email -> 201", r.status, 201)
    t = r.json or {}
    suite.eq("payload echoed", t.get("payload"), {"to": "user@example.com"})

    t = create(w, {"type": unique("defaults")})
    suite.eq("default priority 5", t.get("priority"), 5)
    suite.eq("default payload {}", t.get("payload"), {})
    suite.eq("default maxAttempts 3", t.get("maxAttempts"), 3)
    suite.eq("new task status pending", t.get("status"), "pending")
    suite.eq("new task attempts 0", t.get("attempts"), 0)
    suite.check("explicit nulls on a new task (result,error,progress,uniqueKey,jobId,startedAt,completedAt)",
                all(k in t and t[k] is None for k in
                    ("result", "error", "progress", "uniqueKey", "jobId", "startedAt", "completedAt")),
                "all present and null", {k: t.get(k, "<missing>") for k in
                                         ("result", "error", "progress", "uniqueKey", "jobId", "startedAt",
                                          "completedAt")})
    suite.check("runAt defaults to createdAt (now)", t.get("runAt") == t.get("createdAt"), t.get("createdAt"),
                t.get("runAt"))
    first = create(w, {"type": unique("ids")})
    second = create(w, {"type": unique("ids")})
    suite.check("ids are increasing integer strings", str(first.get("id")).isdigit() and
                int(second["id"]) == int(first["id"]) + 1, "consecutive decimal strings",
                [first.get("id"), second.get("id")])
    r = request(w, "GET", "/api/tasks/%s" % first["id"])
    suite.eq("GET /api/tasks/{id} -> 200", r.status, 200)
    suite.eq("GET /api/tasks/{id} returns the same task", r.json, first)

    for given, value in (("low", 1), ("NORMAL", 5), ("High", 10), ("cRiTiCaL", 20), ("critical", 20)):
        r = request(w, "POST", "/api/tasks", {"type": unique("prio"), "priority": given, "delayMs": FAR})
        suite.eq("priority %r -> 201 with priority %d" % (given, value), (r.status, (r.json or {}).get("priority")),
                 (201, value))
    for value in (1, 20, 7):
        r = request(w, "POST", "/api/tasks", {"type": unique("prio"), "priority": value, "delayMs": FAR})
        suite.eq("priority %d accepted" % value, (r.status, (r.json or {}).get("priority")), (201, value))
    t = create(w, {"type": unique("max"), "maxAttempts": 7, "delayMs": FAR, "payload": {"a": [1, {"b": None}]}})
    suite.eq("maxAttempts 7 kept", t.get("maxAttempts"), 7)
    suite.eq("nested payload kept", t.get("payload"), {"a": [1, {"b": None}]})

    t = create(w, {"type": unique("runat"), "runAt": "2030-01-02T03:04:05.678Z"})
    suite.eq("runAt given -> echoed exactly", t.get("runAt"), "2030-01-02T03:04:05.678Z")
    suite.eq("future runAt -> pending", t.get("status"), "pending")
    t = create(w, {"type": unique("runat"), "runAt": "2030-01-02T03:04:05Z"})
    suite.eq("runAt without ms accepted, printed with .000Z", t.get("runAt"), "2030-01-02T03:04:05.000Z")
    t = create(w, {"type": unique("delay"), "delayMs": 60000})
    diff = ms(t["runAt"]) - ms(t["createdAt"]) if t.get("runAt") and t.get("createdAt") else None
    suite.check("delayMs 60000 -> runAt = createdAt + 60 s (+-1 s)", diff is not None and abs(diff - 60000) <= 1000,
                60000, diff)
    r = request(w, "POST", "/api/tasks", {"type": unique("timeout"), "timeoutMs": 5000, "delayMs": FAR})
    suite.eq("timeoutMs accepted -> 201", r.status, 201)


def check_unique_key(suite, w):
    key = unique("key")
    kind = unique("uk")
    r1 = request(w, "POST", "/api/tasks", {"type": kind, "uniqueKey": key, "delayMs": FAR})
    suite.eq("first uniqueKey create -> 201", r1.status, 201)
    suite.eq("uniqueKey echoed", (r1.json or {}).get("uniqueKey"), key)
    r2 = request(w, "POST", "/api/tasks", {"type": kind, "uniqueKey": key, "delayMs": FAR})
    suite.eq("same uniqueKey while pending -> 200", r2.status, 200)
    suite.eq("same uniqueKey -> the existing task", (r2.json or {}).get("id"), (r1.json or {}).get("id"))
    listed = request(w, "GET", "/api/tasks?type=%s" % kind).json or {}
    suite.eq("same uniqueKey created nothing (total 1 of that type)", listed.get("total"), 1)
    request(w, "POST", "/api/tasks/%s/cancel" % r1.json["id"])
    r3 = request(w, "POST", "/api/tasks", {"type": kind, "uniqueKey": key, "delayMs": FAR})
    suite.eq("uniqueKey after the first is final (cancelled) -> 201", r3.status, 201)
    suite.check("... and a new id", (r3.json or {}).get("id") not in (None, r1.json["id"]), "new id",
                (r3.json or {}).get("id"))
    key2 = unique("key")
    e1 = create(w, {"type": "echo", "uniqueKey": key2, "payload": {"k": 1}})
    wait_status(w, e1["id"], FINAL)
    r4 = request(w, "POST", "/api/tasks", {"type": "echo", "uniqueKey": key2})
    suite.eq("uniqueKey after the first completed -> 201 new task", (r4.status, (r4.json or {}).get("id") != e1["id"]),
             (201, True))


def check_create_errors(suite, w):
    r = request(w, "POST", "/api/tasks", raw=b'{"type": "email",')
    error_shape(suite, "malformed JSON", r, 400)
    r = request(w, "POST", "/api/tasks", raw=b'not json at all')
    error_shape(suite, "non-JSON body", r, 400)
    r = request(w, "POST", "/api/tasks", raw=b'')
    error_shape(suite, "empty body (type missing)", r, 400)
    r = request(w, "POST", "/api/tasks", {"payload": {}})
    error_shape(suite, "missing type", r, 400, contains="type")
    r = request(w, "POST", "/api/tasks", {"type": 5})
    error_shape(suite, "type is a number", r, 400, contains="type")
    r = request(w, "POST", "/api/tasks", {"type": ""})
    error_shape(suite, "empty type", r, 400, contains="type")
    r = request(w, "POST", "/api/tasks", {"type": "x" * 201})
    error_shape(suite, "type of 201 characters", r, 400, contains="type")
    r = request(w, "POST", "/api/tasks", {"type": "x" * 200, "delayMs": FAR})
    suite.eq("type of exactly 200 characters -> 201", r.status, 201)
    r = request(w, "POST", "/api/tasks", {"type": "bad\ntype"})
    error_shape(suite, "type with a control character", r, 400, contains="type")
    r = request(w, "POST", "/api/tasks", {"type": "x", "bogusField": 1})
    error_shape(suite, "unknown field bogusField", r, 400, contains="bogusField")
    for p in (0, 21, -1, 5.5):
        r = request(w, "POST", "/api/tasks", {"type": "x", "priority": p})
        error_shape(suite, "priority %r" % p, r, 400, contains="priority")
    r = request(w, "POST", "/api/tasks", {"type": "x", "priority": "urgent"})
    error_shape(suite, "priority name 'urgent'", r, 400, contains="priority")
    r = request(w, "POST", "/api/tasks", {"type": "x", "payload": [1, 2]})
    error_shape(suite, "payload is an array (must be an object)", r, 400, contains="payload")
    r = request(w, "POST", "/api/tasks", {"type": "x", "payload": "s"})
    error_shape(suite, "payload is a string", r, 400, contains="payload")
    r = request(w, "POST", "/api/tasks", {"type": "x", "maxAttempts": "3"})
    error_shape(suite, "maxAttempts is a string", r, 400, contains="maxAttempts")
    r = request(w, "POST", "/api/tasks", {"type": "x", "maxAttempts": 0})
    error_shape(suite, "maxAttempts 0 (interpretation: at least 1)", r, 400, contains="maxAttempts")
    r = request(w, "POST", "/api/tasks", {"type": "x", "runAt": "tomorrow"})
    error_shape(suite, "runAt not ISO 8601", r, 400, contains="runAt")
    r = request(w, "POST", "/api/tasks", {"type": "x", "delayMs": "10"})
    error_shape(suite, "delayMs is a string", r, 400, contains="delayMs")
    r = request(w, "POST", "/api/tasks", {"type": "x", "delayMs": -5})
    error_shape(suite, "delayMs negative (interpretation)", r, 400, contains="delayMs")
    r = request(w, "POST", "/api/tasks", {"type": "x", "uniqueKey": 7})
    error_shape(suite, "uniqueKey is a number", r, 400, contains="uniqueKey")
    r = request(w, "POST", "/api/tasks", raw=b'[1,2]')
    error_shape(suite, "body is a JSON array", r, 400)
    big = b'{"type":"x","payload":{"blob":"' + b"a" * (1024 * 1024 + 10) + b'"}}'
    r = request(w, "POST", "/api/tasks", raw=big)
    error_shape(suite, "body over 1 MiB", r, 413)
    ok_body = b'{"type":"big-ok","delayMs":3600000,"payload":{"blob":"' + b"a" * 900_000 + b'"}}'
    r = request(w, "POST", "/api/tasks", raw=ok_body)
    suite.eq("body of 900 kB (under 1 MiB) -> 201", r.status, 201)


def check_list(suite, w):
    kind = unique("list")
    ids = [create(w, {"type": kind, "delayMs": FAR})["id"] for _ in range(5)]
    r = request(w, "GET", "/api/tasks?type=%s" % kind)
    suite.eq("GET /api/tasks?type= -> 200", r.status, 200)
    j = r.json or {}
    suite.eq("list body keys", sorted(j) if isinstance(j, dict) else j, ["limit", "offset", "tasks", "total"])
    suite.eq("type filter total", j.get("total"), 5)
    suite.eq("newest first", [t.get("id") for t in j.get("tasks", [])], list(reversed(ids)))
    suite.eq("default limit 50, offset 0", (j.get("limit"), j.get("offset")), (50, 0))
    suite.eq("listed tasks have the Task shape", [p for t in j.get("tasks", []) for p in task_shape_problems(t)], [])
    j = request(w, "GET", "/api/tasks?type=%s&limit=2&offset=1" % kind).json or {}
    suite.eq("limit=2&offset=1 -> 2nd and 3rd newest", [t.get("id") for t in j.get("tasks", [])],
             [ids[3], ids[2]])
    suite.eq("limit/offset echoed, total is the full count", (j.get("limit"), j.get("offset"), j.get("total")),
             (2, 1, 5))
    j = request(w, "GET", "/api/tasks?type=%s&offset=10" % kind).json or {}
    suite.eq("offset past the end -> empty page, total kept", (j.get("tasks"), j.get("total")), ([], 5))
    j = request(w, "GET", "/api/tasks?limit=1000").json or {}
    suite.eq("limit=1000 accepted", j.get("limit"), 1000)
    # status filters
    failed = create(w, {"type": "fail", "maxAttempts": 1})
    wait_status(w, failed["id"], FINAL)
    request(w, "POST", "/api/tasks/%s/cancel" % ids[0])
    j = request(w, "GET", "/api/tasks?status=pending&limit=1000").json or {}
    suite.check("status=pending -> only pending", j.get("tasks") and all(t["status"] == "pending" for t in j["tasks"]),
                "all pending", sorted({t.get("status") for t in j.get("tasks", [])}))
    j = request(w, "GET", "/api/tasks?status=pending,failed&limit=1000").json or {}
    got = {t.get("id"): t.get("status") for t in j.get("tasks", [])}
    suite.check("status=pending,failed -> pending and failed only, both present",
                set(got.values()) == {"pending", "failed"} and failed["id"] in got and ids[1] in got,
                "statuses {pending, failed} incl. task %s (failed) and %s" % (failed["id"], ids[1]),
                sorted(set(got.values())))
    suite.eq("status=pending,failed total = number listed (limit 1000)", j.get("total"), len(got))
    j = request(w, "GET", "/api/tasks?status=cancelled&type=%s" % kind).json or {}
    suite.eq("status=cancelled&type= combined", [t.get("id") for t in j.get("tasks", [])], [ids[0]])
    j = request(w, "GET", "/api/tasks?status=PENDING&type=%s" % kind)
    suite.check("status=PENDING (upper case) -> 200 or 400 (interpretation: either)", j.status in (200, 400),
                "200/400", j.status)
    for q, what in (("limit=0", "limit"), ("limit=1001", "limit"), ("limit=abc", "limit"), ("offset=-1", "offset"),
                    ("status=bogus", "bogus"), ("status=pending,bogus", "bogus")):
        error_shape(suite, "GET /api/tasks?%s" % q, request(w, "GET", "/api/tasks?%s" % q), 400, contains=what)
