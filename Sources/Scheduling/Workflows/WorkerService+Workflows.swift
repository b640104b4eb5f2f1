public import TaskCore

/// A bulk action on tasks (`POST /api/tasks/bulk`).
public enum BulkAction: String, CaseIterable, Hashable, Sendable {
    case retry, cancel, delete

    /// Parses `retry`, `cancel` or `delete` in any case.
    /// - Throws: `invalidArgument` naming `field` and the value.
    public init(parsing text: some StringProtocol, field: String = "action") throws(TaskCoreError) {
        guard let action = BulkAction(rawValue: text.lowercased()) else {
            throw .invalidArgument(field, "\(field): unknown value '\(text)', expected one of retry, cancel, delete")
        }
        self = action
    }

    /// Whether a task in `status` can take this action (others are skipped).
    public func applies(to status: TaskStatus) -> Bool {
        switch self {
        case .retry: status.allows(.manualRetry)
        case .cancel: status.allows(.cancel)
        case .delete: status.isFinal
        }
    }
}

/// What a bulk action did: tasks matched, changed, and skipped (their status did not allow it).
public struct BulkResult: Hashable, Sendable {
    public var matched: Int
    public var changed: Int
    public var skipped: Int
    public init(matched: Int = 0, changed: Int = 0, skipped: Int = 0) {
        self.matched = matched
        self.changed = changed
        self.skipped = skipped
    }
}

extension WorkerService {
    /// The store's workflow ability, or an error saying the store has none.
    func workflowStore() throws(TaskCoreError) -> any TaskStoreWorkflows {
        guard let store = store as? any TaskStoreWorkflows else {
            throw TaskCoreError(code: .storageFailure, message: "This store does not support batches and bulk operations")
        }
        return store
    }

    /// Creates every draft in one atomic step (all or nothing) and wakes the pool.
    /// - Throws: `invalidArgument` naming the element (`tasks[3].priority: ...`); the store's errors.
    public func createTasks(_ drafts: [NewTask]) async throws(TaskCoreError) -> [CreatedTask] {
        let store = try workflowStore()
        let created = try await publishingCreated({ () async throws(TaskCoreError) in
            try await store.createTasks(drafts, now: clock.now)
        }) { $0.filter(\.created).map(\.task) }
        if created.contains(where: \.created) { poolWake.signal() }
        return created
    }

    /// Creates a batch: up to 10,000 tasks and an optional callback that runs once after all of them
    /// are final, in one atomic step; wakes the pool.
    /// - Throws: `invalidArgument` naming the failing element; nothing is created then.
    public func createBatch(_ tasks: [NewTask], callback: NewTask?) async throws(TaskCoreError) -> BatchRecord {
        let store = try workflowStore()
        let ticket = publishOrder.open()
        let batch: BatchRecord
        do {
            batch = try await store.createBatch(tasks, callback: callback, now: clock.now)
        } catch {
            publishOrder.close(ticket) {}
            throw error
        }
        poolWake.signal()
        await publishCreated(batch, closing: ticket)
        return batch
    }

    /// One batch with live counts.
    /// - Throws: `notFound`.
    public func batch(_ id: BatchID) async throws(TaskCoreError) -> BatchRecord {
        try await workflowStore().batch(id)
    }

    /// A page of batches, newest first.
    /// - Throws: `invalidArgument` for a limit out of 1...1000 or a negative offset.
    public func listBatches(limit: Int, offset: Int) async throws(TaskCoreError) -> BatchPage {
        try await workflowStore().listBatches(limit: limit, offset: offset)
    }

    /// Cancels every unfinished task of a batch (the callback is left alone: it then runs).
    /// - Returns: the batch afterwards.
    /// - Throws: `notFound`.
    public func cancelBatch(_ id: BatchID) async throws(TaskCoreError) -> BatchRecord {
        let store = try workflowStore()
        let batch = try await store.batch(id)
        for taskID in batch.taskIds {
            do {
                _ = try await cancelTask(taskID)
            } catch where error.code == .invalidTransition || error.code == .notFound {
                // Final already (or cancelled by a cascade meanwhile).
            }
        }
        poolWake.signal()
        return try await store.batch(id)
    }

    /// The most tasks a bulk action reads and changes per step.
    public static var bulkChunkSize: Int { 500 }

    /// Applies `action` to every task matching `filter` (and in `filter.ids`, when set), in chunks
    /// of ``bulkChunkSize`` read newest first by id, each change its own atomic store step with its
    /// lifecycle log line, so that a bulk action over a million tasks never holds one long
    /// transaction nor stalls the workers.
    /// - Parameters:
    ///   - action: retry, cancel or delete (delete removes final tasks only, with their logs).
    ///   - filter: the search filters; its page fields are ignored.
    ///   - dryRun: change nothing, report what would change.
    ///   - resetAttempts: for retry, a full new set of attempts.
    /// - Throws: `invalidArgument` for an empty filter without ids.
    public func bulkTasks(_ action: BulkAction, filter: TaskQuery, dryRun: Bool, resetAttempts: Bool)
        async throws(TaskCoreError) -> BulkResult
    {
        guard filter.hasFilter || filter.ids != nil else {
            throw .invalidArgument(
                "filter", "filter: an empty filter without ids would match every task; give at least one filter or ids")
        }
        try filter.validateSearch()
        let store = try workflowStore()
        var query = filter
        query.limit = Self.bulkChunkSize
        query.offset = 0
        query.beforeID = nil
        var result = BulkResult()
        if let ids = filter.ids, ids.isEmpty { return result }
        while true {
            let page = try await self.store.listTasks(query)
            result.matched += page.tasks.count
            var deletable: [TaskID] = []
            for task in page.tasks where action.applies(to: task.status) {
                if dryRun {
                    result.changed += 1
                    continue
                }
                switch action {
                case .delete:
                    deletable.append(task.id)
                case .cancel:
                    do {
                        _ = try await cancelTask(task.id)
                        result.changed += 1
                    } catch where error.code == .invalidTransition {}
                case .retry:
                    do {
                        _ = try await publishingCreated({ () async throws(TaskCoreError) in
                            try await self.store.retryTask(task.id, resetAttempts: resetAttempts, now: clock.now)
                        }) { [$0] }
                        result.changed += 1
                    } catch where error.code == .invalidTransition {}
                }
            }
            if !deletable.isEmpty { result.changed += try await store.deleteFinalTasks(deletable).count }
            guard page.tasks.count == query.limit, let last = page.tasks.last else { break }
            query.beforeID = last.id
            await Task.yield()
        }
        result.skipped = result.matched - result.changed
        if action == .retry, result.changed > 0, !dryRun { poolWake.signal() }
        return result
    }

    /// The results of a task's dependencies, by id (`nil` for one without a result).
    /// - Throws: `storageFailure` when the store cannot read them: the attempt then fails (and is
    ///   retried) without running its handler, which would otherwise see no results at all (a batch
    ///   callback completed with empty results when a backend was terminated mid-read, torture seed 1018).
    func dependencyResults(of task: TaskRecord) async throws(TaskCoreError) -> [TaskID: JSONValue?] {
        guard !task.dependsOn.isEmpty, let store = store as? any TaskStoreWorkflows else { return [:] }
        do {
            return try await store.dependencyResults(task.id)
        } catch {
            events.emit(.storeError(operation: "dependencyResults(task \(task.id))", error: error))
            throw TaskCoreError(
                code: .storageFailure, message: "could not read the results of its dependencies: \(error.message)")
        }
    }
}

extension WorkerService {
    /// Publishes the tasks a batch created (its callback too), oldest first, then the batch, and
    /// returns the create's ticket (see ``PublishOrder``).
    func publishCreated(_ batch: BatchRecord, closing ticket: PublishOrder.Ticket) async {
        // Reading 10,000 tasks back is for listeners only.
        guard changes.isRecording else {
            metrics.recordEvents(batch.taskIds.count + (batch.callbackTaskId == nil ? 0 : 1))
            publishOrder.close(ticket) { changes.publish(.batch(batch)) }
            return
        }
        var query = TaskQuery(limit: TaskQuery.limitRange.upperBound)
        query.batchId = batch.id
        var created: [TaskRecord] = []
        while let page = try? await store.listTasks(query), !page.tasks.isEmpty {
            created += page.tasks
            query.offset += page.tasks.count
            if query.offset >= page.total { break }
        }
        publishOrder.close(ticket) {
            for task in created.reversed() {
                metrics.recordChange(task)
                changes.publish(.task(task))
            }
            changes.publish(.batch(batch))
        }
    }
}
