"""graphql-core resolvers for the differential test's two schemas.

Each resolver is the twin of one in Sources/graphql-diff-runner (GatewaySchema's in WorkerAPI for
the gateway, RichSchema for the rich schema); the data comes from `graphql-diff-runner data`.
"""
from graphql import (
    BooleanValueNode, EnumValueNode, FloatValueNode, GraphQLError, IntValueNode, ListValueNode, StringValueNode,
    build_schema,
)


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
# The gateway schema (API.md sections 3, 5, 6, 7) over the runner's seeded in-memory store.
#
# Each resolver does what the Swift one in Sources/WorkerAPI/Gateway/GatewaySchema*.swift does over
# the store's data as `graphql-diff-runner data gateway` exports it: the same checks in the same
# order, the same messages and the same `extensions.code`.

# graphql-core's messages quote names with ' where GraphQLLite (like graphql-js) uses ", so the
# comparison reads every ' of graphql-core's messages as ". An apostrophe that the gateway's own
# messages really contain (`DateTime: 'x' is not ...`) is written as this character by the twins
# and read back as ' after that conversion (differential.located).
APOSTROPHE = "\u2019"

NOT_FOUND = "NOT_FOUND"
BAD_REQUEST = "BAD_REQUEST"
COUNTED_STATUSES = ["pending", "processing", "retrying", "blocked", "completed", "failed", "cancelled"]
DATETIME_EXAMPLE = '"2026-11-29T02:00:00.000Z"'


def _error(message, code, nodes=None):
    """A resolver's (or scalar's) error: its message, with `extensions.code` when it has one."""
    return GraphQLError(message.replace("'", APOSTROPHE), nodes, extensions={"code": code} if code else None)


def _parse_id(text):
    """TaskID/JobID/BatchID(String): 1-19 ASCII digits without a leading zero, in Int64 range."""
    if not isinstance(text, str) or not 1 <= len(text) <= 19 or not all("0" <= c <= "9" for c in text):
        return None
    if len(text) > 1 and text[0] == "0":
        return None
    value = int(text)
    return value if value <= 2**63 - 1 else None


def _excerpt(text, limit=64):
    """TaskCoreError.excerpt: at most `limit` Unicode scalars, then the length."""
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} characters)"


def _quoted(value):
    """QueueName.quoted: in double quotes, escaped, shortened past 120 characters."""
    shown = value[:120] + "…" if len(value) > 120 else value
    out = []
    for c in shown:
        if c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append("\\u" + format(ord(c), "x").rjust(4, "0"))
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def _valid_queue_name(name):
    return (1 <= len(name.encode()) <= 100
            and all(c.isascii() and (c.isalnum() or c in "_.-") for c in name))


# -- DateTime (Timestamp.parse / Timestamp.format) ----------------------------------------------

def _days_from_civil(year, month, day):
    y = year - 1 if month <= 2 else year
    era = (y if y >= 0 else y - 399) // 400
    year_of_era = y - era * 400
    day_of_year = (153 * (month - 3 if month > 2 else month + 9) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def _civil_from_days(days):
    z = days + 719468
    era = (z if z >= 0 else z - 146096) // 146097
    day_of_era = z - era * 146097
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36524 - day_of_era // 146096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    mp = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return year_of_era + era * 400 + (1 if month <= 2 else 0), month, day


def _days_in_month(year, month):
    if month == 2:
        return 29 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 28
    return 30 if month in (4, 6, 9, 11) else 31


def parse_instant(text):
    """Milliseconds since 1970 of `YYYY-MM-DDTHH:MM[:SS[.fraction]]` and `Z` or `±HH[:]MM`, else None."""
    data = text.encode()
    if not 16 <= len(data) <= 40:
        return None
    pos = 0

    def number(count):
        nonlocal pos
        chunk = data[pos:pos + count]
        if len(chunk) != count or not all(0x30 <= b <= 0x39 for b in chunk):
            return None
        pos += count
        return int(chunk)

    def expect(allowed):
        nonlocal pos
        if pos < len(data) and chr(data[pos]) in allowed:
            pos += 1
            return True
        return False

    year = number(4)
    if year is None or not expect("-"):
        return None
    month = number(2)
    if month is None or not expect("-"):
        return None
    day = number(2)
    if day is None or not expect("Tt "):
        return None
    hour = number(2)
    if hour is None or not expect(":"):
        return None
    minute = number(2)
    if minute is None:
        return None
    second = millis = 0
    if pos < len(data) and data[pos] == ord(":"):
        pos += 1
        second = number(2)
        if second is None:
            return None
        if pos < len(data) and chr(data[pos]) in ".,":
            pos += 1
            digits = 0
            while pos < len(data) and 0x30 <= data[pos] <= 0x39:
                if digits < 3:
                    millis = millis * 10 + data[pos] - 0x30
                digits += 1
                pos += 1
            if not 0 < digits <= 9:
                return None
            millis *= 10 ** max(0, 3 - digits)
    if pos >= len(data):
        return None
    offset = 0
    if chr(data[pos]) in "Zz":
        pos += 1
    elif chr(data[pos]) in "+-":
        sign = -1 if data[pos] == ord("-") else 1
        pos += 1
        hours = number(2)
        if hours is None:
            return None
        expect(":")
        minutes = number(2)
        if minutes is None or hours > 23 or minutes > 59:
            return None
        offset = sign * (hours * 3600 + minutes * 60)
    else:
        return None
    if pos != len(data):
        return None
    if not (1 <= month <= 12 and 1 <= day <= _days_in_month(year, month) and hour <= 23 and minute <= 59 and second <= 59):
        return None
    seconds = _days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset
    return seconds * 1000 + millis


def format_instant(ms):
    days, of_day = divmod(ms, 86_400_000)
    year, month, day = _civil_from_days(days)
    head = f"{'-' if year < 0 else '+'}{abs(year):06d}" if year < 0 or year > 9999 else f"{year:04d}"
    return (f"{head}-{month:02d}-{day:02d}T{of_day // 3_600_000:02d}:{of_day // 60_000 % 60:02d}:"
            f"{of_day // 1000 % 60:02d}.{of_day % 1000:03d}Z")


def _describe(value):
    """GatewaySchema.describe: "a string", "a number", ... for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def _datetime_value(value, nodes=None):
    """The gateway's DateTime parseValue: an ISO 8601 instant, normalised to UTC with milliseconds."""
    if not isinstance(value, str):
        raise _error(f"DateTime: expected an ISO 8601 string such as {DATETIME_EXAMPLE}, found {_describe(value)}",
                     None, nodes)
    ms = parse_instant(value)
    if ms is None:
        raise _error(f"DateTime: '{value[:100]}' is not an ISO 8601 instant such as {DATETIME_EXAMPLE}",
                     None, nodes)
    return format_instant(ms)


def _datetime_literal(node, _variables=None):
    # GraphQLLite hands a custom scalar its literal as a plain value: enum literals as strings.
    if isinstance(node, (StringValueNode, EnumValueNode)):
        value = node.value
    elif isinstance(node, (IntValueNode, FloatValueNode)):
        value = 0
    elif isinstance(node, BooleanValueNode):
        value = True
    elif isinstance(node, ListValueNode):
        value = []
    else:
        value = {}
    return _datetime_value(value, node)


# -- JSON containment (JSONValue.contains, the `payload` filter) --------------------------------

def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _equal_for_search(a, b):
    if _is_number(a) and _is_number(b):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal_for_search(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return len(a) == len(b) and all(k in b and _equal_for_search(v, b[k]) for k, v in a.items())
    return type(a) is type(b) and a == b


def _contains(value, pattern):
    if isinstance(value, dict) and isinstance(pattern, dict):
        return all(k in value and _contains(value[k], v) for k, v in pattern.items())
    if isinstance(value, list) and isinstance(pattern, list):
        return len(value) == len(pattern) and all(_equal_for_search(x, y) for x, y in zip(value, pattern))
    return _equal_for_search(value, pattern)


def _check_page(limit, offset):
    """TaskQuery.validate."""
    if not 1 <= limit <= 1000:
        raise _error(f"limit: {limit} is out of range 1-1000", BAD_REQUEST)
    if offset < 0:
        raise _error(f"offset: {offset} must be 0 or more", BAD_REQUEST)


def _log_limit(limit):
    limit = 100 if limit is None else limit
    if not 1 <= limit <= 1000:
        raise _error(f"limit: {limit} is out of range 1-1000", BAD_REQUEST)
    return limit


def gateway_schema(sdl, data):
    schema = build_schema(sdl)
    _enum_values_are_names(schema)
    date_time = schema.type_map["DateTime"]
    date_time.parse_value = _datetime_value
    date_time.parse_literal = _datetime_literal
    tasks = data["tasks"]
    by_id = {int(t["id"]): t for t in tasks}
    jobs = {int(j["id"]): j for j in data["jobs"]}
    logs = {int(k): v for k, v in data["logs"].items()}
    queues = {q["name"]: q for q in data["queues"]}
    batches = {int(b["id"]): b for b in data["batches"]}
    created = {int(t["id"]): parse_instant(t["createdAt"]) for t in tasks}

    def task_query(filter):
        """GatewaySchema.taskQuery: a TaskFilter as a TaskQuery-like dict (errors in the Swift order)."""
        filter = filter or {}
        query = {"statuses": set(filter.get("status") or []), "type": filter.get("type")}
        for key in ("jobId", "batchId"):
            text = filter.get(key)
            if text is not None:
                if _parse_id(text) is None:
                    raise _error(f"{key}: '{text[:100]}' is not an id", BAD_REQUEST)
                query[key] = str(_parse_id(text))
        for key in ("createdAfter", "createdBefore"):
            text = filter.get(key)
            if text is not None:
                query[key] = parse_instant(text)
                if query[key] is None:
                    raise _error(f"{key}: '{text[:100]}' is not an ISO 8601 instant", BAD_REQUEST)
        payload = filter.get("payload")
        if payload is not None:
            if not isinstance(payload, dict):
                raise _error(f"payload: expected a JSON object, found {_describe(payload)}", BAD_REQUEST)
            if payload:
                query["payload"] = payload
        for key in ("queue", "concurrencyKey"):
            if filter.get(key) is not None:
                query[key] = filter[key]
        return query

    def matches(task, query):
        """InMemoryTaskStore.listTasks's conditions with TaskQuery.matchesSearchFilters."""
        if query["statuses"] and task["status"] not in query["statuses"]:
            return False
        if query["type"] is not None and task["type"] != query["type"]:
            return False
        for key in ("jobId", "batchId", "queue", "concurrencyKey"):
            if key in query and task[key] != query[key]:
                return False
        if "createdAfter" in query and not created[int(task["id"])] > query["createdAfter"]:
            return False
        if "createdBefore" in query and not created[int(task["id"])] < query["createdBefore"]:
            return False
        return "payload" not in query or _contains(task["payload"], query["payload"])

    def resolve_tasks(_root, _info, status=None, type=None, limit=50, offset=0, filter=None):
        query = task_query(filter)
        limit = 50 if limit is None else limit
        offset = 0 if offset is None else offset
        if status is not None:
            query["statuses"].add(status)
        if type is not None:
            query["type"] = type
        _check_page(limit, offset)
        matching = [t for t in reversed(tasks) if matches(t, query)]
        return {"tasks": matching[offset:offset + limit], "total": len(matching)}

    def task_by_text(text):
        number = _parse_id(text)
        if number is None:
            raise _error(f"Task {_excerpt(text)} not found", NOT_FOUND)
        if number not in by_id:
            raise _error(f"Task {number} not found", NOT_FOUND)
        return by_id[number]

    def resolve_task_logs(_root, _info, taskId, limit=100):
        number = _parse_id(taskId)
        if number is None:
            raise _error(f"Task {_excerpt(taskId)} not found", NOT_FOUND)
        limit = _log_limit(limit)
        if number not in by_id:
            raise _error(f"Task {number} not found", NOT_FOUND)
        return logs.get(number, [])[:limit]

    def resolve_job(_root, _info, jobId):
        number = _parse_id(jobId)
        if number is None:
            raise _error(f"Job {_excerpt(jobId)} not found", NOT_FOUND)
        if number not in jobs:
            raise _error(f"Job {number} not found", NOT_FOUND)
        return jobs[number]

    def resolve_queue(_root, _info, name):
        if not _valid_queue_name(name):
            raise _error(f"name: {_quoted(name)} is not a valid queue name "
                         "(expected 1-100 characters of A-Z a-z 0-9 _ . -)", BAD_REQUEST)
        return queues.get(name) or {
            "name": name, "paused": False, "concurrency": None, "perKeyConcurrency": None, "rateLimit": None,
            "counts": {status: 0 for status in COUNTED_STATUSES}, "oldestReadyAt": None,
        }

    def resolve_batches(_root, _info, limit=50, offset=0):
        limit = 50 if limit is None else limit
        offset = 0 if offset is None else offset
        _check_page(limit, offset)
        return [batches[i] for i in sorted(batches, reverse=True)][offset:offset + limit]

    def resolve_batch(_root, _info, batchId):
        number = _parse_id(batchId)
        if number is None:
            raise _error(f"Batch {batchId[:100]} not found", NOT_FOUND)
        if number not in batches:
            raise _error(f"Batch {number} not found", NOT_FOUND)
        return batches[number]

    def resolve_callback(batch, _info):
        if batch["callbackTaskId"] is None:
            return None
        return task_by_text(batch["callbackTaskId"])

    def batch_tasks(batch, _info):
        return [t for t in tasks if t["batchId"] == batch["id"] and t["id"] != batch["callbackTaskId"]]

    _field(schema, "Query", "tasks", resolve_tasks)
    _field(schema, "Query", "task", lambda _r, _i, taskId: task_by_text(taskId))
    _field(schema, "Query", "taskLogs", resolve_task_logs)
    _field(schema, "Query", "taskStats", lambda _r, _i: data["stats"])
    _field(schema, "Query", "jobs", lambda _r, _i: data["jobs"])
    _field(schema, "Query", "job", resolve_job)
    _field(schema, "Query", "queues", lambda _r, _i: data["queues"])
    _field(schema, "Query", "queue", resolve_queue)
    _field(schema, "Query", "batches", resolve_batches)
    _field(schema, "Query", "batch", resolve_batch)
    _field(schema, "Task", "logs", lambda task, _i, limit=100: logs.get(int(task["id"]), [])[:_log_limit(limit)])
    _field(schema, "Task", "dependencies",
           lambda task, _i: [by_id[int(i)] for i in task["dependsOn"] if int(i) in by_id])
    _field(schema, "Task", "dependents", lambda task, _i: [t for t in tasks if task["id"] in t["dependsOn"]])
    _field(schema, "Batch", "tasks", batch_tasks)
    _field(schema, "Batch", "callback", resolve_callback)
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
            raise _error(f"Person {ident} not found", NOT_FOUND)
        return entity

    def friends(source, _info, first=10):
        first = 10 if first is None else first
        if first < 0:
            raise _error(f"first must be 0 or more, got {first}", BAD_REQUEST)
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
            raise _error(f"limit must be 0 or more, got {limit}", BAD_REQUEST)
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
            raise _error(message, "INTERNAL_SERVER_ERROR")
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
