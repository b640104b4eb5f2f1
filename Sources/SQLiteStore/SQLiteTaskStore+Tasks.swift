public import Foundation
public import TaskCore

extension SQLiteTaskStore: TaskStore {
    /// Creates a pending task, or returns the unfinished task that already has `draft.uniqueKey`,
    /// in one transaction (so two processes cannot both create a task for one key).
    /// - Throws: `invalidArgument` for a draft that fails ``NewTask/validate()``; `storageFailure`.
    /// - Complexity: O(log n) in the number of stored tasks.
    public func createTask(_ draft: NewTask, now: Date) async throws(TaskCoreError) -> CreatedTask {
        try draft.validate()
        let now = now.truncatedToMilliseconds
        return try await write { (db) throws(TaskCoreError) -> CreatedTask in
            try self.insertTask(db, draft, now: now)
        }
    }

    /// Inserts a task (or finds the unfinished one with its unique key) inside a transaction;
    /// `now` is already truncated to the millisecond.
    ///
    /// Of the unfinished tasks with one key, exactly one *holds* it (`holds_key`, unique by index):
    /// the one created with it, until it finishes; a task run again by a manual retry takes the key
    /// back only when no other task holds it (the rule of `InMemoryTaskStore`).
    func insertTask(_ db: SQLiteConnection, _ draft: NewTask, now: Date, callback: Int64? = nil)
        throws(TaskCoreError) -> CreatedTask
    {
        if let key = draft.uniqueKey {
            let existing = try db.statement(
                "SELECT \(SQLiteRows.taskColumns) FROM tasks WHERE unique_key = ?1 AND holds_key = 1"
            ).bind(1, key).firstRow(SQLiteRows.task)
            if let existing { return CreatedTask(task: existing, created: false) }
        }
        let nowMillis = millis(now)
        let runAt = draft.runAt?.truncatedToMilliseconds ?? draft.delay.map { now.storeAdding($0) } ?? now
        // The "created" line is counted in the INSERT itself; a log of one line is never trimmed.
        let line = LifecycleLog.created(job: draft.jobId)
        let insert = try db.statement(
            """
            INSERT INTO tasks (type, payload, priority, status, attempts, max_attempts, unique_key, job_id, run_at, \
            created_at, updated_at, timeout_ns, holds_key, log_count, log_bytes) \
            VALUES (?1, ?2, ?3, 'pending', 0, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?5 IS NOT NULL, 1, ?10) \
            RETURNING \(SQLiteRows.taskColumns)
            """)
        insert.bind(1, draft.type).bind(2, draft.payload.sqliteText).bind(3, draft.priority.rawValue)
            .bind(4, draft.maxAttempts).bind(5, draft.uniqueKey).bind(6, draft.jobId?.rawValue).bind(7, millis(runAt))
            .bind(8, nowMillis).bind(9, draft.timeout?.nanoseconds).bind(10, line.bytes)
        guard let task = try insert.firstRow(SQLiteRows.task) else {
            throw db.failure(0, reason: "INSERT returned no row")
        }
        try insertLogLines(db, task.id, [line], at: nowMillis, lastLineNumber: 1)
        if !draft.dependsOn.isEmpty || draft.batchId != nil || draft.onDependencyFailure != .cancel {
            return CreatedTask(task: try placeWorkflowTask(db, task, draft, now: nowMillis, callback: callback), created: true)
        }
        return CreatedTask(task: task, created: true)
    }

    /// The task with `id`.
    /// - Throws: `notFound`; `storageFailure`.
    /// - Complexity: O(log n).
    public func task(_ id: TaskID) async throws(TaskCoreError) -> TaskRecord {
        try await read { (db) throws(TaskCoreError) -> TaskRecord in try Self.fetchTask(db, id) }
    }

    /// Reads a task or throws `notFound`.
    static func fetchTask(_ db: SQLiteConnection, _ id: TaskID) throws(TaskCoreError) -> TaskRecord {
        let row = try db.statement("SELECT \(SQLiteRows.taskColumns) FROM tasks WHERE id = ?1")
            .bind(1, id.rawValue).firstRow(SQLiteRows.task)
        guard let row else { throw .taskNotFound(id) }
        return row
    }

    /// A page of tasks matching `query`, newest first, with the total count, read from one snapshot.
    /// - Throws: `invalidArgument` for a limit or offset out of range; `storageFailure`.
    /// - Complexity: O(offset + limit + matches) using the status and type indexes.
    public func listTasks(_ query: TaskQuery) async throws(TaskCoreError) -> TaskPage {
        try query.validate()
        try query.validateSearch()
        let search = SQLiteTaskFilter(query)
        let filter = search.whereClause
        let limitParameter = Int32(search.bindings.count + 1)
        @Sendable func bindFilter(_ statement: SQLiteStatement) { search.bind(statement) }
        return try await read { (db) throws(TaskCoreError) -> TaskPage in
            try db.readTransaction { () throws(TaskCoreError) -> TaskPage in
                let page = try db.statement(
                    "SELECT \(SQLiteRows.taskColumns) FROM tasks\(filter) ORDER BY id DESC LIMIT ?\(limitParameter) OFFSET ?\(limitParameter + 1)")
                bindFilter(page)
                page.bind(limitParameter, query.limit).bind(limitParameter + 1, query.offset)
                let tasks = try page.rows(SQLiteRows.task)
                let count = try db.statement("SELECT count(*) FROM tasks\(filter)")
                bindFilter(count)
                return TaskPage(tasks: tasks, total: try count.firstRow { $0.int(0) } ?? 0)
            }
        }
    }

    /// Counts per status and per type, and the summed duration of completed tasks.
    /// - Throws: `storageFailure`.
    /// - Complexity: O(n) over the (type, status) index.
    public func stats() async throws(TaskCoreError) -> TaskStats {
        try await read { (db) throws(TaskCoreError) -> TaskStats in
            try db.readTransaction { () throws(TaskCoreError) -> TaskStats in
                var stats = TaskStats()
                let groups = try db.statement("SELECT type, status, count(*) FROM tasks GROUP BY type, status")
                    .rows { (row) throws(TaskCoreError) in (row.string(0), row.string(1), row.int(2)) }
                for (type, statusName, count) in groups {
                    guard let status = TaskStatus(rawValue: statusName) else { continue }
                    stats.all[status] += count
                    stats.byType[type, default: TaskStats.Counts()][status] += count
                }
                let durations = try db.statement(
                    "SELECT count(*), total(completed_at - started_at) FROM tasks "
                        + "WHERE status = 'completed' AND started_at IS NOT NULL AND completed_at IS NOT NULL"
                ).firstRow { (row) throws(TaskCoreError) in (row.int(0), row.double(1)) }
                stats.completedDurationCount = durations?.0 ?? 0
                stats.completedDurationTotalMilliseconds = durations?.1 ?? 0
                return stats
            }
        }
    }

    /// The earliest `runAt` of a pending or retrying task whose type is in `types`.
    /// - Throws: `storageFailure`.
    public func nextReadyTime(types: Set<String>) async throws(TaskCoreError) -> Date? {
        guard !types.isEmpty else { return nil }
        return try await read { (db) throws(TaskCoreError) -> Date? in
            var earliest: Int64?
            for type in types {
                let runAt = try db.statement(
                    "SELECT min(run_at) FROM tasks WHERE type = ?1 AND status IN ('pending', 'retrying')"
                ).bind(1, type).firstRow { $0.optionalInt64(0) } ?? nil
                if let runAt { earliest = min(earliest ?? runAt, runAt) }
            }
            return earliest.map(date)
        }
    }
}

/// `?from, ?from+1, ...` for an IN list of `count` bound values.
func placeholders(from first: Int32, count: Int) -> String {
    (0..<count).map { "?\(first + Int32($0))" }.joined(separator: ", ")
}
