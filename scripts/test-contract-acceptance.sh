#!/usr/bin/env bash
# Black-box acceptance suite of worker-demo against the contract (/work/shared/spec/API.md):
# builds worker-demo, then runs scripts/contract/acceptance.py, which starts `worker-demo serve` and the
# split pair `worker` + `gateway` on free ports with --store memory, runs every check, stops them and
# ends with "N passed, M failed" (exit 1 on any failure).
#
# Environment: BUILD_CONFIG=debug|release (default debug), SKIP_BUILD=1 to use an existing build.
# Arguments: optional section names (cli, serve, split) to run only those.
set -uo pipefail
cd "$(dirname "$0")/.."

CONFIG="${BUILD_CONFIG:-debug}"
if [ -z "${SKIP_BUILD:-}" ]; then
    echo "==> swift build -c $CONFIG --product worker-demo"
    swift build -c "$CONFIG" --product worker-demo >/dev/null || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
fi
BIN="$(swift build -c "$CONFIG" --show-bin-path)/worker-demo"
[ -x "$BIN" ] || { echo "no binary at $BIN"; echo "0 passed, 1 failed"; exit 1; }
exec python3 scripts/contract/acceptance.py "$BIN" "$@"
