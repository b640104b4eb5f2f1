public import TaskCore
import Synchronization

extension WorkerService {
    /// Creates an active cron job and wakes the scheduler.
    /// - Parameter draft: the job.
    /// - Returns: the job with its first `nextRun`.
    /// - Throws: `invalidCron` naming the field and value; `invalidArgument` for a bad time zone,
    ///   name, type or `maxAttempts`.
    public func createJob(_ draft: NewJob) async throws(TaskCoreError) -> ScheduledJob {
        try draft.validate()
        let job = try await store.createJob(draft, now: clock.now)
        publish(job)
        cronWake.signal()
        return job
    }

    /// All jobs, by id.
    /// - Throws: the store's errors.
    public func listJobs() async throws(TaskCoreError) -> [ScheduledJob] {
        try await store.listJobs()
    }

    /// One job.
    /// - Throws: `notFound`.
    public func job(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob {
        try await store.job(id)
    }

    /// Changes some fields of a job (a new schedule or zone recomputes `nextRun`) and wakes the
    /// scheduler.
    /// - Throws: `notFound`; `invalidCron`; `invalidArgument`.
    public func updateJob(_ id: JobID, _ update: JobUpdate) async throws(TaskCoreError) -> ScheduledJob {
        if let name = update.name { try NewTask.validateType(name, field: "name") }
        if update.changesTiming {
            let current = try await store.job(id)
            _ = try JobSchedule(
                schedule: update.schedule ?? current.schedule, timezone: update.timezone ?? current.timezone)
        }
        try Self.validateMaxAttempts(update.maxAttempts)
        let job = try await store.updateJob(id, update, now: clock.now)
        publish(job)
        cronWake.signal()
        return job
    }

    /// Pauses a job (idempotent).
    /// - Throws: `notFound`.
    public func pauseJob(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob {
        let job = try await store.pauseJob(id, now: clock.now)
        publish(job)
        cronWake.signal()
        return job
    }

    /// Resumes a job (idempotent): `nextRun` is computed from now, missed runs are skipped.
    /// - Throws: `notFound`.
    public func resumeJob(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob {
        let job = try await store.resumeJob(id, now: clock.now)
        publish(job)
        cronWake.signal()
        return job
    }

    /// Enqueues a job's task now, off schedule, and wakes the pool.
    /// - Returns: the enqueued task.
    /// - Throws: `notFound`.
    public func triggerJob(_ id: JobID) async throws(TaskCoreError) -> TaskRecord {
        let task = try await publishingCreated({ () async throws(TaskCoreError) in
            try await store.triggerJob(id, now: clock.now)
        }) { [$0] }
        if let job = try? await store.job(id) {
            metrics.recordRun(of: job, scheduledFor: nil, at: clock.now)
            publish(job)
        }
        poolWake.signal()
        return task
    }

    /// Deletes a job; the tasks it enqueued stay.
    /// - Throws: `notFound`.
    public func deleteJob(_ id: JobID) async throws(TaskCoreError) {
        try await store.deleteJob(id)
        changes.publish(.jobDeleted(id))
        cronWake.signal()
    }

    static func validateMaxAttempts(_ maxAttempts: Int?) throws(TaskCoreError) {
        if let maxAttempts, !NewTask.maxAttemptsRange.contains(maxAttempts) {
            throw .invalidArgument("maxAttempts", "maxAttempts: \(maxAttempts) is out of range 1-100")
        }
    }
}
