public import Foundation

/// Whether a batch is still running, and how it ended (contract section 6).
public enum BatchStatus: String, CaseIterable, Hashable, Sendable, Codable {
    /// Some task of the batch is not final yet.
    case running
    /// Every task of the batch completed.
    case completed
    /// Every task is final and at least one failed or was cancelled.
    case failed
}

/// A batch as `GET /api/batches/{id}` returns it: its tasks, its callback and live counts.
public struct BatchRecord: Hashable, Sendable {
    public var id: BatchID
    /// The tasks of the batch, in creation order (the callback is not among them).
    public var taskIds: [TaskID]
    /// The callback task, which depends on every task of the batch with policy `run`.
    public var callbackTaskId: TaskID?
    /// Counts of the batch's tasks by status (the callback is not counted).
    public var counts: TaskStats.Counts
    public var createdAt: Date
    /// When the last task of the batch reached a final status; `nil` while running.
    public var finishedAt: Date?

    public init(
        id: BatchID, taskIds: [TaskID], callbackTaskId: TaskID?, counts: TaskStats.Counts, createdAt: Date,
        finishedAt: Date?
    ) {
        self.id = id
        self.taskIds = taskIds
        self.callbackTaskId = callbackTaskId
        self.counts = counts
        self.createdAt = createdAt
        self.finishedAt = finishedAt
    }

    /// The number of tasks in the batch (without the callback).
    public var total: Int { taskIds.count }

    /// `running` until every task is final, then `completed` (all completed) or `failed`.
    public var status: BatchStatus {
        let final = counts[.completed] + counts[.failed] + counts[.cancelled]
        if final < total { return .running }
        return counts[.completed] == total ? .completed : .failed
    }
}

/// One page of batches, newest first.
public struct BatchPage: Hashable, Sendable {
    public var batches: [BatchRecord]
    public var total: Int
    public init(batches: [BatchRecord], total: Int) {
        self.batches = batches
        self.total = total
    }
}

/// The limits of a batch.
public enum BatchLimits {
    /// A batch holds 1...10,000 tasks.
    public static let taskCount: ClosedRange<Int> = 1...10_000
}

/// An optional ability: workflows (contract section 6 and 7): atomic bulk enqueue, batches with a
/// callback, deletion of final tasks, and the dependency results a handler reads.
///
/// Dependencies themselves are part of every operation of ``TaskStore`` in a store with this ability:
/// ``TaskStore/createTask(_:now:)`` honours `dependsOn` (creating the task `pending`, `blocked` or
/// `cancelled`), and every change that makes a task final settles its blocked dependents **in the same
/// atomic step**: unblocked (`pending`) when their last dependency is satisfied, or cancelled with
/// "dependency 7 failed" / "dependency 7 was cancelled", transitively, under policy `cancel`.
public protocol TaskStoreWorkflows: TaskStore {
    /// Creates every draft in one atomic step: all or nothing.
    /// - Returns: one result per draft, in order (a draft whose `uniqueKey` matched returns that task).
    /// - Throws: `invalidArgument` naming the element (`tasks[3].priority: ...`) when one fails; then
    ///   nothing was created.
    func createTasks(_ drafts: [NewTask], now: Date) async throws(TaskCoreError) -> [CreatedTask]

    /// Creates a batch: its tasks and, when given, the callback (which depends on every task with
    /// policy `run`, whatever the draft says), all in one atomic step.
    /// - Throws: `invalidArgument` naming the failing element; nothing is created then.
    func createBatch(_ tasks: [NewTask], callback: NewTask?, now: Date) async throws(TaskCoreError) -> BatchRecord

    /// The batch with `id`, with live counts.
    /// - Throws: `notFound`.
    func batch(_ id: BatchID) async throws(TaskCoreError) -> BatchRecord

    /// A page of batches, newest first.
    /// - Throws: `invalidArgument` for a limit out of 1...1000 or a negative offset.
    func listBatches(limit: Int, offset: Int) async throws(TaskCoreError) -> BatchPage

    /// Deletes those of `ids` that are final, with their logs, in one atomic step.
    /// - Returns: the ids deleted.
    func deleteFinalTasks(_ ids: [TaskID]) async throws(TaskCoreError) -> [TaskID]

    /// The stored result of each dependency of task `id` (`nil` for none), by dependency id.
    /// - Throws: `notFound`.
    func dependencyResults(_ id: TaskID) async throws(TaskCoreError) -> [TaskID: JSONValue?]
}

extension TaskCoreError {
    /// "Batch 3 not found".
    public static func batchNotFound(_ id: BatchID) -> TaskCoreError {
        TaskCoreError(code: .notFound, message: "Batch \(id) not found")
    }

    /// Prefixes the message (and field) of an `invalidArgument` error with a batch element's path,
    /// `tasks[3].`; other errors pass through.
    public func inElement(_ path: String) -> TaskCoreError {
        guard code == .invalidArgument else { return self }
        return TaskCoreError(code: code, message: "\(path).\(message)", field: field.map { "\(path).\($0)" } ?? path)
    }
}

extension LifecycleMessage {
    /// "blocked: waiting for 3 dependencies".
    public static func blocked(open: Int) -> String {
        "blocked: waiting for \(open) dependenc\(open == 1 ? "y" : "ies")"
    }

    /// "dependencies finished: ready to run".
    public static let unblocked = "dependencies finished: ready to run"

    /// "cancelled: dependency 7 failed".
    public static func cancelledByDependency(_ error: String) -> String { "cancelled: \(error)" }

    /// "manual retry: blocked until 2 dependencies finish".
    public static func manualRetryBlocked(open: Int) -> String {
        "manual retry: blocked until \(open) dependenc\(open == 1 ? "y finishes" : "ies finish")"
    }
}
