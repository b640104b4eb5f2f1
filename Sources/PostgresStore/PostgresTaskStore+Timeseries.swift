public import TaskCore

extension PostgresTaskStore: TaskStoreTimeseries {
    /// Counts created, completed and failed tasks per bucket of `window`, in one transaction.
    /// - Throws: `storageFailure`.
    /// - Complexity: O(n) in the stored tasks (two scans grouped by bucket).
    public func taskTimeseries(_ window: TimeseriesWindow) async throws(TaskCoreError) -> [TaskTimeseriesBucket] {
        let start = window.startMilliseconds
        let end = window.endMilliseconds
        let step = window.bucketMilliseconds
        return try await transaction(durable: false) { connection throws(TaskCoreError) in
            var buckets = window.emptyBuckets()
            let created = try connection.execute(
                """
                SELECT (created_at - $1::bigint) / $2::bigint AS b, count(*) AS n FROM worker_tasks
                WHERE created_at >= $1::bigint AND created_at < $3::bigint GROUP BY 1
                """, [.int64(start), .int64(step), .int64(end)])
            for index in 0..<created.count {
                let row = created[index]
                guard let bucket = row.int("b"), buckets.indices.contains(bucket) else { continue }
                buckets[bucket].created += row.int("n") ?? 0
            }
            let finished = try connection.execute(
                """
                SELECT (completed_at - $1::bigint) / $2::bigint AS b, status, count(*) AS n,
                    count(started_at) AS timed, coalesce(sum(completed_at - started_at), 0) AS total
                FROM worker_tasks
                WHERE status IN ('completed', 'failed') AND completed_at >= $1::bigint AND completed_at < $3::bigint
                GROUP BY 1, 2
                """, [.int64(start), .int64(step), .int64(end)])
            for index in 0..<finished.count {
                let row = finished[index]
                guard let bucket = row.int("b"), buckets.indices.contains(bucket) else { continue }
                if row.string("status") == TaskStatus.failed.rawValue {
                    buckets[bucket].failed += row.int("n") ?? 0
                } else {
                    buckets[bucket].completed += row.int("n") ?? 0
                    buckets[bucket].durationCount += row.int("timed") ?? 0
                    buckets[bucket].durationTotalMilliseconds += Double(row.int64("total") ?? 0)
                }
            }
            return buckets
        }
    }
}
