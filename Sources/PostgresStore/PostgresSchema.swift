import TaskCore

/// The tables, versioned. Migrations run on open under an advisory lock, so several processes
/// starting at once migrate exactly once; a database written by a newer version is refused.
enum PostgresSchema {
    /// The schema version this build writes.
    static let currentVersion = 2

    /// The statements that bring version `index` to `index + 1`.
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE worker_tasks (
                id            bigserial PRIMARY KEY,
                type          text    NOT NULL,
                payload       text    NOT NULL,
                priority      integer NOT NULL,
                status        text    NOT NULL,
                attempts      integer NOT NULL DEFAULT 0,
                max_attempts  integer NOT NULL,
                result        text,
                error         text,
                progress      integer,
                unique_key    text,
                job_id        bigint,
                run_at        bigint  NOT NULL,
                created_at    bigint  NOT NULL,
                updated_at    bigint  NOT NULL,
                started_at    bigint,
                completed_at  bigint,
                timeout_ms    bigint,
                lease_worker  text,    -- the worker of the latest claim (kept after it ends)
                lease_token   bigint  NOT NULL DEFAULT 0,
                lease_expires bigint,
                log_count     integer NOT NULL DEFAULT 0,
                log_bytes     bigint  NOT NULL DEFAULT 0,
                log_dropped   integer NOT NULL DEFAULT 0
            )
            """,
            // Dispatch order among ready tasks: per type for a worker with one type (an ordered scan
            // of `type = $1`), and across types for a worker with several (an ordered scan that
            // filters the types; `type = ANY(...)` cannot use the per-type order).
            """
            CREATE INDEX worker_tasks_ready_by_type ON worker_tasks (type, priority DESC, run_at, id)
                WHERE status IN ('pending', 'retrying')
            """,
            """
            CREATE INDEX worker_tasks_ready ON worker_tasks (priority DESC, run_at, id)
                WHERE status IN ('pending', 'retrying')
            """,
            "CREATE INDEX worker_tasks_by_status ON worker_tasks (status, id DESC)",
            "CREATE INDEX worker_tasks_by_type ON worker_tasks (type, id DESC)",
            "CREATE INDEX worker_tasks_leases ON worker_tasks (lease_expires) WHERE status = 'processing'",
            // The contract's uniqueKey rule, enforced by the database itself.
            """
            CREATE UNIQUE INDEX worker_tasks_unique_key ON worker_tasks (unique_key)
                WHERE unique_key IS NOT NULL AND status IN ('pending', 'processing', 'retrying')
            """,
            """
            CREATE TABLE worker_task_logs (
                id       bigserial PRIMARY KEY,
                task_id  bigint  NOT NULL REFERENCES worker_tasks (id) ON DELETE CASCADE,
                ts       bigint  NOT NULL,
                level    text    NOT NULL,
                message  text    NOT NULL,
                attempt  integer
            )
            """,
            "CREATE INDEX worker_task_logs_by_task ON worker_task_logs (task_id, id)",
            """
            CREATE TABLE worker_jobs (
                id            bigserial PRIMARY KEY,
                name          text    NOT NULL,
                type          text    NOT NULL,
                schedule      text    NOT NULL,
                timezone      text    NOT NULL,
                payload       text    NOT NULL,
                priority      integer NOT NULL,
                max_attempts  integer,
                status        text    NOT NULL,
                last_run      bigint,
                next_run      bigint,
                last_task_id  bigint,
                run_count     integer NOT NULL DEFAULT 0,
                catch_up      text    NOT NULL,
                created_at    bigint  NOT NULL,
                updated_at    bigint  NOT NULL
            )
            """,
            "CREATE INDEX worker_jobs_due ON worker_jobs (next_run) WHERE status IN ('active', 'failed')",
        ],
        // 2: workflows and search (PostgresTaskStore+Workflows.swift).
        PostgresSchema.workflowMigration,
    ]

    /// Brings the database to ``currentVersion``.
    /// - Throws: `storageFailure` for a database written by a newer version.
    static func migrate(_ connection: PGConnection) throws(TaskCoreError) {
        try connection.execute("BEGIN")
        do throws(TaskCoreError) {
            // Any constant will do; it only has to be the same in every process.
            try connection.execute("SELECT pg_advisory_xact_lock(7340277)")
            try connection.execute("CREATE TABLE IF NOT EXISTS worker_schema (version integer NOT NULL)")
            let rows = try connection.execute("SELECT version FROM worker_schema")
            var version = rows.count > 0 ? rows[0].int("version") ?? 0 : 0
            if rows.count == 0 {
                try connection.execute("INSERT INTO worker_schema (version) VALUES (0)")
            }
            if version > currentVersion {
                throw TaskCoreError(
                    code: .storageFailure,
                    message: "PostgreSQL: the database has schema version \(version), written by a newer "
                        + "worker-service; this build understands versions up to \(currentVersion)")
            }
            while version < currentVersion {
                for statement in migrations[version] { try connection.execute(statement) }
                version += 1
            }
            try connection.execute("UPDATE worker_schema SET version = $1::integer", [.int(version)])
            try connection.execute("COMMIT")
        } catch {
            _ = try? connection.execute("ROLLBACK")
            throw error
        }
    }
}
