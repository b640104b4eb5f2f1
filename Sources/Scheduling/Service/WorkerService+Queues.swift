import Foundation
public import TaskCore

/// Queues and flow control through the service (API.md section 5).
extension WorkerService {
    /// What this service's pool claims: its handled types, its queues, its aging.
    func claimFilter(types: Set<String>) -> ClaimFilter {
        let clock = self.clock
        return ClaimFilter(
            types: types, queues: configuration.queues, priorityAging: configuration.priorityAging,
            currentTime: { clock.now })
    }

    /// The store's flow-control ability, or `invalidArgument` when it has none.
    private func requireFlowStore() throws(TaskCoreError) -> any TaskStoreFlowControl {
        guard let flowStore else {
            throw TaskCoreError(code: .invalidArgument, message: "This store does not support queue settings")
        }
        return flowStore
    }

    /// Every queue that has a task or a setting, by name.
    /// - Throws: the store's error.
    public func listQueues() async throws(TaskCoreError) -> [QueueInfo] {
        try await requireFlowStore().listQueues(now: clock.now)
    }

    /// One queue (defaults when it has neither tasks nor settings).
    /// - Throws: `invalidArgument` for an invalid name.
    public func queue(_ name: String) async throws(TaskCoreError) -> QueueInfo {
        try await requireFlowStore().queue(name, now: clock.now)
    }

    /// Changes some settings of a queue; workers look again at once (a raised limit or a resume
    /// may make tasks claimable).
    /// - Throws: `invalidArgument` for an invalid name or value.
    public func updateQueue(_ name: String, _ update: QueueUpdate) async throws(TaskCoreError) -> QueueInfo {
        let queue = try await requireFlowStore().updateQueue(name, update, now: clock.now)
        poolWake.signal()
        publish(queue)
        return queue
    }
}
