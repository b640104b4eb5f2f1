import Foundation
import Scheduling
import SQLiteStore
import Synchronization
import TaskCore

/// W4 on SQLite: 100,000 no-op tasks pushed into a fresh database file (one transaction each, the
/// pool not running), then a `WorkerService` with 4 slots started and timed until all are completed.
///
/// Environment: `W4_TASKS` (default 100000), `W4_RUNS` (measured runs, default 5),
/// `W4_SYNCHRONOUS` (`normal`, the default, or `full`), `W4_PREFETCH` (claimed tasks buffered
/// beyond the idle slots, default 64), `W4_DIR` (where the database files go, default the
/// temporary directory), `W4_STORE=memory` (the same run on `InMemoryTaskStore`, to separate the
/// pool's cost from the store's).
func runW4SQLite() async throws {
    let environment = ProcessInfo.processInfo.environment
    let taskCount = Int(environment["W4_TASKS"] ?? "") ?? 100_000
    let runs = Int(environment["W4_RUNS"] ?? "") ?? 5
    let synchronous = SQLiteConfiguration.Synchronous(parsing: environment["W4_SYNCHRONOUS"] ?? "normal") ?? .normal
    let prefetch = Int(environment["W4_PREFETCH"] ?? "") ?? 64
    let directory = environment["W4_DIR"] ?? FileManager.default.temporaryDirectory.path
    let storeName = environment["W4_STORE"] == "memory" ? "in-memory store" : "SQLite, journal WAL, synchronous \(synchronous)"
    print("tasks \(taskCount), slots 4, prefetch \(prefetch), \(storeName), dir \(directory)")

    var pushRates: [Double] = []
    var processRates: [Double] = []
    var pushCPU: [Double] = []
    var processCPU: [Double] = []
    for run in 0...runs {
        let path = "\(directory)/w4-sqlite-\(getpid())-\(run).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let figures = try await w4SQLiteRun(
            path: path, taskCount: taskCount, synchronous: synchronous, prefetch: prefetch)
        let label = run == 0 ? "warm-up" : "run \(run)"
        print(
            "\(label): push \(fixed(figures.pushRate, 0)) tasks/s (\(fixed(figures.pushCPU, 1)) µs CPU/task), "
                + "process \(fixed(figures.processRate, 0)) tasks/s (\(fixed(figures.processCPU, 1)) µs CPU/task)")
        if run > 0 {
            pushRates.append(figures.pushRate)
            processRates.append(figures.processRate)
            pushCPU.append(figures.pushCPU)
            processCPU.append(figures.processCPU)
        }
    }
    print("processed tasks/s: median \(fixed(median(processRates), 0)), min \(fixed(processRates.min()!, 0)), max \(fixed(processRates.max()!, 0))")
    print("enqueued tasks/s:  median \(fixed(median(pushRates), 0)), min \(fixed(pushRates.min()!, 0)), max \(fixed(pushRates.max()!, 0))")
    print("CPU time per task (user + system, all threads): push median \(fixed(median(pushCPU), 1)) µs, process median \(fixed(median(processCPU), 1)) µs")
}

/// The figures of one W4 run: rates, and the process's CPU time per task in each phase (which,
/// unlike the rates, does not depend on how busy the machine is).
private struct W4Figures {
    var pushRate: Double
    var processRate: Double
    var pushCPU: Double
    var processCPU: Double
}

/// User plus system CPU seconds of this process so far.
private func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// One W4 run on a fresh file.
private func w4SQLiteRun(
    path: String, taskCount: Int, synchronous: SQLiteConfiguration.Synchronous, prefetch: Int
) async throws -> W4Figures {
    let store: any TaskStore =
        ProcessInfo.processInfo.environment["W4_STORE"] == "memory"
        ? InMemoryTaskStore()
        : try SQLiteTaskStore(path: path, configuration: SQLiteConfiguration(synchronous: synchronous))
    let cpuAtStart = cpuSeconds()
    let pushStart = ContinuousClock.now
    for _ in 0..<taskCount {
        _ = try await store.createTask(NewTask(type: "noop"), now: Date())
    }
    let pushSeconds = seconds(ContinuousClock.now - pushStart)
    let cpuAfterPush = cpuSeconds()

    let finished = CompletionLine(target: taskCount)
    var processSeconds = 0.0
    var cpuAfterProcess = 0.0
    let service = WorkerService(
        store: store,
        configuration: WorkerConfiguration(concurrency: 4, prefetch: prefetch, retention: .zero),
        events: WorkerEventSink { event in
            if case .attemptFinished(_, .completed) = event { finished.add() }
        })
    service.register("noop") { _, _ in .null }
    let processStart = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await service.run() }
        await finished.wait()
        processSeconds = seconds(ContinuousClock.now - processStart)
        cpuAfterProcess = cpuSeconds()
        service.shutdown()
        try await group.waitForAll()
    }
    let stats = try await store.stats()
    guard stats.all[.completed] == taskCount else {
        throw TaskCoreError(code: .storageFailure, message: "W4: only \(stats.all[.completed]) of \(taskCount) tasks completed")
    }
    let perTask = 1e6 / Double(taskCount)
    return W4Figures(
        pushRate: Double(taskCount) / pushSeconds, processRate: Double(taskCount) / processSeconds,
        pushCPU: (cpuAfterPush - cpuAtStart) * perTask, processCPU: (cpuAfterProcess - cpuAfterPush) * perTask)
}

private func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
