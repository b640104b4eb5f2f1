#!/usr/bin/env bash
# Round-two workloads on PostgreSQL: starts a throw-away PostgreSQL server from the machine's
# binaries (scripts/lib/postgres.sh, default durability settings, fsync on), builds worker-bench in
# release mode and runs the named workloads against it, e.g.
#   scripts/bench-postgres.sh w5-postgres w7-postgres
#   W7_RUNS=5 scripts/bench-postgres.sh w7-postgres
# (environment settings of the workloads pass through). Default: w4-postgres.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/postgres.sh
[ $# -gt 0 ] || set -- w4-postgres
work=$(mktemp -d /tmp/worker-pg-bench.XXXXXX)
trap 'stop_postgres "$work"; rm -rf "$work"' EXIT
start_postgres "$work"
swift build -c release --product worker-bench >/dev/null
WORKER_BENCH_POSTGRES_URL=$PG_URL "$(swift build -c release --show-bin-path)/worker-bench" "$@"
