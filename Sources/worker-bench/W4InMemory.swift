import Foundation
import Scheduling
import Synchronization
import TaskCore

/// W4 (WORKLOADS.md) on the in-memory store: enqueue 100,000 tasks of one type through the service
/// (pool not running), then run 4 slots with a no-op handler until all have completed.
func runW4InMemory() async throws {
    if ProcessInfo.processInfo.environment["W4_PROFILE"] != nil { return try await w4Profile() }
    let taskCount = 100_000
    let prefetch = ProcessInfo.processInfo.environment["W4_PREFETCH"].flatMap(Int.init) ?? 256
    let runs = ProcessInfo.processInfo.environment["W4_RUNS"].flatMap(Int.init) ?? 7
    print("tasks: \(taskCount), slots: 4, prefetch: \(prefetch), runs: 1 warm-up + \(runs)")
    var enqueueRates: [Double] = []
    var processRates: [Double] = []
    var enqueueCPU: [Double] = []
    var processCPU: [Double] = []
    for run in 0...runs {
        let figures = try await w4Once(taskCount: taskCount, prefetch: prefetch)
        if run == 0 { continue }
        enqueueRates.append(Double(taskCount) / figures.enqueue)
        processRates.append(Double(taskCount) / figures.process)
        enqueueCPU.append(figures.enqueueCPU / Double(taskCount) * 1e6)
        processCPU.append(figures.processCPU / Double(taskCount) * 1e6)
    }
    func line(_ name: String, _ rates: [Double]) {
        print("\(name): median \(fixed(median(rates), 0)) tasks/s, min \(fixed(rates.min()!, 0)), max \(fixed(rates.max()!, 0))")
    }
    line("enqueued ", enqueueRates)
    line("processed", processRates)
    print("CPU time per task, all threads (median): enqueue \(fixed(median(enqueueCPU), 2)) µs, process \(fixed(median(processCPU), 2)) µs")
}

/// User + system CPU time of the process so far, in seconds (shows cost on a shared, loaded machine).
private func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Counts completions and tells when the last one arrives.
private final class CompletionCounter: Sendable {
    private let count = Atomic<Int>(0)
    private let target: Int
    private let done = AsyncStream<Void>.makeStream()

    init(target: Int) { self.target = target }

    func increment() {
        if count.add(1, ordering: .relaxed).newValue == target { done.continuation.yield() }
    }

    func waitForAll() async {
        for await _ in done.stream { return }
    }
}

private func w4Once(taskCount: Int, prefetch: Int) async throws
    -> (enqueue: Double, process: Double, enqueueCPU: Double, processCPU: Double)
{
    let store = InMemoryTaskStore()
    let service = WorkerService(
        store: store, configuration: WorkerConfiguration(concurrency: 4, prefetch: prefetch, runsScheduler: false))
    let counter = CompletionCounter(target: taskCount)
    service.register("noop") { _, _ in
        counter.increment()
        return nil
    }
    let draft = NewTask(type: "noop")
    let cpuStart = cpuSeconds()
    let enqueueStart = ContinuousClock.now
    for _ in 0..<taskCount {
        _ = try await service.createTask(draft)
    }
    let enqueue = ContinuousClock.now - enqueueStart
    let cpuEnqueued = cpuSeconds()

    let processStart = ContinuousClock.now
    var process = Duration.zero
    var cpuProcessed = 0.0
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await service.run() }
        await counter.waitForAll()
        process = ContinuousClock.now - processStart
        cpuProcessed = cpuSeconds()
        service.shutdown()
        try await group.waitForAll()
    }
    let stats = try await store.stats()
    guard stats.all[.completed] == taskCount else {
        throw TaskCoreError(code: .storageFailure, message: "W4: only \(stats.all[.completed]) of \(taskCount) completed")
    }
    return (enqueue.secondsValue, process.secondsValue, cpuEnqueued - cpuStart, cpuProcessed - cpuEnqueued)
}

extension Duration {
    fileprivate var secondsValue: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

/// Where W4's time goes: the store alone, without the service (set W4_PROFILE=1).
func w4Profile() async throws {
    let n = 100_000
    let draft = NewTask(type: "noop")
    for _ in 0..<3 {
        let store = InMemoryTaskStore()
        var start = ContinuousClock.now
        let now = Date()
        for _ in 0..<n { _ = try await store.createTask(draft, now: now) }
        let create = ContinuousClock.now - start
        start = ContinuousClock.now
        var claimed = 0
        while claimed < n {
            let batch = try await store.claimTasks(
                types: ["noop"], worker: "w", limit: 256, leaseDuration: .seconds(30), now: now)
            for task in batch {
                _ = try await store.completeTask(task.id, token: task.lease!.token, result: nil, now: now)
            }
            claimed += batch.count
        }
        let process = ContinuousClock.now - start
        start = ContinuousClock.now
        for _ in 0..<n { try draft.validate() }
        let validate = ContinuousClock.now - start
        start = ContinuousClock.now
        var d = Date()
        for _ in 0..<n { d = max(d, Date()) }
        let dates = ContinuousClock.now - start
        print("store only: create \(fixed(Double(n) / create.secondsValue, 0))/s, claim(256)+complete \(fixed(Double(n) / process.secondsValue, 0))/s; validate \(fixed(validate.secondsValue / Double(n) * 1e9, 0)) ns; Date() \(fixed(dates.secondsValue / Double(n) * 1e9, 0)) ns")
    }
}
