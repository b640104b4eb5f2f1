import Dispatch
import Glibc
import Synchronization

/// Waits for a termination signal (SIGINT, SIGTERM) so an executable can shut its servers down gracefully.
///
/// ```swift
/// let port = try server.start()
/// let signal = await TerminationSignal.wait()
/// await server.shutdown()
/// ```
public enum TerminationSignal {
    /// Suspends until SIGINT or SIGTERM arrives, then returns it.
    /// - Returns: The signal number that arrived first.
    public static func wait() async -> Int32 {
        await wait(for: [SIGINT, SIGTERM])
    }

    /// Suspends until one of `signals` arrives, then returns it.
    ///
    /// The signals' default actions are replaced by `SIG_IGN` for the life of the process (a second Ctrl-C no
    /// longer kills it), and a `DispatchSource` reports them instead.
    /// - Parameter signals: The signal numbers to watch.
    /// - Returns: The signal number that arrived first.
    public static func wait(for signals: [Int32]) async -> Int32 {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            let watcher = Watcher(continuation: continuation)
            for number in signals {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { watcher.fire(number) }
                watcher.add(source)
                source.resume()
            }
        }
    }

    /// Resumes the continuation once and cancels the sources.
    private final class Watcher: Sendable {
        private struct State: @unchecked Sendable {
            // Only touched inside `state`'s lock.
            var continuation: CheckedContinuation<Int32, Never>?
            var sources: [any DispatchSourceSignal] = []
        }
        private let state: Mutex<State>

        init(continuation: CheckedContinuation<Int32, Never>) { state = Mutex(State(continuation: continuation)) }

        func add(_ source: any DispatchSourceSignal) { state.withLock { $0.sources.append(source) } }

        func fire(_ number: Int32) {
            let pending = state.withLock { state in
                defer { state = State(continuation: nil) }
                return state
            }
            pending.sources.forEach { $0.cancel() }
            pending.continuation?.resume(returning: number)
        }
    }
}
