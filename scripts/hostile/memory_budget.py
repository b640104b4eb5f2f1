#!/usr/bin/env python3
"""Memory budget check (issue 12): the process stays up with bounded memory under D1, D2 and D4.

Starts `worker-demo serve` (REST and the GraphQL gateway in one process) on a fresh store and,
for --seconds (default 60), drives at once and repeatedly:

  D1  the GraphQL document cache: distinct valid documents of ~1 MB (a long comment, 500 long
      aliases, a long string argument) and of ~60 KB (cacheable, under the cache's 64 KiB cap, so
      the cache fills to its byte budget); every 16th document is just over the 1 MiB limit and must
      be the documented 413 PAYLOAD_TOO_LARGE.
  D2  amplification: a 12 KB document of 500 aliases of `__schema { ...F }`, from 8 clients; each
      answer must be 200 with `data: null` and one RESPONSE_TOO_LARGE error.
  D4  cardinality: rounds of 20,000 tasks of distinct types (two batches of 10,000, fresh names each
      round), then /metrics and /api/tasks/stats/summary (byType and the type label bounded to 100
      names plus `__other__`), then the batches are cancelled and deleted; two more clients scrape
      both endpoints all the time.

Meanwhile it samples VmRSS of the process every second, and asks /health on both ports every
second. Checks: the highest VmRSS sample and the kernel's VmHWM are under --limit-mb (default 200,
in MB of 10^6 bytes); every /health answered 200; no 5xx and no transport error in any scenario;
every budget error is the documented one; the process is alive at the end and exits cleanly on
SIGTERM. Prints one `ok`/`FAIL` line per check, the figures, and exits 1 on any failure.

  scripts/hostile/memory_budget.py --bin .build/release/worker-demo [--store memory|sqlite]
      [--seconds 60] [--scenarios d1,d2,d4] [--limit-mb 200] [--json FILE]
Python 3 standard library only.
"""

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

MB = 1_000_000


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def read_status(pid):
    """VmRSS and VmHWM of `pid` in bytes, or None when the process is gone."""
    try:
        with open("/proc/%d/status" % pid) as f:
            text = f.read()
    except OSError:
        return None
    values = {}
    for line in text.splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            name, value = line.split(":", 1)
            values[name] = int(value.split()[0]) * 1024
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


class Tally:
    """Answers per scenario: counts by outcome, and the first few unexpected ones."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}
        self.bad = {}

    def add(self, scenario, outcome, detail=None):
        with self.lock:
            key = (scenario, outcome)
            self.counts[key] = self.counts.get(key, 0) + 1
            if detail is not None:
                self.bad.setdefault(scenario, [])
                if len(self.bad[scenario]) < 5:
                    self.bad[scenario].append(detail)

    def of(self, scenario):
        with self.lock:
            return {o: n for (s, o), n in self.counts.items() if s == scenario}


class Connection:
    """One keep-alive HTTP/1.1 connection, reopened after any transport error."""

    def __init__(self, port, timeout):
        self.port = port
        self.timeout = timeout
        self.conn = None

    def call(self, method, path, body=None, headers=None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            self.conn.request(method, path, body, headers or {})
            response = self.conn.getresponse()
            data = response.read()
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return response.status, data
        except (OSError, http.client.HTTPException):
            self.close()
            raise

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


JSON = {"Content-Type": "application/json"}


def graphql_body(document):
    return json.dumps({"query": document}).encode()


class Run:
    def __init__(self, args):
        self.args = args
        self.tally = Tally()
        self.stop = threading.Event()
        self.samples = []  # (seconds since start, rss bytes)
        self.health = []  # (seconds since start, port, status or error, latency)
        self.notes = []
        self.d4_rounds = 0
        self.d4_types = 0
        self.d1_sizes = {}
        self.closing = False
        self.d4_full_scrapes = 0

    # -- the server ---------------------------------------------------------------------------
    def start_server(self):
        a = self.args
        self.dir = tempfile.mkdtemp(prefix="memory-budget-")
        self.rest_port, self.gql_port = free_port(), free_port()
        store = "memory" if a.store == "memory" else "sqlite:" + os.path.join(self.dir, "worker.sqlite")
        env = dict(os.environ)
        for name in ("WORKER_STORE", "WORKER_API_TOKENS", "PORT"):
            env.pop(name, None)
        self.log_path = os.path.join(self.dir, "worker-demo.log")
        log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            (a.exec_prefix.split() if a.exec_prefix else []) + [a.bin, "serve", "--store", store, "--host", "127.0.0.1",
             "--worker-port", str(self.rest_port), "--gateway-port", str(self.gql_port)],
            env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        deadline = time.time() + 30
        while time.time() < deadline and self.proc.poll() is None:
            ok = 0
            for port in (self.rest_port, self.gql_port):
                try:
                    status, _ = Connection(port, 2).call("GET", "/health")
                    ok += status == 200
                except (OSError, http.client.HTTPException):
                    pass
            if ok == 2:
                return True
            time.sleep(0.1)
        return False

    def log_tail(self, lines=20):
        try:
            with open(self.log_path, "rb") as f:
                return b"\n".join(f.read().splitlines()[-lines:]).decode(errors="replace")
        except OSError:
            return ""

    # -- observers ----------------------------------------------------------------------------
    def sampler(self):
        while not self.stop.is_set():
            status = read_status(self.proc.pid)
            if status is None or self.proc.poll() is not None:
                self.notes.append("process gone at %.1f s" % (time.time() - self.t0))
                return
            self.samples.append((time.time() - self.t0, status[0]))
            self.stop.wait(1.0)

    def health_checker(self):
        conns = {port: Connection(port, self.args.health_timeout) for port in (self.rest_port, self.gql_port)}
        while not self.stop.is_set():
            for port, conn in conns.items():
                started = time.time()
                try:
                    status, _ = conn.call("GET", "/health")
                except (OSError, http.client.HTTPException) as error:
                    status = type(error).__name__
                self.health.append((started - self.t0, port, status, time.time() - started))
            self.stop.wait(1.0)

    # -- the scenarios ------------------------------------------------------------------------
    def call(self, scenario, conn, method, path, body=None, headers=None):
        """A request; transport errors and 5xx are tallied and return None."""
        try:
            status, data = conn.call(method, path, body, headers)
        except (OSError, http.client.HTTPException) as error:
            if not self.closing:  # requests still in flight when the server is stopped do not count
                self.tally.add(scenario, "transport error", "%s %s: %r" % (method, path, error))
            return None
        if status >= 500:
            self.tally.add(scenario, "5xx", "%s %s: %d %s" % (method, path, status, data[:200]))
            return None
        return status, data

    def expect(self, scenario, label, condition, detail):
        if condition:
            self.tally.add(scenario, label)
        else:
            self.tally.add(scenario, "unexpected", detail)

    def d1_client(self, index):
        """Distinct large valid documents; every 16th just over the 1 MiB limit (413)."""
        conn = Connection(self.gql_port, self.args.timeout)
        counter = 0
        filler = "x" * 1_000_000
        alias_tail = "y" * 1980
        while not self.stop.is_set():
            counter += 1
            tag = "c%dn%d" % (index, counter)
            kind = ("comment", "aliases", "string", "cacheable", "cacheable", "cacheable")[counter % 6]
            if counter % 16 == 0:
                kind = "oversized"
            if kind == "comment":
                document = "# %s %s\n{ __typename }" % (tag, filler[:999_900])
            elif kind == "aliases":
                # 500 aliases (the limit) of ~2,000 characters: the syntax tree holds the text too.
                document = "{ " + " ".join("%s_%d_%s: __typename" % (tag, i, alias_tail) for i in range(500)) + " }"
            elif kind == "string":
                document = '{ __type(name: "%s_%s") { name } }' % (tag, filler[:999_900])
            elif kind == "cacheable":
                # ~60 KB: under the 64 KiB cap, so it is cached and the cache reaches its byte budget.
                document = "{ " + " ".join("%s_%d_%s: __typename" % (tag, i, alias_tail) for i in range(30)) + " }"
            else:
                document = "# %s %s\n{ __typename }" % (tag, filler + "x" * 50_000)
            body = graphql_body(document)
            self.d1_sizes[kind] = len(body)
            answer = self.call("d1", conn, "POST", "/graphql", body, JSON)
            if answer is None:
                continue
            status, data = answer
            if kind == "oversized":
                code = self.error_code(data)
                self.expect("d1", "413 PAYLOAD_TOO_LARGE", status == 413 and code == "PAYLOAD_TOO_LARGE",
                            "oversized: %d %s" % (status, data[:200]))
                continue
            try:
                reply = json.loads(data)
            except ValueError:
                reply = None
            good = status == 200 and isinstance(reply, dict) and not reply.get("errors") and reply.get("data")
            self.expect("d1", "200 " + kind, good, "%s: %d %s" % (kind, status, data[:200]))

    @staticmethod
    def error_code(data):
        try:
            reply = json.loads(data)
            return reply["errors"][0]["extensions"]["code"]
        except (ValueError, KeyError, IndexError, TypeError):
            return None

    D2_FRAGMENT = ("fragment F on __Schema { types { name kind fields(includeDeprecated: true) { name args { name "
                   "type { name kind ofType { name kind ofType { name } } } } type { name kind ofType { name kind "
                   "ofType { name } } } } } }")

    def d2_client(self, index):
        conn = Connection(self.gql_port, self.args.timeout)
        document = "{ %s } %s" % (" ".join("a%d: __schema { ...F }" % i for i in range(500)), self.D2_FRAGMENT)
        body = graphql_body(document)
        self.d2_size = len(document)
        while not self.stop.is_set():
            answer = self.call("d2", conn, "POST", "/graphql", body, JSON)
            if answer is None:
                continue
            status, data = answer
            try:
                reply = json.loads(data)
                ok = (status == 200 and reply.get("data") is None and len(reply["errors"]) == 1
                      and reply["errors"][0]["extensions"]["code"] == "RESPONSE_TOO_LARGE"
                      and "select fewer fields" in reply["errors"][0]["message"] and len(data) < 2000)
            except (ValueError, KeyError, IndexError, TypeError, AttributeError):
                ok = False
            self.expect("d2", "200 RESPONSE_TOO_LARGE", ok, "%d %s" % (status, data[:300]))

    def d2p_client(self, index):
        """Not one of issue 12's rows (run it with --scenarios ...,d2p): the value budget counts a
        task's payload as one value, so 100 aliases of five 1 MB payloads ask for 500 MB; the answer
        must be RESPONSE_TOO_LARGE, written no further than the 16 MiB limit."""
        conn = Connection(self.gql_port, self.args.timeout)
        document = "{ %s }" % " ".join("a%d: tasks(type: \"d2p\", limit: 5) { tasks { payload } }" % i for i in range(100))
        body = graphql_body(document)
        while not self.stop.is_set():
            answer = self.call("d2p", conn, "POST", "/graphql", body, JSON)
            if answer is None:
                continue
            status, data = answer
            code = self.error_code(data)
            self.expect("d2p", "200 RESPONSE_TOO_LARGE", status == 200 and code == "RESPONSE_TOO_LARGE" and len(data) < 2000,
                        "%d %s" % (status, data[:300]))

    def d2p_setup(self):
        conn = Connection(self.rest_port, self.args.timeout)
        for _ in range(5):
            body = json.dumps({"type": "d2p", "payload": {"blob": "x" * 1_000_000}}).encode()
            answer = self.call("d2p", conn, "POST", "/api/tasks", body, JSON)
            self.expect("d2p", "201 task", answer is not None and answer[0] == 201, "setup: %r" % (answer,))

    def check_bounded(self, scenario, path, status, data, full=False):
        """byType of stats/summary, the type label of /metrics: at most 100 names plus __other__
        (`full`: right after a round's 20,000 types were created, so `__other__` must be there)."""
        if status != 200:
            self.tally.add(scenario, "unexpected", "%s: %d %s" % (path, status, data[:200]))
            return
        if path.startswith("/metrics"):
            # Every metric with a type label (worker_tasks_by_type, worker_tasks_finished_total, ...).
            types = {}
            for line in data.decode(errors="replace").splitlines():
                start = line.find('{type="') if not line.startswith("#") else -1
                if start >= 0:
                    types.setdefault(line[:start], set()).add(line[start + 7:line.find('"', start + 7)])
            by_type = types.get("worker_tasks_by_type", set())
            widest = max(types.items(), key=lambda item: len(item[1]), default=("-", set()))
            ok = len(widest[1]) <= 101 and (not full or "__other__" in by_type)
            self.expect(scenario, "200 /metrics bounded", ok,
                        "/metrics: %d type labels on %s" % (len(widest[1]), widest[0]))
        else:
            try:
                by_type = json.loads(data)["byType"]
            except (ValueError, KeyError, TypeError):
                by_type = None
            ok = isinstance(by_type, dict) and len(by_type) <= 101 and (not full or "__other__" in by_type)
            self.expect(scenario, "200 stats bounded", ok,
                        "stats: byType with %s keys" % (len(by_type) if isinstance(by_type, dict) else by_type))

    def d4_creator(self):
        """Rounds of 20,000 fresh task types: create, scrape, cancel, delete."""
        conn = Connection(self.rest_port, self.args.timeout)
        per_round = self.args.d4_types
        while not self.stop.is_set():
            round_ = self.d4_rounds
            batches = []
            for start in range(0, per_round, 10_000):
                prefix = "d4" if self.args.d4_reuse_types else "d4-r%d" % round_
                tasks = [{"type": "%s-%05d" % (prefix, i), "payload": {"i": i}}
                         for i in range(start, min(per_round, start + 10_000))]
                answer = self.call("d4", conn, "POST", "/api/batches", json.dumps({"tasks": tasks}).encode(), JSON)
                if answer is None:
                    continue
                status, data = answer
                self.expect("d4", "201 batch", status == 201, "batch: %d %s" % (status, data[:200]))
                if status == 201:
                    batches.append(json.loads(data)["id"])
                    self.d4_types += len(tasks)
            for path in ("/metrics", "/api/tasks/stats/summary"):
                answer = self.call("d4", conn, "GET", path)
                if answer:
                    full = len(batches) * 10_000 >= per_round > 101
                    self.check_bounded("d4", path, *answer, full=full)
                    self.d4_full_scrapes += full
            for batch in batches:
                answer = self.call("d4", conn, "POST", "/api/batches/%s/cancel" % batch, b"{}", JSON)
                if answer:
                    self.expect("d4", "200 batch cancel", answer[0] == 200, "cancel: %d %s" % answer)
                body = json.dumps({"action": "delete", "filter": {"batchId": batch}}).encode()
                answer = self.call("d4", conn, "POST", "/api/tasks/bulk", body, JSON)
                if answer:
                    self.expect("d4", "200 bulk delete", answer[0] == 200, "delete: %d %s" % answer)
            self.d4_rounds += 1

    def d4_scraper(self, index):
        conn = Connection(self.rest_port, self.args.timeout)
        paths = ("/metrics", "/api/tasks/stats/summary")
        n = 0
        while not self.stop.is_set():
            path = paths[(n + index) % 2]
            n += 1
            answer = self.call("d4", conn, "GET", path)
            if answer:
                self.check_bounded("d4", path, *answer)
            self.stop.wait(0.05)

    # -- the run ------------------------------------------------------------------------------
    def run(self):
        a = self.args
        if not self.start_server():
            print("worker-demo did not start:\n" + self.log_tail())
            return None
        self.t0 = time.time()
        baseline = read_status(self.proc.pid)
        self.baseline = baseline[0] if baseline else 0
        threads = [threading.Thread(target=self.sampler), threading.Thread(target=self.health_checker)]
        scenarios = set(a.scenarios.split(","))
        if "d1" in scenarios:
            threads += [threading.Thread(target=self.d1_client, args=(i,)) for i in range(a.d1_clients)]
        if "d2" in scenarios:
            threads += [threading.Thread(target=self.d2_client, args=(i,)) for i in range(a.d2_clients)]
        if "d2p" in scenarios:
            self.d2p_setup()
            threads += [threading.Thread(target=self.d2p_client, args=(i,)) for i in range(a.d2_clients)]
        if "d4" in scenarios:
            threads += [threading.Thread(target=self.d4_creator)]
            threads += [threading.Thread(target=self.d4_scraper, args=(i,)) for i in range(2)]
        for t in threads:
            t.daemon = True
            t.start()
        self.stop.wait(a.seconds)
        self.stop.set()
        # Requests in flight may finish within a few seconds; the rest are cut off by the stop below.
        deadline = time.time() + a.drain
        for t in threads:
            t.join(max(0.0, deadline - time.time()))
        self.elapsed = time.time() - self.t0
        self.alive = self.proc.poll() is None
        status = read_status(self.proc.pid) if self.alive else None
        self.end_rss, self.hwm = (status if status else (0, 0))
        self.after = []
        if self.alive:
            for port in (self.rest_port, self.gql_port):
                try:
                    self.after.append(Connection(port, 10).call("GET", "/health")[0])
                except (OSError, http.client.HTTPException) as error:
                    self.after.append(type(error).__name__)
            # Memory a few seconds after the load stopped (informative: freed memory need not return).
            time.sleep(a.settle)
            status = read_status(self.proc.pid)
            self.settled_rss = status[0] if status else 0
            self.closing = True
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.exit_code = self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.exit_code = "timeout"
        else:
            self.settled_rss = 0
            self.exit_code = self.proc.returncode
        return self.report(scenarios)

    def report(self, scenarios):
        a = self.args
        limit = a.limit_mb * MB
        max_rss = max((r for _, r in self.samples), default=0)
        at = next((t for t, r in self.samples if r == max_rss), 0)
        checks = []

        def check(ok, text):
            checks.append((ok, text))

        check(max_rss < limit and self.hwm < limit,
              "RSS stayed under %d MB: highest sample %.1f MB (at %.0f s), VmHWM %.1f MB, idle %.1f MB at start"
              % (a.limit_mb, max_rss / MB, at, self.hwm / MB, self.baseline / MB))
        check(len(self.samples) >= int(a.seconds * 0.8), "%d RSS samples in %.0f s" % (len(self.samples), self.elapsed))
        check(self.alive, "worker-demo alive after %.0f s of load" % self.elapsed)
        bad_health = [h for h in self.health if h[2] != 200]
        slowest = max((h[3] for h in self.health), default=0)
        check(self.health and not bad_health and self.after == [200, 200],
              "/health answered 200 on both ports during the run (%d checks, slowest %.2f s)%s"
              % (len(self.health), slowest, "" if not bad_health else ": %d failed, first %r" % (len(bad_health), bad_health[0])))
        for scenario in ("d1", "d2", "d2p", "d4"):
            if scenario not in scenarios:
                continue
            counts = self.tally.of(scenario)
            errors = {k: v for k, v in counts.items() if k in ("transport error", "5xx", "unexpected")}
            good = {k: v for k, v in counts.items() if k not in errors}
            extra = " (%d rounds, %d task types)" % (self.d4_rounds, self.d4_types) if scenario == "d4" else ""
            text = "%s: %d answers as documented%s: %s" % (
                scenario, sum(good.values()), extra, ", ".join("%s %d" % kv for kv in sorted(good.items())))
            if errors:
                text += "; NOT as documented: %s; e.g. %s" % (
                    ", ".join("%s %d" % kv for kv in sorted(errors.items())), self.tally.bad.get(scenario, [])[:2])
            need = {"d1": 3, "d2": 8, "d2p": 6, "d4": 3}[scenario]
            check(not errors and sum(good.values()) >= need and (scenario != "d4" or self.d4_full_scrapes >= 1), text)
        check(self.exit_code == 0, "SIGTERM: exit status %s" % self.exit_code)
        for ok, text in checks:
            print("  %s  %s" % ("ok  " if ok else "FAIL", text))
        print("  figures (%s store, %s): idle %.1f MB, max %.1f MB, VmHWM %.1f MB, at the end %.1f MB, %.0f s later %.1f MB"
              % (a.store, ",".join(sorted(scenarios)), self.baseline / MB, max_rss / MB, self.hwm / MB,
                 self.end_rss / MB, a.settle, self.settled_rss / MB))
        if not all(ok for ok, _ in checks):
            print("  worker-demo log (last lines):\n" + "\n".join("    " + l for l in self.log_tail().splitlines()))
        result = {
            "store": a.store, "scenarios": sorted(scenarios), "seconds": round(self.elapsed, 1),
            "idle_mb": round(self.baseline / MB, 1), "max_rss_mb": round(max_rss / MB, 1),
            "hwm_mb": round(self.hwm / MB, 1), "end_mb": round(self.end_rss / MB, 1),
            "settled_mb": round(self.settled_rss / MB, 1),
            "samples": [(round(t, 1), round(r / MB, 1)) for t, r in self.samples],
            "answers": {s: self.tally.of(s) for s in scenarios}, "d4_rounds": self.d4_rounds,
            "d1_body_bytes": self.d1_sizes,
            "passed": sum(ok for ok, _ in checks), "failed": sum(not ok for ok, _ in checks),
        }
        if a.json:
            with open(a.json, "w") as f:
                json.dump(result, f, indent=1)
        return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", required=True, help="the worker-demo binary")
    parser.add_argument("--store", choices=["memory", "sqlite"], default="memory")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--scenarios", default="d1,d2,d4")
    parser.add_argument("--limit-mb", type=float, default=200)
    parser.add_argument("--d1-clients", type=int, default=2)
    parser.add_argument("--d2-clients", type=int, default=8)
    parser.add_argument("--d4-types", type=int, default=20_000, help="distinct task types per D4 round")
    parser.add_argument("--d4-reuse-types", action="store_true",
                        help="the same type names every D4 round (default: fresh names each round)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds a request may take")
    parser.add_argument("--health-timeout", type=float, default=10)
    parser.add_argument("--drain", type=float, default=5, help="seconds to let requests in flight finish at the end")
    parser.add_argument("--settle", type=float, default=3, help="seconds to wait before the last RSS reading")
    parser.add_argument("--exec-prefix", help="run the binary under this command (e.g. 'heaptrack -o /tmp/ht'); "
                        "RSS is then that command's")
    parser.add_argument("--keep", action="store_true", help="keep worker-demo's log and store")
    parser.add_argument("--json", help="write the figures and samples to this file")
    args = parser.parse_args()
    print("memory budget: %s store, %s, %.0f s, limit %d MB" % (args.store, args.scenarios, args.seconds, args.limit_mb),
          flush=True)
    run = Run(args)
    result = run.run()
    if result is None or result["failed"] or args.keep:
        print("worker-demo's log and store kept in %s" % run.dir)
    else:
        shutil.rmtree(run.dir, ignore_errors=True)
    if result is None:
        print("0 passed, 1 failed")
        return 1
    print("%d passed, %d failed" % (result["passed"], result["failed"]))
    return 0 if result["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
