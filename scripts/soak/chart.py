#!/usr/bin/env python3
"""Draws a soak run's samples.csv as one small, self-contained SVG (no scripts, no fonts to fetch).

  scripts/soak/chart.py RUN_DIR [OUT.svg [TITLE]]     (default RUN_DIR/chart.svg)

Six panels: RSS (total and anonymous), open file descriptors (and PostgreSQL connections), database
size, p50/p99 latency, tasks stored and backlog, request rate and errors. The warm-up, the plateau
and the tail of the flatness rule (check.py) are shaded; each checked series' limit for the tail is
a dashed line in its colour, marked "over the limit" when the tail's maximum exceeds it.
"""
import os
import sys
from xml.sax.saxutils import escape

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import check  # noqa: E402



def panel(out, x0, y0, w, h, rows, title, series, unit_scale=1.0, unit=""):
    """series: [(column, label, color, limit drawn?)]."""
    load = [r for r in rows if r.get("t_s") is not None]
    duration = max([r["t_s"] for r in load] or [1]) or 1
    ys = [r[c] / unit_scale for c, _, _, _ in series for r in load if r.get(c) is not None]
    bound_lines = []
    warm, plateau, tail = check.phases(rows)
    for column, _, color, limited in series:
        p = check.values(plateau, column)
        if limited and p and column in check.LIMITS:
            bound = check.limit_of(p, column, duration) / unit_scale
            over = max(check.values(tail, column) or [0]) / unit_scale > bound if check.LIMITS[column][0] == "max" else False
            bound_lines.append((bound, color, over))
    top = max(ys + [b for b, _, _ in bound_lines] + [1e-9])
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
    for bound, color, over in bound_lines:
        out.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-dasharray="4 3"/>' % (
            px(check.TAIL_START * duration), py(bound), px(duration), py(bound), color))
        if over:
            out.append('<text x="%.1f" y="%.1f" text-anchor="end" fill="%s" font-weight="bold">over the limit</text>' % (
                px(check.TAIL_START * duration) - 3, py(bound) + 3, color))
    legend_x = x0 + w - 8
    for column, label, color, _ in reversed(series):
        points = " ".join("%.1f,%.1f" % (px(r["t_s"]), py(r[column] / unit_scale)) for r in load if r.get(column) is not None)
        if points:
            out.append('<polyline fill="none" stroke="%s" stroke-width="1.4" points="%s"/>' % (color, points))
        out.append('<text x="%d" y="%d" text-anchor="end" fill="%s">%s</text>' % (legend_x, y0 + 13, color, escape(label)))
        legend_x -= 6 * len(label) + 10
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
           'shaded: warm-up (grey), plateau (blue), tail (orange); dashed: the tail\'s limit</text>' % (width - 10)]
    has_pg = any(r.get("pg_connections") is not None for r in rows)
    blue, red, light_blue, light_red, green, grey = "#1f77b4", "#d62728", "#6baed6", "#fc9272", "#2ca02c", "#777"
    panels = [
        ("RSS (MB)", [("worker_rss_kb", "worker", blue, True), ("gateway_rss_kb", "gateway", red, True),
                      ("worker_anon_kb", "w anon", light_blue, True), ("gateway_anon_kb", "g anon", light_red, True)], 1024.0, ""),
        ("open file descriptors", [("worker_fds", "worker", blue, True), ("gateway_fds", "gateway", red, True)] +
         ([("pg_connections", "pg conns", green, True)] if has_pg else []), 1.0, ""),
        ("database size (MB)", [("db_bytes", "db", blue, True)] + ([] if has_pg else [("wal_bytes", "-wal", grey, False)]),
         1048576.0, ""),
        ("latency per window (ms)", [("p99_ms", "p99", blue, True), ("p50_ms", "p50", red, False)], 1.0, ""),
        ("tasks", [("tasks_stored", "stored", blue, True), ("backlog", "backlog", red, True)], 1.0, ""),
        ("requests/s", [("rps", "rate", blue, False), ("errors", "errors", red, False)], 1.0, ""),
    ]
    for index, (name, series, scale, unit) in enumerate(panels):
        x0 = 10 + (index % 3) * (w + 10)
        y0 = 32 + (index // 3) * (h + 10)
        panel(out, x0, y0, w, h, rows, name, series, scale, unit)
    out.append('</svg>')
    return "\n".join(out) + "\n"


def write(directory, path=None, title=None):
    """Writes the chart of RUN_DIR (to RUN_DIR/chart.svg by default); returns its path."""
    rows = check.read_rows(os.path.join(directory, "samples.csv"))
    path = path or os.path.join(directory, "chart.svg")
    with open(path, "w") as f:
        f.write(render(rows, title or "soak test: %s" % os.path.basename(os.path.abspath(directory))))
    return path


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3, 4):
        print(__doc__)
        sys.exit(2)
    print(write(sys.argv[1], sys.argv[2] if len(sys.argv) >= 3 else None, sys.argv[3] if len(sys.argv) == 4 else None))
