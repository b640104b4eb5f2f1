import Dispatch
import Glibc
import Synchronization
import TaskCore

/// Runs a store's database operations one at a time, with **group commit** under contention.
///
/// - When the connection is free, the caller runs its operation at once on its own thread (one
///   short transaction, no thread hop): the common case of a lightly loaded store.
/// - When it is busy, the caller suspends (it does not block a thread of Swift's cooperative pool)
///   and its operation joins a queue that a dedicated serial dispatch queue drains: every operation
///   waiting there runs in one `BEGIN IMMEDIATE` transaction, each inside its own `SAVEPOINT`, so
///   that each state change stays atomic on its own (a failing one is rolled back alone) while the
///   batch pays for one commit.
///
/// A caller is answered only after the commit that holds its change, so a change it was told about
/// is durable to the extent ``SQLiteConfiguration/synchronous`` promises.
///
/// Whoever holds the `scheduled` flag owns the connection: the inline caller, or the queue's drain.
final class SQLiteExecutor: Sendable {
    /// One submitted operation, type-erased.
    struct Operation: Sendable {
        /// Whether the operation writes (needs the write transaction).
        var writes: Bool
        /// Runs the body on the connection, keeping its result; returns whether it succeeded.
        var execute: @Sendable (SQLiteConnection) -> Bool
        /// Answers the caller: with the body's own outcome, or with the batch's commit failure.
        var finish: @Sendable (TaskCoreError?) -> Void
    }

    /// The most operations one transaction takes.
    static let maxBatch = 512

    private let queue: DispatchQueue
    /// The connection; touched only by blocks running on `queue`, which is serial.
    private let connection: UncheckedConnection
    private let pending = Mutex<(operations: [Operation], scheduled: Bool)>(([], false))

    init(connection: SQLiteConnection, label: String) {
        self.connection = UncheckedConnection(connection)
        self.queue = DispatchQueue(label: label)
    }

    /// Runs `body` on the connection, inside the group-commit transaction when `writes`.
    func perform<R: Sendable>(
        writes: Bool, _ body: @escaping @Sendable (SQLiteConnection) throws(TaskCoreError) -> R
    ) async throws(TaskCoreError) -> R {
        let free = pending.withLock { state -> Bool in
            if state.scheduled { return false }
            state.scheduled = true
            return true
        }
        if free {
            let db = connection.value
            let outcome: Result<R, TaskCoreError>
            do throws(TaskCoreError) {
                outcome = .success(try writes ? db.transaction { () throws(TaskCoreError) -> R in try body(db) } : body(db))
            } catch {
                outcome = .failure(error)
            }
            handOver()
            return try outcome.get()
        }
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<Result<R, TaskCoreError>, Never>) in
            let box = ResultBox<R>()
            let operation = Operation(
                writes: writes,
                execute: { db in
                    do throws(TaskCoreError) {
                        box.result = .success(try body(db))
                        return true
                    } catch {
                        box.result = .failure(error)
                        return false
                    }
                },
                finish: { commitError in
                    if let commitError, case .success = box.result {
                        continuation.resume(returning: .failure(commitError))
                    } else {
                        continuation.resume(returning: box.result ?? .failure(commitError ?? SQLiteExecutor.lost))
                    }
                })
            let schedule = pending.withLock { state -> Bool in
                state.operations.append(operation)
                if state.scheduled { return false }
                state.scheduled = true
                return true
            }
            if schedule { queue.async { self.drain() } }
        }
        return try outcome.get()
    }

    /// Gives up the connection after an inline operation: to the queue when operations arrived
    /// meanwhile, otherwise to whoever comes next.
    private func handOver() {
        let drainNeeded = pending.withLock { state -> Bool in
            if state.operations.isEmpty {
                state.scheduled = false
                return false
            }
            return true
        }
        if drainNeeded { queue.async { self.drain() } }
    }

    /// Runs `body` on the connection synchronously, for tests and diagnostics (blocks the caller
    /// until the connection is free).
    func performBlocking<R>(_ body: (SQLiteConnection) throws(TaskCoreError) -> R) throws(TaskCoreError) -> R {
        while true {
            let free = pending.withLock { state -> Bool in
                if state.scheduled { return false }
                state.scheduled = true
                return true
            }
            if free { break }
            usleep(1000)
        }
        defer { handOver() }
        return try body(connection.value)
    }

    private static let lost = TaskCoreError(code: .storageFailure, message: "SQLite store: the operation was not run")

    /// Runs batches until no operation is left.
    private func drain() {
        while true {
            let batch = pending.withLock { state -> [Operation] in
                if state.operations.isEmpty {
                    state.scheduled = false
                    return []
                }
                let count = min(state.operations.count, Self.maxBatch)
                let batch = Array(state.operations.prefix(count))
                state.operations.removeFirst(count)
                return batch
            }
            if batch.isEmpty { return }
            run(batch)
        }
    }

    /// Runs one batch: reads alone as they come; writes in one transaction, a savepoint each.
    private func run(_ batch: [Operation]) {
        let db = connection.value
        guard batch.contains(where: \.writes) else {
            for operation in batch {
                _ = operation.execute(db)
                operation.finish(nil)
            }
            return
        }
        do throws(TaskCoreError) {
            try db.statement("BEGIN IMMEDIATE").run()
        } catch {
            for operation in batch { operation.finish(error) }
            return
        }
        let savepoints = batch.count > 1
        for operation in batch {
            if savepoints {
                guard (try? db.statement("SAVEPOINT operation").run()) != nil else {
                    _ = operation.execute(db)  // keeps a result; the commit below decides
                    continue
                }
                if operation.execute(db) {
                    try? db.statement("RELEASE operation").run()
                } else {
                    try? db.statement("ROLLBACK TO operation").run()
                    try? db.statement("RELEASE operation").run()
                }
            } else if !operation.execute(db) {
                try? db.statement("ROLLBACK").run()
                operation.finish(nil)
                return
            }
        }
        do throws(TaskCoreError) {
            try db.statement("COMMIT").run()
        } catch {
            if !db.isAutocommit { try? db.statement("ROLLBACK").run() }
            for operation in batch { operation.finish(error) }
            return
        }
        for operation in batch { operation.finish(nil) }
    }
}

/// Holds an operation's result between running it and answering its caller.
///
/// `@unchecked Sendable`: written by the executor's queue while it runs the operation, read by the
/// same queue when it answers the caller; never touched concurrently.
private final class ResultBox<R>: @unchecked Sendable {
    var result: Result<R, TaskCoreError>?
}

/// The connection, handed to the executor's queue.
///
/// `@unchecked Sendable`: only blocks running on the executor's serial queue touch it.
private final class UncheckedConnection: @unchecked Sendable {
    let value: SQLiteConnection
    init(_ value: SQLiteConnection) { self.value = value }
}
