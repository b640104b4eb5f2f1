public import Foundation

/// The window of a throughput time series: `bucketCount` consecutive buckets of `bucketSeconds`
/// each, the first starting at `start` (API.md section 8, `GET /api/tasks/stats/timeseries`).
///
/// Buckets are aligned to multiples of `bucketSeconds` since 1970 (as Prometheus and Grafana align
/// their steps), so two requests a few seconds apart agree on every bucket but the last.
public struct TimeseriesWindow: Hashable, Sendable {
    /// The `minutes` the REST endpoint accepts.
    public static let minutesRange: ClosedRange<Int> = 1...1440
    /// The `bucketSeconds` the REST endpoint accepts.
    public static let bucketSecondsRange: ClosedRange<Int> = 10...3600

    /// The start of the first bucket (a whole multiple of `bucketSeconds` since 1970).
    public var start: Date
    /// The length of one bucket in seconds.
    public var bucketSeconds: Int
    /// How many buckets the window has.
    public var bucketCount: Int

    /// Creates a window from its parts (no checks: stores take any positive sizes).
    public init(start: Date, bucketSeconds: Int, bucketCount: Int) {
        self.start = start
        self.bucketSeconds = bucketSeconds
        self.bucketCount = bucketCount
    }

    /// The window whose last bucket holds `now` and which reaches back at least `minutes`:
    /// `ceil(minutes * 60 / bucketSeconds)` buckets.
    /// - Parameters:
    ///   - minutes: how far back, 1...1440.
    ///   - bucketSeconds: the bucket length, 10...3600.
    ///   - now: the current time.
    /// - Throws: `invalidArgument` naming `minutes` or `bucketSeconds` when out of range.
    public static func last(minutes: Int, bucketSeconds: Int, now: Date) throws(TaskCoreError) -> TimeseriesWindow {
        guard minutesRange.contains(minutes) else {
            throw .invalidArgument("minutes", "minutes: \(minutes) is out of range 1-1440")
        }
        guard bucketSecondsRange.contains(bucketSeconds) else {
            throw .invalidArgument("bucketSeconds", "bucketSeconds: \(bucketSeconds) is out of range 10-3600")
        }
        let count = (minutes * 60 + bucketSeconds - 1) / bucketSeconds
        let bucketMilliseconds = Int64(bucketSeconds) * 1000
        let nowMilliseconds = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        let current = nowMilliseconds - ((nowMilliseconds % bucketMilliseconds) + bucketMilliseconds) % bucketMilliseconds
        let first = current - Int64(count - 1) * bucketMilliseconds
        return TimeseriesWindow(
            start: Date(timeIntervalSince1970: Double(first) / 1000), bucketSeconds: bucketSeconds, bucketCount: count)
    }

    /// `start` in milliseconds since 1970.
    public var startMilliseconds: Int64 { Int64((start.timeIntervalSince1970 * 1000).rounded()) }
    /// The length of one bucket in milliseconds.
    public var bucketMilliseconds: Int64 { Int64(bucketSeconds) * 1000 }
    /// The end of the last bucket (exclusive), in milliseconds since 1970.
    public var endMilliseconds: Int64 { startMilliseconds + Int64(bucketCount) * bucketMilliseconds }

    /// The index of the bucket that holds the instant `milliseconds`, or `nil` outside the window.
    public func bucketIndex(milliseconds: Int64) -> Int? {
        guard milliseconds >= startMilliseconds, milliseconds < endMilliseconds else { return nil }
        return Int((milliseconds - startMilliseconds) / bucketMilliseconds)
    }

    /// Empty buckets for every slot of the window, oldest first.
    public func emptyBuckets() -> [TaskTimeseriesBucket] {
        (0..<bucketCount).map { index in
            TaskTimeseriesBucket(
                start: Date(timeIntervalSince1970: Double(startMilliseconds + Int64(index) * bucketMilliseconds) / 1000))
        }
    }
}

/// What happened in one bucket of a ``TimeseriesWindow``, computed from the stored tasks.
public struct TaskTimeseriesBucket: Hashable, Sendable {
    /// The start of the bucket.
    public var start: Date
    /// Tasks whose `createdAt` falls into the bucket.
    public var created: Int
    /// Tasks now `completed` whose `completedAt` falls into the bucket.
    public var completed: Int
    /// Tasks now `failed` (for good) whose `completedAt` falls into the bucket.
    public var failed: Int
    /// How many of the completed tasks have a `startedAt` (and so a duration).
    public var durationCount: Int
    /// The summed `completedAt - startedAt` of those tasks, in milliseconds.
    public var durationTotalMilliseconds: Double

    /// Creates a bucket.
    public init(
        start: Date, created: Int = 0, completed: Int = 0, failed: Int = 0, durationCount: Int = 0,
        durationTotalMilliseconds: Double = 0
    ) {
        self.start = start
        self.created = created
        self.completed = completed
        self.failed = failed
        self.durationCount = durationCount
        self.durationTotalMilliseconds = durationTotalMilliseconds
    }

    /// The mean duration of the last attempt of the bucket's completed tasks, or `nil` when none.
    public var averageDurationMilliseconds: Double? {
        durationCount == 0 ? nil : durationTotalMilliseconds / Double(durationCount)
    }
}

/// An ability every store of this package has: counting created, completed and failed tasks per
/// time bucket, for the dashboard's throughput chart.
public protocol TaskStoreTimeseries: TaskStore {
    /// Counts, per bucket of `window`, the tasks created, completed and failed in it, and the
    /// durations of the completed ones. Tasks that were pruned are not counted.
    /// - Parameter window: the buckets to fill.
    /// - Returns: one bucket per slot of the window, oldest first (empty ones included).
    /// - Complexity: O(n) in the stored tasks (a scan; no index on the timestamps is kept).
    func taskTimeseries(_ window: TimeseriesWindow) async throws(TaskCoreError) -> [TaskTimeseriesBucket]
}

/// A filled time series: what `GET /api/tasks/stats/timeseries` answers.
public struct TaskTimeseries: Hashable, Sendable {
    /// The length of one bucket in seconds.
    public var bucketSeconds: Int
    /// The buckets, oldest first.
    public var buckets: [TaskTimeseriesBucket]

    /// Creates a series.
    public init(bucketSeconds: Int, buckets: [TaskTimeseriesBucket]) {
        self.bucketSeconds = bucketSeconds
        self.buckets = buckets
    }
}
