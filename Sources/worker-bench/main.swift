// worker-bench: the benchmark workloads of ../shared/bench/WORKLOADS.md and the issues.
import Foundation

// Run with `swift run -c release worker-bench <workload>`; see Docs/PERFORMANCE.md for the figures.

let workloads: [(name: String, summary: String, run: () async throws -> Void)] = [
    ("w1", "priority queue: 1,000,000 pushes then pops", runW1PriorityQueue),
    ("cron", "cron next-fire calculations in UTC and America/New_York", runCronBenchmark),
    ("w2", "GraphQL parse / validate / execute on the gateway schema", runW2GraphQL),
    ("w3-server", "HTTPServer alone under wrk (GET/POST, async and immediate responders)", runHTTPServerBench),
    ("w3-router", "REST router in process: GET /api/tasks/1 and POST /api/tasks, no sockets", runW3Router),
    ("w4", "end-to-end queue, in-memory store, 100,000 no-op tasks, 4 slots", runW4InMemory),
    ("w4-sqlite", "end-to-end queue on SQLite, 100,000 no-op tasks, 4 slots", runW4SQLite),
    ("w4-postgres", "end-to-end queue on PostgreSQL (needs WORKER_BENCH_POSTGRES_URL)", runW4Postgres),
]

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.isEmpty || arguments.contains("--help") {
    print("usage: worker-bench <workload>...\n\nworkloads:")
    for workload in workloads { print("  \(workload.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(workload.summary)") }
} else {
    for name in arguments {
        guard let workload = workloads.first(where: { $0.name == name }) else {
            print("unknown workload '\(name)'; try --help")
            exit(2)
        }
        print("== \(workload.name): \(workload.summary)")
        try await workload.run()
    }
}
