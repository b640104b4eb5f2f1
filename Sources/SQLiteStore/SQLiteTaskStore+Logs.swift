public import Foundation
public import TaskCore

extension SQLiteTaskStore {
    /// Appends a line to a task's log, in one transaction with the token check.
    /// - Throws: `leaseLost` when `token` is given and the task is not processing under it;
    ///   `notFound`; `storageFailure`.
    public func appendLog(_ id: TaskID, token: Int64?, level: TaskLogEntry.Level, message: String, now: Date)
        async throws(TaskCoreError)
    {
        let nowMillis = millis(now.truncatedToMilliseconds)
        try await write { (db) throws(TaskCoreError) in
            let row = try db.statement("SELECT status, attempts, lease_token FROM tasks WHERE id = ?1")
                .bind(1, id.rawValue)
                .firstRow { (row) throws(TaskCoreError) in (row.string(0), row.int(1), row.optionalInt64(2)) }
            guard let (status, attempts, leaseToken) = row else { throw .taskNotFound(id) }
            let processing = status == TaskStatus.processing.rawValue
            if let token, !processing || leaseToken != token { throw .leaseLost(id) }
            try self.appendLines(
                db, id, [LifecycleLog.message(message, level: level, attempt: processing ? attempts : nil)], at: nowMillis)
        }
    }

    /// The first `limit` lines of a task's log, oldest first, led by a note when the log cap
    /// dropped older lines.
    /// - Throws: `notFound`; `invalidArgument` for a limit out of 1...1000; `storageFailure`.
    public func logs(_ id: TaskID, limit: Int) async throws(TaskCoreError) -> [TaskLogEntry] {
        guard (1...1000).contains(limit) else {
            throw .invalidArgument("limit", "limit: \(limit) is out of range 1-1000")
        }
        return try await read { (db) throws(TaskCoreError) -> [TaskLogEntry] in
            try db.readTransaction { () throws(TaskCoreError) -> [TaskLogEntry] in
                let dropped = try db.statement("SELECT log_dropped FROM tasks WHERE id = ?1").bind(1, id.rawValue)
                    .firstRow { $0.int(0) }
                guard let dropped else { throw .taskNotFound(id) }
                let range = logKeyRange(id)
                let lines = try db.statement(
                    "SELECT timestamp, level, message, attempt FROM task_logs WHERE id BETWEEN ?1 AND ?2 ORDER BY id LIMIT ?3"
                ).bind(1, range.first).bind(2, range.last).bind(3, dropped > 0 ? limit - 1 : limit).rows(SQLiteRows.logEntry)
                guard dropped > 0 else { return lines }
                let first = try db.statement(
                    "SELECT timestamp FROM task_logs WHERE id BETWEEN ?1 AND ?2 ORDER BY id LIMIT 1"
                ).bind(1, range.first).bind(2, range.last).firstRow { $0.int64(0) }
                guard let first else { return lines }
                return [LifecycleLog.droppedNote(dropped, timestamp: date(first))] + lines
            }
        }
    }

    /// Appends log lines to a task inside a transaction, then drops the oldest lines beyond the
    /// configured caps (the rules of `InMemoryTaskStore`: keep at most `maxLogLinesPerTask` lines,
    /// one fewer once a note about dropped lines leads the log, and at most `maxLogBytesPerTask`
    /// bytes, but always the newest line).
    func appendLines(_ db: SQLiteConnection, _ id: TaskID, _ lines: [LifecycleLog.Line], at time: Int64)
        throws(TaskCoreError)
    {
        let totals = try db.statement(
            "UPDATE tasks SET log_count = log_count + ?2, log_bytes = log_bytes + ?3 WHERE id = ?1 "
                + "RETURNING log_count, log_bytes, log_dropped"
        ).bind(1, id.rawValue).bind(2, lines.count).bind(3, lines.reduce(0) { $0 + $1.bytes })
            .firstRow { (row) throws(TaskCoreError) in LogTotals(count: row.int(0), bytes: row.int(1), dropped: row.int(2)) }
        guard let totals else { throw .taskNotFound(id) }
        try insertLogLines(db, id, lines, at: time, lastLineNumber: totals.lastLineNumber)
        try enforceLogCaps(db, id, totals)
    }

    /// Inserts log lines whose counts the caller already added to the task's bookkeeping (in the
    /// statement that changes the task, which returned `lastLineNumber`), then the caller calls
    /// ``enforceLogCaps(_:_:_:)``.
    func insertLogLines(
        _ db: SQLiteConnection, _ id: TaskID, _ lines: [LifecycleLog.Line], at time: Int64, lastLineNumber: Int64
    ) throws(TaskCoreError) {
        var number = lastLineNumber - Int64(lines.count)
        for line in lines {
            number += 1
            try db.statement(
                "INSERT INTO task_logs (id, task_id, timestamp, level, message, attempt, bytes) "
                    + "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
            ).bind(1, logKeyRange(id).first | number).bind(2, id.rawValue).bind(3, time).bind(4, line.level.rawValue)
                .bind(5, line.message).bind(6, line.attempt).bind(7, line.bytes).run()
        }
    }

    /// Drops the oldest lines of a task's log when `totals` (after an append) exceed the caps.
    func enforceLogCaps(_ db: SQLiteConnection, _ id: TaskID, _ totals: LogTotals) throws(TaskCoreError) {
        let maxLines = configuration.maxLogLinesPerTask
        let maxBytes = configuration.maxLogBytesPerTask
        func overCap(count: Int, bytes: Int, dropped: Int) -> Bool {
            let lineCap = dropped > 0 || count > maxLines ? maxLines - 1 : maxLines
            return count > 1 && (count > lineCap || bytes > maxBytes)
        }
        guard overCap(count: totals.count, bytes: totals.bytes, dropped: totals.dropped) else { return }
        try trim(db, id, count: totals.count, bytes: totals.bytes, dropped: totals.dropped, overCap: overCap)
    }

    /// Deletes the oldest lines of a task's log until it is within the caps.
    private func trim(
        _ db: SQLiteConnection, _ id: TaskID, count: Int, bytes: Int, dropped: Int,
        overCap: (_ count: Int, _ bytes: Int, _ dropped: Int) -> Bool
    ) throws(TaskCoreError) {
        var (count, bytes, dropped) = (count, bytes, dropped)
        var lastDeleted: Int64?
        let range = logKeyRange(id)
        let oldest = try db.statement("SELECT id, bytes FROM task_logs WHERE id BETWEEN ?1 AND ?2 ORDER BY id LIMIT ?3")
            .bind(1, range.first).bind(2, range.last).bind(3, count - 1)
        defer { oldest.finish() }
        while overCap(count, bytes, dropped), try oldest.step() {
            lastDeleted = oldest.int64(0)
            bytes -= oldest.int(1)
            count -= 1
            dropped += 1
        }
        oldest.finish()
        guard let lastDeleted else { return }
        try db.statement("DELETE FROM task_logs WHERE id BETWEEN ?1 AND ?2").bind(1, range.first)
            .bind(2, lastDeleted).run()
        try db.statement("UPDATE tasks SET log_count = ?2, log_bytes = ?3, log_dropped = ?4 WHERE id = ?1")
            .bind(1, id.rawValue).bind(2, count).bind(3, bytes).bind(4, dropped).run()
    }
}
