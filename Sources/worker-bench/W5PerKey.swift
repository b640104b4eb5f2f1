import Foundation
import Scheduling
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
/// `WORKER_BENCH_POSTGRES_URL` (w5-postgres; scripts/bench-postgres.sh sets it).
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

private func w5Once(_ kind: BenchStoreKind, taskCount: Int, keys: Int) async throws -> (Double, W5Check) {
    try await withFreshStore(kind) { store in
        let finished = CompletionLine(target: taskCount)
        let service = benchService(store, kind: kind, finished: finished)
        service.register("noop") { _, _ in .null }
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
        if check.peakPerKey > 1 { check.problems.append("a key had \(check.peakPerKey) tasks processing at once (limit 1)") }
        if check.peakQueue > 4 { check.problems.append("the queue had \(check.peakQueue) tasks processing at once (limit 4)") }
        return (Double(taskCount) / seconds, check)
    }
}
