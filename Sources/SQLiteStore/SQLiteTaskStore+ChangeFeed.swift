import Foundation
import Synchronization
public import TaskCore

/// The change log that lets processes sharing one SQLite file see each other's changes.
///
/// Every store connection installs TEMP triggers (they belong to that connection only) that append
/// `(origin, kind, id)` to `worker_changes` in the same transaction as the change, with the
/// connection's own origin; a poller on a second connection checks `PRAGMA data_version` (which
/// changes only when another connection committed: no I/O when nothing happened) every
/// ``pollInterval`` and reads the new rows of other origins.
enum SQLiteChangeLog {
    /// How often the poller looks (changes of other processes arrive within about this).
    static let pollInterval: Duration = .milliseconds(200)
    /// Rows kept behind the newest (older ones are pruned by the pollers).
    static let retainedRows: Int64 = 50_000

    /// Creates the table and this connection's triggers. `origin` is hex, spliced as a literal.
    static func install(_ connection: SQLiteConnection, origin: String) throws(TaskCoreError) {
        try connection.execute(
            "CREATE TABLE IF NOT EXISTS worker_changes (seq INTEGER PRIMARY KEY, origin TEXT NOT NULL, kind TEXT NOT NULL, entity INTEGER NOT NULL)")
        func trigger(_ name: String, _ event: String, _ table: String, _ kind: String, _ row: String, key: String = "id")
            throws(TaskCoreError)
        {
            try connection.execute("""
                CREATE TEMP TRIGGER IF NOT EXISTS \(name) AFTER \(event) ON main.\(table) BEGIN
                INSERT INTO worker_changes (origin, kind, entity) VALUES ('\(origin)', '\(kind)', \(row).\(key)); END
                """)
        }
        try trigger("worker_changes_task_insert", "INSERT", "tasks", "t", "NEW")
        try trigger("worker_changes_task_update", "UPDATE OF status, progress, attempts, result, error, run_at, priority", "tasks", "t", "NEW")
        try trigger("worker_changes_job_insert", "INSERT", "jobs", "j", "NEW")
        try trigger("worker_changes_job_update", "UPDATE", "jobs", "j", "NEW")
        try trigger("worker_changes_job_delete", "DELETE", "jobs", "d", "OLD")
        // Queues are keyed by name; the log keeps the row id, which the poller turns back into it.
        try trigger("worker_changes_queue_insert", "INSERT", "queues", "q", "NEW", key: "rowid")
        try trigger("worker_changes_queue_update", "UPDATE", "queues", "q", "NEW", key: "rowid")
    }

    static func newOrigin() -> String {
        String(UInt64.random(in: 1...UInt64.max), radix: 16) + String(UInt64.random(in: 1...UInt64.max), radix: 16)
    }
}

extension SQLiteTaskStore: TaskStoreChangeFeed {
    /// Changes committed by other processes (other store objects) on the same file, polled every
    /// 200 ms on a connection and thread of their own (see `Docs/EVENTS.md`).
    public func externalChanges() -> AsyncStream<[StoreChange]> {
        let (stream, continuation) = AsyncStream.makeStream(of: [StoreChange].self, bufferingPolicy: .bufferingNewest(1024))
        let poller = SQLiteChangePoller(path: path, origin: changeOrigin, continuation: continuation)
        continuation.onTermination = { _ in poller.stop() }
        let thread = Thread { poller.run() }
        thread.name = "sqlite-change-feed"
        thread.start()
        return stream
    }
}

/// Polls `worker_changes` on its own thread and connection.
final class SQLiteChangePoller: Sendable {
    let path: String
    let origin: String
    let continuation: AsyncStream<[StoreChange]>.Continuation
    let stopped = Atomic<Bool>(false)

    init(path: String, origin: String, continuation: AsyncStream<[StoreChange]>.Continuation) {
        self.path = path
        self.origin = origin
        self.continuation = continuation
    }

    func stop() { stopped.store(true, ordering: .relaxed) }

    func run() {
        defer { continuation.finish() }
        guard let connection = try? SQLiteConnection(path: path) else { return }
        _ = try? connection.execute("PRAGMA busy_timeout = 5000")
        var last = (try? connection.statement("SELECT coalesce(max(seq), 0) FROM worker_changes").firstRow { $0.int64(0) }) ?? 0
        var version: Int64 = -1
        var polls = 0
        let pause = useconds_t(SQLiteChangeLog.pollInterval.components.attoseconds / 1_000_000_000_000)
        while !stopped.load(ordering: .relaxed) {
            let current = (try? connection.statement("PRAGMA data_version").firstRow { $0.int64(0) }) ?? -2
            if current != version {
                version = current
                guard let rows = try? connection.statement(
                    "SELECT seq, origin, kind, entity FROM worker_changes WHERE seq > ? ORDER BY seq LIMIT 5000"
                ).bind(1, last).rows({ ($0.int64(0), $0.string(1), $0.string(2), $0.int64(3)) }) else { break }
                var changes: [StoreChange] = []
                for (seq, origin, kind, entity) in rows {
                    last = seq
                    guard origin != self.origin else { continue }
                    switch kind {
                    case "t": changes.append(.task(TaskID(entity)))
                    case "j": changes.append(.job(JobID(entity)))
                    case "d": changes.append(.jobDeleted(JobID(entity)))
                    case "q":
                        if let name = try? connection.statement("SELECT name FROM queues WHERE rowid = ?")
                            .bind(1, entity).firstRow({ $0.string(0) })
                        {
                            changes.append(.queue(name))
                        }
                    default: break
                    }
                }
                if !changes.isEmpty { continuation.yield(changes) }
                if rows.count == 5000 {
                    version = -1  // more to read: look again at once
                    continue
                }
            }
            polls += 1
            if polls % 150 == 0 {  // about every 30 s
                _ = try? connection.statement("DELETE FROM worker_changes WHERE seq < ?").bind(1, last - SQLiteChangeLog.retainedRows).step()
            }
            usleep(pause)
        }
    }
}
