import Foundation
import Scheduling
import Synchronization
import TaskCore

/// W5 (WORKLOADS.md, round two): 100,000 no-op tasks in one queue with `concurrency` 4 and
/// `perKeyConcurrency` 1, round-robin over 100 `concurrencyKey`s, 4 slots; processed/s and its ratio
/// to W4 on the same store. Each run is a W4 run followed by a W5 run on fresh stores, so the ratio
/// compares runs taken seconds apart. After each W5 run (outside the timing) the stored
/// `startedAt`/`completedAt` are checked: no key ever had two tasks processing, the queue never
/// more than 4, every task completed in one attempt.
///
/// Environment: `W5_TASKS` (default 100000), `W5_KEYS` (100), `W5_RUNS` (measured runs, 5),
/// `BENCH_PREFETCH` (default 256 in memory, 64 on SQL stores, as W4), `W4_DIR` (SQLite files),
/// `WORKER_BENCH_POSTGRES_URL` (w5-postgres; scripts/bench-postgres.sh sets it), `W5_DIAGNOSE=1`
/// (each handler asks the store how many tasks of its key and of the queue are processing, to
/// tell a real limit breach from a stamping one; slows the run, so not for the figures).
func runW5InMemory() async throws { try await runW5(.memory) }
func runW5SQLite() async throws { try await runW5(.sqlite) }
func runW5Postgres() async throws {
    guard benchPostgresURL() != nil else { return }
    try await runW5(.postgres)
}

private func runW5(_ kind: BenchStoreKind) async throws {
    let taskCount = environmentInt("W5_TASKS", 100_000)
    let keys = environmentInt("W5_KEYS", 100)
    let runs = max(1, environmentInt("W5_RUNS", 5))
    say("tasks \(taskCount) over \(keys) keys, queue concurrency 4, perKeyConcurrency 1, slots 4, prefetch \(kind.prefetch), \(kind.label); runs: 1 warm-up + \(runs), each W4 then W5; load \(loadAverage())")
    var w4Rates: [Double] = []
    var w5Rates: [Double] = []
    var ratios: [Double] = []
    var problems: [String] = []
    for run in 0...runs {
        let reference = try await w4Reference(kind, taskCount: taskCount)
        let (rate, check) = try await w5Once(kind, taskCount: taskCount, keys: keys)
        let label = run == 0 ? "warm-up" : "run \(run)"
        say("\(label): W4 \(fixed(reference, 0)) tasks/s, W5 \(fixed(rate, 0)) tasks/s, ratio \(fixed(rate / reference, 3)); peak processing per key \(check.peakPerKey), in the queue \(check.peakQueue); load \(loadAverage())")
        problems += check.problems.map { "\(label): \($0)" }
        if run > 0 {
            w4Rates.append(reference)
            w5Rates.append(rate)
            ratios.append(rate / reference)
        }
    }
    say("W4 processed: \(rateSummary(w4Rates))")
    say("W5 processed: \(rateSummary(w5Rates))")
    say("W5 / W4 (per run pair): \(ratioSummary(ratios)); ratio of medians \(fixed(median(w5Rates) / median(w4Rates), 3)) (goal >= 0.5)")
    say(problems.isEmpty ? "checks: every run kept perKeyConcurrency 1 and concurrency 4, every task completed once" : "PROBLEMS:\n  " + problems.joined(separator: "\n  "))
}

private struct W5Check {
    var peakPerKey = 0
    var peakQueue = 0
    var problems: [String] = []
}

/// Handlers of each key running right now, and the most seen at once: a live check, in the
/// process, of what the stored history says afterwards.
private final class LiveKeys: Sendable {
    let state = Mutex((running: [String: Int](), peak: 0))

    func enter(_ key: String) {
        state.withLock { state in
            let now = state.running[key, default: 0] + 1
            state.running[key] = now
            state.peak = max(state.peak, now)
        }
    }

    func leave(_ key: String) { state.withLock { $0.running[key, default: 1] -= 1 } }

    /// `W5_DIAGNOSE`: the most processing tasks the store itself listed for one key and for the queue.
    let storePeaks = Mutex((sameKey: 0, inQueue: 0))

    func storeView(sameKey: Int, inQueue: Int) {
        storePeaks.withLock { $0 = (max($0.sameKey, sameKey), max($0.inQueue, inQueue)) }
    }
}

/// Where a key's stored intervals overlap: how many pairs, the largest overlap in microseconds,
/// and the first such pair as text (a start before the previous task's completion).
private func keyOverlaps(_ records: [TaskRecord]) -> (pairs: Int, largest: Int64, example: String?) {
    var pairs = 0
    var largest: Int64 = 0
    var example: String?
    for (key, group) in Dictionary(grouping: records, by: { $0.concurrencyKey ?? "" }) {
        let sorted = group.sorted { microseconds($0.startedAt!) < microseconds($1.startedAt!) }
        var latestEnd: (end: Int64, id: TaskID)?
        for record in sorted {
            let start = microseconds(record.startedAt!)
            if let previous = latestEnd, start < previous.end {
                pairs += 1
                largest = max(largest, previous.end - start)
                if example == nil {
                    example = "key \(key): task \(record.id) started at \(Timestamp.format(record.startedAt!)), "
                        + "task \(previous.id) completed at \(Timestamp.format(Date(timeIntervalSince1970: Double(previous.end) / 1e6)))"
                }
            }
            let end = microseconds(record.completedAt!)
            if latestEnd == nil || end > latestEnd!.end { latestEnd = (end, record.id) }
        }
    }
    return (pairs, largest, example)
}

private func w5Once(_ kind: BenchStoreKind, taskCount: Int, keys: Int) async throws -> (Double, W5Check) {
    try await withFreshStore(kind) { store in
        let finished = CompletionLine(target: taskCount)
        let service = benchService(store, kind: kind, finished: finished)
        let live = LiveKeys()
        let diagnose = ProcessInfo.processInfo.environment["W5_DIAGNOSE"] != nil
        service.register("noop") { task, _ in
            let key = task.concurrencyKey ?? ""
            live.enter(key)
            defer { live.leave(key) }
            if diagnose {
                // The store's own view while this task runs: its key's and its queue's processing tasks.
                var query = TaskQuery(statuses: [.processing], limit: 10)
                query.queue = "w5"
                query.concurrencyKey = key
                let sameKey = try await store.listTasks(query).total
                query.concurrencyKey = nil
                let inQueue = try await store.listTasks(query).total
                live.storeView(sameKey: sameKey, inQueue: inQueue)
            }
            return .null
        }
        _ = try await service.updateQueue("w5", QueueUpdate(concurrency: 4, perKeyConcurrency: 1))
        let drafts = (0..<taskCount).map { NewTask(type: "noop", queue: "w5", concurrencyKey: "key-\($0 % keys)") }
        try await pushTasks(drafts, into: store)
        let seconds = try await timeUntilFinished(service, finished)

        let records = try await allTasks(store)
        var check = W5Check()
        check.problems = completionProblems(records, expected: taskCount)
        check.peakQueue = peakOverlap(records)
        for (_, group) in Dictionary(grouping: records, by: { $0.concurrencyKey ?? "" }) {
            check.peakPerKey = max(check.peakPerKey, peakOverlap(group))
        }
        if check.peakPerKey > 1 {
            let overlaps = records.contains { $0.startedAt == nil || $0.completedAt == nil } ? (0, 0, nil) : keyOverlaps(records)
            check.problems.append(
                "stored history: a key had \(check.peakPerKey) tasks processing at once (limit 1): \(overlaps.0) overlapping pairs, "
                    + "largest overlap \(fixed(Double(overlaps.1) / 1000, 3)) ms; e.g. \(overlaps.2 ?? "?")")
        }
        if diagnose {
            let peaks = live.storePeaks.withLock { $0 }
            check.problems.append(
                "W5_DIAGNOSE: while a handler ran, the store listed at most \(peaks.sameKey) processing task(s) of its key and \(peaks.inQueue) of the queue")
        }
        let livePeak = live.state.withLock { $0.peak }
        if livePeak > 1 { check.problems.append("live: \(livePeak) handlers of one key ran at once") }
        if check.peakQueue > 4 { check.problems.append("stored history: the queue had \(check.peakQueue) tasks processing at once (limit 4)") }
        return (Double(taskCount) / seconds, check)
    }
}
