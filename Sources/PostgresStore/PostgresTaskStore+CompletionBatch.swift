import Foundation
import Synchronization
import TaskCore

/// Group commit for completions: up to `maxFlushers` statements run at once (one per pooled
/// connection); completions that arrive while all are busy wait and go together in the next one.
/// Under load a statement completes many tasks; below it, each completion runs at once.
final class CompletionBatcher: Sendable {
    struct Request: Sendable {
        var id: TaskID
        var token: Int64
        var result: String?
        var now: Date
        var continuation: CheckedContinuation<Result<TaskRecord, TaskCoreError>, Never>
    }

    private struct State {
        var pending: [Request] = []
        var flushers = 0
    }

    private let state = Mutex(State())
    private let maxFlushers: Int
    private let flush: @Sendable ([Request]) async -> Void

    /// - Parameters:
    ///   - maxFlushers: how many batches may run at once.
    ///   - flush: runs one batch and resumes every request in it.
    init(maxFlushers: Int, flush: @escaping @Sendable ([Request]) async -> Void) {
        self.maxFlushers = max(1, maxFlushers)
        self.flush = flush
    }

    /// Queues a completion and waits for the batch that carries it.
    func complete(_ id: TaskID, token: Int64, result: String?, now: Date) async -> Result<TaskRecord, TaskCoreError> {
        await withCheckedContinuation { continuation in
            let leads = state.withLock { state -> Bool in
                state.pending.append(Request(id: id, token: token, result: result, now: now, continuation: continuation))
                guard state.flushers < maxFlushers else { return false }
                state.flushers += 1
                return true
            }
            guard leads else { return }
            // This caller flushes until nothing is pending; the others' continuations are resumed by it.
            Task { await self.drain() }
        }
    }

    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Request] in
                defer { state.pending = [] }
                if state.pending.isEmpty { state.flushers -= 1 }
                return state.pending
            }
            if batch.isEmpty { return }
            await flush(batch)
        }
    }
}

extension PostgresTaskStore {
    /// Completes a batch in one statement (fencing each task by its token), then sorts out the
    /// requests whose task was not held.
    func completeBatch(_ batch: [CompletionBatcher.Request]) async {
        let limits = logLimits
        let outcome: Result<PGRows, TaskCoreError>
        do throws(TaskCoreError) {
            outcome = .success(try await completionStatement(batch))
        } catch {
            outcome = .failure(error)
        }
        switch outcome {
        case .failure(let error):
            for request in batch { request.continuation.resume(returning: .failure(error)) }
        case .success(let rows):
            var done: [TaskID: TaskRecord] = [:]
            for index in 0..<rows.count {
                let task = rows[index].taskRecord()
                done[task.id] = task
            }
            try? await trimLogsIfNeeded(rows, now: batch.map(\.now).max() ?? Date(), limits: limits)
            for request in batch {
                if let task = done[request.id] {
                    request.continuation.resume(returning: .success(task))
                } else {
                    request.continuation.resume(returning: .failure(await notHeldError(request.id)))
                }
            }
        }
    }

    private func completionStatement(_ batch: [CompletionBatcher.Request]) async throws(TaskCoreError) -> PGRows {
        let parameters: [PGParameter] = [
            .array(batch.map { String($0.id.rawValue) }), .array(batch.map { String($0.token) }),
            .stringArray(batch.map { $0.result ?? "null" }),
            .array(batch.map { String(PGTime.milliseconds($0.now)) }),
        ]
        // A deadlock (two processes' batches both touching a failed job's row) is retried once.
        for attempt in 1...2 {
            do throws(TaskCoreError) {
                return try await pool.withConnection { connection throws(TaskCoreError) in
                    // The log text is LifecycleMessage.completed's, spelled in SQL.
                    try connection.execute(
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
