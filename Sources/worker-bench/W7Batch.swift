import Foundation
import Scheduling
import Synchronization
import TaskCore

/// W7 (WORKLOADS.md, round two): against a running, idle pool (4 slots), `createBatch` of 10,000
/// no-op tasks with a callback whose handler only counts its `dependencyResults`; timed from the
/// call to `createBatch` until the callback's attempt has completed. Reported: tasks/s
/// (10,000 / that time) and its ratio to W4 (processed/s, 100,000 tasks) on the same store, W4 and
/// W7 alternating. Checked after each run: the callback ran exactly once, saw 10,000 results, and
/// every task (callback included) completed in one attempt.
///
/// Environment: `W7_TASKS` (10000, the batch limit), `W7_W4_TASKS` (100000), `W7_RUNS` (5),
/// `BENCH_PREFETCH`, `W4_DIR`, `WORKER_BENCH_POSTGRES_URL` as W5.
func runW7InMemory() async throws { try await runW7(.memory) }
func runW7SQLite() async throws { try await runW7(.sqlite) }
func runW7Postgres() async throws {
    guard benchPostgresURL() != nil else { return }
    try await runW7(.postgres)
}

private func runW7(_ kind: BenchStoreKind) async throws {
    if ProcessInfo.processInfo.environment["W7_PROFILE"] != nil { return try await w7Profile(kind) }
    let taskCount = environmentInt("W7_TASKS", 10_000)
    let w4Tasks = environmentInt("W7_W4_TASKS", 100_000)
    let runs = max(1, environmentInt("W7_RUNS", 5))
    say("batch of \(taskCount) no-op tasks + callback, slots 4, prefetch \(kind.prefetch), \(kind.label); W4 reference \(w4Tasks) tasks; runs: 1 warm-up + \(runs), each W4 then W7; load \(loadAverage())")
    var w4Rates: [Double] = []
    var w7Rates: [Double] = []
    var ratios: [Double] = []
    var createSeconds: [Double] = []
    var problems: [String] = []
    for run in 0...runs {
        let reference = try await w4Reference(kind, taskCount: w4Tasks)
        let figures = try await w7Once(kind, taskCount: taskCount)
        let label = run == 0 ? "warm-up" : "run \(run)"
        say("\(label): W4 \(fixed(reference, 0)) tasks/s, W7 \(fixed(figures.rate, 0)) tasks/s (createBatch \(fixed(figures.create * 1000, 1)) ms), ratio \(fixed(figures.rate / reference, 3)); callback runs \(figures.callbackRuns), saw \(figures.resultsSeen) results; load \(loadAverage())")
        problems += figures.problems.map { "\(label): \($0)" }
        if run > 0 {
            w4Rates.append(reference)
            w7Rates.append(figures.rate)
            ratios.append(figures.rate / reference)
            createSeconds.append(figures.create)
        }
    }
    say("W4 processed: \(rateSummary(w4Rates))")
    say("W7 batch to callback: \(rateSummary(w7Rates)); createBatch alone median \(fixed(median(createSeconds) * 1000, 1)) ms")
    say("W7 / W4 (per run pair): \(ratioSummary(ratios)); ratio of medians \(fixed(median(w7Rates) / median(w4Rates), 3)) (goal >= 0.7)")
    say(problems.isEmpty ? "checks: the callback ran once per run with every result, every task completed once" : "PROBLEMS:\n  " + problems.joined(separator: "\n  "))
}

private struct W7Figures {
    var rate: Double
    var create: Double
    var callbackRuns: Int
    var resultsSeen: Int
    var problems: [String]
}

/// What the callback saw: how often it ran and how many dependency results it counted.
private final class CallbackTally: Sendable {
    let state = Mutex((runs: 0, results: 0))
}

private func w7Once(_ kind: BenchStoreKind, taskCount: Int) async throws -> W7Figures {
    try await withFreshStore(kind) { store in
        let finished = CompletionLine(target: taskCount + 1)
        let service = benchService(store, kind: kind, finished: finished)
        let tally = CallbackTally()
        service.register("noop") { _, _ in .null }
        service.register("w7-count") { _, context in
            let count = context.dependencyResults.count
            tally.state.withLock { $0 = ($0.runs + 1, $0.results + count) }
            return .integer(Int64(count))
        }
        let drafts = Array(repeating: NewTask(type: "noop"), count: taskCount)
        let createTime = Mutex<Double>(0)
        let seconds = try await timeUntilFinished(service, finished, startPoolFirst: true) {
            let start = ContinuousClock.now
            _ = try await service.createBatch(drafts, callback: NewTask(type: "w7-count"))
            createTime.withLock { $0 = (ContinuousClock.now - start).benchSeconds }
        }
        let records = try await allTasks(store)
        var problems = completionProblems(records, expected: taskCount + 1)
        let (runs, results) = tally.state.withLock { $0 }
        if runs != 1 { problems.append("the callback ran \(runs) times") }
        if results != taskCount * runs { problems.append("the callback saw \(results) results in \(runs) run(s), expected \(taskCount) each") }
        return W7Figures(
            rate: Double(taskCount) / seconds, create: createTime.withLock { $0 }, callbackRuns: runs, resultsSeen: results,
            problems: problems)
    }
}

/// `W7_PROFILE=1`: the store's `createBatch` alone (no service) on a fresh store, for several batch
/// sizes, with and without a callback, and `createTasks` of the same drafts for comparison: shows
/// how the creation time grows with the batch.
private func w7Profile(_ kind: BenchStoreKind) async throws {
    for size in [1000, 2000, 5000, 10_000] {
        var line = "batch of \(size):"
        for (name, callback) in [("createBatch + callback", true), ("createBatch, no callback", false), ("createTasks", nil as Bool?)] {
            let seconds = try await withFreshStore(kind) { store -> Double in
                guard let workflows = store as? any TaskStoreWorkflows else { return .nan }
                let drafts = Array(repeating: NewTask(type: "noop"), count: size)
                let start = ContinuousClock.now
                if let callback {
                    _ = try await workflows.createBatch(drafts, callback: callback ? NewTask(type: "w7-count") : nil, now: Date())
                } else {
                    _ = try await workflows.createTasks(drafts, now: Date())
                }
                return (ContinuousClock.now - start).benchSeconds
            }
            line += " \(name) \(fixed(seconds * 1000, 1)) ms;"
        }
        say(line)
    }
}
