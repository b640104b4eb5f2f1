public import TaskCore
public import Scheduling

/// Everything the REST router and the GraphQL gateway ask of a worker service.
///
/// Two implementations: in-process (`WorkerService` of the Scheduling library conforms directly)
/// and remote (`RemoteWorkerBackend`, an HTTP client to another process's REST API, which reports an
/// unreachable worker as ``TaskCoreError/Code/unavailable`` "Worker Service is unavailable").
/// Errors are ``TaskCoreError``s: `notFound` maps to 404, `invalidArgument`, `invalidCron` and
/// `invalidTransition` to 400.
public protocol WorkerBackend: Sendable {
    /// Creates a task (or returns the unfinished one with the same `uniqueKey`).
    func createTask(_ draft: NewTask) async throws(TaskCoreError) -> CreatedTask
    /// A page of tasks, newest first.
    func listTasks(_ query: TaskQuery) async throws(TaskCoreError) -> TaskPage
    /// One task.
    func task(_ id: TaskID) async throws(TaskCoreError) -> TaskRecord
    /// Runs a failed or cancelled task again.
    func retryTask(_ id: TaskID, resetAttempts: Bool) async throws(TaskCoreError) -> TaskRecord
    /// Cancels a pending, retrying or processing task.
    func cancelTask(_ id: TaskID) async throws(TaskCoreError) -> TaskRecord
    /// The first `limit` log lines of a task, oldest first.
    func taskLogs(_ id: TaskID, limit: Int) async throws(TaskCoreError) -> [TaskLogEntry]
    /// Counts per status and per type.
    func taskStats() async throws(TaskCoreError) -> TaskStats

    /// Creates a cron job.
    func createJob(_ draft: NewJob) async throws(TaskCoreError) -> ScheduledJob
    /// All jobs, by id.
    func listJobs() async throws(TaskCoreError) -> [ScheduledJob]
    /// One job.
    func job(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob
    /// Changes some fields of a job (a new schedule or zone recomputes `nextRun`).
    func updateJob(_ id: JobID, _ update: JobUpdate) async throws(TaskCoreError) -> ScheduledJob
    /// Pauses a job (idempotent).
    func pauseJob(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob
    /// Resumes a job (idempotent); `nextRun` is computed from now.
    func resumeJob(_ id: JobID) async throws(TaskCoreError) -> ScheduledJob
    /// Enqueues a job's task now, off schedule.
    func triggerJob(_ id: JobID) async throws(TaskCoreError) -> TaskRecord
    /// Deletes a job.
    func deleteJob(_ id: JobID) async throws(TaskCoreError)

    // Dashboard (issue 16): the throughput series.
    /// Created, completed and failed tasks per bucket over the last `minutes` (see `TimeseriesWindow`).
    func taskTimeseries(minutes: Int, bucketSeconds: Int) async throws(TaskCoreError) -> TaskTimeseries

    /// Whether the backend's store (or, for a remote backend, the worker service) answers.
    func isHealthy() async -> Bool

    /// Every queue that has a task or a setting, by name.
    func listQueues() async throws(TaskCoreError) -> [QueueInfo]
    /// One queue (defaults when unknown); `invalidArgument` for an invalid name.
    func queue(_ name: String) async throws(TaskCoreError) -> QueueInfo
    /// Changes some settings of a queue (pause and resume too).
    func updateQueue(_ name: String, _ update: QueueUpdate) async throws(TaskCoreError) -> QueueInfo
    // MARK: Workflows (contract sections 6 and 7; defaults in WorkerBackend+Workflows.swift)

    /// Creates a batch and its callback in one atomic step (`POST /api/batches`).
    func createBatch(_ tasks: [NewTask], callback: NewTask?) async throws(TaskCoreError) -> BatchRecord
    /// One batch with live counts.
    func batch(_ id: BatchID) async throws(TaskCoreError) -> BatchRecord
    /// A page of batches, newest first.
    func listBatches(limit: Int, offset: Int) async throws(TaskCoreError) -> BatchPage
    /// Cancels every unfinished task of a batch.
    func cancelBatch(_ id: BatchID) async throws(TaskCoreError) -> BatchRecord
    /// Applies a bulk action to the tasks matching `filter`.
    func bulkTasks(_ action: BulkAction, filter: TaskQuery, dryRun: Bool, resetAttempts: Bool)
        async throws(TaskCoreError) -> BulkResult
}
