import Foundation
public import TaskCore
import Synchronization

/// Counters and histograms a ``WorkerService`` keeps about what *this process* did: they only grow
/// (until the process restarts), so Prometheus' `rate()` works on them, and they do not depend on
/// what the store still holds (pruned tasks, deleted jobs).
///
/// Read them with ``snapshot()``; `worker-demo` renders them at `GET /metrics`.
public final class ServiceMetrics: Sendable {
    /// Upper bounds (seconds) of the completed-task duration and cron lateness histograms.
    public static let durationBuckets: [Double] = [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300]
    public static let latenessBuckets: [Double] = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300]

    /// A cumulative histogram.
    public struct Histogram: Sendable, Hashable {
        /// Upper bounds.
        public let bounds: [Double]
        /// Observations per bound (not cumulative; the last slot beyond the last bound is implied by `count`).
        public private(set) var counts: [Int]
        public private(set) var sum: Double = 0
        public private(set) var count: Int = 0

        init(bounds: [Double]) {
            self.bounds = bounds
            counts = Array(repeating: 0, count: bounds.count)
        }

        mutating func observe(_ value: Double) {
            if let slot = bounds.firstIndex(where: { value <= $0 }) { counts[slot] += 1 }
            sum += value
            count += 1
        }
    }

    /// A job as its counters are labelled.
    public struct JobKey: Hashable, Sendable {
        public let id: JobID
        public let name: String
    }

    /// Everything recorded so far.
    public struct Snapshot: Sendable {
        /// Tasks this process brought to a final status (completed, failed, cancelled), by type and
        /// status: the first ``TaskCore/TaskStats/listedTypeLimit`` types to finish one by one, any
        /// later ones summed under ``TaskCore/TaskStats/otherTypesKey``.
        public var finished: [String: [TaskStatus: Int]] = [:]
        /// Start of the last attempt to completion, over the tasks this process completed.
        public var completedDuration = Histogram(bounds: ServiceMetrics.durationBuckets)
        /// Attempts started (claims) by this process.
        public var attemptsStarted = 0
        /// Tasks whose expired lease this process recovered.
        public var leaseRecoveries = 0
        /// Cron fires (scheduled and triggered) this process enqueued, by job.
        public var jobRuns: [JobKey: Int] = [:]
        /// How late each scheduled fire was (fire time to enqueue).
        public var cronLateness = Histogram(bounds: ServiceMetrics.latenessBuckets)
        /// Events published on the service's bus.
        public var eventsPublished = 0
    }

    private let state = Mutex(Snapshot())
    /// Counted apart from `state`: every change event bumps it, and a lock per event would be
    /// contended by every slot.
    private let eventsPublished = Atomic<Int>(0)

    /// Creates empty metrics.
    public init() {}

    /// A copy of everything recorded.
    public func snapshot() -> Snapshot {
        var snapshot = state.withLock { $0 }
        snapshot.eventsPublished = eventsPublished.load(ordering: .relaxed)
        return snapshot
    }

    func recordChange(_ task: TaskRecord) {
        eventsPublished.add(1, ordering: .relaxed)
        guard task.status.isFinal else { return }
        state.withLock { state in
            // Bounded by type, as every type label is (issue 12, D4): each fresh type name kept an
            // entry for good, about 15 MB per 20,000 names in the memory-budget run.
            let known = state.finished[task.type] != nil || state.finished.count < TaskStats.listedTypeLimit
            state.finished[known ? task.type : TaskStats.otherTypesKey, default: [:]][task.status, default: 0] += 1
            if task.status == .completed, let started = task.startedAt, let completed = task.completedAt {
                state.completedDuration.observe(max(0, completed.timeIntervalSince(started)))
            }
        }
    }

    /// Counts `count` change events that were not built (no one listened).
    func recordEvents(_ count: Int) {
        eventsPublished.add(count, ordering: .relaxed)
    }

    func recordClaims(_ count: Int) {
        guard count > 0 else { return }
        state.withLock { $0.attemptsStarted += count }
    }

    func recordRecoveries(_ count: Int) {
        guard count > 0 else { return }
        state.withLock { $0.leaseRecoveries += count }
    }

    func recordRun(of job: ScheduledJob, scheduledFor: Date?, at now: Date) {
        state.withLock { state in
            state.jobRuns[JobKey(id: job.id, name: job.name), default: 0] += 1
            if let scheduledFor { state.cronLateness.observe(max(0, now.timeIntervalSince(scheduledFor))) }
        }
    }
}
