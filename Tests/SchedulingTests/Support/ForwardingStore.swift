import Foundation
import TaskCore

/// A test store that forwards every ``TaskStore`` requirement to `base`; a conforming test double
/// overrides only what it is about (notifications, batch completion).
protocol ForwardingStore: TaskStore {
    var base: any TaskStore { get }
}

extension ForwardingStore {
    func createTask(_ draft: NewTask, now: Date) async throws(TaskCoreError) -> CreatedTask {
        try await base.createTask(draft, now: now)
    }
    func task(_ id: TaskID) async throws(TaskCoreError) -> TaskRecord { try await base.task(id) }
    func listTasks(_ query: TaskQuery) async throws(TaskCoreError) -> TaskPage { try await base.listTasks(query) }
    func claimTasks(types: Set<String>, worker: WorkerID, limit: Int, leaseDuration: Duration, now: Date)
        async throws(TaskCoreError) -> [TaskRecord]
    {
        try await base.claimTasks(types: types, worker: worker, limit: limit, leaseDuration: leaseDuration, now: now)
    }
    func completeTask(_ id: TaskID, token: Int64, result: JSONValue?, now: Date) async throws(TaskCoreError)
        -> TaskRecord
    { try await base.completeTask(id, token: token, result: result, now: now) }
    func failTask(_ id: TaskID, token: Int64, error: String, retryAt: Date?, now: Date)
        async throws(TaskCoreError) -> TaskRecord
    { try await base.failTask(id, token: token, error: error, retryAt: retryAt, now: now) }
    func cancelTask(_ id: TaskID, now: Date) async throws(TaskCoreError) -> TaskRecord {
        try await base.cancelTask(id, now: now)
    }
    func releaseTask(_ id: TaskID, token: Int64, now: Date) async throws(TaskCoreError) -> TaskRecord {
        try await base.releaseTask(id, token: token, now: now)
    }
    func retryTask(_ id: TaskID, resetAttempts: Bool, now: Date) async throws(TaskCoreError) -> TaskRecord {
        try await base.retryTask(id, resetAttempts: resetAttempts, now: now)
    }
    func reportProgress(_ id: TaskID, token: Int64, progress: Int, now: Date) async throws(TaskCoreError) {
        try await base.reportProgress(id, token: token, progress: progress, now: now)
    }
    func renewLease(_ id: TaskID, token: Int64, until: Date, now: Date) async throws(TaskCoreError)
        -> LeaseRenewal
    { try await base.renewLease(id, token: token, until: until, now: now) }
    func recoverExpiredLeases(now: Date) async throws(TaskCoreError) -> [TaskRecord] {
        try await base.recoverExpiredLeases(now: now)
    }
    func appendLog(_ id: TaskID, token: Int64?, level: TaskLogEntry.Level, message: String, now: Date)
        async throws(TaskCoreError)
    { try await base.appendLog(id, token: token, level: level, message: message, now: now) }
    func logs(_ id: TaskID, limit: Int) async throws(TaskCoreError) -> [TaskLogEntry] {
        try await base.logs(id, limit: limit)
    }
    func stats() async throws(TaskCoreError) -> TaskStats { try await base.stats() }
    func nextReadyTime(types: Set<String>) async throws(TaskCoreError) -> Date? {
        try await base.nextReadyTime(types: types)
    }
    func createJob(_ draft: NewJob, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        try await base.createJob(draft, now: now)
    }
    func job(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob { try await base.job(id) }
    func listJobs() async throws(TaskCoreError) -> [ScheduledJob] { try await base.listJobs() }
    func updateJob(_ id: JobID, _ update: JobUpdate, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        try await base.updateJob(id, update, now: now)
    }
    func deleteJob(_ id: JobID) async throws(TaskCoreError) { try await base.deleteJob(id) }
    func pauseJob(_ id: JobID, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        try await base.pauseJob(id, now: now)
    }
    func resumeJob(_ id: JobID, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        try await base.resumeJob(id, now: now)
    }
    func triggerJob(_ id: JobID, now: Date) async throws(TaskCoreError) -> TaskRecord {
        try await base.triggerJob(id, now: now)
    }
    func fireDueJobs(now: Date, limit: Int, misfireGrace: Duration) async throws(TaskCoreError) -> [JobFiring] {
        try await base.fireDueJobs(now: now, limit: limit, misfireGrace: misfireGrace)
    }
    func nextJobFireTime() async throws(TaskCoreError) -> Date? { try await base.nextJobFireTime() }
}

/// A ``ForwardingStore`` that forwards the workflow operations too.
protocol ForwardingWorkflowStore: ForwardingStore, TaskStoreWorkflows {
    var workflowBase: any TaskStoreWorkflows { get }
}

extension ForwardingWorkflowStore {
    func createTasks(_ drafts: [NewTask], now: Date) async throws(TaskCoreError) -> [CreatedTask] {
        try await workflowBase.createTasks(drafts, now: now)
    }
    func createBatch(_ tasks: [NewTask], callback: NewTask?, now: Date) async throws(TaskCoreError) -> BatchRecord {
        try await workflowBase.createBatch(tasks, callback: callback, now: now)
    }
    func batch(_ id: BatchID) async throws(TaskCoreError) -> BatchRecord { try await workflowBase.batch(id) }
    func listBatches(limit: Int, offset: Int) async throws(TaskCoreError) -> BatchPage {
        try await workflowBase.listBatches(limit: limit, offset: offset)
    }
    func deleteFinalTasks(_ ids: [TaskID]) async throws(TaskCoreError) -> [TaskID] {
        try await workflowBase.deleteFinalTasks(ids)
    }
    func dependencyResults(_ id: TaskID) async throws(TaskCoreError) -> [TaskID: JSONValue?] {
        try await workflowBase.dependencyResults(id)
    }
}
