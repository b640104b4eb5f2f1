public import Foundation
public import TaskCore

extension PostgresTaskStore {
    public func createJob(_ draft: NewJob, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        let now = now.truncatedToMilliseconds
        let schedule = try draft.validate()
        let nextRun = schedule.nextFire(after: now)?.truncatedToMilliseconds
        let rows = try await durableStatement(
            """
            INSERT INTO worker_jobs (name, type, schedule, timezone, payload, priority, max_attempts, status,
                next_run, run_count, catch_up, created_at, updated_at, queue)
            VALUES ($1, $2, $3, $4, $5, $6::integer, $7::integer, 'active', $8::bigint, 0, $9, $10::bigint, $10::bigint,
                $11)
            RETURNING \(jobColumns)
            """,
            [
                .string(draft.name), .string(draft.type), .string(draft.schedule), .string(draft.timezone),
                .string(PGJSON.encode(draft.payload)), .int(draft.priority.rawValue), .int(draft.maxAttempts),
                .time(nextRun), .string(draft.catchUp.rawValue), .time(now), .string(draft.queue),
            ])
        return rows[0].scheduledJob()
    }

    public func job(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob {
        let rows = try await query("SELECT \(jobColumns) FROM worker_jobs WHERE id = $1::bigint", [.int64(id.rawValue)])
        guard rows.count > 0 else { throw .jobNotFound(id) }
        return rows[0].scheduledJob()
    }

    public func listJobs() async throws(TaskCoreError) -> [ScheduledJob] {
        try await query("SELECT \(jobColumns) FROM worker_jobs ORDER BY id").scheduledJobs()
    }

    public func updateJob(_ id: JobID, _ update: JobUpdate, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        let now = now.truncatedToMilliseconds
        return try await transaction { connection throws(TaskCoreError) in
            var job = try Self.lockJob(connection, id)
            try JobRules.apply(update, to: &job, now: now)
            return try Self.saveJob(connection, job)
        }
    }

    public func deleteJob(_ id: JobID) async throws(TaskCoreError) {
        let rows = try await durableStatement("DELETE FROM worker_jobs WHERE id = $1::bigint", [.int64(id.rawValue)])
        guard rows.affected > 0 else { throw .jobNotFound(id) }
    }

    public func pauseJob(_ id: JobID, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        let now = now.truncatedToMilliseconds
        return try await transaction { connection throws(TaskCoreError) in
            var job = try Self.lockJob(connection, id)
            guard job.status != .paused else { return job }
            job.status = .paused
            job.nextRun = nil
            job.updatedAt = now
            return try Self.saveJob(connection, job)
        }
    }

    public func resumeJob(_ id: JobID, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        let now = now.truncatedToMilliseconds
        return try await transaction { connection throws(TaskCoreError) in
            var job = try Self.lockJob(connection, id)
            guard job.status == .paused else { return job }
            job.status = .active
            job.nextRun = try JobSchedule(schedule: job.schedule, timezone: job.timezone).nextFire(after: now)?
                .truncatedToMilliseconds
            job.updatedAt = now
            return try Self.saveJob(connection, job)
        }
    }

    public func triggerJob(_ id: JobID, now: Date) async throws(TaskCoreError) -> TaskRecord {
        let now = now.truncatedToMilliseconds
        let limits = logLimits
        return try await transaction { connection throws(TaskCoreError) in
            var job = try Self.lockJob(connection, id)
            guard let task = try Self.insertTask(connection, JobRules.task(of: job), runAt: now, now: now, limits: limits)
            else {
                throw TaskCoreError(code: .storageFailure, message: "PostgreSQL: could not enqueue job \(id)'s task")
            }
            job.lastRun = now
            job.lastTaskId = task.id
            job.runCount += 1
            job.updatedAt = now
            _ = try Self.saveJob(connection, job)
            return task
        }
    }

    public func fireDueJobs(now: Date, limit: Int, misfireGrace: Duration) async throws(TaskCoreError) -> [JobFiring] {
        let now = now.truncatedToMilliseconds
        let limits = logLimits
        return try await transaction { connection throws(TaskCoreError) in
            let due = try connection.execute(
                """
                SELECT \(jobColumns) FROM worker_jobs
                WHERE status IN ('active', 'failed') AND next_run <= $1::bigint
                ORDER BY next_run, id LIMIT $2::integer
                FOR UPDATE SKIP LOCKED
                """, [.time(now), .int(max(1, limit))])
            var firings: [JobFiring] = []
            for var job in due.scheduledJobs() {
                guard let scheduledFor = job.nextRun else { continue }
                let previous = try job.lastTaskId.map { id throws(TaskCoreError) in
                    try connection.execute(
                        "SELECT status FROM worker_tasks WHERE id = $1::bigint", [.int64(id.rawValue)])
                }
                let previousStatus = previous.flatMap { $0.count > 0 ? TaskStatus(rawValue: $0[0].string("status") ?? "") : nil }
                let outcome: JobFiring.Outcome
                switch JobRules.decide(job: job, scheduledFor: scheduledFor, previousStatus: previousStatus, now: now, misfireGrace: misfireGrace) {
                case .skipOverlap(let previousID):
                    try Self.log(
                        connection, previousID, .warn,
                        LifecycleMessage.overlapSkipped(
                            job: job.id, scheduledFor: scheduledFor, status: previousStatus ?? .pending),
                        attempt: nil, now: now, limits: limits)
                    outcome = .skippedOverlap(previous: previousID)
                case .skipMissed:
                    outcome = .skippedMissed
                case .enqueue:
                    guard let task = try Self.insertTask(connection, JobRules.task(of: job), runAt: now, now: now, limits: limits)
                    else { continue }
                    job.lastRun = now
                    job.lastTaskId = task.id
                    job.runCount += 1
                    outcome = .enqueued(task)
                }
                job.nextRun = try JobSchedule(schedule: job.schedule, timezone: job.timezone).nextFire(after: now)?
                    .truncatedToMilliseconds
                job.updatedAt = now
                let saved = try Self.saveJob(connection, job)
                firings.append(JobFiring(job: saved, scheduledFor: scheduledFor, outcome: outcome))
            }
            return firings
        }
    }

    public func nextJobFireTime() async throws(TaskCoreError) -> Date? {
        try await query("SELECT min(next_run) AS t FROM worker_jobs WHERE status IN ('active', 'failed')")[0].time("t")
    }

    static func lockJob(_ connection: PGConnection, _ id: JobID) throws(TaskCoreError) -> ScheduledJob {
        let rows = try connection.execute(
            "SELECT \(jobColumns) FROM worker_jobs WHERE id = $1::bigint FOR UPDATE", [.int64(id.rawValue)])
        guard rows.count > 0 else { throw .jobNotFound(id) }
        return rows[0].scheduledJob()
    }

    /// Writes every mutable field of `job` back.
    static func saveJob(_ connection: PGConnection, _ job: ScheduledJob) throws(TaskCoreError) -> ScheduledJob {
        let rows = try connection.execute(
            """
            UPDATE worker_jobs SET name = $2, type = $3, schedule = $4, timezone = $5, payload = $6,
                priority = $7::integer, max_attempts = $8::integer, status = $9, last_run = $10::bigint,
                next_run = $11::bigint, last_task_id = $12::bigint, run_count = $13::integer, catch_up = $14,
                updated_at = $15::bigint, queue = $16
            WHERE id = $1::bigint RETURNING \(jobColumns)
            """,
            [
                .int64(job.id.rawValue), .string(job.name), .string(job.type), .string(job.schedule),
                .string(job.timezone), .string(PGJSON.encode(job.payload)), .int(job.priority.rawValue),
                .int(job.maxAttempts), .string(job.status.rawValue), .time(job.lastRun), .time(job.nextRun),
                .int64(job.lastTaskId?.rawValue), .int(job.runCount), .string(job.catchUp.rawValue),
                .time(job.updatedAt), .string(job.queue),
            ])
        return rows[0].scheduledJob()
    }
}
