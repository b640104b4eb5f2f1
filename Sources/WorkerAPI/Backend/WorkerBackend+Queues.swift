public import TaskCore

/// Defaults for backends without queues (test doubles, older embedders): every queue call is a
/// 400 saying so. ``RemoteWorkerBackend`` and `WorkerService` implement them for real.
extension WorkerBackend {
    public func listQueues() async throws(TaskCoreError) -> [QueueInfo] { throw Self.noQueues }
    public func queue(_ name: String) async throws(TaskCoreError) -> QueueInfo { throw Self.noQueues }
    public func updateQueue(_ name: String, _ update: QueueUpdate) async throws(TaskCoreError) -> QueueInfo {
        throw Self.noQueues
    }

    private static var noQueues: TaskCoreError {
        TaskCoreError(code: .invalidArgument, message: "This worker backend does not support queues")
    }
}
