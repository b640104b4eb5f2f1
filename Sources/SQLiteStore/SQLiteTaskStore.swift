import Foundation
public import TaskCore

/// A durable ``TaskStore`` on a SQLite database file, safe to share between processes.
///
/// - The database runs in WAL mode: readers never block the writer, and a crash of the process at
///   any moment leaves the file consistent (SQLite's atomic commit).
/// - Every state change of the ``TaskStore`` contract is atomic inside a `BEGIN IMMEDIATE`
///   transaction: a claim selects the next ready tasks and marks them processing, with the lease
///   and a fresh fencing token, in one step; a job fire enqueues its task and advances `nextRun` in
///   one step. Several processes can open the same file: the write lock serialises them, and
///   `busy_timeout` makes a writer wait for it instead of failing.
/// - All values are bound as statement parameters; statements are prepared once and cached.
///
/// One connection per store. When it is free, an operation runs at once on the caller's thread
/// (one short transaction); when it is busy, callers suspend and their operations are run together
/// by the store's own dispatch queue in one transaction with a savepoint each (group commit). See
/// `Docs/STORAGE.md` for what that means for the cooperative thread pool.
///
/// ```swift
/// let store = try SQLiteTaskStore(path: "./worker-data/worker.sqlite")
/// let service = WorkerService(store: store, configuration: WorkerConfiguration(concurrency: 4))
/// ```
public final class SQLiteTaskStore: Sendable {
    /// The database file.
    public let path: String
    /// The settings the store was opened with.
    public let configuration: SQLiteConfiguration
    private let executor: SQLiteExecutor
    /// This store object's mark in the change log (its own changes are not reported back to it).
    let changeOrigin = SQLiteChangeLog.newOrigin()

    /// Opens the database at `path`, creating it when missing, and brings its schema up to date.
    ///
    /// - Parameters:
    ///   - path: the database file. Its directory must exist and be writable (WAL mode creates
    ///     `path-wal` and `path-shm` next to it).
    ///   - configuration: durability and locking settings; see ``SQLiteConfiguration``.
    /// - Throws: ``TaskCoreError`` with code `storageFailure` and a message naming the file and the
    ///   cause: a directory that does not exist or cannot be written, a file that is not a SQLite
    ///   database or is corrupt, or a database written by a newer release (schema version too high).
    public init(path: String, configuration: SQLiteConfiguration = SQLiteConfiguration()) throws(TaskCoreError) {
        self.path = path
        self.configuration = configuration
        let connection = try SQLiteConnection(path: path)
        try Self.prepare(connection, configuration: configuration)
        try SQLiteChangeLog.install(connection, origin: changeOrigin)
        self.executor = SQLiteExecutor(connection: connection, label: "SQLiteTaskStore \(path)")
    }

    /// Applies the per-connection settings and the migrations, and checks the file is writable.
    private static func prepare(_ connection: SQLiteConnection, configuration: SQLiteConfiguration)
        throws(TaskCoreError)
    {
        let timeoutMilliseconds = max(0, configuration.busyTimeout.milliseconds)
        // PRAGMAs take no bound parameters; every value spliced here is an integer or an enum of ours.
        try connection.execute("PRAGMA busy_timeout = \(timeoutMilliseconds)")
        // The first statement that reads the file: a file of garbage bytes fails here (SQLITE_NOTADB).
        _ = try SQLiteSchema.userVersion(connection)
        if connection.isReadOnly {
            throw TaskCoreError(
                code: .storageFailure,
                message: "SQLite database \(connection.path) is read-only: check that the file and its directory are writable")
        }
        let mode = try connection.statement("PRAGMA journal_mode = WAL").firstRow { $0.string(0) } ?? ""
        if mode.lowercased() != "wal", mode.lowercased() != "memory" {
            throw TaskCoreError(
                code: .storageFailure,
                message: "SQLite database \(connection.path): cannot switch to WAL mode (journal_mode is '\(mode)')")
        }
        try connection.execute("PRAGMA synchronous = \(configuration.synchronous.rawValue)")
        try connection.execute("PRAGMA wal_autocheckpoint = \(max(0, configuration.walAutoCheckpointPages))")
        try connection.execute("PRAGMA temp_store = MEMORY")
        try SQLiteSchema.migrate(connection)
        try connection.checkIntegrityQuickly()
    }

    /// The schema version this build writes (`PRAGMA user_version` of a database it created).
    public static var schemaVersion: Int { SQLiteSchema.currentVersion }

    /// Runs a read-only `body` on the store's queue.
    func read<R: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws(TaskCoreError) -> R)
        async throws(TaskCoreError) -> R
    {
        try await executor.perform(writes: false, body)
    }

    /// Runs `body` atomically in the write transaction of the next group commit (its own savepoint
    /// when the commit carries other operations too); returns after the commit.
    func write<R: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws(TaskCoreError) -> R)
        async throws(TaskCoreError) -> R
    {
        try await executor.perform(writes: true, body)
    }

    /// Runs `body` with the connection, blocking the caller (tests and diagnostics only).
    func withConnection<R>(_ body: (SQLiteConnection) throws(TaskCoreError) -> R) throws(TaskCoreError) -> R {
        try executor.performBlocking(body)
    }

    /// Checkpoints the WAL into the database file and truncates it (useful before copying the file).
    /// - Throws: `storageFailure`.
    public func checkpoint() async throws(TaskCoreError) {
        try await read { (connection) throws(TaskCoreError) in
            try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded down.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// The duration in whole nanoseconds, rounded down.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

extension SQLiteConnection {
    /// Whether SQLite opened the main database read-only (a file without write permission).
    var isReadOnly: Bool { sqlite3DatabaseIsReadOnly(self) }

    /// Reads the schema catalogue and the first page of each table, so that a damaged file is
    /// reported at open rather than at the first request.
    func checkIntegrityQuickly() throws(TaskCoreError) {
        for table in ["tasks", "task_logs", "jobs"] {
            _ = try statement("SELECT count(*) FROM (SELECT 1 FROM \(table) LIMIT 1)").firstRow { $0.int(0) }
        }
    }
}
