public import Foundation
public import TaskCore

extension PostgresTaskStore {
    public func claimTasks(
        types: Set<String>, worker: WorkerID, limit: Int, leaseDuration: Duration, now: Date
    ) async throws(TaskCoreError) -> [TaskRecord] {
        try await claimTasks(ClaimFilter(types: types), worker: worker, limit: limit, leaseDuration: leaseDuration, now: now)
    }

    /// The fencing token a claim gives: greater than the row's last one and than the server's
    /// clock in microseconds. Worker commits are asynchronous by default, so a server crash can
    /// lose a claim while its worker runs the task; with `+ 1` alone the next claim would hand out
    /// the same token again and the first worker's completion would pass the fence (seen in the
    /// torture test). The server's clock has moved on by the time it is back, so the new token differs.
    static let nextLeaseToken =
        "greatest(t.lease_token + 1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)"

    /// The claim of queues without limits: one statement, `FOR UPDATE SKIP LOCKED` in dispatch order.
    func claimFast(
        types: Set<String>, worker: WorkerID, limit: Int, leaseDuration: Duration, now: Date
    ) async throws(TaskCoreError) -> [TaskRecord] {
        guard !types.isEmpty, limit > 0 else { return [] }
        let now = now.truncatedToMilliseconds
        let expires = now.addingTimeInterval(Double(leaseDuration.wholeMilliseconds) / 1000)
        let limits = logLimits
        // One type compares with `=`, so the per-type index serves the dispatch order.
        let typeFilter = types.count == 1 ? "type = $1" : "type = ANY($1::text[])"
        let typeParameter: PGParameter = types.count == 1 ? .string(types.first) : .stringArray(types)
        let claimed = try await pool.withConnection { connection throws(TaskCoreError) in
            // One statement: pick in dispatch order (SKIP LOCKED lets concurrent claimers pass each
            // other), mark processing with a fresh fencing token, and log the start. The log text is
            // LifecycleMessage.attemptStarted's, spelled in SQL.
            try connection.execute(
                """
                WITH picked AS (
                    SELECT id FROM worker_tasks
                    WHERE status IN ('pending', 'retrying') AND \(typeFilter) AND run_at <= $2::bigint
                    ORDER BY priority DESC, run_at, id
                    LIMIT $3::integer
                    FOR UPDATE SKIP LOCKED
                ), claimed AS (
                    UPDATE worker_tasks AS t SET status = 'processing', attempts = t.attempts + 1,
                        started_at = $2::bigint, updated_at = $2::bigint, progress = NULL, lease_worker = $4,
                        lease_token = \(Self.nextLeaseToken), lease_expires = $5::bigint,
                        log_count = t.log_count + 1,
                        log_bytes = t.log_bytes + octet_length('attempt ' || (t.attempts + 1) || ' started')
                    FROM picked WHERE t.id = picked.id
                    RETURNING t.*
                ), logged AS (
                    INSERT INTO worker_task_logs (task_id, ts, level, message, attempt)
                    SELECT id, $2::bigint, 'info', 'attempt ' || attempts || ' started', attempts FROM claimed
                )
                SELECT \(taskColumns), log_count, log_bytes, log_dropped FROM claimed
                """,
                [typeParameter, .time(now), .int(limit), .string(worker.rawValue), .time(expires)])
        }
        if claimed.count > 0 { try await trimLogsIfNeeded(claimed, now: now, limits: limits) }
        return claimed.taskRecords().sorted(by: dispatchOrder)
    }

    public func completeTask(_ id: TaskID, token: Int64, result: JSONValue?, now: Date) async throws(TaskCoreError)
        -> TaskRecord
    {
        try await completeTasks([TaskCompletion(id: id, token: token, result: result)], now: now)[0].get()
    }

    public func failTask(_ id: TaskID, token: Int64, error: String, retryAt: Date?, now: Date)
        async throws(TaskCoreError) -> TaskRecord
    {
        let now = now.truncatedToMilliseconds
        let limits = logLimits
        return try await transaction(durable: false) { connection throws(TaskCoreError) in
            let held = try Self.lockHeldTask(connection, id, token: token)
            let failed = try Self.recordFailure(
                connection, held, error: error, retryAt: retryAt?.truncatedToMilliseconds, now: now, limits: limits)
            if failed.status == .failed, try Self.settleDependents(connection, of: [id], now: now, limits: limits) {
                try connection.execute("SELECT pg_notify($1, '')", [.string(Self.channel)])
            }
            return failed
        }
    }

    public func releaseTask(_ id: TaskID, token: Int64, now: Date) async throws(TaskCoreError) -> TaskRecord {
        let now = now.truncatedToMilliseconds
        let limits = logLimits
        return try await transaction(durable: false) { connection throws(TaskCoreError) in
            let held = try Self.lockHeldTask(connection, id, token: token)
            _ = try held.status.applying(.release, to: id)
            let rows = try connection.execute(
                """
                UPDATE worker_tasks SET status = 'pending', attempts = greatest(attempts - 1, 0),
                    started_at = CASE WHEN attempts <= 1 THEN NULL ELSE started_at END,
                    progress = NULL, updated_at = $2::bigint, lease_expires = NULL
                WHERE id = $1::bigint RETURNING \(taskColumns)
                """, [.int64(id.rawValue), .time(now)])
            try Self.log(connection, id, .info, LifecycleMessage.released(attempt: held.attempts), attempt: held.attempts, now: now, limits: limits)
            try connection.execute("SELECT pg_notify($1, '')", [.string(Self.channel)])
            return rows[0].taskRecord()
        }
    }

    public func reportProgress(_ id: TaskID, token: Int64, progress: Int, now: Date) async throws(TaskCoreError) {
        guard (0...100).contains(progress) else {
            throw .invalidArgument("progress", "progress: \(progress) is out of range 0-100")
        }
        let now = now.truncatedToMilliseconds
        try await pool.withConnection { connection throws(TaskCoreError) in
            let rows = try connection.execute(
                """
                UPDATE worker_tasks SET progress = $3::integer, updated_at = $4::bigint
                WHERE id = $1::bigint AND status = 'processing' AND lease_token = $2::bigint
                """, [.int64(id.rawValue), .int64(token), .int(progress), .time(now)])
            if rows.affected == 0 { try Self.throwNotHeld(connection, id) }
        }
    }

    public func renewLease(_ id: TaskID, token: Int64, until: Date, now: Date) async throws(TaskCoreError)
        -> LeaseRenewal
    {
        let until = until.truncatedToMilliseconds
        return try await pool.withConnection { connection throws(TaskCoreError) in
            let rows = try connection.execute(
                """
                UPDATE worker_tasks SET lease_expires = $3::bigint
                WHERE id = $1::bigint AND status = 'processing' AND lease_token = $2::bigint
                """, [.int64(id.rawValue), .int64(token), .time(until)])
            if rows.affected == 1 { return .renewed(until: until) }
            let current = try connection.execute(
                "SELECT status, lease_token FROM worker_tasks WHERE id = $1::bigint", [.int64(id.rawValue)])
            guard current.count > 0 else { throw .taskNotFound(id) }
            // Cancelled under this very claim: tell the worker to stop; anything else means it lost the task.
            if current[0].string("status") == TaskStatus.cancelled.rawValue, current[0].int64("lease_token") == token {
                return .cancelled
            }
            return .lost
        }
    }

    public func recoverExpiredLeases(now: Date) async throws(TaskCoreError) -> [TaskRecord] {
        let now = now.truncatedToMilliseconds
        let limits = logLimits
        return try await transaction(durable: false) { connection throws(TaskCoreError) in
            let expired = try connection.execute(
                """
                SELECT \(taskColumns) FROM worker_tasks
                WHERE status = 'processing' AND lease_expires < $1::bigint
                ORDER BY id FOR UPDATE SKIP LOCKED
                """, [.time(now)])
            var recovered: [TaskRecord] = []
            for task in expired.taskRecords() {
                let retrying = task.attempts < task.maxAttempts
                _ = try task.status.applying(retrying ? .scheduleRetry : .fail, to: task.id)
                try Self.log(
                    connection, task.id, .warn, LifecycleMessage.leaseExpired(retrying: retrying),
                    attempt: task.attempts, now: now, limits: limits)
                recovered.append(
                    try Self.setFailed(
                        connection, task, status: retrying ? .retrying : .failed,
                        error: LifecycleMessage.leaseExpiredError, retryAt: retrying ? now : nil, now: now))
            }
            let failed = recovered.filter { $0.status == .failed }.map(\.id)
            if !failed.isEmpty { try Self.settleDependents(connection, of: failed, now: now, limits: limits) }
            if !recovered.isEmpty { try connection.execute("SELECT pg_notify($1, '')", [.string(Self.channel)]) }
            return recovered
        }
    }

    /// Records a failed attempt of a locked processing task: retrying until `retryAt`, or failed.
    static func recordFailure(
        _ connection: PGConnection, _ task: TaskRecord, error: String, retryAt: Date?, now: Date, limits: LogLimits
    ) throws(TaskCoreError) -> TaskRecord {
        let event: TaskEvent = retryAt == nil ? .fail : .scheduleRetry
        let status = try task.status.applying(event, to: task.id)
        try log(
            connection, task.id, .error, LifecycleMessage.attemptFailed(task.attempts, error: error),
            attempt: task.attempts, now: now, limits: limits)
        let updated = try setFailed(connection, task, status: status, error: error, retryAt: retryAt, now: now)
        if let retryAt {
            try log(
                connection, task.id, .warn, LifecycleMessage.retryScheduled(at: retryAt), attempt: task.attempts,
                now: now, limits: limits)
        }
        return updated
    }

    /// Moves a locked processing task to `retrying` (ready at `retryAt`) or `failed`, and a failed
    /// job task's job to `failed`.
    static func setFailed(
        _ connection: PGConnection, _ task: TaskRecord, status: TaskStatus, error: String, retryAt: Date?, now: Date
    ) throws(TaskCoreError) -> TaskRecord {
        let rows = try connection.execute(
            """
            UPDATE worker_tasks SET status = $2, error = $3, run_at = coalesce($4::bigint, run_at),
                completed_at = CASE WHEN $2 = 'failed' THEN $5::bigint ELSE NULL END, updated_at = $5::bigint,
                lease_expires = NULL
            WHERE id = $1::bigint RETURNING \(taskColumns)
            """, [.int64(task.id.rawValue), .string(status.rawValue), .string(error), .time(retryAt), .time(now)])
        let updated = rows[0].taskRecord()
        if status == .failed {
            if let jobID = updated.jobId {
                try connection.execute(
                    "UPDATE worker_jobs SET status = 'failed', updated_at = $2::bigint WHERE id = $1::bigint AND status = 'active'",
                    [.int64(jobID.rawValue), .time(now)])
            }
        }
        return updated
    }

    /// Locks a task that must be processing under `token`.
    /// - Throws: `notFound`, or `leaseLost` when the worker no longer holds it.
    static func lockHeldTask(_ connection: PGConnection, _ id: TaskID, token: Int64) throws(TaskCoreError) -> TaskRecord {
        let task = try lockTask(connection, id)
        guard task.status == .processing, task.lease?.token == token else { throw .leaseLost(id) }
        return task
    }

    /// Throws the right error for a conditional update that matched no row.
    static func throwNotHeld(_ connection: PGConnection, _ id: TaskID) throws(TaskCoreError) -> Never {
        let rows = try? connection.execute("SELECT 1 FROM worker_tasks WHERE id = $1::bigint", [.int64(id.rawValue)])
        if let rows, rows.count == 0 { throw .taskNotFound(id) }
        throw .leaseLost(id)
    }
}

/// The contract's dispatch order: priority descending, then runAt, then id.
func dispatchOrder(_ a: TaskRecord, _ b: TaskRecord) -> Bool {
    if a.priority != b.priority { return a.priority > b.priority }
    if a.runAt != b.runAt { return a.runAt < b.runAt }
    return a.id < b.id
}
