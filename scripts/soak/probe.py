#!/usr/bin/env python3
"""Heap growth per request, one request kind at a time (the soak test's follow-up tool; Docs/RELIABILITY.md
"Soak test").

  scripts/soak/probe.py [--bin BIN] [-n 20000] [KIND,...]

Starts a `worker-demo worker --store memory` and a `worker-demo gateway` in front of it; for each kind,
sends 4,000 warm-up requests and then N more from four keep-alive threads as fast as they go, and
prints the growth of both processes' RssAnon (heap and stacks, /proc/PID/status) per request. A kind
that leaks shows a steady number of bytes per request; one that does not shows about 0.

Kinds: health (the gateway's /health, which asks the worker's), typename (`{ __typename }`, answered
by the gateway alone), taskStats, task (with a variable), jobs (GraphQL fields that call the worker),
rest (the worker's GET /api/tasks/stats/summary directly).
"""
import argparse
import os
import subprocess
import sys
import threading
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import harness  # noqa: E402


def anonymous_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("RssAnon:"):
                return int(line.split()[1])
    return None


def main():
    root = os.path.dirname(os.path.dirname(here))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kinds", nargs="?", default="health,typename,taskStats,task,jobs,rest")
    parser.add_argument("-n", type=int, default=20000, help="measured requests per kind (default 20000)")
    parser.add_argument("--bin", help="worker-demo binary (default: swift build -c $BUILD_CONFIG --show-bin-path)")
    args = parser.parse_args()
    if not args.bin:
        config = os.environ.get("BUILD_CONFIG", "release")
        path = subprocess.run(["swift", "build", "-c", config, "--show-bin-path"], cwd=root, capture_output=True, text=True)
        args.bin = os.path.join(path.stdout.strip(), "worker-demo")
    out = os.path.join(root, ".build", "soak", "probe")
    os.makedirs(out, exist_ok=True)
    worker = harness.Process("worker", args.bin, ["worker", "--store", "memory", "--port", "{port}"], os.path.join(out, "worker.log"))
    gateway = harness.Process("gateway", args.bin, ["gateway", "--port", "{port}", "--worker-url",
                                                    "http://127.0.0.1:%d" % worker.port], os.path.join(out, "gateway.log"))
    worker.start()
    gateway.start()
    try:
        client = harness.Client(10)
        status, task = client.call(worker.port, "POST", "/api/tasks", {"type": "echo", "payload": {"probe": True}})
        client.close()
        kinds = {
            "health": (gateway.port, "GET", "/health", None),
            "typename": (gateway.port, "POST", "/graphql", {"query": "{ __typename }"}),
            "taskStats": (gateway.port, "POST", "/graphql", {"query": "{ taskStats { total pending } }"}),
            "task": (gateway.port, "POST", "/graphql", {"query": "query($id: ID!) { task(taskId: $id) { id status } }",
                                                        "variables": {"id": task["id"]}}),
            "jobs": (gateway.port, "POST", "/graphql", {"query": "{ jobs { id name } }"}),
            "rest": (worker.port, "GET", "/api/tasks/stats/summary", None),
        }

        def blast(kind, n):
            port, method, path, body = kinds[kind]
            failures = []

            def lane():
                c = harness.Client(10)
                for _ in range(n // 4):
                    status, answer = c.call(port, method, path, body)
                    if status != 200:
                        failures.append((status, answer))
                c.close()
            threads = [threading.Thread(target=lane) for _ in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            if failures:
                raise RuntimeError("%s: %d failures, first %s" % (kind, len(failures), failures[0]))

        for kind in args.kinds.split(","):
            blast(kind, 4000)
            time.sleep(1)
            w0, g0 = anonymous_kb(worker.pid), anonymous_kb(gateway.pid)
            started = time.time()
            blast(kind, args.n)
            seconds = time.time() - started
            time.sleep(1)
            w1, g1 = anonymous_kb(worker.pid), anonymous_kb(gateway.pid)
            print("%-10s %6d requests in %5.1f s: gateway RssAnon %+6d kB (%+4.0f B/request), worker %+6d kB (%+4.0f B/request)" % (
                kind, args.n, seconds, g1 - g0, (g1 - g0) * 1024.0 / args.n, w1 - w0, (w1 - w0) * 1024.0 / args.n), flush=True)
    finally:
        gateway.terminate()
        worker.terminate()


if __name__ == "__main__":
    main()
