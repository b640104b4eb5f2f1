import TaskCore
import WorkerAPI

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
