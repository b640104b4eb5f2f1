#!/usr/bin/env bash
# End-to-end check of the operator dashboard (API.md section 9) in a real browser:
#   1. installs headless Chromium and chromium-driver with apt-get when missing, and Selenium from
#      PyPI into .build/venv (created here when missing),
#   2. starts `worker-demo serve` (in-memory store) on free ports,
#   3. checks the page over curl (self-contained, under 300 KB, time to first load),
#   4. runs scripts/dashboard/browser_check.py: no request leaves the origin, tasks created through
#      the API appear without a reload, filter, select all failed and retry, pause a queue, watch a
#      task's progress move, create a cron job with an invalid and then a valid expression,
#   5. leaves a screenshot of every view in .build/screenshots (UPDATE_DOCS_IMAGES=1 also copies
#      the 1280x800 ones into Docs/images/).
# Prints PASS or FAIL and exits non-zero on failure.
#
# Environment: WORKER_DEMO (a built worker-demo; default: swift build), CHROMIUM, CHROMEDRIVER,
# UPDATE_DOCS_IMAGES.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "FAIL: test-dashboard-browser: $*"; exit 1; }
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# --- the browser and its driver ------------------------------------------------------------------
find_first() {
    for candidate in "$@"; do
        [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 && { command -v "$candidate"; return 0; }
    done
    return 1
}
BROWSER=$(find_first "${CHROMIUM:-}" chromium chromium-browser) || BROWSER=""
DRIVER=$(find_first "${CHROMEDRIVER:-}" chromedriver chromium-driver) || DRIVER=""
if [ -z "$BROWSER" ] || [ -z "$DRIVER" ]; then
    echo "chromium or chromium-driver not found; installing them with apt-get"
    [ "$(id -u)" -eq 0 ] || fail "chromium/chromium-driver are missing and this user cannot apt-get install them"
    export DEBIAN_FRONTEND=noninteractive
    (apt-get update -qq && apt-get install -y -qq chromium chromium-driver) >/tmp/test-dashboard-apt.log 2>&1 \
        || fail "apt-get install chromium chromium-driver failed (see /tmp/test-dashboard-apt.log)"
    BROWSER=$(find_first chromium chromium-browser) || fail "chromium still missing"
    DRIVER=$(find_first chromedriver) || fail "chromedriver still missing"
fi

# --- Selenium in .build/venv ---------------------------------------------------------------------
VENV=.build/venv
if ! "$VENV/bin/python" -c 'import selenium' >/dev/null 2>&1; then
    echo "installing selenium into $VENV"
    python3 -m venv "$VENV" >/tmp/test-dashboard-venv.log 2>&1 || fail "python3 -m venv failed (apt-get install python3-venv?)"
    "$VENV/bin/pip" install -q selenium >>/tmp/test-dashboard-venv.log 2>&1 || fail "pip install selenium failed (see /tmp/test-dashboard-venv.log)"
fi

# --- the server ----------------------------------------------------------------------------------
if [ -z "${WORKER_DEMO:-}" ]; then
    swift build --product worker-demo >/tmp/test-dashboard-build.log 2>&1 \
        || { tail -30 /tmp/test-dashboard-build.log; fail "swift build --product worker-demo failed"; }
    WORKER_DEMO="$(swift build --show-bin-path)/worker-demo"
fi
[ -x "$WORKER_DEMO" ] || fail "worker-demo not found at $WORKER_DEMO"

WORKER_PORT=$(free_port)
GATEWAY_PORT=$(free_port)
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
ready=""
for _ in $(seq 1 300); do
    if curl -fsS "http://127.0.0.1:$WORKER_PORT/health" >/dev/null 2>&1; then ready=yes; break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORKDIR/server.log"; fail "worker-demo exited early"; }
    sleep 0.1
done
[ -n "$ready" ] || { cat "$WORKDIR/server.log"; fail "the worker did not answer /health on port $WORKER_PORT"; }
BASE="http://127.0.0.1:$WORKER_PORT"

# --- the page over curl --------------------------------------------------------------------------
curl -fsS "$BASE/dashboard" -o "$WORKDIR/page.html" || fail "GET /dashboard failed"
bytes=$(wc -c <"$WORKDIR/page.html")
[ "$bytes" -lt 300000 ] || fail "the dashboard is $bytes bytes, over 300 KB"
if grep -Eq '<script[^>]+src=|<link[^>]+href=|https?://' "$WORKDIR/page.html"; then
    fail "the dashboard references something outside the page"
fi
best=""
for _ in 1 2 3 4 5; do
    t=$(curl -fsS -o /dev/null -w '%{time_total}' "$BASE/dashboard")
    best=$(python3 -c "print(min(float('$t'), float('${best:-9}')))")
done
ms=$(python3 -c "print(round($best * 1000, 1))")
echo "dashboard: $bytes bytes, best of 5 loads over loopback ${ms} ms"
python3 -c "import sys; sys.exit(0 if $best < 0.2 else 1)" || fail "the dashboard took ${ms} ms to load (over 200 ms)"

# --- the browser ---------------------------------------------------------------------------------
SHOTS=.build/screenshots
mkdir -p "$SHOTS"
if ! CHROMIUM="$BROWSER" CHROMEDRIVER="$DRIVER" "$VENV/bin/python" scripts/dashboard/browser_check.py "$BASE" "$SHOTS"; then
    tail -20 "$WORKDIR/server.log"
    fail "the browser checks failed (screenshots in $SHOTS)"
fi
# --- the token prompt (access control, API.md section 10) ----------------------------------------
TOKEN_PORT=$(free_port)
TOKEN_GATEWAY_PORT=$(free_port)
"$WORKER_DEMO" serve --store memory --host 127.0.0.1 --worker-port "$TOKEN_PORT" --gateway-port "$TOKEN_GATEWAY_PORT" \
    --api-tokens "read:dash-read-token-1,write:dash-write-token-2" >"$WORKDIR/token-server.log" 2>&1 &
TOKEN_PID=$!
for _ in $(seq 1 300); do
    curl -fsS "http://127.0.0.1:$TOKEN_PORT/health" >/dev/null 2>&1 && break
    sleep 0.1
done
token_ok=yes
CHROMIUM="$BROWSER" CHROMEDRIVER="$DRIVER" "$VENV/bin/python" scripts/dashboard/token_check.py \
    "http://127.0.0.1:$TOKEN_PORT" dash-write-token-2 || token_ok=""
kill -INT "$TOKEN_PID" 2>/dev/null; wait "$TOKEN_PID" 2>/dev/null || true
[ -n "$token_ok" ] || { tail -20 "$WORKDIR/token-server.log"; fail "the token prompt checks failed"; }

if [ "${UPDATE_DOCS_IMAGES:-}" = 1 ]; then
    mkdir -p Docs/images
    for view in overview tasks task jobs queues batches overview-phone; do
        cp "$SHOTS/$view.png" "Docs/images/dashboard-$view.png"
    done
    echo "copied the screenshots into Docs/images/"
fi
echo "PASS: test-dashboard-browser (screenshots in $SHOTS)"
