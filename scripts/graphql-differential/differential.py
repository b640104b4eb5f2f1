#!/usr/bin/env python3
"""Differential test: GraphQLLite (through graphql-diff-runner) against graphql-core.

Generates documents from a seed for the gateway schema and the rich test schema, runs every
document through both engines over the same data, and compares:
  - documents that do not parse / validate: the failure kind, and the errors' messages and
    locations (as multisets);
  - request errors (bad variables, unknown operation): the failure kind and the messages;
  - executed documents: `data` exactly (key order included), the set of error paths, and the
    message and `extensions.code` of each error whose parent object is in `data`;
  - valid subscriptions: validation only (GraphQLLite refuses them outside a stream).
Exit status 1 when any document differs. See Docs/GRAPHQL_DIFFERENTIAL.md.
"""
import argparse
import collections
import json
import multiprocessing
import os
import random
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from graphql import GraphQLError, OperationType, execute, get_operation_ast, parse, validate  # noqa: E402

import generator  # noqa: E402
import resolvers  # noqa: E402


# What GraphQLLite answers a valid subscription sent to GraphQLEngine.execute (Executor.run).
SUBSCRIPTION_REFUSED = ("A subscription needs a streaming transport (over HTTP: Accept: text/event-stream); "
                        "use a query or a mutation here.")


# The error graphql-core 3.2 adds when it stops validating at max_errors (100).
TOO_MANY_ERRORS = "Too many validation errors, error limit reached. Validation aborted."


def same(a, b):
    """Equal JSON values, object key order included; 1 == 1.0 but true != 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, (int, float)):
        return isinstance(b, (int, float)) and a == b
    return a == b


def reference(schema, query, variables, operation_name, allow_mutations):
    """graphql-core's verdict: (failure, errors as JSON-like dicts, data)."""
    try:
        document = parse(query)
    except GraphQLError as error:
        return "parse", [error.formatted], None
    try:
        errors = validate(schema, document)
    except GraphQLError as error:
        # graphql-core 3.2 (as graphql-js 16) raises from SingleFieldSubscriptionsRule when a root
        # field of a subscription has @skip/@include with a variable, a non-boolean or no condition.
        return "graphql-core raised", [error.formatted], None
    if errors:
        return "validation", [e.formatted for e in errors], None
    operation = get_operation_ast(document, operation_name)
    if operation is not None and operation.operation == OperationType.MUTATION and not allow_mutations:
        return "operationNotAllowed", [], None
    if operation is not None and operation.operation == OperationType.SUBSCRIPTION:
        # Valid subscriptions are compared up to here: neither runner executes them as a query
        # (GraphQLLite refuses them outside a streaming transport).
        return "subscription", [], None
    result = execute(schema, document, variable_values=variables, operation_name=operation_name)
    formatted = [e.formatted for e in result.errors or []]
    if result.data is None and formatted and all(e.get("path") is None for e in formatted):
        return "request", formatted, None
    return None, formatted, result.data


def normalised(message, quotes):
    """graphql-core's message in graphql-js's wording (when `quotes`), else `message` itself."""
    if not quotes:
        return message
    # graphql-core also names directive locations in lower case ("may not be used on field.");
    # graphql-js prints the DirectiveLocation value ("FIELD"), as GraphQLLite does.
    message = re.sub(r"may not be used on ([a-z ]+)\.$",
                     lambda m: "may not be used on " + m.group(1).upper().replace(" ", "_") + ".", message)
    # The resolvers' own messages with a real apostrophe come from the twins with
    # resolvers.APOSTROPHE in its place.
    return message.replace("'", '"').replace(resolvers.APOSTROPHE, "'")


def located(errors, quotes=False):
    """(message, locations) pairs, sorted. graphql-core 3.2 quotes names with ' where graphql-js
    (and GraphQLLite) use ", so its messages are compared with ' read as "."""
    # As a set: graphql-js reports one overlap conflict again for each path that reaches it
    # through fragments; GraphQLLite reports it once.
    return sorted({(normalised(e.get("message"), quotes), json.dumps(e.get("locations") or [])) for e in errors})


def rule_of(message):
    """A message with its names and values blanked: which rule (and variant) produced it."""
    return re.sub(r'"[^"]*"|\d+', "…", message)[:90]


def compare(ours, theirs):
    """None when equal, else a short reason."""
    failure, errors, data = theirs
    our_failure = ours.get("failure")
    response = ours.get("response", {})
    our_errors = response.get("errors", [])
    if failure == "graphql-core raised":
        return None
    if failure == "subscription":
        if our_failure == "request" and [e.get("message", "") for e in our_errors] == [SUBSCRIPTION_REFUSED]:
            return None
        return f"failure {our_failure!r} vs a valid subscription"
    if our_failure != failure:
        return f"failure {our_failure!r} vs graphql-core {failure!r}"
    if failure == "validation" and errors and errors[-1].get("message") == TOO_MANY_ERRORS:
        # graphql-core stops validating at 100 errors (its max_errors; graphql-js's maxErrors) and
        # adds this one; GraphQLLite has no such limit. Its first 100 must be among ours.
        theirs_located = set(located(errors[:-1], quotes=True))
        if len(errors) - 1 < 100 or not theirs_located <= set(located(our_errors)):
            return "validation errors differ (graphql-core stopped at its error limit)"
        return None
    if failure in ("parse", "validation"):
        if located(our_errors) != located(errors, quotes=True):
            return "validation errors differ"
        return None
    if failure == "request":
        if [m for m, _ in located(our_errors)] != [m for m, _ in located(errors, quotes=True)]:
            return "request errors differ"
        return None
    if failure is not None:
        return None
    if "data" not in response or not same(response["data"], data):
        return "data differs"
    ours_visible, ours_hidden = split_paths(response["data"], our_errors)
    theirs_visible, theirs_hidden = split_paths(data, errors)
    if ours_visible != theirs_visible:
        return "error paths differ"
    # Errors whose parent is in `data`: the same message and `extensions.code` at each path (the
    # twins raise the Swift resolvers' errors; location lists may differ, see below).
    if described(our_errors, response["data"]) != described(errors, data, quotes=True):
        return "error messages or codes differ"
    # Errors below a null that a non-null error propagated to: GraphQLLite completes every sibling
    # of a selection set before propagating and reports all their errors; graphql-core's
    # synchronous executor stops a selection set at its first non-null error. Both are allowed
    # (the spec asks for at least one error per null); graphql-core's must be among ours.
    if not theirs_hidden <= ours_hidden or (ours_hidden and not theirs_hidden):
        return "error paths below a propagated null differ"
    return None


def described(errors, data, quotes=False):
    """(path, message, code) of the errors whose parent object is in `data`."""
    visible, _ = split_paths(data, errors)
    return {(json.dumps(e.get("path") or []), normalised(e.get("message", ""), quotes), (e.get("extensions") or {}).get("code"))
            for e in errors if json.dumps(e.get("path") or []) in visible}


def split_paths(data, errors):
    """Error paths whose parent object is in `data`, and those below a null (or without data)."""
    visible, hidden = set(), set()
    for error in errors:
        path = error.get("path") or []
        node = data
        for key in path[:-1]:
            if isinstance(node, dict):
                node = node.get(key)
            elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
                node = node[key]
            else:
                node = None
            if node is None:
                break
        (visible if node is not None else hidden).add(json.dumps(path))
    return visible, hidden


_WORKER = {}


def _build(name, sdl, data):
    if name == "gateway":
        return resolvers.gateway_schema(sdl, data), False
    return resolvers.rich_schema(sdl, data), True


def _init_worker(name, sdl, data):
    _WORKER["schema"], _WORKER["mutations"] = _build(name, sdl, data)


def _reference_chunk(cases):
    schema, mutations = _WORKER["schema"], _WORKER["mutations"]
    return [reference(schema, c["query"], c["variables"], c["operationName"], mutations) for c in cases]


def references(name, sdl, data, cases, jobs):
    """graphql-core's verdicts for `cases`, on `jobs` processes (each builds its own schema)."""
    if jobs <= 1 or len(cases) < 200:
        _init_worker(name, sdl, data)
        return _reference_chunk(cases)
    size = max(50, len(cases) // (jobs * 8))
    chunks = [cases[i:i + size] for i in range(0, len(cases), size)]
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_init_worker, initargs=(name, sdl, data)) as pool:
        return [verdict for chunk in pool.map(_reference_chunk, chunks) for verdict in chunk]


def run_runner(runner, *arguments, stdin=None):
    completed = subprocess.run([runner, *arguments], input=stdin, capture_output=True, check=False)
    if completed.returncode != 0:
        sys.exit(f"graphql-diff-runner {' '.join(arguments)} failed ({completed.returncode}):\n"
                 + completed.stderr.decode(errors="replace")[-4000:])
    return completed.stdout


def run_schema(name, runner, count, seed, invalid_ratio, show, out, jobs, style="normal"):
    sdl = run_runner(runner, "sdl", name).decode()
    data = json.loads(run_runner(runner, "data", name))
    schema, mutations = _build(name, sdl, data)
    pools = generator.GATEWAY_POOLS if name == "gateway" else generator.RICH_POOLS
    if style == "overlap":
        rng = random.Random(f"{seed}:{name}:overlap")
        gen = generator.OverlapGenerator(schema, rng)
        invalid_ratio = 0   # dense in errors already
    else:
        rng = random.Random(f"{seed}:{name}")
        gen = generator.Generator(schema, rng, pools, allow_mutations=mutations)
    vocabulary = sorted({n for t in schema.type_map.values() if not t.name.startswith("__")
                         for n in [t.name, *getattr(t, "fields", {}).keys()]})
    cases = []
    for _ in range(count):
        query, variables, operation_name = gen.document()
        mutated = invalid_ratio > 0 and rng.random() < invalid_ratio
        if mutated:
            query = generator.mutate(query, rng, vocabulary)
        cases.append({"query": query, "variables": variables, "operationName": operation_name, "mutated": mutated})
    lines = "".join(json.dumps({k: c[k] for k in ("query", "variables", "operationName")}) + "\n" for c in cases)
    started = time.monotonic()
    output = run_runner(runner, "run", name, stdin=lines.encode()).decode().splitlines()
    swift_seconds = time.monotonic() - started
    if len(output) != len(cases):
        sys.exit(f"{name}: the runner answered {len(output)} of {len(cases)} documents")
    stats = collections.Counter()
    rules = collections.Counter()
    differences = []
    started = time.monotonic()
    verdicts = references(name, sdl, data, cases, jobs)
    for case, line, theirs in zip(cases, output, verdicts):
        ours = json.loads(line)
        stats[theirs[0] or ("executed with errors" if theirs[1] else "executed")] += 1
        if theirs[0] == "validation" and theirs[1] and theirs[1][-1].get("message") == TOO_MANY_ERRORS:
            stats["validation stopped at 100 errors"] += 1
        if theirs[0] in ("parse", "validation", "request"):
            for error in theirs[1]:
                rules[rule_of(error["message"])] += 1
        reason = compare(ours, theirs)
        if reason:
            differences.append((reason, case, ours, theirs))
    python_seconds = time.monotonic() - started
    summary = ", ".join(f"{v} {k}" for k, v in sorted(stats.items()))
    print(f"{name}: {count} documents ({summary}); {len(differences)} differences; "
          f"GraphQLLite {swift_seconds:.1f} s, graphql-core {python_seconds:.1f} s")
    for reason, case, ours, theirs in differences[:show]:
        print(f"--- {name}: {reason}", file=out)
        print("query:     " + case["query"].replace("\n", "\n           "), file=out)
        print("variables: " + json.dumps(case["variables"]) + f"  operationName: {case['operationName']}", file=out)
        print("GraphQLLite:   " + json.dumps(ours, ensure_ascii=False)[:3000], file=out)
        their = {"failure": theirs[0], "errors": theirs[1], "data": theirs[2]}
        print("graphql-core:  " + json.dumps(their, ensure_ascii=False)[:3000], file=out)
    return len(differences), rules


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runner", required=True, help="path of the graphql-diff-runner executable")
    parser.add_argument("--count", type=int, default=2000, help="documents in all (split between the schemas)")
    parser.add_argument("--seed", default="1")
    parser.add_argument("--schema", choices=["both", "gateway", "rich"], default="both")
    parser.add_argument("--invalid-ratio", type=float, default=0.3, help="share of documents mutated to be invalid")
    parser.add_argument("--show", type=int, default=5, help="differences to print per schema")
    parser.add_argument("--rules", action="store_true", help="print how often each validation message occurred")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes for graphql-core")
    parser.add_argument("--style", choices=["normal", "overlap"], default="normal",
                        help="overlap: documents dense in overlapping fields and fragments (generator.OverlapGenerator)")
    options = parser.parse_args()
    names = ["gateway", "rich"] if options.schema == "both" else [options.schema]
    total = 0
    all_rules = collections.Counter()
    for index, name in enumerate(names):
        share = options.count // len(names) + (1 if index < options.count % len(names) else 0)
        found, rules = run_schema(name, options.runner, share, options.seed, options.invalid_ratio, options.show, sys.stdout,
                                   options.jobs, options.style)
        total += found
        all_rules.update(rules)
    if options.rules:
        for message, times in all_rules.most_common():
            print(f"{times:8d}  {message}")
    style = "" if options.style == "normal" else f", style {options.style}"
    print(f"graphql-differential: seed {options.seed}{style}, {options.count} documents, {total} differences")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
