import Foundation
import TaskCore
import Testing

/// An in-memory store that completes in batches (as SQLite does, in one transaction) and records
/// the batch sizes.
final class BatchingStore: TaskStoreBatchCompleting {
    let forward = NotifyingStore()
    let batchSizes = Locked<[Int]>([])

    func completeTasks(_ completions: [TaskCompletion], now: Date) async throws(TaskCoreError)
        -> [Result<TaskRecord, TaskCoreError>]
    {
        batchSizes.update { $0.append(completions.count) }
        var outcomes: [Result<TaskRecord, TaskCoreError>] = []
        for completion in completions {
            do {
                outcomes.append(.success(try await forward.inner.completeTask(
                    completion.id, token: completion.token, result: completion.result, now: now)))
            } catch {
                outcomes.append(.failure(error))
            }
        }
        return outcomes
    }

    func createTask(_ draft: NewTask, now: Date) async throws(TaskCoreError) -> CreatedTask {
        try await forward.createTask(draft, now: now)
    }
    func task(_ id: TaskID) async throws(TaskCoreError) -> TaskRecord { try await forward.task(id) }
    func listTasks(_ query: TaskQuery) async throws(TaskCoreError) -> TaskPage { try await forward.listTasks(query) }
    func claimTasks(types: Set<String>, worker: WorkerID, limit: Int, leaseDuration: Duration, now: Date)
        async throws(TaskCoreError) -> [TaskRecord]
    {
        try await forward.claimTasks(types: types, worker: worker, limit: limit, leaseDuration: leaseDuration, now: now)
    }
    func completeTask(_ id: TaskID, token: Int64, result: JSONValue?, now: Date) async throws(TaskCoreError)
        -> TaskRecord
    {
        Issue.record("a batching store should get completions in batches")
        return try await forward.completeTask(id, token: token, result: result, now: now)
    }
    func failTask(_ id: TaskID, token: Int64, error: String, retryAt: Date?, now: Date)
        async throws(TaskCoreError) -> TaskRecord
    { try await forward.failTask(id, token: token, error: error, retryAt: retryAt, now: now) }
    func cancelTask(_ id: TaskID, now: Date) async throws(TaskCoreError) -> TaskRecord {
        try await forward.cancelTask(id, now: now)
    }
    func releaseTask(_ id: TaskID, token: Int64, now: Date) async throws(TaskCoreError) -> TaskRecord {
        try await forward.releaseTask(id, token: token, now: now)
    }
    func retryTask(_ id: TaskID, resetAttempts: Bool, now: Date) async throws(TaskCoreError) -> TaskRecord {
        try await forward.retryTask(id, resetAttempts: resetAttempts, now: now)
    }
    func reportProgress(_ id: TaskID, token: Int64, progress: Int, now: Date) async throws(TaskCoreError) {
        try await forward.reportProgress(id, token: token, progress: progress, now: now)
    }
    func renewLease(_ id: TaskID, token: Int64, until: Date, now: Date) async throws(TaskCoreError)
        -> LeaseRenewal
    { try await forward.renewLease(id, token: token, until: until, now: now) }
    func recoverExpiredLeases(now: Date) async throws(TaskCoreError) -> [TaskRecord] {
        try await forward.recoverExpiredLeases(now: now)
    }
    func appendLog(_ id: TaskID, token: Int64?, level: TaskLogEntry.Level, message: String, now: Date)
        async throws(TaskCoreError)
    { try await forward.appendLog(id, token: token, level: level, message: message, now: now) }
    func logs(_ id: TaskID, limit: Int) async throws(TaskCoreError) -> [TaskLogEntry] {
        try await forward.logs(id, limit: limit)
    }
    func stats() async throws(TaskCoreError) -> TaskStats { try await forward.stats() }
    func nextReadyTime(types: Set<String>) async throws(TaskCoreError) -> Date? {
        try await forward.nextReadyTime(types: types)
    }
    func createJob(_ draft: NewJob, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        try await forward.createJob(draft, now: now)
    }
    func job(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob { try await forward.job(id) }
    func listJobs() async throws(TaskCoreError) -> [ScheduledJob] { try await forward.listJobs() }
    func updateJob(_ id: JobID, _ update: JobUpdate, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        try await forward.updateJob(id, update, now: now)
    }
    func deleteJob(_ id: JobID) async throws(TaskCoreError) { try await forward.deleteJob(id) }
    func pauseJob(_ id: JobID, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        try await forward.pauseJob(id, now: now)
    }
    func resumeJob(_ id: JobID, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        try await forward.resumeJob(id, now: now)
    }
    func triggerJob(_ id: JobID, now: Date) async throws(TaskCoreError) -> TaskRecord {
        try await forward.triggerJob(id, now: now)
    }
    func fireDueJobs(now: Date, limit: Int, misfireGrace: Duration) async throws(TaskCoreError) -> [JobFiring] {
        try await forward.fireDueJobs(now: now, limit: limit, misfireGrace: misfireGrace)
    }
    func nextJobFireTime() async throws(TaskCoreError) -> Date? { try await forward.nextJobFireTime() }
}
