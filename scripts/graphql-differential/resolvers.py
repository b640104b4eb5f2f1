"""graphql-core resolvers for the differential test's two schemas.

Each resolver is the twin of one in Sources/graphql-diff-runner (GatewaySchema's in WorkerAPI for
the gateway, RichSchema for the rich schema); the data comes from `graphql-diff-runner data`.
"""
from graphql import GraphQLError, build_schema


def _enum_values_are_names(schema):
    # build_schema leaves enum values' internal values as None; use the names, as GraphQLLite does.
    for named in schema.type_map.values():
        values = getattr(named, "values", None)
        if values and not named.name.startswith("__") and hasattr(named, "parse_literal"):
            for name, value in values.items():
                if value.value is None:
                    value.value = name


def _field(schema, type_name, field_name, resolve):
    schema.type_map[type_name].fields[field_name].resolve = resolve


# ---------------------------------------------------------------------------------------------
# The gateway schema (API.md section 3) over the runner's seeded in-memory store.

def _parse_id(text):
    """TaskID/JobID(String): a decimal number of ASCII digits in Int64 range, else None."""
    if not isinstance(text, str) or not text or not all("0" <= c <= "9" for c in text):
        return None
    value = int(text)
    return value if value <= 2**63 - 1 else None


def _log_limit(limit):
    limit = 100 if limit is None else limit
    if not 1 <= limit <= 1000:
        raise GraphQLError(f"limit: {limit} is out of range 1-1000")
    return limit


def gateway_schema(sdl, data):
    schema = build_schema(sdl)
    _enum_values_are_names(schema)
    tasks = data["tasks"]
    by_id = {int(t["id"]): t for t in tasks}
    jobs = {int(j["id"]): j for j in data["jobs"]}
    logs = {int(k): v for k, v in data["logs"].items()}

    def resolve_tasks(_root, _info, status=None, type=None, limit=50, offset=0):
        limit = 50 if limit is None else limit
        offset = 0 if offset is None else offset
        if not 1 <= limit <= 1000:
            raise GraphQLError(f"limit: {limit} is out of range 1-1000")
        if offset < 0:
            raise GraphQLError(f"offset: {offset} must be 0 or more")
        matching = [t for t in reversed(tasks)
                    if (status is None or t["status"] == status) and (type is None or t["type"] == type)]
        return {"tasks": matching[offset:offset + limit], "total": len(matching)}

    def task_by_text(text):
        number = _parse_id(text)
        if number is None or number not in by_id:
            raise GraphQLError(f"Task {text} not found")
        return by_id[number]

    def resolve_task_logs(_root, _info, taskId, limit=100):
        number = _parse_id(taskId)
        if number is None:
            raise GraphQLError(f"Task {taskId} not found")
        limit = _log_limit(limit)
        if number not in by_id:
            raise GraphQLError(f"Task {taskId} not found")
        return logs.get(number, [])[:limit]

    def resolve_job(_root, _info, jobId):
        number = _parse_id(jobId)
        if number is None or number not in jobs:
            raise GraphQLError(f"Job {jobId} not found")
        return jobs[number]

    _field(schema, "Query", "tasks", resolve_tasks)
    _field(schema, "Query", "task", lambda _r, _i, taskId: task_by_text(taskId))
    _field(schema, "Query", "taskLogs", resolve_task_logs)
    _field(schema, "Query", "taskStats", lambda _r, _i: data["stats"])
    _field(schema, "Query", "jobs", lambda _r, _i: data["jobs"])
    _field(schema, "Query", "job", resolve_job)
    _field(schema, "Task", "logs", lambda task, _i, limit=100: logs.get(int(task["id"]), [])[:_log_limit(limit)])
    return schema


# ---------------------------------------------------------------------------------------------
# The rich test schema (RichSchema in the runner).

def sorted_value(value):
    if isinstance(value, dict):
        return {key: sorted_value(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [sorted_value(item) for item in value]
    return value


def rich_schema(sdl, data):
    schema = build_schema(sdl)
    _enum_values_are_names(schema)
    entities = data["people"] + data["dogs"] + data["cats"] + data["robots"]
    by_id = {e["id"]: e for e in entities}

    def lookup(ident):
        return by_id.get(ident) if isinstance(ident, str) else None

    def person(ident):
        entity = lookup(ident)
        if entity is None or entity["__typename"] != "Person":
            raise GraphQLError(f"Person {ident} not found")
        return entity

    def friends(source, _info, first=10):
        first = 10 if first is None else first
        if first < 0:
            raise GraphQLError(f"first must be 0 or more, got {first}")
        return [lookup(i) for i in source["friendIds"][:first]]

    def greeting(source, _info, style="PLAIN", punctuation="!"):
        text = "Hello, " + source["name"] + ("!" if punctuation is None else punctuation)
        return text.upper() if style == "SHOUT" else text.lower() if style == "WHISPER" else text

    def search(_root, _info, text="", filter=None):
        text = "" if text is None else text
        filter = filter or {}
        kinds = filter.get("kinds")
        min_age = filter.get("minAge")
        min_age = 0 if min_age is None else min_age
        limit = filter.get("limit")
        limit = 10 if limit is None else limit
        if limit < 0:
            raise GraphQLError(f"limit must be 0 or more, got {limit}")
        found = []
        for entity in entities:
            label = entity.get("name", entity.get("model", ""))
            if text and text not in label:
                continue
            if kinds is not None and entity["__typename"].upper() not in kinds:
                continue
            if entity["__typename"] == "Person" and entity["age"] is not None and entity["age"] < min_age:
                continue
            found.append(entity)
        return found[:limit]

    def fail(message):
        def resolve(*_args, **_kwargs):
            raise GraphQLError(message)
        return resolve

    def rename(_root, _info, id, name):
        return dict(person(id), name=name)

    def echo(_root, _info, **arguments):
        return sorted_value(arguments)

    def count(_root, _info, kind="PERSON"):
        kind = "PERSON" if kind is None else kind
        return sum(1 for e in entities if e["__typename"].upper() == kind)

    for abstract in ("Node", "Named", "Pet", "SearchResult"):
        schema.type_map[abstract].resolve_type = lambda value, _info, _type: value["__typename"]
    _field(schema, "Query", "version", lambda _r, _i: "1.0")
    _field(schema, "Query", "node", lambda _r, _i, id: lookup(id))
    _field(schema, "Query", "nodes", lambda _r, _i, ids: [lookup(i) for i in ids])
    _field(schema, "Query", "person", lambda _r, _i, id: person(id))
    _field(schema, "Query", "people", lambda _r, _i: data["people"])
    _field(schema, "Query", "pets", lambda _r, _i: data["dogs"] + data["cats"])
    _field(schema, "Query", "search", search)
    _field(schema, "Query", "matrix", lambda _r, _i: data["matrix"])
    _field(schema, "Query", "strictMatrix", lambda _r, _i: data["strictMatrix"])
    _field(schema, "Query", "echo", echo)
    _field(schema, "Query", "echoAsync", echo)
    _field(schema, "Query", "fail", fail("fail"))
    _field(schema, "Query", "failAsync", fail("failAsync"))
    _field(schema, "Query", "chain", lambda _r, _i: {})
    _field(schema, "Query", "count", count)
    _field(schema, "Mutation", "echo", echo)
    _field(schema, "Mutation", "rename", rename)
    _field(schema, "Person", "mustHave", lambda p, _i: p["nickname"])
    _field(schema, "Person", "pets", lambda p, _i: [lookup(i) for i in p["petIds"]])
    _field(schema, "Person", "friends", friends)
    _field(schema, "Person", "bestFriend", lambda p, _i: lookup(p["bestFriendId"]))
    _field(schema, "Person", "greeting", greeting)
    for pet in ("Dog", "Cat"):
        _field(schema, pet, "owner", lambda p, _i: lookup(p["ownerId"]))
        _field(schema, pet, "playmates", lambda p, _i: [lookup(i) for i in p["playmateIds"]])
    _field(schema, "Chain", "label", lambda _s, _i: "chain")
    _field(schema, "Chain", "a", lambda _s, _i: {"n": 1})
    _field(schema, "ChainA", "b", lambda _s, _i: {"value": "deep"})
    _field(schema, "ChainB", "nullValue", lambda _s, _i: None)
    _field(schema, "ChainB", "maybe", lambda _s, _i: None)
    _field(schema, "ChainB", "boom", fail("boom"))
    return schema
