public import Foundation
public import TaskCore

extension PostgresTaskStore {
    public func createTask(_ draft: NewTask, now: Date) async throws(TaskCoreError) -> CreatedTask {
        try draft.validate()
        let now = now.truncatedToMilliseconds
        let runAt = (draft.runAt ?? draft.delay.map { now.addingTimeInterval(Double($0.wholeMilliseconds) / 1000) } ?? now)
            .truncatedToMilliseconds
        let limits = logLimits
        return try await transaction { connection throws(TaskCoreError) in
            for _ in 0..<3 {
                if let key = draft.uniqueKey {
                    let existing = try connection.execute(
                        """
                        SELECT \(taskColumns) FROM worker_tasks
                        WHERE unique_key = $1 AND status IN ('pending', 'processing', 'retrying')
                        """, [.string(key)])
                    if existing.count > 0 { return CreatedTask(task: existing[0].taskRecord(), created: false) }
                }
                let inserted = try Self.insertTask(connection, draft, runAt: runAt, now: now, limits: limits)
                guard let task = inserted else { continue }  // lost a uniqueKey race: read the winner
                return CreatedTask(task: task, created: true)
            }
            throw TaskCoreError(code: .storageFailure, message: "PostgreSQL: could not create the task (uniqueKey contention)")
        }
    }

    public func task(_ id: TaskID) async throws(TaskCoreError) -> TaskRecord {
        let rows = try await query(
            "SELECT \(taskColumns) FROM worker_tasks WHERE id = $1::bigint", [.int64(id.rawValue)])
        guard rows.count > 0 else { throw .taskNotFound(id) }
        return rows[0].taskRecord()
    }

    public func listTasks(_ query: TaskQuery) async throws(TaskCoreError) -> TaskPage {
        try query.validate()
        let statuses: PGParameter = query.statuses.isEmpty ? .null : .stringArray(query.statuses.map(\.rawValue))
        let filter = "($1::text[] IS NULL OR status = ANY($1::text[])) AND ($2::text IS NULL OR type = $2)"
        return try await transaction { connection throws(TaskCoreError) in
            let total = try connection.execute(
                "SELECT count(*) AS n FROM worker_tasks WHERE \(filter)", [statuses, .string(query.type)])
            let rows = try connection.execute(
                """
                SELECT \(taskColumns) FROM worker_tasks WHERE \(filter)
                ORDER BY id DESC LIMIT $3::integer OFFSET $4::integer
                """, [statuses, .string(query.type), .int(query.limit), .int(query.offset)])
            return TaskPage(tasks: rows.taskRecords(), total: total[0].int("n") ?? 0)
        }
    }

    public func cancelTask(_ id: TaskID, now: Date) async throws(TaskCoreError) -> TaskRecord {
        let now = now.truncatedToMilliseconds
        let limits = logLimits
        return try await transaction { connection throws(TaskCoreError) in
            let task = try Self.lockTask(connection, id)
            _ = try task.status.applying(.cancel, to: id)
            let rows = try connection.execute(
                """
                UPDATE worker_tasks SET status = 'cancelled', completed_at = $2::bigint, updated_at = $2::bigint,
                    lease_worker = NULL, lease_expires = NULL
                WHERE id = $1::bigint RETURNING \(taskColumns)
                """, [.int64(id.rawValue), .time(now)])
            try Self.log(
                connection, id, .warn, LifecycleMessage.cancelled,
                attempt: task.status == .processing ? task.attempts : nil, now: now, limits: limits)
            return rows[0].taskRecord()
        }
    }

    public func retryTask(_ id: TaskID, resetAttempts: Bool, now: Date) async throws(TaskCoreError) -> TaskRecord {
        let now = now.truncatedToMilliseconds
        let limits = logLimits
        return try await transaction { connection throws(TaskCoreError) in
            let task = try Self.lockTask(connection, id)
            _ = try task.status.applying(.manualRetry, to: id)
            let attempts = resetAttempts ? 0 : task.attempts
            // Without a reset, exactly one more attempt is granted.
            let maxAttempts = resetAttempts ? task.maxAttempts : task.attempts + 1
            let rows: PGRows
            do throws(TaskCoreError) {
                rows = try connection.execute(
                    """
                    UPDATE worker_tasks SET status = 'pending', attempts = $2::integer, max_attempts = $3::integer,
                        error = NULL, result = NULL, progress = NULL, completed_at = NULL, run_at = $4::bigint,
                        updated_at = $4::bigint
                    WHERE id = $1::bigint RETURNING \(taskColumns)
                    """, [.int64(id.rawValue), .int(attempts), .int(maxAttempts), .time(now)])
            } catch where error.field == "23505" {
                throw TaskCoreError(
                    code: .invalidTransition,
                    message: "Cannot retry task \(id): another unfinished task has uniqueKey \(task.uniqueKey ?? "")")
            }
            try Self.log(
                connection, id, .info, LifecycleMessage.manualRetry(resetAttempts: resetAttempts), attempt: nil,
                now: now, limits: limits)
            try connection.execute("SELECT pg_notify($1, '')", [.string(Self.channel)])
            return rows[0].taskRecord()
        }
    }

    public func stats() async throws(TaskCoreError) -> TaskStats {
        try await transaction { connection throws(TaskCoreError) in
            let counts = try connection.execute(
                "SELECT type, status, count(*) AS n FROM worker_tasks GROUP BY type, status")
            var stats = TaskStats()
            for index in 0..<counts.count {
                let row = counts[index]
                guard let status = TaskStatus(rawValue: row.string("status") ?? ""), let type = row.string("type")
                else { continue }
                let n = row.int("n") ?? 0
                stats.all[status] += n
                stats.byType[type, default: TaskStats.Counts()][status] += n
            }
            let durations = try connection.execute(
                """
                SELECT count(*) AS n, coalesce(sum(completed_at - started_at), 0) AS total FROM worker_tasks
                WHERE status = 'completed' AND started_at IS NOT NULL AND completed_at IS NOT NULL
                """)
            stats.completedDurationCount = durations[0].int("n") ?? 0
            stats.completedDurationTotalMilliseconds = Double(durations[0].int64("total") ?? 0)
            return stats
        }
    }

    public func nextReadyTime(types: Set<String>) async throws(TaskCoreError) -> Date? {
        let rows = try await query(
            """
            SELECT min(run_at) AS t FROM worker_tasks
            WHERE status IN ('pending', 'retrying') AND type = ANY($1::text[])
            """, [.stringArray(types)])
        return rows[0].time("t")
    }

    public func pruneFinishedTasks(completedBefore cutoff: Date) async throws(TaskCoreError) -> Int {
        let rows = try await query(
            """
            DELETE FROM worker_tasks WHERE status IN ('completed', 'cancelled') AND completed_at < $1::bigint
            """, [.time(cutoff)])
        return rows.affected
    }

    /// Inserts a pending task, logs its creation and announces it; `nil` when an unfinished task
    /// already holds its `uniqueKey`.
    static func insertTask(
        _ connection: PGConnection, _ draft: NewTask, runAt: Date, now: Date, limits: LogLimits
    ) throws(TaskCoreError) -> TaskRecord? {
        let inserted = try connection.execute(
            """
            INSERT INTO worker_tasks (type, payload, priority, status, max_attempts, unique_key, job_id,
                run_at, created_at, updated_at, timeout_ms)
            VALUES ($1, $2, $3::integer, 'pending', $4::integer, $5, $6::bigint, $7::bigint, $8::bigint,
                $8::bigint, $9::bigint)
            ON CONFLICT (unique_key)
                WHERE unique_key IS NOT NULL AND status IN ('pending', 'processing', 'retrying')
                DO NOTHING
            RETURNING \(taskColumns)
            """,
            [
                .string(draft.type), .string(PGJSON.encode(draft.payload)), .int(draft.priority.rawValue),
                .int(draft.maxAttempts), .string(draft.uniqueKey), .int64(draft.jobId?.rawValue),
                .time(runAt), .time(now), .int64(draft.timeout?.wholeMilliseconds),
            ])
        guard inserted.count > 0 else { return nil }
        let task = inserted[0].taskRecord()
        try log(connection, task.id, .info, LifecycleMessage.created(byJob: task.jobId), attempt: nil, now: now, limits: limits)
        try connection.execute("SELECT pg_notify($1, '')", [.string(channel)])
        return task
    }

    /// Reads a task and locks its row for the rest of the transaction.
    static func lockTask(_ connection: PGConnection, _ id: TaskID) throws(TaskCoreError) -> TaskRecord {
        let rows = try connection.execute(
            "SELECT \(taskColumns) FROM worker_tasks WHERE id = $1::bigint FOR UPDATE", [.int64(id.rawValue)])
        guard rows.count > 0 else { throw .taskNotFound(id) }
        return rows[0].taskRecord()
    }
}
