"""REST checks for /api/jobs (API.md sections 1 and 2)."""
import datetime
import zoneinfo

from harness import TIMESTAMP, request
from rest_tasks import error_shape, task_shape_problems, unique

JOB_FIELDS = ["id", "name", "type", "schedule", "timezone", "payload", "priority", "status", "lastRun", "nextRun",
              "lastTaskId", "runCount", "catchUp", "createdAt", "updatedAt"]
JOB_FIELDS += ["queue"]  # section 5 (flow control)


def iso(d):
    return d.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (d.microsecond // 1000)


def next_daily(hour, minute, tz="UTC"):
    """The next wall-clock hour:minute in tz after now, as ISO UTC."""
    zone = zoneinfo.ZoneInfo(tz)
    now = datetime.datetime.now(zone)
    candidate = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if candidate <= now:
        candidate = (now + datetime.timedelta(days=1)).replace(hour=hour, minute=minute, second=0, microsecond=0)
    return iso(candidate)


def job_shape_problems(j):
    if not isinstance(j, dict):
        return ["not an object: %r" % (j,)]
    problems = []
    missing = [k for k in JOB_FIELDS if k not in j]
    extra = [k for k in j if k not in JOB_FIELDS]
    if missing:
        problems.append("missing keys %s" % missing)
    if extra:
        problems.append("extra keys %s" % extra)
    for key, kind in (("id", str), ("name", str), ("type", str), ("schedule", str), ("timezone", str),
                      ("payload", dict), ("priority", int), ("status", str), ("runCount", int), ("catchUp", str)):
        if key in j and (not isinstance(j[key], kind) or isinstance(j[key], bool)):
            problems.append("%s should be %s, is %r" % (key, kind.__name__, j[key]))
    for key in ("createdAt", "updatedAt"):
        if not TIMESTAMP.match(str(j.get(key))):
            problems.append("%s not ISO ms Z: %r" % (key, j.get(key)))
    for key in ("lastRun", "nextRun"):
        if j.get(key) is not None and not TIMESTAMP.match(str(j[key])):
            problems.append("%s not null or ISO ms Z: %r" % (key, j[key]))
    if j.get("lastTaskId") is not None and not isinstance(j["lastTaskId"], str):
        problems.append("lastTaskId should be string or null: %r" % (j["lastTaskId"],))
    if j.get("status") not in ("active", "paused", "failed"):
        problems.append("status %r" % (j.get("status"),))
    return problems


def check_jobs(suite, w):
    body = {"name": "Daily Backup", "type": "backup", "schedule": "0 0 * * *", "payload": {}}
    r = request(w, "POST", "/api/jobs", body)
    suite.eq("POST /api/jobs reference body -> 201", r.status, 201)
    job = r.json or {}
    suite.eq("job has the exact Job shape", job_shape_problems(job), [])
    suite.eq("job defaults (timezone UTC, priority 5, status active, catchUp once, runCount 0, lastRun/lastTaskId null)",
             [job.get(k) for k in ("timezone", "priority", "status", "catchUp", "runCount", "lastRun", "lastTaskId")],
             ["UTC", 5, "active", "once", 0, None, None])
    suite.eq("nextRun of '0 0 * * *' = next midnight UTC", job.get("nextRun"), next_daily(0, 0))
    jid = job.get("id")
    r = request(w, "GET", "/api/jobs")
    suite.eq("GET /api/jobs -> 200", r.status, 200)
    lst = r.json or {}
    suite.eq("jobs list keys {jobs,total}", sorted(lst) if isinstance(lst, dict) else lst, ["jobs", "total"])
    suite.check("jobs list contains the job, total = len", any(x.get("id") == jid for x in lst.get("jobs", [])) and
                lst.get("total") == len(lst.get("jobs", [])), "job %s listed" % jid, lst)
    r = request(w, "GET", "/api/jobs/%s" % jid)
    suite.eq("GET /api/jobs/{id} -> 200 same job", (r.status, r.json), (200, job))

    r = request(w, "PATCH", "/api/jobs/%s" % jid, {"schedule": "30 2 * * *"})
    suite.eq("PATCH schedule -> 200", r.status, 200)
    suite.eq("PATCH schedule -> nextRun recomputed (next 02:30 UTC)", (r.json or {}).get("nextRun"), next_daily(2, 30))
    suite.eq("PATCH keeps other fields", ((r.json or {}).get("name"), (r.json or {}).get("schedule")),
             ("Daily Backup", "30 2 * * *"))
    r = request(w, "PATCH", "/api/jobs/%s" % jid, {"timezone": "America/New_York"})
    suite.eq("PATCH timezone -> nextRun = next 02:30 New York", ((r.json or {}).get("timezone"),
                                                                  (r.json or {}).get("nextRun")),
             ("America/New_York", next_daily(2, 30, "America/New_York")))
    r = request(w, "PATCH", "/api/jobs/%s" % jid, {"name": "Renamed", "payload": {"target": "s3"}, "priority": "high",
                                                   "maxAttempts": 5, "catchUp": "skip"})
    suite.eq("PATCH name/payload/priority(name)/maxAttempts/catchUp -> 200", r.status, 200)
    suite.eq("... values applied", [(r.json or {}).get(k) for k in ("name", "payload", "priority", "catchUp")],
             ["Renamed", {"target": "s3"}, 10, "skip"])
    error_shape(suite, "PATCH invalid schedule", request(w, "PATCH", "/api/jobs/%s" % jid, {"schedule": "0 25 * * *"}),
                400, contains="hour: 25 is out of range 0-23")
    error_shape(suite, "PATCH unknown field", request(w, "PATCH", "/api/jobs/%s" % jid, {"type": "x"}), 400,
                contains="type")
    error_shape(suite, "PATCH unknown job", request(w, "PATCH", "/api/jobs/9999999", {"name": "n"}), 404,
                message="Job 9999999 not found")

    r = request(w, "POST", "/api/jobs/%s/pause" % jid)
    suite.eq("pause -> 200 paused, nextRun null", (r.status, (r.json or {}).get("status"), (r.json or {}).get("nextRun")),
             (200, "paused", None))
    r = request(w, "POST", "/api/jobs/%s/pause" % jid)
    suite.eq("pause again (idempotent) -> 200 paused", (r.status, (r.json or {}).get("status")), (200, "paused"))
    r = request(w, "PATCH", "/api/jobs/%s" % jid, {"name": "Renamed2"})
    suite.eq("PATCH a paused job keeps it paused with nextRun null",
             ((r.json or {}).get("status"), (r.json or {}).get("nextRun")), ("paused", None))
    r = request(w, "POST", "/api/jobs/%s/resume" % jid)
    suite.eq("resume -> 200 active with nextRun", (r.status, (r.json or {}).get("status"),
                                                   (r.json or {}).get("nextRun")),
             (200, "active", next_daily(2, 30, "America/New_York")))
    r = request(w, "POST", "/api/jobs/%s/resume" % jid)
    suite.eq("resume again (idempotent) -> 200 active", (r.status, (r.json or {}).get("status")), (200, "active"))

    r = request(w, "POST", "/api/jobs/%s/trigger" % jid)
    suite.eq("trigger -> 201", r.status, 201)
    t = r.json or {}
    suite.eq("trigger returns a Task (shape)", task_shape_problems(t), [])
    suite.eq("triggered task: jobId, type, payload, priority from the job",
             [t.get(k) for k in ("jobId", "type", "payload", "priority")], [jid, "backup", {"target": "s3"}, 10])
    j2 = request(w, "GET", "/api/jobs/%s" % jid).json or {}
    suite.eq("after trigger: runCount 1, lastTaskId = task id, lastRun set",
             (j2.get("runCount"), j2.get("lastTaskId"), j2.get("lastRun") is not None), (1, t.get("id"), True))
    suite.eq("after trigger the triggered task has maxAttempts 5 from the job", t.get("maxAttempts"), 5)

    r = request(w, "DELETE", "/api/jobs/%s" % jid)
    suite.eq("DELETE -> 204 with empty body", (r.status, r.body), (204, b""))
    error_shape(suite, "GET deleted job", request(w, "GET", "/api/jobs/%s" % jid), 404, message="Job %s not found" % jid)
    error_shape(suite, "DELETE again", request(w, "DELETE", "/api/jobs/%s" % jid), 404)
    for action in ("pause", "resume", "trigger"):
        error_shape(suite, "%s unknown job" % action, request(w, "POST", "/api/jobs/9999999/%s" % action), 404,
                    message="Job 9999999 not found")

    r = request(w, "POST", "/api/jobs", {"name": "tz", "type": "echo", "schedule": "0 9 * * *",
                                         "timezone": "Europe/Berlin", "priority": "LOW", "maxAttempts": 2,
                                         "catchUp": "skip", "payload": {"a": 1}})
    suite.eq("POST job with all optional fields -> 201", r.status, 201)
    suite.eq("... timezone/priority/catchUp/nextRun", [(r.json or {}).get(k) for k in
                                                       ("timezone", "priority", "catchUp", "nextRun")],
             ["Europe/Berlin", 1, "skip", next_daily(9, 0, "Europe/Berlin")])
    for macro in ("@daily", "@hourly", "*/5 * * * *", "0 0 L * *", "0 0 * * 5L", "0 0 * * MON#2", "0 30 9 * * *"):
        r = request(w, "POST", "/api/jobs", {"name": "m", "type": "echo", "schedule": macro})
        suite.eq("schedule %r accepted" % macro, r.status, 201)
    bad = [({"type": "x", "schedule": "* * * * *"}, "name"), ({"name": "n", "schedule": "* * * * *"}, "type"),
           ({"name": "n", "type": "x"}, "schedule"),
           ({"name": "n", "type": "x", "schedule": "0 25 * * *"}, "hour: 25 is out of range 0-23"),
           ({"name": "n", "type": "x", "schedule": "61 * * * *"}, "minute: 61"),
           ({"name": "n", "type": "x", "schedule": "* * * *"}, "schedule"),
           ({"name": "n", "type": "x", "schedule": "* * * * *", "timezone": "Mars/Olympus"}, "Mars/Olympus"),
           ({"name": "n", "type": "x", "schedule": "* * * * *", "priority": 0}, "priority"),
           ({"name": "n", "type": "x", "schedule": "* * * * *", "catchUp": "always"}, "catchUp"),
           ({"name": "n", "type": "x", "schedule": "* * * * *", "bogus": 1}, "bogus"),
           ({"name": 3, "type": "x", "schedule": "* * * * *"}, "name")]
    for body, needle in bad:
        error_shape(suite, "POST /api/jobs %s" % body, request(w, "POST", "/api/jobs", body), 400, contains=needle)
    error_shape(suite, "POST /api/jobs malformed JSON", request(w, "POST", "/api/jobs", raw=b"{"), 400)
