#!/usr/bin/env bash
# End-to-end test of access control (API.md section 10) and the CSRF rules (issue 12, C3a-C3c):
# builds worker-demo, then scripts/access/access_checks.py starts it in serve mode and in split mode
# (worker + gateway, the gateway with and without its own tokens) on free ports and calls every
# REST route, /metrics, /health, /api/events and GraphQL queries, mutations and subscriptions (when
# the schema has them) with no token, a wrong token, a read token and a write token; it also checks
# CORS, the cross-site rule, the audit lines and that no token reaches a log.
# Ends with "N passed, M failed"; exits non-zero on any failure.
#
# Environment: BUILD_CONFIG=debug|release (default debug), SKIP_BUILD=1 to use an existing build.
set -uo pipefail
cd "$(dirname "$0")/.."

CONFIG="${BUILD_CONFIG:-debug}"
if [ -z "${SKIP_BUILD:-}" ]; then
    echo "==> swift build -c $CONFIG --product worker-demo"
    swift build -c "$CONFIG" --product worker-demo >/dev/null || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
fi
BIN="$(swift build -c "$CONFIG" --show-bin-path)/worker-demo"
exec python3 scripts/access/access_checks.py "$BIN" "$(pwd)"
