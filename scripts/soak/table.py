#!/usr/bin/env python3
"""Prints the figures of one or more soak runs as a Markdown table (what Docs/RELIABILITY.md shows).

  scripts/soak/table.py RUN_DIR [RUN_DIR ...]

Per series: the value at the start (before the load), the plateau's statistic, the tail's statistic
(the maximum for resources, the median for p99 latency and the backlog; see check.py), the value
at the end, the limit of the flatness rule and the verdict.
"""
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import check  # noqa: E402


def figures(directory):
    rows = check.read_rows(os.path.join(directory, "samples.csv"))
    with open(os.path.join(directory, "summary.json")) as f:
        summary = json.load(f)
    warm, plateau, tail = check.phases(rows)
    duration = tail[-1]["t_s"]
    out = {}
    for column, (stat, rel, absolute, unit, what) in check.limits_for(duration).items():
        p, t, everything = check.values(plateau, column), check.values(tail, column), check.values(rows, column)
        if not p or not t:
            continue
        bound = check.limit_of(p, column, duration)
        tail_value = check.statistic(stat, t)
        out[what] = {"start": check.fmt(everything[0], unit), "plateau": check.fmt(check.statistic(stat, p), unit),
                     "tail": check.fmt(tail_value, unit), "end": check.fmt(everything[-1], unit),
                     "limit": check.fmt(bound, unit), "ok": tail_value <= bound, "stat": stat}
    return out, summary


def main():
    runs = [(os.path.basename(os.path.abspath(d)), figures(d)) for d in sys.argv[1:]]
    if not runs:
        print(__doc__)
        return 2
    names = []
    for _, (f, _) in runs:
        names += [n for n in f if n not in names]
    print("| series | " + " | ".join("%s: start / plateau / tail / end (limit)" % name for name, _ in runs) + " |")
    print("| --- |" + " --- |" * len(runs))
    for n in names:
        cells = []
        for _, (f, _) in runs:
            v = f.get(n)
            cells.append("-" if not v else "%s / %s / %s / %s (%s)%s" % (
                v["start"], v["plateau"], v["tail"], v["end"], v["limit"], "" if v["ok"] else " **over**"))
        stat = next(f[n]["stat"] for _, (f, _) in runs if n in f)
        print("| %s (%s) | %s |" % (n, stat, " | ".join(cells)))
    for name, (_, s) in runs:
        kinds = s.get("kinds", {})
        print("\n%s: %d requests in %.0f s (%.1f/s), %d errors; %d tasks created by clients, %s cron fires; %d tasks pruned in %d passes; "
              "%d events; drain %s s; statuses: %s" % (
                  name, s["requests"], s["loadSeconds"], s["achievedRate"], s["errors"], s["tasksCreatedByClients"],
                  s.get("cronRuns"), s["pruner"]["deleted"], s["pruner"]["runs"], s["events"]["received"], s.get("drainSeconds"),
                  ", ".join("%s %s" % (k, v) for k, v in sorted(merge(kinds).items()))))
        for kind, k in kinds.items():
            print("  %-22s %6d requests, p50 %6.1f ms, p99 %7.1f ms, max %7.1f ms" % (kind, k["requests"], k["p50_ms"], k["p99_ms"], k["max_ms"]))
    return 0


def merge(kinds):
    total = {}
    for k in kinds.values():
        for status, n in k["status"].items():
            total[status] = total.get(status, 0) + n
    return total


if __name__ == "__main__":
    sys.exit(main())
