"""End-to-end checks of live events (API.md section 8) against running worker-demo processes.

Usage: sse_check.py CHECK [args...]; prints 'ok ...' lines and figures, exits 1 on a failed check.
A real Server-Sent Events client: HTTP/1.1 with chunked decoding (http.client), SSE framing parsed
by hand.
"""
import http.client
import json
import socket
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request

FAILED = []


def check(condition, what):
    if condition:
        print("  ok    " + what)
    else:
        print("  FAIL  " + what)
        FAILED.append(what)


class SSE:
    """One event stream; events are collected by a thread with their arrival time."""

    def __init__(self, base, path, method="GET", body=None, headers=None, rcvbuf=None, read=True):
        url = urllib.parse.urlparse(base)
        self.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        if rcvbuf:
            self.conn.sock = socket.create_connection((url.hostname, url.port))
            self.conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        hdrs = {"Accept": "text/event-stream"}
        hdrs.update(headers or {})
        self.conn.request(method, path, body=body, headers=hdrs)
        self.response = self.conn.getresponse()
        self.status = self.response.status
        self.events = []  # (arrival, event, id, data)
        self.comments = []
        self.closed = False
        self.lock = threading.Condition()
        if read and self.status == 200:
            threading.Thread(target=self.pump, daemon=True).start()

    def pump(self):
        event, ident, data = None, None, []
        try:
            while True:
                line = self.response.readline()
                if not line:
                    break
                line = line.decode().rstrip("\n")
                if line == "":
                    if event is not None or data:
                        with self.lock:
                            self.events.append((time.monotonic(), event or "message", ident, "\n".join(data)))
                            self.lock.notify_all()
                    event, ident, data = None, None, []
                elif line.startswith(":"):
                    with self.lock:
                        self.comments.append(line)
                elif line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("id:"):
                    ident = line[3:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].lstrip(" ") if line[5:6] == " " else line[5:])
        except Exception:
            pass
        with self.lock:
            self.closed = True
            self.lock.notify_all()

    def wait(self, predicate, timeout=10):
        deadline = time.monotonic() + timeout
        with self.lock:
            while not predicate(self.events):
                left = deadline - time.monotonic()
                if left <= 0 or self.closed:
                    return predicate(self.events)
                self.lock.wait(left)
            return True

    def wait_closed(self, timeout=15):
        deadline = time.monotonic() + timeout
        with self.lock:
            while not self.closed and time.monotonic() < deadline:
                self.lock.wait(0.2)
            return self.closed

    def close(self):
        try:
            self.conn.sock.shutdown(socket.SHUT_RDWR)
        except Exception:
            pass
        self.conn.close()


def post(base, path, body):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null")


def status_of(base, path):
    try:
        with urllib.request.urlopen(base + path, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def task_events(stream, task_id):
    return [json.loads(e[3]) for e in stream.events if e[1] == "task" and json.loads(e[3])["id"] == task_id]


def in_process(base):
    """Latency in one process, order of a task's events, ids, filters, bad filters."""
    stream = SSE(base, "/api/events?events=task&type=echo")
    check(stream.status == 200 and stream.response.getheader("Content-Type", "").startswith("text/event-stream"),
          "GET /api/events answers 200 text/event-stream")
    time.sleep(0.2)
    latencies = []
    ids = []
    for n in range(30):
        started = time.monotonic()
        task = post(base, "/api/tasks", {"type": "echo", "payload": {"n": n}})
        ids.append(task["id"])
        stream.wait(lambda events: any(e[1] == "task" and json.loads(e[3])["id"] == task["id"] for e in events))
        arrival = next(e[0] for e in stream.events if json.loads(e[3])["id"] == task["id"])
        latencies.append((arrival - started) * 1000)
    done = stream.wait(lambda events: all(any(json.loads(e[3])["id"] == i and json.loads(e[3])["status"] == "completed"
                                              for e in events) for i in ids))
    check(done, "every task's completion is delivered")
    orders = [[t["status"] for t in task_events(stream, i)] for i in ids]
    # A second process shares the file and may run some tasks: their changes are relayed (and may be
    # coalesced), so require lifecycle order, starting pending and ending completed.
    rank = {"pending": 0, "processing": 1, "completed": 2}
    in_order = all(o and o[0] == "pending" and o[-1] == "completed" and
                   [rank[x] for x in o] == sorted(rank[x] for x in o) for o in orders)
    check(in_order, "each task is seen pending -> (processing) -> completed, in lifecycle order (%s)"
          % [o for o in orders if o != ["pending", "processing", "completed"]][:3])
    event_ids = [int(e[2]) for e in stream.events]
    check(event_ids == sorted(event_ids) and len(set(event_ids)) == len(event_ids), "event ids increase")
    latencies.sort()
    p50 = statistics.median(latencies)
    print("  figure in-process delivery (POST sent -> event received, 30 tasks): p50 %.1f ms, max %.1f ms" % (p50, latencies[-1]))
    check(p50 < 50, "in-process delivery p50 under 50 ms (%.1f ms)" % p50)
    stream.close()

    # Filters.
    job = post(base, "/api/jobs", {"name": "e", "type": "echo", "schedule": "0 0 1 1 *"})
    waiting = post(base, "/api/tasks", {"type": "nohandler", "payload": {}})  # stays pending: no handler
    one = SSE(base, "/api/events?taskId=%s" % waiting["id"])
    jobs = SSE(base, "/api/events?events=job&jobId=%s" % job["id"])
    time.sleep(0.2)
    urllib.request.urlopen(urllib.request.Request(base + "/api/jobs/%s/pause" % job["id"], method="POST"), timeout=5)
    post(base, "/api/tasks/%s/cancel" % waiting["id"], {})
    urllib.request.urlopen(urllib.request.Request(base + "/api/jobs/%s" % job["id"], method="DELETE"), timeout=5)
    check(one.wait(lambda events: any(json.loads(e[3])["status"] == "cancelled" for e in events)),
          "?taskId= sees the task's cancel")
    check(all(e[1] == "task" and json.loads(e[3])["id"] == waiting["id"] for e in one.events), "?taskId= sees only that task, no job events")
    check(jobs.wait(lambda events: any(json.loads(e[3]).get("deleted") for e in events)), "?events=job&jobId= sees the delete")
    shapes = [(e[1], json.loads(e[3]).get("status"), json.loads(e[3]).get("deleted")) for e in jobs.events]
    check(shapes == [("job", "paused", None), ("job", None, True)], "job events: pause, then {id, deleted: true} (%s)" % shapes)
    one.close()
    jobs.close()
    for query, fragment in [("foo=1", "Unknown filter field 'foo'"), ("events=task,nope", "nope"), ("taskId=x", "taskId"),
                            ("queue=bad%20name", "queue")]:
        code, body = status_of(base, "/api/events?" + query)
        check(code == 400 and fragment in body and json.loads(body)["statusCode"] == 400, "?%s is a 400 naming it" % query)

    # Last-Event-ID resumes.
    last = max(int(e[2]) for e in stream.events)
    resumed = SSE(base, "/api/events?events=task&type=echo", headers={"Last-Event-ID": str(last - 3)})
    resumed.wait(lambda events: len(events) >= 3, timeout=3)
    check([int(e[2]) for e in resumed.events][:3] == [last - 2, last - 1, last], "Last-Event-ID replays the events after it")
    resumed.close()


def patch(base, path, body):
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="PATCH",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null")


def queues_and_batches(base):
    """event: queue on a setting change, ?queue= on tasks, event: batch and ?batchId= (section 8)."""
    queues = SSE(base, "/api/events?events=queue")
    batches = SSE(base, "/api/events?events=batch")
    in_queue = SSE(base, "/api/events?queue=sse-q2")
    time.sleep(0.2)
    patch(base, "/api/queues/sse-q", {"concurrency": 3})
    post(base, "/api/queues/sse-q/pause", {})
    check(queues.wait(lambda events: len(events) >= 2), "event: queue after PATCH and pause")
    shapes = [(e[1], json.loads(e[3])["name"], json.loads(e[3])["concurrency"], json.loads(e[3])["paused"])
              for e in queues.events]
    check(shapes[:2] == [("queue", "sse-q", 3, False), ("queue", "sse-q", 3, True)],
          "queue events carry the Queue JSON as it is after the change (%s)" % shapes)
    mine = post(base, "/api/tasks", {"type": "nohandler", "queue": "sse-q2"})
    post(base, "/api/tasks", {"type": "nohandler"})
    post(base, "/api/tasks/%s/cancel" % mine["id"], {})
    check(in_queue.wait(lambda events: any(json.loads(e[3])["status"] == "cancelled" for e in events)),
          "?queue= sees the queue's task")
    check(all(json.loads(e[3]).get("queue") == "sse-q2" or json.loads(e[3]).get("name") == "sse-q2"
              for e in in_queue.events), "?queue= sees nothing of other queues")

    batch = post(base, "/api/batches", {"tasks": [{"type": "nohandler"}, {"type": "nohandler"}],
                                        "callback": {"type": "nohandler"}})
    one = SSE(base, "/api/events?batchId=%s" % batch["id"])
    time.sleep(0.2)
    check(batches.wait(lambda events: any(json.loads(e[3])["id"] == batch["id"] for e in events)),
          "event: batch when a batch is created")
    post(base, "/api/tasks", {"type": "nohandler"})  # not of the batch: must not reach ?batchId=
    post(base, "/api/batches/%s/cancel" % batch["id"], {})
    finished = one.wait(lambda events: any(e[1] == "batch" and json.loads(e[3])["counts"]["cancelled"] == 2
                                           for e in events))
    check(finished, "?batchId= sees the batch's counts reach cancelled 2")
    kinds = sorted({e[1] for e in one.events})
    foreign = [json.loads(e[3])["id"] for e in one.events if e[1] == "task"
               and json.loads(e[3]).get("batchId") != batch["id"]]
    check(kinds == ["batch", "task"] and not foreign, "?batchId= carries the batch's tasks and batch events only (%s, %s)"
          % (kinds, foreign))
    last = [json.loads(e[3]) for e in one.events if e[1] == "batch"][-1]
    check(last["status"] == "failed" and last["finishedAt"] is not None, "the last batch event: failed, finishedAt set")
    for stream in (queues, batches, in_queue, one):
        stream.close()


def cross_queue(subscribe_base, write_base, bound_ms, label):
    """A queue setting changed by another process sharing the store is delivered."""
    stream = SSE(subscribe_base, "/api/events?events=queue")
    time.sleep(0.3)
    started = time.monotonic()
    patch(write_base, "/api/queues/cross-%d" % int(started * 1000), {"rateLimit": {"limit": 5, "periodMs": 1000}})
    ok = stream.wait(lambda events: len(events) >= 1, timeout=5)
    check(ok and json.loads(stream.events[0][3])["rateLimit"] == {"limit": 5, "periodMs": 1000},
          "%s: a queue setting changed by the other process is delivered" % label)
    if ok:
        elapsed = (stream.events[0][0] - started) * 1000
        print("  figure %s cross-process queue event: %.1f ms" % (label, elapsed))
        check(elapsed < 2 * bound_ms, "%s: within %d ms" % (label, 2 * bound_ms))
    stream.close()


def overflow(base):
    """A client that does not read is sent event: overflow and disconnected; workers keep going."""
    slow = SSE(base, "/api/events", rcvbuf=4096, read=False)
    check(slow.status == 200, "slow subscriber connected")
    big = "x" * 60000
    started = time.monotonic()
    for n in range(120):
        post(base, "/api/tasks", {"type": "echo", "payload": {"n": n, "pad": big}})
    elapsed = time.monotonic() - started
    print("  figure 120 tasks of 60 KB created in %.2f s with a stalled subscriber" % elapsed)
    saw_overflow = False
    lines = 0
    try:
        while True:
            line = slow.response.readline()
            if not line:
                break
            lines += 1
            if line.startswith(b"event: overflow"):
                saw_overflow = True
    except Exception:
        pass
    # On a fast machine the buffer fills first (overflow); on a slow one the write timeout (10 s
    # without progress) may reset the connection first. Either way the subscriber is cut off.
    print("  figure stalled subscriber: %s" % ("event: overflow, then closed" if saw_overflow else "reset by the write timeout"))
    # 120 tasks x 3 events x 4 lines: a subscriber that was not cut off would read about 1,440 lines.
    check(saw_overflow or lines < 1000, "the stalled subscriber was cut off (overflow or write timeout): %d lines read" % lines)
    code, _ = status_of(base, "/api/tasks?limit=1")
    check(code == 200, "the service still answers")


def cross(subscribe_base, write_base, bound_ms, label):
    """A change made through another process sharing the store is delivered within the bound."""
    stream = SSE(subscribe_base, "/api/events?events=task&type=nohandler")
    time.sleep(0.3)
    latencies = []
    for n in range(10):
        started = time.monotonic()
        task = post(write_base, "/api/tasks", {"type": "nohandler", "payload": {"n": n}})
        ok = stream.wait(lambda events: any(json.loads(e[3])["id"] == task["id"] for e in events), timeout=5)
        if ok:
            arrival = next(e[0] for e in stream.events if json.loads(e[3])["id"] == task["id"])
            latencies.append((arrival - started) * 1000)
        time.sleep(0.05)
    check(len(latencies) == 10, "%s: every task created by the other process is delivered" % label)
    if latencies:
        latencies.sort()
        print("  figure %s cross-process delivery (10 tasks): p50 %.1f ms, max %.1f ms" % (label, statistics.median(latencies), latencies[-1]))
        # The contract's bound for the median; twice it for the slowest (a loaded CI machine).
        check(statistics.median(latencies) < bound_ms and latencies[-1] < 2 * bound_ms,
              "%s: cross-process delivery p50 within %d ms, max within %d ms" % (label, bound_ms, 2 * bound_ms))
    stream.close()


def graphql_sse(gateway, worker, label):
    """graphql-sse distinct connections: next per event, validation errors as 400."""
    body = json.dumps({"query": 'subscription { taskUpdated(type: "echo") { id status } }'})
    stream = SSE(gateway, "/graphql", method="POST", body=body, headers={"Content-Type": "application/json"})
    check(stream.status == 200, "%s: subscription answers 200 text/event-stream" % label)
    time.sleep(0.5)
    task = post(worker, "/api/tasks", {"type": "echo", "payload": {}})
    done = stream.wait(lambda events: any(e[1] == "next" and json.loads(e[3])["data"]["taskUpdated"] == {"id": task["id"], "status": "COMPLETED"}
                                          for e in events))
    check(done, "%s: event: next carries {data: {taskUpdated: ...}} up to COMPLETED" % label)
    statuses = [json.loads(e[3])["data"]["taskUpdated"]["status"] for e in stream.events if e[1] == "next"]
    check(statuses[-3:] == ["PENDING", "PROCESSING", "COMPLETED"], "%s: statuses in order (%s)" % (label, statuses))
    stream.close()
    for query, fragment in [("subscription { taskUpdated { id } jobUpdated { id } }", "must select only one top level field"),
                            ('subscription { taskUpdated(taskId: "abc") { id } }', "taskId")]:
        bad = SSE(gateway, "/graphql", method="POST", body=json.dumps({"query": query}),
                  headers={"Content-Type": "application/json"}, read=False)
        text = bad.response.read().decode()
        check(bad.status == 400 and fragment in text and "GRAPHQL_VALIDATION_FAILED" in text,
              "%s: %s -> 400 validation error" % (label, fragment))
    return True


def complete_on_shutdown(gateway):
    """Opens a subscription and returns it, for the caller to stop the server and check complete."""
    body = json.dumps({"query": "subscription { jobUpdated { id } }"})
    return SSE(gateway, "/graphql", method="POST", body=body, headers={"Content-Type": "application/json"})


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "in-process":
        in_process(sys.argv[2])
        queues_and_batches(sys.argv[2])
    elif what == "overflow":
        overflow(sys.argv[2])
    elif what == "cross":
        cross(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
        cross_queue(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
    elif what == "graphql":
        graphql_sse(sys.argv[2], sys.argv[3], sys.argv[4])
    elif what == "complete":
        stream = complete_on_shutdown(sys.argv[2])
        time.sleep(0.5)
        open(sys.argv[3], "w").write("subscribed\n")
        check(stream.wait(lambda events: any(e[1] == "complete" for e in events), timeout=20), "graphql-sse: event: complete when the server shuts down")
    print("%d failed" % len(FAILED))
    sys.exit(1 if FAILED else 0)
