import Foundation
import PostgresStore
import Scheduling
import SQLiteStore
import Synchronization
import TaskCore

// Shared pieces of the round-two workloads (W5–W7, WORKLOADS.md "Round two"): a fresh store of
// each kind per run, a service configured like W4's, a completion counter, and reading the stored
// records back for the checks that follow each run (outside the timing).

/// The store a round-two workload runs on.
enum BenchStoreKind: String, CaseIterable, Sendable {
    case memory, sqlite, postgres

    /// What the W4 figures of Docs/PERFORMANCE.md used: 256 claimed tasks buffered in memory, 64 on
    /// the SQL stores (`BENCH_PREFETCH` overrides).
    var prefetch: Int {
        if let text = ProcessInfo.processInfo.environment["BENCH_PREFETCH"], let value = Int(text) { return value }
        return self == .memory ? 256 : 64
    }

    var label: String {
        switch self {
        case .memory: "in-memory store"
        case .sqlite: "SQLite, journal WAL, synchronous NORMAL"
        case .postgres: "PostgreSQL, one process, 4 store connections"
        }
    }
}

/// Prints a line and flushes it at once (the long workloads' progress reaches a pipe or a log as
/// it happens, and survives a crash).
func say(_ line: String) {
    print(line)
    fflush(nil)
}

/// The environment variable `name` as an integer, or `fallback`.
func environmentInt(_ name: String, _ fallback: Int) -> Int {
    ProcessInfo.processInfo.environment[name].flatMap { Int($0) } ?? fallback
}

/// The PostgreSQL server of a `*-postgres` workload, or `nil` after saying how to get one.
func benchPostgresURL() -> String? {
    guard let url = ProcessInfo.processInfo.environment["WORKER_BENCH_POSTGRES_URL"] else {
        print("set WORKER_BENCH_POSTGRES_URL, or run scripts/bench-postgres.sh WORKLOAD, which starts a server")
        return nil
    }
    return url
}

/// Runs `body` with a fresh, empty store of `kind`, removed afterwards (SQLite: a new file in
/// `W4_DIR` or the temporary directory; PostgreSQL: a new schema of `WORKER_BENCH_POSTGRES_URL`).
func withFreshStore<T>(_ kind: BenchStoreKind, _ body: (any TaskStore) async throws -> T) async throws -> T {
    switch kind {
    case .memory:
        return try await body(InMemoryTaskStore())
    case .sqlite:
        let directory = ProcessInfo.processInfo.environment["W4_DIR"] ?? FileManager.default.temporaryDirectory.path
        let path = "\(directory)/round2-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SQLiteTaskStore(path: path, configuration: SQLiteConfiguration(synchronous: .normal))
        return try await body(store)
    case .postgres:
        guard let baseURL = ProcessInfo.processInfo.environment["WORKER_BENCH_POSTGRES_URL"] else {
            throw TaskCoreError(code: .invalidArgument, message: "WORKER_BENCH_POSTGRES_URL is not set")
        }
        let schema = "round2_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        try await PostgresTaskStore.executeAdministrative(url: baseURL, "CREATE SCHEMA \(schema)")
        let url = baseURL + (baseURL.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(schema)"
        let store = try await PostgresTaskStore.connect(url: url)
        do {
            let result = try await body(store)
            store.close()
            try await PostgresTaskStore.executeAdministrative(url: baseURL, "DROP SCHEMA \(schema) CASCADE")
            return result
        } catch {
            store.close()
            try? await PostgresTaskStore.executeAdministrative(url: baseURL, "DROP SCHEMA \(schema) CASCADE")
            throw error
        }
    }
}

/// A service as W4 runs it: 4 slots, the store's prefetch, no retention, no cron scheduler;
/// `finished` hears every completed attempt.
func benchService(_ store: any TaskStore, kind: BenchStoreKind, finished: CompletionLine) -> WorkerService {
    WorkerService(
        store: store,
        configuration: WorkerConfiguration(concurrency: 4, prefetch: kind.prefetch, runsScheduler: false, retention: .zero),
        events: WorkerEventSink { event in
            if case .attemptFinished(_, .completed) = event { finished.add() }
        })
}

/// Creates `drafts` in transactions of 1,000 (setup, not timed).
func pushTasks(_ drafts: [NewTask], into store: any TaskStore) async throws {
    guard let workflows = store as? any TaskStoreWorkflows else {
        for draft in drafts { _ = try await store.createTask(draft, now: Date()) }
        return
    }
    var index = 0
    while index < drafts.count {
        let end = min(drafts.count, index + 1000)
        _ = try await workflows.createTasks(Array(drafts[index..<end]), now: Date())
        index = end
    }
}

/// Times `service` until `finished` reaches its target. Without `startPoolFirst` the clock starts
/// with the pool (W4: tasks were pushed before); with it, the pool is started and left a moment to
/// go idle, then the clock starts and `work` runs (W7: the batch is created against a running pool).
func timeUntilFinished(
    _ service: WorkerService, _ finished: CompletionLine, startPoolFirst: Bool = false,
    work: @escaping @Sendable () async throws -> Void = {}
) async throws -> Double {
    try await withThrowingTaskGroup(of: Void.self) { group in
        if startPoolFirst {
            group.addTask { try await service.run() }
            try await Task.sleep(for: .milliseconds(200))
        }
        let start = ContinuousClock.now
        if !startPoolFirst { group.addTask { try await service.run() } }
        try await work()
        await finished.wait()
        let elapsed = ContinuousClock.now - start
        service.shutdown()
        try await group.waitForAll()
        return elapsed.benchSeconds
    }
}

/// Counts completions and wakes the waiter when `target` is reached.
final class CompletionLine: Sendable {
    let target: Int
    private let state = Mutex<(count: Int, waiter: CheckedContinuation<Void, Never>?)>((0, nil))

    init(target: Int) { self.target = target }

    var count: Int { state.withLock { $0.count } }

    func add() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.count += 1
            guard state.count == target else { return nil }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state -> Bool in
                if state.count >= target { return true }
                state.waiter = continuation
                return false
            }
            if done { continuation.resume() }
        }
    }
}

/// Every task of the store, newest first (keyset pages of 1,000; outside any timing).
func allTasks(_ store: any TaskStore) async throws -> [TaskRecord] {
    var query = TaskQuery(limit: 1000)
    var records: [TaskRecord] = []
    while true {
        let page = try await store.listTasks(query)
        records += page.tasks
        guard page.tasks.count == query.limit, let last = page.tasks.last else { return records }
        query.beforeID = last.id
    }
}

/// Problems with "every task completed, each in exactly one attempt".
func completionProblems(_ records: [TaskRecord], expected: Int) -> [String] {
    var problems: [String] = []
    if records.count != expected { problems.append("\(records.count) tasks stored, expected \(expected)") }
    let notCompleted = records.filter { $0.status != .completed }
    if !notCompleted.isEmpty {
        problems.append("\(notCompleted.count) tasks not completed, e.g. \(notCompleted[0].id) \(notCompleted[0].status)")
    }
    let retried = records.filter { $0.attempts != 1 }
    if !retried.isEmpty { problems.append("\(retried.count) tasks with attempts != 1, e.g. \(retried[0].id): \(retried[0].attempts)") }
    if records.contains(where: { $0.startedAt == nil || $0.completedAt == nil }) {
        problems.append("tasks without startedAt or completedAt")
    }
    return problems
}

/// The most tasks processing at once according to their `[startedAt, completedAt]` intervals: a
/// completion at the same instant as a start counts as before it (the stores stamp a start no
/// earlier than a completion it counted as finished).
func peakOverlap(_ records: some Sequence<TaskRecord>) -> Int {
    var points: [(Int64, Int)] = []
    for record in records {
        guard let started = record.startedAt, let completed = record.completedAt else { continue }
        points.append((microseconds(started), 1))
        points.append((microseconds(completed), -1))
    }
    points.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
    var current = 0
    var peak = 0
    for point in points {
        current += point.1
        peak = max(peak, current)
    }
    return peak
}

/// An instant as whole microseconds since 1970 (the SQL stores keep milliseconds, so their
/// stamps convert exactly and window arithmetic needs no floating-point tolerance).
func microseconds(_ date: Date) -> Int64 {
    Int64((date.timeIntervalSince1970 * 1e6).rounded())
}

/// The most starts inside any window of `period` microseconds, half-open (the stores count a
/// start as inside the window ending now while `startedAt > now - period`), and the same for a
/// closed window `[t, t + period]`, from sorted start times.
func peakStartsInWindow(_ sortedStarts: [Int64], period: Int64) -> (halfOpen: Int, closed: Int) {
    var halfOpen = 0
    var closed = 0
    var lowOpen = 0
    var lowClosed = 0
    for (index, time) in sortedStarts.enumerated() {
        while sortedStarts[lowOpen] <= time - period { lowOpen += 1 }
        while sortedStarts[lowClosed] < time - period { lowClosed += 1 }
        halfOpen = max(halfOpen, index - lowOpen + 1)
        closed = max(closed, index - lowClosed + 1)
    }
    return (halfOpen, closed)
}

/// "median M (min A, max B)" of rates.
func rateSummary(_ values: [Double], unit: String = "tasks/s") -> String {
    "median \(fixed(median(values), 0)) \(unit) (min \(fixed(values.min() ?? 0, 0)), max \(fixed(values.max() ?? 0, 0)))"
}

/// "median M (min A, max B)" of ratios.
func ratioSummary(_ values: [Double]) -> String {
    "median \(fixed(median(values), 3)) (min \(fixed(values.min() ?? 0, 3)), max \(fixed(values.max() ?? 0, 3)))"
}

/// The current load average line, so that each figure carries the machine's state.
func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))
        .map { $0.split(separator: " ").prefix(3).joined(separator: " ") } ?? "?"
}

/// One W4 run (WORKLOADS.md) on a fresh store of `kind` with the round-two service: `taskCount`
/// no-op tasks pushed (not timed), then the pool started and timed until all have completed.
/// Returns processed tasks/s. The round-two workloads alternate it with their own runs, so the
/// ratio compares runs of the same sitting.
func w4Reference(_ kind: BenchStoreKind, taskCount: Int) async throws -> Double {
    try await withFreshStore(kind) { store in
        try await pushTasks(Array(repeating: NewTask(type: "noop"), count: taskCount), into: store)
        let finished = CompletionLine(target: taskCount)
        let service = benchService(store, kind: kind, finished: finished)
        service.register("noop") { _, _ in .null }
        let seconds = try await timeUntilFinished(service, finished)
        let stats = try await store.stats()
        guard stats.all[.completed] == taskCount else {
            throw TaskCoreError(code: .storageFailure, message: "W4: only \(stats.all[.completed]) of \(taskCount) completed")
        }
        return Double(taskCount) / seconds
    }
}

extension Duration {
    var benchSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
