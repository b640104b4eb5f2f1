import Foundation
import Scheduling
import TaskCore
import WorkerAPI

/// The backend the gateway tests run against.
enum GatewayTestBackend {
    /// A fresh in-process backend: `WorkerService` over `InMemoryTaskStore`, on a manual clock
    /// (2026-11-29T00:00:00Z) so that `nextRun` and timestamps are predictable. No worker pool runs.
    static func make() -> any WorkerBackend {
        let service = WorkerService(
            store: InMemoryTaskStore(), clock: ManualClock(start: Date(timeIntervalSince1970: 1_795_910_400)))
        return GatewayServiceBackend(service: service)
    }
}

/// `WorkerService` seen as a ``WorkerBackend`` (forwarding each call), so these tests do not depend
/// on where the library declares that conformance.
struct GatewayServiceBackend: WorkerBackend {
    let service: WorkerService

    func createTask(_ draft: NewTask) async throws(TaskCoreError) -> CreatedTask { try await service.createTask(draft) }
    func listTasks(_ query: TaskQuery) async throws(TaskCoreError) -> TaskPage { try await service.listTasks(query) }
    func task(_ id: TaskID) async throws(TaskCoreError) -> TaskRecord { try await service.task(id) }
    func retryTask(_ id: TaskID, resetAttempts: Bool) async throws(TaskCoreError) -> TaskRecord {
        try await service.retryTask(id, resetAttempts: resetAttempts)
    }
    func cancelTask(_ id: TaskID) async throws(TaskCoreError) -> TaskRecord { try await service.cancelTask(id) }
    func taskLogs(_ id: TaskID, limit: Int) async throws(TaskCoreError) -> [TaskLogEntry] {
        try await service.taskLogs(id, limit: limit)
    }
    func taskStats() async throws(TaskCoreError) -> TaskStats { try await service.taskStats() }
    func createJob(_ draft: NewJob) async throws(TaskCoreError) -> ScheduledJob { try await service.createJob(draft) }
    func listJobs() async throws(TaskCoreError) -> [ScheduledJob] { try await service.listJobs() }
    func job(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob { try await service.job(id) }
    func updateJob(_ id: JobID, _ update: JobUpdate) async throws(TaskCoreError) -> ScheduledJob {
        try await service.updateJob(id, update)
    }
    func pauseJob(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob { try await service.pauseJob(id) }
    func resumeJob(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob { try await service.resumeJob(id) }
    func triggerJob(_ id: JobID) async throws(TaskCoreError) -> TaskRecord { try await service.triggerJob(id) }
    func deleteJob(_ id: JobID) async throws(TaskCoreError) { try await service.deleteJob(id) }
    func isHealthy() async -> Bool { await service.isHealthy() }
}
