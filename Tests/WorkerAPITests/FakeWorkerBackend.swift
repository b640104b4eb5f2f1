import Foundation
import TaskCore
import WorkerAPI

/// A small in-memory ``WorkerBackend`` for the REST and gateway tests: contract semantics (uniqueKey, filters,
/// newest first, transitions through `TaskStatus.applying`, logs, stats, jobs through `JobRules`)
/// with a fixed clock, and a switch to make it unhealthy.
actor FakeWorkerBackend: WorkerBackend {
    var tasks: [TaskID: TaskRecord] = [:]
    var logs: [TaskID: [TaskLogEntry]] = [:]
    var jobs: [JobID: ScheduledJob] = [:]
    var nextTaskID: Int64 = 1
    var nextJobID: Int64 = 1
    var healthy = true
    /// Every draft given to `createTask`, to check what the router built.
    var drafts: [NewTask] = []
    let now = Date(timeIntervalSince1970: 1_795_917_600)  // 2026-11-29T02:00:00Z

    func setHealthy(_ value: Bool) { healthy = value }

    func setStatus(_ id: TaskID, _ status: TaskStatus) {
        tasks[id]?.status = status
        if status.isFinal { tasks[id]?.completedAt = now }
    }

    func createTask(_ draft: NewTask) async throws(TaskCoreError) -> CreatedTask {
        try draft.validate()
        drafts.append(draft)
        if let key = draft.uniqueKey,
            let existing = tasks.values.first(where: { $0.uniqueKey == key && !$0.status.isFinal })
        {
            return CreatedTask(task: existing, created: false)
        }
        let id = TaskID(nextTaskID)
        nextTaskID += 1
        let runAt = draft.runAt ?? now.addingTimeInterval(Double(draft.delay?.components.seconds ?? 0))
        let task = TaskRecord(
            id: id, type: draft.type, payload: draft.payload, priority: draft.priority, maxAttempts: draft.maxAttempts,
            uniqueKey: draft.uniqueKey, jobId: draft.jobId, runAt: runAt, createdAt: now, updatedAt: now,
            timeout: draft.timeout)
        tasks[id] = task
        logs[id] = [TaskLogEntry(timestamp: now, level: .info, message: "created")]
        return CreatedTask(task: task, created: true)
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
        guard let task = tasks[id] else { throw .taskNotFound(id) }
        return task
    }

    func retryTask(_ id: TaskID, resetAttempts: Bool) async throws(TaskCoreError) -> TaskRecord {
        var task = try await self.task(id)
        task.status = try task.status.applying(.manualRetry, to: id)
        if resetAttempts { task.attempts = 0 }
        task.error = nil
        task.completedAt = nil
        tasks[id] = task
        return task
    }

    func cancelTask(_ id: TaskID) async throws(TaskCoreError) -> TaskRecord {
        var task = try await self.task(id)
        task.status = try task.status.applying(.cancel, to: id)
        task.completedAt = now
        tasks[id] = task
        logs[id, default: []].append(TaskLogEntry(timestamp: now, level: .warn, message: "cancelled"))
        return task
    }

    func taskLogs(_ id: TaskID, limit: Int) async throws(TaskCoreError) -> [TaskLogEntry] {
        _ = try await task(id)
        return Array((logs[id] ?? []).prefix(limit))
    }

    func taskStats() async throws(TaskCoreError) -> TaskStats {
        var stats = TaskStats()
        for task in tasks.values {
            stats.all[task.status] += 1
            stats.byType[task.type, default: TaskStats.Counts()][task.status] += 1
        }
        return stats
    }

    func createJob(_ draft: NewJob) async throws(TaskCoreError) -> ScheduledJob {
        let schedule = try draft.validate()
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
        var job = try await self.job(id)
        try JobRules.apply(update, to: &job, now: now)
        jobs[id] = job
        return job
    }

    func pauseJob(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob {
        var job = try await self.job(id)
        job.status = .paused
        job.nextRun = nil
        jobs[id] = job
        return job
    }

    func resumeJob(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob {
        var job = try await self.job(id)
        guard job.status == .paused else { return job }
        job.status = .active
        job.nextRun = try JobSchedule(schedule: job.schedule, timezone: job.timezone).nextFire(after: now)
        jobs[id] = job
        return job
    }

    func triggerJob(_ id: JobID) async throws(TaskCoreError) -> TaskRecord {
        var job = try await self.job(id)
        let created = try await createTask(JobRules.task(of: job))
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
