import Foundation
import TaskCore

/// An in-memory store whose `createTask` returns only after the pool has claimed the new task: the
/// moment, on a busy pool, between the store's insert and the creator's publish. The insert
/// notifies, as another process's PostgreSQL NOTIFY would, so an idle pool claims at once.
final class ClaimBeforeReturnStore: TaskStoreNotifying, ForwardingStore {
    let inner = InMemoryTaskStore()
    var base: any TaskStore { inner }
    private let ready = AsyncStream<Void>.makeStream()
    private let claimed = Gate()

    func readyNotifications() -> AsyncStream<Void> { ready.stream }

    func createTask(_ draft: NewTask, now: Date) async throws(TaskCoreError) -> CreatedTask {
        let created = try await inner.createTask(draft, now: now)
        ready.continuation.yield()
        await claimed.wait()
        return created
    }

    func claimTasks(types: Set<String>, worker: WorkerID, limit: Int, leaseDuration: Duration, now: Date)
        async throws(TaskCoreError) -> [TaskRecord]
    {
        let tasks = try await inner.claimTasks(
            types: types, worker: worker, limit: limit, leaseDuration: leaseDuration, now: now)
        if !tasks.isEmpty { claimed.open() }
        return tasks
    }
}
