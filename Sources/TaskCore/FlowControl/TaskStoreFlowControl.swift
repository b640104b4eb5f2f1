public import Foundation

/// What a worker asks for when it claims: which tasks it may take and in what order.
public struct ClaimFilter: Sendable {
    /// The task types the worker has handlers for.
    public var types: Set<String>
    /// The queues the worker serves, or `nil` for every queue (`--queues`).
    public var queues: Set<String>?
    /// With a value, dispatch by effective priority `min(20, priority + floor(waited / priorityAging))`
    /// (`--priority-aging`); `nil` dispatches by priority alone.
    public var priorityAging: Duration?
    /// The worker's clock, for SQL stores to read again once a limited claim holds its locks: the
    /// `startedAt` it stamps is then never earlier than a completion it counted as finished (which
    /// keeps the recorded history consistent with the limits). `nil` uses the claim's `now` only.
    public var currentTime: (@Sendable () -> Date)?

    public init(
        types: Set<String>, queues: Set<String>? = nil, priorityAging: Duration? = nil,
        currentTime: (@Sendable () -> Date)? = nil
    ) {
        self.types = types
        self.queues = queues
        self.priorityAging = priorityAging
        self.currentTime = currentTime
    }

    /// The aging step in whole milliseconds (at least 1), or `nil` without aging.
    public var agingMilliseconds: Int64? {
        guard let priorityAging, priorityAging > .zero else { return nil }
        let (seconds, attoseconds) = priorityAging.components
        let millis = seconds.multipliedReportingOverflow(by: 1000)
        guard !millis.overflow else { return .max }
        return Swift.max(1, millis.partialValue &+ attoseconds / 1_000_000_000_000_000)
    }

    /// The effective priority of a task of `priority` ready since `runAt` (milliseconds), at `now`.
    public static func effectivePriority(priority: Int, runAt: Int64, now: Int64, agingMilliseconds: Int64?) -> Int {
        guard let agingMilliseconds, now > runAt else { return priority }
        let waited = now.subtractingReportingOverflow(runAt)
        guard !waited.overflow else { return Priority.critical.rawValue }
        let steps = waited.partialValue / agingMilliseconds
        return steps >= 20 ? Priority.critical.rawValue : Swift.min(Priority.critical.rawValue, priority + Int(steps))
    }
}

/// An optional ability of a ``TaskStore``: queues with flow control, enforced atomically with the
/// claim (see `Docs/FLOW_CONTROL.md`).
///
/// Every store of this package conforms. Each queue has ``QueueSettings``; the store's claims
/// (``TaskStore/claimTasks(types:worker:limit:leaseDuration:now:)`` as well as
/// ``claimTasks(_:worker:limit:leaseDuration:now:)``) never return a task that would break its
/// queue's pause, `concurrency`, `perKeyConcurrency` or `rateLimit`, counted over every process
/// sharing the store. A held-back task stays `pending` and keeps its place and attempt count.
public protocol TaskStoreFlowControl: TaskStore {
    /// Claims like ``TaskStore/claimTasks(types:worker:limit:leaseDuration:now:)``, restricted to
    /// `filter.queues` and in the order `filter.priorityAging` gives.
    func claimTasks(_ filter: ClaimFilter, worker: WorkerID, limit: Int, leaseDuration: Duration, now: Date)
        async throws(TaskCoreError) -> [TaskRecord]

    /// The queue `name`, with defaults when it has neither tasks nor settings.
    /// - Throws: `invalidArgument` for an invalid name.
    func queue(_ name: String, now: Date) async throws(TaskCoreError) -> QueueInfo

    /// Every queue that has a task or a setting, by name in byte order.
    func listQueues(now: Date) async throws(TaskCoreError) -> [QueueInfo]

    /// Changes some settings of a queue (creating its settings on first use).
    /// - Throws: `invalidArgument` for an invalid name or a value out of range.
    func updateQueue(_ name: String, _ update: QueueUpdate, now: Date) async throws(TaskCoreError) -> QueueInfo

    /// The earliest time after `now` at which a task that `filter` admits may become claimable: the
    /// next `runAt`, or the moment a rate window next opens for a queue held back by its rate limit.
    /// `nil` when nothing is waiting on time (a task held back by `concurrency`, a key or a pause
    /// becomes claimable only through another change, which wakes workers anyway).
    func nextEligibleTime(_ filter: ClaimFilter, now: Date) async throws(TaskCoreError) -> Date?
}

extension QueueInfo {
    /// The statuses the Queue JSON's `counts` object carries, in its order. A status this build
    /// does not know (yet) counts 0.
    public static let countedStatusNames = ["pending", "processing", "retrying", "blocked", "completed", "failed", "cancelled"]

    /// The count of the status named `name` (0 for an unknown status).
    public func count(named name: String) -> Int {
        guard let status = TaskStatus(rawValue: name) else { return 0 }
        return counts[status]
    }
}
