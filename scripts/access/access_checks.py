"""End-to-end checks of access control (API.md section 10) and the CSRF rules (issue 12 C3a-C3c).

Starts worker-demo in serve mode and in split mode (worker + gateway, the gateway with and without
tokens of its own) on free ports, and calls every REST route, /metrics, /health, /api/events and
GraphQL queries, mutations (and subscriptions, when the schema has them) with no token, a wrong
token, a read token and a write token. Python 3 standard library only.

usage: access_checks.py WORKER_DEMO_BINARY REPO_ROOT
"""
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

READ, WRITE = "r3ad-e2e-token-0001", "wr1te-e2e-token-0002"
TOKENS = "read:%s,write:%s" % (READ, WRITE)
CALLERS = {"none": None, "wrong": "not-a-valid-token", "read": READ, "write": WRITE}

passed = 0
failures = []


def check(name, condition, detail=""):
    global passed
    if condition:
        passed += 1
        print("  ok    %s" % name)
    else:
        failures.append(name)
        print("  FAIL  %s\n        %s" % (name, str(detail)[:400]))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def request(port, method, path, body=None, headers=None, token=None, timeout=10):
    """Returns (status, headers dict lower-case, body text); reads at most 64 KiB (event streams)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    hdrs = dict(headers or {})
    if token is not None:
        hdrs["Authorization"] = "Bearer " + token
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        hdrs.setdefault("Content-Type", "application/json")
    conn.request(method, path, body=data, headers=hdrs)
    response = conn.getresponse()
    response_headers = {k.lower(): v for k, v in response.getheaders()}
    if "text/event-stream" in response_headers.get("content-type", ""):
        text = ""  # a live stream: the status and headers are what we check
    else:
        text = response.read(65536).decode("utf-8", "replace")
    conn.close()
    return response.status, response_headers, text


def wait_ready(port, deadline=60):
    end = time.time() + deadline
    while time.time() < end:
        try:
            status, _, _ = request(port, "GET", "/health", timeout=2)
            if status in (200, 503):
                return True
        except OSError:
            time.sleep(0.1)
    return False


class Process:
    def __init__(self, binary, args, logdir, name):
        self.log_path = os.path.join(logdir, name + ".log")
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([binary] + args, stdout=self.log, stderr=self.log)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def text(self):
        self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def audit_lines(self):
        lines = []
        for line in self.text().splitlines():
            if line.startswith("{"):
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if entry.get("audit") is True:
                    lines.append(entry)
        return lines


def documented_routes(root):
    """(method, path template) of every operation in Web/openapi/openapi.json, plus the contract's own."""
    routes = set()
    try:
        with open(os.path.join(root, "Web", "openapi", "openapi.json")) as f:
            for path, item in json.load(f)["paths"].items():
                for method in item:
                    if method in ("get", "post", "patch", "put", "delete"):
                        routes.add((method.upper(), path))
    except (OSError, ValueError, KeyError):
        pass
    contract = [
        ("POST", "/api/tasks"), ("GET", "/api/tasks"), ("GET", "/api/tasks/{id}"), ("POST", "/api/tasks/{id}/retry"),
        ("POST", "/api/tasks/{id}/cancel"), ("GET", "/api/tasks/{id}/logs"), ("GET", "/api/tasks/stats/summary"),
        ("POST", "/api/jobs"), ("PATCH", "/api/jobs/{id}"), ("GET", "/api/jobs"), ("GET", "/api/jobs/{id}"),
        ("POST", "/api/jobs/{id}/pause"), ("POST", "/api/jobs/{id}/resume"), ("POST", "/api/jobs/{id}/trigger"),
        ("DELETE", "/api/jobs/{id}"), ("GET", "/health"), ("GET", "/metrics"),
        # Part two of the contract: guarded whether or not they exist yet (an unknown path is guarded too).
        ("GET", "/api/queues"), ("GET", "/api/queues/{name}"), ("PATCH", "/api/queues/{name}"),
        ("POST", "/api/queues/{name}/pause"), ("POST", "/api/queues/{name}/resume"), ("POST", "/api/batches"),
        ("GET", "/api/batches"), ("GET", "/api/batches/{id}"), ("POST", "/api/batches/{id}/cancel"),
        ("POST", "/api/tasks/bulk"), ("GET", "/api/tasks/stats/timeseries"), ("GET", "/api/cron/next"),
        ("GET", "/api/jobs/{id}/next"), ("GET", "/api/events"),
    ]
    routes.update(contract)
    return sorted(routes)


def expected_requirement(method, path):
    if path == "/health" or path == "/dashboard" or path.startswith("/dashboard/") or path == "/openapi.json":
        return "open" if method in ("GET", "HEAD") else "write"
    return "read" if method in ("GET", "HEAD") else "write"


def concrete(template):
    return template.replace("{id}", "999999").replace("{name}", "e2e")


def check_rest_routes(label, port, root):
    print("== %s: every REST route x {no token, wrong token, read token, write token}" % label)
    for method, template in documented_routes(root):
        path = concrete(template)
        if template == "/api/cron/next":
            path += "?expr=*%20*%20*%20*%20*"
        need = expected_requirement(method, template)
        for caller, token in CALLERS.items():
            body = {} if method in ("POST", "PATCH", "PUT") else None
            try:
                status, headers, text = request(port, method, path, body=body, token=token, timeout=5)
            except (OSError, http.client.HTTPException) as error:
                check("%s %s %s as %s" % (label, method, template, caller), False, error)
                continue
            name = "%s %s %s as %s -> %s" % (label, method, template, caller, status)
            if need == "open" or (caller == "write") or (caller == "read" and need == "read"):
                check(name + " (allowed)", status not in (401, 403), text)
            elif caller in ("none", "wrong"):
                ok = status == 401 and headers.get("www-authenticate", "").startswith("Bearer")
                try:
                    j = json.loads(text)
                    ok = ok and j.get("statusCode") == 401 and j.get("error") == "Unauthorized" and bool(j.get("message"))
                except ValueError:
                    ok = False
                check(name + " (401)", ok, "%s %s %s" % (status, headers.get("www-authenticate"), text))
            else:
                ok = status == 403
                try:
                    ok = ok and json.loads(text).get("error") == "Forbidden"
                except ValueError:
                    ok = False
                check(name + " (403)", ok, text)
    # The event stream also takes ?access_token= (EventSource cannot set headers).
    for token, allowed in ((READ, True), ("not-a-valid-token", False)):
        status, _, text = request(port, "GET", "/api/events?access_token=" + token, timeout=5)
        check("%s GET /api/events?access_token=%s -> %s" % (label, "read" if allowed else "wrong", status),
              (status not in (401, 403)) if allowed else status == 401, text)
    status, _, _ = request(port, "GET", "/api/tasks?access_token=" + READ)
    check("%s ?access_token= is not accepted outside the event stream (401)" % label, status == 401)
    status, _, text = request(port, "GET", "/health")
    check("%s /health stays open without a token" % label, status == 200 and READ not in text and WRITE not in text, text)
    status, _, text = request(port, "GET", "/metrics", token=READ)
    check("%s /metrics holds no token" % label, status == 200 and READ not in text and WRITE not in text)


def graphql(port, document, token, headers=None, variables=None):
    body = {"query": document}
    if variables is not None:
        body["variables"] = variables
    status, hdrs, text = request(port, "POST", "/graphql", body=body, token=token, headers=headers)
    try:
        j = json.loads(text) if text else None
    except ValueError:
        j = None
    return status, hdrs, j, text


QUERIES = ["{ taskStats { total } }", "{ tasks { total } }", "{ jobs { id } }", '{ task(taskId: "1") { id } }']
MUTATIONS = ['mutation { createTask(input: {type: "echo"}) { id } }', 'mutation { cancelTask(taskId: "999999") }',
             'mutation { pauseJob(jobId: "999999") }']


def check_graphql(label, port):
    print("== %s: GraphQL queries, mutations and subscriptions x callers" % label)
    for document in QUERIES + MUTATIONS:
        is_mutation = document.startswith("mutation")
        for caller, token in CALLERS.items():
            status, headers, j, text = graphql(port, document, token)
            name = "%s %s as %s -> %s" % (label, document[:48], caller, status)
            if caller in ("none", "wrong"):
                check(name + " (401)", status == 401 and headers.get("www-authenticate", "").startswith("Bearer")
                      and j is not None and j.get("statusCode") == 401 and j.get("error") == "Unauthorized", text)
            elif caller == "read" and is_mutation:
                ok = status == 403 and j is not None and j.get("data") is None and \
                    (j.get("errors") or [{}])[0].get("extensions", {}).get("code") == "FORBIDDEN"
                check(name + " (403 FORBIDDEN, no data)", ok, text)
            else:
                check(name + " (runs)", status == 200 and j is not None and "data" in j, text)
    # GET queries need read too; the playground page is open.
    status, _, _ = request(port, "GET", "/graphql?query=%7BtaskStats%7Btotal%7D%7D")
    check("%s GET /graphql?query= without a token -> 401" % label, status == 401)
    status, _, _ = request(port, "GET", "/graphql?query=%7BtaskStats%7Btotal%7D%7D", token=READ)
    check("%s GET /graphql?query= with a read token -> 200" % label, status == 200)
    status, headers, text = request(port, "GET", "/graphql", headers={"Accept": "text/html"})
    check("%s playground page is open, not frameable" % label,
          status == 200 and headers.get("x-frame-options") == "DENY"
          and "frame-ancestors 'none'" in headers.get("content-security-policy", ""), headers)
    status, _, text = request(port, "GET", "/health")
    check("%s gateway /health is open" % label, status == 200, text)
    # Subscriptions: only when the schema has them.
    status, _, j, _ = graphql(port, "{ __schema { subscriptionType { name } } }", READ)
    has_subscriptions = bool(j and (j.get("data") or {}).get("__schema", {}).get("subscriptionType"))
    if has_subscriptions:
        sub = "subscription { taskUpdated { id } }"
        for caller, token in CALLERS.items():
            status, headers, _ = request(port, "POST", "/graphql", body={"query": sub}, token=token,
                                         headers={"Accept": "text/event-stream"}, timeout=5)
            expected_ok = caller in ("read", "write")
            check("%s subscription as %s -> %s" % (label, caller, status),
                  (status == 200) if expected_ok else status == 401)
        # EventSource cannot set headers: a GET subscription takes ?access_token= (in split mode the
        # gateway sends it on to the worker's /api/events as a header).
        for caller, token in (("read", READ), ("write", WRITE), ("wrong", "not-a-token")):
            path = "/graphql?query=" + urllib.parse.quote(sub) + "&access_token=" + token
            status, _, _ = request(port, "GET", path, headers={"Accept": "text/event-stream"}, timeout=5)
            check("%s GET subscription with ?access_token= as %s -> %s" % (label, caller, status),
                  status == (401 if caller == "wrong" else 200))
    else:
        print("  (the schema has no subscriptions yet: subscription checks skipped)")


def check_csrf(label, worker, gateway):
    print("== %s: cross-site requests (issue 12 C3a, C3c)" % label)
    evil = {"Origin": "http://evil.example"}
    status, _, j, text = graphql(gateway, 'mutation { createTask(input: {type: "x"}) { id } }', WRITE,
                                 headers=dict(evil, **{"Content-Type": "text/plain"}))
    check("%s C3a text/plain mutation from a foreign page -> 415" % label, status == 415, text)
    for ctype in ("application/x-www-form-urlencoded", "application/graphql"):
        status, _, text = request(gateway, "POST", "/graphql", body=b'mutation { createTask(input: {type: "x"}) { id } }',
                                  headers=dict(evil, **{"Content-Type": ctype}), token=WRITE)
        check("%s C3a %s from a foreign page -> 415" % (label, ctype), status == 415, text)
    status, _, text = request(worker, "POST", "/api/tasks", body={"type": "echo"}, token=WRITE)
    task_id = json.loads(text).get("id") if status == 201 else "1"
    status, _, text = request(worker, "POST", "/api/tasks/%s/cancel" % task_id, token=WRITE,
                              headers=dict(evil, **{"Content-Type": "text/plain"}))
    check("%s C3c bodiless cancel, foreign Origin, text/plain -> 415" % label, status == 415, text)
    conn = http.client.HTTPConnection("127.0.0.1", worker, timeout=5)
    conn.putrequest("POST", "/api/tasks")
    conn.putheader("Origin", "http://evil.example")
    conn.putheader("Authorization", "Bearer " + WRITE)
    conn.putheader("Content-Length", "14")
    conn.endheaders()
    conn.send(b'{"type":"x"}  ')
    response = conn.getresponse()
    check("%s C3c body without Content-Type from a foreign page -> 415" % label, response.status == 415)
    conn.close()
    origin = "http://127.0.0.1:%d" % worker
    status, _, text = request(worker, "POST", "/api/tasks/%s/cancel" % task_id, token=WRITE, headers={"Origin": origin})
    check("%s same-origin bodiless cancel is allowed" % label, status in (200, 400), text)


def check_cors(label, port, allowed):
    print("== %s: CORS" % label)
    preflight = {"Origin": allowed, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization, content-type"}
    status, headers, _ = request(port, "OPTIONS", "/api/tasks", headers=preflight)
    check("%s preflight from %s -> 204 with Access-Control-Allow-Origin" % (label, allowed),
          status == 204 and headers.get("access-control-allow-origin") == allowed
          and "authorization" in headers.get("access-control-allow-headers", "").lower(), (status, headers))
    status, headers, _ = request(port, "OPTIONS", "/api/tasks", headers=dict(preflight, Origin="http://evil.example"))
    check("%s preflight from an unlisted origin has no Access-Control-Allow-Origin" % label,
          "access-control-allow-origin" not in headers, headers)
    status, headers, _ = request(port, "GET", "/api/tasks", token=READ, headers={"Origin": allowed})
    check("%s GET from %s carries Access-Control-Allow-Origin" % (label, allowed),
          status == 200 and headers.get("access-control-allow-origin") == allowed, headers)


def check_audit(label, process, expect_fields):
    lines = process.audit_lines()
    check("%s audit lines are JSON with time, role, method, path, status" % label,
          bool(lines) and all({"time", "role", "method", "path", "status"} <= set(entry) for entry in lines), lines[:3])
    check("%s a write change is audited with role write" % label,
          any(e["role"] == "write" and e["method"] == "POST" and e["status"] in (200, 201) for e in lines), lines[:5])
    check("%s 401 refusals are audited" % label, any(e["status"] == 401 and e["role"] is None for e in lines))
    check("%s 403 refusals are audited with role read" % label, any(e["status"] == 403 and e["role"] == "read" for e in lines))
    if expect_fields:
        check("%s mutations are audited with their field names" % label,
              any("createTask" in (e.get("fields") or []) for e in lines), [e for e in lines if e.get("fields")][:3])
    text = process.text()
    check("%s the log never shows a token" % label, READ not in text and WRITE not in text and "not-a-valid-token" not in text)
    check("%s the start-up line says access control is on" % label, "access control: on" in text)


def main():
    binary, root = sys.argv[1], sys.argv[2]
    logdir = tempfile.mkdtemp(prefix="access-e2e-")
    processes = []
    try:
        # serve: both ports in one process.
        worker, gateway = free_port(), free_port()
        serve = Process(binary, ["serve", "--store", "memory", "--worker-port", str(worker), "--gateway-port", str(gateway),
                                 "--api-tokens", TOKENS, "--cors-origin", "http://ops.example"], logdir, "serve")
        processes.append(serve)
        if not (wait_ready(worker) and wait_ready(gateway)):
            check("serve mode starts", False, serve.text())
            return
        check_rest_routes("serve", worker, root)
        check_graphql("serve", gateway)
        check_csrf("serve", worker, gateway)
        check_cors("serve", worker, "http://ops.example")
        check_audit("serve", serve, expect_fields=True)
        serve.stop()

        # split: worker and gateway, both with tokens; the gateway checks, then forwards.
        worker = free_port()
        w = Process(binary, ["worker", "--store", "memory", "--port", str(worker), "--api-tokens", TOKENS], logdir, "worker")
        processes.append(w)
        if not wait_ready(worker):
            check("split worker starts", False, w.text())
            return
        gateway = free_port()
        g = Process(binary, ["gateway", "--port", str(gateway), "--worker-url", "http://127.0.0.1:%d" % worker,
                             "--api-tokens", TOKENS], logdir, "gateway")
        processes.append(g)
        if not wait_ready(gateway):
            check("split gateway starts", False, g.text())
            return
        check_rest_routes("split", worker, root)
        check_graphql("split", gateway)
        check_csrf("split", worker, gateway)
        check_audit("split worker", w, expect_fields=False)
        check_audit("split gateway", g, expect_fields=True)
        g.stop()

        # split, gateway without tokens: the worker's rule decides through the forwarded header.
        gateway = free_port()
        g2 = Process(binary, ["gateway", "--port", str(gateway), "--worker-url", "http://127.0.0.1:%d" % worker], logdir,
                     "gateway-forwarding")
        processes.append(g2)
        if not wait_ready(gateway):
            check("forwarding gateway starts", False, g2.text())
            return
        print("== split, gateway without tokens: the worker decides")
        for document in QUERIES[:2] + MUTATIONS[:1]:
            for caller, token in CALLERS.items():
                status, headers, j, text = graphql(gateway, document, token)
                mutation = document.startswith("mutation")
                if caller in ("none", "wrong"):
                    expected = 401
                elif caller == "read" and mutation:
                    expected = 403
                else:
                    expected = 200
                ok = status == expected and "unavailable" not in text
                if expected == 401:
                    ok = ok and headers.get("www-authenticate", "").startswith("Bearer")
                if expected == 403:
                    ok = ok and j is not None and j.get("data") is None and \
                        (j.get("errors") or [{}])[0].get("extensions", {}).get("code") == "FORBIDDEN"
                check("forwarding %s as %s -> %s (expected %s)" % (document[:40], caller, status, expected), ok, text)
        check("forwarding gateway says access control is off", "access control: off" in g2.text())
        g2.stop()
        w.stop()

        # No tokens on a non-loopback address: a warning.
        port = free_port()
        open_worker = Process(binary, ["worker", "--store", "memory", "--host", "0.0.0.0", "--port", str(port)], logdir, "open")
        processes.append(open_worker)
        wait_ready(port)
        text = open_worker.text()
        check("no tokens on 0.0.0.0: start-up says off and warns", "access control: off" in text and "WARNING" in text, text)
        status, _, _ = request(port, "POST", "/api/tasks", body={"type": "echo"})
        check("no tokens: a change is allowed and audited with role null", status == 201)
        time.sleep(0.2)
        check("no tokens: audit line has role null",
              any(e["role"] is None and e["status"] == 201 for e in open_worker.audit_lines()), open_worker.text())
        status, headers, _ = request(port, "OPTIONS", "/api/tasks",
                                     headers={"Origin": "http://ops.example", "Access-Control-Request-Method": "POST"})
        check("no --cors-origin: a preflight gets no CORS headers", "access-control-allow-origin" not in headers, headers)
        open_worker.stop()
    finally:
        for process in processes:
            process.stop()
    print("\n%d passed, %d failed" % (passed, len(failures)))
    for name in failures:
        print("  failed: %s" % name)


if __name__ == "__main__":
    main()
    sys.exit(1 if failures else 0)
