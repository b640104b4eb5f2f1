import Foundation
import Glibc
import Synchronization
import TaskCore

/// A dedicated connection that LISTENs on a channel and fans notifications out to async streams.
///
/// It runs on a thread of its own (waiting on the socket with `poll`), reconnects after a dropped
/// connection, and wakes every subscriber once after a reconnect, since notifications may have been
/// missed meanwhile.
final class PGListener: Sendable {
    private struct State {
        var subscribers: [UInt64: AsyncStream<Void>.Continuation] = [:]
        var nextID: UInt64 = 0
        var stopped = false
        var listening = false
        var readyWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let url: String
    private let channel: String
    private let state = Mutex(State())

    init(url: String, channel: String) {
        self.url = url
        self.channel = channel
        let thread = Thread { [self] in self.loop() }
        thread.name = "worker-service.postgres.listen"
        thread.start()
    }

    /// A stream that yields after each notification on the channel.
    func subscribe() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            state.subscribers[state.nextID] = continuation
            return state.nextID
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Stops the listening thread and finishes every stream.
    func stop() {
        let (subscribers, waiters) = state.withLock {
            state -> ([AsyncStream<Void>.Continuation], [CheckedContinuation<Void, Never>]) in
            state.stopped = true
            defer {
                state.subscribers = [:]
                state.readyWaiters = []
            }
            return (Array(state.subscribers.values), state.readyWaiters)
        }
        for subscriber in subscribers { subscriber.finish() }
        for waiter in waiters { waiter.resume() }
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    /// Returns once the first `LISTEN` is in place (or the listener stopped, or `timeout` passed:
    /// the pool's fallback poll still finds the work), so that every enqueue committed afterwards
    /// is heard.
    func waitUntilListening(timeout: Duration = .seconds(5)) async {
        let deadline = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            self?.releaseWaiters(listening: false)
        }
        defer { deadline.cancel() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.listening || state.stopped { return true }
                state.readyWaiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    private func releaseWaiters(listening: Bool) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if listening { state.listening = true }
            defer { state.readyWaiters = [] }
            return state.readyWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    private func notifyAll() {
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for subscriber in subscribers { subscriber.yield() }
    }

    private func loop() {
        while !isStopped {
            guard let connection = try? PGConnection(url: url),
                (try? connection.execute("LISTEN \(channel)")) != nil
            else {
                usleep(500_000)  // the server is away; try again shortly
                continue
            }
            releaseWaiters(listening: true)
            notifyAll()
            while !isStopped {
                var descriptor = pollfd(fd: connection.socket, events: Int16(POLLIN), revents: 0)
                let ready = poll(&descriptor, 1, 250)
                if ready < 0 && errno != EINTR { break }
                if ready > 0 {
                    guard let channels = connection.drainNotifications() else { break }
                    if !channels.isEmpty { notifyAll() }
                }
            }
        }
    }
}
