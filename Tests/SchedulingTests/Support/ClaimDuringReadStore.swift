import Foundation
import TaskCore

/// An in-memory store (with workflows) that puts the pool's claim of a dependent between the
/// follow-up read of it (which its dependency's completion made ready) and the publish of what was
/// read: after a completion the next claim waits until that read has happened, and the read returns
/// only once the dependent is claimed.
final class ClaimDuringReadStore: ForwardingWorkflowStore {
    let inner = InMemoryTaskStore()
    var base: any TaskStore { inner }
    var workflowBase: any TaskStoreWorkflows { inner }
    private let read = Gate()
    private let claimed = Gate()
    private let claimWaitsForRead = Locked(false)

    func completeTask(_ id: TaskID, token: Int64, result: JSONValue?, now: Date) async throws(TaskCoreError)
        -> TaskRecord
    {
        let done = try await inner.completeTask(id, token: token, result: result, now: now)
        claimWaitsForRead.update { $0 = true }
        return done
    }

    func listTasks(_ query: TaskQuery) async throws(TaskCoreError) -> TaskPage {
        let page = try await inner.listTasks(query)
        if query.dependsOn != nil, page.tasks.contains(where: { $0.status == .pending }) {
            read.open()
            await claimed.wait()
        }
        return page
    }

    func claimTasks(types: Set<String>, worker: WorkerID, limit: Int, leaseDuration: Duration, now: Date)
        async throws(TaskCoreError) -> [TaskRecord]
    {
        if claimWaitsForRead.update({ waits in defer { waits = false }; return waits }) { await read.wait() }
        let tasks = try await inner.claimTasks(
            types: types, worker: worker, limit: limit, leaseDuration: leaseDuration, now: now)
        if tasks.contains(where: { !$0.dependsOn.isEmpty }) { claimed.open() }
        return tasks
    }
}
