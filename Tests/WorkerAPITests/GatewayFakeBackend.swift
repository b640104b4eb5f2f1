import Foundation
import TaskCore
import WorkerAPI

/// A small in-memory ``WorkerBackend`` for the gateway tests: enough of the contract's behaviour
/// (ids, transitions, not found, logs, stats, jobs) to drive every resolver, with a fixed clock.
actor GatewayFakeBackend: WorkerBackend {
    private var tasks: [TaskID: TaskRecord] = [:]
    private var logs: [TaskID: [TaskLogEntry]] = [:]
    private var jobs: [JobID: ScheduledJob] = [:]
    private var nextTaskID: Int64 = 1
    private var nextJobID: Int64 = 1
    private var healthy = true
    /// The fixed "now" of every change.
    let now = Date(timeIntervalSince1970: 1_795_910_400)  // 2026-11-29T00:00:00Z

    func setHealthy(_ value: Bool) { healthy = value }

    func createTask(_ draft: NewTask) async throws(TaskCoreError) -> CreatedTask {
        try draft.validate()
        if let key = draft.uniqueKey,
            let existing = tasks.values.first(where: { $0.uniqueKey == key && !$0.status.isFinal })
        {
            return CreatedTask(task: existing, created: false)
        }
        let id = TaskID(nextTaskID)
        nextTaskID += 1
        let record = TaskRecord(
            id: id, type: draft.type, payload: draft.payload, priority: draft.priority, maxAttempts: draft.maxAttempts,
            uniqueKey: draft.uniqueKey, jobId: draft.jobId, runAt: draft.runAt ?? now, createdAt: now, updatedAt: now)
        tasks[id] = record
        logs[id] = [TaskLogEntry(timestamp: now, level: .info, message: "created")]
        return CreatedTask(task: record, created: true)
    }

    func listTasks(_ query: TaskQuery) async throws(TaskCoreError) -> TaskPage {
        try query.validate()
        let matching = tasks.values
            .filter { query.statuses.isEmpty || query.statuses.contains($0.status) }
            .filter { query.type == nil || $0.type == query.type }
            .sorted { $0.id > $1.id }
        return TaskPage(tasks: Array(matching.dropFirst(query.offset).prefix(query.limit)), total: matching.count)
    }

    func task(_ id: TaskID) async throws(TaskCoreError) -> TaskRecord {
        guard let record = tasks[id] else { throw .taskNotFound(id) }
        return record
    }

    func retryTask(_ id: TaskID, resetAttempts: Bool) async throws(TaskCoreError) -> TaskRecord {
        var record = try await task(id)
        record.status = try record.status.applying(.manualRetry, to: id)
        if resetAttempts { record.attempts = 0 }
        record.error = nil
        record.completedAt = nil
        tasks[id] = record
        return record
    }

    func cancelTask(_ id: TaskID) async throws(TaskCoreError) -> TaskRecord {
        var record = try await task(id)
        record.status = try record.status.applying(.cancel, to: id)
        record.completedAt = now
        tasks[id] = record
        logs[id, default: []].append(TaskLogEntry(timestamp: now, level: .info, message: "cancelled"))
        return record
    }

    func taskLogs(_ id: TaskID, limit: Int) async throws(TaskCoreError) -> [TaskLogEntry] {
        _ = try await task(id)
        return Array((logs[id] ?? []).prefix(limit))
    }

    func taskStats() async throws(TaskCoreError) -> TaskStats {
        var stats = TaskStats()
        for record in tasks.values {
            stats.all[record.status] += 1
            stats.byType[record.type, default: TaskStats.Counts()][record.status] += 1
        }
        return stats
    }

    func createJob(_ draft: NewJob) async throws(TaskCoreError) -> ScheduledJob {
        let schedule = try JobSchedule(schedule: draft.schedule, timezone: draft.timezone)
        let id = JobID(nextJobID)
        nextJobID += 1
        let job = ScheduledJob(
            id: id, name: draft.name, type: draft.type, schedule: draft.schedule, timezone: draft.timezone,
            payload: draft.payload, priority: draft.priority, maxAttempts: draft.maxAttempts,
            nextRun: schedule.nextFire(after: now), catchUp: draft.catchUp, createdAt: now, updatedAt: now)
        jobs[id] = job
        return job
    }

    func listJobs() async throws(TaskCoreError) -> [ScheduledJob] {
        jobs.values.sorted { $0.id < $1.id }
    }

    func job(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob {
        guard let job = jobs[id] else { throw .jobNotFound(id) }
        return job
    }

    func updateJob(_ id: JobID, _ update: JobUpdate) async throws(TaskCoreError) -> ScheduledJob {
        var job = try await job(id)
        if let name = update.name { job.name = name }
        if let schedule = update.schedule { job.schedule = schedule }
        if let zone = update.timezone { job.timezone = zone }
        if let payload = update.payload { job.payload = payload }
        if let priority = update.priority { job.priority = priority }
        if update.changesTiming {
            let schedule = try JobSchedule(schedule: job.schedule, timezone: job.timezone)
            if job.status != .paused { job.nextRun = schedule.nextFire(after: now) }
        }
        jobs[id] = job
        return job
    }

    func pauseJob(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob {
        var job = try await job(id)
        job.status = .paused
        job.nextRun = nil
        jobs[id] = job
        return job
    }

    func resumeJob(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob {
        var job = try await job(id)
        if job.status == .paused {
            job.status = .active
            job.nextRun = try JobSchedule(schedule: job.schedule, timezone: job.timezone).nextFire(after: now)
        }
        jobs[id] = job
        return job
    }

    func triggerJob(_ id: JobID) async throws(TaskCoreError) -> TaskRecord {
        var job = try await job(id)
        let created = try await createTask(
            NewTask(type: job.type, payload: job.payload, priority: job.priority, jobId: id))
        job.lastRun = now
        job.lastTaskId = created.task.id
        job.runCount += 1
        jobs[id] = job
        return created.task
    }

    func deleteJob(_ id: JobID) async throws(TaskCoreError) {
        guard jobs.removeValue(forKey: id) != nil else { throw .jobNotFound(id) }
    }

    func isHealthy() async -> Bool { healthy }
}

/// A backend whose worker cannot be reached: every call fails as `RemoteWorkerBackend` does.
struct GatewayUnreachableBackend: WorkerBackend {
    private var failure: TaskCoreError {
        TaskCoreError(code: .unavailable, message: "Worker Service is unavailable")
    }
    func createTask(_ draft: NewTask) async throws(TaskCoreError) -> CreatedTask { throw failure }
    func listTasks(_ query: TaskQuery) async throws(TaskCoreError) -> TaskPage { throw failure }
    func task(_ id: TaskID) async throws(TaskCoreError) -> TaskRecord { throw failure }
    func retryTask(_ id: TaskID, resetAttempts: Bool) async throws(TaskCoreError) -> TaskRecord { throw failure }
    func cancelTask(_ id: TaskID) async throws(TaskCoreError) -> TaskRecord { throw failure }
    func taskLogs(_ id: TaskID, limit: Int) async throws(TaskCoreError) -> [TaskLogEntry] { throw failure }
    func taskStats() async throws(TaskCoreError) -> TaskStats { throw failure }
    func createJob(_ draft: NewJob) async throws(TaskCoreError) -> ScheduledJob { throw failure }
    func listJobs() async throws(TaskCoreError) -> [ScheduledJob] { throw failure }
    func job(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob { throw failure }
    func updateJob(_ id: JobID, _ update: JobUpdate) async throws(TaskCoreError) -> ScheduledJob { throw failure }
    func pauseJob(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob { throw failure }
    func resumeJob(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob { throw failure }
    func triggerJob(_ id: JobID) async throws(TaskCoreError) -> TaskRecord { throw failure }
    func deleteJob(_ id: JobID) async throws(TaskCoreError) { throw failure }
    func isHealthy() async -> Bool { false }
}
