import Foundation
public import TaskCore

/// A ``TaskStore`` on PostgreSQL, for worker processes on many machines sharing one queue.
///
/// Every operation is one transaction. Claims use `SELECT … FOR UPDATE SKIP LOCKED` in the
/// contract's dispatch order, served by a partial index, so concurrent workers never wait on each
/// other's rows; due cron jobs are claimed the same way. Enqueues `NOTIFY` a channel that idle
/// workers `LISTEN` on (see ``readyNotifications()``). Parameters are always bound.
///
/// ```swift
/// let store = try await PostgresTaskStore.connect(url: "postgres://user@localhost/worker")
/// ```
public final class PostgresTaskStore: TaskStore, TaskStorePruning, TaskStoreNotifying, TaskStoreBatchCompleting {
    /// Settings of a store.
    public struct Configuration: Sendable {
        /// Connections in the pool.
        public var maxConnections: Int
        /// Log lines kept per task before the oldest are dropped.
        public var maxLogEntriesPerTask: Int
        /// Log bytes kept per task before the oldest lines are dropped.
        public var maxLogBytesPerTask: Int
        /// Whether to LISTEN for enqueues (one extra connection).
        public var listensForEnqueues: Bool
        /// Whether a worker's own changes (claims, completions, failures, lease renewals, progress,
        /// handler log lines) wait for the WAL flush. Off by default: a crash of the database
        /// server can then lose the last fraction of a second of them, which at-least-once delivery
        /// absorbs (a lost claim or completion means the task runs again after its lease). Task
        /// creation, cancels, retries and job changes always wait for the flush.
        public var durableWorkerCommits: Bool

        public init(
            maxConnections: Int = 4, maxLogEntriesPerTask: Int = 1000, maxLogBytesPerTask: Int = 1 << 20,
            listensForEnqueues: Bool = true, durableWorkerCommits: Bool = false
        ) {
            self.maxConnections = maxConnections
            self.maxLogEntriesPerTask = maxLogEntriesPerTask
            self.maxLogBytesPerTask = maxLogBytesPerTask
            self.listensForEnqueues = listensForEnqueues
            self.durableWorkerCommits = durableWorkerCommits
        }
    }

    /// The channel enqueues are announced on.
    static let channel = "worker_service_ready"

    let pool: PGConnectionPool
    let configuration: Configuration
    private let listener: PGListener?
    /// This store object's mark on the change notifications its sessions send (see
    /// ``externalChanges()``), so that its own changes are not reported back to it.
    let changeOrigin = PostgresChangeLog.newOrigin()
    /// The connection URI (for the change listener's own connection).
    let url: String

    private init(url: String, configuration: Configuration) {
        self.url = url
        self.pool = PGConnectionPool(
            url: url, maxConnections: configuration.maxConnections,
            sessionSetup: (configuration.durableWorkerCommits ? "" : "SET synchronous_commit TO off; ")
                + PostgresChangeLog.sessionSetup(origin: changeOrigin))
        self.configuration = configuration
        self.listener = configuration.listensForEnqueues ? PGListener(url: url, channel: Self.channel) : nil
    }

    /// Connects to the database at `url` (a libpq connection URI such as
    /// `postgres://user:password@host:5432/db`) and applies pending migrations.
    /// - Throws: `storageFailure` when the server cannot be reached, or the schema is newer than
    ///   this build understands.
    public static func connect(url: String, configuration: Configuration = Configuration())
        async throws(TaskCoreError) -> PostgresTaskStore
    {
        let store = PostgresTaskStore(url: url, configuration: configuration)
        do throws(TaskCoreError) {
            try await store.pool.withConnection { connection throws(TaskCoreError) in
                try PostgresSchema.migrate(connection)
                try PostgresChangeLog.install(connection)
            }
            // The server answered, so the listener's own connection follows at once; waiting for
            // it means no enqueue committed after `connect` returns goes unheard.
            await store.listener?.waitUntilListening()
        } catch {
            store.close()
            throw error
        }
        return store
    }

    /// Closes the connections and stops listening.
    public func close() {
        listener?.stop()
        pool.close()
    }

    deinit { listener?.stop() }

    public func readyNotifications() -> AsyncStream<Void> {
        guard let listener else {
            return AsyncStream { $0.finish() }
        }
        return listener.subscribe()
    }

    /// Runs `body` inside one transaction on a pooled connection.
    /// - Parameter durable: whether the commit waits for the WAL flush even when worker commits
    ///   do not (see ``Configuration/durableWorkerCommits``); user-facing changes pass `true`.
    func transaction<T: Sendable>(
        durable: Bool = true,
        _ body: @escaping @Sendable (PGConnection) throws(TaskCoreError) -> T
    ) async throws(TaskCoreError) -> T {
        try await pool.withConnection { connection throws(TaskCoreError) in
            try connection.executeSimple(durable ? "BEGIN; SET LOCAL synchronous_commit TO on" : "BEGIN")
            do throws(TaskCoreError) {
                let value = try body(connection)
                try connection.execute("COMMIT")
                return value
            } catch {
                _ = try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// Runs one statement that a user asked for (creating or deleting a job): its commit waits for
    /// the WAL flush, as every user-facing change does, even when the sessions commit worker
    /// changes asynchronously (a statement outside a transaction would take the session's setting).
    func durableStatement(_ sql: String, _ parameters: [PGParameter] = []) async throws(TaskCoreError) -> PGRows {
        try await transaction(durable: true) { connection throws(TaskCoreError) in
            try connection.execute(sql, parameters)
        }
    }

    /// Runs one statement outside an explicit transaction (for a write, with the session's
    /// `synchronous_commit`: asynchronous unless ``Configuration/durableWorkerCommits``).
    func query(_ sql: String, _ parameters: [PGParameter] = []) async throws(TaskCoreError) -> PGRows {
        try await pool.withConnection { connection throws(TaskCoreError) in
            try connection.execute(sql, parameters)
        }
    }
}

extension PostgresTaskStore {
    /// Runs administrative SQL (creating a schema for a benchmark run, say) on a connection of its own.
    package static func executeAdministrative(url: String, _ sql: String) async throws(TaskCoreError) {
        let pool = PGConnectionPool(url: url, maxConnections: 1)
        defer { pool.close() }
        try await pool.withConnection { connection throws(TaskCoreError) in try connection.executeSimple(sql) }
    }

    /// How many tasks are completed (for benchmarks watching other processes).
    package func completedCount() async throws(TaskCoreError) -> Int {
        try await query("SELECT count(*) AS n FROM worker_tasks WHERE status = 'completed'")[0].int("n") ?? 0
    }
}
