import Foundation
import TaskCore

/// An in-memory store (with workflows) whose first read of a task's dependency results fails, as
/// when a PostgreSQL backend is terminated in the middle of it.
final class FailingDependencyReadStore: ForwardingWorkflowStore {
    let inner = InMemoryTaskStore()
    var base: any TaskStore { inner }
    var workflowBase: any TaskStoreWorkflows { inner }
    private let failed = Locked(false)

    func dependencyResults(_ id: TaskID) async throws(TaskCoreError) -> [TaskID: JSONValue?] {
        if !failed.update({ done in defer { done = true }; return done }) {
            throw TaskCoreError(code: .storageFailure, message: "PostgreSQL: terminating connection due to administrator command")
        }
        return try await inner.dependencyResults(id)
    }
}
