import Foundation
import Scheduling
import TaskCore

/// W6 (WORKLOADS.md, round two): one queue with `rateLimit` 10,000 per 1,000 ms, 50,000 no-op
/// tasks pushed before the pool starts, 4 slots. From the stored `startedAt` of every task
/// (read after the run):
///
/// - the achieved start rate, `limit / mean(t[i] - t[i - limit])` over `i >= limit`, with `t` the
///   sorted starts: the first `limit` starts are the burst the limit allows at once, and start `i`
///   may happen one period after start `i - limit` at the earliest, so this is the steady rate the
///   limiter lets through (exactly 10,000/s for a limiter that reopens each slot precisely
///   1,000 ms after it was used, slower by however late each start comes). The plain
///   `N / (t[N-1] - t[0])` (which counts the first window's burst as if it took no time) and the
///   wall time are printed beside it;
/// - the most starts in any 1,000 ms window (half-open, as the stores count: a start is in the
///   window ending now while `startedAt > now - period`; the closed window is printed too).
///
/// Environment: `W6_TASKS` (50000), `W6_LIMIT` (10000), `W6_PERIOD_MS` (1000), `W6_RUNS` (5),
/// `BENCH_PREFETCH`, `W4_DIR` as W5.
func runW6InMemory() async throws { try await runW6(.memory) }
func runW6SQLite() async throws { try await runW6(.sqlite) }
func runW6Postgres() async throws {
    guard benchPostgresURL() != nil else { return }
    try await runW6(.postgres)
}

private func runW6(_ kind: BenchStoreKind) async throws {
    let taskCount = environmentInt("W6_TASKS", 50_000)
    let limit = environmentInt("W6_LIMIT", 10_000)
    let periodMs = environmentInt("W6_PERIOD_MS", 1000)
    let runs = max(1, environmentInt("W6_RUNS", 5))
    guard taskCount > limit else {
        say("W6 needs more tasks than the limit")
        return
    }
    say("tasks \(taskCount), rateLimit \(limit) per \(periodMs) ms, slots 4, prefetch \(kind.prefetch), \(kind.label); runs: 1 warm-up + \(runs); load \(loadAverage())")
    var rates: [Double] = []
    var peaks: [Int] = []
    var problems: [String] = []
    for run in 0...runs {
        let figures = try await w6Once(kind, taskCount: taskCount, limit: limit, periodMs: periodMs)
        let label = run == 0 ? "warm-up" : "run \(run)"
        let cadence = figures.cadence.map { fixed($0, 1) }.joined(separator: ", ")
        say("\(label): start rate \(fixed(figures.steadyRate, 1))/s (plain N/span \(fixed(figures.plainRate, 0))/s, wall \(fixed(figures.wall, 3)) s); most starts in a \(periodMs) ms window \(figures.peak.halfOpen) (closed window \(figures.peak.closed)); start k*limit at ms \(cadence); load \(loadAverage())")
        problems += figures.problems.map { "\(label): \($0)" }
        if run > 0 {
            rates.append(figures.steadyRate)
            peaks.append(figures.peak.halfOpen)
        }
    }
    let deviation = (median(rates) - Double(limit) * 1000 / Double(periodMs)) / (Double(limit) * 1000 / Double(periodMs)) * 100
    say("achieved start rate: median \(fixed(median(rates), 1))/s (min \(fixed(rates.min()!, 1)), max \(fixed(rates.max()!, 1))), \(fixed(deviation, 2)) % from the limit (goal within 2 %)")
    say("most starts in any \(periodMs) ms window, over all measured runs: \(peaks.max()!) (must not exceed \(limit))")
    say(problems.isEmpty ? "checks: every task completed once, no window over the limit" : "PROBLEMS:\n  " + problems.joined(separator: "\n  "))
}

private struct W6Figures {
    var steadyRate: Double
    var plainRate: Double
    var wall: Double
    var peak: (halfOpen: Int, closed: Int)
    /// Milliseconds from the first start to start number k * limit, k = 1, 2, ...
    var cadence: [Double]
    var problems: [String]
}

private func w6Once(_ kind: BenchStoreKind, taskCount: Int, limit: Int, periodMs: Int) async throws -> W6Figures {
    try await withFreshStore(kind) { store in
        let finished = CompletionLine(target: taskCount)
        let service = benchService(store, kind: kind, finished: finished)
        service.register("noop") { _, _ in .null }
        _ = try await service.updateQueue("w6", QueueUpdate(rateLimit: RateLimit(limit: limit, periodMs: periodMs)))
        try await pushTasks(Array(repeating: NewTask(type: "noop", queue: "w6"), count: taskCount), into: store)
        let wall = try await timeUntilFinished(service, finished)

        let records = try await allTasks(store)
        var problems = completionProblems(records, expected: taskCount)
        let starts = records.compactMap(\.startedAt).map(microseconds).sorted()
        guard starts.count == taskCount else {
            throw TaskCoreError(code: .storageFailure, message: "W6: \(starts.count) of \(taskCount) tasks have a startedAt")
        }
        let peak = peakStartsInWindow(starts, period: Int64(periodMs) * 1000)
        if peak.halfOpen > limit { problems.append("\(peak.halfOpen) starts in one \(periodMs) ms window (limit \(limit))") }
        var gaps = 0.0
        for index in limit..<taskCount { gaps += Double(starts[index] - starts[index - limit]) / 1e6 }
        let meanGap = gaps / Double(taskCount - limit)
        let plainSpan = Double(starts[taskCount - 1] - starts[0]) / 1e6
        let cadence = stride(from: limit, to: taskCount, by: limit).map { Double(starts[$0] - starts[0]) / 1000 }
        return W6Figures(
            steadyRate: Double(limit) / meanGap, plainRate: Double(taskCount) / plainSpan, wall: wall,
            peak: peak, cadence: cadence, problems: problems)
    }
}
