import Foundation
import Synchronization

/// A ``TaskStore`` that keeps everything in memory, for tests, demos and single-process services.
///
/// All state sits behind one `Mutex`, so every operation is atomic and the store can be shared by
/// any number of concurrent callers (worker slots, the scheduler, the API). Claims do not scan the
/// tasks: each task type has a ready queue (a ``PriorityQueue`` in dispatch order: priority
/// descending, then `runAt`, then id) and a delayed queue ordered by `runAt`; delayed tasks move
/// to the ready queue when a claim finds them due. Task logs keep lifecycle lines in a compact form
/// and render their text only when read.
///
/// ```swift
/// let store = InMemoryTaskStore()
/// let created = try await store.createTask(NewTask(type: "email"), now: .now)
/// let claimed = try await store.claimTasks(
///     types: ["email"], worker: "w1", limit: 1, leaseDuration: .seconds(30), now: .now)
/// ```
public final class InMemoryTaskStore: TaskStorePruning {
    /// Limits of an in-memory store.
    public struct Configuration: Hashable, Sendable {
        /// The most log lines kept per task; older lines are dropped first, and a note line says
        /// how many were dropped. At least 2.
        public var maxLogLinesPerTask: Int
        /// The most bytes of log messages kept per task (lifecycle lines count as a few dozen).
        public var maxLogBytesPerTask: Int

        /// Creates a configuration.
        /// - Parameters:
        ///   - maxLogLinesPerTask: lines kept per task (default 1,000; at least 2).
        ///   - maxLogBytesPerTask: message bytes kept per task (default 1 MiB).
        public init(maxLogLinesPerTask: Int = 1000, maxLogBytesPerTask: Int = 1 << 20) {
            self.maxLogLinesPerTask = Swift.max(2, maxLogLinesPerTask)
            self.maxLogBytesPerTask = Swift.max(1, maxLogBytesPerTask)
        }
    }

    /// The limits this store was created with.
    public let configuration: Configuration

    let state: Mutex<InMemoryStoreState>

    /// Creates an empty store.
    /// - Parameter configuration: log limits.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.state = Mutex(InMemoryStoreState(configuration: configuration))
    }

    /// Runs `body` on the state under the lock.
    @inline(__always)
    func locked<Result: Sendable>(
        _ body: (inout InMemoryStoreState) throws(TaskCoreError) -> Result
    ) throws(TaskCoreError) -> Result {
        try state.withLock { (state: inout InMemoryStoreState) throws(TaskCoreError) -> Result in
            try body(&state)
        }
    }
}

extension Date {
    /// `self` plus a duration, truncated to the millisecond.
    func storeAdding(_ duration: Duration) -> Date {
        let (seconds, attoseconds) = duration.components
        return addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18).truncatedToMilliseconds
    }
}
