public import TaskCore
import Synchronization

extension WorkerService {
    /// Creates a task, or returns the unfinished task that already has `draft.uniqueKey`, and
    /// wakes the pool.
    /// - Parameter draft: the task to create.
    /// - Returns: the task and whether it was created.
    /// - Throws: `invalidArgument` naming the field for a bad draft; the store's errors.
    public func createTask(_ draft: NewTask) async throws(TaskCoreError) -> CreatedTask {
        try draft.validate()
        let created = try await publishingCreated({ () async throws(TaskCoreError) in
            try await store.createTask(draft, now: clock.now)
        }) { $0.created ? [$0.task] : [] }
        if created.created { poolWake.signal() }
        return created
    }

    /// A page of tasks, newest first.
    /// - Parameter query: filter and page.
    /// - Returns: the page with the total count.
    /// - Throws: `invalidArgument` for a limit or offset out of range.
    public func listTasks(_ query: TaskQuery) async throws(TaskCoreError) -> TaskPage {
        try query.validate()
        return try await store.listTasks(query)
    }

    /// One task.
    /// - Throws: `notFound`.
    public func task(_ id: TaskID) async throws(TaskCoreError) -> TaskRecord {
        try await store.task(id)
    }

    /// Runs a failed or cancelled task again (it becomes pending, ready now) and wakes the pool.
    /// - Parameters:
    ///   - id: the task.
    ///   - resetAttempts: `true` grants a full new set of attempts; `false` exactly one more.
    /// - Returns: the task as it is now.
    /// - Throws: `invalidTransition` from other statuses; `notFound`.
    public func retryTask(_ id: TaskID, resetAttempts: Bool) async throws(TaskCoreError) -> TaskRecord {
        let task = try await publishingCreated({ () async throws(TaskCoreError) in
            try await store.retryTask(id, resetAttempts: resetAttempts, now: clock.now)
        }) { [$0] }
        poolWake.signal()
        return task
    }

    /// Cancels a pending, retrying or processing task. A handler running it in this service is
    /// cancelled at once (its outcome is discarded); one in another process notices at its next
    /// lease renewal.
    /// - Returns: the cancelled task.
    /// - Throws: `invalidTransition` ("Cannot cancel task 7: status is completed"); `notFound`.
    public func cancelTask(_ id: TaskID) async throws(TaskCoreError) -> TaskRecord {
        let task = try await store.cancelTask(id, now: clock.now)
        publish(task)
        interruptLocally(id, .cancelled)
        // Dependents with policy `run` may have become ready.
        if hasWorkflows { poolWake.signal() }
        return task
    }

    /// The first `limit` lines of a task's log, oldest first.
    /// - Throws: `invalidArgument` for a limit out of 1...1000; `notFound`.
    public func taskLogs(_ id: TaskID, limit: Int) async throws(TaskCoreError) -> [TaskLogEntry] {
        guard (1...1000).contains(limit) else {
            throw .invalidArgument("limit", "limit: \(limit) is out of range 1-1000")
        }
        return try await store.logs(id, limit: limit)
    }

    /// Counts per status and per type, and the mean duration of completed tasks.
    /// - Throws: the store's errors.
    public func taskStats() async throws(TaskCoreError) -> TaskStats {
        try await store.stats()
    }

    /// Whether the store answers.
    public func isHealthy() async -> Bool {
        do {
            _ = try await store.nextJobFireTime()
            return true
        } catch {
            return false
        }
    }
}
