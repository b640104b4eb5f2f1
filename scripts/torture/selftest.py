#!/usr/bin/env python3
"""Self-test of the torture checker: takes a clean history (one a run wrote), plants one known
violation at a time in a copy held in memory, and requires the checker to report exactly that
kind. A checker that passes everything would pass this file's clean run too, and fail here.

Usage: selftest.py HISTORY_DIR    (exit 0 when every planted violation is found)
"""

import copy
import json
import sys

import check


def planted(history):
    """(name, expected check, function mutating a History in place; returns False if not applicable)."""
    h = history
    completed = [t for t in h.tasks if t["status"] == "completed" and not t.get("jobId") and h.attempts.get(t["id"])]
    acknowledged = [ids[0] for _, ids in check.Checker(copy.deepcopy(h)).acknowledged() if ids]

    def drop_acknowledged(x):
        tid = acknowledged[len(acknowledged) // 2]
        x.tasks = [t for t in x.tasks if t["id"] != tid]
        return True

    def leave_processing(x):
        t = x.by_id[completed[0]["id"]]
        t["status"] = "processing"
        return True

    def second_completion(x):
        logs = x.logs[completed[1]["id"]]
        done = [e for e in logs if e["message"].startswith("completed in ")]
        logs.append(dict(done[-1]))
        return True

    def wrong_result(x):
        x.by_id[completed[2]["id"]]["result"] = {"planted": True}
        return True

    def completion_before_finish(x):
        # The stored completion predates the finish of the attempt that holds the claim: it came
        # from somewhere else (a fenced-out worker).
        t = x.by_id[completed[3]["id"]]
        record = [a for a in x.attempts[t["id"]] if a.outcome == "ok"][-1]
        t["completedAt"] = check.iso(record.finish - 50)
        record.start = min(record.start, record.finish - 100)
        t["startedAt"] = check.iso(record.start)
        return True

    def stale_attempt_completes(x):
        # The woken worker's attempt is what the store kept, although its lease expired meanwhile.
        t = x.by_id[completed[4]["id"]]
        record = [a for a in x.attempts[t["id"]] if a.outcome == "ok"][-1]
        x.logs[t["id"]].insert(-1, {"timestamp": check.iso(min(record.start, check.ms(t["completedAt"]))), "level": "warn", "attempt": record.attempt,
                                    "message": "lease expired: the worker stopped renewing it; task returned to the queue"})
        return True

    def duplicate_cron(x):
        job = x.meta["cron"]["jobId"]
        fired = [t for t in x.tasks if t.get("jobId") == job]
        if not fired:
            return False
        twin = dict(fired[0], id="999999")
        x.tasks.append(twin)
        return True

    def overlap_conc(x):
        conc = [t for t in x.tasks if t.get("queue") == "conc" and t.get("status") == "completed" and t.get("startedAt")
                and t.get("completedAt")][:3]
        if len(conc) < 3:
            return False
        for t in conc[1:]:
            t["startedAt"], t["completedAt"] = conc[0]["startedAt"], conc[0]["completedAt"]
        return True

    def burst_rated(x):
        rated = [t for t in x.tasks if t.get("queue") == "rated"]
        limit = x.meta["queues"]["rated"]["rateLimit"]["limit"]
        if len(rated) <= limit:
            return False
        stamp = None
        for t in rated[:limit + 1]:
            for e in x.logs[t["id"]]:
                if e["message"].startswith("attempt ") and e["message"].endswith(" started"):
                    stamp = stamp or e["timestamp"]
                    e["timestamp"] = stamp
        return True

    def dependent_too_early(x):
        for t in x.tasks:
            if t.get("dependsOn") and not t.get("batchId") and t["status"] == "completed":
                dep = x.by_id[t["dependsOn"][0]]
                t["startedAt"] = check.iso(check.ms(dep["completedAt"]) - 10)
                return True
        return False

    def callback_twice(x):
        judge = check.Checker(x)
        for b in x.batches:
            runs = [a for a in x.attempts.get(b.get("callbackTaskId"), []) if a.outcome == "ok"]
            if runs:
                extra = copy.copy(runs[0])
                extra.pid = 1
                extra.start, extra.finish = runs[0].start - 5, runs[0].start - 2
                if judge.explained(x.by_id[b["callbackTaskId"]], extra):
                    continue  # a fault near that run would excuse it; plant it where none is
                x.attempts[b["callbackTaskId"]].insert(0, extra)
                return True
        return False

    def wrong_stats(x):
        x.stats["total"] += 1
        return True

    def cancelled_then_completed(x):
        for r in x.requests:
            if r["path"].endswith("/cancel") and r.get("status") == 200:
                t = x.by_id.get(r["path"].split("/")[3])
                if t:
                    t["status"] = "completed"
                    t["result"] = {"sleptMs": 1}
                    return True
        return False

    def phantom(x):
        t = dict(completed[5], id="999998", payload={"rid": "never-sent"})
        x.tasks.append(t)
        return True

    def crashed_worker(x):
        x.faults.append({"kind": "crashed", "worker": "w1", "pid": 4242, "code": -11, "time": x.meta["loadStart"] + 1})
        return True

    return [
        ("an acknowledged task is missing", "acknowledged-not-lost", drop_acknowledged),
        ("a task is left processing", "final-status", leave_processing),
        ("a task has two completions in its log", "single-completion", second_completion),
        ("a stored result no attempt returned", "fencing", wrong_result),
        ("a completion before its attempt finished", "fencing", completion_before_finish),
        ("a completion by an attempt that lost its lease", "fencing", stale_attempt_completes),
        ("a cron fire time enqueued twice", "cron", duplicate_cron),
        ("three 'conc' tasks at once", "concurrency", overlap_conc),
        ("a burst beyond the rate limit", "rate-limit", burst_rated),
        ("a dependent started before its dependency completed", "dependencies", dependent_too_early),
        ("a batch callback that ran twice without a fault", "batch-callback", callback_twice),
        ("stats that disagree with the listing", "stats", wrong_stats),
        ("a cancelled task that completed", "user-cancel", cancelled_then_completed),
        ("a task nobody requested", "phantoms", phantom),
        ("a worker that crashed", "processes", crashed_worker),
    ]


def main(directory):
    clean = check.History(directory)
    baseline = check.Checker(copy.deepcopy(clean)).run()
    if any(baseline.values()):
        print("checker self-test: the history is not clean to begin with (%d violations)" % sum(map(len, baseline.values())))
        return 1
    found = missed = skipped = 0
    for name, expected, mutate in planted(clean):
        history = copy.deepcopy(clean)
        if not mutate(history):
            skipped += 1
            print("  skip  %s (the history has nothing to plant it in)" % name)
            continue
        history.by_id = {t["id"]: t for t in history.tasks}
        violations = check.Checker(history).run()
        if violations.get(expected):
            found += 1
            print("  ok    %s -> %s" % (name, expected))
        else:
            missed += 1
            print("  MISS  %s: expected %s, got %s" % (name, expected, json.dumps({k: len(v) for k, v in violations.items()})))
    print("checker self-test: %d planted violations found, %d missed, %d not applicable" % (found, missed, skipped))
    return 1 if missed or found < 10 else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
