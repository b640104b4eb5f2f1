public import Foundation
public import TaskCore

extension SQLiteTaskStore {
    /// Claims up to `limit` ready tasks in dispatch order and leases them to `worker`, in one
    /// transaction: two workers, in this process or another, never claim the same task.
    /// - Returns: the claimed tasks with their leases, in dispatch order.
    /// - Throws: `storageFailure`.
    /// - Complexity: O(t · limit · log n) for t types: for each type, the partial index
    ///   `tasks_dispatch` (type, priority DESC, run_at, id over pending and retrying tasks) is read
    ///   in dispatch order and stops after `limit` due rows; the per-type candidates are merged.
    ///   Tasks that are not due yet are skipped in the index, so a large backlog of future tasks at
    ///   a high priority slows claims down (see `Docs/STORAGE.md`).
    public func claimTasks(
        types: Set<String>, worker: WorkerID, limit: Int, leaseDuration: Duration, now: Date
    ) async throws(TaskCoreError) -> [TaskRecord] {
        guard !types.isEmpty, limit > 0 else { return [] }
        let now = now.truncatedToMilliseconds
        let nowMillis = millis(now)
        let expires = millis(now.storeAdding(leaseDuration))
        return try await write { (db) throws(TaskCoreError) -> [TaskRecord] in
            var candidates: [(priority: Int, runAt: Int64, id: Int64)] = []
            for type in types {
                candidates += try db.statement(
                    "SELECT priority, run_at, id FROM tasks WHERE type = ?1 AND status IN ('pending', 'retrying') "
                        + "AND run_at <= ?2 ORDER BY priority DESC, run_at, id LIMIT ?3"
                ).bind(1, type).bind(2, nowMillis).bind(3, limit)
                    .rows { (row) throws(TaskCoreError) in (row.int(0), row.int64(1), row.int64(2)) }
            }
            if types.count > 1 {
                candidates.sort { a, b in
                    a.priority != b.priority ? a.priority > b.priority : a.runAt != b.runAt ? a.runAt < b.runAt : a.id < b.id
                }
            }
            let ids = candidates.prefix(limit).map(\.id)
            var claimed: [TaskRecord] = []
            claimed.reserveCapacity(ids.count)
            for id in ids {
                // The fencing token is the task's claim counter: it grows with every claim, never reused.
                let statement = try db.statement(
                    """
                    UPDATE tasks SET status = 'processing', attempts = attempts + 1, started_at = ?2, progress = NULL, \
                    fence = fence + 1, lease_worker = ?3, lease_token = fence + 1, lease_expires_at = ?4, updated_at = ?2, \
                    log_count = log_count + 1, log_bytes = log_bytes + ?5 \
                    WHERE id = ?1 AND status IN ('pending', 'retrying') RETURNING \(SQLiteRows.taskColumnsWithLogTotals)
                    """)
                statement.bind(1, id).bind(2, nowMillis).bind(3, worker.rawValue).bind(4, expires)
                    .bind(5, LifecycleLog.lifecycleLineBytes)
                guard let (task, totals) = try statement.firstRow({ (row) throws(TaskCoreError) in
                    (try SQLiteRows.task(row), SQLiteRows.logTotals(row))
                }) else { continue }
                try self.insertLogLines(
                    db, task.id, [LifecycleLog.started(attempt: task.attempts)], at: nowMillis,
                    lastLineNumber: totals.lastLineNumber)
                try self.enforceLogCaps(db, task.id, totals)
                claimed.append(task)
            }
            return claimed
        }
    }

    /// Completes a processing task held under `token`, in one transaction (with its log line and,
    /// for a job's task, the job's return to `active`).
    /// - Throws: `leaseLost`; `notFound`; `storageFailure`.
    /// - Complexity: O(log n).
    public func completeTask(_ id: TaskID, token: Int64, result: JSONValue?, now: Date) async throws(TaskCoreError)
        -> TaskRecord
    {
        let nowMillis = millis(now.truncatedToMilliseconds)
        return try await write { (db) throws(TaskCoreError) -> TaskRecord in
            try self.complete(db, id, token: token, result: result, now: nowMillis)
        }
    }

    /// The body of ``completeTask(_:token:result:now:)``, inside a transaction. Throws `leaseLost`
    /// and `notFound` before writing anything.
    func complete(_ db: SQLiteConnection, _ id: TaskID, token: Int64, result: JSONValue?, now: Int64)
        throws(TaskCoreError) -> TaskRecord
    {
        let statement = try db.statement(
            """
            UPDATE tasks SET status = 'completed', result = ?3, completed_at = ?4, updated_at = ?4, holds_key = 0, \
            lease_worker = NULL, lease_token = NULL, lease_expires_at = NULL, \
            log_count = log_count + 1, log_bytes = log_bytes + ?5 \
            WHERE id = ?1 AND status = 'processing' AND lease_token = ?2 RETURNING \(SQLiteRows.taskColumnsWithLogTotals)
            """)
        statement.bind(1, id.rawValue).bind(2, token).bind(3, result.flatMap { $0.isNull ? nil : $0.sqliteText }).bind(4, now)
            .bind(5, LifecycleLog.lifecycleLineBytes)
        guard let (task, totals) = try statement.firstRow({ (row) throws(TaskCoreError) in
            (try SQLiteRows.task(row), SQLiteRows.logTotals(row))
        }) else {
            _ = try Self.fetchTask(db, id)
            throw .leaseLost(id)
        }
        let elapsed = task.startedAt.map { now - millis($0) } ?? 0
        try insertLogLines(
            db, id, [LifecycleLog.completed(attempt: task.attempts, milliseconds: elapsed)], at: now,
            lastLineNumber: totals.lastLineNumber)
        try enforceLogCaps(db, id, totals)
        if let jobId = task.jobId { try Self.noteJobOutcome(db, jobId, succeeded: true, now: now) }
        try settleDependents(db, of: id, now: now)
        return task
    }

    /// Sets the status of the job whose task just completed (`active`) or failed for good
    /// (`failed`), unless the job is paused.
    static func noteJobOutcome(_ db: SQLiteConnection, _ jobId: JobID, succeeded: Bool, now: Int64) throws(TaskCoreError) {
        try db.statement(
            "UPDATE jobs SET status = ?2, updated_at = ?3 WHERE id = ?1 AND status IN ('active', 'failed') AND status <> ?2"
        ).bind(1, jobId.rawValue).bind(2, succeeded ? JobStatus.active.rawValue : JobStatus.failed.rawValue)
            .bind(3, now).run()
    }

    /// Records a failed attempt: `retrying` until `retryAt`, or `failed` for good without it (and
    /// the task's job, if any, becomes `failed`), in one transaction.
    /// - Throws: `leaseLost`; `notFound`; `storageFailure`.
    public func failTask(_ id: TaskID, token: Int64, error: String, retryAt: Date?, now: Date)
        async throws(TaskCoreError) -> TaskRecord
    {
        let nowMillis = millis(now.truncatedToMilliseconds)
        let retryAt = retryAt?.truncatedToMilliseconds
        return try await write { (db) throws(TaskCoreError) -> TaskRecord in
            let current = try Self.fetchHeldTask(db, id, token: token)
            let next = try current.status.applying(retryAt == nil ? .fail : .scheduleRetry, to: id)
            var lines = [LifecycleLog.attemptFailed(attempt: current.attempts, error: error)]
            if let retryAt { lines.append(LifecycleLog.retryScheduled(attempt: current.attempts, at: retryAt)) }
            let task = try self.setStatus(
                db, id, next, lines: lines, now: nowMillis,
                extra: "error = ?4, run_at = coalesce(?5, run_at), completed_at = ?6, " + Self.clearLease,
                bind: { statement in
                    statement.bind(4, error).bind(5, retryAt.map(millis)).bind(6, next.isFinal ? nowMillis : nil)
                })
            if next == .failed, let jobId = task.jobId {
                try Self.noteJobOutcome(db, jobId, succeeded: false, now: nowMillis)
            }
            if next == .failed { try self.settleDependents(db, of: id, now: nowMillis) }
            return task
        }
    }

    /// The assignments that end a lease.
    static let clearLease = "lease_worker = NULL, lease_token = NULL, lease_expires_at = NULL"

    /// Reads a task that must be processing under `token`.
    /// - Throws: `notFound`; `leaseLost`.
    static func fetchHeldTask(_ db: SQLiteConnection, _ id: TaskID, token: Int64) throws(TaskCoreError) -> TaskRecord {
        let task = try fetchTask(db, id)
        guard task.status == .processing, task.lease?.token == token else { throw .leaseLost(id) }
        return task
    }

    /// Cancels a pending, retrying or processing task, in one transaction. A processing task keeps
    /// its last token, so that its worker's next renewal learns of the cancel.
    /// - Throws: `invalidTransition` ("Cannot cancel task 7: status is completed"); `notFound`.
    public func cancelTask(_ id: TaskID, now: Date) async throws(TaskCoreError) -> TaskRecord {
        let nowMillis = millis(now.truncatedToMilliseconds)
        return try await write { (db) throws(TaskCoreError) -> TaskRecord in
            let current = try Self.fetchTask(db, id)
            let next = try current.status.applying(.cancel, to: id)
            let processing = current.status == .processing
            let cancelled = try self.setStatus(
                db, id, next, lines: [LifecycleLog.cancelled(attempt: processing ? current.attempts : nil)],
                now: nowMillis, extra: "completed_at = ?3")
            try self.settleDependents(db, of: id, now: nowMillis)
            return cancelled
        }
    }

    /// Gives a processing task back to the queue unrun (`pending`), uncounting its attempt.
    /// - Throws: `leaseLost`; `notFound`.
    public func releaseTask(_ id: TaskID, token: Int64, now: Date) async throws(TaskCoreError) -> TaskRecord {
        let nowMillis = millis(now.truncatedToMilliseconds)
        return try await write { (db) throws(TaskCoreError) -> TaskRecord in
            let current = try Self.fetchHeldTask(db, id, token: token)
            let next = try current.status.applying(.release, to: id)
            return try self.setStatus(
                db, id, next, lines: [LifecycleLog.released(attempt: current.attempts)], now: nowMillis,
                extra: "attempts = max(attempts - 1, 0), started_at = CASE WHEN attempts <= 1 THEN NULL ELSE started_at END, "
                    + "progress = NULL, " + Self.clearLease)
        }
    }

    /// Runs a failed or cancelled task again (`pending`, ready now).
    /// - Throws: `invalidTransition` from other statuses; `notFound`.
    public func retryTask(_ id: TaskID, resetAttempts: Bool, now: Date) async throws(TaskCoreError) -> TaskRecord {
        let nowMillis = millis(now.truncatedToMilliseconds)
        return try await write { (db) throws(TaskCoreError) -> TaskRecord in
            let current = try Self.fetchTask(db, id)
            if let blocked = try self.retryWithDependencies(db, current, resetAttempts: resetAttempts, now: nowMillis) {
                try self.reopenDependents(db, of: id)
                return blocked
            }
            let next = try current.status.applying(.manualRetry, to: id)
            let attempts = resetAttempts ? "attempts = 0" : "max_attempts = attempts + 1"
            let retried = try self.setStatus(
                db, id, next, lines: [LifecycleLog.manualRetry(resetAttempts: resetAttempts)], now: nowMillis,
                extra: "\(attempts), run_at = ?3, error = NULL, result = NULL, progress = NULL, completed_at = NULL, "
                    + "holds_key = (unique_key IS NOT NULL AND NOT EXISTS "
                    + "(SELECT 1 FROM tasks AS other WHERE other.unique_key = tasks.unique_key AND other.holds_key = 1)), "
                    + Self.clearLease)
            try self.reopenDependents(db, of: id)
            return retried
        }
    }

    /// Sets a task's status (already checked by the state machine) with `extra` assignments, which
    /// may use `?3` for now and parameters from `?4` on (bound by `bind`), and appends `lines`.
    func setStatus(
        _ db: SQLiteConnection, _ id: TaskID, _ status: TaskStatus, lines: [LifecycleLog.Line], now: Int64,
        extra: String, bind: (SQLiteStatement) -> Void = { _ in }
    ) throws(TaskCoreError) -> TaskRecord {
        let release = status.isFinal ? ", holds_key = 0" : ""
        let statement = try db.statement(
            "UPDATE tasks SET status = ?2, \(extra)\(release), updated_at = ?3 WHERE id = ?1 RETURNING \(SQLiteRows.taskColumns)")
        statement.bind(1, id.rawValue).bind(2, status.rawValue).bind(3, now)
        bind(statement)
        guard let task = try statement.firstRow(SQLiteRows.task) else { throw .taskNotFound(id) }
        try appendLines(db, id, lines, at: now)
        return task
    }

    /// Records the progress of a processing task held under `token`.
    /// - Throws: `invalidArgument` outside 0...100; `leaseLost`; `notFound`.
    public func reportProgress(_ id: TaskID, token: Int64, progress: Int, now: Date) async throws(TaskCoreError) {
        guard (0...100).contains(progress) else {
            throw .invalidArgument("progress", "progress: \(progress) is out of range 0-100")
        }
        let nowMillis = millis(now.truncatedToMilliseconds)
        try await write { (db) throws(TaskCoreError) in
            try db.statement(
                "UPDATE tasks SET progress = ?3, updated_at = ?4 WHERE id = ?1 AND status = 'processing' AND lease_token = ?2"
            ).bind(1, id.rawValue).bind(2, token).bind(3, progress).bind(4, nowMillis).run()
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
        let until = until.truncatedToMilliseconds
        return try await write { (db) throws(TaskCoreError) -> LeaseRenewal in
            try db.statement(
                "UPDATE tasks SET lease_expires_at = ?3 WHERE id = ?1 AND status = 'processing' AND lease_token = ?2"
            ).bind(1, id.rawValue).bind(2, token).bind(3, millis(until)).run()
            if db.changes == 1 { return .renewed(until: until) }
            let row = try db.statement("SELECT status, lease_token FROM tasks WHERE id = ?1").bind(1, id.rawValue)
                .firstRow { (row) throws(TaskCoreError) in (row.string(0), row.optionalInt64(1)) }
            guard let (status, lastToken) = row else { throw .taskNotFound(id) }
            return status == TaskStatus.cancelled.rawValue && lastToken == token ? .cancelled : .lost
        }
    }

    /// Returns to the queue every processing task whose lease ran out before `now`, in one
    /// transaction: `retrying` (ready now) when attempts remain, `failed` otherwise.
    /// - Returns: the recovered tasks as they are now, by id.
    /// - Throws: `storageFailure`.
    public func recoverExpiredLeases(now: Date) async throws(TaskCoreError) -> [TaskRecord] {
        let nowMillis = millis(now.truncatedToMilliseconds)
        return try await write { (db) throws(TaskCoreError) -> [TaskRecord] in
            let expired = try db.statement(
                "SELECT \(SQLiteRows.taskColumns) FROM tasks WHERE status = 'processing' AND lease_expires_at < ?1 ORDER BY id"
            ).bind(1, nowMillis).rows(SQLiteRows.task)
            var recovered: [TaskRecord] = []
            for task in expired {
                let retrying = task.attempts < task.maxAttempts
                let next = try task.status.applying(retrying ? .scheduleRetry : .fail, to: task.id)
                let line = LifecycleLog.leaseExpired(attempt: task.attempts, retrying: retrying)
                let timing = retrying ? "run_at = ?3" : "completed_at = ?3"
                let updated = try self.setStatus(
                    db, task.id, next, lines: [line], now: nowMillis,
                    extra: "\(timing), error = ?4, " + Self.clearLease,
                    bind: { $0.bind(4, LifecycleMessage.leaseExpiredError) })
                if next == .failed, let jobId = updated.jobId {
                    try Self.noteJobOutcome(db, jobId, succeeded: false, now: nowMillis)
                }
                if next == .failed { try self.settleDependents(db, of: task.id, now: nowMillis) }
                recovered.append(updated)
            }
            return recovered
        }
    }
}
