public import Foundation
public import TaskCore

extension SQLiteTaskStore: TaskStorePruning {
    /// The most tasks deleted per transaction, so that pruning a large backlog never holds the
    /// write lock for long.
    static let pruneBatchSize = 500

    /// Deletes completed and cancelled tasks whose `completedAt` is before `cutoff`, with their logs,
    /// in transactions of up to 500 tasks.
    /// - Returns: how many tasks were deleted.
    /// - Throws: `storageFailure`.
    /// - Complexity: O(k log n) for k deleted tasks, plus a scan of the finished tasks' index.
    public func pruneFinishedTasks(completedBefore cutoff: Date) async throws(TaskCoreError) -> Int {
        // Stored instants are whole milliseconds: those before the cutoff are below its ceiling.
        let bound = Int64((cutoff.timeIntervalSince1970 * 1000).rounded(.up))
        var deleted = 0
        var afterID: Int64 = 0
        while true {
            let start = afterID
            let (scanned, removed, lastID) = try await write { (db) throws(TaskCoreError) -> (Int, Int, Int64) in
                let candidates = try db.statement(
                    "SELECT id, completed_at FROM tasks WHERE status IN ('completed', 'cancelled') AND completed_at < ?1 "
                        + "AND id > ?2 ORDER BY id LIMIT ?3"
                ).bind(1, bound).bind(2, start).bind(3, Self.pruneBatchSize)
                    .rows { (row) throws(TaskCoreError) in (row.int64(0), row.int64(1)) }
                var removed = 0
                for (id, completedAt) in candidates where date(completedAt) < cutoff {
                    let range = logKeyRange(TaskID(id))
                    try db.statement("DELETE FROM task_logs WHERE id BETWEEN ?1 AND ?2").bind(1, range.first)
                        .bind(2, range.last).run()
                    try db.statement("DELETE FROM tasks WHERE id = ?1").bind(1, id).run()
                    removed += 1
                }
                return (candidates.count, removed, candidates.last?.0 ?? start)
            }
            deleted += removed
            afterID = lastID
            if scanned < Self.pruneBatchSize { return deleted }
            await Task.yield()
        }
    }
}
