import Foundation
import Glibc
import Synchronization
public import TaskCore

/// Change notifications between processes sharing one PostgreSQL database.
///
/// Row triggers on `worker_tasks` (status, progress, attempts, result, error, run_at, priority),
/// `worker_jobs` (any change, delete) and `worker_queues` (settings; the id is the queue's name)
/// send `pg_notify('worker_changes', '<origin> <kind> <id>')`
/// in the changing transaction, so a notification is delivered exactly when (and only if) the
/// change commits. `origin` is a session setting (`worker.origin`) of the sending store's
/// connections; a listener drops its own store's notifications.
enum PostgresChangeLog {
    static let channel = "worker_changes"

    static func newOrigin() -> String {
        String(UInt64.random(in: 1...UInt64.max), radix: 16) + String(UInt64.random(in: 1...UInt64.max), radix: 16)
    }

    /// Marks a session's notifications with `origin` (hex, spliced as a literal).
    static func sessionSetup(origin: String) -> String {
        "SET worker.origin TO '\(origin)'"
    }

    /// Installs (or replaces) the trigger function and the triggers, under the migration lock.
    static func install(_ connection: PGConnection) throws(TaskCoreError) {
        try connection.executeSimple("""
            BEGIN;
            SELECT pg_advisory_xact_lock(7340277);
            CREATE OR REPLACE FUNCTION worker_changes_notify() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
              IF TG_OP = 'DELETE' THEN
                PERFORM pg_notify('\(channel)', coalesce(current_setting('worker.origin', true), '-') || ' d ' || OLD.id);
                RETURN OLD;
              END IF;
              PERFORM pg_notify('\(channel)', coalesce(current_setting('worker.origin', true), '-') || ' ' || TG_ARGV[0] || ' ' || NEW.id);
              RETURN NEW;
            END
            $fn$;
            CREATE OR REPLACE TRIGGER worker_tasks_changes
              AFTER INSERT OR UPDATE OF status, progress, attempts, result, error, run_at, priority ON worker_tasks
              FOR EACH ROW EXECUTE FUNCTION worker_changes_notify('t');
            CREATE OR REPLACE TRIGGER worker_jobs_changes
              AFTER INSERT OR UPDATE OR DELETE ON worker_jobs
              FOR EACH ROW EXECUTE FUNCTION worker_changes_notify('j');
            CREATE OR REPLACE FUNCTION worker_queue_changes_notify() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
              PERFORM pg_notify('\(channel)', coalesce(current_setting('worker.origin', true), '-') || ' q ' || NEW.name);
              RETURN NEW;
            END
            $fn$;
            CREATE OR REPLACE TRIGGER worker_queues_changes
              AFTER INSERT OR UPDATE ON worker_queues
              FOR EACH ROW EXECUTE FUNCTION worker_queue_changes_notify();
            COMMIT;
            """)
    }

    /// Parses `<origin> <kind> <id>`; `nil` for the store's own notifications or a malformed payload.
    static func change(_ payload: String, ignoring origin: String) -> StoreChange? {
        let parts = payload.split(separator: " ")
        guard parts.count == 3, parts[0] != origin else { return nil }
        // A queue's name has no spaces (API.md section 5), so it is the whole third part.
        if parts[1] == "q" { return .queue(String(parts[2])) }
        guard let id = Int64(parts[2]) else { return nil }
        switch parts[1] {
        case "t": return .task(TaskID(id))
        case "j": return .job(JobID(id))
        case "d": return .jobDeleted(JobID(id))
        default: return nil
        }
    }
}

extension PostgresTaskStore: TaskStoreChangeFeed {
    /// Changes committed by other processes (other store objects), from `LISTEN worker_changes` on
    /// a connection and thread of their own; after a reconnect nothing is replayed.
    public func externalChanges() -> AsyncStream<[StoreChange]> {
        let (stream, continuation) = AsyncStream.makeStream(of: [StoreChange].self, bufferingPolicy: .bufferingNewest(4096))
        let listener = PGChangeListener(url: url, origin: changeOrigin, continuation: continuation)
        continuation.onTermination = { _ in listener.stop() }
        let thread = Thread { listener.run() }
        thread.name = "worker-service.postgres.changes"
        thread.start()
        return stream
    }
}

/// LISTENs on the change channel on its own thread.
final class PGChangeListener: Sendable {
    let url: String
    let origin: String
    let continuation: AsyncStream<[StoreChange]>.Continuation
    let stopped = Atomic<Bool>(false)

    init(url: String, origin: String, continuation: AsyncStream<[StoreChange]>.Continuation) {
        self.url = url
        self.origin = origin
        self.continuation = continuation
    }

    func stop() { stopped.store(true, ordering: .relaxed) }

    func run() {
        defer { continuation.finish() }
        while !stopped.load(ordering: .relaxed) {
            guard let connection = try? PGConnection(url: url),
                (try? connection.executeSimple("LISTEN \(PostgresChangeLog.channel)")) != nil
            else {
                usleep(500_000)
                continue
            }
            while !stopped.load(ordering: .relaxed) {
                var descriptor = pollfd(fd: connection.socket, events: Int16(POLLIN), revents: 0)
                let ready = poll(&descriptor, 1, 250)
                if ready < 0 && errno != EINTR { break }
                guard ready > 0 else { continue }
                guard let received = connection.drainNotificationPayloads() else { break }
                let changes = received.compactMap { PostgresChangeLog.change($0.payload, ignoring: origin) }
                if !changes.isEmpty { continuation.yield(changes) }
            }
        }
    }
}
