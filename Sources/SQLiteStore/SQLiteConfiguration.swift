/// How a ``SQLiteTaskStore`` opens and uses its database.
public struct SQLiteConfiguration: Hashable, Sendable {
    /// When SQLite waits for the disk (`PRAGMA synchronous`), in WAL mode.
    public enum Synchronous: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
        /// Syncs the WAL at checkpoints only. The database never corrupts; a crash of the *process*
        /// loses nothing; a crash of the *operating system* or a power cut may lose the last
        /// transactions committed before it (those since the last checkpoint sync).
        case normal = "NORMAL"
        /// Syncs the WAL at every commit: a committed change survives a power cut, at the price of
        /// one disk flush per transaction.
        case full = "FULL"

        public var description: String { rawValue }
    }

    /// The `synchronous` setting; ``Synchronous/normal`` by default.
    public var synchronous: Synchronous
    /// How long a write waits for another process's write lock before failing (`busy_timeout`).
    public var busyTimeout: Duration
    /// WAL pages after which a commit checkpoints the WAL into the database (`wal_autocheckpoint`).
    public var walAutoCheckpointPages: Int
    /// The most log lines kept per task; further lines are dropped (`nil`: no cap).
    public var maxLogLinesPerTask: Int?

    /// Creates a configuration.
    /// - Parameters:
    ///   - synchronous: `.normal` (default) or `.full`; see ``Synchronous``.
    ///   - busyTimeout: how long to wait for another process's lock, default 5 s.
    ///   - walAutoCheckpointPages: SQLite's default 1000 pages.
    ///   - maxLogLinesPerTask: the per-task log cap, default 1000 lines as in the in-memory store.
    public init(
        synchronous: Synchronous = .normal, busyTimeout: Duration = .seconds(5), walAutoCheckpointPages: Int = 1000,
        maxLogLinesPerTask: Int? = 1000
    ) {
        self.synchronous = synchronous
        self.busyTimeout = busyTimeout
        self.walAutoCheckpointPages = walAutoCheckpointPages
        self.maxLogLinesPerTask = maxLogLinesPerTask
    }
}
