public import Foundation

/// Dependencies and batches of an ``InMemoryTaskStore``, only ever touched under the store's lock.
struct WorkflowState {
    /// "`dependent` waits for `dependency`".
    struct Edge: Hashable {
        var dependent: Int64
        var dependency: Int64
    }

    /// One batch.
    struct Batch {
        var taskIds: [Int64]
        var callback: Int64?
        var createdAt: Date
    }

    /// Dependency id → the tasks that depend on it, in creation order.
    var dependents: [Int64: [Int64]] = [:]
    /// Blocked task → how many of its dependencies are not yet satisfied.
    var open: [Int64: Int] = [:]
    /// The satisfied edges of blocked tasks.
    var resolved: Set<Edge> = []
    /// Batches by id - 1.
    var batches: [Batch] = []
}

extension InMemoryStoreState {
    // MARK: Creation

    /// Whether task `id` exists (and was not deleted).
    func exists(_ id: TaskID) -> Bool {
        let index = slotIndex(id.rawValue)
        return id.rawValue >= baseID && index >= 0 && index < slots.count && !slots[index].deleted
    }

    /// Checks that every dependency of `draft` exists; `callback` is the id a batch's callback will get.
    func checkDependencies(_ draft: NewTask, callback: Int64? = nil) throws(TaskCoreError) {
        for dependency in draft.dependsOn where !exists(dependency) {
            if let callback, dependency.rawValue == callback { throw NewTask.dependsOnOwnCallback(dependency) }
            throw NewTask.unknownDependency(dependency)
        }
    }

    /// The dependency state of a task with `dependsOn` and `policy`, from the current statuses.
    func dependencyState(_ dependsOn: [TaskID], policy: DependencyFailurePolicy) -> DependencyState {
        DependencyState.of(dependsOn.lazy.map { id in (id: id, status: self.dependencyStatus(id)) }, policy: policy)
    }

    /// The status of a dependency: a deleted or pruned one was final and counts as completed, as
    /// in the SQLite and PostgreSQL stores (its slot may be gone: ``dropLeadingTombstones()``).
    func dependencyStatus(_ id: TaskID) -> TaskStatus {
        exists(id) ? slots[slotIndex(id.rawValue)].record.status : .completed
    }

    /// Puts a task just inserted as `pending` (not yet queued) with dependencies into its place:
    /// `blocked`, `cancelled`, or left pending. Returns whether the task is ready to be queued.
    mutating func placeWithDependencies(at index: Int, now: Date) -> Bool {
        let record = slots[index].record
        let id = record.id.rawValue
        for dependency in record.dependsOn { workflow.dependents[dependency.rawValue, default: []].append(id) }
        switch dependencyState(record.dependsOn, policy: record.onDependencyFailure) {
        case .ready:
            return true
        case .waiting(let open):
            setInitialStatus(.blocked, at: index)
            workflow.open[id] = open
            for dependency in record.dependsOn {
                let status = dependencyStatus(dependency)
                if status.isFinal, record.onDependencyFailure.isSatisfied(by: status) {
                    workflow.resolved.insert(.init(dependent: id, dependency: dependency.rawValue))
                }
            }
            log(at: index, .info, .message(LifecycleMessage.blocked(open: open)), now: now, attempt: nil)
            return false
        case .doomed(let dependency, let status):
            setInitialStatus(.cancelled, at: index)
            let error = DependencyState.cancellationError(dependency: dependency, status: status)
            slots[index].record.error = error
            slots[index].record.completedAt = now
            if let key = record.uniqueKey, uniqueKeys[key] == id { uniqueKeys[key] = nil }
            log(at: index, .warn, .message(LifecycleMessage.cancelledByDependency(error)), now: now, attempt: nil)
            return false
        }
    }

    /// Sets the status of a task being created (not a transition: the task had no status yet).
    private mutating func setInitialStatus(_ status: TaskStatus, at index: Int) {
        let old = slots[index].record.status
        slots[index].record.status = status
        counts[old] -= 1
        counts[status] += 1
        types[slots[index].typeIndex].counts[old] -= 1
        types[slots[index].typeIndex].counts[status] += 1
        queues[slots[index].queueIndex].counts[old] -= 1
        queues[slots[index].queueIndex].counts[status] += 1
    }

    /// Validates drafts that will be inserted in order from the next id on: each draft's own rules,
    /// and dependencies that exist or are earlier drafts of the same call.
    func validateDrafts(_ drafts: [NewTask], elementPrefix: String, callback: Int64?) throws(TaskCoreError) {
        let first = taskID(at: slots.count)
        for (position, draft) in drafts.enumerated() {
            let path = "\(elementPrefix)[\(position)]"
            do throws(TaskCoreError) {
                try draft.validate()
                let own = first + Int64(position)
                for dependency in draft.dependsOn where !(dependency.rawValue >= first && dependency.rawValue < own) {
                    guard exists(dependency) else {
                        if let callback, dependency.rawValue == callback { throw NewTask.dependsOnOwnCallback(dependency) }
                        throw NewTask.unknownDependency(dependency)
                    }
                }
            } catch {
                throw error.inElement(path)
            }
        }
    }

    /// Creates every draft, all or nothing.
    mutating func createTasks(_ drafts: [NewTask], now: Date) throws(TaskCoreError) -> [CreatedTask] {
        try validateDrafts(drafts, elementPrefix: "tasks", callback: nil)
        var created: [CreatedTask] = []
        created.reserveCapacity(drafts.count)
        for draft in drafts {
            if let key = draft.uniqueKey, let existing = uniqueKeys[key], !slots[slotIndex(existing)].deleted {
                created.append(CreatedTask(task: slots[slotIndex(existing)].record, created: false))
                continue
            }
            let index = insertTask(draft, now: now)
            created.append(CreatedTask(task: slots[index].record, created: true))
        }
        return created
    }

    // MARK: Settling dependents

    /// Settles the blocked dependents of a task that just became final, transitively: each one
    /// whose last dependency is now satisfied becomes `pending`; under policy `cancel`, one whose
    /// dependency failed or was cancelled is cancelled, and its own dependents are settled in turn.
    /// - Complexity: O(*d*) for *d* dependents reached.
    mutating func settleDependents(of id: TaskID, now: Date) {
        var stack = [id.rawValue]
        while let dependencyID = stack.popLast() {
            guard let list = workflow.dependents[dependencyID] else { continue }
            let status = slots[slotIndex(dependencyID)].record.status
            guard status.isFinal else { continue }
            for dependent in list {
                let index = slotIndex(dependent)
                guard index >= 0, index < slots.count, !slots[index].deleted,
                    slots[index].record.status == .blocked
                else { continue }
                let edge = WorkflowState.Edge(dependent: dependent, dependency: dependencyID)
                guard !workflow.resolved.contains(edge) else { continue }
                if slots[index].record.onDependencyFailure.isSatisfied(by: status) {
                    let open = (workflow.open[dependent] ?? 1) - 1
                    if open > 0 {
                        workflow.open[dependent] = open
                        workflow.resolved.insert(edge)
                        continue
                    }
                    forgetBlocking(at: index)
                    try? apply(.unblock, at: index)
                    slots[index].record.updatedAt = now
                    log(at: index, .info, .message(LifecycleMessage.unblocked), now: now, attempt: nil)
                    enqueue(at: index, now: now)
                } else {
                    forgetBlocking(at: index)
                    try? apply(.dependencyFailed, at: index)
                    let error = DependencyState.cancellationError(dependency: TaskID(dependencyID), status: status)
                    slots[index].record.error = error
                    slots[index].record.completedAt = now
                    slots[index].record.updatedAt = now
                    log(at: index, .warn, .message(LifecycleMessage.cancelledByDependency(error)), now: now, attempt: nil)
                    stack.append(dependent)
                }
            }
        }
    }

    /// Drops the blocking bookkeeping of a task that leaves `blocked`.
    mutating func forgetBlocking(at index: Int) {
        let id = taskID(at: index)
        workflow.open[id] = nil
        for dependency in slots[index].record.dependsOn {
            workflow.resolved.remove(.init(dependent: id, dependency: dependency.rawValue))
        }
    }

    /// A task that was final runs again: its blocked dependents that counted it as satisfied wait for it again.
    mutating func reopenDependents(of id: TaskID) {
        guard let list = workflow.dependents[id.rawValue] else { return }
        for dependent in list {
            let index = slotIndex(dependent)
            guard index >= 0, index < slots.count, !slots[index].deleted, slots[index].record.status == .blocked,
                workflow.resolved.remove(.init(dependent: dependent, dependency: id.rawValue)) != nil
            else { continue }
            workflow.open[dependent, default: 0] += 1
        }
    }

    /// The manual retry of a task with dependencies: `blocked` while a dependency is unfinished,
    /// refused when one failed or was cancelled under policy `cancel`. Returns `true` when the task
    /// was blocked (else the caller goes on with the ordinary retry to `pending`).
    mutating func retryWithDependencies(at index: Int, resetAttempts: Bool, now: Date) throws(TaskCoreError) -> Bool {
        let record = slots[index].record
        guard !record.dependsOn.isEmpty else { return false }
        switch dependencyState(record.dependsOn, policy: record.onDependencyFailure) {
        case .ready:
            return false
        case .doomed(let dependency, let status):
            _ = try record.status.applying(.manualRetry, to: record.id)
            throw DependencyState.retryRefused(record.id, dependency: dependency, status: status)
        case .waiting(let open):
            try apply(.manualRetryBlocked, at: index)
            if resetAttempts {
                slots[index].record.attempts = 0
            } else {
                slots[index].record.maxAttempts = slots[index].record.attempts + 1
            }
            slots[index].record.error = nil
            slots[index].record.result = nil
            slots[index].record.progress = nil
            slots[index].record.completedAt = nil
            slots[index].record.updatedAt = now
            slots[index].cancelledToken = nil
            workflow.open[record.id.rawValue] = open
            for dependency in record.dependsOn {
                let status = dependencyStatus(dependency)
                if status.isFinal {
                    workflow.resolved.insert(.init(dependent: record.id.rawValue, dependency: dependency.rawValue))
                }
            }
            log(at: index, .info, .message(LifecycleMessage.manualRetryBlocked(open: open)), now: now, attempt: nil)
            return true
        }
    }

    // MARK: Batches

    /// Creates a batch and its callback, all or nothing.
    mutating func createBatch(_ drafts: [NewTask], callback: NewTask?, now: Date) throws(TaskCoreError) -> BatchRecord {
        guard BatchLimits.taskCount.contains(drafts.count) else {
            throw .invalidArgument(
                "tasks", "tasks: \(drafts.count) tasks is out of range \(BatchLimits.taskCount.lowerBound)-\(BatchLimits.taskCount.upperBound)")
        }
        let first = taskID(at: slots.count)
        let callbackID = callback == nil ? nil : first + Int64(drafts.count)
        try validateDrafts(drafts, elementPrefix: "tasks", callback: callbackID)
        for (position, draft) in drafts.enumerated() where draft.uniqueKey != nil {
            throw TaskCoreError.invalidArgument("uniqueKey", "uniqueKey: not supported for the tasks of a batch")
                .inElement("tasks[\(position)]")
        }
        var callbackDraft = callback
        if var draft = callbackDraft {
            draft.dependsOn = []
            do throws(TaskCoreError) { try draft.validate() } catch { throw error.inElement("callback") }
            if let key = draft.uniqueKey, uniqueKeys[key] != nil {
                throw TaskCoreError.invalidArgument("uniqueKey", "uniqueKey: an unfinished task already has uniqueKey \(key)")
                    .inElement("callback")
            }
            callbackDraft = draft
        }
        let batchID = BatchID(Int64(workflow.batches.count + 1))
        var ids: [Int64] = []
        ids.reserveCapacity(drafts.count)
        // Two statements, not `taskID(at: insertTask(...))`: a non-mutating call whose argument
        // mutates `self` makes Swift copy the whole state first, once per task (10,000 tasks took
        // 20 s, quadratic in the batch size).
        for var draft in drafts {
            draft.batchId = batchID
            let index = insertTask(draft, now: now)
            ids.append(taskID(at: index))
        }
        var callbackTaskID: Int64?
        if var draft = callbackDraft {
            draft.dependsOn = ids.map(TaskID.init(rawValue:))
            draft.onDependencyFailure = .run
            draft.batchId = batchID
            let index = insertTask(draft, now: now)
            callbackTaskID = taskID(at: index)
        }
        workflow.batches.append(.init(taskIds: ids, callback: callbackTaskID, createdAt: now))
        return batchRecord(batchID)!
    }

    /// The batch with `id` and its live counts, or `nil`.
    func batchRecord(_ id: BatchID) -> BatchRecord? {
        guard id.rawValue >= 1, id.rawValue <= Int64(workflow.batches.count) else { return nil }
        let batch = workflow.batches[Int(id.rawValue - 1)]
        var counts = TaskStats.Counts()
        for status in TaskStatus.allCases { counts[status] = 0 }
        var finishedAt: Date?
        var allFinal = true
        for task in batch.taskIds {
            let index = slotIndex(task)
            guard index >= 0, index < slots.count, !slots[index].deleted else {
                counts[.cancelled] += 1  // a deleted task was final
                continue
            }
            let record = slots[index].record
            counts[record.status] += 1
            if record.status.isFinal, let completedAt = record.completedAt {
                finishedAt = max(finishedAt ?? completedAt, completedAt)
            } else if !record.status.isFinal {
                allFinal = false
            }
        }
        return BatchRecord(
            id: id, taskIds: batch.taskIds.map(TaskID.init(rawValue:)), callbackTaskId: batch.callback.map(TaskID.init(rawValue:)),
            counts: counts, createdAt: batch.createdAt, finishedAt: allFinal ? (finishedAt ?? batch.createdAt) : nil)
    }

    // MARK: Deletion

    /// Deletes the final tasks among `ids`, with their logs.
    mutating func deleteFinalTasks(_ ids: [TaskID]) -> [TaskID] {
        var deleted: [TaskID] = []
        for id in ids where exists(id) {
            let index = slotIndex(id.rawValue)
            let status = slots[index].record.status
            guard status.isFinal else { continue }
            counts[status] -= 1
            types[slots[index].typeIndex].counts[status] -= 1
            queues[slots[index].queueIndex].counts[status] -= 1
            if status == .completed, let startedAt = slots[index].record.startedAt,
                let completedAt = slots[index].record.completedAt
            {
                completedDurationCount -= 1
                completedDurationTotalMilliseconds -= completedAt.storeMilliseconds - startedAt.storeMilliseconds
            }
            makeTombstone(at: index)
            releaseTypeIfEmpty(slots[index].typeIndex)
            deleted.append(id)
        }
        // As pruning does: otherwise every deleted task kept its slot for good (issue 12, D4 repeated).
        dropLeadingTombstones()
        return deleted
    }
}

extension InMemoryTaskStore: TaskStoreWorkflows {
    public func createTasks(_ drafts: [NewTask], now: Date) async throws(TaskCoreError) -> [CreatedTask] {
        let now = now.truncatedToMilliseconds
        return try locked { (state) throws(TaskCoreError) in try state.createTasks(drafts, now: now) }
    }

    public func createBatch(_ tasks: [NewTask], callback: NewTask?, now: Date) async throws(TaskCoreError) -> BatchRecord {
        let now = now.truncatedToMilliseconds
        return try locked { (state) throws(TaskCoreError) in try state.createBatch(tasks, callback: callback, now: now) }
    }

    public func batch(_ id: BatchID) async throws(TaskCoreError) -> BatchRecord {
        try locked { (state) throws(TaskCoreError) in
            guard let batch = state.batchRecord(id) else { throw .batchNotFound(id) }
            return batch
        }
    }

    public func listBatches(limit: Int, offset: Int) async throws(TaskCoreError) -> BatchPage {
        try TaskQuery(limit: limit, offset: offset).validate()
        return try locked { (state) throws(TaskCoreError) in
            let total = state.workflow.batches.count
            var batches: [BatchRecord] = []
            var id = Int64(total) - Int64(offset)
            while id >= 1, batches.count < limit {
                if let batch = state.batchRecord(BatchID(id)) { batches.append(batch) }
                id -= 1
            }
            return BatchPage(batches: batches, total: total)
        }
    }

    public func deleteFinalTasks(_ ids: [TaskID]) async throws(TaskCoreError) -> [TaskID] {
        try locked { state in state.deleteFinalTasks(ids) }
    }

    public func dependencyResults(_ id: TaskID) async throws(TaskCoreError) -> [TaskID: JSONValue?] {
        try locked { (state) throws(TaskCoreError) in
            let record = state.slots[try state.index(of: id)].record
            var results: [TaskID: JSONValue?] = [:]
            for dependency in record.dependsOn {
                let result = state.exists(dependency) ? state.slots[state.slotIndex(dependency.rawValue)].record.result : nil
                results.updateValue(result, forKey: dependency)
            }
            return results
        }
    }
}
