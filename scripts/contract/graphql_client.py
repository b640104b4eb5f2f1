"""The gateway as the reference engine's own client sees it (issue 11, item 5).

gql is graphql-python's client, built on graphql-core: it reads the served schema by introspection
(graphql-core's build_client_schema must accept it), validates every document against that schema
on the client side, sends it over HTTP and parses the answer. Run in serve mode and split mode,
against the release worker-demo, by scripts/test-graphql-client.sh.

Usage: graphql_client.py WORKER_DEMO
Ends with "N passed, M failed" (exit 1 on any failure).
"""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gql import Client, gql  # noqa: E402
from gql.transport.exceptions import TransportQueryError, TransportServerError  # noqa: E402
from gql.transport.requests import RequestsHTTPTransport  # noqa: E402
from graphql import GraphQLNonNull, get_named_type  # noqa: E402
from harness import Process, Suite, free_port, request  # noqa: E402

GRAPHQL_RESPONSE = "application/graphql-response+json"


def transport(url, accept=None):
    headers = {"Accept": accept} if accept else None
    return RequestsHTTPTransport(url=url, headers=headers, timeout=15, retries=0)


def check_schema(suite, url):
    """Introspection builds a client schema in graphql-core with the contract's types."""
    with Client(transport=transport(url), fetch_schema_from_transport=True) as session:
        schema = session.client.schema
    suite.check("graphql-core builds a client schema from the introspection", schema is not None, "a schema", None)
    task = schema.get_type("Task")
    fields = set(task.fields) if task else set()
    wanted = {"id", "type", "status", "priority", "priorityValue", "payload", "logs", "queue", "dependsOn",
              "dependencies", "dependents", "batchId", "concurrencyKey", "onDependencyFailure"}
    suite.eq("Task has the contract's fields", sorted(wanted - fields), [])
    suite.check("Task.id is ID!", task and isinstance(task.fields["id"].type, GraphQLNonNull)
                and get_named_type(task.fields["id"].type).name == "ID", "ID!", task and str(task.fields["id"].type))
    status = schema.get_type("TaskStatus")
    suite.eq("TaskStatus values", sorted(status.values) if status else None,
             sorted(["PENDING", "PROCESSING", "COMPLETED", "FAILED", "CANCELLED", "RETRYING", "BLOCKED"]))
    subscription = schema.subscription_type
    suite.eq("Subscription root fields", sorted(subscription.fields) if subscription else None,
             ["jobUpdated", "taskUpdated"])
    mutation = schema.mutation_type
    suite.check("Mutation has bulkTasks, createBatch, updateQueue",
                mutation and {"bulkTasks", "createBatch", "updateQueue"} <= set(mutation.fields),
                "present", mutation and sorted(mutation.fields))
    return schema


def check_operations(suite, url, accept):
    """Documents validated by graphql-core on the client, executed by the gateway."""
    label = accept or "default Accept"
    with Client(transport=transport(url, accept), fetch_schema_from_transport=True) as session:
        create = gql("mutation ($input: CreateTaskInput!) { createTask(input: $input) { id type priorityValue } }")
        first = session.execute(create, variable_values={"input": {"type": "email", "payload": {"n": 1},
                                                                    "priority": "HIGH"}})["createTask"]
        second = session.execute(create, variable_values={"input": {"type": "echo", "payload": {"n": 2}}})["createTask"]
        suite.eq("[%s] createTask with variables" % label, (first["type"], first["priorityValue"]), ("email", 10))

        # The shape of issue 11: two async root fields and aliases of one field.
        two = gql("""query ($a: ID!, $b: ID!) {
                       a: task(taskId: $a) { id type }
                       b: task(taskId: $b) { id type }
                       stats: taskStats { total }
                     }""")
        result = session.execute(two, variable_values={"a": first["id"], "b": second["id"]})
        suite.eq("[%s] aliases of task() get their own tasks" % label,
                 (result["a"], result["b"]),
                 ({"id": first["id"], "type": "email"}, {"id": second["id"], "type": "echo"}))
        suite.check("[%s] taskStats beside them" % label, result["stats"]["total"] >= 2, ">= 2", result["stats"])

        fragments = gql("""query ($a: ID!) {
                             task(taskId: $a) { ...core logs(limit: 5) { level message } }
                             tasks(limit: 2) { total tasks { ...core } }
                           }
                           fragment core on Task { id status __typename }""")
        result = session.execute(fragments, variable_values={"a": first["id"]})
        suite.eq("[%s] fragment fields and __typename" % label,
                 (result["task"]["id"], result["task"]["__typename"]), (first["id"], "Task"))
        suite.check("[%s] a lifecycle log line" % label,
                    any("created" in line["message"].lower() for line in result["task"]["logs"]),
                    "a 'created' line", result["task"]["logs"])

        missing = gql("{ task(taskId: \"987654321\") { id } }")
        try:
            session.execute(missing)
            suite.check("[%s] unknown task: an error" % label, False, "TransportQueryError", "no error")
        except TransportQueryError as error:
            code = ((error.errors or [{}])[0].get("extensions") or {}).get("code")
            suite.eq("[%s] unknown task: NOT_FOUND with data.task null" % label, (code, error.data), ("NOT_FOUND",
                     {"task": None}))

    # Without a client-side schema, an invalid document reaches the server. gql hands back the
    # GraphQL body of a 400 as a query error (it raises a server error only for a body that is not
    # GraphQL), so the status itself is checked in graphql_checks.py; here: the code and the media
    # type the client asked for.
    wire = transport(url, accept)
    with Client(transport=wire) as session:
        invalid = gql("{ task(taskId: \"1\") { noSuchField } }")
        try:
            session.execute(invalid)
            suite.check("[%s] invalid document: an error" % label, False, "an error", "none")
        except (TransportQueryError, TransportServerError) as error:
            errors = getattr(error, "errors", None) or [{}]
            code = (errors[0].get("extensions") or {}).get("code")
            media = (wire.response_headers or {}).get("Content-Type", "").split(";")[0]
            suite.eq("[%s] invalid document: GRAPHQL_VALIDATION_FAILED in the asked media type" % label,
                     (code, media), ("GRAPHQL_VALIDATION_FAILED", accept or "application/json"))
    # The status that gql does not show: 400 for a document that does not validate, under either
    # media type (Docs/GRAPHQL_API.md, "Status codes").
    base, path = url.rsplit("/", 1)
    raw = request(base, "POST", "/" + path, body={"query": "{ task(taskId: \"1\") { noSuchField } }"},
                  headers={"Accept": accept or "application/json"})
    suite.eq("[%s] invalid document: HTTP status" % label, raw.status, 400)


def main():
    binary = sys.argv[1]
    suite = Suite()
    logs = tempfile.mkdtemp(prefix="graphql-client-")

    wp, gp = free_port(), free_port()
    serve = Process(binary, ["serve", "--worker-port", str(wp), "--gateway-port", str(gp), "--store", "memory"],
                    logs, "serve")
    gateway = "http://127.0.0.1:%d" % gp
    suite.section("serve mode")
    if suite.check("serve starts", serve.wait_healthy(gateway), "healthy", serve.tail()):
        suite.run("schema", check_schema, gateway + "/graphql")
        for accept in (None, GRAPHQL_RESPONSE):
            suite.run("operations", check_operations, gateway + "/graphql", accept)
    serve.stop()

    wp, gp = free_port(), free_port()
    worker = Process(binary, ["worker", "--port", str(wp), "--store", "memory"], logs, "worker")
    split = Process(binary, ["gateway", "--port", str(gp), "--worker-url", "http://127.0.0.1:%d" % wp], logs, "gateway")
    gateway = "http://127.0.0.1:%d" % gp
    suite.section("split mode")
    up = worker.wait_healthy("http://127.0.0.1:%d" % wp) and split.wait_healthy(gateway)
    if suite.check("worker and gateway start", up, "healthy", worker.tail() + split.tail()):
        suite.run("schema", check_schema, gateway + "/graphql")
        suite.run("operations", check_operations, gateway + "/graphql", GRAPHQL_RESPONSE)
    split.stop()
    worker.stop()

    print("\n%d passed, %d failed" % (suite.passed, len(suite.failures)))
    for name, expected, actual in suite.failures:
        print("  FAIL %s" % name)
    sys.exit(1 if suite.failures else 0)


if __name__ == "__main__":
    main()
