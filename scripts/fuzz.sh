#!/usr/bin/env bash
# Builds one libFuzzer target and runs it: scripts/fuzz.sh TARGET SECONDS [extra libFuzzer flags...]
#   TARGET: http | json | graphql | cron | rest | response   (scripts/fuzz.sh list prints them)
#   SECONDS: how long to fuzz (default 60); 0 only replays the corpus (a regression run).
#
# Each target is compiled with `swiftc -sanitize=fuzzer,address` directly over the sources of the module
# it exercises (so it can reach internal parsers), with the harness from Tests/Fuzz/Targets/TARGET.swift.
# Imports of our own modules are stripped in a copy of the sources under .build/fuzz/src, because the
# modules are compiled into one. The checked-in corpus Tests/Fuzz/corpus/TARGET seeds a working corpus
# under .build/fuzz/corpus/TARGET (new inputs go there, not into the repository); a crash is written to
# .build/fuzz/artifacts/TARGET/ and the script exits non-zero. Copy a fixed crash into the checked-in
# corpus so it stays a regression. Dictionaries: Tests/Fuzz/dict/TARGET.dict.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS="http json graphql cron rest response"
TARGET="${1:-}"
SECONDS_TO_RUN="${2:-60}"
shift 2 2>/dev/null || shift $# 2>/dev/null || true
if [ -z "$TARGET" ] || [ "$TARGET" = "list" ]; then
    echo "targets: $TARGETS"
    [ -n "$TARGET" ] && exit 0 || exit 2
fi

sources_for() {
    case "$1" in
        http) find Sources/HTTPServer -name '*.swift' ;;
        graphql) find Sources/GraphQLLite -name '*.swift' ;;
        json) find Sources/TaskCore -name '*.swift'; ls Sources/WorkerAPI/JSON/JSONReader*.swift ;;
        cron) find Sources/TaskCore -name '*.swift' ;;
        response) echo Sources/WorkerAPI/Backend/HTTPClient/HTTPResponseReader.swift ;;
        rest) find Sources/TaskCore -name '*.swift'; echo Sources/WorkerAPI/REST/RESTQuery.swift; echo Sources/WorkerAPI/REST/RESTRoute.swift ;;
        *) echo "unknown target '$1'; targets: $TARGETS" >&2; exit 2 ;;
    esac
}

WORK=.build/fuzz
# The GraphQL schema and other process-lifetime globals hold reference cycles by design: no leak reports.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
SRC="$WORK/src/$TARGET"
BIN="$WORK/bin/fuzz-$TARGET"
rm -rf "$SRC"
mkdir -p "$SRC" "$WORK/bin" "$WORK/corpus/$TARGET" "$WORK/artifacts/$TARGET"
for file in $(sources_for "$TARGET"); do
    flat="$SRC/$(echo "$file" | tr '/' '_')"
    sed -E 's/^(public |package |internal |@testable )?import (TaskCore|GraphQLLite|HTTPServer|Scheduling)$//' "$file" > "$flat"
done
cp "Tests/Fuzz/Targets/$TARGET.swift" "$SRC/zz_harness.swift"

# Rebuild only when a source, the harness or the optimisation level changed. FUZZ_OPT=-O builds an optimised
# fuzzer (several times the executions per second, but minutes to compile); the default -Onone compiles fast.
STAMP="$WORK/bin/fuzz-$TARGET.sum"
SUM=$( (cat "$SRC"/*.swift; echo "${FUZZ_OPT:--Onone}") | sha256sum | cut -d' ' -f1)
if [ ! -x "$BIN" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$SUM" ]; then
    echo "==> building fuzz-$TARGET"
    swiftc -sanitize=fuzzer,address -parse-as-library -swift-version 6 "${FUZZ_OPT:--Onone}" -g \
        -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility \
        -enable-upcoming-feature InternalImportsByDefault \
        -package-name worker_service -module-name "Fuzz_$TARGET" "$SRC"/*.swift -o "$BIN" 2>&1 \
        | grep -v -e "Cannot export local symbol" -e "^/usr/bin/ld.gold: warning" || true
    [ -x "$BIN" ] || { echo "fuzz-$TARGET failed to build"; exit 1; }
    echo "$SUM" > "$STAMP"
fi

# Seed the working corpus from the repository's.
if [ -d "Tests/Fuzz/corpus/$TARGET" ]; then cp -n "Tests/Fuzz/corpus/$TARGET"/* "$WORK/corpus/$TARGET/" 2>/dev/null || true; fi
DICT=()
[ -f "Tests/Fuzz/dict/$TARGET.dict" ] && DICT=(-dict="Tests/Fuzz/dict/$TARGET.dict")

if [ "$SECONDS_TO_RUN" = "0" ]; then
    echo "==> replaying Tests/Fuzz/corpus/$TARGET"
    exec "$BIN" -runs=0 -rss_limit_mb=2048 "Tests/Fuzz/corpus/$TARGET"
fi
echo "==> fuzz-$TARGET for $SECONDS_TO_RUN s"
exec "$BIN" -max_total_time="$SECONDS_TO_RUN" -max_len=16384 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$WORK/artifacts/$TARGET/" "${DICT[@]}" "$@" "$WORK/corpus/$TARGET"
