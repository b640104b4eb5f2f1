public import Foundation

/// The rules of cron jobs that every store applies the same way: validation, updates, and what a
/// due fire does.
///
/// For authors of ``TaskStore`` implementations; the stores keep the atomicity, these keep the logic.
public enum JobRules {
    /// Applies a partial update to `job`, recomputing `nextRun` from `now` when the schedule or
    /// zone changed and the job is not paused.
    /// - Throws: `invalidArgument` or `invalidCron`; `job` is unchanged then.
    public static func apply(_ update: JobUpdate, to job: inout ScheduledJob, now: Date) throws(TaskCoreError) {
        var changed = job
        if let name = update.name { changed.name = name }
        if let schedule = update.schedule { changed.schedule = schedule }
        if let timezone = update.timezone { changed.timezone = timezone }
        if let payload = update.payload { changed.payload = payload }
        if let priority = update.priority { changed.priority = priority }
        if let maxAttempts = update.maxAttempts { changed.maxAttempts = maxAttempts }
        if let catchUp = update.catchUp { changed.catchUp = catchUp }
        if let queue = update.queue { changed.queue = queue }
        let schedule = try NewJob(
            name: changed.name, type: changed.type, schedule: changed.schedule, timezone: changed.timezone,
            payload: changed.payload, priority: changed.priority, maxAttempts: changed.maxAttempts,
            catchUp: changed.catchUp, queue: changed.queue
        ).validate()
        if update.changesTiming, changed.status != .paused {
            changed.nextRun = schedule.nextFire(after: now)?.truncatedToMilliseconds
        }
        changed.updatedAt = now
        job = changed
    }

    /// The task a fire of `job` enqueues.
    public static func task(of job: ScheduledJob) -> NewTask {
        NewTask(
            type: job.type, payload: job.payload, priority: job.priority, maxAttempts: job.maxAttempts ?? 3,
            jobId: job.id, queue: job.queue)
    }

    /// What a due fire of a job does.
    public enum Decision: Hashable, Sendable {
        /// Enqueue the job's task.
        case enqueue
        /// The previous run's task is still unfinished.
        case skipOverlap(previous: TaskID)
        /// Missed while no scheduler ran, and the job says `catchUp: skip`.
        case skipMissed
    }

    /// Decides a due fire: overlap first (no pile-up), then the catch-up policy.
    /// - Parameters:
    ///   - previousStatus: the status of the job's `lastTaskId` task, `nil` if none or deleted.
    ///   - misfireGrace: how late a fire may be and still count as on time.
    public static func decide(
        job: ScheduledJob, scheduledFor: Date, previousStatus: TaskStatus?, now: Date, misfireGrace: Duration
    ) -> Decision {
        if let previous = job.lastTaskId, let previousStatus, !previousStatus.isFinal {
            return .skipOverlap(previous: previous)
        }
        let lateness = now.timeIntervalSince(scheduledFor)
        let grace = Double(misfireGrace.components.seconds) + Double(misfireGrace.components.attoseconds) / 1e18
        if job.catchUp == .skip, lateness > grace {
            return .skipMissed
        }
        return .enqueue
    }
}
