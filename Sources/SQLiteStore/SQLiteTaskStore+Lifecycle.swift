public import Foundation
public import TaskCore

extension SQLiteTaskStore {
    /// Claims up to `limit` ready tasks in dispatch order and leases them to `worker`, in one
    /// transaction: two workers, in this process or another, never claim the same task.
    /// - Returns: the claimed tasks with their leases, in dispatch order.
    /// - Throws: `storageFailure`.
    /// - Complexity: O(limit · log n) over the partial dispatch index (priority DESC, run_at, id).
    public func claimTasks(
        types: Set<String>, worker: WorkerID, limit: Int, leaseDuration: Duration, now: Date
    ) async throws(TaskCoreError) -> [TaskRecord] {
        guard !types.isEmpty, limit > 0 else { return [] }
        let sorted = types.sorted()
        let nowMillis = millis(now)
        let expires = millis(now.addingTimeInterval(Double(leaseDuration.nanoseconds) / 1e9))
        return try write { (db) throws(TaskCoreError) -> [TaskRecord] in
            let select = try db.statement(
                "SELECT id FROM tasks WHERE status IN ('pending', 'retrying') AND run_at <= ?1 "
                    + "AND type IN (\(placeholders(from: 3, count: sorted.count))) "
                    + "ORDER BY priority DESC, run_at, id LIMIT ?2")
            select.bind(1, nowMillis).bind(2, limit)
            for (index, type) in sorted.enumerated() { select.bind(Int32(index + 3), type) }
            let ids = try select.rows { $0.int64(0) }
            guard !ids.isEmpty else { return [] }
            let lastToken = try Self.takeTokens(db, count: ids.count)
            var claimed: [TaskRecord] = []
            claimed.reserveCapacity(ids.count)
            let update = """
                UPDATE tasks SET status = 'processing', attempts = attempts + 1, started_at = ?2, progress = NULL, \
                lease_worker = ?3, lease_token = ?4, lease_expires_at = ?5, updated_at = ?2, log_count = log_count + 1 \
                WHERE id = ?1 AND status IN ('pending', 'retrying') RETURNING \(SQLiteRows.taskColumns)
                """
            for (offset, id) in ids.enumerated() {
                let token = lastToken - Int64(ids.count - 1 - offset)
                let statement = try db.statement(update)
                statement.bind(1, id).bind(2, nowMillis).bind(3, worker.rawValue).bind(4, token).bind(5, expires)
                guard let (task, logCount) = try statement.firstRow({ (row) throws(TaskCoreError) in
                    (try SQLiteRows.task(row), SQLiteRows.logCount(row))
                }) else { continue }
                try appendLines(db, task.id, [LifecycleLog.started(attempt: task.attempts)], at: nowMillis, logCountAfter: logCount)
                claimed.append(task)
            }
            return claimed
        }
    }

    /// Reserves `count` fresh fencing tokens and returns the last one.
    static func takeTokens(_ db: SQLiteConnection, count: Int) throws(TaskCoreError) -> Int64 {
        let row = try db.statement("UPDATE counters SET value = value + ?1 WHERE name = 'fencing_token' RETURNING value")
            .bind(1, count).firstRow { $0.int64(0) }
        guard let row else { throw db.failure(0, reason: "the fencing-token counter is missing") }
        return row
    }

    /// Completes a processing task held under `token`, in one transaction (with its log line and,
    /// for a job's task, the job's return to `active`).
    /// - Throws: `leaseLost`; `notFound`; `storageFailure`.
    /// - Complexity: O(log n).
    public func completeTask(_ id: TaskID, token: Int64, result: JSONValue?, now: Date) async throws(TaskCoreError)
        -> TaskRecord
    {
        try write { (db) throws(TaskCoreError) -> TaskRecord in
            try self.complete(db, id, token: token, result: result, now: millis(now))
        }
    }

    /// The body of ``completeTask(_:token:result:now:)``, inside a transaction.
    func complete(_ db: SQLiteConnection, _ id: TaskID, token: Int64, result: JSONValue?, now: Int64)
        throws(TaskCoreError) -> TaskRecord
    {
        let statement = try db.statement(
            """
            UPDATE tasks SET status = 'completed', result = ?3, completed_at = ?4, updated_at = ?4, \
            log_count = log_count + 1 WHERE id = ?1 AND status = 'processing' AND lease_token = ?2 \
            RETURNING \(SQLiteRows.taskColumns)
            """)
        statement.bind(1, id.rawValue).bind(2, token).bind(3, result.map(\.sqliteText)).bind(4, now)
        guard let (task, logCount) = try statement.firstRow({ (row) throws(TaskCoreError) in
            (try SQLiteRows.task(row), SQLiteRows.logCount(row))
        }) else {
            _ = try Self.fetchTask(db, id)
            throw .leaseLost(id)
        }
        let elapsed = task.startedAt.map { now - millis($0) } ?? 0
        try appendLines(db, id, [LifecycleLog.completed(attempt: task.attempts, milliseconds: elapsed)], at: now,
            logCountAfter: logCount)
        if let jobId = task.jobId {
            try db.statement("UPDATE jobs SET status = 'active', updated_at = ?2 WHERE id = ?1 AND status = 'failed'")
                .bind(1, jobId.rawValue).bind(2, now).run()
        }
        return task
    }

    /// Records a failed attempt: `retrying` until `retryAt`, or `failed` for good without it (and
    /// the task's job, if any, becomes `failed`), in one transaction.
    /// - Throws: `leaseLost`; `notFound`; `storageFailure`.
    public func failTask(_ id: TaskID, token: Int64, error: String, retryAt: Date?, now: Date)
        async throws(TaskCoreError) -> TaskRecord
    {
        let nowMillis = millis(now)
        return try write { (db) throws(TaskCoreError) -> TaskRecord in
            let current = try Self.fetchTask(db, id)
            guard current.status == .processing, current.lease?.token == token else { throw .leaseLost(id) }
            let event: TaskEvent = retryAt == nil ? .fail : .scheduleRetry
            let next = try current.status.applying(event, to: id)
            var lines = [LifecycleLog.attemptFailed(attempt: current.attempts, error: error)]
            if let retryAt {
                lines.append(LifecycleLog.retryScheduled(attempt: current.attempts, at: retryAt))
            } else {
                lines.append(LifecycleLog.failedForGood(attempt: current.attempts))
            }
            let statement = try db.statement(
                """
                UPDATE tasks SET status = ?2, error = ?3, run_at = coalesce(?4, run_at), completed_at = ?5, \
                updated_at = ?6, log_count = log_count + ?7 WHERE id = ?1 RETURNING \(SQLiteRows.taskColumns)
                """)
            statement.bind(1, id.rawValue).bind(2, next.rawValue).bind(3, error).bind(4, retryAt.map(millis))
                .bind(5, next.isFinal ? nowMillis : nil).bind(6, nowMillis).bind(7, lines.count)
            guard let (task, logCount) = try statement.firstRow({ (row) throws(TaskCoreError) in
                (try SQLiteRows.task(row), SQLiteRows.logCount(row))
            }) else { throw .taskNotFound(id) }
            try appendLines(db, id, lines, at: nowMillis, logCountAfter: logCount)
            if next == .failed, let jobId = task.jobId {
                try Self.markJobFailed(db, jobId, now: nowMillis)
            }
            return task
        }
    }

    /// Marks a job `failed` (its latest run failed for good), unless it is paused.
    static func markJobFailed(_ db: SQLiteConnection, _ jobId: JobID, now: Int64) throws(TaskCoreError) {
        try db.statement("UPDATE jobs SET status = 'failed', updated_at = ?2 WHERE id = ?1 AND status = 'active'")
            .bind(1, jobId.rawValue).bind(2, now).run()
    }

    /// Cancels a pending, retrying or processing task, in one transaction.
    /// - Throws: `invalidTransition` ("Cannot cancel task 7: status is completed"); `notFound`.
    public func cancelTask(_ id: TaskID, now: Date) async throws(TaskCoreError) -> TaskRecord {
        let nowMillis = millis(now)
        return try write { (db) throws(TaskCoreError) -> TaskRecord in
            let current = try Self.fetchTask(db, id)
            let next = try current.status.applying(.cancel, to: id)
            let line = LifecycleLog.cancelled(attempt: current.status == .processing ? current.attempts : nil)
            return try self.setStatus(db, id, next, lines: [line], now: nowMillis, extra: "completed_at = ?3")
        }
    }

    /// Gives a processing task back to the queue unrun (`pending`), uncounting its attempt.
    /// - Throws: `leaseLost`; `notFound`.
    public func releaseTask(_ id: TaskID, token: Int64, now: Date) async throws(TaskCoreError) -> TaskRecord {
        let nowMillis = millis(now)
        return try write { (db) throws(TaskCoreError) -> TaskRecord in
            let current = try Self.fetchTask(db, id)
            guard current.status == .processing, current.lease?.token == token else { throw .leaseLost(id) }
            let next = try current.status.applying(.release, to: id)
            return try self.setStatus(
                db, id, next, lines: [LifecycleLog.released(attempt: current.attempts)], now: nowMillis,
                extra: "attempts = max(attempts - 1, 0), progress = NULL")
        }
    }

    /// Runs a failed or cancelled task again (`pending`, ready now).
    /// - Throws: `invalidTransition` from other statuses; `notFound`.
    public func retryTask(_ id: TaskID, resetAttempts: Bool, now: Date) async throws(TaskCoreError) -> TaskRecord {
        let nowMillis = millis(now)
        return try write { (db) throws(TaskCoreError) -> TaskRecord in
            let current = try Self.fetchTask(db, id)
            let next = try current.status.applying(.manualRetry, to: id)
            let attempts = resetAttempts ? "attempts = 0" : "max_attempts = attempts + 1"
            return try self.setStatus(
                db, id, next, lines: [LifecycleLog.manualRetry(resetAttempts: resetAttempts)], now: nowMillis,
                extra: "\(attempts), run_at = ?3, error = NULL, result = NULL, progress = NULL, completed_at = NULL")
        }
    }

    /// Sets a task's status (already checked by the state machine), with `extra` assignments that
    /// may use `?3` for now, and appends `lines`.
    func setStatus(
        _ db: SQLiteConnection, _ id: TaskID, _ status: TaskStatus, lines: [LifecycleLog.Line], now: Int64,
        extra: String
    ) throws(TaskCoreError) -> TaskRecord {
        let statement = try db.statement(
            """
            UPDATE tasks SET status = ?2, \(extra), updated_at = ?3, log_count = log_count + ?4 WHERE id = ?1 \
            RETURNING \(SQLiteRows.taskColumns)
            """)
        statement.bind(1, id.rawValue).bind(2, status.rawValue).bind(3, now).bind(4, lines.count)
        guard let (task, logCount) = try statement.firstRow({ (row) throws(TaskCoreError) in
            (try SQLiteRows.task(row), SQLiteRows.logCount(row))
        }) else { throw .taskNotFound(id) }
        try appendLines(db, id, lines, at: now, logCountAfter: logCount)
        return task
    }

    /// Records the progress of a processing task held under `token`.
    /// - Throws: `invalidArgument` outside 0...100; `leaseLost`; `notFound`.
    public func reportProgress(_ id: TaskID, token: Int64, progress: Int, now: Date) async throws(TaskCoreError) {
        guard (0...100).contains(progress) else {
            throw .invalidArgument("progress", "progress: \(progress) is out of range 0-100")
        }
        try write { (db) throws(TaskCoreError) in
            try db.statement(
                "UPDATE tasks SET progress = ?3, updated_at = ?4 WHERE id = ?1 AND status = 'processing' AND lease_token = ?2"
            ).bind(1, id.rawValue).bind(2, token).bind(3, progress).bind(4, millis(now)).run()
            if db.changes == 0 {
                _ = try Self.fetchTask(db, id)
                throw .leaseLost(id)
            }
        }
    }

    /// Extends the lease of a processing task held under `token`.
    /// - Returns: `renewed`, `cancelled` (cancelled while this worker held it) or `lost`.
    /// - Throws: `notFound`; `storageFailure`.
    public func renewLease(_ id: TaskID, token: Int64, until: Date, now: Date) async throws(TaskCoreError)
        -> LeaseRenewal
    {
        try write { (db) throws(TaskCoreError) -> LeaseRenewal in
            try db.statement(
                "UPDATE tasks SET lease_expires_at = ?3 WHERE id = ?1 AND status = 'processing' AND lease_token = ?2"
            ).bind(1, id.rawValue).bind(2, token).bind(3, millis(until)).run()
            if db.changes == 1 { return .renewed(until: date(millis(until))) }
            let row = try db.statement("SELECT status, lease_token FROM tasks WHERE id = ?1").bind(1, id.rawValue)
                .firstRow { (row) throws(TaskCoreError) in (row.string(0), row.optionalInt64(1)) }
            guard let (status, lastToken) = row else { throw .taskNotFound(id) }
            return status == TaskStatus.cancelled.rawValue && lastToken == token ? .cancelled : .lost
        }
    }

    /// Returns to the queue every processing task whose lease ran out before `now`, in one
    /// transaction: `retrying` (ready now) when attempts remain, `failed` otherwise.
    /// - Returns: the recovered tasks as they are now.
    /// - Throws: `storageFailure`.
    public func recoverExpiredLeases(now: Date) async throws(TaskCoreError) -> [TaskRecord] {
        let nowMillis = millis(now)
        return try write { (db) throws(TaskCoreError) -> [TaskRecord] in
            let expired = try db.statement(
                "SELECT \(SQLiteRows.taskColumns) FROM tasks WHERE status = 'processing' AND lease_expires_at < ?1 ORDER BY id"
            ).bind(1, nowMillis).rows(SQLiteRows.task)
            var recovered: [TaskRecord] = []
            for task in expired {
                let retrying = task.attempts < task.maxAttempts
                let next = try task.status.applying(retrying ? .scheduleRetry : .fail, to: task.id)
                let line = LifecycleLog.leaseExpired(
                    attempt: task.attempts, worker: task.lease?.worker.rawValue, retrying: retrying)
                let extra = retrying
                    ? "run_at = ?3, error = 'lease expired'"
                    : "completed_at = ?3, error = 'lease expired'"
                let updated = try setStatus(db, task.id, next, lines: [line], now: nowMillis, extra: extra)
                if next == .failed, let jobId = updated.jobId { try Self.markJobFailed(db, jobId, now: nowMillis) }
                recovered.append(updated)
            }
            return recovered
        }
    }
}
