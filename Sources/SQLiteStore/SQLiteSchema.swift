import TaskCore

/// The database schema, as an ordered list of migrations applied on open.
///
/// `PRAGMA user_version` records how many migrations a database has had. Opening applies the
/// missing ones, each in its own transaction; a database whose version is higher than
/// ``currentVersion`` was written by a newer release and is refused rather than misread.
///
/// A log line's `id` is `task_id << 32 | n`, where n numbers the lines ever appended to the task
/// (`log_count + log_dropped`): a task's lines are one contiguous, ordered range of the table's
/// own key, so that appending a line writes one b-tree, not a table and an index.
enum SQLiteSchema {
    /// Migration `n` (1-based) brings a database from version `n - 1` to `n`.
    static let migrations: [String] = [
        // 1: tasks (with their fencing counter and log bookkeeping), their logs, cron jobs.
        """
        CREATE TABLE tasks (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            type TEXT NOT NULL,
            payload TEXT NOT NULL,
            priority INTEGER NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            max_attempts INTEGER NOT NULL,
            result TEXT,
            error TEXT,
            progress INTEGER,
            unique_key TEXT,
            holds_key INTEGER NOT NULL DEFAULT 0,
            job_id INTEGER,
            run_at INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            started_at INTEGER,
            completed_at INTEGER,
            timeout_ns INTEGER,
            lease_worker TEXT,
            lease_token INTEGER,
            lease_expires_at INTEGER,
            fence INTEGER NOT NULL DEFAULT 0,
            log_count INTEGER NOT NULL DEFAULT 0,
            log_bytes INTEGER NOT NULL DEFAULT 0,
            log_dropped INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX tasks_dispatch ON tasks (type, priority DESC, run_at) WHERE status IN ('pending', 'retrying');
        CREATE INDEX tasks_leases ON tasks (lease_expires_at) WHERE status = 'processing';
        CREATE INDEX tasks_by_type_status ON tasks (type, status);
        CREATE UNIQUE INDEX tasks_unique_key ON tasks (unique_key) WHERE holds_key = 1;
        CREATE TABLE task_logs (
            id INTEGER PRIMARY KEY,
            task_id INTEGER NOT NULL,
            timestamp INTEGER NOT NULL,
            level TEXT NOT NULL,
            message TEXT NOT NULL,
            attempt INTEGER,
            bytes INTEGER NOT NULL
        );
        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            schedule TEXT NOT NULL,
            timezone TEXT NOT NULL,
            payload TEXT NOT NULL,
            priority INTEGER NOT NULL,
            max_attempts INTEGER,
            status TEXT NOT NULL,
            last_run INTEGER,
            next_run INTEGER,
            last_task_id INTEGER,
            run_count INTEGER NOT NULL,
            catch_up TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE INDEX jobs_due ON jobs (next_run) WHERE status IN ('active', 'failed');
        """,
        // Workflows (dependencies, batches) and search: see SQLiteSchema+Workflows.swift.
        SQLiteSchema.workflowMigration,
    ]

    /// The schema version this build writes.
    static var currentVersion: Int { migrations.count }

    /// Brings the database up to ``currentVersion``.
    /// - Throws: `storageFailure` for a database of a newer version, or when a migration fails.
    static func migrate(_ connection: SQLiteConnection) throws(TaskCoreError) {
        let version = try userVersion(connection)
        if version > currentVersion {
            throw TaskCoreError(
                code: .storageFailure,
                message: "SQLite database \(connection.path) has schema version \(version), but this build of "
                    + "worker-service knows versions up to \(currentVersion): it was written by a newer release. "
                    + "Upgrade worker-service, or point it at another file.")
        }
        guard version < currentVersion else { return }
        for next in (version + 1)...currentVersion {
            try connection.transaction { () throws(TaskCoreError) in
                // Another process may have migrated meanwhile: check again under the write lock.
                guard try userVersion(connection) == next - 1 else { return }
                try connection.execute(migrations[next - 1])
                // PRAGMA takes no bound parameters; `next` is an integer of ours, not input.
                try connection.execute("PRAGMA user_version = \(next)")
            }
        }
    }

    /// The database's `PRAGMA user_version`.
    static func userVersion(_ connection: SQLiteConnection) throws(TaskCoreError) -> Int {
        try connection.statement("PRAGMA user_version").firstRow { $0.int(0) } ?? 0
    }
}
