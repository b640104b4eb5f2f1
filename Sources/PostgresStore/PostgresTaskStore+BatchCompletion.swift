public import Foundation
public import TaskCore

extension PostgresTaskStore {
    /// Completes the tasks in one statement, fencing each by its token; a task not held under its
    /// token gets `leaseLost` (or `notFound`) in its slot while the others complete. The worker
    /// pool groups its completions into such batches when the store is busy.
    public func completeTasks(_ completions: [TaskCompletion], now: Date) async throws(TaskCoreError)
        -> [Result<TaskRecord, TaskCoreError>]
    {
        guard !completions.isEmpty else { return [] }
        let now = now.truncatedToMilliseconds
        let rows = try await completionStatement(completions, now: now)
        var done: [TaskID: TaskRecord] = [:]
        for index in 0..<rows.count {
            let task = rows[index].taskRecord()
            done[task.id] = task
        }
        try await trimLogsIfNeeded(rows, now: now, limits: logLimits)
        var outcomes: [Result<TaskRecord, TaskCoreError>] = []
        outcomes.reserveCapacity(completions.count)
        for completion in completions {
            if let task = done[completion.id] {
                outcomes.append(.success(task))
            } else {
                outcomes.append(.failure(await notHeldError(completion.id)))
            }
        }
        return outcomes
    }

    private func completionStatement(_ batch: [TaskCompletion], now: Date) async throws(TaskCoreError) -> PGRows {
        let parameters: [PGParameter] = [
            .array(batch.map { String($0.id.rawValue) }), .array(batch.map { String($0.token) }),
            .stringArray(batch.map { PGJSON.encode($0.result ?? .null) ?? "null" }),
            .array(batch.map { _ in String(PGTime.milliseconds(now)) }),
        ]
        // A deadlock (two processes' batches both touching a failed job's row) is retried once.
        for attempt in 1...2 {
            do throws(TaskCoreError) {
                let limits = logLimits
                return try await transaction(durable: false) { connection throws(TaskCoreError) in
                    // The log text is LifecycleMessage.completed's, spelled in SQL.
                    let done = try connection.execute(
                        """
                        WITH input AS (
                            SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[])
                                AS i(id, token, result, now)
                        ), done AS (
                            UPDATE worker_tasks AS t SET status = 'completed', result = input.result,
                                completed_at = input.now, updated_at = input.now, lease_expires = NULL,
                                log_count = t.log_count + 1,
                                log_bytes = t.log_bytes
                                    + octet_length('completed in ' || (input.now - coalesce(t.started_at, input.now)) || ' ms')
                            FROM input
                            WHERE t.id = input.id AND t.status = 'processing' AND t.lease_token = input.token
                            RETURNING t.*
                        ), logged AS (
                            INSERT INTO worker_task_logs (task_id, ts, level, message, attempt)
                            SELECT id, completed_at, 'info',
                                'completed in ' || (completed_at - coalesce(started_at, completed_at)) || ' ms', attempts
                            FROM done
                        ), job AS (
                            UPDATE worker_jobs SET status = 'active', updated_at = done.completed_at FROM done
                            WHERE worker_jobs.id = done.job_id AND worker_jobs.status = 'failed'
                        )
                        SELECT \(taskColumns), log_count, log_bytes, log_dropped FROM done
                        """, parameters)
                    // Dependents are settled in the same transaction, by a statement of its own, whose
                    // snapshot sees every edge committed before this completion took the row locks.
                    let ids = (0..<done.count).map { TaskID(done[$0].int64("id") ?? 0) }
                    if !ids.isEmpty, try Self.settleDependents(connection, of: ids, now: now, limits: limits) {
                        try connection.execute("SELECT pg_notify($1, '')", [.string(Self.channel)])
                    }
                    return done
                }
            } catch where error.field == "40P01" && attempt == 1 {
                continue
            }
        }
        throw TaskCoreError(code: .storageFailure, message: "PostgreSQL: completion batch deadlocked twice")
    }

    /// The error for a task that a worker no longer holds: `notFound` or `leaseLost`.
    private func notHeldError(_ id: TaskID) async -> TaskCoreError {
        let exists = try? await query("SELECT 1 FROM worker_tasks WHERE id = $1::bigint", [.int64(id.rawValue)])
        if let exists, exists.count == 0 { return .taskNotFound(id) }
        return .leaseLost(id)
    }
}
