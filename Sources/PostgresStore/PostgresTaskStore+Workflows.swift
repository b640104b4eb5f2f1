public import Foundation
public import TaskCore

extension PostgresSchema {
    /// Migration 2: dependencies, batches and the search indexes (contract sections 6 and 7);
    /// the same design as the SQLite store's (see `SQLiteSchema+Workflows.swift`), with a GIN
    /// index on the payload for `@>` containment.
    static let workflowMigration: [String] = [
        """
        ALTER TABLE worker_tasks ADD COLUMN depends_on text,
            ADD COLUMN on_dependency_failure text NOT NULL DEFAULT 'cancel',
            ADD COLUMN batch_id bigint, ADD COLUMN open_dependencies integer NOT NULL DEFAULT 0
        """,
        """
        CREATE TABLE worker_task_dependencies (
            dependency_id bigint  NOT NULL,
            task_id       bigint  NOT NULL,
            resolved      boolean NOT NULL DEFAULT false,
            PRIMARY KEY (dependency_id, task_id)
        )
        """,
        """
        CREATE TABLE worker_batches (
            id               bigserial PRIMARY KEY,
            callback_task_id bigint,
            total            integer NOT NULL,
            created_at       bigint  NOT NULL
        )
        """,
        "CREATE INDEX worker_tasks_by_batch ON worker_tasks (batch_id, id) WHERE batch_id IS NOT NULL",
        "CREATE INDEX worker_tasks_by_job ON worker_tasks (job_id, id) WHERE job_id IS NOT NULL",
        "CREATE INDEX worker_tasks_by_created ON worker_tasks (created_at)",
        "CREATE INDEX worker_tasks_payload ON worker_tasks USING gin ((payload::jsonb) jsonb_path_ops)",
        // A blocked task holds its uniqueKey too (it is not final).
        "DROP INDEX worker_tasks_unique_key",
        """
        CREATE UNIQUE INDEX worker_tasks_unique_key ON worker_tasks (unique_key)
            WHERE unique_key IS NOT NULL AND status IN ('pending', 'processing', 'retrying', 'blocked')
        """,
    ]
}

/// The columns of the workflow fields, appended to ``taskColumns``.
let workflowTaskColumns = "depends_on, on_dependency_failure, batch_id"

extension PGRow {
    /// Reads `depends_on, on_dependency_failure, batch_id` into `record`.
    func readWorkflowColumns(into record: inout TaskRecord) {
        if let text = string("depends_on"), !text.isEmpty {
            record.dependsOn = text.split(separator: ",").compactMap { TaskID($0) }
        }
        record.onDependencyFailure = DependencyFailurePolicy(rawValue: string("on_dependency_failure") ?? "") ?? .cancel
        record.batchId = int64("batch_id").map(BatchID.init(rawValue:))
    }
}

extension PostgresTaskStore {
    /// Records the workflow fields of a task just inserted as `pending` and puts it into its place
    /// (`blocked`, `cancelled`, or left `pending`), inside the caller's transaction. The
    /// dependencies are locked `FOR SHARE`, so that a dependency cannot finish between this check
    /// and the commit without seeing the new edge.
    /// - Throws: `invalidArgument` for an unknown dependency (the caller's transaction rolls back).
    static func placeWorkflowTask(
        _ connection: PGConnection, _ task: TaskRecord, _ draft: NewTask, now: Date, limits: LogLimits,
        callback: TaskID? = nil
    ) throws(TaskCoreError) -> TaskRecord {
        var statuses: [(id: TaskID, status: TaskStatus)] = []
        if !draft.dependsOn.isEmpty {
            let rows = try connection.execute(
                "SELECT id, status FROM worker_tasks WHERE id = ANY($1::bigint[]) ORDER BY id FOR SHARE",
                [.array(draft.dependsOn.map { String($0.rawValue) })])
            var found: [TaskID: TaskStatus] = [:]
            for index in 0..<rows.count {
                found[TaskID(rows[index].int64("id") ?? 0)] = TaskStatus(rawValue: rows[index].string("status") ?? "")
            }
            for dependency in draft.dependsOn {
                guard let status = found[dependency], dependency < task.id else {
                    if dependency == callback { throw NewTask.dependsOnOwnCallback(dependency) }
                    throw NewTask.unknownDependency(dependency)
                }
                statuses.append((dependency, status))
            }
            let policy = draft.onDependencyFailure
            try connection.execute(
                """
                INSERT INTO worker_task_dependencies (dependency_id, task_id, resolved)
                SELECT d, $2::bigint, r FROM unnest($1::bigint[], $3::boolean[]) AS i(d, r) ON CONFLICT DO NOTHING
                """,
                [
                    .array(statuses.map { String($0.id.rawValue) }), .int64(task.id.rawValue),
                    .array(statuses.map { $0.status.isFinal && policy.isSatisfied(by: $0.status) ? "t" : "f" }),
                ])
        }
        var status = "pending"
        var open = 0
        var error: String?
        var line: (TaskLogEntry.Level, String)?
        switch draft.dependsOn.isEmpty ? .ready : DependencyState.of(statuses, policy: draft.onDependencyFailure) {
        case .ready: break
        case .waiting(let count):
            status = "blocked"
            open = count
            line = (.info, LifecycleMessage.blocked(open: count))
        case .doomed(let dependency, let failed):
            status = "cancelled"
            error = DependencyState.cancellationError(dependency: dependency, status: failed)
            line = (.warn, LifecycleMessage.cancelledByDependency(error!))
        }
        let rows = try connection.execute(
            """
            UPDATE worker_tasks SET depends_on = $2, on_dependency_failure = $3, batch_id = $4::bigint,
                status = $5, open_dependencies = $6::integer, error = coalesce($7, error),
                completed_at = CASE WHEN $5 = 'cancelled' THEN $8::bigint ELSE completed_at END
            WHERE id = $1::bigint RETURNING \(taskColumns)
            """,
            [
                .int64(task.id.rawValue), .string(draft.dependsOn.isEmpty ? nil : draft.dependsOn.map(\.description).joined(separator: ",")),
                .string(draft.onDependencyFailure.rawValue), .int64(draft.batchId?.rawValue), .string(status), .int(open),
                .string(error), .time(now),
            ])
        if let (level, message) = line { try log(connection, task.id, level, message, attempt: nil, now: now, limits: limits) }
        return rows[0].taskRecord()
    }

    /// Settles the blocked dependents of tasks that just became final, transitively, inside the
    /// caller's transaction (the rule of `InMemoryTaskStore.settleDependents`).
    /// - Returns: whether some task became `pending` (worth a notification).
    @discardableResult
    static func settleDependents(_ connection: PGConnection, of ids: [TaskID], now: Date, limits: LogLimits)
        throws(TaskCoreError) -> Bool
    {
        var frontier = ids
        var unblocked = false
        while !frontier.isEmpty {
            let rows = try connection.execute(
                """
                SELECT d.dependency_id, d.task_id, t.on_dependency_failure, dep.status AS dependency_status
                FROM worker_task_dependencies AS d
                JOIN worker_tasks AS t ON t.id = d.task_id
                JOIN worker_tasks AS dep ON dep.id = d.dependency_id
                WHERE d.dependency_id = ANY($1::bigint[]) AND NOT d.resolved AND t.status = 'blocked'
                ORDER BY d.task_id
                """, [.array(frontier.map { String($0.rawValue) })])
            frontier = []
            for index in 0..<rows.count {
                let row = rows[index]
                let dependency = TaskID(row.int64("dependency_id") ?? 0)
                let dependent = TaskID(row.int64("task_id") ?? 0)
                guard let status = TaskStatus(rawValue: row.string("dependency_status") ?? ""), status.isFinal else { continue }
                let policy = DependencyFailurePolicy(rawValue: row.string("on_dependency_failure") ?? "") ?? .cancel
                if policy.isSatisfied(by: status) {
                    let edge = try connection.execute(
                        """
                        UPDATE worker_task_dependencies SET resolved = true
                        WHERE dependency_id = $1::bigint AND task_id = $2::bigint AND NOT resolved
                        """, [.int64(dependency.rawValue), .int64(dependent.rawValue)])
                    guard edge.affected == 1 else { continue }
                    let next = try TaskStatus.blocked.applying(.unblock, to: dependent)
                    let counted = try connection.execute(
                        """
                        UPDATE worker_tasks SET open_dependencies = open_dependencies - 1,
                            status = CASE WHEN open_dependencies <= 1 THEN $2 ELSE status END,
                            updated_at = CASE WHEN open_dependencies <= 1 THEN $3::bigint ELSE updated_at END
                        WHERE id = $1::bigint AND status = 'blocked' RETURNING status
                        """, [.int64(dependent.rawValue), .string(next.rawValue), .time(now)])
                    if counted.count > 0, counted[0].string("status") == next.rawValue {
                        unblocked = true
                        try log(connection, dependent, .info, LifecycleMessage.unblocked, attempt: nil, now: now, limits: limits)
                    }
                } else {
                    let next = try TaskStatus.blocked.applying(.dependencyFailed, to: dependent)
                    let error = DependencyState.cancellationError(dependency: dependency, status: status)
                    let cancelled = try connection.execute(
                        """
                        UPDATE worker_tasks SET status = $2, error = $3, completed_at = $4::bigint, updated_at = $4::bigint,
                            open_dependencies = 0
                        WHERE id = $1::bigint AND status = 'blocked'
                        """, [.int64(dependent.rawValue), .string(next.rawValue), .string(error), .time(now)])
                    guard cancelled.affected == 1 else { continue }
                    try log(
                        connection, dependent, .warn, LifecycleMessage.cancelledByDependency(error), attempt: nil, now: now,
                        limits: limits)
                    frontier.append(dependent)
                }
            }
        }
        return unblocked
    }

    /// A final task runs again: its blocked dependents that counted it as satisfied wait for it again.
    static func reopenDependents(_ connection: PGConnection, of id: TaskID) throws(TaskCoreError) {
        try connection.execute(
            """
            WITH reopened AS (
                UPDATE worker_task_dependencies AS d SET resolved = false
                FROM worker_tasks AS t
                WHERE d.dependency_id = $1::bigint AND d.resolved AND t.id = d.task_id AND t.status = 'blocked'
                RETURNING d.task_id
            )
            UPDATE worker_tasks SET open_dependencies = open_dependencies + 1 FROM reopened WHERE worker_tasks.id = reopened.task_id
            """, [.int64(id.rawValue)])
    }

    /// The manual retry of a task with dependencies, inside the caller's transaction.
    /// - Returns: the task when it was blocked, `nil` when the ordinary retry to `pending` applies.
    static func retryWithDependencies(
        _ connection: PGConnection, _ current: TaskRecord, resetAttempts: Bool, now: Date, limits: LogLimits
    ) throws(TaskCoreError) -> TaskRecord? {
        guard !current.dependsOn.isEmpty else { return nil }
        let rows = try connection.execute(
            "SELECT id, status FROM worker_tasks WHERE id = ANY($1::bigint[]) FOR SHARE",
            [.array(current.dependsOn.map { String($0.rawValue) })])
        var found: [TaskID: TaskStatus] = [:]
        for index in 0..<rows.count {
            found[TaskID(rows[index].int64("id") ?? 0)] = TaskStatus(rawValue: rows[index].string("status") ?? "")
        }
        // A deleted dependency was final: it counts as completed.
        let statuses = current.dependsOn.map { (id: $0, status: found[$0] ?? .completed) }
        switch DependencyState.of(statuses, policy: current.onDependencyFailure) {
        case .ready:
            return nil
        case .doomed(let dependency, let status):
            _ = try current.status.applying(.manualRetry, to: current.id)
            throw DependencyState.retryRefused(current.id, dependency: dependency, status: status)
        case .waiting(let open):
            let next = try current.status.applying(.manualRetryBlocked, to: current.id)
            try connection.execute(
                """
                UPDATE worker_task_dependencies AS d SET resolved = (dep.status IN ('completed', 'failed', 'cancelled'))
                FROM worker_tasks AS dep WHERE d.task_id = $1::bigint AND dep.id = d.dependency_id
                """, [.int64(current.id.rawValue)])
            let attempts = resetAttempts ? 0 : current.attempts
            let maxAttempts = resetAttempts ? current.maxAttempts : current.attempts + 1
            let updated = try connection.execute(
                """
                UPDATE worker_tasks SET status = $2, attempts = $3::integer, max_attempts = $4::integer,
                    open_dependencies = $5::integer, error = NULL, result = NULL, progress = NULL, completed_at = NULL,
                    updated_at = $6::bigint
                WHERE id = $1::bigint RETURNING \(taskColumns)
                """,
                [.int64(current.id.rawValue), .string(next.rawValue), .int(attempts), .int(maxAttempts), .int(open), .time(now)])
            try log(
                connection, current.id, .info, LifecycleMessage.manualRetryBlocked(open: open), attempt: nil, now: now,
                limits: limits)
            return updated[0].taskRecord()
        }
    }
}

extension PostgresTaskStore: TaskStoreWorkflows {
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
        let limits = logLimits
        let callbackValue = callbackDraft
        let batchID = try await transaction { connection throws(TaskCoreError) -> BatchID in
            let inserted = try connection.execute(
                "INSERT INTO worker_batches (total, created_at) VALUES ($1::integer, $2::bigint) RETURNING id",
                [.int(tasks.count), .time(now)])
            let batchID = BatchID(inserted[0].int64("id") ?? 0)
            // Tasks without dependencies go in with one statement per 1,000; the others one by one.
            var ids: [TaskID] = []
            ids.reserveCapacity(tasks.count)
            var start = 0
            while start < tasks.count {
                var end = start
                while end < tasks.count, end - start < 1000, tasks[end].dependsOn.isEmpty,
                    tasks[end].onDependencyFailure == .cancel
                {
                    end += 1
                }
                if end > start {
                    let rows = try Self.insertPlainTasks(connection, Array(tasks[start..<end]), now: now)
                    ids += rows.map(\.id)
                    start = end
                    continue
                }
                var draft = tasks[start]
                draft.batchId = batchID
                do throws(TaskCoreError) {
                    guard let task = try Self.insertTask(connection, draft, runAt: Self.runAt(of: draft, now: now), now: now, limits: limits)
                    else { throw TaskCoreError(code: .storageFailure, message: "PostgreSQL: batch task not inserted") }
                    ids.append(try Self.placeWorkflowTask(connection, task, draft, now: now, limits: limits).id)
                } catch {
                    throw error.inElement("tasks[\(start)]")
                }
                start += 1
            }
            try connection.execute(
                "UPDATE worker_tasks SET batch_id = $1::bigint WHERE id = ANY($2::bigint[])",
                [.int64(batchID.rawValue), .array(ids.map { String($0.rawValue) })])
            if var draft = callbackValue {
                draft.dependsOn = ids
                draft.onDependencyFailure = .run
                draft.batchId = batchID
                guard let task = try Self.insertTask(connection, draft, runAt: Self.runAt(of: draft, now: now), now: now, limits: limits)
                else {
                    throw TaskCoreError.invalidArgument(
                        "uniqueKey", "uniqueKey: an unfinished task already has uniqueKey \(draft.uniqueKey ?? "")"
                    ).inElement("callback")
                }
                let placed = try Self.placeWorkflowTask(connection, task, draft, now: now, limits: limits)
                try connection.execute(
                    "UPDATE worker_batches SET callback_task_id = $2::bigint WHERE id = $1::bigint",
                    [.int64(batchID.rawValue), .int64(placed.id.rawValue)])
            }
            return batchID
        }
        return try await batch(batchID)
    }

    public func batch(_ id: BatchID) async throws(TaskCoreError) -> BatchRecord {
        try await transaction(durable: false) { connection throws(TaskCoreError) in try Self.fetchBatch(connection, id) }
    }

    static func fetchBatch(_ connection: PGConnection, _ id: BatchID) throws(TaskCoreError) -> BatchRecord {
        let rows = try connection.execute(
            "SELECT callback_task_id, created_at FROM worker_batches WHERE id = $1::bigint", [.int64(id.rawValue)])
        guard rows.count > 0 else { throw .batchNotFound(id) }
        let callback = rows[0].int64("callback_task_id").map(TaskID.init(rawValue:))
        let createdAt = rows[0].time("created_at") ?? Date(timeIntervalSince1970: 0)
        let tasks = try connection.execute(
            "SELECT id, status, completed_at FROM worker_tasks WHERE batch_id = $1::bigint AND id <> $2::bigint ORDER BY id",
            [.int64(id.rawValue), .int64(callback?.rawValue ?? 0)])
        var counts = TaskStats.Counts()
        for status in TaskStatus.allCases { counts[status] = 0 }
        var ids: [TaskID] = []
        ids.reserveCapacity(tasks.count)
        var finished: Date?
        var allFinal = true
        for index in 0..<tasks.count {
            let row = tasks[index]
            ids.append(TaskID(row.int64("id") ?? 0))
            let status = TaskStatus(rawValue: row.string("status") ?? "") ?? .pending
            counts[status] += 1
            if !status.isFinal { allFinal = false }
            if status.isFinal, let completedAt = row.time("completed_at") { finished = max(finished ?? completedAt, completedAt) }
        }
        return BatchRecord(
            id: id, taskIds: ids, callbackTaskId: callback, counts: counts, createdAt: createdAt,
            finishedAt: allFinal ? (finished ?? createdAt) : nil)
    }

    public func listBatches(limit: Int, offset: Int) async throws(TaskCoreError) -> BatchPage {
        try TaskQuery(limit: limit, offset: offset).validate()
        return try await transaction(durable: false) { connection throws(TaskCoreError) in
            let rows = try connection.execute(
                "SELECT id FROM worker_batches ORDER BY id DESC LIMIT $1::integer OFFSET $2::bigint",
                [.int(limit), .int(offset)])
            var batches: [BatchRecord] = []
            for index in 0..<rows.count {
                batches.append(try Self.fetchBatch(connection, BatchID(rows[index].int64("id") ?? 0)))
            }
            let total = try connection.execute("SELECT count(*) AS n FROM worker_batches")
            return BatchPage(batches: batches, total: total[0].int("n") ?? 0)
        }
    }

    public func deleteFinalTasks(_ ids: [TaskID]) async throws(TaskCoreError) -> [TaskID] {
        guard !ids.isEmpty else { return [] }
        return try await transaction { connection throws(TaskCoreError) in
            let rows = try connection.execute(
                """
                DELETE FROM worker_tasks WHERE id = ANY($1::bigint[]) AND status IN ('completed', 'failed', 'cancelled')
                RETURNING id
                """, [.array(ids.map { String($0.rawValue) })])
            let deleted = (0..<rows.count).map { TaskID(rows[$0].int64("id") ?? 0) }
            if !deleted.isEmpty {
                try connection.execute(
                    "DELETE FROM worker_task_dependencies WHERE task_id = ANY($1::bigint[])",
                    [.array(deleted.map { String($0.rawValue) })])
            }
            return deleted
        }
    }

    public func dependencyResults(_ id: TaskID) async throws(TaskCoreError) -> [TaskID: JSONValue?] {
        let task = try await task(id)
        guard !task.dependsOn.isEmpty else { return [:] }
        let rows = try await query(
            "SELECT id, result FROM worker_tasks WHERE id = ANY($1::bigint[])",
            [.array(task.dependsOn.map { String($0.rawValue) })])
        var results: [TaskID: JSONValue?] = [:]
        for dependency in task.dependsOn { results[dependency] = .some(nil) }
        for index in 0..<rows.count {
            results[TaskID(rows[index].int64("id") ?? 0)] = .some(PGJSON.decode(rows[index].string("result")))
        }
        return results
    }
}
