public import Foundation
public import TaskCore

extension SQLiteTaskStore {
    /// Creates an active job whose `nextRun` is the first fire time after `now`.
    /// - Throws: `invalidCron`; `invalidArgument` (time zone, type, name, maxAttempts).
    public func createJob(_ draft: NewJob, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        let schedule = try draft.validate()
        let now = now.truncatedToMilliseconds
        let nowMillis = millis(now)
        let nextRun = millis(try Self.firstFire(of: schedule, after: now, text: draft.schedule))
        return try await write { (db) throws(TaskCoreError) -> ScheduledJob in
            let statement = try db.statement(
                """
                INSERT INTO jobs (name, type, schedule, timezone, payload, priority, max_attempts, status, next_run, \
                run_count, catch_up, created_at, updated_at, queue) \
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'active', ?8, 0, ?9, ?10, ?10, ?11) \
                RETURNING \(SQLiteRows.jobColumns)
                """)
            statement.bind(1, draft.name).bind(2, draft.type).bind(3, draft.schedule).bind(4, draft.timezone)
                .bind(5, draft.payload.sqliteText).bind(6, draft.priority.rawValue).bind(7, draft.maxAttempts)
                .bind(8, nextRun).bind(9, draft.catchUp.rawValue).bind(10, nowMillis).bind(11, draft.queue)
            guard let job = try statement.firstRow(SQLiteRows.job) else {
                throw db.failure(0, reason: "INSERT returned no row")
            }
            return job
        }
    }

    /// The first fire time after `date`, or `invalidCron` when the schedule never fires.
    static func firstFire(of schedule: JobSchedule, after date: Date, text: String) throws(TaskCoreError) -> Date {
        guard let next = schedule.nextFire(after: date) else {
            throw TaskCoreError(code: .invalidCron, message: "schedule: '\(text)' never fires", field: "schedule")
        }
        return next.truncatedToMilliseconds
    }

    /// The job with `id`.
    /// - Throws: `notFound`.
    public func job(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob {
        try await read { (db) throws(TaskCoreError) -> ScheduledJob in try Self.fetchJob(db, id) }
    }

    static func fetchJob(_ db: SQLiteConnection, _ id: JobID) throws(TaskCoreError) -> ScheduledJob {
        let job = try db.statement("SELECT \(SQLiteRows.jobColumns) FROM jobs WHERE id = ?1").bind(1, id.rawValue)
            .firstRow(SQLiteRows.job)
        guard let job else { throw .jobNotFound(id) }
        return job
    }

    /// All jobs, by id ascending.
    public func listJobs() async throws(TaskCoreError) -> [ScheduledJob] {
        try await read { (db) throws(TaskCoreError) -> [ScheduledJob] in
            try db.statement("SELECT \(SQLiteRows.jobColumns) FROM jobs ORDER BY id").rows(SQLiteRows.job)
        }
    }

    /// Changes some fields of a job, recomputing `nextRun` from `now` when the timing changed.
    /// - Throws: `notFound`; `invalidCron`; `invalidArgument`.
    public func updateJob(_ id: JobID, _ update: JobUpdate, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        let now = now.truncatedToMilliseconds
        return try await write { (db) throws(TaskCoreError) -> ScheduledJob in
            var job = try Self.fetchJob(db, id)
            let draft = NewJob(
                name: update.name ?? job.name, type: job.type, schedule: update.schedule ?? job.schedule,
                timezone: update.timezone ?? job.timezone, payload: update.payload ?? job.payload,
                priority: update.priority ?? job.priority, maxAttempts: update.maxAttempts ?? job.maxAttempts,
                catchUp: update.catchUp ?? job.catchUp)
            let schedule = try draft.validate()
            if update.changesTiming, job.status != .paused {
                job.nextRun = try Self.firstFire(of: schedule, after: now, text: draft.schedule)
            }
            job.name = draft.name
            job.schedule = draft.schedule
            job.timezone = draft.timezone
            job.payload = draft.payload
            job.priority = draft.priority
            job.maxAttempts = draft.maxAttempts
            job.catchUp = draft.catchUp
            job.updatedAt = now
            return try Self.saveJob(db, job)
        }
    }

    /// Writes every mutable field of `job` back.
    static func saveJob(_ db: SQLiteConnection, _ job: ScheduledJob) throws(TaskCoreError) -> ScheduledJob {
        let statement = try db.statement(
            """
            UPDATE jobs SET name = ?2, schedule = ?3, timezone = ?4, payload = ?5, priority = ?6, max_attempts = ?7, \
            status = ?8, last_run = ?9, next_run = ?10, last_task_id = ?11, run_count = ?12, catch_up = ?13, \
            updated_at = ?14, queue = ?15 WHERE id = ?1 RETURNING \(SQLiteRows.jobColumns)
            """)
        statement.bind(1, job.id.rawValue).bind(2, job.name).bind(3, job.schedule).bind(4, job.timezone)
            .bind(5, job.payload.sqliteText).bind(6, job.priority.rawValue).bind(7, job.maxAttempts)
            .bind(8, job.status.rawValue).bind(9, job.lastRun.map(millis)).bind(10, job.nextRun.map(millis))
            .bind(11, job.lastTaskId?.rawValue).bind(12, job.runCount).bind(13, job.catchUp.rawValue)
            .bind(14, millis(job.updatedAt)).bind(15, job.queue)
        guard let saved = try statement.firstRow(SQLiteRows.job) else { throw .jobNotFound(job.id) }
        return saved
    }

    /// Deletes a job; the tasks it enqueued stay.
    /// - Throws: `notFound`.
    public func deleteJob(_ id: JobID) async throws(TaskCoreError) {
        try await write { (db) throws(TaskCoreError) in
            try db.statement("DELETE FROM jobs WHERE id = ?1").bind(1, id.rawValue).run()
            if db.changes == 0 { throw .jobNotFound(id) }
        }
    }

    /// Pauses a job (`nextRun` becomes `nil`); pausing a paused job changes nothing.
    /// - Throws: `notFound`.
    public func pauseJob(_ id: JobID, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        let now = now.truncatedToMilliseconds
        return try await write { (db) throws(TaskCoreError) -> ScheduledJob in
            var job = try Self.fetchJob(db, id)
            guard job.status != .paused else { return job }
            job.status = .paused
            job.nextRun = nil
            job.updatedAt = now
            return try Self.saveJob(db, job)
        }
    }

    /// Resumes a paused job with `nextRun` computed from `now`; other jobs are returned unchanged.
    /// - Throws: `notFound`.
    public func resumeJob(_ id: JobID, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        let now = now.truncatedToMilliseconds
        return try await write { (db) throws(TaskCoreError) -> ScheduledJob in
            var job = try Self.fetchJob(db, id)
            guard job.status == .paused else { return job }
            let schedule = try JobSchedule(schedule: job.schedule, timezone: job.timezone)
            job.status = .active
            job.nextRun = schedule.nextFire(after: now)?.truncatedToMilliseconds
            job.updatedAt = now
            return try Self.saveJob(db, job)
        }
    }

    /// Enqueues a job's task now, off schedule, in one transaction with the job's bookkeeping.
    /// - Throws: `notFound`.
    public func triggerJob(_ id: JobID, now: Date) async throws(TaskCoreError) -> TaskRecord {
        let now = now.truncatedToMilliseconds
        return try await write { (db) throws(TaskCoreError) -> TaskRecord in
            var job = try Self.fetchJob(db, id)
            let task = try self.enqueueRun(db, of: &job, now: now)
            _ = try Self.saveJob(db, job)
            return task
        }
    }

    /// Inserts the task of one run of `job` and records the run on it (not yet saved).
    func enqueueRun(_ db: SQLiteConnection, of job: inout ScheduledJob, now: Date) throws(TaskCoreError) -> TaskRecord {
        let draft = NewTask(
            type: job.type, payload: job.payload, priority: job.priority, maxAttempts: job.maxAttempts ?? 3,
            runAt: now, jobId: job.id, queue: job.queue)
        let task = try insertTask(db, draft, now: now).task
        job.lastRun = now
        job.lastTaskId = task.id
        job.runCount += 1
        job.updatedAt = now
        return task
    }

    /// Fires up to `limit` due jobs in one transaction: each enqueues its task (unless its previous
    /// task is unfinished, or a `catchUp: skip` job missed its time by more than `misfireGrace`) and
    /// advances `nextRun` past `now`. Two processes never fire the same time twice: the second
    /// waits for the write lock and then finds `nextRun` already advanced.
    /// - Returns: what happened to each due job.
    /// - Throws: `storageFailure`.
    public func fireDueJobs(now: Date, limit: Int, misfireGrace: Duration) async throws(TaskCoreError) -> [JobFiring] {
        guard limit > 0 else { return [] }
        let now = now.truncatedToMilliseconds
        let nowMillis = millis(now)
        let graceStart = now.storeAdding(.zero - misfireGrace)
        return try await write { (db) throws(TaskCoreError) -> [JobFiring] in
            let due = try db.statement(
                "SELECT \(SQLiteRows.jobColumns) FROM jobs WHERE status IN ('active', 'failed') AND next_run <= ?1 "
                    + "ORDER BY next_run, id LIMIT ?2"
            ).bind(1, nowMillis).bind(2, limit).rows(SQLiteRows.job)
            var firings: [JobFiring] = []
            for var job in due {
                guard let scheduledFor = job.nextRun else { continue }
                let outcome: JobFiring.Outcome
                if let previous = job.lastTaskId, let status = try Self.taskStatus(db, previous), !status.isFinal {
                    try self.appendLines(
                        db, previous, [LifecycleLog.overlapSkipped(job: job.id, scheduledFor: scheduledFor, status: status)],
                        at: nowMillis)
                    outcome = .skippedOverlap(previous: previous)
                } else if job.catchUp == .skip, scheduledFor < graceStart {
                    outcome = .skippedMissed
                } else {
                    outcome = .enqueued(try self.enqueueRun(db, of: &job, now: now))
                }
                // A schedule stored by this store always parses; `nil` would only mean a damaged row.
                let schedule = try? JobSchedule(schedule: job.schedule, timezone: job.timezone)
                job.nextRun = schedule?.nextFire(after: now)?.truncatedToMilliseconds
                job.updatedAt = now
                firings.append(JobFiring(job: try Self.saveJob(db, job), scheduledFor: scheduledFor, outcome: outcome))
            }
            return firings
        }
    }

    /// The status of a task, or `nil` when it no longer exists (pruned).
    static func taskStatus(_ db: SQLiteConnection, _ id: TaskID) throws(TaskCoreError) -> TaskStatus? {
        try db.statement("SELECT status FROM tasks WHERE id = ?1").bind(1, id.rawValue)
            .firstRow { TaskStatus(rawValue: $0.string(0)) } ?? nil
    }

    /// The earliest `nextRun` of an active or failed job.
    public func nextJobFireTime() async throws(TaskCoreError) -> Date? {
        try await read { (db) throws(TaskCoreError) -> Date? in
            try db.statement("SELECT min(next_run) FROM jobs WHERE status IN ('active', 'failed')")
                .firstRow { $0.optionalInt64(0) }?.map(date)
        }
    }
}
