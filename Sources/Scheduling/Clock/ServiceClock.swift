public import Foundation

/// The one source of time for a ``WorkerService``: wall-clock `now` (what the stores record and
/// compare `runAt`, leases and cron fire times with) and a sleep until a wall-clock instant.
///
/// Production code uses ``SystemClock``; tests use ``ManualClock`` and drive time by hand, so that
/// back-off, delays, timeouts, leases and cron firing are tested without real sleeps.
public protocol ServiceClock: Sendable {
    /// The current time.
    var now: Date { get }

    /// Suspends until `deadline` (returns at once when it has passed).
    /// - Throws: `CancellationError` when the calling task is cancelled while asleep.
    func sleep(until deadline: Date) async throws
}

extension ServiceClock {
    /// Suspends for `duration` from ``now``.
    /// - Throws: `CancellationError` when the calling task is cancelled while asleep.
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now.adding(duration))
    }
}

/// The real clock: `Date()` and `Task.sleep`.
public struct SystemClock: ServiceClock {
    /// Creates the system clock.
    public init() {}

    /// `Date()`.
    public var now: Date { Date() }

    /// Sleeps with `Task.sleep` until `deadline`.
    /// - Throws: `CancellationError` when the calling task is cancelled.
    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSinceNow
        guard seconds > 0 else {
            try Task.checkCancellation()
            return
        }
        try await Task.sleep(for: .seconds(seconds))
    }
}
