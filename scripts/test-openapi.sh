#!/usr/bin/env bash
# The OpenAPI document says what the server accepts (issue 12): schemathesis (from PyPI, into
# .build/venv-schemathesis) reads it from the running server's GET /openapi.json and runs every
# check against `worker-demo serve --store memory`, with a fixed seed and a bounded number of
# examples. Semantic rules that JSON Schema cannot express are listed in
# scripts/openapi/schemathesis.toml. `/api/events` is left out: an event stream never ends, and
# scripts/test-events.sh checks it.
#
#   scripts/test-openapi.sh                         # CI: seed 1, 25 examples per operation
#   OPENAPI_EXAMPLES=500 OPENAPI_SEED=7 scripts/test-openapi.sh
#
# Environment: BUILD_CONFIG=debug|release (default release), SKIP_BUILD=1 to use an existing build.
set -uo pipefail
cd "$(dirname "$0")/.."

CONFIG="${BUILD_CONFIG:-release}"
if [ -z "${SKIP_BUILD:-}" ]; then
    swift build -c "$CONFIG" --product worker-demo >/dev/null || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
fi
BIN="$(swift build -c "$CONFIG" --show-bin-path)/worker-demo"

SCHEMATHESIS_VERSION=4.32.5
venv=.build/venv-schemathesis
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    echo "installing schemathesis $SCHEMATHESIS_VERSION into $venv"
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" \
        || { echo "pip install schemathesis failed"; echo "0 passed, 1 failed"; exit 1; }
fi

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
WORKER_PORT=$(port)
GATEWAY_PORT=$(port)
LOG=$(mktemp)
"$BIN" serve --store memory --worker-port "$WORKER_PORT" --gateway-port "$GATEWAY_PORT" >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$WORKER_PORT/health" >/dev/null && break; sleep 0.1; done

"$venv/bin/schemathesis" --config-file scripts/openapi/schemathesis.toml run \
    "http://127.0.0.1:$WORKER_PORT/openapi.json" --checks all \
    --max-examples "${OPENAPI_EXAMPLES:-25}" --seed "${OPENAPI_SEED:-1}" --workers 1 \
    --exclude-path /api/events --no-color
status=$?
kill -0 $PID 2>/dev/null || { echo "worker-demo died:"; tail -20 "$LOG"; status=1; }
if [ $status -eq 0 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; fi
exit $status
