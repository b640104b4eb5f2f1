public import Foundation
public import TaskCore

// Dependencies and batches (contract section 6), inside the transactions of SQLiteTaskStore.
extension SQLiteTaskStore {
    /// Records the workflow fields of a task just inserted as `pending` and puts it into its place:
    /// `blocked` (with its open count), `cancelled` (a dependency already failed under `cancel`),
    /// or left `pending`. `callback` is the id the batch's callback will get, to name that mistake.
    /// - Throws: `invalidArgument` for an unknown dependency (the transaction is then rolled back).
    func placeWorkflowTask(
        _ db: SQLiteConnection, _ task: TaskRecord, _ draft: NewTask, now: Int64, callback: Int64? = nil
    ) throws(TaskCoreError) -> TaskRecord {
        var statuses: [(id: TaskID, status: TaskStatus)] = []
        statuses.reserveCapacity(draft.dependsOn.count)
        let lookup = try db.statement("SELECT status FROM tasks WHERE id = ?1")
        for dependency in draft.dependsOn {
            let name = try lookup.bind(1, dependency.rawValue).firstRow { $0.string(0) }
            guard let name, dependency < task.id, let status = TaskStatus(rawValue: name) else {
                if let callback, dependency.rawValue == callback { throw NewTask.dependsOnOwnCallback(dependency) }
                throw NewTask.unknownDependency(dependency)
            }
            statuses.append((dependency, status))
        }
        let policy = draft.onDependencyFailure
        let edge = try db.statement("INSERT OR IGNORE INTO task_dependencies (dependency_id, task_id, resolved) VALUES (?1, ?2, ?3)")
        for (dependency, status) in statuses {
            try edge.bind(1, dependency.rawValue).bind(2, task.id.rawValue)
                .bind(3, status.isFinal && policy.isSatisfied(by: status) ? 1 : 0).run()
        }
        var assignments = "depends_on = ?2, on_dependency_failure = ?3, batch_id = ?4"
        var line: LifecycleLog.Line?
        var error: String?
        switch draft.dependsOn.isEmpty ? .ready : DependencyState.of(statuses, policy: policy) {
        case .ready:
            break
        case .waiting(let open):
            assignments += ", status = 'blocked', open_dependencies = \(open)"
            line = LifecycleLog.Line(.info, LifecycleMessage.blocked(open: open), attempt: nil)
        case .doomed(let dependency, let status):
            let message = DependencyState.cancellationError(dependency: dependency, status: status)
            error = message
            assignments += ", status = 'cancelled', error = ?5, completed_at = ?6, holds_key = 0"
            line = LifecycleLog.Line(.warn, LifecycleMessage.cancelledByDependency(message), attempt: nil)
        }
        let update = try db.statement("UPDATE tasks SET \(assignments) WHERE id = ?1 RETURNING \(SQLiteRows.taskColumns)")
        update.bind(1, task.id.rawValue).bind(2, dependsOnText(draft.dependsOn)).bind(3, policy.rawValue)
            .bind(4, draft.batchId?.rawValue)
        if let error { update.bind(5, error).bind(6, now) }
        guard let placed = try update.firstRow(SQLiteRows.task) else { throw .taskNotFound(task.id) }
        if let line { try appendLines(db, task.id, [line], at: now) }
        return placed
    }

    /// Settles the blocked dependents of a task that just became final, transitively, in the
    /// caller's transaction: `pending` when their last dependency is satisfied; under `cancel`,
    /// cancelled ("dependency 7 failed") when a dependency failed or was cancelled.
    /// - Complexity: O(d log n) for d dependents reached; one index probe when there are none.
    func settleDependents(_ db: SQLiteConnection, of id: TaskID, now: Int64) throws(TaskCoreError) {
        var stack = [id.rawValue]
        while let dependency = stack.popLast() {
            let statusName = try db.statement("SELECT status FROM tasks WHERE id = ?1").bind(1, dependency)
                .firstRow { $0.string(0) }
            guard let statusName, let status = TaskStatus(rawValue: statusName), status.isFinal else { continue }
            let dependents = try db.statement(
                """
                SELECT t.id, t.on_dependency_failure FROM task_dependencies AS d JOIN tasks AS t ON t.id = d.task_id \
                WHERE d.dependency_id = ?1 AND d.resolved = 0 AND t.status = 'blocked' ORDER BY t.id
                """
            ).bind(1, dependency).rows { (row) throws(TaskCoreError) in (row.int64(0), row.string(1)) }
            for (dependent, policyName) in dependents {
                let policy = DependencyFailurePolicy(rawValue: policyName) ?? .cancel
                if policy.isSatisfied(by: status) {
                    try db.statement("UPDATE task_dependencies SET resolved = 1 WHERE dependency_id = ?1 AND task_id = ?2")
                        .bind(1, dependency).bind(2, dependent).run()
                    let open = try db.statement(
                        "UPDATE tasks SET open_dependencies = open_dependencies - 1 WHERE id = ?1 RETURNING open_dependencies"
                    ).bind(1, dependent).firstRow { $0.int(0) } ?? 0
                    guard open <= 0 else { continue }
                    let next = try TaskStatus.blocked.applying(.unblock, to: TaskID(dependent))
                    _ = try setStatus(
                        db, TaskID(dependent), next,
                        lines: [LifecycleLog.Line(.info, LifecycleMessage.unblocked, attempt: nil)], now: now,
                        extra: "open_dependencies = 0")
                } else {
                    let next = try TaskStatus.blocked.applying(.dependencyFailed, to: TaskID(dependent))
                    let error = DependencyState.cancellationError(dependency: TaskID(dependency), status: status)
                    _ = try setStatus(
                        db, TaskID(dependent), next,
                        lines: [LifecycleLog.Line(.warn, LifecycleMessage.cancelledByDependency(error), attempt: nil)],
                        now: now, extra: "open_dependencies = 0, completed_at = ?3, error = ?4", bind: { $0.bind(4, error) })
                    stack.append(dependent)
                }
            }
        }
    }

    /// A final task runs again: its blocked dependents that counted it as satisfied wait for it again.
    func reopenDependents(_ db: SQLiteConnection, of id: TaskID) throws(TaskCoreError) {
        let reopened = try db.statement(
            """
            UPDATE task_dependencies SET resolved = 0 WHERE dependency_id = ?1 AND resolved = 1 \
            AND task_id IN (SELECT id FROM tasks WHERE status = 'blocked') RETURNING task_id
            """
        ).bind(1, id.rawValue).rows { $0.int64(0) }
        for dependent in reopened {
            try db.statement("UPDATE tasks SET open_dependencies = open_dependencies + 1 WHERE id = ?1")
                .bind(1, dependent).run()
        }
    }

    /// The manual retry of a task with dependencies, inside the caller's transaction: `blocked`
    /// while a dependency is unfinished; refused when one failed or was cancelled under `cancel`.
    /// - Returns: the task when it was blocked, `nil` when the ordinary retry to `pending` applies.
    func retryWithDependencies(_ db: SQLiteConnection, _ current: TaskRecord, resetAttempts: Bool, now: Int64)
        throws(TaskCoreError) -> TaskRecord?
    {
        guard !current.dependsOn.isEmpty else { return nil }
        var statuses: [(id: TaskID, status: TaskStatus)] = []
        let lookup = try db.statement("SELECT status FROM tasks WHERE id = ?1")
        for dependency in current.dependsOn {
            // A deleted dependency was final: it counts as completed.
            let name = try lookup.bind(1, dependency.rawValue).firstRow { $0.string(0) } ?? "completed"
            statuses.append((dependency, TaskStatus(rawValue: name) ?? .completed))
        }
        switch DependencyState.of(statuses, policy: current.onDependencyFailure) {
        case .ready:
            return nil
        case .doomed(let dependency, let status):
            _ = try current.status.applying(.manualRetry, to: current.id)
            throw DependencyState.retryRefused(current.id, dependency: dependency, status: status)
        case .waiting(let open):
            let next = try current.status.applying(.manualRetryBlocked, to: current.id)
            try db.statement("UPDATE task_dependencies SET resolved = 0 WHERE task_id = ?1").bind(1, current.id.rawValue).run()
            for (dependency, status) in statuses where status.isFinal {
                try db.statement("UPDATE task_dependencies SET resolved = 1 WHERE dependency_id = ?1 AND task_id = ?2")
                    .bind(1, dependency.rawValue).bind(2, current.id.rawValue).run()
            }
            let attempts = resetAttempts ? "attempts = 0" : "max_attempts = attempts + 1"
            return try setStatus(
                db, current.id, next,
                lines: [LifecycleLog.Line(.info, LifecycleMessage.manualRetryBlocked(open: open), attempt: nil)],
                now: now,
                extra: "\(attempts), open_dependencies = \(open), error = NULL, result = NULL, progress = NULL, "
                    + "completed_at = NULL, holds_key = (unique_key IS NOT NULL AND NOT EXISTS "
                    + "(SELECT 1 FROM tasks AS other WHERE other.unique_key = tasks.unique_key AND other.holds_key = 1)), "
                    + Self.clearLease)
        }
    }

    /// The id the next inserted task will get (inside the write transaction).
    func nextTaskID(_ db: SQLiteConnection) throws(TaskCoreError) -> Int64 {
        let sequence = try db.statement("SELECT seq FROM sqlite_sequence WHERE name = 'tasks'").firstRow { $0.int64(0) } ?? 0
        let maxID = try db.statement("SELECT coalesce(max(id), 0) FROM tasks").firstRow { $0.int64(0) } ?? 0
        return max(sequence, maxID) + 1
    }
}

extension SQLiteTaskStore: TaskStoreWorkflows {
    /// Creates every draft in one transaction: all or nothing.
    /// - Throws: `invalidArgument` naming the element (`tasks[3].priority: ...`).
    public func createTasks(_ drafts: [NewTask], now: Date) async throws(TaskCoreError) -> [CreatedTask] {
        for (position, draft) in drafts.enumerated() {
            do throws(TaskCoreError) { try draft.validate() } catch { throw error.inElement("tasks[\(position)]") }
        }
        let now = now.truncatedToMilliseconds
        return try await write { (db) throws(TaskCoreError) -> [CreatedTask] in
            var created: [CreatedTask] = []
            created.reserveCapacity(drafts.count)
            for (position, draft) in drafts.enumerated() {
                do throws(TaskCoreError) {
                    created.append(try self.insertTask(db, draft, now: now))
                } catch {
                    throw error.inElement("tasks[\(position)]")
                }
            }
            return created
        }
    }

    /// Creates a batch and its callback in one transaction: all or nothing.
    /// - Complexity: O(n log N) for n tasks in a store of N.
    public func createBatch(_ tasks: [NewTask], callback: NewTask?, now: Date) async throws(TaskCoreError) -> BatchRecord {
        guard BatchLimits.taskCount.contains(tasks.count) else {
            throw .invalidArgument(
                "tasks", "tasks: \(tasks.count) tasks is out of range \(BatchLimits.taskCount.lowerBound)-\(BatchLimits.taskCount.upperBound)")
        }
        for (position, draft) in tasks.enumerated() {
            do throws(TaskCoreError) {
                try draft.validate()
                if draft.uniqueKey != nil {
                    throw .invalidArgument("uniqueKey", "uniqueKey: not supported for the tasks of a batch")
                }
            } catch {
                throw error.inElement("tasks[\(position)]")
            }
        }
        var callbackDraft = callback
        callbackDraft?.dependsOn = []
        if let draft = callbackDraft {
            do throws(TaskCoreError) { try draft.validate() } catch { throw error.inElement("callback") }
        }
        let now = now.truncatedToMilliseconds
        let nowMillis = millis(now)
        let callbackDraftValue = callbackDraft
        return try await write { (db) throws(TaskCoreError) -> BatchRecord in
            let callbackDraft = callbackDraftValue
            let batchID = try db.statement(
                "INSERT INTO batches (callback_task_id, total, created_at) VALUES (NULL, ?1, ?2) RETURNING id"
            ).bind(1, tasks.count).bind(2, nowMillis).firstRow { $0.int64(0) } ?? 0
            let first = try self.nextTaskID(db)
            let predictedCallback = callbackDraft == nil ? nil : first + Int64(tasks.count)
            var ids: [TaskID] = []
            ids.reserveCapacity(tasks.count)
            for (position, var draft) in tasks.enumerated() {
                draft.batchId = BatchID(batchID)
                do throws(TaskCoreError) {
                    ids.append(try self.insertTask(db, draft, now: now, callback: predictedCallback).task.id)
                } catch {
                    throw error.inElement("tasks[\(position)]")
                }
            }
            if var draft = callbackDraft {
                draft.dependsOn = ids
                draft.onDependencyFailure = .run
                draft.batchId = BatchID(batchID)
                let created: CreatedTask
                do throws(TaskCoreError) { created = try self.insertTask(db, draft, now: now) } catch {
                    throw error.inElement("callback")
                }
                guard created.created else {
                    throw TaskCoreError.invalidArgument(
                        "uniqueKey", "uniqueKey: an unfinished task already has uniqueKey \(draft.uniqueKey ?? "")"
                    ).inElement("callback")
                }
                try db.statement("UPDATE batches SET callback_task_id = ?2 WHERE id = ?1").bind(1, batchID)
                    .bind(2, created.task.id.rawValue).run()
            }
            return try Self.fetchBatch(db, BatchID(batchID))
        }
    }

    /// Reads a batch with live counts.
    static func fetchBatch(_ db: SQLiteConnection, _ id: BatchID) throws(TaskCoreError) -> BatchRecord {
        let row = try db.statement("SELECT callback_task_id, created_at FROM batches WHERE id = ?1").bind(1, id.rawValue)
            .firstRow { (row) throws(TaskCoreError) in (row.optionalInt64(0), row.int64(1)) }
        guard let (callback, createdAt) = row else { throw .batchNotFound(id) }
        let tasks = try db.statement(
            "SELECT id, status, completed_at FROM tasks WHERE batch_id = ?1 AND id <> ?2 ORDER BY id"
        ).bind(1, id.rawValue).bind(2, callback ?? 0)
            .rows { (row) throws(TaskCoreError) in (row.int64(0), row.string(1), row.optionalInt64(2)) }
        var counts = TaskStats.Counts()
        for status in TaskStatus.allCases { counts[status] = 0 }
        var finished: Int64?
        var allFinal = true
        for (_, name, completedAt) in tasks {
            let status = TaskStatus(rawValue: name) ?? .pending
            counts[status] += 1
            if !status.isFinal { allFinal = false }
            if status.isFinal, let completedAt { finished = max(finished ?? completedAt, completedAt) }
        }
        return BatchRecord(
            id: id, taskIds: tasks.map { TaskID($0.0) }, callbackTaskId: callback.map(TaskID.init(rawValue:)),
            counts: counts, createdAt: date(createdAt), finishedAt: allFinal ? date(finished ?? createdAt) : nil)
    }

    public func batch(_ id: BatchID) async throws(TaskCoreError) -> BatchRecord {
        try await read { (db) throws(TaskCoreError) -> BatchRecord in
            try db.readTransaction { () throws(TaskCoreError) -> BatchRecord in try Self.fetchBatch(db, id) }
        }
    }

    public func listBatches(limit: Int, offset: Int) async throws(TaskCoreError) -> BatchPage {
        try TaskQuery(limit: limit, offset: offset).validate()
        return try await read { (db) throws(TaskCoreError) -> BatchPage in
            try db.readTransaction { () throws(TaskCoreError) -> BatchPage in
                let ids = try db.statement("SELECT id FROM batches ORDER BY id DESC LIMIT ?1 OFFSET ?2")
                    .bind(1, limit).bind(2, offset).rows { $0.int64(0) }
                var batches: [BatchRecord] = []
                for id in ids { batches.append(try Self.fetchBatch(db, BatchID(id))) }
                let total = try db.statement("SELECT count(*) FROM batches").firstRow { $0.int(0) } ?? 0
                return BatchPage(batches: batches, total: total)
            }
        }
    }

    public func deleteFinalTasks(_ ids: [TaskID]) async throws(TaskCoreError) -> [TaskID] {
        guard !ids.isEmpty else { return [] }
        return try await write { (db) throws(TaskCoreError) -> [TaskID] in
            var deleted: [TaskID] = []
            for id in ids {
                let removed = try db.statement(
                    "DELETE FROM tasks WHERE id = ?1 AND status IN ('completed', 'failed', 'cancelled') RETURNING id"
                ).bind(1, id.rawValue).firstRow { $0.int64(0) }
                guard removed != nil else { continue }
                let range = logKeyRange(id)
                try db.statement("DELETE FROM task_logs WHERE id BETWEEN ?1 AND ?2").bind(1, range.first)
                    .bind(2, range.last).run()
                try db.statement("DELETE FROM task_dependencies WHERE task_id = ?1").bind(1, id.rawValue).run()
                deleted.append(id)
            }
            return deleted
        }
    }

    public func dependencyResults(_ id: TaskID) async throws(TaskCoreError) -> [TaskID: JSONValue?] {
        try await read { (db) throws(TaskCoreError) -> [TaskID: JSONValue?] in
            let task = try Self.fetchTask(db, id)
            var results: [TaskID: JSONValue?] = [:]
            let lookup = try db.statement("SELECT result FROM tasks WHERE id = ?1")
            for dependency in task.dependsOn {
                let text = try lookup.bind(1, dependency.rawValue).firstRow { $0.optionalString(0) } ?? nil
                results[dependency] = try text.map { (text) throws(TaskCoreError) in
                    try JSONValue.fromSQLiteText(text, column: "tasks.result")
                }
            }
            return results
        }
    }
}
