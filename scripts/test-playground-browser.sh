#!/usr/bin/env bash
# End-to-end check of the GraphQL playground in a real browser:
#   1. starts `worker-demo serve` (in-memory store) on free ports (or GATEWAY_PORT / WORKER_PORT),
#   2. opens http://127.0.0.1:$GATEWAY_PORT/graphql?query={ taskStats { total } }&autorun=1 in
#      headless Chromium (installed with apt-get when missing), which loads the schema by
#      introspection and runs the query through the page,
#   3. checks that the dumped DOM shows the answer ("total") with the run marked done.
# Prints PASS or FAIL and exits non-zero on failure.
#
# Environment: WORKER_DEMO (path to a built worker-demo; default: build it with swift build),
# GATEWAY_PORT, WORKER_PORT, CHROMIUM (browser binary), BROWSER_BUDGET_MS (virtual time, default 15000).
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "FAIL: test-playground-browser: $*"; exit 1; }

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# --- the browser ---------------------------------------------------------------------------
find_chromium() {
    for candidate in "${CHROMIUM:-}" chromium chromium-browser google-chrome google-chrome-stable; do
        [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 && { command -v "$candidate"; return 0; }
    done
    return 1
}
if ! BROWSER=$(find_chromium); then
    echo "chromium not found; installing it with apt-get"
    if [ "$(id -u)" -ne 0 ]; then fail "chromium is missing and this user cannot apt-get install it"; fi
    export DEBIAN_FRONTEND=noninteractive
    (apt-get update -qq && apt-get install -y -qq chromium) >/tmp/test-playground-apt.log 2>&1 \
        || fail "apt-get install chromium failed (see /tmp/test-playground-apt.log)"
    BROWSER=$(find_chromium) || fail "chromium is still missing after apt-get install"
fi

# --- the server ----------------------------------------------------------------------------
if [ -z "${WORKER_DEMO:-}" ]; then
    CONFIG="${BUILD_CONFIG:-debug}"
    if [ -z "${SKIP_BUILD:-}" ]; then
        swift build -c "$CONFIG" --product worker-demo >/tmp/test-playground-build.log 2>&1 \
            || { tail -30 /tmp/test-playground-build.log; fail "swift build --product worker-demo failed"; }
    fi
    WORKER_DEMO="$(swift build -c "$CONFIG" --show-bin-path)/worker-demo"
fi
[ -x "$WORKER_DEMO" ] || fail "worker-demo not found at $WORKER_DEMO"

GATEWAY_PORT=${GATEWAY_PORT:-$(free_port)}
WORKER_PORT=${WORKER_PORT:-$(free_port)}
WORKDIR=$(mktemp -d)
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -INT "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORKDIR"
}
trap cleanup EXIT

"$WORKER_DEMO" serve --store memory --host 127.0.0.1 \
    --worker-port "$WORKER_PORT" --gateway-port "$GATEWAY_PORT" >"$WORKDIR/server.log" 2>&1 &
SERVER_PID=$!

# Wait (up to 30 s) until the gateway answers its health check.
ready=""
for _ in $(seq 1 300); do
    if curl -fsS "http://127.0.0.1:$GATEWAY_PORT/health" >/dev/null 2>&1; then ready=yes; break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORKDIR/server.log"; fail "worker-demo exited early"; }
    sleep 0.1
done
[ -n "$ready" ] || { cat "$WORKDIR/server.log"; fail "the gateway did not answer /health on port $GATEWAY_PORT"; }

# Something to count: one task created over REST, so the answer is {"total": 1}.
curl -fsS -X POST "http://127.0.0.1:$WORKER_PORT/api/tasks" -H 'Content-Type: application/json' \
    -d '{"type":"playground-check","payload":{}}' >/dev/null || fail "could not create a task over REST"

# The page itself must be self-contained.
curl -fsS -H 'Accept: text/html' "http://127.0.0.1:$GATEWAY_PORT/graphql" >"$WORKDIR/page.html" \
    || fail "GET /graphql with Accept: text/html failed"
grep -q '<textarea id="query"' "$WORKDIR/page.html" || fail "the playground page has no editor"
if grep -Eq '<script[^>]+src=|<link[^>]+href=|https?://' "$WORKDIR/page.html"; then
    fail "the playground page refers to external resources"
fi

# --- run the query through the page ---------------------------------------------------------
URL="http://127.0.0.1:$GATEWAY_PORT/graphql?query=%7B%20taskStats%20%7B%20total%20%7D%20%7D&autorun=1"
timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
    --disable-extensions --user-data-dir="$WORKDIR/profile" \
    --virtual-time-budget="${BROWSER_BUDGET_MS:-15000}" --dump-dom "$URL" \
    >"$WORKDIR/dom.html" 2>"$WORKDIR/browser.log" || true

if ! grep -q 'id="result" data-state="done"' "$WORKDIR/dom.html"; then
    echo "--- dumped DOM (result) ---"; grep -A5 'id="result"' "$WORKDIR/dom.html" || head -c 2000 "$WORKDIR/dom.html"
    echo "--- browser log (tail) ---"; tail -20 "$WORKDIR/browser.log"
    fail "the page did not finish running the query"
fi
result=$(python3 - "$WORKDIR/dom.html" <<'PY'
import html, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
match = re.search(r'<pre id="result"[^>]*>(.*?)</pre>', dom, re.S)
print(html.unescape(match.group(1)) if match else "")
PY
)
echo "$result" | grep -q '"total"' || { echo "$result"; fail "the answer shown does not contain \"total\""; }
echo "$result" | python3 -c 'import json, sys; d = json.load(sys.stdin); assert d == {"data": {"taskStats": {"total": 1}}}, d' \
    || { echo "$result"; fail "the answer is not {\"data\":{\"taskStats\":{\"total\":1}}}"; }
grep -q '<summary>Query' "$WORKDIR/dom.html" || fail "the schema panel did not list the Query type"
grep -q 'createTask' "$WORKDIR/dom.html" || fail "the schema panel did not list the mutations"

# --- issue 12 C3b: a link can never make the page run a mutation by itself -------------------
MUTATION_URL="http://127.0.0.1:$GATEWAY_PORT/graphql?query=mutation%7BcreateTask(input:%7Btype:%22x%22%7D)%7Bid%7D%7D&autorun=1"
timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
    --disable-extensions --user-data-dir="$WORKDIR/profile" \
    --virtual-time-budget="${BROWSER_BUDGET_MS:-15000}" --dump-dom "$MUTATION_URL" \
    >"$WORKDIR/dom-mutation.html" 2>>"$WORKDIR/browser.log" || true
grep -q 'id="result" data-state="done" data-http-status="405"' "$WORKDIR/dom-mutation.html" \
    || { grep -A3 'id="result"' "$WORKDIR/dom-mutation.html"; fail "the automatic run of a mutation link was not refused with 405"; }
total=$(curl -fsS "http://127.0.0.1:$WORKER_PORT/api/tasks" | python3 -c 'import json, sys; print(json.load(sys.stdin)["total"])')
[ "$total" = "1" ] || fail "a mutation link created a task through the playground (total is $total, expected 1)"

# --- the grown-up playground, driven by Selenium (completion, validation, history, streams) -----
DRIVER=""
for candidate in "${CHROMEDRIVER:-}" chromedriver; do
    [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 && { DRIVER=$(command -v "$candidate"); break; }
done
if [ -z "$DRIVER" ]; then
    [ "$(id -u)" -eq 0 ] || fail "chromium-driver is missing and this user cannot apt-get install it"
    (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-driver || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-driver)) \
        >/tmp/test-playground-apt.log 2>&1 || fail "apt-get install chromium-driver failed (see /tmp/test-playground-apt.log)"
    DRIVER=$(command -v chromedriver) || fail "chromedriver is still missing"
fi
VENV=.build/venv
if ! "$VENV/bin/python" -c 'import selenium' >/dev/null 2>&1; then
    python3 -m venv "$VENV" >/tmp/test-playground-venv.log 2>&1 || fail "python3 -m venv failed"
    "$VENV/bin/pip" install -q selenium >>/tmp/test-playground-venv.log 2>&1 || fail "pip install selenium failed"
fi
CHROMIUM="$BROWSER" CHROMEDRIVER="$DRIVER" "$VENV/bin/python" scripts/dashboard/playground_check.py \
    "http://127.0.0.1:$GATEWAY_PORT" "http://127.0.0.1:$WORKER_PORT" .build/screenshots \
    || fail "the playground's Selenium checks failed"

echo "PASS: test-playground-browser: the playground ran { taskStats { total } } and showed $(echo "$result" | tr -d ' \n'); a mutation link did not run"
