#!/usr/bin/env python3
"""Draws a soak run's samples.csv as one small, self-contained SVG (no scripts, no fonts to fetch).

  scripts/soak/chart.py RUN_DIR [OUT.svg]     (default RUN_DIR/chart.svg)

Six panels: RSS, open file descriptors, database size, p50/p99 latency, tasks stored and backlog,
request rate. The warm-up is shaded, the plateau and the tail of the flatness rule (check.py) are
marked, and for the flat-checked series the tail's limit is drawn as a dashed line.
"""
import os
import sys
from xml.sax.saxutils import escape

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import check  # noqa: E402

COLORS = ["#1f77b4", "#d62728", "#6baed6", "#fc9272"]


def panel(out, x0, y0, w, h, rows, title, series, unit_scale=1.0, unit="", limits=None):
    """series: [(column, label)]; limits: [column] whose tail limit is drawn."""
    load = [r for r in rows if r.get("t_s") is not None]
    duration = max([r["t_s"] for r in load] or [1]) or 1
    ys = [r[c] / unit_scale for c, _ in series for r in load if r.get(c) is not None]
    bound_lines = []
    warm, plateau, tail = check.phases(rows)
    for column in limits or []:
        p = check.values(plateau, column)
        if p:
            bound_lines.append(check.limit_of(p, column, duration) / unit_scale)
    top = max(ys + bound_lines + [1e-9])
    top = top * 1.08
    bottom = 0.0
    px = lambda t: x0 + 48 + (w - 68) * t / duration  # noqa: E731
    py = lambda v: y0 + h - 22 - (h - 44) * (v - bottom) / (top - bottom)  # noqa: E731
    out.append('<g font-family="sans-serif" font-size="10">')
    out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="#fff" stroke="#ccc"/>' % (x0, y0, w, h))
    # phases
    out.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#eee"/>' % (
        px(0), py(top), px(check.WARMUP * duration) - px(0), py(bottom) - py(top)))
    out.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#e8f0fb"/>' % (
        px(check.WARMUP * duration), py(top), px(check.PLATEAU_END * duration) - px(check.WARMUP * duration), py(bottom) - py(top)))
    out.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#fbf0e8"/>' % (
        px(check.TAIL_START * duration), py(top), px(duration) - px(check.TAIL_START * duration), py(bottom) - py(top)))
    out.append('<text x="%d" y="%d" font-size="11" font-weight="bold">%s</text>' % (x0 + 6, y0 + 13, escape(title)))
    # axes: 4 y ticks, 5 x ticks
    for i in range(5):
        v = bottom + (top - bottom) * i / 4
        out.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/>' % (px(0), py(v), px(duration), py(v)))
        out.append('<text x="%.1f" y="%.1f" text-anchor="end">%s</text>' % (px(0) - 3, py(v) + 3, short(v) + unit))
    for i in range(6):
        t = duration * i / 5
        label = "%d min" % round(t / 60) if duration >= 600 else "%d s" % round(t)
        out.append('<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>' % (px(t), y0 + h - 8, label))
    for bound in bound_lines:
        out.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#888" stroke-dasharray="4 3"/>' % (
            px(check.TAIL_START * duration), py(bound), px(duration), py(bound)))
    legend_x = x0 + w - 8
    for index, (column, label) in enumerate(reversed(series)):
        color = COLORS[(len(series) - 1 - index) % len(COLORS)]
        points = " ".join("%.1f,%.1f" % (px(r["t_s"]), py(r[column] / unit_scale)) for r in load if r.get(column) is not None)
        if points:
            out.append('<polyline fill="none" stroke="%s" stroke-width="1.4" points="%s"/>' % (color, points))
        out.append('<text x="%d" y="%d" text-anchor="end" fill="%s">%s</text>' % (legend_x, y0 + 13, color, escape(label)))
        legend_x -= 7 * len(label) + 12
    out.append('</g>')


def short(v):
    if v >= 100:
        return "%d" % round(v)
    if v >= 10:
        return "%.0f" % v
    if v >= 1:
        return "%.1f" % v
    return "%.2f" % v


def render(rows, title):
    width, height = 960, 560
    w, h = 310, 250
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">' % (width, height, width, height),
           '<rect width="100%" height="100%" fill="#fafafa"/>',
           '<text x="10" y="20" font-family="sans-serif" font-size="13" font-weight="bold">%s</text>' % escape(title),
           '<text x="%d" y="20" font-family="sans-serif" font-size="10" text-anchor="end" fill="#555">'
           'grey: warm-up; blue: plateau; orange: tail; dashed: the tail\'s limit</text>' % (width - 10)]
    has_pg = any(r.get("pg_connections") is not None for r in rows)
    panels = [
        ("RSS (MB)", [("worker_rss_kb", "worker"), ("gateway_rss_kb", "gateway"), ("worker_anon_kb", "w anon"),
                      ("gateway_anon_kb", "g anon")], 1024.0, "", ["worker_rss_kb", "gateway_rss_kb"]),
        ("open file descriptors", [("worker_fds", "worker"), ("gateway_fds", "gateway")] +
         ([("pg_connections", "pg conns")] if has_pg else []), 1.0, "", ["worker_fds", "gateway_fds"]),
        ("database size (MB)", [("db_bytes", "db")] + ([] if has_pg else [("wal_bytes", "-wal")]), 1048576.0, "", ["db_bytes"]),
        ("latency per window (ms)", [("p99_ms", "p99"), ("p50_ms", "p50")], 1.0, "", ["p99_ms"]),
        ("tasks", [("tasks_stored", "stored"), ("backlog", "backlog")], 1.0, "", ["tasks_stored", "backlog"]),
        ("requests/s", [("rps", "rate"), ("errors", "errors")], 1.0, "", []),
    ]
    for index, (name, series, scale, unit, limits) in enumerate(panels):
        x0 = 10 + (index % 3) * (w + 10)
        y0 = 32 + (index // 3) * (h + 10)
        panel(out, x0, y0, w, h, rows, name, series, scale, unit, limits)
    out.append('</svg>')
    return "\n".join(out) + "\n"


def write(directory, path=None, title=None):
    rows = check.read_rows(os.path.join(directory, "samples.csv"))
    path = path or os.path.join(directory, "chart.svg")
    with open(path, "w") as f:
        f.write(render(rows, title or "soak test: %s" % os.path.basename(os.path.abspath(directory))))
    return path


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        print(__doc__)
        sys.exit(2)
    print(write(sys.argv[1], sys.argv[2] if len(sys.argv) == 3 else None))
