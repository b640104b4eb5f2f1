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
    ("w5", "per-key limits: 100,000 tasks, concurrency 4, perKeyConcurrency 1, 100 keys, vs W4; in memory", runW5InMemory),
    ("w5-sqlite", "W5 on SQLite, vs W4 on SQLite", runW5SQLite),
    ("w5-postgres", "W5 on PostgreSQL, one process (needs WORKER_BENCH_POSTGRES_URL)", runW5Postgres),
    ("w6", "rate limit 10,000 per 1,000 ms, 50,000 tasks: start rate, most starts in a window; in memory", runW6InMemory),
    ("w6-sqlite", "W6 on SQLite", runW6SQLite),
    ("w6-postgres", "W6 on PostgreSQL (needs WORKER_BENCH_POSTGRES_URL)", runW6Postgres),
    ("w7", "fan-out/fan-in: createBatch of 10,000 tasks + callback, vs W4; in memory", runW7InMemory),
    ("w7-sqlite", "W7 on SQLite, vs W4 on SQLite", runW7SQLite),
    ("w7-postgres", "W7 on PostgreSQL, one process (needs WORKER_BENCH_POSTGRES_URL)", runW7Postgres),
    ("w9", "W4 on SQLite in worker-demo with 1,000 GET /api/events subscribers (scripts/bench-w9.sh)", runW9),
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
