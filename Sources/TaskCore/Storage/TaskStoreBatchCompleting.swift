public import Foundation

/// One completion in a batch: the task, the fencing token of the claim, and the handler's result.
public struct TaskCompletion: Hashable, Sendable {
    public var id: TaskID
    public var token: Int64
    public var result: JSONValue?

    public init(id: TaskID, token: Int64, result: JSONValue?) {
        self.id = id
        self.token = token
        self.result = result
    }
}

/// An optional ability: completing several tasks in one step (one transaction for SQL stores),
/// which a busy worker pool uses to amortise the cost of a commit.
public protocol TaskStoreBatchCompleting: TaskStore {
    /// Completes each task as ``TaskStore/completeTask(_:token:result:now:)`` would, all in one
    /// atomic step. A task that is not processing under its token (`leaseLost`) or does not exist
    /// (`notFound`) gets that error in its slot; the others still complete.
    /// - Returns: one outcome per completion, in order.
    /// - Throws: `storageFailure` when the step as a whole failed (then nothing was completed).
    func completeTasks(_ completions: [TaskCompletion], now: Date) async throws(TaskCoreError)
        -> [Result<TaskRecord, TaskCoreError>]
}

extension TaskStore {
    /// Completes several tasks: in one step when the store is ``TaskStoreBatchCompleting``, one by
    /// one otherwise.
    /// - Returns: one outcome per completion, in order.
    /// - Throws: `storageFailure` from a batching store.
    public func completeTasksInBatch(_ completions: [TaskCompletion], now: Date) async throws(TaskCoreError)
        -> [Result<TaskRecord, TaskCoreError>]
    {
        if let batching = self as? any TaskStoreBatchCompleting {
            return try await batching.completeTasks(completions, now: now)
        }
        var outcomes: [Result<TaskRecord, TaskCoreError>] = []
        outcomes.reserveCapacity(completions.count)
        for completion in completions {
            do {
                outcomes.append(.success(try await completeTask(
                    completion.id, token: completion.token, result: completion.result, now: now)))
            } catch {
                outcomes.append(.failure(error))
            }
        }
        return outcomes
    }
}
