#!/usr/bin/env bash
# W9: W4 on SQLite in a running `worker-demo worker` with 1,000 GET /api/events subscribers, against
# the same run without them. Builds worker-demo and worker-bench (release) and runs
# `worker-bench w9`, which starts worker-demo itself (see Sources/worker-bench/W9Subscribers.swift).
# Settings pass through the environment: W9_TASKS (100000), W9_SUBSCRIBERS (1000), W9_RUNS (5),
# W9_DIR, W9_WAIT; e.g.  W9_TASKS=10000 W9_RUNS=3 scripts/bench-w9.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product worker-demo >/dev/null
swift build -c release --product worker-bench >/dev/null
bin=$(swift build -c release --show-bin-path)
W9_DEMO="$bin/worker-demo" "$bin/worker-bench" w9
