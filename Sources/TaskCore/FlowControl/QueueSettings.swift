public import Foundation

/// A rate limit: at most ``limit`` attempt starts in any interval of ``periodMs`` milliseconds.
public struct RateLimit: Hashable, Sendable, Codable {
    /// Attempt starts allowed per window, 1...1,000,000.
    public var limit: Int
    /// The window in milliseconds, 1...86,400,000.
    public var periodMs: Int

    public static let limitRange: ClosedRange<Int> = 1...1_000_000
    public static let periodRange: ClosedRange<Int> = 1...86_400_000

    public init(limit: Int, periodMs: Int) {
        self.limit = limit
        self.periodMs = periodMs
    }

    /// Checks both fields against the contract's ranges.
    /// - Throws: `invalidArgument` naming `rateLimit.limit` or `rateLimit.periodMs`.
    public func validate() throws(TaskCoreError) {
        guard Self.limitRange.contains(limit) else {
            throw .invalidArgument("rateLimit.limit", "rateLimit.limit: \(limit) is out of range 1-1000000")
        }
        guard Self.periodRange.contains(periodMs) else {
            throw .invalidArgument("rateLimit.periodMs", "rateLimit.periodMs: \(periodMs) is out of range 1-86400000")
        }
    }
}

/// The flow-control settings of one queue, as the store keeps them.
///
/// Every queue has settings: one that was never configured has ``QueueSettings/init(name:)``'s
/// defaults (not paused, no limits, `updatedAt` nil).
public struct QueueSettings: Hashable, Sendable {
    public var name: String
    /// No attempt of the queue starts while paused; running ones finish.
    public var paused: Bool
    /// The most tasks of the queue processing at once, cluster-wide; `nil` for no limit.
    public var concurrency: Int?
    /// The most tasks of the queue with the same `concurrencyKey` processing at once; `nil` for no limit.
    public var perKeyConcurrency: Int?
    /// The most attempt starts in any window; `nil` for no limit.
    public var rateLimit: RateLimit?
    /// When a setting last changed; `nil` if never.
    public var updatedAt: Date?

    /// The range of ``concurrency`` and ``perKeyConcurrency``.
    public static let concurrencyRange: ClosedRange<Int> = 1...10_000

    public init(
        name: String, paused: Bool = false, concurrency: Int? = nil, perKeyConcurrency: Int? = nil,
        rateLimit: RateLimit? = nil, updatedAt: Date? = nil
    ) {
        self.name = name
        self.paused = paused
        self.concurrency = concurrency
        self.perKeyConcurrency = perKeyConcurrency
        self.rateLimit = rateLimit
        self.updatedAt = updatedAt
    }

    /// Whether any limit or the pause applies (a queue without them costs claims nothing).
    public var isLimited: Bool { paused || concurrency != nil || perKeyConcurrency != nil || rateLimit != nil }
}

/// A partial change of a queue's settings. For the limits, `nil` keeps the setting, `.some(nil)`
/// clears it, `.some(value)` sets it.
public struct QueueUpdate: Hashable, Sendable {
    public var paused: Bool?
    public var concurrency: Int??
    public var perKeyConcurrency: Int??
    public var rateLimit: RateLimit??

    public init(paused: Bool? = nil, concurrency: Int?? = nil, perKeyConcurrency: Int?? = nil, rateLimit: RateLimit?? = nil) {
        self.paused = paused
        self.concurrency = concurrency
        self.perKeyConcurrency = perKeyConcurrency
        self.rateLimit = rateLimit
    }

    /// Checks every given value against the contract's ranges.
    /// - Throws: `invalidArgument` naming the field, the value and the range.
    public func validate() throws(TaskCoreError) {
        if case .some(.some(let value)) = concurrency, !QueueSettings.concurrencyRange.contains(value) {
            throw .invalidArgument("concurrency", "concurrency: \(value) is out of range 1-10000")
        }
        if case .some(.some(let value)) = perKeyConcurrency, !QueueSettings.concurrencyRange.contains(value) {
            throw .invalidArgument("perKeyConcurrency", "perKeyConcurrency: \(value) is out of range 1-10000")
        }
        if case .some(.some(let value)) = rateLimit { try value.validate() }
    }

    /// `settings` with this update applied and `updatedAt` set to `now`.
    public func applied(to settings: QueueSettings, now: Date) -> QueueSettings {
        var changed = settings
        if let paused { changed.paused = paused }
        if let concurrency { changed.concurrency = concurrency }
        if let perKeyConcurrency { changed.perKeyConcurrency = perKeyConcurrency }
        if let rateLimit { changed.rateLimit = rateLimit }
        changed.updatedAt = now
        return changed
    }
}

/// A queue as the API shows it: its settings, its task counts and how far behind it is.
public struct QueueInfo: Hashable, Sendable {
    public var settings: QueueSettings
    /// Tasks of the queue per status (statuses without tasks may be absent).
    public var counts: TaskStats.Counts
    /// The earliest `runAt` among the queue's ready (pending or retrying, due) tasks, or `nil`.
    public var oldestReadyAt: Date?

    public init(settings: QueueSettings, counts: TaskStats.Counts = TaskStats.Counts(), oldestReadyAt: Date? = nil) {
        self.settings = settings
        self.counts = counts
        self.oldestReadyAt = oldestReadyAt
    }

    public var name: String { settings.name }
}
