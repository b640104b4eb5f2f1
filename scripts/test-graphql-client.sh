#!/usr/bin/env bash
# The gateway through the reference engine's own client: gql (graphql-python, on graphql-core)
# reads the schema by introspection, validates documents on the client and runs them, in serve and
# split mode, with and without `Accept: application/graphql-response+json` (issue 11).
# gql needs graphql-core 3.3 while the differential test pins 3.2, so it has a venv of its own.
#
# Environment: BUILD_CONFIG=debug|release (default release), SKIP_BUILD=1 to use an existing build.
set -euo pipefail
cd "$(dirname "$0")/.."

CONFIG="${BUILD_CONFIG:-release}"
if [ -z "${SKIP_BUILD:-}" ]; then
    echo "==> swift build -c $CONFIG --product worker-demo"
    swift build -c "$CONFIG" --product worker-demo >/dev/null || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
fi
BIN="$(swift build -c "$CONFIG" --show-bin-path)/worker-demo"

GQL_VERSION=4.4.0
venv=.build/venv-gql
if ! "$venv/bin/python" -c "import gql, requests, sys; sys.exit(gql.__version__ != '$GQL_VERSION')" 2>/dev/null; then
    echo "installing gql $GQL_VERSION into $venv"
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "gql[requests]==$GQL_VERSION"
fi
exec "$venv/bin/python" scripts/contract/graphql_client.py "$BIN"
