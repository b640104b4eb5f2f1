#!/usr/bin/env bash
# W4 on PostgreSQL: starts a throw-away PostgreSQL server with its default durability settings
# (fsync on), builds worker-bench in release mode, and runs `worker-bench w4-postgres` against it.
# Extra arguments are passed as environment (e.g. W4_RUNS=5 W4_PROCESSES="1 3").
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/postgres.sh
work=$(mktemp -d /tmp/worker-pg-bench.XXXXXX)
trap 'stop_postgres "$work"; rm -rf "$work"' EXIT
start_postgres "$work"
swift build -c release --product worker-bench >/dev/null
WORKER_BENCH_POSTGRES_URL=$PG_URL "$(swift build -c release --show-bin-path)/worker-bench" w4-postgres
