public import Scheduling
public import TaskCore

extension WorkerBackend {
    /// The error of a backend without workflows.
    private var unsupported: TaskCoreError {
        TaskCoreError(code: .unavailable, message: "This backend does not support batches and bulk operations")
    }

    public func createBatch(_ tasks: [NewTask], callback: NewTask?) async throws(TaskCoreError) -> BatchRecord {
        throw unsupported
    }

    public func batch(_ id: BatchID) async throws(TaskCoreError) -> BatchRecord { throw unsupported }

    public func listBatches(limit: Int, offset: Int) async throws(TaskCoreError) -> BatchPage { throw unsupported }

    public func cancelBatch(_ id: BatchID) async throws(TaskCoreError) -> BatchRecord { throw unsupported }

    public func bulkTasks(_ action: BulkAction, filter: TaskQuery, dryRun: Bool, resetAttempts: Bool)
        async throws(TaskCoreError) -> BulkResult
    {
        throw unsupported
    }
}
