"""The torture harness (issue 18): worker-demo processes on one store, a mixed workload, seeded
faults, and the history the checker reads (check.py).

Black box: the harness only starts release `worker-demo` processes, talks to their REST API and the
gateway's GraphQL endpoint, sends signals, and (PostgreSQL runs) runs SQL as the `postgres` user.
Python 3 standard library only.

History directory layout (all times are Unix seconds as floats unless named *At, which are the
API's ISO 8601 strings):
  meta.json            the run's settings and phase times
  requests.jsonl       every client request with its answer (or the transport error)
  faults.jsonl         every injected fault and its end (restart, SIGCONT, ...)
  attempts/*.jsonl     the side log of each worker process instance (WORKER_DEMO_ATTEMPT_LOG)
  logs/*.log           standard error of each process instance
  final/*.json         the final state read from the API after the drain
"""

import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

TERMINAL = ("completed", "failed", "cancelled")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class History:
    """Thread-safe JSON-lines recorder of the run."""

    def __init__(self, directory):
        self.dir = directory
        for sub in ("attempts", "logs", "final"):
            os.makedirs(os.path.join(directory, sub), exist_ok=True)
        self.lock = threading.Lock()
        self.seq = 0
        self.requests = open(os.path.join(directory, "requests.jsonl"), "a")
        self.faults = open(os.path.join(directory, "faults.jsonl"), "a")
        self.events = open(os.path.join(directory, "events.log"), "a")
        self.started = time.time()

    def request(self, record):
        with self.lock:
            self.seq += 1
            record["seq"] = self.seq
            self.requests.write(json.dumps(record, separators=(",", ":")) + "\n")

    def fault(self, record):
        record.setdefault("time", time.time())
        with self.lock:
            self.faults.write(json.dumps(record, separators=(",", ":")) + "\n")
            self.faults.flush()
        self.note("fault: " + json.dumps(record, separators=(",", ":")))

    def note(self, message):
        line = "[%7.2f] %s" % (time.time() - self.started, message)
        with self.lock:
            self.events.write(line + "\n")
            self.events.flush()
        if os.environ.get("TORTURE_VERBOSE"):
            print(line, flush=True)

    def write_json(self, name, value):
        with open(os.path.join(self.dir, name), "w") as f:
            json.dump(value, f, indent=None, separators=(",", ":"))

    def close(self):
        for f in (self.requests, self.faults, self.events):
            f.close()


class Postgres:
    """A throw-away PostgreSQL server (as scripts/lib/postgres.sh starts one)."""

    def __init__(self, directory, history):
        self.dir = directory
        self.history = history
        self.bin = os.environ.get("PG_BIN") or self.find_bin()
        self.port = free_port()
        self.lock = threading.Lock()
        self.state = "down"

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

    def options(self):
        return "-p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" % (self.port, self.dir)

    def start(self):
        os.makedirs(self.dir, exist_ok=True)
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres")
        data = os.path.join(self.dir, "data")
        subprocess.run(self.as_postgres([os.path.join(self.bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust",
                                         "--no-sync", "-E", "UTF8"]), check=True, stdout=subprocess.DEVNULL)
        subprocess.run(self.as_postgres([os.path.join(self.bin, "pg_ctl"), "-D", data, "-l",
                                         os.path.join(self.dir, "server.log"), "-w", "-o", self.options(), "start"]),
                       check=True, stdout=subprocess.DEVNULL)
        self.state = "up"

    def url(self, application):
        return "postgresql://postgres@127.0.0.1:%d/postgres?sslmode=disable&application_name=%s" % (self.port, application)

    def restart(self, mode):
        """pg_ctl restart -m MODE; returns (ok, seconds)."""
        data = os.path.join(self.dir, "data")
        with self.lock:
            self.state = "restarting"
            started = time.time()
            done = subprocess.run(self.as_postgres([os.path.join(self.bin, "pg_ctl"), "-D", data, "-m", mode, "-w", "-t", "60",
                                                    "-l", os.path.join(self.dir, "server.log"), "-o", self.options(),
                                                    "restart"]),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            self.state = "up" if done.returncode == 0 else "broken"
            return done.returncode == 0, time.time() - started, done.stderr.decode(errors="replace")[-300:]

    def sql(self, query):
        done = subprocess.run([os.path.join(self.bin, "psql"), "-At", "-v", "ON_ERROR_STOP=1", self.url("torture-harness"),
                               "-c", query], capture_output=True, timeout=20)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.decode(errors="replace").strip())
        return done.stdout.decode().strip()

    def stop(self):
        subprocess.run(self.as_postgres([os.path.join(self.bin, "pg_ctl"), "-D", os.path.join(self.dir, "data"), "-m",
                                         "immediate", "stop"]), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.state = "down"


class Process:
    """One worker-demo process slot (worker or gateway), restarted as new instances."""

    def __init__(self, cluster, name, port, arguments, attempt_log=True):
        self.cluster = cluster
        self.name = name
        self.port = port
        self.arguments = arguments
        self.attempt_log = attempt_log
        self.clock_offset_ms = 0
        self.instance = 0
        self.proc = None
        self.state = "down"  # up | stopped | terminating | down | starting
        self.lock = threading.Lock()

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

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

    def start(self, timeout=20.0):
        """Starts a new instance and waits until /health answers 200. Returns True when up."""
        c = self.cluster
        self.instance += 1
        env = dict(os.environ)
        env["WORKER_LEASE_SECONDS"] = str(c.lease)
        env.pop("WORKER_STORE", None)
        if self.clock_offset_ms:
            env["WORKER_DEMO_CLOCK_OFFSET_MS"] = str(self.clock_offset_ms)
        if self.attempt_log:
            env["WORKER_DEMO_ATTEMPT_LOG"] = os.path.join(c.history.dir, "attempts", "%s.%d.jsonl" % (self.name, self.instance))
        log = open(os.path.join(c.history.dir, "logs", "%s.%d.log" % (self.name, self.instance)), "wb")
        self.state = "starting"
        self.proc = subprocess.Popen([c.binary] + self.arguments, env=env, stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                break
            if self.healthy():
                self.state = "up"
                return True
            time.sleep(0.05)
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.state = "down"
        return False

    def start_retrying(self, attempts=30):
        for _ in range(attempts):
            if self.cluster.closing:
                return False
            if self.start():
                return True
            time.sleep(0.5)
        return False

    def signal(self, signum):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signum)

    def terminate(self, timeout=15.0):
        """SIGTERM (SIGCONT first if stopped), wait; SIGKILL after `timeout`. Returns (code, seconds)."""
        if not self.proc:
            return None, 0.0
        started = time.time()
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGCONT)
            os.kill(self.proc.pid, signal.SIGTERM)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            code = "timeout"
        self.state = "down"
        return code, time.time() - started


class Client:
    """HTTP/1.1 keep-alive connections to the processes, one set per client thread."""

    def __init__(self, timeout):
        self.timeout = timeout
        self.connections = {}

    def call(self, process, method, path, body=None):
        key = (process.name, process.instance)
        connection = self.connections.get(key)
        if connection is None:
            for old in [k for k in self.connections if k[0] == process.name]:
                self.connections.pop(old).close()
            connection = http.client.HTTPConnection("127.0.0.1", process.port, timeout=self.timeout)
            self.connections[key] = connection
        try:
            payload = None if body is None else json.dumps(body)
            connection.request(method, path, payload, {"Content-Type": "application/json"} if payload else {})
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            self.connections.pop(key, None)
            raise
        try:
            return response.status, (json.loads(data) if data else None)
        except ValueError:
            return response.status, data.decode(errors="replace")[:500]

    def close(self):
        for connection in self.connections.values():
            connection.close()
        self.connections = {}


class Cluster:
    def __init__(self, args, history):
        self.args = args
        self.history = history
        self.binary = args.bin
        self.lease = args.lease
        self.store_kind = args.store
        self.closing = False
        self.pg = None
        self.workers = []
        self.gateway = None

    def store_spec(self, index):
        if self.store_kind == "postgres":
            return self.pg.url("torture-w%d" % index)
        return "sqlite:" + os.path.join(self.history.dir, "store", "worker.sqlite")

    def start(self):
        if self.store_kind == "postgres":
            self.pg = Postgres(os.path.join(self.history.dir, "pg"), self.history)
            if not self.pg.bin:
                raise RuntimeError("no PostgreSQL server binaries found (set PG_BIN)")
            self.pg.start()
        for index in range(self.args.workers):
            port = free_port()
            worker = Process(self, "w%d" % index, port,
                             ["worker", "--store", self.store_spec(index), "--port", str(port),
                              "--concurrency", str(self.args.concurrency)])
            self.workers.append(worker)
        # A machine whose clock is off: the last worker (its side log keeps the true time).
        self.workers[-1].clock_offset_ms = getattr(self.args, "clock_offset_ms", 0)
        # The first worker migrates the store alone; the others start together.
        if not self.workers[0].start():
            raise RuntimeError("worker w0 did not start (see %s/logs/w0.1.log)" % self.history.dir)
        threads = [threading.Thread(target=w.start) for w in self.workers[1:]]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for w in self.workers:
            if w.state != "up":
                raise RuntimeError("worker %s did not start (see %s/logs)" % (w.name, self.history.dir))
        port = free_port()
        self.gateway = Process(self, "gateway", port,
                               ["gateway", "--port", str(port), "--worker-url", "http://127.0.0.1:%d" % self.workers[0].port],
                               attempt_log=False)
        if not self.gateway.start():
            raise RuntimeError("the gateway did not start")
        for p in self.workers + [self.gateway]:
            self.history.note("started %s pid %d port %d" % (p.name, p.pid, p.port))

    def up_workers(self):
        return [w for w in self.workers if w.state == "up"]

    def shutdown(self):
        """Graceful stop of every process; returns {name: (exit code, seconds)}."""
        self.closing = True
        results = {}
        for p in self.workers + ([self.gateway] if self.gateway else []):
            if p.proc and p.proc.poll() is None:
                results[p.name] = p.terminate()
        if self.pg:
            self.pg.stop()
        return results

    def kill_everything(self):
        self.closing = True
        for p in self.workers + ([self.gateway] if self.gateway else []):
            if p.proc and p.proc.poll() is None:
                try:
                    os.kill(p.proc.pid, signal.SIGKILL)
                except OSError:
                    pass
        if self.pg:
            self.pg.stop()


# --------------------------------------------------------------------------------------- workload

class Workload:
    """Client threads sending a seeded mix of requests to the live workers and the gateway."""

    def __init__(self, cluster, history, seed, rate, clients, timeout):
        self.cluster = cluster
        self.history = history
        self.seed = seed
        self.rate = rate
        self.clients = clients
        self.timeout = timeout
        self.stop = threading.Event()
        self.threads = []
        self.counts = {"requests": 0, "acknowledged": 0, "ambiguous": 0, "refused": 0}
        self.lock = threading.Lock()

    # One request, recorded with its answer. Returns (status, answer) or (None, None) on a transport error.
    def send(self, client, name, process, method, path, body=None):
        record = {"client": name, "via": process.name, "instance": process.instance, "pid": process.pid,
                  "method": method, "path": path, "body": body, "t0": time.time()}
        try:
            status, answer = client.call(process, method, path, body)
            record.update(status=status, answer=answer)
        except (OSError, http.client.HTTPException) as error:
            status, answer = None, None
            record.update(status=None, error="%s: %s" % (type(error).__name__, error))
        record["t1"] = time.time()
        self.history.request(record)
        with self.lock:
            self.counts["requests"] += 1
            if status is None:
                self.counts["ambiguous"] += 1
            elif 200 <= status < 300:
                self.counts["acknowledged"] += 1
            else:
                self.counts["refused"] += 1
        return status, answer

    def pick(self, rng):
        up = self.cluster.up_workers()
        return rng.choice(up) if up else None

    def run_client(self, index):
        rng = random.Random("%s/client/%d" % (self.seed, index))
        client = Client(self.timeout)
        name = "c%d" % index
        state = {"n": 0, "recent": []}

        def rid():
            state["n"] += 1
            return "%s-%d" % (name, state["n"])

        def post_task(body, process=None):
            process = process or self.pick(rng)
            if process is None:
                return None
            body.setdefault("payload", {})["rid"] = rid()
            status, answer = self.send(client, name, process, "POST", "/api/tasks", body)
            if status == 201 and isinstance(answer, dict):
                state["recent"].append((time.time(), answer["id"], body["type"]))
                state["recent"] = state["recent"][-30:]
                return answer["id"]
            return None

        def task_body(rng, kinds=("echo", "sleep", "fail")):
            kind = rng.choice(kinds)
            if kind == "echo":
                return {"type": "echo", "payload": {"n": rng.randint(1, 1000)}}
            if kind == "sleep":
                return {"type": "sleep", "payload": {"ms": rng.randint(50, 1500)}, "maxAttempts": rng.choice([3, 5])}
            return {"type": "fail", "maxAttempts": rng.choice([1, 2])}

        def act_echo():
            post_task({"type": "echo", "payload": {"n": rng.randint(1, 1000)}, "priority": rng.choice([1, 5, 10, 20])})

        def act_sleep():
            post_task({"type": "sleep", "payload": {"ms": rng.randint(50, 1500)}, "maxAttempts": rng.choice([3, 5])})

        def act_fail():
            post_task({"type": "fail", "maxAttempts": rng.choice([1, 2])})

        def act_conc():
            post_task({"type": "sleep", "queue": "conc", "payload": {"ms": rng.randint(50, 400)}, "maxAttempts": 5})

        def act_rated():
            post_task({"type": "echo", "queue": "rated", "payload": {"n": rng.randint(1, 1000)}})

        def act_chain():
            head = {"type": "sleep", "payload": {"ms": rng.randint(50, 800)}, "maxAttempts": 3}
            if rng.random() < 0.25:
                head = {"type": "fail", "maxAttempts": 1}
            a = post_task(head)
            if a is None:
                return
            b = post_task({"type": "echo", "dependsOn": [a], "payload": {"step": 2}})
            deps = [a] + ([b] if b else [])
            post_task({"type": "collect", "dependsOn": deps, "onDependencyFailure": "cancel"})

        def act_batch():
            process = self.pick(rng)
            if process is None:
                return
            tasks = []
            for _ in range(rng.randint(2, 6)):
                body = task_body(rng)
                body.setdefault("payload", {})["rid"] = rid()
                tasks.append(body)
            callback = {"type": "collect", "payload": {"rid": rid()}}
            self.send(client, name, process, "POST", "/api/batches", {"tasks": tasks, "callback": callback})

        def act_graphql():
            gateway = self.cluster.gateway
            query = ("mutation($input: CreateTaskInput!) { createTask(input: $input) "
                     "{ id type status queue } }")
            variables = {"input": {"type": "echo", "payload": {"rid": rid(), "via": "graphql"},
                                   "priority": rng.choice(["LOW", "NORMAL", "HIGH"])}}
            self.send(client, name, gateway, "POST", "/graphql", {"query": query, "variables": variables})

        def act_cancel():
            fresh = [(t, i) for (t, i, kind) in state["recent"] if kind == "sleep" and time.time() - t < 3]
            process = self.pick(rng)
            if not fresh or process is None:
                return
            _, task_id = rng.choice(fresh)
            self.send(client, name, process, "POST", "/api/tasks/%s/cancel" % task_id)

        def act_read():
            process = self.pick(rng)
            if process is None:
                return
            if rng.random() < 0.5:
                self.send(client, name, process, "GET", "/api/tasks/stats/summary")
            else:
                self.send(client, name, process, "GET", "/api/tasks?status=processing&limit=20")

        actions = [(act_echo, 20), (act_sleep, 14), (act_fail, 5), (act_conc, 14), (act_rated, 9), (act_chain, 9),
                   (act_batch, 7), (act_graphql, 7), (act_cancel, 5), (act_read, 4)]
        functions = [a for a, _ in actions]
        weights = [w for _, w in actions]
        per_client = self.rate / self.clients
        while not self.stop.is_set():
            action = rng.choices(functions, weights)[0]
            try:
                action()
            except Exception as error:  # a harness bug must not stop the run silently
                self.history.note("client %s: %s: %s" % (name, type(error).__name__, error))
            self.stop.wait(rng.expovariate(per_client))
        client.close()

    def start(self):
        for index in range(self.clients):
            t = threading.Thread(target=self.run_client, args=(index,), daemon=True)
            t.start()
            self.threads.append(t)

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join(self.timeout + 5)


# ----------------------------------------------------------------------------------------- faults

class Faults:
    """Injects seeded random faults until `stop` is set; every fault and its end is logged."""

    def __init__(self, cluster, history, seed, interval):
        self.cluster = cluster
        self.history = history
        self.rng = random.Random("%s/faults" % seed)
        self.interval = interval
        self.stop = threading.Event()
        self.followups = []
        self.counts = {}
        self.thread = None
        self.db_busy = threading.Lock()
        self.first = None

    def count(self, kind):
        self.counts[kind] = self.counts.get(kind, 0) + 1

    def later(self, body):
        t = threading.Thread(target=body, daemon=True)
        t.start()
        self.followups.append(t)

    def restart(self, worker, after):
        if worker.start_retrying():
            self.history.fault({"kind": "restart", "worker": worker.name, "pid": worker.pid, "after": after})
        else:
            self.history.fault({"kind": "restart-failed", "worker": worker.name, "after": after})

    def inject(self):
        c = self.cluster
        kinds = [("kill", 3), ("stop", 3), ("term", 2)]
        if c.store_kind == "postgres":
            kinds += [("pg_terminate", 2), ("pg_restart", 1)]
        # Every kind once first (in a seeded order), so that even a short run sees each of them.
        if self.first is None:
            self.first = [k for k, _ in kinds]
            self.rng.shuffle(self.first)
        from_first = bool(self.first)
        kind = self.first.pop(0) if from_first else self.rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
        # Leave at least one worker untouched, so someone recovers expired leases.
        disturbed = sum(1 for w in c.workers if w.state != "up")
        candidates = c.up_workers()
        delay_a, delay_b = self.rng.random(), self.rng.random()
        choice = self.rng.random()
        if kind in ("kill", "stop", "term") and (disturbed >= len(c.workers) - 1 or not candidates):
            if from_first or c.store_kind != "postgres":
                if from_first:
                    self.first.insert(0, kind)
                return
            kind = "pg_terminate"
        if kind in ("pg_terminate", "pg_restart") and c.pg.state != "up":
            if from_first:
                self.first.insert(0, kind)
            return
        if kind in ("kill", "stop", "term"):
            worker = candidates[int(choice * len(candidates))]
            pid = worker.pid
            if kind == "kill":
                worker.state = "down"
                worker.signal(signal.SIGKILL)
                worker.proc.wait()
                self.history.fault({"kind": "kill", "worker": worker.name, "pid": pid})
                pause = 0.2 + delay_a * 1.3

                def revive():
                    time.sleep(pause)
                    self.restart(worker, "kill")
                self.later(revive)
            elif kind == "stop":
                seconds = c.lease + 1.0 + delay_a * 2.0
                worker.state = "stopped"
                worker.signal(signal.SIGSTOP)
                self.history.fault({"kind": "stop", "worker": worker.name, "pid": pid, "seconds": round(seconds, 3)})

                def wake():
                    time.sleep(seconds)
                    worker.signal(signal.SIGCONT)
                    if worker.proc.poll() is None:
                        worker.state = "up"
                    self.history.fault({"kind": "cont", "worker": worker.name, "pid": pid})
                self.later(wake)
            else:
                worker.state = "terminating"
                worker.signal(signal.SIGTERM)
                self.history.fault({"kind": "term", "worker": worker.name, "pid": pid})

                def reap():
                    started = time.time()
                    try:
                        code = worker.proc.wait(20)
                    except subprocess.TimeoutExpired:
                        worker.proc.kill()
                        worker.proc.wait()
                        code = "timeout"
                    worker.state = "down"
                    self.history.fault({"kind": "exited", "worker": worker.name, "pid": pid, "code": code,
                                        "seconds": round(time.time() - started, 3)})
                    time.sleep(0.2 + delay_b)
                    self.restart(worker, "term")
                self.later(reap)
        elif kind == "pg_terminate":
            target = "torture-w%" if choice < 0.4 else "torture-w%d" % int(delay_a * len(c.workers))
            try:
                n = c.pg.sql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name LIKE '%s'"
                             % target)
            except Exception as error:
                self.history.fault({"kind": "pg_terminate-failed", "target": target, "error": str(error)[:200]})
                return
            self.history.fault({"kind": "pg_terminate", "target": target, "backends": int(n or 0)})
        else:
            if not self.db_busy.acquire(blocking=False):
                if from_first:
                    self.first.insert(0, kind)
                return
            mode = "immediate" if choice < 0.5 else "fast"
            self.history.fault({"kind": "pg_restart", "mode": mode})

            def bounce():
                try:
                    ok, seconds, error = c.pg.restart(mode)
                    self.history.fault({"kind": "pg_up" if ok else "pg_restart-failed", "mode": mode,
                                        "seconds": round(seconds, 3), "error": None if ok else error})
                finally:
                    self.db_busy.release()
            self.later(bounce)
        self.count(kind)

    def run(self):
        while not self.stop.wait(max(0.2, self.rng.expovariate(1.0 / self.interval))):
            try:
                self.inject()
            except Exception as error:
                self.history.note("fault injector: %s: %s" % (type(error).__name__, error))
            self.watch()

    def watch(self):
        """A worker that exits without being told to is recorded (the checker reports it)."""
        for w in self.cluster.workers:
            if w.state in ("up", "stopped") and w.proc is not None and w.proc.poll() is not None:
                code = w.proc.returncode
                w.state = "down"
                self.history.fault({"kind": "crashed", "worker": w.name, "pid": w.pid, "code": code})
                self.later(lambda w=w: self.restart(w, "crash"))

    def start(self):
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def finish(self):
        self.stop.set()
        if self.thread:
            self.thread.join()
        for t in self.followups:
            t.join()
        self.watch()
        for t in self.followups:
            t.join()


# ---------------------------------------------------------------------------------------- the run

def all_pages(client, process, path, key, limit=1000):
    items, offset = [], 0
    separator = "&" if "?" in path else "?"
    while True:
        status, page = client.call(process, "GET", "%s%slimit=%d&offset=%d" % (path, separator, limit, offset))
        if status != 200:
            raise RuntimeError("GET %s answered %s: %s" % (path, status, page))
        items += page[key]
        offset += limit
        if offset >= page["total"]:
            return items


def snapshot(cluster, history):
    """Reads the final state through the API (the first live worker) into final/*.json."""
    reader = cluster.up_workers()[0]
    client = Client(30)
    tasks = all_pages(client, reader, "/api/tasks", "tasks")
    history.write_json("final/tasks.json", tasks)
    for name, path in (("stats", "/api/tasks/stats/summary"), ("jobs", "/api/jobs"), ("queues", "/api/queues")):
        status, value = client.call(reader, "GET", path)
        history.write_json("final/%s.json" % name, value)
    history.write_json("final/batches.json", all_pages(client, reader, "/api/batches", "batches", limit=1000))
    # Every task's log, read in parallel from the live workers.
    ids = [t["id"] for t in tasks]
    logs = {}
    lock = threading.Lock()
    readers = cluster.up_workers()

    def fetch(part, process):
        c = Client(30)
        for task_id in part:
            status, value = c.call(process, "GET", "/api/tasks/%s/logs?limit=1000" % task_id)
            with lock:
                logs[task_id] = value["logs"] if status == 200 else {"status": status, "answer": value}
        c.close()
    threads = [threading.Thread(target=fetch, args=(ids[i::len(readers)], readers[i])) for i in range(len(readers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    history.write_json("final/logs.json", logs)
    client.close()
    return tasks


def drain(cluster, history, timeout):
    """Waits until no task is pending, processing, retrying or blocked. Returns (ok, seconds, last stats)."""
    started = time.time()
    client = Client(10)
    last = None
    while time.time() - started < timeout:
        up = cluster.up_workers()
        if up:
            try:
                status, stats = client.call(up[0], "GET", "/api/tasks/stats/summary")
                if status == 200:
                    last = stats
                    if sum(stats.get(k, 0) for k in ("pending", "processing", "retrying", "blocked")) == 0:
                        client.close()
                        return True, time.time() - started, stats
            except (OSError, http.client.HTTPException):
                pass
        time.sleep(0.25)
    client.close()
    return False, time.time() - started, last


def run(args):
    history = History(args.out)
    cluster = Cluster(args, history)
    meta = {"store": args.store, "seed": args.seed, "minutes": args.minutes, "workers": args.workers,
            "concurrency": args.concurrency, "lease": args.lease, "faultInterval": args.fault_interval,
            "rate": args.rate, "clients": args.clients, "binary": args.bin,
            "clockOffsetMs": {"w%d" % (args.workers - 1): getattr(args, "clock_offset_ms", 0)},
            "queues": {"conc": {"concurrency": 2}, "rated": {"rateLimit": {"limit": 4, "periodMs": 1000}}},
            "cron": {"schedule": "*/1 * * * * *"}}
    interrupted = {"flag": False}

    def on_signal(signum, frame):
        interrupted["flag"] = True
        cluster.kill_everything()
        sys.exit(130)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        meta["startedAt"] = time.time()
        cluster.start()
        meta["startupSeconds"] = round(time.time() - meta["startedAt"], 3)
        meta["pids"] = {p.name: p.pid for p in cluster.workers + [cluster.gateway]}
        setup = Workload(cluster, history, args.seed, args.rate, args.clients, args.timeout)
        setup_client = Client(10)
        w0 = cluster.workers[0]
        for path, body in (("/api/queues/conc", meta["queues"]["conc"]), ("/api/queues/rated", meta["queues"]["rated"])):
            status, answer = setup.send(setup_client, "setup", w0, "PATCH", path, body)
            if status != 200:
                raise RuntimeError("PATCH %s answered %s %s" % (path, status, answer))
        status, job = setup.send(setup_client, "setup", w0, "POST", "/api/jobs",
                                 {"name": "torture-cron", "type": "echo", "schedule": meta["cron"]["schedule"],
                                  "payload": {"cron": True}})
        if status != 201:
            raise RuntimeError("POST /api/jobs answered %s %s" % (status, job))
        meta["cron"]["jobId"] = job["id"]

        workload = Workload(cluster, history, args.seed, args.rate, args.clients, args.timeout)
        faults = Faults(cluster, history, args.seed, args.fault_interval)
        meta["loadStart"] = time.time()
        workload.start()
        faults.start()
        deadline = meta["loadStart"] + args.minutes * 60
        while time.time() < deadline:
            time.sleep(min(1.0, max(0.0, deadline - time.time())))
        faults.finish()
        meta["faultsEnd"] = time.time()
        workload.finish()
        meta["loadEnd"] = time.time()
        meta["workload"] = workload.counts
        meta["faults"] = faults.counts
        # Everything back up: PostgreSQL first, then any worker that is not running.
        if cluster.pg and cluster.pg.state != "up":
            ok, seconds, error = cluster.pg.restart("fast")
            history.note("PostgreSQL brought back for the drain: %s %s" % (ok, error))
        for w in cluster.workers:
            if w.state != "up" or w.proc.poll() is not None:
                w.start_retrying()
        status, answer = setup.send(setup_client, "setup", cluster.up_workers()[0], "POST",
                                    "/api/jobs/%s/pause" % meta["cron"]["jobId"])
        meta["cron"]["pausedAck"] = time.time() if status == 200 else None
        meta["drainStart"] = time.time()
        drained, seconds, stats = drain(cluster, history, args.drain_timeout)
        meta["drain"] = {"ok": drained, "seconds": round(seconds, 3), "stats": stats}
        setup_client.close()
        meta["snapshotStart"] = time.time()
        snapshot(cluster, history)
        meta["snapshotSeconds"] = round(time.time() - meta["snapshotStart"], 3)
        exits = cluster.shutdown()
        meta["shutdown"] = {name: {"code": code, "seconds": round(seconds, 3)} for name, (code, seconds) in exits.items()}
        meta["endedAt"] = time.time()
        return meta
    except BaseException:
        cluster.kill_everything()
        raise
    finally:
        history.write_json("meta.json", meta)
        history.close()
