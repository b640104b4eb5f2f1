"""Black-box acceptance suite of worker-demo against /work/shared/spec/API.md.

Usage: python3 acceptance.py BINARY
Starts `worker-demo serve` (both services in one process) and the split pair `worker` + `gateway`,
all with --store memory on free ports, runs every check, stops the processes, and ends with the line
"N passed, M failed". Exits 1 when any check failed.
"""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cli_checks  # noqa: E402
import extra_checks  # noqa: E402
import graphql_checks  # noqa: E402
import graphql_concurrent  # noqa: E402
import rest_jobs  # noqa: E402
import rest_lifecycle  # noqa: E402
import rest_tasks  # noqa: E402
from harness import Process, Suite, free_port, request, short  # noqa: E402


def ports(n):
    out = []
    while len(out) < n:
        p = free_port()
        if p not in out:
            out.append(p)
    return out


def main():
    binary = sys.argv[1]
    only = set(sys.argv[2:])  # optional section filter: cli serve split
    suite = Suite()
    logs = tempfile.mkdtemp(prefix="contract-")

    if not only or "cli" in only:
        suite.section("command line")
        suite.run("cli", cli_checks.check_cli, binary)
        suite.section("command line: cron expressions")
        suite.run("cron table", cli_checks.check_cron_table, binary)

    if not only or "serve" in only:
        wp, gp = ports(2)
        w, g = "http://127.0.0.1:%d" % wp, "http://127.0.0.1:%d" % gp
        serve = Process(binary, ["serve", "--worker-port", str(wp), "--gateway-port", str(gp), "--store", "memory"],
                        logs, "serve")
        suite.section("serve mode start-up")
        up = serve.wait_healthy(w) and serve.wait_healthy(g)
        suite.check("serve starts; worker and gateway answer /health", up, "both healthy", serve.tail())
        if up:
            suite.section("serve: GraphQL reference examples (fresh store)")
            suite.run("reference", graphql_checks.check_reference, g, True)
            for name, fn in (("REST create", rest_tasks.check_create), ("REST uniqueKey", rest_tasks.check_unique_key),
                             ("REST 400s", rest_tasks.check_create_errors), ("REST list", rest_tasks.check_list),
                             ("REST processing", rest_lifecycle.check_processing),
                             ("REST logs", rest_lifecycle.check_logs), ("REST stats", rest_lifecycle.check_stats),
                             ("REST cancel/retry", rest_lifecycle.check_cancel_retry),
                             ("REST 404/405", rest_lifecycle.check_not_found),
                             ("REST health/metrics", rest_lifecycle.check_health_metrics),
                             ("REST jobs", rest_jobs.check_jobs), ("REST more", extra_checks.check_more_rest),
                             ("cron firing", extra_checks.check_cron_firing)):
                suite.section("serve: " + name)
                suite.run(name, fn, w)
            suite.section("serve: GraphQL fields")
            suite.run("graphql fields", graphql_checks.check_fields, g, w)
            suite.section("serve: GraphQL errors, GET, playground, introspection")
            suite.run("graphql errors", graphql_checks.check_errors, g)
            suite.section("serve: GraphQL more")
            suite.run("graphql more", extra_checks.check_graphql_more, g)
            suite.run("graphql defaults", extra_checks.check_graphql_defaults, g, w)
            suite.section("serve: GraphQL concurrent fields")
            suite.run("graphql concurrent fields", graphql_concurrent.check_concurrent_fields, g, w)
            suite.section("serve: edges")
            suite.run("edges", extra_checks.check_edges, w, g)
            suite.section("serve: gateway health")
            suite.run("gateway health", graphql_checks.check_gateway_health, g, "up")
        suite.section("serve shutdown")
        code = serve.stop()
        suite.eq("serve: SIGTERM -> graceful exit 0", code, 0)

    if not only or "order" in only:
        wp, gp = ports(2)
        w = "http://127.0.0.1:%d" % wp
        suite.section("serve --concurrency 1 (store from env WORKER_STORE=memory)")
        one = Process(binary, ["serve", "--worker-port", str(wp), "--gateway-port", str(gp), "--concurrency", "1"],
                      logs, "serve-c1", env={"WORKER_STORE": "memory"})
        if suite.check("serve --concurrency 1 with WORKER_STORE=memory starts", one.wait_healthy(w), "healthy",
                       one.tail()):
            suite.run("dispatch order", extra_checks.check_dispatch_order, w)
        one.stop()

    if not only or "order" in only:
        suite.section("Ctrl-C")
        suite.run("sigint", extra_checks.check_sigint, binary, logs)

    if not only or "durable" in only:
        suite.section("sqlite store: graceful shutdown and lease expiry")
        suite.run("shutdown/lease", extra_checks.check_shutdown_and_lease, binary, logs, logs)
        suite.section("sqlite store: catch-up and two processes")
        suite.run("catch-up", extra_checks.check_catch_up_and_sharing, binary, logs, logs)

    if not only or "split" in only:
        wp, gp, gp2 = ports(3)
        w, g, g2 = ("http://127.0.0.1:%d" % p for p in (wp, gp, gp2))
        suite.section("split mode start-up")
        worker = Process(binary, ["worker", "--port", str(wp), "--store", "memory"], logs, "worker")
        gateway = Process(binary, ["gateway", "--port", str(gp), "--worker-url", w], logs, "gateway")
        gateway_env = Process(binary, ["gateway"], logs, "gateway-env",
                              env={"PORT": str(gp2), "WORKER_SERVICE_URL": w})
        up = worker.wait_healthy(w) and gateway.wait_healthy(g)
        suite.check("worker + gateway --worker-url start", up, "both healthy", worker.tail() + gateway.tail())
        suite.check("gateway with env PORT and WORKER_SERVICE_URL starts", gateway_env.wait_healthy(g2), "healthy",
                    gateway_env.tail())
        if up:
            r = request(w, "GET", "/health").json or {}
            suite.eq("split worker /health service worker-service", r.get("service"), "worker-service")
            suite.run("gateway health", graphql_checks.check_gateway_health, g, "up")
            suite.run("gateway (env) health", graphql_checks.check_gateway_health, g2, "up")
            suite.section("split: GraphQL reference examples (fresh store)")
            suite.run("reference", graphql_checks.check_reference, g, True)
            suite.section("split: GraphQL fields")
            suite.run("graphql fields", graphql_checks.check_fields, g, w)
            suite.section("split: GraphQL errors, GET, playground, introspection")
            suite.run("graphql errors", graphql_checks.check_errors, g)
            suite.section("split: GraphQL concurrent fields")
            suite.run("graphql concurrent fields", graphql_concurrent.check_concurrent_fields, g, w)
            r = request(g, "GET", "/api/tasks")
            suite.check("gateway does not serve the REST API (404)", r.status == 404, 404, r)
        suite.section("split: worker stopped")
        suite.eq("worker: SIGTERM -> graceful exit 0", worker.stop(), 0)
        suite.run("gateway health down", graphql_checks.check_gateway_health, g, "down")
        suite.run("unavailable", graphql_checks.check_unavailable, g)
        suite.eq("gateway: SIGTERM -> exit 0", gateway.stop(), 0)
        gateway_env.stop()

    failed = len(suite.failures)
    if failed:
        print("\nFAILING CHECKS (%d):" % failed)
        for name, expected, actual in suite.failures:
            print("- %s\n    expected: %s\n    actual:   %s" % (name, short(expected, 300), short(actual, 300)))
    if failed:
        print("logs of the processes: %s" % logs)
    else:
        shutil.rmtree(logs, ignore_errors=True)
    print("%d passed, %d failed" % (suite.passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
