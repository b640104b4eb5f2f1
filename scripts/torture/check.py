#!/usr/bin/env python3
"""The torture checker (issue 18): reads a history directory written by harness.py and proves the
guarantees of Docs/RELIABILITY.md ("Torture test") hold, or reports each violation with the part
of the history that shows it.

Usage: check.py HISTORY_DIR    (exit 0: no violation; 1: violations; 2: unreadable history)
"""

import datetime
import glob
import json
import os
import re
import sys
from collections import defaultdict

TERMINAL = ("completed", "failed", "cancelled")
STATUSES = ("pending", "processing", "completed", "failed", "cancelled", "retrying", "blocked")


def ms(text):
    """An API timestamp (or a Unix time in seconds) as integer milliseconds."""
    if text is None:
        return None
    if isinstance(text, (int, float)):
        return int(text * 1000)
    stamp = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
    return int(round(stamp.timestamp() * 1000))


def iso(milliseconds):
    stamp = datetime.datetime.fromtimestamp(milliseconds / 1000, tz=datetime.timezone.utc)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (milliseconds % 1000)


def compact(value, limit=400):
    text = json.dumps(value, separators=(",", ":"), sort_keys=True)
    return text if len(text) <= limit else text[:limit] + "..."


def read_jsonl(path):
    rows = []
    with open(path, errors="replace") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                rows.append(json.loads(line))
            except ValueError:
                rows.append({"unparsable": line[:200], "line": number, "file": os.path.basename(path)})
    return rows


class Attempt:
    """One attempt as a handler saw it (a start line and, unless the process died, a finish line)."""

    def __init__(self, start, instance):
        self.pid = start["pid"]
        self.task = start["taskId"]
        self.attempt = start["attempt"]
        self.type = start.get("type")
        self.instance = instance
        self.start = ms(start["time"])
        self.finish = None
        self.outcome = None
        self.result = None
        self.error = None

    def close(self, line):
        self.finish = ms(line["time"])
        self.outcome = line.get("outcome")
        self.result = line.get("result")
        self.error = line.get("error")

    def describe(self):
        end = "%s %s" % (iso(self.finish), self.outcome) if self.finish is not None else "never finished"
        extra = " result %s" % compact(self.result, 120) if self.outcome == "ok" else (
            " (%s)" % (self.error or "")[:80] if self.error else "")
        return "side log %s pid %d: task %s attempt %d started %s, %s%s" % (
            self.instance, self.pid, self.task, self.attempt, iso(self.start), end, extra)


class History:
    def __init__(self, directory):
        self.dir = directory
        self.meta = json.load(open(os.path.join(directory, "meta.json")))
        self.requests = read_jsonl(os.path.join(directory, "requests.jsonl"))
        self.faults = read_jsonl(os.path.join(directory, "faults.jsonl"))
        final = os.path.join(directory, "final")
        self.tasks = json.load(open(os.path.join(final, "tasks.json")))
        self.stats = json.load(open(os.path.join(final, "stats.json")))
        self.jobs = json.load(open(os.path.join(final, "jobs.json")))
        self.queues = json.load(open(os.path.join(final, "queues.json")))
        self.batches = json.load(open(os.path.join(final, "batches.json")))
        self.logs = json.load(open(os.path.join(final, "logs.json")))
        self.by_id = {t["id"]: t for t in self.tasks}
        self.attempts = defaultdict(list)  # task id -> [Attempt]
        self.unparsable = []
        for path in sorted(glob.glob(os.path.join(directory, "attempts", "*.jsonl"))):
            instance = os.path.basename(path)[:-len(".jsonl")]
            open_attempts = {}
            for line in read_jsonl(path):
                if "unparsable" in line:
                    self.unparsable.append(line)
                    continue
                # The token tells apart two runs of one attempt number in one process (a claim lost
                # in a server crash, then claimed again).
                key = (line["pid"], line["taskId"], line["attempt"], line.get("token"))
                if line["event"] == "start":
                    attempt = Attempt(line, instance)
                    open_attempts[key] = attempt
                    self.attempts[line["taskId"]].append(attempt)
                elif key in open_attempts:
                    open_attempts.pop(key).close(line)
        for attempts in self.attempts.values():
            attempts.sort(key=lambda a: a.start)
        # Worker stderr lines that name a task's completion or failure store error.
        self.store_errors = defaultdict(list)
        pattern = re.compile(r"(completeTasks?|failTask|releaseTask)\(task (\d+)\)")
        for path in glob.glob(os.path.join(directory, "logs", "w*.log")):
            with open(path, errors="replace") as f:
                for line in f:
                    for match in pattern.finditer(line):
                        self.store_errors[match.group(2)].append(os.path.basename(path) + ": " + line.strip()[:300])


class Checker:
    def __init__(self, history):
        self.h = history
        self.violations = defaultdict(list)
        self.figures = {}
        self.lease_ms = int(history.meta["lease"] * 1000)
        # With a worker whose machine's clock is off (--clock-offset-ms), its stamps are the server's
        # time only as closely as its alignment measured it (a few ms on the loopback), while the side
        # logs keep the true time: comparisons across the two clocks allow this much.
        self.skew_ms = 25 if any(history.meta.get("clockOffsetMs", {}).values()) else 0
        self.matched = {}  # task id -> the Attempt whose completion is stored
        self.fault_windows()

    def violate(self, check, message, excerpt=()):
        self.violations[check].append((message, list(excerpt)))

    # ------------------------------------------------------------------ shared views of the history

    def fault_windows(self):
        """Per pid: the instants it was killed, terminated, stopped (with SIGCONT); DB fault windows."""
        self.pid_faults = defaultdict(list)  # pid -> [(kind, start ms, end ms)]
        self.db_faults = []  # (kind, start ms, end ms, mode)
        stops = {}
        restart_open = None
        for f in self.h.faults:
            t = ms(f["time"])
            kind = f["kind"]
            if kind == "kill":
                self.pid_faults[f["pid"]].append(("kill", t, t))
            elif kind == "term":
                self.pid_faults[f["pid"]].append(("term", t, t + 20000))
            elif kind == "exited":
                # Narrow the SIGTERM window to the actual exit.
                faults = self.pid_faults[f["pid"]]
                for i, (k, s, e) in enumerate(faults):
                    if k == "term":
                        faults[i] = ("term", s, t)
            elif kind == "crashed":
                self.pid_faults[f["pid"]].append(("crashed", t, t))
            elif kind == "stop":
                stops[f["pid"]] = (t, f["seconds"])
            elif kind == "cont" and f["pid"] in stops:
                s, _ = stops.pop(f["pid"])
                self.pid_faults[f["pid"]].append(("stop", s, t))
            elif kind == "pg_terminate":
                self.db_faults.append(("pg_terminate", t, t, f.get("target")))
            elif kind == "pg_restart":
                restart_open = (t, f.get("mode"))
            elif kind in ("pg_up", "pg_restart-failed") and restart_open:
                self.db_faults.append(("pg_restart", restart_open[0], t, restart_open[1]))
                restart_open = None
        for pid, (s, _) in stops.items():
            self.pid_faults[pid].append(("stop", s, s + 10 ** 9))

    def stale(self, attempt):
        """The SIGSTOP window longer than the lease that an attempt ran across, if any."""
        for kind, s, e in self.pid_faults.get(attempt.pid, []):
            if kind == "stop" and e - s > self.lease_ms and attempt.start < s and (attempt.finish is None or attempt.finish > e):
                return (s, e)
        return None

    def lifecycle(self, task_id):
        logs = self.h.logs.get(task_id)
        return logs if isinstance(logs, list) else []

    def excerpt_task(self, task_id, logs=True, attempts=True):
        lines = []
        task = self.h.by_id.get(task_id)
        if task:
            keys = ("id", "type", "queue", "status", "attempts", "maxAttempts", "startedAt", "completedAt", "result", "error",
                    "dependsOn", "onDependencyFailure", "batchId", "jobId", "runAt", "createdAt")
            lines.append("task " + compact({k: task.get(k) for k in keys}, 600))
        if attempts:
            for a in self.h.attempts.get(task_id, []):
                lines.append(a.describe())
        if logs:
            for entry in self.lifecycle(task_id)[-14:]:
                lines.append("log %s [attempt %s] %s" % (entry["timestamp"], entry.get("attempt"), entry["message"][:120]))
        for line in self.h.store_errors.get(task_id, [])[:3]:
            lines.append(line)
        return lines

    def fault_lines(self, start, end, pid=None):
        lines = []
        for f in self.h.faults:
            t = ms(f["time"])
            if start - 1000 <= t <= end + 1000 and (pid is None or f.get("pid") in (pid, None)):
                lines.append("fault %s %s" % (iso(t), compact(f, 200)))
        return lines

    def acknowledged(self):
        """(request, task ids) of every request the service acknowledged with a new task or batch."""
        out = []
        for r in self.h.requests:
            status, answer = r.get("status"), r.get("answer")
            if r["method"] == "POST" and r["path"] == "/api/tasks" and status == 201:
                out.append((r, [answer["id"]]))
            elif r["path"] == "/api/batches" and status == 201:
                out.append((r, list(answer["taskIds"]) + ([answer["callbackTaskId"]] if answer.get("callbackTaskId") else [])))
            elif r["path"] == "/graphql" and status == 200 and isinstance(answer, dict):
                created = (answer.get("data") or {}).get("createTask")
                if created and created.get("id"):
                    out.append((r, [created["id"]]))
        return out

    # ------------------------------------------------------------------------------------ the checks

    def check_acknowledged(self):
        count = 0
        for request, ids in self.acknowledged():
            bodies = []
            if request["path"] == "/api/tasks":
                bodies = [request["body"]]
            elif request["path"] == "/api/batches":
                bodies = request["body"]["tasks"] + ([request["body"]["callback"]] if request["body"].get("callback") else [])
            else:
                bodies = [request["body"]["variables"]["input"]]
            for task_id, body in zip(ids, bodies):
                count += 1
                task = self.h.by_id.get(task_id)
                if task is None:
                    self.violate("acknowledged-not-lost", "task %s was acknowledged but is not in the final listing" % task_id,
                                 ["request #%d %s %s -> %s %s" % (request["seq"], request["method"], request["path"],
                                                                  request["status"], compact(request["answer"], 300))])
                elif task["type"] != body["type"] or (task.get("payload") or {}).get("rid") != body["payload"]["rid"]:
                    self.violate("acknowledged-not-lost", "task %s is not the task its request created" % task_id,
                                 ["request #%d body %s" % (request["seq"], compact(body, 300))] + self.excerpt_task(task_id))
        self.figures["acknowledged tasks"] = count

    def check_final_status(self):
        drain = self.h.meta.get("drain", {})
        for task in self.h.tasks:
            tid = task["id"]
            status = task["status"]
            if status not in TERMINAL:
                self.violate("final-status", "task %s is still %s after the drain (%s s)" % (tid, status, drain.get("seconds")),
                             self.excerpt_task(tid))
                continue
            problems = []
            if task.get("completedAt") is None:
                problems.append("completedAt is null")
            # (A completed task keeps the error of an earlier failed attempt: every store does so.)
            if status == "completed" and task.get("startedAt") is None:
                problems.append("completed without startedAt")
            if status == "completed" and task.get("startedAt") and task.get("completedAt") and \
                    ms(task["completedAt"]) < ms(task["startedAt"]):
                problems.append("completedAt before startedAt")
            if status == "failed" and not task.get("error"):
                problems.append("failed without an error")
            if task["attempts"] > task["maxAttempts"]:
                problems.append("%d attempts of at most %d" % (task["attempts"], task["maxAttempts"]))
            if status == "completed" and task["attempts"] < 1:
                problems.append("completed with 0 attempts")
            if problems:
                self.violate("final-status", "task %s (%s): %s" % (tid, status, "; ".join(problems)), self.excerpt_task(tid))

    # The lifecycle log, replayed against the transition table of API.md section 1 and 6.
    def check_lifecycle(self):
        checked = 0
        for task in self.h.tasks:
            tid = task["id"]
            logs = self.h.logs.get(tid)
            if not isinstance(logs, list):
                self.violate("lifecycle", "task %s: its log could not be read" % tid, [compact(logs)])
                continue
            if any("log cap reached" in e["message"] for e in logs):
                continue
            checked += 1
            state, attempts, completions = None, 0, 0
            problems = []

            def move(new, allowed, entry):
                nonlocal state
                if state not in allowed:
                    problems.append("%s -> %s at '%s' (%s)" % (state, new, entry["message"][:80], entry["timestamp"]))
                state = new

            for entry in logs:
                m = entry["message"]
                if m.startswith("created"):
                    move("pending", (None,), entry)
                elif m.startswith("blocked: waiting"):
                    move("blocked", ("pending",), entry)
                elif m == "dependencies finished: ready to run":
                    move("pending", ("blocked",), entry)
                elif re.match(r"attempt \d+ started$", m):
                    n = int(m.split()[1])
                    if n != attempts + 1 or entry.get("attempt") != n:
                        problems.append("'%s' after %d attempts" % (m, attempts))
                    attempts = n
                    move("processing", ("pending", "retrying"), entry)
                elif m.startswith("completed in "):
                    completions += 1
                    if entry.get("attempt") != attempts:
                        problems.append("completion logged for attempt %s while attempt %d ran" % (entry.get("attempt"), attempts))
                    move("completed", ("processing",), entry)
                elif re.match(r"attempt \d+ failed: ", m):
                    move("failed", ("processing",), entry)
                elif m.startswith("retry scheduled for "):
                    move("retrying", ("failed",), entry)
                elif m.startswith("lease expired: "):
                    move("retrying" if "returned to the queue" in m else "failed", ("processing",), entry)
                elif m.startswith("released: attempt "):
                    attempts -= 1
                    move("pending", ("processing",), entry)
                elif m == "cancelled" or m.startswith("cancelled: "):
                    move("cancelled", ("pending", "processing", "retrying", "blocked"), entry)
                elif m.startswith("job ") and " skipped, this task is still " in m:
                    pass
                elif entry.get("attempt") is not None:
                    # A handler's own line: only while its attempt runs (fenced afterwards).
                    if state != "processing" or entry["attempt"] != attempts:
                        problems.append("handler line of attempt %s written while %s (attempt %d): '%s'" % (
                            entry["attempt"], state, attempts, m[:60]))
                else:
                    problems.append("unknown line '%s'" % m[:80])
            if completions > 1:
                self.violate("single-completion", "task %s has %d completions recorded" % (tid, completions),
                             self.excerpt_task(tid))
            if state != task["status"]:
                problems.append("the log ends %s but the task is %s" % (state, task["status"]))
            if attempts != task["attempts"]:
                problems.append("the log counts %d attempts, the task %d" % (attempts, task["attempts"]))
            if problems:
                self.violate("lifecycle", "task %s: %s" % (tid, "; ".join(problems[:4])), self.excerpt_task(tid))
        self.figures["task logs replayed"] = checked

    def completion_record(self, task):
        """The side-log attempt whose completion the store holds: the last claim's attempt, which
        finished ok after the claim (startedAt) and before completedAt."""
        started, completed = ms(task["startedAt"]), ms(task["completedAt"])
        candidates = [a for a in self.h.attempts.get(task["id"], [])
                      if a.attempt == task["attempts"] and a.outcome == "ok" and a.start >= started - 1 - self.skew_ms
                      and a.finish is not None and a.finish <= completed + 1 + self.skew_ms]
        return candidates[-1] if candidates else None

    def check_fencing(self):
        stale_ok = stale_fenced = 0
        for task in self.h.tasks:
            tid = task["id"]
            attempts = self.h.attempts.get(tid, [])
            record = None
            if task["status"] == "completed":
                record = self.completion_record(task)
                if record is None:
                    self.violate("fencing", "task %s is completed (attempt %d, completedAt %s) but no attempt in the side log "
                                 "started after its claim and finished ok before the completion" % (
                                     tid, task["attempts"], task["completedAt"]), self.excerpt_task(tid))
                else:
                    self.matched[tid] = record
                    if json.dumps(record.result, sort_keys=True) != json.dumps(task.get("result"), sort_keys=True) and \
                            not (record.result in (None, {}) and task.get("result") is None):
                        self.violate("fencing", "task %s: the stored result is not what its completing attempt returned" % tid,
                                     ["stored result %s" % compact(task.get("result"))] + self.excerpt_task(tid))
                    logs = self.lifecycle(tid)
                    lost = [e for e in logs if e.get("attempt") == record.attempt and (
                        e["message"].startswith("lease expired") or e["message"].startswith("released"))
                            and ms(e["timestamp"]) <= ms(task["completedAt"])]
                    # A lease that ran out before this attempt's completion: the completion came from
                    # an attempt that had lost its lease.
                    if lost and ms(lost[-1]["timestamp"]) >= record.start + self.skew_ms:
                        self.violate("fencing", "task %s was completed by attempt %d after that attempt's lease was lost" % (
                            tid, record.attempt), self.excerpt_task(tid))
            for a in attempts:
                window = self.stale(a)
                if window and a.outcome == "ok" and a.finish is not None:
                    stale_ok += 1
                    later = [b for b in attempts if b.start > window[0]] or task["attempts"] > a.attempt or any(
                        e["message"].startswith("lease expired") and e.get("attempt") == a.attempt for e in self.lifecycle(tid))
                    if record is a and later:
                        self.violate("fencing", "task %s: the woken attempt %d of pid %d (stopped %.1f s, lease %d s) is the stored "
                                     "completion although its lease was lost" % (
                                         tid, a.attempt, a.pid, (window[1] - window[0]) / 1000, self.lease_ms // 1000),
                                     self.excerpt_task(tid) + self.fault_lines(window[0], window[1], a.pid))
                    elif record is not a:
                        stale_fenced += 1
        self.figures["woken attempts that finished after losing the lease"] = stale_ok
        self.figures["... of them fenced out"] = stale_fenced

    def explained(self, task, a):
        """Why an attempt that finished ok has no stored completion (so the task ran again), or None."""
        for e in self.lifecycle(task["id"]):
            if e.get("attempt") == a.attempt and ms(e["timestamp"]) >= a.start - self.skew_ms and (
                    e["message"].startswith("lease expired") or e["message"].startswith("released")
                    or e["message"] == "cancelled" or e["message"].startswith("cancelled: ")):
                return "log: " + e["message"][:60]
        for kind, s, e in self.pid_faults.get(a.pid, []):
            if s <= a.finish + 2000 and e >= a.start:
                return "pid %d %s" % (a.pid, kind)
        for kind, s, e, detail in self.h_db():
            if s <= a.finish + 2500 and e >= a.start - 500:
                return "%s %s" % (kind, detail)
        if self.h.store_errors.get(task["id"]):
            return "store error: " + self.h.store_errors[task["id"]][0][:120]
        return None

    def h_db(self):
        return self.db_faults

    def check_duplicates(self):
        duplicates = explained = 0
        reasons = defaultdict(int)
        for task in self.h.tasks:
            tid = task["id"]
            ok = [a for a in self.h.attempts.get(tid, []) if a.outcome == "ok"]
            if len(ok) <= 1:
                continue
            record = self.matched.get(tid)
            for a in ok:
                if a is record:
                    continue
                duplicates += 1
                reason = self.explained(task, a)
                if reason:
                    explained += 1
                    reasons[reason.split(":")[0].split(" ")[0]] += 1
                else:
                    check = "batch-callback" if task.get("batchId") and task["type"] == "collect" and \
                        self.is_callback(task) else "single-completion"
                    self.violate(check, "task %s ran to success %d times and no fault, lost lease or store error explains "
                                 "the run of pid %d attempt %d" % (tid, len(ok), a.pid, a.attempt),
                                 self.excerpt_task(tid) + self.fault_lines(a.start, a.finish))
        refused = sum(1 for lines in self.h.store_errors.values() for line in lines if "completeTask" in line)
        self.figures["completions the store refused with an error (worker logs)"] = refused
        self.figures["repeated successful executions (at-least-once)"] = duplicates
        self.figures["... explained by a fault or a lost lease"] = "%d %s" % (explained, dict(reasons) if reasons else "")

    def is_callback(self, task):
        return task["id"] in self.callbacks

    def check_cron(self):
        job_id = self.h.meta["cron"].get("jobId")
        job = next((j for j in self.h.jobs.get("jobs", []) if j["id"] == job_id), None)
        # A fire stamps createdAt (and first runAt) with its instant; runAt moves on a retry, so
        # the fire time is createdAt.
        tasks = sorted((t for t in self.h.tasks if t.get("jobId") == job_id), key=lambda t: (ms(t["createdAt"]), int(t["id"])))
        seconds = defaultdict(list)
        for t in tasks:
            seconds[ms(t["createdAt"]) // 1000].append(t)
        for second, group in seconds.items():
            if len(group) > 1:
                self.violate("cron", "%d tasks enqueued for the fire time %s" % (len(group), iso(second * 1000)),
                             ["task %s runAt %s createdAt %s" % (t["id"], t["runAt"], t["createdAt"]) for t in group])
        if job is None:
            self.violate("cron", "job %s is missing from GET /api/jobs" % job_id)
        elif job["runCount"] != len(tasks):
            self.violate("cron", "job %s counts %d runs but %d tasks carry its jobId" % (job_id, job["runCount"], len(tasks)),
                         [compact(job)])
        # No pile-up: a fire enqueues only when the job's previous task is final (API.md section 1).
        for previous, current in zip(tasks, tasks[1:]):
            if previous.get("completedAt") is None or ms(current["createdAt"]) < ms(previous["completedAt"]):
                self.violate("cron", "task %s was enqueued at %s while the job's previous task %s was unfinished (until %s)" % (
                    current["id"], current["createdAt"], previous["id"], previous.get("completedAt")),
                    self.excerpt_task(previous["id"], attempts=False) + self.excerpt_task(current["id"], attempts=False))
        paused = self.h.meta["cron"].get("pausedAck")
        if paused:
            late = [t for t in tasks if ms(t["createdAt"]) > ms(paused)]
            for t in late:
                self.violate("cron", "task %s fired at %s, after the pause was acknowledged at %s" % (
                    t["id"], t["createdAt"], iso(ms(paused))), self.excerpt_task(t["id"], attempts=False))
        span = (self.h.meta["faultsEnd"] - self.h.meta["loadStart"])
        self.figures["cron fires"] = "%d in %d s (one per second at most; fires are skipped while the previous task runs)" % (
            len(tasks), span)

    def intervals_from_logs(self, task_id):
        """(start, end) of each attempt of a task, from its lifecycle log."""
        out, start = [], None
        for e in self.lifecycle(task_id):
            m = e["message"]
            if re.match(r"attempt \d+ started$", m):
                start = ms(e["timestamp"])
            elif start is not None and (m.startswith("completed in ") or re.match(r"attempt \d+ failed: ", m)
                                        or m.startswith("lease expired") or m.startswith("released")
                                        or m == "cancelled" or m.startswith("cancelled: ")):
                out.append((start, ms(e["timestamp"])))
                start = None
        if start is not None:
            out.append((start, 10 ** 15))
        return out

    @staticmethod
    def peak(intervals):
        events = sorted([(s, 1) for s, _ in intervals] + [(e, -1) for _, e in intervals])
        running = peak = 0
        at = None
        for t, delta in events:
            running += delta
            if running > peak:
                peak, at = running, t
        return peak, at

    def check_concurrency(self):
        limit = self.h.meta["queues"]["conc"]["concurrency"]
        tasks = [t for t in self.h.tasks if t.get("queue") == "conc"]
        # startedAt..completedAt is the last attempt's time in `processing` only for a completed task:
        # a task cancelled or failed while waiting for a retry keeps the startedAt of an attempt that
        # ended long before (a lease that expired, say), and its completedAt is the cancel's time.
        done = [t for t in tasks if t.get("status") == "completed" and t.get("startedAt") and t.get("completedAt")]
        stored = [(ms(t["startedAt"]), ms(t["completedAt"])) for t in done]
        peak, at = self.peak(stored)
        if peak > limit:
            running = [t for t in done if ms(t["startedAt"]) <= at < ms(t["completedAt"])]
            self.violate("concurrency", "%d completed 'conc' tasks were processing at %s (limit %d), by startedAt/completedAt" % (
                peak, iso(at), limit), ["task %s %s..%s attempts %d" % (t["id"], t["startedAt"], t["completedAt"], t["attempts"])
                                        for t in running] + [line for t in running for line in self.excerpt_task(t["id"])])
        by_logs = []
        owner = []
        for t in tasks:
            for interval in self.intervals_from_logs(t["id"]):
                by_logs.append(interval)
                owner.append(t["id"])
        peak_logs, at_logs = self.peak(by_logs)
        if peak_logs > limit:
            running = [(owner[i], iv) for i, iv in enumerate(by_logs) if iv[0] <= at_logs < iv[1]]
            self.violate("concurrency", "%d 'conc' attempts were processing at %s (limit %d), by the lifecycle logs" % (
                peak_logs, iso(at_logs), limit), ["task %s attempt %s..%s" % (i, iso(s), iso(e) if e < 10 ** 14 else "-")
                                                  for i, (s, e) in running])
        self.figures["'conc' queue (concurrency %d)" % limit] = "%d tasks, %d attempts, peak %d" % (len(tasks), len(by_logs), max(peak, peak_logs))

    def check_rate(self):
        rule = self.h.meta["queues"]["rated"]["rateLimit"]
        limit, period = rule["limit"], rule["periodMs"]
        starts = []
        for t in self.h.tasks:
            if t.get("queue") == "rated":
                for e in self.lifecycle(t["id"]):
                    if re.match(r"attempt \d+ started$", e["message"]):
                        starts.append((ms(e["timestamp"]), t["id"]))
        starts.sort()
        worst, j = 0, 0
        for i in range(len(starts)):
            while starts[i][0] - starts[j][0] >= period:
                j += 1
            count = i - j + 1
            if count > worst:
                worst = count
            if count == limit + 1:
                self.violate("rate-limit", "%d 'rated' starts within %d ms (limit %d per %d ms)" % (count, period, limit, period),
                             ["start %s task %s" % (iso(s), tid) for s, tid in starts[j:i + 1]])
        self.figures["'rated' queue (%d per %d ms)" % (limit, period)] = "%d starts, worst window %d" % (len(starts), worst)

    def check_dependencies(self):
        checked = 0
        for task in self.h.tasks:
            deps = task.get("dependsOn") or []
            if not deps or task.get("batchId"):
                continue
            if task.get("onDependencyFailure") != "cancel":
                continue
            checked += 1
            tid = task["id"]
            dep_tasks = [self.h.by_id.get(d) for d in deps]
            if any(d is None for d in dep_tasks):
                self.violate("dependencies", "task %s depends on a task that is not in the listing" % tid, self.excerpt_task(tid))
                continue
            user_cancelled = tid in self.user_cancelled
            if task["status"] == "completed" or task.get("startedAt"):
                for d in dep_tasks:
                    if d["status"] != "completed":
                        self.violate("dependencies", "task %s ran although its dependency %s is %s" % (tid, d["id"], d["status"]),
                                     self.excerpt_task(tid) + self.excerpt_task(d["id"]))
                    elif task.get("startedAt") and ms(task["startedAt"]) < ms(d["completedAt"]) - self.skew_ms:
                        self.violate("dependencies", "task %s started at %s before its dependency %s completed at %s" % (
                            tid, task["startedAt"], d["id"], d["completedAt"]), self.excerpt_task(tid) + self.excerpt_task(d["id"]))
            for a in self.h.attempts.get(tid, []):
                for d in dep_tasks:
                    if not any(b.outcome == "ok" and b.finish is not None and b.finish <= a.start + self.skew_ms for b in self.h.attempts.get(d["id"], [])):
                        self.violate("dependencies", "task %s attempt %d (pid %d) started at %s before any attempt of its "
                                     "dependency %s had finished" % (tid, a.attempt, a.pid, iso(a.start), d["id"]),
                                     self.excerpt_task(tid) + self.excerpt_task(d["id"]))
            if task["status"] == "cancelled" and not user_cancelled:
                failed = [d for d in dep_tasks if d["status"] in ("failed", "cancelled")]
                if not failed:
                    self.violate("dependencies", "task %s was cancelled though every dependency completed" % tid,
                                 self.excerpt_task(tid))
                elif not re.match(r"dependency \d+ (failed|was cancelled)$", task.get("error") or ""):
                    self.violate("dependencies", "task %s was cancelled by a dependency with the error %r" % (tid, task.get("error")),
                                 self.excerpt_task(tid))
        self.figures["dependent tasks (policy cancel)"] = checked

    def check_batches(self):
        self.figures["batches"] = len(self.h.batches)
        for batch in self.h.batches:
            bid = batch["id"]
            members = [self.h.by_id.get(i) for i in batch["taskIds"]]
            if any(m is None for m in members):
                self.violate("batch-callback", "batch %s lists a task that is not in the listing" % bid, [compact(batch)])
                continue
            counts = {s: 0 for s in batch["counts"]}
            for m in members:
                counts[m["status"]] = counts.get(m["status"], 0) + 1
            if counts != batch["counts"] or batch["total"] != len(members):
                self.violate("stats", "batch %s counts %s, its tasks %s" % (bid, compact(batch["counts"]), compact(counts)))
            expected = "completed" if all(m["status"] == "completed" for m in members) else "failed"
            if batch["status"] != expected or not batch.get("finishedAt"):
                self.violate("batch-callback", "batch %s is %s (finishedAt %s); its tasks say %s" % (
                    bid, batch["status"], batch.get("finishedAt"), expected), [compact(batch)])
            cid = batch.get("callbackTaskId")
            callback = self.h.by_id.get(cid) if cid else None
            if callback is None:
                self.violate("batch-callback", "batch %s has no callback task in the listing" % bid, [compact(batch)])
                continue
            ok = [a for a in self.h.attempts.get(cid, []) if a.outcome == "ok"]
            if callback["status"] != "completed" or not ok:
                self.violate("batch-callback", "the callback %s of batch %s did not run to completion (%s, %d successful runs)" % (
                    cid, bid, callback["status"], len(ok)), self.excerpt_task(cid))
                continue
            started = ms(callback["startedAt"])
            for m in members:
                if ms(m["completedAt"]) > started + self.skew_ms:
                    self.violate("batch-callback", "the callback %s of batch %s started at %s before task %s ended at %s" % (
                        cid, bid, callback["startedAt"], m["id"], m["completedAt"]), self.excerpt_task(cid) + self.excerpt_task(m["id"]))
            results = (callback.get("result") or {}).get("results", {})
            for m in members:
                if json.dumps(results.get(m["id"]), sort_keys=True) != json.dumps(m.get("result"), sort_keys=True):
                    self.violate("batch-callback", "the callback %s of batch %s saw %s for task %s, which stored %s" % (
                        cid, bid, compact(results.get(m["id"]), 100), m["id"], compact(m.get("result"), 100)), self.excerpt_task(cid))

    def check_stats(self):
        counts = {s: 0 for s in STATUSES}
        by_type = defaultdict(lambda: {"total": 0, "completed": 0, "failed": 0})
        for t in self.h.tasks:
            counts[t["status"]] += 1
            by_type[t["type"]]["total"] += 1
            if t["status"] in ("completed", "failed"):
                by_type[t["type"]][t["status"]] += 1
        s = self.h.stats
        if s.get("total") != len(self.h.tasks):
            self.violate("stats", "stats/summary total %s, the listing holds %d tasks" % (s.get("total"), len(self.h.tasks)))
        for status in STATUSES:
            if s.get(status) != counts[status]:
                self.violate("stats", "stats/summary %s = %s, the listing has %d" % (status, s.get(status), counts[status]))
        if s.get("byType") != dict(by_type):
            self.violate("stats", "stats/summary byType %s, the listing %s" % (compact(s.get("byType")), compact(dict(by_type))))
        by_queue = defaultdict(lambda: {k: 0 for k in STATUSES})
        for t in self.h.tasks:
            by_queue[t.get("queue", "default")][t["status"]] += 1
        for q in self.h.queues.get("queues", []):
            expected = {k: by_queue[q["name"]][k] for k in q["counts"]}
            if q["counts"] != expected:
                self.violate("stats", "queue %s counts %s, the listing %s" % (q["name"], compact(q["counts"]), compact(expected)))

    def check_user_cancels(self):
        self.user_cancelled = set()
        cancels = 0
        for r in self.h.requests:
            if r["path"].endswith("/cancel") and r["path"].startswith("/api/tasks/") and r.get("status") == 200:
                tid = r["path"].split("/")[3]
                self.user_cancelled.add(tid)
                cancels += 1
                task = self.h.by_id.get(tid)
                if task is None or task["status"] != "cancelled" or task.get("result") is not None:
                    self.violate("user-cancel", "task %s was cancelled (200 at %s) but ended %s with result %s" % (
                        tid, iso(ms(r["t1"])), task and task["status"], compact(task and task.get("result"))),
                        self.excerpt_task(tid))
            elif r["path"].endswith("/cancel") and r.get("status") is None:
                self.user_cancelled.add(r["path"].split("/")[3])  # may have happened
        self.figures["user cancels acknowledged"] = cancels

    def check_phantoms(self):
        rids = set()
        for r in self.h.requests:
            body = r.get("body") or {}
            if r["path"] == "/api/tasks":
                rids.add(body.get("payload", {}).get("rid"))
            elif r["path"] == "/api/batches":
                for b in body.get("tasks", []) + ([body["callback"]] if body.get("callback") else []):
                    rids.add(b.get("payload", {}).get("rid"))
            elif r["path"] == "/graphql":
                rids.add(body.get("variables", {}).get("input", {}).get("payload", {}).get("rid"))
        seen = defaultdict(list)
        for t in self.h.tasks:
            rid = (t.get("payload") or {}).get("rid")
            if t.get("jobId"):
                continue
            if rid not in rids:
                self.violate("phantoms", "task %s was never requested" % t["id"], self.excerpt_task(t["id"], logs=False))
            else:
                seen[rid].append(t["id"])
        for rid, ids in seen.items():
            if len(ids) > 1:
                self.violate("phantoms", "one request (rid %s) created %d tasks: %s" % (rid, len(ids), ", ".join(ids)))

    def check_processes(self):
        for f in self.h.faults:
            if f["kind"] == "crashed":
                self.violate("processes", "worker %s (pid %s) exited by itself with code %s" % (f["worker"], f["pid"], f["code"]),
                             self.fault_lines(ms(f["time"]) - 5000, ms(f["time"])))
            elif f["kind"] == "exited" and f.get("code") != 0:
                self.violate("processes", "worker %s (pid %s) answered SIGTERM with exit code %s after %s s" % (
                    f["worker"], f["pid"], f.get("code"), f.get("seconds")))
            elif f["kind"] == "restart-failed":
                self.violate("processes", "worker %s could not be restarted after %s" % (f["worker"], f.get("after")))
        for name, result in (self.h.meta.get("shutdown") or {}).items():
            if result.get("code") != 0:
                self.violate("processes", "%s ended with %s at the final graceful shutdown (%s s)" % (
                    name, result.get("code"), result.get("seconds")))
        if self.h.unparsable:
            self.violate("processes", "%d side-log lines could not be parsed" % len(self.h.unparsable),
                         [compact(u) for u in self.h.unparsable[:5]])

    def run(self):
        self.callbacks = {b.get("callbackTaskId") for b in self.h.batches}
        self.check_user_cancels()
        self.check_acknowledged()
        self.check_phantoms()
        self.check_final_status()
        self.check_lifecycle()
        self.check_fencing()
        self.check_duplicates()
        self.check_cron()
        self.check_concurrency()
        self.check_rate()
        self.check_dependencies()
        self.check_batches()
        self.check_stats()
        self.check_processes()
        return self.violations


CHECKS = ["acknowledged-not-lost", "phantoms", "final-status", "lifecycle", "fencing", "single-completion", "cron",
          "concurrency", "rate-limit", "dependencies", "batch-callback", "stats", "user-cancel", "processes"]


def report(directory, out=sys.stdout, max_per_check=20):
    history = History(directory)
    checker = Checker(history)
    violations = checker.run()
    meta = history.meta
    faults = meta.get("faults", {})
    statuses = defaultdict(int)
    for t in history.tasks:
        statuses[t["status"]] += 1
    attempts = sum(len(v) for v in history.attempts.values())
    w = out.write
    w("store %s, seed %s, %.2f min of load, lease %s s, %d workers\n" % (
        meta["store"], meta["seed"], (meta["faultsEnd"] - meta["loadStart"]) / 60, meta["lease"], meta["workers"]))
    w("faults injected: %d (%s)\n" % (sum(faults.values()), ", ".join("%s %d" % kv for kv in sorted(faults.items()))))
    wl = meta.get("workload", {})
    w("requests: %d (%d acknowledged, %d refused, %d without an answer)\n" % (
        wl.get("requests", 0), wl.get("acknowledged", 0), wl.get("refused", 0), wl.get("ambiguous", 0)))
    w("tasks: %d (%s); side-log attempts: %d\n" % (
        len(history.tasks), ", ".join("%s %d" % kv for kv in sorted(statuses.items())), attempts))
    drain = meta.get("drain", {})
    w("drain: %s in %s s; snapshot %s s\n" % ("done" if drain.get("ok") else "NOT FINISHED", drain.get("seconds"),
                                             meta.get("snapshotSeconds")))
    for name, value in checker.figures.items():
        w("  %s: %s\n" % (name, value))
    total = 0
    for check in CHECKS:
        found = violations.get(check, [])
        total += len(found)
        w("  %-5s %s%s\n" % ("ok" if not found else "FAIL", check, "" if not found else " (%d violations)" % len(found)))
        for message, excerpt in found[:max_per_check]:
            w("        VIOLATION %s\n" % message)
            for line in excerpt[:24]:
                w("          | %s\n" % line)
        if len(found) > max_per_check:
            w("        ... %d more\n" % (len(found) - max_per_check))
    w("violations: %d\n" % total)
    return total, sum(faults.values()), len(history.tasks)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    try:
        violations, _, _ = report(sys.argv[1])
    except (OSError, ValueError, KeyError) as error:
        print("cannot read the history in %s: %s" % (sys.argv[1], error))
        sys.exit(2)
    sys.exit(1 if violations else 0)
