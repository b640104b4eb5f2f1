import Foundation
import TaskCore

/// An in-memory store that also notifies, as PostgreSQL's LISTEN/NOTIFY would: `notify()` stands in
/// for another process's enqueue.
final class NotifyingStore: TaskStoreNotifying {
    let inner = InMemoryTaskStore()
    private let stream = AsyncStream<Void>.makeStream()

    func readyNotifications() -> AsyncStream<Void> { stream.stream }
    func notify() { stream.continuation.yield() }

    func createTask(_ draft: NewTask, now: Date) async throws(TaskCoreError) -> CreatedTask {
        try await inner.createTask(draft, now: now)
    }
    func task(_ id: TaskID) async throws(TaskCoreError) -> TaskRecord { try await inner.task(id) }
    func listTasks(_ query: TaskQuery) async throws(TaskCoreError) -> TaskPage { try await inner.listTasks(query) }
    func claimTasks(types: Set<String>, worker: WorkerID, limit: Int, leaseDuration: Duration, now: Date)
        async throws(TaskCoreError) -> [TaskRecord]
    {
        try await inner.claimTasks(types: types, worker: worker, limit: limit, leaseDuration: leaseDuration, now: now)
    }
    func completeTask(_ id: TaskID, token: Int64, result: JSONValue?, now: Date) async throws(TaskCoreError)
        -> TaskRecord
    { try await inner.completeTask(id, token: token, result: result, now: now) }
    func failTask(_ id: TaskID, token: Int64, error: String, retryAt: Date?, now: Date)
        async throws(TaskCoreError) -> TaskRecord
    { try await inner.failTask(id, token: token, error: error, retryAt: retryAt, now: now) }
    func cancelTask(_ id: TaskID, now: Date) async throws(TaskCoreError) -> TaskRecord {
        try await inner.cancelTask(id, now: now)
    }
    func releaseTask(_ id: TaskID, token: Int64, now: Date) async throws(TaskCoreError) -> TaskRecord {
        try await inner.releaseTask(id, token: token, now: now)
    }
    func retryTask(_ id: TaskID, resetAttempts: Bool, now: Date) async throws(TaskCoreError) -> TaskRecord {
        try await inner.retryTask(id, resetAttempts: resetAttempts, now: now)
    }
    func reportProgress(_ id: TaskID, token: Int64, progress: Int, now: Date) async throws(TaskCoreError) {
        try await inner.reportProgress(id, token: token, progress: progress, now: now)
    }
    func renewLease(_ id: TaskID, token: Int64, until: Date, now: Date) async throws(TaskCoreError)
        -> LeaseRenewal
    { try await inner.renewLease(id, token: token, until: until, now: now) }
    func recoverExpiredLeases(now: Date) async throws(TaskCoreError) -> [TaskRecord] {
        try await inner.recoverExpiredLeases(now: now)
    }
    func appendLog(_ id: TaskID, token: Int64?, level: TaskLogEntry.Level, message: String, now: Date)
        async throws(TaskCoreError)
    { try await inner.appendLog(id, token: token, level: level, message: message, now: now) }
    func logs(_ id: TaskID, limit: Int) async throws(TaskCoreError) -> [TaskLogEntry] {
        try await inner.logs(id, limit: limit)
    }
    func stats() async throws(TaskCoreError) -> TaskStats { try await inner.stats() }
    func nextReadyTime(types: Set<String>) async throws(TaskCoreError) -> Date? {
        try await inner.nextReadyTime(types: types)
    }
    func createJob(_ draft: NewJob, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        try await inner.createJob(draft, now: now)
    }
    func job(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob { try await inner.job(id) }
    func listJobs() async throws(TaskCoreError) -> [ScheduledJob] { try await inner.listJobs() }
    func updateJob(_ id: JobID, _ update: JobUpdate, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        try await inner.updateJob(id, update, now: now)
    }
    func deleteJob(_ id: JobID) async throws(TaskCoreError) { try await inner.deleteJob(id) }
    func pauseJob(_ id: JobID, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        try await inner.pauseJob(id, now: now)
    }
    func resumeJob(_ id: JobID, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        try await inner.resumeJob(id, now: now)
    }
    func triggerJob(_ id: JobID, now: Date) async throws(TaskCoreError) -> TaskRecord {
        try await inner.triggerJob(id, now: now)
    }
    func fireDueJobs(now: Date, limit: Int, misfireGrace: Duration) async throws(TaskCoreError) -> [JobFiring] {
        try await inner.fireDueJobs(now: now, limit: limit, misfireGrace: misfireGrace)
    }
    func nextJobFireTime() async throws(TaskCoreError) -> Date? { try await inner.nextJobFireTime() }
}
