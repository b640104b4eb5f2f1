"""The soak harness (issue 18): one release `worker-demo worker` and one `worker-demo gateway` (split
mode) on one store, a steady mixed load through REST and GraphQL, pruning, and a sampler that writes
one CSV row per interval (check.py judges the rows, chart.py draws them).

Black box: the harness starts the processes, talks to their HTTP APIs, reads /proc and (PostgreSQL)
runs psql. Python 3 standard library only.

Run directory layout:
  samples.csv     one row per sample (COLUMNS below)
  relations.jsonl PostgreSQL: the size of every table and index at each sample
  summary.json    the run's settings, per-kind request counts and latencies, totals, exits
  chart.svg       the samples drawn (chart.py)
  logs/*.log      standard error of the worker and the gateway
  store/ or pg/   the SQLite file or the PostgreSQL data folder (removed unless --keep)
"""

import http.client
import json
import math
import os
import random
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
from datetime import datetime, timezone

COLUMNS = [
    "t_s",               # seconds since the load started (sample 0 is taken just before)
    "requests",          # requests answered in the window (sampler and pruner not counted)
    "rps",               # requests / window length
    "errors",            # 5xx, transport errors, GraphQL errors, unexpected 4xx in the window
    "p50_ms", "p99_ms", "max_ms",  # latency of the window's requests (nearest rank)
    "worker_rss_kb", "worker_anon_kb", "worker_fds", "worker_threads",  # VmRSS, RssAnon (heap, stacks), /proc/PID/fd
    "gateway_rss_kb", "gateway_anon_kb", "gateway_fds", "gateway_threads",
    "db_bytes",          # SQLite: file + -wal + -shm; PostgreSQL: pg_database_size
    "wal_bytes",         # SQLite: the -wal file alone; PostgreSQL: empty
    "pg_connections",    # PostgreSQL: backends of the worker (application_name soak-worker); SQLite: empty
    "tasks_stored",      # stats/summary total (what pruning keeps bounded)
    "backlog",           # pending + retrying + processing + blocked
    "completed_total",   # handler attempts completed by the worker since start (GET /metrics)
    "pruned_total",      # tasks deleted by the pruner since start
    "batches_stored",    # GET /api/batches total
    "events_total",      # Server-Sent Events received by the event listener since start
]

FINAL = ("completed", "failed", "cancelled")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def iso(t):
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % int((t % 1) * 1000)


def percentile(sorted_values, q):
    """Nearest-rank percentile of an ascending list (None when empty)."""
    if not sorted_values:
        return None
    rank = max(1, int(math.ceil(q * len(sorted_values))))
    return sorted_values[rank - 1]


def proc_stats(pid):
    """(VmRSS kB, RssAnon kB, open fds, threads) of a live process, or Nones. RssAnon is the
    anonymous part of the RSS (malloc heap, stacks); the rest is mostly pages of the mapped binary and
    libraries, which grow as more of their code and data is touched."""
    try:
        rss = anon = threads = None
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("RssAnon:"):
                    anon = int(line.split()[1])
                elif line.startswith("Threads:"):
                    threads = int(line.split()[1])
        fds = len(os.listdir("/proc/%d/fd" % pid))
        return rss, anon, fds, threads
    except (OSError, ValueError):
        return None, None, None, None


# ------------------------------------------------------------------------------------- processes

class Postgres:
    """A throw-away PostgreSQL server, started as scripts/lib/postgres.sh starts one."""

    def __init__(self, directory):
        self.dir = directory
        self.bin = os.environ.get("PG_BIN") or self.find_bin()
        self.port = free_port()

    @staticmethod
    def find_bin():
        root = "/usr/lib/postgresql"
        if not os.path.isdir(root):
            return None
        versions = sorted(os.listdir(root), key=lambda v: [int(p) if p.isdigit() else 0 for p in v.split(".")])
        for version in reversed(versions):
            candidate = os.path.join(root, version, "bin")
            if os.access(os.path.join(candidate, "postgres"), os.X_OK):
                return candidate
        return None

    def as_postgres(self, command):
        return (["runuser", "-u", "postgres", "--"] + command) if os.getuid() == 0 else command

    def start(self, options):
        os.makedirs(self.dir, exist_ok=True)
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres")
        data = os.path.join(self.dir, "data")
        subprocess.run(self.as_postgres([os.path.join(self.bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust",
                                         "--no-sync", "-E", "UTF8"]), check=True, stdout=subprocess.DEVNULL)
        server = "-p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=200 %s" % (self.port, self.dir, options)
        subprocess.run(self.as_postgres([os.path.join(self.bin, "pg_ctl"), "-D", data, "-l",
                                         os.path.join(self.dir, "server.log"), "-w", "-o", server, "start"]),
                       check=True, stdout=subprocess.DEVNULL)

    def url(self, application):
        return "postgresql://postgres@127.0.0.1:%d/postgres?sslmode=disable&application_name=%s" % (self.port, application)

    def sql(self, query):
        done = subprocess.run([os.path.join(self.bin, "psql"), "-At", "-v", "ON_ERROR_STOP=1", self.url("soak-sampler"),
                               "-c", query], capture_output=True, timeout=20)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.decode(errors="replace").strip())
        return done.stdout.decode().strip()

    def stop(self):
        subprocess.run(self.as_postgres([os.path.join(self.bin, "pg_ctl"), "-D", os.path.join(self.dir, "data"), "-m",
                                         "fast", "-w", "stop"]), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class Process:
    def __init__(self, name, binary, arguments, log_path, env=None):
        self.name = name
        self.port = free_port()
        self.arguments = [a.replace("{port}", str(self.port)) for a in arguments]
        self.binary = binary
        self.log_path = log_path
        self.env = env or {}
        self.proc = None

    @property
    def pid(self):
        return self.proc.pid

    def healthy(self):
        try:
            c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            c.request("GET", "/health")
            r = c.getresponse()
            r.read()
            c.close()
            return r.status == 200
        except (OSError, http.client.HTTPException):
            return False

    def start(self, timeout=30.0):
        env = dict(os.environ)
        env.pop("WORKER_STORE", None)
        env.update(self.env)
        log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([self.binary] + self.arguments, env=env, stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                break
            if self.healthy():
                return
            time.sleep(0.05)
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        raise RuntimeError("%s did not start (see %s)" % (self.name, self.log_path))

    def terminate(self, timeout=20.0):
        """SIGTERM and wait; SIGKILL after `timeout`. Returns (exit code or 'timeout', seconds)."""
        started = time.time()
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            code = "timeout"
        return code, round(time.time() - started, 3)

    def kill(self):
        if self.proc and self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, signal.SIGKILL)
            except OSError:
                pass


# ------------------------------------------------------------------------------------------ load

class Recorder:
    """Latencies and outcomes of the load's requests: per sample window and per kind for the run."""

    def __init__(self):
        self.lock = threading.Lock()
        self.window = []          # latencies (ms) of the current window
        self.window_errors = 0
        self.kinds = {}           # kind -> {"n", "ms": [...], "status": {code: n}, "errors", "examples": [...]}
        self.total = 0
        self.errors = 0

    def add(self, kind, ms, status, error=None):
        with self.lock:
            self.total += 1
            self.window.append(ms)
            k = self.kinds.setdefault(kind, {"n": 0, "ms": [], "status": {}, "errors": 0, "examples": []})
            k["n"] += 1
            k["ms"].append(ms)
            key = str(status) if status is not None else "transport"
            k["status"][key] = k["status"].get(key, 0) + 1
            if error:
                self.errors += 1
                self.window_errors += 1
                k["errors"] += 1
                if len(k["examples"]) < 5:
                    k["examples"].append(error[:300])

    def take_window(self):
        with self.lock:
            window, errors = self.window, self.window_errors
            self.window, self.window_errors = [], 0
        return sorted(window), errors

    def summary(self):
        with self.lock:
            out = {}
            for kind, k in sorted(self.kinds.items()):
                ms = sorted(k["ms"])
                out[kind] = {"requests": k["n"], "errors": k["errors"], "status": k["status"],
                             "p50_ms": round(percentile(ms, 0.50), 2), "p99_ms": round(percentile(ms, 0.99), 2),
                             "max_ms": round(ms[-1], 2), "examples": k["examples"]}
            return out


class Client:
    """Keep-alive HTTP/1.1 connections of one thread; `fresh` requests use a new connection each."""

    def __init__(self, timeout):
        self.timeout = timeout
        self.connections = {}

    def call(self, port, method, path, body=None, fresh=False):
        payload = None if body is None else json.dumps(body)
        headers = {"Content-Type": "application/json"} if payload is not None else {}
        if fresh:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=self.timeout)
            headers["Connection"] = "close"
        else:
            connection = self.connections.get(port)
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=self.timeout)
                self.connections[port] = connection
        try:
            connection.request(method, path, payload, headers)
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            self.connections.pop(port, None)
            raise
        finally:
            if fresh:
                connection.close()
        if response.getheader("Content-Type", "").startswith("application/json") and data:
            try:
                return response.status, json.loads(data)
            except ValueError:
                pass
        return response.status, data.decode(errors="replace")

    def close(self):
        for connection in self.connections.values():
            connection.close()
        self.connections = {}


class Load:
    """Client threads sending a steady (open-loop, fixed-interval) mix of requests.

    Each thread has its own schedule: action j is due at start + phase + j * period; a thread that
    falls more than 2 s behind skips ahead (counted in `skipped`) instead of bursting."""

    def __init__(self, args, worker, gateway, recorder, seed):
        self.args = args
        self.worker = worker
        self.gateway = gateway
        self.recorder = recorder
        self.seed = seed
        self.stop = threading.Event()
        self.threads = []
        self.lock = threading.Lock()
        self.recent = []          # (time, task id) of recent creates, newest last
        self.recent_failing = []  # (time, task id) of `fail` tasks (maxAttempts 1): retried later
        self.skipped = 0
        self.created = 0          # tasks acknowledged by REST creates, GraphQL creates, batches (with callbacks)
        self.counter = 0

    # One request, recorded. `expect` lists the statuses that are not errors.
    def send(self, client, kind, port, method, path, body=None, expect=(200, 201), fresh=False, graphql=False):
        t0 = time.perf_counter()
        try:
            status, answer = client.call(port, method, path, body, fresh=fresh)
        except (OSError, http.client.HTTPException) as error:
            self.recorder.add(kind, (time.perf_counter() - t0) * 1000, None,
                              "%s %s: %s: %s" % (method, path, type(error).__name__, error))
            return None, None
        ms = (time.perf_counter() - t0) * 1000
        error = None
        if status not in expect:
            error = "%s %s -> %s %s" % (method, path, status, json.dumps(answer)[:200])
        elif graphql and (not isinstance(answer, dict) or answer.get("errors") or answer.get("data") is None):
            error = "graphql %s -> %s" % (json.dumps(body)[:120], json.dumps(answer)[:200])
        self.recorder.add(kind, ms, status, error)
        return status, answer

    def remember(self, task_id, failing=False):
        now = time.time()
        with self.lock:
            self.created += 1
            target = self.recent_failing if failing else self.recent
            target.append((now, task_id))
            if len(target) > 200:
                del target[:100]

    def recent_id(self, rng, failing=False, older=0.0, newer=8.0):
        now = time.time()
        with self.lock:
            pool = [i for (t, i) in (self.recent_failing if failing else self.recent) if older <= now - t <= newer]
        return rng.choice(pool) if pool else None

    def next_n(self):
        with self.lock:
            self.counter += 1
            return self.counter

    def task_body(self, rng):
        kind = rng.choices(["email", "test-email", "echo", "backup", "sleep", "fail"], [30, 10, 25, 8, 20, 7])[0]
        tenant = "t%d" % rng.randint(0, 9)
        n = self.next_n()
        if kind in ("email", "test-email"):
            return {"type": kind, "payload": {"to": "user%d@example.com" % n, "tenant": tenant}, "priority": rng.choice([1, 5, 10])}
        if kind == "echo":
            return {"type": "echo", "payload": {"n": n, "tenant": tenant, "text": "x" * rng.randint(10, 400)}}
        if kind == "backup":
            return {"type": "backup", "payload": {"target": "s3://bucket/%d" % n, "tenant": tenant}}
        if kind == "sleep":
            return {"type": "sleep", "payload": {"ms": rng.randint(20, 300), "tenant": tenant}}
        return {"type": "fail", "payload": {"tenant": tenant}, "maxAttempts": rng.choice([1, 2])}

    def actions(self, client, rng):
        w, g = self.worker.port, self.gateway.port
        fresh = lambda: rng.random() < self.args.fresh_fraction  # noqa: E731

        def create_rest():
            body = self.task_body(rng)
            if rng.random() < 0.1:
                body["queue"] = "soak-limited"
            status, answer = self.send(client, "rest.create", w, "POST", "/api/tasks", body, expect=(201,), fresh=fresh())
            if status == 201:
                self.remember(answer["id"], failing=body["type"] == "fail" and body.get("maxAttempts") == 1)

        def create_graphql():
            kind = rng.choice(["email", "echo", "test-email"])
            variables = {"input": {"type": kind, "payload": {"to": "gql%d@example.com" % self.next_n(),
                                                             "tenant": "t%d" % rng.randint(0, 9)},
                                   "priority": rng.choice(["LOW", "NORMAL", "HIGH"])}}
            status, answer = self.send(client, "graphql.createTask", g, "POST", "/graphql",
                                       {"query": "mutation($input: CreateTaskInput!) { createTask(input: $input) { id status } }",
                                        "variables": variables}, expect=(200,), fresh=fresh(), graphql=True)
            if status == 200 and isinstance(answer, dict) and (answer.get("data") or {}).get("createTask"):
                self.remember(answer["data"]["createTask"]["id"])

        def get_task():
            task_id = self.recent_id(rng)
            if task_id:
                self.send(client, "rest.getTask", w, "GET", "/api/tasks/%s" % task_id, fresh=fresh())

        def get_logs():
            task_id = self.recent_id(rng, older=1.0)
            if task_id:
                self.send(client, "rest.getLogs", w, "GET", "/api/tasks/%s/logs?limit=20" % task_id, fresh=fresh())

        def list_tasks():
            path = rng.choice(["/api/tasks?status=completed&limit=20", "/api/tasks?status=pending,processing&limit=20",
                               "/api/tasks?type=email&limit=20&offset=20", "/api/tasks?limit=50",
                               "/api/tasks?status=failed&limit=10", "/api/tasks?queue=soak-limited&limit=10"])
            self.send(client, "rest.list", w, "GET", path, fresh=fresh())

        def search_tasks():
            if rng.random() < 0.5:
                payload = urllib.parse.quote(json.dumps({"tenant": "t%d" % rng.randint(0, 9)}))
                path = "/api/tasks?payload=%s&limit=10" % payload
            else:
                path = "/api/tasks?createdAfter=%s&limit=50" % urllib.parse.quote(iso(time.time() - 5))
            self.send(client, "rest.search", w, "GET", path, fresh=fresh())

        def stats():
            self.send(client, "rest.stats", w, "GET", "/api/tasks/stats/summary", fresh=fresh())

        def graphql_query():
            choice = rng.random()
            if choice < 0.3:
                body = {"query": "{ tasks(status: COMPLETED, limit: 10) { total tasks { id type status attempts createdAt completedAt } } }"}
            elif choice < 0.6:
                task_id = self.recent_id(rng, older=1.0)
                if not task_id:
                    return
                body = {"query": "query($id: ID!) { task(taskId: $id) { id type status result progress logs(limit: 5) { level message } } }",
                        "variables": {"id": task_id}}
            elif choice < 0.85:
                body = {"query": "{ taskStats { total pending processing completed failed cancelled retrying } }"}
            else:
                body = {"query": "{ jobs { id name status runCount lastRun nextRun } }"}
            self.send(client, "graphql.query", g, "POST", "/graphql", body, expect=(200,), fresh=fresh(), graphql=True)

        def batch():
            tasks = [self.task_body(rng) for _ in range(rng.randint(2, 5))]
            for t in tasks:
                if t["type"] == "fail":
                    t["type"] = "echo"
                    t.pop("maxAttempts", None)
            status, answer = self.send(client, "rest.batch", w, "POST", "/api/batches",
                                       {"tasks": tasks, "callback": {"type": "collect", "payload": {"batch": True}}},
                                       expect=(201,), fresh=fresh())
            if status == 201:
                with self.lock:
                    self.created += len(answer.get("taskIds", [])) + (1 if answer.get("callbackTaskId") else 0)

        def chain():
            head = self.task_body(rng)
            if head["type"] == "fail":
                head = {"type": "echo", "payload": {"chain": True}}
            status, answer = self.send(client, "rest.create", w, "POST", "/api/tasks", head, expect=(201,), fresh=fresh())
            if status != 201:
                return
            self.remember(answer["id"])
            status, answer = self.send(client, "rest.createDependent", w, "POST", "/api/tasks",
                                       {"type": "collect", "dependsOn": [answer["id"]]}, expect=(201,), fresh=fresh())
            if status == 201:
                self.remember(answer["id"])

        def cancel_delayed():
            status, answer = self.send(client, "rest.create", w, "POST", "/api/tasks",
                                       {"type": "email", "payload": {"to": "later@example.com"}, "delayMs": 60000},
                                       expect=(201,), fresh=fresh())
            if status == 201:
                with self.lock:
                    self.created += 1
                self.send(client, "rest.cancel", w, "POST", "/api/tasks/%s/cancel" % answer["id"], fresh=fresh())

        def retry_failed():
            # A `fail` task with one attempt, created a few seconds ago, is failed by now: retry it through
            # GraphQL. It may still be pending or running on a busy machine: then the refusal is a 200 with a
            # GraphQL error, counted as expected here.
            task_id = self.recent_id(rng, failing=True, older=3.0, newer=8.0)
            if not task_id:
                return
            t0 = time.perf_counter()
            try:
                status, answer = client.call(g, "POST", "/graphql",
                                             {"query": "mutation($id: ID!) { retryTask(taskId: $id) { id status } }",
                                              "variables": {"id": task_id}}, fresh=fresh())
            except (OSError, http.client.HTTPException) as error:
                self.recorder.add("graphql.retryTask", (time.perf_counter() - t0) * 1000, None, str(error))
                return
            ms = (time.perf_counter() - t0) * 1000
            error = None
            if status != 200 or not isinstance(answer, dict):
                error = "retryTask -> %s %s" % (status, json.dumps(answer)[:200])
            elif answer.get("errors"):
                codes = {(e.get("extensions") or {}).get("code") for e in answer["errors"]}
                if not codes <= {"BAD_REQUEST"}:  # "Cannot retry task 7: status is pending"
                    error = "retryTask -> %s" % json.dumps(answer)[:200]
            self.recorder.add("graphql.retryTask", ms, status, error)

        def misc():
            path = rng.choice(["/api/jobs", "/api/queues", "/api/batches?limit=5", "/metrics", "/health",
                               "/api/tasks/stats/timeseries?minutes=5&bucketSeconds=10", "/api/jobs/%s/next?count=3" % self.job_ids[0]])
            self.send(client, "rest.misc", w, "GET", path, fresh=fresh())

        # (action, weight, requests per action)
        return [(create_rest, 22, 1), (create_graphql, 9, 1), (get_task, 10, 1), (get_logs, 5, 1), (list_tasks, 8, 1),
                (search_tasks, 5, 1), (stats, 5, 1), (graphql_query, 14, 1), (batch, 3, 1), (chain, 3, 2),
                (cancel_delayed, 2, 2), (retry_failed, 2, 1), (misc, 6, 1)]

    def run_client(self, index, start):
        rng = random.Random("%s/client/%d" % (self.seed, index))
        client = Client(self.args.timeout)
        table = self.actions(client, rng)
        functions = [a for a, _, _ in table]
        weights = [w for _, w, _ in table]
        per_action = sum(w * r for _, w, r in table) / sum(weights)
        period = self.args.clients * per_action / self.args.rate
        due = start + period * index / self.args.clients
        while not self.stop.is_set():
            delay = due - time.time()
            if delay > 0 and self.stop.wait(delay):
                break
            if time.time() - due > 2.0:
                with self.lock:
                    self.skipped += int((time.time() - due) / period)
                due = time.time()
            action = rng.choices(functions, weights)[0]
            try:
                action()
            except Exception as error:  # a harness bug must not stop a client silently
                self.recorder.add("harness", 0.0, None, "%s: %s" % (type(error).__name__, error))
            due += period
        client.close()

    def start(self, job_ids):
        self.job_ids = job_ids
        start = time.time()
        for index in range(self.args.clients):
            t = threading.Thread(target=self.run_client, args=(index, start), daemon=True)
            t.start()
            self.threads.append(t)

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(self.args.timeout + 5)


class EventListener:
    """One Server-Sent Events subscriber (GET /api/events), reconnecting every `period` seconds, so that
    subscriptions come and go during the run."""

    def __init__(self, port, period=30.0):
        self.port = port
        self.period = period
        self.stop = threading.Event()
        self.events = 0
        self.connects = 0
        self.failures = []
        self.thread = None

    def run(self):
        while not self.stop.is_set():
            try:
                s = socket.create_connection(("127.0.0.1", self.port), timeout=2)
                s.sendall(b"GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                self.connects += 1
                ends = time.time() + self.period
                tail = b""
                first = True
                while time.time() < ends and not self.stop.is_set():
                    try:
                        data = s.recv(65536)
                    except socket.timeout:
                        continue
                    if not data:
                        break
                    if first and not data.startswith(b"HTTP/1.1 200"):
                        self.failures.append(data[:200].decode(errors="replace"))
                    first = False
                    chunk = tail + data
                    self.events += chunk.count(b"\nevent:") + (1 if chunk.startswith(b"event:") else 0)
                    tail = chunk[-8:]
                s.close()
            except OSError as error:
                if len(self.failures) < 20:
                    self.failures.append("%s: %s" % (type(error).__name__, error))
                self.stop.wait(1.0)

    def start(self):
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def finish(self):
        self.stop.set()
        if self.thread:
            self.thread.join(5)


class Pruner:
    """Deletes final tasks created more than `retention` seconds ago, every `interval` seconds, with
    POST /api/tasks/bulk {"action": "delete"} (worker-demo has no retention setting; see
    Docs/RELIABILITY.md "Soak test")."""

    def __init__(self, port, retention, interval):
        self.port = port
        self.retention = retention
        self.interval = interval
        self.stop = threading.Event()
        self.deleted = 0
        self.runs = 0
        self.ms = []
        self.failures = []
        self.thread = None

    def run(self):
        client = Client(60)
        while not self.stop.wait(self.interval):
            body = {"action": "delete", "filter": {"status": list(FINAL), "createdBefore": iso(time.time() - self.retention)}}
            t0 = time.perf_counter()
            try:
                status, answer = client.call(self.port, "POST", "/api/tasks/bulk", body)
            except (OSError, http.client.HTTPException) as error:
                self.failures.append("%s: %s" % (type(error).__name__, error))
                continue
            self.ms.append((time.perf_counter() - t0) * 1000)
            self.runs += 1
            if status == 200 and isinstance(answer, dict):
                self.deleted += int(answer.get("changed", 0))
            else:
                self.failures.append("%s %s" % (status, json.dumps(answer)[:200]))
        client.close()

    def start(self):
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def finish(self):
        self.stop.set()
        if self.thread:
            self.thread.join(60)


# -------------------------------------------------------------------------------------- sampling

class Sampler:
    def __init__(self, run, path):
        self.run = run
        self.file = open(path, "w")
        self.file.write(",".join(COLUMNS) + "\n")
        self.file.flush()
        self.rows = []
        self.client = Client(30)
        # PostgreSQL: each sample's relation sizes, one JSON line (what grew, when the database did).
        self.relations = open(os.path.join(os.path.dirname(path), "relations.jsonl"), "w") if run.pg else None
        self.failures = []
        self.last = None

    def api(self, path):
        status, answer = self.client.call(self.run.worker.port, "GET", path)
        if status != 200:
            raise RuntimeError("GET %s answered %s" % (path, status))
        return answer

    def db_size(self):
        if self.run.pg:
            return int(self.run.pg.sql("SELECT pg_database_size('postgres')")), None, \
                int(self.run.pg.sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'soak-worker'"))
        total = 0
        wal = None
        for suffix in ("", "-wal", "-shm"):
            try:
                size = os.path.getsize(self.run.sqlite_path + suffix)
            except OSError:
                size = 0
            total += size
            if suffix == "-wal":
                wal = size
        return total, wal, None

    def sample(self, t):
        window, errors = self.run.recorder.take_window()
        now = time.time()
        length = (now - self.last) if self.last else None
        self.last = now
        row = {"t_s": round(t, 1), "requests": len(window), "rps": round(len(window) / length, 1) if length else 0,
               "errors": errors,
               "p50_ms": round(percentile(window, 0.5), 2) if window else "",
               "p99_ms": round(percentile(window, 0.99), 2) if window else "",
               "max_ms": round(window[-1], 2) if window else ""}
        for name, process in (("worker", self.run.worker), ("gateway", self.run.gateway)):
            rss, anon, fds, threads = proc_stats(process.pid)
            row["%s_rss_kb" % name], row["%s_anon_kb" % name] = rss, anon
            row["%s_fds" % name], row["%s_threads" % name] = fds, threads
        try:
            row["db_bytes"], row["wal_bytes"], row["pg_connections"] = self.db_size()
        except Exception as error:
            self.failures.append("db size: %s" % error)
        try:
            stats = self.api("/api/tasks/stats/summary")
            row["tasks_stored"] = stats["total"]
            row["backlog"] = sum(stats.get(k, 0) for k in ("pending", "retrying", "processing", "blocked"))
            status, text = self.client.call(self.run.worker.port, "GET", "/metrics")
            completed = 0
            for line in str(text).splitlines():
                if line.startswith("worker_task_attempts_total{") and 'outcome="completed"' in line:
                    completed += int(float(line.rsplit(" ", 1)[1]))
            row["completed_total"] = completed
            row["batches_stored"] = self.api("/api/batches?limit=1")["total"]
        except Exception as error:
            self.failures.append("t=%.0f: %s: %s" % (t, type(error).__name__, error))
        row["pruned_total"] = self.run.pruner.deleted
        row["events_total"] = self.run.events.events
        if self.relations:
            try:
                text = self.run.pg.sql("SELECT relname || '=' || pg_relation_size(c.oid) FROM pg_class c "
                                       "WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'i') ORDER BY 1")
                sizes = dict((line.split("=")[0], int(line.split("=")[1])) for line in text.splitlines() if "=" in line)
                self.relations.write(json.dumps({"t_s": row["t_s"], "bytes": sizes}, separators=(",", ":")) + "\n")
                self.relations.flush()
            except Exception as error:
                self.failures.append("relation sizes: %s" % error)
        self.rows.append(row)
        self.file.write(",".join("" if row.get(c) is None else str(row.get(c)) for c in COLUMNS) + "\n")
        self.file.flush()
        if self.run.args.verbose:
            print("  t=%5.0f s  rps %5.1f  p99 %7s ms  err %d  rss w/g %s/%s kB  fds %s/%s  db %s  tasks %s  backlog %s" % (
                t, row["rps"], row["p99_ms"], errors, row["worker_rss_kb"], row["gateway_rss_kb"], row["worker_fds"],
                row["gateway_fds"], row.get("db_bytes"), row.get("tasks_stored"), row.get("backlog")), flush=True)
        return row

    def close(self):
        self.client.close()
        self.file.close()
        if self.relations:
            self.relations.close()


# ----------------------------------------------------------------------------------------- the run

class Run:
    def __init__(self, args):
        self.args = args
        self.pg = None
        self.sqlite_path = None
        self.worker = None
        self.gateway = None
        self.recorder = Recorder()

    def store_spec(self):
        if self.args.store == "postgres":
            self.pg = Postgres(os.path.join(self.args.out, "pg"))
            if not self.pg.bin:
                raise RuntimeError("no PostgreSQL server binaries found (set PG_BIN)")
            self.pg.start(self.args.pg_options)
            return self.pg.url("soak-worker")
        os.makedirs(os.path.join(self.args.out, "store"), exist_ok=True)
        self.sqlite_path = os.path.join(self.args.out, "store", "worker.sqlite")
        return "sqlite:" + self.sqlite_path

    def setup(self):
        client = Client(10)
        w = self.worker.port
        status, answer = client.call(w, "PATCH", "/api/queues/soak-limited", {"concurrency": 2})
        if status != 200:
            raise RuntimeError("PATCH /api/queues/soak-limited answered %s %s" % (status, answer))
        jobs = []
        for name, kind, payload in (("soak-echo", "echo", {"cron": True}), ("soak-email", "email", {"to": "cron@example.com"}),
                                    ("soak-backup", "backup", {"target": "cron"})):
            status, job = client.call(w, "POST", "/api/jobs", {"name": name, "type": kind, "schedule": "*/1 * * * * *",
                                                               "payload": payload})
            if status != 201:
                raise RuntimeError("POST /api/jobs answered %s %s" % (status, job))
            jobs.append(job["id"])
        client.close()
        return jobs

    def drain(self, timeout):
        """Waits until nothing is pending, processing, retrying or blocked (cron paused). Returns seconds or None."""
        client = Client(10)
        started = time.time()
        while time.time() - started < timeout:
            status, stats = client.call(self.worker.port, "GET", "/api/tasks/stats/summary")
            if status == 200 and sum(stats.get(k, 0) for k in ("pending", "processing", "retrying", "blocked")) == 0:
                client.close()
                return round(time.time() - started, 2)
            time.sleep(0.25)
        client.close()
        return None

    def execute(self):
        args = self.args
        os.makedirs(os.path.join(args.out, "logs"), exist_ok=True)
        summary = {"store": args.store, "minutes": args.minutes, "rate": args.rate, "clients": args.clients,
                   "sampleSeconds": args.sample_seconds, "retentionSeconds": args.retention,
                   "pruneSeconds": args.prune_interval, "concurrency": args.concurrency, "binary": args.bin,
                   "freshFraction": args.fresh_fraction, "startedAt": iso(time.time())}
        started = time.time()
        try:
            spec = self.store_spec()
            self.worker = Process("worker", args.bin, ["worker", "--store", spec, "--port", "{port}",
                                                       "--concurrency", str(args.concurrency)],
                                  os.path.join(args.out, "logs", "worker.log"))
            self.worker.start()
            self.gateway = Process("gateway", args.bin, ["gateway", "--port", "{port}", "--worker-url",
                                                         "http://127.0.0.1:%d" % self.worker.port],
                                   os.path.join(args.out, "logs", "gateway.log"))
            self.gateway.start()
            summary["pids"] = {"worker": self.worker.pid, "gateway": self.gateway.pid}
            job_ids = self.setup()
            summary["startupSeconds"] = round(time.time() - started, 2)

            self.load = Load(args, self.worker, self.gateway, self.recorder, args.seed)
            self.pruner = Pruner(self.worker.port, args.retention, args.prune_interval)
            self.events = EventListener(self.worker.port)
            sampler = Sampler(self, os.path.join(args.out, "samples.csv"))
            load_start = time.time()
            sampler.sample(0.0)
            self.events.start()
            self.load.start(job_ids)
            self.pruner.start()
            duration = args.minutes * 60
            k = 1
            crashed = None
            while True:
                due = load_start + k * args.sample_seconds
                if due > load_start + duration + 0.01:
                    break
                time.sleep(max(0.0, due - time.time()))
                sampler.sample(time.time() - load_start)
                for p in (self.worker, self.gateway):
                    if p.proc.poll() is not None:
                        crashed = "%s exited with %s during the run" % (p.name, p.proc.returncode)
                if crashed:
                    break
                k += 1
            self.load.finish()
            load_end = time.time()
            self.pruner.finish()
            self.events.finish()
            sampler.close()
            summary["loadSeconds"] = round(load_end - load_start, 1)
            summary["crashed"] = crashed
            summary["requests"] = self.recorder.total
            summary["errors"] = self.recorder.errors
            summary["achievedRate"] = round(self.recorder.total / max(1e-9, load_end - load_start), 2)
            summary["skippedActions"] = self.load.skipped
            summary["tasksCreatedByClients"] = self.load.created
            summary["kinds"] = self.recorder.summary()
            summary["pruner"] = {"runs": self.pruner.runs, "deleted": self.pruner.deleted, "failures": self.pruner.failures[:10],
                                 "p50_ms": round(percentile(sorted(self.pruner.ms), 0.5) or 0, 1),
                                 "max_ms": round(max(self.pruner.ms or [0]), 1)}
            summary["events"] = {"received": self.events.events, "connects": self.events.connects,
                                 "failures": self.events.failures[:10]}
            summary["samplerFailures"] = sampler.failures[:20]
            if not crashed:
                client = Client(10)
                for job_id in job_ids:
                    client.call(self.worker.port, "POST", "/api/jobs/%s/pause" % job_id)
                status, jobs = client.call(self.worker.port, "GET", "/api/jobs")
                summary["cronRuns"] = sum(j.get("runCount", 0) for j in jobs.get("jobs", [])) if status == 200 else None
                client.close()
                summary["drainSeconds"] = self.drain(args.drain_timeout)
            exits = {}
            for p in (self.gateway, self.worker):
                exits[p.name] = p.terminate() if p.proc.poll() is None else (p.proc.returncode, 0)
            summary["exits"] = {name: {"code": code, "seconds": seconds} for name, (code, seconds) in exits.items()}
            summary["wallSeconds"] = round(time.time() - started, 1)
            return summary, sampler.rows
        finally:
            for p in (self.gateway, self.worker):
                if p:
                    p.kill()
            if self.pg:
                self.pg.stop()
