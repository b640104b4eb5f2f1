public import Foundation
public import TaskCore

extension SQLiteTaskStore: TaskStorePruning {
    /// The most tasks deleted per transaction, so that pruning a large backlog never holds the
    /// write lock for long.
    static let pruneBatchSize = 1000

    /// Deletes completed and cancelled tasks whose `completedAt` is before `cutoff`, with their logs,
    /// in transactions of up to 1000 tasks.
    /// - Returns: how many tasks were deleted.
    /// - Throws: `storageFailure`.
    public func pruneFinishedTasks(completedBefore cutoff: Date) async throws(TaskCoreError) -> Int {
        let cutoffMillis = millis(cutoff)
        var deleted = 0
        while true {
            let batch = try write { (db) throws(TaskCoreError) -> Int in
                let ids = try db.statement(
                    "SELECT id FROM tasks WHERE status IN ('completed', 'cancelled') AND completed_at < ?1 LIMIT ?2"
                ).bind(1, cutoffMillis).bind(2, Self.pruneBatchSize).rows { $0.int64(0) }
                for id in ids {
                    try db.statement("DELETE FROM task_logs WHERE task_id = ?1").bind(1, id).run()
                    try db.statement("DELETE FROM tasks WHERE id = ?1").bind(1, id).run()
                }
                return ids.count
            }
            deleted += batch
            if batch < Self.pruneBatchSize { return deleted }
            await Task.yield()
        }
    }
}
