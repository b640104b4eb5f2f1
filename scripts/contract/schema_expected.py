"""The GraphQL schema of API.md section 3, written out, and its comparison with introspection."""

TASK_FIELDS = (
    "id: ID!  type: String!  status: TaskStatus!  priority: Priority!  priorityValue: Int! "
    "payload: JSON!  result: JSON  error: String  attempts: Int!  maxAttempts: Int!  jobId: ID "
    "runAt: DateTime!  createdAt: DateTime!  updatedAt: DateTime!  startedAt: DateTime "
    "completedAt: DateTime  progress: Int  uniqueKey: String")

def _fields(text):
    """'a: T  b: U' -> {a: (T, {})}"""
    import re
    return {name: (kind, {}) for name, kind in re.findall(r"(\w+): (\[?\w+!?\]?!?)", text)}


OBJECTS = {
    "Task": dict(_fields(TASK_FIELDS), logs=("[TaskLog!]!", {"limit": ("Int", "100")})),
    "TaskLog": _fields("timestamp: DateTime!  level: String!  message: String!  attempt: Int"),
    "TaskList": _fields("tasks: [Task!]!  total: Int!"),
    "TaskStats": _fields("total: Int!  pending: Int!  processing: Int!  completed: Int!  failed: Int! "
                         " cancelled: Int!  retrying: Int!"),
    "Job": _fields("id: ID!  name: String!  type: String!  schedule: String!  timezone: String! "
                   " payload: JSON!  priority: Priority!  status: JobStatus!  lastRun: DateTime "
                   " nextRun: DateTime  runCount: Int!  createdAt: DateTime!"),
    "Query": {
        "tasks": ("TaskList!", {"status": ("TaskStatus", None), "type": ("String", None), "limit": ("Int", "50"),
                                "offset": ("Int", "0")}),
        "task": ("Task", {"taskId": ("ID!", None)}),
        "taskLogs": ("[TaskLog!]!", {"taskId": ("ID!", None), "limit": ("Int", "100")}),
        "taskStats": ("TaskStats!", {}),
        "jobs": ("[Job!]!", {}),
        "job": ("Job", {"jobId": ("ID!", None)}),
    },
    "Mutation": {
        "createTask": ("Task!", {"input": ("CreateTaskInput!", None)}),
        "cancelTask": ("Boolean!", {"taskId": ("ID!", None)}),
        "retryTask": ("Task!", {"taskId": ("ID!", None), "resetAttempts": ("Boolean", "false")}),
        "createJob": ("Job!", {"input": ("CreateJobInput!", None)}),
        "pauseJob": ("Boolean!", {"jobId": ("ID!", None)}),
        "resumeJob": ("Boolean!", {"jobId": ("ID!", None)}),
        "deleteJob": ("Boolean!", {"jobId": ("ID!", None)}),
        "triggerJob": ("Task!", {"jobId": ("ID!", None)}),
        "updateJob": ("Job!", {"jobId": ("ID!", None), "input": ("UpdateJobInput!", None)}),
    },
}

INPUTS = {
    "CreateTaskInput": {"type": ("String!", None), "payload": ("JSON", "{}"), "priority": ("Priority", "NORMAL"),
                        "maxAttempts": ("Int", None), "runAt": ("DateTime", None), "uniqueKey": ("String", None)},
    "CreateJobInput": {"name": ("String!", None), "type": ("String!", None), "schedule": ("String!", None),
                       "payload": ("JSON", "{}"), "timezone": ("String", '"UTC"'), "priority": ("Priority", "NORMAL")},
    "UpdateJobInput": {"name": ("String", None), "schedule": ("String", None), "payload": ("JSON", None),
                       "timezone": ("String", None), "priority": ("Priority", None)},
}

ENUMS = {
    "TaskStatus": ["PENDING", "PROCESSING", "COMPLETED", "FAILED", "CANCELLED", "RETRYING"],
    "JobStatus": ["ACTIVE", "PAUSED", "FAILED"],
    "Priority": ["LOW", "NORMAL", "HIGH", "CRITICAL"],
}

# Section 11, flow control (issue 14): queues and the queue fields on tasks, jobs and their inputs.
OBJECTS["Task"].update(_fields("queue: String!  concurrencyKey: String"))
OBJECTS["Job"].update(_fields("queue: String!"))
OBJECTS["Queue"] = _fields("name: String!  paused: Boolean!  concurrency: Int  perKeyConcurrency: Int "
                           " rateLimit: RateLimit  counts: QueueCounts!  oldestReadyAt: DateTime")
OBJECTS["QueueCounts"] = _fields("pending: Int! processing: Int! retrying: Int! blocked: Int! completed: Int! "
                                 "failed: Int! cancelled: Int!")
OBJECTS["RateLimit"] = _fields("limit: Int!  periodMs: Int!")
OBJECTS["Query"].update({"queues": ("[Queue!]!", {}), "queue": ("Queue!", {"name": ("String!", None)})})
OBJECTS["Mutation"].update({
    "pauseQueue": ("Queue!", {"name": ("String!", None)}),
    "resumeQueue": ("Queue!", {"name": ("String!", None)}),
    "updateQueue": ("Queue!", {"name": ("String!", None), "input": ("UpdateQueueInput!", None)}),
})
INPUTS["CreateTaskInput"].update({"queue": ("String", '"default"'), "concurrencyKey": ("String", None)})
INPUTS["CreateJobInput"].update({"queue": ("String", '"default"')})
INPUTS["UpdateJobInput"].update({"queue": ("String", None)})
INPUTS["RateLimitInput"] = {"limit": ("Int!", None), "periodMs": ("Int!", None)}
INPUTS["UpdateQueueInput"] = {"concurrency": ("Int", None), "perKeyConcurrency": ("Int", None),
                              "rateLimit": ("RateLimitInput", None)}

# Section 11, workflows (issue 15): dependencies, batches, search filters and bulk operations.
OBJECTS["Task"].update(_fields("dependsOn: [ID!]!  onDependencyFailure: DependencyFailure!  batchId: ID "
                               " dependencies: [Task!]!  dependents: [Task!]!"))
OBJECTS["TaskStats"].update(_fields("blocked: Int!"))
OBJECTS["Batch"] = _fields("id: ID!  status: String!  total: Int!  counts: QueueCounts!  tasks: [Task!]! "
                           " callback: Task  createdAt: DateTime!  finishedAt: DateTime")
OBJECTS["BulkResult"] = _fields("matched: Int!  changed: Int!  skipped: Int!")
OBJECTS["Query"]["tasks"][1]["filter"] = ("TaskFilter", None)
OBJECTS["Query"].update({
    "batches": ("[Batch!]!", {"limit": ("Int", "50"), "offset": ("Int", "0")}),
    "batch": ("Batch", {"batchId": ("ID!", None)}),
})
OBJECTS["Mutation"].update({
    "createBatch": ("Batch!", {"input": ("CreateBatchInput!", None)}),
    "cancelBatch": ("Batch!", {"batchId": ("ID!", None)}),
    "bulkTasks": ("BulkResult!", {"action": ("BulkAction!", None), "filter": ("TaskFilter", None),
                                  "ids": ("[ID!]", None), "dryRun": ("Boolean", "false"),
                                  "resetAttempts": ("Boolean", "false")}),
})
INPUTS["CreateTaskInput"].update({"dependsOn": ("[ID!]", "[]"), "onDependencyFailure": ("DependencyFailure", "CANCEL"),
                                  "delayMs": ("Int", None), "timeoutMs": ("Int", None)})
INPUTS["TaskFilter"] = {"status": ("[TaskStatus!]", None), "type": ("String", None), "queue": ("String", None),
                        "jobId": ("ID", None), "batchId": ("ID", None), "concurrencyKey": ("String", None),
                        "createdAfter": ("DateTime", None), "createdBefore": ("DateTime", None),
                        "payload": ("JSON", None)}
INPUTS["CreateBatchInput"] = {"tasks": ("[CreateTaskInput!]!", None), "callback": ("CreateTaskInput", None)}
ENUMS["TaskStatus"] = ENUMS["TaskStatus"] + ["BLOCKED"]
ENUMS["DependencyFailure"] = ["CANCEL", "RUN"]
ENUMS["BulkAction"] = ["RETRY", "CANCEL", "DELETE"]
# Section 8: GraphQL subscriptions over Server-Sent Events.
OBJECTS["Subscription"] = {
    "taskUpdated": ("Task!", {"taskId": ("ID", None), "type": ("String", None), "queue": ("String", None),
                              "batchId": ("ID", None)}),
    "jobUpdated": ("Job!", {"jobId": ("ID", None)}),
}

SCALARS = ["JSON", "DateTime", "String", "Int", "Boolean", "ID", "Float"]
INTROSPECTION_TYPES = ["__Schema", "__Type", "__TypeKind", "__Field", "__InputValue", "__EnumValue", "__Directive",
                       "__DirectiveLocation"]

TYPE_REF = "kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }"
QUERY = """query IntrospectionQuery { __schema { queryType { name } mutationType { name } subscriptionType { name }
  types { kind name
    fields(includeDeprecated: true) { name args { name defaultValue type { %s } } type { %s } }
    inputFields { name defaultValue type { %s } }
    enumValues(includeDeprecated: true) { name } }
  directives { name locations args { name } } } }""" % (TYPE_REF, TYPE_REF, TYPE_REF)


def render(ref):
    if ref is None:
        return "?"
    if ref["kind"] == "NON_NULL":
        return render(ref.get("ofType")) + "!"
    if ref["kind"] == "LIST":
        return "[" + render(ref.get("ofType")) + "]"
    return ref.get("name") or "?"


def norm_default(value):
    return None if value is None else "".join(str(value).split())


def compare(suite, schema):
    """One check per type of the contract (and one for the set of type names)."""
    types = {t["name"]: t for t in schema.get("types", [])}
    suite.eq("queryType/mutationType/subscriptionType names",
             ((schema.get("queryType") or {}).get("name"), (schema.get("mutationType") or {}).get("name"),
              (schema.get("subscriptionType") or {}).get("name")), ("Query", "Mutation", "Subscription"))
    expected_names = set(OBJECTS) | set(INPUTS) | set(ENUMS) | set(SCALARS) | set(INTROSPECTION_TYPES)
    missing = sorted(expected_names - set(types) - {"Float"})
    extra = sorted(set(types) - expected_names)
    suite.eq("schema type names: none missing", missing, [])
    suite.eq("schema type names: no extra types", extra, [])
    for name in ("JSON", "DateTime"):
        suite.eq("%s is a SCALAR" % name, (types.get(name) or {}).get("kind"), "SCALAR")
    for name, values in ENUMS.items():
        t = types.get(name) or {}
        suite.eq("enum %s values" % name, (t.get("kind"), sorted(v["name"] for v in t.get("enumValues") or [])),
                 ("ENUM", sorted(values)))
    for name, fields in OBJECTS.items():
        t = types.get(name) or {}
        actual = {}
        for f in t.get("fields") or []:
            actual[f["name"]] = (render(f["type"]), {a["name"]: (render(a["type"]), norm_default(a.get("defaultValue")))
                                                      for a in f.get("args") or []})
        expected = {k: (v[0], {a: (d[0], norm_default(d[1])) for a, d in v[1].items()}) for k, v in fields.items()}
        diffs = []
        for k in sorted(set(expected) | set(actual)):
            if expected.get(k) != actual.get(k):
                diffs.append("%s: expected %s, got %s" % (k, expected.get(k), actual.get(k)))
        suite.check("type %s: fields, types, args and defaults" % name, t.get("kind") == "OBJECT" and not diffs,
                    "OBJECT exactly as API.md", "kind %s; %s" % (t.get("kind"), diffs))
    for name, fields in INPUTS.items():
        t = types.get(name) or {}
        actual = {f["name"]: (render(f["type"]), norm_default(f.get("defaultValue"))) for f in t.get("inputFields") or []}
        expected = {k: (v[0], norm_default(v[1])) for k, v in fields.items()}
        diffs = ["%s: expected %s, got %s" % (k, expected.get(k), actual.get(k))
                 for k in sorted(set(expected) | set(actual)) if expected.get(k) != actual.get(k)]
        suite.check("input %s: fields, types and defaults" % name, t.get("kind") == "INPUT_OBJECT" and not diffs,
                    "INPUT_OBJECT exactly as API.md", "kind %s; %s" % (t.get("kind"), diffs))
    directives = sorted(d["name"] for d in schema.get("directives") or [])
    suite.check("directives include skip and include", {"skip", "include"} <= set(directives), ["include", "skip"],
                directives)
