#!/usr/bin/env bash
# End-to-end test of workflows (API.md sections 6, 7 and 11): dependencies, batches with a
# callback, search filters, bulk operations and the GraphQL additions, through REST and GraphQL of
# `worker-demo serve` on free ports, once on SQLite and once on the in-memory store.
# Prints "N passed, M failed"; exits non-zero on any failure.
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
DATA=$(mktemp -d)
trap 'rm -rf "$DATA"' EXIT

status=0
for store in "sqlite:$DATA/workflows.sqlite" memory; do
    echo "==> store $store"
    python3 scripts/contract/workflows.py "$BIN" "$store" || status=1
done
exit $status
