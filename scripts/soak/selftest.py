#!/usr/bin/env python3
"""Self-test of the soak checker (check.py): synthetic runs, each with one planted defect, must fail
exactly the check meant to catch it; a clean run, a run that only rises during its warm-up, and a
run with a single slow window must pass.

  scripts/soak/selftest.py [RUN_DIR]

Without RUN_DIR the series are made up (a 30-minute run sampled every 10 s and a 75 s CI run sampled
every 5 s, with noise). With RUN_DIR the defects are planted into that run's real samples instead
(its summary.json supplies the other checks' inputs). Prints one line per case; exit status 1 when
the checker misses a defect or flags a clean series.
"""
import copy
import json
import os
import random
import statistics
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import check  # noqa: E402
import harness  # noqa: E402


def synthetic(duration, step, seed):
    """A clean run: every resource rises in the first 10 % (warm-up) and then stays, with noise."""
    rng = random.Random(seed)
    rows = []
    completed = 0
    n = int(duration / step)
    for i in range(n + 1):
        t = i * step
        ramp = min(1.0, t / (0.1 * duration))
        completed += 0 if i == 0 else int(35 * step)
        rows.append({
            "t_s": float(t), "requests": 0 if i == 0 else 50 * step, "rps": 0 if i == 0 else 50.0, "errors": 0,
            "p50_ms": None if i == 0 else 6 + rng.random() * 2, "p99_ms": None if i == 0 else 45 + rng.random() * 25,
            "max_ms": None if i == 0 else 90 + rng.random() * 60,
            "worker_rss_kb": 35000 + 9000 * ramp + rng.randint(-300, 300),
            "worker_anon_kb": 8000 + 6000 * ramp + rng.randint(-300, 300),
            "gateway_anon_kb": 4000 + 1500 * ramp + rng.randint(-200, 200),
            "worker_fds": 20 + round(10 * ramp) + rng.randint(0, 2), "worker_threads": 8,
            "gateway_rss_kb": 37000 + 2000 * ramp + rng.randint(-200, 200),
            "gateway_fds": 16 + round(7 * ramp) + rng.randint(0, 2), "gateway_threads": 8,
            "db_bytes": 200000 + 7_000_000 * ramp + rng.randint(0, 50000), "wal_bytes": 4_000_000 * ramp,
            "pg_connections": None, "tasks_stored": round(2200 * ramp) + rng.randint(-100, 100),
            "backlog": rng.randint(0, 8), "completed_total": completed, "pruned_total": 0, "batches_stored": i * 2,
            "events_total": i * 1500,
        })
    return rows


def clean_summary(rows):
    return {"requests": 90000, "errors": 0, "rate": 50, "achievedRate": 49.8, "skippedActions": 0,
            "tasksCreatedByClients": 60000, "cronRuns": 5400, "drainSeconds": 0.5,
            "kinds": {"rest.create": {"requests": 20000, "errors": 0, "status": {"201": 20000}, "examples": []}},
            "pruner": {"runs": 180, "deleted": 50000, "failures": [], "p50_ms": 40, "max_ms": 200},
            "events": {"received": 100000, "connects": 60, "failures": []}, "samplerFailures": [],
            "exits": {"gateway": {"code": 0, "seconds": 0.01}, "worker": {"code": 0, "seconds": 0.02}}, "crashed": None}


def grow(rows, column, per_second, start_fraction=0.0):
    """Adds a steady leak: `per_second` units per second from start_fraction of the run on. A heap
    leak (an *_rss_kb column) grows the anonymous RSS as much."""
    rows = copy.deepcopy(rows)
    duration = rows[-1]["t_s"]
    columns = [column] + ([column.replace("_rss_", "_anon_")] if "_rss_" in column else [])
    for r in rows:
        for c in columns:
            if r.get(c) is not None:
                r[c] += per_second * max(0.0, r["t_s"] - start_fraction * duration)
    return rows


def cases(rows, summary, label, real=False):
    """[(name, rows, summary, the check names that must fail (empty: must pass))]"""
    duration = rows[-1]["t_s"]
    per_request = 50.0  # requests per second of the load
    out = [("clean", rows, summary, set())]
    # A series that climbs only in the warm-up (first 20 %), then stays: passes.
    warm = copy.deepcopy(rows)
    for r in warm:
        if r["t_s"] < 0.15 * duration:
            r["worker_rss_kb"] -= 6000
    out.append(("rise during the warm-up only", warm, summary, set()))
    # One slow window in the tail (a neighbour's build): passes (medians). Only in the made-up series: a
    # real run on a shared machine may already have slow windows of its own in a short tail.
    if not real:
        spike = copy.deepcopy(rows)
        spike[-3]["p99_ms"] = 900.0
        out.append(("one slow p99 window in the tail", spike, summary, set()))
    # Leaks, sized to what the rule is meant to catch in a run of this length.
    if duration >= 1200:
        out += [
            ("worker heap +200 B per request", grow(rows, "worker_rss_kb", 200 * per_request / 1024), summary,
             {"worker RSS flat", "worker anonymous RSS flat"}),
            ("worker heap +80 B per request", grow(rows, "worker_rss_kb", 80 * per_request / 1024), summary,
             {"worker anonymous RSS flat"}),
            ("gateway heap +1 MiB per minute", grow(rows, "gateway_rss_kb", 1024 / 60.0), summary,
             {"gateway RSS flat", "gateway anonymous RSS flat"}),
            ("worker fds +1 per 90 s", grow(rows, "worker_fds", 1 / 90.0), summary, {"worker open fds flat"}),
            ("gateway fds +1 per 90 s", grow(rows, "gateway_fds", 1 / 90.0), summary, {"gateway open fds flat"}),
            ("worker threads +1 per 5 min", grow(rows, "worker_threads", 1 / 300.0), summary, {"worker threads flat"}),
            ("database +1.5 MB per 10 min (about 45 bytes per task)", grow(rows, "db_bytes", 1.5e6 / 600), summary,
             {"database size flat"}),
        ]
        # Pruning stops half-way: the tasks (35/s) and their rows (~600 bytes each) pile up.
        stopped = grow(grow(rows, "db_bytes", 35 * 600.0, 0.5), "tasks_stored", 35.0, 0.5)
        out.append(("pruning stops half-way", stopped, summary, {"tasks stored flat", "database size flat"}))
    else:
        out += [
            ("worker heap +4 KiB per request", grow(rows, "worker_rss_kb", 4 * per_request), summary,
             {"worker RSS flat", "worker anonymous RSS flat"}),
            ("gateway heap +4 KiB per request", grow(rows, "gateway_rss_kb", 4 * per_request), summary,
             {"gateway RSS flat", "gateway anonymous RSS flat"}),
            ("worker fds +1 per 5 s", grow(rows, "worker_fds", 1 / 5.0), summary, {"worker open fds flat"}),
            ("gateway fds +1 per 5 s", grow(rows, "gateway_fds", 1 / 5.0), summary, {"gateway open fds flat"}),
            ("tasks stored: no pruning", grow(rows, "tasks_stored", 35.0), summary, {"tasks stored flat"}),
        ]
    slow = copy.deepcopy(rows)
    # Slower than the plateau's typical sample, not only than itself: a real run's tail can be much
    # quieter than its plateau (a neighbour busy early on), and three times a quiet sample is no
    # slowdown (seen in a local CI-length run: the plant passed the check).
    _, plateau, _ = check.phases(rows)
    typical = statistics.median([r["p99_ms"] for r in plateau if r["p99_ms"] is not None] or [0])
    for r in slow:
        if r["t_s"] >= 0.5 * duration and r["p99_ms"] is not None:
            r["p99_ms"] = max(r["p99_ms"], typical) * 3 + 50
    out.append(("p99 3x + 50 ms slower in the second half", slow, summary, {"p99 latency flat"}))
    deficit = 0.5 if duration >= 1200 else 5.0
    backlog = grow(rows, "backlog", deficit, 0.3)
    out.append(("backlog growing %g tasks/s (throughput short of the load)" % deficit, backlog, summary,
                {"backlog (pending, processing, retrying, blocked) flat"}))
    stall = copy.deepcopy(rows)
    for a, r in zip(stall[int(len(stall) * 0.7):], stall[int(len(stall) * 0.7) + 1:]):
        r["completed_total"] = a["completed_total"]
    out.append(("worker stops completing at 70 %", stall, summary, {"tasks processed in every window"}))
    s = copy.deepcopy(summary)
    s["errors"] = 1
    s["kinds"]["rest.create"]["errors"] = 1
    s["kinds"]["rest.create"]["examples"] = ["POST /api/tasks -> 503 {...}"]
    out.append(("one 503", rows, s, {"no request failed (5xx, transport, GraphQL, unexpected 4xx)"}))
    s = copy.deepcopy(summary)
    s["achievedRate"] = 40.0
    out.append(("load at 80 % of its rate", rows, s, {"load kept its rate"}))
    s = copy.deepcopy(summary)
    s["pruner"]["deleted"] = 0
    out.append(("pruner deleted nothing", rows, s, {"pruning deleted tasks"}))
    s = copy.deepcopy(summary)
    s["drainSeconds"] = None
    out.append(("queue not drained", rows, s, {"queue drained after the load"}))
    s = copy.deepcopy(summary)
    s["exits"]["worker"]["code"] = -9
    out.append(("worker did not exit 0", rows, s, {"processes ran through and exited 0"}))
    return [("%s: %s" % (label, name), r, s_, expect) for name, r, s_, expect in out]


def main():
    if len(sys.argv) == 2:
        rows = check.read_rows(os.path.join(sys.argv[1], "samples.csv"))
        with open(os.path.join(sys.argv[1], "summary.json")) as f:
            summary = json.load(f)
        for r in rows:  # the real run's columns, with None where empty
            for c in harness.COLUMNS:
                r.setdefault(c, None)
        label = "%s (%.0f s)" % (os.path.basename(os.path.abspath(sys.argv[1])), rows[-1]["t_s"])
        all_cases = cases(rows, summary, label, real=True)
    else:
        long_rows = synthetic(1800, 10, 1)
        short_rows = synthetic(75, 5, 2)
        all_cases = cases(long_rows, clean_summary(long_rows), "30 min") + cases(short_rows, clean_summary(short_rows), "CI 75 s")
    missed = 0
    for name, rows, summary, expect in all_cases:
        results = check.evaluate(rows, summary)
        expect = expect & {n for _, n, _ in results}  # a run without a column (an older CSV) has no check of it
        failed = {n for ok, n, _ in results if not ok}
        good = failed == expect
        print("  %-5s %s: %s" % ("ok" if good else "MISS", name,
                                  ("fails " + ", ".join(sorted(failed))) if failed else "passes"))
        if not good:
            missed += 1
    print("%d cases, %d wrong" % (len(all_cases), missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
