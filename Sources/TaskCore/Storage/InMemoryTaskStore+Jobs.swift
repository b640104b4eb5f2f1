import Foundation

extension InMemoryStoreState {
    /// Creates an active job.
    mutating func createJob(_ draft: NewJob, now: Date) throws(TaskCoreError) -> ScheduledJob {
        let schedule = try draft.validate()
        let nextRun = try Self.firstFire(of: schedule, after: now, text: draft.schedule)
        let id = nextJobID
        nextJobID += 1
        let job = ScheduledJob(
            id: JobID(id), name: draft.name, type: draft.type, schedule: draft.schedule, timezone: draft.timezone,
            payload: draft.payload, priority: draft.priority, maxAttempts: draft.maxAttempts, status: .active,
            nextRun: nextRun, catchUp: draft.catchUp, createdAt: now, updatedAt: now, queue: draft.queue)
        jobs[id] = JobEntry(job: job, schedule: schedule)
        return job
    }

    /// The first fire time after `date`, or `invalidCron` when the schedule never fires.
    static func firstFire(of schedule: JobSchedule, after date: Date, text: String) throws(TaskCoreError) -> Date {
        guard let next = schedule.nextFire(after: date) else {
            throw TaskCoreError(
                code: .invalidCron, message: "schedule: '\(text)' never fires", field: "schedule")
        }
        return next.truncatedToMilliseconds
    }

    /// The entry of job `id`.
    func jobEntry(_ id: JobID) throws(TaskCoreError) -> JobEntry {
        guard let entry = jobs[id.rawValue] else { throw .jobNotFound(id) }
        return entry
    }

    /// All jobs by id.
    func listJobs() -> [ScheduledJob] {
        jobs.keys.sorted().map { jobs[$0]!.job }
    }

    /// Applies a partial update (``JobRules/apply(_:to:now:)``).
    mutating func updateJob(_ id: JobID, _ update: JobUpdate, now: Date) throws(TaskCoreError) -> ScheduledJob {
        var entry = try jobEntry(id)
        try JobRules.apply(update, to: &entry.job, now: now)
        entry.schedule = try JobSchedule(schedule: entry.job.schedule, timezone: entry.job.timezone)
        jobs[id.rawValue] = entry
        return entry.job
    }

    /// Deletes a job.
    mutating func deleteJob(_ id: JobID) throws(TaskCoreError) {
        guard jobs.removeValue(forKey: id.rawValue) != nil else { throw .jobNotFound(id) }
    }

    /// Pauses a job; a paused job stays as it is.
    mutating func pauseJob(_ id: JobID, now: Date) throws(TaskCoreError) -> ScheduledJob {
        var entry = try jobEntry(id)
        guard entry.job.status != .paused else { return entry.job }
        entry.job.status = .paused
        entry.job.nextRun = nil
        entry.job.updatedAt = now
        jobs[id.rawValue] = entry
        return entry.job
    }

    /// Resumes a paused job from `now`; any other job stays as it is.
    mutating func resumeJob(_ id: JobID, now: Date) throws(TaskCoreError) -> ScheduledJob {
        var entry = try jobEntry(id)
        guard entry.job.status == .paused else { return entry.job }
        entry.job.status = .active
        entry.job.nextRun = entry.schedule.nextFire(after: now)?.truncatedToMilliseconds
        entry.job.updatedAt = now
        jobs[id.rawValue] = entry
        return entry.job
    }

    /// Enqueues a job's task now, off schedule.
    mutating func triggerJob(_ id: JobID, now: Date) throws(TaskCoreError) -> TaskRecord {
        let entry = try jobEntry(id)
        return enqueueRun(of: entry.job.id, now: now)
    }

    /// Enqueues the task of a run and records the run on the job.
    mutating func enqueueRun(of id: JobID, now: Date) -> TaskRecord {
        var job = jobs[id.rawValue]!.job
        let index = insertTask(JobRules.task(of: job), now: now)
        let record = slots[index].record
        job.lastRun = now
        job.lastTaskId = record.id
        job.runCount += 1
        job.updatedAt = now
        jobs[id.rawValue]!.job = job
        return record
    }

    /// Fires the due jobs, earliest `nextRun` first.
    mutating func fireDueJobs(now: Date, limit: Int, misfireGrace: Duration) -> [JobFiring] {
        guard limit > 0 else { return [] }
        let due = jobs.values
            .compactMap { entry -> (Date, Int64)? in
                guard entry.job.status != .paused, let nextRun = entry.job.nextRun, nextRun <= now else { return nil }
                return (nextRun, entry.job.id.rawValue)
            }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .prefix(limit)
        var firings: [JobFiring] = []
        for (scheduledFor, id) in due {
            let entry = jobs[id]!
            var previousIndex: Int?
            if let previous = entry.job.lastTaskId { previousIndex = try? index(of: previous) }
            let previousStatus = previousIndex.map { slots[$0].record.status }
            let outcome: JobFiring.Outcome
            switch JobRules.decide(
                job: entry.job, scheduledFor: scheduledFor, previousStatus: previousStatus, now: now,
                misfireGrace: misfireGrace)
            {
            case .skipOverlap(let previous):
                if let previousIndex, let previousStatus {
                    log(at: previousIndex, .warn,
                        .overlapSkipped(job: entry.job.id, scheduledFor: scheduledFor, status: previousStatus),
                        now: now, attempt: nil)
                }
                outcome = .skippedOverlap(previous: previous)
            case .skipMissed:
                outcome = .skippedMissed
            case .enqueue:
                outcome = .enqueued(enqueueRun(of: entry.job.id, now: now))
            }
            jobs[id]!.job.nextRun = entry.schedule.nextFire(after: now)?.truncatedToMilliseconds
            jobs[id]!.job.updatedAt = now
            firings.append(JobFiring(job: jobs[id]!.job, scheduledFor: scheduledFor, outcome: outcome))
        }
        return firings
    }

    /// The earliest `nextRun` of an active or failed job.
    func nextJobFireTime() -> Date? {
        jobs.values.compactMap { $0.job.status == .paused ? nil : $0.job.nextRun }.min()
    }
}
