public import TaskCore

extension SQLiteTaskStore: TaskStoreTimeseries {
    /// Counts created, completed and failed tasks per bucket of `window`, in one read transaction.
    /// - Throws: `storageFailure`.
    /// - Complexity: O(n) in the stored tasks (two scans grouped by bucket).
    public func taskTimeseries(_ window: TimeseriesWindow) async throws(TaskCoreError) -> [TaskTimeseriesBucket] {
        try await read { (db) throws(TaskCoreError) -> [TaskTimeseriesBucket] in
            try db.readTransaction { () throws(TaskCoreError) -> [TaskTimeseriesBucket] in
                var buckets = window.emptyBuckets()
                let start = window.startMilliseconds
                let end = window.endMilliseconds
                let step = window.bucketMilliseconds
                let created = try db.statement(
                    "SELECT (created_at - ?1) / ?2, count(*) FROM tasks WHERE created_at >= ?1 AND created_at < ?3 GROUP BY 1"
                ).bind(1, start).bind(2, step).bind(3, end)
                    .rows { (row) throws(TaskCoreError) in (row.int(0), row.int(1)) }
                for (index, count) in created where buckets.indices.contains(index) {
                    buckets[index].created += count
                }
                let finished = try db.statement(
                    "SELECT (completed_at - ?1) / ?2, status, count(*), "
                        + "count(started_at), total(completed_at - started_at) FROM tasks "
                        + "WHERE status IN ('completed', 'failed') AND completed_at >= ?1 AND completed_at < ?3 "
                        + "GROUP BY 1, 2"
                ).bind(1, start).bind(2, step).bind(3, end)
                    .rows { (row) throws(TaskCoreError) in
                        (row.int(0), row.string(1), row.int(2), row.int(3), row.double(4))
                    }
                for (index, status, count, timed, total) in finished where buckets.indices.contains(index) {
                    if status == TaskStatus.failed.rawValue {
                        buckets[index].failed += count
                    } else {
                        buckets[index].completed += count
                        buckets[index].durationCount += timed
                        buckets[index].durationTotalMilliseconds += total
                    }
                }
                return buckets
            }
        }
    }
}
