#!/usr/bin/env bash
# Differential test of GraphQLLite against graphql-core (the Python port of graphql-js): a seeded
# generator writes documents for the gateway schema and a richer test schema, both engines run
# them over the same data, and every difference (validation errors, request errors, data, error
# paths) fails the run. See Docs/GRAPHQL_DIFFERENTIAL.md.
#
#   scripts/test-graphql-differential.sh                       # 2,000 documents, seed 1 (CI)
#   scripts/test-graphql-differential.sh --count 100000 --seed 7 --show 20
#   scripts/test-graphql-differential.sh --config debug        # against the debug build instead
#
# It runs the RELEASE build of graphql-diff-runner by default: optimiser-only faults (issue 11)
# are what it is for. graphql-core is pip-installed into .build/venv on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

config=${BUILD_CONFIG:-release}
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --config) config="$2"; shift 2 ;;
        *) args+=("$1"); shift ;;
    esac
done
has_count=0
for arg in "${args[@]+"${args[@]}"}"; do [ "$arg" = "--count" ] && has_count=1; done
[ "$has_count" -eq 1 ] || args+=(--count 2000 --seed 1)

GRAPHQL_CORE_VERSION=3.2.14   # graphql-core 3.2 = graphql-js 16, whose messages GraphQLLite follows
venv=.build/venv
if ! "$venv/bin/python" -c "import graphql, sys; sys.exit(graphql.__version__ != '$GRAPHQL_CORE_VERSION')" 2>/dev/null; then
    echo "installing graphql-core $GRAPHQL_CORE_VERSION into $venv"
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "graphql-core==$GRAPHQL_CORE_VERSION"
fi

echo "building graphql-diff-runner ($config)"
swift build -c "$config" --product graphql-diff-runner 2>&1 | tail -1
runner="$(swift build -c "$config" --show-bin-path)/graphql-diff-runner"

exec "$venv/bin/python" scripts/graphql-differential/differential.py --runner "$runner" "${args[@]}"
