import Foundation
import TaskCore

/// A store that cannot be reached: every operation throws `storageFailure`.
struct FailingStore: TaskStore {
    private var down: TaskCoreError { TaskCoreError(code: .storageFailure, message: "store is down") }

    func createTask(_ draft: NewTask, now: Date) async throws(TaskCoreError) -> CreatedTask { throw down }
    func task(_ id: TaskID) async throws(TaskCoreError) -> TaskRecord { throw down }
    func listTasks(_ query: TaskQuery) async throws(TaskCoreError) -> TaskPage { throw down }
    func claimTasks(types: Set<String>, worker: WorkerID, limit: Int, leaseDuration: Duration, now: Date)
        async throws(TaskCoreError) -> [TaskRecord] { throw down }
    func completeTask(_ id: TaskID, token: Int64, result: JSONValue?, now: Date) async throws(TaskCoreError)
        -> TaskRecord { throw down }
    func failTask(_ id: TaskID, token: Int64, error: String, retryAt: Date?, now: Date)
        async throws(TaskCoreError) -> TaskRecord { throw down }
    func cancelTask(_ id: TaskID, now: Date) async throws(TaskCoreError) -> TaskRecord { throw down }
    func releaseTask(_ id: TaskID, token: Int64, now: Date) async throws(TaskCoreError) -> TaskRecord { throw down }
    func retryTask(_ id: TaskID, resetAttempts: Bool, now: Date) async throws(TaskCoreError) -> TaskRecord {
        throw down
    }
    func reportProgress(_ id: TaskID, token: Int64, progress: Int, now: Date) async throws(TaskCoreError) {
        throw down
    }
    func renewLease(_ id: TaskID, token: Int64, until: Date, now: Date) async throws(TaskCoreError)
        -> LeaseRenewal { throw down }
    func recoverExpiredLeases(now: Date) async throws(TaskCoreError) -> [TaskRecord] { throw down }
    func appendLog(_ id: TaskID, token: Int64?, level: TaskLogEntry.Level, message: String, now: Date)
        async throws(TaskCoreError) { throw down }
    func logs(_ id: TaskID, limit: Int) async throws(TaskCoreError) -> [TaskLogEntry] { throw down }
    func stats() async throws(TaskCoreError) -> TaskStats { throw down }
    func nextReadyTime(types: Set<String>) async throws(TaskCoreError) -> Date? { throw down }
    func createJob(_ draft: NewJob, now: Date) async throws(TaskCoreError) -> ScheduledJob { throw down }
    func job(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob { throw down }
    func listJobs() async throws(TaskCoreError) -> [ScheduledJob] { throw down }
    func updateJob(_ id: JobID, _ update: JobUpdate, now: Date) async throws(TaskCoreError) -> ScheduledJob {
        throw down
    }
    func deleteJob(_ id: JobID) async throws(TaskCoreError) { throw down }
    func pauseJob(_ id: JobID, now: Date) async throws(TaskCoreError) -> ScheduledJob { throw down }
    func resumeJob(_ id: JobID, now: Date) async throws(TaskCoreError) -> ScheduledJob { throw down }
    func triggerJob(_ id: JobID, now: Date) async throws(TaskCoreError) -> TaskRecord { throw down }
    func fireDueJobs(now: Date, limit: Int, misfireGrace: Duration) async throws(TaskCoreError) -> [JobFiring] {
        throw down
    }
    func nextJobFireTime() async throws(TaskCoreError) -> Date? { throw down }
}
