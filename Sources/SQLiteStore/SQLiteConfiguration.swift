/// How a ``SQLiteTaskStore`` opens and uses its database.
public struct SQLiteConfiguration: Hashable, Sendable {
    /// When SQLite waits for the disk (`PRAGMA synchronous`), in WAL mode.
    public enum Synchronous: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
        /// Syncs the WAL at checkpoints only. The database never corrupts; a crash of the *process*
        /// loses nothing that was committed; a crash of the *operating system* or a power cut may
        /// lose the transactions committed since the last checkpoint (they were in the OS cache).
        case normal = "NORMAL"
        /// Syncs the WAL at every commit: a committed change survives a power cut, at the price of
        /// one disk flush per transaction.
        case full = "FULL"

        public var description: String { rawValue }

        /// Parses `normal` or `full` in any case.
        public init?(parsing text: String) {
            self.init(rawValue: text.uppercased())
        }
    }

    /// The `synchronous` setting; ``Synchronous/normal`` by default.
    public var synchronous: Synchronous
    /// How long a write waits for another process's write lock before failing (`busy_timeout`).
    public var busyTimeout: Duration
    /// WAL pages after which a commit checkpoints the WAL into the database (`wal_autocheckpoint`).
    public var walAutoCheckpointPages: Int
    /// The most log lines kept per task; the oldest are dropped first and a note says how many
    /// (as in `InMemoryTaskStore`). At least 2.
    public var maxLogLinesPerTask: Int
    /// The most bytes of log messages kept per task (lifecycle lines count as a few dozen).
    public var maxLogBytesPerTask: Int

    /// Creates a configuration.
    /// - Parameters:
    ///   - synchronous: `.normal` (default) or `.full`; see ``Synchronous``.
    ///   - busyTimeout: how long to wait for another process's lock, default 5 s.
    ///   - walAutoCheckpointPages: SQLite's default 1000 pages.
    ///   - maxLogLinesPerTask: lines kept per task (default 1,000; at least 2).
    ///   - maxLogBytesPerTask: message bytes kept per task (default 1 MiB).
    public init(
        synchronous: Synchronous = .normal, busyTimeout: Duration = .seconds(5), walAutoCheckpointPages: Int = 1000,
        maxLogLinesPerTask: Int = 1000, maxLogBytesPerTask: Int = 1 << 20
    ) {
        self.synchronous = synchronous
        self.busyTimeout = busyTimeout
        self.walAutoCheckpointPages = walAutoCheckpointPages
        self.maxLogLinesPerTask = max(2, maxLogLinesPerTask)
        self.maxLogBytesPerTask = max(1, maxLogBytesPerTask)
    }
}
