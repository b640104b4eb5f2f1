#!/usr/bin/env bash
# Compiles scripts/compiler-faults/taskgroup-do-catch-tuple.swift at -Onone and -O and checks that the
# shape our GraphQL executor uses ("bound") is correct under both. It also reports whether this
# toolchain still has the fault ("faulty" shape wrong under -O): that line is information for the
# upstream report, not a failure; when it says "fixed", the workaround comment can go.
set -uo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
source=scripts/compiler-faults/taskgroup-do-catch-tuple.swift
passed=0; failed=0
for opt in -Onone -O; do
    if ! swiftc -parse-as-library "$opt" "$source" -o "$work/repro$opt" 2>"$work/build.log"; then
        cat "$work/build.log"; echo "FAIL: swiftc $opt"; failed=$((failed + 1)); continue
    fi
    output=$("$work/repro$opt")
    bound=$(printf '%s\n' "$output" | sed -n 's/^bound: //p')
    faulty=$(printf '%s\n' "$output" | sed -n 's/^faulty: //p')
    if [ "$bound" = "v0 v1 v2" ]; then
        echo "ok: bound shape correct at $opt"; passed=$((passed + 1))
    else
        echo "FAIL: bound shape at $opt gave '$bound' (expected 'v0 v1 v2')"; failed=$((failed + 1))
    fi
    if [ "$faulty" = "v0 v1 v2" ]; then
        echo "info: do/catch tuple shape correct at $opt ($(swiftc --version 2>&1 | head -1))"
    else
        echo "info: do/catch tuple shape WRONG at $opt: '$faulty' ($(swiftc --version 2>&1 | head -1)): the fault is still present"
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
