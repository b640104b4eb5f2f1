public import Foundation
public import TaskCore

extension PostgresTaskStore {
    public func createTask(_ draft: NewTask, now: Date) async throws(TaskCoreError) -> CreatedTask {
        try draft.validate()
        let now = now.truncatedToMilliseconds
        let runAt = Self.runAt(of: draft, now: now)
        let limits = logLimits
        return try await transaction { connection throws(TaskCoreError) in
            for _ in 0..<3 {
                if let key = draft.uniqueKey {
                    let existing = try connection.execute(
                        """
                        SELECT \(taskColumns) FROM worker_tasks
                        WHERE unique_key = $1 AND status IN ('pending', 'processing', 'retrying', 'blocked')
                        """, [.string(key)])
                    if existing.count > 0 { return CreatedTask(task: existing[0].taskRecord(), created: false) }
                }
                let inserted = try Self.insertTask(connection, draft, runAt: runAt, now: now, limits: limits)
                guard let task = inserted else { continue }  // lost a uniqueKey race: read the winner
                if draft.hasWorkflowFields {
                    return CreatedTask(
                        task: try Self.placeWorkflowTask(connection, task, draft, now: now, limits: limits), created: true)
                }
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
        try query.validateSearch()
        let filter = PostgresTaskFilter(query)
        let limitIndex = filter.parameters.count + 1
        return try await transaction(durable: false) { connection throws(TaskCoreError) in
            let total = try connection.execute(
                "SELECT count(*) AS n FROM worker_tasks WHERE \(filter.sql)", filter.parameters)
            let rows = try connection.execute(
                """
                SELECT \(taskColumns) FROM worker_tasks WHERE \(filter.sql)
                ORDER BY id DESC LIMIT $\(limitIndex)::integer OFFSET $\(limitIndex + 1)::bigint
                """, filter.parameters + [.int(query.limit), .int(query.offset)])
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
                    lease_expires = NULL
                WHERE id = $1::bigint RETURNING \(taskColumns)
                """, [.int64(id.rawValue), .time(now)])
            try Self.log(
                connection, id, .warn, LifecycleMessage.cancelled,
                attempt: task.status == .processing ? task.attempts : nil, now: now, limits: limits)
            if try Self.settleDependents(connection, of: [id], now: now, limits: limits) {
                try connection.execute("SELECT pg_notify($1, '')", [.string(Self.channel)])
            }
            return rows[0].taskRecord()
        }
    }

    public func retryTask(_ id: TaskID, resetAttempts: Bool, now: Date) async throws(TaskCoreError) -> TaskRecord {
        let now = now.truncatedToMilliseconds
        let limits = logLimits
        return try await transaction { connection throws(TaskCoreError) in
            let task = try Self.lockTask(connection, id)
            if let blocked = try Self.retryWithDependencies(
                connection, task, resetAttempts: resetAttempts, now: now, limits: limits)
            {
                try Self.reopenDependents(connection, of: id)
                return blocked
            }
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
            try Self.reopenDependents(connection, of: id)
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

    /// Inserts a pending task, logs its creation and announces it, in one statement; `nil` when an
    /// unfinished task already holds its `uniqueKey`.
    static func insertTask(
        _ connection: PGConnection, _ draft: NewTask, runAt: Date, now: Date, limits: LogLimits
    ) throws(TaskCoreError) -> TaskRecord? {
        let message = LifecycleMessage.created(byJob: draft.jobId)
        let inserted = try connection.execute(
            """
            WITH t AS (
                INSERT INTO worker_tasks (type, payload, priority, status, max_attempts, unique_key, job_id,
                    run_at, created_at, updated_at, timeout_ms, log_count, log_bytes)
                VALUES ($1, $2, $3::integer, 'pending', $4::integer, $5, $6::bigint, $7::bigint, $8::bigint,
                    $8::bigint, $9::bigint, 1, octet_length($10))
                ON CONFLICT (unique_key)
                    WHERE unique_key IS NOT NULL AND status IN ('pending', 'processing', 'retrying', 'blocked')
                    DO NOTHING
                RETURNING *
            ), logged AS (
                INSERT INTO worker_task_logs (task_id, ts, level, message, attempt)
                SELECT id, $8::bigint, 'info', $10, NULL FROM t
            )
            SELECT \(taskColumns), pg_notify($11, '') AS notified FROM t
            """,
            [
                .string(draft.type), .string(PGJSON.encode(draft.payload)), .int(draft.priority.rawValue),
                .int(draft.maxAttempts), .string(draft.uniqueKey), .int64(draft.jobId?.rawValue),
                .time(runAt), .time(now), .int64(draft.timeout?.wholeMilliseconds), .string(message),
                .string(channel),
            ])
        guard inserted.count > 0 else { return nil }
        return inserted[0].taskRecord()
    }

    /// Creates many tasks in one transaction (one commit, one round trip per 1,000 tasks): much
    /// faster than one ``createTask(_:now:)`` each when commits wait for the disk.
    ///
    /// Drafts with a `uniqueKey` follow the contract's rule one by one inside the same transaction.
    /// - Returns: the results in the order of `drafts`.
    /// - Throws: `invalidArgument` for an invalid draft (nothing is created then).
    public func createTasks(_ drafts: [NewTask], now: Date) async throws(TaskCoreError) -> [CreatedTask] {
        for (position, draft) in drafts.enumerated() {
            do throws(TaskCoreError) { try draft.validate() } catch { throw error.inElement("tasks[\(position)]") }
        }
        let now = now.truncatedToMilliseconds
        let limits = logLimits
        return try await transaction { connection throws(TaskCoreError) in
            var results: [CreatedTask?] = Array(repeating: nil, count: drafts.count)
            var plain: [Int] = []
            for (index, draft) in drafts.enumerated() {
                if draft.hasWorkflowFields {
                    // One by one, in order, so that a draft may depend on an earlier one.
                    let existing = try draft.uniqueKey.map { (key) throws(TaskCoreError) in
                        try connection.execute(
                            """
                            SELECT \(taskColumns) FROM worker_tasks
                            WHERE unique_key = $1 AND status IN ('pending', 'processing', 'retrying', 'blocked')
                            """, [.string(key)])
                    }
                    if let existing, existing.count > 0 {
                        results[index] = CreatedTask(task: existing[0].taskRecord(), created: false)
                    } else if let task = try Self.insertTask(
                        connection, draft, runAt: Self.runAt(of: draft, now: now), now: now, limits: limits)
                    {
                        do throws(TaskCoreError) {
                            results[index] = CreatedTask(
                                task: try Self.placeWorkflowTask(connection, task, draft, now: now, limits: limits), created: true)
                        } catch {
                            throw error.inElement("tasks[\(index)]")
                        }
                    }
                    continue
                }
                guard let key = draft.uniqueKey else {
                    plain.append(index)
                    continue
                }
                let existing = try connection.execute(
                    """
                    SELECT \(taskColumns) FROM worker_tasks
                    WHERE unique_key = $1 AND status IN ('pending', 'processing', 'retrying', 'blocked')
                    """, [.string(key)])
                if existing.count > 0 {
                    results[index] = CreatedTask(task: existing[0].taskRecord(), created: false)
                } else if let task = try Self.insertTask(
                    connection, draft, runAt: Self.runAt(of: draft, now: now), now: now, limits: limits)
                {
                    results[index] = CreatedTask(task: task, created: true)
                }
            }
            var start = 0
            while start < plain.count {
                let chunk = plain[start..<min(start + 1000, plain.count)]
                start += chunk.count
                let rows = try Self.insertPlainTasks(connection, chunk.map { drafts[$0] }, now: now)
                for (index, task) in zip(chunk, rows) { results[index] = CreatedTask(task: task, created: true) }
            }
            return results.compactMap { $0 }
        }
    }

    /// Inserts drafts without a uniqueKey in one statement, with their creation log lines.
    static func insertPlainTasks(_ connection: PGConnection, _ drafts: [NewTask], now: Date)
        throws(TaskCoreError) -> [TaskRecord]
    {
        let messages = drafts.map { LifecycleMessage.created(byJob: $0.jobId) }
        let rows = try connection.execute(
            """
            WITH input AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::integer[], $5::bigint[],
                    $6::bigint[], $7::bigint[], $8::text[]) WITH ORDINALITY
                    AS i(type, payload, priority, max_attempts, job_id, run_at, timeout_ms, message, n)
            ), t AS (
                INSERT INTO worker_tasks (type, payload, priority, status, max_attempts, job_id, run_at, created_at,
                    updated_at, timeout_ms, log_count, log_bytes)
                SELECT type, payload, priority, 'pending', max_attempts, job_id, run_at, $9::bigint, $9::bigint,
                    timeout_ms, 1, octet_length(message)
                FROM input ORDER BY n
                RETURNING *
            ), logged AS (
                -- LifecycleMessage.created(byJob:), spelled in SQL (RETURNING cannot carry input's n).
                INSERT INTO worker_task_logs (task_id, ts, level, message, attempt)
                SELECT t.id, $9::bigint, 'info', CASE WHEN t.job_id IS NULL THEN 'created' ELSE 'created by job ' || t.job_id END, NULL
                FROM t
            )
            SELECT \(taskColumns), pg_notify($10, '') AS notified FROM t ORDER BY id
            """,
            [
                .stringArray(drafts.map(\.type)), .stringArray(drafts.map { PGJSON.encode($0.payload) ?? "{}" }),
                .array(drafts.map { String($0.priority.rawValue) }), .array(drafts.map { String($0.maxAttempts) }),
                .array(drafts.map { $0.jobId.map { String($0.rawValue) } }),
                .array(drafts.map { String(PGTime.milliseconds(runAt(of: $0, now: now))) }),
                .array(drafts.map { $0.timeout.map { String($0.wholeMilliseconds) } }),
                .stringArray(messages), .time(now), .string(channel),
            ])
        return rows.taskRecords()
    }

    /// When a draft becomes ready: its `runAt`, or now plus its delay.
    static func runAt(of draft: NewTask, now: Date) -> Date {
        (draft.runAt ?? draft.delay.map { now.addingTimeInterval(Double($0.wholeMilliseconds) / 1000) } ?? now)
            .truncatedToMilliseconds
    }

    /// Reads a task and locks its row for the rest of the transaction.
    static func lockTask(_ connection: PGConnection, _ id: TaskID) throws(TaskCoreError) -> TaskRecord {
        let rows = try connection.execute(
            "SELECT \(taskColumns) FROM worker_tasks WHERE id = $1::bigint FOR UPDATE", [.int64(id.rawValue)])
        guard rows.count > 0 else { throw .taskNotFound(id) }
        return rows[0].taskRecord()
    }
}
