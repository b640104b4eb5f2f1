import Foundation
import TaskCore

/// Column lists and row decoding: how records map onto the tables.
enum SQLiteRows {
    /// Every column of `tasks` a ``TaskRecord`` is read from, in the order ``task(_:)`` reads them.
    static let taskColumns = """
        id, type, payload, priority, status, attempts, max_attempts, result, error, progress, unique_key, \
        job_id, run_at, created_at, updated_at, started_at, completed_at, timeout_ns, lease_worker, lease_token, \
        lease_expires_at, queue, concurrency_key, depends_on, on_dependency_failure, batch_id
        """

    /// ``taskColumns`` followed by the log bookkeeping, read by ``logTotals(_:)``.
    static let taskColumnsWithLogTotals = taskColumns + ", log_count, log_bytes, log_dropped"

    /// The log bookkeeping of a row selected with ``taskColumnsWithLogTotals``.
    static func logTotals(_ row: SQLiteStatement) -> LogTotals {
        LogTotals(count: row.int(26), bytes: row.int(27), dropped: row.int(28))
    }

    /// Reads a task from a row selected with ``taskColumns``.
    /// - Throws: `storageFailure` for a damaged row.
    static func task(_ row: SQLiteStatement) throws(TaskCoreError) -> TaskRecord {
        let id = TaskID(row.int64(0))
        guard let priority = Priority(rawValue: row.int(3)) else {
            throw damaged("task \(id)", "priority", row.string(3))
        }
        guard let status = TaskStatus(rawValue: row.string(4)) else {
            throw damaged("task \(id)", "status", row.string(4))
        }
        var lease: Lease?
        if let worker = row.optionalString(18), let token = row.optionalInt64(19), let expires = row.optionalInt64(20) {
            lease = Lease(worker: WorkerID(worker), token: token, expiresAt: date(expires))
        }
        var record = TaskRecord(
            id: id,
            type: row.string(1),
            payload: try JSONValue.fromSQLiteText(row.string(2), column: "tasks.payload"),
            priority: priority,
            status: status,
            attempts: row.int(5),
            maxAttempts: row.int(6),
            result: try row.optionalString(7).map { (text) throws(TaskCoreError) in
                try JSONValue.fromSQLiteText(text, column: "tasks.result")
            },
            error: row.optionalString(8),
            progress: row.optionalInt(9),
            uniqueKey: row.optionalString(10),
            jobId: row.optionalInt64(11).map(JobID.init(rawValue:)),
            runAt: date(row.int64(12)),
            createdAt: date(row.int64(13)),
            updatedAt: date(row.int64(14)),
            startedAt: row.optionalInt64(15).map(date),
            completedAt: row.optionalInt64(16).map(date),
            timeout: row.optionalInt64(17).map { Duration.nanoseconds($0) },
            lease: status == .processing ? lease : nil,
            queue: row.string(21),
            concurrencyKey: row.optionalString(22))
        try readWorkflowColumns(row, from: 23, into: &record)
        return record
    }

    /// Every column of `jobs`, in the order ``job(_:)`` reads them.
    static let jobColumns = """
        id, name, type, schedule, timezone, payload, priority, max_attempts, status, last_run, next_run, \
        last_task_id, run_count, catch_up, created_at, updated_at, queue
        """

    /// Reads a job from a row selected with ``jobColumns``.
    /// - Throws: `storageFailure` for a damaged row.
    static func job(_ row: SQLiteStatement) throws(TaskCoreError) -> ScheduledJob {
        let id = JobID(row.int64(0))
        guard let priority = Priority(rawValue: row.int(6)) else { throw damaged("job \(id)", "priority", row.string(6)) }
        guard let status = JobStatus(rawValue: row.string(8)) else { throw damaged("job \(id)", "status", row.string(8)) }
        guard let catchUp = CatchUpPolicy(rawValue: row.string(13)) else {
            throw damaged("job \(id)", "catch_up", row.string(13))
        }
        return ScheduledJob(
            id: id, name: row.string(1), type: row.string(2), schedule: row.string(3), timezone: row.string(4),
            payload: try JSONValue.fromSQLiteText(row.string(5), column: "jobs.payload"),
            priority: priority, maxAttempts: row.optionalInt(7), status: status,
            lastRun: row.optionalInt64(9).map(date), nextRun: row.optionalInt64(10).map(date),
            lastTaskId: row.optionalInt64(11).map(TaskID.init(rawValue:)), runCount: row.int(12),
            catchUp: catchUp, createdAt: date(row.int64(14)), updatedAt: date(row.int64(15)), queue: row.string(16))
    }

    /// Reads a log line from `timestamp, level, message, attempt`.
    static func logEntry(_ row: SQLiteStatement) throws(TaskCoreError) -> TaskLogEntry {
        guard let level = TaskLogEntry.Level(rawValue: row.string(1)) else {
            throw damaged("log line", "level", row.string(1))
        }
        return TaskLogEntry(timestamp: date(row.int64(0)), level: level, message: row.string(2), attempt: row.optionalInt(3))
    }

    private static func damaged(_ what: String, _ column: String, _ value: String) -> TaskCoreError {
        TaskCoreError(code: .storageFailure, message: "SQLite store: \(what) has an invalid \(column) '\(value.prefix(40))'")
    }
}

/// A task's log bookkeeping: lines kept, their bytes, and lines dropped by the caps.
struct LogTotals {
    var count: Int
    var bytes: Int
    var dropped: Int

    /// The number of the last line appended (lines are numbered from 1, dropped ones included).
    var lastLineNumber: Int64 { Int64(count + dropped) }
}

/// The key range of a task's log lines in `task_logs` (see ``SQLiteSchema``).
func logKeyRange(_ task: TaskID) -> (first: Int64, last: Int64) {
    (task.rawValue << 32, task.rawValue << 32 | 0xFFFF_FFFF)
}

/// Milliseconds since 1970, the unit every time column holds, rounded down by the rule every store
/// shares (`Date.storeMilliseconds`), so that all stores keep exactly the same instants.
func millis(_ date: Date) -> Int64 {
    date.storeMilliseconds
}

extension Date {
    /// `self` plus a duration, truncated to the millisecond (the arithmetic of `InMemoryTaskStore`).
    func storeAdding(_ duration: Duration) -> Date {
        let (seconds, attoseconds) = duration.components
        return addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18).truncatedToMilliseconds
    }
}

/// The instant of a time column.
func date(_ millis: Int64) -> Date {
    Date(timeIntervalSince1970: Double(millis) / 1000)
}
