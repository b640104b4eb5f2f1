public import Foundation
public import TaskCore

extension SQLiteTaskStore: TaskStoreBatchCompleting {
    /// Completes several tasks in one transaction (one commit for the whole batch).
    /// - Returns: one outcome per completion, in order: the completed task, or `leaseLost` /
    ///   `notFound` for that one.
    /// - Throws: `storageFailure`, in which case nothing was completed.
    /// - Complexity: O(k · log n) for k completions.
    public func completeTasks(_ completions: [TaskCompletion], now: Date) async throws(TaskCoreError)
        -> [Result<TaskRecord, TaskCoreError>]
    {
        guard !completions.isEmpty else { return [] }
        let nowMillis = millis(now)
        return try await write { (db) throws(TaskCoreError) -> [Result<TaskRecord, TaskCoreError>] in
            var outcomes: [Result<TaskRecord, TaskCoreError>] = []
            outcomes.reserveCapacity(completions.count)
            for completion in completions {
                do throws(TaskCoreError) {
                    outcomes.append(.success(try self.complete(
                        db, completion.id, token: completion.token, result: completion.result, now: nowMillis)))
                } catch {
                    // leaseLost and notFound are raised before anything of this completion is written.
                    guard error.code == .leaseLost || error.code == .notFound else { throw error }
                    outcomes.append(.failure(error))
                }
            }
            return outcomes
        }
    }
}
