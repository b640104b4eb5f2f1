/// What changed in a store, by id: what a ``TaskStoreChangeFeed`` reports.
public enum StoreChange: Hashable, Sendable {
    /// A task was created or changed.
    case task(TaskID)
    /// A job was created, changed or fired.
    case job(JobID)
    /// A job was deleted.
    case jobDeleted(JobID)
    /// A queue's settings changed (its name).
    case queue(String)
}

/// An optional ability: reporting the changes that *other* processes sharing the store commit, so
/// that live subscribers in this process see them too (PostgreSQL: `LISTEN`/`NOTIFY` carrying ids;
/// SQLite: a change-log table polled cheaply).
///
/// Changes made through this store object are not reported (the service publishes those itself,
/// with the records the operations return).
public protocol TaskStoreChangeFeed: TaskStore {
    /// Batches of changes committed by other processes, in commit order. The stream ends when the
    /// store is closed; iterate it from one task only.
    func externalChanges() -> AsyncStream<[StoreChange]>
}
