"""Shared machinery of the contract acceptance suite: check bookkeeping, HTTP, processes, polling.

Python 3 standard library only.
"""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import time
import traceback
import urllib.parse

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def short(value, limit=400):
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= limit else text[:limit] + "...(%d chars)" % len(text)


class Suite:
    """Counts checks; prints each one; keeps the failures for the summary."""

    def __init__(self):
        self.passed = 0
        self.failures = []
        self.section_name = ""

    def section(self, name):
        self.section_name = name
        print("\n== %s" % name)

    def check(self, name, ok, expected=None, actual=None):
        name = "[%s] %s" % (self.section_name, name)
        if ok:
            self.passed += 1
            print("  ok    %s" % name)
        else:
            self.failures.append((name, expected, actual))
            print("  FAIL  %s\n        expected: %s\n        actual:   %s" % (name, short(expected), short(actual)))
        return bool(ok)

    def eq(self, name, actual, expected):
        return self.check(name, actual == expected, expected, actual)

    def run(self, name, fn, *args):
        """Runs a group of checks; an exception inside it is one failing check."""
        try:
            fn(self, *args)
        except Exception as error:  # noqa: BLE001 - any crash of a group is a failure
            self.check("%s: group ran to the end" % name, False, "no exception",
                       "%s: %s\n%s" % (type(error).__name__, error, traceback.format_exc(limit=4)))


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body
        self.text = body.decode("utf-8", "replace")
        try:
            self.json = json.loads(self.text) if self.text else None
        except ValueError:
            self.json = None

    def __repr__(self):
        return "HTTP %s %s" % (self.status, short(self.text, 300))


def request(base, method, path, body=None, raw=None, headers=None, timeout=15):
    """One HTTP request on a fresh connection; returns a Response (status 0 when none came)."""
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    sent_headers = dict(headers or {})
    if data is not None and "Content-Type" not in sent_headers:
        sent_headers["Content-Type"] = "application/json"
    sent_headers = {k: v for k, v in sent_headers.items() if v is not None}  # None: leave the header out
    try:
        try:
            conn.request(method, path, body=data, headers=sent_headers)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer (413) and close before reading the whole body
        response = conn.getresponse()
        body_bytes = response.read()
        return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, body_bytes)
    except (OSError, http.client.HTTPException) as error:
        return Response(0, {}, ("no response: %s" % error).encode())
    finally:
        conn.close()


def poll(fn, predicate, deadline=20.0, interval=0.05):
    """Calls fn until predicate(value) holds or the deadline passes; returns the last value."""
    end = time.monotonic() + deadline
    value = fn()
    while not predicate(value) and time.monotonic() < end:
        time.sleep(interval)
        value = fn()
    return value


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Process:
    """A worker-demo process with its output in a log file."""

    def __init__(self, binary, args, log_dir, name, env=None):
        self.name = name
        self.log_path = os.path.join(log_dir, name + ".log")
        self.log = open(self.log_path, "wb")
        full_env = dict(os.environ)
        full_env.pop("WORKER_STORE", None)
        full_env.pop("WORKER_SERVICE_URL", None)
        full_env.pop("PORT", None)
        full_env.update(env or {})
        self.popen = subprocess.Popen([binary] + args, stdout=self.log, stderr=subprocess.STDOUT, env=full_env)

    def wait_healthy(self, base, deadline=30.0):
        response = poll(lambda: request(base, "GET", "/health", timeout=2),
                        lambda r: r.status in (200, 503) or self.popen.poll() is not None, deadline, 0.1)
        return response.status in (200, 503)

    def stop(self, timeout=20.0):
        """SIGTERM, then waits; returns the exit code (None if it had to be killed)."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
                self.log.close()
                return None
        self.log.close()
        return self.popen.returncode

    def tail(self, lines=15):
        try:
            with open(self.log_path, "rb") as f:
                return b"\n".join(f.read().splitlines()[-lines:]).decode("utf-8", "replace")
        except OSError:
            return ""
