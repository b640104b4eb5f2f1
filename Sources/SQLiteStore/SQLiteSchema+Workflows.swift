import TaskCore

extension SQLiteSchema {
    /// Migration 2: dependencies, batches and the search indexes (contract sections 6 and 7).
    ///
    /// - `tasks.depends_on` keeps `dependsOn` as given (ids separated by commas), for reading the
    ///   record; `task_dependencies` holds the same edges keyed by dependency, which is how a
    ///   completion finds the blocked dependents to settle in its own transaction, and
    ///   `tasks.open_dependencies` counts the edges of a blocked task that are not satisfied yet
    ///   (`resolved = 0`), so that the last completion of a fan-in of n tasks costs O(log n), not O(n).
    /// - `batches` records a batch; its counts are live, from `tasks.batch_id`.
    static let workflowMigration = """
        ALTER TABLE tasks ADD COLUMN depends_on TEXT;
        ALTER TABLE tasks ADD COLUMN on_dependency_failure TEXT NOT NULL DEFAULT 'cancel';
        ALTER TABLE tasks ADD COLUMN batch_id INTEGER;
        ALTER TABLE tasks ADD COLUMN open_dependencies INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE task_dependencies (
            dependency_id INTEGER NOT NULL,
            task_id INTEGER NOT NULL,
            resolved INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (dependency_id, task_id)
        ) WITHOUT ROWID;
        CREATE TABLE batches (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            callback_task_id INTEGER,
            total INTEGER NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX tasks_by_batch ON tasks (batch_id, id) WHERE batch_id IS NOT NULL;
        CREATE INDEX tasks_by_job ON tasks (job_id, id) WHERE job_id IS NOT NULL;
        CREATE INDEX tasks_by_created ON tasks (created_at);
        """
}

extension SQLiteRows {
    /// Reads `depends_on, on_dependency_failure, batch_id` from column `first` on.
    static func readWorkflowColumns(_ row: SQLiteStatement, from first: Int32, into record: inout TaskRecord)
        throws(TaskCoreError)
    {
        if let text = row.optionalString(first), !text.isEmpty {
            record.dependsOn = text.split(separator: ",").compactMap { TaskID($0) }
        }
        let policy = row.optionalString(first + 1) ?? "cancel"
        record.onDependencyFailure = DependencyFailurePolicy(rawValue: policy) ?? .cancel
        record.batchId = row.optionalInt64(first + 2).map(BatchID.init(rawValue:))
    }
}

/// How `dependsOn` is kept in `tasks.depends_on`.
func dependsOnText(_ ids: [TaskID]) -> String? {
    ids.isEmpty ? nil : ids.map(\.description).joined(separator: ",")
}
