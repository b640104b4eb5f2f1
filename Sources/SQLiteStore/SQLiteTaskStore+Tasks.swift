public import Foundation
public import TaskCore

extension SQLiteTaskStore: TaskStore {
    /// Creates a pending task, or returns the unfinished task that already has `draft.uniqueKey`,
    /// in one transaction (so two processes cannot both create a task for one key).
    /// - Throws: `invalidArgument` for a draft that fails ``NewTask/validate()``; `storageFailure`.
    /// - Complexity: O(log n) in the number of stored tasks.
    public func createTask(_ draft: NewTask, now: Date) async throws(TaskCoreError) -> CreatedTask {
        try draft.validate()
        return try write { (db) throws(TaskCoreError) -> CreatedTask in
            try self.insertTask(db, draft, now: now, jobLine: nil)
        }
    }

    /// Inserts a task (or finds the unfinished one with its unique key) inside a transaction.
    func insertTask(_ db: SQLiteConnection, _ draft: NewTask, now: Date, jobLine: LifecycleLog.Line?)
        throws(TaskCoreError) -> CreatedTask
    {
        if let key = draft.uniqueKey {
            let existing = try db.statement(
                "SELECT \(SQLiteRows.taskColumns) FROM tasks WHERE unique_key = ?1 "
                    + "AND status IN ('pending', 'processing', 'retrying') ORDER BY id LIMIT 1"
            ).bind(1, key).firstRow(SQLiteRows.task)
            if let existing { return CreatedTask(task: existing, created: false) }
        }
        let nowMillis = millis(now)
        let runAt = draft.runAt.map(millis) ?? nowMillis + (draft.delay?.milliseconds ?? 0)
        var lines: [LifecycleLog.Line] = []
        if let jobLine { lines.append(jobLine) }
        let insert = try db.statement(
            """
            INSERT INTO tasks (type, payload, priority, status, attempts, max_attempts, unique_key, job_id, run_at, \
            created_at, updated_at, timeout_ns, log_count) VALUES (?1, ?2, ?3, 'pending', 0, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10) \
            RETURNING \(SQLiteRows.taskColumns)
            """)
        insert.bind(1, draft.type).bind(2, draft.payload.sqliteText).bind(3, draft.priority.rawValue)
            .bind(4, draft.maxAttempts).bind(5, draft.uniqueKey).bind(6, draft.jobId?.rawValue).bind(7, runAt)
            .bind(8, nowMillis).bind(9, draft.timeout?.nanoseconds).bind(10, lines.count + 1)
        guard let task = try insert.firstRow(SQLiteRows.task) else {
            throw db.failure(0, reason: "INSERT returned no row")
        }
        lines.insert(LifecycleLog.created(task), at: 0)
        try appendLines(db, task.id, lines, at: nowMillis, logCountAfter: lines.count)
        return CreatedTask(task: task, created: true)
    }

    /// The task with `id`.
    /// - Throws: `notFound`; `storageFailure`.
    /// - Complexity: O(log n).
    public func task(_ id: TaskID) async throws(TaskCoreError) -> TaskRecord {
        try withConnection { (db) throws(TaskCoreError) -> TaskRecord in try Self.fetchTask(db, id) }
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
        var conditions: [String] = []
        var parameter: Int32 = 1
        let statuses = query.statuses.map(\.rawValue).sorted()
        if !statuses.isEmpty {
            conditions.append("status IN (\(placeholders(from: parameter, count: statuses.count)))")
            parameter += Int32(statuses.count)
        }
        if query.type != nil {
            conditions.append("type = ?\(parameter)")
            parameter += 1
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        func bindFilter(_ statement: SQLiteStatement) {
            var index: Int32 = 1
            for status in statuses {
                statement.bind(index, status)
                index += 1
            }
            if let type = query.type { statement.bind(index, type) }
        }
        return try withConnection { (db) throws(TaskCoreError) -> TaskPage in
            try db.readTransaction { () throws(TaskCoreError) -> TaskPage in
                let page = try db.statement(
                    "SELECT \(SQLiteRows.taskColumns) FROM tasks\(filter) ORDER BY id DESC LIMIT ?\(parameter) OFFSET ?\(parameter + 1)")
                bindFilter(page)
                page.bind(parameter, query.limit).bind(parameter + 1, query.offset)
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
        try withConnection { (db) throws(TaskCoreError) -> TaskStats in
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
        let sorted = types.sorted()
        return try withConnection { (db) throws(TaskCoreError) -> Date? in
            let statement = try db.statement(
                "SELECT min(run_at) FROM tasks WHERE status IN ('pending', 'retrying') "
                    + "AND type IN (\(placeholders(from: 1, count: sorted.count)))")
            for (index, type) in sorted.enumerated() { statement.bind(Int32(index + 1), type) }
            return try statement.firstRow { $0.optionalInt64(0) }?.map(date)
        }
    }

    // MARK: Logs

    /// Appends a line to a task's log, in one transaction with the token check.
    /// - Throws: `leaseLost` when `token` is given and the task is not processing under it;
    ///   `notFound`; `storageFailure`.
    public func appendLog(_ id: TaskID, token: Int64?, level: TaskLogEntry.Level, message: String, now: Date)
        async throws(TaskCoreError)
    {
        try write { (db) throws(TaskCoreError) in
            let update: SQLiteStatement
            if let token {
                update = try db.statement(
                    "UPDATE tasks SET log_count = log_count + 1 WHERE id = ?1 AND status = 'processing' "
                        + "AND lease_token = ?2 RETURNING log_count, attempts")
                update.bind(1, id.rawValue).bind(2, token)
            } else {
                update = try db.statement(
                    "UPDATE tasks SET log_count = log_count + 1 WHERE id = ?1 RETURNING log_count, attempts, status")
                update.bind(1, id.rawValue)
            }
            let row = try update.firstRow { (row) throws(TaskCoreError) in
                (row.int(0), row.int(1), row.optionalString(2))
            }
            guard let (count, attempts, status) = row else {
                _ = try Self.fetchTask(db, id)
                throw .leaseLost(id)
            }
            // A handler's line belongs to the running attempt; a service line to the current one, if any.
            let attempt: Int? = token != nil || status == TaskStatus.processing.rawValue ? attempts : nil
            try appendLines(db, id, [(level, message, attempt)], at: millis(now), logCountAfter: count)
        }
    }

    /// The first `limit` lines of a task's log, oldest first.
    /// - Throws: `notFound`; `invalidArgument` for a limit out of 1...1000; `storageFailure`.
    public func logs(_ id: TaskID, limit: Int) async throws(TaskCoreError) -> [TaskLogEntry] {
        guard (1...1000).contains(limit) else {
            throw .invalidArgument("limit", "limit: \(limit) is out of range 1-1000")
        }
        return try withConnection { (db) throws(TaskCoreError) -> [TaskLogEntry] in
            try db.readTransaction { () throws(TaskCoreError) -> [TaskLogEntry] in
                _ = try Self.fetchTask(db, id)
                return try db.statement(
                    "SELECT timestamp, level, message, attempt FROM task_logs WHERE task_id = ?1 ORDER BY id LIMIT ?2"
                ).bind(1, id.rawValue).bind(2, limit).rows(SQLiteRows.logEntry)
            }
        }
    }

    /// Inserts log lines for a task whose `log_count` was already raised by `lines.count` to
    /// `logCountAfter`; lines beyond the configured cap are dropped.
    func appendLines(_ db: SQLiteConnection, _ id: TaskID, _ lines: [LifecycleLog.Line], at time: Int64, logCountAfter: Int)
        throws(TaskCoreError)
    {
        try Self.appendLines(db, id, lines, at: time, logCountAfter: logCountAfter, cap: configuration.maxLogLinesPerTask)
    }

    static func appendLines(
        _ db: SQLiteConnection, _ id: TaskID, _ lines: [LifecycleLog.Line], at time: Int64, logCountAfter: Int,
        cap: Int?
    ) throws(TaskCoreError) {
        let firstNumber = logCountAfter - lines.count + 1
        for (offset, line) in lines.enumerated() {
            if let cap, firstNumber + offset > cap { return }
            try db.statement(
                "INSERT INTO task_logs (task_id, timestamp, level, message, attempt) VALUES (?1, ?2, ?3, ?4, ?5)"
            ).bind(1, id.rawValue).bind(2, time).bind(3, line.level.rawValue).bind(4, line.message)
                .bind(5, line.attempt).run()
        }
    }
}

/// `?from, ?from+1, ...` for an IN list of `count` bound values.
func placeholders(from first: Int32, count: Int) -> String {
    (0..<count).map { "?\(first + Int32($0))" }.joined(separator: ", ")
}
