import Dispatch
import Synchronization
import TaskCore

/// A small pool of libpq connections.
///
/// libpq calls block, so they run on a Dispatch queue, never on Swift's cooperative pool. A caller
/// that finds every connection busy waits (without blocking a thread) until one is returned.
final class PGConnectionPool: Sendable {
    private struct State {
        var idle: [PGConnection] = []
        var open = 0
        var waiters: [CheckedContinuation<PGConnection?, Never>] = []
        var closed = false
    }

    private let url: String
    private let maxConnections: Int
    /// Statements run on every new connection (session settings).
    private let sessionSetup: String?
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "worker-service.postgres", attributes: .concurrent)

    init(url: String, maxConnections: Int, sessionSetup: String? = nil) {
        self.url = url
        self.maxConnections = max(1, maxConnections)
        self.sessionSetup = sessionSetup
    }

    /// Runs `body` with a connection of its own, on a thread where blocking is fine.
    ///
    /// A connection found broken, or closed by the server while it was idle (terminated backend,
    /// server restart), is reset first, so no statement is sent over a session known to be gone;
    /// if the reset fails the call throws `storageFailure` and the next call tries again.
    func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (PGConnection) throws(TaskCoreError) -> T
    ) async throws(TaskCoreError) -> T {
        let connection = try await acquire()
        let outcome = Handoff<Result<T, TaskCoreError>>()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                outcome.put(self.run(body, on: connection))
                continuation.resume()
            }
        }
        release(connection)
        return try outcome.take().get()
    }

    /// Runs `body` on `connection` (on the queue), resetting the connection first when needed.
    private func run<T>(
        _ body: (PGConnection) throws(TaskCoreError) -> T, on connection: PGConnection
    ) -> Result<T, TaskCoreError> {
        if !connection.isOpenWhenIdle {
            connection.reset()
            if connection.isHealthy, let setup = sessionSetup { try? connection.executeSimple(setup) }
        }
        guard connection.isHealthy else {
            return .failure(TaskCoreError(code: .storageFailure, message: "PostgreSQL: the connection was lost"))
        }
        do throws(TaskCoreError) {
            return .success(try body(connection))
        } catch {
            return .failure(error)
        }
    }

    /// Closes idle connections; later calls fail.
    func close() {
        let idle = state.withLock { state -> [PGConnection] in
            state.closed = true
            defer { state.idle = [] }
            return state.idle
        }
        _ = idle  // deinit closes them
    }

    private enum Acquisition {
        case ready(PGConnection)
        case open
        case wait
        case closed
    }

    private func acquire() async throws(TaskCoreError) -> PGConnection {
        let acquisition = state.withLock { state -> Acquisition in
            if state.closed { return .closed }
            if let connection = state.idle.popLast() { return .ready(connection) }
            if state.open < maxConnections {
                state.open += 1
                return .open
            }
            return .wait
        }
        switch acquisition {
        case .ready(let connection):
            return connection
        case .closed:
            throw TaskCoreError(code: .storageFailure, message: "PostgreSQL: the store is closed")
        case .open:
            let url = self.url
            let setup = self.sessionSetup
            let outcome = Handoff<Result<PGConnection, TaskCoreError>>()
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                queue.async {
                    do throws(TaskCoreError) {
                        let connection = try PGConnection(url: url)
                        if let setup { try connection.executeSimple(setup) }
                        outcome.put(.success(connection))
                    } catch {
                        outcome.put(.failure(error))
                    }
                    continuation.resume()
                }
            }
            let opened = outcome.take()
            if case .failure = opened {
                state.withLock { $0.open -= 1 }
            }
            return try opened.get()
        case .wait:
            let connection = await withCheckedContinuation { continuation in
                let immediate = state.withLock { state -> PGConnection?? in
                    if state.closed { return .some(nil) }
                    if let connection = state.idle.popLast() { return .some(connection) }
                    state.waiters.append(continuation)
                    return .none
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
            // `release` handed the connection over after unlocking `state`: taking the lock once
            // makes that order visible to ThreadSanitizer too (see ``Handoff``).
            state.withLock { _ in }
            guard let connection else {
                throw TaskCoreError(code: .storageFailure, message: "PostgreSQL: the store is closed")
            }
            return connection
        }
    }

    private func release(_ connection: PGConnection) {
        let waiter = state.withLock { state -> CheckedContinuation<PGConnection?, Never>? in
            if !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.idle.append(connection)
            return nil
        }
        waiter?.resume(returning: connection)
    }
}

/// A value handed from a block on the pool's queue to the task awaiting it, through a lock rather
/// than as the continuation's value. ThreadSanitizer does not see a hand-off through a continuation
/// that is resumed before its task has suspended (that fast path of the Swift runtime carries no
/// TSan annotation; swiftlang/swift#57803), and it reported the `PGRows` a statement built on the
/// queue and the task then read as a data race: a false positive, but one that made the TSan run
/// fail now and then. A lock it sees (`TSanMutex` under `-DTSAN_LOCKS`) costs one uncontended
/// lock per statement.
private final class Handoff<Value: Sendable>: Sendable {
    private let slot = Mutex<Value?>(nil)

    func put(_ value: Value) { slot.withLock { $0 = value } }

    /// The value put, which must be there.
    func take() -> Value {
        slot.withLock { slot in
            let value = slot!
            slot = nil
            return value
        }
    }
}
