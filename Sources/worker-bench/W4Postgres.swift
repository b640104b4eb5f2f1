import Foundation
import PostgresStore
import Scheduling
import TaskCore

/// W4 on PostgreSQL: 100,000 no-op tasks pushed into a fresh schema (the pool not running), then
/// worker processes started — each a `WorkerService` with 4 slots — and timed until all tasks are
/// completed, once with one process and once with three.
///
/// The database comes from `WORKER_BENCH_POSTGRES_URL` (`scripts/bench-w4-postgres.sh` starts a
/// server and sets it). Environment: `W4_TASKS` (default 100000), `W4_RUNS` (measured runs,
/// default 5), `W4_PROCESSES` (default "1 3"), `W4_PREFETCH` (default 64).
func runW4Postgres() async throws {
    let environment = ProcessInfo.processInfo.environment
    if let childURL = environment["W4_POSTGRES_CHILD_URL"] {
        return try await runW4PostgresWorkerProcess(url: childURL)
    }
    guard let baseURL = environment["WORKER_BENCH_POSTGRES_URL"] else {
        print("set WORKER_BENCH_POSTGRES_URL, or run scripts/bench-w4-postgres.sh, which starts a server")
        return
    }
    let taskCount = Int(environment["W4_TASKS"] ?? "") ?? 100_000
    let runs = Int(environment["W4_RUNS"] ?? "") ?? 5
    let processCounts = (environment["W4_PROCESSES"] ?? "1 3").split(separator: " ").compactMap { Int($0) }
    print("tasks \(taskCount), 4 slots per process, runs: 1 warm-up + \(runs)")
    for processes in processCounts {
        var pushRates: [Double] = []
        var processRates: [Double] = []
        for run in 0...runs {
            let schema = "w4_\(getpid())_\(processes)_\(run)"
            try await PostgresTaskStore.executeAdministrative(url: baseURL, "CREATE SCHEMA \(schema)")
            let url = baseURL + (baseURL.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(schema)"
            let (push, process) = try await w4PostgresRun(url: url, taskCount: taskCount, processes: processes)
            try await PostgresTaskStore.executeAdministrative(url: baseURL, "DROP SCHEMA \(schema) CASCADE")
            print("\(processes) process(es), \(run == 0 ? "warm-up" : "run \(run)"): push \(fixed(push, 0)) tasks/s, process \(fixed(process, 0)) tasks/s")
            if run > 0 {
                pushRates.append(push)
                processRates.append(process)
            }
        }
        print("\(processes) process(es): processed tasks/s median \(fixed(median(processRates), 0)), min \(fixed(processRates.min()!, 0)), max \(fixed(processRates.max()!, 0)); enqueued (batches of 1,000) median \(fixed(median(pushRates), 0))")
    }
}

/// One run: returns (pushed tasks/s, processed tasks/s).
private func w4PostgresRun(url: String, taskCount: Int, processes: Int) async throws -> (Double, Double) {
    let store = try await PostgresTaskStore.connect(url: url)
    defer { store.close() }
    let pushStart = ContinuousClock.now
    var pushed = 0
    while pushed < taskCount {
        let batch = min(1000, taskCount - pushed)
        _ = try await store.createTasks(Array(repeating: NewTask(type: "noop"), count: batch), now: Date())
        pushed += batch
    }
    let pushSeconds = (ContinuousClock.now - pushStart).seconds

    let processStart = ContinuousClock.now
    let children = try (0..<processes).map { _ in try spawnWorkerProcess(url: url) }
    defer {
        for child in children { kill(child, SIGKILL) }
        for child in children { var status: Int32 = 0; waitpid(child, &status, 0) }
    }
    while try await store.completedCount() < taskCount {
        try await Task.sleep(for: .milliseconds(20))
    }
    return (Double(taskCount) / pushSeconds, Double(taskCount) / (ContinuousClock.now - processStart).seconds)
}

/// Starts this executable again as a worker process on `url`.
private func spawnWorkerProcess(url: String) throws -> pid_t {
    let executable = CommandLine.arguments[0]
    var environment = ProcessInfo.processInfo.environment
    environment["W4_POSTGRES_CHILD_URL"] = url
    let argv: [UnsafeMutablePointer<CChar>?] = [strdup(executable), strdup("w4-postgres"), nil]
    let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for pointer in argv + envp { free(pointer) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    var pid: pid_t = 0
    let result = posix_spawn(&pid, executable, &actions, nil, argv, envp)
    guard result == 0 else {
        throw TaskCoreError(code: .storageFailure, message: "cannot start a worker process: error \(result)")
    }
    return pid
}

/// The child side: a worker process with 4 slots and a no-op handler, until killed.
private func runW4PostgresWorkerProcess(url: String) async throws {
    let store = try await PostgresTaskStore.connect(url: url, configuration: .init(maxConnections: 4))
    let prefetch = Int(ProcessInfo.processInfo.environment["W4_PREFETCH"] ?? "") ?? 64
    let service = WorkerService(
        store: store, configuration: WorkerConfiguration(concurrency: 4, prefetch: prefetch, retention: .zero))
    service.register("noop") { _, _ in .null }
    try await service.run()
}

extension Duration {
    fileprivate var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
