import Foundation
import TaskCore
import Testing

/// An in-memory store that completes in batches (as SQLite does, in one transaction) and records
/// the batch sizes.
final class BatchingStore: TaskStoreBatchCompleting, ForwardingStore {
    let forward = NotifyingStore()
    var base: any TaskStore { forward }
    let batchSizes = Locked<[Int]>([])

    func completeTasks(_ completions: [TaskCompletion], now: Date) async throws(TaskCoreError)
        -> [Result<TaskRecord, TaskCoreError>]
    {
        batchSizes.update { $0.append(completions.count) }
        var outcomes: [Result<TaskRecord, TaskCoreError>] = []
        for completion in completions {
            do {
                outcomes.append(.success(try await forward.inner.completeTask(
                    completion.id, token: completion.token, result: completion.result, now: now)))
            } catch {
                outcomes.append(.failure(error))
            }
        }
        return outcomes
    }

    func completeTask(_ id: TaskID, token: Int64, result: JSONValue?, now: Date) async throws(TaskCoreError)
        -> TaskRecord
    {
        Issue.record("a batching store should get completions in batches")
        return try await forward.completeTask(id, token: token, result: result, now: now)
    }
}
