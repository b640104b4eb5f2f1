import Foundation

/// How long a failed task waits before its next attempt: exponential back-off with a cap and jitter.
///
/// The delay before attempt `n + 1` (after `n` failed attempts) is
/// `min(cap, base × factor^(n-1))`, then passed through ``jitter``.
public struct RetryBackoff: Sendable {
    /// Spreads retry delays so that tasks that failed together do not retry together.
    public struct Jitter: Sendable {
        /// Maps the exponential delay to the delay actually used.
        public let apply: @Sendable (Duration) -> Duration

        /// Creates a jitter from a function of the exponential delay (inject a fixed one in tests).
        public init(_ apply: @escaping @Sendable (Duration) -> Duration) { self.apply = apply }

        /// No jitter: the exponential delay as it is.
        public static let none = Jitter { $0 }

        /// "Equal jitter": a random delay between half the exponential delay and all of it.
        public static let equal = Jitter { delay in
            delay / 2 + .seconds(Double.random(in: 0...1) * (delay / 2).seconds)
        }

        /// "Full jitter": a random delay between zero and the exponential delay.
        public static let full = Jitter { delay in .seconds(Double.random(in: 0...1) * delay.seconds) }
    }

    /// The delay after the first failed attempt.
    public var base: Duration
    /// How much each further failure multiplies the delay by.
    public var factor: Double
    /// The longest delay.
    public var cap: Duration
    /// Applied to the capped exponential delay.
    public var jitter: Jitter

    /// Creates a back-off; the default is 1 s, doubling, at most 1 h, with equal jitter.
    public init(base: Duration = .seconds(1), factor: Double = 2, cap: Duration = .seconds(3600), jitter: Jitter = .equal) {
        self.base = base
        self.factor = factor
        self.cap = cap
        self.jitter = jitter
    }

    /// The delay before the next attempt, after `failedAttempts` attempts failed (1 or more).
    /// - Parameter failedAttempts: how many attempts have failed so far.
    /// - Returns: a delay between zero and ``cap``.
    public func delay(afterFailedAttempts failedAttempts: Int) -> Duration {
        let exponent = Double(max(0, failedAttempts - 1))
        let raw = base.seconds * Foundation.pow(max(factor, 1), exponent)
        let capped: Duration = raw.isFinite && raw < cap.seconds ? .seconds(raw) : cap
        let jittered = jitter.apply(capped)
        return min(max(jittered, .zero), cap)
    }
}
