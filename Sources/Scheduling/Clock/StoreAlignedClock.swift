public import Foundation
import Synchronization
public import TaskCore

/// A clock that tells the store's time: `base` corrected by the offset last measured against a
/// ``TaskStoreClock`` (see there for why processes on several machines need one time).
///
/// ``align(with:)`` measures the offset: the store's time against the midpoint of the base clock's
/// readings before and after the call; a measurement whose round trip took longer than
/// `maxRoundTrip` is dropped, as it says little, and an offset below `minimumCorrection` counts as
/// none (machines kept by NTP agree that closely, and leases are seconds long; processes of one
/// machine then keep its clock exactly, not each its own measurement's error). Call it at start-up and then now and then (the
/// demo does every 30 s); between calls the offset stays as it was.
public final class StoreAlignedClock: ServiceClock {
    private let base: any ServiceClock
    private let offsetMicroseconds = Atomic<Int64>(0)
    /// The slowest round trip a measurement may take.
    public let maxRoundTrip: Duration
    /// The smallest offset put in force.
    public let minimumCorrection: Duration

    /// Creates a clock with no correction yet.
    /// - Parameters:
    ///   - base: the machine's clock (default ``SystemClock``).
    ///   - maxRoundTrip: see ``align(with:)`` (default 100 ms).
    ///   - minimumCorrection: see ``align(with:)`` (default 10 ms).
    public init(
        base: any ServiceClock = SystemClock(), maxRoundTrip: Duration = .milliseconds(100),
        minimumCorrection: Duration = .milliseconds(10)
    ) {
        self.base = base
        self.maxRoundTrip = maxRoundTrip
        self.minimumCorrection = minimumCorrection
    }

    /// The correction in force: store time minus base time.
    public var offset: Duration { .microseconds(offsetMicroseconds.load(ordering: .relaxed)) }

    /// The base clock's time plus ``offset``.
    public var now: Date { base.now.addingTimeInterval(Double(offsetMicroseconds.load(ordering: .relaxed)) / 1_000_000) }

    /// Sleeps on the base clock until it shows `deadline` minus ``offset``.
    public func sleep(until deadline: Date) async throws {
        try await base.sleep(until: deadline.addingTimeInterval(-Double(offsetMicroseconds.load(ordering: .relaxed)) / 1_000_000))
    }

    /// Measures the offset against `store` and puts it in force.
    /// - Returns: the offset now in force, or `nil` when the round trip was too slow (the old one stays).
    /// - Throws: the store's errors.
    @discardableResult
    public func align(with store: any TaskStoreClock) async throws(TaskCoreError) -> Duration? {
        let before = base.now
        let storeTime = try await store.storeTime()
        let after = base.now
        let roundTrip = after.timeIntervalSince(before)
        guard roundTrip >= 0, roundTrip <= maxRoundTrip.seconds else { return nil }
        let midpoint = before.addingTimeInterval(roundTrip / 2)
        var micros = Int64((storeTime.timeIntervalSince(midpoint) * 1_000_000).rounded())
        if Double(abs(micros)) < minimumCorrection.seconds * 1_000_000 { micros = 0 }
        offsetMicroseconds.store(micros, ordering: .relaxed)
        return .microseconds(micros)
    }
}
