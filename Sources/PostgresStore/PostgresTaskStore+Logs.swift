public import Foundation
public import TaskCore

/// How many log lines and bytes a task keeps.
struct LogLimits: Sendable {
    var maxEntries: Int
    var maxBytes: Int
}

extension PostgresTaskStore {
    var logLimits: LogLimits {
        LogLimits(maxEntries: configuration.maxLogEntriesPerTask, maxBytes: configuration.maxLogBytesPerTask)
    }

    public func appendLog(_ id: TaskID, token: Int64?, level: TaskLogEntry.Level, message: String, now: Date)
        async throws(TaskCoreError)
    {
        let now = now.truncatedToMilliseconds
        let limits = logLimits
        // A handler's line (with a token) is one conditional statement; a line of the service's own
        // locks the task to read its attempt.
        try await transaction(durable: token == nil) { connection throws(TaskCoreError) in
            let task = try Self.lockTask(connection, id)
            if let token, task.status != .processing || task.lease?.token != token { throw .leaseLost(id) }
            try Self.log(
                connection, id, level, message, attempt: task.status == .processing ? task.attempts : nil, now: now,
                limits: limits)
        }
    }

    public func logs(_ id: TaskID, limit: Int) async throws(TaskCoreError) -> [TaskLogEntry] {
        guard (1...1000).contains(limit) else {
            throw .invalidArgument("limit", "limit: \(limit) is out of range 1-1000")
        }
        return try await transaction { connection throws(TaskCoreError) in
            let task = try connection.execute(
                "SELECT log_dropped FROM worker_tasks WHERE id = $1::bigint", [.int64(id.rawValue)])
            guard task.count > 0 else { throw .taskNotFound(id) }
            let dropped = task[0].int("log_dropped") ?? 0
            let rows = try connection.execute(
                """
                SELECT ts, level, message, attempt FROM worker_task_logs WHERE task_id = $1::bigint
                ORDER BY id LIMIT $2::integer
                """, [.int64(id.rawValue), .int(limit)])
            var entries: [TaskLogEntry] = (0..<rows.count).map { index in
                let row = rows[index]
                return TaskLogEntry(
                    timestamp: row.time("ts") ?? Date(timeIntervalSince1970: 0),
                    level: TaskLogEntry.Level(rawValue: row.string("level") ?? "") ?? .info,
                    message: row.string("message") ?? "", attempt: row.int("attempt"))
            }
            // Dropped lines are summed up in a note that reads first (and counts toward the limit).
            if dropped > 0, let first = entries.first {
                entries.insert(
                    TaskLogEntry(
                        timestamp: first.timestamp, level: .warn, message: LifecycleMessage.logTruncated(dropped: dropped)),
                    at: 0)
                if entries.count > limit { entries.removeLast() }
            }
            return entries
        }
    }

    /// Trims the logs of the tasks in `rows` (which carry `log_count`, `log_bytes`, `log_dropped`)
    /// that went over their limits.
    func trimLogsIfNeeded(_ rows: PGRows, now: Date, limits: LogLimits) async throws(TaskCoreError) {
        var over: [TaskID] = []
        for index in 0..<rows.count {
            let row = rows[index]
            let count = row.int("log_count") ?? 0
            let lineCap = (row.int("log_dropped") ?? 0) > 0 || count > limits.maxEntries
                ? limits.maxEntries - 1 : limits.maxEntries
            if count > lineCap || (row.int("log_bytes") ?? 0) > limits.maxBytes {
                over.append(TaskID(rawValue: row.int64("id") ?? 0))
            }
        }
        guard !over.isEmpty else { return }
        let tasks = over
        try await transaction(durable: false) { connection throws(TaskCoreError) in
            for id in tasks {
                try Self.trimLog(connection, id, lineCap: max(1, limits.maxEntries - 1), maxBytes: limits.maxBytes)
            }
        }
    }

    /// Appends a line to a task's log (the task row must exist), dropping the oldest lines when the
    /// task is over its limits; ``logs(_:limit:)`` notes how many went.
    static func log(
        _ connection: PGConnection, _ id: TaskID, _ level: TaskLogEntry.Level, _ message: String, attempt: Int?,
        now: Date, limits: LogLimits
    ) throws(TaskCoreError) {
        try connection.execute(
            """
            INSERT INTO worker_task_logs (task_id, ts, level, message, attempt)
            VALUES ($1::bigint, $2::bigint, $3, $4, $5::integer)
            """, [.int64(id.rawValue), .time(now), .string(level.rawValue), .string(message), .int(attempt)])
        let counters = try connection.execute(
            """
            UPDATE worker_tasks SET log_count = log_count + 1, log_bytes = log_bytes + $2::bigint
            WHERE id = $1::bigint RETURNING log_count, log_bytes, log_dropped
            """, [.int64(id.rawValue), .int(message.utf8.count)])
        guard counters.count > 0 else { return }
        let count = counters[0].int("log_count") ?? 0
        let dropped = counters[0].int("log_dropped") ?? 0
        // Once lines are dropped, one place is kept for the note.
        let lineCap = dropped > 0 || count > limits.maxEntries ? limits.maxEntries - 1 : limits.maxEntries
        guard count > lineCap || (counters[0].int("log_bytes") ?? 0) > limits.maxBytes else { return }
        try trimLog(connection, id, lineCap: max(1, lineCap), maxBytes: limits.maxBytes)
    }

    /// Drops the oldest lines until at most `lineCap` lines and `maxBytes` bytes remain (the newest
    /// line always stays), and counts them as dropped.
    static func trimLog(_ connection: PGConnection, _ id: TaskID, lineCap: Int, maxBytes: Int)
        throws(TaskCoreError)
    {
        let lines = try connection.execute(
            "SELECT id, octet_length(message) AS bytes FROM worker_task_logs WHERE task_id = $1::bigint ORDER BY id DESC",
            [.int64(id.rawValue)])
        var keptCount = 0
        var keptBytes = 0
        var cutoff: Int64?
        for index in 0..<lines.count {
            let bytes = lines[index].int("bytes") ?? 0
            if keptCount > 0, keptCount + 1 > lineCap || keptBytes + bytes > maxBytes {
                cutoff = lines[index].int64("id")
                break
            }
            keptCount += 1
            keptBytes += bytes
        }
        guard let cutoff else { return }
        let deleted = try connection.execute(
            "DELETE FROM worker_task_logs WHERE task_id = $1::bigint AND id <= $2::bigint",
            [.int64(id.rawValue), .int64(cutoff)])
        try connection.execute(
            """
            UPDATE worker_tasks SET log_count = $2::integer, log_bytes = $3::bigint,
                log_dropped = log_dropped + $4::integer
            WHERE id = $1::bigint
            """, [.int64(id.rawValue), .int(keptCount), .int(keptBytes), .int(deleted.affected)])
    }
}
