#!/usr/bin/env python3
"""The soak test's checks (issue 18; Docs/RELIABILITY.md "Soak test").

  scripts/soak/check.py RUN_DIR     re-checks a run's samples.csv and summary.json

The flatness rule. The load phase (duration D, the t_s of the last sample) is cut by time into
  warm-up  [0, 0.2 D)      ignored: caches, pools, the SQLite change log, tables filling up to the
                           retention, the allocator finding its working set;
  plateau  [0.2 D, 0.4 D)  the reference;
  tail     [2/3 D, D]      the last third.
A series is flat when  stat(tail) <= stat(plateau) * (1 + rel) + abs,  with the statistic, rel and
abs per column in LIMITS: the maximum for resources (RSS, fds, threads, database size, PostgreSQL
connections, tasks stored), which must not creep up at all; the median of the per-sample values for
p99 latency and the backlog, which a busy neighbour on a shared machine can push up for a window or
two (a lasting doubling still fails).

A steady leak of g per second raises the tail's maximum over the plateau's by about 0.6 g D. With
the levels of a 30-minute run (worker RSS about 45 MB, database about 8 MB) the rule therefore fails
at about 0.5 MB/min of RSS (some 160 bytes per request at 50 requests/s), one file descriptor per
2-3 minutes, one thread per 9 minutes, 3 MB of database per 30 minutes; in the 75 s CI run at
about 4 KiB of RSS per request and one descriptor per 5 s. selftest.py plants such leaks.

The other checks: no request failed (5xx, transport error, GraphQL error, a 4xx where none is
expected), the sampler, the pruner and the event listener saw no error, the load reached 90 % of
its rate, the worker completed tasks in every window after the warm-up, the pruner deleted tasks,
the queue drained after the load, both processes ran to the end and exited 0 on SIGTERM.
"""
import csv
import json
import os
import statistics
import sys

WARMUP = 0.2
PLATEAU_END = 0.4
TAIL_START = 2.0 / 3.0

# column: (statistic, rel, abs, unit, what): flat when  stat(tail) <= stat(plateau) * (1 + rel) + abs,
# abs in the column's own unit. Resources use the maximum (they must not creep up at all); latency and
# the backlog, which a busy neighbour on a shared machine can push up for a window, use the median.
LIMITS = {
    "worker_rss_kb": ("max", 0.10, 4096, "kB", "worker RSS"),
    "gateway_rss_kb": ("max", 0.10, 4096, "kB", "gateway RSS"),
    "worker_anon_kb": ("max", 0.10, 1024, "kB", "worker anonymous RSS"),
    "gateway_anon_kb": ("max", 0.10, 1024, "kB", "gateway anonymous RSS"),
    "worker_fds": ("max", 0.0, 8, "", "worker open fds"),
    "gateway_fds": ("max", 0.0, 8, "", "gateway open fds"),
    "worker_threads": ("max", 0.0, 2, "", "worker threads"),
    "gateway_threads": ("max", 0.0, 2, "", "gateway threads"),
    "db_bytes": ("max", 0.10, 1 << 20, "B", "database size"),
    "pg_connections": ("max", 0.0, 2, "", "worker's PostgreSQL connections"),
    "tasks_stored": ("max", 0.25, 200, "", "tasks stored"),
    "backlog": ("median", 1.0, 50, "", "backlog (pending, processing, retrying, blocked)"),
    "p99_ms": ("median", 1.0, 50, "ms", "p99 latency"),
}
# Runs shorter than this (the CI run) end while the heaps still settle (the SQLite page caches fill
# as the database grows, libpq and the allocator find their working sets), so there the anonymous
# RSS gets 3 MB instead of 1 MB; the total RSS bound is the same for every length.
SHORT_RUN_SECONDS = 600
SHORT_RUN_ABS = {"worker_anon_kb": 3072, "gateway_anon_kb": 3072}
MIN_RATE = 0.9


def read_rows(path):
    rows = []
    with open(path) as f:
        for raw in csv.DictReader(f):
            row = {}
            for key, value in raw.items():
                try:
                    row[key] = float(value) if value not in ("", None) else None
                except ValueError:
                    row[key] = value
            rows.append(row)
    return rows


def phases(rows):
    """(warm-up, plateau, tail) rows of the load phase (the t=0 baseline row is left out)."""
    load = [r for r in rows if r["t_s"] and r["t_s"] > 0]
    if not load:
        return [], [], []
    duration = load[-1]["t_s"]
    warm = [r for r in load if r["t_s"] < WARMUP * duration]
    plateau = [r for r in load if WARMUP * duration <= r["t_s"] < PLATEAU_END * duration]
    tail = [r for r in load if r["t_s"] >= TAIL_START * duration]
    return warm, plateau, tail


def values(rows, column):
    return [r[column] for r in rows if r.get(column) is not None]


def statistic(name, series):
    return max(series) if name == "max" else statistics.median(series)


def limits_for(duration):
    """LIMITS, with the short-run allowances when the run lasted less than SHORT_RUN_SECONDS."""
    if duration >= SHORT_RUN_SECONDS:
        return LIMITS
    return {c: (v[0], v[1], SHORT_RUN_ABS.get(c, v[2])) + v[3:] for c, v in LIMITS.items()}


def limit_of(plateau_values, column, duration=SHORT_RUN_SECONDS):
    stat, rel, absolute, _, _ = limits_for(duration)[column]
    return statistic(stat, plateau_values) * (1 + rel) + absolute


def fmt(value, unit):
    if value is None:
        return "-"
    if unit == "kB":
        return "%.1f MB" % (value / 1024)
    if unit == "B":
        return "%.2f MB" % (value / 1048576)
    if unit == "ms":
        return "%.1f ms" % value
    return "%g" % round(value, 1)


def flatness(rows):
    """[(ok, name, detail)] for every LIMITS column present in the rows."""
    results = []
    warm, plateau, tail = phases(rows)
    if len(plateau) < 2 or len(tail) < 2:
        return [(False, "flatness", "too few samples: %d in the plateau, %d in the tail (need 2 each)" % (len(plateau), len(tail)))]
    duration = tail[-1]["t_s"]
    for column, (stat, rel, absolute, unit, what) in limits_for(duration).items():
        p, t = values(plateau, column), values(tail, column)
        if not p or not t:
            continue
        bound = limit_of(p, column, duration)
        ok = statistic(stat, t) <= bound
        everything = values(rows, column)
        detail = "start %s, plateau %s %s, tail %s %s, limit %s (%s%s), highest %s" % (
            fmt(everything[0], unit), stat, fmt(statistic(stat, p), unit), stat, fmt(statistic(stat, t), unit),
            fmt(bound, unit), "x%g " % (1 + rel) if rel else "", "+" + fmt(absolute, unit), fmt(max(everything), unit))
        results.append((ok, "%s flat" % what, detail))
    return results


def other_checks(rows, summary):
    results = []
    kinds = summary.get("kinds", {})
    bad = {k: v for k, v in kinds.items() if v["errors"]}
    detail = "%d requests, %d kinds" % (summary.get("requests", 0), len(kinds))
    if bad:
        detail = "; ".join("%s: %d (%s)" % (k, v["errors"], v["examples"][0] if v["examples"] else "") for k, v in bad.items())
    results.append((not bad and summary.get("errors", 0) == 0, "no request failed (5xx, transport, GraphQL, unexpected 4xx)", detail))
    rate, target = summary.get("achievedRate", 0), summary.get("rate", 0)
    results.append((rate >= MIN_RATE * target, "load kept its rate", "%.1f requests/s of %g (at least %d%%), %d actions skipped" % (
        rate, target, MIN_RATE * 100, summary.get("skippedActions", 0))))
    warm, plateau, tail = phases(rows)
    after = [r for r in rows if r["t_s"] and r["t_s"] >= (warm[-1]["t_s"] if warm else 0)]
    stalls = [r["t_s"] for a, r in zip(after, after[1:])
              if r.get("completed_total") is None or a.get("completed_total") is None or r["completed_total"] <= a["completed_total"]]
    completed = values(rows, "completed_total")
    results.append((not stalls and bool(completed), "tasks processed in every window",
                    "%d handler attempts completed (%d tasks created by clients, %s cron fires)%s" % (
                        completed[-1] if completed else 0, summary.get("tasksCreatedByClients", 0), summary.get("cronRuns"),
                        "; no progress at t = %s" % stalls if stalls else "")))
    drained = summary.get("drainSeconds")
    results.append((drained is not None, "queue drained after the load",
                    "in %s s" % drained if drained is not None else "not within the drain timeout"))
    pruner = summary.get("pruner", {})
    results.append((pruner.get("deleted", 0) > 0 and not pruner.get("failures"), "pruning deleted tasks",
                    "%d tasks in %d passes (median %.0f ms, max %.0f ms)%s" % (
                        pruner.get("deleted", 0), pruner.get("runs", 0), pruner.get("p50_ms", 0), pruner.get("max_ms", 0),
                        "; failures: %s" % pruner["failures"][:3] if pruner.get("failures") else "")))
    events = summary.get("events", {})
    results.append((events.get("received", 0) > 0 and not events.get("failures"), "event stream delivered",
                    "%d events over %d connections%s" % (events.get("received", 0), events.get("connects", 0),
                                                          "; failures: %s" % events["failures"][:3] if events.get("failures") else "")))
    failures = summary.get("samplerFailures", [])
    results.append((not failures, "sampler read every value", "; ".join(failures[:3]) or "%d samples" % len(rows)))
    exits = summary.get("exits", {})
    crashed = summary.get("crashed")
    codes = {name: e.get("code") for name, e in exits.items()}
    results.append((not crashed and codes and all(c == 0 for c in codes.values()), "processes ran through and exited 0",
                    crashed or ", ".join("%s %s in %s s" % (n, e.get("code"), e.get("seconds")) for n, e in exits.items())))
    return results


def evaluate(rows, summary):
    return flatness(rows) + other_checks(rows, summary)


def report(directory, prefix="  "):
    """Prints every check; returns (passed, failed)."""
    rows = read_rows(os.path.join(directory, "samples.csv"))
    with open(os.path.join(directory, "summary.json")) as f:
        summary = json.load(f)
    passed = failed = 0
    for ok, name, detail in evaluate(rows, summary):
        print("%s%-5s %s: %s" % (prefix, "ok" if ok else "FAIL", name, detail))
        if ok:
            passed += 1
        else:
            failed += 1
    return passed, failed


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    passed, failed = report(sys.argv[1])
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)
